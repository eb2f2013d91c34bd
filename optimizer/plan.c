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
