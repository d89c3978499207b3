/* RFC 8785 (JSON Canonicalization Scheme) pieces of the normalizer: member
 * order by UTF-16 code units (3.2.3) and numbers in the ECMAScript
 * Number.prototype.toString form (3.2.2.3, ECMA-262 Number::toString).
 * Strings use the emitter's escapes (sgi_buf_json_string), which are
 * already the minimal ones RFC 8785 3.2.2.2 asks for, but for U+FEFF
 * (written \ufeff: raw, it reads as a concatenated file's byte order mark).
 *
 * Numbers of the model are read from their exact text (sg_number_text, or
 * the digits of a json-c int), never through a double first. The policy
 * (documented in swaggate(1), "normalize"):
 * - The RFC 8785 form of the IEEE double nearest to the number is written
 *   when it says the same: the number is exactly that double's shortest form
 *   (0.1, 1e21, 5e-324, 9007199254740992), or it is a fraction of at most 17
 *   significant digits in the normal range of doubles, which every JSON
 *   parser reads as that double (RFC 8785's own example:
 *   333333333.33333329 -> 333333333.3333333). When that changes the
 *   digits written, the caller warns (rule normalize-number-rounded): no
 *   digit is lost silently.
 * - Anything else would change value in RFC 8785's spelling: integers no
 *   double holds (9007199254740993, 9223372036854775807), or whose double
 *   RFC 8785 writes with other digits (2^63 = 9223372036854775808 would be
 *   9223372036854776000, past a 64-bit integer), more than 17 significant
 *   digits, past the range (1e400) or into the subnormal range. Such a
 *   number is kept exactly, laid out by the same ECMAScript rules applied
 *   to its own digits (so the bytes are still one function of the value),
 *   and the caller warns (rule normalize-number-kept).
 * - An integer written without fraction or exponent is kept in digits
 *   past 21 of them (10000000000000000000000, where RFC 8785 writes 1e+22),
 *   and warned as kept: draft-04 counts only such a spelling as an
 *   integer, and normalizing must not make a type: integer value invalid.
 * - A number whose exponent has more than 15 digits is refused (rule
 *   normalize-number): no layout of it is worth writing.
 * Printing and reading doubles goes through "%.*e" and strtod on strings
 * without a decimal point, so the C locale's radix character never
 * matters. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

/* ---- member order ------------------------------------------------------- */

/* The first UTF-16 code unit of the code point at *P (advanced), and in
 * *LOW the second one (0 for the BMP). Invalid UTF-8 (not made by our
 * readers) counts byte by byte. */
static uint32_t utf16_units(const unsigned char **p, const unsigned char *end, uint32_t *low)
{
    uint32_t cp;
    size_t n = sgi_utf8_decode(*p, (size_t)(end - *p), &cp);
    *low = 0;
    if (n == 0) {
        cp = **p;
        n = 1;
    }
    *p += n;
    if (cp < 0x10000)
        return cp;
    cp -= 0x10000;
    *low = 0xDC00 + (cp & 0x3FF);
    return 0xD800 + (cp >> 10);
}

int sgi_jcs_key_cmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    const unsigned char *pe = p + strlen(a), *qe = q + strlen(b);
    while (p < pe && q < qe) {
        if (*p < 0x80 && *q < 0x80) { /* ASCII: the unit is the byte */
            if (*p != *q)
                return *p < *q ? -1 : 1;
            p++, q++;
            continue;
        }
        uint32_t pl, ql, pu = utf16_units(&p, pe, &pl), qu = utf16_units(&q, qe, &ql);
        if (pu != qu)
            return pu < qu ? -1 : 1;
        if (pl != ql) /* a BMP unit (0) ends before a low surrogate */
            return pl < ql ? -1 : 1;
    }
    return p < pe ? 1 : q < qe ? -1 : 0;
}

/* ---- numbers ------------------------------------------------------------ */

/* A finite decimal: (-1)^neg * 0.D * 10^n, D the K digits without leading or
 * trailing zeros (K == 0: zero). */
typedef struct dec {
    int neg;
    char d[800];
    size_t k;
    int64_t n;
} dec;

/* Append the ECMAScript layout of X (Number::toString steps 5 to 10, with
 * k, n and s as the standard names them). WHOLE keeps an integer in digits
 * past 21 of them, where ECMAScript switches to an exponent. */
static void layout(sgi_buf *b, const dec *x, int whole)
{
    int64_t k = (int64_t)x->k, n = x->n;
    if (x->k == 0) {
        sgi_buf_append(b, "0", 1);
        return;
    }
    if (x->neg)
        sgi_buf_append(b, "-", 1);
    if (k <= n && (n <= 21 || whole)) {
        sgi_buf_append(b, x->d, x->k);
        for (int64_t i = k; i < n; i++)
            sgi_buf_append(b, "0", 1);
    } else if (0 < n && n <= 21) {
        sgi_buf_append(b, x->d, (size_t)n);
        sgi_buf_append(b, ".", 1);
        sgi_buf_append(b, x->d + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        sgi_buf_append(b, "0.", 2);
        for (int64_t i = n; i < 0; i++)
            sgi_buf_append(b, "0", 1);
        sgi_buf_append(b, x->d, x->k);
    } else {
        sgi_buf_append(b, x->d, 1);
        if (k > 1) {
            sgi_buf_append(b, ".", 1);
            sgi_buf_append(b, x->d + 1, x->k - 1);
        }
        sgi_buf_printf(b, "e%c%lld", n - 1 >= 0 ? '+' : '-',
                       (long long)(n - 1 >= 0 ? n - 1 : 1 - n));
    }
}

/* The double the digits of X stand for (DIGITS and exponent, no radix
 * character: locale-proof). X nonzero. */
static double dec_value(const dec *x)
{
    char buf[sizeof x->d + 32];
    memcpy(buf, x->d, x->k);
    snprintf(buf + x->k, sizeof buf - x->k, "e%lld", (long long)(x->n - (int64_t)x->k));
    return strtod(buf, NULL);
}

/* Read "%.*e" output (d[.ddd]e[+-]xx, any radix character) of a positive
 * double into X. 0 when it is not that shape. */
static int read_e(const char *s, dec *x)
{
    size_t k = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return 0;
    x->d[k++] = *p++;
    while (*p && *p != 'e' && (*p < '0' || *p > '9'))
        p++; /* the radix character, whatever the locale makes it */
    while (*p >= '0' && *p <= '9' && k < sizeof x->d)
        x->d[k++] = *p++;
    if (*p != 'e')
        return 0;
    long e = strtol(p + 1, NULL, 10);
    while (k > 1 && x->d[k - 1] == '0')
        k--;
    x->k = k;
    x->n = e + 1;
    return 1;
}

/* Add DELTA (+1 or -1) to the last of the K digits of X (K >= 1, leading
 * digit nonzero), carrying; then strip trailing zeros. 0 when it cannot
 * (the result would lose its leading digit). */
static int bump(dec *x, int delta)
{
    size_t i = x->k;
    while (i-- > 0) {
        int c = x->d[i] - '0' + delta;
        if (c >= 0 && c <= 9) {
            x->d[i] = (char)('0' + c);
            break;
        }
        x->d[i] = delta > 0 ? '0' : '9';
        if (i == 0) {
            if (delta < 0)
                return 0;
            memmove(x->d + 1, x->d, x->k);
            x->d[0] = '1';
            x->k++;
            x->n++;
        }
    }
    if (x->d[0] == '0') {
        if (x->k == 1)
            return 0;
        memmove(x->d, x->d + 1, --x->k);
        x->n--;
    }
    while (x->k > 1 && x->d[x->k - 1] == '0')
        x->k--;
    return 1;
}

/* The shortest digits that read back as D (finite, not zero), into X; of
 * two candidates of that length, the nearer (ECMA-262 Number::toString
 * step 5). Each length is tried with its correctly rounded digits and, for
 * the asymmetric gaps at powers of two, their neighbours. */
static void shortest(double d, dec *x)
{
    char buf[64];
    x->neg = d < 0;
    d = fabs(d);
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (!read_e(buf, x))
            break;
        if (dec_value(x) == d)
            return;
        if (prec == 17)
            break;
        dec up = *x, down = *x;
        int uok = bump(&up, 1) && up.k <= (size_t)prec && dec_value(&up) == d;
        int dok = bump(&down, -1) && down.k <= (size_t)prec && dec_value(&down) == d;
        if (uok || dok) {
            *x = uok ? up : down;
            return;
        }
    }
    /* 17 digits always read back; reached only if printf misbehaves. */
    snprintf(buf, sizeof buf, "%.16e", d);
    read_e(buf, x);
}

int sgi_jcs_double(sgi_buf *b, double d)
{
    if (isnan(d) || isinf(d))
        return 0;
    dec x;
    if (d == 0) { /* 0 and -0 */
        sgi_buf_append(b, "0", 1);
        return 1;
    }
    shortest(d, &x);
    layout(b, &x, 0);
    return 1;
}

/* Read the JSON number TEXT into X. 1, or 0 when its exponent has more than
 * 15 digits (refused), or -1 when TEXT is no JSON number or has more digits
 * than X holds (kept as written). */
static int parse_number(const char *s, dec *x)
{
    size_t i = 0, k = 0;
    int64_t point = 0, e = 0;
    int seen_point = 0, esign = 1, too_long = 0;
    memset(x, 0, offsetof(dec, d));
    x->k = 0;
    if (s[i] == '-')
        x->neg = 1, i++;
    if (s[i] < '0' || s[i] > '9')
        return -1;
    for (; (s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !seen_point); i++) {
        if (s[i] == '.') {
            seen_point = 1;
            continue;
        }
        if (k == 0 && s[i] == '0') { /* a leading zero: the point moves */
            if (seen_point)
                point--;
            continue;
        }
        if (k == sizeof x->d)
            return -1;
        x->d[k++] = s[i];
        if (!seen_point)
            point++;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-')
            esign = s[i++] == '-' ? -1 : 1;
        while (s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
            i++;
        size_t start = i;
        for (; s[i] >= '0' && s[i] <= '9'; i++) {
            if (i - start >= 15)
                too_long = 1;
            else
                e = e * 10 + (s[i] - '0');
        }
        if (i == start)
            return -1;
    }
    if (s[i] != '\0')
        return -1;
    while (k > 0 && x->d[k - 1] == '0')
        k--;
    if (too_long && k > 0)
        return 0;
    x->k = k;
    x->n = point + esign * e;
    if (k == 0)
        x->neg = 0, x->n = 0;
    return 1;
}

int sgi_jcs_number(sgi_buf *b, struct json_object *v, sgi_buf *as_double)
{
    char tmp[32];
    const char *text = sg_number_text(v);
    if (json_object_is_type(v, json_type_int)) {
        int64_t i = json_object_get_int64(v);
        if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
            snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)json_object_get_uint64(v));
        else
            snprintf(tmp, sizeof tmp, "%lld", (long long)i);
        text = tmp;
    } else if (!text) { /* a double made outside the builder */
        return sgi_jcs_double(b, json_object_get_double(v)) ? SGI_JCS_DOUBLE : SGI_JCS_REFUSED;
    }
    dec x;
    int r = parse_number(text, &x);
    if (r == 0)
        return SGI_JCS_REFUSED;
    if (r < 0) { /* not JSON syntax, or over 800 digits: as written */
        sgi_buf_puts(b, text);
        return SGI_JCS_EXACT;
    }
    if (x.k == 0) {
        sgi_buf_append(b, "0", 1);
        return SGI_JCS_DOUBLE;
    }
    /* An integer written without fraction or exponent stays so: draft-04
     * counts only such a number as an integer, and 1e+22 for
     * 10000000000000000000000 would make a type: integer default invalid.
     * Past 21 digits that is not RFC 8785's spelling: kept, and warned. */
    int whole = strpbrk(text, ".eE") == NULL && x.n > 21;
    double d = dec_value(&x);
    if (as_double && isinf(d))
        sgi_buf_puts(as_double, x.neg ? "-Infinity" : "Infinity");
    else if (as_double)
        sgi_jcs_double(as_double, x.neg ? -d : d);
    if (!isinf(d) && d != 0) {
        dec s;
        shortest(d, &s);
        int same = s.k == x.k && s.n == x.n && memcmp(s.d, x.d, x.k) == 0;
        /* A fraction of at most 17 digits, a normal double: read as one. */
        if (!whole && (same || (x.n < (int64_t)x.k && x.k <= DBL_DECIMAL_DIG && d >= DBL_MIN))) {
            s.neg = x.neg;
            layout(b, &s, 0);
            return same ? SGI_JCS_DOUBLE : SGI_JCS_ROUNDED;
        }
    }
    layout(b, &x, whole);
    return SGI_JCS_EXACT;
}
