/* YAML reader: libyaml's event API turned into sgi_events with our marks.
 *
 * libyaml 0.2.5 marks count CHARACTERS (code points), not bytes: mark.index
 * is the number of code points read since the start of the stream, without a
 * leading BOM (libyaml's reader skips it before counting), with CR and LF of
 * a CRLF counted as two. Its lines also break at NEL, LS and PS, which YAML
 * 1.2 and the rest of swaggate do not treat as breaks. So only mark.index is
 * taken from libyaml: a cursor walks the text code point by code point to
 * turn it into a byte offset, and counts lines (LF, CRLF, lone CR) and
 * columns itself, the same way as sgi_source_mark_at().
 * Event marks only move forward, so the walk costs O(n) for the whole file.
 *
 * Reader errors (bad UTF-8, control characters) come with a byte offset in
 * problem_offset (from the start of the raw input, BOM included); their
 * problem_mark is meaningless (always 1:1). */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "internal.h"

/* Where the cursor is: byte offset, libyaml index, our line and column, and
 * where the cursor's line starts (for short backward steps). */
typedef struct yr_pos {
    size_t byte;
    size_t index;
    unsigned line, column;
    size_t line_byte, line_index;
} yr_pos;

typedef struct yr_reader {
    sgi_source *src;
    size_t chunk; /* bytes per read (0: all) */
    size_t fed;   /* bytes handed to libyaml so far */
    size_t base;  /* 3 when libyaml skips a leading BOM, else 0 */
    yr_pos cur;
} yr_reader;

static void yr_rewind(yr_reader *r)
{
    yr_pos p = {r->base, 0, 1, 1, r->base, 0};
    r->cur = p;
}

/* Bytes in the UTF-8 sequence led by C (1 for anything unexpected, so that
 * the walk always advances). */
static size_t yr_seq_len(unsigned char c)
{
    if (c < 0xC0)
        return 1;
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    if (c < 0xF8)
        return 4;
    return 1;
}

#define ONES 0x0101010101010101ull
/* Nonzero when a byte of the 64-bit word V is zero. */
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & (ONES * 0x80))

/* Move the cursor to libyaml index INDEX. Forward: walk code points.
 * Backward within the current line: step back (cost = distance). Further
 * back (only error context marks do this): start again from the top. */
static void yr_seek(yr_reader *r, size_t index)
{
    const unsigned char *t = r->src->text;
    size_t n = r->src->len;
    yr_pos *p = &r->cur;

    if (index < p->index) {
        if (index < p->line_index) {
            yr_rewind(r);
        } else {
            while (p->index > index && p->byte > p->line_byte) {
                do
                    p->byte--;
                while (p->byte > p->line_byte && (t[p->byte] & 0xC0) == 0x80);
                p->index--;
                p->column--;
            }
            return;
        }
    }
    while (p->index < index && p->byte < n) {
        /* Eight ASCII bytes without CR or LF: eight code points of this line
         * (most of a text that has some non-ASCII bytes). */
        if (index - p->index >= 8 && n - p->byte >= 8) {
            uint64_t w;
            memcpy(&w, t + p->byte, 8);
            if (!(w & ONES * 0x80) && !HAS_ZERO(w ^ (ONES * '\n')) &&
                !HAS_ZERO(w ^ (ONES * '\r'))) {
                p->byte += 8;
                p->index += 8;
                p->column += 8;
                continue;
            }
        }
        unsigned char c = t[p->byte];
        size_t k = yr_seq_len(c);
        if (k > n - p->byte)
            k = n - p->byte;
        p->byte += k;
        p->index++;
        /* CR before LF is part of the line; the LF ends it. */
        if (c == '\n' || (c == '\r' && (p->byte >= n || t[p->byte] != '\n'))) {
            p->line++;
            p->column = 1;
            p->line_byte = p->byte;
            p->line_index = p->index;
        } else {
            p->column++;
        }
    }
}

/* Text without a byte above 0x7F after a BOM, if any: libyaml's index
 * (which skips the BOM) plus the BOM's length is the byte offset, and the
 * line table that the encoding check built gives the line, through a cursor
 * that moves with the marks (forward but for error context marks). The same
 * marks as the walk, without looking at every byte: the walk was a fifth of
 * the calling thread's instructions on the Azure WebApps YAML (callgrind,
 * 38.8 of 179.8 M). */
static sg_mark yr_mark_ascii(yr_reader *r, size_t index)
{
    const sgi_source *src = r->src;
    size_t off = r->base + index < src->len ? r->base + index : src->len;
    size_t l = r->cur.line - 1;
    while (l + 1 < src->nlines && src->lines[l + 1] <= off)
        l++;
    while (l > 0 && src->lines[l] > off)
        l--;
    size_t from = l == 0 && src->lines[0] < r->base ? r->base : src->lines[l];
    r->cur.line = (unsigned)(l + 1);
    r->cur.line_byte = from; /* yr_error's hints read it */
    sg_mark out = {(unsigned)(l + 1), (unsigned)(off > from ? off - from + 1 : 1), off};
    return out;
}

static sg_mark yr_mark(yr_reader *r, const yaml_mark_t *m)
{
    if (!r->src->wide && r->src->lines && r->src->nlines)
        return yr_mark_ascii(r, m->index);
    yr_seek(r, m->index);
    sg_mark out = {r->cur.line, r->cur.column, r->cur.byte};
    return out;
}

static int yr_read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    yr_reader *r = data;
    size_t left = r->src->len - r->fed;
    if (size > left)
        size = left;
    if (r->chunk && size > r->chunk)
        size = r->chunk;
    memcpy(buffer, r->src->text + r->fed, size);
    r->fed += size;
    *size_read = size;
    return 1;
}

/* ---- error messages ---------------------------------------------------- */

static int yr_has(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static int yr_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* libyaml gives up on an implicit key 1024 characters after its start. */
#define YR_LONG_KEY                                                                        \
    "implicit keys are limited to 1024 characters; use an explicit key ('? ' on its own " \
    "line) or a shorter key"

/* The hint for "mapping values are not allowed in this context", from the
 * line of the ':' that libyaml refused. */
static const char *yr_colon_hint(const unsigned char *t, size_t line, size_t colon)
{
    size_t i = line;
    while (i < colon && yr_blank(t[i]))
        i++;
    /* Block indicators before the key ("- ", "? ") are not part of it. */
    while (i + 1 < colon && (t[i] == '-' || t[i] == '?') && yr_blank(t[i + 1])) {
        i += 2;
        while (i < colon && yr_blank(t[i]))
            i++;
    }
    size_t chars = 0;
    for (; i < colon; i++) {
        if (t[i] == ':' && i + 1 < colon && yr_blank(t[i + 1]))
            return "quote the value: a plain scalar cannot contain ': '";
        if ((t[i] & 0xC0) != 0x80)
            chars++;
    }
    if (chars > 1024)
        return YR_LONG_KEY;
    return "check the indentation of this line (a deeper line continues the value "
           "above), or quote the value if it contains ': '";
}

/* What to do, where we recognise the case; NULL otherwise. PM is the problem
 * mark (its byte offset) and LINE the start of its line. */
static const char *yr_hint(const yaml_parser_t *p, const sgi_source *src, size_t pm, size_t line)
{
    const unsigned char *t = src->text;
    const char *problem = p->problem;

    if (p->error == YAML_READER_ERROR) {
        if (yr_has(problem, "control characters"))
            return "remove it, or write it as an escape (\\xNN) in a double-quoted string";
        if (yr_has(problem, "UTF-8") || yr_has(problem, "Unicode"))
            return "save the file as UTF-8";
        return NULL;
    }
    if (yr_has(problem, "tab character")) /* both of libyaml's tab messages */
        return "tabs are not allowed for indentation in YAML; indent with spaces";
    if (pm < src->len && t[pm] == '\t') {
        /* A tab in the indentation, block indicators included ("-\t-"). */
        size_t i = line;
        while (i < pm && (yr_blank(t[i]) || t[i] == '-' || t[i] == '?' || t[i] == ':'))
            i++;
        if (i == pm)
            return "tabs are not allowed for indentation in YAML; indent with spaces";
    }
    if (yr_has(problem, "cannot start any token") && pm < src->len &&
        (t[pm] == '@' || t[pm] == '`' || t[pm] == '%'))
        return "'@', '`' and '%' cannot start a plain scalar; quote the value";
    if (yr_has(p->context, "an anchor") || yr_has(p->context, "an alias"))
        return "'&' starts an anchor and '*' an alias; quote the value if it is text";
    if (yr_has(p->context, "block scalar") && yr_has(problem, "comment or line break"))
        return "the text of a '|' or '>' block starts on the next line; quote the value if "
               "the '|' or '>' is meant as text";
    if (yr_has(problem, "mapping values are not allowed"))
        return yr_colon_hint(t, line, pm < src->len ? pm : src->len);
    if (yr_has(problem, "incompatible YAML document"))
        return "only YAML 1.1 and 1.2 are supported: write '%YAML 1.2' or remove the directive";
    if (yr_has(problem, "unknown escape"))
        return "double quotes take YAML escapes only (\\n, \\t, \\\\, \\\", \\uXXXX...): "
               "use single quotes for text with backslashes, such as patterns";
    if (yr_has(p->context, "quoted scalar") && yr_has(problem, "found unexpected"))
        return "close the quoted scalar with the same quote it starts with";
    if (yr_has(problem, "expected ',' or ']'"))
        return "close the flow sequence with ']' and separate its items with ','; quote the "
               "value if the '[' is meant as text";
    if (yr_has(problem, "expected ',' or '}'"))
        return "close the flow mapping with '}' and separate its entries with ','; quote the "
               "value if the '{' is meant as text";
    if (yr_has(problem, "could not find expected ':'")) {
        /* The ':' may be there, beyond libyaml's reach. */
        if (yr_has(p->context, "simple key") && p->problem_mark.line == p->context_mark.line &&
            p->problem_mark.index - p->context_mark.index > 1024 && pm < src->len &&
            t[pm] == ':')
            return YR_LONG_KEY;
        return "add the missing ': ' after the key, or indent the line if it continues the "
               "value above";
    }
    if (yr_has(problem, "did not find expected key") ||
        yr_has(problem, "did not find expected '-' indicator"))
        return "check the indentation of this line, and quote values that go on after a "
               "closing quote";
    return NULL;
}

/* Add the one diagnostic for a libyaml error. SG_EINPUT or SG_ENOMEM. */
static sg_status yr_error(yr_reader *r, const yaml_parser_t *p, sg_diagnostics *diags)
{
    if (p->error == YAML_MEMORY_ERROR)
        return SG_ENOMEM;

    char msg[768];
    size_t len = 0;
    sg_mark at, ctx = {0, 0, 0};
    size_t line = 0;
    const char *problem = p->problem ? p->problem : "syntax error";

    if (p->error == YAML_READER_ERROR) {
        at = sgi_source_mark_at(r->src, p->problem_offset);
    } else {
        /* Context first: it lies behind the problem, and the cursor then
         * walks forward to the problem and knows the start of its line. */
        if (p->context)
            ctx = yr_mark(r, &p->context_mark);
        at = yr_mark(r, &p->problem_mark);
        line = r->cur.line_byte;
    }

    if (p->context) {
        if (ctx.line && (ctx.line != at.line || ctx.column != at.column))
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s (started at %u:%u): ",
                                    p->context, ctx.line, ctx.column);
        else
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s: ", p->context);
    }
    if (len < sizeof msg)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s", problem);
    if (p->error == YAML_READER_ERROR && p->problem_value >= 0 && len < sizeof msg) {
        if (yr_has(problem, "octet"))
            len += (size_t)snprintf(msg + len, sizeof msg - len, " (byte 0x%02X)",
                                    (unsigned)p->problem_value & 0xFFu);
        else
            len += (size_t)snprintf(msg + len, sizeof msg - len, " (U+%04X)",
                                    (unsigned)p->problem_value);
    }
    const char *hint = yr_hint(p, r->src, at.offset, line);
    if (hint && len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, "; %s", hint);

    sg_status st =
        sgi_diag(diags, r->src, SG_SEVERITY_ERROR, "yaml-syntax", &at, NULL, NULL, "%s", msg);
    return st == SG_OK ? SG_EINPUT : st;
}

/* ---- events ------------------------------------------------------------- */

static const char *yr_str(const yaml_char_t *s)
{
    return (const char *)s;
}

/* Translate E into EV. Returns 0 for events that are not sent. */
static int yr_translate(yr_reader *r, const yaml_event_t *e, sgi_event *ev)
{
    memset(ev, 0, sizeof *ev);
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        ev->type = SGI_EV_DOC_START;
        break;
    case YAML_DOCUMENT_END_EVENT:
        ev->type = SGI_EV_DOC_END;
        break;
    case YAML_MAPPING_START_EVENT:
        ev->type = SGI_EV_MAP_START;
        ev->anchor = yr_str(e->data.mapping_start.anchor);
        ev->tag = yr_str(e->data.mapping_start.tag);
        break;
    case YAML_MAPPING_END_EVENT:
        ev->type = SGI_EV_MAP_END;
        break;
    case YAML_SEQUENCE_START_EVENT:
        ev->type = SGI_EV_SEQ_START;
        ev->anchor = yr_str(e->data.sequence_start.anchor);
        ev->tag = yr_str(e->data.sequence_start.tag);
        break;
    case YAML_SEQUENCE_END_EVENT:
        ev->type = SGI_EV_SEQ_END;
        break;
    case YAML_ALIAS_EVENT:
        ev->type = SGI_EV_ALIAS;
        ev->value = yr_str(e->data.alias.anchor);
        ev->length = ev->value ? strlen(ev->value) : 0;
        break;
    case YAML_SCALAR_EVENT:
        ev->type = SGI_EV_SCALAR;
        ev->value = yr_str(e->data.scalar.value);
        ev->length = e->data.scalar.length;
        ev->kind = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? SGI_SC_PLAIN : SGI_SC_STRING;
        ev->anchor = yr_str(e->data.scalar.anchor);
        ev->tag = yr_str(e->data.scalar.tag);
        break;
    default: /* stream start/end, no event */
        return 0;
    }
    ev->start = yr_mark(r, &e->start_mark);
    ev->end = yr_mark(r, &e->end_mark);
    return 1;
}

/* Set R and PARSER up to read SRC. SG_OK or SG_ENOMEM. */
static sg_status yr_open(yr_reader *r, yaml_parser_t *parser, sgi_source *src, size_t chunk)
{
    memset(r, 0, sizeof *r);
    r->src = src;
    r->chunk = chunk;
    int bom = src->len >= 3 && src->text[0] == 0xEF && src->text[1] == 0xBB && src->text[2] == 0xBF;
    r->base = bom ? 3 : 0;
    yr_rewind(r);

    memset(parser, 0, sizeof *parser);
    if (!yaml_parser_initialize(parser)) {
        yaml_parser_delete(parser); /* safe: initialize cleared what it freed */
        return SG_ENOMEM;
    }
    yaml_parser_set_input(parser, yr_read_handler, r);
    /* Without a UTF-8 BOM, say UTF-8 so that libyaml never switches to
     * UTF-16 on its own (and the index-to-byte walk stays right). With the
     * BOM, libyaml's detection skips it, as the walk expects. */
    if (!bom)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING);
    return SG_OK;
}

/* One of libyaml's events, positioned and sent to FN. */
static sg_status yr_deliver(yr_reader *r, const yaml_event_t *e, sgi_event_fn fn, void *ctx)
{
    sgi_event ev;
    return yr_translate(r, e, &ev) ? fn(ctx, &ev) : SG_OK;
}

static int yr_last(const yaml_event_t *e)
{
    return e->type == YAML_STREAM_END_EVENT || e->type == YAML_NO_EVENT;
}

static sg_status yr_serial(yr_reader *r, yaml_parser_t *parser, sgi_event_fn fn, void *ctx,
                           sg_diagnostics *diags)
{
    sg_status st = SG_OK;
    for (;;) {
        yaml_event_t e;
        memset(&e, 0, sizeof e);
        if (!yaml_parser_parse(parser, &e))
            return yr_error(r, parser, diags);
        int done = yr_last(&e);
        st = yr_deliver(r, &e, fn, ctx);
        yaml_event_delete(&e);
        if (st != SG_OK || done)
            return st;
    }
}

sg_status sgi_yaml_read(sgi_source *src, size_t chunk, const sg_limits *limits, sgi_event_fn fn,
                        void *ctx, sg_diagnostics *diags)
{
    (void)limits; /* every limit is the builder's */
    yr_reader r;
    yaml_parser_t parser;
    sg_status st = yr_open(&r, &parser, src, chunk);
    if (st != SG_OK)
        return st;
    st = yr_serial(&r, &parser, fn, ctx, diags);
    yaml_parser_delete(&parser);
    return st;
}

/* ---- on two threads --------------------------------------------------------
 * libyaml's parse is about two thirds of a YAML load (callgrind: 307 of 466 M
 * instructions on a 2.3 MB Azure spec); the rest is positioning events and
 * building the model. So a second thread runs libyaml and hands its events
 * over in batches through a ring, while the calling thread does the rest.
 * libyaml's memory stays with its thread: a batch's events are deleted there
 * when the batch comes round again, and the rest at the end. At most
 * YR_RING * YR_BATCH events are in flight. */
enum { YR_BATCH = 256, YR_RING = 4 };

typedef struct yr_batch {
    size_t n; /* events held */
    int end;  /* 1: the last is the stream's end; -1: libyaml failed after them */
    yaml_event_t ev[YR_BATCH];
} yr_batch;

typedef struct yr_pipe {
    yaml_parser_t *parser;
    yr_batch *ring;
    sgi_ring q;
} yr_pipe;

static void yr_drop(yr_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        yaml_event_delete(&b->ev[i]);
    b->n = 0;
}

static void *yr_parse_main(void *arg)
{
    yr_pipe *p = arg;
    for (;;) {
        long slot = sgi_ring_free_slot(&p->q);
        if (slot < 0)
            return NULL;
        yr_batch *b = &p->ring[slot];
        yr_drop(b);
        b->end = 0;
        while (b->n < YR_BATCH) {
            yaml_event_t *e = &b->ev[b->n];
            memset(e, 0, sizeof *e);
            if (!yaml_parser_parse(p->parser, e)) {
                b->end = -1;
                break;
            }
            b->n++;
            if (yr_last(e)) {
                b->end = 1;
                break;
            }
        }
        sgi_ring_filled(&p->q);
        if (b->end)
            return NULL;
    }
}

sg_status sgi_yaml_read_piped(sgi_source *src, size_t chunk, const sg_limits *limits,
                              sgi_event_fn fn, void *ctx, sg_diagnostics *diags)
{
    (void)limits;
    yr_reader r;
    yaml_parser_t parser;
    sg_status st = yr_open(&r, &parser, src, chunk);
    if (st != SG_OK)
        return st;
    yr_pipe p = {&parser, sgi_calloc(src->alloc, YR_RING, sizeof(yr_batch)), {0}};
    sgi_ring_init(&p.q, YR_RING);
    pthread_t tid;
    if (!p.ring || pthread_create(&tid, NULL, yr_parse_main, &p) != 0) {
        /* No second thread: the same on this one. */
        sgi_ring_fini(&p.q);
        sgi_free(src->alloc, p.ring);
        st = yr_serial(&r, &parser, fn, ctx, diags);
        yaml_parser_delete(&parser);
        return st;
    }
    int end = 0;
    while (st == SG_OK && !end) {
        yr_batch *b = &p.ring[sgi_ring_next(&p.q)];
        for (size_t i = 0; i < b->n && st == SG_OK; i++)
            st = yr_deliver(&r, &b->ev[i], fn, ctx);
        end = b->end;
        sgi_ring_done(&p.q);
    }
    sgi_ring_stop(&p.q);
    pthread_join(tid, NULL);
    /* As serially: libyaml's error counts once every event before it was
     * sent and taken. */
    if (st == SG_OK && end < 0)
        st = yr_error(&r, &parser, diags);
    for (size_t i = 0; i < YR_RING; i++)
        yr_drop(&p.ring[i]);
    sgi_free(src->alloc, p.ring);
    sgi_ring_fini(&p.q);
    yaml_parser_delete(&parser);
    return st;
}
