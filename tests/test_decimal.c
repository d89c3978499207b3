/* Unit tests of exact numbers (src/decimal.c): comparison, multipleOf,
 * the draft-04 integer test, deep equality and the hash, over numbers as the
 * builder makes them (parsed from JSON text) and as json-c makes them (int64,
 * uint64, doubles with and without text). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "unit.h"
#include "check_swagger.h"

/* The document [A, B] (JSON text) parsed by the library: the model's own
 * numbers and values. */
static sg_document *parse_pair(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 8;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "[%s, %s]", a, b);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_status st = sg_document_parse("t.json", text, strlen(text), NULL, d, &doc);
    ck_assert_msg(st == SG_OK, "cannot parse %s", text);
    sg_diagnostics_free(d);
    free(text);
    return doc;
}

static struct json_object *item(sg_document *doc, size_t i)
{
    return json_object_array_get_idx(sg_document_root(doc), i);
}

/* A number as json-c would hold it: "i:" int64, "u:" uint64, "d:" a double
 * without text, "s:" a double with the text that follows. */
static struct json_object *jc_number(const char *spec)
{
    const char *t = spec + 2;
    switch (spec[0]) {
    case 'i':
        return json_object_new_int64(strtoll(t, NULL, 10));
    case 'u':
        return json_object_new_uint64(strtoull(t, NULL, 10));
    case 'd':
        return json_object_new_double(strtod(t, NULL));
    default:
        return json_object_new_double_s(strtod(t, NULL), t);
    }
}

/* ---- comparison ------------------------------------------------------ */

static const struct {
    const char *a, *b;
    int cmp;
} cmp_cases[] = {
    {"1", "1.0", 0},
    {"-0", "0", 0},
    {"-0.0", "0e7", 0},
    {"0.3", "0.30", 0},
    {"10e-1", "1", 0},
    {"1E2", "100", 0},
    {"1e+2", "100.000", 0},
    {"0.1e1", "1", 0},
    {"5", "-5", 1},
    {"-5", "-4.999", -1},
    {"1e308", "1e400", -1},
    {"1e400", "1e401", -1},
    {"-1e400", "1e-400", -1},
    {"1e-400", "0", 1},
    {"-1e-400", "-0", -1},
    {"1e-400", "1e-401", 1},
    {"0.1", "0.10000000000000001", -1},
    {"0.0075", "0.0001", 1},
    {"18446744073709551615", "18446744073709551616", -1},
    {"18446744073709551600", "18446744073709551615", -1},
    {"-18446744073709551600", "-18446744073709551615", 1},
    {"9223372036854775807", "9223372036854775808", -1},
    {"-9223372036854775808", "-9223372036854775809", 1},
    {"9.727837981879871e+26", "9.727837981879871e+26", 0},
    {"-9.727837981879871e+26", "-9.727837981879871e+26", 0},
    {"12345678910111213141516171819202122232425262728293031",
     "1.2345678910111213141516171819202122232425262728293031e52", 0},
    {"123456789012345678901234567890", "123456789012345678901234567891", -1},
    {"123456789012345678901234567890", "1.2345678901234567890123456789e29", 0},
    {"1e99999999999999999999", "1e99999999999999999998", 1},
    {"10e99999999999999999998", "1e99999999999999999999", 0},
    {"1e99999999999999999999", "1e-99999999999999999999", 1},
    {"-1e99999999999999999999", "1e-99999999999999999999", -1},
    {"1e-99999999999999999999", "0", 1},
    {"1e00000000000000000000000000003", "1000", 0},
};

START_TEST(test_cmp)
{
    sg_document *doc = parse_pair(cmp_cases[_i].a, cmp_cases[_i].b);
    int c = sgi_number_cmp(item(doc, 0), item(doc, 1));
    ck_assert_msg(c == cmp_cases[_i].cmp, "%s vs %s: %d, expected %d", cmp_cases[_i].a,
                  cmp_cases[_i].b, c, cmp_cases[_i].cmp);
    c = sgi_number_cmp(item(doc, 1), item(doc, 0));
    ck_assert_int_eq(c, -cmp_cases[_i].cmp);
    sg_document_free(doc);
}
END_TEST

/* json-c's own forms against each other and against text. */
static const struct {
    const char *a, *b;
    int cmp;
} jc_cases[] = {
    {"u:18446744073709551615", "s:18446744073709551616", -1},
    {"u:18446744073709551615", "s:18446744073709551615", 0},
    {"u:9223372036854775808", "i:9223372036854775807", 1},
    {"i:-9223372036854775808", "s:-9223372036854775808.0", 0},
    {"i:3", "d:3", 0},
    {"d:0.1", "s:0.1", 0},
    {"d:1e300", "s:1e300", 0},
    {"d:-0.0", "i:0", 0},
    {"d:2.5", "s:2.50", 0},
    {"i:1", "s:1.0", 0},
};

START_TEST(test_cmp_json_c)
{
    struct json_object *a = jc_number(jc_cases[_i].a), *b = jc_number(jc_cases[_i].b);
    ck_assert_msg(sgi_number_cmp(a, b) == jc_cases[_i].cmp, "%s vs %s", jc_cases[_i].a,
                  jc_cases[_i].b);
    ck_assert_int_eq(sgi_number_cmp(b, a), -jc_cases[_i].cmp);
    if (jc_cases[_i].cmp == 0) {
        ck_assert(sgi_json_equal(a, b));
        ck_assert_uint_eq(sgi_json_hash(a), sgi_json_hash(b));
    }
    json_object_put(a);
    json_object_put(b);
}
END_TEST

/* ---- multipleOf ------------------------------------------------------- */

static const struct {
    const char *x, *m;
    int r;
} mult_cases[] = {
    {"0.3", "0.01", 1},
    {"0.0075", "0.0001", 1},
    {"1e308", "0.5", 1}, /* optional/float-overflow */
    {"10", "3", 0},
    {"4.5", "1.5", 1},
    {"0.3", "0.2", 0},
    {"1", "0.3", 0},
    {"0", "7", 1},
    {"-0.0", "0.7", 1},
    {"-6", "3", 1},
    {"7.5", "2.5", 1},
    {"19.99", "0.01", 1},
    {"19.999", "0.01", 0},
    {"0.1", "0.01", 1},
    {"1e400", "1e-400", 1},
    {"1e-400", "1e400", 0},
    {"1e-400", "1e-401", 1},
    {"123456789012345678901234567890", "10", 1},
    {"123456789012345678901234567890", "3", 1},
    {"123456789012345678901234567891", "3", 0},
    {"246913578024691357802469135780", "123456789012345678901234567890", 1},
    {"246913578024691357802469135781", "123456789012345678901234567890", 0},
    {"2.4691357802469135780246913578e40", "1.2345678901234567890123456789e10", 1},
    {"1e99999999999999999999", "2", 1},
    {"1e99999999999999999999", "0.0000000000000000000000000000004", 1},
    {"3e99999999999999999999", "7", 0},
    {"1e-99999999999999999999", "1", 0},
    {"18446744073709551615", "5", 1},
    {"18446744073709551615", "18446744073709551615", 1},
    {"36893488147419103230", "18446744073709551615", 1},
    {"36893488147419103231", "18446744073709551615", 0},
    {"5", "0", -1}, /* not a valid multipleOf: no division by zero */
};

START_TEST(test_multiple_of)
{
    sg_document *doc = parse_pair(mult_cases[_i].x, mult_cases[_i].m);
    int r = sgi_number_multiple_of(item(doc, 0), item(doc, 1));
    ck_assert_msg(r == mult_cases[_i].r, "%s multipleOf %s: %d, expected %d", mult_cases[_i].x,
                  mult_cases[_i].m, r, mult_cases[_i].r);
    sg_document_free(doc);
}
END_TEST

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Long operands: exact within the work budget, -1 past it, always fast. */
START_TEST(test_multiple_of_bounded)
{
    size_t n = 200000;
    char *big = malloc(n + 1), *div = malloc(5001);
    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_nonnull(div);
    memset(big, '7', n);
    big[n] = '\0';
    memset(div, '7', 5000);
    div[5000] = '\0';
    double t0 = now();
    sg_document *doc = parse_pair(big, div);
    /* 7...7 (200000) / 7...7 (5000): exact answer costs 10^9 digit steps */
    ck_assert_int_eq(sgi_number_multiple_of(item(doc, 0), item(doc, 1)), -1);
    sg_document_free(doc);
    /* with a short divisor it stays exact: 7...7 (n) / 7777777 is
     * (10^n - 1) / (10^7 - 1), whole when 7 divides n */
    doc = parse_pair(big, "7777777");
    ck_assert_int_eq(sgi_number_multiple_of(item(doc, 0), item(doc, 1)), 0);
    sg_document_free(doc);
    big[199997] = '\0';
    doc = parse_pair(big, "7777777");
    ck_assert_int_eq(sgi_number_multiple_of(item(doc, 0), item(doc, 1)), 1);
    sg_document_free(doc);
    big[199997] = '7';
    div[2000] = '\0';
    big[200000 - 1] = '\0'; /* 199999 sevens: 2000 does not divide it */
    doc = parse_pair(big, div);
    int r = sgi_number_multiple_of(item(doc, 0), item(doc, 1));
    ck_assert(r == 0 || r == -1);
    sg_document_free(doc);
    doc = parse_pair("1e-99999999999999999999999999999999999", "1e99999999999999999999999999999999");
    ck_assert_int_eq(sgi_number_multiple_of(item(doc, 0), item(doc, 1)), 0);
    ck_assert_int_eq(sgi_number_multiple_of(item(doc, 1), item(doc, 0)), 1);
    sg_document_free(doc);
    ck_assert_msg(now() - t0 < 2.0, "took %.2f s", now() - t0);
    free(big);
    free(div);
}
END_TEST

/* ---- integer ---------------------------------------------------------- */

static const struct {
    const char *text;
    int integer;
} int_cases[] = {
    {"1", 1},
    {"-1", 1},
    {"0", 1},
    {"-0", 1},
    {"1.0", 0}, /* optional/zeroTerminatedFloats */
    {"1e2", 0},
    {"1E0", 0},
    {"12345678910111213141516171819202122232425262728293031", 1},
    {"-12345678910111213141516171819202122232425262728293031", 1},
    {"18446744073709551615", 1},
    {"0.5", 0},
    {"\"1\"", 0},
    {"true", 0},
    {"null", 0},
};

START_TEST(test_is_integer)
{
    sg_document *doc = parse_pair(int_cases[_i].text, "0");
    ck_assert_msg(sgi_number_is_integer(item(doc, 0)) == int_cases[_i].integer, "%s",
                  int_cases[_i].text);
    sg_document_free(doc);
}
END_TEST

START_TEST(test_is_integer_json_c)
{
    static const struct {
        const char *spec;
        int integer;
    } c[] = {{"i:5", 1}, {"u:18446744073709551615", 1}, {"d:5", 1}, {"d:5.5", 0},
             {"d:1e300", 1}, {"d:-0.0", 1}, {"s:5", 1}, {"s:5.0", 0}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct json_object *v = jc_number(c[i].spec);
        ck_assert_msg(sgi_number_is_integer(v) == c[i].integer, "%s", c[i].spec);
        json_object_put(v);
    }
}
END_TEST

/* Whole numbers by value (counts and limits the checkers read): a double
 * with no fraction counts, clamped to int64 as json-c clamps integers. */
START_TEST(test_whole_number)
{
    static const struct {
        const char *spec;
        int whole;
        int64_t value;
    } c[] = {{"i:5", 1, 5},
             {"i:-3", 1, -3},
             {"u:18446744073709551615", 1, INT64_MAX},
             {"s:1e3", 1, 1000},
             {"s:1.0", 1, 1},
             {"d:1.5", 0, 0},
             {"d:-0.0", 1, 0},
             {"d:9007199254740993", 1, 9007199254740992}, /* the double nearest */
             {"d:9223372036854775808", 1, INT64_MAX},
             {"d:-9223372036854775808", 1, INT64_MIN},
             {"d:1e300", 1, INT64_MAX},
             {"d:-1e300", 1, INT64_MIN}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct json_object *v = jc_number(c[i].spec);
        int64_t n = 42;
        ck_assert_msg(sgi_sw_whole_number(v, &n) == c[i].whole, "%s", c[i].spec);
        ck_assert_msg(n == (c[i].whole ? c[i].value : 42), "%s: %lld", c[i].spec, (long long)n);
        json_object_put(v);
    }
    struct json_object *str = json_object_new_string("5");
    int64_t n = 42;
    ck_assert_int_eq(sgi_sw_whole_number(str, &n), 0);
    struct json_object *nan = json_object_new_double(NAN);
    ck_assert_int_eq(sgi_sw_whole_number(nan, &n), 0);
    json_object_put(nan);
    ck_assert_int_eq(sgi_sw_whole_number(NULL, &n), 0);
    ck_assert_int_eq(n, 42);
    json_object_put(str);
}
END_TEST

/* ---- equality and hash ------------------------------------------------ */

static const struct {
    const char *a, *b;
    int equal;
} eq_cases[] = {
    {"1", "1.0", 1},
    {"1", "10e-1", 1},
    {"0", "-0.0", 1},
    {"1e400", "10e399", 1},
    {"18446744073709551615", "18446744073709551615.0", 1},
    {"123456789012345678901234567890", "1.2345678901234567890123456789e29", 1},
    {"1e99999999999999999999", "0.1e100000000000000000000", 1},
    {"1", "2", 0},
    {"1", "\"1\"", 0},
    {"0", "false", 0},
    {"null", "false", 0},
    {"null", "null", 1},
    {"true", "true", 1},
    {"\"a\"", "\"a\"", 1},
    {"\"a\\u0000b\"", "\"a\\u0000c\"", 0},
    {"\"a\\u0000b\"", "\"a\\u0000b\"", 1},
    {"\"a\"", "\"a\\u0000\"", 0},
    {"\"\"", "null", 0},
    {"[1, 2]", "[1.0, 2e0]", 1},
    {"[1, 2]", "[2, 1]", 0},
    {"[1]", "[1, 1]", 0},
    {"[]", "{}", 0},
    {"{\"a\": 1, \"b\": [true, null]}", "{\"b\": [true, null], \"a\": 1.00}", 1},
    {"{\"a\": 1}", "{\"a\": 1, \"b\": 1}", 0},
    {"{\"a\": 1, \"b\": 1}", "{\"a\": 1, \"c\": 1}", 0},
    {"{\"a\": null}", "{\"b\": null}", 0},
    {"{\"a\": null}", "{}", 0},
    {"{\"a\": {\"x\": [1, {\"y\": 2}]}}", "{\"a\": {\"x\": [1.0, {\"y\": 20e-1}]}}", 1},
    {"{\"a\": {\"x\": [1, {\"y\": 2}]}}", "{\"a\": {\"x\": [1.0, {\"y\": 2.1}]}}", 0},
};

START_TEST(test_equal_hash)
{
    sg_document *doc = parse_pair(eq_cases[_i].a, eq_cases[_i].b);
    struct json_object *a = item(doc, 0), *b = item(doc, 1);
    ck_assert_msg(sgi_json_equal(a, b) == eq_cases[_i].equal, "%s == %s", eq_cases[_i].a,
                  eq_cases[_i].b);
    ck_assert_int_eq(sgi_json_equal(b, a), eq_cases[_i].equal);
    ck_assert(sgi_json_equal(a, a));
    if (eq_cases[_i].equal)
        ck_assert_uint_eq(sgi_json_hash(a), sgi_json_hash(b));
    else /* not required, but a hash this weak would be a bug */
        ck_assert_uint_ne(sgi_json_hash(a), sgi_json_hash(b));
    sg_document_free(doc);
}
END_TEST

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Many distinct small values: distinct hashes (a sanity check of mixing,
 * uniqueItems relies on it for speed, not correctness). */
START_TEST(test_hash_spread)
{
    enum { N = 2000 };
    uint64_t *h = malloc(N * sizeof *h);
    ck_assert_ptr_nonnull(h);
    for (int i = 0; i < N; i++) {
        struct json_object *v = json_object_new_int64(i - N / 2);
        h[i] = sgi_json_hash(v);
        json_object_put(v);
    }
    /* sorted, equal hashes are neighbours: one pass instead of N^2 asserts */
    qsort(h, N, sizeof *h, cmp_u64);
    size_t same = 0;
    for (int i = 1; i < N; i++)
        same += h[i] == h[i - 1];
    free(h);
    ck_assert_uint_eq(same, 0);
}
END_TEST

/* ---- JSON-Schema-Test-Suite draft4 optional number files ------------------- */

/* The number keywords these files use, evaluated with this module: type
 * (integer, number, string), maximum/minimum with the boolean exclusive
 * forms, multipleOf. The files are read by the library, so big numbers keep
 * their text. */
static int mini_valid(struct json_object *schema, struct json_object *data)
{
    struct json_object *k, *ex;
    int number = json_object_is_type(data, json_type_int) ||
                 json_object_is_type(data, json_type_double);
    if (json_object_object_get_ex(schema, "type", &k)) {
        const char *t = json_object_get_string(k);
        if (strcmp(t, "integer") == 0 && !sgi_number_is_integer(data))
            return 0;
        if (strcmp(t, "number") == 0 && !number)
            return 0;
        if (strcmp(t, "string") == 0 && !json_object_is_type(data, json_type_string))
            return 0;
    }
    if (!number)
        return 1;
    if (json_object_object_get_ex(schema, "maximum", &k)) {
        int excl = json_object_object_get_ex(schema, "exclusiveMaximum", &ex) &&
                   json_object_get_boolean(ex);
        int c = sgi_number_cmp(data, k);
        if (c > 0 || (excl && c == 0))
            return 0;
    }
    if (json_object_object_get_ex(schema, "minimum", &k)) {
        int excl = json_object_object_get_ex(schema, "exclusiveMinimum", &ex) &&
                   json_object_get_boolean(ex);
        int c = sgi_number_cmp(data, k);
        if (c < 0 || (excl && c == 0))
            return 0;
    }
    if (json_object_object_get_ex(schema, "multipleOf", &k))
        return sgi_number_multiple_of(data, k) == 1;
    return 1;
}

static const char *const number_files[] = {"bignum", "float-overflow", "zeroTerminatedFloats"};

START_TEST(test_suite_file)
{
    const char *base = getenv("SWAGGATE_TESTDATA");
    if (!base || !*base) {
        printf("decimal: SKIP optional/%s.json (set SWAGGATE_TESTDATA=../shared/testdata)\n",
               number_files[_i]);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/json-schema-test-suite/tests/draft4/optional/%s.json", base,
             number_files[_i]);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_msg(sg_document_load(path, NULL, d, &doc) == SG_OK, "cannot read %s", path);
    struct json_object *root = sg_document_root(doc);
    int run = 0, failed = 0;
    for (size_t g = 0; g < json_object_array_length(root); g++) {
        struct json_object *group = json_object_array_get_idx(root, g), *schema, *tests;
        ck_assert(json_object_object_get_ex(group, "schema", &schema));
        ck_assert(json_object_object_get_ex(group, "tests", &tests));
        for (size_t t = 0; t < json_object_array_length(tests); t++) {
            struct json_object *tc = json_object_array_get_idx(tests, t), *data, *valid, *desc;
            json_object_object_get_ex(tc, "data", &data);
            json_object_object_get_ex(tc, "valid", &valid);
            json_object_object_get_ex(tc, "description", &desc);
            run++;
            if (mini_valid(schema, data) != json_object_get_boolean(valid)) {
                failed++;
                fprintf(stderr, "%s: FAIL %s\n", number_files[_i], json_object_get_string(desc));
            }
        }
    }
    printf("optional/%s.json: %d passed, %d failed\n", number_files[_i], run - failed, failed);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    ck_assert_int_eq(failed, 0);
}
END_TEST

Suite *suite_decimal(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("compare");
    tcase_add_loop_test(tc, test_cmp, 0, (int)(sizeof cmp_cases / sizeof cmp_cases[0]));
    tcase_add_loop_test(tc, test_cmp_json_c, 0, (int)(sizeof jc_cases / sizeof jc_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("multiple_of");
    tcase_add_loop_test(tc, test_multiple_of, 0, (int)(sizeof mult_cases / sizeof mult_cases[0]));
    tcase_add_test(tc, test_multiple_of_bounded);
    suite_add_tcase(s, tc);
    tc = tcase_create("integer");
    tcase_add_loop_test(tc, test_is_integer, 0, (int)(sizeof int_cases / sizeof int_cases[0]));
    tcase_add_test(tc, test_is_integer_json_c);
    tcase_add_test(tc, test_whole_number);
    suite_add_tcase(s, tc);
    tc = tcase_create("equal");
    tcase_add_loop_test(tc, test_equal_hash, 0, (int)(sizeof eq_cases / sizeof eq_cases[0]));
    tcase_add_test(tc, test_hash_spread);
    suite_add_tcase(s, tc);
    tc = tcase_create("suite");
    tcase_add_loop_test(tc, test_suite_file, 0,
                        (int)(sizeof number_files / sizeof number_files[0]));
    suite_add_tcase(s, tc);
    return s;
}
