/*
 * nexmark.c -- the NEXMark event model and its record writers (see
 * nexmark.h), written from the NEXMark specification as implemented by the
 * nexmark/nexmark Flink generator.
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
 *
 * Protobuf: messages Person / Auction / Bid of bench/nexmark/nexmark.proto,
 * times as google.protobuf.Timestamp; framed (files) with a varint length
 * before each message. The encoder is a few varint/length helpers rather
 * than protoc-c output: the model only writes, into the caller's buffer.
 */
#include "nexmark.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t u64;
typedef int64_t i64;

/* ---- writing bytes ------------------------------------------------------- */

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

static void pool_init(char *pool)
{
    Rng r;
    rng_seed(&r, 0xfeedu);
    for (size_t i = 0; i < VNX_POOL_BYTES; i++) {
        u64 x = rng_below(&r, 32);
        pool[i] = x < 26 ? (char)('a' + x) : ' ';
    }
    /* slices may start or end with a space: CSV keeps spaces as they are */
}

/* n bytes of the pool from a random offset. Copied a word at a time, up to
 * 7 bytes past n (the pool has VNX_POOL_BYTES - VNX_POOL_SIZE bytes of
 * slack, a record's buffer VNX_RECORD_MAX): memcpy of a short variable
 * length became `rep movs`, a quarter of the generator's time. */
static inline char *put_text(char *p, const char *pool, Rng *r, size_t n)
{
    const char *s = pool + rng_below(r, VNX_POOL_SIZE);
    for (size_t i = 0; i < n; i += 8) {
        u64 w;
        memcpy(&w, s + i, 8);
        memcpy(p + i, &w, 8);
    }
    return p + n;
}

/* A string of 3..max-1 characters, like the reference's nextString. */
static inline char *put_word(char *p, const char *pool, Rng *r, size_t max)
{
    return put_text(p, pool, r, 3 + rng_below(r, max - 3));
}

/* Padding so the record averages `avg` bytes given `cur` bytes already: a
   length uniform in desired +- 20%. */
static inline char *put_extra(char *p, const char *pool, Rng *r, size_t cur, size_t avg, int enabled)
{
    if (!enabled || cur >= avg) return p;
    size_t want = avg - cur;
    size_t delta = (size_t)llround(want * 0.2);
    size_t len = want - delta + (delta ? rng_below(r, 2 * delta) : 0);
    if (len > 1000) len = 1000;
    return put_text(p, pool, r, len);
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

static inline void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD HH:MM:SS.mmm" for epoch milliseconds ms (>= 0) */
static inline char *put_ts(char *p, vnx_ts *c, i64 ms)
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

static inline i64 event_us(const vnx_gen *c, i64 n)
{
    return c->base_ms * 1000 + (i64)((u64)n * 1000000u / (u64)c->rate); /* exact below 9e12 events */
}

static char *put_url(char *p, const char *pool, Rng *r)
{
    p = PUT_LIT(p, "https://www.nexmark.com/");
    p = put_text(p, pool, r, 5);
    *p++ = '/';
    p = put_text(p, pool, r, 5);
    *p++ = '/';
    p = put_text(p, pool, r, 5);
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
   < 16384 bytes (VNX_RECORD_MAX bounds a record); a span shorter than 128 moves
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

static inline char *sep(char *p, vnx_gen *c)
{
    if (c->fmt == VNX_CSV && c->spans) c->fend[c->nf++] = p;
    if (c->fmt != VNX_PB) *p++ = ',';
    return p;
}

static inline char *rec_open(char *p, vnx_gen *c)
{
    if (c->fmt == VNX_JSONL) *p++ = '{';
    else if (c->fmt == VNX_PB && c->framed) p += 2; /* the frame's length, see len_close */
    return p;
}

/* `start` is where rec_open began */
static inline char *rec_close(char *start, char *p, vnx_gen *c)
{
    if (c->fmt == VNX_PB) return c->framed ? len_close(start + 2, p) : p;
    if (c->fmt == VNX_CSV && c->spans) c->fend[c->nf++] = p;
    if (c->fmt == VNX_JSONL) *p++ = '}';
    *p++ = '\n';
    return p;
}

static inline char *int_field(char *p, vnx_gen *c, const char *key, size_t klen, int num, u64 v)
{
    if (c->fmt == VNX_PB) {
        *p++ = (char)PB_TAG(num, WT_VARINT);
        return put_varint(p, v);
    }
    if (c->fmt == VNX_JSONL) p = put_str(p, key, klen);
    return put_u64(p, v);
}
#define INT_FIELD(p, c, k, num, v) int_field((p), (c), "\"" k "\":", sizeof(k) + 2, (num), (v))

/* Opens a string field; returns where its text starts (the caller keeps it
   for str_close). */
static inline char *str_open(char *p, vnx_gen *c, const char *key, size_t klen, int num)
{
    if (c->fmt == VNX_PB) {
        *p++ = (char)PB_TAG(num, WT_LEN);
        return p + 2; /* the length, see len_close */
    }
    if (c->fmt == VNX_JSONL) p = put_str(p, key, klen);
    return p;
}
#define STR_OPEN(p, c, k, num) str_open((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num))

static inline char *str_close(char *body, char *p, vnx_gen *c)
{
    if (c->fmt == VNX_JSONL) *p++ = '"';
    if (c->fmt != VNX_PB) return p;
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

static inline char *ts_field(char *p, vnx_gen *c, const char *key, size_t klen, int num, vnx_ts *tc, i64 ms)
{
    if (c->fmt == VNX_PB) return put_pb_ts(p, num, ms);
    char *body = str_open(p, c, key, klen, num);
    return str_close(body, put_ts(body, tc, ms), c);
}
#define TS_FIELD(p, c, k, num, tc, ms) ts_field((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num), (tc), (ms))

/* a string field of known text */
static inline char *text_field(char *p, vnx_gen *c, const char *key, size_t klen, int num, const char *s, size_t n)
{
    char *body = str_open(p, c, key, klen, num);
    return str_close(body, put_str(body, s, n), c);
}
#define TEXT_FIELD(p, c, k, num, s, n) text_field((p), (c), "\"" k "\":\"", sizeof(k) + 3, (num), (s), (n))

/* Field numbers follow nexmark.proto. */
static char *write_person(char *p, vnx_gen *c, Rng *r, i64 n, i64 ms, vnx_ts *tc)
{
    char *start = p, *s;
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
    p = put_extra(p, c->pool, r, person_size, 200, c->extra);
    p = str_close(s, p, c);
    return rec_close(start, p, c);
}

static char *write_auction(char *p, vnx_gen *c, Rng *r, i64 n, i64 ms, vnx_ts *tc)
{
    char *start = p, *s;
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
    p = put_word(p, c->pool, r, 20);
    size_t auction_size = 8 * 6 + (size_t)(p - s);
    p = str_close(s, p, c);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "description", 3);
    p = put_word(p, c->pool, r, 100);
    auction_size += (size_t)(p - s);
    p = str_close(s, p, c);
    p = sep(p, c);
    p = INT_FIELD(p, c, "initial_bid", 4, (u64)initial);
    p = sep(p, c);
    p = INT_FIELD(p, c, "reserve", 5, (u64)reserve);
    p = sep(p, c);
    p = TS_FIELD(p, c, "date_time", 6, tc, ms);
    p = sep(p, c);
    vnx_ts tc2 = {-1, {0}};
    p = TS_FIELD(p, c, "expires", 7, &tc2, expires);
    p = sep(p, c);
    p = INT_FIELD(p, c, "seller", 8, (u64)(seller0 + FIRST_ID));
    p = sep(p, c);
    p = INT_FIELD(p, c, "category", 9, (u64)(FIRST_CATEGORY + rng_below(r, CATEGORIES)));
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "extra", 10);
    p = put_extra(p, c->pool, r, auction_size, 500, c->extra);
    p = str_close(s, p, c);
    return rec_close(start, p, c);
}

static char *write_bid(char *p, vnx_gen *c, Rng *r, i64 n, i64 ms, vnx_ts *tc)
{
    char *start = p, *s;
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
        p = put_url(p, c->pool, r);
        p = PUT_LIT(p, "&channel_id=");
        p = put_u64(p, (ch * 2654435761u) & 0x7fffffffu);
        p = str_close(s, p, c);
    }
    p = sep(p, c);
    p = TS_FIELD(p, c, "date_time", 6, tc, ms);
    p = sep(p, c);
    p = s = STR_OPEN(p, c, "extra", 7);
    p = put_extra(p, c->pool, r, 32, 100, c->extra); /* 4 numbers of 8 bytes, as the reference counts */
    p = str_close(s, p, c);
    return rec_close(start, p, c);
}

static const char *const vnx_headers[VNX_NKINDS] = {
    "id,name,email_address,credit_card,city,state,date_time,extra\n",
    "id,item_name,description,initial_bid,reserve,date_time,expires,seller,category,extra\n",
    "auction,bidder,price,channel,url,date_time,extra\n",
};

/* ---- interface -------------------------------------------------------------- */

void vnx_init(vnx_gen *g, int fmt, int64_t rate, int64_t base_ms, int extra, int framed)
{
    memset(g, 0, sizeof *g);
    g->fmt = fmt == VNX_FIELDS ? VNX_CSV : fmt;
    g->spans = fmt == VNX_FIELDS;
    g->rate = rate < 1 ? 1 : rate;
    g->base_ms = base_ms;
    g->extra = extra;
    g->framed = framed;
    for (int k = 0; k < VNX_NKINDS; k++) g->ts[k].sec = -1;
    pool_init(g->pool);
    Rng r;
    rng_seed(&r, 0xc0ffeeu);
    for (size_t h = 0; h < NELEM(hot_channels); h++) *put_url(g->hot_urls[h], g->pool, &r) = 0;
}

int vnx_kind(int64_t n)
{
    int slot = (int)(n % PROP_TOTAL);
    return slot < PROP_PERSON ? VNX_PERSON : slot < PROP_PERSON + PROP_AUCTION ? VNX_AUCTION : VNX_BID;
}

int64_t vnx_event_ms(const vnx_gen *g, int64_t n)
{
    return event_us(g, n) / 1000;
}

size_t vnx_write(vnx_gen *g, int64_t n, char *dst)
{
    Rng r;
    rng_seed(&r, (u64)n);
    i64 ms = vnx_event_ms(g, n);
    int kind = vnx_kind(n);
    g->nf = 0;
    char *end = kind == VNX_PERSON    ? write_person(dst, g, &r, n, ms, &g->ts[kind])
                : kind == VNX_AUCTION ? write_auction(dst, g, &r, n, ms, &g->ts[kind])
                                      : write_bid(dst, g, &r, n, ms, &g->ts[kind]);
    return (size_t)(end - dst);
}

const char *vnx_kind_name(int kind)
{
    static const char *const names[VNX_NKINDS] = {"person", "auction", "bid"};
    return names[kind];
}

const char *vnx_csv_header(int kind)
{
    return vnx_headers[kind];
}
