/*
 * nexmark.h -- the NEXMark event model (Person / Auction / Bid), shared by
 * the standalone generator (bench/nexmark/gen.c: files and Kafka topics) and
 * the in-process 'nexmark_source' connector (source.c).
 *
 * Event n (0-based) is a person, an auction or a bid by the fixed 1:3:46 mix
 * and is a pure function of (n, rate, base time, padding): each event draws
 * from its own random stream seeded by n, so a subset of the events (one
 * kind, or a range) is the same as in the full run, whatever the format.
 * vnx_write formats one event as a CSV record, a JSON Lines object or a
 * protobuf message of bench/nexmark/nexmark.proto. Only libc and libm.
 */
#ifndef VELO_NEXMARK_H
#define VELO_NEXMARK_H

#include <stddef.h>
#include <stdint.h>

enum { VNX_PERSON, VNX_AUCTION, VNX_BID, VNX_NKINDS };
/* VNX_FIELDS: a CSV record (no quoting is ever needed) whose field ends
 * vnx_write also records in fend[0..nf), for a reader that takes the
 * fields without splitting the record (the in-process source). */
enum { VNX_CSV, VNX_JSONL, VNX_PB, VNX_FIELDS };

#define VNX_RECORD_MAX 4096                   /* one formatted record never exceeds this */
#define VNX_MAX_FIELDS 10                     /* of the widest kind, auction */
#define VNX_BASE_MS    1767225600000LL        /* default event time of event 0: 2026-01-01 */
#define VNX_POOL_SIZE  65536                  /* random text is sliced from this pool */
#define VNX_POOL_BYTES (VNX_POOL_SIZE + 1024) /* + the longest slice */

typedef struct vnx_ts {
    int64_t sec;     /* the second `prefix` holds, -1 for none */
    char prefix[20]; /* "YYYY-MM-DD HH:MM:SS" */
} vnx_ts;

typedef struct vnx_gen {
    int fmt;   /* VNX_CSV, VNX_JSONL, VNX_PB */
    int spans; /* VNX_FIELDS: record the field ends of CSV records */
    int nf;    /* fields recorded by the last vnx_write */
    const char *fend[VNX_MAX_FIELDS];
    int extra;       /* pad records to the reference's average sizes */
    int framed;      /* protobuf: a varint length before each message (files) */
    int64_t rate;    /* events per second of event time (>= 1) */
    int64_t base_ms; /* event time of event 0 */
    char hot_urls[4][64];
    vnx_ts ts[VNX_NKINDS]; /* formatted-second cache per kind (times ascend per kind) */
    char pool[VNX_POOL_BYTES];
} vnx_gen;

void vnx_init(vnx_gen *g, int fmt, int64_t rate, int64_t base_ms, int extra, int framed);
int vnx_kind(int64_t n);                           /* VNX_PERSON, VNX_AUCTION or VNX_BID */
int64_t vnx_event_ms(const vnx_gen *g, int64_t n); /* event time of event n */
/* Writes event n in g->fmt at dst (room for VNX_RECORD_MAX bytes); CSV and
 * JSON Lines end with a newline. Returns the bytes written. */
size_t vnx_write(vnx_gen *g, int64_t n, char *dst);
const char *vnx_kind_name(int kind);  /* "person", "auction", "bid" */
const char *vnx_csv_header(int kind); /* the CSV header line, with its newline */

#endif
