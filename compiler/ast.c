/*
 * ast.c -- small helpers shared by everything that builds or prints the
 * syntax tree (ast.h): arena-backed pointer vectors and node constructors.
 */
#include "ast.h"
#include "velo.h" /* VT_F_* */

#include <string.h>

void pv_push(Arena *a, PtrVec *pv, void *p)
{
    if (pv->n == pv->cap) {
        /* The old array stays in the arena; growth is geometric so the
         * waste is bounded by the final size. */
        int cap = pv->cap ? pv->cap * 2 : 4;
        void **v = ar_alloc(a, (size_t)cap * sizeof *v);
        if (pv->n) memcpy(v, pv->v, (size_t)pv->n * sizeof *v);
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = p;
}

Expr *ast_expr_new(Arena *a, ExprKind k, SrcPos pos)
{
    Expr *e = ar_alloc(a, sizeof *e);
    e->kind = k;
    e->pos = pos;
    e->agg_index = -1;
    e->col_index = -1;
    e->rel_index = -1;
    return e;
}

const char *ast_binop_name(int op)
{
    static const char *const names[] = {
        [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/", [OP_MOD] = "%", [OP_CONCAT] = "||", [OP_EQ] = "=",
        [OP_NE] = "<>", [OP_LT] = "<",  [OP_LE] = "<=", [OP_GT] = ">",  [OP_GE] = ">=", [OP_AND] = "AND",   [OP_OR] = "OR",
    };
    if (op < 0 || op >= (int)(sizeof names / sizeof names[0])) return "?";
    return names[op];
}

/* EXTRACT's field names by VT_F_* value (the parser's and EXPLAIN's). */
const char *const ast_extract_fields[AST_NEXTRACT] = {
    [VT_F_YEAR] = "YEAR",
    [VT_F_QUARTER] = "QUARTER",
    [VT_F_MONTH] = "MONTH",
    [VT_F_WEEK] = "WEEK",
    [VT_F_DAY] = "DAY",
    [VT_F_DOW] = "DOW",
    [VT_F_DOY] = "DOY",
    [VT_F_HOUR] = "HOUR",
    [VT_F_MINUTE] = "MINUTE",
    [VT_F_SECOND] = "SECOND",
    [VT_F_MILLISECOND] = "MILLISECOND",
    [VT_F_MICROSECOND] = "MICROSECOND",
    [VT_F_EPOCH] = "EPOCH",
};
