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
 * fatal error end it.
 */
#include "kafka.h"
#include "protobuf.h"
#include "velo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define VSRC_BLOCK (1u << 20) /* read(2) size and initial buffer size */

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

/* At the end of a watched file's data: returns 1 when reading should be
 * tried again, 0 when the job is stopping. */
static int vsrc_watch_wait(velo_src *s)
{
    velo_flush_sinks(s->rt); /* rows so far reach their readers while the job idles */
    for (;;) {
        if (velo_stopped(s->rt)) return 0;
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
        struct pollfd pf = {s->wfd, POLLIN, 0};
        int n = s->wfd >= 0 ? poll(&pf, 1, 200) : poll(NULL, 0, 100);
        if (n > 0) { /* drain: the checks above decide what happened */
            char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
            while (read(s->wfd, ev, sizeof ev) > 0) {}
        }
    }
}

long vsrc_fill(velo_src *s)
{
    if (s->eof) return 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    int grown = 0;
    if (s->end == s->cap) {
        char *nb = realloc(s->buf, s->cap * 2 + 1);
        if (!nb) vsrc_oom();
        s->buf = nb;
        s->cap *= 2;
        grown = 1;
    }
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

void vsrc_set_record(velo_src *s, const char *raw, i64 n, i64 line)
{
    struct velo_rt_priv *p = s->rt->priv;
    p->cur = s->st;
    p->rec_raw = raw;
    p->rec_raw_n = n;
    p->rec_line = line;
}

static void vsrc_free(velo_src *s)
{
    if (s->gz) gzclose((gzFile)s->gz);
    else if (s->fd >= 0) close(s->fd);
    if (s->watch && s->wfd >= 0) close(s->wfd);
    free(s->wpath);
    vcsv_close(s);
    vpb_src_close(s); /* protobuf decoder, if any */
    free(s->buf);
    free(s->cols);
    free(s->colen);
    free(s->needed);
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

velo_src *vsrc_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *cols,
                    const u8 *needed)
{
    char msg[600];
    const char *type = velo_rt_prop(rt, name, props, "type");
    if (type && !strcmp(type, "kafka_source")) return vkafka_src_open(rt, op_id, name, props, ncols, cols, needed);
    const char *path = velo_rt_prop(rt, name, props, "path");
    if (!path) {
        snprintf(msg, sizeof msg, "source '%s': property 'path' is required", name);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *fmt = velo_rt_prop(rt, name, props, "format");
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
    s->cap = VSRC_BLOCK;
    s->buf = malloc(s->cap + 1);
    if (!s->cols || !s->colen || !s->needed || !s->buf) vsrc_oom();
    for (int i = 0; i < ncols; i++) {
        s->cols[i] = cols[i];
        s->colen[i] = strlen(cols[i]);
        s->needed[i] = needed ? needed[i] != 0 : 1;
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
    if (velo_stat_config(rt, s->st, name, props) || vsrc_open_file(s, name, path, velo_rt_prop(rt, name, props, "compression")) ||
        (s->kind == VSRC_CSV && vcsv_open(s, name, props)) || (s->kind == VSRC_PROTOBUF && vpb_src_open(s, name, props, 1))) {
        vsrc_free(s);
        return NULL;
    }
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
    return s;
}

int vsrc_next(velo_src *s, vfield *f)
{
    velo_rt *rt = s->rt;
    if (rt->tmp.used) /* most records allocate nothing */
        va_reset(&rt->tmp);
    rt->err = 0;
    rt->errmsg = NULL;
    if (velo_stopped(rt)) return 0;
    if ((s->st->n & 0xffff) == 0xffff) velo_progress(rt);
    switch (s->kind) {
    case VSRC_CSV: return vcsv_next(s, f);
    case VSRC_JSONL: return vjson_next(s, f);
    case VSRC_KAFKA: return vkafka_src_next(s, f);
    case VSRC_PROTOBUF: return vpb_src_next(s, f);
    default: return vjson_doc_next(s, f);
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
    if (s->kind == VSRC_KAFKA) vkafka_src_close(s);
    vsrc_free(s);
}
