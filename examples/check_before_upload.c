/* An upload tool's last step before POST .../openapi/async-import: lint the
 * Swagger file with the APIG profile and refuse to upload it when any
 * finding is an error, printing each one with the code APIG would answer.
 *
 * Build: cc check_before_upload.c $(pkg-config --cflags --libs swaggate) */
#include <stdio.h>

#include <swaggate.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_before_upload FILE\n");
        return 2;
    }
    sg_options opts;
    sg_options_init(&opts); /* APIG profile, default limits */
    sg_diagnostics *diags = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (!diags)
        return 3;
    sg_status st = sg_document_load(argv[1], &opts, diags, &doc);
    if (st == SG_OK)
        st = sg_lint(doc, &opts, diags);
    sg_diagnostics_sort(diags);
    for (size_t i = 0; i < sg_diagnostics_count(diags); i++) {
        const sg_diagnostic *d = sg_diagnostics_get(diags, i);
        if (d->severity != SG_SEVERITY_ERROR)
            continue;
        printf("%s:%u:%u %s%s%s: %s\n", d->file, d->start.line, d->start.column, d->rule,
               d->apig_code ? " " : "", d->apig_code ? d->apig_code : "", d->message);
    }
    size_t errors = sg_diagnostics_tally(diags, SG_SEVERITY_ERROR);
    if (st == SG_OK && errors == 0)
        printf("%s: ready to upload\n", argv[1]);
    else
        printf("%s: not uploaded (%zu errors)\n", argv[1], errors);
    sg_document_free(doc);
    sg_diagnostics_free(diags);
    return st == SG_OK ? (errors ? 1 : 0) : st == SG_EINPUT ? 2 : 3;
}
