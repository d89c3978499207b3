/* The importer's private interfaces (plan.c runs the import, plan_model.c
 * reads the APIs of a document and writes the group document). */
#ifndef SWAGGATE_PLAN_MODEL_H
#define SWAGGATE_PLAN_MODEL_H

#include "internal.h"

/* One run's allocation state: json-c calls that fail set OOM, later ones go
 * on harmlessly, and the run answers SG_ENOMEM at the end. */
typedef struct sgi_plan_ctx {
    int oom;
    const sg_allocator *a; /* the plan's copy of the options' hooks: serves
                              swaggate's own blocks (json-c's are malloc's) */
} sgi_plan_ctx;

/* A new json string of S (NULL for S NULL). */
struct json_object *sgi_plan_str(sgi_plan_ctx *cx, const char *s);
/* OBJ[KEY] = VAL (VAL is taken, even on failure). */
void sgi_plan_set(sgi_plan_ctx *cx, struct json_object *obj, const char *key,
                  struct json_object *val);
/* Append VAL to ARR (VAL is taken). */
void sgi_plan_push(sgi_plan_ctx *cx, struct json_object *arr, struct json_object *val);
/* A new string like printf (from A), or NULL when out of memory. */
char *sgi_plan_format(const sg_allocator *a, const char *fmt, ...) SGI_PRINTF(2, 3);
char *sgi_plan_strdup(const sg_allocator *a, const char *s); /* NULL for NULL */

/* A document the import reads: the file or the group's export. */
typedef struct sgi_plan_source {
    const sg_allocator *a;
    const sg_document *doc;
    struct json_object *root;
    sgi_resolver *resolver;
    sg_diagnostics *scratch; /* the resolver's findings (lint reports them) */
    char *base;              /* basePath without a trailing '/', "" for none */
} sgi_plan_source;

int sgi_plan_source_init(sgi_plan_ctx *cx, sgi_plan_source *s, const sg_document *doc,
                         const sg_options *opts);
void sgi_plan_source_fini(sgi_plan_source *s);
/* info.title, or NULL. */
const char *sgi_plan_title(const sgi_plan_source *s);

/* One API as the gateway keeps it. */
typedef struct sgi_plan_api {
    char *method;           /* "GET", ..., "ANY" */
    char *path;             /* basePath joined with the path key */
    char *route;            /* method, path with unnamed variables, match mode */
    char *name;             /* operationId, or NULL */
    struct json_object *op; /* the operation as the group document holds it */
    int touched;            /* created or updated by this import */
} sgi_plan_api;

/* The APIs of S in document order, into a new array. 1, or 0 when out of
 * memory. */
int sgi_plan_collect(sgi_plan_ctx *cx, sgi_plan_source *s, sgi_plan_api **out, size_t *n);
/* DST = a deep copy of SRC; with MOCK the backend becomes MOCK. 1 or 0. */
int sgi_plan_api_copy(sgi_plan_ctx *cx, sgi_plan_api *dst, const sgi_plan_api *src, int mock);
void sgi_plan_api_fini(sgi_plan_ctx *cx, sgi_plan_api *a);

/* The group document without its paths: info (the group's, or for a new
 * group the file's), and the root policy maps merged by extend_mode. EXISTING
 * is NULL for a new group. *POLICIES gets the report
 * {"ratelimits": {"created","kept","replaced"}, "access-controls": {...}}. */
struct json_object *sgi_plan_group_begin(sgi_plan_ctx *cx, const sgi_plan_source *existing,
                                         const sgi_plan_source *file, sg_import_mode extend,
                                         struct json_object **policies);
/* Add the paths of the APIs to GROUP. */
void sgi_plan_group_paths(sgi_plan_ctx *cx, struct json_object *group, const sgi_plan_api *apis,
                          size_t n);

/* A line of the text table. */
typedef enum sgi_plan_action {
    SGI_PLAN_CREATE = 0,
    SGI_PLAN_UPDATE,
    SGI_PLAN_FAIL,
    SGI_PLAN_IGNORE,
    SGI_PLAN_KEEP
} sgi_plan_action;

typedef struct sgi_plan_row {
    sgi_plan_action action;
    char *method, *path, *name, *code, *msg;
} sgi_plan_row;

#endif
