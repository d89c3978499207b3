/* In-process timings of the swagger checker: for each FILE, the load
 * (read + parse + build), the resolver's pass and sgi_check_swagger alone,
 * best of -n runs, with the cost per path item. bench/swagger-scale.sh
 * runs it over generated specs of growing size: a linear checker keeps the
 * per-path-item time flat.
 * Usage: swagger_bench [-n RUNS] FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int runs = 5, first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || runs < 1) {
        fprintf(stderr, "usage: swagger_bench [-n RUNS] FILE...\n");
        return 2;
    }
    sg_options o;
    sg_options_init(&o);
    o.profile = SG_PROFILE_SWAGGER;
    sg_limits_set(&o.limits, "file-size", 1000000000);
    sg_limits_set(&o.limits, "nodes", 100000000);
    printf("%-40s %8s %10s %10s %10s %12s\n", "file", "paths", "load_s", "resolve_s", "swagger_s",
           "swagger_us/path");
    for (int f = first; f < argc; f++) {
        double load = 1e30, res = 1e30, sw = 1e30;
        size_t paths = 0;
        for (int r = 0; r < runs; r++) {
            sg_diagnostics *d = sg_diagnostics_new();
            sg_document *doc = NULL;
            double t0 = now();
            if (!d || sg_document_load(argv[f], &o, d, &doc) != SG_OK) {
                fprintf(stderr, "%s: cannot load\n", argv[f]);
                return 2;
            }
            double t1 = now();
            sgi_lint lint = {doc, &o, d, sgi_resolver_new(doc, &o, d), NULL};
            sg_status st = lint.resolver ? sgi_resolver_check(lint.resolver) : SG_ENOMEM;
            double t2 = now();
            if (st == SG_OK)
                st = sgi_check_swagger(&lint);
            double t3 = now();
            if (st != SG_OK) {
                fprintf(stderr, "%s: %s\n", argv[f], sg_status_string(st));
                return 3;
            }
            struct json_object *p;
            if (json_object_object_get_ex(sg_document_root(doc), "paths", &p))
                paths = (size_t)json_object_object_length(p);
            load = t1 - t0 < load ? t1 - t0 : load;
            res = t2 - t1 < res ? t2 - t1 : res;
            sw = t3 - t2 < sw ? t3 - t2 : sw;
            sgi_resolver_free(lint.resolver);
            sg_document_free(doc);
            sg_diagnostics_free(d);
        }
        const char *name = strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
        printf("%-40.40s %8zu %10.4f %10.4f %10.4f %12.2f\n", name, paths, load, res, sw,
               paths ? sw * 1e6 / (double)paths : 0.0);
    }
    return 0;
}
