/* Request: the async-import form (sg_import_options) and the
 * multipart/form-data body (RFC 7578) of
 * POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-import
 * around a file part (normally sg_normalize's canonical bytes).
 *
 * Every form field is written, with the endpoint's default where the caller
 * set nothing (APIG.md 1.1), in the table's order: is_create_group,
 * group_id (only when importing into an existing group), extend_mode,
 * simple_mode, mock_mode, api_mode, file_name. The boundary is derived from
 * the content (a hash, so the same request gives the same bytes) and checked
 * against every byte the body carries; a boundary found in the content is
 * replaced by the next one of the sequence until none is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_MAX_SIZE (12u * 1024 * 1024)
#define FORM_NAME "async-import form"

void sg_import_options_init(sg_import_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->create_group = 1;
    options->api_mode = SG_IMPORT_MERGE;
    options->extend_mode = SG_IMPORT_MERGE;
    options->conflict_key = SG_CONFLICT_BOTH;
    options->max_size = DEFAULT_MAX_SIZE;
    options->file_name = "swagger.json";
    options->merge_conflict_ignored = 0;
}

static sg_status form_diag(sg_diagnostics *diags, const char *rule, const char *apig,
                           const char *fmt, ...) SGI_PRINTF(4, 5);

static sg_status form_diag(sg_diagnostics *diags, const char *rule, const char *apig,
                           const char *fmt, ...)
{
    sgi_source src;
    memset(&src, 0, sizeof src); /* no allocator hooks: the C library's */
    if (sgi_source_init(&src, FORM_NAME, "", 0) != SG_OK)
        return SG_ENOMEM;
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_vdiag(diags, &src, SG_SEVERITY_ERROR, rule, NULL, NULL, apig, fmt, ap);
    va_end(ap);
    sgi_source_fini(&src);
    return st;
}

/* An APIG group id is 32 hex digits; accept letters, digits, '-' and '_'
 * (1 to 64), so that no byte of it can break the form. */
static int group_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* The filename parameter is written quoted: no quote, backslash, control
 * character or DEL; 1 to 255 bytes; not a path. */
static int file_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/')
            return 0;
    }
    return 1;
}

sg_status sg_import_options_check(const sg_import_options *o, sg_diagnostics *diags)
{
    if (!o)
        return SG_EUSAGE;
    int bad = 0;
    sg_status st = SG_OK;
#define BAD(apig, ...)                                                                             \
    do {                                                                                           \
        bad = 1;                                                                                   \
        if (st == SG_OK)                                                                           \
            st = form_diag(diags, "import-form", apig, __VA_ARGS__);                               \
    } while (0)
    if (o->create_group != 0 && o->create_group != 1)
        BAD("APIG.2012", "is_create_group is %d: it is a boolean (1 or 0)", o->create_group);
    if (!o->create_group && (!o->group_id || !*o->group_id))
        BAD("APIG.2001",
            "is_create_group is false but no group_id is given: name the group to import into "
            "(--group-id ID), or create a group from info.title (--create-group)");
    if (o->create_group == 1 && o->group_id)
        BAD("APIG.2012",
            "group_id \"%.64s\" is given while a new group is created (is_create_group=true): "
            "drop --create-group to import into that group, or drop the group id",
            o->group_id);
    if (o->group_id && *o->group_id && !group_id_ok(o->group_id))
        BAD("APIG.2012",
            "group_id \"%.64s\" is not a group id (1 to 64 letters, digits, '-' or '_'; APIG "
            "writes 32 hex digits)",
            o->group_id);
    if (o->api_mode != SG_IMPORT_MERGE && o->api_mode != SG_IMPORT_OVERRIDE)
        BAD("APIG.2012", "api_mode %d is neither merge nor override", (int)o->api_mode);
    if (o->extend_mode != SG_IMPORT_MERGE && o->extend_mode != SG_IMPORT_OVERRIDE)
        BAD("APIG.2012", "extend_mode %d is neither merge nor override", (int)o->extend_mode);
    if (o->simple_mode != 0 && o->simple_mode != 1)
        BAD("APIG.2012", "simple_mode is %d: it is a boolean (1 or 0)", o->simple_mode);
    if (o->mock_mode != 0 && o->mock_mode != 1)
        BAD("APIG.2012", "mock_mode is %d: it is a boolean (1 or 0)", o->mock_mode);
    if (o->conflict_key != SG_CONFLICT_BOTH && o->conflict_key != SG_CONFLICT_NAME &&
        o->conflict_key != SG_CONFLICT_ROUTE)
        BAD(NULL, "conflict_key %d is not name, route or both", (int)o->conflict_key);
    if (o->max_size == 0)
        BAD(NULL, "max_size is 0: give the file part's size limit in bytes (default %u)",
            DEFAULT_MAX_SIZE);
    if (!o->file_name || !file_name_ok(o->file_name))
        BAD(NULL,
            "file_name \"%.64s\" cannot be the file part's filename: 1 to 255 bytes without "
            "'/', '\\', '\"' or control characters",
            o->file_name ? o->file_name : "(null)");
#undef BAD
    if (st != SG_OK)
        return st;
    return bad ? SG_EUSAGE : SG_OK;
}

/* ---- the body ---------------------------------------------------------- */

typedef struct part_text {
    const char *p;
    size_t n;
} part_text;

static int contains(const part_text *texts, size_t ntexts, const char *needle, size_t nlen)
{
    for (size_t t = 0; t < ntexts; t++) {
        const char *p = texts[t].p;
        size_t n = texts[t].n;
        if (!p || n < nlen)
            continue;
        const char *end = p + n - nlen;
        for (const char *q = p; q <= end; q++) {
            q = memchr(q, needle[0], (size_t)(end - q) + 1);
            if (!q)
                break;
            if (memcmp(q, needle, nlen) == 0)
                return 1;
        }
    }
    return 0;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The boundary: "swaggate-" and 16 hex digits of a hash of a round number,
 * the first of the sequence that occurs in none of the texts the body
 * carries. A delimiter is CRLF "--" boundary, so a boundary that occurs
 * nowhere in the content cannot start one there. The sequence does not
 * depend on the content: the same request gives the same bytes, and a
 * content that holds the first boundary gets the second. */
static void make_boundary(const part_text *texts, size_t ntexts, char *out, size_t cap)
{
    for (uint64_t round = 0;; round++) {
        char digits[24];
        int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)round);
        uint64_t h = fnv1a(14695981039346656037ull, digits, (size_t)nd); /* same on every host */
        snprintf(out, cap, "swaggate-%016llx", (unsigned long long)h);
        if (!contains(texts, ntexts, out, strlen(out)))
            return;
    }
}

static void text_field(sgi_buf *b, const char *boundary, const char *name, const char *value)
{
    sgi_buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary,
                   name, value);
}

static const char *mode_name(sg_import_mode m)
{
    return m == SG_IMPORT_OVERRIDE ? "override" : "merge";
}

sg_status sg_request_build(const sg_import_options *import, const void *body, size_t len,
                           sg_diagnostics *diags, sg_bytes **out, char *content_type, size_t cap)
{
    if (out)
        *out = NULL;
    if (!import || !out || (!body && len) || !content_type || cap == 0)
        return SG_EUSAGE;
    content_type[0] = '\0';
    sg_status st = sg_import_options_check(import, diags);
    if (st != SG_OK)
        return st;
    if (len == 0) {
        st = form_diag(diags, "import-size", "APIG.3609",
                       "the file part is empty: APIG answers APIG.3609 (the input file is empty)");
        return st == SG_OK ? SG_EUSAGE : st;
    }
    if ((uint64_t)len > import->max_size) {
        st = form_diag(diags, "import-size", "APIG.3603",
                       "the file part has %zu bytes, past the limit of %llu: APIG answers "
                       "APIG.3603 (the input data is too long); split the file, or give the "
                       "gateway's real limit with --max-size N",
                       len, (unsigned long long)import->max_size);
        return st == SG_OK ? SG_EUSAGE : st;
    }
    part_text texts[3] = {{body, len},
                          {import->group_id, import->group_id ? strlen(import->group_id) : 0},
                          {import->file_name, strlen(import->file_name)}};
    char boundary[40];
    make_boundary(texts, 3, boundary, sizeof boundary);
    int n = snprintf(content_type, cap, "multipart/form-data; boundary=%s", boundary);
    if (n < 0 || (size_t)n >= cap) {
        content_type[0] = '\0';
        return SG_EUSAGE;
    }

    sgi_buf b = {0};
    text_field(&b, boundary, "is_create_group", import->create_group ? "true" : "false");
    if (!import->create_group)
        text_field(&b, boundary, "group_id", import->group_id);
    text_field(&b, boundary, "extend_mode", mode_name(import->extend_mode));
    text_field(&b, boundary, "simple_mode", import->simple_mode ? "true" : "false");
    text_field(&b, boundary, "mock_mode", import->mock_mode ? "true" : "false");
    text_field(&b, boundary, "api_mode", mode_name(import->api_mode));
    sgi_buf_printf(&b,
                   "--%s\r\nContent-Disposition: form-data; name=\"file_name\"; "
                   "filename=\"%s\"\r\nContent-Type: application/json\r\n\r\n",
                   boundary, import->file_name);
    sgi_buf_append(&b, body, len);
    sgi_buf_printf(&b, "\r\n--%s--\r\n", boundary);
    *out = sgi_bytes_take(&b);
    if (!*out) {
        sgi_buf_fini(&b);
        content_type[0] = '\0';
        return SG_ENOMEM;
    }
    return SG_OK;
}
