/* The swagger checker's private interfaces, shared by its files:
 *   check_swagger.c  entry point, locations, reports, hash maps, security
 *                    requirements, response codes, unused components
 *   check_paths.c    paths and operations: templates and their collisions,
 *                    operationIds, parameters merged from the path item
 *   check_params.c   one parameter, items or header object on its own
 *                    (path parameters required, array items, collectionFormat,
 *                    file parameters) and walks over schema objects
 *   check_values.c   does a default or example fit the schema beside it */
#ifndef SWAGGATE_CHECK_SWAGGER_H
#define SWAGGATE_CHECK_SWAGGER_H

#include <json-c/json.h>

#include "internal.h"

/* The rules of this checker; ids, severities and APIG codes match the
 * catalog in rules.c (tests/test_swagger.c checks it). */
typedef enum sgi_sw_rule {
    SW_PATH_PARAM_UNDEFINED,
    SW_PATH_PARAM_UNUSED,
    SW_PATH_PARAM_REQUIRED,
    SW_PATH_TEMPLATE_COLLISION,
    SW_OPERATION_ID_DUPLICATE,
    SW_PARAMETER_DUPLICATE,
    SW_BODY_PARAMETER_MULTIPLE,
    SW_BODY_AND_FORMDATA,
    SW_FILE_PARAMETER_LOCATION,
    SW_FILE_PARAMETER_CONSUMES,
    SW_ARRAY_ITEMS_MISSING,
    SW_COLLECTION_FORMAT_MULTI,
    SW_DEFAULT_INVALID,
    SW_EXAMPLE_INVALID,
    SW_PATTERN_INVALID,
    SW_PATTERN_NOT_ECMA,
    SW_PATTERN_UNCHECKED,
    SW_SECURITY_UNDEFINED,
    SW_SECURITY_SCOPE_UNDEFINED,
    SW_SECURITY_SCOPES_IGNORED,
    SW_REQUIRED_PROPERTY_UNDEFINED,
    SW_RESPONSE_CODE_INVALID,
    SW_UNUSED_DEFINITION,
    SW_UNUSED_PARAMETER,
    SW_UNUSED_RESPONSE,
    SW_RULE_COUNT
} sgi_sw_rule;

typedef struct sgi_sw_rule_info {
    const char *id;
    sg_severity severity;
    const char *apig; /* NULL: none */
} sgi_sw_rule_info;

extern const sgi_sw_rule_info sgi_sw_rules[SW_RULE_COUNT];

/* Where a value sits: a chain of member names and indices up to a node whose
 * JSON Pointer is known (BASE), plus the PARENT/SLOT pair that finds its
 * marks. Chains live on the stack of the walk; pointers are only built when
 * something is reported. */
typedef struct sgi_sw_loc {
    const struct sgi_sw_loc *up; /* NULL: BASE is this node's pointer */
    const sg_document *doc;      /* the document that holds the value */
    const char *base;
    const char *key; /* member name (with UP), or NULL for an element */
    size_t klen;
    size_t index;
    const void *parent;
    uintptr_t slot;
    struct json_object *v;
} sgi_sw_loc;

/* A hash map from byte strings to pointers. Keys are copied. Clearing is
 * O(1) (a generation count), so one map serves many small sets in turn. */
typedef struct sgi_sw_map {
    struct sgi_sw_slot *slots;
    size_t cap, n;
    unsigned gen;
    uint64_t seed;
    sgi_buf keys;
} sgi_sw_map;

/* The value stored under KEY, or NULL. */
void *sgi_sw_map_get(const sgi_sw_map *m, const void *key, size_t len);
/* Store VALUE under KEY unless it is there. Returns 1 when inserted, 0 when
 * KEY was already there (*OLD gets its value when OLD is not NULL), -1 when
 * out of memory (or past 4 GiB of keys since the last clear). VALUE may not
 * be NULL. */
int sgi_sw_map_put(sgi_sw_map *m, const void *key, size_t len, void *value, void **old);
void sgi_sw_map_clear(sgi_sw_map *m);
void sgi_sw_map_fini(sgi_sw_map *m);
/* An empty map whose slots and keys come from A (NULL: the C library); a
 * zeroed map is an empty one of the C library. */
void sgi_sw_map_init(sgi_sw_map *m, const sg_allocator *a);
/* The allocator of a lint run: its options' hooks (NULL: the C library). */
#define SW_ALLOC(c) ((c)->lint && (c)->lint->opts ? (c)->lint->opts->allocator : NULL)

/* Quotes in messages: at most SW_QUOTE_CHARS characters, each escaped in at
 * most 6 bytes, fit a SW_QUOTE-byte buffer. */
#define SW_QUOTE_CHARS 120
#define SW_QUOTE 800

/* One run of the checker. */
typedef struct sgi_sw {
    sgi_lint *lint;
    const sg_document *doc;
    sg_status st;                    /* first failure (SG_ENOMEM); checks stop after it */
    size_t excerpt;                  /* characters of input quoted in a message */
    sgi_sw_map seen;                 /* objects already checked (key: their address) */
    sgi_regex_cache *re;             /* made on the first pattern */
    struct json_object *enum_cached; /* the enum ENUM_HASHES holds */
    sgi_sw_map enum_hashes;
    sgi_sw_loc root;
    struct json_object *definitions; /* #/definitions, or NULL */
    struct json_object *secdefs;     /* #/securityDefinitions, or NULL */
    sgi_sw_loc root_consumes;        /* #/consumes, with HAS_ROOT_CONSUMES */
    int has_root_consumes;
    int any_method; /* x-apigateway-any-method is an operation (apig profile) */
} sgi_sw;

/* ---- locations and reports (check_swagger.c) ---- */

void sgi_sw_root(sgi_sw_loc *out, const sg_document *doc);
/* Add a finding positioned at AT (AT_KEY: its key), with AT's JSON Pointer:
 * the one place the swagger and apig checkers turn a location into a
 * diagnostic. */
sg_status sgi_sw_vdiag(const sg_allocator *al, sg_diagnostics *d, sg_severity sev, const char *rule, const char *apig,
                       const sgi_sw_loc *at, int at_key, const char *fmt, va_list ap);
/* OUT becomes member KEY of the object at OBJ; 0 when there is none. */
int sgi_sw_member(sgi_sw_loc *out, const sgi_sw_loc *obj, const char *key);
/* OUT becomes the member of the object at OBJ held by json-c entry E. */
void sgi_sw_entry(sgi_sw_loc *out, const sgi_sw_loc *obj, struct lh_entry *e);
/* OUT becomes element I of the array at ARR. */
void sgi_sw_element(sgi_sw_loc *out, const sgi_sw_loc *arr, size_t i);
/* What the value at IN stands for: itself, or the target of its $ref. 0 when
 * a $ref leads nowhere or cannot be followed (no resolver): the resolver
 * reports broken refs, checkers skip them. */
int sgi_sw_deref(sgi_sw *c, const sgi_sw_loc *in, sgi_sw_loc *out);
/* Report RULE at AT (its key with AT_KEY); RELATED (may be NULL) is a second
 * place, described by RELATED_MSG. */
void sgi_sw_report(sgi_sw *c, sgi_sw_rule rule, const sgi_sw_loc *at, int at_key,
                   const sgi_sw_loc *related, const char *related_msg, const char *fmt, ...)
    SGI_PRINTF(7, 8);
/* Same, with an APIG code other than the rule's (NULL: none). */
void sgi_sw_report_apig(sgi_sw *c, sgi_sw_rule rule, const char *apig, const sgi_sw_loc *at,
                        int at_key, const sgi_sw_loc *related, const char *related_msg,
                        const char *fmt, ...) SGI_PRINTF(8, 9);
/* Quote S (LEN bytes) for a message: escaped, cut to the excerpt limit. */
void sgi_sw_quote(const sgi_sw *c, char *buf, size_t cap, const char *s, size_t len);
/* Quote any value as compact JSON, likewise (out of memory: sets ST). */
void sgi_sw_quote_value(sgi_sw *c, char *buf, size_t cap, struct json_object *v);
/* 1 the first time OBJ is passed, 0 after (and on failure, which sets ST). */
int sgi_sw_first_visit(sgi_sw *c, const void *obj);

/* A vendor extension's name (x-...). */
int sgi_sw_is_ext(const char *key);
/* String member KEY of OBJ, or NULL (absent, not a string). */
const char *sgi_sw_str(struct json_object *obj, const char *key);

/* A security requirement array (root or operation): names defined, OAuth2
 * scopes declared. */
void sgi_sw_check_security(sgi_sw *c, const sgi_sw_loc *sec);
/* An operation's responses object: codes, and each response. */
void sgi_sw_check_responses(sgi_sw *c, const sgi_sw_loc *resps);

/* ---- paths and operations (check_paths.c) ---- */

/* Every path item and operation of #/paths. */
void sgi_sw_check_paths(sgi_sw *c);

/* ---- parameters, items, headers and schemas (check_params.c) ---- */

/* The checks of one parameter object on its own (PARAM already resolved):
 * path parameters required, type file only in formData, arrays with items,
 * collectionFormat multi, defaults; its items; a body parameter's schema. */
void sgi_sw_check_parameter(sgi_sw *c, const sgi_sw_loc *param);
/* One response object (resolved): its headers and schema. */
void sgi_sw_check_response(sgi_sw *c, const sgi_sw_loc *resp);
/* A schema object and every schema inside it (properties, items, allOf,
 * additionalProperties): required properties defined when
 * additionalProperties is false, default and example. */
void sgi_sw_check_schema(sgi_sw *c, const sgi_sw_loc *schema);

/* ---- values against schemas (check_values.c) ---- */

/* Is V a whole number: an integer, or a double with no fraction (1e3, 2.0,
 * which draft 04 calls no integer)? Its value in OUT, clamped to int64.
 * Checks that read a count or a limit use it, so that a document and its
 * normalized body (where 1e3 becomes 1000) are checked alike: the schema
 * checker reports the form. */
int sgi_sw_whole_number(struct json_object *v, int64_t *out);

/* Does VALUE fit the keywords of SCHEMA (a parameter, items, header or
 * schema object): type, format, enum, pattern, bounds, lengths, and for
 * arrays each element against SCHEMA's items? 1 yes, 0 no with the reason
 * in WHY, 2 unknown (a pattern too costly to match; the reason in WHY), -1
 * when ST was set. */
int sgi_sw_value_fits(sgi_sw *c, struct json_object *schema, struct json_object *value, char *why,
                      size_t cap);

#endif
