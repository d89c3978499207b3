/* The apig checker, part two: x-apigateway-backend and
 * x-apigateway-backend-policies (APIG.md 2.2 to 2.4), what needs code once
 * schemas/apig-extensions.json accepted the value's shape: endpoint objects
 * of another type, addresses, channel names, backend paths, what backend
 * parameters and conditions map, backend path variables, policy types
 * allowed under the default backend, condition patterns and quotas,
 * duplicate policy names. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

static const char *const TYPES[] = {"HTTP", "HTTP-VPC", "FUNCTION", "MOCK",
                                    "HTTP-VPC-MEMBER-GROUP"};
static const char *const ENDPOINTS[] = {"httpEndpoints", "httpVpcEndpoints", "functionEndpoints",
                                        "mockEndpoints", "httpVpcMemberGroupEndpoints"};
#define N_TYPES 5

static int type_index(const char *t)
{
    for (int i = 0; t && i < N_TYPES; i++)
        if (strcmp(t, TYPES[i]) == 0)
            return i;
    return -1;
}

/* ---- endpoint fields ---------------------------------------------------- */

/* What the schema cannot say about an address: host[:port] only (APIG.2024)
 * and a real port (APIG.2025); environment variables. An array of strings
 * is read too (the tables say "Array", APIG.md 6 Q6). */
static void check_address(sgi_ag *a, const sgi_sw_loc *at)
{
    if (json_object_is_type(at->v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(at->v); i++) {
            sgi_sw_loc e;
            sgi_sw_element(&e, at, i);
            check_address(a, &e);
        }
        return;
    }
    if (!json_object_is_type(at->v, json_type_string))
        return;
    const char *s = json_object_get_string(at->v);
    sgi_ag_check_env_vars(a, at, s);
    if (strstr(s, "://") || strchr(s, '/')) {
        sgi_ag_report(a, AG_BACKEND_ENDPOINT, "APIG.2024", at, 0,
                      "address is host[:port] only: the scheme goes to scheme and the path to "
                      "path");
        return;
    }
    const char *colon = strrchr(s, ':');
    if (colon && !strchr(s, ']') && strchr(s, ':') == colon && !strchr(colon, '#')) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || port < 1 || port > 65535)
            sgi_ag_report(a, AG_BACKEND_ENDPOINT, "APIG.2025", at, 0,
                          "the port of address is not a number from 1 to 65535");
    }
}

static void check_channel(sgi_ag *a, const sgi_sw_loc *at)
{
    if (json_object_is_type(at->v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(at->v); i++) {
            sgi_sw_loc e;
            sgi_sw_element(&e, at, i);
            check_channel(a, &e);
        }
    } else if (json_object_is_type(at->v, json_type_string)) {
        sgi_ag_check_name(a, AG_N_CHANNEL, at, 0, json_object_get_string(at->v),
                          (size_t)json_object_get_string_len(at->v));
    }
}

static void check_backend_path(sgi_ag *a, const sgi_sw_loc *obj)
{
    sgi_sw_loc l;
    if (sgi_sw_member(&l, obj, "path") && json_object_is_type(l.v, json_type_string))
        sgi_ag_check_path(a, &l, 0, json_object_get_string(l.v), 1);
}

/* The endpoint's names, addresses and paths (its fields' types, enums and
 * ranges are the schema's). */
static void check_endpoint(sgi_ag *a, int type, const sgi_sw_loc *ep)
{
    if (!json_object_is_type(ep->v, json_type_object))
        return;
    sgi_sw_loc l;
    if (type == 0 && sgi_sw_member(&l, ep, "address"))
        check_address(a, &l);
    if ((type == 1 || type == 4) && sgi_sw_member(&l, ep, "name"))
        check_channel(a, &l);
    if (type <= 1)
        check_backend_path(a, ep);
    if (type == 4 && sgi_sw_member(&l, ep, "memberGroupUrlInfos") &&
        json_object_is_type(l.v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(l.v); i++) {
            sgi_sw_loc e;
            sgi_sw_element(&e, &l, i);
            if (json_object_is_type(e.v, json_type_object))
                check_backend_path(a, &e);
        }
}

/* The endpoint object TYPE needs (the schema says when it is missing), and
 * none of another type. Returns its location in OUT (1) or 0. */
static int endpoint_of(sgi_ag *a, const sgi_sw_loc *obj, int type, sgi_sw_loc *out,
                       const char *what)
{
    int found = 0;
    for (int i = 0; i < N_TYPES; i++) {
        sgi_sw_loc l;
        if (!sgi_sw_member(&l, obj, ENDPOINTS[i]))
            continue;
        if (i == type) {
            *out = l;
            found = 1;
        } else {
            sgi_ag_report(a, AG_BACKEND_ENDPOINT, NULL, &l, 1,
                          "%s is for type %s; %s has type %s, so APIG ignores it", ENDPOINTS[i],
                          TYPES[i], what, TYPES[type]);
        }
    }
    return found;
}

/* ---- backend parameters ---------------------------------------------- */

/* The string V quoted into Q (SW_QUOTE bytes) the first time *DONE is 0. */
static const char *quote_once(sgi_ag *a, char *q, int *done, struct json_object *v)
{
    if (!*done) {
        sgi_sw_quote(&a->sw, q, SW_QUOTE, json_object_get_string(v),
                     (size_t)json_object_get_string_len(v));
        *done = 1;
    }
    return q;
}

static void check_bparams(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *list, sgi_sw_map *pathmap)
{
    if (!json_object_is_type(list->v, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(list->v) && a->sw.st == SG_OK; i++) {
        sgi_sw_loc e, l;
        sgi_sw_element(&e, list, i);
        if (!json_object_is_type(e.v, json_type_object))
            continue;
        const char *name = sgi_sw_str(e.v, "name");
        const char *in = sgi_sw_str(e.v, "in");
        const char *origin = sgi_sw_str(e.v, "origin");
        if (name && sgi_sw_member(&l, &e, "name"))
            sgi_ag_check_name(a, AG_N_PARAM, &l, 0, name, strlen(name));
        /* Case aside: apig-enum-case said so. */
        if (name && in && strcasecmp(in, "path") == 0 &&
            sgi_sw_map_put(pathmap, name, strlen(name), (void *)1, NULL) < 0)
            a->sw.st = SG_ENOMEM;
        if (!sgi_sw_member(&l, &e, "value") || !json_object_is_type(l.v, json_type_string))
            continue;
        const char *value = json_object_get_string(l.v);
        char q[SW_QUOTE];
        int quoted = 0; /* quoted once, and only when a report needs it */
        if (strncmp(value, "$context.authorizer.", 20) == 0 && !op->has_authorizer)
            sgi_ag_report(a, AG_AUTHORIZER_CONTEXT, NULL, &l, 0,
                          "\"%s\" is set only by a custom authorizer, and this operation's "
                          "security uses none",
                          quote_once(a, q, &quoted, l.v));
        if (origin && strcasecmp(origin, "REQUEST") == 0 && !sgi_ag_has_param(op, value))
            sgi_ag_report(a, AG_BACKEND_PARAM_UNDEFINED, NULL, &l, 0,
                          "this REQUEST backend parameter maps request parameter \"%s\", which "
                          "the operation does not declare; declare it or fix the name",
                          quote_once(a, q, &quoted, l.v));
        else if (origin && strcasecmp(origin, "CONSTANT") == 0)
            sgi_ag_check_length(a, &l, 255, "a CONSTANT backend parameter value");
    }
}

typedef struct varctx {
    sgi_ag *a;
    const sgi_sw_loc *at;
    sgi_sw_map *map;
} varctx;

static void backend_var(void *ctx, const char *name, size_t len)
{
    varctx *v = ctx;
    if (sgi_sw_map_get(v->map, name, len))
        return;
    char q[SW_QUOTE];
    sgi_sw_quote(&v->a->sw, q, sizeof q, name, len);
    sgi_ag_report(v->a, AG_BACKEND_PATH_PARAM_UNDEFINED, NULL, v->at, 0,
                  "backend path variable {%s} has no backend parameter with in: path and name "
                  "\"%s\"; add one to the backend's parameters",
                  q, q);
}

/* The fields a backend and a backend policy share: endpoint, parameters,
 * backend path variables. */
static void check_target(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *obj, int type,
                         const char *what)
{
    sgi_sw_map pathmap;
    sgi_sw_map_init(&pathmap, SW_ALLOC(&a->sw));
    sgi_sw_loc l, ep;
    if (sgi_sw_member(&l, obj, "parameters"))
        check_bparams(a, op, &l, &pathmap);
    if (endpoint_of(a, obj, type, &ep, what)) {
        check_endpoint(a, type, &ep);
        sgi_sw_loc p;
        if ((type <= 1) && sgi_sw_member(&p, &ep, "path") &&
            json_object_is_type(p.v, json_type_string)) {
            varctx v = {a, &p, &pathmap};
            sgi_ag_path_vars(json_object_get_string(p.v), backend_var, &v);
        }
    }
    sgi_sw_map_fini(&pathmap);
}

void sgi_ag_check_backend(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *backend)
{
    int type = type_index(sgi_sw_str(backend->v, "type"));
    if (type >= 0)
        check_target(a, op, backend, type, "x-apigateway-backend");
}

/* ---- backend policies --------------------------------------------------- */

static void check_conditions(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *list)
{
    if (!json_object_is_type(list->v, json_type_array))
        return;
    size_t n = json_object_array_length(list->v);
    /* APIG.3114 names the quota, no source its number (APIG.md 2.4). */
    if (n > a->limits->apig_conditions)
        sgi_ag_report(a, AG_CONDITION_QUOTA, NULL, list, 1,
                      "%zu conditions in one backend policy; the default of --limit "
                      "apig-conditions is %llu, as APIG's number is not published (raise it if "
                      "your gateway allows more)",
                      n, (unsigned long long)a->limits->apig_conditions);
    for (size_t i = 0; i < n; i++) {
        sgi_sw_loc e, l;
        sgi_sw_element(&e, list, i);
        if (!json_object_is_type(e.v, json_type_object))
            continue;
        const char *type = sgi_sw_str(e.v, "type");
        if (type && strcmp(type, "pattern") == 0 && sgi_sw_member(&l, &e, "value") &&
            json_object_is_type(l.v, json_type_string)) {
            if (!a->sw.re && !(a->sw.re = sgi_regex_cache_new_a(a->limits, SW_ALLOC(&a->sw)))) {
                a->sw.st = SG_ENOMEM;
                return;
            }
            char err[256] = "";
            size_t off = 0;
            if (!sgi_regex_get(a->sw.re, json_object_get_string(l.v),
                               (size_t)json_object_get_string_len(l.v), err, sizeof err, &off)) {
                if (!err[0]) {
                    a->sw.st = SG_ENOMEM;
                    return;
                }
                sgi_ag_report(a, AG_CONDITION_PATTERN, NULL, &l, 0,
                              "the pattern of this condition is not a valid regular expression: "
                              "%s at offset %zu; fix it or use type equal",
                              err, off);
            }
        }
        sgi_sw_loc origin, param;
        int has_param = sgi_sw_member(&param, &e, "parameter");
        if (!has_param && sgi_sw_member(&param, &e, "parameter_name")) {
            /* APIG.md 2.4 / Q7: the older example's key. */
            sgi_ag_report(a, AG_CONDITION_LEGACY, NULL, &param, 1,
                          "parameter_name is the older example's spelling; the current page "
                          "uses parameter, and which one the import reads is not documented");
            has_param = 1;
        }
        if (!sgi_sw_member(&origin, &e, "origin") ||
            !json_object_is_type(origin.v, json_type_string))
            continue;
        const char *o = json_object_get_string(origin.v);
        if (strcmp(o, "request_parameter") == 0)
            sgi_ag_report(a, AG_CONDITION_LEGACY, NULL, &origin, 0,
                          "origin request_parameter is the older example's spelling; the current "
                          "page says request, and which one the import reads is not documented");
        if (strcasecmp(o, "request") != 0 && strcmp(o, "request_parameter") != 0)
            continue;
        if (!has_param) {
            sgi_ag_report(a, AG_CONDITION, NULL, &e, 0,
                          "a condition with origin request needs parameter: the request "
                          "parameter it tests");
        } else if (json_object_is_type(param.v, json_type_string) &&
                   !sgi_ag_has_param(op, json_object_get_string(param.v))) {
            char q[SW_QUOTE];
            sgi_sw_quote(&a->sw, q, sizeof q, json_object_get_string(param.v),
                         (size_t)json_object_get_string_len(param.v));
            sgi_ag_report(a, AG_CONDITION, NULL, &param, 0,
                          "the condition tests request parameter \"%s\", which the operation "
                          "does not declare",
                          q);
        }
    }
}

/* APIG.md 2.4 (Restrictions and Compatibility): policy types per default. */
static int policy_allowed(int def, int pol)
{
    if (def == 0 || def == 1)
        return pol == 0 || pol == 1;
    if (def == 4)
        return 1; /* HTTP-VPC-MEMBER-GROUP: the sources say nothing (Q17) */
    return pol == def;
}

void sgi_ag_check_policies(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *policies)
{
    if (!json_object_is_type(policies->v, json_type_array))
        return;
    size_t n = json_object_array_length(policies->v);
    if (n > a->limits->apig_backend_policies)
        sgi_ag_report(a, AG_QUOTA, "APIG.3113", policies, 1,
                      "%zu backend policies; APIG allows %llu per API (raise with --limit "
                      "apig-backend-policies=N if your gateway allows more)",
                      n, (unsigned long long)a->limits->apig_backend_policies);
    int def = type_index(op->backend_type);
    sgi_ag_names names;
    sgi_ag_names_init(&names, a);
    names.what = "backend policy";
    names.code = "APIG.3210";
    for (size_t i = 0; i < n && a->sw.st == SG_OK; i++) {
        sgi_sw_loc e, l;
        sgi_sw_element(&e, policies, i);
        if (!json_object_is_type(e.v, json_type_object))
            continue;
        const char *name = sgi_sw_str(e.v, "name");
        if (name && sgi_sw_member(&l, &e, "name")) {
            sgi_ag_check_name(a, AG_N_BPOLICY, &l, 0, name, strlen(name));
            sgi_ag_names_add(a, &names, &l, 0, name, strlen(name));
        }
        if (sgi_sw_member(&l, &e, "conditions"))
            check_conditions(a, op, &l);
        int pol = type_index(sgi_sw_str(e.v, "type"));
        if (pol < 0 || !sgi_sw_member(&l, &e, "type"))
            continue;
        if (def >= 0 && !policy_allowed(def, pol))
            sgi_ag_report(a, AG_POLICY_BACKEND_TYPE, NULL, &l, 0,
                          "a %s backend policy is not allowed under a %s default backend (%s "
                          "allows %s policies only)",
                          TYPES[pol], TYPES[def], TYPES[def],
                          def <= 1 ? "HTTP and HTTP-VPC" : TYPES[def]);
        check_target(a, op, &e, pol, "a backend policy");
    }
    sgi_ag_names_fini(&names);
}
