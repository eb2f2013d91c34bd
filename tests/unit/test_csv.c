/*
 * test_csv.c -- the CSV file source: RFC 4180 quoting, NULL vs empty string,
 * line ends, header mapping, bad records and their dead letters, gzip, and
 * records larger than the read buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "velo_internal.h"
#include "file_test.h"

static const char *const cols3[] = {"id", "name", "note"};

static velo_src *open3(velo_rt *rt, const char *path, const char *k1, const char *v1)
{
    const char *props[] = {"path", path, "format", "csv", k1, v1, NULL};
    return vsrc_open(rt, 1, "t", props, 3, cols3, NULL);
}

static void assert_field(const vfield *f, int kind, const char *text)
{
    assert_int_equal(f->kind, kind);
    if (text) {
        assert_int_equal(f->n, (i64)strlen(text));
        assert_memory_equal(f->p, text, strlen(text));
    }
}

static void test_basic(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("basic.csv", "id,name,note\n1,alpha,x\n2,beta,y\n"), NULL, NULL);
    assert_non_null(s);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_field(&f[1], VF_TEXT, "alpha");
    assert_field(&f[2], VF_TEXT, "x");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "beta");
    assert_int_equal(vsrc_next(s, f), 0);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

static void test_null_vs_empty(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("nulls.csv", "id,name,note\n2,,\"\"\n4,,\n"), NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_NULL, NULL);
    assert_field(&f[2], VF_TEXT, "");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_NULL, NULL);
    assert_field(&f[2], VF_NULL, NULL);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_quoting(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt,
                        WFILE("q.csv", "id,name,note\n3,\"gamma, delta\",\"say \"\"hi\"\"\"\n"
                                       "4,\"\"\"\",\"a\"\"b\"\n"),
                        NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "gamma, delta");
    assert_field(&f[2], VF_TEXT, "say \"hi\"");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "\"");
    assert_field(&f[2], VF_TEXT, "a\"b");
    /* the raw text kept for dead letters is not altered by unescaping */
    assert_memory_equal(rt->priv->rec_raw, "4,\"\"\"\",\"a\"\"b\"", rt->priv->rec_raw_n);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_multiline_and_lines(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("ml.csv", "id,name,note\n5,\"multi\nline\",y\n6,z,\"a\n\nb\"\n7,w,v\n"), NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "multi\nline");
    assert_int_equal(rt->priv->rec_line, 2);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[2], VF_TEXT, "a\n\nb");
    assert_int_equal(rt->priv->rec_line, 4);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "7");
    assert_int_equal(rt->priv->rec_line, 7);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_crlf(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("crlf.csv", "id,name,note\r\n1,x,\"q\r\nr\"\r\n2,y,\r\n"), NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "x");
    assert_field(&f[2], VF_TEXT, "q\r\nr");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "y");
    assert_field(&f[2], VF_NULL, NULL);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_no_trailing_newline_and_blank_lines(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("blank.csv", "id,name,note\n\n1,a,b\n\r\n\n2,c,d"), NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[2], VF_TEXT, "d");
    assert_int_equal(rt->priv->rec_line, 6);
    assert_int_equal(vsrc_next(s, f), 0);
    assert_int_equal(rt->priv->stats->n, 2);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_field_count_dead_letter(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const char *dl = tpath("dl1.jsonl");
    const char *path = WFILE("dirty.csv", "id,name,note\n1,a,b\n3,5\n4,7,2.00,extra\n6,c,d\n");
    velo_src *s = open3(rt, path, "dead_letter.path", dl);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "6");
    assert_int_equal(vsrc_next(s, f), 0);
    assert_int_equal(rt->priv->stats->n, 4);
    assert_int_equal(rt->priv->stats->bad, 2);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    char *txt = slurp(dl), *second = strchr(txt, '\n') + 1;
    char want[600];
    snprintf(want, sizeof want,
             "{\"source\":\"t\",\"file\":\"%s\",\"line\":3,\"operator\":1,"
             "\"error\":\"expected 3 fields, found 2\",\"raw\":\"3,5\"}\n",
             path);
    assert_memory_equal(txt, want, strlen(want));
    assert_non_null(strstr(second, "\"line\":4"));
    assert_non_null(strstr(second, "\"error\":\"expected 3 fields, found 4\""));
    assert_non_null(strstr(second, "\"raw\":\"4,7,2.00,extra\""));
    free(txt);
}

static void test_header_by_name(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    static const char *const cols[] = {"A", "b", "c"};
    const char *props[] = {"path", WFILE("hdr.csv", "c,x,B,a\n3,9,2,1\n"), "format", "csv", NULL};
    velo_src *s = vsrc_open(rt, 1, "h", props, 3, cols, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_field(&f[1], VF_TEXT, "2");
    assert_field(&f[2], VF_TEXT, "3");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_header_positional(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("pos.csv", "x,y,z\n1,2,3\n"), NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_field(&f[2], VF_TEXT, "3");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_no_headers(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("nohdr.csv", "id,name,note\n1,2,3\n"), "has_headers", "false");
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "id");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_semicolon_delimiter(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("semi.csv", "id;name;note\n1;\"a;b\";c,d\n"), "delimiter", ";");
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "a;b");
    assert_field(&f[2], VF_TEXT, "c,d");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_bad_delimiter(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    int saved = mute_stderr();
    assert_null(open3(rt, WFILE("bd.csv", "a\n"), "delimiter", ";;"));
    unmute_stderr(saved);
    assert_int_equal(velo_rt_finish(rt, 0), 2);
}

static void test_gzip(void **state)
{
    (void)state;
    const char *p = tpath("data.csv.gz");
    gzFile g = gzopen(p, "wb");
    assert_non_null(g);
    gzputs(g, "id,name,note\n");
    for (int i = 0; i < 50000; i++) gzprintf(g, "%d,name%d,\"n,%d\"\n", i, i, i);
    gzclose(g);
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, p, NULL, NULL);
    vfield f[3];
    int n = 0;
    while (vsrc_next(s, f)) {
        char want[32];
        snprintf(want, sizeof want, "n,%d", n);
        assert_field(&f[2], VF_TEXT, want);
        n++;
    }
    assert_int_equal(n, 50000);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

/* A 3 MB unquoted field and a 2.5 MB quoted field with newlines and "" both
 * straddle read-buffer boundaries. */
static void test_huge_records(void **state)
{
    (void)state;
    size_t big = 3u << 20, big2 = 5u << 19;
    velo_buf b = {0};
    vbuf_puts(&b, "id,name,note\n1,");
    size_t at1 = b.n;
    for (size_t i = 0; i < big; i++) vbuf_putc(&b, (char)('a' + i % 26));
    vbuf_puts(&b, ",x\n2,\"");
    for (size_t i = 0; i < big2; i++) vbuf_put(&b, i % 1000 == 0 ? "\"\"" : i % 100 == 0 ? "\n" : "z", i % 1000 == 0 ? 2 : 1);
    vbuf_puts(&b, "\",y\n3,s,t\n");
    const char *p = wfile_n("huge.csv", b.p, b.n);
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, p, NULL, NULL);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(f[1].n, (i64)big);
    assert_memory_equal(f[1].p, b.p + at1, big);
    assert_field(&f[2], VF_TEXT, "x");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(f[1].n, (i64)big2);
    assert_int_equal(f[1].p[0], '"');
    assert_int_equal(f[1].p[1000], '"');
    assert_int_equal(f[1].p[100], '\n');
    assert_field(&f[2], VF_TEXT, "y");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "3");
    assert_int_equal(rt->priv->rec_line, 4 + (i64)(big2 / 100 - big2 / 1000));
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    vbuf_free(&b);
}

static void test_needed_mask(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const u8 needed[3] = {0, 1, 0};
    const char *props[] = {"path", WFILE("mask.csv", "id,name,note\n1,a,b\n"), NULL};
    velo_src *s = vsrc_open(rt, 1, "m", props, 3, cols3, needed);
    vfield f[3] = {{"keep", 4, VF_RAW}, {0}, {"keep", 4, VF_RAW}};
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[1], VF_TEXT, "a");
    assert_field(&f[0], VF_RAW, "keep");
    assert_field(&f[2], VF_RAW, "keep");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_missing_file(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    int saved = mute_stderr();
    assert_null(open3(rt, tpath("nope.csv"), NULL, NULL));
    assert_true(velo_stopped(rt));
    unmute_stderr(saved);
    assert_int_equal(velo_rt_finish(rt, 0), 2);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const char *dl = tpath("dl2.jsonl");
    velo_src *s = open3(rt, WFILE("unterm.csv", "id,name,note\n1,a,b\n2,\"open,x\n"), "dead_letter.path", dl);
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    char *txt = slurp(dl);
    assert_non_null(strstr(txt, "\"error\":\"unterminated quoted field\""));
    assert_non_null(strstr(txt, "\"raw\":\"2,\\\"open,x\\n\""));
    free(txt);
}

static void test_text_after_quote(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("after.csv", "id,name,note\n1,\"a\"x,b\n2,c,d\n"), "error.policy", "skip");
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "2");
    assert_int_equal(rt->priv->stats->bad, 1);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_policy_fail(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("fail.csv", "id,name,note\n1,a\n2,c,d\n"), "error.policy", "fail");
    vfield f[3];
    int saved = dup(2), nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);
    assert_int_equal(vsrc_next(s, f), 0);
    dup2(saved, 2);
    close(saved);
    close(nul);
    assert_true(velo_stopped(rt));
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 1);
}

static void test_bom_and_tab(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, WFILE("bom.tsv", "\xef\xbb\xbfnote\tid\tname\nn\t1\tm\n"), "delimiter", "\\t");
    vfield f[3];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_field(&f[1], VF_TEXT, "m");
    assert_field(&f[2], VF_TEXT, "n");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

/* Random records of every shape, many crossing the 64-byte blocks the
 * splitter's fast path reads: unquoted fields (with a quote inside, which
 * sends the record to the general path), quoted ones holding delimiters,
 * CR, LF and "", NULLs, LF and CRLF line ends, and now and then a fourth
 * field (a bad record). Read with every column and with only the middle
 * one (the fast path then counts the fields after it), through every build
 * of the fast path (AVX-512BW, AVX2 and SSE2), one record at a time and in
 * vsrc_batch's batches: each good record comes back as written, on the
 * line where it starts, and each bad one is counted. */
enum { RND_NREC = 4000, RND_NF = 3 };
static char rnd_want[RND_NREC][RND_NF][200];
static int rnd_len[RND_NREC][RND_NF], rnd_kind[RND_NREC][RND_NF], rnd_bad[RND_NREC];
static i64 rnd_line[RND_NREC];

static unsigned rnd_next(unsigned *r)
{
    *r = *r * 1103515245u + 12345u;
    return *r >> 8;
}

/* One field of record i into b and rnd_want; returns the lines it adds. */
static int rnd_field(velo_buf *b, unsigned *r, int i, int c)
{
    static const char plain[] = "abcxyz 0189-_.";
    static const char quoted[] = "ab,\n\r\"z";
    unsigned x = rnd_next(r);
    int kind = (int)(x % 8), n = (int)((x >> 8) % 90), lines = 0;
    char *w = rnd_want[i][c];
    rnd_len[i][c] = 0;
    rnd_kind[i][c] = kind ? VF_TEXT : VF_NULL; /* kind 0: empty, so NULL */
    if (kind && kind < 5) {                    /* unquoted, a quote inside now and then */
        for (int k = 0; k < n + 1; k++) {
            unsigned y = rnd_next(r);
            char ch = k && y % 97 == 0 ? '"' : plain[y % (sizeof plain - 1)];
            vbuf_putc(b, ch);
            w[rnd_len[i][c]++] = ch;
        }
    } else if (kind) { /* quoted */
        vbuf_putc(b, '"');
        for (int k = 0; k < n; k++) {
            char ch = quoted[rnd_next(r) % (sizeof quoted - 1)];
            if (ch == '"') vbuf_putc(b, '"');
            lines += ch == '\n';
            vbuf_putc(b, ch);
            w[rnd_len[i][c]++] = ch;
        }
        vbuf_putc(b, '"');
    }
    return lines;
}

/* The next record as the query reads it: from vsrc_next, or from
 * vsrc_batch's batches (into *f, the record's slot); its line, from the
 * record context a dead letter would get. */
typedef struct rnd_reader {
    velo_src *s;
    vbatch *vb;
    int batch, i;
    vfield one[RND_NF + 1];
} rnd_reader;

static int rnd_get(rnd_reader *r, vfield **f, i64 *line)
{
    velo_rt *rt = r->s->rt;
    if (!r->batch) {
        *f = r->one;
        if (!vsrc_next(r->s, r->one)) return 0;
        *line = rt->priv->rec_line;
        return 1;
    }
    if (!r->vb || ++r->i >= r->vb->n) {
        if (!vsrc_batch(r->s, &r->vb)) return 0;
        r->i = 0;
    }
    r->vb->i = r->i;
    *f = r->vb->f + r->i * (RND_NF + 1);
    *line = rt->priv->batch ? r->vb->line0 + r->i : rt->priv->rec_line;
    return 1;
}

static void rnd_read(const char *path, const u8 *needed, int batch)
{
    velo_rt *rt = new_rt();
    const char *props[] = {"path", path, "format", "csv", "error.policy", "skip", NULL};
    rnd_reader rd = {vsrc_open(rt, 1, "t", props, 3, cols3, needed), NULL, batch, 0, {{0}}};
    vfield *f;
    i64 bad = 0, line = 0, batched = 0;
    for (int i = 0; i < RND_NREC; i++) {
        if (rnd_bad[i]) {
            bad++;
            continue;
        }
        assert_int_equal(rnd_get(&rd, &f, &line), 1);
        assert_int_equal(line, rnd_line[i]);
        batched += rt->priv->batch != NULL;
        for (int c = 0; c < RND_NF; c++) {
            if (needed && !needed[c]) continue;
            assert_int_equal(f[c].kind, rnd_kind[i][c]);
            assert_int_equal(f[c].n, rnd_len[i][c]);
            assert_memory_equal(f[c].p, rnd_want[i][c], (size_t)rnd_len[i][c]);
        }
    }
    assert_int_equal(rnd_get(&rd, &f, &line), 0);
    assert_int_equal(rt->priv->stats->bad, bad);
    assert_int_equal(rt->priv->stats->n, RND_NREC);
    if (batch) assert_true(batched > RND_NREC / 20); /* 339: most records hold a quote */
    vsrc_close(rd.s);
    velo_rt_finish(rt, 0);
}

static void test_random_records(void **state)
{
    (void)state;
    velo_buf b = {0};
    vbuf_puts(&b, "id,name,note\n");
    unsigned r = 12345;
    i64 line = 2;
    for (int i = 0; i < RND_NREC; i++) {
        rnd_line[i] = line;
        for (int c = 0; c < RND_NF; c++) {
            if (c) vbuf_putc(&b, ',');
            line += rnd_field(&b, &r, i, c);
        }
        rnd_bad[i] = rnd_next(&r) % 50 == 0;
        if (rnd_bad[i]) vbuf_puts(&b, ",extra");
        vbuf_puts(&b, rnd_next(&r) % 3 ? "\n" : "\r\n");
        line++;
    }
    const char *path = wfile_n("random.csv", b.p, b.n);
    static const u8 middle[RND_NF] = {0, 1, 0};
    /* the widest build the CPU has (AVX-512BW), then AVX2, then SSE2 */
    static const char *const narrower[] = {NULL, "VELO_NO_AVX512", "VELO_NO_AVX2"};
    for (int k = 0; k < 3; k++) {
        if (narrower[k]) setenv(narrower[k], "1", 1);
        for (int batch = 0; batch < 2; batch++) {
            rnd_read(path, NULL, batch);
            rnd_read(path, middle, batch);
        }
    }
    unsetenv("VELO_NO_AVX512");
    unsetenv("VELO_NO_AVX2");
    vbuf_free(&b);
}

/* Late columns of batched records (vsrc_batch, then vsrc_late): the record
 * is split again from its text, 16 bytes at a time while 16 are left, so
 * fields of 0 to 40 bytes put delimiters on both sides of that limit, and
 * the last field ends at the record's end. The key first, two late
 * columns, one not read, and the last field late. */
static void test_batch_late(void **state)
{
    (void)state;
    enum { NREC = 500 };
    static const char *const cols5[] = {"k", "a", "b", "c", "d"};
    static char want[NREC][5][48];
    velo_buf b = {0};
    vbuf_puts(&b, "k,a,b,c,d\n");
    unsigned r = 777;
    for (int i = 0; i < NREC; i++) {
        for (int c = 0; c < 5; c++) {
            int n = c ? (int)(rnd_next(&r) % 41) : snprintf(want[i][0], sizeof want[i][0], "%d", i);
            for (int k = 0; c && k < n; k++) want[i][c][k] = (char)('a' + rnd_next(&r) % 26);
            want[i][c][n] = 0;
            if (c) vbuf_putc(&b, ',');
            vbuf_puts(&b, want[i][c]);
        }
        vbuf_putc(&b, '\n');
    }
    velo_rt *rt = new_rt();
    const char *props[] = {"path", wfile_n("late.csv", b.p, b.n), "format", "csv", NULL};
    static const u8 needed[5] = {1, 2, 2, 0, 2};
    velo_src *s = vsrc_open(rt, 1, "t", props, 5, cols5, needed);
    vbatch *vb;
    int i = 0, batched = 0;
    while (vsrc_batch(s, &vb)) {
        batched += rt->priv->batch != NULL;
        for (int k = 0; k < vb->n; k++, i++) {
            vfield *f = vb->f + k * 6;
            vb->i = k;
            assert_field(&f[0], VF_TEXT, want[i][0]);
            vsrc_late(s, f);
            for (int c = 1; c < 5; c++) {
                if (c == 3) continue;
                if (!want[i][c][0]) assert_int_equal(f[c].kind, VF_NULL);
                else assert_field(&f[c], VF_TEXT, want[i][c]);
            }
        }
    }
    assert_int_equal(i, NREC);
    assert_true(batched > 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    vbuf_free(&b);
}

/* A file of `size` bytes, large enough to be mapped: records "i,name,i",
 * the last one padded to the size and without a line end, so its last
 * field ends at the end of the file. Every record reads back, the last
 * number converts without running past it, and the file was mapped. */
static void mapped_file(size_t size)
{
    velo_buf b = {0};
    vbuf_puts(&b, "id,name,note\n");
    char rec[64];
    int n = 0;
    while (b.n + 40 < size) {
        int len = snprintf(rec, sizeof rec, "%d,name%d,%d\n", n, n % 97, n);
        vbuf_put(&b, rec, (size_t)len);
        n++;
    }
    size_t pad = size - b.n - (size_t)snprintf(NULL, 0, "%d,,%d", n, n);
    int len = snprintf(rec, sizeof rec, "%d,", n);
    vbuf_put(&b, rec, (size_t)len);
    for (size_t i = 0; i < pad; i++) vbuf_putc(&b, 'p');
    len = snprintf(rec, sizeof rec, ",%d", n);
    vbuf_put(&b, rec, (size_t)len);
    assert_int_equal(b.n, size);
    velo_rt *rt = new_rt();
    velo_src *s = open3(rt, wfile_n("mapped.csv", b.p, b.n), NULL, NULL);
    assert_true(s->map_len > 0);
    vfield f[3];
    for (int i = 0; i <= n; i++) {
        assert_int_equal(vsrc_next(s, f), 1);
        i64 id = -1, note = -1;
        assert_int_equal(vconv_i64(rt, &f[0], "id", 0, &id), 0);
        assert_int_equal(vconv_i64(rt, &f[2], "note", 0, &note), 0);
        assert_int_equal(id, i);
        assert_int_equal(note, i);
        if (i == n) assert_int_equal(f[1].n, (i64)pad);
    }
    assert_int_equal(vsrc_next(s, f), 0);
    assert_int_equal(rt->priv->stats->bytes, (i64)size);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    /* again in batches: they stop short of the end of each mapped block,
     * and the record across it comes one at a time */
    rt = new_rt();
    s = open3(rt, wfile_n("mapped.csv", b.p, b.n), NULL, NULL);
    vbatch *vb;
    int i = 0, nb = 0;
    while (vsrc_batch(s, &vb)) {
        nb++;
        for (int k = 0; k < vb->n; k++, i++) {
            const vfield *g = vb->f + k * 4;
            i64 id = -1, note = -1;
            assert_int_equal(vconv_i64(rt, &g[0], "id", 0, &id), 0);
            assert_int_equal(vconv_i64(rt, &g[2], "note", 0, &note), 0);
            assert_int_equal(id, i);
            assert_int_equal(note, i);
        }
    }
    assert_int_equal(i, n + 1);
    assert_true(nb < n / 32);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
    vbuf_free(&b);
}

/* Sizes ending inside a page and exactly at a page end (the terminator is
 * then the reserved anonymous page); the larger one passes the point where
 * pages behind the decoder are dropped. */
static void test_mapped_file(void **state)
{
    (void)state;
    mapped_file((9u << 20) + 1234);
    mapped_file(20u << 20);
}

/* A mapped file truncated while it is read ends the job with exit status 1
 * and a message (the SIGBUS handler), not a crash. */
static void test_mapped_truncated(void **state)
{
    (void)state;
    velo_buf b = {0};
    vbuf_puts(&b, "id,name,note\n");
    while (b.n < (10u << 20)) vbuf_puts(&b, "1,some text to fill the file,2\n");
    const char *path = wfile_n("shrinks.csv", b.p, b.n);
    vbuf_free(&b);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        (void)mute_stderr();
        velo_rt *rt = new_rt();
        velo_src *s = open3(rt, path, NULL, NULL);
        vfield f[3];
        if (!s || !s->map_len || vsrc_next(s, f) != 1) _exit(3);
        if (truncate(path, 4096) != 0) _exit(4);
        while (vsrc_next(s, f)) {}
        _exit(5); /* not reached: the pages past 4096 are gone */
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_null_vs_empty),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_multiline_and_lines),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_no_trailing_newline_and_blank_lines),
        cmocka_unit_test(test_field_count_dead_letter),
        cmocka_unit_test(test_header_by_name),
        cmocka_unit_test(test_header_positional),
        cmocka_unit_test(test_no_headers),
        cmocka_unit_test(test_semicolon_delimiter),
        cmocka_unit_test(test_bad_delimiter),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_huge_records),
        cmocka_unit_test(test_needed_mask),
        cmocka_unit_test(test_batch_late),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_text_after_quote),
        cmocka_unit_test(test_policy_fail),
        cmocka_unit_test(test_bom_and_tab),
        cmocka_unit_test(test_random_records),
        cmocka_unit_test(test_mapped_file),
        cmocka_unit_test(test_mapped_truncated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
