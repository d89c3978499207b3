/* swaggate normalize: the command's side of sg_normalize. main.c parses the
 * options and lints the file as `lint` does (configuration honoured);
 * here: the refusal of a document with errors, the normalization, and
 * the output, written atomically (a temporary file in OUT's folder,
 * fsync, rename), never over the input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swaggate.h"

#include "cli_files.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_UNUSABLE = 2, EXIT_INTERNAL = 3 };

const char sgc_normalize_usage[] =
    "Usage: swaggate normalize [OPTIONS] FILE [-o OUT]\n"
    "Write FILE ('-' reads standard input) as its canonical body: one\n"
    "self-contained JSON document (file $refs bundled into definitions,\n"
    "parameters or responses, internal refs kept), members sorted by UTF-16\n"
    "code units, numbers and strings as RFC 8785 spells them. FILE is linted\n"
    "first (default profile, configuration honoured) and refused when that\n"
    "finds errors; the findings go to standard error.\n"
    "\n"
    "  -o OUT, --output OUT     write to OUT (atomically: a temporary file in its\n"
    "                           folder, then renamed; never FILE itself) instead\n"
    "                           of standard output\n"
    "  --canonical              RFC 8785 bytes: no whitespace, no final newline\n"
    "                           (default: the same order, two-space indented)\n"
    "  --force                  normalize even when linting found errors; the\n"
    "                           exit status is still 1\n"
    "  --input-format auto|json|yaml  how to read FILE\n"
    "  --limit NAME=VALUE       change a limit on the input (repeatable)\n"
    "  --ref-root DIR           the folder file $refs may not leave (as for lint)\n"
    "  --config FILE, --no-config, --strict\n"
    "                           as for lint\n"
    "  --color[=auto|always|never], --source, --no-source\n"
    "                           how findings are shown on standard error\n"
    "  --                       end of options\n"
    "  -h, --help               print this text\n"
    "\n"
    "Exit status: 0 written, 1 findings at error severity (refused, or written\n"
    "with --force), 2 unusable input, output or usage, 3 internal error.\n";

/* Report DIAGS of FILE on standard error, as text. */
static void report(const char *file, const sg_diagnostics *diags, const sg_report_options *ro)
{
    sg_report_options o = *ro;
    o.format = SG_REPORT_TEXT;
    sg_reporter *rep = sg_reporter_new(stderr, &o);
    if (!rep || sg_reporter_file(rep, file, diags) != SG_OK || sg_reporter_finish(rep) != SG_OK)
        fprintf(stderr, "swaggate: %s: could not report the problems found\n", file);
    sg_reporter_free(rep);
}

/* 1 when A says what some diagnostic of LIST says (same rule, file, place
 * and message). */
static int already_in(const sg_diagnostic *a, const sg_diagnostics *list)
{
    for (size_t i = 0; i < sg_diagnostics_count(list); i++) {
        const sg_diagnostic *b = sg_diagnostics_get(list, i);
        if (strcmp(a->rule, b->rule) == 0 && strcmp(a->file, b->file) == 0 &&
            a->start.line == b->start.line && a->start.column == b->start.column &&
            strcmp(a->message, b->message) == 0)
            return 1;
    }
    return 0;
}

/* sgc_write_atomic's writer: the body. */
static int write_body(FILE *out, void *ctx)
{
    const sg_bytes *body = ctx;
    size_t len = sg_bytes_len(body);
    return fwrite(sg_bytes_data(body), 1, len, out) == len ? 0 : -1;
}

int sgc_normalize(const char *file, sg_status load_status, const sg_document *doc,
                  const sg_options *options, sg_diagnostics *lint,
                  const sg_report_options *ro, const char *out, int canonical, int force)
{
    size_t errors = lint ? sg_diagnostics_tally(lint, SG_SEVERITY_ERROR) : 0;
    sg_diagnostics_sort(lint);
    if (lint && (load_status != SG_OK || errors > 0))
        report(file, lint, ro);
    if (load_status != SG_OK) {
        if (load_status != SG_EINPUT)
            fprintf(stderr, "swaggate: %s: %s\n", file, sg_status_string(load_status));
        return load_status == SG_EINPUT ? EXIT_UNUSABLE : EXIT_INTERNAL;
    }
    if (errors > 0 && !force) {
        fprintf(stderr, "swaggate: %s: not normalized: linting it found %zu error%s (above); "
                        "--force normalizes it anyway\n",
                file, errors, errors == 1 ? "" : "s");
        return EXIT_FINDINGS;
    }
    sg_diagnostics *nd = sg_diagnostics_new();
    sg_bytes *body = NULL;
    sg_status st = nd ? sg_normalize(doc, options,
                                     canonical ? SG_NORMALIZE_CANONICAL : SG_NORMALIZE_PRETTY, nd,
                                     &body)
                      : SG_ENOMEM;
    if (nd) { /* what linting said already is not said twice */
        int novel = 0;
        for (size_t i = 0; i < sg_diagnostics_count(nd) && !novel; i++)
            novel = !lint || !already_in(sg_diagnostics_get(nd, i), lint);
        sg_diagnostics_sort(nd);
        if (novel)
            report(file, nd, ro);
    }
    sg_diagnostics_free(nd);
    if (st != SG_OK) {
        if (st == SG_EINPUT)
            fprintf(stderr, "swaggate: %s: not normalized (see above)\n", file);
        else
            fprintf(stderr, "swaggate: %s: %s\n", file, sg_status_string(st));
        return st == SG_EINPUT ? EXIT_UNUSABLE : EXIT_INTERNAL;
    }
    const char *data = sg_bytes_data(body);
    size_t len = sg_bytes_len(body);
    int rc = errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
    errno = 0;
    if (!out || strcmp(out, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "swaggate: cannot write to standard output: %s\n",
                    errno ? strerror(errno) : "write error");
            rc = EXIT_UNUSABLE;
        }
    } else if (sgc_write_atomic(out, 0666, write_body, body) != 0) {
        fprintf(stderr, "swaggate: cannot write %s: %s (nothing was written)\n", out,
                strerror(errno));
        rc = EXIT_UNUSABLE;
    }
    sg_bytes_free(body);
    return rc;
}
