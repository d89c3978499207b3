/* The swagger checker, part two: paths and operations (Swagger 2.0: "Path
 * Templating", "Paths Object", "Path Item Object", "Operation Object").
 * Per path item: its template's variables against the in: path parameters
 * of each operation (path-level ones merged in, operation-level ones
 * overriding them by name and location), template collisions, repeated
 * parameters, body and formData, file parameters and consumes. Per
 * document: operationIds. Names go through hash maps; no list is compared
 * with another pairwise. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_swagger.h"

/* A remembered place, for "first defined here" after the walk moved on. */
typedef struct site {
    const sg_document *doc;
    const void *parent;
    uintptr_t slot;
    int key;
    unsigned methods; /* path templates: the operations of the path */
} site;

static sgi_sw_loc site_loc(const site *s)
{
    sgi_sw_loc l;
    memset(&l, 0, sizeof l);
    l.doc = s->doc;
    l.parent = s->parent;
    l.slot = s->slot;
    l.key = s->key ? "" : NULL; /* only says: the key's position */
    return l;
}

/* ---- operations and their parameters -------------------------------- */

#define N_METHODS 8
static const char *const METHODS[N_METHODS] = {
    "get", "put", "post", "delete", "options", "head", "patch", "x-apigateway-any-method"};

/* One entry of a parameters array, with what it stands for. */
typedef struct pent {
    sgi_sw_loc at;           /* as written: the parameter or its {$ref} */
    struct json_object *obj; /* the parameter object */
    const char *in, *name;
    size_t nlen;
    int level; /* 0 path item, 1 operation */
    int dup;   /* repeats an earlier entry of the same array */
} pent;

typedef struct plist {
    pent *v;
    size_t n, cap;
    size_t unresolved; /* entries whose $ref could not be followed */
} plist;

/* A template variable of a path: {name} or {name+} (APIG's greedy form,
 * whose parameter is called name). */
typedef struct tvar {
    const char *name;
    size_t len;
    unsigned missing; /* operations without an in: path parameter for it */
} tvar;

typedef struct walk {
    sgi_sw *c;
    sgi_buf key; /* scratch: map keys, the normalised template */ /* scratch: map keys */
    sgi_sw_map level0, level1, vars, opids, templates;
    site *sites;
    size_t nsites, capsites;
    plist l0, l1;
    tvar *tv;
    size_t ntv, captv;
} walk;

static size_t add_site(walk *w, const sgi_sw_loc *l, int key, unsigned methods)
{
    if (w->nsites == w->capsites) {
        size_t cap = w->capsites ? w->capsites * 2 : 64;
        site *s = sgi_realloc(SW_ALLOC(w->c), w->sites, cap * sizeof *s);
        if (!s) {
            w->c->st = SG_ENOMEM;
            return 0;
        }
        w->sites = s;
        w->capsites = cap;
    }
    site *s = &w->sites[w->nsites];
    s->doc = l->doc;
    s->parent = l->parent;
    s->slot = l->slot;
    s->key = key;
    s->methods = methods;
    return ++w->nsites;
}

/* The map key of a parameter: location and name; header names compare
 * without case (HTTP; APIG says so too). */
static const char *param_key(walk *w, const char *in, const char *name, size_t nlen, size_t *len)
{
    w->key.len = 0;
    sgi_buf_puts(&w->key, in);
    sgi_buf_append(&w->key, "", 1);
    size_t start = w->key.len;
    sgi_buf_append(&w->key, name, nlen);
    if (w->key.oom) {
        w->c->st = SG_ENOMEM;
        return NULL;
    }
    if (strcmp(in, "header") == 0)
        for (size_t i = start; i < w->key.len; i++)
            if (w->key.data[i] >= 'A' && w->key.data[i] <= 'Z')
                w->key.data[i] = (char)(w->key.data[i] - 'A' + 'a');
    *len = w->key.len;
    return w->key.data;
}

/* Read the parameters array at ARR into L (MAP gets location+name keys),
 * checking each parameter on its own and reporting repeats. */
static void collect(walk *w, const sgi_sw_loc *arr, int level, plist *l, sgi_sw_map *map)
{
    sgi_sw *c = w->c;
    l->n = 0;
    l->unresolved = 0;
    sgi_sw_map_clear(map);
    if (!json_object_is_type(arr->v, json_type_array))
        return;
    size_t n = json_object_array_length(arr->v);
    for (size_t i = 0; i < n && c->st == SG_OK; i++) {
        pent e;
        sgi_sw_loc t;
        memset(&e, 0, sizeof e);
        sgi_sw_element(&e.at, arr, i);
        if (!sgi_sw_deref(c, &e.at, &t)) {
            l->unresolved++;
            continue;
        }
        if (!json_object_is_type(t.v, json_type_object))
            continue;
        sgi_sw_check_parameter(c, &t);
        e.obj = t.v;
        e.in = sgi_sw_str(t.v, "in");
        e.name = sgi_sw_str(t.v, "name");
        if (!e.in || !e.name)
            continue; /* the schema says what is missing */
        e.nlen = strlen(e.name);
        struct json_object *nv;
        if (json_object_object_get_ex(t.v, "name", &nv))
            e.nlen = (size_t)json_object_get_string_len(nv);
        e.level = level;
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 16;
            pent *v = sgi_realloc(SW_ALLOC(w->c), l->v, cap * sizeof *v);
            if (!v) {
                c->st = SG_ENOMEM;
                return;
            }
            l->v = v;
            l->cap = cap;
        }
        size_t klen;
        const char *k = param_key(w, e.in, e.name, e.nlen, &klen);
        void *old = NULL;
        int r = k ? sgi_sw_map_put(map, k, klen, (void *)(uintptr_t)(l->n + 1), &old) : -1;
        if (r < 0) {
            c->st = SG_ENOMEM;
            return;
        }
        if (r == 0) {
            char q[SW_QUOTE];
            sgi_sw_quote(c, q, sizeof q, e.name, e.nlen);
            e.dup = 1;
            sgi_sw_report(c, SW_PARAMETER_DUPLICATE, &e.at, 0, &l->v[(uintptr_t)old - 1].at,
                          "first defined here",
                          "parameter \"%s\" in %s is defined twice in this list; a parameter is "
                          "identified by name and location: remove or rename one of them",
                          q, e.in);
        }
        l->v[l->n++] = e;
    }
}

static int is_in(const pent *e, const char *in) { return strcmp(e->in, in) == 0; }

static int is_file(const pent *e)
{
    const char *t = sgi_sw_str(e->obj, "type");
    return t && strcmp(t, "file") == 0;
}

/* The first body parameter and the first extra body parameter, and the
 * first formData one, of a merged list; report when at least one of the
 * pair sits in the operation (path-level pairs are reported once, by the
 * path item's own check). */
static void check_body(walk *w, const pent *const *m, size_t n, const char *method)
{
    const pent *body = NULL, *body2 = NULL, *form = NULL;
    for (size_t i = 0; i < n; i++) {
        if (is_in(m[i], "body")) {
            if (!body)
                body = m[i];
            else if (!body2 || m[i]->level > body2->level)
                body2 = m[i];
        } else if (is_in(m[i], "formData") && (!form || (m[i]->level > form->level)))
            form = m[i];
    }
    char q1[SW_QUOTE], q2[SW_QUOTE];
    const char *where = method ? method : "this path item";
    if (body2 && (method == NULL || body->level || body2->level)) {
        const pent *at = body2->level >= body->level ? body2 : body,
                   *other = at == body ? body2 : body;
        sgi_sw_quote(w->c, q1, sizeof q1, at->name, at->nlen);
        sgi_sw_quote(w->c, q2, sizeof q2, other->name, other->nlen);
        sgi_sw_report(w->c, SW_BODY_PARAMETER_MULTIPLE, &at->at, 0, &other->at,
                      "the other body parameter",
                      "%s has two body parameters, \"%s\" and \"%s\"; a request has one body: "
                      "keep one body parameter and describe the whole payload in its schema",
                      where, q1, q2);
    }
    if (body && form && (method == NULL || body->level || form->level)) {
        const pent *at = form->level >= body->level ? form : body,
                   *other = at == body ? form : body;
        sgi_sw_quote(w->c, q1, sizeof q1, form->name, form->nlen);
        sgi_sw_quote(w->c, q2, sizeof q2, body->name, body->nlen);
        sgi_sw_report(w->c, SW_BODY_AND_FORMDATA, &at->at, 0, &other->at,
                      at == form ? "the body parameter" : "the formData parameter",
                      "%s has both formData parameter \"%s\" and body parameter \"%s\"; the body "
                      "is either a form or a payload: use formData parameters or one body "
                      "parameter, not both",
                      where, q1, q2);
    }
}

/* Is MEDIA multipart/form-data or application/x-www-form-urlencoded
 * (parameters after ';' and case ignored)? */
static int form_media(const char *media)
{
    static const char *const forms[] = {"multipart/form-data", "application/x-www-form-urlencoded"};
    while (*media == ' ' || *media == '\t')
        media++;
    size_t n = strcspn(media, "; \t");
    for (size_t i = 0; i < 2; i++)
        if (strlen(forms[i]) == n && strncasecmp(media, forms[i], n) == 0)
            return 1;
    return 0;
}

static int allows_form(struct json_object *consumes)
{
    if (!json_object_is_type(consumes, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(consumes); i++) {
        struct json_object *m = json_object_array_get_idx(consumes, i);
        if (json_object_is_type(m, json_type_string) && form_media(json_object_get_string(m)))
            return 1;
    }
    return 0;
}

static void check_file_consumes(walk *w, const pent *const *m, size_t n, const sgi_sw_loc *op,
                                const char *method)
{
    sgi_sw_loc cl;
    const sgi_sw_loc *consumes = NULL;
    if (sgi_sw_member(&cl, op, "consumes"))
        consumes = &cl;
    else if (w->c->has_root_consumes)
        consumes = &w->c->root_consumes;
    for (size_t i = 0; i < n && w->c->st == SG_OK; i++) {
        if (!is_file(m[i]) || !is_in(m[i], "formData"))
            continue; /* a file elsewhere is file-parameter-location */
        if (consumes && allows_form(consumes->v))
            continue;
        char q[SW_QUOTE];
        sgi_sw_quote(w->c, q, sizeof q, m[i]->name, m[i]->nlen);
        sgi_sw_report(w->c, SW_FILE_PARAMETER_CONSUMES, &m[i]->at, 0, consumes,
                      consumes == &cl ? "the operation's consumes" : "the document's consumes",
                      "%s has file parameter \"%s\" but %s; a file is uploaded as a form: add "
                      "multipart/form-data to consumes",
                      method, q,
                      !consumes         ? "no consumes"
                      : consumes == &cl ? "its consumes allow neither multipart/form-data nor "
                                          "application/x-www-form-urlencoded"
                                        : "the document's consumes allow neither "
                                          "multipart/form-data nor "
                                          "application/x-www-form-urlencoded");
    }
}

static int has_var(walk *w, const char *name, size_t len)
{
    return sgi_sw_map_get(&w->vars, name, len) != NULL;
}

/* An in: path parameter whose name is no variable of the template. */
static void check_unused(walk *w, const pent *e, const char *tmpl, size_t tlen)
{
    if (e->dup || !is_in(e, "path") || has_var(w, e->name, e->nlen))
        return;
    char q[SW_QUOTE], t[SW_QUOTE];
    sgi_sw_quote(w->c, q, sizeof q, e->name, e->nlen);
    sgi_sw_quote(w->c, t, sizeof t, tmpl, tlen);
    sgi_sw_report(w->c, SW_PATH_PARAM_UNUSED, &e->at, 0, NULL, NULL,
                  "path parameter \"%s\" does not appear in the path %s; add {%s} to the path or "
                  "change the parameter's name or location",
                  q, t, q);
}

static void check_operation(walk *w, const sgi_sw_loc *op, int mi, const char *tmpl, size_t tlen);

/* Split the template into variables (W->tv, W->vars) and its normalised
 * form (names dropped) into W->key. */
static void scan_template(walk *w, const char *t, size_t len)
{
    w->ntv = 0;
    w->key.len = 0;
    sgi_sw_map_clear(&w->vars);
    size_t i = 0;
    while (i < len) {
        const char *close;
        if (t[i] != '{') {
            sgi_buf_append(&w->key, t + i, 1);
            i++;
            continue;
        }
        if (!(close = memchr(t + i + 1, '}', len - i - 1))) {
            /* No '}' after this '{', so none after any later one either:
             * the rest is literal (and scanning stays linear). */
            sgi_buf_append(&w->key, t + i, len - i);
            break;
        }
        const char *name = t + i + 1;
        size_t n = (size_t)(close - name);
        int greedy = n > 0 && name[n - 1] == '+';
        if (greedy)
            n--;
        sgi_buf_puts(&w->key, greedy ? "{+}" : "{}");
        i = (size_t)(close - t) + 1;
        if (n == 0)
            continue;
        int r = sgi_sw_map_put(&w->vars, name, n, (void *)1, NULL);
        if (r < 0) {
            w->c->st = SG_ENOMEM;
            return;
        }
        if (r == 0)
            continue; /* the same name twice: one parameter serves both */
        if (w->ntv == w->captv) {
            size_t cap = w->captv ? w->captv * 2 : 8;
            tvar *v = sgi_realloc(SW_ALLOC(w->c), w->tv, cap * sizeof *v);
            if (!v) {
                w->c->st = SG_ENOMEM;
                return;
            }
            w->tv = v;
            w->captv = cap;
        }
        w->tv[w->ntv].name = name;
        w->tv[w->ntv].len = n;
        w->tv[w->ntv].missing = 0;
        w->ntv++;
    }
    sgi_buf_append(&w->key, "", 0);
    if (w->key.oom)
        w->c->st = SG_ENOMEM;
}

/* "GET, POST" for a set of operations. */
static void method_list(const sg_allocator *al, char *buf, size_t cap, unsigned mask)
{
    sgi_buf b = {.alloc = al};
    for (int i = 0; i < N_METHODS; i++)
        if (mask & (1u << i)) {
            const char *m = i == 7 ? "ANY" : METHODS[i];
            if (b.len)
                sgi_buf_puts(&b, ", ");
            for (const char *p = m; *p; p++) {
                char ch = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
                sgi_buf_append(&b, &ch, 1);
            }
        }
    snprintf(buf, cap, "%s", b.data ? b.data : "");
    sgi_buf_fini(&b);
}

static void check_path(walk *w, const sgi_sw_loc *key_at)
{
    sgi_sw *c = w->c;
    const char *tmpl = key_at->key;
    size_t tlen = key_at->klen;
    sgi_sw_loc item;
    if (!sgi_sw_deref(c, key_at, &item) || !json_object_is_type(item.v, json_type_object))
        return;

    scan_template(w, tmpl, tlen);
    if (c->st != SG_OK)
        return;

    /* Which operations are there, for collisions and the variables. */
    sgi_sw_loc ops[N_METHODS];
    unsigned methods = 0;
    for (int i = 0; i < N_METHODS; i++)
        if ((i < 7 || c->any_method) && sgi_sw_member(&ops[i], &item, METHODS[i]) &&
            json_object_is_type(ops[i].v, json_type_object))
            methods |= 1u << i;

    /* Templates equal but for their variables' names collide. */
    void *old = NULL;
    size_t idx = add_site(w, key_at, 1, methods);
    int r =
        idx ? sgi_sw_map_put(&w->templates, w->key.data, w->key.len, (void *)(uintptr_t)idx, &old)
            : -1;
    if (r < 0) {
        c->st = SG_ENOMEM;
        return;
    }
    if (r == 0) {
        const site *first = &w->sites[(uintptr_t)old - 1];
        sgi_sw_loc fl = site_loc(first);
        char q[SW_QUOTE], f[SW_QUOTE], shared[64], also[96] = "";
        const char *fk = (const char *)first->slot; /* a member's slot is its key */
        sgi_sw_quote(c, q, sizeof q, tmpl, tlen);
        sgi_sw_quote(c, f, sizeof f, fk, strlen(fk));
        method_list(SW_ALLOC(w->c), shared, sizeof shared, first->methods & methods);
        if (shared[0])
            snprintf(also, sizeof also, " (both define %s)", shared);
        sgi_sw_report_apig(c, SW_PATH_TEMPLATE_COLLISION,
                           shared[0] ? sgi_sw_rules[SW_PATH_TEMPLATE_COLLISION].apig : NULL, key_at,
                           1, &fl, "the path it collides with",
                           "path %s differs from %s only in the names of its variables, so both "
                           "match the same requests%s; merge them into one path",
                           q, f, also);
    }

    sgi_sw_loc params;
    if (sgi_sw_member(&params, &item, "parameters"))
        collect(w, &params, 0, &w->l0, &w->level0);
    else {
        w->l0.n = w->l0.unresolved = 0;
        sgi_sw_map_clear(&w->level0);
    }
    for (size_t i = 0; i < w->l0.n; i++)
        check_unused(w, &w->l0.v[i], tmpl, tlen);
    {
        const pent **m = sgi_malloc(SW_ALLOC(w->c), (w->l0.n + 1) * sizeof *m);
        size_t n = 0;
        if (!m) {
            c->st = SG_ENOMEM;
            return;
        }
        for (size_t i = 0; i < w->l0.n; i++)
            if (!w->l0.v[i].dup)
                m[n++] = &w->l0.v[i];
        check_body(w, m, n, NULL);
        sgi_free(SW_ALLOC(w->c), m);
    }

    for (int i = 0; i < N_METHODS && c->st == SG_OK; i++)
        if (methods & (1u << i))
            check_operation(w, &ops[i], i, tmpl, tlen);

    for (size_t i = 0; i < w->ntv && c->st == SG_OK; i++) {
        tvar *v = &w->tv[i];
        if (!v->missing)
            continue;
        char q[SW_QUOTE], t[SW_QUOTE], ms[64];
        sgi_sw_quote(c, q, sizeof q, v->name, v->len);
        sgi_sw_quote(c, t, sizeof t, tmpl, tlen);
        method_list(SW_ALLOC(w->c), ms, sizeof ms, v->missing);
        if (v->missing == methods)
            sgi_sw_report(c, SW_PATH_PARAM_UNDEFINED, key_at, 1, NULL, NULL,
                          "path %s uses {%s} but no parameter defines it; add {name: %s, in: path, "
                          "required: true, type: string} to the path item's parameters",
                          t, q, q);
        else
            sgi_sw_report(c, SW_PATH_PARAM_UNDEFINED, key_at, 1, NULL, NULL,
                          "path %s uses {%s} but %s define%s no in: path parameter named \"%s\"; "
                          "add it to the path item's parameters or to %s",
                          t, q, ms, strchr(ms, ',') ? "" : "s", q,
                          strchr(ms, ',') ? "each of those operations" : "that operation");
    }
}

static void check_operation(walk *w, const sgi_sw_loc *op, int mi, const char *tmpl, size_t tlen)
{
    sgi_sw *c = w->c;
    char method[32];
    method_list(SW_ALLOC(w->c), method, sizeof method, 1u << mi);

    /* operationIds: unique in the document (APIG: the API's name). */
    sgi_sw_loc idl;
    if (sgi_sw_member(&idl, op, "operationId") && json_object_is_type(idl.v, json_type_string)) {
        const char *id = json_object_get_string(idl.v);
        size_t len = (size_t)json_object_get_string_len(idl.v);
        void *old = NULL;
        size_t idx = add_site(w, &idl, 0, 0);
        int r = idx ? sgi_sw_map_put(&w->opids, id, len, (void *)(uintptr_t)idx, &old) : -1;
        if (r < 0) {
            c->st = SG_ENOMEM;
            return;
        }
        if (r == 0) {
            sgi_sw_loc fl = site_loc(&w->sites[(uintptr_t)old - 1]);
            char q[SW_QUOTE];
            sgi_sw_quote(c, q, sizeof q, id, len);
            sgi_sw_report(c, SW_OPERATION_ID_DUPLICATE, &idl, 0, &fl, "first used here",
                          "operationId \"%s\" is already used by another operation; operationIds "
                          "are unique in a document (APIG names the API after it): rename one",
                          q);
        }
    }

    sgi_sw_loc params;
    if (sgi_sw_member(&params, op, "parameters"))
        collect(w, &params, 1, &w->l1, &w->level1);
    else {
        w->l1.n = w->l1.unresolved = 0;
        sgi_sw_map_clear(&w->level1);
    }
    if (c->st != SG_OK)
        return;

    /* The merged list: path-level entries the operation does not override,
     * then the operation's own. */
    const pent **m = sgi_malloc(SW_ALLOC(w->c), (w->l0.n + w->l1.n + 1) * sizeof *m);
    size_t n = 0;
    if (!m) {
        c->st = SG_ENOMEM;
        return;
    }
    for (size_t i = 0; i < w->l0.n && c->st == SG_OK; i++) {
        const pent *e = &w->l0.v[i];
        size_t klen;
        const char *k;
        if (e->dup || !(k = param_key(w, e->in, e->name, e->nlen, &klen)))
            continue;
        if (!sgi_sw_map_get(&w->level1, k, klen))
            m[n++] = e;
    }
    for (size_t i = 0; i < w->l1.n; i++)
        if (!w->l1.v[i].dup) {
            m[n++] = &w->l1.v[i];
            check_unused(w, &w->l1.v[i], tmpl, tlen);
        }

    check_body(w, m, n, method);
    check_file_consumes(w, m, n, op, method);

    /* Every template variable has an in: path parameter, unless a $ref we
     * could not follow may hold it. */
    if (!w->l0.unresolved && !w->l1.unresolved)
        for (size_t i = 0; i < w->ntv && c->st == SG_OK; i++) {
            size_t klen;
            const char *k = param_key(w, "path", w->tv[i].name, w->tv[i].len, &klen);
            if (k && !sgi_sw_map_get(&w->level1, k, klen) && !sgi_sw_map_get(&w->level0, k, klen))
                w->tv[i].missing |= 1u << mi;
        }
    sgi_free(SW_ALLOC(w->c), m);

    sgi_sw_loc l;
    if (sgi_sw_member(&l, op, "security"))
        sgi_sw_check_security(c, &l);
    if (sgi_sw_member(&l, op, "responses"))
        sgi_sw_check_responses(c, &l);
}

void sgi_sw_check_paths(sgi_sw *c)
{
    sgi_sw_loc paths;
    if (!sgi_sw_member(&paths, &c->root, "paths") ||
        !json_object_is_type(paths.v, json_type_object))
        return;
    walk w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.key.alloc = SW_ALLOC(c);
    sgi_sw_map_init(&w.level0, SW_ALLOC(c));
    sgi_sw_map_init(&w.level1, SW_ALLOC(c));
    sgi_sw_map_init(&w.vars, SW_ALLOC(c));
    sgi_sw_map_init(&w.opids, SW_ALLOC(c));
    sgi_sw_map_init(&w.templates, SW_ALLOC(c));
    for (struct lh_entry *it = json_object_get_object(paths.v)->head; it && c->st == SG_OK;
         it = it->next) {
        sgi_sw_loc p;
        sgi_sw_entry(&p, &paths, it);
        if (!sgi_sw_is_ext(p.key))
            check_path(&w, &p);
    }
    sgi_sw_map_fini(&w.level0);
    sgi_sw_map_fini(&w.level1);
    sgi_sw_map_fini(&w.vars);
    sgi_sw_map_fini(&w.opids);
    sgi_sw_map_fini(&w.templates);
    sgi_buf_fini(&w.key);
    sgi_free(SW_ALLOC(c), w.sites);
    sgi_free(SW_ALLOC(c), w.l0.v);
    sgi_free(SW_ALLOC(c), w.l1.v);
    sgi_free(SW_ALLOC(c), w.tv);
}
