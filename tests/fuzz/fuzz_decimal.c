/*
 * fuzz_decimal.c -- libFuzzer target for the exact arithmetic of the
 * runtime: DECIMAL (runtime/decimal.c) and TIMESTAMP (runtime/vtime.c).
 *
 * Input layout (missing bytes read as zero):
 *   [0] scale a  [1] scale b  [2] result scale  [3] digits / prec / field
 *   [4..12) a    [12..20) b   [20..28) a double  [28..) text
 * Properties checked (a failure aborts, which libFuzzer reports):
 *   - vd_parse of the text at every scale 0..18: when it succeeds,
 *     parse(format(v)) == v; vd_format(a) reads back as a at every scale;
 *   - add/mul are commutative, (a + b) - b == a at the common scale,
 *     a / b is a rounded half away from zero, cmp is antisymmetric,
 *     trunc/floor/ceil bound the value; nothing trips UBSan;
 *   - vt_parse of the text: format and ISO format read back equal when the
 *     year stays within 0000..9999; every vt_* function on an arbitrary
 *     timestamp stays defined.
 */
#include "fuzz_common.h"

typedef __int128 i128;

static velo_rt *rt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rt = fz_rt_new();
    return 0;
}

#define CHECK(c)                                                                                                                           \
    do {                                                                                                                                   \
        if (!(c)) {                                                                                                                        \
            fprintf(stderr, "fuzz_decimal: check failed at line %d: %s\n", __LINE__, #c);                                                  \
            abort();                                                                                                                       \
        }                                                                                                                                  \
    } while (0)

static int take_err(void)
{
    int e = rt->err;
    rt->err = 0;
    rt->errmsg = NULL;
    va_reset(&rt->tmp);
    return e;
}

static void check_text_decimal(const char *p, i64 n)
{
    for (int s = 0; s <= 18; s++) {
        i64 v, w;
        if (vd_parse(p, n, s, &v) != 0) continue;
        char buf[32];
        int len = vd_format(buf, v, s);
        CHECK(len > 0 && len < 32 && (size_t)len == strlen(buf));
        CHECK(vd_parse(buf, len, s, &w) == 0 && w == v);
    }
}

static void check_format(i64 a)
{
    for (int s = 0; s <= 18; s++) {
        char buf[32];
        i64 w;
        int len = vd_format(buf, a, s);
        CHECK(len > 0 && len < 32);
        CHECK(vd_parse(buf, len, s, &w) == 0 && w == a);
    }
}

static i64 iabs128_le(i128 x, i128 y)
{
    return (x < 0 ? -x : x) <= (y < 0 ? -y : y);
}

static void check_arith(i64 a, int sa, i64 b, int sb, int sr)
{
    int sm = sa > sb ? sa : sb;
    /* commutativity, with the same failure status */
    i64 r1 = vd_add(rt, a, sa, b, sb, sr);
    int e1 = take_err();
    i64 r2 = vd_add(rt, b, sb, a, sa, sr);
    int e2 = take_err();
    CHECK(e1 == e2 && (e1 || r1 == r2));
    r1 = vd_mul(rt, a, sa, b, sb, sr);
    e1 = take_err();
    r2 = vd_mul(rt, b, sb, a, sa, sr);
    e2 = take_err();
    CHECK(e1 == e2 && (e1 || r1 == r2));
    /* (a + b) - b == a at the common scale */
    i64 sum = vd_add(rt, a, sa, b, sb, sm);
    int esum = take_err();
    i64 ar = vd_rescale(rt, a, sa, sm);
    if (!esum && !take_err()) { /* a itself may not fit at scale sm */
        i64 back = vd_sub(rt, sum, sm, b, sb, sm);
        CHECK(!take_err());
        CHECK(back == ar);
    }
    take_err();
    vd_sub(rt, a, sa, b, sb, sr);
    take_err();
    /* a / b rounded half away from zero: |2 (a*10^e - q*b)| <= |b| */
    i64 q = vd_div(rt, a, sa, b, sb, sr);
    int ed = take_err();
    CHECK(b != 0 || ed);
    int e = sr - sa + sb;
    if (!ed && e >= -18 && e <= 18) {
        i128 num = a, den = b, prod, rem;
        if (e >= 0) num *= vd_pow10[e];
        else den *= vd_pow10[-e];
        CHECK(!__builtin_mul_overflow((i128)q, den, &prod));
        rem = num - prod;
        CHECK(iabs128_le(rem * 2, den));
        /* and away from zero on a tie */
        if (rem != 0 && iabs128_le(den, rem * 2)) CHECK((q < 0) == ((a < 0) != (b < 0)));
    }
    vd_mod(rt, a, sa, b, sb, sr);
    CHECK(take_err() || b != 0);
    /* comparison */
    CHECK(vd_cmp(a, sa, b, sb) == -vd_cmp(b, sb, a, sa));
    CHECK(vd_cmp(a, sa, a, sa) == 0);
    i64 rs = vd_rescale(rt, a, sa, sr);
    if (!take_err() && sr >= sa) CHECK(vd_cmp(rs, sr, a, sa) == 0);
}

static void check_rounding(i64 v, int s, int digits, int prec)
{
    int rs = digits < 0 ? 0 : digits < s ? digits : s;
    i64 r = vd_round(rt, v, s, digits);
    take_err();
    (void)r;
    i64 t = vd_trunc(rt, v, s, digits);
    if (!take_err()) {
        int c = vd_cmp(t, rs, v, s);
        if (v >= 0) CHECK(t >= 0 && c <= 0);
        else CHECK(t <= 0 && c >= 0);
    }
    i64 fl = vd_floor(rt, v, s), ce = vd_ceil(rt, v, s);
    CHECK(!take_err());
    CHECK(vd_cmp(fl, 0, v, s) <= 0 && vd_cmp(ce, 0, v, s) >= 0);
    CHECK(ce - fl == 0 || ce - fl == 1);
    vd_check_prec(rt, v, prec);
    take_err();
    i64 i = vd_to_i64(rt, v, s);
    take_err();
    (void)i;
    vd_from_i64(rt, v, s);
    take_err();
    double d = vd_to_f64(v, s);
    vd_from_f64(rt, d, s);
    take_err();
}

static void check_text_time(const char *p, i64 n)
{
    i64 ts, w;
    if (vt_parse(p, n, &ts) == 0) {
        /* 0000-01-01 .. 9999-12-31 23:59:59.999999 read back */
        if (ts >= -62167219200000000LL && ts < 253402300800000000LL) {
            char buf[40];
            int len = vt_format(buf, ts);
            CHECK(len > 0 && len < 40);
            CHECK(vt_parse(buf, len, &w) == 0 && w == ts);
            len = vt_format_iso(buf, ts);
            CHECK(len > 0 && len < 40);
            CHECK(vt_parse(buf, len, &w) == 0 && w == ts);
        }
    }
    i64 dur;
    vt_parse_duration(p, n, &dur);
}

static void check_ts(i64 ts, i64 months)
{
    char buf[40];
    CHECK(vt_format(buf, ts) < 40);
    CHECK(vt_format_iso(buf, ts) < 40);
    for (int f = VT_F_YEAR; f <= VT_F_EPOCH; f++) {
        vt_extract(f, ts);
        vt_trunc(rt, f, ts);
        take_err();
    }
    vt_add_months(rt, ts, months);
    take_err();
}

static i64 rd64(const uint8_t *p)
{
    u64 v = 0;
    for (int i = 0; i < 8; i++) v |= (u64)p[i] << (8 * i);
    return (i64)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[28];
    memset(h, 0, sizeof h);
    memcpy(h, data, size < sizeof h ? size : sizeof h);
    int sa = h[0] % 19, sb = h[1] % 19, sr = h[2] % 19;
    int digits = (int)(h[3] % 41) - 20, prec = h[3] % 21;
    i64 a = rd64(h + 4), b = rd64(h + 12);
    double d;
    memcpy(&d, h + 20, sizeof d);
    const char *text = size > 28 ? (const char *)data + 28 : "";
    i64 n = size > 28 ? (i64)(size - 28) : 0;

    check_text_decimal(text, n);
    check_format(a);
    check_arith(a, sa, b, sb, sr);
    check_rounding(a, sa, digits, prec);
    vd_from_f64(rt, d, sr);
    take_err();
    check_text_time(text, n);
    check_ts(a, b % 1000000);
    return 0;
}
