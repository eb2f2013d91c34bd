/*
 * optimizer.c -- rewrite passes (see optimizer.h):
 *   constant_folding     evaluate literal subexpressions with the runtime's
 *                        own arithmetic, simplify AND/OR/CASE/IS NULL
 *   predicate_pushdown   move WHERE conjuncts into the scan, cheapest first,
 *                        so the decoder rejects records before decoding the
 *                        columns only the rest of the query reads
 *   projection_pushdown  decode only the columns some operator reads
 * plus cardinality estimates with the documented default selectivities.
 */
#include "optimizer.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "expr.h"
#include "functions.h"

enum { PASS_FOLD, PASS_PUSHDOWN, PASS_PROJECT };

void opt_init(Optimizer *o, Arena *a)
{
    memset(o, 0, sizeof *o);
    o->a = a;
    static const char *const names[] = {"constant_folding", "predicate_pushdown", "projection_pushdown"};
    static const char *const what[] = {"evaluate constant expressions at compile time",
                                       "evaluate WHERE conjuncts inside the scan's decoder",
                                       "decode only the columns the query reads"};
    for (int i = 0; i < 3; i++) {
        o->pass[i].name = names[i];
        o->pass[i].what = what[i];
        o->pass[i].enabled = 1;
    }
    o->npasses = 3;
}

int opt_disable(Optimizer *o, const char *name)
{
    for (int i = 0; i < o->npasses; i++)
        if (strcmp(o->pass[i].name, name) == 0) { o->pass[i].enabled = 0; return 0; }
    return -1;
}

const char *opt_suggest(Optimizer *o, const char *name)
{
    const char *c[OPT_MAX_PASSES];
    for (int i = 0; i < o->npasses; i++) c[i] = o->pass[i].name;
    return diag_suggest(name, c, o->npasses);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- constant folding -------------------------------------------------- */

typedef struct Fold {
    Arena *a;
    velo_rt rt; /* scratch runtime context: failures leave the expression alone */
    int fired;
} Fold;

static void fold_slot(Expr **slot, void *ctx);

static int lit_num(const Expr *e) { return e->kind == E_LIT_INT || e->kind == E_LIT_DEC || e->kind == E_LIT_DOUBLE; }

static double lit_f64(const Expr *e)
{
    if (e->kind == E_LIT_DOUBLE) return e->dval;
    if (e->kind == E_LIT_DEC) return vd_to_f64(e->ival, e->scale);
    return (double)e->ival;
}

static int lit_scale(const Expr *e) { return e->kind == E_LIT_DEC ? e->scale : 0; }

/* Replace *slot by a literal of its own type holding v (ival/dval). */
static void fold_set(Fold *f, Expr **slot, int64_t iv, double dv)
{
    Expr *e = *slot;
    Expr *l = ex_new(f->a, E_LIT_INT, e->pos);
    l->type = e->type;
    switch (e->type.tag) {
    case VT_BOOL: l->kind = E_LIT_BOOL; l->ival = iv; break;
    case VT_DOUBLE: l->kind = E_LIT_DOUBLE; l->dval = dv; break;
    case VT_DECIMAL: l->kind = E_LIT_DEC; l->ival = iv; l->scale = e->type.scale; break;
    case VT_TIMESTAMP: l->kind = E_LIT_TS; l->ival = iv; break;
    case VT_INTERVAL: l->kind = E_LIT_INTERVAL; l->ival = iv; break;
    default: l->ival = iv; break;
    }
    *slot = l;
    f->fired++;
}

static int fold_ok(Fold *f)
{
    int ok = !f->rt.err;
    f->rt.err = 0;
    return ok;
}

static void fold_arith(Fold *f, Expr **slot)
{
    Expr *e = *slot, *a = e->left, *b = e->right;
    velo_rt *rt = &f->rt;
    TypeSpec t = e->type;
    if (t.tag == VT_DOUBLE) {
        double x = lit_f64(a), y = lit_f64(b), r;
        switch (e->op) {
        case OP_ADD: r = x + y; break;
        case OP_SUB: r = x - y; break;
        case OP_MUL: r = x * y; break;
        case OP_DIV: r = vf64_div(rt, x, y); break;
        default: r = vf64_mod(rt, x, y); break;
        }
        if (fold_ok(f)) fold_set(f, slot, 0, r);
        return;
    }
    if (t.tag == VT_DECIMAL) {
        int sa = lit_scale(a), sb = lit_scale(b);
        i64 r;
        switch (e->op) {
        case OP_ADD: r = vd_add(rt, a->ival, sa, b->ival, sb, t.scale); break;
        case OP_SUB: r = vd_sub(rt, a->ival, sa, b->ival, sb, t.scale); break;
        case OP_MUL: r = vd_mul(rt, a->ival, sa, b->ival, sb, t.scale); break;
        case OP_DIV: r = vd_div(rt, a->ival, sa, b->ival, sb, t.scale); break;
        default: r = vd_mod(rt, a->ival, sa, b->ival, sb, t.scale); break;
        }
        if (fold_ok(f)) fold_set(f, slot, r, 0);
        return;
    }
    if (ty_is_int(t)) {
        i64 r;
        switch (e->op) {
        case OP_ADD: r = vi_add(rt, a->ival, b->ival); break;
        case OP_SUB: r = vi_sub(rt, a->ival, b->ival); break;
        case OP_MUL: r = vi_mul(rt, a->ival, b->ival); break;
        case OP_DIV: r = vi_div(rt, a->ival, b->ival); break;
        default: r = vi_mod(rt, a->ival, b->ival); break;
        }
        if (t.tag == VT_INT) r = vi_check_i32(rt, r);
        if (fold_ok(f)) fold_set(f, slot, r, 0);
    }
}

static int cmp_result(int op, int c)
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

static void fold_compare(Fold *f, Expr **slot)
{
    Expr *e = *slot, *a = e->left, *b = e->right;
    int c;
    if (lit_num(a) && lit_num(b)) {
        if (a->kind == E_LIT_DOUBLE || b->kind == E_LIT_DOUBLE) {
            double x = lit_f64(a), y = lit_f64(b);
            c = (x > y) - (x < y);
        } else {
            c = vd_cmp(a->ival, lit_scale(a), b->ival, lit_scale(b));
        }
    } else if (a->kind == E_LIT_STR && b->kind == E_LIT_STR) {
        vstr x = {a->sval, (i64)a->slen}, y = {b->sval, (i64)b->slen};
        c = vs_cmp(x, y);
    } else if (a->kind == b->kind && (a->kind == E_LIT_BOOL || a->kind == E_LIT_TS)) {
        c = (a->ival > b->ival) - (a->ival < b->ival);
    } else {
        return;
    }
    fold_set(f, slot, cmp_result(e->op, c), 0);
}

static void fold_logic(Fold *f, Expr **slot)
{
    Expr *e = *slot, *a = e->left, *b = e->right;
    int is_and = e->op == OP_AND;
    /* FALSE AND x = FALSE, TRUE OR x = TRUE; TRUE AND x = x, FALSE OR x = x */
    for (int side = 0; side < 2; side++) {
        Expr *l = side ? b : a, *other = side ? a : b;
        if (l->kind != E_LIT_BOOL) continue;
        if (l->ival == !is_and) { fold_set(f, slot, !is_and, 0); return; }
        *slot = other;
        f->fired++;
        return;
    }
}

static void fold_expr(Fold *f, Expr **slot)
{
    Expr *e = *slot;
    ex_children(e, fold_slot, f);
    switch (e->kind) {
    case E_UNARY:
        if (e->op == 'N' && e->left->kind == E_LIT_BOOL) fold_set(f, slot, !e->left->ival, 0);
        else if (e->op == '-' && e->left->kind == E_LIT_DOUBLE) fold_set(f, slot, 0, -e->left->dval);
        else if (e->op == '-' && (lit_num(e->left) || e->left->kind == E_LIT_INTERVAL) && e->left->ival != VELO_I64_MIN)
            fold_set(f, slot, -e->left->ival, 0);
        else if (e->op == '+') { *slot = e->left; f->fired++; }
        break;
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR) fold_logic(f, slot);
        else if (e->op >= OP_EQ) fold_compare(f, slot);
        else if (e->op == OP_CONCAT && e->left->kind == E_LIT_STR && e->right->kind == E_LIT_STR) {
            Expr *l = ex_new(f->a, E_LIT_STR, e->pos);
            l->slen = e->left->slen + e->right->slen;
            char *s = ar_alloc(f->a, l->slen + 1);
            memcpy(s, e->left->sval, e->left->slen);
            memcpy(s + e->left->slen, e->right->sval, e->right->slen);
            l->sval = s;
            l->type = e->type;
            *slot = l;
            f->fired++;
        } else if (e->op <= OP_MOD && lit_num(e->left) && lit_num(e->right)) fold_arith(f, slot);
        break;
    case E_IS_NULL:
        if (ex_is_literal(e->left)) fold_set(f, slot, (e->left->kind == E_LIT_NULL) != e->negated, 0);
        break;
    case E_CASE:
        if (!e->left && e->args.n >= 2) {
            Expr *w = e->args.v[0];
            if (w->kind == E_LIT_BOOL && w->ival && ty_equal(((Expr *)e->args.v[1])->type, e->type)) {
                *slot = e->args.v[1];
                f->fired++;
            }
        }
        break;
    case E_CAST:
        if (e->left->kind == E_LIT_INT && e->cast_to.tag == VT_DOUBLE) fold_set(f, slot, 0, (double)e->left->ival);
        else if (e->left->kind == E_LIT_STR && e->cast_to.tag == VT_TIMESTAMP) {
            i64 us;
            if (vt_parse(e->left->sval, (i64)e->left->slen, &us) == 0) fold_set(f, slot, us, 0);
        } else if ((e->left->kind == E_LIT_INT || e->left->kind == E_LIT_DEC) && e->cast_to.tag == VT_DECIMAL) {
            i64 r = vd_check_prec(&f->rt, vd_rescale(&f->rt, e->left->ival, lit_scale(e->left), e->cast_to.scale),
                                  e->cast_to.prec);
            if (fold_ok(f)) fold_set(f, slot, r, 0);
        }
        break;
    case E_FUNC: {
        const FuncDef *fn = e->fn;
        if (fn && fn->id == F_ROUND && e->type.tag == VT_DECIMAL && e->args.n >= 1 &&
            ((Expr *)e->args.v[0])->kind == E_LIT_DEC && (e->args.n == 1 || ((Expr *)e->args.v[1])->kind == E_LIT_INT)) {
            Expr *x = e->args.v[0];
            int d = e->args.n > 1 ? (int)((Expr *)e->args.v[1])->ival : 0;
            i64 r = vd_round(&f->rt, x->ival, x->scale, d);
            if (fold_ok(f)) fold_set(f, slot, r, 0);
        }
        break;
    }
    default: break;
    }
}

static void fold_slot(Expr **slot, void *ctx) { fold_expr(ctx, slot); }

static void fold_plan(Fold *f, Plan *p)
{
    if (!p) return;
    if (p->pred) fold_expr(f, &p->pred);
    for (int i = 0; p->kind == P_PROJECT && i < p->ncols; i++) fold_expr(f, &p->exprs[i]);
    for (int i = 0; i < p->nkeys; i++) fold_expr(f, &p->keys[i]);
    for (int i = 0; i < p->naggs; i++)
        if (p->aggs[i].arg) fold_expr(f, &p->aggs[i].arg);
    for (int i = 0; i < p->pushed.n; i++) fold_expr(f, (Expr **)&p->pushed.v[i]);
    fold_plan(f, p->child);
    for (int i = 0; i < p->inputs.n; i++) fold_plan(f, p->inputs.v[i]);
}

/* A filter whose predicate folded to TRUE is dropped. */
static Plan *drop_true_filters(Plan *p, int *fired)
{
    if (p->child) p->child = drop_true_filters(p->child, fired);
    for (int i = 0; i < p->inputs.n; i++) p->inputs.v[i] = drop_true_filters(p->inputs.v[i], fired);
    if (p->kind == P_FILTER && p->pred->kind == E_LIT_BOOL && p->pred->ival) {
        (*fired)++;
        return p->child;
    }
    return p;
}

/* ---- selectivity (documented defaults; see docs/OPTIMIZER.md) ----------- */

static double sel(const Expr *e)
{
    switch (e->kind) {
    case E_LIT_BOOL: return e->ival ? 1.0 : 0.0;
    case E_BINARY:
        if (e->op == OP_AND) return sel(e->left) * sel(e->right);
        if (e->op == OP_OR) { double a = sel(e->left), b = sel(e->right); return a + b - a * b; }
        if (e->op == OP_EQ) return 0.1;
        if (e->op == OP_NE) return 0.9;
        return 1.0 / 3.0;
    case E_UNARY: return e->op == 'N' ? 1.0 - sel(e->left) : 0.5;
    case E_BETWEEN: return e->negated ? 0.75 : 0.25;
    case E_IN_LIST: { double s = 0.1 * e->args.n; if (s > 0.5) s = 0.5; return e->negated ? 1 - s : s; }
    case E_LIKE: return e->negated ? 0.75 : 0.25;
    case E_IS_NULL: return e->negated ? 0.95 : 0.05;
    default: return 0.5;
    }
}

/* ---- predicate pushdown ------------------------------------------------ */

static int by_cost(const void *a, const void *b)
{
    int x = ex_cost(*(Expr *const *)a), y = ex_cost(*(Expr *const *)b);
    return (x > y) - (x < y);
}

static Plan *pushdown(Optimizer *o, Plan *p, int *fired)
{
    if (p->child) p->child = pushdown(o, p->child, fired);
    for (int i = 0; i < p->inputs.n; i++) p->inputs.v[i] = pushdown(o, p->inputs.v[i], fired);
    if (p->kind != P_FILTER || p->child->kind != P_SCAN) return p;
    Plan *scan = p->child;
    int before = scan->pushed.n;
    ex_conjuncts(o->a, p->pred, &scan->pushed);
    /* stable order by cost class: cheap comparisons before string work */
    qsort(scan->pushed.v + before, (size_t)(scan->pushed.n - before), sizeof(void *), by_cost);
    *fired += scan->pushed.n - before;
    return scan;
}

/* ---- projection pushdown ----------------------------------------------- */

static void need_exprs(Expr **v, int n, u8 *need, int ncols)
{
    for (int i = 0; i < n; i++) ex_mark_columns(v[i], need, ncols);
}

/* need: which of p's output columns its consumer reads (NULL: all). */
static void project_down(Optimizer *o, Plan *p, const u8 *need, int all, int *fired)
{
    Plan *c = p->child;
    int cn = c ? c->ncols : 0;
    u8 *cneed = ar_alloc(o->a, (size_t)cn + 1);
    switch (p->kind) {
    case P_SCAN:
        for (int i = 0; i < p->ncols; i++) p->needed[i] = (u8)(all || need[i]);
        for (int i = 0; i < p->pushed.n; i++) ex_mark_columns(p->pushed.v[i], p->needed, p->ncols);
        {
            int k = 0;
            for (int i = 0; i < p->ncols; i++) k += p->needed[i];
            if (k < p->ncols) (*fired)++;
        }
        return;
    case P_PROJECT: need_exprs(p->exprs, p->ncols, cneed, cn); break;
    case P_AGG:
        need_exprs(p->keys, p->nkeys, cneed, cn);
        for (int i = 0; i < p->naggs; i++) ex_mark_columns(p->aggs[i].arg, cneed, cn);
        if (p->win_time_col >= 0 && p->win_time_col < cn) cneed[p->win_time_col] = 1;
        break;
    case P_FILTER:
        for (int i = 0; i < cn; i++) cneed[i] = (u8)(all || need[i]);
        ex_mark_columns(p->pred, cneed, cn);
        break;
    case P_SORT:
    case P_LIMIT:
    case P_SINK:
        for (int i = 0; i < cn; i++) cneed[i] = (u8)(all || need[i] || p->kind == P_SINK);
        need_exprs(p->sort_keys, p->nsort, cneed, cn);
        break;
    case P_UNION:
        for (int i = 0; i < p->inputs.n; i++) project_down(o, p->inputs.v[i], need, all, fired);
        return;
    }
    if (c) project_down(o, c, cneed, 0, fired);
}

static void all_needed(Plan *p)
{
    if (p->kind == P_SCAN) memset(p->needed, 1, (size_t)p->ncols);
    if (p->child) all_needed(p->child);
    for (int i = 0; i < p->inputs.n; i++) all_needed(p->inputs.v[i]);
}

/* ---- estimates --------------------------------------------------------- */

static void estimate(Plan *p)
{
    if (p->child) estimate(p->child);
    for (int i = 0; i < p->inputs.n; i++) estimate(p->inputs.v[i]);
    double in = p->child ? p->child->est_rows : 0;
    switch (p->kind) {
    case P_SCAN: {
        double s = 1;
        for (int i = 0; i < p->pushed.n; i++) s *= sel(p->pushed.v[i]);
        p->est_rows = p->rel->est_rows < 0 ? 1000 * s : p->rel->est_rows * s;
        if (p->pushed.n) p->est_source = "default";
        else p->est_source = p->rel->rows_source;
        break;
    }
    case P_FILTER: p->est_rows = in * sel(p->pred); p->est_source = "default"; break;
    case P_AGG:
        p->est_rows = p->nkeys ? (in < 10 ? in : in / 10 < 10 ? 10 : in / 10) : 1;
        p->est_source = p->nkeys ? "default" : "exact";
        break;
    case P_LIMIT:
    case P_SORT:
        p->est_rows = p->limit >= 0 && in > (double)p->limit ? (double)p->limit : in;
        p->est_source = p->child->est_source;
        break;
    case P_UNION:
        p->est_rows = 0;
        for (int i = 0; i < p->inputs.n; i++) p->est_rows += ((Plan *)p->inputs.v[i])->est_rows;
        break;
    default: p->est_rows = in; p->est_source = p->child->est_source; break;
    }
    if (p->est_rows < 1) p->est_rows = 1;
}

void opt_run(Optimizer *o, Job *job)
{
    for (int r = 0; r < job->plans.n; r++) {
        Plan **root = (Plan **)&job->plans.v[r];
        double t0 = now_ms();
        if (o->pass[PASS_FOLD].enabled) {
            Fold f;
            memset(&f, 0, sizeof f);
            f.a = o->a;
            fold_plan(&f, *root);
            *root = drop_true_filters(*root, &f.fired);
            va_free(&f.rt.tmp);
            o->pass[PASS_FOLD].fired += f.fired;
        }
        double t1 = now_ms();
        if (o->pass[PASS_PUSHDOWN].enabled) *root = pushdown(o, *root, &o->pass[PASS_PUSHDOWN].fired);
        double t2 = now_ms();
        if (o->pass[PASS_PROJECT].enabled) project_down(o, *root, NULL, 1, &o->pass[PASS_PROJECT].fired);
        else all_needed(*root);
        double t3 = now_ms();
        estimate(*root);
        o->pass[PASS_FOLD].ms += t1 - t0;
        o->pass[PASS_PUSHDOWN].ms += t2 - t1;
        o->pass[PASS_PROJECT].ms += t3 - t2;
    }
    opt_number(job);
}

static void number(Plan *p, int *next)
{
    if (p->child) number(p->child, next);
    for (int i = 0; i < p->inputs.n; i++) number(p->inputs.v[i], next);
    p->id = ++*next;
}

void opt_number(Job *job)
{
    int next = 0;
    for (int r = 0; r < job->plans.n; r++) number(job->plans.v[r], &next);
    if (next > job->next_id) job->next_id = next;
}
