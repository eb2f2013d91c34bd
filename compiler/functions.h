/*
 * functions.h -- the function registry: every scalar, aggregate and analytic
 * function veloc knows, with its signature (for the binder and SHOW
 * FUNCTIONS) and how code is generated for it.
 *
 * Plain scalar functions carry a C template over their coerced arguments
 * ("vf_sqrt(rt, $0)"); functions with bespoke NULL or typing rules (COALESCE,
 * ROUND on DECIMAL, ...) are FN_SPECIAL and handled case by case in codegen.
 */
#ifndef FUNCTIONS_H
#define FUNCTIONS_H

#include "types.h"

typedef enum FnKind { FN_SCALAR, FN_SPECIAL, FN_AGG, FN_ANALYTIC } FnKind;

/* Special scalar functions and aggregates, identified for codegen. */
typedef enum FnId {
    F_NONE,
    /* special scalars */
    F_COALESCE,
    F_NULLIF,
    F_GREATEST,
    F_LEAST,
    F_CONCAT,
    F_CONCAT_WS,
    F_ROUND,
    F_TRUNC,
    F_FLOOR,
    F_CEIL,
    F_ABS,
    F_SIGN,
    F_MOD,
    F_LENGTH,
    F_NOW,
    F_DATE_TRUNC,
    F_EXTRACT_PART,
    F_JSON_VALUE,
    F_REGEXP_EXTRACT,
    F_IF,
    F_IFNULL,
    F_TO_TIMESTAMP,
    F_SUBSTR,
    /* aggregates */
    A_COUNT_STAR,
    A_COUNT,
    A_COUNT_DISTINCT,
    A_SUM,
    A_AVG,
    A_MIN,
    A_MAX,
    A_STDDEV_SAMP,
    A_STDDEV_POP,
    A_VAR_SAMP,
    A_VAR_POP,
    A_MEDIAN,
    A_FIRST_VALUE,
    A_LAST_VALUE,
    A_STRING_AGG,
    A_APPROX_COUNT_DISTINCT,
    A_PERCENTILE_CONT,
    A_PERCENTILE_DISC,
    A_CORR,
    A_COVAR_SAMP,
    A_COVAR_POP,
    /* analytic (OVER) */
    W_ROW_NUMBER,
    W_RANK,
    W_DENSE_RANK,
    W_PERCENT_RANK,
    W_CUME_DIST,
    W_NTILE,
    W_LAG,
    W_LEAD,
} FnId;

/* Parameter classes in FuncDef.params, one letter per argument; the last
 * letter repeats for variadic functions:
 *   d DOUBLE   i BIGINT   s STRING   t TIMESTAMP   b BOOLEAN
 *   n any numeric (kept as is)   a any type   u unit name (DATE_TRUNC)  */
typedef struct FuncDef {
    const char *name;
    FnKind kind;
    FnId id;
    int min_args, max_args; /* max -1: variadic */
    const char *params;
    int ret;           /* VT_* result, or RET_* below */
    const char *ctmpl; /* FN_SCALAR: C expression over $0, $1, ... and rt */
    int fallible;      /* may call velo_fail */
    const char *doc;
} FuncDef;

enum { RET_ARG0 = 100, RET_COMMON, RET_AGG };

const FuncDef *fn_lookup(const char *upper_name);
int fn_count(void);
const FuncDef *fn_at(int i);
/* Closest known function name for did-you-mean. */
const char *fn_suggest(const char *name);
/* Signature text for SHOW FUNCTIONS: "ROUND(x NUMERIC [, digits BIGINT]) -> NUMERIC". */
const char *fn_signature(Arena *a, const FuncDef *f);

#endif
