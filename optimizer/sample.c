/*
 * sample.c -- selectivity of a scan's filter measured on the records the
 * catalog sampled from its CSV or JSON Lines file (up to 1000 from 16
 * runs of lines, compiler/catalog.c).
 *
 * Defaults and 1/ndv know nothing of a value's frequency: `p_container =
 * 'JUMBO VAULT'` on 0.2% of parts and a LIKE that keeps 0.5% of suppliers
 * were estimated at 1/41 and 25%, which sent the enumerator to build a hash
 * table of every order rather than of the 30 000 rows the filter left. Here
 * the scan's conjuncts are evaluated together on every sampled row, so
 * skewed values and correlated columns count as they occur.
 *
 * A join's residual condition between two scanned tables (`p_size >
 * l_linenumber * 5`) is measured the same way on pairs of their sampled
 * records, each side's kept by its scan's own filters: the default 1/3 for
 * a comparison of two columns was 0.74 in TPC-H q09's shape, enough to
 * make a 1M-row intermediate result look smaller than partsupp.
 *
 * What it evaluates: comparisons, BETWEEN, IN, LIKE, IS NULL and AND/OR/NOT
 * over columns and literals, arithmetic on numbers and numeric casts of
 * those. Anything else (functions) is left to the caller's estimate; so are
 * all the conjuncts when the sample is empty. Values compare as doubles
 * (numbers, timestamps) or bytewise (strings): an estimate needs no more
 * precision.
 */
#include "sample.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "velo.h"

typedef enum { SV_NULL, SV_NUM, SV_STR, SV_BOOL } SvKind;

typedef struct Sv {
    SvKind kind;
    double num; /* SV_NUM, SV_BOOL */
    const char *s;
    size_t n;
} Sv;

enum { SMP_FALSE = 0, SMP_TRUE = 1, SMP_NULL = 2 };

/* Where an expression's columns are read: a sampled record of each of one
 * or two relations. map NULL: the columns are r[0]'s; else column i is
 * column map->col[i] of r[map->rel[i]] (rel -1: neither). */
typedef struct SmpRows {
    const Relation *r[2];
    const char *const *row[2];
    const SmpMap *map;
} SmpRows;

/* The relation (0, 1) and column a column index reads; -1 for none. */
static int smp_col(const SmpRows *x, int i, int *col)
{
    if (!x->map) {
        *col = i;
        return i >= 0 && i < x->r[0]->sample_cols ? 0 : -1;
    }
    if (i < 0 || i >= x->map->n || x->map->rel[i] < 0) return -1;
    int k = x->map->rel[i];
    *col = x->map->col[i];
    return *col >= 0 && *col < x->r[k]->sample_cols ? k : -1;
}

/* Whether e can be evaluated on sampled records read through x. */
static int smp_can(const SmpRows *x, const Expr *e)
{
    int c;
    if (ex_is_literal(e)) return e->kind != E_LIT_INTERVAL;
    switch (e->kind) {
    case E_COLUMN: return smp_col(x, e->col_index, &c) >= 0;
    case E_CAST: return ty_is_numeric(e->cast_to) && ty_is_numeric(e->left->type) && smp_can(x, e->left);
    case E_BINARY:
        if (e->op <= OP_MOD) /* arithmetic: numbers only (no dates and intervals) */
            return ty_is_numeric(e->type) && ty_is_numeric(e->left->type) && ty_is_numeric(e->right->type) && smp_can(x, e->left) &&
                   smp_can(x, e->right);
        return e->op >= OP_EQ && smp_can(x, e->left) && smp_can(x, e->right);
    case E_UNARY: return e->op == 'N' && smp_can(x, e->left);
    case E_IS_NULL: return smp_can(x, e->left);
    case E_BETWEEN: return smp_can(x, e->left) && smp_can(x, e->right) && smp_can(x, e->third);
    case E_LIKE: return e->left->type.tag == VT_STRING && e->right->kind == E_LIT_STR && !e->third && smp_can(x, e->left);
    case E_IN_LIST:
        for (int i = 0; i < e->args.n; i++)
            if (!smp_can(x, e->args.v[i])) return 0;
        return smp_can(x, e->left);
    default: return 0;
    }
}

/* A sampled field as a value of column type t; text that is not one (the
 * record would be dead-lettered) is NULL: it passes no filter. */
static Sv smp_field(const char *f, TypeSpec t)
{
    Sv v = {SV_NULL, 0, NULL, 0};
    if (!f) return v;
    size_t n = strlen(f);
    switch (t.tag) {
    case VT_STRING: return (Sv){SV_STR, 0, f, n};
    case VT_BOOL:
        if (!strcasecmp(f, "true") || !strcasecmp(f, "false")) v = (Sv){SV_BOOL, !strcasecmp(f, "true"), NULL, 0};
        return v;
    default:
        if (ty_text_value(t, f, n, &v.num) == 0) v.kind = SV_NUM;
        return v;
    }
}

static Sv smp_value(const SmpRows *x, const Expr *e);

/* a op b on numbers; NULL for a NULL operand or a division by zero */
static Sv smp_arith(const SmpRows *x, const Expr *e)
{
    Sv a = smp_value(x, e->left), b = smp_value(x, e->right), r = {SV_NULL, 0, NULL, 0};
    if (a.kind != SV_NUM || b.kind != SV_NUM) return r;
    switch (e->op) {
    case OP_ADD: r.num = a.num + b.num; break;
    case OP_SUB: r.num = a.num - b.num; break;
    case OP_MUL: r.num = a.num * b.num; break;
    case OP_DIV:
        if (b.num == 0) return r;
        r.num = a.num / b.num;
        /* integer division truncates, as the job's does */
        if (e->type.tag == VT_INT || e->type.tag == VT_BIGINT) r.num = (double)(i64)r.num;
        break;
    default: /* OP_MOD */
        if ((i64)b.num == 0) return r;
        r.num = (double)((i64)a.num % (i64)b.num);
        break;
    }
    r.kind = SV_NUM;
    return r;
}

static Sv smp_value(const SmpRows *x, const Expr *e)
{
    double d;
    int c, k;
    switch (e->kind) {
    case E_COLUMN:
        k = smp_col(x, e->col_index, &c);
        return k < 0 ? (Sv){SV_NULL, 0, NULL, 0} : smp_field(x->row[k][c], x->r[k]->cols[c].type);
    case E_CAST: return smp_value(x, e->left);
    case E_BINARY: return e->op <= OP_MOD ? smp_arith(x, e) : (Sv){SV_NULL, 0, NULL, 0};
    case E_LIT_STR: return (Sv){SV_STR, 0, e->sval, e->slen};
    case E_LIT_BOOL: return (Sv){SV_BOOL, (double)e->ival, NULL, 0};
    default: return ex_lit_number(e, &d) == 0 ? (Sv){SV_NUM, d, NULL, 0} : (Sv){SV_NULL, 0, NULL, 0};
    }
}

/* <0, 0, >0 as a is below, equal to or above b (both non-NULL, same kind
 * or mixed as the binder allowed). */
static int smp_cmp(Sv a, Sv b)
{
    if (a.kind == SV_STR && b.kind == SV_STR) {
        int c = memcmp(a.s, b.s, a.n < b.n ? a.n : b.n);
        return c ? c : (a.n > b.n) - (a.n < b.n);
    }
    return (a.num > b.num) - (a.num < b.num);
}

static int smp_eval(const SmpRows *x, const Expr *e);

static int smp_not(int t)
{
    return t == SMP_NULL ? SMP_NULL : !t;
}

static int smp_compare(const SmpRows *x, const Expr *e)
{
    Sv a = smp_value(x, e->left), b = smp_value(x, e->right);
    if (a.kind == SV_NULL || b.kind == SV_NULL) return SMP_NULL;
    return ex_cmp_holds(e->op, smp_cmp(a, b));
}

static int smp_eval(const SmpRows *x, const Expr *e)
{
    switch (e->kind) {
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR) {
            int a = smp_eval(x, e->left), b = smp_eval(x, e->right), dominant = e->op == OP_OR;
            if (a == dominant || b == dominant) return dominant;
            return a == SMP_NULL || b == SMP_NULL ? SMP_NULL : !dominant;
        }
        return smp_compare(x, e);
    case E_UNARY: return smp_not(smp_eval(x, e->left));
    case E_IS_NULL: return (smp_value(x, e->left).kind == SV_NULL) != e->negated;
    case E_BETWEEN: {
        Sv a = smp_value(x, e->left), lo = smp_value(x, e->right), hi = smp_value(x, e->third);
        if (a.kind == SV_NULL || lo.kind == SV_NULL || hi.kind == SV_NULL) return SMP_NULL;
        int in = smp_cmp(a, lo) >= 0 && smp_cmp(a, hi) <= 0;
        return in != e->negated;
    }
    case E_IN_LIST: {
        Sv a = smp_value(x, e->left);
        if (a.kind == SV_NULL) return SMP_NULL;
        int t = SMP_FALSE;
        for (int i = 0; i < e->args.n && t != SMP_TRUE; i++) {
            Sv b = smp_value(x, e->args.v[i]);
            if (b.kind == SV_NULL) t = SMP_NULL;
            else if (smp_cmp(a, b) == 0) t = SMP_TRUE;
        }
        return e->negated ? smp_not(t) : t;
    }
    case E_LIKE: {
        Sv a = smp_value(x, e->left);
        if (a.kind == SV_NULL) return SMP_NULL;
        int m = vs_like((vstr){a.s, (i64)a.n}, (vstr){e->right->sval, (i64)e->right->slen}, -1);
        return m != e->negated;
    }
    case E_LIT_BOOL: return (int)e->ival;
    case E_COLUMN: {
        Sv a = smp_value(x, e);
        return a.kind == SV_BOOL ? (int)a.num : SMP_NULL;
    }
    default: return SMP_NULL;
    }
}

/* Whether the record in x passes every conjunct of conj marked in used. */
static int smp_row_passes(const SmpRows *x, const PtrVec *conj, const unsigned char *used)
{
    for (int k = 0; k < conj->n; k++)
        if (used[k] && smp_eval(x, conj->v[k]) != SMP_TRUE) return 0;
    return 1;
}

double smp_selectivity(const Relation *r, const PtrVec *conj, unsigned char *used)
{
    SmpRows x = {{r, NULL}, {NULL, NULL}, NULL};
    int any = 0;
    for (int k = 0; k < conj->n; k++) {
        used[k] = r->sample && r->nsample > 0 && smp_can(&x, conj->v[k]);
        any |= used[k];
    }
    if (!any) return -1;
    int hits = 0;
    for (int i = 0; i < r->nsample; i++) {
        x.row[0] = r->sample + (size_t)i * (size_t)r->sample_cols;
        hits += smp_row_passes(&x, conj, used);
    }
    return (double)hits / r->nsample;
}

enum { SMP_PAIR_SIDE = 64, SMP_PAIR_MIN = 10 };

/* Up to SMP_PAIR_SIDE of r's sampled records that pass the conjuncts of
 * filters (may be NULL) that can be evaluated on them, spread evenly over
 * those that do; their count. With `implied` (not NULL), filters derived
 * from an OR at the join (Expr.implied) are left out, and *implied is the
 * share of the sampled records passing the others that pass them too (1
 * without such filters; half a record's share when none do; 0 when no
 * record passes the others). */
static int smp_kept(const Relation *r, const PtrVec *filters, int *keep, double *implied)
{
    static const PtrVec none = {NULL, 0, 0};
    const PtrVec *conj = filters ? filters : &none;
    SmpRows x = {{r, NULL}, {NULL, NULL}, NULL};
    unsigned char *used = calloc((size_t)conj->n + 1, 1), *ok = calloc((size_t)r->nsample + 1, 1);
    unsigned char *derived = calloc((size_t)conj->n + 1, 1);
    int pass = 0, n = 0, seen = 0, also = 0, any = 0;
    if (used && ok && derived) {
        for (int k = 0; k < conj->n; k++) {
            int can = smp_can(&x, conj->v[k]), imp = implied && ((const Expr *)conj->v[k])->implied;
            used[k] = (unsigned char)(can && !imp);
            derived[k] = (unsigned char)(can && imp);
            any |= derived[k];
        }
        for (int i = 0; i < r->nsample; i++) {
            x.row[0] = r->sample + (size_t)i * (size_t)r->sample_cols;
            pass += ok[i] = (unsigned char)smp_row_passes(&x, conj, used);
            if (ok[i] && any) also += smp_row_passes(&x, conj, derived);
        }
        double step = pass > SMP_PAIR_SIDE ? (double)pass / SMP_PAIR_SIDE : 1;
        for (int i = 0; i < r->nsample && n < SMP_PAIR_SIDE; i++)
            if (ok[i] && seen++ >= n * step) keep[n++] = i;
    }
    if (implied) *implied = !any ? 1 : !pass ? 0 : (also ? also : 0.5) / pass; /* none: fewer than one, as scans count */
    free(used);
    free(ok);
    free(derived);
    return n;
}

double smp_pair_selectivity(const Relation *a, const PtrVec *fa, const Relation *b, const PtrVec *fb, const Expr *e, const SmpMap *map)
{
    SmpRows x = {{a, b}, {NULL, NULL}, map};
    if (!a->sample || !b->sample || a->nsample <= 0 || b->nsample <= 0 || !smp_can(&x, e)) return -1;
    int ka[SMP_PAIR_SIDE], kb[SMP_PAIR_SIDE];
    /* An OR that sent filters down to both sides (or_implied) is measured
       on pairs without them, then divided by their shares: it implies
       them, so P(OR | filters) = P(OR) / P(filters). With them, the pairs
       that pass are few (q19: 3 of 1000 sampled parts pass its part filter). */
    int is_or = e->kind == E_BINARY && e->op == OP_OR;
    double ia = 1, ib = 1;
    int na = smp_kept(a, fa, ka, is_or ? &ia : NULL), nb = smp_kept(b, fb, kb, is_or ? &ib : NULL);
    if (ia <= 0 || ib <= 0) return -1;
    /* few rows pass a side's filters: too few pairs to measure, unless the
       sample is that whole input (a small file read whole: the 2 nations
       its filter keeps are all there are) or the other side makes up the
       pairs */
    int whole_a = a->est_rows >= 0 && a->nsample >= a->est_rows, whole_b = b->est_rows >= 0 && b->nsample >= b->est_rows;
    int enough = (na >= SMP_PAIR_MIN || whole_a) && (nb >= SMP_PAIR_MIN || whole_b);
    if (!na || !nb || (!enough && na * nb < SMP_PAIR_MIN * SMP_PAIR_MIN)) return -1;
    int hits = 0;
    for (int i = 0; i < na; i++) {
        x.row[0] = a->sample + (size_t)ka[i] * (size_t)a->sample_cols;
        for (int j = 0; j < nb; j++) {
            x.row[1] = b->sample + (size_t)kb[j] * (size_t)b->sample_cols;
            hits += smp_eval(&x, e) == SMP_TRUE;
        }
    }
    /* no pair passed: fewer than one in the pairs tried */
    double sel = (hits ? hits : 0.5) / ((double)na * nb) / (ia * ib);
    return sel < 1 ? sel : 1;
}
