/* Unit tests of draft-04 formats (src/format.c): a compact table per format,
 * and every case of JSON-Schema-Test-Suite draft4 optional/format when
 * SWAGGATE_TESTDATA is set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "unit.h"

static const struct {
    const char *format, *s;
    int valid;
} cases[] = {
    {"date-time", "1963-06-19T08:30:06.283185Z", 1},
    {"date-time", "1963-06-19t08:30:06z", 1},
    {"date-time", "1937-01-01T12:00:27.87+00:20", 1},
    {"date-time", "2000-02-29T00:00:00Z", 1},
    {"date-time", "1900-02-29T00:00:00Z", 0},
    {"date-time", "2004-02-29T00:00:00Z", 1},
    {"date-time", "2003-02-29T00:00:00Z", 0},
    {"date-time", "2003-04-31T00:00:00Z", 0},
    {"date-time", "1998-12-31T23:59:60Z", 1},
    {"date-time", "1998-12-31T15:59:60.123-08:00", 1},
    {"date-time", "1999-01-01T00:29:60+00:30", 1}, /* 23:59:60 UTC the day before */
    {"date-time", "1999-01-01T00:29:60+00:31", 0},
    {"date-time", "1999-01-01T00:30:60+00:31", 1},
    {"date-time", "1998-12-31T23:58:60Z", 0},
    {"date-time", "1990-12-31T24:00:00Z", 0},
    {"date-time", "1990-12-31T15:59:59-24:00", 0},
    {"date-time", "1990-12-31T10:00:00+10:60", 0},
    {"date-time", "1985-04-12T23:20:50+01", 0},
    {"date-time", "1985-04-12T23:20:50.Z", 0},
    {"date-time", "1985-04-12 23:20:50Z", 0},
    {"date-time", "1985-04-12T23:20:50", 0},
    {"date-time", "1985-04-12T23:20:50Z\n", 0},
    {"date-time", "1985-00-12T23:20:50Z", 0},
    {"date-time", "1985-13-12T23:20:50Z", 0},
    {"date-time", "1985-04-00T23:20:50Z", 0},
    {"date-time", "", 0},
    {"email", "joe.bloggs@example.com", 1},
    {"email", "te~st@example.com", 1},
    {"email", "a!#$%&'*+-/=?^_`{|}~z@example.com", 1},
    {"email", "\"joe bloggs\"@example.com", 1},
    {"email", "\"a\\\"b\"@example.com", 1},
    {"email", "joe@localhost", 1},
    {"email", "joe.bloggs@[127.0.0.1]", 1},
    {"email", "joe.bloggs@[IPv6:::1]", 1},
    {"email", "joe.bloggs@[127.0.0.300]", 0},
    {"email", "joe.bloggs@invalid=domain.com", 0},
    {"email", ".test@example.com", 0},
    {"email", "test.@example.com", 0},
    {"email", "te..st@example.com", 0},
    {"email", "joe bloggs@example.com", 0},
    {"email", "@example.com", 0},
    {"email", "joe@", 0},
    {"email", "2962", 0},
    {"email", "\"unterminated@example.com", 0},
    {"email", "j\xc3\xb6" "e@example.com", 0},
    {"hostname", "www.example.com", 1},
    {"hostname", "xn--4gbwdl.xn--wgbh1c", 1},
    {"hostname", "ab--cd.example", 1},
    {"hostname", "1.example", 1},
    {"hostname", "-hostname", 0},
    {"hostname", "hostname-", 0},
    {"hostname", "host_name", 0},
    {"hostname", "a..b", 0},
    {"hostname", ".", 0},
    {"hostname", "example.", 0},
    {"hostname", "", 0},
    {"ipv4", "192.168.0.1", 1},
    {"ipv4", "0.0.0.0", 1},
    {"ipv4", "255.255.255.255", 1},
    {"ipv4", "256.0.0.0", 0},
    {"ipv4", "087.10.0.1", 0},
    {"ipv4", "1.2.3", 0},
    {"ipv4", "1.2.3.4.5", 0},
    {"ipv4", "1.2.3.04", 0},
    {"ipv4", "1.2.3.0004", 0},
    {"ipv4", "1..3.4", 0},
    {"ipv4", "+1.2.3.4", 0},
    {"ipv6", "::1", 1},
    {"ipv6", "::", 1},
    {"ipv6", "1:2:3:4:5:6:7:8", 1},
    {"ipv6", "1::8", 1},
    {"ipv6", "1:2:3:4:5:6:7::", 1},
    {"ipv6", "::2:3:4:5:6:7:8", 1},
    {"ipv6", "1:2:3:4::5:6:7:8", 0},
    {"ipv6", "::ffff:192.168.0.1", 1},
    {"ipv6", "1:2:3:4:5:6:1.2.3.4", 1},
    {"ipv6", "1:2:3:4:5:6:7:1.2.3.4", 0},
    {"ipv6", "::1.2.3.4:5", 0},
    {"ipv6", "1:::2", 0},
    {"ipv6", ":1::2", 0},
    {"ipv6", "1::2:", 0},
    {"ipv6", "12345::", 0},
    {"ipv6", "fe80::a%eth1", 0},
    {"ipv6", "[::1]", 0},
    {"ipv6", "", 0},
    {"uri", "http://foo.bar/?baz=qux#quux", 1},
    {"uri", "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", 1},
    {"uri", "mailto:John.Doe@example.com", 1},
    {"uri", "file:///etc/hosts", 1},
    {"uri", "http://[v7.fe80::a+en1]/", 1},
    {"uri", "http://[::1]:8080/a?b#c", 1},
    {"uri", "http://user:pw@host:80", 1},
    {"uri", "a:", 1},
    {"uri", "http://host:8a/", 0},
    {"uri", "/abc", 0},
    {"uri", "abc", 0},
    {"uri", "//foo.bar", 0},
    {"uri", "http://example.com/%6G", 0},
    {"uri", "http://example.com/%", 0},
    {"uri", "http://example.com/a b", 0},
    {"uri", "http://example.com/#a#b", 0},
    {"uri", "http://[::1/", 0},
    {"uri", "http://[1.2.3.4]/", 0},
    {"uri", "1http://x", 0},
};

START_TEST(test_table)
{
    const char *f = cases[_i].format, *s = cases[_i].s;
    int r = sgi_format_check(f, s, strlen(s));
    ck_assert_msg(r == cases[_i].valid, "%s \"%s\": %d, expected %d", f, s, r, cases[_i].valid);
}
END_TEST

START_TEST(test_unknown_and_nul)
{
    ck_assert_int_eq(sgi_format_check("uuid", "x", 1), -1);
    ck_assert_int_eq(sgi_format_check("regex", "(", 1), -1);
    ck_assert_int_eq(sgi_format_check("", "x", 1), -1);
    ck_assert_int_eq(sgi_format_check(NULL, "x", 1), -1);
    ck_assert_int_eq(sgi_format_check("DATE-TIME", "1963-06-19T08:30:06Z", 20), -1);
    /* the length is what counts: a NUL inside is an invalid character */
    ck_assert_int_eq(sgi_format_check("ipv4", "192.168.0.1\0.evil.com", 21), 0);
    ck_assert_int_eq(sgi_format_check("ipv4", "192.168.0.1\0.evil.com", 11), 1);
    ck_assert_int_eq(sgi_format_check("hostname", "a\0b", 3), 0);
    ck_assert_int_eq(sgi_format_check("email", "a@b\0", 4), 0);
    ck_assert_int_eq(sgi_format_check("uri", "a:b\0", 4), 0);
    ck_assert_int_eq(sgi_format_check("date-time", "1963-06-19T08:30:06Z\0", 21), 0);
}
END_TEST

/* Hostname length: 253 bytes at most (labels of 63 joined by dots). */
START_TEST(test_hostname_length)
{
    char h[300];
    size_t n = 0;
    while (n + 64 <= 253) { /* 3 labels of 63 + dots: 192 bytes */
        memset(h + n, 'a', 63);
        n += 63;
        h[n++] = '.';
    }
    memset(h + n, 'b', 253 - n);
    n = 253;
    h[n] = '\0';
    ck_assert_int_eq(sgi_format_check("hostname", h, n), 1);
    h[n] = 'c';
    h[n + 1] = '\0';
    ck_assert_int_eq(sgi_format_check("hostname", h, n + 1), 0);
}
END_TEST

/* ---- JSON-Schema-Test-Suite draft4 optional/format ------------------------- */

static const char *const suite_files[] = {"date-time", "email", "hostname", "ipv4", "ipv6",
                                          "uri"};

START_TEST(test_suite_file)
{
    const char *base = getenv("SWAGGATE_TESTDATA");
    if (!base || !*base) {
        printf("format: SKIP optional/format/%s.json (set SWAGGATE_TESTDATA=../shared/testdata)\n",
               suite_files[_i]);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/json-schema-test-suite/tests/draft4/optional/format/%s.json",
             base, suite_files[_i]);
    struct json_object *root = json_object_from_file(path);
    ck_assert_msg(root != NULL, "cannot read %s", path);
    int run = 0, failed = 0;
    for (size_t g = 0; g < json_object_array_length(root); g++) {
        struct json_object *group = json_object_array_get_idx(root, g), *schema, *tests, *fmt;
        ck_assert(json_object_object_get_ex(group, "schema", &schema));
        ck_assert(json_object_object_get_ex(group, "tests", &tests));
        ck_assert(json_object_object_get_ex(schema, "format", &fmt));
        for (size_t t = 0; t < json_object_array_length(tests); t++) {
            struct json_object *tc = json_object_array_get_idx(tests, t), *data, *valid, *desc;
            json_object_object_get_ex(tc, "data", &data);
            json_object_object_get_ex(tc, "valid", &valid);
            json_object_object_get_ex(tc, "description", &desc);
            /* formats apply to strings only: other types are valid */
            int r = 1;
            if (json_object_is_type(data, json_type_string)) {
                r = sgi_format_check(json_object_get_string(fmt), json_object_get_string(data),
                                     (size_t)json_object_get_string_len(data));
                ck_assert_int_ne(r, -1);
            }
            run++;
            if (r != json_object_get_boolean(valid)) {
                failed++;
                fprintf(stderr, "format %s: FAIL %s (%s)\n", suite_files[_i],
                        json_object_get_string(desc), json_object_to_json_string(data));
            }
        }
    }
    printf("optional/format/%s.json: %d passed, %d failed\n", suite_files[_i], run - failed,
           failed);
    json_object_put(root);
    ck_assert_int_eq(failed, 0);
}
END_TEST

Suite *suite_format(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_unknown_and_nul);
    tcase_add_test(tc, test_hostname_length);
    suite_add_tcase(s, tc);
    tc = tcase_create("suite");
    tcase_add_loop_test(tc, test_suite_file, 0,
                        (int)(sizeof suite_files / sizeof suite_files[0]));
    suite_add_tcase(s, tc);
    return s;
}
