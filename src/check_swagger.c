/* The swagger checker, part one: the Swagger 2.0 rules a JSON Schema cannot express
 * (Swagger 2.0 specification: "Path Templating", "Operation Object"
 * (operationId, parameters), "Parameter Object", "Responses Object",
 * "Security Requirement Object", "Definitions/Parameters/Responses
 * Definitions Object"). Every rule runs in time linear in the document:
 * names are looked up in hash maps, never compared pairwise.
 *
 * This file: the entry point, locations, reports and hash maps; security
 * requirements; response codes; unused components. check_paths.c walks the
 * paths and operations, check_params.c checks one parameter, items, header
 * or schema object on its own, check_values.c says whether a default fits
 * its schema. */
#include <stdlib.h>
#include <string.h>

#include "check_swagger.h"

const sgi_sw_rule_info sgi_sw_rules[SW_RULE_COUNT] = {
    [SW_PATH_PARAM_UNDEFINED] = {"path-param-undefined", SG_SEVERITY_ERROR, "APIG.2026"},
    [SW_PATH_PARAM_UNUSED] = {"path-param-unused", SG_SEVERITY_ERROR, NULL},
    [SW_PATH_PARAM_REQUIRED] = {"path-param-required", SG_SEVERITY_ERROR, NULL},
    [SW_PATH_TEMPLATE_COLLISION] = {"path-template-collision", SG_SEVERITY_ERROR, "APIG.3301"},
    [SW_OPERATION_ID_DUPLICATE] = {"operation-id-duplicate", SG_SEVERITY_ERROR, "APIG.3202"},
    [SW_PARAMETER_DUPLICATE] = {"parameter-duplicate", SG_SEVERITY_ERROR, NULL},
    [SW_BODY_PARAMETER_MULTIPLE] = {"body-parameter-multiple", SG_SEVERITY_ERROR, NULL},
    [SW_BODY_AND_FORMDATA] = {"body-and-formdata", SG_SEVERITY_ERROR, NULL},
    [SW_FILE_PARAMETER_LOCATION] = {"file-parameter-location", SG_SEVERITY_ERROR, NULL},
    [SW_FILE_PARAMETER_CONSUMES] = {"file-parameter-consumes", SG_SEVERITY_ERROR, NULL},
    [SW_ARRAY_ITEMS_MISSING] = {"array-items-missing", SG_SEVERITY_ERROR, NULL},
    [SW_COLLECTION_FORMAT_MULTI] = {"collection-format-multi", SG_SEVERITY_ERROR, NULL},
    [SW_DEFAULT_INVALID] = {"default-invalid", SG_SEVERITY_ERROR, NULL},
    [SW_EXAMPLE_INVALID] = {"example-invalid", SG_SEVERITY_WARNING, NULL},
    [SW_PATTERN_INVALID] = {"pattern-invalid", SG_SEVERITY_ERROR, NULL},
    [SW_PATTERN_NOT_ECMA] = {"pattern-not-ecma", SG_SEVERITY_WARNING, NULL},
    [SW_PATTERN_UNCHECKED] = {"pattern-unchecked", SG_SEVERITY_WARNING, NULL},
    [SW_SECURITY_UNDEFINED] = {"security-undefined", SG_SEVERITY_ERROR, NULL},
    [SW_SECURITY_SCOPE_UNDEFINED] = {"security-scope-undefined", SG_SEVERITY_ERROR, NULL},
    [SW_SECURITY_SCOPES_IGNORED] = {"security-scopes-ignored", SG_SEVERITY_WARNING, NULL},
    [SW_REQUIRED_PROPERTY_UNDEFINED] = {"required-property-undefined", SG_SEVERITY_ERROR, NULL},
    [SW_RESPONSE_CODE_INVALID] = {"response-code-invalid", SG_SEVERITY_ERROR, NULL},
    [SW_UNUSED_DEFINITION] = {"unused-definition", SG_SEVERITY_WARNING, NULL},
    [SW_UNUSED_PARAMETER] = {"unused-parameter", SG_SEVERITY_WARNING, NULL},
    [SW_UNUSED_RESPONSE] = {"unused-response", SG_SEVERITY_WARNING, NULL},
};

/* ---- hash maps ------------------------------------------------------ */

/* 32 bytes: the maps hold an entry per object of the model (seen sets),
 * and growing one was the peak of lint's memory on large files. */
struct sgi_sw_slot {
    uint64_t hash;
    void *value;
    uint32_t off, len; /* key bytes in the map's KEYS buffer (put refuses more) */
    unsigned gen;      /* live when equal to the map's generation */
};

/* FNV-1a with a per-map seed and a final mix: keys come from the input, so
 * the seed keeps crafted collisions from being planned ahead. */
static uint64_t hash_bytes(uint64_t seed, const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    return h;
}

static struct sgi_sw_slot *find_slot(const sgi_sw_map *m, uint64_t h, const void *key, size_t len)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct sgi_sw_slot *s = &m->slots[i];
        if (s->gen != m->gen)
            return s;
        if (s->hash == h && s->len == len && memcmp(m->keys.data + s->off, key, len) == 0)
            return s;
    }
}

void *sgi_sw_map_get(const sgi_sw_map *m, const void *key, size_t len)
{
    if (m->n == 0)
        return NULL;
    struct sgi_sw_slot *s = find_slot(m, hash_bytes(m->seed, key, len), key, len);
    return s->gen == m->gen ? s->value : NULL;
}

static int grow(sgi_sw_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    struct sgi_sw_slot *old = m->slots, *slots = sgi_calloc(m->keys.alloc, cap, sizeof *slots);
    if (!slots)
        return 0;
    if (!m->seed)
        m->seed = hash_bytes((uint64_t)(uintptr_t)slots, &m, sizeof m) | 1;
    size_t oldcap = m->cap;
    unsigned gen = m->gen;
    m->slots = slots;
    m->cap = cap;
    m->gen = 1;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].gen == gen) {
            struct sgi_sw_slot *s = find_slot(m, old[i].hash, NULL, (size_t)-1);
            *s = old[i];
            s->gen = 1;
        }
    sgi_free(m->keys.alloc, old);
    return 1;
}

int sgi_sw_map_put(sgi_sw_map *m, const void *key, size_t len, void *value, void **old)
{
    if ((m->n + 1) * 2 > m->cap && !grow(m))
        return -1;
    uint64_t h = hash_bytes(m->seed, key, len);
    struct sgi_sw_slot *s = find_slot(m, h, key, len);
    if (s->gen == m->gen) {
        if (old)
            *old = s->value;
        return 0;
    }
    size_t off = m->keys.len;
    if (len >= UINT32_MAX || off > UINT32_MAX - len)
        return -1;
    sgi_buf_append(&m->keys, len ? key : "", len);
    if (m->keys.oom)
        return -1;
    s->hash = h;
    s->off = (uint32_t)off;
    s->len = (uint32_t)len;
    s->value = value;
    s->gen = m->gen;
    m->n++;
    return 1;
}

void sgi_sw_map_clear(sgi_sw_map *m)
{
    if (m->n == 0)
        return;
    m->n = 0;
    m->keys.len = 0;
    if (++m->gen == 0) { /* wrapped: old slots could look live again */
        memset(m->slots, 0, m->cap * sizeof *m->slots);
        m->gen = 1;
    }
}

void sgi_sw_map_init(sgi_sw_map *m, const sg_allocator *a)
{
    memset(m, 0, sizeof *m);
    m->keys.alloc = a;
}

void sgi_sw_map_fini(sgi_sw_map *m)
{
    sgi_free(m->keys.alloc, m->slots);
    sgi_buf_fini(&m->keys);
    memset(m, 0, sizeof *m);
}

/* ---- locations and reports ------------------------------------------ */

int sgi_sw_is_ext(const char *key) { return key[0] == 'x' && key[1] == '-'; }

void sgi_sw_root(sgi_sw_loc *out, const sg_document *doc)
{
    memset(out, 0, sizeof *out);
    out->doc = doc;
    out->base = "";
    out->v = doc->root;
}

void sgi_sw_entry(sgi_sw_loc *out, const sgi_sw_loc *obj, struct lh_entry *e)
{
    memset(out, 0, sizeof *out);
    out->up = obj;
    out->doc = obj->doc;
    out->key = (const char *)e->k;
    out->klen = strlen(out->key);
    out->parent = obj->v;
    out->slot = (uintptr_t)e->k;
    out->v = (struct json_object *)e->v;
}

/* The entry of member KEY of object O, or NULL. A short object is scanned:
 * cheaper than hashing KEY, and the same answer, since the builder keeps
 * keys unique. A longer one is looked up, so no lookup costs more than a
 * few comparisons. */
static struct lh_entry *find_member(struct json_object *o, const char *key)
{
    struct lh_table *t = json_object_get_object(o);
    if (t->count > 8)
        return lh_table_lookup_entry(t, key);
    for (struct lh_entry *e = t->head; e; e = e->next) {
        const char *k = (const char *)e->k;
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return e;
    }
    return NULL;
}

int sgi_sw_member(sgi_sw_loc *out, const sgi_sw_loc *obj, const char *key)
{
    if (!json_object_is_type(obj->v, json_type_object))
        return 0;
    struct lh_entry *e = find_member(obj->v, key);
    if (!e)
        return 0;
    sgi_sw_entry(out, obj, e);
    return 1;
}

void sgi_sw_element(sgi_sw_loc *out, const sgi_sw_loc *arr, size_t i)
{
    memset(out, 0, sizeof *out);
    out->up = arr;
    out->doc = arr->doc;
    out->index = i;
    out->parent = arr->v;
    out->slot = i;
    out->v = json_object_array_get_idx(arr->v, i);
}

const char *sgi_sw_str(struct json_object *obj, const char *key)
{
    struct lh_entry *e;
    if (!json_object_is_type(obj, json_type_object) || !(e = find_member(obj, key)) ||
        !json_object_is_type((struct json_object *)e->v, json_type_string))
        return NULL;
    return json_object_get_string((struct json_object *)e->v);
}

int sgi_sw_deref(sgi_sw *c, const sgi_sw_loc *in, sgi_sw_loc *out)
{
    struct lh_entry *re;
    if (!json_object_is_type(in->v, json_type_object) || !(re = find_member(in->v, "$ref"))) {
        *out = *in;
        return 1;
    }
    struct json_object *ref = (struct json_object *)re->v;
    if (!c->lint->resolver || !json_object_is_type(ref, json_type_string))
        return 0;
    sgi_ref_target t;
    memset(&t, 0, sizeof t);
    sg_status st = sgi_resolve(c->lint->resolver, in->doc, in->v, &t);
    if (st != SG_OK) {
        c->st = st;
        return 0;
    }
    if (!t.found || !t.doc)
        return 0;
    memset(out, 0, sizeof *out);
    out->doc = t.doc;
    out->base = t.pointer ? t.pointer : "";
    out->parent = t.parent;
    out->slot = t.slot;
    out->v = t.value;
    return 1;
}

static void build_pointer(sgi_buf *b, const sgi_sw_loc *l)
{
    if (!l->up) {
        sgi_buf_puts(b, l->base ? l->base : "");
        return;
    }
    build_pointer(b, l->up);
    if (l->key) {
        sgi_buf_append(b, "/", 1);
        sgi_pointer_append(b, l->key, l->klen);
        return;
    }
    /* "/" and the index's digits in one append, without printf */
    char num[24];
    size_t k = sizeof num, i = l->index;
    do {
        num[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    num[--k] = '/';
    sgi_buf_append(b, num + k, sizeof num - k);
}

sg_status sgi_sw_vdiag(const sg_allocator *al, sg_diagnostics *d, sg_severity sev,
                       const char *rule, const char *apig, const sgi_sw_loc *at, int at_key,
                       const char *fmt, va_list ap)
{
    sgi_buf p = {.alloc = al};
    build_pointer(&p, at);
    sgi_buf_append(&p, "", 0);
    if (p.oom) {
        sgi_buf_fini(&p);
        return SG_ENOMEM;
    }
    sg_mark m = {0, 0, 0};
    int have = sgi_marks_at(at->doc->marks, at->parent, at->slot, at_key, &m);
    sg_status st = sgi_vdiag(d, (sgi_source *)&at->doc->src, sev, rule, have ? &m : NULL, p.data,
                             apig, fmt, ap);
    sgi_buf_fini(&p);
    return st;
}

static void vreport(sgi_sw *c, sgi_sw_rule rule, const char *apig, const sgi_sw_loc *at, int at_key,
                    const sgi_sw_loc *rel, const char *rel_msg, const char *fmt, va_list ap)
{
    if (c->st != SG_OK)
        return;
    sg_status st = sgi_sw_vdiag(SW_ALLOC(c), c->lint->diags, sgi_sw_rules[rule].severity, sgi_sw_rules[rule].id,
                                apig, at, at_key, fmt, ap);
    if (st == SG_OK && rel) {
        sg_mark rm;
        if (sgi_marks_at(rel->doc->marks, rel->parent, rel->slot, rel->key != NULL, &rm)) {
            st = sgi_diag_related(c->lint->diags, sg_document_name(rel->doc), &rm, "%s",
                                  rel_msg ? rel_msg : "first defined here");
        }
    }
    if (st != SG_OK)
        c->st = st;
}

void sgi_sw_report(sgi_sw *c, sgi_sw_rule rule, const sgi_sw_loc *at, int at_key,
                   const sgi_sw_loc *related, const char *related_msg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, rule, sgi_sw_rules[rule].apig, at, at_key, related, related_msg, fmt, ap);
    va_end(ap);
}

void sgi_sw_report_apig(sgi_sw *c, sgi_sw_rule rule, const char *apig, const sgi_sw_loc *at,
                        int at_key, const sgi_sw_loc *related, const char *related_msg,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, rule, apig, at, at_key, related, related_msg, fmt, ap);
    va_end(ap);
}

void sgi_sw_quote(const sgi_sw *c, char *buf, size_t cap, const char *s, size_t len)
{
    sgi_excerpt(buf, cap, s, len, c->excerpt);
}

void sgi_sw_quote_value(sgi_sw *c, char *buf, size_t cap, struct json_object *v)
{
    sgi_buf b = {.alloc = SW_ALLOC(c)};
    sgi_emit_json(&b, v, -1);
    if (b.oom || !b.data) {
        /* A message that lost its value would change the answer. */
        snprintf(buf, cap, "(a value)");
        if (b.oom && c->st == SG_OK)
            c->st = SG_ENOMEM;
    } else
        sgi_excerpt(buf, cap, b.data, b.len, c->excerpt);
    sgi_buf_fini(&b);
}

int sgi_sw_first_visit(sgi_sw *c, const void *obj)
{
    int r = sgi_sw_map_put(&c->seen, &obj, sizeof obj, (void *)obj, NULL);
    if (r < 0)
        c->st = SG_ENOMEM;
    return r == 1;
}

/* ---- security requirements ------------------------------------------ */

void sgi_sw_check_security(sgi_sw *c, const sgi_sw_loc *sec)
{
    if (!json_object_is_type(sec->v, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(sec->v) && c->st == SG_OK; i++) {
        sgi_sw_loc req;
        sgi_sw_element(&req, sec, i);
        if (!json_object_is_type(req.v, json_type_object))
            continue;
        for (struct lh_entry *it = json_object_get_object(req.v)->head; it; it = it->next) {
            sgi_sw_loc name, scopes;
            sgi_sw_entry(&name, &req, it);
            char q[SW_QUOTE];
            sgi_sw_quote(c, q, sizeof q, name.key, name.klen);
            struct json_object *def = NULL;
            if (!c->secdefs || !json_object_object_get_ex(c->secdefs, name.key, &def)) {
                sgi_sw_report(c, SW_SECURITY_UNDEFINED, &name, 1, NULL, NULL,
                              "security requirement names \"%s\", which securityDefinitions does "
                              "not define; define it there or fix the name",
                              q);
                continue;
            }
            scopes = name;
            if (!json_object_is_type(scopes.v, json_type_array) ||
                json_object_array_length(scopes.v) == 0)
                continue;
            const char *type = sgi_sw_str(def, "type");
            if (!type || strcmp(type, "oauth2") != 0) {
                if (type)
                    sgi_sw_report(c, SW_SECURITY_SCOPES_IGNORED, &scopes, 0, NULL, NULL,
                                  "security scheme \"%s\" is of type %s, which has no scopes; "
                                  "the list must be empty: write %s: []",
                                  q, type, q);
                continue;
            }
            struct json_object *defined = NULL;
            json_object_object_get_ex(def, "scopes", &defined);
            for (size_t k = 0; k < json_object_array_length(scopes.v) && c->st == SG_OK; k++) {
                sgi_sw_loc s;
                sgi_sw_element(&s, &scopes, k);
                if (!json_object_is_type(s.v, json_type_string))
                    continue;
                if (json_object_is_type(defined, json_type_object) &&
                    lh_table_lookup_entry(json_object_get_object(defined),
                                          json_object_get_string(s.v)))
                    continue;
                char sq[SW_QUOTE];
                sgi_sw_quote(c, sq, sizeof sq, json_object_get_string(s.v),
                             (size_t)json_object_get_string_len(s.v));
                sgi_sw_report(
                    c, SW_SECURITY_SCOPE_UNDEFINED, &s, 0, NULL, NULL,
                    "scope \"%s\" is not among the scopes of OAuth2 scheme \"%s\"; add it "
                    "to securityDefinitions.%s.scopes or fix the name",
                    sq, q, q);
            }
        }
    }
}

/* ---- responses -------------------------------------------------------- */

static int valid_code(const char *k, size_t len)
{
    if (len == 7 && strcmp(k, "default") == 0)
        return 1;
    return len == 3 && k[0] >= '1' && k[0] <= '5' && k[1] >= '0' && k[1] <= '9' && k[2] >= '0' &&
           k[2] <= '9';
}

void sgi_sw_check_responses(sgi_sw *c, const sgi_sw_loc *resps)
{
    if (!json_object_is_type(resps->v, json_type_object))
        return;
    for (struct lh_entry *it = json_object_get_object(resps->v)->head; it; it = it->next) {
        sgi_sw_loc r, t;
        sgi_sw_entry(&r, resps, it);
        if (sgi_sw_is_ext(r.key))
            continue;
        if (!valid_code(r.key, r.klen)) {
            char q[SW_QUOTE];
            sgi_sw_quote(c, q, sizeof q, r.key, r.klen);
            sgi_sw_report(c, SW_RESPONSE_CODE_INVALID, &r, 1, NULL, NULL,
                          "response code \"%s\" is not an HTTP status code; use a three-digit "
                          "code from 100 to 599 or \"default\"",
                          q);
        }
        if (sgi_sw_deref(c, &r, &t))
            sgi_sw_check_response(c, &t);
        if (c->st != SG_OK)
            return;
    }
}

/* ---- unused definitions, parameters and responses -------------------- */

enum { K_DEF, K_PARAM, K_RESP, K_N };
static const char *const KIND_PREFIX[K_N] = {"#/definitions/", "#/parameters/", "#/responses/"};

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

/* Note the component a local $ref names (its first token, URI-decoded then
 * JSON-Pointer-decoded). */
static void note_ref(sgi_sw *c, sgi_buf *key, sgi_sw_map *used, const char *ref)
{
    for (int k = 0; k < K_N; k++) {
        size_t pl = strlen(KIND_PREFIX[k]);
        if (strncmp(ref, KIND_PREFIX[k], pl) != 0)
            continue;
        const char *s = ref + pl;
        size_t len = strcspn(s, "/");
        /* Copied in one append, then decoded in place: decoding only
         * shrinks, and each escape is read before anything is written
         * over it. */
        key->len = 0;
        sgi_buf_append(key, s, len);
        if (key->oom) {
            c->st = SG_ENOMEM;
            return;
        }
        char *d = key->data;
        size_t n = 0;
        for (size_t i = 0; i < len; i++) {
            char ch = d[i];
            int h1, h2;
            if (ch == '%' && i + 2 < len && (h1 = hexval((unsigned char)d[i + 1])) >= 0 &&
                (h2 = hexval((unsigned char)d[i + 2])) >= 0) {
                ch = (char)(h1 * 16 + h2);
                i += 2;
            }
            d[n++] = ch;
        }
        key->len = n;
        /* ~1 and ~0 after percent-decoding (RFC 6901, section 6). */
        size_t o = 0;
        for (size_t i = 0; i < key->len; i++) {
            char ch = key->data[i];
            if (ch == '~' && i + 1 < key->len &&
                (key->data[i + 1] == '0' || key->data[i + 1] == '1'))
                ch = key->data[++i] == '0' ? '~' : '/';
            key->data[o++] = ch;
        }
        if (key->oom || sgi_sw_map_put(&used[k], o ? key->data : "", o, (void *)1, NULL) < 0)
            c->st = SG_ENOMEM;
        return;
    }
}

static void collect_refs(sgi_sw *c, sgi_buf *key, sgi_sw_map *used, struct json_object *v,
                         unsigned depth)
{
    if (c->st != SG_OK || depth > 4096 + 8) /* the builder bounds depth; belt and braces */
        return;
    /* Each type read once; "$ref" compared only for keys starting '$'. */
    enum json_type t = json_object_get_type(v);
    if (t == json_type_object) {
        for (struct lh_entry *it = json_object_get_object(v)->head; it; it = it->next) {
            struct json_object *m = (struct json_object *)it->v;
            const char *k = (const char *)it->k;
            enum json_type mt = json_object_get_type(m);
            if (k[0] == '$' && strcmp(k, "$ref") == 0 && mt == json_type_string)
                note_ref(c, key, used, json_object_get_string(m));
            else if (mt == json_type_object || mt == json_type_array)
                collect_refs(c, key, used, m, depth + 1);
        }
    } else if (t == json_type_array) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            struct json_object *m = json_object_array_get_idx(v, i);
            enum json_type mt = json_object_get_type(m);
            if (mt == json_type_object || mt == json_type_array)
                collect_refs(c, key, used, m, depth + 1);
        }
    }
}

/* A definition nobody refers to is still used when it extends (allOf) a
 * definition with a discriminator: it is one of the polymorphic subtypes. */
static int is_subtype(sgi_sw *c, struct json_object *def)
{
    struct json_object *all, *defs = c->definitions;
    if (!json_object_object_get_ex(def, "allOf", &all) ||
        !json_object_is_type(all, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(all); i++) {
        const char *ref = sgi_sw_str(json_object_array_get_idx(all, i), "$ref");
        size_t pl = strlen(KIND_PREFIX[K_DEF]);
        struct json_object *parent;
        if (ref && strncmp(ref, KIND_PREFIX[K_DEF], pl) == 0 && !strchr(ref + pl, '/') &&
            json_object_object_get_ex(defs, ref + pl, &parent) &&
            json_object_object_get_ex(parent, "discriminator", NULL))
            return 1;
    }
    return 0;
}

static void check_unused_components(sgi_sw *c)
{
    static const char *const section[K_N] = {"definitions", "parameters", "responses"};
    static const sgi_sw_rule rule[K_N] = {SW_UNUSED_DEFINITION, SW_UNUSED_PARAMETER,
                                          SW_UNUSED_RESPONSE};
    static const char *const what[K_N] = {"definition", "parameter", "response"};
    sgi_sw_map used[K_N];
    sgi_buf key = {.alloc = SW_ALLOC(c)};
    for (int k = 0; k < K_N; k++)
        sgi_sw_map_init(&used[k], SW_ALLOC(c));
    collect_refs(c, &key, used, c->root.v, 0);
    sgi_buf_fini(&key);
    for (int k = 0; k < K_N && c->st == SG_OK; k++) {
        sgi_sw_loc sec;
        if (!sgi_sw_member(&sec, &c->root, section[k]) ||
            !json_object_is_type(sec.v, json_type_object))
            continue;
        for (struct lh_entry *it = json_object_get_object(sec.v)->head; it; it = it->next) {
            sgi_sw_loc e;
            sgi_sw_entry(&e, &sec, it);
            if ((k != K_DEF && sgi_sw_is_ext(e.key)) || sgi_sw_map_get(&used[k], e.key, e.klen))
                continue;
            if (k == K_DEF && is_subtype(c, e.v))
                continue;
            char q[SW_QUOTE];
            sgi_sw_quote(c, q, sizeof q, e.key, e.klen);
            sgi_sw_report(c, rule[k], &e, 1, NULL, NULL,
                          "%s \"%s\" is never referenced (no $ref: '#/%s/%s'); remove it or use it",
                          what[k], q, section[k], q);
            if (c->st != SG_OK)
                break;
        }
    }
    for (int k = 0; k < K_N; k++)
        sgi_sw_map_fini(&used[k]);
}

/* ---- the checker ------------------------------------------------------ */

static void check_document(sgi_sw *c)
{
    sgi_sw_loc l;
    if (sgi_sw_member(&l, &c->root, "consumes")) {
        c->root_consumes = l;
        c->has_root_consumes = 1;
    }
    if (sgi_sw_member(&l, &c->root, "securityDefinitions") &&
        json_object_is_type(l.v, json_type_object))
        c->secdefs = l.v;
    sgi_sw_loc defs;
    if (sgi_sw_member(&defs, &c->root, "definitions") &&
        json_object_is_type(defs.v, json_type_object))
        c->definitions = defs.v;

    /* The reusable components, each checked where it stands. */
    if (sgi_sw_member(&l, &c->root, "parameters") && json_object_is_type(l.v, json_type_object))
        for (struct lh_entry *it = json_object_get_object(l.v)->head; it; it = it->next) {
            sgi_sw_loc p, t;
            sgi_sw_entry(&p, &l, it);
            if (!sgi_sw_is_ext(p.key) && sgi_sw_deref(c, &p, &t))
                sgi_sw_check_parameter(c, &t);
        }
    if (sgi_sw_member(&l, &c->root, "responses") && json_object_is_type(l.v, json_type_object))
        for (struct lh_entry *it = json_object_get_object(l.v)->head; it; it = it->next) {
            sgi_sw_loc r, t;
            sgi_sw_entry(&r, &l, it);
            if (!sgi_sw_is_ext(r.key) && sgi_sw_deref(c, &r, &t))
                sgi_sw_check_response(c, &t);
        }
    if (c->definitions)
        for (struct lh_entry *it = json_object_get_object(c->definitions)->head; it;
             it = it->next) {
            sgi_sw_loc d;
            sgi_sw_entry(&d, &defs, it);
            sgi_sw_check_schema(c, &d);
        }

    if (sgi_sw_member(&l, &c->root, "security"))
        sgi_sw_check_security(c, &l);

    sgi_sw_check_paths(c);
    check_unused_components(c);
}

sg_status sgi_check_swagger(sgi_lint *lint)
{
    if (!lint || !lint->doc)
        return SG_EUSAGE;
    if (!json_object_is_type(lint->doc->root, json_type_object))
        return SG_OK; /* the model checker said so */
    sgi_sw c;
    memset(&c, 0, sizeof c);
    c.lint = lint;
    c.doc = lint->doc;
    c.excerpt = (size_t)lint->doc->limits.excerpt_chars;
    if (c.excerpt > SW_QUOTE_CHARS)
        c.excerpt = SW_QUOTE_CHARS;
    sgi_sw_root(&c.root, lint->doc);
    c.any_method = !lint->opts || lint->opts->profile == SG_PROFILE_APIG;
    sgi_sw_map_init(&c.seen, SW_ALLOC(&c));
    sgi_sw_map_init(&c.enum_hashes, SW_ALLOC(&c));
    check_document(&c);
    sgi_sw_map_fini(&c.seen);
    sgi_sw_map_fini(&c.enum_hashes);
    if (c.re)
        sgi_regex_cache_free(c.re);
    return c.st;
}
