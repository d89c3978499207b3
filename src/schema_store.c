/* Schema store: the schema documents a $ref can reach, by URI.
 *
 * A set holds the embedded draft-04 meta-schema and Swagger 2.0 schema,
 * documents the caller registers, and documents loaded from folders mapped
 * under URI prefixes. Every "id" declared in a schema position of those
 * documents is indexed, so that refs by id (draft-zyp-json-schema-04
 * section 7.2, "location-independent identifiers" included) resolve. The
 * network is never used (HOSTILE.md 2.5): an unknown http(s) URI is
 * "not available offline".
 *
 * URIs follow RFC 3986: references resolve per section 5.2 (dot segments
 * removed), fragments are percent-decoded JSON Pointers (RFC 6901) or ids.
 *
 * A session (one validation) also compiles the schemas it reaches, once per
 * schema node (cached by node pointer): keywords read and checked against
 * what the draft-04 meta-schema allows (problems are "schema-invalid"
 * findings at the keyword), patterns compiled, $refs resolved with hop and
 * cycle checks. Validation (schema.c) then reads the compiled form only. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "internal.h"

extern const char sgi_schema_draft04[];
extern const size_t sgi_schema_draft04_len;
extern const char sgi_schema_swagger20[];
extern const size_t sgi_schema_swagger20_len;

#define DRAFT04_URI "http://json-schema.org/draft-04/schema"
#define SWAGGER20_URI "http://swagger.io/v2/schema.json"
/* The base of a root schema the caller did not register: refs relative to
 * it can only name places inside it. */
#define ROOT_URI "urn:swaggate:schema"

#define RULE_BAD "schema-invalid"

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

typedef struct json_object jo;
typedef sgi_sch sch;
typedef sgi_pattern pattern;
typedef sgi_dep dep;
typedef sgi_pprop pprop;

/* Where a schema node lives: its document, its place there (PARENT and SLOT
 * as in the marks table), its JSON Pointer and its resolution scope (the
 * base URI inside it, its own "id" applied). POINTER and BASE are owned. */
typedef struct schema_loc {
    const sg_document *doc;
    jo *node;
    const void *parent;
    uintptr_t slot;
    char *pointer;
    char *base;
} schema_loc;

typedef struct sdoc {
    char *uri; /* without fragment */
    const sg_document *doc;
    sg_document *owned; /* embedded or loaded: the set frees it */
} sdoc;

/* A schema node reachable by URI (a document root or an "id"). */
typedef struct idrec {
    const sg_allocator *a; /* what this record and its strings came from */
    char *uri;
    const sg_document *doc;
    struct json_object *node;
    const void *parent;
    uintptr_t slot;
    char *pointer;
    char *base;
} idrec;

typedef struct ref_map {
    char *prefix;
    char *dir; /* real path, without a trailing '/' ("" for the root) */
} ref_map;

/* A compiled schema kept for the next validation (sgi_schema_session_keep). */
typedef struct warm {
    int used;        /* the slot holds KEY's (SESS is NULL while lent out) */
    const char *key; /* NULL: the embedded Swagger 2.0 schema; else a static string */
    sgi_schema_session *sess;
    sgi_sch *root;
    sg_document *doc; /* the root schema's document, when the cache owns it */
    sg_limits limits; /* what it was compiled under */
} warm;

struct sg_schema_set {
    sg_allocator alloc; /* a copy of the hooks of sgi_schema_set_new_a: the
                           set's own blocks and its embedded documents */
    sdoc *docs;
    size_t ndocs, docs_cap;
    struct lh_table *ids; /* URI -> idrec */
    ref_map *maps;
    size_t nmaps, maps_cap;
    warm warm[2]; /* lint's two: the Swagger schema and the apig one */
};

struct sgi_schema_session {
    sg_allocator alloc; /* a copy of the options' hooks: the session's blocks */
    sg_schema_set *set;
    const sg_options *opts;
    sg_diagnostics *diags;
    struct lh_table *ids; /* the root schema's, when it is not in the set */
    const sg_document **used;
    size_t nused, used_cap;
    /* the compiled schemas */
    sg_status st;
    const sg_document *root_doc;
    sgi_regex_cache *rx;
    jo *zero;
    sch empty;       /* stands for a malformed schema: validates everything */
    struct slotent { /* node -> sch, open addressing */
        jo *node;
        sch *s;
    } * tab;
    size_t tab_cap, tab_n;
    sch **all;
    size_t nall, all_cap;
    sch **todo; /* $refs to resolve */
    size_t ntodo, todo_cap;
    sch **busy; /* $refs being resolved, outermost first */
    size_t nbusy, busy_cap;
    char why[512]; /* why a $ref resolves nowhere */
};

/* ---- URIs ---------------------------------------------------------------- */

typedef struct uparts {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_len, auth_len, path_len, query_len, frag_len;
    int has_scheme, has_auth, has_query, has_frag;
} uparts;

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* RFC 3986 appendix B, by hand. */
static void uri_split(const char *s, uparts *u)
{
    const char *p = s;
    memset(u, 0, sizeof *u);
    if (is_alpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (is_alpha((unsigned char)*q) || is_digit((unsigned char)*q) || *q == '+' ||
               *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            u->has_scheme = 1;
            u->scheme = p;
            u->scheme_len = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->has_auth = 1;
        u->auth = p;
        while (*p && *p != '/' && *p != '?' && *p != '#')
            p++;
        u->auth_len = (size_t)(p - u->auth);
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#')
        p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') {
        u->has_query = 1;
        u->query = ++p;
        while (*p && *p != '#')
            p++;
        u->query_len = (size_t)(p - u->query);
    }
    if (*p == '#') {
        u->has_frag = 1;
        u->frag = ++p;
        u->frag_len = strlen(p);
    }
}

/* Drop the last segment of OUT and the '/' before it. */
static void drop_segment(sgi_buf *out)
{
    while (out->len > 0 && out->data[out->len - 1] != '/')
        out->len--;
    if (out->len > 0)
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

/* RFC 3986 section 5.2.4, appended to OUT. */
static void remove_dots(sgi_buf *out, const char *path, size_t len)
{
    char *in = sgi_malloc(out->alloc, len + 1);
    if (!in) {
        out->oom = 1;
        return;
    }
    memcpy(in, path, len);
    in[len] = '\0';
    size_t i = 0, start = out->len;
    while (i < len) {
        const char *p = in + i;
        size_t rest = len - i;
        if (rest >= 3 && memcmp(p, "../", 3) == 0)
            i += 3;
        else if (rest >= 2 && memcmp(p, "./", 2) == 0)
            i += 2;
        else if (rest >= 3 && memcmp(p, "/./", 3) == 0)
            i += 2;
        else if (rest == 2 && memcmp(p, "/.", 2) == 0) {
            i += 1;
            in[i] = '/';
        } else if (rest >= 4 && memcmp(p, "/../", 4) == 0) {
            i += 3;
            if (out->len > start)
                drop_segment(out);
        } else if (rest == 3 && memcmp(p, "/..", 3) == 0) {
            i += 2;
            in[i] = '/';
            if (out->len > start)
                drop_segment(out);
        } else if ((rest == 1 && p[0] == '.') || (rest == 2 && memcmp(p, "..", 2) == 0)) {
            i = len;
        } else {
            size_t k = p[0] == '/' ? 1 : 0;
            while (k < rest && p[k] != '/')
                k++;
            sgi_buf_append(out, p, k);
            i += k;
        }
    }
    sgi_free(out->alloc, in);
}

char *sgi_uri_resolve(const char *base, const char *ref)
{
    return sgi_uri_resolve_a(NULL, base, ref);
}

char *sgi_uri_resolve_a(const sg_allocator *a, const char *base, const char *ref)
{
    uparts b, r;
    sgi_buf t = {.alloc = a};
    uri_split(base, &b);
    uri_split(ref, &r);
    sgi_buf_puts(&t, "");
    const uparts *scheme = r.has_scheme ? &r : &b;
    if (scheme->has_scheme) {
        sgi_buf_append(&t, scheme->scheme, scheme->scheme_len);
        sgi_buf_append(&t, ":", 1);
    }
    const uparts *auth = r.has_scheme || r.has_auth ? &r : &b;
    if (auth->has_auth) {
        sgi_buf_append(&t, "//", 2);
        sgi_buf_append(&t, auth->auth, auth->auth_len);
    }
    const uparts *query = &r;
    if (r.has_scheme || r.has_auth) {
        remove_dots(&t, r.path, r.path_len);
    } else if (r.path_len == 0) {
        sgi_buf_append(&t, b.path, b.path_len);
        if (!r.has_query)
            query = &b;
    } else if (r.path[0] == '/') {
        remove_dots(&t, r.path, r.path_len);
    } else {
        /* Merge (section 5.2.3), then remove dots. */
        sgi_buf m = {.alloc = a};
        if (b.has_auth && b.path_len == 0) {
            sgi_buf_append(&m, "/", 1);
        } else {
            size_t k = b.path_len;
            while (k > 0 && b.path[k - 1] != '/')
                k--;
            sgi_buf_append(&m, b.path, k);
        }
        sgi_buf_append(&m, r.path, r.path_len);
        if (m.oom)
            t.oom = 1;
        else if (m.data)
            remove_dots(&t, m.data, m.len);
        sgi_buf_fini(&m);
    }
    if (query->has_query) {
        sgi_buf_append(&t, "?", 1);
        sgi_buf_append(&t, query->query, query->query_len);
    }
    if (r.has_frag) {
        sgi_buf_append(&t, "#", 1);
        sgi_buf_append(&t, r.frag, r.frag_len);
    }
    if (t.oom) {
        sgi_buf_fini(&t);
        return NULL;
    }
    return t.data;
}

static int hexval(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode LEN bytes of S into a new string. Returns NULL with *BAD set
 * for a malformed escape or a NUL byte, NULL alone when out of memory. */
static char *percent_decode(const sg_allocator *a, const char *s, size_t len, int *bad)
{
    char *out = sgi_malloc(a, len + 1);
    size_t o = 0;
    *bad = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 1 < len ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || hi * 16 + lo == 0) {
                sgi_free(a, out);
                *bad = 1;
                return NULL;
            }
            c = hi * 16 + lo;
            i += 2;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

/* ---- id index ------------------------------------------------------------- */

static void idrec_free(struct lh_entry *e)
{
    idrec *r = (idrec *)e->v;
    if (!r)
        return;
    const sg_allocator *a = r->a;
    sgi_free(a, r->uri);
    sgi_free(a, r->pointer);
    sgi_free(a, r->base);
    sgi_free(a, r);
}

static idrec *ids_get(struct lh_table *t, const char *uri)
{
    void *v = NULL;
    return t && lh_table_lookup_ex(t, uri, &v) ? (idrec *)v : NULL;
}

/* Index NODE as URI unless the URI is taken (the first declaration wins). */
static sg_status ids_put(struct lh_table *t, const sg_allocator *a, const char *uri, const sg_document *doc,
                         struct json_object *node, const void *parent, uintptr_t slot,
                         const char *pointer, const char *base)
{
    if (ids_get(t, uri))
        return SG_OK;
    idrec *r = sgi_calloc(a, 1, sizeof *r);
    if (!r)
        return SG_ENOMEM;
    r->a = a;
    r->uri = sgi_strdup(a, uri);
    r->pointer = sgi_strdup(a, pointer);
    r->base = sgi_strdup(a, base);
    r->doc = doc;
    r->node = node;
    r->parent = parent;
    r->slot = slot;
    if (!r->uri || !r->pointer || !r->base || lh_table_insert(t, r->uri, r) != 0) {
        sgi_free(a, r->uri);
        sgi_free(a, r->pointer);
        sgi_free(a, r->base);
        sgi_free(a, r);
        return SG_ENOMEM;
    }
    return SG_OK;
}

/* The id of a schema object, when it changes the resolution scope: a string
 * "id" with no "$ref" next to it (siblings of $ref are ignored). */
static const char *scope_id(struct json_object *node)
{
    struct json_object *id;
    if (!json_object_is_type(node, json_type_object) ||
        json_object_object_get_ex(node, "$ref", NULL) ||
        !json_object_object_get_ex(node, "id", &id) || !json_object_is_type(id, json_type_string))
        return NULL;
    return json_object_get_string(id);
}

typedef struct scan {
    struct lh_table *ids;
    const sg_document *doc;
    sgi_buf ptr;
    sg_status st;
} scan;

static void scan_node(scan *sc, struct json_object *node, const void *parent, uintptr_t slot,
                      const char *base);

static void scan_child(scan *sc, struct json_object *v, const void *parent, uintptr_t slot,
                       const char *key, const char *key2, const char *base)
{
    size_t mark = sc->ptr.len;
    sgi_buf_append(&sc->ptr, "/", 1);
    sgi_pointer_append(&sc->ptr, key, strlen(key));
    if (key2) {
        sgi_buf_append(&sc->ptr, "/", 1);
        sgi_pointer_append(&sc->ptr, key2, strlen(key2));
    }
    if (sc->ptr.oom)
        sc->st = SG_ENOMEM;
    else
        scan_node(sc, v, parent, slot, base);
    sc->ptr.len = mark;
    if (sc->ptr.data)
        sc->ptr.data[mark] = '\0';
}

/* Walk the schema positions under NODE (the keywords that hold schemas;
 * never enum values or unknown keywords) and index every id. */
static void scan_node(scan *sc, struct json_object *node, const void *parent, uintptr_t slot,
                      const char *base)
{
    if (sc->st != SG_OK || !json_object_is_type(node, json_type_object) ||
        json_object_object_get_ex(node, "$ref", NULL))
        return;
    char *own = NULL;
    const char *id = scope_id(node);
    if (id) {
        own = sgi_uri_resolve_a(sc->ptr.alloc, base, id);
        if (!own) {
            sc->st = SG_ENOMEM;
            return;
        }
        base = own;
        char *hash = strchr(own, '#');
        if (hash && hash[1] == '\0')
            *hash = '\0'; /* "x#" names x */
        if (!hash || hash[1] != '/')
            sc->st = ids_put(sc->ids, sc->ptr.alloc, own, sc->doc, node, parent, slot,
                             sc->ptr.data ? sc->ptr.data : "", own);
    }
    struct lh_table *t = json_object_get_object(node);
    for (struct lh_entry *e = t->head; e && sc->st == SG_OK; e = e->next) {
        const char *k = (const char *)e->k;
        struct json_object *v = (struct json_object *)e->v;
        if (!strcmp(k, "properties") || !strcmp(k, "patternProperties") ||
            !strcmp(k, "definitions") || !strcmp(k, "dependencies")) {
            if (!json_object_is_type(v, json_type_object))
                continue;
            struct lh_table *vt = json_object_get_object(v);
            for (struct lh_entry *f = vt->head; f && sc->st == SG_OK; f = f->next)
                scan_child(sc, (struct json_object *)f->v, v, (uintptr_t)f->k, k,
                           (const char *)f->k, base);
        } else if (!strcmp(k, "items") || !strcmp(k, "allOf") || !strcmp(k, "anyOf") ||
                   !strcmp(k, "oneOf")) {
            if (json_object_is_type(v, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(v) && sc->st == SG_OK; i++) {
                    char idx[32];
                    snprintf(idx, sizeof idx, "%zu", i);
                    scan_child(sc, json_object_array_get_idx(v, i), v, i, k, idx, base);
                }
            } else {
                scan_child(sc, v, node, (uintptr_t)e->k, k, NULL, base);
            }
        } else if (!strcmp(k, "additionalItems") || !strcmp(k, "additionalProperties") ||
                   !strcmp(k, "not")) {
            scan_child(sc, v, node, (uintptr_t)e->k, k, NULL, base);
        }
    }
    sgi_free(sc->ptr.alloc, own);
}

/* Index DOC's root as URI and every id inside it. */
static sg_status index_doc(struct lh_table *ids, const sg_allocator *a, const char *uri,
                           const sg_document *doc)
{
    struct json_object *root = sg_document_root(doc);
    const char *id = scope_id(root);
    char *base = id ? sgi_uri_resolve_a(a, uri, id) : sgi_strdup(a, uri);
    if (!base)
        return SG_ENOMEM;
    sg_status st = ids_put(ids, a, uri, doc, root, NULL, 0, "", base);
    if (st == SG_OK) {
        scan sc = {ids, doc, {.alloc = a}, SG_OK};
        scan_node(&sc, root, NULL, 0, uri);
        sgi_buf_fini(&sc.ptr);
        st = sc.st;
    }
    sgi_free(a, base);
    return st;
}

/* ---- the set -------------------------------------------------------------- */

static sg_status add_doc(sg_schema_set *set, const char *uri, const sg_document *doc,
                         sg_document *owned)
{
    if (set->ndocs == set->docs_cap) {
        size_t ncap = set->docs_cap ? set->docs_cap * 2 : 8;
        sdoc *nd = sgi_realloc(&set->alloc, set->docs, ncap * sizeof *nd);
        if (!nd)
            return SG_ENOMEM;
        set->docs = nd;
        set->docs_cap = ncap;
    }
    char *u = sgi_strdup(&set->alloc, uri);
    if (!u)
        return SG_ENOMEM;
    sg_status st = index_doc(set->ids, &set->alloc, uri, doc);
    if (st != SG_OK) {
        sgi_free(&set->alloc, u);
        return st;
    }
    set->docs[set->ndocs].uri = u;
    set->docs[set->ndocs].doc = doc;
    set->docs[set->ndocs].owned = owned;
    set->ndocs++;
    return SG_OK;
}

static sg_status add_embedded(sg_schema_set *set, const char *uri, const char *bytes, size_t len)
{
    sg_document *doc = NULL;
    /* Named by URI: a finding positioned in it then says which schema. */
    sg_options o;
    sg_options_init(&o);
    o.allocator = &set->alloc;
    sg_status st = sg_document_parse(uri, bytes, len, &o, NULL, &doc);
    if (st != SG_OK)
        return st == SG_EINPUT ? SG_EINTERNAL : st;
    st = add_doc(set, uri, doc, doc);
    if (st != SG_OK)
        sg_document_free(doc);
    return st;
}

sg_schema_set *sg_schema_set_new(void) { return sgi_schema_set_new_a(NULL); }

sg_schema_set *sgi_schema_set_new_a(const sg_allocator *a)
{
    sg_schema_set *set = sgi_calloc(a, 1, sizeof *set);
    if (!set)
        return NULL;
    sgi_alloc_copy(&set->alloc, a);
    set->ids = lh_kchar_table_new(64, idrec_free);
    if (!set->ids ||
        add_embedded(set, DRAFT04_URI, sgi_schema_draft04, sgi_schema_draft04_len) != SG_OK ||
        add_embedded(set, SWAGGER20_URI, sgi_schema_swagger20, sgi_schema_swagger20_len) != SG_OK) {
        sg_schema_set_free(set);
        return NULL;
    }
    return set;
}

void sg_schema_set_free(sg_schema_set *set)
{
    if (!set)
        return;
    sg_allocator a = set->alloc;
    for (size_t i = 0; i < sizeof set->warm / sizeof set->warm[0]; i++) {
        sgi_schema_session_free(set->warm[i].sess);
        sg_document_free(set->warm[i].doc);
    }
    if (set->ids)
        lh_table_free(set->ids);
    for (size_t i = 0; i < set->ndocs; i++) {
        sgi_free(&a, set->docs[i].uri);
        sg_document_free(set->docs[i].owned);
    }
    sgi_free(&a, set->docs);
    for (size_t i = 0; i < set->nmaps; i++) {
        sgi_free(&a, set->maps[i].prefix);
        sgi_free(&a, set->maps[i].dir);
    }
    sgi_free(&a, set->maps);
    sgi_free(&a, set);
}

/* An absolute URI, without a fragment other than an empty one, into a new
 * string without it; NULL with *BAD set when it is not one. */
static char *doc_uri(const sg_allocator *a, const char *uri, int *bad)
{
    uparts u;
    *bad = 0;
    uri_split(uri, &u);
    if (!u.has_scheme || (u.has_frag && u.frag_len > 0)) {
        *bad = 1;
        return NULL;
    }
    size_t n = u.has_frag ? (size_t)(u.frag - 1 - uri) : strlen(uri);
    char *s = sgi_malloc(a, n + 1);
    if (s) {
        memcpy(s, uri, n);
        s[n] = '\0';
    }
    return s;
}

static void warm_forget(sg_schema_set *set);

sg_status sg_schema_set_add(sg_schema_set *set, const char *uri, const sg_document *schema)
{
    int bad;
    if (!set || !uri || !schema)
        return SG_EUSAGE;
    warm_forget(set); /* what a kept schema's refs reach may change */
    char *u = doc_uri(&set->alloc, uri, &bad);
    if (!u)
        return bad ? SG_EUSAGE : SG_ENOMEM;
    sg_status st = ids_get(set->ids, u) ? SG_EUSAGE : add_doc(set, u, schema, NULL);
    sgi_free(&set->alloc, u);
    return st;
}

sg_status sg_schema_set_map(sg_schema_set *set, const char *uri_prefix, const char *dir)
{
    uparts u;
    struct stat sb;
    if (!set || !uri_prefix || !dir)
        return SG_EUSAGE;
    warm_forget(set);
    uri_split(uri_prefix, &u);
    if (!u.has_scheme || u.has_frag || u.has_query)
        return SG_EUSAGE;
    char rbuf[PATH_MAX];
    if (!realpath(dir, rbuf))
        return errno == ENOMEM ? SG_ENOMEM : SG_EUSAGE;
    char *real = sgi_strdup(&set->alloc, rbuf);
    if (!real)
        return SG_ENOMEM;
    if (stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        sgi_free(&set->alloc, real);
        return SG_EUSAGE;
    }
    size_t n = strlen(real);
    if (n > 0 && real[n - 1] == '/')
        real[n - 1] = '\0'; /* "/" becomes "": paths below are "/x" */
    if (set->nmaps == set->maps_cap) {
        size_t ncap = set->maps_cap ? set->maps_cap * 2 : 4;
        ref_map *nm = sgi_realloc(&set->alloc, set->maps, ncap * sizeof *nm);
        if (!nm) {
            sgi_free(&set->alloc, real);
            return SG_ENOMEM;
        }
        set->maps = nm;
        set->maps_cap = ncap;
    }
    char *prefix = sgi_strdup(&set->alloc, uri_prefix);
    if (!prefix) {
        sgi_free(&set->alloc, real);
        return SG_ENOMEM;
    }
    set->maps[set->nmaps].prefix = prefix;
    set->maps[set->nmaps].dir = real;
    set->nmaps++;
    return SG_OK;
}

/* ---- sessions ------------------------------------------------------------- */

static void sch_free(const sg_allocator *a, sch *s);

static void loc_fini(const sg_allocator *a, schema_loc *loc)
{
    if (!loc)
        return;
    sgi_free(a, loc->pointer);
    sgi_free(a, loc->base);
    memset(loc, 0, sizeof *loc);
}

sgi_schema_session *sgi_schema_session_new(sg_schema_set *set, const sg_options *opts,
                                           sg_diagnostics *diags)
{
    sgi_schema_session *s = sgi_calloc(opts->allocator, 1, sizeof *s);
    if (!s)
        return NULL;
    sgi_alloc_copy(&s->alloc, opts->allocator);
    s->set = set;
    s->opts = opts;
    s->diags = diags;
    s->empty.max_len = s->empty.min_len = s->empty.max_items = s->empty.min_items = -1;
    s->empty.max_props = s->empty.min_props = -1;
    s->rx = sgi_regex_cache_new_a(&opts->limits, opts->allocator);
    s->zero = json_object_new_int(0);
    if (!s->rx || !s->zero) {
        sgi_schema_session_free(s);
        return NULL;
    }
    return s;
}

void sgi_schema_session_free(sgi_schema_session *s)
{
    if (!s)
        return;
    sg_allocator a = s->alloc;
    if (s->ids)
        lh_table_free(s->ids);
    sgi_free(&a, s->used);
    for (size_t i = 0; i < s->nall; i++)
        sch_free(&a, s->all[i]);
    sgi_free(&a, s->all);
    sgi_free(&a, s->tab);
    sgi_free(&a, s->todo);
    sgi_free(&a, s->busy);
    json_object_put(s->zero);
    sgi_regex_cache_free(s->rx);
    sgi_free(&a, s);
}

const sg_allocator *sgi_schema_session_alloc(const sgi_schema_session *s) { return &s->alloc; }

static idrec *lookup(const sgi_schema_session *s, const char *uri)
{
    idrec *r = ids_get(s->ids, uri);
    return r ? r : ids_get(s->set->ids, uri);
}

/* Count DOC as used. 0 when that would pass limits.max_schema_documents. */
static int use_doc(sgi_schema_session *s, const sg_document *doc, int *oom)
{
    *oom = 0;
    for (size_t i = 0; i < s->nused; i++)
        if (s->used[i] == doc)
            return 1;
    if (s->nused >= s->opts->limits.max_schema_documents)
        return 0;
    if (s->nused == s->used_cap) {
        size_t ncap = s->used_cap ? s->used_cap * 2 : 8;
        const sg_document **nu = sgi_realloc(&s->alloc, s->used, ncap * sizeof *nu);
        if (!nu) {
            *oom = 1;
            return 0;
        }
        s->used = nu;
        s->used_cap = ncap;
    }
    s->used[s->nused++] = doc;
    return 1;
}

static sg_status fill_loc(const sg_allocator *a, schema_loc *out, const idrec *r)
{
    memset(out, 0, sizeof *out);
    out->doc = r->doc;
    out->node = r->node;
    out->parent = r->parent;
    out->slot = r->slot;
    out->pointer = sgi_strdup(a, r->pointer);
    out->base = sgi_strdup(a, r->base);
    if (!out->pointer || !out->base) {
        loc_fini(a, out);
        return SG_ENOMEM;
    }
    return SG_OK;
}

/* The location of the root of SCHEMA (NULL: the embedded Swagger 2.0
 * schema). SG_OK or SG_ENOMEM. */
static sg_status session_root(sgi_schema_session *s, const sg_document *schema, schema_loc *out)
{
    int oom;
    memset(out, 0, sizeof *out);
    if (!schema)
        schema = s->set->docs[1].doc; /* Swagger 2.0 (sg_schema_set_new) */
    for (size_t i = 0; i < s->set->ndocs; i++) {
        if (s->set->docs[i].doc != schema)
            continue;
        idrec *r = ids_get(s->set->ids, s->set->docs[i].uri);
        if (!r)
            return SG_EINTERNAL;
        use_doc(s, schema, &oom);
        return oom ? SG_ENOMEM : fill_loc(&s->alloc, out, r);
    }
    if (!s->ids && !(s->ids = lh_kchar_table_new(16, idrec_free)))
        return SG_ENOMEM;
    sg_status st = index_doc(s->ids, &s->alloc, ROOT_URI, schema);
    if (st != SG_OK)
        return st;
    use_doc(s, schema, &oom);
    return oom ? SG_ENOMEM : fill_loc(&s->alloc, out, ids_get(s->ids, ROOT_URI));
}

/* Load the mapped file that URI (no fragment) names into the set. SG_OK
 * with *R set, or *R NULL and WHY filled. */
static sg_status load_mapped(sgi_schema_session *s, const char *uri, idrec **r, char *why,
                             size_t cap)
{
    sg_schema_set *set = s->set;
    const ref_map *m = NULL;
    size_t best = 0;
    *r = NULL;
    for (size_t i = 0; i < set->nmaps; i++) {
        size_t n = strlen(set->maps[i].prefix);
        if (n >= best && strncmp(uri, set->maps[i].prefix, n) == 0) {
            m = &set->maps[i];
            best = n;
        }
    }
    if (!m) {
        uparts u;
        uri_split(uri, &u);
        int web = (u.scheme_len == 4 && strncmp(u.scheme, "http", 4) == 0) ||
                  (u.scheme_len == 5 && strncmp(u.scheme, "https", 5) == 0);
        if (web)
            snprintf(why, cap,
                     "not available offline (swaggate never uses the network); "
                     "register it or map its prefix to a folder (--ref-map)");
        else
            snprintf(why, cap, "no schema is known by this URI");
        return SG_OK;
    }
    const char *rest = uri + best;
    int bad;
    if (strchr(rest, '?')) {
        snprintf(why, cap, "a URI with a query does not name a file under %s", m->prefix);
        return SG_OK;
    }
    char *rel = percent_decode(&s->alloc, rest, strlen(rest), &bad);
    if (!rel) {
        if (!bad)
            return SG_ENOMEM;
        snprintf(why, cap, "bad percent-encoding in the URI");
        return SG_OK;
    }
    size_t len = strlen(m->dir) + strlen(rel) + 2;
    char *path = sgi_malloc(&s->alloc, len);
    if (!path) {
        sgi_free(&s->alloc, rel);
        return SG_ENOMEM;
    }
    snprintf(path, len, "%s/%s", m->dir, rel);
    sgi_free(&s->alloc, rel);
    char rbuf[PATH_MAX];
    char *real = realpath(path, rbuf);
    size_t dn = strlen(m->dir);
    struct stat sb;
    sg_status st = SG_OK;
    if (!real && errno == ENOMEM) {
        st = SG_ENOMEM;
    } else if (!real) {
        char ebuf[128];
        snprintf(why, cap, "mapped to %s, which cannot be opened: %s", path,
                 sgi_strerror(errno, ebuf, sizeof ebuf));
    } else if (strncmp(real, m->dir, dn) != 0 || real[dn] != '/') {
        snprintf(why, cap, "mapped to %s, which leaves the folder mapped for %s", path, m->prefix);
    } else if (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(why, cap, "mapped to %s, which is not a regular file", path);
    } else {
        sg_document *doc = NULL;
        /* Checked before reading: the limit bounds the work. */
        if (s->nused >= s->opts->limits.max_schema_documents) {
            snprintf(why, cap,
                     "more than %llu schema documents; raise the limit with "
                     "--limit schema-documents=N",
                     (unsigned long long)s->opts->limits.max_schema_documents);
        } else {
            /* The set keeps the document: it is allocated as the set is. */
            sg_options o = *s->opts;
            o.allocator = &set->alloc;
            st = sg_document_load(real, &o, s->diags, &doc);
            if (st == SG_EINPUT) {
                snprintf(why, cap, "mapped to %s, which is not usable (see its diagnostics)", real);
                st = SG_OK;
            } else if (st == SG_OK) {
                st = add_doc(set, uri, doc, doc);
                if (st != SG_OK)
                    sg_document_free(doc);
                else
                    *r = ids_get(set->ids, uri);
            }
        }
    }
    sgi_free(&s->alloc, path);
    return st;
}

/* Walk the JSON Pointer TEXT (percent-decoded already) from OUT's node,
 * updating OUT. 0 with WHY filled when it names nothing. */
static int walk_pointer(const sg_allocator *a, schema_loc *out, const char *text, char *why,
                        size_t cap, int *oom)
{
    sgi_buf ptr = {.alloc = a}, tok = {.alloc = a};
    const char *p = text;
    int ok = 1;
    sgi_buf_puts(&ptr, out->pointer);
    while (ok && *p == '/') {
        const char *s = p + 1, *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        p = s + n;
        tok.len = 0;
        sgi_buf_puts(&tok, "");
        for (size_t i = 0; i < n; i++) {
            if (s[i] != '~') {
                sgi_buf_append(&tok, s + i, 1);
            } else if (i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
                sgi_buf_append(&tok, s[++i] == '0' ? "~" : "/", 1);
            } else {
                snprintf(why, cap, "bad escape in the JSON Pointer (only ~0 and ~1 are defined)");
                ok = 0;
                break;
            }
        }
        if (!ok || tok.oom)
            break;
        struct json_object *cur = out->node;
        if (json_object_is_type(cur, json_type_object)) {
            struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(cur), tok.data);
            if (!le) {
                snprintf(why, cap, "the JSON Pointer names no member of an object");
                ok = 0;
                break;
            }
            out->parent = cur;
            out->slot = (uintptr_t)le->k;
            out->node = (struct json_object *)le->v;
        } else if (json_object_is_type(cur, json_type_array)) {
            size_t idx = 0;
            int digits = tok.len > 0 && tok.len <= 18 && (tok.len == 1 || tok.data[0] != '0');
            for (size_t i = 0; digits && i < tok.len; i++) {
                digits = is_digit((unsigned char)tok.data[i]);
                idx = idx * 10 + (size_t)(tok.data[i] - '0');
            }
            if (!digits || idx >= json_object_array_length(cur)) {
                snprintf(why, cap, "the JSON Pointer names no element of an array");
                ok = 0;
                break;
            }
            out->parent = cur;
            out->slot = idx;
            out->node = json_object_array_get_idx(cur, idx);
        } else {
            snprintf(why, cap,
                     "the JSON Pointer goes through a value that is not an object or array");
            ok = 0;
            break;
        }
        sgi_buf_append(&ptr, "/", 1);
        sgi_pointer_append(&ptr, tok.data, tok.len);
        const char *id = scope_id(out->node);
        if (id) {
            char *nb = sgi_uri_resolve_a(a, out->base, id);
            if (!nb) {
                tok.oom = 1;
                break;
            }
            sgi_free(a, out->base);
            out->base = nb;
        }
    }
    if (ok && *p != '\0' && !tok.oom && !ptr.oom) {
        snprintf(why, cap, "a JSON Pointer fragment starts with '/'");
        ok = 0;
    }
    *oom = tok.oom || ptr.oom;
    if (ok && !*oom) {
        sgi_free(a, out->pointer);
        out->pointer = ptr.data;
        ptr.data = NULL;
    }
    sgi_buf_fini(&ptr);
    sgi_buf_fini(&tok);
    return ok && !*oom;
}

/* Find the schema at the absolute URI (its fragment empty, a JSON Pointer or
 * a location-independent id). SG_OK with *FOUND 1 and OUT filled, or *FOUND 0
 * and the reason in WHY; SG_ENOMEM. */
static sg_status session_find(sgi_schema_session *s, const char *uri, schema_loc *out, int *found,
                              char *why, size_t whycap)
{
    const char *hash = strchr(uri, '#');
    const char *frag = hash ? hash + 1 : "";
    size_t dlen = hash ? (size_t)(hash - uri) : strlen(uri);
    idrec *r = NULL;
    int oom = 0;
    sg_status st = SG_OK;
    *found = 0;
    memset(out, 0, sizeof *out);
    why[0] = '\0';
    if (*frag && *frag != '/') {
        /* A location-independent id ("#foo"), declared as such. */
        if (!(r = lookup(s, uri))) {
            snprintf(why, whycap, "no schema declares this id");
            return SG_OK;
        }
    } else {
        char *docpart = sgi_malloc(&s->alloc, dlen + 1);
        if (!docpart)
            return SG_ENOMEM;
        memcpy(docpart, uri, dlen);
        docpart[dlen] = '\0';
        r = lookup(s, docpart);
        if (!r)
            st = load_mapped(s, docpart, &r, why, whycap);
        sgi_free(&s->alloc, docpart);
        if (st != SG_OK || !r)
            return st;
    }
    if (!use_doc(s, r->doc, &oom)) {
        if (oom)
            return SG_ENOMEM;
        snprintf(why, whycap,
                 "more than %llu schema documents; raise the limit with "
                 "--limit schema-documents=N",
                 (unsigned long long)s->opts->limits.max_schema_documents);
        return SG_OK;
    }
    if ((st = fill_loc(&s->alloc, out, r)) != SG_OK)
        return st;
    if (*frag == '/') {
        int bad;
        char *text = percent_decode(&s->alloc, frag, strlen(frag), &bad);
        if (!text) {
            loc_fini(&s->alloc, out);
            if (!bad)
                return SG_ENOMEM;
            snprintf(why, whycap, "bad percent-encoding in the fragment");
            return SG_OK;
        }
        int ok = walk_pointer(&s->alloc, out, text, why, whycap, &oom);
        sgi_free(&s->alloc, text);
        if (!ok) {
            loc_fini(&s->alloc, out);
            return oom ? SG_ENOMEM : SG_OK;
        }
    }
    *found = 1;
    return SG_OK;
}

/* ---- compile ---------------------------------------------------------------- */

static void *oom(sgi_schema_session *c)
{
    c->st = SG_ENOMEM;
    return NULL;
}

static int grow(sgi_schema_session *c, void **arr, size_t *cap, size_t need, size_t size)
{
    return sgi_grow_a(&c->alloc, arr, cap, need, size) || oom(c) != NULL;
}

static const struct {
    const char *name;
    unsigned bit;
} types[] = {{"object", SGI_T_OBJECT}, {"array", SGI_T_ARRAY},     {"string", SGI_T_STRING},
             {"number", SGI_T_NUMBER}, {"integer", SGI_T_INTEGER}, {"boolean", SGI_T_BOOLEAN},
             {"null", SGI_T_NULL}};
#define NTYPES (sizeof types / sizeof types[0])

void sgi_schema_where(const sgi_schema_session *c, const sch *s, char *buf, size_t cap)
{
    if (s->doc == c->root_doc)
        snprintf(buf, cap, "#%s", s->ptr);
    else
        snprintf(buf, cap, "%s#%s", sg_document_name(s->doc), s->ptr);
}

static sg_status vbad(sgi_schema_session *c, const sch *s, const void *parent, uintptr_t slot,
                      int at_key, const char *sub, sg_severity sev, const char *fmt, va_list ap)
{
    char *msg = sgi_vformat_a(&c->alloc, fmt, ap);
    sgi_buf p = {.alloc = &c->alloc};
    sg_status st = SG_ENOMEM;
    sgi_buf_puts(&p, s->ptr);
    if (sub)
        sgi_buf_puts(&p, sub);
    if (msg && !p.oom)
        st = sgi_doc_diag(s->doc, c->diags, sev, RULE_BAD, parent, slot, at_key, p.data, NULL, "%s",
                          msg);
    sgi_free(&c->alloc, msg);
    sgi_buf_fini(&p);
    return st;
}

sg_status sgi_schema_bad(sgi_schema_session *c, const sch *s, const void *parent, uintptr_t slot,
                         int at_key, const char *sub, sg_severity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sg_status st = vbad(c, s, parent, slot, at_key, sub, sev, fmt, ap);
    va_end(ap);
    return st;
}

/* A problem of the schema itself, at PARENT/SLOT of S's document; SUB is
 * appended to S's pointer. */
static void bad(sgi_schema_session *c, const sch *s, const void *parent, uintptr_t slot, int at_key,
                const char *sub, sg_severity sev, const char *fmt, ...) SGI_PRINTF(8, 9);
static NOINLINE void bad(sgi_schema_session *c, const sch *s, const void *parent, uintptr_t slot,
                         int at_key, const char *sub, sg_severity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vbad(c, s, parent, slot, at_key, sub, sev, fmt, ap) != SG_OK)
        oom(c);
    va_end(ap);
}

static sch *compile(sgi_schema_session *c, const sg_document *doc, jo *node, const void *parent,
                    uintptr_t slot, const char *ptr, const char *base);

static size_t hash_ptr(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

static sch *cache_get(const sgi_schema_session *c, jo *node)
{
    if (!c->tab_cap)
        return NULL;
    for (size_t i = hash_ptr(node) & (c->tab_cap - 1);; i = (i + 1) & (c->tab_cap - 1)) {
        if (!c->tab[i].node)
            return NULL;
        if (c->tab[i].node == node)
            return c->tab[i].s;
    }
}

static int cache_put(sgi_schema_session *c, jo *node, sch *s)
{
    if ((c->tab_n + 1) * 2 > c->tab_cap) {
        size_t ncap = c->tab_cap ? c->tab_cap * 2 : 256;
        struct slotent *nt = sgi_calloc(&c->alloc, ncap, sizeof *nt);
        if (!nt)
            return oom(c) != NULL;
        for (size_t i = 0; i < c->tab_cap; i++) {
            if (!c->tab[i].node)
                continue;
            size_t j = hash_ptr(c->tab[i].node) & (ncap - 1);
            while (nt[j].node)
                j = (j + 1) & (ncap - 1);
            nt[j] = c->tab[i];
        }
        sgi_free(&c->alloc, c->tab);
        c->tab = nt;
        c->tab_cap = ncap;
    }
    size_t j = hash_ptr(node) & (c->tab_cap - 1);
    while (c->tab[j].node)
        j = (j + 1) & (c->tab_cap - 1);
    c->tab[j].node = node;
    c->tab[j].s = s;
    c->tab_n++;
    return 1;
}

static void sch_free(const sg_allocator *a, sch *s)
{
    sgi_free(a, s->ptr);
    sgi_free(a, s->base);
    sgi_free(a, s->enum_hash);
    sgi_free(a, s->tuple_of);
    sgi_free(a, s->required);
    if (s->props)
        lh_table_free(s->props);
    sgi_free(a, s->prop_names);
    sgi_free(a, s->pprops);
    sgi_free(a, s->deps);
    sgi_free(a, s->all_of);
    sgi_free(a, s->any_of);
    sgi_free(a, s->one_of);
    sgi_free(a, s);
}

/* The subschema V of S at KEY (and KEY2, for members of properties etc.). */
static sch *sub(sgi_schema_session *c, sch *s, jo *v, const void *parent, uintptr_t slot,
                const char *key, const char *key2)
{
    sgi_buf p = {.alloc = &c->alloc};
    sgi_buf_puts(&p, s->ptr);
    sgi_buf_append(&p, "/", 1);
    sgi_pointer_append(&p, key, strlen(key));
    if (key2) {
        sgi_buf_append(&p, "/", 1);
        sgi_pointer_append(&p, key2, strlen(key2));
    }
    sch *r = p.oom ? oom(c) : compile(c, s->doc, v, parent, slot, p.data, s->base);
    sgi_buf_fini(&p);
    return r ? r : &c->empty;
}

static int is_number(jo *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* A non-negative integer keyword, or -1 with a finding. Integers past 64
 * bits mean "no practical limit". */
static NOINLINE int64_t count_kw(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks, const char *k)
{
    if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
        return json_object_get_int64(v);
    if (json_object_is_type(v, json_type_double) && sgi_number_is_integer(v) &&
        sgi_number_cmp(v, c->zero) >= 0)
        return INT64_MAX;
    char d[512];
    sgi_schema_describe(v, (size_t)c->opts->limits.excerpt_chars, d, sizeof d);
    bad(c, s, s->node, ks, 0, k, SG_SEVERITY_ERROR,
        "%s must be a non-negative integer, not %s; it is ignored", k + 1, d);
    return -1;
}

static int literal_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch >= 0x80 || strchr("_-/:@ =,<>!%&~'\"#;", ch) != NULL;
}

/* Compile PAT (a pattern or a patternProperties key) at PARENT/SLOT. */
static NOINLINE void compile_pattern(sgi_schema_session *c, sch *s, pattern *pat, const char *text,
                                     size_t len, const void *parent, uintptr_t slot, int at_key,
                                     const char *sub_ptr)
{
    pat->text = text;
    pat->len = len;
    size_t a = len > 0 && text[0] == '^', z = len;
    if (len > a && text[len - 1] == '$' && (len < 2 || text[len - 2] != '\\'))
        z = len - 1;
    int lit = len <= 256;
    for (size_t i = a; lit && i < z; i++)
        lit = literal_char((unsigned char)text[i]);
    if (lit && (z == len || a)) {
        pat->literal = z < len ? SGI_LIT_EXACT : a ? SGI_LIT_PREFIX : SGI_LIT_SUBSTRING;
        return;
    }
    char err[256];
    size_t off = 0;
    err[0] = '\0';
    pat->re = sgi_regex_get(c->rx, text, len, err, sizeof err, &off);
    if (!pat->re && err[0] == '\0') {
        oom(c);
        return;
    }
    char ex[300];
    sgi_excerpt(ex, sizeof ex, text, len, (size_t)c->opts->limits.excerpt_chars);
    if (!pat->re)
        bad(c, s, parent, slot, at_key, sub_ptr, SG_SEVERITY_ERROR,
            "invalid regular expression /%s/: %s (at byte %zu of the pattern)", ex, err, off);
    else if (sgi_regex_non_ecma(text, len))
        bad(c, s, parent, slot, at_key, sub_ptr, SG_SEVERITY_WARNING,
            "the pattern /%s/ uses syntax that ECMA-262 (the dialect JSON Schema names) does "
            "not have; other tools will reject it or match differently",
            ex);
}

/* Whether ARR repeats a value (items *I < *J, the first repeat found), by
 * hashing and sorting: huge enums and required lists stay n log n. -1 when
 * out of memory. */
static int has_duplicate(const sg_allocator *al, jo *arr, size_t *i, size_t *j)
{
    size_t n = json_object_array_length(arr);
    sgi_hidx *hs = sgi_json_hash_sorted_a(al, arr);
    int found = 0;
    if (!hs)
        return -1;
    for (size_t a = 1; a < n && !found; a++)
        for (size_t b = a; b > 0 && hs[b - 1].h == hs[a].h && !found; b--)
            if (sgi_json_equal(json_object_array_get_idx(arr, hs[b - 1].i),
                               json_object_array_get_idx(arr, hs[a].i))) {
                found = 1;
                *i = hs[b - 1].i;
                *j = hs[a].i;
            }
    sgi_free(al, hs);
    return found;
}

/* A non-empty array of distinct strings (required, property dependencies). */
static int string_set(sgi_schema_session *c, jo *arr)
{
    size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0, i, j;
    for (size_t k = 0; k < n; k++)
        if (!json_object_is_type(json_object_array_get_idx(arr, k), json_type_string))
            return 0;
    int dup = n ? has_duplicate(&c->alloc, arr, &i, &j) : 1;
    if (dup < 0)
        oom(c);
    return dup == 0;
}

static sch **schema_array(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks, const char *k,
                          size_t *n)
{
    *n = 0;
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0) {
        bad(c, s, s->node, ks, 0, k, SG_SEVERITY_ERROR,
            "%s must be a non-empty array of schemas; it is ignored", k + 1);
        return NULL;
    }
    size_t len = json_object_array_length(v);
    sch **arr = sgi_calloc(&c->alloc, len, sizeof *arr);
    if (!arr)
        return oom(c);
    for (size_t i = 0; i < len; i++) {
        char idx[32];
        snprintf(idx, sizeof idx, "%zu", i);
        arr[i] = sub(c, s, json_object_array_get_idx(v, i), v, i, k + 1, idx);
    }
    *n = len;
    return arr;
}

static NOINLINE void kw_type(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks)
{
    static const char *const names[] = {"array",  "boolean", "integer", "null",
                                        "number", "object",  "string"};
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;
    unsigned bits = 0;
    int ok = json_object_is_type(v, json_type_string) ||
             (json_object_is_type(v, json_type_array) && n > 0);
    for (size_t i = 0; ok && i < n; i++) {
        jo *t = json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, i) : v;
        unsigned bit = 0;
        for (size_t k = 0; json_object_is_type(t, json_type_string) && k < NTYPES; k++)
            if (!strcmp(json_object_get_string(t), types[k].name))
                bit = types[k].bit;
        if (!bit || (bits & bit)) {
            char ex[200];
            const char *dym = json_object_is_type(t, json_type_string)
                                  ? sgi_schema_did_you_mean(json_object_get_string(t), names, 7)
                                  : NULL;
            sgi_schema_excerpt_json(&c->alloc, t, ex, sizeof ex, 40);
            bad(c, s, json_object_is_type(v, json_type_array) ? (const void *)v : s->node,
                json_object_is_type(v, json_type_array) ? i : ks, 0, "/type", SG_SEVERITY_ERROR,
                "%s %s in type; expected array, boolean, integer, null, number, object or "
                "string%s%s%s",
                bit ? "repeated" : "unknown type", ex, dym ? " (did you mean \"" : "",
                dym ? dym : "", dym ? "\"?)" : "");
            return;
        }
        bits |= bit;
    }
    if (!ok) {
        bad(c, s, s->node, ks, 0, "/type", SG_SEVERITY_ERROR,
            "type must be a type name or a non-empty array of them; it is ignored");
        return;
    }
    s->types = bits;
}

static NOINLINE void kw_enum(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks)
{
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    if (n == 0) {
        bad(c, s, s->node, ks, 0, "/enum", SG_SEVERITY_ERROR,
            "enum must be a non-empty array; it is ignored");
        return;
    }
    if (!(s->enum_hash = sgi_malloc(&c->alloc, n * sizeof *s->enum_hash))) {
        oom(c);
        return;
    }
    for (size_t i = 0; i < n; i++)
        s->enum_hash[i] = sgi_json_hash(json_object_array_get_idx(v, i));
    size_t i, j;
    int dup = has_duplicate(&c->alloc, v, &i, &j);
    if (dup < 0)
        oom(c);
    else if (dup)
        bad(c, s, v, j, 0, "/enum", SG_SEVERITY_ERROR,
            "enum lists the same value twice (items %zu and %zu); list each once", i, j);
    s->enum_ = v;
    s->nenum = n;
}

static void kw_object_of_schemas(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks, const char *k)
{
    if (!json_object_is_type(v, json_type_object)) {
        bad(c, s, s->node, ks, 0, k, SG_SEVERITY_ERROR,
            "%s must be an object of schemas; it is ignored", k + 1);
        return;
    }
    struct lh_table *t = json_object_get_object(v);
    size_t n = (size_t)lh_table_length(t), i = 0;
    int is_props = !strcmp(k, "/properties"), is_pp = !strcmp(k, "/patternProperties");
    if (is_props) {
        s->props = lh_kchar_table_new(n < 8 ? 16 : (int)(n * 2), NULL);
        s->prop_names = sgi_calloc(&c->alloc, n ? n : 1, sizeof *s->prop_names);
        if (!s->props || !s->prop_names) {
            oom(c);
            return;
        }
    } else if (is_pp && !(s->pprops = sgi_calloc(&c->alloc, n ? n : 1, sizeof *s->pprops))) {
        oom(c);
        return;
    }
    for (struct lh_entry *e = t->head; e && c->st == SG_OK; e = e->next, i++) {
        const char *key = (const char *)e->k;
        sch *child = sub(c, s, (jo *)e->v, v, (uintptr_t)e->k, k + 1, key);
        if (is_props) {
            s->prop_names[s->nprops++] = key;
            if (lh_table_insert(s->props, key, child) != 0)
                oom(c);
        } else if (is_pp) {
            sgi_buf p = {.alloc = &c->alloc};
            sgi_buf_puts(&p, "/patternProperties/");
            sgi_pointer_append(&p, key, strlen(key));
            pprop *pp = &s->pprops[s->npprops++];
            pp->s = child;
            if (p.oom)
                oom(c);
            else
                compile_pattern(c, s, &pp->pat, key, strlen(key), v, (uintptr_t)e->k, 1, p.data);
            sgi_buf_fini(&p);
        }
    }
}

static void kw_dependencies(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks)
{
    if (!json_object_is_type(v, json_type_object)) {
        bad(c, s, s->node, ks, 0, "/dependencies", SG_SEVERITY_ERROR,
            "dependencies must be an object; it is ignored");
        return;
    }
    struct lh_table *t = json_object_get_object(v);
    if (!(s->deps = sgi_calloc(&c->alloc, (size_t)lh_table_length(t) + 1, sizeof *s->deps))) {
        oom(c);
        return;
    }
    for (struct lh_entry *e = t->head; e && c->st == SG_OK; e = e->next) {
        jo *d = (jo *)e->v;
        dep *dp = &s->deps[s->ndeps];
        dp->name = (const char *)e->k;
        if (string_set(c, d)) {
            dp->names = d;
        } else if (json_object_is_type(d, json_type_object)) {
            dp->s = sub(c, s, d, v, (uintptr_t)e->k, "dependencies", dp->name);
        } else {
            sgi_buf p = {.alloc = &c->alloc};
            sgi_buf_puts(&p, "/dependencies/");
            sgi_pointer_append(&p, dp->name, strlen(dp->name));
            bad(c, s, v, (uintptr_t)e->k, 0, p.oom ? "" : p.data, SG_SEVERITY_ERROR,
                "a dependency must be a schema or a non-empty array of distinct property "
                "names; it is ignored");
            sgi_buf_fini(&p);
            continue;
        }
        s->ndeps++;
    }
}

static int bool_kw(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks, const char *k)
{
    if (json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v);
    bad(c, s, s->node, ks, 0, k, SG_SEVERITY_ERROR, "%s must be true or false; it is ignored",
        k + 1);
    return 0;
}

/* additionalItems / additionalProperties: false, or a schema. */
static sch *addl_kw(sgi_schema_session *c, sch *s, jo *v, uintptr_t ks, const char *k,
                    int *is_false)
{
    if (json_object_is_type(v, json_type_boolean)) {
        *is_false = !json_object_get_boolean(v);
        return NULL;
    }
    if (json_object_is_type(v, json_type_object))
        return sub(c, s, v, s->node, ks, k + 1, NULL);
    bad(c, s, s->node, ks, 0, k, SG_SEVERITY_ERROR,
        "%s must be a boolean or a schema; it is ignored", k + 1);
    return NULL;
}

/* One keyword K (value V, key slot KS) of schema S. */
static void keyword(sgi_schema_session *c, sch *s, const char *k, jo *v, uintptr_t ks)
{
    char kp[64];
    snprintf(kp, sizeof kp, "/%s", k);
    if (!strcmp(k, "type")) {
        kw_type(c, s, v, ks);
    } else if (!strcmp(k, "enum")) {
        kw_enum(c, s, v, ks);
    } else if (!strcmp(k, "multipleOf")) {
        if (is_number(v) && sgi_number_cmp(v, c->zero) > 0)
            s->multiple_of = v, s->has |= SGI_H_NUM;
        else
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR,
                "multipleOf must be a number greater than 0; it is ignored");
    } else if (!strcmp(k, "maximum") || !strcmp(k, "minimum")) {
        if (!is_number(v))
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR, "%s must be a number; it is ignored",
                k);
        else if (k[1] == 'a')
            s->maximum = v, s->has |= SGI_H_NUM;
        else
            s->minimum = v, s->has |= SGI_H_NUM;
    } else if (!strcmp(k, "exclusiveMaximum")) {
        s->excl_max = bool_kw(c, s, v, ks, kp);
    } else if (!strcmp(k, "exclusiveMinimum")) {
        s->excl_min = bool_kw(c, s, v, ks, kp);
    } else if (!strcmp(k, "maxLength") || !strcmp(k, "minLength")) {
        int64_t n = count_kw(c, s, v, ks, kp);
        *(k[1] == 'a' ? &s->max_len : &s->min_len) = n;
        s->has |= n >= 0 ? SGI_H_STR : 0;
    } else if (!strcmp(k, "maxItems") || !strcmp(k, "minItems")) {
        int64_t n = count_kw(c, s, v, ks, kp);
        *(k[1] == 'a' ? &s->max_items : &s->min_items) = n;
        s->has |= n >= 0 ? SGI_H_ARR : 0;
    } else if (!strcmp(k, "maxProperties") || !strcmp(k, "minProperties")) {
        int64_t n = count_kw(c, s, v, ks, kp);
        *(k[1] == 'a' ? &s->max_props : &s->min_props) = n;
        s->has |= n >= 0 ? SGI_H_OBJ : 0;
    } else if (!strcmp(k, "pattern")) {
        if (!json_object_is_type(v, json_type_string)) {
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR,
                "pattern must be a string; it is ignored");
            return;
        }
        compile_pattern(c, s, &s->pat, json_object_get_string(v),
                        (size_t)json_object_get_string_len(v), s->node, ks, 0, kp);
        s->has_pat = s->pat.re != NULL || s->pat.literal != SGI_LIT_NONE;
        s->has |= s->has_pat ? SGI_H_STR : 0;
    } else if (!strcmp(k, "format")) {
        if (json_object_is_type(v, json_type_string))
            s->format = json_object_get_string(v), s->has |= SGI_H_STR;
        else
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR,
                "format must be a string; it is ignored");
    } else if (!strcmp(k, "items")) {
        s->has |= SGI_H_ARR;
        if (json_object_is_type(v, json_type_array))
            s->tuple_of = schema_array(c, s, v, ks, kp, &s->ntuple), s->tuple = 1;
        else if (json_object_is_type(v, json_type_object))
            s->items = sub(c, s, v, s->node, ks, k, NULL);
        else
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR,
                "items must be a schema or an array of schemas; it is ignored");
    } else if (!strcmp(k, "additionalItems")) {
        s->addl_items = addl_kw(c, s, v, ks, kp, &s->addl_items_false);
    } else if (!strcmp(k, "uniqueItems")) {
        s->unique = bool_kw(c, s, v, ks, kp);
        s->has |= s->unique ? SGI_H_ARR : 0;
    } else if (!strcmp(k, "required")) {
        size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
        if (!string_set(c, v)) {
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR,
                "required must be a non-empty array of distinct property names; it is ignored");
            return;
        }
        if (!(s->required = sgi_malloc(&c->alloc, n * sizeof *s->required))) {
            oom(c);
            return;
        }
        for (size_t i = 0; i < n; i++)
            s->required[i] = json_object_get_string(json_object_array_get_idx(v, i));
        s->nrequired = n;
        s->has |= SGI_H_OBJ;
    } else if (!strcmp(k, "properties") || !strcmp(k, "patternProperties") ||
               !strcmp(k, "definitions")) {
        kw_object_of_schemas(c, s, v, ks, kp);
        s->has |= k[0] == 'd' ? 0 : SGI_H_OBJ;
    } else if (!strcmp(k, "additionalProperties")) {
        s->addl_props = addl_kw(c, s, v, ks, kp, &s->addl_props_false);
        s->has |= SGI_H_OBJ;
    } else if (!strcmp(k, "dependencies")) {
        kw_dependencies(c, s, v, ks);
        s->has |= SGI_H_OBJ;
    } else if (!strcmp(k, "allOf")) {
        s->all_of = schema_array(c, s, v, ks, kp, &s->nall), s->has |= SGI_H_COMB;
    } else if (!strcmp(k, "anyOf")) {
        s->any_of = schema_array(c, s, v, ks, kp, &s->nany), s->has |= SGI_H_COMB;
    } else if (!strcmp(k, "oneOf")) {
        s->one_of = schema_array(c, s, v, ks, kp, &s->none), s->has |= SGI_H_COMB;
    } else if (!strcmp(k, "not")) {
        s->not_ = sub(c, s, v, s->node, ks, k, NULL), s->has |= SGI_H_COMB;
    } else if (!strcmp(k, "id") || !strcmp(k, "$schema") || !strcmp(k, "title") ||
               !strcmp(k, "description")) {
        if (!json_object_is_type(v, json_type_string))
            bad(c, s, s->node, ks, 0, kp, SG_SEVERITY_ERROR, "%s must be a string", k);
    }
}

/* Whether S may apply several schemas to one value: combinators, schema
 * dependencies, or a member name that properties and patternProperties, or
 * two patterns, can both claim. Swagger's "^x-" beside named properties
 * does not: its objects need no memo of verdicts (see eval in schema.c). */
static int fans_out(sgi_schema_session *c, const sch *s)
{
    if (s->has & SGI_H_COMB)
        return 1;
    for (size_t i = 0; i < s->ndeps; i++)
        if (s->deps[i].s)
            return 1;
    for (size_t i = 0; i < s->npprops; i++) {
        const pattern *p = &s->pprops[i].pat;
        for (size_t k = 0; k < s->nprops; k++)
            if (sgi_schema_match(c, p, s->prop_names[k], strlen(s->prop_names[k])) != 0)
                return 1;
        for (size_t j = i + 1; j < s->npprops; j++) {
            const pattern *q = &s->pprops[j].pat;
            size_t n = p->len < q->len ? p->len : q->len;
            /* Two literal prefixes overlap only when one extends the other. */
            if (p->literal != SGI_LIT_PREFIX || q->literal != SGI_LIT_PREFIX ||
                memcmp(p->text, q->text, n) == 0)
                return 1;
        }
    }
    return 0;
}

static NOINLINE void not_a_schema(sgi_schema_session *c, const sg_document *doc, jo *node,
                                  const void *parent, uintptr_t slot, const char *ptr)
{
    sch where_ = {0};
    char d[512];
    where_.doc = doc;
    where_.ptr = (char *)ptr;
    sgi_schema_describe(node, (size_t)c->opts->limits.excerpt_chars, d, sizeof d);
    bad(c, &where_, parent, slot, 0, NULL, SG_SEVERITY_ERROR,
        "a schema must be an object, not %s; it is ignored", d);
}

static sch *compile(sgi_schema_session *c, const sg_document *doc, jo *node, const void *parent,
                    uintptr_t slot, const char *ptr, const char *base)
{
    if (c->st != SG_OK)
        return &c->empty;
    sch *s = cache_get(c, node);
    if (s)
        return s;
    if (!json_object_is_type(node, json_type_object)) {
        not_a_schema(c, doc, node, parent, slot, ptr);
        return &c->empty;
    }
    if (!(s = sgi_calloc(&c->alloc, 1, sizeof *s)) ||
        !grow(c, (void **)&c->all, &c->all_cap, c->nall + 1, sizeof *c->all)) {
        sgi_free(&c->alloc, s);
        oom(c);
        return &c->empty;
    }
    c->all[c->nall++] = s;
    s->node = node;
    s->doc = doc;
    s->parent = parent;
    s->slot = slot;
    s->max_len = s->min_len = s->max_items = s->min_items = s->max_props = s->min_props = -1;
    s->ptr = sgi_strdup(&c->alloc, ptr);
    struct lh_table *t = json_object_get_object(node);
    struct lh_entry *re = lh_table_lookup_entry(t, "$ref");
    jo *id = NULL;
    json_object_object_get_ex(node, "id", &id);
    /* Siblings of $ref are ignored, "id" included (JSON Reference). */
    s->base = re || !json_object_is_type(id, json_type_string)
                  ? sgi_strdup(&c->alloc, base)
                  : sgi_uri_resolve_a(&c->alloc, base, json_object_get_string(id));
    if (!s->ptr || !s->base || !cache_put(c, node, s)) {
        oom(c);
        return &c->empty;
    }
    if (re && json_object_is_type((jo *)re->v, json_type_string)) {
        s->ref = json_object_get_string((jo *)re->v);
        s->ref_slot = (uintptr_t)re->k;
        s->ref_state = SGI_REF_TODO;
        if (grow(c, (void **)&c->todo, &c->todo_cap, c->ntodo + 1, sizeof *c->todo))
            c->todo[c->ntodo++] = s;
        return s;
    }
    if (re)
        bad(c, s, node, (uintptr_t)re->k, 0, "/$ref", SG_SEVERITY_ERROR,
            "$ref must be a string (a URI reference); it is ignored");
    for (struct lh_entry *e = t->head; e && c->st == SG_OK; e = e->next)
        keyword(c, s, (const char *)e->k, (jo *)e->v, (uintptr_t)e->k);
    if (fans_out(c, s))
        s->has |= SGI_H_FAN;
    struct lh_entry *x;
    if (s->excl_max && !s->maximum && (x = lh_table_lookup_entry(t, "exclusiveMaximum")))
        bad(c, s, node, (uintptr_t)x->k, 0, "/exclusiveMaximum", SG_SEVERITY_ERROR,
            "exclusiveMaximum needs maximum next to it");
    if (s->excl_min && !s->minimum && (x = lh_table_lookup_entry(t, "exclusiveMinimum")))
        bad(c, s, node, (uintptr_t)x->k, 0, "/exclusiveMinimum", SG_SEVERITY_ERROR,
            "exclusiveMinimum needs minimum next to it");
    return s;
}

/* Where the $refs of CHAIN stand, then LAST: "#/a -> #/b -> #/a". */
static void ref_chain(const sgi_schema_session *c, sch *const *chain, size_t n, const sch *last,
                      char *buf, size_t cap)
{
    size_t o = 0;
    char w[300];
    buf[0] = '\0';
    for (size_t i = 0; i < n && o + 8 < cap; i++) {
        if (n > 8 && i == 4) {
            o += (size_t)snprintf(buf + o, cap - o, " -> ... (%zu more)", n - 8);
            i = n - 4;
        }
        sgi_schema_where(c, chain[i], w, sizeof w);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " -> " : "", w);
    }
    if (last && o + 8 < cap) {
        sgi_schema_where(c, last, w, sizeof w);
        snprintf(buf + o, cap - o, " -> %s", w);
    }
}

enum { REF_NOWHERE, REF_CYCLE, REF_HOPS, REF_HOPS_ON_THE_WAY };

/* The messages of resolve(), out of its frame: it recurses along chains.
 * REF_CYCLE: busy[FROM..] come back to S; REF_HOPS_ON_THE_WAY: the busy
 * chain is at the limit before S. */
static NOINLINE void ref_problem(sgi_schema_session *c, int kind, sch *s, size_t from,
                                 const char *abs)
{
    char chain[1200], ex[200], full[300] = "";
    if (kind == REF_NOWHERE) {
        sgi_excerpt(ex, sizeof ex, s->ref, strlen(s->ref), (size_t)c->opts->limits.excerpt_chars);
        if (strcmp(abs, s->ref) != 0) {
            char ax[260];
            sgi_excerpt(ax, sizeof ax, abs, strlen(abs), 200);
            snprintf(full, sizeof full, " (%s)", ax);
        }
        bad(c, s, s->node, s->ref_slot, 0, "/$ref", SG_SEVERITY_ERROR,
            "$ref \"%s\"%s resolves to nothing: %s", ex, full, c->why);
    } else if (kind == REF_CYCLE) {
        ref_chain(c, c->busy + from, c->nbusy - from, s, chain, sizeof chain);
        bad(c, s, s->node, s->ref_slot, 0, "/$ref", SG_SEVERITY_ERROR,
            "$ref cycle with no schema in between: %s; these refs stand for no schema", chain);
    } else if (kind == REF_HOPS) {
        sch *chain_of[16];
        size_t n = 0;
        for (sch *p = s; p && p->ref && n < 16; p = p->next)
            chain_of[n++] = p;
        ref_chain(c, chain_of, n, n < 16 ? s->target : NULL, chain, sizeof chain);
        bad(c, s, s->node, s->ref_slot, 0, "/$ref", SG_SEVERITY_ERROR,
            "more than %llu $ref hops to reach a schema (%s%s); shorten the chain or raise "
            "--limit ref-hops=N",
            (unsigned long long)c->opts->limits.max_ref_hops, chain, n == 16 ? " -> ..." : "");
    } else {
        ref_chain(c, c->busy, c->nbusy, s, chain, sizeof chain);
        bad(c, c->busy[0], c->busy[0]->node, c->busy[0]->ref_slot, 0, "/$ref", SG_SEVERITY_ERROR,
            "more than %llu $ref hops to reach a schema (%s -> ...); shorten the chain or raise "
            "--limit ref-hops=N",
            (unsigned long long)c->opts->limits.max_ref_hops, chain);
    }
}

/* Resolve the $ref of S to its final (non-$ref) schema. Recursion follows
 * chains of $refs only, and stops at limits.max_ref_hops. */
static void resolve(sgi_schema_session *c, sch *s)
{
    if (s->ref_state != SGI_REF_TODO || c->st != SG_OK)
        return;
    if (c->nbusy >= c->opts->limits.max_ref_hops) {
        ref_problem(c, REF_HOPS_ON_THE_WAY, s, 0, NULL);
        s->ref_state = SGI_REF_FAILED;
        return;
    }
    if (!grow(c, (void **)&c->busy, &c->busy_cap, c->nbusy + 1, sizeof *c->busy))
        return;
    s->ref_state = SGI_REF_BUSY;
    c->busy[c->nbusy++] = s;
    char *abs = sgi_uri_resolve_a(&c->alloc, s->base, s->ref);
    schema_loc loc;
    int found = 0;
    if (!abs || session_find(c, abs, &loc, &found, c->why, sizeof c->why) != SG_OK) {
        oom(c);
    } else if (!found) {
        ref_problem(c, REF_NOWHERE, s, 0, abs);
        s->ref_state = SGI_REF_FAILED;
    } else {
        sch *t = compile(c, loc.doc, loc.node, loc.parent, loc.slot, loc.pointer, loc.base);
        loc_fini(&c->alloc, &loc);
        if (t->ref_state == SGI_REF_TODO)
            resolve(c, t);
        if (t->ref_state == SGI_REF_BUSY) {
            size_t i = 0;
            while (c->busy[i] != t)
                i++;
            ref_problem(c, REF_CYCLE, t, i, NULL);
            s->ref_state = SGI_REF_FAILED;
        } else if (t->ref_state == SGI_REF_FAILED) {
            s->ref_state = SGI_REF_FAILED; /* reported where it failed */
        } else {
            s->next = t;
            s->target = t->ref_state == SGI_REF_DONE ? t->target : t;
            s->hops = t->ref_state == SGI_REF_DONE ? t->hops + 1 : 1;
            s->ref_state = SGI_REF_DONE;
        }
    }
    sgi_free(&c->alloc, abs);
    c->nbusy--;
    if (s->ref_state == SGI_REF_DONE && s->hops > c->opts->limits.max_ref_hops) {
        ref_problem(c, REF_HOPS, s, 0, NULL);
        s->ref_state = SGI_REF_FAILED;
    }
    if (s->ref_state == SGI_REF_BUSY)
        s->ref_state = SGI_REF_FAILED;
}

int sgi_schema_match(sgi_schema_session *c, const pattern *p, const char *s, size_t n)
{
    size_t a = p->literal != SGI_LIT_SUBSTRING, len = p->len - a - (p->literal == SGI_LIT_EXACT);
    switch (p->literal) {
    case SGI_LIT_PREFIX:
        return n >= len && memcmp(s, p->text + 1, len) == 0;
    case SGI_LIT_EXACT:
        return n == len && memcmp(s, p->text + 1, len) == 0;
    case SGI_LIT_SUBSTRING:
        for (size_t i = 0; i + len <= n; i++)
            if (memcmp(s + i, p->text, len) == 0)
                return 1;
        return 0;
    }
    return p->re ? sgi_regex_match(c->rx, p->re, s, n) : 0;
}

sgi_sch *sgi_schema_compile(sgi_schema_session *c, const sg_document *schema)
{
    schema_loc loc;
    if (c->st == SG_OK && session_root(c, schema, &loc) != SG_OK)
        oom(c);
    if (c->st != SG_OK)
        return NULL;
    c->root_doc = loc.doc;
    sch *root = compile(c, loc.doc, loc.node, loc.parent, loc.slot, loc.pointer, loc.base);
    loc_fini(&c->alloc, &loc);
    /* A worklist, not recursion: chains of documents stay off the C stack. */
    for (size_t i = 0; i < c->ntodo && c->st == SG_OK; i++)
        resolve(c, c->todo[i]);
    return c->st == SG_OK ? root : NULL;
}

/* ---- compiled schemas kept from one validation to the next ----------------
 * Compiling the embedded Swagger 2.0 schema and the apig one is about 5 M
 * instructions, a fifth of linting a small file: a set reused across files
 * (lint -j, library users, the fuzzers) keeps them. A session is kept only
 * when its compilation reported nothing (those findings would not be
 * repeated) and did not fail, and reused only under the same hooks and
 * limits; the first kept under a key stays. A validation that fails leaves
 * the compiled schemas as they were (only compiling sets a session's
 * status), so a lent session always comes back. */

static int hooks_equal(const sg_allocator *a, const sg_allocator *b)
{
    return a->malloc == b->malloc && a->realloc == b->realloc && a->free == b->free &&
           a->ud == b->ud;
}

static size_t tally(const sg_diagnostics *d)
{
    return sg_diagnostics_tally(d, SG_SEVERITY_INFO) + sg_diagnostics_tally(d, SG_SEVERITY_WARNING) +
           sg_diagnostics_tally(d, SG_SEVERITY_ERROR);
}

static int same_key(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

sgi_schema_session *sgi_schema_session_reuse(sg_schema_set *set, const char *key,
                                             const sg_options *opts, sg_diagnostics *diags,
                                             sgi_sch **root, const sg_document **doc)
{
    sg_allocator hooks;
    sgi_alloc_copy(&hooks, opts->allocator);
    for (size_t i = 0; set && i < sizeof set->warm / sizeof set->warm[0]; i++) {
        warm *w = &set->warm[i];
        if (!w->used || !w->sess || !same_key(w->key, key))
            continue;
        if (!hooks_equal(&w->sess->alloc, &hooks) ||
            memcmp(&w->limits, &opts->limits, sizeof w->limits) != 0)
            return NULL;
        sgi_schema_session *s = w->sess;
        s->opts = opts;
        s->diags = diags;
        *root = w->root;
        if (doc)
            *doc = w->doc;
        w->sess = NULL; /* lent: the slot keeps the key and the document */
        return s;
    }
    return NULL;
}

sgi_sch *sgi_schema_compile_counted(sgi_schema_session *s, const sg_document *schema, int *clean)
{
    size_t before = tally(s->diags);
    sgi_sch *root = sgi_schema_compile(s, schema);
    *clean = root && tally(s->diags) == before;
    return root;
}

static void warm_clear(warm *w)
{
    sgi_schema_session_free(w->sess); /* before the document its schemas point into */
    sg_document_free(w->doc);
    memset(w, 0, sizeof *w);
}

static void warm_forget(sg_schema_set *set)
{
    for (size_t i = 0; i < sizeof set->warm / sizeof set->warm[0]; i++)
        if (set->warm[i].sess) /* a lent one comes back to an empty slot */
            warm_clear(&set->warm[i]);
}

void sgi_schema_session_keep(sg_schema_set *set, const char *key, sgi_schema_session *sess,
                             sgi_sch *root, sg_document *doc, int clean)
{
    warm *w = NULL, *free_slot = NULL;
    for (size_t i = 0; set && i < sizeof set->warm / sizeof set->warm[0]; i++) {
        warm *c = &set->warm[i];
        if (c->used && same_key(c->key, key))
            w = c;
        else if (!c->used && !free_slot)
            free_slot = c;
    }
    int ok = set && clean && sess && root && sess->st == SG_OK;
    if (w && !w->sess && !doc) {
        /* The session lent by sgi_schema_session_reuse comes back. */
        w->sess = sess;
        w->root = root;
        if (!ok) {
            warm_clear(w);
        } else {
            sess->opts = NULL; /* the caller's: rebound at the next reuse */
            sess->diags = NULL;
        }
        return;
    }
    /* Compiled anew beside a kept one (other limits or hooks): the kept one
     * stays, and this one ends with its run. */
    if (!w)
        w = free_slot;
    if (!ok || !w || w->used) {
        sgi_schema_session_free(sess);
        sg_document_free(doc);
        return;
    }
    w->used = 1;
    w->key = key;
    w->sess = sess;
    w->root = root;
    w->doc = doc;
    w->limits = sess->opts->limits;
    sess->opts = NULL; /* the caller's: rebound at the next reuse */
    sess->diags = NULL;
}
