/* swaggate plan and swaggate request: the command side of the importer
 * (sg_plan_*) and of the async-import request (sg_normalize,
 * sg_request_build). Both lint FILE first and refuse it when a finding is
 * an error, unless --force, as normalize does. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "swaggate.h"

#include "cli_files.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_UNUSABLE = 2, EXIT_INTERNAL = 3 };

/* --existing-group-name options one command line may give */
enum { MAX_GROUP_NAMES = 256, MAX_LIMITS = 64 };

const char sgc_plan_usage[] =
    "Usage: swaggate plan [OPTIONS] FILE\n"
    "Predict what Huawei Cloud APIG's import does with FILE: which APIs it\n"
    "creates, updates, keeps, fails or ignores, which ratelimit and access\n"
    "control policies it creates, keeps or replaces, and the group as it will\n"
    "stand. FILE is linted first and refused when a finding is an error.\n"
    "\n"
    "  --existing EXPORT        the group's current export (Swagger 2.0 with\n"
    "                           x-apigateway-* extensions): import into it;\n"
    "                           without it a new group is created from info.title\n"
    "  --api-mode merge|override     an API that exists: kept, the file's fails\n"
    "                           (merge, default), or updated (override)\n"
    "  --extend-mode merge|override  a policy that exists: kept (merge, default)\n"
    "                           or replaced (override)\n"
    "  --conflict-key name|route|both  what makes two APIs the same API: equal\n"
    "                           operationId, equal method + path + match mode, or\n"
    "                           either (default both; APIG's sources disagree)\n"
    "  --merge-conflicts failure|ignore  with api_mode merge, report a conflicting\n"
    "                           API under failure (default, APIG.3301/APIG.3202)\n"
    "                           or under ignore\n"
    "  --mock-mode              the APIs created or updated get a MOCK backend\n"
    "  --simple-mode            passed through; not simulated (undocumented)\n"
    "  --group-id ID            the group's id, written into the result\n"
    "  --existing-group-name NAME  a group name the instance already has\n"
    "                           (repeatable): a new group with it fails (APIG.3201)\n"
    "  --format text|json       a table (default) or the task result as JSON,\n"
    "                           with \"group\": the group as it will stand\n"
    "  --write-group OUT        write the group as it will stand (Swagger 2.0\n"
    "                           JSON) to OUT\n"
    "  --limit NAME=VALUE       change a limit (apig-apis: APIs per import,\n"
    "                           apig-group-apis: APIs per group; repeatable)\n"
    "  --force                  plan even when FILE has errors\n"
    "  -h, --help               print this text\n"
    "\n"
    "Exit status: 0 nothing fails, 1 an API or the whole task fails (or FILE\n"
    "has errors), 2 unusable input or usage, 3 internal error.\n";

const char sgc_request_usage[] =
    "Usage: swaggate request [OPTIONS] FILE\n"
    "Build the multipart/form-data body (RFC 7578) of APIG's\n"
    "POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-import:\n"
    "every form field written, and the file part holding the canonical JSON of\n"
    "FILE (normalize --canonical). FILE is linted first and refused when a\n"
    "finding is an error. The body goes to standard output or -o BODY; the\n"
    "Content-Type header line (with the boundary) to standard error.\n"
    "\n"
    "  -o BODY, --output BODY   write the body to BODY (atomically; never FILE)\n"
    "  --group-id ID            import into the group ID (is_create_group=false)\n"
    "  --create-group, --no-create-group  is_create_group (default: true, false\n"
    "                           with --group-id)\n"
    "  --api-mode merge|override, --extend-mode merge|override  (default merge)\n"
    "  --simple-mode, --mock-mode  set simple_mode, mock_mode (default false)\n"
    "  --max-size N             the file part's size limit in bytes (default\n"
    "                           12582912, 12 MiB; past it: APIG.3603)\n"
    "  --file-name NAME         the file part's filename (default swagger.json)\n"
    "  --curl CONFIG            also write a curl config that sends BODY (needs\n"
    "                           -o): curl -K CONFIG -H \"X-Auth-Token: $TOKEN\"\n"
    "  --url URL                the endpoint written into CONFIG (default a\n"
    "                           placeholder to fill in)\n"
    "  --limit NAME=VALUE       change a limit on reading FILE (repeatable)\n"
    "  --force                  build even when FILE has errors\n"
    "  -h, --help               print this text\n"
    "\n"
    "swaggate never holds a token: add -H \"X-Auth-Token: ...\" to curl yourself.\n"
    "Exit status: 0 built, 1 FILE has errors or its file part is empty or too\n"
    "large, 2 unusable input or usage (a bad form), 3 internal error.\n";

static int fail(const char *usage_cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const char *usage_cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("swaggate: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (usage_cmd)
        fprintf(stderr, "Try 'swaggate %s --help'.\n", usage_cmd);
    return EXIT_UNUSABLE;
}

static int status_exit(sg_status st)
{
    return st == SG_OK ? EXIT_CLEAN : st == SG_EINPUT ? EXIT_UNUSABLE : EXIT_INTERNAL;
}

/* Report DIAGS on standard error as lint's text format does. */
static int report(const char *file, sg_diagnostics *diags)
{
    if (sg_diagnostics_count(diags) == 0)
        return 0;
    sg_report_options ro;
    memset(&ro, 0, sizeof ro);
    ro.format = SG_REPORT_TEXT;
    ro.show_source = isatty(STDERR_FILENO);
    sg_reporter *rep = sg_reporter_new(stderr, &ro);
    if (!rep)
        return -1;
    sg_diagnostics_sort(diags);
    sg_status st = sg_reporter_file(rep, file, diags);
    if (st == SG_OK)
        st = sg_reporter_finish(rep);
    sg_reporter_free(rep);
    return st == SG_OK ? 0 : -1;
}

static int mode_arg(const char *cmd, const char *opt, const char *v, sg_import_mode *out)
{
    if (v && strcmp(v, "merge") == 0)
        *out = SG_IMPORT_MERGE;
    else if (v && strcmp(v, "override") == 0)
        *out = SG_IMPORT_OVERRIDE;
    else
        return fail(cmd, "%s '%s': expected merge or override", opt, v ? v : "");
    return 0;
}

/* The value of option ARGV[*I] (--opt VALUE or --opt=VALUE), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int limit_arg(const char *cmd, sg_options *opts, const char *v)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    char name[64];
    if (!eq || (size_t)(eq - v) >= sizeof name)
        return fail(cmd, "--limit '%s': expected NAME=VALUE", v ? v : "");
    memcpy(name, v, (size_t)(eq - v));
    name[eq - v] = '\0';
    char *end;
    errno = 0;
    unsigned long long n = strtoull(eq + 1, &end, 10);
    if (errno || end == eq + 1 || *end || eq[1] == '-' ||
        sg_limits_set(&opts->limits, name, (uint64_t)n) != SG_OK)
        return fail(cmd, "--limit '%s': unknown limit or value out of range", v);
    return 0;
}

/* Load and lint FILE; refuse it (exit 1) when a finding is an error, unless
 * FORCE. *DOC gets the document. Returns -1 to go on, else an exit status. */
static int load_linted(const char *file, const sg_options *opts, int force, sg_document **doc)
{
    sg_diagnostics *diags = sg_diagnostics_new();
    if (!diags)
        return EXIT_INTERNAL;
    sg_status st = sg_document_load(file, opts, diags, doc);
    if (st == SG_OK)
        st = sg_lint(*doc, opts, diags);
    size_t errors = sg_diagnostics_tally(diags, SG_SEVERITY_ERROR);
    if (errors || st != SG_OK)
        report(file, diags);
    sg_diagnostics_free(diags);
    if (st != SG_OK) {
        sg_document_free(*doc);
        *doc = NULL;
        return status_exit(st);
    }
    if (errors && !force) {
        fprintf(stderr, "swaggate: %s has %zu error%s: refused (--force goes on anyway)\n", file,
                errors, errors == 1 ? "" : "s");
        sg_document_free(*doc);
        *doc = NULL;
        return EXIT_FINDINGS;
    }
    return -1;
}

typedef struct bytes_out {
    const void *data;
    size_t len;
} bytes_out;

static int put_bytes(FILE *out, void *ctx)
{
    const bytes_out *b = ctx;
    return b->len && fwrite(b->data, 1, b->len, out) != b->len ? -1 : 0;
}

/* Write LEN bytes to PATH atomically (sgc_write_atomic: a temporary file in
 * the same folder, then rename), never over INPUT. Returns 0, or an exit
 * status. */
static int write_atomic(const char *path, const void *data, size_t len, const char *input)
{
    if (sgc_same_file(path, input))
        return fail(NULL, "%s is the input file: refusing to write over it", path);
    bytes_out b = {data, len};
    if (sgc_write_atomic(path, 0666, put_bytes, &b) != 0)
        return fail(NULL, "%s: cannot write: %s", path, strerror(errno));
    return 0;
}

/* ---- plan ---------------------------------------------------------------- */

int sgc_plan(int argc, char **argv)
{
    static const char cmd[] = "plan";
    sg_options opts;
    sg_options_init(&opts);
    sg_import_options imp;
    sg_import_options_init(&imp);
    const char *file = NULL, *existing_path = NULL, *write_group = NULL, *v;
    const char *names[MAX_GROUP_NAMES + 1];
    size_t nnames = 0;
    int json = 0, force = 0, rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sgc_plan_usage, stdout);
            return EXIT_CLEAN;
        } else if ((v = opt_value(argc, argv, &i, "--existing-group-name"))) {
            if (nnames == MAX_GROUP_NAMES)
                return fail(cmd, "more than %d --existing-group-name options", MAX_GROUP_NAMES);
            names[nnames++] = v;
        } else if ((v = opt_value(argc, argv, &i, "--existing"))) {
            existing_path = v;
        } else if (is_opt(a, "--api-mode")) {
            if ((rc = mode_arg(cmd, "--api-mode", opt_value(argc, argv, &i, "--api-mode"),
                               &imp.api_mode)))
                return rc;
        } else if (is_opt(a, "--extend-mode")) {
            if ((rc = mode_arg(cmd, "--extend-mode", opt_value(argc, argv, &i, "--extend-mode"),
                               &imp.extend_mode)))
                return rc;
        } else if ((v = opt_value(argc, argv, &i, "--conflict-key"))) {
            if (strcmp(v, "both") == 0)
                imp.conflict_key = SG_CONFLICT_BOTH;
            else if (strcmp(v, "name") == 0)
                imp.conflict_key = SG_CONFLICT_NAME;
            else if (strcmp(v, "route") == 0)
                imp.conflict_key = SG_CONFLICT_ROUTE;
            else
                return fail(cmd, "--conflict-key '%s': expected name, route or both", v);
        } else if ((v = opt_value(argc, argv, &i, "--merge-conflicts"))) {
            if (strcmp(v, "failure") == 0)
                imp.merge_conflict_ignored = 0;
            else if (strcmp(v, "ignore") == 0)
                imp.merge_conflict_ignored = 1;
            else
                return fail(cmd, "--merge-conflicts '%s': expected failure or ignore", v);
        } else if (strcmp(a, "--mock-mode") == 0) {
            imp.mock_mode = 1;
        } else if (strcmp(a, "--simple-mode") == 0) {
            imp.simple_mode = 1;
        } else if ((v = opt_value(argc, argv, &i, "--group-id"))) {
            imp.group_id = v;
        } else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "text") == 0)
                json = 0;
            else if (strcmp(v, "json") == 0)
                json = 1;
            else
                return fail(cmd, "--format '%s': expected text or json", v);
        } else if ((v = opt_value(argc, argv, &i, "--write-group"))) {
            write_group = v;
        } else if ((v = opt_value(argc, argv, &i, "--limit"))) {
            if ((rc = limit_arg(cmd, &opts, v)))
                return rc;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fail(cmd, "unknown option '%s'", a);
        } else if (file) {
            return fail(cmd, "unexpected argument '%s': plan takes one FILE", a);
        } else {
            file = a;
        }
    }
    names[nnames] = NULL;
    if (!file)
        return fail(cmd, "expected a FILE to plan");
    if (imp.group_id && !existing_path)
        return fail(cmd, "--group-id names the group imported into: give its export with "
                         "--existing EXPORT (without it a new group is created)");

    sg_document *doc = NULL, *existing = NULL;
    if ((rc = load_linted(file, &opts, force, &doc)) >= 0)
        return rc;
    sg_diagnostics *diags = sg_diagnostics_new();
    if (!diags) {
        sg_document_free(doc);
        return EXIT_INTERNAL;
    }
    sg_status st = SG_OK;
    if (existing_path) {
        st = sg_document_load(existing_path, &opts, diags, &existing);
        if (st != SG_OK) {
            report(existing_path, diags);
            sg_diagnostics_free(diags);
            sg_document_free(doc);
            return status_exit(st);
        }
    }
    sg_plan *plan = NULL;
    st = sg_plan_new(doc, existing, names, &imp, &opts, diags, &plan);
    if (st != SG_OK) {
        report("plan", diags);
        rc = st == SG_EUSAGE ? EXIT_UNUSABLE : status_exit(st);
    } else {
        st = sg_plan_write(plan, stdout, json ? SG_REPORT_JSON : SG_REPORT_TEXT);
        rc = st == SG_OK ? EXIT_CLEAN : EXIT_UNUSABLE;
        if (st == SG_OK && write_group && sg_plan_group(plan)) {
            const char *text = json_object_to_json_string_ext(
                sg_plan_group(plan),
                JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
            rc = text ? write_atomic(write_group, text, strlen(text), file) : EXIT_INTERNAL;
        } else if (st == SG_OK && write_group) {
            fprintf(stderr, "swaggate: the whole task fails: no group to write to %s\n",
                    write_group);
        }
        if (rc == EXIT_CLEAN) {
            struct json_object *res = sg_plan_result(plan), *failure = NULL;
            if (sg_plan_error_code(plan) || (json_object_object_get_ex(res, "failure", &failure) &&
                                             json_object_array_length(failure) > 0))
                rc = EXIT_FINDINGS;
        }
    }
    sg_plan_free(plan);
    sg_diagnostics_free(diags);
    sg_document_free(existing);
    sg_document_free(doc);
    return rc;
}

/* ---- request --------------------------------------------------------------- */

/* S as a curl config string: double quotes, with \ and " escaped. */
static void curl_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\r')
            fputs("\\r", f);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static int write_curl(const char *config, const char *url, const char *content_type,
                      const char *body_path, const char *input)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return EXIT_INTERNAL;
    fputs("# curl config written by 'swaggate request': send the async-import call with\n"
          "#   curl -K THIS_FILE -H \"X-Auth-Token: $TOKEN\"\n"
          "# (swaggate never holds a token). Fill in the URL if it is a placeholder.\n",
          f);
    fputs("url = ", f);
    curl_quoted(f, url);
    fputs("\nrequest = \"POST\"\nheader = ", f);
    char header[SG_CONTENT_TYPE_MAX + 32];
    snprintf(header, sizeof header, "Content-Type: %s", content_type);
    curl_quoted(f, header);
    fputs("\ndata-binary = ", f);
    char *abs = realpath(body_path, NULL); /* curl may run elsewhere */
    if (abs)
        body_path = abs;
    size_t n = strlen(body_path);
    char *at = malloc(n + 2);
    if (!at) {
        free(abs);
        fclose(f);
        free(text);
        return EXIT_INTERNAL;
    }
    at[0] = '@';
    memcpy(at + 1, body_path, n + 1);
    free(abs);
    curl_quoted(f, at);
    free(at);
    fputc('\n', f);
    if (fclose(f) != 0) {
        free(text);
        return EXIT_INTERNAL;
    }
    int rc = write_atomic(config, text, len, input);
    free(text);
    return rc;
}

int sgc_request(int argc, char **argv)
{
    static const char cmd[] = "request";
    sg_options opts;
    sg_options_init(&opts);
    sg_import_options imp;
    sg_import_options_init(&imp);
    const char *file = NULL, *out = NULL, *curl = NULL, *v;
    const char *url = "https://APIG_ENDPOINT/v2/PROJECT_ID/apigw/instances/INSTANCE_ID/openapi/"
                      "async-import";
    int force = 0, rc, create = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sgc_request_usage, stdout);
            return EXIT_CLEAN;
        } else if ((v = opt_value(argc, argv, &i, "--output")) ||
                   (v = opt_value(argc, argv, &i, "-o"))) {
            out = v;
        } else if ((v = opt_value(argc, argv, &i, "--group-id"))) {
            imp.group_id = v;
        } else if (strcmp(a, "--create-group") == 0) {
            create = 1;
        } else if (strcmp(a, "--no-create-group") == 0) {
            create = 0;
        } else if (is_opt(a, "--api-mode")) {
            if ((rc = mode_arg(cmd, "--api-mode", opt_value(argc, argv, &i, "--api-mode"),
                               &imp.api_mode)))
                return rc;
        } else if (is_opt(a, "--extend-mode")) {
            if ((rc = mode_arg(cmd, "--extend-mode", opt_value(argc, argv, &i, "--extend-mode"),
                               &imp.extend_mode)))
                return rc;
        } else if (strcmp(a, "--mock-mode") == 0) {
            imp.mock_mode = 1;
        } else if (strcmp(a, "--simple-mode") == 0) {
            imp.simple_mode = 1;
        } else if ((v = opt_value(argc, argv, &i, "--max-size"))) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-' || n == 0)
                return fail(cmd, "--max-size '%s': expected a number of bytes above 0", v);
            imp.max_size = n;
        } else if ((v = opt_value(argc, argv, &i, "--file-name"))) {
            imp.file_name = v;
        } else if ((v = opt_value(argc, argv, &i, "--curl"))) {
            curl = v;
        } else if ((v = opt_value(argc, argv, &i, "--url"))) {
            url = v;
        } else if ((v = opt_value(argc, argv, &i, "--limit"))) {
            if ((rc = limit_arg(cmd, &opts, v)))
                return rc;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fail(cmd, "unknown option '%s'", a);
        } else if (file) {
            return fail(cmd, "unexpected argument '%s': request takes one FILE", a);
        } else {
            file = a;
        }
    }
    if (!file)
        return fail(cmd, "expected a FILE to send");
    if (out && strcmp(out, "-") == 0)
        out = NULL;
    if (curl && !out)
        return fail(cmd, "--curl needs -o BODY (a file, not '-'): the config sends the body "
                         "from that file");
    imp.create_group = create >= 0 ? create : imp.group_id == NULL;

    /* the form first: nothing is read or built for a bad one */
    sg_diagnostics *diags = sg_diagnostics_new();
    if (!diags)
        return EXIT_INTERNAL;
    sg_status st = sg_import_options_check(&imp, diags);
    if (st != SG_OK) {
        report("async-import form", diags);
        sg_diagnostics_free(diags);
        return st == SG_EUSAGE ? EXIT_UNUSABLE : EXIT_INTERNAL;
    }
    sg_document *doc = NULL;
    if ((rc = load_linted(file, &opts, force, &doc)) >= 0) {
        sg_diagnostics_free(diags);
        return rc;
    }
    sg_bytes *canon = NULL, *body = NULL;
    char content_type[SG_CONTENT_TYPE_MAX];
    st = sg_normalize(doc, &opts, SG_NORMALIZE_CANONICAL, diags, &canon);
    if (st == SG_OK)
        st = sg_request_build(&imp, sg_bytes_data(canon), sg_bytes_len(canon), diags, &body,
                              content_type, sizeof content_type);
    if (st != SG_OK) {
        report(file, diags);
        rc = st == SG_EUSAGE ? EXIT_FINDINGS : st == SG_EINPUT ? EXIT_FINDINGS : EXIT_INTERNAL;
    } else if (out) {
        rc = write_atomic(out, sg_bytes_data(body), sg_bytes_len(body), file);
        if (rc == 0 && curl)
            rc = write_curl(curl, url, content_type, out, file);
    } else {
        size_t n = sg_bytes_len(body);
        rc = fwrite(sg_bytes_data(body), 1, n, stdout) == n && fflush(stdout) == 0
                 ? EXIT_CLEAN
                 : fail(NULL, "standard output: %s", strerror(errno));
    }
    if (st == SG_OK && rc == EXIT_CLEAN)
        fprintf(stderr, "Content-Type: %s\n", content_type);
    sg_bytes_free(body);
    sg_bytes_free(canon);
    sg_document_free(doc);
    sg_diagnostics_free(diags);
    return rc;
}
