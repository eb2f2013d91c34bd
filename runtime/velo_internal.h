/*
 * velo_internal.h -- what the runtime modules and the veloc CLI share beyond
 * the public velo.h: job options, the private part of the job context
 * (record context for dead letters, counters, signals) and a growable byte
 * buffer used by the formats.
 *
 * Unlike velo.h this header may include system headers: generated code never
 * sees it.
 */
#ifndef VELO_INTERNAL_H
#define VELO_INTERNAL_H

#include "velo.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- job options (command line of `veloc run` and of a built job) ------- */
typedef struct velo_opts {
    const char *format; /* "jsonl" (default), "csv", "table" */
    int quiet;
    int nsets;
    const char **set_keys; /* --set key=value, in command-line order */
    const char **set_vals;
    const char *job_name;
} velo_opts;

/* Parses the run options of a job (argv[0] is the program). Returns 0 ok,
 * 2 on a usage error (message printed on stderr), -1 when --help printed the
 * usage on stdout (the caller exits 0). Arrays in *o are malloc'ed: release
 * them with velo_opts_free(). */
int velo_parse_job_args(int argc, char **argv, velo_opts *o);
void velo_opts_free(velo_opts *o);

velo_rt *velo_rt_new(const velo_opts *o);
/* Flushes dead letters, prints the end-of-run summary on stderr unless quiet,
 * frees everything. Returns status, or 1 after a fatal error or a bad record
 * under 'error.policy' = 'fail'. */
int velo_rt_finish(velo_rt *rt, int status);
/* Value of key for the source/sink 'name': a --set "name.key=v" or "key=v"
 * override wins (the last one given), then props, else NULL. */
const char *velo_rt_prop(velo_rt *rt, const char *name, const char *const *props, const char *key);

/* ---- counters and record context ---------------------------------------- */
enum { VELO_POL_DEAD_LETTER, VELO_POL_SKIP, VELO_POL_FAIL };

typedef struct velo_dl velo_dl; /* a dead-letter file, shared by path */

/* One per source and per sink, in opening order, for the summary. */
typedef struct velo_stat {
    struct velo_stat *next;
    char *name;
    char *path; /* NULL for stdout */
    int is_sink;
    i64 n;                    /* records read / rows written */
    i64 bad;                  /* bad records of this source */
    int policy;               /* VELO_POL_* */
    velo_dl *dl;              /* NULL: dead letters go to stderr */
    i64 bytes, size;          /* progress of a file source; size 0 when unknown */
    struct vkafka_src *kafka; /* a Kafka source: record context (kafka.c) */
    const char *dl_topic;     /* its 'dead_letter.topic', or NULL */
    i64 retries;              /* sink: write attempts retried (retry.c) */
    int breaker_open;         /* sink: its circuit breaker opened */
    int not_written;          /* file sink: PATH left as it was (the run failed, or was stopped before its first own checkpoint) */
} velo_stat;

struct velo_rt_priv {
    velo_opts opts; /* deep copy */
    velo_stat *stats, **stats_tail;
    velo_dl *dls;
    i64 bad_other;    /* bad records with no current source */
    i64 late_dropped; /* late records, 'late.data.strategy' = 'drop' */
    /* checkpoints (checkpoint.c) */
    char *ckpt_dir; /* NULL: no checkpoints */
    i64 ckpt_interval_us, ckpt_last;
    char *ckpt_old_tmp; /* sink file of the checkpoint we resumed from */
    int replaying;      /* skipping input already covered by a checkpoint */
    i64 late_dead;      /* late records sent to the dead-letter sink */
    int failed;         /* fatal error or error.policy=fail: the job stops */
    int exit_code;      /* exit status after a failure: 1, or 2 for bad config */
    /* the record being processed, set by the source that produced it */
    velo_stat *cur;
    const char *rec_raw;
    i64 rec_raw_n;
    i64 rec_line;         /* 1-based line of the record's first byte; 0 none */
    struct vbatch *batch; /* or the batch's record i (vsrc_batch): rt_record_context */
    /* progress line on a terminal */
    int progress; /* 1: stderr is a tty and not quiet */
    int progress_shown;
    double t_start, t_last;
    struct vkafka_src *kafka_srcs;               /* committed and closed by vkafka_finish() */
    struct velo_out *outs;                       /* open sinks, for velo_flush_sinks() */
    struct vkafka_out *kafka_txn;                /* the 'exactly.once' Kafka sink: source offsets commit in its transactions */
    struct velo_ijstat *ijstats, **ijstats_tail; /* interval join state at the end, for the summary */
};

/* Set by SIGINT/SIGTERM (rt.c). */
extern volatile sig_atomic_t rt_signalled;
/* velo_stopped, inline for the per-record paths of the runtime. */
static inline int vrt_stopped(velo_rt *rt)
{
    return rt_signalled || rt->priv->failed;
}

/* An interval join input's state when its statement ended (ijoin.c). */
typedef struct velo_ijstat {
    struct velo_ijstat *next;
    int op_id;
    const char *name;
    i64 rows, peak, evicted;
} velo_ijstat;

/* Like velo_fatal, for a user error (bad property, missing file): exit 2. */
void velo_config_error(velo_rt *rt, const char *msg);

/* Registers a counter; path may be NULL. */
velo_stat *velo_stat_add(velo_rt *rt, const char *name, const char *path, int is_sink);
/* Sets up dead-letter routing and policy of a source from its properties.
 * Returns 0, or -1 after a fatal error (bad policy, unwritable file). */
int velo_stat_config(velo_rt *rt, velo_stat *st, const char *name, const char *const *props);
/* Called by sources every 65536 records; prints progress at most every 250 ms. */
void velo_progress(velo_rt *rt);
/* Erases the progress line (before other output reaches the terminal). */
void velo_progress_clear(velo_rt *rt);
double velo_now_sec(void);
/* Writes out everything every open sink buffers (a Kafka sink waits for its
 * delivery reports): called before source offsets are committed. 0 when all
 * of it is durable, -1 after a write or delivery failure. */
int velo_flush_sinks(velo_rt *rt);

/* ---- record sources: the state shared by source.c, csv.c and json.c ----- */
enum { VSRC_CSV, VSRC_JSONL, VSRC_JSON, VSRC_KAFKA, VSRC_PROTOBUF, VSRC_NEXMARK };

struct velo_src {
    velo_rt *rt;
    int op_id;
    int kind; /* VSRC_* */
    velo_stat *st;
    int ncols;
    const char **cols; /* declared names (copied pointers) */
    size_t *colen;
    u8 *needed; /* copy; all 1 when the caller passed NULL */
    /* input: buf[pos..end) is unread; line is the line number at pos */
    int fd;
    void *gz; /* gzFile when compressed */
    char *buf;
    size_t cap, pos, end;
    int eof;
    size_t map_len, map_drop; /* buf maps the file (cap bytes) in map_len; dropped below map_drop (source.c) */
    struct vsrc_ahead *ahead; /* the thread mapping a mapped file's pages ahead of the decoder (source.c) */
    i64 line;
    /* CSV */
    char delim;
    int has_headers;
    int header_done;
    int nexpect; /* fields per record */
    int nkeep;   /* fields the fast splitter records; those after are only counted */
    /* csv.c's record reader built for this CPU (its fast splitter inlined),
     * and the masks of the 64-byte block at buf + mblk, for a record
     * starting at mnext in mbuf */
    int (*csv_next)(struct velo_src *, vfield *);
    int (*csv_batch)(struct velo_src *, vbatch *); /* its batch splitter */
    vbatch vb;                                     /* vsrc_batch's records */
    int batching;                                  /* vb holds fast-split records: vcsv_late takes record vb.i */
    const char *mbuf;
    size_t mblk, mnext;
    u64 mq, mnl, md;
    int *colmap;                     /* column -> field index */
    int *needlist, nneed;            /* the needed columns vsrc_next hands out (csv.c) */
    u8 *late;                        /* needed[c] == 2 at vsrc_open: handed out by vsrc_late */
    int *latelist, nlate;            /* those columns (csv.c) */
    int nkeep_late;                  /* nkeep counting the late columns too */
    int nsplit, nrec;                /* fields split of the current record; its field count */
    const char *rec_start, *rec_end; /* the current record's text */
    int fcap;                        /* field span arrays */
    const char **fp;
    i64 *fn;
    u8 *fq;       /* 0 unquoted, 1 quoted, 2 quoted with "" inside */
    u8 stop[256]; /* bytes that end an unquoted field */
    /* JSON document */
    int doc_state;            /* 0 not started, 1 inside an array, 2 one object, 3 done */
    struct vkafka_src *kafka; /* VSRC_KAFKA: the consumer (kafka.c) */
    struct vpb_dec *pb;       /* format protobuf: the decoder (protobuf.c) */
    /* 'watching' = 'true': follow a growing file (source.c). At the end of
     * the data vsrc_fill() waits for more instead of reporting the end;
     * truncation or replacement of the file bumps wgen, empties the buffer
     * and restarts at line 1 (a CSV header is read again). */
    int watch;
    int wfd, wd_file, wd_dir; /* inotify descriptor (-1 without) and watches */
    char *wpath;
    unsigned long long wdev, wino;
    i64 woff; /* bytes read from the current file */
    int wgen;
    /* VSRC_NEXMARK ('type' = 'nexmark_source'): events nx_next.. of kind
     * nx_kind below nx_end are generated one at a time into buf (source.c) */
    struct vnx_gen *nx;
    int nx_kind;
    i64 nx_next, nx_end;
    int nowait; /* vsrc_poll: vsrc_fill returns 0 without eof instead of waiting */
};

/* Makes at least one more byte available in buf[pos..end) unless at end of
 * input: compacts, grows, reads. Returns bytes added, 0 at end, -1 after a
 * fatal read error. Under s->nowait a watched file with nothing new gives 0
 * without s->eof: decoders then return "no record" at their record start. */
long vsrc_fill(velo_src *s);
/* Sets the record context used by velo_bad_record (inline: once per record). */
static inline void vsrc_set_record(velo_src *s, const char *raw, i64 n, i64 line)
{
    struct velo_rt_priv *p = s->rt->priv;
    p->cur = s->st;
    p->batch = NULL;
    p->rec_raw = raw;
    p->rec_raw_n = n;
    p->rec_line = line;
}

/* The query leaves batch b at its record i (a stop, a LIMIT): the records
 * after it were not read, so st does not count them, and b is empty. */
static inline void vbatch_leave(vbatch *b, velo_stat *st)
{
    if (b->i >= b->n) return;
    if (st) st->n -= b->n - b->i - 1;
    b->n = 0;
}

int vcsv_open(velo_src *s, const char *name, const char *const *props);
int vcsv_next(velo_src *s, vfield *f);
void vcsv_late(velo_src *s, vfield *f);
void vcsv_close(velo_src *s);
int vjson_next(velo_src *s, vfield *f);
int vjson_doc_next(velo_src *s, vfield *f);

/* ---- eight bytes at a time (SWAR) ------------------------------------------
 * vswar_zero(x) has the high bit set in the lowest byte of x that is zero
 * (bytes above it may be flagged falsely: use only the lowest, or "any");
 * vswar_has(w, c) flags bytes of w equal to c. */
#define VSWAR_ONES 0x0101010101010101ull
#define VSWAR_HIGH 0x8080808080808080ull
static inline u64 vswar_zero(u64 x)
{
    return (x - VSWAR_ONES) & ~x & VSWAR_HIGH;
}
static inline u64 vswar_has(u64 w, u8 c)
{
    return vswar_zero(w ^ (VSWAR_ONES * c));
}

/* ---- growable byte buffer ----------------------------------------------- */
typedef struct velo_buf {
    char *p;
    size_t n, cap;
} velo_buf;

void vbuf_grow(velo_buf *b, size_t need); /* aborts cleanly on OOM */
static inline void vbuf_put(velo_buf *b, const void *p, size_t n)
{
    if (b->cap - b->n < n) vbuf_grow(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
}
static inline void vbuf_putc(velo_buf *b, char c)
{
    if (b->n == b->cap) vbuf_grow(b, 1);
    b->p[b->n++] = c;
}
static inline void vbuf_puts(velo_buf *b, const char *s)
{
    vbuf_put(b, s, strlen(s));
}
void vbuf_free(velo_buf *b);

/* JSON string literal (with the quotes) of p[0..n); bytes that are not valid
 * UTF-8 become \u00XX so the output stays valid JSON. */
void vjson_put_str(velo_buf *b, const char *p, i64 n);

/* Shortest text of d that reads back as the same double; buf >= 32. */
int vout_fmt_f64(char *buf, double d);

/* ---- retries and circuit breaker of sinks (retry.c) --------------------- */
enum { VRETRY_TRANSIENT, VRETRY_DATA, VRETRY_FATAL };

typedef struct vretry {
    int max_attempts;       /* 'retry.max.attempts', default 5 */
    i64 initial_us, max_us; /* 'retry.initial.delay' 100ms, 'retry.max.delay' 10s */
    int consecutive;        /* failed attempts in a row */
    int open;               /* circuit breaker open: no more attempts */
    int last_err;           /* errno of the last failure */
    i64 retries;            /* attempts retried after a backoff */
    u64 rng;
} vretry;

int vretry_classify(int err); /* VRETRY_* of an errno */
void vretry_init(vretry *r);  /* defaults */
/* Defaults, then the retry.* properties of sink 'name' (NULL: stdout, defaults
 * only). -1 after a config error (bad value). */
int vretry_config(vretry *r, velo_rt *rt, const char *name, const char *const *props);
/* An attempt failed with errno err: 1 when the caller should try again (the
 * backoff has been slept), 0 when it must give up (fatal error, or the
 * breaker is open). */
int vretry_failed(vretry *r, int err);
void vretry_ok(vretry *r);                    /* an attempt made progress: closes the count */
i64 vretry_delay_us(vretry *r, int failures); /* backoff with jitter */

/* ---- state memory accounting (arena.c, agg.c) ---------------------------- */
/* Bytes held by operator state (arena chunks other than rt->tmp, vagg_*
 * buffers); checked against 'max.memory.mb' on every new chunk. */
void velo_mem_account(i64 delta, int owner);
i64 velo_mem_peak(void);
void velo_mem_set_limit(i64 bytes); /* 0: none */
i64 velo_mem_limit(void);
/* The limit is crossed: reports "state exceeds max.memory.mb=N (operator
 * [id])", removes the temporary files of open sinks, exits 1 (rt.c). */
_Noreturn void velo_mem_exceeded(int owner);

/* Allocation-failure injection of test builds (arena.c): nonzero when this
 * allocation must fail (env VELO_FAIL_ALLOC=N: the Nth one). */
#ifdef VELO_ALLOC_TEST
int velo_test_alloc_fails(void);
#define VELO_TEST_ALLOC_FAILS() velo_test_alloc_fails()
#else
#define VELO_TEST_ALLOC_FAILS() 0
#endif

/* Reads 'max.memory.mb' of 'name' (NULL: job-level --set); the smallest
 * limit given wins. -1 after a config error. */
int velo_mem_config(velo_rt *rt, const char *name, const char *const *props);
/* Open file sinks remove their temporary files (a job that must exit now). */
void vout_abort_all(velo_rt *rt);

/* sink.c, for checkpoints: flush and report the temporary file and its
 * size; put back the first `size` bytes of an earlier temporary file. */
const char *vout_sync(velo_out *o, i64 *size, i64 *ino); /* the temporary file, its size and inode */
i64 vout_rows(velo_out *o);
int vout_resume(velo_out *o, const char *old_tmp, i64 size, i64 rows, i64 ino);
void vout_clean_stale(velo_out *o, const char *keep);
void vout_clean_path(const char *path, const char *mine, const char *keep);
/* rt.c: size of a source's dead-letter file (-1 without one), cutting it
 * back to a checkpointed size, and writing every dead-letter file out
 * before a checkpoint (a join's build side reports into its own). */
i64 velo_dl_tell(velo_stat *st);
int velo_dl_truncate(velo_stat *st, i64 size);
int velo_dl_sync_all(velo_rt *rt);

/* ---- interval join state (ijoin.c) --------------------------------------- */
/* Appends ", interval join [id] left state: N rows at the end (peak P), E
 * evicted" per input of every interval join that ran. */
void vij_summary(velo_rt *rt, velo_buf *b, int *parts);

#endif
