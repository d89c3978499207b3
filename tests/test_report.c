/* Reporters (src/report.c): exact text and JSON output for hand-made lists of
 * diagnostics. The JSON is parsed back with json-c and checked field by
 * field, optional keys included when absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "unit.h"

/* ---- helpers ---------------------------------------------------------- */

typedef struct mem {
    char *buf;
    size_t len;
    FILE *f;
} mem;

static FILE *mem_open(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    ck_assert_ptr_nonnull(m->f);
    return m->f;
}

/* The text written; the caller frees it. */
static char *mem_close(mem *m)
{
    ck_assert_int_eq(fclose(m->f), 0);
    return m->buf;
}

static sg_mark at(unsigned line, unsigned column)
{
    sg_mark m = {line, column, 0};
    return m;
}

/* Report FILES[i] with DIAGS[i] (NULL: none) through one reporter; returns
 * the whole output. */
static char *report(sg_report_format format, int color, int source, size_t n,
                    const char *const *files, sg_diagnostics *const *diags)
{
    mem m;
    sg_report_options o = {format, color, source};
    sg_reporter *r = sg_reporter_new(mem_open(&m), &o);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sg_reporter_file(r, files[i], diags[i]), SG_OK);
    ck_assert_int_eq(sg_reporter_finish(r), SG_OK);
    sg_reporter_free(r);
    return mem_close(&m);
}

static char *report1(sg_report_format format, int color, int source, const char *file,
                     sg_diagnostics *d)
{
    return report(format, color, source, 1, &file, &d);
}

/* Add a diagnostic in FILE; LINE 0: no position. A source with no text
 * names the file and gives no source line. */
static void add(sg_diagnostics *d, const char *file, sg_severity sev, const char *rule,
                unsigned line, unsigned col, const char *pointer, const char *apig,
                const char *msg)
{
    sgi_source src;
    ck_assert_int_eq(sgi_source_init(&src, file, "", 0), SG_OK);
    sg_mark m = at(line, col);
    ck_assert_int_eq(sgi_diag(d, &src, sev, rule, line ? &m : NULL, pointer, apig, "%s", msg),
                     SG_OK);
    sgi_source_fini(&src);
}

/* A new list with one diagnostic in FILE. */
static sg_diagnostics *one(const char *file, sg_severity sev, const char *rule, unsigned line,
                           unsigned col, const char *pointer, const char *apig, const char *msg)
{
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    add(d, file, sev, rule, line, col, pointer, apig, msg);
    return d;
}

/* A list with one diagnostic at LINE:COL of the text SRC (named FILE), so
 * that it carries a source line. */
static sg_diagnostics *with_source(const char *file, const char *text, unsigned line,
                                   unsigned col, const char *msg)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_source src;
    ck_assert_int_eq(sgi_source_init(&src, file, text, strlen(text)), SG_OK);
    sg_diagnostics *enc = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_check_encoding(&src, enc), SG_OK); /* builds the line table */
    sg_diagnostics_free(enc);
    sg_mark m = at(line, col);
    ck_assert_int_eq(sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", &m, NULL, NULL, "%s", msg), SG_OK);
    sgi_source_fini(&src);
    ck_assert_ptr_nonnull(sg_diagnostics_get(d, 0)->source_line);
    return d;
}

static json_object *parse(const char *text)
{
    size_t n = strlen(text);
    ck_assert_uint_gt(n, 0);
    ck_assert_int_eq(text[n - 1], '\n');
    ck_assert_int_eq(text[n - 2], '}');
    /* One document only: the tokener takes all but the final newline
     * (json-c counts that whitespace as read). */
    json_tokener *tok = json_tokener_new();
    json_object *v = json_tokener_parse_ex(tok, text, (int)n - 1);
    ck_assert_int_eq(json_tokener_get_error(tok), json_tokener_success);
    ck_assert_uint_eq((size_t)json_tokener_get_parse_end(tok), n - 1);
    json_tokener_free(tok);
    ck_assert_ptr_nonnull(v);
    return v;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "key \"%s\" missing", key);
    return v;
}

static int has(json_object *o, const char *key)
{
    return json_object_object_get_ex(o, key, NULL);
}

static const char *str(json_object *o, const char *key)
{
    return json_object_get_string(get(o, key));
}

static int num(json_object *o, const char *key)
{
    return json_object_get_int(get(o, key));
}

/* ---- text ------------------------------------------------------------- */

START_TEST(text_plain)
{
    sg_diagnostics *d = one("a.json", SG_SEVERITY_ERROR, "duplicate-key", 3, 5, "/x", NULL,
                            "duplicate key \"x\"");
    char *out = report1(SG_REPORT_TEXT, 0, 0, "a.json", d);
    ck_assert_str_eq(out, "a.json:3:5: error: duplicate key \"x\" [duplicate-key]\n"
                          "1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_no_position)
{
    sg_diagnostics *d = one("gone.yaml", SG_SEVERITY_ERROR, "io", 0, 0, NULL, NULL,
                            "cannot open: No such file or directory");
    char *out = report1(SG_REPORT_TEXT, 0, 1, "gone.yaml", d);
    ck_assert_str_eq(out, "gone.yaml: error: cannot open: No such file or directory [io]\n"
                          "1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_apig_code)
{
    sg_diagnostics *d = one("a.yaml", SG_SEVERITY_WARNING, "apig-name", 7, 3, NULL, "APIG.2026",
                            "name too long");
    char *out = report1(SG_REPORT_TEXT, 0, 0, "a.yaml", d);
    ck_assert_str_eq(out, "a.yaml:7:3: warning: name too long [apig-name, APIG.2026]\n"
                          "1 warning in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_related)
{
    sg_diagnostics *d = one("a.json", SG_SEVERITY_ERROR, "duplicate-key", 9, 5, NULL, NULL,
                            "duplicate key \"x\"");
    sg_mark first = at(3, 5);
    ck_assert_int_eq(sgi_diag_related(d, NULL, &first, "first defined here"), SG_OK);
    char *out = report1(SG_REPORT_TEXT, 0, 0, "a.json", d);
    ck_assert_str_eq(out, "a.json:9:5: error: duplicate key \"x\" [duplicate-key]\n"
                          "a.json:3:5: note: first defined here\n"
                          "1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_source_caret)
{
    sg_diagnostics *d = with_source("a.yaml", "swagger: '2.0'\npaths:\n  /a: 5\n", 3, 7,
                                    "not an object");
    char *out = report1(SG_REPORT_TEXT, 0, 1, "a.yaml", d);
    ck_assert_str_eq(out, "a.yaml:3:7: error: not an object [r]\n"
                          "    3 |   /a: 5\n"
                          "      |       ^\n"
                          "1 error in 1 file\n");
    free(out);
    /* Without show_source: no source line. */
    out = report1(SG_REPORT_TEXT, 0, 0, "a.yaml", d);
    ck_assert_str_eq(out, "a.yaml:3:7: error: not an object [r]\n1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

/* The caret sits under the character the column counts to, whatever the
 * line holds before it: returns the offset of the caret in the caret line
 * minus that of NEEDLE in the source line (0 when aligned). */
static long caret_offset(const char *out, const char *needle)
{
    const char *src = strstr(out, " | ");
    ck_assert_ptr_nonnull(src);
    const char *nl = strchr(src, '\n');
    ck_assert_ptr_nonnull(nl);
    const char *caret = strchr(nl, '^');
    ck_assert_ptr_nonnull(caret);
    const char *hit = strstr(src, needle);
    ck_assert_ptr_nonnull(hit);
    ck_assert(hit < nl);
    /* Display cells: one per code point, two for CJK ideographs (U+4E00 to
     * U+9FFF, lead bytes E4 to E9: the only wide ones used here). */
    long col_hit = 0, col_caret = 0;
    for (const char *p = out; p < hit; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n')
            col_hit = 0;
        else if ((c & 0xC0) != 0x80)
            col_hit += (c >= 0xE4 && c <= 0xE9) ? 2 : 1;
    }
    for (const char *p = nl + 1; p < caret; p++)
        col_caret++;
    return col_caret - col_hit;
}

START_TEST(text_source_tab_and_wide)
{
    /* A tab (one column, one cell) and two CJK characters (one column
     * each, two cells each) before column 6. */
    sg_diagnostics *d = with_source("t.yaml", "k: x\n\t\xe5\x90\x8d\xe5\x89\x8d: v\n", 2, 6, "m");
    char *out = report1(SG_REPORT_TEXT, 0, 1, "t.yaml", d);
    /* However diag.c shows the tab (a space, an arrow), it is one cell. */
    ck_assert_ptr_nonnull(strstr(out, "\xe5\x90\x8d\xe5\x89\x8d: v\n"));
    ck_assert_ptr_null(strchr(out, '\t'));
    /* The tab is one cell: the caret (under 'v') is 6 cells right of 名. */
    ck_assert_int_eq(caret_offset(out, "\xe5\x90\x8d"), 6);
    ck_assert_int_eq(caret_offset(out, "v\n"), 0);
    free(out);
    sg_diagnostics_free(d);

    /* A control character in the line never reaches the output raw. */
    d = with_source("c.json", "{\"a\x1b[31m\": 1}\n", 1, 10, "m");
    out = report1(SG_REPORT_TEXT, 0, 1, "c.json", d);
    ck_assert_ptr_null(strchr(out, '\x1b'));
    ck_assert_int_eq(caret_offset(out, ": 1"), 0);
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_source_long_line)
{
    /* 300 columns: "0123456789" repeated, a marker at column 200. */
    char line[302];
    for (int i = 0; i < 300; i++)
        line[i] = (char)('0' + i % 10);
    line[199] = 'X';
    line[300] = '\n';
    line[301] = '\0';
    sg_diagnostics *d = with_source("min.json", line, 1, 200, "m");
    char *out = report1(SG_REPORT_TEXT, 0, 1, "min.json", d);
    const char *src = strstr(out, " | ");
    const char *nl = strchr(src, '\n');
    ck_assert_msg(strncmp(src, " | ...", 6) == 0, "%s", out);
    ck_assert_msg(strncmp(nl - 3, "...", 3) == 0, "%s", out);
    ck_assert_int_le(nl - src, 3 + 3 + 100 + 3); /* a window, not the line */
    ck_assert_int_eq(caret_offset(out, "X"), 0);
    free(out);
    sg_diagnostics_free(d);

    /* Near the start: no leading "...". */
    d = with_source("min.json", line, 1, 3, "m");
    out = report1(SG_REPORT_TEXT, 0, 1, "min.json", d);
    ck_assert_ptr_nonnull(strstr(out, "    1 | 0123"));
    ck_assert_int_eq(caret_offset(out, "23456789"), 0); /* column 3 is the first '2' */
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_source_end_of_line)
{
    /* Column just past the end: the caret follows the last character. */
    sg_diagnostics *d = with_source("e.json", "{\"a\": \n", 1, 7, "unexpected end");
    char *out = report1(SG_REPORT_TEXT, 0, 1, "e.json", d);
    ck_assert_str_eq(out, "e.json:1:7: error: unexpected end [r]\n"
                          "    1 | {\"a\": \n"
                          "      |       ^\n"
                          "1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
    /* Further out the position is not on the line shown: no caret at all. */
    d = with_source("e.json", "{}\n", 1, 9, "far");
    out = report1(SG_REPORT_TEXT, 0, 1, "e.json", d);
    ck_assert_str_eq(out, "e.json:1:9: error: far [r]\n1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_color)
{
    sg_diagnostics *d[3];
    const char *files[3] = {"a.json", "b.json", "c.json"};
    d[0] = one("a.json", SG_SEVERITY_ERROR, "e1", 1, 2, NULL, "APIG.1", "bad");
    d[1] = one("b.json", SG_SEVERITY_WARNING, "w1", 0, 0, NULL, NULL, "meh");
    d[2] = one("c.json", SG_SEVERITY_INFO, "i1", 4, 1, NULL, NULL, "fyi");
    char *out = report(SG_REPORT_TEXT, 1, 0, 3, files, d);
    ck_assert_str_eq(out,
                     "\033[1ma.json:1:2:\033[0m \033[1;31merror:\033[0m bad \033[2m[e1, APIG.1]\033[0m\n"
                     "\033[1mb.json:\033[0m \033[1;33mwarning:\033[0m meh \033[2m[w1]\033[0m\n"
                     "\033[1mc.json:4:1:\033[0m \033[1;36minfo:\033[0m fyi \033[2m[i1]\033[0m\n"
                     "\033[1m1 error, 1 warning, 1 info in 3 files\033[0m\n");
    free(out);
    /* Colour off: not one escape. */
    out = report(SG_REPORT_TEXT, 0, 1, 3, files, d);
    ck_assert_ptr_null(strchr(out, '\033'));
    free(out);
    for (int i = 0; i < 3; i++)
        sg_diagnostics_free(d[i]);
}
END_TEST

START_TEST(text_caret_color)
{
    sg_diagnostics *d = with_source("a.json", "[1,]\n", 1, 4, "trailing comma");
    char *out = report1(SG_REPORT_TEXT, 1, 1, "a.json", d);
    ck_assert_ptr_nonnull(strstr(out, "    1 | [1,]\n      |    \033[1;32m^\033[0m\n"));
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_escapes_names)
{
    /* A file name is any bytes: no escape sequence, newline or bidi mark
     * may reach the terminal through it. */
    const char *name = "evil\033[2J\n\xe2\x80\xae.json\xff";
    sg_diagnostics *d = one(name, SG_SEVERITY_ERROR, "r", 1, 1, NULL, NULL, "m\x07");
    char *out = report1(SG_REPORT_TEXT, 0, 0, name, d);
    ck_assert_str_eq(out, "evil\\u001b[2J\\u000a\\u202e.json\\xFF:1:1: error: m\\u0007 [r]\n"
                          "1 error in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_clean_is_silent)
{
    sg_diagnostics *d = sg_diagnostics_new();
    const char *files[2] = {"a.json", "b.json"};
    sg_diagnostics *ds[2] = {d, NULL};
    char *out = report(SG_REPORT_TEXT, 1, 1, 2, files, ds);
    ck_assert_str_eq(out, "");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(text_summary_counts)
{
    const char *files[3] = {"a", "b", "c"};
    sg_diagnostics *d[3] = {sg_diagnostics_new(), NULL, sg_diagnostics_new()};
    sgi_diag(d[0], NULL, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "1");
    sgi_diag(d[0], NULL, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "2");
    sgi_diag(d[2], NULL, SG_SEVERITY_WARNING, "r", NULL, NULL, NULL, "3");
    char *out = report(SG_REPORT_TEXT, 0, 0, 3, files, d);
    ck_assert_ptr_nonnull(strstr(out, "\n2 errors, 1 warning in 2 of 3 files\n"));
    free(out);
    sg_diagnostics_free(d[0]);
    sg_diagnostics_free(d[2]);
}
END_TEST

START_TEST(text_dropped_over_limit)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sgi_diags_set_limit(d, 1);
    sgi_source src;
    ck_assert_int_eq(sgi_source_init(&src, "big.json", "", 0), SG_OK);
    for (int i = 0; i < 4; i++)
        sgi_diag(d, &src, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "n%d", i);
    sgi_source_fini(&src);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    char *out = report1(SG_REPORT_TEXT, 0, 0, "big.json", d);
    ck_assert_str_eq(out, "big.json: error: n0 [r]\n"
                          "big.json: note: 3 more findings not shown (over the \"diagnostics\" limit)\n"
                          "4 errors in 1 file\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- JSON ------------------------------------------------------------- */

START_TEST(json_exact)
{
    sg_diagnostics *d = one("a.json", SG_SEVERITY_ERROR, "duplicate-key", 3, 5, "/paths/~1a",
                            "APIG.2026", "dup");
    char *out = report1(SG_REPORT_JSON, 1, 1, "a.json", d);
    ck_assert_str_eq(out, "{\"version\":1,\"files\":[{\"file\":\"a.json\",\"diagnostics\":["
                          "{\"severity\":\"error\",\"rule\":\"duplicate-key\",\"message\":\"dup\","
                          "\"line\":3,\"column\":5,\"pointer\":\"/paths/~1a\",\"apig_code\":\"APIG.2026\"}"
                          "]}],\"summary\":{\"errors\":1,\"warnings\":0,\"infos\":0}}\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(json_fields_and_absent_keys)
{
    sg_diagnostics *d = one("a.yaml", SG_SEVERITY_WARNING, "yaml-1.1-bool", 2, 9, NULL, NULL,
                            "'yes' is a string in YAML 1.2");
    add(d, "a.yaml", SG_SEVERITY_ERROR, "duplicate-key", 6, 1, "/a", NULL, "dup");
    sg_mark rel = at(5, 3);
    ck_assert_int_eq(sgi_diag_related(d, "other.yaml", &rel, "first \"a\" here"), SG_OK);
    char *out = report1(SG_REPORT_JSON, 0, 0, "a.yaml", d);
    json_object *v = parse(out);
    ck_assert_int_eq(num(v, "version"), 1);
    json_object *files = get(v, "files");
    ck_assert_uint_eq(json_object_array_length(files), 1);
    json_object *f = json_object_array_get_idx(files, 0);
    ck_assert_str_eq(str(f, "file"), "a.yaml");
    ck_assert_int_eq(json_object_object_length(f), 2);
    json_object *ds = get(f, "diagnostics");
    ck_assert_uint_eq(json_object_array_length(ds), 2);
    json_object *g = json_object_array_get_idx(ds, 0);
    ck_assert_str_eq(str(g, "severity"), "warning");
    ck_assert_str_eq(str(g, "rule"), "yaml-1.1-bool");
    ck_assert_str_eq(str(g, "message"), "'yes' is a string in YAML 1.2");
    ck_assert_int_eq(num(g, "line"), 2);
    ck_assert_int_eq(num(g, "column"), 9);
    ck_assert(!has(g, "pointer"));
    ck_assert(!has(g, "apig_code"));
    ck_assert(!has(g, "related"));
    ck_assert_int_eq(json_object_object_length(g), 5);

    g = json_object_array_get_idx(ds, 1);
    ck_assert_str_eq(str(g, "severity"), "error");
    ck_assert_str_eq(str(g, "pointer"), "/a");
    json_object *r = get(g, "related");
    ck_assert_str_eq(str(r, "file"), "other.yaml");
    ck_assert_int_eq(num(r, "line"), 5);
    ck_assert_int_eq(num(r, "column"), 3);
    ck_assert_str_eq(str(r, "message"), "first \"a\" here");
    ck_assert_int_eq(json_object_object_length(r), 4);

    json_object *s = get(v, "summary");
    ck_assert_int_eq(num(s, "errors"), 1);
    ck_assert_int_eq(num(s, "warnings"), 1);
    ck_assert_int_eq(num(s, "infos"), 0);
    json_object_put(v);
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(json_escaping)
{
    /* Quotes, backslashes and control characters in messages and file
     * names; invalid UTF-8 in a name must not make the JSON invalid. */
    const char *name = "we\"ird\\\n\t\x01name\xff.json";
    sg_diagnostics *d = one(name, SG_SEVERITY_ERROR, "r", 1, 1, "/a~1b", NULL,
                            "say \"hi\"\\ \n\t\x1f end \xe2\x80\xae");
    char *out = report1(SG_REPORT_JSON, 0, 0, name, d);
    ck_assert_ptr_null(strchr(out, '\x01'));
    ck_assert(strchr(out, '\n') == out + strlen(out) - 1); /* one line */
    json_object *v = parse(out);
    json_object *f = json_object_array_get_idx(get(v, "files"), 0);
    ck_assert_str_eq(str(f, "file"), "we\"ird\\\n\t\x01name\\xFF.json");
    json_object *g = json_object_array_get_idx(get(f, "diagnostics"), 0);
    ck_assert_str_eq(str(g, "message"), "say \"hi\"\\ \n\t\x1f end \xe2\x80\xae");
    json_object_put(v);
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(json_empty_files)
{
    /* No files at all: still one valid document. */
    char *out = report(SG_REPORT_JSON, 0, 0, 0, NULL, NULL);
    ck_assert_str_eq(out, "{\"version\":1,\"files\":[],"
                          "\"summary\":{\"errors\":0,\"warnings\":0,\"infos\":0}}\n");
    free(out);

    /* Every file reported has an entry, clean ones too, in order. */
    const char *files[3] = {"x.json", "y.json", "-"};
    sg_diagnostics *e = sg_diagnostics_new();
    sg_diagnostics *d[3] = {e, NULL, e};
    out = report(SG_REPORT_JSON, 0, 0, 3, files, d);
    ck_assert_str_eq(out, "{\"version\":1,\"files\":[{\"file\":\"x.json\",\"diagnostics\":[]},"
                          "{\"file\":\"y.json\",\"diagnostics\":[]},"
                          "{\"file\":\"-\",\"diagnostics\":[]}],"
                          "\"summary\":{\"errors\":0,\"warnings\":0,\"infos\":0}}\n");
    free(out);
    sg_diagnostics_free(e);
}
END_TEST

START_TEST(json_summary_counts_dropped)
{
    sg_diagnostics *a = sg_diagnostics_new(), *b = sg_diagnostics_new();
    sgi_diags_set_limit(a, 2);
    for (int i = 0; i < 5; i++)
        sgi_diag(a, NULL, SG_SEVERITY_ERROR, "r", NULL, NULL, NULL, "e%d", i);
    sgi_diag(a, NULL, SG_SEVERITY_INFO, "r", NULL, NULL, NULL, "i");
    sgi_diag(b, NULL, SG_SEVERITY_WARNING, "r", NULL, NULL, NULL, "w");
    const char *files[2] = {"-", "-"};
    sg_diagnostics *d[2] = {a, b};
    char *out = report(SG_REPORT_JSON, 0, 0, 2, files, d);
    json_object *v = parse(out);
    json_object *fs = get(v, "files");
    ck_assert_uint_eq(json_object_array_length(fs), 2);
    ck_assert_uint_eq(json_object_array_length(get(json_object_array_get_idx(fs, 0), "diagnostics")), 2);
    json_object *s = get(v, "summary");
    ck_assert_int_eq(num(s, "errors"), 5);
    ck_assert_int_eq(num(s, "warnings"), 1);
    ck_assert_int_eq(num(s, "infos"), 1);
    ck_assert_int_eq(json_object_object_length(s), 3);
    ck_assert_int_eq(json_object_object_length(v), 3);
    json_object_put(v);
    free(out);
    sg_diagnostics_free(a);
    sg_diagnostics_free(b);
}
END_TEST

START_TEST(json_other_files)
{
    /* Diagnostics in a document pulled in by the reported one get an entry
     * of their own, after it, each file once. */
    sg_diagnostics *d = sg_diagnostics_new();
    add(d, "defs.json", SG_SEVERITY_ERROR, "r", 1, 1, NULL, NULL, "d1");
    add(d, "main.json", SG_SEVERITY_WARNING, "r", 2, 1, NULL, NULL, "m1");
    add(d, "defs.json", SG_SEVERITY_ERROR, "r", 3, 1, NULL, NULL, "d2");
    add(d, "more.json", SG_SEVERITY_INFO, "r", 4, 1, NULL, NULL, "x1");
    char *out = report1(SG_REPORT_JSON, 0, 0, "main.json", d);
    ck_assert_str_eq(out,
                     "{\"version\":1,\"files\":["
                     "{\"file\":\"main.json\",\"diagnostics\":[{\"severity\":\"warning\",\"rule\":\"r\","
                     "\"message\":\"m1\",\"line\":2,\"column\":1}]},"
                     "{\"file\":\"defs.json\",\"diagnostics\":[{\"severity\":\"error\",\"rule\":\"r\","
                     "\"message\":\"d1\",\"line\":1,\"column\":1},{\"severity\":\"error\",\"rule\":\"r\","
                     "\"message\":\"d2\",\"line\":3,\"column\":1}]},"
                     "{\"file\":\"more.json\",\"diagnostics\":[{\"severity\":\"info\",\"rule\":\"r\","
                     "\"message\":\"x1\",\"line\":4,\"column\":1}]}],"
                     "\"summary\":{\"errors\":2,\"warnings\":1,\"infos\":1}}\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(json_no_position)
{
    sg_diagnostics *d = one("nope.json", SG_SEVERITY_ERROR, "io", 0, 0, NULL, NULL, "missing");
    char *out = report1(SG_REPORT_JSON, 0, 0, "nope.json", d);
    json_object *v = parse(out);
    json_object *g = json_object_array_get_idx(
        get(json_object_array_get_idx(get(v, "files"), 0), "diagnostics"), 0);
    ck_assert_int_eq(num(g, "line"), 0);
    ck_assert_int_eq(num(g, "column"), 0);
    json_object_put(v);
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- contract edges --------------------------------------------------- */

START_TEST(null_and_misuse)
{
    sg_report_options o = {SG_REPORT_TEXT, 0, 0};
    ck_assert_ptr_null(sg_reporter_new(stdout, NULL));
    ck_assert_ptr_null(sg_reporter_new(NULL, &o));
    sg_reporter_free(NULL);
    ck_assert_int_eq(sg_reporter_file(NULL, "a", NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_reporter_finish(NULL), SG_EUSAGE);

    mem m;
    sg_reporter *r = sg_reporter_new(mem_open(&m), &o);
    ck_assert_int_eq(sg_reporter_file(r, NULL, NULL), SG_EUSAGE);
    ck_assert_int_eq(sg_reporter_finish(r), SG_OK);
    ck_assert_int_eq(sg_reporter_finish(r), SG_EUSAGE);
    ck_assert_int_eq(sg_reporter_file(r, "a", NULL), SG_EUSAGE);
    sg_reporter_free(r);
    free(mem_close(&m));
}
END_TEST

START_TEST(write_error)
{
    /* /dev/full fails every write with ENOSPC; unbuffered, at once. */
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here: nothing to test */
    setvbuf(f, NULL, _IONBF, 0);
    sg_diagnostics *d = one("a.json", SG_SEVERITY_ERROR, "r", 1, 1, NULL, NULL, "m");
    /* JUnit writes at finish only: junit_write_error */
    for (int fmt = SG_REPORT_TEXT; fmt <= SG_REPORT_GITHUB; fmt++) {
        sg_report_options o = {(sg_report_format)fmt, 0, 0};
        clearerr(f);
        sg_reporter *r = sg_reporter_new(f, &o);
        ck_assert_int_eq(sg_reporter_file(r, "a.json", d), SG_EINPUT);
        ck_assert_int_eq(sg_reporter_file(r, "a.json", d), SG_EINPUT); /* sticky */
        ck_assert_int_eq(sg_reporter_finish(r), SG_EINPUT);
        sg_reporter_free(r);
    }
    fclose(f);
    /* Buffered: the failure shows when finish flushes. */
    f = fopen("/dev/full", "w");
    ck_assert_ptr_nonnull(f);
    setvbuf(f, NULL, _IOFBF, 4096);
    sg_report_options o = {SG_REPORT_JSON, 0, 0};
    sg_reporter *r = sg_reporter_new(f, &o);
    ck_assert_int_eq(sg_reporter_file(r, "a.json", d), SG_OK);
    ck_assert_int_eq(sg_reporter_finish(r), SG_EINPUT);
    sg_reporter_free(r);
    fclose(f);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- SARIF, GitHub, JUnit ----------------------------------------------- */

START_TEST(sarif_fields)
{
    sg_diagnostics *d = sg_diagnostics_new();
    add(d, "dir/a b,c.json", SG_SEVERITY_ERROR, "duplicate-key", 3, 2, "/paths", NULL, "dup \"x\"");
    add(d, "dir/a b,c.json", SG_SEVERITY_WARNING, "not-a-rule", 4, 1, NULL, "APIG.1234", "w");
    add(d, "dir/a b,c.json", SG_SEVERITY_INFO, "io", 0, 0, NULL, NULL, "i");
    char *out = report1(SG_REPORT_SARIF, 0, 0, "dir/a b,c.json", d);
    json_object *v = parse(out);
    ck_assert_str_eq(json_object_get_string(get(v, "version")), "2.1.0");
    ck_assert(has(v, "$schema"));
    json_object *run = json_object_array_get_idx(get(v, "runs"), 0);
    json_object *drv = get(get(run, "tool"), "driver");
    ck_assert_str_eq(json_object_get_string(get(drv, "name")), "swaggate");
    ck_assert_str_eq(json_object_get_string(get(drv, "version")), sg_version());
    ck_assert_int_eq(num(get(run, "properties"), "files"), 1);
    ck_assert_int_eq(num(get(run, "properties"), "errors"), 1);
    ck_assert_int_eq(num(get(run, "properties"), "warnings"), 1);
    ck_assert_int_eq(num(get(run, "properties"), "infos"), 1);
    json_object *rules = get(drv, "rules"), *res = get(run, "results");
    ck_assert_uint_eq(json_object_array_length(res), 3);
    for (size_t i = 0; i < 3; i++) {
        json_object *r = json_object_array_get_idx(res, i);
        int idx = (int)num(r, "ruleIndex");
        ck_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(rules, (size_t)idx), "id")),
                         json_object_get_string(get(r, "ruleId")));
    }
    /* a catalog rule keeps its catalog index; its description is there */
    json_object *r0 = json_object_array_get_idx(res, 0);
    ck_assert_ptr_eq(sg_rule_at((size_t)num(r0, "ruleIndex")), sg_rule_find("duplicate-key"));
    json_object *rule0 = json_object_array_get_idx(rules, (size_t)num(r0, "ruleIndex"));
    ck_assert_str_eq(json_object_get_string(get(get(rule0, "fullDescription"), "text")),
                     sg_rule_find("duplicate-key")->description);
    ck_assert_str_eq(json_object_get_string(get(r0, "level")), "error");
    json_object *pl = get(json_object_array_get_idx(get(r0, "locations"), 0), "physicalLocation");
    ck_assert_str_eq(json_object_get_string(get(get(pl, "artifactLocation"), "uri")), "dir/a%20b%2Cc.json");
    ck_assert_int_eq(num(get(pl, "region"), "startLine"), 3);
    ck_assert_int_eq(num(get(pl, "region"), "startColumn"), 2);
    ck_assert_str_eq(json_object_get_string(get(get(r0, "properties"), "pointer")), "/paths");
    json_object *r1 = json_object_array_get_idx(res, 1);
    ck_assert_str_eq(json_object_get_string(get(r1, "level")), "warning");
    ck_assert_str_eq(json_object_get_string(get(get(r1, "properties"), "apigCode")), "APIG.1234");
    json_object *r2 = json_object_array_get_idx(res, 2);
    ck_assert_str_eq(json_object_get_string(get(r2, "level")), "note");
    pl = get(json_object_array_get_idx(get(r2, "locations"), 0), "physicalLocation");
    ck_assert(!has(pl, "region")); /* no position, no region */
    json_object_put(v);
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(sarif_empty_and_absolute)
{
    char *out = report(SG_REPORT_SARIF, 0, 0, 0, NULL, NULL);
    json_object *v = parse(out);
    json_object *run = json_object_array_get_idx(get(v, "runs"), 0);
    ck_assert_uint_eq(json_object_array_length(get(run, "results")), 0);
    json_object_put(v);
    free(out);
    sg_diagnostics *d = one("/abs/x.yaml", SG_SEVERITY_ERROR, "r", 1, 1, NULL, NULL, "m");
    out = report1(SG_REPORT_SARIF, 0, 0, "./x.yaml", d);
    ck_assert_ptr_nonnull(strstr(out, "\"uri\":\"file:///abs/x.yaml\""));
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(github_exact)
{
    sg_diagnostics *d = sg_diagnostics_new();
    add(d, "a,b:c%.json", SG_SEVERITY_ERROR, "r", 2, 3, NULL, "APIG.1", "100% bad: x, y");
    add(d, "a,b:c%.json", SG_SEVERITY_WARNING, "w", 5, 0, NULL, NULL, "warn");
    add(d, "a,b:c%.json", SG_SEVERITY_INFO, "io", 0, 0, NULL, NULL, "line1\nline2");
    char *out = report1(SG_REPORT_GITHUB, 0, 0, "a,b:c%.json", d);
    ck_assert_str_eq(out, "::error file=a%2Cb%3Ac%25.json,line=2,col=3,title=r::100%25 bad: x, y [APIG.1]\n"
                          "::warning file=a%2Cb%3Ac%25.json,line=5,title=w::warn\n"
                          "::notice file=a%2Cb%3Ac%25.json,title=io::line1\\u000aline2\n");
    free(out);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(junit_exact)
{
    const char *files[] = {"a<&>.json", "clean.yaml", "w.yaml"};
    sg_diagnostics *ds[3];
    ds[0] = one("a<&>.json", SG_SEVERITY_ERROR, "r", 1, 2, NULL, "APIG.9", "bad \"q\" 'x'");
    ds[1] = NULL;
    ds[2] = one("w.yaml", SG_SEVERITY_WARNING, "w", 3, 1, NULL, NULL, "careful");
    char *out = report(SG_REPORT_JUNIT, 0, 0, 3, files, ds);
    ck_assert_str_eq(out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuite name=\"swaggate\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
        "  <properties>\n"
        "    <property name=\"errors\" value=\"1\"/>\n"
        "    <property name=\"warnings\" value=\"1\"/>\n"
        "    <property name=\"infos\" value=\"0\"/>\n"
        "  </properties>\n"
        "  <testcase classname=\"swaggate\" name=\"a&lt;&amp;&gt;.json\">\n"
        "    <failure type=\"r\" message=\"bad &quot;q&quot; &apos;x&apos;\">a&lt;&amp;&gt;.json:1:2: "
        "bad &quot;q&quot; &apos;x&apos; [r, APIG.9]</failure>\n"
        "  </testcase>\n"
        "  <testcase classname=\"swaggate\" name=\"clean.yaml\"/>\n"
        "  <testcase classname=\"swaggate\" name=\"w.yaml\">\n"
        "    <system-out>w.yaml:3:1: warning: careful [w]\n"
        "</system-out>\n"
        "  </testcase>\n"
        "</testsuite>\n");
    free(out);
    sg_diagnostics_free(ds[0]);
    sg_diagnostics_free(ds[2]);
}
END_TEST

START_TEST(junit_write_error)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return;
    setvbuf(f, NULL, _IONBF, 0);
    sg_diagnostics *d = one("a.json", SG_SEVERITY_ERROR, "r", 1, 1, NULL, NULL, "m");
    sg_report_options o = {SG_REPORT_JUNIT, 0, 0};
    sg_reporter *r = sg_reporter_new(f, &o);
    ck_assert_int_eq(sg_reporter_file(r, "a.json", d), SG_OK); /* kept until finish */
    ck_assert_int_eq(sg_reporter_finish(r), SG_EINPUT);
    sg_reporter_free(r);
    fclose(f);
    sg_diagnostics_free(d);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("text");
    tcase_add_test(t, text_plain);
    tcase_add_test(t, text_no_position);
    tcase_add_test(t, text_apig_code);
    tcase_add_test(t, text_related);
    tcase_add_test(t, text_source_caret);
    tcase_add_test(t, text_source_tab_and_wide);
    tcase_add_test(t, text_source_long_line);
    tcase_add_test(t, text_source_end_of_line);
    tcase_add_test(t, text_color);
    tcase_add_test(t, text_caret_color);
    tcase_add_test(t, text_escapes_names);
    tcase_add_test(t, text_clean_is_silent);
    tcase_add_test(t, text_summary_counts);
    tcase_add_test(t, text_dropped_over_limit);
    suite_add_tcase(s, t);
    t = tcase_create("json");
    tcase_add_test(t, json_exact);
    tcase_add_test(t, json_fields_and_absent_keys);
    tcase_add_test(t, json_escaping);
    tcase_add_test(t, json_empty_files);
    tcase_add_test(t, json_summary_counts_dropped);
    tcase_add_test(t, json_other_files);
    tcase_add_test(t, json_no_position);
    suite_add_tcase(s, t);
    t = tcase_create("ci-formats");
    tcase_add_test(t, sarif_fields);
    tcase_add_test(t, sarif_empty_and_absolute);
    tcase_add_test(t, github_exact);
    tcase_add_test(t, junit_exact);
    tcase_add_test(t, junit_write_error);
    suite_add_tcase(s, t);
    t = tcase_create("contract");
    tcase_add_test(t, null_and_misuse);
    tcase_add_test(t, write_error);
    suite_add_tcase(s, t);
    return s;
}
