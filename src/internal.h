/* Private interfaces shared between the library's source files.
 * Cross-file private names use the sgi_ prefix, which the export filter
 * (^sg_) keeps out of the shared library's ABI. */
#ifndef SWAGGATE_INTERNAL_H
#define SWAGGATE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "swaggate.h"

struct json_object;

#if defined(__GNUC__)
#define SGI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SGI_PRINTF(f, a)
#endif

/* ---- allocation (alloc.c) ---------------------------------------------- */

/* A (NULL or with no functions: the C library) serves these; sizes of 0 are
 * asked as 1, frees of NULL are not passed on. */
void sgi_alloc_copy(sg_allocator *dst, const sg_allocator *src);
void *sgi_malloc(const sg_allocator *a, size_t size);
void *sgi_calloc(const sg_allocator *a, size_t n, size_t size);
void *sgi_realloc(const sg_allocator *a, void *ptr, size_t size);
void sgi_free(const sg_allocator *a, void *ptr);
char *sgi_strdup(const sg_allocator *a, const char *s);
/* sgi_grow (diag.c) through A. */
int sgi_grow_a(const sg_allocator *a, void **arr, size_t *cap, size_t need, size_t size);
/* json_object_object_add of a KEY that OBJ does not hold, without json-c
 * 0.16's leak of its key copy when the table cannot grow. 0, or -1 when out
 * of memory (VAL is then still the caller's). */
int sgi_object_add_new(struct json_object *obj, const char *key, struct json_object *val);

/* ---- source (source.c) ----------------------------------------------- */

/* The bytes of one input and what is needed to quote them. */
typedef struct sgi_source {
    const sg_allocator *alloc; /* borrowed; NULL: the C library */
    char *name;          /* owned */
    unsigned char *text; /* owned, NUL-terminated copy of the whole file */
    size_t len;          /* bytes, without the terminator */
    size_t bom;          /* 3 when a UTF-8 BOM leads the text, else 0 */
    uint32_t *lines;     /* lazily built: byte offset of each line start (a source
                          * is at most the file-size limit, below 2 GiB) */
    size_t nlines;
    int wide;            /* the checked text has bytes above 0x7F */
    uint32_t *cps;       /* with wide: code points before every SGI_CP_BLOCK-th
                          * byte, so that a column on a long line is not
                          * counted from the line start (NULL: count) */
} sgi_source;

#define SGI_CP_BLOCK 4096

/* Whether the regular file open as FD changed since BEFORE (its fstat) was
 * taken: its size or its change time. A writer was at it while it was read. */
struct stat;
int sgi_file_changed(int fd, const struct stat *before);

/* Initialise SRC with a copy of NAME and of LEN bytes. SG_OK or SG_ENOMEM. */
sg_status sgi_source_init(sgi_source *src, const char *name, const void *bytes, size_t len);
/* The same with the memory from A (borrowed: it must outlive SRC). */
sg_status sgi_source_init_a(sgi_source *src, const sg_allocator *a, const char *name,
                            const void *bytes, size_t len);
/* Read PATH ("-": stdin) within limits->max_file_bytes into SRC. I/O
 * problems become diagnostics (SG_EINPUT). */
sg_status sgi_source_read(sgi_source *src, const char *path, const sg_limits *limits,
                          sg_diagnostics *diags);
sg_status sgi_source_read_a(sgi_source *src, const sg_allocator *a, const char *path,
                            const sg_limits *limits, sg_diagnostics *diags);
void sgi_source_fini(sgi_source *src);
/* The text of ERR (an errno value) in English, as the C locale gives it,
 * whatever locale the host program set: findings, reports and fingerprints
 * do not change with LC_MESSAGES. Written into BUF (CAP bytes); returns BUF. */
const char *sgi_strerror(int err, char *buf, size_t cap);

/* Check the encoding of the whole text: UTF-8 only, one leading BOM allowed
 * (sets src->bom), no UTF-16/32, no NUL, no BOM later on. SG_EINPUT with a
 * positioned diagnostic, SG_OK, or SG_ENOMEM. */
sg_status sgi_source_check_encoding(sgi_source *src, sg_diagnostics *diags);

/* Length of the valid UTF-8 sequence at P (N bytes available), or 0 when it
 * is not valid (overlong, surrogate, past U+10FFFF, truncated); *CP gets the
 * code point. */
size_t sgi_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* The mark of byte OFFSET (line and code-point column computed). */
sg_mark sgi_source_mark_at(const sgi_source *src, size_t offset);
/* Start offset and byte length (without the line break) of LINE (1-based);
 * returns 0 if there is no such line. */
int sgi_source_line(sgi_source *src, unsigned line, size_t *start, size_t *len);

/* ---- diagnostics (diag.c) -------------------------------------------- */

/* Append a diagnostic. SRC may be NULL (no source line then); AT may be NULL
 * (no position). POINTER and APIG may be NULL. Returns SG_OK or SG_ENOMEM.
 * Over limits.max_diagnostics the diagnostic is only counted. */
sg_status sgi_diag(sg_diagnostics *d, sgi_source *src, sg_severity sev, const char *rule,
                   const sg_mark *at, const char *pointer, const char *apig, const char *fmt, ...)
    SGI_PRINTF(8, 9);
sg_status sgi_vdiag(sg_diagnostics *d, sgi_source *src, sg_severity sev, const char *rule,
                    const sg_mark *at, const char *pointer, const char *apig, const char *fmt,
                    va_list ap);
/* Give the last diagnostic added a related location. Ignored if the last one
 * was dropped over the limit. */
sg_status sgi_diag_related(sg_diagnostics *d, const char *file, const sg_mark *at,
                           const char *fmt, ...) SGI_PRINTF(4, 5);
void sgi_diags_set_limit(sg_diagnostics *d, uint64_t max);
/* A new string formatted like vsnprintf, or NULL when out of memory. */
char *sgi_vformat(const char *fmt, va_list ap);
/* The same, allocated from A (NULL: the C library). */
char *sgi_vformat_a(const sg_allocator *a, const char *fmt, va_list ap);
/* Make the array at *ARR (of *CAP elements of SIZE bytes) hold NEED,
 * doubling; 0 when out of memory (the array is then unchanged). */
int sgi_grow(void **arr, size_t *cap, size_t need, size_t size);
/* Call FN on each kept diagnostic, in order: FN may change its severity, and
 * returns 0 to drop it. Tallies follow. Used by suppressions, per-rule
 * severities and baselines (config.c). */
void sgi_diags_rewrite(sg_diagnostics *d, int (*fn)(void *ctx, sg_diagnostic *g), void *ctx);
/* A new empty list with D's allocator and limit, or NULL when out of memory. */
sg_diagnostics *sgi_diags_new_like(const sg_diagnostics *d);
/* Move the findings of SRC to the end of DST as if each had been added to
 * DST in turn: DST's limit drops the excess, the tallies count them all.
 * SRC is left empty. SG_OK or SG_ENOMEM (DST unchanged). */
sg_status sgi_diags_append(sg_diagnostics *dst, sg_diagnostics *src);

/* Append an excerpt of LEN bytes at S to BUF (size CAP, always terminated):
 * control characters, bidirectional marks and invalid UTF-8 escaped as
 * \u00XX / \xXX, cut to MAX_CHARS code points with "...". */
void sgi_excerpt(char *buf, size_t cap, const char *s, size_t len, size_t max_chars);

/* ---- events (readers -> builder) -------------------------------------- */

typedef enum sgi_event_type {
    SGI_EV_DOC_START,
    SGI_EV_DOC_END,
    SGI_EV_MAP_START,
    SGI_EV_MAP_END,
    SGI_EV_SEQ_START,
    SGI_EV_SEQ_END,
    SGI_EV_SCALAR,
    SGI_EV_ALIAS
} sgi_event_type;

typedef enum sgi_scalar_kind {
    SGI_SC_STRING, /* JSON string, or YAML quoted/block scalar */
    SGI_SC_NUMBER, /* JSON number, text as written (valid RFC 8259 syntax) */
    SGI_SC_TRUE,
    SGI_SC_FALSE,
    SGI_SC_NULL,
    SGI_SC_PLAIN /* YAML plain scalar: typed by the builder (core schema) */
} sgi_scalar_kind;

typedef struct sgi_event {
    sgi_event_type type;
    sg_mark start, end;
    const char *value; /* scalar text (decoded, may hold NUL) or alias name */
    size_t length;
    sgi_scalar_kind kind;
    const char *anchor; /* YAML anchor or NULL */
    const char *tag;    /* YAML tag (full form) or NULL */
} sgi_event;

/* Receives events; returns SG_OK to go on. Anything else stops the reader,
 * which then returns that status. */
typedef sg_status (*sgi_event_fn)(void *ctx, const sgi_event *ev);

/* Read SRC as JSON (RFC 8259, strict), CHUNK bytes at a time (0: all), and
 * send events to FN. Syntax errors become one diagnostic and SG_EINPUT. */
sg_status sgi_json_read(sgi_source *src, size_t chunk, const sg_limits *limits, sgi_event_fn fn,
                        void *ctx, sg_diagnostics *diags);
/* Read SRC as YAML through libyaml's event API, likewise. */
sg_status sgi_yaml_read(sgi_source *src, size_t chunk, const sg_limits *limits, sgi_event_fn fn,
                        void *ctx, sg_diagnostics *diags);
/* The same, with libyaml on a second thread (on this one if none can be
 * had): FN is called on the calling thread, with the same events. */
sg_status sgi_yaml_read_piped(sgi_source *src, size_t chunk, const sg_limits *limits,
                              sgi_event_fn fn, void *ctx, sg_diagnostics *diags);

/* A ring of SLOTS batches handed over from one filling thread to the
 * calling thread, which takes them in order (pipe.c). The counters are
 * atomic and a side that finds nothing to do spins briefly before it sleeps,
 * so that hand-overs every few tens of microseconds rarely cost a sleep and
 * a wake-up (on a machine busy with other work, a scheduler slice each).
 * Used by sgi_read_piped and sgi_yaml_read_piped. */
typedef struct sgi_ring {
    size_t slots;
    _Atomic size_t made, used; /* batches filled, and given back */
    _Atomic int stop;          /* the taker wants no more */
    _Atomic int sleepers;      /* threads asleep, or about to be, on cv */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} sgi_ring;
void sgi_ring_init(sgi_ring *q, size_t slots);
void sgi_ring_fini(sgi_ring *q);
/* Filler: the index of a free slot, waiting for one; -1 once the taker
 * stopped. */
long sgi_ring_free_slot(sgi_ring *q);
/* Filler: the slot it was given is filled. */
void sgi_ring_filled(sgi_ring *q);
/* Taker: the index of the next filled slot, waiting for it. */
size_t sgi_ring_next(sgi_ring *q);
/* Taker: done with the slot sgi_ring_next gave. */
void sgi_ring_done(sgi_ring *q);
/* Taker: no more; a filler waiting for a slot gets -1. */
void sgi_ring_stop(sgi_ring *q);

/* A reader's signature (sgi_json_read, sgi_yaml_read). */
typedef sg_status (*sgi_reader_fn)(sgi_source *src, size_t chunk, const sg_limits *limits,
                                   sgi_event_fn fn, void *ctx, sg_diagnostics *diags);
/* READ on a second thread, its events sent to FN on the calling thread with
 * the same result (pipe.c; on this thread if none can be had). For readers
 * whose events carry no anchor or tag (JSON): those are not copied. */
sg_status sgi_read_piped(sgi_reader_fn read, sgi_source *src, size_t chunk,
                         const sg_limits *limits, sgi_event_fn fn, void *ctx,
                         sg_diagnostics *diags);

/* sg_options.threads is used for inputs of this many bytes or more: below,
 * a load and lint take about a millisecond, and a thread would not pay. */
#define SGI_THREADS_MIN_BYTES 65536

/* ---- marks (marks.c) -------------------------------------------------- */

/* Where one value came from: a member of an object (key marks meaningful),
 * an element of an array, or the root (parent NULL). */
typedef struct sgi_span {
    sg_mark key_start; /* equal to start for non-members */
    sg_mark start, end;
} sgi_span;

typedef struct sgi_marks sgi_marks;

/* A table for values read from SRC (borrowed: it must outlive the table;
 * NULL in unit tests: marks then come back with line and column 0). Only
 * offsets are stored; line and column are computed from SRC when asked. */
sgi_marks *sgi_marks_new(const sgi_source *src);
/* A table whose memory comes from A (borrowed: it must outlive the table). */
sgi_marks *sgi_marks_new_a(const sg_allocator *a, const sgi_source *src);
void sgi_marks_free(sgi_marks *m);
/* Record the span of the child at SLOT of PARENT: for objects SLOT is the
 * address of the key string json-c stores (lh_entry k), for arrays the
 * index. Only the offsets of SPAN are kept: its lines and columns must be
 * what sgi_source_mark_at gives for them. SG_OK or SG_ENOMEM. */
sg_status sgi_marks_put(sgi_marks *m, const void *parent, uintptr_t slot, const sgi_span *span);
/* The span of (PARENT, SLOT) into *OUT: 1, or 0 when there is none. */
int sgi_marks_get(const sgi_marks *m, const void *parent, uintptr_t slot, sgi_span *out);
/* Only where the value (AT_KEY: its key) starts, the common need, without
 * computing the rest: 1, or 0 when there is none. */
int sgi_marks_at(const sgi_marks *m, const void *parent, uintptr_t slot, int at_key, sg_mark *out);
/* Give (TO, TO_SLOT) the span of (FROM, FROM_SLOT) if it has one. SG_OK or
 * SG_ENOMEM. */
sg_status sgi_marks_copy(sgi_marks *m, const void *from, uintptr_t from_slot, const void *to,
                         uintptr_t to_slot);
/* A copy of the N bytes of S (and a NUL) in the table's arena, with room for
 * its member's span: the builder hands it to json-c as a constant key
 * (JSON_C_OBJECT_ADD_CONSTANT_KEY), so it lives as long as the table, which
 * must outlive the model. NULL when out of memory. */
char *sgi_marks_key(sgi_marks *m, const char *s, size_t n);
/* Record the span of the member whose key KEY sgi_marks_key returned. */
void sgi_marks_put_key(sgi_marks *m, const char *key, const sgi_span *span);
/* The span of member KEY of object OBJ into *OUT: 1, or 0 when there is none. */
int sgi_marks_member(const sgi_marks *m, struct json_object *obj, const char *key, sgi_span *out);
size_t sgi_marks_count(const sgi_marks *m);

/* ---- builder (builder.c) ---------------------------------------------- */

typedef struct sgi_builder sgi_builder;

enum {
    SGI_BUILD_MULTI_DOC = 1 /* collect every document of a stream into an
                               array (conformance tests only) */
};

sgi_builder *sgi_builder_new(sgi_source *src, const sg_limits *limits, sg_diagnostics *diags,
                             unsigned flags);
void sgi_builder_free(sgi_builder *b);
/* The sgi_event_fn of the builder (CTX is the builder). */
sg_status sgi_builder_event(void *ctx, const sgi_event *ev);
/* After the reader returned SG_OK: take the root and the marks table (both
 * now the caller's). SG_EINPUT (empty input, diagnostics added) or SG_OK. */
sg_status sgi_builder_finish(sgi_builder *b, struct json_object **root, sgi_marks **marks);

/* ---- document (document.c) ------------------------------------------- */

struct sg_document {
    sg_allocator alloc; /* the options' hooks (a copy): src, marks and this
                           struct are allocated with them */
    sgi_source src;
    sg_format format;
    struct json_object *root;
    sgi_marks *marks;
    sg_limits limits;
    int from_file; /* read by sg_document_load from a named file (not "-"),
                      so its name is a path that file $refs are relative to */
};

/* Add a diagnostic positioned at the value (or with AT_KEY its key) reached
 * through PARENT/SLOT, with POINTER given. */
sg_status sgi_doc_diag(const sg_document *doc, sg_diagnostics *d, sg_severity sev, const char *rule,
                       const void *parent, uintptr_t slot, int at_key, const char *pointer,
                       const char *apig, const char *fmt, ...) SGI_PRINTF(10, 11);

/* ---- emitter (emit.c) ------------------------------------------------- */

/* Growable byte buffer. */
typedef struct sgi_buf {
    char *data;
    size_t len, cap;
    int oom; /* set when an append failed; later appends are no-ops */
    const sg_allocator *alloc; /* borrowed; NULL: the C library. Kept by
                                  sgi_buf_fini, copied by sgi_bytes_take */
} sgi_buf;

void sgi_buf_append(sgi_buf *b, const char *s, size_t n);
void sgi_buf_puts(sgi_buf *b, const char *s);
void sgi_buf_printf(sgi_buf *b, const char *fmt, ...) SGI_PRINTF(2, 3);
void sgi_buf_fini(sgi_buf *b);
/* The text of B as a new sg_bytes (B is emptied; the sg_bytes keeps a copy
 * of B's allocator and frees with it), or NULL when B ran out of
 * memory or the allocation fails (B is then left for sgi_buf_fini). */
sg_bytes *sgi_bytes_take(sgi_buf *b);
/* Append S (LEN bytes of UTF-8) as a JSON string with minimal escapes. */
void sgi_buf_json_string(sgi_buf *b, const char *s, size_t len);
/* Append the JSON text of value V (NULL is null). INDENT < 0: compact. */
void sgi_emit_json(sgi_buf *b, struct json_object *v, int indent);

/* ---- pointer helpers (emit.c) -------------------------------------- */

/* Append to B the RFC 6901 escape of token S (~ -> ~0, / -> ~1). */
void sgi_pointer_append(sgi_buf *b, const char *s, size_t len);

/* ---- $ref resolution (resolve.c) ------------------------------------------ */

/* One lint run's view of $refs: local refs, relative file refs (each file
 * loaded once through sg_document_load, cached by real path, kept under the
 * root directory: options->ref_root or the root document's folder), chains
 * followed up to limits.max_ref_hops. Errors are reported once per $ref site,
 * positioned at the $ref scalar. */
typedef struct sgi_resolver sgi_resolver;

/* Where a $ref leads: the value (NULL for JSON null, with FOUND set), the
 * document that holds it (the root document or an external one), and its
 * place there (PARENT/SLOT for sgi_doc_diag / sgi_marks_get). */
typedef struct sgi_ref_target {
    int found;
    const sg_document *doc;
    struct json_object *value;
    const void *parent;
    uintptr_t slot;
    const char *pointer; /* JSON Pointer of the value in DOC (owned by the resolver) */
} sgi_ref_target;

sgi_resolver *sgi_resolver_new(const sg_document *root, const sg_options *opts, sg_diagnostics *d);
void sgi_resolver_free(sgi_resolver *r);
/* The resolver's own pass: every $ref of the root document and of the files
 * it reaches is checked (resolves, no cycle, stays in the sandbox, no
 * siblings); findings go to the diagnostics given at creation. */
sg_status sgi_resolver_check(sgi_resolver *r);
/* Free what only sgi_resolver_check uses (its set of walked containers, one
 * entry per container of every document), for callers that check once:
 * sgi_resolve keeps working; sgi_resolver_check is then SG_EUSAGE. */
void sgi_resolver_end_check(sgi_resolver *r);
/* Follow REF_OBJ (an object holding "$ref") found in DOC to what it finally
 * stands for, through chains of refs. SG_OK with OUT->found 0 when it leads
 * nowhere (already reported by sgi_resolver_check), SG_ENOMEM. */
sg_status sgi_resolve(sgi_resolver *r, const sg_document *doc, struct json_object *ref_obj,
                      sgi_ref_target *out);
/* After sgi_resolver_check: let two threads call sgi_resolve at once (a
 * mutex around it; a finding it makes then goes to LATE, owned by the
 * caller, instead of the list given at creation). SG_OK or SG_ENOMEM. */
sg_status sgi_resolver_share(sgi_resolver *r, sg_diagnostics *late);

/* ---- lint context (lint.c) ------------------------------------------------ */

/* What every checker gets: the document, the options, the findings list,
 * the run's resolver and schema set. */
typedef struct sgi_lint {
    const sg_document *doc;
    const sg_options *opts;
    sg_diagnostics *diags;
    sgi_resolver *resolver;
    sg_schema_set *schemas;
} sgi_lint;

/* The swagger checker (check_swagger.c): the Swagger 2.0 rules a schema
 * cannot express. */
sg_status sgi_check_swagger(sgi_lint *lint);

/* ---- embedded schemas (schemas_embedded.c, generated from schemas/) ------ */

extern const char sgi_schema_draft04[];    /* NUL-terminated JSON text */
extern const size_t sgi_schema_draft04_len;
extern const char sgi_schema_swagger20[];
extern const size_t sgi_schema_swagger20_len;
extern const char sgi_schema_apig[]; /* schemas/apig-extensions.json */
extern const size_t sgi_schema_apig_len;

/* ---- exact numbers (decimal.c) ----------------------------------------- */

/* Numbers in the model are json-c ints (int64/uint64) or doubles that keep
 * their exact text (sg_number_text). These compare them exactly, whatever
 * their size: no value is ever rounded through a double.
 *
 * -1, 0, 1 as A <, ==, > B; both must be numbers (json_type_int/double). */
int sgi_number_cmp(struct json_object *a, struct json_object *b);
/* The same against a number written as TEXT (a literal bound). */
int sgi_number_cmp_text(struct json_object *a, const char *text);
/* 1 when X is an integer multiple of M (M > 0), 0 when it is not, -1 when
 * the exact answer would cost too much (exponents thousands apart). */
int sgi_number_multiple_of(struct json_object *x, struct json_object *m);
/* The same, its working memory from A (NULL: the C library). */
int sgi_number_multiple_of_a(const sg_allocator *a, struct json_object *x, struct json_object *m);
/* draft-04 "integer": a json-c int, or a number whose text has neither a
 * fraction nor an exponent (so 1.0 is not an integer: JSON-Schema-Test-Suite
 * draft4 optional/zeroTerminatedFloats). */
int sgi_number_is_integer(struct json_object *v);
/* Deep equality as JSON Schema means it: numbers by value (1 == 1.0), objects
 * regardless of member order, strings by bytes. */
int sgi_json_equal(struct json_object *a, struct json_object *b);
/* A hash consistent with sgi_json_equal (equal values hash alike), for
 * uniqueItems and enum in linear time. */
uint64_t sgi_json_hash(struct json_object *v);
/* The elements of array ARR as (hash, index), sorted by hash then index, so
 * that equal values stand in runs of equal hashes: uniqueness checks in
 * n log n. A new array of json_object_array_length(ARR) entries (free()
 * it), or NULL when out of memory. */
typedef struct sgi_hidx {
    uint64_t h;
    size_t i;
} sgi_hidx;
sgi_hidx *sgi_json_hash_sorted(struct json_object *arr);
/* The same, allocated from A (free with sgi_free(A, ...)). */
sgi_hidx *sgi_json_hash_sorted_a(const sg_allocator *a, struct json_object *arr);

/* ---- regular expressions (regex.c) -------------------------------------- */

/* ECMA-262 patterns through PCRE2 (HOSTILE.md 2.6): compiled once per cache,
 * matched with the limits of sg_limits. A cache belongs to one validation
 * (one thread); it holds the match context and match data. */
typedef struct sgi_regex_cache sgi_regex_cache;
typedef struct sgi_regex sgi_regex;

sgi_regex_cache *sgi_regex_cache_new(const sg_limits *limits);
/* The same, its memory and PCRE2's from A (copied; NULL: the C library). */
sgi_regex_cache *sgi_regex_cache_new_a(const sg_limits *limits, const sg_allocator *a);
void sgi_regex_cache_free(sgi_regex_cache *c);
/* The compiled form of PATTERN (LEN bytes of UTF-8), compiling it on first
 * use. On a bad pattern returns NULL, writes PCRE2's message (or ours, e.g.
 * "pattern longer than 4096 bytes") into ERR and the offset in the pattern
 * (in bytes) into *ERR_OFFSET; the failure is cached too. NULL with ERR ""
 * means out of memory. */
const sgi_regex *sgi_regex_get(sgi_regex_cache *c, const char *pattern, size_t len, char *err,
                               size_t errcap, size_t *err_offset);
/* 1 match (anywhere: patterns are not anchored), 0 no match, -1 too costly
 * (a PCRE2 match/depth/heap limit was hit), -2 any other matching error, -3
 * out of memory. */
int sgi_regex_match(sgi_regex_cache *c, const sgi_regex *re, const char *s, size_t len);
/* 1 when PATTERN uses syntax PCRE2 accepts but ECMA-262 does not ((?i), \Z,
 * \A, possessive quantifiers, atomic groups, (?R), \Q..\E ...): worth a
 * portability warning. */
int sgi_regex_non_ecma(const char *pattern, size_t len);

/* ---- formats (format.c) -------------------------------------------------- */

/* Check string S (LEN bytes) against draft-04 FORMAT: date-time (RFC 3339),
 * email (RFC 5321 mailbox, simplified as the suite expects), hostname
 * (RFC 1123), ipv4 (dotted quad), ipv6 (RFC 4291), uri (RFC 3986, absolute).
 * 1 valid, 0 invalid, -1 a format draft-04 does not define (ignored). */
int sgi_format_check(const char *format, const char *s, size_t len);

/* ---- schema (schema.c, schema_store.c) ---------------------------------- */

/* JSON Schema draft-04 in compiled form (schema_store.c): each schema a
 * validation can reach, compiled once per schema node, its keywords read and
 * checked against what the draft-04 meta-schema allows, its patterns
 * compiled and its $ref resolved. Validation (schema.c) reads these. */

/* Value types as bits; an integral number has NUMBER and INTEGER. */
enum { SGI_T_NULL = 1, SGI_T_BOOLEAN = 2, SGI_T_OBJECT = 4, SGI_T_ARRAY = 8, SGI_T_NUMBER = 16,
       SGI_T_STRING = 32, SGI_T_INTEGER = 64 };
/* Groups of keywords a schema has, so that validation skips the rest.
 * SGI_H_FAN: it may apply several schemas to one value (combinators,
 * patternProperties, schema dependencies): where validation work fans out. */
enum { SGI_H_NUM = 1, SGI_H_STR = 2, SGI_H_ARR = 4, SGI_H_OBJ = 8, SGI_H_COMB = 16,
       SGI_H_FAN = 32 };
/* How a pattern is matched: ECMA-262 regex, or a plain string test when the
 * pattern is one ("^x-", "^/"), which costs no regex engine per key. */
enum { SGI_LIT_NONE, SGI_LIT_PREFIX, SGI_LIT_SUBSTRING, SGI_LIT_EXACT };
/* A $ref: to resolve, being resolved, resolved (target set), failed
 * (reported). */
enum { SGI_REF_NONE, SGI_REF_TODO, SGI_REF_BUSY, SGI_REF_DONE, SGI_REF_FAILED };

typedef struct sgi_sch sgi_sch;

typedef struct sgi_pattern {
    const char *text;
    size_t len;
    const sgi_regex *re; /* NULL for literals and invalid patterns */
    int literal;
} sgi_pattern;

typedef struct sgi_pprop {
    sgi_pattern pat;
    sgi_sch *s;
} sgi_pprop;

typedef struct sgi_dep {
    const char *name;
    sgi_sch *s;                 /* schema form */
    struct json_object *names; /* property form: array of strings */
} sgi_dep;

/* Pointers into the schema documents are borrowed; limits are -1 when
 * absent. */
struct sgi_sch {
    struct json_object *node;
    const sg_document *doc;
    const void *parent; /* where NODE is in DOC (marks) */
    uintptr_t slot;
    char *ptr, *base; /* JSON Pointer in DOC; resolution scope */
    int ref_state;
    const char *ref;
    uintptr_t ref_slot;
    sgi_sch *next, *target; /* next hop and final schema of a $ref */
    unsigned hops;
    int reported; /* a finding about its use was given */
    unsigned has, types;
    struct json_object *enum_;
    uint64_t *enum_hash;
    size_t nenum;
    struct json_object *multiple_of, *maximum, *minimum;
    int excl_max, excl_min, unique, tuple, addl_items_false, addl_props_false;
    int64_t max_len, min_len, max_items, min_items, max_props, min_props;
    sgi_pattern pat;
    int has_pat;
    const char *format;
    sgi_sch *items, **tuple_of, *addl_items, *addl_props, *not_;
    size_t ntuple;
    const char **required;
    size_t nrequired;
    struct lh_table *props; /* name -> sgi_sch */
    const char **prop_names;
    size_t nprops;
    sgi_pprop *pprops;
    size_t npprops;
    sgi_dep *deps;
    size_t ndeps;
    sgi_sch **all_of, **any_of, **one_of;
    size_t nall, nany, none;
};

/* One validation's view of a schema set: the set's documents, plus the root
 * schema and the ids it declares when the root is not in the set; mapped
 * files are loaded on demand with OPTS (their reading diagnostics go to
 * DIAGS) and kept in the set. Holds the compiled schemas and the regex
 * cache. OPTS is borrowed. */
typedef struct sgi_schema_session sgi_schema_session;

sgi_schema_session *sgi_schema_session_new(sg_schema_set *set, const sg_options *opts,
                                           sg_diagnostics *diags);
void sgi_schema_session_free(sgi_schema_session *s);
/* A schema set whose own blocks (and embedded documents) come from A (a
 * copy is kept; NULL: the C library). sg_schema_set_new() is this with NULL. */
sg_schema_set *sgi_schema_set_new_a(const sg_allocator *a);
/* The session's copy of its options' hooks. */
const sg_allocator *sgi_schema_session_alloc(const sgi_schema_session *s);
/* Compile SCHEMA (NULL: the embedded Swagger 2.0 schema) and every schema
 * its $refs reach; problems of the schemas become "schema-invalid" findings.
 * The root, or NULL when out of memory. */
sgi_sch *sgi_schema_compile(sgi_schema_session *s, const sg_document *schema);
/* The same, with *CLEAN set when the compilation reported nothing. */
sgi_sch *sgi_schema_compile_counted(sgi_schema_session *s, const sg_document *schema, int *clean);
/* A session SET kept under KEY (NULL: the embedded Swagger 2.0 schema; else
 * a static string naming the root schema) by sgi_schema_session_keep, now
 * working for OPTS and DIAGS, with its compiled root in *ROOT and the root
 * schema's document (kept by SET; NULL for an embedded one) in *DOC; NULL
 * when none was kept, or not under the same hooks and limits: compile anew.
 * The session is lent: give it back with sgi_schema_session_keep (DOC NULL). */
sgi_schema_session *sgi_schema_session_reuse(sg_schema_set *set, const char *key,
                                             const sg_options *opts, sg_diagnostics *diags,
                                             sgi_sch **root, const sg_document **doc);
/* Give SESS (compiled ROOT) to SET under KEY for the next validation when
 * CLEAN (its compilation reported nothing) and it did not fail; else free
 * it. DOC (owned, or NULL) is the root schema's document of a session
 * compiled anew: it goes with it. */
void sgi_schema_session_keep(sg_schema_set *set, const char *key, sgi_schema_session *sess,
                             sgi_sch *root, sg_document *doc, int clean);
/* Match STR (N bytes) against P: 1, 0, -1 too costly, -2 failed, -3 out of
 * memory. */
int sgi_schema_match(sgi_schema_session *s, const sgi_pattern *p, const char *str, size_t n);
/* "#/definitions/x", or "NAME#/..." for a schema outside the root's document. */
void sgi_schema_where(const sgi_schema_session *s, const sgi_sch *sch, char *buf, size_t cap);
/* A "schema-invalid" finding at PARENT/SLOT (AT_KEY: its key) of SCH's
 * document; SUB is appended to SCH's pointer. SG_OK or SG_ENOMEM. */
sg_status sgi_schema_bad(sgi_schema_session *s, const sgi_sch *sch, const void *parent,
                         uintptr_t slot, int at_key, const char *sub, sg_severity sev,
                         const char *fmt, ...) SGI_PRINTF(8, 9);

/* One finding of sgi_schema_check_value: where (PARENT/SLOT of the
 * instance, AT_KEY: the member's key), POINTER below the value checked, the
 * validator's MESSAGE, the KEYWORD that failed ("type", "enum", "required",
 * "maximum", "additionalProperties", "oneOf", ...) and the compiled SCHEMA
 * that holds it (NULL when no single one does). All borrowed for the call. */
typedef struct sgi_schema_finding {
    const void *parent;
    uintptr_t slot;
    int at_key;
    const char *pointer;
    const char *message;
    const char *keyword;
    const sgi_sch *schema;
} sgi_schema_finding;
/* Receives each finding; anything but SG_OK stops and is returned. */
typedef sg_status (*sgi_schema_sink)(void *ctx, const sgi_schema_finding *f);
/* Validate value V of document INST (at PARENT/SLOT there) against S, a
 * schema compiled by SESS, and hand each finding to SINK rather than to
 * DIAGS (which gets only what is no finding of V: a budget overrun). For
 * checkers that own their rules and run the validator on parts of a
 * document (the apig checker). SG_OK, SG_ENOMEM or the sink's status. */
sg_status sgi_schema_check_value(sgi_schema_session *sess, sgi_sch *s, const sg_document *inst,
                                 const sg_options *options, sg_diagnostics *diags,
                                 struct json_object *v, const void *parent, uintptr_t slot,
                                 sgi_schema_sink sink, void *ctx);

/* Messages (schema.c), shared with the compiler: "the number 5", "the
 * string \"x\"", "an object"; a short JSON rendering; the candidate a word
 * is a likely misspelling of, or NULL. */
void sgi_schema_describe(struct json_object *v, size_t excerpt_chars, char *buf, size_t cap);
void sgi_schema_excerpt_json(const sg_allocator *a, struct json_object *v, char *buf, size_t cap, size_t chars);
const char *sgi_schema_did_you_mean(const char *word, const char *const *cands, size_t n);

/* RFC 3986 section 5.2 resolution of reference REF against the absolute URI
 * BASE (dot segments removed). A new string, or NULL when out of memory. */
char *sgi_uri_resolve(const char *base, const char *ref);
/* The same, allocated from A. */
char *sgi_uri_resolve_a(const sg_allocator *a, const char *base, const char *ref);

/* ---- RFC 8785 pieces of the normalizer (jcs.c) ------------------------- */

/* -1, 0, 1 as member name A sorts before, with, after B by UTF-16 code
 * units (RFC 8785 3.2.3; both UTF-8). */
int sgi_jcs_key_cmp(const char *a, const char *b);
/* Append the ECMAScript Number::toString form of D (RFC 8785 3.2.2.3:
 * shortest digits that read back as D; -0 is 0). 0 when D is NaN or
 * infinite (nothing appended), else 1. */
int sgi_jcs_double(sgi_buf *b, double d);
/* Append number V (a json-c int, or a double with its exact text) as the
 * normalizer writes it (policy at the top of jcs.c): SGI_JCS_DOUBLE, the
 * RFC 8785 form of the double it reads as, the same digits; SGI_JCS_ROUNDED,
 * that form with other digits than written (a fraction of at most 17
 * digits that no double holds exactly); SGI_JCS_EXACT, kept exactly (RFC
 * 8785's spelling would change its value, or an integer in digits would
 * get an exponent); SGI_JCS_REFUSED, nothing
 * appended (exponent past 15 digits). AS_DOUBLE (may be NULL) gets the RFC
 * 8785 form of the nearest double ("Infinity" past the range), for
 * messages. */
enum { SGI_JCS_DOUBLE, SGI_JCS_ROUNDED, SGI_JCS_EXACT, SGI_JCS_REFUSED };
int sgi_jcs_number(sgi_buf *b, struct json_object *v, sgi_buf *as_double);

#endif
