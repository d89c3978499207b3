/* Helpers of the swaggate command (not of the library): finding the Swagger
 * files under directories, and linting a list of files on worker threads
 * with the results reported in list order. */
#ifndef SWAGGATE_CLI_FILES_H
#define SWAGGATE_CLI_FILES_H

#include <stddef.h>

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

/* swaggate hook ...: ARGV[0] is "hook"; ARGV0 the program's argv[0]. Returns
 * the exit status (cli_hook.c). */
int sgc_hook(int argc, char **argv, const char *argv0);
extern const char sgc_hook_usage[];

#endif
