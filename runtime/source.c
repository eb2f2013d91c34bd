/*
 * source.c -- file record sources: opening (plain or gzip), the block reader
 * the formats share, and dispatch of vsrc_next() to the CSV or JSON decoder.
 *
 * The reader keeps one growable buffer. A decoder parses a record in place;
 * when the record runs past the end of the buffer it asks for more with
 * vsrc_fill() and parses the record again from its start. The buffer doubles
 * whenever a single record fills it, so a huge record is re-scanned only a
 * logarithmic number of times and records have no size limit.
 *
 * A watched file ('watching' = 'true') is an unbounded stream: where a plain
 * file ends, vsrc_fill() waits (inotify, with a short poll as a fallback) for
 * the file to grow, to be truncated (read again from the start) or to be
 * replaced by a new file at the same path (rotation: the rest of the old file
 * is read first, then the new one from its start). Only SIGINT/SIGTERM or a
 * fatal error end it. vsrc_poll() reads such a file without waiting, for
 * a loop that takes turns between two unbounded sources (interval joins).
 *
 * A NEXMark source ('type' = 'nexmark_source') runs the generator of
 * nexmark.c in the job: each vsrc_next() writes the next event of its kind
 * into the buffer as the CSV record the generated files hold and hands out
 * the fields where the generator wrote them, so the rows are those of the
 * files with neither a file nor a record splitter in between.
 */
#include "kafka.h"
#include "nexmark.h"
#include "protobuf.h"
#include "velo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define VSRC_BLOCK    (1u << 20)  /* read(2) size and initial buffer size */
#define VSRC_MAP_MIN  (8u << 20)  /* smaller files are read: mapping costs more than it saves */
#define VSRC_MAP_DROP (16u << 20) /* a mapped file's pages behind the decoder are dropped this often */
#define VSRC_AHEAD    (16u << 20) /* how far past the decoder vsrc_ahead maps a file's pages */

static int vsrc_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Default format from the file name when 'format' is not given. */
static const char *vsrc_guess_format(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    if (vsrc_ends_with(tmp, ".gz")) tmp[strlen(tmp) - 3] = 0;
    if (vsrc_ends_with(tmp, ".jsonl") || vsrc_ends_with(tmp, ".ndjson")) return "jsonl";
    if (vsrc_ends_with(tmp, ".json")) return "json";
    return "csv";
}

static void vsrc_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

static long vsrc_read(velo_src *s, char *dst, size_t n)
{
    if (n > VSRC_BLOCK) n = VSRC_BLOCK;
    for (;;) {
        long r = s->gz ? (long)gzread((gzFile)s->gz, dst, (unsigned)n) : (long)read(s->fd, dst, n);
        if (r >= 0) return r;
        if (!s->gz && errno == EINTR) {
            if (velo_stopped(s->rt)) return 0; /* interrupted by SIGINT/SIGTERM: end quietly */
            continue;
        }
        char msg[512];
        int zerr = 0;
        const char *why = s->gz ? gzerror((gzFile)s->gz, &zerr) : strerror(errno);
        snprintf(msg, sizeof msg, "source '%s': reading '%s': %s", s->st->name, s->st->path, why);
        velo_fatal(s->rt, msg);
        return -1;
    }
}

/* Starts over on a new or truncated file: a partial record left from the
 * old contents is dropped, lines count from 1, a CSV header is read again. */
static void vsrc_watch_restart(velo_src *s, const char *why)
{
    if (!s->rt->priv->opts.quiet) fprintf(stderr, "velo: source '%s': '%s' %s; reading it from the start\n", s->st->name, s->wpath, why);
    s->pos = s->end = 0;
    s->buf[0] = 0;
    s->line = 1;
    s->header_done = 0;
    s->woff = 0;
    s->wgen++;
}

static void vsrc_watch_add(velo_src *s)
{
    if (s->wfd < 0) return;
    if (s->wd_file >= 0) inotify_rm_watch(s->wfd, s->wd_file);
    s->wd_file = inotify_add_watch(s->wfd, s->wpath, IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF);
}

static void vsrc_watch_init(velo_src *s, const char *path)
{
    struct stat sb;
    s->wpath = strdup(path);
    if (!s->wpath) vsrc_oom();
    if (fstat(s->fd, &sb) == 0) {
        s->wdev = (unsigned long long)sb.st_dev;
        s->wino = (unsigned long long)sb.st_ino;
    }
    s->st->size = 0; /* no percentage for a file that grows */
    s->wfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    s->wd_file = s->wd_dir = -1;
    if (s->wfd < 0) return; /* fall back to polling */
    vsrc_watch_add(s);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) snprintf(dir, sizeof dir, ".");
    else if (slash == dir) dir[1] = 0;
    else *slash = 0;
    s->wd_dir = inotify_add_watch(s->wfd, dir, IN_CREATE | IN_MOVED_TO);
}

/* One look at a watched file at the end of its data, without waiting:
 * 1 when reading should be tried again (it grew, was truncated or was
 * replaced by a new file), 0 when nothing changed. */
static int vsrc_watch_check(velo_src *s)
{
    struct stat fs, ps;
    if (fstat(s->fd, &fs) == 0) {
        if ((i64)fs.st_size > s->woff) return 1; /* grew (or an event was missed) */
        if ((i64)fs.st_size < s->woff) {
            lseek(s->fd, 0, SEEK_SET);
            vsrc_watch_restart(s, "was truncated");
            return 1;
        }
    }
    if (stat(s->wpath, &ps) == 0 && ((unsigned long long)ps.st_ino != s->wino || (unsigned long long)ps.st_dev != s->wdev)) {
        int nfd = open(s->wpath, O_RDONLY | O_CLOEXEC);
        if (nfd >= 0) { /* the old file is read to its end: switch */
            close(s->fd);
            s->fd = nfd;
            s->wdev = (unsigned long long)ps.st_dev;
            s->wino = (unsigned long long)ps.st_ino;
            vsrc_watch_add(s);
            vsrc_watch_restart(s, "was replaced");
            return 1;
        }
    }
    return 0;
}

/* Sleeps until the watched file may have changed, at most ms; inotify
 * events are drained, vsrc_watch_check decides what happened. */
static void vsrc_watch_sleep(velo_src *s, int ms)
{
    struct pollfd pf = {s->wfd, POLLIN, 0};
    int n = s->wfd >= 0 ? poll(&pf, 1, ms) : poll(NULL, 0, ms < 100 ? ms : 100);
    if (n > 0) {
        char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        while (read(s->wfd, ev, sizeof ev) > 0) {}
    }
}

/* At the end of a watched file's data: returns 1 when reading should be
 * tried again, 0 when the job is stopping. */
static int vsrc_watch_wait(velo_src *s)
{
    velo_flush_sinks(s->rt); /* rows so far reach their readers while the job idles */
    for (;;) {
        if (velo_stopped(s->rt)) return 0;
        if (vsrc_watch_check(s)) return 1;
        vsrc_watch_sleep(s, 200);
    }
}

/* Moves the unread bytes to the start of the buffer; doubles the buffer
 * when fewer than `room` bytes are free after them. 1 if it grew. */
static int vsrc_compact(velo_src *s, size_t room)
{
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->end >= room) return 0;
    char *nb = realloc(s->buf, s->cap * 2 + 1);
    if (!nb) vsrc_oom();
    s->buf = nb;
    s->cap *= 2;
    return 1;
}

/* The next event number of the source's kind after n. */
static i64 vsrc_nx_after(const velo_src *s, i64 n)
{
    do n++;
    while (vnx_kind(n) != s->nx_kind);
    return n;
}

/* NEXMark: generates the next event as a CSV record in buf and hands out
 * its fields as they were written, without splitting the record. An empty
 * field is NULL, as in the generated CSV files. */
static int vsrc_nexmark_next(velo_src *s, vfield *f)
{
    if (s->nx_next >= s->nx_end) return 0;
    size_t len = vnx_write(s->nx, s->nx_next, s->buf);
    s->nx_next = vsrc_nx_after(s, s->nx_next);
    s->st->n++;
    s->st->bytes += (i64)len;
    vsrc_set_record(s, s->buf, (i64)len - 1, s->st->n);
    const char *const *fend = s->nx->fend;
    for (int i = 0; i < s->ncols; i++) {
        if (!s->needed[i]) continue;
        int k = s->colmap[i];
        const char *p = k ? fend[k - 1] + 1 : s->buf;
        f[i].p = p;
        f[i].n = fend[k] - p;
        f[i].kind = f[i].n ? VF_TEXT : VF_NULL;
    }
    return 1;
}

/*
 * A second thread maps a mapped file's pages into the page table
 * (MADV_POPULATE_READ) up to VSRC_AHEAD bytes past the decoder, which then
 * finds them mapped: the kernel's part of a scan of a cached file (walking
 * the page cache and filling page tables, 18 to 30 % of the TPC-H-shaped
 * queries that read lineitem) moves to the other core. It also drops the
 * pages behind the decoder, as vsrc_fill_mapped does without it, below the
 * pos the decoder had at its last fill (nothing below that is read again;
 * were it, the page would fault in again from the file). The decoder maps
 * a block itself when the thread has not got there (a busy machine, Linux
 * before 5.14 where the call fails and the thread only drops). The thread
 * maps only past the decoder's end, so never again what it dropped; it
 * runs until vsrc_free and blocks every signal (SIGPROF of EXPLAIN
 * ANALYZE, SIGTERM are the job thread's). VELO_MAP_AHEAD=0 turns it off.
 */
typedef struct vsrc_ahead {
    pthread_t th;
    char *buf;
    size_t len;
    _Atomic size_t end;  /* the decoder's: vsrc_fill_mapped's last end */
    _Atomic size_t pos;  /* and its pos then: nothing below it is read again */
    _Atomic size_t done; /* mapped from end up to here */
    _Atomic int stop;
} vsrc_ahead;

/* Drops a mapped file's pages from *dropped up to the page of pos, once
 * that is VSRC_MAP_DROP bytes or more (the page cache keeps them): by
 * vsrc_fill_mapped, or by the thread, where unmapping them is off the job's
 * thread (4 % of q22's). */
static void vsrc_drop_below(char *buf, size_t pos, size_t *dropped)
{
    if (pos - *dropped < VSRC_MAP_DROP) return;
    size_t to = pos & ~((size_t)sysconf(_SC_PAGESIZE) - 1);
    madvise(buf + *dropped, to - *dropped, MADV_DONTNEED);
    *dropped = to;
}

static void *vsrc_ahead_run(void *arg)
{
    vsrc_ahead *a = arg;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE), done = 0, dropped = 0;
    int populate = 1;
    while (!atomic_load(&a->stop)) {
        vsrc_drop_below(a->buf, atomic_load(&a->pos), &dropped);
        size_t end = atomic_load(&a->end);
        if (done < end) done = end & ~(pg - 1);
        if (!populate || done >= a->len || done >= end + VSRC_AHEAD) {
            /* the decoder takes ~0.1 ms a MB; once all is mapped, only drops are left */
            struct timespec nap = {0, populate && done < a->len ? 200 * 1000 : 1000 * 1000};
            nanosleep(&nap, NULL);
            continue;
        }
        size_t to = done + VSRC_BLOCK < a->len ? done + VSRC_BLOCK : a->len;
#ifdef MADV_POPULATE_READ
        populate = madvise(a->buf + done, to - done, MADV_POPULATE_READ) == 0;
#else
        populate = 0;
#endif
        if (!populate) continue;
        done = to;
        atomic_store(&a->done, done);
    }
    return NULL;
}

static void vsrc_ahead_start(velo_src *s)
{
    const char *env = getenv("VELO_MAP_AHEAD");
    if ((env && strcmp(env, "0") == 0) || s->cap <= VSRC_AHEAD / 4) return;
    vsrc_ahead *a = calloc(1, sizeof *a);
    if (!a) return;
    a->buf = s->buf;
    a->len = s->cap;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int err = pthread_create(&a->th, NULL, vsrc_ahead_run, a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err) {
        free(a);
        return;
    }
    s->ahead = a;
}

static void vsrc_ahead_stop(velo_src *s)
{
    if (!s->ahead) return;
    atomic_store(&s->ahead->stop, 1);
    pthread_join(s->ahead->th, NULL);
    free(s->ahead);
    s->ahead = NULL;
}

/*
 * A plain CSV file of VSRC_MAP_MIN bytes or more is mapped rather than read:
 * with records split 64 bytes at a time, read(2)'s copy out of the page
 * cache had become the largest cost of a scan (a third of q15's time).
 * vsrc_fill then moves `end` over the mapping a block at a time, so the
 * decoder, checkpoints and the progress line see what they saw with reads,
 * and unmaps what the decoder has passed, so the file's pages do not count
 * as the job's memory. The byte after the file is 0, the terminator
 * vsrc_fill writes otherwise: the rest of the file's last page, or the
 * anonymous page reserved after it. Only CSV, whose records and fields end
 * inside the data, never at the end of a block before the end of input.
 * A file truncated while mapped ends the job (rt.c's SIGBUS handler).
 */
static void vsrc_map(velo_src *s)
{
    struct stat sb;
    if (s->gz || s->watch || s->kind != VSRC_CSV || fstat(s->fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size < (off_t)VSRC_MAP_MIN) return;
    size_t n = (size_t)sb.st_size, pg = (size_t)sysconf(_SC_PAGESIZE), len = (n / pg + 1) * pg;
    char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return;
    if (mmap(m, n, PROT_READ, MAP_PRIVATE | MAP_FIXED, s->fd, 0) == MAP_FAILED) {
        munmap(m, len);
        return;
    }
    madvise(m, n, MADV_SEQUENTIAL);
    free(s->buf);
    s->buf = m;
    s->cap = n;
    s->map_len = len;
    s->map_drop = 0;
    vsrc_ahead_start(s);
}

/* vsrc_fill over a mapped file: a block more, or as much again as the
 * record being split when that is longer; pages before pos are dropped
 * every VSRC_MAP_DROP bytes (the page cache keeps them). */
static long vsrc_fill_mapped(velo_src *s)
{
    size_t step = s->end - s->pos > VSRC_BLOCK ? s->end - s->pos : VSRC_BLOCK;
    size_t end = s->cap - s->end > step ? s->end + step : s->cap;
    long added = (long)(end - s->end);
    if (!added) s->eof = 1;
    if (s->ahead) atomic_store(&s->ahead->pos, s->pos);
    else vsrc_drop_below(s->buf, s->pos, &s->map_drop);
#ifdef MADV_POPULATE_READ
    /* Map the block's pages in one call rather than a fault every 16 pages
     * as the splitter reaches them: COUNT(*) of lineitem 0.25 -> 0.235 s.
     * Before Linux 5.14 the call fails, and the faults do it as before. */
    if (s->ahead) atomic_store(&s->ahead->end, end);
    if (added && (!s->ahead || atomic_load(&s->ahead->done) < end)) {
        size_t pg = (size_t)sysconf(_SC_PAGESIZE), from = s->end & ~(pg - 1);
        madvise(s->buf + from, end - from, MADV_POPULATE_READ);
    }
#endif
    s->end = end;
    s->woff += added;
    s->st->bytes += added;
    return added;
}

long vsrc_fill(velo_src *s)
{
    if (s->eof) return 0;
    if (s->map_len) return vsrc_fill_mapped(s);
    int grown = vsrc_compact(s, 1);
    long added = 0;
    while (s->end < s->cap) {
        long r = vsrc_read(s, s->buf + s->end, s->cap - s->end);
        if (r < 0) {
            s->eof = 1;
            return -1;
        }
        if (r == 0) {
            if (s->watch) {
                if (added > 0) break;
                if (s->nowait) { /* vsrc_poll: report "nothing yet" instead of waiting */
                    if (vsrc_watch_check(s)) continue;
                    break;
                }
                if (vsrc_watch_wait(s)) continue;
            }
            s->eof = 1;
            break;
        }
        s->woff += r;
        s->end += (size_t)r;
        added += r;
        /* A buffer just grown for one big record is filled completely, so
         * that record is re-parsed only O(log size) times. */
        if (!grown) break;
    }
    s->buf[s->end] = 0; /* a terminator makes number parsing safe */
    s->st->bytes = s->gz ? (i64)gzoffset((gzFile)s->gz) : s->st->bytes + added;
    return added;
}

static void vsrc_free(velo_src *s)
{
    if (s->gz) gzclose((gzFile)s->gz);
    else if (s->fd >= 0) close(s->fd);
    if (s->watch && s->wfd >= 0) close(s->wfd);
    free(s->wpath);
    vcsv_close(s);
    vpb_src_close(s); /* protobuf decoder, if any */
    free(s->nx);
    vsrc_ahead_stop(s);
    if (s->map_len) munmap(s->buf, s->map_len);
    else free(s->buf);
    free(s->cols);
    free(s->colen);
    free(s->needed);
    free(s->late);
    free(s->vb.f);
    free(s->vb.raw);
    free(s->vb.rawn);
    free(s);
}

static int vsrc_open_file(velo_src *s, const char *name, const char *path, const char *comp)
{
    char msg[600];
    int gz;
    if (!comp) gz = vsrc_ends_with(path, ".gz");
    else if (!strcmp(comp, "gzip")) gz = 1;
    else if (!strcmp(comp, "none")) gz = 0;
    else {
        snprintf(msg, sizeof msg, "source '%s': invalid compression '%.100s' (expected gzip or none)", name, comp);
        velo_config_error(s->rt, msg);
        return -1;
    }
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        snprintf(msg, sizeof msg, "source '%s': cannot open '%.400s': %s", name, path, strerror(errno));
        velo_config_error(s->rt, msg);
        return -1;
    }
    struct stat sb;
    if (fstat(s->fd, &sb) == 0 && S_ISREG(sb.st_mode)) s->st->size = (i64)sb.st_size;
    if (gz) {
        s->gz = gzdopen(s->fd, "rb");
        if (!s->gz) vsrc_oom();
        gzbuffer((gzFile)s->gz, VSRC_BLOCK);
    }
    return 0;
}

/* A non-negative integer property (1e7 allowed); dflt when absent. */
static int vsrc_count_prop(velo_src *s, const char *name, const char *const *props, const char *key, i64 lo, i64 dflt, i64 *out)
{
    const char *v = velo_rt_prop(s->rt, name, props, key);
    *out = dflt;
    if (!v) return 0;
    char *e;
    double d = strtod(v, &e);
    if (e == v || *e || d < (double)lo || d > 9e18 || d != (double)(i64)d) {
        char msg[300];
        snprintf(msg, sizeof msg, "source '%s': '%s' must be an integer >= %lld, got '%.50s'", name, key, (long long)lo, v);
        velo_config_error(s->rt, msg);
        return -1;
    }
    *out = (i64)d;
    return 0;
}

/* 'type' = 'nexmark_source': the generator replaces the file; declared
 * columns are generator columns by name (checked by the compiler). */
static int vsrc_open_nexmark(velo_src *s, const char *name, const char *const *props)
{
    const char *table = velo_rt_prop(s->rt, name, props, "nexmark.table");
    const char *extra = velo_rt_prop(s->rt, name, props, "nexmark.extra");
    char msg[300];
    i64 events, rate, base;
    s->nx_kind = -1;
    for (int k = 0; k < VNX_NKINDS; k++)
        if (table && !strcasecmp(table, vnx_kind_name(k))) s->nx_kind = k;
    if (s->nx_kind < 0) {
        snprintf(msg, sizeof msg, "source '%s': nexmark_source needs 'nexmark.table' = person, auction or bid", name);
        velo_config_error(s->rt, msg);
        return -1;
    }
    if (vsrc_count_prop(s, name, props, "nexmark.events", 0, INT64_MAX, &events) ||
        vsrc_count_prop(s, name, props, "nexmark.rate", 1, 10000, &rate) ||
        vsrc_count_prop(s, name, props, "nexmark.base.ms", 0, VNX_BASE_MS, &base))
        return -1;
    s->colmap = malloc(sizeof(int) * (size_t)(s->ncols + 1));
    if (!s->colmap) vsrc_oom();
    const char *header = vnx_csv_header(s->nx_kind);
    for (int i = 0; i < s->ncols; i++) {
        s->colmap[i] = -1;
        for (int k = 0, at = 0; header[at] && s->colmap[i] < 0; k++) {
            size_t n = strcspn(header + at, ",\n");
            if (n == s->colen[i] && !strncasecmp(header + at, s->cols[i], n)) s->colmap[i] = k;
            at += (int)n + 1;
        }
        if (s->colmap[i] < 0 && s->needed[i]) {
            snprintf(msg, sizeof msg, "source '%s': NEXMark table '%s' has no column '%.100s'", name, vnx_kind_name(s->nx_kind),
                     s->cols[i]);
            velo_config_error(s->rt, msg);
            return -1;
        }
    }
    s->nx = malloc(sizeof *s->nx);
    if (!s->nx) vsrc_oom();
    vnx_init(s->nx, VNX_FIELDS, rate, base, !(extra && !strcasecmp(extra, "false")), 0);
    s->kind = VSRC_NEXMARK;
    s->nx_end = events;
    s->nx_next = vsrc_nx_after(s, -1);
    return 0;
}

velo_src *vsrc_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *cols,
                    const u8 *needed)
{
    char msg[600];
    const char *type = velo_rt_prop(rt, name, props, "type");
    if (type && !strcmp(type, "kafka_source")) return vkafka_src_open(rt, op_id, name, props, ncols, cols, needed);
    int nexmark = type && !strcmp(type, "nexmark_source");
    const char *path = nexmark ? "nexmark" : velo_rt_prop(rt, name, props, "path");
    if (!path) {
        snprintf(msg, sizeof msg, "source '%s': property 'path' is required", name);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *fmt = nexmark ? "csv" : velo_rt_prop(rt, name, props, "format");
    if (!fmt) fmt = vsrc_guess_format(path);
    velo_src *s = calloc(1, sizeof *s);
    if (!s) vsrc_oom();
    s->rt = rt;
    s->op_id = op_id;
    s->fd = -1;
    s->line = 1;
    s->ncols = ncols;
    s->cols = malloc(sizeof(char *) * (size_t)(ncols + 1));
    s->colen = malloc(sizeof(size_t) * (size_t)(ncols + 1));
    s->needed = malloc((size_t)ncols + 1);
    s->late = malloc((size_t)ncols + 1);
    s->cap = VSRC_BLOCK;
    s->buf = malloc(s->cap + 1);
    if (!s->cols || !s->colen || !s->needed || !s->late || !s->buf) vsrc_oom();
    for (int i = 0; i < ncols; i++) {
        s->cols[i] = cols[i];
        s->colen[i] = strlen(cols[i]);
        s->needed[i] = needed ? needed[i] != 0 : 1;
        s->late[i] = needed && needed[i] == 2;
    }
    s->st = velo_stat_add(rt, name, path, 0);
    if (!strcmp(fmt, "csv")) s->kind = VSRC_CSV;
    else if (!strcmp(fmt, "jsonl")) s->kind = VSRC_JSONL;
    else if (!strcmp(fmt, "json")) s->kind = VSRC_JSON;
    else if (!strcmp(fmt, "protobuf")) /* length-delimited messages (protobuf.c) */ s->kind = VSRC_PROTOBUF;
    else {
        snprintf(msg, sizeof msg, "source '%s': unknown format '%.100s' (expected csv, jsonl, json or protobuf)", name, fmt);
        velo_config_error(rt, msg);
        vsrc_free(s);
        return NULL;
    }
    if (velo_stat_config(rt, s->st, name, props) ||
        (nexmark ? vsrc_open_nexmark(s, name, props) : vsrc_open_file(s, name, path, velo_rt_prop(rt, name, props, "compression"))) ||
        (s->kind == VSRC_CSV && vcsv_open(s, name, props)) || (s->kind == VSRC_PROTOBUF && vpb_src_open(s, name, props, 1))) {
        vsrc_free(s);
        return NULL;
    }
    if (nexmark) return s;
    const char *watching = velo_rt_prop(rt, name, props, "watching");
    if (watching && !strcasecmp(watching, "true")) {
        const char *why = s->gz ? "a compressed file" : s->kind == VSRC_JSON ? "format 'json' (a whole document; use 'jsonl')" : NULL;
        if (why) {
            snprintf(msg, sizeof msg, "source '%s': 'watching' = 'true' cannot follow %s", name, why);
            velo_config_error(rt, msg);
            vsrc_free(s);
            return NULL;
        }
        s->watch = 1;
        vsrc_watch_init(s, path);
    }
    vsrc_map(s);
    return s;
}

/* vsrc_next for every record that needs more than the common case below:
 * scratch memory to free, a stop, the progress line, a source not CSV. */
static __attribute__((noinline)) int vsrc_next_slow(velo_src *s, vfield *f)
{
    velo_rt *rt = s->rt;
    if (rt->tmp.used) va_reset(&rt->tmp);
    rt->err = 0;
    rt->errmsg = NULL;
    if (vrt_stopped(rt)) return 0;
    if ((s->st->n & 0xffff) == 0xffff) velo_progress(rt);
    switch (s->kind) {
    case VSRC_CSV: return s->csv_next(s, f);
    case VSRC_JSONL: return vjson_next(s, f);
    case VSRC_KAFKA: return vkafka_src_next(s, f);
    case VSRC_PROTOBUF: return vpb_src_next(s, f);
    case VSRC_NEXMARK: return vsrc_nexmark_next(s, f);
    default: return vjson_doc_next(s, f);
    }
}

/* The common case has no frame of its own and jumps to the CSV reader
 * (vcsv_next without its call): 12 instructions a record less. */
int vsrc_next(velo_src *s, vfield *f)
{
    velo_rt *rt = s->rt;
    if (__builtin_expect(s->kind != VSRC_CSV || rt->tmp.used || vrt_stopped(rt) || (s->st->n & 0xffff) == 0xffff, 0))
        return vsrc_next_slow(s, f);
    rt->err = 0;
    rt->errmsg = NULL;
    return s->csv_next(s, f);
}

/* The batch's arrays, at the first call: slots for every column, as the
 * query indexes a record's fields by column. */
static void vsrc_batch_alloc(velo_src *s)
{
    vbatch *b = &s->vb;
    b->f = calloc((size_t)VBATCH_MAX * (size_t)(s->ncols + 1), sizeof *b->f);
    b->raw = calloc(VBATCH_MAX, sizeof *b->raw);
    b->rawn = calloc(VBATCH_MAX, sizeof *b->rawn);
    if (!b->f || !b->raw || !b->rawn) vsrc_oom();
}

int vsrc_batch(velo_src *s, vbatch **out)
{
    velo_rt *rt = s->rt;
    struct velo_rt_priv *p = rt->priv;
    vbatch *b = &s->vb;
    *out = b;
    if (!b->f) vsrc_batch_alloc(s);
    if (s->batching) {
        s->batching = 0;
        p->batch = NULL;
    }
    b->n = b->i = 0;
    if (s->kind == VSRC_CSV && s->csv_batch && s->header_done && !s->watch && !vrt_stopped(rt)) {
        if (rt->tmp.used) va_reset(&rt->tmp);
        i64 line = s->line;
        int n = s->csv_batch(s, b);
        if (n > 0) {
            i64 before = s->st->n;
            s->st->n += n;
            s->line += n;
            if ((before ^ s->st->n) >> 16) velo_progress(rt);
            b->n = n;
            b->line0 = line;
            s->batching = 1;
            p->cur = s->st;
            p->batch = b;
            return n;
        }
    }
    b->n = vsrc_next(s, b->f);
    return b->n;
}

void vsrc_late(velo_src *s, vfield *f)
{
    if (s->kind == VSRC_CSV) vcsv_late(s, f);
}

int vsrc_poll(velo_src *s, vfield *f, int wait_ms)
{
    if (s->kind == VSRC_KAFKA) return vkafka_src_poll(s, f, wait_ms);
    if (!s->watch) return vsrc_next(s, f);
    for (;;) {
        /* the decoders treat a fill that adds nothing before the end of
         * input as "no whole record yet" and leave their position alone */
        s->nowait = 1;
        int r = vsrc_next(s, f);
        s->nowait = 0;
        if (r || s->eof || velo_stopped(s->rt)) return r;
        if (wait_ms <= 0) return -1;
        velo_flush_sinks(s->rt); /* rows so far reach their readers while the job idles */
        vsrc_watch_sleep(s, wait_ms);
        wait_ms = 0;
    }
}

int vsrc_partitions(velo_src *s, u8 *assigned, int cap)
{
    if (!s || s->kind != VSRC_KAFKA) {
        memset(assigned, 0, (size_t)cap);
        return 0;
    }
    return vkafka_assigned(s->kafka, assigned, cap);
}

void vsrc_close(velo_src *s)
{
    if (!s) return;
    struct velo_rt_priv *p = s->rt->priv;
    if (p->cur == s->st) {
        p->cur = NULL;
        p->rec_raw = NULL;
        p->rec_line = 0;
    }
    if (p->batch == &s->vb) p->batch = NULL;
    if (s->batching) vbatch_leave(&s->vb, s->st); /* a LIMIT left it at record i */
    if (s->kind == VSRC_KAFKA) vkafka_src_close(s);
    vsrc_free(s);
}
