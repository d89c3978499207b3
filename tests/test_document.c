/* Unit tests of documents (src/document.c): loading files (format by name,
 * then by content), parsing bytes, locating values by JSON Pointer with
 * their marks, marks that agree between JSON and YAML, results that do not
 * depend on the read chunk, and sg_number_text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/sg-document-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    char *r = strdup(d);
    ck_assert_ptr_nonnull(r);
    return r;
}

static char *write_in(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

static void rm_tree(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static char *compact(struct json_object *v)
{
    sgi_buf b = {0};
    sgi_emit_json(&b, v, -1);
    ck_assert_ptr_nonnull(b.data);
    return b.data;
}

static sg_document *parse_ok(const char *name, const char *in, size_t chunk)
{
    sg_options opts;
    sg_options_init(&opts);
    opts.read_chunk = chunk;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_status st = sg_document_parse(name, in, strlen(in), &opts, d, &doc);
    ck_assert_msg(st == SG_OK, "%s: %s (%s)", name, sg_status_string(st),
                  sg_diagnostics_count(d) ? sg_diagnostics_get(d, 0)->message : "");
    sg_diagnostics_free(d);
    return doc;
}

/* "L:C@O" of M into BUF */
static const char *mark_str(const sg_mark *m, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u:%u@%zu", m->line, m->column, m->offset);
    return buf;
}

/* Every pointer into V (prefix PREFIX), appended to B one per line. */
static void all_pointers(struct json_object *v, const char *prefix, sgi_buf *b)
{
    sgi_buf_puts(b, prefix);
    sgi_buf_puts(b, "\n");
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, val)
        {
            sgi_buf p = {0};
            sgi_buf_puts(&p, prefix);
            sgi_buf_puts(&p, "/");
            sgi_pointer_append(&p, key, strlen(key));
            all_pointers(val, p.data, b);
            sgi_buf_fini(&p);
        }
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            sgi_buf p = {0};
            sgi_buf_printf(&p, "%s/%zu", prefix, i);
            all_pointers(json_object_array_get_idx(v, i), p.data, b);
            sgi_buf_fini(&p);
        }
    }
}

/* For every pointer of DOC: "pointer key start end" lines, in one string.
 * With LINES_ONLY, only line numbers. Caller frees. */
static void locate_one(const sg_document *doc, const char *ptr, int lines_only, sgi_buf *out)
{
    sg_mark s, e, k;
    ck_assert_msg(sg_document_locate(doc, ptr, &s, &e, &k) == SG_OK, "locate \"%s\"", ptr);
    if (lines_only) {
        sgi_buf_printf(out, "%s key %u start %u end %u\n", ptr, k.line, s.line, e.line);
    } else {
        char b1[64], b2[64], b3[64];
        sgi_buf_printf(out, "%s key %s start %s end %s\n", ptr, mark_str(&k, b1, sizeof b1),
                       mark_str(&s, b2, sizeof b2), mark_str(&e, b3, sizeof b3));
    }
}

static char *locate_all(const sg_document *doc, int lines_only)
{
    sgi_buf ptrs = {0}, out = {0};
    all_pointers(sg_document_root(doc), "", &ptrs);
    /* the first line is the root's empty pointer; strtok skips it */
    locate_one(doc, "", lines_only, &out);
    char *save = NULL;
    for (char *p = strtok_r(ptrs.data, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
        locate_one(doc, p, lines_only, &out);
    sgi_buf_fini(&ptrs);
    return out.data;
}

/* ---- loading --------------------------------------------------------------- */

typedef struct load_case {
    const char *file;
    const char *text;
    sg_format format;
    const char *json;
} load_case;

static const load_case load_cases[] = {
    {"a.json", "{\"a\": [1, 2]}\n", SG_FORMAT_JSON, "{\"a\":[1,2]}"},
    {"a.JSON", "[true]", SG_FORMAT_JSON, "[true]"},
    {"a.yaml", "a: [1, 2]\n", SG_FORMAT_YAML, "{\"a\":[1,2]}"},
    {"a.yml", "- x\n", SG_FORMAT_YAML, "[\"x\"]"},
    {"noext", "{\"a\": 1}", SG_FORMAT_JSON, "{\"a\":1}"},
    {"noext-ws", " \r\n\t[1]", SG_FORMAT_JSON, "[1]"},
    {"noext-bom", "\xef\xbb\xbf{\"b\": 2}", SG_FORMAT_JSON, "{\"b\":2}"},
    {"noext-yaml", "a: 1\n", SG_FORMAT_YAML, "{\"a\":1}"},
    {"noext-comment", "# c\n{a: 1}\n", SG_FORMAT_YAML, "{\"a\":1}"},
    {"swagger.json.txt", "x: z\n", SG_FORMAT_YAML, "{\"x\":\"z\"}"},
};

START_TEST(test_load)
{
    const load_case *c = &load_cases[_i];
    char *dir = tmp_dir();
    char *p = write_in(dir, c->file, c->text);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = (sg_document *)&d; /* overwritten */
    ck_assert_int_eq(sg_document_load(p, NULL, d, &doc), SG_OK);
    ck_assert_ptr_nonnull(doc);
    ck_assert_msg(sg_document_format(doc) == c->format, "%s: format %d", c->file,
                  sg_document_format(doc));
    ck_assert_str_eq(sg_document_name(doc), p);
    char *json = compact(sg_document_root(doc));
    ck_assert_str_eq(json, c->json);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    free(json);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_load_errors)
{
    char *dir = tmp_dir();
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = (sg_document *)&d;
    char *missing = write_in(dir, "x", "");
    ck_assert_int_eq(unlink(missing), 0);
    ck_assert_int_eq(sg_document_load(missing, NULL, d, &doc), SG_EINPUT);
    ck_assert_ptr_null(doc);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->rule, "io");

    /* a syntax error: no document, one diagnostic at its place */
    char *bad = write_in(dir, "bad.json", "{\"a\": 1,}");
    doc = (sg_document *)&d;
    ck_assert_int_eq(sg_document_load(bad, NULL, d, &doc), SG_EINPUT);
    ck_assert_ptr_null(doc);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_str_eq(sg_diagnostics_get(d, 1)->rule, "json-syntax");
    ck_assert_str_eq(sg_diagnostics_get(d, 1)->file, bad);

    /* a forced format wins over the name */
    char *y = write_in(dir, "really-yaml.json", "a: 1\n");
    sg_options opts;
    sg_options_init(&opts);
    opts.format = SG_FORMAT_YAML;
    ck_assert_int_eq(sg_document_load(y, &opts, d, &doc), SG_OK);
    ck_assert_int_eq(sg_document_format(doc), SG_FORMAT_YAML);
    sg_document_free(doc);
    opts.format = SG_FORMAT_AUTO;
    ck_assert_int_eq(sg_document_load(y, &opts, d, &doc), SG_EINPUT); /* as JSON */

    ck_assert_int_eq(sg_document_load(NULL, NULL, d, &doc), SG_EUSAGE);
    ck_assert_int_eq(sg_document_load(y, NULL, d, NULL), SG_EUSAGE);
    sg_diagnostics_free(d);
    free(missing);
    free(bad);
    free(y);
    rm_tree(dir);
}
END_TEST

START_TEST(test_parse_args)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = (sg_document *)&d;
    ck_assert_int_eq(sg_document_parse("x.json", NULL, 3, NULL, d, &doc), SG_EUSAGE);
    ck_assert_int_eq(sg_document_parse("x.json", "{}", 2, NULL, d, NULL), SG_EUSAGE);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    /* no bytes at all: an empty document */
    ck_assert_int_eq(sg_document_parse("x.json", NULL, 0, NULL, d, &doc), SG_EINPUT);
    ck_assert_ptr_null(doc);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->rule, "empty-document");
    /* a NULL name is "-" */
    ck_assert_int_eq(sg_document_parse(NULL, "[1]", 3, NULL, d, &doc), SG_OK);
    ck_assert_str_eq(sg_document_name(doc), "-");
    ck_assert_int_eq(sg_document_format(doc), SG_FORMAT_JSON); /* sniffed */
    sg_document_free(doc);
    /* NULL documents */
    sg_document_free(NULL);
    ck_assert_ptr_null(sg_document_root(NULL));
    ck_assert_ptr_null(sg_document_name(NULL));
    ck_assert_int_eq(sg_document_format(NULL), SG_FORMAT_AUTO);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_parse_over_limit)
{
    sg_options opts;
    sg_options_init(&opts);
    ck_assert_int_eq(sg_limits_set(&opts.limits, "file-size", 10), SG_OK);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("big.json", "[1,2,3,4,5]", 11, &opts, d, &doc), SG_EINPUT);
    ck_assert_ptr_null(doc);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_str_eq(g->rule, "limit");
    ck_assert_str_eq(g->file, "big.json");
    ck_assert_msg(contains(g->message, "10 bytes"), "%s", g->message);
    ck_assert_int_eq(sg_document_parse("ok.json", "[1,2,3,4]", 9, &opts, d, &doc), SG_OK);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* The bytes are copied: the caller's buffer may change or go away. */
START_TEST(test_parse_copies)
{
    char *in = strdup("swagger: '3.0'\ninfo: {title: tst, version: '1'}\npaths: {}\n");
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, strlen(in), NULL, d, &doc), SG_OK);
    memset(in, '#', strlen(in));
    free(in);
    ck_assert_int_eq(sg_lint(doc, NULL, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->source_line, "swagger: '3.0'");
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- locate ------------------------------------------------------------- */

static const char locate_doc[] = "{\n"
                                 "  \"a\": {\"b/c\": [10, {\"m~n\": null}]},\n"
                                 "  \"\": 1,\n"
                                 "  \"n\": null\n"
                                 "}\n";

typedef struct loc_case {
    const char *pointer;
    sg_status status;
    unsigned kl, kc, sl, sc, el, ec; /* key start, start, end */
} loc_case;

static const loc_case loc_cases[] = {
    {"", SG_OK, 1, 1, 1, 1, 5, 2},
    {"/a", SG_OK, 2, 3, 2, 8, 2, 36},
    {"/a/b~1c", SG_OK, 2, 9, 2, 16, 2, 35},
    {"/a/b~1c/0", SG_OK, 2, 17, 2, 17, 2, 19},
    {"/a/b~1c/1", SG_OK, 2, 21, 2, 21, 2, 34},
    {"/a/b~1c/1/m~0n", SG_OK, 2, 22, 2, 29, 2, 33}, /* a null value */
    {"/", SG_OK, 3, 3, 3, 7, 3, 8},                 /* the member "" */
    {"/n", SG_OK, 4, 3, 4, 8, 4, 12},
    {"a", SG_EUSAGE, 0, 0, 0, 0, 0, 0},             /* no leading '/' */
    {"#/a", SG_EUSAGE, 0, 0, 0, 0, 0, 0},           /* a URI fragment is not a pointer */
    {"/zz", SG_EUSAGE, 0, 0, 0, 0, 0, 0},           /* missing member */
    {"/A", SG_EUSAGE, 0, 0, 0, 0, 0, 0},            /* case matters */
    {"/a/b/c", SG_EUSAGE, 0, 0, 0, 0, 0, 0},        /* '/' must be ~1 */
    {"/a/b~1c/01", SG_EUSAGE, 0, 0, 0, 0, 0, 0},    /* leading zero */
    {"/a/b~1c/00", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~1c/2", SG_EUSAGE, 0, 0, 0, 0, 0, 0},     /* past the end */
    {"/a/b~1c/-", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~1c/+1", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~1c/ 1", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~1c/", SG_EUSAGE, 0, 0, 0, 0, 0, 0},      /* empty index */
    {"/a/b~1c/99999999999999999999", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~2c", SG_EUSAGE, 0, 0, 0, 0, 0, 0},       /* bad escape */
    {"/a/b~", SG_EUSAGE, 0, 0, 0, 0, 0, 0},
    {"/a/b~1c/0/x", SG_EUSAGE, 0, 0, 0, 0, 0, 0},   /* into a number */
    {"/n/x", SG_EUSAGE, 0, 0, 0, 0, 0, 0},          /* into null */
    {"/a/", SG_EUSAGE, 0, 0, 0, 0, 0, 0},           /* "a" has no member "" */
    {"//", SG_EUSAGE, 0, 0, 0, 0, 0, 0},            /* into the number 1 */
    {"/a/m~0n", SG_EUSAGE, 0, 0, 0, 0, 0, 0},       /* a member of another object */
};

START_TEST(test_locate)
{
    const loc_case *c = &loc_cases[_i];
    static const char *const names[] = {"x.json", "x.yaml"};
    for (int f = 0; f < 2; f++) {
        sg_document *doc = parse_ok(names[f], locate_doc, 0);
        sg_mark s = {0, 0, 0}, e = {0, 0, 0}, k = {0, 0, 0};
        sg_status st = sg_document_locate(doc, c->pointer, &s, &e, &k);
        ck_assert_msg(st == c->status, "%s \"%s\": %s", names[f], c->pointer,
                      sg_status_string(st));
        if (st == SG_OK) {
            ck_assert_msg(k.line == c->kl && k.column == c->kc && s.line == c->sl &&
                              s.column == c->sc && e.line == c->el && e.column == c->ec,
                          "%s \"%s\": key %u:%u start %u:%u end %u:%u, expected key %u:%u start "
                          "%u:%u end %u:%u",
                          names[f], c->pointer, k.line, k.column, s.line, s.column, e.line,
                          e.column, c->kl, c->kc, c->sl, c->sc, c->el, c->ec);
            /* any out pointer may be NULL */
            ck_assert_int_eq(sg_document_locate(doc, c->pointer, NULL, NULL, NULL), SG_OK);
            sg_mark s2;
            ck_assert_int_eq(sg_document_locate(doc, c->pointer, &s2, NULL, NULL), SG_OK);
            ck_assert_uint_eq(s2.offset, s.offset);
        }
        sg_document_free(doc);
    }
}
END_TEST

START_TEST(test_locate_args)
{
    sg_document *doc = parse_ok("x.json", "{}", 0);
    sg_mark s;
    ck_assert_int_eq(sg_document_locate(NULL, "", &s, NULL, NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_document_locate(doc, NULL, &s, NULL, NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_document_locate(doc, "", &s, NULL, NULL), SG_OK);
    ck_assert_uint_eq(s.line, 1);
    ck_assert_uint_eq(s.column, 1);
    sg_document_free(doc);
}
END_TEST

/* Offsets are bytes, a BOM included; columns are code points after it. */
START_TEST(test_locate_bom_multibyte)
{
    static const char in[] = "\xef\xbb\xbf{\"\xc3\xa9\": \"\xe6\x97\xa5\", \"k\": 1}";
    static const char *const names[] = {"x.json", "x.yaml"};
    for (int f = 0; f < 2; f++) {
        sg_document *doc = parse_ok(names[f], in, 0);
        sg_mark s, e, k;
        ck_assert_int_eq(sg_document_locate(doc, "/k", &s, &e, &k), SG_OK);
        /* {"é": "日", "k": 1}  k at column 12, offset 3 + 14 */
        ck_assert_msg(k.line == 1 && k.column == 12 && k.offset == 17, "%s: key %u:%u@%zu",
                      names[f], k.line, k.column, k.offset);
        ck_assert_msg(s.column == 17 && s.offset == 22, "%s: start %u:%u@%zu", names[f], s.line,
                      s.column, s.offset);
        ck_assert_int_eq(sg_document_locate(doc, "", &s, &e, &k), SG_OK);
        ck_assert_msg(s.column == 1 && s.offset == 3, "%s: root at %u:%u@%zu", names[f], s.line,
                      s.column, s.offset);
        sg_document_free(doc);
    }
}
END_TEST

/* The same text read as JSON and as YAML (JSON is YAML): the same marks for
 * every value, key and end. */
START_TEST(test_marks_json_yaml_same_text)
{
    static const char *const texts[] = {
        locate_doc,
        "{\"swagger\": \"2.0\",\n \"info\": {\"title\": \"T\",\n          \"version\": \"1.0\"},\n"
        " \"paths\": {\"/p/{id}\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}}},\n"
        " \"x\": [1, -2.5e3, true, false, null, \"\\u00e9\\n\", [], {}]}\n",
        "[\r\n  \"\xc3\xa9\xe6\x97\xa5\",\r\n  {\"k\": [0]}\r\n]",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        sg_document *j = parse_ok("x.json", texts[t], 0);
        sg_document *y = parse_ok("x.yaml", texts[t], 0);
        char *mj = locate_all(j, 0), *my = locate_all(y, 0);
        ck_assert_msg(strcmp(mj, my) == 0, "text %zu:\n-- json --\n%s-- yaml --\n%s", t, mj, my);
        free(mj);
        free(my);
        sg_document_free(j);
        sg_document_free(y);
    }
}
END_TEST

/* The same document in JSON and in block YAML, laid out on the same lines:
 * the same line for every key and value. */
START_TEST(test_marks_json_yaml_same_lines)
{
    static const char json[] = "{\n"
                               "\"swagger\": \"2.0\",\n"
                               "\"info\": {\n"
                               "\"title\": \"T\",\n"
                               "\"version\": \"1\"\n"
                               "},\n"
                               "\"tags\": [\n"
                               "\"a\",\n"
                               "\"b\"\n"
                               "]\n"
                               "}\n";
    static const char yaml[] = "# line 1\n"
                               "swagger: \"2.0\"\n"
                               "info:\n"
                               "  title: T\n"
                               "  version: \"1\"\n"
                               "# line 6\n"
                               "tags:\n"
                               "  - a\n"
                               "  - b\n";
    sg_document *j = parse_ok("x.json", json, 0);
    sg_document *y = parse_ok("x.yaml", yaml, 0);
    static const struct {
        const char *ptr;
        unsigned key_line, start_line;
    } want[] = {{"/swagger", 2, 2}, {"/info", 3, 0},      {"/info/title", 4, 4},
                {"/info/version", 5, 5}, {"/tags", 7, 0}, {"/tags/0", 8, 8},
                {"/tags/1", 9, 9}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sg_mark sj, kj, sy, ky;
        ck_assert_int_eq(sg_document_locate(j, want[i].ptr, &sj, NULL, &kj), SG_OK);
        ck_assert_int_eq(sg_document_locate(y, want[i].ptr, &sy, NULL, &ky), SG_OK);
        ck_assert_msg(kj.line == want[i].key_line && ky.line == want[i].key_line,
                      "%s: key on line %u (json) and %u (yaml), expected %u", want[i].ptr, kj.line,
                      ky.line, want[i].key_line);
        if (want[i].start_line)
            ck_assert_msg(sj.line == want[i].start_line && sy.line == want[i].start_line,
                          "%s: value on line %u (json) and %u (yaml)", want[i].ptr, sj.line,
                          sy.line);
    }
    char *cj = compact(sg_document_root(j)), *cy = compact(sg_document_root(y));
    ck_assert_str_eq(cj, cy);
    free(cj);
    free(cy);
    sg_document_free(j);
    sg_document_free(y);
}
END_TEST

/* ---- read_chunk ----------------------------------------------------------- */

/* Everything observable of one parse: status, diagnostics in full, model,
 * and the marks of every value. Caller frees. */
static char *observe(const char *name, const char *in, size_t chunk)
{
    sg_options opts;
    sg_options_init(&opts);
    opts.read_chunk = chunk;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_status st = sg_document_parse(name, in, strlen(in), &opts, d, &doc);
    sgi_buf b = {0};
    sgi_buf_printf(&b, "status %d\n", st);
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        sgi_buf_printf(&b, "%s %s %u:%u@%zu %s | %s | rel %d %u:%u %s\n",
                       sg_severity_name(g->severity), g->rule, g->start.line, g->start.column,
                       g->start.offset, g->message, g->source_line ? g->source_line : "-",
                       g->has_related, g->related.line, g->related.column,
                       g->related_message ? g->related_message : "-");
    }
    if (doc) {
        char *json = compact(sg_document_root(doc));
        char *marks = locate_all(doc, 0);
        sgi_buf_printf(&b, "%s\n%s", json, marks);
        free(json);
        free(marks);
    }
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return b.data;
}

static const struct {
    const char *name, *in;
} chunk_inputs[] = {
    {"x.json", "{\"swagger\": \"2.0\", \"info\": {\"title\": \"\\u00e9\\ud83d\\ude00\", "
               "\"version\": \"1\"},\n \"paths\": {\"/a\": {}}, \"n\": [1e3, -0.5, 18446744073709551616]}"},
    {"x.json", "\xef\xbb\xbf{\"\xc3\xa9\": 1,\r\n\"\xc3\xa9\": 2}"},
    {"x.json", "{\"a\": [1, 2,]}"},
    {"x.json", "{\"a\": \"\xe6\x97\xa5\xe6\x97\xa5 \x01\"}"},
    {"x.json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"},
    {"x.yaml", "swagger: 2.0\ninfo:\n  title: \xc3\xa9\xe6\x97\xa5\n  version: 1.10\n"
               "base: &b {x: 1, y: [a, b]}\nm:\n  <<: *b\n  y: 3\nz: *b\nyes: on\n"},
    {"x.yaml", "a: 1\r\nb:\r\n  - 010\r\n  - 0x1F\r\na: 2\r\n"},
    {"x.yaml", "a: [1, 2\nb: 3\n"},
    {"x.yaml", "a: 1\n---\nb: 2\n"},
    {"x.yaml", "k: |\n  line \xf0\x9f\x98\x80\n  two\nr: *undefined\n"},
    {"x.yaml", "\t- tab\n"},
};

START_TEST(test_read_chunk)
{
    const char *name = chunk_inputs[_i].name, *in = chunk_inputs[_i].in;
    char *base = observe(name, in, 0);
    for (size_t chunk = 1; chunk <= 7; chunk++) {
        char *got = observe(name, in, chunk);
        ck_assert_msg(strcmp(base, got) == 0, "input %d, chunk %zu:\n-- all at once --\n%s\n"
                                              "-- chunked --\n%s",
                      _i, chunk, base, got);
        free(got);
    }
    free(base);
}
END_TEST

/* ---- sg_number_text --------------------------------------------------------- */

START_TEST(test_number_text)
{
    static const struct {
        const char *name, *in;
        const char *const texts[8];
    } cases[] = {
        {"x.json",
         "[1.10, 1e3, 18446744073709551616, -0.0, 1E+2, 123456789012345678901234567890.5]",
         {"1.10", "1e3", "18446744073709551616", "-0.0", "1E+2", "123456789012345678901234567890.5"}},
        {"x.yaml", "[1.10, .5, +1.5, 1e3, 007.5, -18446744073709551616]",
         {"1.10", "0.5", "1.5", "1e3", "7.5", "-18446744073709551616"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sg_diagnostics *d = sg_diagnostics_new();
        sg_document *doc = NULL;
        ck_assert_int_eq(
            sg_document_parse(cases[c].name, cases[c].in, strlen(cases[c].in), NULL, d, &doc),
            SG_OK);
        struct json_object *root = sg_document_root(doc);
        for (size_t i = 0; cases[c].texts[i]; i++) {
            const char *t = sg_number_text(json_object_array_get_idx(root, i));
            ck_assert_msg(t && strcmp(t, cases[c].texts[i]) == 0,
                          "case %zu item %zu: sg_number_text gave %s, expected %s", c, i,
                          t ? t : "NULL", cases[c].texts[i]);
        }
        sg_document_free(doc);
        sg_diagnostics_free(d);
    }
}
END_TEST

START_TEST(test_number_text_non_numbers)
{
    /* Integers within 64 bits are json_type_int: no text, the value is exact. */
    sg_document *doc = parse_ok("x.json", "[\"1\", true, null, [], {}, 7, 18446744073709551615]", 0);
    struct json_object *root = sg_document_root(doc);
    ck_assert_int_eq(json_object_get_int64(json_object_array_get_idx(root, 5)), 7);
    ck_assert(json_object_get_uint64(json_object_array_get_idx(root, 6)) == UINT64_MAX);
    for (size_t i = 0; i < 7; i++)
        ck_assert_ptr_null(sg_number_text(json_object_array_get_idx(root, i)));
    ck_assert_ptr_null(sg_number_text(NULL));
    sg_document_free(doc);
}
END_TEST

Suite *suite_document(void)
{
    Suite *s = suite_create("document");
    TCase *tc = tcase_create("load");
    tcase_add_loop_test(tc, test_load, 0, (int)(sizeof load_cases / sizeof load_cases[0]));
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_parse_args);
    tcase_add_test(tc, test_parse_over_limit);
    tcase_add_test(tc, test_parse_copies);
    suite_add_tcase(s, tc);

    tc = tcase_create("locate");
    tcase_add_loop_test(tc, test_locate, 0, (int)(sizeof loc_cases / sizeof loc_cases[0]));
    tcase_add_test(tc, test_locate_args);
    tcase_add_test(tc, test_locate_bom_multibyte);
    tcase_add_test(tc, test_marks_json_yaml_same_text);
    tcase_add_test(tc, test_marks_json_yaml_same_lines);
    suite_add_tcase(s, tc);

    tc = tcase_create("chunks");
    tcase_add_loop_test(tc, test_read_chunk, 0,
                        (int)(sizeof chunk_inputs / sizeof chunk_inputs[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("numbers");
    tcase_add_test(tc, test_number_text);
    tcase_add_test(tc, test_number_text_non_numbers);
    suite_add_tcase(s, tc);
    return s;
}
