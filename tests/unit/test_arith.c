/*
 * test_arith.c -- the small value modules of libvelo: checked integer
 * arithmetic (arith.c), strings, LIKE and text conversions (vstring.c),
 * hashing (hash.c), aggregate helpers (agg.c) and the arena (arena.c).
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
static vstr S(const char *s)
{
    vstr v = {s, (i64)strlen(s)};
    return v;
}

#define assert_vstr(v, want)                                                                                                               \
    do {                                                                                                                                   \
        vstr v_ = (v);                                                                                                                     \
        assert_int_equal(v_.n, (i64)strlen(want));                                                                                         \
        if (v_.n) assert_memory_equal(v_.p, want, (size_t)v_.n);                                                                           \
    } while (0)

/* ---- arith ---- */

static void test_int_ops(void **state)
{
    (void)state;
    assert_int_equal(vi_add(rt, 2, 3), 5);
    assert_int_equal(vi_sub(rt, 2, 3), -1);
    assert_int_equal(vi_mul(rt, -4, 3), -12);
    assert_int_equal(vi_neg(rt, 7), -7);
    assert_int_equal(vi_check_i32(rt, 2147483647LL), 2147483647LL);
    assert_int_equal(vi_check_i32(rt, -2147483648LL), -2147483648LL);
    t_ok();
}

static void test_int_div_mod(void **state)
{
    (void)state;
    /* truncation toward zero, remainder with the dividend's sign */
    assert_int_equal(vi_div(rt, 7, 2), 3);
    assert_int_equal(vi_div(rt, -7, 2), -3);
    assert_int_equal(vi_div(rt, 7, -2), -3);
    assert_int_equal(vi_mod(rt, 7, 2), 1);
    assert_int_equal(vi_mod(rt, -7, 2), -1);
    assert_int_equal(vi_mod(rt, 7, -2), 1);
    assert_int_equal(vi_mod(rt, VELO_I64_MIN, -1), 0);
    t_ok();
    vi_div(rt, 1, 0);
    t_failed("division by zero");
    vi_mod(rt, 1, 0);
    t_failed("division by zero");
    vi_div(rt, VELO_I64_MIN, -1);
    t_failed("integer overflow");
}

static void test_int_overflow(void **state)
{
    (void)state;
    vi_add(rt, VELO_I64_MAX, 1);
    t_failed("integer overflow");
    vi_sub(rt, VELO_I64_MIN, 1);
    t_failed("integer overflow");
    vi_mul(rt, VELO_I64_MAX / 2 + 1, 2);
    t_failed("integer overflow");
    vi_neg(rt, VELO_I64_MIN);
    t_failed("integer overflow");
    vi_check_i32(rt, 2147483648LL);
    t_failed("integer overflow");
    vi_check_i32(rt, -2147483649LL);
    t_failed("integer overflow");
}

static void test_f64_div_mod(void **state)
{
    (void)state;
    assert_true(vf64_div(rt, 8, 3) == 8.0 / 3);
    assert_true(vf64_mod(rt, -7.5, 2) == -1.5);
    t_ok();
    vf64_div(rt, 1, 0);
    t_failed("division by zero");
    vf64_div(rt, 1, -0.0);
    t_failed("division by zero");
    vf64_mod(rt, 1, 0);
    t_failed("division by zero");
}

/* ---- strings ---- */

static void test_cmp_concat(void **state)
{
    (void)state;
    assert_int_equal(vs_cmp(S("abc"), S("abd")), -1);
    assert_int_equal(vs_cmp(S("abc"), S("ab")), 1);
    assert_int_equal(vs_cmp(S("ab"), S("abc")), -1);
    assert_int_equal(vs_cmp(S(""), S("")), 0);
    assert_int_equal(vs_cmp(S("\xc3\xa9"), S("z")), 1); /* bytewise: 0xc3 > 'z' */
    assert_true(vs_eq(S("x"), S("x")));
    assert_vstr(vs_concat(rt, S("foo"), S("bar")), "foobar");
    assert_vstr(vs_concat(rt, S(""), S("")), "");
}

static int like(const char *s, const char *pat, int esc)
{
    return vs_like(S(s), S(pat), esc);
}

static void test_like(void **state)
{
    (void)state;
    assert_true(like("hello", "h%o", -1));
    assert_true(like("hello", "%", -1));
    assert_true(like("", "%", -1));
    assert_false(like("", "_", -1));
    assert_true(like("hello", "h_llo", -1));
    assert_false(like("hello", "h_lo", -1));
    assert_true(like("hello", "%l%l%", -1));
    assert_false(like("hello", "%x%", -1));
    assert_true(like("abcabc", "%abc", -1));
    assert_false(like("Hello", "hello", -1)); /* case-sensitive */
    assert_true(like("mississippi", "%iss%ppi", -1));
    assert_false(like("abc", "abc_", -1));
}

static void test_like_escape_utf8(void **state)
{
    (void)state;
    assert_true(like("100%", "100\\%", '\\'));
    assert_false(like("1000", "100\\%", '\\'));
    assert_true(like("a_b", "a\\_b", '\\'));
    assert_false(like("axb", "a\\_b", '\\'));
    assert_true(like("a\\b", "a\\\\b", '\\'));
    assert_true(like("50% off", "%!%%", '!'));
    assert_false(like("abc", "abc\\", '\\')); /* dangling escape never matches */
    /* '_' is one code point, not one byte */
    assert_true(like("h\xc3\xa9llo", "h_llo", -1));
    assert_false(like("h\xc3\xa9llo", "h__llo", -1));
    assert_true(like("\xf0\x9f\x98\x80", "_", -1));
    assert_true(like("x\xc3\xa9", "%\xc3\xa9", -1));
}

/* vs_like_segments ('%a%b%' patterns, what codegen calls for them) agrees
 * with vs_like on random texts and patterns over a small alphabet, where
 * overlaps and repeats are common. */
static void test_like_segments(void **state)
{
    (void)state;
    unsigned r = 7;
    char s[24], pat[16];
    for (int t = 0; t < 20000; t++) {
        r = r * 1103515245u + 12345u;
        int n = (int)((r >> 16) % 20), m = 1;
        for (int i = 0; i < n; i++) {
            r = r * 1103515245u + 12345u;
            s[i] = "abc"[(r >> 16) % 3];
        }
        s[n] = 0;
        pat[0] = '%';
        r = r * 1103515245u + 12345u;
        int k = (int)((r >> 16) % 12);
        for (int i = 0; i < k; i++) {
            r = r * 1103515245u + 12345u;
            pat[m++] = "abc%"[(r >> 16) % 4];
        }
        pat[m++] = '%';
        pat[m] = 0;
        if (vs_like_segments(S(s), S(pat)) != vs_like(S(s), S(pat), -1)) fail_msg("'%s' LIKE '%s'", s, pat);
    }
    assert_true(vs_like_segments(S("xx special yy requests zz"), S("%special%requests%")));
    assert_false(vs_like_segments(S("requests special"), S("%special%requests%")));
    assert_false(vs_like_segments(S("abab"), S("%aba%bab%"))); /* the literals may not overlap */
}

static void test_like_is_not_exponential(void **state)
{
    char s[4001], pat[64];
    (void)state;
    memset(s, 'a', 4000);
    s[4000] = '\0';
    strcpy(pat, "%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b");
    assert_false(vs_like(S(s), S(pat), -1));
}

static void test_from_numbers(void **state)
{
    (void)state;
    assert_vstr(vs_from_i64(rt, -42), "-42");
    assert_vstr(vs_from_i64(rt, VELO_I64_MIN), "-9223372036854775808");
    assert_vstr(vs_from_f64(rt, 8.0 / 3), "2.6666666666666665");
    assert_vstr(vs_from_f64(rt, 0.1), "0.1");
    assert_vstr(vs_from_f64(rt, 0.1 + 0.2), "0.30000000000000004");
    assert_vstr(vs_from_f64(rt, 3.5), "3.5");
    assert_vstr(vs_from_f64(rt, 100), "100");
    assert_vstr(vs_from_f64(rt, 1e21), "1e+21");
    assert_vstr(vs_from_f64(rt, -0.0), "-0");
    assert_vstr(vs_from_f64(rt, NAN), "NaN");
    assert_vstr(vs_from_f64(rt, INFINITY), "Infinity");
    assert_vstr(vs_from_f64(rt, -INFINITY), "-Infinity");
    assert_vstr(vs_from_dec(rt, -5, 2), "-0.05");
    assert_vstr(vs_from_bool(rt, 1), "true");
    assert_vstr(vs_from_bool(rt, 0), "false");
}

static void test_from_ts(void **state)
{
    (void)state;
    assert_vstr(vs_from_ts(rt, 1767225601500000LL), "2026-01-01 00:00:01.5");
    assert_vstr(vs_from_ts(rt, 0), "1970-01-01 00:00:00");
}

static void test_to_i64(void **state)
{
    (void)state;
    assert_int_equal(vs_to_i64(rt, S("42")), 42);
    assert_int_equal(vs_to_i64(rt, S("  -17 ")), -17);
    assert_int_equal(vs_to_i64(rt, S("+5")), 5);
    assert_int_equal(vs_to_i64(rt, S("9223372036854775807")), VELO_I64_MAX);
    assert_int_equal(vs_to_i64(rt, S("-9223372036854775808")), VELO_I64_MIN);
    t_ok();
    vs_to_i64(rt, S("x"));
    t_failed("invalid BIGINT 'x'");
    vs_to_i64(rt, S(""));
    t_failed("invalid BIGINT");
    vs_to_i64(rt, S("-"));
    t_failed("invalid BIGINT");
    vs_to_i64(rt, S("1.5"));
    t_failed("invalid BIGINT '1.5'");
    vs_to_i64(rt, S("9223372036854775808"));
    t_failed("out of range");
}

static void test_to_f64(void **state)
{
    (void)state;
    assert_true(vs_to_f64(rt, S("2.5")) == 2.5);
    assert_true(vs_to_f64(rt, S(" 1e3 ")) == 1000);
    assert_true(vs_to_f64(rt, S("-Infinity")) == -INFINITY);
    assert_true(isnan(vs_to_f64(rt, S("NaN"))));
    assert_true(isnan(vs_f64_nan()));
    t_ok();
    vs_to_f64(rt, S("abc"));
    t_failed("invalid DOUBLE 'abc'");
    vs_to_f64(rt, S("1.5x"));
    t_failed("invalid DOUBLE");
    vs_to_f64(rt, S("0x10"));
    t_failed("invalid DOUBLE");
    vs_to_f64(rt, S(""));
    t_failed("invalid DOUBLE");
    vs_to_f64(rt, S("1e999"));
    t_failed("DOUBLE out of range");
}

static void test_to_dec_ts_bool(void **state)
{
    (void)state;
    assert_int_equal(vs_to_dec(rt, S(" 12.345 "), 10, 2), 1235);
    assert_int_equal(vs_to_ts(rt, S(" 2026-01-01T00:00:01Z ")), 1767225601000000LL);
    assert_true(vs_to_bool(rt, S("TRUE")));
    assert_true(vs_to_bool(rt, S("yes")));
    assert_false(vs_to_bool(rt, S("f")));
    assert_false(vs_to_bool(rt, S(" 0 ")));
    t_ok();
    vs_to_dec(rt, S("1e3"), 10, 2);
    t_failed("invalid DECIMAL '1e3'");
    vs_to_dec(rt, S("123456789"), 5, 2);
    t_failed("out of range");
    vs_to_dec(rt, S("99999999999999999999"), 18, 0);
    t_failed("DECIMAL out of range");
    vs_to_ts(rt, S("2026-02-30"));
    t_failed("invalid TIMESTAMP '2026-02-30'");
    vs_to_bool(rt, S("maybe"));
    t_failed("invalid BOOLEAN 'maybe'");
}

static void test_fail_message_is_bounded(void **state)
{
    char big[300];
    (void)state;
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    vs_to_i64(rt, S(big));
    assert_true(strlen(rt->errmsg) < 100);
    t_failed("...");
}

/* ---- hash ---- */

static void test_hash(void **state)
{
    char buf[100];
    int i;
    (void)state;
    /* published XXH64 values (seed 0) */
    assert_true(vh_bytes("", 0, 0) == 0xEF46DB3751D8E999ULL);
    assert_true(vh_bytes("a", 1, 0) == 0xD24EC4F1A98C6E5BULL);
    assert_true(vh_bytes("abc", 3, 0) == 0x44BC2CF5AD770999ULL);
    assert_true(vh_bytes("abc", 3, 0) == vh_bytes("abc", 3, 0));
    assert_true(vh_bytes("abc", 3, 0) != vh_bytes("abc", 3, 1));
    assert_true(vh_bytes("abc", 3, 0) != vh_bytes("abd", 3, 0));
    /* every length through the 32-byte stripes, 8/4/1-byte tails */
    for (i = 0; i < 100; i++) buf[i] = (char)i;
    for (i = 1; i < 100; i++) assert_true(vh_bytes(buf, (vsize)i, 0) != vh_bytes(buf, (vsize)i - 1, 0));
    assert_true(vh_str(S("key"), 7) == vh_bytes("key", 3, 7));
}

static void test_hash_f64(void **state)
{
    (void)state;
    assert_true(vh_f64(0.0, 0) == vh_f64(-0.0, 0));
    assert_true(vh_f64(NAN, 0) == vh_f64(-NAN, 0));
    assert_true(vh_f64(1.0, 0) != vh_f64(2.0, 0));
}

/* ---- agg ---- */

static void test_median(void **state)
{
    vdarr a = {0};
    int i;
    (void)state;
    vagg_push_f64(&a, 5);
    assert_true(vagg_median(&a) == 5);
    vagg_push_f64(&a, 1);
    assert_true(vagg_median(&a) == 3);
    vagg_push_f64(&a, 10);
    assert_true(vagg_median(&a) == 5);
    for (i = 0; i < 100; i++) vagg_push_f64(&a, 100 + i);
    assert_int_equal(a.n, 103);
    assert_true(vagg_median(&a) == 148);
    vagg_free_f64(&a);
    assert_null(a.v);
    assert_true(vagg_median(&a) == 0);
}

static void test_strcat(void **state)
{
    vsbuf b = {0};
    int i;
    (void)state;
    vagg_strcat(&b, S(", "), S("a"), 1);
    vagg_strcat(&b, S(", "), S("b"), 0);
    vagg_strcat(&b, S(", "), S(""), 0);
    assert_int_equal(b.n, 6);
    assert_string_equal(b.p, "a, b, ");
    for (i = 0; i < 200; i++) vagg_strcat(&b, S(""), S("xyz"), 0);
    assert_int_equal(b.n, 606);
    vagg_free_sbuf(&b);
    assert_null(b.p);
}

static void test_set(void **state)
{
    vset s = {0};
    char key[16];
    int i;
    (void)state;
    assert_int_equal(vagg_set_add(&s, S("a")), 1);
    assert_int_equal(vagg_set_add(&s, S("a")), 0);
    assert_int_equal(vagg_set_add(&s, S("")), 1);
    assert_int_equal(vagg_set_add(&s, S("")), 0);
    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "k%d", i % 500);
        vagg_set_add(&s, S(key)); /* the set keeps its own copy */
    }
    assert_int_equal(s.n, 502);
    assert_int_equal(vagg_set_add(&s, S("k499")), 0);
    vagg_free_set(&s);
    assert_int_equal(s.n, 0);
}

/* ---- arena ---- */

static void test_arena(void **state)
{
    velo_arena a = {0};
    char *big, *p1, *p2;
    vstr d;
    int i;
    (void)state;
    p1 = va_alloc(&a, 3);
    p2 = va_alloc(&a, 5);
    assert_int_equal((uintptr_t)p1 % 8, 0);
    assert_int_equal((uintptr_t)p2 % 8, 0);
    assert_true(p2 - p1 >= 3);
    assert_int_equal(a.used, 16);
    d = va_strdup(&a, S("hello"));
    assert_string_equal(d.p, "hello"); /* copies are NUL-terminated */
    d = va_strdup(&a, S(""));
    assert_int_equal(d.n, 0);
    big = va_alloc(&a, 1 << 20); /* bigger than a chunk */
    memset(big, 1, 1 << 20);
    for (i = 0; i < 1000; i++) memset(va_alloc(&a, 1000), 2, 1000);
    va_reset(&a);
    assert_int_equal(a.used, 0);
    assert_non_null(a.head);
    /* after a reset the merged chunk is reused from its start */
    p1 = va_alloc(&a, 1 << 20);
    va_reset(&a);
    p2 = va_alloc(&a, 8);
    assert_ptr_equal(p1, p2);
    va_free(&a);
    assert_null(a.head);
    va_reset(&a); /* harmless on an empty arena */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_int_ops),
        T(test_int_div_mod),
        T(test_int_overflow),
        T(test_f64_div_mod),
        T(test_cmp_concat),
        T(test_like),
        T(test_like_escape_utf8),
        T(test_like_segments),
        T(test_like_is_not_exponential),
        T(test_from_numbers),
        T(test_from_ts),
        T(test_to_i64),
        T(test_to_f64),
        T(test_to_dec_ts_bool),
        T(test_fail_message_is_bounded),
        T(test_hash),
        T(test_hash_f64),
        T(test_median),
        T(test_strcat),
        T(test_set),
        T(test_arena),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
