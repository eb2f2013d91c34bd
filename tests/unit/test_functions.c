/*
 * test_functions.c -- the scalar SQL functions (runtime/functions.c) with
 * PostgreSQL semantics: math domain errors, code-point string functions,
 * padding and splitting edge cases, PCRE2 regular expressions, JSON_VALUE,
 * MD5 (RFC 1321 test suite) and the date/time helpers.
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

static i64 TS(const char *text)
{
    i64 ts = 0;
    assert_int_equal(vt_parse(text, (i64)strlen(text), &ts), 0);
    return ts;
}

static void test_math_ok(void **state)
{
    (void)state;
    assert_true(vf_sqrt(rt, 16) == 4);
    assert_true(fabs(vf_ln(rt, M_E) - 1) < 1e-15);
    assert_true(vf_log10(rt, 1000) == 3);
    assert_true(fabs(vf_log(rt, 2, 8) - 3) < 1e-15);
    assert_true(fabs(vf_exp(1) - M_E) < 1e-15);
    assert_true(vf_power(rt, 2, 10) == 1024);
    assert_true(vf_power(rt, -2, 3) == -8);
    assert_true(fabs(vf_cbrt(-27) + 3) < 1e-15);
    assert_true(vf_sin(0) == 0 && vf_cos(0) == 1 && vf_tan(0) == 0);
    assert_true(fabs(vf_asin(rt, 1) - M_PI / 2) < 1e-15);
    assert_true(vf_acos(rt, 1) == 0);
    assert_true(fabs(vf_atan(1) - M_PI / 4) < 1e-15);
    assert_true(fabs(vf_atan2(1, 1) - M_PI / 4) < 1e-15);
    assert_true(vf_degrees(M_PI) == 180);
    assert_true(vf_radians(180) == M_PI);
    assert_true(vf_pi() == M_PI);
    assert_true(vf_floor(-1.5) == -2 && vf_ceil(-1.5) == -1);
    assert_int_equal(vf_sign_f64(-3.5), -1);
    assert_int_equal(vf_sign_f64(0.0), 0);
    assert_int_equal(vf_sign_f64(2), 1);
    t_ok();
}

static void test_math_domain_errors(void **state)
{
    (void)state;
    vf_sqrt(rt, -1);
    t_failed("square root of a negative");
    vf_ln(rt, 0);
    t_failed("logarithm of zero");
    vf_log10(rt, -5);
    t_failed("logarithm of a negative");
    vf_log(rt, 1, 10);
    t_failed("division by zero");
    vf_log(rt, -2, 10);
    t_failed("logarithm of a negative");
    vf_power(rt, 0, -1);
    t_failed("zero raised to a negative power");
    vf_power(rt, -8, 1.0 / 3);
    t_failed("complex");
    vf_power(rt, 10, 400);
    t_failed("overflow");
    vf_asin(rt, 1.5);
    t_failed("out of range");
    vf_acos(rt, -1.01);
    t_failed("out of range");
}

static void test_random(void **state)
{
    int i, differ = 0;
    double prev = vf_random(rt);
    (void)state;
    for (i = 0; i < 1000; i++) {
        double r = vf_random(rt);
        assert_true(r >= 0 && r < 1);
        differ += r != prev;
        prev = r;
    }
    assert_true(differ > 990);
}

static void test_round_trunc_f64(void **state)
{
    (void)state;
    assert_true(vf_round(2.5, 0) == 3);
    assert_true(vf_round(-2.5, 0) == -3);
    assert_true(vf_round(2.675, 2) == 2.68); /* as written in decimal */
    assert_true(vf_round(-2.345, 2) == -2.35);
    assert_true(vf_round(1234.5, -2) == 1200);
    assert_true(vf_round(1250, -2) == 1300);
    assert_true(vf_round(0.5, -1) == 0);
    assert_true(vf_round(5, -1) == 10);
    assert_true(vf_round(9.995, 2) == 10);
    assert_true(vf_round(0.1 + 0.2, 15) == 0.3);
    assert_true(vf_round(123.456, 10) == 123.456);
    assert_true(isnan(vf_round(NAN, 2)));
    assert_true(vf_trunc(2.679, 2) == 2.67);
    assert_true(vf_trunc(-2.679, 2) == -2.67);
    assert_true(vf_trunc(1999, -3) == 1000);
    assert_true(vf_trunc(0.9, 0) == 0);
}

static void test_char_length_case(void **state)
{
    (void)state;
    assert_int_equal(vf_char_length(S("h\xc3\xa9llo")), 5); /* héllo */
    assert_int_equal(vf_char_length(S("")), 0);
    assert_int_equal(vf_char_length(S("\xf0\x9f\x98\x80!")), 2);
    assert_vstr(vf_upper(rt, S("abc-\xc3\xa9Z")), "ABC-\xc3\xa9Z");
    assert_vstr(vf_lower(rt, S("ABC-xY")), "abc-xy");
    assert_vstr(vf_initcap(rt, S("hello wORLD foo_bar 2nd")), "Hello World Foo_Bar 2nd");
}

static void test_trim(void **state)
{
    (void)state;
    assert_vstr(vf_trim(S("  a b  ")), "a b");
    assert_vstr(vf_ltrim(S("  a b  ")), "a b  ");
    assert_vstr(vf_rtrim(S("  a b  ")), "  a b");
    assert_vstr(vf_trim(S("   ")), "");
    assert_vstr(vf_trim(S("\tx")), "\tx"); /* spaces only, as SQL TRIM */
}

static void test_substr(void **state)
{
    vstr s = S("h\xc3\xa9llo"); /* héllo */
    (void)state;
    assert_vstr(vf_substr(s, 2, 3, 1), "\xc3\xa9ll");
    assert_vstr(vf_substr(s, 2, 0, 0), "\xc3\xa9llo");
    assert_vstr(vf_substr(s, 0, 2, 1), "h");  /* positions 0 and 1 */
    assert_vstr(vf_substr(s, -1, 3, 1), "h"); /* -1, 0, 1 */
    assert_vstr(vf_substr(s, -5, 3, 1), "");
    assert_vstr(vf_substr(s, 4, 100, 1), "lo");
    assert_vstr(vf_substr(s, 9, 2, 1), "");
    assert_vstr(vf_substr(s, 2, -1, 1), "");
    assert_vstr(vf_substr(s, 2, VELO_I64_MAX, 1), "\xc3\xa9llo");
    assert_vstr(vf_substr(s, VELO_I64_MIN, VELO_I64_MAX, 1), "");
    assert_vstr(vf_substr(s, VELO_I64_MIN, 0, 0), "h\xc3\xa9llo");
    assert_vstr(vf_substr(s, VELO_I64_MAX, 5, 1), "");
}

static void test_left_right(void **state)
{
    vstr s = S("ab\xc3\xa9"
               "de"); /* abéde */
    (void)state;
    assert_vstr(vf_left(s, 3), "ab\xc3\xa9");
    assert_vstr(vf_left(s, -2), "ab\xc3\xa9");
    assert_vstr(vf_left(s, -10), "");
    assert_vstr(vf_left(s, 99), "ab\xc3\xa9"
                                "de");
    assert_vstr(vf_right(s, 3), "\xc3\xa9"
                                "de");
    assert_vstr(vf_right(s, -2), "\xc3\xa9"
                                 "de");
    assert_vstr(vf_right(s, -10), "");
    assert_vstr(vf_right(s, 0), "");
    assert_vstr(vf_right(s, 99), "ab\xc3\xa9"
                                 "de");
}

static void test_replace_position(void **state)
{
    (void)state;
    assert_vstr(vf_replace(rt, S("a-b-c"), S("-"), S("--")), "a--b--c");
    assert_vstr(vf_replace(rt, S("aaa"), S("aa"), S("b")), "ba");
    assert_vstr(vf_replace(rt, S("abc"), S("x"), S("y")), "abc");
    assert_vstr(vf_replace(rt, S("abc"), S(""), S("y")), "abc");
    assert_vstr(vf_replace(rt, S("abcabc"), S("bc"), S("")), "aa");
    assert_int_equal(vf_position(S("lo"), S("h\xc3\xa9llo")), 4);
    assert_int_equal(vf_position(S("z"), S("abc")), 0);
    assert_int_equal(vf_position(S(""), S("abc")), 1);
}

static void test_reverse_repeat(void **state)
{
    (void)state;
    assert_vstr(vf_reverse(rt, S("ab\xc3\xa9")), "\xc3\xa9"
                                                 "ba");
    assert_vstr(vf_reverse(rt, S("")), "");
    assert_vstr(vf_repeat(rt, S("ab"), 3), "ababab");
    assert_vstr(vf_repeat(rt, S("ab"), 0), "");
    assert_vstr(vf_repeat(rt, S("ab"), -2), "");
    t_ok();
    vf_repeat(rt, S("ab"), VELO_I64_MAX / 2);
    t_failed("too large");
}

static void test_pad(void **state)
{
    (void)state;
    assert_vstr(vf_lpad(rt, S("hi"), 5, S("xy")), "xyxhi");
    assert_vstr(vf_rpad(rt, S("hi"), 5, S("xy")), "hixyx");
    assert_vstr(vf_lpad(rt, S("hello"), 3, S("x")), "hel"); /* truncation */
    assert_vstr(vf_rpad(rt, S("hello"), 3, S("x")), "hel");
    assert_vstr(vf_lpad(rt, S("hi"), 0, S("x")), "");
    assert_vstr(vf_lpad(rt, S("hi"), -3, S("x")), "");
    assert_vstr(vf_lpad(rt, S("hi"), 5, S("")), "hi");
    assert_vstr(vf_lpad(rt, S("7"), 3, S("0")), "007");
    assert_vstr(vf_lpad(rt, S("\xc3\xa9"), 3, S("\xc3\xa0")), "\xc3\xa0\xc3\xa0\xc3\xa9");
    t_ok();
    vf_rpad(rt, S("x"), VELO_I64_MAX, S("y"));
    t_failed("too large");
}

static void test_split_part(void **state)
{
    (void)state;
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), 1), "a");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), 3), "");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), 4), "c");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), 5), "");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), -1), "c");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), -4), "a");
    assert_vstr(vf_split_part(rt, S("a,b,,c"), S(","), -5), "");
    assert_vstr(vf_split_part(rt, S("a::b"), S("::"), 2), "b");
    assert_vstr(vf_split_part(rt, S("abc"), S(""), 1), "abc");
    assert_vstr(vf_split_part(rt, S("abc"), S(""), 2), "");
    t_ok();
    vf_split_part(rt, S("abc"), S(","), 0);
    t_failed("must not be zero");
}

static void test_starts_ends(void **state)
{
    (void)state;
    assert_true(vf_starts_with(S("abc"), S("ab")));
    assert_true(vf_starts_with(S("abc"), S("")));
    assert_false(vf_starts_with(S("ab"), S("abc")));
    assert_true(vf_ends_with(S("abc"), S("bc")));
    assert_false(vf_ends_with(S("abc"), S("ab")));
    assert_false(vf_ends_with(S("c"), S("abc")));
}

static void test_regexp_like(void **state)
{
    int i;
    (void)state;
    assert_true(vf_regexp_like(rt, S("order-123"), S("^order-[0-9]+$")));
    assert_false(vf_regexp_like(rt, S("order-x"), S("^order-[0-9]+$")));
    assert_true(vf_regexp_like(rt, S("abc"), S("b")));
    /* many more patterns than cache slots: eviction keeps results right */
    for (i = 0; i < 40; i++) {
        char pat[16], subject[16];
        vstr p;
        snprintf(pat, sizeof(pat), "^x%d$", i);
        snprintf(subject, sizeof(subject), "x%d", i);
        p = S(pat);
        assert_true(vf_regexp_like(rt, S(subject), p));
        assert_false(vf_regexp_like(rt, S("nope"), p));
    }
    assert_true(vf_regexp_like(rt, S("x7"), S("^x7$")));
    t_ok();
    vf_regexp_like(rt, S("abc"), S("a(b"));
    t_failed("invalid regular expression");
    vf_regexp_like(rt, S("abc"), S("a(b")); /* failures are not cached */
    t_failed("invalid regular expression");
}

/* The PCRE2 dialect: what Flink and ksqlDB users write (Java-like). */
static void test_regexp_dialect(void **state)
{
    char msg[160];
    i64 off = -1;
    (void)state;
    assert_true(vf_regexp_like(rt, S("order-123"), S("^order-\\d{3}$")));
    assert_vstr(vf_regexp_extract(rt, S("<a><b>"), S("<(.+?)>"), 1), "a");              /* lazy */
    assert_vstr(vf_regexp_extract(rt, S("abcd"), S("a|ab"), 0), "a");                   /* leftmost alternative */
    assert_vstr(vf_regexp_extract(rt, S("price: 42 EUR"), S("\\d+(?= EUR)"), 0), "42"); /* lookahead */
    assert_vstr(vf_regexp_extract(rt, S("h\xc3\xa9llo"), S("^h(.)l"), 1), "\xc3\xa9");  /* '.' is a code point */
    assert_vstr(vf_regexp_extract(rt,
                                  S("a\xff"
                                    "bc"),
                                  S("b."), 0),
                "bc"); /* bad UTF-8 in the subject */
    assert_vstr(vf_regexp_extract(rt, S("abcdefghijkl"), S("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)"), 11), "k");
    assert_vstr(vf_regexp_extract(rt, S(""), S("^$"), 0), "");
    assert_non_null(vf_regexp_extract(rt, S(""), S("^$"), 0).p); /* an empty match is not NULL */
    t_ok();
    /* a runaway match stops at PCRE2's limit and fails the record */
    char subject[64];
    memset(subject, 'a', 40);
    strcpy(subject + 40, "!");
    assert_false(vf_regexp_like(rt, S(subject), S("^(a|a?)+$")));
    t_failed("match failed");
    /* the binder's check of a constant pattern */
    assert_int_equal(vf_regex_check("a(b", 3, msg, sizeof msg, &off), -1);
    assert_int_equal(off, 3);
    assert_non_null(strstr(msg, "parenthesis"));
    assert_int_equal(vf_regex_check("a(b)", 4, msg, sizeof msg, &off), 0);
}

static void test_regexp_replace(void **state)
{
    (void)state;
    assert_vstr(vf_regexp_replace(rt, S("2026-03-02"), S("([0-9]+)-([0-9]+)-([0-9]+)"), S("\\3/\\2/\\1")), "02/03/2026");
    assert_vstr(vf_regexp_replace(rt, S("a1b22c"), S("[0-9]+"), S("#")), "a#b22c");
    assert_vstr(vf_regexp_replace(rt, S("abc"), S("x"), S("#")), "abc");
    assert_vstr(vf_regexp_replace(rt, S("abc"), S("b"), S("[\\&]")), "a[b]c");
    assert_vstr(vf_regexp_replace(rt, S("abc"), S("b"), S("\\\\")), "a\\c");
    assert_vstr(vf_regexp_replace(rt, S("abc"), S("(x)?b"), S("<\\1>")), "a<>c");
    assert_vstr(vf_regexp_replace(rt, S("abc"), S("^"), S(">")), ">abc");
    t_ok();
    vf_regexp_replace(rt, S("abc"), S("[b"), S("x"));
    t_failed("invalid regular expression");
}

static void test_regexp_extract(void **state)
{
    vstr r;
    (void)state;
    assert_vstr(vf_regexp_extract(rt, S("id=42;x=7"), S("x=([0-9]+)"), 1), "7");
    assert_vstr(vf_regexp_extract(rt, S("id=42;x=7"), S("[a-z]+=[0-9]+"), 0), "id=42");
    r = vf_regexp_extract(rt, S("abc"), S("x(y)"), 1);
    assert_null(r.p);
    r = vf_regexp_extract(rt, S("ac"), S("a(b)?c"), 1); /* group did not take part */
    assert_null(r.p);
    t_ok();
    vf_regexp_extract(rt, S("abc"), S("a(b)c"), 2);
    t_failed("group");
}

static vstr jv(const char *json, const char *path, int *is_null)
{
    return vf_json_value(rt, S(json), S(path), is_null);
}

static void test_json_value(void **state)
{
    const char *doc = "{\"a\": {\"b\": [10, {\"c\": \"x\\\"y\\u00e9\\ud83d\\ude00\"}, true]},"
                      " \"n\": null, \"s\": \"plain\", \"num\": -1.5e3, \"o\": {}, "
                      "\"k.dot\": 1}";
    int nul = 0;
    (void)state;
    assert_vstr(jv(doc, "$.a.b[0]", &nul), "10");
    assert_int_equal(nul, 0);
    assert_vstr(jv(doc, "$.a.b[1].c", &nul), "x\"y\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(nul, 0);
    assert_vstr(jv(doc, "$.a.b[2]", &nul), "true");
    assert_vstr(jv(doc, "$.num", &nul), "-1.5e3");
    assert_vstr(jv(doc, "$.s", &nul), "plain");
    assert_vstr(jv(doc, "$['k.dot']", &nul), "1");
    assert_int_equal(nul, 0);
    jv(doc, "$.n", &nul);
    assert_int_equal(nul, 1);
    jv(doc, "$.missing", &nul);
    assert_int_equal(nul, 1);
    jv(doc, "$.a.b[3]", &nul);
    assert_int_equal(nul, 1);
    jv(doc, "$.a", &nul); /* objects are not scalars */
    assert_int_equal(nul, 1);
    jv(doc, "$.o", &nul);
    assert_int_equal(nul, 1);
    jv(doc, "$.s.t", &nul);
    assert_int_equal(nul, 1);
    jv("{\"a\": [1, 2", "$.a[5]", &nul); /* truncated JSON */
    assert_int_equal(nul, 1);
    jv("not json", "$.a", &nul);
    assert_int_equal(nul, 1);
    assert_vstr(jv("[1,[2,3]]", "$[1][1]", &nul), "3");
    assert_vstr(jv(" 42 ", "$", &nul), "42");
    t_ok();
    jv(doc, "a.b", &nul);
    t_failed("invalid JSON path");
    jv(doc, "$.a[x]", &nul);
    t_failed("invalid JSON path");
}

static void test_md5(void **state)
{
    (void)state;
    /* the test suite of RFC 1321, appendix A.5 */
    assert_vstr(vf_md5(rt, S("")), "d41d8cd98f00b204e9800998ecf8427e");
    assert_vstr(vf_md5(rt, S("a")), "0cc175b9c0f1b6a831c399e269772661");
    assert_vstr(vf_md5(rt, S("abc")), "900150983cd24fb0d6963f7d28e17f72");
    assert_vstr(vf_md5(rt, S("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
    assert_vstr(vf_md5(rt, S("abcdefghijklmnopqrstuvwxyz")), "c3fcd3d76192e4007dfb496cca67e13b");
    assert_vstr(vf_md5(rt, S("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")), "d174ab98d277d9f5a5611c2c9f419d9f");
    assert_vstr(vf_md5(rt, S("1234567890123456789012345678901234567890"
                             "1234567890123456789012345678901234567890")),
                "57edf4a22be3c955ac49da2e2107b67a");
}

static void test_ascii_chr(void **state)
{
    (void)state;
    assert_int_equal(vf_ascii(S("A")), 65);
    assert_int_equal(vf_ascii(S("\xc3\xa9t\xc3\xa9")), 0xe9);
    assert_int_equal(vf_ascii(S("\xf0\x9f\x98\x80")), 0x1f600);
    assert_int_equal(vf_ascii(S("")), 0);
    assert_vstr(vf_chr(rt, 65), "A");
    assert_vstr(vf_chr(rt, 0xe9), "\xc3\xa9");
    assert_vstr(vf_chr(rt, 0x20ac), "\xe2\x82\xac");
    assert_vstr(vf_chr(rt, 0x1f600), "\xf0\x9f\x98\x80");
    t_ok();
    vf_chr(rt, 0);
    t_failed("null character");
    vf_chr(rt, 0x110000);
    t_failed("code point");
    vf_chr(rt, 0xD800);
    t_failed("code point");
}

static void test_date_format(void **state)
{
    i64 ts = TS("2026-03-02T09:05:07.004500");
    (void)state;
    assert_vstr(vf_date_format(rt, ts, S("%Y-%m-%d %H:%M:%S.%f")), "2026-03-02 09:05:07.004500");
    assert_vstr(vf_date_format(rt, ts, S("%a %b %j 100%% %q")), "Mon Mar 061 100% %q");
    assert_vstr(vf_date_format(rt, ts, S("")), "");
    assert_vstr(vf_date_format(rt, ts, S("trailing %")), "trailing %");
    /* before 1970, before year 1 and after 9999: the digits as printf's %04lld */
    assert_vstr(vf_date_format(rt, -1, S("%Y-%m-%d %H:%M:%S.%f")), "1969-12-31 23:59:59.999999");
    assert_vstr(vf_date_format(rt, -62198755200000000LL, S("%Y-%m-%d")), "-001-01-01"); /* 2 BC, proleptic */
    assert_vstr(vf_date_format(rt, 253402300800000000LL, S("%Y %b %a")), "10000 Jan Sat");
}

static void test_epoch_conversions(void **state)
{
    (void)state;
    assert_int_equal(vf_to_timestamp_seconds(rt, 1.5), 1500000);
    assert_int_equal(vf_to_timestamp_seconds(rt, -0.25), -250000);
    assert_int_equal(vf_from_epoch_millis(rt, 1767225601000LL), TS("2026-01-01T00:00:01"));
    assert_int_equal(vf_from_epoch_millis(rt, -1), -1000);
    t_ok();
    vf_to_timestamp_seconds(rt, 1e300);
    t_failed("out of range");
    vf_to_timestamp_seconds(rt, NAN);
    t_failed("out of range");
    vf_from_epoch_millis(rt, VELO_I64_MAX / 10);
    t_failed("out of range");
}

static void test_datediff(void **state)
{
    i64 a = TS("2026-01-31T12:00"), b = TS("2026-03-02T11:00");
    (void)state;
    assert_int_equal(vf_datediff(rt, VT_F_DAY, a, b), 29);
    assert_int_equal(vf_datediff(rt, VT_F_DAY, b, a), -29);
    assert_int_equal(vf_datediff(rt, VT_F_HOUR, a, b), 29 * 24 + 23);
    assert_int_equal(vf_datediff(rt, VT_F_WEEK, a, b), 4);
    assert_int_equal(vf_datediff(rt, VT_F_MINUTE, a, a + 90 * 1000000LL), 1);
    assert_int_equal(vf_datediff(rt, VT_F_SECOND, a, a + 1500000), 1);
    assert_int_equal(vf_datediff(rt, VT_F_MILLISECOND, a, a + 1500), 1);
    assert_int_equal(vf_datediff(rt, VT_F_MICROSECOND, a, a + 1500), 1500);
    assert_int_equal(vf_datediff(rt, VT_F_MONTH, a, b), 1); /* Mar 2 < Mar 31 */
    assert_int_equal(vf_datediff(rt, VT_F_MONTH, TS("2026-01-15"), TS("2026-03-15")), 2);
    assert_int_equal(vf_datediff(rt, VT_F_MONTH, TS("2026-03-15"), TS("2026-01-16")), -1);
    assert_int_equal(vf_datediff(rt, VT_F_YEAR, TS("2020-06-01"), TS("2026-05-31")), 5);
    assert_int_equal(vf_datediff(rt, VT_F_QUARTER, TS("2026-01-01"), TS("2026-12-31")), 3);
    t_ok();
    vf_datediff(rt, VT_F_DOW, a, b);
    t_failed("DATEDIFF");
    vf_datediff(rt, VT_F_DAY, VELO_I64_MIN, VELO_I64_MAX);
    t_failed("out of range");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_math_ok),
        T(test_math_domain_errors),
        T(test_random),
        T(test_round_trunc_f64),
        T(test_char_length_case),
        T(test_trim),
        T(test_substr),
        T(test_left_right),
        T(test_replace_position),
        T(test_reverse_repeat),
        T(test_pad),
        T(test_split_part),
        T(test_starts_ends),
        T(test_regexp_like),
        T(test_regexp_dialect),
        T(test_regexp_replace),
        T(test_regexp_extract),
        T(test_json_value),
        T(test_md5),
        T(test_ascii_chr),
        T(test_date_format),
        T(test_epoch_conversions),
        T(test_datediff),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
