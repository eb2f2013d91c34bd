/*
 * test_ijoin.c -- what interval joins need from the runtime: vsrc_poll on
 * watched files (never waits, never loses a record written in pieces, a
 * CSV header written late is still a header), input watermarks, and the
 * kept rows (hash chains, eviction in time order, counts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "velo_internal.h"
#include "file_test.h"

static void append(const char *path, const char *data)
{
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
}

static void assert_text(const vfield *f, const char *text)
{
    assert_int_equal(f->n, (i64)strlen(text));
    assert_memory_equal(f->p, text, strlen(text));
}

static void test_poll_csv_pieces(void **state)
{
    (void)state;
    const char *path = wfile("w.csv", "id,na");
    velo_rt *rt = new_rt();
    const char *const cols[] = {"id", "name"};
    const char *props[] = {"path", path, "format", "csv", "has_headers", "true", "watching", "true", NULL};
    velo_src *s = vsrc_open(rt, 1, "w", props, 2, cols, NULL);
    assert_non_null(s);
    vfield f[2];
    assert_int_equal(vsrc_poll(s, f, 0), -1); /* half a header */
    append(path, "me\n");
    assert_int_equal(vsrc_poll(s, f, 0), -1); /* a header, no record */
    append(path, "1,o");
    assert_int_equal(vsrc_poll(s, f, 10), -1); /* half a record; a short wait */
    append(path, "ne\n2,two\n");
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_text(&f[0], "1");
    assert_text(&f[1], "one");
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_text(&f[1], "two");
    assert_int_equal(vsrc_poll(s, f, 0), -1);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_poll_jsonl_and_bounded(void **state)
{
    (void)state;
    const char *path = wfile("w.jsonl", "{\"k\":\"a\"}\n{\"k\":");
    velo_rt *rt = new_rt();
    const char *const cols[] = {"k"};
    const char *props[] = {"path", path, "format", "jsonl", "watching", "true", NULL};
    velo_src *s = vsrc_open(rt, 1, "j", props, 1, cols, NULL);
    vfield f[1];
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_text(&f[0], "a");
    assert_int_equal(vsrc_poll(s, f, 0), -1);
    append(path, "\"b\"}\n");
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_text(&f[0], "b");
    vsrc_close(s);
    /* a file that is not watched ends as with vsrc_next */
    const char *bprops[] = {"path", path, "format", "jsonl", NULL};
    s = vsrc_open(rt, 1, "b", bprops, 1, cols, NULL);
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_int_equal(vsrc_poll(s, f, 0), 1);
    assert_int_equal(vsrc_poll(s, f, 0), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_watermark(void **state)
{
    (void)state;
    velo_wm w;
    vwm_init(&w, 5, 1000);
    assert_true(w.wm == VELO_I64_MIN);
    assert_int_equal(vwm_observe(&w, NULL, 100, -1), 1);
    assert_int_equal(w.wm, 95);
    assert_int_equal(vwm_observe(&w, NULL, 90, -1), 0); /* out of order: no change */
    assert_int_equal(w.wm, 95);
    assert_int_equal(vwm_observe(&w, NULL, 103, -1), 1);
    assert_int_equal(w.wm, 98);
    vwm_end(&w);
    assert_true(w.wm == VELO_I64_MAX);
}

typedef struct row {
    i64 k;
    vstr s;
} row;

static row *add(vij_side *s, i64 k, i64 ts, const char *str)
{
    vstr v = {str, (i64)strlen(str)};
    vij_row *r = vij_add(s, (u64)k * 0x9e3779b97f4a7c15ULL, 1, ts, sizeof(row) + (vsize)v.n);
    row *p = (row *)(r + 1);
    char *area = (char *)(p + 1);
    p->k = k;
    p->s = vij_keep(&area, v);
    return p;
}

static int chain_count(vij_side *s, i64 k)
{
    u64 h = (u64)k * 0x9e3779b97f4a7c15ULL;
    int n = 0;
    for (vij_row *r = vij_chain(s, h); r; r = r->hnext)
        if (r->h == h && ((row *)(r + 1))->k == k) n++;
    return n;
}

static void test_rows_evicted_in_time_order(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    vij_side *s = vij_open(rt, 3, 0);
    i64 ts[] = {50, 10, 40, 10, 30, 20};
    for (int i = 0; i < 6; i++) add(s, i % 2, ts[i], "payload");
    /* many rows force the table to grow: chains stay intact */
    for (int i = 0; i < 3000; i++) add(s, 100 + i, 1000 + i, "x");
    assert_int_equal(vij_rows(s), 3006);
    assert_int_equal(chain_count(s, 0), 3);
    assert_int_equal(chain_count(s, 1), 3);
    assert_null(vij_expired(s, 10)); /* nothing strictly before 10 */
    i64 prev = -1, seq = -1;
    int n = 0;
    vij_row *r;
    while ((r = vij_expired(s, 45)) != NULL) {
        assert_true(r->ts > prev || (r->ts == prev && r->seq > seq)); /* ties in arrival order */
        prev = r->ts;
        seq = r->seq;
        row *p = (row *)(r + 1);
        assert_int_equal(p->s.n, 7);
        assert_memory_equal(p->s.p, "payload", 7);
        vij_drop(s, r);
        n++;
    }
    assert_int_equal(n, 5);
    assert_int_equal(chain_count(s, 0), 1); /* the row at 50 */
    assert_int_equal(chain_count(s, 1), 0);
    assert_int_equal(chain_count(s, 2500), 1);
    while ((r = vij_expired(s, 2000)) != NULL) vij_drop(s, r);
    assert_int_equal(vij_rows(s), 2000);
    vij_close(s);
    assert_non_null(rt->priv->ijstats);
    assert_int_equal(rt->priv->ijstats->rows, 2000);
    assert_int_equal(rt->priv->ijstats->peak, 3006);
    assert_int_equal(rt->priv->ijstats->evicted, 1006);
    velo_rt_finish(rt, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poll_csv_pieces),
        cmocka_unit_test(test_poll_jsonl_and_bounded),
        cmocka_unit_test(test_watermark),
        cmocka_unit_test(test_rows_evicted_in_time_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
