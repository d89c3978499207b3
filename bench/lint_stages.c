/* Where the time of `swaggate lint` goes, stage by stage, in one process:
 * read (bytes into memory), encoding (UTF-8 check), build (reader events
 * into the json-c model and the marks table; with --events-only the reader
 * alone, events thrown away), resolve, swagger, schema and apig checkers
 * (skipped with --build-only), and free. Median of -n runs per stage, in
 * milliseconds of CPU time (the process is single-threaded: on a quiet
 * machine the same as wall time, and steadier than it on a busy one), with
 * the time per MB and the number of marks (values and keys) of the model.
 * Usage: lint_stages [-n RUNS] [--events-only|--build-only] FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "check_apig.h"
#include "internal.h"

enum { S_READ, S_ENC, S_BUILD, S_RESOLVE, S_SWAGGER, S_SCHEMA, S_APIG, S_FREE, S_N };
static const char *names[S_N] = {"read", "encoding", "build", "resolve",
                                 "swagger", "schema", "apig", "free"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static sg_status discard(void *ctx, const sgi_event *ev)
{
    (void)ev;
    ++*(unsigned long *)ctx;
    return SG_OK;
}

static int is_json(const sgi_source *src)
{
    size_t n = strlen(src->name);
    return n >= 5 && strcmp(src->name + n - 5, ".json") == 0;
}

int main(int argc, char **argv)
{
    int runs = 5, a = 1, events_only = 0, build_only = 0;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
            runs = atoi(argv[++a]);
        else if (strcmp(argv[a], "--events-only") == 0)
            events_only = 1;
        else if (strcmp(argv[a], "--build-only") == 0)
            build_only = 1;
        else
            break;
    }
    if (a >= argc || runs < 1) {
        fprintf(stderr, "usage: lint_stages [-n RUNS] [--events-only|--build-only] FILE...\n");
        return 2;
    }
    sg_options o;
    sg_options_init(&o);
    if (sg_limits_set(&o.limits, "file-size", 2000000000u) != SG_OK ||
        sg_limits_set(&o.limits, "nodes", 100000000u) != SG_OK ||
        sg_limits_set(&o.limits, "apig-apis", 1000000u) != SG_OK)
        return 3;
    sg_schema_set *set = sg_schema_set_new();
    printf("%-40s %9s", "file", "MB");
    for (int s = 0; s < S_N; s++)
        printf(" %9s", names[s]);
    printf(" %9s %8s %10s\n", "total_ms", "ms/MB", "nodes");
    double *t = calloc((size_t)runs * S_N, sizeof *t);
    if (!t || !set)
        return 3;
    for (; a < argc; a++) {
        size_t bytes = 0, nodes = 0;
        for (int r = 0; r < runs; r++) {
            double *row = t + (size_t)r * S_N;
            memset(row, 0, S_N * sizeof *row);
            sg_diagnostics *d = sg_diagnostics_new();
            sg_document *doc = calloc(1, sizeof *doc);
            if (!d || !doc)
                return 3;
            doc->limits = o.limits;
            doc->from_file = 1;
            double t0 = now();
            if (sgi_source_read(&doc->src, argv[a], &doc->limits, d) != SG_OK) {
                fprintf(stderr, "%s: cannot read\n", argv[a]);
                return 2;
            }
            double t1 = now();
            if (sgi_source_check_encoding(&doc->src, d) != SG_OK) {
                fprintf(stderr, "%s: not UTF-8\n", argv[a]);
                return 2;
            }
            double t2 = now();
            bytes = doc->src.len;
            doc->format = is_json(&doc->src) ? SG_FORMAT_JSON : SG_FORMAT_YAML;
            sg_status st;
            if (events_only) {
                unsigned long n = 0;
                st = doc->format == SG_FORMAT_JSON
                         ? sgi_json_read(&doc->src, 0, &doc->limits, discard, &n, d)
                         : sgi_yaml_read(&doc->src, 0, &doc->limits, discard, &n, d);
                nodes = n;
            } else {
                sgi_builder *b = sgi_builder_new(&doc->src, &doc->limits, d, 0);
                st = doc->format == SG_FORMAT_JSON
                         ? sgi_json_read(&doc->src, 0, &doc->limits, sgi_builder_event, b, d)
                         : sgi_yaml_read(&doc->src, 0, &doc->limits, sgi_builder_event, b, d);
                if (st == SG_OK)
                    st = sgi_builder_finish(b, &doc->root, &doc->marks);
                sgi_builder_free(b);
                nodes = sgi_marks_count(doc->marks);
            }
            double t3 = now();
            row[S_READ] = t1 - t0;
            row[S_ENC] = t2 - t1;
            row[S_BUILD] = t3 - t2;
            if (st != SG_OK) {
                fprintf(stderr, "%s: %s\n", argv[a], sg_status_string(st));
                return 2;
            }
            if (!events_only && !build_only) {
                sgi_lint lint = {doc, &o, d, sgi_resolver_new(doc, &o, d), set};
                double u0 = now();
                st = sgi_resolver_check(lint.resolver);
                double u1 = now();
                if (st == SG_OK)
                    st = sgi_check_swagger(&lint);
                double u2 = now();
                if (st == SG_OK)
                    st = sg_schema_validate(set, NULL, doc, &o, d);
                double u3 = now();
                if (st == SG_OK)
                    st = sgi_check_apig(&lint);
                double u4 = now();
                sgi_resolver_free(lint.resolver);
                row[S_RESOLVE] = u1 - u0;
                row[S_SWAGGER] = u2 - u1;
                row[S_SCHEMA] = u3 - u2;
                row[S_APIG] = u4 - u3;
                if (st != SG_OK) {
                    fprintf(stderr, "%s: %s\n", argv[a], sg_status_string(st));
                    return 3;
                }
            }
            double f0 = now();
            sg_document_free(doc);
            sg_diagnostics_free(d);
            row[S_FREE] = now() - f0;
        }
        const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
        double mb = (double)bytes / 1e6, total = 0, col[64];
        printf("%-40.40s %9.2f", name, mb);
        for (int s = 0; s < S_N; s++) {
            for (int r = 0; r < runs; r++)
                col[r < 64 ? r : 63] = t[(size_t)r * S_N + s];
            int k = runs < 64 ? runs : 64;
            qsort(col, (size_t)k, sizeof col[0], cmp);
            printf(" %9.2f", col[k / 2]);
            total += col[k / 2];
        }
        printf(" %9.2f %8.2f %10zu\n", total, mb > 0 ? total / mb : 0.0, nodes);
    }
    free(t);
    sg_schema_set_free(set);
    return 0;
}
