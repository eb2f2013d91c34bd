/*
 * binder.h -- name resolution, type checking and logical planning.
 *
 * The binder walks the statements of a script in order: CREATE statements
 * define relations in the catalog, queries are resolved against it and
 * turned into logical plans (optimizer/plan.h) that end in a sink. Errors
 * are reported through Diag with positions and suggestions; binding goes on
 * after an error so that one run reports all of them.
 */
#ifndef BINDER_H
#define BINDER_H

#include "catalog.h"
#include "diag.h"
#include "plan.h"

typedef struct Binder {
    Arena *a;
    Diag *d;
    Catalog *cat;
    Job *job;
    PtrVec ctes;         /* Cte* visible to the query being bound (innermost last) */
    PtrVec enclosing;    /* Scope* of queries around a scalar subquery, to explain correlation */
    struct BdCorr *corr; /* the scalar subquery bd_select is about to bind may be correlated */
} Binder;

/* A statement veloc answers itself instead of running (SHOW, DESCRIBE,
 * EXPLAIN); its plan, for EXPLAIN, is bound into its own Job. */
typedef struct MetaStmt {
    Stmt *stmt;
    Job *job;
} MetaStmt;

void bd_init(Binder *b, Arena *a, Diag *d, Catalog *cat, Job *job);
/* Bind every statement; queries append plans to b->job, meta statements to
 * *meta. Returns the number of errors. */
int bd_bind_script(Binder *b, Script *s, PtrVec *meta);

#endif
