/* JSON Schema draft-04 validation over the document model
 * (draft-zyp-json-schema-04, draft-fge-json-schema-validation-00).
 *
 * The schemas are compiled first (schema_store.c: keywords checked against
 * the meta-schema, patterns compiled, $refs resolved); validation walks the
 * instance against that compiled form only.
 *
 * Validation runs in two modes: "check" (is it valid? stop at the first
 * error) and "collect" (record every error). A failed anyOf/oneOf is first
 * checked, then its closest alternative is re-run in collect mode, so that
 * one real mistake gives one finding rather than a cascade. The closest is
 * chosen by type, then by discriminating properties (an enum on the same
 * property in the alternatives, as Swagger's parameters have "in"), then by
 * the fewest errors and the deepest one. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Functions that only build messages are kept out of line (NOINLINE), so
 * that their buffers stay off the frames of the recursive walks, which go
 * as deep as the documents (limits.max_depth). */

#define RULE "schema"

typedef struct json_object jo;
typedef sgi_sch sch;
typedef sgi_pattern pattern;
typedef sgi_dep dep;

static const struct {
    const char *noun;
    unsigned bit;
} types[] = {{"an object", SGI_T_OBJECT},   {"an array", SGI_T_ARRAY},
             {"a string", SGI_T_STRING},    {"a number", SGI_T_NUMBER},
             {"an integer", SGI_T_INTEGER}, {"a boolean", SGI_T_BOOLEAN},
             {"null", SGI_T_NULL}};
#define NTYPES (sizeof types / sizeof types[0])

/* An error found in collect mode, reported at the end (or dropped when an
 * anyOf/oneOf alternative it belongs to is not the closest). */
typedef struct verr {
    const void *parent;
    uintptr_t slot;
    int at_key, has_related;
    size_t depth;
    sg_mark related;
    char *pointer, *msg;
    /* a missing required property, or the property a misspelt key was
     * meant to be, in object OBJ: one of the two findings is enough */
    jo *obj;
    const char *missing, *meant;
    const sch *ks;  /* the schema whose keyword failed, or NULL */
    const char *kw; /* that keyword ("type", "enum", "required", ...) */
} verr;

typedef struct seg {
    const char *key; /* NULL: array index */
    size_t idx;
} seg;

/* One validation: the instance, the compiled schemas (SESS) and the walk. */
typedef struct vctx {
    sg_options opts;
    const sg_document *inst;
    sg_diagnostics *diags;
    sgi_schema_session *sess;
    sg_status st;
    verr *errs;
    size_t nerr, err_cap, keep_max, total;
    seg *path;
    size_t depth, path_cap;
    const sch **active; /* schemas applied on the current path */
    size_t nactive, node_base, max_active;
    int deep_reported;
    /* verdicts by (schema, container): without them, nested alternatives
     * over a deep value cost exponential time (see eval) */
    struct memo {
        const sch *s;
        jo *v;
        int valid, collected; /* collected: its errors are recorded for good */
    } * memo;
    size_t memo_cap, memo_n;
    unsigned closest_depth; /* nested closest() calls on the current path */
    uint64_t evals, eval_budget;
    int over_budget;
    /* the alternatives of anyOf/oneOf met so far, with their discriminating
     * properties (ALT_D[first..first+n)), see alt_fails */
    struct alt {
        const sch *s;
        size_t first, n;
        size_t per_level; /* see calm */
    } * alt;
    size_t alt_cap, alt_n;
    struct alt_d {
        const char *name;
        const sch *p;
        lh_hash_fn *fn; /* NAME's hash by FN, for the lookups in values */
        unsigned long h;
    } * alt_d;
    size_t alt_d_cap, alt_d_n;
    sgi_schema_sink sink; /* findings go here rather than to DIAGS, when set */
    void *sink_ctx;
} vctx;

/* The allocator of the call: its options' hooks (NULL: the C library). */
#define VA(c) ((c)->opts.allocator)

static void *oom(vctx *c)
{
    c->st = SG_ENOMEM;
    return NULL;
}

static int grow(vctx *c, void **arr, size_t *cap, size_t need, size_t size)
{
    return sgi_grow_a(VA(c), arr, cap, need, size) || oom(c) != NULL;
}

/* ---- describing values -------------------------------------------------- */

static unsigned type_bits(jo *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return SGI_T_NULL;
    case json_type_boolean:
        return SGI_T_BOOLEAN;
    case json_type_int:
        return SGI_T_NUMBER | SGI_T_INTEGER;
    case json_type_double:
        return SGI_T_NUMBER | (sgi_number_is_integer(v) ? SGI_T_INTEGER : 0);
    case json_type_string:
        return SGI_T_STRING;
    case json_type_array:
        return SGI_T_ARRAY;
    case json_type_object:
        return SGI_T_OBJECT;
    }
    return 0;
}

static void number_text(jo *v, char *buf, size_t cap)
{
    const char *t = sg_number_text(v);
    if (t)
        snprintf(buf, cap, "%s", t);
    else if (json_object_is_type(v, json_type_double))
        snprintf(buf, cap, "%.17g", json_object_get_double(v));
    else if (json_object_get_int64(v) == INT64_MAX)
        snprintf(buf, cap, "%llu", (unsigned long long)json_object_get_uint64(v));
    else
        snprintf(buf, cap, "%lld", (long long)json_object_get_int64(v));
}

void sgi_schema_describe(jo *v, size_t excerpt_chars, char *buf, size_t cap)
{
    char ex[400];
    switch (json_object_get_type(v)) {
    case json_type_null:
        snprintf(buf, cap, "null");
        break;
    case json_type_boolean:
        snprintf(buf, cap, "the boolean %s", json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
    case json_type_double:
        number_text(v, ex, 80);
        snprintf(buf, cap, "the number %s", ex);
        break;
    case json_type_string:
        sgi_excerpt(ex, sizeof ex, json_object_get_string(v), (size_t)json_object_get_string_len(v),
                    excerpt_chars);
        snprintf(buf, cap, "the string \"%s\"", ex);
        break;
    case json_type_array:
        snprintf(buf, cap, "an array");
        break;
    case json_type_object:
        snprintf(buf, cap, "an object");
        break;
    }
}

static NOINLINE void describe(const vctx *c, jo *v, char *buf, size_t cap)
{
    sgi_schema_describe(v, (size_t)c->opts.limits.excerpt_chars, buf, cap);
}

/* "a string or an integer" */
static void type_list(unsigned bits, char *buf, size_t cap)
{
    size_t o = 0, n = 0, k = 0;
    if (bits & SGI_T_NUMBER)
        bits &= ~(unsigned)SGI_T_INTEGER;
    for (size_t i = 0; i < NTYPES; i++)
        n += (bits & types[i].bit) != 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NTYPES && o < cap; i++) {
        if (!(bits & types[i].bit))
            continue;
        k++;
        o += (size_t)snprintf(buf + o, cap - o, "%s%s",
                              k == 1   ? ""
                              : k == n ? " or "
                                       : ", ",
                              types[i].noun);
    }
}

void sgi_schema_excerpt_json(const sg_allocator *a, jo *v, char *buf, size_t cap, size_t chars)
{
    sgi_buf b = {.alloc = a};
    sgi_emit_json(&b, v, -1);
    if (b.oom || !b.data)
        snprintf(buf, cap, "...");
    else
        sgi_excerpt(buf, cap, b.data, b.len, chars);
    sgi_buf_fini(&b);
}

/* Edit distance with adjacent transpositions (optimal string alignment):
 * "nmae" is one step from "name". */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m)
{
    size_t rows[3][65];
    if (n > 64 || m > 64)
        return SIZE_MAX;
    for (size_t j = 0; j <= m; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t *cur = rows[i % 3], *prev = rows[(i + 2) % 3], *prev2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
    }
    return rows[n % 3][m];
}

const char *sgi_schema_did_you_mean(const char *word, const char *const *cands, size_t n)
{
    size_t wl = strlen(word), best = SIZE_MAX;
    const char *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t cl = strlen(cands[i]);
        size_t d = edit_distance(word, wl, cands[i], cl);
        if (d > 1 && wl >= 3 && cl > wl && !strncmp(cands[i], word, wl))
            d = 1; /* "int" for "integer", "str" for "string" */
        size_t allow = (wl > cl ? wl : cl) / 3;
        if (allow < 1)
            allow = 1;
        if (d > 0 && d <= allow && d <= 3 && d < best) {
            best = d;
            pick = cands[i];
        }
    }
    return pick;
}

/* ---- findings ----------------------------------------------------------- */

/* Record an instance error at PARENT/SLOT (with AT_KEY: the member's key,
 * whose name KEY is then added to the pointer). */
static void report(vctx *c, const sch *ks, const char *kw, const void *parent, uintptr_t slot,
                   const char *key, const sg_mark *related, const char *fmt, ...)
    SGI_PRINTF(8, 9);
static NOINLINE void report(vctx *c, const sch *ks, const char *kw, const void *parent,
                            uintptr_t slot, const char *key, const sg_mark *related,
                            const char *fmt, ...)
{
    c->total++;
    if (c->st != SG_OK || c->nerr >= c->keep_max ||
        !grow(c, (void **)&c->errs, &c->err_cap, c->nerr + 1, sizeof *c->errs))
        return;
    sgi_buf p = {.alloc = VA(c)};
    sgi_buf_puts(&p, "");
    for (size_t i = 0; i < c->depth; i++) {
        if (c->path[i].key) {
            sgi_buf_append(&p, "/", 1);
            sgi_pointer_append(&p, c->path[i].key, strlen(c->path[i].key));
        } else {
            sgi_buf_printf(&p, "/%zu", c->path[i].idx);
        }
    }
    if (key) {
        sgi_buf_append(&p, "/", 1);
        sgi_pointer_append(&p, key, strlen(key));
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = sgi_vformat_a(VA(c), fmt, ap);
    va_end(ap);
    if (!msg || p.oom) {
        sgi_free(VA(c), msg);
        sgi_buf_fini(&p);
        oom(c);
        return;
    }
    verr *e = &c->errs[c->nerr++];
    memset(e, 0, sizeof *e);
    e->parent = parent;
    e->slot = slot;
    e->at_key = key != NULL;
    e->depth = c->depth + (key != NULL);
    e->pointer = p.data;
    e->msg = msg;
    e->ks = ks;
    e->kw = kw;
    if (related) {
        e->has_related = 1;
        e->related = *related;
    }
}

static void drop_errors(vctx *c, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        sgi_free(VA(c), c->errs[i].pointer);
        sgi_free(VA(c), c->errs[i].msg);
    }
}

/* ---- validate ------------------------------------------------------------ */

static int eval(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot, int collect);

static size_t hash_ptr(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

static sch *deref(sch *s)
{
    return s->ref_state == SGI_REF_NONE ? s : s->ref_state == SGI_REF_DONE ? s->target : NULL;
}

static int in_enum(const sch *s, jo *v)
{
    if (json_object_is_type(v, json_type_string) && s->nenum <= 16) {
        /* Short enums of names (most of Swagger's): bytes, no hashing. */
        const char *str = json_object_get_string(v);
        int len = json_object_get_string_len(v);
        for (size_t i = 0; i < s->nenum; i++) {
            jo *e = json_object_array_get_idx(s->enum_, i);
            if (json_object_is_type(e, json_type_string) && json_object_get_string_len(e) == len &&
                memcmp(json_object_get_string(e), str, (size_t)len) == 0)
                return 1;
        }
        return 0;
    }
    uint64_t h = sgi_json_hash(v);
    for (size_t i = 0; i < s->nenum; i++)
        if (s->enum_hash[i] == h && sgi_json_equal(json_object_array_get_idx(s->enum_, i), v))
            return 1;
    return 0;
}

static int match(vctx *c, const pattern *p, const char *str, size_t n)
{
    int r = sgi_schema_match(c->sess, p, str, n);
    if (r == -3) {
        /* Out of memory is the run's status, not a finding about the value. */
        oom(c);
        return 0;
    }
    return r;
}

static NOINLINE void too_costly(vctx *c, const pattern *p, int r, const void *parent,
                                uintptr_t slot, const char *key)
{
    char ex[300];
    sgi_excerpt(ex, sizeof ex, p->text, p->len, (size_t)c->opts.limits.excerpt_chars);
    if (r == -1)
        report(c, NULL, "pattern", parent, slot, key, NULL,
               "pattern too costly: matching /%s/ against this %s ran over the regex limits, so "
               "it could not be checked; simplify the pattern or raise --limit regex-match=N",
               ex, key ? "name" : "value");
    else
        report(c, NULL, "pattern", parent, slot, key, NULL,
               "the pattern /%s/ could not be matched against this %s", ex,
               key ? "name" : "value");
}

/* "expected a string, found the number 2.0", with a hint for YAML. */
static NOINLINE void type_error(vctx *c, const sch *s, unsigned types_, jo *v, const void *parent,
                                uintptr_t slot)
{
    char exp[200], found[512], hint[200] = "";
    unsigned tb = type_bits(v);
    type_list(types_, exp, sizeof exp);
    describe(c, v, found, sizeof found);
    if ((types_ & SGI_T_STRING) && (tb & (SGI_T_NUMBER | SGI_T_BOOLEAN)) &&
        sg_document_format(c->inst) == SG_FORMAT_YAML) {
        char x[100];
        if (tb & SGI_T_NUMBER)
            number_text(v, x, sizeof x);
        snprintf(hint, sizeof hint, "; quote it: \"%s\"",
                 tb & SGI_T_NUMBER            ? x
                 : json_object_get_boolean(v) ? "true"
                                              : "false");
    }
    report(c, s, "type", parent, slot, NULL, NULL, "expected %s, found %s%s", exp, found, hint);
}

static int push_seg(vctx *c, const char *key, size_t idx)
{
    if (c->depth + 1 > c->path_cap && /* a call per step otherwise */
        !grow(c, (void **)&c->path, &c->path_cap, c->depth + 1, sizeof *c->path))
        return 0;
    c->path[c->depth].key = key;
    c->path[c->depth].idx = idx;
    c->depth++;
    return 1;
}

/* Validate the child V of PARENT (at SLOT, named KEY or index IDX) against S. */
static int child(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot, const char *key,
                 size_t idx, int collect)
{
    if (!push_seg(c, key, idx))
        return 1;
    size_t base = c->node_base;
    c->node_base = c->nactive;
    int ok = eval(c, s, v, parent, slot, collect);
    c->node_base = base;
    c->depth--;
    return ok;
}

static NOINLINE int eval_number(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot,
                                int collect)
{
    char x[100], m[100];
    int ok = 1;
    if (s->multiple_of) {
        int r = sgi_number_multiple_of_a(VA(c), v, s->multiple_of);
        if (r != 1) {
            if (!collect)
                return 0;
            ok = 0;
            number_text(v, x, sizeof x);
            number_text(s->multiple_of, m, sizeof m);
            if (r == 0)
                report(c, s, "multipleOf", parent, slot, NULL, NULL,
                       "expected a multiple of %s, found %s", m, x);
            else
                report(c, s, "multipleOf", parent, slot, NULL, NULL,
                       "cannot decide exactly whether %s is a multiple of %s (their exponents "
                       "are too far apart), so it is not accepted",
                       x, m);
        }
    }
    for (int hi = 1; hi >= 0; hi--) {
        jo *lim = hi ? s->maximum : s->minimum;
        int excl = hi ? s->excl_max : s->excl_min;
        if (!lim)
            continue;
        int cmp = sgi_number_cmp(v, lim) * (hi ? 1 : -1);
        if (cmp < 0 || (cmp == 0 && !excl))
            continue;
        if (!collect)
            return 0;
        ok = 0;
        number_text(v, x, sizeof x);
        number_text(lim, m, sizeof m);
        report(c, s, hi ? "maximum" : "minimum", parent, slot, NULL, NULL,
               "expected %s %s, found %s",
               hi ? (excl ? "less than" : "at most") : (excl ? "more than" : "at least"), m, x);
    }
    return ok;
}

static const char *format_noun(const char *f)
{
    static const char *const nouns[][2] = {
        {"date-time", "date-time (RFC 3339, e.g. 2024-01-31T12:00:00Z)"},
        {"email", "e-mail address"},
        {"hostname", "host name (RFC 1123)"},
        {"ipv4", "IPv4 address"},
        {"ipv6", "IPv6 address"},
        {"uri", "absolute URI (RFC 3986)"}};
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
        if (!strcmp(f, nouns[i][0]))
            return nouns[i][1];
    return f;
}

static NOINLINE int eval_string(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot,
                                int collect)
{
    const char *str = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    char d[512], ex[300];
    int ok = 1;
    if (s->max_len >= 0 || s->min_len >= 0) {
        size_t cps = 0;
        for (size_t i = 0; i < len; i++)
            cps += ((unsigned char)str[i] & 0xC0) != 0x80;
        int over = s->max_len >= 0 && cps > (uint64_t)s->max_len;
        if (over || (s->min_len >= 0 && cps < (uint64_t)s->min_len)) {
            if (!collect)
                return 0;
            ok = 0;
            describe(c, v, d, sizeof d);
            report(c, s, over ? "maxLength" : "minLength", parent, slot, NULL, NULL,
                   "expected at %s %lld character%s, found %zu (%s)",
                   over ? "most" : "least", (long long)(over ? s->max_len : s->min_len),
                   (over ? s->max_len : s->min_len) == 1 ? "" : "s", cps, d);
        }
    }
    if (s->has_pat) {
        int r = match(c, &s->pat, str, len);
        if (r != 1) {
            if (!collect)
                return 0;
            ok = 0;
            if (r < 0) {
                too_costly(c, &s->pat, r, parent, slot, NULL);
            } else {
                describe(c, v, d, sizeof d);
                sgi_excerpt(ex, sizeof ex, s->pat.text, s->pat.len,
                            (size_t)c->opts.limits.excerpt_chars);
                report(c, s, "pattern", parent, slot, NULL, NULL,
                       "expected a string matching /%s/, found %s", ex, d);
            }
        }
    }
    if (s->format && sgi_format_check(s->format, str, len) == 0) {
        if (!collect)
            return 0;
        ok = 0;
        describe(c, v, d, sizeof d);
        report(c, s, "format", parent, slot, NULL, NULL, "expected %s %s, found %s",
               strchr("aeiouAEIOU", format_noun(s->format)[0]) ? "an" : "a", format_noun(s->format),
               d);
    }
    return ok;
}

/* ---- uniqueItems ---------------------------------------------------------- */

static uint64_t fp_mix(uint64_t h)
{
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return h;
}

static uint64_t fp_word(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The length and at most 24 bytes (both ends and the middle): the texts in
 * arrays of parameters (descriptions) are long, and reading them through
 * was most of the cost of uniqueItems. Equal fingerprints are only a hint
 * (the items are compared then), and long runs of them go the full way. */
static uint64_t fp_bytes(uint64_t h, const char *p, size_t n)
{
    h ^= (uint64_t)n * 0x9E3779B97F4A7C15ull;
    if (n > 16)
        return fp_mix(fp_mix(fp_mix(h ^ fp_word(p)) ^ fp_word(p + n / 2 - 4)) ^
                      fp_word(p + n - 8));
    uint64_t a = 0, b = 0;
    memcpy(&a, p, n < 8 ? n : 8);
    if (n > 8)
        memcpy(&b, p + 8, n - 8);
    return fp_mix(fp_mix(h ^ a) ^ b);
}

/* A fingerprint that equal values (sgi_json_equal) share: numbers through
 * sgi_json_hash (1 == 1.0), objects by the multiset of their values. */
static uint64_t fingerprint(jo *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return 0x11;
    case json_type_boolean:
        return json_object_get_boolean(v) ? 0x12 : 0x13;
    case json_type_int:
    case json_type_double:
        return sgi_json_hash(v);
    case json_type_string:
        return fp_bytes(0x14, json_object_get_string(v), (size_t)json_object_get_string_len(v));
    case json_type_array: {
        size_t n = json_object_array_length(v);
        uint64_t h = 0x15 ^ n;
        for (size_t i = 0; i < n; i++)
            h = fp_mix((h + fingerprint(json_object_array_get_idx(v, i))) * 0x100000001B3ull);
        return h;
    }
    case json_type_object: {
        /* the values alone: objects in one array mostly share their keys */
        uint64_t h = 0x16;
        for (struct lh_entry *e = json_object_get_object(v)->head; e; e = e->next)
            h += fp_mix(fingerprint((jo *)e->v) + 0x17);
        return h;
    }
    }
    return 0;
}

static int by_fp(const void *a, const void *b)
{
    const sgi_hidx *x = a, *y = b;
    return x->h < y->h ? -1 : x->h > y->h;
}

/* Whether the N items of V are all different: 1, 0 (two are equal), -1
 * (out of memory) or -2 (undecided: many items share a fingerprint). Only
 * pairs with equal fingerprints are compared. */
static int all_different(vctx *c, jo *v, size_t n)
{
    sgi_hidx small[16], *fp = n <= 16 ? small : sgi_malloc(VA(c), n * sizeof *fp);
    int r = 1;
    if (!fp)
        return -1;
    for (size_t i = 0; i < n; i++) {
        fp[i].h = fingerprint(json_object_array_get_idx(v, i));
        fp[i].i = i;
    }
    if (n > 16) /* runs of equal fingerprints */
        qsort(fp, n, sizeof *fp, by_fp);
    for (size_t a = 1; a < n && r == 1; a++)
        for (size_t b = a; b > 0 && r == 1; b--) {
            if (fp[b - 1].h != fp[a].h) {
                if (n > 16)
                    break;
                continue;
            }
            if (n > 16 && a - b >= 8)
                r = -2; /* a long run: pairwise would be quadratic */
            else if (sgi_json_equal(json_object_array_get_idx(v, fp[b - 1].i),
                                    json_object_array_get_idx(v, fp[a].i)))
                r = 0;
        }
    if (fp != small)
        sgi_free(VA(c), fp);
    return r;
}

/* uniqueItems by hashing and sorting: O(n log n), not pairwise. Items are
 * nearly always unique: that is settled first by fingerprints; the full
 * pass below, whose order the findings keep, runs only for repeats. */
static NOINLINE int eval_unique(vctx *c, jo *v, int collect)
{
    size_t n = json_object_array_length(v);
    int diff = all_different(c, v, n);
    if (diff == -1)
        return oom(c) != NULL;
    if (diff == 1 || (diff == 0 && !collect))
        return diff;
    sgi_hidx *hs = sgi_json_hash_sorted_a(VA(c), v);
    int ok = 1;
    if (!hs)
        return oom(c) != NULL;
    for (size_t a = 0; a < n && (ok || collect); a++) {
        for (size_t b = a; b > 0 && hs[b - 1].h == hs[a].h; b--) {
            size_t i = hs[b - 1].i, j = hs[a].i;
            if (!sgi_json_equal(json_object_array_get_idx(v, i), json_object_array_get_idx(v, j)))
                continue;
            ok = 0;
            if (collect) {
                sg_mark first;
                int have = sgi_marks_at(c->inst->marks, v, i, 0, &first);
                if (push_seg(c, NULL, j)) {
                    report(c, NULL, "uniqueItems", v, j, NULL, have ? &first : NULL,
                           "item %zu repeats item %zu; the items must be unique", j, i);
                    c->depth--;
                }
            }
            break;
        }
    }
    sgi_free(VA(c), hs);
    return ok;
}

static NOINLINE int eval_array(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot,
                               int collect)
{
    size_t n = json_object_array_length(v);
    int ok = 1;
    int over = s->max_items >= 0 && n > (uint64_t)s->max_items;
    if (over || (s->min_items >= 0 && n < (uint64_t)s->min_items)) {
        if (!collect)
            return 0;
        ok = 0;
        long long lim = over ? s->max_items : s->min_items;
        report(c, s, over ? "maxItems" : "minItems", parent, slot, NULL, NULL,
               "expected at %s %lld item%s, found %zu",
               over ? "most" : "least", lim, lim == 1 ? "" : "s", n);
    }
    for (size_t i = 0; i < n && c->st == SG_OK; i++) {
        sch *is = s->tuple ? (i < s->ntuple ? s->tuple_of[i] : s->addl_items) : s->items;
        if (s->tuple && i >= s->ntuple && s->addl_items_false) {
            if (!collect)
                return 0;
            ok = 0;
            if (push_seg(c, NULL, i)) {
                report(c, s, "additionalItems", v, i, NULL, NULL,
                       "expected at most %zu item%s here (additionalItems is false), found %zu",
                       s->ntuple, s->ntuple == 1 ? "" : "s", n);
                c->depth--;
            }
            break;
        }
        if (is && !child(c, is, json_object_array_get_idx(v, i), v, i, NULL, i, collect)) {
            ok = 0;
            if (!collect)
                return 0;
        }
    }
    if (s->unique && n > 1 && (ok || collect))
        ok &= eval_unique(c, v, collect);
    return ok;
}

/* "property "x" is not allowed here (did you mean "y"?); allowed: ..." */
static NOINLINE void not_allowed(vctx *c, sch *s, jo *v, struct lh_entry *e)
{
    const char *key = (const char *)e->k;
    char ex[300], allowed[700];
    size_t o = 0, shown = s->nprops < 8 ? s->nprops : 8;
    if (c->nerr >= c->keep_max) { /* only counted: spare the search below */
        c->total++;
        return;
    }
    sgi_excerpt(ex, sizeof ex, key, strlen(key), (size_t)c->opts.limits.excerpt_chars);
    if (s->nprops == 1 && !strcmp(s->prop_names[0], "$ref") && !s->npprops) {
        report(c, s, "additionalProperties", v, (uintptr_t)e->k, key, NULL,
               "property \"%s\" is not allowed next to \"$ref\": a reference holds $ref alone "
               "(tools ignore its other members); remove it",
               ex);
        return;
    }
    const char *dym =
        s->nprops <= 1024 ? sgi_schema_did_you_mean(key, s->prop_names, s->nprops) : NULL;
    allowed[0] = '\0';
    for (size_t i = 0; i < shown; i++) {
        char nx[100];
        sgi_excerpt(nx, sizeof nx, s->prop_names[i], strlen(s->prop_names[i]), 40);
        o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s\"%s\"", i ? ", " : "", nx);
    }
    if (shown < s->nprops)
        o += (size_t)snprintf(allowed + o, sizeof allowed - o, ", ... (%zu more)",
                              s->nprops - shown);
    for (size_t i = 0; i < s->npprops && i < 4; i++) {
        char px[100];
        sgi_excerpt(px, sizeof px, s->pprops[i].pat.text, s->pprops[i].pat.len, 40);
        o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s/%s/",
                              i   ? ", "
                              : o ? " and names matching "
                                  : "names matching ",
                              px);
    }
    size_t before = c->nerr;
    report(c, s, "additionalProperties", v, (uintptr_t)e->k, key, NULL,
           "property \"%s\" is not allowed here%s%s%s%s%s", ex,
           dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "",
           o ? "; allowed: " : " (additionalProperties is false)", allowed);
    if (c->nerr > before) {
        c->errs[before].obj = v;
        c->errs[before].meant = dym;
    }
}

/* A member of T that S does not declare and whose name looks like a
 * misspelling of NAME. */
static const char *misspelling_of(vctx *c, sch *s, struct lh_table *t, const char *name)
{
    for (struct lh_entry *e = t->head; e; e = e->next) {
        const char *key = (const char *)e->k;
        int declared = s->props && lh_table_lookup_entry(s->props, key);
        for (size_t i = 0; i < s->npprops && !declared; i++)
            declared = match(c, &s->pprops[i].pat, key, strlen(key)) != 0;
        if (!declared && sgi_schema_did_you_mean(key, &name, 1))
            return key;
    }
    return NULL;
}

/* Required property NAME is missing from V (members T). */
static NOINLINE void missing_error(vctx *c, sch *s, jo *v, struct lh_table *t, const char *name,
                                   const void *parent, uintptr_t slot)
{
    char ex[300], tx[300];
    if (c->nerr >= c->keep_max) { /* only counted: spare the search below */
        c->total++;
        return;
    }
    /* A typo is guessed among the names of objects of a readable size, and
     * only where the schema lists properties to tell typos apart. */
    const char *typo = s->props && lh_table_length(t) <= 256 ? misspelling_of(c, s, t, name) : NULL;
    if (typo && s->addl_props_false)
        return; /* one finding: "not allowed here (did you mean ...?)" at the typo */
    sgi_excerpt(ex, sizeof ex, name, strlen(name), (size_t)c->opts.limits.excerpt_chars);
    if (typo)
        sgi_excerpt(tx, sizeof tx, typo, strlen(typo), (size_t)c->opts.limits.excerpt_chars);
    size_t before = c->nerr;
    report(c, s, "required", parent, slot, NULL, NULL, "missing required property \"%s\"%s%s%s", ex,
           typo ? " (\"" : "", typo ? tx : "", typo ? "\" looks like a misspelling of it)" : "");
    if (c->nerr > before) {
        c->errs[before].obj = v;
        c->errs[before].missing = name;
    }
}

/* Property NAME, present, needs NEED, which is missing. */
static NOINLINE void dep_error(vctx *c, const sch *s, const char *name, const char *need,
                               const void *parent, uintptr_t slot)
{
    char a[200], b[200];
    sgi_excerpt(a, sizeof a, name, strlen(name), 60);
    sgi_excerpt(b, sizeof b, need, strlen(need), 60);
    report(c, s, "dependencies", parent, slot, NULL, NULL,
           "property \"%s\" requires property \"%s\" too, which is missing", a, b);
}

static NOINLINE int eval_object(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot,
                                int collect)
{
    struct lh_table *t = json_object_get_object(v);
    size_t n = (size_t)lh_table_length(t);
    int ok = 1;
    int over = s->max_props >= 0 && n > (uint64_t)s->max_props;
    if (over || (s->min_props >= 0 && n < (uint64_t)s->min_props)) {
        if (!collect)
            return 0;
        ok = 0;
        long long lim = over ? s->max_props : s->min_props;
        report(c, s, over ? "maxProperties" : "minProperties", parent, slot, NULL, NULL,
               "expected at %s %lld propert%s, found %zu",
               over ? "most" : "least", lim, lim == 1 ? "y" : "ies", n);
    }
    for (size_t i = 0; i < s->nrequired; i++) {
        if (lh_table_lookup_entry(t, s->required[i]))
            continue;
        if (!collect)
            return 0;
        ok = 0;
        missing_error(c, s, v, t, s->required[i], parent, slot);
    }
    for (size_t i = 0; i < s->ndeps && c->st == SG_OK; i++) {
        dep *d = &s->deps[i];
        if (!lh_table_lookup_entry(t, d->name))
            continue;
        if (d->s) {
            ok &= eval(c, d->s, v, parent, slot, collect);
        } else {
            for (size_t k = 0; k < json_object_array_length(d->names); k++) {
                const char *need = json_object_get_string(json_object_array_get_idx(d->names, k));
                if (lh_table_lookup_entry(t, need))
                    continue;
                ok = 0;
                if (!collect)
                    break;
                dep_error(c, s, d->name, need, parent, slot);
            }
        }
        if (!ok && !collect)
            return 0;
    }
    if (!s->props && !s->npprops && !s->addl_props && !s->addl_props_false)
        return ok;
    for (struct lh_entry *e = t->head; e && c->st == SG_OK; e = e->next) {
        const char *key = (const char *)e->k;
        size_t klen = s->npprops ? strlen(key) : 0;
        jo *val = (jo *)e->v;
        void *ps = NULL;
        int matched = 0;
        if (s->props && lh_table_lookup_ex(s->props, key, &ps)) {
            matched = 1;
            ok &= child(c, ps, val, v, (uintptr_t)e->k, key, 0, collect);
        }
        for (size_t i = 0; i < s->npprops && (ok || collect); i++) {
            int r = match(c, &s->pprops[i].pat, key, klen);
            if (r == 1) {
                matched = 1;
                ok &= child(c, s->pprops[i].s, val, v, (uintptr_t)e->k, key, 0, collect);
            } else if (r < 0) {
                matched = 1;
                ok = 0;
                if (collect)
                    too_costly(c, &s->pprops[i].pat, r, v, (uintptr_t)e->k, key);
            }
        }
        if (!matched && s->addl_props_false) {
            ok = 0;
            if (collect)
                not_allowed(c, s, v, e);
        } else if (!matched && s->addl_props) {
            ok &= child(c, s->addl_props, val, v, (uintptr_t)e->k, key, 0, collect);
        }
        if (!ok && !collect)
            return 0;
    }
    return ok;
}

/* ---- closest alternative of a failed anyOf/oneOf -------------------------- */

/* The types S can accept (0: any), looking through $ref and combinators. */
static unsigned eff_types(sch *s, int depth)
{
    if (depth > 16 || !(s = deref(s)))
        return 0;
    if (s->types)
        return s->types;
    for (size_t i = 0; i < s->nall; i++) {
        unsigned t = eff_types(s->all_of[i], depth + 1);
        if (t)
            return t;
    }
    unsigned u = 0;
    size_t n = s->none ? s->none : s->nany;
    for (size_t i = 0; i < n; i++) {
        unsigned t = eff_types(s->none ? s->one_of[i] : s->any_of[i], depth + 1);
        if (!t)
            return 0;
        u |= t;
    }
    return u;
}

enum { D_OK = 1, D_NO = 2, D_ENUM = 4 };

/* What S says about property KEY having value VAL: D_ENUM when an enum
 * decides it, D_OK allowed by one, D_NO excluded (by an enum, or by
 * additionalProperties: false). */
static unsigned disc(vctx *c, sch *s, const char *key, jo *val, int depth)
{
    void *ps = NULL;
    unsigned r = 0;
    if (depth > 16 || !(s = deref(s)))
        return 0;
    if (s->props && lh_table_lookup_ex(s->props, key, &ps)) {
        sch *p = deref(ps);
        if (p && p->enum_)
            r = D_ENUM | (in_enum(p, val) ? D_OK : D_NO);
    } else if (s->addl_props_false) {
        int any = 0;
        for (size_t i = 0; i < s->npprops && !any; i++)
            any = match(c, &s->pprops[i].pat, key, strlen(key)) != 0;
        r = any ? 0 : D_NO;
    }
    for (size_t i = 0; i < s->nall; i++)
        r |= disc(c, s->all_of[i], key, val, depth + 1);
    size_t n = s->none ? s->none : s->nany;
    if (n) {
        unsigned all_no = D_NO, acc = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned d = disc(c, s->none ? s->one_of[i] : s->any_of[i], key, val, depth + 1);
            all_no &= d;
            acc |= d & (D_ENUM | D_OK);
        }
        r |= acc | all_no;
    }
    return r;
}

/* Add to VALS (distinct, at most CAP) the values the enums of S allow for
 * property KEY. */
static void enum_values(sch *s, const char *key, jo **vals, size_t *n, size_t cap, int depth)
{
    void *ps = NULL;
    if (depth > 16 || !(s = deref(s)))
        return;
    sch *p = s->props && lh_table_lookup_ex(s->props, key, &ps) ? deref(ps) : NULL;
    for (size_t i = 0; p && p->enum_ && i < p->nenum && *n < cap; i++) {
        jo *e = json_object_array_get_idx(p->enum_, i);
        size_t k = 0;
        while (k < *n && !sgi_json_equal(vals[k], e))
            k++;
        if (k == *n)
            vals[(*n)++] = e;
    }
    for (size_t i = 0; i < s->nall; i++)
        enum_values(s->all_of[i], key, vals, n, cap, depth + 1);
    for (size_t i = 0; i < s->nany; i++)
        enum_values(s->any_of[i], key, vals, n, cap, depth + 1);
    for (size_t i = 0; i < s->none; i++)
        enum_values(s->one_of[i], key, vals, n, cap, depth + 1);
}

/* When every alternative left rejects the value of the same discriminating
 * property, that value is the mistake: say which values the alternatives
 * take, at the property. Returns 1 when it reported so. */
static int wrong_discriminator(vctx *c, sch **alts, size_t n, const unsigned char *cand, jo *v)
{
    for (struct lh_entry *e = json_object_get_object(v)->head; e; e = e->next) {
        jo *val = (jo *)e->v, *vals[24];
        size_t nv = 0, o = 0;
        int all = 1;
        if (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array))
            continue;
        for (size_t i = 0; i < n && all; i++)
            all = !cand[i] || (disc(c, alts[i], (const char *)e->k, val, 0) &
                               (D_ENUM | D_NO | D_OK)) == (D_ENUM | D_NO);
        if (!all)
            continue;
        for (size_t i = 0; i < n; i++)
            if (cand[i])
                enum_values(alts[i], (const char *)e->k, vals, &nv, 24, 0);
        char list[800], one[120], found[512];
        for (size_t i = 0; i < nv && o < 600; i++) {
            sgi_schema_excerpt_json(VA(c), vals[i], one, sizeof one, 40);
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", one);
        }
        describe(c, val, found, sizeof found);
        if (push_seg(c, (const char *)e->k, 0)) {
            report(c, NULL, "enum", v, (uintptr_t)e->k, NULL, NULL, "expected %s%s%s, found %s",
                   nv == 1 ? "" : "one of ", list, nv == 24 ? ", ..." : "", found);
            c->depth--;
        }
        return 1;
    }
    return 0;
}

/* Keep in CAND the alternatives whose discriminating properties (those an
 * enum decides in some alternative) agree with V best. A property that an
 * enum decides in every alternative left (Swagger's parameter "in") is the
 * discriminator proper and counts first; one decided in only some of them
 * ("required": [true] of path parameters) breaks ties. */
static void discriminate(vctx *c, sch **alts, size_t n, unsigned char *cand, jo *v)
{
    size_t *miss = sgi_calloc(VA(c), n, sizeof *miss), *miss2 = sgi_calloc(VA(c), n, sizeof *miss2);
    unsigned *d = sgi_calloc(VA(c), n, sizeof *d);
    if (!miss || !miss2 || !d) {
        sgi_free(VA(c), miss);
        sgi_free(VA(c), miss2);
        sgi_free(VA(c), d);
        oom(c);
        return;
    }
    size_t ncand = 0;
    for (size_t i = 0; i < n; i++)
        ncand += cand[i] != 0;
    for (struct lh_entry *e = json_object_get_object(v)->head; e; e = e->next) {
        jo *val = (jo *)e->v;
        if (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array))
            continue;
        size_t deciders = 0;
        for (size_t i = 0; i < n; i++)
            if (cand[i] && ((d[i] = disc(c, alts[i], (const char *)e->k, val, 0)) & D_ENUM))
                deciders++;
        for (size_t i = 0; deciders && i < n; i++)
            (deciders == ncand ? miss : miss2)[i] += cand[i] && (d[i] & D_NO);
    }
    size_t best = SIZE_MAX, best2 = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (cand[i] && (miss[i] < best || (miss[i] == best && miss2[i] < best2))) {
            best = miss[i];
            best2 = miss2[i];
        }
    for (size_t i = 0; i < n; i++)
        cand[i] = cand[i] && miss[i] == best && miss2[i] == best2;
    sgi_free(VA(c), miss);
    sgi_free(VA(c), miss2);
    sgi_free(VA(c), d);
}

/* An object with a string "$ref" is a JSON Reference, whatever else it
 * holds: when some alternatives require "$ref", keep only those. */
static void prefer_reference(vctx *c, sch **alts, size_t n, unsigned char *cand, jo *v)
{
    jo *r;
    unsigned char *req = sgi_calloc(VA(c), n ? n : 1, 1);
    int any = 0;
    if (!req || !json_object_object_get_ex(v, "$ref", &r) ||
        !json_object_is_type(r, json_type_string)) {
        sgi_free(VA(c), req);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sch *a = cand[i] ? deref(alts[i]) : NULL;
        for (size_t k = 0; a && k < a->nrequired && !req[i]; k++)
            req[i] = !strcmp(a->required[k], "$ref");
        any |= req[i];
    }
    for (size_t i = 0; any && i < n; i++)
        cand[i] = req[i];
    sgi_free(VA(c), req);
}

/* A oneOf matched by alternatives FIRST and SECOND, or (SECOND 0) an
 * anyOf/oneOf whose alternatives failed without saying why. */
static NOINLINE void union_error(vctx *c, const sch *s, const char *kw, size_t first, size_t second,
                                 const void *parent, uintptr_t slot)
{
    char w[300];
    sgi_schema_where(c->sess, s, w, sizeof w);
    if (second)
        report(c, s, kw, parent, slot, NULL, NULL,
               "matches more than one alternative of %s/%s (%zu and %zu); it must match "
               "exactly one",
               w, kw, first, second);
    else
        report(c, s, kw, parent, slot, NULL, NULL, "does not match any alternative of %s/%s", w,
               kw);
}

/* Report the errors of the alternative of S (KW: "anyOf"/"oneOf") that came
 * closest to accepting V. */
static NOINLINE void closest(vctx *c, sch *s, sch **alts, size_t n, const char *kw, jo *v,
                             const void *parent, uintptr_t slot)
{
    unsigned tb = type_bits(v), excluded = 0;
    unsigned char *cand = sgi_calloc(VA(c), n, 1);
    size_t ncand = 0;
    if (!cand) {
        oom(c);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned t = eff_types(alts[i], 0);
        cand[i] = !t || (t & tb);
        ncand += cand[i];
        excluded |= t;
    }
    if (ncand == 0) {
        type_error(c, s, excluded, v, parent, slot);
        sgi_free(VA(c), cand);
        return;
    }
    if ((tb & SGI_T_OBJECT) && ncand > 1)
        prefer_reference(c, alts, n, cand, v);
    if ((tb & SGI_T_OBJECT) && ncand > 1)
        discriminate(c, alts, n, cand, v);
    ncand = 0;
    for (size_t i = 0; i < n; i++)
        ncand += cand[i];
    if ((tb & SGI_T_OBJECT) && ncand > 1 && wrong_discriminator(c, alts, n, cand, v)) {
        sgi_free(VA(c), cand);
        return;
    }
    size_t base = c->nerr, t0 = c->total, best = SIZE_MAX, best_count = 0, best_depth = 0;
    /* Comparing alternatives re-runs them; nested under three comparisons
     * already, take the first candidate, so that the work stays bounded. */
    int compare = c->closest_depth < 3;
    c->closest_depth++;
    for (size_t i = 0; i < n && c->st == SG_OK && (compare || best == SIZE_MAX); i++) {
        if (!cand[i])
            continue;
        size_t e0 = c->nerr, before = c->total, depth = 0;
        eval(c, alts[i], v, parent, slot, 1);
        size_t count = c->total - before;
        for (size_t k = e0; k < c->nerr; k++)
            depth = c->errs[k].depth > depth ? c->errs[k].depth : depth;
        if (count > 0 && (best == SIZE_MAX || count < best_count ||
                          (count == best_count && depth > best_depth))) {
            drop_errors(c, base, e0);
            if (c->nerr > e0) /* errs is NULL when no error could be kept */
                memmove(c->errs + base, c->errs + e0, (c->nerr - e0) * sizeof *c->errs);
            c->nerr = base + (c->nerr - e0);
            best = i;
            best_count = count;
            best_depth = depth;
        } else {
            drop_errors(c, e0, c->nerr);
            c->nerr = e0;
        }
    }
    c->closest_depth--;
    c->total = t0 + best_count;
    sgi_free(VA(c), cand);
    if (best == SIZE_MAX)
        union_error(c, s, kw, 0, 0, parent, slot);
}

/* The schemas reachable from one (see calm). */
enum { CALM_MAX = 256, CALM_SEEN = 512 };
typedef struct calm_walk {
    sch *node[CALM_MAX];
    unsigned short slot[CALM_SEEN]; /* index + 1 into node, 0: free */
    unsigned char state[CALM_MAX];  /* 1: on the path, 2: done */
    size_t chain[CALM_MAX];
    size_t n;
    int full;
} calm_walk;

/* The index of R (dereferenced) in W, added when new; SIZE_MAX for a $ref
 * to nowhere (validates everything, reports nothing), or when W is full. */
static size_t calm_node(calm_walk *w, sch *r)
{
    sch *t = deref(r);
    if (!t)
        return SIZE_MAX;
    size_t j = hash_ptr(t) & (CALM_SEEN - 1);
    while (w->slot[j] && w->node[w->slot[j] - 1] != t)
        j = (j + 1) & (CALM_SEEN - 1);
    if (w->slot[j])
        return w->slot[j] - 1u;
    if (w->n == CALM_MAX) {
        w->full = 1;
        return SIZE_MAX;
    }
    w->node[w->n] = t;
    w->slot[j] = (unsigned short)(w->n + 1);
    return w->n++;
}

/* The K-th schema that X applies to its own value (allOf, anyOf, oneOf,
 * not, schema dependencies: K < their count), or NULL (a dependency by
 * names). */
static sch *same_value_kid(const sch *x, size_t k)
{
    if (k < x->nall)
        return x->all_of[k];
    k -= x->nall;
    if (k < x->nany)
        return x->any_of[k];
    k -= x->nany;
    if (k < x->none)
        return x->one_of[k];
    k -= x->none;
    if (x->not_ && k-- == 0)
        return x->not_;
    return x->deps[k].s;
}

/* The longest chain of schemas applied to one value from node I of W, or
 * 0 when one comes back to itself. */
static size_t calm_chain(calm_walk *w, size_t i)
{
    if (w->state[i] == 2)
        return w->chain[i];
    if (w->state[i] == 1)
        return 0; /* a loop: "applies itself again" would be reported */
    w->state[i] = 1;
    const sch *x = w->node[i];
    size_t best = 0, n = x->nall + x->nany + x->none + (x->not_ != NULL) + x->ndeps;
    for (size_t k = 0; k < n; k++) {
        sch *y = same_value_kid(x, k);
        size_t j = y ? calm_node(w, y) : SIZE_MAX;
        if (w->full)
            return 0;
        if (j == SIZE_MAX)
            continue;
        size_t l = calm_chain(w, j);
        if (!l)
            return 0;
        best = l > best ? l : best;
    }
    w->state[i] = 2;
    return w->chain[i] = best + 1;
}

/* Whether checking a value against S can neither come back to a schema
 * applied to the same value (a loop, reported as such) nor, in check mode,
 * report anything: then it is a verdict only. The most schemas it stacks
 * on one value (the deepest nesting it adds per level of the value), or 0
 * when it may loop or reaches too many schemas to tell. */
static NOINLINE size_t calm(sch *s)
{
    calm_walk wb, *w = &wb;
    memset(w->slot, 0, sizeof w->slot);
    memset(w->state, 0, sizeof w->state);
    w->n = 0;
    w->full = 0;
    if (calm_node(w, s) == SIZE_MAX)
        return 0;
    /* every schema reachable, through values and through combinators */
    for (size_t i = 0; i < w->n; i++) {
        sch *x = w->node[i];
        sch *kids[3] = {x->items, x->addl_items, x->addl_props};
        for (size_t k = 0; k < 3; k++)
            if (kids[k])
                calm_node(w, kids[k]);
        for (size_t k = 0; k < x->ntuple; k++)
            calm_node(w, x->tuple_of[k]);
        for (size_t k = 0; k < x->npprops; k++)
            calm_node(w, x->pprops[k].s);
        for (struct lh_entry *e = x->props ? x->props->head : NULL; e; e = e->next)
            calm_node(w, (sch *)e->v);
        for (size_t k = 0; k < x->nall; k++)
            calm_node(w, x->all_of[k]);
        for (size_t k = 0; k < x->nany; k++)
            calm_node(w, x->any_of[k]);
        for (size_t k = 0; k < x->none; k++)
            calm_node(w, x->one_of[k]);
        if (x->not_)
            calm_node(w, x->not_);
        for (size_t k = 0; k < x->ndeps; k++)
            if (x->deps[k].s)
                calm_node(w, x->deps[k].s);
        if (w->full)
            return 0;
    }
    size_t most = 0;
    for (size_t i = 0; i < w->n; i++) {
        size_t l = calm_chain(w, i);
        if (!l || w->full)
            return 0;
        most = l > most ? l : most;
    }
    return most;
}

/* The entry of alternative A (dereferenced) in c->alt, made on first use:
 * its discriminating properties, those whose schema has an enum, when A is
 * calm. NULL when out of memory. */
static struct alt *alt_info(vctx *c, const sch *a)
{
    if (c->alt_cap) {
        for (size_t i = hash_ptr(a) & (c->alt_cap - 1);; i = (i + 1) & (c->alt_cap - 1)) {
            if (c->alt[i].s == a)
                return &c->alt[i];
            if (!c->alt[i].s)
                break;
        }
    }
    if ((c->alt_n + 1) * 2 > c->alt_cap) {
        size_t ocap = c->alt_cap, ncap = ocap ? ocap * 2 : 32;
        struct alt *old = c->alt, *na = sgi_calloc(VA(c), ncap, sizeof *na);
        if (!na)
            return oom(c);
        for (size_t i = 0; i < ocap; i++) {
            if (!old[i].s)
                continue;
            size_t j = hash_ptr(old[i].s) & (ncap - 1);
            while (na[j].s)
                j = (j + 1) & (ncap - 1);
            na[j] = old[i];
        }
        sgi_free(VA(c), old);
        c->alt = na;
        c->alt_cap = ncap;
    }
    size_t j = hash_ptr(a) & (c->alt_cap - 1);
    while (c->alt[j].s)
        j = (j + 1) & (c->alt_cap - 1);
    struct alt *r = &c->alt[j];
    r->s = a;
    r->first = c->alt_d_n;
    r->n = 0;
    c->alt_n++;
    r->per_level = 0;
    /* Two are enough for Swagger's ("in" and "type", or "type" and "flow");
     * each one more is a lookup in every value that passes. */
    for (struct lh_entry *e = a->props ? a->props->head : NULL; e && r->n < 2; e = e->next) {
        const sch *p = deref((sch *)e->v);
        if (!p || !p->enum_)
            continue;
        if (!grow(c, (void **)&c->alt_d, &c->alt_d_cap, c->alt_d_n + 1, sizeof *c->alt_d))
            return NULL;
        struct alt_d *d = &c->alt_d[c->alt_d_n++];
        d->name = (const char *)e->k;
        d->p = p;
        d->fn = NULL;
        d->h = 0;
        r->n++;
    }
    if (r->n && !(r->per_level = calm((sch *)a)))
        r->n = 0; /* of no use */
    return r;
}

/* Whether the alternative ALT rejects the object V for a reason seen
 * without walking V: a property whose schema has an enum (Swagger's
 * parameter "in") holds a value of a type or outside the values that
 * schema takes. Checking ALT would reach that property and fail there too
 * (its properties are checked whatever their order), and ALT being calm,
 * nothing it would check on the way could be reported in check mode; so
 * the other three of Swagger's four kinds of parameter are set aside at
 * once. Not used when the checks could run out of steps or nest too deep
 * before reaching the property: those end a walk otherwise. */
static int alt_fails(vctx *c, sch *alt, jo *v)
{
    sch *a = deref(alt);
    /* Setting up costs about what a few checks do: not for small values
     * (the apig checker validates its extensions one by one). */
    if (!a || !a->props || c->evals < 256 || c->evals >= c->eval_budget / 2 ||
        !json_object_is_type(v, json_type_object))
        return 0;
    struct alt *in = alt_info(c, a);
    /* the value nests at most limits.max_depth deep (the builder's bound) */
    if (!in || !in->n ||
        (!c->deep_reported &&
         c->nactive + in->per_level * ((size_t)c->inst->limits.max_depth + 2) >= c->max_active))
        return 0;
    struct lh_table *t = json_object_get_object(v);
    for (size_t i = 0; i < in->n; i++) {
        struct alt_d *d = &c->alt_d[in->first + i];
        if (d->fn != t->hash_fn) { /* json-c's tables share one function */
            d->fn = t->hash_fn;
            d->h = lh_get_hash(t, d->name);
        }
        struct lh_entry *e = lh_table_lookup_entry_w_hash(t, d->name, d->h);
        if (!e)
            continue;
        jo *val = (jo *)e->v;
        if ((d->p->types && !(d->p->types & type_bits(val))) || !in_enum(d->p, val))
            return 1;
    }
    return 0;
}

static int eval_union(vctx *c, sch *s, sch **alts, size_t n, int one, jo *v, const void *parent,
                      uintptr_t slot, int collect)
{
    size_t valid = 0, first = 0, second = 0;
    for (size_t i = 0; i < n && valid < 2 && c->st == SG_OK; i++) {
        if (alt_fails(c, alts[i], v)) {
            c->evals++; /* the step its check would have begun with */
            continue;
        }
        if (!eval(c, alts[i], v, parent, slot, 0))
            continue;
        if (!one)
            return 1;
        *(valid++ ? &second : &first) = i;
    }
    if (valid == 1 && one)
        return 1;
    if (collect && valid > 1) {
        union_error(c, s, "oneOf", first, second, parent, slot);
    } else if (collect) {
        closest(c, s, alts, n, one ? "oneOf" : "anyOf", v, parent, slot);
    }
    return 0;
}

/* A schema reached again at the same value on the current path: the
 * recursion would never end. */
static int looped(vctx *c, sch *s)
{
    if (!s->reported) {
        s->reported = 1;
        if (sgi_schema_bad(c->sess, s, s->parent, s->slot, 0, NULL, SG_SEVERITY_ERROR,
                           "this schema applies itself again to the same value (through $ref, "
                           "allOf, anyOf, oneOf or not) without moving into it: the recursion "
                           "never ends; it is taken as failing there") != SG_OK)
            oom(c);
    }
    return 0;
}

/* "expected one of ..., found ..." for V outside the enum of S. */
static NOINLINE void enum_error(vctx *c, const sch *s, jo *v, const void *parent, uintptr_t slot)
{
    char list[700], found[512], one[120];
    size_t o = 0;
    const char *words[16];
    size_t nw = 0;
    for (size_t i = 0; i < s->nenum && o < 500; i++) {
        jo *e = json_object_array_get_idx(s->enum_, i);
        sgi_schema_excerpt_json(VA(c), e, one, sizeof one, 40);
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", one);
        if (json_object_is_type(e, json_type_string) && nw < 16)
            words[nw++] = json_object_get_string(e);
        if (i == 11 && s->nenum > 13) {
            o += (size_t)snprintf(list + o, sizeof list - o, ", ... (%zu more)", s->nenum - 12);
            break;
        }
    }
    describe(c, v, found, sizeof found);
    const char *dym = json_object_is_type(v, json_type_string)
                          ? sgi_schema_did_you_mean(json_object_get_string(v), words, nw)
                          : NULL;
    report(c, s, "enum", parent, slot, NULL, NULL, "expected %s%s, found %s%s%s%s",
           s->nenum == 1 ? "" : "one of ", list, found, dym ? " (did you mean \"" : "",
           dym ? dym : "", dym ? "\"?)" : "");
}

/* V matched the "not" of S. */
static NOINLINE void not_error(vctx *c, const sch *s, const void *parent, uintptr_t slot)
{
    char w[300], about[300] = "";
    jo *desc;
    sgi_schema_where(c->sess, s, w, sizeof w);
    if (json_object_object_get_ex(s->node, "description", &desc) &&
        json_object_is_type(desc, json_type_string)) {
        char dx[200];
        sgi_excerpt(dx, sizeof dx, json_object_get_string(desc),
                    (size_t)json_object_get_string_len(desc), 100);
        snprintf(about, sizeof about, " (the schema says: \"%s\")", dx);
    }
    report(c, s, "not", parent, slot, NULL, NULL,
           "matches the schema under %s/not, which it must not match%s", w, about);
}

/* Enough for any real document; past it, results are not kept. */
#define MEMO_MAX (1u << 22)

static size_t memo_slot(const vctx *c, const sch *s, jo *v)
{
    size_t i = (hash_ptr(s) ^ (hash_ptr(v) * 31)) & (c->memo_cap - 1);
    while (c->memo[i].s && (c->memo[i].s != s || c->memo[i].v != v))
        i = (i + 1) & (c->memo_cap - 1);
    return i;
}

static void memo_put(vctx *c, const sch *s, jo *v, int valid, int collected)
{
    if ((c->memo_n + 1) * 2 > c->memo_cap) {
        size_t ocap = c->memo_cap, ncap = ocap ? ocap * 2 : 64;
        struct memo *old = c->memo, *nm;
        if (ncap > MEMO_MAX * 2 || !(nm = sgi_calloc(VA(c), ncap, sizeof *nm)))
            return; /* only slower without it */
        c->memo = nm;
        c->memo_cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].s)
                c->memo[memo_slot(c, old[i].s, old[i].v)] = old[i];
        sgi_free(VA(c), old);
    }
    size_t i = memo_slot(c, s, v);
    if (!c->memo[i].s)
        c->memo_n++;
    c->memo[i].s = s;
    c->memo[i].v = v;
    c->memo[i].valid = valid;
    c->memo[i].collected = collected;
}

static int eval_here(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot, int collect);

static NOINLINE void over_budget(vctx *c)
{
    c->over_budget = 1;
    /* Straight to the list: it is no error of one alternative. */
    if (sgi_doc_diag(c->inst, c->diags, SG_SEVERITY_ERROR, RULE, NULL, 0, 0, "", NULL,
                     "validation stopped after %llu steps: this schema makes checking the "
                     "document cost too much (alternatives that apply recursively to the same "
                     "values); the result is incomplete",
                     (unsigned long long)c->eval_budget) != SG_OK)
        oom(c);
}

static int eval(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot, int collect)
{
    if (!(s = deref(s)) || c->st != SG_OK)
        return 1; /* a $ref that resolves nowhere was reported as such */
    /* A verdict depends on the schema and the value only, so one kept for a
     * container (the only values with subtrees) holds wherever it recurs.
     * Kept for schemas that may apply several schemas to one value
     * (combinators, patternProperties, schema dependencies): that is where
     * work fans out. In collect mode, "invalid" is reused only once its
     * errors are recorded for good (outside the comparison of alternatives,
     * whose errors may be dropped); inside a shared (aliased) subtree they
     * sit at the same places anyway. A budget bounds the rest. */
    int keep = (s->has & SGI_H_FAN) && (json_object_is_type(v, json_type_object) ||
                                        json_object_is_type(v, json_type_array));
    int for_good = collect && c->closest_depth == 0;
    if (keep && c->memo_cap) {
        size_t i = memo_slot(c, s, v);
        if (c->memo[i].s && (c->memo[i].valid || !collect || (for_good && c->memo[i].collected)))
            return c->memo[i].valid;
    }
    if (++c->evals > c->eval_budget) {
        if (!c->over_budget)
            over_budget(c);
        return 1;
    }
    int ok = eval_here(c, s, v, parent, slot, collect);
    if (keep && (ok || !collect || for_good))
        memo_put(c, s, v, ok, for_good);
    return ok;
}

static int eval_here(vctx *c, sch *s, jo *v, const void *parent, uintptr_t slot, int collect)
{
    for (size_t i = c->nactive; i > c->node_base; i--)
        if (c->active[i - 1] == s)
            return looped(c, s);
    if (c->nactive >= c->max_active) {
        if (!c->deep_reported) {
            c->deep_reported = 1;
            if (sgi_schema_bad(c->sess, s, s->parent, s->slot, 0, NULL, SG_SEVERITY_ERROR,
                               "schemas nest deeper than %zu levels while validating; the value "
                               "is taken as failing there",
                               c->max_active) != SG_OK)
                oom(c);
        }
        return 0;
    }
    unsigned tb = type_bits(v);
    if (s->types && !(s->types & tb)) {
        if (collect)
            type_error(c, s, s->types, v, parent, slot);
        return 0; /* other keywords would only repeat the same mistake */
    }
    c->active[c->nactive++] = s;
    int ok = 1;
    if (s->enum_ && !in_enum(s, v)) {
        ok = 0;
        if (collect)
            enum_error(c, s, v, parent, slot);
    }
    if ((ok || collect) && (s->has & SGI_H_NUM) && (tb & SGI_T_NUMBER))
        ok &= eval_number(c, s, v, parent, slot, collect);
    if ((ok || collect) && (s->has & SGI_H_STR) && (tb & SGI_T_STRING))
        ok &= eval_string(c, s, v, parent, slot, collect);
    if ((ok || collect) && (s->has & SGI_H_ARR) && (tb & SGI_T_ARRAY))
        ok &= eval_array(c, s, v, parent, slot, collect);
    if ((ok || collect) && (s->has & SGI_H_OBJ) && (tb & SGI_T_OBJECT))
        ok &= eval_object(c, s, v, parent, slot, collect);
    if ((ok || collect) && (s->has & SGI_H_COMB)) {
        for (size_t i = 0; i < s->nall && (ok || collect); i++)
            ok &= eval(c, s->all_of[i], v, parent, slot, collect);
        if ((ok || collect) && s->nany)
            ok &= eval_union(c, s, s->any_of, s->nany, 0, v, parent, slot, collect);
        if ((ok || collect) && s->none)
            ok &= eval_union(c, s, s->one_of, s->none, 1, v, parent, slot, collect);
        if ((ok || collect) && s->not_ && eval(c, s->not_, v, parent, slot, 0)) {
            /* Reported only alone: a "not" mostly refines what the other
             * keywords already said about the value. */
            if (ok && collect)
                not_error(c, s, parent, slot);
            ok = 0;
        }
    }
    c->nactive--;
    return ok;
}

/* ---- entry ------------------------------------------------------------- */

static int err_same(const verr *a, const verr *b)
{
    return a->parent == b->parent && a->slot == b->slot && a->at_key == b->at_key &&
           !strcmp(a->msg, b->msg);
}

/* Report the errors kept, each once (the same schema applied twice to one
 * value, through allOf for instance, finds the same mistake twice). */
static void emit(vctx *c)
{
    size_t cap = 16;
    while (cap < c->nerr * 2)
        cap *= 2;
    size_t *seen = sgi_malloc(VA(c), cap * sizeof *seen);
    if (!seen) {
        oom(c);
        return;
    }
    for (size_t i = 0; i < cap; i++)
        seen[i] = SIZE_MAX;
    for (size_t i = 0; i < c->nerr && c->st == SG_OK; i++) {
        verr *e = &c->errs[i];
        uint64_t h = hash_ptr(e->parent) ^ (e->slot * 0x100000001B3ull) ^ (uint64_t)e->at_key;
        for (const char *p = e->msg; *p; p++)
            h = (h ^ (unsigned char)*p) * 0x100000001B3ull;
        size_t j = (size_t)h & (cap - 1);
        while (seen[j] != SIZE_MAX && !err_same(&c->errs[seen[j]], e))
            j = (j + 1) & (cap - 1);
        if (seen[j] != SIZE_MAX)
            continue;
        seen[j] = i;
        int meant = 0; /* "x" is missing, and "y" is not allowed (did you mean "x"?) */
        for (size_t k = 0; e->missing && k < c->nerr && !meant; k++)
            meant = c->errs[k].obj == e->obj && c->errs[k].meant &&
                    !strcmp(c->errs[k].meant, e->missing);
        if (meant)
            continue;
        if (c->sink) {
            sgi_schema_finding f = {e->parent, e->slot, e->at_key, e->pointer, e->msg, e->kw,
                                    e->ks};
            sg_status st = c->sink(c->sink_ctx, &f);
            if (st != SG_OK)
                c->st = st;
            continue;
        }
        if (sgi_doc_diag(c->inst, c->diags, SG_SEVERITY_ERROR, RULE, e->parent, e->slot, e->at_key,
                         e->pointer, NULL, "%s", e->msg) != SG_OK ||
            (e->has_related && sgi_diag_related(c->diags, NULL, &e->related,
                                                "the first of the equal items") != SG_OK))
            oom(c);
    }
    sgi_free(VA(c), seen);
    /* Errors over the keep limit are only counted, as the list would. */
    for (size_t i = c->nerr; i < c->total && c->st == SG_OK &&
                             sg_diagnostics_count(c->diags) >= c->opts.limits.max_diagnostics;
         i++)
        if (sgi_doc_diag(c->inst, c->diags, SG_SEVERITY_ERROR, RULE, NULL, 0, 0, NULL, NULL,
                         "(not kept)") != SG_OK)
            oom(c);
}

static void vctx_init(vctx *c, const sg_document *instance, const sg_options *options,
                      sg_diagnostics *diags)
{
    memset(c, 0, sizeof *c);
    if (options)
        c->opts = *options;
    else
        sg_options_init(&c->opts);
    c->inst = instance;
    c->diags = diags;
    sgi_diags_set_limit(diags, c->opts.limits.max_diagnostics); /* as loading does */
    c->keep_max = c->opts.limits.max_diagnostics * 2 + 16;
    /* Deep enough for every level of the deepest instance with some
     * combinators at each, shallow enough for the C stack. */
    c->max_active = (size_t)c->opts.limits.max_depth * 4 + 64;
    if (c->max_active > 8192)
        c->max_active = 8192;
    /* Far above what real schemas need (about 3 steps per value for
     * Swagger), far below what exponential ones would take. */
    c->eval_budget = 2000000 + 200 * (uint64_t)sgi_marks_count(instance->marks);
}

/* Everything vctx_init and a validation allocated. */
static void vctx_fini(vctx *c)
{
    drop_errors(c, 0, c->nerr);
    sgi_free(VA(c), c->errs);
    sgi_free(VA(c), c->path);
    sgi_free(VA(c), c->active);
    sgi_free(VA(c), c->memo);
    sgi_free(VA(c), c->alt);
    sgi_free(VA(c), c->alt_d);
}

sg_status sgi_schema_check_value(sgi_schema_session *sess, sgi_sch *s, const sg_document *inst,
                                 const sg_options *options, sg_diagnostics *diags,
                                 struct json_object *v, const void *parent, uintptr_t slot,
                                 sgi_schema_sink sink, void *ctx)
{
    vctx c;
    if (!sess || !s || !inst || !diags || !sink)
        return SG_EUSAGE;
    vctx_init(&c, inst, options, diags);
    c.sess = sess;
    c.sink = sink;
    c.sink_ctx = ctx;
    c.active = sgi_malloc(VA(&c), c.max_active * sizeof *c.active);
    if (!c.active)
        oom(&c);
    if (c.st == SG_OK)
        eval(&c, s, v, parent, slot, 1);
    if (c.st == SG_OK)
        emit(&c);
    vctx_fini(&c);
    return c.st;
}

sg_status sg_schema_validate(sg_schema_set *set, const sg_document *schema,
                             const sg_document *instance, const sg_options *options,
                             sg_diagnostics *diags)
{
    vctx c;
    if (!set || !instance || !diags)
        return SG_EUSAGE;
    vctx_init(&c, instance, options, diags);
    /* The embedded Swagger schema, compiled once per set (schema_store.c). */
    sch *root = NULL;
    int clean = 0;
    c.sess = schema ? NULL : sgi_schema_session_reuse(set, NULL, &c.opts, diags, &root, NULL);
    if (c.sess)
        clean = 1;
    else if ((c.sess = sgi_schema_session_new(set, &c.opts, diags)) != NULL)
        root = sgi_schema_compile_counted(c.sess, schema, &clean);
    c.active = sgi_malloc(VA(&c), c.max_active * sizeof *c.active);
    if (!root || !c.active)
        oom(&c);
    if (c.st == SG_OK)
        eval(&c, root, sg_document_root(instance), NULL, 0, 1);
    if (c.st == SG_OK)
        emit(&c);
    vctx_fini(&c);
    if (schema)
        sgi_schema_session_free(c.sess);
    else
        sgi_schema_session_keep(set, NULL, c.sess, root, NULL, clean);
    return c.st;
}
