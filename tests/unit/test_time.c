/*
 * test_time.c -- TIMESTAMP and INTERVAL support (runtime/vtime.c): ISO-8601
 * parsing with offsets and fractions, PostgreSQL-style output, calendar
 * fields, truncation, month arithmetic and duration literals.
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
#define US  1000000LL
#define DAY (86400 * US)

static i64 TS(const char *text)
{
    i64 ts = 0;
    assert_int_equal(vt_parse(text, (i64)strlen(text), &ts), 0);
    return ts;
}

static int bad(const char *text)
{
    i64 ts = 0;
    return vt_parse(text, (i64)strlen(text), &ts) != 0;
}

static void assert_fmt(i64 ts, const char *want)
{
    char buf[48];
    int n = vt_format(buf, ts);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void assert_iso(i64 ts, const char *want)
{
    char buf[48];
    int n = vt_format_iso(buf, ts);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_parse_basic(void **state)
{
    (void)state;
    assert_int_equal(TS("1970-01-01"), 0);
    assert_int_equal(TS("1970-01-02"), DAY);
    assert_int_equal(TS("2026-01-01T00:00:01"), 1767225601LL * US);
    assert_int_equal(TS("2026-01-01 00:00:01"), 1767225601LL * US);
    assert_int_equal(TS("2026-01-01T00:00"), 1767225600LL * US);
    assert_int_equal(TS("2000-02-29T12:34:56Z"), 951827696LL * US);
}

static void test_parse_fraction(void **state)
{
    (void)state;
    assert_int_equal(TS("1970-01-01T00:00:00.5"), 500000);
    assert_int_equal(TS("1970-01-01T00:00:00.123456"), 123456);
    assert_int_equal(TS("1970-01-01T00:00:00.000001"), 1);
    assert_int_equal(TS("1970-01-01T00:00:00.123456789"), 123457); /* rounded */
    assert_int_equal(TS("1970-01-01T00:00:00,25"), 250000);
    assert_true(bad("1970-01-01T00:00:00."));
    assert_true(bad("1970-01-01T00:00:00.1234567890"));
}

static void test_parse_offsets(void **state)
{
    i64 utc = TS("2026-03-02T09:30:00Z");
    (void)state;
    assert_int_equal(TS("2026-03-02T10:30:00+01:00"), utc);
    assert_int_equal(TS("2026-03-02T10:30:00+01"), utc);
    assert_int_equal(TS("2026-03-02T10:30:00+0100"), utc);
    assert_int_equal(TS("2026-03-02T04:00:00-05:30"), utc);
    assert_int_equal(TS("2026-03-02 09:30:00.125z"), utc + 125000);
    assert_true(bad("2026-03-02T09:30:00+1"));
    assert_true(bad("2026-03-02T09:30:00+25:00"));
    assert_true(bad("2026-03-02T09:30:00 UTC"));
}

static void test_parse_invalid(void **state)
{
    (void)state;
    assert_true(bad(""));
    assert_true(bad("2026"));
    assert_true(bad("2026-02-30"));
    assert_true(bad("2025-02-29")); /* not a leap year */
    assert_true(bad("1900-02-29")); /* century, not leap */
    assert_true(bad("2026-13-01"));
    assert_true(bad("2026-00-10"));
    assert_true(bad("2026-1-01"));
    assert_true(bad("2026-01-01T24:00:00"));
    assert_true(bad("2026-01-01T10:60"));
    assert_true(bad("2026-01-01T10:00:61"));
    assert_true(bad("2026-01-01T10"));
    assert_true(bad("2026-01-01X10:00"));
    assert_true(bad("2026-01-01T10:00:00garbage"));
    assert_true(bad("hello"));
    assert_false(bad("2000-02-29"));
    assert_false(bad("2024-02-29"));
}

/* "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" take vt_parse's fixed-width path;
 * the same instant written with a Z (or a minute-only clock) takes the
 * general one. Both must agree, over many days from year 1 to 9999, and
 * the fixed path must reject what the general one rejects. */
static void test_parse_fixed_matches_general(void **state)
{
    (void)state;
    unsigned x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        int y = 1 + (int)(x >> 8) % 9999, m = 1 + (int)(x >> 3) % 12, d = 1 + (int)(x >> 12) % 28;
        int hh = (int)(x >> 16) % 24, mi = (int)(x >> 20) % 60, ss = (int)(x >> 24) % 60;
        char fixed[64], general[64], day[32], midnight[32];
        snprintf(fixed, sizeof fixed, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
        snprintf(general, sizeof general, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mi, ss);
        snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
        snprintf(midnight, sizeof midnight, "%04d-%02d-%02dT00:00", y, m, d);
        assert_int_equal(TS(fixed), TS(general));
        assert_int_equal(TS(day), TS(midnight));
        char buf[48];
        vt_format(buf, TS(fixed));
        assert_string_equal(buf, fixed);
    }
    assert_true(bad("2026-01-01 24:00:00"));
    assert_true(bad("2026-01-01 23:60:00"));
    assert_true(bad("2026-01-01 23:59:60"));
    assert_true(bad("2026-02-29 00:00:00"));
    assert_true(bad("2026-01-01x10:00:00"));
    assert_true(bad("2026-01-01 10-00:00"));
    assert_true(bad("2026-01-01 10:00:0x"));
    assert_true(bad("2026-0a-01"));
    assert_true(bad("2026/01/01"));
    assert_int_equal(TS("2026-01-01t10:00:00"), TS("2026-01-01T10:00:00Z"));
}

static void test_pre_1970(void **state)
{
    (void)state;
    assert_int_equal(TS("1969-12-31T23:59:59"), -US);
    assert_int_equal(TS("1969-12-31T23:59:59.5"), -500000);
    assert_fmt(-1, "1969-12-31 23:59:59.999999");
    assert_fmt(TS("1900-03-01T01:02:03"), "1900-03-01 01:02:03");
    assert_fmt(TS("0001-01-01"), "0001-01-01 00:00:00");
}

static void test_format(void **state)
{
    (void)state;
    assert_fmt(0, "1970-01-01 00:00:00");
    assert_fmt(TS("2026-01-01T00:00:01.5"), "2026-01-01 00:00:01.5");
    assert_fmt(TS("2026-03-02T09:30:00.125"), "2026-03-02 09:30:00.125");
    assert_fmt(TS("2026-03-02T09:30:00.000100"), "2026-03-02 09:30:00.0001");
    assert_iso(TS("2026-01-01T00:00:01.5"), "2026-01-01T00:00:01.5Z");
    assert_iso(TS("2026-12-31T23:59:59"), "2026-12-31T23:59:59Z");
}

static void test_round_trip(void **state)
{
    static const char *const cases[] = {
        "2024-02-29 23:59:59.999999", "1999-12-31 00:00:00", "1960-06-15 12:00:00.25", "2100-03-01 00:00:00", "9999-12-31 23:59:59.000001",
    };
    char buf[48];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vt_format(buf, TS(cases[i]));
        assert_string_equal(buf, cases[i]);
        vt_format_iso(buf, TS(cases[i]));
        assert_int_equal(TS(buf), TS(cases[i]));
    }
}

static void test_extract(void **state)
{
    i64 ts = TS("2026-03-02T09:40:12.345678"); /* a Monday */
    (void)state;
    assert_int_equal(vt_extract(VT_F_YEAR, ts), 2026);
    assert_int_equal(vt_extract(VT_F_QUARTER, ts), 1);
    assert_int_equal(vt_extract(VT_F_MONTH, ts), 3);
    assert_int_equal(vt_extract(VT_F_DAY, ts), 2);
    assert_int_equal(vt_extract(VT_F_DOW, ts), 1);
    assert_int_equal(vt_extract(VT_F_DOY, ts), 61);
    assert_int_equal(vt_extract(VT_F_HOUR, ts), 9);
    assert_int_equal(vt_extract(VT_F_MINUTE, ts), 40);
    assert_int_equal(vt_extract(VT_F_SECOND, ts), 12);
    assert_int_equal(vt_extract(VT_F_MILLISECOND, ts), 12345);
    assert_int_equal(vt_extract(VT_F_MICROSECOND, ts), 12345678);
    assert_int_equal(vt_extract(VT_F_EPOCH, ts), 1772444412LL);
    assert_int_equal(vt_extract(VT_F_WEEK, ts), 10);
    assert_int_equal(vt_extract(VT_F_DOW, TS("2026-03-01")), 0); /* Sunday */
    assert_int_equal(vt_extract(VT_F_QUARTER, TS("2026-12-31")), 4);
    assert_int_equal(vt_extract(VT_F_DOY, TS("2024-12-31")), 366);
    assert_int_equal(vt_extract(VT_F_EPOCH, -1), -1);
}

static void test_iso_week(void **state)
{
    (void)state;
    /* 2021-01-03 (Sunday) belongs to week 53 of 2020 */
    assert_int_equal(vt_extract(VT_F_WEEK, TS("2021-01-03")), 53);
    assert_int_equal(vt_extract(VT_F_WEEK, TS("2021-01-04")), 1);
    /* 2024-12-30 (Monday) is week 1 of 2025 */
    assert_int_equal(vt_extract(VT_F_WEEK, TS("2024-12-30")), 1);
    assert_int_equal(vt_extract(VT_F_WEEK, TS("1969-12-31")), 1);
}

static void test_trunc(void **state)
{
    i64 ts = TS("2026-05-14T09:40:12.345678"); /* a Thursday */
    (void)state;
    assert_int_equal(vt_trunc(rt, VT_F_YEAR, ts), TS("2026-01-01"));
    assert_int_equal(vt_trunc(rt, VT_F_QUARTER, ts), TS("2026-04-01"));
    assert_int_equal(vt_trunc(rt, VT_F_MONTH, ts), TS("2026-05-01"));
    assert_int_equal(vt_trunc(rt, VT_F_WEEK, ts), TS("2026-05-11"));
    assert_int_equal(vt_trunc(rt, VT_F_DAY, ts), TS("2026-05-14"));
    assert_int_equal(vt_trunc(rt, VT_F_HOUR, ts), TS("2026-05-14T09:00"));
    assert_int_equal(vt_trunc(rt, VT_F_MINUTE, ts), TS("2026-05-14T09:40"));
    assert_int_equal(vt_trunc(rt, VT_F_SECOND, ts), TS("2026-05-14T09:40:12"));
    assert_int_equal(vt_trunc(rt, VT_F_MILLISECOND, ts), TS("2026-05-14T09:40:12.345"));
    assert_int_equal(vt_trunc(rt, VT_F_MICROSECOND, ts), ts);
    assert_int_equal(vt_trunc(rt, VT_F_HOUR, TS("1969-12-31T23:30")), TS("1969-12-31T23:00"));
    t_ok();
    vt_trunc(rt, VT_F_DOW, ts);
    t_failed("DATE_TRUNC");
}

static void test_add_months(void **state)
{
    (void)state;
    assert_int_equal(vt_add_months(rt, TS("2026-01-31T10:00"), 1), TS("2026-02-28T10:00"));
    assert_int_equal(vt_add_months(rt, TS("2024-01-31"), 1), TS("2024-02-29"));
    assert_int_equal(vt_add_months(rt, TS("2026-03-15"), -3), TS("2025-12-15"));
    assert_int_equal(vt_add_months(rt, TS("2026-03-15"), 24), TS("2028-03-15"));
    assert_int_equal(vt_add_months(rt, TS("1969-12-31T23:59:59"), 2), TS("1970-02-28T23:59:59"));
    t_ok();
    vt_add_months(rt, TS("2026-03-15"), 12 * 9000);
    t_failed("out of range");
}

static void test_now(void **state)
{
    i64 a = vt_now(), b = vt_now();
    (void)state;
    assert_true(a > TS("2024-01-01"));
    assert_true(b >= a);
}

static void test_durations(void **state)
{
    i64 d = 0;
    (void)state;
    assert_int_equal(vt_parse_duration("100ms", 5, &d), 0);
    assert_int_equal(d, 100000);
    assert_int_equal(vt_parse_duration("30s", 3, &d), 0);
    assert_int_equal(d, 30 * US);
    assert_int_equal(vt_parse_duration("5m", 2, &d), 0);
    assert_int_equal(d, 300 * US);
    assert_int_equal(vt_parse_duration("1h", 2, &d), 0);
    assert_int_equal(d, 3600 * US);
    assert_int_equal(vt_parse_duration("1d", 2, &d), 0);
    assert_int_equal(d, DAY);
    assert_int_equal(vt_parse_duration("250us", 5, &d), 0);
    assert_int_equal(d, 250);
    assert_int_equal(vt_parse_duration("2H", 2, &d), 0);
    assert_int_equal(d, 7200 * US);
    assert_int_not_equal(vt_parse_duration("", 0, &d), 0);
    assert_int_not_equal(vt_parse_duration("ms", 2, &d), 0);
    assert_int_not_equal(vt_parse_duration("10", 2, &d), 0);
    assert_int_not_equal(vt_parse_duration("10x", 3, &d), 0);
    assert_int_not_equal(vt_parse_duration("10 s", 4, &d), 0);
    assert_int_not_equal(vt_parse_duration("-5s", 3, &d), 0);
    assert_int_not_equal(vt_parse_duration("99999999999999999d", 18, &d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_parse_basic), T(test_parse_fraction), T(test_parse_offsets), T(test_parse_invalid), T(test_parse_fixed_matches_general),
        T(test_pre_1970),    T(test_format),         T(test_round_trip),    T(test_extract),       T(test_iso_week),
        T(test_trunc),       T(test_add_months),     T(test_now),           T(test_durations),
    };
    return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
