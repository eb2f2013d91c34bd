/*
 * conv.c -- conversion of a decoded field (CSV text or a JSON value) to the
 * type of its column.
 *
 * The same rules serve CSV and JSON so a query gives the same answer on both.
 * JSON is lenient where money and time need it (DESIGN §2): a DECIMAL takes a
 * number or a string holding a decimal, digit for digit; a TIMESTAMP takes an
 * ISO-8601 string or epoch milliseconds. Text is never trimmed: " 12" is not
 * an INTEGER. A failure names the column and the offending text.
 */
#include "velo_internal.h"

#include <stdlib.h>
#include <strings.h>

static int vconv_bad(velo_rt *rt, const vfield *f, const char *col, const char *type)
{
    char msg[200];
    int n = f->n > 60 ? 60 : (int)f->n;
    snprintf(msg, sizeof msg, "column '%.40s': invalid %s '%.*s%s'", col, type, n, f->p, f->n > 60 ? "..." : "");
    velo_fail(rt, msg);
    return -1;
}

static int vconv_ieq(const vfield *f, const char *w)
{
    size_t n = strlen(w);
    return (size_t)f->n == n && !strncasecmp(f->p, w, n);
}

int vconv_bool(velo_rt *rt, const vfield *f, const char *col, int *out)
{
    if (f->kind == VF_NULL) return 1;
    if (f->kind == VF_TEXT || f->kind == VF_BOOL || f->kind == VF_NUM) {
        if (vconv_ieq(f, "true") || vconv_ieq(f, "t") || vconv_ieq(f, "1") || vconv_ieq(f, "yes")) {
            *out = 1;
            return 0;
        }
        if (vconv_ieq(f, "false") || vconv_ieq(f, "f") || vconv_ieq(f, "0") || vconv_ieq(f, "no")) {
            *out = 0;
            return 0;
        }
    }
    return vconv_bad(rt, f, col, "BOOLEAN");
}

/* Exact decimal digits with an optional sign; 0 ok, 1 syntax, 2 overflow.
 * Up to 18 digits cannot overflow (10^18 < 2^63), so only longer numbers
 * pay for the overflow test; a division in it per digit was a tenth of a
 * scan that reads one integer column. */
static int vconv_digits(const char *p, i64 n, i64 *out)
{
    i64 i = 0;
    int neg = 0;
    if (n > 0 && (p[0] == '-' || p[0] == '+')) {
        neg = p[0] == '-';
        i = 1;
    }
    if (i == n) return 1;
    u64 v = 0;
    i64 safe = n - i <= 18 ? n : i + 18;
    for (; i < safe; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9) return 1;
        v = v * 10 + d;
    }
    const u64 lim = neg ? (u64)VELO_I64_MAX + 1 : (u64)VELO_I64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9) return 1;
        if (v > (lim - d) / 10) return 2;
        v = v * 10 + d;
    }
    *out = neg ? (i64)(0 - v) : (i64)v;
    return 0;
}

/* A JSON number with a fraction or exponent that is still an integer (2.0, 1e3). */
static int vconv_integral_num(const vfield *f, i64 *out)
{
    char buf[64];
    if (f->n >= (i64)sizeof buf) return 1;
    memcpy(buf, f->p, (size_t)f->n);
    buf[f->n] = 0;
    char *end;
    double d = strtod(buf, &end);
    /* range first: converting inf, nan or |d| >= 2^63 to i64 is undefined */
    if (*end || !(d >= -9007199254740992.0 && d <= 9007199254740992.0) || d != (double)(i64)d) return 1;
    *out = (i64)d;
    return 0;
}

int vconv_i64(velo_rt *rt, const vfield *f, const char *col, int is_int32, i64 *out)
{
    if (f->kind == VF_NULL) return 1;
    const char *type = is_int32 ? "INTEGER" : "BIGINT";
    if (f->kind != VF_TEXT && f->kind != VF_NUM) return vconv_bad(rt, f, col, type);
    i64 v;
    int rc = vconv_digits(f->p, f->n, &v);
    if (rc == 1 && f->kind == VF_NUM) rc = vconv_integral_num(f, &v);
    if (rc == 0 && is_int32 && (v > 2147483647LL || v < -2147483648LL)) rc = 2;
    if (rc == 1) return vconv_bad(rt, f, col, type);
    if (rc == 2) return vconv_bad(rt, f, col, is_int32 ? "INTEGER (out of range)" : "BIGINT (out of range)");
    *out = v;
    return 0;
}

/*
 * Fast path for the common spelling [-]digits[.digits]: with at most 19
 * digits whose value m is below 2^53 and k <= 22 fraction digits, m and 10^k
 * are exact doubles and IEEE division rounds once, so m / 10^k is the
 * correctly rounded value strtod() would return (Clinger's fast path).
 * Returns 0 (caller falls back to strtod) for anything else.
 */
static const double vconv_p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int vconv_f64_fast(const char *p, i64 n, double *out)
{
    const char *e = p + n;
    int neg = 0, nd = 0, nfrac = 0;
    u64 m = 0;
    if (p < e && *p == '-') {
        neg = 1;
        p++;
    }
    const char *ds = p;
    for (; p < e && (unsigned)(*p - '0') <= 9; p++) m = m * 10 + (unsigned)(*p - '0');
    nd = (int)(p - ds);
    if (nd == 0) return 0;
    if (p < e && *p == '.') {
        const char *fs = ++p;
        for (; p < e && (unsigned)(*p - '0') <= 9; p++) m = m * 10 + (unsigned)(*p - '0');
        nfrac = (int)(p - fs);
        if (nfrac == 0) return 0;
        nd += nfrac;
    }
    if (p != e || nd > 19 || nfrac > 22 || m > (1ull << 53)) return 0;
    double d = (double)m / vconv_p10[nfrac];
    *out = neg ? -d : d;
    return 1;
}

int vconv_f64(velo_rt *rt, const vfield *f, const char *col, double *out)
{
    if (f->kind == VF_NULL) return 1;
    if ((f->kind != VF_TEXT && f->kind != VF_NUM) || f->n == 0 || f->p[0] == ' ' || f->p[0] == '\t') return vconv_bad(rt, f, col, "DOUBLE");
    if (vconv_f64_fast(f->p, f->n, out)) return 0;
    char small[64], *buf = small;
    if (f->n >= (i64)sizeof small) buf = va_alloc(&rt->tmp, (vsize)f->n + 1);
    memcpy(buf, f->p, (size_t)f->n);
    buf[f->n] = 0;
    char *end;
    double d = strtod(buf, &end);
    if (end != buf + f->n) return vconv_bad(rt, f, col, "DOUBLE");
    *out = d;
    return 0;
}

int vconv_dec(velo_rt *rt, const vfield *f, const char *col, int prec, int scale, i64 *out)
{
    if (f->kind == VF_NULL) return 1;
    i64 v;
    int rc = f->kind != VF_TEXT && f->kind != VF_NUM ? 1 : vd_parse(f->p, f->n, scale, &v);
    if (rc == 0 && prec < 19 && (v >= vd_pow10[prec] || v <= -vd_pow10[prec])) rc = 2;
    if (rc == 0) {
        *out = v;
        return 0;
    }
    /* the type name is formatted only for the error message */
    char type[40];
    snprintf(type, sizeof type, "DECIMAL(%d,%d)", prec, scale);
    if (rc == 1) return vconv_bad(rt, f, col, type);
    char msg[200];
    int n = f->n > 60 ? 60 : (int)f->n;
    snprintf(msg, sizeof msg, "column '%.40s': value '%.*s' out of range for %s", col, n, f->p, type);
    velo_fail(rt, msg);
    return -1;
}

int vconv_str(velo_rt *rt, const vfield *f, const char *col, vstr *out)
{
    (void)rt;
    (void)col;
    if (f->kind == VF_NULL) return 1;
    out->p = f->p;
    out->n = f->n;
    return 0;
}

int vconv_ts_general(velo_rt *rt, const vfield *f, const char *col, i64 *out)
{
    if (f->kind == VF_NULL) return 1;
    if (f->kind != VF_TEXT && f->kind != VF_NUM) return vconv_bad(rt, f, col, "TIMESTAMP");
    if (f->kind == VF_TEXT && f->n >= 10 && f->p[4] == '-') { /* a date, not epoch milliseconds */
        if (vt_parse(f->p, f->n, out) == 0) return 0;
        return vconv_bad(rt, f, col, "TIMESTAMP");
    }
    i64 ms;
    int rc = vconv_digits(f->p, f->n, &ms);
    if (rc == 1 && f->kind == VF_NUM) rc = vconv_integral_num(f, &ms);
    if (rc == 0) { /* epoch milliseconds */
        if (ms > VELO_I64_MAX / 1000 || ms < VELO_I64_MIN / 1000) return vconv_bad(rt, f, col, "TIMESTAMP (out of range)");
        *out = ms * 1000;
        return 0;
    }
    if (f->kind == VF_TEXT && vt_parse(f->p, f->n, out) == 0) return 0;
    return vconv_bad(rt, f, col, "TIMESTAMP");
}
