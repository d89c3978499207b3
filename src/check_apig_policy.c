/* The apig checker, part three: the root policy maps and their bindings
 * (APIG.md 2.5), security definitions with their auth type, auth options
 * and custom authorizers (2.1, 2.6), and gateway responses (2.7). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

/* ---- ratelimits ------------------------------------------------------------ */

/* The schema checks each limit (1 to 2147483647); the order between them is
 * code (APIG.md 2.5, HW-QUOTA). */
static void order(sgi_ag *a, const sgi_sw_loc *pol, const char *small, const char *big)
{
    sgi_sw_loc l;
    int64_t sv = sgi_ag_int_member(pol->v, small), bv = sgi_ag_int_member(pol->v, big);
    if (sv > 0 && bv > 0 && sv > bv && sgi_sw_member(&l, pol, small))
        sgi_ag_report(a, AG_RATELIMIT_LIMITS, NULL, &l, 0,
                      "%s (%lld) may not exceed %s (%lld)", small, (long long)sv, big,
                      (long long)bv);
}

static void check_ratelimit(sgi_ag *a, const sgi_sw_loc *pol)
{
    if (!json_object_is_type(pol->v, json_type_object))
        return;
    order(a, pol, "user-limit", "api-limit");
    order(a, pol, "app-limit", "user-limit");
    order(a, pol, "ip-limit", "api-limit");
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
    sgi_sw_loc l;
    if (json_object_is_type(pol->v, json_type_object) && sgi_sw_member(&l, pol, "value") &&
        json_object_is_type(l.v, json_type_string))
        check_acl_value(a, &l);
}

static void check_map(sgi_ag *a, const char *key, uint64_t quota, const char *limit,
                      const char *code, const char *what, const char *dup_code,
                      void (*fn)(sgi_ag *, const sgi_sw_loc *))
{
    sgi_sw_loc m;
    if (!sgi_sw_member(&m, &a->sw.root, key) || !json_object_is_type(m.v, json_type_object))
        return;
    size_t n = 0;
    sgi_ag_names names;
    sgi_ag_names_init(&names, a);
    names.what = what;
    names.code = dup_code;
    for (struct lh_entry *it = json_object_get_object(m.v)->head; it && a->sw.st == SG_OK;
         it = it->next) {
        sgi_sw_loc p;
        sgi_sw_entry(&p, &m, it);
        n++;
        sgi_ag_check_name(a, AG_N_THROTTLE, &p, 1, p.key, p.klen);
        sgi_ag_names_add(a, &names, &p, 1, p.key, p.klen);
        fn(a, &p);
    }
    sgi_ag_names_fini(&names);
    if (n > quota)
        sgi_ag_report(a, AG_QUOTA, code, &m, 1,
                      "%zu policies; APIG allows %llu per gateway (raise with --limit %s=N if "
                      "yours allows more)",
                      n, (unsigned long long)quota, limit);
}

void sgi_ag_check_root_policies(sgi_ag *a)
{
    check_map(a, "x-apigateway-ratelimits", a->limits->apig_ratelimits, "apig-ratelimits",
              "APIG.3107", "throttling policy", "APIG.3204", check_ratelimit);
    check_map(a, "x-apigateway-access-controls", a->limits->apig_acls, "apig-acls", "APIG.3112",
              "access control policy", "APIG.3206", check_acl);
}

void sgi_ag_check_binding(sgi_ag *a, const sgi_sw_loc *at, int acl)
{
    if (!json_object_is_type(at->v, json_type_string))
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

/* The authorizer's fields are the schema's; its name is the scheme's key. */
static void check_authorizer(sgi_ag *a, const sgi_sw_loc *def)
{
    sgi_ag_check_name(a, AG_N_AUTHORIZER, def, 1, def->key, def->klen);
}

void sgi_ag_check_secdef(sgi_ag *a, const sgi_sw_loc *def)
{
    sgi_sw_loc at, l;
    int has_at = sgi_sw_member(&at, def, "x-apigateway-auth-type");
    int has_az = sgi_sw_member(&l, def, "x-apigateway-authorizer");
    if (has_az)
        check_authorizer(a, def);
    if (has_at && json_object_is_type(at.v, json_type_string)) {
        /* The schema accepts these two and refuses the rest (apig-auth-type). */
        const char *v = json_object_get_string(at.v);
        if (strcmp(v, "IAM_NONE") == 0 || strcmp(v, "AUTHORIZER") == 0)
            sgi_ag_report(a, AG_AUTH_TYPE_UNSETTLED, NULL, &at, 0,
                          "%s is not on APIG's extension page (AppSigv1, IAM); %s", v,
                          v[0] == 'I' ? "legacy v1 and ROMA Connect list it"
                                      : "only third-party generators write it for custom "
                                        "authorizers");
        const char *type = sgi_sw_str(def->v, "type"), *in = sgi_sw_str(def->v, "in");
        if (!type || strcmp(type, "apiKey") != 0 || !in || strcmp(in, "header") != 0 ||
            !sgi_sw_str(def->v, "name"))
            sgi_ag_report(a, AG_AUTH_TYPE, NULL, def, 1,
                          "a scheme with x-apigateway-auth-type must be type: apiKey, in: header, "
                          "with a name (Authorization for AppSigv1, unused for IAM)");
        if (sgi_sw_member(&l, def, "x-apigateway-auth-opt")) {
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

/* The error types and statuses are the schema's; the names are code. */
void sgi_ag_check_gateway_responses(sgi_ag *a, const sgi_sw_loc *resps)
{
    if (!json_object_is_type(resps->v, json_type_object))
        return;
    for (struct lh_entry *it = json_object_get_object(resps->v)->head; it; it = it->next) {
        sgi_sw_loc r;
        sgi_sw_entry(&r, resps, it);
        sgi_ag_check_name(a, AG_N_RESPONSE, &r, 1, r.key, r.klen);
    }
}
