/*
 * functions.c -- the scalar SQL functions called by generated code.
 *
 * Semantics follow PostgreSQL: strings are UTF-8 and positions count code
 * points, math domain errors fail the record rather than returning NaN, and
 * out-of-range SUBSTRING/LEFT/SPLIT_PART arguments yield empty strings.
 * Codegen short-circuits NULL arguments, so nothing here sees a NULL.
 * Results that are new strings are allocated in rt->tmp.
 */
#include "velo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VF_MAX_STRING (256LL * 1024 * 1024) /* refuse to build bigger strings */

static vstr vf_str(const char *p, i64 n)
{
    vstr r;

    r.p = p;
    r.n = n;
    return r;
}

static char *vf_alloc(velo_rt *rt, i64 n)
{
    char *p = va_alloc(&rt->tmp, (vsize)n + 1);

    p[n] = '\0';
    return p;
}

/* ---- math --------------------------------------------------------------- */

static double vf_fail_f64(velo_rt *rt, const char *msg)
{
    velo_fail(rt, msg);
    return 0.0;
}

double vf_sqrt(velo_rt *rt, double x)
{
    if (x < 0) return vf_fail_f64(rt, "cannot take square root of a negative number");
    return sqrt(x);
}

static double vf_check_log_arg(velo_rt *rt, double x)
{
    if (x == 0) return vf_fail_f64(rt, "cannot take logarithm of zero");
    return vf_fail_f64(rt, "cannot take logarithm of a negative number");
}

double vf_ln(velo_rt *rt, double x)
{
    if (x <= 0) return vf_check_log_arg(rt, x);
    return log(x);
}

double vf_log10(velo_rt *rt, double x)
{
    if (x <= 0) return vf_check_log_arg(rt, x);
    return log10(x);
}

double vf_log(velo_rt *rt, double base, double x)
{
    if (base <= 0) return vf_check_log_arg(rt, base);
    if (x <= 0) return vf_check_log_arg(rt, x);
    if (base == 1) return vf_fail_f64(rt, "division by zero");
    return log(x) / log(base);
}

double vf_exp(double x)
{
    return exp(x);
}
double vf_cbrt(double x)
{
    return cbrt(x);
}
double vf_sin(double x)
{
    return sin(x);
}
double vf_cos(double x)
{
    return cos(x);
}
double vf_tan(double x)
{
    return tan(x);
}
double vf_atan(double x)
{
    return atan(x);
}
double vf_atan2(double y, double x)
{
    return atan2(y, x);
}
double vf_degrees(double x)
{
    return x * (180.0 / M_PI);
}
double vf_radians(double x)
{
    return x * (M_PI / 180.0);
}
double vf_pi(void)
{
    return M_PI;
}
double vf_floor(double x)
{
    return floor(x);
}
double vf_ceil(double x)
{
    return ceil(x);
}

double vf_power(velo_rt *rt, double x, double y)
{
    double r;

    if (x == 0 && y < 0) return vf_fail_f64(rt, "zero raised to a negative power is undefined");
    if (x < 0 && isfinite(y) && floor(y) != y)
        return vf_fail_f64(rt, "a negative number raised to a non-integer power yields a complex result");
    r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y)) return vf_fail_f64(rt, "value out of range: overflow");
    return r;
}

double vf_asin(velo_rt *rt, double x)
{
    if (x < -1 || x > 1) return vf_fail_f64(rt, "input is out of range");
    return asin(x);
}

double vf_acos(velo_rt *rt, double x)
{
    if (x < -1 || x > 1) return vf_fail_f64(rt, "input is out of range");
    return acos(x);
}

/* xoshiro256** per thread, seeded from the clock and the thread's stack. */
double vf_random(velo_rt *rt)
{
    static _Thread_local u64 s[4];
    static _Thread_local int seeded;
    u64 r, t;
    int i;

    if (!seeded) {
        u64 x = (u64)vt_now() ^ (u64)(vsize)&r ^ (u64)(vsize)rt;

        for (i = 0; i < 4; i++) { /* splitmix64 expands the seed */
            x += 0x9E3779B97F4A7C15ULL;
            t = x;
            t = (t ^ (t >> 30)) * 0xBF58476D1CE4E5B9ULL;
            t = (t ^ (t >> 27)) * 0x94D049BB133111EBULL;
            s[i] = t ^ (t >> 31);
        }
        seeded = 1;
    }
    r = s[1] * 5;
    r = ((r << 7) | (r >> 57)) * 9;
    t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return (double)(r >> 11) * (1.0 / 9007199254740992.0);
}

/* Rounds x at `digits` decimal places on its shortest decimal text, so that
 * ROUND(2.675, 2) is 2.68 as written rather than 2.67 as stored in binary. */
static double vf_round_dec(double x, i64 digits, int away)
{
    char buf[40], out[48];
    char dig[24];
    int prec, nd = 0, e, keep, i, neg;

    if (!isfinite(x) || x == 0 || digits > 400) return x;
    for (prec = 15; prec <= 17; prec++) { /* d.ddde+XX */
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x) break;
    }
    neg = buf[0] == '-';
    for (i = neg; buf[i] != 'e'; i++)
        if (buf[i] != '.') dig[nd++] = buf[i];
    e = atoi(buf + i + 1);
    if (digits < -400) return neg ? -0.0 : 0.0;
    keep = e + 1 + (int)digits; /* significant digits that survive */
    if (keep >= nd) return x;
    if (keep < 0 || (keep == 0 && (!away || dig[0] < '5'))) return neg ? -0.0 : 0.0;
    if (keep == 0) { /* rounds up to one unit of the last kept place */
        snprintf(out, sizeof(out), "%s1e%lld", neg ? "-" : "", -digits);
        return strtod(out, NULL);
    }
    if (away && dig[keep] >= '5') {
        for (i = keep - 1; i >= 0 && dig[i] == '9'; i--) dig[i] = '0';
        if (i < 0) { /* 9.99 -> 10.0: one more digit in front */
            memmove(dig + 1, dig, (vsize)keep);
            dig[0] = '1';
            keep++;
            e++;
        } else {
            dig[i]++;
        }
    }
    snprintf(out, sizeof(out), "%s%.*se%d", neg ? "-" : "", keep, dig, e - keep + 1);
    return strtod(out, NULL);
}

double vf_round(double x, i64 digits)
{
    return vf_round_dec(x, digits, 1);
}

double vf_trunc(double x, i64 digits)
{
    return vf_round_dec(x, digits, 0);
}

i64 vf_sign_f64(double x)
{
    return (x > 0) - (x < 0);
}

/* ---- strings ------------------------------------------------------------ */

static int vf_is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Byte offset of code point `k` (0-based) in s, or s.n when s is shorter. */
static i64 vf_cp_offset(vstr s, i64 k)
{
    i64 i = 0;

    while (k > 0 && i < s.n) {
        i++;
        while (i < s.n && vf_is_cont(s.p[i])) i++;
        k--;
    }
    return i;
}

i64 vf_char_length(vstr s)
{
    i64 i, n = 0;

    for (i = 0; i < s.n; i++) n += !vf_is_cont(s.p[i]);
    return n;
}

static vstr vf_map_ascii(velo_rt *rt, vstr s, int upper)
{
    char *p = vf_alloc(rt, s.n);
    i64 i;

    for (i = 0; i < s.n; i++) {
        char c = s.p[i];

        if (upper && c >= 'a' && c <= 'z') c = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        p[i] = c;
    }
    return vf_str(p, s.n);
}

vstr vf_upper(velo_rt *rt, vstr s)
{
    return vf_map_ascii(rt, s, 1);
}
vstr vf_lower(velo_rt *rt, vstr s)
{
    return vf_map_ascii(rt, s, 0);
}

static int vf_is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ((unsigned char)c & 0x80);
}

/* First letter of each alphanumeric word upper case, the rest lower case. */
vstr vf_initcap(velo_rt *rt, vstr s)
{
    vstr r = vf_map_ascii(rt, s, 0);
    char *p = (char *)r.p;
    int in_word = 0;
    i64 i;

    for (i = 0; i < r.n; i++) {
        if (!in_word && p[i] >= 'a' && p[i] <= 'z') p[i] = (char)(p[i] - 32);
        in_word = vf_is_alnum(p[i]);
    }
    return r;
}

vstr vf_ltrim(vstr s)
{
    while (s.n > 0 && *s.p == ' ') {
        s.p++;
        s.n--;
    }
    return s;
}

vstr vf_rtrim(vstr s)
{
    while (s.n > 0 && s.p[s.n - 1] == ' ') s.n--;
    return s;
}

vstr vf_trim(vstr s)
{
    return vf_rtrim(vf_ltrim(s));
}

/* Code points [from, to) of s, 0-based, clamped to the string. */
static vstr vf_cp_slice(vstr s, i64 from, i64 to)
{
    i64 a, b;

    if (from < 0) from = 0;
    if (to <= from) return vf_str(s.p, 0);
    a = vf_cp_offset(s, from);
    b = a + vf_cp_offset(vf_str(s.p + a, s.n - a), to - from);
    return vf_str(s.p + a, b - a);
}

/* SQL: characters start .. start+len-1 (1-based), where positions before 1
 * exist but are empty, so SUBSTRING('abc', 0, 2) is 'a'. */
vstr vf_substr(vstr s, i64 start, i64 len, int has_len)
{
    i64 from = start < 1 ? 0 : start - 1, to = VELO_I64_MAX;

    if (has_len) {
        if (len < 0) return vf_str(s.p, 0);
        if (__builtin_add_overflow(start, len, &to)) to = VELO_I64_MAX; /* len >= 0: only the upper end can overflow */
        to = to < 1 ? 0 : to - 1;
    }
    return vf_cp_slice(s, from, to);
}

vstr vf_left(vstr s, i64 n)
{
    if (n >= 0) return vf_cp_slice(s, 0, n);
    return vf_cp_slice(s, 0, vf_char_length(s) + n);
}

vstr vf_right(vstr s, i64 n)
{
    i64 len = vf_char_length(s);

    if (n >= 0) return vf_cp_slice(s, n >= len ? 0 : len - n, len);
    return vf_cp_slice(s, n == VELO_I64_MIN ? len : -n, len);
}

static const char *vf_find(vstr hay, i64 from, vstr needle)
{
    if (needle.n == 0) return hay.p + from;
    return memmem(hay.p + from, (vsize)(hay.n - from), needle.p, (vsize)needle.n);
}

vstr vf_replace(velo_rt *rt, vstr s, vstr from, vstr to)
{
    const char *hit;
    i64 pos = 0, count = 0, n;
    char *p;

    if (from.n == 0 || s.n == 0) return s;
    while ((hit = vf_find(s, pos, from)) != NULL) {
        count++;
        pos = hit - s.p + from.n;
    }
    if (count == 0) return s;
    n = s.n + count * (to.n - from.n);
    if (n > VF_MAX_STRING) {
        velo_fail(rt, "REPLACE result too large");
        return vf_str(s.p, 0);
    }
    p = vf_alloc(rt, n);
    for (pos = 0, n = 0; (hit = vf_find(s, pos, from)) != NULL; pos = hit - s.p + from.n) {
        memcpy(p + n, s.p + pos, (vsize)(hit - s.p - pos));
        n += hit - s.p - pos;
        if (to.n) memcpy(p + n, to.p, (vsize)to.n);
        n += to.n;
    }
    memcpy(p + n, s.p + pos, (vsize)(s.n - pos));
    n += s.n - pos;
    return vf_str(p, n);
}

i64 vf_position(vstr needle, vstr hay)
{
    const char *hit = vf_find(hay, 0, needle);

    if (!hit) return 0;
    return vf_char_length(vf_str(hay.p, hit - hay.p)) + 1;
}

vstr vf_reverse(velo_rt *rt, vstr s)
{
    char *p = vf_alloc(rt, s.n);
    i64 i = 0, k;

    while (i < s.n) {
        k = i + 1;
        while (k < s.n && vf_is_cont(s.p[k])) k++;
        memcpy(p + s.n - k, s.p + i, (vsize)(k - i));
        i = k;
    }
    return vf_str(p, s.n);
}

vstr vf_repeat(velo_rt *rt, vstr s, i64 n)
{
    i64 total, i;
    char *p;

    if (n <= 0 || s.n == 0) return vf_str(s.p, 0);
    if (__builtin_mul_overflow(s.n, n, &total) || total > VF_MAX_STRING) {
        velo_fail(rt, "REPEAT result too large");
        return vf_str(s.p, 0);
    }
    p = vf_alloc(rt, total);
    for (i = 0; i < n; i++) memcpy(p + i * s.n, s.p, (vsize)s.n);
    return vf_str(p, total);
}

/* LPAD/RPAD: the result is exactly len code points; a longer s is cut on the
 * right, an empty fill leaves s as it is. */
static vstr vf_pad(velo_rt *rt, vstr s, i64 len, vstr fill, int left)
{
    i64 have = vf_char_length(s), need, fill_cps, bytes, i, k;
    char *p, *q;

    if (len <= 0) return vf_str(s.p, 0);
    if (have >= len || fill.n == 0) return vf_cp_slice(s, 0, len);
    if (len > VF_MAX_STRING) {
        velo_fail(rt, "requested length too large");
        return vf_str(s.p, 0);
    }
    need = len - have;
    fill_cps = vf_char_length(fill);
    /* bytes of `need` code points cycling through fill */
    bytes = (need / fill_cps) * fill.n + vf_cp_offset(fill, need % fill_cps);
    if (bytes > VF_MAX_STRING) {
        velo_fail(rt, "requested length too large");
        return vf_str(s.p, 0);
    }
    p = vf_alloc(rt, bytes + s.n);
    q = left ? p : p + s.n;
    for (i = 0; i < bytes; i += k) {
        k = bytes - i < fill.n ? bytes - i : fill.n;
        memcpy(q + i, fill.p, (vsize)k);
    }
    memcpy(left ? p + bytes : p, s.p, (vsize)s.n);
    return vf_str(p, bytes + s.n);
}

vstr vf_lpad(velo_rt *rt, vstr s, i64 len, vstr fill)
{
    return vf_pad(rt, s, len, fill, 1);
}
vstr vf_rpad(velo_rt *rt, vstr s, i64 len, vstr fill)
{
    return vf_pad(rt, s, len, fill, 0);
}

/* Field n (1-based; negative counts from the end, as PostgreSQL 14). */
vstr vf_split_part(velo_rt *rt, vstr s, vstr delim, i64 n)
{
    i64 nfields = 1, pos = 0, idx, start;
    const char *hit;

    if (n == 0) {
        velo_fail(rt, "field position must not be zero");
        return vf_str(s.p, 0);
    }
    if (delim.n == 0) return (n == 1 || n == -1) ? s : vf_str(s.p, 0);
    if (n < 0) {
        for (; (hit = vf_find(s, pos, delim)) != NULL; pos = hit - s.p + delim.n) nfields++;
        if (-n > nfields) return vf_str(s.p, 0);
        n = nfields + n + 1;
    }
    for (start = 0, idx = 1;; idx++) {
        hit = vf_find(s, start, delim);
        if (idx == n) return vf_str(s.p + start, (hit ? hit - s.p : s.n) - start);
        if (!hit) return vf_str(s.p, 0);
        start = hit - s.p + delim.n;
    }
}

int vf_starts_with(vstr s, vstr prefix)
{
    return s.n >= prefix.n && (prefix.n == 0 || memcmp(s.p, prefix.p, (vsize)prefix.n) == 0);
}

int vf_ends_with(vstr s, vstr suffix)
{
    return s.n >= suffix.n && (suffix.n == 0 || memcmp(s.p + s.n - suffix.n, suffix.p, (vsize)suffix.n) == 0);
}

/* ---- JSON_VALUE ----------------------------------------------------------
 * A forward-only walker: it skips what the path does not name and never
 * builds a tree.  Malformed JSON behaves like a missing value. */
typedef struct vf_json {
    const char *p, *end;
    int depth;
} vf_json;

#define VF_JSON_DEPTH 512

static void vf_json_ws(vf_json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

/* Skips a string; j->p is at the opening quote. */
static int vf_json_skip_str(vf_json *j)
{
    for (j->p++; j->p < j->end; j->p++) {
        if (*j->p == '\\') j->p++;
        else if (*j->p == '"') {
            j->p++;
            return 0;
        }
    }
    return 1;
}

static int vf_json_skip(vf_json *j);

static int vf_json_skip_container(vf_json *j, char close)
{
    if (++j->depth > VF_JSON_DEPTH) return 1;
    j->p++;
    vf_json_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        j->depth--;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            vf_json_ws(j);
            if (j->p >= j->end || *j->p != '"' || vf_json_skip_str(j)) return 1;
            vf_json_ws(j);
            if (j->p >= j->end || *j->p++ != ':') return 1;
        }
        if (vf_json_skip(j)) return 1;
        vf_json_ws(j);
        if (j->p >= j->end) return 1;
        if (*j->p == close) {
            j->p++;
            j->depth--;
            return 0;
        }
        if (*j->p++ != ',') return 1;
    }
}

/* Skips one value of any kind. */
static int vf_json_skip(vf_json *j)
{
    vf_json_ws(j);
    if (j->p >= j->end) return 1;
    if (*j->p == '"') return vf_json_skip_str(j);
    if (*j->p == '{') return vf_json_skip_container(j, '}');
    if (*j->p == '[') return vf_json_skip_container(j, ']');
    while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' && *j->p != '\t' && *j->p != '\n' && *j->p != '\r')
        j->p++;
    return 0;
}

/* Compares the JSON string at j->p (escapes resolved naively: keys with
 * escapes only match byte for byte) with key and moves past it. */
static int vf_json_key_is(vf_json *j, vstr key)
{
    const char *start = j->p + 1;

    if (vf_json_skip_str(j)) return -1;
    return (j->p - 1 - start) == key.n && memcmp(start, key.p, (vsize)key.n) == 0;
}

/* Positions j at the member `key` of the object at j->p; 1 if absent. */
static int vf_json_member(vf_json *j, vstr key)
{
    int is;

    vf_json_ws(j);
    if (j->p >= j->end || *j->p != '{') return 1;
    j->p++;
    for (;;) {
        vf_json_ws(j);
        if (j->p >= j->end || *j->p != '"') return 1;
        is = vf_json_key_is(j, key);
        vf_json_ws(j);
        if (is < 0 || j->p >= j->end || *j->p++ != ':') return 1;
        vf_json_ws(j);
        if (is) return 0;
        if (vf_json_skip(j)) return 1;
        vf_json_ws(j);
        if (j->p >= j->end || *j->p++ != ',') return 1;
    }
}

static int vf_json_index(vf_json *j, i64 idx)
{
    vf_json_ws(j);
    if (j->p >= j->end || *j->p != '[') return 1;
    j->p++;
    vf_json_ws(j);
    if (j->p < j->end && *j->p == ']') return 1;
    for (; idx > 0; idx--) {
        if (vf_json_skip(j)) return 1;
        vf_json_ws(j);
        if (j->p >= j->end || *j->p++ != ',') return 1;
    }
    vf_json_ws(j);
    return 0;
}

static int vf_hex4(const char *p, u32 *out)
{
    u32 v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        char c = p[i];

        v <<= 4;
        if (c >= '0' && c <= '9') v |= (u32)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v |= (u32)((c | 0x20) - 'a' + 10);
        else return 1;
    }
    *out = v;
    return 0;
}

static int vf_utf8_put(char *p, u32 cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xC0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (char)(0xE0 | (cp >> 12));
        p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | (cp >> 18));
    p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the string body [p, end) (without quotes) into rt->tmp; an
 * escape never grows the text, so s.n bytes are enough. */
static int vf_json_unescape(velo_rt *rt, const char *p, const char *end, vstr *out)
{
    char *o = vf_alloc(rt, end - p), *q = o;
    u32 cp, lo;

    while (p < end) {
        if (*p != '\\') {
            *q++ = *p++;
            continue;
        }
        if (++p >= end) return 1;
        switch (*p++) {
        case '"': *q++ = '"'; break;
        case '\\': *q++ = '\\'; break;
        case '/': *q++ = '/'; break;
        case 'b': *q++ = '\b'; break;
        case 'f': *q++ = '\f'; break;
        case 'n': *q++ = '\n'; break;
        case 'r': *q++ = '\r'; break;
        case 't': *q++ = '\t'; break;
        case 'u':
            if (end - p < 4 || vf_hex4(p, &cp)) return 1;
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' && !vf_hex4(p + 2, &lo) && lo >= 0xDC00 &&
                lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            q += vf_utf8_put(q, cp);
            break;
        default: return 1;
        }
    }
    *q = '\0';
    *out = vf_str(o, q - o);
    return 0;
}

/* The scalar at j->p as text; 1 for null, objects, arrays and bad JSON. */
static int vf_json_scalar(velo_rt *rt, vf_json *j, vstr *out)
{
    const char *start = j->p;

    if (j->p >= j->end || *j->p == '{' || *j->p == '[') return 1;
    if (*j->p == '"') {
        if (vf_json_skip_str(j)) return 1;
        return vf_json_unescape(rt, start + 1, j->p - 1, out);
    }
    vf_json_skip(j);
    if (j->p == start || (j->p - start == 4 && memcmp(start, "null", 4) == 0)) return 1;
    *out = vf_str(start, j->p - start);
    return 0;
}

/* One path step after '$': ".name", "['name']"/["name"] or "[n]".
 * Returns 0 and the step, 1 at the end of the path, -1 on a bad path. */
static int vf_path_step(vstr path, i64 *pos, vstr *key, i64 *idx)
{
    const char *p = path.p + *pos, *end = path.p + path.n, *s;

    if (p >= end) return 1;
    if (*p == '.') {
        s = ++p;
        while (p < end && *p != '.' && *p != '[') p++;
        if (p == s) return -1;
        *key = vf_str(s, p - s);
        *idx = -1;
    } else if (*p == '[' && p + 1 < end && (p[1] == '\'' || p[1] == '"')) {
        char q = p[1];

        s = p += 2;
        while (p < end && *p != q) p++;
        if (p + 1 >= end || p[1] != ']') return -1;
        *key = vf_str(s, p - s);
        *idx = -1;
        p += 2;
    } else if (*p == '[') {
        i64 v = 0;

        for (s = ++p; p < end && *p >= '0' && *p <= '9' && v < VELO_I64_MAX / 10; p++) v = v * 10 + (*p - '0');
        if (p == s || p >= end || *p != ']') return -1;
        *idx = v;
        p++;
    } else {
        return -1;
    }
    *pos = p - path.p;
    return 0;
}

vstr vf_json_value(velo_rt *rt, vstr json, vstr path, int *is_null)
{
    vf_json j = {json.p, json.p + json.n, 0};
    vstr key = {0, 0}, out = {json.p, 0};
    i64 pos = 1, idx = -1;
    int rc;

    *is_null = 1;
    if (path.n < 1 || path.p[0] != '$') {
        velo_fail(rt, "invalid JSON path: must start with '$'");
        return out;
    }
    while ((rc = vf_path_step(path, &pos, &key, &idx)) == 0) {
        if (idx >= 0 ? vf_json_index(&j, idx) : vf_json_member(&j, key)) return out;
    }
    if (rc < 0) {
        velo_fail(rt, "invalid JSON path");
        return out;
    }
    vf_json_ws(&j);
    if (vf_json_scalar(rt, &j, &out) == 0) *is_null = 0;
    return out;
}

/* ---- MD5 (RFC 1321) ----------------------------------------------------- */
static const u32 vf_md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1,
    0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453,
    0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942,
    0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d,
    0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const unsigned char vf_md5_r[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static void vf_md5_block(u32 st[4], const unsigned char *blk)
{
    u32 x[16], a = st[0], b = st[1], c = st[2], d = st[3], f, t;
    int i, g;

    for (i = 0; i < 16; i++) x[i] = (u32)blk[4 * i] | (u32)blk[4 * i + 1] << 8 | (u32)blk[4 * i + 2] << 16 | (u32)blk[4 * i + 3] << 24;
    for (i = 0; i < 64; i++) {
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        t = a + f + vf_md5_k[i] + x[g];
        a = d;
        d = c;
        c = b;
        b += (t << vf_md5_r[i]) | (t >> (32 - vf_md5_r[i]));
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
}

vstr vf_md5(velo_rt *rt, vstr s)
{
    static const char hex[] = "0123456789abcdef";
    u32 st[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const unsigned char *p = (const unsigned char *)s.p;
    unsigned char tail[128];
    u64 bits = (u64)s.n * 8;
    i64 i, full = s.n / 64 * 64, rest = s.n - full, tn;
    char *out = vf_alloc(rt, 32);

    for (i = 0; i < full; i += 64) vf_md5_block(st, p + i);
    /* pad: 0x80, zeros to 56 mod 64, then the bit length little-endian */
    memset(tail, 0, sizeof(tail));
    if (rest) memcpy(tail, p + full, (vsize)rest);
    tail[rest] = 0x80;
    tn = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++) tail[tn - 8 + i] = (unsigned char)(bits >> (8 * i));
    for (i = 0; i < tn; i += 64) vf_md5_block(st, tail + i);
    for (i = 0; i < 16; i++) {
        unsigned char byte = (unsigned char)(st[i / 4] >> (8 * (i % 4)));

        out[2 * i] = hex[byte >> 4];
        out[2 * i + 1] = hex[byte & 15];
    }
    return vf_str(out, 32);
}

/* ---- code points -------------------------------------------------------- */

/* First code point of s (0 for the empty string). */
i64 vf_ascii(vstr s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    i64 len, i, cp;

    if (s.n == 0) return 0;
    if (p[0] < 0x80) return p[0];
    len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
    if (len > s.n || len == 1) return p[0];
    cp = p[0] & (0x7F >> len);
    for (i = 1; i < len; i++) cp = (cp << 6) | (p[i] & 0x3F);
    return cp;
}

vstr vf_chr(velo_rt *rt, i64 code)
{
    char *p;

    if (code <= 0 || code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) {
        velo_fail(rt, code == 0 ? "null character not permitted" : "requested character is not a valid code point");
        return vf_str("", 0);
    }
    p = vf_alloc(rt, 4);
    return vf_str(p, vf_utf8_put(p, (u32)code));
}

/* ---- time --------------------------------------------------------------- */

/* v in decimal, zero-padded to width characters as printf's "%0*lld" (a
 * minus sign counts). Returns the bytes written (at most 20). */
static int vf_put_num(char *q, i64 v, int width)
{
    char tmp[24];
    int n = 0, k = 0;
    u64 u = v < 0 ? 0 - (u64)v : (u64)v;

    do tmp[n++] = (char)('0' + u % 10), u /= 10;
    while (u);
    while (n < width - (v < 0)) tmp[n++] = '0';
    if (v < 0) q[k++] = '-';
    while (n) q[k++] = tmp[--n];
    return k;
}

/* The date is split once per call and the digits written by hand: snprintf
 * and a calendar split per directive were a sixth of NEXMark q16's time. */
vstr vf_date_format(velo_rt *rt, i64 ts, vstr fmt)
{
    static const char *const wday[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /* every directive expands to at most 21 bytes ("%Y" of a far year) */
    char *p = vf_alloc(rt, fmt.n * 21), *q = p;
    i64 y, usod;
    int m, d;

    vt_civil_of(ts, &y, &m, &d, &usod);
    for (i64 i = 0; i < fmt.n; i++) {
        char c = i + 1 < fmt.n && fmt.p[i] == '%' ? fmt.p[i + 1] : 0;
        int n = 0;

        switch (c) {
        case 'Y': n = vf_put_num(q, y, 4); break;
        case 'm': n = vf_put_num(q, m, 2); break;
        case 'd': n = vf_put_num(q, d, 2); break;
        case 'H': n = vf_put_num(q, usod / 3600000000LL, 2); break;
        case 'M': n = vf_put_num(q, usod / 60000000LL % 60, 2); break;
        case 'S': n = vf_put_num(q, usod / 1000000 % 60, 2); break;
        case 'f': n = vf_put_num(q, usod % 1000000, 6); break;
        case 'j': n = vf_put_num(q, vt_extract(VT_F_DOY, ts), 3); break;
        case 'a': n = (int)strlen(strcpy(q, wday[vt_extract(VT_F_DOW, ts)])); break;
        case 'b': n = (int)strlen(strcpy(q, mon[m - 1])); break;
        case '%':
            *q = '%';
            n = 1;
            break;
        default: break;
        }
        if (n) {
            q += n;
            i++;
        } else {
            *q++ = fmt.p[i]; /* unknown directives are copied as written */
        }
    }
    *q = '\0';
    return vf_str(p, q - p);
}

i64 vf_to_timestamp_seconds(velo_rt *rt, double secs)
{
    double us = secs * 1e6;

    if (!(us > -9.2e18 && us < 9.2e18)) return velo_fail(rt, "timestamp out of range");
    return llround(us);
}

i64 vf_from_epoch_millis(velo_rt *rt, i64 ms)
{
    i64 us;

    if (__builtin_mul_overflow(ms, 1000, &us)) return velo_fail(rt, "timestamp out of range");
    return us;
}

static i64 vf_months_between(i64 a, i64 b)
{
    i64 months = (vt_extract(VT_F_YEAR, b) - vt_extract(VT_F_YEAR, a)) * 12 + vt_extract(VT_F_MONTH, b) - vt_extract(VT_F_MONTH, a);
    /* the rest of the month: position within the month, to the microsecond
     * (truncating to MONTH cannot fail, hence no rt) */
    i64 ra = a - vt_trunc(NULL, VT_F_MONTH, a), rb = b - vt_trunc(NULL, VT_F_MONTH, b);

    if (months > 0 && rb < ra) months--;
    else if (months < 0 && rb > ra) months++;
    return months;
}

/* b - a in whole units, truncated toward zero. */
i64 vf_datediff(velo_rt *rt, int field, i64 a, i64 b)
{
    i64 d;

    switch (field) {
    case VT_F_YEAR: return vf_months_between(a, b) / 12;
    case VT_F_QUARTER: return vf_months_between(a, b) / 3;
    case VT_F_MONTH: return vf_months_between(a, b);
    default: break;
    }
    if (__builtin_sub_overflow(b, a, &d)) return velo_fail(rt, "interval out of range");
    switch (field) {
    case VT_F_WEEK: return d / (7 * 86400000000LL);
    case VT_F_DAY: return d / 86400000000LL;
    case VT_F_HOUR: return d / 3600000000LL;
    case VT_F_MINUTE: return d / 60000000LL;
    case VT_F_SECOND:
    case VT_F_EPOCH: return d / 1000000LL;
    case VT_F_MILLISECOND: return d / 1000LL;
    case VT_F_MICROSECOND: return d;
    default: return velo_fail(rt, "unsupported unit for DATEDIFF");
    }
}
