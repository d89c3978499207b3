/* File discovery and parallel linting for the swaggate command. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_files.h"

/* How much of a file the sniff reads: the swagger key comes first in
 * practice; a file that puts it later must be named explicitly. */
enum { SNIFF_BYTES = 8192 };

static int S_push(sgc_files *f, char *path)
{
    if (!path)
        return -1;
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 16;
        char **p = realloc(f->paths, ncap * sizeof *p);
        if (!p) {
            free(path);
            return -1;
        }
        f->paths = p, f->cap = ncap;
    }
    f->paths[f->n++] = path;
    return 0;
}

void sgc_files_fini(sgc_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
    free(f->paths);
    f->paths = NULL, f->n = f->cap = 0;
}

static int S_swagger_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".json") == 0 || strcasecmp(dot, ".yaml") == 0 ||
                   strcasecmp(dot, ".yml") == 0);
}

/* A "swagger" key at depth 1 of JSON text (strings skipped, so a key of that
 * name deeper down or inside a value does not count). */
static int S_sniff_json(const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        } else if (c == '"') {
            size_t start = ++i;
            while (i < n && s[i] != '"')
                i += s[i] == '\\' ? 2 : 1;
            if (i >= n)
                return 0;
            size_t j = i + 1;
            while (j < n && strchr(" \t\r\n", s[j]))
                j++;
            if (depth == 1 && j < n && s[j] == ':' && i - start == 7 &&
                memcmp(s + start, "swagger", 7) == 0)
                return 1;
        }
    }
    return 0;
}

/* A line "swagger:" (or the key quoted) at column 0 of YAML text. */
static int S_sniff_yaml(const char *s, size_t n)
{
    static const char *const keys[] = {"swagger", "\"swagger\"", "'swagger'"};
    for (size_t i = 0; i < n;) {
        for (size_t k = 0; k < 3; k++) {
            size_t len = strlen(keys[k]), j = i + len;
            if (j <= n && memcmp(s + i, keys[k], len) == 0) {
                while (j < n && s[j] == ' ')
                    j++;
                if (j < n && s[j] == ':')
                    return 1;
            }
        }
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl)
            break;
        i = (size_t)(nl - s) + 1;
    }
    return 0;
}

int sgc_sniff_buffer(const char *s, size_t n)
{
    if (n > SNIFF_BYTES)
        n = SNIFF_BYTES;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    return S_sniff_json(s, n) || S_sniff_yaml(s, n);
}

int sgc_sniff_swagger(const char *path)
{
    char buf[SNIFF_BYTES];
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return 0;
    size_t n = 0;
    while (n < sizeof buf) {
        ssize_t r = read(fd, buf + n, sizeof buf - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    return sgc_sniff_buffer(buf, n);
}

static int S_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR/NAME; NAME alone in ".", so that `swaggate lint .` names files as
 * git and editors do. */
static char *S_join(const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0)
        return strdup(name);
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (p) {
        memcpy(p, dir, dl);
        size_t o = dl;
        if (dl && dir[dl - 1] != '/')
            p[o++] = '/';
        memcpy(p + o, name, nl + 1);
    }
    return p;
}

/* Walk DIR: its entries in byte order, depth first. Symbolic links to
 * directories are not followed (no loops, no leaving the tree); those to
 * files are. Dot-directories (.git) and node_modules are skipped. A
 * directory that cannot be read is added as a file: lint reports why. */
static int S_walk(sgc_files *f, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return S_push(f, strdup(dir));
    sgc_files names = {0};
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        rc = S_push(&names, strdup(e->d_name));
    }
    closedir(d);
    if (names.n)
        qsort(names.paths, names.n, sizeof *names.paths, S_cmp);
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        const char *name = names.paths[i];
        char *path = S_join(dir, name);
        struct stat st;
        if (!path) {
            rc = -1;
            break;
        }
        if (lstat(path, &st) != 0) {
            free(path);
            continue; /* gone meanwhile */
        }
        if (S_ISDIR(st.st_mode)) {
            if (name[0] != '.' && strcmp(name, "node_modules") != 0)
                rc = S_walk(f, path);
            free(path);
            continue;
        }
        if (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(path);
            continue;
        }
        if (S_ISREG(st.st_mode) && S_swagger_ext(name) && sgc_sniff_swagger(path))
            rc = S_push(f, path);
        else
            free(path);
    }
    sgc_files_fini(&names);
    return rc;
}

int sgc_files_add(sgc_files *f, const char *operand)
{
    struct stat st;
    if (strcmp(operand, "-") != 0 && stat(operand, &st) == 0 && S_ISDIR(st.st_mode))
        return S_walk(f, operand);
    return S_push(f, strdup(operand));
}

/* ---- parallel runs ------------------------------------------------------ */

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t n, next;
    unsigned char *done;
    int stop;
    void (*work)(void *, size_t);
    void *ctx;
} pool;

static void *S_worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        if (!stop)
            p->work(p->ctx, i);
        pthread_mutex_lock(&p->mu);
        p->done[i] = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A progress line only for a person watching: stderr a terminal, not in CI
 * (CI=true is set by GitHub Actions, GitLab CI and most others). */
static int S_progress_wanted(void)
{
    const char *ci = getenv("CI");
    return isatty(STDERR_FILENO) && !(ci && *ci) && getenv("TERM") &&
           strcmp(getenv("TERM"), "dumb") != 0;
}

/* "\r[i/n] path" with control bytes shown as '?', the path cut from the
 * left so that the line stays short. */
static void S_progress(size_t i, size_t n, const char *name)
{
    char shown[64];
    size_t len = name ? strlen(name) : 0, from = len > 50 ? len - 50 : 0, k = 0;
    if (from)
        memcpy(shown, "...", 3), k = 3;
    for (size_t j = from; j < len && k < sizeof shown - 1; j++)
        shown[k++] = (unsigned char)name[j] < 0x20 || name[j] == 0x7f ? '?' : name[j];
    shown[k] = '\0';
    fprintf(stderr, "\r[%zu/%zu] %s\033[K", i, n, shown);
    fflush(stderr);
}

void sgc_run(size_t n, unsigned jobs, void (*work)(void *, size_t), int (*report)(void *, size_t),
             void *ctx, char *const *names)
{
    pool p = {.n = n, .work = work, .ctx = ctx};
    pthread_t *tids = NULL;
    unsigned started = 0;
    int progress = names && n > 1 && S_progress_wanted(), shown = 0;
    double t0 = S_now();

    if (jobs > n)
        jobs = (unsigned)n;
    if (jobs > 1) {
        p.done = calloc(n, 1);
        tids = calloc(jobs, sizeof *tids);
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.cv, NULL);
        for (unsigned t = 0; p.done && tids && t < jobs; t++)
            if (pthread_create(&tids[t], NULL, S_worker, &p) == 0)
                started++;
    }
    int stop = 0;
    for (size_t i = 0; i < n; i++) {
        if (progress && S_now() - t0 >= 1.0) {
            fflush(stdout); /* the reports so far before the line */
            S_progress(i + 1, n, names[i]);
            shown = 1;
        }
        if (started) {
            pthread_mutex_lock(&p.mu);
            while (!p.done[i]) {
                if (!progress || shown) {
                    pthread_cond_wait(&p.cv, &p.mu);
                    continue;
                }
                /* wake up now and then: a slow file shows the line too */
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 250000000L;
                if (ts.tv_nsec >= 1000000000L)
                    ts.tv_sec++, ts.tv_nsec -= 1000000000L;
                pthread_cond_timedwait(&p.cv, &p.mu, &ts);
                if (!p.done[i] && S_now() - t0 >= 1.0) {
                    fflush(stdout);
                    S_progress(i + 1, n, names[i]);
                    shown = 1;
                }
            }
            pthread_mutex_unlock(&p.mu);
        } else if (!stop) {
            work(ctx, i); /* one job, or no thread could start */
        }
        if (shown) {
            fputs("\r\033[K", stderr); /* clear it before the report */
            fflush(stderr);
            shown = 0;
        }
        if (report(ctx, i) && !stop) {
            stop = 1;
            if (started) {
                pthread_mutex_lock(&p.mu);
                p.stop = 1;
                pthread_mutex_unlock(&p.mu);
            }
        }
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    if (jobs > 1) {
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
    }
    free(tids);
    free(p.done);
}

/* ---- atomic writes ------------------------------------------------------ */

/* The temporary file being written, for the signal handler to remove. */
static char S_tmp_path[PATH_MAX + 32];
static volatile sig_atomic_t S_tmp_live;
static const int S_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { NSIGNALS = sizeof S_signals / sizeof S_signals[0] };

static void S_on_signal(int sig)
{
    if (S_tmp_live)
        unlink(S_tmp_path); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig); /* blocked until the handler returns, then ends us as asked */
}

static void S_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NSIGNALS; i++)
        sigaddset(&set, S_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Write in place (standard output, a device, a FIFO): no temporary file. */
static int S_write_in_place(const char *path, int (*write)(FILE *, void *), void *ctx)
{
    FILE *out = stdout;
    if (strcmp(path, "-") != 0) {
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        if (!(out = fdopen(fd, "w"))) {
            close(fd);
            return -1;
        }
    }
    errno = 0;
    int rc = write(out, ctx);
    int e = errno;
    if (fflush(out) != 0 || ferror(out))
        rc = -1, e = errno ? errno : e;
    if (out != stdout && fclose(out) != 0 && rc == 0)
        rc = -1, e = errno;
    if (rc != 0) {
        errno = e ? e : EIO;
        return -1;
    }
    return 0;
}

int sgc_write_atomic(const char *path, unsigned mode, int (*write)(FILE *, void *), void *ctx)
{
    struct stat st;
    char *real = NULL;
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return S_write_in_place(path, write, ctx);
    int exists = stat(path, &st) == 0;
    if (exists && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        if (!(real = realpath(path, NULL)))
            return -1;
        path = real;
        if (stat(path, &st) != 0) {
            free(real);
            return -1;
        }
    } else if (exists) {
        stat(path, &st);
    }
    const char *slash = strrchr(path, '/');
    int dl = slash ? (int)(slash - path) + 1 : 0;
    if (snprintf(S_tmp_path, sizeof S_tmp_path, "%.*s.%s.swaggate-XXXXXX", dl, path, path + dl) >=
        (int)sizeof S_tmp_path) {
        free(real);
        errno = ENAMETOOLONG;
        return -1;
    }
    /* Handlers in place before the file exists, and the file's name known
     * to them before a signal can come in. */
    struct sigaction sa, old_sa[NSIGNALS];
    sigset_t old_mask;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_on_signal;
    sigemptyset(&sa.sa_mask);
    S_block(&old_mask);
    for (int i = 0; i < NSIGNALS; i++) {
        sigaction(S_signals[i], NULL, &old_sa[i]);
        if (old_sa[i].sa_handler != SIG_IGN) /* nohup, background jobs: still ignored */
            sigaction(S_signals[i], &sa, NULL);
    }
    int fd = mkstemp(S_tmp_path);
    int e = errno;
    S_tmp_live = fd >= 0;
    sigprocmask(SIG_SETMASK, &old_mask, NULL);

    int rc = -1;
    FILE *out = NULL;
    if (fd >= 0) {
        mode_t um = umask(0);
        umask(um);
        mode_t perm = exists ? (st.st_mode & 07777) : ((mode_t)mode & ~um & 07777);
        if (fchmod(fd, perm) != 0 || !(out = fdopen(fd, "w"))) {
            e = errno;
            close(fd);
        } else {
            errno = 0;
            rc = write(out, ctx);
            e = errno;
            if (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0)
                rc = -1, e = errno ? errno : e;
            if (fclose(out) != 0 && rc == 0)
                rc = -1, e = errno;
            if (rc == 0 && rename(S_tmp_path, path) != 0)
                rc = -1, e = errno;
        }
    }
    S_block(&old_mask);
    if (S_tmp_live && rc != 0)
        unlink(S_tmp_path);
    S_tmp_live = 0;
    for (int i = 0; i < NSIGNALS; i++)
        sigaction(S_signals[i], &old_sa[i], NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    free(real);
    if (rc != 0) {
        errno = e ? e : EIO;
        return -1;
    }
    return 0;
}

int sgc_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return 0;
    return strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
                                 sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}
