/*
 * kafka_admin.c -- introspection of a live Kafka cluster for SHOW TOPICS and
 * SHOW TOPIC DETAILS (compiler/main.c calls these for `veloc run`). The
 * answers go through the stdout sink (vout_open with name NULL), so they are
 * printed in the job's --format like every other result.
 *
 * Every broker call is bounded (VELO_KAFKA_ADMIN_MS, default 5000 ms): an
 * unreachable broker is a clear error, not a hang. librdkafka's own log
 * lines are kept quiet; the last one explains the failure.
 */
#include "kafka.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdlib.h>
#include <strings.h>

static pthread_mutex_t ka_log_mu = PTHREAD_MUTEX_INITIALIZER;
static char ka_last_log[400];

static void ka_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)fac;
    if (level > 4) return;
    pthread_mutex_lock(&ka_log_mu);
    snprintf(ka_last_log, sizeof ka_last_log, "%s", buf);
    pthread_mutex_unlock(&ka_log_mu);
}

static int ka_timeout_ms(void)
{
    const char *e = getenv("VELO_KAFKA_ADMIN_MS");
    int ms = e ? atoi(e) : 0;
    return ms > 0 ? ms : 5000;
}

static void ka_error(const char *brokers, const char *what, const char *why)
{
    char last[400];
    pthread_mutex_lock(&ka_log_mu);
    snprintf(last, sizeof last, "%s", ka_last_log);
    pthread_mutex_unlock(&ka_log_mu);
    fprintf(stderr, "veloc: %s: Kafka at %s: %s%s%s%s\n", what, brokers, why, last[0] ? " (" : "", last, last[0] ? ")" : "");
}

/* A producer handle (no group needed) for metadata and admin requests. */
static rd_kafka_t *ka_client(const char *brokers, const char *const *conf)
{
    char err[512], ms[32];
    ka_last_log[0] = 0;
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    snprintf(ms, sizeof ms, "%d", ka_timeout_ms());
    const char *kv[] = {"bootstrap.servers",        brokers, "client.id", "veloc-admin", "socket.timeout.ms", ms,
                        "reconnect.backoff.max.ms", "1000",  NULL};
    for (int i = 0; kv[i]; i += 2)
        if (rd_kafka_conf_set(c, kv[i], kv[i + 1], err, sizeof err) != RD_KAFKA_CONF_OK) {
            fprintf(stderr, "veloc: Kafka property '%s': %s\n", kv[i], err);
            rd_kafka_conf_destroy(c);
            return NULL;
        }
    for (int i = 0; conf && conf[i] && conf[i + 1]; i += 2)
        if (rd_kafka_conf_set(c, conf[i], conf[i + 1], err, sizeof err) != RD_KAFKA_CONF_OK) {
            fprintf(stderr, "veloc: Kafka property '%s': %s\n", conf[i], err);
            rd_kafka_conf_destroy(c);
            return NULL;
        }
    rd_kafka_conf_set_log_cb(c, ka_log);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!rk) fprintf(stderr, "veloc: cannot create a Kafka client for %s: %s\n", brokers, err);
    return rk;
}

static const struct rd_kafka_metadata *ka_metadata(rd_kafka_t *rk, const char *brokers, const char *topic)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = topic ? rd_kafka_topic_new(rk, topic, NULL) : NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, t ? 0 : 1, t, &md, ka_timeout_ms());
    if (t) rd_kafka_topic_destroy(t);
    if (e) {
        char why[200];
        snprintf(why, sizeof why, "no answer within %d ms: %s", ka_timeout_ms(), rd_kafka_err2str(e));
        ka_error(brokers, "cannot read cluster metadata", why);
        return NULL;
    }
    return md;
}

static int ka_like(const char *s, const char *pattern)
{
    if (!pattern) return strncmp(s, "__", 2) != 0; /* internal topics only when asked for */
    vstr a = {s, (i64)strlen(s)}, p = {pattern, (i64)strlen(pattern)};
    return vs_like(a, p, -1);
}

static int ka_cmp_topic(const void *a, const void *b)
{
    const struct rd_kafka_metadata_topic *x = *(const struct rd_kafka_metadata_topic *const *)a;
    const struct rd_kafka_metadata_topic *y = *(const struct rd_kafka_metadata_topic *const *)b;
    return strcmp(x->topic, y->topic);
}

static int ka_cmp_entry(const void *a, const void *b)
{
    return strcmp(rd_kafka_ConfigEntry_name(*(const rd_kafka_ConfigEntry_t *const *)a),
                  rd_kafka_ConfigEntry_name(*(const rd_kafka_ConfigEntry_t *const *)b));
}

static void ka_str(velo_out *o, const char *s)
{
    vout_str(o, (vstr){s, (i64)strlen(s)});
}

static void ka_ints(char *buf, size_t cap, const int32_t *v, int n)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < n && k + 16 < cap; i++) k += (size_t)snprintf(buf + k, cap - k, "%s%d", i ? "," : "", (int)v[i]);
}

int vkadmin_show_topics(velo_rt *rt, const char *brokers, const char *const *conf, const char *like)
{
    rd_kafka_t *rk = ka_client(brokers, conf);
    if (!rk) return 1;
    const struct rd_kafka_metadata *md = ka_metadata(rk, brokers, NULL);
    if (!md) {
        rd_kafka_destroy(rk);
        return 1;
    }
    const struct rd_kafka_metadata_topic **ts = calloc((size_t)md->topic_cnt + 1, sizeof *ts);
    int n = 0;
    for (int i = 0; ts && i < md->topic_cnt; i++)
        if (!md->topics[i].err && ka_like(md->topics[i].topic, like)) ts[n++] = &md->topics[i];
    qsort(ts, (size_t)n, sizeof *ts, ka_cmp_topic);
    static const char *const names[] = {"topic", "partitions", "replication_factor"};
    static const u8 types[] = {VT_STRING, VT_BIGINT, VT_BIGINT};
    velo_out *o = vout_open(rt, 0, NULL, NULL, 3, names, types, NULL);
    for (int i = 0; o && i < n; i++) {
        int rf = 0;
        for (int p = 0; p < ts[i]->partition_cnt; p++)
            if (ts[i]->partitions[p].replica_cnt > rf) rf = ts[i]->partitions[p].replica_cnt;
        vout_begin(o);
        ka_str(o, ts[i]->topic);
        vout_i64(o, ts[i]->partition_cnt);
        vout_i64(o, rf);
        vout_end(o);
    }
    int rc = o ? vout_close(o) : 1;
    free(ts);
    rd_kafka_metadata_destroy(md);
    rd_kafka_destroy(rk);
    return rc ? 1 : 0;
}

/* The result event of one admin request, or NULL after reporting. */
static rd_kafka_event_t *ka_wait(rd_kafka_queue_t *q, const char *brokers, const char *what)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, ka_timeout_ms() + 1000);
    if (!ev) {
        ka_error(brokers, what, "no answer in time");
        return NULL;
    }
    if (rd_kafka_event_error(ev)) {
        ka_error(brokers, what, rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
        return NULL;
    }
    return ev;
}

static rd_kafka_AdminOptions_t *ka_opts(rd_kafka_t *rk, rd_kafka_admin_op_t op)
{
    char err[256];
    rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);
    rd_kafka_AdminOptions_set_request_timeout(o, ka_timeout_ms(), err, sizeof err);
    return o;
}

static int ka_configs(velo_rt *rt, rd_kafka_t *rk, rd_kafka_queue_t *q, const char *brokers, const char *topic)
{
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
    rd_kafka_AdminOptions_t *ao = ka_opts(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    rd_kafka_DescribeConfigs(rk, &res, 1, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_ConfigResource_destroy(res);
    rd_kafka_event_t *ev = ka_wait(q, brokers, "describing the configuration of the topic");
    if (!ev) return 1;
    size_t nres = 0, nent = 0;
    const rd_kafka_ConfigResource_t **rs = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &nres);
    int rc = 0;
    if (nres != 1 || rd_kafka_ConfigResource_error(rs[0])) {
        ka_error(brokers, "describing the configuration of the topic", nres ? rd_kafka_ConfigResource_error_string(rs[0]) : "no result");
        rc = 1;
    } else {
        static const char *const names[] = {"config", "value", "source"};
        velo_out *o = vout_open(rt, 0, NULL, NULL, 3, names, NULL, NULL);
        const rd_kafka_ConfigEntry_t **es0 = rd_kafka_ConfigResource_configs(rs[0], &nent);
        const rd_kafka_ConfigEntry_t **es = calloc(nent + 1, sizeof *es);
        if (!es) nent = 0;
        else memcpy(es, es0, nent * sizeof *es);
        qsort(es, nent, sizeof *es, ka_cmp_entry);
        for (size_t i = 0; o && i < nent; i++) {
            const char *v = rd_kafka_ConfigEntry_value(es[i]);
            vout_begin(o);
            ka_str(o, rd_kafka_ConfigEntry_name(es[i]));
            if (rd_kafka_ConfigEntry_is_sensitive(es[i])) ka_str(o, "(sensitive)");
            else if (v) ka_str(o, v);
            else vout_null(o);
            ka_str(o, rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(es[i])));
            vout_end(o);
        }
        free(es);
        rc = o ? vout_close(o) != 0 : 1;
    }
    rd_kafka_event_destroy(ev);
    return rc;
}

/* Consumer groups with committed offsets on the topic: per partition, the
 * committed offset, the end offset and the lag between them. */
static int ka_groups(velo_rt *rt, rd_kafka_t *rk, rd_kafka_queue_t *q, const char *brokers, const char *topic,
                     const struct rd_kafka_metadata_topic *mt, const i64 *high)
{
    rd_kafka_AdminOptions_t *ao = ka_opts(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
    rd_kafka_ListConsumerGroups(rk, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_event_t *ev = ka_wait(q, brokers, "listing consumer groups");
    if (!ev) return 1;
    size_t ng = 0;
    const rd_kafka_ConsumerGroupListing_t **gs =
        rd_kafka_ListConsumerGroups_result_valid(rd_kafka_event_ListConsumerGroups_result(ev), &ng);
    static const char *const names[] = {"group", "state", "partition", "committed_offset", "end_offset", "lag"};
    static const u8 types[] = {VT_STRING, VT_STRING, VT_BIGINT, VT_BIGINT, VT_BIGINT, VT_BIGINT};
    velo_out *o = vout_open(rt, 0, NULL, NULL, 6, names, types, NULL);
    int rc = o ? 0 : 1;
    /* sorted by group id */
    const rd_kafka_ConsumerGroupListing_t **sorted = calloc(ng + 1, sizeof *sorted);
    for (size_t i = 0; sorted && i < ng; i++) {
        size_t j = i;
        while (j > 0 && strcmp(rd_kafka_ConsumerGroupListing_group_id(sorted[j - 1]), rd_kafka_ConsumerGroupListing_group_id(gs[i])) > 0) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = gs[i];
    }
    for (size_t g = 0; o && sorted && g < ng && !rc; g++) {
        const char *gid = rd_kafka_ConsumerGroupListing_group_id(sorted[g]);
        const char *state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(sorted[g]));
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(mt->partition_cnt);
        for (int p = 0; p < mt->partition_cnt; p++) rd_kafka_topic_partition_list_add(l, topic, mt->partitions[p].id);
        rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(gid, l);
        rd_kafka_topic_partition_list_destroy(l);
        rd_kafka_AdminOptions_t *oo = ka_opts(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
        rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, oo, q);
        rd_kafka_AdminOptions_destroy(oo);
        rd_kafka_ListConsumerGroupOffsets_destroy(req);
        rd_kafka_event_t *ov = ka_wait(q, brokers, "reading committed offsets");
        if (!ov) {
            rc = 1;
            break;
        }
        size_t nr = 0;
        const rd_kafka_group_result_t **gr =
            rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(ov), &nr);
        const rd_kafka_topic_partition_list_t *parts = nr == 1 ? rd_kafka_group_result_partitions(gr[0]) : NULL;
        for (int i = 0; parts && i < parts->cnt; i++) {
            const rd_kafka_topic_partition_t *tp = &parts->elems[i];
            if (tp->err || tp->offset < 0 || strcmp(tp->topic, topic)) continue;
            i64 end = -1;
            for (int p = 0; p < mt->partition_cnt; p++)
                if (mt->partitions[p].id == tp->partition) end = high[p];
            vout_begin(o);
            ka_str(o, gid);
            ka_str(o, state);
            vout_i64(o, tp->partition);
            vout_i64(o, tp->offset);
            if (end >= 0) {
                vout_i64(o, end);
                vout_i64(o, end > tp->offset ? end - tp->offset : 0);
            } else {
                vout_null(o);
                vout_null(o);
            }
            vout_end(o);
        }
        rd_kafka_event_destroy(ov);
    }
    if (o && vout_close(o)) rc = 1;
    free(sorted);
    rd_kafka_event_destroy(ev);
    return rc;
}

int vkadmin_topic_details(velo_rt *rt, const char *brokers, const char *const *conf, const char *topic)
{
    rd_kafka_t *rk = ka_client(brokers, conf);
    if (!rk) return 1;
    const struct rd_kafka_metadata *md = ka_metadata(rk, brokers, NULL);
    if (!md) {
        rd_kafka_destroy(rk);
        return 1;
    }
    const struct rd_kafka_metadata_topic *mt = NULL;
    for (int i = 0; i < md->topic_cnt; i++)
        if (!strcmp(md->topics[i].topic, topic) && !md->topics[i].err) mt = &md->topics[i];
    if (!mt) {
        fprintf(stderr, "veloc: SHOW TOPIC DETAILS: topic '%s' does not exist on %s (SHOW TOPICS lists them)\n", topic, brokers);
        rd_kafka_metadata_destroy(md);
        rd_kafka_destroy(rk);
        return 2;
    }
    int rc = 0;
    i64 *low = calloc((size_t)mt->partition_cnt + 1, sizeof *low);
    i64 *high = calloc((size_t)mt->partition_cnt + 1, sizeof *high);
    static const char *const names[] = {"partition", "leader", "replicas", "isr", "low_offset", "high_offset", "messages"};
    static const u8 types[] = {VT_BIGINT, VT_BIGINT, VT_STRING, VT_STRING, VT_BIGINT, VT_BIGINT, VT_BIGINT};
    velo_out *o = low && high ? vout_open(rt, 0, NULL, NULL, 7, names, types, NULL) : NULL;
    if (!o) rc = 1;
    for (int i = 0; o && i < mt->partition_cnt; i++) {
        const struct rd_kafka_metadata_partition *p = &mt->partitions[i];
        int64_t lo = -1, hi = -1;
        rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic, p->id, &lo, &hi, ka_timeout_ms());
        if (e) {
            ka_error(brokers, "reading partition offsets", rd_kafka_err2str(e));
            rc = 1;
            break;
        }
        low[i] = lo;
        high[i] = hi;
        char reps[512], isr[512];
        ka_ints(reps, sizeof reps, p->replicas, p->replica_cnt);
        ka_ints(isr, sizeof isr, p->isrs, p->isr_cnt);
        vout_begin(o);
        vout_i64(o, p->id);
        vout_i64(o, p->leader);
        ka_str(o, reps);
        ka_str(o, isr);
        vout_i64(o, lo);
        vout_i64(o, hi);
        vout_i64(o, hi - lo);
        vout_end(o);
    }
    if (o && vout_close(o)) rc = 1;
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    if (!rc) rc = ka_configs(rt, rk, q, brokers, topic);
    if (!rc) rc = ka_groups(rt, rk, q, brokers, topic, mt, high);
    rd_kafka_queue_destroy(q);
    free(low);
    free(high);
    rd_kafka_metadata_destroy(md);
    rd_kafka_destroy(rk);
    return rc;
}
