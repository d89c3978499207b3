/* Unit tests of the async-import form and body (src/request.c). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int has_finding(sg_diagnostics *d, const char *rule, const char *apig)
{
    for (size_t i = 0; i < sg_diagnostics_count(d); i++) {
        const sg_diagnostic *g = sg_diagnostics_get(d, i);
        if (strcmp(g->rule, rule) == 0 &&
            (!apig || (g->apig_code && strcmp(g->apig_code, apig) == 0)))
            return 1;
    }
    return 0;
}

START_TEST(defaults)
{
    sg_import_options o;
    memset(&o, 0x5a, sizeof o);
    sg_import_options_init(&o);
    ck_assert_int_eq(o.create_group, 1);
    ck_assert_ptr_null(o.group_id);
    ck_assert_int_eq(o.api_mode, SG_IMPORT_MERGE);
    ck_assert_int_eq(o.extend_mode, SG_IMPORT_MERGE);
    ck_assert_int_eq(o.simple_mode, 0);
    ck_assert_int_eq(o.mock_mode, 0);
    ck_assert_int_eq(o.conflict_key, SG_CONFLICT_BOTH);
    ck_assert_uint_eq(o.max_size, 12u * 1024 * 1024);
    ck_assert_str_eq(o.file_name, "swagger.json");
    ck_assert_int_eq(o.merge_conflict_ignored, 0);
    sg_import_options_init(NULL); /* harmless */
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sg_import_options_check(&o, d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    ck_assert_int_eq(sg_import_options_check(NULL, d), SG_EUSAGE);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(combinations)
{
    struct {
        int create;
        const char *group_id;
        int api_mode;
        const char *file_name;
        uint64_t max_size;
        const char *apig; /* expected code, NULL: valid (or no code) */
        int ok;
    } cases[] = {
        {0, NULL, 0, "swagger.json", 1024, "APIG.2001", 0},
        {0, "", 0, "swagger.json", 1024, "APIG.2001", 0},
        {1, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", 0, "swagger.json", 1024, "APIG.2012", 0},
        {0, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", 0, "swagger.json", 1024, NULL, 1},
        {0, "a\r\nX-Evil: 1", 0, "swagger.json", 1024, "APIG.2012", 0},
        {1, NULL, 7, "swagger.json", 1024, "APIG.2012", 0},
        {1, NULL, 1, "swagger.json", 1024, NULL, 1},
        {1, NULL, 0, "a\"b.json", 1024, NULL, 0},
        {1, NULL, 0, "../etc/passwd", 1024, NULL, 0},
        {1, NULL, 0, "", 1024, NULL, 0},
        {1, NULL, 0, NULL, 1024, NULL, 0},
        {1, NULL, 0, "swagger.json", 0, NULL, 0},
        {2, NULL, 0, "swagger.json", 1024, "APIG.2012", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sg_import_options o;
        sg_import_options_init(&o);
        o.create_group = cases[i].create;
        o.group_id = cases[i].group_id;
        o.api_mode = (sg_import_mode)cases[i].api_mode;
        o.file_name = cases[i].file_name;
        o.max_size = cases[i].max_size;
        sg_diagnostics *d = sg_diagnostics_new();
        sg_status st = sg_import_options_check(&o, d);
        ck_assert_msg(st == (cases[i].ok ? SG_OK : SG_EUSAGE), "case %zu: status %d", i, st);
        if (!cases[i].ok)
            ck_assert_msg(has_finding(d, "import-form", cases[i].apig), "case %zu: no finding", i);
        else
            ck_assert_uint_eq(sg_diagnostics_count(d), 0);
        /* a bad form builds nothing */
        sg_bytes *b = (sg_bytes *)1;
        char ct[SG_CONTENT_TYPE_MAX];
        st = sg_request_build(&o, "{}", 2, d, &b, ct, sizeof ct);
        ck_assert_msg(st == (cases[i].ok ? SG_OK : SG_EUSAGE), "case %zu: build status %d", i, st);
        if (!cases[i].ok)
            ck_assert_ptr_null(b);
        sg_bytes_free(b);
        sg_diagnostics_free(d);
    }
}
END_TEST

START_TEST(body_bytes)
{
    sg_import_options o;
    sg_import_options_init(&o);
    o.create_group = 0;
    o.group_id = "g1";
    o.api_mode = SG_IMPORT_OVERRIDE;
    o.mock_mode = 1;
    o.file_name = "api.json";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_bytes *b = NULL;
    char ct[SG_CONTENT_TYPE_MAX];
    const char file[] = "{\"swagger\":\"2.0\"}\r\n--x\0y";
    ck_assert_int_eq(sg_request_build(&o, file, sizeof file - 1, d, &b, ct, sizeof ct), SG_OK);
    ck_assert(strncmp(ct, "multipart/form-data; boundary=swaggate-", 39) == 0);
    const char *bd = ct + strlen("multipart/form-data; boundary=");
    ck_assert_uint_eq(strlen(bd), 25);
    char *want = NULL;
    size_t wlen = 0;
    FILE *f = open_memstream(&want, &wlen);
    const char *fields[][2] = {{"is_create_group", "false"}, {"group_id", "g1"},
                               {"extend_mode", "merge"},     {"simple_mode", "false"},
                               {"mock_mode", "true"},        {"api_mode", "override"}};
    for (size_t i = 0; i < 6; i++)
        fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", bd,
                fields[i][0], fields[i][1]);
    fprintf(f,
            "--%s\r\nContent-Disposition: form-data; name=\"file_name\"; filename=\"api.json\"\r\n"
            "Content-Type: application/json\r\n\r\n",
            bd);
    fwrite(file, 1, sizeof file - 1, f);
    fprintf(f, "\r\n--%s--\r\n", bd);
    fclose(f);
    ck_assert_uint_eq(sg_bytes_len(b), wlen);
    ck_assert(memcmp(sg_bytes_data(b), want, wlen) == 0);
    ck_assert_int_eq(sg_bytes_data(b)[wlen], '\0');
    free(want);

    /* the same request gives the same bytes */
    sg_bytes *b2 = NULL;
    char ct2[SG_CONTENT_TYPE_MAX];
    ck_assert_int_eq(sg_request_build(&o, file, sizeof file - 1, d, &b2, ct2, sizeof ct2), SG_OK);
    ck_assert_str_eq(ct, ct2);
    ck_assert(sg_bytes_len(b) == sg_bytes_len(b2) &&
              memcmp(sg_bytes_data(b), sg_bytes_data(b2), sg_bytes_len(b)) == 0);
    sg_bytes_free(b2);
    sg_bytes_free(b);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sg_diagnostics_free(d);
}
END_TEST

/* A content that holds the first boundaries of the sequence gets one that
 * it does not hold. */
START_TEST(boundary_avoids_content)
{
    sg_import_options o;
    sg_import_options_init(&o);
    char seen[4][SG_CONTENT_TYPE_MAX];
    char *content = strdup("{}");
    for (int k = 0; k < 4; k++) {
        sg_bytes *b = NULL;
        char ct[SG_CONTENT_TYPE_MAX];
        ck_assert_int_eq(sg_request_build(&o, content, strlen(content), NULL, &b, ct, sizeof ct),
                         SG_OK);
        const char *bd = strstr(ct, "boundary=") + 9;
        ck_assert_ptr_null(strstr(content, bd));
        for (int j = 0; j < k; j++)
            ck_assert_str_ne(seen[j], bd);
        snprintf(seen[k], sizeof seen[k], "%s", bd);
        /* only one opening and one closing delimiter for the file part */
        size_t count = 0;
        const char *p = sg_bytes_data(b);
        while ((p = strstr(p, bd))) {
            count++;
            p++;
        }
        ck_assert_uint_eq(count, 5 + 1 + 1); /* 5 fields (no group_id), the file, the close */
        sg_bytes_free(b);
        /* next round: the content holds this boundary, after CRLF "--" */
        size_t n = strlen(content) + strlen(bd) + 8;
        char *next = malloc(n);
        snprintf(next, n, "%s\r\n--%s", content, bd);
        free(content);
        content = next;
    }
    free(content);
    /* the group id and the file name are content too */
    o.file_name = seen[0];
    sg_bytes *b = NULL;
    char ct[SG_CONTENT_TYPE_MAX];
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, NULL, &b, ct, sizeof ct), SG_OK);
    ck_assert_ptr_null(strstr(seen[0], strstr(ct, "boundary=") + 9));
    sg_bytes_free(b);
}
END_TEST

START_TEST(size_limit)
{
    sg_import_options o;
    sg_import_options_init(&o);
    o.max_size = 4;
    sg_diagnostics *d = sg_diagnostics_new();
    sg_bytes *b = NULL;
    char ct[SG_CONTENT_TYPE_MAX];
    ck_assert_int_eq(sg_request_build(&o, "{\"a\":1}", 7, d, &b, ct, sizeof ct), SG_EUSAGE);
    ck_assert_ptr_null(b);
    ck_assert(has_finding(d, "import-size", "APIG.3603"));
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, d, &b, ct, sizeof ct), SG_OK); /* under it */
    sg_bytes_free(b);
    b = NULL;
    o.max_size = 2;
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, d, &b, ct, sizeof ct), SG_OK); /* at it */
    sg_bytes_free(b);
    b = NULL;
    ck_assert_int_eq(sg_request_build(&o, "", 0, d, &b, ct, sizeof ct), SG_EUSAGE);
    ck_assert(has_finding(d, "import-size", "APIG.3609"));
    /* bad arguments */
    ck_assert_int_eq(sg_request_build(NULL, "{}", 2, d, &b, ct, sizeof ct), SG_EUSAGE);
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, d, NULL, ct, sizeof ct), SG_EUSAGE);
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, d, &b, ct, 0), SG_EUSAGE);
    ck_assert_int_eq(sg_request_build(&o, "{}", 2, d, &b, ct, 10), SG_EUSAGE);
    ck_assert_ptr_null(b);
    sg_diagnostics_free(d);
    sg_bytes_free(NULL);
}
END_TEST

Suite *suite_request(void)
{
    Suite *s = suite_create("request");
    TCase *t = tcase_create("request");
    tcase_add_test(t, defaults);
    tcase_add_test(t, combinations);
    tcase_add_test(t, body_bytes);
    tcase_add_test(t, boundary_avoids_content);
    tcase_add_test(t, size_limit);
    suite_add_tcase(s, t);
    return s;
}
