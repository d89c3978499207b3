/* JSON-Schema-Test-Suite (draft4) driver: every test of
 * $SWAGGATE_TESTDATA/json-schema-test-suite/tests/draft4 through the public
 * sg_schema_validate(), with the suite's remotes served under
 * http://localhost:1234/ by sg_schema_set_map() (never the network).
 *
 * The suite files are read with our own reader (json-c's would round big
 * numbers); each schema and instance is written back to JSON text and parsed
 * again as a .json document, so it goes through the reader and builder like
 * any input. Verdict: valid when the validation adds no error finding.
 *
 * Policy: the required tests (the .json files of draft4) must all pass, and so must the
 * optional files that swaggate promises (MUST_PASS below). The other
 * optional files are run and reported, but do not fail the run. Exits 77
 * (skip) when the suite is not there. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "swaggate.h"

static const char *const MUST_PASS[] = {
    "optional/bignum.json",         "optional/ecmascript-regex.json",
    "optional/non-bmp-regex.json",  "optional/zeroTerminatedFloats.json",
    "optional/float-overflow.json", "optional/format/date-time.json",
    "optional/format/email.json",   "optional/format/hostname.json",
    "optional/format/ipv4.json",    "optional/format/ipv6.json",
    "optional/format/uri.json",     NULL};

typedef struct list {
    char **v;
    size_t n, cap;
} list;

static int list_add(list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (nv == NULL)
            return 0;
        l->v = nv;
        l->cap = ncap;
    }
    return (l->v[l->n++] = strdup(s)) != NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json files under DIR/REL (REL "" or ending in '/'), recursively when
 * DEEP, as paths relative to DIR. */
static int collect(const char *dir, const char *rel, int deep, list *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    DIR *dh = opendir(path);
    if (dh == NULL)
        return 0;
    struct dirent *de;
    int ok = 1;
    while (ok && (de = readdir(dh)) != NULL) {
        char sub[4096], full[8192];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s%s", rel, de->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, sub);
        if (stat(full, &st) != 0)
            continue;
        size_t l = strlen(de->d_name);
        if (S_ISDIR(st.st_mode) && deep) {
            char next[4200];
            snprintf(next, sizeof next, "%s/", sub);
            ok = collect(dir, next, deep, out);
        } else if (S_ISREG(st.st_mode) && l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
            ok = list_add(out, sub);
        }
    }
    closedir(dh);
    return ok;
}

static const char *str_member(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return "?";
}

/* V as a document of our own, parsed from its JSON text. json-c writes
 * non-ASCII characters raw; a raw U+FEFF past the start is refused by our
 * reader (a stray BOM), so it is written as the escape \ufeff, which can
 * only stand inside a string. */
static sg_document *reparse(struct json_object *v, const char *name)
{
    const char *text =
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    sg_document *doc = NULL;
    sg_diagnostics *d = sg_diagnostics_new();
    size_t n = text ? strlen(text) : 0, o = 0;
    char *esc = malloc(n * 2 + 1);
    if (text && d && esc) {
        for (size_t i = 0; i < n; i++) {
            if (i + 2 < n && memcmp(text + i, "\xEF\xBB\xBF", 3) == 0) {
                memcpy(esc + o, "\\ufeff", 6);
                o += 6;
                i += 2;
            } else {
                esc[o++] = text[i];
            }
        }
        sg_document_parse(name, esc, o, NULL, d, &doc);
    }
    free(esc);
    sg_diagnostics_free(d);
    return doc;
}

typedef struct counts {
    unsigned passed, failed;
} counts;

/* Run the tests of one file; print its failures. */
static counts run_file(sg_schema_set *set, const char *dir, const char *rel, int quiet)
{
    counts c = {0, 0};
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    sg_diagnostics *ld = sg_diagnostics_new();
    sg_document *file = NULL;
    if (ld == NULL || sg_document_load(path, NULL, ld, &file) != SG_OK ||
        !json_object_is_type(sg_document_root(file), json_type_array)) {
        printf("FAIL %s: cannot read the test file\n", rel);
        c.failed = 1;
        sg_diagnostics_free(ld);
        sg_document_free(file);
        return c;
    }
    sg_diagnostics_free(ld);
    struct json_object *groups = sg_document_root(file);
    for (size_t g = 0; g < json_object_array_length(groups); g++) {
        struct json_object *group = json_object_array_get_idx(groups, g), *schema_v, *tests;
        if (!json_object_object_get_ex(group, "schema", &schema_v) ||
            !json_object_object_get_ex(group, "tests", &tests)) {
            printf("FAIL %s: group %zu has no schema or tests\n", rel, g);
            c.failed++;
            continue;
        }
        sg_document *schema = reparse(schema_v, "schema.json");
        for (size_t t = 0; t < json_object_array_length(tests); t++) {
            struct json_object *test = json_object_array_get_idx(tests, t), *data, *valid_v;
            json_object_object_get_ex(test, "data", &data);
            int want = json_object_object_get_ex(test, "valid", &valid_v) &&
                       json_object_get_boolean(valid_v);
            sg_document *inst = json_object_object_get_ex(test, "data", NULL)
                                    ? reparse(data, "instance.json")
                                    : NULL;
            sg_diagnostics *d = sg_diagnostics_new();
            sg_status st =
                schema && inst && d ? sg_schema_validate(set, schema, inst, NULL, d) : SG_EINTERNAL;
            int got = sg_diagnostics_tally(d, SG_SEVERITY_ERROR) == 0;
            if (st == SG_OK && got == want) {
                c.passed++;
            } else {
                c.failed++;
                if (!quiet) {
                    const sg_diagnostic *first = sg_diagnostics_get(d, 0);
                    printf("FAIL %s: %s / %s: expected %s, got %s%s%s\n", rel,
                           str_member(group, "description"), str_member(test, "description"),
                           want ? "valid" : "invalid",
                           st != SG_OK ? sg_status_string(st)
                           : got       ? "valid"
                                       : "invalid",
                           first ? ": " : "", first ? first->message : "");
                }
            }
            sg_diagnostics_free(d);
            sg_document_free(inst);
        }
        sg_document_free(schema);
    }
    sg_document_free(file);
    return c;
}

int main(void)
{
    const char *base = getenv("SWAGGATE_TESTDATA");
    char dir[4096], remotes[4096];
    DIR *dh = NULL;
    if (base != NULL && *base != '\0') {
        snprintf(dir, sizeof dir, "%s/json-schema-test-suite/tests/draft4", base);
        snprintf(remotes, sizeof remotes, "%s/json-schema-test-suite/remotes", base);
        dh = opendir(dir);
    }
    if (dh == NULL) {
        printf(
            "SKIP: JSON-Schema-Test-Suite not found (set SWAGGATE_TESTDATA=../shared/testdata)\n");
        return 77;
    }
    closedir(dh);

    list required = {0}, optional = {0};
    sg_schema_set *set = sg_schema_set_new();
    if (set == NULL || !collect(dir, "", 0, &required) ||
        !collect(dir, "optional/", 1, &optional)) {
        fprintf(stderr, "out of memory\n");
        return 99;
    }
    if (sg_schema_set_map(set, "http://localhost:1234/", remotes) != SG_OK) {
        printf("FAIL: cannot map http://localhost:1234/ to %s\n", remotes);
        return 1;
    }
    qsort(required.v, required.n, sizeof *required.v, by_name);
    qsort(optional.v, optional.n, sizeof *optional.v, by_name);

    counts total = {0, 0}, req = {0, 0};
    for (size_t i = 0; i < required.n; i++) {
        counts c = run_file(set, dir, required.v[i], 0);
        req.passed += c.passed;
        req.failed += c.failed;
    }
    printf("required (draft4, %zu files): %u passed, %u failed\n", required.n, req.passed,
           req.failed);
    total = req;
    for (size_t i = 0; i < optional.n; i++) {
        int must = 0;
        for (size_t k = 0; MUST_PASS[k]; k++)
            must |= strcmp(MUST_PASS[k], optional.v[i]) == 0;
        counts c = run_file(set, dir, optional.v[i], !must);
        printf("%s: %u passed, %u failed%s\n", optional.v[i], c.passed, c.failed,
               must ? "" : " (optional: reported, not required)");
        if (must) {
            total.passed += c.passed;
            total.failed += c.failed;
        }
    }
    for (size_t k = 0; MUST_PASS[k]; k++) {
        int found = 0;
        for (size_t i = 0; i < optional.n; i++)
            found |= strcmp(MUST_PASS[k], optional.v[i]) == 0;
        if (!found) {
            printf("FAIL %s: missing from the suite\n", MUST_PASS[k]);
            total.failed++;
        }
    }
    for (size_t i = 0; i < required.n; i++)
        free(required.v[i]);
    for (size_t i = 0; i < optional.n; i++)
        free(optional.v[i]);
    free(required.v);
    free(optional.v);
    sg_schema_set_free(set);
    printf("json-schema-test-suite: %u passed, %u failed\n", total.passed, total.failed);
    return total.failed ? 1 : 0;
}
