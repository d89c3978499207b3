/* Allocation through the caller's hooks (sg_options.allocator), or the C
 * library's when there are none. Objects made with options keep a copy of
 * the hooks (sgi_alloc_copy) and pass its address down to what they own, so
 * that everything is given back to the allocator that made it. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

/* Hooks with a missing function are not hooks: the C library serves. */
static int hooked(const sg_allocator *a) { return a && a->malloc && a->realloc && a->free; }

void sgi_alloc_copy(sg_allocator *dst, const sg_allocator *src)
{
    if (hooked(src))
        *dst = *src;
    else
        memset(dst, 0, sizeof *dst);
}

void *sgi_malloc(const sg_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return hooked(a) ? a->malloc(a->ud, size) : malloc(size);
}

void *sgi_calloc(const sg_allocator *a, size_t n, size_t size)
{
    if (!hooked(a))
        return calloc(n ? n : 1, size ? size : 1);
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = sgi_malloc(a, bytes);
    if (p)
        memset(p, 0, bytes > 0 ? bytes : 1);
    return p;
}

void *sgi_realloc(const sg_allocator *a, void *ptr, size_t size)
{
    if (!ptr)
        return sgi_malloc(a, size);
    if (size == 0)
        size = 1;
    return hooked(a) ? a->realloc(a->ud, ptr, size) : realloc(ptr, size);
}

void sgi_free(const sg_allocator *a, void *ptr)
{
    if (!ptr)
        return;
    if (hooked(a))
        a->free(a->ud, ptr);
    else
        free(ptr);
}

char *sgi_strdup(const sg_allocator *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = sgi_malloc(a, n);
    if (r)
        memcpy(r, s, n);
    return r;
}

int sgi_grow_a(const sg_allocator *a, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / size)
        return 0;
    void *n = sgi_realloc(a, *arr, ncap * size);
    if (!n)
        return 0;
    *arr = n;
    *cap = ncap;
    return 1;
}

int sgi_object_add_new(struct json_object *obj, const char *key, struct json_object *val)
{
    /* json_object_object_add copies the key, and json-c 0.16 leaks that copy
     * when growing the table fails (lh_table_insert_w_hash returns -1 and
     * nobody frees it). So the copy is ours until the insert succeeded, then
     * handed over: json-c frees keys not marked constant with free(). */
    char *k = strdup(key);
    if (!k)
        return -1;
    if (json_object_object_add_ex(obj, k, val,
                                  JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_ADD_CONSTANT_KEY) != 0) {
        free(k);
        return -1;
    }
    struct lh_entry *e = lh_table_lookup_entry(json_object_get_object(obj), k);
    if (e)
        e->k_is_constant = 0;
    return 0;
}
