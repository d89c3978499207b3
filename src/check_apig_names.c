/* The apig checker, part four: names, lengths, paths and environment
 * variables (APIG.md section 3, path templates 1.6). Where APIG changed a
 * name rule (section 6 Q12), a name that fails the wider current rule is an
 * error, and one that passes it but fails the older rule a warning
 * (apig-name-legacy), since which rule the import path applies is unknown. */
#include <stdlib.h>
#include <string.h>

#include "check_apig.h"

enum { C_LETTER = 1, C_DIGIT = 2, C_CJK = 4, C_WIDE = 8 /* full-width ( ) : and 、 */ };

typedef struct name_rule {
    size_t min, max;
    unsigned first;         /* classes allowed first */
    const char *first_more; /* more ASCII allowed first */
    unsigned rest;
    const char *rest_more;
} name_rule;

typedef struct name_kind {
    sgi_ag_rule rule;
    const char *what;
    name_rule wide;   /* the rule in force (errors) */
    name_rule narrow; /* an older / stricter rule (warnings); min 0: none */
    const char *narrow_source;
} name_kind;

static const name_kind KINDS[] = {
    [AG_N_API] = {AG_API_NAME, "API name (operationId)",
                  {3, 255, C_LETTER | C_DIGIT | C_CJK, "", C_LETTER | C_DIGIT | C_CJK | C_WIDE,
                   "-_./():"},
                  {3, 64, C_LETTER | C_CJK, "", C_LETTER | C_DIGIT | C_CJK, "_"},
                  "the older API rule (3 to 64: a letter first, then letters, digits, _)"},
    [AG_N_GROUP] = {AG_GROUP_NAME, "API group name (info.title)",
                    {3, 255, C_LETTER | C_DIGIT | C_CJK, "", C_LETTER | C_DIGIT | C_CJK | C_WIDE,
                     "-_./():"},
                    {3, 64, C_LETTER, "", C_LETTER | C_DIGIT, "_"},
                    "the import page's rule (3 to 64: a letter first, then letters, digits, _)"},
    [AG_N_PARAM] = {AG_PARAM_NAME, "parameter name",
                    {1, 32, C_LETTER, "", C_LETTER | C_DIGIT, "._-"},
                    {0, 0, 0, NULL, 0, NULL},
                    NULL},
    [AG_N_THROTTLE] = {AG_POLICY_NAME, "policy name",
                       {3, 64, C_LETTER | C_CJK, "", C_LETTER | C_DIGIT | C_CJK, "_"},
                       {0, 0, 0, NULL, 0, NULL},
                       NULL},
    [AG_N_BPOLICY] = {AG_POLICY_NAME, "backend policy name",
                      {3, 64, C_LETTER | C_CJK, "", C_LETTER | C_DIGIT | C_CJK, "_"},
                      {3, 64, C_LETTER, "", C_LETTER | C_DIGIT, "_"},
                      "the console and terraform rule (no Chinese characters)"},
    [AG_N_AUTHORIZER] = {AG_POLICY_NAME, "custom authorizer name (security definition key)",
                         {3, 64, C_LETTER | C_CJK, "", C_LETTER | C_DIGIT | C_CJK, "_"},
                         {3, 64, C_LETTER, "", C_LETTER | C_DIGIT, "_"},
                         "the API page's rule (no Chinese characters)"},
    [AG_N_RESPONSE] = {AG_POLICY_NAME, "gateway response name",
                       {1, 64, C_LETTER | C_DIGIT, "_-", C_LETTER | C_DIGIT, "_-"},
                       {0, 0, 0, NULL, 0, NULL},
                       NULL},
    [AG_N_CHANNEL] = {AG_POLICY_NAME, "VPC channel name",
                      {3, 64, C_LETTER, "", C_LETTER | C_DIGIT, "-_."},
                      {0, 0, 0, NULL, 0, NULL},
                      NULL},
};

static unsigned classify(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return C_LETTER;
    if (cp >= '0' && cp <= '9')
        return C_DIGIT;
    if (cp >= 0x4e00 && cp <= 0x9fa5)
        return C_CJK;
    if (cp == 0xff08 || cp == 0xff09 || cp == 0xff1a || cp == 0x3001)
        return C_WIDE;
    return 0;
}

/* 0 when S fits R, else a reason written to WHY. */
static int fits(const name_rule *r, const char *s, size_t len, char *why, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = sgi_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!k) {
            snprintf(why, cap, "it is not valid UTF-8");
            return 1;
        }
        unsigned cls = classify(cp);
        unsigned allowed = n == 0 ? r->first : r->rest;
        const char *more = n == 0 ? r->first_more : r->rest_more;
        if (!(cls & allowed) && !(cp < 128 && cp && strchr(more, (int)cp))) {
            char ch[8];
            if (cp >= 32 && cp < 127)
                snprintf(ch, sizeof ch, "'%c'", (char)cp);
            else
                snprintf(ch, sizeof ch, "U+%04X", (unsigned)cp);
            snprintf(why, cap, "%s %s is not allowed %s", n == 0 ? "the first character" : "character",
                     ch, n == 0 ? "first" : "in it");
            return 1;
        }
        n++;
        i += k;
    }
    if (n < r->min || n > r->max) {
        snprintf(why, cap, "it has %zu characters, not %zu to %zu", n, r->min, r->max);
        return 1;
    }
    return 0;
}

void sgi_ag_check_name(sgi_ag *a, sgi_ag_name_kind kind, const sgi_sw_loc *at, int at_key,
                       const char *s, size_t len)
{
    const name_kind *k = &KINDS[kind];
    char why[128], q[SW_QUOTE];
    if (fits(&k->wide, s, len, why, sizeof why)) {
        sgi_sw_quote(&a->sw, q, sizeof q, s, len);
        sgi_ag_report(a, k->rule, NULL, at, at_key, "%s \"%s\" is refused by APIG: %s", k->what,
                      q, why);
        return;
    }
    if (k->narrow.min && fits(&k->narrow, s, len, why, sizeof why)) {
        sgi_sw_quote(&a->sw, q, sizeof q, s, len);
        sgi_ag_report(a, AG_NAME_LEGACY, kind == AG_N_GROUP ? "APIG.2044" : NULL, at, at_key,
                      "%s \"%s\" fits the current rule but not %s: %s; which one the import "
                      "applies is not documented",
                      k->what, q, k->narrow_source, why);
    }
}

/* ---- lengths ------------------------------------------------------------- */

/* Bytes that start a character (not 10xxxxxx), eight at a time: a byte
 * counts when its bit 7 is clear or its bit 6 set. */
static size_t code_points(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t starts = (~x | (x << 1)) & 0x8080808080808080ull;
        /* one bit per byte moved to bit 0, summed by the multiply */
        n += (size_t)(((starts >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

void sgi_ag_check_length(sgi_ag *a, const sgi_sw_loc *at, size_t max, const char *what)
{
    if (!json_object_is_type(at->v, json_type_string))
        return;
    size_t len = (size_t)json_object_get_string_len(at->v);
    if (len <= max) /* n bytes are at most n characters */
        return;
    size_t n = code_points(json_object_get_string(at->v), len);
    if (n > max)
        sgi_ag_report(a, AG_LENGTH, NULL, at, 0, "%s may have %zu characters, this one has %zu",
                      what, max, n);
}

/* ---- environment variables ------------------------------------------------ */

void sgi_ag_check_env_vars(sgi_ag *a, const sgi_sw_loc *at, const char *s)
{
    static const name_rule ENV = {3, 32, C_LETTER, "", C_LETTER | C_DIGIT, "-_"};
    for (const char *p = strchr(s, '#'); p; p = strchr(p, '#')) {
        const char *end = strchr(p + 1, '#');
        if (!end) {
            sgi_ag_report(a, AG_ENV_VAR, NULL, at, 0,
                          "a '#' without its closing '#': environment variables are written "
                          "#name#");
            return;
        }
        char why[128];
        if (fits(&ENV, p + 1, (size_t)(end - p - 1), why, sizeof why)) {
            char q[SW_QUOTE];
            sgi_sw_quote(&a->sw, q, sizeof q, p + 1, (size_t)(end - p - 1));
            sgi_ag_report(a, AG_ENV_VAR, NULL, at, 0,
                          "environment variable #%s# has a bad name (3 to 32: a letter first, "
                          "then letters, digits, - and _): %s",
                          q, why);
        }
        p = end + 1;
    }
}

/* ---- paths --------------------------------------------------------------------- */

void sgi_ag_path_vars(const char *path, sgi_ag_var_fn fn, void *ctx)
{
    for (const char *p = strchr(path, '{'); p; p = strchr(p, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            return;
        size_t len = (size_t)(end - p - 1);
        if (len && p[len] == '+')
            len--;
        if (len)
            fn(ctx, p + 1, len);
        p = end + 1;
    }
}

void sgi_ag_check_path(sgi_ag *a, const sgi_sw_loc *at, int at_key, const char *path, int backend)
{
    const char *what = backend ? "backend path" : "request path";
    size_t len = strlen(path);
    if (path[0] != '/') {
        sgi_ag_report(a, AG_PATH, NULL, at, at_key, "the %s must start with '/'", what);
        return;
    }
    size_t cps = len <= 512 ? len : code_points(path, len); /* exact only when it matters */
    if (cps > 512) {
        sgi_ag_report(a, AG_PATH, NULL, at, at_key,
                      "the %s has %zu characters; APIG allows 512 (basePath included)", what, cps);
        return;
    }
    for (const char *p = path; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            strchr("/{}*%-_.+", ch) || (backend && ch == '#'))
            continue;
        char c[8];
        if (ch >= 32 && ch < 127)
            snprintf(c, sizeof c, "'%c'", ch);
        else
            snprintf(c, sizeof c, "0x%02X", ch);
        sgi_ag_report(a, AG_PATH, NULL, at, at_key,
                      "the %s holds %s; APIG allows letters, digits, / and * %% - _ . besides "
                      "{variables}",
                      what, c);
        return;
    }
    if (backend)
        sgi_ag_check_env_vars(a, at, path);
    /* Template forms, segment by segment (APIG.md 1.6, Table 3). */
    for (const char *seg = path; *seg;) {
        seg++;
        size_t n = strcspn(seg, "/");
        size_t vars = 0;
        int greedy = 0, bad = 0;
        for (size_t i = 0; i < n && !bad; i++) {
            if (seg[i] == '}') {
                bad = 1; /* a } without its { */
            } else if (seg[i] == '{') {
                size_t j = i + 1;
                while (j < n && seg[j] != '{' && seg[j] != '}')
                    j++;
                if (j == n || seg[j] != '}' || j == i + 1)
                    bad = 1;
                else {
                    vars++;
                    greedy |= seg[j - 1] == '+';
                    i = j;
                }
            }
        }
        if (bad) {
            sgi_ag_report(a, AG_PATH, NULL, at, at_key,
                          "the %s has an unbalanced or empty { } in segment %.*s", what, (int)n,
                          seg);
            return;
        }
        if (vars && backend && greedy) {
            sgi_ag_report(a, AG_PATH_TEMPLATE, NULL, at, at_key,
                          "{name+} is allowed in the request path only, not in the backend "
                          "path; map it to a plain {name}");
            return;
        }
        if (vars && !backend && (vars > 1 || seg[0] != '{' || seg[n - 1] != '}')) {
            sgi_ag_report(a, AG_PATH_TEMPLATE, NULL, at, at_key,
                          "segment \"%.*s\": a request path segment is literal or one whole "
                          "{var}; prefix-{var}, {var}-suffix and several variables in a segment "
                          "are backend path forms",
                          (int)n, seg);
            return;
        }
        seg += n;
    }
}

/* ---- duplicate names ------------------------------------------------------- */

static void fold(sgi_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
        sgi_buf_append(b, &ch, 1);
    }
}

/* APIG.md section 5: a name taken twice in one import fails with the
 * "name already exists" code of its kind. Whether APIG compares names
 * without case is not documented, hence the second, unsettled rule. */
void sgi_ag_names_add(sgi_ag *a, sgi_ag_names *ns, const sgi_sw_loc *at, int at_key,
                      const char *name, size_t len)
{
    if (a->sw.st != SG_OK)
        return;
    sg_mark m = {0, 0, 0}; /* stays 0:0 without a mark */
    (void)sgi_marks_at(at->doc->marks, at->parent, at->slot, at_key, &m);
    if (!sgi_grow_a(ns->exact.keys.alloc, (void **)&ns->marks, &ns->cap, ns->n + 1,
                    sizeof *ns->marks)) {
        a->sw.st = SG_ENOMEM;
        return;
    }
    ns->marks[ns->n] = m;
    void *idx = (void *)(uintptr_t)(ns->n + 1), *old = NULL;
    sgi_buf f = {.alloc = ns->exact.keys.alloc};
    fold(&f, name, len);
    int r1 = sgi_sw_map_put(&ns->exact, name, len, idx, &old);
    int r2 = r1 == 1 && !f.oom ? sgi_sw_map_put(&ns->folded, f.data ? f.data : "", f.len, idx, &old)
                               : r1 < 0 || f.oom ? -1 : 1;
    sgi_buf_fini(&f);
    if (r1 < 0 || r2 < 0) {
        a->sw.st = SG_ENOMEM;
        return;
    }
    ns->n++;
    if (r1 == 1 && r2 == 1)
        return;
    char q[SW_QUOTE];
    sgi_sw_quote(&a->sw, q, sizeof q, name, len);
    if (r1 == 0)
        sgi_ag_report(a, AG_NAME_DUPLICATE, ns->code, at, at_key,
                      "%s name \"%s\" is used twice; the import creates the first and fails the "
                      "second (\"name already exists\"): rename one",
                      ns->what, q);
    else
        sgi_ag_report(a, AG_NAME_CASE_DUPLICATE, ns->code, at, at_key,
                      "%s name \"%s\" differs from an earlier one only in case; whether APIG "
                      "tells them apart is not documented: rename one",
                      ns->what, q);
    const sg_mark *first = &ns->marks[(uintptr_t)old - 1];
    if (a->sw.st == SG_OK && first->line &&
        sgi_diag_related(a->sw.lint->diags, sg_document_name(at->doc), first,
                         "the first is here") != SG_OK)
        a->sw.st = SG_ENOMEM;
}

void sgi_ag_names_init(sgi_ag_names *ns, const sgi_ag *a)
{
    memset(ns, 0, sizeof *ns);
    sgi_sw_map_init(&ns->exact, SW_ALLOC(&a->sw));
    sgi_sw_map_init(&ns->folded, SW_ALLOC(&a->sw));
}

void sgi_ag_names_fini(sgi_ag_names *ns)
{
    sgi_free(ns->exact.keys.alloc, ns->marks); /* the marks came from the maps' allocator */
    sgi_sw_map_fini(&ns->exact);
    sgi_sw_map_fini(&ns->folded);
}

/* ---- tags ------------------------------------------------------------------ */

/* APIG.md section 3 (SDK ApiCreate): letters, digits, Chinese characters
 * and - * # % . : _, a letter or Chinese character first; 10 per API by
 * default (APIG.3133). The "1 to 128" of OTC-CREATE may bound the length or
 * the count: the count has its own quota, so it is read as the length. */
void sgi_ag_check_tags(sgi_ag *a, const sgi_sw_loc *tags)
{
    static const name_rule TAG = {1, 128, C_LETTER | C_CJK, "", C_LETTER | C_DIGIT | C_CJK,
                                  "-*#%.:_"};
    if (!json_object_is_type(tags->v, json_type_array))
        return;
    size_t n = json_object_array_length(tags->v);
    if (n > a->limits->apig_tags)
        sgi_ag_report(a, AG_QUOTA, "APIG.3133", tags, 1,
                      "the operation has %zu tags; APIG allows %llu per API (raise with --limit "
                      "apig-tags=N if your gateway allows more)",
                      n, (unsigned long long)a->limits->apig_tags);
    for (size_t i = 0; i < n; i++) {
        sgi_sw_loc e;
        char why[128], q[SW_QUOTE];
        sgi_sw_element(&e, tags, i);
        if (!json_object_is_type(e.v, json_type_string))
            continue; /* the Swagger schema says so */
        const char *s = json_object_get_string(e.v);
        size_t len = (size_t)json_object_get_string_len(e.v);
        if (!fits(&TAG, s, len, why, sizeof why))
            continue;
        sgi_sw_quote(&a->sw, q, sizeof q, s, len);
        sgi_ag_report(a, AG_TAG, NULL, &e, 0,
                      "tag \"%s\" is refused by APIG: %s (a letter or Chinese character first, "
                      "then letters, digits, Chinese characters and - * # %% . : _; 1 to 128)",
                      q, why);
    }
}
