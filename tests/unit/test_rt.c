/*
 * test_rt.c -- the job context: run options, property overrides, record
 * failures, dead letters and error policies, the summary, stop requests, and
 * the field conversions of conv.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "velo_internal.h"
#include "file_test.h"

/* ---- options ------------------------------------------------------------- */

static int parse(velo_opts *o, char **argv)
{
    int argc = 0;
    while (argv[argc]) argc++;
    return velo_parse_job_args(argc, argv, o);
}

static void test_args_ok(void **state)
{
    (void)state;
    velo_opts o;
    char *argv[] = {"/x/job", "--format", "csv", "--set", "a=b", "--set=t.path=/p=q", "-q", "--format=table", NULL};
    assert_int_equal(parse(&o, argv), 0);
    assert_string_equal(o.format, "table");
    assert_string_equal(o.job_name, "job");
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.nsets, 2);
    assert_string_equal(o.set_keys[0], "a");
    assert_string_equal(o.set_vals[0], "b");
    assert_string_equal(o.set_keys[1], "t.path");
    assert_string_equal(o.set_vals[1], "/p=q");
    velo_opts_free(&o);
    char *argv2[] = {"job", NULL};
    assert_int_equal(parse(&o, argv2), 0);
    assert_string_equal(o.format, "jsonl");
    assert_int_equal(o.quiet, 0);
    velo_opts_free(&o);
}

static void test_args_errors(void **state)
{
    (void)state;
    velo_opts o;
    char *bad1[] = {"job", "--format", "xml", NULL};
    char *bad2[] = {"job", "--set", "novalue", NULL};
    char *bad3[] = {"job", "--bogus", NULL};
    char *bad4[] = {"job", "--set", NULL};
    char *bad5[] = {"job", "--set", "=v", NULL};
    char *help[] = {"job", "--help", NULL};
    cap e, out;
    cap_begin(&e, 2);
    cap_begin(&out, 1);
    assert_int_equal(parse(&o, bad1), 2);
    assert_int_equal(parse(&o, bad2), 2);
    assert_int_equal(parse(&o, bad3), 2);
    assert_int_equal(parse(&o, bad4), 2);
    assert_int_equal(parse(&o, bad5), 2);
    assert_int_equal(parse(&o, help), -1);
    char *o_txt = cap_end(&out), *e_txt = cap_end(&e);
    assert_non_null(strstr(e_txt, "unknown --format 'xml'"));
    assert_non_null(strstr(e_txt, "--set expects key=value, got 'novalue'"));
    assert_non_null(strstr(e_txt, "unknown option '--bogus'"));
    assert_non_null(strstr(e_txt, "--set needs a value"));
    assert_non_null(strstr(o_txt, "usage: job"));
    free(o_txt);
    free(e_txt);
}

static void test_prop_precedence(void **state)
{
    (void)state;
    const char *keys[] = {"path", "src.path", "format", "format", "other.path"};
    const char *vals[] = {"/bare", "/named", "csv", "jsonl", "/other"};
    velo_opts o = {.format = "jsonl", .quiet = 1, .nsets = 5, .set_keys = keys, .set_vals = vals};
    velo_rt *rt = velo_rt_new(&o);
    const char *props[] = {"path", "/prop", "delimiter", ";", "format", "json", NULL};
    assert_string_equal(velo_rt_prop(rt, "src", props, "path"), "/named");
    assert_string_equal(velo_rt_prop(rt, "x", props, "path"), "/bare");
    assert_string_equal(velo_rt_prop(rt, "src", props, "format"), "jsonl"); /* last --set wins */
    assert_string_equal(velo_rt_prop(rt, "src", props, "delimiter"), ";");
    assert_null(velo_rt_prop(rt, "src", props, "compression"));
    assert_null(velo_rt_prop(rt, "src", NULL, "compression"));
    velo_rt_finish(rt, 0);
}

/* ---- failures and dead letters ---------------------------------------------- */

static void test_fail_keeps_first_message(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    char msg[32];
    strcpy(msg, "first");
    assert_int_equal(velo_fail(rt, msg), 0);
    strcpy(msg, "changed");
    velo_fail(rt, "second");
    assert_int_equal(rt->err, 1);
    assert_string_equal(rt->errmsg, "first");
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

static void test_bad_record_stderr(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char *const cols[] = {"id", "qty"};
    const char *path = wfile("d.csv", "id,qty\n1,x\xff\"y\n");
    const char *props[] = {"path", path, NULL};
    velo_src *s = vsrc_open(rt, 4, "d", props, 2, cols, NULL);
    vfield f[2];
    assert_int_equal(vsrc_next(s, f), 1);
    i64 v;
    assert_int_equal(vconv_i64(rt, &f[1], "qty", 1, &v), -1);
    cap e;
    cap_begin(&e, 2);
    velo_bad_record(rt, 9, NULL);
    char *txt = cap_end(&e);
    char want[600];
    snprintf(want, sizeof want,
             "dead-letter: {\"source\":\"d\",\"file\":\"%s\",\"line\":2,\"operator\":9,"
             "\"error\":\"column 'qty': invalid INTEGER 'x\\u00ff\\\"y'\",\"raw\":\"1,x\\u00ff\\\"y\"}\n",
             path);
    assert_string_equal(txt, want);
    free(txt);
    assert_int_equal(rt->err, 0);
    assert_null(rt->errmsg);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

static void test_dead_letter_path_from_set(void **state)
{
    (void)state;
    const char *dl = tpath("set_dl.jsonl");
    const char *keys[] = {"dead_letter.path"};
    const char *vals[] = {dl};
    velo_opts o = {.format = "jsonl", .quiet = 1, .nsets = 1, .set_keys = keys, .set_vals = vals};
    velo_rt *rt = velo_rt_new(&o);
    static const char *const cols[] = {"a"};
    const char *props[] = {"path", wfile("e.jsonl", "{\"a\": 1}\n"), NULL};
    velo_src *s = vsrc_open(rt, 4, "e", props, 1, cols, NULL);
    vfield f[1];
    assert_int_equal(vsrc_next(s, f), 1);
    velo_fail(rt, "division by zero");
    velo_bad_record(rt, 5, NULL);
    velo_bad_record(rt, 6, "explicit message");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    char *txt = slurp(dl);
    assert_non_null(strstr(txt, "\"line\":1,\"operator\":5,\"error\":\"division by zero\",\"raw\":\"{\\\"a\\\": 1}\"}\n"));
    assert_non_null(strstr(txt, "\"operator\":6,\"error\":\"explicit message\""));
    free(txt);
}

static void test_policy_skip_and_summary(void **state)
{
    (void)state;
    velo_opts o = {.format = "jsonl"};
    velo_rt *rt = velo_rt_new(&o);
    static const char *const cols[] = {"id", "qty", "price"};
    const char *props[] = {"path",
                           wfile("dirty.csv", "id,qty,price\n1,10,1.50\n2,abc,1.50\n3,5\n"
                                              "4,7,2.00,extra\n5,3,x.y\n6,1,1.00\n"),
                           "format", "csv", NULL};
    velo_src *s = vsrc_open(rt, 1, "d", props, 3, cols, NULL);
    cap e, out;
    cap_begin(&e, 2);
    cap_begin(&out, 1);
    vfield f[3];
    int good = 0;
    while (vsrc_next(s, f)) {
        i64 q, p;
        if (vconv_i64(rt, &f[1], "qty", 1, &q) < 0 || vconv_dec(rt, &f[2], "price", 8, 2, &p) < 0) velo_bad_record(rt, 2, NULL);
        else good++;
    }
    vsrc_close(s);
    static const char *const on[] = {"n"};
    static const u8 ot[] = {VT_BIGINT};
    velo_out *w = vout_open(rt, 3, NULL, NULL, 1, on, ot, NULL);
    vout_begin(w);
    vout_i64(w, good);
    vout_end(w);
    vout_close(w);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    free(cap_end(&out));
    char *txt = cap_end(&e);
    assert_int_equal(good, 2);
    assert_non_null(strstr(txt, "dead-letter: {\"source\":\"d\""));
    assert_non_null(strstr(txt, "\"error\":\"column 'price': invalid DECIMAL(8,2) 'x.y'\""));
    const char *sum = strstr(txt, "velo: ");
    assert_non_null(sum);
    assert_string_equal(sum, "velo: read 6 records from d (dirty.csv), wrote 1 row to stdout, "
                             "4 bad records \xe2\x86\x92 stderr (dead-letter)\n");
    free(txt);

    rt = velo_rt_new(&o);
    const char *props2[] = {"path", tpath("dirty.csv"), "format", "csv", "error.policy", "skip", NULL};
    s = vsrc_open(rt, 1, "d", props2, 3, cols, NULL);
    cap_begin(&e, 2);
    while (vsrc_next(s, f))
        ;
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    txt = cap_end(&e);
    assert_string_equal(txt, "velo: read 6 records from d (dirty.csv), 2 bad records skipped\n");
    free(txt);
}

static void test_policy_fail_and_bad_policy(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char *const cols[] = {"a"};
    const char *path = wfile("f.jsonl", "{\"a\": 1}\n{\"a\": 2}\n");
    const char *props[] = {"path", path, "error.policy", "fail", NULL};
    velo_src *s = vsrc_open(rt, 1, "f", props, 1, cols, NULL);
    vfield f[1];
    assert_int_equal(vsrc_next(s, f), 1);
    cap e;
    cap_begin(&e, 2);
    velo_fail(rt, "boom");
    velo_bad_record(rt, 3, NULL);
    assert_true(velo_stopped(rt));
    assert_int_equal(vsrc_next(s, f), 0);
    char *txt = cap_end(&e);
    char want[512];
    snprintf(want, sizeof want,
             "velo: error: bad record in f (%s:1): boom\n  record: {\"a\": 1}\n"
             "  stopping: error.policy is 'fail'\n",
             path);
    assert_string_equal(txt, want);
    free(txt);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 1);

    rt = new_rt();
    const char *props2[] = {"path", path, "error.policy", "ignore", NULL};
    cap_begin(&e, 2);
    assert_null(vsrc_open(rt, 1, "f", props2, 1, cols, NULL));
    txt = cap_end(&e);
    assert_non_null(strstr(txt, "invalid error.policy 'ignore'"));
    free(txt);
    assert_int_equal(velo_rt_finish(rt, 0), 2);
}

static void test_fatal_and_signal(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    assert_false(velo_stopped(rt));
    cap e;
    cap_begin(&e, 2);
    velo_fatal(rt, "disk on fire");
    char *txt = cap_end(&e);
    assert_string_equal(txt, "velo: error: disk on fire\n");
    free(txt);
    assert_true(velo_stopped(rt));
    assert_int_equal(velo_rt_finish(rt, 0), 1);

    rt = new_rt();
    raise(SIGTERM); /* the handler only sets the stop flag */
    assert_true(velo_stopped(rt));
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    rt = new_rt();
    assert_false(velo_stopped(rt));
    assert_int_equal(velo_rt_finish(rt, 3), 3);
}

static void test_progress_line(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_stat *st = velo_stat_add(rt, "src", "/data/in.csv", 0);
    st->n = 1000;
    st->bytes = 2500000;
    st->size = 10000000;
    rt->priv->progress = 1; /* as if stderr were a terminal */
    rt->priv->t_last -= 1.0;
    cap e;
    cap_begin(&e, 2);
    velo_progress(rt);
    velo_progress(rt); /* within 250 ms: nothing */
    velo_progress_clear(rt);
    char *txt = cap_end(&e);
    assert_non_null(strstr(txt, "\r\033[Kvelo: 1000 records, "));
    assert_non_null(strstr(txt, " records/s, 2.5 MB, 25%\r\033[K"));
    assert_int_equal(strlen(strstr(txt, "25%")), 3 + 4);
    free(txt);
    velo_rt_finish(rt, 0);
}

/* ---- conversions ------------------------------------------------------------- */

static vfield F(int kind, const char *s)
{
    return (vfield){s, s ? (i64)strlen(s) : 0, (u8)kind};
}

static void test_conv_bool(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const char *t[] = {"true", "T", "1", "YES", "t"}, *fl[] = {"false", "F", "0", "no", "No"};
    int b;
    for (int i = 0; i < 5; i++) {
        vfield ft = F(VF_TEXT, t[i]), ff = F(VF_TEXT, fl[i]);
        assert_int_equal(vconv_bool(rt, &ft, "c", &b), 0);
        assert_int_equal(b, 1);
        assert_int_equal(vconv_bool(rt, &ff, "c", &b), 0);
        assert_int_equal(b, 0);
    }
    vfield jb = F(VF_BOOL, "true"), nul = F(VF_NULL, NULL), bad = F(VF_TEXT, "maybe");
    assert_int_equal(vconv_bool(rt, &jb, "c", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(vconv_bool(rt, &nul, "c", &b), 1);
    assert_int_equal(vconv_bool(rt, &bad, "flag", &b), -1);
    assert_string_equal(rt->errmsg, "column 'flag': invalid BOOLEAN 'maybe'");
    velo_rt_finish(rt, 0);
}

static void test_conv_i64(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    i64 v;
    vfield f = F(VF_TEXT, "-42");
    assert_int_equal(vconv_i64(rt, &f, "c", 1, &v), 0);
    assert_int_equal(v, -42);
    f = F(VF_TEXT, "+7");
    assert_int_equal(vconv_i64(rt, &f, "c", 1, &v), 0);
    assert_int_equal(v, 7);
    f = F(VF_TEXT, "9223372036854775807");
    assert_int_equal(vconv_i64(rt, &f, "c", 0, &v), 0);
    assert_true(v == VELO_I64_MAX);
    f = F(VF_TEXT, "-9223372036854775808");
    assert_int_equal(vconv_i64(rt, &f, "c", 0, &v), 0);
    assert_true(v == VELO_I64_MIN);
    f = F(VF_NUM, "2.0e1"); /* JSON: integral value in another spelling */
    assert_int_equal(vconv_i64(rt, &f, "c", 1, &v), 0);
    assert_int_equal(v, 20);
    const char *bad[] = {"9223372036854775808", " 5", "5 ", "1.0", "", "-", "abc", "2147483648"};
    for (int i = 0; i < 8; i++) {
        rt->err = 0;
        f = F(VF_TEXT, bad[i]);
        assert_int_equal(vconv_i64(rt, &f, "qty", i < 7 ? 0 : 1, &v), -1);
        assert_int_equal(rt->err, 1);
    }
    rt->err = 0;
    f = F(VF_TEXT, "abc");
    vconv_i64(rt, &f, "qty", 1, &v);
    assert_string_equal(rt->errmsg, "column 'qty': invalid INTEGER 'abc'");
    rt->err = 0;
    f = F(VF_NUM, "1.5");
    assert_int_equal(vconv_i64(rt, &f, "c", 0, &v), -1);
    rt->err = 0;
    f = F(VF_BOOL, "true");
    assert_int_equal(vconv_i64(rt, &f, "c", 0, &v), -1);
    f = F(VF_NULL, NULL);
    assert_int_equal(vconv_i64(rt, &f, "c", 0, &v), 1);
    velo_rt_finish(rt, 0);
}

/* Integer text at the edges: 18 digits take the path without an overflow
 * test, 19 and more the one with it; INTEGER's range is checked after. */
static void test_conv_i64_edges(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const struct {
        const char *text;
        int is_int32, rc;
        i64 v;
    } cases[] = {
        {"0", 0, 0, 0},
        {"-7", 0, 0, -7},
        {"+42", 0, 0, 42},
        {"999999999999999999", 0, 0, 999999999999999999LL},
        {"-999999999999999999", 0, 0, -999999999999999999LL},
        {"9223372036854775807", 0, 0, VELO_I64_MAX},
        {"-9223372036854775808", 0, 0, VELO_I64_MIN},
        {"0009223372036854775807", 0, 0, VELO_I64_MAX},
        {"9223372036854775808", 0, -1, 0},
        {"-9223372036854775809", 0, -1, 0},
        {"99999999999999999999", 0, -1, 0},
        {"2147483647", 1, 0, 2147483647},
        {"-2147483648", 1, 0, -2147483648LL},
        {"2147483648", 1, -1, 0},
        {"12a", 0, -1, 0},
        {"-", 0, -1, 0},
        {"1234567890123456789x", 0, -1, 0},
        {"", 1, -1, 0}, /* a quoted empty field */
        {"007", 1, 0, 7},
        {"999999999", 1, 0, 999999999},
        {"12 ", 1, -1, 0},
        {"1.5", 1, -1, 0},
    };
    /* vconv_int, which generated code calls, inlines 1-9 plain digits and
       must agree with vconv_i64 on everything */
    for (int inl = 0; inl <= 1; inl++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            vfield f = {cases[i].text, (i64)strlen(cases[i].text), VF_TEXT};
            i64 v = 0;
            rt->err = 0;
            int rc = inl ? vconv_int(rt, &f, "c", cases[i].is_int32, &v) : vconv_i64(rt, &f, "c", cases[i].is_int32, &v);
            if (rc != cases[i].rc || (rc == 0 && v != cases[i].v))
                fail_msg("'%s' (%s): rc %d value %lld", cases[i].text, inl ? "vconv_int" : "vconv_i64", rc, (long long)v);
        }
    /* Its 8-digit word parse, on random fields of 1-9 bytes that are mostly
       digits, each in a buffer of exactly its length (ASan sees a read past
       it); the bytes around '0'-'9' and a high byte are the stray ones. */
    static const char stray[] = "/:-+ .\xff\x00";
    unsigned seed = 12345;
    for (int t = 0; t < 200000; t++) {
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)((seed >> 16) % 9);
        char *p = malloc((size_t)n);
        assert_non_null(p);
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            p[k] = r % 40 ? (char)('0' + r % 10) : stray[r / 40 % (sizeof stray - 1)];
        }
        vfield f = {p, n, VF_TEXT};
        i64 a = -1, b = -1;
        rt->err = 0;
        int ra = vconv_int(rt, &f, "c", 1, &a);
        rt->err = 0;
        int rb = vconv_i64(rt, &f, "c", 1, &b);
        if (ra != rb || (ra == 0 && a != b))
            fail_msg("'%.*s': vconv_int rc %d %lld, vconv_i64 rc %d %lld", n, p, ra, (long long)a, rb, (long long)b);
        free(p);
    }
    rt->err = 0;
    velo_rt_finish(rt, 0);
}

/* vconv_ts reads the usual file timestamps inline, as words; it must agree
 * with vconv_ts_general on every field of 10 or 19 bytes: random dates and
 * times around the valid ranges, with a stray byte now and then, each in a
 * buffer of exactly its length (ASan sees a read past it). */
static unsigned rnd(unsigned *x, unsigned k)
{
    *x = *x * 1103515245u + 12345u;
    return (*x >> 16) % k;
}
#define RND(k) rnd(&x, (k))

static void test_conv_ts_inline(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char stray[] = "/:-+ .Tt0\xff\x00";
    unsigned x = 777;
    for (int t = 0; t < 300000; t++) {
        char text[32];
        unsigned y = RND(4) ? 1900 + RND(200) : RND(10000), mo = RND(14), d = RND(32);
        unsigned hh = RND(25), mi = RND(61), ss = RND(61);
        char sep = RND(8) ? ' ' : "Ttx"[RND(3)];
        snprintf(text, sizeof text, "%04u-%02u-%02u%c%02u:%02u:%02u", y, mo, d, sep, hh, mi, ss);
        int n = RND(4) ? 19 : 10;
        if (RND(4) == 0) text[RND(n)] = stray[RND(sizeof stray - 1)];
        char *p = malloc((size_t)n);
        assert_non_null(p);
        memcpy(p, text, (size_t)n);
        vfield f = {p, n, VF_TEXT};
        i64 a = -1, b = -1;
        rt->err = 0;
        int ra = vconv_ts(rt, &f, "c", &a);
        rt->err = 0;
        int rb = vconv_ts_general(rt, &f, "c", &b);
        if (ra != rb || (ra == 0 && a != b))
            fail_msg("'%.*s': vconv_ts rc %d %lld, general rc %d %lld", n, p, ra, (long long)a, rb, (long long)b);
        free(p);
    }
    rt->err = 0;
    velo_rt_finish(rt, 0);
}

static void test_conv_f64(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    double d;
    vfield f = F(VF_NUM, "-1.5e3");
    assert_int_equal(vconv_f64(rt, &f, "c", &d), 0);
    assert_true(d == -1500.0);
    f = (vfield){"0.25xyz", 4, VF_TEXT}; /* a span inside a buffer: no NUL after it */
    assert_int_equal(vconv_f64(rt, &f, "c", &d), 0);
    assert_true(d == 0.25);
    const char *bad[] = {"1.5x", "", " 1", "abc"};
    for (int i = 0; i < 4; i++) {
        rt->err = 0;
        f = F(VF_TEXT, bad[i]);
        assert_int_equal(vconv_f64(rt, &f, "score", &d), -1);
    }
    assert_string_equal(rt->errmsg, "column 'score': invalid DOUBLE 'abc'");
    velo_rt_finish(rt, 0);
}

static void test_conv_dec(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    i64 v;
    vfield f = F(VF_TEXT, "180.0420");
    assert_int_equal(vconv_dec(rt, &f, "amt", 10, 4, &v), 0);
    assert_int_equal(v, 1800420);
    f = F(VF_NUM, "3.25");
    assert_int_equal(vconv_dec(rt, &f, "amt", 10, 2, &v), 0);
    assert_int_equal(v, 325);
    f = F(VF_TEXT, "12.5");
    assert_int_equal(vconv_dec(rt, &f, "amt", 10, 2, &v), 0);
    assert_int_equal(v, 1250);
    f = F(VF_TEXT, "12345678.9");
    assert_int_equal(vconv_dec(rt, &f, "amt", 8, 2, &v), -1);
    assert_string_equal(rt->errmsg, "column 'amt': value '12345678.9' out of range for DECIMAL(8,2)");
    rt->err = 0;
    f = F(VF_TEXT, "x.y");
    assert_int_equal(vconv_dec(rt, &f, "price", 8, 2, &v), -1);
    assert_string_equal(rt->errmsg, "column 'price': invalid DECIMAL(8,2) 'x.y'");
    rt->err = 0;
    f = F(VF_RAW, "[1]");
    assert_int_equal(vconv_dec(rt, &f, "price", 8, 2, &v), -1);
    f = F(VF_NULL, NULL);
    assert_int_equal(vconv_dec(rt, &f, "price", 8, 2, &v), 1);
    velo_rt_finish(rt, 0);
}

static void test_conv_str(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    vstr s;
    const int kinds[] = {VF_TEXT, VF_NUM, VF_BOOL, VF_RAW};
    const char *vals[] = {"x y", "1.50", "false", "{\"a\": [1]}"};
    for (int i = 0; i < 4; i++) {
        vfield f = F(kinds[i], vals[i]);
        assert_int_equal(vconv_str(rt, &f, "c", &s), 0);
        assert_int_equal(s.n, (i64)strlen(vals[i]));
        assert_memory_equal(s.p, vals[i], (size_t)s.n);
    }
    vfield f = F(VF_TEXT, "");
    assert_int_equal(vconv_str(rt, &f, "c", &s), 0);
    assert_int_equal(s.n, 0);
    f = F(VF_NULL, NULL);
    assert_int_equal(vconv_str(rt, &f, "c", &s), 1);
    velo_rt_finish(rt, 0);
}

static void test_conv_ts(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    i64 v;
    vfield f = F(VF_TEXT, "2026-01-01T00:00:01.5Z");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), 0);
    assert_true(v == 1767225601500000LL);
    f = F(VF_NUM, "1767225600000");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), 0);
    assert_true(v == 1767225600000000LL);
    f = F(VF_TEXT, "1767225600000"); /* CSV epoch millis */
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), 0);
    assert_true(v == 1767225600000000LL);
    f = F(VF_TEXT, "-1000");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), 0);
    assert_true(v == -1000000LL);
    f = F(VF_TEXT, "yesterday");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), -1);
    assert_string_equal(rt->errmsg, "column 'ts': invalid TIMESTAMP 'yesterday'");
    rt->err = 0;
    f = F(VF_TEXT, "99999999999999999");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), -1);
    rt->err = 0;
    f = F(VF_BOOL, "true");
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), -1);
    f = F(VF_NULL, NULL);
    assert_int_equal(vconv_ts(rt, &f, "ts", &v), 1);
    velo_rt_finish(rt, 0);
}

/* The conformance case jsonl_lenient end to end through the decoder. */
static void test_jsonl_lenient(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char *const cols[] = {"id", "amt", "ts", "tag"};
    const char *props[] = {"path",
                           wfile("events.jsonl",
                                 "{\"id\": 1, \"amt\": \"12.50\", \"ts\": \"2026-01-01T00:00:00Z\", \"tag\": \"x\"}\n"
                                 "{\"id\": 2, \"amt\": 3.25, \"ts\": 1767225600000}\n"
                                 "{\"id\": 3, \"amt\": null, \"ts\": \"2026-01-01T00:00:01.5Z\", \"extra\": {\"nested\": [1, 2]}}\n"),
                           "format", "jsonl", NULL};
    velo_src *s = vsrc_open(rt, 1, "e", props, 4, cols, NULL);
    vfield f[4];
    const i64 want_amt[] = {1250, 325, 0}, want_ts[] = {1767225600000000LL, 1767225600000000LL, 1767225601500000LL};
    for (int r = 0; r < 3; r++) {
        assert_int_equal(vsrc_next(s, f), 1);
        i64 id, amt = 0, ts;
        vstr tag;
        assert_int_equal(vconv_i64(rt, &f[0], "id", 0, &id), 0);
        assert_int_equal(id, r + 1);
        assert_int_equal(vconv_dec(rt, &f[1], "amt", 10, 2, &amt), r == 2 ? 1 : 0);
        assert_true(amt == want_amt[r]);
        assert_int_equal(vconv_ts(rt, &f[2], "ts", &ts), 0);
        assert_true(ts == want_ts[r]);
        assert_int_equal(vconv_str(rt, &f[3], "tag", &tag), r == 0 ? 0 : 1);
    }
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_ok),
        cmocka_unit_test(test_args_errors),
        cmocka_unit_test(test_prop_precedence),
        cmocka_unit_test(test_fail_keeps_first_message),
        cmocka_unit_test(test_bad_record_stderr),
        cmocka_unit_test(test_dead_letter_path_from_set),
        cmocka_unit_test(test_policy_skip_and_summary),
        cmocka_unit_test(test_policy_fail_and_bad_policy),
        cmocka_unit_test(test_fatal_and_signal),
        cmocka_unit_test(test_progress_line),
        cmocka_unit_test(test_conv_bool),
        cmocka_unit_test(test_conv_i64),
        cmocka_unit_test(test_conv_i64_edges),
        cmocka_unit_test(test_conv_ts_inline),
        cmocka_unit_test(test_conv_f64),
        cmocka_unit_test(test_conv_dec),
        cmocka_unit_test(test_conv_str),
        cmocka_unit_test(test_conv_ts),
        cmocka_unit_test(test_jsonl_lenient),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
