/*
 * decimal.c -- exact DECIMAL(p,s) arithmetic on scaled 64-bit integers.
 *
 * A DECIMAL value is an i64 holding value * 10^s ("ScaledInteger"); the scale
 * is known at compile time, so generated code passes it with every call.
 * Every operation computes in __int128, where no intermediate of two i64
 * operands at scales <= 18 can overflow, then rounds half away from zero to
 * the result scale and checks that the result fits back into an i64.
 * Results that do not fit fail the record ("decimal overflow"); they never
 * wrap.
 */
#include "velo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef __int128 i128;

const i64 vd_pow10[19] = {
    1LL,
    10LL,
    100LL,
    1000LL,
    10000LL,
    100000LL,
    1000000LL,
    10000000LL,
    100000000LL,
    1000000000LL,
    10000000000LL,
    100000000000LL,
    1000000000000LL,
    10000000000000LL,
    100000000000000LL,
    1000000000000000LL,
    10000000000000000LL,
    100000000000000000LL,
    1000000000000000000LL,
};

/* 10^k for 0 <= k <= 38, the range of __int128. */
static i128 dec_p10(int k)
{
    i128 r = 1;

    while (k-- > 0) r *= 10;
    return r;
}

/* num / den rounded half away from zero; den != 0. */
static i128 dec_div_round(i128 num, i128 den)
{
    i128 q = num / den, r = num % den;
    i128 ar = r < 0 ? -r : r, ad = den < 0 ? -den : den;

    if (ar >= ad - ar) /* 2|r| >= |den| without overflowing */
        q += ((num < 0) != (den < 0)) ? -1 : 1;
    return q;
}

/* Moves v from scale `from` to scale `to`; 0 ok, 1 on 128-bit overflow. */
static int dec_scale(i128 v, int from, int to, i128 *out)
{
    if (to >= from) {
        if (to - from > 38) {
            *out = 0;
            return v != 0;
        }
        return __builtin_mul_overflow(v, dec_p10(to - from), out);
    }
    if (from - to > 38) {
        *out = 0;
        return 0;
    }
    *out = dec_div_round(v, dec_p10(from - to));
    return 0;
}

static i64 dec_overflow(velo_rt *rt)
{
    return velo_fail(rt, "decimal overflow");
}

/* Narrows a 128-bit result to i64 or fails the record. */
static i64 dec_fit(velo_rt *rt, i128 v)
{
    if (v > VELO_I64_MAX || v < VELO_I64_MIN) return dec_overflow(rt);
    return (i64)v;
}

static i64 dec_fit_scaled(velo_rt *rt, i128 v, int from, int to)
{
    i128 r;

    if (dec_scale(v, from, to, &r)) return dec_overflow(rt);
    return dec_fit(rt, r);
}

i64 vd_rescale(velo_rt *rt, i64 v, int from, int to)
{
    return dec_fit_scaled(rt, v, from, to);
}

i64 vd_add(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr)
{
    int s = sa > sb ? sa : sb;
    i128 x = (i128)a * dec_p10(s - sa), y = (i128)b * dec_p10(s - sb);

    return dec_fit_scaled(rt, x + y, s, sr);
}

i64 vd_sub(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr)
{
    int s = sa > sb ? sa : sb;
    i128 x = (i128)a * dec_p10(s - sa), y = (i128)b * dec_p10(s - sb);

    return dec_fit_scaled(rt, x - y, s, sr);
}

i64 vd_mul(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr)
{
    return dec_fit_scaled(rt, (i128)a * b, sa + sb, sr);
}

/* a/b at scale sr is a * 10^(sr - sa + sb) / b; a negative exponent scales
 * the divisor instead so that no digit of the dividend is lost early. */
i64 vd_div(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr)
{
    int e = sr - sa + sb;
    i128 num = a, den = b;

    if (b == 0) return velo_fail(rt, "division by zero");
    if (e >= 0) {
        if (e > 38 || __builtin_mul_overflow(num, dec_p10(e), &num)) return a == 0 ? 0 : dec_overflow(rt);
    } else if (-e > 38 || __builtin_mul_overflow(den, dec_p10(-e), &den)) {
        return 0; /* |divisor| > 10^38 > 2|dividend|: rounds to zero */
    }
    return dec_fit(rt, dec_div_round(num, den));
}

i64 vd_mod(velo_rt *rt, i64 a, int sa, i64 b, int sb, int sr)
{
    int s = sa > sb ? sa : sb;
    i128 x = (i128)a * dec_p10(s - sa), y = (i128)b * dec_p10(s - sb);

    if (b == 0) return velo_fail(rt, "division by zero");
    return dec_fit_scaled(rt, x % y, s, sr);
}

i64 vd_check_prec(velo_rt *rt, i64 v, int prec)
{
    char msg[80];

    if (prec >= 19 || prec < 0) return v;
    if (v >= vd_pow10[prec] || v <= -vd_pow10[prec]) {
        snprintf(msg, sizeof(msg), "decimal value out of range for DECIMAL(%d)", prec);
        return velo_fail(rt, msg);
    }
    return v;
}

int vd_cmp(i64 a, int sa, i64 b, int sb)
{
    int s = sa > sb ? sa : sb;
    i128 x = (i128)a * dec_p10(s - sa), y = (i128)b * dec_p10(s - sb);

    return x < y ? -1 : x > y;
}

/* Shared by ROUND and TRUNC: keep `digits` fractional digits (negative:
 * zero out that many integer digits) and return the value at scale
 * max(0, min(s, digits)). */
static i64 dec_round_to(velo_rt *rt, i64 v, int s, int digits, int away)
{
    i128 unit, q;
    int drop;

    if (digits >= s) return v;
    drop = s - digits; /* digits of v to clear, >= 1 */
    if (drop > 38) return 0;
    unit = dec_p10(drop);
    q = away ? dec_div_round(v, unit) : (i128)v / unit;
    if (digits >= 0) return dec_fit(rt, q);
    /* digits < 0: result scale is 0, put the cleared integer digits back */
    if (-digits > 38) return q == 0 ? 0 : dec_overflow(rt);
    if (__builtin_mul_overflow(q, dec_p10(-digits), &q)) return dec_overflow(rt);
    return dec_fit(rt, q);
}

i64 vd_round(velo_rt *rt, i64 v, int s, int digits)
{
    return dec_round_to(rt, v, s, digits, 1);
}

i64 vd_trunc(velo_rt *rt, i64 v, int s, int digits)
{
    return dec_round_to(rt, v, s, digits, 0);
}

i64 vd_floor(velo_rt *rt, i64 v, int s)
{
    i64 u, q;

    (void)rt; /* |floor| <= |v|: cannot overflow */
    if (s <= 0) return v;
    u = vd_pow10[s];
    q = v / u;
    return (v % u < 0) ? q - 1 : q;
}

i64 vd_ceil(velo_rt *rt, i64 v, int s)
{
    i64 u, q;

    (void)rt;
    if (s <= 0) return v;
    u = vd_pow10[s];
    q = v / u;
    return (v % u > 0) ? q + 1 : q;
}

double vd_to_f64(i64 v, int s)
{
    /* Exact operands give a correctly rounded quotient; beyond 2^53 the
     * long double path keeps the error within one rounding. */
    if (v > -(1LL << 53) && v < (1LL << 53)) return (double)v / (double)vd_pow10[s];
    return (double)((long double)v / (long double)vd_pow10[s]);
}

/* Like PostgreSQL, go through the 15 significant digits a double reliably
 * holds, so that 2.675 becomes 2.68 rather than the binary 2.67499999... */
i64 vd_from_f64(velo_rt *rt, double d, int s)
{
    char buf[40];
    i128 m = 0;
    int e, k, i, neg;

    if (isnan(d) || isinf(d)) return velo_fail(rt, "cannot convert NaN or Infinity to DECIMAL");
    snprintf(buf, sizeof(buf), "%.14e", d); /* [-]d.dddddddddddddde[+-]X */
    neg = buf[0] == '-';
    for (i = neg; buf[i] != 'e'; i++)
        if (buf[i] != '.') m = m * 10 + (buf[i] - '0');
    e = atoi(buf + i + 1);
    k = e - 14 + s; /* the value is m * 10^(e-14); we want it * 10^s */
    if (neg) m = -m;
    if (k < -38) return 0;
    return dec_fit_scaled(rt, m, 0, k);
}

i64 vd_from_i64(velo_rt *rt, i64 v, int s)
{
    return dec_fit_scaled(rt, v, 0, s);
}

i64 vd_to_i64(velo_rt *rt, i64 v, int s)
{
    return dec_fit_scaled(rt, v, s, 0);
}

static int dec_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

int vd_parse(const char *p, i64 n, int s, i64 *out)
{
    const char *end = p + n;
    i128 acc = 0, lim = (i128)VELO_I64_MAX * 10;
    int neg = 0, ndig = 0, nfrac = 0, big = 0, round_up = 0;

    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    for (; p < end && dec_isdigit(*p); p++, ndig++) {
        acc = acc * 10 + (*p - '0');
        if (acc > lim) { /* keep validating, but the value is too big */
            big = 1;
            acc = lim;
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && dec_isdigit(*p); p++, ndig++) {
            if (nfrac < s) acc = acc * 10 + (*p - '0');
            else if (nfrac == s) round_up = *p >= '5';
            nfrac++;
            if (acc > lim) {
                big = 1;
                acc = lim;
            }
        }
    }
    if (p != end || ndig == 0) return 1;
    if (big) return 2;
    for (; nfrac < s; nfrac++) acc *= 10;
    acc += round_up;
    if (neg) acc = -acc;
    if (acc > VELO_I64_MAX || acc < VELO_I64_MIN) return 2;
    *out = (i64)acc;
    return 0;
}

int vd_format(char *buf, i64 v, int s)
{
    char dig[24];
    u64 m = v < 0 ? 0 - (u64)v : (u64)v;
    int nd = 0, len = 0, i;

    do {
        dig[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    while (nd <= s) /* at least one digit before the point */
        dig[nd++] = '0';
    if (v < 0) buf[len++] = '-';
    for (i = nd - 1; i >= 0; i--) {
        buf[len++] = dig[i];
        if (i == s && s > 0) buf[len++] = '.';
    }
    buf[len] = '\0';
    return len;
}
