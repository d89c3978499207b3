/* Unit tests of the YAML reader: event traces with marks, errors with their
 * positions and hints, and independence from the read chunk size. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* ---- traces --------------------------------------------------------------- */

typedef struct trace {
    char *s;
    size_t len, cap;
    int full;    /* every mark with offsets, and end marks of every event */
    int stop_at; /* > 0: return SG_EUSAGE at this event (1-based) */
    int count;
} trace;

static void tr_put(trace *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (t->len + n + 1 > cap)
            cap *= 2;
        t->s = realloc(t->s, cap);
        ck_assert_ptr_nonnull(t->s);
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void tr_puts(trace *t, const char *s)
{
    tr_put(t, s, strlen(s));
}

static void tr_mark(trace *t, const sg_mark *m)
{
    char b[64];
    if (t->full)
        snprintf(b, sizeof b, "%u:%u@%zu", m->line, m->column, m->offset);
    else
        snprintf(b, sizeof b, "%u:%u", m->line, m->column);
    tr_puts(t, b);
}

/* Scalar text, with breaks and other bytes that would blur the trace
 * escaped. */
static void tr_text(trace *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char b[8];
        if (c == '\n')
            tr_puts(t, "\\n");
        else if (c < 0x20 || c == 0x7F || c == '(' || c == ')' || c == '\\') {
            snprintf(b, sizeof b, "\\x%02X", c);
            tr_puts(t, b);
        } else
            tr_put(t, s + i, 1);
    }
}

static sg_status tr_event(void *ctx, const sgi_event *ev)
{
    static const char *const names[] = {"DOC", "/DOC", "MAP", "/MAP", "SEQ", "/SEQ", "", "ALIAS"};
    trace *t = ctx;
    t->count++;
    if (t->stop_at && t->count == t->stop_at)
        return SG_EUSAGE;
    if (t->len)
        tr_puts(t, " ");
    if (ev->type == SGI_EV_SCALAR) {
        ck_assert(ev->kind == SGI_SC_PLAIN || ev->kind == SGI_SC_STRING);
        tr_puts(t, ev->kind == SGI_SC_PLAIN ? "PLAIN(" : "STR(");
        tr_text(t, ev->value, ev->length);
        tr_puts(t, ")");
    } else {
        tr_puts(t, names[ev->type]);
        if (ev->type == SGI_EV_ALIAS) {
            ck_assert_uint_eq(ev->length, strlen(ev->value));
            tr_puts(t, "(");
            tr_text(t, ev->value, ev->length);
            tr_puts(t, ")");
        }
    }
    if (ev->anchor) {
        tr_puts(t, "&");
        tr_puts(t, ev->anchor);
    }
    if (ev->tag) {
        tr_puts(t, "<");
        tr_puts(t, ev->tag);
        tr_puts(t, ">");
    }
    int ranged = t->full || ev->type == SGI_EV_SCALAR || ev->type == SGI_EV_ALIAS;
    int closing = ev->type == SGI_EV_DOC_END || ev->type == SGI_EV_MAP_END ||
                  ev->type == SGI_EV_SEQ_END;
    if (!closing || t->full) {
        tr_puts(t, " ");
        tr_mark(t, &ev->start);
        if (ranged) {
            tr_puts(t, "-");
            tr_mark(t, &ev->end);
        }
    }
    return SG_OK;
}

static void tr_free(trace *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

static sg_status run_with(int piped, const char *in, size_t len, size_t chunk, trace *t,
                          sg_diagnostics **diags)
{
    sgi_source src;
    sg_limits limits;
    sg_limits_init(&limits);
    *diags = sg_diagnostics_new();
    ck_assert_ptr_nonnull(*diags);
    ck_assert_int_eq(sgi_source_init(&src, "t.yaml", in, len), SG_OK);
    sg_diagnostics *scratch = sg_diagnostics_new();
    ck_assert_ptr_nonnull(scratch);
    (void)sgi_source_check_encoding(&src, scratch);
    sg_diagnostics_free(scratch);
    sg_status st = (piped ? sgi_yaml_read_piped : sgi_yaml_read)(&src, chunk, &limits, tr_event, t,
                                                                   *diags);
    sgi_source_fini(&src);
    if (!t->s)
        tr_puts(t, "");
    return st;
}

/* Read LEN bytes of IN as YAML, CHUNK bytes at a time, into T. Returns the
 * reader's status; *DIAGS gets its diagnostics. The encoding check runs
 * first, as in the pipeline (it finds the BOM and the line starts that
 * sgi_source_mark_at uses), but its verdict is ignored so that the reader's
 * own errors on bad bytes are tested too. Every input is also read with
 * libyaml on a second thread (sgi_yaml_read_piped), which must give the
 * same events, status and diagnostics. */
static sg_status run(const char *in, size_t len, size_t chunk, trace *t, sg_diagnostics **diags)
{
    trace p = {0};
    p.full = t->full;
    p.stop_at = t->stop_at;
    sg_diagnostics *pd = NULL;
    sg_status pst = run_with(1, in, len, chunk, &p, &pd);
    sg_status st = run_with(0, in, len, chunk, t, diags);
    ck_assert_int_eq(pst, st);
    ck_assert_str_eq(p.s, t->s);
    ck_assert_int_eq(p.count, t->count);
    ck_assert_uint_eq(sg_diagnostics_count(pd), sg_diagnostics_count(*diags));
    for (size_t i = 0; i < sg_diagnostics_count(pd); i++) {
        const sg_diagnostic *a = sg_diagnostics_get(pd, i), *b = sg_diagnostics_get(*diags, i);
        ck_assert_str_eq(a->message, b->message);
        ck_assert_uint_eq(a->start.offset, b->start.offset);
        ck_assert_uint_eq(a->start.line, b->start.line);
        ck_assert_uint_eq(a->start.column, b->start.column);
    }
    sg_diagnostics_free(pd);
    tr_free(&p);
    return st;
}

/* ---- well-formed inputs ------------------------------------------------- */

typedef struct ok_case {
    const char *in;
    const char *trace;
} ok_case;

static const ok_case ok_cases[] = {
    {"a: 1\n", "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN(1) 1:4-1:5 /MAP /DOC"},
    {"", ""},
    {"# only a comment\n", ""},
    {"a:\n", "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN() 1:3-1:3 /MAP /DOC"},
    {"- 'x'\n- \"y\"\n- z\n",
     "DOC 1:1 SEQ 1:1 STR(x) 1:3-1:6 STR(y) 2:3-2:6 PLAIN(z) 3:3-3:4 /SEQ /DOC"},
    {"a:\n  b: [1, {c: d}]\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 MAP 2:3 PLAIN(b) 2:3-2:4 SEQ 2:6 PLAIN(1) 2:7-2:8 MAP 2:10 "
     "PLAIN(c) 2:11-2:12 PLAIN(d) 2:14-2:15 /MAP /SEQ /MAP /MAP /DOC"},
    {"a: &x 1\nb: *x\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN(1)&x 1:4-1:8 PLAIN(b) 2:1-2:2 ALIAS(x) 2:4-2:6 /MAP "
     "/DOC"},
    {"&m !!map {k: &s !!seq [v]}\n",
     "DOC 1:1 MAP&m<tag:yaml.org,2002:map> 1:1 PLAIN(k) 1:11-1:12 SEQ&s<tag:yaml.org,2002:seq> "
     "1:14 PLAIN(v) 1:24-1:25 /SEQ /MAP /DOC"},
    {"- !!str 1\n- !custom x\n- ! y\n- !<tag:e.com,2000:z> w\n- \"q\"\n",
     "DOC 1:1 SEQ 1:1 PLAIN(1)<tag:yaml.org,2002:str> 1:3-1:10 PLAIN(x)<!custom> 2:3-2:12 "
     "PLAIN(y)<!> 3:3-3:6 PLAIN(w)<tag:e.com,2000:z> 4:3-4:24 STR(q) 5:3-5:6 /SEQ /DOC"},
    {"%TAG !e! tag:example.com,2000:\n---\n!e!foo x\n",
     "DOC 1:1 PLAIN(x)<tag:example.com,2000:foo> 3:1-3:9 /DOC"},
    {"a: |\n  x\n  y\nb: >\n  p\n  q\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 STR(x\\ny\\n) 1:4-4:1 PLAIN(b) 4:1-4:2 STR(p q\\n) 4:4-7:1 "
     "/MAP /DOC"},
    {"--- 1\n--- 2\n...\n", "DOC 1:1 PLAIN(1) 1:5-1:6 /DOC DOC 2:1 PLAIN(2) 2:5-2:6 /DOC"},
    {"? [a]\n: b\n", "DOC 1:1 MAP 1:1 SEQ 1:3 PLAIN(a) 1:4-1:5 /SEQ PLAIN(b) 2:3-2:4 /MAP /DOC"},
    {"'it''s': \"\\t\\u00e9\"\n",
     "DOC 1:1 MAP 1:1 STR(it's) 1:1-1:8 STR(\\x09\xc3\xa9) 1:10-1:20 /MAP /DOC"},
    /* Positions after multibyte UTF-8: columns count code points. */
    {"\xc3\xa9: \xc3\xbc\n",
     "DOC 1:1 MAP 1:1 PLAIN(\xc3\xa9) 1:1-1:2 PLAIN(\xc3\xbc) 1:4-1:5 /MAP /DOC"},
    {"\xf0\x9f\x98\x80\xe6\x97\xa5: [x]\n",
     "DOC 1:1 MAP 1:1 PLAIN(\xf0\x9f\x98\x80\xe6\x97\xa5) 1:1-1:3 SEQ 1:5 PLAIN(x) 1:6-1:7 /SEQ "
     "/MAP /DOC"},
    /* CRLF and lone CR are one break each. */
    {"a: 1\r\nb: 2\r\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN(1) 1:4-1:5 PLAIN(b) 2:1-2:2 PLAIN(2) 2:4-2:5 /MAP "
     "/DOC"},
    {"a: 1\rb: 2\r",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN(1) 1:4-1:5 PLAIN(b) 2:1-2:2 PLAIN(2) 2:4-2:5 /MAP "
     "/DOC"},
    {"a: |\r\n  x\r\n\r\nb: 1\r\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 STR(x\\n) 1:4-4:1 PLAIN(b) 4:1-4:2 PLAIN(1) 4:4-4:5 /MAP "
     "/DOC"},
    /* A BOM counts in offsets, not in columns. */
    {"\xef\xbb\xbf"
     "a: 1\n",
     "DOC 1:1 MAP 1:1 PLAIN(a) 1:1-1:2 PLAIN(1) 1:4-1:5 /MAP /DOC"},
    /* libyaml breaks lines at NEL as YAML 1.1 did; swaggate counts LF, CRLF
     * and CR only, so both items are on line 1. */
    {"- a\xc2\x85- b\n", "DOC 1:1 SEQ 1:1 PLAIN(a) 1:3-1:4 PLAIN(b) 1:7-1:8 /SEQ /DOC"},
};

START_TEST(test_ok_trace)
{
    const ok_case *c = &ok_cases[_i];
    trace t = {0};
    sg_diagnostics *d;
    sg_status st = run(c->in, strlen(c->in), 0, &t, &d);
    ck_assert_msg(st == SG_OK, "case %d: status %d", _i, (int)st);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    ck_assert_msg(strcmp(t.s, c->trace) == 0, "case %d:\n got: %s\nwant: %s", _i, t.s, c->trace);
    tr_free(&t);
    sg_diagnostics_free(d);
}
END_TEST

/* Byte offsets, for the inputs where they differ from the columns. */
typedef struct off_case {
    const char *in;
    const char *trace; /* full form, scalars only */
} off_case;

static sg_status tr_scalars(void *ctx, const sgi_event *ev)
{
    return ev->type == SGI_EV_SCALAR ? tr_event(ctx, ev) : SG_OK;
}

static const off_case off_cases[] = {
    {"\xc3\xa9: \xc3\xbc\n",
     "PLAIN(\xc3\xa9) 1:1@0-1:2@2 PLAIN(\xc3\xbc) 1:4@4-1:5@6"},
    {"\xf0\x9f\x98\x80\xe6\x97\xa5: x\n",
     "PLAIN(\xf0\x9f\x98\x80\xe6\x97\xa5) 1:1@0-1:3@7 PLAIN(x) 1:5@9-1:6@10"},
    {"a: 1\r\nb: 2\r\n",
     "PLAIN(a) 1:1@0-1:2@1 PLAIN(1) 1:4@3-1:5@4 PLAIN(b) 2:1@6-2:2@7 PLAIN(2) 2:4@9-2:5@10"},
    {"a: 1\rb: 2\r",
     "PLAIN(a) 1:1@0-1:2@1 PLAIN(1) 1:4@3-1:5@4 PLAIN(b) 2:1@5-2:2@6 PLAIN(2) 2:4@8-2:5@9"},
    {"\xef\xbb\xbf"
     "a: 1\n",
     "PLAIN(a) 1:1@3-1:2@4 PLAIN(1) 1:4@6-1:5@7"},
    {"\xef\xbb\xbf"
     "k: \xc3\xa9\r\nl: \xc3\xbc\n",
     "PLAIN(k) 1:1@3-1:2@4 PLAIN(\xc3\xa9) 1:4@6-1:5@8 PLAIN(l) 2:1@10-2:2@11 "
     "PLAIN(\xc3\xbc) 2:4@13-2:5@15"},
    {"- a\xc2\x85- b\n", "PLAIN(a) 1:3@2-1:4@3 PLAIN(b) 1:7@7-1:8@8"},
};

START_TEST(test_offsets)
{
    const off_case *c = &off_cases[_i];
    trace t = {0};
    t.full = 1;
    sgi_source src;
    sg_limits limits;
    sg_limits_init(&limits);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "t.yaml", c->in, strlen(c->in)), SG_OK);
    ck_assert_int_eq(sgi_yaml_read(&src, 0, &limits, tr_scalars, &t, d), SG_OK);
    ck_assert_msg(strcmp(t.s, c->trace) == 0, "case %d:\n got: %s\nwant: %s", _i, t.s, c->trace);
    tr_free(&t);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

/* Our marks agree with sgi_source_mark_at() (the one place that turns
 * offsets into lines and columns for diagnostics). */
typedef struct agree_ctx {
    sgi_source *src;
    int n;
} agree_ctx;

static void agree_one(agree_ctx *a, const sg_mark *m)
{
    sg_mark s = sgi_source_mark_at(a->src, m->offset);
    ck_assert_msg(s.line == m->line && s.column == m->column,
                  "offset %zu: reader %u:%u, source %u:%u", m->offset, m->line, m->column,
                  s.line, s.column);
    a->n++;
}

static sg_status agree_event(void *ctx, const sgi_event *ev)
{
    agree_one(ctx, &ev->start);
    agree_one(ctx, &ev->end);
    return SG_OK;
}

START_TEST(test_marks_agree_with_source)
{
    for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
        const char *in = ok_cases[i].in;
        sgi_source src;
        sg_limits limits;
        sg_limits_init(&limits);
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(sgi_source_init(&src, "t.yaml", in, strlen(in)), SG_OK);
        ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
        agree_ctx a = {&src, 0};
        ck_assert_int_eq(sgi_yaml_read(&src, 0, &limits, agree_event, &a, d), SG_OK);
        sgi_source_fini(&src);
        sg_diagnostics_free(d);
    }
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

typedef struct bad_case {
    const char *in;
    unsigned line, column;
    size_t offset;
    const char *msg;  /* substring of the message */
    const char *hint; /* a second substring, or NULL */
} bad_case;

static const bad_case bad_cases[] = {
    /* Tabs as indentation. */
    {"a:\n\tb: c\n", 2, 1, 3, "found character that cannot start any token",
     "tabs are not allowed for indentation in YAML; indent with spaces"},
    {"a:\n  b: 1\n\tc: 2\n", 3, 1, 10, "tab character that violates indentation",
     "tabs are not allowed for indentation"},
    {"a: |\n\tx\n", 2, 1, 5, "while scanning a block scalar (started at 1:4)",
     "tabs are not allowed for indentation"},
    {"\t- a\n", 1, 1, 0, "cannot start any token", "indent with spaces"},
    /* Bad indentation. */
    {"a:\n  b: 1\n c: 2\n", 3, 2, 11,
     "while parsing a block mapping (started at 1:1): did not find expected key",
     "check the indentation"},
    {"a:\n  b: 1\n    c: 2\n", 3, 6, 15, "mapping values are not allowed in this context",
     "check the indentation"},
    {"a:\n  - b\n  c: [x\n", 3, 3, 11, "did not find expected '-' indicator", NULL},
    /* Unclosed quotes and flow collections. */
    {"a: 'abc\n", 2, 1, 8,
     "while scanning a quoted scalar (started at 1:4): found unexpected end of stream",
     "close the quoted scalar"},
    {"a: \"abc\n", 2, 1, 8, "while scanning a quoted scalar (started at 1:4)", "close the quoted"},
    {"a: [1, 2\n", 2, 1, 9,
     "while parsing a flow sequence (started at 1:4): did not find expected ',' or ']'",
     "close the flow sequence with ']'"},
    {"a: {x: 1\n", 2, 1, 9, "did not find expected ',' or '}'", "close the flow mapping"},
    /* Directives. */
    {"%YAML 2.0\n---\na: 1\n", 1, 1, 0, "found incompatible YAML document", "%YAML 1.2"},
    /* Reader errors are positioned by byte offset. */
    {"a: b\x01\n", 1, 5, 4, "control characters are not allowed (U+0001)", NULL},
    {"a: \xff\n", 1, 4, 3, "invalid leading UTF-8 octet (byte 0xFF)", "UTF-8"},
    {"\xef\xbb\xbf"
     "a: \xc3\xa9\xff\n",
     1, 5, 8, "invalid leading UTF-8 octet", NULL},
    {"\xff\xfe"
     "a\0:\0",
     1, 1, 0, "invalid leading UTF-8 octet", NULL},
    /* Plain scalars with ': '. */
    {"a: b: c\n", 1, 5, 4, "mapping values are not allowed in this context",
     "quote the value: a plain scalar cannot contain ': '"},
    {"description: Note: x\n", 1, 18, 17, "mapping values are not allowed", "quote the value"},
    /* Positions after multibyte UTF-8, a BOM and CRLF. */
    {"\xc3\xa9: \xc3\xbc: x\n", 1, 5, 6, "mapping values are not allowed", "quote the value"},
    {"\xef\xbb\xbf"
     "a: b: c\n",
     1, 5, 7, "mapping values are not allowed", "quote the value"},
    {"a: 1\r\nb: c: d\r\n", 2, 5, 10, "mapping values are not allowed", "quote the value"},
    {"a: 1\rb: [\r", 3, 1, 10, "did not find expected node content", NULL},
    {"- \xe6\x97\xa5\n\t- b\n", 2, 1, 6, "tab", "indent with spaces"},
    {"-\t- a\n", 1, 2, 1, "cannot start any token", "indent with spaces"},
    /* Other hints. */
    {"p: \"^\\d+$\"\n", 1, 6, 5, "found unknown escape character", "use single quotes"},
    {"a: 1\nb\nc: 2\n", 3, 1, 7,
     "while scanning a simple key (started at 2:1): could not find expected ':'",
     "add the missing ': '"},
    {"a: \"x\" y\n", 1, 8, 7, "did not find expected key", "check the indentation"},
    {"a: @x\n", 1, 4, 3, "found character that cannot start any token", "quote the value"},
    {"a: `x`\n", 1, 4, 3, "cannot start any token", "quote the value"},
    {"a: *\n", 1, 5, 4, "while scanning an alias (started at 1:4)", "quote the value if it is"},
    {"a: > x\n", 1, 6, 5, "did not find expected comment or line break", "starts on the next line"},
};

static size_t bad_len(const bad_case *c)
{
    /* The UTF-16 case holds NUL bytes. */
    return c->in[0] == '\xff' ? 6 : strlen(c->in);
}

START_TEST(test_bad)
{
    const bad_case *c = &bad_cases[_i];
    trace t = {0};
    sg_diagnostics *d;
    sg_status st = run(c->in, bad_len(c), 0, &t, &d);
    ck_assert_msg(st == SG_EINPUT, "case %d: status %d", _i, (int)st);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_str_eq(g->rule, "yaml-syntax");
    ck_assert_int_eq(g->severity, SG_SEVERITY_ERROR);
    ck_assert_msg(g->start.line == c->line && g->start.column == c->column &&
                      g->start.offset == c->offset,
                  "case %d: at %u:%u@%zu, want %u:%u@%zu (%s)", _i, g->start.line,
                  g->start.column, g->start.offset, c->line, c->column, c->offset, g->message);
    ck_assert_msg(strstr(g->message, c->msg), "case %d: message '%s' lacks '%s'", _i, g->message,
                  c->msg);
    if (c->hint)
        ck_assert_msg(strstr(g->message, c->hint), "case %d: message '%s' lacks '%s'", _i,
                      g->message, c->hint);
    tr_free(&t);
    sg_diagnostics_free(d);
}
END_TEST

static char *long_key_input(const char *prefix, size_t key, const char *suffix)
{
    size_t p = strlen(prefix), s = strlen(suffix);
    char *in = malloc(p + key + s + 1);
    ck_assert_ptr_nonnull(in);
    memcpy(in, prefix, p);
    memset(in + p, 'k', key);
    memcpy(in + p + key, suffix, s + 1);
    return in;
}

START_TEST(test_long_implicit_key)
{
    static const char *const prefixes[] = {"", "- "};
    for (size_t i = 0; i < 2; i++) {
        char *in = long_key_input(prefixes[i], 2000, ": v\n");
        trace t = {0};
        sg_diagnostics *d;
        ck_assert_int_eq(run(in, strlen(in), 0, &t, &d), SG_EINPUT);
        const sg_diagnostic *g = sg_diagnostics_get(d, 0);
        ck_assert_uint_eq(g->start.line, 1);
        ck_assert_uint_eq(g->start.column, strlen(prefixes[i]) + 2001);
        ck_assert_ptr_nonnull(strstr(g->message, "implicit keys are limited to 1024 characters"));
        tr_free(&t);
        sg_diagnostics_free(d);
        free(in);
    }
    /* Within the limit it loads. */
    char *in = long_key_input("", 1000, ": v\n");
    trace t = {0};
    sg_diagnostics *d;
    ck_assert_int_eq(run(in, strlen(in), 0, &t, &d), SG_OK);
    tr_free(&t);
    sg_diagnostics_free(d);
    free(in);
}
END_TEST

/* ---- chunk sizes ---------------------------------------------------------- */

/* The full trace plus the diagnostic, as one string. */
static char *full_run(const char *in, size_t len, size_t chunk, sg_status *st)
{
    trace t = {0};
    t.full = 1;
    sg_diagnostics *d;
    *st = run(in, len, chunk, &t, &d);
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        tr_puts(&t, " ! ");
        tr_mark(&t, &g->start);
        tr_puts(&t, " ");
        tr_puts(&t, g->message);
    }
    sg_diagnostics_free(d);
    return t.s;
}

static void same_for_all_chunks(const char *in, size_t len)
{
    sg_status st0;
    char *want = full_run(in, len, 0, &st0);
    for (size_t chunk = 1; chunk <= 8; chunk++) {
        sg_status st;
        char *got = full_run(in, len, chunk, &st);
        ck_assert_int_eq(st, st0);
        ck_assert_msg(strcmp(got, want) == 0, "chunk %zu:\n got: %s\nwant: %s", chunk, got, want);
        free(got);
    }
    free(want);
}

START_TEST(test_chunks)
{
    for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++)
        same_for_all_chunks(ok_cases[i].in, strlen(ok_cases[i].in));
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        same_for_all_chunks(bad_cases[i].in, bad_len(&bad_cases[i]));
    char *in = long_key_input("- ", 2000, ": v\n");
    same_for_all_chunks(in, strlen(in));
    free(in);
}
END_TEST

/* ---- the callback stops the reader ------------------------------------- */

START_TEST(test_stop)
{
    const char *in = "a: &x [1, {b: *x}]\n--- 2\n";
    trace all = {0};
    sg_diagnostics *d;
    ck_assert_int_eq(run(in, strlen(in), 0, &all, &d), SG_OK);
    sg_diagnostics_free(d);
    for (int k = 1; k <= all.count; k++) {
        for (size_t chunk = 0; chunk <= 3; chunk++) {
            trace t = {0};
            t.stop_at = k;
            ck_assert_int_eq(run(in, strlen(in), chunk, &t, &d), SG_EUSAGE);
            ck_assert_int_eq(t.count, k);
            ck_assert_uint_eq(sg_diagnostics_count(d), 0);
            tr_free(&t);
            sg_diagnostics_free(d);
        }
    }
    tr_free(&all);
}
END_TEST

/* Many events: the two-thread reader's batches wrap round its ring, and
 * the parse runs ahead of the reader. Serial and piped agree (run()) on the
 * whole stream, on a stop in the middle and on an error near the end. */
START_TEST(test_many_events)
{
    size_t n = 20000;
    char *in = malloc(n * 8 + 16);
    ck_assert_ptr_nonnull(in);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(in + len, "- k%zu\n", i % 1000);
    in[len] = '\0';
    for (int c = 0; c < 3; c++) {
        trace t = {0};
        t.stop_at = c == 1 ? 7777 : 0;
        if (c == 2)
            len += (size_t)sprintf(in + len, "x: ]\n"); /* a mapping key after the items */
        sg_diagnostics *d = NULL;
        sg_status st = run(in, len, c == 0 ? 0 : 1000, &t, &d);
        ck_assert_int_eq(st, c == 0 ? SG_OK : c == 1 ? SG_EUSAGE : SG_EINPUT);
        ck_assert_int_eq(t.count, c == 0 ? (int)n + 4 : c == 1 ? 7777 : (int)n + 2);
        ck_assert_uint_eq(sg_diagnostics_count(d), c == 2);
        tr_free(&t);
        sg_diagnostics_free(d);
    }
    free(in);
}
END_TEST

/* ---- cost ----------------------------------------------------------------- */

typedef struct last_ctx {
    sg_mark last;
    size_t n;
} last_ctx;

static sg_status last_event(void *ctx, const sgi_event *ev)
{
    last_ctx *l = ctx;
    if (ev->type == SGI_EV_SCALAR) {
        l->last = ev->start;
        l->n++;
    }
    return SG_OK;
}

/* One 2 MB line: marks cost O(n) in all, not O(n) per event. */
START_TEST(test_long_line)
{
    size_t n = 1000000;
    char *in = malloc(2 * n + 3);
    ck_assert_ptr_nonnull(in);
    in[0] = '[';
    for (size_t i = 0; i < n; i++) {
        in[1 + 2 * i] = '1';
        in[2 + 2 * i] = ',';
    }
    in[2 * n] = ']';
    in[2 * n + 1] = '\n';
    in[2 * n + 2] = '\0';
    sgi_source src;
    sg_limits limits;
    sg_limits_init(&limits);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "long.yaml", in, 2 * n + 2), SG_OK);
    last_ctx l = {{0, 0, 0}, 0};
    ck_assert_int_eq(sgi_yaml_read(&src, 4096, &limits, last_event, &l, d), SG_OK);
    ck_assert_uint_eq(l.n, n);
    ck_assert_uint_eq(l.last.line, 1);
    ck_assert_uint_eq(l.last.column, 2 * n);
    ck_assert_uint_eq(l.last.offset, 2 * n - 1);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(in);
}
END_TEST

Suite *suite_yaml_reader(void)
{
    Suite *s = suite_create("yaml_reader");
    TCase *tc = tcase_create("events");
    tcase_add_loop_test(tc, test_ok_trace, 0, (int)(sizeof ok_cases / sizeof ok_cases[0]));
    tcase_add_loop_test(tc, test_offsets, 0, (int)(sizeof off_cases / sizeof off_cases[0]));
    tcase_add_test(tc, test_marks_agree_with_source);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_long_implicit_key);
    suite_add_tcase(s, tc);

    tc = tcase_create("reading");
    tcase_add_test(tc, test_chunks);
    tcase_add_test(tc, test_stop);
    tcase_add_test(tc, test_many_events);
    tcase_add_test(tc, test_long_line);
    suite_add_tcase(s, tc);
    return s;
}
