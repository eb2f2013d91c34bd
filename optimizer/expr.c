/*
 * expr.c -- bound expression helpers (see expr.h).
 */
#include "expr.h"

#include <string.h>
#include <strings.h>

#include "functions.h"

Expr *ex_new(Arena *a, ExprKind k, SrcPos pos)
{
    return ast_expr_new(a, k, pos);
}

Expr *ex_col(Arena *a, int index, TypeSpec t, int nullable, const char *name, SrcPos pos)
{
    Expr *e = ex_new(a, E_COLUMN, pos);
    e->col_index = index;
    e->type = t;
    e->nullable = nullable;
    e->sval = name;
    e->slen = name ? strlen(name) : 0;
    return e;
}

Expr *ex_bool(Arena *a, int v, SrcPos pos)
{
    Expr *e = ex_new(a, E_LIT_BOOL, pos);
    e->ival = v;
    e->type = ty_make(VT_BOOL);
    return e;
}

Expr *ex_copy(Arena *a, const Expr *e)
{
    Expr *c = ar_alloc(a, sizeof *c);
    *c = *e;
    return c;
}

static int pv_equal(const PtrVec *a, const PtrVec *b)
{
    if (a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++)
        if (!ex_equal(a->v[i], b->v[i])) return 0;
    return 1;
}

int ex_equal(const Expr *a, const Expr *b)
{
    if (a == b) return 1;
    if (!a || !b || a->kind != b->kind) return 0;
    switch (a->kind) {
    case E_LIT_NULL: return 1;
    case E_LIT_BOOL:
    case E_LIT_INT:
    case E_LIT_TS:
    case E_LIT_INTERVAL: return a->ival == b->ival;
    case E_LIT_DEC: return a->ival == b->ival && a->scale == b->scale;
    case E_LIT_DOUBLE: return a->dval == b->dval;
    case E_LIT_STR: return a->slen == b->slen && memcmp(a->sval, b->sval, a->slen) == 0;
    case E_COLUMN:
        if (a->col_index >= 0 || b->col_index >= 0) return a->col_index == b->col_index && a->rel_index == b->rel_index;
        return strcasecmp(a->sval, b->sval) == 0 && ((!a->qual && !b->qual) || (a->qual && b->qual && strcasecmp(a->qual, b->qual) == 0));
    case E_STAR: return 1;
    default: break;
    }
    if (a->op != b->op || a->negated != b->negated || a->distinct != b->distinct) return 0;
    if (a->kind == E_FUNC && strcasecmp(a->sval, b->sval) != 0) return 0;
    if (a->kind == E_CAST && !ty_equal(a->cast_to, b->cast_to)) return 0;
    if (a->kind == E_EXTRACT && a->ival != b->ival) return 0;
    return ex_equal(a->left, b->left) && ex_equal(a->right, b->right) && ex_equal(a->third, b->third) && ex_equal(a->else_, b->else_) &&
           pv_equal(&a->args, &b->args);
}

int ex_is_literal(const Expr *e)
{
    return e->kind >= E_LIT_NULL && e->kind <= E_LIT_INTERVAL;
}

int ex_lit_number(const Expr *e, double *out)
{
    switch (e->kind) {
    case E_LIT_DOUBLE: *out = e->dval; return 0;
    case E_LIT_DEC:
        *out = (double)e->ival;
        for (int i = 0; i < e->scale; i++) *out /= 10;
        return 0;
    case E_LIT_INT:
    case E_LIT_TS: *out = (double)e->ival; return 0;
    default: return -1;
    }
}

int ex_cmp_swapped(int op)
{
    return op == OP_LT ? OP_GT : op == OP_LE ? OP_GE : op == OP_GT ? OP_LT : op == OP_GE ? OP_LE : op;
}

int ex_cmp_holds(int op, int c)
{
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    default: return c >= 0;
    }
}

int ex_is_aggregate(const Expr *e)
{
    return e->kind == E_FUNC && e->fn && ((const FuncDef *)e->fn)->kind == FN_AGG && !e->has_over;
}

void ex_conjuncts(Arena *a, Expr *e, PtrVec *out)
{
    if (e->kind == E_BINARY && e->op == OP_AND) {
        ex_conjuncts(a, e->left, out);
        ex_conjuncts(a, e->right, out);
    } else {
        pv_push(a, out, e);
    }
}

Expr *ex_logic(Arena *a, int op, Expr *l, Expr *r, SrcPos pos)
{
    if (!l) return r;
    Expr *x = ex_new(a, E_BINARY, pos);
    x->op = op;
    x->left = l;
    x->right = r;
    x->type = ty_make(VT_BOOL);
    x->nullable = l->nullable || r->nullable;
    return x;
}

Expr *ex_and_all(Arena *a, PtrVec *conj, int from)
{
    Expr *r = NULL;
    for (int i = from; i < conj->n; i++) r = ex_logic(a, OP_AND, r, conj->v[i], ((Expr *)conj->v[i])->pos);
    return r;
}

void ex_children(Expr *e, ExSlotFn fn, void *ctx)
{
    if (e->left) fn(&e->left, ctx);
    if (e->right) fn(&e->right, ctx);
    if (e->third) fn(&e->third, ctx);
    for (int i = 0; i < e->args.n; i++) fn((Expr **)&e->args.v[i], ctx);
    if (e->else_) fn(&e->else_, ctx);
}

typedef struct MarkCtx {
    unsigned char *needed;
    int ncols;
} MarkCtx;

static void mark_slot(Expr **slot, void *ctx)
{
    MarkCtx *m = ctx;
    ex_mark_columns(*slot, m->needed, m->ncols);
}

void ex_mark_columns(Expr *e, unsigned char *needed, int ncols)
{
    if (!e) return;
    if (e->kind == E_COLUMN && e->col_index >= 0 && e->col_index < ncols) needed[e->col_index] = 1;
    MarkCtx m = {needed, ncols};
    ex_children(e, mark_slot, &m);
}

typedef struct CostCtx {
    int cost;
} CostCtx;

static void cost_slot(Expr **slot, void *ctx)
{
    CostCtx *c = ctx;
    int k = ex_cost(*slot);
    if (k > c->cost) c->cost = k;
}

/* Functions that scan or parse their whole argument: a regular expression
 * match, a JSON walk. */
static int ex_heavy_func(const Expr *e)
{
    return e->kind == E_FUNC && e->sval && (strncasecmp(e->sval, "REGEXP_", 7) == 0 || strncasecmp(e->sval, "JSON_", 5) == 0);
}

int ex_cost(const Expr *e)
{
    CostCtx c = {0};
    if (ex_heavy_func(e)) c.cost = 3;
    else if (e->kind == E_FUNC || e->kind == E_LIKE || e->type.tag == VT_STRING) c.cost = 2;
    else if (e->kind == E_BINARY && e->op <= OP_MOD) c.cost = 1;
    ex_children((Expr *)e, cost_slot, &c);
    return c.cost;
}

typedef struct RemapCtx {
    Arena *a;
    const int *map;
} RemapCtx;

static void remap_slot(Expr **slot, void *ctx)
{
    RemapCtx *r = ctx;
    *slot = ex_remap(r->a, *slot, r->map);
}

Expr *ex_remap(Arena *a, const Expr *e, const int *map)
{
    Expr *c = ex_copy(a, e);
    if (c->kind == E_COLUMN && c->col_index >= 0) c->col_index = map[c->col_index];
    if (e->args.n) {
        c->args.v = ar_alloc(a, sizeof(void *) * (size_t)e->args.n);
        memcpy(c->args.v, e->args.v, sizeof(void *) * (size_t)e->args.n);
        c->args.cap = e->args.n;
    }
    RemapCtx r = {a, map};
    ex_children(c, remap_slot, &r);
    return c;
}

Expr *ex_shift(Arena *a, const Expr *e, int from, int n, int delta)
{
    int *map = ar_alloc(a, sizeof(int) * (size_t)(from + n + 1));
    for (int i = 0; i < from + n; i++) map[i] = i >= from ? i + delta : -1;
    return ex_remap(a, e, map);
}

/* Bitmask-free reference summary: lowest and highest column read, -1 if none. */
void ex_col_range(const Expr *e, int *lo, int *hi)
{
    if (e->kind == E_COLUMN && e->col_index >= 0) {
        if (*lo < 0 || e->col_index < *lo) *lo = e->col_index;
        if (e->col_index > *hi) *hi = e->col_index;
    }
    if (e->left) ex_col_range(e->left, lo, hi);
    if (e->right) ex_col_range(e->right, lo, hi);
    if (e->third) ex_col_range(e->third, lo, hi);
    for (int i = 0; i < e->args.n; i++) ex_col_range(e->args.v[i], lo, hi);
    if (e->else_) ex_col_range(e->else_, lo, hi);
}
