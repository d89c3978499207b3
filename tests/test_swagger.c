/* Unit tests of the swagger checker (src/check_*.c): a table of documents
 * and the findings expected of the checker ("line:col severity rule"),
 * then messages, pointers, related locations, $refs through the resolver,
 * the rule table against the catalog, and the hash map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_swagger.h"
#include "unit.h"

#define HEAD "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"

static int is_swagger_rule(const char *id)
{
    const sg_rule *r = sg_rule_find(id);
    return r && strcmp(r->checker, "swagger") == 0;
}

/* Lint IN (YAML) with PROFILE; the swagger checker's findings as "L:C
 * severity rule" joined by "; ". Caller frees; *OUT (if given) keeps the
 * list. */
static char *lint_sw(const char *in, sg_profile profile, sg_diagnostics **out)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, strlen(in), NULL, d, &doc), SG_OK);
    sg_options opts;
    sg_options_init(&opts);
    opts.profile = profile;
    ck_assert_int_eq(sg_lint(doc, &opts, d), SG_OK);
    sg_diagnostics_sort(d);
    sgi_buf b = {0};
    sgi_buf_puts(&b, "");
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (!is_swagger_rule(g->rule))
            continue;
        sgi_buf_printf(&b, "%s%u:%u %s %s", b.len ? "; " : "", g->start.line, g->start.column,
                       sg_severity_name(g->severity), g->rule);
    }
    sg_document_free(doc);
    if (out)
        *out = d;
    else
        sg_diagnostics_free(d);
    return b.data;
}

/* The first finding of RULE, or NULL. */
static const sg_diagnostic *find_rule(const sg_diagnostics *d, const char *rule)
{
    for (size_t i = 0; i < sg_diagnostics_count(d); i++)
        if (strcmp(sg_diagnostics_get(d, i)->rule, rule) == 0)
            return sg_diagnostics_get(d, i);
    return NULL;
}

typedef struct swcase {
    const char *name;
    const char *in;
    const char *want;
} swcase;

static const swcase cases[] = {
    /* path templates and path parameters */
    {"path param defined at path level",
     HEAD "paths:\n  /a/{id}:\n    parameters: [{name: id, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n",
     ""},
    {"path param defined per operation",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"path param missing", HEAD "paths:\n  /a/{id}:\n    get: {responses: {200: {description: ok}}}\n",
     "4:3 error path-param-undefined"},
    {"path param missing in one of two operations",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n"
          "      responses: {200: {description: ok}}\n"
          "    put: {responses: {200: {description: ok}}}\n",
     "4:3 error path-param-undefined"},
    {"path param in query is not a path param",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: query, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "4:3 error path-param-undefined"},
    {"path item without operations: nothing to import",
     HEAD "paths:\n  /a/{id}: {}\n", ""},
    {"greedy variable {p+} is served by p",
     HEAD "paths:\n  /a/{p+}:\n    parameters: [{name: p, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n",
     ""},
    {"variable inside a segment", HEAD "paths:\n  /a/{x}.{y}:\n    parameters:\n"
                                        "      - {name: x, in: path, required: true, type: string}\n"
                                        "      - {name: y, in: path, required: true, type: string}\n"
                                        "    get: {responses: {200: {description: ok}}}\n",
     ""},
    {"path param names no variable",
     HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:20 error path-param-unused"},
    {"path-level path param names no variable, reported once",
     HEAD "paths:\n  /a:\n    parameters: [{name: id, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n    put: {responses: {200: {description: ok}}}\n",
     "5:18 error path-param-unused"},
    {"names are case-sensitive",
     HEAD "paths:\n  /a/{Id}:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "4:3 error path-param-undefined; 6:20 error path-param-unused"},
    {"path param not required",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:20 error path-param-required"},
    {"path param required false",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: false, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:51 error path-param-required"},
    {"templates that differ in names collide",
     HEAD "paths:\n  /a/{id}:\n    parameters: [{name: id, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n"
          "  /a/{name}:\n    parameters: [{name: name, in: path, required: true, type: string}]\n"
          "    put: {responses: {200: {description: ok}}}\n",
     "7:3 error path-template-collision"},
    {"greedy and plain variables do not collide",
     HEAD "paths:\n  /a/{id}:\n    parameters: [{name: id, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n"
          "  /a/{p+}:\n    parameters: [{name: p, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n",
     ""},
    {"a literal segment does not collide with a variable",
     HEAD "paths:\n  /a/{id}:\n    parameters: [{name: id, in: path, required: true, type: string}]\n"
          "    get: {responses: {200: {description: ok}}}\n"
          "  /a/me:\n    get: {responses: {200: {description: ok}}}\n",
     ""},
    /* operationIds */
    {"operationIds unique",
     HEAD "paths:\n  /a:\n    get: {operationId: a, responses: {200: {description: ok}}}\n"
          "    put: {operationId: b, responses: {200: {description: ok}}}\n",
     ""},
    {"operationId twice",
     HEAD "paths:\n  /a:\n    get: {operationId: a, responses: {200: {description: ok}}}\n"
          "  /b:\n    get: {operationId: a, responses: {200: {description: ok}}}\n",
     "7:24 error operation-id-duplicate"},
    {"operationId three times: two findings",
     HEAD "paths:\n  /a:\n    get: {operationId: a, responses: {200: {description: ok}}}\n"
          "    put: {operationId: a, responses: {200: {description: ok}}}\n"
          "    post: {operationId: a, responses: {200: {description: ok}}}\n",
     "6:24 error operation-id-duplicate; 7:25 error operation-id-duplicate"},
    /* parameters merged */
    {"operation overrides path level: no repeat",
     HEAD "paths:\n  /a:\n    parameters: [{name: q, in: query, type: string}]\n"
          "    get:\n      parameters: [{name: q, in: query, type: integer}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"same name, other location: no repeat",
     HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: string}, {name: q, in: header, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"repeated in one list",
     HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: string}, {name: q, in: query, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:56 error parameter-duplicate"},
    {"header names compare without case",
     HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: X-A, in: header, type: string}, {name: x-a, in: header, type: string}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:59 error parameter-duplicate"},
    {"two bodies", HEAD "paths:\n  /a:\n    post:\n      parameters:\n"
                        "        - {name: a, in: body, schema: {type: object}}\n"
                        "        - {name: b, in: body, schema: {type: object}}\n"
                        "      responses: {200: {description: ok}}\n",
     "8:11 error body-parameter-multiple"},
    {"a body at each level", HEAD "paths:\n  /a:\n    parameters: [{name: a, in: body, schema: {type: object}}]\n"
                                  "    post:\n      parameters: [{name: b, in: body, schema: {type: object}}]\n"
                                  "      responses: {200: {description: ok}}\n",
     "7:20 error body-parameter-multiple"},
    {"operation body overrides path body",
     HEAD "paths:\n  /a:\n    parameters: [{name: a, in: body, schema: {type: object}}]\n"
          "    post:\n      parameters: [{name: a, in: body, schema: {type: string}}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"two bodies at path level: once, not per operation",
     HEAD "paths:\n  /a:\n    parameters: [{name: a, in: body, schema: {}}, {name: b, in: body, schema: {}}]\n"
          "    post: {responses: {200: {description: ok}}}\n    put: {responses: {200: {description: ok}}}\n",
     "5:51 error body-parameter-multiple"},
    {"body and formData", HEAD "consumes: [multipart/form-data]\npaths:\n  /a:\n    post:\n      parameters:\n"
                                "        - {name: a, in: body, schema: {type: object}}\n"
                                "        - {name: f, in: formData, type: string}\n"
                                "      responses: {200: {description: ok}}\n",
     "9:11 error body-and-formdata"},
    /* file parameters */
    {"file in formData with multipart",
     HEAD "paths:\n  /a:\n    post:\n      consumes: [multipart/form-data]\n"
          "      parameters: [{name: f, in: formData, type: file}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"file with root consumes urlencoded (parameters ignored)",
     HEAD "consumes: ['application/x-www-form-urlencoded; charset=utf-8']\npaths:\n  /a:\n    post:\n"
          "      parameters: [{name: f, in: formData, type: file}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
    {"file without consumes",
     HEAD "paths:\n  /a:\n    post:\n      parameters: [{name: f, in: formData, type: file}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:20 error file-parameter-consumes"},
    {"file: operation consumes wins over root",
     HEAD "consumes: [multipart/form-data]\npaths:\n  /a:\n    post:\n      consumes: [application/json]\n"
          "      parameters: [{name: f, in: formData, type: file}]\n"
          "      responses: {200: {description: ok}}\n",
     "8:20 error file-parameter-consumes"},
    {"path-level file, operation-level consumes (swagger-editor#2052)",
     HEAD "paths:\n  /a:\n    parameters: [{name: f, in: formData, type: file}]\n"
          "    post:\n      consumes: [multipart/form-data]\n      responses: {200: {description: ok}}\n",
     ""},
    {"file in query", HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: f, in: query, type: file}]\n"
                           "      responses: {200: {description: ok}}\n",
     "6:47 error file-parameter-location"},
    /* arrays and collectionFormat */
    {"array without items", HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: array}]\n"
                                 "      responses: {200: {description: ok}}\n",
     "6:47 error array-items-missing"},
    {"nested items array without items",
     HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: array, items: {type: array}}]\n"
          "      responses: {200: {description: ok}}\n",
     "6:68 error array-items-missing"},
    {"header array without items",
     HEAD "paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
          "          headers: {X-A: {type: array}}\n",
     "9:33 error array-items-missing"},
    {"multi in query", HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, type: array, items: {type: string}, collectionFormat: multi}]\n"
                            "      responses: {200: {description: ok}}\n",
     ""},
    {"multi in header", HEAD "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: header, type: array, items: {type: string}, collectionFormat: multi}]\n"
                             "      responses: {200: {description: ok}}\n",
     "6:96 error collection-format-multi"},
    /* defaults and examples */
    {"defaults that fit", HEAD "paths:\n  /a:\n    get:\n      parameters:\n"
                               "        - {name: a, in: query, type: integer, default: 10, minimum: 1, maximum: 10}\n"
                               "        - {name: b, in: query, type: string, default: ab, enum: [ab, cd], pattern: '^[a-z]+$'}\n"
                               "        - {name: c, in: query, type: number, default: 1.5, multipleOf: 0.5}\n"
                               "        - {name: d, in: query, type: array, items: {type: integer, enum: [1, 2]}, default: [1, 2]}\n"
                               "        - {name: e, in: query, type: string, format: date, default: '2024-02-29'}\n"
                               "        - {name: f, in: query, type: boolean, default: false}\n"
                               "      responses: {200: {description: ok}}\n",
     ""},
    {"defaults that do not fit", HEAD "paths:\n  /a:\n    get:\n      parameters:\n"
                                      "        - {name: a, in: query, type: integer, default: '10'}\n"
                                      "        - {name: b, in: query, type: string, default: xy, enum: [ab, cd]}\n"
                                      "        - {name: c, in: query, type: integer, default: 11, maximum: 10}\n"
                                      "        - {name: d, in: query, type: string, default: A, pattern: '^[a-z]+$'}\n"
                                      "        - {name: e, in: query, type: string, default: abc, maxLength: 2}\n"
                                      "        - {name: f, in: query, type: array, items: {type: integer}, default: [1, x]}\n"
                                      "        - {name: g, in: query, type: string, format: date, default: '2023-02-29'}\n"
                                      "        - {name: h, in: query, type: integer, default: 1.5}\n"
                                      "        - {name: i, in: query, type: integer, default: 0, minimum: 0, exclusiveMinimum: true}\n"
                                      "      responses: {200: {description: ok}}\n",
     "7:56 error default-invalid; 8:55 error default-invalid; 9:56 error default-invalid; "
     "10:55 error default-invalid; 11:55 error default-invalid; 12:78 error default-invalid; "
     "13:69 error default-invalid; 14:56 error default-invalid; 15:56 error default-invalid"},
    {"schema default and example", HEAD "definitions:\n  A:\n    type: integer\n    default: x\n    example: 1.5\n"
                                        "paths: {}\n",
     "4:3 warning unused-definition; 6:14 error default-invalid; 7:14 warning example-invalid"},
    {"null default with x-nullable", HEAD "definitions:\n  A: {type: string, default: null, x-nullable: true}\n"
                                          "  B: {type: string, default: null}\npaths: {}\n",
     "4:3 warning unused-definition; 5:3 warning unused-definition; 5:30 error default-invalid"},
    /* security */
    {"security defined", HEAD "securityDefinitions:\n  k: {type: apiKey, name: k, in: header}\n"
                              "  o: {type: oauth2, flow: implicit, authorizationUrl: 'http://x', scopes: {r: read}}\n"
                              "security: [{k: []}, {o: [r]}]\npaths:\n  /a:\n    get:\n"
                              "      security: [{o: []}]\n      responses: {200: {description: ok}}\n",
     ""},
    {"security undefined", HEAD "securityDefinitions:\n  k: {type: apiKey, name: k, in: header}\n"
                                "security: [{x: []}]\npaths:\n  /a:\n    get:\n"
                                "      security: [{k: [], y: []}]\n      responses: {200: {description: ok}}\n",
     "5:13 error security-undefined; 9:26 error security-undefined"},
    {"security without securityDefinitions", HEAD "security: [{x: []}]\npaths: {}\n",
     "3:13 error security-undefined"},
    {"oauth2 scope undefined", HEAD "securityDefinitions:\n  o: {type: oauth2, flow: implicit, authorizationUrl: 'http://x', scopes: {r: read}}\n"
                                    "security: [{o: [r, w]}]\npaths: {}\n",
     "5:20 error security-scope-undefined"},
    {"scopes for apiKey", HEAD "securityDefinitions:\n  k: {type: apiKey, name: k, in: header}\n"
                               "security: [{k: [r]}]\npaths: {}\n",
     "5:16 warning security-scopes-ignored"},
    /* required properties */
    {"required defined", HEAD "definitions:\n  A:\n    type: object\n    additionalProperties: false\n"
                              "    required: [a]\n    properties: {a: {type: string}}\n"
                              "paths:\n  /a:\n    get:\n      responses: {200: {description: ok, schema: {$ref: '#/definitions/A'}}}\n",
     ""},
    {"required undefined, additionalProperties false",
     HEAD "definitions:\n  A:\n    type: object\n    additionalProperties: false\n"
          "    required: [a, b]\n    properties: {a: {type: string}}\n"
          "paths:\n  /a:\n    get:\n      responses: {200: {description: ok, schema: {$ref: '#/definitions/A'}}}\n",
     "7:19 error required-property-undefined"},
    {"required undefined, additionalProperties allowed",
     HEAD "definitions:\n  A:\n    type: object\n    required: [b]\n    properties: {a: {type: string}}\n"
          "paths:\n  /a:\n    get:\n      responses: {200: {description: ok, schema: {$ref: '#/definitions/A'}}}\n",
     ""},
    {"required undefined in a nested inline schema",
     HEAD "paths:\n  /a:\n    post:\n      parameters:\n        - name: b\n          in: body\n"
          "          schema:\n            type: object\n            properties:\n              x:\n"
          "                type: object\n                additionalProperties: false\n"
          "                required: [y]\n"
          "      responses: {200: {description: ok}}\n",
     "15:28 error required-property-undefined"},
    /* response codes */
    {"response codes", HEAD "paths:\n  /a:\n    get:\n      responses:\n        default: {description: ok}\n"
                            "        '100': {description: ok}\n        '599': {description: ok}\n"
                            "        x-foo: 1\n",
     ""},
    {"bad response codes", HEAD "paths:\n  /a:\n    get:\n      responses:\n        '600': {description: ok}\n"
                                "        2XX: {description: ok}\n        '099': {description: ok}\n",
     "7:9 error response-code-invalid; 8:9 error response-code-invalid; 9:9 error response-code-invalid"},
    /* unused components */
    {"unused parameter and response", HEAD "parameters:\n  p: {name: p, in: query, type: string}\n"
                                           "responses:\n  r: {description: ok}\npaths: {}\n",
     "4:3 warning unused-parameter; 6:3 warning unused-response"},
    {"a self reference counts as a use",
     HEAD "definitions:\n  N:\n    type: object\n    properties: {next: {$ref: '#/definitions/N'}}\npaths: {}\n",
     ""},
    {"a subtype of a discriminated base is used",
     HEAD "definitions:\n  Pet:\n    type: object\n    discriminator: kind\n    required: [kind]\n"
          "    properties: {kind: {type: string}}\n"
          "  Cat:\n    allOf: [{$ref: '#/definitions/Pet'}]\n"
          "paths:\n  /a:\n    get:\n      responses: {200: {description: ok, schema: {$ref: '#/definitions/Pet'}}}\n",
     ""},
    {"an escaped and percent-encoded ref counts",
     HEAD "definitions:\n  a/b: {type: string}\n  c d: {type: string}\n"
          "paths:\n  /a:\n    get:\n      responses:\n"
          "        200: {description: ok, schema: {$ref: '#/definitions/a~1b'}}\n"
          "        201: {description: ok, schema: {$ref: '#/definitions/c%20d'}}\n",
     ""},
};

START_TEST(test_table)
{
    const swcase *c = &cases[_i];
    char *got = lint_sw(c->in, SG_PROFILE_SWAGGER, NULL);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: \"%s\", expected \"%s\"", c->name, got, c->want);
    free(got);
    /* The apig profile runs the same rules. */
    got = lint_sw(c->in, SG_PROFILE_APIG, NULL);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s (apig profile): \"%s\"", c->name, got);
    free(got);
}
END_TEST

/* Through $refs (the resolver follows them; they count as uses). */
static const swcase ref_cases[] = {
    {"path param by $ref", HEAD "parameters:\n  id: {name: id, in: path, required: true, type: string}\n"
                                "paths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: '#/parameters/id'}]\n"
                                "      responses: {200: {description: ok}}\n",
     ""},
    {"unrequired path param by $ref: reported once, at the definition",
     HEAD "parameters:\n  id: {name: id, in: path, type: string}\n"
          "paths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: '#/parameters/id'}]\n"
          "      responses: {200: {description: ok}}\n"
          "  /b/{id}:\n    get:\n      parameters: [{$ref: '#/parameters/id'}]\n"
          "      responses: {200: {description: ok}}\n",
     "4:7 error path-param-required"},
    {"repeat through $ref", HEAD "parameters:\n  q: {name: q, in: query, type: string}\n"
                                 "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/parameters/q'}, {name: q, in: query, type: string}]\n"
                                 "      responses: {200: {description: ok}}\n",
     "8:46 error parameter-duplicate"},
    {"response by $ref", HEAD "responses:\n  r:\n    description: ok\n    headers: {X-A: {type: array}}\n"
                              "paths:\n  /a:\n    get:\n      responses: {200: {$ref: '#/responses/r'}}\n",
     "6:27 error array-items-missing"},
    {"a broken $ref is skipped (the resolver reports it)",
     HEAD "paths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: '#/parameters/nope'}]\n"
          "      responses: {200: {description: ok}}\n",
     ""},
};

START_TEST(test_refs)
{
    const swcase *c = &ref_cases[_i];
    char *got = lint_sw(c->in, SG_PROFILE_SWAGGER, NULL);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: \"%s\", expected \"%s\"", c->name, got, c->want);
    free(got);
}
END_TEST

/* Messages say what and where; pointers and related locations. */
START_TEST(test_messages)
{
    sg_diagnostics *d;
    char *got = lint_sw(HEAD "paths:\n  /a/{id}:\n    get:\n      operationId: x\n"
                             "      parameters: [{name: q, in: query, type: integer, default: '1'}]\n"
                             "      responses: {200: {description: ok}}\n"
                             "  /b:\n    get: {operationId: x, responses: {200: {description: ok}}}\n",
                        SG_PROFILE_SWAGGER, &d);
    free(got);
    const sg_diagnostic *g = find_rule(d, "path-param-undefined");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(g->pointer, "/paths/~1a~1{id}");
    ck_assert_str_eq(g->apig_code, "APIG.2026");
    ck_assert_ptr_nonnull(strstr(g->message, "{id}"));
    ck_assert_ptr_nonnull(strstr(g->message, "in: path"));
    g = find_rule(d, "operation-id-duplicate");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(g->pointer, "/paths/~1b/get/operationId");
    ck_assert_str_eq(g->apig_code, "APIG.3202");
    ck_assert_int_eq(g->has_related, 1);
    ck_assert_uint_eq(g->related.line, 6);
    ck_assert_uint_eq(g->related.column, 20);
    ck_assert_str_eq(g->related_file, "x.yaml");
    g = find_rule(d, "default-invalid");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(g->pointer, "/paths/~1a~1{id}/get/parameters/0/default");
    ck_assert_ptr_nonnull(strstr(g->message, "\"1\""));
    ck_assert_ptr_nonnull(strstr(g->message, "not an integer"));
    sg_diagnostics_free(d);

    /* Collisions: APIG.3301 only when both paths define the same method. */
    got = lint_sw(HEAD "paths:\n  /a/{x}:\n    parameters: [{name: x, in: path, required: true, type: string}]\n"
                       "    get: {responses: {200: {description: ok}}}\n"
                       "  /a/{y}:\n    parameters: [{name: y, in: path, required: true, type: string}]\n"
                       "    post: {responses: {200: {description: ok}}}\n",
                  SG_PROFILE_SWAGGER, &d);
    free(got);
    g = find_rule(d, "path-template-collision");
    ck_assert_ptr_nonnull(g);
    ck_assert_ptr_null(g->apig_code);
    ck_assert_uint_eq(g->related.line, 4);
    sg_diagnostics_free(d);

    /* Quoted names are escaped. */
    got = lint_sw(HEAD "paths:\n  /a:\n    get: {operationId: \"a\\e[2J\", responses: {200: {description: ok}}}\n"
                       "    put: {operationId: \"a\\e[2J\", responses: {200: {description: ok}}}\n",
                  SG_PROFILE_SWAGGER, &d);
    free(got);
    g = find_rule(d, "operation-id-duplicate");
    ck_assert_ptr_nonnull(g);
    ck_assert_ptr_null(strchr(g->message, '\x1b'));
    ck_assert_ptr_nonnull(strstr(g->message, "\\u001B[2J"));
    sg_diagnostics_free(d);
}
END_TEST

/* x-apigateway-any-method is an operation in the apig profile only. */
START_TEST(test_any_method)
{
    const char *in = HEAD "paths:\n  /a/{id}:\n    x-apigateway-any-method: {responses: {200: {description: ok}}}\n";
    char *got = lint_sw(in, SG_PROFILE_APIG, NULL);
    ck_assert_str_eq(got, "4:3 error path-param-undefined");
    free(got);
    got = lint_sw(in, SG_PROFILE_SWAGGER, NULL);
    ck_assert_str_eq(got, "");
    free(got);
}
END_TEST

/* The checker's table and the catalog agree: id, checker, severity, APIG
 * code; every rule of the catalog has a description. */
START_TEST(test_catalog)
{
    for (int i = 0; i < SW_RULE_COUNT; i++) {
        const sgi_sw_rule_info *ri = &sgi_sw_rules[i];
        ck_assert_ptr_nonnull(ri->id);
        const sg_rule *r = sg_rule_find(ri->id);
        ck_assert_msg(r != NULL, "%s is not in the catalog", ri->id);
        ck_assert_str_eq(r->checker, "swagger");
        ck_assert_msg(r->severity == ri->severity, "%s: severity differs", ri->id);
        ck_assert_msg((r->apig_code == NULL) == (ri->apig == NULL) &&
                          (!ri->apig || strcmp(r->apig_code, ri->apig) == 0),
                      "%s: APIG code differs", ri->id);
    }
    const sg_rule *r;
    for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++) {
        ck_assert_msg(r->description && *r->description, "rule %s has no description", r->id);
        ck_assert_msg(r->summary && *r->summary, "rule %s has no summary", r->id);
        ck_assert_msg(sg_rule_find(r->id) == r, "rule %s is listed twice", r->id);
    }
}
END_TEST

START_TEST(test_map)
{
    sgi_sw_map m;
    memset(&m, 0, sizeof m);
    ck_assert_ptr_null(sgi_sw_map_get(&m, "a", 1));
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(sgi_sw_map_put(&m, key, (size_t)n, (void *)(uintptr_t)(i + 1), NULL), 1);
    }
    void *old = NULL;
    ck_assert_int_eq(sgi_sw_map_put(&m, "k42", 3, (void *)9, &old), 0);
    ck_assert_ptr_eq(old, (void *)43);
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        ck_assert_ptr_eq(sgi_sw_map_get(&m, key, (size_t)n), (void *)(uintptr_t)(i + 1));
    }
    /* Keys hold any bytes; the empty key is a key. */
    ck_assert_int_eq(sgi_sw_map_put(&m, "a\0b", 3, (void *)1, NULL), 1);
    ck_assert_ptr_null(sgi_sw_map_get(&m, "a\0c", 3));
    ck_assert_int_eq(sgi_sw_map_put(&m, "", 0, (void *)2, NULL), 1);
    ck_assert_ptr_eq(sgi_sw_map_get(&m, "", 0), (void *)2);
    /* Clearing empties it in O(1); it stays usable, across generations. */
    for (int round = 0; round < 3; round++) {
        sgi_sw_map_clear(&m);
        ck_assert_ptr_null(sgi_sw_map_get(&m, "k1", 2));
        ck_assert_int_eq(sgi_sw_map_put(&m, "k1", 2, (void *)5, NULL), 1);
        ck_assert_ptr_eq(sgi_sw_map_get(&m, "k1", 2), (void *)5);
    }
    m.gen = ~0u; /* the next clear wraps the generation */
    sgi_sw_map_put(&m, "z", 1, (void *)1, NULL);
    sgi_sw_map_clear(&m);
    ck_assert_ptr_null(sgi_sw_map_get(&m, "z", 1));
    ck_assert_ptr_null(sgi_sw_map_get(&m, "k1", 2));
    sgi_sw_map_fini(&m);
}
END_TEST

/* A document that is not an object, or has odd shapes where objects are
 * expected, gives no swagger finding and no crash. */
START_TEST(test_odd_shapes)
{
    static const char *const docs[] = {
        "[1, 2]\n",
        HEAD "paths: [1]\n",
        HEAD "paths:\n  /a: 1\n  /b: {get: 1, parameters: 3}\n  /c: {get: {parameters: [1, null, {in: 1}], responses: 1}}\n",
        HEAD "paths:\n  /a/{: {get: {responses: {200: {description: ok}}}}\n  /b/{}: {get: {responses: {200: {description: ok}}}}\n",
        HEAD "security: 1\nsecurityDefinitions: 1\ndefinitions: 1\nparameters: 1\nresponses: 1\npaths: {}\n",
        HEAD "security: [1, {a: 1}]\nsecurityDefinitions: {a: 1}\npaths: {}\n",
        HEAD "definitions:\n  A: {type: [string, integer], default: true, enum: 1, pattern: 1, maxLength: x}\n"
             "paths: {}\n",
        HEAD "definitions:\n  A: {default: 1, minimum: x, items: [1, {type: string}], allOf: 1, properties: []}\n"
             "paths: {}\n",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *got = lint_sw(docs[i], SG_PROFILE_SWAGGER, NULL);
        free(got);
    }
    char *got = lint_sw(docs[6], SG_PROFILE_SWAGGER, NULL);
    ck_assert_str_eq(got, "4:3 warning unused-definition; 4:41 error default-invalid");
    free(got);
}
END_TEST

/* YAML aliases share one node: each finding inside it is reported once. */
START_TEST(test_alias)
{
    char *got = lint_sw(HEAD "parameters:\n  q: &q {name: q, in: query, type: array}\n"
                             "paths:\n  /a:\n    get:\n      parameters: [*q]\n"
                             "      responses: {200: {description: ok}}\n"
                             "    put:\n      parameters: [*q]\n"
                             "      responses: {200: {description: ok}}\n",
                        SG_PROFILE_SWAGGER, NULL);
    ck_assert_str_eq(got, "4:3 warning unused-parameter; 4:36 error array-items-missing");
    free(got);
}
END_TEST

/* Inputs that would take quadratic time if a rule compared pairwise: each
 * must finish well within the test timeout. */
START_TEST(test_pathological)
{
    enum { N = 50000 };
    sgi_buf b = {0};
    /* An items enum of N values and an array default of N elements. */
    sgi_buf_puts(&b, HEAD "paths:\n  /a:\n    get:\n      parameters:\n"
                      "        - {name: q, in: query, type: array, items: {type: integer, enum: [");
    for (int i = 0; i < N; i++)
        sgi_buf_printf(&b, "%s%d", i ? ", " : "", i);
    sgi_buf_puts(&b, "]}, default: [");
    for (int i = 0; i < N; i++)
        sgi_buf_printf(&b, "%s%d", i ? ", " : "", i == N - 1 ? N : N - 1 - i);
    sgi_buf_puts(&b, "]}\n      responses: {200: {description: ok}}\n");
    char *got = lint_sw(b.data, SG_PROFILE_SWAGGER, NULL);
    ck_assert_str_eq(got, "7:338976 error default-invalid"); /* the default array */
    free(got);

    /* A path key of '{' without '}', and N operations sharing one id. */
    b.len = 0;
    sgi_buf_puts(&b, HEAD "paths:\n  ? /"); /* explicit: implicit keys stop at 1024 */
    for (int i = 0; i < N; i++)
        sgi_buf_puts(&b, "{");
    sgi_buf_puts(&b, "\n  : {get: {responses: {200: {description: ok}}}}\n");
    for (int i = 0; i < N / 10; i++)
        sgi_buf_printf(&b, "  /p%d/{x}:\n    parameters: [{name: x, in: path, required: true, type: string}]\n"
                           "    get: {operationId: same, responses: {200: {description: ok}}}\n", i);
    sg_diagnostics *d;
    got = lint_sw(b.data, SG_PROFILE_SWAGGER, &d);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), N / 10 - 1);
    free(got);
    sg_diagnostics_free(d);
    sgi_buf_fini(&b);
}
END_TEST

Suite *suite_swagger(void)
{
    Suite *s = suite_create("swagger");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_loop_test(tc, test_refs, 0, (int)(sizeof ref_cases / sizeof ref_cases[0]));
    tcase_add_test(tc, test_messages);
    tcase_add_test(tc, test_any_method);
    tcase_add_test(tc, test_odd_shapes);
    tcase_add_test(tc, test_alias);
    tcase_add_test(tc, test_pathological);
    suite_add_tcase(s, tc);
    tc = tcase_create("catalog");
    tcase_add_test(tc, test_catalog);
    tcase_add_test(tc, test_map);
    suite_add_tcase(s, tc);
    return s;
}
