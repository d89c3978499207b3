/* The apig checker, part three: the root policy maps and their bindings
 * (APIG.md 2.5), security definitions with their auth type, auth options
 * and custom authorizers (2.1, 2.6), and gateway responses (2.7). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

#define INT32_CAP 2147483647 /* APIG.md 2.5: limits are positive int32 */

/* ---- ratelimits ------------------------------------------------------------ */

/* A positive limit; its value in *OUT (0 when absent or bad). */
static int limit_field(sgi_ag *a, const sgi_sw_loc *pol, const char *key, int64_t *out)
{
    sgi_sw_loc l;
    *out = 0;
    if (!sgi_sw_member(&l, pol, key) || sgi_ag_int(a, &l, out) < 0)
        return 0;
    if (*out < 1 || *out > INT32_CAP) {
        sgi_ag_report(a, AG_RATELIMIT_LIMITS, NULL, &l, 0,
                      "%s must be a whole number from 1 to 2147483647", key);
        *out = 0;
        return 0;
    }
    return 1;
}

static void order(sgi_ag *a, const sgi_sw_loc *pol, const char *small, int64_t sv,
                  const char *big, int64_t bv)
{
    sgi_sw_loc l;
    if (sv && bv && sv > bv && sgi_sw_member(&l, pol, small))
        sgi_ag_report(a, AG_RATELIMIT_LIMITS, NULL, &l, 0,
                      "%s (%lld) may not exceed %s (%lld)", small, (long long)sv, big,
                      (long long)bv);
}

static void check_ratelimit(sgi_ag *a, const sgi_sw_loc *pol)
{
    if (!sgi_ag_type(a, pol, AG_T_OBJECT))
        return;
    const char *what = "a throttling policy";
    sgi_sw_loc l;
    int64_t api = 0, user = 0, app = 0, ip = 0, v;
    if (sgi_ag_need(a, pol, "api-limit", NULL, what))
        limit_field(a, pol, "api-limit", &api);
    limit_field(a, pol, "user-limit", &user);
    limit_field(a, pol, "app-limit", &app);
    limit_field(a, pol, "ip-limit", &ip);
    if (sgi_ag_need(a, pol, "interval", NULL, what))
        limit_field(a, pol, "interval", &v);
    if (sgi_ag_need(a, pol, "unit", &l, what)) {
        static const char *const U[] = {"SECOND", "MINUTE", "HOUR", "DAY"};
        sgi_ag_enum(a, &l, U, 4);
    }
    order(a, pol, "user-limit", user, "api-limit", api);
    order(a, pol, "app-limit", app, "user-limit", user);
    order(a, pol, "ip-limit", ip, "api-limit", api);
    if (sgi_sw_member(&l, pol, "shared"))
        sgi_ag_type(a, &l, AG_T_BOOL);
    if (sgi_sw_member(&l, pol, "special") && sgi_ag_type(a, &l, AG_T_ARRAY))
        for (size_t i = 0; i < json_object_array_length(l.v); i++) {
            sgi_sw_loc e, f;
            sgi_sw_element(&e, &l, i);
            if (!sgi_ag_type(a, &e, AG_T_OBJECT))
                continue;
            if (sgi_ag_need(a, &e, "type", &f, "a special throttling entry")) {
                static const char *const T[] = {"APP", "USER"};
                sgi_ag_enum(a, &f, T, 2);
            }
            if (sgi_ag_need(a, &e, "limit", NULL, "a special throttling entry"))
                limit_field(a, &e, "limit", &v);
            if (sgi_ag_need(a, &e, "instance", &f, "a special throttling entry"))
                sgi_ag_type(a, &f, AG_T_STRING);
        }
}

/* ---- access controls ---------------------------------------------------- */

/* One ACL entry: an IPv4 or IPv6 address, a CIDR, or a range a-b. */
static int ip_ok(const char *s, size_t len)
{
    const char *dash = memchr(s, '-', len);
    if (dash)
        return ip_ok(s, (size_t)(dash - s)) && ip_ok(dash + 1, len - (size_t)(dash - s) - 1);
    const char *slash = memchr(s, '/', len);
    size_t alen = slash ? (size_t)(slash - s) : len;
    int v4 = sgi_format_check("ipv4", s, alen) == 1;
    int v6 = !v4 && sgi_format_check("ipv6", s, alen) == 1;
    if (!v4 && !v6)
        return 0;
    if (!slash)
        return 1;
    size_t plen = len - alen - 1;
    if (plen == 0 || plen > 3)
        return 0;
    int bits = 0;
    for (size_t i = 0; i < plen; i++) {
        if (slash[1 + i] < '0' || slash[1 + i] > '9')
            return 0;
        bits = bits * 10 + (slash[1 + i] - '0');
    }
    return bits <= (v4 ? 32 : 128);
}

static void check_acl_value(sgi_ag *a, const sgi_sw_loc *at)
{
    const char *s = json_object_get_string(at->v);
    size_t n = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        const char *p = s;
        size_t l = len;
        while (l && (*p == ' ')) {
            p++;
            l--;
        }
        while (l && p[l - 1] == ' ')
            l--;
        n++;
        if (!ip_ok(p, l)) {
            char q[SW_QUOTE];
            sgi_sw_quote(&a->sw, q, sizeof q, p, l);
            sgi_ag_report(a, AG_ACL_VALUE, NULL, at, 0,
                          "\"%s\" is not an IPv4 or IPv6 address, a CIDR or a range a-b", q);
            return;
        }
        s += len;
        if (*s == ',')
            s++;
    }
    if (n == 0)
        sgi_ag_report(a, AG_ACL_VALUE, NULL, at, 0, "the access control value lists no address");
    else if (n > 100)
        sgi_ag_report(a, AG_ACL_VALUE, NULL, at, 0,
                      "the access control value lists %zu entries; APIG allows 100", n);
}

static void check_acl(sgi_ag *a, const sgi_sw_loc *pol)
{
    if (!sgi_ag_type(a, pol, AG_T_OBJECT))
        return;
    const char *what = "an access control policy";
    sgi_sw_loc l;
    if (sgi_ag_need(a, pol, "acl-type", &l, what)) {
        static const char *const V[] = {"PERMIT", "DENY"};
        sgi_ag_enum(a, &l, V, 2);
    }
    if (sgi_ag_need(a, pol, "entity-type", &l, what)) {
        static const char *const V[] = {"IP"};
        sgi_ag_enum(a, &l, V, 1);
    }
    if (sgi_ag_need(a, pol, "value", &l, what) && sgi_ag_type(a, &l, AG_T_STRING))
        check_acl_value(a, &l);
}

static void check_map(sgi_ag *a, const char *key, uint64_t quota, const char *limit,
                      const char *code, void (*fn)(sgi_ag *, const sgi_sw_loc *))
{
    sgi_sw_loc m;
    if (!sgi_sw_member(&m, &a->sw.root, key) || !sgi_ag_type(a, &m, AG_T_OBJECT))
        return;
    size_t n = 0;
    for (struct lh_entry *it = json_object_get_object(m.v)->head; it && a->sw.st == SG_OK;
         it = it->next) {
        sgi_sw_loc p;
        sgi_sw_entry(&p, &m, it);
        n++;
        sgi_ag_check_name(a, AG_N_THROTTLE, &p, 1, p.key, p.klen);
        fn(a, &p);
    }
    if (n > quota)
        sgi_ag_report(a, AG_QUOTA, code, &m, 1,
                      "%zu policies; APIG allows %llu per gateway (raise with --limit %s=N if "
                      "yours allows more)",
                      n, (unsigned long long)quota, limit);
}

void sgi_ag_check_root_policies(sgi_ag *a)
{
    check_map(a, "x-apigateway-ratelimits", a->limits->apig_ratelimits, "apig-ratelimits",
              "APIG.3107", check_ratelimit);
    check_map(a, "x-apigateway-access-controls", a->limits->apig_acls, "apig-acls", "APIG.3112",
              check_acl);
}

void sgi_ag_check_binding(sgi_ag *a, const sgi_sw_loc *at, int acl)
{
    if (!sgi_ag_type(a, at, AG_T_STRING))
        return;
    struct json_object *map = acl ? a->acls : a->ratelimits;
    const char *name = json_object_get_string(at->v);
    if (map && json_object_object_get_ex(map, name, NULL))
        return;
    char q[SW_QUOTE];
    sgi_sw_quote(&a->sw, q, sizeof q, name, (size_t)json_object_get_string_len(at->v));
    sgi_ag_report(a, AG_POLICY_UNDEFINED, acl ? "APIG.3006" : "APIG.3005", at, 0,
                  "\"%s\" is not a policy of the root x-apigateway-%s; define it there (a "
                  "policy that exists only on the gateway is not documented to bind)",
                  q, acl ? "access-controls" : "ratelimits");
}

/* ---- security definitions ------------------------------------------------- */

static void check_authorizer(sgi_ag *a, const sgi_sw_loc *def, const sgi_sw_loc *az)
{
    sgi_ag_check_name(a, AG_N_AUTHORIZER, def, 1, def->key, def->klen);
    if (!sgi_ag_type(a, az, AG_T_OBJECT))
        return;
    const char *what = "x-apigateway-authorizer";
    sgi_sw_loc l;
    int64_t v;
    if (sgi_ag_need(a, az, "authorizer_type", &l, what)) {
        static const char *const V[] = {"FUNC"};
        sgi_ag_enum(a, &l, V, 1);
    }
    if (sgi_ag_need(a, az, "authorizer_uri", &l, what))
        sgi_ag_type(a, &l, AG_T_STRING);
    if (sgi_ag_need(a, az, "type", &l, what)) {
        static const char *const V[] = {"FRONTEND", "BACKEND"};
        sgi_ag_enum(a, &l, V, 2);
    }
    if (sgi_sw_member(&l, az, "network_type")) {
        static const char *const V[] = {"V1", "V2"};
        sgi_ag_enum(a, &l, V, 2);
    }
    if (sgi_sw_member(&l, az, "authorizer_version") && sgi_ag_type(a, &l, AG_T_STRING))
        sgi_ag_check_length(a, &l, 64, "authorizer_version");
    if (sgi_sw_member(&l, az, "need_body"))
        sgi_ag_type(a, &l, AG_T_BOOL);
    if (sgi_sw_member(&l, az, "auth_downgrade_enabled"))
        sgi_ag_type(a, &l, AG_T_BOOL);
    if (sgi_sw_member(&l, az, "ttl") && sgi_ag_int(a, &l, &v) > 0 && (v < 0 || v > 3600))
        sgi_ag_report(a, AG_AUTHORIZER, NULL, &l, 0, "ttl must be 0 to 3600, not %lld",
                      (long long)v);
    if (sgi_sw_member(&l, az, "timeout") && sgi_ag_int(a, &l, &v) > 0 && (v < 1 || v > 600000))
        sgi_ag_report(a, AG_AUTHORIZER, "APIG.2046", &l, 0,
                      "timeout must be 1 to 600000 ms (600 s) and no more than the function's");
    if (sgi_sw_member(&l, az, "retry_attempts") && sgi_ag_int(a, &l, &v) > 0 &&
        (v < 0 || v > 10))
        sgi_ag_report(a, AG_AUTHORIZER, "APIG.2047", &l, 0, "retry_attempts must be 0 to 10");
    if (sgi_sw_member(&l, az, "identities") && sgi_ag_type(a, &l, AG_T_ARRAY))
        for (size_t i = 0; i < json_object_array_length(l.v); i++) {
            sgi_sw_loc e, f;
            sgi_sw_element(&e, &l, i);
            if (!sgi_ag_type(a, &e, AG_T_OBJECT))
                continue;
            if (sgi_ag_need(a, &e, "name", &f, "an identity source"))
                sgi_ag_type(a, &f, AG_T_STRING);
            if (sgi_ag_need(a, &e, "location", &f, "an identity source")) {
                static const char *const V[] = {"HEADER", "QUERY"};
                sgi_ag_enum(a, &f, V, 2);
            }
            if (sgi_sw_member(&f, &e, "validation") && sgi_ag_type(a, &f, AG_T_STRING))
                sgi_ag_check_length(a, &f, 2048, "an identity validation");
        }
}

void sgi_ag_check_secdef(sgi_ag *a, const sgi_sw_loc *def)
{
    sgi_sw_loc at, l;
    int has_at = sgi_sw_member(&at, def, "x-apigateway-auth-type");
    int has_az = sgi_sw_member(&l, def, "x-apigateway-authorizer");
    if (has_az)
        check_authorizer(a, def, &l);
    if (has_at && sgi_ag_type(a, &at, AG_T_STRING)) {
        const char *v = json_object_get_string(at.v);
        if (strcmp(v, "AppSigv1") == 0 || strcmp(v, "IAM") == 0) {
            /* documented */
        } else if (strcmp(v, "IAM_NONE") == 0 || strcmp(v, "AUTHORIZER") == 0) {
            sgi_ag_report(a, AG_AUTH_TYPE_UNSETTLED, NULL, &at, 0,
                          "%s is not on APIG's extension page (AppSigv1, IAM); %s", v,
                          v[0] == 'I' ? "legacy v1 and ROMA Connect list it"
                                      : "only third-party generators write it for custom "
                                        "authorizers");
        } else {
            char q[SW_QUOTE];
            sgi_sw_quote(&a->sw, q, sizeof q, v, (size_t)json_object_get_string_len(at.v));
            const char *hint = strcasecmp(v, "APP") == 0 || strncasecmp(v, "appsig", 6) == 0
                                   ? "; APP is the API's auth_type value, the file says AppSigv1"
                                   : "";
            sgi_ag_report(a, AG_AUTH_TYPE, NULL, &at, 0,
                          "x-apigateway-auth-type \"%s\" is not AppSigv1 or IAM%s", q, hint);
        }
        const char *type = sgi_sw_str(def->v, "type"), *in = sgi_sw_str(def->v, "in");
        if (!type || strcmp(type, "apiKey") != 0 || !in || strcmp(in, "header") != 0 ||
            !sgi_sw_str(def->v, "name"))
            sgi_ag_report(a, AG_AUTH_TYPE, NULL, def, 1,
                          "a scheme with x-apigateway-auth-type must be type: apiKey, in: header, "
                          "with a name (Authorization for AppSigv1, unused for IAM)");
        if (sgi_sw_member(&l, def, "x-apigateway-auth-opt") && sgi_ag_type(a, &l, AG_T_OBJECT)) {
            sgi_sw_loc o;
            if (sgi_sw_member(&o, &l, "appcode-auth-type")) {
                static const char *const V[] = {"disable", "header"};
                sgi_ag_enum(a, &o, V, 2);
            }
            if (strcmp(v, "AppSigv1") != 0)
                sgi_ag_report(a, AG_AUTH_TYPE, NULL, &l, 1,
                              "x-apigateway-auth-opt (AppCode) applies to AppSigv1 only");
        }
    } else if (!has_at && has_az) {
        sgi_ag_report(a, AG_AUTH_TYPE_UNSETTLED, NULL, def, 1,
                      "a custom authorizer scheme without x-apigateway-auth-type: which value "
                      "goes with an authorizer is not documented (APIG.md section 6 Q5)");
    }
}

void sgi_ag_check_security(sgi_ag *a, sgi_ag_op *op, const sgi_sw_loc *sec)
{
    if (!json_object_is_type(sec->v, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(sec->v); i++) {
        sgi_sw_loc req;
        sgi_sw_element(&req, sec, i);
        if (!json_object_is_type(req.v, json_type_object))
            continue;
        for (struct lh_entry *it = json_object_get_object(req.v)->head; it; it = it->next) {
            sgi_sw_loc name;
            sgi_sw_entry(&name, &req, it);
            struct json_object *def;
            if (!a->secdefs || !json_object_object_get_ex(a->secdefs, name.key, &def) ||
                !json_object_is_type(def, json_type_object))
                continue; /* the swagger checker reports undefined names */
            if (json_object_object_get_ex(def, "x-apigateway-authorizer", NULL)) {
                op->has_authorizer = 1;
                continue;
            }
            if (json_object_object_get_ex(def, "x-apigateway-auth-type", NULL))
                continue;
            /* Once per scheme: real specs name one scheme from hundreds of operations. */
            int r = sgi_sw_map_put(&a->schemes_reported, name.key, name.klen, (void *)1, NULL);
            if (r < 0)
                a->sw.st = SG_ENOMEM;
            if (r != 1)
                continue;
            char q[SW_QUOTE];
            sgi_sw_quote(&a->sw, q, sizeof q, name.key, name.klen);
            sgi_ag_report(a, AG_SECURITY_AUTH_TYPE, NULL, &name, 1,
                          "security scheme \"%s\" has no x-apigateway-auth-type, so APIG cannot "
                          "tell the authentication mode; add AppSigv1 or IAM to it (said once "
                          "per scheme)",
                          q);
        }
    }
}

/* ---- gateway responses ------------------------------------------------------- */

static const char *const ERROR_TYPES[] = {
    "AUTH_FAILURE", "AUTH_HEADER_MISSING", "AUTHORIZER_FAILURE", "AUTHORIZER_CONF_FAILURE",
    "AUTHORIZER_IDENTITIES_FAILURE", "BACKEND_UNAVAILABLE", "BACKEND_TIMEOUT", "THROTTLED",
    "UNAUTHORIZED", "ACCESS_DENIED", "NOT_FOUND", "REQUEST_PARAMETERS_FAILURE", "DEFAULT_4XX",
    "DEFAULT_5XX", "THIRD_AUTH_FAILURE", "THIRD_AUTH_IDENTITIES_FAILURE", "THIRD_AUTH_CONF_FAILURE",
    "OIDC_AUTH_TOKEN_VERIFY_FAIL", "OIDC_AUTH_GET_DISCOVERY_ERROR", "OIDC_AUTH_CODE_FLOW_FAIL",
    "JWT_AUTH_FAILURE", "ORCHESTRATION_PARAMETER_NOT_FOUND", "ORCHESTRATION_FAILURE"};
#define N_ERROR_TYPES (sizeof ERROR_TYPES / sizeof ERROR_TYPES[0])

void sgi_ag_check_gateway_responses(sgi_ag *a, const sgi_sw_loc *resps)
{
    if (!sgi_ag_type(a, resps, AG_T_OBJECT))
        return;
    for (struct lh_entry *it = json_object_get_object(resps->v)->head; it; it = it->next) {
        sgi_sw_loc r;
        sgi_sw_entry(&r, resps, it);
        sgi_ag_check_name(a, AG_N_RESPONSE, &r, 1, r.key, r.klen);
        if (!sgi_ag_type(a, &r, AG_T_OBJECT))
            continue;
        for (struct lh_entry *jt = json_object_get_object(r.v)->head; jt; jt = jt->next) {
            sgi_sw_loc e, s;
            sgi_sw_entry(&e, &r, jt);
            size_t k = 0;
            while (k < N_ERROR_TYPES && strcmp(e.key, ERROR_TYPES[k]) != 0)
                k++;
            if (k == N_ERROR_TYPES) {
                char q[SW_QUOTE];
                sgi_sw_quote(&a->sw, q, sizeof q, e.key, e.klen);
                const char *near = NULL;
                for (size_t i = 0; i < N_ERROR_TYPES && !near; i++)
                    if (sgi_ag_close(e.key, ERROR_TYPES[i]))
                        near = ERROR_TYPES[i];
                sgi_ag_report(a, AG_GATEWAY_RESPONSE, NULL, &e, 1,
                              "\"%s\" is not a gateway response error type (APIG.md 2.7)%s%s%s", q,
                              near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
                continue;
            }
            if (!sgi_ag_type(a, &e, AG_T_OBJECT))
                continue;
            int64_t v;
            if (sgi_sw_member(&s, &e, "status") && sgi_ag_int(a, &s, &v) > 0 &&
                (v < 200 || v > 599 || v == 444))
                sgi_ag_report(a, AG_GATEWAY_RESPONSE, NULL, &s, 0,
                              "status must be 200 to 599 and not 444, not %lld", (long long)v);
        }
    }
}
