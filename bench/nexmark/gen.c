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
 * The model, per event number n (0-based; event id = n):
 *   - mix: n % 50 == 0 person, 1..3 auction, 4..49 bid (1:3:46);
 *   - person id = n / 50 + 1000; auction id = 3 * (n / 50) + (n % 50 - 1) + 1000;
 *   - bid.auction: with probability 1/2 the "hot" auction (latest auction id
 *     rounded down to a multiple of 100), else uniform over the last 100
 *     auctions plus 10 ahead; bid.bidder: with probability 3/4 the hot
 *     bidder (latest person id rounded down to a multiple of 100, plus 1),
 *     else uniform over the last 1000 people plus 10 ahead; auction.seller
 *     likewise with probability 3/4 hot;
 *   - prices round(10^(6U) * 100), U uniform in [0,1): 100 .. 1e8 (cents);
 *     reserve = initial_bid + another price; category 10..14;
 *   - channel: with probability 1/2 one of Google/Facebook/Baidu/Apple, else
 *     channel-K, K < 10000, with its URL;
 *   - extra padding so the average record is ~200 B (person), ~500 B
 *     (auction), ~100 B (bid) counting 8 bytes per number;
 *   - event time = base + n * 1e6 / rate microseconds, printed with
 *     millisecond precision as "YYYY-MM-DD HH:MM:SS.mmm" (UTC); in order;
 *   - auction.expires = date_time + 1 + uniform(2 * horizon) ms, horizon =
 *     the time until 100 more auctions have been generated.
 * Every event draws from its own generator seeded by its id, so the output
 * depends only on (n, rate, base), never on --bids-only or the format.
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

typedef uint64_t u64;
typedef int64_t i64;

enum { FMT_CSV, FMT_JSONL, FMT_PB };
enum { PERSON, AUCTION, BID, NKINDS };

static const char *const kind_name[NKINDS] = {"person", "auction", "bid"};

/* ---- output buffers ------------------------------------------------------ */

#define OBUF_SIZE  (1u << 20)
#define OBUF_SLACK 4096 /* one record never exceeds this */

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
    if (o->len > OBUF_SIZE - OBUF_SLACK) out_flush(o);
    return o->buf + o->len;
}

static inline char *put_str(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define PUT_LIT(p, lit) put_str((p), (lit), sizeof(lit) - 1)

static inline char *put_u64(char *p, u64 v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

/* ---- random numbers: one splitmix64-seeded xorshift stream per event ----- */

typedef struct {
    u64 s;
} Rng;

static inline u64 mix64(u64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void rng_seed(Rng *r, u64 event_id)
{
    r->s = mix64(event_id * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull);
}

static inline u64 rng_next(Rng *r)
{
    r->s += 0x9e3779b97f4a7c15ull;
    return mix64(r->s);
}

/* uniform in [0, n) */
static inline u64 rng_below(Rng *r, u64 n)
{
    return (u64)(((unsigned __int128)rng_next(r) * n) >> 64);
}

static inline double rng_double(Rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* round(10^(6U) * 100): log-uniform cents in [100, 1e8] */
static inline i64 next_price(Rng *r)
{
    return (i64)llround(exp2(rng_double(r) * 19.931568569324174) * 100.0); /* 2^(6U log2 10) = 10^(6U) */
}

/* ---- random text: slices of a fixed pool of lowercase letters and spaces -- */

#define POOL_SIZE 65536
static char pool[POOL_SIZE + 1024];

static void pool_init(void)
{
    Rng r;
    rng_seed(&r, 0xfeedu);
    for (size_t i = 0; i < sizeof pool; i++) {
        u64 x = rng_below(&r, 32);
        pool[i] = x < 26 ? (char)('a' + x) : ' ';
    }
    /* no leading/trailing spaces in slices would need care; CSV keeps spaces
       as they are, so they are harmless */
}

static inline char *put_text(char *p, Rng *r, size_t n)
{
    return put_str(p, pool + rng_below(r, POOL_SIZE), n);
}

/* A string of 3..max-1 characters, like the reference's nextString. */
static inline char *put_word(char *p, Rng *r, size_t max)
{
    return put_text(p, r, 3 + rng_below(r, max - 3));
}

/* Padding so the record averages `avg` bytes given `cur` bytes already: a
   length uniform in desired +- 20%. */
static inline char *put_extra(char *p, Rng *r, size_t cur, size_t avg, int enabled)
{
    if (!enabled || cur >= avg) return p;
    size_t want = avg - cur;
    size_t delta = (size_t)llround(want * 0.2);
    size_t len = want - delta + (delta ? rng_below(r, 2 * delta) : 0);
    if (len > 1000) len = 1000;
    return put_text(p, r, len);
}

/* ---- time --------------------------------------------------------------- */

/* days since 1970-01-01 -> y, m, d (Howard Hinnant's civil_from_days) */
static void civil(i64 z, int *y, int *m, int *d)
{
    z += 719468;
    i64 era = (z >= 0 ? z : z - 146096) / 146097;
    i64 doe = z - era * 146097;
    i64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    i64 yy = yoe + era * 400;
    i64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    i64 mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

typedef struct {
    i64 sec;         /* the second the prefix holds */
    char prefix[20]; /* "YYYY-MM-DD HH:MM:SS" */
} TsCache;

static inline void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD HH:MM:SS.mmm" for epoch milliseconds ms (>= 0) */
static inline char *put_ts(char *p, TsCache *c, i64 ms)
{
    i64 sec = ms / 1000;
    if (sec != c->sec) {
        int y, mo, d;
        i64 days = sec / 86400, rem = sec % 86400;
        civil(days, &y, &mo, &d);
        snprintf(c->prefix, sizeof c->prefix, "%04d-", y % 10000);
        put2(c->prefix + 5, mo);
        c->prefix[7] = '-';
        put2(c->prefix + 8, d);
        c->prefix[10] = ' ';
        put2(c->prefix + 11, (int)(rem / 3600));
        c->prefix[13] = ':';
        put2(c->prefix + 14, (int)(rem / 60 % 60));
        c->prefix[16] = ':';
        put2(c->prefix + 17, (int)(rem % 60));
        c->sec = sec;
    }
    p = put_str(p, c->prefix, 19);
    int frac = (int)(ms % 1000);
    p[0] = '.';
    p[1] = (char)('0' + frac / 100);
    p[2] = (char)('0' + frac / 10 % 10);
    p[3] = (char)('0' + frac % 10);
    return p + 4;
}

/* ---- the model ------------------------------------------------------------ */

#define FIRST_ID          1000
#define PROP_PERSON       1
#define PROP_AUCTION      3
#define PROP_TOTAL        50
#define ACTIVE_PEOPLE     1000
#define INFLIGHT_AUCTIONS 100
#define ID_LEAD           10
#define HOT_AUCTION_RATIO 2 /* hot auction with probability 1 - 1/2 */
#define HOT_SELLER_RATIO  4 /* hot seller with probability 1 - 1/4 */
#define HOT_BIDDER_RATIO  4 /* hot bidder with probability 1 - 1/4 */
#define HOT_ROUND         100
#define CATEGORIES        5
#define FIRST_CATEGORY    10
#define CHANNELS          10000

static const char *const first_names[] = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
static const char *const states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                                     "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* base-0 id of the latest person / auction at or before event n */
static inline i64 last_person0(i64 n)
{
    return n / PROP_TOTAL;
}

static inline i64 last_auction0(i64 n)
{
    i64 epoch = n / PROP_TOTAL, off = n % PROP_TOTAL;
    if (off < PROP_PERSON) { /* before this epoch's auctions: the previous epoch's last */
        epoch--;
        off = PROP_AUCTION - 1;
    } else if (off >= PROP_PERSON + PROP_AUCTION) {
        off = PROP_AUCTION - 1;
    } else {
        off -= PROP_PERSON;
    }
    return epoch * PROP_AUCTION + off;
}

/* uniform over the last ACTIVE_PEOPLE people, ID_LEAD ahead */
static inline i64 next_person0(Rng *r, i64 n)
{
    i64 people = last_person0(n) + 1;
    i64 active = people < ACTIVE_PEOPLE ? people : ACTIVE_PEOPLE;
    return people - active + (i64)rng_below(r, (u64)(active + ID_LEAD));
}

static inline i64 next_auction0(Rng *r, i64 n)
{
    i64 maxa = last_auction0(n);
    i64 mina = maxa - INFLIGHT_AUCTIONS > 0 ? maxa - INFLIGHT_AUCTIONS : 0;
    return mina + (i64)rng_below(r, (u64)(maxa - mina + 1 + ID_LEAD));
}

typedef struct {
    int fmt;
    int extra;
    i64 rate;
    i64 base_ms;
    int framed; /* protobuf: a varint length before each message (files, not Kafka) */
    char hot_urls[NELEM(hot_channels)][64];
} Cfg;

static inline i64 event_us(const Cfg *c, i64 n)
{
    return c->base_ms * 1000 + (i64)((u64)n * 1000000u / (u64)c->rate); /* exact below 9e12 events */
}

static char *put_url(char *p, Rng *r)
{
    p = PUT_LIT(p, "https://www.nexmark.com/");
    p = put_text(p, r, 5);
    *p++ = '/';
    p = put_text(p, r, 5);
    *p++ = '/';
    p = put_text(p, r, 5);
    return PUT_LIT(p, "/item.htm?query=1");
}

/* ---- fields in the three formats ------------------------------------------
 * CSV `v`, JSONL `"key":v`, protobuf tag + value.  A field is named by its
 * JSON key and its field number in nexmark.proto; the writers call the same
 * helpers in the same order for every format, so the random draws (and so
 * the data) do not depend on the format. */

enum { WT_VARINT = 0, WT_LEN = 2 };
#define PB_TAG(num, wt) (((num) << 3) | (wt)) /* one byte: field numbers < 16 */

static inline char *put_varint(char *p, u64 v)
{
    while (v >= 0x80) {
        *p++ = (char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (char)v;
    return p;
}

/* A length-delimited span whose length is known only once it is written (a
   string, a framed record): 2 bytes are reserved before `body`, enough for
   < 16384 bytes (OBUF_SLACK bounds a record); a span shorter than 128 moves
   back one byte so the varint stays canonical. */
static inline char *len_close(char *body, char *end)
{
    size_t n = (size_t)(end - body);
    if (n < 128) {
        body[-2] = (char)n;
        memmove(body - 1, body, n);
        return end - 1;
    }
    body[-2] = (char)(n | 0x80);
    body[-1] = (char)(n >> 7);
    return end;
}

static inline char *sep(char *p, const Cfg *c)
{
    if (c->fmt != FMT_PB) *p++ = ',';
    return p;
}

static inline char *rec_open(char *p, const Cfg *c)
{
    if (c->fmt == FMT_JSONL) *p++ = '{';
    else if (c->fmt == FMT_PB && c->framed) p += 2; /* the frame's length, see len_close */
    return p;
}

/* `start` is where rec_open began */
static inline char *rec_close(char *start, char *p, const Cfg *c)
{
    if (c->fmt == FMT_PB) return c->framed ? len_close(start + 2, p) : p;
    if (c->fmt == FMT_JSONL) *p++ = '}';
    *p++ = '\n';
    return p;
}

static inline char *int_field(char *p, const Cfg *c, const char *key, size_t klen, int num, u64 v)
{
    if (c->fmt == FMT_PB) {
        *p++ = (char)PB_TAG(num, WT_VARINT);
        return put_varint(p, v);
    }
    if (c->fmt == FMT_JSONL) p = put_str(p, key, klen);
    return put_u64(p, v);
}
#define INT_FIELD(p, c, k, num, v) int_field((p), (c), "\"" k "\":", sizeof(k) + 2, (num), (v))

/* Opens a string field; returns where its text starts (the caller keeps it
   for str_close). */
static inline char *str_open(char *p, const Cfg *c, const char *key, size_t klen, int num)
{
    if (c->fmt == FMT_PB) {
        *p++ = (char)PB_TAG(num, WT_LEN);
        return p + 2; /* the length, see len_close */
    }
    if (c->fmt == FMT_JSONL) p = put_str(p, key, klen);
    return p;
}
#define STR_OPEN(p, c, k, num) str_open((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num))

static inline char *str_close(char *body, char *p, const Cfg *c)
{
    if (c->fmt == FMT_JSONL) *p++ = '"';
    if (c->fmt != FMT_PB) return p;
    if (p == body) return body - 3; /* proto3 omits an empty string (--no-extra): drop tag and length */
    return len_close(body, p);
}

/* google.protobuf.Timestamp {int64 seconds = 1; int32 nanos = 2;}: at most
   1 + 10 + 1 + 5 bytes, so its length is one byte */
static inline char *put_pb_ts(char *p, int num, i64 ms)
{
    *p++ = (char)PB_TAG(num, WT_LEN);
    char *len = p++, *body = p;
    *p++ = (char)PB_TAG(1, WT_VARINT);
    p = put_varint(p, (u64)(ms / 1000));
    if (ms % 1000) { /* proto3 omits a zero */
        *p++ = (char)PB_TAG(2, WT_VARINT);
        p = put_varint(p, (u64)(ms % 1000) * 1000000u);
    }
    *len = (char)(p - body);
    return p;
}

static inline char *ts_field(char *p, const Cfg *c, const char *key, size_t klen, int num, TsCache *tc, i64 ms)
{
    if (c->fmt == FMT_PB) return put_pb_ts(p, num, ms);
    char *body = str_open(p, c, key, klen, num);
    return str_close(body, put_ts(body, tc, ms), c);
}
#define TS_FIELD(p, c, k, num, tc, ms) ts_field((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num), (tc), (ms))

/* a string field of known text */
static inline char *text_field(char *p, const Cfg *c, const char *key, size_t klen, int num, const char *s, size_t n)
{
    char *body = str_open(p, c, key, klen, num);
    return str_close(body, put_str(body, s, n), c);
}
#define TEXT_FIELD(p, c, k, num, s, n) text_field((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num), (s), (n))

/* Field numbers follow nexmark.proto. */
static void write_person(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p, *s;
    p = rec_open(p, c);
    p = INT_FIELD(p, c, "id", 1, (u64)(last_person0(n) + FIRST_ID));
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "name", 2);
    const char *fn = first_names[rng_below(r, NELEM(first_names))];
    const char *ln = last_names[rng_below(r, NELEM(last_names))];
    p = put_str(p, fn, strlen(fn));
    *p++ = ' ';
    p = put_str(p, ln, strlen(ln));
    p = str_close(s, p, c);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "email_address", 3);
    for (int i = 0; i < 7; i++) *p++ = (char)('a' + rng_below(r, 26));
    *p++ = '@';
    for (int i = 0; i < 5; i++) *p++ = (char)('a' + rng_below(r, 26));
    p = PUT_LIT(p, ".com");
    p = str_close(s, p, c);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "credit_card", 4);
    for (int g = 0; g < 4; g++) {
        u64 v = rng_below(r, 10000);
        if (g) *p++ = ' ';
        *p++ = (char)('0' + v / 1000);
        *p++ = (char)('0' + v / 100 % 10);
        *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    p = str_close(s, p, c);
    p = sep(p, c);
    const char *city = cities[rng_below(r, NELEM(cities))];
    /* the reference's size: 8 per number plus the string lengths (state 2, e-mail 17, card 19) */
    size_t person_size = 8 + strlen(fn) + 1 + strlen(ln) + 17 + 19 + strlen(city) + 2;
    p = TEXT_FIELD(p, c, "city", 5, city, strlen(city));
    p = sep(p, c);
    const char *st = states[rng_below(r, NELEM(states))];
    p = TEXT_FIELD(p, c, "state", 6, st, 2);
    p = sep(p, c);
    p = TS_FIELD(p, c, "date_time", 7, tc, ms);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "extra", 8);
    p = put_extra(p, r, person_size, 200, c->extra);
    p = str_close(s, p, c);
    p = rec_close(start, p, c);
    o->len += (size_t)(p - start);
}

static void write_auction(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p, *s;
    i64 seller0 = rng_below(r, HOT_SELLER_RATIO) > 0 ? last_person0(n) / HOT_ROUND * HOT_ROUND : next_person0(r, n);
    i64 initial = next_price(r);
    i64 reserve = initial + next_price(r);
    /* the time until INFLIGHT_AUCTIONS more auctions exist */
    i64 horizon_ms = (event_us(c, n + INFLIGHT_AUCTIONS * PROP_TOTAL / PROP_AUCTION) - event_us(c, n)) / 1000;
    i64 expires = ms + 1 + (i64)rng_below(r, (u64)(horizon_ms * 2 > 1 ? horizon_ms * 2 : 1));
    p = rec_open(p, c);
    p = INT_FIELD(p, c, "id", 1, (u64)(last_auction0(n) + FIRST_ID));
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "item_name", 2);
    p = put_word(p, r, 20);
    size_t auction_size = 8 * 6 + (size_t)(p - s);
    p = str_close(s, p, c);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "description", 3);
    p = put_word(p, r, 100);
    auction_size += (size_t)(p - s);
    p = str_close(s, p, c);
    p = sep(p, c);
    p = INT_FIELD(p, c, "initial_bid", 4, (u64)initial);
    p = sep(p, c);
    p = INT_FIELD(p, c, "reserve", 5, (u64)reserve);
    p = sep(p, c);
    p = TS_FIELD(p, c, "date_time", 6, tc, ms);
    p = sep(p, c);
    TsCache tc2 = {-1, {0}};
    p = TS_FIELD(p, c, "expires", 7, &tc2, expires);
    p = sep(p, c);
    p = INT_FIELD(p, c, "seller", 8, (u64)(seller0 + FIRST_ID));
    p = sep(p, c);
    p = INT_FIELD(p, c, "category", 9, (u64)(FIRST_CATEGORY + rng_below(r, CATEGORIES)));
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "extra", 10);
    p = put_extra(p, r, auction_size, 500, c->extra);
    p = str_close(s, p, c);
    p = rec_close(start, p, c);
    o->len += (size_t)(p - start);
}

static void write_bid(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p, *s;
    i64 auction0 = rng_below(r, HOT_AUCTION_RATIO) > 0 ? last_auction0(n) / HOT_ROUND * HOT_ROUND : next_auction0(r, n);
    i64 bidder0 = rng_below(r, HOT_BIDDER_RATIO) > 0 ? last_person0(n) / HOT_ROUND * HOT_ROUND + 1 : next_person0(r, n);
    i64 price = next_price(r);
    p = rec_open(p, c);
    p = INT_FIELD(p, c, "auction", 1, (u64)(auction0 + FIRST_ID));
    p = sep(p, c);
    p = INT_FIELD(p, c, "bidder", 2, (u64)(bidder0 + FIRST_ID));
    p = sep(p, c);
    p = INT_FIELD(p, c, "price", 3, (u64)price);
    p = sep(p, c);
    if (rng_below(r, 2) > 0) {
        size_t h = rng_below(r, NELEM(hot_channels));
        p = TEXT_FIELD(p, c, "channel", 4, hot_channels[h], strlen(hot_channels[h]));
        p = sep(p, c);
        p = TEXT_FIELD(p, c, "url", 5, c->hot_urls[h], strlen(c->hot_urls[h]));
    } else {
        u64 ch = rng_below(r, CHANNELS);
        p = s = STR_OPEN(p, c, "channel", 4);
        p = PUT_LIT(p, "channel-");
        p = put_u64(p, ch);
        p = str_close(s, p, c);
        p = sep(p, c);
        p = s = STR_OPEN(p, c, "url", 5);
        p = put_url(p, r);
        p = PUT_LIT(p, "&channel_id=");
        p = put_u64(p, (ch * 2654435761u) & 0x7fffffffu);
        p = str_close(s, p, c);
    }
    p = sep(p, c);
    p = TS_FIELD(p, c, "date_time", 6, tc, ms);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "extra", 7);
    p = put_extra(p, r, 32, 100, c->extra); /* 4 numbers of 8 bytes, as the reference counts */
    p = str_close(s, p, c);
    p = rec_close(start, p, c);
    o->len += (size_t)(p - start);
}

static const char *const csv_header[NKINDS] = {
    "id,name,email_address,credit_card,city,state,date_time,extra\n",
    "id,item_name,description,initial_bid,reserve,date_time,expires,seller,category,extra\n",
    "auction,bidder,price,channel,url,date_time,extra\n",
};

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
static void kafka_send(Kafka *k, Out *o, const Cfg *c)
{
    size_t len = o->len;
    if (c->fmt != FMT_PB && len && o->buf[len - 1] == '\n') len--;
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
static void out_open(Out *o, int k, const Cfg *c, const char *dir, Kafka *kafka, const char *prefix)
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
        snprintf(path, plen, "%s%s", prefix, kind_name[k]);
        o->rkt = rd_kafka_topic_new(kafka->rk, path, NULL);
        if (!o->rkt || !o->buf) {
            fprintf(stderr, "gen: topic %s: %s\n", path, rd_kafka_err2str(rd_kafka_last_error()));
            exit(1);
        }
        return;
    }
    snprintf(path, plen, "%s/%s.%s", dir, kind_name[k], ext[c->fmt]);
    o->f = fopen(path, "wb");
    if (!o->f || !o->buf) {
        fprintf(stderr, "gen: open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    setvbuf(o->f, NULL, _IONBF, 0);
    if (c->fmt == FMT_CSV) {
        o->len = strlen(csv_header[k]);
        memcpy(o->buf, csv_header[k], o->len);
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
    Cfg cfg = {.fmt = FMT_CSV, .extra = 1, .rate = 10000, .base_ms = 1767225600000LL /* 2026-01-01 */};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--events") && v) {
            events = parse_count(v);
            i++;
        } else if (!strcmp(a, "--rate") && v) {
            cfg.rate = parse_count(v);
            i++;
        } else if (!strcmp(a, "--base-ms") && v) {
            cfg.base_ms = parse_count(v);
            i++;
        } else if (!strcmp(a, "--format") && v) {
            if (!strcmp(v, "csv")) cfg.fmt = FMT_CSV;
            else if (!strcmp(v, "jsonl")) cfg.fmt = FMT_JSONL;
            else if (!strcmp(v, "protobuf")) cfg.fmt = FMT_PB;
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
            cfg.extra = 0;
        } else {
            usage();
        }
    }
    if (events < 0 || cfg.rate < 1) usage();
    if (brokers && !fmt_given) cfg.fmt = FMT_JSONL;
    cfg.framed = !brokers; /* a Kafka message is one protobuf message, a file a sequence of them */
    if (!brokers && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen: mkdir %s: %s\n", dir, strerror(errno));
        return 1;
    }
    pool_init();
    {
        Rng r;
        rng_seed(&r, 0xc0ffeeu);
        for (size_t h = 0; h < NELEM(hot_channels); h++) {
            char *p = put_url(cfg.hot_urls[h], &r);
            *p = 0;
        }
    }

    Kafka kafka = {0};
    if (brokers) kafka_open(&kafka, brokers);
    Out out[NKINDS];
    for (int k = 0; k < NKINDS; k++) {
        out[k].on = 0;
        if (!bids_only || k == BID) out_open(&out[k], k, &cfg, dir, &kafka, prefix);
    }

    TsCache tc[NKINDS] = {{-1, {0}}, {-1, {0}}, {-1, {0}}};
    long produced = 0;
    for (i64 n = 0; n < events; n++) {
        int slot = (int)(n % PROP_TOTAL);
        int kind = slot < PROP_PERSON ? PERSON : slot < PROP_PERSON + PROP_AUCTION ? AUCTION : BID;
        if (!out[kind].on) continue;
        Rng r;
        rng_seed(&r, (u64)n);
        i64 ms = event_us(&cfg, n) / 1000;
        if (kind == PERSON) write_person(&out[kind], &cfg, &r, n, ms, &tc[kind]);
        else if (kind == AUCTION) write_auction(&out[kind], &cfg, &r, n, ms, &tc[kind]);
        else write_bid(&out[kind], &cfg, &r, n, ms, &tc[kind]);
        if (kafka.rk) {
            kafka_send(&kafka, &out[kind], &cfg);
            produced++;
        }
    }
    int rc = kafka.rk ? kafka_close(&kafka, produced) : 0;
    for (int k = 0; k < NKINDS; k++)
        if (out[k].on && out_close(&out[k])) rc = 1;
    if (kafka.rk) rd_kafka_destroy(kafka.rk);
    return rc;
}
