/* An upload tool's last steps before POST .../openapi/async-import: lint
 * the Swagger file, refuse it when any finding is an error, normalize it to
 * its canonical JSON, and build the multipart/form-data body of the call
 * (here: import into an existing group, overriding its APIs). The body goes
 * to BODY; the Content-Type header, with its boundary, to standard output.
 * The caller then sends it with its own token, e.g.
 *   curl -X POST -H "X-Auth-Token: $TOKEN" -H "Content-Type: ..." \
 *        --data-binary @BODY https://.../openapi/async-import
 *
 * Build: cc upload_request.c $(pkg-config --cflags --libs swaggate) */
#include <stdio.h>

#include <swaggate.h>

static void print_errors(const sg_diagnostics *diags)
{
    for (size_t i = 0; i < sg_diagnostics_count(diags); i++) {
        const sg_diagnostic *d = sg_diagnostics_get(diags, i);
        if (d->severity == SG_SEVERITY_ERROR)
            fprintf(stderr, "%s:%u:%u %s%s%s: %s\n", d->file, d->start.line, d->start.column,
                    d->rule, d->apig_code ? " " : "", d->apig_code ? d->apig_code : "", d->message);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: upload_request FILE GROUP_ID BODY\n");
        return 2;
    }
    sg_options opts;
    sg_options_init(&opts);
    sg_diagnostics *diags = sg_diagnostics_new();
    if (!diags)
        return 3;
    sg_document *doc = NULL;
    sg_bytes *canonical = NULL, *body = NULL;
    int rc = 1;

    /* 1. check */
    sg_status st = sg_document_load(argv[1], &opts, diags, &doc);
    if (st == SG_OK)
        st = sg_lint(doc, &opts, diags);
    size_t errors = sg_diagnostics_tally(diags, SG_SEVERITY_ERROR);
    if (st != SG_OK || errors > 0) {
        print_errors(diags);
        fprintf(stderr, "%s: not uploaded (%zu errors)\n", argv[1], errors);
        rc = st == SG_OK ? 1 : 2;
        goto done;
    }

    /* 2. normalize: the canonical bytes (RFC 8785) are the file part */
    st = sg_normalize(doc, &opts, SG_NORMALIZE_CANONICAL, diags, &canonical);
    if (st != SG_OK) {
        print_errors(diags);
        goto done;
    }

    /* 3. the request: the form is checked before the body is built */
    sg_import_options import;
    sg_import_options_init(&import); /* the endpoint's defaults */
    import.create_group = 0;
    import.group_id = argv[2];
    import.api_mode = SG_IMPORT_OVERRIDE;
    char content_type[SG_CONTENT_TYPE_MAX];
    st = sg_request_build(&import, sg_bytes_data(canonical), sg_bytes_len(canonical), diags, &body,
                          content_type, sizeof content_type);
    if (st != SG_OK) {
        print_errors(diags);
        fprintf(stderr, "%s: no request built\n", argv[1]);
        goto done;
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out || fwrite(sg_bytes_data(body), 1, sg_bytes_len(body), out) != sg_bytes_len(body) ||
        fclose(out) != 0) {
        perror(argv[3]);
        rc = 2;
        goto done;
    }
    printf("Content-Type: %s\n", content_type);
    printf("%s: %zu bytes of JSON in a %zu-byte body, ready to upload\n", argv[1],
           sg_bytes_len(canonical), sg_bytes_len(body));
    rc = 0;

done:
    sg_bytes_free(body); /* every destructor accepts NULL */
    sg_bytes_free(canonical);
    sg_document_free(doc);
    sg_diagnostics_free(diags);
    return rc;
}
