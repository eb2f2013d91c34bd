/*
 * sink.c -- row writers: stdout in the job's --format (jsonl, csv, table)
 * and file sinks (jsonl, csv).
 *
 * Rows are formatted straight into one output buffer that is written in
 * blocks of 64 KB or more, never a write per row (except on a terminal, where
 * rows show up as they come). The table format has to know every width before
 * printing, so it keeps the cell texts and prints at close, like psql.
 *
 * File sinks never leave a half-written file under the final name: they write
 * PATH.tmp-PID and fsync + rename it over PATH when the sink is closed.
 */
#include "kafka.h"
#include "protobuf.h"
#include "velo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#define VOUT_FLUSH (64u << 10)

enum { VOUT_JSONL, VOUT_CSV, VOUT_TABLE };

struct velo_out {
    velo_rt *rt;
    velo_stat *st;
    int fmt; /* VOUT_* */
    int fd;
    int tty;    /* flush every row */
    int werr;   /* errno of the first failed write; later output is dropped */
    char *path; /* file sink: final name and temporary name */
    char *tmp_path;
    velo_buf b; /* pending output */
    int ncols;
    int col;       /* next column of the current row */
    int dec_str;   /* 'decimal.as.string' */
    i64 ts_day;    /* day whose formatted date is in ts_date */
    int ts_date_n; /* 0: none yet */
    char ts_date[48];
    u8 *types;
    char **names;
    velo_buf keys; /* JSON: `{"a":` `,"b":` ... back to back */
    size_t *key_off;
    velo_buf cells; /* table: cell texts back to back */
    i64 *cell_off;  /* start of each cell in cells, plus the end */
    i64 ncells, cell_cap;
    struct vkafka_out *kafka; /* kafka_sink: each row is one message (kafka.c) */
    velo_out *next_open;      /* rt->priv->outs */
    struct vpb_out *pb;       /* format protobuf: values go to its encoder (protobuf.c) */
    vretry retry;             /* retries and circuit breaker of writes (retry.c) */
    int werr_reported;        /* werr was reported by vout_flush */
    int ckpt;                 /* VOUT_CKPT_*: what the last checkpoint of this sink's statement refers to */
};

/* A checkpointed sink's file: the restart resumes from the one the last
 * checkpoint names, so that file must survive a failed or stopped run. */
enum {
    VOUT_CKPT_NONE, /* no checkpoint */
    VOUT_CKPT_OLD,  /* resumed: it names an older file (a temporary one, or PATH) */
    VOUT_CKPT_THIS, /* it names tmp_path */
};

static void vout_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

/* Writes the buffer out. A transient error (retry.c: EAGAIN, ENOSPC, ...)
 * is retried with backoff; when the attempts run out the circuit breaker
 * opens and the job stops (exit 1). After a failure later output is dropped
 * and vout_close reports the error and removes the temporary file. */
static void vout_flush(velo_out *o)
{
    size_t done = 0;
    if (o->tty && o->b.n) velo_progress_clear(o->rt);
    while (done < o->b.n && !o->werr) {
        ssize_t w = write(o->fd, o->b.p + done, o->b.n - done);
        if (w > 0) {
            done += (size_t)w;
            vretry_ok(&o->retry);
            continue;
        }
        int e = w < 0 ? errno : EIO;
        i64 before = o->retry.retries;
        if (vretry_failed(&o->retry, e)) {
            if (o->st) o->st->retries += o->retry.retries - before;
            continue;
        }
        o->werr = e;
        o->werr_reported = 1; /* the job stops now, not at close */
        char msg[700];
        if (o->retry.open) {
            if (o->st) o->st->breaker_open = 1;
            snprintf(msg, sizeof msg, "sink '%s': writing '%.400s': %s (circuit breaker open after %d failed attempts)",
                     o->st ? o->st->name : "stdout", o->path ? o->path : "stdout", strerror(e), o->retry.consecutive);
        } else {
            snprintf(msg, sizeof msg, "sink '%s': writing '%.400s': %s", o->st ? o->st->name : "stdout", o->path ? o->path : "stdout",
                     strerror(e));
        }
        velo_fatal(o->rt, msg);
    }
    o->b.n = 0;
}

/* Unsigned decimal into buf (no terminator); returns the length. */
static int vout_utoa(char *buf, u64 v)
{
    char tmp[24];
    int n = 0, len = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) buf[len++] = tmp[--n];
    return len;
}

static const double vout_p10[18] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};

/*
 * Shortest of %.15g, %.16g, %.17g that reads back as d. Fast path: when some
 * decimal M / 10^k with M < 10^15 reads back as |d| (checked exactly: M and
 * 10^k are exact doubles and the division rounds once, as strtod does), it is
 * the only decimal of at most 15 significant digits that does, hence what
 * %.15g prints; the smallest k has no trailing zero, like %g. Values below
 * 1e-4 (where %g switches to an exponent) and all others take snprintf.
 */
int vout_fmt_f64(char *buf, double d)
{
    double a = d < 0 ? -d : d;
    int prec = 15;
    if (a >= 1e-4 && a < 1e15) {
        for (int k = 0; k < 18; k++) {
            double x = a * vout_p10[k];
            u64 m = x < 1e15 ? (u64)(x + 0.5) : 0;
            if (x >= 1e15 || m >= 1000000000000000ull) {
                prec = 16; /* no decimal of 15 digits reads back as d */
                break;
            }
            if ((double)m / vout_p10[k] != a) continue;
            int len = 0;
            if (d < 0) buf[len++] = '-';
            u64 pk = 1;
            for (int i = 0; i < k; i++) pk *= 10;
            len += vout_utoa(buf + len, m / pk);
            if (k) {
                u64 frac = m % pk;
                buf[len++] = '.';
                for (int i = k - 1; i >= 0; i--) {
                    buf[len + i] = (char)('0' + frac % 10);
                    frac /= 10;
                }
                len += k;
            }
            buf[len] = 0;
            return len;
        }
    }
    int n = 0;
    for (; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, d);
        if (prec == 17 || strtod(buf, NULL) == d) /* 17 digits always read back */
            break;
    }
    return n;
}

/* ---- per-format emission of one value --------------------------------------- */

static void vout_cell_end(velo_out *o)
{
    if (o->ncells + 2 > o->cell_cap) {
        i64 cap = o->cell_cap ? o->cell_cap * 2 : 1024;
        i64 *p = realloc(o->cell_off, sizeof *p * (size_t)cap);
        if (!p) vout_oom();
        if (!o->cell_off) p[0] = 0;
        o->cell_off = p;
        o->cell_cap = cap;
    }
    o->cell_off[++o->ncells] = (i64)o->cells.n;
}

/* Starts a value: JSON key or CSV separator. */
static void vout_sep(velo_out *o)
{
    int c = o->col++;
    if (o->fmt == VOUT_JSONL) {
        if (c < o->ncols) vbuf_put(&o->b, o->keys.p + o->key_off[c], o->key_off[c + 1] - o->key_off[c]);
    } else if (o->fmt == VOUT_CSV && c > 0) {
        vbuf_putc(&o->b, ',');
    }
}

/* A value whose text needs no escaping in any format (numbers, timestamps). */
static void vout_plain(velo_out *o, const char *p, size_t n, int json_quote)
{
    if (o->fmt == VOUT_TABLE) {
        vbuf_put(&o->cells, p, n);
        vout_cell_end(o);
        o->col++;
        return;
    }
    vout_sep(o);
    if (json_quote && o->fmt == VOUT_JSONL) vbuf_putc(&o->b, '"');
    vbuf_put(&o->b, p, n);
    if (json_quote && o->fmt == VOUT_JSONL) vbuf_putc(&o->b, '"');
}

/* Whether a CSV field needs quotes: it holds a comma, a quote, CR or LF.
 * Eight bytes at a time: the byte-wise test was a third of q0's time. */
static int vout_csv_special(const char *p, size_t n)
{
    size_t i = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        u64 w;
        memcpy(&w, p + i, 8);
        if (vswar_has(w, ',') | vswar_has(w, '"') | vswar_has(w, '\n') | vswar_has(w, '\r')) return 1;
    }
#endif
    for (; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') return 1;
    return 0;
}

static void vout_csv_str(velo_buf *b, const char *p, size_t n)
{
    if (n && !vout_csv_special(p, n)) {
        vbuf_put(b, p, n);
        return;
    }
    vbuf_putc(b, '"');
    for (const char *e = p + n, *q; p < e; p = q + 1) {
        q = memchr(p, '"', (size_t)(e - p));
        if (!q) {
            vbuf_put(b, p, (size_t)(e - p));
            break;
        }
        vbuf_put(b, p, (size_t)(q - p) + 1);
        vbuf_putc(b, '"');
    }
    vbuf_putc(b, '"');
}

/* A protobuf sink hands each value to its encoder (protobuf.c). */
#define VOUT_PB(o, call)                                                                                                                   \
    do {                                                                                                                                   \
        if ((o)->pb) {                                                                                                                     \
            call;                                                                                                                          \
            (o)->col++;                                                                                                                    \
            return;                                                                                                                        \
        }                                                                                                                                  \
    } while (0)

void vout_begin(velo_out *o)
{
    o->col = 0;
}

void vout_null(velo_out *o)
{
    VOUT_PB(o, vpb_enc_null(vpb_out_enc(o->pb), o->col));
    if (o->fmt == VOUT_JSONL) {
        vout_sep(o);
        vbuf_put(&o->b, "null", 4);
    } else {
        vout_plain(o, "", 0, 0);
    }
}

void vout_bool(velo_out *o, int v)
{
    VOUT_PB(o, vpb_enc_bool(vpb_out_enc(o->pb), o->col, v));
    vout_plain(o, v ? "true" : "false", v ? 4 : 5, 0);
}

void vout_i64(velo_out *o, i64 v)
{
    VOUT_PB(o, vpb_enc_i64(vpb_out_enc(o->pb), o->col, v));
    char buf[32];
    int n = 0;
    if (v < 0) buf[n++] = '-';
    n += vout_utoa(buf + n, v < 0 ? 0 - (u64)v : (u64)v);
    vout_plain(o, buf, (size_t)n, 0);
}

void vout_f64(velo_out *o, double v)
{
    VOUT_PB(o, vpb_enc_f64(vpb_out_enc(o->pb), o->col, v));
    char buf[32];
    if (isnan(v) || isinf(v)) {
        if (o->fmt == VOUT_JSONL) vout_null(o);
        else vout_plain(o, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity", isnan(v) ? 3 : v > 0 ? 8 : 9, 0);
        return;
    }
    vout_plain(o, buf, (size_t)vout_fmt_f64(buf, v), 0);
}

void vout_dec(velo_out *o, i64 v, int scale)
{
    VOUT_PB(o, vpb_enc_dec(vpb_out_enc(o->pb), o->col, v, scale));
    char buf[48];
    vout_plain(o, buf, (size_t)vd_format(buf, v, scale), o->dec_str);
}

void vout_str(velo_out *o, vstr v)
{
    VOUT_PB(o, vpb_enc_str(vpb_out_enc(o->pb), o->col, v));
    if (o->fmt == VOUT_TABLE) {
        vout_plain(o, v.p, (size_t)v.n, 0);
        return;
    }
    vout_sep(o);
    if (o->fmt == VOUT_JSONL) vjson_put_str(&o->b, v.p, v.n);
    else vout_csv_str(&o->b, v.p, (size_t)v.n);
}

/*
 * Timestamps: the date part is formatted by vt_format once per day and kept
 * (consecutive rows nearly always share a day); the time of day is written
 * here, with the same trimming of fraction zeros as vt_format.
 */
#define VOUT_US_DAY 86400000000LL

static int vout_fmt_ts(velo_out *o, char *buf, i64 v)
{
    int iso = o->fmt == VOUT_JSONL;
    if (v > ((i64)1 << 62) || v < -((i64)1 << 62)) return iso ? vt_format_iso(buf, v) : vt_format(buf, v);
    i64 day = v / VOUT_US_DAY - (v % VOUT_US_DAY < 0);
    i64 us = v - day * VOUT_US_DAY;
    if (!o->ts_date_n || day != o->ts_day) {
        char tmp[64];
        int n = iso ? vt_format_iso(tmp, day * VOUT_US_DAY) : vt_format(tmp, day * VOUT_US_DAY);
        n -= iso ? 9 : 8; /* "00:00:00Z" or "00:00:00" */
        memcpy(o->ts_date, tmp, (size_t)n);
        o->ts_date_n = n;
        o->ts_day = day;
    }
    int len = o->ts_date_n;
    memcpy(buf, o->ts_date, (size_t)len);
    i64 secs = us / 1000000, frac = us % 1000000;
    int hms[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
    for (int i = 0; i < 3; i++) {
        if (i) buf[len++] = ':';
        buf[len++] = (char)('0' + hms[i] / 10);
        buf[len++] = (char)('0' + hms[i] % 10);
    }
    if (frac) {
        int nd = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            nd--;
        }
        buf[len++] = '.';
        for (int i = nd - 1; i >= 0; i--) {
            buf[len + i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        len += nd;
    }
    if (iso) buf[len++] = 'Z';
    buf[len] = 0;
    return len;
}

void vout_ts(velo_out *o, i64 v)
{
    VOUT_PB(o, vpb_enc_ts(vpb_out_enc(o->pb), o->col, v));
    char buf[64];
    vout_plain(o, buf, (size_t)vout_fmt_ts(o, buf, v), o->fmt == VOUT_JSONL);
}

void vout_end(velo_out *o)
{
    if (o->pb) { /* one message: varint-framed in a file, a record in Kafka */
        o->st->n += vpb_out_row(o->pb, o->kafka, &o->b) == 0;
        if (!o->kafka && o->b.n >= VOUT_FLUSH) vout_flush(o);
        return;
    }
    while (o->col < o->ncols) /* a short row is padded with NULLs */
        vout_null(o);
    if (o->fmt == VOUT_JSONL) vbuf_puts(&o->b, o->ncols ? "}\n" : "{}\n");
    else if (o->fmt == VOUT_CSV) vbuf_putc(&o->b, '\n');
    o->st->n++;
    if (o->kafka) {
        vkafka_out_row(o->kafka, o->b.p, o->b.n - 1); /* without the newline */
        o->b.n = 0;
    } else if (o->b.n >= VOUT_FLUSH || (o->tty && o->fmt != VOUT_TABLE)) vout_flush(o);
}

/* ---- table ------------------------------------------------------------------ */

static int vout_width(const char *p, i64 n)
{
    int w = 0;
    for (i64 i = 0; i < n; i++) w += ((u8)p[i] & 0xc0) != 0x80; /* code points, not bytes */
    return w;
}

static void vout_pad(velo_buf *b, int n)
{
    while (n-- > 0) vbuf_putc(b, ' ');
}

/* Ends a table line: no trailing blanks, then a newline. */
static void vout_eol(velo_buf *b)
{
    while (b->n && b->p[b->n - 1] == ' ') b->n--;
    vbuf_putc(b, '\n');
}

static int vout_numeric(u8 t)
{
    return t == VT_INT || t == VT_BIGINT || t == VT_DOUBLE || t == VT_DECIMAL || t == VT_INTERVAL;
}

static void vout_table(velo_out *o)
{
    int nc = o->ncols;
    i64 rows = nc ? o->ncells / nc : 0;
    int *w = calloc((size_t)nc + 1, sizeof *w);
    if (!w) vout_oom();
    for (int c = 0; c < nc; c++) w[c] = vout_width(o->names[c], (i64)strlen(o->names[c]));
    for (i64 i = 0; i < rows * nc; i++) {
        int cw = vout_width(o->cells.p + o->cell_off[i], o->cell_off[i + 1] - o->cell_off[i]);
        if (cw > w[i % nc]) w[i % nc] = cw;
    }
    for (int c = 0; c < nc; c++) { /* header names are centred */
        int nw = vout_width(o->names[c], (i64)strlen(o->names[c])), l = (w[c] - nw) / 2;
        vbuf_puts(&o->b, c ? "| " : " ");
        vout_pad(&o->b, l);
        vbuf_puts(&o->b, o->names[c]);
        vout_pad(&o->b, w[c] - nw - l + 1);
    }
    vout_eol(&o->b);
    for (int c = 0; c < nc; c++) {
        if (c) vbuf_putc(&o->b, '+');
        for (int k = 0; k < w[c] + 2; k++) vbuf_putc(&o->b, '-');
    }
    vout_eol(&o->b);
    for (i64 r = 0; r < rows; r++) {
        for (int c = 0; c < nc; c++) {
            i64 i = r * nc + c;
            const char *p = o->cells.p + o->cell_off[i];
            i64 n = o->cell_off[i + 1] - o->cell_off[i];
            int pad = w[c] - vout_width(p, n);
            vbuf_puts(&o->b, c ? "| " : " ");
            if (vout_numeric(o->types[c])) vout_pad(&o->b, pad);
            vbuf_put(&o->b, p, (size_t)n);
            vout_pad(&o->b, (vout_numeric(o->types[c]) ? 0 : pad) + 1);
        }
        vout_eol(&o->b);
        if (o->b.n >= VOUT_FLUSH) vout_flush(o);
    }
    char tail[48];
    vbuf_put(&o->b, tail, (size_t)snprintf(tail, sizeof tail, "(%lld row%s)\n", rows, rows == 1 ? "" : "s"));
    free(w);
}

/* ---- open and close ---------------------------------------------------------- */

static char *vout_strdup(const char *s)
{
    char *p = strdup(s);
    if (!p) vout_oom();
    return p;
}

static int vout_is_csv_path(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcasecmp(path + n - 4, ".csv");
}

/* mkdir -p of the directory part of path. */
static void vout_mkdirs(const char *path)
{
    char *d = vout_strdup(path);
    for (char *s = strchr(d + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(d, 0777);
        *s = '/';
    }
    free(d);
}

static int vout_open_file(velo_out *o, const char *name, const char *path)
{
    char msg[700];
    o->path = vout_strdup(path);
    size_t n = strlen(path) + 32;
    o->tmp_path = malloc(n);
    if (!o->tmp_path) vout_oom();
    snprintf(o->tmp_path, n, "%s.tmp-%ld", path, (long)getpid());
    vout_mkdirs(path);
    o->fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        snprintf(msg, sizeof msg, "sink '%s': cannot create '%.400s': %s", name, o->tmp_path, strerror(errno));
        velo_fatal(o->rt, msg);
        return -1;
    }
    return 0;
}

static void vout_free(velo_out *o)
{
    vpb_out_free(o->pb);
    for (int c = 0; c < o->ncols; c++) free(o->names[c]);
    free(o->names);
    free(o->types);
    free(o->key_off);
    free(o->cell_off);
    vbuf_free(&o->keys);
    vbuf_free(&o->cells);
    vbuf_free(&o->b);
    free(o->path);
    free(o->tmp_path);
    free(o);
}

static int vout_format(velo_out *o, const char *name, const char *fmt, int file)
{
    if (!strcmp(fmt, "jsonl")) o->fmt = VOUT_JSONL;
    else if (!strcmp(fmt, "csv")) o->fmt = VOUT_CSV;
    else if (!strcmp(fmt, "table") && !file) o->fmt = VOUT_TABLE;
    else {
        char msg[300];
        snprintf(msg, sizeof msg, "sink '%s': unknown format '%.100s' (expected %s)", name ? name : "stdout", fmt,
                 file ? "jsonl or csv" : "jsonl, csv or table");
        velo_config_error(o->rt, msg);
        return -1;
    }
    return 0;
}

/* Per-column JSON key prefixes and the CSV header. */
static void vout_prepare(velo_out *o)
{
    o->key_off = malloc(sizeof(size_t) * ((size_t)o->ncols + 1));
    if (!o->key_off) vout_oom();
    for (int c = 0; c < o->ncols; c++) {
        o->key_off[c] = o->keys.n;
        vbuf_putc(&o->keys, c ? ',' : '{');
        vjson_put_str(&o->keys, o->names[c], (i64)strlen(o->names[c]));
        vbuf_putc(&o->keys, ':');
        if (o->fmt == VOUT_CSV) {
            if (c) vbuf_putc(&o->b, ',');
            vout_csv_str(&o->b, o->names[c], strlen(o->names[c]));
        }
    }
    o->key_off[o->ncols] = o->keys.n;
    if (o->fmt == VOUT_CSV) vbuf_putc(&o->b, '\n');
}

velo_out *vout_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *names,
                    const u8 *types, const u8 *scales)
{
    (void)op_id;
    (void)scales; /* vout_dec carries the scale of each value */
    velo_out *o = calloc(1, sizeof *o);
    if (!o) vout_oom();
    o->rt = rt;
    o->fd = 1;
    o->ncols = ncols;
    o->names = malloc(sizeof(char *) * ((size_t)ncols + 1));
    o->types = malloc((size_t)ncols + 1);
    if (!o->names || !o->types) vout_oom();
    for (int c = 0; c < ncols; c++) {
        o->names[c] = vout_strdup(names[c]);
        o->types[c] = types ? types[c] : VT_STRING;
    }
    vbuf_grow(&o->b, 2 * VOUT_FLUSH);
    const char *type = name ? velo_rt_prop(rt, name, props, "type") : NULL;
    const char *path = name ? velo_rt_prop(rt, name, props, "path") : NULL;
    const char *fmt = name ? velo_rt_prop(rt, name, props, "format") : NULL;
    const char *ds = name ? velo_rt_prop(rt, name, props, "decimal.as.string") : NULL;
    o->dec_str = ds && !strcasecmp(ds, "true");
    int kafka = type && !strcmp(type, "kafka_sink");
    int file = name && !kafka && !(type && !strcmp(type, "stdout_sink"));
    if (file && !path) {
        char msg[300];
        snprintf(msg, sizeof msg, "sink '%s': property 'path' is required", name);
        velo_config_error(rt, msg);
        vout_free(o);
        return NULL;
    }
    if (!fmt) fmt = kafka ? "jsonl" : !file ? rt->priv->opts.format : vout_is_csv_path(path) ? "csv" : "jsonl";
    if (kafka && !strcmp(fmt, "json")) fmt = "jsonl";  /* one JSON object per message */
    if ((file || kafka) && !strcmp(fmt, "protobuf")) { /* values go to protobuf.c, not to text */
        if (!(o->pb = vpb_out_open(rt, op_id, name, props, ncols, names))) {
            vout_free(o);
            return NULL;
        }
        fmt = "jsonl";
    }
    if (vout_format(o, name, fmt, file || kafka) || (file && vout_open_file(o, name, path)) ||
        (kafka && !(o->kafka = vkafka_out_open(rt, name, props, ncols, names, o->fmt == VOUT_CSV)))) {
        vout_free(o);
        return NULL;
    }
    if (vretry_config(&o->retry, rt, name, props) || (name && velo_mem_config(rt, name, props))) {
        if (file) {
            close(o->fd);
            unlink(o->tmp_path);
        }
        vkafka_out_close(o->kafka);
        vout_free(o);
        return NULL;
    }
    o->tty = !file && !kafka && isatty(1);
    o->st = velo_stat_add(rt, name ? name : "stdout", file ? path : NULL, 1);
    vout_prepare(o);
    if (o->kafka) o->b.n = 0; /* no CSV header in a topic */
    o->next_open = rt->priv->outs;
    rt->priv->outs = o;
    return o;
}

const char *vout_sync(velo_out *o, i64 *size, i64 *ino)
{
    *size = *ino = -1;
    if (!o || !o->tmp_path || o->fd < 0) return NULL;
    vout_flush(o);
    struct stat st;
    if (o->werr || fstat(o->fd, &st) != 0) return NULL;
    *size = (i64)st.st_size;
    *ino = (i64)st.st_ino;
    o->ckpt = VOUT_CKPT_THIS;
    return o->tmp_path;
}

i64 vout_rows(velo_out *o)
{
    return o->st ? o->st->n : 0;
}

/* The checkpointed bytes to resume from: the old temporary file, or PATH
 * when that file has been renamed into place since (a run stopped by a
 * signal, or killed between the rename and its done marker). A rename
 * keeps the inode, so PATH counts only if it is that same file. */
static int vout_resume_open(velo_out *o, const char *old_tmp, i64 size, i64 ino)
{
    int in = open(old_tmp, O_RDONLY | O_CLOEXEC);
    if (in >= 0 || errno != ENOENT || ino < 0) return in;
    in = open(o->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (in >= 0 && (fstat(in, &st) != 0 || (i64)st.st_ino != ino || (i64)st.st_size < size)) {
        close(in);
        in = -1;
    }
    return in;
}

/* The new temporary file starts as the first `size` bytes of the old one
 * (which already holds the CSV header, if any): what this sink had written
 * at the checkpoint. */
int vout_resume(velo_out *o, const char *old_tmp, i64 size, i64 rows, i64 ino)
{
    if (!o || !o->tmp_path || o->fd < 0) return -1;
    int in = vout_resume_open(o, old_tmp, size, ino);
    if (in < 0) return -1;
    o->b.n = 0; /* drop the header vout_open queued: the old file has it */
    if (ftruncate(o->fd, 0) != 0 || lseek(o->fd, 0, SEEK_SET) != 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    i64 left = size;
    while (left > 0) {
        ssize_t r = read(in, buf, left < (i64)sizeof buf ? (size_t)left : sizeof buf);
        if (r <= 0 || write(o->fd, buf, (size_t)r) != r) {
            close(in);
            return -1;
        }
        left -= r;
    }
    close(in);
    if (o->st) o->st->n = rows;
    o->ckpt = VOUT_CKPT_OLD;
    return 0;
}

/* Temporary files of earlier runs of a checkpointed job that were killed
 * before their work reached a checkpoint: PATH.tmp-* other than ours and
 * `keep` (the one the current checkpoint still refers to). */
void vout_clean_stale(velo_out *o, const char *keep)
{
    if (o && o->path && o->tmp_path) vout_clean_path(o->path, o->tmp_path, keep);
}

/* Removes PATH.tmp-* except `mine` and `keep` (either may be NULL). */
void vout_clean_path(const char *path, const char *mine, const char *keep)
{
    size_t n = strlen(path) + 8;
    char *pat = malloc(n);
    if (!pat) return;
    snprintf(pat, n, "%s.tmp-*", path);
    glob_t gl;
    if (glob(pat, GLOB_NOSORT, NULL, &gl) == 0) {
        for (size_t i = 0; i < gl.gl_pathc; i++) {
            const char *f = gl.gl_pathv[i];
            if ((!mine || strcmp(f, mine) != 0) && (!keep || strcmp(f, keep) != 0)) unlink(f);
        }
        globfree(&gl);
    }
    free(pat);
}

/* Instead of the rename: the temporary file of a failed run is kept when
 * the last checkpoint names it (the restart resumes from it) and removed
 * otherwise; PATH stays as it was. */
static void vout_keep_or_drop(velo_out *o)
{
    if (o->fd >= 0) close(o->fd);
    o->fd = -1;
    if (o->ckpt != VOUT_CKPT_THIS) unlink(o->tmp_path);
    if (o->st) o->st->not_written = 1;
    if (o->rt->priv->opts.quiet) return;
    if (o->ckpt != VOUT_CKPT_NONE)
        fprintf(stderr, "velo: sink '%s': '%s' not replaced; the restart resumes from the checkpoint\n", o->st->name, o->path);
    else fprintf(stderr, "velo: sink '%s': '%s' not written (the job failed)\n", o->st->name, o->path);
}

int vout_close(velo_out *o)
{
    if (!o) return 0;
    for (velo_out **pp = &o->rt->priv->outs; *pp; pp = &(*pp)->next_open)
        if (*pp == o) {
            *pp = o->next_open;
            break;
        }
    if (o->fmt == VOUT_TABLE) vout_table(o);
    vout_flush(o);
    int rc = 0;
    if (o->kafka && vkafka_out_close(o->kafka) != 0) rc = 1;
    /* A failed run's output is not complete. A run stopped by a signal
     * renames what it wrote, unless its checkpoint still names an older
     * file (resumed, no checkpoint of its own yet): that file is kept. */
    if (o->path && (o->rt->priv->failed || (velo_stopped(o->rt) && o->ckpt == VOUT_CKPT_OLD))) {
        vout_keep_or_drop(o);
        if (o->rt->priv->failed) rc = 1;
    } else if (o->path) {
        if (!o->werr && fsync(o->fd) != 0) o->werr = errno;
        if (close(o->fd) != 0 && !o->werr) o->werr = errno;
        if (!o->werr && rename(o->tmp_path, o->path) != 0) o->werr = errno;
        if (o->werr) unlink(o->tmp_path);
    }
    if (o->werr) rc = 1;
    if (o->werr && !o->werr_reported) { /* write errors were reported by vout_flush */
        char msg[700];
        snprintf(msg, sizeof msg, "sink '%s': writing '%.400s': %s", o->st->name, o->path ? o->path : "stdout", strerror(o->werr));
        velo_fatal(o->rt, msg);
        rc = 1;
    }
    vout_free(o);
    return rc;
}

void vout_abort_all(velo_rt *rt)
{
    for (velo_out *o = rt->priv->outs; o; o = o->next_open)
        if (o->path && o->fd >= 0) vout_keep_or_drop(o);
}

int velo_flush_sinks(velo_rt *rt)
{
    int rc = 0;
    for (velo_out *o = rt->priv->outs; o; o = o->next_open) {
        if (o->fmt == VOUT_TABLE) /* printed whole at close */
            continue;
        vout_flush(o);
        if (o->werr || (o->kafka && vkafka_out_flush(o->kafka) != 0)) rc = -1;
    }
    return rc;
}
