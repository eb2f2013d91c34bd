/*
 * catalog_kafka.c -- the compile-time half of the Kafka connector: property
 * values checked before a job runs (every 'kafka.<property>' is set on a
 * real librdkafka configuration, so librdkafka itself says what is unknown
 * or invalid) and the first messages of a topic for schema inference.
 */
#include "catalog.h"

#include <ctype.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int cat_kafka_check(Catalog *c, Relation *r);
char *cat_kafka_sample(Catalog *c, Relation *r, size_t *len, size_t max, int max_msgs);

static SrcPos ck_pos(const Relation *r, const char *key)
{
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strcasecmp(p->key, key) == 0) return p->pos;
    }
    return r->pos;
}

static const char *ck_brokers(const Relation *r)
{
    const char *b = cat_prop(r, "bootstrap.servers");
    if (!b || !*b) b = getenv("VELO_KAFKA_BROKERS");
    return b && *b ? b : "localhost:9092";
}

/* host:port[,host:port...]; a host may be [v6] and may carry a scheme. */
static int ck_brokers_ok(const char *s)
{
    const char *p = s;
    for (;;) {
        while (*p == ' ') p++;
        const char *sch = strstr(p, "://"), *comma = strchr(p, ',');
        if (sch && (!comma || sch < comma)) p = sch + 3;
        const char *h = p;
        if (*p == '[') {
            while (*p && *p != ']') p++;
            if (*p != ']') return 0;
            p++;
        } else {
            while (*p && (isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_')) p++;
        }
        if (p == h || *p != ':') return 0;
        p++;
        long port = 0;
        const char *d = p;
        while (*p >= '0' && *p <= '9' && port < 100000) port = port * 10 + (*p++ - '0');
        if (p == d || port < 1 || port > 65535) return 0;
        while (*p == ' ') p++;
        if (!*p) return 1;
        if (*p++ != ',') return 0;
    }
}

/* librdkafka's own list of property names, for did-you-mean. */
static const char *const *ck_known(Catalog *c, int *n)
{
    static const char **names;
    static int count;
    if (!names) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f) return NULL;
        rd_kafka_conf_properties_show(f);
        fclose(f);
        PtrVec v = {0};
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            char *bar = strchr(line, '|');
            if (!bar || line[0] == '-' || !strncmp(line, "Property", 8)) continue;
            char *e = bar;
            while (e > line && e[-1] == ' ') e--;
            if (e > line) pv_push(c->a, &v, ar_strndup(c->a, line, (size_t)(e - line)));
        }
        free(text);
        names = (const char **)v.v;
        count = v.n;
    }
    *n = count;
    return names;
}

int cat_kafka_check(Catalog *c, Relation *r)
{
    int rc = 0;
    static const char *const resets[] = {"earliest", "latest", NULL};
    static const char *const modes[] = {"latest-offset", "unbounded", NULL};
    static const char *const keyfmts[] = {"string", "json", NULL};
    struct {
        const char *key;
        const char *const *vals;
    } enums[] = {{"auto.offset.reset", resets}, {"scan.bounded.mode", modes}, {"key.format", keyfmts}};
    const char *topic = cat_prop(r, "topic");
    if (!topic || !*topic) {
        diag_error(c->d, r->pos, NULL, "'%s' needs a 'topic' property", r->name);
        rc = -1;
    }
    const char *b = ck_brokers(r);
    if (!ck_brokers_ok(b)) {
        diag_error(c->d, ck_pos(r, "bootstrap.servers"), NULL, "invalid bootstrap.servers '%s' (expected host:port[,host:port...])", b);
        rc = -1;
    }
    for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++) {
        const char *v = cat_prop(r, enums[i].key);
        if (!v) continue;
        int n = 0, ok = 0;
        for (; enums[i].vals[n]; n++) ok |= strcasecmp(v, enums[i].vals[n]) == 0;
        if (!ok) {
            diag_error(c->d, ck_pos(r, enums[i].key), diag_suggest(v, enums[i].vals, n), "invalid value '%s' for '%s'", v, enums[i].key);
            rc = -1;
        }
    }
    static const char *const ints[] = {"commit.interval.messages", "commit.interval.ms", "stats.rows"};
    for (int i = 0; i < 3; i++) {
        const char *v = cat_prop(r, ints[i]);
        char *e;
        if (v && (strtoll(v, &e, 10) <= 0 || *e)) {
            diag_error(c->d, ck_pos(r, ints[i]), NULL, "'%s' must be a positive integer, got '%s'", ints[i], v);
            rc = -1;
        }
    }
    /* 'kafka.X': set X on a real configuration */
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strncasecmp(p->key, "kafka.", 6) != 0) continue;
        char err[512];
        rd_kafka_conf_res_t res = rd_kafka_conf_set(conf, p->key + 6, p->value, err, sizeof err);
        if (res == RD_KAFKA_CONF_OK) continue;
        rc = -1;
        if (res == RD_KAFKA_CONF_UNKNOWN) {
            int n = 0;
            const char *const *known = ck_known(c, &n);
            const char *s = known ? diag_suggest(p->key + 6, known, n) : NULL;
            diag_error(c->d, p->pos, s ? ar_printf(c->a, "kafka.%s", s) : NULL, "unknown librdkafka property '%s' in '%s'", p->key + 6,
                       p->key);
        } else {
            diag_error(c->d, p->pos, NULL, "invalid value '%s' for '%s': %s", p->value, p->key, err);
        }
        cat_origin_note(c, p);
    }
    rd_kafka_conf_destroy(conf);
    return rc;
}

/* Up to max_msgs messages (max bytes) from the start of every partition,
 * one per line (newlines inside a JSON message become spaces). Waits at most
 * VELO_KAFKA_SAMPLE_MS (default 3000) ms. NULL after reporting an error. */
char *cat_kafka_sample(Catalog *c, Relation *r, size_t *len, size_t max, int max_msgs)
{
    char err[512];
    const char *topic = cat_prop(r, "topic");
    const char *ms_env = getenv("VELO_KAFKA_SAMPLE_MS");
    int wait_ms = ms_env && atoi(ms_env) > 0 ? atoi(ms_env) : 3000;
    int json = strcasecmp(r->format, "csv") != 0;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char gid[64];
    snprintf(gid, sizeof gid, "veloc-schema-sample-%ld", (long)getpid());
    const char *kv[] = {"bootstrap.servers", ck_brokers(r), "group.id", gid, "enable.auto.commit", "false", "enable.partition.eof", "true",
                        "log_level",         "0",           NULL};
    for (int i = 0; kv[i]; i += 2) rd_kafka_conf_set(conf, kv[i], kv[i + 1], err, sizeof err);
    for (int i = 0; i < r->props.n; i++) { /* security and the like */
        Property *p = r->props.v[i];
        if (strncasecmp(p->key, "kafka.", 6) == 0) rd_kafka_conf_set(conf, p->key + 6, p->value, err, sizeof err);
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        diag_error(c->d, r->pos, NULL, "cannot create a Kafka consumer for '%s': %s", r->name, err);
        return NULL;
    }
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, wait_ms);
    rd_kafka_topic_destroy(t);
    char *out = NULL;
    if (e || md->topic_cnt != 1 || md->topics[0].err || md->topics[0].partition_cnt == 0) {
        diag_error(c->d, r->pos, NULL, "cannot infer the schema of '%s': topic '%s' on %s: %s; declare its columns", r->name, topic,
                   ck_brokers(r),
                   e                   ? rd_kafka_err2str(e)
                   : md->topics[0].err ? rd_kafka_err2str(md->topics[0].err)
                                       : "no partitions");
        goto done;
    }
    int nparts = md->topics[0].partition_cnt, eofs = 0, n = 0;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(nparts);
    for (int i = 0; i < nparts; i++)
        rd_kafka_topic_partition_list_add(l, topic, md->topics[0].partitions[i].id)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    out = ar_alloc(c->a, max + 1);
    *len = 0;
    double waited = 0;
    while (n < max_msgs && eofs < nparts && waited < wait_ms) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m) {
            waited += 100;
            continue;
        }
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) eofs++;
        else if (!m->err && m->len && *len + m->len + 1 <= max) {
            memcpy(out + *len, m->payload, m->len);
            if (json)
                for (size_t i = *len; i < *len + m->len; i++)
                    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
            *len += m->len;
            out[(*len)++] = '\n';
            n++;
        }
        rd_kafka_message_destroy(m);
    }
    out[*len] = 0;
    rd_kafka_assign(rk, NULL);
done:
    if (md) rd_kafka_metadata_destroy(md);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return out;
}
