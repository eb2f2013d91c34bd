/*
 * binder.c -- resolve names and types, check the rules of SQL (GROUP BY,
 * aggregates, clauses) and build logical plans (see binder.h).
 *
 * A SELECT becomes, bottom up:
 *   SCAN -> FILTER(where) -> AGG(group keys, aggregates) -> FILTER(having)
 *        -> PROJECT(select list [+ hidden ORDER BY columns]) -> AGG(distinct)
 *        -> SORT/LIMIT -> PROJECT(drop hidden columns) -> SINK
 * Expressions above an AGG are rewritten to refer to its output columns:
 * a group key or an aggregate call becomes a column reference, and any
 * other column reference left over is the classic "must appear in GROUP BY"
 * error.
 */
#include "binder.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "functions.h"
#include "velo.h" /* vf_regex_check */

enum { MAX_SCOPE_RELS = 16 };

typedef struct ScopeRel {
    const char *name; /* alias or relation name */
    Relation *rel;    /* NULL for a derived table or CTE */
    int base;         /* first column in the input plan */
    int ncols;
} ScopeRel;

typedef struct Scope {
    Plan *input;
    ScopeRel rels[MAX_SCOPE_RELS];
    int nrels;
    /* stream-stream joins whose time bound may be in WHERE (bd_interval_pending) */
    Plan *pending[MAX_SCOPE_RELS];
    SrcPos pending_pos[MAX_SCOPE_RELS];
    int npending;
} Scope;

/* Where an expression appears: decides whether aggregates are allowed. */
typedef struct BindCtx {
    Scope *sc;
    const char *clause; /* "WHERE", "GROUP BY", ... for messages */
    int allow_agg;
    int in_agg;    /* inside an aggregate's arguments */
    int windowed;  /* _WINDOW_START/_WINDOW_END available */
    PtrVec *aggs;  /* collected aggregate calls (Expr*) */
    Scope *outer;  /* enclosing query's scope inside EXISTS (correlation) */
    PtrVec *wins;  /* collected analytic calls (OVER), NULL where not allowed */
    int grouped;   /* binding for a query with GROUP BY or aggregates: no scalar subquery */
    PtrVec *defer; /* BdDeferred*: scalar subqueries of a grouped query, joined above its aggregate */
} BindCtx;

/* Expr.rel_index of a column of the enclosing query, and of the columns a
 * scalar subquery's value reads once joined: below the aggregate (in its
 * input's layout) or above it (already in its output layout). Both are
 * bound: binding the expression again (GROUP BY 1 shares the select item's)
 * leaves them as they are. */
enum { BD_OUTER_REF = -7, BD_SUBQ_BELOW = -8, BD_SUBQ_READY = -9 };

static int bd_expr(Binder *b, BindCtx *cx, Expr *e);

void bd_init(Binder *b, Arena *a, Diag *d, Catalog *cat, Job *job)
{
    memset(b, 0, sizeof *b);
    b->a = a;
    b->d = d;
    b->cat = cat;
    b->job = job;
}

static const char *bd_tn(Binder *b, TypeSpec t)
{
    return ty_name(b->a, t);
}

/* ---- scope ------------------------------------------------------------- */

static const char *bd_suggest_column(Binder *b, Scope *sc, const char *name)
{
    int n = sc->input ? sc->input->ncols : 0;
    const char **cands = ar_alloc(b->a, sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) cands[i] = sc->input->cols[i].name;
    return diag_suggest(name, cands, n);
}

static int bd_is_window_col(const char *name, int *which)
{
    if (strcasecmp(name, "_WINDOW_START") == 0 || strcasecmp(name, "TUMBLE_START") == 0) {
        *which = -2;
        return 1;
    }
    if (strcasecmp(name, "_WINDOW_END") == 0 || strcasecmp(name, "TUMBLE_END") == 0) {
        *which = -3;
        return 1;
    }
    return 0;
}

/* Index of column e in scope, -1 if absent, -2 if ambiguous. */
static int bd_lookup(Scope *sc, Expr *e)
{
    int found = -1;
    for (int r = 0; r < sc->nrels; r++) {
        ScopeRel *sr = &sc->rels[r];
        if (e->qual && strcasecmp(e->qual, sr->name) != 0) continue;
        for (int i = 0; i < sr->ncols; i++) {
            if (strcasecmp(sc->input->cols[sr->base + i].name, e->sval) != 0) continue;
            if (found >= 0) return -2;
            found = sr->base + i;
        }
    }
    return found;
}

static int bd_column(Binder *b, BindCtx *cx, Expr *e)
{
    Scope *sc = cx->sc;
    if (e->rel_index == BD_SUBQ_BELOW || e->rel_index == BD_SUBQ_READY) return 0;
    int which = 0;
    if (!e->qual && bd_is_window_col(e->sval, &which)) {
        if (!cx->windowed) {
            diag_error(b->d, e->pos, NULL, "'%s' is only available in a query with a WINDOW clause", e->sval);
            return -1;
        }
        e->col_index = which;
        e->type = ty_make(VT_TIMESTAMP);
        return 0;
    }
    if (!sc || !sc->input) {
        diag_error(b->d, e->pos, NULL, "column '%s' used without a FROM clause", e->sval);
        return -1;
    }
    int found = bd_lookup(sc, e);
    if (found == -2) {
        diag_error(b->d, e->pos, NULL, "column reference '%s' is ambiguous", e->sval);
        return -1;
    }
    if (found < 0 && cx->outer) {
        int of = bd_lookup(cx->outer, e);
        if (of >= 0) {
            /* a correlated reference: the decorrelation (bd_exists, bd_corr_where) turns it into a join key */
            e->col_index = of;
            e->rel_index = BD_OUTER_REF;
            e->type = cx->outer->input->cols[of].type;
            e->nullable = cx->outer->input->cols[of].nullable;
            return 0;
        }
    }
    if (found < 0) {
        for (int k = 0; k < b->enclosing.n; k++)
            if (bd_lookup(b->enclosing.v[k], e) >= 0) {
                diag_error(b->d, e->pos, NULL,
                           "'%s' belongs to an enclosing query: a correlated subquery may refer to the query just "
                           "around it only in its WHERE",
                           e->sval);
                return -1;
            }
        if (e->qual) {
            int known = 0;
            for (int r = 0; r < sc->nrels; r++) known |= strcasecmp(e->qual, sc->rels[r].name) == 0;
            if (!known) {
                const char *cands[MAX_SCOPE_RELS];
                for (int r = 0; r < sc->nrels; r++) cands[r] = sc->rels[r].name;
                diag_error(b->d, e->pos, diag_suggest(e->qual, cands, sc->nrels), "unknown table '%s'", e->qual);
                return -1;
            }
        }
        diag_error(b->d, e->pos, bd_suggest_column(b, sc, e->sval), "unknown column '%s'", e->sval);
        return -1;
    }
    e->col_index = found;
    e->type = sc->input->cols[found].type;
    e->nullable = sc->input->cols[found].nullable;
    return 0;
}

/* ---- literals and coercions -------------------------------------------- */

static int dec_digits(int64_t v)
{
    int d = 1;
    if (v < 0) v = v == INT64_MIN ? INT64_MAX : -v;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static void bd_literal(Expr *e)
{
    switch (e->kind) {
    case E_LIT_NULL:
        e->type = ty_make(VT_NULL);
        e->nullable = 1;
        break;
    case E_LIT_BOOL: e->type = ty_make(VT_BOOL); break;
    case E_LIT_INT: e->type = ty_make(e->ival >= INT_MIN && e->ival <= INT_MAX ? VT_INT : VT_BIGINT); break;
    case E_LIT_DEC: {
        int d = dec_digits(e->ival);
        e->type = ty_decimal(d > e->scale ? d : e->scale + 1, e->scale);
        break;
    }
    case E_LIT_DOUBLE: e->type = ty_make(VT_DOUBLE); break;
    case E_LIT_STR: e->type = ty_make(VT_STRING); break;
    case E_LIT_TS: e->type = ty_make(VT_TIMESTAMP); break;
    case E_LIT_INTERVAL: e->type = ty_make(VT_INTERVAL); break;
    default: break;
    }
}

/* A string literal compared with (or passed as) a TIMESTAMP becomes a
 * TIMESTAMP literal at compile time. */
static int bd_coerce_ts_literal(Binder *b, Expr *e)
{
    if (e->kind != E_LIT_STR) return 0;
    i64 us;
    if (vt_parse(e->sval, (i64)e->slen, &us) != 0) {
        diag_error(b->d, e->pos, NULL, "invalid TIMESTAMP literal '%.*s'", (int)e->slen, e->sval);
        return -1;
    }
    e->kind = E_LIT_TS;
    e->ival = us;
    e->type = ty_make(VT_TIMESTAMP);
    return 0;
}

static int bd_need_bool(Binder *b, Expr *e, const char *what)
{
    if (e->type.tag == VT_BOOL || e->type.tag == VT_NULL) return 0;
    diag_error(b->d, e->pos, NULL, "%s must be BOOLEAN, not %s", what, bd_tn(b, e->type));
    return -1;
}

static const char *binop_text(int op)
{
    static const char *const t[] = {"+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR"};
    return op >= 0 && op <= OP_OR ? t[op] : "?";
}

/* Comparable types: a common type exists, or TIMESTAMP vs a string literal. */
static int bd_comparable(Binder *b, Expr *l, Expr *r, SrcPos pos, const char *what)
{
    if (l->type.tag == VT_TIMESTAMP && r->kind == E_LIT_STR) return bd_coerce_ts_literal(b, r);
    if (r->type.tag == VT_TIMESTAMP && l->kind == E_LIT_STR) return bd_coerce_ts_literal(b, l);
    if (ty_common(l->type, r->type).tag != VT_NULL || l->type.tag == VT_NULL || r->type.tag == VT_NULL) return 0;
    diag_error(b->d, pos, NULL, "cannot compare %s with %s in %s", bd_tn(b, l->type), bd_tn(b, r->type), what);
    return -1;
}

static int bd_binary(Binder *b, BindCtx *cx, Expr *e)
{
    int rc = bd_expr(b, cx, e->left) | bd_expr(b, cx, e->right);
    if (rc) return -1;
    Expr *l = e->left, *r = e->right;
    e->nullable = l->nullable || r->nullable;
    switch (e->op) {
    case OP_AND:
    case OP_OR: e->type = ty_make(VT_BOOL); return bd_need_bool(b, l, "operand of AND/OR") | bd_need_bool(b, r, "operand of AND/OR");
    case OP_CONCAT: e->type = ty_make(VT_STRING); return 0;
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: e->type = ty_make(VT_BOOL); return bd_comparable(b, l, r, e->pos, "comparison");
    default: {
        if (l->type.tag == VT_NULL && r->type.tag == VT_NULL) {
            e->type = ty_make(VT_INT);
            return 0;
        }
        TypeSpec t = ty_arith(e->op, l->type, r->type);
        if (t.tag == VT_NULL) {
            diag_error(b->d, e->pos, NULL, "operator '%s' cannot be applied to %s and %s", binop_text(e->op), bd_tn(b, l->type),
                       bd_tn(b, r->type));
            return -1;
        }
        e->type = t;
        return 0;
    }
    }
}

/* ---- functions and aggregates ------------------------------------------ */

static int bd_param_ok(Binder *b, Expr *arg, char cls)
{
    TypeSpec t = arg->type;
    if (t.tag == VT_NULL) return 1;
    switch (cls) {
    case 'd':
    case 'n': return ty_is_numeric(t);
    case 'i': return ty_is_numeric(t);
    case 's':
    case 'u': return t.tag == VT_STRING;
    case 't': return t.tag == VT_TIMESTAMP || (arg->kind == E_LIT_STR && bd_coerce_ts_literal(b, arg) == 0);
    case 'b': return t.tag == VT_BOOL;
    default: return 1;
    }
}

static const char *param_class_name(char c)
{
    switch (c) {
    case 'd':
    case 'n':
    case 'i': return "a numeric";
    case 's':
    case 'u': return "a STRING";
    case 't': return "a TIMESTAMP";
    case 'b': return "a BOOLEAN";
    default: return "any";
    }
}

static TypeSpec bd_common_args(Binder *b, Expr *e, int from, int *ok)
{
    TypeSpec t = ty_make(VT_NULL);
    for (int i = from; i < e->args.n; i++) {
        Expr *a = e->args.v[i];
        TypeSpec n = ty_common(t, a->type);
        if (n.tag == VT_NULL && a->type.tag != VT_NULL && t.tag != VT_NULL) {
            diag_error(b->d, a->pos, NULL, "%s: arguments of types %s and %s have no common type", e->sval, bd_tn(b, t), bd_tn(b, a->type));
            *ok = 0;
            return t;
        }
        if (a->type.tag != VT_NULL) t = n;
    }
    return t;
}

static const int64_t *bd_int_literal(Expr *e)
{
    if (e->kind == E_LIT_INT) return &e->ival;
    if (e->kind == E_UNARY && e->op == '-' && e->left->kind == E_LIT_INT) {
        e->kind = E_LIT_INT;
        e->ival = -e->left->ival;
        e->left = NULL;
        return &e->ival;
    }
    return NULL;
}

static int bd_unit(Binder *b, Expr *arg, int64_t *field)
{
    static const char *const names[] = {"year", "quarter", "month",  "week",        "day",         "dow",  "doy",
                                        "hour", "minute",  "second", "millisecond", "microsecond", "epoch"};
    if (arg->kind == E_LIT_STR) {
        for (int i = 0; i < 13; i++)
            if (strlen(names[i]) == arg->slen && strncasecmp(names[i], arg->sval, arg->slen) == 0) {
                *field = i;
                return 0;
            }
    }
    diag_error(b->d, arg->pos, arg->kind == E_LIT_STR ? diag_suggest(ar_strndup(b->a, arg->sval, arg->slen), names, 13) : NULL,
               "expected a time unit literal such as 'hour' or 'day'");
    return -1;
}

static int bd_special_type(Binder *b, Expr *e, const FuncDef *f)
{
    Expr *a0 = e->args.n > 0 ? e->args.v[0] : NULL;
    int ok = 1;
    switch (f->id) {
    case F_ROUND:
    case F_TRUNC:
        e->type = a0->type;
        if (a0->type.tag == VT_DECIMAL) {
            int64_t d = 0;
            if (e->args.n > 1) {
                const int64_t *lit = bd_int_literal(e->args.v[1]);
                if (!lit) {
                    diag_error(b->d, ((Expr *)e->args.v[1])->pos, NULL, "%s of a DECIMAL needs a constant number of digits", f->name);
                    return -1;
                }
                d = *lit;
            }
            int s = d < 0 ? 0 : d > a0->type.scale ? a0->type.scale : (int)d;
            e->type = ty_decimal(a0->type.prec, s);
        }
        if (a0->type.tag == VT_NULL) e->type = ty_make(VT_DOUBLE);
        return 0;
    case F_FLOOR:
    case F_CEIL:
        e->type = a0->type.tag == VT_DECIMAL ? ty_decimal(a0->type.prec, 0) : a0->type;
        if (a0->type.tag == VT_NULL) e->type = ty_make(VT_DOUBLE);
        return 0;
    case F_ABS: e->type = a0->type.tag == VT_NULL ? ty_make(VT_INT) : a0->type; return 0;
    case F_SIGN: e->type = ty_make(VT_INT); return 0;
    case F_MOD: e->type = ty_arith(OP_MOD, a0->type, ((Expr *)e->args.v[1])->type); return 0;
    case F_COALESCE:
    case F_GREATEST:
    case F_LEAST:
    case F_IFNULL:
        e->type = bd_common_args(b, e, 0, &ok);
        if (f->id == F_COALESCE || f->id == F_IFNULL) {
            e->nullable = 1;
            for (int i = 0; i < e->args.n; i++) e->nullable &= ((Expr *)e->args.v[i])->nullable;
        }
        return ok ? 0 : -1;
    case F_IF: e->type = bd_common_args(b, e, 1, &ok); return ok ? 0 : -1;
    case F_NULLIF:
        e->type = a0->type;
        e->nullable = 1;
        return bd_comparable(b, a0, e->args.v[1], e->pos, "NULLIF");
    case F_DATE_TRUNC: e->type = ty_make(VT_TIMESTAMP); return bd_unit(b, a0, &e->ival);
    case F_EXTRACT_PART: {
        static const struct {
            const char *n;
            int f;
        } parts[] = {{"YEAR", VT_F_YEAR},     {"MONTH", VT_F_MONTH},   {"DAY", VT_F_DAY},       {"HOUR", VT_F_HOUR},
                     {"MINUTE", VT_F_MINUTE}, {"SECOND", VT_F_SECOND}, {"DAYOFWEEK", VT_F_DOW}, {"DAYOFYEAR", VT_F_DOY}};
        for (int i = 0; i < 8; i++)
            if (strcasecmp(parts[i].n, f->name) == 0) e->ival = parts[i].f;
        e->type = ty_make(VT_BIGINT);
        return 0;
    }
    case F_TO_TIMESTAMP:
        if (a0->type.tag != VT_STRING && !ty_is_numeric(a0->type) && a0->type.tag != VT_NULL) {
            diag_error(b->d, a0->pos, NULL, "TO_TIMESTAMP expects epoch seconds or ISO-8601 text, not %s", bd_tn(b, a0->type));
            return -1;
        }
        e->type = ty_make(VT_TIMESTAMP);
        return 0;
    case F_JSON_VALUE:
    case F_REGEXP_EXTRACT:
        e->type = ty_make(VT_STRING);
        e->nullable = 1;
        return 0;
    default: e->type = ty_make(f->ret); return 0;
    }
}

static int bd_agg_type(Binder *b, Expr *e, const FuncDef *f)
{
    Expr *a0 = e->args.n ? e->args.v[0] : NULL;
    e->nullable = 1;
    switch (f->id) {
    case A_COUNT:
    case A_COUNT_STAR:
    case A_COUNT_DISTINCT:
        e->type = ty_make(VT_BIGINT);
        e->nullable = 0;
        return 0;
    case A_SUM:
        if (a0->type.tag == VT_DECIMAL) e->type = ty_decimal(18, a0->type.scale);
        else if (a0->type.tag == VT_DOUBLE) e->type = a0->type;
        else e->type = ty_make(VT_BIGINT);
        return 0;
    case A_AVG:
        if (a0->type.tag == VT_DECIMAL) e->type = ty_decimal(18, a0->type.scale > 6 ? a0->type.scale : 6);
        else e->type = ty_make(VT_DOUBLE);
        return 0;
    case A_MIN:
    case A_MAX:
    case A_FIRST_VALUE:
    case A_LAST_VALUE: e->type = a0->type.tag == VT_NULL ? ty_make(VT_INT) : a0->type; return 0;
    case A_APPROX_COUNT_DISTINCT:
        e->type = ty_make(VT_BIGINT);
        e->nullable = 0;
        return 0;
    case A_PERCENTILE_CONT:
    case A_PERCENTILE_DISC: {
        Expr *p = e->args.v[1];
        double v = p->kind == E_LIT_DEC      ? vd_to_f64(p->ival, p->scale)
                   : p->kind == E_LIT_DOUBLE ? p->dval
                   : p->kind == E_LIT_INT    ? (double)p->ival
                                             : -1;
        if (!(p->kind == E_LIT_DEC || p->kind == E_LIT_DOUBLE || p->kind == E_LIT_INT) || v < 0 || v > 1) {
            diag_error(b->d, p->pos, NULL, "the percentile of %s must be a constant between 0 and 1", f->name);
            return -1;
        }
        e->type = ty_make(VT_DOUBLE);
        return 0;
    }
    case A_STRING_AGG: {
        Expr *sep = e->args.v[1];
        if (sep->kind != E_LIT_STR) {
            diag_error(b->d, sep->pos, NULL, "the separator of %s must be a string literal", f->name);
            return -1;
        }
        e->type = ty_make(VT_STRING);
        return 0;
    }
    default: e->type = ty_make(VT_DOUBLE); return 0;
    }
}

/* An analytic call f(...) OVER (PARTITION BY ... ORDER BY ... [frame]). */
static int bd_over(Binder *b, BindCtx *cx, Expr *e, const FuncDef *f)
{
    if (!cx->wins || cx->in_agg) {
        diag_error(b->d, e->pos, NULL, "window functions (OVER) are not allowed in %s", cx->in_agg ? "an aggregate" : cx->clause);
        return -1;
    }
    static const int over_aggs[] = {A_COUNT,      A_SUM,      A_AVG,     A_MIN,         A_MAX,       A_STDDEV_SAMP,
                                    A_STDDEV_POP, A_VAR_SAMP, A_VAR_POP, A_FIRST_VALUE, A_LAST_VALUE};
    int ok = f->kind == FN_ANALYTIC;
    for (size_t i = 0; i < sizeof over_aggs / sizeof over_aggs[0]; i++) ok |= f->kind == FN_AGG && (int)f->id == over_aggs[i];
    if (!ok || e->distinct) {
        diag_error(b->d, e->pos, NULL, "%s%s cannot be used with OVER", e->distinct ? "DISTINCT in " : "", f->name);
        return -1;
    }
    int star = e->args.n == 1 && ((Expr *)e->args.v[0])->kind == E_STAR;
    if (e->args.n < f->min_args || (f->max_args >= 0 && e->args.n > f->max_args)) {
        diag_error(b->d, e->pos, NULL, "function %s takes %d to %d arguments, got %d", f->name, f->min_args, f->max_args, e->args.n);
        return -1;
    }
    PtrVec *save = cx->wins;
    cx->wins = NULL; /* no window function inside another */
    int rc = 0;
    for (int i = 0; i < e->args.n && !star; i++) rc |= bd_expr(b, cx, e->args.v[i]);
    for (int i = 0; i < e->partition_by.n; i++) rc |= bd_expr(b, cx, e->partition_by.v[i]);
    for (int i = 0; i < e->over_order.n; i++) rc |= bd_expr(b, cx, ((OrderItem *)e->over_order.v[i])->expr);
    cx->wins = save;
    if (rc) return -1;
    e->fn = f;
    if ((f->id == W_NTILE || f->id == W_LAG || f->id == W_LEAD) && e->args.n > (f->id == W_NTILE ? 0 : 1)) {
        Expr *n = e->args.v[f->id == W_NTILE ? 0 : 1];
        if (!bd_int_literal(n) || n->ival < (f->id == W_NTILE)) {
            diag_error(b->d, n->pos, NULL, "%s needs a constant %s", f->name, f->id == W_NTILE ? "positive bucket count" : "offset");
            return -1;
        }
    }
    if (e->frame == FRAME_RANGE && e->frame_n >= 0 &&
        (e->over_order.n != 1 || !(ty_is_numeric(((OrderItem *)e->over_order.v[0])->expr->type) ||
                                   ((OrderItem *)e->over_order.v[0])->expr->type.tag == VT_TIMESTAMP))) {
        diag_error(b->d, e->pos, NULL, "a RANGE frame with an offset needs one numeric or TIMESTAMP ORDER BY key");
        return -1;
    }
    if (f->kind == FN_AGG) {
        if (star) e->ival = A_COUNT_STAR;
        for (int i = 0; i < e->args.n && !star; i++)
            if (!bd_param_ok(b, e->args.v[i], f->params[0])) {
                diag_error(b->d, ((Expr *)e->args.v[i])->pos, NULL, "function %s expects %s argument, got %s", f->name,
                           param_class_name(f->params[0]), bd_tn(b, ((Expr *)e->args.v[i])->type));
                return -1;
            }
        if (bd_agg_type(b, e, f)) return -1;
        if (e->ival == A_COUNT_STAR || f->id == A_COUNT) e->nullable = 0;
    } else {
        Expr *a0 = e->args.n ? e->args.v[0] : NULL;
        e->type = f->ret == RET_ARG0 ? a0->type : ty_make(f->ret);
        e->nullable = f->id == W_LAG || f->id == W_LEAD;
        if ((f->id == W_LAG || f->id == W_LEAD) && e->args.n == 3 && bd_comparable(b, a0, e->args.v[2], e->pos, f->name)) return -1;
    }
    pv_push(b->a, cx->wins, e);
    return 0;
}

/* The source position of byte k of string literal p: the caret of an error
 * found inside it. Doubled quotes count as one byte; the literal's start when
 * its text is not the plain quoted form. */
static SrcPos bd_literal_byte(const Binder *b, const Expr *p, size_t k)
{
    SrcPos at = p->pos;
    const char *t = b->d->text;
    size_t i = (size_t)p->pos.off;
    if (!t || p->pos.off < 0 || i >= b->d->len || t[i] != '\'') return p->pos;
    i++;
    for (size_t j = 0; j < k; j++, i++) {
        if (i >= b->d->len || t[i] == '\n' || t[i] != p->sval[j]) return p->pos;
        if (t[i] == '\'') i++; /* '' */
    }
    at.off = (int)i;
    at.col += (int)(i - (size_t)p->pos.off);
    return at;
}

/* A constant pattern of a REGEXP_ function is compiled here, so that a
 * typo in it is a compile error with a caret, not a failure of every
 * record at run time. */
static int bd_regex_literal(Binder *b, const FuncDef *f, Expr *e)
{
    Expr *p = e->args.n > 1 ? e->args.v[1] : NULL;
    char msg[160];
    i64 off = 0;
    if (strncmp(f->name, "REGEXP_", 7) != 0 || !p || p->kind != E_LIT_STR) return 0;
    if (vf_regex_check(p->sval, (i64)p->slen, msg, sizeof msg, &off) == 0) return 0;
    if (off < 0 || (size_t)off > p->slen) off = 0;
    diag_error(b->d, bd_literal_byte(b, p, (size_t)off), NULL, "invalid regular expression: %s (%s takes PCRE2 syntax, as Perl or Java)",
               msg, f->name);
    return -1;
}

static int bd_func(Binder *b, BindCtx *cx, Expr *e)
{
    const FuncDef *f = fn_lookup(e->sval);
    if (!f) {
        int which = 0;
        if ((strcasecmp(e->sval, "TUMBLE_START") == 0 || strcasecmp(e->sval, "TUMBLE_END") == 0) && cx->windowed) {
            e->kind = E_COLUMN;
            e->sval = e->sval[7] == 'S' || e->sval[7] == 's' ? "_WINDOW_START" : "_WINDOW_END";
            e->args.n = 0;
            bd_is_window_col(e->sval, &which);
            e->col_index = which;
            e->type = ty_make(VT_TIMESTAMP);
            return 0;
        }
        diag_error(b->d, e->pos, fn_suggest(e->sval), "unknown function '%s'", e->sval);
        return -1;
    }
    if (e->has_over) return bd_over(b, cx, e, f);
    if (f->kind == FN_ANALYTIC) {
        diag_error(b->d, e->pos, NULL, "%s needs an OVER (...) clause", f->name);
        return -1;
    }
    int is_agg = f->kind == FN_AGG;
    if (is_agg) {
        if (cx->in_agg) {
            diag_error(b->d, e->pos, NULL, "aggregate function calls cannot be nested");
            return -1;
        }
        if (!cx->allow_agg) {
            diag_error(b->d, e->pos, NULL, "aggregate functions are not allowed in %s", cx->clause);
            return -1;
        }
    }
    int star = e->args.n == 1 && ((Expr *)e->args.v[0])->kind == E_STAR;
    if (star && f->id != A_COUNT) {
        diag_error(b->d, e->pos, NULL, "'*' is only allowed in COUNT(*)");
        return -1;
    }
    if (e->args.n < f->min_args || (f->max_args >= 0 && e->args.n > f->max_args)) {
        if (f->min_args == f->max_args)
            diag_error(b->d, e->pos, NULL, "function %s takes %d argument%s, got %d", f->name, f->min_args, f->min_args == 1 ? "" : "s",
                       e->args.n);
        else
            diag_error(b->d, e->pos, NULL, "function %s takes %d to %d arguments, got %d", f->name, f->min_args,
                       f->max_args < 0 ? 99 : f->max_args, e->args.n);
        return -1;
    }
    e->fn = f;
    int save = cx->in_agg;
    cx->in_agg |= is_agg;
    int rc = 0;
    if (!star)
        for (int i = 0; i < e->args.n; i++) rc |= bd_expr(b, cx, e->args.v[i]);
    cx->in_agg = save;
    if (rc) return -1;
    int np = (int)strlen(f->params);
    for (int i = 0; i < e->args.n && !star && np; i++) {
        char cls = f->params[i < np ? i : np - 1];
        Expr *a = e->args.v[i];
        if (!bd_param_ok(b, a, cls)) {
            diag_error(b->d, a->pos, NULL, "function %s expects %s argument %d, got %s", f->name, param_class_name(cls), i + 1,
                       bd_tn(b, a->type));
            return -1;
        }
        e->nullable |= a->nullable;
    }
    if (is_agg) {
        if (star) e->ival = A_COUNT_STAR;
        if (e->distinct && f->id == A_COUNT) e->fn = f = fn_lookup("COUNT_DISTINCT");
        if (e->distinct && f->id != A_COUNT_DISTINCT) {
            diag_error(b->d, e->pos, NULL, "DISTINCT is only supported in COUNT(DISTINCT x)");
            return -1;
        }
        if (bd_agg_type(b, e, f) != 0) return -1;
        pv_push(b->a, cx->aggs, e);
        return 0;
    }
    if (bd_regex_literal(b, f, e)) return -1;
    if (f->kind == FN_SPECIAL) return bd_special_type(b, e, f);
    e->type = ty_make(f->ret);
    return 0;
}

/* ---- other expressions ------------------------------------------------- */

static int bd_case(Binder *b, BindCtx *cx, Expr *e)
{
    int rc = 0;
    if (e->left) rc |= bd_expr(b, cx, e->left);
    for (int i = 0; i < e->args.n; i++) rc |= bd_expr(b, cx, e->args.v[i]);
    if (e->else_) rc |= bd_expr(b, cx, e->else_);
    if (rc) return -1;
    TypeSpec t = ty_make(VT_NULL);
    e->nullable = e->else_ ? e->else_->nullable : 1;
    for (int i = 0; i + 1 < e->args.n; i += 2) {
        Expr *w = e->args.v[i], *th = e->args.v[i + 1];
        if (e->left) rc |= bd_comparable(b, e->left, w, w->pos, "CASE");
        else rc |= bd_need_bool(b, w, "WHEN condition");
        TypeSpec n = ty_common(t, th->type);
        if (n.tag == VT_NULL && th->type.tag != VT_NULL && t.tag != VT_NULL) {
            diag_error(b->d, th->pos, NULL, "CASE branches have incompatible types %s and %s", bd_tn(b, t), bd_tn(b, th->type));
            return -1;
        }
        if (th->type.tag != VT_NULL) t = n;
        e->nullable |= th->nullable;
    }
    if (e->else_) {
        TypeSpec n = ty_common(t, e->else_->type);
        if (n.tag == VT_NULL && e->else_->type.tag != VT_NULL && t.tag != VT_NULL) {
            diag_error(b->d, e->else_->pos, NULL, "CASE branches have incompatible types %s and %s", bd_tn(b, t), bd_tn(b, e->else_->type));
            return -1;
        }
        if (e->else_->type.tag != VT_NULL) t = n;
    }
    e->type = t.tag == VT_NULL ? ty_make(VT_INT) : t;
    return rc ? -1 : 0;
}

static Plan *bd_query(Binder *b, Query *q);
static Plan *bd_join(Binder *b, Plan *l, Plan *r, int kind, SrcPos pos);

/* A scalar subquery being bound: bd_scalar_subquery hands it to the
 * bd_select of the subquery, which fills in the correlation. Equalities of
 * the subquery's WHERE between its own columns and the enclosing query's
 * become group keys of the subquery and keys of the LEFT join that
 * replaces it (the standard decorrelation: aggregate per correlation value,
 * then join on it). */
typedef struct BdCorr {
    Scope *outer;      /* the enclosing query's scope */
    PtrVec keys_outer; /* Expr* over the enclosing query's input */
    PtrVec keys_inner; /* Expr* over the subquery's FROM */
    int grouped;       /* the subquery aggregates: one row per key value */
    Expr *item;        /* its select expression, bound before aggregation */
    /* IN (SELECT ...) only: other correlated conditions become the semi
     * join's residual, reading these subquery columns (output after keys) */
    int allow_resid;
    PtrVec resid;       /* Expr* bound over the outer query and the subquery's FROM */
    PtrVec outer_conds; /* scalar: conditions on the enclosing query alone, the LEFT join's ON */
    PtrVec resid_cols;  /* (void*)(intptr_t) subquery FROM columns the residual reads */
} BdCorr;

static Expr *bd_corr_empty(Binder *b, const Expr *e);
static Plan *bd_attach_subquery(Binder *b, Plan *in, Expr *e, Plan *sub, BdCorr *corr);
static void bd_inner_cols(Binder *b, const Expr *e, PtrVec *cols);
static int bd_null_on_empty(const Expr *e);

/* Join the decorrelated subquery sub (its value, then one column per
 * correlation key) to the enclosing input on the correlation keys. */
static void bd_corr_join(Binder *b, Plan *j, BdCorr *corr)
{
    Plan *sub = j->inputs.v[1];
    int nk = corr->keys_inner.n;
    j->njk = nk;
    j->jk_left = (Expr **)corr->keys_outer.v;
    j->jk_right = ar_alloc(b->a, sizeof(Expr *) * (size_t)nk);
    for (int i = 0; i < nk; i++) {
        PlanCol *c = &sub->cols[1 + i];
        j->jk_right[i] = ex_col(b->a, 1 + i, c->type, c->nullable, c->name, j->pos);
    }
    j->residual = ex_and_all(b->a, &corr->outer_conds, 0);
    /* grouped by the keys, the subquery has one row per key value; without
     * an aggregate the probe must find at most one match (codegen) */
    j->single_row = !corr->grouped;
    j->join_note = corr->grouped ? "decorrelated scalar subquery: aggregated per correlation key"
                                 : "decorrelated scalar subquery: at most one match per row";
}

/* The value of a decorrelated subquery as the enclosing query reads it: the
 * joined column, except where an empty group does not give NULL (COUNT is
 * 0 over no rows, COALESCE(MAX(x), 0) is 0): there an unmatched row (its
 * joined key is NULL, as a NULL key never matches) takes the select
 * expression evaluated over no rows. */
static void bd_corr_value(Binder *b, Expr *e, Plan *in, Plan *sub, BdCorr *corr)
{
    e->kind = E_COLUMN;
    e->col_index = in->ncols;
    if (!corr->grouped || bd_null_on_empty(corr->item)) return;
    Expr *val = ex_copy(b->a, e);
    Expr *unmatched = ex_new(b->a, E_IS_NULL, e->pos);
    PlanCol *k = &sub->cols[1];
    unmatched->left = ex_col(b->a, in->ncols + 1, k->type, 1, k->name, e->pos);
    unmatched->type = ty_make(VT_BOOL);
    Expr *empty = bd_corr_empty(b, corr->item);
    memset(&e->args, 0, sizeof e->args);
    pv_push(b->a, &e->args, unmatched);
    pv_push(b->a, &e->args, empty);
    e->kind = E_CASE;
    e->left = NULL;
    e->else_ = val;
}

/* The first source below p that never ends (Kafka, a followed file), or NULL. */
static const Relation *bd_unbounded_source(const Plan *p)
{
    if (p->kind == P_SCAN) return cat_unbounded(p->rel) ? p->rel : NULL;
    const Relation *r = p->child ? bd_unbounded_source(p->child) : NULL;
    for (int i = 0; !r && i < p->inputs.n; i++) r = bd_unbounded_source(p->inputs.v[i]);
    return r;
}

/* A scalar subquery of a query with GROUP BY or aggregates: its value is
 * joined above the aggregate, once the aggregate exists (bd_attach_deferred). */
typedef struct BdDeferred {
    Expr *e;
    Plan *sub;
    BdCorr corr;
} BdDeferred;

/* A scalar subquery: planned on its own and attached to the current input
 * by a LEFT join (no row gives NULL). Uncorrelated, the join has no keys
 * and fails the job if the subquery returns more than one row; correlated,
 * it joins on the correlation keys (BdCorr). The expression becomes a
 * reference to the appended column. */
static int bd_scalar_subquery(Binder *b, BindCtx *cx, Expr *e)
{
    const char *refuse = cx->in_agg    ? "a scalar subquery cannot be the argument of an aggregate"
                         : cx->grouped ? "a scalar subquery in ORDER BY of a query with GROUP BY or aggregates is not supported "
                                         "(select it and order by its name)"
                         : !cx->sc || !cx->sc->input ? "a scalar subquery is not supported here"
                                                     : NULL;
    if (refuse) {
        diag_error(b->d, e->pos, NULL, "%s", refuse);
        return -1;
    }
    PtrVec save = b->ctes;
    BdCorr corr;
    memset(&corr, 0, sizeof corr);
    corr.outer = cx->sc;
    if (e->subquery->selects.n == 1 && !e->subquery->ctes.n) b->corr = &corr;
    pv_push(b->a, &b->enclosing, cx->sc);
    Plan *sub = bd_query(b, e->subquery);
    b->enclosing.n--;
    b->corr = NULL;
    b->ctes = save;
    if (!sub) return -1;
    const Relation *endless = bd_unbounded_source(sub);
    if (endless) {
        /* its value would never be final: the join's build side never ends */
        diag_error(b->d, e->pos, NULL, "a scalar subquery must read bounded sources; '%s' never ends", endless->name);
        return -1;
    }
    int nk = corr.keys_inner.n;
    if (sub->ncols != 1 + nk) {
        diag_error(b->d, e->pos, NULL, "a scalar subquery must return one column, not %d", sub->ncols);
        return -1;
    }
    e->type = sub->cols[0].type.tag == VT_NULL ? ty_make(VT_STRING) : sub->cols[0].type;
    e->nullable = 1;
    e->sval = "(subquery)";
    e->slen = strlen(e->sval);
    if (cx->defer) {
        BdDeferred *d = ar_alloc(b->a, sizeof *d);
        d->e = e;
        d->sub = sub;
        d->corr = corr;
        pv_push(b->a, cx->defer, d);
        return 0;
    }
    cx->sc->input = bd_attach_subquery(b, cx->sc->input, e, sub, &corr);
    return 0;
}

static void bd_mark_subq(Expr *e, int mark)
{
    if (e->kind == E_COLUMN) e->rel_index = mark;
    if (e->left) bd_mark_subq(e->left, mark);
    for (int i = 0; i < e->args.n; i++) bd_mark_subq(e->args.v[i], mark);
    if (e->else_) bd_mark_subq(e->else_, mark);
}

/* Join the planned subquery sub to in and make e read its value. */
static Plan *bd_attach_subquery(Binder *b, Plan *in, Expr *e, Plan *sub, BdCorr *corr)
{
    Plan *j = bd_join(b, in, sub, 'L', e->pos);
    if (corr->keys_inner.n) {
        bd_corr_join(b, j, corr);
        bd_corr_value(b, e, in, sub, corr);
    } else {
        j->single_row = 1;
        e->kind = E_COLUMN;
        e->col_index = in->ncols;
    }
    bd_mark_subq(e, BD_SUBQ_BELOW); /* bd_attach_deferred re-marks what it joins above */
    return j;
}

static int bd_expr(Binder *b, BindCtx *cx, Expr *e)
{
    e->agg_index = -1;
    switch (e->kind) {
    case E_LIT_NULL:
    case E_LIT_BOOL:
    case E_LIT_INT:
    case E_LIT_DEC:
    case E_LIT_DOUBLE:
    case E_LIT_STR:
    case E_LIT_TS:
    case E_LIT_INTERVAL: bd_literal(e); return 0;
    case E_COLUMN: return bd_column(b, cx, e);
    case E_STAR: diag_error(b->d, e->pos, NULL, "'*' is not allowed here"); return -1;
    case E_UNARY:
        if (bd_expr(b, cx, e->left)) return -1;
        e->nullable = e->left->nullable;
        if (e->op == 'N') {
            e->type = ty_make(VT_BOOL);
            return bd_need_bool(b, e->left, "operand of NOT");
        }
        e->type = e->left->type;
        if (!ty_is_numeric(e->type) && e->type.tag != VT_INTERVAL && e->type.tag != VT_NULL) {
            diag_error(b->d, e->pos, NULL, "unary '%c' cannot be applied to %s", e->op, bd_tn(b, e->type));
            return -1;
        }
        if (e->type.tag == VT_NULL) e->type = ty_make(VT_INT);
        return 0;
    case E_BINARY: return bd_binary(b, cx, e);
    case E_FUNC: return bd_func(b, cx, e);
    case E_CASE: return bd_case(b, cx, e);
    case E_CAST:
        if (bd_expr(b, cx, e->left)) return -1;
        e->type = e->cast_to;
        e->nullable = e->left->nullable;
        if (!ty_castable(e->left->type, e->cast_to)) {
            diag_error(b->d, e->pos, NULL, "cannot cast %s to %s", bd_tn(b, e->left->type), bd_tn(b, e->cast_to));
            return -1;
        }
        return 0;
    case E_BETWEEN:
        if (bd_expr(b, cx, e->left) | bd_expr(b, cx, e->right) | bd_expr(b, cx, e->third)) return -1;
        e->type = ty_make(VT_BOOL);
        e->nullable = e->left->nullable || e->right->nullable || e->third->nullable;
        return bd_comparable(b, e->left, e->right, e->pos, "BETWEEN") | bd_comparable(b, e->left, e->third, e->pos, "BETWEEN");
    case E_IN_LIST: {
        int rc = bd_expr(b, cx, e->left);
        for (int i = 0; i < e->args.n; i++) rc |= bd_expr(b, cx, e->args.v[i]);
        if (rc) return -1;
        e->type = ty_make(VT_BOOL);
        e->nullable = e->left->nullable;
        for (int i = 0; i < e->args.n; i++) {
            Expr *x = e->args.v[i];
            e->nullable |= x->nullable;
            rc |= bd_comparable(b, e->left, x, x->pos, "IN list");
        }
        return rc;
    }
    case E_LIKE:
        if (bd_expr(b, cx, e->left) | bd_expr(b, cx, e->right)) return -1;
        if (e->third && bd_expr(b, cx, e->third)) return -1;
        e->type = ty_make(VT_BOOL);
        e->nullable = e->left->nullable || e->right->nullable;
        if ((e->left->type.tag != VT_STRING && e->left->type.tag != VT_NULL) ||
            (e->right->type.tag != VT_STRING && e->right->type.tag != VT_NULL)) {
            diag_error(b->d, e->pos, NULL, "LIKE needs STRING operands, got %s and %s", bd_tn(b, e->left->type), bd_tn(b, e->right->type));
            return -1;
        }
        if (e->third && (e->third->kind != E_LIT_STR || e->third->slen != 1)) {
            diag_error(b->d, e->third->pos, NULL, "ESCAPE must be a one-character string literal");
            return -1;
        }
        return 0;
    case E_IS_NULL:
        if (bd_expr(b, cx, e->left)) return -1;
        e->type = ty_make(VT_BOOL);
        return 0;
    case E_EXTRACT:
        if (bd_expr(b, cx, e->left)) return -1;
        if (e->left->kind == E_LIT_STR && bd_coerce_ts_literal(b, e->left)) return -1;
        if (e->left->type.tag != VT_TIMESTAMP && e->left->type.tag != VT_NULL) {
            diag_error(b->d, e->left->pos, NULL, "EXTRACT needs a TIMESTAMP, got %s", bd_tn(b, e->left->type));
            return -1;
        }
        e->type = ty_make(VT_BIGINT);
        e->nullable = e->left->nullable;
        return 0;
    case E_SUBQUERY: return bd_scalar_subquery(b, cx, e);
    case E_EXISTS:
    case E_IN_SUBQUERY:
        diag_error(b->d, e->pos, NULL, "%s is only supported as a condition of WHERE, joined to the others by AND",
                   e->kind == E_EXISTS ? "EXISTS (SELECT ...)" : "IN (SELECT ...)");
        return -1;
    }
    return -1;
}

/* ---- plans ------------------------------------------------------------- */

static Plan *bd_scan(Binder *b, Relation *r, SrcPos pos)
{
    Plan *p = pl_new(b->a, b->job, P_SCAN, NULL);
    p->rel = r;
    p->pos = pos;
    p->ncols = r->ncols;
    p->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)r->ncols);
    for (int i = 0; i < r->ncols; i++) {
        p->cols[i].name = r->cols[i].name;
        p->cols[i].type = r->cols[i].type;
        p->cols[i].nullable = 1;
        p->cols[i].hidden = r->cols[i].hidden;
        p->cols[i].partition = r->kind == REL_KAFKA_SOURCE && strcasecmp(r->cols[i].name, "_PARTITION") == 0;
    }
    p->needed = ar_alloc(b->a, (size_t)r->ncols + 1);
    p->est_rows = r->est_rows;
    p->est_source = r->rows_source;
    return p;
}

static Plan *bd_query(Binder *b, Query *q);
/* ---- interval joins of two unbounded inputs ------------------------------ */

/* A time term of an interval bound: a TIMESTAMP column, optionally plus or
 * minus an interval literal. */
typedef struct IvTerm {
    int col;
    int64_t off;
} IvTerm;

static int bd_iv_term(const Expr *e, IvTerm *t)
{
    if (e->kind == E_COLUMN && e->type.tag == VT_TIMESTAMP) {
        t->col = e->col_index;
        t->off = 0;
        return 1;
    }
    if (e->kind != E_BINARY || (e->op != OP_ADD && e->op != OP_SUB)) return 0;
    const Expr *c = e->left, *d = e->right;
    if (e->op == OP_ADD && c->kind == E_LIT_INTERVAL) {
        c = e->right;
        d = e->left;
    }
    if (d->kind != E_LIT_INTERVAL || !bd_iv_term(c, t)) return 0;
    t->off += e->op == OP_ADD ? d->ival : -d->ival;
    return 1;
}

typedef struct IvBound {
    int nl;         /* left input columns */
    int lcol, rcol; /* -1 until the first bound */
    int64_t lo, hi; /* right.ts - left.ts */
    int has_lo, has_hi;
} IvBound;

/* a op b over two time terms: records what it says about right - left. */
static void bd_iv_cmp(IvBound *iv, int op, IvTerm a, IvTerm b)
{
    int a_right = a.col >= iv->nl, b_right = b.col >= iv->nl;
    if (a_right == b_right) return;
    if (!a_right) { /* l + oa op r + ob  <=>  r - l (flipped op) oa - ob */
        IvTerm t = a;
        a = b;
        b = t;
        op = ex_cmp_swapped(op);
    }
    /* r + oa op l + ob  <=>  r - l op ob - oa */
    int lcol = b.col, rcol = a.col - iv->nl;
    if (iv->lcol >= 0 && (iv->lcol != lcol || iv->rcol != rcol)) return; /* other columns: residual only */
    int64_t v = b.off - a.off;
    int lower = op == OP_GT || op == OP_GE || op == OP_EQ, upper = op == OP_LT || op == OP_LE || op == OP_EQ;
    if (!lower && !upper) return;
    iv->lcol = lcol;
    iv->rcol = rcol;
    if (lower && (!iv->has_lo || v > iv->lo)) iv->lo = v;
    if (upper && (!iv->has_hi || v < iv->hi)) iv->hi = v;
    iv->has_lo |= lower;
    iv->has_hi |= upper;
}

static void bd_iv_conjunct(IvBound *iv, const Expr *c)
{
    IvTerm x, y, z;
    if (c->kind == E_BETWEEN && !c->negated && bd_iv_term(c->left, &x) && bd_iv_term(c->right, &y) && bd_iv_term(c->third, &z)) {
        bd_iv_cmp(iv, OP_GE, x, y);
        bd_iv_cmp(iv, OP_LE, x, z);
    } else if (c->kind == E_BINARY && bd_iv_term(c->left, &x) && bd_iv_term(c->right, &y)) {
        bd_iv_cmp(iv, c->op, x, y);
    }
}

/* Whether p reads one source through filters and projections only: the
 * interval join drives each input's scan itself. */
static int bd_single_scan(const Plan *p)
{
    while (p->kind == P_FILTER || p->kind == P_PROJECT) p = p->child;
    return p->kind == P_SCAN;
}

/* Both inputs of join j never end: it becomes an interval join if its
 * conditions bound the distance of the two inputs' times. where: WHERE
 * conjuncts over j's columns, or NULL; an inner (or comma) join may have
 * its bound there, since WHERE filters its matches just as ON does. */
static int bd_interval(Binder *b, Plan *j, SrcPos pos, const PtrVec *where)
{
    static const char *const fix = "bound their times in ON (b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + "
                                   "INTERVAL '5' SECOND) or with JOIN ... WITHIN 10s, or make one side a bounded source";
    Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    if (!bd_single_scan(L) || !bd_single_scan(R)) {
        diag_error(b->d, pos, NULL,
                   "an interval join of two unbounded streams must read each side from one source (through filters and "
                   "projections), not from another join or an aggregate");
        return -1;
    }
    IvBound iv = {L->ncols, -1, -1, 0, 0, 0, 0};
    PtrVec conj = {0};
    if (j->residual) ex_conjuncts(b->a, j->residual, &conj);
    int inner = j->join_kind == 'I' || j->join_kind == 'C';
    for (int i = 0; inner && where && i < where->n; i++) {
        int lo = -1, hi = -1;
        ex_col_range(where->v[i], &lo, &hi);
        if (lo >= 0 && hi < j->ncols) pv_push(b->a, &conj, where->v[i]);
    }
    for (int i = 0; i < conj.n; i++) bd_iv_conjunct(&iv, conj.v[i]);
    if (!iv.has_lo || !iv.has_hi) {
        diag_error(b->d, pos, NULL, "joining two unbounded streams needs %s on the distance of their times: %s",
                   iv.has_lo   ? "an upper bound"
                   : iv.has_hi ? "a lower bound"
                               : "a lower and an upper bound",
                   fix);
        return -1;
    }
    if (iv.lo > iv.hi) {
        diag_error(b->d, pos, NULL, "the time bounds of this interval join are empty: no row can match");
        return -1;
    }
    if (j->join_kind == 'C') j->join_kind = 'I'; /* the bound in WHERE makes it a join */
    j->interval = 1;
    j->iv_lcol = iv.lcol;
    j->iv_rcol = iv.rcol;
    j->iv_lo = iv.lo;
    j->iv_hi = iv.hi;
    return 0;
}

/* The stream-stream joins of FROM that wait for WHERE (bd_from defers
 * them when the query has one): decided now, with its conjuncts. */
static int bd_interval_pending(Binder *b, Scope *sc, Expr *where)
{
    PtrVec conj = {0};
    if (where) ex_conjuncts(b->a, where, &conj);
    int rc = 0;
    for (int i = 0; i < sc->npending; i++)
        if (bd_interval(b, sc->pending[i], sc->pending_pos[i], &conj) != 0) rc = -1;
    sc->npending = 0;
    return rc;
}

static Plan *bd_from(Binder *b, Select *s, Scope *sc);
static Plan *bd_semi(Binder *b, Plan *l, Plan *r, int anti, SrcPos pos);

static void bd_corr_in(Binder *b, Plan *j, Expr *c, Expr *r, BdCorr *corr);

/* x [NOT] IN (SELECT y ...): a semi join on x = y, NOT IN a null-aware anti
 * join. A correlated subquery (BdCorr) joins on its correlation keys too. */
static void bd_in_subquery(Binder *b, Scope *sc, Expr *c)
{
    PtrVec none = {0};
    BindCtx cx = {sc, "WHERE", 0, 0, 0, &none, NULL, NULL, 0, NULL};
    if (bd_expr(b, &cx, c->left)) return;
    PtrVec save = b->ctes;
    BdCorr corr;
    memset(&corr, 0, sizeof corr);
    corr.outer = sc;
    corr.allow_resid = 1;
    if (c->subquery->selects.n == 1 && !c->subquery->ctes.n) b->corr = &corr;
    pv_push(b->a, &b->enclosing, sc);
    Plan *sub = bd_query(b, c->subquery);
    b->enclosing.n--;
    b->corr = NULL;
    b->ctes = save;
    if (!sub) return;
    if (sub->ncols != 1 + corr.keys_inner.n + corr.resid_cols.n) {
        diag_error(b->d, c->pos, NULL, "the subquery of IN must return one column, not %d", sub->ncols);
        return;
    }
    Expr *r = ex_col(b->a, 0, sub->cols[0].type, sub->cols[0].nullable, sub->cols[0].name, c->pos);
    if (bd_comparable(b, c->left, r, c->pos, "IN (SELECT ...)")) return;
    Plan *j = bd_semi(b, sc->input, sub, c->negated, c->pos);
    if (corr.keys_inner.n || corr.resid.n) {
        bd_corr_in(b, j, c, r, &corr);
        sc->input = j;
        return;
    }
    j->anti_null_aware = c->negated;
    j->njk = 1;
    j->jk_left = ar_alloc(b->a, sizeof(Expr *));
    j->jk_right = ar_alloc(b->a, sizeof(Expr *));
    j->jk_left[0] = c->left;
    j->jk_right[0] = r;
    sc->input = j;
}

static int bd_refs_outer(const Expr *e)
{
    if (e->kind == E_COLUMN && e->rel_index == BD_OUTER_REF) return 1;
    if ((e->left && bd_refs_outer(e->left)) || (e->right && bd_refs_outer(e->right)) || (e->third && bd_refs_outer(e->third)) ||
        (e->else_ && bd_refs_outer(e->else_)))
        return 1;
    for (int i = 0; i < e->args.n; i++)
        if (bd_refs_outer(e->args.v[i])) return 1;
    return 0;
}

static int bd_refs_inner(const Expr *e)
{
    if (e->kind == E_COLUMN && e->col_index >= 0 && e->rel_index != BD_OUTER_REF) return 1;
    if ((e->left && bd_refs_inner(e->left)) || (e->right && bd_refs_inner(e->right)) || (e->third && bd_refs_inner(e->third)) ||
        (e->else_ && bd_refs_inner(e->else_)))
        return 1;
    for (int i = 0; i < e->args.n; i++)
        if (bd_refs_inner(e->args.v[i])) return 1;
    return 0;
}

/* A copy of correlated condition e with outer columns as they are (in the
 * join, the outer input comes first) and inner column i moved to map[i]. */
static Expr *bd_corr_map(Binder *b, const Expr *e, const int *map)
{
    Expr *c = ex_copy(b->a, e);
    if (c->kind == E_COLUMN && c->col_index >= 0) {
        if (c->rel_index == BD_OUTER_REF) c->rel_index = -1;
        else c->col_index = map[c->col_index];
        return c;
    }
    if (c->left) c->left = bd_corr_map(b, c->left, map);
    if (c->right) c->right = bd_corr_map(b, c->right, map);
    if (c->third) c->third = bd_corr_map(b, c->third, map);
    if (c->else_) c->else_ = bd_corr_map(b, c->else_, map);
    if (e->args.n) {
        c->args.v = ar_alloc(b->a, sizeof(void *) * (size_t)e->args.n);
        for (int i = 0; i < e->args.n; i++) c->args.v[i] = bd_corr_map(b, e->args.v[i], map);
    }
    return c;
}

/* Columns of a correlated condition in the semi join's layout: outer
 * columns first (as they are), inner ones after them. */
static Expr *bd_corr_layout(Binder *b, const Expr *e, int nouter, int ninner)
{
    int *map = ar_alloc(b->a, sizeof(int) * (size_t)(ninner + 1));
    for (int i = 0; i < ninner; i++) map[i] = nouter + i;
    return bd_corr_map(b, e, map);
}

static void bd_exists(Binder *b, Scope *sc, Expr *c)
{
    Query *q = c->subquery;
    if (q->selects.n != 1 || q->ctes.n) {
        diag_error(b->d, c->pos, NULL, "EXISTS supports a single SELECT (no UNION or WITH) for now");
        return;
    }
    Select *s = q->selects.v[0];
    if (s->group_by.n || s->having || s->window.kind != WIN_NONE) {
        diag_error(b->d, c->pos, NULL, "EXISTS supports a subquery without GROUP BY, HAVING or WINDOW for now");
        return;
    }
    Scope inner;
    Plan *in = bd_from(b, s, &inner);
    if (!in || bd_interval_pending(b, &inner, NULL) != 0) return;
    PtrVec conj = {0}, local = {0}, keys_o = {0}, keys_i = {0}, resid = {0}, none = {0};
    if (s->where) ex_conjuncts(b->a, s->where, &conj);
    BindCtx cx = {&inner, "WHERE", 0, 0, 0, &none, sc, NULL, 0, NULL};
    int nouter = sc->input->ncols;
    for (int i = 0; i < conj.n; i++) {
        Expr *e = conj.v[i];
        if (bd_expr(b, &cx, e) || bd_need_bool(b, e, "WHERE condition")) return;
        if (!bd_refs_outer(e)) {
            pv_push(b->a, &local, e);
            continue;
        }
        if (e->kind == E_BINARY && e->op == OP_EQ) {
            Expr *l = e->left, *r = e->right;
            if (bd_refs_outer(l) && !bd_refs_inner(l) && bd_refs_inner(r) && !bd_refs_outer(r)) {
                Expr *t = l;
                l = r;
                r = t;
            }
            if (bd_refs_inner(l) && !bd_refs_outer(l) && bd_refs_outer(r) && !bd_refs_inner(r)) {
                pv_push(b->a, &keys_i, l);
                pv_push(b->a, &keys_o, bd_corr_layout(b, r, nouter, 0));
                continue;
            }
        }
        pv_push(b->a, &resid, bd_corr_layout(b, e, nouter, inner.input->ncols));
    }
    in = inner.input; /* a scalar subquery in the WHERE joined itself to the FROM */
    if (local.n) {
        Plan *f = pl_new(b->a, b->job, P_FILTER, in);
        f->pred = ex_and_all(b->a, &local, 0);
        f->ncols = in->ncols;
        f->cols = in->cols;
        in = f;
    }
    Plan *j = bd_semi(b, sc->input, in, c->negated, c->pos);
    j->njk = keys_o.n;
    j->jk_left = (Expr **)keys_o.v;
    j->jk_right = (Expr **)keys_i.v;
    j->residual = ex_and_all(b->a, &resid, 0);
    sc->input = j;
}

/* ---- correlated scalar subqueries (BdCorr) ------------------------------ */

/* Split the WHERE of a possibly correlated subquery: conjuncts that read
 * only its own columns stay (returned in *where), each equality between an
 * inner and an outer expression becomes a correlation key. Any other
 * condition on the enclosing query is the semi join's residual for IN, and
 * refused for a scalar subquery: it cannot become a join key, and an
 * aggregate per key value would need it evaluated per outer row. */
static int bd_corr_where(Binder *b, BindCtx *cx, BdCorr *corr, Expr **where)
{
    PtrVec conj = {0}, local = {0};
    ex_conjuncts(b->a, *where, &conj);
    BindCtx ccx = *cx;
    ccx.outer = corr->outer;
    int rc = 0;
    for (int i = 0; i < conj.n; i++) {
        Expr *e = conj.v[i];
        if (bd_expr(b, &ccx, e) || bd_need_bool(b, e, "WHERE condition")) {
            rc = -1;
            continue;
        }
        if (!bd_refs_outer(e)) {
            pv_push(b->a, &local, e);
            continue;
        }
        if (!bd_refs_inner(e) && !corr->allow_resid) {
            /* false for an outer row: the subquery is empty for it, as when no key matches */
            pv_push(b->a, &corr->outer_conds, bd_corr_layout(b, e, corr->outer->input->ncols, 0));
            continue;
        }
        Expr *l = e->kind == E_BINARY && e->op == OP_EQ ? e->left : NULL, *r = l ? e->right : NULL;
        if (l && bd_refs_outer(l) && !bd_refs_inner(l)) {
            Expr *t = l;
            l = r;
            r = t;
        }
        int key = l && bd_refs_inner(l) && !bd_refs_outer(l) && !bd_refs_inner(r);
        if (!key && corr->allow_resid) {
            pv_push(b->a, &corr->resid, e);
            continue;
        }
        if (!key) {
            diag_error(b->d, e->pos, NULL,
                       "a correlated scalar subquery may compare its own columns with the enclosing query's only "
                       "in equalities (inner = outer) joined by AND; this condition is not one");
            rc = -1;
            continue;
        }
        pv_push(b->a, &corr->keys_inner, l);
        pv_push(b->a, &corr->keys_outer, bd_corr_layout(b, r, corr->outer->input->ncols, 0));
    }
    *where = ex_and_all(b->a, &local, 0);
    return rc;
}

/* What a correlated scalar subquery may not have: its rows per key value
 * would not be one aggregate row, or would depend on an order. */
static int bd_corr_check(Binder *b, BdCorr *corr, Select *s, PtrVec *order, int64_t limit)
{
    const char *what = s->group_by.n                ? "GROUP BY"
                       : s->having                  ? "HAVING"
                       : s->window.kind != WIN_NONE ? "WINDOW"
                       : order && order->n          ? "ORDER BY"
                       : limit >= 0                 ? "LIMIT"
                                                    : NULL;
    if (what) {
        diag_error(b->d, s->pos, NULL, "a correlated %s subquery with %s is not supported", corr->allow_resid ? "IN" : "scalar", what);
        return -1;
    }
    if (s->items.n != 1) {
        diag_error(b->d, s->pos, NULL, "%s must return one column, not %d", corr->allow_resid ? "the subquery of IN" : "a scalar subquery",
                   s->items.n);
        return -1;
    }
    return 0;
}

static int bd_count_like(const Expr *e)
{
    if (e->ival == A_COUNT_STAR) return 1;
    int id = ((const FuncDef *)e->fn)->id;
    return id == A_COUNT || id == A_COUNT_DISTINCT || id == A_APPROX_COUNT_DISTINCT;
}

/* Whether e is NULL whenever the aggregate input is empty: an aggregate
 * other than a count, or a strict operator (NULL in, NULL out) over one. */
static int bd_null_on_empty(const Expr *e)
{
    if (ex_is_aggregate(e)) return !bd_count_like(e);
    switch (e->kind) {
    case E_BINARY: return e->op != OP_AND && e->op != OP_OR && (bd_null_on_empty(e->left) || bd_null_on_empty(e->right));
    case E_UNARY:
    case E_CAST: return bd_null_on_empty(e->left);
    default: return 0;
    }
}

static void corr_empty_slot(Expr **slot, void *ctx)
{
    *slot = bd_corr_empty(ctx, *slot);
}

/* A copy of the select expression e as it evaluates over no rows: counts
 * are 0, other aggregates NULL (constant folding simplifies the rest). */
static Expr *bd_corr_empty(Binder *b, const Expr *e)
{
    if (ex_is_aggregate(e)) {
        Expr *v = ex_new(b->a, bd_count_like(e) ? E_LIT_INT : E_LIT_NULL, e->pos);
        v->type = e->type;
        v->nullable = v->kind == E_LIT_NULL;
        return v;
    }
    Expr *c = ex_copy(b->a, e);
    if (e->args.n) {
        c->args.v = ar_alloc(b->a, sizeof(void *) * (size_t)e->args.n);
        memcpy(c->args.v, e->args.v, sizeof(void *) * (size_t)e->args.n);
        c->args.cap = e->args.n;
    }
    ex_children(c, corr_empty_slot, b);
    return c;
}

/* The select list of a correlated subquery ends with its correlation keys
 * (the join reads them): group keys when it aggregates, where its value
 * may read a key only inside an aggregate, as without the rewrite. */
static int bd_corr_outputs(Binder *b, BdCorr *corr, Plan *in, Plan *g, PtrVec *exprs, PtrVec *names, Expr *item)
{
    int nk = corr->keys_inner.n;
    corr->grouped = g != NULL;
    corr->item = item;
    if (g) {
        int lo = -1, hi = -1;
        ex_col_range(exprs->v[0], &lo, &hi);
        if (lo >= 0 && lo < nk) {
            diag_error(b->d, item->pos, NULL, "column '%s' must appear in GROUP BY or be used in an aggregate function", g->cols[lo].name);
            return -1;
        }
    }
    for (int i = 0; i < nk; i++) {
        Expr *k = corr->keys_inner.v[i];
        pv_push(b->a, exprs, g ? ex_col(b->a, i, g->cols[i].type, g->cols[i].nullable, g->cols[i].name, k->pos) : k);
        pv_push(b->a, names, (void *)ar_printf(b->a, "corr%d", i + 1));
    }
    if (corr->resid.n && g) {
        /* per outer row, not per key value: no aggregate can be shared */
        diag_error(b->d, ((Expr *)corr->resid.v[0])->pos, NULL,
                   "a subquery with aggregates may refer to the enclosing query only in equalities (inner = outer)");
        return -1;
    }
    for (int i = 0; i < corr->resid.n; i++) bd_inner_cols(b, corr->resid.v[i], &corr->resid_cols);
    for (int i = 0; i < corr->resid_cols.n; i++) {
        int c = (int)(intptr_t)corr->resid_cols.v[i];
        PlanCol *pc = &in->cols[c];
        pv_push(b->a, exprs, ex_col(b->a, c, pc->type, pc->nullable, pc->name, item->pos));
        pv_push(b->a, names, (void *)pc->name);
    }
    return 0;
}

/* Append the subquery columns e reads (outer references aside) to cols, once each. */
static void bd_inner_cols(Binder *b, const Expr *e, PtrVec *cols)
{
    if (e->kind == E_COLUMN && e->col_index >= 0 && e->rel_index != BD_OUTER_REF) {
        for (int i = 0; i < cols->n; i++)
            if ((int)(intptr_t)cols->v[i] == e->col_index) return;
        pv_push(b->a, cols, (void *)(intptr_t)e->col_index);
        return;
    }
    const Expr *kids[] = {e->left, e->right, e->third, e->else_};
    for (int i = 0; i < 4; i++)
        if (kids[i]) bd_inner_cols(b, kids[i], cols);
    for (int i = 0; i < e->args.n; i++) bd_inner_cols(b, e->args.v[i], cols);
}

/* A correlated condition over the semi join's output: outer columns as they
 * are, subquery columns at their place in the subquery's output. */
static Expr *bd_corr_remap(Binder *b, const Expr *e, int nouter, BdCorr *corr)
{
    int n = 0;
    for (int i = 0; i < corr->resid_cols.n; i++) {
        int c = (int)(intptr_t)corr->resid_cols.v[i];
        if (c + 1 > n) n = c + 1;
    }
    int *map = ar_alloc(b->a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < corr->resid_cols.n; i++) map[(int)(intptr_t)corr->resid_cols.v[i]] = nouter + 1 + corr->keys_inner.n + i;
    return bd_corr_map(b, e, map);
}

/* A correlated x [NOT] IN (SELECT y ...) as a semi (anti) join on the
 * correlation keys. IN adds x = y as a key. NOT IN is NOT EXISTS of a row
 * where x = y is TRUE or NULL, so the anti join's residual is
 * (x = y OR x IS NULL OR y IS NULL): exact for a WHERE conjunct, where
 * NULL and FALSE both drop the row, and a NULL among the subquery's values
 * empties only its own correlation group. */
static void bd_corr_in(Binder *b, Plan *j, Expr *c, Expr *r, BdCorr *corr)
{
    Plan *L = j->inputs.v[0], *sub = j->inputs.v[1];
    int nk = corr->keys_inner.n, nouter = L->ncols;
    int n = nk + !c->negated;
    j->njk = n;
    j->jk_left = ar_alloc(b->a, sizeof(Expr *) * (size_t)(n + 1));
    j->jk_right = ar_alloc(b->a, sizeof(Expr *) * (size_t)(n + 1));
    for (int i = 0; i < nk; i++) {
        PlanCol *pc = &sub->cols[1 + i];
        j->jk_left[i] = corr->keys_outer.v[i];
        j->jk_right[i] = ex_col(b->a, 1 + i, pc->type, pc->nullable, pc->name, c->pos);
    }
    PtrVec resid = {0};
    if (!c->negated) {
        j->jk_left[nk] = c->left;
        j->jk_right[nk] = r;
    } else {
        Expr *x = c->left, *y = ex_col(b->a, nouter, r->type, 1, r->sval, c->pos);
        Expr *eq = ex_new(b->a, E_BINARY, c->pos), *xn = ex_new(b->a, E_IS_NULL, c->pos), *yn = ex_new(b->a, E_IS_NULL, c->pos);
        eq->op = OP_EQ;
        eq->left = x;
        eq->right = y;
        xn->left = x;
        yn->left = y;
        Expr *o1 = ex_new(b->a, E_BINARY, c->pos), *o2 = ex_new(b->a, E_BINARY, c->pos);
        o1->op = o2->op = OP_OR;
        o1->left = eq;
        o1->right = xn;
        o2->left = o1;
        o2->right = yn;
        Expr *all[] = {eq, xn, yn, o1, o2};
        for (int i = 0; i < 5; i++) all[i]->type = ty_make(VT_BOOL);
        eq->nullable = o1->nullable = o2->nullable = 1;
        pv_push(b->a, &resid, o2);
    }
    for (int i = 0; i < corr->resid.n; i++) pv_push(b->a, &resid, bd_corr_remap(b, corr->resid.v[i], nouter, corr));
    j->residual = ex_and_all(b->a, &resid, 0);
    j->join_note = "decorrelated IN subquery";
}

/* Output columns of a join: left then right; the side an outer join may
 * pad with NULLs becomes nullable. */
static Plan *bd_join(Binder *b, Plan *l, Plan *r, int kind, SrcPos pos)
{
    Plan *j = pl_new(b->a, b->job, P_JOIN, NULL);
    pv_push(b->a, &j->inputs, l);
    pv_push(b->a, &j->inputs, r);
    j->join_kind = kind;
    j->pos = pos;
    j->ncols = l->ncols + r->ncols;
    j->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(j->ncols + 1));
    memcpy(j->cols, l->cols, sizeof(PlanCol) * (size_t)l->ncols);
    memcpy(j->cols + l->ncols, r->cols, sizeof(PlanCol) * (size_t)r->ncols);
    for (int i = 0; i < j->ncols; i++) {
        int left = i < l->ncols;
        if ((kind == 'L' && !left) || (kind == 'R' && left) || kind == 'F') j->cols[i].nullable = 1;
    }
    j->est_rows = -1;
    return j;
}

/* A semi (or anti) join keeps the left input's columns only. */
static Plan *bd_semi(Binder *b, Plan *l, Plan *r, int anti, SrcPos pos)
{
    Plan *j = bd_join(b, l, r, anti ? 'A' : 'S', pos);
    j->ncols = l->ncols;
    j->est_rows = -1;
    return j;
}

static Cte *bd_find_cte(Binder *b, const char *name)
{
    for (int i = b->ctes.n - 1; i >= 0; i--) {
        Cte *c = b->ctes.v[i];
        if (strcasecmp(c->name, name) == 0) return c;
    }
    return NULL;
}

/* One FROM item: a source, a CTE or a derived table. */
static Plan *bd_table_ref(Binder *b, TableRef *t, Relation **rel)
{
    *rel = NULL;
    if (t->subquery) {
        if (!t->alias) {
            diag_error(b->d, t->pos, NULL, "a derived table needs an alias: (SELECT ...) AS name");
            return NULL;
        }
        return bd_query(b, t->subquery);
    }
    Cte *cte = bd_find_cte(b, t->name);
    if (cte) {
        /* a non-recursive CTE is planned where it is used: hide it (and
         * later ones) while binding its own body */
        PtrVec save = b->ctes;
        int n = 0;
        while (n < b->ctes.n && b->ctes.v[n] != cte) n++;
        b->ctes.n = n;
        Plan *p = bd_query(b, cte->query);
        b->ctes = save;
        return p;
    }
    Relation *r = cat_find(b->cat, t->name);
    if (!r) {
        /* a name whose definition failed was explained there already */
        if (!cat_failed(b->cat, t->name)) diag_error(b->d, t->pos, cat_suggest(b->cat, t->name), "unknown stream or table '%s'", t->name);
        return NULL;
    }
    if (!cat_is_source(r)) {
        diag_error(b->d, t->pos, NULL, "'%s' is a sink and cannot be read from", t->name);
        return NULL;
    }
    *rel = r;
    return bd_scan(b, r, t->pos);
}

/* HEADER('name') reads a Kafka message header: before the scans are
 * planned, every such call in the SELECT adds a hidden column `_HEADER:name`
 * to the Kafka source it reads (which the source fills), and the call
 * becomes a reference to that column. */
typedef struct HeaderCtx {
    Binder *b;
    Relation *kafka; /* the one Kafka source in FROM, or NULL */
    int errors;
} HeaderCtx;

static void bd_headers_in(HeaderCtx *h, Expr *e);

static void header_slot(Expr **slot, void *ctx)
{
    bd_headers_in(ctx, *slot);
}

static void bd_headers_in(HeaderCtx *h, Expr *e)
{
    if (!e) return;
    if (e->kind == E_FUNC && strcasecmp(e->sval, "HEADER") == 0) {
        Expr *a = e->args.n == 1 ? e->args.v[0] : NULL;
        if (!a || a->kind != E_LIT_STR) {
            diag_error(h->b->d, e->pos, NULL, "HEADER takes one string literal: HEADER('name')");
            h->errors++;
            return;
        }
        if (!h->kafka) {
            diag_error(h->b->d, e->pos, NULL, "HEADER('%s') needs exactly one Kafka source in FROM", a->sval);
            h->errors++;
            return;
        }
        const char *col = ar_printf(h->b->a, "_HEADER:%.*s", (int)a->slen, a->sval);
        cat_add_hidden(h->b->cat, h->kafka, col, ty_make(VT_STRING));
        e->kind = E_COLUMN;
        e->sval = col;
        e->slen = strlen(col);
        e->qual = NULL;
        e->args.n = 0;
        return;
    }
    ex_children(e, header_slot, h);
}

static void bd_headers(Binder *b, Select *s)
{
    HeaderCtx h = {b, NULL, 0};
    int nkafka = 0;
    for (int i = 0; i < s->from.n; i++) {
        TableRef *t = s->from.v[i];
        Relation *r = t->name ? cat_find(b->cat, t->name) : NULL;
        if (r && r->kind == REL_KAFKA_SOURCE) {
            h.kafka = r;
            nkafka++;
        }
    }
    if (nkafka != 1) h.kafka = NULL;
    for (int i = 0; i < s->items.n; i++) bd_headers_in(&h, ((SelectItem *)s->items.v[i])->expr);
    bd_headers_in(&h, s->where);
    for (int i = 0; i < s->group_by.n; i++) bd_headers_in(&h, s->group_by.v[i]);
    bd_headers_in(&h, s->having);
}

/* The event-time column of the scope relation r: 'event.time.field'. */
static int bd_event_time_col(Binder *b, Scope *sc, int r, SrcPos pos)
{
    ScopeRel *sr = &sc->rels[r];
    const char *et = sr->rel ? cat_prop(sr->rel, "event.time.field") : NULL;
    int ci = et ? cat_column_index(sr->rel, et) : -1;
    if (ci < 0) {
        diag_error(b->d, pos, NULL, "JOIN ... WITHIN needs 'event.time.field' on '%s'", sr->name);
        return -1;
    }
    return sr->base + ci;
}

/* JOIN ... WITHIN d as the condition right.ts BETWEEN left.ts - d AND
 * left.ts + d, over the event times of the two tables it joins. */
static Expr *bd_within(Binder *b, Scope *sc, Plan *left, TableRef *t)
{
    (void)left;
    int lc = bd_event_time_col(b, sc, sc->nrels - 2, t->pos), rc = bd_event_time_col(b, sc, sc->nrels - 1, t->pos);
    if (lc < 0 || rc < 0) return NULL;
    PlanCol *pl = &sc->input->cols[lc], *pr = &sc->input->cols[rc];
    Expr *l = ex_col(b->a, lc, pl->type, 1, pl->name, t->pos), *r = ex_col(b->a, rc, pr->type, 1, pr->name, t->pos);
    Expr *d = ex_new(b->a, E_LIT_INTERVAL, t->pos);
    d->ival = t->within_us;
    d->type = ty_make(VT_INTERVAL);
    Expr *lo = ex_new(b->a, E_BINARY, t->pos), *hi = ex_new(b->a, E_BINARY, t->pos);
    lo->op = OP_SUB;
    hi->op = OP_ADD;
    lo->left = hi->left = l;
    lo->right = hi->right = d;
    lo->type = hi->type = ty_make(VT_TIMESTAMP);
    lo->nullable = hi->nullable = 1;
    Expr *bt = ex_new(b->a, E_BETWEEN, t->pos);
    bt->left = r;
    bt->right = lo;
    bt->third = hi;
    bt->type = ty_make(VT_BOOL);
    bt->nullable = 1;
    return bt;
}

static Plan *bd_from(Binder *b, Select *s, Scope *sc)
{
    memset(sc, 0, sizeof *sc);
    bd_headers(b, s);
    if (s->from.n == 0) {
        diag_error(b->d, s->pos, NULL, "SELECT without FROM is not supported; streams need a source");
        return NULL;
    }
    Plan *cur = NULL;
    for (int i = 0; i < s->from.n; i++) {
        TableRef *t = s->from.v[i];
        if (sc->nrels == MAX_SCOPE_RELS) {
            diag_error(b->d, t->pos, NULL, "too many tables in one FROM (at most %d)", MAX_SCOPE_RELS);
            return NULL;
        }
        Relation *rel;
        Plan *rp = bd_table_ref(b, t, &rel);
        if (!rp) return NULL;
        const char *name = t->alias ? t->alias : t->name;
        for (int k = 0; k < sc->nrels; k++)
            if (strcasecmp(sc->rels[k].name, name) == 0) {
                diag_error(b->d, t->pos, NULL, "table name '%s' appears twice in FROM; give one an alias", name);
                return NULL;
            }
        ScopeRel *sr = &sc->rels[sc->nrels++];
        sr->name = name;
        sr->rel = rel;
        sr->base = cur ? cur->ncols : 0;
        sr->ncols = rp->ncols;
        if (!cur) {
            cur = rp;
            sc->input = cur;
            continue;
        }
        int kind = t->join_kind ? t->join_kind : 'C';
        int stream_stream = pl_reads_unbounded(cur) && pl_reads_unbounded(rp);
        Plan *left = cur;
        cur = bd_join(b, cur, rp, kind, t->pos);
        sc->input = cur;
        if (t->within_us > 0) {
            /* JOIN ... WITHIN d: the two sides' event times at most d apart */
            Expr *bound = bd_within(b, sc, left, t);
            if (!bound) return NULL;
            cur->residual = bound;
        }
        int errs = b->d->nerrors;
        if (t->on) {
            PtrVec none = {0};
            BindCtx cx = {sc, "JOIN ... ON", 0, 0, 0, &none, NULL, NULL, 0, NULL};
            if (bd_expr(b, &cx, t->on) == 0 && bd_need_bool(b, t->on, "ON condition") == 0) {
                if (cur->residual) {
                    Expr *both = ex_new(b->a, E_BINARY, t->on->pos);
                    both->op = OP_AND;
                    both->left = t->on;
                    both->right = cur->residual;
                    both->type = ty_make(VT_BOOL);
                    cur->residual = both;
                } else {
                    cur->residual = t->on;
                }
            }
        } else if (kind != 'C') {
            diag_error(b->d, t->pos, NULL, "this JOIN needs an ON condition");
            return NULL;
        }
        if (kind == 'C' && t->on) cur->join_kind = 'I';
        if (stream_stream && b->d->nerrors == errs) {
            if (s->where && (cur->join_kind == 'I' || cur->join_kind == 'C')) { /* the bound may be in WHERE */
                sc->pending[sc->npending] = cur;
                sc->pending_pos[sc->npending++] = t->pos;
            } else if (bd_interval(b, cur, t->pos, NULL) != 0) {
                return NULL;
            }
        }
    }
    return cur;
}

/* Whether name is a column of some relation in scope. */
static int bd_scope_has(Scope *sc, const char *name)
{
    for (int i = 0; sc->input && i < sc->input->ncols; i++)
        if (strcasecmp(sc->input->cols[i].name, name) == 0) return 1;
    return 0;
}

static const char *bd_item_name(Binder *b, SelectItem *it, int i)
{
    if (it->alias) return it->alias;
    Expr *e = it->expr;
    if (e->kind == E_COLUMN) return e->sval;
    if (e->kind == E_FUNC) {
        char *s = ar_strdup(b->a, e->sval);
        for (char *p = s; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        return s;
    }
    if (e->kind == E_CAST && e->left->kind == E_COLUMN) return e->left->sval;
    return ar_printf(b->a, "col%d", i + 1);
}

/* Expand '*' and 't.*' into column references. */
static void bd_expand_star(Binder *b, Select *s, Scope *sc)
{
    PtrVec out = {0};
    for (int i = 0; i < s->items.n; i++) {
        SelectItem *it = s->items.v[i];
        if (it->expr->kind != E_STAR) {
            pv_push(b->a, &out, it);
            continue;
        }
        int matched = 0;
        for (int r = 0; r < sc->nrels; r++) {
            if (it->expr->qual && strcasecmp(it->expr->qual, sc->rels[r].name) != 0) continue;
            matched = 1;
            for (int c = 0; c < sc->rels[r].ncols; c++) {
                if (sc->input->cols[sc->rels[r].base + c].hidden) continue;
                SelectItem *ni = ar_alloc(b->a, sizeof *ni);
                ni->pos = it->pos;
                ni->expr = ex_new(b->a, E_COLUMN, it->pos);
                ni->expr->sval = sc->input->cols[sc->rels[r].base + c].name;
                ni->expr->qual = sc->rels[r].name;
                pv_push(b->a, &out, ni);
            }
        }
        if (!matched) diag_error(b->d, it->pos, NULL, "unknown table '%s' in '%s.*'", it->expr->qual, it->expr->qual);
    }
    s->items = out;
}

/* Rewrite an expression bound against the aggregation input so that it
 * reads the aggregation output: group keys and aggregates become columns. */
typedef struct PostAgg {
    Binder *b;
    Plan *agg;
    int nkeys;    /* keys in the agg output before window bounds */
    int win_cols; /* 2 when windowed */
    int errors;
} PostAgg;

static Expr *bd_post_agg(PostAgg *pa, Expr *e);

static void post_agg_slot(Expr **slot, void *ctx)
{
    *slot = bd_post_agg(ctx, *slot);
}

static Expr *bd_post_agg(PostAgg *pa, Expr *e)
{
    Plan *g = pa->agg;
    if (e->kind == E_COLUMN && e->rel_index == BD_SUBQ_READY) return e; /* joined above the aggregate */
    for (int k = 0; k < g->nkeys; k++)
        if (ex_equal(e, g->keys[k])) return ex_col(pa->b->a, k, g->cols[k].type, g->cols[k].nullable, g->cols[k].name, e->pos);
    if (e->kind == E_COLUMN && e->col_index <= -2) {
        int k = pa->nkeys + (e->col_index == -2 ? 0 : 1);
        return ex_col(pa->b->a, k, g->cols[k].type, 0, e->sval, e->pos);
    }
    if (ex_is_aggregate(e)) {
        for (int i = 0; i < g->naggs; i++) {
            AggCall *ac = &g->aggs[i];
            if (ac->pos.off == e->pos.off && ac->type.tag == e->type.tag) {
                int c = pa->nkeys + pa->win_cols + i;
                return ex_col(pa->b->a, c, g->cols[c].type, g->cols[c].nullable, g->cols[c].name, e->pos);
            }
        }
    }
    if (e->kind == E_COLUMN && !strcmp(e->sval, "(subquery)")) {
        diag_error(pa->b->d, e->pos, NULL, "a scalar subquery cannot be used in a query with GROUP BY or aggregates yet");
        pa->errors++;
        return e;
    }
    if (e->kind == E_COLUMN) {
        diag_error(pa->b->d, e->pos, NULL, "column '%s' must appear in GROUP BY or be used in an aggregate function", e->sval);
        pa->errors++;
        return e;
    }
    Expr *c = ex_copy(pa->b->a, e);
    if (e->args.n) {
        c->args.v = ar_alloc(pa->b->a, sizeof(void *) * (size_t)e->args.n);
        memcpy(c->args.v, e->args.v, sizeof(void *) * (size_t)e->args.n);
        c->args.cap = e->args.n;
    }
    ex_children(c, post_agg_slot, pa);
    return c;
}

/* The scalar subqueries of a grouped query, joined above its aggregate
 * (its output is in, pa maps to it): a correlated one must correlate on
 * group keys, as its outer columns are read per group. */
static Plan *bd_attach_deferred(Binder *b, Plan *in, PostAgg *pa, PtrVec *deferred)
{
    for (int i = 0; i < deferred->n; i++) {
        BdDeferred *d = deferred->v[i];
        for (int k = 0; k < d->corr.keys_outer.n; k++) d->corr.keys_outer.v[k] = bd_post_agg(pa, d->corr.keys_outer.v[k]);
        for (int k = 0; k < d->corr.outer_conds.n; k++) d->corr.outer_conds.v[k] = bd_post_agg(pa, d->corr.outer_conds.v[k]);
        if (pa->errors) return in;
        in = bd_attach_subquery(b, in, d->e, d->sub, &d->corr);
        bd_mark_subq(d->e, BD_SUBQ_READY);
    }
    return in;
}

static Plan *bd_agg_plan(Binder *b, Plan *in, Select *s, PtrVec *keys, PtrVec *aggs)
{
    Plan *g = pl_new(b->a, b->job, P_AGG, in);
    g->pos = s->pos;
    g->nkeys = keys->n;
    g->keys = (Expr **)keys->v;
    g->win = s->window;
    g->win_time_col = -1;
    int win_cols = s->window.kind != WIN_NONE ? 2 : 0;
    /* de-duplicate identical aggregate calls: one accumulator serves all */
    PtrVec uniq = {0};
    for (int i = 0; i < aggs->n; i++) {
        Expr *e = aggs->v[i];
        int found = 0;
        for (int j = 0; j < uniq.n && !found; j++) {
            Expr *u = uniq.v[j];
            if (ex_equal(u, e) && ty_equal(u->type, e->type)) {
                e->pos = u->pos;
                found = 1;
            }
        }
        if (!found) pv_push(b->a, &uniq, e);
    }
    g->naggs = uniq.n;
    g->aggs = ar_alloc(b->a, sizeof(AggCall) * (size_t)(uniq.n + 1));
    g->ncols = keys->n + win_cols + uniq.n;
    g->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(g->ncols + 1));
    for (int k = 0; k < keys->n; k++) {
        Expr *e = keys->v[k];
        g->cols[k].name = e->kind == E_COLUMN ? e->sval : ar_printf(b->a, "key%d", k + 1);
        g->cols[k].type = e->type;
        g->cols[k].nullable = e->nullable;
    }
    if (win_cols) {
        g->cols[keys->n].name = "_WINDOW_START";
        g->cols[keys->n + 1].name = "_WINDOW_END";
        g->cols[keys->n].type = g->cols[keys->n + 1].type = ty_make(VT_TIMESTAMP);
    }
    for (int i = 0; i < uniq.n; i++) {
        Expr *e = uniq.v[i];
        AggCall *ac = &g->aggs[i];
        ac->fn = e->fn;
        ac->id = e->ival == A_COUNT_STAR ? A_COUNT_STAR : ((const FuncDef *)e->fn)->id;
        ac->arg = ac->id == A_COUNT_STAR ? NULL : e->args.v[0];
        ac->arg2 = e->args.n > 1 ? e->args.v[1] : NULL;
        ac->type = e->type;
        ac->pos = e->pos;
        PlanCol *pc = &g->cols[keys->n + win_cols + i];
        pc->name = ar_printf(b->a, "agg%d", i + 1);
        pc->type = e->type;
        pc->nullable = e->nullable;
    }
    g->est_rows = in->est_rows < 0 ? -1 : in->est_rows * (keys->n ? 0.1 : 0) + 1;
    g->est_source = "default";
    return g;
}

static Plan *bd_project(Binder *b, Plan *in, PtrVec *exprs, const char **names)
{
    Plan *p = pl_new(b->a, b->job, P_PROJECT, in);
    p->ncols = exprs->n;
    p->exprs = (Expr **)exprs->v;
    p->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(exprs->n + 1));
    for (int i = 0; i < exprs->n; i++) {
        Expr *e = exprs->v[i];
        p->cols[i].name = names[i];
        p->cols[i].type = e->type; /* a NULL column stays untyped until UNION or the sink */
        p->cols[i].nullable = e->nullable;
    }
    p->est_rows = in->est_rows;
    p->est_source = in->est_source;
    return p;
}

/* ORDER BY item: an output column by name or ordinal, else an expression
 * over the input added as a hidden output column. Returns the column index. */
static int bd_order_item(Binder *b, OrderItem *oi, Plan *proj, int visible, PtrVec *exprs, PtrVec *names, BindCtx *cx, PostAgg *pa)
{
    Expr *e = oi->expr;
    const int64_t *ord = bd_int_literal(e);
    if (ord) {
        if (*ord < 1 || *ord > visible) {
            diag_error(b->d, e->pos, NULL, "ORDER BY position %lld is not in the select list (1..%d)", (long long)*ord, visible);
            return -1;
        }
        return (int)*ord - 1;
    }
    if (e->kind == E_COLUMN && !e->qual)
        for (int i = 0; i < visible; i++)
            if (strcasecmp(proj ? proj->cols[i].name : (const char *)names->v[i], e->sval) == 0) return i;
    if (!cx) {
        diag_error(b->d, e->pos, NULL, "ORDER BY of a UNION must name an output column or position");
        return -1;
    }
    if (bd_expr(b, cx, e)) return -1;
    if (pa) {
        e = bd_post_agg(pa, e);
        if (pa->errors) return -1;
    }
    for (int i = 0; i < exprs->n; i++)
        if (ex_equal(exprs->v[i], e)) return i;
    pv_push(b->a, exprs, e);
    pv_push(b->a, names, ar_printf(b->a, "_order%d", exprs->n));
    return exprs->n - 1;
}

static Plan *bd_sort(Binder *b, Plan *in, int n, int *cols, PtrVec *order, int64_t limit)
{
    Plan *s = pl_new(b->a, b->job, P_SORT, in);
    s->ncols = in->ncols;
    s->cols = in->cols;
    s->nsort = n;
    s->sort_keys = ar_alloc(b->a, sizeof(Expr *) * (size_t)(n + 1));
    s->sort_desc = ar_alloc(b->a, (size_t)n + 1);
    s->sort_nulls_first = ar_alloc(b->a, (size_t)n + 1);
    for (int i = 0; i < n; i++) {
        OrderItem *oi = order->v[i];
        PlanCol *pc = &in->cols[cols[i]];
        s->sort_keys[i] = ex_col(b->a, cols[i], pc->type, pc->nullable, pc->name, oi->expr->pos);
        s->sort_desc[i] = (u8)oi->desc;
        s->sort_nulls_first[i] = (u8)(oi->nulls_first < 0 ? oi->desc : oi->nulls_first);
    }
    s->limit = limit;
    s->est_rows = in->est_rows;
    if (limit >= 0 && (s->est_rows < 0 || s->est_rows > (double)limit)) s->est_rows = (double)limit;
    s->est_source = in->est_source;
    return s;
}

static Plan *bd_limit(Binder *b, Plan *in, int64_t limit)
{
    Plan *l = pl_new(b->a, b->job, P_LIMIT, in);
    l->ncols = in->ncols;
    l->cols = in->cols;
    l->limit = limit;
    l->est_rows = in->est_rows < 0 || in->est_rows > (double)limit ? (double)limit : in->est_rows;
    l->est_source = in->est_source;
    return l;
}

static Plan *bd_distinct(Binder *b, Plan *in)
{
    PtrVec keys = {0}, aggs = {0};
    for (int i = 0; i < in->ncols; i++)
        pv_push(b->a, &keys, ex_col(b->a, i, in->cols[i].type, in->cols[i].nullable, in->cols[i].name, in->pos));
    Select fake;
    memset(&fake, 0, sizeof fake);
    fake.pos = in->pos;
    Plan *g = bd_agg_plan(b, in, &fake, &keys, &aggs);
    for (int i = 0; i < in->ncols; i++) g->cols[i] = in->cols[i];
    g->emit = EMIT_FINAL;
    return g;
}

/* Over an unbounded input an Analytic operator cannot sort the partition:
 * it evaluates each row on arrival, in arrival order, from per-partition
 * state (a row counter, a ring of the last n values, running totals). What
 * needs rows not yet seen is refused. */
static int bd_stream_analytic(Binder *b, Plan *top)
{
    int errs = 0;
    for (Plan *p = top; p && p->kind == P_ANALYTIC; p = p->child) {
        p->stream_eval = 1;
        for (int i = 0; i < p->wcalls.n; i++) {
            Expr *w = p->wcalls.v[i];
            const FuncDef *f = w->fn;
            int ok =
                f->id == W_ROW_NUMBER || f->id == W_LAG || f->id == W_RANK || f->id == W_DENSE_RANK ||
                (f->kind == FN_AGG &&
                 (f->id == A_COUNT || f->id == A_SUM || f->id == A_AVG || f->id == A_MIN || f->id == A_MAX || w->ival == A_COUNT_STAR ||
                  f->id == A_STDDEV_SAMP || f->id == A_STDDEV_POP || f->id == A_VAR_SAMP || f->id == A_VAR_POP) &&
                 w->frame != FRAME_RANGE);
            if (!ok) {
                diag_error(b->d, w->pos, NULL,
                           "%s OVER an unbounded stream is not supported: on streams, rows are evaluated on arrival, "
                           "so functions of rows not yet seen (LEAD, NTILE, PERCENT_RANK, CUME_DIST, RANGE frames) are "
                           "refused (ROW_NUMBER, RANK, DENSE_RANK, LAG, and COUNT/SUM/AVG/MIN/MAX/STDDEV/VARIANCE over ROWS n PRECEDING, "
                           "ROWS WINDOW BUFFER n ROWS or all previous rows work)",
                           f->name);
                errs++;
            }
        }
    }
    return errs;
}

/* Analytic calls with the same PARTITION BY and ORDER BY share one
 * Analytic operator (one sort); each distinct spec adds another on top.
 * Every operator appends its calls' columns, in the order of wins, so the
 * k-th call ends up in column base + k of the last operator. */
static int bd_same_spec(const Expr *a, const Expr *b)
{
    if (a->partition_by.n != b->partition_by.n || a->over_order.n != b->over_order.n) return 0;
    for (int i = 0; i < a->partition_by.n; i++)
        if (!ex_equal(a->partition_by.v[i], b->partition_by.v[i])) return 0;
    for (int i = 0; i < a->over_order.n; i++) {
        OrderItem *x = a->over_order.v[i], *y = b->over_order.v[i];
        if (!ex_equal(x->expr, y->expr) || x->desc != y->desc || x->nulls_first != y->nulls_first) return 0;
    }
    return 1;
}

static Plan *bd_analytic(Binder *b, Plan *in, PtrVec *wins)
{
    u8 *done = ar_alloc(b->a, (size_t)wins->n + 1);
    int placed = 0;
    /* calls are placed spec by spec; remember where each lands */
    int *col = ar_alloc(b->a, sizeof(int) * (size_t)wins->n);
    int base = in->ncols;
    Plan *cur = in;
    while (placed < wins->n) {
        int first = 0;
        while (done[first]) first++;
        Plan *a = pl_new(b->a, b->job, P_ANALYTIC, cur);
        Expr *spec = wins->v[first];
        a->pos = spec->pos;
        for (int i = 0; i < spec->partition_by.n; i++) pv_push(b->a, &a->wpart, spec->partition_by.v[i]);
        for (int i = 0; i < spec->over_order.n; i++) pv_push(b->a, &a->word, spec->over_order.v[i]);
        for (int i = first; i < wins->n; i++)
            if (!done[i] && bd_same_spec(spec, wins->v[i])) {
                done[i] = 1;
                col[i] = base + placed++;
                pv_push(b->a, &a->wcalls, wins->v[i]);
            }
        a->ncols = cur->ncols + a->wcalls.n;
        a->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(a->ncols + 1));
        memcpy(a->cols, cur->cols, sizeof(PlanCol) * (size_t)cur->ncols);
        for (int i = 0; i < a->wcalls.n; i++) {
            Expr *w = a->wcalls.v[i];
            PlanCol *pc = &a->cols[cur->ncols + i];
            pc->name = ar_printf(b->a, "win%d", cur->ncols + i - base + 1);
            pc->type = w->type;
            pc->nullable = 1;
        }
        a->est_rows = in->est_rows;
        cur = a;
    }
    /* remember each call's column in its agg_index slot for bd_replace_wins */
    for (int i = 0; i < wins->n; i++) ((Expr *)wins->v[i])->agg_index = col[i];
    return cur;
}

typedef struct WinRepl {
    Binder *b;
    PtrVec *wins;
    Plan *top;
} WinRepl;

static Expr *bd_replace_wins_rec(WinRepl *w, Expr *e);

static void win_slot(Expr **slot, void *ctx)
{
    *slot = bd_replace_wins_rec(ctx, *slot);
}

static Expr *bd_replace_wins_rec(WinRepl *w, Expr *e)
{
    for (int i = 0; i < w->wins->n; i++)
        if (w->wins->v[i] == e) {
            PlanCol *pc = &w->top->cols[e->agg_index];
            return ex_col(w->b->a, e->agg_index, pc->type, pc->nullable, e->sval, e->pos);
        }
    Expr *c = ex_copy(w->b->a, e);
    if (e->args.n) {
        c->args.v = ar_alloc(w->b->a, sizeof(void *) * (size_t)e->args.n);
        memcpy(c->args.v, e->args.v, sizeof(void *) * (size_t)e->args.n);
    }
    ex_children(c, win_slot, w);
    return c;
}

static Expr *bd_replace_wins(Binder *b, Expr *e, PtrVec *wins, Plan *top)
{
    WinRepl w = {b, wins, top};
    return bd_replace_wins_rec(&w, e);
}

/* IN (SELECT ...) and [NOT] EXISTS (SELECT ...) conjuncts of WHERE become
 * semi and anti joins of the FROM input with the subquery (NOT IN a
 * null-aware anti join). An EXISTS may be correlated through equalities
 * between its columns and the outer query's: those become the join keys,
 * other correlated conditions the join's residual. Returns what is left of
 * the WHERE condition. */
static Expr *bd_where_subqueries(Binder *b, Scope *sc, Expr *where)
{
    PtrVec conj = {0}, rest = {0};
    ex_conjuncts(b->a, where, &conj);
    for (int i = 0; i < conj.n; i++) {
        Expr *c = conj.v[i];
        if (c->kind == E_IN_SUBQUERY) bd_in_subquery(b, sc, c);
        else if (c->kind == E_EXISTS) bd_exists(b, sc, c);
        else pv_push(b->a, &rest, c);
    }
    return ex_and_all(b->a, &rest, 0);
}

static int bd_has_agg_call(const Expr *e)
{
    if (!e) return 0;
    if (e->kind == E_FUNC && !e->has_over) {
        const FuncDef *f = fn_lookup(e->sval);
        if (f && f->kind == FN_AGG) return 1;
    }
    if (bd_has_agg_call(e->left) || bd_has_agg_call(e->right) || bd_has_agg_call(e->third) || bd_has_agg_call(e->else_)) return 1;
    for (int i = 0; i < e->args.n; i++)
        if (bd_has_agg_call(e->args.v[i])) return 1;
    return 0;
}

/* Whether the select list calls an aggregate (before binding, which plans
 * the scalar subqueries it meets). */
static int bd_items_aggregate(const Select *s)
{
    for (int i = 0; i < s->items.n; i++)
        if (bd_has_agg_call(((SelectItem *)s->items.v[i])->expr)) return 1;
    return 0;
}

/* Bind one SELECT; ORDER BY/LIMIT of a single-select query are planned here
 * because they may refer to input columns. */
static Plan *bd_select(Binder *b, Select *s, PtrVec *order, int64_t limit)
{
    BdCorr *corr = b->corr; /* set for the top SELECT of a scalar subquery */
    b->corr = NULL;
    Scope sc;
    Plan *in = bd_from(b, s, &sc);
    if (!in) return NULL;
    int errs = b->d->nerrors;
    bd_expand_star(b, s, &sc);
    PtrVec aggs = {0};
    BindCtx cx = {&sc, "WHERE", 0, 0, 0, &aggs, NULL, NULL, 0, NULL};
    Expr *where = s->where ? bd_where_subqueries(b, &sc, s->where) : NULL;
    in = sc.input;
    int bound = where && (corr ? bd_corr_where(b, &cx, corr, &where) : bd_expr(b, &cx, where)) == 0;
    if (corr && (corr->keys_inner.n || corr->resid.n) && bd_corr_check(b, corr, s, order, limit)) return NULL;
    if (corr && corr->outer_conds.n && !corr->keys_inner.n) {
        /* the LEFT join that applies them needs a key to tell matched rows */
        diag_error(b->d, ((Expr *)corr->outer_conds.v[0])->pos, NULL,
                   "a scalar subquery correlated only by conditions on the enclosing query (no inner = outer "
                   "equality) is not supported");
        return NULL;
    }
    int where_ok = bound && where && bd_need_bool(b, where, "WHERE condition") == 0; /* the correlation may take all of it */
    if (sc.npending && bd_interval_pending(b, &sc, where_ok ? where : NULL) != 0) return NULL;
    if (where_ok) {
        in = sc.input; /* scalar subqueries in WHERE add joins below the filter */
        Plan *f = pl_new(b->a, b->job, P_FILTER, in);
        f->pred = where;
        f->ncols = in->ncols;
        f->cols = in->cols;
        f->est_rows = in->est_rows < 0 ? -1 : in->est_rows * 0.33;
        f->est_source = "default";
        in = f;
        sc.input = f;
    }
    int windowed = s->window.kind != WIN_NONE;
    /* GROUP BY: expressions, select-list aliases or ordinals */
    PtrVec keys = {0};
    cx.clause = "GROUP BY";
    for (int i = 0; i < s->group_by.n; i++) {
        Expr *k = s->group_by.v[i];
        const int64_t *ord = bd_int_literal(k);
        if (ord) {
            if (*ord < 1 || *ord > s->items.n) {
                diag_error(b->d, k->pos, NULL, "GROUP BY position %lld is not in the select list", (long long)*ord);
                continue;
            }
            k = ((SelectItem *)s->items.v[*ord - 1])->expr;
        } else if (k->kind == E_COLUMN && !k->qual && !bd_scope_has(&sc, k->sval)) {
            const char *alias = k->sval; /* k becomes the item's expression, which may have no name */
            for (int j = 0; j < s->items.n; j++) {
                SelectItem *it = s->items.v[j];
                if (it->alias && strcasecmp(it->alias, alias) == 0) {
                    k = it->expr;
                    break;
                }
            }
        }
        if (bd_expr(b, &cx, k) == 0) pv_push(b->a, &keys, k);
    }
    /* select list */
    cx.clause = "SELECT";
    cx.allow_agg = 1;
    cx.windowed = windowed;
    PtrVec wins = {0}, deferred = {0};
    cx.wins = &wins;
    /* grouped: a scalar subquery's value is joined above the aggregate */
    if (keys.n || windowed || s->having || bd_items_aggregate(s)) cx.defer = &deferred;
    for (int i = 0; i < s->items.n; i++) bd_expr(b, &cx, ((SelectItem *)s->items.v[i])->expr);
    cx.wins = NULL;
    cx.clause = "HAVING";
    if (s->having) bd_expr(b, &cx, s->having);
    cx.defer = NULL;
    int correlated = corr && (corr->keys_inner.n || corr->resid.n);
    /* a correlated aggregate is computed per correlation key value */
    for (int i = 0; correlated && aggs.n && i < corr->keys_inner.n; i++) pv_push(b->a, &keys, corr->keys_inner.v[i]);
    int grouped = keys.n > 0 || aggs.n > 0 || windowed || s->having;
    /* ORDER BY expressions may hold aggregates too: bind them now */
    if (b->d->nerrors > errs) return NULL;

    in = sc.input; /* the select list may have attached scalar subqueries */
    Plan *g = NULL;
    PostAgg pa = {b, NULL, keys.n, windowed ? 2 : 0, 0};
    if (grouped) {
        /* ORDER BY aggregates must exist as accumulators before the plan is built */
        for (int i = 0; order && i < order->n; i++) {
            Expr *oe = ((OrderItem *)order->v[i])->expr;
            int names_output = oe->kind == E_LIT_INT;
            for (int k = 0; k < s->items.n && oe->kind == E_COLUMN && !oe->qual; k++)
                names_output |= strcasecmp(bd_item_name(b, s->items.v[k], k), oe->sval) == 0;
            if (!names_output) {
                BindCtx ocx = cx;
                ocx.clause = "ORDER BY";
                ocx.grouped = 1;
                bd_expr(b, &ocx, oe);
            }
        }
        g = bd_agg_plan(b, in, s, &keys, &aggs);
        pa.agg = g;
        if (windowed && !s->window.time_col) {
            /* no explicit time column: the source's event time, else ingest time */
            Relation *r0 = sc.rels[0].rel;
            const char *et = r0 ? cat_prop(r0, "event.time.field") : NULL;
            int ci = et ? cat_column_index(r0, et) : -1;
            if (et && ci < 0)
                diag_error(b->d, s->window.pos, NULL, "'event.time.field' names '%s', which is not a column of '%s'", et, r0->name);
            else if (ci >= 0 && sc.input->cols[ci].type.tag != VT_TIMESTAMP)
                diag_error(b->d, s->window.pos, NULL, "event time column '%s' must be a TIMESTAMP", et);
            g->win_time_col = ci;
        }
        if (windowed && s->window.time_col) {
            BindCtx tcx = {&sc, "WINDOW", 0, 0, 0, &aggs, NULL, NULL, 0, NULL};
            Expr *tc = s->window.time_col;
            if (bd_expr(b, &tcx, tc) == 0) {
                if (tc->kind != E_COLUMN || tc->type.tag != VT_TIMESTAMP)
                    diag_error(b->d, tc->pos, NULL, "the time column of a WINDOW must be a TIMESTAMP column");
                else g->win_time_col = tc->col_index;
            }
        }
        in = bd_attach_deferred(b, g, &pa, &deferred);
        if (s->having) {
            Plan *f = pl_new(b->a, b->job, P_FILTER, in);
            f->pred = bd_post_agg(&pa, s->having);
            bd_need_bool(b, s->having, "HAVING condition");
            f->ncols = in->ncols;
            f->cols = in->cols;
            f->est_rows = in->est_rows;
            f->est_source = "default";
            in = f;
        }
    }
    if (wins.n) {
        if (grouped) {
            diag_error(b->d, ((Expr *)wins.v[0])->pos, NULL,
                       "window functions (OVER) in a query with GROUP BY or aggregates are not supported yet");
            return NULL;
        }
        in = bd_analytic(b, in, &wins);
        if (pl_reads_unbounded(in) && bd_stream_analytic(b, in)) return NULL;
    }
    PtrVec exprs = {0}, names = {0};
    for (int i = 0; i < s->items.n; i++) {
        SelectItem *it = s->items.v[i];
        Expr *e = grouped ? bd_post_agg(&pa, it->expr) : wins.n ? bd_replace_wins(b, it->expr, &wins, in) : it->expr;
        pv_push(b->a, &exprs, e);
        pv_push(b->a, &names, (void *)bd_item_name(b, it, i));
    }
    if (correlated && bd_corr_outputs(b, corr, sc.input, g, &exprs, &names, ((SelectItem *)s->items.v[0])->expr)) return NULL;
    if (pa.errors || b->d->nerrors > errs) return NULL;
    int visible = exprs.n;
    int *ocols = NULL;
    if (order && order->n) {
        ocols = ar_alloc(b->a, sizeof(int) * (size_t)order->n);
        BindCtx ocx = cx;
        ocx.clause = "ORDER BY";
        ocx.sc = &sc;
        Plan *before = sc.input;
        for (int i = 0; i < order->n; i++) {
            ocols[i] = bd_order_item(b, order->v[i], NULL, visible, &exprs, &names, &ocx, grouped ? &pa : NULL);
            if (ocols[i] < 0) return NULL;
        }
        /* a scalar subquery in ORDER BY joined itself to the input */
        if (sc.input != before && wins.n) {
            diag_error(b->d, ((OrderItem *)order->v[0])->expr->pos, NULL,
                       "a scalar subquery in ORDER BY of a query with window functions is not supported");
            return NULL;
        }
        if (sc.input != before && !grouped) in = sc.input; /* else in is the Aggregate or Analytic above it */
    }
    Plan *proj = bd_project(b, in, &exprs, (const char **)names.v);
    if (s->distinct) {
        if (exprs.n > visible) {
            diag_error(b->d, ((OrderItem *)order->v[0])->expr->pos, NULL,
                       "for SELECT DISTINCT, ORDER BY expressions must appear in the select list");
            return NULL;
        }
        proj = bd_distinct(b, proj);
    }
    Plan *top = proj;
    if (order && order->n) top = bd_sort(b, top, order->n, ocols, order, limit);
    else if (limit >= 0) top = bd_limit(b, top, limit);
    if (exprs.n > visible) {
        PtrVec keep = {0};
        for (int i = 0; i < visible; i++)
            pv_push(b->a, &keep, ex_col(b->a, i, proj->cols[i].type, proj->cols[i].nullable, proj->cols[i].name, s->pos));
        top = bd_project(b, top, &keep, (const char **)names.v);
    }
    /* DESIGN §3: without a window, an aggregate over an unbounded source
     * emits changes (it would never emit otherwise); over files it is final */
    if (g) g->emit = s->emit != EMIT_DEFAULT ? s->emit : (!windowed && pl_reads_unbounded(in)) ? EMIT_CHANGES : EMIT_FINAL;
    return top;
}

/* UNION [ALL]: branches unified to common column types. */
static Plan *bd_query(Binder *b, Query *q)
{
    if (q->ctes.n) {
        int base = b->ctes.n;
        for (int i = 0; i < q->ctes.n; i++) pv_push(b->a, &b->ctes, q->ctes.v[i]);
        PtrVec save = q->ctes;
        q->ctes.n = 0;
        Plan *p = bd_query(b, q);
        q->ctes = save;
        b->ctes.n = base;
        return p;
    }
    if (q->selects.n == 1) return bd_select(b, q->selects.v[0], &q->order_by, q->limit);
    Plan *u = pl_new(b->a, b->job, P_UNION, NULL);
    u->pos = q->pos;
    for (int i = 0; i < q->selects.n; i++) {
        Select *s = q->selects.v[i];
        if (i > 1 && !q->union_all.v[i - 1] != !q->union_all.v[0]) {
            diag_error(b->d, s->pos, NULL, "mixing UNION and UNION ALL in one query is not supported; use a CTE");
            return NULL;
        }
        Plan *p = bd_select(b, s, NULL, -1);
        if (!p) return NULL;
        if (i == 0) {
            u->ncols = p->ncols;
            u->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)p->ncols);
            memcpy(u->cols, p->cols, sizeof(PlanCol) * (size_t)p->ncols);
        } else if (p->ncols != u->ncols) {
            diag_error(b->d, s->pos, NULL, "each UNION branch must have the same number of columns (%d vs %d)", u->ncols, p->ncols);
            return NULL;
        } else {
            for (int c = 0; c < p->ncols; c++) {
                TypeSpec t = ty_common(u->cols[c].type, p->cols[c].type);
                if (t.tag == VT_NULL) {
                    diag_error(b->d, s->pos, NULL, "UNION column %d has types %s and %s with no common type", c + 1,
                               bd_tn(b, u->cols[c].type), bd_tn(b, p->cols[c].type));
                    return NULL;
                }
                u->cols[c].type = t;
                u->cols[c].nullable |= p->cols[c].nullable;
            }
        }
        pv_push(b->a, &u->inputs, p);
        u->est_rows = (u->est_rows < 0 ? 0 : u->est_rows) + (p->est_rows < 0 ? 1000 : p->est_rows);
    }
    u->est_source = "default";
    Plan *top = q->union_all.v[0] ? u : bd_distinct(b, u); /* UNION removes duplicates */
    if (q->order_by.n) {
        int *cols = ar_alloc(b->a, sizeof(int) * (size_t)q->order_by.n);
        for (int i = 0; i < q->order_by.n; i++) {
            cols[i] = bd_order_item(b, q->order_by.v[i], u, u->ncols, NULL, NULL, NULL, NULL);
            if (cols[i] < 0) return NULL;
        }
        top = bd_sort(b, top, q->order_by.n, cols, &q->order_by, q->limit);
    } else if (q->limit >= 0) {
        top = bd_limit(b, top, q->limit);
    }
    return top;
}

/* ---- statements -------------------------------------------------------- */

static void bd_collect_from(Query *q, PtrVec *names, Arena *a)
{
    for (int i = 0; i < q->selects.n; i++) {
        Select *s = q->selects.v[i];
        for (int j = 0; j < s->from.n; j++) {
            TableRef *t = s->from.v[j];
            if (t->name) pv_push(a, names, (void *)t->name);
            if (t->subquery) bd_collect_from(t->subquery, names, a);
        }
    }
}

/* Split WITH properties of a statement by namespace: 'trades.path' belongs
 * to trades (a name the statement uses), anything else to `own`. */
static void bd_split_props(Binder *b, Stmt *st, const char *own_name, PtrVec *own, PtrVec *names, PtrVec *per)
{
    for (int i = 0; i < st->props.n; i++) {
        Property *p = st->props.v[i];
        const char *dot = strchr(p->key, '.');
        int placed = 0;
        if (dot) {
            size_t n = (size_t)(dot - p->key);
            for (int k = 0; k < names->n && !placed; k++) {
                const char *nm = names->v[k];
                if (strlen(nm) == n && strncasecmp(nm, p->key, n) == 0) {
                    Property *q = ar_alloc(b->a, sizeof *q);
                    *q = *p;
                    q->key = dot + 1;
                    pv_push(b->a, (PtrVec *)per->v[k], q);
                    placed = 1;
                }
            }
            if (!placed && own_name && strlen(own_name) == n && strncasecmp(own_name, p->key, n) == 0) {
                Property *q = ar_alloc(b->a, sizeof *q);
                *q = *p;
                q->key = dot + 1;
                pv_push(b->a, own, q);
                placed = 1;
            }
        }
        if (!placed) pv_push(b->a, own, p);
    }
}

/* Define the sources a statement names in its namespaced properties. */
static int bd_define_sources(Binder *b, Stmt *st, const char *own_name, PtrVec *own)
{
    PtrVec names = {0}, per = {0};
    if (st->query) bd_collect_from(st->query, &names, b->a);
    for (int i = 0; i < names.n; i++) pv_push(b->a, &per, ar_alloc(b->a, sizeof(PtrVec)));
    bd_split_props(b, st, own_name, own, &names, &per);
    int rc = 0;
    for (int i = 0; i < names.n; i++) {
        PtrVec *props = per.v[i];
        if (!props->n) continue;
        const char *nm = names.v[i];
        if (cat_find(b->cat, nm)) {
            Property *p = props->v[0];
            diag_error(b->d, p->pos, NULL, "'%s' is already defined; its properties cannot be set here", nm);
            rc = -1;
            continue;
        }
        if (!cat_define(b->cat, nm, ((Property *)props->v[0])->pos, 0, NULL, props, 0)) {
            pv_push(b->a, &b->cat->failed, (void *)nm);
            rc = -1;
        }
    }
    return rc;
}

static Plan *bd_sink(Binder *b, Plan *top, Relation *sink)
{
    Plan *s = pl_new(b->a, b->job, P_SINK, top);
    s->sink = sink;
    s->ncols = top->ncols;
    s->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(top->ncols + 1));
    for (int i = 0; i < top->ncols; i++) {
        s->cols[i] = top->cols[i];
        if (s->cols[i].type.tag == VT_NULL) s->cols[i].type = ty_make(VT_STRING); /* SELECT NULL */
    }
    s->est_rows = top->est_rows;
    s->est_source = top->est_source;
    return s;
}

static int bd_check_insert(Binder *b, Relation *r, Plan *top, SrcPos pos)
{
    if (r->kind != REL_FILE_SINK && r->kind != REL_STDOUT_SINK && r->kind != REL_KAFKA_SINK) {
        diag_error(b->d, pos, NULL, "'%s' is a source; INSERT INTO needs a sink", r->name);
        return -1;
    }
    if (r->ncols && r->ncols != top->ncols) {
        diag_error(b->d, pos, NULL, "'%s' has %d columns but the query produces %d", r->name, r->ncols, top->ncols);
        return -1;
    }
    for (int i = 0; i < r->ncols; i++) {
        if (ty_equal(r->cols[i].type, top->cols[i].type) || top->cols[i].type.tag == VT_NULL) continue;
        diag_error(b->d, pos, NULL, "column %d of '%s' is %s but the query produces %s", i + 1, r->name, bd_tn(b, r->cols[i].type),
                   bd_tn(b, top->cols[i].type));
        return -1;
    }
    return 0;
}

/* Output columns that are GROUP BY keys of the aggregate under the final
 * projection, comma-separated; NULL when the query does not group. */
static const char *bd_group_key_columns(Binder *b, Plan *top)
{
    Plan *p = top;
    while (p->kind == P_SORT || p->kind == P_LIMIT || p->kind == P_FILTER) p = p->child;
    if (p->kind != P_PROJECT) return NULL;
    Plan *g = p->child;
    while (g->kind == P_FILTER) g = g->child;
    if (g->kind != P_AGG || g->nkeys == 0) return NULL;
    StrBuf sb;
    sb_init(&sb);
    for (int i = 0; i < p->ncols; i++) {
        Expr *e = p->exprs[i];
        if (e->kind == E_COLUMN && e->col_index >= 0 && e->col_index < g->nkeys) sb_printf(&sb, "%s%s", sb.n ? "," : "", p->cols[i].name);
    }
    const char *r = sb.n ? ar_strdup(b->a, sb.p) : NULL;
    sb_free(&sb);
    return r;
}

static Relation *bd_sink_from_query(Binder *b, Stmt *st, PtrVec *own, Plan *top)
{
    PtrVec cols = {0};
    for (int i = 0; i < top->ncols; i++) {
        ColumnDef *cd = ar_alloc(b->a, sizeof *cd);
        cd->name = top->cols[i].name;
        cd->type = top->cols[i].type.tag == VT_NULL ? ty_make(VT_STRING) : top->cols[i].type;
        cd->pos = st->pos;
        pv_push(b->a, &cols, cd);
    }
    /* a Kafka sink of an aggregate is keyed by its GROUP BY columns */
    int has_key = 0, kafka = 0;
    for (int i = 0; i < own->n; i++) {
        Property *p = own->v[i];
        has_key |= strcasecmp(p->key, "key.columns") == 0;
        kafka |= strcasecmp(p->key, "type") == 0 && strcasecmp(p->value, "kafka_sink") == 0;
    }
    const char *keys = kafka && !has_key ? bd_group_key_columns(b, top) : NULL;
    if (keys) {
        Property *p = ar_alloc(b->a, sizeof *p);
        p->key = "key.columns";
        p->value = keys;
        p->pos = st->pos;
        pv_push(b->a, own, p);
    }
    return cat_define(b->cat, st->name, st->name_pos, st->is_table, &cols, own, 1);
}

/* ---- SHOW and DESCRIBE: constant rows computed at compile time ---------- */

static Expr *bd_str_lit(Binder *b, const char *s, SrcPos pos)
{
    Expr *e = ex_new(b->a, E_LIT_STR, pos);
    e->sval = s ? s : "";
    e->slen = strlen(e->sval);
    e->type = ty_make(VT_STRING);
    return e;
}

static Plan *bd_values(Binder *b, SrcPos pos, int ncols, const char *const *names)
{
    Plan *v = pl_new(b->a, b->job, P_VALUES, NULL);
    v->pos = pos;
    v->ncols = ncols;
    v->cols = ar_alloc(b->a, sizeof(PlanCol) * (size_t)(ncols + 1));
    for (int i = 0; i < ncols; i++) {
        v->cols[i].name = names[i];
        v->cols[i].type = ty_make(VT_STRING);
    }
    return v;
}

static void bd_values_row(Binder *b, Plan *v, const char *const *vals)
{
    Expr **row = ar_alloc(b->a, sizeof(Expr *) * (size_t)(v->ncols + 1));
    for (int i = 0; i < v->ncols; i++) row[i] = bd_str_lit(b, vals[i], v->pos);
    pv_push(b->a, &v->rows, row);
}

static int bd_like(const char *s, const char *pattern)
{
    if (!pattern) return 1;
    vstr a = {s, (i64)strlen(s)}, p = {pattern, (i64)strlen(pattern)};
    return vs_like(a, p, -1);
}

/* SHOW FUNCTIONS / STREAMS / TABLES and DESCRIBE as P_VALUES, so both
 * backends print them the same way; NULL for other SHOW statements. */
static Plan *bd_show(Binder *b, Stmt *st)
{
    if (st->kind == S_DESCRIBE) {
        static const char *const names[] = {"column", "type", "key"};
        Relation *r = cat_find(b->cat, st->name);
        Plan *v = bd_values(b, st->pos, 3, names);
        for (int j = 0; j < r->ncols; j++) {
            const char *row[] = {r->cols[j].name, ty_name(b->a, r->cols[j].type), r->cols[j].primary_key ? "PRIMARY KEY" : ""};
            bd_values_row(b, v, row);
        }
        return v;
    }
    if (!strcmp(st->show_what, "FUNCTIONS")) {
        static const char *const names[] = {"name", "kind", "signature", "description"};
        Plan *v = bd_values(b, st->pos, 4, names);
        for (int i = 0; i < fn_count(); i++) {
            const FuncDef *f = fn_at(i);
            if (!bd_like(f->name, st->show_like)) continue;
            const char *kind = f->kind == FN_AGG ? "aggregate" : f->kind == FN_ANALYTIC ? "analytic" : "scalar";
            const char *row[] = {f->name, kind, fn_signature(b->a, f), f->doc};
            bd_values_row(b, v, row);
        }
        return v;
    }
    if (!strcmp(st->show_what, "STREAMS") || !strcmp(st->show_what, "TABLES")) {
        static const char *const names[] = {"name", "kind", "connector", "format", "path", "columns"};
        static const char *const kinds[] = {"file_source", "file_sink", "stdout_sink", "kafka_source", "kafka_sink", "nexmark_source"};
        int tables = !strcmp(st->show_what, "TABLES");
        Plan *v = bd_values(b, st->pos, st->show_with_schemas ? 6 : 5, names);
        for (int i = 0; i < b->cat->rels.n; i++) {
            Relation *r = b->cat->rels.v[i];
            if (r->is_table != tables || !bd_like(r->name, st->show_like)) continue;
            StrBuf sb;
            sb_init(&sb);
            for (int j = 0; j < r->ncols; j++) sb_printf(&sb, "%s%s %s", j ? ", " : "", r->cols[j].name, ty_name(b->a, r->cols[j].type));
            const char *row[] = {r->name,
                                 r->is_table ? "TABLE" : "STREAM",
                                 kinds[r->kind],
                                 r->format ? r->format : "",
                                 r->path ? r->path : "",
                                 ar_strdup(b->a, sb.p ? sb.p : "")};
            sb_free(&sb);
            bd_values_row(b, v, row);
        }
        return v;
    }
    return NULL;
}

static void bd_stmt(Binder *b, Stmt *st, PtrVec *meta)
{
    PtrVec own = {0};
    switch (st->kind) {
    case S_CREATE_SOURCE:
        if (cat_find(b->cat, st->name)) {
            diag_error(b->d, st->name_pos, NULL, "'%s' is already defined", st->name);
            return;
        }
        if (!cat_define(b->cat, st->name, st->name_pos, st->is_table, &st->columns, &st->props, -1))
            pv_push(b->a, &b->cat->failed, (void *)st->name);
        return;
    case S_CREATE_AS: {
        if (cat_find(b->cat, st->name)) {
            diag_error(b->d, st->name_pos, NULL, "'%s' is already defined", st->name);
            return;
        }
        if (bd_define_sources(b, st, st->name, &own)) return;
        Plan *top = bd_query(b, st->query);
        if (!top) return;
        Relation *sink = bd_sink_from_query(b, st, &own, top);
        if (sink) pv_push(b->a, &b->job->plans, bd_sink(b, top, sink));
        return;
    }
    case S_INSERT:
    case S_SELECT: {
        const char *target = st->kind == S_INSERT ? st->name : NULL;
        SrcPos tpos = st->name_pos;
        if (!target && st->query->selects.n == 1) {
            Select *s = st->query->selects.v[0];
            target = s->into;
            tpos = s->into_pos;
        }
        if (bd_define_sources(b, st, target, &own)) return;
        Relation *sink = NULL;
        if (target) {
            sink = cat_find(b->cat, target);
            if (!sink && own.n) {
                Plan *top = bd_query(b, st->query);
                if (!top) return;
                Stmt tmp = *st;
                tmp.name = target;
                tmp.name_pos = tpos;
                sink = bd_sink_from_query(b, &tmp, &own, top);
                if (sink) pv_push(b->a, &b->job->plans, bd_sink(b, top, sink));
                return;
            }
            if (!sink) {
                diag_error(b->d, tpos, cat_suggest(b->cat, target), "unknown sink '%s'", target);
                return;
            }
        } else if (own.n) {
            Property *p = own.v[0];
            diag_error(b->d, p->pos, NULL, "property '%s' does not name a source of this query", p->key);
            return;
        }
        Plan *top = bd_query(b, st->query);
        if (!top) return;
        if (sink && bd_check_insert(b, sink, top, tpos)) return;
        pv_push(b->a, &b->job->plans, bd_sink(b, top, sink));
        return;
    }
    case S_EXPLAIN: {
        MetaStmt *m = ar_alloc(b->a, sizeof *m);
        m->stmt = st;
        m->job = ar_alloc(b->a, sizeof(Job));
        Job *save = b->job;
        b->job = m->job;
        bd_stmt(b, st->inner, meta);
        b->job = save;
        pv_push(b->a, meta, m);
        return;
    }
    case S_SHOW:
    case S_DESCRIBE: {
        if (st->kind == S_DESCRIBE && !cat_find(b->cat, st->name)) {
            diag_error(b->d, st->name_pos, cat_suggest(b->cat, st->name), "unknown stream or table '%s'", st->name);
            return;
        }
        Plan *rows = bd_show(b, st);
        if (rows) {
            pv_push(b->a, &b->job->plans, bd_sink(b, rows, NULL));
            return;
        }
        MetaStmt *m = ar_alloc(b->a, sizeof *m);
        m->stmt = st;
        pv_push(b->a, meta, m);
        return;
    }
    }
}

int bd_bind_script(Binder *b, Script *s, PtrVec *meta)
{
    int before = b->d->nerrors;
    for (int i = 0; i < s->stmts.n; i++) bd_stmt(b, s->stmts.v[i], meta);
    return b->d->nerrors - before;
}
