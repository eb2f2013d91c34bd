/*
 * fuzz_decode.h -- the body shared by fuzz_csv and fuzz_json: open the
 * input file as a source with a 3-column schema, read every record and run
 * every vconv_* conversion on every decoded field, sending failed ones to
 * the dead-letter sink (/dev/null) as generated code does.
 */
#ifndef FUZZ_DECODE_H
#define FUZZ_DECODE_H

#include "fuzz_common.h"

static const char *const fz_cols[3] = {"a", "b", "c"};

static void fz_convert(velo_rt *rt, const vfield *f, const char *col)
{
    static const int dec_ps[][2] = {{18, 0}, {10, 2}, {18, 4}, {18, 17}, {3, 3}};
    int b;
    i64 v;
    double d;
    vstr s;
    vconv_bool(rt, f, col, &b);
    rt->err = 0;
    vconv_i64(rt, f, col, 1, &v);
    rt->err = 0;
    vconv_i64(rt, f, col, 0, &v);
    rt->err = 0;
    vconv_f64(rt, f, col, &d);
    rt->err = 0;
    for (size_t i = 0; i < sizeof dec_ps / sizeof dec_ps[0]; i++) {
        if (vconv_dec(rt, f, col, dec_ps[i][0], dec_ps[i][1], &v) == 0) {
            char buf[32];
            vd_format(buf, v, dec_ps[i][1]);
        }
        rt->err = 0;
    }
    if (vconv_str(rt, f, col, &s) == 0 && s.n > 0) {
        /* the span must be readable in full */
        volatile char sink = s.p[0] ^ s.p[s.n - 1];
        (void)sink;
    }
    rt->err = 0;
    if (vconv_ts(rt, f, col, &v) == 0) {
        char buf[64];
        vt_format(buf, v);
    }
}

/* Reads the file at path with the given properties (NULL-terminated list
 * to which path and dead_letter.path are added). */
static void fz_read_source(const char *path, const char *const *extra, const u8 *needed)
{
    const char *props[32];
    int n = 0;
    props[n++] = "path";
    props[n++] = path;
    props[n++] = "dead_letter.path";
    props[n++] = "/dev/null";
    for (int i = 0; extra[i] && n < 30; i++) props[n++] = extra[i];
    props[n] = NULL;
    velo_rt *rt = fz_rt_new();
    velo_src *src = vsrc_open(rt, 1, "in", props, 3, fz_cols, needed);
    if (src) {
        vfield f[3];
        int nrec = 0;
        while (vsrc_next(src, f)) {
            for (int i = 0; i < 3; i++) {
                if (needed && !needed[i]) continue;
                fz_convert(rt, &f[i], fz_cols[i]);
                if (rt->err) velo_bad_record(rt, 2, NULL);
            }
            /* exercise the dead-letter path with the raw record now and then */
            if ((++nrec & 7) == 0) {
                velo_fail(rt, "fuzz");
                velo_bad_record(rt, 3, NULL);
            }
        }
        vsrc_close(src);
    }
    velo_rt_finish(rt, 0);
}

#endif
