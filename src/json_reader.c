/* Strict RFC 8259 JSON scanner: bytes to sgi_events.
 *
 * json-c's tokener accepts NaN, "-01", "2.", raw tabs in strings, single
 * quotes and more (HOSTILE.md 1.1), loses key lengths and knows no lines,
 * so JSON gets a scanner of its own.  It pulls the text CHUNK bytes at a
 * time into a window of its own, as if it read a stream, so every token may
 * straddle a window edge; the results never depend on CHUNK.  Decoded tokens
 * are built in a separate buffer, nesting is an explicit stack, and the
 * first syntax error becomes one diagnostic with a hint.
 *
 * Columns count code points lazily: a reference point (ref_p, ref_col) on
 * the current line moves forward whenever a mark is taken, so each byte is
 * counted once whatever the number of marks; while the line has shown no
 * byte above 0x7F (the flag wide), bytes are code points and nothing is
 * counted at all. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

typedef struct jr {
    sgi_source *src;
    const sg_limits *limits;
    sg_diagnostics *diags;
    sgi_event_fn fn;
    void *ctx;

    const unsigned char *p, *end; /* unread part of the window */
    const unsigned char *win;     /* window start */
    unsigned char *own;           /* our window buffer (chunked mode) */
    size_t chunk;
    size_t base; /* offset of win[0] in the file */
    size_t fed;  /* offset of the next byte to pull */

    unsigned line;
    unsigned ref_col;
    const unsigned char *ref_p;
    int wide; /* a byte above 0x7F was consumed since the line began */

    char *tok; /* the current token, decoded, NUL-terminated */
    size_t tlen, tcap;

    unsigned char *kinds; /* open containers: '{' or '[' ... */
    sg_mark *opens;       /* ... and where each one opened */
    size_t depth, scap;
} jr;

/* Parser states: what may come next. */
enum {
    S_TOP,      /* the value of the document */
    S_ARR0,     /* after '[': a value or ']' */
    S_ELEM,     /* after ',' in an array: a value */
    S_OBJ0,     /* after '{': a key or '}' */
    S_KEY,      /* after ',' in an object: a key */
    S_COLON,    /* after a key: ':' */
    S_MEMBER,   /* after ':': a value */
    S_AFTER,    /* after a value inside a container: ',' or the closer */
    S_END       /* after the document's value: nothing */
};

/* ---- input window ----------------------------------------------------- */

static size_t cp_count(const unsigned char *a, const unsigned char *b)
{
    size_t n = (size_t)(b - a);
    /* Eight bytes at a time: every byte but a continuation byte (10xxxxxx)
     * starts a code point. The multiply sums the eight 0/1 bytes (no
     * popcount instruction is assumed). */
    for (; b - a >= 8; a += 8) {
        uint64_t w;
        memcpy(&w, a, 8);
        uint64_t cont = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
        n -= (size_t)((cont * 0x0101010101010101ull) >> 56);
    }
    for (; a < b; a++)
        n -= (*a & 0xC0) == 0x80;
    return n;
}

/* Code points from the reference point to P. */
static inline unsigned cols_to(const jr *r, const unsigned char *p)
{
    return (unsigned)(r->wide ? cp_count(r->ref_p, p) : (size_t)(p - r->ref_p));
}

/* Pull the next chunk. 0 at the end of the input (window left as it was). */
static int refill(jr *r)
{
    size_t left = r->src->len - r->fed;
    if (r->own == NULL || left == 0)
        return 0;
    r->ref_col += cols_to(r, r->end);
    size_t n = left < r->chunk ? left : r->chunk;
    memcpy(r->own, r->src->text + r->fed, n);
    r->base = r->fed;
    r->fed += n;
    r->win = r->p = r->ref_p = r->own;
    r->end = r->own + n;
    return 1;
}

/* The next byte without consuming it, or -1 at the end. */
static inline int peek(jr *r)
{
    if (r->p < r->end || refill(r))
        return *r->p;
    return -1;
}

/* The mark of the unread byte at P (P in the window, at or after ref_p). */
static sg_mark mark_at(jr *r, const unsigned char *p)
{
    sg_mark m;
    r->ref_col += cols_to(r, p);
    r->ref_p = p;
    m.line = r->line;
    m.column = r->ref_col;
    m.offset = r->base + (size_t)(p - r->win);
    return m;
}

static sg_mark here(jr *r)
{
    return mark_at(r, r->p);
}

/* ---- buffers ----------------------------------------------------------- */

static int tok_grow(jr *r, size_t need)
{
    size_t cap = r->tcap ? r->tcap : 64;
    while (cap - 1 < need) {
        if (cap > ((size_t)-1) / 2)
            return 0;
        cap *= 2;
    }
    char *t = sgi_realloc(r->src->alloc, r->tok, cap);
    if (t == NULL)
        return 0;
    r->tok = t;
    r->tcap = cap;
    return 1;
}

static inline int tok_add(jr *r, const void *s, size_t n)
{
    if (r->tlen + n >= r->tcap && !tok_grow(r, r->tlen + n))
        return 0;
    memcpy(r->tok + r->tlen, s, n);
    r->tlen += n;
    r->tok[r->tlen] = '\0';
    return 1;
}

static int push(jr *r, unsigned char kind, sg_mark at)
{
    if (r->depth == r->scap) {
        size_t cap = r->scap ? r->scap * 2 : 32;
        unsigned char *k = sgi_realloc(r->src->alloc, r->kinds, cap);
        if (k == NULL)
            return 0;
        r->kinds = k;
        sg_mark *o = sgi_realloc(r->src->alloc, r->opens, cap * sizeof *o);
        if (o == NULL)
            return 0;
        r->opens = o;
        r->scap = cap;
    }
    r->kinds[r->depth] = kind;
    r->opens[r->depth] = at;
    r->depth++;
    return 1;
}

/* ---- events and errors ------------------------------------------------- */

static sg_status emit(jr *r, sgi_event_type type, sgi_scalar_kind kind, sg_mark start,
                      sg_mark end, int with_value)
{
    sgi_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.kind = kind;
    ev.start = start;
    ev.end = end;
    if (with_value) {
        ev.value = r->tok ? r->tok : "";
        ev.length = r->tlen;
    }
    return r->fn(r->ctx, &ev);
}

static size_t excerpt_max(const jr *r)
{
    return r->limits && r->limits->excerpt_chars ? (size_t)r->limits->excerpt_chars : 80;
}

static sg_status fail(jr *r, const sg_mark *at, const char *fmt, ...) SGI_PRINTF(3, 4);
static sg_status fail(jr *r, const sg_mark *at, const char *fmt, ...)
{
    if (r->diags != NULL) {
        va_list ap;
        va_start(ap, fmt);
        sg_status st = sgi_vdiag(r->diags, r->src, SG_SEVERITY_ERROR, "json-syntax", at, NULL,
                                 NULL, fmt, ap);
        va_end(ap);
        if (st != SG_OK)
            return st;
    }
    return SG_EINPUT;
}

/* Quote LEN bytes at S into BUF for a message. */
static const char *quote(const jr *r, char *buf, size_t cap, const void *s, size_t len)
{
    buf[0] = '\0';
    sgi_excerpt(buf, cap, (const char *)s, len, excerpt_max(r));
    return buf;
}

/* Length of a valid UTF-8 sequence at S (N bytes available), 0 when the
 * bytes so far are a valid but incomplete prefix, -1 when invalid. */
static int utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0], len, lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* encoded surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return -1;
    }
    uint32_t v = c & (0x7F >> len);
    for (unsigned i = 1; i < len; i++) {
        if (i >= n)
            return 0;
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return (int)len;
}

/* Read one UTF-8 character into S[4] across window edges. Returns its length,
 * -1 if invalid (bytes read so far consumed) or 0 if cut by the end. */
static int read_char(jr *r, unsigned char s[4], uint32_t *cp)
{
    size_t n = 0;
    r->wide = 1;
    for (;;) {
        int c = peek(r);
        if (c < 0)
            return 0;
        s[n++] = (unsigned char)c;
        r->p++;
        int k = utf8_seq(s, n, cp);
        if (k != 0)
            return k;
    }
}

/* An unexpected byte where a token should start; WANT says what would fit. */
static sg_status unexpected(jr *r, const char *want)
{
    char q[64];
    sg_mark at = here(r);
    int c = *r->p;
    if (c == '/') {
        r->p++;
        int d = peek(r);
        const char *kind = d == '/' ? "'//' comment" : d == '*' ? "'/* */' comment" : "'/'";
        return fail(r, &at, "found a %s, but JSON has no comments; remove it (or write the "
                    "file in YAML, where '#' starts a comment)", kind);
    }
    if (c == '\\')
        return fail(r, &at, "unexpected '\\': escapes only work inside double-quoted strings");
    if (c == '#')
        return fail(r, &at, "found '#', but JSON has no comments; remove it");
    if (c == 0)
        return fail(r, &at, "NUL byte in the text; JSON text cannot hold raw NUL bytes (is "
                    "this a binary or UTF-16 file?)");
    if (c < 0x20 || c == 0x7F)
        return fail(r, &at, "unexpected control character U+%04X; remove it (%s)", (unsigned)c,
                    want);
    if (c >= 0x80) {
        unsigned char s[4];
        uint32_t cp = 0;
        int k = read_char(r, s, &cp);
        if (k <= 0)
            return fail(r, &at, "invalid UTF-8 byte 0x%02X; save the file as UTF-8",
                        (unsigned)s[0]);
        if (cp == 0xFEFF)
            return fail(r, &at, "byte order mark (U+FEFF) inside the text; only the very "
                        "start of a file may hold one (were two files joined?): remove it");
        return fail(r, &at, "unexpected character '%s' (U+%04X); %s",
                    quote(r, q, sizeof q, s, (size_t)k), (unsigned)cp, want);
    }
    return fail(r, &at, "unexpected '%s'; %s", quote(r, q, sizeof q, r->p, 1), want);
}

/* ---- tokens ------------------------------------------------------------ */

/* Skip whitespace; returns the next byte (not consumed) or -1 at the end.
 * CR LF is one break; a CR alone is one too. */
static int skip_ws(jr *r)
{
    int cr = 0;
    for (;;) {
        const unsigned char *p = r->p, *e = r->end;
        while (p < e) {
            unsigned c = *p;
            if (c == ' ' || c == '\t') {
                p++;
                cr = 0;
            } else if (c == '\n') {
                if (!cr)
                    r->line++;
                r->ref_p = ++p;
                r->ref_col = 1;
                r->wide = 0;
                cr = 0;
            } else if (c == '\r') {
                r->line++;
                r->ref_p = ++p;
                r->ref_col = 1;
                r->wide = 0;
                cr = 1;
            } else {
                r->p = p;
                return (int)c;
            }
        }
        r->p = p;
        if (!refill(r))
            return -1;
    }
}

/* Append to the token the bytes from P for which IN[byte] is set, across
 * window edges. Number runs and bare words use this. */
static sg_status take_run(jr *r, const unsigned char in[256])
{
    for (;;) {
        const unsigned char *p = r->p, *e = r->end;
        while (p < e && in[*p])
            p++;
        if (!tok_add(r, r->p, (size_t)(p - r->p)))
            return SG_ENOMEM;
        r->p = p;
        if (p < e || !refill(r))
            return SG_OK;
    }
}

/* Byte classes of number runs (digits, letters, . + - _) and words. */
static const unsigned char numch[256] = {
    ['+'] = 1, ['-'] = 1, ['.'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
#define L_(x) [x] = 1, [x + 32] = 1
    L_('A'), L_('B'), L_('C'), L_('D'), L_('E'), L_('F'), L_('G'), L_('H'), L_('I'),
    L_('J'), L_('K'), L_('L'), L_('M'), L_('N'), L_('O'), L_('P'), L_('Q'), L_('R'),
    L_('S'), L_('T'), L_('U'), L_('V'), L_('W'), L_('X'), L_('Y'), L_('Z'),
};
static const unsigned char wordch[256] = {
    ['_'] = 1, ['$'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    L_('A'), L_('B'), L_('C'), L_('D'), L_('E'), L_('F'), L_('G'), L_('H'), L_('I'),
    L_('J'), L_('K'), L_('L'), L_('M'), L_('N'), L_('O'), L_('P'), L_('Q'), L_('R'),
    L_('S'), L_('T'), L_('U'), L_('V'), L_('W'), L_('X'), L_('Y'), L_('Z'),
#undef L_
};

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

static int is_nonfinite(const char *w)
{
    static const char *const names[] = {"nan", "infinity", "inf"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(w, names[i]) == 0)
            return 1;
    return 0;
}

/* Check a number run against RFC 8259 and explain what is wrong. */
static sg_status check_number(jr *r, const sg_mark *at)
{
    const char *s = r->tok;
    size_t n = r->tlen, i = 0;
    char q[200];
    /* The run is quoted only for a message: most numbers are valid. */
#define Q quote(r, q, sizeof q, s, n)
    if (s[0] == '+')
        return fail(r, at, "'%s' is not a valid JSON number: JSON numbers cannot start with "
                    "'+'; remove the plus sign", Q);
    if (s[0] == '-')
        i++;
    if (i < n && is_nonfinite(s + i))
        return fail(r, at, "'%s' is not a valid JSON number: JSON has no NaN or Infinity; "
                    "use null or a string", Q);
    if (i == n)
        return fail(r, at, "'-' must be followed by digits in a JSON number");
    if (s[i] == '.')
        return fail(r, at, "'%s' is not a valid JSON number: a digit must come before the "
                    "decimal point; write a 0 before it", Q);
    if (s[i] == '0') {
        i++;
        if (i < n && IS_DIGIT(s[i]))
            return fail(r, at, "'%s' is not a valid JSON number: leading zeros are not "
                        "allowed; remove them (or quote the value if it is a code, such as "
                        "a zip code)", Q);
        if (i < n && (s[i] == 'x' || s[i] == 'X'))
            return fail(r, at, "'%s' is not a valid JSON number: JSON numbers are decimal; "
                        "write it in decimal or quote it", Q);
    } else if (IS_DIGIT(s[i])) {
        while (i < n && IS_DIGIT(s[i]))
            i++;
    } else {
        goto bad;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i == n || !IS_DIGIT(s[i]))
            return fail(r, at, "'%s' is not a valid JSON number: a digit must follow the "
                        "decimal point; add one (2.0) or drop the point (2)", Q);
        while (i < n && IS_DIGIT(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || !IS_DIGIT(s[i]))
            return fail(r, at, "'%s' is not a valid JSON number: the exponent has no digits; "
                        "add them (1e5) or remove the 'e'", Q);
        while (i < n && IS_DIGIT(s[i]))
            i++;
    }
    if (i == n)
        return SG_OK;
bad:
    return fail(r, at, "'%s' is not a valid JSON number; write -?digits[.digits][e[+-]digits] "
                "or quote the value as a string", Q);
}
#undef Q

static sg_status scan_number(jr *r, sg_mark *end)
{
    sg_mark start = here(r);
    sg_status st;
    r->tlen = 0;
    if ((st = take_run(r, numch)) != SG_OK)
        return st;
    if ((st = check_number(r, &start)) != SG_OK)
        return st;
    *end = here(r);
    return SG_OK;
}

/* A bare word: a literal, or an error that says what was meant. KEY: the
 * word stands where an object key should. */
static sg_status scan_word(jr *r, sgi_scalar_kind *kind, sg_mark *end, int key)
{
    static const char *const lits[] = {"true", "false", "null"};
    static const sgi_scalar_kind kinds[] = {SGI_SC_TRUE, SGI_SC_FALSE, SGI_SC_NULL};
    sg_mark start = here(r);
    char q[200];
    sg_status st;
    r->tlen = 0;
    if ((st = take_run(r, wordch)) != SG_OK)
        return st;
    const char *w = r->tok;
    for (size_t i = 0; i < 3 && !key; i++) {
        if (strcmp(w, lits[i]) == 0) {
            *kind = kinds[i];
            *end = here(r);
            return SG_OK;
        }
    }
    /* Only errors from here: the word is quoted for the message. */
    quote(r, q, sizeof q, w, r->tlen);
    if (key)
        return fail(r, &start, "object key '%s' is not quoted; JSON keys are strings: write "
                    "\"%s\"", q, q);
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(w, lits[i]) == 0)
            return fail(r, &start, "'%s' is not a JSON value; literals are lower case: write "
                        "%s", q, lits[i]);
        if (r->tlen < strlen(lits[i]) && strncmp(w, lits[i], r->tlen) == 0)
            return fail(r, &start, "incomplete literal '%s'; write %s", q, lits[i]);
    }
    if (is_nonfinite(w))
        return fail(r, &start, "'%s' is not a valid JSON number: JSON has no NaN or Infinity; "
                    "use null or a string", q);
    if (strcmp(w, "undefined") == 0 || strcmp(w, "None") == 0 || strcmp(w, "nil") == 0)
        return fail(r, &start, "'%s' is not a JSON value; use null", q);
    return fail(r, &start, "unexpected word '%s'; JSON strings must be in double quotes: "
                "write \"%s\"", q, q);
}

static int hexval(int c)
{
    if (IS_DIGIT(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* After a backslash and 'u': four hex digits. -1 if they are not there, -2
 * if the input ends first. */
static long read_hex4(jr *r, unsigned char got[4], size_t *ngot)
{
    long v = 0;
    *ngot = 0;
    for (int i = 0; i < 4; i++) {
        int c = peek(r);
        if (c < 0)
            return -2;
        int h = hexval(c);
        if (h < 0)
            return -1;
        got[(*ngot)++] = (unsigned char)c;
        r->p++;
        v = v * 16 + h;
    }
    return v;
}

static sg_status unclosed_string(jr *r, const sg_mark *open)
{
    return fail(r, open, "unclosed string: the '\"' here has no closing '\"' before the end "
                "of the file; add it");
}

/* One escape sequence (the backslash is at r->p). */
static sg_status scan_escape(jr *r, const sg_mark *open)
{
    static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    sg_mark at = here(r);
    char q[64];
    r->p++;
    int c = peek(r);
    if (c < 0)
        return unclosed_string(r, open);
    if (c != 'u') {
        for (const char *s = simple; *s; s += 2)
            if (*s == c) {
                r->p++;
                return tok_add(r, s + 1, 1) ? SG_OK : SG_ENOMEM;
            }
        if (c < 0x20)
            return fail(r, &at, "a backslash followed by the raw control character U+%04X is "
                        "not a JSON escape; write \\n, \\t or \\u%04X instead", (unsigned)c,
                        (unsigned)c);
        unsigned char bs[5] = {'\\'};
        unsigned char cs[4];
        uint32_t cp;
        int k = read_char(r, cs, &cp);
        memcpy(bs + 1, cs, k > 0 ? (size_t)k : 1);
        return fail(r, &at, "invalid escape '%s' in a string; JSON knows \\\" \\\\ \\/ \\b \\f "
                    "\\n \\r \\t and \\uXXXX (write a backslash itself as \\\\)",
                    quote(r, q, sizeof q, bs, 1 + (k > 0 ? (size_t)k : 1)));
    }
    r->p++;
    unsigned char got[12] = {'\\', 'u'};
    size_t ng;
    long v = read_hex4(r, got + 2, &ng);
    if (v == -2)
        return unclosed_string(r, open);
    if (v < 0)
        return fail(r, &at, "invalid escape '%s': \\u must be followed by four hex digits",
                    quote(r, q, sizeof q, got, 2 + ng));
    if (v >= 0xDC00 && v <= 0xDFFF)
        return fail(r, &at, "lone low surrogate escape '%s' cannot be represented in UTF-8; "
                    "it must follow a high surrogate \\uD800-\\uDBFF (or write the character "
                    "itself)", quote(r, q, sizeof q, got, 6));
    if (v >= 0xD800 && v <= 0xDBFF) {
        long lo = -1;
        if (peek(r) == '\\') {
            r->p++;
            if (peek(r) == 'u') {
                r->p++;
                lo = read_hex4(r, got + 8, &ng);
            }
        }
        if (lo == -2 || peek(r) < 0)
            return unclosed_string(r, open);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(r, &at, "lone high surrogate escape '%s' cannot be represented in "
                        "UTF-8; follow it with a low surrogate \\uDC00-\\uDFFF (or write the "
                        "character itself)", quote(r, q, sizeof q, got, 6));
        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
    }
    /* Encode V: the lead byte gets the length marker, then 6 bits a byte. */
    unsigned char u[4];
    size_t n = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
    static const unsigned char lead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--, v >>= 6)
        u[i] = (unsigned char)(0x80 | (v & 0x3F));
    u[0] = (unsigned char)(lead[n] | v);
    return tok_add(r, u, n) ? SG_OK : SG_ENOMEM;
}

static const char *const ctl_names[32] = {
    ['\b'] = "backspace; escape it as \\b", ['\t'] = "tab; escape it as \\t",
    ['\n'] = "line feed; escape it as \\n", ['\f'] = "form feed; escape it as \\f",
    ['\r'] = "carriage return; escape it as \\r",
};

/* A string token (r->p at the opening quote) decoded into r->tok. */
/* Whether any of the eight bytes at P ends the fast path of a string: a
 * control character, a byte above 0x7F, '"' or a backslash. Each test is
 * the classic "has a byte below N" on the word (exact, no false hits). */
static inline int special8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t w, q, b;
    memcpy(&w, p, 8);
    q = w ^ (ones * '"');
    b = w ^ (ones * '\\');
    return (((w - ones * 0x20) | (q - ones) | (b - ones)) & ~w & high) != 0 || (w & high) != 0;
}

static sg_status scan_string(jr *r, sg_mark *start, sg_mark *end)
{
    sg_status st;
    *start = here(r);
    r->p++;
    r->tlen = 0;
    if (r->tok == NULL && !tok_grow(r, 0))
        return SG_ENOMEM;
    r->tok[0] = '\0';
    for (;;) {
        const unsigned char *p = r->p, *e = r->end;
        /* The fast path: printable ASCII up to a quote or backslash, eight
         * bytes at a time while none of them is special, then byte by byte. */
        while (e - p >= 8 && !special8(p))
            p += 8;
        while (p < e && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > r->p && !tok_add(r, r->p, (size_t)(p - r->p)))
            return SG_ENOMEM;
        r->p = p;
        if (p == e) {
            if (!refill(r))
                return unclosed_string(r, start);
            continue;
        }
        unsigned c = *p;
        if (c == '"') {
            r->p++;
            *end = here(r);
            return SG_OK;
        }
        if (c == '\\') {
            if ((st = scan_escape(r, start)) != SG_OK)
                return st;
            continue;
        }
        if (c < 0x20) {
            sg_mark at = here(r);
            if (c == '\n' || c == '\r')
                return fail(r, &at, "line break inside a string (opened at %u:%u); a JSON "
                            "string cannot span lines: escape it as %s or close the string",
                            start->line, start->column, c == '\n' ? "\\n" : "\\r");
            if (ctl_names[c])
                return fail(r, &at, "raw control character U+%04X (%s) inside a string", c,
                            ctl_names[c]);
            return fail(r, &at, "raw control character U+%04X inside a string; escape it as "
                        "\\u%04X", c, c);
        }
        /* Multi-byte UTF-8: checked in place when it fits, else byte by byte. */
        uint32_t cp;
        unsigned char s[4];
        r->wide = 1;
        int k = utf8_seq(p, (size_t)(e - p), &cp);
        if (k > 0) {
            if (!tok_add(r, p, (size_t)k))
                return SG_ENOMEM;
            r->p += k;
            continue;
        }
        /* Invalid, or cut by the window edge: the lead's mark is needed now. */
        sg_mark at = here(r);
        if (k == 0)
            k = read_char(r, s, &cp);
        if (k == 0)
            return unclosed_string(r, start);
        if (k < 0)
            return fail(r, &at, "invalid UTF-8 sequence (starting with byte 0x%02X) inside a "
                        "string; save the file as UTF-8", c);
        if (!tok_add(r, s, (size_t)k))
            return SG_ENOMEM;
    }
}

/* ---- the parser -------------------------------------------------------- */

static sg_status bad_close(jr *r, int c)
{
    sg_mark at = here(r);
    if (r->depth == 0)
        return fail(r, &at, "unexpected '%c': nothing is open here; remove it", c);
    const sg_mark *o = &r->opens[r->depth - 1];
    int want = r->kinds[r->depth - 1] == '{' ? '}' : ']';
    return fail(r, &at, "'%c' does not close the '%c' opened at %u:%u; write '%c' here", c,
                r->kinds[r->depth - 1], o->line, o->column, want);
}

/* Bytes that unexpected() explains better than a generic "expected X". */
static int odd(int c)
{
    return c == '/' || c == '#' || c == '\\' || c < 0x20 || c >= 0x7F;
}

/* A value starts at r->p (C is its first byte). */
static sg_status value(jr *r, int c, int *state, int doc)
{
    sg_status st;
    sg_mark start = here(r), end;
    sgi_scalar_kind kind = SGI_SC_STRING;
    if (doc && (st = emit(r, SGI_EV_DOC_START, 0, start, start, 0)) != SG_OK)
        return st;
    switch (c) {
    case '{':
    case '[':
        r->p++;
        end = here(r);
        if (!push(r, (unsigned char)c, start))
            return SG_ENOMEM;
        *state = c == '{' ? S_OBJ0 : S_ARR0;
        return emit(r, c == '{' ? SGI_EV_MAP_START : SGI_EV_SEQ_START, 0, start, end, 0);
    case '"':
        st = scan_string(r, &start, &end);
        break;
    case '\'':
        return fail(r, &start, "JSON strings use double quotes, not single quotes; use double "
                    "quotes");
    case '-': case '+': case '.':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        kind = SGI_SC_NUMBER;
        st = scan_number(r, &end);
        break;
    default:
        if (!wordch[c])
            return unexpected(r, "expected a value");
        st = scan_word(r, &kind, &end, 0);
        break;
    }
    if (st != SG_OK)
        return st;
    *state = r->depth ? S_AFTER : S_END;
    return emit(r, SGI_EV_SCALAR, kind, start, end, 1);
}

static sg_status run(jr *r)
{
    int state = S_TOP;
    sg_mark comma = {0, 0, 0}, doc_end = {0, 0, 0};
    sg_status st;
    for (;;) {
        int c = skip_ws(r);
        if (c < 0) {
            if (state == S_TOP)
                return SG_OK; /* empty: the builder reports it */
            if (state == S_END)
                return emit(r, SGI_EV_DOC_END, 0, doc_end, doc_end, 0);
            sg_mark eof = here(r);
            const sg_mark *o = &r->opens[r->depth - 1];
            int obj = r->kinds[r->depth - 1] == '{';
            st = fail(r, o, "unclosed %s: the '%c' here has no matching '%c' before the end of "
                      "the file; add it", obj ? "object" : "array", obj ? '{' : '[',
                      obj ? '}' : ']');
            if (st == SG_EINPUT && r->diags != NULL &&
                sgi_diag_related(r->diags, r->src->name, &eof, "the file ends here") != SG_OK)
                return SG_ENOMEM;
            return st;
        }
        switch (state) {
        case S_TOP:
            st = value(r, c, &state, 1);
            break;
        case S_ARR0:
        case S_ELEM:
        case S_MEMBER:
            if (c == ']' || c == '}') {
                if (state == S_ARR0 && c == ']')
                    goto close;
                if (state == S_ELEM && c == ']')
                    return fail(r, &comma, "trailing comma before ']' is not allowed in JSON; "
                                "remove the comma");
                if (state == S_MEMBER && c == '}') {
                    sg_mark at = here(r);
                    return fail(r, &at, "expected a value after ':'; add one (e.g. null)");
                }
                return bad_close(r, c);
            }
            if (c == ',' || c == ':') {
                sg_mark at = here(r);
                return fail(r, &at, "unexpected '%c'; expected a value", c);
            }
            st = value(r, c, &state, 0);
            break;
        case S_OBJ0:
        case S_KEY:
            if (c == '"') {
                sg_mark start, end;
                if ((st = scan_string(r, &start, &end)) != SG_OK)
                    return st;
                state = S_COLON;
                st = emit(r, SGI_EV_SCALAR, SGI_SC_STRING, start, end, 1);
                break;
            }
            if (c == '}') {
                if (state == S_OBJ0)
                    goto close;
                return fail(r, &comma, "trailing comma before '}' is not allowed in JSON; "
                            "remove the comma");
            }
            if (c == '\'') {
                sg_mark at = here(r);
                return fail(r, &at, "object keys must be strings in double quotes, not single "
                            "quotes; use double quotes");
            }
            if (wordch[c]) {
                sgi_scalar_kind k;
                sg_mark e;
                return scan_word(r, &k, &e, 1);
            }
            if (c == ']')
                return bad_close(r, c);
            return unexpected(r, "expected an object key in double quotes");
        case S_COLON:
            if (c == ':') {
                r->p++;
                state = S_MEMBER;
                continue;
            } else {
                char q[200];
                sg_mark at = here(r);
                quote(r, q, sizeof q, r->tok, r->tlen);
                if (c == '=')
                    return fail(r, &at, "expected ':' after the key \"%s\", found '='; JSON "
                                "separates keys and values with ':'", q);
                if (odd(c))
                    return unexpected(r, "expected ':'");
                return fail(r, &at, "expected ':' after the key \"%s\"; add a colon", q);
            }
        case S_AFTER: {
            int obj = r->kinds[r->depth - 1] == '{';
            if (c == ',') {
                comma = here(r);
                r->p++;
                state = obj ? S_KEY : S_ELEM;
                continue;
            }
            if (c == (obj ? '}' : ']'))
                goto close;
            if (c == ']' || c == '}')
                return bad_close(r, c);
            if (odd(c))
                return unexpected(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            sg_mark at = here(r);
            if (obj)
                return fail(r, &at, "expected ',' or '}' after an object member; add a comma "
                            "between members");
            return fail(r, &at, "expected ',' or ']' after an array element; add a comma "
                        "between elements");
        }
        default: { /* S_END */
            if (odd(c))
                return unexpected(r, "a JSON file holds exactly one value");
            sg_mark at = here(r);
            return fail(r, &at, "a JSON file holds exactly one value; found more at %u:%u after "
                        "the value that ended at %u:%u: remove it, or wrap the values in an "
                        "array", at.line, at.column, doc_end.line, doc_end.column);
        }
        }
        if (st != SG_OK)
            return st;
        if (state == S_END)
            doc_end = here(r);
        continue;
    close: {
        sg_mark start = here(r);
        r->p++;
        sg_mark end = here(r);
        r->depth--;
        state = r->depth ? S_AFTER : S_END;
        st = emit(r, c == '}' ? SGI_EV_MAP_END : SGI_EV_SEQ_END, 0, start, end, 0);
        if (st != SG_OK)
            return st;
        if (state == S_END)
            doc_end = end;
    }
    }
}

sg_status sgi_json_read(sgi_source *src, size_t chunk, const sg_limits *limits, sgi_event_fn fn,
                        void *ctx, sg_diagnostics *diags)
{
    if (src == NULL || fn == NULL || (src->text == NULL && src->len > 0))
        return SG_EUSAGE;
    jr r;
    memset(&r, 0, sizeof r);
    r.src = src;
    r.limits = limits;
    r.diags = diags;
    r.fn = fn;
    r.ctx = ctx;
    r.line = 1;
    r.ref_col = 1;
    /* A leading BOM is skipped but counted in offsets; one found later is an
     * error.  Checked here too, for callers that skipped the encoding check. */
    size_t bom = src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    static const unsigned char nothing[1];
    r.base = r.fed = bom;
    if (chunk == 0 || chunk >= src->len - bom) {
        /* The whole text is one window: read it in place. */
        r.win = r.p = r.ref_p = src->len ? src->text + bom : nothing;
        r.end = r.win + (src->len - bom);
        r.fed = src->len;
    } else {
        r.chunk = chunk;
        r.own = sgi_malloc(src->alloc, chunk);
        if (r.own == NULL)
            return SG_ENOMEM;
        r.win = r.p = r.ref_p = r.end = r.own;
    }
    sg_status st = run(&r);
    sgi_free(src->alloc, r.own);
    sgi_free(src->alloc, r.tok);
    sgi_free(src->alloc, r.kinds);
    sgi_free(src->alloc, r.opens);
    return st;
}
