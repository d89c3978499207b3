/* The swagger checker, part four: does a default or example value fit the
 * object it stands in (Swagger 2.0: "default ... MUST conform to the
 * defined type"; the keywords are JSON Schema draft-04's validation
 * keywords as the Parameter, Items, Header and Schema Objects take them).
 * Only the object's own keywords count, plus each element of an array
 * against its items: properties of an object default are not checked. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_swagger.h"

#define MAX_NESTING 4200

static const char *kind(struct json_object *v)
{
    switch (v ? json_object_get_type(v) : json_type_null) {
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_array:
        return "an array";
    case json_type_object:
        return "an object";
    default:
        return "null";
    }
}

static int is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* 1 fits, 0 does not, -1 an unknown type name (not ours to judge). */
static int type_fits(const char *type, struct json_object *v)
{
    if (strcmp(type, "string") == 0)
        return json_object_is_type(v, json_type_string);
    if (strcmp(type, "number") == 0)
        return is_number(v);
    if (strcmp(type, "integer") == 0)
        return json_object_is_type(v, json_type_int) ||
               (json_object_is_type(v, json_type_double) && sgi_number_is_integer(v));
    if (strcmp(type, "boolean") == 0)
        return json_object_is_type(v, json_type_boolean);
    if (strcmp(type, "array") == 0)
        return json_object_is_type(v, json_type_array);
    if (strcmp(type, "object") == 0)
        return json_object_is_type(v, json_type_object);
    if (strcmp(type, "null") == 0)
        return v == NULL;
    return -1;
}

/* RFC 3339 full-date (Swagger's format: date). */
static int valid_date(const char *s, size_t len)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

static size_t code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int sgi_sw_whole_number(struct json_object *v, int64_t *out)
{
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return 1;
    }
    if (!json_object_is_type(v, json_type_double))
        return 0;
    double d = json_object_get_double(v);
    if (d != d)
        return 0; /* NaN: the readers make none, but a cast of one is undefined */
    /* 2^63 and past (or below -2^63): whole, and clamped, as json-c clamps
     * an integer literal too large for int64 */
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
        *out = d > 0 ? INT64_MAX : INT64_MIN;
        return 1;
    }
    int64_t n = (int64_t)d;
    if ((double)n != d)
        return 0;
    *out = n;
    return 1;
}

/* A non-negative integer keyword, or -1. */
static int64_t count_kw(struct json_object *schema, const char *key)
{
    struct json_object *v;
    int64_t n;
    if (!json_object_object_get_ex(schema, key, &v) || !sgi_sw_whole_number(v, &n))
        return -1;
    return n < 0 ? -1 : n;
}

static int fail(char *why, size_t cap, const char *fmt, ...) SGI_PRINTF(3, 4);
static int fail(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return 0;
}

static int fits_string(sgi_sw *c, struct json_object *schema, struct json_object *v, char *why,
                       size_t cap)
{
    const char *s = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    char q[SW_QUOTE];
    int64_t min = count_kw(schema, "minLength"), max = count_kw(schema, "maxLength");
    size_t n = (min >= 0 || max >= 0) ? code_points(s, len) : 0;
    if (min >= 0 && n < (uint64_t)min)
        return fail(why, cap, "it is %zu characters long, shorter than minLength %lld", n,
                    (long long)min);
    if (max >= 0 && n > (uint64_t)max)
        return fail(why, cap, "it is %zu characters long, longer than maxLength %lld", n,
                    (long long)max);
    const char *format = sgi_sw_str(schema, "format");
    if (format) {
        int ok =
            strcmp(format, "date") == 0 ? valid_date(s, len) : sgi_format_check(format, s, len);
        if (ok == 0)
            return fail(why, cap, "it is not a valid %s", format);
    }
    struct json_object *pat;
    if (json_object_object_get_ex(schema, "pattern", &pat) &&
        json_object_is_type(pat, json_type_string)) {
        if (!c->re && !(c->re = sgi_regex_cache_new_a(&c->doc->limits, SW_ALLOC(c)))) {
            c->st = SG_ENOMEM;
            return -1;
        }
        char err[256];
        size_t off = 0;
        const sgi_regex *re =
            sgi_regex_get(c->re, json_object_get_string(pat),
                          (size_t)json_object_get_string_len(pat), err, sizeof err, &off);
        if (!re && err[0] == '\0') {
            c->st = SG_ENOMEM;
            return -1;
        }
        /* A bad pattern is the schema checker's finding, not the value's. */
        int m = re ? sgi_regex_match(c->re, re, s, len) : 1;
        if (m == -3) {
            c->st = SG_ENOMEM;
            return -1;
        }
        if (m <= 0)
            sgi_sw_quote(c, q, sizeof q, json_object_get_string(pat),
                         (size_t)json_object_get_string_len(pat));
        if (m == 0)
            return fail(why, cap, "it does not match pattern \"%s\"", q);
        if (m < 0) { /* never a silent "fits" (HOSTILE.md item 64) */
            fail(why, cap,
                 m == -1 ? "matching pattern \"%s\" against it ran over the regex limits "
                           "(simplify the pattern, or raise --limit regex-match=N, regex-depth=N "
                           "or regex-heap=N)"
                         : "pattern \"%s\" could not be matched against it",
                 q);
            return 2;
        }
    }
    return 1;
}

static int fits_number(sgi_sw *c, struct json_object *schema, struct json_object *v, char *why,
                       size_t cap)
{
    struct json_object *b, *ex;
    char q[64];
    if (json_object_object_get_ex(schema, "minimum", &b) && is_number(b)) {
        int excl = json_object_object_get_ex(schema, "exclusiveMinimum", &ex) &&
                   json_object_is_type(ex, json_type_boolean) && json_object_get_boolean(ex);
        int cmp = sgi_number_cmp(v, b);
        if (cmp < 0 || (excl && cmp == 0)) {
            snprintf(q, sizeof q, "%s", json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN));
            return fail(why, cap, "it is %s %s",
                        excl ? "not above exclusive minimum" : "below minimum", q);
        }
    }
    if (json_object_object_get_ex(schema, "maximum", &b) && is_number(b)) {
        int excl = json_object_object_get_ex(schema, "exclusiveMaximum", &ex) &&
                   json_object_is_type(ex, json_type_boolean) && json_object_get_boolean(ex);
        int cmp = sgi_number_cmp(v, b);
        if (cmp > 0 || (excl && cmp == 0)) {
            snprintf(q, sizeof q, "%s", json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN));
            return fail(why, cap, "it is %s %s",
                        excl ? "not below exclusive maximum" : "above maximum", q);
        }
    }
    if (json_object_object_get_ex(schema, "multipleOf", &b) && is_number(b) &&
        sgi_number_multiple_of_a(SW_ALLOC(c), v, b) == 0) {
        snprintf(q, sizeof q, "%s", json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN));
        return fail(why, cap, "it is not a multiple of %s", q);
    }
    /* Compared exactly: past 64 bits (18446744073709551616, 3e9) a number
     * is a double with its text, and a double would round the int64
     * bounds; 9223372036854775808 is a json-c uint64. */
    static const char *const RANGES[][3] = {{"int32", "-2147483648", "2147483647"},
                                            {"int64", "-9223372036854775808", "9223372036854775807"}};
    const char *format = sgi_sw_str(schema, "format");
    for (size_t i = 0; format && i < sizeof RANGES / sizeof RANGES[0]; i++)
        if (strcmp(format, RANGES[i][0]) == 0 && (sgi_number_cmp_text(v, RANGES[i][1]) < 0 ||
                                                  sgi_number_cmp_text(v, RANGES[i][2]) > 0))
            return fail(why, cap, "it does not fit format %s (%s to %s)", RANGES[i][0],
                        RANGES[i][1], RANGES[i][2]);
    return 1;
}

/* Is V one of the values of ENUM? Long enums go through a map of value
 * hashes, kept for the last enum seen: an array default checks each of its
 * elements against the same items enum, which stays linear that way. */
static int in_enum(sgi_sw *c, struct json_object *e, struct json_object *v)
{
    size_t n = json_object_array_length(e);
    if (n <= 16) {
        for (size_t i = 0; i < n; i++)
            if (sgi_json_equal(v, json_object_array_get_idx(e, i)))
                return 1;
        return 0;
    }
    if (c->enum_cached != e) {
        sgi_sw_map_clear(&c->enum_hashes);
        c->enum_cached = NULL;
        for (size_t i = 0; i < n; i++) {
            uint64_t h = sgi_json_hash(json_object_array_get_idx(e, i));
            if (sgi_sw_map_put(&c->enum_hashes, &h, sizeof h, (void *)(uintptr_t)(i + 1), NULL) <
                0) {
                c->st = SG_ENOMEM;
                return -1;
            }
        }
        c->enum_cached = e;
    }
    uint64_t h = sgi_json_hash(v);
    uintptr_t first = (uintptr_t)sgi_sw_map_get(&c->enum_hashes, &h, sizeof h);
    if (!first)
        return 0; /* equal values hash alike */
    if (sgi_json_equal(v, json_object_array_get_idx(e, first - 1)))
        return 1;
    for (size_t i = first; i < n; i++) /* a hash shared by unequal values */
        if (sgi_json_equal(v, json_object_array_get_idx(e, i)))
            return 1;
    return 0;
}

static int fits(sgi_sw *c, struct json_object *schema, struct json_object *v, char *why, size_t cap,
                unsigned depth)
{
    struct json_object *t = NULL, *e;
    if (depth > MAX_NESTING)
        return 1;
    json_object_object_get_ex(schema, "type", &t);
    if (!v) {
        /* Swagger 2.0 has no null; x-nullable (a common extension) allows it. */
        if ((json_object_object_get_ex(schema, "x-nullable", &e) ||
             json_object_object_get_ex(schema, "x-isnullable", &e)) &&
            json_object_is_type(e, json_type_boolean) && json_object_get_boolean(e))
            return 1;
        if (json_object_is_type(t, json_type_string) &&
            type_fits(json_object_get_string(t), NULL) == 0)
            return fail(why, cap, "it is null, not %s %s",
                        strchr("aeiou", json_object_get_string(t)[0]) ? "an" : "a",
                        json_object_get_string(t));
    } else if (json_object_is_type(t, json_type_string)) {
        const char *type = json_object_get_string(t);
        if (strcmp(type, "file") == 0)
            return 1;
        if (type_fits(type, v) == 0) {
            if (strcmp(type, "integer") == 0 && is_number(v))
                return fail(why, cap, "it is a number with a fraction or exponent, not an integer");
            return fail(why, cap, "it is %s, not %s %s", kind(v),
                        strchr("aeiou", type[0]) ? "an" : "a", type);
        }
    } else if (json_object_is_type(t, json_type_array)) {
        int any = 0; /* an unknown type name counts as a fit: not ours to judge */
        for (size_t i = 0; i < json_object_array_length(t) && !any; i++) {
            struct json_object *ti = json_object_array_get_idx(t, i);
            any = !json_object_is_type(ti, json_type_string) ||
                  type_fits(json_object_get_string(ti), v) != 0;
        }
        if (!any && json_object_array_length(t) > 0)
            return fail(why, cap, "it is %s, which none of its types allows", kind(v));
    }
    if (json_object_object_get_ex(schema, "enum", &e) && json_object_is_type(e, json_type_array) &&
        json_object_array_length(e) > 0) {
        int in = in_enum(c, e, v);
        if (in < 0)
            return -1;
        if (!in) {
            char q[SW_QUOTE];
            sgi_sw_quote_value(c, q, sizeof q, e);
            return fail(why, cap, "it is not one of enum %s", q);
        }
    }
    if (json_object_is_type(v, json_type_string))
        return fits_string(c, schema, v, why, cap);
    if (is_number(v))
        return fits_number(c, schema, v, why, cap);
    if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        int64_t min = count_kw(schema, "minItems"), max = count_kw(schema, "maxItems");
        if (min >= 0 && n < (uint64_t)min)
            return fail(why, cap, "it has %zu elements, fewer than minItems %lld", n,
                        (long long)min);
        if (max >= 0 && n > (uint64_t)max)
            return fail(why, cap, "it has %zu elements, more than maxItems %lld", n,
                        (long long)max);
        struct json_object *items;
        if (json_object_object_get_ex(schema, "items", &items) &&
            json_object_is_type(items, json_type_object) &&
            !json_object_object_get_ex(items, "$ref", NULL)) {
            int unknown = 0; /* an unchecked element: a later misfit still wins */
            for (size_t i = 0; i < n; i++) {
                char inner[SW_QUOTE];
                int r =
                    fits(c, items, json_object_array_get_idx(v, i), inner, sizeof inner, depth + 1);
                if (r == 2 && !unknown)
                    fail(why, cap, "element %zu: %s", i, inner);
                unknown |= r == 2;
                if (r == 0)
                    fail(why, cap, "element %zu: %s", i, inner);
                if (r <= 0)
                    return r;
            }
            if (unknown)
                return 2;
        }
    }
    return 1;
}

int sgi_sw_value_fits(sgi_sw *c, struct json_object *schema, struct json_object *value, char *why,
                      size_t cap)
{
    why[0] = '\0';
    if (json_object_object_get_ex(schema, "$ref", NULL))
        return 1; /* siblings of a $ref are ignored (the resolver warns) */
    return fits(c, schema, value, why, cap, 0);
}
