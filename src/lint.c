/* Lint: runs the checkers of a profile over a document. The schema, swagger
 * and apig checkers plug into the table below; the model checker here holds
 * the document-level rules that need no schema: the root is an object and
 * carries swagger "2.0", and version strings that YAML read as numbers. */
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

/* A checker gets the run's context (internal.h): document, options,
 * findings, and the resolver the checkers after "resolve" may use. */
typedef sg_status (*checker_fn)(sgi_lint *lint);

/* The text of a number as the user wrote it (YAML 1.2 spelling). */
static void number_text(struct json_object *v, char *buf, size_t cap)
{
    const char *t = sg_number_text(v);
    if (t)
        snprintf(buf, cap, "%s", t);
    else if (json_object_get_int64(v) == INT64_MAX)
        snprintf(buf, cap, "%llu", (unsigned long long)json_object_get_uint64(v));
    else
        snprintf(buf, cap, "%lld", (long long)json_object_get_int64(v));
}

static sg_status check_model(sgi_lint *lint)
{
    const sg_document *doc = lint->doc;
    sg_diagnostics *d = lint->diags;
    struct json_object *root = doc->root;
    char num[64];
    if (!json_object_is_type(root, json_type_object))
        return sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "document-root", NULL, 0, 0, "", "APIG.3601",
                            "the document is %s, not an object; a Swagger file is an object that "
                            "starts with swagger: \"2.0\"",
                            root ? json_type_to_name(json_object_get_type(root)) : "null");
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(root), "swagger");
    struct json_object *sw = le ? (struct json_object *)le->v : NULL;
    sg_status st = SG_OK;
    if (!le)
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", NULL, 0, 0, "", "APIG.3601",
                          "the document has no \"swagger\" field; add swagger: \"2.0\" at the top "
                          "(APIG imports Swagger 2.0 only)");
    else if (json_object_is_type(sw, json_type_double) || json_object_is_type(sw, json_type_int)) {
        number_text(sw, num, sizeof num);
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", root, (uintptr_t)le->k, 0,
                          "/swagger", "APIG.3601",
                          "swagger is the number %s, not the string \"2.0\": quote it: swagger: \"2.0\"",
                          num);
    } else if (!json_object_is_type(sw, json_type_string) ||
               strcmp(json_object_get_string(sw), "2.0") != 0) {
        char ex[128] = "a non-string value";
        if (json_object_is_type(sw, json_type_string))
            sgi_excerpt(ex, sizeof ex, json_object_get_string(sw),
                        (size_t)json_object_get_string_len(sw), 40);
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", root, (uintptr_t)le->k, 0,
                          "/swagger", "APIG.3601",
                          "swagger is %s%s%s; APIG imports Swagger 2.0 files only: swagger: \"2.0\"",
                          json_object_is_type(sw, json_type_string) ? "\"" : "", ex,
                          json_object_is_type(sw, json_type_string) ? "\"" : "");
    }
    if (st != SG_OK)
        return st;
    struct json_object *info;
    struct lh_entry *ve;
    if (json_object_object_get_ex(root, "info", &info) && json_object_is_type(info, json_type_object) &&
        (ve = lh_table_lookup_entry(json_object_get_object(info), "version")) != NULL) {
        struct json_object *v = (struct json_object *)ve->v;
        if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
            number_text(v, num, sizeof num);
            st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "version-type", info, (uintptr_t)ve->k, 0,
                              "/info/version", NULL,
                              "info.version is the number %s, not a string (YAML reads 1.10 as "
                              "1.1): quote it: version: \"%s\"",
                              num, num);
        }
    }
    return st;
}

/* $refs: they resolve, stay in the sandbox, do not loop (resolve.c). */
static sg_status check_resolve(sgi_lint *lint) { return sgi_resolver_check(lint->resolver); }

typedef struct checker {
    const char *name;
    checker_fn fn;
    unsigned profiles; /* bit (1 << sg_profile) */
} checker;

#define ALL_PROFILES ((1u << SG_PROFILE_APIG) | (1u << SG_PROFILE_SWAGGER))

static const checker checkers[] = {
    {"model", check_model, ALL_PROFILES},
    {"resolve", check_resolve, ALL_PROFILES},
    {"swagger", sgi_check_swagger, ALL_PROFILES},
};

sg_status sg_lint(const sg_document *doc, const sg_options *options, sg_diagnostics *diags)
{
    sg_options defaults;
    if (!doc || !diags)
        return SG_EUSAGE;
    if (!options) {
        sg_options_init(&defaults);
        options = &defaults;
    }
    if ((unsigned)options->profile > SG_PROFILE_SWAGGER)
        return SG_EUSAGE;
    sgi_lint lint = {doc, options, diags, NULL, options->schemas};
    if (!(lint.resolver = sgi_resolver_new(doc, options, diags)))
        return SG_ENOMEM;
    sg_status st = SG_OK;
    for (size_t i = 0; i < sizeof checkers / sizeof checkers[0] && st == SG_OK; i++)
        if (checkers[i].profiles & (1u << options->profile))
            st = checkers[i].fn(&lint);
    sgi_resolver_free(lint.resolver);
    return st;
}
