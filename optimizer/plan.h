/*
 * plan.h -- the logical plan: a tree of relational operators built by the
 * binder, rewritten by the optimizer passes and turned into C by codegen.
 *
 * Every operator has a stable id (its [n] in EXPLAIN, in comments of the
 * generated C, in dead-letter records and metrics) and an output schema.
 * Expressions inside an operator refer to its child's output columns by
 * index (E_COLUMN with col_index), never by name.
 */
#ifndef PLAN_H
#define PLAN_H

#include "ast.h"
#include "catalog.h"

typedef enum PlanKind {
    P_SCAN,     /* read a source; decodes only needed columns, evaluates pushed filters */
    P_FILTER,   /* keep rows where pred is TRUE */
    P_PROJECT,  /* compute exprs */
    P_AGG,      /* hash aggregation: keys then aggregate results */
    P_SORT,     /* ORDER BY [LIMIT]: breaker on bounded input */
    P_LIMIT,    /* first n rows */
    P_UNION,    /* UNION ALL of children (same column count and types) */
    P_SINK,     /* write rows to a sink (file or stdout) */
    P_JOIN,     /* hash join of inputs[0] (left) and inputs[1] (right) */
    P_VALUES,   /* constant rows known at compile time (SHOW, DESCRIBE) */
    P_ANALYTIC, /* window functions (OVER): child columns, then one per call */
} PlanKind;

typedef struct PlanCol {
    const char *name;
    TypeSpec type;
    int nullable;
    int hidden;    /* system column: not part of SELECT * */
    int partition; /* a Kafka source's _PARTITION, declared or not: windows keep a watermark per partition */
} PlanCol;

typedef struct AggCall {
    const struct FuncDef *fn;
    int id;        /* FnId (A_*) */
    Expr *arg;     /* NULL for COUNT(*) */
    Expr *arg2;    /* STRING_AGG separator (constant) */
    TypeSpec type; /* result */
    SrcPos pos;
} AggCall;

typedef struct Plan Plan;
struct Plan {
    PlanKind kind;
    int id;
    Plan *child;
    PtrVec inputs; /* P_UNION children (Plan*) */
    int ncols;
    PlanCol *cols;
    double est_rows;
    const char *est_source; /* stats | declared | default */
    double est_cost;        /* this operator's work and its inputs', in rows (estimate_cost) */
    double est_mem;         /* P_JOIN: bytes of its hash table, rows and slots (join_memory); 0 none */
    double est_width;       /* bytes of a row of the columns its consumer reads, in a hash table (row_widths) */
    double est_padded;      /* P_JOIN, LEFT/RIGHT: of est_rows, those padded with NULLs; < 0 unknown */
    double est_early;       /* below a join whose Bloom filter its scan tests early (early_blooms): of
                               est_rows, those past such tests, as EXPLAIN ANALYZE counts them; 0 none */
    SrcPos pos;

    /* P_SCAN */
    Relation *rel;
    u8 *needed;      /* per relation column */
    PtrVec pushed;   /* Expr* conjuncts evaluated inside the decoder */
    u8 *pushed_late; /* per pushed conjunct, 1: checked after the Bloom probe of
                        late_join, not in the decoder (late_filters); or NULL */
    Plan *late_join;
    double est_probe;    /* with pushed_late: the rows it emits into that probe, before those filters */
    PtrVec early_blooms; /* Plan* joins above the one it feeds whose Bloom filters its records
                            are tested against right after that join's probe (early_blooms) */
    PtrVec implied;      /* pushed conjuncts join_equivalences copied from another scan's
                            range or IN on a join key: the estimate skips them, as the
                            join's estimate already has that scan's restriction */
    /* P_FILTER */
    Expr *pred;
    /* P_PROJECT */
    Expr **exprs;
    /* P_AGG */
    int nkeys;
    Expr **keys;
    int naggs;
    AggCall *aggs;
    WindowSpec win;   /* WIN_NONE, or the window: output is keys, start, end, aggs */
    int win_time_col; /* child column holding event time, -1: the source's */
    EmitMode emit;    /* resolved: EMIT_CHANGES or EMIT_FINAL */
    /* P_SORT */
    int nsort;
    Expr **sort_keys;
    u8 *sort_desc;
    u8 *sort_nulls_first;
    /* P_SORT and P_LIMIT */
    int64_t limit; /* -1 none */
    /* P_SINK */
    Relation *sink; /* NULL: stdout */
    /* P_JOIN: output is left columns then right columns (semi/anti: left only) */
    int join_kind; /* 'I' inner 'L' left 'R' right 'F' full 'C' cross 'S' semi 'A' anti */
    int njk;       /* equi-join keys: jk_left[i] (over left) = jk_right[i] (over right) */
    Expr **jk_left, **jk_right;
    Expr *residual;        /* other join conditions, over the join output */
    int build_left;        /* 1: hash the left input and probe with the right */
    int bloom;             /* probe a Bloom filter of the build keys first (choose_build) */
    int anti_null_aware;   /* NOT IN: any NULL on the build side empties the result */
    int single_row;        /* scalar subquery: more than one build row is an error */
    const char *join_note; /* EXPLAIN: written vs chosen order; on a Project: the join it replaced */
    double join_cost;      /* with a join-order note: the enumerator's cost of the order (not in COSTS OFF) */
    u8 *out_needed;        /* join output columns some operator reads */
    /* P_JOIN of two unbounded inputs: an interval join. Both inputs keep
     * their rows (symmetric hash join) until the other input's watermark
     * shows no partner can come; iv_lo <= right.ts - left.ts <= iv_hi is
     * implied by the residual, which still decides every match. */
    int interval;
    int iv_lcol, iv_rcol; /* the time columns, over the left and the right input */
    int64_t iv_lo, iv_hi; /* microseconds */
    /* P_VALUES */
    PtrVec rows; /* Expr** of ncols literals each */
    /* P_ANALYTIC: one (PARTITION BY, ORDER BY) spec, several calls */
    PtrVec wcalls;   /* Expr* E_FUNC with OVER, bound against the child */
    PtrVec wpart;    /* Expr* partition keys */
    PtrVec word;     /* OrderItem* */
    int stream_eval; /* unbounded input: evaluate on arrival per partition (no sort) */
};

/* One runnable statement of the script: a plan ending in a P_SINK. */
typedef struct Job {
    PtrVec plans; /* Plan* roots (P_SINK), in dependency order */
    int next_id;  /* operator id allocator */
    int analyze;  /* codegen adds per-operator row counters and pipeline timers */
} Job;

Plan *pl_new(Arena *a, Job *j, PlanKind kind, Plan *child);
const char *pl_kind_name(PlanKind k);
/* The operator's name in EXPLAIN: the kind's, or IntervalJoin. */
const char *pl_name(const Plan *p);
/* Whether some source below p never ends (Kafka, followed files). */
int pl_reads_unbounded(const Plan *p);
/* Some scan under p reads a Kafka topic. */
int pl_reads_kafka(const Plan *p);
/* The first source below p with 'checkpoint.interval', or NULL. */
const Relation *pl_checkpointed_source(const Plan *p);
/* Follows output column *c of p down through filters and projections of
 * plain columns: the first other operator, with *c its column there; NULL
 * when a projection computes the column. */
const Plan *pl_col_through(const Plan *p, int *c);
/* Output column c of p as the column of scan `scan` it passes on
 * unchanged (through filters, projections and the probe sides of hash
 * joins); -1 when it is computed or comes from a build side. */
int pl_scan_col(const Plan *p, int c, const Plan *scan);
/* The input of hash join j that its probe reads (the other is built). */
Plan *pl_probe_input(const Plan *j);
/* j is an inner or semi hash join: a probe row without a match goes no
 * further (the rule for lazy columns, late filters and early Bloom tests). */
int pl_drops_unmatched(const Plan *j);
/* p is a GROUP BY (or DISTINCT) emitting one row per group when its input
 * ends: an aggregate without a window and not EMIT CHANGES (a row per
 * update). Its group keys are then a key of its rows. */
int pl_final_group(const Plan *p);
/* The group memo: the hash join under aggregate agg (through filters and
 * projections of plain columns) whose build rows hold all of agg's GROUP BY
 * keys, so a build row's group is the same for every row it matches; NULL
 * when there is none, or agg has a window or emits changes. */
const Plan *pl_memo_join(const Plan *agg);

#endif
