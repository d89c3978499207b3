/* Unit tests of the source stage (src/source.c): reading files within the
 * size limit, refusing what is not a readable regular file, the encoding
 * check (UTF-8 only, one leading BOM, no NUL, no UTF-16/32) with the position
 * of the first bad byte, and the line table behind every mark. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

/* ---- helpers ------------------------------------------------------------- */

/* A fresh directory under /tmp, removed by rm_tree(). */
static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/sg-source-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    char *r = strdup(d);
    ck_assert_ptr_nonnull(r);
    return r;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void rm_tree(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* The one diagnostic of D, with RULE. */
static const sg_diagnostic *only_diag(const sg_diagnostics *d, const char *rule)
{
    ck_assert_uint_eq(sg_diagnostics_count(d), 1);
    const sg_diagnostic *g = sg_diagnostics_get(d, 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(g->rule, rule);
    ck_assert_int_eq(g->severity, SG_SEVERITY_ERROR);
    return g;
}

/* sgi_source_read() of PATH with LIMITS (NULL: defaults). */
static sg_status read_path(const char *path, const sg_limits *limits, sgi_source *src,
                           sg_diagnostics **d)
{
    sg_limits def;
    if (!limits) {
        sg_limits_init(&def);
        limits = &def;
    }
    *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(*d);
    return sgi_source_read(src, path, limits, *d);
}

/* ---- reading files ------------------------------------------------------ */

START_TEST(test_read_regular)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "a.yaml");
    static const char body[] = "a: 1\nb: [2]\n";
    write_file(p, body, sizeof body - 1);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_OK);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    ck_assert_str_eq(src.name, p);
    ck_assert_uint_eq(src.len, sizeof body - 1);
    ck_assert_mem_eq(src.text, body, sizeof body - 1);
    ck_assert_int_eq(src.text[src.len], '\0'); /* terminated copy */
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_read_empty_file)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "empty.json");
    write_file(p, "", 0);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_OK);
    ck_assert_uint_eq(src.len, 0);
    ck_assert_ptr_nonnull(src.text);
    ck_assert_int_eq(src.text[0], '\0');
    /* An empty text is valid UTF-8 with one (empty) line. */
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.nlines, 1);
    size_t start = 99, len = 99;
    ck_assert_int_eq(sgi_source_line(&src, 1, &start, &len), 1);
    ck_assert_uint_eq(start, 0);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_read_missing)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "nope.yaml");
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "io");
    ck_assert_msg(contains(g->message, "No such file or directory"), "message: %s", g->message);
    ck_assert_str_eq(g->file, p);
    ck_assert_uint_eq(g->start.line, 0); /* no position for I/O */
    ck_assert_ptr_null(g->source_line);
    ck_assert_ptr_null(src.text); /* no partial result */
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_read_directory)
{
    char *dir = tmp_dir();
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(dir, NULL, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "io");
    ck_assert_msg(contains(g->message, "Is a directory"), "message: %s", g->message);
    ck_assert_ptr_null(src.text);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    rm_tree(dir);
}
END_TEST

/* A FIFO whose writer wrote and closed: the data is read, then EOF. The
 * data is put in the pipe before the reader opens it (a second reader keeps
 * the pipe alive), so the test is deterministic and cannot hang. */
/* A symlink loop: ELOOP, reported cleanly. */
START_TEST(test_read_symlink_loop)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "loop.yaml");
    ck_assert_int_eq(symlink(p, p), 0);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "io");
    ck_assert_msg(contains(g->message, "Too many levels of symbolic links"), "message: %s",
                  g->message);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_read_fifo_with_data)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "fifo");
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    int keep = open(p, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(keep, 0);
    int w = open(p, O_WRONLY | O_NONBLOCK);
    ck_assert_int_ge(w, 0);
    static const char body[] = "{\"a\": 1}\n";
    ck_assert_int_eq(write(w, body, sizeof body - 1), (ssize_t)(sizeof body - 1));
    ck_assert_int_eq(close(w), 0);

    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_OK);
    ck_assert_uint_eq(src.len, sizeof body - 1);
    ck_assert_mem_eq(src.text, body, sizeof body - 1);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    close(keep);
    free(p);
    rm_tree(dir);
}
END_TEST

/* A FIFO that nobody ever writes to: open() must not block (the test case
 * has a timeout); the read sees no writer and ends with an empty text. */
START_TEST(test_read_fifo_without_writer)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "fifo");
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_OK);
    ck_assert_uint_eq(src.len, 0);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

/* Inputs whose size is unknown beforehand are read up to the cap and
 * refused past it. */
START_TEST(test_read_fifo_over_limit)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "fifo");
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    int keep = open(p, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(keep, 0);
    int w = open(p, O_WRONLY | O_NONBLOCK);
    ck_assert_int_ge(w, 0);
    char body[100];
    memset(body, 'x', sizeof body);
    ck_assert_int_eq(write(w, body, sizeof body), (ssize_t)sizeof body);
    ck_assert_int_eq(close(w), 0);

    sg_limits lim;
    sg_limits_init(&lim);
    ck_assert_int_eq(sg_limits_set(&lim, "file-size", 10), SG_OK);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, &lim, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "limit");
    ck_assert_msg(contains(g->message, "10 bytes"), "message: %s", g->message);
    ck_assert_msg(contains(g->message, "file-size"), "message: %s", g->message);
    ck_assert_ptr_null(src.text);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    close(keep);
    free(p);
    rm_tree(dir);
}
END_TEST

/* An endless device stops at the cap instead of eating memory. */
START_TEST(test_read_dev_zero)
{
    sg_limits lim;
    sg_limits_init(&lim);
    ck_assert_int_eq(sg_limits_set(&lim, "file-size", 1000), SG_OK);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path("/dev/zero", &lim, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "limit");
    ck_assert_msg(contains(g->message, "1000 bytes"), "message: %s", g->message);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_read_permission_denied)
{
    if (geteuid() == 0) {
        /* root reads files whatever their mode: nothing to test. */
        fprintf(stderr, "test_read_permission_denied: skipped (running as root)\n");
        return;
    }
    char *dir = tmp_dir();
    char *p = path_in(dir, "secret.yaml");
    write_file(p, "a: 1\n", 5);
    ck_assert_int_eq(chmod(p, 0), 0);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "io");
    ck_assert_msg(contains(g->message, "Permission denied"), "message: %s", g->message);
    ck_assert_ptr_null(src.text);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

START_TEST(test_read_over_limit)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "big.json");
    char body[100];
    memset(body, ' ', sizeof body);
    write_file(p, body, sizeof body);
    sg_limits lim;
    sg_limits_init(&lim);
    ck_assert_int_eq(sg_limits_set(&lim, "file-size", 50), SG_OK);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, &lim, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "limit");
    /* The message names the size and the limit, and how to raise it. */
    ck_assert_msg(contains(g->message, "100 bytes"), "message: %s", g->message);
    ck_assert_msg(contains(g->message, "50 bytes"), "message: %s", g->message);
    ck_assert_msg(contains(g->message, "--limit file-size="), "message: %s", g->message);
    ck_assert_ptr_null(src.text);
    sgi_source_fini(&src);

    /* Exactly at the limit is fine. */
    sg_diagnostics_free(d);
    ck_assert_int_eq(sg_limits_set(&lim, "file-size", 100), SG_OK);
    ck_assert_int_eq(read_path(p, &lim, &src, &d), SG_OK);
    ck_assert_uint_eq(src.len, 100);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

/* A sparse 4 GiB file is refused from its size, before a byte is read: the
 * test would take long and fail on memory otherwise (and fails on time). */
START_TEST(test_read_huge_refused_before_reading)
{
    char *dir = tmp_dir();
    char *p = path_in(dir, "huge.yaml");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    if (ftruncate(fd, (off_t)4294967296LL) != 0) {
        fprintf(stderr, "test_read_huge_refused_before_reading: skipped (no sparse file: %s)\n",
                strerror(errno));
        close(fd);
        free(p);
        rm_tree(dir);
        return;
    }
    close(fd);
    sgi_source src;
    sg_diagnostics *d;
    ck_assert_int_eq(read_path(p, NULL, &src, &d), SG_EINPUT);
    const sg_diagnostic *g = only_diag(d, "limit");
    ck_assert_msg(contains(g->message, "4294967296 bytes"), "message: %s", g->message);
    ck_assert_msg(contains(g->message, "33554432 bytes"), "message: %s", g->message);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(p);
    rm_tree(dir);
}
END_TEST

/* Standard input ("-") is not testable here: the test runner owns it. */

START_TEST(test_init_copies)
{
    char bytes[] = "a: 1";
    char name[] = "n.yaml";
    sgi_source src;
    ck_assert_int_eq(sgi_source_init(&src, name, bytes, 4), SG_OK);
    bytes[0] = 'X';
    name[0] = 'X';
    ck_assert_str_eq(src.name, "n.yaml");
    ck_assert_mem_eq(src.text, "a: 1", 5); /* with its terminator */
    ck_assert_uint_eq(src.bom, 0);
    ck_assert_ptr_null(src.lines);
    sgi_source_fini(&src);
    /* fini leaves a cleared struct; a second fini is harmless. */
    ck_assert_ptr_null(src.text);
    sgi_source_fini(&src);
    sgi_source_fini(NULL);

    ck_assert_int_eq(sgi_source_init(&src, NULL, NULL, 0), SG_OK);
    ck_assert_str_eq(src.name, "-");
    ck_assert_uint_eq(src.len, 0);
    sgi_source_fini(&src);
}
END_TEST

/* ---- encoding ---------------------------------------------------------- */

typedef struct enc_case {
    const char *name;
    const char *in;
    size_t len;
    /* expected: ok, or the error's position and message parts */
    int ok;
    unsigned line, column;
    size_t offset;
    const char *msg1, *msg2;
} enc_case;

#define S(lit) lit, sizeof(lit) - 1

static const enc_case enc_cases[] = {
    {"ascii", S("a: 1\nb: 2\n"), 1, 0, 0, 0, NULL, NULL},
    {"utf8", S("k: \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80\n"), 1, 0, 0, 0, NULL, NULL},
    {"max code point", S("\xf4\x8f\xbf\xbf"), 1, 0, 0, 0, NULL, NULL},
    {"bom", S("\xef\xbb\xbf{}"), 1, 0, 0, 0, NULL, NULL},
    {"empty", S(""), 1, 0, 0, 0, NULL, NULL},
    /* wide encodings: refused before anything else, at 1:1 */
    {"utf16le bom", S("\xff\xfe{\0}\0"), 0, 1, 1, 0, "UTF-16", "UTF-8"},
    {"utf16be bom", S("\xfe\xff\0{\0}"), 0, 1, 1, 0, "UTF-16", "UTF-8"},
    {"utf16le", S("{\0}\0"), 0, 1, 1, 0, "UTF-16", "little endian"},
    {"utf16be", S("\0{\0}"), 0, 1, 1, 0, "UTF-16", "big endian"},
    {"utf32le bom", S("\xff\xfe\0\0{\0\0\0"), 0, 1, 1, 0, "UTF-32", "little endian"},
    {"utf32be bom", S("\0\0\xfe\xff\0\0\0{"), 0, 1, 1, 0, "UTF-32", "big endian"},
    {"utf32le", S("{\0\0\0}\0\0\0"), 0, 1, 1, 0, "UTF-32", "little endian"},
    {"utf32be", S("\0\0\0{\0\0\0}"), 0, 1, 1, 0, "UTF-32", "big endian"},
    /* NUL: line and column of the NUL itself */
    {"nul", S("ab\ncd\0e"), 0, 2, 3, 5, "NUL", NULL},
    {"nul alone", S("\0"), 0, 1, 1, 0, "NUL", NULL},
    {"nul after 8-byte run", S("0123456789abcdef\0x"), 0, 1, 17, 16, "NUL", NULL},
    {"nul after multibyte", S("\xc3\xa9\xc3\xa9xx\0"), 0, 1, 5, 6, "NUL", NULL},
    /* invalid UTF-8, each with its offset and position */
    {"lone continuation", S("a\x80"), 0, 1, 2, 1, "invalid UTF-8", "0x80"},
    {"overlong C0 AF", S("x\n\xc0\xaf"), 0, 2, 1, 2, "invalid UTF-8", "0xC0"},
    {"overlong E0 80 AF", S("x\xe0\x80\xaf"), 0, 1, 2, 1, "invalid UTF-8", "0xE0"},
    {"overlong F0 8F", S("\xf0\x8f\xbf\xbf"), 0, 1, 1, 0, "invalid UTF-8", "0xF0"},
    {"surrogate ED A0 80", S("ab\xed\xa0\x80"), 0, 1, 3, 2, "invalid UTF-8", "0xED"},
    {"surrogate ED BF BF", S("ab\xed\xbf\xbf"), 0, 1, 3, 2, "invalid UTF-8", "0xED"},
    {"past U+10FFFF (F4 90)", S("\xf4\x90\x80\x80"), 0, 1, 1, 0, "invalid UTF-8", "0xF4"},
    {"F5 lead", S("q: \xf5\x80\x80\x80"), 0, 1, 4, 3, "invalid UTF-8", "0xF5"},
    {"FF byte", S("\xc3\xa9\xff"), 0, 1, 2, 2, "invalid UTF-8", "0xFF"},
    {"FE byte (not UTF-16)", S("ab\xfe"), 0, 1, 3, 2, "invalid UTF-8", "0xFE"},
    {"truncated at EOF", S("abc\xe2\x82"), 0, 1, 4, 3, "invalid UTF-8", "0xE2"},
    {"truncated 4-byte at EOF", S("a\nb\xf0\x9f\x98"), 0, 2, 2, 3, "invalid UTF-8", "0xF0"},
    {"truncated before ASCII", S("\xe2\x82z"), 0, 1, 1, 0, "invalid UTF-8", "0xE2"},
    {"after CRLF", S("a\r\n\x80"), 0, 2, 1, 3, "invalid UTF-8", NULL},
    {"after lone CR", S("a\rb\r\x80"), 0, 3, 1, 4, "invalid UTF-8", NULL},
    /* U+FEFF after the start: concatenated files */
    {"bom in the middle", S("{}\n\xef\xbb\xbf{}"), 0, 2, 1, 3, "U+FEFF", NULL},
    {"second bom", S("\xef\xbb\xbf\xef\xbb\xbf{}"), 0, 1, 1, 3, "U+FEFF", NULL},
    {"zwnbsp in a value", S("a: x\xef\xbb\xbfy"), 0, 1, 5, 4, "U+FEFF", NULL},
};

START_TEST(test_encoding)
{
    const enc_case *c = &enc_cases[_i];
    sgi_source src;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(sgi_source_init(&src, "e.json", c->in, c->len), SG_OK);
    sg_status st = sgi_source_check_encoding(&src, d);
    if (c->ok) {
        ck_assert_msg(st == SG_OK, "%s: status %d", c->name, st);
        ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    } else {
        ck_assert_msg(st == SG_EINPUT, "%s: status %d", c->name, st);
        const sg_diagnostic *g = only_diag(d, "encoding");
        ck_assert_msg(g->start.line == c->line && g->start.column == c->column &&
                          g->start.offset == c->offset,
                      "%s: at %u:%u@%zu, expected %u:%u@%zu", c->name, g->start.line,
                      g->start.column, g->start.offset, c->line, c->column, c->offset);
        ck_assert_msg(contains(g->message, c->msg1), "%s: message %s", c->name, g->message);
        if (c->msg2)
            ck_assert_msg(contains(g->message, c->msg2), "%s: message %s", c->name, g->message);
        ck_assert_str_eq(g->file, "e.json");
        ck_assert_str_eq(g->apig_code, "APIG.3600");
    }
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

START_TEST(test_bom)
{
    static const char in[] = "\xef\xbb\xbf"
                             "a: 1\nb: 2\n";
    sgi_source src;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "b.yaml", in, sizeof in - 1), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.bom, 3);
    /* The first character after the BOM is at column 1; offsets keep the BOM. */
    sg_mark m = sgi_source_mark_at(&src, 3);
    ck_assert_uint_eq(m.line, 1);
    ck_assert_uint_eq(m.column, 1);
    ck_assert_uint_eq(m.offset, 3);
    m = sgi_source_mark_at(&src, 6);
    ck_assert_uint_eq(m.column, 4);
    m = sgi_source_mark_at(&src, 8);
    ck_assert_uint_eq(m.line, 2);
    ck_assert_uint_eq(m.column, 1);
    /* Line 1 starts after the BOM. */
    size_t start, len;
    ck_assert_int_eq(sgi_source_line(&src, 1, &start, &len), 1);
    ck_assert_uint_eq(start, 3);
    ck_assert_uint_eq(len, 4);
    /* A second check resets and finds the same. */
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.bom, 3);
    ck_assert_uint_eq(src.nlines, 3);
    sgi_source_fini(&src);

    /* Without a BOM, bom is 0. */
    ck_assert_int_eq(sgi_source_init(&src, "b.yaml", "a", 1), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.bom, 0);
    sgi_source_fini(&src);
    ck_assert_uint_eq(sg_diagnostics_count(d), 0);
    sg_diagnostics_free(d);
}
END_TEST

/* ---- lines and columns --------------------------------------------------- */

/* LF, CRLF and lone CR each end one line; the break belongs to the line it
 * ends. Text: "a\r\nb\rc\nd" */
START_TEST(test_line_breaks)
{
    static const char in[] = "a\r\nb\rc\nd";
    static const struct {
        size_t offset;
        unsigned line, column;
    } want[] = {
        {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, /* a, CR, LF of the CRLF */
        {3, 2, 1}, {4, 2, 2},            /* b, CR */
        {5, 3, 1}, {6, 3, 2},            /* c, LF */
        {7, 4, 1}, {8, 4, 2},            /* d, end of text */
    };
    sgi_source src;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "l.yaml", in, sizeof in - 1), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.nlines, 4);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sg_mark m = sgi_source_mark_at(&src, want[i].offset);
        ck_assert_msg(m.line == want[i].line && m.column == want[i].column &&
                          m.offset == want[i].offset,
                      "offset %zu: %u:%u@%zu, expected %u:%u", want[i].offset, m.line, m.column,
                      m.offset, want[i].line, want[i].column);
    }
    static const struct {
        unsigned line;
        size_t start, len;
    } lines[] = {{1, 0, 1}, {2, 3, 1}, {3, 5, 1}, {4, 7, 1}};
    for (size_t i = 0; i < 4; i++) {
        size_t start, len;
        ck_assert_int_eq(sgi_source_line(&src, lines[i].line, &start, &len), 1);
        ck_assert_uint_eq(start, lines[i].start);
        ck_assert_uint_eq(len, lines[i].len);
    }
    size_t start, len;
    ck_assert_int_eq(sgi_source_line(&src, 0, &start, &len), 0);
    ck_assert_int_eq(sgi_source_line(&src, 5, &start, &len), 0);
    /* Past the end: clamped to the end of the text. */
    sg_mark m = sgi_source_mark_at(&src, 1000);
    ck_assert_uint_eq(m.offset, 8);
    ck_assert_uint_eq(m.line, 4);
    ck_assert_uint_eq(m.column, 2);
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

/* A final break opens an (empty) last line; CRLF counts once, also at EOF. */
START_TEST(test_trailing_breaks)
{
    static const struct {
        const char *in;
        size_t nlines;
    } cases[] = {{"a\n", 2}, {"a\r\n", 2}, {"a\r", 2}, {"a\n\n", 3}, {"a\r\n\r\n", 3},
                 {"\r\r", 3}, {"\n\r\n\r", 4}, {"a", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sgi_source src;
        sg_diagnostics *d = sg_diagnostics_new();
        ck_assert_int_eq(sgi_source_init(&src, "t", cases[i].in, strlen(cases[i].in)), SG_OK);
        ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
        ck_assert_msg(src.nlines == cases[i].nlines, "case %zu: %zu lines, expected %zu", i,
                      src.nlines, cases[i].nlines);
        sg_mark m = sgi_source_mark_at(&src, src.len);
        ck_assert_uint_eq(m.line, cases[i].nlines);
        sgi_source_fini(&src);
        sg_diagnostics_free(d);
    }
}
END_TEST

/* Columns count code points: 2-, 3- and 4-byte characters are one column. */
START_TEST(test_columns_in_code_points)
{
    /* "é日😀x\n  é😀y" */
    static const char in[] = "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80x\n  \xc3\xa9\xf0\x9f\x98\x80y";
    sgi_source src;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "c", in, sizeof in - 1), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    static const struct {
        size_t offset;
        unsigned line, column;
    } want[] = {{0, 1, 1}, {2, 1, 2}, {5, 1, 3}, {9, 1, 4}, {10, 1, 5},
                {11, 2, 1}, {13, 2, 3}, {15, 2, 4}, {19, 2, 5}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sg_mark m = sgi_source_mark_at(&src, want[i].offset);
        ck_assert_msg(m.line == want[i].line && m.column == want[i].column,
                      "offset %zu: %u:%u, expected %u:%u", want[i].offset, m.line, m.column,
                      want[i].line, want[i].column);
    }
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
}
END_TEST

/* Before the encoding check there is no line table; marks are then counted
 * from the text and must agree with the table's, at every offset. */
START_TEST(test_marks_without_table_agree)
{
    static const char *const texts[] = {
        "a\r\nb\rc\nd",
        "\xc3\xa9\xe6\x97\xa5\n\r\n\xf0\x9f\x98\x80x\r",
        "\n\n\n",
        "no breaks at all",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        sgi_source raw, checked;
        sg_diagnostics *d = sg_diagnostics_new();
        size_t n = strlen(texts[t]);
        ck_assert_int_eq(sgi_source_init(&raw, "r", texts[t], n), SG_OK);
        ck_assert_int_eq(sgi_source_init(&checked, "r", texts[t], n), SG_OK);
        ck_assert_int_eq(sgi_source_check_encoding(&checked, d), SG_OK);
        for (size_t o = 0; o <= n; o++) {
            sg_mark a = sgi_source_mark_at(&raw, o), b = sgi_source_mark_at(&checked, o);
            ck_assert_msg(a.line == b.line && a.column == b.column && a.offset == b.offset,
                          "text %zu offset %zu: %u:%u without table, %u:%u with", t, o, a.line,
                          a.column, b.line, b.column);
        }
        sgi_source_fini(&raw);
        sgi_source_fini(&checked);
        sg_diagnostics_free(d);
    }
}
END_TEST

/* The same with a leading BOM: the BOM is not a column, whether or not the
 * line table exists yet. */
START_TEST(test_mark_bom_without_table)
{
    static const char in[] = "\xef\xbb\xbf"
                             "ab";
    sgi_source src;
    ck_assert_int_eq(sgi_source_init(&src, "r", in, sizeof in - 1), SG_OK);
    sg_mark m = sgi_source_mark_at(&src, 4); /* 'b' */
    ck_assert_msg(m.line == 1 && m.column == 2, "'b' at %u:%u without the line table, expected 1:2",
                  m.line, m.column);
    sgi_source_fini(&src);
}
END_TEST

/* Many lines: the binary search over the table finds each one. */
START_TEST(test_many_lines)
{
    size_t nl = 100000;
    char *in = malloc(nl * 3);
    ck_assert_ptr_nonnull(in);
    for (size_t i = 0; i < nl; i++)
        memcpy(in + i * 3, i % 2 ? "xy\n" : "xy\r", 3);
    sgi_source src;
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_init(&src, "m", in, nl * 3), SG_OK);
    ck_assert_int_eq(sgi_source_check_encoding(&src, d), SG_OK);
    ck_assert_uint_eq(src.nlines, nl + 1);
    for (size_t i = 0; i < nl; i += 997) {
        sg_mark m = sgi_source_mark_at(&src, i * 3 + 1);
        ck_assert_uint_eq(m.line, i + 1);
        ck_assert_uint_eq(m.column, 2);
    }
    sgi_source_fini(&src);
    sg_diagnostics_free(d);
    free(in);
}
END_TEST

Suite *suite_source(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_read_regular);
    tcase_add_test(tc, test_read_empty_file);
    tcase_add_test(tc, test_read_missing);
    tcase_add_test(tc, test_read_directory);
    tcase_add_test(tc, test_read_symlink_loop);
    tcase_add_test(tc, test_read_fifo_with_data);
    tcase_add_test(tc, test_read_fifo_without_writer);
    tcase_add_test(tc, test_read_fifo_over_limit);
    tcase_add_test(tc, test_read_dev_zero);
    tcase_add_test(tc, test_read_permission_denied);
    tcase_add_test(tc, test_read_over_limit);
    tcase_add_test(tc, test_read_huge_refused_before_reading);
    tcase_add_test(tc, test_init_copies);
    suite_add_tcase(s, tc);

    tc = tcase_create("encoding");
    tcase_add_loop_test(tc, test_encoding, 0, (int)(sizeof enc_cases / sizeof enc_cases[0]));
    tcase_add_test(tc, test_bom);
    suite_add_tcase(s, tc);

    tc = tcase_create("lines");
    tcase_add_test(tc, test_line_breaks);
    tcase_add_test(tc, test_trailing_breaks);
    tcase_add_test(tc, test_columns_in_code_points);
    tcase_add_test(tc, test_marks_without_table_agree);
    tcase_add_test(tc, test_mark_bom_without_table);
    tcase_add_test(tc, test_many_lines);
    suite_add_tcase(s, tc);
    return s;
}
