/* Marks: the side table that says where every value and key came from.
 * json-c nodes have no room for positions, and null is a NULL pointer, so
 * positions are keyed by (container, slot) rather than by node: that gives
 * nulls a home and keeps each use of a shared (aliased) node apart. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

typedef struct entry {
    const void *parent; /* NULL for the root; the table never stores a zero key */
    uintptr_t slot;
    int used;
    sgi_span span;
} entry;

struct sgi_marks {
    entry *slots;
    size_t cap; /* a power of two */
    size_t n;
};

sgi_marks *sgi_marks_new(void)
{
    sgi_marks *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void sgi_marks_free(sgi_marks *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

size_t sgi_marks_count(const sgi_marks *m) { return m ? m->n : 0; }

static size_t hash(const void *parent, uintptr_t slot)
{
    /* Pointers and small indexes: mix with a 64-bit multiply (Fibonacci
     * hashing); keys are not attacker-chosen bytes, they are addresses. */
    uint64_t h = (uint64_t)(uintptr_t)parent * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)slot + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h *= 0xD6E8FEB86659FD93ull;
    return (size_t)(h ^ (h >> 32));
}

static entry *find(const sgi_marks *m, const void *parent, uintptr_t slot)
{
    size_t mask = m->cap - 1;
    for (size_t i = hash(parent, slot) & mask;; i = (i + 1) & mask) {
        entry *e = &m->slots[i];
        if (!e->used || (e->parent == parent && e->slot == slot))
            return e;
    }
}

static sg_status grow(sgi_marks *m)
{
    size_t ocap = m->cap;
    entry *old = m->slots;
    entry *ns = calloc(ocap * 2, sizeof *ns);
    if (!ns)
        return SG_ENOMEM;
    m->slots = ns;
    m->cap = ocap * 2;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].used)
            *find(m, old[i].parent, old[i].slot) = old[i];
    free(old);
    return SG_OK;
}

sg_status sgi_marks_put(sgi_marks *m, const void *parent, uintptr_t slot, const sgi_span *span)
{
    if ((m->n + 1) * 10 > m->cap * 7 && grow(m) != SG_OK)
        return SG_ENOMEM;
    entry *e = find(m, parent, slot);
    if (!e->used) {
        e->used = 1;
        e->parent = parent;
        e->slot = slot;
        m->n++;
    }
    e->span = *span;
    return SG_OK;
}

const sgi_span *sgi_marks_get(const sgi_marks *m, const void *parent, uintptr_t slot)
{
    if (!m)
        return NULL;
    entry *e = find(m, parent, slot);
    return e->used ? &e->span : NULL;
}

const sgi_span *sgi_marks_member(const sgi_marks *m, struct json_object *obj, const char *key)
{
    if (!m || !obj || !json_object_is_type(obj, json_type_object))
        return NULL;
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(obj), key);
    if (!le)
        return NULL;
    return sgi_marks_get(m, obj, (uintptr_t)le->k);
}
