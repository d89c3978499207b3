/* swaggate serve: APIG's import endpoints over HTTP/1.1 (libmicrohttpd),
 * on loopback, so that upload scripts can be tested offline (issue 10).
 *
 *   POST /v2/{project}/apigw/instances/{instance}/openapi/async-import  202 {"task_id"}
 *   GET  /v2/{project}/apigw/instances/{instance}/async-tasks/{task_id} the task
 *   POST /v2/{project}/apigw/instances/{instance}/openapi/import        200 the result
 *   POST /v2/{project}/apigw/instances/{instance}/openapi/export        the group
 *
 * One thread per connection (libmicrohttpd's); the file part of an upload
 * streams to a temporary file; reading it back, parsing and normalizing run
 * under a semaphore of --workers slots, and queued imports run on --workers
 * worker threads of their own, so memory stays within about twice the size
 * limit times the worker count, whatever the number of connections. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <microhttpd.h>

#include "serve.h"

const char sgc_serve_usage[] =
    "Usage: swaggate serve [--listen ADDRESS:PORT] [--data DIR] [--tokens FILE]\n"
    "                      [--workers N] [--max-size BYTES] [--quiet]\n"
    "Serve APIG's Swagger import endpoints (async-import, the task query, import,\n"
    "export) on this machine, to test upload scripts offline.\n"
    "\n"
    "  --listen ADDRESS:PORT  where to listen (default 127.0.0.1:8080); port 0 picks\n"
    "                         a free one. The first line of standard output is the\n"
    "                         base URL, e.g. http://127.0.0.1:41234\n"
    "  --data DIR             the store (SQLite) and temporary files (default\n"
    "                         $XDG_STATE_HOME/swaggate or ~/.local/state/swaggate)\n"
    "  --tokens FILE          lines 'TOKEN PROJECT INSTANCE' ('*': any); without it\n"
    "                         a random token, allowed everywhere, is printed on the\n"
    "                         second line of standard output\n"
    "  --workers N            threads running queued imports, and the number of\n"
    "                         uploads parsed at once (default 2); 0: tasks are\n"
    "                         queued and stay waiting (to test a client's polling)\n"
    "  --max-size BYTES       the file part's size limit (default: the library's,\n"
    "                         12 MiB); past it: 400 APIG.3603\n"
    "  --quiet                no request log on standard error\n"
    "\n"
    "Stops cleanly on SIGINT or SIGTERM. Exit status: 0 stopped by a signal,\n"
    "2 usage or a store/port that cannot be used, 3 internal error.\n";

enum { R_NONE, R_ASYNC, R_IMPORT, R_EXPORT, R_TASK };
enum { EXPORT_BODY_MAX = 64 * 1024, POOL_MAX = 16, ID_MAX = 64 };

typedef struct token {
    char *token, *project, *instance;
} token;

typedef struct server {
    char data[3000], tmpdir[3100], refroot[3100];
    token *tokens;
    size_t ntokens;
    sg_options options;
    uint64_t max_size;
    unsigned workers;
    int quiet;
    sem_t slots; /* uploads parsed / imports run at once */
    sgs_workers *pool_workers;
    pthread_mutex_t pool_lock;
    sqlite3 *pool[POOL_MAX];
    size_t npool;
} server;

typedef struct request {
    int route;
    char project[ID_MAX + 1], instance[ID_MAX + 1], task[ID_MAX + 1];
    char method[16], path[512]; /* for the log, escaped */
    struct timespec start;
    unsigned status;
    char task_id[33];
    sgs_upload *up;
    sgs_error err;
    char *body; /* export's JSON body */
    size_t body_len;
    int answered;
} request;

/* ---- small helpers ------------------------------------------------------ */

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void escape_into(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 5 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f || c == '\\')
            n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
}

static int id_ok(const char *s, size_t n)
{
    if (n == 0 || n > ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_'))
            return 0;
    }
    return 1;
}

/* Equal, in a time that does not depend on where they differ. */
static int same_secret(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return d == 0;
}

/* ---- the store's connections: a small pool ------------------------------ */

static sqlite3 *db_get(server *s, sgs_error *err)
{
    sqlite3 *db = NULL;
    pthread_mutex_lock(&s->pool_lock);
    if (s->npool)
        db = s->pool[--s->npool];
    pthread_mutex_unlock(&s->pool_lock);
    if (db)
        return db;
    char msg[512];
    if (!(db = sgs_store_open(s->data, msg, sizeof msg)))
        sgs_error_set(err, 500, "APIG.9999", "System error: %s", msg);
    return db;
}

static void db_put(server *s, sqlite3 *db)
{
    if (!db)
        return;
    pthread_mutex_lock(&s->pool_lock);
    if (s->npool < POOL_MAX) {
        s->pool[s->npool++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&s->pool_lock);
    sqlite3_close(db);
}

/* ---- answers ------------------------------------------------------------ */

static enum MHD_Result answer(struct MHD_Connection *c, request *r, unsigned status,
                              const char *ctype, const char *body, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->route == R_TASK ? "GET" : "POST");
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->answered = 1;
    return ret;
}

static enum MHD_Result answer_json(struct MHD_Connection *c, request *r, unsigned status,
                                   struct json_object *o)
{
    if (!o) {
        static const char oom[] =
            "{\"error_code\":\"APIG.9999\",\"error_msg\":\"System error: out of memory\"}";
        return answer(c, r, 500, "application/json", oom, sizeof oom - 1);
    }
    size_t len;
    const char *text = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    enum MHD_Result ret = answer(c, r, status, "application/json;charset=UTF-8", text, len);
    json_object_put(o);
    return ret;
}

static enum MHD_Result answer_error(struct MHD_Connection *c, request *r)
{
    struct json_object *o = json_object_new_object();
    if (o) {
        json_object_object_add(o, "error_code", json_object_new_string(r->err.code));
        json_object_object_add(o, "error_msg", json_object_new_string(r->err.msg));
    }
    return answer_json(c, r, r->err.status, o);
}

/* ---- routes, tokens ----------------------------------------------------- */

/* Match URL and METHOD against the four routes: R's route, project,
 * instance and task, or R->err (404 unknown route, 405 wrong method, 400
 * a task query without its id). */
static void route(request *r, const char *url, const char *method)
{
    static const char prefix[] = "/v2/";
    const char *p = url, *seg[8];
    size_t len[8], n = 0;
    if (strncmp(p, prefix, 4) != 0)
        goto unknown;
    p += 4;
    while (n < 8) {
        const char *e = strchr(p, '/');
        seg[n] = p;
        len[n] = e ? (size_t)(e - p) : strlen(p);
        n++;
        if (!e)
            break;
        p = e + 1;
    }
    if (n < 5 || n > 6 || len[1] != 5 || strncmp(seg[1], "apigw", 5) != 0 || len[2] != 9 ||
        strncmp(seg[2], "instances", 9) != 0 || !id_ok(seg[0], len[0]) || !id_ok(seg[3], len[3]))
        goto unknown;
    const char *want = "POST";
    if (n == 6 && len[4] == 7 && strncmp(seg[4], "openapi", 7) == 0) {
        if (len[5] == 12 && strncmp(seg[5], "async-import", 12) == 0)
            r->route = R_ASYNC;
        else if (len[5] == 6 && strncmp(seg[5], "import", 6) == 0)
            r->route = R_IMPORT;
        else if (len[5] == 6 && strncmp(seg[5], "export", 6) == 0)
            r->route = R_EXPORT;
        else
            goto unknown;
    } else if (len[4] == 11 && strncmp(seg[4], "async-tasks", 11) == 0) {
        r->route = R_TASK;
        want = "GET";
        if (n == 6 && len[5] > 0) {
            if (!id_ok(seg[5], len[5])) {
                sgs_error_set(&r->err, 404, "APIG.3093", "The asynchronous task does not exist");
                return;
            }
            memcpy(r->task, seg[5], len[5]);
        }
    } else {
        goto unknown;
    }
    memcpy(r->project, seg[0], len[0]);
    memcpy(r->instance, seg[3], len[3]);
    if (strcmp(method, want) != 0) {
        sgs_error_set(&r->err, 405, "APIG.0101", "Method %s not allowed here: use %s", r->method, want);
        return;
    }
    if (r->route == R_TASK && !r->task[0])
        sgs_error_set(&r->err, 400, "APIG.2001",
                      "The request parameters must be specified, parameterName:task_id");
    return;
unknown:
    r->route = R_NONE;
    sgs_error_set(&r->err, 404, "APIG.0101", "The API does not exist or has not been published");
}

static void authorize(server *s, struct MHD_Connection *c, request *r)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Auth-Token");
    int known = 0, allowed = 0;
    if (t && *t) {
        for (size_t i = 0; i < s->ntokens; i++) {
            const token *k = &s->tokens[i];
            if (!same_secret(t, k->token))
                continue;
            known = 1;
            if ((strcmp(k->project, "*") == 0 || strcmp(k->project, r->project) == 0) &&
                (strcmp(k->instance, "*") == 0 || strcmp(k->instance, r->instance) == 0))
                allowed = 1;
        }
    }
    if (!known)
        sgs_error_set(&r->err, 401, "APIG.1002", "Incorrect token or token resolution failed");
    else if (!allowed)
        sgs_error_set(&r->err, 403, "APIG.1005",
                      "No permissions to request this method (project %s, instance %s)", r->project,
                      r->instance);
}

/* ---- the uploaded file: parse, check, normalize ------------------------- */

static void diag_position(char *out, size_t cap, const char *file, const sg_diagnostic *g)
{
    if (g && g->start.line)
        snprintf(out, cap, "%s:%u:%u: %s [%s]", file, g->start.line, g->start.column, g->message,
                 g->rule ? g->rule : "");
    else
        snprintf(out, cap, "%s: %s", file, g ? g->message : "unreadable");
}

static const sg_diagnostic *first_error(const sg_diagnostics *d)
{
    size_t n = sg_diagnostics_count(d);
    for (size_t i = 0; i < n; i++)
        if (sg_diagnostics_get(d, i)->severity == SG_SEVERITY_ERROR)
            return sg_diagnostics_get(d, i);
    return n ? sg_diagnostics_get(d, 0) : NULL;
}

/* BYTES as the gateway reads an import file: empty (APIG.3609), not JSON
 * or YAML (APIG.3600), not Swagger 2.0 (APIG.3601), or good: its canonical
 * body into *OUT. 0, or -1 with ERR set. */
static int check_file(server *s, const char *file_name, const char *bytes, size_t len,
                      sg_bytes **out, sgs_error *err)
{
    char name[3500], safe[256], where[900];
    size_t i;
    *out = NULL;
    for (i = 0; i < len; i++)
        if (!bytes[i] || !strchr(" \t\r\n", bytes[i])) /* NUL is not white space */
            break;
    if (i == len) {
        sgs_error_set(err, 400, "APIG.3609", "The input file is empty: %s has %s", file_name,
                      len ? "white space only" : "no bytes");
        return -1;
    }
    /* The name keeps its extension (it picks the reader, as the gateway's
     * does) and lives in an empty folder that file $refs may not leave. */
    const char *base = strrchr(file_name, '/');
    base = base ? base + 1 : file_name;
    if (!*base || strcmp(base, "..") == 0 || strcmp(base, ".") == 0)
        base = "swagger.json";
    escape_into(safe, sizeof safe, base);
    snprintf(name, sizeof name, "%s/%s", s->refroot, safe);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (!d) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return -1;
    }
    sg_status st = sg_document_parse(name, bytes, len, &s->options, d, &doc);
    int r = -1;
    if (st == SG_ENOMEM) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
    } else if (st != SG_OK || sg_diagnostics_tally(d, SG_SEVERITY_ERROR)) {
        /* Not read, or read with an error of the bytes themselves (a
         * duplicate key, a NUL in a key, a tag, .inf): the gateway's reader
         * is not known to take either. */
        const sg_diagnostic *g = first_error(d);
        diag_position(where, sizeof where, safe, g);
        if (g && g->rule && strcmp(g->rule, "empty-document") == 0)
            sgs_error_set(err, 400, "APIG.3609", "The input file is empty: %s", where);
        else
            sgs_error_set(err, 400, "APIG.3600", "JSON or YAML format error: %s", where);
    } else {
        struct json_object *root = sg_document_root(doc), *v = NULL;
        sg_mark m = {1, 1, 0};
        if (!root) {
            sgs_error_set(err, 400, "APIG.3609", "The input file is empty: %s holds no value", safe);
        } else if (!json_object_is_type(root, json_type_object) ||
                   !json_object_object_get_ex(root, "swagger", &v) ||
                   !json_object_is_type(v, json_type_string) ||
                   strcmp(json_object_get_string(v), "2.0") != 0) {
            if (v)
                sg_document_locate(doc, "/swagger", &m, NULL, NULL);
            sgs_error_set(err, 400, "APIG.3601",
                          "The Swagger file version must be 2.0: %s:%u:%u: %s", safe, m.line, m.column,
                          !json_object_is_type(root, json_type_object)
                              ? "the root is not a mapping"
                          : !v ? "there is no swagger field"
                          : json_object_is_type(v, json_type_string)
                              ? "swagger is not \"2.0\""
                              : "swagger is not the string \"2.0\" (quote it: swagger: \"2.0\")");
        } else {
            sg_diagnostics *d2 = sg_diagnostics_new();
            st = d2 ? sg_normalize(doc, &s->options, SG_NORMALIZE_CANONICAL, d2, out) : SG_ENOMEM;
            if (st == SG_OK) {
                r = 0;
            } else if (st == SG_ENOMEM) {
                sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
            } else {
                const sg_diagnostic *g = first_error(d2);
                diag_position(where, sizeof where, safe, g);
                sgs_error_set(err, 400, g && g->apig_code ? g->apig_code : "APIG.3602",
                              "Syntax error in the Swagger file: %s", where);
            }
            sg_diagnostics_free(d2);
        }
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return r;
}

/* ---- the routes' work ---------------------------------------------------- */

static void slot_take(server *s)
{
    while (sem_wait(&s->slots) != 0 && errno == EINTR)
        ;
}

static enum MHD_Result do_upload(server *s, struct MHD_Connection *c, request *r)
{
    sgs_form form;
    char *bytes = NULL;
    size_t len = 0;
    sg_bytes *canon = NULL;
    enum MHD_Result ret;
    /* The file comes back into memory only inside a slot. */
    slot_take(s);
    int up_ok = sgs_upload_finish(r->up, &form, &bytes, &len, &r->err) == 0;
    sgs_upload_free(r->up);
    r->up = NULL;
    if (!up_ok) {
        sem_post(&s->slots);
        return answer_error(c, r);
    }
    int ok = check_file(s, form.file_name, bytes, len, &canon, &r->err) == 0;
    free(bytes);
    if (!ok) {
        sem_post(&s->slots);
        return answer_error(c, r);
    }
    sqlite3 *db = db_get(s, &r->err);
    if (!db) {
        sem_post(&s->slots);
        sg_bytes_free(canon);
        return answer_error(c, r);
    }
    if (r->route == R_ASYNC) {
        int added = sgs_store_task_add(db, r->project, r->instance, &form, sg_bytes_data(canon),
                                       sg_bytes_len(canon), r->task_id, &r->err) == 0;
        sem_post(&s->slots);
        sg_bytes_free(canon);
        db_put(s, db);
        if (!added) {
            r->task_id[0] = '\0';
            return answer_error(c, r);
        }
        sgs_workers_notify(s->pool_workers);
        struct json_object *o = json_object_new_object();
        if (o)
            json_object_object_add(o, "task_id", json_object_new_string(r->task_id));
        return answer_json(c, r, 202, o);
    }
    struct json_object *result = NULL;
    int failed = 0;
    int done = sgs_store_import(db, r->project, r->instance, &form, sg_bytes_data(canon),
                                sg_bytes_len(canon), &s->options, s->max_size, 0, &result, &failed,
                                &r->err) == 0;
    sem_post(&s->slots);
    sg_bytes_free(canon);
    db_put(s, db);
    if (!done)
        return answer_error(c, r);
    if (failed) {
        struct json_object *code;
        unsigned status = 400;
        /* The statuses of APIG.md 5: a missing group 404, a quota 403. */
        const char *ec = json_object_object_get_ex(result, "error_code", &code)
                             ? json_object_get_string(code) : "";
        if (strcmp(ec, "APIG.3001") == 0)
            status = 404;
        else if (strncmp(ec, "APIG.31", 7) == 0)
            status = 403;
        ret = answer_json(c, r, status, result);
    } else {
        ret = answer_json(c, r, 200, result);
    }
    return ret;
}

static enum MHD_Result do_task(server *s, struct MHD_Connection *c, request *r)
{
    sqlite3 *db = db_get(s, &r->err);
    if (!db)
        return answer_error(c, r);
    struct json_object *o = sgs_store_task_show(db, r->project, r->instance, r->task, &r->err);
    db_put(s, db);
    if (!o)
        return answer_error(c, r);
    snprintf(r->task_id, sizeof r->task_id, "%.32s", r->task);
    return answer_json(c, r, 200, o);
}

static enum MHD_Result do_export(server *s, struct MHD_Connection *c, request *r)
{
    struct json_object *req = r->body ? json_tokener_parse(r->body) : NULL, *v;
    const char *group = NULL, *type = "json", *define = "all";
    if (!req || !json_object_is_type(req, json_type_object)) {
        json_object_put(req);
        sgs_error_set(&r->err, 400, "APIG.2012",
                      "Invalid parameter value: the body must be a JSON object {\"group_id\", "
                      "\"define\", \"type\"}");
        return answer_error(c, r);
    }
    if (json_object_object_get_ex(req, "group_id", &v) && json_object_is_type(v, json_type_string))
        group = json_object_get_string(v);
    if (json_object_object_get_ex(req, "type", &v))
        type = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
    if (json_object_object_get_ex(req, "define", &v))
        define = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
    if (!group || !*group)
        sgs_error_set(&r->err, 400, "APIG.2001",
                      "The request parameters must be specified, parameterName:group_id");
    else if (!id_ok(group, strlen(group)))
        sgs_error_set(&r->err, 404, "APIG.3001", "The API group does not exist");
    else if (strcmp(type, "json") && strcmp(type, "yaml") && strcmp(type, "yml"))
        sgs_error_set(&r->err, 400, "APIG.2012",
                      "Invalid parameter value, parameterName:type (expected json, yaml or yml)");
    else if (strcmp(define, "spec") && strcmp(define, "proxy") && strcmp(define, "all") &&
             strcmp(define, "dev"))
        sgs_error_set(&r->err, 400, "APIG.2012",
                      "Invalid parameter value, parameterName:define (expected spec, proxy, all or "
                      "dev)");
    int yaml = strcmp(type, "json") != 0;
    char *text = NULL;
    if (!r->err.status) {
        sqlite3 *db = db_get(s, &r->err);
        if (db) {
            text = sgs_store_group_document(db, r->project, r->instance, group, &r->err);
            db_put(s, db);
        }
    }
    if (!text) {
        json_object_put(req);
        return answer_error(c, r);
    }
    /* Through the library's reader, so that numbers keep their text. */
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    char *out = NULL;
    size_t out_len = 0;
    if (d && sg_document_parse("group.json", text, strlen(text), &s->options, d, &doc) == SG_OK) {
        if (yaml) {
            out = sgs_yaml_dump(sg_document_root(doc));
            out_len = out ? strlen(out) : 0;
        } else {
            FILE *f = open_memstream(&out, &out_len);
            if (f) {
                int bad = sg_document_write_json(doc, f, 1) != SG_OK;
                if (fclose(f) != 0 || bad) {
                    free(out);
                    out = NULL;
                }
            }
        }
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    free(text);
    if (!out) {
        sgs_error_set(&r->err, 500, "APIG.9999", "System error: cannot write the group %s", group);
        json_object_put(req); /* GROUP points into it */
        return answer_error(c, r);
    }
    json_object_put(req);
    const char *ctype = yaml ? "application/yaml;charset=UTF-8" : "application/json;charset=UTF-8";
    enum MHD_Result ret = answer(c, r, 200, ctype, out, out_len);
    free(out);
    return ret;
}

/* ---- libmicrohttpd's callbacks ------------------------------------------ */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    server *s = cls;
    request *r = *con_cls;
    (void)version;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        *con_cls = r;
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        escape_into(r->method, sizeof r->method, method);
        escape_into(r->path, sizeof r->path, url);
        route(r, url, method);
        if (!r->err.status)
            authorize(s, c, r);
        if (!r->err.status && (r->route == R_ASYNC || r->route == R_IMPORT)) {
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            unsigned long long body = cl ? strtoull(cl, NULL, 10) : 0;
            if (body > s->max_size + 64 * 1024)
                sgs_error_set(&r->err, 400, "APIG.3603",
                              "The input data is too long: the body has %llu bytes, the file part's "
                              "limit is %llu",
                              body, (unsigned long long)s->max_size);
            else
                r->up = sgs_upload_new(c, s->tmpdir, s->max_size, &r->err);
        }
        /* Refused before the body is read: the client is told at once. */
        if (r->err.status)
            return answer_error(c, r);
        return MHD_YES;
    }
    if (r->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (r->up) {
            sgs_upload_feed(r->up, upload_data, *upload_data_size, &r->err);
        } else if (r->route == R_EXPORT && !r->err.status) {
            if (r->body_len + *upload_data_size > EXPORT_BODY_MAX) {
                sgs_error_set(&r->err, 400, "APIG.2012", "Invalid parameter value: the body is over %d bytes",
                              EXPORT_BODY_MAX);
            } else {
                char *b = realloc(r->body, r->body_len + *upload_data_size + 1);
                if (!b) {
                    sgs_error_set(&r->err, 500, "APIG.9999", "System error: out of memory");
                } else {
                    memcpy(b + r->body_len, upload_data, *upload_data_size);
                    r->body = b;
                    r->body_len += *upload_data_size;
                    b[r->body_len] = '\0';
                }
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->err.status)
        return answer_error(c, r);
    switch (r->route) {
    case R_ASYNC:
    case R_IMPORT: return do_upload(s, c, r);
    case R_EXPORT: return do_export(s, c, r);
    case R_TASK: return do_task(s, c, r);
    default: return answer_error(c, r);
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    server *s = cls;
    request *r = *con_cls;
    (void)c;
    if (!r)
        return;
    if (!s->quiet)
        /* The token is never written: only the method, the path, the
         * status, the task and the time. */
        fprintf(stderr, "swaggate serve: %s %s %u%s%s %.1f ms%s\n", r->method, r->path,
                r->status, r->task_id[0] ? " task=" : "", r->task_id, elapsed_ms(&r->start),
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection ended early)");
    sgs_upload_free(r->up);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

/* ---- start-up ------------------------------------------------------------- */

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("swaggate serve: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'swaggate serve --help'.\n", stderr);
    return 2;
}

static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* Read the token file: "TOKEN PROJECT INSTANCE" per line, '#' comments. */
static int load_tokens(server *s, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "swaggate serve: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    unsigned lineno = 0;
    int bad = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *save = NULL, *t = strtok_r(line, " \t\r\n", &save);
        if (!t || t[0] == '#')
            continue;
        char *p = strtok_r(NULL, " \t\r\n", &save), *i = strtok_r(NULL, " \t\r\n", &save);
        char *extra = strtok_r(NULL, " \t\r\n", &save);
        if (!p || !i || (extra && extra[0] != '#') ||
            (strcmp(p, "*") && !id_ok(p, strlen(p))) || (strcmp(i, "*") && !id_ok(i, strlen(i)))) {
            fprintf(stderr, "swaggate serve: %s:%u: expected TOKEN PROJECT INSTANCE ('*' for any)\n", path,
                    lineno);
            bad = 1;
            continue;
        }
        token *v = realloc(s->tokens, (s->ntokens + 1) * sizeof *v);
        if (!v) {
            bad = 1;
            break;
        }
        s->tokens = v;
        token *k = &s->tokens[s->ntokens];
        k->token = strdup(t);
        k->project = strdup(p);
        k->instance = strdup(i);
        s->ntokens++;
        if (!k->token || !k->project || !k->instance)
            bad = 1;
    }
    fclose(f);
    if (!bad && s->ntokens == 0) {
        fprintf(stderr, "swaggate serve: %s holds no token\n", path);
        bad = 1;
    }
    return bad ? -1 : 0;
}

static int parse_listen(const char *v, struct sockaddr_in *sa)
{
    const char *colon = strrchr(v, ':');
    char host[64];
    if (!colon || (size_t)(colon - v) >= sizeof host || !colon[1])
        return -1;
    memcpy(host, v, (size_t)(colon - v));
    host[colon - v] = '\0';
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void free_server(server *s)
{
    for (size_t i = 0; i < s->ntokens; i++) {
        free(s->tokens[i].token);
        free(s->tokens[i].project);
        free(s->tokens[i].instance);
    }
    free(s->tokens);
    for (size_t i = 0; i < s->npool; i++)
        sqlite3_close(s->pool[i]);
}

int sgc_serve(int argc, char **argv)
{
    static server srv;
    server *s = &srv;
    const char *listen_at = "127.0.0.1:8080", *data = NULL, *tokens = NULL;
    unsigned long workers = 2;
    uint64_t max_size = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sgc_serve_usage, stdout);
            return 0;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
            continue;
        }
        static const char *const valued[] = {"--listen", "--data", "--tokens", "--workers", "--max-size"};
        size_t k, nv = sizeof valued / sizeof valued[0];
        for (k = 0; k < nv; k++) {
            size_t n = strlen(valued[k]);
            if (strncmp(a, valued[k], n) == 0 && (a[n] == '=' || a[n] == '\0')) {
                v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
                break;
            }
        }
        if (k == nv)
            return usage_error("unknown %s '%s'", a[0] == '-' ? "option" : "argument", a);
        if (!v)
            return usage_error("option '%s' needs a value", valued[k]);
        char *end;
        switch (k) {
        case 0: listen_at = v; break;
        case 1: data = v; break;
        case 2: tokens = v; break;
        case 3:
            workers = strtoul(v, &end, 10);
            if (*end || !*v || workers > 64)
                return usage_error("bad --workers '%s': expected a number from 0 to 64", v);
            break;
        case 4:
            max_size = strtoull(v, &end, 10);
            if (*end || !*v || max_size < 1)
                return usage_error("bad --max-size '%s': expected a number of bytes", v);
            break;
        }
    }
    struct sockaddr_in sa;
    if (parse_listen(listen_at, &sa) != 0)
        return usage_error("bad --listen '%s': expected IPV4-ADDRESS:PORT, e.g. 127.0.0.1:8080", listen_at);

    memset(s, 0, sizeof *s);
    s->quiet = quiet;
    s->workers = (unsigned)workers;
    sg_import_options io;
    sg_import_options_init(&io);
    s->max_size = max_size ? max_size : io.max_size;
    if (data && strlen(data) >= sizeof s->data - 32)
        return usage_error("--data '%.40s...' is too long", data);
    if (data) {
        snprintf(s->data, sizeof s->data, "%s", data);
    } else {
        const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (x && x[0] == '/')
            snprintf(s->data, sizeof s->data, "%s/swaggate", x);
        else if (home && *home)
            snprintf(s->data, sizeof s->data, "%s/.local/state/swaggate", home);
        else
            return usage_error("no --data, and neither XDG_STATE_HOME nor HOME is set");
    }
    char dl_err[512];
    if (sgs_dl_open(dl_err, sizeof dl_err) != 0) {
        fprintf(stderr, "swaggate serve: %s\n", dl_err);
        return 3;
    }
    snprintf(s->tmpdir, sizeof s->tmpdir, "%.2960s/tmp", s->data);
    snprintf(s->refroot, sizeof s->refroot, "%.2960s/refroot", s->data);
    if (mkdirs(s->data) != 0 || mkdirs(s->tmpdir) != 0 || mkdirs(s->refroot) != 0) {
        fprintf(stderr, "swaggate serve: cannot create %s: %s\n", s->data, strerror(errno));
        return 2;
    }
    /* One server per store. */
    char lock_path[3100];
    snprintf(lock_path, sizeof lock_path, "%.2960s/serve.lock", s->data);
    int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "swaggate serve: %s is in use by another swaggate serve\n", s->data);
        if (lock_fd >= 0)
            close(lock_fd);
        return 2;
    }
    char generated[33] = "";
    if (tokens) {
        if (load_tokens(s, tokens) != 0) {
            free_server(s);
            close(lock_fd);
            return 2;
        }
    } else {
        if (sgs_random_id(generated) != 0 || !(s->tokens = calloc(1, sizeof *s->tokens)) ||
            !(s->tokens[0].token = strdup(generated)) || !(s->tokens[0].project = strdup("*")) ||
            !(s->tokens[0].instance = strdup("*"))) {
            fprintf(stderr, "swaggate serve: out of memory or randomness\n");
            free_server(s);
            close(lock_fd);
            return 3;
        }
        s->ntokens = 1;
    }
    sg_options_init(&s->options);
    s->options.ref_root = s->refroot;

    char msg[512];
    sqlite3 *db = sgs_store_open(s->data, msg, sizeof msg);
    int waiting = db ? sgs_store_setup(db) : -1;
    if (waiting < 0) {
        fprintf(stderr, "swaggate serve: the store under %s cannot be used: %s\n", s->data,
                db ? sqlite3_errmsg(db) : msg);
        sqlite3_close(db);
        free_server(s);
        close(lock_fd);
        return 2;
    }
    s->pool[s->npool++] = db;

    /* The signals are taken by sigwait below: every thread started from
     * here on has them blocked. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    sem_init(&s->slots, 0, s->workers ? s->workers : 1);
    pthread_mutex_init(&s->pool_lock, NULL);

    if (!(s->pool_workers = sgs_workers_start(s->data, s->workers, &s->options, s->max_size, msg,
                                              sizeof msg))) {
        fprintf(stderr, "swaggate serve: cannot start the workers: %s\n", msg);
        free_server(s);
        close(lock_fd);
        return 2;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | (quiet ? 0 : MHD_USE_ERROR_LOG),
        0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "swaggate serve: cannot listen on %s\n", listen_at);
        sgs_workers_stop(s->pool_workers);
        free_server(s);
        close(lock_fd);
        return 2;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("http://%s:%u\n", host, info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
    if (generated[0])
        printf("X-Auth-Token: %s\n", generated);
    fflush(stdout);
    if (!quiet)
        fprintf(stderr, "swaggate serve: store %s, %u worker%s, %d task%s waiting, file limit %llu bytes\n",
                s->data, s->workers, s->workers == 1 ? "" : "s", waiting, waiting == 1 ? "" : "s",
                (unsigned long long)s->max_size);

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    if (!quiet)
        fprintf(stderr, "swaggate serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    MHD_stop_daemon(d); /* answers being written end first */
    sgs_workers_stop(s->pool_workers);
    sem_destroy(&s->slots);
    pthread_mutex_destroy(&s->pool_lock);
    free_server(s);
    close(lock_fd);
    return 0;
}
