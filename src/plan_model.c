/* The importer's model: the APIs of a document as the gateway keeps them,
 * and the group document (what an export of the group would give).
 *
 * An API as the gateway keeps it (choices, listed in swaggate(1)):
 * - its operation's fields, with the path item's parameters merged in (the
 *   operation's win by name and location) and the root security and schemes
 *   written into it when it has none, so that each API stands alone;
 * - parameters with their $refs resolved, body and formData parameters
 *   left out (APIG does not import them: apig-unsupported);
 * - responses reduced to their descriptions and x- members (result
 *   samples): APIG keeps no schemas (apig-ignored), so the group document
 *   needs no definitions; consumes and produces left out;
 * - the group document has no basePath: its paths are the APIs' full
 *   request paths, so that importing it again gives the same paths.
 * Two APIs with the same method and path but different match modes cannot
 * both stand in one Swagger path item: the group document holds the first. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "plan_model.h"

#define PREFIX "x-apigateway-"

/* ---- json helpers ------------------------------------------------------- */

struct json_object *sgi_plan_str(sgi_plan_ctx *cx, const char *s)
{
    if (!s)
        return NULL;
    struct json_object *v = json_object_new_string(s);
    if (!v)
        cx->oom = 1;
    return v;
}

void sgi_plan_set(sgi_plan_ctx *cx, struct json_object *obj, const char *key,
                  struct json_object *val)
{
    /* a key OBJ holds is replaced in place (no allocation); a new one goes
     * through sgi_object_add_new (json-c 0.16 leaks its key copy otherwise) */
    int rc = -1;
    if (obj)
        rc = json_object_object_get_ex(obj, key, NULL) ? json_object_object_add(obj, key, val)
                                                       : sgi_object_add_new(obj, key, val);
    if (rc != 0) {
        json_object_put(val);
        cx->oom = 1;
    }
}

void sgi_plan_push(sgi_plan_ctx *cx, struct json_object *arr, struct json_object *val)
{
    if (!arr || !val || json_object_array_add(arr, val) != 0) {
        json_object_put(val);
        cx->oom = 1;
    }
}

char *sgi_plan_format(const sg_allocator *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = sgi_malloc(a, (size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *sgi_plan_strdup(const sg_allocator *a, const char *s) { return s ? sgi_strdup(a, s) : NULL; }

static struct json_object *copy(sgi_plan_ctx *cx, struct json_object *v)
{
    if (!v)
        return NULL;
    struct json_object *d = NULL;
    if (json_object_deep_copy(v, &d, NULL) != 0) {
        cx->oom = 1;
        return NULL;
    }
    return d;
}

static struct json_object *new_object(sgi_plan_ctx *cx)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        cx->oom = 1;
    return o;
}

static struct json_object *member(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;
    if (obj && json_object_is_type(obj, json_type_object))
        json_object_object_get_ex(obj, key, &v);
    return v;
}

static const char *member_str(struct json_object *obj, const char *key)
{
    struct json_object *v = member(obj, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* ---- sources ------------------------------------------------------------ */

int sgi_plan_source_init(sgi_plan_ctx *cx, sgi_plan_source *s, const sg_document *doc,
                         const sg_options *opts)
{
    memset(s, 0, sizeof *s);
    s->a = cx->a;
    s->doc = doc;
    s->root = sg_document_root(doc);
    s->scratch = sg_diagnostics_new_with(s->a);
    if (s->scratch)
        s->resolver = sgi_resolver_new(doc, opts, s->scratch);
    const char *bp = member_str(s->root, "basePath");
    size_t n = bp ? strlen(bp) : 0;
    while (n > 0 && bp[n - 1] == '/')
        n--;
    s->base = sgi_malloc(s->a, n + 1);
    if (!s->scratch || !s->resolver || !s->base) {
        sgi_plan_source_fini(s);
        return 0;
    }
    if (n)
        memcpy(s->base, bp, n);
    s->base[n] = '\0';
    return 1;
}

void sgi_plan_source_fini(sgi_plan_source *s)
{
    sgi_resolver_free(s->resolver);
    sg_diagnostics_free(s->scratch);
    sgi_free(s->a, s->base);
    memset(s, 0, sizeof *s);
}

const char *sgi_plan_title(const sgi_plan_source *s)
{
    return member_str(member(s->root, "info"), "title");
}

/* V, or what its $ref leads to (NULL when it leads nowhere). */
static struct json_object *deref(sgi_plan_ctx *cx, sgi_plan_source *s, struct json_object *v)
{
    if (!member(v, "$ref"))
        return v;
    sgi_ref_target t;
    sg_status st = sgi_resolve(s->resolver, s->doc, v, &t);
    if (st == SG_ENOMEM)
        cx->oom = 1;
    return st == SG_OK && t.found ? t.value : NULL;
}

/* ---- one API -------------------------------------------------------------- */

static const char *const METHODS[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", PREFIX "any-method"};

/* Add the usable parameters of ARR to LIST (an array), replacing one with the
 * same name and location. */
static void add_params(sgi_plan_ctx *cx, sgi_plan_source *s, struct json_object *list,
                       struct json_object *arr)
{
    if (!arr || !json_object_is_type(arr, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        struct json_object *p = deref(cx, s, json_object_array_get_idx(arr, i));
        const char *in = member_str(p, "in"), *name = member_str(p, "name");
        if (!in || !name || strcmp(in, "body") == 0 || strcmp(in, "formData") == 0)
            continue;
        struct json_object *c = copy(cx, p);
        if (!c)
            continue;
        size_t j, n = json_object_array_length(list);
        for (j = 0; j < n; j++) {
            struct json_object *q = json_object_array_get_idx(list, j);
            const char *qin = member_str(q, "in"), *qname = member_str(q, "name");
            if (qin && qname && strcmp(qin, in) == 0 && strcmp(qname, name) == 0)
                break;
        }
        if (j < n) {
            if (json_object_array_put_idx(list, j, c) != 0) {
                json_object_put(c);
                cx->oom = 1;
            }
        } else {
            sgi_plan_push(cx, list, c);
        }
    }
}

static struct json_object *build_responses(sgi_plan_ctx *cx, sgi_plan_source *s,
                                           struct json_object *resps)
{
    struct json_object *out = new_object(cx);
    int codes = 0;
    if (resps && json_object_is_type(resps, json_type_object)) {
        json_object_object_foreach(resps, k, v)
        {
            if (strncmp(k, "x-", 2) == 0) {
                sgi_plan_set(cx, out, k, copy(cx, v));
                continue;
            }
            struct json_object *r = deref(cx, s, v), *o = new_object(cx);
            const char *d = member_str(r, "description");
            sgi_plan_set(cx, o, "description", sgi_plan_str(cx, d ? d : "default response"));
            if (r && json_object_is_type(r, json_type_object)) {
                json_object_object_foreach(r, rk, rv)
                {
                    if (strncmp(rk, "x-", 2) == 0)
                        sgi_plan_set(cx, o, rk, copy(cx, rv));
                }
            }
            sgi_plan_set(cx, out, k, o);
            codes++;
        }
    }
    if (!codes) {
        struct json_object *o = new_object(cx);
        sgi_plan_set(cx, o, "description", sgi_plan_str(cx, "default response"));
        sgi_plan_set(cx, out, "default", o);
    }
    return out;
}

static struct json_object *build_op(sgi_plan_ctx *cx, sgi_plan_source *s,
                                    struct json_object *item_params, struct json_object *op)
{
    struct json_object *out = new_object(cx);
    json_object_object_foreach(op, k, v)
    {
        if (strcmp(k, "parameters") == 0 || strcmp(k, "responses") == 0 ||
            strcmp(k, "consumes") == 0 || strcmp(k, "produces") == 0)
            continue;
        sgi_plan_set(cx, out, k, copy(cx, v));
    }
    static const char *const inherited[] = {"security", "schemes"};
    for (size_t i = 0; i < 2; i++) {
        struct json_object *rv = member(s->root, inherited[i]);
        if (rv && !member(op, inherited[i]))
            sgi_plan_set(cx, out, inherited[i], copy(cx, rv));
    }
    struct json_object *params = json_object_new_array();
    if (!params)
        cx->oom = 1;
    else {
        add_params(cx, s, params, item_params);
        add_params(cx, s, params, member(op, "parameters"));
    }
    if (params && json_object_array_length(params) > 0)
        sgi_plan_set(cx, out, "parameters", params);
    else
        json_object_put(params);
    sgi_plan_set(cx, out, "responses", build_responses(cx, s, member(op, "responses")));
    return out;
}

/* METHOD, PATH with its {variables} unnamed ({+} for {name+}), MATCH. */
static char *make_route(const sg_allocator *al, const char *method, const char *path,
                        const char *match)
{
    size_t n = strlen(path);
    char *norm = sgi_malloc(al, n + 1), *w = norm;
    if (!norm)
        return NULL;
    for (const char *p = path; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                *w++ = '{';
                if (e > p + 1 && e[-1] == '+')
                    *w++ = '+';
                *w++ = '}';
                p = e + 1;
                continue;
            }
        }
        *w++ = *p++;
    }
    *w = '\0';
    char *r = sgi_plan_format(al, "%s %s %s", method, norm, match);
    sgi_free(al, norm);
    return r;
}

static int make_api(sgi_plan_ctx *cx, sgi_plan_source *s, sgi_plan_api *a, const char *path_key,
                    const char *method_key, struct json_object *item_params, struct json_object *op)
{
    memset(a, 0, sizeof *a);
    char method[16];
    if (strcmp(method_key, PREFIX "any-method") == 0)
        snprintf(method, sizeof method, "ANY");
    else {
        size_t i;
        for (i = 0; method_key[i] && i + 1 < sizeof method; i++)
            method[i] = (char)toupper((unsigned char)method_key[i]);
        method[i] = '\0';
    }
    char match[16] = "NORMAL";
    const char *mm = member_str(op, PREFIX "match-mode");
    if (mm && *mm && strlen(mm) < sizeof match) {
        size_t i;
        for (i = 0; mm[i]; i++)
            match[i] = (char)toupper((unsigned char)mm[i]);
        match[i] = '\0';
    }
    a->method = sgi_strdup(cx->a, method);
    a->path = sgi_plan_format(cx->a, "%s%s", s->base, path_key);
    const char *name = member_str(op, "operationId");
    a->name = sgi_plan_strdup(cx->a, name);
    a->route = a->path ? make_route(cx->a, method, a->path, match) : NULL;
    a->op = build_op(cx, s, item_params, op);
    if (!a->method || !a->path || (name && !a->name) || !a->route || !a->op || cx->oom) {
        sgi_plan_api_fini(cx, a);
        cx->oom = 1;
        return 0;
    }
    return 1;
}

void sgi_plan_api_fini(sgi_plan_ctx *cx, sgi_plan_api *a)
{
    if (!a)
        return;
    sgi_free(cx->a, a->method);
    sgi_free(cx->a, a->path);
    sgi_free(cx->a, a->route);
    sgi_free(cx->a, a->name);
    json_object_put(a->op);
    memset(a, 0, sizeof *a);
}

int sgi_plan_api_copy(sgi_plan_ctx *cx, sgi_plan_api *dst, const sgi_plan_api *src, int mock)
{
    memset(dst, 0, sizeof *dst);
    dst->method = sgi_strdup(cx->a, src->method);
    dst->path = sgi_strdup(cx->a, src->path);
    dst->route = sgi_strdup(cx->a, src->route);
    dst->name = sgi_plan_strdup(cx->a, src->name);
    dst->op = copy(cx, src->op);
    if (!dst->method || !dst->path || !dst->route || (src->name && !dst->name) || !dst->op) {
        sgi_plan_api_fini(cx, dst);
        cx->oom = 1;
        return 0;
    }
    if (mock) {
        /* mock_mode (choice, APIG.md 6 Q2): the API's backend becomes MOCK
         * (an empty result-content), its backend policies go with the
         * backend they belonged to; a MOCK backend is kept as written. */
        const char *type = member_str(member(dst->op, PREFIX "backend"), "type");
        if (!type || strcasecmp(type, "MOCK") != 0) {
            struct json_object *b = new_object(cx), *m = new_object(cx);
            sgi_plan_set(cx, m, "result-content", sgi_plan_str(cx, ""));
            sgi_plan_set(cx, b, "type", sgi_plan_str(cx, "MOCK"));
            sgi_plan_set(cx, b, "mockEndpoints", m);
            sgi_plan_set(cx, dst->op, PREFIX "backend", b);
            json_object_object_del(dst->op, PREFIX "backend-policies");
        }
    }
    if (cx->oom) {
        sgi_plan_api_fini(cx, dst);
        return 0;
    }
    return 1;
}

int sgi_plan_collect(sgi_plan_ctx *cx, sgi_plan_source *s, sgi_plan_api **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct json_object *paths = member(s->root, "paths");
    if (!paths || !json_object_is_type(paths, json_type_object))
        return 1;
    size_t cap = 0;
    sgi_plan_api *list = NULL;
    json_object_object_foreach(paths, key, item0)
    {
        if (strncmp(key, "x-", 2) == 0)
            continue;
        struct json_object *item = deref(cx, s, item0);
        if (!item || !json_object_is_type(item, json_type_object))
            continue;
        struct json_object *item_params = member(item, "parameters");
        json_object_object_foreach(item, mk, op)
        {
            size_t m;
            for (m = 0; m < sizeof METHODS / sizeof METHODS[0]; m++)
                if (strcmp(mk, METHODS[m]) == 0)
                    break;
            if (m == sizeof METHODS / sizeof METHODS[0] || !op ||
                !json_object_is_type(op, json_type_object))
                continue;
            if (*n == cap && !sgi_grow_a(cx->a, (void **)&list, &cap, *n + 1, sizeof *list))
                goto oom;
            if (!make_api(cx, s, &list[*n], key, mk, item_params, op))
                goto oom;
            (*n)++;
        }
    }
    *out = list;
    return 1;
oom:
    for (size_t i = 0; i < *n; i++)
        sgi_plan_api_fini(cx, &list[i]);
    sgi_free(cx->a, list);
    *n = 0;
    cx->oom = 1;
    return 0;
}

/* ---- the group document ------------------------------------------------- */

/* Merge the root map KEY of FILE into GROUP's (a copy of EXISTING's) by
 * name; REPORT (may be NULL) gets created / kept / replaced. */
static void merge_map(sgi_plan_ctx *cx, struct json_object *group, const sgi_plan_source *existing,
                      const sgi_plan_source *file, const char *key, sg_import_mode extend,
                      struct json_object *report)
{
    struct json_object *em = existing ? member(existing->root, key) : NULL;
    struct json_object *fm = member(file->root, key);
    struct json_object *created = json_object_new_array(), *kept = json_object_new_array(),
                       *replaced = json_object_new_array();
    if (!created || !kept || !replaced)
        cx->oom = 1;
    struct json_object *merged =
        em && json_object_is_type(em, json_type_object) ? copy(cx, em) : new_object(cx);
    if (merged && fm && json_object_is_type(fm, json_type_object)) {
        json_object_object_foreach(fm, name, def)
        {
            if (strncmp(name, "x-", 2) == 0 && strcmp(key, "securityDefinitions") == 0)
                continue;
            if (member(merged, name)) {
                if (extend == SG_IMPORT_OVERRIDE) {
                    sgi_plan_set(cx, merged, name, copy(cx, def));
                    sgi_plan_push(cx, replaced, sgi_plan_str(cx, name));
                } else {
                    sgi_plan_push(cx, kept, sgi_plan_str(cx, name));
                }
            } else {
                sgi_plan_set(cx, merged, name, copy(cx, def));
                sgi_plan_push(cx, created, sgi_plan_str(cx, name));
            }
        }
    }
    if (merged && json_object_object_length(merged) > 0)
        sgi_plan_set(cx, group, key, merged);
    else
        json_object_put(merged);
    if (report) {
        sgi_plan_set(cx, report, "created", created);
        sgi_plan_set(cx, report, "kept", kept);
        sgi_plan_set(cx, report, "replaced", replaced);
    } else {
        json_object_put(created);
        json_object_put(kept);
        json_object_put(replaced);
    }
}

struct json_object *sgi_plan_group_begin(sgi_plan_ctx *cx, const sgi_plan_source *existing,
                                         const sgi_plan_source *file, sg_import_mode extend,
                                         struct json_object **policies)
{
    struct json_object *g = new_object(cx);
    *policies = new_object(cx);
    sgi_plan_set(cx, g, "swagger", sgi_plan_str(cx, "2.0"));
    struct json_object *src_info = member((existing ? existing : file)->root, "info");
    struct json_object *info = new_object(cx);
    const char *title = member_str(src_info, "title"), *version = member_str(src_info, "version"),
               *desc = member_str(src_info, "description");
    sgi_plan_set(cx, info, "title", sgi_plan_str(cx, title ? title : ""));
    sgi_plan_set(cx, info, "version", sgi_plan_str(cx, version ? version : "1.0"));
    if (desc)
        sgi_plan_set(cx, info, "description", sgi_plan_str(cx, desc));
    sgi_plan_set(cx, g, "info", info);
    sgi_plan_set(cx, g, "paths", new_object(cx));
    merge_map(cx, g, existing, file, "securityDefinitions", extend, NULL);
    struct json_object *rl = new_object(cx), *acl = new_object(cx);
    merge_map(cx, g, existing, file, PREFIX "ratelimits", extend, rl);
    merge_map(cx, g, existing, file, PREFIX "access-controls", extend, acl);
    merge_map(cx, g, existing, file, PREFIX "responses", extend, NULL);
    sgi_plan_set(cx, *policies, "ratelimits", rl);
    sgi_plan_set(cx, *policies, "access_controls", acl);
    return g;
}

void sgi_plan_group_paths(sgi_plan_ctx *cx, struct json_object *group, const sgi_plan_api *apis,
                          size_t n)
{
    struct json_object *paths = member(group, "paths");
    if (!paths) {
        cx->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const sgi_plan_api *a = &apis[i];
        struct json_object *item = member(paths, a->path);
        if (!item) {
            item = new_object(cx);
            sgi_plan_set(cx, paths, a->path, item);
            if (cx->oom)
                return;
        }
        char key[32];
        if (strcmp(a->method, "ANY") == 0)
            snprintf(key, sizeof key, PREFIX "any-method");
        else {
            size_t j;
            for (j = 0; a->method[j] && j + 1 < sizeof key; j++)
                key[j] = (char)tolower((unsigned char)a->method[j]);
            key[j] = '\0';
        }
        if (member(item, key))
            continue; /* same method and path, another match mode: see above */
        sgi_plan_set(cx, item, key, copy(cx, a->op));
    }
}
