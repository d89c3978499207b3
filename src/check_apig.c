/* The apig checker, part one: the entry point, the rule table, reports and
 * the walk over the document (APIG.md sections 1.6 and 2.1): root, paths,
 * operations, parameters, responses and security definitions. Each
 * x-apigateway-* key is checked against where APIG reads it; what APIG
 * ignores or refuses on import is said at its documented severity. The
 * other parts check what the walk finds (check_apig.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

const sgi_ag_rule_info sgi_ag_rules[AG_RULE_COUNT] = {
    [AG_UNKNOWN_FIELD] = {"apig-unknown-field", SG_SEVERITY_WARNING, NULL, 0},
    [AG_MISPLACED_FIELD] = {"apig-misplaced-field", SG_SEVERITY_WARNING, NULL, 0},
    [AG_TYPE] = {"apig-type", SG_SEVERITY_ERROR, NULL, 0},
    [AG_ENUM] = {"apig-enum", SG_SEVERITY_ERROR, NULL, 0},
    [AG_ENUM_CASE] = {"apig-enum-case", SG_SEVERITY_WARNING, NULL, 1},
    [AG_REQUIRED] = {"apig-required", SG_SEVERITY_ERROR, NULL, 0},
    [AG_BACKEND_MISSING] = {"apig-backend-missing", SG_SEVERITY_WARNING, NULL, 1},
    [AG_BACKEND_ENDPOINT] = {"apig-backend-endpoint", SG_SEVERITY_ERROR, NULL, 0},
    [AG_TIMEOUT] = {"apig-timeout", SG_SEVERITY_ERROR, NULL, 0},
    [AG_TIMEOUT_EXTENDED] = {"apig-timeout-extended", SG_SEVERITY_WARNING, NULL, 1},
    [AG_BACKEND_PARAM_UNDEFINED] = {"apig-backend-param-undefined", SG_SEVERITY_ERROR, "APIG.2028", 0},
    [AG_BACKEND_PATH_PARAM_UNDEFINED] = {"apig-backend-path-param-undefined", SG_SEVERITY_ERROR,
                                         "APIG.2027", 0},
    [AG_POLICY_BACKEND_TYPE] = {"apig-policy-backend-type", SG_SEVERITY_ERROR, NULL, 0},
    [AG_CONDITION] = {"apig-condition", SG_SEVERITY_ERROR, NULL, 0},
    [AG_CONDITION_LEGACY] = {"apig-condition-legacy", SG_SEVERITY_WARNING, NULL, 1},
    [AG_CONDITION_PATTERN] = {"apig-condition-pattern", SG_SEVERITY_ERROR, NULL, 0},
    [AG_CONDITION_QUOTA] = {"apig-condition-quota", SG_SEVERITY_WARNING, "APIG.3114", 1},
    [AG_CONTENT_TYPE] = {"apig-content-type", SG_SEVERITY_WARNING, NULL, 1},
    [AG_RATELIMIT_LIMITS] = {"apig-ratelimit-limits", SG_SEVERITY_ERROR, NULL, 0},
    [AG_POLICY_UNDEFINED] = {"apig-policy-undefined", SG_SEVERITY_ERROR, "APIG.3005", 0},
    [AG_ACL_VALUE] = {"apig-acl-value", SG_SEVERITY_ERROR, "APIG.2015", 0},
    [AG_AUTH_TYPE] = {"apig-auth-type", SG_SEVERITY_ERROR, NULL, 0},
    [AG_AUTH_TYPE_UNSETTLED] = {"apig-auth-type-unsettled", SG_SEVERITY_WARNING, NULL, 1},
    [AG_SECURITY_AUTH_TYPE] = {"apig-security-auth-type", SG_SEVERITY_ERROR, NULL, 0},
    [AG_AUTHORIZER_CONTEXT] = {"apig-authorizer-context", SG_SEVERITY_ERROR, "APIG.2036", 0},
    [AG_AUTHORIZER] = {"apig-authorizer", SG_SEVERITY_ERROR, NULL, 0},
    [AG_GATEWAY_RESPONSE] = {"apig-gateway-response", SG_SEVERITY_ERROR, NULL, 0},
    [AG_PATH_TEMPLATE] = {"apig-path-template", SG_SEVERITY_ERROR, NULL, 0},
    [AG_PATH] = {"apig-path", SG_SEVERITY_ERROR, NULL, 0},
    [AG_ENV_VAR] = {"apig-env-var", SG_SEVERITY_ERROR, NULL, 0},
    [AG_API_NAME] = {"apig-api-name", SG_SEVERITY_ERROR, NULL, 0},
    [AG_API_NAME_MISSING] = {"apig-api-name-missing", SG_SEVERITY_WARNING, NULL, 1},
    [AG_GROUP_NAME] = {"apig-group-name", SG_SEVERITY_ERROR, "APIG.2044", 0},
    [AG_NAME_LEGACY] = {"apig-name-legacy", SG_SEVERITY_WARNING, NULL, 1},
    [AG_PARAM_NAME] = {"apig-param-name", SG_SEVERITY_ERROR, NULL, 0},
    [AG_POLICY_NAME] = {"apig-policy-name", SG_SEVERITY_ERROR, NULL, 0},
    [AG_NAME_DUPLICATE] = {"apig-name-duplicate", SG_SEVERITY_ERROR, NULL, 0},
    [AG_NAME_CASE_DUPLICATE] = {"apig-name-case-duplicate", SG_SEVERITY_WARNING, NULL, 1},
    [AG_TAG] = {"apig-tag", SG_SEVERITY_ERROR, NULL, 0},
    [AG_LENGTH] = {"apig-length", SG_SEVERITY_ERROR, NULL, 0},
    [AG_QUOTA] = {"apig-quota", SG_SEVERITY_ERROR, NULL, 0},
    [AG_UNSUPPORTED] = {"apig-unsupported", SG_SEVERITY_WARNING, NULL, 0},
    [AG_IGNORED] = {"apig-ignored", SG_SEVERITY_INFO, NULL, 0},
};

/* ---- reports ----------------------------------------------------------- */

void sgi_ag_report(sgi_ag *a, sgi_ag_rule rule, const char *apig, const sgi_sw_loc *at, int at_key,
                   const char *fmt, ...)
{
    if (a->sw.st != SG_OK)
        return;
    sg_severity sev = sgi_ag_rules[rule].severity;
    if (sgi_ag_rules[rule].unsettled && a->strict)
        sev = SG_SEVERITY_ERROR;
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_sw_vdiag(SW_ALLOC(&a->sw), a->sw.lint->diags, sev, sgi_ag_rules[rule].id,
                                apig ? apig : sgi_ag_rules[rule].apig, at, at_key, fmt, ap);
    va_end(ap);
    if (st != SG_OK)
        a->sw.st = st;
}

/* ---- small checks -------------------------------------------------------- */

static size_t levenshtein(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    if (n > 64 || m > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            int same = (s[i - 1] | 32) == (t[j - 1] | 32);
            size_t best = diag + (same ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

int sgi_ag_close(const char *a, const char *b) { return levenshtein(a, b) <= 2; }

int64_t sgi_ag_int_member(struct json_object *obj, const char *key)
{
    struct json_object *v;
    int64_t n;
    if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v) ||
        !sgi_sw_whole_number(v, &n))
        return 0;
    return n;
}

static void lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    dst[i] = '\0';
}

int sgi_ag_has_param(sgi_ag_op *op, const char *name)
{
    if (sgi_sw_map_get(&op->params, name, strlen(name)))
        return 1;
    char buf[256];
    lower(buf, sizeof buf, name);
    return sgi_sw_map_get(&op->params, buf, strlen(buf)) != NULL;
}

/* ---- placement of x-apigateway-* keys ------------------------------------ */

enum { AT_ROOT = 1, AT_PATH = 2, AT_OP = 4, AT_SECDEF = 8, AT_PARAM = 16, AT_RESPONSE = 32 };

typedef struct field {
    const char *name; /* after "x-apigateway-" */
    unsigned where;
} field;

/* APIG.md 2.1: the keys APIG reads and where. responses: documented on the
 * operation, written at the root by Huawei's export (Q9), so both. Samples:
 * in a response object or next to default in the responses map (Q10). */
static const field FIELDS[] = {
    {"auth-type", AT_SECDEF},
    {"auth-opt", AT_SECDEF},
    {"authorizer", AT_SECDEF},
    {"request-type", AT_OP},
    {"match-mode", AT_OP},
    {"cors", AT_OP},
    {"is-send-fg-body-base64", AT_OP},
    {"any-method", AT_PATH},
    {"content-type", AT_OP},
    {"backend", AT_OP},
    {"backend-policies", AT_OP},
    {"ratelimit", AT_OP},
    {"ratelimits", AT_ROOT},
    {"access-control", AT_OP},
    {"access-controls", AT_ROOT},
    {"plugins", AT_OP},
    {"response", AT_OP},
    {"responses", AT_OP | AT_ROOT},
    {"result-normal-sample", AT_RESPONSE},
    {"result-failure-sample", AT_RESPONSE},
    {"pass-through", AT_PARAM},
    {"sample", AT_PARAM},
    {"orchestrations", AT_PARAM},
};
#define N_FIELDS (sizeof FIELDS / sizeof FIELDS[0])
#define PREFIX "x-apigateway-"
#define PREFIX_LEN 13

static const char *place_name(unsigned w)
{
    return w & AT_ROOT     ? "the document root"
           : w & AT_PATH   ? "a path item"
           : w & AT_OP     ? "an operation"
           : w & AT_SECDEF ? "a security definition"
           : w & AT_PARAM  ? "a parameter"
           : w & AT_RESPONSE ? "a response"
                             : "the paths object";
}

/* Is KEY (at a place WHERE) an APIG field read there? Reports misspelled
 * and misplaced ones. 1: read here, 0: not (reported or not ours). */
static int placed(sgi_ag *a, const sgi_sw_loc *at, unsigned where)
{
    const char *k = at->key;
    if (strncasecmp(k, "x-apigateway", 12) != 0 && strncasecmp(k, "x-apigw", 7) != 0) {
        if (strncmp(k, "x-", 2) == 0 && strstr(k, "apigateway") == NULL)
            return 0; /* somebody else's extension */
    }
    /* The key is quoted only for a report: most keys are fields read here. */
    char q[SW_QUOTE];
    if (strncmp(k, PREFIX, PREFIX_LEN) == 0)
        for (size_t i = 0; i < N_FIELDS; i++)
            if (k[PREFIX_LEN] == FIELDS[i].name[0] && strcmp(k + PREFIX_LEN, FIELDS[i].name) == 0) {
                if (FIELDS[i].where & where)
                    return 1;
                sgi_sw_quote(&a->sw, q, sizeof q, at->key, at->klen);
                sgi_ag_report(a, AG_MISPLACED_FIELD, NULL, at, 1,
                              "APIG reads %s in %s, not in %s: here it is ignored; move it", q,
                              place_name(FIELDS[i].where), place_name(where));
                return 0;
            }
    /* A near miss: compare with the prefix restored. */
    const char *near = NULL;
    const char *tail = strrchr(k, '-');
    for (size_t i = 0; i < N_FIELDS && !near; i++) {
        char full[80];
        snprintf(full, sizeof full, PREFIX "%s", FIELDS[i].name);
        if (sgi_ag_close(k, full) || (tail && strcasecmp(tail + 1, FIELDS[i].name) == 0 &&
                                      (FIELDS[i].where & where)))
            near = FIELDS[i].name;
    }
    if (near || strncmp(k, PREFIX, PREFIX_LEN) == 0)
        sgi_sw_quote(&a->sw, q, sizeof q, at->key, at->klen);
    if (near)
        sgi_ag_report(a, AG_UNKNOWN_FIELD, NULL, at, 1,
                      "%s is not an APIG extension and is ignored; did you mean " PREFIX "%s?", q,
                      near);
    else if (strncmp(k, PREFIX, PREFIX_LEN) == 0)
        sgi_ag_report(a, AG_UNKNOWN_FIELD, NULL, at, 1,
                      "%s is not an APIG extension (APIG.md section 2 lists them) and is ignored",
                      q);
    return 0;
}

/* ---- parameters ------------------------------------------------------------ */

/* 1 when P is a body or formData parameter (not counted as a request
 * parameter), so that the caller need not look "in" up again. */
static int check_param(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *p)
{
    if (!json_object_is_type(p->v, json_type_object))
        return 0;
    const char *in = sgi_sw_str(p->v, "in");
    const char *name = sgi_sw_str(p->v, "name");
    int body = in && (strcmp(in, "body") == 0 || strcmp(in, "formData") == 0);
    if (name && op && !body) {
        /* The name cut to 255 bytes, as a 256-byte buffer holds it. */
        char buf[256];
        size_t n = strlen(name);
        if (n > sizeof buf - 1)
            n = sizeof buf - 1;
        if (in && strcmp(in, "header") == 0)
            lower(buf, sizeof buf, name);
        else {
            memcpy(buf, name, n);
            buf[n] = '\0';
        }
        if (sgi_sw_map_put(&op->params, buf, n, (void *)1, NULL) < 0)
            a->sw.st = SG_ENOMEM;
    }
    /* The rest once per parameter object: path-level and #/parameters
     * entries are shared by many operations. */
    if (!sgi_sw_first_visit(&a->sw, p->v))
        return body;
    sgi_sw_loc l;
    if (body) {
        if (sgi_sw_member(&l, p, "in"))
            sgi_ag_report(a, AG_UNSUPPORTED, NULL, &l, 0,
                          "APIG does not import in: %s parameters (Restrictions and "
                          "Compatibility); the request body is passed through unchecked",
                          in);
        return body;
    }
    if (name && sgi_sw_member(&l, p, "name"))
        sgi_ag_check_name(a, AG_N_PARAM, &l, 0, name, strlen(name));
    if (sgi_sw_member(&l, p, "description") && json_object_is_type(l.v, json_type_string))
        sgi_ag_check_length(a, &l, 255, "a parameter description");
    for (struct lh_entry *it = json_object_get_object(p->v)->head; it; it = it->next) {
        sgi_sw_loc f;
        sgi_sw_entry(&f, p, it);
        if (sgi_sw_is_ext(f.key) && placed(a, &f, AT_PARAM))
            sgi_ag_validate(a, &f, f.key); /* pass-through, sample, orchestrations */
    }
    return 0;
}

static void check_params(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *list, size_t *count)
{
    if (!json_object_is_type(list->v, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(list->v) && a->sw.st == SG_OK; i++) {
        sgi_sw_loc e, t;
        sgi_sw_element(&e, list, i);
        if (!sgi_sw_deref(&a->sw, &e, &t))
            continue;
        if (!check_param(a, op, &t) && count)
            (*count)++;
    }
}

/* ---- responses --------------------------------------------------------- */

static void check_sample(sgi_ag *a, const sgi_sw_loc *f) { sgi_ag_validate(a, f, f->key); }

static void check_responses(sgi_ag *a, const sgi_sw_loc *resps)
{
    if (!json_object_is_type(resps->v, json_type_object))
        return;
    if (!a->ignored_responses) {
        a->ignored_responses = 1;
        sgi_ag_report(a, AG_IGNORED, NULL, resps, 1,
                      "APIG does not use responses on import (only the result samples in them); "
                      "said once per document");
    }
    for (struct lh_entry *it = json_object_get_object(resps->v)->head; it; it = it->next) {
        sgi_sw_loc r, t;
        sgi_sw_entry(&r, resps, it);
        if (sgi_sw_is_ext(r.key)) {
            if (placed(a, &r, AT_RESPONSE))
                check_sample(a, &r);
            continue;
        }
        if (!sgi_sw_deref(&a->sw, &r, &t) || !json_object_is_type(t.v, json_type_object))
            continue;
        for (struct lh_entry *jt = json_object_get_object(t.v)->head; jt; jt = jt->next) {
            sgi_sw_loc f;
            sgi_sw_entry(&f, &t, jt);
            if (sgi_sw_is_ext(f.key) && placed(a, &f, AT_RESPONSE))
                check_sample(a, &f);
        }
    }
}

/* ---- operations ------------------------------------------------------------ */

static void unsupported_media(sgi_ag *a, const sgi_sw_loc *obj)
{
    static const char *const K[] = {"consumes", "produces"};
    for (int i = 0; i < 2; i++) {
        sgi_sw_loc l;
        if (sgi_sw_member(&l, obj, K[i]))
            sgi_ag_report(a, AG_UNSUPPORTED, NULL, &l, 1,
                          "APIG does not support %s on import (Restrictions and Compatibility): "
                          "it is dropped; the backend decides the media types",
                          K[i]);
    }
}

/* The schema first (types, enums, required parts, ranges); then what needs
 * code: cross references, names, quotas. */
static void check_op_field(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *f)
{
    const char *k = f->key + PREFIX_LEN;
    if (strcmp(k, "any-method") == 0)
        return; /* an operation: walked as one */
    sgi_ag_validate(a, f, f->key);
    if (strcmp(k, "ratelimit") == 0 || strcmp(k, "access-control") == 0) {
        sgi_ag_check_binding(a, f, k[0] == 'a');
    } else if (strcmp(k, "responses") == 0) {
        sgi_ag_check_gateway_responses(a, f);
    } else if (strcmp(k, "backend") == 0) {
        sgi_ag_check_backend(a, op, f);
    } else if (strcmp(k, "backend-policies") == 0) {
        sgi_ag_check_policies(a, op, f);
    }
}

static void check_operation(sgi_ag *a, const sgi_sw_loc *item, const sgi_sw_loc *o,
                            const char *path)
{
    if (!json_object_is_type(o->v, json_type_object))
        return;
    a->n_ops++;
    sgi_ag_op op;
    memset(&op, 0, sizeof op);
    sgi_sw_map_init(&op.params, SW_ALLOC(&a->sw));
    op.op = o;
    size_t nparams = 0;
    sgi_sw_loc l;
    if (sgi_sw_member(&l, item, "parameters"))
        check_params(a, &op, &l, &nparams);
    if (sgi_sw_member(&l, o, "parameters"))
        check_params(a, &op, &l, &nparams);
    if (nparams > a->limits->apig_params && sgi_sw_member(&l, o, "parameters"))
        sgi_ag_report(a, AG_QUOTA, "APIG.3111", &l, 1,
                      "the operation has %zu request parameters; APIG allows %llu per API "
                      "(raise with --limit apig-params=N if your gateway allows more)",
                      nparams, (unsigned long long)a->limits->apig_params);

    if (sgi_sw_member(&l, o, "tags"))
        sgi_ag_check_tags(a, &l);
    if (sgi_sw_member(&l, o, "operationId")) {
        if (json_object_is_type(l.v, json_type_string))
            sgi_ag_check_name(a, AG_N_API, &l, 0, json_object_get_string(l.v),
                              (size_t)json_object_get_string_len(l.v));
    } else {
        sgi_ag_report(a, AG_API_NAME_MISSING, NULL, o, 1,
                      "no operationId: APIG names the API after it, and the name it makes up "
                      "without one is not documented; add operationId");
    }
    if (sgi_sw_member(&l, o, "description") && json_object_is_type(l.v, json_type_string))
        sgi_ag_check_length(a, &l, 255, "an API description");
    unsupported_media(a, o);
    if (sgi_sw_member(&l, o, "responses"))
        check_responses(a, &l);

    /* Security first: the backend's $context.authorizer.* needs to know. */
    if (sgi_sw_member(&l, o, "security") || sgi_sw_member(&l, &a->sw.root, "security"))
        sgi_ag_check_security(a, &op, &l);
    struct json_object *bt;
    if (json_object_object_get_ex(o->v, PREFIX "backend", &bt))
        op.backend_type = sgi_sw_str(bt, "type");
    else {
        if (a->n_no_backend++ == 0)
            snprintf(a->first_no_backend, sizeof a->first_no_backend, "%.40s %.100s", o->key,
                     path);
    }
    for (struct lh_entry *it = json_object_get_object(o->v)->head; it && a->sw.st == SG_OK;
         it = it->next) {
        sgi_sw_loc f;
        sgi_sw_entry(&f, o, it);
        if (sgi_sw_is_ext(f.key) && placed(a, &f, AT_OP))
            check_op_field(a, &op, &f);
    }
    sgi_sw_map_fini(&op.params);
}

static const char *const METHODS[] = {"get",  "put",   "post", "delete", "options",
                                      "head", "patch", PREFIX "any-method"};

static void check_paths(sgi_ag *a)
{
    sgi_sw_loc paths;
    if (!sgi_sw_member(&paths, &a->sw.root, "paths") ||
        !json_object_is_type(paths.v, json_type_object))
        return;
    for (struct lh_entry *it = json_object_get_object(paths.v)->head; it && a->sw.st == SG_OK;
         it = it->next) {
        sgi_sw_loc item;
        sgi_sw_entry(&item, &paths, it);
        if (sgi_sw_is_ext(item.key)) {
            placed(a, &item, 0);
            continue;
        }
        char full[1100];
        snprintf(full, sizeof full, "%s%s", a->base_path, item.key);
        sgi_ag_check_path(a, &item, 1, full, 0);
        if (!json_object_is_type(item.v, json_type_object))
            continue;
        for (struct lh_entry *jt = json_object_get_object(item.v)->head; jt && a->sw.st == SG_OK;
             jt = jt->next) {
            sgi_sw_loc k;
            sgi_sw_entry(&k, &item, jt);
            int method = 0;
            for (size_t m = 0; m < sizeof METHODS / sizeof METHODS[0]; m++)
                if (strcmp(k.key, METHODS[m]) == 0)
                    method = 1;
            if (method)
                check_operation(a, &item, &k, full);
            else if (sgi_sw_is_ext(k.key))
                placed(a, &k, AT_PATH);
        }
    }
}

/* ---- the document ---------------------------------------------------------- */

static void check_document(sgi_ag *a)
{
    sgi_sw_loc l;
    a->base_path = "";
    if (sgi_sw_member(&l, &a->sw.root, "basePath") && json_object_is_type(l.v, json_type_string) &&
        strcmp(json_object_get_string(l.v), "/") != 0)
        a->base_path = json_object_get_string(l.v);
    if (sgi_sw_member(&l, &a->sw.root, "info") && json_object_is_type(l.v, json_type_object)) {
        sgi_sw_loc t;
        if (sgi_sw_member(&t, &l, "title") && json_object_is_type(t.v, json_type_string))
            sgi_ag_check_name(a, AG_N_GROUP, &t, 0, json_object_get_string(t.v),
                              (size_t)json_object_get_string_len(t.v));
    }
    unsupported_media(a, &a->sw.root);
    if (sgi_sw_member(&l, &a->sw.root, "securityDefinitions") &&
        json_object_is_type(l.v, json_type_object)) {
        a->secdefs = l.v;
        size_t n_authorizers = 0;
        sgi_ag_names names;
        sgi_ag_names_init(&names, a);
        names.what = "custom authorizer";
        names.code = "APIG.3211";
        for (struct lh_entry *it = json_object_get_object(l.v)->head; it; it = it->next) {
            sgi_sw_loc d;
            sgi_sw_entry(&d, &l, it);
            if (!json_object_is_type(d.v, json_type_object))
                continue;
            if (json_object_object_get_ex(d.v, PREFIX "authorizer", NULL)) {
                n_authorizers++;
                sgi_ag_names_add(a, &names, &d, 1, d.key, d.klen);
            }
            for (struct lh_entry *jt = json_object_get_object(d.v)->head; jt; jt = jt->next) {
                sgi_sw_loc f;
                sgi_sw_entry(&f, &d, jt);
                if (sgi_sw_is_ext(f.key) && placed(a, &f, AT_SECDEF))
                    sgi_ag_validate(a, &f, f.key);
            }
            sgi_ag_check_secdef(a, &d);
        }
        sgi_ag_names_fini(&names);
        if (n_authorizers > a->limits->apig_authorizers)
            sgi_ag_report(a, AG_QUOTA, "APIG.3116", &l, 1,
                          "%zu custom authorizers; APIG allows %llu per gateway (raise with "
                          "--limit apig-authorizers=N if yours allows more)",
                          n_authorizers, (unsigned long long)a->limits->apig_authorizers);
    }
    for (struct lh_entry *it = json_object_get_object(a->sw.root.v)->head; it; it = it->next) {
        sgi_sw_loc f;
        sgi_sw_entry(&f, &a->sw.root, it);
        if (sgi_sw_is_ext(f.key) && placed(a, &f, AT_ROOT))
            sgi_ag_validate(a, &f, f.key); /* ratelimits, access-controls, responses */
    }
    struct json_object *v;
    if (json_object_object_get_ex(a->sw.root.v, PREFIX "ratelimits", &v) &&
        json_object_is_type(v, json_type_object))
        a->ratelimits = v;
    if (json_object_object_get_ex(a->sw.root.v, PREFIX "access-controls", &v) &&
        json_object_is_type(v, json_type_object))
        a->acls = v;
    sgi_ag_check_root_policies(a);
    if (sgi_sw_member(&l, &a->sw.root, PREFIX "responses"))
        sgi_ag_check_gateway_responses(a, &l);
    if (sgi_sw_member(&l, &a->sw.root, "parameters") && json_object_is_type(l.v, json_type_object))
        for (struct lh_entry *it = json_object_get_object(l.v)->head; it; it = it->next) {
            sgi_sw_loc p;
            sgi_sw_entry(&p, &l, it);
            if (!sgi_sw_is_ext(p.key))
                check_param(a, NULL, &p);
        }

    check_paths(a);

    sgi_sw_loc paths;
    if (a->n_ops > a->limits->apig_apis && sgi_sw_member(&paths, &a->sw.root, "paths"))
        sgi_ag_report(a, AG_QUOTA, "APIG.3127", &paths, 1,
                      "the file defines %zu APIs; APIG imports at most %llu in one import "
                      "(split the file, or raise with --limit apig-apis=N if your quota was raised)",
                      a->n_ops, (unsigned long long)a->limits->apig_apis);
    if (a->n_no_backend && sgi_sw_member(&paths, &a->sw.root, "paths")) {
        char q[SW_QUOTE];
        sgi_sw_quote(&a->sw, q, sizeof q, a->first_no_backend, strlen(a->first_no_backend));
        sgi_ag_report(a, AG_BACKEND_MISSING, NULL, &paths, 1,
                      "%zu of %zu operations have no x-apigateway-backend (the first: %s); "
                      "whether APIG then refuses them or, with mock_mode, makes MOCK backends is "
                      "not documented",
                      a->n_no_backend, a->n_ops, q);
    }
}

sg_status sgi_check_apig(sgi_lint *lint)
{
    if (!lint || !lint->doc)
        return SG_EUSAGE;
    if (!json_object_is_type(lint->doc->root, json_type_object))
        return SG_OK; /* the model checker said so */
    sgi_ag a;
    memset(&a, 0, sizeof a);
    a.sw.lint = lint;
    a.sw.doc = lint->doc;
    a.sw.excerpt = (size_t)lint->doc->limits.excerpt_chars;
    if (a.sw.excerpt > SW_QUOTE_CHARS)
        a.sw.excerpt = SW_QUOTE_CHARS;
    sgi_sw_root(&a.sw.root, lint->doc);
    a.limits = lint->opts ? &lint->opts->limits : &lint->doc->limits;
    a.strict = lint->opts ? lint->opts->strict : 0;
    sg_options defaults;
    if (!lint->opts)
        sg_options_init(&defaults);
    a.opts = lint->opts ? lint->opts : &defaults;
    sgi_sw_map_init(&a.sw.seen, SW_ALLOC(&a.sw));
    sgi_sw_map_init(&a.sw.enum_hashes, SW_ALLOC(&a.sw));
    sgi_sw_map_init(&a.schemes_reported, SW_ALLOC(&a.sw));
    a.sw.st = sgi_ag_schema_open(&a);
    if (a.sw.st == SG_OK)
        check_document(&a);
    sgi_ag_schema_close(&a);
    sgi_sw_map_fini(&a.sw.seen);
    sgi_sw_map_fini(&a.sw.enum_hashes);
    sgi_sw_map_fini(&a.schemes_reported);
    sgi_regex_cache_free(a.sw.re);
    return a.sw.st;
}
