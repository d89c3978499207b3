/* Limits, options and the small static tables of the public API. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <yaml.h>

#include "internal.h"

typedef struct limit_info {
    const char *name;
    size_t offset;
    uint64_t def, cap;
    const char *doc;
} limit_info;

static const limit_info limit_table[] = {
#define SG_LIMIT_INFO_(field, name, def, cap, doc) \
    {name, offsetof(sg_limits, field), (uint64_t)(def), (uint64_t)(cap), doc},
    SG_LIMITS_TABLE(SG_LIMIT_INFO_)
#undef SG_LIMIT_INFO_
};

#define N_LIMITS (sizeof limit_table / sizeof limit_table[0])

void sg_limits_init(sg_limits *limits)
{
#define SG_LIMIT_DEF_(field, name, def, cap, doc) limits->field = (uint64_t)(def);
    SG_LIMITS_TABLE(SG_LIMIT_DEF_)
#undef SG_LIMIT_DEF_
}

sg_status sg_limits_set(sg_limits *limits, const char *name, uint64_t value)
{
    if (!limits || !name)
        return SG_EUSAGE;
    for (size_t i = 0; i < N_LIMITS; i++) {
        if (strcmp(limit_table[i].name, name) != 0)
            continue;
        if (value == 0 || value > limit_table[i].cap)
            return SG_EUSAGE;
        memcpy((char *)limits + limit_table[i].offset, &value, sizeof value);
        return SG_OK;
    }
    return SG_EUSAGE;
}

int sg_limits_describe(size_t i, const char **name, uint64_t *def, uint64_t *cap, const char **doc)
{
    if (i >= N_LIMITS)
        return 0;
    if (name)
        *name = limit_table[i].name;
    if (def)
        *def = limit_table[i].def;
    if (cap)
        *cap = limit_table[i].cap;
    if (doc)
        *doc = limit_table[i].doc;
    return 1;
}

void sg_options_init(sg_options *options)
{
    memset(options, 0, sizeof *options);
    sg_limits_init(&options->limits);
    options->format = SG_FORMAT_AUTO;
    options->profile = SG_PROFILE_APIG;
}

const char *sg_status_string(sg_status status)
{
    switch (status) {
    case SG_OK:
        return "success";
    case SG_EINPUT:
        return "unusable input";
    case SG_EUSAGE:
        return "invalid argument";
    case SG_ENOMEM:
        return "out of memory";
    case SG_EINTERNAL:
        return "internal error";
    }
    return "unknown status";
}

const char *sg_severity_name(sg_severity severity)
{
    switch (severity) {
    case SG_SEVERITY_INFO:
        return "info";
    case SG_SEVERITY_WARNING:
        return "warning";
    case SG_SEVERITY_ERROR:
        return "error";
    }
    return "unknown";
}

const char *sg_version(void) { return SG_VERSION_STRING; }

void sg_versions(char *buf, size_t cap)
{
    /* PCRE2 writes "10.42 2022-12-11" into a caller buffer: no global state. */
    char pcre[64] = "unknown";
    if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) > 0 &&
        (size_t)pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= sizeof pcre)
        pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    if (!buf || cap == 0)
        return;
    snprintf(buf, cap, "libswaggate %s\nlibyaml %s\njson-c %s\nPCRE2 %s\n", SG_VERSION_STRING,
             yaml_get_version_string(), json_c_version(), pcre);
}
