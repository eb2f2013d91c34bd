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
} ExplainInfo;

void xp_text(FILE *out, Arena *a, const ExplainInfo *info);
/* SQL text of a bound expression (column references by name). */
const char *xp_expr(Arena *a, const Expr *e, const Plan *input);

#endif
