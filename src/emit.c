/* Emitter: the model back to JSON text. Written here rather than through
 * json_object_to_json_string(): json-c escapes '/', prints doubles with
 * %.17g, and caches the text inside each node (a write to a shared,
 * possibly aliased node: not thread-safe on a const document). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

static int reserve(sgi_buf *b, size_t more)
{
    if (b->oom)
        return 0;
    if (b->len + more + 1 <= b->cap)
        return 1;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + more + 1) {
        if (ncap > SIZE_MAX / 2) {
            b->oom = 1;
            return 0;
        }
        ncap *= 2;
    }
    char *nd = sgi_realloc(b->alloc, b->data, ncap);
    if (!nd) {
        b->oom = 1;
        return 0;
    }
    b->data = nd;
    b->cap = ncap;
    return 1;
}

void sgi_buf_append(sgi_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sgi_buf_puts(sgi_buf *b, const char *s) { sgi_buf_append(b, s, strlen(s)); }

void sgi_buf_printf(sgi_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0 && reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void sgi_buf_fini(sgi_buf *b)
{
    const sg_allocator *a = b->alloc;
    sgi_free(a, b->data);
    memset(b, 0, sizeof *b);
    b->alloc = a;
}

void sgi_buf_json_string(sgi_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (!reserve(b, len + 2))
        return;
    sgi_buf_append(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBB &&
            (unsigned char)s[i + 2] == 0xBF) {
            /* U+FEFF raw inside a file reads as the byte order mark of a
             * second, concatenated file: swaggate refuses it (rule encoding)
             * and other tools strip it. Escaped, every writer's output reads
             * back. (RFC 8785 would write it raw: normalize --canonical
             * departs from it here, and swaggate(1) says so.) */
            sgi_buf_append(b, s + run, i - run);
            sgi_buf_puts(b, "\\ufeff");
            i += 2;
            run = i + 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sgi_buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        sgi_buf_puts(b, esc);
    }
    sgi_buf_append(b, s + run, len - run);
    sgi_buf_append(b, "\"", 1);
}

const char *sg_number_text(struct json_object *v)
{
    if (!v || !json_object_is_type(v, json_type_double))
        return NULL;
    /* Only the builder makes doubles, always through json_object_new_double_s,
     * which keeps the text as the node's userdata. */
    return (const char *)json_object_get_userdata(v);
}

static void emit_number(sgi_buf *b, struct json_object *v)
{
    char tmp[32];
    if (json_object_is_type(v, json_type_int)) {
        if (json_object_get_int64(v) == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
            snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)json_object_get_uint64(v));
        else
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_object_get_int64(v));
        sgi_buf_puts(b, tmp);
        return;
    }
    const char *t = sg_number_text(v);
    if (t) {
        sgi_buf_puts(b, t);
        return;
    }
    /* A double without text (not made by the builder): shortest form that
     * reads back to the same value. */
    double d = json_object_get_double(v);
    if (d != d || d - d != 0) { /* NaN or infinite: JSON has no spelling, as in JSON.stringify */
        sgi_buf_puts(b, "null");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    sgi_buf_puts(b, tmp);
}

static void newline(sgi_buf *b, int indent, int level)
{
    if (indent < 0)
        return;
    sgi_buf_append(b, "\n", 1);
    for (int i = 0; i < indent * level; i++)
        sgi_buf_append(b, " ", 1);
}

/* Recursion is bounded: the builder refuses documents deeper than
 * limits.max_depth (hard cap 4096), aliases included. */
static void emit(sgi_buf *b, struct json_object *v, int indent, int level)
{
    if (b->oom)
        return;
    switch (json_object_get_type(v)) {
    case json_type_null:
        sgi_buf_puts(b, "null");
        break;
    case json_type_boolean:
        sgi_buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
    case json_type_double:
        emit_number(b, v);
        break;
    case json_type_string:
        sgi_buf_json_string(b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        sgi_buf_append(b, "[", 1);
        for (size_t i = 0; i < n; i++) {
            if (i)
                sgi_buf_append(b, ",", 1);
            newline(b, indent, level + 1);
            emit(b, json_object_array_get_idx(v, i), indent, level + 1);
        }
        if (n)
            newline(b, indent, level);
        sgi_buf_append(b, "]", 1);
        break;
    }
    case json_type_object: {
        int first = 1;
        sgi_buf_append(b, "{", 1);
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                sgi_buf_append(b, ",", 1);
            first = 0;
            newline(b, indent, level + 1);
            sgi_buf_json_string(b, key, strlen(key));
            sgi_buf_append(b, indent < 0 ? ":" : ": ", indent < 0 ? 1 : 2);
            emit(b, val, indent, level + 1);
        }
        if (!first)
            newline(b, indent, level);
        sgi_buf_append(b, "}", 1);
        break;
    }
    }
}

void sgi_emit_json(sgi_buf *b, struct json_object *v, int indent) { emit(b, v, indent, 0); }

void sgi_pointer_append(sgi_buf *b, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '~' && s[i] != '/')
            continue;
        sgi_buf_append(b, s + run, i - run);
        sgi_buf_puts(b, s[i] == '~' ? "~0" : "~1");
        run = i + 1;
    }
    sgi_buf_append(b, s + run, len - run);
}

struct sg_bytes {
    sg_allocator alloc; /* what data and this struct were allocated with */
    char *data;
    size_t len;
};

sg_bytes *sgi_bytes_take(sgi_buf *b)
{
    if (b->oom)
        return NULL;
    const sg_allocator *a = b->alloc;
    sg_bytes *r = sgi_malloc(a, sizeof *r);
    if (!r)
        return NULL;
    if (!b->data && !reserve(b, 0)) {
        sgi_free(a, r);
        return NULL;
    }
    sgi_alloc_copy(&r->alloc, a);
    r->data = b->data;
    r->len = b->len;
    memset(b, 0, sizeof *b);
    b->alloc = a;
    return r;
}

const char *sg_bytes_data(const sg_bytes *bytes) { return bytes ? bytes->data : NULL; }
size_t sg_bytes_len(const sg_bytes *bytes) { return bytes ? bytes->len : 0; }

void sg_bytes_free(sg_bytes *bytes)
{
    if (!bytes)
        return;
    sg_allocator a = bytes->alloc;
    sgi_free(&a, bytes->data);
    sgi_free(&a, bytes);
}
