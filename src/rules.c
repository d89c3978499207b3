/* The rule catalog: every rule id once, with its checker, default severity
 * and a one-line summary. Diagnostics name these ids; tests check that every
 * id a diagnostic uses is listed here. */
#include <string.h>

#include "internal.h"

static const sg_rule rules[] = {
    /* model: reading bytes into a document (readers, builder, document) */
    {"io", "model", SG_SEVERITY_ERROR, "the file cannot be read", NULL, NULL},
    {"encoding", "model", SG_SEVERITY_ERROR, "the file is not UTF-8 text (UTF-16/32, NUL, invalid UTF-8, stray BOM)", NULL, NULL},
    {"json-syntax", "model", SG_SEVERITY_ERROR, "the file is not strict JSON (RFC 8259)", NULL, NULL},
    {"yaml-syntax", "model", SG_SEVERITY_ERROR, "the file is not valid YAML", NULL, NULL},
    {"empty-document", "model", SG_SEVERITY_ERROR, "the file holds no document", NULL, NULL},
    {"limit", "model", SG_SEVERITY_ERROR, "the input exceeds a limit (size, depth, nodes, alias expansion, key length)", NULL, NULL},
    {"yaml-multiple-documents", "model", SG_SEVERITY_ERROR, "a Swagger file holds exactly one YAML document", NULL, NULL},
    {"yaml-key", "model", SG_SEVERITY_ERROR, "a mapping key must be a non-empty scalar to become a JSON key", NULL, NULL},
    {"yaml-alias", "model", SG_SEVERITY_ERROR, "an alias names no anchor, or its own ancestor", NULL, NULL},
    {"yaml-merge", "model", SG_SEVERITY_ERROR, "a merge key (<<) takes a mapping or a sequence of mappings", NULL, NULL},
    {"yaml-tag", "model", SG_SEVERITY_ERROR, "only the YAML core tags are honoured; others are refused", NULL, NULL},
    {"yaml-non-finite", "model", SG_SEVERITY_ERROR, ".inf and .nan have no JSON form", NULL, NULL},
    {"yaml-1.1-scalar", "model", SG_SEVERITY_WARNING, "a plain scalar that YAML 1.1 tools read differently from YAML 1.2", NULL, NULL},
    {"duplicate-key", "model", SG_SEVERITY_ERROR, "a key appears twice in one mapping or object", NULL, NULL},
    {"key-nul", "model", SG_SEVERITY_ERROR, "a key holds the NUL character (\\u0000)", NULL, NULL},
    {"document-root", "model", SG_SEVERITY_ERROR, "a Swagger document is an object", NULL, NULL},
    {"swagger-version", "model", SG_SEVERITY_ERROR, "the swagger field must be the string \"2.0\"", NULL, NULL},
    {"version-type", "model", SG_SEVERITY_ERROR, "info.version read as a number: quote it", NULL, NULL},
};

#define N_RULES (sizeof rules / sizeof rules[0])

const sg_rule *sg_rule_at(size_t i) { return i < N_RULES ? &rules[i] : NULL; }

const sg_rule *sg_rule_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}
