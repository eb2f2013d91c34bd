/*
 * test_hash.c -- runtime hashing (runtime/hash.c) and the COUNT(DISTINCT)
 * hash set (vset/vagg_set_add in runtime/agg.c): no full 64-bit collisions
 * among 100k distinct short keys, balanced buckets in both the low and the
 * high bits, every tail length, seeds, equal doubles hashing equal, and the
 * set's insert/duplicate/copy/grow behaviour.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "velo.h"

enum { NKEYS = 100000, NBUCKETS = 1024 };

static int cmp_u64(const void *a, const void *b)
{
    u64 x = *(const u64 *)a, y = *(const u64 *)b;
    return (x > y) - (x < y);
}

/* Short keys of the kinds GROUP BY sees: decimal ids, symbols, ids with a
 * common prefix. */
static int key(char *buf, int i)
{
    switch (i % 3) {
    case 0: return snprintf(buf, 32, "%d", i);
    case 1: return snprintf(buf, 32, "SYM%05d", i);
    default: return snprintf(buf, 32, "customer-%d@x", i);
    }
}

static void test_no_collisions(void **state)
{
    (void)state;
    u64 *h = malloc(sizeof(u64) * NKEYS);
    assert_non_null(h);
    char buf[32];
    for (int i = 0; i < NKEYS; i++) {
        int n = key(buf, i);
        h[i] = vh_bytes(buf, (vsize)n, 0);
    }
    qsort(h, NKEYS, sizeof(u64), cmp_u64);
    for (int i = 1; i < NKEYS; i++)
        if (h[i] == h[i - 1]) fail_msg("64-bit collision at %d", i);
    free(h);
}

/* Chi-square of NKEYS hashes over NBUCKETS buckets taken from the low or
 * the high bits: with 1023 degrees of freedom the statistic has mean 1023
 * and standard deviation ~45; a bad hash lands far above. */
static void check_buckets(int shift, u64 seed)
{
    static int count[NBUCKETS];
    memset(count, 0, sizeof count);
    char buf[32];
    for (int i = 0; i < NKEYS; i++) {
        int n = key(buf, i);
        u64 h = vh_bytes(buf, (vsize)n, seed);
        count[(h >> shift) & (NBUCKETS - 1)]++;
    }
    double mean = (double)NKEYS / NBUCKETS, chi = 0;
    int lo = NKEYS, hi = 0;
    for (int b = 0; b < NBUCKETS; b++) {
        double d = count[b] - mean;
        chi += d * d / mean;
        if (count[b] < lo) lo = count[b];
        if (count[b] > hi) hi = count[b];
    }
    if (chi > 1023 + 6 * 45.2) fail_msg("shift %d seed %llu: chi-square %.1f", shift, (unsigned long long)seed, chi);
    assert_true(lo > mean * 0.55);
    assert_true(hi < mean * 1.45);
}

static void test_bucket_balance(void **state)
{
    (void)state;
    check_buckets(0, 0);  /* open addressing uses the low bits */
    check_buckets(54, 0); /* the top bits */
    check_buckets(27, 0);
    check_buckets(0, 0x9E3779B97F4A7C15ULL);
}

static void test_all_lengths(void **state)
{
    (void)state;
    /* zero-filled keys of every length up to 100 (past the 32-byte stripe
     * loop and every 8/4/1 tail) hash apart: the length is mixed in */
    static unsigned char zeros[101];
    u64 h[101];
    for (int n = 0; n <= 100; n++) h[n] = vh_bytes(zeros, (vsize)n, 0);
    qsort(h, 101, sizeof(u64), cmp_u64);
    for (int i = 1; i <= 100; i++) assert_true(h[i] != h[i - 1]);
    /* one flipped bit anywhere in a 100-byte key changes the hash */
    unsigned char k[100];
    for (int i = 0; i < 100; i++) k[i] = (unsigned char)(i * 7);
    u64 base = vh_bytes(k, 100, 0);
    for (int bit = 0; bit < 800; bit++) {
        k[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        u64 x = vh_bytes(k, 100, 0);
        k[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        if (x == base) fail_msg("bit %d does not affect the hash", bit);
        /* about half of the output bits change */
        int flips = __builtin_popcountll(x ^ base);
        if (flips < 12 || flips > 52) fail_msg("bit %d flips %d output bits", bit, flips);
    }
    assert_true(vh_bytes(k, 100, 0) == base); /* deterministic */
}

static void test_seed_and_reads(void **state)
{
    (void)state;
    const char *s = "AAPL";
    assert_true(vh_bytes(s, 4, 0) != vh_bytes(s, 4, 1));
    assert_true(vh_bytes(s, 4, 0) == vh_bytes("AAPL", 4, 0));
    vstr v = {s, 4};
    assert_true(vh_str(v, 7) == vh_bytes(s, 4, 7));
    /* unaligned input reads the same as aligned */
    char buf[64];
    memcpy(buf + 1, "the quick brown fox jumps over the lazy dog", 43);
    assert_true(vh_bytes(buf + 1, 43, 0) == vh_bytes("the quick brown fox jumps over the lazy dog", 43, 0));
    /* NUL bytes are data */
    assert_true(vh_bytes("a\0b", 3, 0) != vh_bytes("a\0c", 3, 0));
    assert_true(vh_bytes("", 0, 0) != vh_bytes("\0", 1, 0));
}

static void test_f64_and_i64(void **state)
{
    (void)state;
    assert_true(vh_f64(0.0, 0) == vh_f64(-0.0, 0));
    assert_true(vh_f64(NAN, 0) == vh_f64(-NAN, 0));
    double other_nan;
    u64 bits = 0x7ff8000000000123ULL;
    memcpy(&other_nan, &bits, sizeof bits);
    assert_true(isnan(other_nan));
    assert_true(vh_f64(NAN, 3) == vh_f64(other_nan, 3));
    assert_true(vh_f64(1.0, 0) != vh_f64(-1.0, 0));
    assert_true(vh_f64(1.0, 0) != vh_f64(1.0, 1));
    /* integers: no collisions among 100k consecutive values */
    u64 *h = malloc(sizeof(u64) * NKEYS);
    assert_non_null(h);
    for (int i = 0; i < NKEYS; i++) h[i] = vh_i64(i - NKEYS / 2, 0);
    qsort(h, NKEYS, sizeof(u64), cmp_u64);
    for (int i = 1; i < NKEYS; i++) assert_true(h[i] != h[i - 1]);
    free(h);
}

static void test_set(void **state)
{
    (void)state;
    vset s;
    memset(&s, 0, sizeof s);
    char buf[32];
    for (int i = 0; i < NKEYS; i++) {
        int n = key(buf, i);
        vstr k = {buf, n};
        assert_int_equal(vagg_set_add(&s, k), 1);
    }
    assert_int_equal(s.n, NKEYS);
    assert_true(s.cap >= 2 * s.n); /* at most half full */
    assert_int_equal(s.cap & (s.cap - 1), 0);
    for (int i = 0; i < NKEYS; i += 7) {
        int n = key(buf, i);
        vstr k = {buf, n};
        assert_int_equal(vagg_set_add(&s, k), 0);
    }
    assert_int_equal(s.n, NKEYS);
    /* a key that is a prefix of another, with NUL inside, and empty */
    vstr a = {"a", 1}, anul = {"a\0", 2}, anulb = {"a\0b", 3}, empty = {"", 0};
    assert_int_equal(vagg_set_add(&s, a), 1);
    assert_int_equal(vagg_set_add(&s, anul), 1);
    assert_int_equal(vagg_set_add(&s, anulb), 1);
    assert_int_equal(vagg_set_add(&s, empty), 1);
    assert_int_equal(vagg_set_add(&s, empty), 0);
    assert_int_equal(vagg_set_add(&s, anul), 0);
    assert_int_equal(s.n, NKEYS + 4);
    vagg_free_set(&s);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.cap, 0);
    assert_null(s.h);
}

static void test_set_copies_keys(void **state)
{
    (void)state;
    vset s;
    memset(&s, 0, sizeof s);
    char buf[8] = "xyz";
    vstr k = {buf, 3};
    assert_int_equal(vagg_set_add(&s, k), 1);
    memcpy(buf, "abc", 3); /* the caller's buffer is reused for the next record */
    assert_int_equal(vagg_set_add(&s, k), 1);
    vstr xyz = {"xyz", 3};
    assert_int_equal(vagg_set_add(&s, xyz), 0);
    assert_int_equal(s.n, 2);
    vagg_free_set(&s);
    vagg_free_set(&s); /* idempotent */
}

/* The 64-bit value set against a sorted reference: duplicates, 0 (the
 * empty-slot marker, kept as a flag), values that share low bits, growth,
 * merge, and the DOUBLE bits (-0.0 is 0.0, every NaN one value). */
static void test_iset(void **state)
{
    (void)state;
    enum { N = 20000 };
    static u64 vals[N], ref[N];
    viset a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    u64 x = 88172645463325252ULL;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* few distinct values, some 0, some equal in their low 32 bits */
        vals[i] = i % 7 == 0 ? 0 : (x % 3000) << (i % 2 ? 32 : 0);
        int isnew = vagg_iset_add(i % 3 ? &a : &b, vals[i]);
        (void)isnew;
    }
    memcpy(ref, vals, sizeof vals);
    qsort(ref, N, sizeof ref[0], cmp_u64);
    i64 distinct = 0;
    for (int i = 0; i < N; i++) distinct += i == 0 || ref[i] != ref[i - 1];
    i64 nb = b.n;
    vagg_iset_merge(&a, &b);
    assert_int_equal(a.n, distinct);
    assert_true(nb < distinct);
    for (int i = 0; i < N; i++) assert_int_equal(vagg_iset_add(&a, vals[i]), 0);
    assert_int_equal(vagg_iset_add(&a, 1ULL << 63), 1);
    vagg_free_iset(&a);
    vagg_free_iset(&b);
    vagg_free_iset(&b); /* idempotent */
    assert_int_equal(a.n, 0);
    assert_null(a.v);

    assert_true(vh_f64_bits(-0.0) == vh_f64_bits(0.0));
    assert_true(vh_f64_bits(0.0 / 0.0) == vh_f64_bits(-(0.0 / 0.0)));
    assert_true(vh_f64_bits(1.0) != vh_f64_bits(-1.0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_collisions),   cmocka_unit_test(test_bucket_balance), cmocka_unit_test(test_all_lengths),
        cmocka_unit_test(test_seed_and_reads),  cmocka_unit_test(test_f64_and_i64),    cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_copies_keys), cmocka_unit_test(test_iset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
