/*
 * vstring.c -- SQL strings: comparison, concatenation, LIKE, and the text
 * conversions behind CAST.
 *
 * Strings are (pointer, length) slices of UTF-8 that need not be NUL
 * terminated; results produced while processing a record are allocated in
 * rt->tmp.  Conversions from text fail the record with a message quoting
 * the offending text instead of guessing a value.
 */
#include "velo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vs_cmp(vstr a, vstr b)
{
    i64 n = a.n < b.n ? a.n : b.n;
    int c = n > 0 ? memcmp(a.p, b.p, (vsize)n) : 0;

    if (c) return c < 0 ? -1 : 1;
    return a.n < b.n ? -1 : a.n > b.n;
}

vstr vs_concat(velo_rt *rt, vstr a, vstr b)
{
    char *p = va_alloc(&rt->tmp, (vsize)(a.n + b.n) + 1);
    vstr r;

    if (a.n) memcpy(p, a.p, (vsize)a.n);
    if (b.n) memcpy(p + a.n, b.p, (vsize)b.n);
    p[a.n + b.n] = '\0';
    r.p = p;
    r.n = a.n + b.n;
    return r;
}

/* Length in bytes of the UTF-8 sequence starting at p (1 for stray bytes). */
static i64 vs_cp_len(const char *p, i64 left)
{
    i64 k = 1;

    while (k < left && ((unsigned char)p[k] & 0xC0) == 0x80) k++;
    return k;
}

/* Matches one non-% pattern element at pat[*pi] against s[*si]; advances
 * both on success.  The escape character makes the next byte literal. */
static int vs_like_one(vstr s, i64 *si, vstr pat, i64 *pi, int esc)
{
    unsigned char c = (unsigned char)pat.p[*pi];

    if ((int)c == esc) {
        if (*pi + 1 >= pat.n) return 0; /* a pattern may not end with its escape character */
        if (pat.p[*pi + 1] != s.p[*si]) return 0;
        *pi += 2;
        *si += 1;
        return 1;
    }
    if (c == '_') {
        *si += vs_cp_len(s.p + *si, s.n - *si);
        *pi += 1;
        return 1;
    }
    if ((char)c != s.p[*si]) return 0;
    *pi += 1;
    *si += 1;
    return 1;
}

static int vs_like_is_pct(vstr pat, i64 pi, int esc)
{
    return pi < pat.n && pat.p[pi] == '%' && esc != '%';
}

/* Greedy matching that remembers only the last '%': on a mismatch the text
 * resumes one code point after where that '%' last started.  This is
 * O(|s| * |pat|) in the worst case, never exponential. */
int vs_like(vstr s, vstr pat, int esc)
{
    i64 si = 0, pi = 0, star_p = -1, star_s = 0;

    while (si < s.n) {
        if (vs_like_is_pct(pat, pi, esc)) {
            while (vs_like_is_pct(pat, pi, esc)) pi++;
            star_p = pi;
            star_s = si;
            continue;
        }
        if (pi < pat.n && vs_like_one(s, &si, pat, &pi, esc)) continue;
        if (star_p < 0) return 0;
        star_s += vs_cp_len(s.p + star_s, s.n - star_s);
        si = star_s;
        pi = star_p;
    }
    while (vs_like_is_pct(pat, pi, esc)) pi++;
    return pi == pat.n;
}

/* s LIKE pat for a pattern of '%'-separated literals that starts and ends
 * with '%' (no '_', no escape): each literal found in order, leftmost
 * first, with memmem. The leftmost match of one literal leaves the most
 * room for the next, so this accepts exactly what vs_like does. */
int vs_like_segments(vstr s, vstr pat)
{
    const char *at = s.p, *end = s.p + s.n;
    for (i64 i = 0; i < pat.n;) {
        if (pat.p[i] == '%') {
            i++;
            continue;
        }
        i64 j = i;
        while (j < pat.n && pat.p[j] != '%') j++;
        const char *m = memmem(at, (size_t)(end - at), pat.p + i, (size_t)(j - i));
        if (!m) return 0;
        at = m + (j - i);
        i = j;
    }
    return 1;
}

/* ---- to text ------------------------------------------------------------ */

static vstr vs_dup_c(velo_rt *rt, const char *buf, int len)
{
    vstr r;

    r.p = buf;
    r.n = len;
    return va_strdup(&rt->tmp, r);
}

vstr vs_from_i64(velo_rt *rt, i64 v)
{
    char buf[24];

    return vs_dup_c(rt, buf, snprintf(buf, sizeof(buf), "%lld", v));
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double,
 * which is how PostgreSQL (12+) prints float8. */
vstr vs_from_f64(velo_rt *rt, double v)
{
    char buf[40];
    int len = 0, prec;

    if (isnan(v)) return vs_dup_c(rt, "NaN", 3);
    if (isinf(v)) return v < 0 ? vs_dup_c(rt, "-Infinity", 9) : vs_dup_c(rt, "Infinity", 8);
    for (prec = 15; prec <= 17; prec++) {
        len = snprintf(buf, sizeof(buf), "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return vs_dup_c(rt, buf, len);
}

vstr vs_from_dec(velo_rt *rt, i64 v, int s)
{
    char buf[32];

    return vs_dup_c(rt, buf, vd_format(buf, v, s));
}

vstr vs_from_ts(velo_rt *rt, i64 ts)
{
    char buf[48];

    return vs_dup_c(rt, buf, vt_format(buf, ts));
}

vstr vs_from_bool(velo_rt *rt, int b)
{
    return b ? vs_dup_c(rt, "true", 4) : vs_dup_c(rt, "false", 5);
}

/* ---- from text ---------------------------------------------------------- */

static vstr vs_strip(vstr s)
{
    while (s.n > 0 && (*s.p == ' ' || *s.p == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    return s;
}

/* Fails the record with "<what> '<text>'", the text cut at 64 bytes. */
static void vs_fail_text(velo_rt *rt, const char *what, vstr s)
{
    char msg[128];
    int n = s.n > 64 ? 64 : (int)s.n;

    snprintf(msg, sizeof(msg), "%s '%.*s%s'", what, n, s.p ? s.p : "", s.n > 64 ? "..." : "");
    velo_fail(rt, msg);
}

i64 vs_to_i64(velo_rt *rt, vstr s)
{
    vstr t = vs_strip(s);
    const char *p = t.p, *end = t.p + t.n;
    int neg = 0;
    u64 v = 0, lim;

    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    if (p == end) {
        vs_fail_text(rt, "invalid BIGINT", s);
        return 0;
    }
    lim = neg ? (u64)VELO_I64_MAX + 1 : (u64)VELO_I64_MAX;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') {
            vs_fail_text(rt, "invalid BIGINT", s);
            return 0;
        }
        if (v > (lim - (u64)(*p - '0')) / 10) {
            vs_fail_text(rt, "BIGINT out of range", s);
            return 0;
        }
        v = v * 10 + (u64)(*p - '0');
    }
    return neg ? (i64)(0 - v) : (i64)v;
}

double vs_to_f64(velo_rt *rt, vstr s)
{
    vstr t = vs_strip(s);
    char buf[64], *end;
    double d;

    /* strtod also takes hex floats and "nan(...)"; SQL text does not. */
    if (t.n == 0 || t.n >= (i64)sizeof(buf) || memchr(t.p, 'x', (vsize)t.n) || memchr(t.p, 'X', (vsize)t.n) ||
        memchr(t.p, '(', (vsize)t.n)) {
        vs_fail_text(rt, "invalid DOUBLE", s);
        return 0;
    }
    memcpy(buf, t.p, (vsize)t.n);
    buf[t.n] = '\0';
    errno = 0;
    d = strtod(buf, &end);
    if (*end != '\0') {
        vs_fail_text(rt, "invalid DOUBLE", s);
        return 0;
    }
    if (errno == ERANGE && isinf(d)) { /* "1e999"; "Infinity" is no error */
        vs_fail_text(rt, "DOUBLE out of range", s);
        return 0;
    }
    return d;
}

i64 vs_to_dec(velo_rt *rt, vstr s, int prec, int scale)
{
    vstr t = vs_strip(s);
    i64 v = 0;
    int rc = vd_parse(t.p, t.n, scale, &v);

    if (rc == 1) {
        vs_fail_text(rt, "invalid DECIMAL", s);
        return 0;
    }
    if (rc == 2) {
        vs_fail_text(rt, "DECIMAL out of range", s);
        return 0;
    }
    return vd_check_prec(rt, v, prec);
}

i64 vs_to_ts(velo_rt *rt, vstr s)
{
    vstr t = vs_strip(s);
    i64 ts = 0;

    if (vt_parse(t.p, t.n, &ts)) {
        vs_fail_text(rt, "invalid TIMESTAMP", s);
        return 0;
    }
    return ts;
}

int vs_to_bool(velo_rt *rt, vstr s)
{
    static const char *const yes[] = {"true", "t", "yes", "y", "on", "1"};
    static const char *const no[] = {"false", "f", "no", "n", "off", "0"};
    vstr t = vs_strip(s);
    vsize i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if ((vsize)t.n == strlen(yes[i]) && strncasecmp(t.p, yes[i], (vsize)t.n) == 0) return 1;
        if ((vsize)t.n == strlen(no[i]) && strncasecmp(t.p, no[i], (vsize)t.n) == 0) return 0;
    }
    vs_fail_text(rt, "invalid BOOLEAN", s);
    return 0;
}

double vs_f64_nan(void)
{
    return NAN;
}
