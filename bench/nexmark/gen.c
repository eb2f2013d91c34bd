/*
 * gen.c — NEXMark event generator (Person / Auction / Bid), written from the
 * NEXMark specification as implemented by the nexmark/nexmark Flink generator.
 *
 *   gen --events N [--rate R] [--format csv|jsonl] [--out DIR]
 *       [--bids-only] [--base-ms MS] [--no-extra]
 *
 * Writes DIR/person.EXT, DIR/auction.EXT and DIR/bid.EXT (EXT = csv or jsonl;
 * CSV with a header).  --bids-only writes bid.EXT alone (the event ids and
 * times are the same as in the full run: persons and auctions are generated
 * as ids, not written).  DIR may hold FIFOs (mkfifo) to stream without disk.
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

typedef uint64_t u64;
typedef int64_t i64;

enum { FMT_CSV, FMT_JSONL };
enum { PERSON, AUCTION, BID, NKINDS };

static const char *const kind_name[NKINDS] = {"person", "auction", "bid"};

/* ---- output buffers ------------------------------------------------------ */

#define OBUF_SIZE  (1u << 20)
#define OBUF_SLACK 4096 /* one record never exceeds this */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    const char *path;
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
    char sep; /* ',' for CSV */
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

/* CSV: `v,`; JSONL: `"key":v,` — helpers for the two formats */
#define KEY(p, c, k) ((c)->fmt == FMT_JSONL ? PUT_LIT((p), "\"" k "\":") : (p))
static inline char *quote(char *p, int fmt)
{
    if (fmt == FMT_JSONL) *p++ = '"';
    return p;
}
#define STR_OPEN(p, c)  quote((p), (c)->fmt)
#define STR_CLOSE(p, c) quote((p), (c)->fmt)

static void write_person(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p;
    if (c->fmt == FMT_JSONL) *p++ = '{';
    p = KEY(p, c, "id");
    p = put_u64(p, (u64)(last_person0(n) + FIRST_ID));
    *p++ = ',';
    p = KEY(p, c, "name");
    p = STR_OPEN(p, c);
    const char *fn = first_names[rng_below(r, NELEM(first_names))];
    const char *ln = last_names[rng_below(r, NELEM(last_names))];
    p = put_str(p, fn, strlen(fn));
    *p++ = ' ';
    p = put_str(p, ln, strlen(ln));
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "email_address");
    p = STR_OPEN(p, c);
    for (int i = 0; i < 7; i++) *p++ = (char)('a' + rng_below(r, 26));
    *p++ = '@';
    for (int i = 0; i < 5; i++) *p++ = (char)('a' + rng_below(r, 26));
    p = PUT_LIT(p, ".com");
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "credit_card");
    p = STR_OPEN(p, c);
    for (int g = 0; g < 4; g++) {
        u64 v = rng_below(r, 10000);
        if (g) *p++ = ' ';
        *p++ = (char)('0' + v / 1000);
        *p++ = (char)('0' + v / 100 % 10);
        *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "city");
    p = STR_OPEN(p, c);
    const char *city = cities[rng_below(r, NELEM(cities))];
    /* the reference's size: 8 per number plus the string lengths (state 2, e-mail 17, card 19) */
    size_t person_size = 8 + strlen(fn) + 1 + strlen(ln) + 17 + 19 + strlen(city) + 2;
    p = put_str(p, city, strlen(city));
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "state");
    p = STR_OPEN(p, c);
    const char *st = states[rng_below(r, NELEM(states))];
    p = put_str(p, st, 2);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "date_time");
    p = STR_OPEN(p, c);
    p = put_ts(p, tc, ms);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "extra");
    p = STR_OPEN(p, c);
    p = put_extra(p, r, person_size, 200, c->extra);
    p = STR_CLOSE(p, c);
    if (c->fmt == FMT_JSONL) *p++ = '}';
    *p++ = '\n';
    o->len += (size_t)(p - start);
}

static void write_auction(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p;
    i64 seller0 = rng_below(r, HOT_SELLER_RATIO) > 0 ? last_person0(n) / HOT_ROUND * HOT_ROUND : next_person0(r, n);
    i64 initial = next_price(r);
    i64 reserve = initial + next_price(r);
    /* the time until INFLIGHT_AUCTIONS more auctions exist */
    i64 horizon_ms = (event_us(c, n + INFLIGHT_AUCTIONS * PROP_TOTAL / PROP_AUCTION) - event_us(c, n)) / 1000;
    i64 expires = ms + 1 + (i64)rng_below(r, (u64)(horizon_ms * 2 > 1 ? horizon_ms * 2 : 1));
    if (c->fmt == FMT_JSONL) *p++ = '{';
    p = KEY(p, c, "id");
    p = put_u64(p, (u64)(last_auction0(n) + FIRST_ID));
    *p++ = ',';
    p = KEY(p, c, "item_name");
    p = STR_OPEN(p, c);
    char *item = p;
    p = put_word(p, r, 20);
    size_t auction_size = 8 * 6 + (size_t)(p - item);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "description");
    p = STR_OPEN(p, c);
    char *desc = p;
    p = put_word(p, r, 100);
    auction_size += (size_t)(p - desc);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "initial_bid");
    p = put_u64(p, (u64)initial);
    *p++ = ',';
    p = KEY(p, c, "reserve");
    p = put_u64(p, (u64)reserve);
    *p++ = ',';
    p = KEY(p, c, "date_time");
    p = STR_OPEN(p, c);
    p = put_ts(p, tc, ms);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "expires");
    p = STR_OPEN(p, c);
    TsCache tc2 = {-1, {0}};
    p = put_ts(p, &tc2, expires);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "seller");
    p = put_u64(p, (u64)(seller0 + FIRST_ID));
    *p++ = ',';
    p = KEY(p, c, "category");
    p = put_u64(p, (u64)(FIRST_CATEGORY + rng_below(r, CATEGORIES)));
    *p++ = ',';
    p = KEY(p, c, "extra");
    p = STR_OPEN(p, c);
    p = put_extra(p, r, auction_size, 500, c->extra);
    p = STR_CLOSE(p, c);
    if (c->fmt == FMT_JSONL) *p++ = '}';
    *p++ = '\n';
    o->len += (size_t)(p - start);
}

static void write_bid(Out *o, const Cfg *c, Rng *r, i64 n, i64 ms, TsCache *tc)
{
    char *p = out_reserve(o), *start = p;
    i64 auction0 = rng_below(r, HOT_AUCTION_RATIO) > 0 ? last_auction0(n) / HOT_ROUND * HOT_ROUND : next_auction0(r, n);
    i64 bidder0 = rng_below(r, HOT_BIDDER_RATIO) > 0 ? last_person0(n) / HOT_ROUND * HOT_ROUND + 1 : next_person0(r, n);
    i64 price = next_price(r);
    if (c->fmt == FMT_JSONL) *p++ = '{';
    p = KEY(p, c, "auction");
    p = put_u64(p, (u64)(auction0 + FIRST_ID));
    *p++ = ',';
    p = KEY(p, c, "bidder");
    p = put_u64(p, (u64)(bidder0 + FIRST_ID));
    *p++ = ',';
    p = KEY(p, c, "price");
    p = put_u64(p, (u64)price);
    *p++ = ',';
    if (rng_below(r, 2) > 0) {
        size_t h = rng_below(r, NELEM(hot_channels));
        p = KEY(p, c, "channel");
        p = STR_OPEN(p, c);
        p = put_str(p, hot_channels[h], strlen(hot_channels[h]));
        p = STR_CLOSE(p, c);
        *p++ = ',';
        p = KEY(p, c, "url");
        p = STR_OPEN(p, c);
        p = put_str(p, c->hot_urls[h], strlen(c->hot_urls[h]));
    } else {
        u64 ch = rng_below(r, CHANNELS);
        p = KEY(p, c, "channel");
        p = STR_OPEN(p, c);
        p = PUT_LIT(p, "channel-");
        p = put_u64(p, ch);
        p = STR_CLOSE(p, c);
        *p++ = ',';
        p = KEY(p, c, "url");
        p = STR_OPEN(p, c);
        p = put_url(p, r);
        p = PUT_LIT(p, "&channel_id=");
        p = put_u64(p, (ch * 2654435761u) & 0x7fffffffu);
    }
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "date_time");
    p = STR_OPEN(p, c);
    p = put_ts(p, tc, ms);
    p = STR_CLOSE(p, c);
    *p++ = ',';
    p = KEY(p, c, "extra");
    p = STR_OPEN(p, c);
    p = put_extra(p, r, 32, 100, c->extra); /* 4 numbers of 8 bytes, as the reference counts */
    p = STR_CLOSE(p, c);
    if (c->fmt == FMT_JSONL) *p++ = '}';
    *p++ = '\n';
    o->len += (size_t)(p - start);
}

static const char *const csv_header[NKINDS] = {
    "id,name,email_address,credit_card,city,state,date_time,extra\n",
    "id,item_name,description,initial_bid,reserve,date_time,expires,seller,category,extra\n",
    "auction,bidder,price,channel,url,date_time,extra\n",
};

static void usage(void)
{
    fprintf(stderr, "usage: gen --events N [--rate EVENTS_PER_S] [--format csv|jsonl] [--out DIR]\n"
                    "           [--bids-only] [--base-ms EPOCH_MS] [--no-extra]\n");
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

int main(int argc, char **argv)
{
    i64 events = -1;
    const char *dir = ".";
    int bids_only = 0;
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
            else usage();
            i++;
        } else if (!strcmp(a, "--out") && v) {
            dir = v;
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
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
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

    Out out[NKINDS];
    const char *ext = cfg.fmt == FMT_CSV ? "csv" : "jsonl";
    for (int k = 0; k < NKINDS; k++) {
        out[k].f = NULL;
        if (bids_only && k != BID) continue;
        size_t plen = strlen(dir) + 32;
        char *path = malloc(plen);
        snprintf(path, plen, "%s/%s.%s", dir, kind_name[k], ext);
        out[k].path = path;
        out[k].f = fopen(path, "wb");
        out[k].buf = malloc(OBUF_SIZE);
        out[k].len = 0;
        if (!out[k].f || !out[k].buf) {
            fprintf(stderr, "gen: open %s: %s\n", path, strerror(errno));
            return 1;
        }
        setvbuf(out[k].f, NULL, _IONBF, 0);
        if (cfg.fmt == FMT_CSV) {
            out[k].len = strlen(csv_header[k]);
            memcpy(out[k].buf, csv_header[k], out[k].len);
        }
    }

    TsCache tc[NKINDS] = {{-1, {0}}, {-1, {0}}, {-1, {0}}};
    for (i64 n = 0; n < events; n++) {
        int slot = (int)(n % PROP_TOTAL);
        int kind = slot < PROP_PERSON ? PERSON : slot < PROP_PERSON + PROP_AUCTION ? AUCTION : BID;
        if (!out[kind].f) continue;
        Rng r;
        rng_seed(&r, (u64)n);
        i64 ms = event_us(&cfg, n) / 1000;
        if (kind == PERSON) write_person(&out[kind], &cfg, &r, n, ms, &tc[kind]);
        else if (kind == AUCTION) write_auction(&out[kind], &cfg, &r, n, ms, &tc[kind]);
        else write_bid(&out[kind], &cfg, &r, n, ms, &tc[kind]);
    }
    for (int k = 0; k < NKINDS; k++) {
        if (!out[k].f) continue;
        out_flush(&out[k]);
        if (fclose(out[k].f) != 0) {
            fprintf(stderr, "gen: close %s: %s\n", out[k].path, strerror(errno));
            return 1;
        }
        free(out[k].buf);
        free((void *)out[k].path);
    }
    return 0;
}
