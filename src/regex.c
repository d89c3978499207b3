/* ECMA-262 patterns through PCRE2 (HOSTILE.md 2.6).
 *
 * Compile options give ECMA's meaning to $, \u, [] and [^], and unset
 * backreferences; PCRE2_UCP stays off so \d, \w and \b stay ASCII. What no
 * option fixes is rewritten before compiling: \s and \S become ECMA's
 * whitespace class, . stops at every line terminator, \v is U+000B, long
 * General_Category names (\p{Letter}) become PCRE2's short ones, and a
 * \uD83D\uDC32 surrogate pair becomes one code point. Error offsets are
 * mapped back to the pattern as written.
 *
 * Each cache holds its own compiled patterns, contexts and match data: no
 * global state. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "internal.h"

#define COMPILE_OPTIONS                                                                   \
    (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS |        \
     PCRE2_MATCH_UNSET_BACKREF)

/* ECMA WhiteSpace and LineTerminator (Zs included), as class contents and as
 * the complement over all code points. \x0b: in PCRE2 \v means any vertical
 * space; \u escapes: with ALT_BSUX, \x takes two hex digits only. */
static const char WS_SET[] =
    "\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
static const char NON_WS_SET[] = "\\x00-\\x08\\x0e-\\x1f\\x21-\\x9f\\u00a1-\\u167f\\u1681-\\u1fff"
                                 "\\u200b-\\u2027\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff"
                                 "\\u3001-\\ufefe\\uff00-\\u{10ffff}";
static const char DOT_CLASS[] = "[^\\n\\r\\u2028\\u2029]";

struct sgi_regex {
    struct sgi_regex *next; /* hash chain */
    uint64_t hash;
    char *pattern;
    size_t len;
    pcre2_code *code; /* NULL: a bad pattern, see msg */
    char *msg;
    size_t offset;
};

struct sgi_regex_cache {
    sg_allocator alloc; /* a copy of the hooks: this struct, the entries and
                           (through gctx) PCRE2's memory */
    pcre2_general_context *gctx; /* NULL without hooks */
    uint64_t max_pattern_bytes;
    pcre2_compile_context *cctx;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    sgi_regex **buckets;
    size_t nbuckets, count;
};

static void *px_malloc(PCRE2_SIZE size, void *ud) { return sgi_malloc(ud, size); }
static void px_free(void *p, void *ud) { sgi_free(ud, p); }

sgi_regex_cache *sgi_regex_cache_new(const sg_limits *limits)
{
    return sgi_regex_cache_new_a(limits, NULL);
}

sgi_regex_cache *sgi_regex_cache_new_a(const sg_limits *limits, const sg_allocator *a)
{
    sg_limits def;
    if (!limits) {
        sg_limits_init(&def);
        limits = &def;
    }
    sgi_regex_cache *c = sgi_calloc(a, 1, sizeof *c);
    if (!c)
        return NULL;
    sgi_alloc_copy(&c->alloc, a);
    c->max_pattern_bytes = limits->max_pattern_bytes;
    c->nbuckets = 64;
    c->buckets = sgi_calloc(&c->alloc, c->nbuckets, sizeof *c->buckets);
    int gctx_oom = 0;
    if (c->alloc.malloc) {
        /* PCRE2 allocates compiled patterns, contexts, match data and the
         * heap frames of a match with the memory functions of the general
         * context the other contexts are made from. */
        c->gctx = pcre2_general_context_create(px_malloc, px_free, &c->alloc);
        gctx_oom = c->gctx == NULL;
    }
    c->cctx = pcre2_compile_context_create(c->gctx);
    c->mctx = pcre2_match_context_create(c->gctx);
    /* one pair of capture offsets is enough to know whether it matched */
    c->md = pcre2_match_data_create(1, c->gctx);
    if (gctx_oom || !c->buckets || !c->cctx || !c->mctx || !c->md) {
        sgi_regex_cache_free(c);
        return NULL;
    }
    pcre2_set_compile_extra_options(c->cctx, PCRE2_EXTRA_ALT_BSUX);
    pcre2_set_parens_nest_limit(c->cctx, 250);
    uint64_t ml = limits->regex_match_limit, dl = limits->regex_depth_limit,
             hl = limits->regex_heap_kib;
    pcre2_set_match_limit(c->mctx, (uint32_t)(ml > UINT32_MAX ? UINT32_MAX : ml));
    pcre2_set_depth_limit(c->mctx, (uint32_t)(dl > UINT32_MAX ? UINT32_MAX : dl));
    pcre2_set_heap_limit(c->mctx, (uint32_t)(hl > UINT32_MAX ? UINT32_MAX : hl));
    return c;
}

void sgi_regex_cache_free(sgi_regex_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->buckets && i < c->nbuckets; i++) {
        sgi_regex *e = c->buckets[i];
        while (e) {
            sgi_regex *n = e->next;
            pcre2_code_free(e->code);
            sgi_free(&c->alloc, e->pattern);
            sgi_free(&c->alloc, e->msg);
            sgi_free(&c->alloc, e);
            e = n;
        }
    }
    sgi_free(&c->alloc, c->buckets);
    pcre2_match_data_free(c->md);
    pcre2_match_context_free(c->mctx);
    pcre2_compile_context_free(c->cctx);
    pcre2_general_context_free(c->gctx);
    sg_allocator a = c->alloc;
    sgi_free(&a, c);
}

/* ---- translation ----------------------------------------------------- */

/* Where output offsets came from: from OUT on, output byte OUT + k is input
 * byte IN + k (LIT) or a rewrite of the construct at IN. */
typedef struct anchor {
    size_t out, in;
    int lit;
} anchor;

typedef struct xlat {
    const sg_allocator *alloc;
    sgi_buf out;
    anchor *anchors;
    size_t nanchors, capanchors;
    int oom;
    const char *err; /* our own pattern error, at err_at */
    size_t err_at;
} xlat;

static void add_anchor(xlat *x, size_t in, int lit)
{
    if (x->nanchors == x->capanchors) {
        size_t ncap = x->capanchors ? x->capanchors * 2 : 16;
        anchor *na = sgi_realloc(x->alloc, x->anchors, ncap * sizeof *na);
        if (!na) {
            x->oom = 1;
            return;
        }
        x->anchors = na;
        x->capanchors = ncap;
    }
    x->anchors[x->nanchors++] = (anchor){x->out.len, in, lit};
}

/* Emit REPLACEMENT for the input bytes [IN, IN_END). */
static void rewrite(xlat *x, size_t in, size_t in_end, const char *replacement)
{
    add_anchor(x, in, 0);
    sgi_buf_puts(&x->out, replacement);
    add_anchor(x, in_end, 1);
}

static size_t map_offset(const xlat *x, size_t off)
{
    const anchor *best = NULL;
    for (size_t i = 0; i < x->nanchors && x->anchors[i].out <= off; i++)
        best = &x->anchors[i];
    if (!best)
        return off;
    return best->lit ? best->in + (off - best->out) : best->in;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The value of \uHHHH at P (6 bytes available), or -1. */
static long bsu4(const char *p, size_t avail)
{
    if (avail < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int k = 2; k < 6; k++) {
        int h = hexval(p[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Equal under Unicode's loose matching of property names: case, spaces,
 * hyphens and underscores ignored. */
static int loose_eq(const char *a, size_t na, const char *b)
{
    size_t i = 0;
    for (;;) {
        while (i < na && (a[i] == ' ' || a[i] == '-' || a[i] == '_'))
            i++;
        while (*b == '_')
            b++;
        if (i == na || !*b)
            return i == na && !*b;
        char ca = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (ca != cb)
            return 0;
        i++, b++;
    }
}

/* General_Category long names (and the suite's "digit") PCRE2 10.42 does
 * not know; scripts and binary properties it takes in long form already. */
static const char *const GC_NAMES[][2] = {
    {"Letter", "L"}, {"Cased_Letter", "LC"}, {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"}, {"Mark", "M"}, {"Combining_Mark", "M"}, {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"}, {"Number", "N"}, {"Decimal_Number", "Nd"},
    {"digit", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"}, {"Punctuation", "P"},
    {"punct", "P"}, {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"},
    {"Final_Punctuation", "Pf"}, {"Other_Punctuation", "Po"}, {"Symbol", "S"},
    {"Math_Symbol", "Sm"}, {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"},
    {"Other_Symbol", "So"}, {"Separator", "Z"}, {"Space_Separator", "Zs"},
    {"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"}, {"Other", "C"}, {"Control", "Cc"},
    {"cntrl", "Cc"}, {"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"},
    {"Unassigned", "Cn"},
};

/* The short name for the \p{...} body NAME, or NULL to keep it as written. */
static const char *gc_short(const char *name, size_t n)
{
    int prefixed = 0;
    for (size_t k = 0; k < n; k++) /* General_Category=X, gc=X */
        if (name[k] == '=') {
            if (!loose_eq(name, k, "General_Category") && !loose_eq(name, k, "gc"))
                return NULL;
            name += k + 1;
            n -= k + 1;
            prefixed = 1;
            break;
        }
    for (size_t i = 0; i < sizeof GC_NAMES / sizeof GC_NAMES[0]; i++)
        if (loose_eq(name, n, GC_NAMES[i][0]) ||
            /* gc=Nd: PCRE2 takes a short name alone, not after the prefix */
            (prefixed && strlen(GC_NAMES[i][1]) == n && memcmp(name, GC_NAMES[i][1], n) == 0))
            return GC_NAMES[i][1];
    return NULL;
}

/* PCRE2's own test for [:name:] (also [.x.] and [=x=]) inside a class at P:
 * the offset just past the closing ":]", or 0. */
static size_t posix_end(const char *p, size_t i, size_t n)
{
    if (i + 1 >= n || (p[i + 1] != ':' && p[i + 1] != '.' && p[i + 1] != '='))
        return 0;
    char term = p[i + 1];
    for (size_t j = i + 2; j < n; j++) {
        if (p[j] == '\\' && j + 1 < n && (p[j + 1] == ']' || p[j + 1] == '\\'))
            j++;
        else if ((p[j] == '[' && j + 1 < n && p[j + 1] == term) || p[j] == ']')
            return 0;
        else if (p[j] == term && j + 1 < n && p[j + 1] == ']')
            return j + 2;
    }
    return 0;
}

static void translate(xlat *x, const char *p, size_t n)
{
    /* range: inside a class, 1 after an atom that may start a range, 2
     * after such an atom and '-' (a range is open), 0 otherwise */
    int in_class = 0, class_first = 0, range = 0, in_q = 0;
    add_anchor(x, 0, 1);
    size_t i = 0;
    while (i < n && !x->err) {
        char ch = p[i];
        if (in_q) { /* \Q...\E: all literal */
            if (ch == '\\' && i + 1 < n && p[i + 1] == 'E') {
                in_q = 0;
                sgi_buf_append(&x->out, p + i, 2);
                i += 2;
            } else
                sgi_buf_append(&x->out, p + i++, 1);
            continue;
        }
        if (ch == '\\' && i + 1 < n) {
            char e = p[i + 1];
            long hi, lo;
            if (e == 's' || e == 'S') {
                if (in_class && (range == 2 || (i + 3 < n && p[i + 2] == '-' && p[i + 3] != ']'))) {
                    /* a class escape in a range: PCRE2 says this of [a-\d],
                     * ECMA (u) rejects it too; expanded, it would silently
                     * become a range of its first or last member */
                    x->err = "invalid range in character class";
                    x->err_at = range == 2 ? i : i + 2;
                    break;
                }
                if (in_class)
                    rewrite(x, i, i + 2, e == 's' ? WS_SET : NON_WS_SET);
                else {
                    add_anchor(x, i, 0);
                    sgi_buf_puts(&x->out, e == 's' ? "[" : "[^");
                    sgi_buf_puts(&x->out, WS_SET);
                    sgi_buf_puts(&x->out, "]");
                    add_anchor(x, i + 2, 1);
                }
                i += 2;
            } else if (e == 'v') {
                rewrite(x, i, i + 2, "\\x0b");
                i += 2;
            } else if (e == 'u' && (hi = bsu4(p + i, n - i)) >= 0xD800 && hi <= 0xDBFF &&
                       (lo = bsu4(p + i + 6, n - i - 6)) >= 0xDC00 && lo <= 0xDFFF) {
                char tmp[16];
                snprintf(tmp, sizeof tmp, "\\u{%lx}", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                rewrite(x, i, i + 12, tmp);
                i += 12;
            } else if ((e == 'p' || e == 'P') && i + 2 < n && p[i + 2] == '{') {
                size_t close = i + 3;
                while (close < n && p[close] != '}' && close - i < 64)
                    close++;
                const char *shortname =
                    close < n && p[close] == '}' ? gc_short(p + i + 3, close - i - 3) : NULL;
                if (shortname) {
                    char tmp[16];
                    snprintf(tmp, sizeof tmp, "\\%c{%s}", e, shortname);
                    rewrite(x, i, close + 1, tmp);
                    i = close + 1;
                } else { /* copied whole: the name is no syntax */
                    size_t end = close < n && p[close] == '}' ? close + 1 : i + 2;
                    sgi_buf_append(&x->out, p + i, end - i);
                    i = end;
                }
            } else if (e == 'c' && i + 2 < n) { /* \cX: X is no syntax (\c[ is ESC) */
                sgi_buf_append(&x->out, p + i, 3);
                i += 3;
            } else {
                if (e == 'Q')
                    in_q = 1;
                /* any other escape pair is copied whole, so an escaped
                 * [ ] ( . is never taken for syntax */
                sgi_buf_append(&x->out, p + i, 2);
                i += 2;
            }
            if (in_class) /* \s \S end a range or start none; others: atoms */
                range = (e == 's' || e == 'S' || range == 2) ? 0 : 1;
            class_first = 0;
            continue;
        }
        if (in_class) {
            size_t pe = ch == '[' ? posix_end(p, i, n) : 0;
            if (pe) {
                sgi_buf_append(&x->out, p + i, pe - i);
                i = pe;
                range = 0;
            } else {
                if (ch == ']')
                    in_class = 0; /* first too: [] is empty (ALLOW_EMPTY_CLASS) */
                else if (ch == '-' && !class_first && range)
                    range = range == 1 ? 2 : 0;
                else
                    range = range == 2 ? 0 : 1;
                sgi_buf_append(&x->out, p + i++, 1);
            }
            class_first = 0;
            continue;
        }
        if (ch == '[') {
            in_class = class_first = 1;
            range = 0;
            size_t k = i + 1 < n && p[i + 1] == '^' ? 2 : 1;
            sgi_buf_append(&x->out, p + i, k);
            i += k;
        } else if (ch == '.') {
            rewrite(x, i, i + 1, DOT_CLASS);
            i++;
        } else if (ch == '(' && i + 2 < n && p[i + 1] == '?' && p[i + 2] == '#') {
            size_t j = i; /* PCRE2 comment: up to the first ')' */
            while (j < n && p[j] != ')')
                j++;
            j = j < n ? j + 1 : n;
            sgi_buf_append(&x->out, p + i, j - i);
            i = j;
        } else
            sgi_buf_append(&x->out, p + i++, 1);
    }
    if (x->out.oom)
        x->oom = 1;
}

/* ---- cache ----------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h ^ (h >> 29);
}

static void set_err(char *err, size_t errcap, size_t *err_offset, const char *msg, size_t off)
{
    if (err && errcap) {
        size_t n = strlen(msg);
        if (n >= errcap)
            n = errcap - 1;
        memcpy(err, msg, n);
        err[n] = '\0';
    }
    if (err_offset)
        *err_offset = off;
}

static void grow(sgi_regex_cache *c)
{
    size_t nb = c->nbuckets * 2;
    sgi_regex **b = sgi_calloc(&c->alloc, nb, sizeof *b);
    if (!b)
        return; /* longer chains, still correct */
    for (size_t i = 0; i < c->nbuckets; i++) {
        sgi_regex *e = c->buckets[i];
        while (e) {
            sgi_regex *next = e->next;
            e->next = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
            e = next;
        }
    }
    sgi_free(&c->alloc, c->buckets);
    c->buckets = b;
    c->nbuckets = nb;
}

/* Compile E->pattern into E (code, or msg and offset). 0 on out of memory. */
static int compile_entry(sgi_regex_cache *c, sgi_regex *e)
{
    char msg[256];
    if (e->len > c->max_pattern_bytes) {
        snprintf(msg, sizeof msg, "pattern longer than %llu bytes",
                 (unsigned long long)c->max_pattern_bytes);
        e->offset = (size_t)c->max_pattern_bytes;
        return (e->msg = sgi_strdup(&c->alloc, msg)) != NULL;
    }
    xlat x;
    memset(&x, 0, sizeof x);
    x.alloc = &c->alloc;
    x.out.alloc = &c->alloc;
    translate(&x, e->pattern, e->len);
    int ok = 1;
    if (x.oom)
        ok = 0;
    else if (x.err) {
        e->offset = x.err_at;
        ok = (e->msg = sgi_strdup(&c->alloc, x.err)) != NULL;
    } else {
        int ec;
        PCRE2_SIZE eo;
        /* an empty buffer has no data: give PCRE2 a real empty string */
        PCRE2_SPTR src = (PCRE2_SPTR)(x.out.data ? x.out.data : "");
        e->code = pcre2_compile(src, x.out.len, COMPILE_OPTIONS, &ec, &eo, c->cctx);
        if (!e->code) {
            if (ec == PCRE2_ERROR_HEAP_FAILED)
                ok = 0;
            else {
                PCRE2_UCHAR buf[256];
                if (pcre2_get_error_message(ec, buf, sizeof buf) < 0)
                    snprintf((char *)buf, sizeof buf, "PCRE2 error %d", ec);
                e->offset = map_offset(&x, eo);
                ok = (e->msg = sgi_strdup(&c->alloc, (const char *)buf)) != NULL;
            }
        }
    }
    sgi_buf_fini(&x.out);
    sgi_free(&c->alloc, x.anchors);
    return ok;
}

const sgi_regex *sgi_regex_get(sgi_regex_cache *c, const char *pattern, size_t len, char *err,
                               size_t errcap, size_t *err_offset)
{
    if (!pattern)
        pattern = "";
    uint64_t h = hash_bytes(pattern, len);
    sgi_regex *e;
    for (e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && e->len == len && memcmp(e->pattern, pattern, len) == 0)
            break;
    if (!e) {
        e = sgi_calloc(&c->alloc, 1, sizeof *e);
        if (e && (e->pattern = sgi_malloc(&c->alloc, len ? len : 1)) != NULL) {
            memcpy(e->pattern, pattern, len);
            e->len = len;
        }
        if (!e || !e->pattern || !compile_entry(c, e)) {
            if (e) {
                pcre2_code_free(e->code);
                sgi_free(&c->alloc, e->pattern);
                sgi_free(&c->alloc, e->msg);
                sgi_free(&c->alloc, e);
            }
            set_err(err, errcap, err_offset, "", 0);
            return NULL;
        }
        e->hash = h;
        e->next = c->buckets[h & (c->nbuckets - 1)];
        c->buckets[h & (c->nbuckets - 1)] = e;
        if (++c->count > c->nbuckets)
            grow(c);
    }
    if (!e->code) {
        set_err(err, errcap, err_offset, e->msg, e->offset);
        return NULL;
    }
    return e;
}

int sgi_regex_match(sgi_regex_cache *c, const sgi_regex *re, const char *s, size_t len)
{
    if (!re || !re->code)
        return -2;
    /* no PCRE2_NO_UTF_CHECK: PCRE2 validates the subject (invalid UTF-8 is
     * an error, -2, never undefined behaviour) */
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(s ? s : ""), s ? len : 0, 0, 0, c->md, c->mctx);
    if (rc >= 0) /* 0: matched, more groups than the match data holds */
        return 1;
    switch (rc) {
    case PCRE2_ERROR_NOMATCH:
        return 0;
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
        return -1;
    case PCRE2_ERROR_NOMEMORY: /* the heap frames of the match */
        return -3;
    default:
        return -2;
    }
}

/* ---- portability scan ------------------------------------------------ */

/* A quantifier {n}, {n,} or {n,m} at P[i] ('{'): the offset past '}', or 0. */
static size_t brace_quant(const char *p, size_t i, size_t n)
{
    size_t j = i + 1, d1 = 0, d2 = 0;
    while (j < n && p[j] >= '0' && p[j] <= '9')
        j++, d1++;
    if (!d1)
        return 0;
    if (j < n && p[j] == ',') {
        j++;
        while (j < n && p[j] >= '0' && p[j] <= '9')
            j++, d2++;
    }
    return j < n && p[j] == '}' ? j + 1 : 0;
}

int sgi_regex_non_ecma(const char *p, size_t n)
{
    /* quant: 1 after a quantifier (a '+' now would be possessive), 2 after
     * a lazy '?' (nothing may follow) */
    int in_class = 0, quant = 0;
    size_t i = 0;
    while (i < n) {
        char ch = p[i];
        if (ch == '\\') {
            if (i + 1 >= n)
                return 0;
            char e = p[i + 1];
            /* PCRE-only escapes: anchors, \Q..\E, \K, \R, \h, \N, \X, \C,
             * \g, \o{}, \e, \a, case folding \L \l \U */
            if (e != '\0' && strchr("AZzGQEKRhHVNXCegoaLlU", e))
                return 1;
            if ((e == 'x' && i + 2 < n && p[i + 2] == '{') ||
                ((e == 'p' || e == 'P') && (i + 2 >= n || p[i + 2] != '{')))
                return 1;
            i += 2;
            quant = 0;
            continue;
        }
        if (in_class) {
            if (ch == '[' && posix_end(p, i, n))
                return 1;
            if (ch == ']')
                in_class = 0;
            i++;
            continue;
        }
        switch (ch) {
        case '[':
            in_class = 1;
            i += i + 1 < n && p[i + 1] == '^' ? 2 : 1;
            quant = 0;
            continue;
        case '(':
            if (i + 1 < n && p[i + 1] == '*') /* (*VERB), (*UTF) */
                return 1;
            if (i + 1 < n && p[i + 1] == '?') {
                char k = i + 2 < n ? p[i + 2] : '\0';
                char k2 = i + 3 < n ? p[i + 3] : '\0';
                /* ECMA: (?: (?= (?! (?<= (?<! (?<name> */
                if (!(k == ':' || k == '=' || k == '!' ||
                      (k == '<' && k2 != '\0' && k2 != '>')))
                    return 1;
                i += 3;
            } else
                i++;
            quant = 0;
            continue;
        case '*':
        case '+':
        case '?':
            if (quant == 2 || (quant == 1 && ch == '+'))
                return 1;
            quant = quant == 1 ? 2 : 1; /* '?' after a quantifier: lazy */
            i++;
            continue;
        case '{': {
            size_t end = brace_quant(p, i, n);
            if (end) {
                if (quant)
                    return 1;
                quant = 1;
                i = end;
                continue;
            }
            break;
        }
        default:
            break;
        }
        quant = 0;
        i++;
    }
    return 0;
}
