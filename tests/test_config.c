/* Unit tests of src/config.c: loading .swaggate.yaml (each mistake with its
 * position), applying it, the upward search, per-rule severities,
 * suppression comments (quotes, lists, unused ones) and baselines (round
 * trip, line shifts, counts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static char *mktree(void)
{
    char tmpl[] = "/tmp/sg-config-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    return strdup(d);
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void rmtree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Load TEXT as a configuration; the findings as "L:C rule" joined by "; "
 * into OUT. Returns the status; *CFG gets the configuration (or NULL). */
static sg_status load_text(const char *text, char *out, size_t cap, sg_config **cfg)
{
    char *dir = mktree();
    put(dir, ".swaggate.yaml", text);
    char p[4096];
    snprintf(p, sizeof p, "%s/.swaggate.yaml", dir);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_config *c = NULL;
    sg_status st = sg_config_load(p, d, &c);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        o += (size_t)snprintf(out + o, cap - o, "%s%u:%u %s", i ? "; " : "", g->start.line,
                              g->start.column, g->rule);
    }
    sg_diagnostics_free(d);
    rmtree(dir);
    free(dir);
    if (cfg)
        *cfg = c;
    else
        sg_config_free(c);
    return st;
}

START_TEST(test_load_good)
{
    char out[1000];
    sg_config *c = NULL;
    ck_assert_int_eq(load_text("# settings\nprofile: swagger\nrules:\n  unused-definition: off\n"
                               "  example-invalid: error\nexclude: [vendor, 'gen/*.yaml']\n"
                               "limits: {depth: 64}\nstrict: true\n",
                               out, sizeof out, &c),
                     SG_OK);
    ck_assert_str_eq(out, ""); /* off is not a YAML 1.1 warning here */
    ck_assert_int_eq(sg_config_rule(c, "unused-definition"), SG_CONFIG_OFF);
    ck_assert_int_eq(sg_config_rule(c, "example-invalid"), SG_SEVERITY_ERROR);
    ck_assert_int_eq(sg_config_rule(c, "schema"), SG_CONFIG_UNSET);
    ck_assert_int_eq(sg_config_strict(c), 1);
    ck_assert_uint_eq(sg_config_line(c, "profile"), 2);
    ck_assert_uint_eq(sg_config_line(c, "rules.example-invalid"), 5);
    ck_assert_uint_eq(sg_config_line(c, "limits.depth"), 7);
    ck_assert_uint_eq(sg_config_line(c, "limits.nodes"), 0);
    unsigned line = 0;
    ck_assert_str_eq(sg_config_exclude_at(c, 1, &line), "gen/*.yaml");
    ck_assert_uint_eq(line, 6);
    ck_assert_ptr_null(sg_config_exclude_at(c, 2, NULL));
    sg_options o;
    sg_options_init(&o);
    ck_assert_int_eq(sg_config_apply(c, &o), SG_OK);
    ck_assert_int_eq(o.profile, SG_PROFILE_SWAGGER);
    ck_assert_uint_eq(o.limits.max_depth, 64);
    ck_assert_int_eq(o.strict, 1);
    ck_assert_int_eq(sg_config_apply(NULL, &o), SG_OK);
    sg_config_free(c);
    sg_config_free(NULL);
    /* Only comments: a configuration that sets nothing. */
    ck_assert_int_eq(load_text("# nothing yet\n", out, sizeof out, &c), SG_OK);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(sg_config_strict(c), -1);
    sg_config_free(c);
}
END_TEST

typedef struct bad_case {
    const char *text, *want, *msg;
} bad_case;

static const bad_case bad_cases[] = {
    {"profil: apig\n", "1:1 config", "did you mean \"profile\""},
    {"profile: openapi\n", "1:10 config", "apig or swagger"},
    {"rules: [a]\n", "1:8 config", "not a mapping"},
    {"rules:\n  unused-definiton: off\n", "2:3 config", "did you mean \"unused-definition\""},
    {"rules:\n  schema: fatal\n", "2:11 config", "off, info, warning or error"},
    {"rules:\n  schema: false\n", "2:11 config", "write off, not false"},
    {"limits: {depht: 3}\n", "1:10 config", "did you mean \"depth\""},
    {"limits: {depth: 0}\n", "1:17 config", "from 1 to 4096"},
    {"limits: {depth: 99999}\n", "1:17 config", "from 1 to 4096"},
    {"limits: {depth: '3'}\n", "1:17 config", "whole number"},
    {"strict: 1\n", "1:9 config", "true or false"},
    {"exclude: vendor\n", "1:10 config", "not a list"},
    {"exclude: [vendor, 3]\n", "1:19 config", "non-empty string"},
    {"- a\n", "1:1 config", "not a mapping"},
    {"profile: apig\nprofile: swagger\n", "2:1 duplicate-key", NULL},
    {"profile: [apig\n", "2:1 yaml-syntax", NULL},
    {"profil: x\nstrict: 2\n", "1:1 config; 2:9 config", NULL}, /* every mistake */
};

START_TEST(test_load_bad)
{
    const bad_case *bc = &bad_cases[_i];
    char out[1000];
    sg_config *c = (sg_config *)1;
    ck_assert_int_eq(load_text(bc->text, out, sizeof out, &c), SG_EINPUT);
    ck_assert_ptr_null(c);
    ck_assert_msg(strncmp(out, bc->want, strlen(bc->want)) == 0, "%s: got %s", bc->text, out);
    if (bc->msg) {
        /* the message, through a second load */
        char *dir = mktree();
        put(dir, "c.yaml", bc->text);
        char p[4096];
        snprintf(p, sizeof p, "%s/c.yaml", dir);
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(sg_config_load(p, d, &c), SG_EINPUT);
        ck_assert_msg(strstr(sg_diagnostics_get(d, 0)->message, bc->msg) != NULL, "%s",
                      sg_diagnostics_get(d, 0)->message);
        ck_assert_str_eq(sg_diagnostics_get(d, 0)->file, p);
        sg_diagnostics_free(d);
        rmtree(dir);
        free(dir);
    }
}
END_TEST

START_TEST(test_load_args)
{
    sg_config *c;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_config_load(NULL, d, &c), SG_EUSAGE);
    ck_assert_int_eq(sg_config_load("/no/such/.swaggate.yaml", d, &c), SG_EINPUT);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->rule, "io");
    sg_diagnostics_free(d);
    ck_assert_int_eq(sg_config_apply(NULL, NULL), SG_EUSAGE);
}
END_TEST

START_TEST(test_find)
{
    char *root = mktree(), p[4096], *found = NULL;
    snprintf(p, sizeof p, "%s/a/b/c", root);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/repo/.git' '%s/repo/sub'", p, root, root);
    ck_assert_int_eq(system(cmd), 0);
    put(root, "a/b/c/api.yaml", "x: 1\n");
    /* none anywhere (up to /tmp's parents: assume none there) */
    ck_assert_int_eq(sg_config_find(NULL, NULL), SG_EUSAGE);
    put(root, ".swaggate.yaml", "strict: true\n");
    put(root, "a/.swaggate.yaml", "strict: false\n");
    snprintf(p, sizeof p, "%s/a/b/c/api.yaml", root);
    ck_assert_int_eq(sg_config_find(p, &found), SG_OK);
    char want[4096], *rroot = realpath(root, NULL);
    snprintf(want, sizeof want, "%s/a/.swaggate.yaml", rroot);
    ck_assert_str_eq(found, want); /* the nearest wins */
    free(found);
    /* a file that does not exist yet is looked up from its folder */
    snprintf(p, sizeof p, "%s/a/b/new.yaml", root);
    ck_assert_int_eq(sg_config_find(p, &found), SG_OK);
    ck_assert_str_eq(found, want);
    free(found);
    /* the top of a git work tree stops the search */
    put(root, "repo/sub/api.yaml", "x: 1\n");
    snprintf(p, sizeof p, "%s/repo/sub/api.yaml", root);
    ck_assert_int_eq(sg_config_find(p, &found), SG_OK);
    ck_assert_ptr_null(found);
    put(root, "repo/.swaggate.yaml", "strict: true\n");
    ck_assert_int_eq(sg_config_find(p, &found), SG_OK);
    snprintf(want, sizeof want, "%s/repo/.swaggate.yaml", rroot);
    ck_assert_str_eq(found, want);
    free(found);
    free(rroot);
    rmtree(root);
    free(root);
}
END_TEST

START_TEST(test_excluded)
{
    char *root = mktree(), p[4096], cmd[4200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/vendor/x' '%s/gen/deep' '%s/api'", root, root, root);
    ck_assert_int_eq(system(cmd), 0);
    put(root, ".swaggate.yaml", "exclude: [vendor, 'gen/*.yaml', '*.tmp.yaml']\n");
    put(root, "vendor/x/a.yaml", "");
    put(root, "gen/a.yaml", "");
    put(root, "gen/deep/a.yaml", "");
    put(root, "api/a.yaml", "");
    put(root, "api/b.tmp.yaml", "");
    snprintf(p, sizeof p, "%s/.swaggate.yaml", root);
    sg_config *c = NULL;
    ck_assert_int_eq(sg_config_load(p, NULL, &c), SG_OK);
    static const struct {
        const char *f;
        int want;
    } cases[] = {{"vendor/x/a.yaml", 1}, {"gen/a.yaml", 1}, {"gen/deep/a.yaml", 0},
                 {"api/a.yaml", 0},      {"api/b.tmp.yaml", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned line = 0;
        snprintf(p, sizeof p, "%s/%s", root, cases[i].f);
        ck_assert_msg(sg_config_excluded(c, p, &line) == cases[i].want, "%s", cases[i].f);
        ck_assert_uint_eq(line, cases[i].want ? 1 : 0);
    }
    ck_assert_int_eq(sg_config_excluded(c, "-", NULL), 0);
    sg_config_free(c);
    rmtree(root);
    free(root);
}
END_TEST

/* ---- severities and suppressions ---------------------------------------- */

/* The swagger profile: these tests are about config.c, not APIG rules. */
static sg_options swagger_options(void)
{
    sg_options o;
    sg_options_init(&o);
    o.profile = SG_PROFILE_SWAGGER;
    return o;
}

static const char api_head[] = "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\npaths: {}\n"
                               "definitions:\n";

/* Lint SRC (YAML after api_head) and suppress; findings as "L:C rule". */
static void lint_suppress(const char *src, char *out, size_t cap)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", api_head, src);
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_options so = swagger_options();
    ck_assert_int_eq(sg_document_parse("api.yaml", text, strlen(text), NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, &so, d), SG_OK);
    ck_assert_int_eq(sg_diagnostics_suppress(d, doc), SG_OK);
    sg_diagnostics_sort(d);
    size_t o = 0, warnings = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        warnings += g->severity == SG_SEVERITY_WARNING;
        o += (size_t)snprintf(out + o, cap - o, "%s%u:%u %s", i ? "; " : "", g->start.line,
                              g->start.column, g->rule);
    }
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), warnings);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}

typedef struct supp_case {
    const char *name, *src, *want;
} supp_case;

static const supp_case supp_cases[] = {
    {"none", "  A: {type: string}\n", "5:3 unused-definition"},
    {"end of line", "  A: {type: string}  # swaggate-ignore unused-definition old clients\n", ""},
    {"line above", "  # swaggate-ignore unused-definition\n  A: {type: string}\n", ""},
    {"above, through comments and blank lines",
     "  # swaggate-ignore unused-definition\n  # why: v1\n\n  A: {type: string}\n", ""},
    {"applies to the next line only",
     "  # swaggate-ignore unused-definition\n  A: {type: string}\n  B: {type: string}\n",
     "7:3 unused-definition"},
    {"list", "  A: {type: string} # swaggate-ignore schema,unused-definition\n",
     "5:21 unused-suppression"},
    {"unused", "  A: {type: string} # swaggate-ignore ref-cycle\n",
     "5:3 unused-definition; 5:21 unused-suppression"},
    {"star refused", "  A: {type: string} # swaggate-ignore *\n",
     "5:3 unused-definition; 5:21 suppression-invalid"},
    {"unknown rule", "  A: {type: string} # swaggate-ignore unused-definiton\n",
     "5:3 unused-definition; 5:21 suppression-invalid"},
    {"no rule", "  A: {type: string} # swaggate-ignore\n",
     "5:3 unused-definition; 5:21 suppression-invalid"},
    {"'#' inside double quotes is no comment",
     "  A: {type: string, description: \"x # swaggate-ignore unused-definition\"}\n",
     "5:3 unused-definition"},
    {"'#' inside single quotes is no comment",
     "  A: {type: string, description: 'it''s # swaggate-ignore unused-definition'}\n",
     "5:3 unused-definition"},
    {"an apostrophe in a plain scalar opens no quote",
     "  A: {type: string, description: it's} # swaggate-ignore unused-definition\n", ""},
    {"'#' without a space before is no comment",
     "  A: {type: string, description: a#swaggate-ignore}\n", "5:3 unused-definition"},
    {"other words are plain comments", "  A: {type: string} # swaggate-ignored\n",
     "5:3 unused-definition"},
    {"'#' lines in a block scalar are text",
     "  A:\n    type: string\n    description: |\n      # swaggate-ignore unused-definition\n\n"
     "      more\n  B: {type: string} # swaggate-ignore unused-definition\n",
     "5:3 unused-definition"},
    {"a folded block scalar ends where the indentation does",
     "  A:\n    description: >-\n      text\n    # swaggate-ignore schema\n"
     "    type: string # swaggate-ignore unused-definition\n",
     "5:3 unused-definition; 8:5 unused-suppression; 9:18 unused-suppression"},
    {"a comment with nothing after it", "  A: {type: string}\n  # swaggate-ignore schema\n",
     "5:3 unused-definition; 6:3 unused-suppression"},
};

START_TEST(test_suppress)
{
    char out[2000];
    lint_suppress(supp_cases[_i].src, out, sizeof out);
    ck_assert_msg(strcmp(out, supp_cases[_i].want) == 0, "%s: got \"%s\"", supp_cases[_i].name,
                  out);
}
END_TEST

START_TEST(test_suppress_json)
{
    /* JSON has no comments: nothing is suppressed, nothing is unused. */
    const char *text = "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},"
                       " \"paths\": {}, \"definitions\": {\"A\": {\"type\": \"string\"}}}";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_options so = swagger_options();
    ck_assert_int_eq(sg_document_parse("api.json", text, strlen(text), NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, &so, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_int_eq(sg_diagnostics_suppress(d, doc), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_int_eq(sg_diagnostics_suppress(NULL, doc), SG_EUSAGE);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_severities)
{
    char *dir = mktree(), p[4096];
    put(dir, "c.yaml", "rules: {unused-definition: off, duplicate-key: warning, "
                       "version-type: info}\n");
    snprintf(p, sizeof p, "%s/c.yaml", dir);
    sg_config *c = NULL;
    ck_assert_int_eq(sg_config_load(p, NULL, &c), SG_OK);
    const char *text = "swagger: \"2.0\"\ninfo: {title: t, version: 1.0}\npaths: {}\n"
                       "paths: {}\ndefinitions: {A: {type: string}}\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_options so = swagger_options();
    ck_assert_int_eq(sg_document_parse("api.yaml", text, strlen(text), NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, &so, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 1);
    ck_assert_int_eq(sg_diagnostics_apply_config(d, c), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_ERROR), 0);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 1);
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_INFO), 1);
    for (size_t i = 0; i < 2; i++)
        ck_assert_str_ne(sg_diagnostics_get(d, i)->rule, "unused-definition");
    ck_assert_int_eq(sg_diagnostics_apply_config(d, NULL), SG_OK);
    ck_assert_int_eq(sg_diagnostics_apply_config(NULL, c), SG_EUSAGE);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    sg_config_free(c);
    rmtree(dir);
    free(dir);
}
END_TEST

/* ---- baselines ---------------------------------------------------------- */

static sg_diagnostics *lint_text(const char *text)
{
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    sg_options so = swagger_options();
    ck_assert_int_eq(sg_document_parse("api.yaml", text, strlen(text), NULL, d, &doc), SG_OK);
    ck_assert_int_eq(sg_lint(doc, &so, d), SG_OK);
    sg_document_free(doc);
    return d;
}

START_TEST(test_baseline)
{
    char *dir = mktree(), p[4096];
    snprintf(p, sizeof p, "%s/baseline.json", dir);
    const char *v1 = "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\npaths: {}\n"
                     "definitions:\n  A: {type: string}\n  B: {type: string}\n";
    sg_diagnostics *d = lint_text(v1);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    sg_baseline *b = sg_baseline_new();
    ck_assert_int_eq(sg_baseline_add(b, d), SG_OK);
    ck_assert_int_eq(sg_baseline_write(b, p), SG_OK);
    sg_baseline_free(b);
    sg_diagnostics_free(d);
    struct stat sb;
    ck_assert_int_eq(stat(p, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0644);

    /* Lines shifted by an edit above, one new finding: only it is left. */
    const char *v2 = "swagger: \"2.0\"\n# a comment\n\ninfo: {title: t, version: \"1\"}\n"
                     "paths: {}\ndefinitions:\n  C: {type: string}\n  A: {type: string}\n"
                     "  B: {type: string}\n";
    sg_diagnostics *errs = sg_diagnostics_new();
    ck_assert_int_eq(sg_baseline_load(p, errs, &b), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(errs), 0);
    d = lint_text(v2);
    ck_assert_uint_eq(sg_diagnostics_count(d), 3);
    ck_assert_int_eq(sg_baseline_filter(b, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    ck_assert_str_eq(sg_diagnostics_get(d, 0)->pointer, "/definitions/C");
    ck_assert_uint_eq(sg_diagnostics_tally(d, SG_SEVERITY_WARNING), 1);
    sg_diagnostics_free(d);
    /* Counts are used up: the same findings again are new. */
    d = lint_text(v1);
    ck_assert_int_eq(sg_baseline_filter(b, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 2);
    sg_diagnostics_free(d);
    sg_baseline_free(b);
    sg_baseline_free(NULL);

    /* Repeats of one key: two in the baseline, three now: one is new. */
    const char *dup2 = "{\"a\":1,\"a\":2,\"a\":3}";
    const char *dup3 = "{\"a\":1,\"a\":2,\"a\":3,\"a\":4}";
    sg_diagnostics *x = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("d.json", dup2, strlen(dup2), NULL, x, &doc), SG_OK);
    sg_document_free(doc);
    ck_assert_uint_eq(sg_diagnostics_count(x), 2);
    b = sg_baseline_new();
    ck_assert_int_eq(sg_baseline_add(b, x), SG_OK);
    sg_diagnostics_free(x);
    x = sg_diagnostics_new();
    ck_assert_int_eq(sg_document_parse("d.json", dup3, strlen(dup3), NULL, x, &doc), SG_OK);
    sg_document_free(doc);
    ck_assert_int_eq(sg_baseline_filter(b, x), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(x), 1);
    sg_diagnostics_free(x);
    sg_baseline_free(b);

    /* Names that need escaping survive the round trip. */
    x = sg_diagnostics_new();
    ck_assert_int_eq(sg_document_parse("we\"ird\nname.json", dup2, strlen(dup2), NULL, x, &doc),
                     SG_OK);
    sg_document_free(doc);
    b = sg_baseline_new();
    ck_assert_int_eq(sg_baseline_add(b, x), SG_OK);
    snprintf(p, sizeof p, "%s/odd.json", dir);
    ck_assert_int_eq(sg_baseline_write(b, p), SG_OK);
    sg_baseline_free(b);
    ck_assert_int_eq(sg_baseline_load(p, NULL, &b), SG_OK);
    ck_assert_int_eq(sg_baseline_filter(b, x), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(x), 0);
    sg_baseline_free(b);
    sg_diagnostics_free(x);

    /* Not a baseline. */
    put(dir, "bad.json", "{\"findings\": [{\"file\": \"a\"}]}");
    snprintf(p, sizeof p, "%s/bad.json", dir);
    ck_assert_int_eq(sg_baseline_load(p, errs, &b), SG_EINPUT);
    ck_assert_ptr_null(b);
    ck_assert_str_eq(sg_diagnostics_get(errs, 0)->rule, "baseline");
    ck_assert_uint_eq(sg_diagnostics_get(errs, 0)->start.line, 1);
    sg_diagnostics_free(errs);
    /* An unwritable folder: SG_EINPUT, nothing left behind. */
    b = sg_baseline_new();
    ck_assert_int_eq(sg_baseline_write(b, "/no/such/dir/b.json"), SG_EINPUT);
    sg_baseline_free(b);
    rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_describe)
{
    const char *key, *type, *def, *doc;
    size_t n = 0;
    while (sg_config_describe(n, &key, &type, &def, &doc)) {
        ck_assert(key && type && def && doc && *doc);
        n++;
    }
    ck_assert_uint_eq(n, 5);
    ck_assert(sg_rule_find("config") && sg_rule_find("unused-suppression") &&
              sg_rule_find("suppression-invalid") && sg_rule_find("baseline"));
}
END_TEST

Suite *suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, test_load_good);
    tcase_add_loop_test(tc, test_load_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_load_args);
    tcase_add_test(tc, test_find);
    tcase_add_test(tc, test_excluded);
    tcase_add_loop_test(tc, test_suppress, 0, (int)(sizeof supp_cases / sizeof supp_cases[0]));
    tcase_add_test(tc, test_suppress_json);
    tcase_add_test(tc, test_severities);
    tcase_add_test(tc, test_baseline);
    tcase_add_test(tc, test_describe);
    suite_add_tcase(s, tc);
    return s;
}
