/* The export's type=yaml: a json-c value as a YAML 1.2 block document.
 * Simple on purpose: every string value is double-quoted with JSON's
 * escapes (a subset of YAML's), so no scalar changes type on the way back
 * ("1.10", "yes", "null" stay strings); keys are plain when they are plain
 * names, quoted otherwise; numbers, booleans and null are written as JSON
 * spells them; empty collections in flow style. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "serve.h"

typedef struct buf {
    char *p;
    size_t n, cap;
    int oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + n + 1 > cap)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void indent(buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        put(b, "  ", 2);
}

static const int FLAGS = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;

static void scalar(buf *b, struct json_object *v)
{
    puts_(b, v ? json_object_to_json_string_ext(v, FLAGS) : "null");
}

/* A key that YAML reads back as the same string when written plain: a
 * name, not a word YAML 1.1 tools read as a boolean or null. */
static int plain_key(const char *k)
{
    static const char *const words[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", NULL};
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
        return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return 0;
    for (size_t i = 0; words[i]; i++)
        if (strcasecmp(k, words[i]) == 0)
            return 0;
    return 1;
}

static void key(buf *b, const char *k)
{
    if (plain_key(k)) {
        puts_(b, k);
        return;
    }
    struct json_object *s = json_object_new_string(k);
    if (!s) {
        b->oom = 1;
        return;
    }
    scalar(b, s);
    json_object_put(s);
}

static int is_empty_collection(struct json_object *v)
{
    if (json_object_is_type(v, json_type_object))
        return json_object_object_length(v) == 0;
    if (json_object_is_type(v, json_type_array))
        return json_object_array_length(v) == 0;
    return 0;
}

static int is_collection(struct json_object *v)
{
    return v && (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array));
}

/* V, a collection that is not empty, at DEPTH; the cursor is at the start
 * of a line (FIRST_INLINE: after "- ", where the first line goes). */
static void block(buf *b, struct json_object *v, int depth, int first_inline);

static void value_after(buf *b, struct json_object *v, int depth)
{
    /* after "key:" or "-" */
    if (!is_collection(v) || is_empty_collection(v)) {
        put(b, " ", 1);
        if (v && json_object_is_type(v, json_type_object) && is_empty_collection(v))
            puts_(b, "{}");
        else if (v && json_object_is_type(v, json_type_array) && is_empty_collection(v))
            puts_(b, "[]");
        else
            scalar(b, v);
        put(b, "\n", 1);
    } else {
        put(b, "\n", 1);
        block(b, v, depth, 0);
    }
}

static void block(buf *b, struct json_object *v, int depth, int first_inline)
{
    int first = 1;
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, k, m) {
            if (!(first && first_inline))
                indent(b, depth);
            first = 0;
            key(b, k);
            put(b, ":", 1);
            value_after(b, m, depth + 1);
        }
    } else {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (!(first && first_inline))
                indent(b, depth);
            first = 0;
            put(b, "-", 1);
            if (is_collection(e) && !is_empty_collection(e)) {
                put(b, " ", 1);
                block(b, e, depth + 1, 1);
            } else {
                value_after(b, e, depth + 1);
            }
        }
    }
}

char *sgs_yaml_dump(struct json_object *value)
{
    buf b = {0};
    if (is_collection(value) && !is_empty_collection(value))
        block(&b, value, 0, 0);
    else
        value_after(&b, value, 0);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
