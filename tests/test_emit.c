/* Unit tests of the emitter (src/emit.c): the growable buffer, JSON string
 * escapes, compact and pretty JSON, exact numbers, RFC 6901 escapes and
 * sg_document_write_json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "unit.h"

static char *emit(struct json_object *v, int indent)
{
    sgi_buf b = {0};
    sgi_emit_json(&b, v, indent);
    ck_assert(!b.oom);
    ck_assert_ptr_nonnull(b.data);
    return b.data;
}

/* ---- buffer ---------------------------------------------------------------- */

START_TEST(test_buf_growth)
{
    sgi_buf b = {0};
    size_t total = 0;
    /* pieces of every length 0..599: 179 700 bytes, checked at the end */
    for (size_t n = 0; n < 600; n++) {
        char piece[600];
        memset(piece, 'a' + (int)(n % 26), n);
        sgi_buf_append(&b, piece, n);
        total += n;
        ck_assert_uint_eq(b.len, total);
        ck_assert_uint_ge(b.cap, b.len + 1);
        ck_assert_int_eq(b.data[b.len], '\0');
    }
    size_t o = 0;
    for (size_t n = 0; n < 600; n++)
        for (size_t i = 0; i < n; i++, o++)
            ck_assert_int_eq(b.data[o], 'a' + (int)(n % 26));
    sgi_buf_fini(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(test_buf_puts_printf)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "x=");
    sgi_buf_printf(&b, "%d/%s/%05.1f", 42, "s", 2.5);
    ck_assert_str_eq(b.data, "x=42/s/002.5");
    /* a long printf crosses the initial capacity */
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sgi_buf_printf(&b, "[%s]", big);
    ck_assert_uint_eq(b.len, 12 + 1001);
    ck_assert_int_eq(b.data[12], '[');
    ck_assert_int_eq(b.data[b.len - 1], ']');
    ck_assert_int_eq(b.data[b.len], '\0');
    /* empty appends change nothing */
    size_t len = b.len;
    sgi_buf_puts(&b, "");
    sgi_buf_printf(&b, "%s", "");
    sgi_buf_append(&b, "zzz", 0);
    ck_assert_uint_eq(b.len, len);
    /* bytes, not C strings: NUL inside */
    sgi_buf_append(&b, "a\0b", 3);
    ck_assert_uint_eq(b.len, len + 3);
    ck_assert_mem_eq(b.data + len, "a\0b", 4);
    sgi_buf_fini(&b);
}
END_TEST

/* Once an append failed (oom set), later appends do nothing. */
START_TEST(test_buf_oom_sticky)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "ok");
    b.oom = 1;
    sgi_buf_puts(&b, "more");
    sgi_buf_printf(&b, "%d", 5);
    sgi_buf_json_string(&b, "s", 1);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_str_eq(b.data, "ok");
    sgi_buf_fini(&b);
    ck_assert_int_eq(b.oom, 0);
}
END_TEST

/* ---- JSON strings ---------------------------------------------------------- */

#define S(lit) lit, sizeof(lit) - 1

static const struct {
    const char *in;
    size_t len;
    const char *want;
} str_cases[] = {
    {S("plain"), "\"plain\""},
    {S(""), "\"\""},
    {S("say \"hi\""), "\"say \\\"hi\\\"\""},
    {S("back\\slash"), "\"back\\\\slash\""},
    {S("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\""},
    {S("\x01\x1f\x0b"), "\"\\u0001\\u001f\\u000b\""},
    {S("a\0b"), "\"a\\u0000b\""},
    {S("a/b</script>"), "\"a/b</script>\""}, /* '/' not escaped */
    {S("\x7f"), "\"\x7f\""},                 /* DEL needs no escape in JSON */
    {S("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\""},
    {S("\xe2\x80\xae"), "\"\xe2\x80\xae\""}, /* data is data: kept */
    {S("x\"\\\n"), "\"x\\\"\\\\\\n\""},
};

START_TEST(test_json_string)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, ">");
    sgi_buf_json_string(&b, str_cases[_i].in, str_cases[_i].len);
    ck_assert_msg(strcmp(b.data + 1, str_cases[_i].want) == 0, "case %d: %s, expected %s", _i,
                  b.data + 1, str_cases[_i].want);
    ck_assert_int_eq(b.data[0], '>');
    sgi_buf_fini(&b);
}
END_TEST

/* Every byte below 0x20: the short escape where JSON has one, else \u00XX. */
START_TEST(test_json_string_all_controls)
{
    for (int c = 0; c < 0x20; c++) {
        char in = (char)c;
        sgi_buf b = {0};
        sgi_buf_json_string(&b, &in, 1);
        char want[16];
        switch (c) {
        case '\b': strcpy(want, "\"\\b\""); break;
        case '\f': strcpy(want, "\"\\f\""); break;
        case '\n': strcpy(want, "\"\\n\""); break;
        case '\r': strcpy(want, "\"\\r\""); break;
        case '\t': strcpy(want, "\"\\t\""); break;
        default: snprintf(want, sizeof want, "\"\\u%04x\"", c);
        }
        ck_assert_msg(strcmp(b.data, want) == 0, "0x%02X: %s", c, b.data);
        sgi_buf_fini(&b);
    }
}
END_TEST

/* What json-c reads back from our string is the original. */
START_TEST(test_json_string_round_trip)
{
    char in[256];
    for (int i = 0; i < 127; i++)
        in[i] = (char)(i + 1); /* 0x01..0x7F */
    sgi_buf b = {0};
    sgi_buf_json_string(&b, in, 127);
    struct json_object *v = json_tokener_parse(b.data);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(json_object_get_string_len(v), 127);
    ck_assert_mem_eq(json_object_get_string(v), in, 127);
    json_object_put(v);
    sgi_buf_fini(&b);
}
END_TEST

/* ---- values ------------------------------------------------------------------ */

static struct json_object *sample(void)
{
    struct json_object *o = json_object_new_object();
    struct json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_int64(1));
    struct json_object *inner = json_object_new_object();
    json_object_object_add(inner, "b", NULL);
    json_object_array_add(a, inner);
    json_object_array_add(a, json_object_new_array());
    json_object_object_add(o, "a", a);
    json_object_object_add(o, "c", json_object_new_object());
    json_object_object_add(o, "d/e", json_object_new_string("x\ny"));
    json_object_object_add(o, "f", json_object_new_boolean(0));
    return o;
}

START_TEST(test_emit_compact)
{
    struct json_object *o = sample();
    char *s = emit(o, -1);
    ck_assert_str_eq(s, "{\"a\":[1,{\"b\":null},[]],\"c\":{},\"d/e\":\"x\\ny\",\"f\":false}");
    free(s);
    json_object_put(o);
    s = emit(NULL, -1);
    ck_assert_str_eq(s, "null");
    free(s);
}
END_TEST

START_TEST(test_emit_pretty)
{
    struct json_object *o = sample();
    char *s = emit(o, 2);
    ck_assert_str_eq(s, "{\n"
                        "  \"a\": [\n"
                        "    1,\n"
                        "    {\n"
                        "      \"b\": null\n"
                        "    },\n"
                        "    []\n"
                        "  ],\n"
                        "  \"c\": {},\n"
                        "  \"d/e\": \"x\\ny\",\n"
                        "  \"f\": false\n"
                        "}");
    free(s);
    s = emit(o, 4);
    ck_assert(strstr(s, "\n    \"a\": [\n        1,") != NULL);
    free(s);
    json_object_put(o);
    struct json_object *e = json_object_new_array();
    s = emit(e, 2);
    ck_assert_str_eq(s, "[]");
    free(s);
    json_object_put(e);
}
END_TEST

/* Member order is kept (insertion order, not sorted). */
START_TEST(test_emit_order)
{
    struct json_object *o = json_object_new_object();
    static const char *const keys[] = {"zeta", "alpha", "mid", "", "Alpha"};
    for (int i = 0; i < 5; i++)
        json_object_object_add(o, keys[i], json_object_new_int(i));
    char *s = emit(o, -1);
    ck_assert_str_eq(s, "{\"zeta\":0,\"alpha\":1,\"mid\":2,\"\":3,\"Alpha\":4}");
    free(s);
    json_object_put(o);
}
END_TEST

START_TEST(test_emit_numbers)
{
    struct json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_int64(INT64_MAX));
    json_object_array_add(a, json_object_new_int64(INT64_MIN));
    json_object_array_add(a, json_object_new_uint64(UINT64_MAX));
    json_object_array_add(a, json_object_new_uint64((uint64_t)INT64_MAX + 1));
    json_object_array_add(a, json_object_new_int(0));
    /* doubles with text: the text */
    json_object_array_add(a, json_object_new_double_s(1.1, "1.10"));
    json_object_array_add(a, json_object_new_double_s(1.0, "1e400"));
    /* doubles without text: shortest form that reads back */
    json_object_array_add(a, json_object_new_double(0.1));
    json_object_array_add(a, json_object_new_double(2.5));
    json_object_array_add(a, json_object_new_double(1.0 / 3.0));
    json_object_array_add(a, json_object_new_double(1e300));
    char *s = emit(a, -1);
    ck_assert_str_eq(s, "[9223372036854775807,-9223372036854775808,18446744073709551615,"
                        "9223372036854775808,0,1.10,1e400,0.1,2.5,0.3333333333333333,1e+300]");
    free(s);
    json_object_put(a);
}
END_TEST

/* A double that is not finite has no JSON spelling: the emitter must not
 * print "inf" or "nan" (json-c prints Infinity/NaN, HOSTILE.md 24). */
START_TEST(test_emit_non_finite)
{
    struct json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_double(INFINITY));
    json_object_array_add(a, json_object_new_double(NAN));
    char *s = emit(a, -1);
    struct json_object *back = json_tokener_parse(s);
    ck_assert_msg(back != NULL && strstr(s, "inf") == NULL && strstr(s, "nan") == NULL,
                  "emitted %s, which is not JSON", s);
    json_object_put(back);
    free(s);
    json_object_put(a);
}
END_TEST

/* Big numbers from a parsed document come out exactly as written. */
START_TEST(test_emit_exact_from_document)
{
    static const char in[] = "[18446744073709551616,123456789012345678901234567890,-9223372036854775809,"
                             "1e400,-1e-400,0.1000000000000000000001,1.10,1E+2,-0.0]";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.json", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    char *s = emit(sg_document_root(doc), -1);
    ck_assert_str_eq(s, in);
    free(s);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* Aliased (shared) nodes are written at each place. */
START_TEST(test_emit_shared)
{
    static const char in[] = "a: &x {k: [1, &y 'v']}\nb: *x\nc: [*y, *y]\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    char *s = emit(sg_document_root(doc), -1);
    ck_assert_str_eq(s, "{\"a\":{\"k\":[1,\"v\"]},\"b\":{\"k\":[1,\"v\"]},\"c\":[\"v\",\"v\"]}");
    free(s);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- pointers ------------------------------------------------------------------ */

START_TEST(test_pointer_append)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        {S("plain"), "plain"},   {S(""), ""},          {S("a/b"), "a~1b"},
        {S("m~n"), "m~0n"},      {S("~1"), "~01"},     {S("/~"), "~1~0"},
        {S("~~//"), "~0~0~1~1"}, {S("/paths/{id}"), "~1paths~1{id}"},
        {S("\xc3\xa9/x"), "\xc3\xa9~1x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sgi_buf b = {0};
        sgi_buf_puts(&b, "/");
        sgi_pointer_append(&b, cases[i].in, cases[i].len);
        ck_assert_msg(strcmp(b.data + 1, cases[i].want) == 0, "case %zu: %s", i, b.data + 1);
        sgi_buf_fini(&b);
    }
    /* the escaped token finds the member again */
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    static const char in[] = "{\"a/b~c\": {\"~1\": 5}}";
    ck_assert_int_eq(sg_document_parse("x.json", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    sgi_buf p = {0};
    sgi_buf_puts(&p, "/");
    sgi_pointer_append(&p, "a/b~c", 5);
    sgi_buf_puts(&p, "/");
    sgi_pointer_append(&p, "~1", 2);
    ck_assert_str_eq(p.data, "/a~1b~0c/~01");
    sg_mark s;
    ck_assert_int_eq(sg_document_locate(doc, p.data, &s, NULL, NULL), SG_OK);
    ck_assert_uint_eq(s.column, 18);
    sgi_buf_fini(&p);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- sg_document_write_json ----------------------------------------------------- */

static char *write_doc(const sg_document *doc, int pretty)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(sg_document_write_json(doc, f, pretty), SG_OK);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_uint_eq(strlen(buf), len);
    return buf;
}

static sg_document *parse(const char *name, const char *in)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse(name, in, strlen(in), NULL, d, &doc), SG_OK);
    sg_diagnostics_free(d);
    return doc;
}

START_TEST(test_write_round_trip)
{
    static const char yaml[] = "swagger: '2.0'\ninfo: {title: \"caf\\u00e9 \\\"q\\\" /x\", version: 1.10}\n"
                               "paths:\n  /p/{id}:\n    get: {responses: {'200': {description: ok}}}\n"
                               "n: [18446744073709551616, 1e3, -0.5, null, true, \"\\t\\x01\"]\n";
    sg_document *y = parse("x.yaml", yaml);
    for (int pretty = 0; pretty <= 1; pretty++) {
        char *once = write_doc(y, pretty);
        ck_assert_int_eq(once[strlen(once) - 1], '\n');
        /* JSON out, read as JSON, written again: the same bytes */
        sg_document *j = parse("x.json", once);
        char *twice = write_doc(j, pretty);
        ck_assert_str_eq(once, twice);
        free(twice);
        sg_document_free(j);
        free(once);
    }
    char *c = write_doc(y, 0);
    ck_assert_str_eq(c, "{\"swagger\":\"2.0\",\"info\":{\"title\":\"caf\xc3\xa9 \\\"q\\\" /x\","
                        "\"version\":1.10},\"paths\":{\"/p/{id}\":{\"get\":{\"responses\":{\"200\":"
                        "{\"description\":\"ok\"}}}}},\"n\":[18446744073709551616,1e3,-0.5,null,"
                        "true,\"\\t\\u0001\"]}\n");
    free(c);
    sg_document_free(y);
}
END_TEST

START_TEST(test_write_errors)
{
    sg_document *doc = parse("x.json", "{\"a\": 1}");
    ck_assert_int_eq(sg_document_write_json(NULL, stdout, 0), SG_EUSAGE);
    ck_assert_int_eq(sg_document_write_json(doc, NULL, 0), SG_EUSAGE);
    /* a full disk: the failure is reported */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        ck_assert_int_eq(sg_document_write_json(doc, full, 1), SG_EINPUT);
        fclose(full);
    } else {
        fprintf(stderr, "test_write_errors: /dev/full missing, full-disk case skipped\n");
    }
    sg_document_free(doc);
}
END_TEST

Suite *suite_emit(void)
{
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("buffer");
    tcase_add_test(tc, test_buf_growth);
    tcase_add_test(tc, test_buf_puts_printf);
    tcase_add_test(tc, test_buf_oom_sticky);
    tcase_add_loop_test(tc, test_json_string, 0, (int)(sizeof str_cases / sizeof str_cases[0]));
    tcase_add_test(tc, test_json_string_all_controls);
    tcase_add_test(tc, test_json_string_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("json");
    tcase_add_test(tc, test_emit_compact);
    tcase_add_test(tc, test_emit_pretty);
    tcase_add_test(tc, test_emit_order);
    tcase_add_test(tc, test_emit_numbers);
    tcase_add_test(tc, test_emit_non_finite);
    tcase_add_test(tc, test_emit_exact_from_document);
    tcase_add_test(tc, test_emit_shared);
    tcase_add_test(tc, test_pointer_append);
    tcase_add_test(tc, test_write_round_trip);
    tcase_add_test(tc, test_write_errors);
    suite_add_tcase(s, tc);
    return s;
}
