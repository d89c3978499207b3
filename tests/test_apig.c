/* Unit tests of the apig checker (src/check_apig*.c): a table of documents
 * and the findings expected of it ("line:col severity rule apig_code", "-"
 * for no code; apig-ignored left out), strict mode, the swagger profile,
 * and the rule table against the catalog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_apig.h"
#include "unit.h"

#define HEAD "swagger: '2.0'\ninfo: {title: t_group, version: '1'}\n"
/* An operation whose extra lines (6 spaces in) start at line 9. */
#define OP                                                                                  \
    HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n"                               \
         "      responses: {200: {description: ok}}\n"                                    \
         "      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: x}}\n"
/* An HTTP backend with one path parameter; extra backend lines at line 14. */
#define HTTP                                                                                \
    HEAD "paths:\n  /a/{id}:\n    get:\n      operationId: op_a\n"                          \
         "      parameters: [{name: id, in: path, required: true, type: string}]\n"       \
         "      responses: {200: {description: ok}}\n"                                    \
         "      x-apigateway-backend:\n        type: HTTP\n"                               \
         "        httpEndpoints: {address: a.example.com, scheme: https, method: GET, "    \
         "path: '/b/{x}'}\n"                                                               \
         "        parameters:\n"

static int is_apig_rule(const char *id)
{
    const sg_rule *r = sg_rule_find(id);
    return r && strcmp(r->checker, "apig") == 0 && strcmp(id, "apig-ignored") != 0;
}

static char *lint_ag(const char *in, sg_profile profile, int strict)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, strlen(in), NULL, d, &doc), SG_OK);
    sg_options opts;
    sg_options_init(&opts);
    opts.profile = profile;
    opts.strict = strict;
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_OK);
    sg_diagnostics_sort(d);
    sgi_buf b = {0};
    sgi_buf_puts(&b, "");
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (!is_apig_rule(g->rule))
            continue;
        sgi_buf_printf(&b, "%s%u:%u %s %s %s", b.len ? "; " : "", g->start.line, g->start.column,
                       sg_severity_name(g->severity), g->rule, g->apig_code ? g->apig_code : "-");
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return b.data;
}

typedef struct agcase {
    const char *name, *in, *want;
} agcase;

static const agcase cases[] = {
    {"clean mock operation", OP, ""},
    {"match mode outside the enum", OP "      x-apigateway-match-mode: PREFIX\n",
     "9:32 error apig-enum -"},
    {"cors is a boolean", OP "      x-apigateway-cors: 'true'\n", "9:26 error apig-type -"},
    {"misspelled key with a suggestion", OP "      x-apigateway-corss: true\n",
     "9:7 warning apig-unknown-field -"},
    {"x-apigw- prefix is a near miss", OP "      x-apigw-cors: true\n",
     "9:7 warning apig-unknown-field -"},
    {"other vendors' extensions are left alone", OP "      x-amazon-apigateway-foo: 1\n      x-foo: 2\n", ""},
    {"root field on an operation is misplaced", OP "      x-apigateway-ratelimits: {}\n",
     "9:7 warning apig-misplaced-field -"},
    {"unknown ratelimit", OP "      x-apigateway-ratelimit: lim\n",
     "9:31 error apig-policy-undefined APIG.3005"},
    {"unknown access control", OP "      x-apigateway-access-control: acl\n",
     "9:36 error apig-policy-undefined APIG.3006"},
    {"defined ratelimit",
     OP "      x-apigateway-ratelimit: lim_a\n"
        "x-apigateway-ratelimits: {lim_a: {api-limit: 10, interval: 1, unit: SECOND}}\n",
     ""},
    {"user limit above api limit",
     OP "x-apigateway-ratelimits: {lim_a: {api-limit: 10, user-limit: 20, interval: 1, unit: SECOND}}\n",
     "9:62 error apig-ratelimit-limits -"},
    {"app limit above user limit, ip above api",
     OP "x-apigateway-ratelimits: {lim_a: {api-limit: 10, user-limit: 5, app-limit: 6, ip-limit: 11, "
        "interval: 1, unit: SECOND}}\n",
     "9:76 error apig-ratelimit-limits -; 9:89 error apig-ratelimit-limits -"},
    {"zero limit, lowercase unit",
     OP "x-apigateway-ratelimits: {lim_a: {api-limit: 0, interval: 1, unit: second}}\n",
     "9:46 error apig-ratelimit-limits -; 9:68 warning apig-enum-case -"},
    {"ratelimit without interval",
     OP "x-apigateway-ratelimits: {lim_a: {api-limit: 1, unit: DAY}}\n",
     "9:27 error apig-required -"},
    {"acl values", OP "x-apigateway-access-controls: {acl_a: {acl-type: PERMIT, entity-type: IP, "
                      "value: '1.2.3.4,10.0.0.0/33'}}\n",
     "9:82 error apig-acl-value APIG.2015"},
    {"acl ipv6 and range",
     OP "x-apigateway-access-controls: {acl_a: {acl-type: DENY, entity-type: IP, "
        "value: '::1,fe80::/10,1.1.1.1-1.1.1.9'}}\n",
     ""},
    {"backend path variable without backend parameter", HTTP "          - {name: y, in: path, origin: CONSTANT, value: v}\n",
     "11:83 error apig-backend-path-param-undefined APIG.2027"},
    {"backend path variable mapped", HTTP "          - {name: x, in: path, origin: REQUEST, value: id}\n", ""},
    {"REQUEST mapping of an undeclared parameter",
     HTTP "          - {name: x, in: path, origin: REQUEST, value: idd}\n",
     "13:57 error apig-backend-param-undefined APIG.2028"},
    {"header mapping ignores case",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n"
          "      parameters: [{name: X-Id, in: header, type: string}]\n"
          "      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend:\n        type: HTTP\n"
          "        httpEndpoints: {address: a.example.com, scheme: https, method: GET, path: /b}\n"
          "        parameters: [{name: y, in: query, origin: REQUEST, value: x-id}]\n",
     ""},
    {"authorizer context without authorizer",
     HTTP "          - {name: x, in: path, origin: REQUEST, value: id}\n"
          "          - {name: u, in: header, origin: SYSTEM, value: $context.authorizer.frontend.u}\n",
     "14:58 error apig-authorizer-context APIG.2036"},
    {"function backend with http policy",
     OP "      x-apigateway-backend-policies:\n"
        "        - {type: HTTP, name: pol_a, conditions: [{type: equal, value: a, origin: source}],\n"
        "           httpEndpoints: {address: h.example.com, scheme: http, method: GET, path: /}}\n",
     "10:18 error apig-policy-backend-type -"},
    {"timeout bounds",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend:\n        type: FUNCTION\n"
          "        functionEndpoints: {function-urn: u, version: latest, invocation-type: synchronous, "
          "timeout: 70000}\n",
     "10:80 error apig-enum -; 10:102 warning apig-timeout-extended -"},
    {"endpoint of the wrong type",
     OP "      x-apigateway-backend-policies:\n"
        "        - {type: MOCK, name: pol_a, conditions: [{type: equal, value: a, origin: source}]}\n",
     "10:11 error apig-backend-endpoint -"},
    {"auth type APP", HEAD "paths: {}\nsecurityDefinitions:\n  s: {type: apiKey, name: Authorization, in: header, "
                           "x-apigateway-auth-type: APP}\n",
     "5:78 error apig-auth-type -"},
    {"auth type on a query key", HEAD "paths: {}\nsecurityDefinitions:\n  s: {type: apiKey, name: k, in: query, "
                                      "x-apigateway-auth-type: IAM}\n",
     "5:3 error apig-auth-type -"},
    {"security without auth type",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      security: [{k: []}]\n"
          "      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: x}}\n"
          "securityDefinitions:\n  k: {type: apiKey, name: k, in: header}\n",
     "7:19 error apig-security-auth-type -"},
    {"frontend prefix form", HEAD "paths:\n  /a/p-{id}:\n    get:\n      operationId: op_a\n"
                                  "      parameters: [{name: id, in: path, required: true, type: string}]\n"
                                  "      responses: {200: {description: ok}}\n"
                                  "      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: x}}\n",
     "4:3 error apig-path-template -"},
    {"api name rules", OP "  /b:\n    get:\n      operationId: 'b c'\n"
                          "      responses: {200: {description: ok}}\n"
                          "      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: x}}\n"
                          "  /c:\n    get:\n      operationId: c.d\n"
                          "      responses: {200: {description: ok}}\n"
                          "      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: x}}\n",
     "11:20 error apig-api-name -; 16:20 warning apig-name-legacy -"},
    {"group name with a space",
     "swagger: '2.0'\ninfo: {title: My API, version: '1'}\npaths: {}\n",
     "2:15 error apig-group-name APIG.2044"},
    {"group name in Chinese: only the import page's rule fails",
     "swagger: '2.0'\ninfo: {title: \xe8\xae\xa2\xe5\x8d\x95\xe7\xbb\x84, version: '1'}\npaths: {}\n",
     "2:15 warning apig-name-legacy APIG.2044"},
    {"body parameter and consumes",
     OP "      consumes: [application/json]\n      parameters: [{name: b, in: body, schema: {type: object}}]\n",
     "9:7 warning apig-unsupported -; 10:34 warning apig-unsupported -"},
    {"no backend: one warning per document",
     HEAD "paths:\n  /a:\n    get: {operationId: op_a, responses: {200: {description: ok}}}\n"
          "    put: {operationId: op_b, responses: {200: {description: ok}}}\n",
     "3:1 warning apig-backend-missing -"},
    {"gateway response",
     OP "x-apigateway-responses: {r1: {THROTTLED: {status: 444}, NOPE: {status: 500}}}\n",
     "9:51 error apig-gateway-response -; 9:57 error apig-gateway-response -"},
    {"env var name", HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n"
                          "      responses: {200: {description: ok}}\n"
                          "      x-apigateway-backend: {type: HTTP, httpEndpoints: {address: '#x#', "
                          "scheme: https, method: GET, path: '/#backend_path#'}}\n",
     "8:67 error apig-env-var -"},
    {"extension on the paths object", HEAD "paths:\n  x-apigateway-cors: true\n",
     "4:3 warning apig-misplaced-field -"},
    {"two variables in one request path segment", HEAD "paths:\n  /a/{x}{y}: {}\n",
     "4:3 error apig-path-template -"},
    {"backend path: env var allowed, greedy refused",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend: {type: HTTP, httpEndpoints: {address: '#host_a#:8080', "
          "scheme: https, method: GET, path: '/#base_path#/{p+}'}}\n",
     "8:118 error apig-path-template -; 8:118 error apig-backend-path-param-undefined APIG.2027"},
    {"parameter sample and pass-through",
     OP "      parameters: [{name: q, in: query, type: string, x-apigateway-pass-through: sometimes}]\n",
     "9:82 error apig-enum -"},
    {"content type outside the API's values: a warning",
     OP "      x-apigateway-content-type: text/html\n", "9:34 warning apig-content-type -"},
    {"content type of the API", OP "      x-apigateway-content-type: multipart/form-data\n", ""},
    {"backend type with the wrong endpoint object",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend: {type: FUNCTION, mockEndpoints: {result-content: x}}\n",
     "8:7 error apig-backend-endpoint -; 8:46 error apig-backend-endpoint -"},
    {"unknown backend type: the enum only, no endpoint finding",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend: {type: LAMBDA, mockEndpoints: {result-content: x}}\n",
     "8:36 error apig-enum -"},
    {"backend without type",
     HEAD "paths:\n  /a:\n    get:\n      operationId: op_a\n      responses: {200: {description: ok}}\n"
          "      x-apigateway-backend: {mockEndpoints: {result-content: x}}\n",
     "8:7 error apig-required -"},
    {"pattern condition that does not compile",
     OP "      x-apigateway-backend-policies:\n"
        "        - {type: MOCK, name: pol_a, conditions: [{type: pattern, value: 'a(', origin: source}],\n"
        "           mockEndpoints: {result-content: y}}\n",
     "10:73 error apig-condition-pattern -"},
    {"pattern condition that compiles; an equal condition is no pattern",
     OP "      x-apigateway-backend-policies:\n"
        "        - {type: MOCK, name: pol_a, conditions: [{type: pattern, value: '^a+$', origin: source},\n"
        "           {type: equal, value: 'a(', origin: source}], mockEndpoints: {result-content: y}}\n",
     ""},
    {"two backend policies with one name",
     OP "      x-apigateway-backend-policies:\n"
        "        - {type: MOCK, name: pol_a, conditions: [{type: equal, value: a, origin: source}],\n"
        "           mockEndpoints: {result-content: y}}\n"
        "        - {type: MOCK, name: pol_a, conditions: [{type: equal, value: b, origin: source}],\n"
        "           mockEndpoints: {result-content: z}}\n",
     "12:30 error apig-name-duplicate APIG.3210"},
    {"access control names that differ in case",
     OP "x-apigateway-access-controls:\n  acl_a: {acl-type: PERMIT, entity-type: IP, value: 1.2.3.4}\n"
        "  ACL_A: {acl-type: DENY, entity-type: IP, value: 1.2.3.5}\n",
     "11:3 warning apig-name-case-duplicate APIG.3206"},
    {"tags: a space refused, a Chinese tag and the allowed signs accepted",
     OP "      tags: ['a b', \"\xe8\xae\xa2\xe5\x8d\x95\", 'v1.0_x-y:z#1%*']\n",
     "9:14 error apig-tag -"},
    {"misspelled sub-field keeps its did-you-mean",
     OP "x-apigateway-ratelimits: {lim_a: {api-limt: 10, interval: 1, unit: SECOND}}\n",
     "9:27 error apig-required -"},
    {"special throttling entry: required, enum, range",
     OP "x-apigateway-ratelimits: {lim_a: {api-limit: 10, interval: 1, unit: SECOND, "
        "special: [{type: APPS, limit: 0}]}}\n",
     "9:87 error apig-required -; 9:94 error apig-enum -; 9:107 error apig-ratelimit-limits -"},
    {"authorizer fields from the schema with their codes",
     HEAD "paths: {}\nsecurityDefinitions:\n  authz_a:\n    type: apiKey\n    name: unused\n"
          "    in: header\n    x-apigateway-auth-type: AUTHORIZER\n    x-apigateway-authorizer:\n"
          "      {authorizer_type: FUNC, authorizer_uri: u, type: FRONTEND, timeout: 0, ttl: 4000}\n",
     "9:29 warning apig-auth-type-unsettled -; 11:75 error apig-authorizer APIG.2046; "
     "11:83 error apig-authorizer -"},
};

START_TEST(test_table)
{
    const agcase *c = &cases[_i];
    char *got = lint_ag(c->in, SG_PROFILE_APIG, 0);
    if (strcmp(got, c->want) != 0)
        ck_abort_msg("%s:\n  want: %s\n  got:  %s", c->name, c->want, got);
    free(got);
}
END_TEST

START_TEST(test_strict)
{
    const char *in = OP "      x-apigateway-match-mode: normal\n";
    char *got = lint_ag(in, SG_PROFILE_APIG, 0);
    ck_assert_str_eq(got, "9:32 warning apig-enum-case -");
    free(got);
    got = lint_ag(in, SG_PROFILE_APIG, 1);
    ck_assert_str_eq(got, "9:32 error apig-enum-case -");
    free(got);
}
END_TEST

START_TEST(test_profile_swagger)
{
    char *got = lint_ag(OP "      x-apigateway-match-mode: PREFIX\n", SG_PROFILE_SWAGGER, 0);
    ck_assert_str_eq(got, "");
    free(got);
}
END_TEST

START_TEST(test_limit)
{
    const char *in = OP "      parameters: [{name: a, in: query, type: string}, {name: b, in: query, type: string}]\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, strlen(in), NULL, d, &doc), SG_OK);
    sg_options opts;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "apig-params", 1), SG_OK);
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_OK);
    int found = 0;
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (strcmp(g->rule, "apig-quota") == 0) {
            found = 1;
            ck_assert_str_eq(g->apig_code, "APIG.3111");
            ck_assert_ptr_nonnull(strstr(g->message, "apig-params"));
        }
    }
    ck_assert(found);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* Every rule of the checker is in the catalog with the same severity and
 * code, and every apig rule of the catalog is in the checker. */
START_TEST(test_catalog)
{
    size_t n = 0;
    for (int i = 0; i < AG_RULE_COUNT; i++) {
        const sg_rule *r = sg_rule_find(sgi_ag_rules[i].id);
        ck_assert_msg(r != NULL, "%s not in the catalog", sgi_ag_rules[i].id);
        ck_assert_str_eq(r->checker, "apig");
        ck_assert_int_eq(r->severity, sgi_ag_rules[i].severity);
        if (sgi_ag_rules[i].apig)
            ck_assert_str_eq(r->apig_code, sgi_ag_rules[i].apig);
        else
            ck_assert_ptr_null(r->apig_code);
        ck_assert(!sgi_ag_rules[i].unsettled || r->severity == SG_SEVERITY_WARNING);
    }
    for (size_t i = 0; sg_rule_at(i); i++)
        if (strcmp(sg_rule_at(i)->checker, "apig") == 0)
            n++;
    ck_assert_uint_eq(n, AG_RULE_COUNT);
}
END_TEST

/* The extension schema is a clean draft-04 schema, and says which rule
 * each of its value checks belongs to: every x-apig-rule names an apig rule
 * of the catalog, and every keyword that is not type, enum, required or a
 * length (those have default rules) sits in a schema that has one. */
static void walk_schema(struct json_object *v, const char *where, int *checked)
{
    static const char *const NEEDS_RULE[] = {"minimum", "maximum", "pattern", "minItems",
                                             "maxItems", "not", "multipleOf", "format"};
    if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            walk_schema(json_object_array_get_idx(v, i), where, checked);
        return;
    }
    if (!json_object_is_type(v, json_type_object))
        return;
    struct json_object *r;
    const char *rule = json_object_object_get_ex(v, "x-apig-rule", &r) ? json_object_get_string(r)
                                                                         : NULL;
    if (rule) {
        const sg_rule *cat = sg_rule_find(rule);
        ck_assert_msg(cat && strcmp(cat->checker, "apig") == 0, "%s: x-apig-rule %s", where, rule);
        (*checked)++;
    }
    for (size_t i = 0; i < sizeof NEEDS_RULE / sizeof NEEDS_RULE[0]; i++)
        ck_assert_msg(rule || !json_object_object_get_ex(v, NEEDS_RULE[i], NULL),
                      "%s: %s without x-apig-rule", where, NEEDS_RULE[i]);
    json_object_object_foreach(v, key, val)
    {
        if (strcmp(key, "enum") != 0 && strcmp(key, "required") != 0)
            walk_schema(val, key, checked);
    }
}

START_TEST(test_extension_schema)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *schema = NULL, *meta = NULL;
    ck_assert_int_eq(sg_document_parse("apig-extensions.json", sgi_schema_apig, sgi_schema_apig_len,
                                       NULL, d, &schema),
                     SG_OK);
    ck_assert_int_eq(sg_document_parse("draft-04.json", sgi_schema_draft04, sgi_schema_draft04_len,
                                       NULL, d, &meta),
                     SG_OK);
    sg_schema_set *set = sg_schema_set_new();
    ck_assert_ptr_nonnull(set);
    ck_assert_int_eq(sg_schema_validate(set, meta, schema, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    int checked = 0;
    walk_schema(sg_document_root(schema), "root", &checked);
    ck_assert_int_gt(checked, 10);
    /* One definition per field APIG reads, any-method aside (an operation). */
    struct json_object *props;
    ck_assert(json_object_object_get_ex(sg_document_root(schema), "properties", &props));
    ck_assert_int_eq(json_object_object_length(props), 22);
    sg_schema_set_free(set);
    sg_document_free(schema);
    sg_document_free(meta);
    sg_diagnostics_free(d);
}
END_TEST

/* Every finding of the schema part carries a position and a pointer into
 * the extension value, and a strict run makes the unsettled ones errors. */
START_TEST(test_schema_positions)
{
    const char *in = OP "x-apigateway-ratelimits: {lim_a: {api-limit: 10, interval: 1, unit: second}}\n";
    char *got = lint_ag(in, SG_PROFILE_APIG, 1);
    ck_assert_str_eq(got, "9:69 error apig-enum-case -");
    free(got);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, strlen(in), NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    int found = 0;
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (strcmp(g->rule, "apig-enum-case") != 0)
            continue;
        found = 1;
        ck_assert_str_eq(g->pointer, "/x-apigateway-ratelimits/lim_a/unit");
        ck_assert_ptr_nonnull(strstr(g->message, "x-apigateway-ratelimits.lim_a.unit"));
    }
    ck_assert(found);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

Suite *suite_apig(void)
{
    Suite *s = suite_create("apig");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_strict);
    tcase_add_test(tc, test_profile_swagger);
    tcase_add_test(tc, test_limit);
    tcase_add_test(tc, test_catalog);
    tcase_add_test(tc, test_extension_schema);
    tcase_add_test(tc, test_schema_positions);
    suite_add_tcase(s, tc);
    return s;
}
