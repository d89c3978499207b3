/* libFuzzer harness: the whole lint pipeline as `swaggate lint` runs it on
 * one file: parse, resolve, the schema, swagger and APIG checkers,
 * suppressions, then every report format.
 * Input: byte 0 picks the options (bit 0: JSON rather than YAML; bit 1:
 * the swagger profile rather than apig; bit 2: strict; bits 3-5: the read
 * chunk), the rest is the document. File $refs are refused (a parsed
 * document has no folder and ref_root stays NULL): nothing is read. */
#include "swaggate.h"
#include "fuzz.h"

static void S_report(const sg_diagnostics *d, sg_report_format format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    sg_report_options ro = {.format = format, .color = 1, .show_source = 1};
    sg_reporter *rep = sg_reporter_new(f, &ro);
    if (rep) {
        sg_reporter_file(rep, "fuzz", d);
        sg_reporter_finish(rep);
    }
    sg_reporter_free(rep);
    fclose(f);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t b = data[0];
    sg_options o;
    sg_options_init(&o);
    o.format = b & 1 ? SG_FORMAT_JSON : SG_FORMAT_YAML;
    o.profile = b & 2 ? SG_PROFILE_SWAGGER : SG_PROFILE_APIG;
    o.strict = (b >> 2) & 1;
    o.read_chunk = fuzz_chunk((uint8_t)(b >> 3));
    o.schemas = fuzz_schemas();
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (!d)
        return 0;
    if (sg_document_parse(b & 1 ? "fuzz.json" : "fuzz.yaml", data + 1, size - 1, &o, d, &doc) ==
        SG_OK) {
        sg_status st = sg_lint(doc, &o, d);
        FUZZ_ASSERT(st == SG_OK || st == SG_ENOMEM);
        sg_diagnostics_suppress(d, doc);
    }
    sg_diagnostics_sort(d);
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        FUZZ_ASSERT(g && g->rule && g->message && sg_rule_find(g->rule));
    }
    S_report(d, SG_REPORT_TEXT);
    S_report(d, SG_REPORT_JSON);
    S_report(d, SG_REPORT_SARIF);
    S_report(d, SG_REPORT_GITHUB);
    S_report(d, SG_REPORT_JUNIT);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return 0;
}
