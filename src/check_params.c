/* The swagger checker, part three: one parameter, items, header or schema
 * object on its own (Swagger 2.0: "Parameter Object", "Items Object",
 * "Header Object", "Schema Object"). Each object is checked once, however
 * many $refs or YAML aliases lead to it. */
#include <string.h>

#include "check_swagger.h"

/* Bounds recursion through nested items and schemas; the builder already
 * bounds the document's depth, this only guards against a changed limit. */
#define MAX_NESTING 4200

static int is_true(struct json_object *v)
{
    return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* Default (and example) against the object's own keywords. */
static void check_value(sgi_sw *c, const sgi_sw_loc *obj, const char *key, sgi_sw_rule rule)
{
    sgi_sw_loc v;
    char why[SW_QUOTE * 2], q[SW_QUOTE];
    if (!sgi_sw_member(&v, obj, key))
        return;
    int r = sgi_sw_value_fits(c, obj->v, v.v, why, sizeof why);
    if (r != 0 && r != 2)
        return;
    sgi_sw_quote_value(c, q, sizeof q, v.v);
    if (r == 2)
        sgi_sw_report(c, rule, &v, 0, NULL, NULL,
                      "%s %s could not be checked against its own schema: %s", key, q, why);
    else
        sgi_sw_report(c, rule, &v, 0, NULL, NULL,
                      "%s %s does not fit its own schema: %s; change the %s or the schema", key,
                      q, why, key);
}

/* The object's pattern: one that does not compile, or that uses PCRE2
 * syntax ECMA-262 lacks (HOSTILE.md items 62 and 63). */
static void check_pattern(sgi_sw *c, const sgi_sw_loc *obj)
{
    sgi_sw_loc l;
    if (!sgi_sw_member(&l, obj, "pattern") || !json_object_is_type(l.v, json_type_string))
        return;
    if (!c->re && !(c->re = sgi_regex_cache_new_a(&c->doc->limits, SW_ALLOC(c)))) {
        c->st = SG_ENOMEM;
        return;
    }
    const char *text = json_object_get_string(l.v);
    size_t len = (size_t)json_object_get_string_len(l.v), off = 0;
    char err[256], q[SW_QUOTE];
    err[0] = '\0';
    sgi_sw_quote(c, q, sizeof q, text, len);
    if (len > c->doc->limits.max_pattern_bytes) { /* valid or not: never compiled */
        sgi_sw_report(c, SW_PATTERN_UNCHECKED, &l, 0, NULL, NULL,
                      "pattern \"%s\" is %zu bytes, over the limit of %llu, so it is not compiled "
                      "and values cannot be checked against it; raise --limit pattern-length=N",
                      q, len, (unsigned long long)c->doc->limits.max_pattern_bytes);
        return;
    }
    const sgi_regex *re = sgi_regex_get(c->re, text, len, err, sizeof err, &off);
    if (!re && err[0] == '\0') {
        c->st = SG_ENOMEM;
        return;
    }
    if (!re)
        sgi_sw_report(c, SW_PATTERN_INVALID, &l, 0, NULL, NULL,
                      "pattern \"%s\" is not a valid regular expression: %s (at byte %zu of the "
                      "pattern); values cannot be checked against it",
                      q, err, off);
    else if (sgi_regex_non_ecma(text, len))
        sgi_sw_report(c, SW_PATTERN_NOT_ECMA, &l, 0, NULL, NULL,
                      "pattern \"%s\" uses syntax that ECMA-262 (the dialect Swagger 2.0 names) "
                      "does not have; clients and other tools will reject it or match differently",
                      q);
}

/* A parameter (non-body), items or header object: the keywords they share. */
static void check_simple(sgi_sw *c, const sgi_sw_loc *s, int is_param, const char *in,
                         unsigned depth)
{
    sgi_sw_loc l, items;
    if (c->st != SG_OK || depth > MAX_NESTING || !json_object_is_type(s->v, json_type_object))
        return;
    int has_items = sgi_sw_member(&items, s, "items");
    const char *type = sgi_sw_str(s->v, "type");
    if (type && strcmp(type, "array") == 0 && !has_items && sgi_sw_member(&l, s, "type"))
        sgi_sw_report(c, SW_ARRAY_ITEMS_MISSING, &l, 0, NULL, NULL,
                      "type: array without items; say what the elements are, e.g. items: {type: "
                      "string}");
    const char *cf = sgi_sw_str(s->v, "collectionFormat");
    if (cf && strcmp(cf, "multi") == 0 &&
        !(is_param && in && (strcmp(in, "query") == 0 || strcmp(in, "formData") == 0)) &&
        sgi_sw_member(&l, s, "collectionFormat"))
        sgi_sw_report(c, SW_COLLECTION_FORMAT_MULTI, &l, 0, NULL, NULL,
                      "collectionFormat: multi (one name=value pair per element) exists for query "
                      "and formData parameters only, not for %s%s; use csv, ssv, tsv or pipes",
                      is_param ? "in: " : "", is_param ? in : "items or headers");
    check_pattern(c, s);
    check_value(c, s, "default", SW_DEFAULT_INVALID);
    if (has_items && json_object_is_type(items.v, json_type_object) &&
        sgi_sw_first_visit(c, items.v))
        check_simple(c, &items, 0, NULL, depth + 1);
}

void sgi_sw_check_parameter(sgi_sw *c, const sgi_sw_loc *p)
{
    sgi_sw_loc l;
    if (c->st != SG_OK || !json_object_is_type(p->v, json_type_object) ||
        !sgi_sw_first_visit(c, p->v))
        return;
    const char *in = sgi_sw_str(p->v, "in");
    const char *name = sgi_sw_str(p->v, "name");
    char q[SW_QUOTE];
    sgi_sw_quote(c, q, sizeof q, name ? name : "", name ? strlen(name) : 0);
    if (in && strcmp(in, "body") == 0) {
        if (sgi_sw_member(&l, p, "schema"))
            sgi_sw_check_schema(c, &l);
        return;
    }
    if (in && strcmp(in, "path") == 0) {
        if (!sgi_sw_member(&l, p, "required"))
            sgi_sw_report(c, SW_PATH_PARAM_REQUIRED, p, 0, NULL, NULL,
                          "path parameter \"%s\" lacks required: true; a path parameter is part "
                          "of the URL and always present: add required: true",
                          q);
        else if (!is_true(l.v))
            sgi_sw_report(c, SW_PATH_PARAM_REQUIRED, &l, 0, NULL, NULL,
                          "path parameter \"%s\" is not required: true; a path parameter is part "
                          "of the URL and always present: make it required: true",
                          q);
    }
    const char *type = sgi_sw_str(p->v, "type");
    if (type && strcmp(type, "file") == 0 && in && strcmp(in, "formData") != 0 &&
        sgi_sw_member(&l, p, "type"))
        sgi_sw_report(c, SW_FILE_PARAMETER_LOCATION, &l, 0, NULL, NULL,
                      "parameter \"%s\" is of type file but in: %s; files are uploaded as form "
                      "fields: use in: formData (and consumes: multipart/form-data)",
                      q, in);
    check_simple(c, p, 1, in, 0);
}

void sgi_sw_check_response(sgi_sw *c, const sgi_sw_loc *r)
{
    sgi_sw_loc l;
    if (c->st != SG_OK || !json_object_is_type(r->v, json_type_object) ||
        !sgi_sw_first_visit(c, r->v))
        return;
    if (sgi_sw_member(&l, r, "headers") && json_object_is_type(l.v, json_type_object))
        for (struct lh_entry *e = json_object_get_object(l.v)->head; e && c->st == SG_OK;
             e = e->next) {
            sgi_sw_loc h;
            sgi_sw_entry(&h, &l, e);
            if (json_object_is_type(h.v, json_type_object) && sgi_sw_first_visit(c, h.v))
                check_simple(c, &h, 0, NULL, 0);
        }
    if (sgi_sw_member(&l, r, "schema"))
        sgi_sw_check_schema(c, &l);
}

/* required names that properties lacks, with additionalProperties: false:
 * no instance can satisfy both. */
static void check_required(sgi_sw *c, const sgi_sw_loc *s)
{
    sgi_sw_loc ap, req;
    if (!sgi_sw_member(&ap, s, "additionalProperties") ||
        !json_object_is_type(ap.v, json_type_boolean) || json_object_get_boolean(ap.v) ||
        !sgi_sw_member(&req, s, "required") || !json_object_is_type(req.v, json_type_array))
        return;
    struct json_object *props = NULL;
    json_object_object_get_ex(s->v, "properties", &props);
    if (!json_object_is_type(props, json_type_object))
        props = NULL;
    size_t n = json_object_array_length(req.v);
    for (size_t i = 0; i < n && c->st == SG_OK; i++) {
        sgi_sw_loc r;
        sgi_sw_element(&r, &req, i);
        if (!json_object_is_type(r.v, json_type_string) ||
            (props &&
             lh_table_lookup_entry(json_object_get_object(props), json_object_get_string(r.v))))
            continue;
        char q[SW_QUOTE];
        sgi_sw_quote(c, q, sizeof q, json_object_get_string(r.v),
                     (size_t)json_object_get_string_len(r.v));
        sgi_sw_report(c, SW_REQUIRED_PROPERTY_UNDEFINED, &r, 0, NULL, NULL,
                      "required property \"%s\" is not in properties, and additionalProperties: "
                      "false forbids every other property, so no value can be valid; add \"%s\" "
                      "to properties or drop it from required",
                      q, q);
    }
}

static void walk_schema(sgi_sw *c, const sgi_sw_loc *s, unsigned depth)
{
    sgi_sw_loc l;
    if (c->st != SG_OK || depth > MAX_NESTING || !json_object_is_type(s->v, json_type_object) ||
        json_object_object_get_ex(s->v, "$ref", NULL) || !sgi_sw_first_visit(c, s->v))
        return; /* a $ref's target is checked where it stands */
    check_required(c, s);
    check_pattern(c, s);
    check_value(c, s, "default", SW_DEFAULT_INVALID);
    check_value(c, s, "example", SW_EXAMPLE_INVALID);
    if (sgi_sw_member(&l, s, "properties") && json_object_is_type(l.v, json_type_object))
        for (struct lh_entry *e = json_object_get_object(l.v)->head; e && c->st == SG_OK;
             e = e->next) {
            sgi_sw_loc p;
            sgi_sw_entry(&p, &l, e);
            walk_schema(c, &p, depth + 1);
        }
    if (sgi_sw_member(&l, s, "items")) {
        if (json_object_is_type(l.v, json_type_array))
            for (size_t i = 0; i < json_object_array_length(l.v) && c->st == SG_OK; i++) {
                sgi_sw_loc it;
                sgi_sw_element(&it, &l, i);
                walk_schema(c, &it, depth + 1);
            }
        else
            walk_schema(c, &l, depth + 1);
    }
    if (sgi_sw_member(&l, s, "allOf") && json_object_is_type(l.v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(l.v) && c->st == SG_OK; i++) {
            sgi_sw_loc it;
            sgi_sw_element(&it, &l, i);
            walk_schema(c, &it, depth + 1);
        }
    if (sgi_sw_member(&l, s, "additionalProperties"))
        walk_schema(c, &l, depth + 1);
}

void sgi_sw_check_schema(sgi_sw *c, const sgi_sw_loc *schema) { walk_schema(c, schema, 0); }
