/* The apig checker, part two: x-apigateway-backend and
 * x-apigateway-backend-policies (APIG.md 2.2 to 2.4): the backend type and
 * the endpoint object it needs, each endpoint's fields, backend parameters
 * and what they map, backend path variables, policy types allowed under the
 * default backend, conditions. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

static const char *const TYPES[] = {"HTTP", "HTTP-VPC", "FUNCTION", "MOCK",
                                    "HTTP-VPC-MEMBER-GROUP"};
static const char *const ENDPOINTS[] = {"httpEndpoints", "httpVpcEndpoints", "functionEndpoints",
                                        "mockEndpoints", "httpVpcMemberGroupEndpoints"};
#define N_TYPES 5
static const char *const METHODS[] = {"GET",  "POST",    "PUT",   "DELETE",
                                      "HEAD", "OPTIONS", "PATCH", "ANY"};
static const char *const SCHEMES[] = {"http", "https"};

static int type_index(const char *t)
{
    for (int i = 0; t && i < N_TYPES; i++)
        if (strcmp(t, TYPES[i]) == 0)
            return i;
    return -1;
}

/* ---- endpoint fields ---------------------------------------------------- */

/* APIG.md 2.2 / Q8: 1 to 60000 ms in the file; up to 600000 where the gateway's
 * backend_timeout was raised, which the import may or may not accept. */
static void check_timeout(sgi_ag *a, const sgi_sw_loc *obj)
{
    sgi_sw_loc t;
    int64_t v;
    if (!sgi_sw_member(&t, obj, "timeout") || sgi_ag_int(a, &t, &v) < 0)
        return;
    if (v >= 1 && v <= 60000)
        return;
    if (v > 60000 && v <= 600000)
        sgi_ag_report(a, AG_TIMEOUT_EXTENDED, NULL, &t, 0,
                      "timeout %lld ms is past the 60000 ms the extension pages allow; gateways "
                      "with a raised backend_timeout take up to 600000, whether the import does "
                      "is not documented",
                      (long long)v);
    else
        sgi_ag_report(a, AG_TIMEOUT, NULL, &t, 0,
                      "timeout must be 1 to 60000 ms (default 5000), not %lld", (long long)v);
}

/* address or channel name: a string; the tables say "Array" (Q6), so an array
 * of strings is read too. */
static void each_string(sgi_ag *a, const sgi_sw_loc *at,
                        void (*fn)(sgi_ag *, const sgi_sw_loc *, const char *))
{
    if (json_object_is_type(at->v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(at->v); i++) {
            sgi_sw_loc e;
            sgi_sw_element(&e, at, i);
            if (sgi_ag_type(a, &e, AG_T_STRING))
                fn(a, &e, json_object_get_string(e.v));
        }
    } else if (sgi_ag_type(a, at, AG_T_STRING)) {
        fn(a, at, json_object_get_string(at->v));
    }
}

static void check_address(sgi_ag *a, const sgi_sw_loc *at, const char *s)
{
    sgi_ag_check_length(a, at, 255, "a backend address");
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

static void check_channel(sgi_ag *a, const sgi_sw_loc *at, const char *s)
{
    sgi_ag_check_name(a, AG_N_CHANNEL, at, 0, s, strlen(s));
}

static void check_http_like(sgi_ag *a, const sgi_sw_loc *ep, int vpc, const char *what)
{
    sgi_sw_loc l;
    if (sgi_ag_need(a, ep, vpc ? "name" : "address", &l, what))
        each_string(a, &l, vpc ? check_channel : check_address);
    if (sgi_ag_need(a, ep, "scheme", &l, what))
        sgi_ag_enum(a, &l, SCHEMES, 2);
    if (sgi_ag_need(a, ep, "method", &l, what))
        sgi_ag_enum(a, &l, METHODS, 8);
    if (sgi_ag_need(a, ep, "path", &l, what) && sgi_ag_type(a, &l, AG_T_STRING))
        sgi_ag_check_path(a, &l, 0, json_object_get_string(l.v), 1);
    check_timeout(a, ep);
    /* Export-only field (APIG.md 2.2): a string "-1" to "10". */
    if (sgi_sw_member(&l, ep, "retryCount") && sgi_ag_type(a, &l, AG_T_STRING | AG_T_INT)) {
        char *end;
        const char *s = json_object_get_string(l.v);
        long v = strtol(s, &end, 10);
        if (*end || end == s || v < -1 || v > 10)
            sgi_ag_report(a, AG_BACKEND_ENDPOINT, NULL, &l, 0,
                          "retryCount must be \"-1\" (default: idempotent methods retry once) to "
                          "\"10\"");
    }
}

static void check_endpoint(sgi_ag *a, int type, const sgi_sw_loc *ep)
{
    if (!sgi_ag_type(a, ep, AG_T_OBJECT))
        return;
    sgi_sw_loc l;
    switch (type) {
    case 0: check_http_like(a, ep, 0, "httpEndpoints"); break;
    case 1: check_http_like(a, ep, 1, "httpVpcEndpoints"); break;
    case 2:
        if (sgi_ag_need(a, ep, "function-urn", &l, "functionEndpoints"))
            sgi_ag_type(a, &l, AG_T_STRING);
        if (sgi_ag_need(a, ep, "version", &l, "functionEndpoints") &&
            sgi_ag_type(a, &l, AG_T_STRING))
            sgi_ag_check_length(a, &l, 64, "a function version");
        if (sgi_ag_need(a, ep, "invocation-type", &l, "functionEndpoints")) {
            /* The page's own example says "synchronous" (APIG.md 2.2): the enum wins. */
            static const char *const V[] = {"sync", "async"};
            sgi_ag_enum(a, &l, V, 2);
        }
        check_timeout(a, ep);
        break;
    case 3:
        if (sgi_ag_need(a, ep, "result-content", &l, "mockEndpoints"))
            sgi_ag_type(a, &l, AG_T_STRING);
        break;
    default:
        if (sgi_ag_need(a, ep, "name", &l, "httpVpcMemberGroupEndpoints"))
            each_string(a, &l, check_channel);
        if (sgi_ag_need(a, ep, "memberGroupUrlInfos", &l, "httpVpcMemberGroupEndpoints") &&
            sgi_ag_type(a, &l, AG_T_ARRAY))
            for (size_t i = 0; i < json_object_array_length(l.v); i++) {
                sgi_sw_loc e, f;
                sgi_sw_element(&e, &l, i);
                if (!sgi_ag_type(a, &e, AG_T_OBJECT))
                    continue;
                if (sgi_ag_need(a, &e, "name", &f, "a memberGroupUrlInfos entry"))
                    sgi_ag_type(a, &f, AG_T_STRING);
                if (sgi_ag_need(a, &e, "scheme", &f, "a memberGroupUrlInfos entry"))
                    sgi_ag_enum(a, &f, SCHEMES, 2);
                if (sgi_ag_need(a, &e, "method", &f, "a memberGroupUrlInfos entry"))
                    sgi_ag_enum(a, &f, METHODS, 8);
                if (sgi_ag_need(a, &e, "path", &f, "a memberGroupUrlInfos entry") &&
                    sgi_ag_type(a, &f, AG_T_STRING))
                    sgi_ag_check_path(a, &f, 0, json_object_get_string(f.v), 1);
            }
        check_timeout(a, ep);
        break;
    }
}

/* The endpoint object TYPE needs, and none of another type. Returns its
 * location in OUT (1) or 0. */
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
    if (!found)
        sgi_ag_report(a, AG_BACKEND_ENDPOINT, NULL, obj, 1, "%s of type %s needs %s", what,
                      TYPES[type], ENDPOINTS[type]);
    return found;
}

/* ---- backend parameters ---------------------------------------------- */

static void check_bparams(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *list, sgi_sw_map *pathmap)
{
    if (!sgi_ag_type(a, list, AG_T_ARRAY))
        return;
    for (size_t i = 0; i < json_object_array_length(list->v) && a->sw.st == SG_OK; i++) {
        sgi_sw_loc e, l, in, origin;
        sgi_sw_element(&e, list, i);
        if (!sgi_ag_type(a, &e, AG_T_OBJECT))
            continue;
        const char *what = "a backend parameter";
        if (sgi_ag_need(a, &e, "name", &l, what) && sgi_ag_type(a, &l, AG_T_STRING))
            sgi_ag_check_name(a, AG_N_PARAM, &l, 0, json_object_get_string(l.v),
                              (size_t)json_object_get_string_len(l.v));
        int in_ok = 0, orig = -1;
        if (sgi_ag_need(a, &e, "in", &in, what)) {
            static const char *const V[] = {"header", "query", "path"};
            in_ok = sgi_ag_enum(a, &in, V, 3) > 0;
        }
        if (sgi_ag_need(a, &e, "origin", &origin, what)) {
            /* SYSTEM ($context.*) is an API value the file pages do not list, but
             * APIG.2036 shows the import reads $context values. */
            static const char *const V[] = {"REQUEST", "CONSTANT", "SYSTEM"};
            int r = sgi_ag_enum(a, &origin, V, 3);
            if (r > 0)
                orig = strcasecmp(json_object_get_string(origin.v), "REQUEST") == 0    ? 0
                       : strcasecmp(json_object_get_string(origin.v), "CONSTANT") == 0 ? 1
                                                                                         : 2;
        }
        const char *name = sgi_sw_str(e.v, "name");
        if (in_ok && name && strcasecmp(json_object_get_string(in.v), "path") == 0 &&
            sgi_sw_map_put(pathmap, name, strlen(name), (void *)1, NULL) < 0)
            a->sw.st = SG_ENOMEM;
        if (!sgi_ag_need(a, &e, "value", &l, what) || !sgi_ag_type(a, &l, AG_T_STRING))
            continue;
        const char *value = json_object_get_string(l.v);
        char q[SW_QUOTE];
        sgi_sw_quote(&a->sw, q, sizeof q, value, (size_t)json_object_get_string_len(l.v));
        if (strncmp(value, "$context.authorizer.", 20) == 0 && !op->has_authorizer)
            sgi_ag_report(a, AG_AUTHORIZER_CONTEXT, NULL, &l, 0,
                          "\"%s\" is set only by a custom authorizer, and this operation's "
                          "security uses none",
                          q);
        if (orig == 0 && !sgi_ag_has_param(op, value))
            sgi_ag_report(a, AG_BACKEND_PARAM_UNDEFINED, NULL, &l, 0,
                          "this REQUEST backend parameter maps request parameter \"%s\", which "
                          "the operation does not declare; declare it or fix the name",
                          q);
        else if (orig == 1)
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
    memset(&pathmap, 0, sizeof pathmap);
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
    if (!sgi_ag_type(a, backend, AG_T_OBJECT))
        return;
    sgi_sw_loc t;
    if (!sgi_ag_need(a, backend, "type", &t, "x-apigateway-backend"))
        return;
    if (sgi_ag_enum(a, &t, TYPES, N_TYPES) != 1)
        return;
    check_target(a, op, backend, type_index(json_object_get_string(t.v)), "x-apigateway-backend");
}

/* ---- backend policies --------------------------------------------------- */

static void check_conditions(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *list)
{
    if (!sgi_ag_type(a, list, AG_T_ARRAY))
        return;
    if (json_object_array_length(list->v) == 0)
        sgi_ag_report(a, AG_CONDITION, NULL, list, 0,
                      "a backend policy needs at least one condition");
    for (size_t i = 0; i < json_object_array_length(list->v); i++) {
        sgi_sw_loc e, l;
        sgi_sw_element(&e, list, i);
        if (!sgi_ag_type(a, &e, AG_T_OBJECT))
            continue;
        const char *what = "a condition";
        if (sgi_ag_need(a, &e, "type", &l, what)) {
            static const char *const V[] = {"equal", "enum", "pattern"};
            sgi_ag_enum(a, &l, V, 3);
        }
        if (sgi_ag_need(a, &e, "value", &l, what))
            sgi_ag_type(a, &l, AG_T_STRING);
        sgi_sw_loc origin, param;
        int has_param = sgi_sw_member(&param, &e, "parameter");
        if (!has_param && sgi_sw_member(&param, &e, "parameter_name")) {
            /* APIG.md 2.4 / Q7: the older example's key. */
            sgi_ag_report(a, AG_CONDITION_LEGACY, NULL, &param, 1,
                          "parameter_name is the older example's spelling; the current page "
                          "uses parameter, and which one the import reads is not documented");
            has_param = 1;
        }
        if (!sgi_ag_need(a, &e, "origin", &origin, what) || !sgi_ag_type(a, &origin, AG_T_STRING))
            continue;
        const char *o = json_object_get_string(origin.v);
        int request = 0;
        if (strcmp(o, "request_parameter") == 0) {
            sgi_ag_report(a, AG_CONDITION_LEGACY, NULL, &origin, 0,
                          "origin request_parameter is the older example's spelling; the current "
                          "page says request, and which one the import reads is not documented");
            request = 1;
        } else {
            static const char *const V[] = {"source", "request"};
            int r = sgi_ag_enum(a, &origin, V, 2);
            request = r > 0 && strcasecmp(o, "request") == 0;
        }
        if (!request)
            continue;
        if (!has_param) {
            sgi_ag_report(a, AG_CONDITION, NULL, &e, 0,
                          "a condition with origin request needs parameter: the request "
                          "parameter it tests");
        } else if (sgi_ag_type(a, &param, AG_T_STRING) &&
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
    if (!sgi_ag_type(a, policies, AG_T_ARRAY))
        return;
    size_t n = json_object_array_length(policies->v);
    if (n > a->limits->apig_backend_policies)
        sgi_ag_report(a, AG_QUOTA, "APIG.3113", policies, 1,
                      "%zu backend policies; APIG allows %llu per API (raise with --limit "
                      "apig-backend-policies=N if your gateway allows more)",
                      n, (unsigned long long)a->limits->apig_backend_policies);
    int def = type_index(op->backend_type);
    for (size_t i = 0; i < n && a->sw.st == SG_OK; i++) {
        sgi_sw_loc e, l;
        sgi_sw_element(&e, policies, i);
        if (!sgi_ag_type(a, &e, AG_T_OBJECT))
            continue;
        const char *what = "a backend policy";
        if (sgi_ag_need(a, &e, "name", &l, what) && sgi_ag_type(a, &l, AG_T_STRING))
            sgi_ag_check_name(a, AG_N_BPOLICY, &l, 0, json_object_get_string(l.v),
                              (size_t)json_object_get_string_len(l.v));
        if (sgi_ag_need(a, &e, "conditions", &l, what))
            check_conditions(a, op, &l);
        if (!sgi_ag_need(a, &e, "type", &l, what) || sgi_ag_enum(a, &l, TYPES, N_TYPES) != 1)
            continue;
        int pol = type_index(json_object_get_string(l.v));
        if (def >= 0 && !policy_allowed(def, pol))
            sgi_ag_report(a, AG_POLICY_BACKEND_TYPE, NULL, &l, 0,
                          "a %s backend policy is not allowed under a %s default backend (%s "
                          "allows %s policies only)",
                          TYPES[pol], TYPES[def], TYPES[def],
                          def <= 1 ? "HTTP and HTTP-VPC" : TYPES[def]);
        check_target(a, op, &e, pol, what);
    }
}
