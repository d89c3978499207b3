/* libFuzzer harness: the import plan and the request. The input is a
 * document and, after a NUL byte, the group's current export (none: a new
 * group); byte 0 picks the import form (bit 0: override APIs, bit 1:
 * override extensions, bit 2: conflicts by name, bit 3: by route, bit 4:
 * mock mode, bit 5: into an existing group, bit 6: JSON documents). The
 * plan is written both ways, and the multipart request built around the
 * document's bytes. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "swaggate.h"
#include "fuzz.h"

static sg_document *S_parse(const char *name, const uint8_t *p, size_t n, int json)
{
    sg_options o;
    sg_options_init(&o);
    o.format = json ? SG_FORMAT_JSON : SG_FORMAT_YAML;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (d)
        sg_document_parse(name, p, n, &o, d, &doc);
    sg_diagnostics_free(d);
    return doc;
}

static void S_write(const sg_plan *plan, sg_report_format format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    sg_plan_write(plan, f, format);
    fclose(f);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t b = data[0];
    const uint8_t *s = data + 1, *nul = memchr(s, 0, size - 1);
    size_t slen = nul ? (size_t)(nul - s) : size - 1;
    sg_document *doc = S_parse("api", s, slen, b & 64);
    sg_document *existing = nul ? S_parse("export", nul + 1, size - 2 - slen, b & 64) : NULL;
    sg_import_options imp;
    sg_import_options_init(&imp);
    imp.api_mode = b & 1 ? SG_IMPORT_OVERRIDE : SG_IMPORT_MERGE;
    imp.extend_mode = b & 2 ? SG_IMPORT_OVERRIDE : SG_IMPORT_MERGE;
    imp.conflict_key = b & 4 ? SG_CONFLICT_NAME : b & 8 ? SG_CONFLICT_ROUTE : SG_CONFLICT_BOTH;
    imp.mock_mode = (b >> 4) & 1;
    if (b & 32) {
        imp.create_group = 0;
        imp.group_id = "0123456789abcdef0123456789abcdef";
    }
    static const char *const names[] = {"existing-group", "Pets", NULL};
    sg_diagnostics *d = sg_diagnostics_new();
    if (doc && d) {
        sg_plan *plan = NULL;
        sg_status st = sg_plan_new(doc, existing, names, &imp, NULL, d, &plan);
        FUZZ_ASSERT(st == SG_OK || st == SG_EUSAGE || st == SG_ENOMEM);
        if (st == SG_OK) {
            FUZZ_ASSERT(plan && sg_plan_result(plan));
            FUZZ_ASSERT(!sg_plan_error_code(plan) || !sg_plan_group(plan));
            S_write(plan, SG_REPORT_TEXT);
            S_write(plan, SG_REPORT_JSON);
        }
        sg_plan_free(plan);
    }
    if (d) {
        sg_bytes *req = NULL;
        char ctype[128];
        if (sg_request_build(&imp, s, slen, d, &req, ctype, sizeof ctype) == SG_OK) {
            FUZZ_ASSERT(req && sg_bytes_len(req) > slen && strchr(ctype, '='));
            FUZZ_ASSERT(memmem(sg_bytes_data(req), sg_bytes_len(req), s, slen) != NULL);
        }
        sg_bytes_free(req);
    }
    sg_diagnostics_free(d);
    sg_document_free(existing);
    sg_document_free(doc);
    return 0;
}
