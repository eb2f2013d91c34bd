/*
 * kafka.c -- the Kafka connector on librdkafka: kafka_source (high-level
 * consumer) and kafka_sink (idempotent producer).
 *
 * Source. Each message payload is copied into the buffer of an inner
 * velo_src and decoded by the file decoders (json.c, csv.c), so Kafka records
 * convert, filter and fail exactly like file records. Declared columns named
 * _KEY, _PARTITION, _OFFSET, _TIMESTAMP, _TOPIC or _HEADER:<name> are filled
 * from the message instead of the payload. 'scan.bounded.mode' =
 * 'latest-offset' assigns every partition directly, reads up to the end
 * offsets seen at start-up and then ends like a file; otherwise the consumer
 * subscribes to the topic as a member of its group.
 *
 * Delivery: at-least-once. Offsets are committed by hand, never by
 * librdkafka's timer: first every open sink is flushed (a Kafka sink waits
 * for its delivery reports) and the dead-letter producer too, then the next
 * offset of every record handed out is committed. An unbounded source does
 * this every 'commit.interval.messages' records or 'commit.interval.ms', on
 * a rebalance that revokes partitions, and at the end; a bounded one only at
 * the end of the job, after the sinks are closed (aggregates emit after the
 * scan ends, so an earlier commit could cover rows not yet written). A job
 * that fails commits nothing more. A source with 'checkpoint.interval' is
 * different: it is assigned every partition by hand and commits only the
 * offsets of durable checkpoints ("checkpoints" below, checkpoint.c).
 *
 * Sink. sink.c formats a row exactly as for a JSON Lines (or CSV) file and
 * hands the text here; each row becomes one message. The key is built from
 * 'key.columns' by reading the values back out of the formatted row.
 * Delivery reports are checked: a failed delivery stops the job.
 */
#include "kafka.h"
#include "protobuf.h"

#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <strings.h>

enum { VK_SYS_NONE, VK_SYS_KEY, VK_SYS_PARTITION, VK_SYS_OFFSET, VK_SYS_TIMESTAMP, VK_SYS_TOPIC, VK_SYS_HEADER };

/* Messages per rd_kafka_consume_batch_queue call: one queue lock and wake-up
 * per batch instead of per message. */
#define VK_BATCH 512

struct vkafka_src {
    vkafka_src *next; /* rt->priv->kafka_srcs */
    velo_rt *rt;
    velo_stat *st;
    char *name, *topic;
    rd_kafka_t *rk;
    int bounded, closed;
    /* per partition id */
    int nparts;
    i64 *end;                /* bounded: end offset seen at start-up */
    i64 *next_off;           /* offset after the last record handed out */
    u8 *dirty;               /* next_off not committed yet */
    u8 *done;                /* bounded: reached end */
    u8 *revoked;             /* taken away by a rebalance during the last batch */
    int left;                /* bounded: partitions not done */
    rd_kafka_message_t *msg; /* the message being decoded */
    int in_msg;
    /* messages taken from the consumer queue in one call, handed out in order */
    rd_kafka_queue_t *queue;
    rd_kafka_message_t *batch[VK_BATCH];
    int bi, bn;
    int revoke_seen;
    int nowait, wait_ms; /* vkafka_src_poll: give up after wait_ms (once) instead of waiting */
    /* decoding */
    int fmt;      /* VSRC_JSON, VSRC_JSONL, VSRC_CSV */
    velo_src *in; /* payload decoder; its columns are the payload columns */
    vfield *fin;
    int *map;     /* payload column j -> declared column map[j] */
    int identity; /* no system columns: decode straight into f */
    int ncols;
    u8 *sys; /* VK_SYS_* per declared column */
    u8 *needed;
    char **hdr; /* header name of a _HEADER: column */
    char (*num)[32];
    /* commits */
    i64 since_commit, commit_every;
    double last_commit, commit_sec;
    /* checkpoints: 'checkpoint.interval' and 'checkpoint.dir' on this source */
    int ckpt;     /* every partition assigned by hand; offsets committed after checkpoints only */
    int tparts;   /* partitions of the topic: ids 0..tparts-1 */
    int started;  /* the assignment was made (after a restore could move it) */
    i64 *ck_off;  /* per partition: offset recorded by the last durable checkpoint, -1 none */
    int ck_final; /* the statement finished and its last offsets are committed */
    i64 msg_recs; /* records decoded from the current message so far */
    i64 *skip;    /* per partition, restored mid-message: records of the message at skip_at already processed */
    i64 *skip_at;
    i64 since_ckpt;     /* messages taken since the last checkpoint */
    velo_ckpt_fn ck_fn; /* the statement's checkpoint, for vk_ckpt_between */
    velo_src *outer;
    u64 ck_job;
    int ck_stmt;
    int was_done; /* a restart found the statement finished: read nothing */
    /* dead-letter topic */
    rd_kafka_t *dlq;
    char *dlq_topic;
    char *dlq_err;
};

struct vkafka_out {
    velo_rt *rt;
    char *name, *topic;
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    int csv, ncols, nkeys, maxkey;
    u8 *iskey;
    velo_buf prefix; /* JSON key prefixes `{"a":` `,"b":` back to back */
    size_t *pre_off;
    const char **vp; /* value spans of the current row */
    size_t *vn;
    velo_buf kb; /* key text */
    i64 rows;
    int failed;
    /* 'exactly.once' = 'true': transactional producer (rt->priv->kafka_txn) */
    int txn, txn_open, closed;
    int discard; /* the statement's rows are all committed already (vkafka_ckpt_was_done) */
};

static void vk_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

static void *vk_calloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) vk_oom();
    return p;
}

static char *vk_strdup(const char *s)
{
    char *p = strdup(s);
    if (!p) vk_oom();
    return p;
}

/* ---- configuration ---------------------------------------------------------- */

static const char *vk_brokers(velo_rt *rt, const char *name, const char *const *props)
{
    const char *b = velo_rt_prop(rt, name, props, "bootstrap.servers");
    if (!b || !*b) b = getenv("VELO_KAFKA_BROKERS");
    return b && *b ? b : "localhost:9092";
}

/* Security settings are the only pass-through keys that also make sense for
 * the dead-letter producer of a source. */
static int vk_security_key(const char *k)
{
    return !strncmp(k, "security.", 9) || !strncmp(k, "sasl.", 5) || !strncmp(k, "ssl.", 4) || !strncmp(k, "socket.", 7) ||
           !strncmp(k, "broker.", 7) || !strcmp(k, "client.id");
}

static int vk_conf_set(velo_rt *rt, rd_kafka_conf_t *c, const char *name, const char *k, const char *v)
{
    char err[512], msg[900];
    if (rd_kafka_conf_set(c, k, v, err, sizeof err) == RD_KAFKA_CONF_OK) return 0;
    snprintf(msg, sizeof msg, "'%s': Kafka property '%s': %s", name, k, err);
    velo_config_error(rt, msg);
    return -1;
}

/* A conf with bootstrap.servers, the given defaults, then every 'kafka.X'
 * property and --set override. NULL after a config error. */
static rd_kafka_conf_t *vk_conf(velo_rt *rt, const char *name, const char *const *props, const char *const *defaults, int security_only)
{
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    char cid[300];
    snprintf(cid, sizeof cid, "veloc-%s", name);
    if (vk_conf_set(rt, c, name, "bootstrap.servers", vk_brokers(rt, name, props)) || vk_conf_set(rt, c, name, "client.id", cid)) goto fail;
    for (int i = 0; defaults && defaults[i]; i += 2)
        if (vk_conf_set(rt, c, name, defaults[i], defaults[i + 1])) goto fail;
    for (int i = 0; props && props[i] && props[i + 1]; i += 2) {
        const char *k = props[i];
        if (strncmp(k, "kafka.", 6) || (security_only && !vk_security_key(k + 6))) continue;
        if (vk_conf_set(rt, c, name, k + 6, velo_rt_prop(rt, name, props, k))) goto fail;
    }
    const velo_opts *o = &rt->priv->opts;
    size_t nl = strlen(name);
    for (int i = 0; i < o->nsets; i++) { /* --set keys not among the props */
        const char *k = o->set_keys[i];
        if (!strncasecmp(k, name, nl) && k[nl] == '.') k += nl + 1;
        if (strncmp(k, "kafka.", 6) || (security_only && !vk_security_key(k + 6))) continue;
        if (vk_conf_set(rt, c, name, k + 6, o->set_vals[i])) goto fail;
    }
    return c;
fail:
    rd_kafka_conf_destroy(c);
    return NULL;
}

static i64 vk_prop_i64(velo_rt *rt, const char *name, const char *const *props, const char *key, i64 dflt)
{
    const char *v = velo_rt_prop(rt, name, props, key);
    if (!v) return dflt;
    char *e;
    long long n = strtoll(v, &e, 10);
    if (*e || n <= 0) {
        char msg[400];
        snprintf(msg, sizeof msg, "'%s': '%s' must be a positive integer, got '%.100s'", name, key, v);
        velo_config_error(rt, msg);
        return -1;
    }
    return n;
}

/* ---- source: partitions and commits ------------------------------------------- */

static void vk_parts(vkafka_src *k, int p)
{
    if (p < k->nparts) return;
    int n = p + 1 > k->nparts * 2 ? p + 1 : k->nparts * 2;
    k->end = realloc(k->end, sizeof(i64) * (size_t)n);
    k->next_off = realloc(k->next_off, sizeof(i64) * (size_t)n);
    k->dirty = realloc(k->dirty, (size_t)n);
    k->done = realloc(k->done, (size_t)n);
    k->revoked = realloc(k->revoked, (size_t)n);
    k->ck_off = realloc(k->ck_off, sizeof(i64) * (size_t)n);
    k->skip = realloc(k->skip, sizeof(i64) * (size_t)n);
    k->skip_at = realloc(k->skip_at, sizeof(i64) * (size_t)n);
    if (!k->end || !k->next_off || !k->dirty || !k->done || !k->revoked || !k->ck_off || !k->skip || !k->skip_at) vk_oom();
    for (int i = k->nparts; i < n; i++) {
        k->end[i] = VELO_I64_MAX;
        k->next_off[i] = k->ck_off[i] = k->skip_at[i] = -1;
        k->skip[i] = 0;
        k->dirty[i] = k->done[i] = k->revoked[i] = 0;
    }
    k->nparts = n;
}

/* The offsets a commit covers: a checkpointed source commits what its last
 * durable checkpoint recorded (every partition), any other source the next
 * offset of every record handed out since its last commit. NULL: none. */
static rd_kafka_topic_partition_list_t *vk_offsets(vkafka_src *k)
{
    int n = 0;
    for (int p = 0; p < k->nparts; p++) n += k->ckpt ? k->ck_off[p] >= 0 : k->dirty[p];
    if (!n) return NULL;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
    for (int p = 0; p < k->nparts; p++) {
        if (k->ckpt ? k->ck_off[p] >= 0 : k->dirty[p])
            rd_kafka_topic_partition_list_add(l, k->topic, p)->offset = k->ckpt ? k->ck_off[p] : k->next_off[p];
    }
    return l;
}

static void vk_out_free(vkafka_out *k);

/* ---- exactly once: Kafka transactions ----------------------------------------
 * With 'exactly.once' = 'true' on a Kafka sink, its producer is transactional
 * (transactional.id 'veloc-<sink>' unless 'kafka.transactional.id' is set).
 * At every commit point of a source (interval, revoke, end of job) the offsets
 * of every Kafka source go into the open transaction
 * (send_offsets_to_transaction with the consumer's group metadata) and the
 * transaction commits: output rows and input offsets become visible together.
 * A failure aborts the transaction and stops the job; the next run starts at
 * the last committed offsets and readers with isolation.level=read_committed
 * (librdkafka's default) never see the aborted rows. */

static int vk_txn_error(velo_rt *rt, vkafka_out *o, const char *what, rd_kafka_error_t *err)
{
    char msg[700];
    snprintf(msg, sizeof msg, "sink '%s': %s: %s", o->name, what, rd_kafka_error_string(err));
    if (rd_kafka_error_txn_requires_abort(err) && o->txn_open) {
        rd_kafka_error_t *a = rd_kafka_abort_transaction(o->rk, 30000);
        if (a) rd_kafka_error_destroy(a);
        o->txn_open = 0;
    }
    rd_kafka_error_destroy(err);
    o->failed = 1;
    velo_fatal(rt, msg);
    return -1;
}

static int vk_txn_begin(velo_rt *rt, vkafka_out *o)
{
    rd_kafka_error_t *e = rd_kafka_begin_transaction(o->rk);
    if (e) return vk_txn_error(rt, o, "begin transaction", e);
    o->txn_open = 1;
    return 0;
}

/* Sends the offsets of every Kafka source handed out so far into the open
 * transaction and commits it; opens the next one when again is set. */
static int vk_txn_commit(velo_rt *rt, int again)
{
    vkafka_out *o = rt->priv->kafka_txn;
    if (!o || o->failed || rt->priv->failed || !o->txn_open) return -1;
    for (vkafka_src *k = rt->priv->kafka_srcs; k; k = k->next) {
        rd_kafka_topic_partition_list_t *l = k->rk ? vk_offsets(k) : NULL;
        if (!l) continue;
        rd_kafka_consumer_group_metadata_t *md = rd_kafka_consumer_group_metadata(k->rk);
        rd_kafka_error_t *e = rd_kafka_send_offsets_to_transaction(o->rk, l, md, 60000);
        rd_kafka_consumer_group_metadata_destroy(md);
        rd_kafka_topic_partition_list_destroy(l);
        if (e) return vk_txn_error(rt, o, "sending source offsets to the transaction", e);
    }
    for (int tries = 0;; tries++) {
        rd_kafka_error_t *e = rd_kafka_commit_transaction(o->rk, 60000);
        if (!e) break;
        if (rd_kafka_error_is_retriable(e) && tries < 5) {
            rd_kafka_error_destroy(e);
            continue;
        }
        return vk_txn_error(rt, o, "commit transaction", e);
    }
    o->txn_open = 0;
    for (vkafka_src *k = rt->priv->kafka_srcs; k; k = k->next)
        for (int p = 0; p < k->nparts; p++) k->dirty[p] = 0;
    return again ? vk_txn_begin(rt, o) : 0;
}

/* Flushes every sink and the dead-letter producer, then commits the offsets
 * of the records handed out so far. */
static int vk_commit(vkafka_src *k)
{
    velo_rt *rt = k->rt;
    if (rt->priv->failed) return -1;
    k->since_commit = 0;
    k->last_commit = velo_now_sec();
    int n = 0;
    for (int p = 0; p < k->nparts; p++) n += k->dirty[p];
    if (!n) return 0;
    if (velo_flush_sinks(rt) != 0) return -1;
    if (k->dlq) {
        while (rd_kafka_outq_len(k->dlq) > 0 && !k->dlq_err) rd_kafka_flush(k->dlq, 1000);
        if (k->dlq_err) return -1;
    }
    if (rt->priv->kafka_txn) /* exactly once: the offsets commit with the sink's transaction */
        return vk_txn_commit(rt, 1);
    rd_kafka_topic_partition_list_t *l = vk_offsets(k);
    rd_kafka_resp_err_t e = rd_kafka_commit(k->rk, l, 0);
    rd_kafka_topic_partition_list_destroy(l);
    if (e) {
        /* Not fatal: the records are written; a later commit covers them, or
         * they are read again (at-least-once). */
        velo_progress_clear(rt);
        fprintf(stderr, "velo: warning: source '%s': committing offsets: %s\n", k->name, rd_kafka_err2str(e));
        return -1;
    }
    for (int p = 0; p < k->nparts; p++) k->dirty[p] = 0;
    return 0;
}

static void vk_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    vkafka_src *k = opaque;
    int coop = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        for (int i = 0; i < parts->cnt; i++) {
            vk_parts(k, parts->elems[i].partition);
            k->revoked[parts->elems[i].partition] = 0;
        }
        if (coop) rd_kafka_error_destroy(rd_kafka_incremental_assign(rk, parts));
        else rd_kafka_assign(rk, parts);
        return;
    }
    /* Revoked: whatever was handed out is processed (this runs inside the
     * poll of the next record), so write it out and commit before letting go. */
    vk_commit(k);
    for (int i = 0; i < parts->cnt; i++) {
        vk_parts(k, parts->elems[i].partition);
        k->dirty[parts->elems[i].partition] = 0;
        k->revoked[parts->elems[i].partition] = 1;
    }
    k->revoke_seen = 1;
    if (coop) rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, parts));
    else rd_kafka_assign(rk, NULL);
}

/* Assigns every partition of the topic at next_off (bounded: up to end);
 * a partition already at its end counts as done. */
static int vk_start(vkafka_src *k)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(k->tparts);
    k->left = 0;
    for (int p = 0; p < k->tparts; p++) {
        rd_kafka_topic_partition_list_add(l, k->topic, p)->offset = k->next_off[p];
        k->done[p] = k->bounded && k->next_off[p] >= k->end[p];
        k->left += !k->done[p];
    }
    k->started = 1;
    rd_kafka_resp_err_t e = rd_kafka_assign(k->rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    if (e) {
        char msg[600];
        snprintf(msg, sizeof msg, "source '%s': assign: %s", k->name, rd_kafka_err2str(e));
        velo_fatal(k->rt, msg);
        return -1;
    }
    return 0;
}

/* Bounded mode and checkpointed sources: every partition starts at its
 * committed offset (or the reset policy); a bounded source ends at the end
 * offset each partition has now. A checkpointed source is assigned at its
 * first record (vk_start), after a restore may have moved the offsets. */
static int vk_assign_all(vkafka_src *k, const char *reset)
{
    char msg[600];
    const struct rd_kafka_metadata *md;
    rd_kafka_topic_t *t = rd_kafka_topic_new(k->rk, k->topic, NULL);
    rd_kafka_resp_err_t e = rd_kafka_metadata(k->rk, 0, t, &md, 10000);
    rd_kafka_topic_destroy(t);
    if (e) {
        snprintf(msg, sizeof msg, "source '%s': topic '%.200s': %s", k->name, k->topic, rd_kafka_err2str(e));
        velo_config_error(k->rt, msg);
        return -1;
    }
    const struct rd_kafka_metadata_topic *mt = md->topic_cnt == 1 ? &md->topics[0] : NULL;
    if (!mt || mt->err || mt->partition_cnt == 0) {
        snprintf(msg, sizeof msg, "source '%s': topic '%.200s' does not exist (%s)", k->name, k->topic,
                 mt ? rd_kafka_err2str(mt->err) : "no metadata");
        rd_kafka_metadata_destroy(md);
        velo_config_error(k->rt, msg);
        return -1;
    }
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(mt->partition_cnt);
    i64 *lo = vk_calloc((size_t)mt->partition_cnt, sizeof *lo), *hi = vk_calloc((size_t)mt->partition_cnt, sizeof *hi);
    k->tparts = mt->partition_cnt; /* Kafka numbers partitions 0..n-1 */
    vk_parts(k, k->tparts - 1);
    for (int p = 0; p < k->tparts; p++) {
        int64_t low, high;
        e = rd_kafka_query_watermark_offsets(k->rk, k->topic, p, &low, &high, 10000);
        if (e) {
            snprintf(msg, sizeof msg, "source '%s': end offsets of '%.200s': %s", k->name, k->topic, rd_kafka_err2str(e));
            velo_fatal(k->rt, msg);
            break;
        }
        if (k->bounded) k->end[p] = high;
        lo[p] = low;
        hi[p] = high;
        rd_kafka_topic_partition_list_add(l, k->topic, p);
    }
    rd_kafka_metadata_destroy(md);
    if (!e && (e = rd_kafka_committed(k->rk, l, 10000))) {
        snprintf(msg, sizeof msg, "source '%s': committed offsets: %s", k->name, rd_kafka_err2str(e));
        velo_fatal(k->rt, msg);
    }
    if (!e) {
        int latest = reset && !strcmp(reset, "latest");
        for (int i = 0; i < l->cnt; i++) {
            int p = l->elems[i].partition;
            i64 start = l->elems[i].offset >= 0 ? l->elems[i].offset : latest ? hi[p] : lo[p];
            if (start < lo[p]) start = lo[p]; /* committed offset deleted by retention */
            k->next_off[p] = start;
        }
    }
    free(lo);
    free(hi);
    rd_kafka_topic_partition_list_destroy(l);
    if (e) return -1;
    return k->ckpt ? 0 : vk_start(k);
}

/* ---- dead-letter topic ------------------------------------------------------ */

static void vk_dlq_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    vkafka_src *k = opaque;
    if (m->err && !k->dlq_err) {
        char msg[600];
        snprintf(msg, sizeof msg, "source '%s': writing to dead_letter.topic '%.200s': %s", k->name, k->dlq_topic,
                 rd_kafka_err2str(m->err));
        k->dlq_err = vk_strdup(msg);
        velo_fatal(k->rt, msg);
    }
}

int vkafka_dead_letter(velo_stat *st, int op_id, const char *msg)
{
    vkafka_src *k = st ? st->kafka : NULL;
    if (!k || !k->dlq || !k->msg) return -1;
    rd_kafka_message_t *m = k->msg;
    rd_kafka_headers_t *h = NULL, *orig = NULL;
    if (!rd_kafka_message_headers(m, &orig) && orig) h = rd_kafka_headers_copy(orig);
    else h = rd_kafka_headers_new(6);
    char num[32];
    rd_kafka_header_add(h, "velo.error", -1, msg, -1);
    rd_kafka_header_add(h, "velo.source", -1, k->name, -1);
    rd_kafka_header_add(h, "velo.topic", -1, k->topic, -1);
    snprintf(num, sizeof num, "%d", (int)m->partition);
    rd_kafka_header_add(h, "velo.partition", -1, num, -1);
    snprintf(num, sizeof num, "%lld", (long long)m->offset);
    rd_kafka_header_add(h, "velo.offset", -1, num, -1);
    snprintf(num, sizeof num, "%d", op_id);
    rd_kafka_header_add(h, "velo.operator", -1, num, -1);
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(k->dlq, RD_KAFKA_V_TOPIC(k->dlq_topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                  RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
                                                  RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(k->dlq, 100);
            continue;
        }
        if (e) {
            rd_kafka_headers_destroy(h);
            char m2[600];
            snprintf(m2, sizeof m2, "source '%s': dead_letter.topic '%.200s': %s", k->name, k->dlq_topic, rd_kafka_err2str(e));
            velo_fatal(k->rt, m2);
        }
        break;
    }
    rd_kafka_poll(k->dlq, 0);
    return 0;
}

void vkafka_put_context(velo_buf *b, velo_stat *st)
{
    vkafka_src *k = st ? st->kafka : NULL;
    if (!k || !k->msg) return;
    char tmp[96];
    vbuf_puts(b, ",\"topic\":");
    vjson_put_str(b, k->topic, (i64)strlen(k->topic));
    vbuf_put(b, tmp,
             (size_t)snprintf(tmp, sizeof tmp, ",\"partition\":%d,\"offset\":%lld", (int)k->msg->partition, (long long)k->msg->offset));
}

/* ---- source: open, next, close ------------------------------------------------ */

static int vk_sys_kind(const char *col, char **hdr)
{
    static const char *const names[] = {"_KEY", "_PARTITION", "_OFFSET", "_TIMESTAMP", "_TOPIC"};
    for (int i = 0; i < 5; i++)
        if (!strcasecmp(col, names[i])) return VK_SYS_KEY + i;
    if (!strncasecmp(col, "_HEADER:", 8)) {
        *hdr = vk_strdup(col + 8);
        return VK_SYS_HEADER;
    }
    return VK_SYS_NONE;
}

static void vk_src_free(vkafka_src *k)
{
    if (k->msg) rd_kafka_message_destroy(k->msg);
    while (k->bi < k->bn) rd_kafka_message_destroy(k->batch[k->bi++]);
    free(k->revoked);
    if (k->in) {
        vcsv_close(k->in);
        vpb_src_close(k->in); /* format protobuf */
        free(k->in->buf);
        free(k->in->cols);
        free(k->in->colen);
        free(k->in->needed);
        free(k->in);
    }
    for (int i = 0; i < k->ncols; i++) free(k->hdr[i]);
    free(k->hdr);
    free(k->num);
    free(k->sys);
    free(k->needed);
    free(k->fin);
    free(k->map);
    free(k->end);
    free(k->next_off);
    free(k->ck_off);
    free(k->skip);
    free(k->skip_at);
    free(k->dirty);
    free(k->done);
    free(k->name);
    free(k->topic);
    free(k->dlq_topic);
    free(k->dlq_err);
    free(k);
}

velo_src *vkafka_src_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *cols,
                          const u8 *needed)
{
    char msg[700], err[512];
    const char *topic = velo_rt_prop(rt, name, props, "topic");
    if (!topic || !*topic) {
        snprintf(msg, sizeof msg, "source '%s': property 'topic' is required", name);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *fmt = velo_rt_prop(rt, name, props, "format");
    int kind = !fmt || !strcmp(fmt, "json") ? VSRC_JSON
               : !strcmp(fmt, "jsonl")      ? VSRC_JSONL
               : !strcmp(fmt, "csv")        ? VSRC_CSV
               : !strcmp(fmt, "protobuf")   ? VSRC_PROTOBUF /* one message per value (protobuf.c) */
                                            : -1;
    if (kind < 0) {
        snprintf(msg, sizeof msg, "source '%s': unknown format '%.100s' (expected json, jsonl, csv or protobuf)", name, fmt);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *bmode = velo_rt_prop(rt, name, props, "scan.bounded.mode");
    if (bmode && strcmp(bmode, "latest-offset") && strcmp(bmode, "unbounded")) {
        snprintf(msg, sizeof msg, "source '%s': invalid scan.bounded.mode '%.100s' (expected latest-offset or unbounded)", name, bmode);
        velo_config_error(rt, msg);
        return NULL;
    }
    const char *reset = velo_rt_prop(rt, name, props, "auto.offset.reset");
    if (!reset) reset = "earliest";
    i64 every = vk_prop_i64(rt, name, props, "commit.interval.messages", 50000);
    i64 ms = vk_prop_i64(rt, name, props, "commit.interval.ms", 1000);
    if (every < 0 || ms < 0) return NULL;

    vkafka_src *k = vk_calloc(1, sizeof *k);
    k->rt = rt;
    k->name = vk_strdup(name);
    k->topic = vk_strdup(topic);
    k->fmt = kind;
    k->bounded = bmode && !strcmp(bmode, "latest-offset");
    /* the same test as velo_ckpt_setup: with both, the statement checkpoints
       (the compiler refused it otherwise) */
    k->ckpt = velo_rt_prop(rt, name, props, "checkpoint.interval") && velo_rt_prop(rt, name, props, "checkpoint.dir");
    k->commit_every = every;
    k->commit_sec = (double)ms / 1000.0;
    k->last_commit = velo_now_sec();
    k->ncols = ncols;
    k->sys = vk_calloc((size_t)ncols, 1);
    k->needed = vk_calloc((size_t)ncols, 1);
    k->hdr = vk_calloc((size_t)ncols, sizeof(char *));
    k->num = vk_calloc((size_t)ncols, 32);
    k->map = vk_calloc((size_t)ncols, sizeof(int));
    k->fin = vk_calloc((size_t)ncols + 1, sizeof(vfield));

    /* the outer velo_src: what source.c hands to generated code */
    velo_src *s = vk_calloc(1, sizeof *s);
    s->rt = rt;
    s->op_id = op_id;
    s->kind = VSRC_KAFKA;
    s->fd = -1;
    s->kafka = k;
    s->ncols = ncols;
    s->cols = vk_calloc((size_t)ncols + 1, sizeof(char *));
    s->colen = vk_calloc((size_t)ncols + 1, sizeof(size_t));
    s->needed = vk_calloc((size_t)ncols + 1, 1);
    /* the inner one decodes payloads: payload columns only */
    velo_src *in = vk_calloc(1, sizeof *in);
    k->in = in;
    in->rt = rt;
    in->op_id = op_id;
    in->kind = kind;
    in->fd = -1;
    in->eof = 1;
    in->cols = vk_calloc((size_t)ncols + 1, sizeof(char *));
    in->colen = vk_calloc((size_t)ncols + 1, sizeof(size_t));
    in->needed = vk_calloc((size_t)ncols + 1, 1);
    in->cap = 4096;
    in->buf = malloc(in->cap + 1);
    if (!in->buf) vk_oom();
    int np = 0;
    for (int i = 0; i < ncols; i++) {
        s->cols[i] = cols[i];
        s->colen[i] = strlen(cols[i]);
        s->needed[i] = k->needed[i] = needed ? needed[i] != 0 : 1;
        k->sys[i] = (u8)vk_sys_kind(cols[i], &k->hdr[i]);
        if (k->sys[i]) continue;
        in->cols[np] = cols[i];
        in->colen[np] = s->colen[i];
        in->needed[np] = s->needed[i];
        k->map[np++] = i;
    }
    in->ncols = np;
    k->identity = np == ncols;

    k->st = s->st = in->st = velo_stat_add(rt, name, NULL, 0);
    k->st->kafka = k;
    k->next = rt->priv->kafka_srcs;
    rt->priv->kafka_srcs = k;
    if (velo_stat_config(rt, k->st, name, props)) goto fail;
    if (kind == VSRC_CSV) {
        const char *d = velo_rt_prop(rt, name, props, "delimiter");
        const char *csvp[] = {"has_headers", "false", d ? "delimiter" : NULL, d, NULL};
        if (vcsv_open(in, name, csvp)) goto fail;
        in->header_done = 1;
    }
    if (kind == VSRC_PROTOBUF && vpb_src_open(in, name, props, 0)) goto fail;

    char gid[300];
    snprintf(gid, sizeof gid, "veloc-%s", name);
    const char *group = velo_rt_prop(rt, name, props, "group.id");
    /* queued.min.messages: librdkafka 2.0 stops fetching a partition for a
       fixed 1 s once its local queue holds that many messages; at the
       default 100 000 a catching-up job drained them in 0.1 s and then sat
       idle (1 M messages: 7.2 s wall for 1.1 s CPU). A million keeps the
       fetcher ahead; queued.max.messages.kbytes (64 MB per partition) still
       bounds the memory. Both can be set with 'kafka.<name>'. */
    const char *defaults[] = {"group.id",
                              group ? group : gid,
                              "auto.offset.reset",
                              reset,
                              "enable.auto.commit",
                              "false",
                              "enable.auto.offset.store",
                              "false",
                              "enable.partition.eof",
                              k->bounded ? "true" : "false",
                              "queued.min.messages",
                              "1000000",
                              NULL};
    rd_kafka_conf_t *c = vk_conf(rt, name, props, defaults, 0);
    if (!c) goto fail;
    /* a checkpointed source commits what its checkpoints cover, nothing
       else, whatever 'kafka.enable.auto.commit' says */
    if (k->ckpt && vk_conf_set(rt, c, name, "enable.auto.commit", "false")) {
        rd_kafka_conf_destroy(c);
        goto fail;
    }
    rd_kafka_conf_set_rebalance_cb(c, vk_rebalance);
    rd_kafka_conf_set_opaque(c, k);
    k->rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
    if (!k->rk) {
        snprintf(msg, sizeof msg, "source '%s': %s", name, err);
        velo_config_error(rt, msg);
        goto fail;
    }
    rd_kafka_poll_set_consumer(k->rk);

    const char *dlt = velo_rt_prop(rt, name, props, "dead_letter.topic");
    if (dlt && *dlt) {
        const char *pdef[] = {"enable.idempotence", "true", "linger.ms", "5", NULL};
        rd_kafka_conf_t *pc = vk_conf(rt, name, props, pdef, 1);
        if (!pc) goto fail;
        rd_kafka_conf_set_dr_msg_cb(pc, vk_dlq_dr);
        rd_kafka_conf_set_opaque(pc, k);
        k->dlq_topic = vk_strdup(dlt);
        /* the summary outlives the source: keep a copy in the job arena */
        k->st->dl_topic = va_strdup(&rt->perm, (vstr){dlt, (i64)strlen(dlt) + 1}).p;
        k->dlq = rd_kafka_new(RD_KAFKA_PRODUCER, pc, err, sizeof err);
        if (!k->dlq) {
            snprintf(msg, sizeof msg, "source '%s': dead_letter.topic: %s", name, err);
            velo_config_error(rt, msg);
            goto fail;
        }
    }

    if (k->bounded || k->ckpt) {
        if (vk_assign_all(k, reset)) goto fail;
    } else {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(l, k->topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t e = rd_kafka_subscribe(k->rk, l);
        rd_kafka_topic_partition_list_destroy(l);
        if (e) {
            snprintf(msg, sizeof msg, "source '%s': subscribe to '%.200s': %s", name, k->topic, rd_kafka_err2str(e));
            velo_config_error(rt, msg);
            goto fail;
        }
    }
    return s;
fail:
    /* k stays on the list: vkafka_finish() destroys the handles */
    k->closed = 1;
    free(s->cols);
    free(s->colen);
    free(s->needed);
    free(s);
    return NULL;
}

static void vk_num(vkafka_src *k, int i, vfield *f, long long v)
{
    f->n = snprintf(k->num[i], 32, "%lld", v);
    f->p = k->num[i];
    f->kind = VF_NUM;
}

static void vk_fill_sys(vkafka_src *k, vfield *f)
{
    rd_kafka_message_t *m = k->msg;
    for (int i = 0; i < k->ncols; i++) {
        if (!k->sys[i] || !k->needed[i]) continue;
        vfield *x = &f[i];
        x->kind = VF_NULL;
        switch (k->sys[i]) {
        case VK_SYS_KEY:
            if (m->key) {
                x->p = m->key;
                x->n = (i64)m->key_len;
                x->kind = VF_TEXT;
            }
            break;
        case VK_SYS_PARTITION: vk_num(k, i, x, m->partition); break;
        case VK_SYS_OFFSET: vk_num(k, i, x, (long long)m->offset); break;
        case VK_SYS_TIMESTAMP: {
            rd_kafka_timestamp_type_t tt;
            int64_t ts = rd_kafka_message_timestamp(m, &tt);
            if (ts >= 0) vk_num(k, i, x, (long long)ts);
            break;
        }
        case VK_SYS_TOPIC:
            x->p = k->topic;
            x->n = (i64)strlen(k->topic);
            x->kind = VF_TEXT;
            break;
        case VK_SYS_HEADER: {
            rd_kafka_headers_t *h;
            const void *v;
            size_t vn;
            if (!rd_kafka_message_headers(m, &h) && !rd_kafka_header_get_last(h, k->hdr[i], &v, &vn) && v) {
                x->p = v;
                x->n = (i64)vn;
                x->kind = VF_TEXT;
            }
            break;
        }
        }
    }
}

/* Next record of the current message into f; 0 when the message is done. */
static int vk_decode(vkafka_src *k, vfield *f)
{
    velo_src *in = k->in;
    vfield *dst = k->identity ? f : k->fin;
    int r = k->fmt == VSRC_JSON       ? vjson_doc_next(in, dst)
            : k->fmt == VSRC_JSONL    ? vjson_next(in, dst)
            : k->fmt == VSRC_PROTOBUF ? vpb_src_next(in, dst)
                                      : vcsv_next(in, dst);
    if (!r) return 0;
    if (!k->identity)
        for (int j = 0; j < in->ncols; j++) f[k->map[j]] = dst[j];
    vk_fill_sys(k, f);
    return 1;
}

/* Loads a message into the decoder's buffer (terminated, as file blocks are). */
static void vk_load(vkafka_src *k, rd_kafka_message_t *m)
{
    velo_src *in = k->in;
    size_t n = m->len;
    if (n > in->cap) {
        size_t cap = in->cap;
        while (cap < n) cap *= 2;
        free(in->buf);
        in->buf = malloc(cap + 1);
        if (!in->buf) vk_oom();
        in->cap = cap;
    }
    if (n) memcpy(in->buf, m->payload, n);
    in->buf[n] = 0;
    in->pos = 0;
    in->end = n;
    in->line = 0;
    in->doc_state = 0;
    k->st->bytes += (i64)n;
}

static void vk_part_done(vkafka_src *k, int p)
{
    if (p >= k->nparts || k->done[p]) return;
    k->done[p] = 1;
    k->left--;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, k->topic, p);
    rd_kafka_pause_partitions(k->rk, l);
    rd_kafka_topic_partition_list_destroy(l);
}

/* Generated code checks for a due checkpoint every 1024 records, which on
 * a slow topic can be long after the interval, and on an idle one never:
 * the offsets would not be committed, nor an 'exactly.once' sink's rows
 * become visible. So the source also takes one when it needs a new batch
 * (every record handed out is processed then) and the interval has passed
 * since the last checkpoint with messages taken since. */
static void vk_ckpt_between(vkafka_src *k)
{
    struct velo_rt_priv *p = k->rt->priv;
    if (!k->since_ckpt || !p->ckpt_interval_us) return;
    i64 now = vt_now();
    if (!p->ckpt_last) p->ckpt_last = now;
    if (now - p->ckpt_last < p->ckpt_interval_us) return;
    p->ckpt_last = now;
    velo_ckpt *c = velo_ckpt_begin(k->rt, k->outer, k->ck_job, k->ck_stmt);
    if (!c) return;
    k->ck_fn(k->rt, c, 0);
    velo_ckpt_commit(c);
}

/* The first message of a partition restored from a checkpoint taken in the
 * middle of it: its records up to the checkpoint were processed before, so
 * they are decoded again without acting on them (no dead letters, no
 * counts). */
static void vk_skip(vkafka_src *k, int p, vfield *f)
{
    if (k->msg->offset == k->skip_at[p]) {
        i64 n = k->st->n;
        int was = velo_replaying(k->rt, 1);
        while (k->msg_recs < k->skip[p] && vk_decode(k, f)) k->msg_recs++;
        velo_replaying(k->rt, was);
        k->st->n = n;
    }
    k->skip[p] = 0;
}

/* The next message of the consumer queue (NULL after 100 ms without one),
 * fetched VK_BATCH at a time. A rebalance served inside the batch call
 * revokes partitions after their offsets were committed: their messages
 * in this batch are dropped, the new owner reads them from that commit. */
static rd_kafka_message_t *vk_next_message(vkafka_src *k)
{
    if (k->bi < k->bn) return k->batch[k->bi++];
    if (!k->queue) k->queue = rd_kafka_queue_get_consumer(k->rk);
    k->revoke_seen = 0;
    int timeout = k->nowait ? k->wait_ms : 100;
    k->wait_ms = 0; /* a poll waits once, then only takes what is there */
    ssize_t n = rd_kafka_consume_batch_queue(k->queue, timeout, k->batch, VK_BATCH);
    k->bi = 0;
    k->bn = n > 0 ? (int)n : 0;
    if (k->revoke_seen) {
        int w = 0;
        for (int i = 0; i < k->bn; i++) {
            rd_kafka_message_t *m = k->batch[i];
            if (!m->err && m->partition < k->nparts && k->revoked[m->partition]) rd_kafka_message_destroy(m);
            else k->batch[w++] = m;
        }
        k->bn = w;
    }
    return k->bi < k->bn ? k->batch[k->bi++] : NULL;
}

int vkafka_src_next(velo_src *s, vfield *f)
{
    vkafka_src *k = s->kafka;
    velo_rt *rt = k->rt;
    if (k->was_done) return 0;
    for (;;) {
        if (k->in_msg) {
            if (vk_decode(k, f)) {
                k->msg_recs++;
                return 1;
            }
            k->in_msg = 0;
        }
        if (velo_stopped(rt)) return 0;
        if (k->ckpt && !k->started && vk_start(k)) return 0;
        if (k->ck_fn && k->bi >= k->bn) vk_ckpt_between(k);
        if (!k->bounded && !k->ckpt &&
            (k->since_commit >= k->commit_every || ((k->since_commit & 255) == 0 && velo_now_sec() - k->last_commit >= k->commit_sec)))
            vk_commit(k);
        if (k->bounded && k->left <= 0) return 0;
        if (k->msg) {
            rd_kafka_message_destroy(k->msg);
            k->msg = NULL;
        }
        rd_kafka_message_t *m = vk_next_message(k);
        if (!m && k->nowait) return -1;
        if (!m) {
            if (!k->bounded && !k->ckpt && k->since_commit && velo_now_sec() - k->last_commit >= k->commit_sec) vk_commit(k);
            continue;
        }
        if (m->err) {
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                if (k->bounded && m->partition < k->nparts && m->offset >= k->end[m->partition]) vk_part_done(k, m->partition);
            } else if (m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                       m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || m->err == RD_KAFKA_RESP_ERR__FATAL) {
                char msg[600];
                snprintf(msg, sizeof msg, "source '%s': topic '%.200s': %s", k->name, k->topic, rd_kafka_message_errstr(m));
                velo_fatal(rt, msg);
            } else {
                velo_progress_clear(rt);
                fprintf(stderr, "velo: warning: source '%s': %s\n", k->name, rd_kafka_message_errstr(m));
            }
            rd_kafka_message_destroy(m);
            continue;
        }
        int p = m->partition;
        vk_parts(k, p);
        if (k->bounded && m->offset >= k->end[p]) {
            vk_part_done(k, p);
            rd_kafka_message_destroy(m);
            continue;
        }
        k->next_off[p] = m->offset + 1;
        k->dirty[p] = 1;
        k->since_commit++;
        if (k->bounded && m->offset + 1 >= k->end[p]) vk_part_done(k, p);
        k->msg = m;
        vk_load(k, m);
        k->in_msg = 1;
        k->msg_recs = 0;
        k->since_ckpt++;
        if (k->skip[p]) vk_skip(k, p, f);
        if ((k->st->n & 0xffff) == 0xffff) velo_progress(rt);
    }
}

int vkafka_src_poll(velo_src *s, vfield *f, int wait_ms)
{
    vkafka_src *k = s->kafka;
    k->nowait = 1;
    k->wait_ms = wait_ms > 0 ? wait_ms : 0;
    int r = vsrc_next(s, f);
    k->nowait = 0;
    return r;
}

void vkafka_src_close(velo_src *s)
{
    vkafka_src *k = s->kafka;
    if (!k) return;
    k->closed = 1;
    k->in_msg = 0;
    if (k->msg) { /* dead letters after the scan carry no message context */
        rd_kafka_message_destroy(k->msg);
        k->msg = NULL;
    }
    s->kafka = NULL;
}

void vkafka_finish(velo_rt *rt)
{
    struct velo_rt_priv *p = rt->priv;
    vkafka_out *txn = p->kafka_txn;
    if (txn) {
        /* the last transaction: rows of the closed sink plus every offset */
        if (!p->failed && !txn->failed)
            for (vkafka_src *k = p->kafka_srcs; k; k = k->next)
                if (k->dlq)
                    while (rd_kafka_outq_len(k->dlq) > 0 && !k->dlq_err) rd_kafka_flush(k->dlq, 1000);
        /* a checkpointed statement that did not finish: its rows after the
           last checkpoint come again from the restart, so they must not
           become visible now */
        int pending = 0;
        for (vkafka_src *k = p->kafka_srcs; k; k = k->next) pending |= k->ckpt && !k->ck_final;
        if (!p->failed && !txn->failed && !pending && vkafka_out_flush(txn) == 0) vk_txn_commit(rt, 0);
        if (txn->txn_open) { /* failed job: its rows never become visible */
            rd_kafka_error_t *e = rd_kafka_abort_transaction(txn->rk, 30000);
            if (e) rd_kafka_error_destroy(e);
        }
        p->kafka_txn = NULL;
        vk_out_free(txn);
    }
    for (vkafka_src *k = p->kafka_srcs, *next; k; k = next) {
        next = k->next;
        if (k->rk && !p->failed && !k->ckpt) vk_commit(k); /* checkpointed: see vkafka_ckpt_finish */
        if (k->dlq) {
            if (!p->failed)
                while (rd_kafka_outq_len(k->dlq) > 0 && !k->dlq_err) rd_kafka_flush(k->dlq, 1000);
            rd_kafka_destroy(k->dlq);
        }
        if (k->msg) {
            rd_kafka_message_destroy(k->msg);
            k->msg = NULL;
        }
        while (k->bi < k->bn) rd_kafka_message_destroy(k->batch[k->bi++]);
        if (k->queue) {
            rd_kafka_queue_destroy(k->queue);
            k->queue = NULL;
        }
        if (k->rk) {
            rd_kafka_consumer_close(k->rk);
            rd_kafka_destroy(k->rk);
        }
        if (k->st) k->st->kafka = NULL;
        vk_src_free(k);
    }
    p->kafka_srcs = NULL;
}

/* ---- source: checkpoints (checkpoint.c) --------------------------------------
 * A checkpoint records, per partition, the offset to resume from, how many
 * records of the message at that offset were already processed (a message
 * may hold several: JSON arrays, JSON Lines, CSV lines) and, when bounded,
 * the end offset the job reads up to. Offsets go to the consumer group only
 * once the checkpoint holding them is durable. */

int vkafka_ckpt_on(const vkafka_src *k)
{
    return k && k->ckpt;
}

/* Everything the records so far produced must be out before a checkpoint
 * says they are done: a restart does not produce it again. */
int vkafka_ckpt_prepare(vkafka_src *k)
{
    if (velo_flush_sinks(k->rt) != 0) return -1;
    if (k->dlq) {
        while (rd_kafka_outq_len(k->dlq) > 0 && !k->dlq_err) rd_kafka_flush(k->dlq, 1000);
        if (k->dlq_err) return -1;
    }
    return 0;
}

void vkafka_ckpt_hook(vkafka_src *k, velo_src *outer, velo_ckpt_fn fn, u64 job, int stmt)
{
    k->ck_fn = fn;
    k->outer = outer;
    k->ck_job = job;
    k->ck_stmt = stmt;
}

int vkafka_ckpt_position(vkafka_src *k, i64 **pos)
{
    int n = k->tparts;
    k->since_ckpt = 0;
    i64 *v = vk_calloc((size_t)n * 3, sizeof *v);
    for (int p = 0; p < n; p++) {
        v[3 * p] = k->next_off[p];
        if (k->in_msg && k->msg && k->msg->partition == p) { /* the message being decoded */
            v[3 * p] = k->msg->offset;
            v[3 * p + 1] = k->msg_recs;
        } else if (k->skip[p]) { /* restored mid-message, not reached again yet */
            v[3 * p + 1] = k->skip[p];
        }
        v[3 * p + 2] = k->end[p];
    }
    *pos = v;
    return n;
}

void vkafka_ckpt_restore(vkafka_src *k, const i64 *pos, int n)
{
    for (int p = 0; p < n && p < k->tparts; p++) {
        if (pos[3 * p] < 0) continue;
        k->next_off[p] = k->ck_off[p] = pos[3 * p];
        k->skip[p] = pos[3 * p + 1] > 0 ? pos[3 * p + 1] : 0;
        k->skip_at[p] = pos[3 * p];
        /* a bounded job reads up to the end offsets of the run that began
           it, not of this restart: the input is the same. An unbounded
           job restarted bounded (--set x.scan.bounded.mode=latest-offset)
           drains up to the end offsets of now. */
        if (k->bounded && pos[3 * p + 2] != VELO_I64_MAX) k->end[p] = pos[3 * p + 2];
    }
}

static int vk_ckpt_commit_group(vkafka_src *k, int async)
{
    rd_kafka_topic_partition_list_t *l = vk_offsets(k);
    if (!l) return 0;
    rd_kafka_resp_err_t e = rd_kafka_commit(k->rk, l, async);
    rd_kafka_topic_partition_list_destroy(l);
    if (e) {
        /* not fatal: the checkpoint, not the group, says where to resume */
        velo_progress_clear(k->rt);
        fprintf(stderr, "velo: warning: source '%s': committing offsets: %s\n", k->name, rd_kafka_err2str(e));
        return -1;
    }
    return 0;
}

static int vk_txn_open(velo_rt *rt)
{
    vkafka_out *o = rt->priv->kafka_txn;
    return o && o->txn_open && !o->failed;
}

int vkafka_txn_active(velo_rt *rt)
{
    return vk_txn_open(rt) && !rt->priv->kafka_txn->closed;
}

/* The checkpoint with these offsets is durable: commit them, in the
 * transaction of the 'exactly.once' sink when there is one (its rows up to
 * here become visible together with the offsets), else to the group. */
int vkafka_ckpt_committed(vkafka_src *k, const i64 *pos, int n)
{
    for (int p = 0; p < n && p < k->nparts; p++) k->ck_off[p] = pos[3 * p];
    if (vk_txn_open(k->rt)) return vk_txn_commit(k->rt, 1);
    return vk_ckpt_commit_group(k, 1);
}

/* Whether the group's committed offsets are the ones in pos: 1 yes, 0 no,
 * -1 the group has no committed offset on the topic, -2 they cannot be read. */
int vkafka_ckpt_matches(vkafka_src *k, const i64 *pos, int n)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n > 0 ? n : 1);
    for (int p = 0; p < n; p++) rd_kafka_topic_partition_list_add(l, k->topic, p);
    rd_kafka_resp_err_t e = rd_kafka_committed(k->rk, l, 10000);
    int same = 1, any = 0;
    for (int i = 0; !e && i < l->cnt; i++) {
        int p = l->elems[i].partition;
        any |= l->elems[i].offset >= 0;
        same &= l->elems[i].offset == pos[3 * p];
    }
    rd_kafka_topic_partition_list_destroy(l);
    return e ? -2 : !any ? -1 : same;
}

/* The checkpointed source of the statement that just ended, before
 * vkafka_ckpt_finish commits its last offsets; NULL when there is none. */
vkafka_src *vkafka_ckpt_ending(velo_rt *rt)
{
    for (vkafka_src *k = rt->priv->kafka_srcs; k; k = k->next)
        if (k->ckpt && k->closed && !k->ck_final && k->rk) return k;
    return NULL;
}

int vkafka_txn_pending(velo_rt *rt)
{
    return vk_txn_open(rt);
}

/* A restart found that the statement had finished and its last transaction
 * committed (only its done marker was missing): it reads nothing, and the
 * rows its operators make from no input (a global aggregate's one row) are
 * dropped; what is left is to commit the same offsets again and write the
 * marker. */
void vkafka_ckpt_was_done(vkafka_src *k, const i64 *pos, int n)
{
    vkafka_ckpt_restore(k, pos, n);
    for (int p = 0; p < k->nparts; p++) k->skip[p] = 0;
    k->was_done = 1;
    if (k->rt->priv->kafka_txn) k->rt->priv->kafka_txn->discard = 1;
}

/* A checkpointed statement ended with its sink closed: every record handed
 * out is written, so its offsets are committed (with the transaction of the
 * 'exactly.once' sink, which commits here) before the statement's done
 * marker. */
int vkafka_ckpt_finish(velo_rt *rt)
{
    int rc = 0;
    for (vkafka_src *k = rt->priv->kafka_srcs; k; k = k->next) {
        if (!k->ckpt || !k->closed || k->ck_final || !k->rk) continue;
        if (vkafka_ckpt_prepare(k) != 0) return -1;
        for (int p = 0; p < k->nparts; p++) k->ck_off[p] = k->next_off[p];
        k->ck_final = 1;
        if (vk_txn_open(rt)) rc |= vk_txn_commit(rt, 1);
        else vk_ckpt_commit_group(k, 0); /* a failure is a warning: the next run reads them again */
    }
    return rc;
}

/* ---- sink ----------------------------------------------------------------- */

static void vk_out_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    vkafka_out *k = opaque;
    if (m->err && !k->failed) {
        char msg[700];
        k->failed = 1;
        snprintf(msg, sizeof msg, "sink '%s': delivery to topic '%.200s' failed: %s", k->name, k->topic, rd_kafka_err2str(m->err));
        velo_fatal(k->rt, msg);
    }
}

static void vk_out_free(vkafka_out *k)
{
    if (k->rkt) rd_kafka_topic_destroy(k->rkt);
    if (k->rk) rd_kafka_destroy(k->rk);
    vbuf_free(&k->prefix);
    vbuf_free(&k->kb);
    free(k->pre_off);
    free(k->iskey);
    free(k->vp);
    free(k->vn);
    free(k->name);
    free(k->topic);
    free(k);
}

/* 'key.columns': comma-separated output column names. */
static int vk_key_columns(vkafka_out *k, const char *spec, const char *const *names)
{
    char msg[600];
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *s = p;
        while (*p && *p != ',') p++;
        const char *e = p;
        while (e > s && e[-1] == ' ') e--;
        if (e == s) continue;
        int c = -1;
        for (int i = 0; i < k->ncols && c < 0; i++)
            if (strlen(names[i]) == (size_t)(e - s) && !strncasecmp(names[i], s, (size_t)(e - s))) c = i;
        if (c < 0) {
            snprintf(msg, sizeof msg, "sink '%s': key.columns names '%.*s', which is not an output column", k->name, (int)(e - s), s);
            velo_config_error(k->rt, msg);
            return -1;
        }
        if (!k->iskey[c]) {
            k->iskey[c] = (u8)(++k->nkeys);
            if (c + 1 > k->maxkey) k->maxkey = c + 1;
        }
    }
    return 0;
}

vkafka_out *vkafka_out_open(velo_rt *rt, const char *name, const char *const *props, int ncols, const char *const *names, int csv)
{
    char msg[700], err[512];
    const char *topic = velo_rt_prop(rt, name, props, "topic");
    if (!topic || !*topic) {
        snprintf(msg, sizeof msg, "sink '%s': property 'topic' is required", name);
        velo_config_error(rt, msg);
        return NULL;
    }
    vkafka_out *k = vk_calloc(1, sizeof *k);
    k->rt = rt;
    k->name = vk_strdup(name);
    k->topic = vk_strdup(topic);
    k->csv = csv;
    k->ncols = ncols;
    k->iskey = vk_calloc((size_t)ncols + 1, 1);
    k->vp = vk_calloc((size_t)ncols + 1, sizeof(char *));
    k->vn = vk_calloc((size_t)ncols + 1, sizeof(size_t));
    k->pre_off = vk_calloc((size_t)ncols + 1, sizeof(size_t));
    for (int c = 0; c < ncols; c++) { /* the same prefixes sink.c writes */
        k->pre_off[c] = k->prefix.n;
        vbuf_putc(&k->prefix, c ? ',' : '{');
        vjson_put_str(&k->prefix, names[c], (i64)strlen(names[c]));
        vbuf_putc(&k->prefix, ':');
    }
    k->pre_off[ncols] = k->prefix.n;
    const char *keys = velo_rt_prop(rt, name, props, "key.columns");
    if (keys && vk_key_columns(k, keys, names)) goto fail;
    /* librdkafka retries failed produce requests itself (until
     * message.timeout.ms); 'retry.initial.delay' sets its backoff. */
    vretry rp;
    char backoff[32];
    if (vretry_config(&rp, rt, name, props)) goto fail;
    snprintf(backoff, sizeof backoff, "%lld", rp.initial_us >= 1000 ? rp.initial_us / 1000 : 1);
    const char *eos = velo_rt_prop(rt, name, props, "exactly.once");
    k->txn = eos && !strcasecmp(eos, "true");
    if (k->txn && rt->priv->kafka_txn) {
        snprintf(msg, sizeof msg, "sink '%s': 'exactly.once' is supported on one Kafka sink per job", name);
        velo_config_error(rt, msg);
        goto fail;
    }
    char tid[300];
    snprintf(tid, sizeof tid, "veloc-%s", name);
    const char *defaults[] = {"enable.idempotence",
                              "true",
                              "linger.ms",
                              "5",
                              "batch.num.messages",
                              "10000",
                              "retry.backoff.ms",
                              backoff,
                              k->txn ? "transactional.id" : NULL,
                              tid,
                              NULL};
    rd_kafka_conf_t *c = vk_conf(rt, name, props, defaults, 0);
    if (!c) goto fail;
    rd_kafka_conf_set_dr_msg_cb(c, vk_out_dr);
    rd_kafka_conf_set_opaque(c, k);
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!k->rk) {
        snprintf(msg, sizeof msg, "sink '%s': %s", name, err);
        velo_config_error(rt, msg);
        goto fail;
    }
    k->rkt = rd_kafka_topic_new(k->rk, k->topic, NULL);
    if (k->txn) {
        /* fences an older instance with the same transactional.id and aborts
         * the transaction it left open */
        rd_kafka_error_t *e = rd_kafka_init_transactions(k->rk, 60000);
        if (e) {
            snprintf(msg, sizeof msg, "sink '%s': init transactions: %s", name, rd_kafka_error_string(e));
            rd_kafka_error_destroy(e);
            velo_config_error(rt, msg);
            goto fail;
        }
        rt->priv->kafka_txn = k;
        if (vk_txn_begin(rt, k)) {
            rt->priv->kafka_txn = NULL;
            goto fail;
        }
    }
    return k;
fail:
    vk_out_free(k);
    return NULL;
}

/* Value spans of the key columns of a JSON row written by sink.c. */
static int vk_scan_json(vkafka_out *k, const char *row, size_t n)
{
    const char *p = row, *e = row + n;
    for (int c = 0; c < k->maxkey; c++) {
        size_t pl = k->pre_off[c + 1] - k->pre_off[c];
        if ((size_t)(e - p) < pl || memcmp(p, k->prefix.p + k->pre_off[c], pl)) return -1;
        p += pl;
        const char *s = p;
        if (p < e && *p == '"') {
            for (p++; p < e && *p != '"'; p++)
                if (*p == '\\') p++;
            p++;
        } else {
            while (p < e && *p != ',' && *p != '}') p++;
        }
        if (p > e) return -1;
        k->vp[c] = s;
        k->vn[c] = (size_t)(p - s);
    }
    return 0;
}

static int vk_hex(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10 : 0;
}

/* The text of one JSON value as written by sink.c (strings unescaped; null
 * is empty). */
static void vk_put_json_text(velo_buf *b, const char *p, size_t n)
{
    if (n == 4 && !memcmp(p, "null", 4)) return;
    if (!n || *p != '"') {
        vbuf_put(b, p, n);
        return;
    }
    const char *e = p + n - 1;
    for (p++; p < e; p++) {
        if (*p != '\\') {
            vbuf_putc(b, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n': vbuf_putc(b, '\n'); break;
        case 't': vbuf_putc(b, '\t'); break;
        case 'r': vbuf_putc(b, '\r'); break;
        case 'u': /* sink.c writes \u00XX for control and non-UTF-8 bytes */
            if (e - p >= 5) vbuf_putc(b, (char)(vk_hex(p[3]) * 16 + vk_hex(p[4])));
            p += 4;
            break;
        default: vbuf_putc(b, *p); break;
        }
    }
}

/* Value spans of the key columns of a CSV row (sink.c quoting). */
static int vk_scan_csv(vkafka_out *k, const char *row, size_t n)
{
    const char *p = row, *e = row + n;
    for (int c = 0; c < k->maxkey; c++) {
        const char *s = p;
        if (p < e && *p == '"') {
            for (p++; p < e; p++)
                if (*p == '"') {
                    if (p + 1 < e && p[1] == '"') p++;
                    else break;
                }
            p++;
        } else {
            while (p < e && *p != ',') p++;
        }
        if (p > e) return -1;
        k->vp[c] = s;
        k->vn[c] = (size_t)(p - s);
        p++;
    }
    return 0;
}

static void vk_put_csv_text(velo_buf *b, const char *p, size_t n)
{
    if (!n || *p != '"') {
        vbuf_put(b, p, n);
        return;
    }
    for (const char *e = p + n - 1, *q = p + 1; q < e; q++) {
        vbuf_putc(b, *q);
        if (*q == '"') q++;
    }
}

void vkafka_out_row(vkafka_out *k, const char *row, size_t n)
{
    const char *key = NULL;
    size_t kn = 0;
    if (k->nkeys) {
        int rc = k->csv ? vk_scan_csv(k, row, n) : vk_scan_json(k, row, n);
        k->kb.n = 0;
        if (!rc) {
            int null_key = 0;
            for (int i = 1; i <= k->nkeys; i++)
                for (int c = 0; c < k->maxkey; c++) {
                    if (k->iskey[c] != i) continue;
                    if (i > 1) vbuf_putc(&k->kb, '|');
                    int is_null = k->csv ? k->vn[c] == 0 : (k->vn[c] == 4 && !memcmp(k->vp[c], "null", 4));
                    null_key = k->nkeys == 1 && is_null;
                    if (k->csv) vk_put_csv_text(&k->kb, k->vp[c], k->vn[c]);
                    else vk_put_json_text(&k->kb, k->vp[c], k->vn[c]);
                }
            if (!null_key) {
                key = k->kb.n ? k->kb.p : "";
                kn = k->kb.n;
            }
        }
    }
    vkafka_out_msg(k, row, n, key, kn);
}

const u8 *vkafka_out_keys(const vkafka_out *k, int *nkeys)
{
    *nkeys = k->nkeys;
    return k->iskey;
}

void vkafka_out_msg(vkafka_out *k, const char *row, size_t n, const char *key, size_t kn)
{
    if (k->discard) return;
    while (rd_kafka_produce(k->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, (void *)row, n, key, kn, NULL) != 0) {
        rd_kafka_resp_err_t e = rd_kafka_last_error();
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(k->rk, 10);
            continue;
        }
        if (!k->failed) {
            char msg[700];
            k->failed = 1;
            snprintf(msg, sizeof msg, "sink '%s': producing to topic '%.200s': %s", k->name, k->topic, rd_kafka_err2str(e));
            velo_fatal(k->rt, msg);
        }
        return;
    }
    if ((++k->rows & 1023) == 0) rd_kafka_poll(k->rk, 0);
}

int vkafka_out_flush(vkafka_out *k)
{
    while (rd_kafka_outq_len(k->rk) > 0 && !k->failed) rd_kafka_flush(k->rk, 1000);
    return k->failed ? -1 : 0;
}

int vkafka_out_close(vkafka_out *k)
{
    if (!k) return 0;
    if (k->txn && k->rt->priv->kafka_txn == k) {
        /* the last transaction commits in vkafka_finish(), with the offsets */
        k->closed = 1;
        return vkafka_out_flush(k);
    }
    int rc = vkafka_out_flush(k);
    vk_out_free(k);
    return rc;
}

/* Partitions of the topic this consumer has been assigned (for the
 * per-partition watermark): assigned[p] = 1 for p < cap; returns how many. */
int vkafka_assigned(vkafka_src *k, u8 *assigned, int cap)
{
    rd_kafka_topic_partition_list_t *l = NULL;
    memset(assigned, 0, (size_t)cap);
    if (!k || !k->rk || rd_kafka_assignment(k->rk, &l) || !l) return 0;
    int n = 0;
    for (int i = 0; i < l->cnt; i++) {
        int p = l->elems[i].partition;
        if (p >= 0 && p < cap) {
            assigned[p] = 1;
            n++;
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
    return n;
}
