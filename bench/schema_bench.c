/* Benchmark: what validating a document against the Swagger 2.0 schema costs
 * next to reading it. For each FILE: the median wall time of N loads
 * (read + parse + model), and of N validations of the loaded document with
 * one schema set (created once, as a long-running caller would).
 *
 * Usage: schema_bench [-n RUNS] FILE...   (built by `make bench`) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <swaggate.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int runs = 7, first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || runs < 1) {
        fprintf(stderr, "usage: schema_bench [-n RUNS] FILE...\n");
        return 2;
    }
    double *load = calloc((size_t)runs, sizeof *load), *val = calloc((size_t)runs, sizeof *val);
    sg_schema_set *set = sg_schema_set_new();
    if (!load || !val || !set)
        return 3;
    printf("| file | bytes | load (median of %d) | validate (median of %d) | validate / load | findings |\n",
           runs, runs);
    printf("|---|---|---|---|---|---|\n");
    for (int f = first; f < argc; f++) {
        sg_document *doc = NULL;
        size_t findings = 0;
        for (int i = 0; i < runs; i++) {
            sg_diagnostics *d = sg_diagnostics_new();
            sg_document_free(doc);
            doc = NULL;
            double t0 = now();
            sg_status st = sg_document_load(argv[f], NULL, d, &doc);
            load[i] = now() - t0;
            sg_diagnostics_free(d);
            if (st != SG_OK) {
                fprintf(stderr, "%s: cannot load (%s)\n", argv[f], sg_status_string(st));
                return 2;
            }
        }
        for (int i = 0; i < runs; i++) {
            sg_diagnostics *d = sg_diagnostics_new();
            double t0 = now();
            sg_schema_validate(set, NULL, doc, NULL, d);
            val[i] = now() - t0;
            findings = sg_diagnostics_count(d);
            sg_diagnostics_free(d);
        }
        FILE *fp = fopen(argv[f], "rb");
        long bytes = 0;
        if (fp) {
            fseek(fp, 0, SEEK_END);
            bytes = ftell(fp);
            fclose(fp);
        }
        const char *name = strrchr(argv[f], '/');
        double ml = median(load, runs), mv = median(val, runs);
        printf("| %s | %ld | %.1f ms | %.1f ms | %.2f | %zu |\n", name ? name + 1 : argv[f], bytes,
               ml * 1e3, mv * 1e3, mv / ml, findings);
        sg_document_free(doc);
    }
    sg_schema_set_free(set);
    free(load);
    free(val);
    return 0;
}
