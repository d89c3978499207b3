/* Helpers of the swaggate command (not of the library): finding the Swagger
 * files under directories, and linting a list of files on worker threads
 * with the results reported in list order. */
#ifndef SWAGGATE_CLI_FILES_H
#define SWAGGATE_CLI_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "swaggate.h"

typedef struct sgc_files {
    char **paths; /* owned; in the order found */
    size_t n, cap;
} sgc_files;

/* Add OPERAND: a directory is walked (see cli_files.c for what is taken),
 * anything else is added as it is, so that a file named on the command line
 * is always linted and a missing one reported. Returns 0, or -1 when out of
 * memory. */
int sgc_files_add(sgc_files *files, const char *operand);
void sgc_files_fini(sgc_files *files);

/* Does the file at PATH look like a Swagger 2.0 document: a top-level
 * "swagger" key within its first few KB? (The name's extension is checked
 * by the walk, not here.) */
int sgc_sniff_swagger(const char *path);
/* The same test on the first N bytes of a file held in memory. */
int sgc_sniff_buffer(const char *bytes, size_t n);

/* Run WORK(CTX, i) for i in [0, N) on up to JOBS threads (JOBS <= 1: on
 * this one), and REPORT(CTX, i) on this thread in order 0, 1, ... as each
 * is done. When REPORT returns nonzero, the items not yet started are not
 * worked (REPORT is still called for them, to release what they hold).
 * NAMES[i], shown in a progress line on a terminal, may be NULL. */
void sgc_run(size_t n, unsigned jobs, void (*work)(void *ctx, size_t i),
             int (*report)(void *ctx, size_t i), void *ctx, char *const *names);

/* Write PATH atomically: WRITE(OUT, CTX) fills a new temporary file in
 * PATH's folder, which replaces PATH (rename) only when WRITE returned 0 and
 * every byte was written (fflush, fsync and fclose checked). On any failure,
 * and on SIGINT, SIGTERM or SIGHUP meanwhile (the signal then ends the
 * program as it would have), the temporary file is removed and PATH is as
 * it was. A symbolic link to a regular file is followed (the link stays).
 * PATH "-", or a PATH that exists and is not a regular file (a terminal,
 * /dev/full, a FIFO), is written in place: nothing there can be replaced
 * atomically, but errors are still reported. A new file gets MODE (before
 * the umask); a replaced one keeps its permissions. Returns 0, or -1 with
 * errno set (EIO when WRITE failed without setting it). For the command's
 * single thread: the signal handlers are process-wide. */
int sgc_write_atomic(const char *path, unsigned mode, int (*write)(FILE *out, void *ctx),
                     void *ctx);

/* swaggate hook ...: ARGV[0] is "hook"; ARGV0 the program's argv[0]. Returns
 * the exit status (cli_hook.c). */
int sgc_hook(int argc, char **argv, const char *argv0);
extern const char sgc_hook_usage[];

/* swaggate plan ... and swaggate request ...: ARGV[0] is the command name.
 * Return the exit status (cli_plan.c). */
int sgc_plan(int argc, char **argv);
int sgc_request(int argc, char **argv);
extern const char sgc_plan_usage[];
extern const char sgc_request_usage[];

/* swaggate normalize (cli_normalize.c; main.c parses the options and lints
 * FILE first): report LINT (the findings of loading and linting, NULL when
 * there are none), refuse when it holds errors unless FORCE, normalize DOC
 * with OPTIONS and write the body to OUT atomically (NULL or "-": standard
 * output). LOAD_STATUS is the status of loading and linting. Returns the
 * exit status. */
int sgc_normalize(const char *file, sg_status load_status, const sg_document *doc,
                  const sg_options *options, sg_diagnostics *lint,
                  const sg_report_options *ro, const char *out, int canonical, int force);
/* 1 when A and B name the same file (same name, or same device and inode;
 * "-" and NULL name no file). */
int sgc_same_file(const char *a, const char *b);
extern const char sgc_normalize_usage[];

#endif
