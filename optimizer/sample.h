/*
 * sample.h -- selectivity of scan conjuncts measured on the catalog's
 * sampled CSV records (sample.c), and of join conditions on pairs of them.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include "catalog.h"

/* The fraction of r's sampled records that pass every conjunct of conj it
 * can evaluate (used[k] = 1 for those; used has conj->n entries), or -1
 * when it can evaluate none (no sample, or only functions and arithmetic).
 * 0 means no sampled record passed: the caller bounds the estimate. */
double smp_selectivity(const Relation *r, const PtrVec *conj, unsigned char *used);

/* How the columns of a condition between two relations map to theirs:
 * column i is column col[i] of relation rel[i] (0: a, 1: b, -1: neither). */
typedef struct SmpMap {
    int n;
    const signed char *rel;
    const int *col;
} SmpMap;

/* The fraction of pairs of a's and b's sampled records for which e holds,
 * each side's records kept by the conjuncts of its filters it can
 * evaluate (fa, fb may be NULL); up to 64 records a side; half a pair
 * when none passes. -1 when e cannot
 * be evaluated on them or a side keeps fewer than 10. */
double smp_pair_selectivity(const Relation *a, const PtrVec *fa, const Relation *b, const PtrVec *fb, const Expr *e, const SmpMap *map);

#endif
