/* Diagnostics: the list of findings of one or more files. Every string is
 * owned by the list; messages quote input only through sgi_excerpt(), so no
 * control character or bidirectional mark reaches a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sg_diagnostics {
    sg_diagnostic *items;
    size_t n, cap;
    size_t tally[3];
    uint64_t max;
    int last_dropped;
    sg_allocator alloc; /* a copy of the hooks given at creation, or zeros */
};

sg_diagnostics *sg_diagnostics_new(void) { return sg_diagnostics_new_with(NULL); }

sg_diagnostics *sg_diagnostics_new_with(const sg_allocator *allocator)
{
    sg_diagnostics *d = sgi_calloc(allocator, 1, sizeof *d);
    if (d) {
        sg_limits l;
        sg_limits_init(&l);
        d->max = l.max_diagnostics;
        sgi_alloc_copy(&d->alloc, allocator);
    }
    return d;
}

static void diag_fini(const sg_allocator *a, sg_diagnostic *g)
{
    sgi_free(a, (char *)g->rule);
    sgi_free(a, (char *)g->message);
    sgi_free(a, (char *)g->file);
    sgi_free(a, (char *)g->pointer);
    sgi_free(a, (char *)g->apig_code);
    sgi_free(a, (char *)g->source_line);
    sgi_free(a, (char *)g->related_file);
    sgi_free(a, (char *)g->related_message);
}

void sg_diagnostics_free(sg_diagnostics *d)
{
    if (!d)
        return;
    sg_allocator a = d->alloc;
    for (size_t i = 0; i < d->n; i++)
        diag_fini(&a, &d->items[i]);
    sgi_free(&a, d->items);
    sgi_free(&a, d);
}

size_t sg_diagnostics_count(const sg_diagnostics *d) { return d ? d->n : 0; }

const sg_diagnostic *sg_diagnostics_get(const sg_diagnostics *d, size_t i)
{
    return d && i < d->n ? &d->items[i] : NULL;
}

size_t sg_diagnostics_tally(const sg_diagnostics *d, sg_severity severity)
{
    if (!d || (unsigned)severity > SG_SEVERITY_ERROR)
        return 0;
    return d->tally[severity];
}

void sgi_diags_set_limit(sg_diagnostics *d, uint64_t max)
{
    if (d)
        d->max = max;
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int diag_cmp(const sg_diagnostic *a, const sg_diagnostic *b)
{
    int c = cmp_str(a->file, b->file);
    if (c)
        return c;
    if (a->start.line != b->start.line)
        return a->start.line < b->start.line ? -1 : 1;
    if (a->start.column != b->start.column)
        return a->start.column < b->start.column ? -1 : 1;
    return 0;
}

/* Stable merge sort: lists reach limits.max_diagnostics (up to a million). */
void sg_diagnostics_sort(sg_diagnostics *d)
{
    if (!d || d->n < 2)
        return;
    sg_diagnostic *tmp = sgi_malloc(&d->alloc, d->n * sizeof *tmp);
    if (!tmp) {
        /* Out of memory: insertion sort in place, slower but still stable. */
        for (size_t i = 1; i < d->n; i++) {
            sg_diagnostic t = d->items[i];
            size_t j = i;
            for (; j > 0 && diag_cmp(&d->items[j - 1], &t) > 0; j--)
                d->items[j] = d->items[j - 1];
            d->items[j] = t;
        }
        return;
    }
    sg_diagnostic *a = d->items, *b = tmp;
    for (size_t width = 1; width < d->n; width *= 2) {
        for (size_t lo = 0; lo < d->n; lo += 2 * width) {
            size_t mid = lo + width < d->n ? lo + width : d->n;
            size_t hi = lo + 2 * width < d->n ? lo + 2 * width : d->n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = diag_cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        sg_diagnostic *t = a;
        a = b;
        b = t;
    }
    if (a != d->items)
        memcpy(d->items, a, d->n * sizeof *a);
    sgi_free(&d->alloc, tmp);
}

/* Code points a terminal would act on or that reorder text. */
static int is_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void sgi_excerpt(char *buf, size_t cap, const char *s, size_t len, size_t max_chars)
{
    size_t o = 0, chars = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    if (cap == 0)
        return;
    while (i < len) {
        char tmp[16];
        uint32_t cp = 0;
        size_t k = sgi_utf8_decode(p + i, len - i, &cp);
        size_t tl;
        if (chars >= max_chars) {
            if (o + 4 <= cap)
                memcpy(buf + o, "...", 3), o += 3;
            break;
        }
        if (k == 0) {
            tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
            k = 1;
        } else {
            if (cp == '\n')
                tl = (size_t)snprintf(tmp, sizeof tmp, "\\n");
            else if (cp == '\t')
                tl = (size_t)snprintf(tmp, sizeof tmp, "\\t");
            else if (cp == '\r')
                tl = (size_t)snprintf(tmp, sizeof tmp, "\\r");
            else if (is_unsafe(cp))
                tl = (size_t)snprintf(tmp, sizeof tmp, "\\u%04X", (unsigned)cp);
            else {
                memcpy(tmp, p + i, k);
                tl = k;
            }
        }
        if (o + tl + 1 > cap)
            break;
        memcpy(buf + o, tmp, tl);
        o += tl;
        i += k;
        chars++;
    }
    buf[o] = '\0';
}

/* The line of the source, made safe to print with a caret under it: every
 * unsafe code point becomes one '?' and a tab an arrow (U+2192), so that columns
 * (code points) still line up. Long lines are kept to 1000 code points. */
static char *source_line(const sg_allocator *a, sgi_source *src, unsigned line)
{
    size_t start, len;
    if (!src || !sgi_source_line(src, line, &start, &len))
        return NULL;
    const unsigned char *p = src->text + start;
    if (len > 4000)
        len = 4000;
    char *out = sgi_malloc(a, len * 3 + 1); /* a tab grows to 3 bytes */
    if (!out)
        return NULL;
    size_t o = 0, i = 0, chars = 0;
    while (i < len && chars++ < 1000) {
        uint32_t cp = 0;
        size_t k = sgi_utf8_decode(p + i, len - i, &cp);
        if (k == 0) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (cp == '\t') {
            /* Visible, and one column wide like the tab it stands for. */
            memcpy(out + o, "\xe2\x86\x92", 3);
            o += 3;
        } else if (is_unsafe(cp))
            out[o++] = '?';
        else {
            memcpy(out + o, p + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    return out;
}

static char *dup_or_null(const sg_allocator *a, const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *r = sgi_strdup(a, s);
    if (!r)
        *oom = 1;
    return r;
}

int sgi_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*arr, ncap * size);
    if (!n)
        return 0;
    *arr = n;
    *cap = ncap;
    return 1;
}

char *sgi_vformat(const char *fmt, va_list ap) { return sgi_vformat_a(NULL, fmt, ap); }

char *sgi_vformat_a(const sg_allocator *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *s = sgi_malloc(a, (size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

sg_status sgi_vdiag(sg_diagnostics *d, sgi_source *src, sg_severity sev, const char *rule,
                    const sg_mark *at, const char *pointer, const char *apig, const char *fmt,
                    va_list ap)
{
    if (!d)
        return SG_OK;
    d->tally[sev]++;
    if (d->n >= d->max) {
        d->last_dropped = 1;
        return SG_OK;
    }
    d->last_dropped = 0;
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        sg_diagnostic *ni = sgi_realloc(&d->alloc, d->items, ncap * sizeof *ni);
        if (!ni)
            return SG_ENOMEM;
        d->items = ni;
        d->cap = ncap;
    }
    sg_diagnostic g;
    int oom = 0;
    memset(&g, 0, sizeof g);
    g.severity = sev;
    const sg_allocator *a = &d->alloc;
    g.rule = dup_or_null(a, rule ? rule : "unknown", &oom);
    g.message = sgi_vformat_a(a, fmt, ap);
    oom |= g.message == NULL;
    g.file = dup_or_null(a, src && src->name ? src->name : "-", &oom);
    if (at)
        g.start = *at;
    g.pointer = dup_or_null(a, pointer, &oom);
    g.apig_code = dup_or_null(a, apig, &oom);
    size_t ls, ll;
    if (src && at && at->line > 0 && sgi_source_line(src, at->line, &ls, &ll)) {
        g.source_line = source_line(a, src, at->line);
        oom |= g.source_line == NULL;
    }
    if (oom) {
        diag_fini(a, &g);
        return SG_ENOMEM;
    }
    d->items[d->n++] = g;
    return SG_OK;
}

sg_status sgi_diag(sg_diagnostics *d, sgi_source *src, sg_severity sev, const char *rule,
                   const sg_mark *at, const char *pointer, const char *apig, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_vdiag(d, src, sev, rule, at, pointer, apig, fmt, ap);
    va_end(ap);
    return st;
}

sg_status sgi_diag_related(sg_diagnostics *d, const char *file, const sg_mark *at, const char *fmt,
                           ...)
{
    if (!d || d->n == 0 || d->last_dropped)
        return SG_OK;
    sg_diagnostic *g = &d->items[d->n - 1];
    va_list ap;
    va_start(ap, fmt);
    char *msg = sgi_vformat_a(&d->alloc, fmt, ap);
    va_end(ap);
    char *f = sgi_strdup(&d->alloc, file ? file : (g->file ? g->file : "-"));
    if (!msg || !f) {
        sgi_free(&d->alloc, msg);
        sgi_free(&d->alloc, f);
        return SG_ENOMEM;
    }
    sgi_free(&d->alloc, (char *)g->related_file);
    sgi_free(&d->alloc, (char *)g->related_message);
    g->has_related = 1;
    g->related_file = f;
    g->related_message = msg;
    if (at)
        g->related = *at;
    return SG_OK;
}

void sgi_diags_rewrite(sg_diagnostics *d, int (*fn)(void *ctx, sg_diagnostic *g), void *ctx)
{
    if (!d)
        return;
    size_t o = 0;
    for (size_t i = 0; i < d->n; i++) {
        sg_diagnostic *g = &d->items[i];
        sg_severity before = g->severity;
        int keep = fn(ctx, g);
        /* Tallies count what is reported, so they follow the rewrite; those
         * dropped over the limit were never seen here and keep counting. */
        d->tally[before]--;
        if (!keep) {
            diag_fini(&d->alloc, g);
            continue;
        }
        d->tally[g->severity]++;
        d->items[o++] = *g;
    }
    d->n = o;
}

sg_diagnostics *sgi_diags_new_like(const sg_diagnostics *d)
{
    sg_diagnostics *n = sg_diagnostics_new_with(d ? &d->alloc : NULL);
    if (n && d)
        n->max = d->max;
    return n;
}

sg_status sgi_diags_append(sg_diagnostics *dst, sg_diagnostics *src)
{
    if (!dst || !src)
        return SG_EUSAGE;
    size_t room = dst->n < dst->max ? (size_t)(dst->max - dst->n) : 0;
    size_t take = src->n < room ? src->n : room;
    if (dst->n + take > dst->cap) {
        size_t ncap = dst->cap ? dst->cap : 16;
        while (ncap < dst->n + take)
            ncap *= 2;
        sg_diagnostic *ni = sgi_realloc(&dst->alloc, dst->items, ncap * sizeof *ni);
        if (!ni)
            return SG_ENOMEM;
        dst->items = ni;
        dst->cap = ncap;
    }
    /* Both lists must use the same hooks: the strings change hands. */
    if (take) /* an empty list may have no array at all */
        memcpy(dst->items + dst->n, src->items, take * sizeof *src->items);
    dst->n += take;
    for (size_t i = take; i < src->n; i++)
        diag_fini(&src->alloc, &src->items[i]);
    for (int s = 0; s < 3; s++) {
        dst->tally[s] += src->tally[s];
        src->tally[s] = 0;
    }
    if (src->n > 0 || src->last_dropped)
        dst->last_dropped = src->last_dropped || take < src->n;
    src->n = 0;
    src->last_dropped = 0;
    return SG_OK;
}
