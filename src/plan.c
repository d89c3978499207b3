/* Importer: predict what APIG's import does with a document (APIG.md
 * section 4), against the group's current export or into a new group.
 *
 * The model (what the gateway keeps of an API, the group document) is in
 * plan_model.c; this file runs the import and writes its answer.
 *
 * How the import runs, in the gateway's order as far as APIG documents it
 * (choices where it is silent are marked "choice" and listed in swaggate(1)):
 * 1. Whole-task checks, nothing imported when one fails: a new group whose
 *    info.title is missing (APIG.2044) or is the name of another group
 *    (APIG.3201); more APIs in the file than limits.apig_apis (APIG.3127;
 *    choice: the whole task fails, as APIG's FAQ says "split the file": the
 *    count is known before any API is processed).
 * 2. Policies (extend_mode): root x-apigateway-ratelimits and
 *    x-apigateway-access-controls by name; merge keeps the group's policy,
 *    override replaces it, a new name is created; bindings then point at the
 *    policy of that name as it stands. securityDefinitions and root
 *    x-apigateway-responses are merged the same way (choice: extend_mode's
 *    scope beyond ACLs and throttling is undocumented, APIG.md 6 Q4) and not
 *    reported.
 * 3. APIs in file order (paths in order, methods in order within a path).
 *    Duplicates inside the file first: an API with the route (APIG.3301) or
 *    the name (APIG.3202) of an earlier API of the file fails, whatever
 *    happened to the earlier one. Then the group as it stands (existing APIs
 *    as earlier APIs of this import left them), where names and routes stay
 *    unique: an API whose route or name an API of the group holds collides.
 *    merge keeps the group's API and reports the file's in failure
 *    (APIG.3301 for a route, else APIG.3202) or, with
 *    merge_conflict_ignored, in ignore. override updates "the same API":
 *    by import->conflict_key (both: the one with the route, else the one
 *    with the name; name or route: only that), unless the route or name is
 *    held by another API of the group (failure). A new API past
 *    limits.apig_group_apis fails with APIG.3125. APIs not in the file are
 *    kept.
 * A route is the method, the full path with its {variables} unnamed (choice:
 * /a/{id} and /a/{key} match the same requests) and the match mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "plan_model.h"

struct sg_plan {
    sg_allocator alloc;         /* the options' hooks: serve the plan's blocks */
    struct json_object *result; /* the task result */
    struct json_object *group;  /* the group document, or NULL */
    char *error_code;           /* whole-task failure, or NULL */
    char *error_msg;
    char *file;     /* the document's name */
    char *existing; /* the export's name, or NULL (new group) */
    char *group_name;
    sg_import_options import;
    char *group_id; /* copy of import.group_id */
    /* For the text table: the file's APIs with their outcome, and the group's
     * APIs the import leaves alone. */
    sgi_plan_row *rows;
    size_t nrows;
    sgi_plan_row *kept;
    size_t nkept;
    size_t group_apis; /* APIs in the group after the import */
    int simple_mode;
};

/* ---- small helpers --------------------------------------------------------- */

static char *dup_s(const sg_allocator *a, const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = sgi_strdup(a, s);
    if (!d)
        *oom = 1;
    return d;
}

static void row_fini(const sg_allocator *a, sgi_plan_row *r)
{
    sgi_free(a, r->method);
    sgi_free(a, r->path);
    sgi_free(a, r->name);
    sgi_free(a, r->code);
    sgi_free(a, r->msg);
}

void sg_plan_free(sg_plan *plan)
{
    if (!plan)
        return;
    sg_allocator a = plan->alloc; /* the plan's own block goes back last */
    json_object_put(plan->result);
    json_object_put(plan->group);
    sgi_free(&a, plan->error_code);
    sgi_free(&a, plan->error_msg);
    sgi_free(&a, plan->file);
    sgi_free(&a, plan->existing);
    sgi_free(&a, plan->group_name);
    sgi_free(&a, plan->group_id);
    for (size_t i = 0; i < plan->nrows; i++)
        row_fini(&a, &plan->rows[i]);
    sgi_free(&a, plan->rows);
    for (size_t i = 0; i < plan->nkept; i++)
        row_fini(&a, &plan->kept[i]);
    sgi_free(&a, plan->kept);
    sgi_free(&a, plan);
}

struct json_object *sg_plan_result(const sg_plan *plan) { return plan ? plan->result : NULL; }
struct json_object *sg_plan_group(const sg_plan *plan) { return plan ? plan->group : NULL; }
const char *sg_plan_error_code(const sg_plan *plan) { return plan ? plan->error_code : NULL; }

/* ---- the run --------------------------------------------------------------- */

typedef struct run {
    sgi_plan_ctx *cx;
    sg_plan *plan;
    const sg_import_options *imp;
    const sg_limits *limits;
    sgi_plan_api *group; /* the group as it stands */
    size_t ngroup, capgroup;
    sgi_plan_api *file; /* the file's APIs */
    size_t nfile;
    struct json_object *success, *failure, *ignore;
    /* route and name -> index of the first API that has it (json ints), so
     * that each API costs a few lookups, not a walk over the group */
    struct json_object *file_routes, *file_names, *group_routes, *group_names;
} run;

static int64_t map_get(struct json_object *map, const char *key)
{
    struct json_object *v;
    if (!key || !json_object_object_get_ex(map, key, &v))
        return -1;
    return json_object_get_int64(v);
}

static void map_put_first(sgi_plan_ctx *cx, struct json_object *map, const char *key, size_t i)
{
    if (!key || map_get(map, key) >= 0)
        return;
    struct json_object *v = json_object_new_int64((int64_t)i);
    if (!v)
        cx->oom = 1;
    else
        sgi_plan_set(cx, map, key, v);
}

static void map_del_if(struct json_object *map, const char *key, size_t i)
{
    if (key && map_get(map, key) == (int64_t)i)
        json_object_object_del(map, key);
}

static int add_row(run *r, const sgi_plan_api *a, sgi_plan_action act, const char *code,
                   const char *msg)
{
    sg_plan *p = r->plan;
    sgi_plan_row *nr = sgi_realloc(&p->alloc, p->rows, (p->nrows + 1) * sizeof *nr);
    if (!nr)
        return 0;
    p->rows = nr;
    sgi_plan_row *row = &p->rows[p->nrows];
    memset(row, 0, sizeof *row);
    int oom = 0;
    row->action = act;
    row->method = dup_s(&p->alloc, a->method, &oom);
    row->path = dup_s(&p->alloc, a->path, &oom);
    row->name = dup_s(&p->alloc, a->name, &oom);
    row->code = dup_s(&p->alloc, code, &oom);
    row->msg = dup_s(&p->alloc, msg, &oom);
    p->nrows++;
    if (oom)
        return 0;

    struct json_object *e = json_object_new_object();
    sgi_plan_set(r->cx, e, "method", sgi_plan_str(r->cx, a->method));
    sgi_plan_set(r->cx, e, "path", sgi_plan_str(r->cx, a->path));
    struct json_object *list;
    if (act == SGI_PLAN_CREATE || act == SGI_PLAN_UPDATE) {
        sgi_plan_set(r->cx, e, "action",
                     sgi_plan_str(r->cx, act == SGI_PLAN_CREATE ? "create" : "update"));
        list = r->success;
    } else if (act == SGI_PLAN_FAIL) {
        sgi_plan_set(r->cx, e, "error_code", sgi_plan_str(r->cx, code));
        sgi_plan_set(r->cx, e, "error_msg", sgi_plan_str(r->cx, msg));
        list = r->failure;
    } else {
        list = r->ignore;
    }
    sgi_plan_push(r->cx, list, e);
    return !r->cx->oom;
}

/* The documented texts (OTC-SYNC example for APIG.3301, OTC-ERR for the
 * others), with the API at fault named. */
static char *msg_route(const sg_allocator *al, const sgi_plan_api *holder)
{
    char *m = NULL;
    if (holder->name)
        m = sgi_plan_format(al,
                            "The API already exists, An API with the same combination of the "
                            "method, path, and x-apigateway-match-mode fields already exists. "
                            "API name: %s",
                            holder->name);
    else
        m = sgi_plan_format(al,
                            "The API already exists, An API with the same combination of the "
                            "method, path, and x-apigateway-match-mode fields already exists. "
                            "API: %s %s",
                            holder->method, holder->path);
    return m;
}

static char *msg_name(const sg_allocator *al, const sgi_plan_api *holder)
{
    return sgi_plan_format(al, "The API name already exists. API name: %s", holder->name);
}

static int grow_group(run *r)
{
    if (r->ngroup < r->capgroup)
        return 1;
    size_t ncap = r->capgroup ? r->capgroup * 2 : 16;
    sgi_plan_api *ng = sgi_realloc(r->cx->a, r->group, ncap * sizeof *ng);
    if (!ng)
        return 0;
    r->group = ng;
    r->capgroup = ncap;
    return 1;
}

/* Import file API I. Returns 0 when out of memory. */
static int import_one(run *r, size_t i)
{
    sgi_plan_api *a = &r->file[i];
    /* duplicates inside the file: the first wins */
    int64_t jr = map_get(r->file_routes, a->route), jn = map_get(r->file_names, a->name);
    map_put_first(r->cx, r->file_routes, a->route, i);
    map_put_first(r->cx, r->file_names, a->name, i);
    if (r->cx->oom)
        return 0;
    if (jr >= 0 || jn >= 0) {
        const sgi_plan_api *b = &r->file[jr >= 0 ? jr : jn];
        char *m = jr >= 0 ? msg_route(r->cx->a, b) : msg_name(r->cx->a, b);
        if (!m)
            return 0;
        char *full =
            sgi_plan_format(r->cx->a, "%s (an earlier API of the file: %s %s; the first wins)", m,
                            b->method, b->path);
        sgi_free(r->cx->a, m);
        if (!full)
            return 0;
        int ok = add_row(r, a, SGI_PLAN_FAIL, jr >= 0 ? "APIG.3301" : "APIG.3202", full);
        sgi_free(r->cx->a, full);
        return ok;
    }
    /* the group as it stands: names and routes stay unique in a group
     * whatever the conflict key, which only says which API is "the same
     * API", the one override updates */
    int64_t gr = map_get(r->group_routes, a->route), gn = map_get(r->group_names, a->name);
    sgi_plan_api *by_route = gr >= 0 ? &r->group[gr] : NULL;
    sgi_plan_api *by_name = gn >= 0 ? &r->group[gn] : NULL;
    if (!by_name && !by_route) {
        if ((uint64_t)r->ngroup + 1 > r->limits->apig_group_apis) {
            char *m = sgi_plan_format(r->cx->a,
                                      "The number of APIs in the group has reached the maximum "
                                      "(%llu; --limit apig-group-apis=N if your quota differs)",
                                      (unsigned long long)r->limits->apig_group_apis);
            if (!m)
                return 0;
            int ok = add_row(r, a, SGI_PLAN_FAIL, "APIG.3125", m);
            sgi_free(r->cx->a, m);
            return ok;
        }
        if (!grow_group(r))
            return 0;
        sgi_plan_api *n = &r->group[r->ngroup];
        if (!sgi_plan_api_copy(r->cx, n, a, r->imp->mock_mode))
            return 0;
        n->touched = 1;
        map_put_first(r->cx, r->group_routes, n->route, r->ngroup);
        map_put_first(r->cx, r->group_names, n->name, r->ngroup);
        r->ngroup++;
        return !r->cx->oom && add_row(r, a, SGI_PLAN_CREATE, NULL, NULL);
    }
    sg_conflict_key key = r->imp->conflict_key;
    sgi_plan_api *target = NULL;
    if (key != SG_CONFLICT_NAME && by_route)
        target = by_route;
    else if (key != SG_CONFLICT_ROUTE && by_name)
        target = by_name;
    if (r->imp->api_mode == SG_IMPORT_OVERRIDE && target && (!by_route || by_route == target) &&
        (!by_name || by_name == target)) {
        sgi_plan_api n;
        if (!sgi_plan_api_copy(r->cx, &n, a, r->imp->mock_mode))
            return 0;
        size_t t = (size_t)(target - r->group);
        map_del_if(r->group_routes, target->route, t);
        map_del_if(r->group_names, target->name, t);
        sgi_plan_api_fini(r->cx, target);
        *target = n;
        target->touched = 1;
        map_put_first(r->cx, r->group_routes, target->route, t);
        map_put_first(r->cx, r->group_names, target->name, t);
        return !r->cx->oom && add_row(r, a, SGI_PLAN_UPDATE, NULL, NULL);
    }
    /* merge keeps the group's API; override cannot update when the route or
     * the name is held by an API that is not the one it would update */
    int route_fault = by_route && (r->imp->api_mode == SG_IMPORT_MERGE || by_route != target);
    const char *code = route_fault ? "APIG.3301" : "APIG.3202";
    char *m = route_fault ? msg_route(r->cx->a, by_route) : msg_name(r->cx->a, by_name);
    if (!m)
        return 0;
    if (r->imp->api_mode == SG_IMPORT_OVERRIDE) {
        char *full;
        if (target)
            full = sgi_plan_format(r->cx->a,
                                   "%s (api_mode override would update %s %s, but the %s is "
                                   "held by another API of the group)",
                                   m, target->method, target->path, route_fault ? "route" : "name");
        else
            full = sgi_plan_format(r->cx->a,
                                   "%s (with --conflict-key %s it is not the same API, so it is "
                                   "not updated)",
                                   m, key == SG_CONFLICT_NAME ? "name" : "route");
        sgi_free(r->cx->a, m);
        if (!full)
            return 0;
        m = full;
    }
    int ignored = r->imp->api_mode == SG_IMPORT_MERGE && r->imp->merge_conflict_ignored;
    int ok = add_row(r, a, ignored ? SGI_PLAN_IGNORE : SGI_PLAN_FAIL, code, m);
    sgi_free(r->cx->a, m);
    return ok;
}

static int task_fails(run *r, const char *code, const char *msg)
{
    sg_plan *p = r->plan;
    int oom = 0;
    p->error_code = dup_s(&p->alloc, code, &oom);
    p->error_msg = dup_s(&p->alloc, msg, &oom);
    json_object_put(p->result);
    p->result = json_object_new_object();
    sgi_plan_set(r->cx, p->result, "error_code", sgi_plan_str(r->cx, code));
    sgi_plan_set(r->cx, p->result, "error_msg", sgi_plan_str(r->cx, msg));
    return !oom && !r->cx->oom;
}

/* Whole-task checks. 1: go on; 0: the task fails (recorded); -1: OOM. */
static int whole_task(run *r, const char *title, const char *const *names, int new_group)
{
    if (new_group) {
        if (!title || !*title)
            return task_fails(r, "APIG.2044",
                              "Invalid title of info (a new group is named after "
                              "info.title, and the file has none)")
                       ? 0
                       : -1;
        for (size_t i = 0; names && names[i]; i++)
            if (strcmp(names[i], title) == 0)
                return task_fails(r, "APIG.3201", "The API group name already exists") ? 0 : -1;
    }
    if ((uint64_t)r->nfile > r->limits->apig_apis) {
        char *m = sgi_plan_format(r->cx->a,
                                  "The number of APIs to import exceeds the limit: the file has "
                                  "%zu, a maximum of %llu can be imported at a time (split the "
                                  "file, or --limit apig-apis=N if your quota was raised)",
                                  r->nfile, (unsigned long long)r->limits->apig_apis);
        if (!m)
            return -1;
        int ok = task_fails(r, "APIG.3127", m);
        sgi_free(r->cx->a, m);
        return ok ? 0 : -1;
    }
    return 1;
}

sg_status sg_plan_new(const sg_document *doc, const sg_document *existing,
                      const char *const *existing_group_names, const sg_import_options *import,
                      const sg_options *options, sg_diagnostics *diags, sg_plan **out)
{
    if (out)
        *out = NULL;
    if (!doc || !import || !out)
        return SG_EUSAGE;
    /* The form as this plan uses it: EXISTING decides between a new group
     * and an existing one; the rest is checked as the request checks it. */
    sg_import_options form = *import;
    form.create_group = existing == NULL;
    form.group_id =
        existing ? (import->group_id && *import->group_id ? import->group_id : "plan") : NULL;
    sg_status st = sg_import_options_check(&form, diags);
    if (st != SG_OK)
        return st;
    sg_options defaults;
    if (!options) {
        sg_options_init(&defaults);
        options = &defaults;
    }

    sg_allocator al;
    sgi_alloc_copy(&al, options->allocator);
    sg_plan *p = sgi_calloc(&al, 1, sizeof *p);
    if (!p)
        return SG_ENOMEM;
    p->alloc = al;
    int oom = 0;
    p->import = *import;
    p->import.create_group = existing == NULL;
    p->group_id = dup_s(&p->alloc, import->group_id, &oom);
    p->import.group_id = p->group_id;
    p->import.file_name = NULL;
    p->file = dup_s(&p->alloc, sg_document_name(doc), &oom);
    p->existing = existing ? dup_s(&p->alloc, sg_document_name(existing), &oom) : NULL;
    p->simple_mode = import->simple_mode;

    sgi_plan_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.oom = oom;
    cx.a = &p->alloc;
    run r;
    memset(&r, 0, sizeof r);
    r.cx = &cx;
    r.plan = p;
    r.imp = import;
    r.limits = &options->limits;
    st = SG_ENOMEM;

    sgi_plan_source fsrc, esrc;
    int have_f = sgi_plan_source_init(&cx, &fsrc, doc, options), have_e = 0;
    if (!have_f)
        goto done;
    if (existing) {
        have_e = sgi_plan_source_init(&cx, &esrc, existing, options);
        if (!have_e)
            goto done;
        if (!sgi_plan_collect(&cx, &esrc, &r.group, &r.ngroup))
            goto done;
        r.capgroup = r.ngroup;
    }
    if (!sgi_plan_collect(&cx, &fsrc, &r.file, &r.nfile))
        goto done;
    r.file_routes = json_object_new_object();
    r.file_names = json_object_new_object();
    r.group_routes = json_object_new_object();
    r.group_names = json_object_new_object();
    if (!r.file_routes || !r.file_names || !r.group_routes || !r.group_names)
        goto done;
    for (size_t g = 0; g < r.ngroup; g++) {
        map_put_first(&cx, r.group_routes, r.group[g].route, g);
        map_put_first(&cx, r.group_names, r.group[g].name, g);
    }

    const char *title = sgi_plan_title(&fsrc);
    p->group_name = dup_s(&p->alloc, existing ? sgi_plan_title(&esrc) : title, &cx.oom);
    int w = whole_task(&r, title, existing_group_names, existing == NULL);
    if (w < 0)
        goto done;
    if (w == 0) {
        st = cx.oom ? SG_ENOMEM : SG_OK;
        goto done;
    }

    p->result = json_object_new_object();
    r.success = json_object_new_array();
    r.failure = json_object_new_array();
    r.ignore = json_object_new_array();
    if (!p->result || !r.success || !r.failure || !r.ignore) {
        json_object_put(r.success);
        json_object_put(r.failure);
        json_object_put(r.ignore);
        goto done;
    }
    sgi_plan_set(&cx, p->result, "group_id",
                 import->group_id && existing ? sgi_plan_str(&cx, import->group_id) : NULL);
    sgi_plan_set(&cx, p->result, "success", r.success);
    sgi_plan_set(&cx, p->result, "failure", r.failure);
    sgi_plan_set(&cx, p->result, "ignore", r.ignore);

    struct json_object *policies = NULL;
    p->group =
        sgi_plan_group_begin(&cx, existing ? &esrc : NULL, &fsrc, import->extend_mode, &policies);
    sgi_plan_set(&cx, p->result, "policies", policies);
    if (cx.oom)
        goto done;
    for (size_t i = 0; i < r.nfile; i++)
        if (!import_one(&r, i))
            goto done;
    for (size_t g = 0; g < r.ngroup; g++) {
        if (r.group[g].touched)
            continue;
        sgi_plan_row *nk = sgi_realloc(&p->alloc, p->kept, (p->nkept + 1) * sizeof *nk);
        if (!nk)
            goto done;
        p->kept = nk;
        sgi_plan_row *k = &p->kept[p->nkept++];
        memset(k, 0, sizeof *k);
        k->action = SGI_PLAN_KEEP;
        k->method = dup_s(&p->alloc, r.group[g].method, &cx.oom);
        k->path = dup_s(&p->alloc, r.group[g].path, &cx.oom);
        k->name = dup_s(&p->alloc, r.group[g].name, &cx.oom);
    }
    p->group_apis = r.ngroup;
    sgi_plan_group_paths(&cx, p->group, r.group, r.ngroup);
    st = cx.oom ? SG_ENOMEM : SG_OK;

done:
    json_object_put(r.file_routes);
    json_object_put(r.file_names);
    json_object_put(r.group_routes);
    json_object_put(r.group_names);
    for (size_t i = 0; i < r.ngroup; i++)
        sgi_plan_api_fini(&cx, &r.group[i]);
    sgi_free(cx.a, r.group);
    for (size_t i = 0; i < r.nfile; i++)
        sgi_plan_api_fini(&cx, &r.file[i]);
    sgi_free(cx.a, r.file);
    if (have_f)
        sgi_plan_source_fini(&fsrc);
    if (have_e)
        sgi_plan_source_fini(&esrc);
    if (st != SG_OK || cx.oom) {
        sg_plan_free(p);
        return SG_ENOMEM;
    }
    *out = p;
    return SG_OK;
}

/* ---- output ---------------------------------------------------------------- */

static const char *action_word(sgi_plan_action a)
{
    switch (a) {
    case SGI_PLAN_CREATE:
        return "create";
    case SGI_PLAN_UPDATE:
        return "update";
    case SGI_PLAN_FAIL:
        return "FAILED";
    case SGI_PLAN_IGNORE:
        return "ignored";
    case SGI_PLAN_KEEP:
        return "kept";
    }
    return "?";
}

/* S on OUT with control characters escaped (a name or path from the file
 * must not drive the terminal), padded with spaces to WIDTH bytes. */
static void put_safe(FILE *out, const char *s, int width)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            n += fprintf(out, "\\x%02x", *p);
        else {
            fputc(*p, out);
            n++;
        }
    }
    for (; n < width; n++)
        fputc(' ', out);
}

static void widths(const sgi_plan_row *rows, size_t n, int *wm, int *wp, int *wn)
{
    for (size_t i = 0; i < n; i++) {
        int m = (int)strlen(rows[i].method), pa = (int)strlen(rows[i].path),
            na = rows[i].name ? (int)strlen(rows[i].name) : 1;
        if (m > *wm)
            *wm = m;
        if (pa > *wp && pa <= 60)
            *wp = pa;
        if (na > *wn && na <= 40)
            *wn = na;
    }
}

static void write_row(FILE *out, const sgi_plan_row *r, int wm, int wp, int wn)
{
    const char *detail = r->action == SGI_PLAN_KEEP ? "(not in the file)" : NULL;
    fprintf(out, "  %-7s  %-*s  ", action_word(r->action), wm, r->method);
    put_safe(out, r->path, wp);
    fputs("  ", out);
    if (r->code || detail) {
        put_safe(out, r->name ? r->name : "-", wn);
        fputs("  ", out);
        if (r->code) {
            fprintf(out, "%s ", r->code);
            put_safe(out, r->msg ? r->msg : "", 0);
        } else {
            fputs(detail, out);
        }
    } else {
        put_safe(out, r->name ? r->name : "-", 0);
    }
    fputc('\n', out);
}

static void write_names(FILE *out, struct json_object *arr)
{
    size_t n = arr ? json_object_array_length(arr) : 0;
    if (n == 0) {
        fputc('-', out);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        put_safe(out, json_object_get_string(json_object_array_get_idx(arr, i)), 0);
    }
}

static void write_text(const sg_plan *p, FILE *out)
{
    const sg_import_options *o = &p->import;
    fputs("plan: ", out);
    put_safe(out, p->file ? p->file : "-", 0);
    fputs(p->existing ? " into the group \"" : " into a new group \"", out);
    put_safe(out, p->group_name ? p->group_name : "", 0);
    fputc('"', out);
    if (p->existing) {
        fputs(" (its export: ", out);
        put_safe(out, p->existing, 0);
        fputc(')', out);
        if (p->group_id) {
            fputs(", group_id ", out);
            put_safe(out, p->group_id, 0);
        }
    }
    fputc('\n', out);
    fprintf(out, "api_mode %s, extend_mode %s, conflict key %s, mock_mode %s\n",
            o->api_mode == SG_IMPORT_OVERRIDE ? "override" : "merge",
            o->extend_mode == SG_IMPORT_OVERRIDE ? "override" : "merge",
            o->conflict_key == SG_CONFLICT_NAME    ? "name"
            : o->conflict_key == SG_CONFLICT_ROUTE ? "route"
                                                   : "both",
            o->mock_mode ? "on (created and updated APIs get a MOCK backend)" : "off");
    if (p->simple_mode)
        fputs("note: simple_mode is passed through but not simulated (APIG does not say what "
              "it changes)\n",
              out);
    if (p->error_code) {
        fprintf(out, "\nthe whole task fails: %s ", p->error_code);
        put_safe(out, p->error_msg ? p->error_msg : "", 0);
        fputs("\nnothing is imported\n", out);
        return;
    }
    int wm = 6, wp = 4, wn = 4;
    widths(p->rows, p->nrows, &wm, &wp, &wn);
    widths(p->kept, p->nkept, &wm, &wp, &wn);
    fprintf(out, "\n  %-7s  %-*s  %-*s  %-*s  %s\n", "ACTION", wm, "METHOD", wp, "PATH", wn, "NAME",
            "DETAIL");
    size_t count[5] = {0};
    for (size_t i = 0; i < p->nrows; i++) {
        write_row(out, &p->rows[i], wm, wp, wn);
        count[p->rows[i].action]++;
    }
    for (size_t i = 0; i < p->nkept; i++)
        write_row(out, &p->kept[i], wm, wp, wn);
    struct json_object *pol = NULL;
    json_object_object_get_ex(p->result, "policies", &pol);
    static const char *const kinds[] = {"ratelimits", "access_controls"};
    fputs("\npolicies:\n", out);
    for (size_t k = 0; k < 2; k++) {
        struct json_object *kind = NULL, *arr;
        json_object_object_get_ex(pol, kinds[k], &kind);
        static const char *const what[] = {"created", "kept", "replaced"};
        fprintf(out, "  %-15s", kinds[k]);
        for (size_t w = 0; w < 3; w++) {
            arr = NULL;
            json_object_object_get_ex(kind, what[w], &arr);
            fprintf(out, "%s%s: ", w ? "; " : " ", what[w]);
            write_names(out, arr);
        }
        fputc('\n', out);
    }
    fprintf(out,
            "\nAPIs: %zu created, %zu updated, %zu failed, %zu ignored, %zu kept; the group "
            "then holds %zu\n",
            count[SGI_PLAN_CREATE], count[SGI_PLAN_UPDATE], count[SGI_PLAN_FAIL],
            count[SGI_PLAN_IGNORE], p->nkept, p->group_apis);
}

sg_status sg_plan_write(const sg_plan *plan, FILE *out, sg_report_format format)
{
    if (!plan || !out || (format != SG_REPORT_TEXT && format != SG_REPORT_JSON))
        return SG_EUSAGE;
    if (format == SG_REPORT_TEXT) {
        write_text(plan, out);
    } else {
        sgi_buf b = {.alloc = &plan->alloc};
        /* the task result, then the group as it will stand */
        sgi_buf_puts(&b, "{");
        int first = 1;
        json_object_object_foreach(plan->result, k, v)
        {
            sgi_buf_puts(&b, first ? "\n  " : ",\n  ");
            first = 0;
            sgi_buf_json_string(&b, k, strlen(k));
            sgi_buf_puts(&b, ": ");
            sgi_emit_json(&b, v, -1);
        }
        if (plan->group) {
            sgi_buf_puts(&b, first ? "\n  \"group\": " : ",\n  \"group\": ");
            sgi_emit_json(&b, plan->group, -1);
        }
        sgi_buf_puts(&b, "\n}\n");
        if (b.oom) {
            sgi_buf_fini(&b);
            return SG_ENOMEM;
        }
        size_t len = b.len, n = fwrite(b.data, 1, len, out);
        sgi_buf_fini(&b);
        if (n != len)
            return SG_EINPUT;
    }
    return ferror(out) ? SG_EINPUT : SG_OK;
}
