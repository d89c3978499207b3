/* swaggate: the command-line tool. A thin client of swaggate.h and nothing
 * else (ARCHITECTURE.md, "Library and CLI"): it parses options, calls the
 * library and maps statuses to exit codes. The manual is man/swaggate.1. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swaggate.h"

#include "cli_files.h"
#include "serve.h"

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
    OPT_REFS = 32,   /* --ref-root */
    OPT_CONFIG = 64, /* --config, --no-config */
    OPT_BASELINE = 128, /* --baseline, --write-baseline */
    OPT_FILES = 256, /* -j, --stdin-name, --swagger-only */
    OPT_NORMALIZE = 512 /* -o/--output, --canonical, --force */
};

/* --limit options one command line may give (kept to apply after a
 * configuration file's limits). */
enum { MAX_LIMIT_FLAGS = 64 };

#define FORMATS_EXPECTED "expected text, json, sarif, github or junit"

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
    int canonical;      /* normalize --canonical */
    const char *output; /* convert -o FILE, borrowed from argv */
    char **files;    /* operands, in argument order */
    int nfiles;
    const char *ref_maps[MAX_REF_MAPS]; /* "URI-PREFIX=DIR", borrowed from argv */
    int nref_maps;
    /* Configuration: flags given win over the configuration file. */
    const char *config_file; /* --config, borrowed from argv */
    int no_config, profile_given;
    const char *limit_names[MAX_LIMIT_FLAGS];
    uint64_t limit_values[MAX_LIMIT_FLAGS];
    int nlimit_flags;
    const char *baseline_file, *write_baseline_file; /* borrowed from argv */
    const char *stdin_name; /* lint --stdin-name: the name of '-', borrowed */
    char *stdin_buf;        /* with stdin_name: standard input, read first */
    size_t stdin_len;
    int swagger_only;       /* lint --swagger-only */
    unsigned jobs;          /* lint -j: files linted at once */
    struct cfg_state *cfgs; /* lint: configurations met, baselines */
} cli;

static const char top_usage[] =
    "Usage: swaggate COMMAND [OPTIONS] [FILE...]\n"
    "Check Swagger 2.0 files before they are imported into Huawei Cloud API Gateway.\n"
    "\n"
    "Commands:\n"
    "  lint      check files and report what is wrong, where, and why\n"
    "  convert   print a file (JSON or YAML) as JSON\n"
    "  normalize write a file as its canonical body: one self-contained JSON\n"
    "            document, RFC 8785 order and spelling (--canonical: the bytes)\n"
    "  schema    validate any JSON or YAML file against a JSON Schema (draft-04)\n"
    "  rules     list the rules swaggate checks (text, JSON or a manual page)\n"
    "  version   print the versions of swaggate, its library and the libraries\n"
    "            it runs on (libyaml, json-c, PCRE2)\n"
    "  plan      predict what APIG's import does with a file: APIs created,\n"
    "            updated, kept, failed; policies; the group as it will stand\n"
    "  request   build the multipart body of APIG's async-import call\n"
    "  serve     serve APIG's import endpoints on this machine (async-import,\n"
    "            the task query, import, export) to test upload scripts offline\n"
    "  hook      'hook install' writes a git pre-commit hook that lints the\n"
    "            staged Swagger files\n"
    "  config    print the settings that apply to a file (.swaggate.yaml)\n"
    "  help      print this text, or 'swaggate help COMMAND' for a command's\n"
    "\n"
    "Options: -h, --help (here and after every command), --version.\n"
    "Exit status: 0 clean, 1 findings at error severity, 2 unusable input or\n"
    "usage, 3 internal error. See swaggate(1).\n";

static const char lint_usage[] =
    "Usage: swaggate lint [OPTIONS] FILE|DIR...\n"
    "Check each FILE ('-' reads standard input) and the Swagger 2.0 files under\n"
    "each DIR (.json, .yaml, .yml with a top-level swagger key; dot-folders and\n"
    "node_modules skipped, symbolic links to folders not followed), and report\n"
    "the findings.\n"
    "\n"
    "  --profile apig|swagger   checkers to run: apig (default) adds the\n"
    "                           x-apigateway-* rules to the Swagger 2.0 ones\n"
    "  --format text|json|sarif|github|junit  report format (default text):\n"
    "                           sarif for code scanning, github for Actions\n"
    "                           annotations, junit for test reports\n"
    "  --color[=auto|always|never]  colours in text (auto: standard output is\n"
    "                           a terminal and NO_COLOR is unset or empty)\n"
    "  --source, --no-source    show or hide the source line and a caret under\n"
    "                           each finding (default: shown on a terminal)\n"
    "  --input-format auto|json|yaml  how to read FILE (auto: by name, then content)\n"
    "  --limit NAME=VALUE       change a limit on the input (repeatable);\n"
    "                           'swaggate lint --limit help' lists them\n"
    "  --ref-root DIR           file $refs may reach files under DIR (default:\n"
    "                           the folder of FILE; for '-', none unless given)\n"
    "  --config FILE            use this configuration instead of the\n"
    "                           .swaggate.yaml found upward from each FILE\n"
    "  --no-config              use no configuration file\n"
    "  --strict                 APIG rules whose sources disagree: errors, not\n"
    "                           warnings\n"
    "  --baseline FILE          report only findings not in this baseline\n"
    "  --write-baseline FILE    write the findings as a baseline, exit 0\n"
    "  -j N, --jobs N           lint N files at once (0: one per CPU); the\n"
    "                           report keeps the order of the files; -j 1 also\n"
    "                           keeps a large file's checks on one thread, -j 2\n"
    "                           puts them on two even on a busy machine\n"
    "  --stdin-name NAME        name standard input ('-') NAME in findings; its\n"
    "                           extension picks the reader (for git hooks)\n"
    "  --swagger-only           skip files named (or '-') that do not look like\n"
    "                           Swagger 2.0, as the folder walk does\n"
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
    "  -o, --output FILE        write to FILE instead: a temporary file beside it,\n"
    "                           renamed over FILE once all is written, so FILE is\n"
    "                           never left half written; never the input itself\n"
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
    "  --format text|json|sarif|github|junit  report format (default text)\n"
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

static const char config_usage[] =
    "Usage: swaggate config --print [OPTIONS] [FILE]\n"
    "       swaggate config --format man\n"
    "Print the settings that apply to FILE (default: the current folder), each\n"
    "with its value and where it comes from: the default, the configuration\n"
    "file (path:line) or the command line; or the swaggate-config(5) page.\n"
    "\n"
    "  --config FILE, --no-config, --profile, --strict, --limit NAME=VALUE\n"
    "                           as for lint, to see what they change\n"
    "  -h, --help               print this text\n";

static const char version_usage[] =
    "Usage: swaggate version\n"
    "Print the version of swaggate, of its library, and of the libraries\n"
    "it runs on (libyaml, json-c, PCRE2), one 'name version' a line.\n";

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
    if (c->nlimit_flags < MAX_LIMIT_FLAGS) {
        c->limit_names[c->nlimit_flags] = name;
        c->limit_values[c->nlimit_flags++] = v;
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
    static const char *const formats[] = {"text", "json", "sarif", "github", "junit", NULL};
    static const sg_report_format format_values[] = {SG_REPORT_TEXT, SG_REPORT_JSON, SG_REPORT_SARIF,
                                                     SG_REPORT_GITHUB, SG_REPORT_JUNIT};
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
        } else if ((o & (OPT_CONVERT | OPT_NORMALIZE)) && strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if ((o & OPT_NORMALIZE) && strcmp(a, "--canonical") == 0) {
            c->canonical = 1;
        } else if ((o & (OPT_CONVERT | OPT_NORMALIZE)) &&
                   (strcmp(a, "-o") == 0 || is_opt(a, "--output", &v))) {
            if (!v && i + 1 >= argc)
                return usage_error(cmd, "expected a file", "option '%s' needs a value", a);
            c->output = v ? v : argv[++i];
            if (!*c->output)
                return usage_error(cmd, "expected a file", "empty output file name");
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
                                   : strcmp(opt, "--format") == 0  ? FORMATS_EXPECTED
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
                c->profile_given = 1;
            } else if (strcmp(opt, "--format") == 0) {
                if ((k = pick(v, formats)) < 0)
                    return usage_error(cmd, FORMATS_EXPECTED, "unknown format '%s'", v);
                c->format = format_values[k];
            } else {
                if ((k = pick(v, inputs)) < 0)
                    return usage_error(cmd, "expected auto, json or yaml",
                                       "unknown input format '%s'", v);
                c->lib.format = k == 0 ? SG_FORMAT_AUTO : k == 1 ? SG_FORMAT_JSON : SG_FORMAT_YAML;
            }
        } else if ((o & OPT_FILES) && strcmp(a, "--swagger-only") == 0) {
            c->swagger_only = 1;
        } else if ((o & OPT_FILES) && (is_opt(a, "--stdin-name", &v) || is_opt(a, "--jobs", &v) ||
                                      strncmp(a, "-j", 2) == 0)) {
            /* --stdin-name NAME, -j N, -jN, --jobs N, --jobs=N */
            int jobs = a[1] == 'j' || a[2] == 'j';
            if (a[1] == 'j' && a[2])
                v = a + 2;
            if (!v && i + 1 >= argc)
                return usage_error(cmd, jobs ? "expected a number of jobs" : "expected a file name",
                                   "option '%s' needs a value", a);
            if (!v)
                v = argv[++i];
            if (!jobs) {
                if (!*v)
                    return usage_error(cmd, "expected a file name", "empty --stdin-name");
                c->stdin_name = v;
            } else {
                char *end;
                errno = 0;
                long n = strtol(v, &end, 10);
                if (errno || *end || end == v || n < 0 || n > 1024 || !(*v >= '0' && *v <= '9'))
                    return usage_error(cmd, "expected a number from 0 (one per CPU) to 1024",
                                       "bad -j value '%s'", v);
                if (n == 0) {
                    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
                    n = cpus > 0 ? cpus : 1;
                }
                c->jobs = (unsigned)n;
            }
        } else if ((o & OPT_CONFIG) && strcmp(a, "--strict") == 0) {
            c->lib.strict = 1; /* unsettled APIG rules become errors */
        } else if ((o & OPT_CONFIG) && strcmp(a, "--no-config") == 0) {
            c->no_config = 1;
        } else if (((o & OPT_CONFIG) && is_opt(a, "--config", &v)) ||
                   ((o & OPT_BASELINE) &&
                    (is_opt(a, "--baseline", &v) || is_opt(a, "--write-baseline", &v)))) {
            char opt[32];
            snprintf(opt, sizeof opt, "%.*s", (int)strcspn(a, "="), a);
            if (!v && i + 1 >= argc)
                return usage_error(cmd, "expected a file", "option '%s' needs a value", opt);
            if (!v)
                v = argv[++i];
            if (strcmp(opt, "--config") == 0)
                c->config_file = v;
            else if (strcmp(opt, "--baseline") == 0)
                c->baseline_file = v;
            else
                c->write_baseline_file = v;
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

/* ---- configuration, suppressions, baselines ------------------------------ */

enum { MAX_CONFIGS = 64 };

/* What one lint run keeps across files: each configuration loaded once (a
 * faulty one is reported once, then only named), the --baseline read once
 * and used up as findings match, and the findings for --write-baseline. */
typedef struct cfg_state {
    char *path[MAX_CONFIGS];
    sg_config *cfg[MAX_CONFIGS]; /* NULL: faulty, already reported */
    int n;
    int baseline_tried;
    sg_baseline *baseline, *written;
    /* Schema sets not in use: a set is one thread's at a time, and reusing
     * one spares each file the parse of the embedded schemas. */
    sg_schema_set **sets;
    size_t nsets, capsets;
} cfg_state;

/* A schema set for one file's lint (NULL: sg_lint makes its own). Called
 * with lint_lock held. */
static sg_schema_set *set_take(cfg_state *s)
{
    return s->nsets ? s->sets[--s->nsets] : sg_schema_set_new();
}

/* Give SET back for the next file; lint_lock held. */
static void set_give(cfg_state *s, sg_schema_set *set)
{
    if (!set)
        return;
    if (s->nsets == s->capsets) {
        size_t cap = s->capsets ? s->capsets * 2 : 4;
        sg_schema_set **n = realloc(s->sets, cap * sizeof *n);
        if (!n) {
            sg_schema_set_free(set);
            return;
        }
        s->sets = n;
        s->capsets = cap;
    }
    s->sets[s->nsets++] = set;
}

static void cfg_done(cli *c)
{
    cfg_state *s = c->cfgs;
    if (!s)
        return;
    for (int i = 0; i < s->n; i++) {
        free(s->path[i]);
        sg_config_free(s->cfg[i]);
    }
    sg_baseline_free(s->baseline);
    sg_baseline_free(s->written);
    for (size_t i = 0; i < s->nsets; i++)
        sg_schema_set_free(s->sets[i]);
    free(s->sets);
    free(s);
    c->cfgs = NULL;
}

/* The configuration that applies to FILE into *OUT (NULL: none). Mistakes
 * in it go to DIAGS the first time (SG_EINPUT). */
static sg_status config_for(cli *c, const char *file, const sg_config **out, sg_diagnostics *diags)
{
    *out = NULL;
    if (c->no_config)
        return SG_OK;
    if (!c->cfgs && !(c->cfgs = calloc(1, sizeof *c->cfgs)))
        return SG_ENOMEM;
    cfg_state *s = c->cfgs;
    char *path = NULL;
    if (c->config_file) {
        if (!(path = strdup(c->config_file)))
            return SG_ENOMEM;
    } else {
        sg_status st = sg_config_find(file, &path);
        if (st != SG_OK || !path)
            return st;
    }
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->path[i], path) == 0) {
            free(path);
            *out = s->cfg[i];
            if (!s->cfg[i])
                fprintf(stderr, "swaggate: %s: not checked: its configuration %s is faulty\n",
                        file, s->path[i]);
            return s->cfg[i] ? SG_OK : SG_EINPUT;
        }
    sg_config *cfg = NULL;
    sg_status st = sg_config_load(path, diags, &cfg);
    if (st != SG_OK && st != SG_EINPUT) {
        free(path);
        return st;
    }
    if (s->n == MAX_CONFIGS) { /* many folders: forget the oldest */
        free(s->path[0]);
        sg_config_free(s->cfg[0]);
        memmove(s->path, s->path + 1, (MAX_CONFIGS - 1) * sizeof s->path[0]);
        memmove(s->cfg, s->cfg + 1, (MAX_CONFIGS - 1) * sizeof s->cfg[0]);
        s->n--;
    }
    s->path[s->n] = path;
    s->cfg[s->n++] = cfg;
    *out = cfg;
    return st;
}

/* The options for a file: the defaults, then the configuration, then the
 * command line, which wins. */
static sg_status file_options(const cli *c, const sg_config *cfg, sg_options *o)
{
    *o = c->lib;
    sg_limits_init(&o->limits);
    o->profile = SG_PROFILE_APIG;
    sg_status st = sg_config_apply(cfg, o);
    if (c->profile_given)
        o->profile = c->lib.profile;
    if (c->lib.strict) /* --strict: a flag can only turn it on */
        o->strict = 1;
    for (int i = 0; i < c->nlimit_flags && st == SG_OK; i++)
        st = sg_limits_set(&o->limits, c->limit_names[i], c->limit_values[i]);
    return st;
}

/* Threads for one file's reading and checks (sg_options.threads): two when
 * the machine has a second CPU and, unless ASKED (-j 2 or more for one
 * file), another CPU is free now: the threads hand events over every few
 * tens of microseconds, and one that shares a CPU with other work makes
 * both wait. Measured on this 2-CPU machine (bench/RESULTS.md, "Fourth
 * round"): with one other busy job, Kubernetes 1.13 took 97-111 ms on two
 * threads against 75-91 ms on one; with two, 195 ms against 86 ms. "Free"
 * is read from the kernel's count of runnable threads at this instant
 * (/proc/loadavg; this process is one of them), not from a load average,
 * which a run of swaggate just before would raise. Elsewhere: the
 * one-minute load average, below half a CPU beyond this one. */
static unsigned file_threads(int asked)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 2)
        return 1;
    if (asked)
        return 2;
    int running = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    int got = f && fscanf(f, "%*s %*s %*s %d/", &running) == 1;
    if (f)
        fclose(f);
    if (got)
        return running < cpus ? 2 : 1;
    double load[1];
    if (getloadavg(load, 1) == 1 && load[0] > (double)cpus - 1.5)
        return 1;
    return 2;
}

/* Held by a lint worker except while it reads and checks a file. */
static pthread_mutex_t lint_lock = PTHREAD_MUTEX_INITIALIZER;

/* sg_document_load, except that the name --stdin-name gave (the very
 * pointer, which run_lint puts in place of '-') reads standard input under
 * that name: findings name the file, and its extension picks the format. */
static sg_status load_named(const cli *c, const char *file, const sg_options *o,
                            sg_diagnostics *diags, sg_document **doc)
{
    if (!c->stdin_name || file != c->stdin_name)
        return sg_document_load(file, o, diags, doc);
    return sg_document_parse(file, c->stdin_buf, c->stdin_len, o, diags, doc);
}

/* Read standard input into C (for --stdin-name), at most the file-size
 * limit plus one byte: the parse reports a larger input. Returns 0 or an
 * exit status. */
static int read_stdin(cli *c)
{
    size_t len = 0, cap = 65536, max = (size_t)c->lib.limits.max_file_bytes + 1;
    char *buf = malloc(cap);
    while (buf && len < max) {
        if (len == cap) {
            size_t ncap = cap * 2 < max ? cap * 2 : max;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb, cap = ncap;
        }
        size_t r = fread(buf + len, 1, cap - len, stdin);
        len += r;
        if (r == 0)
            break;
    }
    if (!buf) {
        fprintf(stderr, "swaggate: %s\n", sg_status_string(SG_ENOMEM));
        return EXIT_INTERNAL;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "swaggate: %s: cannot read standard input: %s\n", c->stdin_name,
                strerror(errno));
        free(buf);
        return EXIT_UNUSABLE;
    }
    c->stdin_buf = buf;
    c->stdin_len = len;
    return 0;
}

/* Load and lint FILE with the configuration that applies to it, its
 * suppression comments, the configured severities and the baseline. An
 * excluded file gives SG_OK with *DIAGS NULL. */
static sg_status lint_file(cli *c, const char *file, sg_document **doc, sg_diagnostics **diags)
{
    *doc = NULL;
    if (!(*diags = sg_diagnostics_new()))
        return SG_ENOMEM;
    if (!c->cfgs && !(c->cfgs = calloc(1, sizeof *c->cfgs)))
        return SG_ENOMEM;
    const sg_config *cfg = NULL;
    sg_status st = config_for(c, file, &cfg, *diags);
    if (st == SG_OK && c->baseline_file && !c->cfgs->baseline_tried) {
        c->cfgs->baseline_tried = 1;
        st = sg_baseline_load(c->baseline_file, *diags, &c->cfgs->baseline);
    } else if (st == SG_OK && c->baseline_file && !c->cfgs->baseline) {
        fprintf(stderr, "swaggate: %s: not checked: the baseline %s is unusable\n", file,
                c->baseline_file);
        st = SG_EINPUT;
    }
    if (st == SG_OK && c->write_baseline_file && !c->cfgs->written &&
        !(c->cfgs->written = sg_baseline_new()))
        st = SG_ENOMEM;
    if (st != SG_OK)
        return st;
    if (cfg && sg_config_excluded(cfg, file, NULL)) {
        sg_diagnostics_free(*diags);
        *diags = NULL;
        return SG_OK;
    }
    sg_options o;
    if ((st = file_options(c, cfg, &o)) != SG_OK)
        return st;
    o.schemas = set_take(c->cfgs);
    /* Only reading and checking run unlocked: with -j, workers share the
     * configurations and baselines above and below (see lint_work). */
    pthread_mutex_unlock(&lint_lock);
    st = load_named(c, file, &o, *diags, doc);
    if (st == SG_OK)
        st = sg_lint(*doc, &o, *diags);
    pthread_mutex_lock(&lint_lock);
    set_give(c->cfgs, o.schemas);
    /* Another worker may have evicted CFG from the cache meanwhile. */
    if (cfg && st == SG_OK && (st = config_for(c, file, &cfg, *diags)) != SG_OK)
        return st;
    if (st == SG_OK)
        st = sg_diagnostics_suppress(*diags, *doc);
    if (st == SG_OK)
        st = sg_diagnostics_apply_config(*diags, cfg);
    if (st == SG_OK && c->cfgs->written)
        st = sg_baseline_add(c->cfgs->written, *diags);
    else if (st == SG_OK && c->cfgs->baseline)
        st = sg_baseline_filter(c->cfgs->baseline, *diags);
    return st;
}

/* After the last file: write the baseline asked for. The exit status. */
static int lint_finish(cli *c, int rc)
{
    if (c->write_baseline_file && rc < EXIT_UNUSABLE) {
        sg_baseline *b = c->cfgs ? c->cfgs->written : NULL;
        sg_baseline *empty = b ? NULL : sg_baseline_new();
        /* The library writes it atomically (temporary file, rename); with
         * SIGINT, SIGTERM and SIGHUP held back meanwhile, an interrupt
         * cannot leave the temporary file behind: it comes after. */
        sigset_t hold, old;
        sigemptyset(&hold);
        sigaddset(&hold, SIGINT);
        sigaddset(&hold, SIGTERM);
        sigaddset(&hold, SIGHUP);
        sigprocmask(SIG_BLOCK, &hold, &old);
        errno = 0;
        sg_status st = b || empty ? sg_baseline_write(b ? b : empty, c->write_baseline_file)
                                  : SG_ENOMEM;
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = e;
        sg_baseline_free(empty);
        if (st == SG_EINPUT) {
            fprintf(stderr, "swaggate: cannot write the baseline %s: %s\n", c->write_baseline_file,
                    errno ? strerror(errno) : "write error");
            rc = EXIT_UNUSABLE;
        } else if (st != SG_OK) {
            fprintf(stderr, "swaggate: %s\n", sg_status_string(st));
            rc = EXIT_INTERNAL;
        } else {
            rc = EXIT_CLEAN; /* the findings are now known ones */
        }
    }
    cfg_done(c);
    return rc;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One file of a lint run: linted on a worker, reported in list order. */
typedef struct lint_item {
    const char *name;      /* as reported; c->stdin_name for '-' with it */
    sg_diagnostics *diags; /* NULL: excluded by configuration, or not linted */
    sg_status st;
    int linted;
} lint_item;

typedef struct lint_run {
    cli *c;
    lint_item *items;
    size_t n;
    sg_reporter *rep;
    int rc;
    int write_failed; /* standard output failed: stop */
} lint_run;

/* See lint_work. Volatile: the pointer is never read, and a store the
 * compiler could drop would leave the model unreachable to leak checkers. */
static sg_document *volatile exit_model;

static void lint_work(void *ctx, size_t i)
{
    lint_run *lr = ctx;
    lint_item *it = &lr->items[i];
    sg_document *doc = NULL;
    pthread_mutex_lock(&lint_lock);
    it->st = lint_file(lr->c, it->name, &doc, &it->diags);
    pthread_mutex_unlock(&lint_lock);
    sg_diagnostics_sort(it->diags);
    /* Diagnostics hold their own strings. A run of one file leaves its
     * model to the process's exit: taking tens of thousands of json-c
     * objects apart one by one is 10 to 15 % of linting a large file. The
     * pointer stays reachable (for valgrind and LeakSanitizer alike). */
    if (lr->n == 1)
        exit_model = doc;
    else
        sg_document_free(doc);
    it->linted = 1;
}

static int lint_report(void *ctx, size_t i)
{
    lint_run *lr = ctx;
    lint_item *it = &lr->items[i];
    if (it->linted && !lr->write_failed) {
        sg_status st = it->st;
        sg_status ws = it->diags ? sg_reporter_file(lr->rep, it->name, it->diags) : SG_OK;
        if (st != SG_OK && st != SG_EINPUT)
            fprintf(stderr, "swaggate: %s: %s\n", it->name, sg_status_string(st));
        lr->rc = worse(lr->rc, status_exit(st));
        if (st == SG_OK && it->diags && sg_diagnostics_tally(it->diags, SG_SEVERITY_ERROR) > 0)
            lr->rc = worse(lr->rc, EXIT_FINDINGS);
        if (ws == SG_EINPUT)
            lr->write_failed = 1;
        else if (ws != SG_OK)
            lr->rc = worse(lr->rc, status_exit(ws));
    }
    sg_diagnostics_free(it->diags);
    it->diags = NULL;
    return lr->write_failed;
}

static int run_lint(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles == 0)
        return usage_error(cmd, "expected one or more files or folders ('-' for standard input)",
                           "missing FILE");

    if (c.stdin_name && (rc = read_stdin(&c)) != 0)
        return rc;
    /* Folders become the Swagger files under them; files stay as given
     * (with --swagger-only, only those that look like Swagger 2.0). */
    sgc_files files = {0};
    for (int i = 0; i < c.nfiles; i++) {
        int is_stdin = strcmp(c.files[i], "-") == 0;
        if (c.swagger_only && is_stdin && c.stdin_buf &&
            !sgc_sniff_buffer(c.stdin_buf, c.stdin_len))
            continue;
        if (c.swagger_only && !is_stdin && !is_dir(c.files[i]) && !sgc_sniff_swagger(c.files[i]))
            continue;
        if (sgc_files_add(&files, c.files[i]) != 0) {
            sgc_files_fini(&files);
            fprintf(stderr, "swaggate: %s\n", sg_status_string(SG_ENOMEM));
            return EXIT_INTERNAL;
        }
    }
    if (files.n == 0 && !c.swagger_only)
        fprintf(stderr, "swaggate: no Swagger 2.0 files (.json, .yaml, .yml with a top-level "
                        "swagger key) found\n");

    sg_report_options ro = report_options(&c, STDOUT_FILENO);
    sg_reporter *rep = sg_reporter_new(stdout, &ro);
    lint_item *items = calloc(files.n ? files.n : 1, sizeof *items);
    if (!rep || !items) {
        sg_reporter_free(rep);
        free(items);
        sgc_files_fini(&files);
        fprintf(stderr, "swaggate: %s\n", sg_status_string(SG_ENOMEM));
        return EXIT_INTERNAL;
    }
    for (size_t i = 0; i < files.n; i++)
        items[i].name = c.stdin_name && strcmp(files.paths[i], "-") == 0 ? c.stdin_name
                                                                         : files.paths[i];
    /* One file at a time (no -j, or a single file): its reading and checks
     * may use a second CPU (sg_options.threads). -j 1 keeps to one. */
    if (c.jobs == 0 || (c.jobs > 1 && files.n == 1))
        c.lib.threads = file_threads(c.jobs > 1);
    lint_run lr = {&c, items, files.n, rep, EXIT_CLEAN, 0};
    sgc_run(files.n, c.jobs, lint_work, lint_report, &lr, files.paths);
    free(items);
    sgc_files_fini(&files);
    free(c.stdin_buf);
    if (lr.write_failed) {
        sg_reporter_free(rep);
        cfg_done(&c);
        return worse(lr.rc, output_error("standard output"));
    }
    rc = lint_finish(&c, lr.rc);
    sg_status ws = sg_reporter_finish(rep);
    sg_reporter_free(rep);
    if (ws == SG_EINPUT)
        return worse(rc, output_error("standard output"));
    return worse(rc, status_exit(ws));
}

/* convert's writer for sgc_write_atomic. */
typedef struct convert_out {
    const sg_document *doc;
    int pretty;
    sg_status st;
} convert_out;

static int write_converted(FILE *out, void *ctx)
{
    convert_out *co = ctx;
    co->st = sg_document_write_json(co->doc, out, co->pretty);
    return co->st == SG_OK ? 0 : -1;
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
    if (c.output) {
        /* Never over the input: a convert that fails half way would lose it,
         * and one that works would replace the author's file. */
        if (sgc_same_file(c.files[0], c.output)) {
            sg_document_free(doc);
            return usage_error(cmd, "expected an output file other than the input",
                               "-o %s names the input file", c.output);
        }
        convert_out co = {doc, !c.compact, SG_OK};
        errno = 0;
        int w = sgc_write_atomic(c.output, 0666, write_converted, &co);
        sg_document_free(doc);
        if (w != 0 && (co.st == SG_OK || co.st == SG_EINPUT))
            return output_error(c.output);
        st = co.st;
    } else {
        st = sg_document_write_json(doc, stdout, !c.compact);
        sg_document_free(doc);
    }
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
          "cannot express), apig (Huawei Cloud API Gateway extensions), config\n"
          "(configuration files, suppression comments and baselines), import (the\n"
          "async-import form that request and plan build) or normalize (the canonical\n"
          "body that normalize writes).\n"
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

/* ---- config: the settings that apply, and swaggate-config(5) ------------ */

static void config_man(void)
{
    const char *key, *type, *def, *doc;
    printf(".TH SWAGGATE-CONFIG 5 \"\" \"swaggate %s\" \"swaggate manual\"\n", sg_version());
    fputs(".SH NAME\n"
          "swaggate-config \\- the .swaggate.yaml configuration file of swaggate\n"
          ".SH DESCRIPTION\n"
          ".B swaggate lint\n"
          "reads the configuration from the file named\n"
          ".B .swaggate.yaml\n"
          "nearest to each file it checks: in the file's folder, else in the parent\n"
          "folders up to the top of the git work tree (the folder holding\n"
          ".BR .git )\n"
          "or the filesystem root.\n"
          ".B \\-\\-config\n"
          ".I file\n"
          "uses one file for every input instead;\n"
          ".B \\-\\-no\\-config\n"
          "uses none.\n"
          "Flags given on the command line win over the configuration, which wins\n"
          "over the defaults;\n"
          ".B swaggate config \\-\\-print\n"
          ".I file\n"
          "shows each setting that applies to\n"
          ".I file\n"
          "and where it comes from.\n"
          ".PP\n"
          "The file is YAML (JSON is accepted too), a mapping of the keys below.\n"
          "A mistake in it (an unknown key, with the nearest known one; a value of\n"
          "the wrong type; an unknown rule id; a bad severity or limit) is reported\n"
          "as a finding of rule\n"
          ".B config\n"
          "at its line and column, and nothing is checked: the exit status is 2.\n"
          "A file with only comments sets nothing.\n"
          ".PP\n"
          "This page is generated from the table the loader uses by\n"
          ".BR \"swaggate config \\-\\-format man\" .\n"
          ".SH KEYS\n",
          stdout);
    for (size_t i = 0; sg_config_describe(i, &key, &type, &def, &doc); i++) {
        printf(".TP\n.B ");
        roff_text(key);
        fputs("\n", stdout);
        roff_text(type);
        fputs("; default: ", stdout);
        roff_text(def);
        fputs(".\n.IP\n", stdout);
        roff_text(doc);
        fputs("\n", stdout);
    }
    fputs(".SH SUPPRESSIONS\n"
          "A finding can be suppressed where it is, in a YAML file, by a comment\n"
          "at the end of its line or alone on the line above it:\n"
          ".PP\n"
          ".RS\n"
          ".EX\n"
          "# swaggate\\-ignore unused\\-definition kept for v1 clients\n"
          "Legacy: {type: object}\n"
          ".EE\n"
          ".RE\n"
          ".PP\n"
          "The rule ids may be a comma\\-separated list; the rest of the comment is\n"
          "the reason.\n"
          "Only real comments count: a\n"
          ".B #\n"
          "at the start of a line or after a space, outside quotes.\n"
          "A blanket\n"
          ".B *\n"
          "is refused, and so is an unknown rule id (rule\n"
          ".BR suppression\\-invalid ).\n"
          "A suppression that suppresses nothing is a warning of rule\n"
          ".BR unused\\-suppression ,\n"
          "so that stale ones are noticed.\n"
          "JSON has no comments, so a JSON file has no suppressions: use the\n"
          ".B rules\n"
          "key or a baseline\n"
          ".RB ( \\-\\-baseline ,\n"
          ".BR \\-\\-write\\-baseline ;\n"
          "see\n"
          ".BR swaggate (1)).\n"
          ".SH EXAMPLE\n"
          ".EX\n"
          "profile: apig\n"
          "rules:\n"
          "  unused\\-definition: off\n"
          "  example\\-invalid: error\n"
          "exclude:\n"
          "  \\- vendor\n"
          "  \\- \"generated/*.yaml\"\n"
          "limits:\n"
          "  depth: 64\n"
          "strict: false\n"
          ".EE\n"
          ".SH SEE ALSO\n.BR swaggate (1),\n.BR swaggate\\-rules (7)\n",
          stdout);
}

/* "default", "PATH:LINE" or "command line". */
static void print_setting(const char *name, const char *value, const sg_config *cfg,
                          const char *setting, int flag)
{
    unsigned line = cfg ? sg_config_line(cfg, setting) : 0;
    printf("%-32s %-10s ", name, value);
    if (flag)
        puts("(command line)");
    else if (line)
        printf("(%s:%u)\n", sg_config_path(cfg), line);
    else
        puts("(default)");
}

static int run_config(const command *cmd, int argc, char **argv)
{
    int print = 0, man = 0;
    /* --print and --format man are this command's own; the rest (--config,
     * --no-config, --profile, --limit) are lint's, to see their effect. */
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--print") == 0) {
            print = 1;
        } else if (is_opt(argv[i], "--format", &v)) {
            if (!v && i + 1 < argc)
                v = argv[i + 1];
            if (!v || strcmp(v, "man") != 0)
                return usage_error(cmd, "expected man", "unknown format '%s'", v ? v : "");
            man = 1;
            if (!strchr(argv[i], '='))
                memmove(argv + i + 1, argv + i + 2, (size_t)(argc - i - 2) * sizeof *argv), argc--;
        } else {
            continue;
        }
        memmove(argv + i, argv + i + 1, (size_t)(argc - i - 1) * sizeof *argv);
        argc--;
        i--;
    }
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (man + print != 1)
        return usage_error(cmd, "expected --print [FILE] or --format man",
                           man ? "--print and --format man exclude each other" : "nothing to do");
    if (man) {
        config_man();
        return EXIT_CLEAN;
    }
    if (c.nfiles > 1)
        return usage_error(cmd, "expected at most one FILE", "too many files");
    const char *file = c.nfiles ? c.files[0] : ".";
    sg_diagnostics *diags = sg_diagnostics_new();
    const sg_config *cfg = NULL;
    sg_status st = diags ? config_for(&c, file, &cfg, diags) : SG_ENOMEM;
    sg_options o;
    if (st == SG_OK)
        st = file_options(&c, cfg, &o);
    if (st != SG_OK) {
        if (diags && sg_diagnostics_count(diags) > 0) {
            sg_report_options ro = report_options(&c, STDOUT_FILENO);
            sg_reporter *rep = sg_reporter_new(stdout, &ro);
            if (rep && sg_reporter_file(rep, file, diags) == SG_OK)
                sg_reporter_finish(rep);
            sg_reporter_free(rep);
        }
        sg_diagnostics_free(diags);
        cfg_done(&c);
        if (st != SG_EINPUT)
            fprintf(stderr, "swaggate: %s\n", sg_status_string(st));
        return status_exit(st);
    }
    sg_diagnostics_free(diags);
    printf("%-32s %s\n", "file", file);
    printf("%-32s %s\n", "config",
           cfg ? sg_config_path(cfg) : c.no_config ? "none (--no-config)" : "none found");
    unsigned line = 0;
    if (cfg && sg_config_excluded(cfg, file, &line))
        printf("%-32s yes (%s:%u)\n", "excluded", sg_config_path(cfg), line);
    else
        printf("%-32s no\n", "excluded");
    print_setting("profile", o.profile == SG_PROFILE_APIG ? "apig" : "swagger", cfg, "profile",
                  c.profile_given);
    print_setting("strict", o.strict ? "true" : "false", cfg, "strict", c.lib.strict);
    const uint64_t values[] = {
#define SG_LIMIT_VALUE_(field, name, def, cap, doc) o.limits.field,
        SG_LIMITS_TABLE(SG_LIMIT_VALUE_)
#undef SG_LIMIT_VALUE_
    };
    const char *name;
    for (size_t i = 0; sg_limits_describe(i, &name, NULL, NULL, NULL) &&
                       i < sizeof values / sizeof values[0]; i++) {
        char set[80], val[32];
        int flag = 0;
        for (int k = 0; k < c.nlimit_flags; k++)
            flag |= strcmp(c.limit_names[k], name) == 0;
        snprintf(set, sizeof set, "limits.%s", name);
        snprintf(val, sizeof val, "%llu", (unsigned long long)values[i]);
        print_setting(set, val, cfg, set, flag);
    }
    const sg_rule *r;
    for (size_t i = 0; (r = sg_rule_at(i)) != NULL; i++) {
        char set[160];
        int s = sg_config_rule(cfg, r->id);
        snprintf(set, sizeof set, "rules.%s", r->id);
        print_setting(set, s == SG_CONFIG_OFF ? "off"
                      : s == SG_CONFIG_UNSET ? sg_severity_name(r->severity)
                                             : sg_severity_name((sg_severity)s),
                      cfg, set, 0);
    }
    const char *g;
    for (size_t i = 0; (g = sg_config_exclude_at(cfg, i, &line)) != NULL; i++)
        printf("%-32s %-10s (%s:%u)\n", "exclude", g, sg_config_path(cfg), line);
    cfg_done(&c);
    return EXIT_CLEAN;
}

static int print_version(void)
{
    char versions[512];
    sg_versions(versions, sizeof versions);
    printf("swaggate %s\n%s", SG_VERSION_STRING, versions);
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

/* argv[0], for the hook to find this swaggate again */
static const char *program_path = "swaggate";

static int run_serve(const command *cmd, int argc, char **argv)
{
    (void)cmd;
    return sgc_serve(argc, argv);
}

static int run_plan(const command *cmd, int argc, char **argv)
{
    (void)cmd;
    return sgc_plan(argc, argv);
}

static int run_request(const command *cmd, int argc, char **argv)
{
    (void)cmd;
    return sgc_request(argc, argv);
}

static int run_hook(const command *cmd, int argc, char **argv)
{
    (void)cmd;
    return sgc_hook(argc, argv, program_path);
}

/* swaggate normalize: lint as `lint` does, then cli_normalize.c. */
static int run_normalize(const command *cmd, int argc, char **argv)
{
    cli c;
    int rc = parse(cmd, argc, argv, &c);
    if (rc >= 0)
        return rc;
    if (c.nfiles != 1)
        return usage_error(cmd, "expected exactly one FILE ('-' for standard input)", "%s",
                           c.nfiles ? "too many files" : "missing FILE");
    if (c.output && sgc_same_file(c.files[0], c.output))
        return usage_error(cmd, "expected another OUT: normalize never writes over its input",
                           "'%s' is FILE itself", c.output);
    sg_document *doc = NULL;
    sg_diagnostics *diags = NULL;
    const sg_config *cfg = NULL;
    c.lib.threads = file_threads(0);
    sg_options o = c.lib;
    pthread_mutex_lock(&lint_lock); /* lint_file's convention */
    sg_status st = lint_file(&c, c.files[0], &doc, &diags);
    if (st == SG_OK && (st = config_for(&c, c.files[0], &cfg, diags)) == SG_OK)
        st = file_options(&c, cfg, &o);
    pthread_mutex_unlock(&lint_lock);
    if (st == SG_OK && !doc) { /* excluded by the configuration: not linted */
        sg_diagnostics_free(diags);
        diags = sg_diagnostics_new();
        st = diags ? sg_document_load(c.files[0], &o, diags, &doc) : SG_ENOMEM;
    }
    sg_report_options ro = report_options(&c, STDERR_FILENO);
    rc = sgc_normalize(c.files[0], st, doc, &o, diags, &ro, c.output, c.canonical, c.force);
    sg_document_free(doc);
    sg_diagnostics_free(diags);
    cfg_done(&c);
    return rc;
}

static const command commands[] = {
    {"lint", OPT_LINT | OPT_INPUT | OPT_REPORT | OPT_REFS | OPT_CONFIG | OPT_BASELINE | OPT_FILES,
     lint_usage, run_lint},
    {"convert", OPT_INPUT | OPT_REPORT | OPT_CONVERT | OPT_REFS, convert_usage, run_convert},
    {"normalize", OPT_INPUT | OPT_REPORT | OPT_REFS | OPT_CONFIG | OPT_NORMALIZE, sgc_normalize_usage,
     run_normalize},
    {"schema", OPT_INPUT | OPT_REPORT | OPT_SCHEMA, schema_usage, run_schema},
    {"rules", 0, rules_usage, run_rules},
    {"version", 0, version_usage, run_version},
    {"hook", 0, sgc_hook_usage, run_hook},
    {"plan", 0, sgc_plan_usage, run_plan},
    {"request", 0, sgc_request_usage, run_request},
    {"serve", 0, sgc_serve_usage, run_serve},
    {"config", OPT_LINT | OPT_INPUT | OPT_CONFIG, config_usage, run_config},
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
                return usage_error(NULL, "expected lint, convert, schema, rules, config or version",
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
        return usage_error(NULL, "expected a command first (lint, convert, schema, rules, config, version)",
                           "unknown option '%s'", a);
    if (!(cmd = find_command(a)))
        return usage_error(NULL, "expected lint, convert, schema, rules, config or version", "unknown command '%s'", a);
    return cmd->run(cmd, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    /* A closed pipe must surface as a write error (exit 2), not kill us. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 0 && argv[0])
        program_path = argv[0];
    int rc = run(argc, argv);
    /* A command that writes through the library (lint, convert) reports
     * its own write error, and so leaves the stream's error flag set, with
     * rc at least 2; anything else (help, version) is reported here. */
    int reported = ferror(stdout) && rc >= EXIT_UNUSABLE;
    /* A write that failed earlier left its reason in errno (stdio keeps
     * only the flag); the final flush may have nothing left to fail with. */
    int earlier = ferror(stdout) ? errno : 0;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (!errno)
            errno = earlier;
        if (!reported)
            output_error("standard output");
        rc = worse(rc, EXIT_UNUSABLE);
    }
    return rc;
}
