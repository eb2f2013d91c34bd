/*
 * gen.c — NEXMark event generator (Person / Auction / Bid), written from the
 * NEXMark specification as implemented by the nexmark/nexmark Flink generator.
 *
 *   gen --events N [--rate R] [--format csv|jsonl|protobuf] [--out DIR]
 *       [--bids-only] [--base-ms MS] [--no-extra]
 *       [--kafka BROKERS [--topic-prefix P]]
 *
 * Writes DIR/person.EXT, DIR/auction.EXT and DIR/bid.EXT (EXT = csv, jsonl or
 * pb; CSV with a header).  --bids-only writes bid.EXT alone (the event ids and
 * times are the same as in the full run: persons and auctions are generated
 * as ids, not written).  DIR may hold FIFOs (mkfifo) to stream without disk.
 *
 * Protobuf: messages Person / Auction / Bid of nexmark.proto (next to this
 * file), fields named like the CSV columns, times as google.protobuf.Timestamp
 * (what VeloStream's protobuf source reads as TIMESTAMP); a .pb file holds
 * length-delimited messages (varint length, then the message), the framing
 * VeloStream's protobuf file source reads (docs/PROTOBUF.md).  The encoder is
 * written here (a few varint/length helpers) rather than generated with
 * protoc-c: the generator only writes, streams bytes into its own buffers,
 * and protobuf-c ships no code for timestamp.proto to link against.
 *
 * --kafka produces to the topics P + person / auction / bid (P defaults to
 * "nexmark-") instead of writing files, one event per message: JSON Lines by
 * default (one object, no newline), --format csv (one record, no header) or
 * protobuf (one message, no length prefix).  It waits for every delivery
 * report before exiting and exits 1 when any message was not delivered.
 *
 * The event model and the record writers are runtime/nexmark.c, the same
 * code the in-process 'nexmark_source' connector runs: a file, a topic and
 * an in-process stream hold the same events.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <librdkafka/rdkafka.h>

#include "../../runtime/nexmark.h"

typedef int64_t i64;

/* ---- output buffers ------------------------------------------------------ */

#define OBUF_SIZE (1u << 20)

typedef struct {
    int on;                /* this kind is written */
    FILE *f;               /* the file, or NULL with --kafka */
    rd_kafka_topic_t *rkt; /* the topic with --kafka */
    char *buf;
    size_t len;
    const char *path; /* file path or topic name, for messages */
} Out;

static void out_flush(Out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
        fprintf(stderr, "gen: write %s: %s\n", o->path, strerror(errno));
        exit(1);
    }
    o->len = 0;
}

static inline char *out_reserve(Out *o)
{
    if (o->len > OBUF_SIZE - VNX_RECORD_MAX) out_flush(o);
    return o->buf + o->len;
}

/* ---- Kafka ----------------------------------------------------------------- */

#define KAFKA_MSG_TIMEOUT_MS "30000" /* a message not delivered by then fails (instead of librdkafka's 5 minutes) */
#define KAFKA_FLUSH_MS       60000   /* > the message timeout: every message has its report by then */

typedef struct {
    rd_kafka_t *rk;
    long delivered, failed;
    char first_error[512];
} Kafka;

static void kafka_delivered(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    Kafka *k = opaque;
    if (!m->err) {
        k->delivered++;
        return;
    }
    if (!k->failed++) snprintf(k->first_error, sizeof k->first_error, "%s: %s", rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err));
}

static void kafka_set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
    char err[512];
    if (rd_kafka_conf_set(conf, name, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "gen: kafka %s=%s: %s\n", name, value, err);
        exit(2);
    }
}

/* The broker creates the topics on first use (auto.create.topics.enable, as
   the dev broker of tests/kafka has it; librdkafka producers ask for it). */
static void kafka_open(Kafka *k, const char *brokers)
{
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    kafka_set(conf, "bootstrap.servers", brokers);
    kafka_set(conf, "message.timeout.ms", KAFKA_MSG_TIMEOUT_MS);
    kafka_set(conf, "linger.ms", "20"); /* fuller batches: the events are produced as fast as they are made */
    rd_kafka_conf_set_dr_msg_cb(conf, kafka_delivered);
    rd_kafka_conf_set_opaque(conf, k);
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!k->rk) {
        fprintf(stderr, "gen: kafka producer: %s\n", err);
        exit(1);
    }
}

/* Produces the record in o->buf (text without its newline) and empties the
   buffer.  A full local queue is waited out by serving delivery reports. */
static void kafka_send(Kafka *k, Out *o, const vnx_gen *c)
{
    size_t len = o->len;
    if (c->fmt != VNX_PB && len && o->buf[len - 1] == '\n') len--;
    while (rd_kafka_produce(o->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, o->buf, len, NULL, 0, NULL) != 0) {
        rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            fprintf(stderr, "gen: produce to topic %s: %s\n", o->path, rd_kafka_err2str(err));
            exit(1);
        }
        rd_kafka_poll(k->rk, 100);
    }
    rd_kafka_poll(k->rk, 0);
    o->len = 0;
}

/* Waits for every delivery report; 0 when every message was acknowledged. */
static int kafka_close(Kafka *k, long produced)
{
    rd_kafka_flush(k->rk, KAFKA_FLUSH_MS);
    int left = rd_kafka_outq_len(k->rk);
    int rc = 0;
    if (k->failed) {
        fprintf(stderr, "gen: kafka: %ld of %ld messages not delivered (first: %s)\n", k->failed, produced, k->first_error);
        rc = 1;
    } else if (left > 0 || k->delivered != produced) {
        fprintf(stderr, "gen: kafka: %ld of %ld messages delivered, %d still queued after %d ms\n", k->delivered, produced, left,
                KAFKA_FLUSH_MS);
        rc = 1;
    } else {
        fprintf(stderr, "gen: kafka: %ld messages delivered\n", k->delivered);
    }
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: gen --events N [--rate EVENTS_PER_S] [--format csv|jsonl|protobuf] [--out DIR]\n"
                    "           [--bids-only] [--base-ms EPOCH_MS] [--no-extra]\n"
                    "           [--kafka BROKERS [--topic-prefix PREFIX]]\n"
                    "files: DIR/{person,auction,bid}.{csv,jsonl,pb} (pb: length-delimited messages of nexmark.proto)\n"
                    "--kafka: topics PREFIX{person,auction,bid} (PREFIX default nexmark-), one event per message,\n"
                    "         format jsonl unless --format says otherwise\n");
    exit(2);
}

static i64 parse_count(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end); /* accepts 1e7 */
    if (errno || end == s || *end || v < 0 || v > 9e18 || v != floor(v)) {
        fprintf(stderr, "gen: bad number '%s'\n", s);
        exit(2);
    }
    return (i64)v;
}

/* Opens the output of kind k: DIR/KIND.EXT, or topic PREFIX+KIND with --kafka. */
static void out_open(Out *o, int k, const vnx_gen *c, const char *dir, Kafka *kafka, const char *prefix)
{
    static const char *const ext[] = {"csv", "jsonl", "pb"};
    size_t plen = strlen(dir) + strlen(prefix) + 32;
    char *path = malloc(plen);
    o->on = 1;
    o->f = NULL;
    o->rkt = NULL;
    o->path = path;
    o->buf = malloc(OBUF_SIZE);
    o->len = 0;
    if (kafka->rk) {
        snprintf(path, plen, "%s%s", prefix, vnx_kind_name(k));
        o->rkt = rd_kafka_topic_new(kafka->rk, path, NULL);
        if (!o->rkt || !o->buf) {
            fprintf(stderr, "gen: topic %s: %s\n", path, rd_kafka_err2str(rd_kafka_last_error()));
            exit(1);
        }
        return;
    }
    snprintf(path, plen, "%s/%s.%s", dir, vnx_kind_name(k), ext[c->fmt]);
    o->f = fopen(path, "wb");
    if (!o->f || !o->buf) {
        fprintf(stderr, "gen: open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    setvbuf(o->f, NULL, _IONBF, 0);
    if (c->fmt == VNX_CSV) {
        o->len = strlen(vnx_csv_header(k));
        memcpy(o->buf, vnx_csv_header(k), o->len);
    }
}

static int out_close(Out *o)
{
    int rc = 0;
    if (o->f) {
        out_flush(o);
        if (fclose(o->f) != 0) {
            fprintf(stderr, "gen: close %s: %s\n", o->path, strerror(errno));
            rc = 1;
        }
    }
    if (o->rkt) rd_kafka_topic_destroy(o->rkt);
    free(o->buf);
    free((void *)o->path);
    return rc;
}

int main(int argc, char **argv)
{
    i64 events = -1;
    const char *dir = ".", *brokers = NULL, *prefix = "nexmark-";
    int bids_only = 0, fmt_given = 0;
    int fmt = VNX_CSV, extra = 1;
    i64 rate = 10000, base_ms = VNX_BASE_MS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--events") && v) {
            events = parse_count(v);
            i++;
        } else if (!strcmp(a, "--rate") && v) {
            rate = parse_count(v);
            i++;
        } else if (!strcmp(a, "--base-ms") && v) {
            base_ms = parse_count(v);
            i++;
        } else if (!strcmp(a, "--format") && v) {
            if (!strcmp(v, "csv")) fmt = VNX_CSV;
            else if (!strcmp(v, "jsonl")) fmt = VNX_JSONL;
            else if (!strcmp(v, "protobuf")) fmt = VNX_PB;
            else usage();
            fmt_given = 1;
            i++;
        } else if (!strcmp(a, "--out") && v) {
            dir = v;
            i++;
        } else if (!strcmp(a, "--kafka") && v) {
            brokers = v;
            i++;
        } else if (!strcmp(a, "--topic-prefix") && v) {
            prefix = v;
            i++;
        } else if (!strcmp(a, "--bids-only")) {
            bids_only = 1;
        } else if (!strcmp(a, "--no-extra")) {
            extra = 0;
        } else {
            usage();
        }
    }
    if (events < 0 || rate < 1) usage();
    if (brokers && !fmt_given) fmt = VNX_JSONL;
    static vnx_gen cfg;                                  /* ~70 KB: not on the stack */
    vnx_init(&cfg, fmt, rate, base_ms, extra, !brokers); /* a Kafka message is one protobuf message, a file a sequence of them */
    if (!brokers && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen: mkdir %s: %s\n", dir, strerror(errno));
        return 1;
    }
    Kafka kafka = {0};
    if (brokers) kafka_open(&kafka, brokers);
    Out out[VNX_NKINDS];
    for (int k = 0; k < VNX_NKINDS; k++) {
        out[k].on = 0;
        if (!bids_only || k == VNX_BID) out_open(&out[k], k, &cfg, dir, &kafka, prefix);
    }

    long produced = 0;
    for (i64 n = 0; n < events; n++) {
        Out *o = &out[vnx_kind(n)];
        if (!o->on) continue;
        o->len += vnx_write(&cfg, n, out_reserve(o));
        if (kafka.rk) {
            kafka_send(&kafka, o, &cfg);
            produced++;
        }
    }
    int rc = kafka.rk ? kafka_close(&kafka, produced) : 0;
    for (int k = 0; k < VNX_NKINDS; k++)
        if (out[k].on && out_close(&out[k])) rc = 1;
    if (kafka.rk) rd_kafka_destroy(kafka.rk);
    return rc;
}
