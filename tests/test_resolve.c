/* Unit tests of the resolver (src/resolve.c): JSON Pointer (RFC 6901) and
 * percent-decoding, local and file $refs in real temporary folders, cycles
 * and legitimate recursion, the sandbox (.., symlinks, FIFOs, devices,
 * directories, NUL, remote URIs), limits (hops, files, bytes), siblings,
 * where "$ref" is not a reference, documents without a path, the
 * sgi_resolve interface, and the multi-file petstore of the OAI examples
 * when SWAGGATE_TESTDATA is set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/sg-resolve-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    /* The real path: the sandbox compares real paths. */
    char *r = realpath(d, NULL);
    ck_assert_ptr_nonnull(r);
    return r;
}

static void rm_tree(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Write TEXT to DIR/NAME, making the folders NAME names. */
static void put(const char *dir, const char *name, const char *text)
{
    char *p = path_in(dir, name);
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(p, 0700);
        *s = '/';
    }
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
    free(p);
}

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* The model and resolve findings of D (sorted) as "file:line:col rule"
 * joined by "; ", file names relative to DIR; their messages, and related
 * places as "(related file:line:col)", into *MSGS. Caller frees both. */
static char *summary(sg_diagnostics *d, const char *dir, char **msgs)
{
    sgi_buf b = {0}, m = {0};
    size_t dl = dir ? strlen(dir) : 0;
    sgi_buf_puts(&b, "");
    sgi_buf_puts(&m, "");
    sg_diagnostics_sort(d);
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        const sg_rule *rule = sg_rule_find(g->rule);
        ck_assert_msg(rule != NULL, "rule %s is not in the catalog", g->rule);
        ck_assert_msg(rule->severity == g->severity, "%s: catalog severity differs", g->rule);
        if (strcmp(rule->checker, "model") != 0 && strcmp(rule->checker, "resolve") != 0)
            continue;
        const char *f = g->file;
        if (dir && strncmp(f, dir, dl) == 0 && f[dl] == '/')
            f += dl + 1;
        sgi_buf_printf(&b, "%s%s:%u:%u %s", b.len ? "; " : "", f, g->start.line, g->start.column,
                       g->rule);
        sgi_buf_printf(&m, "%s\n", g->message);
        if (g->has_related) {
            const char *rf = g->related_file;
            if (dir && strncmp(rf, dir, dl) == 0 && rf[dl] == '/')
                rf += dl + 1;
            sgi_buf_printf(&m, "(related %s:%u:%u)\n", rf, g->related.line, g->related.column);
        }
    }
    ck_assert(!b.oom && !m.oom);
    if (msgs)
        *msgs = m.data;
    else
        sgi_buf_fini(&m);
    return b.data;
}

/* Load DIR/ROOT and lint it with O; the summary (and messages). */
static char *lint_file(const char *dir, const char *root, const sg_options *o, char **msgs)
{
    char *p = path_in(dir, root);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_ptr_nonnull(d);
    sg_status st = sg_document_load(p, o, d, &doc);
    ck_assert_msg(st == SG_OK, "%s: %s", p, sg_status_string(st));
    ck_assert_int_eq(sg_lint(doc, o, d), SG_OK);
    char *s = summary(d, dir, msgs);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    free(p);
    return s;
}

/* ---- table of cases ------------------------------------------------------ */

#define HEAD "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"

typedef struct rfile {
    const char *name, *text;
} rfile;

typedef struct rcase {
    const char *name;
    rfile files[5];       /* files[0] is the document linted */
    const char *ref_root; /* folder under the temp folder ("" itself), or NULL */
    const char *limit;    /* "NAME=VALUE" or NULL */
    const char *want;     /* summary() of the findings */
    const char *msg;      /* part of the messages, or NULL */
} rcase;

static const rcase cases[] = {
    /* local refs and JSON Pointer */
    {"local ok",
     {{"input.yaml",
       "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
       "paths:\n  /pets/{id}:\n    parameters: [{$ref: '#/parameters/Id'}]\n"
       "    get:\n      responses:\n        '200': {$ref: '#/responses/Ok'}\n"
       "parameters:\n  Id: {name: id, in: path, required: true, type: string}\n"
       "responses:\n  Ok: {description: ok, schema: {$ref: '#/definitions/Pet'}}\n"
       "definitions:\n  Pet: {type: object}\n"}},
     NULL, NULL, "", NULL},
    {"pointer escapes and percent-decoding",
     {{"input.yaml", HEAD "definitions:\n  a/b: {type: string}\n  t~: {type: string}\n"
                          "  My Model: {type: string}\n  'c%d': {type: string}\n"
                          "  X: {properties: {a: {$ref: '#/definitions/a~1b'}, b: {$ref: "
                          "'#/definitions/t~0'}, c: {$ref: '#/definitions/My%20Model'}, d: {$ref: "
                          "'#/definitions/c%25d'}, e: {$ref: '#/definitions/My Model'}}}\n"}},
     NULL, NULL, "", NULL},
    {"pointer into paths and arrays",
     {{"input.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
                     "paths:\n  /pets:\n    get:\n      parameters:\n        - {name: a, in: "
                     "query, type: string}\n        - {name: b, in: query, type: string}\n"
                     "      responses: {'200': {description: ok}}\n"
                     "x-p: {$ref: '#/paths/~1pets/get/parameters/1'}\n"
                     "definitions:\n  A: {properties: {p: {$ref: '#/paths/~1pets/get/parameters/1'}}}\n"}},
     NULL, NULL, "", NULL},
    {"missing target",
     {{"input.yaml", HEAD "definitions:\n  Pet: {type: object}\n  A: {$ref: '#/definitions/Pett'}\n"}},
     NULL, NULL, "input.yaml:6:13 ref-unresolved", "no member 'Pett'"},
    {"missing target, other case suggested",
     {{"input.yaml", HEAD "definitions:\n  Pet: {type: object}\n  A: {$ref: '#/definitions/pet'}\n"}},
     NULL, NULL, "input.yaml:6:13 ref-unresolved", "did you mean 'Pet'?"},
    {"pointer through a $ref",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/B'}\n  B: {properties: {x: "
                          "{}}}\n  C: {$ref: '#/definitions/A/properties/x'}\n"}},
     NULL, NULL, "input.yaml:7:13 ref-unresolved", "does not pass through references"},
    {"pointer into a scalar",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/info/title/x'}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-unresolved", "'#/info/title' is a string with no member 'x'"},
    {"bad escape ~2",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/a~2b'}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-malformed", "'~2' is not a JSON Pointer escape"},
    {"escape ~ at the end",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/a~'}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-malformed", "~0 for '~'"},
    {"array index with a leading zero",
     {{"input.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"
                     "x-list: [{type: string}, {type: string}]\n"
                     "definitions:\n  A: {$ref: '#/x-list/01'}\n  B: {$ref: '#/x-list/-'}\n"
                     "  C: {$ref: '#/x-list/2'}\n  D: {$ref: '#/x-list/one'}\n  E: {$ref: '#/x-list/0'}\n"}},
     NULL, NULL,
     "input.yaml:6:13 ref-malformed; input.yaml:7:13 ref-unresolved; input.yaml:8:13 "
     "ref-unresolved; input.yaml:9:13 ref-unresolved",
     "leading zero"},
    {"malformed refs",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 5}\n  B: {$ref: {}}\n  C: {$ref: ''}\n"
                          "  D: {$ref: '#'}\n  E: {$ref: '#/'}\n  F: {$ref: '#Foo'}\n"
                          "  G: {$ref: '#/definitions/%zz'}\n  H: {$ref: 'x.yaml?v=1'}\n"
                          "  I: {$ref: null}\n  J: {$ref: '#/definitions/%00'}\n"}},
     NULL, NULL,
     "input.yaml:5:13 ref-malformed; input.yaml:6:13 ref-malformed; input.yaml:7:13 "
     "ref-malformed; input.yaml:8:13 ref-malformed; input.yaml:9:13 ref-unresolved; "
     "input.yaml:10:13 ref-malformed; input.yaml:11:13 ref-malformed; input.yaml:12:13 "
     "ref-malformed; input.yaml:13:13 ref-malformed; input.yaml:14:13 ref-malformed",
     "names this whole document"},
    {"empty ref",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: ''}\n"}}, NULL, NULL,
     "input.yaml:5:13 ref-malformed", "$ref is empty"},
    {"empty token",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/'}\n"}}, NULL, NULL,
     "input.yaml:5:13 ref-unresolved", "an empty name"},
    /* cycles and recursion */
    {"ref to itself",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/A'}\n"}}, NULL, NULL,
     "input.yaml:5:13 ref-cycle", "#/definitions/A -> #/definitions/A"},
    {"A -> B -> A",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/B'}\n  B: {$ref: '#/definitions/A'}\n"
                          "  C: {$ref: '#/definitions/A'}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-cycle",
     "#/definitions/A -> #/definitions/B -> #/definitions/A"},
    {"loop entered from outside",
     {{"input.yaml", HEAD "definitions:\n  P: {$ref: '#/definitions/A'}\n  A: {$ref: '#/definitions/B'}\n"
                          "  B: {$ref: '#/definitions/C'}\n  C: {$ref: '#/definitions/A'}\n"}},
     NULL, NULL, "input.yaml:6:13 ref-cycle",
     "#/definitions/A -> #/definitions/B -> #/definitions/C -> #/definitions/A"},
    {"recursive schema is valid",
     {{"input.yaml", HEAD "definitions:\n  Node:\n    type: object\n    properties:\n"
                          "      children: {type: array, items: {$ref: '#/definitions/Node'}}\n"
                          "      parent: {$ref: '#/definitions/Node'}\n"
                          "  A: {properties: {b: {$ref: '#/definitions/B'}}}\n"
                          "  B: {properties: {a: {$ref: '#/definitions/A'}}}\n"
                          "  R: {$ref: '#/definitions/Node'}\n"}},
     NULL, NULL, "", NULL},
    {"chain over ref-hops",
     {{"input.yaml", HEAD "definitions:\n  A1: {$ref: '#/definitions/A2'}\n  A2: {$ref: "
                          "'#/definitions/A3'}\n  A3: {$ref: '#/definitions/A4'}\n  A4: {$ref: "
                          "'#/definitions/A5'}\n  A5: {type: string}\n"}},
     NULL, "ref-hops=3", "input.yaml:5:14 ref-limit",
     "chain of 4 $refs, over the limit of 3: #/definitions/A1 -> #/definitions/A2 -> "
     "#/definitions/A3 -> #/definitions/A4"},
    {"chain within ref-hops",
     {{"input.yaml", HEAD "definitions:\n  A1: {$ref: '#/definitions/A2'}\n  A2: {$ref: "
                          "'#/definitions/A3'}\n  A3: {type: string}\n"}},
     NULL, "ref-hops=2", "", NULL},
    /* siblings, and where "$ref" is no reference */
    {"siblings warned at each key",
     {{"input.yaml", HEAD "definitions:\n  Pet: {type: object}\n  A:\n    $ref: '#/definitions/Pet'\n"
                          "    description: a pet\n    x-extra: 1\n"}},
     NULL, NULL, "input.yaml:8:5 ref-siblings; input.yaml:9:5 ref-siblings",
     "'description' next to $ref is ignored"},
    {"$ref as a name or in data is no reference",
     {{"input.yaml", HEAD "definitions:\n  A:\n    type: object\n    properties:\n"
                          "      $ref: {type: string}\n      example: {$ref: '#/nowhere'}\n"
                          "    example: {$ref: '#/nowhere'}\n    default: {$ref: 5}\n"
                          "    enum: [{$ref: '#/nowhere'}]\n    x-doc: {$ref: 'http://example.com/'}\n"
                          "  $ref: {type: string}\n"
                          "x-ext: {$ref: '#/nowhere'}\n"
                          "securityDefinitions:\n  o: {type: oauth2, flow: implicit, "
                          "authorizationUrl: 'https://x', scopes: {$ref: a scope}}\n"
                          "security:\n  - $ref: []\n"}},
     NULL, NULL, "input.yaml:9:23 ref-unresolved", "no member 'nowhere'"},
    {"x- keys of paths and responses are extensions",
     {{"input.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
                     "paths:\n  x-a: {$ref: '#/nowhere'}\n  /p:\n    get:\n      responses:\n"
                     "        '200': {description: ok}\n        x-b: {$ref: '#/nowhere'}\n"
                     "definitions:\n  A: {properties: {x-c: {$ref: '#/nowhere'}}}\n"}},
     NULL, NULL, "input.yaml:11:32 ref-unresolved", NULL},
    /* remote */
    {"remote refs",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'http://169.254.169.254/latest/meta-data/'}\n"
                          "  B: {$ref: 'https://example.com/x.yaml#/X'}\n"
                          "  C: {$ref: '//example.com/x.yaml'}\n  D: {$ref: 'urn:x:y'}\n"
                          "  E: {$ref: 'file://example.com/etc/passwd'}\n"
                          "  F: {$ref: 'http://json-schema.org/draft-04/schema#'}\n"}},
     NULL, NULL,
     "input.yaml:5:13 ref-remote; input.yaml:6:13 ref-remote; input.yaml:7:13 ref-remote; "
     "input.yaml:8:13 ref-remote; input.yaml:9:13 ref-remote; input.yaml:10:13 ref-remote",
     "network references are disabled"},
    /* files */
    {"file refs ok",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'other.yaml#/definitions/X'}\n"
                          "  B: {$ref: 'Whole.json'}\n  C: {$ref: 'sub/../other.yaml#/definitions/Y'}\n"
                          "  D: {$ref: './sub/Deep.yaml#'}\n  E: {$ref: 'input.yaml#/definitions/A'}\n"
                          "  F: {$ref: 'My%20File.yaml'}\n"},
      {"other.yaml", "definitions:\n  X: {type: string}\n  Y: {$ref: '#/definitions/X'}\n"},
      {"Whole.json", "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"other.yaml#/definitions/X\"}}}"},
      {"sub/Deep.yaml", "type: object\nproperties:\n  up: {$ref: '../other.yaml#/definitions/Y'}\n"},
      {"My File.yaml", "type: string\n"}},
     NULL, NULL, "", NULL},
    {"finding in another file names it",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'other.yaml#/X'}\n"},
      {"other.yaml", "X:\n  type: object\n  properties:\n    y: {$ref: '#/Missing'}\n"}},
     NULL, NULL, "other.yaml:4:15 ref-unresolved", "(related input.yaml:5:13)"},
    {"missing file",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'nothere.yaml#/X'}\n"}}, NULL, NULL,
     "input.yaml:5:13 ref-unresolved", "No such file"},
    {"broken file",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'broken.yaml#/X'}\n  B: {$ref: 'broken.yaml'}\n"},
      {"broken.yaml", "X: [1, 2\n"}},
     NULL, NULL,
     "broken.yaml:2:1 yaml-syntax; input.yaml:5:13 ref-unresolved; input.yaml:6:13 ref-unresolved",
     "cannot be read as JSON or YAML"},
    {"file with duplicate keys loads with its finding",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'dup.json#/X'}\n"},
      {"dup.json", "{\"X\": {}, \"X\": {}}"}},
     NULL, NULL, "dup.json:1:11 duplicate-key", NULL},
    {"cross-file cycle",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'a.yaml#/X'}\n"},
      {"a.yaml", "X: {$ref: 'b.yaml#/Y'}\n"},
      {"b.yaml", "Y: {$ref: 'a.yaml#/X'}\n"}},
     NULL, NULL, "a.yaml:1:11 ref-cycle", "#/X -> b.yaml#/Y -> #/X"},
    {"cross-file cycle through the root",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'a.yaml#/X'}\n"},
      {"a.yaml", "X: {$ref: 'input.yaml#/definitions/A'}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-cycle", "#/definitions/A -> a.yaml#/X -> #/definitions/A"},
    {"path item from another file",
     {{"input.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
                     "paths:\n  /pets: {$ref: 'paths.yaml#/pets'}\n"},
      {"paths.yaml", "pets:\n  get:\n    responses:\n      '200': {description: ok, schema: "
                     "{$ref: '#/definitions/Nope'}}\n"}},
     NULL, NULL, "paths.yaml:4:47 ref-unresolved", "'#' is an object with no member 'definitions'"},
    /* the sandbox */
    {"../ leaves the root",
     {{"spec/input.yaml", HEAD "definitions:\n  A: {$ref: '../common/Error.yaml'}\n"},
      {"common/Error.yaml", "type: object\n"}},
     NULL, NULL, "spec/input.yaml:5:13 ref-sandbox", "leaves the folder"},
    {"../ inside --ref-root",
     {{"spec/input.yaml", HEAD "definitions:\n  A: {$ref: '../common/Error.yaml'}\n"},
      {"common/Error.yaml", "type: object\n"}},
     "", NULL, "", NULL},
    {"escapes refused without opening",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '../../../../../../../../etc/passwd'}\n"
                          "  B: {$ref: '/etc/passwd'}\n  C: {$ref: 'file:///etc/passwd'}\n"
                          "  D: {$ref: '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd'}\n"
                          "  E: {$ref: 'a.yaml%00.json'}\n  F: {$ref: 'C:\\Windows\\win.ini'}\n"
                          "  G: {$ref: '\\\\server\\share\\x'}\n  H: {$ref: '../nothere.yaml'}\n"
                          "  I: {$ref: '%252e%252e%252fx.yaml'}\n"},
      {"a.yaml", "{}\n"}},
     NULL, NULL,
     "input.yaml:5:13 ref-sandbox; input.yaml:6:13 ref-sandbox; input.yaml:7:13 ref-sandbox; "
     "input.yaml:8:13 ref-sandbox; input.yaml:9:13 ref-sandbox; input.yaml:10:13 ref-sandbox; "
     "input.yaml:11:13 ref-sandbox; input.yaml:12:13 ref-sandbox; input.yaml:13:13 ref-unresolved",
     "the file was not opened"},
    {"absolute path and file: URI inside the root",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: '@/other.yaml'}\n"},
      {"other.yaml", "type: string\n"}},
     NULL, NULL, "", NULL},
    {"directory target",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'sub'}\n  B: {$ref: 'sub/'}\n"},
      {"sub/x.yaml", "{}\n"}},
     NULL, NULL, "input.yaml:5:13 ref-sandbox; input.yaml:6:13 ref-sandbox", "a directory"},
    {"ref-documents",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'a.yaml'}\n  B: {$ref: 'b.yaml'}\n"
                          "  C: {$ref: 'c.yaml'}\n  D: {$ref: 'a.yaml'}\n"},
      {"a.yaml", "type: string\n"},
      {"b.yaml", "type: string\n"},
      {"c.yaml", "type: string\n"}},
     NULL, "ref-documents=2", "input.yaml:7:13 ref-limit", "ref-documents"},
    {"ref-total-size",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'a.yaml'}\n"},
      {"a.yaml", "type: string\n"}},
     NULL, "ref-total-size=100", "input.yaml:5:13 ref-limit", "ref-total-size"},
    {"file-size of a referenced file",
     {{"input.yaml", HEAD "definitions:\n  A: {$ref: 'a.yaml'}\n"},
      {"a.yaml", "type: string\ndescription: >\n  a description long enough to make this file "
                 "longer than the limit of 200 bytes that the root document itself stays "
                 "within; a description long enough to make this file longer than the limit\n"}},
     NULL, "file-size=200", "input.yaml:5:13 ref-limit", "file-size"},
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* "@/" in a case's text stands for the temporary folder. */
static char *expand(const char *text, const char *dir)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, "");
    for (const char *p = text; *p; p++) {
        if (p[0] == '@' && p[1] == '/')
            sgi_buf_puts(&b, dir);
        else
            sgi_buf_append(&b, p, 1);
    }
    ck_assert(!b.oom);
    return b.data;
}

START_TEST(test_cases)
{
    const rcase *c = &cases[_i];
    char *dir = tmp_dir();
    for (size_t i = 0; i < 5 && c->files[i].name; i++) {
        char *t = expand(c->files[i].text, dir);
        put(dir, c->files[i].name, t);
        free(t);
    }
    sg_options o;
    sg_options_init(&o);
    char *rr = c->ref_root ? path_in(dir, c->ref_root) : NULL;
    o.ref_root = rr;
    if (c->limit) {
        char name[64];
        unsigned long long v;
        ck_assert_int_eq(sscanf(c->limit, "%63[a-z-]=%llu", name, &v), 2);
        ck_assert_int_eq(sg_limits_set(&o.limits, name, v), SG_OK);
    }
    char *msgs = NULL;
    char *got = lint_file(dir, c->files[0].name, &o, &msgs);
    ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n  want %s\n  got  %s\n%s", c->name, c->want,
                  got, msgs);
    if (c->msg)
        ck_assert_msg(contains(msgs, c->msg), "%s: no '%s' in\n%s", c->name, c->msg, msgs);
    /* The same findings whatever the read chunk. */
    o.read_chunk = 3;
    char *got3 = lint_file(dir, c->files[0].name, &o, NULL);
    ck_assert_str_eq(got3, got);
    free(got3);
    free(got);
    free(msgs);
    free(rr);
    rm_tree(dir);
}
END_TEST

/* file: URIs inside the root resolve like absolute paths. */
START_TEST(test_file_uri_inside)
{
    char *dir = tmp_dir();
    char *t = expand(HEAD "definitions:\n  A: {$ref: 'file://@/other.yaml#/X'}\n"
                          "  B: {$ref: 'file://localhost@/other.yaml#/X'}\n",
                     dir);
    put(dir, "input.yaml", t);
    put(dir, "other.yaml", "X: {type: string}\n");
    char *got = lint_file(dir, "input.yaml", NULL, NULL);
    ck_assert_str_eq(got, "");
    free(got);
    free(t);
    rm_tree(dir);
}
END_TEST

/* ---- the file system ----------------------------------------------------- */

/* A symlink inside the root that points out is refused; one that stays in
 * is followed. */
START_TEST(test_symlinks)
{
    char *dir = tmp_dir(), *out = tmp_dir();
    put(out, "secret.yaml", "secret: do-not-echo\n");
    put(dir, "real.yaml", "X: {type: string}\n");
    put(dir, "input.yaml", HEAD "definitions:\n  A: {$ref: 'out.yaml#/secret'}\n"
                                "  B: {$ref: 'in.yaml#/X'}\n  C: {$ref: 'outdir/secret.yaml'}\n"
                                "  D: {$ref: 'loop.yaml'}\n");
    char *s = path_in(out, "secret.yaml"), *l = path_in(dir, "out.yaml");
    ck_assert_int_eq(symlink(s, l), 0);
    free(l);
    l = path_in(dir, "in.yaml");
    ck_assert_int_eq(symlink("real.yaml", l), 0);
    free(l);
    l = path_in(dir, "outdir");
    ck_assert_int_eq(symlink(out, l), 0);
    free(l);
    l = path_in(dir, "loop.yaml");
    ck_assert_int_eq(symlink("loop.yaml", l), 0);
    free(l);
    char *msgs;
    char *got = lint_file(dir, "input.yaml", NULL, &msgs);
    ck_assert_str_eq(got, "input.yaml:5:13 ref-sandbox; input.yaml:7:13 ref-sandbox; "
                          "input.yaml:8:13 ref-unresolved");
    ck_assert(!contains(msgs, "do-not-echo"));
    ck_assert(contains(msgs, "loop.yaml"));
    free(got);
    free(msgs);
    free(s);
    rm_tree(out);
    rm_tree(dir);
}
END_TEST

/* A FIFO is refused without being opened (no hang), and so are devices:
 * /dev/zero by absolute path, inside a root of "/" and outside the default. */
START_TEST(test_fifo_and_devices)
{
    char *dir = tmp_dir();
    char *f = path_in(dir, "fifo.yaml");
    ck_assert_int_eq(mkfifo(f, 0600), 0);
    put(dir, "input.yaml", HEAD "definitions:\n  A: {$ref: 'fifo.yaml'}\n  B: {$ref: '/dev/zero'}\n");
    char *msgs;
    time_t t0 = time(NULL);
    char *got = lint_file(dir, "input.yaml", NULL, &msgs);
    ck_assert_str_eq(got, "input.yaml:5:13 ref-sandbox; input.yaml:6:13 ref-sandbox");
    ck_assert(contains(msgs, "a FIFO"));
    free(got);
    free(msgs);
    sg_options o;
    sg_options_init(&o);
    o.ref_root = "/";
    got = lint_file(dir, "input.yaml", &o, &msgs);
    ck_assert_str_eq(got, "input.yaml:5:13 ref-sandbox; input.yaml:6:13 ref-sandbox");
    ck_assert(contains(msgs, "a character device"));
    ck_assert(time(NULL) - t0 < 5);
    free(got);
    free(msgs);
    free(f);
    rm_tree(dir);
}
END_TEST

/* 300 external files against ref-documents (256): the files past the limit
 * are refused, each at its $ref; with the limit raised, all load. */
START_TEST(test_many_files)
{
    char *dir = tmp_dir();
    sgi_buf b = {0};
    sgi_buf_puts(&b, HEAD "definitions:\n");
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "f/%03d.yaml", i);
        put(dir, name, "type: string\n");
        sgi_buf_printf(&b, "  D%03d: {$ref: '%s'}\n", i, name);
    }
    put(dir, "input.yaml", b.data);
    sgi_buf_fini(&b);
    char *got = lint_file(dir, "input.yaml", NULL, NULL);
    size_t n = 0;
    for (const char *p = got; (p = strstr(p, "ref-limit")) != NULL; p++)
        n++;
    ck_assert_uint_eq(n, 300 - 256);
    ck_assert(contains(got, "input.yaml:261:16 ref-limit")); /* D256, the first refused */
    ck_assert(!contains(got, "input.yaml:260:16"));
    free(got);
    sg_options o;
    sg_options_init(&o);
    ck_assert_int_eq(sg_limits_set(&o.limits, "ref-documents", 300), SG_OK);
    got = lint_file(dir, "input.yaml", &o, NULL);
    ck_assert_str_eq(got, "");
    free(got);
    rm_tree(dir);
}
END_TEST

/* A chain of 100 $refs with the default limit (64): one finding, at the
 * $ref where the chain goes past the limit, whatever the walk's order. */
START_TEST(test_long_chain)
{
    char *dir = tmp_dir();
    for (int order = 0; order < 2; order++) {
        sgi_buf b = {0};
        sgi_buf_puts(&b, HEAD "definitions:\n");
        for (int k = 0; k < 100; k++) {
            int i = order ? 100 - k : k + 1;
            if (i == 100)
                sgi_buf_printf(&b, "  A%03d: {type: string}\n", i);
            else
                sgi_buf_printf(&b, "  A%03d: {$ref: '#/definitions/A%03d'}\n", i, i + 1);
        }
        put(dir, "input.yaml", b.data);
        sgi_buf_fini(&b);
        char *msgs;
        char *got = lint_file(dir, "input.yaml", NULL, &msgs);
        /* A035 -> ... -> A099 -> A100: 65 $refs */
        int line = order ? 5 + (100 - 35) : 4 + 35;
        char want[64];
        snprintf(want, sizeof want, "input.yaml:%d:16 ref-limit", line);
        ck_assert_msg(strcmp(got, want) == 0, "order %d: %s", order, got);
        ck_assert(contains(msgs, "chain of 65 $refs, over the limit of 64: #/definitions/A035 -> "
                                 "#/definitions/A036 -> #/definitions/A037 -> ... -> "
                                 "#/definitions/A098 -> #/definitions/A099"));
        free(got);
        free(msgs);
    }
    rm_tree(dir);
}
END_TEST

/* ---- documents without a path -------------------------------------------- */

START_TEST(test_no_path)
{
    char *dir = tmp_dir();
    put(dir, "other.yaml", "X: {type: string}\n");
    char *text = expand(HEAD "definitions:\n  A: {$ref: 'other.yaml#/X'}\n"
                             "  B: {$ref: '@/other.yaml#/X'}\n  C: {$ref: '#/definitions/A'}\n",
                        dir);
    sg_options o;
    sg_options_init(&o);
    for (int with_root = 0; with_root < 2; with_root++) {
        o.ref_root = with_root ? dir : NULL;
        sg_diagnostics *d = sg_diagnostics_new();
        sg_document *doc = NULL;
        ck_assert_int_eq(sg_document_parse("input.yaml", text, strlen(text), &o, d, &doc), SG_OK);
        ck_assert_int_eq(sg_lint(doc, &o, d), SG_OK);
        char *msgs;
        char *got = summary(d, NULL, &msgs);
        if (!with_root) {
            ck_assert_str_eq(got, "input.yaml:5:13 ref-sandbox; input.yaml:6:13 ref-sandbox");
            ck_assert(contains(msgs, "--ref-root"));
            ck_assert(contains(msgs, "standard input or memory"));
        } else {
            /* relative to the current directory, which is not the root */
            ck_assert_msg(strcmp(got, "input.yaml:5:13 ref-unresolved") == 0 ||
                              strcmp(got, "input.yaml:5:13 ref-sandbox") == 0,
                          "%s", got);
        }
        free(got);
        free(msgs);
        sg_document_free(doc);
        sg_diagnostics_free(d);
    }
    /* A --ref-root that does not exist: said once, file refs refused. */
    o.ref_root = "/nonexistent/folder";
    char *got = lint_file(dir, "other.yaml", &o, NULL);
    ck_assert(contains(got, "0:0 ref-sandbox"));
    free(got);
    free(text);
    rm_tree(dir);
}
END_TEST

/* ---- the sgi_resolve interface ------------------------------------------- */

static struct json_object *at(struct json_object *v, const char *a, const char *b)
{
    struct json_object *x = NULL, *y = NULL;
    ck_assert(json_object_object_get_ex(v, a, &x));
    if (!b)
        return x;
    ck_assert(json_object_object_get_ex(x, b, &y));
    return y;
}

START_TEST(test_resolve_api)
{
    char *dir = tmp_dir();
    put(dir, "input.yaml", HEAD "definitions:\n  A: {$ref: '#/definitions/B'}\n"
                                "  B: {$ref: 'other.yaml#/X'}\n  C: {$ref: '#/definitions/C'}\n"
                                "  D: {$ref: '#/nowhere'}\n");
    put(dir, "other.yaml", "# a comment\nX:\n  type: string\n");
    char *p = path_in(dir, "input.yaml");
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_load(p, NULL, d, &doc), SG_OK);
    sgi_resolver *r = sgi_resolver_new(doc, NULL, d);
    ck_assert_ptr_nonnull(r);
    struct json_object *defs = at(sg_document_root(doc), "definitions", NULL);
    sgi_ref_target t;
    /* before the check: resolved on demand, found through two hops */
    ck_assert_int_eq(sgi_resolve(r, doc, at(defs, "A", NULL), &t), SG_OK);
    ck_assert_int_eq(t.found, 1);
    ck_assert_ptr_ne(t.doc, doc);
    ck_assert(contains(sg_document_name(t.doc), "other.yaml"));
    ck_assert_str_eq(t.pointer, "/X");
    ck_assert_str_eq(json_object_get_string(at(t.value, "type", NULL)), "string");
    sgi_span sp;
    ck_assert(sgi_marks_get(t.doc->marks, t.parent, t.slot, &sp));
    ck_assert_uint_eq(sp.key_start.line, 2);
    ck_assert_uint_eq(sp.start.line, 3);
    size_t before = sg_diagnostics_count(d);
    ck_assert_int_eq(sgi_resolver_check(r), SG_OK);
    /* C and D reported once each, however often they are asked for */
    ck_assert_uint_eq(sg_diagnostics_count(d), before + 2);
    ck_assert_int_eq(sgi_resolve(r, doc, at(defs, "C", NULL), &t), SG_OK);
    ck_assert_int_eq(t.found, 0);
    ck_assert_int_eq(sgi_resolve(r, doc, at(defs, "D", NULL), &t), SG_OK);
    ck_assert_int_eq(t.found, 0);
    ck_assert_int_eq(sgi_resolver_check(r), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), before + 2);
    /* a value that is no $ref object, or a document the resolver does not know */
    ck_assert_int_eq(sgi_resolve(r, doc, defs, &t), SG_EUSAGE);
    ck_assert_int_eq(sgi_resolve(r, NULL, at(defs, "A", NULL), &t), SG_EUSAGE);
    sgi_resolver_free(r);
    sgi_resolver_free(NULL);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

/* Shared nodes (YAML aliases) and a "$ref bomb" (each definition refers to
 * the previous one many times) are walked once: fast, no finding. */
START_TEST(test_shared_and_bomb)
{
    sgi_buf b = {0};
    sgi_buf_puts(&b, HEAD "definitions:\n  D0: {type: string}\n");
    for (int i = 1; i < 30; i++) {
        sgi_buf_printf(&b, "  D%d:\n    type: object\n    properties:\n", i);
        for (int k = 0; k < 10; k++)
            sgi_buf_printf(&b, "      p%d: {$ref: '#/definitions/D%d'}\n", k, i - 1);
    }
    sgi_buf_puts(&b, "  L0: &l0 {properties: {a: {$ref: '#/definitions/D29'}, b: {$ref: '#/nope'}}}\n");
    for (int i = 1; i < 9; i++)
        sgi_buf_printf(&b, "  L%d: &l%d {properties: {a: *l%d, b: *l%d, c: *l%d, d: *l%d}}\n", i, i,
                       i - 1, i - 1, i - 1, i - 1);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("bomb.yaml", b.data, b.len, NULL, d, &doc), SG_OK);
    clock_t t0 = clock();
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    ck_assert((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    char *got = summary(d, NULL, NULL);
    ck_assert_str_eq(got, "bomb.yaml:383:67 ref-unresolved"); /* once, though shared 4^8 times */
    free(got);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    sgi_buf_fini(&b);
}
END_TEST

/* ---- OAI petstore-separate ------------------------------------------------ */

/* spec/swagger.* refers to ../common/Error.*, outside its own folder: the
 * default root refuses it, a root of the example's folder resolves all. */
START_TEST(test_petstore_separate)
{
    const char *base = getenv("SWAGGATE_TESTDATA");
    static const char *const fmt[] = {"json", "yaml"};
    if (!base || !*base) {
        printf("resolve: SKIP petstore-separate (set SWAGGATE_TESTDATA=../shared/testdata)\n");
        return;
    }
    char root[1024], spec[1100];
    snprintf(root, sizeof root, "%s/oai-v2/examples/v2.0/%s/petstore-separate", base, fmt[_i]);
    snprintf(spec, sizeof spec, "%s/spec/swagger.%s", root, fmt[_i]);
    struct stat st;
    if (stat(spec, &st) != 0) {
        printf("resolve: SKIP %s (not found)\n", spec);
        return;
    }
    sg_options o;
    sg_options_init(&o);
    o.profile = SG_PROFILE_SWAGGER; /* resolution only: the apig rules are not the point */
    for (int widen = 0; widen < 2; widen++) {
        o.ref_root = widen ? root : NULL;
        sg_diagnostics *d = sg_diagnostics_new();
        sg_document *doc = NULL;
        ck_assert_int_eq(sg_document_load(spec, &o, d, &doc), SG_OK);
        ck_assert_int_eq(sg_lint(doc, &o, d), SG_OK);
        size_t sandbox = 0, errors = 0;
        for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
            const sg_diagnostic *g = sg_diagnostics_get(d, i);
            errors += g->severity == SG_SEVERITY_ERROR;
            sandbox += strcmp(g->rule, "ref-sandbox") == 0;
            ck_assert_msg(g->severity != SG_SEVERITY_ERROR || strcmp(g->rule, "ref-sandbox") == 0,
                          "%s:%u:%u %s %s", g->file, g->start.line, g->start.column, g->rule,
                          g->message);
        }
        ck_assert_uint_eq(sandbox, widen ? 0 : 4);
        ck_assert_uint_eq(errors, sandbox);
        sg_document_free(doc);
        sg_diagnostics_free(d);
    }
}
END_TEST

/* Every rule of the resolve checker is produced by some case above. */
START_TEST(test_catalog_rules_produced)
{
    size_t n = 0;
    for (const sg_rule *r; (r = sg_rule_at(n)) != NULL; n++) {
        if (strcmp(r->checker, "resolve") != 0)
            continue;
        int found = 0;
        for (size_t i = 0; i < N_CASES && !found; i++)
            found = contains(cases[i].want, r->id);
        ck_assert_msg(found, "no case produces %s", r->id);
        ck_assert_ptr_nonnull(r->description);
    }
}
END_TEST

Suite *suite_resolve(void)
{
    Suite *s = suite_create("resolve");
    TCase *tc = tcase_create("resolve");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_cases, 0, (int)N_CASES);
    tcase_add_test(tc, test_catalog_rules_produced);
    tcase_add_test(tc, test_file_uri_inside);
    tcase_add_test(tc, test_symlinks);
    tcase_add_test(tc, test_fifo_and_devices);
    tcase_add_test(tc, test_many_files);
    tcase_add_test(tc, test_long_chain);
    tcase_add_test(tc, test_no_path);
    tcase_add_test(tc, test_resolve_api);
    tcase_add_test(tc, test_shared_and_bomb);
    tcase_add_loop_test(tc, test_petstore_separate, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
