/* Document: the root value, the source bytes and name, the format and the
 * marks table. Loading runs the pipeline's first stages: source (bytes and
 * encoding), reader (events) and builder (model). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "internal.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* By file name first; otherwise JSON when the first character after
 * whitespace opens an object or array, YAML else (a superset, mostly). */
static sg_format detect_format(const sgi_source *src, sg_format requested)
{
    if (requested != SG_FORMAT_AUTO)
        return requested;
    if (ends_with(src->name, ".json"))
        return SG_FORMAT_JSON;
    if (ends_with(src->name, ".yaml") || ends_with(src->name, ".yml"))
        return SG_FORMAT_YAML;
    for (size_t i = src->bom; i < src->len; i++) {
        unsigned char c = src->text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[' ? SG_FORMAT_JSON : SG_FORMAT_YAML;
    }
    return SG_FORMAT_YAML;
}

static sg_status build(sg_document *doc, const sg_options *opts, sg_diagnostics *diags)
{
    sg_status st = sgi_source_check_encoding(&doc->src, diags);
    if (st != SG_OK)
        return st;
    doc->format = detect_format(&doc->src, opts->format);
    sgi_builder *b = sgi_builder_new(&doc->src, &doc->limits, diags, 0);
    if (!b)
        return SG_ENOMEM;
    int two = opts->threads > 1 && doc->src.len >= SGI_THREADS_MIN_BYTES;
    if (doc->format == SG_FORMAT_JSON && two)
        st = sgi_read_piped(sgi_json_read, &doc->src, opts->read_chunk, &doc->limits,
                            sgi_builder_event, b, diags);
    else if (doc->format == SG_FORMAT_JSON)
        st = sgi_json_read(&doc->src, opts->read_chunk, &doc->limits, sgi_builder_event, b, diags);
    else
        st = (two ? sgi_yaml_read_piped : sgi_yaml_read)(&doc->src, opts->read_chunk,
                                                         &doc->limits, sgi_builder_event, b, diags);
    if (st == SG_OK)
        st = sgi_builder_finish(b, &doc->root, &doc->marks);
    sgi_builder_free(b);
    return st;
}

static sg_status finish_load(sg_document *doc, const sg_options *opts, sg_diagnostics *diags,
                             sg_document **out, sg_status st)
{
    if (st == SG_OK)
        st = build(doc, opts, diags);
    if (st != SG_OK) {
        sg_document_free(doc);
        return st;
    }
    *out = doc;
    return SG_OK;
}

static sg_document *doc_new(const sg_options *opts, sg_options *defaults, sg_diagnostics *diags,
                            const sg_options **used)
{
    if (!opts) {
        sg_options_init(defaults);
        opts = defaults;
    }
    *used = opts;
    sg_document *doc = sgi_calloc(opts->allocator, 1, sizeof *doc);
    if (doc) {
        sgi_alloc_copy(&doc->alloc, opts->allocator);
        doc->limits = opts->limits;
    }
    sgi_diags_set_limit(diags, opts->limits.max_diagnostics);
    return doc;
}

sg_status sg_document_load(const char *path, const sg_options *options, sg_diagnostics *diags,
                           sg_document **out)
{
    sg_options defaults;
    const sg_options *opts;
    if (!out || !path)
        return SG_EUSAGE;
    *out = NULL;
    sg_document *doc = doc_new(options, &defaults, diags, &opts);
    if (!doc)
        return SG_ENOMEM;
    doc->from_file = strcmp(path, "-") != 0; /* a base for file $refs */
    sg_status st = sgi_source_read_a(&doc->src, &doc->alloc, path, &doc->limits, diags);
    return finish_load(doc, opts, diags, out, st);
}

sg_status sg_document_parse(const char *name, const void *bytes, size_t len,
                            const sg_options *options, sg_diagnostics *diags, sg_document **out)
{
    sg_options defaults;
    const sg_options *opts;
    if (!out || (!bytes && len))
        return SG_EUSAGE;
    *out = NULL;
    sg_document *doc = doc_new(options, &defaults, diags, &opts);
    if (!doc)
        return SG_ENOMEM;
    sg_status st;
    if (len > doc->limits.max_file_bytes) {
        sgi_source named = {0};
        named.name = (char *)(name ? name : "-");
        st = sgi_diag(diags, &named, SG_SEVERITY_ERROR, "limit", NULL, NULL, NULL,
                      "the input is larger than the limit of %llu bytes; raise it with --limit "
                      "file-size=N",
                      (unsigned long long)doc->limits.max_file_bytes);
        sg_document_free(doc);
        return st == SG_OK ? SG_EINPUT : st;
    }
    st = sgi_source_init_a(&doc->src, &doc->alloc, name ? name : "-", bytes ? bytes : "", len);
    return finish_load(doc, opts, diags, out, st);
}

void sg_document_free(sg_document *doc)
{
    if (!doc)
        return;
    sg_allocator a = doc->alloc;
    json_object_put(doc->root);
    sgi_marks_free(doc->marks);
    sgi_source_fini(&doc->src);
    sgi_free(&a, doc);
}

struct json_object *sg_document_root(const sg_document *doc) { return doc ? doc->root : NULL; }
const char *sg_document_name(const sg_document *doc) { return doc ? doc->src.name : NULL; }
sg_format sg_document_format(const sg_document *doc) { return doc ? doc->format : SG_FORMAT_AUTO; }

/* Decode one RFC 6901 reference token (~1 -> /, ~0 -> ~) of LEN bytes into
 * OUT (at least LEN + 1 bytes). Returns 0 on a bad escape. */
static int unescape_token(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '~') {
            out[o++] = s[i];
            continue;
        }
        if (i + 1 >= len || (s[i + 1] != '0' && s[i + 1] != '1'))
            return 0;
        out[o++] = s[++i] == '0' ? '~' : '/';
    }
    out[o] = '\0';
    return 1;
}

sg_status sg_document_locate(const sg_document *doc, const char *pointer, sg_mark *start,
                             sg_mark *end, sg_mark *key_start)
{
    if (!doc || !pointer || (*pointer && *pointer != '/'))
        return SG_EUSAGE;
    const void *parent = NULL;
    uintptr_t slot = 0;
    struct json_object *cur = doc->root;
    const char *p = pointer;
    char *tok = sgi_malloc(&doc->alloc, strlen(pointer) + 1);
    if (!tok)
        return SG_ENOMEM;
    while (*p) {
        const char *s = p + 1;
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        p = s + len;
        if (!unescape_token(s, len, tok))
            goto bad;
        if (json_object_is_type(cur, json_type_object)) {
            struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(cur), tok);
            if (!le)
                goto bad;
            parent = cur;
            slot = (uintptr_t)le->k;
            cur = (struct json_object *)le->v;
        } else if (json_object_is_type(cur, json_type_array)) {
            size_t idx = 0;
            if (len == 0 || (len > 1 && tok[0] == '0') || len > 18)
                goto bad;
            for (size_t i = 0; i < len; i++) {
                if (tok[i] < '0' || tok[i] > '9')
                    goto bad;
                idx = idx * 10 + (size_t)(tok[i] - '0');
            }
            if (idx >= json_object_array_length(cur))
                goto bad;
            parent = cur;
            slot = idx;
            cur = json_object_array_get_idx(cur, idx);
        } else {
            goto bad;
        }
    }
    sgi_free(&doc->alloc, tok);
    sgi_span sp_b;
    const sgi_span *sp = sgi_marks_get(doc->marks, parent, slot, &sp_b) ? &sp_b : NULL;
    if (!sp)
        return SG_EUSAGE;
    if (start)
        *start = sp->start;
    if (end)
        *end = sp->end;
    if (key_start)
        *key_start = sp->key_start;
    return SG_OK;
bad:
    sgi_free(&doc->alloc, tok);
    return SG_EUSAGE;
}

sg_status sgi_doc_diag(const sg_document *doc, sg_diagnostics *d, sg_severity sev, const char *rule,
                       const void *parent, uintptr_t slot, int at_key, const char *pointer,
                       const char *apig, const char *fmt, ...)
{
    sg_mark at = {0, 0, 0};
    int have = sgi_marks_at(doc->marks, parent, slot, at_key, &at);
    va_list ap;
    va_start(ap, fmt);
    /* The source is only read here (line table built at load). */
    sg_status st = sgi_vdiag(d, (sgi_source *)&doc->src, sev, rule, have ? &at : NULL, pointer,
                             apig, fmt, ap);
    va_end(ap);
    return st;
}

sg_status sg_document_write_json(const sg_document *doc, FILE *out, int pretty)
{
    if (!doc || !out)
        return SG_EUSAGE;
    sgi_buf b = {.alloc = &doc->alloc}; /* the document's hooks */
    sgi_emit_json(&b, doc->root, pretty ? 2 : -1);
    sgi_buf_append(&b, "\n", 1);
    if (b.oom) {
        sgi_buf_fini(&b);
        return SG_ENOMEM;
    }
    size_t len = b.len, w = fwrite(b.data, 1, len, out);
    sgi_buf_fini(&b);
    return w == len && fflush(out) == 0 && !ferror(out) ? SG_OK : SG_EINPUT;
}
