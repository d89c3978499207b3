/* Unit tests of ECMA-262 patterns through PCRE2 (src/regex.c): every row of
 * HOSTILE.md 2.6 (PCRE2's default and our fix), limits, errors with
 * offsets, the cache, and the portability scanner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "unit.h"

/* Match SUBJECT (C string) against PATTERN with a fresh default cache. */
static int match(const char *pattern, const char *subject)
{
    sgi_regex_cache *c = sgi_regex_cache_new(NULL);
    ck_assert_ptr_nonnull(c);
    char err[256];
    size_t off = 0;
    const sgi_regex *re = sgi_regex_get(c, pattern, strlen(pattern), err, sizeof err, &off);
    ck_assert_msg(re != NULL, "pattern %s: %s at %zu", pattern, err, off);
    int r = sgi_regex_match(c, re, subject, strlen(subject));
    sgi_regex_cache_free(c);
    return r;
}

/* ---- ECMA semantics ---------------------------------------------------- */

static const struct {
    const char *pattern, *subject;
    int match;
} ecma_cases[] = {
    /* not anchored */
    {"es", "expression", 1},
    /* $ at the very end only (PCRE2 default: before a final \n too) */
    {"^abc$", "abc\n", 0},
    {"^abc$", "abc", 1},
    /* \u escapes (PCRE2 default: compile error) */
    {"^\\u0041$", "A", 1},
    {"^\\u{1F432}$", "\xf0\x9f\x90\xb2", 1},
    {"^\\uD83D\\uDC32$", "\xf0\x9f\x90\xb2", 1}, /* a surrogate pair is one code point */
    {"^[\\uD83D\\uDC32]$", "\xf0\x9f\x90\xb2", 1},
    /* [^] any, [] nothing (PCRE2 default: compile error) */
    {"^[^]$", "x", 1},
    {"^[^]$", "\n", 1},
    {"[]", "x", 0},
    {"a[]", "a", 0},
    {"^[]a]$", "a", 0}, /* [] is empty, then "a]" */
    {"^[]a]$", "a]", 0},
    /* unset backreference matches empty (PCRE2 default: fails) */
    {"^(a)?\\1b$", "b", 1},
    /* \d, \w, \b: ASCII only */
    {"\\d", "\xd9\xa3", 0},
    {"^\\d$", "5", 1},
    {"^\\D$", "\xdf\x80", 1},
    {"^\\w$", "\xc3\xa9", 0},
    {"^\\W$", "\xc3\xa9", 1},
    {"\\wcole", "l'\xc3\xa9" "cole", 0},
    {"[a-z]cole", "l'\xc3\xa9" "cole", 0},
    {"^\\d+$", "\xe0\xa7\xaa\xe0\xa7\xa8", 0},
    /* \s: ECMA WhiteSpace + LineTerminator (PCRE2 without UCP: ASCII only;
     * with UCP still not U+FEFF) */
    {"^\\s$", " ", 1},
    {"^\\s$", "\t", 1},
    {"^\\s$", "\v", 1},
    {"^\\s$", "\f", 1},
    {"^\\s$", "\n", 1},
    {"^\\s$", "\r", 1},
    {"^\\s$", "\xc2\xa0", 1},
    {"^\\s$", "\xe1\x9a\x80", 1},
    {"^\\s$", "\xe2\x80\x83", 1},
    {"^\\s$", "\xe2\x80\xa8", 1},
    {"^\\s$", "\xe2\x80\xa9", 1},
    {"^\\s$", "\xe2\x80\xaf", 1},
    {"^\\s$", "\xe3\x80\x80", 1},
    {"^\\s$", "\xef\xbb\xbf", 1},
    {"^\\s$", "\x01", 0},
    {"^\\s$", "\xe2\x80\x93", 0},
    {"^\\s$", "\xc2\x85", 0}, /* NEL is no ECMA whitespace */
    {"^\\s$", "\xe2\x80\x8b", 0},
    {"^\\S$", "\xef\xbb\xbf", 0},
    {"^\\S$", "\xc2\xa0", 0},
    {"^\\S$", "\n", 0},
    {"^\\S$", "\x01", 1},
    {"^\\S$", "\xe2\x80\x93", 1},
    {"^\\S$", "\xf0\x9f\x90\xb2", 1},
    {"^\\S$", "", 0},
    {"^[\\s]$", "\xef\xbb\xbf", 1},
    {"^[^\\s]$", "\xef\xbb\xbf", 0},
    {"^[^\\s]$", "x", 1},
    {"^[\\S]$", "x", 1},
    {"^[\\S]$", "\xef\xbb\xbf", 0},
    {"^[^\\S]$", " ", 1},
    {"^[^\\S]$", "x", 0},
    {"^[\\S\\s]$", "\xe2\x80\xa8", 1},
    {"^[a\\s]+$", "a a\xe3\x80\x80", 1},
    {"^[\\s-]+$", " -", 1},
    {"^[-\\s]+$", " -", 1},
    {"^[a-c-\\s]+$", "b- ", 1}, /* '-' after a range is a literal */
    {"^[a-c-\\s]+$", "d", 0},
    {"^[\\s\\d-]+$", " 1-", 1},
    /* . stops at every line terminator (PCRE2: only at \n) */
    {"^.$", "\xe2\x80\xa8", 0},
    {"^.$", "\xe2\x80\xa9", 0},
    {"^.$", "\r", 0},
    {"^.$", "\n", 0},
    {"^.$", "\xc3\xa9", 1},
    {"^.$", "\xf0\x9f\x90\xb2", 1},
    {"^.+$", "a\xc2\x85" "b", 1},
    {"^[.]$", "x", 0},
    {"^[.]$", ".", 1},
    {"^\\.$", "x", 0},
    /* \v is U+000B (PCRE2: any vertical space) */
    {"^\\v$", "\v", 1},
    {"^\\v$", "\n", 0},
    {"^[\\v]$", "\n", 0},
    /* \c */
    {"^\\cC$", "\x03", 1},
    {"^\\cc$", "\x03", 1},
    {"^\\cC$", "\\cC", 0},
    {"^\\c[$", "\x1b", 1},
    {"^\\t$", "\t", 1},
    {"^\\t$", "\\t", 0},
    /* long property names (PCRE2 10.42: "unknown property") */
    {"\\p{Letter}cole", "l'\xc3\xa9" "cole", 1},
    {"\\p{Letter}cole", "L'\xc3\x89" "COLE", 0},
    {"^\\p{digit}+$", "\xe0\xa7\xaa\xe0\xa7\xa8", 1},
    {"^\\p{digit}+$", "-%#", 0},
    {"^\\p{General_Category=Letter}$", "\xc3\xa9", 1},
    {"^\\p{gc=Uppercase_Letter}$", "\xc3\x89", 1},
    {"^\\p{gc=Uppercase_Letter}$", "\xc3\xa9", 0},
    /* a short value after the prefix (PCRE2 takes it alone only) */
    {"^\\p{gc=Lu}$", "\xc3\x89", 1},
    {"^\\p{General_Category=Nd}$", "7", 1},
    {"^\\P{gc=Nd}$", "7", 0},
    {"^\\P{Letter}$", "1", 1},
    {"^[\\p{Letter}\\p{Nd}]+$", "a1\xc3\xa9", 1},
    {"^\\p{Lu}$", "\xc3\x89", 1},
    {"^\\p{Script=Greek}$", "\xce\xb1", 1},
    /* non-BMP code points are one character */
    {"^\xf0\x9f\x90\xb2*$", "", 1},
    {"^\xf0\x9f\x90\xb2*$", "\xf0\x9f\x90\xb2\xf0\x9f\x90\xb2", 1},
    {"^\xf0\x9f\x90\xb2*$", "\xf0\x9f\x90\x89", 0},
    {"^\xf0\x9f\x90\xb2*$", "DD", 0},
    {"^.{2}$", "\xf0\x9f\x90\xb2\xf0\x9f\x90\xb2", 1},
    /* a{,3} is a literal in 10.42 (re-test on upgrades) */
    {"^a{,3}$", "a{,3}", 1},
    /* our rewriting leaves \Q..\E, comments and POSIX classes alone */
    {"^\\Qa.b\\s\\E$", "a.b\\s", 1},
    {"^\\Qa.b\\E$", "axb", 0},
    {"^(?#.)a$", "a", 1},
    {"^[[:alpha:].]+$", "a.b", 1},
    {"^[[:alpha:].]+$", "a\nb", 0},
    {"^\\p{Lu}\\s\\d.$", "A 1x", 1},
};

START_TEST(test_ecma)
{
    int r = match(ecma_cases[_i].pattern, ecma_cases[_i].subject);
    ck_assert_msg(r == ecma_cases[_i].match, "/%s/ on \"%s\": %d, expected %d",
                  ecma_cases[_i].pattern, ecma_cases[_i].subject, r, ecma_cases[_i].match);
}
END_TEST

/* Patterns and subjects holding NUL bytes: lengths are passed. */
START_TEST(test_nul_bytes)
{
    sgi_regex_cache *c = sgi_regex_cache_new(NULL);
    ck_assert_ptr_nonnull(c);
    const sgi_regex *re = sgi_regex_get(c, "^a\0b$", 5, NULL, 0, NULL);
    ck_assert_ptr_nonnull(re);
    ck_assert_int_eq(sgi_regex_match(c, re, "a\0b", 3), 1);
    ck_assert_int_eq(sgi_regex_match(c, re, "ab", 2), 0);
    ck_assert_ptr_ne(sgi_regex_get(c, "^a", 2, NULL, 0, NULL), re);
    /* invalid UTF-8 subject: an error, never a crash */
    re = sgi_regex_get(c, "a", 1, NULL, 0, NULL);
    ck_assert_int_eq(sgi_regex_match(c, re, "\xff" "a", 2), -2);
    ck_assert_int_eq(sgi_regex_match(c, re, NULL, 0), 0);
    sgi_regex_cache_free(c);
    sgi_regex_cache_free(NULL);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

static const struct {
    const char *pattern;
    size_t offset; /* in the pattern as written */
    const char *msg_part;
} bad_cases[] = {
    {"(", 1, "missing closing parenthesis"},
    {"[z-a]", 3, "out of order"},
    {".[z-a]", 4, "out of order"},      /* offsets mapped across rewrites */
    {"\\s\\S.[z-a]", 8, "out of order"}, /* ... however long the rewrite */
    {"\\x{110000}", 9, "too big"},       /* ECMA reads x{110000}: a quantifier */
    {"\\u{110000}", 10, "too large"},
    {"\\uD800", 6, "disallowed"},
    {"ab[\\s-z]", 5, "invalid range"},
    {"ab[a-\\s]", 5, "invalid range"},
    {"[\\d-\\s]", 4, "invalid range"},
    {"[\\s--]", 3, "invalid range"},
    {"[\\s\\d-z]", 5, "invalid range"}, /* PCRE2's own, past our rewrite */
    {"(?<=a+)b", 0, "lookbehind"},
    {"a)", 1, "parenthes"},
    {"\xff", 0, "UTF-8"},
    {"a\\", 2, "\\"},
    {"\\p{NoSuchProperty}", 18, "unknown property"},
};

START_TEST(test_bad)
{
    sgi_regex_cache *c = sgi_regex_cache_new(NULL);
    ck_assert_ptr_nonnull(c);
    char err[256] = "x";
    size_t off = 12345;
    const char *p = bad_cases[_i].pattern;
    ck_assert_ptr_null(sgi_regex_get(c, p, strlen(p), err, sizeof err, &off));
    ck_assert_msg(err[0] != '\0', "%s: empty message", p);
    ck_assert_msg(strstr(err, bad_cases[_i].msg_part) != NULL, "%s: \"%s\"", p, err);
    ck_assert_msg(off == bad_cases[_i].offset, "%s: offset %zu, expected %zu (%s)", p, off,
                  bad_cases[_i].offset, err);
    /* cached: the same answer again */
    char err2[256];
    size_t off2 = 0;
    ck_assert_ptr_null(sgi_regex_get(c, p, strlen(p), err2, sizeof err2, &off2));
    ck_assert_str_eq(err, err2);
    ck_assert_uint_eq(off, off2);
    /* a short buffer gets a terminated prefix */
    char tiny[4];
    ck_assert_ptr_null(sgi_regex_get(c, p, strlen(p), tiny, sizeof tiny, NULL));
    ck_assert_uint_le(strlen(tiny), 3);
    sgi_regex_cache_free(c);
}
END_TEST

START_TEST(test_pattern_length)
{
    sg_limits l;
    sg_limits_init(&l);
    size_t n = (size_t)l.max_pattern_bytes;
    char *p = malloc(n + 2);
    ck_assert_ptr_nonnull(p);
    memset(p, 'a', n + 1);
    p[n + 1] = '\0';
    sgi_regex_cache *c = sgi_regex_cache_new(&l);
    char err[128];
    size_t off = 0;
    ck_assert_ptr_null(sgi_regex_get(c, p, n + 1, err, sizeof err, &off));
    ck_assert_str_eq(err, "pattern longer than 4096 bytes");
    ck_assert_uint_eq(off, n);
    ck_assert_ptr_nonnull(sgi_regex_get(c, p, n, err, sizeof err, &off));
    sgi_regex_cache_free(c);
    /* the limit comes from sg_limits */
    l.max_pattern_bytes = 10;
    c = sgi_regex_cache_new(&l);
    ck_assert_ptr_null(sgi_regex_get(c, p, 11, err, sizeof err, &off));
    ck_assert_str_eq(err, "pattern longer than 10 bytes");
    ck_assert_ptr_nonnull(sgi_regex_get(c, p, 10, err, sizeof err, &off));
    sgi_regex_cache_free(c);
    free(p);
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Catastrophic backtracking is "too costly" (-1), never "no match", and
 * quick with the default limits. */
START_TEST(test_catastrophic)
{
    char s[64];
    memset(s, 'a', 28);
    strcpy(s + 28, "b");
    double t0 = now();
    ck_assert_int_eq(match("^(a+)+$", s), -1);
    double t = now() - t0;
    ck_assert_msg(t < 1.0, "took %.3f s", t);
    /* a match within the limits is still found */
    ck_assert_int_eq(match("^(a+)+$", "aaaa"), 1);
    ck_assert_int_eq(match("^(a+)+$", "ab"), 0);
}
END_TEST

/* Each limit of sg_limits reaches PCRE2's match context. */
START_TEST(test_limits_applied)
{
    char s[2001];
    memset(s, 'a', 2000);
    s[2000] = '\0';
    const char *p = "^(a|b)*$";
    for (int which = 0; which < 3; which++) {
        sg_limits l;
        sg_limits_init(&l);
        if (which == 0)
            l.regex_match_limit = 100;
        else if (which == 1)
            l.regex_depth_limit = 10;
        else
            l.regex_heap_kib = 40; /* PCRE2 10.42 starts with 20 KiB of frames */
        sgi_regex_cache *c = sgi_regex_cache_new(&l);
        const sgi_regex *re = sgi_regex_get(c, p, strlen(p), NULL, 0, NULL);
        ck_assert_ptr_nonnull(re);
        ck_assert_msg(sgi_regex_match(c, re, s, 2000) == -1, "limit %d not applied", which);
        ck_assert_msg(sgi_regex_match(c, re, "ab", 2) == 1, "limit %d too tight", which);
        sgi_regex_cache_free(c);
    }
    /* the defaults let a few hundred repetitions of a group through (each
     * takes two frames of the depth limit, 1000) */
    s[400] = '\0';
    ck_assert_int_eq(match(p, s), 1);
}
END_TEST

/* ---- cache -------------------------------------------------------------- */

START_TEST(test_cache)
{
    sgi_regex_cache *c = sgi_regex_cache_new(NULL);
    ck_assert_ptr_nonnull(c);
    enum { N = 1000 };
    static const sgi_regex *first[N];
    char p[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(p, sizeof p, "^x%d$", i);
        first[i] = sgi_regex_get(c, p, (size_t)n, NULL, 0, NULL);
        ck_assert_ptr_nonnull(first[i]);
    }
    for (int i = 0; i < N; i++) { /* the same pointers after the table grew */
        int n = snprintf(p, sizeof p, "^x%d$", i);
        ck_assert_ptr_eq(sgi_regex_get(c, p, (size_t)n, NULL, 0, NULL), first[i]);
        ck_assert_int_eq(sgi_regex_match(c, first[i], p + 1, (size_t)n - 2), 1);
        ck_assert_int_eq(sgi_regex_match(c, first[i], "x", 1), 0);
    }
    /* a prefix or an extension of a pattern is another pattern */
    ck_assert_ptr_ne(sgi_regex_get(c, "^x1$", 3, NULL, 0, NULL), first[1]);
    sgi_regex_cache_free(c);
}
END_TEST

/* ---- portability scanner ------------------------------------------------ */

static const struct {
    const char *pattern;
    int non_ecma;
} scan_cases[] = {
    {"(?i)abc", 1},
    {"a(?i:b)", 1},
    {"(?x) a", 1},
    {"\\Z", 1},
    {"\\Aabc", 1},
    {"abc\\z", 1},
    {"\\Gx", 1},
    {"a++", 1},
    {"a*+", 1},
    {"a?+", 1},
    {"a{2}+", 1},
    {"a{2,}+", 1},
    {"a{2,5}+", 1},
    {"(a)++", 1},
    {"a+?+", 1},
    {"(?>a)", 1},
    {"(?R)", 1},
    {"(a)(?1)", 1},
    {"(?&n)", 1},
    {"(?P<n>a)", 1},
    {"(?'n'a)", 1},
    {"(?|a|b)", 1},
    {"(?(1)a|b)", 1},
    {"(?#comment)", 1},
    {"(*UTF)a", 1},
    {"\\Qa+\\E", 1},
    {"\\h", 1},
    {"\\R", 1},
    {"a\\Kb", 1},
    {"\\X", 1},
    {"\\N", 1},
    {"\\e", 1},
    {"\\g1", 1},
    {"\\x{41}", 1},
    {"\\pL", 1},
    {"[[:alpha:]]", 1},
    {"[a\\h]", 1},
    {"\\\\(?i)", 1}, /* an escaped backslash, then a real (?i) */
    /* ECMA constructs */
    {"abc", 0},
    {"\\(?i)", 0}, /* escaped paren: "(" optional, "i", ")" */
    {"[(?i)]", 0},
    {"[a++]", 0},
    {"[\\]a++]", 0},
    {"[]a+", 0}, /* [] is the empty class */
    {"[]a++", 1},
    {"\\+\\+", 0},
    {"\\\\Z", 0},
    {"a+?", 0},
    {"a*?b", 0},
    {"a??", 0},
    {"a{2}?", 0},
    {"a{,3}+", 0}, /* {,3} is no quantifier: + applies to "}" */
    {"(?:a)+", 0},
    {"(?=a)", 0},
    {"(?!a)", 0},
    {"(?<=a)b", 0},
    {"(?<!a)b", 0},
    {"(?<n>a)\\k<n>", 0},
    {"\\p{L}\\P{Letter}", 0},
    {"\\u0041\\u{1F432}", 0},
    {"^\\d\\w\\s\\b\\B\\D\\W\\S$", 0},
    {"[^]", 0},
    {"\\cC\\t\\n\\v\\f\\r\\0", 0},
};

START_TEST(test_non_ecma)
{
    const char *p = scan_cases[_i].pattern;
    ck_assert_msg(sgi_regex_non_ecma(p, strlen(p)) == scan_cases[_i].non_ecma, "%s", p);
}
END_TEST

START_TEST(test_non_ecma_edges)
{
    ck_assert_int_eq(sgi_regex_non_ecma("", 0), 0);
    ck_assert_int_eq(sgi_regex_non_ecma("a\\", 2), 0);
    ck_assert_int_eq(sgi_regex_non_ecma("(?", 2), 1);
    ck_assert_int_eq(sgi_regex_non_ecma("[", 1), 0);
    /* the length bounds the scan: "(?i)" past it is not seen */
    ck_assert_int_eq(sgi_regex_non_ecma("ab(?i)", 2), 0);
    ck_assert_int_eq(sgi_regex_non_ecma("a\0(?i)", 6), 1);
}
END_TEST

/* ---- JSON-Schema-Test-Suite draft4 optional regex files -------------------- */

/* The little of draft-04 these files use: type (string, object, integer),
 * pattern, patternProperties with a type, additionalProperties false. */
static int mini_valid(sgi_regex_cache *c, struct json_object *schema, struct json_object *data);

static int type_ok(struct json_object *schema, struct json_object *data)
{
    struct json_object *t;
    if (!json_object_object_get_ex(schema, "type", &t))
        return 1;
    const char *ts = json_object_get_string(t);
    if (strcmp(ts, "string") == 0)
        return json_object_is_type(data, json_type_string);
    if (strcmp(ts, "object") == 0)
        return json_object_is_type(data, json_type_object);
    if (strcmp(ts, "integer") == 0)
        return json_object_is_type(data, json_type_int);
    ck_abort_msg("type %s not handled", ts);
    return 0;
}

static int mini_match(sgi_regex_cache *c, const char *p, const char *s, size_t n)
{
    char err[256];
    size_t off;
    const sgi_regex *re = sgi_regex_get(c, p, strlen(p), err, sizeof err, &off);
    ck_assert_msg(re != NULL, "/%s/: %s at %zu", p, err, off);
    int r = sgi_regex_match(c, re, s, n);
    ck_assert_int_ge(r, 0);
    return r;
}

static int mini_valid(sgi_regex_cache *c, struct json_object *schema, struct json_object *data)
{
    struct json_object *pat, *pp, *ap;
    if (!type_ok(schema, data))
        return 0;
    if (json_object_object_get_ex(schema, "pattern", &pat) &&
        json_object_is_type(data, json_type_string) &&
        !mini_match(c, json_object_get_string(pat), json_object_get_string(data),
                    (size_t)json_object_get_string_len(data)))
        return 0;
    if (!json_object_is_type(data, json_type_object) ||
        !json_object_object_get_ex(schema, "patternProperties", &pp))
        return 1;
    int no_additional = json_object_object_get_ex(schema, "additionalProperties", &ap) &&
                        !json_object_get_boolean(ap);
    json_object_object_foreach(data, key, val)
    {
        int matched = 0;
        json_object_object_foreach(pp, p, sub)
        {
            if (mini_match(c, p, key, strlen(key))) {
                matched = 1;
                if (!mini_valid(c, sub, val))
                    return 0;
            }
        }
        if (!matched && no_additional)
            return 0;
    }
    return 1;
}

static const char *const regex_files[] = {"ecmascript-regex", "non-bmp-regex"};

START_TEST(test_suite_file)
{
    const char *base = getenv("SWAGGATE_TESTDATA");
    if (!base || !*base) {
        printf("regex: SKIP optional/%s.json (set SWAGGATE_TESTDATA=../shared/testdata)\n",
               regex_files[_i]);
        return;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/json-schema-test-suite/tests/draft4/optional/%s.json", base,
             regex_files[_i]);
    struct json_object *root = json_object_from_file(path);
    ck_assert_msg(root != NULL, "cannot read %s", path);
    sgi_regex_cache *c = sgi_regex_cache_new(NULL);
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
            if (mini_valid(c, schema, data) != json_object_get_boolean(valid)) {
                failed++;
                fprintf(stderr, "%s: FAIL %s / %s\n", regex_files[_i],
                        json_object_get_string(json_object_object_get(group, "description")),
                        json_object_get_string(desc));
            }
        }
    }
    printf("optional/%s.json: %d passed, %d failed\n", regex_files[_i], run - failed, failed);
    sgi_regex_cache_free(c);
    json_object_put(root);
    ck_assert_int_eq(failed, 0);
}
END_TEST

Suite *suite_regex(void)
{
    Suite *s = suite_create("regex");
    TCase *tc = tcase_create("ecma");
    tcase_add_loop_test(tc, test_ecma, 0, (int)(sizeof ecma_cases / sizeof ecma_cases[0]));
    tcase_add_test(tc, test_nul_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_pattern_length);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_test(tc, test_catastrophic);
    tcase_add_test(tc, test_limits_applied);
    suite_add_tcase(s, tc);
    tc = tcase_create("cache");
    tcase_add_test(tc, test_cache);
    suite_add_tcase(s, tc);
    tc = tcase_create("non_ecma");
    tcase_add_loop_test(tc, test_non_ecma, 0, (int)(sizeof scan_cases / sizeof scan_cases[0]));
    tcase_add_test(tc, test_non_ecma_edges);
    suite_add_tcase(s, tc);
    tc = tcase_create("suite");
    tcase_add_loop_test(tc, test_suite_file, 0,
                        (int)(sizeof regex_files / sizeof regex_files[0]));
    suite_add_tcase(s, tc);
    return s;
}
