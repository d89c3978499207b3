/* Unit tests of the draft-04 validator (src/schema.c, src/schema_store.c):
 * a table of (schema, instance, expected findings) covering every keyword,
 * positions in YAML and JSON instances, and problems of the schema itself;
 * then the closest-alternative reporting on Swagger documents, $ref and id
 * scoping, the store (registered and mapped documents, offline refusal,
 * sandbox), limits and arguments.
 *
 * Findings are written "L:C rule pointer", joined by "; ", in file order;
 * those positioned in the schema document start with "S". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static int contains(const char *s, const char *needle)
{
    return s && needle && strstr(s, needle) != NULL;
}

static sg_document *parse(const char *name, const char *text)
{
    sg_document *doc = NULL;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_document_parse(name, text, strlen(text), NULL, d, &doc), SG_OK);
    sg_diagnostics_free(d);
    return doc;
}

/* The findings of D in the notation above; every message goes to *MSGS
 * (joined by " | ") when MSGS is given. Caller frees both. */
static char *notation(const sg_diagnostics *d, const char *schema_name, char **msgs)
{
    sgi_buf b = {0}, m = {0};
    sgi_buf_puts(&b, "");
    sgi_buf_puts(&m, "");
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        int in_schema = schema_name && strcmp(g->file, schema_name) == 0;
        sgi_buf_printf(&b, "%s%s%u:%u %s %s", i ? "; " : "", in_schema ? "S" : "", g->start.line,
                       g->start.column, g->rule, g->pointer ? g->pointer : "-");
        sgi_buf_printf(&m, "%s%s", i ? " | " : "", g->message);
        ck_assert_ptr_nonnull(sg_rule_find(g->rule));
    }
    if (msgs)
        *msgs = m.data;
    else
        sgi_buf_fini(&m);
    return b.data;
}

/* Validate INSTANCE (file INAME) against SCHEMA (file SNAME; NULL: the
 * Swagger 2.0 schema) with a new set and OPTS (NULL: the defaults). */
static char *check(const char *sname, const char *schema, const char *iname, const char *instance,
                   const sg_options *opts, char **msgs)
{
    sg_schema_set *set = sg_schema_set_new();
    ck_assert_ptr_nonnull(set);
    sg_document *s = schema ? parse(sname, schema) : NULL;
    sg_document *in = parse(iname, instance);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(set, s, in, opts, d), SG_OK);
    sg_diagnostics_sort(d);
    char *got = notation(d, sname, msgs);
    sg_diagnostics_free(d);
    sg_document_free(s);
    sg_document_free(in);
    sg_schema_set_free(set);
    return got;
}

typedef struct scase {
    const char *name;
    const char *schema;   /* JSON (s.json) */
    const char *instance; /* YAML when IYAML, else JSON */
    int iyaml;
    const char *want;
    const char *msg; /* part of the messages */
} scase;

static const scase cases[] = {
    /* type */
    {"type ok", "{\"type\": \"string\"}", "\"a\"", 0, "", NULL},
    {"type number in yaml", "{\"properties\": {\"v\": {\"type\": \"string\"}}}", "v: 2.0\n", 1,
     "1:4 schema /v", "expected a string, found the number 2.0; quote it: \"2.0\""},
    {"type list", "{\"type\": [\"string\", \"null\"]}", "5", 0, "1:1 schema ",
     "expected a string or null, found the number 5"},
    {"integer 1.0 is not", "{\"type\": \"integer\"}", "1.0", 0, "1:1 schema ", "an integer"},
    {"integer 1e2 is not", "{\"type\": \"integer\"}", "1e2", 0, "1:1 schema ", "1e2"},
    {"integer big", "{\"type\": \"integer\"}", "123456789012345678901234567890", 0, "", NULL},
    {"number is integer too", "{\"type\": \"number\"}", "7", 0, "", NULL},
    {"type skips the rest", "{\"type\": \"string\", \"enum\": [\"a\"]}", "5", 0, "1:1 schema ",
     "expected a string"},
    /* enum */
    {"enum", "{\"enum\": [\"a\", \"b\"]}", "\"c\"", 0, "1:1 schema ",
     "expected one of \"a\", \"b\", found the string \"c\""},
    {"enum did you mean", "{\"enum\": [\"string\", \"number\"]}", "\"strin\"", 0, "1:1 schema ",
     "(did you mean \"string\"?)"},
    {"enum one value", "{\"enum\": [\"body\"]}", "\"query\"", 0, "1:1 schema ",
     "expected \"body\", found"},
    {"enum numbers by value", "{\"enum\": [{\"a\": [1, 2]}]}", "{\"a\": [1.0, 2e0]}", 0, "", NULL},
    {"enum null", "{\"enum\": [null]}", "0", 0, "1:1 schema ", "expected null, found"},
    /* numbers */
    {"multipleOf exact", "{\"multipleOf\": 0.01}", "0.3", 0, "", NULL},
    {"multipleOf no", "{\"multipleOf\": 0.01}", "0.333", 0, "1:1 schema ",
     "expected a multiple of 0.01, found 0.333"},
    {"maximum exclusive", "{\"maximum\": 10, \"exclusiveMaximum\": true}", "10", 0, "1:1 schema ",
     "expected less than 10, found 10"},
    {"maximum", "{\"maximum\": 10}", "10", 0, "", NULL},
    {"minimum", "{\"minimum\": 1.5}", "1.25", 0, "1:1 schema ", "at least 1.5"},
    {"minimum exclusive", "{\"minimum\": 0, \"exclusiveMinimum\": true}", "0", 0, "1:1 schema ",
     "more than 0"},
    {"big maximum", "{\"maximum\": 18446744073709551616}", "18446744073709551617", 0, "1:1 schema ",
     "at most 18446744073709551616, found 18446744073709551617"},
    {"big minimum", "{\"minimum\": -98249283749234923498293171823948729348710298301928331}",
     "-98249283749234923498293171823948729348710298301928330", 0, "", NULL},
    {"huge exponent", "{\"maximum\": 1e308}", "1e400", 0, "1:1 schema ", "1e400"},
    /* strings */
    {"maxLength code points", "{\"maxLength\": 2}", "\"\\u00e9\\u00e9\"", 0, "", NULL},
    {"maxLength over", "{\"maxLength\": 2}", "\"\xc3\xa9\xc3\xa9\xc3\xa9\"", 0, "1:1 schema ",
     "at most 2 characters, found 3"},
    {"minLength", "{\"minLength\": 1}", "\"\"", 0, "1:1 schema ", "at least 1 character,"},
    {"pattern not anchored", "{\"pattern\": \"es\"}", "\"expression\"", 0, "", NULL},
    {"pattern", "{\"pattern\": \"^[a-z]+$\"}", "\"abc1\"", 0, "1:1 schema ",
     "expected a string matching /^[a-z]+$/, found the string \"abc1\""},
    {"pattern dollar", "{\"pattern\": \"^abc$\"}", "\"abc\\n\"", 0, "1:1 schema ", NULL},
    {"pattern literal prefix", "{\"patternProperties\": {\"^x-\": {\"type\": \"string\"}}}",
     "{\"x-a\": 1, \"y-x-\": 1}", 0, "1:9 schema /x-a", NULL},
    {"pattern too costly", "{\"pattern\": \"^(a+)+$\"}",
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"", 0, "1:1 schema ", "pattern too costly"},
    {"format", "{\"format\": \"ipv4\"}", "\"1.2.3\"", 0, "1:1 schema ", "an IPv4 address"},
    {"format unknown", "{\"format\": \"uuidv7\"}", "\"x\"", 0, "", NULL},
    {"format on a number", "{\"format\": \"ipv4\"}", "12", 0, "", NULL},
    /* arrays */
    {"items", "{\"items\": {\"type\": \"integer\"}}", "- 1\n- a\n", 1, "2:3 schema /1",
     "expected an integer"},
    {"tuple and additionalItems", "{\"items\": [{}], \"additionalItems\": false}", "[1, 2, 3]", 0,
     "1:5 schema /1", "at most 1 item here"},
    {"additionalItems schema", "{\"items\": [{}], \"additionalItems\": {\"type\": \"string\"}}",
     "[1, 2]", 0, "1:5 schema /1", NULL},
    {"maxItems", "{\"maxItems\": 1}", "[1, 2]", 0, "1:1 schema ", "at most 1 item, found 2"},
    {"minItems", "{\"minItems\": 3}", "[]", 0, "1:1 schema ", "at least 3 items, found 0"},
    {"uniqueItems", "{\"uniqueItems\": true}", "[1, {\"a\": [1]}, \"x\", {\"a\": [1.0]}, 1.0]", 0,
     "1:22 schema /3; 1:36 schema /4", "item 3 repeats item 1"},
    {"uniqueItems ok", "{\"uniqueItems\": true}", "[1, \"1\", [1], {\"1\": 1}, true, null]", 0, "",
     NULL},
    /* objects */
    {"required at the object", "{\"properties\": {\"a\": {\"required\": [\"c\"]}}}", "a:\n  b: 1\n",
     1, "2:3 schema /a", "missing required property \"c\""},
    {"additionalProperties at the key",
     "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}", "a: 1\nbb: 2\n", 1,
     "2:1 schema /bb", "property \"bb\" is not allowed here; allowed: \"a\""},
    {"additionalProperties schema", "{\"additionalProperties\": {\"type\": \"integer\"}}",
     "{\"a\": 1, \"b\": \"x\"}", 0, "1:15 schema /b", NULL},
    {"misspelt required key",
     "{\"properties\": {\"name\": {}}, \"required\": [\"name\"], \"additionalProperties\": false}",
     "nmae: x\n", 1, "1:1 schema /nmae", "(did you mean \"name\"?)"},
    {"misspelt required key, others allowed",
     "{\"properties\": {\"name\": {}}, \"required\": [\"name\"]}", "nmae: x\n", 1, "1:1 schema ",
     "\"nmae\" looks like a misspelling"},
    {"no guess without properties", "{\"required\": [\"p0\", \"p1\"]}", "{\"p1\": 1}", 0,
     "1:1 schema ", NULL},
    {"maxProperties", "{\"maxProperties\": 1}", "{\"a\": 1, \"b\": 2}", 0, "1:1 schema ",
     "at most 1 property, found 2"},
    {"minProperties", "{\"minProperties\": 1}", "{}", 0, "1:1 schema ", "at least 1 property"},
    {"patternProperties", "{\"patternProperties\": {\"^[0-9]+$\": {\"type\": \"integer\"}}}",
     "{\"10\": \"x\", \"a\": \"x\"}", 0, "1:8 schema /10", NULL},
    {"dependencies names", "{\"dependencies\": {\"a\": [\"b\"]}}", "{\"a\": 1}", 0, "1:1 schema ",
     "property \"a\" requires property \"b\""},
    {"dependencies schema", "{\"dependencies\": {\"a\": {\"required\": [\"c\"]}}}", "{\"a\": 1}", 0,
     "1:1 schema ", "missing required property \"c\""},
    {"pointer escapes", "{\"properties\": {\"a/b~c\": {\"type\": \"string\"}}}", "{\"a/b~c\": 1}",
     0, "1:11 schema /a~1b~0c", NULL},
    /* combinators */
    {"allOf", "{\"allOf\": [{\"type\": \"integer\"}, {\"minimum\": 3}]}", "2", 0, "1:1 schema ",
     "at least 3"},
    {"allOf twice, one finding",
     "{\"definitions\": {\"i\": {\"type\": \"integer\"}}, \"allOf\": [{\"$ref\": "
     "\"#/definitions/i\"}, {\"$ref\": \"#/definitions/i\"}]}",
     "\"x\"", 0, "1:1 schema ", NULL},
    {"anyOf by type", "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"object\"}]}", "5", 0,
     "1:1 schema ", "expected an object or a string, found the number 5"},
    {"anyOf closest",
     "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\", \"minimum\": 3}]}", "2", 0,
     "1:1 schema ", "at least 3"},
    {"oneOf two match", "{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}", "3", 0,
     "1:1 schema ", "matches more than one alternative of #/oneOf (0 and 1)"},
    {"oneOf fewest errors",
     "{\"oneOf\": [{\"required\": [\"a\", \"b\"]}, {\"required\": [\"a\", \"c\", \"d\"]}]}",
     "{\"a\": 1}", 0, "1:1 schema ", "\"b\""},
    {"not", "{\"not\": {\"type\": \"string\"}}", "\"x\"", 0, "1:1 schema ",
     "matches the schema under #/not"},
    /* $ref and id */
    {"ref escaped pointer",
     "{\"definitions\": {\"a b\": {\"type\": \"integer\"}, \"c/d\": {\"type\": \"string\"}}, "
     "\"properties\": {\"x\": {\"$ref\": \"#/definitions/a%20b\"}, \"y\": {\"$ref\": "
     "\"#/definitions/c~1d\"}}}",
     "{\"x\": \"s\", \"y\": 1}", 0, "1:7 schema /x; 1:17 schema /y", NULL},
    {"recursive schema",
     "{\"definitions\": {\"node\": {\"properties\": {\"children\": {\"items\": {\"$ref\": "
     "\"#/definitions/node\"}}, \"v\": {\"type\": \"integer\"}}}}, \"$ref\": "
     "\"#/definitions/node\"}",
     "v: 1\nchildren:\n  - v: 2\n    children:\n      - v: x\n", 1,
     "5:12 schema /children/0/children/0/v", NULL},
    {"id scoping",
     "{\"id\": \"http://example.com/root.json\", \"definitions\": {\"a\": {\"id\": "
     "\"sub/a.json\", \"type\": \"integer\"}, \"b\": {\"id\": \"#bee\", \"type\": \"string\"}}, "
     "\"properties\": {\"x\": {\"$ref\": \"sub/a.json\"}, \"y\": {\"$ref\": \"#bee\"}, \"z\": "
     "{\"$ref\": \"http://example.com/sub/a.json#\"}}}",
     "{\"x\": \"s\", \"y\": 1, \"z\": 1.5}", 0, "1:7 schema /x; 1:17 schema /y; 1:25 schema /z",
     NULL},
    {"meta-schema by ref", "{\"$ref\": \"http://json-schema.org/draft-04/schema#\"}",
     "{\"type\": \"int\"}", 0, "1:10 schema /type", NULL},
    /* problems of the schema */
    {"invalid pattern", "{\n  \"pattern\": \"a(\"\n}", "\"x\"", 0, "S2:14 schema-invalid /pattern",
     "missing closing parenthesis (at byte 2 of the pattern)"},
    {"invalid patternProperties",
     "{\"patternProperties\": {\"[z-a]\": {}}, \"properties\": {\"k\": {\"type\": \"string\"}}}",
     "{\"k\": 1}", 0, "1:7 schema /k; S1:24 schema-invalid /patternProperties/[z-a]",
     "range out of order"},
    {"non-ECMA pattern", "{\"pattern\": \"a++\"}", "\"aa\"", 0, "S1:13 schema-invalid /pattern",
     "ECMA-262"},
    {"unresolvable ref", "{\"$ref\": \"#/definitions/nope\"}", "1", 0, "S1:10 schema-invalid /$ref",
     "names no member"},
    {"remote ref offline", "{\"properties\": {\"a\": {\"$ref\": \"https://example.com/s.json\"}}}",
     "{\"a\": 1}", 0, "S1:31 schema-invalid /properties/a/$ref",
     "not available offline (swaggate never uses the network); register it or map its prefix"},
    {"ref to an unknown scheme", "{\"$ref\": \"file:///etc/passwd\"}", "1", 0,
     "S1:10 schema-invalid /$ref", "no schema is known by this URI"},
    {"ref cycle",
     "{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"}, \"b\": {\"$ref\": "
     "\"#/definitions/a\"}}, \"properties\": {\"x\": {\"$ref\": \"#/definitions/a\"}}}",
     "{\"x\": 1}", 0, "S1:32 schema-invalid /definitions/a/$ref",
     "$ref cycle with no schema in between: #/definitions/a -> #/definitions/b -> "
     "#/definitions/a"},
    {"self ref", "{\"$ref\": \"#\"}", "1", 0, "S1:10 schema-invalid /$ref", "cycle"},
    {"recursion without progress", "{\"anyOf\": [{\"type\": \"null\"}, {\"$ref\": \"#\"}]}", "1", 0,
     "1:1 schema ; S1:1 schema-invalid ", "applies itself again to the same value"},
    {"meta checks",
     "{\"type\": \"int\", \"multipleOf\": 0, \"minimum\": \"5\", \"maxLength\": -1, "
     "\"exclusiveMaximum\": true, \"required\": [], \"enum\": [1, 1.0], \"items\": 3}",
     "1", 0,
     "S1:10 schema-invalid /type; S1:31 schema-invalid /multipleOf; S1:45 schema-invalid "
     "/minimum; S1:63 schema-invalid /maxLength; S1:87 schema-invalid /exclusiveMaximum; "
     "S1:105 schema-invalid /required; S1:121 schema-invalid /enum; S1:136 schema-invalid /items",
     "unknown type \"int\" in type; expected array, boolean, integer, null, number, object or "
     "string (did you mean \"integer\"?)"},
    {"schema not an object", "{\"properties\": {\"a\": 5}}", "{\"a\": 1}", 0,
     "S1:22 schema-invalid /properties/a", "a schema must be an object"},
};

START_TEST(test_table)
{
    const scase *c = &cases[_i];
    char *msgs = NULL;
    char *got =
        check("s.json", c->schema, c->iyaml ? "i.yaml" : "i.json", c->instance, NULL, &msgs);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: \"%s\", expected \"%s\" (%s)", c->name, got,
                  c->want, msgs);
    if (c->msg)
        ck_assert_msg(contains(msgs, c->msg), "%s: messages \"%s\" lack \"%s\"", c->name, msgs,
                      c->msg);
    free(got);
    free(msgs);
}
END_TEST

/* ---- Swagger 2.0: one finding per mistake, from the closest alternative -- */

#define HEAD "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"

static const scase swagger_cases[] = {
    {"clean", NULL, HEAD "paths: {}\n", 1, "", NULL},
    {"query parameter type", NULL,
     HEAD "paths:\n  /x:\n    get:\n      parameters:\n        - {name: x, in: query, type: "
          "strin}\n      responses:\n        200: {description: ok}\n",
     1, "7:38 schema /paths/~1x/get/parameters/0/type",
     "expected one of \"string\", \"number\", \"boolean\", \"integer\", \"array\", found the "
     "string \"strin\" (did you mean \"string\"?)"},
    /* "in" decides every parameter branch; "required": [true] only the path
     * branch: the path branch is the one to blame. */
    {"path parameter not required", NULL,
     HEAD "paths:\n  /x/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, "
          "type: string, required: false}\n      responses:\n        200: {description: ok}\n",
     1, "7:56 schema /paths/~1x~1{id}/get/parameters/0/required",
     "expected true, found the boolean false"},
    {"body parameter without schema", NULL,
     HEAD "paths:\n  /x:\n    post:\n      parameters:\n        - {name: x, in: body}\n      "
          "responses:\n        200: {description: ok}\n",
     1, "7:11 schema /paths/~1x/post/parameters/0", "missing required property \"schema\""},
    {"parameter location", NULL,
     HEAD "paths:\n  /x:\n    get:\n      parameters:\n        - {name: x, in: cookie, type: "
          "string}\n      responses:\n        200: {description: ok}\n",
     1, "7:25 schema /paths/~1x/get/parameters/0/in",
     "expected one of \"header\", \"formData\", \"query\", \"path\", found the string \"cookie\""},
    {"security type", NULL, HEAD "paths: {}\nsecurityDefinitions:\n  a: {type: oauth3}\n", 1,
     "5:13 schema /securityDefinitions/a/type",
     "expected one of \"basic\", \"apiKey\", \"oauth2\", found the string \"oauth3\""},
    {"security apiKey in", NULL,
     HEAD "paths: {}\nsecurityDefinitions:\n  a: {type: apiKey, name: k, in: cookie}\n", 1,
     "5:34 schema /securityDefinitions/a/in", "expected one of \"header\", \"query\""},
    {"response reference with a sibling", NULL,
     HEAD "paths:\n  /x:\n    get:\n      responses:\n        200: {$ref: '#/responses/ok', "
          "description: d}\nresponses:\n  ok: {description: ok}\n",
     1, "7:39 schema /paths/~1x/get/responses/200/description", "not allowed next to \"$ref\""},
    {"misspelt operation field", NULL,
     HEAD "paths:\n  /x:\n    get:\n      respones:\n        200: {description: ok}\n", 1,
     "6:7 schema /paths/~1x/get/respones", "(did you mean \"responses\"?)"},
    {"version number", NULL, "swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n", 1,
     "1:10 schema /swagger", "quote it: \"2.0\""},
};

START_TEST(test_swagger)
{
    const scase *c = &swagger_cases[_i];
    char *msgs = NULL;
    char *got = check(NULL, NULL, "i.yaml", c->instance, NULL, &msgs);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s: \"%s\", expected \"%s\" (%s)", c->name, got,
                  c->want, msgs);
    if (c->msg)
        ck_assert_msg(contains(msgs, c->msg), "%s: messages \"%s\" lack \"%s\"", c->name, msgs,
                      c->msg);
    free(got);
    free(msgs);
}
END_TEST

/* ---- compiled schemas kept by a set ----------------------------------- */

typedef struct counting {
    long calls;
} counting;

static void *c_malloc(void *ud, size_t n)
{
    ((counting *)ud)->calls++;
    return malloc(n);
}

static void *c_realloc(void *ud, void *p, size_t n)
{
    ((counting *)ud)->calls++;
    return realloc(p, n);
}

static void c_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* Run FN's validation with SET and OPTS (its hooks count into *C): the
 * findings, and the allocations the run made in *CALLS. */
static char *counted_lint(sg_schema_set *set, sg_options *o, counting *c, const char *text,
                          long *calls, int whole)
{
    sg_document *in = parse("i.yaml", text);
    sg_diagnostics *d = sg_diagnostics_new();
    o->schemas = set;
    c->calls = 0;
    ck_assert_int_eq(whole ? sg_lint(in, o, d) : sg_schema_validate(set, NULL, in, o, d), SG_OK);
    *calls = c->calls;
    sg_diagnostics_sort(d);
    char *msgs = NULL, *got = notation(d, "s.json", &msgs);
    size_t n = strlen(got) + strlen(msgs ? msgs : "") + 2;
    char *all = malloc(n);
    snprintf(all, n, "%s|%s", got, msgs ? msgs : "");
    free(got);
    free(msgs);
    sg_diagnostics_free(d);
    sg_document_free(in);
    return all;
}

/* A set keeps the compiled Swagger schema (and lint's apig schema) from one
 * validation to the next: the findings stay the same, the compilation is
 * not repeated (fewer allocations through the hooks), and other limits or
 * a schema added to the set make it compile anew. */
START_TEST(test_kept_compiled)
{
    static const char text[] =
        HEAD "paths:\n  /x:\n    get:\n      respones:\n        200: {description: ok}\n"
             "      x-apigateway-backend: {type: HTTP, httpEndpoints: {address: 'a', timeout: "
             "-1}}\n";
    for (int whole = 0; whole < 2; whole++) {
        counting c = {0};
        sg_allocator al = {c_malloc, c_realloc, c_free, &c};
        sg_options o;
        sg_options_init(&o);
        o.allocator = &al;
        sg_schema_set *set = sg_schema_set_new();
        long first, second, third;
        char *a = counted_lint(set, &o, &c, text, &first, whole);
        char *b = counted_lint(set, &o, &c, text, &second, whole);
        ck_assert_str_eq(a, b);
        ck_assert_msg(second < first, "kept: %ld allocations, then %ld", first, second);
        ck_assert_ptr_nonnull(strstr(a, "respones"));
        free(b);
        o.limits.excerpt_chars = 70; /* other limits: compiled for the run only */
        b = counted_lint(set, &o, &c, text, &third, whole);
        ck_assert_str_eq(a, b);
        ck_assert_msg(third > second, "other limits: %ld allocations, kept %ld", third, second);
        free(b);
        sg_options_init(&o); /* the first limits again: still kept */
        o.allocator = &al;
        b = counted_lint(set, &o, &c, text, &third, whole);
        ck_assert_str_eq(a, b);
        ck_assert_int_eq(third, second);
        free(b);
        sg_document *extra = parse("x.json", "{\"type\": \"string\"}");
        ck_assert_int_eq(sg_schema_set_add(set, "http://example.com/x.json", extra), SG_OK);
        b = counted_lint(set, &o, &c, text, &third, whole);
        ck_assert_str_eq(a, b);
        ck_assert_msg(third > second, "after an add: %ld allocations, kept %ld", third, second);
        free(b);
        free(a);
        sg_schema_set_free(set);
        sg_document_free(extra);
    }
}
END_TEST

/* ---- the store -------------------------------------------------------- */

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void make_tree(void)
{
    char path[256];
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/sg-schema-test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(path, sizeof path, "%s/in", tmpdir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    write_file("in/int.json",
               "{\"type\": \"integer\", \"definitions\": {\"s\": {\"type\": \"string\"}}}");
    write_file("in/chain.yaml", "$ref: 'int.json'\n");
    write_file("in/bad.json", "{\"type\": ");
    write_file("secret.json", "{\"type\": \"null\"}");
}

static void remove_tree(void)
{
    static const char *const files[] = {
        "in/int.json", "in/chain.yaml", "in/bad.json", "secret.json", "in", ""};
    char path[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
        (i >= 4 ? rmdir : unlink)(path);
    }
}

/* Validate INSTANCE against SCHEMA with SET; the notation. */
static char *with_set(sg_schema_set *set, const char *schema, const char *instance,
                      const sg_options *opts, char **msgs)
{
    sg_document *s = parse("s.json", schema), *in = parse("i.json", instance);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(set, s, in, opts, d), SG_OK);
    sg_diagnostics_sort(d);
    char *got = notation(d, "s.json", msgs);
    sg_diagnostics_free(d);
    sg_document_free(s);
    sg_document_free(in);
    return got;
}

START_TEST(test_mapped)
{
    sg_schema_set *set = sg_schema_set_new();
    char dir[128], *got, *msgs;
    make_tree();
    snprintf(dir, sizeof dir, "%s/in", tmpdir);
    ck_assert_int_eq(sg_schema_set_map(set, "http://schemas.test/v1/", dir), SG_OK);

    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/int.json\"}", "\"x\"", NULL, NULL);
    ck_assert_str_eq(got, "1:1 schema ");
    free(got);
    /* a fragment into it, and a YAML file whose relative ref reaches it */
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/int.json#/definitions/s\"}", "1", NULL,
                   NULL);
    ck_assert_str_eq(got, "1:1 schema ");
    free(got);
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/chain.yaml\"}", "1", NULL, NULL);
    ck_assert_str_eq(got, "");
    free(got);
    /* never out of the folder, however spelt */
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/%2e%2e/secret.json\"}", "1", NULL,
                   &msgs);
    ck_assert_str_eq(got, "S1:10 schema-invalid /$ref");
    ck_assert_msg(contains(msgs, "leaves the folder mapped"), "%s", msgs);
    free(got);
    free(msgs);
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/missing.json\"}", "1", NULL, &msgs);
    ck_assert_msg(contains(msgs, "cannot be opened"), "%s", msgs);
    free(got);
    free(msgs);
    /* an unusable file: its own diagnostics, and the ref says so */
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/bad.json\"}", "1", NULL, &msgs);
    ck_assert_msg(contains(got, "json-syntax") && contains(got, "S1:10 schema-invalid /$ref"), "%s",
                  got);
    ck_assert_msg(contains(msgs, "not usable"), "%s", msgs);
    free(got);
    free(msgs);
    /* schema-documents bounds the documents one validation uses */
    sg_options opts;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "schema-documents", 1), SG_OK);
    got = with_set(set, "{\"$ref\": \"http://schemas.test/v1/int.json\"}", "1", &opts, &msgs);
    ck_assert_msg(contains(msgs, "more than 1 schema documents"), "%s", msgs);
    free(got);
    free(msgs);

    ck_assert_int_eq(sg_schema_set_map(set, "http://x.test/", "/no/such/dir"), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_map(set, "relative/", dir), SG_EUSAGE);
    sg_schema_set_free(set);
    remove_tree();
}
END_TEST

START_TEST(test_registered)
{
    sg_schema_set *set = sg_schema_set_new();
    sg_document *lib =
        parse("lib.json", "{\"definitions\": {\"pos\": {\"minimum\": 0}}, "
                          "\"properties\": {\"a\": {\"id\": \"#a\", \"type\": \"string\"}}}");
    ck_assert_int_eq(sg_schema_set_add(set, "http://lib.test/lib.json", lib), SG_OK);
    ck_assert_int_eq(sg_schema_set_add(set, "http://lib.test/lib.json", lib), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_add(set, "lib.json", lib), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_add(set, "http://lib.test/x#frag", lib), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_add(set, "http://json-schema.org/draft-04/schema#", lib),
                     SG_EUSAGE);
    char *got = with_set(set,
                         "{\"items\": [{\"$ref\": \"http://lib.test/lib.json#/definitions/pos\"}, "
                         "{\"$ref\": \"http://lib.test/lib.json#a\"}]}",
                         "[-1, 2]", NULL, NULL);
    ck_assert_str_eq(got, "1:2 schema /0; 1:6 schema /1");
    free(got);
    /* A registered schema as the root: findings in it are positioned in it. */
    sg_document *in = parse("i.json", "{\"a\": 5}");
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(set, lib, in, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->pointer, "/a");
    sg_diagnostics_free(d);
    /* ids of one validation's root do not stay in the set */
    sg_document *s1 = parse("s1.json", "{\"id\": \"http://tmp.test/s1\", \"type\": \"string\"}");
    sg_document *s2 = parse("s2.json", "{\"$ref\": \"http://tmp.test/s1\"}");
    d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(set, s1, in, NULL, d), SG_OK);
    ck_assert_int_eq(sg_schema_validate(set, s2, in, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_str_eq(sg_diagnostics_get(d, 1)->rule, "schema-invalid");
    sg_diagnostics_free(d);
    sg_document_free(s1);
    sg_document_free(s2);
    sg_document_free(in);
    sg_schema_set_free(set);
    sg_document_free(lib);
}
END_TEST

START_TEST(test_uri_resolve)
{
    static const char *const rows[][3] = {
        /* RFC 3986 section 5.4 */
        {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
        {"http://a/b/c/d;p?q", "/g", "http://a/g"},
        {"http://a/b/c/d;p?q", "//g", "http://g"},
        {"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
        {"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
        {"http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"},
        {"http://a/b/c/d;p?q", "..", "http://a/b/"},
        {"http://a/b/c/d;p?q", "../..", "http://a/"},
        {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
        {"http://a/b/c/d;p?q", "/./g", "http://a/g"},
        {"http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h"},
        {"http://a/b/c/d;p?q", "g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"http://a/b/c/d;p?q", "g:h", "g:h"},
        {"http://localhost:1234/", "baseUriChange/", "http://localhost:1234/baseUriChange/"},
        {"file:///c:/folder/file.json", "#/definitions/foo",
         "file:///c:/folder/file.json#/definitions/foo"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *r = sgi_uri_resolve(rows[i][0], rows[i][1]);
        ck_assert_msg(r && strcmp(r, rows[i][2]) == 0, "%s + %s = %s, expected %s", rows[i][0],
                      rows[i][1], r, rows[i][2]);
        free(r);
    }
}
END_TEST

/* ---- limits and arguments ----------------------------------------------- */

START_TEST(test_limits)
{
    sg_options opts;
    char *got, *msgs;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "ref-hops", 2), SG_OK);
    got = check(
        "s.json",
        "{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"}, \"b\": {\"$ref\": "
        "\"#/definitions/c\"}, \"c\": {\"type\": \"string\"}}, \"$ref\": \"#/definitions/a\"}",
        "i.json", "1", &opts, &msgs);
    ck_assert_str_eq(got, "S1:120 schema-invalid /$ref");
    ck_assert_msg(contains(msgs, "more than 2 $ref hops to reach a schema (# -> #/definitions/a "
                                 "-> #/definitions/b -> ...)"),
                  "%s", msgs);
    free(got);
    free(msgs);

    /* findings over the diagnostics limit are counted */
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "diagnostics", 2), SG_OK);
    sg_schema_set *set = sg_schema_set_new();
    sg_document *s = parse("s.json", "{\"items\": {\"type\": \"string\"}}");
    sg_document *in = parse("i.json", "[1, 2, 3, 4, 5]");
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(set, s, in, &opts, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 5);
    sg_diagnostics_free(d);

    /* multipleOf that would cost too much to decide exactly */
    sgi_buf big = {0}, sch = {0};
    sgi_buf_puts(&big, "1");
    for (int i = 0; i < 30000; i++)
        sgi_buf_puts(&big, "7");
    sgi_buf_puts(&sch, "{\"multipleOf\": 1.");
    for (int i = 0; i < 999; i++)
        sgi_buf_puts(&sch, "0");
    sgi_buf_puts(&sch, "3}");
    got = check("s.json", sch.data, "i.json", big.data, NULL, &msgs);
    ck_assert_str_eq(got, "1:1 schema ");
    ck_assert_msg(contains(msgs, "cannot decide exactly"), "%s", msgs);
    free(got);
    free(msgs);
    sgi_buf_fini(&big);
    sgi_buf_fini(&sch);

    /* nested alternatives over a deep value: bounded work, one finding */
    sgi_buf deep = {0};
    for (int i = 0; i < 60; i++)
        sgi_buf_puts(&deep, "{\"a\": ");
    sgi_buf_puts(&deep, "5");
    for (int i = 0; i < 60; i++)
        sgi_buf_puts(&deep, "}");
    got = check("s.json",
                "{\"type\": \"object\", \"anyOf\": [{\"properties\": {\"a\": {\"$ref\": \"#\"}}}, "
                "{\"properties\": {\"a\": {\"$ref\": \"#\"}}, \"required\": [\"zz\"]}]}",
                "i.json", deep.data, NULL, &msgs);
    ck_assert_str_eq(
        got, "1:361 schema /a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/"
             "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a");
    free(got);
    free(msgs);
    /* and where memory of results cannot help, the step budget stops it */
    got = check("s.json",
                "{\"anyOf\": [{\"allOf\": [{\"$ref\": \"#/definitions/f\"}]}, {\"allOf\": "
                "[{\"$ref\": \"#/definitions/f\"}], \"required\": [\"zz\"]}], \"definitions\": "
                "{\"f\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": "
                "\"#/definitions/f\"}}, \"patternProperties\": {\"^a$\": {\"$ref\": "
                "\"#/definitions/f\"}}}}}",
                "i.json", deep.data, NULL, &msgs);
    ck_assert_msg(contains(msgs, "validation stopped after"), "%s", msgs);
    free(got);
    free(msgs);
    sgi_buf_fini(&deep);

    /* arguments */
    d = sg_diagnostics_new();
    ck_assert_int_eq(sg_schema_validate(NULL, s, in, NULL, d), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_validate(set, s, NULL, NULL, d), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_validate(set, s, in, NULL, NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_add(NULL, "http://x/", s), SG_EUSAGE);
    ck_assert_int_eq(sg_schema_set_map(set, NULL, "/"), SG_EUSAGE);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sg_diagnostics_free(d);
    sg_schema_set_free(NULL);
    sg_document_free(s);
    sg_document_free(in);
    sg_schema_set_free(set);
}
END_TEST

/* A set is reused across validations, and the document is not changed. */
START_TEST(test_reuse)
{
    static const char in_text[] = HEAD "paths:\n  /x:\n    get:\n      responses: {}\n";
    sg_schema_set *set = sg_schema_set_new();
    sg_document *in = parse("i.yaml", in_text);
    sgi_buf before = {0}, after = {0};
    sgi_emit_json(&before, sg_document_root(in), -1);
    sg_diagnostics *d = sg_diagnostics_new();
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(sg_schema_validate(set, NULL, in, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 3);
    ck_assert_str_eq(sg_diagnostics_get(d, 2)->message, sg_diagnostics_get(d, 0)->message);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->pointer, "/paths/~1x/get/responses");
    sgi_emit_json(&after, sg_document_root(in), -1);
    ck_assert_str_eq(before.data, after.data);
    sgi_buf_fini(&before);
    sgi_buf_fini(&after);
    sg_diagnostics_free(d);
    sg_document_free(in);
    sg_schema_set_free(set);
}
END_TEST

/* uniqueItems settles most arrays by fingerprints: items that share one
 * without being equal (same values under other keys; long texts equal at
 * both ends and in the middle, many of them) are still told apart, and the
 * repeats found as before. */
START_TEST(test_unique_fingerprints)
{
    static const char *const small[][3] = {
        {"[{\"a\": 1, \"b\": 2}, {\"a\": 2, \"b\": 1}]", "", NULL},
        {"[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1.0}]", "1:20 schema /1",
         "item 1 repeats item 0"},
        {"[\"AAAAAAAA0xMMMMMMMMy0ZZZZZZZZ\", \"AAAAAAAA1xMMMMMMMMy1ZZZZZZZZ\", "
         "\"AAAAAAAA0xMMMMMMMMy0ZZZZZZZZ\"]",
         "1:66 schema /2", "item 2 repeats item 0"},
    };
    for (size_t k = 0; k < sizeof small / sizeof small[0]; k++) {
        char *msgs = NULL;
        char *got = check("s.json", "{\"uniqueItems\": true}", "i.json", small[k][0], NULL, &msgs);
        ck_assert_msg(strcmp(got, small[k][1]) == 0, "%zu: \"%s\" (%s)", k, got, msgs);
        if (small[k][2])
            ck_assert_msg(contains(msgs, small[k][2]), "%zu: %s", k, msgs);
        free(got);
        free(msgs);
    }
    /* 21 strings of one fingerprint, one line each; item 15 repeats item 3 */
    sgi_buf in = {0};
    sgi_buf_puts(&in, "[\n");
    for (int i = 0; i < 20; i++) {
        if (i == 15)
            sgi_buf_printf(&in, "\"AAAAAAAA%02dxMMMMMMMMy%02dZZZZZZZZ\",\n", 3, 3);
        sgi_buf_printf(&in, "\"AAAAAAAA%02dxMMMMMMMMy%02dZZZZZZZZ\"%s\n", i, i, i < 19 ? "," : "");
    }
    sgi_buf_puts(&in, "]\n");
    char *msgs = NULL;
    char *got = check("s.json", "{\"uniqueItems\": true}", "i.json", in.data, NULL, &msgs);
    ck_assert_msg(strcmp(got, "17:1 schema /15") == 0, "\"%s\" (%s)", got, msgs);
    ck_assert_msg(contains(msgs, "item 15 repeats item 3"), "%s", msgs);
    free(got);
    free(msgs);
    sgi_buf_fini(&in);
}
END_TEST

/* Alternatives that an enum on a property rules out are set aside without
 * being checked (past the first few hundred steps): the verdicts, the
 * closest alternative's findings and a loop in an alternative come out as
 * when each alternative is checked. */
START_TEST(test_alternatives_ruled_out)
{
    static const char schema[] =
        "{\"definitions\": {"
        "\"A\": {\"properties\": {\"kind\": {\"enum\": [\"a\"]}, \"n\": {\"type\": \"integer\"}},"
        " \"required\": [\"kind\"]},"
        "\"B\": {\"properties\": {\"kind\": {\"enum\": [\"b\"]}, \"n\": {\"type\": \"string\"}},"
        " \"required\": [\"kind\"]},"
        "\"D\": {\"properties\": {\"kind\": {\"enum\": [\"d\"]}}, \"allOf\": [{\"$ref\": \"#/definitions/D\"}]}},"
        "\"items\": {\"oneOf\": [{\"$ref\": \"#/definitions/A\"}, {\"$ref\": \"#/definitions/B\"},"
        " {\"$ref\": \"#/definitions/D\"}]}}";
    static const char want[] = "302:7 schema /300/n; 303:18 schema /301/kind; 304:1 schema /302; "
                               "S1:212 schema-invalid /definitions/D";
    static const char want_msgs[] =
        "expected an integer, found the string \"x\" | expected one of \"a\", \"b\", \"d\", found "
        "the string \"c\" | does not match any alternative of #/items/oneOf | this schema "
        "applies itself again";
    sgi_buf in = {0};
    sgi_buf_puts(&in, "[\n");
    for (int i = 0; i < 300; i++)
        sgi_buf_puts(&in, i % 2 ? "{\"n\": \"x\", \"kind\": \"b\"},\n" : "{\"n\": 1, \"kind\": \"a\"},\n");
    sgi_buf_puts(&in, "{\"n\": \"x\", \"kind\": \"a\"},\n");
    sgi_buf_puts(&in, "{\"n\": 2, \"kind\": \"c\"},\n");
    sgi_buf_puts(&in, "{\"kind\": \"d\"}\n]\n");
    char *msgs = NULL;
    char *got = check("s.json", schema, "i.json", in.data, NULL, &msgs);
    ck_assert_msg(strcmp(got, want) == 0, "\"%s\" (%s)", got, msgs);
    ck_assert_msg(contains(msgs, want_msgs), "%s", msgs);
    free(got);
    free(msgs);
    sgi_buf_fini(&in);
}
END_TEST

Suite *suite_schema(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("keywords");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_unique_fingerprints);
    tcase_add_test(tc, test_alternatives_ruled_out);
    suite_add_tcase(s, tc);
    tc = tcase_create("swagger");
    tcase_add_loop_test(tc, test_swagger, 0, (int)(sizeof swagger_cases / sizeof swagger_cases[0]));
    tcase_add_test(tc, test_reuse);
    suite_add_tcase(s, tc);
    tc = tcase_create("store");
    tcase_add_test(tc, test_mapped);
    tcase_add_test(tc, test_registered);
    tcase_add_test(tc, test_kept_compiled);
    tcase_add_test(tc, test_uri_resolve);
    tcase_add_test(tc, test_limits);
    suite_add_tcase(s, tc);
    return s;
}
