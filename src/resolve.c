/* Resolver: $ref for one lint run. Swagger 2.0 "Reference Object" (a JSON
 * Reference holding a JSON Pointer, RFC 6901, in a URI fragment, RFC 3986);
 * the policy of HOSTILE.md 2.5 and section 3 items 51-61.
 *
 * Decisions where the specs leave room:
 * - Where "$ref" is a reference: in any object reached through Swagger
 *   structure, except inside data (example, examples, default, enum), vendor
 *   extensions (x-*: their content is not ours to read) and as a key of a
 *   name map (properties, definitions, parameters, responses, headers,
 *   securityDefinitions, scopes, security requirements, paths): there
 *   "$ref" is a name like any other.
 * - "#" alone names the whole root document: refused, since no Swagger
 *   object is a whole document (and it would contain the $ref itself).
 *   "file.yaml" (or "file.yaml#") names a whole other file: allowed, common.
 * - A document without a path (standard input, sg_document_parse) has no
 *   folder: file refs are refused, unless options.ref_root is set; then they
 *   are relative to the current directory and must stay inside ref_root.
 * - External files are read here (stat, open with O_NOFOLLOW, fstat: a
 *   regular file, the same one) and parsed by sg_document_parse with the
 *   run's options (same readers, builder, limits), the format picked by
 *   the file's name and content; each keeps its own name and positions.
 * - Members next to "$ref" are ignored (JSON Reference), with a warning.
 * - Each $ref site is resolved once (memo), each container walked once
 *   (visited set): recursive schemas and YAML aliases terminate in linear
 *   time. A chain is followed site by site without recursion. A $ref text
 *   that resolved is not decoded again for the other sites of its document.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "internal.h"

#define NONE ((size_t)-1)

/* Hash tables are json-c's (linkhash.h): pointer keys for $ref sites and
 * walked containers, string keys for files; values are indexes. */
#define IDX(v) ((size_t)(uintptr_t)(v))
#define VAL(i) ((const void *)(uintptr_t)(i))

/* Grow *P (of *CAP elements of SIZE) to hold N + 1. 0 when out of memory. */
static int grow(const sg_allocator *a, void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *np = sgi_realloc(a, *p, ncap * size);
    if (!np)
        return 0;
    *p = np;
    *cap = ncap;
    return 1;
}

/* ---- the resolver ------------------------------------------------------- */

#define RA(r) (&(r)->alloc)

/* The real path of P allocated with A (realpath fills a buffer of ours), or
 * NULL with errno set. */
static char *real_a(const sg_allocator *a, const char *p)
{
    char buf[PATH_MAX];
    if (!realpath(p, buf))
        return NULL;
    char *r = sgi_strdup(a, buf);
    if (!r)
        errno = ENOMEM;
    return r;
}

enum { S_NEW, S_BUSY, S_DONE, S_FAILED };

/* Where "$ref" is read: C_OBJ structure, C_ROOT the root object (its
 * "responses" is a name map), C_MAP a name map (keys are names), C_MAPX a
 * name map whose x-* keys are extensions (paths, operation responses). */
enum { C_OBJ, C_ROOT, C_MAP, C_MAPX };

typedef struct rdoc {
    const sg_document *doc;
    sg_document *owned;   /* external files; NULL for the root */
    char *dir;            /* real folder relative refs start from, or NULL */
    const char *via_file; /* the $ref that first led here (related place) */
    sg_mark via;
    struct lh_table *hits; /* $ref text of this document -> 1 + index of its hit */
} rdoc;

/* Where a $ref text names, once it resolved in one document: sites with the
 * same text in that document (often thousands sharing a few definitions)
 * take it without decoding and evaluating the pointer again. Only successes
 * are kept, so each failing site still reports its own error. At most one
 * per $ref site, so bounded by the documents' size. */
typedef struct hit {
    size_t tdoc;
    struct json_object *value;
    const void *parent;
    uintptr_t slot;
    int is_ref;
    char *tptr; /* the target's pointer; sites borrow it */
} hit;

/* A file opened, by real path: a document, or why not (kept so that a
 * broken file is read and reported once). */
enum { FK_OK, FK_MISSING, FK_OUTSIDE, FK_NOTREG, FK_BROKEN };
typedef struct fentry {
    char *key;
    int kind;
    size_t doc;
} fentry;

typedef struct site {
    struct json_object *obj; /* the object holding "$ref" */
    size_t doc;
    char *ptr;      /* where OBJ is in its document, or NULL */
    const char *tptr; /* its direct target's pointer (owned by a hit) */
    int state;
    uint32_t hops;  /* $refs followed to reach structure (S_DONE) */
    size_t next;    /* the site its target is, or NONE */
    size_t fdoc;    /* the final target (S_DONE) */
    struct json_object *fval;
    const void *fparent;
    uintptr_t fslot;
    const char *fptr; /* borrowed from the last site of the chain */
} site;

typedef struct item {
    size_t doc;
    struct json_object *v;
    const char *ptr; /* borrowed from a site, or "" */
} item;

typedef struct reach {
    int failed, is_ref;
    size_t doc;
    struct json_object *value;
    const void *parent;
    uintptr_t slot;
} reach;

struct sgi_resolver {
    sg_allocator alloc; /* a copy of the options' hooks: all of the resolver's
                           own blocks (NULL functions: the C library) */
    sg_options opts;
    sg_diagnostics *d;
    rdoc *docs;
    size_t ndocs, capdocs;
    fentry *files;
    size_t nfiles, capfiles;
    struct lh_table *fmap; /* real path -> file */
    site *sites;
    size_t nsites, capsites;
    hit *hits;
    size_t nhits, caphits;
    struct lh_table *smap;    /* ref object -> site */
    uintptr_t *visited; /* container + context walked: a set (see visit) */
    size_t nvisited, capvisited;
    int check_ended;    /* sgi_resolver_end_check was called */
    item *queue;
    size_t qhead, nqueue, capqueue;
    size_t *chain;
    size_t nchain, capchain;
    char *root_dir;     /* the sandbox (real path); NULL: file refs refused */
    const char *no_dir; /* why file refs of the root have no folder */
    int setup_err;      /* errno of a bad ref_root, reported once */
    uint64_t total_bytes;
    int shared;         /* sgi_resolver_share: MU guards sgi_resolve */
    pthread_mutex_t mu;
};

/* S (LEN bytes) escaped and cut for a message, into BUF. */
static const char *ex(const sgi_resolver *r, char *buf, size_t cap, const char *s, size_t len)
{
    sgi_excerpt(buf, cap, s, len, (size_t)r->opts.limits.excerpt_chars);
    return buf;
}

/* A site's $ref text for messages, quoted the first time a message needs it
 * (most $refs resolve and are never quoted). */
typedef struct refq {
    const char *s;
    size_t len;
    int done;
    char buf[512];
} refq;

static const char *qref(const sgi_resolver *r, refq *q)
{
    if (!q->done) {
        ex(r, q->buf, sizeof q->buf, q->s, q->len);
        q->done = 1;
    }
    return q->buf;
}

/* A diagnostic at the "$ref" value of site SI (its pointer + "/$ref"), with
 * the $ref that led into its file as the related place. */
static sg_status report(sgi_resolver *r, size_t si, sg_severity sev, const char *rule,
                        const char *fmt, ...) SGI_PRINTF(5, 6);
static sg_status report(sgi_resolver *r, size_t si, sg_severity sev, const char *rule,
                        const char *fmt, ...)
{
    const site *s = &r->sites[si];
    const rdoc *rd = &r->docs[s->doc];
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(s->obj), "$ref");
    sg_mark at;
    int have = le && sgi_marks_at(rd->doc->marks, s->obj, (uintptr_t)le->k, 0, &at);
    sgi_buf p = {.alloc = RA(r)};
    if (s->ptr) {
        sgi_buf_puts(&p, s->ptr);
        sgi_buf_puts(&p, "/$ref");
        if (p.oom)
            return SG_ENOMEM;
    }
    va_list ap;
    va_start(ap, fmt);
    sg_status st = sgi_vdiag(r->d, (sgi_source *)&rd->doc->src, sev, rule, have ? &at : NULL,
                             p.data, NULL, fmt, ap);
    va_end(ap);
    sgi_buf_fini(&p);
    if (st == SG_OK && rd->via_file)
        st = sgi_diag_related(r->d, rd->via_file, &rd->via, "%s",
                              "the file was reached through this $ref");
    return st;
}

/* ---- paths -------------------------------------------------------------- */

/* Remove "." and ".." segments of PATH in place, without the file system
 * (RFC 3986 5.2.4 for paths); ".." above a relative start is kept. */
static void normalize(char *path)
{
    int abs = path[0] == '/';
    char *out = path + abs, *in = path + abs;
    while (*in) {
        char *e = strchr(in, '/');
        size_t n = e ? (size_t)(e - in) : strlen(in);
        if ((n == 1 && in[0] == '.') || n == 0) {
            /* skip */
        } else if (n == 2 && in[0] == '.' && in[1] == '.') {
            char *base = path + abs;
            char *last = out > base ? out - 1 : base;
            while (last > base && last[-1] != '/')
                last--;
            if (out > base && strncmp(last, "../", 3) != 0)
                out = last;
            else if (!abs) {
                memcpy(out, "..", 2);
                out += 2;
                if (e)
                    *out++ = '/';
            }
        } else {
            memmove(out, in, n);
            out += n;
            if (e) /* the last segment's NUL is not ours to overwrite yet */
                *out++ = '/';
        }
        in += n + (e != NULL);
    }
    if (out > path + abs && out[-1] == '/')
        out--;
    *out = '\0';
}

/* DIR + "/" + REL, or REL when it is absolute or DIR is empty. */
static char *join(const sg_allocator *a, const char *dir, const char *rel)
{
    sgi_buf b = {.alloc = a};
    if (rel[0] != '/' && dir && *dir) {
        sgi_buf_puts(&b, dir);
        if (dir[strlen(dir) - 1] != '/')
            sgi_buf_puts(&b, "/");
    }
    sgi_buf_puts(&b, rel);
    if (b.oom)
        sgi_buf_fini(&b);
    return b.data;
}

static char *dir_of(const sg_allocator *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char *d = sgi_malloc(a, n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

static int inside(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode LEN bytes at S into OUT. 0 on a bad escape. */
static int pct_decode(const char *s, size_t len, sgi_buf *out)
{
    sgi_buf_append(out, "", 0);
    for (size_t i = 0; i < len;) {
        /* The run up to the next '%' in one append: most refs have none. */
        const char *pc = memchr(s + i, '%', len - i);
        size_t run = pc ? (size_t)(pc - (s + i)) : len - i;
        sgi_buf_append(out, s + i, run);
        if (!pc)
            break;
        i += run;
        if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
            return 0;
        char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
        sgi_buf_append(out, &c, 1);
        i += 3;
    }
    return 1;
}


/* "a number", "an object"... for messages (json_type order). */
static const char *what(struct json_object *v)
{
    static const char *const names[] = {"null",      "a boolean", "a number", "a number",
                                        "an object", "an array",  "a string"};
    unsigned t = (unsigned)json_object_get_type(v);
    return t < sizeof names / sizeof names[0] ? names[t] : "a value";
}

static int is_container(struct json_object *v)
{
    enum json_type t = json_object_get_type(v);
    return t == json_type_object || t == json_type_array;
}

static int has_ref(struct json_object *v)
{
    if (!json_object_is_type(v, json_type_object))
        return 0;
    /* A short object is scanned (cheaper than hashing "$ref"; keys are
     * unique), a longer one looked up. */
    struct lh_table *t = json_object_get_object(v);
    if (t->count > 8)
        return lh_table_lookup_entry(t, "$ref") != NULL;
    for (struct lh_entry *e = t->head; e; e = e->next)
        if (((const char *)e->k)[0] == '$' && strcmp((const char *)e->k, "$ref") == 0)
            return 1;
    return 0;
}

/* ---- documents and files ------------------------------------------------ */

/* Takes OWNED and DIR (freed by the resolver, or here on failure). */
static sg_status add_doc(sgi_resolver *r, const sg_document *doc, sg_document *owned, char *dir,
                         size_t *idx)
{
    if (!grow(RA(r), (void **)&r->docs, &r->capdocs, r->ndocs, sizeof *r->docs)) {
        sg_document_free(owned);
        sgi_free(RA(r), dir);
        return SG_ENOMEM;
    }
    rdoc *rd = &r->docs[r->ndocs];
    memset(rd, 0, sizeof *rd);
    rd->doc = doc;
    rd->owned = owned;
    rd->dir = dir;
    *idx = r->ndocs++;
    return SG_OK;
}

static fentry *file_find(sgi_resolver *r, const char *key)
{
    struct lh_entry *le = lh_table_lookup_entry(r->fmap, key);
    return le ? &r->files[IDX(le->v)] : NULL;
}

static sg_status file_add(sgi_resolver *r, const char *key, int kind, size_t doc)
{
    if (!grow(RA(r), (void **)&r->files, &r->capfiles, r->nfiles, sizeof *r->files))
        return SG_ENOMEM;
    fentry *f = &r->files[r->nfiles];
    f->kind = kind;
    f->doc = doc;
    if (!(f->key = sgi_strdup(RA(r), key)) ||
        lh_table_insert(r->fmap, f->key, VAL(r->nfiles)) != 0) {
        sgi_free(RA(r), f->key);
        f->key = NULL;
        return SG_ENOMEM;
    }
    r->nfiles++;
    return SG_OK;
}

/* The span of site SI's "$ref" member into *OUT: 1, or 0 without one. */
static int ref_span(const sgi_resolver *r, size_t si, sgi_span *out)
{
    const site *s = &r->sites[si];
    struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(s->obj), "$ref");
    return le && sgi_marks_get(r->docs[s->doc].doc->marks, s->obj, (uintptr_t)le->k, out);
}

/* Read the regular file REAL (ST0 from stat) and parse it, named DISPLAY:
 * the kind of outcome (FK_OK with *DOC set, FK_NOTREG, FK_MISSING with
 * *ERR, FK_BROKEN), or -1 when a limit refused it or it changed while it
 * was read (reported here). */
static sg_status load_file(sgi_resolver *r, size_t si, const char *real, const char *display,
                           const struct stat *st0, refq *eq, int *kind, int *err,
                           size_t *doc)
{
    const sg_limits *lim = &r->opts.limits;
    uint64_t size = (uint64_t)st0->st_size, max = 0;
    const char *name = NULL, *unit = NULL;
    if (r->ndocs - 1 >= lim->max_ref_documents)
        name = "ref-documents", max = lim->max_ref_documents, unit = "files loaded by $refs";
    else if (size > lim->max_file_bytes)
        name = "file-size", max = lim->max_file_bytes, unit = "bytes in one file";
    else if (r->total_bytes + size > lim->max_ref_total_bytes)
        name = "ref-total-size", max = lim->max_ref_total_bytes, unit = "bytes in all files";
    *kind = -1;
    if (name)
        return report(r, si, SG_SEVERITY_ERROR, "ref-limit",
                      "$ref '%s' (a file of %llu bytes) would go past the limit of %llu %s; "
                      "raise it with --limit %s=N",
                      qref(r, eq), (unsigned long long)size, (unsigned long long)max, unit, name);
    /* O_NOFOLLOW and fstat: what is read is the regular file checked, not
     * something swapped in since; O_NONBLOCK: a FIFO swapped in cannot hang. */
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
    struct stat st;
    unsigned char *buf = NULL;
    size_t len = 0;
    *kind = FK_MISSING;
    *err = errno;
    if (fd < 0)
        return SG_OK;
    *kind = FK_NOTREG;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == st0->st_dev &&
        st.st_ino == st0->st_ino && (uint64_t)st.st_size == size) {
        *kind = FK_BROKEN;
        if (!(buf = sgi_malloc(RA(r), (size_t)size + 1))) {
            close(fd);
            return SG_ENOMEM;
        }
        while (len < size) { /* never more than was checked */
            ssize_t n = read(fd, buf + len, (size_t)size - len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                *kind = FK_MISSING, *err = errno;
            if (n <= 0)
                break;
            len += (size_t)n;
        }
    }
    /* Written meanwhile (sgi_file_changed): a part of a file is no file. */
    int changed = *kind == FK_BROKEN && sgi_file_changed(fd, &st);
    close(fd);
    if (changed) {
        sgi_free(RA(r), buf);
        *kind = -1;
        return report(r, si, SG_SEVERITY_ERROR, "ref-unresolved",
                      "$ref '%s' names a file that changed while it was read (truncated or "
                      "written meanwhile); run again once it is written",
                      qref(r, eq));
    }
    if (*kind != FK_BROKEN) {
        sgi_free(RA(r), buf);
        return SG_OK;
    }
    r->total_bytes += len;
    sg_options o = r->opts;
    o.format = SG_FORMAT_AUTO; /* by the file's own name and content */
    sg_document *nd = NULL;
    sg_status st2 = sg_document_parse(display, buf, len, &o, r->d, &nd);
    sgi_free(RA(r), buf);
    if (st2 != SG_OK)
        return st2 == SG_ENOMEM ? st2 : SG_OK;
    char *dir = dir_of(RA(r), real);
    if (!dir) {
        sg_document_free(nd);
        return SG_ENOMEM;
    }
    if ((st2 = add_doc(r, nd, nd, dir, doc)) != SG_OK)
        return st2;
    sgi_span sp;
    int have = ref_span(r, si, &sp);
    rdoc *rd = &r->docs[*doc];
    rd->via_file = r->docs[r->sites[si].doc].doc->src.name; /* for related places */
    rd->via = have ? sp.start : (sg_mark){0, 0, 0};
    *kind = FK_OK;
    return SG_OK;
}

static const char *mode_name(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "a file that changed while it was opened";
}

/* The document that decoded PATH (the file part of site SI's $ref) names:
 * *DOC, or *FAILED with the reason reported at the site. */
static sg_status open_doc(sgi_resolver *r, size_t si, const char *path, refq *eq,
                          size_t *doc, int *failed)
{
    const rdoc *from = &r->docs[r->sites[si].doc];
    char e1[512], e2[512], eb[128];
    *failed = 1;
    if (!r->root_dir || (path[0] != '/' && !from->dir))
        return report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                      "$ref '%s' names a file, but file references cannot be resolved: %s", qref(r, eq),
                      r->setup_err ? "the --ref-root folder cannot be used (see above)"
                                   : r->no_dir ? r->no_dir : "no folder to start from");
    char *cand = join(RA(r), from->dir, path), *dn = dir_of(RA(r), from->doc->src.name);
    char *disp = dn ? join(RA(r), dn, path) : NULL, *real = cand ? real_a(RA(r), cand) : NULL;
    int kind = FK_MISSING, err = errno;
    mode_t mode = 0;
    size_t di = 0;
    struct stat sb;
    fentry *f;
    sg_status st = SG_OK;
    sgi_free(RA(r), dn);
    if (!cand || !disp || (!real && err == ENOMEM)) {
        st = SG_ENOMEM;
        goto out;
    }
    normalize(disp);
    if (!real) {
        /* Missing outside the root: say "outside", not whether it exists. */
        normalize(cand);
        kind = inside(r->root_dir, cand) ? FK_MISSING : FK_OUTSIDE;
    } else if (!inside(r->root_dir, real)) {
        kind = FK_OUTSIDE;
    } else if ((f = file_find(r, real)) != NULL) {
        kind = f->kind, di = f->doc;
    } else if (stat(real, &sb) != 0) {
        kind = FK_MISSING, err = errno;
    } else if (!S_ISREG(sb.st_mode)) {
        kind = FK_NOTREG, mode = sb.st_mode;
    } else {
        st = load_file(r, si, real, disp, &sb, eq, &kind, &err, &di);
        if (st == SG_OK && (kind == FK_OK || kind == FK_BROKEN))
            st = file_add(r, real, kind, di);
    }
    if (st != SG_OK || kind < 0)
        goto out;
    ex(r, e1, sizeof e1, disp, strlen(disp));
    if (kind == FK_OK) {
        *doc = di;
        *failed = 0;
    } else if (kind == FK_OUTSIDE)
        st = report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                    "$ref '%s' leaves the folder that file references must stay in (%s); the file "
                    "was not opened: move it inside, or widen the folder with --ref-root DIR",
                    qref(r, eq), ex(r, e2, sizeof e2, r->root_dir, strlen(r->root_dir)));
    else if (kind == FK_NOTREG)
        st = report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                    "$ref '%s' names %s ('%s'), not a regular file: refused", qref(r, eq),
                    mode_name(mode), e1);
    else if (kind == FK_BROKEN)
        st = report(r, si, SG_SEVERITY_ERROR, "ref-unresolved",
                    "$ref '%s' names '%s', which cannot be read as JSON or YAML (its own errors "
                    "are reported with it)", qref(r, eq), e1);
    else
        st = report(r, si, SG_SEVERITY_ERROR, "ref-unresolved",
                    "$ref '%s' names a file that cannot be read: '%s': %s (the path is relative "
                    "to the folder of the file that holds the $ref)",
                    qref(r, eq), e1, sgi_strerror(err, eb, sizeof eb));
out:
    sgi_free(RA(r), cand);
    sgi_free(RA(r), disp);
    sgi_free(RA(r), real);
    return st;
}

/* The file part URI (ULEN bytes, not empty) of site SI's $ref, checked and
 * percent-decoded into PATH; or *FAILED with the reason reported. */
static sg_status file_part(sgi_resolver *r, size_t si, const char *uri, size_t ulen,
                           refq *eq, sgi_buf *path, int *failed)
{
    const char *p = uri;
    size_t n = ulen, i = 0;
    *failed = 1;
    if ((uri[0] | 0x20) >= 'a' && (uri[0] | 0x20) <= 'z')
        for (i = 1; i < ulen && (((uri[i] | 0x20) >= 'a' && (uri[i] | 0x20) <= 'z') ||
                                 (uri[i] >= '0' && uri[i] <= '9') || uri[i] == '+' ||
                                 uri[i] == '-' || uri[i] == '.');
             i++)
            ;
    if (i > 0 && i < ulen && uri[i] == ':') {
        if (i == 1)
            return report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                          "$ref '%s' is a Windows drive path: write a relative path with '/' to a "
                          "file inside the document's folder",
                          qref(r, eq));
        if (i != 4 || strncasecmp(uri, "file", 4) != 0)
            return report(r, si, SG_SEVERITY_ERROR, "ref-remote",
                          "network references are disabled: swaggate never fetches '%s' (scheme "
                          "'%.*s:'); save the file inside the document's folder and refer to it "
                          "by a relative path such as 'schemas/Pet.yaml#/Pet'",
                          qref(r, eq), (int)(i < 16 ? i : 16), uri);
        p = uri + 5, n = ulen - 5; /* file: URIs (RFC 8089) are absolute paths */
        if (n >= 2 && p[0] == '/' && p[1] == '/') {
            const char *slash = memchr(p + 2, '/', n - 2);
            size_t alen = slash ? (size_t)(slash - p - 2) : n - 2;
            if (alen && !(alen == 9 && strncasecmp(p + 2, "localhost", 9) == 0))
                return report(r, si, SG_SEVERITY_ERROR, "ref-remote",
                              "network references are disabled: '%s' names another host; refer "
                              "to a file inside the document's folder by a relative path",
                              qref(r, eq));
            p += 2 + alen, n -= 2 + alen;
        }
        if (n == 0 || p[0] != '/')
            return report(r, si, SG_SEVERITY_ERROR, "ref-malformed",
                          "$ref '%s' is not a file: URI with an absolute path; better, write a "
                          "path relative to the document's folder",
                          qref(r, eq));
    } else if (ulen >= 2 && uri[0] == '/' && uri[1] == '/') {
        return report(r, si, SG_SEVERITY_ERROR, "ref-remote",
                      "network references are disabled: '%s' names a host ('//' starts a network "
                      "path); refer to a file inside the document's folder by a relative path",
                      qref(r, eq));
    }
    if (memchr(p, '\\', n))
        return report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                      "$ref '%s' holds a backslash: in a $ref (a URI) '\\' separates nothing, and "
                      "Windows paths are refused; write a relative path with '/'",
                      qref(r, eq));
    if (memchr(p, '?', n))
        return report(r, si, SG_SEVERITY_ERROR, "ref-malformed",
                      "$ref '%s' has a query ('?'), which means nothing for a file: remove it",
                      qref(r, eq));
    if (!pct_decode(p, n, path))
        return report(r, si, SG_SEVERITY_ERROR, "ref-malformed",
                      "$ref '%s' has a bad percent-escape: '%%' must be followed by two hex "
                      "digits (write %%25 for '%%')",
                      qref(r, eq));
    if (path->oom)
        return SG_ENOMEM;
    if (memchr(path->data, '\0', path->len))
        return report(r, si, SG_SEVERITY_ERROR, "ref-sandbox",
                      "$ref '%s' decodes to a file name holding a NUL byte (%%00): refused", qref(r, eq));
    *failed = 0;
    return SG_OK;
}

/* The label "#/pointer" of the place PTR in document DOC as seen from
 * document AT (the file name in front when they differ), into B. */
static void label(const sgi_resolver *r, sgi_buf *b, size_t doc, const char *ptr, size_t at)
{
    char e[512];
    if (doc != at) { /* the name relative to AT's folder when below it */
        const char *n = r->docs[doc].doc->src.name, *an = r->docs[at].doc->src.name;
        const char *slash = strrchr(an, '/');
        size_t k = slash ? (size_t)(slash - an) + 1 : 0;
        if (k && strncmp(n, an, k) == 0)
            n += k;
        sgi_buf_puts(b, ex(r, e, sizeof e, n, strlen(n)));
    }
    sgi_buf_puts(b, "#");
    sgi_buf_puts(b, ptr ? ex(r, e, sizeof e, ptr, strlen(ptr)) : "(?)");
}

/* RFC 6901 evaluation of the decoded pointer P (PLEN bytes, escapes already
 * checked) in document TDOC for site SI; *H and *TPTR (the target's
 * pointer) filled, or the reason reported. */
static sg_status eval(sgi_resolver *r, size_t si, size_t tdoc, const char *p, size_t plen,
                      refq *eq, reach *h, char **tptr)
{
    enum { OK, NO_MEMBER, DASH, NOT_INDEX, LEADING_ZERO, PAST_END, SCALAR } why = OK;
    struct json_object *cur = r->docs[tdoc].doc->root;
    const void *parent = NULL;
    uintptr_t slot = 0;
    size_t n = 0, idx = 0, len = 0;
    sgi_buf np = {.alloc = RA(r)};
    char *tok = sgi_malloc(RA(r), plen + 1);
    sgi_buf_append(&np, "", 0);
    for (size_t i = 0; tok && i < plen && why == OK;) {
        n = 0;
        for (i++; i < plen && p[i] != '/'; i++) {
            char c = p[i];
            if (c == '~')
                c = p[++i] == '0' ? '~' : '/';
            tok[n++] = c;
        }
        tok[n] = '\0';
        if (json_object_is_type(cur, json_type_object)) {
            struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(cur), tok);
            if (!le) {
                why = NO_MEMBER;
                break;
            }
            parent = cur;
            slot = (uintptr_t)le->k;
            cur = (struct json_object *)le->v;
            sgi_buf_puts(&np, "/");
            sgi_pointer_append(&np, tok, n);
        } else if (json_object_is_type(cur, json_type_array)) {
            size_t d = 0;
            len = json_object_array_length(cur);
            for (idx = 0; d < n && d < 19 && tok[d] >= '0' && tok[d] <= '9'; d++)
                idx = idx * 10 + (size_t)(tok[d] - '0');
            why = n == 1 && tok[0] == '-'  ? DASH
                  : n == 0 || d < n        ? NOT_INDEX
                  : n > 1 && tok[0] == '0' ? LEADING_ZERO
                  : idx >= len             ? PAST_END
                                           : OK;
            if (why != OK)
                break;
            parent = cur;
            slot = idx;
            cur = json_object_array_get_idx(cur, idx);
            sgi_buf_printf(&np, "/%zu", idx);
        } else {
            why = SCALAR;
        }
    }
    if (!tok || np.oom) {
        sgi_free(RA(r), tok);
        sgi_buf_fini(&np);
        return SG_ENOMEM;
    }
    if (why == OK) {
        sgi_free(RA(r), tok);
        *tptr = np.data; /* the caller owns it now */
        h->failed = 0;
        h->is_ref = has_ref(cur);
        h->doc = tdoc;
        h->value = cur;
        h->parent = parent;
        h->slot = slot;
        return SG_OK;
    }
    /* The message: where the pointer stopped, and what to do. */
    char etok[512], hint[600] = "", eo[512];
    sgi_buf loc = {.alloc = RA(r)};
    sg_status st = SG_ENOMEM;
    label(r, &loc, tdoc, np.data, r->sites[si].doc);
    ex(r, etok, sizeof etok, tok, n);
    if (why == NO_MEMBER && has_ref(cur))
        snprintf(hint, sizeof hint, " ('%s' is itself a $ref; a pointer does not pass through "
                                    "references: point at its target)", loc.data);
    else if (why == NO_MEMBER && n == 0)
        snprintf(hint, sizeof hint, " (an empty name: look for a doubled or trailing '/')");
    else if (why == NO_MEMBER)
        for (struct lh_entry *o = json_object_get_object(cur)->head; o; o = o->next)
            if (strcasecmp((const char *)o->k, tok) == 0) {
                snprintf(hint, sizeof hint, " (did you mean '%s'?)",
                         ex(r, eo, sizeof eo, o->k, strlen(o->k)));
                break;
            }
    if (loc.oom)
        ;
    else if (why == LEADING_ZERO)
        st = report(r, si, SG_SEVERITY_ERROR, "ref-malformed",
                    "$ref '%s': array index '%s' has a leading zero, which JSON Pointer (RFC 6901) "
                    "does not allow: write '%zu'", qref(r, eq), etok, idx);
    else if (why == NO_MEMBER || why == SCALAR)
        st = report(r, si, SG_SEVERITY_ERROR, "ref-unresolved",
                    "$ref '%s' names nothing: '%s' is %s with no member '%s'%s", qref(r, eq), loc.data,
                    what(cur), etok, hint);
    else
        st = report(r, si, SG_SEVERITY_ERROR, "ref-unresolved",
                    "$ref '%s' names nothing: '%s' is an array of %zu element%s, and '%s' is %s",
                    qref(r, eq), loc.data, len, len == 1 ? "" : "s", etok,
                    why == DASH       ? "the place after the last one (use an index from 0)"
                    : why == PAST_END ? "past its end"
                                      : "not an index");
    sgi_free(RA(r), tok);
    sgi_buf_fini(&np);
    sgi_buf_fini(&loc);
    return st;
}

/* Members next to "$ref" are ignored (JSON Reference): warn at each key. */
static sg_status siblings(sgi_resolver *r, size_t si)
{
    const site *s = &r->sites[si];
    const sg_document *doc = r->docs[s->doc].doc;
    char ek[512];
    for (struct lh_entry *le = json_object_get_object(s->obj)->head; le; le = le->next) {
        const char *k = le->k;
        if (strcmp(k, "$ref") == 0)
            continue;
        sgi_buf p = {.alloc = RA(r)};
        if (s->ptr) {
            sgi_buf_puts(&p, s->ptr);
            sgi_buf_puts(&p, "/");
            sgi_pointer_append(&p, k, strlen(k));
            if (p.oom)
                return SG_ENOMEM;
        }
        ex(r, ek, sizeof ek, k, strlen(k));
        sg_status st = sgi_doc_diag(doc, r->d, SG_SEVERITY_WARNING, "ref-siblings", s->obj,
                                    (uintptr_t)le->k, 1, p.data, NULL,
                                    "'%s' next to $ref is ignored: Swagger 2.0 does not merge them; "
                                    "move it into the target (for a schema: allOf: [{$ref: ...}, "
                                    "{%s: ...}])",
                                    ek, ek);
        sgi_buf_fini(&p);
        if (st != SG_OK)
            return st;
    }
    return SG_OK;
}

/* Keep what REF (site SI's $ref text) resolved to, for the other sites of its
 * document; takes TPTR. */
static sg_status remember(sgi_resolver *r, size_t si, const char *ref, const reach *h, char *tptr)
{
    rdoc *rd = &r->docs[r->sites[si].doc];
    if ((!rd->hits && !(rd->hits = lh_kchar_table_new(64, NULL))) ||
        !grow(RA(r), (void **)&r->hits, &r->caphits, r->nhits, sizeof *r->hits)) {
        sgi_free(RA(r), tptr);
        return SG_ENOMEM;
    }
    hit *hh = &r->hits[r->nhits];
    hh->tdoc = h->doc;
    hh->value = h->value;
    hh->parent = h->parent;
    hh->slot = h->slot;
    hh->is_ref = h->is_ref;
    hh->tptr = tptr;
    r->sites[si].tptr = tptr;
    r->nhits++; /* owned from here on, even if the insert fails */
    if (lh_table_insert(rd->hits, ref, VAL(r->nhits)) != 0)
        return SG_ENOMEM;
    return SG_OK;
}

/* One step: check site SI's own $ref and find what it names. */
static sg_status hop(sgi_resolver *r, size_t si, reach *h)
{
#define FAIL(rule, ...)                                                           \
    do {                                                                          \
        st = report(r, si, SG_SEVERITY_ERROR, rule, __VA_ARGS__);                 \
        goto out;                                                                 \
    } while (0)
    sgi_buf path = {.alloc = RA(r)}, frag = {.alloc = RA(r)};
    struct json_object *v = NULL;
    refq rq = {0};
    refq *eq = &rq;
    size_t tdoc = r->sites[si].doc;
    int failed = 0;
    memset(h, 0, sizeof *h);
    h->failed = 1;
    sg_status st = siblings(r, si);
    if (st != SG_OK)
        return st;
    json_object_object_get_ex(r->sites[si].obj, "$ref", &v);
    if (!json_object_is_type(v, json_type_string))
        FAIL("ref-malformed", "$ref is %s, not a string: write a reference such as "
                              "'#/definitions/Name'", what(v));
    const char *ref = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    const char *hash = memchr(ref, '#', len);
    size_t ulen = hash ? (size_t)(hash - ref) : len;
    rq.s = ref;
    rq.len = len;
    if (len == 0)
        FAIL("ref-malformed", "$ref is empty: write '#/definitions/Name' for a definition of "
                              "this file, or 'file.yaml#/Name' for one in another file");
    if (memchr(ref, '\0', len))
        FAIL("ref-malformed", "$ref '%s' holds a NUL character: refused", qref(r, eq));
    struct lh_table *hits = r->docs[tdoc].hits;
    struct lh_entry *he = hits ? lh_table_lookup_entry(hits, ref) : NULL;
    if (he) {
        const hit *hh = &r->hits[IDX(he->v) - 1];
        h->failed = 0;
        h->is_ref = hh->is_ref;
        h->doc = hh->tdoc;
        h->value = hh->value;
        h->parent = hh->parent;
        h->slot = hh->slot;
        r->sites[si].tptr = hh->tptr;
        goto out;
    }
    if (ulen && ((st = file_part(r, si, ref, ulen, eq, &path, &failed)) != SG_OK || failed))
        goto out;
    failed = 1;
    if (!pct_decode(hash ? hash + 1 : "", hash ? len - ulen - 1 : 0, &frag))
        FAIL("ref-malformed", "$ref '%s' has a bad percent-escape in its fragment: '%%' must be "
                              "followed by two hex digits (write %%25 for '%%')", qref(r, eq));
    if (frag.oom) {
        st = SG_ENOMEM;
        goto out;
    }
    if (memchr(frag.data, '\0', frag.len))
        FAIL("ref-malformed", "$ref '%s' decodes to a pointer holding a NUL byte (%%00): refused",
             qref(r, eq));
    if (frag.len && frag.data[0] != '/')
        FAIL("ref-malformed", "$ref '%s': after '#' comes a JSON Pointer, starting with '/' as in "
                              "'#/definitions/Name' (Swagger 2.0 has no named anchors)", qref(r, eq));
    for (size_t i = 0; i < frag.len; i++) {
        const char *t = frag.data + i + 1;
        if (frag.data[i] == '~' && (i + 1 == frag.len || (*t != '0' && *t != '1'))) {
            char c[8];
            FAIL("ref-malformed", "$ref '%s': '~%s' is not a JSON Pointer escape: write ~0 for "
                                  "'~' and ~1 for '/' (RFC 6901)",
                 qref(r, eq), ex(r, c, sizeof c, t, i + 1 < frag.len));
        }
    }
    if (!ulen && !frag.len)
        FAIL("ref-malformed", "$ref '#' names this whole document, which is no schema, parameter "
                              "or response (and holds this $ref): point at a member such as "
                              "'#/definitions/Name'");
    if (ulen && ((st = open_doc(r, si, path.data, eq, &tdoc, &failed)) != SG_OK || failed))
        goto out;
    char *tptr = NULL;
    st = eval(r, si, tdoc, frag.data, frag.len, eq, h, &tptr);
    if (st == SG_OK && !h->failed)
        st = remember(r, si, ref, h, tptr);
out:
    sgi_buf_fini(&path);
    sgi_buf_fini(&frag);
    return st;
#undef FAIL
}

/* ---- chains ------------------------------------------------------------- */

static sg_status site_get(sgi_resolver *r, size_t doc, struct json_object *obj, const char *ptr,
                          size_t *out)
{
    struct lh_entry *le = lh_table_lookup_entry(r->smap, obj);
    if (le) {
        *out = IDX(le->v);
        return SG_OK;
    }
    if (!grow(RA(r), (void **)&r->sites, &r->capsites, r->nsites, sizeof *r->sites))
        return SG_ENOMEM;
    site *s = &r->sites[r->nsites];
    memset(s, 0, sizeof *s);
    s->obj = obj;
    s->doc = doc;
    s->next = NONE;
    s->state = S_NEW;
    if ((ptr && !(s->ptr = sgi_strdup(RA(r), ptr))) ||
        lh_table_insert(r->smap, obj, VAL(r->nsites)) != 0) {
        sgi_free(RA(r), s->ptr);
        s->ptr = NULL;
        return SG_ENOMEM;
    }
    *out = r->nsites++;
    return SG_OK;
}

/* The loop found when the chain meets site AT again (at position K). */
static sg_status report_cycle(sgi_resolver *r, size_t k)
{
    size_t at = r->chain[k], d = r->sites[at].doc;
    sgi_buf b = {.alloc = RA(r)};
    for (size_t i = k; i < r->nchain; i++) {
        label(r, &b, r->sites[r->chain[i]].doc, r->sites[r->chain[i]].ptr, d);
        sgi_buf_puts(&b, " -> ");
    }
    label(r, &b, d, r->sites[at].ptr, d);
    sg_status st = b.oom ? SG_ENOMEM
                         : report(r, at, SG_SEVERITY_ERROR, "ref-cycle",
                                  "this $ref never reaches a definition: the references go round "
                                  "in a circle: %s; make one of them the definition itself",
                                  b.data);
    sgi_buf_fini(&b);
    return st;
}

/* Site SI is the first of its chain past limits.max_ref_hops. */
static sg_status report_hops(sgi_resolver *r, size_t si)
{
    uint32_t n = r->sites[si].hops, i = 0;
    size_t d = r->sites[si].doc;
    sgi_buf b = {.alloc = RA(r)};
    for (size_t c = si; c != NONE; c = r->sites[c].next, i++) {
        if (i < 3 || i + 2 >= n) {
            if (i)
                sgi_buf_puts(&b, " -> ");
            label(r, &b, r->sites[c].doc, r->sites[c].ptr, d);
        } else if (i == 3) {
            sgi_buf_puts(&b, " -> ...");
        }
    }
    sg_status st = b.oom ? SG_ENOMEM
                         : report(r, si, SG_SEVERITY_ERROR, "ref-limit",
                                  "this $ref starts a chain of %u $refs, over the limit of %llu: "
                                  "%s; point it at the definition itself, or raise the limit "
                                  "with --limit ref-hops=N",
                                  (unsigned)n, (unsigned long long)r->opts.limits.max_ref_hops,
                                  b.data);
    sgi_buf_fini(&b);
    return st;
}

/* Resolve site S0 and every site its chain passes, each once: iteratively,
 * marking sites busy so that a loop is seen when the chain meets one. */
static sg_status resolve_site(sgi_resolver *r, size_t s0)
{
    if (r->sites[s0].state != S_NEW)
        return SG_OK;
    r->nchain = 0;
    size_t cur = s0;
    int failed = 0;
    sg_status st = SG_OK;
    for (;;) {
        if (!grow(RA(r), (void **)&r->chain, &r->capchain, r->nchain, sizeof *r->chain))
            return SG_ENOMEM;
        r->chain[r->nchain++] = cur;
        r->sites[cur].state = S_BUSY;
        reach h;
        if ((st = hop(r, cur, &h)) != SG_OK)
            return st;
        if (h.failed) {
            failed = 1;
            break;
        }
        if (!h.is_ref) {
            site *c = &r->sites[cur];
            c->fdoc = h.doc, c->fval = h.value, c->fparent = h.parent, c->fslot = h.slot;
            c->fptr = c->tptr;
            c->hops = 1;
            break;
        }
        size_t nx;
        if ((st = site_get(r, h.doc, h.value, r->sites[cur].tptr, &nx)) != SG_OK)
            return st;
        r->sites[cur].next = nx;
        int ns = r->sites[nx].state;
        if (ns == S_DONE)
            break;
        if (ns == S_FAILED) {
            failed = 1;
            break;
        }
        if (ns == S_BUSY) {
            size_t k = 0;
            while (r->chain[k] != nx)
                k++;
            if ((st = report_cycle(r, k)) != SG_OK)
                return st;
            failed = 1;
            break;
        }
        cur = nx;
    }
    /* Back along the chain: each site stands for what its next one does. */
    for (size_t i = r->nchain; i-- > 0;) {
        site *c = &r->sites[r->chain[i]];
        if (failed) {
            c->state = S_FAILED;
            continue;
        }
        if (c->next != NONE) {
            const site *nx = &r->sites[c->next];
            c->fdoc = nx->fdoc, c->fval = nx->fval, c->fparent = nx->fparent;
            c->fslot = nx->fslot, c->fptr = nx->fptr;
            c->hops = nx->hops < UINT32_MAX ? nx->hops + 1 : UINT32_MAX;
        }
        c->state = S_DONE;
        /* Reported once, where a chain first goes past the limit. */
        if (c->hops == r->opts.limits.max_ref_hops + 1 && (st = report_hops(r, r->chain[i])) != SG_OK)
            return st;
    }
    const site *s = &r->sites[s0];
    if (failed || !is_container(s->fval))
        return SG_OK;
    /* The target is walked too: its own $refs are checked, once. */
    if (!grow(RA(r), (void **)&r->queue, &r->capqueue, r->nqueue, sizeof *r->queue))
        return SG_ENOMEM;
    r->queue[r->nqueue].doc = s->fdoc;
    r->queue[r->nqueue].v = s->fval;
    r->queue[r->nqueue++].ptr = s->fptr;
    return SG_OK;
}

/* ---- the walk ----------------------------------------------------------- */

/* A container being walked, and how it was reached from the one below it
 * (KEY, or index KIDX when KEY is NULL): pointers are built only for the
 * $ref sites found, from the stack. */
typedef struct frame {
    struct json_object *v;
    struct lh_entry *next;
    size_t idx, n, kidx;
    const char *key;
    int ctx;
    size_t plen; /* length of PATH up to this frame, while it is valid */
} frame;

/* PATH holds the pointer of the first PK frames (0: nothing), so that
 * sites in the same container share the steps written for the one before. */
typedef struct walker {
    frame *st;
    size_t n, cap, pk;
    const char *base; /* pointer of the walk's start */
    sgi_buf path;
} walker;

/* Data and extensions: a "$ref" inside them is no reference. */
static int skip_key(const char *k)
{
    switch (k[0]) {
    case 'x':
        return k[1] == '-';
    case 'e':
        return strcmp(k, "example") == 0 || strcmp(k, "examples") == 0 || strcmp(k, "enum") == 0;
    case 'd':
        return strcmp(k, "default") == 0;
    }
    return 0;
}

static int child_ctx(const char *k, int ctx, struct json_object *child)
{
    if (strcmp(k, "security") == 0) /* an array of name maps */
        return C_MAP;
    if (!json_object_is_type(child, json_type_object))
        return C_OBJ;
    if (strcmp(k, "paths") == 0)
        return C_MAPX;
    if (strcmp(k, "responses") == 0)
        return ctx == C_ROOT ? C_MAP : C_MAPX;
    if (strcmp(k, "properties") == 0 || strcmp(k, "definitions") == 0 ||
        strcmp(k, "parameters") == 0 || strcmp(k, "securityDefinitions") == 0 ||
        strcmp(k, "headers") == 0 || strcmp(k, "scopes") == 0)
        return C_MAP;
    return C_OBJ;
}

static void step(sgi_buf *b, const char *key, size_t kidx)
{
    if (key) {
        sgi_buf_puts(b, "/");
        sgi_pointer_append(b, key, strlen(key));
    } else {
        sgi_buf_printf(b, "/%zu", kidx);
    }
}

/* Container V (context CTX), reached by KEY/KIDX from the top frame: a $ref
 * site is resolved, anything else pushed; each (container, context) once. */
static size_t visit_slot(uintptr_t k, size_t mask)
{
    return (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Add K (never 0) to the visited set: 1 if it is new, 0 if it was there, -1
 * without memory. Open addressing, 8 bytes a slot, at most half full: the
 * set holds every container of every document, and json-c's table (40
 * bytes a slot, up to two thirds full) was, growing, the peak of lint's
 * memory on large files. */
static int visit(sgi_resolver *r, uintptr_t k)
{
    if ((r->nvisited + 1) * 2 > r->capvisited) {
        size_t nc = r->capvisited ? r->capvisited * 2 : 1024;
        uintptr_t *ns = sgi_calloc(RA(r), nc, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < r->capvisited; i++) {
            if (!r->visited[i])
                continue;
            size_t j = visit_slot(r->visited[i], nc - 1);
            while (ns[j])
                j = (j + 1) & (nc - 1);
            ns[j] = r->visited[i];
        }
        sgi_free(RA(r), r->visited);
        r->visited = ns;
        r->capvisited = nc;
    }
    size_t mask = r->capvisited - 1;
    for (size_t j = visit_slot(k, mask);; j = (j + 1) & mask) {
        if (r->visited[j] == k)
            return 0;
        if (!r->visited[j]) {
            r->visited[j] = k;
            r->nvisited++;
            return 1;
        }
    }
}

static sg_status enter(sgi_resolver *r, walker *w, size_t doc, struct json_object *v, int ctx,
                       const char *key, size_t kidx)
{
    /* distinct: nodes are larger than 4 bytes */
    int fresh = visit(r, (uintptr_t)v + (uintptr_t)ctx);
    if (fresh <= 0)
        return fresh < 0 ? SG_ENOMEM : SG_OK;
    if ((ctx == C_OBJ || ctx == C_ROOT) && has_ref(v)) {
        size_t si, i = 1;
        if (w->pk == 0) {
            w->path.len = 0;
            sgi_buf_puts(&w->path, w->base);
            if (w->n)
                w->st[0].plen = w->path.len;
        } else {
            w->path.len = w->st[w->pk - 1].plen; /* the steps below stay */
            i = w->pk;
        }
        for (; i < w->n; i++) {
            step(&w->path, w->st[i].key, w->st[i].kidx);
            w->st[i].plen = w->path.len;
        }
        w->pk = w->n;
        if (w->n)
            step(&w->path, key, kidx);
        if (w->path.oom)
            return SG_ENOMEM;
        sg_status st = site_get(r, doc, v, w->path.data, &si);
        return st != SG_OK ? st : resolve_site(r, si);
    }
    if (!grow(RA(r), (void **)&w->st, &w->cap, w->n, sizeof *w->st))
        return SG_ENOMEM;
    frame *f = &w->st[w->n++];
    f->v = v;
    f->next = json_object_is_type(v, json_type_object) ? json_object_get_object(v)->head : NULL;
    f->idx = 0;
    f->n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    f->key = key;
    f->kidx = kidx;
    f->ctx = ctx;
    return SG_OK;
}

static sg_status walk(sgi_resolver *r, walker *w, size_t doc, struct json_object *v,
                      const char *ptr, int ctx)
{
    w->n = 0;
    w->pk = 0;
    w->base = ptr;
    sg_status st = is_container(v) ? enter(r, w, doc, v, ctx, NULL, 0) : SG_OK;
    while (st == SG_OK && w->n > 0) {
        frame *f = &w->st[w->n - 1];
        struct json_object *child;
        const char *key = NULL;
        size_t kidx = 0;
        int cctx = C_OBJ;
        if (json_object_is_type(f->v, json_type_object)) {
            struct lh_entry *le = f->next;
            if (!le) {
                if (w->pk > --w->n)
                    w->pk = w->n;
                continue;
            }
            f->next = le->next;
            key = le->k;
            child = (struct json_object *)le->v;
            if (!is_container(child))
                continue;
            if (f->ctx == C_OBJ || f->ctx == C_ROOT) {
                if (skip_key(key))
                    continue;
                cctx = child_ctx(key, f->ctx, child);
            } else if (f->ctx == C_MAPX && strncmp(key, "x-", 2) == 0) {
                continue;
            }
        } else {
            if (f->idx >= f->n) {
                if (w->pk > --w->n)
                    w->pk = w->n;
            } else if (is_container(child = json_object_array_get_idx(f->v, kidx = f->idx++)))
                st = enter(r, w, doc, child, f->ctx == C_MAP ? C_MAP : C_OBJ, NULL, kidx);
            continue;
        }
        st = enter(r, w, doc, child, cctx, key, kidx);
    }
    return st;
}

/* ---- the interface ------------------------------------------------------ */

sgi_resolver *sgi_resolver_new(const sg_document *root, const sg_options *opts, sg_diagnostics *d)
{
    if (!root)
        return NULL;
    sgi_resolver *r = sgi_calloc(opts ? opts->allocator : NULL, 1, sizeof *r);
    if (!r)
        return NULL;
    sgi_alloc_copy(&r->alloc, opts ? opts->allocator : NULL);
    if (opts)
        r->opts = *opts;
    else
        sg_options_init(&r->opts);
    r->d = d;
    r->total_bytes = root->src.len;
    r->fmap = lh_kchar_table_new(16, NULL);
    r->smap = lh_kptr_table_new(256, NULL);
    if (!r->fmap || !r->smap) {
        sgi_resolver_free(r);
        return NULL;
    }
    char *real = NULL, *dir = NULL;
    size_t idx;
    if (root->from_file) {
        real = real_a(RA(r), root->src.name);
        if (!real && errno == ENOMEM)
            goto oom;
        if (real && !(dir = dir_of(RA(r), real)))
            goto oom;
        if (!real)
            r->no_dir = "the folder of the document cannot be found";
    } else if (r->opts.ref_root) {
        /* No path of its own: relative to where we run, inside ref_root. */
        if (!(dir = real_a(RA(r), "."))) {
            if (errno == ENOMEM)
                goto oom;
            r->no_dir = "the current directory cannot be found";
        }
    } else {
        r->no_dir = "the document was not read from a file (standard input or memory), so they "
                    "have no folder to start from; set --ref-root DIR (options.ref_root) to "
                    "resolve them from the current directory";
    }
    if (add_doc(r, root, NULL, dir, &idx) != SG_OK)
        goto oom;
    if (r->opts.ref_root) {
        struct stat st;
        r->root_dir = real_a(RA(r), r->opts.ref_root);
        if (!r->root_dir && errno == ENOMEM)
            goto oom;
        if (!r->root_dir)
            r->setup_err = errno ? errno : ENOENT;
        else if (stat(r->root_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            r->setup_err = ENOTDIR;
            sgi_free(RA(r), r->root_dir);
            r->root_dir = NULL;
        }
    } else if (r->docs[0].dir && !(r->root_dir = sgi_strdup(RA(r), r->docs[0].dir))) {
        goto oom;
    }
    /* The root document by its own path is the root document. */
    if (real && file_add(r, real, FK_OK, 0) != SG_OK)
        goto oom;
    sgi_free(RA(r), real);
    return r;
oom:
    sgi_free(RA(r), real);
    sgi_resolver_free(r);
    return NULL;
}

void sgi_resolver_free(sgi_resolver *r)
{
    if (!r)
        return;
    sg_allocator a = r->alloc;
    if (r->shared)
        pthread_mutex_destroy(&r->mu);
    for (size_t i = 0; i < r->ndocs; i++) {
        if (r->docs[i].hits)
            lh_table_free(r->docs[i].hits);
        sg_document_free(r->docs[i].owned);
        sgi_free(&a, r->docs[i].dir);
    }
    sgi_free(&a, r->docs);
    for (size_t i = 0; i < r->nfiles; i++)
        sgi_free(&a, r->files[i].key);
    sgi_free(&a, r->files);
    if (r->fmap)
        lh_table_free(r->fmap);
    for (size_t i = 0; i < r->nsites; i++)
        sgi_free(&a, r->sites[i].ptr);
    sgi_free(&a, r->sites);
    for (size_t i = 0; i < r->nhits; i++)
        sgi_free(&a, r->hits[i].tptr);
    sgi_free(&a, r->hits);
    if (r->smap)
        lh_table_free(r->smap);
    sgi_free(&a, r->visited);
    sgi_free(&a, r->queue);
    sgi_free(&a, r->chain);
    sgi_free(&a, r->root_dir);
    sgi_free(&a, r);
}

void sgi_resolver_end_check(sgi_resolver *r)
{
    if (!r)
        return;
    sgi_free(RA(r), r->visited);
    r->visited = NULL;
    r->nvisited = r->capvisited = 0;
    r->check_ended = 1;
}

sg_status sgi_resolver_check(sgi_resolver *r)
{
    if (!r || r->check_ended)
        return SG_EUSAGE;
    const sg_document *root = r->docs[0].doc;
    sg_status st = SG_OK;
    if (r->setup_err > 0) {
        char e[512], eb[128];
        const char *rr = r->opts.ref_root;
        st = sgi_diag(r->d, (sgi_source *)&root->src, SG_SEVERITY_ERROR, "ref-sandbox", NULL, NULL,
                      NULL, "the --ref-root folder '%s' cannot be used: %s; file $refs are refused",
                      ex(r, e, sizeof e, rr, strlen(rr)), sgi_strerror(r->setup_err, eb, sizeof eb));
        r->setup_err = -1; /* reported */
    }
    walker w = {0};
    w.path.alloc = RA(r);
    if (st == SG_OK)
        st = walk(r, &w, 0, root->root, "", C_ROOT);
    while (st == SG_OK && r->qhead < r->nqueue) {
        item it = r->queue[r->qhead++];
        st = walk(r, &w, it.doc, it.v, it.ptr, C_OBJ);
    }
    sgi_free(RA(r), w.st);
    sgi_buf_fini(&w.path);
    return st;
}

static sg_status resolve(sgi_resolver *r, const sg_document *doc, struct json_object *ref_obj,
                         sgi_ref_target *out)
{
    size_t si;
    struct lh_entry *le = lh_table_lookup_entry(r->smap, ref_obj);
    if (le) {
        si = IDX(le->v);
    } else {
        size_t di = 0;
        while (di < r->ndocs && r->docs[di].doc != doc)
            di++;
        if (di == r->ndocs)
            return SG_EUSAGE;
        sg_status st = site_get(r, di, ref_obj, NULL, &si);
        if (st != SG_OK)
            return st;
    }
    sg_status st = resolve_site(r, si);
    if (st != SG_OK)
        return st;
    const site *s = &r->sites[si];
    if (s->state != S_DONE || s->hops > r->opts.limits.max_ref_hops)
        return SG_OK;
    out->found = 1;
    out->doc = r->docs[s->fdoc].doc;
    out->value = s->fval;
    out->parent = s->fparent;
    out->slot = s->fslot;
    out->pointer = s->fptr;
    return SG_OK;
}

sg_status sgi_resolve(sgi_resolver *r, const sg_document *doc, struct json_object *ref_obj,
                      sgi_ref_target *out)
{
    if (!out)
        return SG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!r || !doc || !has_ref(ref_obj))
        return SG_EUSAGE;
    if (!r->shared)
        return resolve(r, doc, ref_obj, out);
    /* The check has resolved every site it walked, so this is mostly a
     * lookup; the lock covers the sites a checker reaches first (they grow
     * the tables) and the hit caches. */
    pthread_mutex_lock(&r->mu);
    sg_status st = resolve(r, doc, ref_obj, out);
    pthread_mutex_unlock(&r->mu);
    return st;
}

sg_status sgi_resolver_share(sgi_resolver *r, sg_diagnostics *late)
{
    if (!r || r->shared)
        return r ? SG_OK : SG_EUSAGE;
    if (pthread_mutex_init(&r->mu, NULL) != 0)
        return SG_ENOMEM;
    r->shared = 1;
    r->d = late;
    return SG_OK;
}
