/*
 * explain.h -- EXPLAIN output: the operator tree with ids and estimates,
 * the passes that fired, the pipelines, the generated C size and the
 * compile timings of each phase.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stdio.h>

#include "optimizer.h"

typedef struct ExplainInfo {
    Job *job;
    Optimizer *opt;
    size_t c_bytes;
    int c_lines;
    int pipelines;
    double ms_parse, ms_bind, ms_optimize, ms_codegen, ms_compile;
    const char *backend; /* "libtcc" or "cc -O2" */
    int costs;           /* 0: COSTS OFF, stable text for golden tests */
    /* EXPLAIN ANALYZE: per operator id, NULL when not analyzed */
    const long long *an_rows, *an_late, *an_us;
    const long long *an_ticks; /* CPU samples taken in the operator's code; NULL: none */
    const long long *an_mem;   /* a hash join's table bytes once built; NULL: none */
    const long long *an_bits;  /* the key values its bitmap spans, 0 for none; NULL: none */
    double an_tick_ms;         /* CPU time one sample stands for */
} ExplainInfo;

void xp_text(FILE *out, Arena *a, const ExplainInfo *info);
void xp_json(FILE *out, Arena *a, const ExplainInfo *info);
void xp_dot(FILE *out, Arena *a, const ExplainInfo *info);
/* max(estimate / actual, actual / estimate), both taken as at least 1 */
double xp_qerror(double est, double act);
/* SQL text of a bound expression (column references by name). */
const char *xp_expr(Arena *a, const Expr *e, const Plan *input);

#endif
