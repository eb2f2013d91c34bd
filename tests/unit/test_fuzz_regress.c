/*
 * test_fuzz_regress.c -- deterministic regression tests for the inputs the
 * fuzz targets (tests/fuzz/) found. Each test names its corpus file; the
 * corpus replays the same input under ASan+UBSan (make -C tests/fuzz regress),
 * these tests check the behaviour in every build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "velo_internal.h"

static char tdir[64];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_fuzzreg_XXXXXX");
    return mkdtemp(tdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *wfile(const char *name, const char *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}
#define WFILE(name, lit) wfile(name, lit, sizeof(lit) - 1)

static velo_rt *new_rt(void)
{
    velo_opts o = {.format = "jsonl", .quiet = 1};
    return velo_rt_new(&o);
}

/* A non-NULL field must point into the current record's raw text or be an
 * unescaped copy in rt->tmp; here no field is quoted, so into the record. */
static void assert_in_record(velo_rt *rt, const vfield *f)
{
    const char *raw = rt->priv->rec_raw;
    i64 n = rt->priv->rec_raw_n;
    if (f->kind == VF_NULL) return;
    assert_non_null(raw);
    assert_true(f->p >= raw && f->n >= 0 && f->p + f->n <= raw + n);
}

/*
 * corpus/csv/regress-header-short: a header that names none of the declared
 * columns and has fewer fields than the schema. The columns are then mapped
 * by position, but a record with the header's field count has no field for
 * b and c: the decoder handed out stale spans of an earlier record (or
 * uninitialized pointers: SEGV in vconv_*). Either the record is bad or its
 * missing columns are NULL; no span may point outside the record.
 */
static void test_csv_header_shorter_than_schema(void **state)
{
    (void)state;
    static const char *const cols[] = {"a", "b", "c"};
    const char *path = WFILE("short.csv", "x\n1,2,3\n1\n");
    const char *props[] = {"path", path, "format", "csv", "has_headers", "true", "dead_letter.path", "/dev/null", NULL};
    velo_rt *rt = new_rt();
    velo_src *s = vsrc_open(rt, 1, "t", props, 3, cols, NULL);
    assert_non_null(s);
    vfield f[3];
    int n = 0;
    while (vsrc_next(s, f)) {
        n++;
        for (int i = 0; i < 3; i++) assert_in_record(rt, &f[i]);
        if (rt->priv->rec_line == 3) { /* the record "1" */
            assert_int_equal(f[0].kind, VF_TEXT);
            assert_int_equal(f[1].kind, VF_NULL);
            assert_int_equal(f[2].kind, VF_NULL);
        }
    }
    assert_true(n <= 2);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

/* Same with the shortest input ("x\n1\n", corpus/csv/regress-header-short-2):
 * the spans of b and c were never written at all (uninitialized memory:
 * zero in a plain build by luck, a wild pointer under ASan). */
static void test_csv_header_short_first_record(void **state)
{
    (void)state;
    static const char *const cols[] = {"a", "b", "c"};
    const char *path = WFILE("short2.csv", "x\n1\n");
    const char *props[] = {"path", path, "format", "csv", "dead_letter.path", "/dev/null", NULL};
    velo_rt *rt = new_rt();
    velo_src *s = vsrc_open(rt, 1, "t", props, 3, cols, NULL);
    assert_non_null(s);
    vfield f[3];
    while (vsrc_next(s, f)) {
        for (int i = 0; i < 3; i++) assert_in_record(rt, &f[i]);
        assert_int_equal(f[1].kind, VF_NULL);
        assert_int_equal(f[2].kind, VF_NULL);
    }
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

/*
 * corpus/decimal/regress-ts-min: timestamps near the bottom of the i64
 * range (a TIMESTAMP field "-9223372036854775" is valid epoch milliseconds).
 * vt_split computed days * 86400e6, which overflows below the first whole
 * day: signed overflow, reported by UBSan (make asan); a wrapping build
 * happens to print the right text.
 */
static void test_ts_format_near_min(void **state)
{
    (void)state;
    char buf[40];
    vt_format(buf, -9223372036854775000LL);
    assert_string_equal(buf, "-290308-12-21 19:59:05.225");
    vt_format(buf, VELO_I64_MIN);
    assert_string_equal(buf, "-290308-12-21 19:59:05.224192");
    vt_format(buf, VELO_I64_MAX);
    assert_string_equal(buf, "294247-01-10 04:00:54.775807");
    assert_int_equal(vt_extract(VT_F_HOUR, VELO_I64_MIN), 19);
    assert_int_equal(vt_extract(VT_F_MICROSECOND, VELO_I64_MIN), 5224192);
}

/* The CSV path of the same value: conversion, then output formatting. */
static void test_ts_from_field_near_min(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    vfield f = {"-9223372036854775", 17, VF_TEXT};
    i64 ts = 0;
    assert_int_equal(vconv_ts(rt, &f, "ts", &ts), 0);
    assert_true(ts == -9223372036854775000LL);
    vstr s = vs_from_ts(rt, ts);
    assert_int_equal(s.n, 26);
    assert_memory_equal(s.p, "-290308-12-21 19:59:05.225", 26);
    velo_rt_finish(rt, 0);
}

/* DATE_TRUNC below the first representable day (or hour, ...) fails the
 * record instead of wrapping around to a far-future timestamp. */
static void test_ts_trunc_near_min(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const int fields[] = {VT_F_YEAR, VT_F_QUARTER, VT_F_MONTH,  VT_F_WEEK,       VT_F_DAY,
                                 VT_F_HOUR, VT_F_MINUTE,  VT_F_SECOND, VT_F_MILLISECOND};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        rt->err = 0;
        i64 r = vt_trunc(rt, fields[i], VELO_I64_MIN + 1);
        if (!rt->err) assert_true(r <= VELO_I64_MIN + 1);
    }
    rt->err = 0;
    /* in range: exact */
    assert_true(vt_trunc(rt, VT_F_DAY, -1) == -86400000000LL);
    assert_true(vt_trunc(rt, VT_F_HOUR, VELO_I64_MAX) == VELO_I64_MAX - VELO_I64_MAX % 3600000000LL);
    assert_int_equal(rt->err, 0);
    velo_rt_finish(rt, 0);
}

/*
 * corpus/json/regress-int-inf ({"a":1e400}): a JSON number with an exponent
 * in an INTEGER/BIGINT/TIMESTAMP column was cast to i64 before its range
 * was checked; (i64)inf, (i64)nan and (i64)1e19 are undefined (UBSan). Such
 * a number is not an integer of the column's range: a bad value.
 */
static void test_json_number_out_of_i64(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char *const nums[] = {"1e400", "-1e400", "1e19", "-9.3e18", "1.5e300"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        vfield f = {nums[i], (i64)strlen(nums[i]), VF_NUM};
        i64 v = 0;
        rt->err = 0;
        assert_int_equal(vconv_i64(rt, &f, "a", 0, &v), -1);
        rt->err = 0;
        assert_int_equal(vconv_i64(rt, &f, "a", 1, &v), -1);
        rt->err = 0;
        assert_int_equal(vconv_ts(rt, &f, "a", &v), -1);
    }
    rt->err = 0;
    vfield ok = {"2.0e3", 5, VF_NUM};
    i64 v = 0;
    assert_int_equal(vconv_i64(rt, &ok, "a", 0, &v), 0);
    assert_true(v == 2000);
    velo_rt_finish(rt, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_header_shorter_than_schema),
        cmocka_unit_test(test_csv_header_short_first_record),
        cmocka_unit_test(test_ts_format_near_min),
        cmocka_unit_test(test_ts_from_field_near_min),
        cmocka_unit_test(test_ts_trunc_near_min),
        cmocka_unit_test(test_json_number_out_of_i64),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
