/* The apig checker's private interfaces, shared by its files:
 *   check_apig.c          entry point, rule table, reports, the walk over
 *                         root, paths, operations, parameters, security
 *                         definitions; placement and misspelled keys
 *   check_apig_backend.c  x-apigateway-backend, endpoints, backend
 *                         parameters, backend policies and conditions
 *   check_apig_policy.c   ratelimits, access controls, auth types,
 *                         authorizers, gateway responses
 *   check_apig_names.c    names, lengths, paths, environment variables,
 *                         tags, duplicate names
 *   check_apig_schema.c   types, enums, required sub-fields, ranges: each
 *                         extension value validated with its definition in
 *                         schemas/apig-extensions.json, findings turned into
 *                         the rules below
 * Every rule is listed in the catalog (rules.c). */
#ifndef SWAGGATE_CHECK_APIG_H
#define SWAGGATE_CHECK_APIG_H

#include "check_swagger.h"

typedef enum sgi_ag_rule {
    AG_UNKNOWN_FIELD,
    AG_MISPLACED_FIELD,
    AG_TYPE,
    AG_ENUM,
    AG_ENUM_CASE,
    AG_REQUIRED,
    AG_BACKEND_MISSING,
    AG_BACKEND_ENDPOINT,
    AG_TIMEOUT,
    AG_TIMEOUT_EXTENDED,
    AG_BACKEND_PARAM_UNDEFINED,
    AG_BACKEND_PATH_PARAM_UNDEFINED,
    AG_POLICY_BACKEND_TYPE,
    AG_CONDITION,
    AG_CONDITION_LEGACY,
    AG_CONDITION_PATTERN,
    AG_CONDITION_QUOTA,
    AG_CONTENT_TYPE,
    AG_RATELIMIT_LIMITS,
    AG_POLICY_UNDEFINED,
    AG_ACL_VALUE,
    AG_AUTH_TYPE,
    AG_AUTH_TYPE_UNSETTLED,
    AG_SECURITY_AUTH_TYPE,
    AG_AUTHORIZER_CONTEXT,
    AG_AUTHORIZER,
    AG_GATEWAY_RESPONSE,
    AG_PATH_TEMPLATE,
    AG_PATH,
    AG_ENV_VAR,
    AG_API_NAME,
    AG_API_NAME_MISSING,
    AG_GROUP_NAME,
    AG_NAME_LEGACY,
    AG_PARAM_NAME,
    AG_POLICY_NAME,
    AG_NAME_DUPLICATE,
    AG_NAME_CASE_DUPLICATE,
    AG_TAG,
    AG_LENGTH,
    AG_QUOTA,
    AG_UNSUPPORTED,
    AG_IGNORED,
    AG_RULE_COUNT
} sgi_ag_rule;

typedef struct sgi_ag_rule_info {
    const char *id;
    sg_severity severity; /* default */
    const char *apig;     /* NULL: none */
    int unsettled;        /* APIG.md section 6: a warning, an error with options->strict */
} sgi_ag_rule_info;

extern const sgi_ag_rule_info sgi_ag_rules[AG_RULE_COUNT];

/* The checker (lint.c runs it for the apig profile only). */
sg_status sgi_check_apig(sgi_lint *lint);

/* One run of the checker. SW carries the shared walk helpers of the swagger
 * checker (locations, $refs, quoting, hash maps). */
typedef struct sgi_ag {
    sgi_sw sw;
    const sg_limits *limits;
    const sg_options *opts;
    int strict;
    /* the extension schemas (check_apig_schema.c) */
    sg_document *sdoc;
    sg_schema_set *sset, *own_set;
    sgi_schema_session *sess;
    sgi_sch *sroot;
    int sclean; /* its compilation reported nothing: the set may keep it */
    struct json_object *ratelimits; /* root maps, or NULL */
    struct json_object *acls;
    struct json_object *secdefs;
    struct json_object *responses; /* root x-apigateway-responses */
    const char *base_path;          /* basePath, "" when absent */
    size_t n_ops;
    size_t n_no_backend;
    char first_no_backend[160]; /* "method path" of the first */
    int ignored_responses; /* apig-ignored reported once per kind */
    sgi_sw_map schemes_reported; /* security schemes already reported (once each) */
} sgi_ag;

/* What one operation declares, for the cross references of its backend. */
typedef struct sgi_ag_op {
    const sgi_sw_loc *op;
    sgi_sw_map params;  /* request parameter names (header names lower-cased) */
    int has_authorizer; /* its security uses a scheme with x-apigateway-authorizer */
    const char *backend_type;
} sgi_ag_op;

/* ---- reports and small checks (check_apig.c) ---- */

void sgi_ag_report(sgi_ag *a, sgi_ag_rule rule, const char *apig, const sgi_sw_loc *at, int at_key,
                   const char *fmt, ...) SGI_PRINTF(6, 7);
/* Is request parameter NAME (in location IN) declared? Header names ignore case. */
int sgi_ag_has_param(sgi_ag_op *op, const char *name);
/* Whole-number member KEY of OBJ (sgi_sw_whole_number; the schema checked
 * its type and range), or 0. */
int64_t sgi_ag_int_member(struct json_object *obj, const char *key);
/* Edit distance at most 2 between A and B (case ignored), for "did you mean". */
int sgi_ag_close(const char *a, const char *b);

/* ---- the extension schemas (check_apig_schema.c) ---- */

sg_status sgi_ag_schema_open(sgi_ag *a);
void sgi_ag_schema_close(sgi_ag *a);
/* Validate the value at AT with the definition of extension FIELD (its full
 * name); each finding is reported as its apig rule. The number of findings
 * (0: valid, or no definition). */
size_t sgi_ag_validate(sgi_ag *a, const sgi_sw_loc *at, const char *field);

/* ---- backend (check_apig_backend.c) ---- */

void sgi_ag_check_backend(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *backend);
void sgi_ag_check_policies(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *policies);

/* ---- policies, auth, responses (check_apig_policy.c) ---- */

void sgi_ag_check_root_policies(sgi_ag *a);
void sgi_ag_check_secdef(sgi_ag *a, const sgi_sw_loc *def);
/* An operation's ratelimit / access-control binding. */
void sgi_ag_check_binding(sgi_ag *a, const sgi_sw_loc *at, int acl);
void sgi_ag_check_gateway_responses(sgi_ag *a, const sgi_sw_loc *resps);
/* A security requirement array: schemes carry an auth type; notes authorizers. */
void sgi_ag_check_security(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *sec);

/* ---- names, paths, lengths (check_apig_names.c) ---- */

typedef enum sgi_ag_name_kind {
    AG_N_API,       /* operationId */
    AG_N_GROUP,     /* info.title */
    AG_N_PARAM,     /* request and backend parameters */
    AG_N_THROTTLE,  /* ratelimit and ACL policies */
    AG_N_BPOLICY,   /* backend policy */
    AG_N_AUTHORIZER,
    AG_N_RESPONSE,
    AG_N_CHANNEL /* VPC channel */
} sgi_ag_name_kind;

/* The name at AT (a string value, or the key with AT_KEY). */
void sgi_ag_check_name(sgi_ag *a, sgi_ag_name_kind kind, const sgi_sw_loc *at, int at_key,
                       const char *s, size_t len);
/* A frontend (BACKEND 0) or backend path at AT. */
void sgi_ag_check_path(sgi_ag *a, const sgi_sw_loc *at, int at_key, const char *path, int backend);
/* Environment variables #name# in S. */
void sgi_ag_check_env_vars(sgi_ag *a, const sgi_sw_loc *at, const char *s);
/* String at AT at most MAX characters. */
void sgi_ag_check_length(sgi_ag *a, const sgi_sw_loc *at, size_t max, const char *what);
/* Names in one scope (backend policies of an API, root policy maps,
 * authorizers): the same name twice is apig-name-duplicate with CODE, names
 * that differ only in case apig-name-case-duplicate. Add each with
 * sgi_ag_names_add, then sgi_ag_names_fini. */
typedef struct sgi_ag_names {
    const char *what, *code; /* "backend policy", "APIG.3210" */
    sgi_sw_map exact, folded; /* name -> 1 + index of its first mark */
    sg_mark *marks;
    size_t n, cap;
} sgi_ag_names;
/* An empty set, allocated with A's lint allocator. */
void sgi_ag_names_init(sgi_ag_names *ns, const sgi_ag *a);
void sgi_ag_names_add(sgi_ag *a, sgi_ag_names *ns, const sgi_sw_loc *at, int at_key,
                      const char *name, size_t len);
void sgi_ag_names_fini(sgi_ag_names *ns);
/* The tags of an operation (APIG.md section 3). */
void sgi_ag_check_tags(sgi_ag *a, const sgi_sw_loc *tags);
/* Calls FN for each {var} of PATH (name without braces and '+'). */
typedef void (*sgi_ag_var_fn)(void *ctx, const char *name, size_t len);
void sgi_ag_path_vars(const char *path, sgi_ag_var_fn fn, void *ctx);

#endif
