/* Source: the bytes of one input file, read within limits, their encoding
 * checked once (UTF-8 only, RFC 8259 section 8.1), and the line table that
 * turns byte offsets into line:column marks. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

sg_status sgi_source_init(sgi_source *src, const char *name, const void *bytes, size_t len)
{
    return sgi_source_init_a(src, NULL, name, bytes, len);
}

sg_status sgi_source_init_a(sgi_source *src, const sg_allocator *a, const char *name,
                            const void *bytes, size_t len)
{
    memset(src, 0, sizeof *src);
    src->alloc = a;
    src->name = sgi_strdup(a, name ? name : "-");
    src->text = sgi_malloc(a, len + 1);
    if (!src->name || !src->text) {
        sgi_source_fini(src);
        return SG_ENOMEM;
    }
    if (len)
        memcpy(src->text, bytes, len);
    src->text[len] = '\0';
    src->len = len;
    return SG_OK;
}

void sgi_source_fini(sgi_source *src)
{
    if (!src)
        return;
    const sg_allocator *a = src->alloc;
    sgi_free(a, src->name);
    sgi_free(a, src->text);
    sgi_free(a, src->lines);
    sgi_free(a, src->cps);
    memset(src, 0, sizeof *src);
    src->alloc = a;
}

const char *sgi_strerror(int err, char *buf, size_t cap)
{
    /* glibc hands out its built-in C locale here without allocating */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    const char *t = c ? strerror_l(err, c) : NULL;
    if (t)
        snprintf(buf, cap, "%s", t);
    else
        snprintf(buf, cap, "error %d", err);
    if (c)
        freelocale(c);
    return buf;
}

static sg_status io_error(sgi_source *src, sg_diagnostics *diags, const char *what, int err)
{
    char ebuf[128];
    sg_status st = sgi_diag(diags, src, SG_SEVERITY_ERROR, "io", NULL, NULL, NULL, "cannot %s: %s",
                            what, sgi_strerror(err, ebuf, sizeof ebuf));
    return st == SG_OK ? SG_EINPUT : st;
}

static sg_status too_big(sgi_source *src, sg_diagnostics *diags, uint64_t size, const sg_limits *limits)
{
    sg_status st = sgi_diag(diags, src, SG_SEVERITY_ERROR, "limit", NULL, NULL, NULL,
                            "the file is larger than the limit of %llu bytes (%s%llu bytes); "
                            "raise it with --limit file-size=N",
                            (unsigned long long)limits->max_file_bytes, size ? "" : "more than ",
                            (unsigned long long)(size ? size : limits->max_file_bytes));
    return st == SG_OK ? SG_EINPUT : st;
}

int sgi_file_changed(int fd, const struct stat *before)
{
    struct stat now;
    if (fstat(fd, &now) != 0)
        return 1;
    return now.st_size != before->st_size || now.st_ctim.tv_sec != before->st_ctim.tv_sec ||
           now.st_ctim.tv_nsec != before->st_ctim.tv_nsec;
}

sg_status sgi_source_read(sgi_source *src, const char *path, const sg_limits *limits,
                          sg_diagnostics *diags)
{
    return sgi_source_read_a(src, NULL, path, limits, diags);
}

sg_status sgi_source_read_a(sgi_source *src, const sg_allocator *a, const char *path,
                            const sg_limits *limits, sg_diagnostics *diags)
{
    int fd = 0;
    int is_stdin = strcmp(path, "-") == 0;
    memset(src, 0, sizeof *src);
    src->alloc = a;
    src->name = sgi_strdup(a, path);
    if (!src->name)
        return SG_ENOMEM;
    if (!is_stdin) {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            return io_error(src, diags, "open the file", errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        if (!is_stdin)
            close(fd);
        return io_error(src, diags, "read the file", e);
    }
    if (S_ISDIR(st.st_mode)) {
        if (!is_stdin)
            close(fd);
        return io_error(src, diags, "read the file", EISDIR);
    }
    /* A regular file's size is known before reading: refuse it whole. Other
     * inputs (pipes, devices) are read up to the cap and refused past it. */
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > limits->max_file_bytes) {
        if (!is_stdin)
            close(fd);
        return too_big(src, diags, (uint64_t)st.st_size, limits);
    }
    if (!is_stdin) {
        /* O_NONBLOCK only kept open() from hanging on a FIFO without writer. */
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    size_t len = 0;
    unsigned char *buf = sgi_malloc(a, cap + 1);
    if (!buf) {
        if (!is_stdin)
            close(fd);
        return SG_ENOMEM;
    }
    sg_status status = SG_OK;
    for (;;) {
        if (len == cap) {
            if (len > limits->max_file_bytes)
                break;
            size_t ncap = cap * 2;
            if (ncap > limits->max_file_bytes + 1)
                ncap = (size_t)limits->max_file_bytes + 1;
            if (ncap <= cap)
                ncap = cap + 1;
            unsigned char *nb = sgi_realloc(a, buf, ncap + 1);
            if (!nb) {
                status = SG_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            status = io_error(src, diags, "read the file", errno);
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    /* A regular file written meanwhile (truncated, rewritten, appended
     * to): what was read is no whole document, and its findings would be
     * about a file that never existed. Refused, as a failed read is. The
     * size alone would not do: sysfs files say 4096 and hold less. */
    int changed = status == SG_OK && S_ISREG(st.st_mode) && sgi_file_changed(fd, &st);
    if (!is_stdin)
        close(fd);
    if (status == SG_OK && len > limits->max_file_bytes)
        status = too_big(src, diags, 0, limits);
    if (status == SG_OK && changed) {
        sg_status dst = sgi_diag(diags, src, SG_SEVERITY_ERROR, "io", NULL, NULL, NULL,
                                 "cannot read the file: it changed while it was read (truncated "
                                 "or written meanwhile); run again once it is written");
        status = dst == SG_OK ? SG_EINPUT : dst;
    }
    if (status != SG_OK) {
        sgi_free(a, buf);
        return status;
    }
    buf[len] = '\0';
    src->text = buf;
    src->len = len;
    return SG_OK;
}

/* Length of the valid UTF-8 sequence at P (at most N bytes), or 0 if it is
 * not valid (overlong forms, surrogates and code points past U+10FFFF are
 * invalid). *CP gets the code point. */
size_t sgi_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

static sg_status add_line(sgi_source *src, size_t *cap, size_t start)
{
    if (start > UINT32_MAX)
        return SG_EINTERNAL; /* the file-size limit (below 2 GiB) rules it out */
    if (src->nlines == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        uint32_t *nl = sgi_realloc(src->alloc, src->lines, ncap * sizeof *nl);
        if (!nl)
            return SG_ENOMEM;
        src->lines = nl;
        *cap = ncap;
    }
    src->lines[src->nlines++] = (uint32_t)start;
    return SG_OK;
}

static void build_cps(sgi_source *src);

static sg_status encoding_error(sgi_source *src, sg_diagnostics *diags, size_t offset,
                                const char *msg)
{
    sg_mark m = {0, 0, offset};
    src->wide = 1; /* the rest of the text was not looked at: count columns */
    if (src->lines)
        m = sgi_source_mark_at(src, offset);
    sg_status st = sgi_diag(diags, src, SG_SEVERITY_ERROR, "encoding", src->lines ? &m : NULL, NULL,
                            "APIG.3600", "%s", msg);
    return st == SG_OK ? SG_EINPUT : st;
}

/* UTF-16/32 without a BOM shows as NUL bytes in the first code units. */
static const char *wide_encoding(const unsigned char *t, size_t n)
{
    if (n >= 4 && t[0] == 0 && t[1] == 0 && t[2] == 0xFE && t[3] == 0xFF)
        return "UTF-32 (big endian)";
    if (n >= 4 && t[0] == 0xFF && t[1] == 0xFE && t[2] == 0 && t[3] == 0)
        return "UTF-32 (little endian)";
    if (n >= 2 && t[0] == 0xFE && t[1] == 0xFF)
        return "UTF-16 (big endian)";
    if (n >= 2 && t[0] == 0xFF && t[1] == 0xFE)
        return "UTF-16 (little endian)";
    if (n >= 4 && t[0] == 0 && t[1] == 0 && t[2] == 0 && t[3] != 0)
        return "UTF-32 (big endian)";
    if (n >= 4 && t[0] != 0 && t[1] == 0 && t[2] == 0 && t[3] == 0)
        return "UTF-32 (little endian)";
    /* Two ASCII characters as UTF-16: a zero byte in every other place. A
     * single zero byte is a NUL in UTF-8 text, reported as such. */
    if (n >= 4 && t[0] == 0 && t[1] != 0 && t[2] == 0 && t[3] != 0)
        return "UTF-16 (big endian)";
    if (n >= 4 && t[0] != 0 && t[1] == 0 && t[2] != 0 && t[3] == 0)
        return "UTF-16 (little endian)";
    return NULL;
}

sg_status sgi_source_check_encoding(sgi_source *src, sg_diagnostics *diags)
{
    const unsigned char *t = src->text;
    size_t n = src->len, cap = 0;
    sgi_free(src->alloc, src->lines);
    src->lines = NULL;
    src->nlines = 0;
    src->bom = 0;
    sgi_free(src->alloc, src->cps);
    src->cps = NULL;
    src->wide = 0;

    const char *wide = wide_encoding(t, n);
    if (wide) {
        sg_mark first = {1, 1, 0};
        sg_status st = sgi_diag(diags, src, SG_SEVERITY_ERROR, "encoding", &first, NULL, "APIG.3600",
                                "the file is %s; swaggate and APIG read UTF-8 only: convert it "
                                "(for example: iconv -t UTF-8)",
                                wide);
        return st == SG_OK ? SG_EINPUT : st;
    }
    if (n >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF)
        src->bom = 3;
    if (add_line(src, &cap, 0) != SG_OK)
        return SG_ENOMEM;
    /* Line starts are recorded first, so that an error below has a line.
     * Without a CR in the text (the usual case) a line starts after each
     * LF, and memchr finds them many bytes at a time. */
    if (!memchr(t + src->bom, '\r', n - src->bom)) {
        const unsigned char *p = t + src->bom, *e = t + n;
        while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
            p++;
            if (add_line(src, &cap, (size_t)(p - t)) != SG_OK)
                return SG_ENOMEM;
        }
    } else {
        for (size_t i = src->bom; i < n; i++) {
            if (t[i] == '\n' || (t[i] == '\r' && (i + 1 >= n || t[i + 1] != '\n'))) {
                if (add_line(src, &cap, i + 1) != SG_OK)
                    return SG_ENOMEM;
            }
        }
    }
    size_t i = src->bom;
    while (i < n) {
        /* ASCII fast path, eight bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, t + i, 8);
            if ((w & 0x8080808080808080ull) != 0)
                break;
            /* A zero byte within the word: haszero() trick. */
            if (((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = t[i];
        if (c == 0)
            return encoding_error(src, diags, i, "NUL byte in the file; a Swagger file is text: remove it");
        if (c < 0x80) {
            i++;
            continue;
        }
        src->wide = 1;
        uint32_t cp;
        size_t k = sgi_utf8_decode(t + i, n - i, &cp);
        if (k == 0) {
            char msg[80];
            snprintf(msg, sizeof msg, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", c);
            return encoding_error(src, diags, i, msg);
        }
        if (cp == 0xFEFF)
            return encoding_error(src, diags, i,
                                  "byte order mark (U+FEFF) inside the file; were two files "
                                  "concatenated? Remove it");
        i += k;
    }
    if (src->wide)
        build_cps(src);
    return SG_OK;
}

/* Code points (bytes that are not UTF-8 continuation bytes) in [A, B). */
static size_t cp_count(const unsigned char *a, const unsigned char *b)
{
    size_t n = (size_t)(b - a);
    while (b - a >= 8) {
        /* per byte lane, 1 for a continuation byte (top bits 10), summed in
         * the lanes for up to 255 words, then across them */
        uint64_t acc = 0;
        for (int k = 0; k < 255 && b - a >= 8; k++, a += 8) {
            uint64_t w;
            memcpy(&w, a, 8);
            acc += (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
        }
        acc = (acc & 0x00FF00FF00FF00FFull) + ((acc >> 8) & 0x00FF00FF00FF00FFull);
        n -= (size_t)((acc * 0x0001000100010001ull) >> 48);
    }
    for (; a < b; a++)
        n -= (*a & 0xC0) == 0x80;
    return n;
}

/* The checkpoints of src->cps, for texts with a line longer than two
 * blocks (minified JSON); without memory, columns are counted from the line
 * start (same result, slower on long lines). */
static void build_cps(sgi_source *src)
{
    size_t longest = src->len - src->lines[src->nlines - 1];
    for (size_t i = 1; i < src->nlines; i++)
        if (src->lines[i] - src->lines[i - 1] > longest)
            longest = src->lines[i] - src->lines[i - 1];
    if (longest <= 2 * SGI_CP_BLOCK)
        return;
    size_t n = src->len / SGI_CP_BLOCK + 1;
    uint32_t *c = sgi_malloc(src->alloc, n * sizeof *c);
    if (!c)
        return;
    uint32_t acc = 0;
    for (size_t k = 0; k < n; k++) {
        c[k] = acc;
        size_t a = k * SGI_CP_BLOCK, b = a + SGI_CP_BLOCK < src->len ? a + SGI_CP_BLOCK : src->len;
        acc += (uint32_t)cp_count(src->text + a, src->text + b);
    }
    src->cps = c;
}

/* Code points before byte X (src->cps set). */
static size_t cps_before(const sgi_source *src, size_t x)
{
    size_t k = x / SGI_CP_BLOCK;
    return src->cps[k] + cp_count(src->text + k * SGI_CP_BLOCK, src->text + x);
}

sg_mark sgi_source_mark_at(const sgi_source *src, size_t offset)
{
    sg_mark m = {1, 1, offset};
    if (offset > src->len)
        offset = m.offset = src->len;
    if (!src->lines || src->nlines == 0) {
        /* No line table (encoding unchecked): count from the start. */
        /* Without the table src->bom is not known yet: look at the bytes. */
        size_t line_start = src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        unsigned line = 1;
        for (size_t i = line_start; i < offset; i++) {
            unsigned char c = src->text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= src->len || src->text[i + 1] != '\n'))) {
                line++;
                line_start = i + 1;
            }
        }
        m.line = line;
        for (size_t i = line_start; i < offset; i++)
            if ((src->text[i] & 0xC0) != 0x80)
                m.column++;
        return m;
    }
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    m.line = (unsigned)(lo + 1);
    size_t from = src->lines[lo];
    if (lo == 0 && from < src->bom)
        from = src->bom;
    if (offset <= from)
        return m;
    if (!src->wide)
        m.column += (unsigned)(offset - from);
    else if (src->cps && offset - from > 2 * SGI_CP_BLOCK)
        m.column += (unsigned)(cps_before(src, offset) - cps_before(src, from));
    else
        m.column += (unsigned)cp_count(src->text + from, src->text + offset);
    return m;
}

int sgi_source_line(sgi_source *src, unsigned line, size_t *start, size_t *len)
{
    if (line == 0 || !src->lines || line > src->nlines)
        return 0;
    size_t s = src->lines[line - 1];
    if (line == 1 && s < src->bom)
        s = src->bom;
    size_t e = s;
    while (e < src->len && src->text[e] != '\n' && src->text[e] != '\r')
        e++;
    *start = s;
    *len = e - s;
    return 1;
}
