/*
 * sample.c -- selectivity of a scan's filter measured on the records the
 * catalog sampled from its CSV file (the first 1000, compiler/catalog.c).
 *
 * Defaults and 1/ndv know nothing of a value's frequency: `p_container =
 * 'JUMBO VAULT'` on 0.2% of parts and a LIKE that keeps 0.5% of suppliers
 * were estimated at 1/41 and 25%, which sent the enumerator to build a hash
 * table of every order rather than of the 30 000 rows the filter left. Here
 * the scan's conjuncts are evaluated together on every sampled row, so
 * skewed values and correlated columns count as they occur.
 *
 * What it evaluates: comparisons, BETWEEN, IN, LIKE, IS NULL and AND/OR/NOT
 * over columns and literals, and numeric casts of those. Anything else
 * (functions, arithmetic) is left to the caller's estimate; so are all the
 * conjuncts when the sample is empty. Values compare as doubles (numbers,
 * timestamps) or bytewise (strings): an estimate needs no more precision.
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

/* Whether e can be evaluated on a sample row of r. */
static int smp_can(const Relation *r, const Expr *e)
{
    if (ex_is_literal(e)) return e->kind != E_LIT_INTERVAL;
    switch (e->kind) {
    case E_COLUMN: return e->col_index >= 0 && e->col_index < r->sample_cols;
    case E_CAST: return ty_is_numeric(e->cast_to) && ty_is_numeric(e->left->type) && smp_can(r, e->left);
    case E_BINARY: return e->op >= OP_EQ && smp_can(r, e->left) && smp_can(r, e->right);
    case E_UNARY: return e->op == 'N' && smp_can(r, e->left);
    case E_IS_NULL: return smp_can(r, e->left);
    case E_BETWEEN: return smp_can(r, e->left) && smp_can(r, e->right) && smp_can(r, e->third);
    case E_LIKE: return e->left->type.tag == VT_STRING && e->right->kind == E_LIT_STR && !e->third && smp_can(r, e->left);
    case E_IN_LIST:
        for (int i = 0; i < e->args.n; i++)
            if (!smp_can(r, e->args.v[i])) return 0;
        return smp_can(r, e->left);
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
    i64 x;
    char *end;
    switch (t.tag) {
    case VT_STRING: return (Sv){SV_STR, 0, f, n};
    case VT_BOOL:
        if (!strcasecmp(f, "true") || !strcasecmp(f, "false")) v = (Sv){SV_BOOL, !strcasecmp(f, "true"), NULL, 0};
        return v;
    case VT_DECIMAL:
        if (vd_parse(f, (i64)n, t.scale, &x) == 0) v = (Sv){SV_NUM, (double)x, NULL, 0};
        for (int i = 0; i < t.scale && v.kind == SV_NUM; i++) v.num /= 10;
        return v;
    case VT_TIMESTAMP:
        if (vt_parse(f, (i64)n, &x) == 0) v = (Sv){SV_NUM, (double)x, NULL, 0};
        return v;
    case VT_DOUBLE:
        v.num = strtod(f, &end);
        if (end != f && !*end) v.kind = SV_NUM;
        return v;
    default:
        v.num = (double)strtoll(f, &end, 10);
        if (end != f && !*end) v.kind = SV_NUM;
        return v;
    }
}

static Sv smp_value(const Relation *r, const char *const *row, const Expr *e)
{
    double d;
    switch (e->kind) {
    case E_COLUMN: return smp_field(row[e->col_index], r->cols[e->col_index].type);
    case E_CAST: return smp_value(r, row, e->left);
    case E_LIT_STR: return (Sv){SV_STR, 0, e->sval, e->slen};
    case E_LIT_BOOL: return (Sv){SV_BOOL, (double)e->ival, NULL, 0};
    case E_LIT_DOUBLE: return (Sv){SV_NUM, e->dval, NULL, 0};
    case E_LIT_DEC:
        d = (double)e->ival;
        for (int i = 0; i < e->scale; i++) d /= 10;
        return (Sv){SV_NUM, d, NULL, 0};
    case E_LIT_INT:
    case E_LIT_TS: return (Sv){SV_NUM, (double)e->ival, NULL, 0};
    default: return (Sv){SV_NULL, 0, NULL, 0};
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

static int smp_eval(const Relation *r, const char *const *row, const Expr *e);

static int smp_not(int t)
{
    return t == SMP_NULL ? SMP_NULL : !t;
}

static int smp_compare(const Relation *r, const char *const *row, const Expr *e)
{
    Sv a = smp_value(r, row, e->left), b = smp_value(r, row, e->right);
    if (a.kind == SV_NULL || b.kind == SV_NULL) return SMP_NULL;
    return ex_cmp_holds(e->op, smp_cmp(a, b));
}

static int smp_eval(const Relation *r, const char *const *row, const Expr *e)
{
    switch (e->kind) {
    case E_BINARY:
        if (e->op == OP_AND || e->op == OP_OR) {
            int a = smp_eval(r, row, e->left), b = smp_eval(r, row, e->right), dominant = e->op == OP_OR;
            if (a == dominant || b == dominant) return dominant;
            return a == SMP_NULL || b == SMP_NULL ? SMP_NULL : !dominant;
        }
        return smp_compare(r, row, e);
    case E_UNARY: return smp_not(smp_eval(r, row, e->left));
    case E_IS_NULL: return (smp_value(r, row, e->left).kind == SV_NULL) != e->negated;
    case E_BETWEEN: {
        Sv a = smp_value(r, row, e->left), lo = smp_value(r, row, e->right), hi = smp_value(r, row, e->third);
        if (a.kind == SV_NULL || lo.kind == SV_NULL || hi.kind == SV_NULL) return SMP_NULL;
        int in = smp_cmp(a, lo) >= 0 && smp_cmp(a, hi) <= 0;
        return in != e->negated;
    }
    case E_IN_LIST: {
        Sv a = smp_value(r, row, e->left);
        if (a.kind == SV_NULL) return SMP_NULL;
        int t = SMP_FALSE;
        for (int i = 0; i < e->args.n && t != SMP_TRUE; i++) {
            Sv b = smp_value(r, row, e->args.v[i]);
            if (b.kind == SV_NULL) t = SMP_NULL;
            else if (smp_cmp(a, b) == 0) t = SMP_TRUE;
        }
        return e->negated ? smp_not(t) : t;
    }
    case E_LIKE: {
        Sv a = smp_value(r, row, e->left);
        if (a.kind == SV_NULL) return SMP_NULL;
        int m = vs_like((vstr){a.s, (i64)a.n}, (vstr){e->right->sval, (i64)e->right->slen}, -1);
        return m != e->negated;
    }
    case E_LIT_BOOL: return (int)e->ival;
    case E_COLUMN: {
        Sv a = smp_value(r, row, e);
        return a.kind == SV_BOOL ? (int)a.num : SMP_NULL;
    }
    default: return SMP_NULL;
    }
}

double smp_selectivity(const Relation *r, const PtrVec *conj, unsigned char *used)
{
    int any = 0;
    for (int k = 0; k < conj->n; k++) {
        used[k] = r->sample && r->nsample > 0 && smp_can(r, conj->v[k]);
        any |= used[k];
    }
    if (!any) return -1;
    int hits = 0;
    for (int i = 0; i < r->nsample; i++) {
        const char *const *row = r->sample + (size_t)i * (size_t)r->sample_cols;
        int all = 1;
        for (int k = 0; k < conj->n && all; k++)
            if (used[k]) all = smp_eval(r, row, conj->v[k]) == SMP_TRUE;
        hits += all;
    }
    return (double)hits / r->nsample;
}
