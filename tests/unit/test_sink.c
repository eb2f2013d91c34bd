/*
 * test_sink.c -- row writers: stdout as jsonl, csv and table; file sinks
 * (atomic rename, parent directory, decimal.as.string); write errors; the
 * shortest round-trip text of doubles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "velo_internal.h"
#include "file_test.h"

static const char *const names[] = {"id", "name", "price", "ts", "ok", "score"};
static const u8 types[] = {VT_BIGINT, VT_STRING, VT_DECIMAL, VT_TIMESTAMP, VT_BOOL, VT_DOUBLE};
static const u8 scales[] = {0, 0, 2, 0, 0, 0};

#define TS_0930 1772443800000000LL /* 2026-03-02 09:30:00 UTC */

static void write_rows(velo_out *o)
{
    vout_begin(o);
    vout_i64(o, 1);
    vout_str(o, (vstr){"a\"b,c", 5});
    vout_dec(o, 1250, 2);
    vout_ts(o, TS_0930 + 125000);
    vout_bool(o, 1);
    vout_f64(o, 0.1);
    vout_end(o);
    vout_begin(o);
    vout_i64(o, -22);
    vout_str(o, (vstr){"", 0});
    vout_dec(o, -5, 2);
    vout_ts(o, TS_0930);
    vout_bool(o, 0);
    vout_f64(o, nan(""));
    vout_end(o);
    vout_begin(o);
    vout_i64(o, 3);
    vout_null(o);
    vout_null(o);
    vout_null(o);
    vout_null(o);
    vout_null(o);
    vout_end(o);
}

static char *run_stdout(const char *format)
{
    velo_rt *rt = new_rt_fmt(format);
    cap c;
    cap_begin(&c, 1);
    velo_out *o = vout_open(rt, 2, NULL, NULL, 6, names, types, scales);
    assert_non_null(o);
    write_rows(o);
    assert_int_equal(vout_close(o), 0);
    char *out = cap_end(&c);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    return out;
}

static void test_stdout_jsonl(void **state)
{
    (void)state;
    char *out = run_stdout("jsonl");
    assert_string_equal(out,
                        "{\"id\":1,\"name\":\"a\\\"b,c\",\"price\":12.50,\"ts\":\"2026-03-02T09:30:00.125Z\",\"ok\":true,\"score\":0.1}\n"
                        "{\"id\":-22,\"name\":\"\",\"price\":-0.05,\"ts\":\"2026-03-02T09:30:00Z\",\"ok\":false,\"score\":null}\n"
                        "{\"id\":3,\"name\":null,\"price\":null,\"ts\":null,\"ok\":null,\"score\":null}\n");
    free(out);
}

static void test_stdout_csv(void **state)
{
    (void)state;
    char *out = run_stdout("csv");
    assert_string_equal(out, "id,name,price,ts,ok,score\n"
                             "1,\"a\"\"b,c\",12.50,2026-03-02 09:30:00.125,true,0.1\n"
                             "-22,\"\",-0.05,2026-03-02 09:30:00,false,NaN\n"
                             "3,,,,,\n");
    free(out);
}

static void test_stdout_table(void **state)
{
    (void)state;
    char *out = run_stdout("table");
    assert_string_equal(out, " id  | name  | price |           ts            |  ok   | score\n"
                             "-----+-------+-------+-------------------------+-------+-------\n"
                             "   1 | a\"b,c | 12.50 | 2026-03-02 09:30:00.125 | true  |   0.1\n"
                             " -22 |       | -0.05 | 2026-03-02 09:30:00     | false |   NaN\n"
                             "   3 |       |       |                         |       |\n"
                             "(3 rows)\n");
    free(out);
}

static void test_table_utf8_and_one_row(void **state)
{
    (void)state;
    velo_rt *rt = new_rt_fmt("table");
    static const char *const n2[] = {"név", "n"};
    static const u8 t2[] = {VT_STRING, VT_INT};
    cap c;
    cap_begin(&c, 1);
    velo_out *o = vout_open(rt, 2, NULL, NULL, 2, n2, t2, NULL);
    vout_begin(o);
    vout_str(o, (vstr){"\xc3\xa9t\xc3\xa9", 5});
    vout_i64(o, 7);
    vout_end(o);
    assert_int_equal(vout_close(o), 0);
    char *out = cap_end(&c);
    assert_string_equal(out, " név | n\n-----+---\n été | 7\n(1 row)\n");
    free(out);
    velo_rt_finish(rt, 0);
}

static void test_csv_quoting_rules(void **state)
{
    (void)state;
    velo_rt *rt = new_rt_fmt("csv");
    static const char *const n1[] = {"a,b"};
    static const u8 t1[] = {VT_STRING};
    cap c;
    cap_begin(&c, 1);
    velo_out *o = vout_open(rt, 2, NULL, NULL, 1, n1, t1, NULL);
    const char *vals[] = {"plain", "cr\rx", "lf\nx", "q\"", " sp "};
    for (int i = 0; i < 5; i++) {
        vout_begin(o);
        vout_str(o, (vstr){vals[i], (i64)strlen(vals[i])});
        vout_end(o);
    }
    vout_close(o);
    char *out = cap_end(&c);
    assert_string_equal(out, "\"a,b\"\nplain\n\"cr\rx\"\n\"lf\nx\"\n\"q\"\"\"\n sp \n");
    free(out);
    velo_rt_finish(rt, 0);
}

static void test_file_sink_atomic(void **state)
{
    (void)state;
    velo_rt *rt = new_rt_fmt("table");
    const char *path = tpath("out/sub/rows.jsonl");
    const char *props[] = {"type", "file_sink", "path", path, "decimal.as.string", "true", NULL};
    velo_out *o = vout_open(rt, 3, "rows", props, 6, names, types, scales);
    assert_non_null(o);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    for (int i = 0; i < 3000; i++) /* > 64 KB: several flushes */
        write_rows(o);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(access(tmp, F_OK), 0);
    assert_int_equal(vout_close(o), 0);
    assert_int_equal(access(tmp, F_OK), -1);
    char *txt = slurp(path);
    assert_non_null(txt);
    assert_memory_equal(txt, "{\"id\":1,\"name\":\"a\\\"b,c\",\"price\":\"12.50\",", 40);
    int lines = 0;
    for (char *p = txt; (p = strchr(p, '\n')); p++) lines++;
    assert_int_equal(lines, 9000);
    free(txt);
    assert_int_equal(rt->priv->stats->n, 9000);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

static void test_file_sink_csv_by_extension(void **state)
{
    (void)state;
    velo_rt *rt = new_rt_fmt("jsonl");
    const char *path = tpath("o.csv");
    const char *props[] = {"type", "file_sink", "path", path, NULL};
    velo_out *o = vout_open(rt, 3, "o", props, 6, names, types, scales);
    write_rows(o);
    assert_int_equal(vout_close(o), 0);
    char *txt = slurp(path);
    assert_memory_equal(txt, "id,name,price,ts,ok,score\n1,", 28);
    free(txt);
    velo_rt_finish(rt, 0);
}

static void test_file_sink_errors(void **state)
{
    (void)state;
    velo_rt *rt = new_rt_fmt("jsonl");
    cap c;
    cap_begin(&c, 2);
    const char *props[] = {"type", "file_sink", "path", tpath("o.csv/x/y.jsonl"), NULL};
    assert_null(vout_open(rt, 3, "bad", props, 6, names, types, scales)); /* o.csv is a file */
    const char *props2[] = {"type", "file_sink", NULL};
    assert_null(vout_open(rt, 3, "nopath", props2, 6, names, types, scales));
    const char *props3[] = {"type", "file_sink", "path", tpath("t.txt"), "format", "table", NULL};
    assert_null(vout_open(rt, 3, "tbl", props3, 6, names, types, scales));
    char *err = cap_end(&c);
    assert_non_null(strstr(err, "sink 'bad': cannot create"));
    assert_non_null(strstr(err, "sink 'nopath': property 'path' is required"));
    assert_non_null(strstr(err, "unknown format 'table' (expected jsonl or csv)"));
    free(err);
    assert_int_equal(velo_rt_finish(rt, 0), 2);
}

static void test_write_error_reported(void **state)
{
    (void)state;
    int full = open("/dev/full", O_WRONLY);
    if (full < 0) skip();
    velo_rt *rt = new_rt_fmt("jsonl");
    cap e;
    cap_begin(&e, 2);
    int saved = dup(1);
    dup2(full, 1);
    close(full);
    velo_out *o = vout_open(rt, 2, NULL, NULL, 6, names, types, scales);
    write_rows(o);
    int rc = vout_close(o);
    dup2(saved, 1);
    close(saved);
    char *err = cap_end(&e);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, "sink 'stdout': writing 'stdout': No space left on device"));
    free(err);
    assert_int_equal(velo_rt_finish(rt, 0), 1);
}

static void test_fmt_f64(void **state)
{
    (void)state;
    char b[32];
    const double v[] = {0.1, 1.0 / 3, 100, 1e300, -2.5, 5e-324, 123456789012345678.0};
    const char *want[] = {"0.1", "0.3333333333333333", "100", "1e+300", "-2.5", "4.94065645841247e-324", "1.2345678901234568e+17"};
    for (int i = 0; i < 7; i++) {
        vout_fmt_f64(b, v[i]);
        assert_string_equal(b, want[i]);
        assert_true(strtod(b, NULL) == v[i]);
    }
}

/* The fast paths of vout_fmt_f64 and of timestamp output give exactly what
 * the snprintf loop and vt_format give. */
static u64 rnd_state = 88172645463325252ull;
static u64 rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static void test_fmt_f64_matches_printf(void **state)
{
    (void)state;
    char got[32], want[32];
    for (int i = 0; i < 200000; i++) {
        double d;
        switch (i % 5) {
        case 0: d = (double)(rnd() % 100) * ((double)(rnd() % 1000000) / 1000); break;
        case 1: {
            u64 b = rnd();
            memcpy(&d, &b, 8);
            if (!isfinite(d)) d = 1;
            break;
        }
        case 2: d = (double)(rnd() % 100000000) / pow(10, (double)(rnd() % 12)); break;
        case 3: d = 1e15 * (1 - (double)(rnd() % 1000) / 1e13); break;
        default: d = 1e-4 * (1 + ((double)(rnd() % 2000) - 1000) / 1e6); break;
        }
        if (rnd() & 1) d = -d;
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(want, sizeof want, "%.*g", prec, d);
            if (strtod(want, NULL) == d) break;
        }
        vout_fmt_f64(got, d);
        assert_string_equal(got, want);
    }
}

static void test_ts_matches_vt_format(void **state)
{
    (void)state;
    enum { N = 20000 };
    static i64 ts[N];
    for (int i = 0; i < N; i++) {
        switch (i % 4) {
        case 0: ts[i] = TS_0930 + (i64)(rnd() % 1000) * 1000; break; /* same day */
        case 1: ts[i] = (i64)(rnd() % (500LL * 365 * 86400000000LL)) - 250LL * 365 * 86400000000LL; break;
        case 2: ts[i] = ts[i - 1] / 1000000 * 1000000 + (i64)(rnd() % 1000000); break; /* us */
        default: ts[i] = -(i64)(rnd() % 86400000000LL); break;                         /* before 1970 */
        }
    }
    const char *fmts[] = {"csv", "jsonl"};
    for (int f = 0; f < 2; f++) {
        const char *path = tpath(f ? "ts.jsonl" : "ts.csv");
        const char *props[] = {"type", "file_sink", "path", path, "format", fmts[f], NULL};
        velo_rt *rt = new_rt_fmt("jsonl");
        static const char *const tn[] = {"ts"};
        static const u8 tt[] = {VT_TIMESTAMP}, ts0[] = {0};
        velo_out *o = vout_open(rt, 1, "t", props, 1, tn, tt, ts0);
        assert_non_null(o);
        for (int i = 0; i < N; i++) {
            vout_begin(o);
            vout_ts(o, ts[i]);
            vout_end(o);
        }
        assert_int_equal(vout_close(o), 0);
        velo_rt_finish(rt, 0);
        char *text = slurp(path), *line = text;
        if (!f) line = strchr(line, '\n') + 1; /* header */
        for (int i = 0; i < N; i++) {
            char want[80], buf[64];
            if (f) {
                vt_format_iso(buf, ts[i]);
                snprintf(want, sizeof want, "{\"ts\":\"%s\"}", buf);
            } else {
                vt_format(want, ts[i]);
            }
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            *nl = 0;
            assert_string_equal(line, want);
            line = nl + 1;
        }
        free(text);
    }
}

static void test_summary_line(void **state)
{
    (void)state;
    velo_opts opts = {.format = "jsonl"};
    velo_rt *rt = velo_rt_new(&opts);
    cap out, err;
    cap_begin(&out, 1);
    cap_begin(&err, 2);
    velo_out *o = vout_open(rt, 2, NULL, NULL, 6, names, types, scales);
    write_rows(o);
    vout_close(o);
    const char *props[] = {"type", "file_sink", "path", tpath("s.jsonl"), NULL};
    o = vout_open(rt, 3, "snk", props, 6, names, types, scales);
    vout_begin(o);
    vout_end(o);
    vout_close(o);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    char *e = cap_end(&err);
    free(cap_end(&out));
    assert_string_equal(e, "velo: wrote 3 rows to stdout, 1 row to snk (s.jsonl)\n");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stdout_jsonl),
        cmocka_unit_test(test_stdout_csv),
        cmocka_unit_test(test_stdout_table),
        cmocka_unit_test(test_table_utf8_and_one_row),
        cmocka_unit_test(test_csv_quoting_rules),
        cmocka_unit_test(test_file_sink_atomic),
        cmocka_unit_test(test_file_sink_csv_by_extension),
        cmocka_unit_test(test_file_sink_errors),
        cmocka_unit_test(test_write_error_reported),
        cmocka_unit_test(test_fmt_f64),
        cmocka_unit_test(test_fmt_f64_matches_printf),
        cmocka_unit_test(test_ts_matches_vt_format),
        cmocka_unit_test(test_summary_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
