/* libFuzzer harness: the draft-04 validator, schema and instance both
 * fuzzed. Input: byte 0 picks the formats (bit 0: schema JSON, bit 1:
 * instance JSON) and bit 2 validates against the embedded Swagger 2.0
 * schema instead; the rest is the schema, a NUL byte, then the instance
 * (no NUL: the same bytes are both). */
#include <string.h>

#include "swaggate.h"
#include "fuzz.h"

static sg_schema_set *S_set; /* holds only the embedded schemas: no state
                                 carries over from one input to the next */

static sg_document *S_parse(const char *name, const uint8_t *p, size_t n, int json,
                            sg_diagnostics *d)
{
    sg_options o;
    sg_options_init(&o);
    o.format = json ? SG_FORMAT_JSON : SG_FORMAT_YAML;
    sg_document *doc = NULL;
    sg_document_parse(name, p, n, &o, d, &doc);
    return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!S_set && !(S_set = sg_schema_set_new()))
        return 0;
    uint8_t b = data[0];
    const uint8_t *s = data + 1, *nul = memchr(s, 0, size - 1);
    size_t slen = nul ? (size_t)(nul - s) : size - 1;
    const uint8_t *i = nul ? nul + 1 : s;
    size_t ilen = nul ? size - 1 - slen - 1 : slen;
    sg_diagnostics *d = sg_diagnostics_new();
    if (!d)
        return 0;
    sg_document *schema = (b & 4) ? NULL : S_parse("schema", s, slen, b & 1, d);
    sg_document *inst = S_parse("instance", i, ilen, b & 2, d);
    if (inst && (schema || (b & 4))) {
        sg_options o;
        sg_options_init(&o);
        sg_status st = sg_schema_validate(S_set, schema, inst, &o, d);
        FUZZ_ASSERT(st == SG_OK || st == SG_ENOMEM);
    }
    for (size_t k = 0; k < sg_diagnostics_count(d); k++)
        FUZZ_ASSERT(sg_diagnostics_get(d, k)->message);
    sg_document_free(inst);
    sg_document_free(schema);
    sg_diagnostics_free(d);
    return 0;
}
