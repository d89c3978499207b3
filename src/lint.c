/* Lint: runs the checkers of a profile over a document. The schema, swagger
 * and apig checkers plug into the table below; the model checker here holds
 * the document-level rules that need no schema: the root is an object and
 * carries swagger "2.0", and version strings that YAML read as numbers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check_apig.h"
#include "internal.h"

/* A checker gets the run's context (internal.h): document, options,
 * findings, and the resolver the checkers after "resolve" may use. */
typedef sg_status (*checker_fn)(sgi_lint *lint);

/* The text of a number as the user wrote it (YAML 1.2 spelling). */
static void number_text(struct json_object *v, char *buf, size_t cap)
{
    const char *t = sg_number_text(v);
    if (t)
        snprintf(buf, cap, "%s", t);
    else if (json_object_get_int64(v) == INT64_MAX)
        snprintf(buf, cap, "%llu", (unsigned long long)json_object_get_uint64(v));
    else
        snprintf(buf, cap, "%lld", (long long)json_object_get_int64(v));
}

static sg_status check_model(sgi_lint *lint)
{
    const sg_document *doc = lint->doc;
    sg_diagnostics *d = lint->diags;
    struct json_object *root = doc->root;
    char num[64];
    if (!json_object_is_type(root, json_type_object))
        return sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "document-root", NULL, 0, 0, "", "APIG.3601",
                            "the document is %s, not an object; a Swagger file is an object that "
                            "starts with swagger: \"2.0\"",
                            root ? json_type_to_name(json_object_get_type(root)) : "null");
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(root), "swagger");
    struct json_object *sw = le ? (struct json_object *)le->v : NULL;
    sg_status st = SG_OK;
    if (!le)
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", NULL, 0, 0, "", "APIG.3601",
                          "the document has no \"swagger\" field; add swagger: \"2.0\" at the top "
                          "(APIG imports Swagger 2.0 only)");
    else if (json_object_is_type(sw, json_type_double) || json_object_is_type(sw, json_type_int)) {
        number_text(sw, num, sizeof num);
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", root, (uintptr_t)le->k, 0,
                          "/swagger", "APIG.3601",
                          "swagger is the number %s, not the string \"2.0\": quote it: swagger: \"2.0\"",
                          num);
    } else if (!json_object_is_type(sw, json_type_string) ||
               strcmp(json_object_get_string(sw), "2.0") != 0) {
        char ex[128] = "a non-string value";
        if (json_object_is_type(sw, json_type_string))
            sgi_excerpt(ex, sizeof ex, json_object_get_string(sw),
                        (size_t)json_object_get_string_len(sw), 40);
        st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "swagger-version", root, (uintptr_t)le->k, 0,
                          "/swagger", "APIG.3601",
                          "swagger is %s%s%s; APIG imports Swagger 2.0 files only: swagger: \"2.0\"",
                          json_object_is_type(sw, json_type_string) ? "\"" : "", ex,
                          json_object_is_type(sw, json_type_string) ? "\"" : "");
    }
    if (st != SG_OK)
        return st;
    struct json_object *info;
    struct lh_entry *ve;
    if (json_object_object_get_ex(root, "info", &info) && json_object_is_type(info, json_type_object) &&
        (ve = lh_table_lookup_entry(json_object_get_object(info), "version")) != NULL) {
        struct json_object *v = (struct json_object *)ve->v;
        if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
            number_text(v, num, sizeof num);
            st = sgi_doc_diag(doc, d, SG_SEVERITY_ERROR, "version-type", info, (uintptr_t)ve->k, 0,
                              "/info/version", NULL,
                              "info.version is the number %s, not a string (YAML reads 1.10 as "
                              "1.1): quote it: version: \"%s\"",
                              num, num);
        }
    }
    return st;
}

/* $refs: they resolve, stay in the sandbox, do not loop (resolve.c). */
static sg_status check_resolve(sgi_lint *lint)
{
    sg_status st = sgi_resolver_check(lint->resolver);
    /* lint checks once: the walk's visited set (as large as the model's
     * containers) need not stay for the checkers after this one */
    sgi_resolver_end_check(lint->resolver);
    return st;
}

/* Schema findings about a mistake an earlier checker already named are the
 * same mistake twice: the model checker's "quote it" for swagger: 2.0, or a
 * swagger rule that pinpoints what the schema blames on the object around it
 * or on a neighbouring keyword of the same object (its closest oneOf branch
 * is a guess; the rule knows). Kept: schema findings elsewhere, and a
 * missing required property of an object unless an earlier finding is
 * about that very object: a missing property is no mistake in a member or a
 * neighbour that is there (an operation without responses whose
 * operationId is taken is two mistakes; found by the normalize fuzzer, as
 * the finding came and went with the place of the duplicate). */
typedef struct dedupe {
    struct lh_table *seen; /* pointers of model, resolve and swagger findings, their parents */
    size_t index, before;
    const sg_allocator *alloc; /* the options' hooks (NULL: the C library) */
} dedupe;

static int from_checker(const char *rule, const char *checker)
{
    const sg_rule *r = sg_rule_find(rule);
    return r && strcmp(r->checker, checker) == 0;
}

static size_t parent_len(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash ? (size_t)(slash - p) : 0;
}

static int drop_repeats(void *ctx, sg_diagnostic *g)
{
    dedupe *dd = ctx;
    size_t i = dd->index++;
    if (i < dd->before || strcmp(g->rule, "schema") != 0 || !g->pointer)
        return 1;
    if (lh_table_lookup_entry(dd->seen, g->pointer))
        return 0; /* the same place */
    static const char missing[] = "missing required property";
    if (strncmp(g->message, missing, sizeof missing - 1) == 0)
        return 1; /* not the mistake of a member or of a neighbour */
    char key[520];
    if (strlen(g->pointer) + 2 <= sizeof key) {
        snprintf(key, sizeof key, "\x02%s", g->pointer); /* the object around one */
        if (lh_table_lookup_entry(dd->seen, key))
            return 0;
    }
    /* An unknown key is its own mistake, whatever a neighbour's finding (an
     * operation's stray key beside its duplicate operationId; found by the
     * normalize fuzzer, as it came and went with the duplicate's place). */
    if (strncmp(g->message, "property \"", 10) == 0 && strstr(g->message, "\" is not allowed here"))
        return 1;
    char parent[512];
    size_t n = parent_len(g->pointer);
    if (n == 0 || n >= sizeof parent)
        return 1;
    memcpy(parent, g->pointer, n);
    parent[n] = '\0';
    snprintf(key, sizeof key, "\x01%s", parent); /* marks "a sibling was reported" */
    return !lh_table_lookup_entry(dd->seen, key);
}

static void remember(dedupe *dd, const char *k)
{
    if (!lh_table_lookup_entry(dd->seen, k)) {
        char *copy = sgi_strdup(dd->alloc, k);
        if (copy && lh_table_insert(dd->seen, copy, NULL) != 0)
            sgi_free(dd->alloc, copy);
    }
}

static int collect_pointers(void *ctx, sg_diagnostic *g)
{
    dedupe *dd = ctx;
    if (dd->index++ >= dd->before || !g->pointer ||
        !(from_checker(g->rule, "model") || from_checker(g->rule, "resolve") ||
          from_checker(g->rule, "swagger")))
        return 1;
    char buf[520];
    size_t n = strlen(g->pointer);
    if (n + 2 > sizeof buf)
        return 1;
    remember(dd, g->pointer);
    /* A default or an example that does not fit its schema is a mistake of
     * that value alone: the schema never blames a neighbour for it, and a
     * neighbour's own mistake (in: quequery beside a default of 1.0) must
     * not be taken for a repeat of it (found by the normalize fuzzer: the
     * neighbour's finding appeared once normalizing made the default fit).
     * So is a duplicate operationId, which the schema cannot see at all:
     * the operation's other mistakes (responses: null) came and went with
     * which of the two operations came second. */
    if (strcmp(g->rule, "default-invalid") == 0 || strcmp(g->rule, "example-invalid") == 0 ||
        strcmp(g->rule, "operation-id-duplicate") == 0)
        return 1;
    /* The nearest object: the schema may blame the object around the mistake
     * (farther ancestors hold unrelated members). */
    buf[0] = '\x02';
    memcpy(buf + 1, g->pointer, n + 1);
    if ((n = parent_len(buf + 1)) > 0) {
        buf[n + 1] = '\0';
        remember(dd, buf);
    }
    /* Siblings: a neighbouring keyword of the same object. */
    n = parent_len(g->pointer);
    buf[0] = '\x01';
    memcpy(buf + 1, g->pointer, n);
    buf[n + 1] = '\0';
    remember(dd, buf);
    return 1;
}

/* Drop the schema findings after the first BEFORE of L's list that repeat a
 * model, resolve or swagger finding among those BEFORE. */
static sg_status dedupe_schema(sgi_lint *l, size_t before, struct lh_table *seen)
{
    dedupe dd = {seen, 0, before, l->opts->allocator};
    if (before > 0) {
        sgi_diags_rewrite(l->diags, collect_pointers, &dd);
        dd.index = 0;
        sgi_diags_rewrite(l->diags, drop_repeats, &dd);
    }
    /* The table's keys are allocated with the options' hooks: freed here,
     * not by the table (no free_fn). */
    for (struct lh_entry *e = seen->head; e; e = e->next)
        sgi_free(dd.alloc, (void *)e->k);
    lh_table_free(seen);
    return SG_OK;
}

/* The Swagger 2.0 schema (schemas/swagger-2.0.json, compiled in), into L's
 * list. */
static sg_status validate_schema(sgi_lint *l)
{
    sg_schema_set *set = l->schemas ? l->schemas : sgi_schema_set_new_a(l->opts->allocator);
    if (!set)
        return SG_ENOMEM;
    sg_status st = sg_schema_validate(set, NULL, l->doc, l->opts, l->diags);
    if (set != l->schemas)
        sg_schema_set_free(set);
    return st;
}

static sg_status check_schema(sgi_lint *l)
{
    size_t before = sg_diagnostics_count(l->diags);
    struct lh_table *seen = lh_kchar_table_new(64, NULL);
    if (!seen)
        return SG_ENOMEM;
    sg_status st = validate_schema(l);
    if (st != SG_OK) {
        lh_table_free(seen);
        return st;
    }
    return dedupe_schema(l, before, seen);
}

typedef struct checker {
    const char *name;
    checker_fn fn;
    unsigned profiles; /* bit (1 << sg_profile) */
} checker;

#define ALL_PROFILES ((1u << SG_PROFILE_APIG) | (1u << SG_PROFILE_SWAGGER))

static const checker checkers[] = {
    {"model", check_model, ALL_PROFILES},
    {"resolve", check_resolve, ALL_PROFILES},
    {"swagger", sgi_check_swagger, ALL_PROFILES},
    {"schema", check_schema, ALL_PROFILES}, /* after swagger: see dedupe */
    {"apig", sgi_check_apig, 1u << SG_PROFILE_APIG}, /* check_apig.c */
};

/* ---- two threads ---------------------------------------------------------
 * The schema checker needs nothing from the others until its findings are
 * deduplicated, and the apig checker needs only the resolver's pass; so a
 * second thread runs them, each into a list of its own, while the calling
 * thread runs the resolver and the swagger checker. The lists are appended
 * afterwards in the serial order, so the findings are the same. The model is
 * only read by the checkers, the resolver is shared under its lock
 * (sgi_resolver_share), and the schema set is used by the second thread only.
 * On 4 MB of Kubernetes JSON the checkers are about 60 % of a lint's CPU
 * (bench/RESULTS.md). */
typedef struct side {
    sgi_lint lint;           /* diags: the list of the checker running */
    sg_diagnostics *schema;  /* the schema checker's findings */
    sg_diagnostics *apig;    /* the apig checker's findings, or NULL: not run */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int resolved;            /* 0: not yet; 1: the resolver's pass is done; -1: it failed */
    sg_status schema_st, apig_st;
} side;

static void *side_main(void *arg)
{
    side *s = arg;
    s->lint.diags = s->schema;
    s->schema_st = validate_schema(&s->lint);
    if (!s->apig)
        return NULL;
    pthread_mutex_lock(&s->mu);
    while (!s->resolved)
        pthread_cond_wait(&s->cv, &s->mu);
    int go = s->resolved > 0 && s->schema_st == SG_OK;
    pthread_mutex_unlock(&s->mu);
    if (go) {
        s->lint.diags = s->apig;
        s->apig_st = sgi_check_apig(&s->lint);
    }
    return NULL;
}

static void side_resolved(side *s, sg_status st)
{
    pthread_mutex_lock(&s->mu);
    s->resolved = st == SG_OK ? 1 : -1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* After the model checker: the rest on two threads. *RAN is 0 when no second
 * thread could be had (nothing was run: the caller runs the rest serially). */
static sg_status lint_parallel(sgi_lint *lint, int *ran)
{
    sg_diagnostics *d = lint->diags;
    side s = {*lint, NULL, NULL, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, SG_OK,
              SG_OK};
    sg_diagnostics *late = sgi_diags_new_like(d);
    s.schema = sgi_diags_new_like(d);
    int apig = lint->opts->profile == SG_PROFILE_APIG;
    if (apig)
        s.apig = sgi_diags_new_like(d);
    pthread_t tid;
    *ran = late && s.schema && (!apig || s.apig) &&
           pthread_create(&tid, NULL, side_main, &s) == 0;
    if (!*ran) {
        sg_diagnostics_free(late);
        sg_diagnostics_free(s.schema);
        sg_diagnostics_free(s.apig);
        return SG_OK;
    }
    sg_status st = sgi_resolver_check(lint->resolver);
    sgi_resolver_end_check(lint->resolver); /* as check_resolve does */
    if (st == SG_OK)
        st = sgi_resolver_share(lint->resolver, late);
    side_resolved(&s, st);
    if (st == SG_OK)
        st = sgi_check_swagger(lint);
    pthread_join(tid, NULL);
    /* As the serial loop would: stop at the first checker that failed,
     * keeping what it found. */
    struct lh_table *seen = NULL;
    size_t before = sg_diagnostics_count(d);
    if (st == SG_OK && !(seen = lh_kchar_table_new(64, NULL)))
        st = SG_ENOMEM;
    if (st == SG_OK)
        st = sgi_diags_append(d, s.schema);
    if (st == SG_OK && (st = s.schema_st) == SG_OK) {
        st = dedupe_schema(lint, before, seen);
        seen = NULL;
    }
    if (st == SG_OK && apig && (st = sgi_diags_append(d, s.apig)) == SG_OK)
        st = s.apig_st;
    /* Findings of sites only a checker reached: none in practice (the
     * resolver's pass walks every $ref), kept rather than lost. */
    if (st == SG_OK)
        st = sgi_diags_append(d, late);
    if (seen)
        lh_table_free(seen);
    sg_diagnostics_free(late);
    sg_diagnostics_free(s.schema);
    sg_diagnostics_free(s.apig);
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv);
    return st;
}

sg_status sg_lint(const sg_document *doc, const sg_options *options, sg_diagnostics *diags)
{
    sg_options defaults;
    if (!doc || !diags)
        return SG_EUSAGE;
    if (!options) {
        sg_options_init(&defaults);
        options = &defaults;
    }
    if ((unsigned)options->profile > SG_PROFILE_SWAGGER)
        return SG_EUSAGE;
    sgi_lint lint = {doc, options, diags, NULL, options->schemas};
    /* One set of embedded schemas for the schema and apig checkers. */
    sg_schema_set *own = options->schemas ? NULL : sgi_schema_set_new_a(options->allocator);
    if (!options->schemas && !(lint.schemas = own))
        return SG_ENOMEM;
    if (!(lint.resolver = sgi_resolver_new(doc, options, diags))) {
        sg_schema_set_free(own);
        return SG_ENOMEM;
    }
    sg_status st = SG_OK;
    size_t i = 0;
    if (options->threads > 1 && doc->src.len >= SGI_THREADS_MIN_BYTES) {
        int ran = 0;
        st = check_model(&lint);
        if (st == SG_OK)
            st = lint_parallel(&lint, &ran);
        i = ran ? sizeof checkers / sizeof checkers[0] : 1;
    }
    for (; i < sizeof checkers / sizeof checkers[0] && st == SG_OK; i++)
        if (checkers[i].profiles & (1u << options->profile))
            st = checkers[i].fn(&lint);
    sgi_resolver_free(lint.resolver);
    sg_schema_set_free(own);
    return st;
}
