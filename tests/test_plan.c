/* Unit tests of the importer (src/plan.c, src/plan_model.c): documents
 * written inline, planned, and the task result and group read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "unit.h"

static sg_document *parse(const char *name, const char *text)
{
    sg_document *doc = NULL;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_document_parse(name, text, strlen(text), NULL, d, &doc), SG_OK);
    sg_diagnostics_free(d);
    return doc;
}

/* A plan of FILE into EXISTING (NULL: a new group). */
static sg_plan *plan_of(const char *file, const char *existing, const sg_import_options *imp,
                        const sg_options *opts, const char *const *names)
{
    sg_document *f = parse("file.yaml", file),
                *e = existing ? parse("export.yaml", existing) : NULL;
    sg_import_options def;
    if (!imp) {
        sg_import_options_init(&def);
        imp = &def;
    }
    sg_diagnostics *d = sg_diagnostics_new();
    sg_plan *p = NULL;
    ck_assert_int_eq(sg_plan_new(f, e, names, imp, opts, d, &p), SG_OK);
    ck_assert_ptr_nonnull(p);
    sg_diagnostics_free(d);
    sg_document_free(f);
    sg_document_free(e);
    return p;
}

static struct json_object *get(struct json_object *o, const char *k)
{
    struct json_object *v = NULL;
    json_object_object_get_ex(o, k, &v);
    return v;
}

static const char *str(struct json_object *o, const char *k)
{
    return json_object_get_string(get(o, k));
}

static struct json_object *at(struct json_object *arr, size_t i)
{
    return json_object_array_get_idx(arr, i);
}

#define OP(name)                                                                                   \
    "      operationId: " name "\n      responses: {default: {description: ok}}\n"                 \
    "      x-apigateway-backend: {type: HTTP, httpEndpoints: {address: b.example.com, scheme: "    \
    "https, method: GET, path: /x}}\n"

static const char EXPORT[] =
    "swagger: '2.0'\n"
    "info: {title: shop, version: '2'}\n"
    "paths:\n"
    "  /v1/items:\n"
    "    get:\n" OP(
        "listItems") "  /v1/items/{id}:\n"
                     "    parameters: [{name: id, in: path, required: true, type: string}]\n"
                     "    get:\n" OP(
                         "getItem") "x-apigateway-ratelimits:\n"
                                    "  gold: {api-limit: 10, interval: 1, unit: SECOND}\n";

START_TEST(new_group)
{
    static const char file[] =
        "swagger: '2.0'\n"
        "info: {title: shop, version: '1'}\n"
        "basePath: /v1/\n"
        "schemes: [https]\n"
        "parameters:\n"
        "  id: {name: id, in: path, required: true, type: string}\n"
        "paths:\n"
        "  /items/{id}:\n"
        "    parameters: [{$ref: '#/parameters/id'}]\n"
        "    get:\n" OP(
            "getItem") "      parameters: [{name: q, in: query, type: string}, {name: b, in: body, "
                       "schema: {type: object}}]\n"
                       "    x-apigateway-any-method:\n" OP(
                           "anyItem") "      x-apigateway-match-mode: swa\n"
                                      "x-apigateway-ratelimits:\n"
                                      "  gold: {api-limit: 10, interval: 1, unit: SECOND}\n";
    sg_plan *p = plan_of(file, NULL, NULL, NULL, NULL);
    struct json_object *r = sg_plan_result(p), *s = get(r, "success");
    ck_assert_ptr_null(sg_plan_error_code(p));
    ck_assert_uint_eq(json_object_array_length(s), 2);
    ck_assert_str_eq(str(at(s, 0), "method"), "GET");
    ck_assert_str_eq(str(at(s, 0), "path"), "/v1/items/{id}"); /* one slash between */
    ck_assert_str_eq(str(at(s, 0), "action"), "create");
    ck_assert_str_eq(str(at(s, 1), "method"), "ANY");
    ck_assert_uint_eq(json_object_array_length(get(r, "failure")), 0);
    ck_assert(json_object_is_type(get(r, "group_id"), json_type_null) || !get(r, "group_id"));
    struct json_object *pol = get(get(r, "policies"), "ratelimits");
    ck_assert_str_eq(json_object_get_string(at(get(pol, "created"), 0)), "gold");

    /* the group: full paths, no basePath, each API standing alone */
    struct json_object *g = sg_plan_group(p);
    ck_assert_ptr_null(get(g, "basePath"));
    ck_assert_str_eq(str(get(g, "info"), "title"), "shop");
    struct json_object *op = get(get(get(g, "paths"), "/v1/items/{id}"), "get");
    ck_assert_ptr_nonnull(op);
    struct json_object *params = get(op, "parameters");
    ck_assert_uint_eq(json_object_array_length(params),
                      2); /* id (path item, resolved), q; no body */
    ck_assert_str_eq(str(at(params, 0), "name"), "id");
    ck_assert_ptr_null(get(at(params, 0), "$ref"));
    ck_assert_str_eq(str(at(params, 1), "name"), "q");
    ck_assert_str_eq(json_object_get_string(at(get(op, "schemes"), 0)), "https");
    ck_assert_ptr_nonnull(get(get(get(g, "paths"), "/v1/items/{id}"), "x-apigateway-any-method"));
    ck_assert_ptr_nonnull(get(get(g, "x-apigateway-ratelimits"), "gold"));
    sg_plan_free(p);
}
END_TEST

START_TEST(merge_and_override)
{
    static const char file[] =
        "swagger: '2.0'\n"
        "info: {title: other, version: '1'}\n"
        "basePath: /v1\n"
        "paths:\n"
        "  /items/{key}:\n"
        "    parameters: [{name: key, in: path, required: true, type: string}]\n"
        "    get:\n" OP(
            "getItemByKey") "  /items:\n"
                            "    post:\n" OP(
                                "createItem") "  /things:\n"
                                              "    get:\n" OP(
                                                  "listItems") "x-apigateway-ratelimits:\n"
                                                               "  gold: {api-limit: 99, interval: "
                                                               "1, unit: SECOND}\n";
    sg_import_options imp;
    sg_import_options_init(&imp);
    /* merge: route conflict (variables unnamed), name conflict, one created */
    sg_plan *p = plan_of(file, EXPORT, &imp, NULL, NULL);
    struct json_object *r = sg_plan_result(p), *f = get(r, "failure");
    ck_assert_uint_eq(json_object_array_length(f), 2);
    ck_assert_str_eq(str(at(f, 0), "path"), "/v1/items/{key}");
    ck_assert_str_eq(str(at(f, 0), "error_code"), "APIG.3301");
    ck_assert_str_eq(str(at(f, 0), "error_msg"),
                     "The API already exists, An API with the same combination of the method, "
                     "path, and x-apigateway-match-mode fields already exists. API name: getItem");
    ck_assert_str_eq(str(at(f, 1), "error_code"), "APIG.3202");
    ck_assert_uint_eq(json_object_array_length(get(r, "success")), 1);
    ck_assert_str_eq(
        json_object_get_string(at(get(get(get(r, "policies"), "ratelimits"), "kept"), 0)), "gold");
    struct json_object *g = sg_plan_group(p);
    ck_assert_str_eq(str(get(g, "info"), "title"), "shop"); /* the group's, not the file's */
    ck_assert_str_eq(str(get(get(get(g, "paths"), "/v1/items/{id}"), "get"), "operationId"),
                     "getItem");
    ck_assert_int_eq(
        json_object_get_int(get(get(get(g, "x-apigateway-ratelimits"), "gold"), "api-limit")), 10);
    ck_assert_uint_eq(json_object_object_length(get(g, "paths")), 2);
    sg_plan_free(p);

    /* merge, conflicts ignored */
    imp.merge_conflict_ignored = 1;
    p = plan_of(file, EXPORT, &imp, NULL, NULL);
    ck_assert_uint_eq(json_object_array_length(get(sg_plan_result(p), "failure")), 0);
    ck_assert_uint_eq(json_object_array_length(get(sg_plan_result(p), "ignore")), 2);
    sg_plan_free(p);

    /* override: both updated; APIs not in the file stay */
    imp.merge_conflict_ignored = 0;
    imp.api_mode = SG_IMPORT_OVERRIDE;
    imp.extend_mode = SG_IMPORT_OVERRIDE;
    imp.group_id = "abc";
    p = plan_of(file, EXPORT, &imp, NULL, NULL);
    r = sg_plan_result(p);
    ck_assert_str_eq(str(r, "group_id"), "abc");
    struct json_object *s = get(r, "success");
    ck_assert_uint_eq(json_object_array_length(s), 3);
    ck_assert_str_eq(str(at(s, 0), "action"), "update");
    ck_assert_str_eq(str(at(s, 1), "action"), "create");
    ck_assert_str_eq(str(at(s, 2), "action"), "update");
    g = sg_plan_group(p);
    struct json_object *paths = get(g, "paths");
    ck_assert_ptr_null(get(paths, "/v1/items/{id}")); /* updated: now at the file's path */
    ck_assert_ptr_nonnull(get(paths, "/v1/items/{key}"));
    ck_assert_ptr_null(get(get(paths, "/v1/items"), "get")); /* listItems moved to /v1/things */
    ck_assert_ptr_nonnull(get(get(paths, "/v1/items"), "post"));
    ck_assert_str_eq(str(get(get(paths, "/v1/things"), "get"), "operationId"), "listItems");
    ck_assert_int_eq(
        json_object_get_int(get(get(get(g, "x-apigateway-ratelimits"), "gold"), "api-limit")), 99);
    sg_plan_free(p);
}
END_TEST

START_TEST(duplicates_in_file)
{
    static const char file[] =
        "swagger: '2.0'\n"
        "info: {title: dup, version: '1'}\n"
        "paths:\n"
        "  /a/{x}:\n"
        "    get:\n" OP("first") "  /a/{y}:\n"
                                 "    get:\n" OP("second") "    put:\n" OP(
                                     "first") "  /b/{z+}:\n"
                                              "    get:\n" OP("third") "  /b/{w}:\n"
                                                                       "    get:\n" OP("fourth");
    sg_plan *p = plan_of(file, NULL, NULL, NULL, NULL);
    struct json_object *r = sg_plan_result(p), *f = get(r, "failure");
    ck_assert_uint_eq(json_object_array_length(get(r, "success")), 3); /* {z+} and {w} differ */
    ck_assert_uint_eq(json_object_array_length(f), 2);
    ck_assert_str_eq(str(at(f, 0), "error_code"), "APIG.3301");
    ck_assert_str_eq(str(at(f, 1), "error_code"), "APIG.3202");
    ck_assert_str_eq(str(at(f, 1), "method"), "PUT");
    sg_plan_free(p);
}
END_TEST

START_TEST(whole_task)
{
    static const char file[] = "swagger: '2.0'\n"
                               "info: {title: shop, version: '1'}\n"
                               "paths:\n"
                               "  /a:\n"
                               "    get:\n" OP("a") "    put:\n" OP("b") "  /c:\n"
                                                                         "    get:\n" OP("c");
    const char *names[] = {"cart", "shop", NULL};
    sg_plan *p = plan_of(file, NULL, NULL, NULL, names);
    ck_assert_str_eq(sg_plan_error_code(p), "APIG.3201");
    ck_assert_ptr_null(sg_plan_group(p));
    ck_assert_str_eq(str(sg_plan_result(p), "error_code"), "APIG.3201");
    ck_assert_ptr_null(get(sg_plan_result(p), "success"));
    sg_plan_free(p);
    /* into an existing group the title does not matter */
    p = plan_of(file, EXPORT, NULL, NULL, names);
    ck_assert_ptr_null(sg_plan_error_code(p));
    sg_plan_free(p);

    sg_options opts;
    sg_options_init(&opts);
    opts.limits.apig_apis = 2;
    p = plan_of(file, NULL, NULL, &opts, NULL);
    ck_assert_str_eq(sg_plan_error_code(p), "APIG.3127");
    sg_plan_free(p);
    opts.limits.apig_apis = 3;
    opts.limits.apig_group_apis = 4; /* the export has 2 */
    p = plan_of(file, EXPORT, NULL, &opts, NULL);
    struct json_object *r = sg_plan_result(p);
    ck_assert_uint_eq(json_object_array_length(get(r, "success")), 2);
    ck_assert_str_eq(str(at(get(r, "failure"), 0), "error_code"), "APIG.3125");
    ck_assert_str_eq(str(at(get(r, "failure"), 0), "path"), "/c");
    sg_plan_free(p);

    /* no title for a new group */
    p = plan_of("swagger: '2.0'\ninfo: {version: '1'}\npaths: {}\n", NULL, NULL, NULL, NULL);
    ck_assert_str_eq(sg_plan_error_code(p), "APIG.2044");
    sg_plan_free(p);
}
END_TEST

START_TEST(mock_mode)
{
    static const char file[] =
        "swagger: '2.0'\n"
        "info: {title: shop, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n" OP("a") "      x-apigateway-backend-policies: [{type: HTTP, name: p1}]\n"
                             "    put:\n"
                             "      operationId: b\n"
                             "      responses: {default: {description: ok}}\n"
                             "      x-apigateway-backend: {type: MOCK, mockEndpoints: "
                             "{result-content: 'kept'}}\n";
    sg_import_options imp;
    sg_import_options_init(&imp);
    imp.mock_mode = 1;
    sg_plan *p = plan_of(file, EXPORT, &imp, NULL, NULL);
    struct json_object *paths = get(sg_plan_group(p), "paths");
    struct json_object *a = get(get(paths, "/a"), "get"), *b = get(get(paths, "/a"), "put");
    ck_assert_str_eq(str(get(a, "x-apigateway-backend"), "type"), "MOCK");
    ck_assert_ptr_null(get(a, "x-apigateway-backend-policies"));
    ck_assert_str_eq(str(get(get(b, "x-apigateway-backend"), "mockEndpoints"), "result-content"),
                     "kept");
    /* the group's other APIs keep their backends */
    ck_assert_str_eq(str(get(get(get(paths, "/v1/items"), "get"), "x-apigateway-backend"), "type"),
                     "HTTP");
    sg_plan_free(p);
}
END_TEST

START_TEST(arguments_and_output)
{
    sg_document *f =
        parse("file.yaml", "swagger: '2.0'\ninfo: {title: shop, version: '1'}\npaths: {}\n");
    sg_import_options imp;
    sg_import_options_init(&imp);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_plan *p = (sg_plan *)1;
    ck_assert_int_eq(sg_plan_new(NULL, NULL, NULL, &imp, NULL, d, &p), SG_EUSAGE);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(sg_plan_new(f, NULL, NULL, NULL, NULL, d, &p), SG_EUSAGE);
    imp.extend_mode = (sg_import_mode)5;
    ck_assert_int_eq(sg_plan_new(f, NULL, NULL, &imp, NULL, d, &p), SG_EUSAGE);
    ck_assert_uint_ge(sg_diagnostics_count(d), 1);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->rule, "import-form");
    sg_plan_free(NULL);
    ck_assert_ptr_null(sg_plan_result(NULL));
    ck_assert_ptr_null(sg_plan_group(NULL));
    ck_assert_ptr_null(sg_plan_error_code(NULL));

    imp.extend_mode = SG_IMPORT_MERGE;
    imp.simple_mode = 1;
    ck_assert_int_eq(sg_plan_new(f, NULL, NULL, &imp, NULL, d, &p), SG_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_int_eq(sg_plan_write(p, out, SG_REPORT_TEXT), SG_OK);
    ck_assert_int_eq(sg_plan_write(p, out, SG_REPORT_SARIF), SG_EUSAGE);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(text, "not simulated"));
    ck_assert_ptr_nonnull(strstr(text, "0 created"));
    free(text);
    out = open_memstream(&text, &len);
    ck_assert_int_eq(sg_plan_write(p, out, SG_REPORT_JSON), SG_OK);
    fclose(out);
    struct json_object *j = json_tokener_parse(text);
    ck_assert_ptr_nonnull(j);
    ck_assert_ptr_nonnull(get(j, "group"));
    ck_assert_ptr_nonnull(get(j, "success"));
    json_object_put(j);
    free(text);
    sg_plan_free(p);
    sg_diagnostics_free(d);
    sg_document_free(f);
}
END_TEST

/* Allocation failure through the hooks (sg_options.allocator): the N-th
 * allocation fails, for N = 1, 2, ... until a run needs no failure; each
 * run ends in SG_ENOMEM or in the answer of a run without failures, and
 * every block the hooks gave is given back. */
typedef struct hooks_state {
    long calls, fail_at, live;
} hooks_state;

static void *h_malloc(void *ud, size_t n)
{
    hooks_state *h = ud;
    if (++h->calls == h->fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        h->live++;
    return p;
}

static void *h_realloc(void *ud, void *ptr, size_t n)
{
    hooks_state *h = ud;
    if (++h->calls == h->fail_at)
        return NULL;
    return realloc(ptr, n);
}

static void h_free(void *ud, void *ptr)
{
    hooks_state *h = ud;
    h->live--;
    free(ptr);
}

/* The plan as JSON; NULL when writing it ran out of memory (sg_plan_write
 * allocates with the plan's hooks). */
static char *plan_json(sg_plan *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    sg_status st = sg_plan_write(p, out, SG_REPORT_JSON);
    fclose(out);
    if (st == SG_ENOMEM) {
        free(text);
        return NULL;
    }
    ck_assert_int_eq(st, SG_OK);
    return text;
}

START_TEST(allocation_failure)
{
    static const char file[] =
        "swagger: '2.0'\n"
        "info: {title: shop, version: '1'}\n"
        "basePath: /v1\n"
        "paths:\n"
        "  /items/{key}:\n"
        "    parameters: [{name: key, in: path, required: true, type: string}]\n"
        "    get:\n" OP(
            "getItemByKey") "  /items:\n"
                            "    post:\n" OP("createItem") "    get:\n" OP(
                                "createItem") "  /things:\n"
                                              "    get:\n" OP(
                                                  "listItems") "x-apigateway-ratelimits:\n"
                                                               "  gold: {api-limit: 99, interval: "
                                                               "1, unit: SECOND}\n";
    sg_document *f = parse("file.yaml", file), *e = parse("export.yaml", EXPORT);
    sg_import_options imp;
    sg_import_options_init(&imp);
    imp.api_mode = SG_IMPORT_OVERRIDE;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_plan *p = NULL;
    ck_assert_int_eq(sg_plan_new(f, e, NULL, &imp, NULL, d, &p), SG_OK);
    char *want = plan_json(p);
    ck_assert_ptr_nonnull(want);
    sg_plan_free(p);
    long n;
    for (n = 1; n < 100000; n++) {
        hooks_state h = {0, n, 0};
        sg_allocator al = {h_malloc, h_realloc, h_free, &h};
        sg_options opts;
        sg_options_init(&opts);
        opts.allocator = &al;
        p = NULL;
        sg_status st = sg_plan_new(f, e, NULL, &imp, &opts, d, &p);
        if (st == SG_OK) {
            char *got = plan_json(p);
            if (got) /* else the failure came while writing: SG_ENOMEM */
                ck_assert_str_eq(got, want);
            free(got);
        } else {
            ck_assert_int_eq(st, SG_ENOMEM);
            ck_assert_ptr_null(p);
        }
        sg_plan_free(p);
        ck_assert_msg(h.live == 0, "failing allocation %ld: %ld blocks not given back", n, h.live);
        if (h.calls < n) /* no allocation failed: done */
            break;
    }
    ck_assert_int_gt(n, 5);
    free(want);
    sg_diagnostics_free(d);
    sg_document_free(f);
    sg_document_free(e);
}
END_TEST

Suite *suite_plan(void)
{
    Suite *s = suite_create("plan");
    TCase *t = tcase_create("plan");
    tcase_add_test(t, new_group);
    tcase_add_test(t, merge_and_override);
    tcase_add_test(t, duplicates_in_file);
    tcase_add_test(t, whole_task);
    tcase_add_test(t, mock_mode);
    tcase_add_test(t, arguments_and_output);
    tcase_add_test(t, allocation_failure);
    suite_add_tcase(s, t);
    return s;
}
