/*
 * source.c -- file record sources: opening (plain or gzip), the block reader
 * the formats share, and dispatch of vsrc_next() to the CSV or JSON decoder.
 *
 * The reader keeps one growable buffer. A decoder parses a record in place;
 * when the record runs past the end of the buffer it asks for more with
 * vsrc_fill() and parses the record again from its start. The buffer doubles
 * whenever a single record fills it, so a huge record is re-scanned only a
 * logarithmic number of times and records have no size limit.
 */
#include "kafka.h"
#include "velo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
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
    if (vsrc_ends_with(tmp, ".gz"))
        tmp[strlen(tmp) - 3] = 0;
    if (vsrc_ends_with(tmp, ".jsonl") || vsrc_ends_with(tmp, ".ndjson"))
        return "jsonl";
    if (vsrc_ends_with(tmp, ".json"))
        return "json";
    return "csv";
}

static void vsrc_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

static long vsrc_read(velo_src *s, char *dst, size_t n)
{
    if (n > VSRC_BLOCK)
        n = VSRC_BLOCK;
    for (;;) {
        long r = s->gz ? (long)gzread((gzFile)s->gz, dst, (unsigned)n) : (long)read(s->fd, dst, n);
        if (r >= 0)
            return r;
        if (!s->gz && errno == EINTR) {
            if (velo_stopped(s->rt))
                return 0; /* interrupted by SIGINT/SIGTERM: end quietly */
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

long vsrc_fill(velo_src *s)
{
    if (s->eof)
        return 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    int grown = 0;
    if (s->end == s->cap) {
        char *nb = realloc(s->buf, s->cap * 2 + 1);
        if (!nb)
            vsrc_oom();
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
            s->eof = 1;
            break;
        }
        s->end += (size_t)r;
        added += r;
        /* A buffer just grown for one big record is filled completely, so
         * that record is re-parsed only O(log size) times. */
        if (!grown)
            break;
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
    if (s->gz)
        gzclose((gzFile)s->gz);
    else if (s->fd >= 0)
        close(s->fd);
    vcsv_close(s);
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
    if (!comp)
        gz = vsrc_ends_with(path, ".gz");
    else if (!strcmp(comp, "gzip"))
        gz = 1;
    else if (!strcmp(comp, "none"))
        gz = 0;
    else {
        snprintf(msg, sizeof msg, "source '%s': invalid compression '%.100s' (expected gzip or none)",
                 name, comp);
        velo_config_error(s->rt, msg);
        return -1;
    }
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        snprintf(msg, sizeof msg, "source '%s': cannot open '%.400s': %s", name, path,
                 strerror(errno));
        velo_config_error(s->rt, msg);
        return -1;
    }
    struct stat sb;
    if (fstat(s->fd, &sb) == 0 && S_ISREG(sb.st_mode))
        s->st->size = (i64)sb.st_size;
    if (gz) {
        s->gz = gzdopen(s->fd, "rb");
        if (!s->gz)
            vsrc_oom();
        gzbuffer((gzFile)s->gz, VSRC_BLOCK);
    }
    return 0;
}

velo_src *vsrc_open(velo_rt *rt, int op_id, const char *name, const char *const *props,
                    int ncols, const char *const *cols, const u8 *needed)
{
    char msg[600];
    const char *type = velo_rt_prop(rt, name, props, "type");
    if (type && !strcmp(type, "kafka_source"))
        return vkafka_src_open(rt, op_id, name, props, ncols, cols, needed);
    const char *path = velo_rt_prop(rt, name, props, "path");
    if (!path) {
        snprintf(msg, sizeof msg, "source '%s': property 'path' is required", name);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *fmt = velo_rt_prop(rt, name, props, "format");
    if (!fmt)
        fmt = vsrc_guess_format(path);
    velo_src *s = calloc(1, sizeof *s);
    if (!s)
        vsrc_oom();
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
    if (!s->cols || !s->colen || !s->needed || !s->buf)
        vsrc_oom();
    for (int i = 0; i < ncols; i++) {
        s->cols[i] = cols[i];
        s->colen[i] = strlen(cols[i]);
        s->needed[i] = needed ? needed[i] != 0 : 1;
    }
    s->st = velo_stat_add(rt, name, path, 0);
    if (!strcmp(fmt, "csv"))
        s->kind = VSRC_CSV;
    else if (!strcmp(fmt, "jsonl"))
        s->kind = VSRC_JSONL;
    else if (!strcmp(fmt, "json"))
        s->kind = VSRC_JSON;
    else {
        snprintf(msg, sizeof msg, "source '%s': unknown format '%.100s' (expected csv, jsonl or json)",
                 name, fmt);
        velo_config_error(rt, msg);
        vsrc_free(s);
        return NULL;
    }
    if (velo_stat_config(rt, s->st, name, props) ||
        vsrc_open_file(s, name, path, velo_rt_prop(rt, name, props, "compression")) ||
        (s->kind == VSRC_CSV && vcsv_open(s, name, props))) {
        vsrc_free(s);
        return NULL;
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
    if (velo_stopped(rt))
        return 0;
    if ((s->st->n & 0xffff) == 0xffff)
        velo_progress(rt);
    switch (s->kind) {
    case VSRC_CSV:
        return vcsv_next(s, f);
    case VSRC_JSONL:
        return vjson_next(s, f);
    case VSRC_KAFKA:
        return vkafka_src_next(s, f);
    default:
        return vjson_doc_next(s, f);
    }
}

void vsrc_close(velo_src *s)
{
    if (!s)
        return;
    struct velo_rt_priv *p = s->rt->priv;
    if (p->cur == s->st) {
        p->cur = NULL;
        p->rec_raw = NULL;
        p->rec_line = 0;
    }
    if (s->kind == VSRC_KAFKA)
        vkafka_src_close(s);
    vsrc_free(s);
}
