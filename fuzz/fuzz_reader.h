/* The body of the two reader harnesses (fuzz_json.c, fuzz_yaml.c): they
 * differ only in the format they force. */
#ifndef SWAGGATE_FUZZ_READER_H
#define SWAGGATE_FUZZ_READER_H

#include <string.h>

#include "swaggate.h"
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

/* Read DATA (byte 0: the read chunk) as FORMAT, locate two pointers, and
 * check that the JSON written from the model parses back. */
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
    return 0;
}

#endif
