/* Reporters: a list of diagnostics to text or JSON (ARCHITECTURE.md,
 * "Diagnostics and reporters"). They only format: everything they show comes
 * from the public sg_diagnostic fields, and nothing here knows a checker.
 *
 * Text:  file:line:col: severity: message [rule, APIG.xxxx]
 *        then, with show_source, the source line and a caret under the
 *        column, and a "note:" line for a related location. Nothing is
 *        printed for a clean file, and the closing summary line is printed
 *        only when something was found: a clean run is silent, as compilers
 *        and linters are, so `swaggate lint` fits a pre-commit hook.
 * JSON:  one document (the versioned machine contract, see man/swaggate.1):
 *        {"version":1,"files":[...],"summary":{"errors":..,"warnings":..,"infos":..}}
 *        streamed file by file, so a run over many files keeps little memory.
 * SARIF: SARIF 2.1.0 as GitHub code scanning reads it; results streamed,
 *        the tool and its rules (the catalog) written at the end.
 * GitHub: workflow commands (::error file=..,line=..,col=..,title=rule::msg),
 *        one line per finding, no summary (any other line is plain log).
 * JUnit: one <testsuite>, one <testcase> per file, one <failure> per error;
 *        kept in memory until the end, since the counts lead the document.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Lines wider than this (display cells) are shown as a window around the
 * column, so a minified one-line JSON file does not flood the terminal. */
enum { S_LINE_MAX = 120, S_WINDOW = 100, S_WINDOW_LEAD = 50 };

#define S_RESET "\033[0m"
#define S_BOLD "\033[1m"
#define S_DIM "\033[2m"
#define S_RED "\033[1;31m"
#define S_YELLOW "\033[1;33m"
#define S_CYAN "\033[1;36m"
#define S_GREEN "\033[1;32m"

struct sg_reporter {
    FILE *out;                /* borrowed */
    sg_report_options opt;
    size_t files;             /* files reported */
    size_t files_found;       /* ... of which with at least one finding */
    size_t tally[3];          /* by severity, those dropped over the limit too */
    int started;              /* JSON, SARIF: the document's opening is written */
    size_t results;           /* SARIF: results written */
    int finished;
    sg_status status;         /* sticky: the first write or memory failure */
    sgi_buf body;             /* JUnit: the test cases, written at the end */
    size_t failing;           /* JUnit: test cases with a failure */
    char **extra;             /* SARIF: rule ids not in the catalog */
    size_t nextra;
};

/* ---- UTF-8 and display width ------------------------------------------ */

/* Length (1-4) of the valid UTF-8 sequence at S (N bytes left) and its code
 * point in *CP; 0 when the byte at S does not start one (overlong forms,
 * surrogates and values past U+10FFFF are invalid too). */
static size_t S_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Characters that must not reach a terminal as they are (HOSTILE.md item
 * 18): C0/C1 controls, DEL, bidirectional controls, zero-width characters,
 * line and paragraph separators, a stray BOM. */
static int S_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Terminal cells of a printable code point: 2 for East Asian wide and
 * fullwidth forms and emoji, 0 for common combining marks, else 1. A small
 * table rather than wcwidth(), which needs setlocale(). */
static unsigned S_width(uint32_t cp)
{
    static const uint32_t wide[][2] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
        (cp >= 0xFE20 && cp <= 0xFE2F))
        return 0;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

/* Append S with what S_unsafe() names escaped as \uXXXX and invalid UTF-8
 * bytes as \xXX. Messages come escaped already; file names and anything else
 * the text reporter prints go through here too, so that no input reaches the
 * terminal raw. Idempotent: a backslash is left as it is. */
static void S_put_safe(sgi_buf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s), i = 0, run = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = S_utf8(s + i, n - i, &cp);
        if (len && !S_unsafe(cp)) {
            i += len;
            continue;
        }
        sgi_buf_append(b, (const char *)s + run, i - run);
        if (len)
            sgi_buf_printf(b, "\\u%04x", (unsigned)cp);
        else
            sgi_buf_printf(b, "\\x%02X", (unsigned)s[i]);
        i += len ? len : 1;
        run = i;
    }
    sgi_buf_append(b, (const char *)s + run, n - run);
}

/* Append STR as a JSON string. JSON text must be UTF-8, so invalid bytes
 * (a file name is any bytes) become the text \xXX, as in messages. */
static void S_put_json(sgi_buf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s), i = 0;
    uint32_t cp;
    while (i < n) {
        size_t len = S_utf8(s + i, n - i, &cp);
        if (!len)
            break;
        i += len;
    }
    if (i == n) {
        sgi_buf_json_string(b, (const char *)s, n);
        return;
    }
    sgi_buf clean = {0};
    for (i = 0; i < n;) {
        size_t len = S_utf8(s + i, n - i, &cp);
        if (len) {
            sgi_buf_append(&clean, (const char *)s + i, len);
            i += len;
        } else {
            sgi_buf_printf(&clean, "\\x%02X", (unsigned)s[i++]);
        }
    }
    if (clean.oom)
        b->oom = 1;
    else
        sgi_buf_json_string(b, clean.data, clean.len);
    sgi_buf_fini(&clean);
}

/* ---- source line and caret -------------------------------------------- */

/* One column of the source line. diag.c gives each code point of the input
 * line one code point in source_line (an unsafe one becomes '?', a tab a
 * one-cell arrow), so columns and code points agree; a raw tab is shown as a
 * space, and anything still unsafe is escaped and shown wider, the caret
 * following it. */
typedef enum { S_CELL_COPY, S_CELL_SPACE, S_CELL_ESC_U, S_CELL_ESC_X } s_cell_kind;

typedef struct s_cell {
    size_t len;     /* bytes of the line it takes */
    unsigned width; /* terminal cells it is shown in */
    s_cell_kind kind;
    uint32_t cp;    /* for S_CELL_ESC_U / S_CELL_ESC_X */
} s_cell;

static s_cell S_cell_at(const unsigned char *s, size_t n)
{
    s_cell c = {1, 1, S_CELL_COPY, 0};
    c.len = S_utf8(s, n, &c.cp);
    if (!c.len) {
        c.len = 1, c.width = 4, c.kind = S_CELL_ESC_X, c.cp = s[0];
    } else if (c.cp == '\t') {
        c.kind = S_CELL_SPACE; /* one column in, one cell out: the caret stays true */
    } else if (S_unsafe(c.cp)) {
        c.width = 6, c.kind = S_CELL_ESC_U;
    } else {
        c.width = S_width(c.cp);
    }
    return c;
}

static void S_cell_put(sgi_buf *b, const unsigned char *s, const s_cell *c)
{
    switch (c->kind) {
    case S_CELL_COPY:
        sgi_buf_append(b, (const char *)s, c->len);
        break;
    case S_CELL_SPACE:
        sgi_buf_puts(b, " ");
        break;
    case S_CELL_ESC_U:
        sgi_buf_printf(b, "\\u%04x", (unsigned)c->cp);
        break;
    case S_CELL_ESC_X:
        sgi_buf_printf(b, "\\x%02X", (unsigned)c->cp);
        break;
    }
}

/* Append the source line of D with a caret under its column:
 *     12 |   "name": 5
 *        |           ^
 * Nothing when the column lies past the end of the line (the line was cut,
 * or the position is not on it): a caret in the wrong place misleads. */
static void S_put_source(sgi_buf *b, const sg_diagnostic *d, int color)
{
    const unsigned char *s = (const unsigned char *)d->source_line;
    size_t n = strlen(d->source_line), i, col = 1;
    size_t total = 0, caret = 0, caret_w = 1;
    int found = 0;

    if (d->start.column == 0)
        return;
    /* Pass 1: the display offset of the caret and the width of the line. */
    for (i = 0; i < n; col++) {
        s_cell c = S_cell_at(s + i, n - i);
        if (col == d->start.column) {
            caret = total, caret_w = c.width ? c.width : 1, found = 1;
        }
        total += c.width;
        i += c.len;
    }
    if (!found && col == d->start.column)
        caret = total, found = 1; /* just past the end: "unexpected end of line" */
    if (!found)
        return;

    size_t from = 0, to = total;
    if (total > S_LINE_MAX) {
        from = caret > S_WINDOW_LEAD ? caret - S_WINDOW_LEAD : 0;
        to = from + S_WINDOW;
        if (to > total) {
            to = total;
            from = total - S_WINDOW;
        }
        if (caret + caret_w > to)
            to = caret + caret_w; /* a wide cell at the edge */
    }

    char num[24];
    int numw = snprintf(num, sizeof num, "%u", d->start.line);
    if (numw < 5)
        numw = 5;
    sgi_buf_printf(b, "%*s | ", numw, num);

    /* Pass 2: the cells that fit the window [from, to). */
    size_t at = 0, shown_from = 0, lead = 0;
    int first = 1, cut_end = 0;
    for (i = 0; i < n;) {
        s_cell c = S_cell_at(s + i, n - i);
        if (at >= from && at + c.width <= to) {
            if (first) {
                shown_from = at, first = 0;
                if (at > 0) {
                    sgi_buf_puts(b, "...");
                    lead = 3;
                }
            }
            S_cell_put(b, s + i, &c);
        } else if (at >= to) {
            cut_end = 1;
            break;
        }
        at += c.width;
        i += c.len;
    }
    if (first)
        shown_from = caret; /* an empty window: only the caret */
    if (cut_end)
        sgi_buf_puts(b, "...");
    sgi_buf_printf(b, "\n%*s | %*s", numw, "", (int)(lead + caret - shown_from), "");
    sgi_buf_puts(b, color ? S_GREEN "^" S_RESET "\n" : "^\n");
}

/* ---- text ------------------------------------------------------------- */

static const char *S_sev_color(sg_severity sev)
{
    return sev == SG_SEVERITY_ERROR ? S_RED : sev == SG_SEVERITY_WARNING ? S_YELLOW : S_CYAN;
}

/* "file:line:col:" (or "file:" without a position), bold in colour. */
static void S_put_where(sgi_buf *b, const char *file, const sg_mark *at, int color)
{
    if (color)
        sgi_buf_puts(b, S_BOLD);
    S_put_safe(b, file);
    if (at->line) {
        sgi_buf_printf(b, ":%u", at->line);
        if (at->column)
            sgi_buf_printf(b, ":%u", at->column);
    }
    sgi_buf_puts(b, color ? ":" S_RESET " " : ": ");
}

static void S_text_diag(sgi_buf *b, const sg_reporter *r, const char *file, const sg_diagnostic *d)
{
    int color = r->opt.color;
    const char *dfile = d->file ? d->file : file;

    S_put_where(b, dfile, &d->start, color);
    if (color)
        sgi_buf_printf(b, "%s%s:" S_RESET " ", S_sev_color(d->severity),
                       sg_severity_name(d->severity));
    else
        sgi_buf_printf(b, "%s: ", sg_severity_name(d->severity));
    S_put_safe(b, d->message);
    if (d->rule || d->apig_code) {
        sgi_buf_puts(b, color ? " " S_DIM "[" : " [");
        S_put_safe(b, d->rule ? d->rule : "");
        if (d->rule && d->apig_code)
            sgi_buf_puts(b, ", ");
        if (d->apig_code)
            S_put_safe(b, d->apig_code);
        sgi_buf_puts(b, color ? "]" S_RESET : "]");
    }
    sgi_buf_puts(b, "\n");
    if (r->opt.show_source && d->source_line)
        S_put_source(b, d, color);
    if (d->has_related) {
        S_put_where(b, d->related_file ? d->related_file : dfile, &d->related, color);
        sgi_buf_puts(b, color ? S_CYAN "note:" S_RESET " " : "note: ");
        S_put_safe(b, d->related_message ? d->related_message : "related location");
        sgi_buf_puts(b, "\n");
    }
}

/* ---- JSON ------------------------------------------------------------- */

static void S_json_diag(sgi_buf *b, const sg_diagnostic *d, const char *file)
{
    sgi_buf_puts(b, "{\"severity\":");
    S_put_json(b, sg_severity_name(d->severity));
    sgi_buf_puts(b, ",\"rule\":");
    S_put_json(b, d->rule);
    sgi_buf_puts(b, ",\"message\":");
    S_put_json(b, d->message);
    /* line and column 0: the finding has no position (an I/O error). */
    sgi_buf_printf(b, ",\"line\":%u,\"column\":%u", d->start.line, d->start.column);
    if (d->pointer) {
        sgi_buf_puts(b, ",\"pointer\":");
        S_put_json(b, d->pointer);
    }
    if (d->apig_code) {
        sgi_buf_puts(b, ",\"apig_code\":");
        S_put_json(b, d->apig_code);
    }
    if (d->has_related) {
        sgi_buf_puts(b, ",\"related\":{\"file\":");
        S_put_json(b, d->related_file ? d->related_file : d->file ? d->file : file);
        sgi_buf_printf(b, ",\"line\":%u,\"column\":%u,\"message\":", d->related.line,
                       d->related.column);
        S_put_json(b, d->related_message ? d->related_message : "");
        sgi_buf_puts(b, "}");
    }
    sgi_buf_puts(b, "}");
}

static int S_same(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Entries of one reported file: FILE first, with every diagnostic that names
 * it (or no file); then one entry per other file that diagnostics name (a
 * document pulled in through $ref), in order of first appearance. */
static void S_json_file(sgi_buf *b, const char *file, const sg_diagnostics *diags)
{
    size_t n = diags ? sg_diagnostics_count(diags) : 0;
    const char *name = file;
    size_t next = 0; /* where to look for the next other file */

    for (;;) {
        int first = 1;
        sgi_buf_puts(b, "{\"file\":");
        S_put_json(b, name);
        sgi_buf_puts(b, ",\"diagnostics\":[");
        for (size_t i = 0; i < n; i++) {
            const sg_diagnostic *d = sg_diagnostics_get(diags, i);
            const char *f = d->file ? d->file : file;
            if (!S_same(f, name))
                continue;
            if (!first)
                sgi_buf_puts(b, ",");
            first = 0;
            S_json_diag(b, d, file);
        }
        sgi_buf_puts(b, "]}");

        /* The next file name not seen before. Sorted input (the CLI sorts)
         * keeps this linear: a name equal to its predecessor was seen. */
        name = NULL;
        for (; next < n && !name; next++) {
            const char *f = sg_diagnostics_get(diags, next)->file;
            if (!f || S_same(f, file))
                continue;
            if (next > 0) {
                const char *p = sg_diagnostics_get(diags, next - 1)->file;
                if (p && S_same(p, f))
                    continue;
            }
            int seen = 0;
            for (size_t j = 0; j < next && !seen; j++) {
                const char *g = sg_diagnostics_get(diags, j)->file;
                seen = g && S_same(g, f);
            }
            if (!seen)
                name = f;
        }
        if (!name)
            return;
        sgi_buf_puts(b, ",");
    }
}

/* ---- SARIF ------------------------------------------------------------ */

/* Append FILE as a URI reference: a relative path stays relative ("./"
 * dropped), an absolute one becomes file:///...; bytes outside RFC 3986's
 * unreserved set and '/' are percent-encoded. */
static void S_put_uri(sgi_buf *b, const char *file)
{
    static const char hex[] = "0123456789ABCDEF";
    sgi_buf u = {0};
    const unsigned char *p = (const unsigned char *)(file ? file : "");
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (*p == '/')
        sgi_buf_puts(&u, "file://");
    for (; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            sgi_buf_append(&u, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sgi_buf_append(&u, e, 3);
        }
    }
    if (u.oom)
        b->oom = 1;
    else
        sgi_buf_json_string(b, u.data ? u.data : "", u.len);
    sgi_buf_fini(&u);
}

static const char *S_sarif_level(sg_severity sev)
{
    return sev == SG_SEVERITY_ERROR ? "error" : sev == SG_SEVERITY_WARNING ? "warning" : "note";
}

/* A location object for FILE at AT, a region only with a line; with
 * MESSAGE (a related location) also an id and the message. */
static void S_sarif_location(sgi_buf *b, const char *file, const sg_mark *at, const char *message)
{
    sgi_buf_puts(b, "{");
    if (message) {
        sgi_buf_puts(b, "\"id\":1,\"message\":{\"text\":");
        S_put_json(b, message);
        sgi_buf_puts(b, "},");
    }
    sgi_buf_puts(b, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    S_put_uri(b, file);
    sgi_buf_puts(b, "}");
    if (at->line) {
        sgi_buf_printf(b, ",\"region\":{\"startLine\":%u", at->line);
        if (at->column)
            sgi_buf_printf(b, ",\"startColumn\":%u", at->column);
        sgi_buf_puts(b, "}");
    }
    sgi_buf_puts(b, "}}");
}

/* The index of RULE in the driver's rules[]: the catalog's order, then the
 * ids outside it in order of first use (added here). -1 when out of memory. */
static long S_sarif_rule_index(sg_reporter *r, const char *rule)
{
    const sg_rule *known = sg_rule_find(rule);
    size_t ncat = 0;
    if (known)
        return (long)(known - sg_rule_at(0));
    while (sg_rule_at(ncat))
        ncat++;
    for (size_t i = 0; i < r->nextra; i++)
        if (strcmp(r->extra[i], rule) == 0)
            return (long)(ncat + i);
    char **grown = realloc(r->extra, (r->nextra + 1) * sizeof *grown);
    if (!grown)
        return -1;
    r->extra = grown;
    if (!(r->extra[r->nextra] = strdup(rule)))
        return -1;
    return (long)(ncat + r->nextra++);
}

static sg_status S_sarif_diag(sgi_buf *b, sg_reporter *r, const char *file, const sg_diagnostic *d)
{
    const char *rule = d->rule ? d->rule : "unknown";
    long idx = S_sarif_rule_index(r, rule);
    if (idx < 0)
        return SG_ENOMEM;
    sgi_buf_puts(b, r->results++ ? ",\n" : "\n");
    sgi_buf_puts(b, "{\"ruleId\":");
    S_put_json(b, rule);
    sgi_buf_printf(b, ",\"ruleIndex\":%ld,\"level\":\"%s\",\"message\":{\"text\":", idx,
                   S_sarif_level(d->severity));
    S_put_json(b, d->message);
    sgi_buf_puts(b, "},\"locations\":[");
    S_sarif_location(b, d->file ? d->file : file, &d->start, NULL);
    sgi_buf_puts(b, "]");
    if (d->has_related) {
        sgi_buf_puts(b, ",\"relatedLocations\":[");
        S_sarif_location(b, d->related_file ? d->related_file : d->file ? d->file : file,
                         &d->related, d->related_message ? d->related_message : "related location");
        sgi_buf_puts(b, "]");
    }
    if (d->pointer || d->apig_code) {
        int first = 1;
        sgi_buf_puts(b, ",\"properties\":{");
        if (d->pointer) {
            sgi_buf_puts(b, "\"pointer\":");
            S_put_json(b, d->pointer);
            first = 0;
        }
        if (d->apig_code) {
            sgi_buf_puts(b, first ? "\"apigCode\":" : ",\"apigCode\":");
            S_put_json(b, d->apig_code);
        }
        sgi_buf_puts(b, "}");
    }
    sgi_buf_puts(b, "}");
    return SG_OK;
}

static void S_sarif_rule(sgi_buf *b, const char *id, const sg_rule *rule)
{
    sgi_buf_puts(b, "{\"id\":");
    S_put_json(b, id);
    if (rule) {
        sgi_buf_puts(b, ",\"shortDescription\":{\"text\":");
        S_put_json(b, rule->summary);
        sgi_buf_puts(b, "},\"fullDescription\":{\"text\":");
        S_put_json(b, rule->description ? rule->description : rule->summary);
        sgi_buf_printf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"}",
                       S_sarif_level(rule->severity));
        sgi_buf_puts(b, ",\"properties\":{\"checker\":");
        S_put_json(b, rule->checker);
        if (rule->apig_code) {
            sgi_buf_puts(b, ",\"apigCode\":");
            S_put_json(b, rule->apig_code);
        }
        sgi_buf_puts(b, "}");
    } else {
        sgi_buf_puts(b, ",\"shortDescription\":{\"text\":");
        S_put_json(b, id);
        sgi_buf_puts(b, "}");
    }
    sgi_buf_puts(b, "}");
}

/* What closes the run: the tool with every rule of the catalog (so that a
 * ruleIndex is the catalog index) and those met outside it. Columns count
 * code points, as swaggate's do; SARIF's default is UTF-16 units. */
static void S_sarif_finish(sgi_buf *b, const sg_reporter *r)
{
    const sg_rule *rule;
    sgi_buf_puts(b, r->results ? "\n]," : "],");
    /* the totals, those over the diagnostics limit too, as in JSON */
    sgi_buf_printf(b, "\"properties\":{\"files\":%zu,\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu},",
                   r->files, r->tally[SG_SEVERITY_ERROR], r->tally[SG_SEVERITY_WARNING],
                   r->tally[SG_SEVERITY_INFO]);
    sgi_buf_puts(b, "\"columnKind\":\"unicodeCodePoints\",\"tool\":{\"driver\":{"
                    "\"name\":\"swaggate\",\"version\":");
    S_put_json(b, sg_version());
    sgi_buf_puts(b, ",\"semanticVersion\":");
    S_put_json(b, sg_version());
    sgi_buf_puts(b, ",\"rules\":[");
    size_t i;
    for (i = 0; (rule = sg_rule_at(i)) != NULL; i++) {
        sgi_buf_puts(b, i ? ",\n" : "\n");
        S_sarif_rule(b, rule->id, rule);
    }
    for (size_t k = 0; k < r->nextra; k++) {
        sgi_buf_puts(b, i + k ? ",\n" : "\n");
        S_sarif_rule(b, r->extra[k], NULL);
    }
    sgi_buf_puts(b, "]}}}]}\n");
}

/* ---- GitHub workflow commands ----------------------------------------- */

/* Append S escaped as GitHub's runner unescapes: %, CR and LF everywhere,
 * and in a property value also ',' and ':' (they end the value). Text goes
 * through S_put_safe first, so no raw control character reaches the log. */
static void S_put_gh(sgi_buf *b, const char *str, int property)
{
    sgi_buf safe = {0};
    S_put_safe(&safe, str);
    if (safe.oom)
        b->oom = 1;
    for (size_t i = 0; i < safe.len; i++) {
        char c = safe.data[i];
        if (c == '%')
            sgi_buf_puts(b, "%25");
        else if (c == '\r')
            sgi_buf_puts(b, "%0D");
        else if (c == '\n')
            sgi_buf_puts(b, "%0A");
        else if (property && c == ':')
            sgi_buf_puts(b, "%3A");
        else if (property && c == ',')
            sgi_buf_puts(b, "%2C");
        else
            sgi_buf_append(b, &c, 1);
    }
    sgi_buf_fini(&safe);
}

static void S_github_diag(sgi_buf *b, const char *file, const sg_diagnostic *d)
{
    const char *cmd = d->severity == SG_SEVERITY_ERROR     ? "error"
                      : d->severity == SG_SEVERITY_WARNING ? "warning"
                                                           : "notice";
    sgi_buf_printf(b, "::%s file=", cmd);
    S_put_gh(b, d->file ? d->file : file, 1);
    if (d->start.line) {
        sgi_buf_printf(b, ",line=%u", d->start.line);
        if (d->start.column)
            sgi_buf_printf(b, ",col=%u", d->start.column);
    }
    if (d->rule) {
        sgi_buf_puts(b, ",title=");
        S_put_gh(b, d->rule, 1);
    }
    sgi_buf_puts(b, "::");
    S_put_gh(b, d->message, 0);
    if (d->apig_code) {
        sgi_buf_puts(b, " [");
        S_put_gh(b, d->apig_code, 0);
        sgi_buf_puts(b, "]");
    }
    if (d->has_related) {
        /* a second line of the annotation: the related place */
        sg_mark m = d->related;
        sgi_buf_puts(b, "%0Anote: ");
        S_put_gh(b, d->related_file ? d->related_file : d->file ? d->file : file, 0);
        if (m.line)
            sgi_buf_printf(b, ":%u:%u", m.line, m.column);
        sgi_buf_puts(b, ": ");
        S_put_gh(b, d->related_message ? d->related_message : "related location", 0);
    }
    sgi_buf_puts(b, "\n");
}

/* ---- JUnit XML -------------------------------------------------------- */

/* Append S for XML text or an attribute value: made safe first (no control
 * character, which XML 1.0 forbids, survives S_put_safe), then the five
 * markup characters as entities. */
static void S_put_xml(sgi_buf *b, const char *str)
{
    sgi_buf safe = {0};
    S_put_safe(&safe, str);
    if (safe.oom)
        b->oom = 1;
    for (size_t i = 0; i < safe.len; i++) {
        char c = safe.data[i];
        switch (c) {
        case '&': sgi_buf_puts(b, "&amp;"); break;
        case '<': sgi_buf_puts(b, "&lt;"); break;
        case '>': sgi_buf_puts(b, "&gt;"); break;
        case '"': sgi_buf_puts(b, "&quot;"); break;
        case '\'': sgi_buf_puts(b, "&apos;"); break;
        default: sgi_buf_append(b, &c, 1);
        }
    }
    sgi_buf_fini(&safe);
}

/* "file:line:col: " of D, for the text of a failure or a system-out line. */
static void S_junit_where(sgi_buf *b, const char *file, const sg_diagnostic *d)
{
    S_put_xml(b, d->file ? d->file : file);
    if (d->start.line)
        sgi_buf_printf(b, ":%u:%u", d->start.line, d->start.column);
    sgi_buf_puts(b, ": ");
}

/* One test case for FILE: a <failure> per error; warnings and infos, which
 * do not fail a run (exit status 0), are listed in <system-out>. */
static void S_junit_file(sg_reporter *r, const char *file, const sg_diagnostics *diags)
{
    sgi_buf *b = &r->body;
    size_t n = diags ? sg_diagnostics_count(diags) : 0, errors = 0, others = 0;
    for (size_t i = 0; i < n; i++) {
        if (sg_diagnostics_get(diags, i)->severity == SG_SEVERITY_ERROR)
            errors++;
        else
            others++;
    }
    /* errors dropped over the limit still fail the file */
    if (!errors && diags && sg_diagnostics_tally(diags, SG_SEVERITY_ERROR))
        errors = 1;
    sgi_buf_puts(b, "  <testcase classname=\"swaggate\" name=\"");
    S_put_xml(b, file);
    if (!errors && !others) {
        sgi_buf_puts(b, "\"/>\n");
        return;
    }
    sgi_buf_puts(b, "\">\n");
    for (size_t i = 0; i < n; i++) {
        const sg_diagnostic *d = sg_diagnostics_get(diags, i);
        if (d->severity != SG_SEVERITY_ERROR)
            continue;
        sgi_buf_puts(b, "    <failure type=\"");
        S_put_xml(b, d->rule ? d->rule : "unknown");
        sgi_buf_puts(b, "\" message=\"");
        S_put_xml(b, d->message);
        sgi_buf_puts(b, "\">");
        S_junit_where(b, file, d);
        S_put_xml(b, d->message);
        sgi_buf_puts(b, " [");
        S_put_xml(b, d->rule ? d->rule : "unknown");
        if (d->apig_code) {
            sgi_buf_puts(b, ", ");
            S_put_xml(b, d->apig_code);
        }
        sgi_buf_puts(b, "]</failure>\n");
    }
    if (errors && n == 0) {
        sgi_buf_puts(b, "    <failure type=\"limit\" message=\"findings not kept (over the "
                        "diagnostics limit)\"/>\n");
    }
    if (others) {
        sgi_buf_puts(b, "    <system-out>");
        for (size_t i = 0; i < n; i++) {
            const sg_diagnostic *d = sg_diagnostics_get(diags, i);
            if (d->severity == SG_SEVERITY_ERROR)
                continue;
            S_junit_where(b, file, d);
            sgi_buf_printf(b, "%s: ", sg_severity_name(d->severity));
            S_put_xml(b, d->message);
            sgi_buf_puts(b, " [");
            S_put_xml(b, d->rule ? d->rule : "unknown");
            sgi_buf_puts(b, "]\n");
        }
        sgi_buf_puts(b, "</system-out>\n");
    }
    sgi_buf_puts(b, "  </testcase>\n");
    if (errors)
        r->failing++;
}

/* ---- the reporter ----------------------------------------------------- */

/* Write B out; the first failure sticks to R. */
static sg_status S_write(sg_reporter *r, sgi_buf *b)
{
    if (r->status != SG_OK)
        return r->status;
    if (b->oom)
        return r->status = SG_ENOMEM;
    if (b->len && fwrite(b->data, 1, b->len, r->out) != b->len)
        return r->status = SG_EINPUT;
    if (ferror(r->out))
        return r->status = SG_EINPUT;
    b->len = 0;
    return SG_OK;
}

sg_reporter *sg_reporter_new(FILE *out, const sg_report_options *options)
{
    if (!out || !options)
        return NULL;
    sg_reporter *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->out = out;
    r->opt = *options;
    r->status = SG_OK;
    return r;
}

void sg_reporter_free(sg_reporter *reporter)
{
    if (!reporter)
        return;
    sgi_buf_fini(&reporter->body);
    for (size_t i = 0; i < reporter->nextra; i++)
        free(reporter->extra[i]);
    free(reporter->extra);
    free(reporter);
}

sg_status sg_reporter_file(sg_reporter *r, const char *file, const sg_diagnostics *diags)
{
    if (!r || !file || r->finished)
        return SG_EUSAGE;
    if (r->status != SG_OK)
        return r->status;

    size_t n = diags ? sg_diagnostics_count(diags) : 0, found = 0;
    for (int sev = SG_SEVERITY_INFO; sev <= SG_SEVERITY_ERROR; sev++) {
        size_t t = diags ? sg_diagnostics_tally(diags, (sg_severity)sev) : 0;
        r->tally[sev] += t;
        found += t;
    }
    r->files++;
    if (found)
        r->files_found++;

    sgi_buf b = {0};
    sg_status st = SG_OK;
    if (r->opt.format == SG_REPORT_JSON) {
        sgi_buf_puts(&b, r->started ? "," : "{\"version\":1,\"files\":[");
        r->started = 1;
        S_json_file(&b, file, diags);
        st = S_write(r, &b);
    } else if (r->opt.format == SG_REPORT_SARIF) {
        if (!r->started) {
            sgi_buf_puts(&b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                             "\"version\":\"2.1.0\",\"runs\":[{\"results\":[");
            r->started = 1;
        }
        for (size_t i = 0; i < n && st == SG_OK; i++) {
            st = S_sarif_diag(&b, r, file, sg_diagnostics_get(diags, i));
            if (st == SG_OK)
                st = S_write(r, &b);
            else
                r->status = st;
        }
        if (st == SG_OK)
            st = S_write(r, &b);
    } else if (r->opt.format == SG_REPORT_JUNIT) {
        S_junit_file(r, file, diags);
        if (r->body.oom)
            st = r->status = SG_ENOMEM;
    } else if (r->opt.format == SG_REPORT_GITHUB) {
        for (size_t i = 0; i < n && st == SG_OK; i++) {
            S_github_diag(&b, file, sg_diagnostics_get(diags, i));
            st = S_write(r, &b);
        }
        if (st == SG_OK && found > n) {
            sgi_buf_puts(&b, "::notice file=");
            S_put_gh(&b, file, 1);
            sgi_buf_printf(&b, ",title=limit::%zu more finding%s not shown (over the "
                               "\"diagnostics\" limit)\n",
                           found - n, found - n == 1 ? "" : "s");
            st = S_write(r, &b);
        }
    } else {
        /* One diagnostic at a time: memory stays flat on long lists. */
        for (size_t i = 0; i < n && st == SG_OK; i++) {
            S_text_diag(&b, r, file, sg_diagnostics_get(diags, i));
            st = S_write(r, &b);
        }
        if (st == SG_OK && found > n) {
            S_put_where(&b, file, &(sg_mark){0, 0, 0}, r->opt.color);
            sgi_buf_printf(&b, "%snote:%s %zu more finding%s not shown (over the \"diagnostics\" limit)\n",
                           r->opt.color ? S_CYAN : "", r->opt.color ? S_RESET : "", found - n,
                           found - n == 1 ? "" : "s");
            st = S_write(r, &b);
        }
    }
    sgi_buf_fini(&b);
    return st;
}

static void S_count(sgi_buf *b, size_t n, const char *what, int *first)
{
    if (!n)
        return;
    sgi_buf_printf(b, "%s%zu %s%s", *first ? "" : ", ", n, what, n == 1 ? "" : "s");
    *first = 0;
}

sg_status sg_reporter_finish(sg_reporter *r)
{
    if (!r || r->finished)
        return SG_EUSAGE;
    r->finished = 1;
    if (r->status != SG_OK)
        return r->status;

    sgi_buf b = {0};
    if (r->opt.format == SG_REPORT_JSON) {
        sgi_buf_puts(&b, r->started ? "]" : "{\"version\":1,\"files\":[]");
        sgi_buf_printf(&b, ",\"summary\":{\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu}}\n",
                       r->tally[SG_SEVERITY_ERROR], r->tally[SG_SEVERITY_WARNING],
                       r->tally[SG_SEVERITY_INFO]);
    } else if (r->opt.format == SG_REPORT_SARIF) {
        if (!r->started)
            sgi_buf_puts(&b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                             "\"version\":\"2.1.0\",\"runs\":[{\"results\":[");
        S_sarif_finish(&b, r);
    } else if (r->opt.format == SG_REPORT_JUNIT) {
        /* failures counts failing test cases (files), as JUnit's schema says */
        sgi_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<testsuite name=\"swaggate\" tests=\"%zu\" failures=\"%zu\" "
                           "errors=\"0\" skipped=\"0\">\n",
                       r->files, r->failing);
        sgi_buf_printf(&b, "  <properties>\n"
                           "    <property name=\"errors\" value=\"%zu\"/>\n"
                           "    <property name=\"warnings\" value=\"%zu\"/>\n"
                           "    <property name=\"infos\" value=\"%zu\"/>\n"
                           "  </properties>\n",
                       r->tally[SG_SEVERITY_ERROR], r->tally[SG_SEVERITY_WARNING],
                       r->tally[SG_SEVERITY_INFO]);
        if (r->body.len)
            sgi_buf_append(&b, r->body.data, r->body.len);
        if (r->body.oom)
            b.oom = 1;
        sgi_buf_puts(&b, "</testsuite>\n");
    } else if (r->opt.format == SG_REPORT_GITHUB) {
        /* nothing: a summary would be a plain log line */
    } else if (r->files_found) {
        /* e.g. "2 errors, 1 warning in 3 files", "1 error in 1 of 4 files" */
        int first = 1;
        if (r->opt.color)
            sgi_buf_puts(&b, S_BOLD);
        S_count(&b, r->tally[SG_SEVERITY_ERROR], "error", &first);
        S_count(&b, r->tally[SG_SEVERITY_WARNING], "warning", &first);
        S_count(&b, r->tally[SG_SEVERITY_INFO], "info", &first);
        if (r->files_found == r->files)
            sgi_buf_printf(&b, " in %zu file%s", r->files, r->files == 1 ? "" : "s");
        else
            sgi_buf_printf(&b, " in %zu of %zu files", r->files_found, r->files);
        sgi_buf_puts(&b, r->opt.color ? S_RESET "\n" : "\n");
    }
    sg_status st = S_write(r, &b);
    sgi_buf_fini(&b);
    if (st == SG_OK && fflush(r->out) != 0)
        st = r->status = SG_EINPUT;
    return st;
}
