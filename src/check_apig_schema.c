/* The apig checker, part five: the declarative rules. Types, enums,
 * required sub-fields, ranges, lengths and the endpoint object each backend
 * type needs are schemas/apig-extensions.json, one definition per
 * x-apigateway-* field (compiled in). Each extension value is run through
 * the library's own draft-04 validator (schema.c) with its definition, and
 * each finding becomes the apig rule that owns it: the schema node's
 * x-apig-rule (with x-apig-code and x-apig-hint), else apig-type for
 * "type", apig-enum for "enum", apig-required for "required". What a schema
 * cannot say stays in C: a value that differs from an enum value only in
 * case (apig-enum-case, APIG.md 6 Q16) and timeouts the extended gateway
 * setting allows (apig-timeout-extended, Q8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apig.h"

#define SCHEMA_URI "https://swaggate.invalid/schemas/apig-extensions.json"

sg_status sgi_ag_schema_open(sgi_ag *a)
{
    const sgi_lint *l = a->sw.lint;
    a->sset = l->schemas;
    if (!a->sset && !(a->sset = a->own_set = sgi_schema_set_new_a(SW_ALLOC(&a->sw))))
        return SG_ENOMEM;
    /* Parsed and compiled once per set (schema_store.c). */
    if ((a->sess = sgi_schema_session_reuse(a->sset, SCHEMA_URI, a->opts, l->diags, &a->sroot,
                                            NULL)) != NULL) {
        a->sclean = 1;
        return SG_OK;
    }
    sg_options o;
    sg_options_init(&o);
    o.allocator = SW_ALLOC(&a->sw);
    sg_status st = sg_document_parse(SCHEMA_URI, sgi_schema_apig, sgi_schema_apig_len, &o, NULL,
                                     &a->sdoc);
    if (st != SG_OK)
        return st == SG_EINPUT ? SG_EINTERNAL : st;
    a->sess = sgi_schema_session_new(a->sset, a->opts, l->diags);
    if (!a->sess)
        return SG_ENOMEM;
    a->sroot = sgi_schema_compile_counted(a->sess, a->sdoc, &a->sclean);
    return a->sroot ? SG_OK : SG_ENOMEM;
}

void sgi_ag_schema_close(sgi_ag *a)
{
    /* A set of our own ends here: nothing to keep it for. */
    if (a->own_set || !a->sess) {
        sgi_schema_session_free(a->sess);
        sg_document_free(a->sdoc);
    } else {
        sgi_schema_session_keep(a->sset, SCHEMA_URI, a->sess, a->sroot, a->sdoc, a->sclean);
    }
    sg_schema_set_free(a->own_set);
    a->sess = NULL;
    a->sdoc = NULL;
}

/* ---- findings into rules ---------------------------------------------------- */

/* A whole number written with a fraction or an exponent (timeout: 1.0e3)
 * fails draft-04's "integer" and the validator stops there. Normalize writes
 * it as 1000, so the same value is checked again as an integer: one record
 * per such type finding, the value's pointer in the sink's PTRS. */
typedef struct redo {
    const sgi_sch *schema;
    const void *parent;
    uintptr_t slot;
    int64_t n;
    size_t ptr; /* offset in PTRS */
} redo;

typedef struct sink {
    sgi_ag *a;
    const sgi_sw_loc *at; /* the extension value */
    size_t found;
    sgi_sw_map seen;    /* "pointer\0rule" already reported */
    sgi_buf redos;      /* redo records */
    sgi_buf ptrs;       /* their pointers, NUL-terminated */
    const char *redoing; /* the pointer of the value checked again, or NULL */
} sink;

static const char *note(const sgi_sch *s, const char *key)
{
    struct json_object *v;
    if (!s || !json_object_object_get_ex(s->node, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int rule_of(const char *id)
{
    for (int r = 0; id && r < AG_RULE_COUNT; r++)
        if (strcmp(sgi_ag_rules[r].id, id) == 0)
            return r;
    return -1;
}

/* The next token of JSON Pointer *P, unescaped into BUF; 0 at the end. */
static int next_token(const char **p, char *buf, size_t cap, size_t *len)
{
    if (**p != '/')
        return 0;
    const char *s = ++*p;
    size_t n = 0;
    for (; *s && *s != '/'; s++) {
        char ch = *s;
        if (ch == '~' && (s[1] == '0' || s[1] == '1'))
            ch = *++s == '0' ? '~' : '/';
        if (n + 1 < cap)
            buf[n++] = ch;
    }
    buf[n] = '\0';
    *len = n;
    *p = s;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

#define MAX_HOPS 24

/* The finding's place as a location chain below the extension value (for
 * the pointer) ending at the finding's PARENT/SLOT (for the marks), and a
 * readable name of the member at fault: "x-apigateway-backend.httpEndpoints.timeout". */
static void locate(const sink *k, const sgi_schema_finding *f, sgi_sw_loc *chain,
                   char (*tok)[128], sgi_buf *name, const sgi_sw_loc **out)
{
    const sgi_sw_loc *up = k->at;
    const char *p = f->pointer;
    size_t len, n = 0;
    sgi_buf_append(name, k->at->key ? k->at->key : "the value",
                   strlen(k->at->key ? k->at->key : "the value"));
    while (n < MAX_HOPS && next_token(&p, tok[n], sizeof tok[n], &len)) {
        sgi_sw_loc *l = &chain[n];
        memset(l, 0, sizeof *l);
        l->up = up;
        l->doc = k->at->doc;
        l->key = tok[n];
        l->klen = len;
        up = l;
        /* The member a key finding is about is named by its parent. */
        if (!(f->at_key && *p == '\0')) {
            if (all_digits(tok[n]))
                sgi_buf_printf(name, "[%s]", tok[n]);
            else
                sgi_buf_printf(name, ".%s", tok[n]);
        }
        n++;
    }
    sgi_buf_append(name, "", 0);
    if (n == 0) {
        *out = k->at;
        return;
    }
    chain[n - 1].parent = f->parent;
    chain[n - 1].slot = f->slot;
    *out = &chain[n - 1];
}

/* The value POINTER leads to below V, or NULL (also for a token longer than
 * the buffer: then no special case applies). No allocation, unlike
 * json_pointer_get, so that a failed one cannot change a finding. */
static struct json_object *resolve(struct json_object *v, const char *pointer)
{
    char tok[1024];
    size_t len;
    while (v && next_token(&pointer, tok, sizeof tok, &len)) {
        if (len + 1 >= sizeof tok)
            return NULL;
        if (json_object_is_type(v, json_type_object)) {
            if (!json_object_object_get_ex(v, tok, &v))
                return NULL;
        } else if (json_object_is_type(v, json_type_array) && all_digits(tok)) {
            v = json_object_array_get_idx(v, strtoul(tok, NULL, 10));
        } else {
            return NULL;
        }
    }
    return v;
}

/* An enum value equal to S but for case, or NULL. */
static const char *case_variant(const sgi_sch *s, struct json_object *v)
{
    if (!s || !s->enum_ || !json_object_is_type(v, json_type_string))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(s->enum_); i++) {
        struct json_object *e = json_object_array_get_idx(s->enum_, i);
        if (json_object_is_type(e, json_type_string) &&
            strcasecmp(json_object_get_string(e), json_object_get_string(v)) == 0)
            return json_object_get_string(e);
    }
    return NULL;
}

/* A needs-* alternative of a backend or policy speaks for the type it is
 * about only: for a missing or unknown type, apig-enum or apig-required
 * already said what is wrong. */
static int alternative_applies(const sgi_sch *s, struct json_object *obj)
{
    struct json_object *props, *t, *e;
    const char *type = sgi_sw_str(obj, "type");
    if (!type || !json_object_object_get_ex(s->node, "properties", &props) ||
        !json_object_object_get_ex(props, "type", &t) ||
        !json_object_object_get_ex(t, "enum", &e) || !json_object_is_type(e, json_type_array))
        return 1;
    return strcmp(type, json_object_get_string(json_object_array_get_idx(e, 0))) == 0;
}

/* Keeps a type finding on whole number V for sgi_ag_validate to check again. */
static void keep_redo(sink *k, const sgi_schema_finding *f, struct json_object *v)
{
    redo r = {f->schema, f->parent, f->slot, 0, k->ptrs.len};
    if (k->redoing || !json_object_is_type(v, json_type_double) || !f->schema ||
        !(f->schema->types & SGI_T_INTEGER) || !sgi_sw_whole_number(v, &r.n))
        return;
    sgi_buf_append(&k->ptrs, f->pointer, strlen(f->pointer) + 1);
    sgi_buf_append(&k->redos, (const char *)&r, sizeof r);
}

static sg_status take(void *ctx, const sgi_schema_finding *f)
{
    sink *k = ctx;
    sgi_ag *a = k->a;
    sgi_schema_finding moved;
    if (k->redoing) {
        /* The integer stands alone: its findings belong at the value's place. */
        moved = *f;
        moved.pointer = k->redoing;
        f = &moved;
    }
    const char *kw = f->keyword ? f->keyword : "";
    if (strcmp(kw, "oneOf") == 0 || strcmp(kw, "anyOf") == 0)
        return SG_OK; /* the closest alternative's own findings say it better */
    int rule = strcmp(kw, "type") == 0 ? -1 : rule_of(note(f->schema, "x-apig-rule"));
    const char *hint = rule >= 0 ? note(f->schema, "x-apig-hint") : NULL;
    const char *code = rule >= 0 ? note(f->schema, "x-apig-code") : NULL;
    if (rule < 0)
        rule = strcmp(kw, "enum") == 0       ? AG_ENUM
               : strcmp(kw, "required") == 0 ? AG_REQUIRED
               : strstr(kw, "Length")        ? AG_LENGTH
                                             : AG_TYPE;
    struct json_object *v = resolve(k->at->v, f->pointer);
    if (rule == AG_BACKEND_ENDPOINT && strcmp(kw, "required") == 0 &&
        !alternative_applies(f->schema, v))
        return SG_OK;
    /* One finding per place and rule: an enum broken in a discriminating
     * property is said by the property and again by the alternatives. */
    sgi_buf key = {.alloc = SW_ALLOC(&k->a->sw)};
    sgi_buf_printf(&key, "%s%c%d", f->pointer, 0, rule);
    int fresh = key.oom ? -1 : sgi_sw_map_put(&k->seen, key.data, key.len, (void *)1, NULL);
    sgi_buf_fini(&key);
    if (fresh < 0)
        return SG_ENOMEM;
    if (fresh == 0)
        return SG_OK;
    k->found++;
    if (strcmp(kw, "type") == 0)
        keep_redo(k, f, v);

    sgi_sw_loc chain[MAX_HOPS];
    char tok[MAX_HOPS][128];
    const sgi_sw_loc *at;
    sgi_buf name = {.alloc = SW_ALLOC(&k->a->sw)};
    locate(k, f, chain, tok, &name, &at);
    if (name.oom) {
        sgi_buf_fini(&name);
        return SG_ENOMEM;
    }
    char q[SW_QUOTE];
    const char *cased = strcmp(kw, "enum") == 0 ? case_variant(f->schema, v) : NULL;
    int64_t n;
    if (cased) {
        sgi_sw_quote(&a->sw, q, sizeof q, json_object_get_string(v),
                     (size_t)json_object_get_string_len(v));
        sgi_ag_report(a, AG_ENUM_CASE, NULL, at, f->at_key,
                      "%s is \"%s\"; the documented spelling is \"%s\" (whether APIG ignores "
                      "case here is not documented)",
                      name.data, q, cased);
    } else if (rule == AG_TIMEOUT && strcmp(kw, "maximum") == 0 && v &&
               sgi_sw_whole_number(v, &n) && n <= 600000) {
        sgi_ag_report(a, AG_TIMEOUT_EXTENDED, NULL, at, f->at_key,
                      "timeout %lld ms is past the 60000 ms the extension pages allow; gateways "
                      "with a raised backend_timeout take up to 600000, whether the import does "
                      "is not documented",
                      (long long)n);
    } else if (strcmp(kw, "not") == 0) {
        if (v)
            sgi_sw_quote_value(&a->sw, q, sizeof q, v);
        else
            snprintf(q, sizeof q, "this value");
        sgi_ag_report(a, (sgi_ag_rule)rule, code, at, f->at_key, "%s: %s is not allowed%s%s",
                      name.data, q, hint ? "; " : "", hint ? hint : "");
    } else {
        /* A missing member is shown at the key of the object that lacks it. */
        int at_key = f->at_key || strcmp(kw, "required") == 0 || strcmp(kw, "dependencies") == 0;
        sgi_ag_report(a, (sgi_ag_rule)rule, code, at, at_key, "%s: %s%s%s", name.data,
                      f->message, hint ? "; " : "", hint ? hint : "");
    }
    sgi_buf_fini(&name);
    return a->sw.st;
}

size_t sgi_ag_validate(sgi_ag *a, const sgi_sw_loc *at, const char *field)
{
    void *s = NULL;
    if (a->sw.st != SG_OK || !a->sroot || !a->sroot->props ||
        !lh_table_lookup_ex(a->sroot->props, field, &s))
        return 0;
    sink k;
    memset(&k, 0, sizeof k);
    k.a = a;
    sgi_sw_map_init(&k.seen, SW_ALLOC(&a->sw));
    k.redos.alloc = k.ptrs.alloc = SW_ALLOC(&a->sw);
    k.at = at;
    sg_status st = sgi_schema_check_value(a->sess, s, at->doc, a->opts, a->sw.lint->diags, at->v,
                                          at->parent, at->slot, take, &k);
    if (st == SG_OK && (k.redos.oom || k.ptrs.oom))
        st = SG_ENOMEM;
    for (size_t i = 0; st == SG_OK && i + sizeof(redo) <= k.redos.len; i += sizeof(redo)) {
        redo r;
        memcpy(&r, k.redos.data + i, sizeof r);
        struct json_object *n = json_object_new_int64(r.n);
        if (!n) {
            st = SG_ENOMEM;
            break;
        }
        k.redoing = k.ptrs.data + r.ptr;
        /* Non-const only for the validator's mark on a schema that loops
         * (reported once); the finding hands the schema out const. */
        st = sgi_schema_check_value(a->sess, (sgi_sch *)r.schema, at->doc, a->opts,
                                    a->sw.lint->diags, n, r.parent, r.slot, take, &k);
        json_object_put(n);
    }
    sgi_buf_fini(&k.redos);
    sgi_buf_fini(&k.ptrs);
    sgi_sw_map_fini(&k.seen);
    if (st != SG_OK && a->sw.st == SG_OK)
        a->sw.st = st;
    return k.found;
}
