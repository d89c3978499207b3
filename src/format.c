/* draft-04 formats: date-time, email, hostname, ipv4, ipv6, uri. Hand-written
 * recognisers over the bytes (no regex, no locale, no libc parsing that
 * would take non-ASCII digits or leading '+'), each byte looked at a bounded
 * number of times. Every check takes the length, so an embedded NUL is just
 * an invalid character. */
#include <string.h>

#include "internal.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* N digits at S as a number, or -1. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ---- date-time (RFC 3339 section 5.6) --------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int check_date_time(const char *s, size_t n)
{
    /* YYYY-MM-DDTHH:MM:SS, 19 bytes, then [.frac] and the offset */
    if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':')
        return 0;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || sec < 0 || sec > 60)
        return 0;
    size_t i = 19;
    if (s[i] == '.') {
        size_t f = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == f)
            return 0;
    }
    int off = 0; /* minutes east of UTC */
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
        ;
    else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return 0;
        off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    } else
        return 0;
    /* a leap second is 23:59:60 UTC, whatever the local offset */
    if (sec == 60 && ((h * 60 + mi - off) % 1440 + 1440) % 1440 != 23 * 60 + 59)
        return 0;
    return 1;
}

/* ---- hostname (RFC 1123), ipv4, ipv6 --------------------------------- */

static int check_hostname(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return 0;
    size_t label = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            /* label: 1-63 bytes, no '-' at either end (empty: "a..b", ".a",
             * and "a." too: the suite rejects a trailing dot) */
            if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
                return 0;
            label = 0;
        } else if (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '-')
            label++;
        else
            return 0;
    }
    return 1;
}

static int check_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part && (i >= n || s[i++] != '.'))
            return 0;
        size_t st = i;
        while (i < n && is_digit(s[i]) && i - st < 4)
            i++;
        size_t len = i - st;
        /* 1-3 digits, at most 255, no leading zero (read as octal by some) */
        if (len == 0 || len > 3 || (len > 1 && s[st] == '0') || digits(s + st, len) > 255)
            return 0;
    }
    return i == n;
}

static int check_ipv6(const char *s, size_t n)
{
    int groups = 0, compressed = 0;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        compressed = 1;
        i = 2;
        if (n == 2)
            return 1;
    }
    for (;;) {
        size_t st = i;
        while (i < n && is_hex(s[i]) && i - st < 5)
            i++;
        if (i < n && s[i] == '.') {
            /* a trailing IPv4 part stands for two groups */
            if (!check_ipv4(s + st, n - st))
                return 0;
            groups += 2;
            i = n;
            break;
        }
        if (i == st || i - st > 4)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (compressed)
                return 0; /* a second "::" */
            compressed = 1;
            i++;
            if (i == n)
                break;
        } else if (i == n)
            return 0; /* a single trailing ':' */
        if (groups > 8)
            return 0;
    }
    return compressed ? groups <= 7 : groups == 8;
}

/* ---- email ----------------------------------------------------------- */

static int is_atext(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* RFC 5321 Mailbox, ASCII only: Local-part "@" (Domain / address-literal).
 * Local-part is a dot-string (no leading, trailing or doubled dots) or a
 * quoted string. */
static int check_email(const char *s, size_t n)
{
    size_t at = n;
    while (at > 0 && s[at - 1] != '@')
        at--;
    if (at == 0)
        return 0;
    at--; /* the last '@': quoted local parts may hold others */
    size_t ln = at;
    if (ln == 0 || ln > 64)
        return 0;
    if (s[0] == '"') {
        size_t i = 1;
        for (; i < ln - 1; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '\\') {
                i++;
                if (i >= ln - 1 || (unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
                    return 0;
            } else if (c == '"' || c < 0x20 || c > 0x7e)
                return 0;
        }
        if (ln < 2 || i != ln - 1 || s[ln - 1] != '"')
            return 0;
    } else {
        for (size_t i = 0; i < ln; i++) {
            if (s[i] == '.') {
                if (i == 0 || i == ln - 1 || s[i - 1] == '.')
                    return 0;
            } else if (!is_atext(s[i]))
                return 0;
        }
    }
    const char *d = s + at + 1;
    size_t dn = n - at - 1;
    if (dn >= 2 && d[0] == '[' && d[dn - 1] == ']') {
        if (dn > 7 && memcmp(d + 1, "IPv6:", 5) == 0)
            return check_ipv6(d + 6, dn - 7);
        return check_ipv4(d + 1, dn - 2);
    }
    return check_hostname(d, dn);
}

/* ---- uri (RFC 3986) -------------------------------------------------- */

static int is_unreserved(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_subdelim(char c)
{
    return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* S[0..n) is made of unreserved, sub-delims, percent-encodings and the
 * characters of EXTRA. */
static int uri_chars(const char *s, size_t n, const char *extra)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 2;
        } else if (!is_unreserved(c) && !is_subdelim(c) && !(c && strchr(extra, c)))
            return 0;
    }
    return 1;
}

static int check_authority(const char *s, size_t n)
{
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@') {
            at = i;
            break;
        }
    if (at < n) {
        if (!uri_chars(s, at, ":"))
            return 0;
        s += at + 1;
        n -= at + 1;
    }
    size_t host_end;
    if (n && s[0] == '[') {
        size_t close = 1;
        while (close < n && s[close] != ']')
            close++;
        if (close == n)
            return 0;
        const char *lit = s + 1;
        size_t ln = close - 1;
        if (ln && (lit[0] == 'v' || lit[0] == 'V')) { /* IPvFuture */
            size_t i = 1;
            while (i < ln && is_hex(lit[i]))
                i++;
            if (i == 1 || i >= ln - 1 || lit[i] != '.' || !uri_chars(lit + i + 1, ln - i - 1, ":"))
                return 0;
            for (size_t k = i + 1; k < ln; k++)
                if (lit[k] == '%')
                    return 0;
        } else if (!check_ipv6(lit, ln))
            return 0;
        host_end = close + 1;
    } else {
        host_end = 0;
        while (host_end < n && s[host_end] != ':')
            host_end++;
        if (!uri_chars(s, host_end, "")) /* reg-name (an IPv4 address is one too) */
            return 0;
    }
    if (host_end < n) {
        if (s[host_end] != ':')
            return 0;
        for (size_t i = host_end + 1; i < n; i++)
            if (!is_digit(s[i]))
                return 0;
    }
    return 1;
}

static int check_uri(const char *s, size_t n)
{
    if (n == 0 || !is_alpha(s[0]))
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i == n || s[i] != ':')
        return 0;
    i++;
    /* hier-part ends at '?' or '#' */
    size_t end = i;
    while (end < n && s[end] != '?' && s[end] != '#')
        end++;
    size_t p = i;
    if (end - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t a = i + 2;
        p = a;
        while (p < end && s[p] != '/')
            p++;
        if (!check_authority(s + a, p - a))
            return 0;
    }
    /* the path: segments of pchar; path-rootless and path-absolute differ
     * from path-abempty only in rules an absolute URI meets anyway (no
     * "//" start without an authority: handled above) */
    if (!uri_chars(s + p, end - p, ":@/"))
        return 0;
    if (end < n && s[end] == '?') {
        size_t q = end + 1;
        end = q;
        while (end < n && s[end] != '#')
            end++;
        if (!uri_chars(s + q, end - q, ":@/?"))
            return 0;
    }
    if (end < n && !uri_chars(s + end + 1, n - end - 1, ":@/?"))
        return 0;
    return 1;
}

int sgi_format_check(const char *format, const char *s, size_t len)
{
    if (!format)
        return -1;
    if (!s)
        s = "";
    if (strcmp(format, "date-time") == 0)
        return check_date_time(s, len);
    if (strcmp(format, "email") == 0)
        return check_email(s, len);
    if (strcmp(format, "hostname") == 0)
        return check_hostname(s, len);
    if (strcmp(format, "ipv4") == 0)
        return check_ipv4(s, len);
    if (strcmp(format, "ipv6") == 0)
        return check_ipv6(s, len);
    if (strcmp(format, "uri") == 0)
        return check_uri(s, len);
    return -1;
}
