/* swaggate: the command-line tool. A thin client of swaggate.h and nothing
 * else (ARCHITECTURE.md, "Library and CLI"): it parses options, calls the
 * library and maps statuses to exit codes. The manual is man/swaggate.1. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swaggate.h"

/* Exit statuses: the stable CLI contract. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_UNUSABLE = 2, EXIT_INTERNAL = 3 };

enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Which options a command takes. */
enum {
    OPT_LINT = 1,    /* --profile, --format */
    OPT_INPUT = 2,   /* --input-format, --limit */
    OPT_REPORT = 4,  /* --color, --source, --no-source */
    OPT_CONVERT = 8, /* --compact, --force */
    OPT_SCHEMA = 16, /* --format, --ref-map */
    OPT_REFS = 32    /* --ref-root */
};

/* --ref-map options one command line may give. */
enum { MAX_REF_MAPS = 64 };

typedef struct command {
    const char *name;
    unsigned opts;
    const char *usage;
    int (*run)(const struct command *cmd, int argc, char **argv);
} command;

typedef struct cli {
    sg_options lib;
    sg_report_format format;
    int color;       /* COLOR_* */
    int source;      /* -1: when the output is a terminal */
    int compact, force;
    char **files;    /* operands, in argument order */
    int nfiles;
    const char *ref_maps[MAX_REF_MAPS]; /* "URI-PREFIX=DIR", borrowed from argv */
    int nref_maps;
} cli;

static const char top_usage[] =
    "Usage: swaggate COMMAND [OPTIONS] [FILE...]\n"
    "Check Swagger 2.0 files before they are imported into Huawei Cloud API Gateway.\n"
    "\n"
    "Commands:\n"
    "  lint      check files and report what is wrong, where, and why\n"
    "  convert   print a file (JSON or YAML) as JSON\n"
    "  schema    validate any JSON or YAML file against a JSON Schema (draft-04)\n"
    "  rules     list the rules swaggate checks (text, JSON or a manual page)\n"
    "  version   print the version of swaggate and of its library\n"
    "  help      print this text, or 'swaggate help COMMAND' for a command's\n"
    "\n"
    "Options: -h, --help (here and after every command), --version.\n"
    "Exit status: 0 clean, 1 findings at error severity, 2 unusable input or\n"
    "usage, 3 internal error. See swaggate(1).\n";

static const char lint_usage[] =
    "Usage: swaggate lint [OPTIONS] FILE...\n"
    "Check each FILE ('-' reads standard input) and report the findings.\n"
    "\n"
    "  --profile apig|swagger   checkers to run: apig (default) adds the\n"
    "                           x-apigateway-* rules to the Swagger 2.0 ones\n"
    "  --format text|json       report format (default text)\n"
    "  --color[=auto|always|never]  colours in text (auto: standard output is\n"
    "                           a terminal and NO_COLOR is unset or empty)\n"
    "  --source, --no-source    show or hide the source line and a caret under\n"
    "                           each finding (default: shown on a terminal)\n"
    "  --input-format auto|json|yaml  how to read FILE (auto: by name, then content)\n"
    "  --limit NAME=VALUE       change a limit on the input (repeatable);\n"
    "                           'swaggate lint --limit help' lists them\n"
    "  --ref-root DIR           file $refs may reach files under DIR (default:\n"
    "                           the folder of FILE; for '-', none unless given)\n"
    "  --                       end of options: later arguments are files\n"
    "  -h, --help               print this text\n"
    "\n"
    "Exit status: 0 clean (warnings and infos do not fail), 1 findings at\n"
    "error severity, 2 unusable input or usage, 3 internal error; over several\n"
    "files the highest.\n";

static const char convert_usage[] =
    "Usage: swaggate convert [OPTIONS] FILE\n"
    "Print FILE ('-' reads standard input) as JSON on standard output, member\n"
    "order and numbers kept. Problems found while reading go to standard error.\n"
    "\n"
    "  --compact                one line instead of two-space indentation\n"
    "  --force                  convert even when reading found errors (such as\n"
    "                           duplicate keys); the exit status is still 1\n"
    "  --input-format auto|json|yaml  how to read FILE\n"
    "  --limit NAME=VALUE       change a limit on the input (repeatable)\n"
    "  --ref-root DIR           the folder file $refs may not leave (as for lint)\n"
    "  --color[=auto|always|never], --source, --no-source\n"
    "                           how problems are shown on standard error\n"
    "  --                       end of options\n"
    "  -h, --help               print this text\n";

static const char schema_usage[] =
    "Usage: swaggate schema [OPTIONS] SCHEMA INSTANCE\n"
    "Validate INSTANCE (JSON or YAML; '-' reads standard input) against the JSON\n"
    "Schema draft-04 in SCHEMA, and report the findings as lint does: those of\n"
    "INSTANCE (rule schema) and problems of SCHEMA itself (rule schema-invalid).\n"
    "\n"
    "  --ref-map URI-PREFIX=DIR serve $refs to URIs under URI-PREFIX from the files\n"
    "                           under DIR (repeatable), e.g.\n"
    "                           --ref-map http://example.com/schemas/=./schemas;\n"
    "                           the network is never used. Relative $refs of a\n"
    "                           SCHEMA file reach files in its own folder.\n"
    "  --format text|json       report format (default text)\n"
    "  --color[=auto|always|never], --source, --no-source\n"
    "                           as for lint\n"
    "  --input-format auto|json|yaml  how to read both files\n"
    "  --limit NAME=VALUE       change a limit (repeatable; ref-hops,\n"
    "                           schema-documents, regex-* bound the validation)\n"
    "  --                       end of options\n"
    "  -h, --help               print this text\n"
    "\n"
    "The draft-04 meta-schema (http://json-schema.org/draft-04/schema) and the\n"
    "Swagger 2.0 schema (http://swagger.io/v2/schema.json) are built in.\n"
    "Exit status: 0 valid, 1 findings at error severity (INSTANCE invalid, or\n"
    "SCHEMA faulty), 2 a file unusable or usage, 3 internal error.\n";

static const char rules_usage[] =
    "Usage: swaggate rules [--format text|json|man]\n"
    "List every rule swaggate checks, from the library's rule catalog.\n"
    "\n"
    "  --format text|json|man   text (default): id, checker, default severity,\n"
    "                           APIG code and summary, one rule a line; json:\n"
    "                           everything, descriptions included; man: the\n"
    "                           swaggate-rules(7) manual page\n"
    "  -h, --help               print this text\n";

static const char version_usage[] =
    "Usage: swaggate version\n"
    "Print the version of swaggate and of the library it runs on.\n";

/* ---- messages --------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
/* "swaggate: WHAT; EXPECTED" and where to read more; always exit 2. */
static int usage_error(const command *cmd, const char *expected, const char *fmt, ...)
{
    va_list ap;
    fputs("swaggate: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; %s\n", expected);
    if (cmd)
        fprintf(stderr, "Try 'swaggate %s --help'.\n", cmd->name);
    else
        fputs("Try 'swaggate --help'.\n", stderr);
    return EXIT_UNUSABLE;
}

static int status_exit(sg_status st)
{
    switch (st) {
    case SG_OK:
        return EXIT_CLEAN;
    case SG_EINPUT:
        return EXIT_UNUSABLE;
    default: /* SG_ENOMEM, SG_EINTERNAL, and SG_EUSAGE: we passed a bad argument */
        return EXIT_INTERNAL;
    }
}

static int worse(int a, int b)
{
    return a > b ? a : b;
}

/* ---- options ---------------------------------------------------------- */

/* The limit names, for "expected one of: ..." */
static void limit_names(char *buf, size_t cap)
{
    const char *name;
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; sg_limits_describe(i, &name, NULL, NULL, NULL) && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", name);
}

static void limit_help(void)
{
    const char *name, *doc;
    uint64_t def, cap;
    printf("Limits (--limit NAME=VALUE; VALUE from 1 to the cap):\n");
    for (size_t i = 0; sg_limits_describe(i, &name, &def, &cap, &doc); i++)
        printf("  %-16s default %-10llu cap %-10llu  %s\n", name, (unsigned long long)def,
               (unsigned long long)cap, doc);
}

/* Apply "NAME=VALUE". Returns 0, or the exit status of a usage error. */
static int set_limit(const command *cmd, cli *c, const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *name;
    uint64_t cap = 0;
    size_t i, len = eq ? (size_t)(eq - spec) : strlen(spec);
    char names[512], expected[600];

    for (i = 0; sg_limits_describe(i, &name, NULL, &cap, NULL); i++)
        if (strlen(name) == len && strncmp(name, spec, len) == 0)
            break;
    if (!sg_limits_describe(i, NULL, NULL, NULL, NULL) || !eq) {
        limit_names(names, sizeof names);
        snprintf(expected, sizeof expected, "expected NAME=VALUE with NAME one of: %s", names);
        return usage_error(cmd, expected, eq ? "unknown limit '%.*s'" : "bad --limit '%.*s'",
                           (int)len, spec);
    }
    /* Decimal digits only: strtoull would take "-1", " 5" and "0x10". */
    uint64_t v = 0;
    const char *p = eq + 1;
    int ok = *p != '\0';
    for (; *p && ok; p++) {
        ok = *p >= '0' && *p <= '9' && v <= (UINT64_MAX - (uint64_t)(*p - '0')) / 10;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (!ok || sg_limits_set(&c->lib.limits, name, v) != SG_OK) {
        snprintf(expected, sizeof expected, "expected a whole number from 1 to %llu",
                 (unsigned long long)cap);
        return usage_error(cmd, expected, "bad value in --limit %s", spec);
    }
    return 0;
}

/* Is ARG "--NAME" or "--NAME=..."? Sets *VALUE to what follows '=' or NULL. */
static int is_opt(const char *arg, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
        return 0;
    *value = arg[n] == '=' ? arg + n + 1 : NULL;
    return 1;
}

/* Index of WORD in the NULL-terminated list WORDS, or -1. */
static int pick(const char *word, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(word, words[i]) == 0)
            return i;
    return -1;
}

/* Parse argv[1..] of CMD (argv[0] is the command name) into C; options and
 * operands may mix, "--" ends options, "-" is an operand. Returns -1 to go
 * on, or an exit status (help printed: 0; usage error: 2). */
static int parse(const command *cmd, int argc, char **argv, cli *c)
{
    static const char *const profiles[] = {"apig", "swagger", NULL};
    static const char *const formats[] = {"text", "json", NULL};
    static const char *const inputs[] = {"auto", "json", "yaml", NULL};
    static const char *const colors[] = {"auto", "always", "never", NULL};
    int only_files = 0;

    memset(c, 0, sizeof *c);
    sg_options_init(&c->lib);
    c->source = -1;
    c->files = argv + 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        unsigned o = cmd->opts;
        int k;
        if (only_files || a[0] != '-' || a[1] == '\0') {
            c->files[c->nfiles++] = argv[i]; /* compacts operands in place */
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cmd->usage, stdout);
            return EXIT_CLEAN;
        } else if ((o & OPT_REPORT) && is_opt(a, "--color", &v)) {
            if ((k = pick(v ? v : "always", colors)) < 0)
                return usage_error(cmd, "expected auto, always or never", "bad --color value '%s'", v);
            c->color = k;
        } else if ((o & OPT_REPORT) && (strcmp(a, "--source") == 0 || strcmp(a, "--no-source") == 0)) {
            c->source = a[2] == 's';
        } else if ((o & OPT_CONVERT) && strcmp(a, "--compact") == 0) {
            c->compact = 1;
        } else if ((o & OPT_CONVERT) && strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if (((o & OPT_LINT) && is_opt(a, "--profile", &v)) ||
                   ((o & (OPT_LINT | OPT_SCHEMA)) && is_opt(a, "--format", &v)) ||
                   ((o & OPT_SCHEMA) && is_opt(a, "--ref-map", &v)) ||
                   ((o & OPT_REFS) && is_opt(a, "--ref-root", &v)) ||
                   ((o & OPT_INPUT) && (is_opt(a, "--input-format", &v) || is_opt(a, "--limit", &v)))) {
            /* Options with a value: "--opt=value" or "--opt value". */
            char opt[32];
            snprintf(opt, sizeof opt, "%.*s", (int)strcspn(a, "="), a);
            if (!v && i + 1 >= argc)
                return usage_error(cmd,
                                   strcmp(opt, "--limit") == 0     ? "expected NAME=VALUE"
                                   : strcmp(opt, "--ref-map") == 0 ? "expected URI-PREFIX=DIR"
                                   : strcmp(opt, "--ref-root") == 0 ? "expected a folder"
                                   : strcmp(opt, "--profile") == 0 ? "expected apig or swagger"
                                   : strcmp(opt, "--format") == 0  ? "expected text or json"
                                                                   : "expected auto, json or yaml",
                                   "option '%s' needs a value", opt);
            if (!v)
                v = argv[++i];
            if (strcmp(opt, "--ref-root") == 0) {
                c->lib.ref_root = v; /* borrowed from argv */
            } else if (strcmp(opt, "--ref-map") == 0) {
                if (!strchr(v, '=') || v[0] == '=')
                    return usage_error(cmd, "expected URI-PREFIX=DIR", "bad --ref-map '%s'", v);
                if (c->nref_maps == MAX_REF_MAPS)
                    return usage_error(cmd, "expected at most 64 of them", "too many --ref-map");
                c->ref_maps[c->nref_maps++] = v;
            } else if (strcmp(opt, "--limit") == 0) {
                if (strcmp(v, "help") == 0) {
                    limit_help();
                    return EXIT_CLEAN;
                }
                if ((k = set_limit(cmd, c, v)) != 0)
                    return k;
            } else if (strcmp(opt, "--profile") == 0) {
                if ((k = pick(v, profiles)) < 0)
                    return usage_error(cmd, "expected apig or swagger", "unknown profile '%s'", v);
                c->lib.profile = k == 0 ? SG_PROFILE_APIG : SG_PROFILE_SWAGGER;
            } else if (strcmp(opt, "--format") == 0) {
                if ((k = pick(v, formats)) < 0)
                    return usage_error(cmd, "expected text or json", "unknown format '%s'", v);
                c->format = k == 0 ? SG_REPORT_TEXT : SG_REPORT_JSON;
            } else {
                if ((k = pick(v, inputs)) < 0)
                    return usage_error(cmd, "expected auto, json or yaml",
                                       "unknown input format '%s'", v);
                c->lib.format = k == 0 ? SG_FORMAT_AUTO : k == 1 ? SG_FORMAT_JSON : SG_FORMAT_YAML;
            }
        } else {
            return usage_error(cmd, "expected one of the options of this command",
                               "unknown option '%s'", a);
        }
    }
    return -1;
}

/* Reporter options for output to FD. NO_COLOR (https://no-color.org) turns
 * colours off unless a --color flag asked for them. */
static sg_report_options report_options(const cli *c, int fd)
{
    sg_report_options r;
    int tty = isatty(fd);
    const char *nc = getenv("NO_COLOR");
    r.format = c->format;
    r.color = c->color == COLOR_ALWAYS || (c->color == COLOR_AUTO && tty && !(nc && *nc));
    r.show_source = c->source < 0 ? tty : c->source;
    return r;
}

/* Say that writing the report failed, once; exit status 2. */
static int output_error(const char *what)
{
    fprintf(stderr, "swaggate: cannot write to %s: %s\n", what,
            errno ? strerror(errno) : "write error");
    return EXIT_UNUSABLE;
}

/* ---- commands --------------------------------------------------------- */

/* Load PATH with a new list of diagnostics in *DIAGS (NULL when out of
 * memory) and the document, or NULL, in *DOC. Returns the load's status. */
static sg_status load(const cli *c, const char *path, sg_document **doc, sg_diagnostics **diags)
{
    *doc = NULL;
    *diags = sg_diagnostics_new();
    if (!*diags)
        return SG_ENOMEM;
    return sg_document_load(path, &c->lib, *diags, doc);
}

static int run_lint(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles == 0)
        return usage_error(cmd, "expected one or more files ('-' for standard input)",
                           "missing FILE");

    sg_report_options ro = report_options(&c, STDOUT_FILENO);
    sg_reporter *rep = sg_reporter_new(stdout, &ro);
    if (!rep) {
        fprintf(stderr, "swaggate: %s\n", sg_status_string(SG_ENOMEM));
        return EXIT_INTERNAL;
    }
    rc = EXIT_CLEAN;
    for (int i = 0; i < c.nfiles; i++) {
        sg_document *doc;
        sg_diagnostics *diags;
        sg_status st = load(&c, c.files[i], &doc, &diags);
        if (st == SG_OK)
            st = sg_lint(doc, &c.lib, diags);
        sg_diagnostics_sort(diags);
        sg_status ws = diags ? sg_reporter_file(rep, c.files[i], diags) : SG_OK;
        if (st != SG_OK && st != SG_EINPUT)
            fprintf(stderr, "swaggate: %s: %s\n", c.files[i], sg_status_string(st));
        rc = worse(rc, status_exit(st));
        if (st == SG_OK && sg_diagnostics_tally(diags, SG_SEVERITY_ERROR) > 0)
            rc = worse(rc, EXIT_FINDINGS);
        sg_document_free(doc);
        sg_diagnostics_free(diags);
        if (ws == SG_EINPUT) {
            sg_reporter_free(rep);
            return worse(rc, output_error("standard output"));
        }
        if (ws != SG_OK)
            rc = worse(rc, status_exit(ws));
    }
    sg_status ws = sg_reporter_finish(rep);
    sg_reporter_free(rep);
    if (ws == SG_EINPUT)
        return worse(rc, output_error("standard output"));
    return worse(rc, status_exit(ws));
}

static int run_convert(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles != 1)
        return usage_error(cmd, "expected exactly one FILE ('-' for standard input)", "%s",
                           c.nfiles ? "too many files" : "missing FILE");

    sg_document *doc;
    sg_diagnostics *diags;
    sg_status st = load(&c, c.files[0], &doc, &diags);
    if (diags && sg_diagnostics_count(diags) > 0) {
        /* What reading found goes to standard error, standard output
         * carries the document only. */
        sg_report_options ro = report_options(&c, STDERR_FILENO);
        ro.format = SG_REPORT_TEXT;
        sg_reporter *rep = sg_reporter_new(stderr, &ro);
        sg_diagnostics_sort(diags);
        if (!rep || sg_reporter_file(rep, c.files[0], diags) != SG_OK ||
            sg_reporter_finish(rep) != SG_OK)
            fprintf(stderr, "swaggate: %s: could not report the problems found\n", c.files[0]);
        sg_reporter_free(rep);
    }
    if (st != SG_OK) {
        if (st != SG_EINPUT)
            fprintf(stderr, "swaggate: %s: %s\n", c.files[0], sg_status_string(st));
        sg_diagnostics_free(diags);
        return status_exit(st);
    }
    size_t errors = sg_diagnostics_tally(diags, SG_SEVERITY_ERROR);
    sg_diagnostics_free(diags);
    if (errors > 0 && !c.force) {
        /* The JSON of a flawed document (say, one of two duplicate keys
         * dropped) is not what its author wrote: refuse unless asked. */
        fprintf(stderr, "swaggate: %s: not converted: reading it found %zu error%s (above); "
                        "--force converts it anyway\n",
                c.files[0], errors, errors == 1 ? "" : "s");
        sg_document_free(doc);
        return EXIT_FINDINGS;
    }
    st = sg_document_write_json(doc, stdout, !c.compact);
    sg_document_free(doc);
    if (st == SG_EINPUT)
        return output_error("standard output");
    if (st != SG_OK) {
        fprintf(stderr, "swaggate: %s: %s\n", c.files[0], sg_status_string(st));
        return status_exit(st);
    }
    return errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* "file:///dir/name" for the absolute PATH, each byte outside RFC 3986's
 * unreserved set and '/' percent-encoded. NULL when out of memory. */
static char *file_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    char *u = malloc(strlen(path) * 3 + 8);
    if (!u)
        return NULL;
    char *o = u + sprintf(u, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return u;
}

/* Give SCHEMA, read from PATH, its file URI and map its folder, so that its
 * relative $refs reach files beside it (and no further: the library checks
 * that a mapped file stays under the folder). */
static sg_status register_schema_file(sg_schema_set *set, const char *path, const sg_document *schema)
{
    char *real = realpath(path, NULL);
    if (!real)
        return SG_OK; /* read already; without a real path it just has no URI */
    char *uri = file_uri(real);
    char *slash = strrchr(real, '/');
    sg_status st = uri ? sg_schema_set_add(set, uri, schema) : SG_ENOMEM;
    if (st == SG_OK && slash) {
        char *dir_uri;
        slash[1] = '\0';
        dir_uri = file_uri(real);
        st = dir_uri ? sg_schema_set_map(set, dir_uri, real) : SG_ENOMEM;
        free(dir_uri);
    }
    free(uri);
    free(real);
    return st == SG_EUSAGE ? SG_OK : st;
}

static int run_schema(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles != 2)
        return usage_error(cmd, "expected SCHEMA and INSTANCE ('-' for standard input)", "%s",
                           c.nfiles < 2 ? "missing SCHEMA or INSTANCE" : "too many files");
    if (strcmp(c.files[0], "-") == 0 && strcmp(c.files[1], "-") == 0)
        return usage_error(cmd, "expected at most one of them to be '-'",
                           "SCHEMA and INSTANCE cannot both be standard input");
    sg_schema_set *set = sg_schema_set_new();
    if (!set) {
        fprintf(stderr, "swaggate: %s\n", sg_status_string(SG_ENOMEM));
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < c.nref_maps; i++) {
        char prefix[4096];
        const char *eq = strchr(c.ref_maps[i], '=');
        snprintf(prefix, sizeof prefix, "%.*s", (int)(eq - c.ref_maps[i]), c.ref_maps[i]);
        sg_status st = sg_schema_set_map(set, prefix, eq + 1);
        if (st != SG_OK) {
            sg_schema_set_free(set);
            if (st != SG_EUSAGE) {
                fprintf(stderr, "swaggate: %s\n", sg_status_string(st));
                return EXIT_INTERNAL;
            }
            return usage_error(cmd, "expected an absolute URI prefix and an existing folder",
                               "cannot use --ref-map %s", c.ref_maps[i]);
        }
    }

    /* One list for both files: the reporter groups it by file. */
    sg_document *schema = NULL, *instance = NULL;
    sg_diagnostics *diags = sg_diagnostics_new();
    sg_status st = diags ? sg_document_load(c.files[0], &c.lib, diags, &schema) : SG_ENOMEM;
    sg_status ist = diags ? sg_document_load(c.files[1], &c.lib, diags, &instance) : SG_ENOMEM;
    if (st == SG_OK && ist == SG_OK && strcmp(c.files[0], "-") != 0)
        st = register_schema_file(set, c.files[0], schema);
    if (st == SG_OK && ist == SG_OK)
        st = sg_schema_validate(set, schema, instance, &c.lib, diags);
    else if (st == SG_OK || (st == SG_EINPUT && ist != SG_OK && ist != SG_EINPUT))
        st = ist;

    rc = status_exit(st);
    if (st != SG_OK && st != SG_EINPUT)
        fprintf(stderr, "swaggate: %s\n", sg_status_string(st));
    if (st == SG_OK && sg_diagnostics_tally(diags, SG_SEVERITY_ERROR) > 0)
        rc = EXIT_FINDINGS;
    sg_status ws = SG_OK;
    if (diags) {
        sg_report_options ro = report_options(&c, STDOUT_FILENO);
        sg_reporter *rep = sg_reporter_new(stdout, &ro);
        sg_diagnostics_sort(diags);
        ws = !rep ? SG_ENOMEM : sg_reporter_file(rep, c.files[1], diags);
        if (ws == SG_OK)
            ws = sg_reporter_finish(rep);
        sg_reporter_free(rep);
    }
    sg_document_free(schema);
    sg_document_free(instance);
    sg_diagnostics_free(diags);
    sg_schema_set_free(set);
    if (ws == SG_EINPUT)
        return worse(rc, output_error("standard output"));
    return worse(rc, status_exit(ws));
}

/* ---- rules: the catalog (one source for this listing and the manual) ---- */

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* Text for roff: backslashes escaped, and a '.' or '\'' that starts the
 * line guarded so that roff does not read a request. */
static void roff_text(const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", stdout);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", stdout);
        else
            putchar(*s);
    }
}

static void rules_man(void)
{
    const sg_rule *r;
    printf(".TH SWAGGATE-RULES 7 \"\" \"swaggate %s\" \"swaggate manual\"\n", sg_version());
    fputs(".SH NAME\n"
          "swaggate-rules \\- the rules that swaggate checks\n"
          ".SH DESCRIPTION\n"
          "Every finding of\n"
          ".BR swaggate (1)\n"
          "names one of the rules below.\n"
          "Each rule belongs to a checker: model (reading the file), resolve ($ref),\n"
          "schema (the Swagger 2.0 JSON Schema), swagger (Swagger 2.0 rules a schema\n"
          "cannot express) or apig (Huawei Cloud API Gateway extensions).\n"
          "The profile chooses the checkers: apig runs them all, swagger all but apig.\n"
          "The severity given is the rule's default; an APIG code is the error the\n"
          "gateway answers when it meets the same problem at import.\n"
          ".PP\n"
          "This page is generated from the library's rule catalog by\n"
          ".BR \"swaggate rules \\-\\-format man\" ;\n"
          ".B swaggate rules\n"
          "lists the same catalog.\n"
          ".SH RULES\n",
          stdout);
    const char *checker = NULL;
    for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++) {
        if (!checker || strcmp(checker, r->checker) != 0) {
            checker = r->checker;
            printf(".SS \"Checker: %s\"\n", checker);
        }
        printf(".TP\n.B ");
        roff_text(r->id);
        printf("\n(\\fI%s\\fP%s%s) ", sg_severity_name(r->severity), r->apig_code ? ", " : "",
               r->apig_code ? r->apig_code : "");
        roff_text(r->summary);
        fputs(".\n", stdout);
        if (r->description) {
            fputs(".IP\n", stdout);
            roff_text(r->description);
            fputs("\n", stdout);
        }
    }
    fputs(".SH SEE ALSO\n.BR swaggate (1)\n", stdout);
}

static int run_rules(const command *cmd, int argc, char **argv)
{
    static const char *const formats[] = {"text", "json", "man", NULL};
    int format = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(cmd->usage, stdout);
            return EXIT_CLEAN;
        }
        if (!is_opt(a, "--format", &v))
            return usage_error(cmd, "expected --format text|json|man",
                               a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        if (!v && i + 1 >= argc)
            return usage_error(cmd, "expected text, json or man", "option '--format' needs a value");
        if (!v)
            v = argv[++i];
        if ((format = pick(v, formats)) < 0)
            return usage_error(cmd, "expected text, json or man", "unknown format '%s'", v);
    }
    const sg_rule *r;
    if (format == 2) {
        rules_man();
    } else if (format == 1) {
        fputs("{\"rules\": [", stdout);
        for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++) {
            fputs(i ? ",\n  {\"id\": " : "\n  {\"id\": ", stdout);
            json_string(r->id);
            fputs(", \"checker\": ", stdout);
            json_string(r->checker);
            fputs(", \"severity\": ", stdout);
            json_string(sg_severity_name(r->severity));
            fputs(", \"apig_code\": ", stdout);
            r->apig_code ? json_string(r->apig_code) : (void)fputs("null", stdout);
            fputs(", \"summary\": ", stdout);
            json_string(r->summary);
            fputs(", \"description\": ", stdout);
            r->description ? json_string(r->description) : (void)fputs("null", stdout);
            fputs("}", stdout);
        }
        fputs("\n]}\n", stdout);
    } else {
        int w = 4;
        for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++)
            if ((int)strlen(r->id) > w)
                w = (int)strlen(r->id);
        printf("%-*s  %-8s %-8s %-10s %s\n", w, "RULE", "CHECKER", "SEVERITY", "APIG", "SUMMARY");
        for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++)
            printf("%-*s  %-8s %-8s %-10s %s\n", w, r->id, r->checker, sg_severity_name(r->severity),
                   r->apig_code ? r->apig_code : "-", r->summary);
    }
    return EXIT_CLEAN;
}

static int print_version(void)
{
    printf("swaggate %s\nlibswaggate %s\n", SG_VERSION_STRING, sg_version());
    return EXIT_CLEAN;
}

static int run_version(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles > 0)
        return usage_error(cmd, "expected no arguments", "unexpected argument '%s'", c.files[0]);
    return print_version();
}

static const command commands[] = {
    {"lint", OPT_LINT | OPT_INPUT | OPT_REPORT | OPT_REFS, lint_usage, run_lint},
    {"convert", OPT_INPUT | OPT_REPORT | OPT_CONVERT | OPT_REFS, convert_usage, run_convert},
    {"schema", OPT_INPUT | OPT_REPORT | OPT_SCHEMA, schema_usage, run_schema},
    {"rules", 0, rules_usage, run_rules},
    {"version", 0, version_usage, run_version},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

static int run(int argc, char **argv)
{
    const command *cmd;
    if (argc < 2) {
        fputs(top_usage, stderr);
        return EXIT_UNUSABLE;
    }
    const char *a = argv[1];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "help") == 0) {
        if (strcmp(a, "help") == 0 && argc > 2) {
            if (!(cmd = find_command(argv[2])))
                return usage_error(NULL, "expected lint, convert, schema, rules or version",
                                   "unknown command '%s'", argv[2]);
            fputs(cmd->usage, stdout);
        } else {
            fputs(top_usage, stdout);
        }
        return EXIT_CLEAN;
    }
    if (strcmp(a, "--version") == 0)
        return print_version();
    if (a[0] == '-')
        return usage_error(NULL, "expected a command first (lint, convert, schema, rules, version)",
                           "unknown option '%s'", a);
    if (!(cmd = find_command(a)))
        return usage_error(NULL, "expected lint, convert, schema, rules or version", "unknown command '%s'", a);
    return cmd->run(cmd, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    /* A closed pipe must surface as a write error (exit 2), not kill us. */
    signal(SIGPIPE, SIG_IGN);
    int rc = run(argc, argv);
    /* A command that writes through the library (lint, convert) reports
     * its own write error, and so leaves the stream's error flag set, with
     * rc at least 2; anything else (help, version) is reported here. */
    int reported = ferror(stdout) && rc >= EXIT_UNUSABLE;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (!reported)
            output_error("standard output");
        rc = worse(rc, EXIT_UNUSABLE);
    }
    return rc;
}
