/* The library inside a program that has set a decimal-comma locale
 * (HOSTILE.md item 68): a host such as an upload tool may call
 * setlocale(LC_ALL, ""), after which printf writes "1,5" and strtod stops
 * at a '.'. For each file given, everything the library writes (lint's
 * findings in every report format, the JSON of the document, normalize in
 * both forms, the import plan) must be byte for byte what it writes in the
 * C locale.
 *
 * Usage: locale LOCALE FILE...; exit 77 (skipped) when LOCALE cannot be
 * set or has no decimal comma, 1 when an output differs. With
 * SWAGGATE_LOCALE_DUMP=PREFIX, a differing file's outputs are written to
 * PREFIX.c and PREFIX.locale, to compare. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swaggate.h"

static void put(FILE *f, const char *what, sg_status st)
{
    fprintf(f, "\n== %s: %s\n", what, sg_status_string(st));
}

/* Everything the library writes for PATH, into a malloc'd buffer. */
static char *outputs(const char *path, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    sg_options o;
    sg_options_init(&o);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_status st = d ? sg_document_load(path, &o, d, &doc) : SG_ENOMEM;
    put(f, "load", st);
    if (doc) {
        put(f, "lint", sg_lint(doc, &o, d));
        put(f, "json", sg_document_write_json(doc, f, 1));
        for (int form = 0; form < 2; form++) {
            sg_bytes *body = NULL;
            sg_status ns = sg_normalize(
                doc, &o, form ? SG_NORMALIZE_CANONICAL : SG_NORMALIZE_PRETTY, d, &body);
            put(f, form ? "canonical" : "pretty", ns);
            if (body)
                fwrite(sg_bytes_data(body), 1, sg_bytes_len(body), f);
            sg_bytes_free(body);
        }
        sg_import_options imp;
        sg_import_options_init(&imp);
        sg_plan *plan = NULL;
        put(f, "plan", sg_plan_new(doc, NULL, NULL, &imp, &o, d, &plan));
        if (plan)
            sg_plan_write(plan, f, SG_REPORT_JSON);
        sg_plan_free(plan);
    }
    if (d) {
        sg_diagnostics_sort(d);
        for (int fmt = SG_REPORT_TEXT; fmt <= SG_REPORT_JUNIT; fmt++) {
            sg_report_options ro = {(sg_report_format)fmt, 0, 1};
            sg_reporter *r = sg_reporter_new(f, &ro);
            put(f, "report", r ? sg_reporter_file(r, path, d) : SG_ENOMEM);
            if (r)
                sg_reporter_finish(r);
            sg_reporter_free(r);
        }
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: locale LOCALE FILE...\n");
        return 2;
    }
    size_t n = (size_t)argc - 2;
    char **want = calloc(n, sizeof *want);
    size_t *wlen = calloc(n, sizeof *wlen);
    if (!want || !wlen)
        return 99;
    for (size_t i = 0; i < n; i++) /* in the C locale, as the program starts */
        if (!(want[i] = outputs(argv[i + 2], &wlen[i])))
            return 99;
    char enoent_c[128];
    snprintf(enoent_c, sizeof enoent_c, "%s", strerror(ENOENT));

    if (!setlocale(LC_ALL, argv[1])) {
        printf("SKIP: setlocale(LC_ALL, \"%s\") failed: the locale is not installed\n", argv[1]);
        return 77;
    }
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 1.5);
    if (strcmp(probe, "1,5") != 0) { /* the controls: the locale must matter */
        printf("SKIP: %s prints 1.5 as \"%s\", not with a decimal comma\n", argv[1], probe);
        return 77;
    }
    if (strcmp(strerror(ENOENT), enoent_c) == 0) {
        printf("SKIP: %s has no translated C library messages (apt-get install libc-l10n): "
               "errno texts are not proved\n",
               argv[1]);
        return 77;
    }
    size_t same = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        char *got = outputs(argv[i + 2], &len);
        if (!got)
            return 99;
        if (len == wlen[i] && memcmp(got, want[i], len) == 0) {
            same++;
            bytes += len;
        } else {
            size_t k = 0;
            while (k < len && k < wlen[i] && got[k] == want[i][k])
                k++;
            printf("FAIL: %s: the output under %s differs from the C locale's at byte %zu\n",
                   argv[i + 2], argv[1], k);
            const char *dump = getenv("SWAGGATE_LOCALE_DUMP");
            for (int w = 0; dump && w < 2; w++) {
                char p[512];
                snprintf(p, sizeof p, "%s.%s", dump, w ? "locale" : "c");
                FILE *f = fopen(p, "wb");
                if (f) {
                    fwrite(w ? got : want[i], 1, w ? len : wlen[i], f);
                    fclose(f);
                }
            }
        }
        free(got);
        free(want[i]);
    }
    free(want);
    free(wlen);
    printf("locale: %zu of %zu files wrote the same %zu bytes under %s as under C\n", same, n,
           bytes, argv[1]);
    return same == n ? 0 : 1;
}
