/* Unit tests of the strict JSON scanner (src/json_reader.c).
 *
 * Tables of (input, expected event trace) and (bad input, position, message
 * part). A trace is one word group per event:
 *   DOC L:C            document start (its end equals its start)
 *   /DOC L:C           document end
 *   MAP L:C, SEQ L:C   container start (its end is one column further)
 *   /MAP L:C-L:C       container end, /SEQ likewise
 *   STR(x) NUM(x) TRUE FALSE NULL, then L:C-L:C
 * With .offsets set, every mark is written L:C@OFFSET. In STR(...) bytes
 * below 0x20, 0x7F and backslashes are written \xHH. Every input is also fed
 * in chunks of 1..8, 13 and 64 bytes and must give the same full trace. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* ---- trace recording ---------------------------------------------------- */

typedef struct trace {
    char *s;
    size_t len, cap;
    int offsets; /* write byte offsets in marks */
    int full;    /* also write the ends of START events */
    int bad;     /* an invariant of the event stream was broken */
    size_t events;
    size_t stop_at;     /* with stop_status: return it at this START depth */
    sg_status stop_status;
    size_t depth, after_stop;
} trace;

static void tr_printf(trace *t, const char *fmt, ...) SGI_PRINTF(2, 3);
static void tr_printf(trace *t, const char *fmt, ...)
{
    va_list ap;
    char tmp[256];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* Checked without ck_assert, which logs every call it passes: this runs
     * for each of 100 000 events in some tests. */
    if (n < 0 || (size_t)n >= sizeof tmp)
        ck_abort_msg("a trace item does not fit");
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s)
            ck_abort_msg("out of memory");
    }
    memcpy(t->s + t->len, tmp, (size_t)n + 1);
    t->len += (size_t)n;
}

static void tr_mark(trace *t, const sg_mark *m)
{
    if (t->offsets)
        tr_printf(t, "%u:%u@%zu", m->line, m->column, m->offset);
    else
        tr_printf(t, "%u:%u", m->line, m->column);
}

static void tr_span(trace *t, const sgi_event *ev)
{
    tr_mark(t, &ev->start);
    tr_printf(t, "-");
    tr_mark(t, &ev->end);
}

static sg_status tr_event(void *ctx, const sgi_event *ev)
{
    trace *t = ctx;
    static const char *const kinds[] = {"STR", "NUM", "TRUE", "FALSE", "NULL", "PLAIN"};
    if (t->stop_status != SG_OK && t->depth >= t->stop_at)
        t->after_stop++; /* the reader must have stopped */
    if (ev->anchor != NULL || ev->tag != NULL)
        t->bad = 1;
    if (t->len)
        tr_printf(t, " ");
    t->events++;
    switch (ev->type) {
    case SGI_EV_DOC_START:
    case SGI_EV_DOC_END:
        if (ev->start.line != ev->end.line || ev->start.column != ev->end.column ||
            ev->start.offset != ev->end.offset)
            t->bad = 1;
        tr_printf(t, ev->type == SGI_EV_DOC_START ? "DOC " : "/DOC ");
        tr_mark(t, &ev->start);
        break;
    case SGI_EV_MAP_START:
    case SGI_EV_SEQ_START:
        if (ev->end.line != ev->start.line || ev->end.column != ev->start.column + 1 ||
            ev->end.offset != ev->start.offset + 1)
            t->bad = 1;
        tr_printf(t, ev->type == SGI_EV_MAP_START ? "MAP " : "SEQ ");
        if (t->full)
            tr_span(t, ev);
        else
            tr_mark(t, &ev->start);
        t->depth++;
        if (t->stop_status != SG_OK && t->depth >= t->stop_at)
            return t->stop_status;
        break;
    case SGI_EV_MAP_END:
    case SGI_EV_SEQ_END:
        if (ev->end.line != ev->start.line || ev->end.column != ev->start.column + 1 ||
            ev->end.offset != ev->start.offset + 1)
            t->bad = 1;
        tr_printf(t, ev->type == SGI_EV_MAP_END ? "/MAP " : "/SEQ ");
        tr_span(t, ev);
        t->depth--;
        break;
    case SGI_EV_SCALAR:
        ck_assert_ptr_nonnull(ev->value);
        if (ev->value[ev->length] != '\0')
            t->bad = 1;
        tr_printf(t, "%s", kinds[ev->kind]);
        if (ev->kind == SGI_SC_STRING || ev->kind == SGI_SC_NUMBER) {
            tr_printf(t, "(");
            for (size_t i = 0; i < ev->length; i++) {
                unsigned char c = (unsigned char)ev->value[i];
                if (c < 0x20 || c == 0x7F || c == '\\')
                    tr_printf(t, "\\x%02X", c);
                else
                    tr_printf(t, "%c", c);
            }
            tr_printf(t, ")");
        }
        tr_printf(t, " ");
        tr_span(t, ev);
        break;
    default:
        t->bad = 1;
        break;
    }
    return SG_OK;
}

/* Run the reader over LEN bytes at IN; the trace and the status come back.
 * CHECK_ENC: run the encoding check first (it must pass). */
static sg_status run_with(int piped, const char *in, size_t len, size_t chunk, trace *t,
                          sg_diagnostics *diags, int check_enc)
{
    sgi_source src;
    sg_limits lim;
    sg_limits_init(&lim);
    ck_assert_int_eq(sgi_source_init(&src, "t.json", in, len), SG_OK);
    if (check_enc)
        ck_assert_int_eq(sgi_source_check_encoding(&src, diags), SG_OK);
    sg_status st = piped ? sgi_read_piped(sgi_json_read, &src, chunk, &lim, tr_event, t, diags)
                         : sgi_json_read(&src, chunk, &lim, tr_event, t, diags);
    sgi_source_fini(&src);
    return st;
}

/* Every input is also read with the scanner on a second thread
 * (sgi_read_piped), which must give the same events, status and
 * diagnostics. */
static sg_status run_reader(const char *in, size_t len, size_t chunk, trace *t,
                            sg_diagnostics *diags, int check_enc)
{
    trace p = *t;
    p.s = NULL;
    p.len = p.cap = 0;
    sg_diagnostics *pd = sg_diagnostics_new();
    ck_assert_ptr_nonnull(pd);
    sg_status pst = run_with(1, in, len, chunk, &p, pd, check_enc);
    sg_status st = run_with(0, in, len, chunk, t, diags, check_enc);
    ck_assert_int_eq(pst, st);
    ck_assert_str_eq(p.s ? p.s : "", t->s ? t->s : "");
    ck_assert_uint_eq(p.events, t->events);
    ck_assert_int_eq(p.bad, t->bad);
    if (diags) {
        ck_assert_uint_eq(sg_diagnostics_count(pd), sg_diagnostics_count(diags));
        for (size_t i = 0; i < sg_diagnostics_count(pd); i++) {
            const sg_diagnostic *a = sg_diagnostics_get(pd, i), *b = sg_diagnostics_get(diags, i);
            ck_assert_str_eq(a->message, b->message);
            ck_assert_uint_eq(a->start.offset, b->start.offset);
            ck_assert_uint_eq(a->start.line, b->start.line);
            ck_assert_uint_eq(a->start.column, b->start.column);
            ck_assert_int_eq(a->has_related, b->has_related);
        }
    }
    sg_diagnostics_free(pd);
    free(p.s);
    return st;
}

/* ---- accepted inputs ------------------------------------------------------ */

typedef struct good_case {
    const char *in;
    size_t len; /* 0: strlen(in) */
    int offsets;
    const char *want;
} good_case;

#define BOM "\xEF\xBB\xBF"

static const good_case goods[] = {
    {"{\"a\":1}", 0, 0,
     "DOC 1:1 MAP 1:1 STR(a) 1:2-1:5 NUM(1) 1:6-1:7 /MAP 1:7-1:8 /DOC 1:8"},
    {"[]", 0, 0, "DOC 1:1 SEQ 1:1 /SEQ 1:2-1:3 /DOC 1:3"},
    {"{}", 0, 1, "DOC 1:1@0 MAP 1:1@0 /MAP 1:2@1-1:3@2 /DOC 1:3@2"},
    {"  42  ", 0, 0, "DOC 1:3 NUM(42) 1:3-1:5 /DOC 1:5"},
    {"true", 0, 0, "DOC 1:1 TRUE 1:1-1:5 /DOC 1:5"},
    {"false\n", 0, 0, "DOC 1:1 FALSE 1:1-1:6 /DOC 1:6"},
    {"null", 0, 0, "DOC 1:1 NULL 1:1-1:5 /DOC 1:5"},
    {"\"\"", 0, 0, "DOC 1:1 STR() 1:1-1:3 /DOC 1:3"},
    {"-0", 0, 0, "DOC 1:1 NUM(-0) 1:1-1:3 /DOC 1:3"},
    {"[-0,1.5e+10,-1E-2,0.0,0e0,123456789012345678901234567890,1e400]", 0, 0,
     "DOC 1:1 SEQ 1:1 NUM(-0) 1:2-1:4 NUM(1.5e+10) 1:5-1:12 NUM(-1E-2) 1:13-1:18 "
     "NUM(0.0) 1:19-1:22 NUM(0e0) 1:23-1:26 NUM(123456789012345678901234567890) 1:27-1:57 "
     "NUM(1e400) 1:58-1:63 /SEQ 1:63-1:64 /DOC 1:64"},
    {"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", 0, 0,
     "DOC 1:1 SEQ 1:1 STR(\"\\x5C/\\x08\\x0C\\x0A\\x0D\\x09) 1:2-1:20 /SEQ 1:20-1:21 /DOC 1:21"},
    {"\"\\u00e9\\u65E5\\ud83d\\ude00\\u0041\"", 0, 1,
     "DOC 1:1@0 STR(\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80" "A) 1:1@0-1:33@32 /DOC 1:33@32"},
    {"{\"a\\u0000b\":null}", 0, 0,
     "DOC 1:1 MAP 1:1 STR(a\\x00b) 1:2-1:12 NULL 1:13-1:17 /MAP 1:17-1:18 /DOC 1:18"},
    /* line breaks: CRLF, CR and LF are one break each */
    {"{\r\n\"a\" : [1,\r\n2]\r\n}", 0, 1,
     "DOC 1:1@0 MAP 1:1@0 STR(a) 2:1@3-2:4@6 SEQ 2:7@9 NUM(1) 2:8@10-2:9@11 "
     "NUM(2) 3:1@14-3:2@15 /SEQ 3:2@15-3:3@16 /MAP 4:1@18-4:2@19 /DOC 4:2@19"},
    {"[1,\r2]", 0, 1,
     "DOC 1:1@0 SEQ 1:1@0 NUM(1) 1:2@1-1:3@2 NUM(2) 2:1@4-2:2@5 /SEQ 2:2@5-2:3@6 /DOC 2:3@6"},
    {"[1,\n2]", 0, 0, "DOC 1:1 SEQ 1:1 NUM(1) 1:2-1:3 NUM(2) 2:1-2:2 /SEQ 2:2-2:3 /DOC 2:3"},
    {"\r\n\r\n\n\r[1]\n\r", 0, 1,
     "DOC 5:1@6 SEQ 5:1@6 NUM(1) 5:2@7-5:3@8 /SEQ 5:3@8-5:4@9 /DOC 5:4@9"},
    {"\n\r\r\n[]", 0, 0, "DOC 4:1 SEQ 4:1 /SEQ 4:2-4:3 /DOC 4:3"},
    {"\t[\t1\t]", 0, 0, "DOC 1:2 SEQ 1:2 NUM(1) 1:4-1:5 /SEQ 1:6-1:7 /DOC 1:7"},
    /* a leading BOM is skipped, counted in offsets, not in columns */
    {BOM "{\"a\":1}", 0, 1,
     "DOC 1:1@3 MAP 1:1@3 STR(a) 1:2@4-1:5@7 NUM(1) 1:6@8-1:7@9 /MAP 1:7@9-1:8@10 /DOC 1:8@10"},
    {BOM "\n 7", 0, 1, "DOC 2:2@5 NUM(7) 2:2@5-2:3@6 /DOC 2:3@6"},
    /* columns count code points */
    {"{\"\xC3\xA9\":\"\xE6\x97\xA5\xE6\x9C\xAC\",\"x\":1}", 0, 1,
     "DOC 1:1@0 MAP 1:1@0 STR(\xC3\xA9) 1:2@1-1:5@5 STR(\xE6\x97\xA5\xE6\x9C\xAC) "
     "1:6@6-1:10@14 STR(x) 1:11@15-1:14@18 NUM(1) 1:15@19-1:16@20 /MAP 1:16@20-1:17@21 "
     "/DOC 1:17@21"},
    {"[\"\xF0\x9F\x98\x80x\", 1]", 0, 1,
     "DOC 1:1@0 SEQ 1:1@0 STR(\xF0\x9F\x98\x80x) 1:2@1-1:6@8 NUM(1) 1:8@10-1:9@11 "
     "/SEQ 1:9@11-1:10@12 /DOC 1:10@12"},
    {"[\"\xE2\x80\xA8\x7F\"]", 0, 0,
     "DOC 1:1 SEQ 1:1 STR(\xE2\x80\xA8\\x7F) 1:2-1:6 /SEQ 1:6-1:7 /DOC 1:7"},
    {"\"\xC3\xA9\" ", 0, 0, "DOC 1:1 STR(\xC3\xA9) 1:1-1:4 /DOC 1:4"},
    {"[[[[]]]]", 0, 0,
     "DOC 1:1 SEQ 1:1 SEQ 1:2 SEQ 1:3 SEQ 1:4 /SEQ 1:5-1:6 /SEQ 1:6-1:7 /SEQ 1:7-1:8 "
     "/SEQ 1:8-1:9 /DOC 1:9"},
    {"{\"a\":{\"b\":[true,false,null,{}]},\"c\":\"d\"}", 0, 0,
     "DOC 1:1 MAP 1:1 STR(a) 1:2-1:5 MAP 1:6 STR(b) 1:7-1:10 SEQ 1:11 TRUE 1:12-1:16 "
     "FALSE 1:17-1:22 NULL 1:23-1:27 MAP 1:28 /MAP 1:29-1:30 /SEQ 1:30-1:31 "
     "/MAP 1:31-1:32 STR(c) 1:33-1:36 STR(d) 1:37-1:40 /MAP 1:40-1:41 /DOC 1:41"},
    {"{\"a\":1,\"a\":2}", 0, 0, /* duplicates are the builder's business */
     "DOC 1:1 MAP 1:1 STR(a) 1:2-1:5 NUM(1) 1:6-1:7 STR(a) 1:8-1:11 NUM(2) 1:12-1:13 "
     "/MAP 1:13-1:14 /DOC 1:14"},
    {"[1 ,2 ] ", 0, 0, "DOC 1:1 SEQ 1:1 NUM(1) 1:2-1:3 NUM(2) 1:5-1:6 /SEQ 1:7-1:8 /DOC 1:8"},
    /* empty input sends no events: the builder reports "empty document" */
    {"", 0, 0, ""},
    {"  \n\t\r\n ", 0, 0, ""},
    {BOM, 0, 0, ""},
    {BOM "  \n", 0, 0, ""},
};

/* ---- rejected inputs ------------------------------------------------------ */

typedef struct bad_case {
    const char *in;
    size_t len; /* 0: strlen(in) */
    unsigned line, column;
    const char *msg; /* a part of the message */
} bad_case;

static const bad_case bads[] = {
    /* comments */
    {"[1, // c\n2]", 0, 1, 5, "JSON has no comments"},
    {"/* c */ {}", 0, 1, 1, "JSON has no comments"},
    {"{\"a\":1 /* c */}", 0, 1, 8, "JSON has no comments"},
    {"{\"a\":1} // c", 0, 1, 9, "JSON has no comments"},
    {"{\"a\":/**/1}", 0, 1, 6, "'/* */' comment"},
    {"[1]\n\n# x", 0, 3, 1, "JSON has no comments"},
    /* trailing commas */
    {"[1,2,]", 0, 1, 5, "remove the comma"},
    {"[1,2,\n  ]", 0, 1, 5, "trailing comma before ']'"},
    {"{\"a\":1,}", 0, 1, 7, "remove the comma"},
    {"{\"a\":1 , }", 0, 1, 8, "trailing comma before '}'"},
    /* quotes and keys */
    {"['a']", 0, 1, 2, "use double quotes"},
    {"'a'", 0, 1, 1, "use double quotes"},
    {"{'a':1}", 0, 1, 2, "use double quotes"},
    {"{\"a\":1,'b':2}", 0, 1, 8, "use double quotes"},
    {"{a:1}", 0, 1, 2, "is not quoted"},
    {"{\"a\":1, b_2:2}", 0, 1, 9, "write \"b_2\""},
    {"{1:1}", 0, 1, 2, "is not quoted"},
    /* not numbers */
    {"[NaN]", 0, 1, 2, "JSON has no NaN or Infinity"},
    {"[nan]", 0, 1, 2, "not a valid JSON number"},
    {"[Infinity]", 0, 1, 2, "not a valid JSON number"},
    {"[-Infinity]", 0, 1, 2, "not a valid JSON number"},
    {"[-inf]", 0, 1, 2, "JSON has no NaN or Infinity"},
    {"{\"a\": -NaN}", 0, 1, 7, "JSON has no NaN"},
    /* malformed numbers */
    {"[01]", 0, 1, 2, "leading zeros"},
    {"[-01]", 0, 1, 2, "leading zeros"},
    {"007", 0, 1, 1, "leading zeros"},
    {"[2.]", 0, 1, 2, "a digit must follow the decimal point"},
    {"[2.e3]", 0, 1, 2, "a digit must follow the decimal point"},
    {"[.5]", 0, 1, 2, "a digit must come before the decimal point"},
    {"[-.1]", 0, 1, 2, "a digit must come before the decimal point"},
    {"[0.e1]", 0, 1, 2, "a digit must follow the decimal point"},
    {"[1e]", 0, 1, 2, "the exponent has no digits"},
    {"[1E-]", 0, 1, 2, "the exponent has no digits"},
    {"[1.5e+]", 0, 1, 2, "the exponent has no digits"},
    {"[+1]", 0, 1, 2, "cannot start with '+'"},
    {"[-]", 0, 1, 2, "'-' must be followed by digits"},
    {"[- 1]", 0, 1, 2, "'-' must be followed by digits"},
    {"[0x1F]", 0, 1, 2, "decimal"},
    {"[1.2.3]", 0, 1, 2, "'1.2.3' is not a valid JSON number"},
    {"[1x]", 0, 1, 2, "not a valid JSON number"},
    {"12a", 0, 1, 1, "not a valid JSON number"},
    /* control characters in strings */
    {"[\"a\tb\"]", 0, 1, 4, "escape it as \\t"},
    {"[\"a\nb\"]", 0, 1, 4, "escape it as \\n"},
    {"[\"a\r\nb\"]", 0, 1, 4, "escape it as \\r"},
    {"[\"\x01\"]", 0, 1, 3, "escape it as \\u0001"},
    {"[\"\x1F\"]", 0, 1, 3, "U+001F"},
    {"[\"a\0\"]", 6, 1, 4, "U+0000"},
    /* escapes */
    {"[\"\\x41\"]", 0, 1, 3, "invalid escape '\\x'"},
    {"[\"\\a\"]", 0, 1, 3, "invalid escape"},
    {"[\"\\'\"]", 0, 1, 3, "invalid escape"},
    {"[\"\\u12\"]", 0, 1, 3, "four hex digits"},
    {"[\"\\u12G4\"]", 0, 1, 3, "four hex digits"},
    {"[\"\\U0041\"]", 0, 1, 3, "invalid escape"},
    {"[\"\\\t\"]", 0, 1, 3, "raw control character U+0009"},
    {"[\\u0041]", 0, 1, 2, "escapes only work inside double-quoted strings"},
    {"[\"ab\\\xC3\xA9\"]", 0, 1, 5, "invalid escape '\\\xC3\xA9'"},
    /* lone surrogates */
    {"[\"\\ud800\"]", 0, 1, 3, "cannot be represented in UTF-8"},
    {"[\"\\uD800\\u0041\"]", 0, 1, 3, "lone high surrogate"},
    {"[\"\\ud800x\"]", 0, 1, 3, "lone high surrogate"},
    {"[\"\\ud800\\\"\"]", 0, 1, 3, "lone high surrogate"},
    {"[\"\\ud800\\ud800\"]", 0, 1, 3, "lone high surrogate"},
    {"[\"x\\udc00\"]", 0, 1, 4, "cannot be represented in UTF-8"},
    {"{\"\\uDFFF\":1}", 0, 1, 3, "lone low surrogate"},
    /* invalid UTF-8 (normally caught by the encoding check) */
    {"[\"\xFF\"]", 0, 1, 3, "invalid UTF-8"},
    {"[\"a\xC3\"]", 0, 1, 4, "invalid UTF-8"},
    {"[\"\xC0\xAF\"]", 0, 1, 3, "invalid UTF-8"},
    {"[\"\xED\xA0\x80\"]", 0, 1, 3, "invalid UTF-8"},
    {"[\"\xF4\x90\x80\x80\"]", 0, 1, 3, "invalid UTF-8"},
    {"[\"\xE6\x97\"", 0, 1, 3, "invalid UTF-8"},
    {"[\"\xE6\x97", 0, 1, 2, "unclosed string"},
    {"[\xFF]", 0, 1, 2, "invalid UTF-8 byte 0xFF"},
    {"[\xC3\xA9]", 0, 1, 2, "U+00E9"},
    /* NUL bytes */
    {"[1]\0", 4, 1, 4, "NUL byte"},
    {"\0", 1, 1, 1, "NUL byte"},
    {"[\0]", 3, 1, 2, "NUL byte"},
    /* unclosed things */
    {"[\"abc", 0, 1, 2, "unclosed string"},
    {"\"abc\\", 0, 1, 1, "unclosed string"},
    {"\"\\u00", 0, 1, 1, "unclosed string"},
    {"\"\\ud800", 0, 1, 1, "unclosed string"},
    {"\"\\ud800\\udc00", 0, 1, 1, "unclosed string"},
    {"\"\\ud800\\", 0, 1, 1, "unclosed string"},
    {"[1,2", 0, 1, 1, "unclosed array"},
    {"[1,", 0, 1, 1, "unclosed array"},
    {"[", 0, 1, 1, "unclosed array"},
    {"{\"a\":1", 0, 1, 1, "unclosed object"},
    {"{\"a\"", 0, 1, 1, "unclosed object"},
    {"{\"a\":", 0, 1, 1, "unclosed object"},
    {"{", 0, 1, 1, "unclosed object"},
    {"{\"a\":[1,{\"b\":2}", 0, 1, 6, "unclosed array"},
    {"[\n  {\"a\": [1]\n", 0, 2, 3, "unclosed object"},
    /* missing colon, comma, value */
    {"{\"a\" 1}", 0, 1, 6, "expected ':' after the key \"a\""},
    {"{\"a\"}", 0, 1, 5, "add a colon"},
    {"{\"a\"=1}", 0, 1, 5, "found '='"},
    {"[1 2]", 0, 1, 4, "add a comma"},
    {"[\"a\" \"b\"]", 0, 1, 6, "expected ',' or ']'"},
    {"{\"a\":1 \"b\":2}", 0, 1, 8, "expected ',' or '}'"},
    {"{\"a\":}", 0, 1, 6, "expected a value after ':'"},
    {"[,1]", 0, 1, 2, "unexpected ','"},
    {"{,}", 0, 1, 2, "expected an object key"},
    {"[1,,2]", 0, 1, 4, "unexpected ','"},
    {"{\"a\"::1}", 0, 1, 6, "unexpected ':'"},
    {"[1:2]", 0, 1, 3, "expected ',' or ']'"},
    /* bad closers */
    {"[1}", 0, 1, 3, "'}' does not close the '[' opened at 1:1"},
    {"{\"a\":1]", 0, 1, 7, "does not close the '{'"},
    {"]", 0, 1, 1, "unexpected ']'"},
    {"{]", 0, 1, 2, "does not close"},
    /* words */
    {"[True]", 0, 1, 2, "write true"},
    {"[TRUE]", 0, 1, 2, "lower case"},
    {"False", 0, 1, 1, "write false"},
    {"{\"a\":NULL}", 0, 1, 6, "write null"},
    {"[undefined]", 0, 1, 2, "use null"},
    {"[None]", 0, 1, 2, "use null"},
    {"[tru]", 0, 1, 2, "incomplete literal 'tru'"},
    {"nul", 0, 1, 1, "incomplete literal"},
    {"[truex]", 0, 1, 2, "unexpected word 'truex'"},
    {"[abc]", 0, 1, 2, "write \"abc\""},
    {"[a\xC3\xA5]", 0, 1, 2, "write \"a\""},
    /* trailing data */
    {"{} x", 0, 1, 4, "a JSON file holds exactly one value; found more at 1:4"},
    {"{}{}", 0, 1, 3, "found more at 1:3"},
    {"1 2", 0, 1, 3, "exactly one value"},
    {"\"a\"\n\"b\"", 0, 2, 1, "found more at 2:1 after the value that ended at 1:4"},
    {"[1]]", 0, 1, 4, "exactly one value"},
    {"{\"a\":1}\n{\"b\":2}\n", 0, 2, 1, "exactly one value"},
    /* stray byte order marks */
    {"[1," BOM "2]", 0, 1, 4, "byte order mark"},
    {"{}" BOM, 0, 1, 3, "byte order mark"},
    {BOM BOM "{}", 0, 1, 1, "byte order mark"},
    /* other characters */
    {"[\x01]", 0, 1, 2, "control character U+0001"},
    {"[1]\x7F", 0, 1, 4, "control character U+007F"},
    {"@", 0, 1, 1, "unexpected '@'"},
    {"{\"a\":1,\"b\"  \x0B}", 0, 1, 13, "control character U+000B"},
    /* positions after multi-byte characters, CRLF, CR, LF and a BOM */
    {"{\"\xE6\x97\xA5\xE6\x9C\xAC\": 01}", 0, 1, 8, "leading zeros"},
    {"[\"\xF0\x9F\x98\x80\", x]", 0, 1, 7, "write \"x\""},
    {"[1,\r\n  x]", 0, 2, 3, "write \"x\""},
    {"[\r\r  'a']", 0, 3, 3, "use double quotes"},
    {"[\n\n\n   .5]", 0, 4, 4, "before the decimal point"},
    {"\r\n\r\n\n\r[1,]", 0, 5, 3, "trailing comma"},
    {BOM " [01]", 0, 1, 3, "leading zeros"},
    {BOM "\r\n[\"\xC3\xA9\", 'x']", 0, 2, 7, "use double quotes"},
};

static void check_diag(const bad_case *b, sg_status st, sg_diagnostics *d, size_t chunk)
{
    ck_assert_msg(st == SG_EINPUT, "input %zu bytes at chunk %zu: status %d", strlen(b->in),
                  chunk, (int)st);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->severity, SG_SEVERITY_ERROR);
    ck_assert_str_eq(g->rule, "json-syntax");
    ck_assert_msg(g->start.line == b->line && g->start.column == b->column,
                  "want %u:%u, got %u:%u (%s)", b->line, b->column, g->start.line,
                  g->start.column, g->message);
    ck_assert_msg(strstr(g->message, b->msg) != NULL, "message \"%s\" lacks \"%s\"", g->message,
                  b->msg);
}

START_TEST(test_good)
{
    const good_case *g = &goods[_i];
    size_t len = g->len ? g->len : strlen(g->in);
    trace t = {0};
    t.offsets = g->offsets;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    sg_status st = run_reader(g->in, len, 0, &t, d, 1);
    ck_assert_msg(st == SG_OK, "status %d for case %d", (int)st, _i);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    ck_assert_int_eq(t.bad, 0);
    ck_assert_str_eq(t.s ? t.s : "", g->want);
    free(t.s);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_bad)
{
    const bad_case *b = &bads[_i];
    size_t len = b->len ? b->len : strlen(b->in);
    trace t = {0};
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    sg_status st = run_reader(b->in, len, 0, &t, d, 0);
    check_diag(b, st, d, 0);
    free(t.s);
    sg_diagnostics_free(d);
}
END_TEST

/* The full trace of IN (all marks with offsets) followed by the diagnostic. */
static char *full_trace(const char *in, size_t len, size_t chunk)
{
    trace t = {0};
    t.offsets = 1;
    t.full = 1;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    sg_status st = run_reader(in, len, chunk, &t, d, 0);
    ck_assert_int_eq(t.bad, 0);
    tr_printf(&t, " => %d", (int)st);
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        tr_printf(&t, " [%u:%u@%zu %s", g->start.line, g->start.column, g->start.offset,
                  g->rule);
        tr_printf(&t, " %.200s", g->message);
        if (g->has_related)
            tr_printf(&t, " related %u:%u@%zu", g->related.line, g->related.column,
                      g->related.offset);
        tr_printf(&t, "]");
    }
    sg_diagnostics_free(d);
    return t.s;
}

static void same_in_chunks(const char *in, size_t len)
{
    static const size_t chunks[] = {1, 2, 3, 4, 5, 6, 7, 8, 13, 64};
    char *whole = full_trace(in, len, 0);
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        char *part = full_trace(in, len, chunks[i]);
        ck_assert_msg(strcmp(whole, part) == 0, "chunk %zu:\n  %s\nwhole:\n  %s", chunks[i],
                      part, whole);
        free(part);
    }
    free(whole);
}

START_TEST(test_chunks_good)
{
    const good_case *g = &goods[_i];
    same_in_chunks(g->in, g->len ? g->len : strlen(g->in));
}
END_TEST

START_TEST(test_chunks_bad)
{
    const bad_case *b = &bads[_i];
    size_t len = b->len ? b->len : strlen(b->in);
    same_in_chunks(b->in, len);
    /* and the expected diagnostic holds at every chunk size */
    for (size_t chunk = 1; chunk <= 8; chunk++) {
        trace t = {0};
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_ptr_nonnull(d);
        check_diag(b, run_reader(b->in, len, chunk, &t, d, 0), d, chunk);
        free(t.s);
        sg_diagnostics_free(d);
    }
}
END_TEST

/* A longer document mixing everything, so tokens straddle many windows. */
static char *mixed_doc(size_t *len)
{
    trace t = {0};
    tr_printf(&t, BOM "{\r\n");
    for (int i = 0; i < 60; i++) {
        tr_printf(&t, "  \"k\xC3\xA9y%d\\u00e9\\ud83d\\ude00\" : [%d, -%d.%de+%d, true, false,"
                  " null, \"\xE6\x97\xA5\\n\\\"x\\\\\xF0\x9F\x98\x80 %d\", {}, []]%s\n",
                  i, i, i, i * 7, i % 5, i, i == 59 ? "" : ",\r");
    }
    tr_printf(&t, "}\n");
    *len = t.len;
    return t.s;
}

START_TEST(test_chunks_long)
{
    size_t len;
    char *doc = mixed_doc(&len);
    same_in_chunks(doc, len);
    for (size_t chunk = 9; chunk < 40; chunk++) {
        char *a = full_trace(doc, len, 0), *b = full_trace(doc, len, chunk);
        ck_assert_str_eq(a, b);
        ck_assert_ptr_null(strstr(a, "[")); /* no diagnostic */
        free(a);
        free(b);
    }
    free(doc);
}
END_TEST

START_TEST(test_unclosed_related)
{
    trace t = {0};
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(run_reader("{\"a\": [1,\n 2\n", 13, 0, &t, d, 0), SG_EINPUT);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_uint_eq(g->start.line, 1);
    ck_assert_uint_eq(g->start.column, 7);
    ck_assert_int_eq(g->has_related, 1);
    ck_assert_uint_eq(g->related.line, 3);
    ck_assert_uint_eq(g->related.column, 1);
    ck_assert_uint_eq(g->related.offset, 13);
    free(t.s);
    sg_diagnostics_free(d);
}
END_TEST

/* The builder stops the reader at its depth limit by returning an error. */
START_TEST(test_stop)
{
    static const sg_status stops[] = {SG_EINPUT, SG_ENOMEM};
    size_t n = 100000;
    char *deep = malloc(n);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', n);
    for (size_t chunk = 0; chunk < 3; chunk++) {
        trace t = {0};
        t.stop_at = 257;
        t.stop_status = stops[_i];
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(run_reader(deep, n, chunk * 1000, &t, d, 0), stops[_i]);
        ck_assert_uint_eq(t.after_stop, 0);
        ck_assert_uint_eq(t.events, 258); /* DOC + 257 SEQ */
        ck_assert_uint_eq(sg_diagnostics_count(d), 0);
        free(t.s);
        sg_diagnostics_free(d);
    }
    free(deep);
}
END_TEST

/* Many values, one longer than a batch's bytes: the scanner on a second
 * thread (run_reader compares) fills batches by count and by size, waits
 * for the builder, and stops when the builder stops. */
START_TEST(test_many_values)
{
    size_t n = 5000, big = 200000;
    char *in = malloc(n * 110 + big + 16);
    ck_assert_ptr_nonnull(in);
    size_t len = 0;
    in[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)sprintf(in + len, "%s\"%0100zu\"", i ? "," : "", i);
        if (i == n / 2) {
            in[len++] = ',';
            in[len++] = '"';
            memset(in + len, 'x', big);
            len += big;
            in[len++] = '"';
        }
    }
    in[len++] = ']';
    for (int stop = 0; stop < 2; stop++) {
        trace t = {0};
        if (stop) {
            t.stop_at = 2; /* a nested array after all the strings */
            t.stop_status = SG_EINPUT;
            memcpy(in + len - 1, ",[1]]", 5);
        }
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(run_reader(in, len + (stop ? 4 : 0), 0, &t, d, 0),
                         stop ? SG_EINPUT : SG_OK);
        ck_assert_uint_eq(t.events, stop ? n + 4 : n + 5);
        free(t.s);
        sg_diagnostics_free(d);
    }
    free(in);
}
END_TEST

/* Without a stop the reader nests as deep as the input and reports the
 * innermost unclosed bracket. */
START_TEST(test_deep)
{
    size_t n = 100000;
    char *deep = malloc(n);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', n);
    trace t = {0};
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(run_reader(deep, n, 0, &t, d, 0), SG_EINPUT);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_uint_eq(g->start.column, n);
    ck_assert_ptr_nonnull(strstr(g->message, "unclosed array"));
    free(t.s);
    sg_diagnostics_free(d);
    free(deep);
}
END_TEST

/* Values keep their length: NUL bytes inside strings survive. */
static sg_status len_event(void *ctx, const sgi_event *ev)
{
    if (ev->type == SGI_EV_SCALAR)
        *(size_t *)ctx = ev->length;
    return SG_OK;
}

START_TEST(test_nul_in_value)
{
    sgi_source src;
    static const char in[] = "\"a\\u0000b\\u0000\"";
    size_t seen = 0;
    ck_assert_int_eq(sgi_source_init(&src, "t.json", in, sizeof in - 1), SG_OK);
    ck_assert_int_eq(sgi_json_read(&src, 0, NULL, len_event, &seen, NULL), SG_OK);
    ck_assert_uint_eq(seen, 4);
    sgi_source_fini(&src);
}
END_TEST

Suite *suite_json_reader(void)
{
    Suite *s = suite_create("json_reader");
    TCase *tc = tcase_create("tables");
    int ngood = (int)(sizeof goods / sizeof *goods), nbad = (int)(sizeof bads / sizeof *bads);
    tcase_add_loop_test(tc, test_good, 0, ngood);
    tcase_add_loop_test(tc, test_bad, 0, nbad);
    suite_add_tcase(s, tc);
    tc = tcase_create("chunks");
    tcase_add_loop_test(tc, test_chunks_good, 0, ngood);
    tcase_add_loop_test(tc, test_chunks_bad, 0, nbad);
    tcase_add_test(tc, test_chunks_long);
    suite_add_tcase(s, tc);
    tc = tcase_create("edges");
    tcase_add_test(tc, test_unclosed_related);
    tcase_add_loop_test(tc, test_stop, 0, 2);
    tcase_add_test(tc, test_deep);
    tcase_add_test(tc, test_many_values);
    tcase_add_test(tc, test_nul_in_value);
    suite_add_tcase(s, tc);
    return s;
}
