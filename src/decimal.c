/* Exact numbers: comparison, multipleOf, integer test, deep equality and a
 * hash consistent with it, over the model's numbers (json-c int64/uint64, or
 * doubles that keep their JSON text). Nothing goes through a double: a
 * number is read as sign, digits and a base-10 exponent, straight from its
 * text, without allocating (the digits point into the text). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

enum { NUM_FINITE, NUM_POS_INF, NUM_NEG_INF, NUM_NAN };

/* value = (-1)^neg * D * 10^E, where D is the digit string a[0..na) b[0..nb)
 * without leading or trailing zeros (empty for zero) and E = +-T + adj, T
 * being the exponent's digits as written (leading zeros dropped; it may be
 * longer than any machine integer). */
typedef struct num {
    int kind;
    int neg;
    const char *a, *b;
    size_t na, nb;
    const char *t; /* exponent digits */
    size_t nt;
    int tneg;
    int64_t adj;
    char buf[64]; /* text of an int, or of a double without text */
} num;

/* Saturation bound of exponent differences: far beyond any digit count a
 * number can have, far below overflow. */
#define EXP_SAT ((int64_t)1 << 61)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t ndigits(const num *x)
{
    return x->na + x->nb;
}

static char digit_at(const num *x, size_t i)
{
    return i < x->na ? x->a[i] : x->b[i - x->na];
}

/* Read TEXT as -?digits[.digits][(e|E)[+-]digits] (',' accepted as the point:
 * printf's in a foreign locale). 0 when it is not a number. */
static int parse_text(num *x, const char *s)
{
    size_t i = 0;
    memset(x, 0, offsetof(num, buf));
    x->kind = NUM_FINITE;
    if (s[i] == '-' || s[i] == '+')
        x->neg = s[i++] == '-';
    if (s[i] == 'i' || s[i] == 'I' || s[i] == 'n' || s[i] == 'N') { /* inf, nan */
        x->kind = (s[i] == 'n' || s[i] == 'N') ? NUM_NAN : x->neg ? NUM_NEG_INF : NUM_POS_INF;
        return 1;
    }
    size_t s1 = i;
    while (is_digit(s[i]))
        i++;
    size_t e1 = i, s2 = i, e2 = i;
    if (s[i] == '.' || s[i] == ',') {
        s2 = ++i;
        while (is_digit(s[i]))
            i++;
        e2 = i;
    }
    if (e1 == s1 && e2 == s2)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '-' || s[i] == '+')
            x->tneg = s[i++] == '-';
        size_t es = i;
        while (is_digit(s[i]))
            i++;
        if (i == es)
            return 0;
        while (s[es] == '0' && es + 1 < i)
            es++;
        x->t = s + es;
        x->nt = i - es;
        if (x->nt == 1 && x->t[0] == '0')
            x->nt = 0;
    }
    if (s[i] != '\0')
        return 0;
    x->a = s + s1;
    x->na = e1 - s1;
    x->b = s + s2;
    x->nb = e2 - s2;
    x->adj = -(int64_t)x->nb;
    while (x->na && x->a[0] == '0')
        x->a++, x->na--;
    if (!x->na)
        while (x->nb && x->b[0] == '0')
            x->b++, x->nb--;
    while (x->nb && x->b[x->nb - 1] == '0')
        x->nb--, x->adj++;
    if (!x->nb)
        while (x->na && x->a[x->na - 1] == '0')
            x->na--, x->adj++;
    if (!ndigits(x))
        x->neg = 0; /* -0 == 0 */
    return 1;
}

/* Read number V into X. 0 when V is not a number. */
static int read_num(num *x, struct json_object *v)
{
    if (json_object_is_type(v, json_type_int)) {
        int64_t i = json_object_get_int64(v);
        if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
            snprintf(x->buf, sizeof x->buf, "%llu", (unsigned long long)json_object_get_uint64(v));
        else
            snprintf(x->buf, sizeof x->buf, "%lld", (long long)i);
        return parse_text(x, x->buf);
    }
    if (!json_object_is_type(v, json_type_double))
        return 0;
    const char *t = sg_number_text(v);
    if (t && parse_text(x, t))
        return 1;
    /* A double made outside the builder: its shortest round-trip spelling,
     * as the emitter prints it. */
    double d = json_object_get_double(v);
    char tmp[40];
    int prec;
    for (prec = 1; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    /* Any locale's decimal point (even a multibyte one) becomes '.'. */
    size_t o = 0;
    for (size_t i = 0; tmp[i] && o + 1 < sizeof x->buf; i++) {
        char c = tmp[i];
        if (is_digit(c) || c == '-' || c == '+' || c == 'e' || c == 'E' || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z'))
            x->buf[o++] = c;
        else if (o == 0 || x->buf[o - 1] != '.')
            x->buf[o++] = '.';
    }
    x->buf[o] = '\0';
    if (parse_text(x, x->buf))
        return 1;
    x->kind = NUM_NAN;
    return 1;
}

/* (Ex + xo) - (Ey + yo), saturated at +-EXP_SAT. Exact below that. */
static int64_t exp_sub(const num *x, int64_t xo, const num *y, int64_t yo)
{
    int64_t d = 0;
    if (x->tneg == y->tneg || !x->nt || !y->nt) {
        /* Same sign (a zero T takes the other's): |Tx| - |Ty| digit by digit
         * from the top. Once the running difference is 1 or more in size it
         * only grows, keeping its sign, so it can be cut at the bound. */
        int sx = x->tneg ? -1 : 1, sy = y->tneg ? -1 : 1;
        if (!x->nt)
            sx = sy;
        if (!y->nt)
            sy = sx;
        size_t n = x->nt > y->nt ? x->nt : y->nt;
        for (size_t k = 0; k < n; k++) {
            int dx = k + x->nt >= n ? x->t[k + x->nt - n] - '0' : 0;
            int dy = k + y->nt >= n ? y->t[k + y->nt - n] - '0' : 0;
            d = d * 10 + (dx - dy);
            if (d > EXP_SAT / 16 || d < -EXP_SAT / 16) {
                d = d > 0 ? EXP_SAT : -EXP_SAT;
                break;
            }
        }
        d *= sx;
    } else {
        /* Opposite signs: |Tx| + |Ty|, a sum that only grows. */
        for (size_t k = 0; k < x->nt && d < EXP_SAT / 16; k++)
            d = d * 10 + (x->t[k] - '0');
        int64_t e = 0;
        for (size_t k = 0; k < y->nt && e < EXP_SAT / 16; k++)
            e = e * 10 + (y->t[k] - '0');
        d = d + e;
        if (d > EXP_SAT / 16)
            d = EXP_SAT;
        if (x->tneg)
            d = -d;
    }
    if (d >= EXP_SAT || d <= -EXP_SAT)
        return d;
    /* adjustments are bounded by the text length: no overflow here */
    d += (x->adj + xo) - (y->adj + yo);
    if (d > EXP_SAT)
        d = EXP_SAT;
    if (d < -EXP_SAT)
        d = -EXP_SAT;
    return d;
}

/* E itself: exact while |T| <= 2^57, else +-EXP_SAT. */
static int64_t exp_of(const num *x)
{
    num zero;
    memset(&zero, 0, offsetof(num, buf));
    return exp_sub(x, 0, &zero, 0);
}

static int sign_of(const num *x)
{
    return ndigits(x) == 0 ? 0 : x->neg ? -1 : 1;
}

static int rank(const num *x)
{
    switch (x->kind) {
    case NUM_NEG_INF:
        return -1;
    case NUM_POS_INF:
        return 1;
    case NUM_NAN:
        return 2; /* an arbitrary place, for a total order */
    default:
        return 0;
    }
}

static int cmp_num(const num *x, const num *y)
{
    int rx = rank(x), ry = rank(y);
    if (rx || ry)
        return rx < ry ? -1 : rx > ry;
    int sx = sign_of(x), sy = sign_of(y);
    if (sx != sy || sx == 0)
        return sx < sy ? -1 : sx > sy;
    /* same sign, both nonzero: compare 0.D * 10^(E + len D), then digits */
    int mag;
    int64_t e = exp_sub(x, (int64_t)ndigits(x), y, (int64_t)ndigits(y));
    if (e)
        mag = e > 0 ? 1 : -1;
    else {
        size_t nx = ndigits(x), ny = ndigits(y), n = nx < ny ? nx : ny, i;
        mag = 0;
        for (i = 0; i < n && !mag; i++) {
            char cx = digit_at(x, i), cy = digit_at(y, i);
            if (cx != cy)
                mag = cx < cy ? -1 : 1;
        }
        if (!mag)
            mag = nx < ny ? -1 : nx > ny;
    }
    return sx < 0 ? -mag : mag;
}

int sgi_number_cmp(struct json_object *a, struct json_object *b)
{
    num x, y;
    if (!read_num(&x, a) || !read_num(&y, b))
        return 0;
    return cmp_num(&x, &y);
}

int sgi_number_cmp_text(struct json_object *a, const char *text)
{
    num x, y;
    if (!read_num(&x, a) || !parse_text(&y, text))
        return 0;
    return cmp_num(&x, &y);
}

/* Work budget of one multipleOf in digit steps (dividend digits times
 * divisor digits): about a tenth of a second at worst. */
#define MULTIPLE_BUDGET 20000000u

int sgi_number_multiple_of_a(const sg_allocator *a, struct json_object *xv, struct json_object *mv)
{
    num x, m;
    if (!read_num(&x, xv) || !read_num(&m, mv) || x.kind || m.kind || !ndigits(&m))
        return -1;
    if (!ndigits(&x))
        return 1;
    /* x / m = Dx * 10^d / Dm with d = Ex - Em. Dx ends in a nonzero digit,
     * so for d < 0 no Dm * 10^-d divides it. */
    int64_t d = exp_sub(&x, 0, &m, 0);
    if (d < 0)
        return 0;
    /* Dm = 2^p 5^q r: Dm | Dx 10^d holds for every d >= max(p, q) or for
     * none, and max(p, q) < 4 * digits of Dm; so a bounded d says the same. */
    size_t nm = ndigits(&m), nx = ndigits(&x);
    if (nm > SIZE_MAX / 8)
        return -1;
    uint64_t k = (uint64_t)d;
    if (k > 4 * (uint64_t)nm + 4)
        k = 4 * (uint64_t)nm + 4;
    uint64_t steps = (uint64_t)nx + k;
    if (nm > 18 && steps > MULTIPLE_BUDGET / nm)
        return -1;
    if (nm <= 18) {
        uint64_t div = 0, r = 0;
        for (size_t i = 0; i < nm; i++)
            div = div * 10 + (uint64_t)(digit_at(&m, i) - '0');
        for (uint64_t i = 0; i < steps; i++) /* r < div < 10^18: r*10+9 fits */
            r = (r * 10 + (uint64_t)(i < nx ? digit_at(&x, (size_t)i) - '0' : 0)) % div;
        return r == 0;
    }
    /* Long divisor: remainder R (nm + 1 digit values, most significant
     * first) by Horner's rule, subtracting Dm while R >= Dm (at most 9). */
    unsigned char *r = sgi_calloc(a, nm + 1, 1);
    if (!r)
        return -1;
    for (uint64_t i = 0; i < steps; i++) {
        memmove(r, r + 1, nm);
        r[nm] = (unsigned char)(i < nx ? digit_at(&x, (size_t)i) - '0' : 0);
        for (;;) {
            int c = r[0] ? 1 : 0;
            for (size_t j = 0; j < nm && !c; j++) {
                int dm = digit_at(&m, j) - '0';
                if (r[j + 1] != dm)
                    c = r[j + 1] > dm ? 1 : -1;
            }
            if (c < 0)
                break;
            int borrow = 0;
            for (size_t j = nm; j-- > 0;) {
                int v = r[j + 1] - (digit_at(&m, j) - '0') - borrow;
                borrow = v < 0;
                r[j + 1] = (unsigned char)(v + (borrow ? 10 : 0));
            }
            r[0] = (unsigned char)(r[0] - borrow);
        }
    }
    int zero = 1;
    for (size_t j = 0; j <= nm && zero; j++)
        zero = r[j] == 0;
    sgi_free(a, r);
    return zero;
}

int sgi_number_is_integer(struct json_object *v)
{
    if (json_object_is_type(v, json_type_int))
        return 1;
    if (!json_object_is_type(v, json_type_double))
        return 0;
    const char *t = sg_number_text(v);
    if (t)
        return strpbrk(t, ".eE") == NULL;
    /* No text: integral by value (D * 10^E with E >= 0, or zero). */
    num x;
    if (!read_num(&x, v) || x.kind)
        return 0;
    return !ndigits(&x) || exp_of(&x) >= 0;
}

/* ---- deep equality and hashing ---------------------------------------- */

static int is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* json-c's null is NULL; a json_type_null object would be the same value. */
static json_type type_of(struct json_object *v)
{
    return v ? json_object_get_type(v) : json_type_null;
}

int sgi_json_equal(struct json_object *a, struct json_object *b)
{
    if (a == b)
        return 1;
    if (is_number(a) && is_number(b))
        return sgi_number_cmp(a, b) == 0;
    json_type t = type_of(a);
    if (t != type_of(b))
        return 0;
    switch (t) {
    case json_type_null:
        return 1;
    case json_type_boolean:
        return !json_object_get_boolean(a) == !json_object_get_boolean(b);
    case json_type_string: {
        int n = json_object_get_string_len(a);
        return n == json_object_get_string_len(b) &&
               memcmp(json_object_get_string(a), json_object_get_string(b), (size_t)n) == 0;
    }
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!sgi_json_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return 0;
        return 1;
    }
    case json_type_object: {
        if (json_object_object_length(a) != json_object_object_length(b))
            return 0;
        /* same count and every key of A in B: the same key set */
        json_object_object_foreach(a, key, va)
        {
            struct json_object *vb;
            if (!json_object_object_get_ex(b, key, &vb) || !sgi_json_equal(va, vb))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

/* splitmix64's finaliser: a cheap, well-mixing step. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    h ^= h >> 31;
    return h;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

#define FNV_BASIS 0xcbf29ce484222325u

/* From the normalised form only (sign, digits, E + len D), so 1, 1.0,
 * 10e-1 and 0.1e1 hash alike. E is hashed exactly when |E| < 2^56 and as
 * its sign past that: exp_of is exact there, and when it saturates (|T| >
 * 2^57) the true |E| is past 2^56 too, so equal numbers agree. */
static uint64_t hash_num(struct json_object *v)
{
    num x;
    if (!read_num(&x, v))
        return 0;
    if (x.kind)
        return mix(0x1000u + (uint64_t)x.kind);
    size_t n = ndigits(&x);
    if (!n)
        return mix(0x2000u);
    uint64_t h = fnv(FNV_BASIS, x.a, x.na);
    h = fnv(h, x.b, x.nb);
    h ^= (uint64_t)x.neg << 1;
    int64_t es = exp_of(&x);
    int huge = es >= ((int64_t)1 << 56) || es <= -((int64_t)1 << 56);
    if (!huge)
        es += (int64_t)n;
    if (huge)
        h ^= mix(es < 0 ? 0x3001u : 0x3002u);
    else
        h ^= mix((uint64_t)es);
    return mix(h);
}

uint64_t sgi_json_hash(struct json_object *v)
{
    if (is_number(v))
        return hash_num(v);
    switch (type_of(v)) {
    case json_type_null:
        return mix(0x11);
    case json_type_boolean:
        return mix(json_object_get_boolean(v) ? 0x12 : 0x13);
    case json_type_string:
        return mix(fnv(FNV_BASIS ^ 0x14, json_object_get_string(v),
                       (size_t)json_object_get_string_len(v)));
    case json_type_array: {
        uint64_t h = 0x15;
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            h = mix(h * 31 + sgi_json_hash(json_object_array_get_idx(v, i)));
        return mix(h ^ n);
    }
    case json_type_object: {
        /* a sum of per-member hashes: independent of member order */
        uint64_t h = 0x16;
        json_object_object_foreach(v, key, val)
        {
            uint64_t kh = fnv(FNV_BASIS, key, strlen(key));
            h += mix(kh ^ mix(sgi_json_hash(val) + 0x9e3779b97f4a7c15u));
        }
        return mix(h);
    }
    default:
        return 0;
    }
}

static int by_hash(const void *a, const void *b)
{
    const sgi_hidx *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

sgi_hidx *sgi_json_hash_sorted_a(const sg_allocator *a, struct json_object *arr)
{
    size_t n = json_object_array_length(arr);
    sgi_hidx *hs = sgi_malloc(a, (n ? n : 1) * sizeof *hs);
    if (!hs)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        hs[k].h = sgi_json_hash(json_object_array_get_idx(arr, k));
        hs[k].i = k;
    }
    qsort(hs, n, sizeof *hs, by_hash);
    return hs;
}

int sgi_number_multiple_of(struct json_object *x, struct json_object *m)
{
    return sgi_number_multiple_of_a(NULL, x, m);
}

sgi_hidx *sgi_json_hash_sorted(struct json_object *arr) { return sgi_json_hash_sorted_a(NULL, arr); }
