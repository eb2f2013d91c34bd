/*
 * sample.h -- selectivity of scan conjuncts measured on the catalog's
 * sampled CSV records (sample.c).
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include "catalog.h"

/* The fraction of r's sampled records that pass every conjunct of conj it
 * can evaluate (used[k] = 1 for those; used has conj->n entries), or -1
 * when it can evaluate none (no sample, or only functions and arithmetic).
 * 0 means no sampled record passed: the caller bounds the estimate. */
double smp_selectivity(const Relation *r, const PtrVec *conj, unsigned char *used);

#endif
