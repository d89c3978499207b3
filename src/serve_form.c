/* The multipart/form-data body of async-import and import, streamed:
 * libmicrohttpd's post processor cuts it into parts; text fields are kept
 * (each at most FIELD_MAX bytes), the file part goes to a temporary file
 * and is counted as it comes, so that an upload past the size limit is
 * refused (APIG.3603) without ever being held whole. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>
#include <microhttpd.h>

#include "serve.h"

enum { FIELD_MAX = 256, POST_BUFFER = 16 * 1024 };

/* The text fields of the form, in the order of APIG.md 1.1. */
static const char *const field_names[] = {"is_create_group", "group_id", "extend_mode",
                                          "simple_mode", "mock_mode", "api_mode"};
enum { NFIELDS = sizeof field_names / sizeof field_names[0] };

struct sgs_upload {
    struct MHD_PostProcessor *pp;
    char path[4096]; /* the temporary file, unlinked once opened */
    int fd;
    uint64_t max_size, file_size, body_size;
    int have_file, files;  /* file parts seen (content or not) */
    char file_name[256];
    char fields[NFIELDS][FIELD_MAX + 1];
    size_t field_len[NFIELDS];
    int field_seen[NFIELDS];
    sgs_error *err;        /* where the iterator reports */
    int failed;
};

void sgs_error_set(sgs_error *err, unsigned status, const char *code, const char *fmt, ...)
{
    if (!err || err->status)
        return;
    err->status = status;
    snprintf(err->code, sizeof err->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void sgs_form_init(sgs_form *form)
{
    sg_import_options o;
    sg_import_options_init(&o);
    memset(form, 0, sizeof *form);
    form->create_group = o.create_group;
    form->api_mode = (int)o.api_mode;
    form->extend_mode = (int)o.extend_mode;
    form->simple_mode = o.simple_mode;
    form->mock_mode = o.mock_mode;
    snprintf(form->file_name, sizeof form->file_name, "%s", o.file_name ? o.file_name : "swagger.json");
}

void sgs_form_options(const sgs_form *form, uint64_t max_size, sg_import_options *out)
{
    sg_import_options_init(out);
    out->create_group = form->create_group;
    out->group_id = form->group_id[0] ? form->group_id : NULL;
    out->api_mode = form->api_mode ? SG_IMPORT_OVERRIDE : SG_IMPORT_MERGE;
    out->extend_mode = form->extend_mode ? SG_IMPORT_OVERRIDE : SG_IMPORT_MERGE;
    out->simple_mode = form->simple_mode;
    out->mock_mode = form->mock_mode;
    if (max_size)
        out->max_size = max_size;
    out->file_name = form->file_name;
}

static const char *mode_name(int m) { return m ? "override" : "merge"; }

struct json_object *sgs_form_json(const sgs_form *form)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "is_create_group", json_object_new_boolean(form->create_group));
    if (form->group_id[0])
        json_object_object_add(o, "group_id", json_object_new_string(form->group_id));
    json_object_object_add(o, "extend_mode", json_object_new_string(mode_name(form->extend_mode)));
    json_object_object_add(o, "simple_mode", json_object_new_boolean(form->simple_mode));
    json_object_object_add(o, "mock_mode", json_object_new_boolean(form->mock_mode));
    json_object_object_add(o, "api_mode", json_object_new_string(mode_name(form->api_mode)));
    json_object_object_add(o, "file_name", json_object_new_string(form->file_name));
    return o;
}

int sgs_form_from_json(const char *text, sgs_form *form)
{
    struct json_object *o = json_tokener_parse(text), *v;
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return -1;
    }
    sgs_form_init(form);
    if (json_object_object_get_ex(o, "is_create_group", &v))
        form->create_group = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "group_id", &v))
        snprintf(form->group_id, sizeof form->group_id, "%s", json_object_get_string(v));
    if (json_object_object_get_ex(o, "extend_mode", &v))
        form->extend_mode = strcmp(json_object_get_string(v), "override") == 0;
    if (json_object_object_get_ex(o, "api_mode", &v))
        form->api_mode = strcmp(json_object_get_string(v), "override") == 0;
    if (json_object_object_get_ex(o, "simple_mode", &v))
        form->simple_mode = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "mock_mode", &v))
        form->mock_mode = json_object_get_boolean(v);
    if (json_object_object_get_ex(o, "file_name", &v))
        snprintf(form->file_name, sizeof form->file_name, "%s", json_object_get_string(v));
    json_object_put(o);
    return 0;
}

static void too_long(sgs_upload *up)
{
    sgs_error_set(up->err, 400, "APIG.3603",
                  "The input data is too long: the file part is over the limit of %llu bytes",
                  (unsigned long long)up->max_size);
    up->failed = 1;
    if (up->fd >= 0) {
        close(up->fd);
        up->fd = -1;
    }
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    sgs_upload *up = cls;
    (void)kind, (void)content_type, (void)transfer_encoding;
    if (up->failed || !key)
        return MHD_YES; /* the rest of the body is read and dropped */
    if (strcmp(key, "file_name") == 0) {
        if (off == 0) {
            up->files++;
            if (up->files > 1) {
                sgs_error_set(up->err, 400, "APIG.2012",
                              "Invalid parameter value, parameterName:file_name (more than one file part)");
                up->failed = 1;
                return MHD_YES;
            }
            up->have_file = 1;
            snprintf(up->file_name, sizeof up->file_name, "%s",
                     filename && *filename ? filename : "swagger.json");
        }
        if (up->file_size + size > up->max_size) {
            too_long(up);
            return MHD_YES;
        }
        if (size && up->fd >= 0) {
            const char *p = data;
            size_t left = size;
            while (left) {
                ssize_t w = write(up->fd, p, left);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0) {
                    sgs_error_set(up->err, 500, "APIG.9999",
                                  "System error: cannot write the upload to disk");
                    up->failed = 1;
                    return MHD_YES;
                }
                p += w;
                left -= (size_t)w;
            }
        }
        up->file_size += size;
        return MHD_YES;
    }
    for (size_t i = 0; i < NFIELDS; i++) {
        if (strcmp(key, field_names[i]) != 0)
            continue;
        if (off == 0 && up->field_seen[i]) {
            sgs_error_set(up->err, 400, "APIG.2012",
                          "Invalid parameter value, parameterName:%s (given twice)", key);
            up->failed = 1;
            return MHD_YES;
        }
        up->field_seen[i] = 1;
        if (up->field_len[i] + size > FIELD_MAX) {
            sgs_error_set(up->err, 400, "APIG.2012",
                          "Invalid parameter value, parameterName:%s (longer than %d bytes)", key,
                          FIELD_MAX);
            up->failed = 1;
            return MHD_YES;
        }
        memcpy(up->fields[i] + up->field_len[i], data, size);
        up->field_len[i] += size;
        up->fields[i][up->field_len[i]] = '\0';
        return MHD_YES;
    }
    /* Other parts are ignored, as the gateway ignores unknown fields. */
    return MHD_YES;
}

sgs_upload *sgs_upload_new(struct MHD_Connection *connection, const char *tmpdir,
                           uint64_t max_size, sgs_error *err)
{
    const char *ct = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        sgs_error_set(err, 400, "APIG.2012",
                      "Invalid parameter value, parameterName:Content-Type (expected "
                      "multipart/form-data with a file part named file_name)");
        return NULL;
    }
    sgs_upload *up = calloc(1, sizeof *up);
    if (!up) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return NULL;
    }
    up->fd = -1;
    up->max_size = max_size;
    up->err = err;
    snprintf(up->path, sizeof up->path, "%s/upload-XXXXXX", tmpdir);
    up->fd = mkstemp(up->path);
    if (up->fd < 0) {
        sgs_error_set(err, 500, "APIG.9999", "System error: cannot create a temporary file");
        free(up);
        return NULL;
    }
    unlink(up->path); /* gone with the descriptor, whatever happens */
    up->pp = MHD_create_post_processor(connection, POST_BUFFER, on_part, up);
    if (!up->pp) {
        sgs_error_set(err, 400, "APIG.2012",
                      "Invalid parameter value, parameterName:Content-Type (no multipart boundary)");
        sgs_upload_free(up);
        return NULL;
    }
    return up;
}

int sgs_upload_feed(sgs_upload *up, const char *data, size_t len, sgs_error *err)
{
    up->err = err;
    up->body_size += len;
    /* The fields around the file are small: a body much past the file
     * limit is refused without parsing it further. */
    if (!up->failed && up->body_size > up->max_size + 64 * 1024)
        too_long(up);
    if (!up->failed && MHD_post_process(up->pp, data, len) != MHD_YES) {
        sgs_error_set(err, 400, "APIG.2012",
                      "Invalid parameter value: the multipart/form-data body is malformed");
        up->failed = 1;
    }
    return up->failed ? -1 : 0;
}

/* "true"/"false" into *OUT; 0, or -1. */
static int parse_bool(const char *s, int *out)
{
    if (strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int parse_mode(const char *s, int *out)
{
    if (strcmp(s, "merge") == 0)
        *out = 0;
    else if (strcmp(s, "override") == 0)
        *out = 1;
    else
        return -1;
    return 0;
}

int sgs_upload_finish(sgs_upload *up, sgs_form *form, char **bytes, size_t *len, sgs_error *err)
{
    *bytes = NULL;
    *len = 0;
    up->err = err;
    if (up->pp) {
        if (!up->failed && MHD_destroy_post_processor(up->pp) != MHD_YES)
            sgs_error_set(err, 400, "APIG.2012",
                          "Invalid parameter value: the multipart/form-data body is malformed");
        else if (up->failed)
            MHD_destroy_post_processor(up->pp);
        up->pp = NULL;
    }
    if (up->failed || err->status)
        return -1;
    sgs_form_init(form);
    for (size_t i = 0; i < NFIELDS; i++) {
        if (!up->field_seen[i])
            continue;
        const char *v = up->fields[i];
        int bad = 0;
        switch (i) {
        case 0: bad = parse_bool(v, &form->create_group); break;
        case 1:
            if (up->field_len[i] >= sizeof form->group_id)
                bad = 1;
            else
                snprintf(form->group_id, sizeof form->group_id, "%s", v);
            break;
        case 2: bad = parse_mode(v, &form->extend_mode); break;
        case 3: bad = parse_bool(v, &form->simple_mode); break;
        case 4: bad = parse_bool(v, &form->mock_mode); break;
        case 5: bad = parse_mode(v, &form->api_mode); break;
        }
        if (bad) {
            sgs_error_set(err, 400, "APIG.2012", "Invalid parameter value, parameterName:%s (%s)",
                          field_names[i],
                          i == 2 || i == 5 ? "expected merge or override" : i == 1 ? "too long"
                                                                            : "expected true or false");
            return -1;
        }
    }
    if (!up->have_file) {
        sgs_error_set(err, 400, "APIG.2001",
                      "The request parameters must be specified, parameterName:file_name (a file part)");
        return -1;
    }
    /* The gateway takes the file whatever the client called it: keep the
     * last path component (a browser may send C:\\dir\\x.json) and fall back
     * to a plain name when what is left cannot be a filename. */
    const char *base = up->file_name;
    for (const char *p = up->file_name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    int plain = *base && strlen(base) <= 255 && strcmp(base, ".") != 0 && strcmp(base, "..") != 0;
    for (const char *p = base; plain && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"')
            plain = 0;
    snprintf(form->file_name, sizeof form->file_name, "%s", plain ? base : "swagger.json");
    /* The combination of fields: the library's check, with its codes. */
    sg_import_options o;
    sgs_form_options(form, up->max_size, &o);
    sg_diagnostics *d = sg_diagnostics_new();
    if (!d) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return -1;
    }
    sg_status st = sg_import_options_check(&o, d);
    if (st != SG_OK) {
        const sg_diagnostic *g = sg_diagnostics_count(d) ? sg_diagnostics_get(d, 0) : NULL;
        sgs_error_set(err, st == SG_ENOMEM ? 500 : 400,
                      st == SG_ENOMEM ? "APIG.9999" : g && g->apig_code ? g->apig_code : "APIG.2012",
                      "%s", g ? g->message : "Invalid parameter value");
        sg_diagnostics_free(d);
        return -1;
    }
    sg_diagnostics_free(d);
    char *buf = malloc(up->file_size + 1);
    if (!buf) {
        sgs_error_set(err, 500, "APIG.9999", "System error: out of memory");
        return -1;
    }
    size_t got = 0;
    while (got < up->file_size) {
        ssize_t r = pread(up->fd, buf + got, up->file_size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            sgs_error_set(err, 500, "APIG.9999", "System error: cannot read the upload back");
            return -1;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    *bytes = buf;
    *len = got;
    return 0;
}

void sgs_upload_free(sgs_upload *up)
{
    if (!up)
        return;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    if (up->fd >= 0)
        close(up->fd);
    free(up);
}
