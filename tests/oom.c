/* Allocation failure (issue 9): the whole pipeline through the public API
 * (config, load or parse, lint, suppressions, baseline, sort, every reporter,
 * JSON output, schema validation) run once per allocation, with allocation
 * number N failing, for N = 1, 2, ... until a run needs no failure. Each run
 * must end in SG_ENOMEM, or in the result of a run without failures (the
 * library may absorb a failure, never change its answer), and must leave no
 * block allocated. jansson's test_chaos.c is the model.
 *
 * Two ways to fail an allocation:
 * - the C library's: this program defines malloc, calloc, realloc, free and
 *   the aligned allocators, which glibc lets a program replace; json-c,
 *   libyaml and PCRE2 are shared libraries, so their allocations come here
 *   too. Blocks allocated during a run are kept in a table, so a leak is
 *   named by its allocation number and size. Not in sanitizer builds: ASan
 *   owns malloc there (and checks leaks itself), so only the hooks run.
 * - the library's hooks (sg_options.allocator): a hook that fails its N-th
 *   call, and one that counts, which proves that allocations go through it
 *   (inside each of sg_lint, sg_schema_validate, sg_normalize and
 *   sg_plan_new that the case calls), that every block comes back, and, where
 *   the C library's allocator is replaced, that swaggate's own code calls
 *   it directly not once inside those calls (json-c, libyaml and the C
 *   library's own functions are shared libraries, not counted). Each hook
 *   block carries a header, so a block given to the wrong free is caught.
 * The pipeline also normalizes (sg_bytes out) or plans (sg_plan written) in
 * the cases that say so. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swaggate.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OOM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define OOM_SANITIZED 1
#endif
#endif
#if !defined(OOM_SANITIZED) && defined(__GLIBC__)
#define OOM_INTERPOSE 1
#endif

/* ---- the failing allocator ------------------------------------------ */

#ifdef OOM_INTERPOSE
static __thread unsigned long t_fail_at; /* fail allocation number t_fail_at (1-based); 0: none */
static __thread unsigned long t_count;   /* allocations since arming */
static __thread int t_armed;             /* count (and fail) allocations now */
static __thread unsigned long t_failed;  /* failures injected since arming */

/* Direct calls of the C library's allocator from this program's own code
 * (swaggate is linked in statically) while a call given hooks runs: each is
 * an allocation that should have gone through the hooks. Calls from the
 * shared libraries (json-c, libyaml, PCRE2, the C library's own strdup and
 * the like) are not counted; the hooks allocate from glibc directly. */
static __thread int t_watch;   /* inside a library call given hooks */
static unsigned long direct_n;
static void *direct_at[8];
static const void *exe_base;

static void note_caller(void *ra)
{
    Dl_info info;
    if (!t_watch || !exe_base || !dladdr(ra, &info) || info.dli_fbase != exe_base)
        return;
    if (direct_n < sizeof direct_at / sizeof direct_at[0])
        direct_at[direct_n] = (void *)((char *)ra - (char *)exe_base);
    direct_n++;
}

static int should_fail(void)
{
    if (!t_armed)
        return 0;
    if (++t_count == t_fail_at) {
        t_failed++;
        return 1;
    }
    return 0;
}

/* glibc's own entry points, which a replacement malloc may call. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t size);
/* Obsolete allocators glibc still has (<malloc.h>, not included). */
void *memalign(size_t align, size_t size);
void *pvalloc(size_t size);

/* Blocks allocated while tracking is on, by address (open addressing,
 * deletion by backward shift). A block allocated before is not in it, and
 * its free is ignored. */
enum { LIVE_BITS = 19, LIVE_CAP = 1u << LIVE_BITS };
typedef struct live_block {
    void *p;
    unsigned long seq; /* allocation number within the run */
    size_t size;
} live_block;
static live_block live[LIVE_CAP];
static size_t live_n;
static int live_full; /* the table overflowed: leak counts are unreliable */
static int tracking;
/* SWAGGATE_OOM_TRAP=N:K prints the stack of allocation K of the run that
 * fails allocation N: where a leaked block comes from (addr2line -e). */
static unsigned long trap_run, trap_at;

static size_t live_hash(const void *p)
{
    return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >> (64 - LIVE_BITS));
}

static void live_add(void *p, size_t size)
{
    if (!tracking || !p)
        return;
    if (live_n + 1 >= LIVE_CAP / 2) {
        live_full = 1;
        return;
    }
    size_t i = live_hash(p);
    while (live[i].p)
        i = (i + 1) & (LIVE_CAP - 1);
    if (trap_at && t_count == trap_at && t_fail_at == trap_run) {
        void *frames[32];
        int nf = backtrace(frames, 32);
        backtrace_symbols_fd(frames, nf, 2);
    }
    live[i].p = p;
    live[i].seq = t_count;
    live[i].size = size;
    live_n++;
}

/* Remove P; 1 when it was there. */
static int live_remove(void *p)
{
    if (!p || live_n == 0)
        return 0;
    size_t i = live_hash(p);
    while (live[i].p && live[i].p != p)
        i = (i + 1) & (LIVE_CAP - 1);
    if (!live[i].p)
        return 0;
    live[i].p = NULL;
    live_n--;
    /* Move later entries of the cluster back into the hole. */
    for (size_t j = (i + 1) & (LIVE_CAP - 1); live[j].p; j = (j + 1) & (LIVE_CAP - 1)) {
        size_t h = live_hash(live[j].p);
        int movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
        if (movable) {
            live[i] = live[j];
            live[j].p = NULL;
            i = j;
        }
    }
    return 1;
}

static void *do_malloc(size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(size);
    live_add(p, size);
    return p;
}

void *malloc(size_t size)
{
    note_caller(__builtin_return_address(0));
    return do_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    note_caller(__builtin_return_address(0));
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    live_add(p, n * size);
    return p;
}

static void *do_realloc(void *old, size_t size)
{
    if (!old)
        return do_malloc(size);
    if (size == 0) {
        free(old);
        return NULL;
    }
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_realloc(old, size);
    /* A block from before the run stays out of the table when it moves. */
    if (p && live_remove(old))
        live_add(p, size);
    return p;
}

void *realloc(void *old, size_t size)
{
    note_caller(__builtin_return_address(0));
    return do_realloc(old, size);
}

void *reallocarray(void *old, size_t n, size_t size)
{
    note_caller(__builtin_return_address(0));
    if (size && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return do_realloc(old, n * size);
}

void free(void *p)
{
    if (!p)
        return;
    live_remove(p);
    __libc_free(p);
}

void *memalign(size_t align, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_memalign(align, size);
    live_add(p, size);
    return p;
}

void *aligned_alloc(size_t align, size_t size) { return memalign(align, size); }

int posix_memalign(void **out, size_t align, size_t size)
{
    void *p = memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size) { return memalign((size_t)sysconf(_SC_PAGESIZE), size); }

void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return memalign(page, (size + page - 1) / page * page);
}
#endif

/* ---- the hooks -------------------------------------------------------- */

/* Counts its blocks (and bytes asked for) and fails its N-th call like the
 * C library above. Each block carries a header with a mark and the hook
 * state it came from, so that a block of the hooks given to free(), or one
 * of the C library given to the hooks' free, is caught (ASan reports the
 * first as a bad free, the mark check the second). */
typedef struct hook_state {
    long live;         /* blocks out */
    unsigned long calls; /* malloc and realloc calls */
    unsigned long fail_at;
    unsigned long failed;
} hook_state;

#define HOOK_MAGIC 0x5347484bu /* "SGHK" */
/* The hooks' own blocks come straight from glibc: neither failed, tracked
 * nor taken for direct calls by the interposed allocator above. */
#ifdef OOM_INTERPOSE
#define HOOK_MALLOC __libc_malloc
#define HOOK_REALLOC __libc_realloc
#define HOOK_FREE __libc_free
#else
#define HOOK_MALLOC malloc
#define HOOK_REALLOC realloc
#define HOOK_FREE free
#endif
typedef union hook_head {
    struct {
        unsigned magic;
        hook_state *owner;
    } h;
    max_align_t align;
} hook_head;

static hook_head *hook_head_of(hook_state *h, void *ptr)
{
    hook_head *hd = (hook_head *)ptr - 1;
    if (hd->h.magic != HOOK_MAGIC || hd->h.owner != h) {
        fprintf(stderr, "oom: a block not allocated by these hooks was given to them\n");
        abort();
    }
    return hd;
}

static void *hook_malloc(void *ud, size_t size)
{
    hook_state *h = ud;
    if (++h->calls == h->fail_at) {
        h->failed++;
        return NULL;
    }
    hook_head *hd = HOOK_MALLOC(sizeof *hd + size);
    if (!hd)
        return NULL;
    hd->h.magic = HOOK_MAGIC;
    hd->h.owner = h;
    h->live++;
    return hd + 1;
}

static void *hook_realloc(void *ud, void *ptr, size_t size)
{
    hook_state *h = ud;
    hook_head *hd = hook_head_of(h, ptr);
    if (++h->calls == h->fail_at) {
        h->failed++;
        return NULL;
    }
    hook_head *nh = HOOK_REALLOC(hd, sizeof *nh + size);
    return nh ? nh + 1 : NULL;
}

static void hook_free(void *ud, void *ptr)
{
    hook_state *h = ud;
    hook_head *hd = hook_head_of(h, ptr);
    hd->h.magic = 0;
    h->live--;
    HOOK_FREE(hd);
}

/* ---- the pipeline ----------------------------------------------------- */

typedef struct oom_case {
    const char *name;
    const char *file;      /* under $top_srcdir/corpus; or the text itself with parse */
    const char *text;
    int parse;             /* sg_document_parse of its bytes (else sg_document_load) */
    const char *config;    /* a .swaggate.yaml to load and apply, or NULL */
    int baseline;          /* load a baseline (1: of the swagger profile's findings, 2: of
                              all), filter with it, write one of what is left */
    const char *schema;    /* validate the file against this schema (JSON text) */
    int reuse_set;         /* lint with a schema set made before the runs */
    int normalize;         /* then sg_normalize (1: pretty, 2: canonical), its bytes written */
    const char *existing;  /* then sg_plan_new into this export (under corpus; "": a new
                              group), the plan written as JSON */
    sg_status want;        /* how the run ends without failures: SG_OK, or SG_EINPUT for an
                              unusable file (its findings are reported all the same) */
} oom_case;

static const char *const g_schema =
    "{\"id\": \"http://example.com/s.json\", \"type\": \"object\",\n"
    " \"required\": [\"swagger\", \"info\"],\n"
    " \"properties\": {\n"
    "  \"swagger\": {\"enum\": [\"2.0\"]},\n"
    "  \"info\": {\"$ref\": \"#/definitions/info\"},\n"
    "  \"host\": {\"type\": \"string\", \"format\": \"hostname\"},\n"
    "  \"paths\": {\"type\": \"object\", \"patternProperties\": {\"^/[a-z{}/]*$\": {\"type\": "
    "\"object\"}},\n"
    "            \"additionalProperties\": false}},\n"
    " \"definitions\": {\"info\": {\"type\": \"object\", \"required\": [\"title\", \"version\"],\n"
    "   \"properties\": {\"title\": {\"type\": \"string\", \"pattern\": \"^[A-Z]\", \"maxLength\": 8},\n"
    "     \"version\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}}}}}\n";

static const oom_case g_cases[] = {
    {"valid-yaml", "valid/yaml-core-schema/input.yaml", NULL, 0, NULL, 0, NULL, 1, 0, NULL, SG_OK},
    /* without a shared schema set: sg_lint makes its own */
    {"valid-json", "valid/petstore-json/input.json", NULL, 1, NULL, 0, NULL, 0, 0, NULL, SG_OK},
    {"apig", "valid/apig-http/input.yaml", NULL, 0, "profile: apig\nrules:\n  apig-ignored: off\n", 0,
     NULL, 1, 0, NULL, SG_OK},
    /* whole numbers written as 0.000 or 6.0001e4: each value checked again
     * as an integer (check_apig_schema.c's redo records, a json-c int) */
    {"apig-whole-number", "apig/apig-timeout-whole-number-bad/input.yaml", NULL, 0,
     "profile: apig\n", 0, NULL, 1, 0, NULL, SG_OK},
    {"findings", "readme/orders-broken/input.yaml", NULL, 0,
     "strict: true\nrules:\n  path-param-unused: warning\n", 1, NULL, 1, 0, NULL, SG_OK},
    {"refs", "resolve/multi-file-ok/input.yaml", NULL, 0, NULL, 0, NULL, 1, 0, NULL, SG_OK},
    /* 13 findings: the baseline's table of counts grows (json-c's key leak) */
    {"many-findings", "resolve/malformed/input.yaml", NULL, 0, NULL, 2, NULL, 1, 0, NULL, SG_OK},
    {"schema", "readme/orders-broken/input.yaml", NULL, 1, NULL, 0, "", 1, 0, NULL, SG_OK},
    /* a merge key bringing 12 members: the mapping's table grows while merging */
    {"yaml-merge", "merge.yaml",
     "swagger: \"2.0\"\ninfo: {title: m, version: \"1\"}\npaths: {}\ndefinitions:\n"
     "  base: &b {type: object, title: t, description: d, required: [a], x-a: 1, x-b: 2,\n"
     "    x-c: 3, x-d: 4, x-e: 5, x-f: 6, x-g: 7, x-h: 8}\n"
     "  child:\n    <<: *b\n    x-z: 0\n",
     1, NULL, 0, NULL, 1, 0, NULL, SG_OK},
    /* normalize: file $refs bundled (the resolver, bundle.c's tables), then
     * the canonical bytes (jcs.c), each into an sg_bytes */
    {"normalize", "resolve/multi-file-ok/input.yaml", NULL, 0, NULL, 0, NULL, 1, 1, NULL, SG_OK},
    {"normalize-canonical", "valid/petstore-json/input.json", NULL, 1, NULL, 0, NULL, 0, 2, NULL, SG_OK},
    /* plan: into an existing group, and into a new one */
    {"plan", "plan/extend-merge/file.yaml", NULL, 0, NULL, 0, NULL, 1, 0,
     "plan/extend-merge/existing.yaml", SG_OK},
    {"plan-new", "plan/merge-route/file.yaml", NULL, 1, NULL, 0, NULL, 1, 0, "", SG_OK},
    /* unusable files: the readers' error paths, their messages and hints,
     * must fail cleanly too, and never report another error instead */
    {"yaml-syntax", "syntax.yaml",
     "swagger: \"2.0\"\ninfo: {title: s, version: \"1\"}\npaths:\n  /a:\n    get:\n"
     "      description: Note: the colon\n",
     1, NULL, 0, NULL, 1, 0, NULL, SG_EINPUT},
    {"yaml-alias", "alias.yaml",
     "swagger: \"2.0\"\ninfo: &i {title: s, version: \"1\"}\npaths: {}\nx-a: [*i, *i, *nope]\n", 1,
     NULL, 0, NULL, 1, 0, NULL, SG_EINPUT},
    {"json-syntax", "syntax.json",
     "{\"swagger\": \"2.0\", \"info\": {\"title\": \"s\", \"version\": \"1\"},\n"
     " \"paths\": {\"/a\": {\"get\": {\"responses\": {}}},}}\n",
     1, NULL, 0, NULL, 1, 0, NULL, SG_EINPUT},
    {"encoding", "encoding.yaml",
     "swagger: \"2.0\"\ninfo: {title: s, version: \"1\"}\npaths: {}\nx-a: \"caf\xc3\"\n", 1, NULL, 0,
     NULL, 1, 0, NULL, SG_EINPUT},
};

/* Hook calls made inside each library call of a run through the hooks (the
 * counting run checks that each call the case makes uses the hooks). */
enum { PH_LINT, PH_VALIDATE, PH_NORMALIZE, PH_PLAN, PH_N };
static const char *const g_phase_name[PH_N] = {"sg_lint", "sg_schema_validate", "sg_normalize",
                                               "sg_plan_new"};
static unsigned long g_phase[PH_N];
static int g_phase_ran[PH_N];
static unsigned long hook_calls(const sg_allocator *a)
{
    return a ? ((const hook_state *)a->ud)->calls : 0;
}
#ifdef OOM_INTERPOSE
#define WATCH(on) (t_watch = (on))
#else
#define WATCH(on) ((void)(on))
#endif
#define PHASE(ph, a, call)                                                                   \
    do {                                                                                     \
        unsigned long before_ = hook_calls(a);                                               \
        WATCH((a) != NULL);                                                                  \
        call;                                                                                \
        WATCH(0);                                                                            \
        g_phase[ph] += hook_calls(a) - before_;                                              \
        g_phase_ran[ph] = 1;                                                                 \
    } while (0)

static char g_dir[256];       /* temporary folder: configs, baselines */
static char g_out[1 << 20];   /* what the reporters wrote */
static char g_iobuf[BUFSIZ];  /* stdio buffer of the output (so stdio allocates nothing) */
static FILE *g_mem;
static unsigned char *g_bytes; /* the case's file, for sg_document_parse */
static size_t g_len;
static sg_schema_set *g_set;   /* for cases with reuse_set */

static void path_of(char *buf, size_t cap, const char *file)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, cap, "%s/corpus/%s", top ? top : ".", file);
}

static void put_file(const char *name, const char *text)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", g_dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

/* Run C's pipeline once with ALLOC (NULL: the C library). Returns the first
 * status that is not SG_OK, or SG_OK; the output is in g_out, *OUTLEN long. */
static sg_status run_case(const oom_case *c, const sg_allocator *alloc, size_t *outlen)
{
    char path[512], cfgpath[512], blpath[512], blout[512];
    sg_options opts;
    sg_options_init(&opts);
    opts.allocator = alloc;
    if (c->reuse_set)
        opts.schemas = g_set;
    path_of(path, sizeof path, c->file);
    snprintf(cfgpath, sizeof cfgpath, "%s/%s.swaggate.yaml", g_dir, c->name);
    snprintf(blpath, sizeof blpath, "%s/%s.baseline.json", g_dir, c->name);
    snprintf(blout, sizeof blout, "%s/%s.baseline-out.json", g_dir, c->name);
    rewind(g_mem);

    sg_status st = SG_OK;
    sg_diagnostics *diags = sg_diagnostics_new_with(alloc);
    sg_config *cfg = NULL;
    sg_document *doc = NULL, *schema = NULL;
    sg_schema_set *set = NULL;
    sg_baseline *known = NULL, *fresh = NULL;
    if (!diags)
        return SG_ENOMEM;
    if (c->config) {
        st = sg_config_load(cfgpath, diags, &cfg);
        if (st == SG_OK)
            st = sg_config_apply(cfg, &opts);
    }
    sg_status input = SG_OK;
    if (st == SG_OK) {
        if (c->parse)
            st = sg_document_parse(path, g_bytes, g_len, &opts, diags, &doc);
        else
            st = sg_document_load(path, &opts, diags, &doc);
        if (st == SG_EINPUT && !doc) { /* reported below; the pipeline stops here */
            input = st;
            st = SG_OK;
        }
    }
    if (st == SG_OK && doc && c->schema) {
        set = sg_schema_set_new();
        st = set ? SG_OK : SG_ENOMEM;
        if (st == SG_OK)
            st = sg_document_parse("schema.json", g_schema, strlen(g_schema), &opts, diags,
                                   &schema);
        if (st == SG_OK)
            PHASE(PH_VALIDATE, alloc, st = sg_schema_validate(set, schema, doc, &opts, diags));
    } else if (st == SG_OK && doc) {
        PHASE(PH_LINT, alloc, st = sg_lint(doc, &opts, diags));
    }
    if (st == SG_OK && doc && c->normalize) {
        sg_bytes *body = NULL;
        PHASE(PH_NORMALIZE, alloc,
              st = sg_normalize(doc, &opts,
                                c->normalize == 1 ? SG_NORMALIZE_PRETTY : SG_NORMALIZE_CANONICAL,
                                diags, &body));
        if (st == SG_OK && fwrite(sg_bytes_data(body), 1, sg_bytes_len(body), g_mem) !=
                               sg_bytes_len(body))
            st = SG_EINPUT;
        sg_bytes_free(body);
    }
    if (st == SG_OK && doc && c->existing) {
        char epath[512];
        sg_document *existing = NULL;
        sg_plan *plan = NULL;
        sg_import_options imp;
        sg_import_options_init(&imp);
        if (*c->existing) {
            path_of(epath, sizeof epath, c->existing);
            st = sg_document_load(epath, &opts, diags, &existing);
        }
        if (st == SG_OK)
            PHASE(PH_PLAN, alloc, st = sg_plan_new(doc, existing, NULL, &imp, &opts, diags, &plan));
        if (st == SG_OK)
            st = sg_plan_write(plan, g_mem, SG_REPORT_JSON);
        if (st == SG_OK)
            st = sg_plan_write(plan, g_mem, SG_REPORT_TEXT);
        sg_plan_free(plan);
        sg_document_free(existing);
    }
    if (st == SG_OK && doc)
        st = sg_diagnostics_suppress(diags, doc);
    if (st == SG_OK && cfg)
        st = sg_diagnostics_apply_config(diags, cfg);
    if (st == SG_OK && c->baseline) {
        sg_diagnostics *bd = sg_diagnostics_new();
        st = bd ? sg_baseline_load(blpath, bd, &known) : SG_ENOMEM;
        sg_diagnostics_free(bd);
        if (st == SG_OK)
            st = sg_baseline_filter(known, diags);
        if (st == SG_OK) {
            fresh = sg_baseline_new();
            st = fresh ? sg_baseline_add(fresh, diags) : SG_ENOMEM;
        }
        if (st == SG_OK)
            st = sg_baseline_write(fresh, blout);
    }
    sg_diagnostics_sort(diags);
    for (int f = SG_REPORT_TEXT; st == SG_OK && f <= SG_REPORT_JUNIT; f++) {
        sg_report_options ro = {(sg_report_format)f, f == SG_REPORT_TEXT, 1};
        sg_reporter *r = sg_reporter_new(g_mem, &ro);
        st = r ? sg_reporter_file(r, path, diags) : SG_ENOMEM;
        if (st == SG_OK)
            st = sg_reporter_finish(r);
        sg_reporter_free(r);
    }
    if (st == SG_OK && doc)
        st = sg_document_write_json(doc, g_mem, 1);
    fflush(g_mem);
    long n = ftell(g_mem);
    *outlen = n > 0 ? (size_t)n : 0;

    sg_baseline_free(known);
    sg_baseline_free(fresh);
    sg_document_free(schema);
    sg_schema_set_free(set);
    sg_document_free(doc);
    sg_config_free(cfg);
    sg_diagnostics_free(diags);
    return st != SG_OK ? st : input;
}

static void setup(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/swaggate-oom.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(g_dir));
    g_mem = fmemopen(g_out, sizeof g_out, "w");
    ck_assert_ptr_nonnull(g_mem);
    setvbuf(g_mem, g_iobuf, _IOFBF, sizeof g_iobuf);
}

static void teardown(void)
{
    if (g_mem)
        fclose(g_mem);
    g_mem = NULL;
    DIR *d = opendir(g_dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", g_dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    if (rmdir(g_dir) != 0)
        fprintf(stderr, "oom: could not remove %s\n", g_dir);
}

/* Read the case's file, write its config and baseline, make the shared
 * schema set; then a first run (which also does any lazy set-up of the
 * libraries) and the reference run. */
static sg_status prepare(const oom_case *c, char **ref, size_t *reflen)
{
    char path[512];
    path_of(path, sizeof path, c->file);
    g_bytes = malloc(1 << 20);
    ck_assert_ptr_nonnull(g_bytes);
    if (c->text) {
        g_len = strlen(c->text);
        memcpy(g_bytes, c->text, g_len);
    } else {
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s (is top_srcdir set?)", path);
        g_len = fread(g_bytes, 1, 1 << 20, f);
        fclose(f);
    }
    if (c->config) {
        char name[300];
        snprintf(name, sizeof name, "%s.swaggate.yaml", c->name);
        put_file(name, c->config);
    }
    if (c->reuse_set) {
        g_set = sg_schema_set_new();
        ck_assert_ptr_nonnull(g_set);
    }
    if (c->baseline) {
        /* A baseline of the findings of a plain lint. */
        sg_diagnostics *d = sg_diagnostics_new();
        sg_document *doc = NULL;
        sg_baseline *b = sg_baseline_new();
        char bl[512];
        sg_options o;
        sg_options_init(&o);
        if (c->baseline == 1)
            o.profile = SG_PROFILE_SWAGGER; /* the apig findings stay new */
        ck_assert_int_eq(sg_document_load(path, &o, d, &doc), SG_OK);
        ck_assert_int_eq(sg_lint(doc, &o, d), SG_OK);
        ck_assert_int_eq(sg_baseline_add(b, d), SG_OK);
        snprintf(bl, sizeof bl, "%s/%s.baseline.json", g_dir, c->name);
        ck_assert_int_eq(sg_baseline_write(b, bl), SG_OK);
        sg_baseline_free(b);
        sg_document_free(doc);
        sg_diagnostics_free(d);
    }
    size_t len = 0;
    sg_status st = run_case(c, NULL, &len);
    ck_assert_msg(st == c->want, "%s: the run without failures ends in %s, not %s", c->name,
                  sg_status_string(st), sg_status_string(c->want));
    st = run_case(c, NULL, &len);
    *ref = malloc(len + 1);
    ck_assert_ptr_nonnull(*ref);
    memcpy(*ref, g_out, len);
    *reflen = len;
    return st;
}

static void unprepare(char *ref)
{
    free(ref);
    free(g_bytes);
    g_bytes = NULL;
    sg_schema_set_free(g_set);
    g_set = NULL;
}

/* Whether a run that ended in ST with output OUTLEN long is acceptable. */
static void check_result(const oom_case *c, const char *how, unsigned long n, sg_status st,
                         size_t outlen, const char *ref, size_t reflen)
{
    if (st == SG_ENOMEM)
        return;
    ck_assert_msg(st == c->want, "%s, %s allocation %lu failing: status %s (want SG_ENOMEM or %s)",
                  c->name, how, n, sg_status_string(st), sg_status_string(c->want));
    if (getenv("SWAGGATE_OOM_DUMP") && (outlen != reflen || memcmp(g_out, ref, reflen) != 0)) {
        /* SWAGGATE_OOM_DUMP=PREFIX: PREFIX.want and PREFIX.got, to compare. */
        char p[512];
        snprintf(p, sizeof p, "%s.want", getenv("SWAGGATE_OOM_DUMP"));
        FILE *f = fopen(p, "wb");
        if (f)
            fwrite(ref, 1, reflen, f), fclose(f);
        snprintf(p, sizeof p, "%s.got", getenv("SWAGGATE_OOM_DUMP"));
        f = fopen(p, "wb");
        if (f)
            fwrite(g_out, 1, outlen, f), fclose(f);
    }
    ck_assert_msg(outlen == reflen && memcmp(g_out, ref, reflen) == 0,
                  "%s, %s allocation %lu failing: %s but a different result (%zu bytes, not "
                  "%zu)",
                  c->name, how, n, sg_status_string(st), outlen, reflen);
}

/* For debugging: SWAGGATE_OOM_EVERY=K runs only every K-th N, from
 * SWAGGATE_OOM_FROM (default 1), for the case SWAGGATE_OOM_CASE only. */
static int env_limit(const oom_case *c, unsigned long *every, unsigned long *from)
{
    const char *e = getenv("SWAGGATE_OOM_EVERY"), *f = getenv("SWAGGATE_OOM_FROM"),
               *only = getenv("SWAGGATE_OOM_CASE");
    *every = e && atol(e) > 0 ? (unsigned long)atol(e) : 1;
    *from = f && atol(f) > 0 ? (unsigned long)atol(f) : 1;
    return !only || strcmp(only, c->name) == 0;
}

#ifdef OOM_INTERPOSE
START_TEST(test_libc)
{
    const oom_case *c = &g_cases[_i];
    char *ref;
    size_t reflen, len;
    unsigned long every, n;
    if (!env_limit(c, &every, &n))
        return;
    prepare(c, &ref, &reflen);
    if (getenv("SWAGGATE_OOM_TRAP") &&
        sscanf(getenv("SWAGGATE_OOM_TRAP"), "%lu:%lu", &trap_run, &trap_at) != 2)
        trap_run = trap_at = 0;
    for (;; n += every) {
        live_full = 0;
        live_n = 0;
        tracking = 1;
        t_count = 0;
        t_failed = 0;
        t_fail_at = n;
        t_armed = 1;
        sg_status st = run_case(c, NULL, &len);
        t_armed = 0;
        tracking = 0;
        unsigned long failed = t_failed;
        if (live_n) {
            char msg[1024];
            size_t o = 0, shown = 0;
            for (size_t i = 0; i < LIVE_CAP && shown < 8; i++)
                if (live[i].p) {
                    o += (size_t)snprintf(msg + o, sizeof msg - o, " #%lu (%zu bytes)",
                                          live[i].seq, live[i].size);
                    shown++;
                }
            size_t leaked = live_n;
            memset(live, 0, sizeof live);
            live_n = 0;
            ck_abort_msg("%s, allocation %lu failing (status %s): %zu blocks leaked:%s", c->name,
                         n, sg_status_string(st), leaked, msg);
        }
        ck_assert_msg(!live_full, "%s: too many blocks to track", c->name);
        if (!failed) {
            ck_assert_int_eq(st, c->want);
            break;
        }
        check_result(c, "C library", n, st, len, ref, reflen);
    }
    printf("oom: %s: C library, %lu runs (allocations 1..%lu failed one at a time)\n", c->name,
           (n - 1 + every - 1) / every, n - 1);
    unprepare(ref);
}
END_TEST
#endif

/* Around a run through the hooks: what the C library allocates (json-c,
 * libyaml, the parts not routed) must come back too, failure or not. */
static void hooks_track(int on)
{
#ifdef OOM_INTERPOSE
    if (on) {
        live_n = 0;
        live_full = 0;
        t_count = 0;
        tracking = 1;
        return;
    }
    tracking = 0;
    size_t leaked = live_n;
    if (leaked)
        memset(live, 0, sizeof live);
    live_n = 0;
    ck_assert_msg(leaked == 0, "%zu blocks of the C library leaked in a run through the hooks",
                  leaked);
#else
    (void)on;
#endif
}

START_TEST(test_hooks)
{
    const oom_case *c = &g_cases[_i];
    char *ref;
    size_t reflen, len;
    unsigned long every, n;
    if (!env_limit(c, &every, &n))
        return;
    prepare(c, &ref, &reflen);
    hook_state h;
    sg_allocator a = {hook_malloc, hook_realloc, hook_free, &h};

    /* Counting: allocations go through the hook (inside each of the calls
     * lint, validate, normalize and plan that the case makes), and all come
     * back. */
    memset(&h, 0, sizeof h);
    memset(g_phase, 0, sizeof g_phase);
    memset(g_phase_ran, 0, sizeof g_phase_ran);
#ifdef OOM_INTERPOSE
    Dl_info self;
    exe_base = dladdr((void *)&prepare, &self) ? self.dli_fbase : NULL;
    direct_n = 0;
#endif
    hooks_track(1);
    sg_status st = run_case(c, &a, &len);
    hooks_track(0);
    ck_assert_int_eq(st, c->want);
#ifdef OOM_INTERPOSE
    if (direct_n) {
        char at[256] = "";
        for (unsigned long i = 0; i < direct_n && i < 8; i++) {
            size_t o = strlen(at);
            snprintf(at + o, sizeof at - o, " %p", direct_at[i]);
        }
        ck_abort_msg("%s: %lu allocations of swaggate's own code went to the C library, not "
                     "the hooks (addr2line -f -e tests/oom%s)",
                     c->name, direct_n, at);
    }
#endif
    ck_assert_msg(h.calls > 0, "%s: no allocation went through the hooks", c->name);
    char phases[256] = "";
    for (int ph = 0; ph < PH_N; ph++) {
        if (!g_phase_ran[ph])
            continue;
        ck_assert_msg(g_phase[ph] > 0, "%s: %s made no allocation through the hooks", c->name,
                      g_phase_name[ph]);
        size_t o = strlen(phases);
        snprintf(phases + o, sizeof phases - o, ", %s %lu", g_phase_name[ph], g_phase[ph]);
    }
    ck_assert_msg(h.live == 0, "%s: %ld blocks not given back to the hooks", c->name, h.live);
    ck_assert_msg(len == reflen && memcmp(g_out, ref, reflen) == 0,
                  "%s: a different result through the hooks", c->name);
    unsigned long calls = h.calls;

    for (;; n += every) {
        memset(&h, 0, sizeof h);
        h.fail_at = n;
        hooks_track(1);
        st = run_case(c, &a, &len);
        hooks_track(0);
        ck_assert_msg(h.live == 0, "%s, hook call %lu failing (status %s): %ld blocks not given back",
                      c->name, n, sg_status_string(st), h.live);
        if (!h.failed) {
            ck_assert_int_eq(st, c->want);
            break;
        }
        check_result(c, "hook", n, st, len, ref, reflen);
    }
    printf("oom: %s: hooks, %lu calls in a run (%s), %lu runs with a failure\n", c->name, calls,
           phases + 2, (n - 1 + every - 1) / every);
    unprepare(ref);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("oom");
    size_t ncases = sizeof g_cases / sizeof g_cases[0];
    TCase *tc;
#ifdef OOM_INTERPOSE
    tc = tcase_create("libc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_libc, 0, (int)ncases);
    suite_add_tcase(s, tc);
#else
    printf("oom: SKIP failing the C library's allocations: this build's sanitizer owns malloc "
           "(and checks leaks itself); only the allocator hooks are failed\n");
#endif
    tc = tcase_create("hooks");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_hooks, 0, (int)ncases);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
