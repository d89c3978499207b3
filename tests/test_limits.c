/* Unit tests of limits, options and the static tables (src/limits.c,
 * src/rules.c): defaults as documented, setting by name within hard caps,
 * the description table, and the rule catalog covering every rule id the
 * library emits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* ---- limits ---------------------------------------------------------------- */

/* The defaults are those of the table in limits.h, and the table says what
 * HOSTILE.md section 4 suggests. */
START_TEST(test_defaults)
{
    sg_limits l;
    memset(&l, 0xAB, sizeof l);
    sg_limits_init(&l);
#define CHECK_DEF_(field, name, def, cap, doc) ck_assert_uint_eq(l.field, (uint64_t)(def));
    SG_LIMITS_TABLE(CHECK_DEF_)
#undef CHECK_DEF_
    ck_assert_uint_eq(l.max_file_bytes, 32u * 1024 * 1024);
    ck_assert_uint_eq(l.max_depth, 256);
    ck_assert_uint_eq(l.max_nodes, 10000000u);
    ck_assert_uint_eq(l.max_alias_nodes, 1000000u);
    ck_assert_uint_eq(l.max_key_bytes, 65536u);
    ck_assert_uint_eq(l.max_diagnostics, 1000u);
    ck_assert_uint_eq(l.excerpt_chars, 80u);
    /* json-c takes int lengths: no file of INT_MAX bytes, whatever the limit */
    uint64_t cap = 0;
    for (size_t i = 0; sg_limits_describe(i, NULL, NULL, NULL, NULL); i++) {
        const char *name;
        sg_limits_describe(i, &name, NULL, &cap, NULL);
        if (strcmp(name, "file-size") == 0)
            ck_assert_uint_lt(cap, 2147483647u);
    }
}
END_TEST

START_TEST(test_options_init)
{
    sg_options o;
    memset(&o, 0x5A, sizeof o);
    sg_options_init(&o);
    sg_limits l;
    sg_limits_init(&l);
    ck_assert_mem_eq(&o.limits, &l, sizeof l);
    ck_assert_int_eq(o.format, SG_FORMAT_AUTO);
    ck_assert_int_eq(o.profile, SG_PROFILE_APIG);
    ck_assert_uint_eq(o.read_chunk, 0);
}
END_TEST

/* Every limit by name: 1 and the cap are accepted and land in the right
 * field (and only there); 0 and cap + 1 are refused and change nothing. */
START_TEST(test_set_each)
{
    static const struct {
        const char *name;
        size_t offset;
        uint64_t cap;
    } table[] = {
#define ROW_(field, name, def, cap, doc) {name, offsetof(sg_limits, field), (uint64_t)(cap)},
        SG_LIMITS_TABLE(ROW_)
#undef ROW_
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        sg_limits l, before;
        sg_limits_init(&l);
        before = l;
        const uint64_t tries[] = {1, table[i].cap, 12345 < table[i].cap ? 12345 : 2};
        for (size_t t = 0; t < 3; t++) {
            ck_assert_int_eq(sg_limits_set(&l, table[i].name, tries[t]), SG_OK);
            uint64_t got;
            memcpy(&got, (char *)&l + table[i].offset, sizeof got);
            ck_assert_uint_eq(got, tries[t]);
            /* the other fields did not move */
            sg_limits other = l;
            memcpy((char *)&other + table[i].offset, (char *)&before + table[i].offset,
                   sizeof got);
            ck_assert_mem_eq(&other, &before, sizeof before);
        }
        sg_limits_init(&l);
        ck_assert_int_eq(sg_limits_set(&l, table[i].name, 0), SG_EUSAGE);
        ck_assert_int_eq(sg_limits_set(&l, table[i].name, table[i].cap + 1), SG_EUSAGE);
        ck_assert_int_eq(sg_limits_set(&l, table[i].name, UINT64_MAX), SG_EUSAGE);
        ck_assert_mem_eq(&l, &before, sizeof before);
    }
}
END_TEST

START_TEST(test_set_bad_names)
{
    sg_limits l, before;
    sg_limits_init(&l);
    before = l;
    static const char *const bad[] = {"", "Depth", "depth ", "max_depth", "file_size", "size",
                                      "nodes=5", "unknown"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(sg_limits_set(&l, bad[i], 5) == SG_EUSAGE, "\"%s\" accepted", bad[i]);
    ck_assert_int_eq(sg_limits_set(&l, NULL, 5), SG_EUSAGE);
    ck_assert_int_eq(sg_limits_set(NULL, "depth", 5), SG_EUSAGE);
    ck_assert_mem_eq(&l, &before, sizeof before);
}
END_TEST

START_TEST(test_describe)
{
    static const char *const names[] = {
#define NAME_(field, name, def, cap, doc) name,
        SG_LIMITS_TABLE(NAME_)
#undef NAME_
    };
    size_t n = sizeof names / sizeof names[0];
    size_t i = 0;
    const char *name, *doc;
    uint64_t def, cap;
    sg_limits l;
    sg_limits_init(&l);
    while (sg_limits_describe(i, &name, &def, &cap, &doc)) {
        ck_assert_uint_lt(i, n);
        ck_assert_str_eq(name, names[i]);
        ck_assert_ptr_nonnull(doc);
        ck_assert_uint_gt(strlen(doc), 10);
        ck_assert_uint_ge(def, 1);
        ck_assert_uint_le(def, cap);
        /* the default described is the default set, and the cap the cap */
        sg_limits probe = l;
        ck_assert_int_eq(sg_limits_set(&probe, name, def), SG_OK);
        ck_assert_mem_eq(&probe, &l, sizeof l);
        ck_assert_int_eq(sg_limits_set(&probe, name, cap), SG_OK);
        ck_assert_int_eq(sg_limits_set(&probe, name, cap + 1), SG_EUSAGE);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(names[j], name); /* unique */
        i++;
    }
    ck_assert_uint_eq(i, n);
    ck_assert_int_eq(sg_limits_describe(n, &name, &def, &cap, &doc), 0);
    ck_assert_int_eq(sg_limits_describe((size_t)-1, NULL, NULL, NULL, NULL), 0);
    ck_assert_int_eq(sg_limits_describe(0, NULL, NULL, NULL, NULL), 1);
}
END_TEST

START_TEST(test_status_strings)
{
    static const sg_status all[] = {SG_OK, SG_EINPUT, SG_EUSAGE, SG_ENOMEM, SG_EINTERNAL};
    for (size_t i = 0; i < 5; i++) {
        const char *s = sg_status_string(all[i]);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_gt(strlen(s), 0);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(sg_status_string(all[j]), s);
    }
    ck_assert_ptr_nonnull(sg_status_string((sg_status)99));
    ck_assert_ptr_nonnull(sg_severity_name((sg_severity)99));
    ck_assert_str_eq(sg_version(), SG_VERSION_STRING);
}
END_TEST

/* ---- rule catalog ------------------------------------------------------------ */

START_TEST(test_catalog)
{
    size_t n = 0;
    for (const sg_rule *r; (r = sg_rule_at(n)) != NULL; n++) {
        ck_assert_ptr_nonnull(r->id);
        ck_assert_uint_gt(strlen(r->id), 0);
        for (const char *c = r->id; *c; c++)
            ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                              *c == '.',
                          "rule id \"%s\"", r->id);
        ck_assert_msg(!strcmp(r->checker, "model") || !strcmp(r->checker, "resolve") ||
                          !strcmp(r->checker, "schema") || !strcmp(r->checker, "swagger") ||
                          !strcmp(r->checker, "apig") || !strcmp(r->checker, "config") ||
                          !strcmp(r->checker, "import") || !strcmp(r->checker, "normalize"),
                      "%s: checker %s", r->id, r->checker);
        ck_assert_uint_le((unsigned)r->severity, SG_SEVERITY_ERROR);
        ck_assert_ptr_nonnull(r->summary);
        ck_assert_uint_gt(strlen(r->summary), 5);
        ck_assert_ptr_eq(sg_rule_find(r->id), r);
        for (size_t j = 0; j < n; j++)
            ck_assert_str_ne(sg_rule_at(j)->id, r->id);
    }
    ck_assert_uint_gt(n, 0);
    ck_assert_ptr_null(sg_rule_at(n));
    ck_assert_ptr_null(sg_rule_at((size_t)-1));
    ck_assert_ptr_null(sg_rule_find(NULL));
    ck_assert_ptr_null(sg_rule_find(""));
    ck_assert_ptr_null(sg_rule_find("no-such-rule"));
    ck_assert_ptr_null(sg_rule_find("Duplicate-Key"));
}
END_TEST

/* The rule ids the library uses (listed by hand from src/), each with an
 * input that produces it. Every one must be in the catalog, with the
 * severity the diagnostic has; and every diagnostic produced names a
 * catalog rule. */
static const struct {
    const char *rule;
    const char *file; /* NULL: load a missing file */
    const char *in;
    int lint;
} producers[] = {
    {"io", NULL, NULL, 0},
    {"encoding", "x.json", "{\"a\": \"\xff\"}", 0},
    {"json-syntax", "x.json", "{\"a\": 1,}", 0},
    {"yaml-syntax", "x.yaml", "a: [1\n", 0},
    {"empty-document", "x.yaml", "# nothing\n", 0},
    {"limit", "x.yaml", "a: 0x10000000000000000\n", 0}, /* past 64 bits */
    {"yaml-multiple-documents", "x.yaml", "a: 1\n---\nb: 2\n", 0},
    {"yaml-key", "x.yaml", "? [a]\n: b\n", 0},
    {"yaml-alias", "x.yaml", "a: *nope\n", 0},
    {"yaml-merge", "x.yaml", "m: {<<: 1}\n", 0},
    {"yaml-tag", "x.yaml", "a: !custom y\n", 0},
    {"yaml-non-finite", "x.yaml", "a: .inf\n", 0},
    {"yaml-1.1-scalar", "x.yaml", "a: yes\n", 0},
    {"duplicate-key", "x.yaml", "a: 1\na: 2\n", 0},
    {"key-nul", "x.json", "{\"\\u0000\": 1}", 0},
    {"document-root", "x.json", "[1]", 1},
    {"swagger-version", "x.yaml", "swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n", 1},
    {"version-type", "x.yaml", "swagger: '2.0'\ninfo: {title: t, version: 1.0}\npaths: {}\n", 1},
};

START_TEST(test_rule_ids_in_catalog)
{
    const char *want = producers[_i].rule;
    const sg_rule *r = sg_rule_find(want);
    ck_assert_msg(r != NULL, "rule \"%s\" is used by the library but not in the catalog", want);
    ck_assert_str_eq(r->checker, "model");

    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (producers[_i].file == NULL) {
        ck_assert_int_eq(sg_document_load("/nonexistent/swaggate/x.yaml", NULL, d, &doc),
                         SG_EINPUT);
    } else {
        const char *in = producers[_i].in;
        sg_status st = sg_document_parse(producers[_i].file, in, strlen(in), NULL, d, &doc);
        if (producers[_i].lint) {
            ck_assert_int_eq(st, SG_OK);
            ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
        }
    }
    int found = 0;
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        const sg_rule *gr = sg_rule_find(g->rule);
        ck_assert_msg(gr != NULL, "diagnostic rule \"%s\" not in the catalog", g->rule);
        ck_assert_msg(gr->severity == g->severity, "%s: catalog severity %s, diagnostic %s",
                      g->rule, sg_severity_name(gr->severity), sg_severity_name(g->severity));
        found |= strcmp(g->rule, want) == 0;
    }
    ck_assert_msg(found, "no \"%s\" diagnostic from its input", want);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* Every model rule of the catalog has a producer above (none is dead). */
START_TEST(test_catalog_rules_produced)
{
    for (size_t i = 0; sg_rule_at(i); i++) {
        const sg_rule *r = sg_rule_at(i);
        if (strcmp(r->checker, "model") != 0)
            continue;
        int listed = 0;
        for (size_t p = 0; p < sizeof producers / sizeof producers[0]; p++)
            listed |= strcmp(producers[p].rule, r->id) == 0;
        ck_assert_msg(listed, "catalog rule \"%s\" has no producer in this test", r->id);
    }
}
END_TEST

Suite *suite_limits(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_options_init);
    tcase_add_test(tc, test_set_each);
    tcase_add_test(tc, test_set_bad_names);
    tcase_add_test(tc, test_describe);
    tcase_add_test(tc, test_status_strings);
    suite_add_tcase(s, tc);

    tc = tcase_create("rules");
    tcase_add_test(tc, test_catalog);
    tcase_add_loop_test(tc, test_rule_ids_in_catalog, 0,
                        (int)(sizeof producers / sizeof producers[0]));
    tcase_add_test(tc, test_catalog_rules_produced);
    suite_add_tcase(s, tc);
    return s;
}
