/* A bounded load generator for swaggate serve (issue 10; not part of make
 * check): N async imports sent by C threads at once (each a new group, its
 * title unique), then every task polled to its end. It checks that no task
 * is lost or duplicated (N distinct task ids, N succeed, N distinct group
 * ids) and prints requests per second and the latency percentiles of the
 * POSTs, the time until the last task ended, and the server's peak memory
 * (VmHWM) when given its pid.
 *
 *   bench/serve_load URL TOKEN FILE [-n N] [-c CONCURRENCY] [-p SERVER-PID]
 *
 * URL is the server's base (the first line swaggate serve prints); FILE a
 * Swagger document whose info.title is the word TITLE. Plain HTTP/1.1 over
 * loopback, one connection per request (Connection: close). bench/serve-load.sh
 * starts a server and runs it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char host[64];
static unsigned short port;
static const char *token;
static char *tmpl;
static size_t tmpl_len;
static unsigned run_id;

typedef struct job {
    unsigned index;
    double post_ms;
    int status;
    char task[40];
    char final[16];
    char group[40];
} job;

static job *jobs;
static unsigned njobs, next_job;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Send REQ (LEN bytes), read the whole answer into a malloc'd string; its
 * status into *STATUS. NULL on a connection error. */
static char *http(const char *req, size_t len, int *status)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, host, &sa.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, req + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return NULL;
        }
        off += (size_t)w;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 4096 > cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *status = 0;
    sscanf(buf, "HTTP/1.%*d %d", status);
    return buf;
}

/* The string value of "KEY":"..." in TEXT (the first one) into OUT; a KEY
 * starting with a backslash is looked for inside a JSON string
 * (task_result): \"KEY\":\"...\". */
static int field(const char *text, const char *key, char *out, size_t cap)
{
    char pat[64];
    if (key[0] == '\\')
        snprintf(pat, sizeof pat, "\\\"%s\\\":\\\"", key + 1);
    else
        snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(text, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    size_t i = 0;
    while (p[i] && p[i] != '"' && p[i] != '\\' && i + 1 < cap) {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
    return 0;
}

static void *post_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        unsigned i = next_job < njobs ? next_job++ : njobs;
        pthread_mutex_unlock(&lock);
        if (i >= njobs)
            return NULL;
        job *j = &jobs[i];
        /* The document with its title made unique. */
        char title[64];
        snprintf(title, sizeof title, "load_%u_%u", run_id, i);
        const char *at = strstr(tmpl, "TITLE");
        size_t doc_len = tmpl_len - 5 + strlen(title);
        char *body = malloc(doc_len + 4096), *req = malloc(doc_len + 8192);
        static const char boundary[] = "swaggate-load-boundary";
        int bl = snprintf(body, 4096,
                          "--%s\r\nContent-Disposition: form-data; name=\"is_create_group\"\r\n\r\ntrue\r\n"
                          "--%s\r\nContent-Disposition: form-data; name=\"file_name\"; filename=\"api.yaml\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n",
                          boundary, boundary);
        size_t blen = (size_t)bl;
        memcpy(body + blen, tmpl, (size_t)(at - tmpl));
        blen += (size_t)(at - tmpl);
        memcpy(body + blen, title, strlen(title));
        blen += strlen(title);
        memcpy(body + blen, at + 5, tmpl_len - (size_t)(at - tmpl) - 5);
        blen += tmpl_len - (size_t)(at - tmpl) - 5;
        blen += (size_t)sprintf(body + blen, "\r\n--%s--\r\n", boundary);
        int hl = sprintf(req,
                         "POST /v2/load/apigw/instances/bench/openapi/async-import HTTP/1.1\r\n"
                         "Host: %s:%u\r\nX-Auth-Token: %s\r\nConnection: close\r\n"
                         "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n\r\n",
                         host, port, token, boundary, blen);
        memcpy(req + hl, body, blen);
        double t0 = now_ms();
        char *ans = http(req, (size_t)hl + blen, &j->status);
        j->post_ms = now_ms() - t0;
        if (ans) {
            const char *b = strstr(ans, "\r\n\r\n");
            if (b)
                field(b, "task_id", j->task, sizeof j->task);
        }
        free(ans);
        free(body);
        free(req);
    }
}

static void *poll_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        unsigned i = next_job < njobs ? next_job++ : njobs;
        pthread_mutex_unlock(&lock);
        if (i >= njobs)
            return NULL;
        job *j = &jobs[i];
        if (!j->task[0])
            continue;
        char req[512];
        int len = snprintf(req, sizeof req,
                           "GET /v2/load/apigw/instances/bench/async-tasks/%s HTTP/1.1\r\nHost: %s:%u\r\n"
                           "X-Auth-Token: %s\r\nConnection: close\r\n\r\n",
                           j->task, host, port, token);
        for (int tries = 0; tries < 6000; tries++) {
            int st = 0;
            char *ans = http(req, (size_t)len, &st);
            if (ans && st == 200 && field(ans, "task_status", j->final, sizeof j->final) == 0 &&
                (strcmp(j->final, "succeed") == 0 || strcmp(j->final, "failed") == 0)) {
                field(ans, "\\group_id", j->group, sizeof j->group);
                free(ans);
                break;
            }
            free(ans);
            usleep(20000);
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* How many of the N strings are repeated. */
static unsigned duplicates(char **v, unsigned n)
{
    unsigned d = 0;
    qsort(v, n, sizeof *v, cmp_str);
    for (unsigned i = 1; i < n; i++)
        if (strcmp(v[i], v[i - 1]) == 0)
            d++;
    return d;
}

int main(int argc, char **argv)
{
    unsigned n = 200, conc = 200;
    long pid = 0;
    if (argc < 4) {
        fprintf(stderr, "usage: serve_load URL TOKEN FILE [-n N] [-c CONCURRENCY] [-p SERVER-PID]\n");
        return 2;
    }
    for (int i = 4; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            n = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "-c") == 0)
            conc = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "-p") == 0)
            pid = strtol(argv[i + 1], NULL, 10);
    }
    unsigned p = 0;
    if (sscanf(argv[1], "http://%63[^:]:%u", host, &p) != 2 || p == 0 || p > 65535 || n == 0 || conc == 0) {
        fprintf(stderr, "serve_load: bad URL or numbers\n");
        return 2;
    }
    port = (unsigned short)p;
    token = argv[2];
    FILE *f = fopen(argv[3], "rb");
    if (!f) {
        perror(argv[3]);
        return 2;
    }
    tmpl = malloc(1 << 24);
    tmpl_len = fread(tmpl, 1, (1 << 24) - 1, f);
    fclose(f);
    tmpl[tmpl_len] = '\0';
    if (!strstr(tmpl, "TITLE")) {
        fprintf(stderr, "serve_load: %s has no TITLE to replace\n", argv[3]);
        return 2;
    }
    run_id = (unsigned)time(NULL) % 100000;
    njobs = n;
    jobs = calloc(n, sizeof *jobs);
    pthread_t *t = calloc(conc, sizeof *t);

    double t0 = now_ms();
    for (unsigned i = 0; i < conc; i++)
        pthread_create(&t[i], NULL, post_worker, NULL);
    for (unsigned i = 0; i < conc; i++)
        pthread_join(t[i], NULL);
    double post_wall = now_ms() - t0;

    next_job = 0;
    unsigned pollers = conc < 16 ? conc : 16;
    for (unsigned i = 0; i < pollers; i++)
        pthread_create(&t[i], NULL, poll_worker, NULL);
    for (unsigned i = 0; i < pollers; i++)
        pthread_join(t[i], NULL);
    double all_wall = now_ms() - t0;

    double *lat = malloc(n * sizeof *lat);
    char **ids = malloc(n * sizeof *ids), **groups = malloc(n * sizeof *groups);
    unsigned accepted = 0, succeed = 0, ngroups = 0;
    for (unsigned i = 0; i < n; i++) {
        lat[i] = jobs[i].post_ms;
        if (jobs[i].status == 202 && jobs[i].task[0])
            ids[accepted++] = jobs[i].task;
        if (strcmp(jobs[i].final, "succeed") == 0)
            succeed++;
        if (jobs[i].group[0])
            groups[ngroups++] = jobs[i].group;
    }
    qsort(lat, n, sizeof *lat, cmp_double);
    unsigned dup_tasks = duplicates(ids, accepted), dup_groups = duplicates(groups, ngroups);
    long hwm = 0;
    if (pid) {
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%ld/status", pid);
        FILE *s = fopen(path, "r");
        while (s && fgets(line, sizeof line, s))
            if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
                break;
        if (s)
            fclose(s);
    }
    printf("requests            %u async imports, %u at once, %zu-byte file\n", n, conc, tmpl_len);
    printf("accepted (202)      %u\n", accepted);
    printf("POST phase          %.0f ms, %.1f requests/s\n", post_wall, n / (post_wall / 1e3));
    printf("POST latency        p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", lat[n / 2],
           lat[(n * 90) / 100], lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], lat[n - 1]);
    printf("all tasks ended     %.0f ms after the first POST (%.1f imports/s end to end)\n", all_wall,
           n / (all_wall / 1e3));
    printf("succeed             %u of %u\n", succeed, n);
    printf("duplicate task ids  %u\n", dup_tasks);
    printf("groups              %u, %u duplicated\n", ngroups, dup_groups);
    if (pid)
        printf("server peak memory  %ld KiB (VmHWM)\n", hwm);
    int ok = accepted == n && succeed == n && dup_tasks == 0 && ngroups == n && dup_groups == 0;
    printf("verdict             %s\n", ok ? "no task lost or duplicated" : "FAILED");
    return ok ? 0 : 1;
}
