/*
 * arith.c -- checked BIGINT/INTEGER arithmetic and DOUBLE division.
 *
 * SQL never wraps: an overflow or a division by zero fails the record (it is
 * dead-lettered by the caller), so every operation goes through the compiler's
 * overflow builtins.  Division truncates toward zero and % takes the sign of
 * the dividend, which is what C99 does and what PostgreSQL does.
 */
#include "velo.h"

#include <math.h>

i64 vi_add(velo_rt *rt, i64 a, i64 b)
{
    i64 r;

    if (__builtin_add_overflow(a, b, &r)) return velo_fail(rt, "integer overflow");
    return r;
}

i64 vi_sub(velo_rt *rt, i64 a, i64 b)
{
    i64 r;

    if (__builtin_sub_overflow(a, b, &r)) return velo_fail(rt, "integer overflow");
    return r;
}

i64 vi_mul(velo_rt *rt, i64 a, i64 b)
{
    i64 r;

    if (__builtin_mul_overflow(a, b, &r)) return velo_fail(rt, "integer overflow");
    return r;
}

i64 vi_div(velo_rt *rt, i64 a, i64 b)
{
    if (b == 0) return velo_fail(rt, "division by zero");
    if (b == -1 && a == VELO_I64_MIN) return velo_fail(rt, "integer overflow");
    return a / b;
}

i64 vi_mod(velo_rt *rt, i64 a, i64 b)
{
    if (b == 0) return velo_fail(rt, "division by zero");
    if (b == -1) /* INT64_MIN % -1 traps on x86 although the answer is 0 */
        return 0;
    return a % b;
}

i64 vi_neg(velo_rt *rt, i64 a)
{
    if (a == VELO_I64_MIN) return velo_fail(rt, "integer overflow");
    return -a;
}

i64 vi_check_i32(velo_rt *rt, i64 v)
{
    if (v < -2147483648LL || v > 2147483647LL) return velo_fail(rt, "integer overflow");
    return v;
}

double vf64_div(velo_rt *rt, double a, double b)
{
    if (b == 0.0) {
        velo_fail(rt, "division by zero");
        return 0.0;
    }
    return a / b;
}

double vf64_mod(velo_rt *rt, double a, double b)
{
    if (b == 0.0) {
        velo_fail(rt, "division by zero");
        return 0.0;
    }
    return fmod(a, b);
}
