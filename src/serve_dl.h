/* libmicrohttpd and SQLite, opened at run time by `swaggate serve` alone.
 *
 * Linked into the program, they were loaded by every command: libmicrohttpd
 * brings GnuTLS and eight more libraries whose relocations and constructors
 * cost several milliseconds of each start, more than a whole lint of a
 * small file. With SG_SERVE_DLOPEN (configure found both libraries' run-time
 * names) the serve files call them through pointers that sgs_dl_open fills;
 * the macros below keep the call sites as the libraries' own names. Without
 * it the libraries are linked as before and sgs_dl_open does nothing. */
#ifndef SWAGGATE_SERVE_DL_H
#define SWAGGATE_SERVE_DL_H

#ifdef HAVE_CONFIG_H
#include "config.h" /* SG_SERVE_DLOPEN and the run-time names */
#endif

#include <stddef.h>

#include <microhttpd.h>
#include <sqlite3.h>

/* Open both libraries and find every function the serve files call. 0, or
 * -1 with a sentence in ERR. Called once, before any thread starts; the
 * pointers are only read afterwards. */
int sgs_dl_open(char *err, size_t cap);

#define SGS_MHD_FUNCTIONS(X)                                                                   \
    X(MHD_add_response_header)                                                                 \
    X(MHD_create_post_processor)                                                               \
    X(MHD_create_response_from_buffer)                                                         \
    X(MHD_destroy_post_processor)                                                              \
    X(MHD_destroy_response)                                                                    \
    X(MHD_get_daemon_info)                                                                     \
    X(MHD_lookup_connection_value)                                                             \
    X(MHD_post_process)                                                                        \
    X(MHD_queue_response)                                                                      \
    X(MHD_start_daemon)                                                                        \
    X(MHD_stop_daemon)

#define SGS_SQLITE_FUNCTIONS(X)                                                                \
    X(sqlite3_bind_blob64)                                                                     \
    X(sqlite3_bind_int64)                                                                      \
    X(sqlite3_bind_text)                                                                       \
    X(sqlite3_busy_timeout)                                                                    \
    X(sqlite3_close)                                                                           \
    X(sqlite3_column_blob)                                                                     \
    X(sqlite3_column_bytes)                                                                    \
    X(sqlite3_column_int)                                                                      \
    X(sqlite3_column_int64)                                                                    \
    X(sqlite3_column_text)                                                                     \
    X(sqlite3_errmsg)                                                                          \
    X(sqlite3_errstr)                                                                          \
    X(sqlite3_exec)                                                                            \
    X(sqlite3_finalize)                                                                        \
    X(sqlite3_open_v2)                                                                         \
    X(sqlite3_prepare_v2)                                                                      \
    X(sqlite3_step)

#ifdef SG_SERVE_DLOPEN
#define SGS_DL_DECLARE(f) extern __typeof__(f) *sgs_dl_##f;
SGS_MHD_FUNCTIONS(SGS_DL_DECLARE)
SGS_SQLITE_FUNCTIONS(SGS_DL_DECLARE)
#undef SGS_DL_DECLARE

/* serve_dl.c itself needs the real declarations. */
#ifndef SGS_DL_IMPLEMENTATION
#define MHD_add_response_header (*sgs_dl_MHD_add_response_header)
#define MHD_create_post_processor (*sgs_dl_MHD_create_post_processor)
#define MHD_create_response_from_buffer (*sgs_dl_MHD_create_response_from_buffer)
#define MHD_destroy_post_processor (*sgs_dl_MHD_destroy_post_processor)
#define MHD_destroy_response (*sgs_dl_MHD_destroy_response)
#define MHD_get_daemon_info (*sgs_dl_MHD_get_daemon_info)
#define MHD_lookup_connection_value (*sgs_dl_MHD_lookup_connection_value)
#define MHD_post_process (*sgs_dl_MHD_post_process)
#define MHD_queue_response (*sgs_dl_MHD_queue_response)
#define MHD_start_daemon (*sgs_dl_MHD_start_daemon)
#define MHD_stop_daemon (*sgs_dl_MHD_stop_daemon)
#define sqlite3_bind_blob64 (*sgs_dl_sqlite3_bind_blob64)
#define sqlite3_bind_int64 (*sgs_dl_sqlite3_bind_int64)
#define sqlite3_bind_text (*sgs_dl_sqlite3_bind_text)
#define sqlite3_busy_timeout (*sgs_dl_sqlite3_busy_timeout)
#define sqlite3_close (*sgs_dl_sqlite3_close)
#define sqlite3_column_blob (*sgs_dl_sqlite3_column_blob)
#define sqlite3_column_bytes (*sgs_dl_sqlite3_column_bytes)
#define sqlite3_column_int (*sgs_dl_sqlite3_column_int)
#define sqlite3_column_int64 (*sgs_dl_sqlite3_column_int64)
#define sqlite3_column_text (*sgs_dl_sqlite3_column_text)
#define sqlite3_errmsg (*sgs_dl_sqlite3_errmsg)
#define sqlite3_errstr (*sgs_dl_sqlite3_errstr)
#define sqlite3_exec (*sgs_dl_sqlite3_exec)
#define sqlite3_finalize (*sgs_dl_sqlite3_finalize)
#define sqlite3_open_v2 (*sgs_dl_sqlite3_open_v2)
#define sqlite3_prepare_v2 (*sgs_dl_sqlite3_prepare_v2)
#define sqlite3_step (*sgs_dl_sqlite3_step)
#endif
#endif

#endif
