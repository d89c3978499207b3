/* Builder: reader events to the json-c model plus the marks table.
 *
 * It owns every limit on structure (depth, nodes, alias expansion, key
 * length) and every model-level rule: one document, duplicate keys (both
 * positions), scalar keys only, anchors and aliases (recursive and undefined
 * ones refused; expansion budgeted), merge keys (<<), tags (YAML core tags
 * honoured, others refused), and typing of YAML plain scalars by the YAML 1.2
 * core schema (section 10.3.2) with a warning where YAML 1.1 differs.
 *
 * Aliases share the anchored json-c node (a reference, not a copy), so the
 * model is a DAG whose expanded size is what the budget counts. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

#define TAG_PREFIX "tag:yaml.org,2002:"
#define EXCERPT(b) ((size_t)(b)->limits->excerpt_chars)

typedef struct anchor {
    char *name;
    struct json_object *value; /* one reference held; NULL for null */
    int open;                  /* collection not yet ended: aliasing it is recursion */
    int is_scalar;
    char *scalar;              /* scalar text, for use as a key */
    size_t scalar_len;
    uint64_t nodes;            /* nodes in the anchored subtree, expanded */
    uint64_t bytes;            /* bytes of its scalars and keys, expanded */
    unsigned levels;           /* containers on the deepest path, itself included */
    sg_mark mark;
} anchor;

typedef struct frame {
    struct json_object *obj;
    int is_map;
    sg_mark start, start_end;
    size_t anchor_index; /* SIZE_MAX: none */
    uint64_t nodes, bytes;
    unsigned below; /* most container levels of any child */
    /* maps: the key waiting for its value */
    int have_key, key_is_merge, discard;
    char *key;
    size_t key_len;
    sg_mark key_start;
    /* maps: merge sources (<<), applied at the end so local keys win */
    struct json_object **merges;
    size_t nmerges, merges_cap;
    sg_mark merge_mark;
    size_t index; /* arrays: next index */
} frame;

struct sgi_builder {
    sgi_source *src;
    const sg_limits *limits;
    sg_diagnostics *diags;
    unsigned flags;
    locale_t c_locale;

    frame *stack;
    size_t depth, stack_cap;

    struct json_object *root;
    int have_root;
    struct json_object *docs; /* SGI_BUILD_MULTI_DOC */
    unsigned ndocs;
    sgi_marks *marks;

    anchor *anchors;
    size_t nanchors, anchors_cap;
    struct lh_table *anchor_index;

    uint64_t nodes, expanded, expanded_bytes;
    sg_status failed;
    int quiet; /* typing an anchored key's alias value: its findings belong to the key */

    struct json_object **strings; /* new_string's cache of NSTRINGS slots, or NULL */
    size_t nstrings;
    struct json_object *bools[2]; /* false and true, once made */
};

static sg_status fail(sgi_builder *b, sg_status st)
{
    if (b->failed == SG_OK)
        b->failed = st;
    return st;
}

/* An error that makes the input unusable. */
static sg_status fatal(sgi_builder *b, const char *rule, const sg_mark *at, const char *apig,
                       const char *fmt, ...) SGI_PRINTF(5, 6);
static sg_status fatal(sgi_builder *b, const char *rule, const sg_mark *at, const char *apig,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_vdiag(b->diags, b->src, SG_SEVERITY_ERROR, rule, at, NULL, apig, fmt, ap);
    va_end(ap);
    return fail(b, st == SG_OK ? SG_EINPUT : st);
}

/* A finding: the document stays usable. */
static sg_status finding(sgi_builder *b, sg_severity sev, const char *rule, const sg_mark *at,
                         const char *fmt, ...) SGI_PRINTF(5, 6);
static sg_status finding(sgi_builder *b, sg_severity sev, const char *rule, const sg_mark *at,
                         const char *fmt, ...)
{
    if (b->quiet)
        return SG_OK;
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_vdiag(b->diags, b->src, sev, rule, at, NULL, NULL, fmt, ap);
    va_end(ap);
    return st == SG_OK ? SG_OK : fail(b, st);
}

/* ---- shared scalars -------------------------------------------------------
 * A short string seen again gets the node made for it before (json-c counts
 * the references), and there is one true and one false: on the generated
 * APIG specs of bench/ 93 % of the string values repeat an earlier one
 * ("string", "query", "REQUEST", media types), and each json-c string node
 * is an allocation of 64 bytes or more. Sharing cannot be seen from
 * outside: positions are kept by (container, slot), never by node
 * (marks.c), the checkers' per-node memos are for containers, and nothing
 * writes to a string or boolean node after the build. The cache is
 * direct-mapped (a slot keeps the latest string that hashed to it), sized
 * by the text, and holds a reference of its own, dropped with the builder. */
enum { STRING_SLOTS_MAX = 8192, STRING_SHARED_MAX = 64 };

/* Slots for a text of LEN bytes: one per 128 bytes, a power of two from 64
 * to STRING_SLOTS_MAX (a small document does not pay for a large cache). */
static size_t string_slots(size_t len)
{
    size_t n = 64;
    while (n < STRING_SLOTS_MAX && n * 128 < len)
        n *= 2;
    return n;
}

static struct json_object *new_string(sgi_builder *b, const char *s, size_t n)
{
    if (n > STRING_SHARED_MAX)
        return json_object_new_string_len(s, (int)n);
    if (!b->strings) {
        b->nstrings = string_slots(b->src->len);
        if (!(b->strings = sgi_calloc(b->src->alloc, b->nstrings, sizeof *b->strings)))
            return json_object_new_string_len(s, (int)n); /* only more memory without it */
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    struct json_object **slot = &b->strings[(h ^ (h >> 15)) & (b->nstrings - 1)];
    if (*slot && (size_t)json_object_get_string_len(*slot) == n &&
        memcmp(json_object_get_string(*slot), s, n) == 0)
        return json_object_get(*slot);
    struct json_object *o = json_object_new_string_len(s, (int)n);
    if (o) {
        json_object_put(*slot);
        *slot = json_object_get(o);
    }
    return o;
}

static struct json_object *new_boolean(sgi_builder *b, int v)
{
    struct json_object **slot = &b->bools[v != 0];
    if (!*slot && !(*slot = json_object_new_boolean(v != 0)))
        return NULL;
    return json_object_get(*slot);
}

static void shared_fini(sgi_builder *b)
{
    if (b->strings)
        for (size_t i = 0; i < b->nstrings; i++)
            json_object_put(b->strings[i]);
    sgi_free(b->src->alloc, b->strings);
    b->strings = NULL;
    json_object_put(b->bools[0]);
    json_object_put(b->bools[1]);
    b->bools[0] = b->bools[1] = NULL;
}

sgi_builder *sgi_builder_new(sgi_source *src, const sg_limits *limits, sg_diagnostics *diags,
                             unsigned flags)
{
    sgi_builder *b = sgi_calloc(src->alloc, 1, sizeof *b);
    if (!b)
        return NULL;
    b->src = src;
    b->limits = limits;
    b->diags = diags;
    b->flags = flags;
    b->marks = sgi_marks_new_a(src->alloc, src);
    b->anchor_index = lh_kchar_table_new(16, NULL);
    /* strtod() follows LC_NUMERIC; numbers are read in the C locale whatever
     * the embedding program set. */
    b->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!b->marks || !b->anchor_index || b->c_locale == (locale_t)0) {
        sgi_builder_free(b);
        return NULL;
    }
    return b;
}

static void frame_fini(const sg_allocator *a, frame *f)
{
    json_object_put(f->obj);
    /* f->key lives in the marks table's arena */
    for (size_t i = 0; i < f->nmerges; i++)
        json_object_put(f->merges[i]);
    sgi_free(a, f->merges);
    memset(f, 0, sizeof *f);
}

static void anchors_reset(sgi_builder *b)
{
    for (size_t i = 0; i < b->nanchors; i++) {
        json_object_put(b->anchors[i].value);
        sgi_free(b->src->alloc, b->anchors[i].name);
        sgi_free(b->src->alloc, b->anchors[i].scalar);
    }
    b->nanchors = 0;
    if (b->anchor_index) {
        lh_table_free(b->anchor_index);
        b->anchor_index = lh_kchar_table_new(16, NULL);
        if (!b->anchor_index)
            fail(b, SG_ENOMEM);
    }
}

void sgi_builder_free(sgi_builder *b)
{
    if (!b)
        return;
    const sg_allocator *a = b->src->alloc;
    while (b->depth > 0)
        frame_fini(a, &b->stack[--b->depth]);
    sgi_free(a, b->stack);
    json_object_put(b->root);
    json_object_put(b->docs);
    shared_fini(b);
    sgi_marks_free(b->marks);
    anchors_reset(b);
    sgi_free(a, b->anchors);
    if (b->anchor_index)
        lh_table_free(b->anchor_index);
    if (b->c_locale != (locale_t)0)
        freelocale(b->c_locale);
    sgi_free(a, b);
}

/* ---- anchors ------------------------------------------------------------ */

static anchor *anchor_find(sgi_builder *b, const char *name)
{
    void *v;
    if (!lh_table_lookup_ex(b->anchor_index, name, &v))
        return NULL;
    return &b->anchors[(uintptr_t)v];
}

/* Define (or, as YAML 1.2 allows, redefine) anchor NAME. Returns its index
 * or SIZE_MAX when out of memory. */
static size_t anchor_define(sgi_builder *b, const char *name, const sg_mark *mark)
{
    if (b->nanchors == b->anchors_cap) {
        size_t ncap = b->anchors_cap ? b->anchors_cap * 2 : 8;
        anchor *na = sgi_realloc(b->src->alloc, b->anchors, ncap * sizeof *na);
        if (!na)
            return SIZE_MAX;
        b->anchors = na;
        b->anchors_cap = ncap;
    }
    anchor *a = &b->anchors[b->nanchors];
    memset(a, 0, sizeof *a);
    a->name = sgi_strdup(b->src->alloc, name);
    if (!a->name)
        return SIZE_MAX;
    a->mark = *mark;
    size_t idx = b->nanchors++;
    struct lh_entry *e = lh_table_lookup_entry(b->anchor_index, name);
    if (e)
        e->v = (const void *)(uintptr_t)idx; /* later definition wins */
    else if (lh_table_insert(b->anchor_index, a->name, (const void *)(uintptr_t)idx) != 0)
        return SIZE_MAX;
    return idx;
}

/* ---- scalars -------------------------------------------------------------- */

static int all_digits(const char *s, size_t n, int (*ok)(int))
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!ok((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_dec(int c) { return c >= '0' && c <= '9'; }
static int is_oct(int c) { return c >= '0' && c <= '7'; }
static int is_hex(int c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Every word of the lists below is at most 6 bytes long: a longer scalar
 * (most of them) is none of them, without a comparison; a shorter one is
 * compared only with the words that start with its first byte. */
#define WORD_MAX 6

static int one_of(const char *s, size_t n, const char *const *words)
{
    if (n > WORD_MAX)
        return 0;
    int first = n ? (unsigned char)s[0] : 0;
    for (; *words; words++)
        if ((unsigned char)(*words)[0] == first && strlen(*words) == n &&
            memcmp(*words, s, n) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const yaml11_bools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
                                           "NO", "on", "On", "ON", "off", "Off", "OFF", NULL};

/* YAML 1.2 core float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int is_core_float(const char *s, size_t n)
{
    size_t i = 0, d1 = 0, d2 = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < n && is_dec((unsigned char)s[i]))
        i++, d1++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_dec((unsigned char)s[i]))
            i++, d2++;
    }
    if (d1 == 0 && d2 == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t d3 = 0;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        while (i < n && is_dec((unsigned char)s[i]))
            i++, d3++;
        if (d3 == 0)
            return 0;
    }
    return i == n;
}

/* The JSON spelling of a core-schema number: no '+', no leading zeros, a
 * digit on both sides of the point. Exact: no conversion through double. */
static char *json_number_text(const sg_allocator *a, const char *s, size_t n)
{
    char *out = sgi_malloc(a, n + 3);
    if (!out)
        return NULL;
    size_t i = 0, o = 0;
    if (s[i] == '+' || s[i] == '-') {
        if (s[i] == '-')
            out[o++] = '-';
        i++;
    }
    size_t int_start = i;
    while (i < n && is_dec((unsigned char)s[i]))
        i++;
    size_t int_end = i;
    while (int_start + 1 < int_end && s[int_start] == '0')
        int_start++;
    if (int_start == int_end)
        out[o++] = '0';
    else {
        memcpy(out + o, s + int_start, int_end - int_start);
        o += int_end - int_start;
    }
    if (i < n && s[i] == '.') {
        size_t fs = ++i;
        while (i < n && is_dec((unsigned char)s[i]))
            i++;
        if (i > fs) {
            out[o++] = '.';
            memcpy(out + o, s + fs, i - fs);
            o += i - fs;
        }
    }
    memcpy(out + o, s + i, n - i); /* exponent as written: JSON allows e, E, +, - */
    o += n - i;
    out[o] = '\0';
    return out;
}

static struct json_object *new_text_number(sgi_builder *b, const char *text, int *oom)
{
    locale_t old = uselocale(b->c_locale);
    double d = strtod(text, NULL);
    uselocale(old);
    struct json_object *v = json_object_new_double_s(d, text);
    if (!v)
        *oom = 1;
    return v;
}

/* A decimal integer from its JSON text: int64 or uint64 when it fits, else a
 * double that keeps the exact text (never clamped). */
static struct json_object *new_integer(sgi_builder *b, const char *text, int *oom)
{
    const char *p = text;
    int neg = *p == '-';
    if (neg)
        p++;
    uint64_t v = 0;
    int overflow = 0;
    for (; *p; p++) {
        unsigned dgt = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - dgt) / 10) {
            overflow = 1;
            break;
        }
        v = v * 10 + dgt;
    }
    struct json_object *o = NULL;
    if (!overflow && !neg && v <= (uint64_t)INT64_MAX)
        o = json_object_new_int64((int64_t)v);
    else if (!overflow && !neg)
        o = json_object_new_uint64(v);
    else if (!overflow && neg && v <= (uint64_t)INT64_MAX + 1)
        o = json_object_new_int64(v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v);
    else
        return new_text_number(b, text, oom);
    if (!o)
        *oom = 1;
    return o;
}

static int json_is_integer_text(const char *t)
{
    for (; *t; t++)
        if (*t == '.' || *t == 'e' || *t == 'E')
            return 0;
    return 1;
}

/* A number from text already in JSON spelling. */
static struct json_object *new_number(sgi_builder *b, const char *text, int *oom)
{
    return json_is_integer_text(text) ? new_integer(b, text, oom) : new_text_number(b, text, oom);
}

typedef enum { T_AUTO, T_STR, T_INT, T_FLOAT, T_BOOL, T_NULL, T_BAD } scalar_tag;

static scalar_tag classify_tag(const char *tag)
{
    if (!tag)
        return T_AUTO;
    if (strcmp(tag, "!") == 0) /* the non-specific tag: "not plain", a string */
        return T_STR;
    if (strncmp(tag, TAG_PREFIX, sizeof TAG_PREFIX - 1) != 0)
        return T_BAD;
    const char *t = tag + sizeof TAG_PREFIX - 1;
    if (!strcmp(t, "str"))
        return T_STR;
    if (!strcmp(t, "int"))
        return T_INT;
    if (!strcmp(t, "float"))
        return T_FLOAT;
    if (!strcmp(t, "bool"))
        return T_BOOL;
    if (!strcmp(t, "null"))
        return T_NULL;
    return T_BAD;
}

static const char *short_tag(const char *tag)
{
    static const char prefix[] = TAG_PREFIX;
    return strncmp(tag, prefix, sizeof prefix - 1) == 0 ? tag + sizeof prefix - 1 : tag;
}

/* Type a YAML scalar; *out gets the value (NULL for null). Findings are
 * added for YAML 1.1 look-alikes and refused tags. */
static sg_status yaml_scalar(sgi_builder *b, const sgi_event *ev, struct json_object **out)
{
    const char *s = ev->value;
    size_t n = ev->length;
    int oom = 0;
    char ex[512];
    scalar_tag tag = classify_tag(ev->tag);
    *out = NULL;

    if (tag == T_BAD) {
        sgi_excerpt(ex, sizeof ex, ev->tag, strlen(ev->tag), 60);
        if (finding(b, SG_SEVERITY_ERROR, "yaml-tag", &ev->start,
                    "the tag %s is not supported: swaggate honours only the YAML core tags "
                    "(!!str, !!int, !!float, !!bool, !!null, !!seq, !!map); remove it",
                    ex) != SG_OK)
            return b->failed;
        tag = T_STR;
    }
    if (ev->kind != SGI_SC_PLAIN && tag == T_AUTO)
        tag = T_STR;
    if (tag == T_STR) {
        *out = new_string(b, s, n);
        return *out ? SG_OK : fail(b, SG_ENOMEM);
    }

    int is_null = one_of(s, n, null_words);
    int is_true = one_of(s, n, true_words), is_false = one_of(s, n, false_words);
    int is_dec_int = n > 0 && all_digits(s + (s[0] == '-' || s[0] == '+'),
                                         n - (s[0] == '-' || s[0] == '+'), is_dec);
    int is_oct_int = n > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, n - 2, is_oct);
    int is_hex_int = n > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, n - 2, is_hex);
    int is_float = !is_dec_int && is_core_float(s, n);
    static const char *const inf_words[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                            "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
    int is_nonfinite = one_of(s, n, inf_words);

    if (tag == T_NULL || (tag == T_AUTO && is_null)) {
        if (tag == T_NULL && !is_null)
            goto mismatch;
        return SG_OK;
    }
    if (tag == T_BOOL || (tag == T_AUTO && (is_true || is_false))) {
        if (!is_true && !is_false)
            goto mismatch;
        *out = new_boolean(b, is_true);
        return *out ? SG_OK : fail(b, SG_ENOMEM);
    }
    if (is_nonfinite && (tag == T_AUTO || tag == T_FLOAT)) {
        sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
        if (finding(b, SG_SEVERITY_ERROR, "yaml-non-finite", &ev->start,
                    "%s is a non-finite number, which JSON cannot represent; use a finite "
                    "number, or quote it to mean the string",
                    ex) != SG_OK)
            return b->failed;
        *out = new_string(b, s, n);
        return *out ? SG_OK : fail(b, SG_ENOMEM);
    }
    if ((tag == T_AUTO || tag == T_INT || tag == T_FLOAT) && (is_oct_int || is_hex_int)) {
        uint64_t v = 0;
        int overflow = 0;
        for (size_t i = 2; i < n; i++) {
            unsigned c = (unsigned char)s[i];
            unsigned dgt = is_dec((int)c) ? c - '0' : (c | 0x20) - 'a' + 10;
            unsigned base = is_hex_int ? 16 : 8;
            if (v > (UINT64_MAX - dgt) / base)
                overflow = 1;
            v = v * base + dgt;
        }
        if (overflow) {
            sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
            if (finding(b, SG_SEVERITY_ERROR, "limit", &ev->start,
                        "%s does not fit 64 bits; write it in decimal to keep it exact", ex) != SG_OK)
                return b->failed;
            *out = new_string(b, s, n);
        } else {
            *out = v <= (uint64_t)INT64_MAX ? json_object_new_int64((int64_t)v) : json_object_new_uint64(v);
        }
        return *out ? SG_OK : fail(b, SG_ENOMEM);
    }
    if ((tag == T_AUTO || tag == T_INT || tag == T_FLOAT) && is_dec_int) {
        size_t sign = (s[0] == '-' || s[0] == '+');
        if (tag == T_AUTO && s[sign] == '0' && n - sign > 1) {
            /* YAML 1.1: 0[0-7]+ is octal; 08 or 09 match no number rule. */
            int octal = all_digits(s + sign, n - sign, is_oct);
            sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
            if (finding(b, SG_SEVERITY_WARNING, "yaml-1.1-scalar", &ev->start,
                        "%s is a decimal integer in YAML 1.2 but %s in YAML 1.1; quote it for "
                        "a string, or drop the leading zeros for a number",
                        ex, octal ? "an octal one" : "a string") != SG_OK)
                return b->failed;
        }
        char *text = json_number_text(b->src->alloc, s, n);
        if (!text)
            return fail(b, SG_ENOMEM);
        *out = new_number(b, text, &oom);
        sgi_free(b->src->alloc, text);
        return oom ? fail(b, SG_ENOMEM) : SG_OK;
    }
    if ((tag == T_AUTO || tag == T_FLOAT) && is_float) {
        char *text = json_number_text(b->src->alloc, s, n);
        if (!text)
            return fail(b, SG_ENOMEM);
        *out = new_text_number(b, text, &oom);
        sgi_free(b->src->alloc, text);
        return oom ? fail(b, SG_ENOMEM) : SG_OK;
    }
    if (tag != T_AUTO)
        goto mismatch;

    /* A string. Warn where a YAML 1.1 reader (PyYAML, older tools) would
     * have made it something else. */
    int underscored = 0;
    if (n > 1 && memchr(s, '_', n)) {
        size_t digits = 0, i = (s[0] == '-' || s[0] == '+');
        for (; i < n && (is_dec((unsigned char)s[i]) || s[i] == '_' || s[i] == '.'); i++)
            digits += is_dec((unsigned char)s[i]);
        underscored = i == n && digits > 0 && s[n - 1] != '_';
    }
    if (one_of(s, n, yaml11_bools) || underscored) {
        sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
        if (finding(b, SG_SEVERITY_WARNING, "yaml-1.1-scalar", &ev->start,
                    "%s is the string \"%s\" in YAML 1.2, but YAML 1.1 tools read it as a %s; "
                    "quote it to keep the string%s",
                    ex, ex, underscored ? "number" : "boolean",
                    underscored ? ", or remove the underscores for a number"
                                : ", or write true/false for a boolean") != SG_OK)
            return b->failed;
    }
    *out = new_string(b, s, n);
    return *out ? SG_OK : fail(b, SG_ENOMEM);

mismatch:
    sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
    return fatal(b, "yaml-tag", &ev->start, NULL, "the value %s does not match its tag !!%s; "
                 "fix the value or remove the tag", ex, short_tag(ev->tag));
}

static sg_status json_scalar(sgi_builder *b, const sgi_event *ev, struct json_object **out)
{
    int oom = 0;
    *out = NULL;
    switch (ev->kind) {
    case SGI_SC_NUMBER:
        *out = new_number(b, ev->value, &oom);
        break;
    case SGI_SC_TRUE:
    case SGI_SC_FALSE:
        *out = new_boolean(b, ev->kind == SGI_SC_TRUE);
        oom = *out == NULL;
        break;
    case SGI_SC_NULL:
        break;
    default:
        *out = new_string(b, ev->value, ev->length);
        oom = *out == NULL;
    }
    return oom ? fail(b, SG_ENOMEM) : SG_OK;
}

/* ---- structure ------------------------------------------------------------ */

static sg_status count_nodes(sgi_builder *b, const sg_mark *at)
{
    if (++b->nodes > b->limits->max_nodes)
        return fatal(b, "limit", at, NULL,
                     "the document has more than %llu values; raise the limit with --limit nodes=N",
                     (unsigned long long)b->limits->max_nodes);
    return SG_OK;
}

static sg_status check_depth(sgi_builder *b, uint64_t depth, const sg_mark *at)
{
    if (depth > b->limits->max_depth)
        return fatal(b, "limit", at, NULL,
                     "nesting is deeper than %llu levels; flatten the document (with $ref "
                     "definitions) or raise the limit with --limit depth=N",
                     (unsigned long long)b->limits->max_depth);
    return SG_OK;
}

static uint64_t alias_budget(const sgi_builder *b)
{
    uint64_t ratio = b->nodes * 10;
    return ratio > b->limits->max_alias_nodes ? ratio : b->limits->max_alias_nodes;
}

/* Bytes of text that aliases may add: the values budget bounds how many
 * copies, this how much they weigh (a long string aliased a million times
 * is a small file that normalize and convert would write out in full). */
static uint64_t alias_byte_budget(const sgi_builder *b)
{
    uint64_t ratio = (uint64_t)b->src->len * 10;
    return ratio > b->limits->max_file_bytes ? ratio : b->limits->max_file_bytes;
}

static sg_status key_from(sgi_builder *b, frame *f, const char *s, size_t n, const sg_mark *start,
                          int is_merge)
{
    char ex[512];
    f->bytes += n;
    if (n > b->limits->max_key_bytes)
        return fatal(b, "limit", start, NULL,
                     "a key is %zu bytes long, over the limit of %llu; raise it with --limit key-length=N",
                     n, (unsigned long long)b->limits->max_key_bytes);
    f->key = sgi_marks_key(b->marks, s, n);
    if (!f->key)
        return fail(b, SG_ENOMEM);
    f->key_len = n;
    f->have_key = 1;
    f->key_is_merge = is_merge;
    f->discard = 0;
    f->key_start = *start;
    if (is_merge)
        return SG_OK;
    if (memchr(s, '\0', n)) {
        sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
        f->discard = 1;
        return finding(b, SG_SEVERITY_ERROR, "key-nul", start,
                        "the key \"%s\" holds a NUL character (\\u0000), which APIG and most "
                        "tools cut or refuse; rename the key (this member is ignored)",
                        ex);
    }
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(f->obj), f->key);
    if (le) {
        sg_mark fm;
        const sg_mark *first =
            sgi_marks_at(b->marks, f->obj, (uintptr_t)le->k, 1, &fm) ? &fm : NULL;
        char at[40] = "";
        sgi_excerpt(ex, sizeof ex, s, n, EXCERPT(b));
        if (first)
            snprintf(at, sizeof at, " (first at %u:%u)", first->line, first->column);
        f->discard = 1;
        sg_status st = finding(b, SG_SEVERITY_ERROR, "duplicate-key", start,
                               "duplicate key \"%s\"%s; parsers silently keep one of the two: "
                               "remove or rename one (swaggate keeps the first)",
                               ex, at);
        if (st == SG_OK && first)
            st = sgi_diag_related(b->diags, b->src->name, first, "first \"%s\" is here", ex);
        return st == SG_OK ? SG_OK : fail(b, st);
    }
    return SG_OK;
}

/* Put a finished value V (reference taken over) into its place. */
static sg_status attach(sgi_builder *b, struct json_object *v, const sg_mark *start,
                        const sg_mark *end, uint64_t nodes, uint64_t bytes, unsigned levels)
{
    sgi_span span;
    span.start = *start;
    span.end = *end;
    if (b->depth == 0) {
        if (b->have_root) {
            json_object_put(v);
            return fatal(b, "yaml-multiple-documents", start, NULL, "more than one value at the top level");
        }
        b->root = v;
        b->have_root = 1;
        span.key_start = *start;
        return sgi_marks_put(b->marks, NULL, 0, &span) == SG_OK ? SG_OK : fail(b, SG_ENOMEM);
    }
    frame *f = &b->stack[b->depth - 1];
    f->nodes += nodes;
    f->bytes += bytes;
    if (levels > f->below)
        f->below = levels;
    if (!f->is_map) {
        span.key_start = *start;
        if (json_object_array_add(f->obj, v) != 0) {
            json_object_put(v);
            return fail(b, SG_ENOMEM);
        }
        return sgi_marks_put(b->marks, f->obj, f->index++, &span) == SG_OK ? SG_OK : fail(b, SG_ENOMEM);
    }
    f->have_key = 0;
    if (f->key_is_merge) {
        if (f->nmerges == f->merges_cap) {
            size_t ncap = f->merges_cap ? f->merges_cap * 2 : 4;
            struct json_object **nm = sgi_realloc(b->src->alloc, f->merges, ncap * sizeof *nm);
            if (!nm) {
                json_object_put(v);
                return fail(b, SG_ENOMEM);
            }
            f->merges = nm;
            f->merges_cap = ncap;
        }
        int ok = json_object_is_type(v, json_type_object);
        if (json_object_is_type(v, json_type_array)) {
            ok = 1;
            for (size_t i = 0; i < json_object_array_length(v); i++)
                ok &= json_object_is_type(json_object_array_get_idx(v, i), json_type_object);
        }
        if (!ok) {
            json_object_put(v);
            return fatal(b, "yaml-merge", start, NULL,
                         "the value of a merge key (<<) must be a mapping, an alias of one, or a "
                         "sequence of them");
        }
        f->merges[f->nmerges++] = v;
        f->merge_mark = f->key_start;
        f->key = NULL;
        return SG_OK;
    }
    if (f->discard) {
        json_object_put(v);
        f->key = NULL;
        return SG_OK;
    }
    /* The key is the arena copy sgi_marks_key made: json-c keeps the pointer
     * (no strdup, no free), and its span sits right before it. */
    if (json_object_object_add_ex(f->obj, f->key, v,
                                  JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_ADD_CONSTANT_KEY) != 0) {
        json_object_put(v);
        return fail(b, SG_ENOMEM);
    }
    span.key_start = f->key_start;
    sgi_marks_put_key(b->marks, f->key, &span);
    f->key = NULL;
    return SG_OK;
}

/* Merge keys: members of the sources that the mapping does not define
 * itself; in a sequence of sources, earlier ones win (YAML merge spec). */
static sg_status apply_merges(sgi_builder *b, frame *f)
{
    for (size_t m = 0; m < f->nmerges; m++) {
        struct json_object *src = f->merges[m];
        size_t count = json_object_is_type(src, json_type_array) ? json_object_array_length(src) : 1;
        for (size_t i = 0; i < count; i++) {
            struct json_object *from =
                json_object_is_type(src, json_type_array) ? json_object_array_get_idx(src, i) : src;
            struct lh_table *t = json_object_get_object(from);
            for (struct lh_entry *e = t->head; e; e = e->next) {
                const char *k = (const char *)e->k;
                if (json_object_object_get_ex(f->obj, k, NULL))
                    continue;
                struct json_object *val = (struct json_object *)e->v;
                if (sgi_object_add_new(f->obj, k, json_object_get(val)) != 0) {
                    json_object_put(val);
                    return fail(b, SG_ENOMEM);
                }
                struct lh_entry *ne = lh_table_lookup_entry(json_object_get_object(f->obj), k);
                if (ne && sgi_marks_copy(b->marks, from, (uintptr_t)e->k, f->obj,
                                         (uintptr_t)ne->k) != SG_OK)
                    return fail(b, SG_ENOMEM);
                if (++b->expanded > alias_budget(b))
                    return fatal(b, "limit", &f->merge_mark, NULL,
                                 "merge keys and aliases expand to more than %llu values; this "
                                 "looks like an alias bomb (raise --limit alias-expansion=N if not)",
                                 (unsigned long long)alias_budget(b));
            }
        }
    }
    return SG_OK;
}

static int in_key_position(const sgi_builder *b)
{
    return b->depth > 0 && b->stack[b->depth - 1].is_map && !b->stack[b->depth - 1].have_key;
}

static sg_status on_start(sgi_builder *b, const sgi_event *ev, int is_map)
{
    if (in_key_position(b))
        return fatal(b, "yaml-key", &ev->start, NULL,
                     "a mapping key must be a scalar (a %s cannot become a JSON key); write the "
                     "key as a string",
                     is_map ? "mapping" : "sequence");
    sg_status st = count_nodes(b, &ev->start);
    if (st == SG_OK)
        st = check_depth(b, b->depth + 1, &ev->start);
    if (st != SG_OK)
        return st;
    if (ev->tag) {
        const char *want = is_map ? TAG_PREFIX "map" : TAG_PREFIX "seq";
        if (strcmp(ev->tag, "!") != 0 && strcmp(ev->tag, want) != 0) {
            char ex[128];
            sgi_excerpt(ex, sizeof ex, ev->tag, strlen(ev->tag), 60);
            st = finding(b, SG_SEVERITY_ERROR, "yaml-tag", &ev->start,
                         "the tag %s is not supported on a %s: swaggate honours only the YAML "
                         "core tags; remove it",
                         ex, is_map ? "mapping" : "sequence");
            if (st != SG_OK)
                return st;
        }
    }
    if (b->depth == b->stack_cap) {
        size_t ncap = b->stack_cap ? b->stack_cap * 2 : 32;
        frame *ns = sgi_realloc(b->src->alloc, b->stack, ncap * sizeof *ns);
        if (!ns)
            return fail(b, SG_ENOMEM);
        b->stack = ns;
        b->stack_cap = ncap;
    }
    frame *f = &b->stack[b->depth];
    memset(f, 0, sizeof *f);
    /* Arrays start with room for 4 elements (json-c's default is 32: 256
     * bytes for the typical one- or two-element array of a Swagger file);
     * json-c doubles the room as elements come. */
    f->obj = is_map ? json_object_new_object() : json_object_new_array_ext(4);
    if (!f->obj)
        return fail(b, SG_ENOMEM);
    b->depth++;
    f->is_map = is_map;
    f->start = ev->start;
    f->nodes = 1;
    f->anchor_index = SIZE_MAX;
    if (ev->anchor) {
        f->anchor_index = anchor_define(b, ev->anchor, &ev->start);
        if (f->anchor_index == SIZE_MAX)
            return fail(b, SG_ENOMEM);
        b->anchors[f->anchor_index].open = 1;
    }
    return SG_OK;
}

/* json-c gives every object a table of 16 slots (40 bytes each) whatever
 * its size, and grows it by doubling at two thirds full; most objects of a
 * specification hold one to five members, and those tables were a third of
 * the model's memory. A finished object gets a table of its own size when
 * it is small (up to 16 members: a lookup compares at most that many keys;
 * callgrind showed no notable cost, issue 8), or of one and a half times
 * its size (json-c's own worst load). json-c copes with any size (slot =
 * hash % size, a lookup stops after size slots) and grows a full table
 * before it inserts. The table is made by json-c (lh_table_new: its memory
 * stays json-c's to free), the entries are placed as json-c's insertion
 * would and linked in the same order; without memory the object keeps its
 * own table. */
static void shrink(struct json_object *obj)
{
    struct lh_table *t = json_object_get_object(obj);
    int count = t->count;
    int size = count <= 16 ? (count ? count : 1) : count + count / 2 + 1;
    if (size >= t->size)
        return;
    struct lh_table *nt = lh_table_new(size, NULL, t->hash_fn, t->equal_fn);
    if (!nt)
        return;
    struct lh_entry *prev = NULL, *head = NULL;
    for (struct lh_entry *e = t->head; e; e = e->next) {
        unsigned long n = lh_get_hash(t, e->k) % (unsigned long)size;
        while (nt->table[n].k != LH_EMPTY)
            n = n + 1 == (unsigned long)size ? 0 : n + 1;
        struct lh_entry *d = &nt->table[n];
        d->k = e->k;
        d->k_is_constant = e->k_is_constant;
        d->v = e->v;
        d->next = NULL;
        d->prev = prev;
        if (prev)
            prev->next = d;
        else
            head = d;
        prev = d;
    }
    /* swap the slot arrays; freeing NT (no free_fn, no list) frees the old one */
    struct lh_entry *old = t->table;
    t->table = nt->table;
    t->size = size;
    t->head = head;
    t->tail = prev;
    nt->table = old;
    nt->head = nt->tail = NULL;
    nt->count = 0;
    lh_table_free(nt);
}

static sg_status on_end(sgi_builder *b, const sgi_event *ev)
{
    if (b->depth == 0)
        return fail(b, SG_EINTERNAL);
    frame *f = &b->stack[b->depth - 1];
    sg_status st = SG_OK;
    if (f->nmerges)
        st = apply_merges(b, f);
    if (st != SG_OK)
        return st;
    struct json_object *v = f->obj;
    f->obj = NULL;
    if (json_object_is_type(v, json_type_object))
        shrink(v);
    if (f->anchor_index != SIZE_MAX) {
        anchor *a = &b->anchors[f->anchor_index];
        a->open = 0;
        a->value = json_object_get(v);
        a->nodes = f->nodes;
        a->bytes = f->bytes;
        a->levels = 1 + f->below;
    }
    uint64_t nodes = f->nodes, bytes = f->bytes;
    unsigned levels = 1 + f->below;
    sg_mark start = f->start;
    frame_fini(b->src->alloc, f);
    b->depth--;
    return attach(b, v, &start, &ev->end, nodes, bytes, levels);
}

static sg_status on_scalar(sgi_builder *b, const sgi_event *ev)
{
    sg_status st = count_nodes(b, &ev->start);
    if (st != SG_OK)
        return st;
    /* Only YAML sends plain scalars, tags and anchors; a quoted YAML scalar
     * without them types like a JSON string. */
    int yaml = ev->kind == SGI_SC_PLAIN || ev->tag || ev->anchor;
    if (in_key_position(b)) {
        frame *f = &b->stack[b->depth - 1];
        int plain = ev->kind == SGI_SC_PLAIN;
        if (plain && ev->length == 0 && !ev->tag)
            return fatal(b, "yaml-key", &ev->start, NULL,
                         "empty mapping key: JSON has no null keys; write a key");
        if (ev->tag && classify_tag(ev->tag) == T_BAD) {
            char ex[128];
            sgi_excerpt(ex, sizeof ex, ev->tag, strlen(ev->tag), 60);
            st = finding(b, SG_SEVERITY_ERROR, "yaml-tag", &ev->start,
                         "the tag %s is not supported: swaggate honours only the YAML core tags; "
                         "remove it",
                         ex);
            if (st != SG_OK)
                return st;
        }
        if (ev->anchor) {
            size_t ai = anchor_define(b, ev->anchor, &ev->start);
            if (ai == SIZE_MAX)
                return fail(b, SG_ENOMEM);
            anchor *a = &b->anchors[ai];
            a->is_scalar = 1;
            a->nodes = 1;
            a->bytes = ev->length;
            a->scalar = sgi_malloc(b->src->alloc, ev->length + 1);
            if (!a->scalar)
                return fail(b, SG_ENOMEM);
            memcpy(a->scalar, ev->value, ev->length);
            a->scalar[ev->length] = '\0';
            a->scalar_len = ev->length;
            /* An alias of it stands for the value, typed as a value. */
            b->quiet = 1;
            st = yaml_scalar(b, ev, &a->value);
            b->quiet = 0;
            if (st != SG_OK)
                return st;
        }
        int is_merge = plain && !ev->tag && ev->length == 2 && memcmp(ev->value, "<<", 2) == 0;
        return key_from(b, f, ev->value, ev->length, &ev->start, is_merge);
    }
    struct json_object *v = NULL;
    st = yaml ? yaml_scalar(b, ev, &v) : json_scalar(b, ev, &v);
    if (st != SG_OK)
        return st;
    if (ev->anchor) {
        size_t ai = anchor_define(b, ev->anchor, &ev->start);
        if (ai == SIZE_MAX) {
            json_object_put(v);
            return fail(b, SG_ENOMEM);
        }
        anchor *a = &b->anchors[ai];
        a->is_scalar = 1;
        a->nodes = 1;
        a->bytes = ev->length;
        a->value = json_object_get(v);
        a->scalar = sgi_malloc(b->src->alloc, ev->length + 1);
        if (!a->scalar) {
            json_object_put(v);
            return fail(b, SG_ENOMEM);
        }
        memcpy(a->scalar, ev->value, ev->length);
        a->scalar[ev->length] = '\0';
        a->scalar_len = ev->length;
    }
    return attach(b, v, &ev->start, &ev->end, 1, ev->length, 0);
}

static sg_status on_alias(sgi_builder *b, const sgi_event *ev)
{
    char ex[512];
    anchor *a = anchor_find(b, ev->value);
    sgi_excerpt(ex, sizeof ex, ev->value, ev->length, EXCERPT(b));
    if (!a)
        return fatal(b, "yaml-alias", &ev->start, NULL,
                     "the alias *%s names no anchor; define &%s before it is used", ex, ex);
    if (a->open) {
        char at[32];
        snprintf(at, sizeof at, "%u:%u", a->mark.line, a->mark.column);
        return fatal(b, "yaml-alias", &ev->start, NULL,
                     "the alias *%s refers to its own ancestor (anchor at %s): a recursive "
                     "structure has no JSON form",
                     ex, at);
    }
    if (in_key_position(b)) {
        if (!a->is_scalar)
            return fatal(b, "yaml-key", &ev->start, NULL,
                         "the alias *%s stands for a collection, which cannot be a mapping key", ex);
        return key_from(b, &b->stack[b->depth - 1], a->scalar, a->scalar_len, &ev->start, 0);
    }
    sg_status st = check_depth(b, b->depth + a->levels, &ev->start);
    if (st != SG_OK)
        return st;
    b->expanded += a->nodes;
    if (b->expanded > alias_budget(b))
        return fatal(b, "limit", &ev->start, NULL,
                     "aliases expand to more than %llu values; this looks like an alias bomb "
                     "(\"billion laughs\"); raise --limit alias-expansion=N if it is not",
                     (unsigned long long)alias_budget(b));
    b->expanded_bytes += a->bytes;
    if (b->expanded_bytes > alias_byte_budget(b))
        return fatal(b, "limit", &ev->start, NULL,
                     "aliases expand to more than %llu bytes of text (ten times the file, or "
                     "the file-size limit if more); this looks like an alias bomb; raise "
                     "--limit file-size=N if it is not",
                     (unsigned long long)alias_byte_budget(b));
    return attach(b, json_object_get(a->value), &ev->start, &ev->end, a->nodes, a->bytes,
                  a->levels);
}

sg_status sgi_builder_event(void *ctx, const sgi_event *ev)
{
    sgi_builder *b = ctx;
    if (b->failed != SG_OK)
        return b->failed;
    switch (ev->type) {
    case SGI_EV_DOC_START:
        if (b->ndocs >= 1 && !(b->flags & SGI_BUILD_MULTI_DOC))
            return fatal(b, "yaml-multiple-documents", &ev->start, NULL,
                         "a second YAML document starts here; a Swagger file holds exactly one "
                         "document: remove the '---' separator or split the file");
        b->ndocs++;
        return SG_OK;
    case SGI_EV_DOC_END:
        if (b->flags & SGI_BUILD_MULTI_DOC) {
            if (!b->docs && !(b->docs = json_object_new_array()))
                return fail(b, SG_ENOMEM);
            if (json_object_array_add(b->docs, b->root) != 0)
                return fail(b, SG_ENOMEM);
            b->root = NULL;
            b->have_root = 0;
        }
        anchors_reset(b); /* anchors are local to their document */
        return b->failed;
    case SGI_EV_MAP_START:
        return on_start(b, ev, 1);
    case SGI_EV_SEQ_START:
        return on_start(b, ev, 0);
    case SGI_EV_MAP_END:
    case SGI_EV_SEQ_END:
        return on_end(b, ev);
    case SGI_EV_SCALAR:
        return on_scalar(b, ev);
    case SGI_EV_ALIAS:
        return on_alias(b, ev);
    }
    return fail(b, SG_EINTERNAL);
}

/* MARKS must be taken along with ROOT when the caller keeps the model: the
 * object keys live in the marks table's arena (sgi_marks_key). */
sg_status sgi_builder_finish(sgi_builder *b, struct json_object **root, sgi_marks **marks)
{
    *root = NULL;
    if (marks)
        *marks = NULL;
    if (b->failed != SG_OK)
        return b->failed;
    if (b->depth != 0)
        return fail(b, SG_EINTERNAL);
    if (b->flags & SGI_BUILD_MULTI_DOC) {
        if (!b->docs && !(b->docs = json_object_new_array()))
            return fail(b, SG_ENOMEM);
        *root = b->docs;
        b->docs = NULL;
    } else {
        if (!b->have_root) {
            sg_mark at = {1, 1, b->src ? b->src->bom : 0};
            return fatal(b, "empty-document", &at, "APIG.3609",
                         "the file is empty (or only whitespace and comments); a Swagger file "
                         "holds one object with \"swagger\": \"2.0\"");
        }
        *root = b->root;
        b->root = NULL;
        b->have_root = 0;
    }
    if (marks) {
        *marks = b->marks;
        b->marks = NULL;
    }
    return SG_OK;
}
