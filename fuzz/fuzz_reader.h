/* The body of the two reader harnesses (fuzz_json.c, fuzz_yaml.c): they
 * differ only in the format they force. */
#ifndef SWAGGATE_FUZZ_READER_H
#define SWAGGATE_FUZZ_READER_H

#include <string.h>

#include "swaggate.h"
#include "internal.h" /* the readers themselves (fuzz/: built with src/ on the path) */
#include "fuzz.h"

static inline void S_roundtrip(const sg_document *doc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    sg_status st = sg_document_write_json(doc, f, 1);
    fclose(f);
    if (st == SG_OK) {
        sg_options o;
        sg_options_init(&o);
        o.format = SG_FORMAT_JSON;
        o.limits.max_file_bytes = len + 1;      /* the output may be larger than the input */
        o.limits.max_depth = 4096;
        sg_diagnostics *d = sg_diagnostics_new();
        sg_document *back = NULL;
        sg_status st2 = sg_document_parse("roundtrip.json", buf, len, &o, d, &back);
        if (d && st2 != SG_OK && st2 != SG_ENOMEM) {
            for (size_t i = 0; i < sg_diagnostics_count(d); i++)
                fprintf(stderr, "%u:%u %s\n", sg_diagnostics_get(d, i)->start.line,
                        sg_diagnostics_get(d, i)->start.column, sg_diagnostics_get(d, i)->message);
            FUZZ_ASSERT(st2 == SG_OK);
        }
        sg_document_free(back);
        sg_diagnostics_free(d);
    }
    free(buf);
}

/* ---- the reader on a second thread gives what the serial one gives ------ */

typedef struct S_trace {
    char *buf;
    size_t len, cap;
    int oom;
} S_trace;

static inline void S_put(S_trace *t, const void *p, size_t n)
{
    if (t->oom || !p)
        return;
    if (t->len + n > t->cap) {
        size_t cap = (t->len + n) * 2 + 64;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->oom = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, p, n);
    t->len += n;
}

/* Every field of every event, the value's bytes included. */
static inline sg_status S_event(void *ctx, const sgi_event *ev)
{
    S_trace *t = ctx;
    size_t head[9] = {(size_t)ev->type, (size_t)ev->kind, ev->start.offset, ev->start.line,
                      ev->start.column, ev->end.offset, ev->end.line, ev->end.column, ev->length};
    S_put(t, head, sizeof head);
    S_put(t, ev->value, ev->length);
    S_put(t, ev->anchor ? ev->anchor : "-", ev->anchor ? strlen(ev->anchor) + 1 : 1);
    S_put(t, ev->tag ? ev->tag : "-", ev->tag ? strlen(ev->tag) + 1 : 1);
    return SG_OK;
}

static inline sg_status S_read(int piped, sg_format format, sgi_source *src, size_t chunk,
                               S_trace *t, sg_diagnostics *d)
{
    sg_limits lim;
    sg_limits_init(&lim);
    if (format == SG_FORMAT_JSON)
        return piped ? sgi_read_piped(sgi_json_read, src, chunk, &lim, S_event, t, d)
                     : sgi_json_read(src, chunk, &lim, S_event, t, d);
    return (piped ? sgi_yaml_read_piped : sgi_yaml_read)(src, chunk, &lim, S_event, t, d);
}

/* sg_options.threads reads inputs of 64 KiB or more on two threads; here
 * every input is read both ways (src/pipe.c, sgi_yaml_read_piped), and the
 * events, status and findings must agree. */
static inline void S_piped(const uint8_t *data, size_t size, sg_format format, size_t chunk)
{
    sgi_source src;
    if (sgi_source_init(&src, "fuzz", data, size) != SG_OK)
        return;
    sg_diagnostics *scratch = sg_diagnostics_new(), *d1 = sg_diagnostics_new(),
                   *d2 = sg_diagnostics_new();
    S_trace t1 = {0}, t2 = {0};
    if (scratch && d1 && d2) {
        (void)sgi_source_check_encoding(&src, scratch); /* the line table, as a load has it */
        sg_status s1 = S_read(0, format, &src, chunk, &t1, d1);
        sg_status s2 = S_read(1, format, &src, chunk, &t2, d2);
        if (s1 != SG_ENOMEM && s2 != SG_ENOMEM && !t1.oom && !t2.oom) {
            FUZZ_ASSERT(s1 == s2);
            FUZZ_ASSERT(t1.len == t2.len && (t1.len == 0 || memcmp(t1.buf, t2.buf, t1.len) == 0));
            FUZZ_ASSERT(sg_diagnostics_count(d1) == sg_diagnostics_count(d2));
            for (size_t i = 0; i < sg_diagnostics_count(d1); i++) {
                const sg_diagnostic *a = sg_diagnostics_get(d1, i), *b = sg_diagnostics_get(d2, i);
                FUZZ_ASSERT(strcmp(a->message, b->message) == 0);
                FUZZ_ASSERT(a->start.offset == b->start.offset && a->start.line == b->start.line &&
                            a->start.column == b->start.column);
            }
        }
    }
    free(t1.buf);
    free(t2.buf);
    sg_diagnostics_free(scratch);
    sg_diagnostics_free(d1);
    sg_diagnostics_free(d2);
    sgi_source_fini(&src);
}

/* Read DATA (byte 0: the read chunk) as FORMAT, locate two pointers, and
 * check that the JSON written from the model parses back; then the
 * two-thread reader against the serial one. */
static inline int fuzz_reader(const uint8_t *data, size_t size, sg_format format, const char *name)
{
    if (size < 1)
        return 0;
    sg_options o;
    sg_options_init(&o);
    o.format = format;
    o.read_chunk = fuzz_chunk(data[0]);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (d && sg_document_parse(name, data + 1, size - 1, &o, d, &doc) == SG_OK) {
        sg_mark s, e, k;
        sg_document_locate(doc, "", &s, &e, &k);
        sg_document_locate(doc, "/paths", &s, &e, &k);
        S_roundtrip(doc);
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    S_piped(data + 1, size - 1, format, fuzz_chunk(data[0]));
    return 0;
}

#endif
