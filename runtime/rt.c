/*
 * rt.c -- the job context: run options, per-record failure, dead letters,
 * stop requests (signals, fatal errors), progress and the end-of-run summary.
 *
 * Generated code sees only velo_rt's public fields; everything that tracks the
 * run lives in struct velo_rt_priv (velo_internal.h). Sources set the record
 * context (which source, file, line, raw text) before handing a record out, so
 * velo_bad_record() can say exactly where a bad record came from wherever in
 * the pipeline it failed.
 */
#include "kafka.h"
#include "velo_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* A dead-letter file; sources naming the same path share one handle. */
struct velo_dl {
    velo_dl *next;
    char *path;
    FILE *f;
    i64 n;
};

/* Set from signal handlers, so a plain flag rather than a field of rt;
 * read by vrt_stopped (velo_internal.h) once per record. */
volatile sig_atomic_t rt_signalled;

/* The job being run, for velo_mem_exceeded (called from deep in an arena). */
static velo_rt *rt_current;
static i64 rt_mem_mb; /* the smallest 'max.memory.mb' given, 0 none */

static void rt_on_signal(int sig)
{
    rt_signalled = 1;
    signal(sig, SIG_DFL); /* a second Ctrl-C kills a stuck job */
}

/* A file source mapped by vsrc_map faults when the file is truncated under
 * it: end the job with a message instead of a crash. Its file sinks keep
 * their temporary names, so no partial output takes the final one. */
static void rt_on_sigbus(int sig)
{
    (void)sig;
    static const char msg[] = "velo: an input file was truncated while being read; stopping\n";
    if (write(2, msg, sizeof msg - 1) < 0) {}
    _exit(1);
}

static char *rt_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    return memcpy(p, s, n);
}

static const char *rt_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

double velo_now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void vbuf_grow(velo_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n < need) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

void vbuf_free(velo_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- options -------------------------------------------------------------- */

static void rt_usage(FILE *f, const char *prog)
{
    fprintf(f,
            "usage: %s [--format jsonl|csv|table] [--set key=value ...] [--quiet]\n"
            "  --format F     output format of rows written to stdout (default jsonl)\n"
            "  --set K=V      override a source/sink property: 'name.key=v' or 'key=v'\n"
            "  --quiet, -q    no progress and no summary on stderr\n",
            prog);
}

static int rt_add_set(velo_opts *o, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        fprintf(stderr, "velo: --set expects key=value, got '%s'\n", kv);
        return 2;
    }
    const char **k = realloc(o->set_keys, (size_t)(o->nsets + 1) * sizeof *k);
    if (k) o->set_keys = k;
    const char **v = realloc(o->set_vals, (size_t)(o->nsets + 1) * sizeof *v);
    if (v) o->set_vals = v;
    if (!k || !v) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    size_t kn = (size_t)(eq - kv);
    char *key = malloc(kn + 1);
    if (!key) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    memcpy(key, kv, kn);
    key[kn] = 0;
    o->set_keys[o->nsets] = key;
    o->set_vals[o->nsets] = eq + 1;
    o->nsets++;
    return 0;
}

static int rt_set_format(velo_opts *o, const char *f)
{
    if (strcmp(f, "jsonl") && strcmp(f, "csv") && strcmp(f, "table")) {
        fprintf(stderr, "velo: unknown --format '%s' (expected jsonl, csv or table)\n", f);
        return 2;
    }
    o->format = f;
    return 0;
}

int velo_parse_job_args(int argc, char **argv, velo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "jsonl";
    o->job_name = argc > 0 ? rt_basename(argv[0]) : "velo";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (!strcmp(a, "--format") || !strcmp(a, "--set")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "velo: %s needs a value\n", a);
                rc = 2;
            } else if (a[2] == 'f') {
                rc = rt_set_format(o, argv[++i]);
            } else {
                rc = rt_add_set(o, argv[++i]);
            }
        } else if (!strncmp(a, "--format=", 9)) {
            rc = rt_set_format(o, a + 9);
        } else if (!strncmp(a, "--set=", 6)) {
            rc = rt_add_set(o, a + 6);
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            rt_usage(stdout, o->job_name);
            velo_opts_free(o);
            return -1;
        } else {
            fprintf(stderr, "velo: unknown option '%s'\n", a);
            rc = 2;
        }
        if (rc) {
            rt_usage(stderr, o->job_name);
            velo_opts_free(o);
            return rc;
        }
    }
    return 0;
}

void velo_opts_free(velo_opts *o)
{
    for (int i = 0; i < o->nsets; i++) free((char *)o->set_keys[i]);
    free(o->set_keys);
    free(o->set_vals);
    o->set_keys = o->set_vals = NULL;
    o->nsets = 0;
}

/* ---- job context ------------------------------------------------------------ */

velo_rt *velo_rt_new(const velo_opts *o)
{
    velo_rt *rt = calloc(1, sizeof *rt);
    struct velo_rt_priv *p = calloc(1, sizeof *p);
    if (!rt || !p) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    rt->priv = p;
    p->stats_tail = &p->stats;
    p->ijstats_tail = &p->ijstats;
    /* Deep copy: the caller may free its options right after. */
    p->opts.format = rt_strdup(o && o->format ? o->format : "jsonl");
    p->opts.job_name = rt_strdup(o && o->job_name ? o->job_name : "velo");
    p->opts.quiet = o ? o->quiet : 0;
    if (o && o->nsets) {
        p->opts.set_keys = malloc((size_t)o->nsets * sizeof(char *));
        p->opts.set_vals = malloc((size_t)o->nsets * sizeof(char *));
        if (!p->opts.set_keys || !p->opts.set_vals) {
            fputs("velo: out of memory\n", stderr);
            exit(1);
        }
        for (int i = 0; i < o->nsets; i++) {
            p->opts.set_keys[i] = rt_strdup(o->set_keys[i]);
            p->opts.set_vals[i] = rt_strdup(o->set_vals[i]);
        }
        p->opts.nsets = o->nsets;
    }
    p->progress = !p->opts.quiet && isatty(2);
    p->t_start = p->t_last = velo_now_sec();
    rt->tmp.owner = -1; /* per-record scratch is not state */
    /* 64k slots (32k keys, 0.5 MB of slots): smaller tables stay in cache */
    const char *pf = getenv("VELO_PREFETCH_MIN");
    rt->prefetch_min = pf && *pf ? strtoll(pf, NULL, 10) : 65536;
    rt_current = rt;
    rt_mem_mb = 0;
    velo_mem_set_limit(0);
    velo_mem_config(rt, NULL, NULL);
    rt_signalled = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rt_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = rt_on_sigbus;
    sigaction(SIGBUS, &sa, NULL);
    return rt;
}

const char *velo_rt_prop(velo_rt *rt, const char *name, const char *const *props, const char *key)
{
    const velo_opts *o = &rt->priv->opts;
    size_t nl = name ? strlen(name) : 0;
    /* The last matching --set wins; a name-qualified one beats a bare one. */
    for (int i = o->nsets - 1; i >= 0; i--) {
        const char *k = o->set_keys[i];
        if (nl && !strncasecmp(k, name, nl) && k[nl] == '.' && !strcmp(k + nl + 1, key)) return o->set_vals[i];
    }
    for (int i = o->nsets - 1; i >= 0; i--)
        if (!strcmp(o->set_keys[i], key)) return o->set_vals[i];
    for (int i = 0; props && props[i] && props[i + 1]; i += 2)
        if (!strcmp(props[i], key)) return props[i + 1];
    return NULL;
}

velo_stat *velo_stat_add(velo_rt *rt, const char *name, const char *path, int is_sink)
{
    velo_stat *st = calloc(1, sizeof *st);
    if (!st) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    st->name = rt_strdup(name ? name : "stdout");
    st->path = path ? rt_strdup(path) : NULL;
    st->is_sink = is_sink;
    *rt->priv->stats_tail = st;
    rt->priv->stats_tail = &st->next;
    return st;
}

static velo_dl *rt_dl_open(velo_rt *rt, const char *path)
{
    struct velo_rt_priv *p = rt->priv;
    for (velo_dl *d = p->dls; d; d = d->next)
        if (!strcmp(d->path, path)) return d;
    FILE *f = fopen(path, "a");
    if (!f) return NULL;
    velo_dl *d = calloc(1, sizeof *d);
    if (!d) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    d->path = rt_strdup(path);
    d->f = f;
    d->next = p->dls;
    p->dls = d;
    return d;
}

int velo_stat_config(velo_rt *rt, velo_stat *st, const char *name, const char *const *props)
{
    char msg[600];
    const char *pol = velo_rt_prop(rt, name, props, "error.policy");
    if (!pol || !strcmp(pol, "dead_letter")) st->policy = VELO_POL_DEAD_LETTER;
    else if (!strcmp(pol, "skip")) st->policy = VELO_POL_SKIP;
    else if (!strcmp(pol, "fail")) st->policy = VELO_POL_FAIL;
    else {
        snprintf(msg, sizeof msg, "source '%s': invalid error.policy '%.200s' (expected dead_letter, skip or fail)", name, pol);
        velo_config_error(rt, msg);
        return -1;
    }
    if (velo_mem_config(rt, name, props)) return -1;
    const char *dl = velo_rt_prop(rt, name, props, "dead_letter.path");
    if (dl && st->policy == VELO_POL_DEAD_LETTER) {
        st->dl = rt_dl_open(rt, dl);
        if (!st->dl) {
            snprintf(msg, sizeof msg, "cannot open dead_letter.path '%.300s': %s", dl, strerror(errno));
            velo_fatal(rt, msg);
            return -1;
        }
    }
    return 0;
}

/* ---- state memory limit ------------------------------------------------------- */

int velo_mem_config(velo_rt *rt, const char *name, const char *const *props)
{
    const char *v = velo_rt_prop(rt, name, props, "max.memory.mb");
    if (!v || (name && v == velo_rt_prop(rt, NULL, NULL, "max.memory.mb"))) return 0; /* a job-level --set was read by velo_rt_new */
    char *e;
    long long mb = strtoll(v, &e, 10);
    if (e == v || *e || mb < 1 || mb > (1LL << 30)) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s%s%sinvalid max.memory.mb '%.100s' (expected a positive integer, MB)", name ? "'" : "",
                 name ? name : "", name ? "': " : "", v);
        velo_config_error(rt, msg);
        return -1;
    }
    if (!rt_mem_mb || mb < rt_mem_mb) {
        rt_mem_mb = mb;
        velo_mem_set_limit(mb << 20);
    }
    return 0;
}

_Noreturn void velo_mem_exceeded(int owner)
{
    velo_rt *rt = rt_current;
    char msg[200];
    velo_mem_set_limit(0); /* no second report while finishing */
    if (owner > 0) snprintf(msg, sizeof msg, "state exceeds max.memory.mb=%lld (operator %d)", rt_mem_mb, owner - 1);
    else snprintf(msg, sizeof msg, "state exceeds max.memory.mb=%lld (operator unknown)", rt_mem_mb);
    if (!rt) {
        fprintf(stderr, "velo: error: %s\n", msg);
        exit(1);
    }
    velo_fatal(rt, msg);
    vout_abort_all(rt);
    velo_rt_finish(rt, 1);
    exit(1);
}

/* ---- failures ----------------------------------------------------------------- */

void velo_progress_clear(velo_rt *rt)
{
    if (rt->priv->progress_shown) {
        fputs("\r\033[K", stderr);
        rt->priv->progress_shown = 0;
    }
}

i64 velo_fail(velo_rt *rt, const char *msg)
{
    /* The first failure of a record explains it best; later ones follow from it. */
    if (!rt->err) {
        size_t n = strlen(msg);
        char *m = va_alloc(&rt->tmp, (vsize)n + 1);
        memcpy(m, msg, n + 1);
        rt->errmsg = m;
    }
    rt->err = 1;
    return 0;
}

int velo_stopped(velo_rt *rt)
{
    return vrt_stopped(rt);
}

/* The job stops: the query's loop over a batch ends at the record it is
 * processing (vsrc_batch), and the records after it were not read. */
static void rt_stop_batch(struct velo_rt_priv *p)
{
    p->failed = 1;
    if (p->batch) vbatch_leave(p->batch, p->cur);
}

void velo_fatal(velo_rt *rt, const char *fmt_msg)
{
    velo_progress_clear(rt);
    fprintf(stderr, "velo: error: %s\n", fmt_msg);
    rt_stop_batch(rt->priv);
}

/* The record context of a record of vsrc_batch, which sets only p->batch
 * and leaves the query to say which of its records is being processed. */
static void rt_record_context(struct velo_rt_priv *p)
{
    vbatch *b = p->batch;
    if (!b || b->i >= b->n) return;
    p->rec_raw = b->raw[b->i];
    p->rec_raw_n = b->rawn[b->i];
    p->rec_line = b->line0 + b->i;
}

void velo_config_error(velo_rt *rt, const char *msg)
{
    velo_fatal(rt, msg);
    rt->priv->exit_code = 2;
}

static void rt_put_json_i64(velo_buf *b, i64 v)
{
    char tmp[32];
    vbuf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld", v));
}

/* One dead-letter line: {"source":..,"file":..,"line":..,"operator":..,"error":..,"raw":..} */
static void rt_dead_letter_line(velo_rt *rt, velo_buf *b, int op_id, const char *msg)
{
    struct velo_rt_priv *p = rt->priv;
    velo_stat *st = p->cur;
    vbuf_puts(b, "{\"source\":");
    if (st) vjson_put_str(b, st->name, (i64)strlen(st->name));
    else vbuf_puts(b, "null");
    vbuf_puts(b, ",\"file\":");
    if (st && st->path) vjson_put_str(b, st->path, (i64)strlen(st->path));
    else vbuf_puts(b, "null");
    vbuf_puts(b, ",\"line\":");
    if (p->rec_line > 0) rt_put_json_i64(b, p->rec_line);
    else vbuf_puts(b, "null");
    if (st && st->kafka) /* topic, partition and offset of a Kafka record */
        vkafka_put_context(b, st);
    vbuf_puts(b, ",\"operator\":");
    rt_put_json_i64(b, op_id);
    vbuf_puts(b, ",\"error\":");
    vjson_put_str(b, msg, (i64)strlen(msg));
    vbuf_puts(b, ",\"raw\":");
    if (p->rec_raw) vjson_put_str(b, p->rec_raw, p->rec_raw_n);
    else vbuf_puts(b, "null");
    vbuf_puts(b, "}\n");
}

static void rt_fail_policy(velo_rt *rt, const char *msg)
{
    struct velo_rt_priv *p = rt->priv;
    velo_stat *st = p->cur;
    velo_progress_clear(rt);
    fprintf(stderr, "velo: error: bad record");
    if (st) {
        fprintf(stderr, " in %s", st->name);
        if (st->path) fprintf(stderr, " (%s:%lld)", st->path, p->rec_line);
        if (st->kafka) {
            velo_buf b = {0};
            vkafka_put_context(&b, st);
            fprintf(stderr, " (%.*s)", (int)b.n, b.p ? b.p + 1 : "");
            vbuf_free(&b);
        }
    }
    fprintf(stderr, ": %s\n", msg);
    if (p->rec_raw) {
        int n = p->rec_raw_n > 500 ? 500 : (int)p->rec_raw_n;
        fprintf(stderr, "  record: %.*s%s\n", n, p->rec_raw, p->rec_raw_n > n ? "..." : "");
    }
    fputs("  stopping: error.policy is 'fail'\n", stderr);
    rt_stop_batch(p);
}

i64 velo_dl_tell(velo_stat *st)
{
    if (!st || !st->dl || fflush(st->dl->f) != 0) return -1;
    return (i64)ftell(st->dl->f);
}

int velo_dl_sync_all(velo_rt *rt)
{
    int rc = 0;
    for (velo_dl *d = rt->priv->dls; d; d = d->next)
        if (fflush(d->f) != 0 || fsync(fileno(d->f)) != 0) rc = -1;
    return rc;
}

int velo_dl_truncate(velo_stat *st, i64 size)
{
    if (!st || !st->dl || fflush(st->dl->f) != 0 || ftruncate(fileno(st->dl->f), (off_t)size) != 0) return -1;
    return fseek(st->dl->f, (long)size, SEEK_SET);
}

void velo_bad_record(velo_rt *rt, int op_id, const char *msg)
{
    struct velo_rt_priv *p = rt->priv;
    if (p->replaying) { /* counted and reported before the checkpoint */
        rt->err = 0;
        rt->errmsg = NULL;
        return;
    }
    rt_record_context(p);
    velo_stat *st = p->cur;
    if (!msg) msg = rt->errmsg ? rt->errmsg : "bad record";
    if (st) st->bad++;
    else p->bad_other++;
    int policy = st ? st->policy : VELO_POL_DEAD_LETTER;
    if (policy == VELO_POL_FAIL) {
        rt_fail_policy(rt, msg);
    } else if (policy == VELO_POL_DEAD_LETTER && st && st->dl_topic && vkafka_dead_letter(st, op_id, msg) == 0) {
        /* sent to the source's dead_letter.topic */
    } else if (policy == VELO_POL_DEAD_LETTER) {
        velo_buf b = {0};
        if (!(st && st->dl)) vbuf_puts(&b, "dead-letter: ");
        rt_dead_letter_line(rt, &b, op_id, msg);
        if (st && st->dl) {
            fwrite(b.p, 1, b.n, st->dl->f);
            st->dl->n++;
        } else {
            velo_progress_clear(rt);
            fwrite(b.p, 1, b.n, stderr);
        }
        vbuf_free(&b);
    }
    rt->err = 0;
    rt->errmsg = NULL;
}

/* ---- progress and summary ----------------------------------------------------- */

void velo_late_record(velo_rt *rt, int op_id, int dead_letter, i64 ts, i64 wm)
{
    struct velo_rt_priv *p = rt->priv;
    if (!dead_letter) {
        p->late_dropped++;
        return;
    }
    p->late_dead++;
    char t1[48], t2[48], msg[160];
    vt_format(t1, ts);
    vt_format(t2, wm);
    snprintf(msg, sizeof msg, "late record: event time %s is behind the watermark %s", t1, t2);
    rt_record_context(p);
    velo_stat *st = p->cur;
    if (st && st->dl_topic && vkafka_dead_letter(st, op_id, msg) == 0) return;
    velo_buf b = {0};
    if (!(st && st->dl)) vbuf_puts(&b, "dead-letter: ");
    rt_dead_letter_line(rt, &b, op_id, msg);
    if (st && st->dl) {
        fwrite(b.p, 1, b.n, st->dl->f);
        st->dl->n++;
    } else {
        velo_progress_clear(rt);
        fwrite(b.p, 1, b.n, stderr);
    }
    vbuf_free(&b);
}

void velo_progress(velo_rt *rt)
{
    struct velo_rt_priv *p = rt->priv;
    if (!p->progress) return;
    double now = velo_now_sec();
    if (now - p->t_last < 0.25) return;
    p->t_last = now;
    i64 n = 0, bytes = 0, size = 0;
    for (velo_stat *st = p->stats; st; st = st->next)
        if (!st->is_sink) {
            n += st->n;
            bytes += st->bytes;
            size += st->size;
        }
    double el = now - p->t_start;
    fprintf(stderr, "\r\033[Kvelo: %lld records, %.0f records/s, %.1f MB", n, el > 0 ? (double)n / el : 0.0, (double)bytes / 1e6);
    if (size > 0) fprintf(stderr, ", %d%%", (int)(100.0 * (double)bytes / (double)size));
    p->progress_shown = 1;
}

static void rt_count(velo_buf *b, i64 n, const char *what)
{
    char tmp[64];
    vbuf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld %s%s", n, what, n == 1 ? "" : "s"));
}

static void rt_summary(velo_rt *rt)
{
    struct velo_rt_priv *p = rt->priv;
    velo_buf b = {0};
    int parts = 0, first;
    vbuf_puts(&b, "velo: ");
    for (int sink = 0; sink <= 1; sink++) {
        first = 1;
        for (velo_stat *st = p->stats; st; st = st->next) {
            if (st->is_sink != sink) continue;
            if (first) vbuf_puts(&b, parts ? (sink ? ", wrote " : ", read ") : (sink ? "wrote " : "read "));
            else vbuf_puts(&b, ", ");
            first = 0;
            parts++;
            rt_count(&b, st->n, sink ? "row" : "record");
            vbuf_puts(&b, sink ? " to " : " from ");
            vbuf_puts(&b, st->name);
            if (st->path) {
                vbuf_puts(&b, " (");
                vbuf_puts(&b, rt_basename(st->path));
                vbuf_puts(&b, st->not_written ? " left as it was)" : ")");
            }
        }
    }
    i64 to_stderr = p->bad_other, skipped = 0, failed = 0;
    for (velo_stat *st = p->stats; st; st = st->next) {
        if (st->policy == VELO_POL_SKIP) skipped += st->bad;
        else if (st->policy == VELO_POL_FAIL) failed += st->bad;
        else if (!st->dl && !st->dl_topic) to_stderr += st->bad;
    }
    if (to_stderr) {
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, to_stderr, "bad record");
        vbuf_puts(&b, " \xe2\x86\x92 stderr (dead-letter)");
    }
    for (velo_stat *st = p->stats; st; st = st->next) {
        if (!st->dl_topic || !st->bad || st->policy != VELO_POL_DEAD_LETTER) continue;
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, st->bad, "bad record");
        vbuf_puts(&b, " \xe2\x86\x92 topic ");
        vbuf_puts(&b, st->dl_topic);
        vbuf_puts(&b, " (dead-letter)");
    }
    for (velo_dl *d = p->dls; d; d = d->next) {
        if (!d->n) continue;
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, d->n, "bad record");
        vbuf_puts(&b, " \xe2\x86\x92 ");
        vbuf_puts(&b, d->path);
        vbuf_puts(&b, " (dead-letter)");
    }
    if (p->late_dropped) {
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, p->late_dropped, "late record");
        vbuf_puts(&b, " dropped");
    }
    if (p->late_dead) {
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, p->late_dead, "late record");
        vbuf_puts(&b, " \xe2\x86\x92 dead-letter");
    }
    if (skipped) {
        vbuf_puts(&b, parts++ ? ", " : "");
        rt_count(&b, skipped, "bad record");
        vbuf_puts(&b, " skipped");
    }
    if (failed) {
        vbuf_puts(&b, parts++ ? ", " : "");
        vbuf_puts(&b, "stopped at a bad record (error.policy=fail)");
    }
    for (velo_stat *st = p->stats; st; st = st->next) {
        if (st->retries) {
            vbuf_puts(&b, parts++ ? ", " : "");
            char tmp[64];
            vbuf_put(&b, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld write retr%s", st->retries, st->retries == 1 ? "y" : "ies"));
            vbuf_puts(&b, " on ");
            vbuf_puts(&b, st->name);
        }
        if (st->breaker_open) {
            vbuf_puts(&b, parts++ ? ", " : "");
            vbuf_puts(&b, "circuit breaker open on ");
            vbuf_puts(&b, st->name);
        }
    }
    if (rt_mem_mb || velo_mem_peak() >= (1 << 20)) {
        char tmp[96];
        vbuf_puts(&b, parts++ ? ", " : "");
        vbuf_put(&b, tmp, (size_t)snprintf(tmp, sizeof tmp, "peak state %.1f MB", (double)velo_mem_peak() / (1 << 20)));
        if (rt_mem_mb) vbuf_put(&b, tmp, (size_t)snprintf(tmp, sizeof tmp, " (max.memory.mb=%lld)", rt_mem_mb));
    }
    vij_summary(rt, &b, &parts);
    if (rt_signalled) {
        vbuf_puts(&b, parts++ ? ", " : "");
        vbuf_puts(&b, "interrupted");
    }
    if (parts) {
        vbuf_putc(&b, '\n');
        fwrite(b.p, 1, b.n, stderr);
    }
    vbuf_free(&b);
}

int velo_rt_finish(velo_rt *rt, int status)
{
    struct velo_rt_priv *p = rt->priv;
    for (velo_dl *d = p->dls; d; d = d->next) {
        if (fclose(d->f) != 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "writing dead letters to '%.300s': %s", d->path, strerror(errno));
            velo_fatal(rt, msg);
        }
    }
    vkafka_finish(rt); /* commits offsets: every sink and dead-letter file is closed */
    velo_progress_clear(rt);
    if (!p->opts.quiet && p->exit_code != 2) /* after a config error, counts are noise */
        rt_summary(rt);
    int rc = p->failed ? (p->exit_code ? p->exit_code : 1) : status;
    for (velo_dl *d = p->dls, *next; d; d = next) {
        next = d->next;
        free(d->path);
        free(d);
    }
    free(p->ckpt_dir);
    free(p->ckpt_old_tmp);
    for (velo_stat *st = p->stats, *next; st; st = next) {
        next = st->next;
        free(st->name);
        free(st->path);
        free(st);
    }
    for (int i = 0; i < p->opts.nsets; i++) {
        free((char *)p->opts.set_keys[i]);
        free((char *)p->opts.set_vals[i]);
    }
    free(p->opts.set_keys);
    free(p->opts.set_vals);
    free((char *)p->opts.format);
    free((char *)p->opts.job_name);
    free(p);
    va_free(&rt->tmp);
    va_free(&rt->perm);
    free(rt);
    if (rt_current == rt) rt_current = NULL;
    velo_mem_set_limit(0);
    rt_mem_mb = 0;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return rc;
}
