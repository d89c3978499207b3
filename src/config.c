/* Configuration (.swaggate.yaml), suppression comments and baselines: the
 * ways a user tunes what lint reports. The configuration is read with the
 * document loader, so its mistakes are positioned findings like any other;
 * one table (keys[]) drives the loader, swaggate-config(5) and
 * `swaggate config --print`. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "internal.h"

/* ---- the key table ------------------------------------------------------ */

enum { K_PROFILE, K_RULES, K_EXCLUDE, K_LIMITS, K_STRICT };

typedef struct key_doc {
    const char *key, *type, *def, *doc;
} key_doc;

static const key_doc keys[] = {
    {"profile", "apig | swagger", "apig",
     "The checkers that run: apig runs the Swagger 2.0 schema, the Swagger rules and the "
     "x-apigateway-* rules of APIG; swagger leaves out the APIG ones. The --profile flag wins "
     "over it."},
    {"rules", "map: rule id -> off | info | warning | error", "{} (every rule at its default "
     "severity)",
     "Per-rule severity: off drops the rule's findings, a severity replaces the rule's default "
     "one. Rule ids are those of swaggate-rules(7); an unknown id is a mistake in the "
     "configuration. Exit status 1 follows the severities as configured: a rule set to "
     "warning no longer fails a run."},
    {"exclude", "list of glob patterns", "[] (nothing excluded)",
     "Files that are not linted. Each pattern is matched with fnmatch(3) and FNM_PATHNAME "
     "against the file's path relative to the folder of the configuration file: * and ? do "
     "not match '/'. A pattern without '/' is matched against the file's name only; a pattern "
     "that matches a folder (vendor, build/gen) excludes every file below it. An excluded "
     "file is skipped silently, even when it is named on the command line (so that hooks "
     "that pass every changed file respect it); swaggate config --print FILE says whether "
     "FILE is excluded."},
    {"limits", "map: limit name -> whole number", "{} (the defaults of swaggate(1))",
     "Limits on the input, by the names of --limit (swaggate lint --limit help lists them "
     "with their defaults and caps), the APIG quotas included. A value of 0, past the cap or "
     "not a whole number is a mistake. A --limit flag wins over the same limit here."},
    {"strict", "boolean", "false",
     "Strict mode, as the --strict flag (a flag given on the command line wins)."},
};

#define N_KEYS (sizeof keys / sizeof keys[0])

int sg_config_describe(size_t i, const char **key, const char **type, const char **def,
                       const char **doc)
{
    if (i >= N_KEYS)
        return 0;
    if (key)
        *key = keys[i].key;
    if (type)
        *type = keys[i].type;
    if (def)
        *def = keys[i].def;
    if (doc)
        *doc = keys[i].doc;
    return 1;
}

/* ---- the configuration -------------------------------------------------- */

typedef struct cfg_rule {
    char *id;
    int sev; /* sg_severity or SG_CONFIG_OFF */
    unsigned line;
} cfg_rule;

typedef struct cfg_limit {
    const char *name; /* static, from sg_limits_describe */
    uint64_t value;
    unsigned line;
} cfg_limit;

typedef struct cfg_pattern {
    char *glob;
    unsigned line;
} cfg_pattern;

struct sg_config {
    char *path, *dir; /* dir: absolute, for excludes */
    int profile;      /* -1 unset */
    int strict;       /* -1 unset */
    unsigned key_line[N_KEYS];
    cfg_rule *rules;
    size_t nrules;
    cfg_limit *limits;
    size_t nlimits;
    cfg_pattern *excl;
    size_t nexcl;
};

void sg_config_free(sg_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrules; i++)
        free(c->rules[i].id);
    for (size_t i = 0; i < c->nexcl; i++)
        free(c->excl[i].glob);
    free(c->rules);
    free(c->limits);
    free(c->excl);
    free(c->path);
    free(c->dir);
    free(c);
}

typedef struct loader {
    sg_config *c;
    const sg_document *doc;
    sg_diagnostics *d;
    sg_status st;
    int bad;
} loader;

/* A mistake at the value (or with AT_KEY the key) at PARENT/SLOT. */
static void bad(loader *l, const void *parent, uintptr_t slot, int at_key, const char *ptr,
                const char *fmt, ...) SGI_PRINTF(6, 7);
static void bad(loader *l, const void *parent, uintptr_t slot, int at_key, const char *ptr,
                const char *fmt, ...)
{
    l->bad = 1;
    if (l->st != SG_OK)
        return;
    sg_mark at = {0, 0, 0};
    int have = sgi_marks_at(l->doc->marks, parent, slot, at_key, &at);
    va_list ap;
    va_start(ap, fmt);
    l->st = sgi_vdiag(l->d, (sgi_source *)&l->doc->src, SG_SEVERITY_ERROR, "config",
                      have ? &at : NULL, ptr, NULL, fmt, ap);
    va_end(ap);
}

static unsigned line_of(const loader *l, const void *parent, uintptr_t slot)
{
    sg_mark m;
    return sgi_marks_at(l->doc->marks, parent, slot, 1, &m) ? m.line : 0;
}

static const char *type_name(struct json_object *v)
{
    return v ? json_type_to_name(json_object_get_type(v)) : "null";
}

static const char *const severities[] = {"info", "warning", "error", "off"};

static void load_rules(loader *l, struct json_object *v, const void *parent, uintptr_t slot)
{
    if (!json_object_is_type(v, json_type_object)) {
        bad(l, parent, slot, 0, "/rules", "rules is %s, not a mapping; write rules: {RULE: off}", type_name(v));
        return;
    }
    size_t n = (size_t)json_object_object_length(v);
    if (n && !(l->c->rules = calloc(n, sizeof *l->c->rules))) {
        l->st = SG_ENOMEM;
        return;
    }
    const char *ids[256];
    size_t nids = 0;
    for (const sg_rule *r; nids < 256 && (r = sg_rule_at(nids)) != NULL; nids++)
        ids[nids] = r->id;
    for (struct lh_entry *e = json_object_get_object(v)->head; e && l->st == SG_OK; e = e->next) {
        const char *id = (const char *)e->k;
        struct json_object *sv = (struct json_object *)e->v;
        char ptr[300], ex[120];
        sgi_buf pb = {0};
        sgi_buf_puts(&pb, "/rules/");
        sgi_pointer_append(&pb, id, strlen(id));
        snprintf(ptr, sizeof ptr, "%s", pb.data ? pb.data : "/rules");
        sgi_buf_fini(&pb);
        sgi_excerpt(ex, sizeof ex, id, strlen(id), 60);
        if (!sg_rule_find(id)) {
            const char *near = sgi_schema_did_you_mean(id, ids, nids);
            char hint[200];
            if (near)
                snprintf(hint, sizeof hint, " (did you mean \"%s\"?)", near);
            else
                snprintf(hint, sizeof hint, "; swaggate rules lists them");
            bad(l, v, (uintptr_t)e->k, 1, ptr, "unknown rule \"%s\"%s", ex, hint);
            continue;
        }
        int sev = -1;
        if (json_object_is_type(sv, json_type_string))
            for (int k = 0; k < 4; k++)
                if (strcmp(json_object_get_string(sv), severities[k]) == 0)
                    sev = k;
        if (sev < 0) {
            /* YAML 1.2 reads an unquoted off as a string, but 1.1 habits
             * (false, no) are worth a precise hint. */
            bad(l, v, (uintptr_t)e->k, 0, ptr,
                "the severity of rule \"%s\" must be off, info, warning or error%s", ex,
                json_object_is_type(sv, json_type_boolean) ? " (write off, not false)" : "");
            continue;
        }
        cfg_rule *cr = &l->c->rules[l->c->nrules];
        if (!(cr->id = strdup(id))) {
            l->st = SG_ENOMEM;
            return;
        }
        cr->sev = sev == 3 ? SG_CONFIG_OFF : sev;
        cr->line = line_of(l, v, (uintptr_t)e->k);
        l->c->nrules++;
    }
}

static void load_limits(loader *l, struct json_object *v, const void *parent, uintptr_t slot)
{
    if (!json_object_is_type(v, json_type_object)) {
        bad(l, parent, slot, 0, "/limits",
            "limits is %s, not a mapping; write limits: {depth: 64}", type_name(v));
        return;
    }
    size_t n = (size_t)json_object_object_length(v);
    if (n && !(l->c->limits = calloc(n, sizeof *l->c->limits))) {
        l->st = SG_ENOMEM;
        return;
    }
    const char *names[64];
    size_t nn = 0;
    while (nn < 64 && sg_limits_describe(nn, &names[nn], NULL, NULL, NULL))
        nn++;
    for (struct lh_entry *e = json_object_get_object(v)->head; e && l->st == SG_OK; e = e->next) {
        const char *name = (const char *)e->k;
        struct json_object *lv = (struct json_object *)e->v;
        char ex[120], ptr[200], msg[200];
        sgi_excerpt(ex, sizeof ex, name, strlen(name), 60);
        snprintf(ptr, sizeof ptr, "/limits/%s", name);
        size_t i;
        uint64_t cap = 0;
        for (i = 0; i < nn && strcmp(names[i], name) != 0; i++)
            ;
        if (i == nn) {
            const char *near = sgi_schema_did_you_mean(name, names, nn);
            if (near)
                snprintf(msg, sizeof msg, " (did you mean \"%s\"?)", near);
            else
                snprintf(msg, sizeof msg, "; swaggate lint --limit help lists them");
            bad(l, v, (uintptr_t)e->k, 1, ptr, "unknown limit \"%s\"%s", ex, msg);
            continue;
        }
        sg_limits_describe(i, NULL, NULL, &cap, NULL);
        sg_limits scratch;
        sg_limits_init(&scratch);
        int64_t iv = json_object_is_type(lv, json_type_int) ? json_object_get_int64(lv) : -1;
        if (iv <= 0 || sg_limits_set(&scratch, name, (uint64_t)iv) != SG_OK) {
            snprintf(msg, sizeof msg, "a whole number from 1 to %llu", (unsigned long long)cap);
            bad(l, v, (uintptr_t)e->k, 0, ptr, "limit \"%s\" must be %s", ex, msg);
            continue;
        }
        cfg_limit *cl = &l->c->limits[l->c->nlimits++];
        cl->name = names[i];
        cl->value = (uint64_t)iv;
        cl->line = line_of(l, v, (uintptr_t)e->k);
    }
}

static void load_exclude(loader *l, struct json_object *v, const void *parent, uintptr_t slot)
{
    if (!json_object_is_type(v, json_type_array)) {
        bad(l, parent, slot, 0, "/exclude",
            "exclude is %s, not a list; write exclude: [\"vendor/*\"]", type_name(v));
        return;
    }
    size_t n = json_object_array_length(v);
    if (n && !(l->c->excl = calloc(n, sizeof *l->c->excl))) {
        l->st = SG_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n && l->st == SG_OK; i++) {
        struct json_object *g = json_object_array_get_idx(v, i);
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/exclude/%zu", i);
        if (!json_object_is_type(g, json_type_string) || json_object_get_string_len(g) == 0) {
            bad(l, v, i, 0, ptr, "an exclude pattern is a non-empty string, not %s", type_name(g));
            continue;
        }
        cfg_pattern *p = &l->c->excl[l->c->nexcl];
        if (!(p->glob = strdup(json_object_get_string(g)))) {
            l->st = SG_ENOMEM;
            return;
        }
        sg_mark m;
        p->line = sgi_marks_at(l->doc->marks, v, i, 0, &m) ? m.line : 0;
        l->c->nexcl++;
    }
}

static void load_root(loader *l, struct json_object *root)
{
    if (!json_object_is_type(root, json_type_object)) {
        bad(l, NULL, 0, 0, "", "the configuration is %s, not a mapping of settings", type_name(root));
        return;
    }
    const char *names[N_KEYS];
    for (size_t i = 0; i < N_KEYS; i++)
        names[i] = keys[i].key;
    for (struct lh_entry *e = json_object_get_object(root)->head; e && l->st == SG_OK;
         e = e->next) {
        const char *k = (const char *)e->k;
        struct json_object *v = (struct json_object *)e->v;
        uintptr_t slot = (uintptr_t)e->k;
        size_t i;
        for (i = 0; i < N_KEYS && strcmp(keys[i].key, k) != 0; i++)
            ;
        char ex[120], ptr[200], hint[200];
        sgi_excerpt(ex, sizeof ex, k, strlen(k), 60);
        snprintf(ptr, sizeof ptr, "/%s", k);
        if (i == N_KEYS) {
            const char *near = sgi_schema_did_you_mean(k, names, N_KEYS);
            if (near)
                snprintf(hint, sizeof hint, " (did you mean \"%s\"?)", near);
            else
                snprintf(hint, sizeof hint,
                         "; the keys are profile, rules, exclude, limits and strict");
            bad(l, root, slot, 1, ptr, "unknown key \"%s\"%s", ex, hint);
            continue;
        }
        l->c->key_line[i] = line_of(l, root, slot);
        switch (i) {
        case K_PROFILE: {
            const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
            if (strcmp(s, "apig") == 0)
                l->c->profile = SG_PROFILE_APIG;
            else if (strcmp(s, "swagger") == 0)
                l->c->profile = SG_PROFILE_SWAGGER;
            else
                bad(l, root, slot, 0, ptr, "profile must be apig or swagger");
            break;
        }
        case K_STRICT:
            if (json_object_is_type(v, json_type_boolean))
                l->c->strict = json_object_get_boolean(v) ? 1 : 0;
            else
                bad(l, root, slot, 0, ptr, "strict must be true or false, not %s", type_name(v));
            break;
        case K_RULES:
            load_rules(l, v, root, slot);
            break;
        case K_LIMITS:
            load_limits(l, v, root, slot);
            break;
        default:
            load_exclude(l, v, root, slot);
            break;
        }
    }
}

/* sgi_diags_rewrite callback: drop diagnostics from index *CTX on. */
static int drop_from(void *ctx, sg_diagnostic *g)
{
    size_t *left = ctx;
    (void)g;
    if (*left == 0)
        return 0;
    (*left)--;
    return 1;
}

/* sgi_diags_rewrite callback: drop yaml-1.1-scalar warnings from index
 * *CTX on. */
static int drop_yaml11(void *ctx, sg_diagnostic *g)
{
    size_t *skip = ctx;
    if (*skip > 0) {
        (*skip)--;
        return 1;
    }
    return strcmp(g->rule, "yaml-1.1-scalar") != 0;
}

sg_status sg_config_load(const char *path, sg_diagnostics *diags, sg_config **out)
{
    if (!path || !out)
        return SG_EUSAGE;
    *out = NULL;
    sg_options o;
    sg_options_init(&o);
    o.format = SG_FORMAT_YAML; /* JSON is YAML too; the name may not say */
    sg_document *doc = NULL;
    size_t errors = sg_diagnostics_tally(diags, SG_SEVERITY_ERROR);
    size_t count = sg_diagnostics_count(diags);
    sg_status st = sg_document_load(path, &o, diags, &doc);
    int empty = 0;
    if (st == SG_EINPUT && sg_diagnostics_count(diags) == count + 1 &&
        strcmp(sg_diagnostics_get(diags, count)->rule, "empty-document") == 0) {
        /* Only comments: a configuration that sets nothing. */
        size_t at = count;
        sgi_diags_rewrite(diags, drop_from, &at);
        empty = 1;
        st = SG_OK;
    }
    if (st != SG_OK)
        return st;
    sg_config *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        sg_config_free(c);
        sg_document_free(doc);
        return SG_ENOMEM;
    }
    c->profile = c->strict = -1;
    /* The folder, absolute, so excludes match whatever the current folder. */
    char *real = realpath(path, NULL);
    if (real) {
        char *slash = strrchr(real, '/');
        if (slash)
            slash[slash == real ? 1 : 0] = '\0';
        c->dir = real;
    }
    /* Only swaggate reads its configuration, so YAML 1.1 readings of off
     * or yes do not matter here. */
    size_t from = count;
    sgi_diags_rewrite(diags, drop_yaml11, &from);
    loader l = {c, doc, diags, SG_OK, 0};
    /* Reading errors (a duplicate key) make the configuration ambiguous. */
    if (sg_diagnostics_tally(diags, SG_SEVERITY_ERROR) > errors)
        l.bad = 1;
    else if (!empty)
        load_root(&l, doc->root);
    sg_document_free(doc);
    if (l.st != SG_OK || l.bad) {
        sg_config_free(c);
        return l.st != SG_OK ? l.st : SG_EINPUT;
    }
    *out = c;
    return SG_OK;
}

const char *sg_config_path(const sg_config *c) { return c ? c->path : NULL; }
int sg_config_strict(const sg_config *c) { return c ? c->strict : -1; }

sg_status sg_config_apply(const sg_config *c, sg_options *o)
{
    if (!o)
        return SG_EUSAGE;
    if (!c)
        return SG_OK;
    if (c->profile >= 0)
        o->profile = (sg_profile)c->profile;
    if (c->strict >= 0)
        o->strict = c->strict;
    for (size_t i = 0; i < c->nlimits; i++)
        if (sg_limits_set(&o->limits, c->limits[i].name, c->limits[i].value) != SG_OK)
            return SG_EINTERNAL; /* checked at load */
    return SG_OK;
}

int sg_config_rule(const sg_config *c, const char *rule)
{
    if (!c || !rule)
        return SG_CONFIG_UNSET;
    for (size_t i = 0; i < c->nrules; i++)
        if (strcmp(c->rules[i].id, rule) == 0)
            return c->rules[i].sev;
    return SG_CONFIG_UNSET;
}

unsigned sg_config_line(const sg_config *c, const char *setting)
{
    if (!c || !setting)
        return 0;
    if (strncmp(setting, "rules.", 6) == 0) {
        for (size_t i = 0; i < c->nrules; i++)
            if (strcmp(c->rules[i].id, setting + 6) == 0)
                return c->rules[i].line;
        return 0;
    }
    if (strncmp(setting, "limits.", 7) == 0) {
        for (size_t i = 0; i < c->nlimits; i++)
            if (strcmp(c->limits[i].name, setting + 7) == 0)
                return c->limits[i].line;
        return 0;
    }
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].key, setting) == 0)
            return c->key_line[i];
    return 0;
}

int sg_config_excluded(const sg_config *c, const char *file, unsigned *line)
{
    if (!c || !file || !c->dir || c->nexcl == 0 || strcmp(file, "-") == 0)
        return 0;
    char *real = realpath(file, NULL);
    if (!real)
        return 0;
    size_t dl = strlen(c->dir);
    const char *rel = NULL;
    if (strcmp(c->dir, "/") == 0)
        rel = real + 1;
    else if (strncmp(real, c->dir, dl) == 0 && real[dl] == '/')
        rel = real + dl + 1;
    int hit = 0;
    for (size_t i = 0; rel && i < c->nexcl && !hit; i++) {
        const char *g = c->excl[i].glob;
        if (!strchr(g, '/')) {
            const char *base = strrchr(rel, '/');
            hit = fnmatch(g, base ? base + 1 : rel, 0) == 0;
            /* A name pattern also excludes folders of that name. */
            for (const char *p = rel; !hit && (p = strchr(p, '/')) != NULL; p++) {
                const char *s = p;
                while (s > rel && s[-1] != '/')
                    s--;
                char comp[PATH_MAX];
                snprintf(comp, sizeof comp, "%.*s", (int)(p - s), s);
                hit = fnmatch(g, comp, 0) == 0;
            }
        } else {
            char pat[PATH_MAX];
            snprintf(pat, sizeof pat, "%s", g[0] == '/' ? g + 1 : g);
            size_t pl = strlen(pat);
            while (pl > 1 && pat[pl - 1] == '/')
                pat[--pl] = '\0';
            hit = fnmatch(pat, rel, FNM_PATHNAME) == 0;
            /* A pattern naming a folder excludes what is below it. */
            for (const char *p = rel; !hit && (p = strchr(p, '/')) != NULL; p++) {
                char pre[PATH_MAX];
                snprintf(pre, sizeof pre, "%.*s", (int)(p - rel), rel);
                hit = fnmatch(pat, pre, FNM_PATHNAME) == 0;
            }
        }
        if (hit && line)
            *line = c->excl[i].line;
    }
    free(real);
    return hit;
}

const char *sg_config_exclude_at(const sg_config *c, size_t i, unsigned *line)
{
    if (!c || i >= c->nexcl)
        return NULL;
    if (line)
        *line = c->excl[i].line;
    return c->excl[i].glob;
}

sg_status sg_config_find(const char *file, char **path)
{
    if (!path)
        return SG_EUSAGE;
    *path = NULL;
    char *dir;
    if (!file || strcmp(file, "-") == 0) {
        dir = getcwd(NULL, 0);
    } else {
        char *real = realpath(file, NULL);
        if (!real) {
            /* A file that does not exist (yet): its folder as written. */
            const char *slash = strrchr(file, '/');
            real = slash ? strndup(file, (size_t)(slash - file) + (slash == file))
                         : getcwd(NULL, 0);
            if (real && slash) {
                char *r2 = realpath(real, NULL);
                free(real);
                real = r2;
            }
            dir = real;
        } else {
            struct stat sb;
            if (stat(real, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
                char *slash = strrchr(real, '/');
                slash[slash == real ? 1 : 0] = '\0';
            }
            dir = real;
        }
    }
    if (!dir)
        return errno == ENOMEM ? SG_ENOMEM : SG_OK;
    size_t cap = strlen(dir) + sizeof "/" SG_CONFIG_FILE_NAME + 8;
    char *buf = malloc(cap);
    if (!buf) {
        free(dir);
        return SG_ENOMEM;
    }
    for (;;) {
        struct stat sb;
        snprintf(buf, cap, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, SG_CONFIG_FILE_NAME);
        if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode)) {
            *path = buf;
            free(dir);
            return SG_OK;
        }
        /* The top of a git work tree ends the search: a configuration above
         * it belongs to another project. */
        snprintf(buf, cap, "%s/.git", strcmp(dir, "/") == 0 ? "" : dir);
        if (stat(buf, &sb) == 0 || strcmp(dir, "/") == 0)
            break;
        char *slash = strrchr(dir, '/');
        if (!slash)
            break;
        slash[slash == dir ? 1 : 0] = '\0';
    }
    free(buf);
    free(dir);
    return SG_OK;
}

/* ---- per-rule severities -------------------------------------------------- */

static int severity_fn(void *ctx, sg_diagnostic *g)
{
    int s = sg_config_rule((const sg_config *)ctx, g->rule);
    if (s == SG_CONFIG_OFF)
        return 0;
    if (s != SG_CONFIG_UNSET)
        g->severity = (sg_severity)s;
    return 1;
}

sg_status sg_diagnostics_apply_config(sg_diagnostics *d, const sg_config *c)
{
    if (!d)
        return SG_EUSAGE;
    if (c && c->nrules)
        sgi_diags_rewrite(d, severity_fn, (void *)c);
    return SG_OK;
}

/* ---- suppression comments ------------------------------------------------- */

typedef struct supp {
    unsigned line;    /* the line it applies to */
    sg_mark at;       /* the '#' */
    char rule[128];
    int used;
} supp;

typedef struct supp_set {
    supp *s;
    size_t n, cap;
    const char *file;
} supp_set;

static int is_space(int c) { return c == ' ' || c == '\t'; }

/* Offset of the '#' that starts a comment on the line [P, P+LEN), or -1.
 * A quote opens a quoted scalar only where a token starts ("it's" is a
 * plain scalar), and only a '#' after whitespace (or at the start) is a
 * comment: YAML's own rule. */
static long comment_start(const char *p, size_t len)
{
    char q = 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (q == '"') {
            if (c == '\\')
                i++;
            else if (c == '"')
                q = 0;
            continue;
        }
        if (q == '\'') {
            if (c == '\'' && i + 1 < len && p[i + 1] == '\'')
                i++;
            else if (c == '\'')
                q = 0;
            continue;
        }
        int token_start = i == 0 || is_space(p[i - 1]) || strchr(":[{,-?", p[i - 1]);
        if ((c == '"' || c == '\'') && token_start)
            q = c;
        else if (c == '#' && (i == 0 || is_space(p[i - 1])))
            return (long)i;
    }
    return -1;
}

static sg_status supp_add(supp_set *ss, unsigned line, sg_mark at, const char *rule, size_t n)
{
    if (ss->n == ss->cap) {
        size_t nc = ss->cap ? ss->cap * 2 : 8;
        supp *ns = realloc(ss->s, nc * sizeof *ns);
        if (!ns)
            return SG_ENOMEM;
        ss->s = ns;
        ss->cap = nc;
    }
    supp *s = &ss->s[ss->n++];
    memset(s, 0, sizeof *s);
    s->line = line;
    s->at = at;
    snprintf(s->rule, sizeof s->rule, "%.*s", (int)n, rule);
    return SG_OK;
}

static int suppress_fn(void *ctx, sg_diagnostic *g)
{
    supp_set *ss = ctx;
    if (!g->file || strcmp(g->file, ss->file) != 0 || g->start.line == 0)
        return 1;
    int keep = 1;
    for (size_t i = 0; i < ss->n; i++)
        if (ss->s[i].line == g->start.line && strcmp(ss->s[i].rule, g->rule) == 0) {
            ss->s[i].used = 1;
            keep = 0;
        }
    return keep;
}

#define IGNORE_WORD "swaggate-ignore"

/* Whether the N bytes at TEXT hold WORD anywhere (memmem is not POSIX). */
static int mentions(const char *text, size_t n, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = text, *end = text + n; (size_t)(end - p) >= wl; p++) {
        if (!(p = memchr(p, word[0], (size_t)(end - p) - wl + 1)))
            return 0;
        if (memcmp(p, word, wl) == 0)
            return 1;
    }
    return 0;
}

sg_status sg_diagnostics_suppress(sg_diagnostics *d, const sg_document *doc)
{
    if (!d || !doc)
        return SG_EUSAGE;
    if (doc->format != SG_FORMAT_YAML)
        return SG_OK; /* JSON has no comments */
    sgi_source *src = (sgi_source *)&doc->src;
    /* Without the word there is no suppression and nothing to report: one
     * pass over the bytes instead of a quoting-aware walk of every line. */
    if (!mentions((const char *)src->text, src->len, IGNORE_WORD))
        return SG_OK;
    supp_set ss = {NULL, 0, 0, src->name};
    sg_status st = SG_OK;
    size_t first_pending = 0; /* comment-only suppressions from here wait for their line */
    long block = -1; /* in a block scalar (| or >): the indentation of its key's line */
    const char *ids[256];
    size_t nids = 0;
    for (const sg_rule *r; nids < 256 && (r = sg_rule_at(nids)) != NULL; nids++)
        ids[nids] = r->id;
    size_t ls, ll;
    for (unsigned line = 1; st == SG_OK && sgi_source_line(src, line, &ls, &ll); line++) {
        const char *p = (const char *)src->text + ls;
        size_t skip = 0;
        while (skip < ll && is_space(p[skip]))
            skip++;
        int blank = skip == ll;
        /* The lines of a block scalar are text, not comments. */
        if (block >= 0 && (blank || (long)skip > block))
            continue;
        block = -1;
        long h = memchr(p, '#', ll) ? comment_start(p, ll) : -1;
        int only_comment = h >= 0 && (size_t)h == skip;
        size_t e = h >= 0 ? (size_t)h : ll;
        while (e > skip && is_space(p[e - 1]))
            e--;
        /* "key: |", "- >-", "key: |2+": a block scalar starts below. */
        size_t k = e;
        while (k > skip && strchr("+-0123456789", p[k - 1]))
            k--;
        if (k > skip && (p[k - 1] == '|' || p[k - 1] == '>') &&
            (k - 1 == skip || is_space(p[k - 2])))
            block = (long)skip;
        if (!only_comment && !blank) {
            /* The waiting comments apply to this line. */
            for (size_t i = first_pending; i < ss.n; i++)
                if (ss.s[i].line == 0)
                    ss.s[i].line = line;
            first_pending = ss.n;
        }
        if (h < 0)
            continue;
        const char *c = p + h + 1, *end = p + ll;
        while (c < end && is_space(*c))
            c++;
        size_t wl = strlen(IGNORE_WORD);
        if ((size_t)(end - c) < wl || strncmp(c, IGNORE_WORD, wl) != 0 ||
            (c + wl < end && !is_space(c[wl])))
            continue;
        sg_mark at = sgi_source_mark_at(src, ls + (size_t)h);
        c += wl;
        while (c < end && is_space(*c))
            c++;
        const char *re = c;
        while (re < end && !is_space(*re))
            re++;
        if (re == c) {
            st = sgi_diag(d, src, SG_SEVERITY_WARNING, "suppression-invalid", &at, NULL, NULL,
                          "swaggate-ignore names no rule; write # swaggate-ignore RULE reason");
            continue;
        }
        /* RULE[,RULE...] */
        for (const char *r = c; r < re && st == SG_OK;) {
            const char *comma = memchr(r, ',', (size_t)(re - r));
            const char *rend = comma ? comma : re;
            char id[128], ex[140];
            snprintf(id, sizeof id, "%.*s", (int)(rend - r), r);
            sgi_excerpt(ex, sizeof ex, id, strlen(id), 60);
            if (strcmp(id, "*") == 0)
                st = sgi_diag(d, src, SG_SEVERITY_WARNING, "suppression-invalid", &at, NULL, NULL,
                              "swaggate-ignore * is not allowed: name the rules to ignore");
            else if (!sg_rule_find(id)) {
                const char *near = sgi_schema_did_you_mean(id, ids, nids);
                st = sgi_diag(d, src, SG_SEVERITY_WARNING, "suppression-invalid", &at, NULL, NULL,
                              "swaggate-ignore names the unknown rule \"%s\"%s%s%s", ex,
                              near ? " (did you mean \"" : "", near ? near : "",
                              near ? "\"?)" : "");
            } else
                st = supp_add(&ss, only_comment ? 0 : line, at, id, strlen(id));
            r = rend + 1;
        }
    }
    if (st == SG_OK)
        sgi_diags_rewrite(d, suppress_fn, &ss);
    for (size_t i = 0; i < ss.n && st == SG_OK; i++)
        if (!ss.s[i].used)
            st = sgi_diag(d, src, SG_SEVERITY_WARNING, "unused-suppression", &ss.s[i].at, NULL,
                          NULL,
                          "this swaggate-ignore %s suppresses nothing%s: remove it",
                          ss.s[i].rule, ss.s[i].line ? "" : " (no line follows it)");
    free(ss.s);
    return st;
}

/* ---- baselines ---------------------------------------------------------- */

struct sg_baseline {
    struct json_object *counts; /* key -> int: findings left to match */
};

sg_baseline *sg_baseline_new(void)
{
    sg_baseline *b = calloc(1, sizeof *b);
    if (b && !(b->counts = json_object_new_object())) {
        free(b);
        return NULL;
    }
    return b;
}

void sg_baseline_free(sg_baseline *b)
{
    if (!b)
        return;
    json_object_put(b->counts);
    free(b);
}

/* FNV-1a: stable across builds and platforms, which a baseline needs. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The key of a finding: the JSON array [file, rule, pointer or null,
 * hash], which no file name or pointer can make ambiguous. */
static char *make_key(const char *file, const char *rule, const char *pointer, const char *hash)
{
    sgi_buf b = {0};
    const char *f[4] = {file ? file : "-", rule ? rule : "", pointer, hash};
    for (int i = 0; i < 4; i++) {
        sgi_buf_puts(&b, i ? "," : "[");
        if (f[i])
            sgi_buf_json_string(&b, f[i], strlen(f[i]));
        else
            sgi_buf_puts(&b, "null");
    }
    sgi_buf_puts(&b, "]");
    if (b.oom) {
        sgi_buf_fini(&b);
        return NULL;
    }
    return b.data;
}

static char *diag_key(const sg_diagnostic *g)
{
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)fnv1a(g->message ? g->message : ""));
    return make_key(g->file, g->rule, g->pointer, hash);
}

static sg_status bump(sg_baseline *b, const char *key, int64_t by)
{
    struct json_object *v;
    if (json_object_object_get_ex(b->counts, key, &v))
        return json_object_set_int64(v, json_object_get_int64(v) + by) ? SG_OK : SG_ENOMEM;
    v = json_object_new_int64(by);
    if (!v || sgi_object_add_new(b->counts, key, v) != 0) {
        json_object_put(v);
        return SG_ENOMEM;
    }
    return SG_OK;
}

sg_status sg_baseline_add(sg_baseline *b, const sg_diagnostics *d)
{
    if (!b || !d)
        return SG_EUSAGE;
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        char *k = diag_key(sg_diagnostics_get(d, i));
        sg_status st = k ? bump(b, k, 1) : SG_ENOMEM;
        free(k);
        if (st != SG_OK)
            return st;
    }
    return SG_OK;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Write N bytes at P to FD: 1, or 0 with errno set. */
static int write_all(int fd, const char *p, size_t n)
{
    size_t w = 0;
    while (w < n) {
        ssize_t r = write(fd, p + w, n - w);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return 0;
        }
        w += (size_t)r;
    }
    return 1;
}

sg_status sg_baseline_write(const sg_baseline *b, const char *path)
{
    if (!b || !path)
        return SG_EUSAGE;
    /* Sorted keys: the file does not change when the findings do not. */
    size_t n = (size_t)json_object_object_length(b->counts), k = 0;
    const char **ks = malloc((n ? n : 1) * sizeof *ks);
    if (!ks)
        return SG_ENOMEM;
    for (struct lh_entry *e = json_object_get_object(b->counts)->head; e; e = e->next)
        ks[k++] = (const char *)e->k;
    qsort(ks, n, sizeof *ks, cmp_strp);
    sgi_buf out = {0};
    sgi_buf_puts(&out, "{\"version\": 1, \"findings\": [");
    for (size_t i = 0; i < n && !out.oom; i++) {
        struct json_object *key = json_tokener_parse(ks[i]);
        if (!key) {
            out.oom = 1;
            break;
        }
        struct json_object *cv = json_object_object_get(b->counts, ks[i]);
        static const char *const names[] = {"file", "rule", "pointer", "hash"};
        for (size_t j = 0; j < 4; j++) {
            struct json_object *v = json_object_array_get_idx(key, j);
            sgi_buf_printf(&out, "%s\"%s\": ", j ? ", " : i ? ",\n  {" : "\n  {", names[j]);
            if (v)
                sgi_buf_json_string(&out, json_object_get_string(v),
                                    (size_t)json_object_get_string_len(v));
            else
                sgi_buf_puts(&out, "null");
        }
        sgi_buf_printf(&out, ", \"count\": %lld}", (long long)json_object_get_int64(cv));
        json_object_put(key);
    }
    sgi_buf_puts(&out, "\n]}\n");
    free(ks);
    if (out.oom) {
        sgi_buf_fini(&out);
        return SG_ENOMEM;
    }
    /* Not a regular file (/dev/stdout, a FIFO, /dev/full): written in place,
     * since renaming over it would replace a device node with a file. */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        int ok = fd >= 0 && write_all(fd, out.data, out.len);
        int e = errno;
        if (fd >= 0 && close(fd) != 0 && ok)
            ok = 0, e = errno;
        sgi_buf_fini(&out);
        errno = e;
        return ok ? SG_OK : SG_EINPUT;
    }
    /* Atomic: a temporary file in the same folder (same filesystem), then
     * rename, so a reader never sees half a baseline. */
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) {
        sgi_buf_fini(&out);
        return SG_ENOMEM;
    }
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, pl + 16, "%.*s.%s.XXXXXX", (int)dl, path, path + dl);
    int fd = mkstemp(tmp);
    sg_status st = SG_EINPUT;
    if (fd >= 0) {
        int ok = write_all(fd, out.data, out.len) && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
        /* mkstemp made it 0600; a baseline is shared like any source file. */
        ok = ok && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0;
        if (ok)
            st = SG_OK;
        else {
            int e = errno;
            unlink(tmp);
            errno = e;
        }
    }
    free(tmp);
    sgi_buf_fini(&out);
    return st;
}

sg_status sg_baseline_load(const char *path, sg_diagnostics *diags, sg_baseline **out)
{
    if (!path || !out)
        return SG_EUSAGE;
    *out = NULL;
    sg_options o;
    sg_options_init(&o);
    o.format = SG_FORMAT_JSON;
    sg_document *doc = NULL;
    sg_status st = sg_document_load(path, &o, diags, &doc);
    if (st != SG_OK)
        return st;
    sg_baseline *b = sg_baseline_new();
    if (!b) {
        sg_document_free(doc);
        return SG_ENOMEM;
    }
    struct json_object *fs = NULL;
    if (!json_object_object_get_ex(doc->root, "findings", &fs) ||
        !json_object_is_type(fs, json_type_array)) {
        st = sgi_doc_diag(doc, diags, SG_SEVERITY_ERROR, "baseline", NULL, 0, 0, "", NULL,
                          "not a swaggate baseline: no \"findings\" list; write one with "
                          "--write-baseline");
        if (st == SG_OK)
            st = SG_EINPUT;
    }
    for (size_t i = 0; fs && st == SG_OK && i < json_object_array_length(fs); i++) {
        struct json_object *e = json_object_array_get_idx(fs, i), *f, *r, *p, *h, *c;
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/findings/%zu", i);
        if (!json_object_object_get_ex(e, "file", &f) || !json_object_is_type(f, json_type_string) ||
            !json_object_object_get_ex(e, "rule", &r) || !json_object_is_type(r, json_type_string) ||
            !json_object_object_get_ex(e, "hash", &h) || !json_object_is_type(h, json_type_string) ||
            !json_object_object_get_ex(e, "count", &c) || !json_object_is_type(c, json_type_int) ||
            json_object_get_int64(c) < 1 || !json_object_object_get_ex(e, "pointer", &p) ||
            (p && !json_object_is_type(p, json_type_string))) {
            st = sgi_doc_diag(doc, diags, SG_SEVERITY_ERROR, "baseline", fs, i, 0, ptr, NULL,
                              "a baseline entry has file, rule, pointer (string or null), hash "
                              "and count (at least 1)");
            if (st == SG_OK)
                st = SG_EINPUT;
            break;
        }
        char *k = make_key(json_object_get_string(f), json_object_get_string(r),
                           p ? json_object_get_string(p) : NULL, json_object_get_string(h));
        st = k ? bump(b, k, json_object_get_int64(c)) : SG_ENOMEM;
        free(k);
    }
    sg_document_free(doc);
    if (st != SG_OK) {
        sg_baseline_free(b);
        return st;
    }
    *out = b;
    return SG_OK;
}

typedef struct filter_ctx {
    sg_baseline *b;
    int oom;
} filter_ctx;

static int baseline_fn(void *ctx, sg_diagnostic *g)
{
    filter_ctx *fc = ctx;
    char *k = diag_key(g);
    struct json_object *v;
    if (!k) {
        fc->oom = 1;
        return 1;
    }
    int keep = 1;
    if (json_object_object_get_ex(fc->b->counts, k, &v) && json_object_get_int64(v) > 0) {
        json_object_set_int64(v, json_object_get_int64(v) - 1);
        keep = 0;
    }
    free(k);
    return keep;
}

sg_status sg_baseline_filter(sg_baseline *b, sg_diagnostics *d)
{
    if (!b || !d)
        return SG_EUSAGE;
    filter_ctx fc = {b, 0};
    sgi_diags_rewrite(d, baseline_fn, &fc);
    return fc.oom ? SG_ENOMEM : SG_OK;
}
