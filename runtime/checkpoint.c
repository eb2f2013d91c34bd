/*
 * checkpoint.c -- periodic snapshots of a statement's state so that a job
 * killed at any point resumes where its last checkpoint left it and ends
 * with exactly the output of an uninterrupted run (file and Kafka sources;
 * file sinks, and Kafka sinks behind a Kafka source).
 *
 * A checkpoint is one file, DIR/<job hash>-s<statement>.ckpt, written to a
 * temporary name, fsync'ed and renamed, so a kill leaves the previous one or
 * the new one, never half of either. It holds: the source position (bytes
 * consumed, line, records and bad records so far), the operators' state in
 * the order generated code saves it, the sink's temporary file name and
 * size and the dead-letter file's size. On restart the source skips to the
 * position without dead-lettering anything again, the sink's new temporary
 * file receives the checkpointed bytes, the dead-letter file is cut back to
 * its checkpointed size, and the operators reload their state.
 *
 * A Kafka source saves its per-partition offsets instead of a position
 * (kafka.c, "checkpoints"), is sought to them instead of replayed, and
 * learns that a checkpoint is durable (velo_ckpt_commit) before it commits
 * those offsets. With an 'exactly.once' sink the previous checkpoint stays
 * as .prev until the transaction after the new one commits (ckpt_pick).
 */
#include "kafka.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "velo.h"

struct velo_ckpt {
    velo_rt *rt;
    FILE *f;
    char *path, *tmp, *prev;
    int writing;
    int bad; /* a read ran short: the file is unusable */
    /* a Kafka source: its position, committed once the file is durable */
    vkafka_src *kafka;
    i64 *kpos;
    int kn;
    int txn; /* the offsets commit with the 'exactly.once' sink's transaction */
};

/* Version 3: generated row structs keep their null flags after the values
 * (sorted rows are saved as their bytes), so an older file is refused.
 * Version 4: COUNT(DISTINCT) of a fixed-width type saves 64-bit values
 * (velo_ckpt_iset), not byte strings. */
enum { CKPT_MAGIC = 0x564c4f43 /* "VLOC" */, CKPT_VERSION = 4 };

static char *ckpt_path(velo_rt *rt, velo_src *s, u64 job, int stmt, const char *suffix)
{
    (void)s;
    const char *dir = rt->priv->ckpt_dir;
    if (!dir) return NULL;
    size_t n = strlen(dir) + 64;
    char *p = malloc(n);
    if (!p) return NULL;
    snprintf(p, n, "%s/%016llx-s%d.ckpt%s", dir, (unsigned long long)job, stmt, suffix);
    return p;
}

static void ckpt_unlink(velo_rt *rt, u64 job, int stmt, const char *suffix)
{
    char *path = ckpt_path(rt, NULL, job, stmt, suffix);
    if (path) unlink(path);
    free(path);
}

int velo_ckpt_due(velo_rt *rt, velo_src *s)
{
    struct velo_rt_priv *p = rt->priv;
    if ((s->st->n & 1023) != 0 || !p->ckpt_interval_us) return 0;
    i64 now = vt_now();
    if (!p->ckpt_last) p->ckpt_last = now;
    if (now - p->ckpt_last < p->ckpt_interval_us) return 0;
    p->ckpt_last = now;
    return 1;
}

/* The source's position: bytes of the (uncompressed) input consumed. */
static i64 ckpt_src_pos(velo_src *s)
{
    return s->woff - (i64)(s->end - s->pos);
}

/* A Kafka source's position: partitions, then {offset, records of that
 * message done, end} each. What the records so far produced is written out
 * first. */
static void ckpt_put_kafka(velo_ckpt *c, vkafka_src *k)
{
    c->kafka = k;
    if (vkafka_ckpt_prepare(k) != 0) c->bad = 1;
    c->kn = vkafka_ckpt_position(k, &c->kpos);
    i64 n = c->kn;
    velo_ckpt_put(c, &n, sizeof n);
    velo_ckpt_put(c, c->kpos, (vsize)n * 3 * sizeof(i64));
    c->txn = vkafka_txn_active(c->rt);
}

static int ckpt_get_kafka(velo_ckpt *c, i64 **pos)
{
    i64 n = -1;
    *pos = NULL;
    if (velo_ckpt_get(c, &n, sizeof n) || n < 0 || n > 1 << 20) return -1;
    *pos = calloc((size_t)n * 3 + 1, sizeof(i64));
    if (!*pos || velo_ckpt_get(c, *pos, (vsize)n * 3 * sizeof(i64))) {
        free(*pos);
        *pos = NULL;
        return -1;
    }
    return (int)n;
}

velo_ckpt *velo_ckpt_begin(velo_rt *rt, velo_src *s, u64 job, int stmt)
{
    velo_ckpt *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->rt = rt;
    c->writing = 1;
    c->path = ckpt_path(rt, s, job, stmt, "");
    c->tmp = ckpt_path(rt, s, job, stmt, ".tmp");
    c->prev = ckpt_path(rt, s, job, stmt, ".prev");
    c->f = c->tmp ? fopen(c->tmp, "wb") : NULL;
    if (!c->f) {
        velo_fatal(rt, "cannot write a checkpoint in 'checkpoint.dir'");
        velo_ckpt_close(c);
        return NULL;
    }
    i64 head[6] = {CKPT_MAGIC, CKPT_VERSION, ckpt_src_pos(s), s->line, s->st->n, s->st->bad};
    velo_ckpt_put(c, head, sizeof head);
    /* dead letters written so far; every other dead-letter file is on disk
       too, so what the restart will not report again is not lost */
    if (velo_dl_sync_all(rt) != 0) c->bad = 1;
    i64 dl = velo_dl_tell(s->st);
    velo_ckpt_put(c, &dl, sizeof dl);
    if (s->kind == VSRC_KAFKA && vkafka_ckpt_on(s->kafka)) ckpt_put_kafka(c, s->kafka);
    return c;
}

void velo_ckpt_put(velo_ckpt *c, const void *p, vsize n)
{
    if (c && c->f && n && fwrite(p, 1, n, c->f) != n) c->bad = 1;
}

void velo_ckpt_str(velo_ckpt *c, vstr s)
{
    i64 n = s.p ? s.n : -1;
    velo_ckpt_put(c, &n, sizeof n);
    if (n > 0) velo_ckpt_put(c, s.p, (vsize)n);
}

int velo_ckpt_get(velo_ckpt *c, void *p, vsize n)
{
    if (!c || c->bad || !n) return c && !c->bad ? 0 : -1;
    if (fread(p, 1, n, c->f) != n) {
        c->bad = 1;
        memset(p, 0, n);
        return -1;
    }
    return 0;
}

vstr velo_ckpt_getstr(velo_ckpt *c, velo_arena *a)
{
    vstr r = {0, 0};
    i64 n = 0;
    if (velo_ckpt_get(c, &n, sizeof n) || n < 0) return r;
    char *p = va_alloc(a, (vsize)n + 1);
    if (n) velo_ckpt_get(c, p, (vsize)n);
    p[n] = 0;
    r.p = p;
    r.n = n;
    return r;
}

/* Per-group helper state: counts then elements. */
void velo_ckpt_darr(velo_ckpt *c, vdarr *a, int load)
{
    if (!load) {
        velo_ckpt_put(c, &a->n, sizeof a->n);
        velo_ckpt_put(c, a->v, (vsize)a->n * sizeof(double));
        return;
    }
    i64 n = 0;
    velo_ckpt_get(c, &n, sizeof n);
    memset(a, 0, sizeof *a);
    for (i64 i = 0; i < n && !c->bad; i++) {
        double v;
        velo_ckpt_get(c, &v, sizeof v);
        vagg_push_f64(a, v);
    }
}

void velo_ckpt_sbuf(velo_ckpt *c, vsbuf *b, int load)
{
    if (!load) {
        velo_ckpt_put(c, &b->n, sizeof b->n);
        velo_ckpt_put(c, b->p, (vsize)b->n);
        return;
    }
    i64 n = 0;
    velo_ckpt_get(c, &n, sizeof n);
    memset(b, 0, sizeof *b);
    if (n <= 0) return;
    char *p = malloc((size_t)n);
    if (!p) {
        c->bad = 1;
        return;
    }
    velo_ckpt_get(c, p, (vsize)n);
    vstr empty = {"", 0}, all = {p, n};
    vagg_strcat(b, empty, all, 1);
    free(p);
}

void velo_ckpt_set(velo_ckpt *c, vset *s, int load)
{
    if (!load) {
        velo_ckpt_put(c, &s->n, sizeof s->n);
        for (i64 i = 0; i < s->cap; i++)
            if (s->k && s->k[i].p) velo_ckpt_str(c, s->k[i]);
        return;
    }
    i64 n = 0;
    velo_ckpt_get(c, &n, sizeof n);
    memset(s, 0, sizeof *s);
    velo_arena tmp = {0};
    tmp.owner = -1;
    for (i64 i = 0; i < n && !c->bad; i++) vagg_set_add(s, velo_ckpt_getstr(c, &tmp));
    va_free(&tmp);
}

void velo_ckpt_iset(velo_ckpt *c, viset *s, int load)
{
    if (!load) {
        velo_ckpt_put(c, &s->n, sizeof s->n);
        if (s->zero) velo_ckpt_put(c, &(u64){0}, sizeof(u64));
        for (i64 i = 0; i < s->cap; i++)
            if (s->v[i]) velo_ckpt_put(c, &s->v[i], sizeof(u64));
        return;
    }
    i64 n = 0;
    velo_ckpt_get(c, &n, sizeof n);
    memset(s, 0, sizeof *s);
    for (i64 i = 0; i < n && !c->bad; i++) {
        u64 v = 0;
        velo_ckpt_get(c, &v, sizeof v);
        vagg_iset_add(s, v);
    }
}

void velo_ckpt_hll(velo_ckpt *c, vhll *h, int load)
{
    enum { M = 1 << 11 };
    if (!load) {
        u8 has = h->reg != NULL;
        velo_ckpt_put(c, &has, 1);
        if (has) velo_ckpt_put(c, h->reg, M);
        return;
    }
    u8 has = 0;
    velo_ckpt_get(c, &has, 1);
    h->reg = NULL;
    if (!has) return;
    h->reg = calloc(M, 1);
    if (!h->reg) {
        c->bad = 1;
        return;
    }
    velo_ckpt_get(c, h->reg, M);
}

/* The sink's temporary file so far: its name, size and inode (which stays
 * the same when the file is renamed into place). */
void velo_ckpt_sink(velo_ckpt *c, velo_out *o)
{
    /* runs killed before their first checkpoint left files nobody refers to */
    vout_clean_stale(o, c->rt->priv->ckpt_old_tmp);
    i64 size = -1, ino = -1;
    const char *tmp = vout_sync(o, &size, &ino);
    velo_ckpt_str(c, (vstr){tmp, tmp ? (i64)strlen(tmp) : 0});
    velo_ckpt_put(c, &size, sizeof size);
    i64 rows = o ? vout_rows(o) : 0;
    velo_ckpt_put(c, &rows, sizeof rows);
    velo_ckpt_put(c, &ino, sizeof ino);
}

void velo_ckpt_commit(velo_ckpt *c)
{
    if (!c) return;
    if (c->rt->priv->failed) { /* after a fatal error (a sink that could not write): the last good checkpoint stays */
        velo_ckpt_close(c);
        return;
    }
    int ok = !c->bad && fflush(c->f) == 0 && fsync(fileno(c->f)) == 0;
    ok &= fclose(c->f) == 0;
    c->f = NULL;
    /* with a transaction the previous checkpoint stays until this one's
       transaction has committed (ckpt_pick) */
    if (ok && c->txn && c->prev && rename(c->path, c->prev) != 0 && errno != ENOENT) ok = 0;
    if (ok && rename(c->tmp, c->path) != 0) ok = 0;
    if (!ok) velo_fatal(c->rt, "cannot write a checkpoint in 'checkpoint.dir'");
    /* only now may the group (or the transaction) learn the offsets */
    if (ok && c->kafka) vkafka_ckpt_committed(c->kafka, c->kpos, c->kn);
    /* the sink file of the previous checkpoint is not needed any more */
    struct velo_rt_priv *p = c->rt->priv;
    if (ok && p->ckpt_old_tmp) {
        unlink(p->ckpt_old_tmp);
        free(p->ckpt_old_tmp);
        p->ckpt_old_tmp = NULL;
    }
    velo_ckpt_close(c);
}

/* The Kafka position in the checkpoint file at path; -1: none. */
static int ckpt_peek_kafka(velo_rt *rt, const char *path, i64 **pos)
{
    velo_ckpt c = {0};
    i64 head[7];
    int n = -1;
    *pos = NULL;
    c.rt = rt;
    c.f = path ? fopen(path, "rb") : NULL;
    if (!c.f) return -1;
    if (!velo_ckpt_get(&c, head, sizeof head) && head[0] == CKPT_MAGIC && head[1] == CKPT_VERSION) n = ckpt_get_kafka(&c, pos);
    fclose(c.f);
    return n;
}

/* The last transaction of a finished statement commits between two files:
 * .final (its offsets) before, the done marker after. A restart that finds
 * .final and the group at its offsets knows the statement's output is all
 * visible and only the marker is missing (vkafka_ckpt_was_done). */
static void ckpt_write_final(velo_rt *rt, vkafka_src *k, u64 job, int stmt)
{
    velo_ckpt c = {0};
    i64 head[7] = {CKPT_MAGIC, CKPT_VERSION, 0, 0, 0, 0, -1};
    char *path = ckpt_path(rt, NULL, job, stmt, ".final"), *tmp = ckpt_path(rt, NULL, job, stmt, ".final.tmp");
    c.rt = rt;
    c.f = tmp ? fopen(tmp, "wb") : NULL;
    if (c.f) {
        i64 *pos, n = vkafka_ckpt_position(k, &pos);
        velo_ckpt_put(&c, head, sizeof head);
        velo_ckpt_put(&c, &n, sizeof n);
        velo_ckpt_put(&c, pos, (vsize)n * 3 * sizeof(i64));
        free(pos);
    }
    int ok = c.f && !c.bad && fflush(c.f) == 0 && fsync(fileno(c.f)) == 0;
    if (c.f) ok &= fclose(c.f) == 0;
    if (!ok || rename(tmp, path) != 0) velo_fatal(rt, "cannot write a checkpoint in 'checkpoint.dir'");
    free(path);
    free(tmp);
}

static int ckpt_was_done(velo_rt *rt, vkafka_src *k, u64 job, int stmt)
{
    char *fin = ckpt_path(rt, NULL, job, stmt, ".final");
    i64 *pos;
    int n = ckpt_peek_kafka(rt, fin, &pos), done = n >= 0 && vkafka_ckpt_matches(k, pos, n) == 1;
    if (done) vkafka_ckpt_was_done(k, pos, n);
    else if (fin) unlink(fin); /* killed before that transaction committed */
    free(pos);
    free(fin);
    return done;
}

/* With an 'exactly.once' sink, the rows before a checkpoint become visible
 * when the transaction that follows it commits, together with the
 * checkpoint's offsets. A kill in between leaves a checkpoint whose rows
 * were aborted, so the previous one is kept until then, and the group's
 * committed offsets (which only transactions write) tell which of the two
 * the visible output matches. Returns the file to load, NULL to start over. */
static char *ckpt_pick(velo_rt *rt, vkafka_src *k, u64 job, int stmt)
{
    if (ckpt_was_done(rt, k, job, stmt)) return NULL;
    char *path = ckpt_path(rt, NULL, job, stmt, ""), *prev = ckpt_path(rt, NULL, job, stmt, ".prev");
    char *cand[2] = {path, prev};
    int m[2] = {-3, -3}; /* -3: no such checkpoint */
    for (int i = 0; i < 2; i++) {
        i64 *pos;
        int n = ckpt_peek_kafka(rt, cand[i], &pos);
        if (n >= 0) m[i] = vkafka_ckpt_matches(k, pos, n);
        free(pos);
    }
    if (m[0] != 1 && m[1] == 1 && rename(prev, path) != 0) m[1] = -2; /* the latest one's transaction never committed */
    if (m[0] != 1 && m[1] != 1) {
        int none0 = m[0] == -1 || m[0] == -3, none1 = m[1] == -1 || m[1] == -3;
        if (none0 && none1) {
            /* no transaction ever committed: nothing is visible, start over */
            unlink(path);
            unlink(prev);
            free(path);
            path = NULL;
        } else {
            velo_progress_clear(rt);
            fprintf(stderr, "velo: warning: the consumer group's committed offsets match neither of the last two checkpoints; "
                            "resuming from the latest (rows after it may appear twice)\n");
            if (m[0] == -3) rename(prev, path);
        }
    }
    free(prev);
    return path;
}

/* A checkpointed Kafka source seeks to the saved offsets; a file source
 * reads up to the saved position without acting on it again. */
static int ckpt_restore_source(velo_ckpt *c, velo_src *s, vkafka_src *k, i64 pos)
{
    if (k) {
        i64 *kp;
        int n = ckpt_get_kafka(c, &kp);
        if (n < 0) return -1;
        vkafka_ckpt_restore(k, kp, n);
        free(kp);
        return 0;
    }
    struct velo_rt_priv *p = c->rt->priv;
    vfield *fields = calloc((size_t)s->ncols + 1, sizeof *fields);
    p->replaying = 1;
    while (ckpt_src_pos(s) < pos && vsrc_next(s, fields)) {}
    p->replaying = 0;
    free(fields);
    return 0;
}

velo_ckpt *velo_ckpt_load(velo_rt *rt, velo_src *s, u64 job, int stmt)
{
    vkafka_src *k = s->kind == VSRC_KAFKA && vkafka_ckpt_on(s->kafka) ? s->kafka : NULL;
    char *path = k && vkafka_txn_active(rt) ? ckpt_pick(rt, k, job, stmt) : ckpt_path(rt, s, job, stmt, "");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        free(path);
        return NULL;
    }
    velo_ckpt *c = calloc(1, sizeof *c);
    if (!c) {
        fclose(f);
        free(path);
        return NULL;
    }
    c->rt = rt;
    c->f = f;
    c->path = path;
    i64 head[6], dl = -1;
    if (velo_ckpt_get(c, head, sizeof head) || head[0] != CKPT_MAGIC || head[1] != CKPT_VERSION || velo_ckpt_get(c, &dl, sizeof dl) ||
        ckpt_restore_source(c, s, k, head[2]) != 0) {
        velo_fatal(rt, "the checkpoint in 'checkpoint.dir' is unreadable; remove it to start over");
        velo_ckpt_close(c);
        return NULL;
    }
    s->st->n = head[4];
    s->st->bad = head[5];
    if (dl >= 0 && velo_dl_truncate(s->st, dl) != 0) velo_fatal(rt, "cannot restore the dead-letter file");
    if (!rt->priv->opts.quiet) fprintf(stderr, "velo: resuming from a checkpoint after record %lld\n", (long long)head[4]);
    return c;
}

void velo_ckpt_resume_sink(velo_ckpt *c, velo_out *o)
{
    velo_arena a = {0};
    a.owner = -1;
    vstr old = velo_ckpt_getstr(c, &a);
    i64 size = 0, rows = 0, ino = -1;
    velo_ckpt_get(c, &size, sizeof size);
    velo_ckpt_get(c, &rows, sizeof rows);
    velo_ckpt_get(c, &ino, sizeof ino);
    if (!c->bad && old.p && size >= 0 && vout_resume(o, old.p, size, rows, ino) != 0)
        velo_fatal(c->rt, "cannot restore the sink's output from the checkpoint");
    struct velo_rt_priv *p = c->rt->priv;
    free(p->ckpt_old_tmp);
    p->ckpt_old_tmp = old.p ? strdup(old.p) : NULL;
    vout_clean_stale(o, p->ckpt_old_tmp);
    va_free(&a);
}

void velo_ckpt_close(velo_ckpt *c)
{
    if (!c) return;
    if (c->f) fclose(c->f);
    if (c->tmp) unlink(c->tmp);
    free(c->path);
    free(c->tmp);
    free(c->prev);
    free(c->kpos);
    free(c);
}

void velo_ckpt_done(velo_rt *rt, u64 job, int stmt)
{
    /* the marker says the statement's dead letters are written too, and
       that a Kafka source's offsets are committed */
    if (velo_dl_sync_all(rt) != 0) velo_fatal(rt, "cannot write a dead-letter file");
    vkafka_src *k = vkafka_ckpt_ending(rt);
    if (k && vkafka_txn_pending(rt)) ckpt_write_final(rt, k, job, stmt);
    if (velo_stopped(rt) || vkafka_ckpt_finish(rt) != 0 || velo_stopped(rt)) return;
    /* tests/faults/kafka_checkpoint.sh: a kill between the last
       transaction and the marker */
    const char *t = getenv("VELO_TEST_KILL");
    if (k && t && !strcmp(t, "after-final-commit")) raise(SIGKILL);
    /* tests/faults/checkpoint.sh: a kill after the output's rename */
    if (t && !strcmp(t, "before-done-marker")) raise(SIGKILL);
    char *done = ckpt_path(rt, NULL, job, stmt, ".done");
    FILE *f = done ? fopen(done, "w") : NULL;
    if (f) fclose(f);
    free(done);
    ckpt_unlink(rt, job, stmt, "");
    ckpt_unlink(rt, job, stmt, ".prev");
    ckpt_unlink(rt, job, stmt, ".final");
    ckpt_unlink(rt, job, stmt, ".tmp"); /* left by a run killed while writing one */
    struct velo_rt_priv *p = rt->priv;
    if (p->ckpt_old_tmp) {
        unlink(p->ckpt_old_tmp);
        free(p->ckpt_old_tmp);
        p->ckpt_old_tmp = NULL;
    }
}

int velo_ckpt_setup(velo_rt *rt, const char *source, const char *const *props)
{
    const char *dir = velo_rt_prop(rt, source, props, "checkpoint.dir");
    const char *iv = velo_rt_prop(rt, source, props, "checkpoint.interval");
    i64 us = 0;
    if (!dir || !iv) return 0;
    if (vt_parse_duration(iv, (i64)strlen(iv), &us) != 0 || us <= 0) {
        velo_config_error(rt, "'checkpoint.interval' must be a duration such as 10s");
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        velo_config_error(rt, "cannot create 'checkpoint.dir'");
        return -1;
    }
    rt->priv->ckpt_interval_us = us;
    free(rt->priv->ckpt_dir);
    rt->priv->ckpt_dir = strdup(dir);
    return 1;
}

/* A statement that finished leaves a marker, so a restart after a later
 * statement was killed does not run it (and its dead letters) again. */
int velo_ckpt_is_done(velo_rt *rt, u64 job, int stmt)
{
    char *path = ckpt_path(rt, NULL, job, stmt, ".done");
    int done = path && access(path, F_OK) == 0;
    free(path);
    return done;
}

/* A statement found finished may have been killed while velo_ckpt_done
 * tidied up after writing its marker: finish that (its checkpoint files
 * and the temporary files of its file sink 'sink' with 'props'). */
void velo_ckpt_tidy(velo_rt *rt, u64 job, int stmt, const char *sink, const char *const *props)
{
    ckpt_unlink(rt, job, stmt, "");
    ckpt_unlink(rt, job, stmt, ".prev");
    ckpt_unlink(rt, job, stmt, ".final");
    ckpt_unlink(rt, job, stmt, ".tmp");
    const char *path = sink ? velo_rt_prop(rt, sink, props, "path") : NULL;
    if (path) vout_clean_path(path, NULL, NULL);
}

int velo_ckpt_exists(velo_rt *rt, u64 job, int stmt)
{
    char *path = ckpt_path(rt, NULL, job, stmt, "");
    int yes = path && access(path, F_OK) == 0;
    free(path);
    return yes;
}

/* A join's build side read again on restart reports its bad records once:
 * they were written before the first checkpoint of its statement. */
int velo_replaying(velo_rt *rt, int on)
{
    int old = rt->priv->replaying;
    rt->priv->replaying = on;
    return old;
}

void velo_ckpt_hook(velo_rt *rt, velo_src *s, velo_ckpt_fn fn, u64 job, int stmt)
{
    (void)rt;
    if (s && s->kind == VSRC_KAFKA && vkafka_ckpt_on(s->kafka)) vkafka_ckpt_hook(s->kafka, s, fn, job, stmt);
}

void velo_ckpt_forget(velo_rt *rt, u64 job, int stmt)
{
    ckpt_unlink(rt, job, stmt, ".done");
}

/* The job-level marker of a finished run (codegen's cg_job_end): op 0 says
 * whether it is there, 1 writes it (durably: the statements' markers go
 * next), 2 removes it. */
int velo_ckpt_job_mark(velo_rt *rt, u64 job, int op)
{
    char *path = ckpt_path(rt, NULL, job, 0, ".finished");
    int rc = 0;
    if (!path) return 0;
    if (op == 0) rc = access(path, F_OK) == 0;
    else if (op == 2) unlink(path);
    else {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    free(path);
    return rc;
}
