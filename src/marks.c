/* Marks: the side table that says where every value and key came from.
 * json-c nodes have no room for positions, and null is a NULL pointer, so
 * positions are keyed by (container, slot) rather than by node: that gives
 * nulls a home and keeps each use of a shared (aliased) node apart.
 *
 * Two stores, one interface:
 * - Object members built by the builder: the key string lives in the
 *   table's arena right after the member's span (sgi_marks_key), and json-c
 *   keeps that pointer as a constant key. Finding the span of such a member
 *   is pointer arithmetic: no hashing, no second copy of the key, and the
 *   records sit in document order (the builder writes them sequentially).
 * - Everything else (array elements, the root, members added otherwise): a
 *   hash table of (parent, slot). The entries are appended in chunks and
 *   never move (a returned span stays valid); the index is an open-addressing
 *   table of 8-byte slots (entry number and hash), so growing it rehashes
 *   without touching the entries and a probe rarely leaves the index.
 * Measured on a 100 MB document (3.8 M marks): the former table of 88-byte
 * slots at 70 % load spent half of the load time in cache misses and in
 * page faults of its own memory (bench/RESULTS.md).
 *
 * A span is stored as three byte offsets (12 bytes, not four 16-byte marks):
 * every mark the readers make is the line and code-point column that
 * sgi_source_mark_at() computes for its offset, so line and column are
 * computed again from the source's line table when a span is asked for,
 * which is rare (findings), while the marks of every value are kept. This
 * was a third of the model's memory (issue 8). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

/* A span as stored: byte offsets (12 bytes; where a key ends was never
 * asked for, so it is not kept). */
typedef struct cspan {
    uint32_t key_start, start, end;
} cspan;

/* key_start of a member record whose span was never set (the key may be a
 * discarded duplicate); offsets are below the file-size limit (< 2 GiB). */
#define UNSET UINT32_MAX

typedef struct entry {
    const void *parent; /* NULL for the root */
    uintptr_t slot;
    cspan span;
} entry;

/* A member record in the arena; the key's bytes and NUL follow it. */
typedef struct krec {
    cspan span;
} krec;

typedef struct block {
    char *base;
    size_t cap;
} block;

#define CHUNK_BITS 10 /* entries per chunk: 1024 (80 KiB, below glibc's mmap threshold) */
#define CHUNK (1u << CHUNK_BITS)

struct sgi_marks {
    /* the hash table */
    entry **chunks;
    size_t nchunks, chunks_cap;
    size_t nentries;
    uint64_t *index; /* (entry number + 1) << 32 | hash32; 0: empty */
    size_t icap;     /* a power of two */
    /* the arena of member records, blocks sorted by address */
    block *blocks;
    size_t nblocks, blocks_cap;
    char *cur, *cur_end;
    size_t next_block;
    uintptr_t lo, hi; /* bounds of all blocks */
    size_t n;         /* marks set, both stores */
    const sg_allocator *alloc; /* borrowed (the document's hooks), or NULL */
    const sgi_source *src;     /* borrowed: turns offsets into marks */
};

sgi_marks *sgi_marks_new(const sgi_source *src) { return sgi_marks_new_a(NULL, src); }

sgi_marks *sgi_marks_new_a(const sg_allocator *a, const sgi_source *src)
{
    sgi_marks *m = sgi_calloc(a, 1, sizeof *m);
    if (!m)
        return NULL;
    m->alloc = a;
    m->src = src;
    m->icap = 64;
    m->index = sgi_calloc(a, m->icap, sizeof *m->index);
    if (!m->index) {
        sgi_free(a, m);
        return NULL;
    }
    m->next_block = 16384;
    m->lo = UINTPTR_MAX;
    return m;
}

void sgi_marks_free(sgi_marks *m)
{
    if (!m)
        return;
    const sg_allocator *a = m->alloc;
    for (size_t i = 0; i < m->nchunks; i++)
        sgi_free(a, m->chunks[i]);
    sgi_free(a, m->chunks);
    sgi_free(a, m->index);
    for (size_t i = 0; i < m->nblocks; i++)
        sgi_free(a, m->blocks[i].base);
    sgi_free(a, m->blocks);
    sgi_free(a, m);
}

size_t sgi_marks_count(const sgi_marks *m) { return m ? m->n : 0; }

/* ---- the arena ------------------------------------------------------------ */

/* Records hold uint32_t offsets: 4-byte alignment is enough. */
#define ALIGN4(x) (((x) + 3u) & ~(size_t)3u)

static int add_block(sgi_marks *m, size_t need)
{
    size_t cap = m->next_block;
    if (cap < need)
        cap = need;
    if (m->next_block < (4u << 20))
        m->next_block *= 2;
    if (m->nblocks == m->blocks_cap) {
        size_t nc = m->blocks_cap ? m->blocks_cap * 2 : 16;
        block *nb = sgi_realloc(m->alloc, m->blocks, nc * sizeof *nb);
        if (!nb)
            return 0;
        m->blocks = nb;
        m->blocks_cap = nc;
    }
    char *base = sgi_malloc(m->alloc, cap);
    if (!base)
        return 0;
    /* keep the blocks sorted by address for in_arena() */
    size_t i = m->nblocks;
    while (i > 0 && (uintptr_t)m->blocks[i - 1].base > (uintptr_t)base) {
        m->blocks[i] = m->blocks[i - 1];
        i--;
    }
    m->blocks[i].base = base;
    m->blocks[i].cap = cap;
    m->nblocks++;
    if ((uintptr_t)base < m->lo)
        m->lo = (uintptr_t)base;
    if ((uintptr_t)base + cap > m->hi)
        m->hi = (uintptr_t)base + cap;
    m->cur = base;
    m->cur_end = base + cap;
    return 1;
}

/* Is P a key of the arena? (the start of a key string: just after a krec) */
static const krec *in_arena(const sgi_marks *m, uintptr_t p)
{
    if (p < m->lo || p >= m->hi)
        return NULL;
    size_t a = 0, b = m->nblocks;
    while (b - a > 1) {
        size_t mid = a + (b - a) / 2;
        if ((uintptr_t)m->blocks[mid].base <= p)
            a = mid;
        else
            b = mid;
    }
    uintptr_t base = (uintptr_t)m->blocks[a].base;
    if (p < base + sizeof(krec) || p >= base + m->blocks[a].cap)
        return NULL;
    return (const krec *)(p - sizeof(krec));
}

char *sgi_marks_key(sgi_marks *m, const char *s, size_t n)
{
    size_t need = ALIGN4(sizeof(krec) + n + 1);
    if (need < n)
        return NULL;
    if ((size_t)(m->cur_end - m->cur) < need && !add_block(m, need))
        return NULL;
    krec *r = (krec *)m->cur;
    r->span.key_start = UNSET;
    char *key = m->cur + sizeof(krec);
    memcpy(key, s, n);
    key[n] = '\0';
    m->cur += need;
    return key;
}

static uint32_t off32(size_t offset)
{
    return offset < UNSET ? (uint32_t)offset : UNSET - 1;
}

static cspan pack(const sgi_span *s)
{
    cspan c = {off32(s->key_start.offset), off32(s->start.offset), off32(s->end.offset)};
    return c;
}

static void put_key(sgi_marks *m, const char *key, cspan c)
{
    krec *r = (krec *)(void *)(key - sizeof(krec));
    if (r->span.key_start == UNSET)
        m->n++;
    r->span = c;
}

void sgi_marks_put_key(sgi_marks *m, const char *key, const sgi_span *span)
{
    put_key(m, key, pack(span));
}

/* ---- the hash table ------------------------------------------------------- */

static uint32_t hash(const void *parent, uintptr_t slot)
{
    /* Pointers and small indexes: mix with a 64-bit multiply (Fibonacci
     * hashing); keys are not attacker-chosen bytes, they are addresses. */
    uint64_t h = (uint64_t)(uintptr_t)parent * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)slot + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h *= 0xD6E8FEB86659FD93ull;
    return (uint32_t)(h ^ (h >> 32));
}

static entry *entry_at(const sgi_marks *m, size_t i)
{
    return &m->chunks[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

/* The index slot of (PARENT, SLOT): its entry, or the empty slot where it
 * would go. */
static size_t find(const sgi_marks *m, const void *parent, uintptr_t slot, uint32_t h)
{
    size_t mask = m->icap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t s = m->index[i];
        if (s == 0)
            return i;
        if ((uint32_t)s == h) {
            const entry *e = entry_at(m, (size_t)(s >> 32) - 1);
            if (e->parent == parent && e->slot == slot)
                return i;
        }
    }
}

static sg_status grow(sgi_marks *m)
{
    size_t ncap = m->icap * 2;
    if (ncap > ((size_t)1 << 32))
        return SG_ENOMEM;
    uint64_t *ni = sgi_calloc(m->alloc, ncap, sizeof *ni);
    if (!ni)
        return SG_ENOMEM;
    size_t mask = ncap - 1;
    for (size_t i = 0; i < m->icap; i++) {
        uint64_t s = m->index[i];
        if (!s)
            continue;
        size_t j = (uint32_t)s & mask;
        while (ni[j])
            j = (j + 1) & mask;
        ni[j] = s;
    }
    sgi_free(m->alloc, m->index);
    m->index = ni;
    m->icap = ncap;
    return SG_OK;
}

static sg_status put(sgi_marks *m, const void *parent, uintptr_t slot, cspan span)
{
    if (parent && in_arena(m, slot)) {
        put_key(m, (const char *)slot, span);
        return SG_OK;
    }
    /* up to three quarters full: probes compare the 8-byte slots' hashes
     * and rarely reach an entry that is not the one sought */
    if ((m->nentries + 1) * 4 > m->icap * 3 && grow(m) != SG_OK)
        return SG_ENOMEM;
    uint32_t h = hash(parent, slot);
    size_t i = find(m, parent, slot, h);
    if (m->index[i]) {
        entry_at(m, (size_t)(m->index[i] >> 32) - 1)->span = span;
        return SG_OK;
    }
    if (m->nentries >= UINT32_MAX - 1)
        return SG_ENOMEM;
    if ((m->nentries >> CHUNK_BITS) == m->nchunks) {
        if (m->nchunks == m->chunks_cap) {
            size_t nc = m->chunks_cap ? m->chunks_cap * 2 : 16;
            entry **ncs = sgi_realloc(m->alloc, m->chunks, nc * sizeof *ncs);
            if (!ncs)
                return SG_ENOMEM;
            m->chunks = ncs;
            m->chunks_cap = nc;
        }
        entry *c = sgi_malloc(m->alloc, CHUNK * sizeof *c);
        if (!c)
            return SG_ENOMEM;
        m->chunks[m->nchunks++] = c;
    }
    entry *e = entry_at(m, m->nentries);
    e->parent = parent;
    e->slot = slot;
    e->span = span;
    m->index[i] = ((uint64_t)(m->nentries + 1) << 32) | h;
    m->nentries++;
    m->n++;
    return SG_OK;
}

sg_status sgi_marks_put(sgi_marks *m, const void *parent, uintptr_t slot, const sgi_span *span)
{
    return put(m, parent, slot, pack(span));
}

/* The stored span of (PARENT, SLOT), or NULL. */
static const cspan *lookup(const sgi_marks *m, const void *parent, uintptr_t slot)
{
    if (!m)
        return NULL;
    if (parent) {
        const krec *r = in_arena(m, slot);
        if (r)
            return r->span.key_start != UNSET ? &r->span : NULL;
    }
    uint32_t h = hash(parent, slot);
    size_t i = find(m, parent, slot, h);
    return m->index[i] ? &entry_at(m, (size_t)(m->index[i] >> 32) - 1)->span : NULL;
}

static sg_mark mark_of(const sgi_marks *m, uint32_t offset)
{
    if (m->src)
        return sgi_source_mark_at(m->src, offset);
    sg_mark k = {0, 0, offset}; /* a table without a source (unit tests) */
    return k;
}

int sgi_marks_get(const sgi_marks *m, const void *parent, uintptr_t slot, sgi_span *out)
{
    const cspan *c = lookup(m, parent, slot);
    if (!c)
        return 0;
    out->start = mark_of(m, c->start);
    out->end = c->end == c->start ? out->start : mark_of(m, c->end);
    /* non-members: the key marks are the start */
    out->key_start = c->key_start == c->start ? out->start : mark_of(m, c->key_start);
    return 1;
}

int sgi_marks_at(const sgi_marks *m, const void *parent, uintptr_t slot, int at_key, sg_mark *out)
{
    const cspan *c = lookup(m, parent, slot);
    if (!c)
        return 0;
    *out = mark_of(m, at_key ? c->key_start : c->start);
    return 1;
}

sg_status sgi_marks_copy(sgi_marks *m, const void *from, uintptr_t from_slot, const void *to,
                         uintptr_t to_slot)
{
    const cspan *c = lookup(m, from, from_slot);
    return c ? put(m, to, to_slot, *c) : SG_OK;
}

int sgi_marks_member(const sgi_marks *m, struct json_object *obj, const char *key, sgi_span *out)
{
    if (!m || !obj || !json_object_is_type(obj, json_type_object))
        return 0;
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(obj), key);
    if (!le)
        return 0;
    return sgi_marks_get(m, obj, (uintptr_t)le->k, out);
}
