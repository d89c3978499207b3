/* JSONTestSuite driver: every file of $SWAGGATE_TESTDATA/json-test-suite/
 * test_parsing through the public sg_document_parse().
 *
 * Policy, by file name prefix:
 * - y_ (valid JSON): must return SG_OK. Findings may still be reported:
 *   y_object_duplicated_key* and y_object_escaped_null_in_key are accepted as
 *   documents, but the builder adds an error *finding* (duplicate key, NUL in
 *   a key), so diagnostics of any severity are allowed with SG_OK.
 * - n_ (invalid JSON): must return SG_EINPUT with at least one diagnostic
 *   that has a position (start.line > 0). Empty and whitespace-only files
 *   (n_single_space, n_structure_no_data, n_structure_UTF8_BOM_no_data) are
 *   rejected by the builder as "empty document".
 * - i_ (implementation-defined): either result, never a crash or another
 *   status. Our policy: big and huge numbers are kept as written (accepted);
 *   lone surrogate escapes, invalid UTF-8, UTF-16 and NUL bytes are rejected.
 * Every file is also parsed with read_chunk 1 and 7: the status must not
 * change. Exits 77 (skip) when the suite is not there. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swaggate.h"

typedef struct counts {
    unsigned passed, failed;
} counts;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Parse BYTES once; the status, and whether some diagnostic has a position. */
static sg_status parse(const char *name, const char *bytes, size_t len, size_t chunk,
                       int *positioned, char *first, size_t cap)
{
    sg_options opts;
    sg_options_init(&opts);
    opts.format = SG_FORMAT_JSON; /* the files are JSON whatever AUTO would guess */
    opts.read_chunk = chunk;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    if (d == NULL)
        return SG_ENOMEM;
    sg_status st = sg_document_parse(name, bytes, len, &opts, d, &doc);
    *positioned = 0;
    first[0] = '\0';
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (g->start.line > 0)
            *positioned = 1;
        if (i == 0)
            snprintf(first, cap, "%u:%u %s: %s", g->start.line, g->start.column, g->rule,
                     g->message);
    }
    if (st == SG_OK && doc == NULL)
        st = SG_EINTERNAL; /* success must give a document */
    sg_document_free(doc);
    sg_diagnostics_free(d);
    return st;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *base = getenv("SWAGGATE_TESTDATA");
    char dir[4096];
    DIR *dh = NULL;
    if (base != NULL && *base != '\0') {
        snprintf(dir, sizeof dir, "%s/json-test-suite/test_parsing", base);
        dh = opendir(dir);
    }
    if (dh == NULL) {
        printf("SKIP: JSONTestSuite not found (set SWAGGATE_TESTDATA=../shared/testdata)\n");
        return 77;
    }

    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL) {
                fprintf(stderr, "out of memory\n");
                return 99;
            }
            names = nn;
        }
        if ((names[n] = strdup(de->d_name)) == NULL) {
            fprintf(stderr, "out of memory\n");
            return 99;
        }
        n++;
    }
    closedir(dh);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);

    counts y = {0, 0}, no = {0, 0}, in = {0, 0}, other = {0, 0};
    unsigned i_accepted = 0, i_rejected = 0;
    for (size_t k = 0; k < n; k++) {
        const char *name = names[k];
        char path[8192], first[512], why[700];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        size_t len = 0;
        char *bytes = slurp(path, &len);
        counts *c = name[0] == 'y' ? &y : name[0] == 'n' ? &no : name[0] == 'i' ? &in : &other;
        why[0] = '\0';
        if (bytes == NULL) {
            snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        } else {
            int positioned;
            sg_status st = parse(name, bytes, len, 0, &positioned, first, sizeof first);
            for (size_t chunk = 1; chunk <= 7 && why[0] == '\0'; chunk += 6) {
                int p2;
                char f2[512];
                sg_status st2 = parse(name, bytes, len, chunk, &p2, f2, sizeof f2);
                if (st2 != st || strcmp(f2, first) != 0)
                    snprintf(why, sizeof why, "read_chunk %zu gives %s (%s), whole gives %s",
                             chunk, sg_status_string(st2), f2, sg_status_string(st));
            }
            if (why[0] != '\0') {
                /* already failed */
            } else if (c == &y) {
                if (st != SG_OK)
                    snprintf(why, sizeof why, "valid JSON rejected: %s (%s)", sg_status_string(st),
                             first);
            } else if (c == &no) {
                if (st != SG_EINPUT)
                    snprintf(why, sizeof why, "invalid JSON %s", st == SG_OK ? "accepted" :
                             sg_status_string(st));
                else if (!positioned)
                    snprintf(why, sizeof why, "rejected without a positioned diagnostic (%s)",
                             first);
            } else if (c == &in) {
                if (st == SG_OK)
                    i_accepted++;
                else if (st == SG_EINPUT)
                    i_rejected++;
                else
                    snprintf(why, sizeof why, "unexpected status %s", sg_status_string(st));
            }
        }
        free(bytes);
        if (why[0] != '\0') {
            printf("FAIL %s: %s\n", name, why);
            c->failed++;
        } else {
            c->passed++;
        }
        free(names[k]);
    }
    free(names);

    printf("y_: %u passed, %u failed\n", y.passed, y.failed);
    printf("n_: %u passed, %u failed\n", no.passed, no.failed);
    printf("i_: %u passed, %u failed (%u accepted, %u rejected)\n", in.passed, in.failed,
           i_accepted, i_rejected);
    unsigned passed = y.passed + no.passed + in.passed + other.passed;
    unsigned failed = y.failed + no.failed + in.failed + other.failed;
    printf("json-test-suite: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
