/* Normalizer: the canonical body (ARCHITECTURE.md, "Normalizer"). One
 * self-contained JSON document, members in RFC 8785 order (jcs.c), numbers
 * and strings as jcs.c spells them, file $refs bundled as bundle.c decides.
 * Values are written from the documents as they are (nothing is copied):
 * the root, with its definitions, parameters and responses completed by the
 * bundled targets, and each $ref rewritten on the way. Positions of
 * findings are in the file each value comes from. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "normalize.h"

/* ---- writing -------------------------------------------------------------- */

/* A member to write: a value of DOC with its role, and where it came from
 * (PARENT/SLOT for positions; TPTR, for a bundled target, its pointer in
 * DOC). SECTION: a root section (K_*) written with its bundled targets. */
typedef struct member {
    const char *key;
    struct json_object *v;
    const sg_document *doc;
    int role;
    const void *parent;
    uintptr_t slot;
    const char *tptr;
    int section;
} member;

static int by_key(const void *a, const void *b)
{
    return sgi_jcs_key_cmp(((const member *)a)->key, ((const member *)b)->key);
}

static void newline(sgi_nz *z, unsigned level)
{
    if (!z->pretty)
        return;
    sgi_buf_append(&z->out, "\n", 1);
    for (unsigned i = 0; i < level; i++)
        sgi_buf_append(&z->out, "  ", 2);
}

static void path_cut(sgi_nz *z, size_t len)
{
    z->path.len = len;
    if (z->path.data)
        z->path.data[len] = '\0';
}

static sg_status write_value(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                             const void *parent, uintptr_t slot, unsigned level);
static sg_status write_section(sgi_nz *z, const member *sec, unsigned level);

/* The members M (N of them) as an object, in RFC 8785 order. */
static sg_status write_members(sgi_nz *z, member *m, size_t n, unsigned level)
{
    sg_status st = SG_OK;
    qsort(m, n, sizeof *m, by_key);
    sgi_buf_append(&z->out, "{", 1);
    for (size_t i = 0; i < n && st == SG_OK; i++) {
        if (i)
            sgi_buf_append(&z->out, ",", 1);
        newline(z, level + 1);
        sgi_buf_json_string(&z->out, m[i].key, strlen(m[i].key));
        sgi_buf_append(&z->out, z->pretty ? ": " : ":", z->pretty ? 2 : 1);
        size_t plen = z->path.len, pstart = z->pstart;
        if (m[i].tptr) { /* positions in the target's own file */
            z->pstart = plen;
            sgi_buf_puts(&z->path, m[i].tptr);
        } else {
            sgi_buf_append(&z->path, "/", 1);
            sgi_pointer_append(&z->path, m[i].key, strlen(m[i].key));
        }
        if (m[i].section >= 0)
            st = write_section(z, &m[i], level + 1);
        else
            st = write_value(z, m[i].doc, m[i].v, m[i].role, m[i].parent, m[i].slot, level + 1);
        path_cut(z, plen);
        z->pstart = pstart;
    }
    if (n)
        newline(z, level);
    sgi_buf_append(&z->out, "}", 1);
    return st;
}

static int has_targets(const sgi_nz *z, int kind)
{
    for (size_t j = 0; j < z->nt; j++)
        if (z->t[j].kind == kind)
            return 1;
    return 0;
}

/* A root section: its own members (homes take their target's content),
 * then the bundled targets. */
static sg_status write_section(sgi_nz *z, const member *sec, unsigned level)
{
    int s = sec->section;
    struct json_object *v = sec->v;
    if (v && !json_object_is_type(v, json_type_object))
        return sgi_nz_bundle_error(z, sec->doc, sec->parent, sec->slot,
                                   "%s is not an object, so the file $refs of the document "
                                   "cannot be bundled into it; make it an object",
                                   sgi_nz_sections[s]);
    size_t cnt = v ? (size_t)json_object_object_length(v) : 0, k = 0;
    member *sm = sgi_calloc(ZA(z), cnt + z->nt + 1, sizeof *sm);
    if (!sm)
        return SG_ENOMEM;
    for (struct lh_entry *e = v ? json_object_get_object(v)->head : NULL; e; e = e->next) {
        member *x = &sm[k++];
        x->key = e->k;
        x->v = (struct json_object *)e->v;
        x->doc = sec->doc;
        x->role = sgi_nz_kind_role[s];
        x->parent = v;
        x->slot = (uintptr_t)e->k;
        x->section = -1;
        for (size_t j = 0; j < z->nt; j++) {
            const sgi_nz_target *t = &z->t[j];
            if (t->kind == s && t->home && strcmp(t->name, x->key) == 0) {
                x->v = t->value;
                x->doc = t->doc;
                x->parent = NULL;
                x->tptr = t->ptr;
            }
        }
    }
    for (size_t j = 0; j < z->nt; j++) {
        const sgi_nz_target *t = &z->t[j];
        if (t->kind != s || t->home)
            continue;
        member *x = &sm[k++];
        x->key = t->name;
        x->v = t->value;
        x->doc = t->doc;
        x->role = sgi_nz_kind_role[s];
        x->tptr = t->ptr;
        x->section = -1;
    }
    sg_status st = write_members(z, sm, k, level);
    sgi_free(ZA(z), sm);
    return st;
}

/* The pointer of a target for a ref: "#" + the pointer, percent-encoded
 * where a URI fragment (RFC 3986 3.5) may not hold the byte. */
static void fragment(sgi_buf *b, const char *ptr)
{
    static const char hex[] = "0123456789ABCDEF";
    sgi_buf_append(b, "#", 1);
    for (const unsigned char *p = (const unsigned char *)ptr; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~!$&'()*+,;=:@/?", *p)) {
            sgi_buf_append(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sgi_buf_append(b, e, 3);
        }
    }
}

/* The members of object V (role ROLE); with REF, "$ref" written as REF; the
 * root object's sections with their bundled targets. */
static sg_status write_object(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                              unsigned level, const char *ref)
{
    int root_obj = doc == z->root && v == z->root->root;
    size_t n = (size_t)json_object_object_length(v) + (root_obj ? K_NSECT : 0), k = 0;
    member *m = sgi_calloc(ZA(z), n ? n : 1, sizeof *m);
    struct json_object *refv = NULL;
    int have[K_NSECT] = {0};
    if (!m)
        return SG_ENOMEM;
    if (ref && !(refv = json_object_new_string(ref))) {
        sgi_free(ZA(z), m);
        return SG_ENOMEM;
    }
    for (struct lh_entry *e = json_object_get_object(v)->head; e; e = e->next) {
        member *x = &m[k++];
        x->key = e->k;
        x->v = (struct json_object *)e->v;
        x->doc = doc;
        x->role = role == R_DATA ? R_DATA : sgi_nz_child_role(role, x->key, x->v);
        x->parent = v;
        x->slot = (uintptr_t)e->k;
        x->section = -1;
        if (refv && strcmp(x->key, "$ref") == 0)
            x->v = refv;
        for (int s = 0; root_obj && s < K_NSECT; s++)
            if (strcmp(x->key, sgi_nz_sections[s]) == 0 && has_targets(z, s)) {
                x->section = s;
                have[s] = 1;
            }
    }
    /* Sections that only bundled targets fill. */
    for (int s = 0; root_obj && s < K_NSECT; s++) {
        if (have[s] || !has_targets(z, s))
            continue;
        member *x = &m[k++];
        x->key = sgi_nz_sections[s];
        x->doc = doc;
        x->role = R_DATA;
        x->section = s;
    }
    sg_status st = write_members(z, m, k, level);
    json_object_put(refv);
    sgi_free(ZA(z), m);
    return st;
}

/* Ref site V: kept, rewritten to a bundled name or a root pointer, or its
 * target written in its place. */
static sg_status write_ref(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                           const void *parent, uintptr_t slot, unsigned level)
{
    if (sgi_nz_kept_ref(z, doc, v))
        return write_object(z, doc, v, R_DATA, level, NULL);
    sgi_ref_target rt;
    sg_status st = sgi_resolve(z->res, doc, v, &rt);
    if (st != SG_OK)
        return st == SG_EUSAGE ? SG_EINTERNAL : st;
    if (!rt.found)
        return SG_EINTERNAL; /* discovery resolved every ref written */
    sgi_buf ref = {.alloc = ZA(z)};
    int kind = sgi_nz_kind_of(role);
    if (rt.doc == z->root) {
        fragment(&ref, rt.pointer ? rt.pointer : "");
    } else if (kind == K_INLINE) {
        for (size_t i = 0; i < z->ninl; i++)
            if (z->inl[i] == v)
                return sgi_nz_bundle_error(
                    z, doc, parent, slot,
                    "this $ref stands where no section of the root can hold its target (a path "
                    "item, or a place Swagger 2.0 gives no $ref), so its target is written in its "
                    "place, but the target contains this $ref again; break the circle");
        if (!sgi_grow_a(ZA(z), (void **)&z->inl, &z->capinl, z->ninl + 1, sizeof *z->inl))
            return SG_ENOMEM;
        z->inl[z->ninl++] = v;
        size_t pstart = z->pstart, plen = z->path.len;
        z->pstart = plen;
        sgi_buf_puts(&z->path, rt.pointer ? rt.pointer : "");
        st = write_value(z, rt.doc, rt.value, role, rt.parent, rt.slot, level);
        path_cut(z, plen);
        z->pstart = pstart;
        z->ninl--;
        return st;
    } else {
        sgi_buf key = {.alloc = ZA(z)};
        sgi_buf_printf(&key, "%d:%p:%s", kind, (const void *)rt.doc,
                       rt.pointer ? rt.pointer : "");
        if (key.oom)
            return SG_ENOMEM;
        struct lh_entry *le = lh_table_lookup_entry(z->tmap, key.data);
        sgi_buf_fini(&key);
        if (!le)
            return SG_EINTERNAL;
        sgi_buf_printf(&ref, "#/%s/%s", sgi_nz_sections[kind], z->t[IDX(le->v)].name);
    }
    if (ref.oom) {
        sgi_buf_fini(&ref);
        return SG_ENOMEM;
    }
    st = write_object(z, doc, v, R_DATA, level, ref.data);
    sgi_buf_fini(&ref);
    return st;
}

static sg_status write_number(sgi_nz *z, const sg_document *doc, struct json_object *v,
                              const void *parent, uintptr_t slot)
{
    size_t at = z->out.len;
    sgi_buf dbl = {.alloc = ZA(z)};
    int r = sgi_jcs_number(&z->out, v, &dbl);
    sg_status st;
    if (r == SGI_JCS_DOUBLE || lh_table_lookup_entry(z->warned, v)) {
        if (r == SGI_JCS_REFUSED)
            sgi_buf_append(&z->out, "0", 1);
        sgi_buf_fini(&dbl);
        return SG_OK;
    }
    if (lh_table_insert(z->warned, v, NULL) != 0 || dbl.oom) {
        sgi_buf_fini(&dbl);
        return SG_ENOMEM;
    }
    char shown[96], shown_d[96];
    const char *text = sg_number_text(v);
    if (r == SGI_JCS_ROUNDED) {
        sgi_excerpt(shown, sizeof shown, text ? text : "", text ? strlen(text) : 0, 40);
        sgi_excerpt(shown_d, sizeof shown_d, z->out.data + at, z->out.len - at, 40);
        sgi_buf_fini(&dbl);
        if (z->out.oom)
            return SG_ENOMEM;
        return sgi_doc_diag(doc, z->d, SG_SEVERITY_WARNING, "normalize-number-rounded", parent,
                            slot, 0, z->path.data + z->pstart, NULL,
                            "the number %s is written %s: RFC 8785 writes the IEEE double every "
                            "JSON parser reads it as, which has other digits; write %s, or a "
                            "string if the digits matter",
                            shown, shown_d, shown_d);
    }
    if (r == SGI_JCS_REFUSED) {
        z->failed = 1;
        sgi_buf_append(&z->out, "0", 1); /* keeps the JSON whole; dropped anyway */
        sgi_excerpt(shown, sizeof shown, text ? text : "", text ? strlen(text) : 0, 40);
        sgi_buf_fini(&dbl);
        return sgi_doc_diag(doc, z->d, SG_SEVERITY_ERROR, "normalize-number", parent, slot, 0,
                            z->path.data + z->pstart, NULL,
                            "the number %s has an exponent of more than 15 digits: no canonical "
                            "body holds it; write it within the range of the numbers meant",
                            shown);
    }
    if (z->out.oom) {
        sgi_buf_fini(&dbl);
        return SG_ENOMEM;
    }
    sgi_excerpt(shown, sizeof shown, z->out.data + at, z->out.len - at, 40);
    sgi_excerpt(shown_d, sizeof shown_d, dbl.data ? dbl.data : "", dbl.len, 40);
    st = sgi_doc_diag(doc, z->d, SG_SEVERITY_WARNING, "normalize-number-kept", parent, slot, 0,
                      z->path.data + z->pstart, NULL,
                      "the number %s is kept exactly: RFC 8785 writes numbers as IEEE doubles, "
                      "and the nearest one is %s, which a reader that uses doubles gets; write the "
                      "number as a string if it is an identifier",
                      shown, shown_d);
    sgi_buf_fini(&dbl);
    return st;
}

static sg_status write_value(sgi_nz *z, const sg_document *doc, struct json_object *v, int role,
                             const void *parent, uintptr_t slot, unsigned level)
{
    if (z->out.oom)
        return SG_ENOMEM;
    if (z->ninl > 0 && ++z->inlined > z->opts.limits.max_alias_nodes)
        return z->inlined == z->opts.limits.max_alias_nodes + 1
                   ? sgi_nz_bundle_error(z, doc, parent, slot,
                                         "writing $ref targets in place (path items) adds more "
                                         "than %llu values: raise the limit with --limit "
                                         "alias-expansion=N",
                                         (unsigned long long)z->opts.limits.max_alias_nodes)
                   : SG_OK;
    if (level > z->opts.limits.max_depth + 16) {
        if (!z->failed)
            return sgi_nz_bundle_error(z, doc, parent, slot,
                                       "$ref targets written in place nest deeper than the depth "
                                       "limit (%llu); raise it with --limit depth=N",
                                       (unsigned long long)z->opts.limits.max_depth);
        return SG_OK;
    }
    switch (json_object_get_type(v)) {
    case json_type_null:
        sgi_buf_puts(&z->out, "null");
        return SG_OK;
    case json_type_boolean:
        sgi_buf_puts(&z->out, json_object_get_boolean(v) ? "true" : "false");
        return SG_OK;
    case json_type_int:
    case json_type_double:
        return write_number(z, doc, v, parent, slot);
    case json_type_string:
        sgi_buf_json_string(&z->out, json_object_get_string(v),
                            (size_t)json_object_get_string_len(v));
        return SG_OK;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        sg_status st = SG_OK;
        sgi_buf_append(&z->out, "[", 1);
        for (size_t i = 0; i < n && st == SG_OK; i++) {
            if (i)
                sgi_buf_append(&z->out, ",", 1);
            newline(z, level + 1);
            size_t plen = z->path.len;
            sgi_buf_printf(&z->path, "/%zu", i);
            st = write_value(z, doc, json_object_array_get_idx(v, i), sgi_nz_elem_role(role), v, i,
                             level + 1);
            z->path.len = plen;
            if (z->path.data)
                z->path.data[plen] = '\0';
        }
        if (n)
            newline(z, level);
        sgi_buf_append(&z->out, "]", 1);
        return st;
    }
    case json_type_object:
        if (sgi_nz_is_ref_site(role, v))
            return write_ref(z, doc, v, role, parent, slot, level);
        return write_object(z, doc, v, role, level, NULL);
    }
    return SG_OK;
}

/* ---- the interface -------------------------------------------------------- */

/* Keep the resolver's findings (those added after FIRST) only when the
 * output failed, and then only its errors: warnings such as ref-siblings
 * belong to lint. */
typedef struct keep_ctx {
    size_t i, first;
    int failed;
} keep_ctx;

static int keep_resolver(void *ctx, sg_diagnostic *g)
{
    keep_ctx *k = ctx;
    size_t i = k->i++;
    return i < k->first || (k->failed && g->severity == SG_SEVERITY_ERROR) ||
           strncmp(g->rule, "normalize-", 10) == 0;
}

static void nz_fini(sgi_nz *z)
{
    const sg_allocator *a = ZA(z);
    for (size_t i = 0; i < z->nt; i++) {
        sgi_free(a, z->t[i].base);
        sgi_free(a, z->t[i].name);
    }
    sgi_free(a, z->t);
    for (size_t i = 0; i < z->nrels; i++)
        sgi_free(a, z->rels[i].rel);
    sgi_free(a, z->rels);
    if (z->tmap) {
        /* The keys are ours (allocated with A): the table has no free_fn. */
        for (struct lh_entry *e = z->tmap->head; e; e = e->next)
            sgi_free(a, (void *)e->k);
        lh_table_free(z->tmap);
    }
    if (z->walked)
        lh_table_free(z->walked);
    if (z->warned)
        lh_table_free(z->warned);
    sgi_free(a, z->inl);
    sgi_free(a, z->base_dir);
    sgi_buf_fini(&z->out);
    sgi_buf_fini(&z->path);
    sgi_resolver_free(z->res);
}

/* The real path of P allocated with A (realpath itself allocates nothing
 * when given a buffer), or NULL. */
char *sgi_nz_realpath(const sg_allocator *a, const char *p)
{
    char buf[PATH_MAX];
    if (!realpath(p, buf))
        return NULL;
    return sgi_strdup(a, buf);
}

/* The folder names are made relative to: the ref root, or the root
 * document's folder, or the current one. */
static char *ref_base(const sg_document *doc, const sg_options *o)
{
    if (o->ref_root)
        return sgi_nz_realpath(o->allocator, o->ref_root);
    if (!doc->from_file)
        return sgi_nz_realpath(o->allocator, ".");
    char *real = sgi_nz_realpath(o->allocator, doc->src.name);
    char *slash = real ? strrchr(real, '/') : NULL;
    if (slash)
        *(slash == real ? slash + 1 : slash) = '\0';
    return real;
}

sg_status sg_normalize(const sg_document *doc, const sg_options *options, sg_normalize_style style,
                       sg_diagnostics *diags, sg_bytes **out)
{
    if (!out)
        return SG_EUSAGE;
    *out = NULL;
    if (!doc || !diags || (style != SG_NORMALIZE_PRETTY && style != SG_NORMALIZE_CANONICAL))
        return SG_EUSAGE;
    sgi_nz z;
    memset(&z, 0, sizeof z);
    z.root = doc;
    if (options)
        z.opts = *options;
    else
        sg_options_init(&z.opts);
    z.d = diags;
    z.pretty = style == SG_NORMALIZE_PRETTY;
    size_t first = sg_diagnostics_count(diags);
    sg_status st = SG_ENOMEM;
    z.res = sgi_resolver_new(doc, &z.opts, diags);
    z.tmap = lh_kchar_table_new(64, NULL);
    z.out.alloc = z.opts.allocator;
    z.path.alloc = z.opts.allocator;
    z.walked = lh_kptr_table_new(1024, NULL);
    z.warned = lh_kptr_table_new(16, NULL);
    z.base_dir = ref_base(doc, &z.opts);
    sgi_buf_append(&z.path, "", 0);
    if (!z.res || !z.tmap || !z.walked || !z.warned || z.path.oom)
        goto done;
    /* Discovery: the root, then each target found, until none is new. */
    st = sgi_nz_discover(&z);
    if (st == SG_OK && !z.failed)
        st = sgi_nz_choose_names(&z);
    if (st == SG_OK && !z.failed)
        st = write_value(&z, doc, doc->root, R_ROOT, NULL, 0, 0);
    if (st == SG_OK && !z.failed && z.pretty)
        sgi_buf_append(&z.out, "\n", 1);
    if (st == SG_OK && z.out.oom)
        st = SG_ENOMEM;
    if (st == SG_OK && z.failed)
        st = SG_EINPUT;
    if (st == SG_OK && !(*out = sgi_bytes_take(&z.out)))
        st = SG_ENOMEM;
done:;
    keep_ctx k = {0, first, st == SG_EINPUT};
    sgi_diags_rewrite(diags, keep_resolver, &k);
    nz_fini(&z);
    return st;
}
