/*
 * test_decimal.c -- DECIMAL arithmetic (runtime/decimal.c): exact scaled
 * integers, half-away-from-zero rounding, overflow and division by zero as
 * record failures, and the text forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "velo.h"

#include "value_test.h"

static i64 P(const char *text, int s)
{
    i64 v = 0;
    assert_int_equal(vd_parse(text, (i64)strlen(text), s, &v), 0);
    return v;
}

static void assert_fmt(i64 v, int s, const char *want)
{
    char buf[32];
    int n = vd_format(buf, v, s);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_pow10(void **state)
{
    (void)state;
    assert_int_equal(vd_pow10[0], 1);
    assert_int_equal(vd_pow10[18], 1000000000000000000LL);
}

static void test_add_sub_align_scales(void **state)
{
    (void)state;
    /* 1.25 (s2) + 0.125 (s3) = 1.375 */
    assert_int_equal(vd_add(rt, 125, 2, 125, 3, 3), 1375);
    /* rounded to scale 2: 1.375 -> 1.38 */
    assert_int_equal(vd_add(rt, 125, 2, 125, 3, 2), 138);
    assert_int_equal(vd_sub(rt, 125, 2, 125, 3, 3), 1125);
    assert_int_equal(vd_sub(rt, -125, 2, 125, 3, 2), -138);
    t_ok();
}

static void test_add_overflow(void **state)
{
    (void)state;
    vd_add(rt, VELO_I64_MAX, 0, 1, 0, 0);
    t_failed("decimal overflow");
    /* aligning scales can overflow even when the sum would not */
    vd_add(rt, VELO_I64_MAX / 10, 0, 1, 1, 1);
    t_ok();
    vd_add(rt, VELO_I64_MAX, 0, 0, 1, 1);
    t_failed("decimal overflow");
    vd_sub(rt, VELO_I64_MIN, 0, 1, 0, 0);
    t_failed("decimal overflow");
}

static void test_mul_rounding(void **state)
{
    (void)state;
    /* 1.05 * 1.05 = 1.1025 -> 1.10 at scale 2; -1.1025 -> -1.10 */
    assert_int_equal(vd_mul(rt, 105, 2, 105, 2, 4), 11025);
    assert_int_equal(vd_mul(rt, 105, 2, 105, 2, 2), 110);
    /* 0.15 * 0.5 = 0.075 -> 0.08 (half away), negative -> -0.08 */
    assert_int_equal(vd_mul(rt, 15, 2, 5, 1, 2), 8);
    assert_int_equal(vd_mul(rt, -15, 2, 5, 1, 2), -8);
    /* price DECIMAL(12,4) * qty INTEGER */
    assert_int_equal(vd_mul(rt, P("9999999.9999", 4), 4, 3, 0, 4), 299999999997LL);
    t_ok();
}

static void test_mul_overflow(void **state)
{
    (void)state;
    vd_mul(rt, 4000000000000000000LL, 0, 3, 0, 0);
    t_failed("decimal overflow");
    /* the 128-bit intermediate holds what i64 cannot, before rescaling */
    assert_int_equal(vd_mul(rt, 4000000000000000000LL, 9, 2000000000LL, 9, 0), 8000000000LL);
    t_ok();
    vd_mul(rt, VELO_I64_MAX, 0, VELO_I64_MAX, 0, 18);
    t_failed("decimal overflow");
}

static void test_div(void **state)
{
    (void)state;
    /* 1 / 3 at scale 4 = 0.3333; 2/3 -> 0.6667 */
    assert_int_equal(vd_div(rt, 1, 0, 3, 0, 4), 3333);
    assert_int_equal(vd_div(rt, 2, 0, 3, 0, 4), 6667);
    assert_int_equal(vd_div(rt, -2, 0, 3, 0, 4), -6667);
    assert_int_equal(vd_div(rt, 2, 0, -3, 0, 4), -6667);
    /* 10.00 / 0.25 = 40 at scale 2 */
    assert_int_equal(vd_div(rt, 1000, 2, 25, 2, 2), 4000);
    /* result scale below the operands (negative exponent scales b) */
    assert_int_equal(vd_div(rt, 12345, 4, 1, 0, 1), 12);  /* 1.2345 -> 1.2 */
    assert_int_equal(vd_div(rt, 12355, 4, 1, 0, 2), 124); /* 1.2355 -> 1.24 */
    assert_int_equal(vd_div(rt, 5, 0, 2, 0, 0), 3);       /* 2.5 -> 3 */
    assert_int_equal(vd_div(rt, -5, 0, 2, 0, 0), -3);
    t_ok();
}

static void test_div_by_zero_and_overflow(void **state)
{
    (void)state;
    vd_div(rt, 1, 0, 0, 2, 2);
    t_failed("division by zero");
    vd_mod(rt, 1, 0, 0, 0, 0);
    t_failed("division by zero");
    vd_div(rt, VELO_I64_MAX, 0, 1, 2, 0);
    t_failed("decimal overflow");
}

static void test_mod(void **state)
{
    (void)state;
    /* 7.5 % 2 = 1.5; -7.5 % 2 = -1.5 (sign of the dividend) */
    assert_int_equal(vd_mod(rt, 75, 1, 2, 0, 1), 15);
    assert_int_equal(vd_mod(rt, -75, 1, 2, 0, 1), -15);
    assert_int_equal(vd_mod(rt, 75, 1, -2, 0, 1), 15);
    t_ok();
}

static void test_rescale(void **state)
{
    (void)state;
    assert_int_equal(vd_rescale(rt, 2345, 3, 2), 235);
    assert_int_equal(vd_rescale(rt, -2345, 3, 2), -235);
    assert_int_equal(vd_rescale(rt, 2344, 3, 2), 234);
    assert_int_equal(vd_rescale(rt, 12, 0, 3), 12000);
    t_ok();
    vd_rescale(rt, VELO_I64_MAX, 0, 1);
    t_failed("decimal overflow");
}

static void test_round_trunc(void **state)
{
    (void)state;
    /* ROUND(2.345, 2) = 2.35, ROUND(-2.345, 2) = -2.35 */
    assert_int_equal(vd_round(rt, 2345, 3, 2), 235);
    assert_int_equal(vd_round(rt, -2345, 3, 2), -235);
    assert_int_equal(vd_round(rt, 23450, 4, 2), 235);
    assert_int_equal(vd_round(rt, 2345, 3, 5), 2345); /* scale stays 3 */
    assert_int_equal(vd_round(rt, 2345, 3, 0), 2);
    assert_int_equal(vd_round(rt, 2500, 3, 0), 3);
    /* negative digits: tens and hundreds at scale 0 */
    assert_int_equal(vd_round(rt, 12345, 2, -1), 120); /* 123.45 -> 120 */
    assert_int_equal(vd_round(rt, 15000, 2, -2), 200); /* 150.00 -> 200 */
    assert_int_equal(vd_round(rt, -15000, 2, -2), -200);
    assert_int_equal(vd_trunc(rt, 2349, 3, 2), 234);
    assert_int_equal(vd_trunc(rt, -2349, 3, 2), -234);
    assert_int_equal(vd_trunc(rt, 19999, 2, -2), 100);
    t_ok();
    vd_round(rt, VELO_I64_MAX, 0, -1);
    t_failed("decimal overflow");
}

static void test_floor_ceil(void **state)
{
    (void)state;
    assert_int_equal(vd_floor(rt, 250, 2), 2);
    assert_int_equal(vd_floor(rt, -250, 2), -3);
    assert_int_equal(vd_floor(rt, -200, 2), -2);
    assert_int_equal(vd_ceil(rt, 250, 2), 3);
    assert_int_equal(vd_ceil(rt, -250, 2), -2);
    assert_int_equal(vd_ceil(rt, 7, 0), 7);
    t_ok();
}

static void test_cmp_across_scales(void **state)
{
    (void)state;
    assert_int_equal(vd_cmp(1250, 2, 125, 1), 0); /* 12.50 = 12.5 */
    assert_int_equal(vd_cmp(1251, 2, 125, 1), 1);
    assert_int_equal(vd_cmp(-1, 18, 0, 0), -1);
    /* values whose alignment would overflow an i64 */
    assert_int_equal(vd_cmp(VELO_I64_MAX, 0, VELO_I64_MAX, 18), 1);
    assert_int_equal(vd_cmp(VELO_I64_MIN, 0, 1, 18), -1);
}

static void test_conversions(void **state)
{
    (void)state;
    assert_true(vd_to_f64(1250, 2) == 12.5);
    assert_true(vd_to_f64(-5, 2) == -0.05);
    assert_int_equal(vd_from_f64(rt, 2.675, 2), 268); /* as written, not as stored */
    assert_int_equal(vd_from_f64(rt, -0.125, 2), -13);
    assert_int_equal(vd_from_f64(rt, 1e-30, 4), 0);
    assert_int_equal(vd_from_f64(rt, 123456789.0, 0), 123456789);
    assert_int_equal(vd_from_i64(rt, 42, 3), 42000);
    assert_int_equal(vd_to_i64(rt, 2500, 3), 3);
    assert_int_equal(vd_to_i64(rt, -2500, 3), -3);
    t_ok();
    vd_from_f64(rt, 1e30, 2);
    t_failed("decimal overflow");
    vd_from_f64(rt, NAN, 2);
    t_failed("NaN");
    vd_from_i64(rt, VELO_I64_MAX / 10, 2);
    t_failed("decimal overflow");
}

static void test_check_prec(void **state)
{
    (void)state;
    assert_int_equal(vd_check_prec(rt, 99999, 5), 99999);
    assert_int_equal(vd_check_prec(rt, -99999, 5), -99999);
    t_ok();
    vd_check_prec(rt, 100000, 5);
    t_failed("out of range");
    vd_check_prec(rt, -100000, 5);
    t_failed("DECIMAL(5)");
}

static void test_parse_valid(void **state)
{
    i64 v;
    (void)state;
    assert_int_equal(P("12.50", 4), 125000);
    assert_int_equal(P("-12.345", 3), -12345);
    assert_int_equal(P("+7", 2), 700);
    assert_int_equal(P(".5", 1), 5);
    assert_int_equal(P("1.", 2), 100);
    assert_int_equal(P("0.005", 2), 1); /* half away from zero */
    assert_int_equal(P("-0.005", 2), -1);
    assert_int_equal(P("0.00499999", 2), 0);
    assert_int_equal(P("180.0420", 4), 1800420);
    assert_int_equal(P("9223372036854775807", 0), VELO_I64_MAX);
    assert_int_equal(P("-9223372036854775808", 0), VELO_I64_MIN);
    assert_int_equal(vd_parse("1.5xyz", 3, 1, &v), 0); /* only n bytes count */
    assert_int_equal(v, 15);
}

static void test_parse_invalid(void **state)
{
    i64 v = 0;
    (void)state;
    assert_int_equal(vd_parse("", 0, 2, &v), 1);
    assert_int_equal(vd_parse("-", 1, 2, &v), 1);
    assert_int_equal(vd_parse(".", 1, 2, &v), 1);
    assert_int_equal(vd_parse("1e3", 3, 2, &v), 1);
    assert_int_equal(vd_parse(" 1", 2, 2, &v), 1);
    assert_int_equal(vd_parse("1 ", 2, 2, &v), 1);
    assert_int_equal(vd_parse("1.2.3", 5, 2, &v), 1);
    assert_int_equal(vd_parse("--1", 3, 2, &v), 1);
    assert_int_equal(vd_parse("9223372036854775808", 19, 0, &v), 2);
    assert_int_equal(vd_parse("123456789012345678901234567890", 30, 0, &v), 2);
    assert_int_equal(vd_parse("92233720368547758.08", 20, 2, &v), 2);
    /* too many digits AND junk: syntax wins */
    assert_int_equal(vd_parse("123456789012345678901234567890x", 31, 0, &v), 1);
}

static void test_format(void **state)
{
    (void)state;
    assert_fmt(1250, 2, "12.50");
    assert_fmt(-5, 2, "-0.05");
    assert_fmt(5, 2, "0.05");
    assert_fmt(42, 0, "42");
    assert_fmt(0, 3, "0.000");
    assert_fmt(-1250, 2, "-12.50");
    assert_fmt(VELO_I64_MIN, 0, "-9223372036854775808");
    assert_fmt(VELO_I64_MIN, 18, "-9.223372036854775808");
    assert_fmt(1, 18, "0.000000000000000001");
}

static void test_sum_is_exact(void **state)
{
    i64 sum = 0;
    int i;
    (void)state;
    /* 1000 x 0.10 is exactly 100.00, unlike binary floating point */
    for (i = 0; i < 1000; i++) sum = vd_add(rt, sum, 4, P("0.10", 4), 4, 4);
    assert_fmt(sum, 4, "100.0000");
    t_ok();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pow10),
        T(test_add_sub_align_scales),
        T(test_add_overflow),
        T(test_mul_rounding),
        T(test_mul_overflow),
        T(test_div),
        T(test_div_by_zero_and_overflow),
        T(test_mod),
        T(test_rescale),
        T(test_round_trunc),
        T(test_floor_ceil),
        T(test_cmp_across_scales),
        T(test_conversions),
        T(test_check_prec),
        T(test_parse_valid),
        T(test_parse_invalid),
        T(test_format),
        T(test_sum_is_exact),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
