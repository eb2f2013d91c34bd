/*
** gen_rows.c — deterministic benchmark dataset generator.
**
**   gen_rows --rows N --format csv|jsonl --out FILE [--seed S]
**
** Writes N rows (~100 bytes each) of
**   id BIGINT, ts TIMESTAMP (ISO 8601, UTC, ms), user_id INTEGER, category STRING
**   (12 values), amount DECIMAL(12,2), qty INTEGER, price DOUBLE, note STRING
** as CSV with a header or as JSON Lines.  Same arguments, same bytes: a
** xorshift64* PRNG, no locale, no libc formatting in the hot loop (numbers
** are formatted by hand into a large buffer that is fwrite()n in blocks).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *gr_category[12] = {"groceries", "travel", "dining", "utilities", "electronics", "books",
                                      "clothing",  "health", "games",  "garden",    "music",       "sports"};
static const char *gr_words[16] = {"fast",   "blue",  "order",  "gift",   "repeat", "promo",  "bulk",  "late",
                                   "mobile", "store", "online", "return", "quiet",  "bright", "spare", "prime"};

static uint64_t gr_state = 0x9E3779B97F4A7C15ull;

static uint64_t gr_next(void)
{
    uint64_t x = gr_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    gr_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Output buffer, flushed whenever less than one row of space is left. */
#define GR_BUF (1 << 20)
static char gr_buf[GR_BUF];
static size_t gr_len;
static FILE *gr_out;

static void gr_flush(void)
{
    if (gr_len && fwrite(gr_buf, 1, gr_len, gr_out) != gr_len) {
        perror("gen_rows: write");
        exit(1);
    }
    gr_len = 0;
}

static void gr_str(const char *s)
{
    size_t n = strlen(s);
    memcpy(gr_buf + gr_len, s, n);
    gr_len += n;
}

static void gr_chr(char c)
{
    gr_buf[gr_len++] = c;
}

static void gr_u64(uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) gr_buf[gr_len++] = tmp[--n];
}

/* Zero-padded to width digits. */
static void gr_pad(unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        gr_buf[gr_len + i] = (char)('0' + v % 10);
        v /= 10;
    }
    gr_len += (size_t)width;
}

/* Fixed-point value with `scale` fraction digits. */
static void gr_fixed(uint64_t v, int scale, unsigned div)
{
    gr_u64(v / div);
    gr_chr('.');
    gr_pad((unsigned)(v % div), scale);
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void gr_date(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

static void gr_ts(int64_t ms)
{
    int y;
    unsigned mo, d;
    int64_t sec = ms / 1000;
    gr_date(sec / 86400, &y, &mo, &d);
    unsigned sod = (unsigned)(sec % 86400);
    gr_pad((unsigned)y, 4);
    gr_chr('-');
    gr_pad(mo, 2);
    gr_chr('-');
    gr_pad(d, 2);
    gr_chr('T');
    gr_pad(sod / 3600, 2);
    gr_chr(':');
    gr_pad(sod / 60 % 60, 2);
    gr_chr(':');
    gr_pad(sod % 60, 2);
    gr_chr('.');
    gr_pad((unsigned)(ms % 1000), 3);
}

static void usage(void)
{
    fprintf(stderr, "usage: gen_rows --rows N --format csv|jsonl --out FILE [--seed S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long long rows = -1;
    const char *format = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "--rows")) rows = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--format")) format = argv[++i];
        else if (!strcmp(argv[i], "--out")) path = argv[++i];
        else if (!strcmp(argv[i], "--seed")) gr_state ^= strtoull(argv[++i], NULL, 10) * 0xD1B54A32D192ED03ull;
        else usage();
    }
    if (rows < 0 || !format || !path) usage();
    int jsonl = !strcmp(format, "jsonl");
    if (!jsonl && strcmp(format, "csv")) usage();
    gr_out = fopen(path, "wb");
    if (!gr_out) {
        perror(path);
        return 1;
    }
    if (!jsonl) gr_str("id,ts,user_id,category,amount,qty,price,note\n");

    int64_t ts = 1767225600000ll; /* 2026-01-01 00:00:00 UTC, in ms */
    for (long long id = 1; id <= rows; id++) {
        uint64_t r1 = gr_next(), r2 = gr_next();
        ts += (int64_t)(r1 & 1023); /* mostly increasing event time */
        unsigned user = (unsigned)(r1 >> 10) % 100000 + 1;
        const char *cat = gr_category[(r1 >> 30) % 12];
        uint64_t cents = (r1 >> 34) % 100000 + 1; /* 0.01 .. 1000.00 */
        unsigned qty = (unsigned)(r2 % 20) + 1;
        uint64_t milli = (r2 >> 8) % 500000 + 100; /* price 0.100 .. 500.099 */
        const char *w1 = gr_words[(r2 >> 32) & 15], *w2 = gr_words[(r2 >> 36) & 15];
        const char *w3 = gr_words[(r2 >> 40) & 15], *w4 = gr_words[(r2 >> 44) & 15];

        if (gr_len > GR_BUF - 512) gr_flush();
        if (jsonl) {
            gr_str("{\"id\":");
            gr_u64((uint64_t)id);
            gr_str(",\"ts\":\"");
            gr_ts(ts);
            gr_str("\",\"user_id\":");
            gr_u64(user);
            gr_str(",\"category\":\"");
            gr_str(cat);
            gr_str("\",\"amount\":");
            gr_fixed(cents, 2, 100);
            gr_str(",\"qty\":");
            gr_u64(qty);
            gr_str(",\"price\":");
            gr_fixed(milli, 3, 1000);
            gr_str(",\"note\":\"");
            gr_str(w1);
            gr_chr(' ');
            gr_str(w2);
            gr_chr(' ');
            gr_str(w3);
            gr_chr(' ');
            gr_str(w4);
            gr_str("\"}\n");
        } else {
            gr_u64((uint64_t)id);
            gr_chr(',');
            gr_ts(ts);
            gr_chr(',');
            gr_u64(user);
            gr_chr(',');
            gr_str(cat);
            gr_chr(',');
            gr_fixed(cents, 2, 100);
            gr_chr(',');
            gr_u64(qty);
            gr_chr(',');
            gr_fixed(milli, 3, 1000);
            gr_chr(',');
            gr_str(w1);
            gr_chr(' ');
            gr_str(w2);
            gr_chr(' ');
            gr_str(w3);
            gr_chr(' ');
            gr_str(w4);
            gr_chr('\n');
        }
    }
    gr_flush();
    if (fclose(gr_out) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}
