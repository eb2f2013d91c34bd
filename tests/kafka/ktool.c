/*
 * ktool.c -- the Kafka test helper: probe the broker, create/delete topics,
 * produce generated or given messages, dump a topic. Built by kafka-up.sh
 * with librdkafka; talks to VELO_KAFKA_BROKERS (default 127.0.0.1:9092).
 *
 *   ktool probe
 *   ktool create TOPIC PARTITIONS
 *   ktool delete TOPIC...
 *   ktool gen TOPIC N PARTITIONS [BAD_EVERY]   generated JSON trades, key = id
 *   ktool lines TOPIC [PARTITION]              one message per stdin line;
 *                                              "key<TAB>value" if the line has a tab
 *   ktool dump TOPIC [--key] [--headers] [--meta] every message up to the end offsets
 *   ktool count TOPIC                          messages between low and high offsets
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *brokers(void)
{
    const char *b = getenv("VELO_KAFKA_BROKERS");
    return b && *b ? b : "127.0.0.1:9092";
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "ktool: %s: %s\n", what, why);
    exit(1);
}

static rd_kafka_t *client(rd_kafka_type_t type, const char **kv)
{
    char err[512];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", brokers(), err, sizeof err);
    rd_kafka_conf_set(c, "log_level", "3", err, sizeof err);
    for (; kv && kv[0]; kv += 2)
        if (rd_kafka_conf_set(c, kv[0], kv[1], err, sizeof err) != RD_KAFKA_CONF_OK) die(kv[0], err);
    rd_kafka_t *rk = rd_kafka_new(type, c, err, sizeof err);
    if (!rk) die("rd_kafka_new", err);
    return rk;
}

static int probe(void)
{
    const char *kv[] = {"socket.timeout.ms", "2000", NULL};
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, kv);
    const struct rd_kafka_metadata *md;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, NULL, &md, 2000);
    int ok = e == RD_KAFKA_RESP_ERR_NO_ERROR && md->broker_cnt > 0;
    if (!e) rd_kafka_metadata_destroy(md);
    rd_kafka_destroy(rk);
    return ok ? 0 : 1;
}

static void admin_wait(rd_kafka_t *rk, rd_kafka_queue_t *q, int create)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    if (!ev) die("admin", "timeout");
    if (rd_kafka_event_error(ev)) die("admin", rd_kafka_event_error_string(ev));
    size_t n = 0;
    const rd_kafka_topic_result_t **r = create ? rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n)
                                               : rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &n);
    for (size_t i = 0; i < n; i++) {
        rd_kafka_resp_err_t e = rd_kafka_topic_result_error(r[i]);
        if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS && e != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
            die(rd_kafka_topic_result_name(r[i]), rd_kafka_err2str(e));
    }
    rd_kafka_event_destroy(ev);
    (void)rk;
}

static int create(const char *topic, int parts)
{
    char err[256];
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, NULL);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_NewTopic_t *t = rd_kafka_NewTopic_new(topic, parts, 1, err, sizeof err);
    if (!t) die(topic, err);
    rd_kafka_CreateTopics(rk, &t, 1, NULL, q);
    admin_wait(rk, q, 1);
    rd_kafka_NewTopic_destroy(t);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return 0;
}

static int delete (int n, char **topics)
{
    rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, NULL);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_DeleteTopic_t **t = calloc((size_t)n, sizeof *t);
    for (int i = 0; i < n; i++) t[i] = rd_kafka_DeleteTopic_new(topics[i]);
    rd_kafka_DeleteTopics(rk, t, (size_t)n, NULL, q);
    admin_wait(rk, q, 0);
    rd_kafka_DeleteTopic_destroy_array(t, (size_t)n);
    free(t);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return 0;
}

static int failed;
static void on_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *op)
{
    (void)rk, (void)op;
    if (m->err && !failed++) fprintf(stderr, "ktool: delivery failed: %s\n", rd_kafka_err2str(m->err));
}

static rd_kafka_t *producer(void)
{
    const char *kv[] = {"linger.ms",
                        "20",
                        "batch.num.messages",
                        "10000",
                        "queue.buffering.max.messages",
                        "1000000",
                        "enable.idempotence",
                        "true",
                        "compression.type",
                        "lz4",
                        NULL};
    char err[256];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", brokers(), err, sizeof err);
    for (const char **p = kv; p[0]; p += 2)
        if (rd_kafka_conf_set(c, p[0], p[1], err, sizeof err)) die(p[0], err);
    rd_kafka_conf_set_dr_msg_cb(c, on_dr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!rk) die("producer", err);
    return rk;
}

static void produce(rd_kafka_t *rk, const char *topic, int part, const char *k, size_t kn, const char *v, size_t vn)
{
    for (;;) {
        rd_kafka_resp_err_t e =
            rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(part), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_KEY(k, kn), RD_KAFKA_V_VALUE((void *)v, vn), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(rk, 50);
            continue;
        }
        if (e) die("produce", rd_kafka_err2str(e));
        return;
    }
}

static int finish(rd_kafka_t *rk)
{
    if (rd_kafka_flush(rk, 120000)) die("flush", "timeout");
    rd_kafka_destroy(rk);
    return failed ? 1 : 0;
}

/* Deterministic trades; the test scripts recompute expectations from the
 * same formulas: sym = S(id % 10), qty = id % 100, price = (id % 1000)/100 + 1,
 * ts = 2026-03-02 00:00:00 + id ms. */
static int gen(const char *topic, long n, int parts, long bad_every)
{
    rd_kafka_t *rk = producer();
    char v[256], k[32];
    for (long i = 0; i < n; i++) {
        int kn = snprintf(k, sizeof k, "%ld", i), vn;
        if (bad_every > 0 && i % bad_every == bad_every - 1)
            vn = snprintf(v, sizeof v, "{\"id\":%ld,\"sym\":\"S%ld\",\"qty\":oops}", i, i % 10);
        else
            vn = snprintf(v, sizeof v,
                          "{\"id\":%ld,\"sym\":\"S%ld\",\"price\":\"%ld.%02ld\",\"qty\":%ld,"
                          "\"ts\":%lld}",
                          i, i % 10, i % 1000 / 100 + 1, i % 100, i % 100, 1772409600000LL + i);
        produce(rk, topic, (int)(i % parts), k, (size_t)kn, v, (size_t)vn);
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    return finish(rk);
}

static int lines(const char *topic, int part)
{
    rd_kafka_t *rk = producer();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        char *tab = strchr(line, '\t');
        if (tab) produce(rk, topic, part, line, (size_t)(tab - line), tab + 1, (size_t)(n - (tab + 1 - line)));
        else produce(rk, topic, part, NULL, 0, line, (size_t)n);
        rd_kafka_poll(rk, 0);
    }
    free(line);
    return finish(rk);
}

/* Low/high offsets of every partition of topic. */
static rd_kafka_topic_partition_list_t *offsets(rd_kafka_t *rk, const char *topic, long *total)
{
    const struct rd_kafka_metadata *md;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, 10000);
    if (e) die(topic, rd_kafka_err2str(e));
    if (md->topic_cnt != 1 || md->topics[0].err) die(topic, md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "no such topic");
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
    *total = 0;
    for (int i = 0; i < md->topics[0].partition_cnt; i++) {
        int64_t lo, hi;
        int p = md->topics[0].partitions[i].id;
        if ((e = rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 10000))) die("watermarks", rd_kafka_err2str(e));
        rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_add(l, topic, p);
        tp->offset = lo;
        tp->opaque = (void *)(intptr_t)hi;
        *total += (long)(hi - lo);
    }
    rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    return l;
}

static void put_escaped(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n') fputs("\\n", stdout);
        else if (c == '\t') fputs("\\t", stdout);
        else putchar(c);
    }
}

static int dump(const char *topic, int with_key, int with_headers, int with_meta)
{
    /* read_committed (librdkafka's default): aborted transactions and
     * transaction markers take offsets but are never delivered, so the end
     * is also reached when every partition reports EOF */
    const char *kv[] = {"group.id", "ktool-dump", "enable.auto.commit", "false", "enable.partition.eof", "true", NULL};
    rd_kafka_t *rk = client(RD_KAFKA_CONSUMER, kv);
    long total;
    rd_kafka_topic_partition_list_t *l = offsets(rk, topic, &total);
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_assign(rk, l);
    long seen = 0, idle = 0;
    int eofs = 0, *eof = calloc((size_t)l->cnt + 1, sizeof *eof);
    while (seen < total && idle < 200 && eofs < l->cnt) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m) {
            idle++;
            continue;
        }
        idle = 0;
        if (m->err) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) die("consume", rd_kafka_message_errstr(m));
            for (int i = 0; i < l->cnt; i++)
                if (l->elems[i].partition == m->partition && !eof[i]) {
                    eof[i] = 1;
                    eofs++;
                }
            rd_kafka_message_destroy(m);
            continue;
        }
        seen++;
        if (with_meta) printf("%d\t%lld\t", m->partition, (long long)m->offset);
        if (with_key) {
            if (m->key) put_escaped(m->key, m->key_len);
            else fputs("(null)", stdout);
            putchar('\t');
        }
        if (with_headers) {
            rd_kafka_headers_t *h = NULL;
            if (!rd_kafka_message_headers(m, &h)) {
                const char *name;
                const void *val;
                size_t vn;
                for (size_t i = 0; !rd_kafka_header_get_all(h, i, &name, &val, &vn); i++) {
                    printf("%s%s=", i ? "," : "", name);
                    put_escaped(val, vn);
                }
            }
            putchar('\t');
        }
        put_escaped(m->payload, m->len);
        putchar('\n');
        rd_kafka_message_destroy(m);
    }
    int all_eof = eofs == l->cnt;
    free(eof);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    if (seen < total && !all_eof) {
        fprintf(stderr, "ktool: dump of %s stopped at %ld of %ld messages\n", topic, seen, total);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (!strcmp(cmd, "probe")) return probe();
    if (!strcmp(cmd, "create") && argc == 4) return create(argv[2], atoi(argv[3]));
    if (!strcmp(cmd, "delete") && argc >= 3) return delete (argc - 2, argv + 2);
    if (!strcmp(cmd, "gen") && argc >= 5) return gen(argv[2], atol(argv[3]), atoi(argv[4]), argc > 5 ? atol(argv[5]) : 0);
    if (!strcmp(cmd, "lines") && argc >= 3) return lines(argv[2], argc > 3 ? atoi(argv[3]) : RD_KAFKA_PARTITION_UA);
    if (!strcmp(cmd, "dump") && argc >= 3) {
        int k = 0, h = 0, m = 0;
        for (int i = 3; i < argc; i++) {
            k |= !strcmp(argv[i], "--key");
            h |= !strcmp(argv[i], "--headers");
            m |= !strcmp(argv[i], "--meta");
        }
        return dump(argv[2], k, h, m);
    }
    if (!strcmp(cmd, "count") && argc == 3) {
        rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, NULL);
        long total;
        rd_kafka_topic_partition_list_destroy(offsets(rk, argv[2], &total));
        printf("%ld\n", total);
        rd_kafka_destroy(rk);
        return 0;
    }
    fputs("usage: ktool probe | create T P | delete T... | gen T N P [BAD_EVERY] | lines T [P] |"
          " dump T [--key] [--headers] [--meta] | count T\n",
          stderr);
    return 2;
}
