/* The parse floor: the least a tool built on libyaml and json-c can spend
 * on a file. It reads FILE into memory (as swaggate does) and parses it
 * with libyaml's event API (YAML: every event taken and deleted, nothing
 * built) or json-c's tokener (JSON: the DOM it builds is freed), and
 * prints nothing but a count. bench/run.sh times it as a process next to
 * `swaggate lint`; the ratio of the two is the headline figure.
 * Usage: parse_floor [--json|--yaml] FILE   (default: by the name, .json
 * is JSON, anything else YAML)
 * Exit status: 0 parsed, 1 syntax error, 2 unreadable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <yaml.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int parse_yaml(const unsigned char *text, size_t len, unsigned long *events)
{
    yaml_parser_t p;
    yaml_event_t ev;
    if (!yaml_parser_initialize(&p))
        return 2;
    yaml_parser_set_input_string(&p, text, len);
    int rc = 0;
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "parse_floor: YAML error: %s\n", p.problem ? p.problem : "?");
            rc = 1;
            break;
        }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        ++*events;
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return rc;
}

static int parse_json(const unsigned char *text, size_t len, unsigned long *events)
{
    struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH * 4);
    if (!tok)
        return 2;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    /* json_tokener_parse_ex takes an int length: feed big files in pieces */
    struct json_object *root = NULL;
    enum json_tokener_error err = json_tokener_continue;
    size_t off = 0;
    while (off < len && err == json_tokener_continue) {
        size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
        root = json_tokener_parse_ex(tok, (const char *)text + off, (int)n);
        err = json_tokener_get_error(tok);
        off += n;
    }
    int rc = 0;
    if (!root || err != json_tokener_success) {
        fprintf(stderr, "parse_floor: JSON error: %s\n", json_tokener_error_desc(err));
        rc = 1;
    } else {
        *events = (unsigned long)json_object_get_type(root);
    }
    json_object_put(root);
    json_tokener_free(tok);
    return rc;
}

int main(int argc, char **argv)
{
    int json = -1, a = 1;
    if (a < argc && strcmp(argv[a], "--json") == 0)
        json = 1, a++;
    else if (a < argc && strcmp(argv[a], "--yaml") == 0)
        json = 0, a++;
    if (a + 1 != argc) {
        fprintf(stderr, "usage: parse_floor [--json|--yaml] FILE\n");
        return 2;
    }
    const char *path = argv[a];
    if (json < 0) {
        size_t n = strlen(path);
        json = n >= 5 && strcmp(path + n - 5, ".json") == 0;
    }
    size_t len = 0;
    unsigned char *text = slurp(path, &len);
    if (!text) {
        perror(path);
        return 2;
    }
    unsigned long events = 0;
    int rc = json ? parse_json(text, len, &events) : parse_yaml(text, len, &events);
    free(text);
    if (rc == 0)
        printf("%lu\n", events);
    return rc;
}
