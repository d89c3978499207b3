/* Unit tests of diagnostics (src/diag.c): the fields of one finding and who
 * owns them, the max_diagnostics limit (kept vs tallied), the stable sort,
 * related locations, and the escaping that keeps input from reaching a
 * terminal raw (sgi_excerpt and the source line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* Is S (LEN bytes) strictly valid UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF)? */
static int valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 4;
            cp = c & 0x07;
        } else
            return 0;
        if (i + k > len)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

/* Code points in a valid UTF-8 string. */
static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void source_of(sgi_source *src, const char *name, const char *text, size_t len)
{
    sg_diagnostics *scratch = sg_diagnostics_new();
    ck_assert_ptr_nonnull(scratch);
    ck_assert_int_eq(sgi_source_init(src, name, text, len), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(src, scratch), SG_OK);
    sg_diagnostics_free(scratch);
}

/* ---- fields and ownership ------------------------------------------------- */

START_TEST(test_fields)
{
    sgi_source src;
    static const char text[] = "first: 1\nsecond: [2]\n";
    source_of(&src, "f.yaml", text, sizeof text - 1);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);

    char pointer[] = "/second/0";
    char apig[] = "APIG.2001";
    sg_mark at = {2, 10, 18};
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_WARNING, "some-rule", &at, pointer, apig,
                              "value %d is %s", 2, "odd"),
                     SG_OK);
    /* The list owns copies: change and drop what was passed in. */
    pointer[1] = 'X';
    apig[0] = 'X';
    sgi_source_fini(&src);

    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->severity, SG_SEVERITY_WARNING);
    ck_assert_str_eq(g->rule, "some-rule");
    ck_assert_str_eq(g->message, "value 2 is odd");
    ck_assert_str_eq(g->file, "f.yaml");
    ck_assert_uint_eq(g->start.line, 2);
    ck_assert_uint_eq(g->start.column, 10);
    ck_assert_uint_eq(g->start.offset, 18);
    ck_assert_str_eq(g->pointer, "/second/0");
    ck_assert_str_eq(g->apig_code, "APIG.2001");
    ck_assert_str_eq(g->source_line, "second: [2]");
    ck_assert_int_eq(g->has_related, 0);
    ck_assert_ptr_null(g->related_file);
    ck_assert_ptr_null(g->related_message);
    ck_assert_ptr_null(sg_diagnostics_get(d, 1));
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 1);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 0);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_optional_fields)
{
    sg_diagnostics *d = sg_diagnostics_new();
    /* No source, no position, no pointer, no APIG code, no rule. */
    ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_INFO, NULL, NULL, NULL, NULL, "plain"), SG_OK);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_str_eq(g->rule, "unknown");
    ck_assert_str_eq(g->file, "-");
    ck_assert_uint_eq(g->start.line, 0);
    ck_assert_uint_eq(g->start.column, 0);
    ck_assert_ptr_null(g->pointer);
    ck_assert_ptr_null(g->apig_code);
    ck_assert_ptr_null(g->source_line);

    /* A source but no position: no source line. */
    sgi_source src;
    source_of(&src, "s.json", "{}", 2);
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", NULL, "", NULL, "x"), SG_OK);
    g = sg_diagnostics_get(d, 1);
    ck_assert_str_eq(g->file, "s.json");
    ck_assert_ptr_null(g->source_line);
    ck_assert_str_eq(g->pointer, ""); /* the root pointer is not "absent" */
    /* A message with '%' in an argument is not formatted twice. */
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "%s", "100%s"),
                     SG_OK);
    ck_assert_str_eq(sg_diagnostics_get(d, 2)->message, "100%s");
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

/* A position on a line the source does not have is still a diagnostic
 * (without a source line), not an allocation failure. */
START_TEST(test_position_past_last_line)
{
    sgi_source src;
    source_of(&src, "p.yaml", "a: 1\n", 5);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_mark at = {9, 1, 5};
    sg_status st = sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "m");
    ck_assert_msg(st == SG_OK, "sgi_diag at line 9 of a 2-line source returned %s",
                  sg_status_string(st));
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_ptr_null(sg_diagnostics_get(d, 0)->source_line);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_null_and_bounds)
{
    sg_diagnostics_free(NULL);
    ck_assert_uint_eq(sg_diagnostics_count(NULL), 0);
    ck_assert_ptr_null(sg_diagnostics_get(NULL, 0));
    ck_assert_uint_eq(sg_diagnostics_tally(NULL, SG_SEVERITY_ERROR), 0);
    sg_diagnostics_sort(NULL);
    sgi_diags_set_limit(NULL, 3);
    /* A NULL list swallows diagnostics. */
    ck_assert_int_eq(sgi_diag(NULL, NULL, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "x"), SG_OK);
    ck_assert_int_eq(sgi_diag_related(NULL, NULL, NULL, "x"), SG_OK);

    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_uint_eq(sg_diagnostics_tally(d, (sg_severity)7), 0);
    /* related on an empty list: nothing to relate to */
    ck_assert_int_eq(sgi_diag_related(d, "f", NULL, "x"), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sg_diagnostics_sort(d); /* empty */
    sg_diagnostics_free(d);

    ck_assert_str_eq(sg_severity_name(SG_SEVERITY_INFO), "info");
    ck_assert_str_eq(sg_severity_name(SG_SEVERITY_WARNING), "warning");
    ck_assert_str_eq(sg_severity_name(SG_SEVERITY_ERROR), "error");
}
END_TEST

/* ---- the limit ------------------------------------------------------------ */

START_TEST(test_limit_keeps_and_tallies)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_diags_set_limit(d, 3);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_ERROR, "e", NULL, NULL, NULL, "e%d", i),
                         SG_OK);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_WARNING, "w", NULL, NULL, NULL, "w%d", i),
                         SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 3);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 5);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_INFO), 0);
    /* The first ones are kept, in order. */
    for (int i = 0; i < 3; i++) {
        char want[16];
        snprintf(want, sizeof want, "e%d", i);
        ck_assert_str_eq(sg_diagnostics_get(d, (size_t)i)->message, want);
    }
    /* A related location for a dropped diagnostic must not land on the
     * last kept one. */
    ck_assert_int_eq(sgi_diag_related(d, "other", NULL, "dropped"), SG_OK);
    ck_assert_int_eq(sg_diagnostics_get(d, 2)->has_related, 0);
    sg_diagnostics_free(d);
}
END_TEST

/* Findings moved from another list behave as if added in turn: the limit
 * keeps the first, the tallies count all, the related-location rule holds. */
START_TEST(test_append_as_if_added)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_diags_set_limit(d, 3);
    sg_diagnostics *src = sgi_diags_new_like(d);
    ck_assert_ptr_nonnull(src);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_ERROR, "e", NULL, NULL, NULL, "d%d", i),
                         SG_OK);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(sgi_diag(src, NULL, SG_SEVERITY_WARNING, "w", NULL, NULL, NULL, "s%d", i),
                         SG_OK);
    /* SRC took the limit of D: its fourth was dropped there already. */
    ck_assert_uint_eq(sg_diagnostics_count(src), 3);
    ck_assert_int_eq(sgi_diags_append(d, src), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(src), 0);
    ck_assert_uint_eq(sg_diagnostics_tally(src, SG_SEVERITY_WARNING), 0);
    ck_assert_uint_eq(sg_diagnostics_count(d), 3);
    ck_assert_str_eq(sg_diagnostics_get(d, 1)->message, "d1");
    ck_assert_str_eq(sg_diagnostics_get(d, 2)->message, "s0");
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 4);
    ck_assert_int_eq(sgi_diag_related(d, "other", NULL, "dropped"), SG_OK);
    ck_assert_int_eq(sg_diagnostics_get(d, 2)->has_related, 0);
    /* An empty list changes nothing; a kept last one takes a related location. */
    sg_diagnostics *big = sg_diagnostics_new();
    ck_assert_int_eq(sgi_diag(big, NULL, SG_SEVERITY_INFO, "i", NULL, NULL, NULL, "b0"), SG_OK);
    ck_assert_int_eq(sgi_diags_append(big, src), SG_OK);
    ck_assert_int_eq(sgi_diag(src, NULL, SG_SEVERITY_INFO, "i", NULL, NULL, NULL, "s"), SG_OK);
    ck_assert_int_eq(sgi_diags_append(big, src), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(big), 2);
    ck_assert_int_eq(sgi_diag_related(big, "other", NULL, "kept"), SG_OK);
    ck_assert_int_eq(sg_diagnostics_get(big, 1)->has_related, 1);
    ck_assert_int_eq(sgi_diags_append(NULL, src), SG_EUSAGE);
    sg_diagnostics_free(big);
    sg_diagnostics_free(src);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_default_limit)
{
    sg_limits l;
    sg_limits_init(&l);
    sg_diagnostics *d = sg_diagnostics_new();
    size_t n = (size_t)l.max_diagnostics + 10;
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_INFO, "i", NULL, NULL, NULL, "i"), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), l.max_diagnostics);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_INFO), n);
    sg_diagnostics_free(d);
}
END_TEST

/* The limit set through the options of a load: a YAML mapping with ten
 * duplicate keys keeps two findings and counts ten. */
START_TEST(test_limit_through_options)
{
    char in[256];
    size_t o = 0;
    for (int i = 0; i < 11; i++)
        o += (size_t)snprintf(in + o, sizeof in - o, "k: %d\n", i);
    sg_options opts;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "diagnostics", 2), SG_OK);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, o, &opts, d, &doc), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 10);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->rule, "duplicate-key");
    ck_assert_uint_eq(sg_diagnostics_get(d, 1)->start.line, 3);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- sorting ------------------------------------------------------------- */

START_TEST(test_sort_stable)
{
    /* file, line, column, tag: equal keys must keep their order. */
    static const struct {
        const char *file;
        unsigned line, column;
        const char *tag;
    } in[] = {
        {"b.yaml", 2, 1, "b2:1#1"}, {"a.yaml", 3, 4, "a3:4#1"}, {"a.yaml", 1, 9, "a1:9"},
        {"b.yaml", 2, 1, "b2:1#2"}, {"a.yaml", 3, 4, "a3:4#2"}, {"a.yaml", 0, 0, "a0:0"},
        {"a.yaml", 3, 2, "a3:2"},   {"b.yaml", 1, 1, "b1:1"},   {"a.yaml", 3, 4, "a3:4#3"},
        {"a.yaml", 10, 1, "a10:1"}, {"b.yaml", 2, 1, "b2:1#3"},
    };
    static const char *const want[] = {"a0:0",   "a1:9",   "a3:2",  "a3:4#1", "a3:4#2", "a3:4#3",
                                       "a10:1",  "b1:1",   "b2:1#1", "b2:1#2", "b2:1#3"};
    sg_diagnostics *d = sg_diagnostics_new();
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        sgi_source named;
        memset(&named, 0, sizeof named);
        named.name = (char *)in[i].file;
        sg_mark at = {in[i].line, in[i].column, 0};
        ck_assert_int_eq(sgi_diag(d, &named, SG_SEVERITY_ERROR, "r", in[i].line ? &at : NULL,
                                  NULL, NULL, "%s", in[i].tag),
                         SG_OK);
    }
    sg_diagnostics_sort(d);
    ck_assert_uint_eq(sg_diagnostics_count(d), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strcmp(sg_diagnostics_get(d, i)->message, want[i]) == 0,
                      "position %zu: %s, expected %s", i, sg_diagnostics_get(d, i)->message,
                      want[i]);
    /* Sorting again changes nothing; the strings moved with their items. */
    sg_diagnostics_sort(d);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->message, "a0:0");
    ck_assert_str_eq(sg_diagnostics_get(d, 10)->file, "b.yaml");
    sg_diagnostics_free(d);
}
END_TEST

/* Stability against a reference on many items with few distinct keys. */
START_TEST(test_sort_many)
{
    enum { N = 500 };
    sg_diagnostics *d = sg_diagnostics_new();
    unsigned seed = 12345;
    unsigned lines[N];
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        lines[i] = 1 + (seed >> 16) % 7;
        sg_mark at = {lines[i], 1, 0};
        ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "%d", i),
                         SG_OK);
    }
    sg_diagnostics_sort(d);
    size_t k = 0;
    for (unsigned line = 1; line <= 7; line++)
        for (int i = 0; i < N; i++)
            if (lines[i] == line) {
                const sg_diagnostic *g = sg_diagnostics_get(d, k++);
                ck_assert_uint_eq(g->start.line, line);
                ck_assert_int_eq(atoi(g->message), i);
            }
    ck_assert_uint_eq(k, N);
    sg_diagnostics_free(d);
}
END_TEST

/* Two sorted runs (as two checkers produce them) of 20 000 findings each,
 * interleaved by line: sorting must stay near n log n (HOSTILE.md 48-50: no
 * quadratic passes), well under a second. */
START_TEST(test_sort_two_runs_fast)
{
    enum { RUN = 20000 };
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_diags_set_limit(d, 1000000);
    for (int run = 0; run < 2; run++)
        for (unsigned i = 0; i < RUN; i++) {
            sg_mark at = {2 * i + 1 + (unsigned)run, 1, 0};
            ck_assert_int_eq(sgi_diag(d, NULL, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "x"),
                             SG_OK);
        }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sg_diagnostics_sort(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    for (unsigned i = 0; i < 2 * RUN; i++)
        ck_assert_uint_eq(sg_diagnostics_get(d, i)->start.line, i + 1);
    ck_assert_msg(dt < 0.5, "sorting 2 x %d findings took %.2f s", RUN, dt);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- related locations ---------------------------------------------------- */

START_TEST(test_related)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_source named;
    memset(&named, 0, sizeof named);
    named.name = "main.yaml";
    sg_mark at = {5, 3, 40}, first = {2, 3, 10};
    ck_assert_int_eq(sgi_diag(d, &named, SG_SEVERITY_ERROR, "duplicate-key", &at, NULL, NULL, "dup"),
                     SG_OK);
    char arg[] = "\"a\"";
    ck_assert_int_eq(sgi_diag_related(d, NULL, &first, "first %s here", arg), SG_OK);
    arg[1] = 'X'; /* the message is a copy */
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_int_eq(g->has_related, 1);
    ck_assert_str_eq(g->related_file, "main.yaml"); /* NULL file: the diagnostic's */
    ck_assert_uint_eq(g->related.line, 2);
    ck_assert_uint_eq(g->related.column, 3);
    ck_assert_uint_eq(g->related.offset, 10);
    ck_assert_str_eq(g->related_message, "first \"a\" here");

    /* A second call replaces the first; another file may be named. */
    sg_mark other = {7, 1, 0};
    ck_assert_int_eq(sgi_diag_related(d, "defs.yaml", &other, "defined here"), SG_OK);
    ck_assert_str_eq(g->related_file, "defs.yaml");
    ck_assert_uint_eq(g->related.line, 7);
    ck_assert_str_eq(g->related_message, "defined here");

    /* It applies to the last one added only. */
    ck_assert_int_eq(sgi_diag(d, &named, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "second"), SG_OK);
    ck_assert_int_eq(sgi_diag_related(d, NULL, NULL, "no mark"), SG_OK);
    ck_assert_int_eq(sg_diagnostics_get(d, 1)->has_related, 1);
    ck_assert_uint_eq(sg_diagnostics_get(d, 1)->related.line, 0);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->related_message, "defined here");
    sg_diagnostics_free(d);
}
END_TEST

/* ---- excerpts ------------------------------------------------------------- */

typedef struct ex_case {
    const char *in;
    size_t len;
    size_t max;
    const char *want;
} ex_case;

#define S(lit) lit, sizeof(lit) - 1

static const ex_case ex_cases[] = {
    {S("plain text"), 80, "plain text"},
    {S("a\nb\tc\rd"), 80, "a\\nb\\tc\\rd"},
    {S("\x1b[31mred"), 80, "\\u001B[31mred"},
    {S("a\0b"), 80, "a\\u0000b"},
    {S("\x7f"), 80, "\\u007F"},
    {S("\x01\x1f"), 80, "\\u0001\\u001F"},
    {S("\xc2\x85"), 80, "\\u0085"},                    /* NEL, a C1 control */
    {S("\xc2\x9b" "2J"), 80, "\\u009B2J"},             /* CSI, a C1 control */
    {S("x\xe2\x80\xaey"), 80, "x\\u202Ey"},             /* RIGHT-TO-LEFT OVERRIDE */
    {S("\xe2\x81\xa6\xe2\x81\xa9"), 80, "\\u2066\\u2069"}, /* isolates */
    {S("\xe2\x80\x8b"), 80, "\\u200B"},                /* ZERO WIDTH SPACE */
    {S("\xe2\x80\xa8"), 80, "\\u2028"},                /* LINE SEPARATOR */
    {S("\xd8\x9c"), 80, "\\u061C"},                    /* ARABIC LETTER MARK */
    {S("\xef\xbb\xbf"), 80, "\\uFEFF"},
    {S("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"), 80, "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"},
    /* invalid UTF-8: each bad byte as \xHH */
    {S("\xff"), 80, "\\xFF"},
    {S("a\x80z"), 80, "a\\x80z"},
    {S("\xc0\xaf"), 80, "\\xC0\\xAF"},                 /* overlong '/' */
    {S("\xe2\x82"), 80, "\\xE2\\x82"},                 /* truncated */
    {S("\xe0\x80\xaf"), 80, "\\xE0\\x80\\xAF"},         /* overlong 3-byte */
    {S("\xed\xa0\x80"), 80, "\\xED\\xA0\\x80"},         /* encoded surrogate */
    {S("\xf4\x90\x80\x80"), 80, "\\xF4\\x90\\x80\\x80"}, /* past U+10FFFF */
    {S("\xf5\x80\x80\x80"), 80, "\\xF5\\x80\\x80\\x80"},
    {S("\xff\x80\x80\x80"), 80, "\\xFF\\x80\\x80\\x80"},
    /* truncation at MAX code points, escapes counting as one */
    {S("abcdef"), 3, "abc..."},
    {S("abc"), 3, "abc"},
    {S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 2, "\xe6\x97\xa5\xe6\x9c\xac..."},
    {S("\n\n\n\n"), 2, "\\n\\n..."},
    {S(""), 5, ""},
    {S("abc"), 0, "..."},
};

START_TEST(test_excerpt)
{
    const ex_case *c = &ex_cases[_i];
    char buf[256];
    memset(buf, '#', sizeof buf);
    sgi_excerpt(buf, sizeof buf, c->in, c->len, c->max);
    ck_assert_msg(strcmp(buf, c->want) == 0, "case %d: got \"%s\", expected \"%s\"", _i, buf,
                  c->want);
    ck_assert_msg(valid_utf8(buf, strlen(buf)), "case %d: output is not valid UTF-8", _i);
}
END_TEST

/* However small the buffer: terminated, within CAP, valid UTF-8, and a
 * prefix of the full excerpt that never cuts an escape or a character. */
START_TEST(test_excerpt_small_buffers)
{
    static const char in[] = "ab\x1b\xe6\x97\xa5\xff\ncd";
    char full[128];
    sgi_excerpt(full, sizeof full, in, sizeof in - 1, 80);
    ck_assert_str_eq(full, "ab\\u001B\xe6\x97\xa5\\xFF\\ncd");
    for (size_t cap = 1; cap <= sizeof full; cap++) {
        char buf[130];
        memset(buf, '#', sizeof buf);
        sgi_excerpt(buf, cap, in, sizeof in - 1, 80);
        size_t n = strlen(buf);
        ck_assert_uint_lt(n, cap);
        ck_assert_int_eq(buf[cap], '#'); /* nothing written past CAP */
        ck_assert_msg(strncmp(buf, full, n) == 0, "cap %zu: \"%s\"", cap, buf);
        /* cut only between two pieces of the full excerpt */
        static const size_t cuts[] = {0, 1, 2, 8, 11, 15, 17, 18, 19};
        int ok = 0;
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++)
            ok |= cuts[k] == n;
        ck_assert_msg(ok, "cap %zu: cut at %zu: \"%s\"", cap, n, buf);
    }
    sgi_excerpt(NULL, 0, in, sizeof in - 1, 80); /* CAP 0: nothing written */
}
END_TEST

/* Messages quote input through the excerpt: a key with an escape sequence,
 * a bidi override and a bad tag are escaped in the message. */
START_TEST(test_messages_escaped)
{
    /* YAML escapes: \e is ESC, \u202E the override (raw ESC is refused). */
    static const char in[] = "\"k\\e[2J\\u202E\": 1\n\"k\\e[2J\\u202E\": 2\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_str_eq(g->rule, "duplicate-key");
    ck_assert_msg(contains(g->message, "k\\u001B[2J\\u202E"), "message: %s", g->message);
    ck_assert_ptr_null(strchr(g->message, '\x1b'));
    ck_assert_ptr_null(strstr(g->message, "\xe2\x80\xae"));
    ck_assert_ptr_null(strchr(g->related_message, '\x1b'));
    ck_assert_ptr_null(strchr(g->source_line, '\x1b'));
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- source lines ---------------------------------------------------------- */

/* The source line is printable and one code point per code point of the
 * input line, so that a caret at the diagnostic's column lines up: a tab
 * becomes one visible arrow (U+2192), any other unsafe code point and each
 * invalid byte one '?'. */
START_TEST(test_source_line)
{
    static const struct {
        const char *line;
        size_t len;
        const char *want;
    } cases[] = {
        {S("\tkey: x"), "\xe2\x86\x92key: x"},
        {S("a\t\tb"), "a\xe2\x86\x92\xe2\x86\x92" "b"},
        {S("x: \x1b[31m"), "x: ?[31m"},
        {S("x: \x7f\xc2\x85"), "x: ??"},
        {S("\xe2\x80\xae" "abc"), "?abc"},
        {S("\xe6\x97\xa5\xe6\x9c\xac: 1"), "\xe6\x97\xa5\xe6\x9c\xac: 1"},
        {S("a\x80" "b"), "a?b"},
        {S(""), ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* The line goes second, after a first line, and is followed by a
         * CRLF that must not show. Raw text without the encoding check
         * (invalid bytes allowed): build the line table by hand. */
        char text[64];
        size_t n = 0;
        memcpy(text, "first\n", 6);
        n = 6;
        memcpy(text + n, cases[i].line, cases[i].len);
        n += cases[i].len;
        memcpy(text + n, "\r\nlast", 6);
        n += 6;
        sgi_source src;
        ck_assert_int_eq(sgi_source_init(&src, "s", text, n), SG_OK);
        sg_diagnostics *scratch = sg_diagnostics_new();
        (void)sgi_source_check_encoding(&src, scratch); /* may refuse; lines are built first */
        sg_diagnostics_free(scratch);
        ck_assert_uint_eq(src.nlines, 3);
        sg_diagnostics *d = sg_diagnostics_new();
        sg_mark at = {2, 1, 6};
        ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "m"), SG_OK);
        const char *got = sg_diagnostics_get(d, 0)->source_line;
        ck_assert_ptr_nonnull(got);
        ck_assert_msg(strcmp(got, cases[i].want) == 0, "case %zu: \"%s\", expected \"%s\"", i, got,
                      cases[i].want);
        ck_assert(valid_utf8(got, strlen(got)));
        sg_diagnostics_free(d);
        sgi_source_fini(&src);
    }
}
END_TEST

/* The encoding error itself quotes its line: whatever the bad bytes, that
 * source line is valid UTF-8 (no raw invalid sequence reaches a terminal). */
START_TEST(test_source_line_of_encoding_error)
{
    static const struct {
        const char *in;
        size_t len;
    } cases[] = {
        {S("a: \x80y")},          {S("a: \xc0\xaf")},         {S("a: \xe0\x80\xaf")},
        {S("a: \xed\xa0\x80!")}, {S("a: \xf4\x90\x80\x80")}, {S("a: \xf5\x80\x80\x80")},
        {S("a: \xff\x80\x80\x80")}, {S("a: \xe2\x82")},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sgi_source src;
        ck_assert_int_eq(sgi_source_init(&src, "e.yaml", cases[i].in, cases[i].len), SG_OK);
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_EINPUT);
        const sg_diagnostic *g = sg_diagnostics_get(d, 0);
        ck_assert_str_eq(g->rule, "encoding");
        ck_assert_uint_eq(g->start.column, 4);
        ck_assert_ptr_nonnull(g->source_line);
        ck_assert_msg(valid_utf8(g->source_line, strlen(g->source_line)),
                      "case %zu: the source line of the encoding error is not valid UTF-8", i);
        ck_assert(valid_utf8(g->message, strlen(g->message)));
        sg_diagnostics_free(d);
        sgi_source_fini(&src);
    }
}
END_TEST

/* Columns line up: for every column of a line mixing tabs, wide characters
 * and controls, the source line has as many code points before it. */
START_TEST(test_source_line_columns)
{
    static const char text[] = "\t\xc3\xa9\x1b\xe6\x97\xa5\t\xf0\x9f\x98\x80z";
    sgi_source src;
    source_of(&src, "c", text, sizeof text - 1);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_mark at = sgi_source_mark_at(&src, sizeof text - 2); /* 'z' */
    ck_assert_uint_eq(at.column, 7);
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "m"), SG_OK);
    const char *line = sg_diagnostics_get(d, 0)->source_line;
    ck_assert_uint_eq(code_points(line), 7);
    /* the code point at column 7 is the 'z' */
    ck_assert_int_eq(line[strlen(line) - 1], 'z');
    sg_diagnostics_free(d);
    sgi_source_fini(&src);
}
END_TEST

/* A very long line is cut (the header: at 1000 code points), and what is
 * left is valid UTF-8 even when the cut falls inside a character. */
START_TEST(test_source_line_long)
{
    size_t n = 6000;
    char *text = malloc(n * 3);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 3, "\xe6\x97\xa5", 3);
    sgi_source src;
    source_of(&src, "long", text, n * 3);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_mark at = {1, 1, 0};
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", &at, NULL, NULL, "m"), SG_OK);
    const char *line = sg_diagnostics_get(d, 0)->source_line;
    ck_assert(valid_utf8(line, strlen(line)));
    ck_assert_msg(code_points(line) <= 1000, "source line kept %zu code points (documented: 1000)",
                  code_points(line));
    sg_diagnostics_free(d);
    sgi_source_fini(&src);
    free(text);
}
END_TEST

Suite *suite_diag(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("list");
    tcase_add_test(tc, test_fields);
    tcase_add_test(tc, test_optional_fields);
    tcase_add_test(tc, test_position_past_last_line);
    tcase_add_test(tc, test_null_and_bounds);
    tcase_add_test(tc, test_limit_keeps_and_tallies);
    tcase_add_test(tc, test_append_as_if_added);
    tcase_add_test(tc, test_default_limit);
    tcase_add_test(tc, test_limit_through_options);
    tcase_add_test(tc, test_sort_stable);
    tcase_add_test(tc, test_sort_many);
    tcase_add_test(tc, test_sort_two_runs_fast);
    tcase_add_test(tc, test_related);
    suite_add_tcase(s, tc);

    tc = tcase_create("escaping");
    tcase_add_loop_test(tc, test_excerpt, 0, (int)(sizeof ex_cases / sizeof ex_cases[0]));
    tcase_add_test(tc, test_excerpt_small_buffers);
    tcase_add_test(tc, test_messages_escaped);
    tcase_add_test(tc, test_source_line);
    tcase_add_test(tc, test_source_line_of_encoding_error);
    tcase_add_test(tc, test_source_line_columns);
    tcase_add_test(tc, test_source_line_long);
    suite_add_tcase(s, tc);
    return s;
}
