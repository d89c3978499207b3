/* The service's store: one SQLite database under --data (swaggate.db).
 *
 *   groups  the API groups: id, project, instance, name, and the group's
 *           document as it stands (what an export gives: paths, the
 *           x-apigateway-* policies), as the importer last wrote it
 *   apis    the ids the service gave each API (group, method, path)
 *   tasks   the queue: form fields, the canonical file, status, result
 *
 * Every import is one transaction that reads the group, asks the library
 * for the plan (sg_plan_new) and writes the group, the API ids and the
 * task's end, or nothing. A task is marked processing in a transaction of
 * its own, so a task found processing at start-up is one whose import
 * never committed: it is put back to waiting and runs again, once.
 *
 * One server owns the store (serve.lock), so its writers queue on a mutex
 * of this process rather than in SQLite's busy handler, whose sleeps grow
 * to 100 ms under contention; readers (the task query, export) never wait
 * (WAL). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <json-c/json.h>

#include "serve.h"

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS groups("
    " id TEXT PRIMARY KEY, project TEXT NOT NULL, instance TEXT NOT NULL,"
    " name TEXT NOT NULL, document TEXT NOT NULL,"
    " created TEXT NOT NULL, updated TEXT NOT NULL, UNIQUE(project, instance, name));"
    "CREATE TABLE IF NOT EXISTS apis("
    " id TEXT PRIMARY KEY, group_id TEXT NOT NULL REFERENCES groups(id),"
    " method TEXT NOT NULL, path TEXT NOT NULL, UNIQUE(group_id, method, path));"
    "CREATE TABLE IF NOT EXISTS tasks("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    " project TEXT NOT NULL, instance TEXT NOT NULL, params TEXT NOT NULL,"
    " file BLOB NOT NULL,"
    " status TEXT NOT NULL CHECK(status IN ('waiting','processing','succeed','failed')),"
    " result TEXT NOT NULL DEFAULT '', runs INTEGER NOT NULL DEFAULT 0,"
    " created TEXT NOT NULL, updated TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tasks_waiting ON tasks(status, seq);";

int sgs_random_id(char out[33])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t r = getrandom(b + got, sizeof b - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 0;
}

static void now_iso(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + strlen(out), 8, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

sqlite3 *sgs_store_open(const char *data_dir, char *err, size_t cap)
{
    char path[4096];
    sqlite3 *db = NULL;
    snprintf(path, sizeof path, "%s/swaggate.db", data_dir);
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 30000);
    /* WAL: readers (task queries) never wait for the importer; FULL: a
     * task is on disk before its 202 is sent. */
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot set up %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int sgs_store_setup(sqlite3 *db)
{
    if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_exec(db, "UPDATE tasks SET status='waiting' WHERE status='processing'", NULL, NULL,
                     NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM tasks WHERE status='waiting'", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

static void db_fault(sgs_error *err, sqlite3 *db)
{
    sgs_error_set(err, 500, "APIG.9999", "System error: the store failed (%s)", sqlite3_errmsg(db));
}

/* A text column, "" for NULL (SQLite's NULL for out of memory too: the
 * answer is then visibly empty, never a crash in json-c). */
static const char *column_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static const char *json_text(struct json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

int sgs_store_task_add(sqlite3 *db, const char *project, const char *instance,
                       const sgs_form *form, const void *body, size_t len, char *id,
                       sgs_error *err)
{
    char now[32];
    sqlite3_stmt *st = NULL;
    struct json_object *params = sgs_form_json(form);
    if (!params || sgs_random_id(id) != 0) {
        json_object_put(params);
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory or randomness");
        return -1;
    }
    now_iso(now);
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO tasks(id, project, instance, params, file, status, created, "
                                "updated) VALUES(?,?,?,?,?,'waiting',?,?)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, instance, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, json_text(params), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob64(st, 5, body, len, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
        pthread_mutex_lock(&write_lock);
        rc = sqlite3_step(st); /* autocommit: durable when this returns */
        pthread_mutex_unlock(&write_lock);
    }
    sqlite3_finalize(st);
    json_object_put(params);
    if (rc != SQLITE_DONE) {
        db_fault(err, db);
        return -1;
    }
    return 0;
}

struct json_object *sgs_store_task_show(sqlite3 *db, const char *project, const char *instance,
                                        const char *id, sgs_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT status, result, params, created, updated FROM tasks "
                           "WHERE id=? AND project=? AND instance=?",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fault(err, db);
        return NULL;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, instance, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            sgs_error_set(err, 404, "APIG.3093", "The asynchronous task %s does not exist", id);
        else
            db_fault(err, db);
        sqlite3_finalize(st);
        return NULL;
    }
    struct json_object *o = json_object_new_object();
    if (o) {
        json_object_object_add(o, "id", json_object_new_string(id));
        json_object_object_add(o, "task_type", json_object_new_string("import_api"));
        json_object_object_add(o, "task_status",
                               json_object_new_string(column_text(st, 0)));
        json_object_object_add(o, "task_params",
                               json_object_new_string(column_text(st, 2)));
        json_object_object_add(o, "task_result",
                               json_object_new_string(column_text(st, 1)));
        json_object_object_add(o, "create_time",
                               json_object_new_string(column_text(st, 3)));
        json_object_object_add(o, "update_time",
                               json_object_new_string(column_text(st, 4)));
    } else {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
    }
    sqlite3_finalize(st);
    return o;
}

int sgs_store_task_claim(sqlite3 *db, int64_t *seq)
{
    char now[32];
    sqlite3_stmt *st = NULL;
    now_iso(now);
    /* One statement, so one atomic step: two workers never take the same
     * task. */
    if (sqlite3_prepare_v2(db,
                           "UPDATE tasks SET status='processing', runs=runs+1, updated=? WHERE seq="
                           "(SELECT seq FROM tasks WHERE status='waiting' ORDER BY seq LIMIT 1) "
                           "RETURNING seq",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    pthread_mutex_lock(&write_lock);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        found = 1;
        rc = sqlite3_step(st);
    }
    pthread_mutex_unlock(&write_lock);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    return found;
}

/* The first finding at error severity of D, or the first at all. */
static const sg_diagnostic *first_error(const sg_diagnostics *d)
{
    size_t n = sg_diagnostics_count(d);
    for (size_t i = 0; i < n; i++)
        if (sg_diagnostics_get(d, i)->severity == SG_SEVERITY_ERROR)
            return sg_diagnostics_get(d, i);
    return n ? sg_diagnostics_get(d, 0) : NULL;
}

static struct json_object *task_error(const char *code, const char *msg)
{
    struct json_object *o = json_object_new_object();
    if (o) {
        json_object_object_add(o, "error_code", json_object_new_string(code));
        json_object_object_add(o, "error_msg", json_object_new_string(msg));
    }
    return o;
}

/* The id of the API (GROUP, METHOD, PATH) into OUT, made on first sight. */
static int api_id(sqlite3 *db, const char *group, const char *method, const char *path, char out[33])
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT id FROM apis WHERE group_id=? AND method=? AND path=?", -1,
                                &st, NULL);
    if (rc != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, 33, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE || sgs_random_id(out) != 0)
        return -1;
    if (sqlite3_prepare_v2(db, "INSERT INTO apis(id, group_id, method, path) VALUES(?,?,?,?)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, out, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, path, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The names of the instance's groups other than EXCEPT, NULL-terminated,
 * malloc'd as one block; NULL on a fault. */
static char **group_names(sqlite3 *db, const char *project, const char *instance, const char *except)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM groups WHERE project=? AND instance=? AND id<>?", -1,
                           &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, project, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, instance, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, except, -1, SQLITE_STATIC);
    size_t n = 0, cap = 8;
    char **v = malloc(cap * sizeof *v);
    int rc;
    while (v && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n + 2 > cap) {
            char **w = realloc(v, (cap *= 2) * sizeof *v);
            if (!w)
                break;
            v = w;
        }
        if (!(v[n] = strdup((const char *)sqlite3_column_text(st, 0))))
            break;
        v[++n] = NULL;
    }
    int ok = v && rc == SQLITE_DONE;
    sqlite3_finalize(st);
    if (v)
        v[n] = NULL;
    if (!ok && v) {
        for (size_t i = 0; i < n; i++)
            free(v[i]);
        free(v);
        return NULL;
    }
    return v;
}

static void free_names(char **v)
{
    if (!v)
        return;
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

/* The group GROUP_ID of the instance: its document into *DOC (malloc'd);
 * 1 found, 0 not, -1 fault. */
static int group_get(sqlite3 *db, const char *project, const char *instance, const char *group_id,
                     char **doc)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT document FROM groups WHERE id=? AND project=? AND instance=?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, group_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, project, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, instance, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), r = -1;
    if (rc == SQLITE_ROW) {
        *doc = strdup((const char *)sqlite3_column_text(st, 0));
        r = *doc ? 1 : -1;
    } else if (rc == SQLITE_DONE) {
        r = 0;
    }
    sqlite3_finalize(st);
    return r;
}

char *sgs_store_group_document(sqlite3 *db, const char *project, const char *instance,
                               const char *group_id, sgs_error *err)
{
    char *doc = NULL;
    int r = group_get(db, project, instance, group_id, &doc);
    if (r == 0)
        sgs_error_set(err, 404, "APIG.3001", "The API group %s does not exist", group_id);
    else if (r < 0)
        db_fault(err, db);
    return doc;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The parts of one import that run inside its transaction. Returns 0 with
 * *RESULT set, or -1 (a fault; ERR set). */
static int import_in_tx(sqlite3 *db, const char *project, const char *instance, const sgs_form *form,
                        const sg_document *doc, const sg_options *options, uint64_t max_size,
                        struct json_object **result, int *failed, sgs_error *err)
{
    char *existing_text = NULL, **names = NULL;
    sg_document *existing = NULL;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_plan *plan = NULL;
    struct json_object *res = NULL;
    char gid[72], now[32];
    int r = -1;
    if (!d)
        goto oom;
    now_iso(now);
    if (!form->create_group) {
        int g = group_get(db, project, instance, form->group_id, &existing_text);
        if (g < 0)
            goto fault;
        if (g == 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "The API group %s does not exist", form->group_id);
            *result = task_error("APIG.3001", msg);
            *failed = 1;
            r = *result ? 0 : -1;
            goto out;
        }
        sg_status st = sg_document_parse("group.json", existing_text, strlen(existing_text), options,
                                         d, &existing);
        if (st != SG_OK) {
            sgs_error_set(err, 500, "APIG.9999", "System error: the stored group %s does not parse",
                          form->group_id);
            goto out;
        }
        snprintf(gid, sizeof gid, "%s", form->group_id);
    } else {
        gid[0] = '\0';
    }
    if (!(names = group_names(db, project, instance, gid)))
        goto fault;
    sg_import_options io;
    sgs_form_options(form, max_size, &io);
    sg_status st = sg_plan_new(doc, existing, (const char *const *)names, &io, options, d, &plan);
    if (st == SG_ENOMEM)
        goto oom;
    if (st != SG_OK) {
        const sg_diagnostic *g = first_error(d);
        *result = task_error(g && g->apig_code ? g->apig_code : "APIG.2012",
                             g ? g->message : "Invalid parameter value");
        *failed = 1;
        r = *result ? 0 : -1;
        goto out;
    }
    /* A copy of the plan's result, to add the service's ids to. */
    res = json_tokener_parse(json_text(sg_plan_result(plan)));
    if (!res)
        goto oom;
    /* The gateway's task result has no "policies": plan's own addition. */
    json_object_object_del(res, "policies");
    const char *code = sg_plan_error_code(plan);
    if (code) {
        *failed = 1;
        *result = res;
        res = NULL;
        r = 0;
        goto out;
    }
    struct json_object *group = sg_plan_group(plan), *v;
    if (!group) {
        sgs_error_set(err, 500, "APIG.9999", "System error: the plan has no group");
        goto out;
    }
    const char *group_text = json_text(group);
    sqlite3_stmt *q = NULL;
    if (form->create_group) {
        const char *name = NULL;
        struct json_object *info;
        if (json_object_object_get_ex(group, "info", &info) &&
            json_object_object_get_ex(info, "title", &v))
            name = json_object_get_string(v);
        if (sgs_random_id(gid) != 0)
            goto oom;
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO groups(id, project, instance, name, document, created, "
                               "updated) VALUES(?,?,?,?,?,?,?)",
                               -1, &q, NULL) != SQLITE_OK)
            goto fault;
        sqlite3_bind_text(q, 1, gid, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, project, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, instance, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, name ? name : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, group_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, now, -1, SQLITE_STATIC);
    } else {
        if (sqlite3_prepare_v2(db, "UPDATE groups SET document=?, updated=? WHERE id=?", -1, &q, NULL) !=
            SQLITE_OK)
            goto fault;
        sqlite3_bind_text(q, 1, group_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, gid, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        goto fault;
    /* The service's ids: the group, each API, the Swagger import. */
    json_object_object_add(res, "group_id", json_object_new_string(gid));
    struct json_object *success;
    if (json_object_object_get_ex(res, "success", &success) &&
        json_object_is_type(success, json_type_array)) {
        size_t n = json_object_array_length(success);
        for (size_t i = 0; i < n; i++) {
            struct json_object *e = json_object_array_get_idx(success, i), *m, *p;
            char id[33];
            if (!json_object_object_get_ex(e, "method", &m) || !json_object_object_get_ex(e, "path", &p))
                continue;
            if (api_id(db, gid, json_object_get_string(m), json_object_get_string(p), id) != 0)
                goto fault;
            json_object_object_add(e, "id", json_object_new_string(id));
        }
    }
    struct json_object *sw = json_object_new_object();
    char swid[33];
    if (!sw || sgs_random_id(swid) != 0) {
        json_object_put(sw);
        goto oom;
    }
    json_object_object_add(sw, "id", json_object_new_string(swid));
    json_object_object_add(sw, "result", json_object_new_string("success"));
    json_object_object_add(res, "swagger", sw);
    *failed = 0;
    *result = res;
    res = NULL;
    r = 0;
    goto out;
fault:
    db_fault(err, db);
    goto out;
oom:
    sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
out:
    json_object_put(res);
    sg_plan_free(plan);
    free_names(names);
    sg_document_free(existing);
    free(existing_text);
    sg_diagnostics_free(d);
    return r;
}

int sgs_store_import(sqlite3 *db, const char *project, const char *instance,
                     const sgs_form *form, const char *body, size_t len,
                     const sg_options *options, uint64_t max_size, int64_t task_seq,
                     struct json_object **result, int *failed, sgs_error *err)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    *result = NULL;
    *failed = 0;
    if (!d) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return -1;
    }
    /* Parsed before the transaction: the write lock is held for the plan
     * and the writes only. */
    /* The stored body is the canonical JSON: read as JSON whatever the
     * upload's name, which the plan's messages show. */
    sg_options json_options = *options;
    json_options.format = SG_FORMAT_JSON;
    options = &json_options;
    const char *base = strrchr(form->file_name, '/');
    base = base ? base + 1 : form->file_name;
    sg_status st = sg_document_parse(*base ? base : "swagger.json", body, len, options, d, &doc);
    if (st == SG_ENOMEM) {
        sg_diagnostics_free(d);
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return -1;
    }
    pthread_mutex_lock(&write_lock);
    if (exec(db, "BEGIN IMMEDIATE") != 0) {
        pthread_mutex_unlock(&write_lock);
        sg_document_free(doc);
        sg_diagnostics_free(d);
        db_fault(err, db);
        return -1;
    }
    int r;
    if (task_seq > 0) {
        /* Only a task this worker holds is run. */
        sqlite3_stmt *q = NULL;
        r = -1;
        if (sqlite3_prepare_v2(db, "SELECT status FROM tasks WHERE seq=?", -1, &q, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(q, 1, task_seq);
            if (sqlite3_step(q) == SQLITE_ROW)
                r = strcmp((const char *)sqlite3_column_text(q, 0), "processing") == 0 ? 0 : 1;
        }
        sqlite3_finalize(q);
        if (r != 0) {
            exec(db, "ROLLBACK");
            pthread_mutex_unlock(&write_lock);
            sg_document_free(doc);
            sg_diagnostics_free(d);
            if (r < 0)
                db_fault(err, db);
            return r < 0 ? -1 : 0;
        }
    }
    if (!doc) {
        /* Checked when the task was accepted; kept for a store written by
         * another version. */
        const sg_diagnostic *g = first_error(d);
        *result = task_error("APIG.3600", g ? g->message : "JSON or YAML format error");
        *failed = 1;
        r = *result ? 0 : -1;
        if (r)
            sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
    } else {
        r = import_in_tx(db, project, instance, form, doc, options, max_size, result, failed, err);
    }
    if (r == 0 && task_seq > 0) {
        char now[32];
        sqlite3_stmt *q = NULL;
        now_iso(now);
        r = -1;
        if (sqlite3_prepare_v2(db, "UPDATE tasks SET status=?, result=?, updated=? WHERE seq=?", -1, &q,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(q, 1, *failed ? "failed" : "succeed", -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, json_text(*result), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 4, task_seq);
            if (sqlite3_step(q) == SQLITE_DONE)
                r = 0;
        }
        sqlite3_finalize(q);
        if (r)
            db_fault(err, db);
    }
    if (r == 0 && exec(db, "COMMIT") != 0) {
        db_fault(err, db);
        r = -1;
    }
    if (r != 0) {
        exec(db, "ROLLBACK");
        json_object_put(*result);
        *result = NULL;
    }
    pthread_mutex_unlock(&write_lock);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return r;
}

int sgs_store_task_run(sqlite3 *db, int64_t seq, const sg_options *options, uint64_t max_size)
{
    sqlite3_stmt *q = NULL;
    char project[72], instance[72];
    char *body = NULL;
    size_t len = 0;
    sgs_form form;
    int r = -1;
    if (sqlite3_prepare_v2(db, "SELECT project, instance, params, file FROM tasks WHERE seq=?", -1, &q,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, seq);
    if (sqlite3_step(q) == SQLITE_ROW) {
        snprintf(project, sizeof project, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(instance, sizeof instance, "%s", (const char *)sqlite3_column_text(q, 1));
        len = (size_t)sqlite3_column_bytes(q, 3);
        const void *b = sqlite3_column_blob(q, 3);
        if (sgs_form_from_json((const char *)sqlite3_column_text(q, 2), &form) == 0 &&
            (body = malloc(len + 1))) {
            if (len)
                memcpy(body, b, len);
            body[len] = '\0';
            r = 0;
        }
    }
    sqlite3_finalize(q);
    if (r != 0) {
        free(body);
        return -1;
    }
    struct json_object *result = NULL;
    int failed = 0;
    sgs_error err = {0};
    r = sgs_store_import(db, project, instance, &form, body, len, options, max_size, seq, &result,
                         &failed, &err);
    json_object_put(result);
    free(body);
    return r;
}

int sgs_store_task_fail(sqlite3 *db, int64_t seq, const char *why)
{
    char now[32];
    sqlite3_stmt *q = NULL;
    now_iso(now);
    struct json_object *o = json_object_new_object();
    if (!o || json_object_object_add(o, "error_code", json_object_new_string("APIG.9999")) ||
        json_object_object_add(o, "error_msg",
                               json_object_new_string(why && *why ? why : "System error"))) {
        json_object_put(o);
        return -1;
    }
    int r = -1;
    if (sqlite3_prepare_v2(db,
                           "UPDATE tasks SET status='failed', result=?, updated=? "
                           "WHERE seq=? AND status='processing'",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, json_text(o), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, seq);
        pthread_mutex_lock(&write_lock);
        r = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
        pthread_mutex_unlock(&write_lock);
    }
    sqlite3_finalize(q);
    json_object_put(o);
    return r;
}
