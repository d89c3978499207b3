/* swaggate: make Swagger 2.0 files safe to import into Huawei Cloud APIG.
 *
 * Conventions of this header:
 * - Every public name starts with sg_ (types, functions) or SG_ (macros).
 * - Handles are opaque. Functions named *_new or *_load return an object the
 *   caller owns and frees with the matching *_free; every *_free accepts NULL.
 * - Strings and structs returned by a getter are borrowed: valid as long as
 *   the object they came from, never freed by the caller.
 * - The library keeps no global mutable state: separate objects may be used
 *   from separate threads at once. One object is not safe to share between
 *   threads while any of them changes it.
 * - Allocation failure is reported as SG_ENOMEM, never abort()ed.
 * - Positions are 1-based; columns count Unicode code points; offsets count
 *   bytes from the start of the file (a leading BOM included).
 */
#ifndef SWAGGATE_H
#define SWAGGATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "swaggate/limits.h"
#include "swaggate/version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct json_object;
typedef struct sg_schema_set sg_schema_set;

/* ---- status ---------------------------------------------------------- */

typedef enum sg_status {
    SG_OK = 0,
    SG_EINPUT,    /* the input is unusable (I/O, encoding, syntax, limits):
                     the diagnostics say why and where */
    SG_EUSAGE,    /* a bad argument from the caller */
    SG_ENOMEM,    /* an allocation failed; nothing was leaked */
    SG_EINTERNAL  /* a bug in swaggate */
} sg_status;

/* A static English text for a status. Never NULL. */
const char *sg_status_string(sg_status status);

/* The library's version string, e.g. "0.1.0" (same as SG_VERSION_STRING of the
 * header it was built with). */
const char *sg_version(void);

/* Write into BUF (CAP bytes, always NUL-terminated when CAP > 0, cut if too
 * small) the versions in use, one "name version" a line: libswaggate, and
 * the libyaml, json-c and PCRE2 libraries it runs on (as they report them
 * at run time, not as built). */
void sg_versions(char *buf, size_t cap);

/* ---- limits (swaggate/limits.h) -------------------------------------- */

/* Fill LIMITS with the defaults. */
void sg_limits_init(sg_limits *limits);

/* Set the limit called NAME (e.g. "depth") to VALUE. Returns SG_EUSAGE for an
 * unknown name, a zero value or a value past the limit's hard cap. */
sg_status sg_limits_set(sg_limits *limits, const char *name, uint64_t value);

/* Describe limit number I (0-based) in table order: its name, default, hard
 * cap and documentation. Returns 0 past the last limit, 1 otherwise. Any out
 * pointer may be NULL; strings are static. */
int sg_limits_describe(size_t i, const char **name, uint64_t *def, uint64_t *cap,
                       const char **doc);

/* ---- options --------------------------------------------------------- */

typedef enum sg_format { SG_FORMAT_AUTO = 0, SG_FORMAT_JSON, SG_FORMAT_YAML } sg_format;

typedef enum sg_profile {
    SG_PROFILE_APIG = 0, /* schema + swagger + apig checkers (the default) */
    SG_PROFILE_SWAGGER   /* schema + swagger checkers */
} sg_profile;

/* Allocator hooks (sg_options.allocator). The library calls MALLOC for new
 * blocks (SIZE never 0), REALLOC to resize one of them (PTR never NULL, SIZE
 * never 0; on NULL the block is left as it was) and FREE to give one back
 * (PTR never NULL); UD is passed to each. Each may be called from any
 * thread that uses an object made with them. A NULL return is reported as
 * SG_ENOMEM, and everything allocated is given back, as with the C library.
 *
 * Every allocation swaggate itself makes under a call given OPTIONS goes
 * through OPTIONS->allocator: sg_document_load and sg_document_parse (the
 * document, its name, bytes, line table and marks, the readers' and the
 * builder's buffers), sg_lint (the $ref resolver and the files it loads, the
 * checkers' tables, the schema set it makes when OPTIONS->schemas is NULL
 * with its embedded schemas, the compiled schemas, the regex caches with
 * PCRE2's memory through a general context), sg_schema_validate (the
 * compiled schemas and the validation's working memory), sg_normalize (the
 * bundler's tables and the sg_bytes it returns) and sg_plan_new (the plan
 * and its working memory). Objects that outlive the call (a document, the
 * sg_bytes of sg_normalize, an sg_plan) keep a copy of the hooks and free
 * with them, so the hooks must stay usable until those are freed;
 * sg_document_write_json and sg_plan_write use the hooks of their object.
 * A diagnostics list allocates its findings as it was made
 * (sg_diagnostics_new_with), and a schema set (its tables, and documents it
 * loads through sg_schema_set_map while validating) as it was made.
 * Not served, the C library's malloc: json-c and libyaml take no hooks (the
 * json-c values of the model, json-c's hash tables that swaggate uses as
 * working sets, keys handed over to json-c objects, libyaml's parser
 * state), nor do the C library's own functions; and objects made without
 * options use the C library: sg_diagnostics_new, sg_baseline_new,
 * sg_config_load, sg_reporter_new, sg_schema_set_new, and sg_request_build
 * (with its sg_bytes). */
typedef struct sg_allocator {
    void *(*malloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} sg_allocator;

/* Options of one call. Caller-owned; initialise with sg_options_init(). */
typedef struct sg_options {
    sg_limits limits;
    sg_format format;     /* SG_FORMAT_AUTO: by file name, then by content */
    sg_profile profile;
    size_t read_chunk;    /* feed readers this many bytes at a time (0: all at
                             once); results do not depend on it */
    const char *ref_root; /* folder that file $refs may not leave (NULL: the
                             root document's folder); borrowed */
    struct sg_schema_set *schemas; /* optional set that sg_lint reuses across
                             calls (NULL: a new one per call); borrowed, one
                             thread at a time */
    int strict; /* warnings of unsettled APIG rules become errors */
    const sg_allocator *allocator; /* allocator hooks (NULL: the C library's
                             malloc, realloc, free); borrowed, copied by the
                             objects made with these options */
    unsigned threads; /* 2 or more: for inputs of 64 KiB or more, a second
                         thread runs libyaml while the calling thread builds
                         the model (sg_document_load, sg_document_parse), and
                         the schema and apig checkers while the calling
                         thread runs the resolver and the swagger checker
                         (sg_lint). 0 or 1: everything on the calling thread.
                         The results are the same, in the same order; the
                         allocator hooks must then be thread-safe, and
                         OPTIONS->schemas is used by the second thread only. */
} sg_options;

void sg_options_init(sg_options *options);

/* ---- positions and diagnostics --------------------------------------- */

typedef struct sg_mark {
    unsigned line;   /* 1-based; 0 when there is no position (e.g. I/O) */
    unsigned column; /* 1-based, in code points */
    size_t offset;   /* bytes from the start of the file */
} sg_mark;

typedef enum sg_severity { SG_SEVERITY_INFO = 0, SG_SEVERITY_WARNING, SG_SEVERITY_ERROR } sg_severity;

/* Static lower-case name: "info", "warning", "error". */
const char *sg_severity_name(sg_severity severity);

/* One finding. All strings are borrowed from the sg_diagnostics that holds
 * it; optional ones are NULL when absent. Messages have control characters
 * and bidirectional marks escaped and quote at most limits.excerpt_chars. */
typedef struct sg_diagnostic {
    sg_severity severity;
    const char *rule;        /* stable rule id, e.g. "json-syntax" */
    const char *message;     /* what is wrong and what to do */
    const char *file;        /* file name as given, or "-" for stdin */
    sg_mark start;           /* where it is (line 0: no position) */
    const char *pointer;     /* JSON Pointer (RFC 6901) or NULL */
    const char *apig_code;   /* e.g. "APIG.2026", or NULL */
    const char *source_line; /* the line at start, escaped, or NULL */
    int has_related;
    const char *related_file;    /* with has_related: a second place */
    sg_mark related;
    const char *related_message;
} sg_diagnostic;

typedef struct sg_diagnostics sg_diagnostics;

/* A new empty list, or NULL when out of memory. Free with sg_diagnostics_free. */
sg_diagnostics *sg_diagnostics_new(void);
/* The same, with the list and its strings allocated through ALLOCATOR
 * (copied; NULL: the C library). The hooks must outlive the list. */
sg_diagnostics *sg_diagnostics_new_with(const sg_allocator *allocator);
void sg_diagnostics_free(sg_diagnostics *diags);
/* Number of diagnostics kept (see limits.max_diagnostics). */
size_t sg_diagnostics_count(const sg_diagnostics *diags);
/* Diagnostic I (0-based), borrowed; NULL past the end. Kept in the order
 * found; sg_diagnostics_sort() orders them by file and position. */
const sg_diagnostic *sg_diagnostics_get(const sg_diagnostics *diags, size_t i);
/* How many were found at SEVERITY, counting those dropped over the limit. */
size_t sg_diagnostics_tally(const sg_diagnostics *diags, sg_severity severity);
/* Stable sort by file, line, column. */
void sg_diagnostics_sort(sg_diagnostics *diags);

/* ---- documents ------------------------------------------------------- */

typedef struct sg_document sg_document;

/* Read and parse the file at PATH ("-" reads standard input) into *OUT.
 * Returns SG_OK with a new document the caller frees with sg_document_free
 * (findings such as duplicate keys may still be added to DIAGS), or
 * SG_EINPUT with *OUT NULL and the reason in DIAGS, or SG_ENOMEM.
 * OPTIONS may be NULL for the defaults. */
sg_status sg_document_load(const char *path, const sg_options *options, sg_diagnostics *diags,
                           sg_document **out);

/* Parse LEN bytes at BYTES; NAME is the file name used in diagnostics and,
 * with SG_FORMAT_AUTO, to pick the format. BYTES is copied. As above. */
sg_status sg_document_parse(const char *name, const void *bytes, size_t len,
                            const sg_options *options, sg_diagnostics *diags, sg_document **out);

void sg_document_free(sg_document *doc);

/* The root value (json-c DOM), borrowed: do not put it, do not change it.
 * One node may sit at several places (a YAML alias; repeated short strings
 * and true and false are shared to save memory): tell places apart by
 * parent and key or index, not by node. json-c represents null as NULL. Numbers whose exact text matters (integers
 * past 64 bits, decimals) are doubles created with json_object_new_double_s;
 * sg_number_text() gives their text. */
struct json_object *sg_document_root(const sg_document *doc);
const char *sg_document_name(const sg_document *doc);
sg_format sg_document_format(const sg_document *doc);

/* The start and end of the value at POINTER (RFC 6901, "" for the root).
 * KEY_START may be NULL; for an object member it gets the key's start, for
 * the root and array elements it equals *START. Returns SG_OK, or SG_EUSAGE
 * when POINTER is malformed or names nothing. */
sg_status sg_document_locate(const sg_document *doc, const char *pointer, sg_mark *start,
                             sg_mark *end, sg_mark *key_start);

/* The exact text of a number the model holds as a double: decimals and
 * integers past 64 bits, as written (JSON) or in JSON spelling (YAML: no '+',
 * no leading zeros). NULL for integers within 64 bits (json_type_int: read
 * them with json_object_get_int64, or json_object_get_uint64 past INT64_MAX)
 * and for non-numbers. Borrowed from the node. */
const char *sg_number_text(struct json_object *number);

/* ---- lint ------------------------------------------------------------ */

/* Run the checkers of OPTIONS->profile over DOC and add findings to DIAGS.
 * Returns SG_OK (whatever was found) or SG_ENOMEM. OPTIONS may be NULL. */
sg_status sg_lint(const sg_document *doc, const sg_options *options, sg_diagnostics *diags);

/* ---- JSON Schema draft-04 ------------------------------------------- */

/* A set of schemas that $refs can reach by URI: the embedded draft-04
 * meta-schema ("http://json-schema.org/draft-04/schema") and Swagger 2.0
 * schema ("http://swagger.io/v2/schema.json"), schemas the caller adds, and
 * folders mapped under URI prefixes. The network is never used. A set loads
 * mapped files lazily, so one set must not be used by two threads at once;
 * give each thread its own. A set also keeps the compiled Swagger 2.0 schema
 * (and sg_lint's APIG extension schema) from one validation to the next
 * under the same allocator hooks and limits: reuse a set across documents
 * to compile them once. */
/* A new set holding the embedded schemas, or NULL when out of memory. */
sg_schema_set *sg_schema_set_new(void);
void sg_schema_set_free(sg_schema_set *set);
/* Make SCHEMA reachable as URI (and by any "id" it declares). SCHEMA is
 * borrowed: it must outlive SET. SG_EUSAGE for a bad URI or a URI taken. */
sg_status sg_schema_set_add(sg_schema_set *set, const char *uri, const sg_document *schema);
/* Serve refs under URI_PREFIX (e.g. "http://localhost:1234/") from files
 * under DIR: the rest of the URI is the path below DIR, which may not leave
 * it. Files are read with the limits of the validation's options. */
sg_status sg_schema_set_map(sg_schema_set *set, const char *uri_prefix, const char *dir);

/* Validate INSTANCE against SCHEMA (NULL: the Swagger 2.0 schema) and add
 * one finding per mistake to DIAGS (rule "schema"; positioned at the value
 * or key at fault). Problems of the schema itself (a bad pattern, a $ref that
 * resolves nowhere) are findings too, positioned in SCHEMA. Returns SG_OK
 * whatever was found, SG_ENOMEM, or SG_EUSAGE. */
sg_status sg_schema_validate(sg_schema_set *set, const sg_document *schema,
                             const sg_document *instance, const sg_options *options,
                             sg_diagnostics *diags);

/* ---- output ---------------------------------------------------------- */

/* Write DOC as JSON to OUT: member order kept, two-space indentation when
 * PRETTY, numbers exact. Returns SG_OK, SG_EINPUT if writing failed, or
 * SG_ENOMEM. */
sg_status sg_document_write_json(const sg_document *doc, FILE *out, int pretty);

/* ---- reporters ------------------------------------------------------- */

/* TEXT: for people; JSON: the versioned machine contract; SARIF: SARIF 2.1.0
 * (GitHub code scanning; tool "swaggate", version sg_version(), every rule
 * of the catalog); GITHUB: GitHub Actions workflow commands; JUNIT: JUnit XML,
 * one test case per file and a failure per error (written at finish). */
typedef enum sg_report_format {
    SG_REPORT_TEXT = 0,
    SG_REPORT_JSON,
    SG_REPORT_SARIF,
    SG_REPORT_GITHUB,
    SG_REPORT_JUNIT
} sg_report_format;

typedef struct sg_report_options {
    sg_report_format format;
    int color;       /* text: ANSI colors */
    int show_source; /* text: the source line and a caret under each finding */
} sg_report_options;

typedef struct sg_reporter sg_reporter;

/* A reporter that writes to OUT (borrowed; must outlive it). NULL when out of
 * memory or OPTIONS is NULL. */
sg_reporter *sg_reporter_new(FILE *out, const sg_report_options *options);
/* Report the diagnostics of one file (in the order of DIAGS). */
sg_status sg_reporter_file(sg_reporter *reporter, const char *file, const sg_diagnostics *diags);
/* Write what closes the report (the JSON summary, the text totals). */
sg_status sg_reporter_finish(sg_reporter *reporter);
void sg_reporter_free(sg_reporter *reporter);

/* ---- rules ----------------------------------------------------------- */

typedef struct sg_rule {
    const char *id;          /* e.g. "duplicate-key" */
    const char *checker;     /* "model", "resolve", "schema", "swagger", "apig",
                                "config" (configuration, suppressions, baselines),
                                "import" (the async-import form), "normalize"
                                (the canonical body) */
    sg_severity severity;    /* default severity */
    const char *summary;     /* one line */
    const char *apig_code;   /* the code APIG answers, or NULL */
    const char *description; /* a paragraph: why it matters, how to fix; or NULL */
} sg_rule;

/* Rule I (0-based) of the catalog, or NULL past the end. Static. */
const sg_rule *sg_rule_at(size_t i);
/* The rule with ID, or NULL. Static. */
const sg_rule *sg_rule_find(const char *id);

/* ---- configuration (.swaggate.yaml) ------------------------------------ */

/* A configuration file: profile, per-rule severities, excludes, limits and
 * strict, read with the document loader so that every mistake in it is a
 * positioned finding (rule "config"). swaggate-config(5) lists the keys. */
typedef struct sg_config sg_config; /* never changed once loaded: threads
                                       may share one */

/* The file name that sg_config_find looks for. */
#define SG_CONFIG_FILE_NAME ".swaggate.yaml"

/* Read the configuration at PATH into *OUT (the caller frees it with
 * sg_config_free). SG_OK; SG_EINPUT with *OUT NULL when the file is
 * unusable or holds any mistake (unknown key or rule, wrong type, bad
 * severity or limit: each one a finding in DIAGS with its position and a
 * hint); SG_ENOMEM; SG_EUSAGE for NULL arguments. */
sg_status sg_config_load(const char *path, sg_diagnostics *diags, sg_config **out);
void sg_config_free(sg_config *config);

/* Look for SG_CONFIG_FILE_NAME in the folder of FILE ("-" or NULL: the
 * current folder), then in each parent, up to the folder that holds .git
 * or the filesystem root; the nearest wins. SG_OK with *PATH a new string
 * the caller frees with free(), or NULL when there is none; SG_ENOMEM. */
sg_status sg_config_find(const char *file, char **path);

/* The path the configuration was loaded from (borrowed). */
const char *sg_config_path(const sg_config *config);

/* Set in OPTIONS what CONFIG sets (profile, limits, strict); the rest is left
 * alone, so a caller applies command-line flags after this. CONFIG may be
 * NULL (nothing changes). */
sg_status sg_config_apply(const sg_config *config, sg_options *options);

/* strict as CONFIG sets it: 0 or 1, or -1 when it does not set it. */
int sg_config_strict(const sg_config *config);

/* What CONFIG says about RULE: SG_CONFIG_UNSET, SG_CONFIG_OFF, or an
 * sg_severity. */
enum { SG_CONFIG_UNSET = -1, SG_CONFIG_OFF = 3 };
int sg_config_rule(const sg_config *config, const char *rule);

/* The line in the configuration file where SETTING is given ("profile",
 * "strict", "limits.depth", "rules.duplicate-key", "exclude"), 0 when it is
 * not given. */
unsigned sg_config_line(const sg_config *config, const char *setting);

/* 1 when FILE matches an exclude pattern of CONFIG (fnmatch, FNM_PATHNAME,
 * relative to the configuration's folder; see swaggate-config(5)), with
 * *LINE (may be NULL) the pattern's line; 0 otherwise. */
int sg_config_excluded(const sg_config *config, const char *file, unsigned *line);
/* Exclude pattern I (0-based) of CONFIG, borrowed, with *LINE (may be NULL)
 * its line; NULL past the last one. */
const char *sg_config_exclude_at(const sg_config *config, size_t i, unsigned *line);

/* Describe configuration key I (0-based) of the loader's table: its name,
 * value type, default and documentation (static strings; out pointers may
 * be NULL). 0 past the last key. */
int sg_config_describe(size_t i, const char **key, const char **type, const char **def,
                       const char **doc);

/* Apply the per-rule severities of CONFIG to the findings in DIAGS: "off"
 * drops them, a severity replaces theirs; the tallies (and so the summary)
 * count what is left. CONFIG may be NULL. */
sg_status sg_diagnostics_apply_config(sg_diagnostics *diags, const sg_config *config);

/* Drop the findings of DOC (by file name) that a "# swaggate-ignore RULE
 * [reason]" comment of DOC suppresses: at the end of the finding's line, or
 * alone on the line(s) above it. RULE may be a comma-separated list; "*" is
 * refused. A suppression that suppresses nothing becomes a warning
 * ("unused-suppression"), a malformed one too ("suppression-invalid").
 * JSON has no comments, so JSON documents have no suppressions. Call it
 * after sg_lint and before sg_diagnostics_apply_config. */
sg_status sg_diagnostics_suppress(sg_diagnostics *diags, const sg_document *doc);

/* ---- baseline ----------------------------------------------------------- */

/* Known findings, keyed by file, rule, JSON Pointer and a hash of the
 * message (no line numbers: edits elsewhere in the file do not make a
 * finding new), with a count per key for repeats. */
typedef struct sg_baseline sg_baseline;

/* A new empty baseline, or NULL when out of memory. */
sg_baseline *sg_baseline_new(void);
void sg_baseline_free(sg_baseline *baseline);
/* Add every finding of DIAGS. SG_OK or SG_ENOMEM. */
sg_status sg_baseline_add(sg_baseline *baseline, const sg_diagnostics *diags);
/* Write BASELINE as JSON to PATH atomically (a temporary file in the same
 * folder, renamed). SG_OK, SG_EINPUT (I/O: errno tells), SG_ENOMEM. */
sg_status sg_baseline_write(const sg_baseline *baseline, const char *path);
/* Read a baseline written by sg_baseline_write. As sg_config_load. */
sg_status sg_baseline_load(const char *path, sg_diagnostics *diags, sg_baseline **out);
/* Drop from DIAGS the findings BASELINE holds, using up its counts: a key
 * found more often than the baseline has it leaves the extra ones, which
 * are new. */
sg_status sg_baseline_filter(sg_baseline *baseline, sg_diagnostics *diags);

/* ---- bytes ------------------------------------------------------------ */

/* A byte string the library made (a canonical body, a multipart request).
 * Caller-owned: free with sg_bytes_free. The data is followed by a NUL that
 * sg_bytes_len does not count. */
typedef struct sg_bytes sg_bytes;
const char *sg_bytes_data(const sg_bytes *bytes);
size_t sg_bytes_len(const sg_bytes *bytes);
void sg_bytes_free(sg_bytes *bytes);

/* ---- normalize: the canonical body ------------------------------------- */

typedef enum sg_normalize_style {
    SG_NORMALIZE_PRETTY = 0, /* the canonical member order, indented, for people */
    SG_NORMALIZE_CANONICAL   /* RFC 8785 (JSON Canonicalization Scheme) bytes */
} sg_normalize_style;

/* The canonical body of DOC: one self-contained JSON document (the targets
 * of file $refs bundled into definitions, parameters or responses, by where
 * each $ref stands, under names that depend on the content only; a path
 * item named by a file $ref written in place; internal refs kept; YAML-only
 * constructs gone), members sorted by UTF-16 code units, numbers and strings
 * spelled as RFC 8785 says. A number RFC 8785's spelling would change (an
 * integer no double holds, more than 17 significant digits, out of the
 * double range) is kept exactly, with a warning (normalize-number-kept).
 * File refs are read with OPTIONS (ref_root, limits). Returns SG_OK with
 * *OUT a new sg_bytes (CANONICAL: the RFC 8785 bytes; PRETTY: the same
 * order, two-space indented, a final newline); SG_EINPUT with *OUT NULL when
 * DOC cannot be normalized (a file $ref that does not resolve or cannot be
 * bundled, a number with an exponent past 15 digits: each a finding in
 * DIAGS); SG_EUSAGE for NULL arguments; SG_ENOMEM. Findings of DOC itself
 * are not checked here: callers lint first (the CLI refuses documents with
 * errors unless --force). OPTIONS may be NULL. swaggate(1), normalize, has
 * the naming rules and the number policy. */
sg_status sg_normalize(const sg_document *doc, const sg_options *options, sg_normalize_style style,
                       sg_diagnostics *diags, sg_bytes **out);

/* ---- import: the async-import form, the plan, the request ------------- */

typedef enum sg_import_mode { SG_IMPORT_MERGE = 0, SG_IMPORT_OVERRIDE } sg_import_mode;

/* What makes two APIs "the same API" (APIG.md 6, question 3). */
typedef enum sg_conflict_key {
    SG_CONFLICT_BOTH = 0, /* equal name or equal route (the default) */
    SG_CONFLICT_NAME,     /* equal API name (operationId) */
    SG_CONFLICT_ROUTE     /* equal method + full path + match mode */
} sg_conflict_key;

/* The form fields of the async-import call, and the choices where APIG's
 * documentation is silent. Caller-owned; initialise with
 * sg_import_options_init (the endpoint's defaults). Strings are borrowed. */
typedef struct sg_import_options {
    int create_group;           /* is_create_group (default 1) */
    const char *group_id;       /* required when !create_group, refused otherwise */
    sg_import_mode api_mode;    /* default merge */
    sg_import_mode extend_mode; /* default merge */
    int simple_mode;            /* passed through, not simulated (default 0) */
    int mock_mode;              /* default 0 */
    sg_conflict_key conflict_key;
    uint64_t max_size;          /* file part size limit in bytes (default 12 MiB;
                                   APIG does not publish its own: APIG.md 3) */
    const char *file_name;      /* file name of the file part (default
                                   "swagger.json") */
    int merge_conflict_ignored; /* plan, api_mode merge: report an API kept
                                   against the file's under "ignore" instead
                                   of "failure" (default 0: failure with
                                   APIG.3301/APIG.3202, as APIG's documented
                                   example; APIG.md 1.3 leaves ignore[]
                                   unexplained) */
} sg_import_options;

void sg_import_options_init(sg_import_options *options);

/* Check the combination of fields (group_id vs create_group, enums,
 * max_size, file_name): one finding per mistake in DIAGS (rule
 * "import-form"), with the APIG code the gateway answers (APIG.2001 for a
 * missing group_id, APIG.2012 for a value it refuses). SG_OK when the form
 * is good, SG_EUSAGE when it is not (or when OPTIONS is NULL). */
sg_status sg_import_options_check(const sg_import_options *options, sg_diagnostics *diags);

/* A predicted import. */
typedef struct sg_plan sg_plan;

/* Predict what the gateway does when DOC is imported with IMPORT into the
 * group whose current export is EXISTING (NULL: a new group, created from
 * info.title). EXISTING_GROUP_NAMES (NULL-terminated, may be NULL) are the
 * names of the instance's other groups (a new group with one of those names
 * fails the whole task with APIG.3201). Returns SG_OK with *OUT a new plan
 * (even when the task as a whole fails: see sg_plan_result), SG_EUSAGE for a
 * bad IMPORT (findings in DIAGS), SG_ENOMEM. OPTIONS may be NULL (its
 * limits apig_apis and apig_group_apis are the quotas).
 * EXISTING decides between a new group and an existing one:
 * IMPORT->create_group is not consulted, IMPORT->group_id (optional) is
 * only written into the result. DOC is not linted here: callers lint first.
 * The semantics and every choice where APIG is silent: swaggate(1), plan. */
sg_status sg_plan_new(const sg_document *doc, const sg_document *existing,
                      const char *const *existing_group_names, const sg_import_options *import,
                      const sg_options *options, sg_diagnostics *diags, sg_plan **out);
void sg_plan_free(sg_plan *plan);

/* The task result, borrowed (json-c DOM; do not change it): either
 * {"group_id": ..., "success": [{"method","path","action"}], "failure":
 * [{"method","path","error_code","error_msg"}], "ignore": [{"method","path"}],
 * "policies": {"ratelimits": {"created", "kept", "replaced"},
 * "access_controls": {...}}} (group_id null for a new group), or, when the
 * whole task fails (APIG.2044, APIG.3201, APIG.3127), {"error_code",
 * "error_msg"}. */
struct json_object *sg_plan_result(const sg_plan *plan);

/* The group as it will stand after the import, as a Swagger 2.0 document
 * with its x-apigateway-* extensions (what an export of the group would
 * give: no basePath, paths keyed by the full request path, each operation
 * standing alone), borrowed; NULL when the whole task fails. Planned as the
 * import of itself into itself with api_mode override, every API is an
 * update. */
struct json_object *sg_plan_group(const sg_plan *plan);

/* The APIG code of a whole-task failure (e.g. "APIG.3201"), or NULL. */
const char *sg_plan_error_code(const sg_plan *plan);

/* Write the plan to OUT: TEXT a table for people, JSON the task result.
 * SG_OK, SG_EINPUT when writing failed, SG_ENOMEM. */
sg_status sg_plan_write(const sg_plan *plan, FILE *out, sg_report_format format);

/* The multipart/form-data body (RFC 7578) of the async-import call: every
 * form field of IMPORT written explicitly, and the file part holding the
 * LEN bytes at BODY (normally sg_normalize's canonical bytes) as
 * application/json. Checks IMPORT first (sg_import_options_check) and the
 * size limit (rule "import-size": APIG.3609 empty, APIG.3603 past
 * max_size). The boundary is the first of a fixed sequence that occurs
 * nowhere in the body, the group id or the file name, so the same request
 * gives the same bytes. SG_OK with *OUT the body and CONTENT_TYPE (CAP
 * bytes, SG_CONTENT_TYPE_MAX is enough) the header value with its boundary;
 * SG_EUSAGE (findings in DIAGS; also for NULL arguments or CAP too small);
 * SG_ENOMEM. DIAGS may be NULL. */
sg_status sg_request_build(const sg_import_options *import, const void *body, size_t len,
                           sg_diagnostics *diags, sg_bytes **out, char *content_type, size_t cap);

/* A CONTENT_TYPE buffer of this many bytes always holds sg_request_build's
 * header value. */
#define SG_CONTENT_TYPE_MAX 128

#ifdef __cplusplus
}
#endif

#endif
