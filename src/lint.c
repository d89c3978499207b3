/* Lint: runs the checkers of a profile over a document. The schema, swagger
 * and apig checkers plug into the table below; the model checker here holds
 * the document-level rules that need no schema: the root is an object and
 * carries swagger "2.0", and version strings that YAML read as numbers. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check_apig.h"
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

/* Schema findings about a mistake an earlier checker already named are the
 * same mistake twice: the model checker's "quote it" for swagger: 2.0, or a
 * swagger rule that pinpoints what the schema blames on the object around it
 * or on a neighbouring keyword of the same object (its closest oneOf branch
 * is a guess; the rule knows). Kept: schema findings elsewhere. */
typedef struct dedupe {
    struct lh_table *seen; /* pointers of model, resolve and swagger findings, their parents */
    size_t index, before;
    const sg_allocator *alloc; /* the options' hooks (NULL: the C library) */
} dedupe;

static int from_checker(const char *rule, const char *checker)
{
    const sg_rule *r = sg_rule_find(rule);
    return r && strcmp(r->checker, checker) == 0;
}

static size_t parent_len(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash ? (size_t)(slash - p) : 0;
}

static int drop_repeats(void *ctx, sg_diagnostic *g)
{
    dedupe *dd = ctx;
    size_t i = dd->index++;
    if (i < dd->before || strcmp(g->rule, "schema") != 0 || !g->pointer)
        return 1;
    if (lh_table_lookup_entry(dd->seen, g->pointer))
        return 0; /* the same place, or the object around an earlier finding */
    char parent[512];
    size_t n = parent_len(g->pointer);
    if (n == 0 || n >= sizeof parent)
        return 1;
    memcpy(parent, g->pointer, n);
    parent[n] = '\0';
    char key[520];
    snprintf(key, sizeof key, "\x01%s", parent); /* marks "a sibling was reported" */
    return !lh_table_lookup_entry(dd->seen, key);
}

static void remember(dedupe *dd, const char *k)
{
    if (!lh_table_lookup_entry(dd->seen, k)) {
        char *copy = sgi_strdup(dd->alloc, k);
        if (copy && lh_table_insert(dd->seen, copy, NULL) != 0)
            sgi_free(dd->alloc, copy);
    }
}

static int collect_pointers(void *ctx, sg_diagnostic *g)
{
    dedupe *dd = ctx;
    if (dd->index++ >= dd->before || !g->pointer ||
        !(from_checker(g->rule, "model") || from_checker(g->rule, "resolve") ||
          from_checker(g->rule, "swagger")))
        return 1;
    char buf[520];
    size_t n = strlen(g->pointer);
    if (n + 2 > sizeof buf)
        return 1;
    remember(dd, g->pointer);
    /* Every ancestor: the schema may blame the object around the mistake. */
    memcpy(buf, g->pointer, n + 1);
    while ((n = parent_len(buf)) > 0) {
        buf[n] = '\0';
        /* only the nearest object: farther ancestors hold unrelated members */
        remember(dd, buf);
        break;
    }
    /* Siblings: a neighbouring keyword of the same object. */
    n = parent_len(g->pointer);
    buf[0] = '\x01';
    memcpy(buf + 1, g->pointer, n);
    buf[n + 1] = '\0';
    remember(dd, buf);
    return 1;
}

/* The Swagger 2.0 schema (schemas/swagger-2.0.json, compiled in). */
static sg_status check_schema(sgi_lint *l)
{
    sg_schema_set *set = l->schemas ? l->schemas : sgi_schema_set_new_a(l->opts->allocator);
    if (!set)
        return SG_ENOMEM;
    /* The table's keys are allocated with the options' hooks: freed here,
     * not by the table (no free_fn). */
    dedupe dd = {lh_kchar_table_new(64, NULL), 0, sg_diagnostics_count(l->diags),
                 l->opts->allocator};
    sg_status st = dd.seen ? sg_schema_validate(set, NULL, l->doc, l->opts, l->diags) : SG_ENOMEM;
    if (st == SG_OK && dd.before > 0) {
        sgi_diags_rewrite(l->diags, collect_pointers, &dd);
        dd.index = 0;
        sgi_diags_rewrite(l->diags, drop_repeats, &dd);
    }
    if (dd.seen) {
        for (struct lh_entry *e = dd.seen->head; e; e = e->next)
            sgi_free(dd.alloc, (void *)e->k);
        lh_table_free(dd.seen);
    }
    if (set != l->schemas)
        sg_schema_set_free(set);
    return st;
}

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
    {"schema", check_schema, ALL_PROFILES}, /* after swagger: see dedupe */
    {"apig", sgi_check_apig, 1u << SG_PROFILE_APIG}, /* check_apig.c */
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
    /* One set of embedded schemas for the schema and apig checkers. */
    sg_schema_set *own = options->schemas ? NULL : sgi_schema_set_new_a(options->allocator);
    if (!options->schemas && !(lint.schemas = own))
        return SG_ENOMEM;
    if (!(lint.resolver = sgi_resolver_new(doc, options, diags))) {
        sg_schema_set_free(own);
        return SG_ENOMEM;
    }
    sg_status st = SG_OK;
    for (size_t i = 0; i < sizeof checkers / sizeof checkers[0] && st == SG_OK; i++)
        if (checkers[i].profiles & (1u << options->profile))
            st = checkers[i].fn(&lint);
    sgi_resolver_free(lint.resolver);
    sg_schema_set_free(own);
    return st;
}
