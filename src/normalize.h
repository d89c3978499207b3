/* Private to the normalizer: bundle.c (which $refs go where, and the names
 * of bundled members) and normalize.c (the writing, sg_normalize). */
#ifndef SWAGGATE_NORMALIZE_H
#define SWAGGATE_NORMALIZE_H

#include <json-c/json.h>

#include "internal.h"

/* Sections of the root that bundled targets go to; K_INLINE: none, the
 * target is written in place of its $ref. */
enum { K_SCHEMA, K_PARAM, K_RESP, K_NSECT, K_INLINE = K_NSECT };
extern const char *const sgi_nz_sections[K_NSECT];
/* The role of a target of each section. */
extern const int sgi_nz_kind_role[K_NSECT];

/* The role of a value in Swagger structure (which decides where a $ref
 * target goes). Each maps to one of the resolver's contexts: M_OBJ ("$ref"
 * is a reference), M_MAP (keys are names), M_MAPX (names, x-* skipped). */
enum {
    R_ROOT, R_PATHS, R_PATHITEM, R_OP, R_PLIST, R_PMAP, R_PARAM, R_RMAP, R_RESPS, R_RESP,
    R_SMAP, R_SCHEMA, R_SARR, R_MAP, R_SEC, R_OBJ, R_DATA
};
typedef struct sgi_nz_target {
    int kind;
    const sg_document *doc;
    const char *ptr; /* in DOC, owned by the resolver */
    struct json_object *value;
    const char *rel; /* DOC's path relative to the ref root, borrowed */
    char *base;      /* step 2's name */
    char *name;      /* the name chosen (owned) */
    int home;
} sgi_nz_target;

typedef struct sgi_nz_rel {
    const sg_document *doc;
    char *rel;
} sgi_nz_rel;

typedef struct sgi_nz {
    const sg_document *root;
    sg_options opts;
    sg_diagnostics *d;
    sgi_resolver *res;
    sgi_nz_target *t;
    size_t nt, capt;
    struct lh_table *tmap;    /* "kind:doc:ptr" -> target index */
    struct lh_table *walked;  /* (value, role) walked while discovering */
    struct lh_table *warned;  /* numbers already reported */
    sgi_nz_rel *rels;
    size_t nrels, caprels;
    char *base_dir; /* real path of the ref root, or NULL */
    int failed;     /* a finding makes the output impossible */
    int pretty;
    sgi_buf out;
    sgi_buf path;   /* JSON Pointer of the value written, in its own file */
    size_t pstart;  /* where that pointer starts in PATH */
    struct json_object **inl; /* ref objects being inlined (cycle check) */
    size_t ninl, capinl;
    uint64_t inlined; /* values written inside inlined targets */
} sgi_nz;

#define IDX(v) ((size_t)(uintptr_t)(v))
#define VAL(i) ((const void *)(uintptr_t)(i))

/* The role of member KEY (value CHILD) of a value of role ROLE, of an
 * element of an array of role ROLE, and the section a $ref of role ROLE
 * bundles its target into. */
int sgi_nz_child_role(int role, const char *key, struct json_object *child);
int sgi_nz_elem_role(int role);
int sgi_nz_kind_of(int role);
/* Is V, of role ROLE, a $ref (as resolve.c reads them)? */
int sgi_nz_is_ref_site(int role, struct json_object *v);
/* Kept as written: an internal ref of the root document (or one that is no
 * string, which the linter reports). */
int sgi_nz_kept_ref(const sgi_nz *z, const sg_document *doc, struct json_object *v);
/* A normalize-bundle finding at PARENT/SLOT of DOC; Z fails. */
sg_status sgi_nz_bundle_error(sgi_nz *z, const sg_document *doc, const void *parent, uintptr_t slot,
                              const char *fmt, ...) SGI_PRINTF(5, 6);
/* Every target the root reaches, then their names (bundle.c). */
sg_status sgi_nz_discover(sgi_nz *z);
sg_status sgi_nz_choose_names(sgi_nz *z);

/* The allocator of a normalize run (its options'; NULL: the C library). */
#define ZA(z) ((z)->opts.allocator)
/* The real path of P allocated with A, or NULL. */
char *sgi_nz_realpath(const sg_allocator *a, const char *p);

#endif
