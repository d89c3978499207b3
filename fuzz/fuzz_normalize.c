/* libFuzzer harness: normalize as a property. The canonical body of any
 * document that normalizes must parse as JSON, normalize to itself (byte
 * for byte), and lint the same: the rules the schema, swagger and APIG
 * checkers find are those found in the original, as many times each (the
 * places may differ: of two duplicates, the second in the new order is
 * named). One exception: a number written with a fraction or an exponent
 * whose value is whole (2.0, .0, 1e2) is written as RFC 8785 writes it (2,
 * 0, 100), and draft-04 counts only a number without fraction or exponent
 * as an integer, so a finding that it is no integer (default-invalid,
 * schema) goes away. In a document holding such a number, the normalized
 * findings must be some of the original ones: normalizing may remove
 * findings, never add one (crashes/normalize/whole-number-fraction).
 * Findings are not compared when normalize warned normalize-number-rounded:
 * a fraction of at most 17 digits that its double does not spell
 * (8.3000000000000004) is written as that double (8.3), as RFC 8785 asks,
 * while lint reads numbers exactly, so the value lint sees changed and its
 * findings may go either way (crashes/normalize/rounded-multiple-of).
 * Input: byte 0 picks the options (bit 0: JSON rather than YAML; bit 1:
 * RFC 8785 canonical rather than pretty; bit 2: the swagger profile), the
 * rest is the document. */
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "swaggate.h"
#include "fuzz.h"

static sg_document *S_parse(const char *name, const void *p, size_t n, sg_format format)
{
    sg_options o;
    sg_options_init(&o);
    o.format = format;
    o.limits.max_file_bytes = n + 1;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (d)
        sg_document_parse(name, p, n, &o, d, &doc);
    sg_diagnostics_free(d);
    return doc;
}

/* The findings of lint as sorted rule names, one a line, checkers that read
 * bytes and comments left out; NULL when lint finds a model error or runs
 * out of memory (then nothing is compared). */
static char *S_findings(const sg_document *doc, sg_profile profile)
{
    sg_options o;
    sg_options_init(&o);
    o.profile = profile;
    o.schemas = fuzz_schemas();
    sg_diagnostics *d = sg_diagnostics_new();
    char *buf = NULL;
    size_t len = 0;
    if (!d || sg_lint(doc, &o, d) != SG_OK) {
        sg_diagnostics_free(d);
        return NULL;
    }
    size_t n = sg_diagnostics_count(d);
    char **lines = calloc(n ? n : 1, sizeof *lines);
    int ok = lines != NULL && sg_diagnostics_tally(d, SG_SEVERITY_ERROR) +
                                      sg_diagnostics_tally(d, SG_SEVERITY_WARNING) +
                                      sg_diagnostics_tally(d, SG_SEVERITY_INFO) == n;
    size_t k = 0;
    for (size_t i = 0; ok && i < n; i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        const sg_rule *r = sg_rule_find(g->rule);
        if (!r || strcmp(r->checker, "model") == 0 || strcmp(r->checker, "config") == 0) {
            ok = !r || strcmp(r->checker, "model") != 0 || g->severity != SG_SEVERITY_ERROR;
            continue;
        }
        if ((lines[k] = strdup(g->rule)) != NULL)
            k++;
    }
    if (ok) {
        for (size_t i = 1; i < k; i++) /* insertion sort: the lists are short */
            for (size_t j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
                char *t = lines[j];
                lines[j] = lines[j - 1];
                lines[j - 1] = t;
            }
        FILE *f = open_memstream(&buf, &len);
        for (size_t i = 0; f && i < k; i++)
            fprintf(f, "%s\n", lines[i]);
        if (f)
            fclose(f);
    }
    for (size_t i = 0; i < k; i++)
        free(lines[i]);
    free(lines);
    sg_diagnostics_free(d);
    return buf;
}

/* Whether V holds a double with a whole value: the builder makes doubles
 * only of numbers written with a fraction or an exponent. */
static int S_whole_double(struct json_object *v)
{
    if (json_object_is_type(v, json_type_double)) {
        double x = json_object_get_double(v);
        return isfinite(x) && x == floor(x);
    }
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, k, m) {
            (void)k;
            if (S_whole_double(m))
                return 1;
        }
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            if (S_whole_double(json_object_array_get_idx(v, i)))
                return 1;
    }
    return 0;
}

/* Whether D holds a finding of RULE. */
static int S_has_rule(const sg_diagnostics *d, const char *rule)
{
    for (size_t i = 0; i < sg_diagnostics_count(d); i++)
        if (strcmp(sg_diagnostics_get(d, i)->rule, rule) == 0)
            return 1;
    return 0;
}

/* Whether the sorted lines of SUB are some of the sorted lines of ALL. */
static int S_sublist(const char *sub, const char *all)
{
    while (*sub) {
        size_t n = strcspn(sub, "\n");
        for (;;) {
            if (!*all)
                return 0;
            size_t m = strcspn(all, "\n");
            int c = strncmp(all, sub, n < m ? n : m);
            if (c == 0 && n == m) {
                all += m + (all[m] == '\n');
                break;
            }
            if (c > 0 || (c == 0 && m > n))
                return 0; /* ALL is past SUB's line */
            all += m + (all[m] == '\n');
        }
        sub += n + (sub[n] == '\n');
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t b = data[0];
    sg_normalize_style style = b & 2 ? SG_NORMALIZE_CANONICAL : SG_NORMALIZE_PRETTY;
    sg_profile profile = b & 4 ? SG_PROFILE_SWAGGER : SG_PROFILE_APIG;
    sg_document *doc = S_parse(b & 1 ? "fuzz.json" : "fuzz.yaml", data + 1, size - 1,
                               b & 1 ? SG_FORMAT_JSON : SG_FORMAT_YAML);
    if (!doc)
        return 0;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_bytes *once = NULL, *twice = NULL;
    if (d && sg_normalize(doc, NULL, style, d, &once) == SG_OK) {
        FUZZ_ASSERT(once != NULL);
        sg_document *again = S_parse("normalized.json", sg_bytes_data(once), sg_bytes_len(once),
                                     SG_FORMAT_JSON);
        FUZZ_ASSERT(again != NULL); /* the body parses */
        sg_diagnostics *d2 = sg_diagnostics_new();
        if (d2) {
            sg_status st = sg_normalize(again, NULL, style, d2, &twice);
            FUZZ_ASSERT(st == SG_OK || st == SG_ENOMEM);
            if (st == SG_OK) /* a fixed point */
                FUZZ_ASSERT(sg_bytes_len(once) == sg_bytes_len(twice) &&
                            memcmp(sg_bytes_data(once), sg_bytes_data(twice),
                                   sg_bytes_len(once)) == 0);
        }
        int rounded = S_has_rule(d, "normalize-number-rounded");
        char *f1 = rounded ? NULL : S_findings(doc, profile);
        char *f2 = f1 ? S_findings(again, profile) : NULL;
        int whole = S_whole_double(sg_document_root(doc));
        if (f1 && f2 && (whole ? !S_sublist(f2, f1) : strcmp(f1, f2) != 0)) {
            fprintf(stderr, "original:\n%snormalized:\n%s", f1, f2);
            FUZZ_ASSERT(!"the normalized document lints the same");
        }
        free(f1);
        free(f2);
        sg_diagnostics_free(d2);
        sg_document_free(again);
    }
    sg_bytes_free(once);
    sg_bytes_free(twice);
    sg_diagnostics_free(d);
    sg_document_free(doc);
    return 0;
}
