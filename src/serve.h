/* swaggate serve: APIG's import endpoints on the user's machine (issue 10).
 * A client of swaggate.h like the rest of the command: HTTP (libmicrohttpd)
 * and storage (SQLite) live here, never in the library.
 *
 *   serve.c        options, tokens, the HTTP server, routes, request log
 *   serve_form.c   the multipart form, streamed to a temporary file
 *   serve_store.c  the SQLite store: groups, APIs, tasks; the import transaction
 *   serve_tasks.c  the queue of waiting tasks and its worker threads
 *   serve_dl.c     libmicrohttpd and SQLite, opened at run time
 */
#ifndef SWAGGATE_SERVE_H
#define SWAGGATE_SERVE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "serve_dl.h"
#include "swaggate.h"

struct json_object;
struct MHD_Connection;

/* swaggate serve ...: ARGV[0] is "serve". Returns the exit status. */
int sgc_serve(int argc, char **argv);
extern const char sgc_serve_usage[];

/* ---- an error answer: HTTP status, APIG code, message ------------------- */

typedef struct sgs_error {
    unsigned status;  /* 0: no error */
    char code[16];    /* "APIG.3600" */
    char msg[1024];
} sgs_error;

/* Set ERR (only when it holds no error yet: the first error wins). */
void sgs_error_set(sgs_error *err, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- the form of async-import / import ---------------------------------- */

typedef struct sgs_form {
    int create_group;      /* is_create_group */
    char group_id[72];
    int api_mode;          /* SG_IMPORT_MERGE / SG_IMPORT_OVERRIDE */
    int extend_mode;
    int simple_mode, mock_mode;
    char file_name[256];   /* the file part's file name */
} sgs_form;

void sgs_form_init(sgs_form *form);
/* The form as sg_import_options (strings borrowed from FORM). */
void sgs_form_options(const sgs_form *form, uint64_t max_size, sg_import_options *out);
/* The form as a JSON object (task_params), new. */
struct json_object *sgs_form_json(const sgs_form *form);
/* Read back sgs_form_json's output. 0, or -1 when it is not one. */
int sgs_form_from_json(const char *text, sgs_form *form);

/* A multipart upload being received: the fields as they come, the file part
 * written to a temporary file (never held in memory), its size checked as
 * it streams. */
typedef struct sgs_upload sgs_upload;

/* Start receiving the body of CONNECTION. TMPDIR holds the temporary file.
 * NULL with ERR set when the body cannot be a form (content type), or when
 * out of memory. */
sgs_upload *sgs_upload_new(struct MHD_Connection *connection, const char *tmpdir,
                           uint64_t max_size, sgs_error *err);
/* Feed a piece of the body. 0, or -1 with ERR set (too long: APIG.3603; the
 * rest of the body is then read and dropped). */
int sgs_upload_feed(sgs_upload *up, const char *data, size_t len, sgs_error *err);
/* The body is complete: check the fields, fill FORM, read the file into
 * *BYTES / *LEN (malloc'd, NUL-terminated). 0, or -1 with ERR set. */
int sgs_upload_finish(sgs_upload *up, sgs_form *form, char **bytes, size_t *len, sgs_error *err);
void sgs_upload_free(sgs_upload *up);

/* ---- store ------------------------------------------------------------- */

/* Open (creating) the database under DATA_DIR for one thread: WAL, busy
 * timeout, foreign keys. NULL with a message in ERR. */
sqlite3 *sgs_store_open(const char *data_dir, char *err, size_t cap);
/* Create the tables, and put back to waiting the tasks a crash left in
 * processing (their import transaction never committed). Returns the number
 * of tasks waiting, or -1. */
int sgs_store_setup(sqlite3 *db);

/* Queue a task; commits before returning. ID (33 bytes) gets its id.
 * 0, or -1 with ERR set (500). */
int sgs_store_task_add(sqlite3 *db, const char *project, const char *instance,
                       const sgs_form *form, const void *body, size_t len, char *id,
                       sgs_error *err);
/* The task query's answer, new; NULL with ERR set (404 APIG.3093, 500). */
struct json_object *sgs_store_task_show(sqlite3 *db, const char *project, const char *instance,
                                        const char *id, sgs_error *err);
/* Take the oldest waiting task: mark it processing (committed). 1 with
 * *SEQ set, 0 when none waits, -1 on a fault. */
int sgs_store_task_claim(sqlite3 *db, int64_t *seq);
/* Run the import of task SEQ in one transaction, ending it as succeed or
 * failed. 0, or -1 on a fault (rolled back: the caller ends the task with
 * sgs_store_task_fail; a crash leaves it processing, run again at start). */
int sgs_store_task_run(sqlite3 *db, int64_t seq, const sg_options *options, uint64_t max_size);
/* End task SEQ (still processing) as failed with APIG.9999 and WHY, in its
 * own commit: a fault that the rollback left behind must not keep the task
 * processing for ever, nor run it again at each start. 0 or -1. */
int sgs_store_task_fail(sqlite3 *db, int64_t seq, const char *why);

/* One import, in one transaction: the group's stored document is EXISTING,
 * the instance's other group names are passed along, the new group document
 * and (with TASK_SEQ > 0) the task's end are written, or nothing is.
 * *RESULT gets the task result (new) and *FAILED whether the whole task
 * failed (the result then is {"error_code","error_msg"}). 0, or -1 with ERR
 * set (a fault: 500, nothing written). */
int sgs_store_import(sqlite3 *db, const char *project, const char *instance,
                     const sgs_form *form, const char *body, size_t len,
                     const sg_options *options, uint64_t max_size, int64_t task_seq,
                     struct json_object **result, int *failed, sgs_error *err);

/* The group's stored document (malloc'd JSON text). NULL with ERR set
 * (404 APIG.3001, 500). */
char *sgs_store_group_document(sqlite3 *db, const char *project, const char *instance,
                               const char *group_id, sgs_error *err);

/* A random id: 32 lower-case hex digits and a NUL. 0, or -1. */
int sgs_random_id(char out[33]);

/* ---- workers ------------------------------------------------------------ */

typedef struct sgs_workers sgs_workers;

/* Start N worker threads, each with its own connection to DATA_DIR's store.
 * NULL with a message in ERR. */
sgs_workers *sgs_workers_start(const char *data_dir, unsigned n, const sg_options *options,
                               uint64_t max_size, char *err, size_t cap);
/* A task was queued: wake a worker. */
void sgs_workers_notify(sgs_workers *w);
/* Let running imports end, stop the threads, close their connections. */
void sgs_workers_stop(sgs_workers *w);

/* ---- export as YAML ------------------------------------------------------ */

/* VALUE as a YAML 1.2 block document (strings double-quoted, so no scalar
 * changes type). Malloc'd, NULL when out of memory. */
char *sgs_yaml_dump(struct json_object *value);

#endif
