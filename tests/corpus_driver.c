/* The golden-corpus driver. Each case is a folder under corpus/ holding
 *   input.json | input.yaml | input.yml | input   the document
 *   expected.diag   "status: ok|unusable", then one "line:col severity rule"
 *                   line per diagnostic, in sorted order, ending in the
 *                   APIG error code when the diagnostic has one
 *                   ("12:7 error apig-policy-undefined APIG.3005"); a line
 *                   written without its code still matches (older cases),
 *                   --accept writes them all with codes
 *   expected.json   optional: the document as `swaggate convert` prints it
 *   options         optional: "limit NAME=VALUE", "profile swagger|apig",
 *                   "format json|yaml", "chunk N", "strict", one per line
 * Every case is run whole and again with the input fed in 1, 3 and 7 byte
 * chunks; the results must be identical. On a mismatch the driver prints
 * the difference and the command that accepts the new result.
 *
 * Usage: corpus_driver [--accept] DIR...   (each DIR a case or a tree of them)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "internal.h"

static int accept_mode;
static int n_pass, n_fail;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sgi_buf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        sgi_buf_append(&b, tmp, n);
    fclose(f);
    if (!b.data)
        sgi_buf_append(&b, "", 0);
    return b.data;
}

static int spew(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Apply the lines of the options file; returns 0 on a bad line. */
static int read_options(const char *dir, sg_options *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/options", dir);
    char *text = slurp(path);
    if (!text)
        return 1;
    int ok = 1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64];
        unsigned long long v;
        char word[32];
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (sscanf(line, "limit %63[a-z-]=%llu", name, &v) == 2)
            ok &= sg_limits_set(&o->limits, name, v) == SG_OK;
        else if (sscanf(line, "profile %31s", word) == 1)
            o->profile = strcmp(word, "swagger") == 0 ? SG_PROFILE_SWAGGER : SG_PROFILE_APIG;
        else if (sscanf(line, "format %31s", word) == 1)
            o->format = strcmp(word, "json") == 0 ? SG_FORMAT_JSON : SG_FORMAT_YAML;
        else if (strcmp(line, "strict") == 0)
            o->strict = 1;
        else if (sscanf(line, "chunk %llu", &v) == 1)
            o->read_chunk = (size_t)v;
        else {
            fprintf(stderr, "%s: bad options line: %s\n", path, line);
            ok = 0;
        }
    }
    free(text);
    return ok;
}

/* Run one case: the diag text (and the JSON when loaded) into OUT_DIAG and
 * OUT_JSON (malloc'ed). */
static void run_case(const char *input, const sg_options *o, char **out_diag, char **out_json)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_status st = sg_document_load(input, o, d, &doc);
    if (st == SG_OK)
        st = sg_lint(doc, o, d);
    sg_diagnostics_sort(d);
    sgi_buf b = {0};
    sgi_buf_printf(&b, "status: %s\n", st == SG_OK ? "ok" : st == SG_EINPUT ? "unusable" : sg_status_string(st));
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        sgi_buf_printf(&b, "%u:%u %s %s%s%s\n", g->start.line, g->start.column,
                       sg_severity_name(g->severity), g->rule, g->apig_code ? " " : "",
                       g->apig_code ? g->apig_code : "");
        /* Every rule a diagnostic names must be in the catalog. */
        if (!sg_rule_find(g->rule))
            sgi_buf_printf(&b, "!! rule %s is not in the catalog\n", g->rule);
    }
    *out_diag = b.data;
    *out_json = NULL;
    if (doc) {
        sgi_buf j = {0};
        sgi_emit_json(&j, sg_document_root(doc), 2);
        sgi_buf_append(&j, "\n", 1);
        *out_json = j.data;
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
}

/* GOT matches WANT line by line, where a WANT line without an APIG code
 * matches a GOT line that adds one. */
static int diag_match(const char *want, const char *got)
{
    while (*want && *got) {
        size_t wl = strcspn(want, "\n"), gl = strcspn(got, "\n");
        int same = wl == gl && memcmp(want, got, wl) == 0;
        if (!same && gl > wl + 6 && memcmp(want, got, wl) == 0 &&
            memcmp(got + wl, " APIG.", 6) == 0 && !memchr(got + wl + 1, ' ', gl - wl - 1))
            same = 1;
        if (!same)
            return 0;
        want += wl + (want[wl] == '\n');
        got += gl + (got[gl] == '\n');
    }
    return *want == '\0' && *got == '\0';
}

static void show_diff(const char *what, const char *want, const char *got)
{
    fprintf(stderr, "  expected %s:\n", what);
    fprintf(stderr, "%s", want);
    fprintf(stderr, "  got:\n");
    fprintf(stderr, "%s", got ? got : "(nothing)\n");
}

static void one_case(const char *dir, const char *input)
{
    sg_options o;
    sg_options_init(&o);
    if (!read_options(dir, &o)) {
        n_fail++;
        return;
    }
    char *diag = NULL, *json = NULL;
    run_case(input, &o, &diag, &json);

    char dpath[4096], jpath[4096];
    snprintf(dpath, sizeof dpath, "%s/expected.diag", dir);
    snprintf(jpath, sizeof jpath, "%s/expected.json", dir);
    char *want_diag = slurp(dpath);
    char *want_json = slurp(jpath);
    int ok = 1;

    /* The result must not depend on how the reader is fed. */
    static const size_t chunks[] = {1, 3, 7};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0] && o.read_chunk == 0; i++) {
        sg_options oc = o;
        oc.read_chunk = chunks[i];
        char *d2 = NULL, *j2 = NULL;
        run_case(input, &oc, &d2, &j2);
        if (strcmp(d2, diag) != 0 || (json && j2 && strcmp(json, j2) != 0) || (!json) != (!j2)) {
            fprintf(stderr, "FAIL %s: fed in %zu-byte chunks, the result differs\n", dir, chunks[i]);
            show_diff("(whole input)", diag, d2);
            ok = 0;
        }
        free(d2);
        free(j2);
    }

    if (accept_mode) {
        spew(dpath, diag);
        if (json && (want_json || strstr(diag, "status: ok")))
            spew(jpath, json);
        printf("accepted %s\n", dir);
    } else {
        if (!want_diag || !diag_match(want_diag, diag)) {
            fprintf(stderr, "FAIL %s: diagnostics differ\n", dir);
            show_diff("diagnostics", want_diag ? want_diag : "(no expected.diag)\n", diag);
            ok = 0;
        }
        if (want_json && (!json || strcmp(want_json, json) != 0)) {
            fprintf(stderr, "FAIL %s: converted JSON differs\n", dir);
            show_diff("JSON", want_json, json);
            ok = 0;
        }
        if (!ok)
            fprintf(stderr, "  to accept the new result: tests/corpus_driver --accept %s\n", dir);
    }
    ok ? n_pass++ : n_fail++;
    free(diag);
    free(json);
    free(want_diag);
    free(want_json);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir)
{
    static const char *const inputs[] = {"input.json", "input.yaml", "input.yml", "input"};
    char path[4096];
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, inputs[i]);
        if (is_file(path)) {
            one_case(dir, path);
            return;
        }
    }
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (is_dir(path))
            walk(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--accept") == 0) {
        accept_mode = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: corpus_driver [--accept] DIR...\n");
        return 2;
    }
    for (int i = first; i < argc; i++)
        walk(argv[i]);
    printf("corpus: %d passed, %d failed\n", n_pass, n_fail);
    return n_fail == 0 && n_pass > 0 ? 0 : 1;
}
