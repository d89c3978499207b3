/* Unit tests of sg_lint (src/lint.c): the model checks every profile runs
 * (root is an object, swagger is the string "2.0", info.version is a
 * string), their positions, pointers and messages, and the argument
 * checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* Lint IN (as NAME) with PROFILE; the findings in the builder-test notation
 * "L:C severity rule pointer apig". Caller frees. */
static char *lint(const char *name, const char *in, sg_profile profile, sg_diagnostics **out)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse(name, in, strlen(in), NULL, d, &doc), SG_OK);
    size_t before = sg_diagnostics_count(d);
    sg_options opts;
    sg_options_init(&opts);
    opts.profile = profile;
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_OK);
    sgi_buf b = {0};
    sgi_buf_puts(&b, "");
    int first = 1;
    for (size_t i = before; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        /* This suite is about the model checker; the schema, swagger and
         * apig checkers have suites of their own. */
        const sg_rule *r = sg_rule_find(g->rule);
        ck_assert_ptr_nonnull(r);
        if (strcmp(r->checker, "model") != 0)
            continue;
        sgi_buf_printf(&b, "%s%u:%u %s %s %s %s", first ? "" : "; ", g->start.line,
                       g->start.column, sg_severity_name(g->severity), g->rule,
                       g->pointer ? g->pointer : "-", g->apig_code ? g->apig_code : "-");
        ck_assert_str_eq(g->file, name);
        first = 0;
    }
    sg_document_free(doc);
    if (out)
        *out = d;
    else
        sg_diagnostics_free(d);
    return b.data;
}

typedef struct lcase {
    const char *name;
    const char *file;
    const char *in;
    const char *want;
    const char *msg; /* part of the first finding's message */
} lcase;

static const lcase cases[] = {
    {"clean json", "x.json",
     "{\"swagger\": \"2.0\", \"info\": {\"title\": \"tst\", \"version\": \"1.0\"}, \"paths\": {}}", "",
     NULL},
    {"clean yaml", "x.yaml", "swagger: \"2.0\"\ninfo:\n  title: tst\n  version: '1.10'\npaths: {}\n",
     "", NULL},
    {"swagger missing", "x.yaml", "info: {title: tst, version: '1'}\npaths: {}\n",
     "1:1 error swagger-version  APIG.3601", "no \"swagger\""},
    {"swagger 3.0", "x.yaml", "swagger: '3.0'\ninfo: {title: tst, version: '1'}\n",
     "1:10 error swagger-version /swagger APIG.3601", "\"3.0\""},
    {"openapi 3", "x.json", "{\"openapi\": \"3.0.0\"}", "1:1 error swagger-version  APIG.3601",
     NULL},
    {"swagger 2.0 unquoted", "x.yaml", "swagger: 2.0\ninfo: {title: tst, version: '1'}\n",
     "1:10 error swagger-version /swagger APIG.3601", "quote it"},
    {"swagger 2", "x.yaml", "swagger: 2\n", "1:10 error swagger-version /swagger APIG.3601",
     "number 2,"},
    {"swagger number in json", "x.json", "{\"swagger\": 2.0}",
     "1:13 error swagger-version /swagger APIG.3601", "quote it"},
    {"swagger true", "x.yaml", "swagger: true\n", "1:10 error swagger-version /swagger APIG.3601",
     "non-string"},
    {"swagger null", "x.yaml", "swagger:\n", "1:9 error swagger-version /swagger APIG.3601",
     NULL},
    {"swagger escaped", "x.json", "{\"swagger\": \"\\u001b[2J\\u202e\"}",
     "1:13 error swagger-version /swagger APIG.3601", "\\u001B[2J\\u202E"},
    {"version 1.10", "x.yaml", "swagger: '2.0'\ninfo:\n  title: tst\n  version: 1.10\n",
     "4:12 error version-type /info/version -", "1.10"},
    {"version int", "x.yaml", "swagger: '2.0'\ninfo: {version: 1}\n",
     "2:17 error version-type /info/version -", "version: \"1\""},
    {"version big", "x.json",
     "{\"swagger\": \"2.0\", \"info\": {\"version\": 18446744073709551616}}",
     "1:40 error version-type /info/version -", "18446744073709551616"},
    {"version uint64", "x.json",
     "{\"swagger\": \"2.0\", \"info\": {\"version\": 18446744073709551615}}",
     "1:40 error version-type /info/version -", "18446744073709551615"},
    {"both", "x.yaml", "swagger: 2.0\ninfo: {version: 1.0}\n",
     "1:10 error swagger-version /swagger APIG.3601; 2:17 error version-type /info/version -",
     NULL},
    {"info not an object", "x.yaml", "swagger: '2.0'\ninfo: 1.0\n", "", NULL},
    {"root array", "x.json", "[1]", "1:1 error document-root  APIG.3601", "array"},
    {"root number", "x.json", "42", "1:1 error document-root  APIG.3601", "int"},
    {"root string", "x.yaml", "'swagger: 2.0'\n", "1:1 error document-root  APIG.3601", "string"},
    {"root null", "x.yaml", "--- ~\n", "1:5 error document-root  APIG.3601", "null"},
};

START_TEST(test_table)
{
    const lcase *c = &cases[_i];
    sg_diagnostics *d;
    char *got = lint(c->file, c->in, SG_PROFILE_APIG, &d);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: \"%s\", expected \"%s\"", c->name, got, c->want);
    if (c->msg) {
        const sg_diagnostic *g = sg_diagnostics_get(d, 0);
        ck_assert_ptr_nonnull(g);
        ck_assert_msg(contains(g->message, c->msg), "%s: message \"%s\" lacks \"%s\"", c->name,
                      g->message, c->msg);
        ck_assert_ptr_null(strchr(g->message, '\x1b'));
    }
    free(got);
    sg_diagnostics_free(d);
    /* The swagger profile runs the same model checks. */
    got = lint(c->file, c->in, SG_PROFILE_SWAGGER, NULL);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s (swagger profile): \"%s\"", c->name, got);
    free(got);
}
END_TEST

/* The finding carries the source line of the value. */
START_TEST(test_source_line)
{
    sg_diagnostics *d;
    char *got = lint("x.yaml", "info: {}\nswagger:   2.0   # the version\n", SG_PROFILE_APIG, &d);
    ck_assert_str_eq(got, "2:12 error swagger-version /swagger APIG.3601");
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->source_line, "swagger:   2.0   # the version");
    ck_assert_msg(contains(sg_diagnostics_get(d, 0)->message, "swagger: \"2.0\""), "%s",
                  sg_diagnostics_get(d, 0)->message);
    free(got);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_args)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    static const char clean[] = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"tst\", "
                                "\"version\": \"1\"}, \"paths\": {}}";
    ck_assert_int_eq(sg_document_parse("x.json", clean, strlen(clean), NULL, d, &doc), SG_OK);
    sg_options opts;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_lint(NULL, &opts, d), SG_EUSAGE);
    ck_assert_int_eq(sg_lint(NULL, NULL, NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_lint(doc, &opts, NULL), SG_EUSAGE);
    opts.profile = (sg_profile)7;
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_EUSAGE);
    opts.profile = (sg_profile)-1;
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_EUSAGE);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    /* NULL options: the defaults */
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sg_document_free(doc);

    /* a finding does not change the status, and linting twice finds twice */
    ck_assert_int_eq(sg_document_parse("x.json", "[]", 2, NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 2);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* Lint only reads the document: the same findings from several threads'
 * worth of calls, and the model unchanged. */
START_TEST(test_document_unchanged)
{
    static const char in[] = "swagger: 2.0\ninfo: {title: tst, version: 1.10}\npaths: {}\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    sgi_buf before = {0}, after = {0};
    sgi_emit_json(&before, sg_document_root(doc), -1);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    sgi_emit_json(&after, sg_document_root(doc), -1);
    ck_assert_str_eq(before.data, after.data);
    ck_assert_uint_eq(sg_diagnostics_count(d), 6);
    for (size_t i = 0; i < 6; i += 2) {
        ck_assert_str_eq(sg_diagnostics_get(d, i)->message, sg_diagnostics_get(d, 0)->message);
        ck_assert_str_eq(sg_diagnostics_get(d, i + 1)->rule, "version-type");
    }
    sgi_buf_fini(&before);
    sgi_buf_fini(&after);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

Suite *suite_lint(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("model");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_source_line);
    tcase_add_test(tc, test_args);
    tcase_add_test(tc, test_document_unchanged);
    suite_add_tcase(s, tc);
    return s;
}
