/*
 * expr.h -- helpers over bound expressions shared by the binder, the
 * optimizer passes and codegen: construction, structural equality,
 * conjunct splitting and column-reference walks.
 */
#ifndef EXPR_H
#define EXPR_H

#include "ast.h"
#include "types.h"

Expr *ex_new(Arena *a, ExprKind k, SrcPos pos);
Expr *ex_col(Arena *a, int index, TypeSpec t, int nullable, const char *name, SrcPos pos);
Expr *ex_bool(Arena *a, int v, SrcPos pos);
Expr *ex_copy(Arena *a, const Expr *e); /* shallow: children shared */
int ex_equal(const Expr *a, const Expr *b);
int ex_is_literal(const Expr *e);
/* A number or timestamp literal's value as a double (DECIMAL in units,
 * TIMESTAMP in microseconds, as ty_text_value); -1 for other expressions. */
int ex_lit_number(const Expr *e, double *out);
int ex_cmp_swapped(int op);         /* op with its operands swapped: a < b is b > a; =, <> and others stay */
int ex_cmp_holds(int op, int c);    /* comparison op (OP_EQ..OP_GE) of operands that compare as c (<0, 0, >0) */
int ex_is_aggregate(const Expr *e); /* an aggregate call (binder-annotated fn) */
/* Append the AND-conjuncts of e to out. */
void ex_conjuncts(Arena *a, Expr *e, PtrVec *out);
/* l op r (OP_AND or OP_OR), a BOOL; r alone when l is NULL. */
Expr *ex_logic(Arena *a, int op, Expr *l, Expr *r, SrcPos pos);
Expr *ex_and_all(Arena *a, PtrVec *conj, int from); /* NULL if empty */
/* Call fn on every direct child expression slot (so it can be replaced). */
typedef void (*ExSlotFn)(Expr **slot, void *ctx);
void ex_children(Expr *e, ExSlotFn fn, void *ctx);
/* Mark needed[col_index] for every E_COLUMN in e. */
void ex_mark_columns(Expr *e, unsigned char *needed, int ncols);
/* Deep copy with every column reference i replaced by map[i]. */
Expr *ex_remap(Arena *a, const Expr *e, const int *map);
/* Deep copy of an expression over columns [from, from+n) moved by delta. */
Expr *ex_shift(Arena *a, const Expr *e, int from, int n, int delta);
/* Lowest and highest column index e reads (*lo = -1, *hi = -1 first). */
void ex_col_range(const Expr *e, int *lo, int *hi);
/* Highest "cost class" of e: 0 cheap compare, 1 arithmetic, 2 strings/functions,
 * 3 regular expressions and JSON walks. */
int ex_cost(const Expr *e);

#endif
