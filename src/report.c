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
    int started;              /* JSON: the document's opening is written */
    int finished;
    sg_status status;         /* sticky: the first write or memory failure */
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
