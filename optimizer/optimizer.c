/*
 * optimizer.c -- rewrite passes (see optimizer.h):
 *   constant_folding     evaluate literal subexpressions with the runtime's
 *                        own arithmetic, simplify AND/OR/CASE/IS NULL
 *   predicate_pushdown   move WHERE conjuncts into the scan, cheapest first,
 *                        so the decoder rejects records before decoding the
 *                        columns only the rest of the query reads
 *   join_reorder         order inner-join clusters by estimated cost; the
 *                        enumeration itself is in joinorder.c
 *   join_equivalences    inside join_reorder: a = b AND b = c also joins
 *                        a's and c's relations, so the enumerator may
 *                        join them first; a = b AND b = 5 filters a's
 *                        scan on a = 5 (and b < 5, BETWEEN, IN alike)
 *   redundant_joins      an inner join to a PRIMARY KEY row the input already
 *                        holds becomes a copy of that row's columns
 *   projection_pushdown  decode only the columns some operator reads
 *   join_elimination     drop LEFT joins to a unique key nobody reads
 * plus cardinality estimates with the documented default selectivities.
 */
#include "optimizer.h"
#include "sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expr.h"
#include "functions.h"
#include "joinorder.h"

enum { PASS_FOLD, PASS_PUSHDOWN, PASS_REORDER, PASS_EQUIV, PASS_REDUNDANT, PASS_PROJECT, PASS_ELIMINATE, PASS_COUNT };

void opt_init(Optimizer *o, Arena *a)
{
    memset(o, 0, sizeof *o);
    o->a = a;
    static const char *const names[] = {"constant_folding", "predicate_pushdown",  "join_reorder",    "join_equivalences",
                                        "redundant_joins",  "projection_pushdown", "join_elimination"};
    static const char *const what[] = {"evaluate constant expressions at compile time; the cheaper OR operands first",
                                       "push WHERE/ON conjuncts through joins into the scans' decoders",
                                       "order inner joins by estimated cost (DPccp up to 12 inputs, greedy above)",
                                       "join on equalities the written ones imply (a = b AND b = c gives a = c)",
                                       "replace an inner join to a PRIMARY KEY row already in the plan by that row's columns",
                                       "decode only the columns the query reads",
                                       "drop LEFT joins to a unique key (PRIMARY KEY, GROUP BY) whose columns nobody reads"};
    for (int i = 0; i < PASS_COUNT; i++) {
        o->pass[i].name = names[i];
        o->pass[i].what = what[i];
        o->pass[i].enabled = 1;
    }
    o->npasses = PASS_COUNT;
}

int opt_disable(Optimizer *o, const char *name)
{
    for (int i = 0; i < o->npasses; i++)
        if (strcmp(o->pass[i].name, name) == 0) {
            o->pass[i].enabled = 0;
            return 0;
        }
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

static int lit_num(const Expr *e)
{
    return e->kind == E_LIT_INT || e->kind == E_LIT_DEC || e->kind == E_LIT_DOUBLE;
}

static double lit_f64(const Expr *e)
{
    if (e->kind == E_LIT_DOUBLE) return e->dval;
    if (e->kind == E_LIT_DEC) return vd_to_f64(e->ival, e->scale);
    return (double)e->ival;
}

static int lit_scale(const Expr *e)
{
    return e->kind == E_LIT_DEC ? e->scale : 0;
}

/* Replace *slot by a literal of its own type holding v (ival/dval). */
static void fold_set(Fold *f, Expr **slot, int64_t iv, double dv)
{
    Expr *e = *slot;
    Expr *l = ex_new(f->a, E_LIT_INT, e->pos);
    l->type = e->type;
    switch (e->type.tag) {
    case VT_BOOL:
        l->kind = E_LIT_BOOL;
        l->ival = iv;
        break;
    case VT_DOUBLE:
        l->kind = E_LIT_DOUBLE;
        l->dval = dv;
        break;
    case VT_DECIMAL:
        l->kind = E_LIT_DEC;
        l->ival = iv;
        l->scale = e->type.scale;
        break;
    case VT_TIMESTAMP:
        l->kind = E_LIT_TS;
        l->ival = iv;
        break;
    case VT_INTERVAL:
        l->kind = E_LIT_INTERVAL;
        l->ival = iv;
        break;
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
    fold_set(f, slot, ex_cmp_holds(e->op, c), 0);
}

/* The operands of the chain of e's AND (or OR) nodes, into v (at most max). */
static int logic_operands(Expr *e, int op, Expr **v, int n, int max)
{
    if (e->kind == E_BINARY && e->op == op) return logic_operands(e->right, op, v, logic_operands(e->left, op, v, n, max), max);
    if (n < max) v[n] = e;
    return n + 1;
}

/*
 * The cheaper operands of an OR chain first, the written order kept among
 * equals: a later operand runs only when the ones before it are not true,
 * and SQL leaves the order open (NEXMark q21's LOWER(channel) IN (...)
 * spares the REGEXP_EXTRACT for the rows it accepts). The chain is rebuilt
 * left-deep in place; folding is bottom-up, so e's operands are in order
 * already and only e's own chain moves. Not AND chains: cost alone ignores
 * selectivity, and TPC-H q19's residual ran 5 % slower with its numeric
 * tests (which pass a fifth of the rows) moved before a string equality
 * (which passes a twenty-fifth); a WHERE's top-level conjuncts are ordered
 * where they are pushed into a scan.
 */
static void logic_order(Fold *f, Expr *e)
{
    enum { MAXOPS = 64 };
    Expr *v[MAXOPS];
    int n = logic_operands(e, e->op, v, 0, MAXOPS), moved = 0;
    if (n > MAXOPS) return;
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && ex_cost(v[k - 1]) > ex_cost(v[k]); k--) {
            Expr *t = v[k];
            v[k] = v[k - 1], v[k - 1] = t;
            moved = 1;
        }
    if (!moved) return;
    Expr *acc = v[0];
    for (int i = 1; i < n - 1; i++) {
        Expr *x = ex_copy(f->a, e);
        x->left = acc, x->right = v[i];
        acc = x;
    }
    e->left = acc, e->right = v[n - 1];
    f->fired++;
}

static void fold_logic(Fold *f, Expr **slot)
{
    Expr *e = *slot, *a = e->left, *b = e->right;
    int is_and = e->op == OP_AND;
    /* FALSE AND x = FALSE, TRUE OR x = TRUE; TRUE AND x = x, FALSE OR x = x */
    for (int side = 0; side < 2; side++) {
        Expr *l = side ? b : a, *other = side ? a : b;
        if (l->kind != E_LIT_BOOL) continue;
        if (l->ival == !is_and) {
            fold_set(f, slot, !is_and, 0);
            return;
        }
        *slot = other;
        f->fired++;
        return;
    }
    if (!is_and) logic_order(f, e);
}

/* The non-literal side of `x = literal` (either way round), or NULL. */
static Expr *eq_literal_operand(Expr *w, Expr **lit)
{
    if (w->kind != E_BINARY || w->op != OP_EQ) return NULL;
    int right = ex_is_literal(w->left);
    Expr *x = right ? w->right : w->left, *l = right ? w->left : w->right;
    if (!ex_is_literal(l) || l->kind == E_LIT_NULL || ex_is_literal(x)) return NULL;
    *lit = l;
    return x;
}

/*
 * CASE WHEN x = 'a' THEN .. WHEN x = 'b' THEN .. END, every WHEN comparing
 * one expression x with a literal, becomes CASE x WHEN 'a' THEN .. END,
 * which evaluates x once instead of once per WHEN (NEXMark q21 lowered its
 * channel four times a row). The same comparisons in the same order: the
 * first WHEN evaluated x unconditionally already, and a NULL x matches no
 * WHEN either way.
 */
static void case_simple(Fold *f, Expr *e)
{
    Expr *x = NULL, *lit;
    if (e->args.n < 4) return; /* one WHEN: nothing to share */
    for (int i = 0; i + 1 < e->args.n; i += 2) {
        Expr *y = eq_literal_operand(e->args.v[i], &lit);
        if (!y || (x && !ex_equal(x, y)) || y->kind == E_SUBQUERY || y->kind == E_COLUMN) return;
        x = y;
    }
    for (int i = 0; i + 1 < e->args.n; i += 2) {
        eq_literal_operand(e->args.v[i], &lit);
        e->args.v[i] = lit;
    }
    e->left = x;
    f->fired++;
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
        else if (e->op == '+') {
            *slot = e->left;
            f->fired++;
        }
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
            } else case_simple(f, e);
        }
        break;
    case E_CAST:
        if (e->left->kind == E_LIT_INT && e->cast_to.tag == VT_DOUBLE) fold_set(f, slot, 0, (double)e->left->ival);
        else if (e->left->kind == E_LIT_STR && e->cast_to.tag == VT_TIMESTAMP) {
            i64 us;
            if (vt_parse(e->left->sval, (i64)e->left->slen, &us) == 0) fold_set(f, slot, us, 0);
        } else if ((e->left->kind == E_LIT_INT || e->left->kind == E_LIT_DEC) && e->cast_to.tag == VT_DECIMAL) {
            i64 r = vd_check_prec(&f->rt, vd_rescale(&f->rt, e->left->ival, lit_scale(e->left), e->cast_to.scale), e->cast_to.prec);
            if (fold_ok(f)) fold_set(f, slot, r, 0);
        }
        break;
    case E_FUNC: {
        const FuncDef *fn = e->fn;
        if (fn && fn->id == F_ROUND && e->type.tag == VT_DECIMAL && e->args.n >= 1 && ((Expr *)e->args.v[0])->kind == E_LIT_DEC &&
            (e->args.n == 1 || ((Expr *)e->args.v[1])->kind == E_LIT_INT)) {
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

static void fold_slot(Expr **slot, void *ctx)
{
    fold_expr(ctx, slot);
}

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
        if (e->op == OP_OR) {
            double a = sel(e->left), b = sel(e->right);
            return a + b - a * b;
        }
        if (e->op == OP_EQ) return 0.1;
        if (e->op == OP_NE) return 0.9;
        return 1.0 / 3.0;
    case E_UNARY: return e->op == 'N' ? 1.0 - sel(e->left) : 0.5;
    case E_BETWEEN: return e->negated ? 0.75 : 0.25;
    case E_IN_LIST: {
        double s = 0.1 * e->args.n;
        if (s > 0.5) s = 0.5;
        return e->negated ? 1 - s : s;
    }
    case E_LIKE: return e->negated ? 0.75 : 0.25;
    case E_IS_NULL: return e->negated ? 0.95 : 0.05;
    default: return 0.5;
    }
}

/* ---- predicate pushdown ------------------------------------------------ */

static Plan *opt_new(Optimizer *o, PlanKind k, Plan *child)
{
    Plan *p = ar_alloc(o->a, sizeof *p);
    p->kind = k;
    p->child = child;
    p->limit = -1;
    p->est_rows = -1;
    p->est_source = "default";
    p->win_time_col = -1;
    if (child) {
        p->ncols = child->ncols;
        p->cols = child->cols;
    }
    return p;
}

/* Conjuncts that cannot go deeper stay in a Filter right here. */
static Plan *wrap_filter(Optimizer *o, Plan *p, PtrVec *keep)
{
    if (!keep->n) return p;
    Plan *f = opt_new(o, P_FILTER, p);
    f->pred = ex_and_all(o->a, keep, 0);
    f->pos = p->pos;
    return f;
}

static Plan *push(Optimizer *o, Plan *p, PtrVec *conj, int *fired);

static void disjuncts(Expr *e, PtrVec *out, Arena *a)
{
    if (e->kind == E_BINARY && e->op == OP_OR) {
        disjuncts(e->left, out, a);
        disjuncts(e->right, out, a);
    } else {
        pv_push(a, out, e);
    }
}

/* (A AND B) OR (A AND C) = A AND (B OR C): a condition every branch of an
 * OR repeats (typically the join key, as in TPC-H q19) is taken out so it
 * can become a hash key or go down to a scan. */
static Expr *factor_or(Arena *a, Expr *e)
{
    if (!(e->kind == E_BINARY && e->op == OP_OR)) return e;
    PtrVec ds = {0};
    disjuncts(e, &ds, a);
    PtrVec *cs = ar_alloc(a, sizeof(PtrVec) * (size_t)ds.n);
    for (int i = 0; i < ds.n; i++) ex_conjuncts(a, ds.v[i], &cs[i]);
    PtrVec common = {0};
    for (int k = 0; k < cs[0].n; k++) {
        Expr *c = cs[0].v[k];
        int everywhere = 1;
        for (int i = 1; i < ds.n && everywhere; i++) {
            int found = 0;
            for (int j = 0; j < cs[i].n && !found; j++) found = ex_equal(c, cs[i].v[j]);
            everywhere = found;
        }
        int dup = 0;
        for (int j = 0; j < common.n && !dup; j++) dup = ex_equal(c, common.v[j]);
        if (everywhere && !dup) pv_push(a, &common, c);
    }
    if (!common.n) return e;
    Expr *rest = NULL;
    int always = 0;
    for (int i = 0; i < ds.n; i++) {
        PtrVec left = {0};
        for (int j = 0; j < cs[i].n; j++) {
            int in_common = 0;
            for (int k = 0; k < common.n && !in_common; k++) in_common = ex_equal(cs[i].v[j], common.v[k]);
            if (!in_common) pv_push(a, &left, cs[i].v[j]);
        }
        if (!left.n) {
            always = 1;
            break;
        } /* this branch is just the common part */
        Expr *d = ex_and_all(a, &left, 0);
        rest = ex_logic(a, OP_OR, rest, d, d->pos);
    }
    if (!always && rest) pv_push(a, &common, rest);
    return ex_and_all(a, &common, 0);
}

/* The conjuncts of e, with common factors taken out of every OR. */
static void conjuncts_factored(Arena *a, Expr *e, PtrVec *out)
{
    PtrVec raw = {0};
    ex_conjuncts(a, e, &raw);
    for (int i = 0; i < raw.n; i++) {
        Expr *f = factor_or(a, raw.v[i]);
        if (f == raw.v[i]) pv_push(a, out, f);
        else ex_conjuncts(a, f, out);
    }
}

/*
 * What an OR of conjunctions implies about the columns [lo, hi] of one
 * join input: each branch's conjuncts that read only those columns, ANDed,
 * and the branches ORed; NULL when some branch has none (it says nothing
 * about that input). ((n1 = 'FRANCE' AND n2 = 'GERMANY') OR (n1 = 'GERMANY'
 * AND n2 = 'FRANCE')) gives n1 = 'FRANCE' OR n1 = 'GERMANY' for the side
 * of n1: a filter that may go down to its scan while the OR stays at the
 * join (TPC-H Q7's nation pair; Q19's brands, sizes and quantities).
 */
static Expr *or_implied(Arena *a, Expr *e, int lo, int hi)
{
    if (!(e->kind == E_BINARY && e->op == OP_OR)) return NULL;
    PtrVec ds = {0};
    disjuncts(e, &ds, a);
    Expr *out = NULL;
    for (int i = 0; i < ds.n; i++) {
        PtrVec cs = {0}, mine = {0};
        ex_conjuncts(a, ds.v[i], &cs);
        for (int k = 0; k < cs.n; k++) {
            int clo = -1, chi = -1;
            ex_col_range(cs.v[k], &clo, &chi);
            if (clo >= lo && chi <= hi) pv_push(a, &mine, cs.v[k]);
        }
        if (!mine.n) return NULL;
        Expr *d = ex_and_all(a, &mine, 0);
        out = ex_logic(a, OP_OR, out, d, d->pos);
    }
    out->implied = 1; /* a new OR node: at least two branches */
    return out;
}

/* An equality whose sides read only the left and only the right input
 * becomes a hash key; anything else reading both sides is residual. */
static void add_join_cond(Optimizer *o, Plan *j, Expr *c, int nl, PtrVec *resid)
{
    if (c->kind == E_BINARY && c->op == OP_EQ) {
        int llo = -1, lhi = -1, rlo = -1, rhi = -1;
        ex_col_range(c->left, &llo, &lhi);
        ex_col_range(c->right, &rlo, &rhi);
        Expr *l = NULL, *r = NULL;
        if (llo >= 0 && rlo >= 0 && lhi < nl && rlo >= nl) {
            l = c->left;
            r = c->right;
        } else if (llo >= 0 && rlo >= 0 && rhi < nl && llo >= nl) {
            l = c->right;
            r = c->left;
        }
        if (l && ty_common(l->type, r->type).tag != VT_NULL) {
            Plan *R = j->inputs.v[1];
            Expr **kl = ar_alloc(o->a, sizeof(Expr *) * (size_t)(j->njk + 1));
            Expr **kr = ar_alloc(o->a, sizeof(Expr *) * (size_t)(j->njk + 1));
            for (int i = 0; i < j->njk; i++) {
                kl[i] = j->jk_left[i];
                kr[i] = j->jk_right[i];
            }
            kl[j->njk] = l;
            kr[j->njk] = ex_shift(o->a, r, nl, R->ncols, -nl);
            j->jk_left = kl;
            j->jk_right = kr;
            j->njk++;
            return;
        }
    }
    pv_push(o->a, resid, c);
}

static Plan *push_join(Optimizer *o, Plan *j, PtrVec *conj, int *fired)
{
    Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    int nl = L->ncols, k = j->join_kind;
    int inner = k == 'I' || k == 'C';
    PtrVec lc = {0}, rc = {0}, keep = {0}, both = {0}, resid = {0}, on = {0};
    for (int i = 0; i < conj->n; i++) {
        Expr *c = conj->v[i];
        int lo = -1, hi = -1;
        ex_col_range(c, &lo, &hi);
        if (lo >= 0 && hi < nl && (inner || k == 'L' || k == 'S' || k == 'A')) pv_push(o->a, &lc, c);
        else if (lo >= nl && (inner || k == 'R')) pv_push(o->a, &rc, ex_shift(o->a, c, nl, R->ncols, -nl));
        else if (inner && lo >= 0) pv_push(o->a, &both, c);
        else pv_push(o->a, &keep, c);
    }
    if (j->residual) conjuncts_factored(o->a, j->residual, &on);
    for (int i = 0; i < on.n; i++) {
        Expr *c = on.v[i];
        int lo = -1, hi = -1;
        ex_col_range(c, &lo, &hi);
        /* ON conditions filter matches: they may go to the side whose rows
         * are not preserved, never to a preserved one */
        if (lo >= 0 && hi < nl && (inner || k == 'R' || k == 'S')) pv_push(o->a, &lc, c);
        else if (lo >= nl && (inner || k == 'L' || k == 'S' || k == 'A')) pv_push(o->a, &rc, ex_shift(o->a, c, nl, R->ncols, -nl));
        else pv_push(o->a, &both, c);
    }
    /* an inner join's OR reading both sides stays here; what it implies
       about one side alone goes down as well */
    for (int i = 0; inner && i < both.n; i++) {
        Expr *l = or_implied(o->a, both.v[i], 0, nl - 1), *r = or_implied(o->a, both.v[i], nl, nl + R->ncols - 1);
        if (l) pv_push(o->a, &lc, l);
        if (r) pv_push(o->a, &rc, ex_shift(o->a, r, nl, R->ncols, -nl));
    }
    *fired += lc.n + rc.n;
    j->residual = NULL;
    for (int i = 0; i < both.n; i++) add_join_cond(o, j, both.v[i], nl, &resid);
    j->residual = ex_and_all(o->a, &resid, 0);
    if (k == 'C' && j->njk) j->join_kind = 'I';
    j->inputs.v[0] = push(o, L, &lc, fired);
    j->inputs.v[1] = push(o, R, &rc, fired);
    return wrap_filter(o, j, &keep);
}

static Plan *push(Optimizer *o, Plan *p, PtrVec *conj, int *fired)
{
    switch (p->kind) {
    case P_SCAN: {
        int before = p->pushed.n;
        for (int i = 0; i < conj->n; i++) pv_push(o->a, &p->pushed, conj->v[i]);
        /* cheap comparisons before string work (insertion sort: stable) */
        for (int i = before + 1; i < p->pushed.n; i++)
            for (int k = i; k > before && ex_cost(p->pushed.v[k - 1]) > ex_cost(p->pushed.v[k]); k--) {
                void *t = p->pushed.v[k];
                p->pushed.v[k] = p->pushed.v[k - 1];
                p->pushed.v[k - 1] = t;
            }
        *fired += conj->n;
        return p;
    }
    case P_FILTER: conjuncts_factored(o->a, p->pred, conj); return push(o, p->child, conj, fired);
    case P_JOIN: return push_join(o, p, conj, fired);
    default: {
        PtrVec none = {0};
        if (p->child) p->child = push(o, p->child, &none, fired);
        for (int i = 0; i < p->inputs.n; i++) {
            PtrVec n2 = {0};
            p->inputs.v[i] = push(o, p->inputs.v[i], &n2, fired);
        }
        return wrap_filter(o, p, conj);
    }
    }
}

static Plan *pushdown(Optimizer *o, Plan *p, int *fired)
{
    PtrVec none = {0};
    return push(o, p, &none, fired);
}

/* ---- projection pushdown ----------------------------------------------- */

static void need_exprs(Expr **v, int n, u8 *need, int ncols)
{
    for (int i = 0; i < n; i++) ex_mark_columns(v[i], need, ncols);
}

static double value_bytes(TypeSpec t, double avg);
static double col_avg_len(const Plan *p, int c);

/* Bytes of the columns of p that need marks (all: every one) in a
 * hash-join build row, each with its NULL flag. */
static double need_width(const Plan *p, const u8 *need, int all)
{
    double w = 0;
    for (int i = 0; i < p->ncols; i++)
        if (all || need[i]) w += value_bytes(p->cols[i].type, col_avg_len(p, i)) + 1;
    return w;
}

/* need: which of p's output columns its consumer reads (NULL: all). */
static void project_down(Optimizer *o, Plan *p, const u8 *need, int all, int *fired)
{
    if (o->widths) p->est_width = need_width(p, need, all);
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
    case P_PROJECT:
        /* an output nobody reads is not computed, so its inputs need not be
         * decoded either (e.g. the Project restoring a reordered join's
         * column order lists every column) */
        p->out_needed = ar_alloc(o->a, (size_t)p->ncols + 1);
        for (int i = 0; i < p->ncols; i++) {
            p->out_needed[i] = (u8)(all || need[i]);
            if (p->out_needed[i]) ex_mark_columns(p->exprs[i], cneed, cn);
        }
        break;
    case P_AGG:
        need_exprs(p->keys, p->nkeys, cneed, cn);
        for (int i = 0; i < p->naggs; i++) {
            ex_mark_columns(p->aggs[i].arg, cneed, cn);
            ex_mark_columns(p->aggs[i].arg2, cneed, cn); /* CORR(y, x), STRING_AGG separators */
        }
        if (p->win_time_col >= 0 && p->win_time_col < cn) cneed[p->win_time_col] = 1;
        /* Kafka: the watermark is tracked per partition (codegen) */
        for (int i = 0; p->win.kind != WIN_NONE && i < cn; i++)
            if (c->cols[i].partition) cneed[i] = 1;
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
    case P_VALUES: return;
    case P_ANALYTIC:
        p->out_needed = ar_alloc(o->a, (size_t)p->ncols + 1);
        for (int i = 0; i < p->ncols; i++) p->out_needed[i] = (u8)(all || need[i]);
        for (int i = 0; i < cn; i++) cneed[i] = (u8)(all || need[i]);
        for (int i = 0; i < p->wcalls.n; i++) {
            Expr *w = p->wcalls.v[i];
            for (int k = 0; k < w->args.n; k++) ex_mark_columns(w->args.v[k], cneed, cn);
        }
        need_exprs((Expr **)p->wpart.v, p->wpart.n, cneed, cn);
        for (int i = 0; i < p->word.n; i++) ex_mark_columns(((OrderItem *)p->word.v[i])->expr, cneed, cn);
        break;
    case P_JOIN: {
        Plan *L = p->inputs.v[0], *R = p->inputs.v[1];
        int nl = L->ncols, nr = R->ncols;
        /* the residual reads the left and right columns even of semi/anti joins */
        u8 *jn = ar_alloc(o->a, (size_t)(nl + nr) + 1);
        for (int i = 0; i < p->ncols; i++) jn[i] = (u8)(all || need[i]);
        if (p->residual) ex_mark_columns(p->residual, jn, nl + nr);
        p->out_needed = jn;
        u8 *ln = ar_alloc(o->a, (size_t)nl + 1), *rn = ar_alloc(o->a, (size_t)nr + 1);
        memcpy(ln, jn, (size_t)nl);
        memcpy(rn, jn + nl, (size_t)nr);
        need_exprs(p->jk_left, p->njk, ln, nl);
        need_exprs(p->jk_right, p->njk, rn, nr);
        if (p->interval) { /* each input's watermark: its time column, per Kafka partition */
            ln[p->iv_lcol] = rn[p->iv_rcol] = 1;
            for (int i = 0; i < nl; i++) ln[i] |= (u8)L->cols[i].partition;
            for (int i = 0; i < nr; i++) rn[i] |= (u8)R->cols[i].partition;
        }
        project_down(o, L, ln, 0, fired);
        project_down(o, R, rn, 0, fired);
        return;
    }
    }
    if (c) project_down(o, c, cneed, 0, fired);
}

/* Undoes project_down's marks: scans need nothing yet, operators emit
 * every column (as the binder left them). */
static void clear_needed(Plan *p)
{
    if (p->kind == P_SCAN) memset(p->needed, 0, (size_t)p->ncols);
    p->out_needed = NULL;
    if (p->child) clear_needed(p->child);
    for (int i = 0; i < p->inputs.n; i++) clear_needed(p->inputs.v[i]);
}

/*
 * est_width of every operator, for join_reorder's cost of hash tables: the
 * bytes of the columns its consumer reads in the written plan, as
 * projection pushdown will find them (a dry run of it, undone after: the
 * pass itself runs after the join order is chosen, or not at all).
 */
static void row_widths(Optimizer *o, Plan *root)
{
    int fired = 0;
    o->widths = 1;
    project_down(o, root, NULL, 1, &fired);
    o->widths = 0;
    clear_needed(root);
}

/* est_width, or for an operator made after row_widths (a Filter, a
 * Project), its input's. */
static double plan_width(const Plan *p)
{
    while (!p->est_width && p->child) p = p->child;
    return p->est_width ? p->est_width : JO_ROW_WIDTH;
}

static void all_needed(Optimizer *o, Plan *p)
{
    if (p->kind == P_SCAN) memset(p->needed, 1, (size_t)p->ncols);
    if (p->kind == P_ANALYTIC) {
        p->out_needed = ar_alloc(o->a, (size_t)p->ncols + 1);
        memset(p->out_needed, 1, (size_t)p->ncols);
    }
    if (p->kind == P_JOIN) {
        int n = ((Plan *)p->inputs.v[0])->ncols + ((Plan *)p->inputs.v[1])->ncols;
        p->out_needed = ar_alloc(o->a, (size_t)n + 1);
        memset(p->out_needed, 1, (size_t)n);
    }
    if (p->child) all_needed(o, p->child);
    for (int i = 0; i < p->inputs.n; i++) all_needed(o, p->inputs.v[i]);
}

/* ---- join statistics and order ---------------------------------------- */

/* The operator output column *c of p comes from, through filters,
 * projections of plain columns, sorts, limits and joins: a scan, or an
 * operator that computes it (an aggregate, ...); *c becomes its column. */
static const Plan *col_origin(const Plan *p, int *c)
{
    for (;;) {
        p = pl_col_through(p, c);
        if (!p || p->kind == P_SCAN) return p;
        if (p->kind == P_SORT || p->kind == P_LIMIT) p = p->child;
        else if (p->kind == P_JOIN) {
            const Plan *l = p->inputs.v[0];
            if (*c < l->ncols) p = l;
            else {
                *c -= l->ncols;
                p = p->inputs.v[1];
            }
        } else return p;
    }
}

/* The scan that output column *c of p reads, through filters, sorts,
 * limits, joins and plain-column projections; *c becomes the scan's
 * column. NULL when the column is computed. */
static const Plan *col_scan(const Plan *p, int *c)
{
    const Plan *o = col_origin(p, c);
    return o && o->kind == P_SCAN ? o : NULL;
}

/* The GROUP BY (final, no window) whose group key output column c of p
 * is, or NULL. Each group is one row, so a single key is a key of it. */
static const Plan *col_group_key(const Plan *p, int *c)
{
    const Plan *o = col_origin(p, c);
    return o && pl_final_group(o) && *c < o->nkeys && o->est_rows > 0 ? o : NULL;
}

/* Distinct values of output column c of p, traced to a scanned column;
 * capped by the rows of p. */
static double col_ndv(Plan *p, int c, const char **src)
{
    double cap = p->est_rows > 0 ? p->est_rows : 1;
    int k = c;
    const Plan *scan = col_scan(p, &c), *agg = scan ? NULL : col_group_key(p, &k);
    if (scan && scan->rel->ndv && scan->rel->ndv[c] > 0) {
        *src = scan->rel->ndv_source[c];
        double d = scan->rel->ndv[c];
        return d < cap ? d : cap;
    }
    if (agg && agg->nkeys == 1) { /* the groups: one per value */
        *src = agg->est_source;
        return agg->est_rows < cap ? agg->est_rows : cap;
    }
    *src = "default";
    return cap / 10 < 1 ? 1 : cap / 10;
}

/* Narrows [*lo, *hi] to what scan's pushed conjuncts on its column c let
 * through: c BETWEEN a AND b, c < a, a <= c and the like, with literals
 * (TPC-H Q7's two years of l_shipdate, grouped by their YEAR). */
static void pushed_range(const Plan *scan, int c, double *lo, double *hi)
{
    for (int k = 0; k < scan->pushed.n; k++) {
        const Expr *e = scan->pushed.v[k], *col = NULL, *lit = NULL;
        double a, b;
        if (e->kind == E_BETWEEN && !e->negated && e->left->kind == E_COLUMN && e->left->col_index == c && !ex_lit_number(e->right, &a) &&
            !ex_lit_number(e->third, &b)) {
            if (a > *lo) *lo = a;
            if (b < *hi) *hi = b;
            continue;
        }
        if (e->kind != E_BINARY || e->op < OP_LT || e->op > OP_GE) continue;
        int op = e->op;
        if (e->left->kind == E_COLUMN) col = e->left, lit = e->right;
        else if (e->right->kind == E_COLUMN) /* lit op col: col op' lit */ col = e->right, lit = e->left, op = ex_cmp_swapped(op);
        if (!col || col->col_index != c || ex_lit_number(lit, &a)) continue;
        int t = col->type.tag; /* integral: d < TIMESTAMP '2020-04-01' ends in March */
        if (t == VT_INT || t == VT_BIGINT || t == VT_TIMESTAMP) a += op == OP_LT ? -1 : op == OP_GT ? 1 : 0;
        if (op == OP_LT || op == OP_LE) {
            if (a < *hi) *hi = a;
        } else if (a > *lo) {
            *lo = a;
        }
    }
}

/* The least and greatest values of output column c of p, traced to a
 * scanned column with a range (sampled or declared) and narrowed by that
 * scan's filters; its source, or NULL. */
static const char *col_range(const Plan *p, int c, double *lo, double *hi)
{
    const Plan *scan = col_scan(p, &c);
    const Relation *r = scan ? scan->rel : NULL;
    if (!r || !r->range_source || c >= r->ncols || !r->range_source[c]) return NULL;
    *lo = r->lo[c];
    *hi = r->hi[c];
    pushed_range(scan, c, lo, hi);
    return r->range_source[c];
}

/* Distinct values of output column c of p when it traces to a key of a
 * scanned table (a declared PRIMARY KEY, or sampled distinct values about
 * the table's rows), before any filter; -1 otherwise. */
static double col_key_ndv(Plan *p, int c)
{
    int k = c;
    const Plan *scan = col_scan(p, &c), *agg = scan ? NULL : col_group_key(p, &k);
    if (agg && agg->nkeys == 1 && strcmp(agg->est_source, "default")) return agg->est_rows;
    const Relation *r = scan ? scan->rel : NULL;
    if (!r || c >= r->ncols || !r->ndv || r->ndv[c] <= 0 || r->est_rows <= 0 || !strcmp(r->ndv_source[c], "default")) return -1;
    return r->cols[c].primary_key || r->ndv[c] >= 0.9 * r->est_rows ? r->ndv[c] : -1;
}

/* The distinct values that can meet in an equi-join of x (on side a) and y
 * (side b): max(x, y), except that a column joined to a key holds no more
 * useful values than the key has (containment, as a foreign key): a
 * sampled estimate of a large column's distinct values extrapolates from
 * 1000 rows and can exceed the key's count tenfold, which made joins to a
 * filtered dimension look ten times more selective than they are. */
static double join_ndv(double x, double key_x, double y, double key_y)
{
    if (key_x > 0 && y > key_x) y = key_x;
    if (key_y > 0 && x > key_y) x = key_y;
    double d = x > y ? x : y;
    /* A filter on the key's side leaves fewer keys, not more matches for
       each: the other side's values are spread over all of the key's, so
       its count before the filter divides (|F join P_filtered| = |F| |P_f| /
       |P|). Capping it by the filtered rows instead made a filtered part
       joined to partsupp look like all of partsupp. */
    if (key_x > d) d = key_x;
    if (key_y > d) d = key_y;
    return d;
}

static double expr_ndv(Plan *p, const Expr *e)
{
    const char *src;
    if (e->kind == E_COLUMN && e->col_index >= 0) return col_ndv(p, e->col_index, &src);
    return p->est_rows > 10 ? p->est_rows / 10 : 1;
}

/* Distinct values of e when it is a column with sampled or declared
 * statistics; -1 otherwise (a default count says nothing). */
static double stats_ndv(Plan *p, const Expr *e)
{
    const char *src = "default";
    double d = e->kind == E_COLUMN && e->col_index >= 0 ? col_ndv(p, e->col_index, &src) : 0;
    return strcmp(src, "default") ? d : -1;
}

/*
 * Distinct values of a GROUP BY key. An expression is a function of the
 * columns it reads, so it has at most the product of their distinct
 * values (YEAR(day): no more years than days), an EXTRACT field with a
 * fixed range at most that range (MONTH: 12), a condition at most 3
 * (true, false, NULL), a literal 1. -1 when a column has no statistics or
 * the value is not a function of the row (RANDOM(), NOW(), a subquery).
 */
typedef struct KeyNdv {
    Plan *child;
    double d; /* -1: unknown */
} KeyNdv;

static double key_ndv(Plan *child, Expr *e);

static void key_ndv_slot(Expr **slot, void *ctx)
{
    KeyNdv *k = ctx;
    if (k->d < 0) return;
    double d = key_ndv(k->child, *slot);
    k->d = d < 0 ? -1 : k->d * d;
}

/* Distinct values of a COUNT computed by a GROUP BY below (TPC-H Q13's
 * orders per customer, grouped again). At most: k distinct counts need at
 * least 0 + 1 + ... + (k - 1) input rows, so k <= sqrt(2N) + 1 for N rows
 * into that aggregate, and no more than its G groups. Expected, with the
 * rows spread over the groups independently (the assumption the join
 * estimates make too): each count is about Poisson with mean m = N / G,
 * and the largest of G of them strays from m by about sqrt(2 m ln G)
 * (a Gaussian tail), so the counts take the integers within that of m.
 * Q13's 1.5M orders over 150k customers: at most 1734, expected 26,
 * 45 there (its customers' order counts are skewed). -1 for other
 * columns. */
static double count_ndv(Plan *p, int c)
{
    const Plan *agg = pl_col_through(p, &c);
    if (!agg || !pl_final_group(agg) || c < agg->nkeys || c >= agg->nkeys + agg->naggs || agg->child->est_rows < 0) return -1;
    int id = agg->aggs[c - agg->nkeys].id;
    if (id != A_COUNT && id != A_COUNT_STAR && id != A_COUNT_DISTINCT) return -1;
    double n = agg->child->est_rows, g = agg->est_rows, k = floor(sqrt(2 * n)) + 1;
    if (g >= 1 && g < k) k = g;
    if (g >= 1) {
        double m = n / g, s = sqrt(2 * m * log(g)), lo = m - s > 0 ? ceil(m - s) : 0;
        double spread = floor(m + s) - lo + 1;
        if (spread < k) k = spread;
    }
    return k;
}

static double key_ndv(Plan *child, Expr *e)
{
    double d;
    switch (e->kind) {
    case E_COLUMN: return (d = stats_ndv(child, e)) >= 0 || e->col_index < 0 ? d : count_ndv(child, e->col_index);
    case E_STAR:
    case E_SUBQUERY:
    case E_EXISTS:
    case E_IN_SUBQUERY: return -1;
    case E_FUNC: {
        const FuncDef *f = e->fn;
        if (!f || f->id == F_NOW || !strcmp(f->name, "RANDOM") || e->has_over) return -1;
        break;
    }
    default:
        if (ex_is_literal(e)) return 1;
        break;
    }
    KeyNdv k = {child, 1};
    ex_children(e, key_ndv_slot, &k);
    if (e->kind == E_EXTRACT && k.d >= 0) { /* fields with a fixed range */
        static const double range[AST_NEXTRACT] = {[VT_F_QUARTER] = 4, [VT_F_MONTH] = 12, [VT_F_WEEK] = 53, [VT_F_DAY] = 31,
                                                   [VT_F_DOW] = 7,     [VT_F_DOY] = 366,  [VT_F_HOUR] = 24, [VT_F_MINUTE] = 60};
        double r = e->ival >= 0 && e->ival < AST_NEXTRACT ? range[e->ival] : 0;
        if (r > 0 && k.d > r) k.d = r;
        double lo, hi; /* YEAR, QUARTER, MONTH: at most the calendar steps the column's range spans */
        if (e->left->kind == E_COLUMN && e->left->col_index >= 0 && col_range(child, e->left->col_index, &lo, &hi)) {
            int f = e->ival == VT_F_YEAR ? 1 : e->ival == VT_F_QUARTER ? 4 : e->ival == VT_F_MONTH ? 12 : 0;
            if (f) {
                double steps = (double)(vt_extract(VT_F_YEAR, (i64)hi) - vt_extract(VT_F_YEAR, (i64)lo)) * f +
                               (double)((vt_extract(VT_F_MONTH, (i64)hi) - 1) * f / 12 - (vt_extract(VT_F_MONTH, (i64)lo) - 1) * f / 12) +
                               1;
                if (steps >= 1 && k.d > steps) k.d = steps;
            }
        }
    }
    int cond = e->kind == E_LIKE || e->kind == E_IS_NULL || e->kind == E_IN_LIST || e->kind == E_BETWEEN ||
               (e->kind == E_BINARY && e->type.tag == VT_BOOL);
    return k.d >= 0 && cond && k.d > 3 ? 3 : k.d;
}

/* |L join R| = |L| |R| / prod(max(ndv(l_i), ndv(r_i))) x residual selectivity */
/* The share of a column's range [lo, hi] at or below x (uniform). */
static double range_below(double lo, double hi, double x)
{
    if (x < lo) return 0;
    if (x >= hi) return 1;
    return (x - lo) / (hi - lo);
}

static double range_floor(const Relation *r, double s)
{
    double f = r->est_rows > 0 ? 0.5 / r->est_rows : 1e-4;
    return s > f ? s : f;
}

/* Selectivity of col op literal (<, <=, >, >=) or col [NOT] BETWEEN two
 * literals on a scanned column with a known range: the share of [lo, hi]
 * the condition keeps, values taken as spread evenly, and *source the
 * range's; -1 when it does not apply. At least half a row: a literal outside a sampled range may still
 * occur in the values the sample missed. */
static double range_sel(const Plan *scan, const Expr *e, const char **source)
{
    const Relation *r = scan->rel;
    const Expr *col = e->kind == E_BETWEEN ? e->left : e->left->kind == E_COLUMN ? e->left : e->right;
    double lo, hi, a, b;
    if (col->kind != E_COLUMN || col->col_index < 0 || col->col_index >= r->ncols || !r->range_source || !r->range_source[col->col_index])
        return -1;
    lo = r->lo[col->col_index];
    hi = r->hi[col->col_index];
    if (!(hi > lo)) return -1;
    *source = r->range_source[col->col_index];
    if (e->kind == E_BETWEEN) {
        if (ex_lit_number(e->right, &a) || ex_lit_number(e->third, &b)) return -1;
        double s = b < a ? 0 : range_below(lo, hi, b) - (a > lo ? range_below(lo, hi, a) : 0);
        return range_floor(r, e->negated ? 1 - s : s);
    }
    int op = e->op;
    if (col == e->right) /* lit op col: col op' lit */
        op = ex_cmp_swapped(op);
    if (ex_lit_number(col == e->left ? e->right : e->left, &a)) return -1;
    double below = range_below(lo, hi, a); /* continuous values: < and <= alike */
    return range_floor(r, op == OP_LT || op == OP_LE ? below : 1 - below);
}

/* For scan_sel's *from: 1 for a sampled statistic, 2 for a declared one. */
static int stat_bit(const char *source)
{
    return strcmp(source, "declared") ? 1 : 2;
}

/* Selectivity of a condition on a scan: a column compared for equality with
 * a constant uses the sampled distinct values (1/ndv) when there are any,
 * a range comparison the column's range (range_sel); the rest falls back to
 * the documented defaults of sel(). *from collects stat_bit of the
 * statistics used. */
static double scan_sel(Plan *scan, const Expr *e, int *from_stats)
{
    double rs;
    const char *rsrc;
    switch (e->kind) {
    case E_BETWEEN:
        if ((rs = range_sel(scan, e, &rsrc)) >= 0) {
            *from_stats |= stat_bit(rsrc);
            return rs;
        }
        return sel(e);
    case E_BINARY:
        if (e->op >= OP_LT && e->op <= OP_GE && (rs = range_sel(scan, e, &rsrc)) >= 0) {
            *from_stats |= stat_bit(rsrc);
            return rs;
        }
        if (e->op == OP_AND) return scan_sel(scan, e->left, from_stats) * scan_sel(scan, e->right, from_stats);
        if (e->op == OP_OR) {
            double a = scan_sel(scan, e->left, from_stats), b = scan_sel(scan, e->right, from_stats);
            return a + b - a * b;
        }
        if (e->op == OP_EQ || e->op == OP_NE) {
            const Expr *col = e->left->kind == E_COLUMN ? e->left : e->right->kind == E_COLUMN ? e->right : NULL;
            const Expr *lit = col == e->left ? e->right : e->left;
            if (col && col->col_index >= 0 && ex_is_literal(lit) && scan->rel->ndv && scan->rel->ndv[col->col_index] > 0 &&
                strcmp(scan->rel->ndv_source[col->col_index], "default")) {
                double s = 1.0 / scan->rel->ndv[col->col_index];
                *from_stats |= stat_bit(scan->rel->ndv_source[col->col_index]);
                return e->op == OP_EQ ? s : 1 - s;
            }
        }
        return sel(e);
    case E_IN_LIST:
        if (e->left->kind == E_COLUMN && e->left->col_index >= 0 && scan->rel->ndv && scan->rel->ndv[e->left->col_index] > 0 &&
            strcmp(scan->rel->ndv_source[e->left->col_index], "default")) {
            double s = e->args.n / scan->rel->ndv[e->left->col_index];
            if (s > 1) s = 1;
            *from_stats |= stat_bit(scan->rel->ndv_source[e->left->col_index]);
            return e->negated ? 1 - s : s;
        }
        return sel(e);
    case E_UNARY: return e->op == 'N' ? 1.0 - scan_sel(scan, e->left, from_stats) : sel(e);
    default: return sel(e);
    }
}

/*
 * Where two multi-column keys meet. x, y: each side's distinct
 * combinations, at most its rows; px, py: the products of the columns'
 * distinct values in their tables; tx, ty: those tables' rows (a side that
 * is no one table's columns: its rows). A side whose product reaches its
 * table's rows may be that table's key. Both may only because the product
 * of independent counts exceeds any table: (l_partkey, l_suppkey) has 2e9
 * in lineitem's 6M rows as in partsupp's 800k. The larger table then
 * references the smaller one's key, as lineitem does partsupp's: taking
 * both as keys divided q12's lineitem x partsupp by 6M, not 800k (q-error 8).
 */
static double composite_ndv(double x, double px, double tx, double y, double py, double ty)
{
    int kx = px >= 0.9 * tx, ky = py >= 0.9 * ty;
    if (kx && ky && tx != ty) {
        if (tx > ty) kx = 0;
        else ky = 0;
    }
    return join_ndv(x, kx ? tx : -1, y, ky ? ty : -1);
}

/* For composite_ndv: the product of the table-wide distinct values of key
 * columns cols of p and the rows of their table, when they all trace to
 * one scanned table with statistics; else *prod and *table_rows stay. */
static void composite_side(Plan *p, const int *cols, int n, double *prod, double *table_rows)
{
    double d = 1;
    const Plan *first = NULL;
    for (int i = 0; i < n; i++) {
        int c = cols[i];
        const Plan *scan = col_scan(p, &c);
        if (!scan || (first && scan != first) || !scan->rel->ndv || scan->rel->ndv[c] <= 0 || scan->rel->est_rows <= 0 ||
            !strcmp(scan->rel->ndv_source[c], "default"))
            return;
        first = scan;
        d *= scan->rel->ndv[c];
    }
    if (!first) return;
    *prod = d;
    *table_rows = first->rel->est_rows;
}

/* Distinct values of a combination of key expressions: the product of the
 * parts, but never more than the rows there are (correlated keys such as
 * (partkey, suppkey) are not independent). */
static double keys_ndv(Plan *p, Expr **keys, int n)
{
    double d = 1;
    for (int i = 0; i < n; i++) d *= expr_ndv(p, keys[i]);
    double rows = p->est_rows > 0 ? p->est_rows : 1;
    return d < rows ? d : rows;
}

/* The distinct values of keys when they form a key of p's rows (one of them
 * traces to a table key, or together they have about as many values as p
 * has rows), -1 otherwise. */
static double keys_key_ndv(Plan *p, Expr **keys, int n)
{
    for (int i = 0; i < n; i++) {
        double k = keys[i]->kind == E_COLUMN && keys[i]->col_index >= 0 ? col_key_ndv(p, keys[i]->col_index) : -1;
        if (k > 0) return k;
    }
    double d = keys_ndv(p, keys, n), rows = p->est_rows > 0 ? p->est_rows : 1;
    return n > 1 && d >= 0.9 * rows ? d : -1;
}

/* The distinct values where keys lk of L meet rk of R: by composite_ndv
 * when they are two columns or more and none is a key on its own. */
static double keys_join_ndv(Plan *L, Expr **lk, Plan *R, Expr **rk, int n)
{
    enum { MAXK = 16 };
    double a = keys_ndv(L, lk, n), b = keys_ndv(R, rk, n);
    int lc[MAXK], rc[MAXK], cols = n > 1 && n <= MAXK;
    for (int i = 0; cols && i < n; i++) {
        cols = lk[i]->kind == E_COLUMN && lk[i]->col_index >= 0 && rk[i]->kind == E_COLUMN && rk[i]->col_index >= 0 &&
               col_key_ndv(L, lk[i]->col_index) < 0 && col_key_ndv(R, rk[i]->col_index) < 0;
        if (cols) lc[i] = lk[i]->col_index, rc[i] = rk[i]->col_index;
    }
    if (!cols) return join_ndv(a, keys_key_ndv(L, lk, n), b, keys_key_ndv(R, rk, n));
    double pa = 1, pb = 1, ta = L->est_rows > 0 ? L->est_rows : 1, tb = R->est_rows > 0 ? R->est_rows : 1;
    for (int i = 0; i < n; i++) pa *= expr_ndv(L, lk[i]), pb *= expr_ndv(R, rk[i]);
    composite_side(L, lc, n, &pa, &ta);
    composite_side(R, rc, n, &pb, &tb);
    return composite_ndv(a, pa, ta, b, pb, tb);
}

/* The fraction of a semi join's rows whose keys the subquery holds: the
 * subquery's rows out of all of its table's keys when its keys are a key
 * (x IN (SELECT pk FROM dim WHERE ...): the filter's selectivity), else
 * its distinct keys out of the outer side's, at most 1; 0.5 without
 * statistics for either. */
static double semi_fraction(Plan *j, int *defaulted)
{
    Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    *defaulted = 1;
    if (!j->njk || R->est_rows <= 0) return 0.5;
    double key = keys_key_ndv(R, j->jk_right, j->njk), f;
    if (key > 0) f = R->est_rows / key;
    else {
        double dl = j->njk == 1 ? stats_ndv(L, j->jk_left[0]) : -1;
        if (dl < 0) return 0.5;
        f = keys_ndv(R, j->jk_right, 1) / dl;
    }
    *defaulted = 0;
    return f > 1 ? 1 : f;
}

/*
 * Selectivity of a join condition between two scanned tables, measured on
 * pairs of their sampled records (sample.c): `p_size > l_linenumber * 5`
 * holds for 74 % of TPC-H q09's pairs, not the default 1/3. Only conditions
 * with no equality or IN across the two sides: a 64 x 64 sample of pairs
 * cannot see a key match of one in 200 000 (equalities go by distinct
 * values); one side's column compared with a literal is measured (TPC-H Q7's
 * `(n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') OR ...` keeps 2 of 625
 * nation pairs, the defaults said 12). trace maps a column of the
 * condition's layout to its scan and that scan's column. -1 when the
 * condition reads other than two scans' columns, or the samples cannot say.
 */
typedef const Plan *(*ColTrace)(const void *ctx, int i, int *col);

typedef struct CrossEq {
    const signed char *rel; /* the side (0, 1) of each column of the layout */
    int ncols, found;
} CrossEq;

/* Whether an =, <> or IN reads columns of both sides. */
static void cross_eq_slot(Expr **slot, void *ctx)
{
    CrossEq *x = ctx;
    Expr *e = *slot;
    if (!((e->kind == E_BINARY && (e->op == OP_EQ || e->op == OP_NE)) || e->kind == E_IN_LIST)) {
        ex_children(e, cross_eq_slot, ctx);
        return;
    }
    u8 *need = calloc((size_t)x->ncols + 1, 1);
    int sides = 0;
    if (!need) {
        x->found = 1;
        return;
    }
    ex_mark_columns(e, need, x->ncols);
    for (int i = 0; i < x->ncols; i++)
        if (need[i] && x->rel[i] >= 0) sides |= 1 << x->rel[i];
    free(need);
    x->found |= sides == 3;
}

static double pair_sel(const Expr *e, int ncols, ColTrace trace, const void *ctx)
{
    if (ncols <= 0) return -1;
    u8 *need = calloc((size_t)ncols + 1, 1);
    signed char *rel = malloc((size_t)ncols + 1);
    int *col = malloc(sizeof(int) * ((size_t)ncols + 1));
    const Plan *scan[2] = {NULL, NULL};
    double r = -1;
    int ok = need && rel && col;
    Expr *top = (Expr *)e;
    if (ok) ex_mark_columns(top, need, ncols);
    for (int i = 0; ok && i < ncols; i++) {
        rel[i] = -1;
        if (!need[i]) continue;
        int c = 0;
        const Plan *sc = trace(ctx, i, &c);
        int k = !sc || !sc->rel ? -1 : sc == scan[0] || !scan[0] ? 0 : sc == scan[1] || !scan[1] ? 1 : -1;
        if (k < 0) ok = 0;
        else scan[k] = sc, rel[i] = (signed char)k, col[i] = c;
    }
    CrossEq x = {rel, ncols, 0};
    if (ok) cross_eq_slot(&top, &x);
    if (ok && !x.found && scan[0] && scan[1]) {
        SmpMap m = {ncols, rel, col};
        r = smp_pair_selectivity(scan[0]->rel, &scan[0]->pushed, scan[1]->rel, &scan[1]->pushed, e, &m);
    }
    free(need);
    free(rel);
    free(col);
    return r;
}

/* A join's columns: its left input's, then its right input's. */
static const Plan *join_trace(const void *ctx, int i, int *col)
{
    const Plan *j = ctx, *L = j->inputs.v[0];
    *col = i < L->ncols ? i : i - L->ncols;
    return col_scan(i < L->ncols ? L : j->inputs.v[1], col);
}

/* A join's residual: each conjunct by pair_sel, else by the defaults
 * (then *defaulted is set, when not NULL). */
static double residual_sel(const Plan *j, const Expr *e, int *defaulted)
{
    if (e->kind == E_BINARY && e->op == OP_AND) return residual_sel(j, e->left, defaulted) * residual_sel(j, e->right, defaulted);
    double s = pair_sel(e, j->ncols, join_trace, j);
    if (s < 0 && defaulted) *defaulted = 1;
    return s >= 0 ? s : sel(e);
}

/* The weaker of two estimate sources: default if either is, declared if
 * both are, else stats (exact counts as stats). */
static const char *src_min(const char *a, const char *b)
{
    if (!a || !b || !strcmp(a, "default") || !strcmp(b, "default")) return "default";
    return !strcmp(a, "declared") && !strcmp(b, "declared") ? "declared" : "stats";
}

/* Where a join key's distinct values come from: its column's statistics;
 * an expression takes the default. */
static const char *key_src(Plan *p, const Expr *e)
{
    const char *src = "default";
    if (e->kind == E_COLUMN && e->col_index >= 0) col_ndv(p, e->col_index, &src);
    return src;
}

/* The rows of join j from its inputs' rows; *src gets the
 * estimate's source: the weakest of its inputs', its keys' statistics, its
 * residual (sampled or a default) and a semi or anti join's fraction. */
static double join_card(Plan *j, double lrows, double rrows, const char **src)
{
    Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    double c = lrows * rrows;
    int defaulted = 0;
    if (j->njk) c /= keys_join_ndv(L, j->jk_left, R, j->jk_right, j->njk);
    if (j->residual) c *= residual_sel(j, j->residual, &defaulted);
    const char *s = src_min(L->est_source, R->est_source);
    for (int k = 0; k < j->njk; k++) s = src_min(s, src_min(key_src(L, j->jk_left[k]), key_src(R, j->jk_right[k])));
    *src = defaulted ? "default" : s;
    /* An outer join adds its preserved sides' rows without a match. When
       both sides' keys are unique (two GROUP BYs joined on their keys), by
       containment: the side with fewer keys finds them all in the other,
       which keeps (1 - fewer/more) of its rows unmatched; a FULL join of
       two such was L + R, twice its rows (TPC-H-shaped q07). Not for a
       foreign key: its distinct values are sampled guesses (GEE put SF 1's
       o_custkey at 29k of 100k, so a third of customers without orders
       became four fifths; Chao1's 55k would still say two thirds). Else at
       least the preserved side. */
    double ul = -1, ur = -1, big = lrows > rrows ? lrows : rrows;
    if (j->njk && !j->residual && keys_key_ndv(L, j->jk_left, j->njk) > 0 && keys_key_ndv(R, j->jk_right, j->njk) > 0) {
        double a = keys_ndv(L, j->jk_left, j->njk), b = keys_ndv(R, j->jk_right, j->njk);
        ul = a > b && a > 0 ? lrows * (1 - b / a) : 0;
        ur = b > a && b > 0 ? rrows * (1 - a / b) : 0;
    }
    j->est_padded = j->join_kind == 'L' ? ul : j->join_kind == 'R' ? ur : -1;
    switch (j->join_kind) {
    case 'L': return ul >= 0 && c + ul > lrows ? c + ul : c > lrows ? c : lrows;
    case 'R': return ur >= 0 && c + ur > rrows ? c + ur : c > rrows ? c : rrows;
    case 'F': return ul >= 0 ? (c + ul + ur > big ? c + ul + ur : big) : (c > lrows + rrows ? c : lrows + rrows);
    case 'S':
    case 'A': { /* an anti join keeps the rows a semi join would drop */
        double f = semi_fraction(j, &defaulted);
        if (defaulted) *src = "default";
        return lrows * (j->join_kind == 'S' ? f : defaulted ? 0.5 : 1 - f);
    }
    default: return c;
    }
}

/* One inner-join cluster flattened: leaves in written order with their
 * first column in the cluster layout, and every condition over that layout
 * with the set of leaves it reads. */
enum { MAX_DP = JO_MAX_DP, MAX_LEAVES = JO_MAX_REL };

typedef struct Cluster {
    Plan *leaf[MAX_LEAVES];
    int base[MAX_LEAVES];
    int n, ncols;
    PtrVec preds; /* Expr* */
    PtrVec masks; /* (void*)(uintptr_t) leaf bitmask per pred */
} Cluster;

static int is_inner(const Plan *p)
{
    /* an interval join keeps its two inputs: it is a barrier like an outer join */
    return p->kind == P_JOIN && !p->interval && (p->join_kind == 'I' || p->join_kind == 'C');
}

static void cluster_collect(Optimizer *o, Plan *p, int base, Cluster *c)
{
    if (!is_inner(p) || c->n >= MAX_LEAVES - 1) {
        c->leaf[c->n] = p;
        c->base[c->n++] = base;
        return;
    }
    Plan *L = p->inputs.v[0], *R = p->inputs.v[1];
    cluster_collect(o, L, base, c);
    cluster_collect(o, R, base + L->ncols, c);
    for (int i = 0; i < p->njk; i++) {
        Expr *eq = ex_new(o->a, E_BINARY, p->jk_left[i]->pos);
        eq->op = OP_EQ;
        eq->type = ty_make(VT_BOOL);
        eq->left = ex_shift(o->a, p->jk_left[i], 0, L->ncols, base);
        eq->right = ex_shift(o->a, p->jk_right[i], 0, R->ncols, base + L->ncols);
        pv_push(o->a, &c->preds, eq);
    }
    if (p->residual) {
        PtrVec conj = {0};
        ex_conjuncts(o->a, ex_shift(o->a, p->residual, 0, p->ncols, base), &conj);
        for (int i = 0; i < conj.n; i++) pv_push(o->a, &c->preds, conj.v[i]);
    }
}

static int leaf_of(const Cluster *c, int col)
{
    int k = 0;
    while (k + 1 < c->n && c->base[k + 1] <= col) k++;
    return k;
}

/* A cluster's columns: its leaves', in order. */
static const Plan *cluster_trace(const void *ctx, int i, int *col)
{
    const Cluster *c = ctx;
    int k = leaf_of(c, i);
    *col = i - c->base[k];
    return col_scan(c->leaf[k], col);
}

static u64 mask_of(const Cluster *c, const Expr *e)
{
    u64 m = 0;
    if (e->kind == E_COLUMN && e->col_index >= 0) m |= (u64)1 << leaf_of(c, e->col_index);
    if (e->left) m |= mask_of(c, e->left);
    if (e->right) m |= mask_of(c, e->right);
    if (e->third) m |= mask_of(c, e->third);
    for (int i = 0; i < e->args.n; i++) m |= mask_of(c, e->args.v[i]);
    if (e->else_) m |= mask_of(c, e->else_);
    return m;
}

/* Selectivity of one cluster condition: equalities by distinct values. */
static int is_col_eq(const Expr *e)
{
    return e->kind == E_BINARY && e->op == OP_EQ && e->left->kind == E_COLUMN && e->right->kind == E_COLUMN && e->left->col_index >= 0 &&
           e->right->col_index >= 0;
}

/* Several equalities between the same two leaves form one multi-column key:
 * its distinct values are the product of the columns' but at most each
 * side's rows, so the first equality carries the combined selectivity and
 * the others 1 (multiplying them as if independent underestimates badly). */
static void combine_key_sels(const Cluster *c, const u64 *masks, double *psel)
{
    for (int i = 0; i < c->preds.n; i++) {
        const Expr *e = c->preds.v[i];
        if (!is_col_eq(e) || __builtin_popcountll(masks[i]) != 2 || psel[i] == 1.0) continue;
        int la = leaf_of(c, e->left->col_index), lb = leaf_of(c, e->right->col_index);
        enum { MAXK = 16 };
        double da = 1, db = 1;
        int n = 0, ca[MAXK], cb[MAXK];
        for (int k = i; k < c->preds.n; k++) {
            const Expr *f = c->preds.v[k];
            if (masks[k] != masks[i] || !is_col_eq(f)) continue;
            const Expr *fa = leaf_of(c, f->left->col_index) == la ? f->left : f->right;
            const Expr *fb = fa == f->left ? f->right : f->left;
            const char *src;
            da *= col_ndv(c->leaf[la], fa->col_index - c->base[la], &src);
            db *= col_ndv(c->leaf[lb], fb->col_index - c->base[lb], &src);
            if (n < MAXK) ca[n] = fa->col_index - c->base[la], cb[n] = fb->col_index - c->base[lb];
            if (k != i) psel[k] = 1.0;
            n++;
        }
        if (n < 2) continue;
        double ra = c->leaf[la]->est_rows > 0 ? c->leaf[la]->est_rows : 1;
        double rb = c->leaf[lb]->est_rows > 0 ? c->leaf[lb]->est_rows : 1;
        double pa = da, pb = db, ta = ra, tb = rb;
        if (n <= MAXK) {
            composite_side(c->leaf[la], ca, n, &pa, &ta);
            composite_side(c->leaf[lb], cb, n, &pb, &tb);
        }
        double d = composite_ndv(da < ra ? da : ra, pa, ta, db < rb ? db : rb, pb, tb);
        psel[i] = d > 0 ? 1.0 / d : 1.0;
    }
}

static double pred_sel(const Cluster *c, const Expr *e)
{
    if (e->kind == E_BINARY && e->op == OP_EQ && e->left->kind == E_COLUMN && e->right->kind == E_COLUMN && e->left->col_index >= 0 &&
        e->right->col_index >= 0) {
        const char *src;
        int a = e->left->col_index, b = e->right->col_index;
        int la = leaf_of(c, a), lb = leaf_of(c, b);
        double x = col_ndv(c->leaf[la], a - c->base[la], &src), y = col_ndv(c->leaf[lb], b - c->base[lb], &src);
        double d = join_ndv(x, col_key_ndv(c->leaf[la], a - c->base[la]), y, col_key_ndv(c->leaf[lb], b - c->base[lb]));
        return d > 0 ? 1.0 / d : 1.0;
    }
    double s = pair_sel(e, c->ncols, cluster_trace, c);
    return s >= 0 ? s : sel(e);
}

/*
 * Equivalence classes of a cluster's column equalities (join_equivalences).
 * a = b AND b = c puts a, b and c in one class; for every two relations a
 * class spans with no equality of theirs written, one is added (a = c), so
 * the enumerator may join those two first. A join then needs only one
 * equality of each class whose columns it finds on both sides: each side's
 * members are equal already, by the same rule one join further down (the
 * rule Postgres's equivalence classes follow). Only classes where:
 *   - the columns compare exactly and transitively: one type, or all
 *     integers (a DOUBLE equal to two BIGINTs does not make them equal);
 *   - each relation holds one column of the class (a.x = b.y AND b.y = a.z
 *     would need a.x = a.z as a filter, which nothing here adds);
 *   - three relations or more (two have nothing to imply).
 */
typedef struct Equiv {
    int *up;     /* [columns] union-find over the written equalities' columns */
    Expr **colx; /* [columns] a reference to each such column, NULL for the others */
    int *eclass; /* [preds] class of a two-relation equality, -1 none */
    int nclass;  /* at most 64: one bit each per join in make_join */
    int n0;      /* preds written; the rest are implied */
    int fired;   /* implied equalities the chosen plan joins on */
} Equiv;

static int eq_compatible(TypeSpec a, TypeSpec b)
{
    return ty_equal(a, b) || (ty_is_int(a) && ty_is_int(b));
}

/* Column indices of a two-relation column equality, or 0. */
static int eq_cols(const Cluster *c, const Expr *e, int *a, int *b)
{
    if (!is_col_eq(e)) return 0;
    *a = e->left->col_index;
    *b = e->right->col_index;
    return leaf_of(c, *a) != leaf_of(c, *b) && eq_compatible(e->left->type, e->right->type);
}

static int has_eq(const Cluster *c, int n0, int a, int b)
{
    for (int i = 0; i < n0; i++) {
        int x, y;
        if (eq_cols(c, c->preds.v[i], &x, &y) && ((x == a && y == b) || (x == b && y == a))) return 1;
    }
    return 0;
}

/* a = b over copies of a and b (column references, or a literal). */
static Expr *equiv_eq(Optimizer *o, const Expr *a, const Expr *b)
{
    Expr *eq = ex_new(o->a, E_BINARY, a->pos);
    eq->op = OP_EQ;
    eq->type = ty_make(VT_BOOL);
    eq->left = ar_alloc(o->a, sizeof(Expr));
    *eq->left = *a;
    eq->right = ar_alloc(o->a, sizeof(Expr));
    *eq->right = *b;
    return eq;
}

/* The columns the cluster's written equalities make equal: q->up and
 * q->colx, for equiv_constants and equiv_derive. */
static void equiv_union(Optimizer *o, const Cluster *c, Equiv *q)
{
    int n = c->ncols;
    int *up = q->up = ar_alloc(o->a, sizeof(int) * (size_t)(n + 1));
    Expr **colx = q->colx = ar_alloc(o->a, sizeof(Expr *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) up[i] = i, colx[i] = NULL;
    for (int i = 0; i < c->preds.n; i++) {
        Expr *e = c->preds.v[i];
        int a, b;
        if (!eq_cols(c, e, &a, &b)) continue;
        colx[a] = e->left;
        colx[b] = e->right;
        up[jo_uf_root(up, a)] = jo_uf_root(up, b);
    }
}

/* Appends the implied equalities to c->preds; classes per pred. */
static void equiv_derive(Optimizer *o, Cluster *c, Equiv *q)
{
    int n = c->ncols, n0 = c->preds.n, *up = q->up;
    Expr **colx = q->colx;
    int *id = ar_alloc(o->a, sizeof(int) * (size_t)(n + 1));
    u64 *leaves = ar_alloc(o->a, sizeof(u64) * (size_t)(n + 1));
    u8 *bad = ar_alloc(o->a, (size_t)n + 1);
    for (int i = 0; i < n; i++) id[i] = -1, leaves[i] = 0, bad[i] = 0;
    for (int i = 0; i < n; i++) {
        if (!colx[i]) continue;
        int r = jo_uf_root(up, i);
        u64 bit = (u64)1 << leaf_of(c, i);
        if (leaves[r] & bit) bad[r] = 1;
        leaves[r] |= bit;
    }
    q->nclass = 0;
    for (int i = 0; i < n; i++) {
        int r = colx[i] ? jo_uf_root(up, i) : -1;
        if (r != i || bad[r] || __builtin_popcountll(leaves[r]) < 3 || q->nclass == 64) continue;
        id[r] = q->nclass++;
        for (int a = 0; a < n; a++) {
            if (!colx[a] || jo_uf_root(up, a) != r) continue;
            for (int b = a + 1; b < n; b++)
                if (colx[b] && jo_uf_root(up, b) == r && !has_eq(c, n0, a, b)) pv_push(o->a, &c->preds, equiv_eq(o, colx[a], colx[b]));
        }
    }
    q->n0 = n0;
    q->fired = 0;
    q->eclass = ar_alloc(o->a, sizeof(int) * (size_t)(c->preds.n + 1));
    for (int i = 0; i < c->preds.n; i++) {
        int a, b;
        q->eclass[i] = eq_cols(c, c->preds.v[i], &a, &b) ? id[jo_uf_root(up, a)] : -1;
    }
}

/* A literal a copied condition may compare with: not NULL (which makes
 * the condition unknown, never true, whatever the column) and not DOUBLE
 * (an integer class's columns could compare differently with it). */
static int const_lit(const Expr *l)
{
    switch (l->kind) {
    case E_LIT_BOOL:
    case E_LIT_INT:
    case E_LIT_DEC:
    case E_LIT_STR:
    case E_LIT_TS: return 1;
    default: return 0;
    }
}

/*
 * e restricts one column of a scan by literals only: `col op literal`
 * (either way round; op = <> < <= > >=), `col [NOT] BETWEEN lit AND lit`
 * or `col [NOT] IN (lit, ...)`. *col is the column; *colp the operand slot
 * that holds it, for the copy on another column (equiv_constants).
 */
static int const_pred(const Expr *e, int *col, int *colp)
{
    const Expr *c = NULL;
    if (e->kind == E_BINARY && e->op >= OP_EQ && e->op <= OP_GE) {
        int right = e->left->kind != E_COLUMN;
        c = right ? e->right : e->left;
        if (!const_lit(right ? e->left : e->right)) return 0;
        *colp = right;
    } else if (e->kind == E_BETWEEN) {
        c = e->left;
        if (!const_lit(e->right) || !const_lit(e->third)) return 0;
        *colp = 0;
    } else if (e->kind == E_IN_LIST) {
        c = e->left;
        for (int i = 0; i < e->args.n; i++)
            if (!const_lit(e->args.v[i])) return 0;
        *colp = 0;
    }
    if (!c || c->kind != E_COLUMN || c->col_index < 0) return 0;
    *col = c->col_index;
    return 1;
}

/* The comparison op with its operands swapped (a < b is b > a). */
static int flip_cmp(int op)
{
    switch (op) {
    case OP_LT: return OP_GT;
    case OP_LE: return OP_GE;
    case OP_GT: return OP_LT;
    case OP_GE: return OP_LE;
    default: return op;
    }
}

/* The same restriction, column indices aside: a and b pass const_pred. */
static int same_const_pred(const Expr *a, int acolp, const Expr *b, int bcolp)
{
    if (a->kind != b->kind || a->negated != b->negated || a->args.n != b->args.n) return 0;
    if (a->kind == E_BINARY) {
        int aop = acolp ? flip_cmp(a->op) : a->op, bop = bcolp ? flip_cmp(b->op) : b->op;
        return aop == bop && ex_equal(acolp ? a->left : a->right, bcolp ? b->left : b->right);
    }
    if (!ex_equal(a->right, b->right) || !ex_equal(a->third, b->third)) return 0;
    for (int i = 0; i < a->args.n; i++)
        if (!ex_equal(a->args.v[i], b->args.v[i])) return 0;
    return 1;
}

/* scan already holds restriction e (of column col), on its column tcol. */
static int has_const_pred(const Plan *scan, int tcol, const Expr *e, int colp)
{
    for (int i = 0; i < scan->pushed.n; i++) {
        int c, cp;
        const Expr *x = scan->pushed.v[i];
        if (const_pred(x, &c, &cp) && c == tcol && same_const_pred(x, cp, e, colp)) return 1;
    }
    return 0;
}

/*
 * The other half of join_equivalences: a restriction by constants travels
 * through a class. o.o_custkey = c.c_custkey with c_custkey = 42 in
 * customer's scan puts o_custkey = 42 into orders' scan, so orders' decoder
 * drops the other customers' rows before the join (and the estimate sees
 * it); c_custkey < 1000, BETWEEN and IN travel the same way. Right for an
 * inner join only, which the cluster is: a row of orders whose o_custkey
 * fails the copy has no partner that passes the original. Any class of two
 * relations or more, scans only, literals only (the class's types make the
 * copy compare as the original does). Returns the conditions added.
 */
static int equiv_constants(Optimizer *o, Cluster *c, const Equiv *q)
{
    int n = c->ncols, added = 0, *up = q->up;
    Expr *const *colx = q->colx; /* non-NULL: a column of some written equality */
    for (int k = 0; k < c->n; k++) {
        Plan *s = c->leaf[k];
        if (s->kind != P_SCAN) continue;
        for (int i = 0, written = s->pushed.n; i < written; i++) {
            int col, colp;
            const Expr *e = s->pushed.v[i];
            if (!const_pred(e, &col, &colp) || !colx[c->base[k] + col]) continue;
            int r = jo_uf_root(up, c->base[k] + col);
            for (int b = 0; b < n; b++) {
                int j = leaf_of(c, b), tcol = b - c->base[j];
                Plan *t = c->leaf[j];
                if (!colx[b] || jo_uf_root(up, b) != r || j == k || t->kind != P_SCAN || has_const_pred(t, tcol, e, colp)) continue;
                const PlanCol *tc = &t->cols[tcol];
                Expr *copy = ex_copy(o->a, e), *ref = ex_col(o->a, tcol, tc->type, tc->nullable, tc->name, e->pos);
                if (colp) copy->right = ref;
                else copy->left = ref;
                PtrVec one = {0};
                int unused = 0;
                pv_push(o->a, &one, copy);
                push(o, t, &one, &unused);
                /* an equality pins the key to one value, which the join's
                   estimate needs to see; a range or a list the join's
                   estimate has already, from the restricted scan */
                if (copy->kind != E_BINARY || copy->op != OP_EQ) pv_push(o->a, &t->implied, copy);
                added++;
            }
        }
    }
    return added;
}

typedef struct Built {
    Plan *p;
    int order[MAX_LEAVES]; /* leaves in this subtree's column layout */
    int n;
} Built;

/* Column map from cluster layout to a subtree's layout (-1 if absent). */
static int *layout_map(Optimizer *o, const Cluster *c, const Built *b)
{
    int *map = ar_alloc(o->a, sizeof(int) * (size_t)(c->ncols + 1));
    for (int i = 0; i < c->ncols; i++) map[i] = -1;
    int pos = 0;
    for (int k = 0; k < b->n; k++) {
        Plan *leaf = c->leaf[b->order[k]];
        for (int i = 0; i < leaf->ncols; i++) map[c->base[b->order[k]] + i] = pos++;
    }
    return map;
}

static void join_cols(Optimizer *o, Plan *j, Plan *l, Plan *r)
{
    j->ncols = l->ncols + r->ncols;
    j->cols = ar_alloc(o->a, sizeof(PlanCol) * (size_t)(j->ncols + 1));
    memcpy(j->cols, l->cols, sizeof(PlanCol) * (size_t)l->ncols);
    memcpy(j->cols + l->ncols, r->cols, sizeof(PlanCol) * (size_t)r->ncols);
}

static const char *leaf_name(Optimizer *o, Plan *p)
{
    while (p->kind == P_FILTER || p->kind == P_PROJECT) p = p->child;
    if (p->kind == P_SCAN) return p->rel->name;
    return ar_printf(o->a, "(%s)", pl_kind_name(p->kind));
}

static Built leaf_built(const Cluster *c, int k)
{
    Built b;
    memset(&b, 0, sizeof b);
    b.p = c->leaf[k];
    b.order[b.n++] = k;
    return b;
}

/* Join two built subtrees over leaf sets lset and s \ lset, attaching the
 * conditions that become evaluable here: equalities across the two sides
 * as hash keys, the rest as residual. */
static Built make_join(Optimizer *o, const Cluster *c, const u64 *masks, u8 *used, Equiv *q, const Built *L, const Built *R, u64 lset,
                       u64 s)
{
    u64 classes = 0; /* equivalence classes this join has its equality of */
    Built b;
    memset(&b, 0, sizeof b);
    Plan *j = opt_new(o, P_JOIN, NULL);
    j->join_kind = 'I';
    pv_push(o->a, &j->inputs, L->p);
    pv_push(o->a, &j->inputs, R->p);
    join_cols(o, j, L->p, R->p);
    b.p = j;
    memcpy(b.order, L->order, sizeof(int) * (size_t)L->n);
    memcpy(b.order + L->n, R->order, sizeof(int) * (size_t)R->n);
    b.n = L->n + R->n;
    int *lmap = layout_map(o, c, L), *rmap = layout_map(o, c, R), *map = layout_map(o, c, &b);
    PtrVec resid = {0};
    for (int i = 0; i < c->preds.n; i++) {
        if (used[i] || (masks[i] & ~s)) continue;
        used[i] = 1;
        if (q && q->eclass[i] >= 0) {
            u64 bit = (u64)1 << q->eclass[i];
            if (classes & bit) continue; /* implied by the class's equality already here */
            classes |= bit;
            if (i >= q->n0) q->fired++;
        }
        Expr *e = c->preds.v[i];
        u64 lm = e->kind == E_BINARY && e->op == OP_EQ ? mask_of(c, e->left) : 0;
        u64 rm = e->kind == E_BINARY && e->op == OP_EQ ? mask_of(c, e->right) : 0;
        Expr *kl = NULL, *kr = NULL;
        if (lm && rm && !(lm & ~lset) && !(rm & lset)) {
            kl = e->left;
            kr = e->right;
        } else if (lm && rm && !(rm & ~lset) && !(lm & lset)) {
            kl = e->right;
            kr = e->left;
        }
        if (kl && ty_common(kl->type, kr->type).tag != VT_NULL) {
            Expr **a1 = ar_alloc(o->a, sizeof(Expr *) * (size_t)(j->njk + 1));
            Expr **a2 = ar_alloc(o->a, sizeof(Expr *) * (size_t)(j->njk + 1));
            if (j->njk) {
                memcpy(a1, j->jk_left, sizeof(Expr *) * (size_t)j->njk);
                memcpy(a2, j->jk_right, sizeof(Expr *) * (size_t)j->njk);
            }
            a1[j->njk] = ex_remap(o->a, kl, lmap);
            a2[j->njk] = ex_remap(o->a, kr, rmap);
            j->jk_left = a1;
            j->jk_right = a2;
            j->njk++;
        } else {
            pv_push(o->a, &resid, ex_remap(o->a, e, map));
        }
    }
    j->residual = ex_and_all(o->a, &resid, 0);
    if (!j->njk && !j->residual) j->join_kind = 'C';
    j->est_width = plan_width(L->p) + plan_width(R->p); /* what jo_input counts */
    return b;
}

/* Rebuild the plan of a join-order result: nodes come children first, in
 * build order, so each condition lands on the first join that covers it. */
static Built build_tree(Optimizer *o, const Cluster *c, const u64 *masks, u8 *used, Equiv *q, const JoResult *r)
{
    Built *b = ar_alloc(o->a, sizeof(Built) * (size_t)r->nnodes);
    for (int i = 0; i < r->nnodes; i++) {
        const JoNode *x = &r->node[i];
        if (x->rel >= 0) b[i] = leaf_built(c, x->rel);
        else b[i] = make_join(o, c, masks, used, q, &b[x->left], &b[x->right], r->node[x->left].set, x->set);
    }
    return b[r->root];
}

static void describe_tree(Optimizer *o, StrBuf *sb, const Cluster *c, const JoResult *r, int k)
{
    const JoNode *x = &r->node[k];
    if (x->rel >= 0) {
        sb_puts(sb, leaf_name(o, c->leaf[x->rel]));
        return;
    }
    sb_puts(sb, "(");
    describe_tree(o, sb, c, r, x->left);
    sb_puts(sb, " x ");
    describe_tree(o, sb, c, r, x->right);
    sb_puts(sb, ")");
}

static void estimate(Plan *p);

/* Reorder one inner-join cluster rooted at p; returns the new subtree
 * (with a Project restoring the written column order when it changed). */
static Plan *reorder_cluster(Optimizer *o, Plan *p, int *fired)
{
    Cluster *c = ar_alloc(o->a, sizeof *c);
    cluster_collect(o, p, 0, c);
    c->ncols = p->ncols;
    Equiv *q = NULL;
    if (o->pass[PASS_EQUIV].enabled) {
        double t0 = now_ms();
        q = ar_alloc(o->a, sizeof *q);
        equiv_union(o, c, q);
        o->pass[PASS_EQUIV].fired += equiv_constants(o, c, q);
        o->pass[PASS_EQUIV].ms += now_ms() - t0;
    }
    if (c->n < 3 || c->n > MAX_LEAVES - 1) return p;
    for (int i = 0; i < c->n; i++) estimate(c->leaf[i]);
    if (q) {
        double t0 = now_ms();
        equiv_derive(o, c, q);
        o->pass[PASS_EQUIV].ms += now_ms() - t0;
    }
    u64 *masks = ar_alloc(o->a, sizeof(u64) * (size_t)(c->preds.n + 1));
    double *psel = ar_alloc(o->a, sizeof(double) * (size_t)(c->preds.n + 1));
    for (int i = 0; i < c->preds.n; i++) {
        masks[i] = mask_of(c, c->preds.v[i]);
        psel[i] = pred_sel(c, c->preds.v[i]);
    }
    combine_key_sels(c, masks, psel);
    StrBuf w, ch;
    sb_init(&w);
    sb_init(&ch);
    for (int i = 0; i < c->n; i++) sb_printf(&w, "%s%s", i ? ", " : "", leaf_name(o, c->leaf[i]));
    u8 *used = ar_alloc(o->a, (size_t)c->preds.n + 1);
    double *card = ar_alloc(o->a, sizeof(double) * (size_t)c->n);
    double *width = ar_alloc(o->a, sizeof(double) * (size_t)c->n);
    u8 *scan = ar_alloc(o->a, (size_t)c->n);
    for (int i = 0; i < c->n; i++) {
        card[i] = c->leaf[i]->est_rows;
        width[i] = plan_width(c->leaf[i]);
        scan[i] = c->leaf[i]->kind == P_SCAN; /* cg_scan_prefetch: a scan feeding the probe directly */
    }
    JoGraph g = {c->n, card, c->preds.n, masks, psel, q ? q->eclass : NULL, width, scan};
    JoResult *r = ar_alloc(o->a, sizeof *r);
    if ((c->n <= MAX_DP ? jo_dp(&g, r) : jo_greedy(&g, r)) != 0) {
        sb_free(&w);
        sb_free(&ch);
        return p;
    }
    describe_tree(o, &ch, c, r, r->root);
    Built b = build_tree(o, c, masks, used, q, r);
    if (q) o->pass[PASS_EQUIV].fired += q->fired;
    double cost = r->cost;
    b.p->join_note = c->n <= MAX_DP ? ar_printf(o->a, "DPccp order: written %s; chosen %s; %ld pairs costed", w.p, ch.p, r->pairs)
                                    : ar_printf(o->a, "greedy order: written %s; chosen %s", w.p, ch.p);
    b.p->join_cost = cost;
    sb_free(&w);
    sb_free(&ch);
    (*fired)++;
    int *map = layout_map(o, c, &b);
    int same = 1;
    for (int i = 0; i < c->ncols; i++) same &= map[i] == i;
    if (same) return b.p;
    Plan *proj = opt_new(o, P_PROJECT, b.p);
    proj->ncols = c->ncols;
    proj->cols = p->cols;
    proj->exprs = ar_alloc(o->a, sizeof(Expr *) * (size_t)(c->ncols + 1));
    for (int i = 0; i < c->ncols; i++) proj->exprs[i] = ex_col(o->a, map[i], p->cols[i].type, p->cols[i].nullable, p->cols[i].name, p->pos);
    return proj;
}

static Plan *reorder(Optimizer *o, Plan *p, int *fired);

/* p belongs to an inner-join cluster: reorder what hangs below it first. */
static void reorder_below(Optimizer *o, Plan *p, int *fired)
{
    for (int i = 0; i < p->inputs.n; i++) {
        Plan *in = p->inputs.v[i];
        if (is_inner(in)) reorder_below(o, in, fired);
        else p->inputs.v[i] = reorder(o, in, fired);
    }
}

static Plan *reorder(Optimizer *o, Plan *p, int *fired)
{
    if (is_inner(p)) {
        reorder_below(o, p, fired);
        return reorder_cluster(o, p, fired);
    }
    if (p->child) p->child = reorder(o, p->child, fired);
    for (int i = 0; i < p->inputs.n; i++) p->inputs.v[i] = reorder(o, p->inputs.v[i], fired);
    return p;
}

/* The rows of join p before its residual condition: what a Bloom filter of
 * its keys lets through. The residual's selectivity is the one its
 * estimate used (residual_sel): q19's OR of per-brand conditions keeps 1 in
 * 8 000 key matches by the sample, and taking the join's rows for key
 * matches put a Bloom filter that rejects nothing before its scan's
 * cheap filters (0.55 -> 1.40 s). */
static double key_match_rows(const Plan *p)
{
    double s = p->residual && p->join_kind == 'I' ? residual_sel(p, p->residual, NULL) : 1;
    return s > 0 ? p->est_rows / s : p->est_rows;
}

/* Build on the smaller input (with join_reorder on; the written plan builds
 * the right input); semi and anti joins always build the right. */
static void choose_build(Plan *p, int by_cost)
{
    if (p->child) choose_build(p->child, by_cost);
    for (int i = 0; i < p->inputs.n; i++) choose_build(p->inputs.v[i], by_cost);
    if (p->kind != P_JOIN) return;
    Plan *L = p->inputs.v[0], *R = p->inputs.v[1];
    p->build_left = by_cost && p->join_kind != 'S' && p->join_kind != 'A' && L->est_rows < R->est_rows;
    /* a stream-table join: the table side is loaded before the stream is
     * read, whatever the estimates (a stream never finishes building) */
    int lu = pl_reads_unbounded(L), ru = pl_reads_unbounded(R);
    if (lu && !ru) p->build_left = 0;
    if (ru && !lu && p->join_kind != 'S' && p->join_kind != 'A') p->build_left = 1;
    /* a scalar subquery's row check counts build rows, or matches per probe row */
    if (p->single_row) p->build_left = 0;
    Plan *P = p->build_left ? R : L;
    /* A Bloom filter of the build keys (16 bits a key, a tenth of the hash
       table's slots) is worth a test per probe row when most rows are
       expected to find no match (the fact side of a star join) and a
       missing match means no output (inner and semi joins). For a large
       table it stays in cache where the slots do not; for a small one
       (at least 64 words, in L1) it makes the no-match branch predictable:
       a quarter to a half of the slots hold a key, so a probe of the table
       itself mispredicts on whether its slot is empty (q02, lineitem
       against 606 parts: 0.37 -> 0.33 s). The filter sees the keys only:
       rows a residual condition drops after a key match pass it (q09:
       every lineitem row finds its partsupp row, the residual drops most),
       so they count as matches here. */
    double key_rows = key_match_rows(p);
    p->bloom = (p->join_kind == 'I' || p->join_kind == 'S') && p->njk && !p->single_row && !p->interval && P->est_rows > 0 &&
               key_rows < 0.5 * P->est_rows;
}

static double scan_rows(Plan *p, const u8 *skip, const char **source);

/* Bytes a value of type t takes in a join's build row: a string its
 * 16-byte reference and its text, copied into the join's arena (8-byte
 * aligned: 4 more on average); avg is the mean sampled length, -1 unknown. */
static double value_bytes(TypeSpec t, double avg)
{
    switch (t.tag) {
    case VT_STRING: return 16 + (avg >= 0 ? avg : 16) + 4;
    case VT_BOOL: return 1;
    case VT_INT: return 4;
    default: return 8;
    }
}

static double col_avg_len(const Plan *p, int c)
{
    const Plan *scan = col_scan(p, &c);
    return scan && scan->rel->avg_len && c < scan->rel->ncols ? scan->rel->avg_len[c] : -1;
}

/*
 * The memory of each hash join's table, for EXPLAIN (est_mem): build rows
 * times the row codegen lays out (two links, the hash, the keys, the
 * columns read above with a NULL flag each, rounded to 8 bytes, strings
 * with their text), the slots (a power of two, at least twice the rows and
 * 1024) and the Bloom filter (a power of two of words, at least one per 4
 * keys). EXPLAIN ANALYZE prints the table's actual bytes beside it.
 */
static void join_memory(Plan *p)
{
    if (p->child) join_memory(p->child);
    for (int i = 0; i < p->inputs.n; i++) join_memory(p->inputs.v[i]);
    p->est_mem = 0;
    if (p->kind != P_JOIN || p->interval) return;
    Plan *B = p->inputs.v[p->build_left ? 0 : 1];
    int boff = p->build_left ? 0 : ((Plan *)p->inputs.v[0])->ncols;
    Expr **keys = p->build_left ? p->jk_left : p->jk_right;
    double row = 24 + 1; /* next, all, hash; the matched flag */
    for (int i = 0; i < p->njk; i++)
        row += value_bytes(keys[i]->type, keys[i]->kind == E_COLUMN && keys[i]->col_index >= 0 ? col_avg_len(B, keys[i]->col_index) : -1);
    row += need_width(B, p->out_needed ? p->out_needed + boff : NULL, !p->out_needed);
    row = ceil(row / 8) * 8;
    double n = B->est_rows > 0 ? B->est_rows : 1, cap = 1024, words = 64;
    while (cap < 2 * n) cap *= 2;
    while (p->bloom && words * 4 < n) words *= 2;
    p->est_mem = n * row + cap * 8 + (p->bloom ? words * 8 : 0);
}

/* The pushed filters of scan p that wait for the Bloom probe of the join
 * it feeds (p->pushed_late, p->late_join): when fewer rows pass the probe
 * than pass the filters (by the estimates), checking the filters first
 * converts their columns for rows the probe would have dropped. Only
 * filters that read no key column and only needed columns; only for inner
 * and semi joins, whose probe emits nothing for a row without a match, so
 * a filter checked after the first match drops the same rows. Codegen makes
 * a late filter's columns late columns: a record with a bad value in one is
 * dead-lettered only when its keys match. q22's orders scan parses
 * o_orderdate (35 % pass) before a probe that 8 % pass. Runs last, on the
 * final estimates and needed columns. */
static void late_filters(Arena *a, Plan *p, Plan *j)
{
    if (p->child) late_filters(a, p->child, p);
    for (int i = 0; i < p->inputs.n; i++) late_filters(a, p->inputs.v[i], p);
    p->pushed_late = NULL, p->late_join = NULL;
    if (p->kind != P_SCAN || !p->pushed.n || !j || !pl_drops_unmatched(j) || !j->bloom || p != pl_probe_input(j)) return;
    double raw = p->rel->est_rows;
    if (raw <= 0 || p->est_rows <= 0 || j->est_rows < 0 || key_match_rows(j) / p->est_rows >= p->est_rows / raw) return;
    Expr **keys = j->build_left ? j->jk_right : j->jk_left;
    u8 *key_uses = ar_alloc(a, (size_t)p->ncols + 1), *late = ar_alloc(a, (size_t)p->pushed.n);
    for (int k = 0; k < j->njk; k++) ex_mark_columns(keys[k], key_uses, p->ncols);
    int any = 0;
    for (int k = 0; k < p->pushed.n; k++) {
        u8 *uses = ar_alloc(a, (size_t)p->ncols + 1);
        ex_mark_columns(p->pushed.v[k], uses, p->ncols);
        int ok = 1;
        for (int i = 0; i < p->ncols; i++) ok &= !uses[i] || (p->needed[i] && !key_uses[i]);
        any |= late[k] = (u8)ok;
    }
    if (any) {
        p->pushed_late = late, p->late_join = j;
        p->est_probe = scan_rows(p, late, NULL);
    }
}

/* The joins above up[n - 1] (the Bloom-filtered join scan p feeds) whose
 * Bloom filters test p's records right after that join's probe: those
 * whose probe keys are columns of p, up through filters, projections and
 * the probe sides of inner and semi joins (a record the test drops would
 * have been dropped by the join above it, and none of those remembers
 * which build rows it matched). */
static void scan_early_blooms(Arena *a, Plan *p, Plan **up, int n)
{
    Plan *c = up[n - 1];
    if (!pl_drops_unmatched(c) || !c->bloom || p != pl_probe_input(c)) return;
    int top = n; /* the highest of them in up */
    for (int k = n - 2; k >= 0; c = up[k], k--) {
        Plan *j = up[k];
        if (j->kind == P_FILTER || j->kind == P_PROJECT) continue;
        if (!pl_drops_unmatched(j) || c != pl_probe_input(j)) break;
        Expr **keys = j->build_left ? j->jk_right : j->jk_left;
        int ok = j->bloom;
        for (int i = 0; i < j->njk && ok; i++) {
            int sc = keys[i]->kind == E_COLUMN && keys[i]->col_index >= 0 ? pl_scan_col(c, keys[i]->col_index, p) : -1;
            ok = sc >= 0 && p->needed[sc];
        }
        if (ok) pv_push(a, &p->early_blooms, j), top = k;
    }
    /* The operators from the first join up to the highest of them emit only
       the rows that pass the tests of those above them: the share of each
       such join's probe rows expected to match its keys (< 1/2, its Bloom
       filter's rule). Walking down from the highest, an early join's share
       applies to the operators below it, not to its own rows. */
    double f = 1;
    for (int k = top, i = p->early_blooms.n - 1; k < n; k++) {
        if (f < 1) up[k]->est_early = up[k]->est_rows * f;
        if (i < 0 || up[k] != p->early_blooms.v[i]) continue;
        double probe = pl_probe_input(up[k])->est_rows;
        if (probe > 0) f *= fmin(1, key_match_rows(up[k]) / probe);
        i--;
    }
}

/*
 * A scan feeding an inner or semi join with a Bloom filter tests its
 * records against the Bloom filters of the joins above as well, right
 * after the first probe finds a match (codegen.c, cg_early_blooms):
 * TPC-H q20's lineitem records with a French or German supplier (8 %)
 * convert their ship dates, prices and discounts only when their order
 * key may be one of those countries' customers' (8 % of them). up holds
 * the operators above p. Runs last, with late_filters.
 */
static void early_blooms(Arena *a, Plan *p, Plan **up, int n)
{
    p->early_blooms.n = 0;
    p->est_early = 0;
    if (p->kind == P_SCAN && n > 0) scan_early_blooms(a, p, up, n);
    up[n] = p;
    if (p->child) early_blooms(a, p->child, up, n + 1);
    for (int i = 0; i < p->inputs.n; i++) early_blooms(a, p->inputs.v[i], up, n + 1);
}

static int plan_depth(const Plan *p)
{
    int d = 0;
    if (p->child) d = plan_depth(p->child);
    for (int i = 0; i < p->inputs.n; i++) {
        int k = plan_depth(p->inputs.v[i]);
        if (k > d) d = k;
    }
    return d + 1;
}

/* Without predicate pushdown, ON conditions still give hash keys. */
static void extract_keys(Optimizer *o, Plan *p)
{
    if (p->child) extract_keys(o, p->child);
    for (int i = 0; i < p->inputs.n; i++) extract_keys(o, p->inputs.v[i]);
    if (p->kind != P_JOIN || !p->residual) return;
    PtrVec conj = {0}, resid = {0};
    ex_conjuncts(o->a, p->residual, &conj);
    int nl = ((Plan *)p->inputs.v[0])->ncols;
    for (int i = 0; i < conj.n; i++) add_join_cond(o, p, conj.v[i], nl, &resid);
    p->residual = ex_and_all(o->a, &resid, 0);
    if (p->join_kind == 'C' && p->njk) p->join_kind = 'I';
}

/* ---- redundant joins --------------------------------------------------- */
/* An inner join to a scan of a table on its whole PRIMARY KEY finds, for
 * each input row, the one table row with that key. When the
 * input already holds that row, from another scan of the same (bounded)
 * table whose key is known to equal the join key, the join is redundant:
 * its columns are copies of that scan's. Known equal: the join key is that
 * scan's key column itself (a self-join on the key; the row then needs a
 * non-NULL key, as NULL never matches), or an inner join below equated the
 * scan's key column with the same key expression (the same table joined
 * twice on the same key). The join becomes a Project over the input that
 * repeats the scan's columns where the join's were, so nothing above it
 * changes, over a Filter with the scan's own pushed conditions evaluated on
 * the copy. PRIMARY KEY is trusted to be unique, as by join_elimination. */

typedef struct RjFound {
    PtrVec scans, scan_base; /* Plan* scans of the input, (void*)(intptr_t) first column */
    PtrVec joins, join_base; /* Plan* inner joins of the input, first column */
} RjFound;

/* Collect the scans and inner joins whose rows every row of p holds
 * (through filters, inner joins and the left side of semi/anti joins; an
 * outer join may pad with NULLs, a Project moves columns: both stop). */
static void rj_collect(Optimizer *o, Plan *p, int base, RjFound *f)
{
    if (p->kind == P_FILTER) rj_collect(o, p->child, base, f);
    else if (p->kind == P_SCAN) {
        pv_push(o->a, &f->scans, p);
        pv_push(o->a, &f->scan_base, (void *)(intptr_t)base);
    } else if (p->kind == P_JOIN && strchr("ICSA", p->join_kind)) {
        Plan *L = p->inputs.v[0];
        rj_collect(o, L, base, f);
        if (p->join_kind == 'S' || p->join_kind == 'A') return;
        pv_push(o->a, &f->joins, p);
        pv_push(o->a, &f->join_base, (void *)(intptr_t)base);
        rj_collect(o, p->inputs.v[1], base + L->ncols, f);
    }
}

/* Relation column of key i over a scan of rel when every key is a distinct
 * PRIMARY KEY column and every PRIMARY KEY column is a key; else -1. */
static int rj_pk_keys(const Relation *rel, Expr **keys, int n, int *pkcol)
{
    int npk = 0;
    for (int c = 0; c < rel->ncols; c++) npk += rel->cols[c].primary_key;
    if (!npk || n != npk) return -1;
    for (int i = 0; i < n; i++) {
        if (keys[i]->kind != E_COLUMN || keys[i]->col_index < 0 || !rel->cols[keys[i]->col_index].primary_key) return -1;
        pkcol[i] = keys[i]->col_index;
        for (int k = 0; k < i; k++)
            if (pkcol[k] == pkcol[i]) return -1;
    }
    return 0;
}

static int is_col(const Expr *e, int c)
{
    return e->kind == E_COLUMN && e->col_index == c;
}

/* Whether an inner join in f equates input column col with key (both over
 * the input's layout). */
static int rj_equated(Optimizer *o, RjFound *f, int col, const Expr *key)
{
    for (int j = 0; j < f->joins.n; j++) {
        Plan *J = f->joins.v[j];
        int base = (int)(intptr_t)f->join_base.v[j], nl = ((Plan *)J->inputs.v[0])->ncols;
        for (int k = 0; k < J->njk; k++) {
            Expr *a = ex_shift(o->a, J->jk_left[k], 0, nl, base);
            Expr *b = ex_shift(o->a, J->jk_right[k], 0, J->ncols - nl, base + nl);
            if ((is_col(a, col) && ex_equal(b, key)) || (is_col(b, col) && ex_equal(a, key))) return 1;
        }
    }
    return 0;
}

/* A scan in f whose row is the one the join keys find: its first column, or
 * -1. *self is set when a key is that scan's own key column (the row then
 * must have a non-NULL key). */
static int rj_source(Optimizer *o, RjFound *f, const Relation *rel, Expr **keys, const int *pkcol, int n, int *self)
{
    for (int s = 0; s < f->scans.n; s++) {
        const Plan *S = f->scans.v[s];
        int base = (int)(intptr_t)f->scan_base.v[s], ok = 1;
        if (S->rel != rel) continue;
        *self = 0;
        for (int i = 0; i < n && ok; i++) {
            int col = base + pkcol[i];
            if (is_col(keys[i], col)) *self = 1;
            else ok = rj_equated(o, f, col, keys[i]);
        }
        if (ok) return base;
    }
    return -1;
}

/* The replacement of join j whose side `table` (0 left, 1 right) is the
 * redundant scan and whose other side holds its row at column src. */
static Plan *rj_replace(Optimizer *o, Plan *j, int table, int src, int self)
{
    Plan *in = j->inputs.v[!table], *T = j->inputs.v[table];
    Expr **keys = table ? j->jk_left : j->jk_right;
    Plan *below = in;
    PtrVec conds = {0};
    for (int i = 0; self && i < j->njk; i++) {
        Expr *t = ex_new(o->a, E_IS_NULL, j->pos);
        t->left = keys[i];
        t->negated = 1;
        t->type = ty_make(VT_BOOL);
        pv_push(o->a, &conds, t);
    }
    /* the table's own filters, on the row's copy in the input */
    for (int i = 0; i < T->pushed.n; i++) pv_push(o->a, &conds, ex_shift(o->a, T->pushed.v[i], 0, T->ncols, src));
    if (conds.n) {
        below = opt_new(o, P_FILTER, in);
        below->pred = ex_and_all(o->a, &conds, 0);
    }
    Plan *p = opt_new(o, P_PROJECT, below);
    p->ncols = j->ncols;
    p->cols = j->cols;
    p->exprs = ar_alloc(o->a, sizeof(Expr *) * (size_t)(j->ncols + 1));
    int toff = table ? in->ncols : 0, ioff = table ? 0 : T->ncols;
    for (int c = 0; c < j->ncols; c++) {
        int from = c >= toff && c < toff + T->ncols ? src + c - toff : c - ioff;
        p->exprs[c] = ex_col(o->a, from, in->cols[from].type, in->cols[from].nullable, j->cols[c].name, j->pos);
    }
    p->join_note = ar_printf(o->a, "redundant %s join to %s on its PRIMARY KEY: its columns are the input's", self ? "self" : "repeated",
                             T->rel->name);
    return p;
}

/* Whether side `table` of inner join j is a scan of a bounded table joined
 * on its whole PRIMARY KEY whose row the other side holds. */
static Plan *rj_try(Optimizer *o, Plan *j, int table)
{
    Plan *T = j->inputs.v[table];
    if (T->kind != P_SCAN || cat_unbounded(T->rel)) return NULL;
    int *pkcol = ar_alloc(o->a, sizeof(int) * (size_t)(j->njk + 1));
    if (rj_pk_keys(T->rel, table ? j->jk_right : j->jk_left, j->njk, pkcol)) return NULL;
    RjFound f;
    memset(&f, 0, sizeof f);
    rj_collect(o, j->inputs.v[!table], 0, &f);
    int self = 0, src = rj_source(o, &f, T->rel, table ? j->jk_left : j->jk_right, pkcol, j->njk, &self);
    return src < 0 ? NULL : rj_replace(o, j, table, src, self);
}

/* Top down, so a join repeated three times becomes copies of the first. */
static Plan *redundant(Optimizer *o, Plan *p, int *fired)
{
    if (p->kind == P_JOIN && p->join_kind == 'I' && p->njk && !p->residual) {
        Plan *r = rj_try(o, p, 1);
        if (!r) r = rj_try(o, p, 0);
        if (r) {
            (*fired)++;
            p = r;
        }
    }
    if (p->child) p->child = redundant(o, p->child, fired);
    for (int i = 0; i < p->inputs.n; i++) p->inputs.v[i] = redundant(o, p->inputs.v[i], fired);
    return p;
}

/* ---- join elimination -------------------------------------------------- */

/* Whether columns cols[0..n) of p hold a unique
 * key of p: the whole PRIMARY KEY of a scanned table, or every group key of
 * a final aggregate without a window (GROUP BY, DISTINCT), seen through filters
 * (which only drop rows) and projections of plain columns. */
static int unique_cols(const Plan *p, int *cols, int n)
{
    const Plan *below = p;
    for (int i = 0; i < n; i++) /* every column passes the same filters and projections */
        if (!(below = pl_col_through(p, &cols[i]))) return 0;
    p = below;
    int nkeys;
    if (pl_final_group(p)) nkeys = p->nkeys;
    else if (p->kind == P_SCAN) nkeys = p->ncols;
    else return 0;
    int found = 0;
    for (int c = 0; c < nkeys; c++) {
        if (p->kind == P_SCAN && !p->rel->cols[c].primary_key) continue;
        int covered = 0;
        for (int i = 0; i < n && !covered; i++) covered = cols[i] == c;
        if (!covered) return 0;
        found++;
    }
    return found > 0;
}

/* A LEFT join on a unique key of its right input (unique_cols) none of
 * whose columns is read above it returns each left row exactly once,
 * unchanged: the join can go. Only under a Project, which reads columns by
 * index and never the dropped right side. */
static int eliminable(Optimizer *o, const Plan *j)
{
    if (j->kind != P_JOIN || j->join_kind != 'L' || !j->njk || j->residual || !j->out_needed) return 0;
    const Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    for (int i = 0; i < R->ncols; i++)
        if (j->out_needed[L->ncols + i]) return 0;
    int *cols = ar_alloc(o->a, sizeof(int) * (size_t)j->njk);
    for (int k = 0; k < j->njk; k++) {
        if (j->jk_right[k]->kind != E_COLUMN || j->jk_right[k]->col_index < 0) return 0;
        cols[k] = j->jk_right[k]->col_index;
    }
    return unique_cols(R, cols, j->njk);
}

static void eliminate(Optimizer *o, Plan *p, int *fired)
{
    if (p->child) {
        if (p->kind == P_PROJECT && eliminable(o, p->child)) {
            p->child = p->child->inputs.v[0];
            (*fired)++;
        }
        eliminate(o, p->child, fired);
    }
    for (int i = 0; i < p->inputs.n; i++) eliminate(o, p->inputs.v[i], fired);
}

/* ---- estimates --------------------------------------------------------- */

/* For combos: when the other side of join j than `side` (0 left, 1
 * right) is one table's rows (a scan under filters and projections of
 * plain columns: a join below could repeat a key) joined on a unique key
 * of it, its columns ocols[0..on) included, and side's join keys are plain
 * columns, adds those (once each) to side's columns cols[0..*n) and
 * returns 1. */
static int keys_decide(const Plan *j, int side, int *cols, int *n, const int *ocols, int on)
{
    Plan *other = j->inputs.v[!side];
    Expr **mine = side ? j->jk_right : j->jk_left, **theirs = side ? j->jk_left : j->jk_right;
    if (!j->njk || keys_key_ndv(other, theirs, j->njk) <= 0) return 0;
    const Plan *table = NULL;
    for (int k = 0; k < j->njk + on; k++) {
        const Expr *e = k < j->njk ? theirs[k] : NULL;
        int c = e ? (e->kind == E_COLUMN ? e->col_index : -1) : ocols[k - j->njk];
        const Plan *at = c >= 0 ? pl_col_through(other, &c) : NULL;
        if (!at || at->kind != P_SCAN || (table && at != table)) return 0;
        table = at;
    }
    for (int k = 0; k < j->njk; k++)
        if (mine[k]->kind != E_COLUMN || mine[k]->col_index < 0) return 0;
    for (int k = 0; k < j->njk; k++) {
        int c = mine[k]->col_index, seen = 0;
        for (int i = 0; i < *n; i++) seen |= cols[i] == c;
        if (!seen) cols[(*n)++] = c;
    }
    return 1;
}

/* At most how many distinct combinations columns cols[0..n) of p hold:
 * the product of their tables' distinct values, but no more than the rows
 * of any operator all of them pass through. So two nations' names after
 * the join that keeps 2 of the 625 pairs make 2 combinations, not 625.
 * A side an outer join pads adds NULL as a value. -1 when a column does not
 * trace to a scan with statistics. cols is scratch (overwritten). */
static double combos(const Plan *p, int *cols, int n)
{
    if (n == 0) return 1;
    double d = -1, rows = p->est_rows;
    switch (p->kind) {
    case P_SCAN:
        d = 1;
        for (int i = 0; i < n && d > 0; i++) {
            int c = cols[i];
            const Relation *r = p->rel;
            if (!r || !r->ndv || c < 0 || c >= r->ncols || r->ndv[c] <= 0 || !strcmp(r->ndv_source[c], "default")) d = -1;
            else d *= r->ndv[c];
        }
        break;
    case P_FILTER:
    case P_SORT:
    case P_LIMIT: d = combos(p->child, cols, n); break;
    case P_PROJECT:
        for (int i = 0; i < n; i++) {
            const Expr *e = p->exprs[cols[i]];
            if (e->kind != E_COLUMN || e->col_index < 0) return -1;
            cols[i] = e->col_index;
        }
        d = combos(p->child, cols, n);
        break;
    case P_JOIN: {
        const Plan *L = p->inputs.v[0], *R = p->inputs.v[1];
        int nl = 0, nr = 0, *lc = malloc(sizeof(int) * (size_t)(n + 1)), *rc = malloc(sizeof(int) * (size_t)(n + 1));
        if (!lc || !rc) {
            free(lc);
            free(rc);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (cols[i] < L->ncols) lc[nl++] = cols[i];
            else rc[nr++] = cols[i] - L->ncols;
        }
        /* a side joined on its unique key holds one row per key of the other
           side: its columns follow from those keys (a region's name from the
           nation's n_regionkey), unless that other side's rows are padded.
           Another bound, the smaller one wins: the keys may have more
           values than the columns they decide. */
        double fd = -1;
        if (nl && nr && (p->join_kind == 'I' || p->join_kind == 'L' || p->join_kind == 'R')) {
            int side = p->join_kind == 'R' ? 1 : 0, *mine = side ? rc : lc, m = side ? nr : nl;
            int *with = malloc(sizeof(int) * (size_t)(m + p->njk + 1));
            if (with) {
                memcpy(with, mine, sizeof(int) * (size_t)m);
                if (keys_decide(p, side, with, &m, side ? lc : rc, side ? nl : nr)) fd = combos(side ? R : L, with, m);
                free(with);
            }
        }
        double dl = nl ? combos(L, lc, nl) : 1, dr = nr ? combos(R, rc, nr) : 1;
        free(lc);
        free(rc);
        if (dl < 0 || dr < 0) return -1;
        int pad_l = p->join_kind == 'R' || p->join_kind == 'F', pad_r = p->join_kind == 'L' || p->join_kind == 'F';
        d = (dl + (pad_l && nl)) * (dr + (pad_r && nr));
        if (fd >= 0 && fd < d) d = fd;
        break;
    }
    default: return -1;
    }
    return d < 0 ? -1 : rows > 0 && rows < d ? rows : d;
}

/* Groups of a GROUP BY whose keys all have a count of distinct values
 * (key_ndv: columns with sampled or declared statistics, expressions of
 * them): their product, at most the input rows (the keys are taken as
 * independent; correlated keys make it an overestimate, which the cap
 * bounds), and the plain column keys' combinations at most their combos().
 * Windows and EMIT CHANGES keep the default: their rows depend on time
 * and updates, not only on the keys. */
static void agg_groups(Plan *p, double in)
{
    if (!p->nkeys || !pl_final_group(p)) return;
    double g = 1, other = 1;
    int *cols = malloc(sizeof(int) * (size_t)p->nkeys), n = 0;
    for (int i = 0; i < p->nkeys; i++) {
        double d = key_ndv(p->child, p->keys[i]);
        if (d < 0) {
            free(cols);
            return;
        }
        g *= d;
        if (cols && p->keys[i]->kind == E_COLUMN && p->keys[i]->col_index >= 0) cols[n++] = p->keys[i]->col_index;
        else other *= d;
    }
    double c = cols && n ? combos(p->child, cols, n) : -1;
    free(cols);
    if (c >= 0 && c * other < g) g = c * other;
    p->est_rows = g < in ? g : in;
    p->est_source = "stats";
}

/* The rows scan p emits after its pushed conjuncts, but those skip[k]
 * marks (NULL: none), and the estimate's source (when source is not NULL):
 * the conjuncts measured together on the sample, the rest by scan_sel. */
static double scan_rows(Plan *p, const u8 *skip, const char **source)
{
    double s = 1;
    int from_stats = 0, any = 0;
    PtrVec conj = {malloc(sizeof(void *) * (size_t)(p->pushed.n + 1)), 0, p->pushed.n + 1}; /* pushed, but the implied */
    for (int i = 0; i < p->pushed.n; i++) {
        int implied = 0;
        for (int k = 0; k < p->implied.n; k++) implied |= p->implied.v[k] == p->pushed.v[i];
        if (skip && skip[i]) continue;
        any = 1;
        if (!implied && conj.v) conj.v[conj.n++] = p->pushed.v[i];
    }
    unsigned char *used = calloc((size_t)conj.n + 1, 1);
    double ss = conj.n ? smp_selectivity(p->rel, &conj, used) : -1;
    double ds = 1; /* the statistics' estimate of what the sample measured */
    for (int i = 0; i < conj.n; i++) {
        double x = scan_sel(p, conj.v[i], &from_stats);
        if (ss >= 0 && used[i]) ds *= x;
        else s *= x;
    }
    free(used);
    free(conj.v);
    if (ss >= 0) {
        /* no sampled record passed: fewer than one in the sample size,
           or fewer still by the statistics */
        double least = 0.5 / p->rel->nsample;
        s *= ss > 0 ? ss : ds < least ? ds : least;
        from_stats |= 1;
    }
    if (source) *source = !any ? p->rel->rows_source : from_stats == 2 ? "declared" : from_stats ? "stats" : "default";
    double rows = p->rel->est_rows < 0 ? 1000 * s : p->rel->est_rows * s;
    return rows < 1 ? 1 : rows;
}

/*
 * An operator's cost, for EXPLAIN: the rows it handles plus its inputs'
 * costs, in the join enumerator's unit. A scan reads its file's records;
 * a hash join does what jo_cost counts (output, twice the build side,
 * the probe side by the probe factor of the build's table), so a cluster's joins add up to the DP's figure plus
 * the scans; an aggregate hashes its input and emits its groups; a sort
 * n log2 n; the rest pass their input's rows.
 */
static void estimate_cost(Plan *p)
{
    double in = 0, below = 0, own;
    if (p->child) in = p->child->est_rows, below = p->child->est_cost;
    for (int i = 0; i < p->inputs.n; i++) {
        const Plan *c = p->inputs.v[i];
        in += c->est_rows;
        below += c->est_cost;
    }
    switch (p->kind) {
    case P_SCAN: own = p->rel && p->rel->est_rows > 0 ? p->rel->est_rows : p->est_rows; break;
    case P_JOIN: {
        const Plan *l = p->inputs.v[0], *r = p->inputs.v[1];
        own = jo_cost((JoIn){l->est_rows, plan_width(l), l->kind == P_SCAN}, (JoIn){r->est_rows, plan_width(r), r->kind == P_SCAN},
                      p->est_rows);
        break;
    }
    case P_AGG: own = in + p->est_rows; break;
    case P_SORT: own = in > 2 ? in * log2(in) : in; break;
    case P_VALUES: own = p->est_rows; break;
    default: own = in; break;
    }
    p->est_cost = own + below;
}

/* The share of column c of p's rows that is NULL in its table's sample;
 * -1 without a sample. */
static double col_null_frac(const Plan *p, int c)
{
    const Plan *scan = col_scan(p, &c);
    const Relation *r = scan ? scan->rel : NULL;
    if (!r || !r->sample || r->nsample <= 0 || c >= r->sample_cols) return -1;
    int nulls = 0;
    for (int i = 0; i < r->nsample; i++) nulls += !r->sample[(size_t)i * r->sample_cols + c];
    return (double)nulls / r->nsample;
}

/* `x IS [NOT] NULL` over a column a LEFT (RIGHT) join pads: the rows the
 * join padded, plus the matched ones where x itself is NULL (none for a
 * join key; the sample's share for another column), or the rest. The anti
 * join written as `LEFT JOIN orders ... WHERE o_orderkey IS NULL`. */
static void padded_filter(Plan *f)
{
    const Expr *e = f->pred;
    if (e->kind != E_IS_NULL || e->left->kind != E_COLUMN || e->left->col_index < 0) return;
    int c = e->left->col_index;
    const Plan *j = pl_col_through(f->child, &c);
    if (!j || j->kind != P_JOIN || (j->join_kind != 'L' && j->join_kind != 'R') || !j->njk || j->residual) return;
    const Plan *L = j->inputs.v[0];
    int right = c >= L->ncols, k = right ? c - L->ncols : c;
    if (right != (j->join_kind == 'L')) return; /* not the padded side */
    Expr **keys = right ? j->jk_right : j->jk_left;
    double nf = -1;
    for (int i = 0; i < j->njk; i++)
        if (keys[i]->kind == E_COLUMN && keys[i]->col_index == k) nf = 0; /* it equals the other side's key */
    if (nf < 0) nf = col_null_frac(j->inputs.v[right], k);
    if (nf < 0 || j->est_padded < 0 || f->child->est_rows <= 0 || j->est_rows <= 0) return;
    double share = f->child->est_rows / j->est_rows; /* filters between keep this much of the join */
    double pad = j->est_padded * share, matched = (j->est_rows - j->est_padded) * share;
    f->est_rows = e->negated ? matched * (1 - nf) : pad + matched * nf;
    f->est_source = j->est_source;
}

static void estimate(Plan *p)
{
    if (p->child) estimate(p->child);
    for (int i = 0; i < p->inputs.n; i++) estimate(p->inputs.v[i]);
    double in = p->child ? p->child->est_rows : 0;
    switch (p->kind) {
    case P_SCAN: p->est_rows = scan_rows(p, NULL, &p->est_source); break;
    case P_FILTER:
        p->est_rows = in * sel(p->pred);
        p->est_source = "default";
        padded_filter(p);
        break;
    case P_AGG:
        p->est_rows = p->nkeys ? (in < 10 ? in : in / 10 < 10 ? 10 : in / 10) : 1;
        p->est_source = p->nkeys ? "default" : "exact";
        agg_groups(p, in);
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
    case P_VALUES:
        p->est_rows = p->rows.n;
        p->est_source = "exact";
        break;
    case P_JOIN: p->est_rows = join_card(p, ((Plan *)p->inputs.v[0])->est_rows, ((Plan *)p->inputs.v[1])->est_rows, &p->est_source); break;
    default:
        p->est_rows = in;
        p->est_source = p->child->est_source;
        break;
    }
    if (p->est_rows < 1) p->est_rows = 1;
    estimate_cost(p);
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
        else extract_keys(o, *root);
        double t2r = now_ms();
        /* redundant_joins runs on the written order, where a repeated join sits
           above the one it repeats, and again after join_reorder, which may
           have split them (a cross product of two tiny inputs) */
        if (o->pass[PASS_REDUNDANT].enabled) *root = redundant(o, *root, &o->pass[PASS_REDUNDANT].fired);
        double t2a = now_ms();
        o->pass[PASS_REDUNDANT].ms += t2a - t2r;
        double equiv_ms = o->pass[PASS_EQUIV].ms;
        row_widths(o, *root);
        if (o->pass[PASS_REORDER].enabled) *root = reorder(o, *root, &o->pass[PASS_REORDER].fired);
        else o->pass[PASS_EQUIV].enabled = 0; /* it only feeds the enumerator */
        estimate(*root);
        choose_build(*root, o->pass[PASS_REORDER].enabled);
        double t2b = now_ms();
        o->pass[PASS_REORDER].ms += t2b - t2a - (o->pass[PASS_EQUIV].ms - equiv_ms);
        if (o->pass[PASS_REDUNDANT].enabled) *root = redundant(o, *root, &o->pass[PASS_REDUNDANT].fired);
        double t2 = now_ms();
        o->pass[PASS_REDUNDANT].ms += t2 - t2b;
        if (o->pass[PASS_PROJECT].enabled) project_down(o, *root, NULL, 1, &o->pass[PASS_PROJECT].fired);
        else all_needed(o, *root);
        if (o->pass[PASS_ELIMINATE].enabled && o->pass[PASS_PROJECT].enabled) eliminate(o, *root, &o->pass[PASS_ELIMINATE].fired);
        double t3 = now_ms();
        estimate(*root);
        late_filters(o->a, *root, NULL);
        early_blooms(o->a, *root, ar_alloc(o->a, sizeof(Plan *) * (size_t)plan_depth(*root)), 0);
        join_memory(*root);
        o->pass[PASS_FOLD].ms += t1 - t0;
        o->pass[PASS_PUSHDOWN].ms += t2r - t1;
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
