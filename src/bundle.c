/* Bundling, for the normalizer (normalize.c): which $refs go where, and
 * the names of the members they become.
 *
 * A $ref is a reference where the resolver says so (resolve.c:
 * Swagger structure, not data, extensions or name-map keys). Internal refs
 * of the root document ("#/...") are kept as written. Every other ref (file
 * refs, and every ref inside a bundled file) is followed to its final
 * target, and then, by where the ref stands:
 * - a schema becomes a member of the root's "definitions", a parameter (an
 *   element of a parameters list, a member of the root's parameters) of
 *   "parameters", a response (a member of a responses map) of "responses",
 *   and the ref becomes "#/definitions/NAME" (parameters, responses);
 * - anywhere else (a path item, the only other place Swagger 2.0 allows a
 *   $ref, or a place it does not) the target is written in place of the ref
 *   object (inlined), within the alias-expansion and depth limits, refusing
 *   cycles;
 * - a target in the root document itself becomes "#" + its pointer.
 * One target (file, pointer, section) is bundled once, however many refs
 * reach it; cycles across files are refs to bundled names and so end.
 *
 * Names of bundled members, a function of the document's content (not of
 * the order in which anything is read or written):
 * 1. a root member of the section that is itself a ref to the target
 *    ("definitions: {Pet: {$ref: pet.yaml}}") becomes its home: the target's
 *    content is written there (of several such members, the first name in
 *    byte order is the home, the others refs to it);
 * 2. otherwise BASE: the pointer's last token ("Pet" for
 *    "common.yaml#/definitions/Pet"), or for a whole file its name without
 *    the extension ("pet" for "schemas/pet.yaml"); characters other than
 *    ASCII letters, digits, '.', '_', '-' and non-ASCII ones become '_';
 *    taken when no root member of the section and no other target of the
 *    section wants the same name;
 * 3. otherwise FILE.BASE ("common.Pet"; for a whole file, its path relative
 *    to the ref root with '/' as '.': "schemas.pet"), then FILE.BASE-2,
 *    -3, ... the first one free, targets taken in the order of (file path
 *    relative to the ref root, pointer).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

const char *const sgi_nz_sections[K_NSECT] = {"definitions", "parameters", "responses"};

enum { M_OBJ, M_MAP, M_MAPX };

static int mode_of(int role)
{
    switch (role) {
    case R_PATHS:
    case R_RESPS:
        return M_MAPX;
    case R_PMAP:
    case R_RMAP:
    case R_SMAP:
    case R_MAP:
    case R_SEC:
        return M_MAP;
    default:
        return M_OBJ;
    }
}

/* Data and extensions: no reference inside (as resolve.c reads them). */
static int data_key(const char *k)
{
    return (k[0] == 'x' && k[1] == '-') || strcmp(k, "example") == 0 ||
           strcmp(k, "examples") == 0 || strcmp(k, "enum") == 0 || strcmp(k, "default") == 0;
}

static int is_method(const char *k)
{
    static const char *const m[] = {"get", "put", "post", "delete", "options", "head", "patch"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(k, m[i]) == 0)
            return 1;
    return 0;
}

/* The role of member KEY (value CHILD) of a value of role ROLE. */
int sgi_nz_child_role(int role, const char *key, struct json_object *child)
{
    int mode = mode_of(role);
    if (mode != M_OBJ) {
        if (mode == M_MAPX && strncmp(key, "x-", 2) == 0)
            return R_DATA;
        switch (role) {
        case R_PATHS: return R_PATHITEM;
        case R_RESPS:
        case R_RMAP: return R_RESP;
        case R_PMAP: return R_PARAM;
        case R_SMAP: return R_SCHEMA;
        default: return R_OBJ;
        }
    }
    if (data_key(key))
        return R_DATA;
    if (strcmp(key, "security") == 0)
        return R_SEC;
    if (!json_object_is_type(child, json_type_object)) {
        if (strcmp(key, "parameters") == 0)
            return R_PLIST;
        if (role == R_SCHEMA && (strcmp(key, "allOf") == 0 || strcmp(key, "anyOf") == 0 ||
                                 strcmp(key, "oneOf") == 0 || strcmp(key, "items") == 0))
            return R_SARR;
        return R_OBJ;
    }
    if (strcmp(key, "paths") == 0)
        return R_PATHS;
    if (strcmp(key, "responses") == 0)
        return role == R_ROOT ? R_RMAP : R_RESPS;
    if (strcmp(key, "definitions") == 0 || strcmp(key, "properties") == 0)
        return R_SMAP;
    if (strcmp(key, "parameters") == 0)
        return R_PMAP;
    if (strcmp(key, "securityDefinitions") == 0 || strcmp(key, "headers") == 0 ||
        strcmp(key, "scopes") == 0)
        return R_MAP;
    if ((role == R_PARAM || role == R_RESP) && strcmp(key, "schema") == 0)
        return R_SCHEMA;
    if (role == R_SCHEMA && (strcmp(key, "items") == 0 || strcmp(key, "not") == 0 ||
                             strcmp(key, "additionalProperties") == 0))
        return R_SCHEMA;
    if (role == R_PATHITEM && is_method(key))
        return R_OP;
    return R_OBJ;
}

int sgi_nz_elem_role(int role)
{
    switch (role) {
    case R_PLIST: return R_PARAM;
    case R_SARR: return R_SCHEMA;
    case R_SEC: return R_SEC;
    case R_DATA: return R_DATA;
    default: return R_OBJ;
    }
}

int sgi_nz_kind_of(int role)
{
    return role == R_SCHEMA ? K_SCHEMA : role == R_PARAM ? K_PARAM : role == R_RESP ? K_RESP
                                                                                  : K_INLINE;
}

const int sgi_nz_kind_role[K_NSECT] = {R_SCHEMA, R_PARAM, R_RESP};

sg_status sgi_nz_bundle_error(sgi_nz *z, const sg_document *doc, const void *parent, uintptr_t slot,
                              const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    z->failed = 1;
    return sgi_doc_diag(doc, z->d, SG_SEVERITY_ERROR, "normalize-bundle", parent, slot, 0,
                        z->path.data ? z->path.data + z->pstart : NULL, NULL, "%s", msg);
}

static const char *ref_string(struct json_object *v)
{
    struct json_object *r = NULL;
    json_object_object_get_ex(v, "$ref", &r);
    return json_object_is_type(r, json_type_string) ? json_object_get_string(r) : NULL;
}

int sgi_nz_is_ref_site(int role, struct json_object *v)
{
    return mode_of(role) == M_OBJ && role != R_DATA && json_object_is_type(v, json_type_object) &&
           lh_table_lookup_entry(json_object_get_object(v), "$ref") != NULL;
}

int sgi_nz_kept_ref(const sgi_nz *z, const sg_document *doc, struct json_object *v)
{
    const char *s = ref_string(v);
    return doc == z->root && (!s || s[0] == '#');
}

/* The path of DOC relative to the ref root (a stable key and file name). */
static const char *rel_of(sgi_nz *z, const sg_document *doc, sg_status *st)
{
    for (size_t i = 0; i < z->nrels; i++)
        if (z->rels[i].doc == doc)
            return z->rels[i].rel;
    if (!sgi_grow_a(ZA(z), (void **)&z->rels, &z->caprels, z->nrels + 1, sizeof *z->rels)) {
        *st = SG_ENOMEM;
        return NULL;
    }
    const char *name = doc->src.name;
    char real[PATH_MAX], *rel;
    const char *r = realpath(name, real) ? real : name;
    size_t n = z->base_dir ? strlen(z->base_dir) : 0;
    if (n && strncmp(r, z->base_dir, n) == 0 && r[n] == '/')
        r += n + 1;
    rel = sgi_strdup(ZA(z), r);
    if (!rel) {
        *st = SG_ENOMEM;
        return NULL;
    }
    z->rels[z->nrels].doc = doc;
    z->rels[z->nrels++].rel = rel;
    return rel;
}

/* Characters kept in names: ASCII letters, digits, . _ - and non-ASCII. */
static void sanitize(sgi_buf *b, const char *s, size_t n)
{
    size_t start = b->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char o = (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
                     ? (char)c
                     : '_';
        sgi_buf_append(b, &o, 1);
    }
    if (b->len == start)
        sgi_buf_append(b, "_", 1);
}

/* Step 2's name of T into B: the pointer's last token, or the file's name
 * without its extension. */
static void base_name(sgi_buf *b, const sgi_nz_target *t)
{
    const char *p = t->ptr ? strrchr(t->ptr, '/') : NULL;
    if (p && t->ptr[0]) {
        sgi_buf tok = {.alloc = b->alloc};
        for (p++; *p; p++) {
            char c = *p;
            if (c == '~') {
                c = p[1] == '1' ? '/' : '~';
                p++;
            }
            sgi_buf_append(&tok, &c, 1);
        }
        sanitize(b, tok.data ? tok.data : "", tok.len);
        if (tok.oom)
            b->oom = 1;
        sgi_buf_fini(&tok);
        return;
    }
    const char *file = strrchr(t->rel, '/');
    file = file ? file + 1 : t->rel;
    const char *dot = strrchr(file, '.');
    sanitize(b, file, dot && dot > file ? (size_t)(dot - file) : strlen(file));
}

/* Step 3's stem: FILE. for a pointer, the path without extension (/ as .)
 * for a whole file. */
static void qualified_name(sgi_buf *b, const sgi_nz_target *t)
{
    const char *file = strrchr(t->rel, '/');
    const char *from = t->ptr && t->ptr[0] ? (file ? file + 1 : t->rel) : t->rel;
    const char *dot = strrchr(from, '.');
    size_t n = dot && dot > from && (!file || dot > file) ? (size_t)(dot - from) : strlen(from);
    size_t start = b->len;
    sanitize(b, from, n);
    for (size_t i = start; i < b->len && !b->oom; i++)
        if (from[i - start] == '/')
            b->data[i] = '.';
    if (t->ptr && t->ptr[0]) {
        sgi_buf_append(b, ".", 1);
        sgi_buf_puts(b, t->base);
    }
}

/* The target (KIND, RT) as index *IDX, new ones queued; *IS_NEW. */
static sg_status target_get(sgi_nz *z, int kind, const sgi_ref_target *rt, size_t *idx, int *is_new)
{
    sgi_buf key = {.alloc = ZA(z)};
    sgi_buf_printf(&key, "%d:%p:%s", kind, (const void *)rt->doc, rt->pointer ? rt->pointer : "");
    if (key.oom)
        return SG_ENOMEM;
    struct lh_entry *le = lh_table_lookup_entry(z->tmap, key.data);
    *is_new = le == NULL;
    if (le) {
        *idx = IDX(le->v);
        sgi_buf_fini(&key);
        return SG_OK;
    }
    sg_status st = SG_OK;
    const char *rel = rel_of(z, rt->doc, &st);
    if (!rel || !sgi_grow_a(ZA(z), (void **)&z->t, &z->capt, z->nt + 1, sizeof *z->t)) {
        sgi_buf_fini(&key);
        return SG_ENOMEM;
    }
    /* The table keeps the key: it is freed with the table (free_fn). */
    if (lh_table_insert(z->tmap, key.data, VAL(z->nt)) != 0) {
        sgi_buf_fini(&key);
        return SG_ENOMEM;
    }
    sgi_nz_target *t = &z->t[z->nt];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->doc = rt->doc;
    t->ptr = rt->pointer ? rt->pointer : "";
    t->value = rt->value;
    t->rel = rel;
    *idx = z->nt++;
    return SG_OK;
}

/* ---- discovery: every target, before any name is chosen ---------------- */

static sg_status discover(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                          unsigned depth);

/* Ref site V (in DOC, role ROLE): its target found and queued. *OUT gets
 * the target index, or (size_t)-1 when it is the root's or inlined. */
static sg_status discover_ref(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                              unsigned depth, size_t *out)
{
    *out = (size_t)-1;
    if (sgi_nz_kept_ref(z, doc, v))
        return SG_OK;
    sgi_ref_target rt;
    sg_status st = sgi_resolve(z->res, doc, v, &rt);
    if (st != SG_OK)
        return st == SG_EUSAGE ? SG_EINTERNAL : st;
    if (!rt.found) { /* the resolver said why, at the $ref */
        z->failed = 1;
        return SG_OK;
    }
    if (rt.doc == z->root)
        return SG_OK;
    int kind = sgi_nz_kind_of(role);
    if (kind == K_INLINE)
        return discover(z, rt.doc, rt.value, role, depth + 1);
    int is_new;
    if ((st = target_get(z, kind, &rt, out, &is_new)) != SG_OK)
        return st;
    return SG_OK; /* new targets are walked from the queue */
}

/* Recursion is bounded: depth within a file by the builder's limit, and
 * inlining by the depth check below. */
static sg_status discover(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                          unsigned depth)
{
    enum json_type ty = json_object_get_type(v);
    if (role == R_DATA || (ty != json_type_object && ty != json_type_array))
        return SG_OK;
    if (depth > z->opts.limits.max_depth + 16)
        return SG_OK; /* reported when written */
    /* (value, role) once: aliases and shared targets are walked once. */
    const char *vk = (const char *)v + role;
    if (lh_table_lookup_entry(z->walked, vk))
        return SG_OK;
    if (lh_table_insert(z->walked, vk, NULL) != 0)
        return SG_ENOMEM;
    sg_status st = SG_OK;
    if (ty == json_type_array) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n && st == SG_OK; i++)
            st = discover(z, doc, json_object_array_get_idx(v, i), sgi_nz_elem_role(role),
                          depth + 1);
        return st;
    }
    if (sgi_nz_is_ref_site(role, v)) {
        size_t ti;
        return discover_ref(z, doc, v, role, depth, &ti);
    }
    int root_obj = doc == z->root && v == z->root->root;
    json_object_object_foreach(v, key, child)
    {
        int cr = sgi_nz_child_role(role, key, child);
        if (cr == R_DATA)
            continue;
        /* A member of a root section that is a ref to a file target: a
         * candidate home for it. */
        if (root_obj && (cr == R_SMAP || cr == R_PMAP || cr == R_RMAP) &&
            (strcmp(key, "definitions") == 0 || strcmp(key, "parameters") == 0 ||
             strcmp(key, "responses") == 0)) {
            int er = cr == R_SMAP ? R_SCHEMA : cr == R_PMAP ? R_PARAM : R_RESP;
            json_object_object_foreach(child, name, member)
            {
                size_t ti;
                if (!sgi_nz_is_ref_site(er, member)) {
                    if ((st = discover(z, doc, member, er, depth + 2)) != SG_OK)
                        return st;
                    continue;
                }
                if ((st = discover_ref(z, doc, member, er, depth + 2, &ti)) != SG_OK)
                    return st;
                sgi_nz_target *t = ti != (size_t)-1 ? &z->t[ti] : NULL;
                if (t && (!t->name || strcmp(name, t->name) < 0)) {
                    char *nn = sgi_strdup(ZA(z), name);
                    if (!nn)
                        return SG_ENOMEM;
                    sgi_free(ZA(z), t->name);
                    t->name = nn;
                    t->home = 1;
                }
            }
            continue;
        }
        if ((st = discover(z, doc, child, cr, depth + 1)) != SG_OK)
            return st;
    }
    return SG_OK;
}

/* ---- names -------------------------------------------------------------- */

static int by_file_pointer(const void *a, const void *b)
{
    const sgi_nz_target *x = *(const sgi_nz_target *const *)a;
    const sgi_nz_target *y = *(const sgi_nz_target *const *)b;
    int c = strcmp(x->rel, y->rel);
    return c ? c : strcmp(x->ptr, y->ptr);
}

static int name_taken(sgi_nz *z, int kind, const char *name, size_t self, int step2_too)
{
    struct json_object *sect = NULL;
    if (json_object_object_get_ex(z->root->root, sgi_nz_sections[kind], &sect) &&
        json_object_is_type(sect, json_type_object) &&
        lh_table_lookup_entry(json_object_get_object(sect), name))
        return 1;
    for (size_t i = 0; i < z->nt; i++) {
        const sgi_nz_target *t = &z->t[i];
        if (i == self || t->kind != kind)
            continue;
        if ((t->name && strcmp(t->name, name) == 0) ||
            (step2_too && !t->home && strcmp(t->base, name) == 0))
            return 1;
    }
    return 0;
}

sg_status sgi_nz_choose_names(sgi_nz *z)
{
    sgi_nz_target **order = sgi_calloc(ZA(z), z->nt ? z->nt : 1, sizeof *order);
    if (!order)
        return SG_ENOMEM;
    for (size_t i = 0; i < z->nt; i++) {
        sgi_buf b = {.alloc = ZA(z)};
        base_name(&b, &z->t[i]);
        if (b.oom) {
            sgi_free(ZA(z), order);
            sgi_buf_fini(&b);
            return SG_ENOMEM;
        }
        z->t[i].base = b.data;
        order[i] = &z->t[i];
    }
    qsort(order, z->nt, sizeof *order, by_file_pointer);
    /* Step 2: a base name no one else wants. */
    for (size_t i = 0; i < z->nt; i++) {
        sgi_nz_target *t = &z->t[i];
        if (!t->home && !name_taken(z, t->kind, t->base, i, 1) && !(t->name = sgi_strdup(ZA(z), t->base))) {
            sgi_free(ZA(z), order);
            return SG_ENOMEM;
        }
    }
    /* Step 3, in (file, pointer) order. */
    for (size_t o = 0; o < z->nt; o++) {
        sgi_nz_target *t = order[o];
        size_t self = (size_t)(t - z->t);
        if (t->name)
            continue;
        sgi_buf q = {.alloc = ZA(z)};
        qualified_name(&q, t);
        size_t qlen = q.len;
        for (unsigned k = 1; !q.oom; k++) {
            if (k > 1) {
                q.len = qlen;
                sgi_buf_printf(&q, "-%u", k);
            }
            if (!q.oom && !name_taken(z, t->kind, q.data, self, 0))
                break;
        }
        if (q.oom) {
            sgi_buf_fini(&q);
            sgi_free(ZA(z), order);
            return SG_ENOMEM;
        }
        t->name = q.data;
    }
    sgi_free(ZA(z), order);
    return SG_OK;
}

sg_status sgi_nz_discover(sgi_nz *z)
{
    sg_status st = discover(z, z->root, z->root->root, R_ROOT, 0);
    for (size_t i = 0; st == SG_OK && i < z->nt; i++)
        st = discover(z, z->t[i].doc, z->t[i].value, sgi_nz_kind_role[z->t[i].kind], 0);
    return st;
}
