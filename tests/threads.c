/* Eight threads lint the same inputs at once through the public library
 * (HOSTILE.md item 69: no global mutable state) and must get, byte for
 * byte, the results of a serial run. Each thread has its own options,
 * diagnostics and schema set (sg_schema_set is one thread's at a time); one
 * sg_config is shared by all, as swaggate.h allows. The results are the
 * text and JSON reports of each file.
 *
 * The odd threads also ask sg_lint for its second thread (options.threads,
 * used from 64 KiB of input): they lint each file padded past that size
 * with trailing comments (YAML) or whitespace (JSON), which change no
 * finding, and must match a serial run over the same padded bytes.
 *
 * Inputs: the files named on the command line, or else every input.* of
 * $top_srcdir/corpus and the files of $SWAGGATE_CORPUS up to 128 KiB (the
 * first 80 by name). `make check-tsan` runs it built with ThreadSanitizer. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swaggate.h"

enum { NTHREADS = 8, MAX_REAL = 80, MAX_REAL_BYTES = 128 * 1024 };

typedef struct list {
    char **v;
    size_t n, cap;
} list;

static void push(list *l, char *s)
{
    if (!s) {
        perror("threads");
        exit(99);
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        if (!(l->v = realloc(l->v, l->cap * sizeof *l->v))) {
            perror("threads");
            exit(99);
        }
    }
    l->v[l->n++] = s;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files under DIR named input.* (corpus layout), or any .json/.yaml file
 * when ANY, into L; up to MAX files of at most MAXB bytes (0: no limit). */
static void walk(list *l, const char *dir, int any, size_t max, off_t maxb)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    list names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            push(&names, strdup(e->d_name));
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp);
    for (size_t i = 0; i < names.n; i++) {
        char *p = malloc(strlen(dir) + strlen(names.v[i]) + 2);
        struct stat st;
        sprintf(p, "%s/%s", dir, names.v[i]);
        const char *dot = strrchr(names.v[i], '.');
        int ext = dot && (!strcmp(dot, ".json") || !strcmp(dot, ".yaml") || !strcmp(dot, ".yml"));
        if (stat(p, &st) != 0) {
            free(p);
        } else if (S_ISDIR(st.st_mode) && !any) {
            walk(l, p, any, max, maxb);
            free(p);
        } else if (S_ISREG(st.st_mode) && ext && (any || !strncmp(names.v[i], "input.", 6)) &&
                   (!maxb || st.st_size <= maxb) && (!max || l->n < max)) {
            push(l, p);
        } else {
            free(p);
        }
        free(names.v[i]);
    }
    free(names.v);
}

static const sg_config *shared_config;

/* PATH's bytes, padded past 64 KiB when PAD is set and the file ends with
 * a line break; NULL when it cannot be read. */
static char *slurp(const char *path, int pad, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0)
        if ((n += k) == cap && !(b = realloc(b, cap *= 2)))
            break;
    fclose(f);
    if (!b)
        return NULL;
    if (pad && n > 0 && b[n - 1] == '\n') {
        const char *dot = strrchr(path, '.');
        int json = dot && strcmp(dot, ".json") == 0;
        const char *line = json ? "                                                      \n"
                                : "# padding: sg_lint takes its two-thread path from 64 KiB\n";
        size_t ll = strlen(line), need = n + 65536 + ll;
        if (!(b = realloc(b, need)))
            return NULL;
        while (n + ll < need) {
            memcpy(b + n, line, ll);
            n += ll;
        }
    }
    *len = n;
    return b;
}

/* Lint PATH (with PAD: its padded bytes, on up to THREADS threads) and
 * render the findings (text with source lines, then JSON) into a new
 * string. */
static char *lint_one(const char *path, sg_schema_set *set, int pad, unsigned threads)
{
    sg_options o;
    sg_options_init(&o);
    sg_config_apply(shared_config, &o);
    o.schemas = set;
    o.threads = threads;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    char *buf = NULL, *bytes = NULL;
    size_t len = 0, blen = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!d || !f) {
        fprintf(stderr, "threads: out of memory\n");
        exit(99);
    }
    sg_status st;
    if (!pad)
        st = sg_document_load(path, &o, d, &doc);
    else if ((bytes = slurp(path, 1, &blen)) != NULL)
        st = sg_document_parse(path, bytes, blen, &o, d, &doc);
    else
        st = SG_EINPUT;
    if (st == SG_OK)
        st = sg_lint(doc, &o, d);
    if (st == SG_OK)
        st = sg_diagnostics_suppress(d, doc);
    if (st == SG_OK)
        st = sg_diagnostics_apply_config(d, shared_config);
    fprintf(f, "status %s\n", sg_status_string(st));
    sg_diagnostics_sort(d);
    for (int fmt = 0; fmt < 2; fmt++) {
        sg_report_options ro = {fmt ? SG_REPORT_JSON : SG_REPORT_TEXT, 0, 1};
        sg_reporter *r = sg_reporter_new(f, &ro);
        if (!r || sg_reporter_file(r, path, d) != SG_OK || sg_reporter_finish(r) != SG_OK)
            fprintf(f, "report failed\n");
        sg_reporter_free(r);
    }
    fclose(f);
    sg_document_free(doc);
    sg_diagnostics_free(d);
    free(bytes);
    return buf;
}

typedef struct job {
    const list *files;
    size_t first; /* each thread starts elsewhere in the list */
    int pad;      /* padded inputs, linted on two threads each */
    char **out;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    sg_schema_set *set = sg_schema_set_new();
    if (!set) {
        fprintf(stderr, "threads: out of memory\n");
        exit(99);
    }
    for (size_t k = 0; k < j->files->n; k++) {
        size_t i = (j->first + k) % j->files->n;
        j->out[i] = lint_one(j->files->v[i], set, j->pad, j->pad ? 2 : 1);
    }
    sg_schema_set_free(set);
    return NULL;
}

int main(int argc, char **argv)
{
    list files = {0};
    for (int i = 1; i < argc; i++)
        push(&files, strdup(argv[i]));
    if (argc < 2) {
        const char *top = getenv("top_srcdir");
        char *dir = malloc(strlen(top ? top : ".") + 8);
        sprintf(dir, "%s/corpus", top ? top : ".");
        walk(&files, dir, 0, 0, 0);
        free(dir);
        const char *real = getenv("SWAGGATE_CORPUS");
        if (real && *real)
            walk(&files, real, 1, files.n + MAX_REAL, MAX_REAL_BYTES);
    }
    if (files.n == 0) {
        fprintf(stderr, "threads: no input files\n");
        return 99;
    }

    /* A configuration all threads share: written next to nothing else. */
    char cfgpath[] = "/tmp/sg-threads-XXXXXX";
    int fd = mkstemp(cfgpath);
    const char cfg[] = "rules:\n  unused-definition: off\n  apig-ignored: warning\n"
                       "limits:\n  depth: 200\n";
    if (fd < 0 || write(fd, cfg, sizeof cfg - 1) != (ssize_t)(sizeof cfg - 1)) {
        perror("threads: config");
        return 99;
    }
    close(fd);
    sg_config *config = NULL;
    sg_diagnostics *cd = sg_diagnostics_new();
    sg_status cst = sg_config_load(cfgpath, cd, &config);
    unlink(cfgpath);
    sg_diagnostics_free(cd);
    if (cst != SG_OK) {
        fprintf(stderr, "threads: the configuration does not load: %s\n", sg_status_string(cst));
        return 99;
    }
    shared_config = config;

    /* Serially first: the reference. */
    char **serial = calloc(files.n, sizeof *serial);
    char **serial_pad = calloc(files.n, sizeof *serial_pad);
    sg_schema_set *set = sg_schema_set_new();
    for (size_t i = 0; i < files.n; i++) {
        serial[i] = lint_one(files.v[i], set, 0, 1);
        serial_pad[i] = lint_one(files.v[i], set, 1, 1);
    }
    sg_schema_set_free(set);

    /* Then NTHREADS at once, all over the same files. */
    pthread_t tid[NTHREADS];
    job jobs[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        jobs[t].files = &files;
        jobs[t].first = files.n * (size_t)t / NTHREADS;
        jobs[t].pad = t % 2;
        jobs[t].out = calloc(files.n, sizeof *jobs[t].out);
        if (pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0) {
            fprintf(stderr, "threads: pthread_create: %s\n", strerror(errno));
            return 99;
        }
    }
    for (int t = 0; t < NTHREADS; t++)
        pthread_join(tid[t], NULL);

    size_t bad = 0;
    for (size_t i = 0; i < files.n; i++) {
        for (int t = 0; t < NTHREADS; t++) {
            if (strcmp(jobs[t].pad ? serial_pad[i] : serial[i], jobs[t].out[i]) != 0) {
                if (bad++ < 5)
                    fprintf(stderr, "FAIL: %s: thread %d%s differs from the serial run\n",
                            files.v[i], t, jobs[t].pad ? " (padded, two threads)" : "");
            }
            free(jobs[t].out[i]);
        }
        free(serial[i]);
        free(serial_pad[i]);
        free(files.v[i]);
    }
    for (int t = 0; t < NTHREADS; t++)
        free(jobs[t].out);
    free(serial);
    free(serial_pad);
    free(files.v);
    sg_config_free(config);
    printf("threads: %zu files linted by %d threads at once (%d of them padded past 64 KiB, "
           "each on two threads): %s\n",
           files.n, NTHREADS, NTHREADS / 2, bad ? "DIFFERENT" : "the same as serially");
    return bad ? 1 : 0;
}
