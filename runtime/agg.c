/*
 * agg.c -- state helpers for the aggregates that need more than a few
 * scalars: MEDIAN (a growable array of doubles), STRING_AGG (a growable byte
 * buffer) and COUNT(DISTINCT) (a set of byte strings, or of 64-bit values
 * for every other type).
 *
 * These live as long as their group, not a record, so they use malloc and
 * are released by the vagg_free_* calls when the group is emitted/evicted.
 */
#include "velo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* Every allocation of this file goes through here: old is the size of p
 * (0 for a new block), for the state memory accounting (rt.c limit). */
static void *vagg_realloc_acct(void *p, vsize old, vsize n)
{
    void *q = VELO_TEST_ALLOC_FAILS() ? NULL : realloc(p, n ? n : 1);

    if (!q) {
        fputs("velo: out of memory\n", stderr);
        exit(1);
    }
    velo_mem_account((i64)n - (i64)old, 0);
    return q;
}
#define vagg_realloc(p, n) vagg_realloc_acct(p, 0, n)

static void *vagg_calloc(vsize n)
{
    void *q = vagg_realloc_acct(NULL, 0, n);
    memset(q, 0, n);
    return q;
}

void vagg_push_f64(vdarr *a, double v)
{
    if (a->n == a->cap) {
        i64 old = a->cap;
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = vagg_realloc_acct(a->v, (vsize)old * sizeof(double), (vsize)a->cap * sizeof(double));
    }
    a->v[a->n++] = v;
}

static int vagg_cmp_f64(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return (a > b) - (a < b);
}

double vagg_median(vdarr *a)
{
    i64 m;

    if (a->n == 0) return 0.0; /* codegen emits NULL for empty groups before asking */
    qsort(a->v, (vsize)a->n, sizeof(double), vagg_cmp_f64);
    m = a->n / 2;
    if (a->n % 2) return a->v[m];
    return a->v[m - 1] + (a->v[m] - a->v[m - 1]) / 2; /* no overflow near DBL_MAX */
}

void vagg_strcat(vsbuf *b, vstr sep, vstr v, int first)
{
    i64 need = b->n + (first ? 0 : sep.n) + v.n + 1;

    if (need > b->cap) {
        i64 cap = b->cap ? b->cap : 64;

        while (cap < need) cap *= 2;
        b->p = vagg_realloc_acct(b->p, (vsize)b->cap, (vsize)cap);
        b->cap = cap;
    }
    if (!first && sep.n) {
        memcpy(b->p + b->n, sep.p, (vsize)sep.n);
        b->n += sep.n;
    }
    if (v.n) {
        memcpy(b->p + b->n, v.p, (vsize)v.n);
        b->n += v.n;
    }
    b->p[b->n] = '\0';
}

/* Slot i is empty when k[i].p == NULL; the capacity is a power of two and
 * at most half full. */
static i64 vagg_set_find(const vset *s, u64 h, vstr key)
{
    i64 mask = s->cap - 1, i = (i64)(h & (u64)mask);

    while (s->k[i].p) {
        if (s->h[i] == h && vs_eq(s->k[i], key)) return i;
        i = (i + 1) & mask;
    }
    return i;
}

static void vagg_set_grow(vset *s)
{
    vset old = *s;
    i64 i, j;

    s->cap = old.cap ? old.cap * 2 : 16;
    s->h = vagg_realloc(NULL, (vsize)s->cap * sizeof(u64));
    s->k = vagg_calloc((vsize)s->cap * sizeof(vstr));
    for (i = 0; i < old.cap; i++) {
        if (!old.k[i].p) continue;
        j = vagg_set_find(s, old.h[i], old.k[i]);
        s->h[j] = old.h[i];
        s->k[j] = old.k[i];
    }
    free(old.h);
    free(old.k);
    velo_mem_account(-(i64)old.cap * (i64)(sizeof(u64) + sizeof(vstr)), 0);
}

int vagg_set_add(vset *s, vstr key)
{
    u64 h = vh_bytes(key.p, (vsize)key.n, 0);
    char *copy;
    i64 i;

    if (2 * (s->n + 1) > s->cap) vagg_set_grow(s);
    i = vagg_set_find(s, h, key);
    if (s->k[i].p) return 0;
    copy = vagg_realloc(NULL, (vsize)key.n + 1); /* non-NULL even when empty */
    if (key.n) memcpy(copy, key.p, (vsize)key.n);
    copy[key.n] = '\0';
    s->h[i] = h;
    s->k[i].p = copy;
    s->k[i].n = key.n;
    s->n++;
    return 1;
}

/*
 * The set of COUNT(DISTINCT) over a fixed-width type (integers, DECIMAL,
 * TIMESTAMP, BOOLEAN, DOUBLE as its bits): the values themselves in an open
 * addressing table, 0 marking an empty slot and the value 0 kept as a flag.
 * The byte-string set above copied each such 8-byte key into a malloc'd
 * block of its own, with a hash and a span beside it: NEXMark q16 (eight
 * COUNT(DISTINCT) of BIGINT per group) spent 40 % of its time in that
 * malloc, free and the pointer chase of the compare.
 */
static i64 vagg_iset_find(const viset *s, u64 v)
{
    i64 mask = s->cap - 1, i = (i64)(vh_mix(v) & (u64)mask);

    while (s->v[i] && s->v[i] != v) i = (i + 1) & mask;
    return i;
}

static void vagg_iset_grow(viset *s)
{
    viset old = *s;

    s->cap = old.cap ? old.cap * 2 : 8;
    s->v = vagg_calloc((vsize)s->cap * sizeof(u64));
    for (i64 i = 0; i < old.cap; i++)
        if (old.v[i]) s->v[vagg_iset_find(s, old.v[i])] = old.v[i];
    velo_mem_account(-old.cap * (i64)sizeof(u64), 0);
    free(old.v);
}

int vagg_iset_add(viset *s, u64 v)
{
    if (!v) {
        if (s->zero) return 0;
        s->zero = 1;
        s->n++;
        return 1;
    }
    if (4 * (s->n + 1) > 3 * s->cap) vagg_iset_grow(s); /* at most 3/4 full */
    i64 i = vagg_iset_find(s, v);
    if (s->v[i]) return 0;
    s->v[i] = v;
    s->n++;
    return 1;
}

void vagg_iset_merge(viset *into, const viset *from)
{
    if (from->zero) vagg_iset_add(into, 0);
    for (i64 i = 0; i < from->cap; i++)
        if (from->v[i]) vagg_iset_add(into, from->v[i]);
}

void vagg_free_iset(viset *s)
{
    velo_mem_account(-s->cap * (i64)sizeof(u64), 0);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
    s->zero = 0;
}

void vagg_free_f64(vdarr *a)
{
    velo_mem_account(-a->cap * (i64)sizeof(double), 0);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

void vagg_free_sbuf(vsbuf *b)
{
    velo_mem_account(-b->cap, 0);
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void vagg_free_set(vset *s)
{
    i64 i;

    i64 bytes = s->cap * (i64)(sizeof(u64) + sizeof(vstr));
    for (i = 0; i < s->cap; i++)
        if (s->k[i].p) {
            bytes += s->k[i].n + 1;
            free((void *)s->k[i].p);
        }
    velo_mem_account(-bytes, 0);
    free(s->h);
    free(s->k);
    s->h = NULL;
    s->k = NULL;
    s->n = s->cap = 0;
}

/* PERCENTILE_CONT / PERCENTILE_DISC over the values of a group (p in
 * [0, 1]): CONT interpolates between the two nearest ranks as PostgreSQL,
 * DISC returns the first value whose cumulative share reaches p. */
double vagg_percentile(vdarr *a, double p, int disc)
{
    if (a->n == 0) return 0.0;
    qsort(a->v, (vsize)a->n, sizeof(double), vagg_cmp_f64);
    if (disc) {
        i64 k = (i64)(p * (double)a->n + 0.999999999999);
        if (k < 1) k = 1;
        if (k > a->n) k = a->n;
        return a->v[k - 1];
    }
    double r = p * (double)(a->n - 1);
    i64 lo = (i64)r;
    if (lo >= a->n - 1) return a->v[a->n - 1];
    return a->v[lo] + (r - (double)lo) * (a->v[lo + 1] - a->v[lo]);
}

/* HyperLogLog with 2^VHLL_P one-byte registers (standard error about
 * 1.04 / sqrt(2048) = 2.3%), linear counting below 2.5 m as in the
 * original paper. Registers are allocated on the first value. */
enum { VHLL_P = 11, VHLL_M = 1 << VHLL_P };

void vagg_hll_add(vhll *h, u64 hash)
{
    if (!h->reg) h->reg = vagg_calloc(VHLL_M);
    u32 idx = (u32)(hash >> (64 - VHLL_P));
    u64 rest = (hash << VHLL_P) | ((u64)1 << (VHLL_P - 1)); /* sentinel bounds the count */
    u8 rho = (u8)(__builtin_clzll(rest) + 1);
    if (rho > h->reg[idx]) h->reg[idx] = rho;
}

i64 vagg_hll_count(const vhll *h)
{
    if (!h->reg) return 0;
    double sum = 0, m = VHLL_M;
    int zeros = 0;
    for (int i = 0; i < VHLL_M; i++) {
        sum += 1.0 / (double)((u64)1 << h->reg[i]);
        zeros += h->reg[i] == 0;
    }
    double est = (0.7213 / (1.0 + 1.079 / m)) * m * m / sum;
    if (est <= 2.5 * m && zeros) est = m * log(m / zeros);
    return (i64)(est + 0.5);
}

void vagg_hll_merge(vhll *into, const vhll *from)
{
    if (!from->reg) return;
    if (!into->reg) into->reg = vagg_calloc(VHLL_M);
    for (int i = 0; i < VHLL_M; i++)
        if (from->reg[i] > into->reg[i]) into->reg[i] = from->reg[i];
}

void vagg_hll_free(vhll *h)
{
    if (h->reg) velo_mem_account(-(i64)VHLL_M, 0);
    free(h->reg);
    h->reg = NULL;
}
