/* swaggate limits: every bound on untrusted input, in one place.
 *
 * Each limit has a name (used by `--limit NAME=VALUE` and sg_limits_set()),
 * a default (HOSTILE.md section 4) and a hard cap that no caller can raise
 * it past. Change a default here and nowhere else.
 */
#ifndef SWAGGATE_LIMITS_H
#define SWAGGATE_LIMITS_H

#include <stdint.h>

/* X(field, "name", default, hard cap, "what it bounds") */
#define SG_LIMITS_TABLE(X)                                                              \
    X(max_file_bytes, "file-size", 32u * 1024 * 1024, 2147483646u,                    \
      "bytes in one input file (refused before it is read)")                           \
    X(max_depth, "depth", 256, 4096,                                                    \
      "nesting depth of arrays and objects, aliases expanded")                         \
    X(max_nodes, "nodes", 10000000u, 100000000u,                                        \
      "values in one document")                                                         \
    X(max_alias_nodes, "alias-expansion", 1000000u, 1000000000u,                        \
      "nodes that YAML aliases and merge keys may add (at least 10x the parsed nodes)") \
    X(max_key_bytes, "key-length", 65536u, 16777216u,                                   \
      "bytes in one mapping key")                                                       \
    X(max_diagnostics, "diagnostics", 1000u, 1000000u,                                  \
      "diagnostics kept for one file; the rest are counted")                           \
    X(excerpt_chars, "excerpt", 80u, 4096u,                                             \
      "characters of input quoted in one message")                                     \
    X(max_ref_hops, "ref-hops", 64u, 4096u,                                             \
      "$ref hops followed in one chain (documents and schemas)")                                         \
    X(max_ref_documents, "ref-documents", 256u, 65536u,                                 \
      "files that the $refs of one document may load")                                  \
    X(max_ref_total_bytes, "ref-total-size", 128u * 1024 * 1024, 16ull << 30,           \
      "bytes of one document and all the files its $refs load, together")              \
    X(max_schema_documents, "schema-documents", 256u, 65536u,                           \
      "schema documents one validation may load (embedded, registered, mapped)")       \
    X(regex_match_limit, "regex-match", 100000u, 100000000u,                            \
      "PCRE2 match limit for one pattern match")                                        \
    X(regex_depth_limit, "regex-depth", 100000u, 10000000u,                             \
      "PCRE2 depth limit for one pattern match")                                        \
    X(regex_heap_kib, "regex-heap", 8192u, 1048576u,                                    \
      "PCRE2 heap limit in KiB for one pattern match")                                  \
    X(max_pattern_bytes, "pattern-length", 4096u, 65536u,                               \
      "bytes in one regular expression")                                                \
    X(apig_apis, "apig-apis", 300u, 1000000u,                                           \
      "APIs in one APIG import (APIG.md section 3: APIG.3127; raised by ticket)")      \
    X(apig_params, "apig-params", 50u, 10000u,                                          \
      "request parameters of one APIG API (APIG.md section 3: APIG.3111)")              \
    X(apig_backend_policies, "apig-backend-policies", 5u, 1000u,                        \
      "backend policies of one APIG API (APIG.md section 3: APIG.3113)")                \
    X(apig_ratelimits, "apig-ratelimits", 300u, 100000u,                                \
      "throttling policies of one APIG gateway (APIG.md section 3: APIG.3107)")         \
    X(apig_acls, "apig-acls", 100u, 100000u,                                            \
      "access control policies of one APIG gateway (APIG.md section 3: APIG.3112)")    \
    X(apig_authorizers, "apig-authorizers", 50u, 100000u,                               \
      "custom authorizers of one APIG gateway (APIG.md section 3: APIG.3116)")         \
    X(apig_group_apis, "apig-group-apis", 1000u, 1000000u,                              \
      "APIs in one APIG group after an import (APIG.md section 3: APIG.3125; plan)")      \
    X(apig_conditions, "apig-conditions", 5u, 1000u,                                    \
      "conditions of one APIG backend policy (APIG.3114 names the quota, no source "    \
      "its number: 5 is swaggate's guess, a warning unless --strict)")                  \
    X(apig_tags, "apig-tags", 10u, 10000u,                                              \
      "tags of one APIG API (APIG.md section 3: APIG.3133)")

/* A set of limits. Initialise with sg_limits_init(); every field is a count. */
typedef struct sg_limits {
#define SG_LIMIT_FIELD_(field, name, def, cap, doc) uint64_t field;
    SG_LIMITS_TABLE(SG_LIMIT_FIELD_)
#undef SG_LIMIT_FIELD_
} sg_limits;

#endif
