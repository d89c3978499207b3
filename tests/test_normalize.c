/* Unit tests of the normalizer (src/normalize.c, src/jcs.c): RFC 8785
 * numbers (Appendix B's table, written here as data: IEEE bits and the
 * expected text), the number policy on document text (kept, refused),
 * string escapes, member order by UTF-16 code units, bundling of file $refs
 * in real temporary folders (names, collisions, homes, cycles across files,
 * refs back to the root, inlined path items), and refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static char *jcs_double(double d)
{
    sgi_buf b = {0};
    sgi_buf_append(&b, "", 0);
    sgi_jcs_double(&b, d);
    ck_assert(!b.oom);
    return b.data;
}

static sg_document *parse_json(const char *text, sg_diagnostics *d)
{
    sg_options o;
    sg_options_init(&o);
    o.format = SG_FORMAT_JSON;
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("t.json", text, strlen(text), &o, d, &doc), SG_OK);
    return doc;
}

/* The normalizer's spelling of the single number in TEXT ("[n]"), and
 * its status in *R. */
static char *number(const char *n, int *r)
{
    char text[600];
    snprintf(text, sizeof text, "[%s]", n);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = parse_json(text, d);
    sgi_buf b = {0};
    sgi_buf_append(&b, "", 0);
    *r = sgi_jcs_number(&b, json_object_array_get_idx(sg_document_root(doc), 0), NULL);
    ck_assert(!b.oom);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return b.data;
}

/* Canonical bytes of DOC (SG_OK expected). */
static char *canonical(const sg_document *doc, sg_diagnostics *d)
{
    sg_bytes *out = NULL;
    sg_status st = sg_normalize(doc, NULL, SG_NORMALIZE_CANONICAL, d, &out);
    if (st != SG_OK) {
        for (size_t i = 0; i < sg_diagnostics_count(d); i++)
            fprintf(stderr, "%s\n", sg_diagnostics_get(d, i)->message);
    }
    ck_assert_int_eq(st, SG_OK);
    ck_assert_uint_eq(strlen(sg_bytes_data(out)), sg_bytes_len(out));
    char *s = strdup(sg_bytes_data(out));
    sg_bytes_free(out);
    return s;
}

static char *canonical_text(const char *json)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = parse_json(json, d);
    char *s = canonical(doc, d);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return s;
}

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/sg-normalize-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    char *r = realpath(d, NULL);
    ck_assert_ptr_nonnull(r);
    return r;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700); /* one level of subfolder is enough here */
    *slash = '/';
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void rm_tree(char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* Normalize DIR/input.yaml; its status, the canonical bytes in *OUT (or
 * NULL) and the diagnostics in *D (the caller frees both). */
static sg_status bundle(const char *dir, char **out, sg_diagnostics **d)
{
    char path[600];
    snprintf(path, sizeof path, "%s/input.yaml", dir);
    *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_load(path, NULL, *d, &doc), SG_OK);
    sg_bytes *b = NULL;
    sg_status st = sg_normalize(doc, NULL, SG_NORMALIZE_CANONICAL, *d, &b);
    *out = b ? strdup(sg_bytes_data(b)) : NULL;
    sg_bytes_free(b);
    sg_document_free(doc);
    return st;
}

static int has_rule(const sg_diagnostics *d, const char *rule, unsigned line, unsigned col)
{
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (strcmp(g->rule, rule) == 0 && (!line || (g->start.line == line &&
                                                     g->start.column == col)))
            return 1;
    }
    return 0;
}

#define HEAD "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\n"

/* ---- numbers ------------------------------------------------------------- */

/* RFC 8785 Appendix B: IEEE 754 bits and the expected text. */
START_TEST(test_appendix_b)
{
    static const struct {
        uint64_t bits;
        const char *text;
    } v[] = {
        {0x0000000000000000u, "0"},
        {0x8000000000000000u, "0"},
        {0x0000000000000001u, "5e-324"},
        {0x8000000000000001u, "-5e-324"},
        {0x7fefffffffffffffu, "1.7976931348623157e+308"},
        {0xffefffffffffffffu, "-1.7976931348623157e+308"},
        {0x4340000000000000u, "9007199254740992"},
        {0xc340000000000000u, "-9007199254740992"},
        {0x4430000000000000u, "295147905179352830000"},
        {0x44b52d02c7e14af5u, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6u, "1e+23"},
        {0x44b52d02c7e14af7u, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4eu, "999999999999999700000"},
        {0x444b1ae4d6e2ef4fu, "999999999999999900000"},
        {0x444b1ae4d6e2ef50u, "1e+21"},
        {0x3eb0c6f7a0b5ed8cu, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8du, "0.000001"},
        {0x41b3de4355555553u, "333333333.3333332"},
        {0x41b3de4355555554u, "333333333.33333325"},
        {0x41b3de4355555555u, "333333333.3333333"},
        {0x41b3de4355555556u, "333333333.3333334"},
        {0x41b3de4355555557u, "333333333.33333343"},
        {0xbecbf647612f3696u, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959u, "1424953923781206.2"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *s = jcs_double(from_bits(v[i].bits));
        ck_assert_msg(strcmp(s, v[i].text) == 0, "%016llx: %s, expected %s",
                      (unsigned long long)v[i].bits, s, v[i].text);
        free(s);
    }
    /* NaN and the infinities have no JSON form */
    sgi_buf b = {0};
    ck_assert_int_eq(sgi_jcs_double(&b, from_bits(0x7fffffffffffffffu)), 0);
    ck_assert_int_eq(sgi_jcs_double(&b, from_bits(0x7ff0000000000000u)), 0);
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_thresholds)
{
    /* ECMAScript's layout: plain up to 1e21 and down to 1e-6 */
    static const struct {
        double d;
        const char *text;
    } v[] = {
        {1e21, "1e+21"}, {1e20, "100000000000000000000"}, {1e-7, "1e-7"},
        {1e-6, "0.000001"}, {123e-9, "1.23e-7"}, {0.1, "0.1"}, {0.1 + 0.2, "0.30000000000000004"},
        {-1.5, "-1.5"}, {100, "100"}, {1.5e300, "1.5e+300"}, {2.5e-5, "0.000025"},
        {4.35, "4.35"}, {0.5, "0.5"}, {-0.0, "0"}, {5e-324, "5e-324"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *s = jcs_double(v[i].d);
        ck_assert_msg(strcmp(s, v[i].text) == 0, "%.17g: %s, expected %s", v[i].d, s, v[i].text);
        free(s);
    }
}
END_TEST

START_TEST(test_shortest_roundtrip)
{
    /* Every spelling reads back as the same double, and no shorter one
     * does; over a spread of magnitudes, subnormals and powers of two. */
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 5000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double d = from_bits(x & 0x7fffffffffffffffu);
        if (i % 4 == 1)
            d = ldexp(1.0, (int)(x % 2100) - 1074);
        if (d != d || d - d != 0)
            continue;
        char *s = jcs_double(d);
        ck_assert_msg(strtod(s, NULL) == d, "%s does not read back as %.17g", s, d);
        free(s);
    }
}
END_TEST

START_TEST(test_document_numbers)
{
    static const struct {
        const char *in, *out;
        int r;
    } v[] = {
        {"0", "0", SGI_JCS_DOUBLE},
        {"-0", "0", SGI_JCS_DOUBLE},
        {"-0.0", "0", SGI_JCS_DOUBLE},
        {"0e5", "0", SGI_JCS_DOUBLE},
        {"1e21", "1e+21", SGI_JCS_DOUBLE},
        /* an integer spelled in digits stays so (draft-04 integer), kept */
        {"1000000000000000000000", "1000000000000000000000", SGI_JCS_EXACT},
        {"-10000000000000000000000", "-10000000000000000000000", SGI_JCS_EXACT},
        {"100000000000000000000", "100000000000000000000", SGI_JCS_DOUBLE},
        {"1e-7", "1e-7", SGI_JCS_DOUBLE},
        {"5e-324", "5e-324", SGI_JCS_DOUBLE},
        {"1.7976931348623157e308", "1.7976931348623157e+308", SGI_JCS_DOUBLE},
        {"9007199254740992", "9007199254740992", SGI_JCS_DOUBLE},
        {"9007199254740993", "9007199254740993", SGI_JCS_EXACT},
        {"-9007199254740993", "-9007199254740993", SGI_JCS_EXACT},
        {"9223372036854775807", "9223372036854775807", SGI_JCS_EXACT},
        {"18446744073709551615", "18446744073709551615", SGI_JCS_EXACT},
        {"0.1", "0.1", SGI_JCS_DOUBLE},
        {"0.30000000000000004", "0.30000000000000004", SGI_JCS_DOUBLE},
        {"1.10", "1.1", SGI_JCS_DOUBLE},
        {"4.50", "4.5", SGI_JCS_DOUBLE},
        {"2e-3", "0.002", SGI_JCS_DOUBLE},
        {"1E30", "1e+30", SGI_JCS_DOUBLE},
        /* a fraction of 17 digits: read as its double (RFC 8785 3.2.2) */
        {"333333333.33333329", "333333333.3333333", SGI_JCS_ROUNDED},
        {"0.10000000000000001", "0.1", SGI_JCS_ROUNDED},
        {"1.0000000000000001", "1", SGI_JCS_ROUNDED},
        /* more digits than a double: kept */
        {"0.10000000000000000555", "0.10000000000000000555", SGI_JCS_EXACT},
        {"3.141592653589793238462643383279", "3.141592653589793238462643383279", SGI_JCS_EXACT},
        /* past the range, or subnormal: kept */
        {"1e400", "1e+400", SGI_JCS_EXACT},
        {"-1.5e-400", "-1.5e-400", SGI_JCS_EXACT},
        {"4.9406564584124654e-324", "4.9406564584124654e-324", SGI_JCS_EXACT},
        {"123456789012345678901234567890", "123456789012345678901234567890", SGI_JCS_EXACT},
        {"1.23456789012345678901234567890e29", "1.2345678901234567890123456789e+29", SGI_JCS_EXACT},
        /* an exponent of more than 15 digits: refused */
        {"1e1000000000000000", "", SGI_JCS_REFUSED},
        {"0e1000000000000000", "0", SGI_JCS_DOUBLE},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int r;
        char *s = number(v[i].in, &r);
        ck_assert_msg(strcmp(s, v[i].out) == 0 && r == v[i].r, "%s: %s (%d), expected %s (%d)",
                      v[i].in, s, r, v[i].out, v[i].r);
        /* what is written reads back to itself */
        if (r != SGI_JCS_REFUSED) {
            int r2;
            char *again = number(s, &r2);
            ck_assert_str_eq(again, s);
            ck_assert_int_eq(r2, r == SGI_JCS_ROUNDED ? SGI_JCS_DOUBLE : r);
            free(again);
        }
        free(s);
    }
}
END_TEST

START_TEST(test_number_findings)
{
    const char *text = "{\"swagger\":\"2.0\",\"x\":[1,\n 9007199254740993, 9007199254740993,\n"
                       "  1e1000000000000000]}";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = parse_json(text, d);
    sg_bytes *out = (sg_bytes *)1;
    ck_assert_int_eq(sg_normalize(doc, NULL, SG_NORMALIZE_PRETTY, d, &out), SG_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert(has_rule(d, "normalize-number", 3, 3));
    ck_assert(has_rule(d, "normalize-number-kept", 2, 2));
    ck_assert(has_rule(d, "normalize-number-kept", 2, 20));
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_str_eq(g->pointer, "/x/1");
    ck_assert_ptr_nonnull(strstr(g->message, "9007199254740992"));
    ck_assert_ptr_nonnull(sg_rule_find("normalize-number"));
    ck_assert_ptr_nonnull(sg_rule_find("normalize-number-kept"));
    ck_assert_ptr_nonnull(sg_rule_find("normalize-bundle"));
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- strings and member order ------------------------------------------- */

START_TEST(test_strings)
{
    char *s = canonical_text("[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/\\u007f\","
                             "\"\\u2028\\u2029\",\"\\ud83d\\ude00\\u00e9\\u20ac\"]");
    ck_assert_str_eq(s, "[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/\x7f\","
                        "\"\xe2\x80\xa8\xe2\x80\xa9\",\"\xf0\x9f\x98\x80\xc3\xa9\xe2\x82\xac\"]");
    free(s);
}
END_TEST

START_TEST(test_key_order)
{
    /* U+E000..U+FFFF sort after the surrogates of U+10000.. in UTF-16,
     * before them in UTF-8 bytes */
    ck_assert_int_lt(sgi_jcs_key_cmp("\xf0\x9f\x98\x80", "\xee\x80\x80"), 0);
    ck_assert_int_gt(sgi_jcs_key_cmp("\xef\xbf\xbf", "\xf0\x90\x80\x80"), 0);
    ck_assert_int_lt(sgi_jcs_key_cmp("\xed\x9f\xbf", "\xf0\x90\x80\x80"), 0); /* U+D7FF */
    ck_assert_int_lt(sgi_jcs_key_cmp("\xf0\x90\x80\x80", "\xf0\x90\x80\x81"), 0);
    ck_assert_int_lt(sgi_jcs_key_cmp("\xf0\x90\x8f\xbf", "\xf0\x90\x90\x80"), 0); /* low units */
    ck_assert_int_lt(sgi_jcs_key_cmp("a", "ab"), 0);
    ck_assert_int_gt(sgi_jcs_key_cmp("b", "ab"), 0);
    ck_assert_int_eq(sgi_jcs_key_cmp("\xc3\xb6", "\xc3\xb6"), 0);
    ck_assert_int_lt(sgi_jcs_key_cmp("Z", "a"), 0);
    ck_assert_int_lt(sgi_jcs_key_cmp("\x7f", "\xc2\x80"), 0);
    /* the whole document, nested */
    char *s = canonical_text("{\"b\":{\"\\ue000\":1,\"\\ud83d\\ude00\":2,\"z\":3},\"a\":[{\"y\":1,"
                             "\"x\":2}],\"\":0}");
    ck_assert_str_eq(s, "{\"\":0,\"a\":[{\"x\":2,\"y\":1}],\"b\":{\"z\":3,\"\xf0\x9f\x98\x80\":2,"
                        "\"\xee\x80\x80\":1}}");
    free(s);
}
END_TEST

START_TEST(test_pretty)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = parse_json("{\"b\":[],\"a\":{},\"c\":[1,{\"y\":null,\"x\":true}]}", d);
    sg_bytes *out = NULL;
    ck_assert_int_eq(sg_normalize(doc, NULL, SG_NORMALIZE_PRETTY, d, &out), SG_OK);
    ck_assert_str_eq(sg_bytes_data(out), "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    1,\n"
                                         "    {\n      \"x\": true,\n      \"y\": null\n    }\n"
                                         "  ]\n}\n");
    sg_bytes_free(out);
    /* usage */
    ck_assert_int_eq(sg_normalize(doc, NULL, SG_NORMALIZE_PRETTY, d, NULL), SG_EUSAGE);
    out = (sg_bytes *)1;
    ck_assert_int_eq(sg_normalize(NULL, NULL, SG_NORMALIZE_PRETTY, d, &out), SG_EUSAGE);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(sg_normalize(doc, NULL, (sg_normalize_style)7, d, &out), SG_EUSAGE);
    sg_bytes_free(NULL);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_yaml_constructs)
{
    /* anchors, aliases and merge keys are expanded; YAML and JSON agree */
    const char *yaml = HEAD "paths: {}\nx-base: &b {a: 1, b: [x, y]}\nx-use: {<<: *b, c: 2, a: 3}\n"
                            "x-alias: *b\nx-v: [0x1F, 1.10, .5, ~, yes]\n";
    const char *json = "{\"x-v\":[31,1.1,0.5,null,\"yes\"],\"x-alias\":{\"b\":[\"x\",\"y\"],"
                       "\"a\":1},\"x-use\":{\"c\":2,\"b\":[\"x\",\"y\"],\"a\":3},\"x-base\":{\"a\":1,"
                       "\"b\":[\"x\",\"y\"]},\"paths\":{},\"info\":{\"version\":\"1\",\"title\":\"t\"},"
                       "\"swagger\":\"2.0\"}";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *dy = NULL;
    ck_assert_int_eq(sg_document_parse("t.yaml", yaml, strlen(yaml), NULL, d, &dy), SG_OK);
    char *a = canonical(dy, d), *b = canonical_text(json);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    sg_document_free(dy);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- bundling ------------------------------------------------------------- */

START_TEST(test_bundle_names)
{
    char *dir = tmp_dir();
    put(dir, "input.yaml",
        HEAD "paths:\n  /p:\n    get:\n      parameters:\n        - $ref: 'common.yaml#/parameters/limit'\n"
             "      responses:\n        default: {$ref: 'common.yaml#/responses/Err'}\n"
             "definitions:\n  Pet: {$ref: 'pet.yaml'}\n  Zoo: {$ref: 'pet.yaml'}\n"
             "  Use:\n    properties:\n      a: {$ref: 'a/Thing.yaml'}\n      b: {$ref: 'b/Thing.yaml'}\n"
             "      c: {$ref: 'common.yaml#/definitions/Pet'}\n      d: {$ref: 'x/common.yaml#/definitions/Pet'}\n"
             "      e: {$ref: 'common.yaml#/definitions/odd%20name~1x'}\n");
    put(dir, "pet.yaml", "type: object\nproperties:\n  me: {$ref: 'pet.yaml'}\n");
    put(dir, "common.yaml",
        "parameters:\n  limit: {name: limit, in: query, type: integer}\nresponses:\n"
        "  Err: {description: e, schema: {$ref: '#/definitions/Pet'}}\ndefinitions:\n"
        "  Pet: {type: string}\n  odd name/x: {type: boolean}\n");
    put(dir, "x/common.yaml", "definitions:\n  Pet: {type: integer}\n");
    put(dir, "a/Thing.yaml", "type: string\n");
    put(dir, "b/Thing.yaml", "type: number\n");
    char *out;
    sg_diagnostics *d;
    ck_assert_int_eq(bundle(dir, &out, &d), SG_OK);
    /* Pet is pet.yaml's home (first name); Zoo refers to it; the two Pet of
     * common.yaml files are common.Pet and common.Pet-2 (by file path); the
     * two Thing files are a.Thing and b.Thing. */
    ck_assert_str_eq(out,
        "{\"definitions\":{\"Pet\":{\"properties\":{\"me\":{\"$ref\":\"#/definitions/Pet\"}},"
        "\"type\":\"object\"},\"Use\":{\"properties\":{\"a\":{\"$ref\":\"#/definitions/a.Thing\"},"
        "\"b\":{\"$ref\":\"#/definitions/b.Thing\"},\"c\":{\"$ref\":\"#/definitions/common.Pet\"},"
        "\"d\":{\"$ref\":\"#/definitions/common.Pet-2\"},\"e\":{\"$ref\":\"#/definitions/odd_name_x\"}}},"
        "\"Zoo\":{\"$ref\":\"#/definitions/Pet\"},\"a.Thing\":{\"type\":\"string\"},"
        "\"b.Thing\":{\"type\":\"number\"},\"common.Pet\":{\"type\":\"string\"},"
        "\"common.Pet-2\":{\"type\":\"integer\"},\"odd_name_x\":{\"type\":\"boolean\"}},"
        "\"info\":{\"title\":\"t\",\"version\":\"1\"},\"parameters\":{\"limit\":{\"in\":\"query\","
        "\"name\":\"limit\",\"type\":\"integer\"}},\"paths\":{\"/p\":{\"get\":{\"parameters\":"
        "[{\"$ref\":\"#/parameters/limit\"}],\"responses\":{\"default\":{\"$ref\":\"#/responses/Err\"}}}}},"
        "\"responses\":{\"Err\":{\"description\":\"e\",\"schema\":{\"$ref\":\"#/definitions/common.Pet\"}}},"
        "\"swagger\":\"2.0\"}");
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    free(out);
    sg_diagnostics_free(d);
    rm_tree(dir);
}
END_TEST

START_TEST(test_bundle_cycle_and_back_refs)
{
    char *dir = tmp_dir();
    put(dir, "input.yaml",
        HEAD "paths:\n  /items: {$ref: 'paths.yaml#/items'}\n"
             "definitions:\n  Local: {type: object, properties: {a: {$ref: 'a.yaml#/A'}}}\n"
             "  Kept: {$ref: '#/definitions/Local'}\n");
    put(dir, "a.yaml", "A: {type: object, properties: {b: {$ref: 'b.yaml#/B'}, "
                       "up: {$ref: 'input.yaml#/definitions/Local'}}}\n");
    put(dir, "b.yaml", "B: {type: array, items: {$ref: 'a.yaml#/A'}}\n");
    put(dir, "paths.yaml", "items:\n  get:\n    responses:\n      '200': {description: ok, schema: "
                           "{$ref: 'b.yaml#/B'}}\n");
    char *out;
    sg_diagnostics *d;
    ck_assert_int_eq(bundle(dir, &out, &d), SG_OK);
    ck_assert_str_eq(out,
        "{\"definitions\":{\"A\":{\"properties\":{\"b\":{\"$ref\":\"#/definitions/B\"},"
        "\"up\":{\"$ref\":\"#/definitions/Local\"}},\"type\":\"object\"},\"B\":{\"items\":"
        "{\"$ref\":\"#/definitions/A\"},\"type\":\"array\"},\"Kept\":{\"$ref\":\"#/definitions/Local\"},"
        "\"Local\":{\"properties\":{\"a\":{\"$ref\":\"#/definitions/A\"}},\"type\":\"object\"}},"
        "\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{\"/items\":{\"get\":{\"responses\":"
        "{\"200\":{\"description\":\"ok\",\"schema\":{\"$ref\":\"#/definitions/B\"}}}}}},"
        "\"swagger\":\"2.0\"}");
    free(out);
    sg_diagnostics_free(d);
    rm_tree(dir);
}
END_TEST

START_TEST(test_bundle_refusals)
{
    char *dir = tmp_dir();
    char *out;
    sg_diagnostics *d;
    /* a file $ref that names nothing: the resolver's finding, kept */
    put(dir, "input.yaml", HEAD "paths: {}\ndefinitions:\n  A: {$ref: 'nope.yaml', description: x}\n"
                                "  B: {$ref: '#/definitions/Missing'}\n");
    ck_assert_int_eq(bundle(dir, &out, &d), SG_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert(has_rule(d, "ref-unresolved", 5, 13));
    ck_assert(!has_rule(d, "ref-siblings", 0, 0)); /* lint's business */
    sg_diagnostics_free(d);
    /* a broken internal ref of the root is kept as written */
    put(dir, "input.yaml", HEAD "paths: {}\ndefinitions:\n  B: {$ref: '#/definitions/Missing'}\n");
    ck_assert_int_eq(bundle(dir, &out, &d), SG_OK);
    ck_assert_ptr_nonnull(strstr(out, "\"B\":{\"$ref\":\"#/definitions/Missing\"}"));
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    free(out);
    sg_diagnostics_free(d);
    /* a target written in place (a path item) that holds its own $ref */
    put(dir, "input.yaml", HEAD "paths:\n  /a: {$ref: 'p.yaml#/x'}\n");
    put(dir, "p.yaml", "x:\n  get:\n    x-y: 1\n    responses: {}\n  parameters:\n"
                       "    - name: q\n      in: query\n      type: string\n      items: {$ref: 'p.yaml#/x'}\n");
    ck_assert_int_eq(bundle(dir, &out, &d), SG_EINPUT);
    ck_assert(has_rule(d, "normalize-bundle", 0, 0));
    sg_diagnostics_free(d);
    /* definitions that is not an object cannot take bundled targets */
    put(dir, "input.yaml", HEAD "definitions: [1]\npaths:\n  /a:\n    get:\n      responses:\n"
                                "        default: {description: d, schema: {$ref: 'p.yaml#/x'}}\n");
    ck_assert_int_eq(bundle(dir, &out, &d), SG_EINPUT);
    ck_assert(has_rule(d, "normalize-bundle", 3, 14));
    sg_diagnostics_free(d);
    rm_tree(dir);
}
END_TEST

START_TEST(test_idempotent)
{
    char *dir = tmp_dir();
    put(dir, "input.yaml", HEAD "paths: {}\ndefinitions:\n  A: {$ref: 'a.yaml'}\n  B: {$ref: 'b.yaml#/B'}\n"
                                "x-n: [1.0, 1e400, 9007199254740993]\n");
    put(dir, "a.yaml", "properties: {b: {$ref: 'b.yaml#/B'}}\n");
    put(dir, "b.yaml", "B: {properties: {a: {$ref: 'a.yaml'}}}\n");
    char *first;
    sg_diagnostics *d;
    ck_assert_int_eq(bundle(dir, &first, &d), SG_OK);
    ck_assert(has_rule(d, "normalize-number-kept", 0, 0));
    sg_diagnostics_free(d);
    d = sg_diagnostics_new();
    sg_document *doc = parse_json(first, d);
    char *second = canonical(doc, d);
    ck_assert_str_eq(first, second);
    free(first);
    free(second);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    rm_tree(dir);
}
END_TEST

Suite *suite_normalize(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("jcs");
    tcase_add_test(tc, test_appendix_b);
    tcase_add_test(tc, test_thresholds);
    tcase_add_test(tc, test_shortest_roundtrip);
    tcase_add_test(tc, test_document_numbers);
    tcase_add_test(tc, test_number_findings);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_key_order);
    tcase_add_test(tc, test_pretty);
    tcase_add_test(tc, test_yaml_constructs);
    suite_add_tcase(s, tc);
    tc = tcase_create("bundle");
    tcase_add_test(tc, test_bundle_names);
    tcase_add_test(tc, test_bundle_cycle_and_back_refs);
    tcase_add_test(tc, test_bundle_refusals);
    tcase_add_test(tc, test_idempotent);
    suite_add_tcase(s, tc);
    return s;
}
