/* Unit tests of the builder (src/builder.c), through the real readers
 * (sg_document_parse with "x.yaml" / "x.json") and through hand-made event
 * sequences.
 *
 * The main table gives, for one input: the expected status, the model as
 * compact JSON (sgi_emit_json) and the diagnostics as a list of
 * "LINE:COL severity rule" joined by "; ", with " (LINE:COL)" after a
 * diagnostic that has a related location. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <json-c/json.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* The diagnostics of D in the table's notation. Caller frees. */
static char *diag_list(const sg_diagnostics *d)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "");
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        sgi_buf_printf(&b, "%s%u:%u %s %s", i ? "; " : "", g->start.line, g->start.column,
                       sg_severity_name(g->severity), g->rule);
        if (g->has_related)
            sgi_buf_printf(&b, " (%u:%u)", g->related.line, g->related.column);
    }
    ck_assert(!b.oom);
    return b.data;
}

static char *compact(struct json_object *v)
{
    sgi_buf b = {0};
    sgi_emit_json(&b, v, -1);
    ck_assert(!b.oom);
    ck_assert_ptr_nonnull(b.data);
    return b.data;
}

typedef struct result {
    sg_status status;
    char *json;  /* NULL unless SG_OK */
    char *diags; /* diag_list */
    sg_diagnostics *d;
} result;

static result parse_opts(const char *name, const char *in, size_t len, const sg_options *opts)
{
    result r;
    sg_document *doc = NULL;
    r.d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(r.d);
    r.status = sg_document_parse(name, in, len, opts, r.d, &doc);
    r.json = NULL;
    if (r.status == SG_OK) {
        ck_assert_ptr_nonnull(doc);
        r.json = compact(sg_document_root(doc));
    } else {
        ck_assert_ptr_null(doc);
    }
    r.diags = diag_list(r.d);
    sg_document_free(doc);
    return r;
}

static result parse_limit(const char *name, const char *in, size_t len, const char *limit,
                          uint64_t value)
{
    sg_options opts;
    sg_options_init(&opts);
    if (limit)
        ck_assert_int_eq(sg_limits_set(&opts.limits, limit, value), SG_OK);
    return parse_opts(name, in, len, &opts);
}

static void result_free(result *r)
{
    free(r->json);
    free(r->diags);
    sg_diagnostics_free(r->d);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long max_rss_kb(void)
{
    struct rusage ru;
    ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* A string of N copies of S. Caller frees. */
static char *repeat(const char *s, size_t n)
{
    size_t k = strlen(s);
    char *r = malloc(k * n + 1);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < n; i++)
        memcpy(r + i * k, s, k);
    r[k * n] = '\0';
    return r;
}

static char *concat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *r = malloc(n);
    ck_assert_ptr_nonnull(r);
    snprintf(r, n, "%s%s%s", a, b, c);
    return r;
}

/* ---- the table -------------------------------------------------------------- */

typedef struct bcase {
    const char *name;
    const char *file; /* "x.yaml" or "x.json": picks the reader */
    const char *in;
    sg_status status;
    const char *json;  /* compact model, for SG_OK */
    const char *diags; /* "" for none */
    const char *msg;   /* optional: part of the first diagnostic's message */
} bcase;

#define Y "x.yaml"
#define J "x.json"
#define D100                                                                                      \
    "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901" \
    "234567890"

static const bcase cases[] = {
    /* -- YAML 1.2 core schema: null -- */
    {"null word", Y, "a: null\n", SG_OK, "{\"a\":null}", "", NULL},
    {"null tilde", Y, "a: ~\n", SG_OK, "{\"a\":null}", "", NULL},
    {"null Null", Y, "a: Null\n", SG_OK, "{\"a\":null}", "", NULL},
    {"null NULL", Y, "a: NULL\n", SG_OK, "{\"a\":null}", "", NULL},
    {"null empty", Y, "a:\nb: 1\n", SG_OK, "{\"a\":null,\"b\":1}", "", NULL},
    {"nUll is a string", Y, "a: nUll\n", SG_OK, "{\"a\":\"nUll\"}", "", NULL},
    {"quoted empty is a string", Y, "a: ''\n", SG_OK, "{\"a\":\"\"}", "", NULL},
    /* -- booleans -- */
    {"booleans", Y, "[true, True, TRUE, false, False, FALSE]\n", SG_OK,
     "[true,true,true,false,false,false]", "", NULL},
    {"tRUE is a string", Y, "a: tRUE\n", SG_OK, "{\"a\":\"tRUE\"}", "", NULL},
    {"yaml 1.1 booleans are strings", Y, "[yes, no, on, off, Yes, OFF, y, n]\n", SG_OK,
     "[\"yes\",\"no\",\"on\",\"off\",\"Yes\",\"OFF\",\"y\",\"n\"]",
     "1:2 warning yaml-1.1-scalar; 1:7 warning yaml-1.1-scalar; 1:11 warning yaml-1.1-scalar; "
     "1:15 warning yaml-1.1-scalar; 1:20 warning yaml-1.1-scalar; 1:25 warning yaml-1.1-scalar; "
     "1:30 warning yaml-1.1-scalar; 1:33 warning yaml-1.1-scalar",
     "yes"},
    {"yes quoted: no warning", Y, "a: 'yes'\nb: \"on\"\n", SG_OK, "{\"a\":\"yes\",\"b\":\"on\"}",
     "", NULL},
    {"yes as a key: no warning", Y, "yes: 1\n", SG_OK, "{\"yes\":1}", "", NULL},
    /* -- integers -- */
    {"010 is ten, with a warning", Y, "a: 010\n", SG_OK, "{\"a\":10}",
     "1:4 warning yaml-1.1-scalar", "octal"},
    {"08 is eight, with a warning", Y, "a: 08\n", SG_OK, "{\"a\":8}",
     "1:4 warning yaml-1.1-scalar", NULL},
    {"0o17", Y, "a: 0o17\n", SG_OK, "{\"a\":15}", "", NULL},
    {"0x1F", Y, "a: 0x1F\n", SG_OK, "{\"a\":31}", "", NULL},
    {"0xff", Y, "a: 0xff\n", SG_OK, "{\"a\":255}", "", NULL},
    {"0X1F is a string", Y, "a: 0X1F\n", SG_OK, "{\"a\":\"0X1F\"}", "", NULL},
    {"0o8 is a string", Y, "a: 0o8\n", SG_OK, "{\"a\":\"0o8\"}", "", NULL},
    {"hex past 64 bits", Y, "a: 0x10000000000000000\n", SG_OK,
     "{\"a\":\"0x10000000000000000\"}", "1:4 error limit", "64 bits"},
    {"hex uint64 max", Y, "a: 0xFFFFFFFFFFFFFFFF\n", SG_OK, "{\"a\":18446744073709551615}", "",
     NULL},
    {"1_000 is a string, with a warning", Y, "a: 1_000\n", SG_OK, "{\"a\":\"1_000\"}",
     "1:4 warning yaml-1.1-scalar", "underscores"},
    {"+1", Y, "a: +1\n", SG_OK, "{\"a\":1}", "", NULL},
    {"-0 and +0", Y, "[-5, +0, 0]\n", SG_OK, "[-5,0,0]", "", NULL},
    {"1:20 and dates stay strings", Y, "- 1:20\n- 2001-12-14\n", SG_OK,
     "[\"1:20\",\"2001-12-14\"]", "", NULL},
    /* -- floats: exact text in JSON spelling -- */
    {".5", Y, "a: .5\n", SG_OK, "{\"a\":0.5}", "", NULL},
    {"-.5 and +.5", Y, "[-.5, +.5, +1.5]\n", SG_OK, "[-0.5,0.5,1.5]", "", NULL},
    {"1e3 kept as text", Y, "[1e3, 1E3, 1.5e-3, +1e+3]\n", SG_OK, "[1e3,1E3,1.5e-3,1e+3]", "",
     NULL},
    {"1.10 kept", Y, "a: 1.10\n", SG_OK, "{\"a\":1.10}", "", NULL},
    {"2.0 kept", Y, "swagger: 2.0\n", SG_OK, "{\"swagger\":2.0}", "", NULL},
    {"1. is 1", Y, "a: 1.\n", SG_OK, "{\"a\":1}", "", NULL},
    {"leading zeros of floats dropped", Y, "a: 007.5\n", SG_OK, "{\"a\":7.5}", "", NULL},
    {"1e is a string", Y, "a: 1e\n", SG_OK, "{\"a\":\"1e\"}", "", NULL},
    {".inf and .nan", Y, "[.inf, -.Inf, .nan, +.INF]\n", SG_OK,
     "[\".inf\",\"-.Inf\",\".nan\",\"+.INF\"]",
     "1:2 error yaml-non-finite; 1:8 error yaml-non-finite; 1:15 error yaml-non-finite; "
     "1:21 error yaml-non-finite",
     "non-finite"},
    {"quoted .inf is a string", Y, "a: '.inf'\n", SG_OK, "{\"a\":\".inf\"}", "", NULL},
    /* -- big numbers kept exactly -- */
    {"big integers (yaml)", Y,
     "[18446744073709551616, " D100 ", -9223372036854775809, 18446744073709551615, "
     "-9223372036854775808, 9223372036854775807, 9223372036854775808]\n",
     SG_OK,
     "[18446744073709551616," D100 ",-9223372036854775809,18446744073709551615,"
     "-9223372036854775808,9223372036854775807,9223372036854775808]",
     "", NULL},
    {"big integers (json)", J,
     "[18446744073709551616, " D100 ", -9223372036854775809, 18446744073709551615, "
     "-9223372036854775808, 9223372036854775807, 9223372036854775808]\n",
     SG_OK,
     "[18446744073709551616," D100 ",-9223372036854775809,18446744073709551615,"
     "-9223372036854775808,9223372036854775807,9223372036854775808]",
     "", NULL},
    {"json numbers as written", J, "[0, -1, 1.5, 1e3, 1E+2, -0.0, 1.0, 1e400, -1e-400, 0.10]",
     SG_OK, "[0,-1,1.5,1e3,1E+2,-0.0,1.0,1e400,-1e-400,0.10]", "", NULL},
    {"json literals", J, "{\"t\": true, \"f\": false, \"n\": null, \"s\": \"yes\"}", SG_OK,
     "{\"t\":true,\"f\":false,\"n\":null,\"s\":\"yes\"}", "", NULL},
    /* -- quoted and block scalars stay strings -- */
    {"quoted scalars", Y, "[\"true\", '010', \"1e3\", 'null', \"~\", '0x1F']\n", SG_OK,
     "[\"true\",\"010\",\"1e3\",\"null\",\"~\",\"0x1F\"]", "", NULL},
    {"block scalar", Y, "a: |\n  yes\n", SG_OK, "{\"a\":\"yes\\n\"}", "", NULL},
    /* -- tags -- */
    {"!!str 123", Y, "a: !!str 123\n", SG_OK, "{\"a\":\"123\"}", "", NULL},
    {"!!int \"12\"", Y, "a: !!int \"12\"\n", SG_OK, "{\"a\":12}", "", NULL},
    {"!!int abc", Y, "a: !!int abc\n", SG_EINPUT, NULL, "1:4 error yaml-tag", "!!int"},
    {"!!float 1.5", Y, "a: !!float '1.5'\n", SG_OK, "{\"a\":1.5}", "", NULL},
    {"!!bool true", Y, "a: !!bool \"true\"\n", SG_OK, "{\"a\":true}", "", NULL},
    {"!!bool yes", Y, "a: !!bool yes\n", SG_EINPUT, NULL, "1:4 error yaml-tag", NULL},
    {"!!null ''", Y, "a: !!null ''\n", SG_OK, "{\"a\":null}", "", NULL},
    {"non-specific tag", Y, "a: ! 12\n", SG_OK, "{\"a\":\"12\"}", "", NULL},
    {"!custom refused", Y, "a: !custom x\n", SG_OK, "{\"a\":\"x\"}", "1:4 error yaml-tag",
     "!custom"},
    {"!!binary refused", Y, "a: !!binary aGVsbG8=\n", SG_OK, "{\"a\":\"aGVsbG8=\"}",
     "1:4 error yaml-tag", NULL},
    {"!!python/object refused", Y, "a: !!python/object:os.system x\n", SG_OK,
     "{\"a\":\"x\"}", "1:4 error yaml-tag", "python"},
    {"!!python/object on a mapping refused", Y, "a: !!python/object {b: 1}\n", SG_OK,
     "{\"a\":{\"b\":1}}", "1:4 error yaml-tag", NULL},
    {"!!map on a mapping", Y, "a: !!map {b: 1}\n", SG_OK, "{\"a\":{\"b\":1}}", "", NULL},
    {"!!seq on a sequence", Y, "a: !!seq [1]\n", SG_OK, "{\"a\":[1]}", "", NULL},
    {"!!seq on a mapping refused", Y, "a: !!seq {b: 1}\n", SG_OK, "{\"a\":{\"b\":1}}",
     "1:4 error yaml-tag", NULL},
    {"!custom on a key refused", Y, "!custom k: v\n", SG_OK, "{\"k\":\"v\"}",
     "1:1 error yaml-tag", NULL},
    /* -- keys -- */
    {"int key is its text", Y, "200: x\n", SG_OK, "{\"200\":\"x\"}", "", NULL},
    {"200 and \"200\" are duplicates", Y, "200: a\n\"200\": b\n", SG_OK, "{\"200\":\"a\"}",
     "2:1 error duplicate-key (1:1)", "(first at 1:1)"},
    {"scalar keys keep their text", Y, "true: 1\nnull: 2\n~: 3\n1.0: 4\n010: 5\n", SG_OK,
     "{\"true\":1,\"null\":2,\"~\":3,\"1.0\":4,\"010\":5}", "", NULL},
    {"duplicate in flow", Y, "{a: 1, a: 2}\n", SG_OK, "{\"a\":1}",
     "1:8 error duplicate-key (1:2)", NULL},
    {"duplicate in block, three times", Y, "a: 1\nb: 2\na: 3\na: 4\n", SG_OK,
     "{\"a\":1,\"b\":2}", "3:1 error duplicate-key (1:1); 4:1 error duplicate-key (1:1)", NULL},
    {"duplicate path operations", Y, "paths:\n  /p:\n    get: {}\n    get: {x: 1}\n", SG_OK,
     "{\"paths\":{\"/p\":{\"get\":{}}}}", "4:5 error duplicate-key (3:5)", NULL},
    {"duplicate json", J, "{\"a\": 1, \"a\": 2}", SG_OK, "{\"a\":1}",
     "1:10 error duplicate-key (1:2)", NULL},
    {"duplicate json nested", J, "{\"o\": {\n  \"k\": [1],\n  \"k\": {}\n}}", SG_OK,
     "{\"o\":{\"k\":[1]}}", "3:3 error duplicate-key (2:3)", NULL},
    {"json key with NUL ignored", J, "{\"a\\u0000b\": 1, \"c\": 2}", SG_OK, "{\"c\":2}",
     "1:2 error key-nul", "\\u0000"},
    {"json keys with NUL do not collide", J, "{\"a\\u0000x\": 1, \"a\\u0000y\": 2, \"a\": 3}",
     SG_OK, "{\"a\":3}", "1:2 error key-nul; 1:17 error key-nul", NULL},
    {"yaml key with NUL ignored", Y, "\"a\\0b\": 1\nc: 2\n", SG_OK, "{\"c\":2}",
     "1:1 error key-nul", NULL},
    /* (libyaml itself refuses ": x" without '?') */
    {"empty plain key refused", Y, "? \n: x\n", SG_EINPUT, NULL, "1:2 error yaml-key", "empty"},
    {"empty plain key on line 2", Y, "a: 1\n?\n: x\n", SG_EINPUT, NULL, "2:2 error yaml-key",
     NULL},
    {"empty key in flow", Y, "{? : x}\n", SG_EINPUT, NULL, "1:4 error yaml-key", NULL},
    {"quoted empty key allowed", Y, "'': x\n", SG_OK, "{\"\":\"x\"}", "", NULL},
    {"json empty key allowed", J, "{\"\": 1}", SG_OK, "{\"\":1}", "", NULL},
    {"complex key ? [a, b]", Y, "? [a, b]\n: x\n", SG_EINPUT, NULL, "1:3 error yaml-key",
     "sequence"},
    {"complex key in flow", Y, "{[a]: x}\n", SG_EINPUT, NULL, "1:2 error yaml-key", NULL},
    {"mapping as key", Y, "? {a: 1}\n: x\n", SG_EINPUT, NULL, "1:3 error yaml-key", "mapping"},
    {"alias of a scalar as key", Y, "a: &k key\n*k : v\n", SG_OK,
     "{\"a\":\"key\",\"key\":\"v\"}", "", NULL},
    {"anchored key, aliased as value", Y, "&k key: v\nb: *k\n", SG_OK,
     "{\"key\":\"v\",\"b\":\"key\"}", "", NULL},
    {"alias of a collection as key", Y, "a: &k [1]\n*k : v\n", SG_EINPUT, NULL,
     "2:1 error yaml-key", NULL},
    /* The anchored node is the scalar as typed (YAML 1.2): used as a key it
     * is its text, used through an alias as a value it keeps its type. */
    {"anchored key keeps its type as a value", Y, "&k true: v\n&n 10: w\nb: [*k, *n]\n",
     SG_OK, "{\"true\":\"v\",\"10\":\"w\",\"b\":[true,10]}", "", NULL},
    /* ... but as a key it is only text: an anchor must not bring findings
     * that the same key without one does not get (".inf: v" and "yes: w"
     * are fine keys). */
    {"anchored key: no value findings", Y, "&k .inf: v\n&y yes: w\n&z 010: x\n", SG_OK,
     "{\".inf\":\"v\",\"yes\":\"w\",\"010\":\"x\"}", "", NULL},
    {"alias key duplicates", Y, "key: 1\na: &k key\n*k : v\n", SG_OK,
     "{\"key\":1,\"a\":\"key\"}", "3:1 error duplicate-key (1:1)", NULL},
    /* -- anchors and aliases -- */
    {"alias shares the value", Y, "a: &x {b: 1}\nc: *x\n", SG_OK,
     "{\"a\":{\"b\":1},\"c\":{\"b\":1}}", "", NULL},
    {"alias used twice", Y, "a: &x [1, 2]\nb: *x\nc: *x\n", SG_OK,
     "{\"a\":[1,2],\"b\":[1,2],\"c\":[1,2]}", "", NULL},
    {"alias of a scalar", Y, "a: &s 010\nb: *s\n", SG_OK, "{\"a\":10,\"b\":10}",
     "1:4 warning yaml-1.1-scalar", NULL},
    {"alias of null", Y, "a: &n\nb: *n\n", SG_OK, "{\"a\":null,\"b\":null}", "", NULL},
    {"undefined alias", Y, "a: *nope\n", SG_EINPUT, NULL, "1:4 error yaml-alias", "*nope"},
    {"alias before its anchor", Y, "a: *x\nb: &x 1\n", SG_EINPUT, NULL, "1:4 error yaml-alias",
     NULL},
    {"recursive alias in a sequence", Y, "a: &a [*a]\n", SG_EINPUT, NULL,
     "1:8 error yaml-alias", "anchor at 1:4"},
    {"recursive alias in a mapping", Y, "&a {x: *a}\n", SG_EINPUT, NULL, "1:8 error yaml-alias",
     "anchor at 1:1"},
    {"recursive alias, block", Y, "a: &a\n  b:\n    - *a\n", SG_EINPUT, NULL,
     "3:7 error yaml-alias", "anchor at 1:4"},
    {"anchor redefinition: later wins", Y, "a: &x 1\nb: *x\nc: &x 2\nd: *x\n", SG_OK,
     "{\"a\":1,\"b\":1,\"c\":2,\"d\":2}", "", NULL},
    /* -- merge keys -- */
    {"merge, local key after", Y, "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n", SG_OK,
     "{\"base\":{\"x\":1,\"y\":2},\"m\":{\"y\":3,\"x\":1}}", "", NULL},
    {"merge, local key before", Y, "base: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n", SG_OK,
     "{\"base\":{\"x\":1,\"y\":2},\"m\":{\"y\":3,\"x\":1}}", "", NULL},
    {"merge list: earlier wins", Y, "a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm:\n  <<: [*a, *b]\n",
     SG_OK, "{\"a\":{\"x\":1},\"b\":{\"x\":2,\"z\":3},\"m\":{\"x\":1,\"z\":3}}", "", NULL},
    {"merge of an inline mapping", Y, "m: {<<: {a: 1}, b: 2}\n", SG_OK,
     "{\"m\":{\"b\":2,\"a\":1}}", "", NULL},
    {"merge does not change its source", Y, "b: &b {x: 1}\nm:\n  <<: *b\n  y: 2\nc: *b\n", SG_OK,
     "{\"b\":{\"x\":1},\"m\":{\"y\":2,\"x\":1},\"c\":{\"x\":1}}", "", NULL},
    {"bad merge value", Y, "m:\n  <<: 1\n", SG_EINPUT, NULL, "2:7 error yaml-merge", NULL},
    {"bad merge list", Y, "m:\n  <<: [{a: 1}, 2]\n", SG_EINPUT, NULL, "2:7 error yaml-merge",
     NULL},
    {"quoted << is a key", Y, "\"<<\": {a: 1}\n", SG_OK, "{\"<<\":{\"a\":1}}", "", NULL},
    {"json << is a key", J, "{\"<<\": {\"a\": 1}}", SG_OK, "{\"<<\":{\"a\":1}}", "", NULL},
    /* -- documents -- */
    {"two documents", Y, "a: 1\n---\nb: 2\n", SG_EINPUT, NULL,
     "2:1 error yaml-multiple-documents", "'---'"},
    {"two explicit documents", Y, "---\na: 1\n---\nb: 2\n", SG_EINPUT, NULL,
     "3:1 error yaml-multiple-documents", NULL},
    {"trailing empty document", Y, "a: 1\n---\n", SG_EINPUT, NULL,
     "2:1 error yaml-multiple-documents", NULL},
    {"document end marker", Y, "a: 1\n...\n", SG_OK, "{\"a\":1}", "", NULL},
    {"explicit empty document is null", Y, "---\n", SG_OK, "null", "", NULL},
    {"empty file (yaml)", Y, "", SG_EINPUT, NULL, "1:1 error empty-document", "empty"},
    {"empty file (json)", J, "", SG_EINPUT, NULL, "1:1 error empty-document", "empty"},
    {"whitespace only (yaml)", Y, "  \n\n   \n", SG_EINPUT, NULL, "1:1 error empty-document",
     NULL},
    {"whitespace only (json)", J, " \r\n\t\n", SG_EINPUT, NULL, "1:1 error empty-document", NULL},
    {"comments only", Y, "# one\n  # two\n", SG_EINPUT, NULL, "1:1 error empty-document", NULL},
    {"bom only", Y, "\xef\xbb\xbf", SG_EINPUT, NULL, "1:1 error empty-document", NULL},
    {"root scalar", J, "42", SG_OK, "42", "", NULL},
    {"root array", Y, "- 1\n- x\n", SG_OK, "[1,\"x\"]", "", NULL},
    {"info.version 1.10", Y, "info:\n  version: 1.10\n", SG_OK, "{\"info\":{\"version\":1.10}}",
     "", NULL},
    /* -- positions with a BOM and CR line breaks -- */
    {"bom json", J, "\xef\xbb\xbf{\"a\": 1, \"a\": 2}", SG_OK, "{\"a\":1}",
     "1:10 error duplicate-key (1:2)", NULL},
    {"bom yaml", Y, "\xef\xbb\xbf"
                    "a: 1\na: 2\n",
     SG_OK, "{\"a\":1}", "2:1 error duplicate-key (1:1)", NULL},
    {"crlf yaml", Y, "a: 1\r\nb: 2\r\na: 3\r\n", SG_OK, "{\"a\":1,\"b\":2}",
     "3:1 error duplicate-key (1:1)", NULL},
    {"cr yaml", Y, "a: 1\rb: 2\ra: 3\r", SG_OK, "{\"a\":1,\"b\":2}",
     "3:1 error duplicate-key (1:1)", NULL},
    {"crlf json", J, "{\r\n\"a\": 1,\r\n\"a\": 2\r\n}", SG_OK, "{\"a\":1}",
     "3:1 error duplicate-key (2:1)", NULL},
    {"multibyte columns", Y, "x: {\xc3\xa9\xe6\x97\xa5: 1, \xc3\xa9\xe6\x97\xa5: 2}\n", SG_OK,
     "{\"x\":{\"\xc3\xa9\xe6\x97\xa5\":1}}", "1:12 error duplicate-key (1:5)", NULL},
    {"multibyte columns, flow", Y, "{\xf0\x9f\x98\x80: 1, \xf0\x9f\x98\x80: 010}\n", SG_OK,
     "{\"\xf0\x9f\x98\x80\":1}", "1:8 error duplicate-key (1:2); 1:11 warning yaml-1.1-scalar",
     NULL},
};

START_TEST(test_table)
{
    const bcase *c = &cases[_i];
    result r = parse_opts(c->file, c->in, strlen(c->in), NULL);
    ck_assert_msg(r.status == c->status, "%s: status %s, expected %s (diagnostics: %s)", c->name,
                  sg_status_string(r.status), sg_status_string(c->status), r.diags);
    if (c->status == SG_OK)
        ck_assert_msg(strcmp(r.json, c->json) == 0, "%s: model %s, expected %s", c->name, r.json,
                      c->json);
    ck_assert_msg(strcmp(r.diags, c->diags) == 0, "%s: diagnostics \"%s\", expected \"%s\"",
                  c->name, r.diags, c->diags);
    if (c->msg) {
        const sg_diagnostic *g = sg_diagnostics_get(r.d, 0);
        ck_assert_ptr_nonnull(g);
        ck_assert_msg(contains(g->message, c->msg), "%s: message \"%s\" lacks \"%s\"", c->name,
                      g->message, c->msg);
    }
    /* Every diagnostic names its file, and is at error or warning. */
    for (size_t i = 0; i < sg_diagnostics_count(r.d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(r.d, i);
        ck_assert_str_eq(g->file, c->file);
        ck_assert_ptr_nonnull(sg_rule_find(g->rule));
        if (g->has_related)
            ck_assert_str_eq(g->related_file, c->file);
    }
    result_free(&r);
}
END_TEST

/* The related message of a duplicate names the key; both positions given. */
START_TEST(test_duplicate_related)
{
    static const char in[] = "x: 0\npaths: {}\npaths: []\n";
    result r = parse_opts(Y, in, sizeof in - 1, NULL);
    ck_assert_int_eq(r.status, SG_OK);
    const sg_diagnostic *g = sg_diagnostics_get(r.d, 0);
    ck_assert_uint_eq(g->start.line, 3);
    ck_assert_uint_eq(g->start.offset, 15);
    ck_assert_int_eq(g->has_related, 1);
    ck_assert_uint_eq(g->related.line, 2);
    ck_assert_uint_eq(g->related.column, 1);
    ck_assert_uint_eq(g->related.offset, 5);
    ck_assert_msg(contains(g->related_message, "paths"), "%s", g->related_message);
    ck_assert_msg(contains(g->message, "\"paths\""), "%s", g->message);
    ck_assert_str_eq(g->source_line, "paths: []");
    result_free(&r);
}
END_TEST

/* ---- limits ---------------------------------------------------------------- */

/* N nested arrays in FILE's syntax: [[...]] */
static char *nested(size_t n)
{
    char *open = repeat("[", n), *close = repeat("]", n);
    char *r = concat(open, close, "\n");
    free(open);
    free(close);
    return r;
}

START_TEST(test_depth_256_passes)
{
    static const char *const files[] = {J, Y};
    for (int f = 0; f < 2; f++) {
        char *in = nested(256);
        result r = parse_opts(files[f], in, strlen(in), NULL);
        ck_assert_msg(r.status == SG_OK, "%s: %s", files[f], r.diags);
        ck_assert_str_eq(r.diags, "");
        result_free(&r);
        free(in);
    }
}
END_TEST

START_TEST(test_depth_257_fails)
{
    static const char *const files[] = {J, Y};
    for (int f = 0; f < 2; f++) {
        char *in = nested(257);
        result r = parse_opts(files[f], in, strlen(in), NULL);
        ck_assert_int_eq(r.status, SG_EINPUT);
        ck_assert_msg(strcmp(r.diags, "1:257 error limit") == 0, "%s: %s", files[f], r.diags);
        ck_assert(contains(sg_diagnostics_get(r.d, 0)->message, "256"));
        ck_assert(contains(sg_diagnostics_get(r.d, 0)->message, "--limit depth="));
        result_free(&r);
        free(in);
    }
}
END_TEST

/* Block mappings nest too: 256 pass, the 257th fails where it starts. */
START_TEST(test_depth_block_yaml)
{
    for (size_t levels = 256; levels <= 257; levels++) {
        sgi_buf b = {0};
        for (size_t k = 0; k + 1 < levels; k++) {
            for (size_t s = 0; s < k; s++)
                sgi_buf_puts(&b, "  ");
            sgi_buf_puts(&b, "a:\n");
        }
        for (size_t s = 0; s + 1 < levels; s++)
            sgi_buf_puts(&b, "  ");
        sgi_buf_puts(&b, "b: 1\n");
        result r = parse_opts(Y, b.data, b.len, NULL);
        if (levels == 256) {
            ck_assert_msg(r.status == SG_OK, "%s", r.diags);
        } else {
            ck_assert_int_eq(r.status, SG_EINPUT);
            ck_assert_str_eq(r.diags, "257:513 error limit");
        }
        result_free(&r);
        sgi_buf_fini(&b);
    }
}
END_TEST

/* A lower limit applies, and is per call. */
START_TEST(test_depth_option)
{
    result r = parse_limit(J, "[[[1]]]", 7, "depth", 2);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "1:3 error limit");
    result_free(&r);
    r = parse_limit(J, "[[[1]]]", 7, "depth", 3);
    ck_assert_int_eq(r.status, SG_OK);
    result_free(&r);
}
END_TEST

/* 100 000 '[': refused at the 257th, fast and in little memory. */
START_TEST(test_deep_fails_fast)
{
    static const char *const files[] = {J, Y};
    for (int f = 0; f < 2; f++) {
        char *in = repeat("[", 100000);
        long rss0 = max_rss_kb();
        double t0 = now();
        result r = parse_opts(files[f], in, strlen(in), NULL);
        double dt = now() - t0;
        ck_assert_int_eq(r.status, SG_EINPUT);
        ck_assert_msg(strcmp(r.diags, "1:257 error limit") == 0, "%s: %s", files[f], r.diags);
        ck_assert_msg(dt < 1.0, "%s: %.3f s", files[f], dt);
        ck_assert_msg(max_rss_kb() - rss0 < 64 * 1024, "%s: max RSS grew by %ld KiB", files[f],
                      max_rss_kb() - rss0);
        result_free(&r);
        free(in);
    }
}
END_TEST

/* An alias counts with the height of what it stands for: a 200-deep anchored
 * structure may be aliased 55 levels down (1 + 55 + 200 = 256), not 56. */
START_TEST(test_alias_depth)
{
    char *open = repeat("[", 200), *close = repeat("]", 200);
    char *anchor = concat("a: &x ", open, close);
    for (size_t k = 55; k <= 56; k++) {
        char *o = repeat("[", k), *c = repeat("]", k);
        char *alias = concat(o, "*x", c);
        char *tail = concat("\nb: ", alias, "\n");
        char *in = concat(anchor, tail, "");
        result r = parse_opts(Y, in, strlen(in), NULL);
        if (k == 55) {
            ck_assert_msg(r.status == SG_OK, "%s", r.diags);
        } else {
            ck_assert_int_eq(r.status, SG_EINPUT);
            ck_assert_str_eq(r.diags, "2:60 error limit"); /* at the alias */
        }
        result_free(&r);
        free(o);
        free(c);
        free(alias);
        free(tail);
        free(in);
    }
    free(open);
    free(close);
    free(anchor);
}
END_TEST

/* The depth limit counts arrays and objects with aliases expanded, so an
 * alias must get the verdict its expansion written out gets. For each
 * anchored structure S and nesting K around its use:
 *   alias:   a: &x S \n b: [[...[ *x ]...]]
 *   written: a: &x S \n b: [[...[ S  ]...]]
 * K runs across the boundary of the default limit (256). */
START_TEST(test_alias_depth_matches_expansion)
{
    static const char *const shapes[] = {"1", "[]", "[1]", "{k: v}", "[[1]]", "{k: [v]}",
                                         "[[]]"};
    sgi_buf bad = {0};
    sgi_buf_puts(&bad, "");
    for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
        for (size_t k = 250; k <= 256; k++) {
            char *o = repeat("[", k), *c = repeat("]", k);
            char *head = concat("a: &x ", shapes[sh], "\nb: ");
            char *mid_a = concat(o, "*x", c), *mid_w = concat(o, shapes[sh], c);
            char *in_a = concat(head, mid_a, "\n"), *in_w = concat(head, mid_w, "\n");
            result ra = parse_opts(Y, in_a, strlen(in_a), NULL);
            result rw = parse_opts(Y, in_w, strlen(in_w), NULL);
            if (ra.status != rw.status)
                sgi_buf_printf(&bad, "\n  anchor %s used %zu levels down: alias gives %s (%s), "
                                     "written out gives %s (%s)",
                               shapes[sh], k, sg_status_string(ra.status), ra.diags,
                               sg_status_string(rw.status), rw.diags);
            result_free(&ra);
            result_free(&rw);
            free(o);
            free(c);
            free(head);
            free(mid_a);
            free(mid_w);
            free(in_a);
            free(in_w);
        }
    }
    ck_assert_msg(bad.len == 0, "aliases and their expansion disagree:%s", bad.data);
    sgi_buf_fini(&bad);
}
END_TEST

/* An object with 200 000 members and a mapping with 100 000 paths: duplicate
 * detection is a hash lookup, not a scan (HOSTILE.md 48). */
/* A guard against quadratic behaviour, not a performance claim (those come
 * from bench/): quadratic work on 200,000 keys takes minutes, linear work
 * well under a second, so a bound far above either noise or sanitizers. */
#define SLOW_BOUND 30.0

START_TEST(test_many_keys)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "{");
    for (int i = 0; i < 200000; i++)
        sgi_buf_printf(&b, "%s\"k%d\": %d", i ? "," : "", i, i);
    sgi_buf_puts(&b, ", \"k7\": 0}");
    double t0 = now();
    result r = parse_opts(J, b.data, b.len, NULL);
    double dt = now() - t0;
    ck_assert_int_eq(r.status, SG_OK);
    ck_assert_msg(contains(r.diags, "error duplicate-key") && !contains(r.diags, ";"), "%s",
                  r.diags);
    ck_assert_msg(dt < SLOW_BOUND, "%.2f s", dt);
    result_free(&r);
    sgi_buf_fini(&b);

    sgi_buf_puts(&b, "paths:\n");
    for (int i = 0; i < 100000; i++)
        sgi_buf_printf(&b, "  /p%d: {}\n", i);
    t0 = now();
    r = parse_opts(Y, b.data, b.len, NULL);
    dt = now() - t0;
    ck_assert_int_eq(r.status, SG_OK);
    ck_assert_str_eq(r.diags, "");
    ck_assert_msg(dt < SLOW_BOUND, "%.2f s", dt);
    result_free(&r);
    sgi_buf_fini(&b);
}
END_TEST

START_TEST(test_max_nodes)
{
    static const char in[] = "[1,2,3,4,5]";
    result r = parse_limit(J, in, sizeof in - 1, "nodes", 5);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "1:10 error limit");
    ck_assert(contains(sg_diagnostics_get(r.d, 0)->message, "--limit nodes="));
    result_free(&r);
    r = parse_limit(J, in, sizeof in - 1, "nodes", 6);
    ck_assert_int_eq(r.status, SG_OK);
    result_free(&r);
    r = parse_limit(Y, in, sizeof in - 1, "nodes", 5);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "1:10 error limit");
    result_free(&r);
}
END_TEST

START_TEST(test_key_length)
{
    result r = parse_limit(Y, "abcd: 1\n", 8, "key-length", 3);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "1:1 error limit");
    ck_assert(contains(sg_diagnostics_get(r.d, 0)->message, "4 bytes"));
    result_free(&r);
    r = parse_limit(J, "{\"abc\": 1, \"abcd\": 2}", 21, "key-length", 3);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "1:12 error limit");
    result_free(&r);
    r = parse_limit(Y, "abc: 1\n", 7, "key-length", 3);
    ck_assert_int_eq(r.status, SG_OK);
    result_free(&r);
}
END_TEST

/* Billion laughs: 9 levels of 9 aliases. The expansion budget (1 000 000)
 * is crossed by the first alias of level g (line 7, column 8): 74 718 nodes
 * from levels b-e, 597 870 from f, then 597 871 more. */
START_TEST(test_billion_laughs)
{
    static const char in[] = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                             "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                             "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                             "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                             "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                             "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                             "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                             "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                             "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    long rss0 = max_rss_kb();
    double t0 = now();
    result r = parse_opts(Y, in, sizeof in - 1, NULL);
    double dt = now() - t0;
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "7:8 error limit");
    const sg_diagnostic *g = sg_diagnostics_get(r.d, 0);
    ck_assert_msg(contains(g->message, "1000000"), "%s", g->message);
    ck_assert_msg(contains(g->message, "alias-expansion"), "%s", g->message);
    ck_assert_msg(dt < 1.0, "%.3f s", dt);
    ck_assert_msg(max_rss_kb() - rss0 < 32 * 1024, "max RSS grew by %ld KiB", max_rss_kb() - rss0);
    result_free(&r);

    /* With the budget raised, the same six levels pass (shared, not copied). */
    static const char six[] = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                              "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                              "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                              "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                              "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    r = parse_opts(Y, six, sizeof six - 1, NULL);
    ck_assert_msg(r.status == SG_OK, "%s", r.diags);
    result_free(&r);
    r = parse_limit(Y, six, sizeof six - 1, "alias-expansion", 600000);
    ck_assert_int_eq(r.status, SG_EINPUT);
    ck_assert_str_eq(r.diags, "6:36 error limit"); /* 74 718 + 8 x 66 430 > 600 000 */
    result_free(&r);
}
END_TEST

/* Merge keys spend the same budget: each merged member counts. */
START_TEST(test_merge_budget)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "base: &b {");
    for (int i = 0; i < 50; i++)
        sgi_buf_printf(&b, "%sk%d: %d", i ? ", " : "", i, i);
    sgi_buf_puts(&b, "}\n");
    for (int i = 0; i < 30; i++)
        sgi_buf_printf(&b, "m%d: {<<: *b}\n", i);
    /* parsed: about 1 + 101 + 30 * 3 nodes; budget max(limit, 10 x nodes) */
    result r = parse_opts(Y, b.data, b.len, NULL);
    ck_assert_msg(r.status == SG_OK, "%s", r.diags);
    ck_assert(contains(r.json, "\"m29\":{\"k0\":0,"));
    result_free(&r);
    r = parse_limit(Y, b.data, b.len, "alias-expansion", 1);
    ck_assert_int_eq(r.status, SG_EINPUT);
    const sg_diagnostic *g = sg_diagnostics_get(r.d, 0);
    ck_assert_str_eq(g->rule, "limit");
    ck_assert_msg(contains(g->message, "merge") || contains(g->message, "alias"), "%s",
                  g->message);
    result_free(&r);
    sgi_buf_fini(&b);
}
END_TEST

/* ---- hand-made event sequences ------------------------------------------ */

typedef struct evb {
    sgi_source src;
    sg_limits limits;
    sg_diagnostics *d;
    sgi_builder *b;
    unsigned col;
} evb;

static void evb_init(evb *e, unsigned flags)
{
    memset(e, 0, sizeof *e);
    /* The marks table keeps offsets and asks the source for line and column:
     * one line of blanks where offset K is column K + 1, as send() says. */
    char blanks[128];
    memset(blanks, ' ', sizeof blanks);
    ck_assert_int_eq(sgi_source_init(&e->src, "ev.json", blanks, sizeof blanks), SG_OK);
    sg_limits_init(&e->limits);
    e->d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_check_encoding(&e->src, e->d), SG_OK);
    e->b = sgi_builder_new(&e->src, &e->limits, e->d, flags);
    ck_assert_ptr_nonnull(e->b);
    e->col = 1;
}

static void evb_fini(evb *e)
{
    sgi_builder_free(e->b);
    sg_diagnostics_free(e->d);
    sgi_source_fini(&e->src);
}

/* Send one event at line 1, the next column; returns the builder's status. */
static sg_status send(evb *e, sgi_event_type type, sgi_scalar_kind kind, const char *value,
                      size_t len, const char *anchor, const char *tag)
{
    sgi_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.kind = kind;
    ev.value = value;
    ev.length = value && len == (size_t)-1 ? strlen(value) : len;
    ev.anchor = anchor;
    ev.tag = tag;
    ev.start.line = ev.end.line = 1;
    ev.start.column = e->col;
    ev.start.offset = e->col - 1;
    ev.end.column = e->col + 1;
    ev.end.offset = e->col;
    e->col++;
    return sgi_builder_event(e->b, &ev);
}

#define EV(e, t) send(e, t, SGI_SC_STRING, NULL, 0, NULL, NULL)
#define STR(e, s) send(e, SGI_EV_SCALAR, SGI_SC_STRING, s, (size_t)-1, NULL, NULL)
#define NUM(e, s) send(e, SGI_EV_SCALAR, SGI_SC_NUMBER, s, (size_t)-1, NULL, NULL)
#define LIT(e, k) send(e, SGI_EV_SCALAR, k, NULL, 0, NULL, NULL)

static char *finish_json(evb *e, sg_status want, sgi_marks **marks_out)
{
    struct json_object *root = NULL;
    sgi_marks *marks = NULL;
    ck_assert_int_eq(sgi_builder_finish(e->b, &root, &marks), want);
    char *s = NULL;
    if (want == SG_OK) {
        s = compact(root);
        ck_assert_ptr_nonnull(marks);
    } else {
        ck_assert_ptr_null(root);
        ck_assert_ptr_null(marks);
    }
    json_object_put(root);
    if (marks_out)
        *marks_out = marks;
    else
        sgi_marks_free(marks);
    return s;
}

START_TEST(test_events_json_like)
{
    evb e;
    evb_init(&e, 0);
    ck_assert_int_eq(EV(&e, SGI_EV_DOC_START), SG_OK);     /* 1 */
    ck_assert_int_eq(EV(&e, SGI_EV_MAP_START), SG_OK);     /* 2 */
    ck_assert_int_eq(STR(&e, "a"), SG_OK);                 /* 3 */
    ck_assert_int_eq(NUM(&e, "18446744073709551616"), SG_OK); /* 4 */
    ck_assert_int_eq(STR(&e, "b"), SG_OK);                 /* 5 */
    ck_assert_int_eq(EV(&e, SGI_EV_SEQ_START), SG_OK);     /* 6 */
    ck_assert_int_eq(LIT(&e, SGI_SC_TRUE), SG_OK);         /* 7 */
    ck_assert_int_eq(LIT(&e, SGI_SC_FALSE), SG_OK);        /* 8 */
    ck_assert_int_eq(LIT(&e, SGI_SC_NULL), SG_OK);         /* 9 */
    ck_assert_int_eq(send(&e, SGI_EV_SCALAR, SGI_SC_STRING, "x\0y", 3, NULL, NULL), SG_OK);
    ck_assert_int_eq(STR(&e, "yes"), SG_OK); /* a JSON string: no typing, no warning */
    ck_assert_int_eq(EV(&e, SGI_EV_SEQ_END), SG_OK);
    ck_assert_int_eq(STR(&e, "c"), SG_OK);
    ck_assert_int_eq(NUM(&e, "1.10"), SG_OK);
    ck_assert_int_eq(EV(&e, SGI_EV_MAP_END), SG_OK);
    ck_assert_int_eq(EV(&e, SGI_EV_DOC_END), SG_OK);
    sgi_marks *marks;
    char *json = finish_json(&e, SG_OK, &marks);
    ck_assert_str_eq(json, "{\"a\":18446744073709551616,\"b\":[true,false,null,\"x\\u0000y\",\"yes\"],"
                           "\"c\":1.10}");
    ck_assert_uint_eq(sg_diagnostics_count(e.d), 0);
    /* marks from the events: root, 3 members, 5 elements */
    ck_assert_uint_eq(sgi_marks_count(marks), 9);
    sgi_span root;
    ck_assert(sgi_marks_get(marks, NULL, 0, &root));
    ck_assert_uint_eq(root.start.column, 2);
    ck_assert_uint_eq(root.end.column, 16); /* the MAP_END event's end */
    free(json);
    sgi_marks_free(marks);
    evb_fini(&e);
}
END_TEST

START_TEST(test_events_member_marks)
{
    evb e;
    evb_init(&e, 0);
    EV(&e, SGI_EV_MAP_START); /* col 1 */
    STR(&e, "k");             /* col 2 */
    NUM(&e, "5");             /* col 3 */
    STR(&e, "n");             /* col 4 */
    LIT(&e, SGI_SC_NULL);     /* col 5 */
    ck_assert_int_eq(EV(&e, SGI_EV_MAP_END), SG_OK);
    struct json_object *root;
    sgi_marks *marks;
    ck_assert_int_eq(sgi_builder_finish(e.b, &root, &marks), SG_OK);
    sgi_span k, n;
    ck_assert(sgi_marks_member(marks, root, "k", &k));
    ck_assert_uint_eq(k.key_start.column, 2);
    ck_assert_uint_eq(k.start.column, 3);
    ck_assert_uint_eq(k.end.column, 4);
    ck_assert(sgi_marks_member(marks, root, "n", &n)); /* a null value has its marks */
    ck_assert_uint_eq(n.key_start.column, 4);
    ck_assert_uint_eq(n.start.column, 5);
    json_object_put(root);
    sgi_marks_free(marks);
    evb_fini(&e);
}
END_TEST

START_TEST(test_events_empty)
{
    evb e;
    evb_init(&e, 0);
    char *json = finish_json(&e, SG_EINPUT, NULL);
    ck_assert_ptr_null(json);
    char *l = diag_list(e.d);
    ck_assert_str_eq(l, "1:1 error empty-document");
    ck_assert_str_eq(sg_diagnostics_get(e.d, 0)->apig_code, "APIG.3609");
    free(l);
    evb_fini(&e);
}
END_TEST

/* Without DOC events (a reader could send none), a second top-level value
 * is still refused. */
START_TEST(test_events_two_roots)
{
    evb e;
    evb_init(&e, 0);
    ck_assert_int_eq(NUM(&e, "1"), SG_OK);
    ck_assert_int_eq(NUM(&e, "2"), SG_EINPUT);
    ck_assert_int_eq(NUM(&e, "3"), SG_EINPUT); /* stays failed */
    char *l = diag_list(e.d);
    ck_assert_str_eq(l, "1:2 error yaml-multiple-documents");
    free(l);
    ck_assert_ptr_null(finish_json(&e, SG_EINPUT, NULL));
    evb_fini(&e);
}
END_TEST

START_TEST(test_events_unbalanced)
{
    evb e;
    evb_init(&e, 0);
    EV(&e, SGI_EV_SEQ_START);
    ck_assert_ptr_null(finish_json(&e, SG_EINTERNAL, NULL)); /* left open */
    evb_fini(&e);

    evb_init(&e, 0);
    ck_assert_int_eq(EV(&e, SGI_EV_SEQ_END), SG_EINTERNAL); /* closes nothing */
    ck_assert_int_eq(NUM(&e, "1"), SG_EINTERNAL);
    ck_assert_ptr_null(finish_json(&e, SG_EINTERNAL, NULL));
    evb_fini(&e);
}
END_TEST

/* Freeing a builder in the middle (reader error) releases everything; ASan
 * and valgrind see leaks. */
START_TEST(test_events_abandoned)
{
    evb e;
    evb_init(&e, 0);
    EV(&e, SGI_EV_DOC_START);
    EV(&e, SGI_EV_MAP_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "base", 4, NULL, NULL);
    send(&e, SGI_EV_MAP_START, SGI_SC_STRING, NULL, 0, "b", NULL);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "x", 1, NULL, NULL);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "1", 1, NULL, NULL);
    EV(&e, SGI_EV_MAP_END);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "m", 1, NULL, NULL);
    EV(&e, SGI_EV_MAP_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "<<", 2, NULL, NULL);
    ck_assert_int_eq(send(&e, SGI_EV_ALIAS, SGI_SC_STRING, "b", 1, NULL, NULL), SG_OK);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "k", 1, NULL, NULL);
    /* no value, no ends */
    evb_fini(&e);
}
END_TEST

START_TEST(test_events_multi_doc)
{
    evb e;
    evb_init(&e, SGI_BUILD_MULTI_DOC);
    EV(&e, SGI_EV_DOC_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "1", 1, "a", NULL);
    EV(&e, SGI_EV_DOC_END);
    EV(&e, SGI_EV_DOC_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "yes", 3, NULL, NULL);
    EV(&e, SGI_EV_DOC_END);
    EV(&e, SGI_EV_DOC_START);
    EV(&e, SGI_EV_SEQ_START);
    EV(&e, SGI_EV_SEQ_END);
    EV(&e, SGI_EV_DOC_END);
    char *json = finish_json(&e, SG_OK, NULL);
    ck_assert_str_eq(json, "[1,\"yes\",[]]");
    free(json);
    char *l = diag_list(e.d);
    ck_assert_str_eq(l, "1:5 warning yaml-1.1-scalar");
    free(l);
    evb_fini(&e);

    /* Anchors are local to their document. */
    evb_init(&e, SGI_BUILD_MULTI_DOC);
    EV(&e, SGI_EV_DOC_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "1", 1, "a", NULL);
    EV(&e, SGI_EV_DOC_END);
    EV(&e, SGI_EV_DOC_START);
    ck_assert_int_eq(send(&e, SGI_EV_ALIAS, SGI_SC_STRING, "a", 1, NULL, NULL), SG_EINPUT);
    l = diag_list(e.d);
    ck_assert_str_eq(l, "1:5 error yaml-alias");
    free(l);
    evb_fini(&e);
}
END_TEST

/* Scalars with anchors or tags are typed as YAML even when not plain; a
 * quoted scalar with neither is a string. */
START_TEST(test_events_yaml_typing)
{
    evb e;
    evb_init(&e, 0);
    EV(&e, SGI_EV_SEQ_START);
    send(&e, SGI_EV_SCALAR, SGI_SC_STRING, "12", 2, NULL, "tag:yaml.org,2002:int");
    send(&e, SGI_EV_SCALAR, SGI_SC_STRING, "12", 2, NULL, NULL);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "12", 2, NULL, NULL);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "0x10", 4, NULL, "tag:yaml.org,2002:float");
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "", 0, NULL, NULL);
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "x", 1, NULL, "tag:yaml.org,2002:str");
    send(&e, SGI_EV_SCALAR, SGI_SC_PLAIN, "false", 5, NULL, "tag:yaml.org,2002:bool");
    EV(&e, SGI_EV_SEQ_END);
    char *json = finish_json(&e, SG_OK, NULL);
    ck_assert_str_eq(json, "[12,\"12\",12,16,null,\"x\",false]");
    free(json);
    evb_fini(&e);
}
END_TEST

/* Repeated short strings and booleans share one node (builder.c, "shared
 * scalars"); every place keeps its own position, and the model reads the
 * same. Strings over 64 bytes are not shared. */
START_TEST(test_shared_scalars)
{
    static const char in[] =
        "a: x\n"
        "b: x\n"
        "c: [x, \"x\", true, true, false]\n"
        "d: z123456789012345678901234567890123456789012345678901234567890123456789\n"
        "e: z123456789012345678901234567890123456789012345678901234567890123456789\n"
        "f: true\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    struct json_object *root = doc->root, *a, *b, *c, *dd, *e, *f;
    ck_assert(json_object_object_get_ex(root, "a", &a));
    ck_assert(json_object_object_get_ex(root, "b", &b));
    ck_assert(json_object_object_get_ex(root, "c", &c));
    ck_assert(json_object_object_get_ex(root, "d", &dd));
    ck_assert(json_object_object_get_ex(root, "e", &e));
    ck_assert(json_object_object_get_ex(root, "f", &f));
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_eq(a, json_object_array_get_idx(c, 0));
    ck_assert_ptr_eq(a, json_object_array_get_idx(c, 1));
    ck_assert_ptr_eq(json_object_array_get_idx(c, 2), json_object_array_get_idx(c, 3));
    ck_assert_ptr_eq(json_object_array_get_idx(c, 2), f);
    ck_assert_ptr_ne(json_object_array_get_idx(c, 2), json_object_array_get_idx(c, 4));
    ck_assert_ptr_ne(dd, e);
    sgi_span sa, sb, s1;
    ck_assert(sgi_marks_member(doc->marks, root, "a", &sa));
    ck_assert(sgi_marks_member(doc->marks, root, "b", &sb));
    ck_assert(sgi_marks_get(doc->marks, c, 1, &s1));
    ck_assert_uint_eq(sa.start.line, 1);
    ck_assert_uint_eq(sb.start.line, 2);
    ck_assert_uint_eq(s1.start.line, 3);
    ck_assert_uint_eq(s1.start.column, 8);
    char *json = compact(root);
    ck_assert_str_eq(json, "{\"a\":\"x\",\"b\":\"x\",\"c\":[\"x\",\"x\",true,true,false],"
                           "\"d\":\"z123456789012345678901234567890123456789012345678901234567890123456789\","
                           "\"e\":\"z123456789012345678901234567890123456789012345678901234567890123456789\","
                           "\"f\":true}");
    free(json);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

Suite *suite_builder(void)
{
    Suite *s = suite_create("builder");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_duplicate_related);
    tcase_add_test(tc, test_shared_scalars);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_depth_256_passes);
    tcase_add_test(tc, test_depth_257_fails);
    tcase_add_test(tc, test_depth_block_yaml);
    tcase_add_test(tc, test_depth_option);
    tcase_add_test(tc, test_deep_fails_fast);
    tcase_add_test(tc, test_alias_depth);
    tcase_add_test(tc, test_alias_depth_matches_expansion);
    tcase_add_test(tc, test_many_keys);
    tcase_add_test(tc, test_max_nodes);
    tcase_add_test(tc, test_key_length);
    tcase_add_test(tc, test_billion_laughs);
    tcase_add_test(tc, test_merge_budget);
    suite_add_tcase(s, tc);

    tc = tcase_create("events");
    tcase_add_test(tc, test_events_json_like);
    tcase_add_test(tc, test_events_member_marks);
    tcase_add_test(tc, test_events_empty);
    tcase_add_test(tc, test_events_two_roots);
    tcase_add_test(tc, test_events_unbalanced);
    tcase_add_test(tc, test_events_abandoned);
    tcase_add_test(tc, test_events_multi_doc);
    tcase_add_test(tc, test_events_yaml_typing);
    suite_add_tcase(s, tc);
    return s;
}
