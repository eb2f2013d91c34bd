/*
 * kafka.h -- the Kafka connector (runtime/kafka.c): a kafka_source behind
 * vsrc_open/vsrc_next and a kafka_sink behind vout_open/vout_end, both on
 * librdkafka. source.c and sink.c dispatch here when a relation's 'type' is
 * kafka_source or kafka_sink; rt.c calls the dead-letter and end-of-job hooks.
 *
 * Not part of velo.h: generated code never sees librdkafka.
 */
#ifndef VELO_KAFKA_H
#define VELO_KAFKA_H

#include "velo_internal.h"

typedef struct vkafka_src vkafka_src;
typedef struct vkafka_out vkafka_out;

/* ---- source (source.c dispatches kind VSRC_KAFKA here) ------------------ */
velo_src *vkafka_src_open(velo_rt *rt, int op_id, const char *name, const char *const *props, int ncols, const char *const *cols,
                          const u8 *needed);
int vkafka_src_next(velo_src *s, vfield *f);
/* vsrc_poll for Kafka: -1 when no message arrived within wait_ms. */
int vkafka_src_poll(velo_src *s, vfield *f, int wait_ms);
/* End of the scan. The consumer stays open until vkafka_finish(): offsets are
 * committed only once every sink of the job is closed (aggregates emit after
 * the scan ends). Frees what vsrc_free does not. */
void vkafka_src_close(velo_src *s);

/* ---- checkpoints (checkpoint.c) ------------------------------------------
 * A source with 'checkpoint.interval' and 'checkpoint.dir' is assigned every
 * partition of its topic by hand (no group membership, no rebalance) and
 * commits offsets only after a checkpoint holding them is durable. */
int vkafka_ckpt_on(const vkafka_src *k);
/* Flushes every sink and the dead-letter producer; -1 on failure. */
int vkafka_ckpt_prepare(vkafka_src *k);
/* The position to save: per partition {offset to resume from, records of the
 * message at that offset already processed, end offset}; *pos is malloc'ed
 * (3 x n values); returns n. */
int vkafka_ckpt_position(vkafka_src *k, i64 **pos);
/* Before the first record: resume from a saved position. */
void vkafka_ckpt_restore(vkafka_src *k, const i64 *pos, int n);
/* The checkpoint holding pos is durable: commit its offsets (with the
 * transaction of the 'exactly.once' sink when one is open). */
int vkafka_ckpt_committed(vkafka_src *k, const i64 *pos, int n);
/* 1 when the group's committed offsets are pos, 0 when not, -1 when the
 * group has none, -2 when they cannot be read. */
int vkafka_ckpt_matches(vkafka_src *k, const i64 *pos, int n);
/* End of a checkpointed statement: commit every offset handed out. */
int vkafka_ckpt_finish(velo_rt *rt);
/* The statement's checkpointed source that just ended, before
 * vkafka_ckpt_finish; NULL if none. */
vkafka_src *vkafka_ckpt_ending(velo_rt *rt);
/* The offsets will commit with an 'exactly.once' sink's transaction. */
int vkafka_txn_pending(velo_rt *rt);
/* On restart: the statement had finished and committed everything up to
 * pos; read nothing and drop what the operators emit. */
void vkafka_ckpt_was_done(vkafka_src *k, const i64 *pos, int n);
/* The statement's checkpoint function, for checkpoints between batches. */
void vkafka_ckpt_hook(vkafka_src *k, velo_src *outer, velo_ckpt_fn fn, u64 job, int stmt);
/* An 'exactly.once' sink is open in the running statement. */
int vkafka_txn_active(velo_rt *rt);

/* ---- sink (sink.c) ------------------------------------------------------- */
vkafka_out *vkafka_out_open(velo_rt *rt, const char *name, const char *const *props, int ncols, const char *const *names, int csv);
/* One formatted row (JSON object or CSV line, without the newline) becomes
 * one message; the key comes from 'key.columns'. */
void vkafka_out_row(vkafka_out *k, const char *row, size_t n);
/* protobuf.c: a message already encoded, with its key (NULL: none), and the
 * 'key.columns' positions (0: not a key, else 1-based order in the key). */
void vkafka_out_msg(vkafka_out *k, const char *val, size_t n, const char *key, size_t kn);
const u8 *vkafka_out_keys(const vkafka_out *k, int *nkeys);
/* Waits until every produced message is acknowledged. 0 ok, -1 after a
 * failed delivery (reported with velo_fatal). */
int vkafka_out_flush(vkafka_out *k);
int vkafka_out_close(vkafka_out *k); /* flush + destroy; 0 ok */

/* ---- hooks for rt.c ------------------------------------------------------ */
/* Sends the current record of a Kafka source to its 'dead_letter.topic'.
 * Returns 0 when sent, -1 when the source has no dead-letter topic. */
int vkafka_dead_letter(velo_stat *st, int op_id, const char *msg);
/* Appends ,"topic":..,"partition":..,"offset":.. of the current record. */
void vkafka_put_context(velo_buf *b, velo_stat *st);
/* End of the job: unless it failed, flushes sinks and dead-letter producers
 * and commits the offsets of every record read; closes the consumers. */
void vkafka_finish(velo_rt *rt);

/* ---- introspection (kafka_admin.c), for SHOW TOPICS / SHOW TOPIC DETAILS --
 * Rows go to the stdout sink in the job's --format. conf: extra librdkafka
 * key/value pairs (security settings), NULL-terminated, may be NULL. Every
 * broker request is bounded by VELO_KAFKA_ADMIN_MS (default 5000). Returns
 * 0, 1 when the broker cannot be reached or fails (message on stderr), 2 for
 * an unknown topic. like: SQL LIKE pattern, NULL = every non-internal topic. */
int vkadmin_show_topics(velo_rt *rt, const char *brokers, const char *const *conf, const char *like);
/* Three result sets: partitions (leader, replicas, ISR, offsets), topic
 * configuration (DescribeConfigs), consumer groups with committed offsets on
 * the topic and their lag per partition. */
int vkadmin_topic_details(velo_rt *rt, const char *brokers, const char *const *conf, const char *topic);

int vkafka_assigned(vkafka_src *k, u8 *assigned, int cap);

#endif
