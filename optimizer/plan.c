/*
 * plan.c -- logical plan construction helpers (see plan.h).
 */
#include "plan.h"

Plan *pl_new(Arena *a, Job *j, PlanKind kind, Plan *child)
{
    Plan *p = ar_alloc(a, sizeof *p);
    p->kind = kind;
    p->id = ++j->next_id;
    p->child = child;
    p->limit = -1;
    p->est_rows = -1;
    p->est_source = "default";
    p->win_time_col = -1;
    return p;
}

const char *pl_kind_name(PlanKind k)
{
    static const char *const names[] = {"Scan",     "Filter", "Project",  "Aggregate", "Sort",    "Limit",
                                        "UnionAll", "Sink",   "HashJoin", "Values",    "Analytic"};
    return names[k];
}

const char *pl_name(const Plan *p)
{
    return p->kind == P_JOIN && p->interval ? "IntervalJoin" : pl_kind_name(p->kind);
}

int pl_reads_unbounded(const Plan *p)
{
    if (p->kind == P_SCAN) return cat_unbounded(p->rel);
    if (p->child && pl_reads_unbounded(p->child)) return 1;
    for (int i = 0; i < p->inputs.n; i++)
        if (pl_reads_unbounded(p->inputs.v[i])) return 1;
    return 0;
}

int pl_reads_kafka(const Plan *p)
{
    if (p->kind == P_SCAN) return p->rel->kind == REL_KAFKA_SOURCE;
    if (p->child && pl_reads_kafka(p->child)) return 1;
    for (int i = 0; i < p->inputs.n; i++)
        if (pl_reads_kafka(p->inputs.v[i])) return 1;
    return 0;
}

const Relation *pl_checkpointed_source(const Plan *p)
{
    if (p->kind == P_SCAN) return cat_prop(p->rel, "checkpoint.interval") ? p->rel : NULL;
    const Relation *r = p->child ? pl_checkpointed_source(p->child) : NULL;
    for (int i = 0; !r && i < p->inputs.n; i++) r = pl_checkpointed_source(p->inputs.v[i]);
    return r;
}

const Plan *pl_col_through(const Plan *p, int *c)
{
    for (;;) {
        if (p->kind == P_FILTER) {
            p = p->child;
        } else if (p->kind == P_PROJECT) {
            const Expr *e = p->exprs[*c];
            if (e->kind != E_COLUMN || e->col_index < 0) return NULL;
            *c = e->col_index;
            p = p->child;
        } else {
            return p;
        }
    }
}

int pl_scan_col(const Plan *p, int c, const Plan *scan)
{
    for (;;) {
        p = pl_col_through(p, &c);
        if (!p) return -1;
        if (p == scan) return c;
        if (p->kind != P_JOIN || p->interval) return -1;
        int nl = ((const Plan *)p->inputs.v[0])->ncols;
        if (p->build_left ? c < nl : c >= nl) return -1;
        if (p->build_left) c -= nl;
        p = pl_probe_input(p);
    }
}

Plan *pl_probe_input(const Plan *j)
{
    return j->inputs.v[j->build_left ? 1 : 0];
}

int pl_drops_unmatched(const Plan *j)
{
    return j->kind == P_JOIN && !j->interval && j->njk && !j->single_row && (j->join_kind == 'I' || j->join_kind == 'S');
}

int pl_final_group(const Plan *p)
{
    return p->kind == P_AGG && p->win.kind == WIN_NONE && p->emit != EMIT_CHANGES;
}

const Plan *pl_memo_join(const Plan *agg)
{
    if (!pl_final_group(agg) || agg->nkeys == 0) return NULL;
    const Plan *join = NULL;
    for (int k = 0; k < agg->nkeys; k++) {
        const Expr *e = agg->keys[k];
        if (e->kind != E_COLUMN || e->col_index < 0) return NULL;
        int c = e->col_index;
        const Plan *j = pl_col_through(agg->child, &c);
        if (!j || j->kind != P_JOIN || j->interval || j->njk == 0 || (join && j != join)) return NULL;
        if (j->join_kind != 'I' && j->join_kind != 'L' && j->join_kind != 'R' && j->join_kind != 'F') return NULL;
        int boff = j->build_left ? 0 : ((const Plan *)j->inputs.v[0])->ncols;
        const Plan *b = j->inputs.v[j->build_left ? 0 : 1];
        if (c < boff || c >= boff + b->ncols) return NULL;
        join = j;
    }
    return join;
}
