/*
 * hash.c -- 64-bit hashing of keys for joins, GROUP BY and COUNT(DISTINCT).
 *
 * vh_bytes follows the structure of the published XXH64 algorithm: four
 * parallel lanes over 32-byte stripes, a merge, the tail in 8/4/1-byte steps
 * and a final avalanche.  It is fast on short keys (the common case: a
 * symbol or an id) and mixes well enough for open addressing.
 */
#include "velo.h"

#include <string.h>

#define VH_P1 0x9E3779B185EBCA87ULL
#define VH_P2 0xC2B2AE3D27D4EB4FULL
#define VH_P3 0x165667B19E3779F9ULL
#define VH_P4 0x85EBCA77C2B2AE63ULL
#define VH_P5 0x27D4EB2F165667C5ULL

static u64 vh_rotl(u64 x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static u64 vh_read64(const unsigned char *p)
{
    u64 v;

    memcpy(&v, p, 8); /* little-endian hosts only, as the whole engine */
    return v;
}

static u64 vh_read32(const unsigned char *p)
{
    u32 v;

    memcpy(&v, p, 4);
    return v;
}

static u64 vh_round(u64 acc, u64 lane)
{
    acc += lane * VH_P2;
    acc = vh_rotl(acc, 31);
    return acc * VH_P1;
}

static u64 vh_merge(u64 h, u64 acc)
{
    h ^= vh_round(0, acc);
    return h * VH_P1 + VH_P4;
}

static u64 vh_stripes(const unsigned char **pp, const unsigned char *end, u64 seed)
{
    const unsigned char *p = *pp;
    u64 v1 = seed + VH_P1 + VH_P2, v2 = seed + VH_P2, v3 = seed, v4 = seed - VH_P1, h;

    do {
        v1 = vh_round(v1, vh_read64(p));
        v2 = vh_round(v2, vh_read64(p + 8));
        v3 = vh_round(v3, vh_read64(p + 16));
        v4 = vh_round(v4, vh_read64(p + 24));
        p += 32;
    } while (end - p >= 32);
    h = vh_rotl(v1, 1) + vh_rotl(v2, 7) + vh_rotl(v3, 12) + vh_rotl(v4, 18);
    h = vh_merge(h, v1);
    h = vh_merge(h, v2);
    h = vh_merge(h, v3);
    h = vh_merge(h, v4);
    *pp = p;
    return h;
}

u64 vh_bytes(const void *data, vsize n, u64 seed)
{
    const unsigned char *p = data, *end = p + n;
    u64 h;

    h = n >= 32 ? vh_stripes(&p, end, seed) : seed + VH_P5;
    h += (u64)n;
    for (; end - p >= 8; p += 8) {
        h ^= vh_round(0, vh_read64(p));
        h = vh_rotl(h, 27) * VH_P1 + VH_P4;
    }
    if (end - p >= 4) {
        h ^= vh_read32(p) * VH_P1;
        h = vh_rotl(h, 23) * VH_P2 + VH_P3;
        p += 4;
    }
    for (; p < end; p++) {
        h ^= *p * VH_P5;
        h = vh_rotl(h, 11) * VH_P1;
    }
    h ^= h >> 33;
    h *= VH_P2;
    h ^= h >> 29;
    h *= VH_P3;
    h ^= h >> 32;
    return h;
}

/* Values that compare equal must hash equal: -0.0 == 0.0 and NaN groups
 * with NaN (SQL GROUP BY treats all NaNs as one value). */
u64 vh_f64(double v, u64 seed)
{
    return vh_i64((i64)vh_f64_bits(v), seed);
}
