/*
 * codegen.c -- logical plan to C (see codegen.h).
 *
 * produce(p) emits the loop that generates p's rows; consume(p, from)
 * emits, inside that loop, what p does with one row of its child. Values
 * are CVal pairs of C expressions: the value and its null flag ("0" when it
 * can never be NULL). A record that fails (overflow, division by zero, bad
 * conversion) jumps to the pipeline's `next` label after being sent to the
 * dead-letter sink with the id of the failing operator.
 */
#include "codegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "functions.h"

typedef struct CVal {
    const char *v, *n;
    TypeSpec t;
} CVal;

typedef struct Cg {
    Arena *a;
    StrBuf top;   /* file-scope declarations */
    StrBuf funcs; /* file-scope functions (window output chains) */
    StrBuf body;  /* current function body */
    int tmp;      /* temporary counter */
    int lit;      /* literal counter */
    int pipes;
    const char *script;
    Plan **parent; /* by plan id */
    CVal **outv;   /* by plan id: the output columns of each operator */
    int maxid;
    int analyze;           /* EXPLAIN ANALYZE counters */
    int ckpt;              /* statement number when the current statement can checkpoint, else 0 */
    int ckpt_sink;         /* its sink's id */
    const Plan *ckpt_scan; /* the scan whose position the checkpoints record */
    u8 *part_wm;           /* by operator id: a window keeps per-partition watermarks */
    const Plan *lazy_scan; /* a scan whose lazy_cols are decoded by the probe it feeds, after a match */
    u8 *lazy_cols;
    u8 *lazy_filters; /* its pushed filters that the probe checks after those (Plan.pushed_late) */
    int memo_in;      /* inside this join's loop over matching build rows (cg_memo_agg) */
    /* current pipeline */
    const char *next_label;
    const char *done_label;
    int cur_op;
    int depth;
} Cg;

static void cg_consume(Cg *g, Plan *p, Plan *from);
static void cg_produce(Cg *g, Plan *p);
static void cg_join_free(Cg *g, Plan *p);
static const char *null_value(TypeSpec t);
static CVal cg_expr(Cg *g, Expr *e, CVal *in);

/* ---- text helpers ------------------------------------------------------ */

void cg_c_string(StrBuf *b, const char *s, size_t n)
{
    sb_add(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '.' ||
                   c == ',' || c == ':' || c == '/' || c == '-' || c == '=';
        if (safe) {
            sb_add(b, (const char *)&c, 1);
        } else {
            char o[5];
            snprintf(o, sizeof o, "\\%03o", c);
            sb_add(b, o, 4);
        }
    }
    sb_add(b, "\"", 1);
}

static void emit(Cg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(Cg *g, const char *fmt, ...)
{
    for (int i = 0; i < g->depth; i++) sb_add(&g->body, "    ", 4);
    va_list ap;
    va_start(ap, fmt);
    char *s = ar_vprintf(g->a, fmt, ap);
    va_end(ap);
    sb_puts(&g->body, s);
    sb_add(&g->body, "\n", 1);
}

static const char *fmt(Cg *g, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(Cg *g, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = ar_vprintf(g->a, f, ap);
    va_end(ap);
    return s;
}

static const char *tmpname(Cg *g)
{
    return fmt(g, "t%d", ++g->tmp);
}

/* Copy an operator's outputs into fresh temporaries. Breakers hand their
 * consumers values read through loop variables (g->a0, r->c1, e->c2);
 * nested operators declare loop variables of the same names, so their
 * consumers must only ever see uniquely named copies. */
static void cg_materialize(Cg *g, CVal *o, int n);

/* A static string literal (user text) as a vstr constant. */
static const char *cg_lit_str(Cg *g, const char *s, size_t n)
{
    int id = ++g->lit;
    sb_printf(&g->top, "static const char L%d[] = ", id);
    cg_c_string(&g->top, s, n);
    sb_printf(&g->top, ";\nstatic const vstr S%d = {L%d, %zu};\n", id, id, n);
    return fmt(g, "S%d", id);
}

static const char *cg_lit_cstr(Cg *g, const char *s)
{
    int id = ++g->lit;
    sb_printf(&g->top, "static const char L%d[] = ", id);
    cg_c_string(&g->top, s, strlen(s));
    sb_puts(&g->top, ";\n");
    return fmt(g, "L%d", id);
}

/* #line points the C compiler's own messages at the SQL, but only with a
 * file name reduced to safe characters. */
static void cg_line(Cg *g, SrcPos pos)
{
    if (pos.line <= 0) return;
    StrBuf b;
    sb_init(&b);
    for (const char *p = g->script; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/' || c == '_' || c == '-';
        sb_add(&b, ok ? &c : "_", 1);
    }
    sb_printf(&g->body, "#line %d \"%s\"\n", pos.line, b.p ? b.p : "query.sql");
    sb_free(&b);
}

/* EXPLAIN ANALYZE: wall time of a pipeline, charged to its first operator;
 * and CG_AN_OP names the operator whose code runs, for the CPU samples
 * compiler/main.c takes (set on entering an operator's code, set back to
 * its input's after, and to the scan's at each record's end). */
static void cg_timer_start(Cg *g, int id)
{
    if (g->analyze) emit(g, "i64 an_t%d = vt_now(); " CG_AN_OP " = %d;", id, id);
}

static void cg_timer_stop(Cg *g, int id)
{
    if (g->analyze) emit(g, "velo_an_us[%d] += vt_now() - an_t%d;", id, id);
}

static void cg_bad(Cg *g)
{
    emit(g, "if (rt->err) { velo_bad_record(rt, %d, 0); goto %s; }", g->cur_op, g->next_label);
}

static int is_null_const(CVal v)
{
    return strcmp(v.n, "0") != 0;
}

static const char *null_or(Cg *g, const char *a, const char *b)
{
    if (!strcmp(a, "0")) return b;
    if (!strcmp(b, "0")) return a;
    return fmt(g, "(%s | %s)", a, b);
}

static void emit(Cg *g, const char *fmt, ...);

static void cg_materialize(Cg *g, CVal *o, int n)
{
    for (int i = 0; i < n; i++) {
        if (!o[i].v) continue; /* a column nobody reads */
        const char *v = tmpname(g);
        emit(g, "%s %s = %s; u8 %sn = %s;", ty_ctype(o[i].t), v, o[i].v, v, o[i].n);
        o[i].v = v;
        o[i].n = fmt(g, "%sn", v);
    }
}

/* ---- conversions ------------------------------------------------------- */

static int scale_of(TypeSpec t)
{
    return t.tag == VT_DECIMAL ? t.scale : 0;
}

/* C expression converting value expression v of type from into type to.
 * *fallible is set when the conversion may call velo_fail. */
static const char *cg_conv(Cg *g, const char *v, TypeSpec from, TypeSpec to, int *fallible)
{
    int f = from.tag, t = to.tag;
    if (f == VT_NULL) return t == VT_STRING ? "((vstr){0, 0})" : "0";
    if (f == t && (t != VT_DECIMAL || from.scale == to.scale)) {
        if (t == VT_DECIMAL && to.prec < from.prec) {
            *fallible = 1;
            return fmt(g, "vd_check_prec(rt, %s, %d)", v, to.prec);
        }
        return v;
    }
    switch (t) {
    case VT_DOUBLE:
        if (f == VT_DECIMAL) return fmt(g, "vd_to_f64(%s, %d)", v, from.scale);
        if (f == VT_STRING) {
            *fallible = 1;
            return fmt(g, "vs_to_f64(rt, %s)", v);
        }
        return fmt(g, "((double)(%s))", v);
    case VT_INT:
    case VT_BIGINT: {
        const char *r = v;
        if (f == VT_DECIMAL) {
            *fallible = 1;
            r = fmt(g, "vd_to_i64(rt, %s, %d)", v, from.scale);
        } else if (f == VT_DOUBLE) {
            *fallible = 1;
            r = fmt(g, "vd_to_i64(rt, vd_from_f64(rt, %s, 0), 0)", v);
        } else if (f == VT_STRING) {
            *fallible = 1;
            r = fmt(g, "vs_to_i64(rt, %s)", v);
        } else if (f == VT_BOOL) r = fmt(g, "((i64)(%s))", v);
        else if (f == VT_TIMESTAMP) r = fmt(g, "((%s) / 1000)", v);
        if (t == VT_INT && f != VT_INT && f != VT_BOOL) {
            *fallible = 1;
            r = fmt(g, "vi_check_i32(rt, %s)", r);
        }
        return r;
    }
    case VT_DECIMAL: {
        *fallible = 1;
        const char *r;
        if (f == VT_DECIMAL) r = fmt(g, "vd_rescale(rt, %s, %d, %d)", v, from.scale, to.scale);
        else if (f == VT_DOUBLE) r = fmt(g, "vd_from_f64(rt, %s, %d)", v, to.scale);
        else if (f == VT_STRING) return fmt(g, "vs_to_dec(rt, %s, %d, %d)", v, to.prec, to.scale);
        else r = fmt(g, "vd_from_i64(rt, %s, %d)", v, to.scale);
        return fmt(g, "vd_check_prec(rt, %s, %d)", r, to.prec);
    }
    case VT_STRING:
        switch (f) {
        case VT_BOOL: return fmt(g, "vs_from_bool(rt, %s)", v);
        case VT_DOUBLE: return fmt(g, "vs_from_f64(rt, %s)", v);
        case VT_DECIMAL: return fmt(g, "vs_from_dec(rt, %s, %d)", v, from.scale);
        case VT_TIMESTAMP: return fmt(g, "vs_from_ts(rt, %s)", v);
        default: return fmt(g, "vs_from_i64(rt, %s)", v);
        }
    case VT_BOOL:
        if (f == VT_STRING) {
            *fallible = 1;
            return fmt(g, "vs_to_bool(rt, %s)", v);
        }
        return fmt(g, "((%s) != 0)", v);
    case VT_TIMESTAMP:
        if (f == VT_STRING) {
            *fallible = 1;
            return fmt(g, "vs_to_ts(rt, %s)", v);
        }
        return fmt(g, "vi_mul(rt, %s, 1000)", v);
    default: return v;
    }
}

/* Convert a CVal into a fresh temporary of type `to` (checked). */
static CVal cg_to(Cg *g, CVal x, TypeSpec to)
{
    if (ty_equal(x.t, to) && x.t.tag != VT_NULL) return x;
    int fallible = 0;
    const char *c = cg_conv(g, x.v, x.t, to, &fallible);
    CVal r = {tmpname(g), x.n, to};
    if (!fallible) {
        emit(g, "%s %s = %s;", ty_ctype(to), r.v, c);
        return r;
    }
    if (is_null_const(x)) {
        emit(g, "%s %s = %s;", ty_ctype(to), r.v, to.tag == VT_STRING ? "(vstr){0, 0}" : "0");
        emit(g, "if (!%s) { %s = %s; }", x.n, r.v, c);
    } else {
        emit(g, "%s %s = %s;", ty_ctype(to), r.v, c);
    }
    cg_bad(g);
    return r;
}

/* ---- expressions ------------------------------------------------------- */

static CVal cg_literal(Cg *g, Expr *e)
{
    CVal r = {"0", "0", e->type};
    switch (e->kind) {
    case E_LIT_NULL:
        r.n = "1";
        r.t = ty_make(VT_NULL);
        break;
    case E_LIT_BOOL: r.v = e->ival ? "1" : "0"; break;
    case E_LIT_INT:
    case E_LIT_DEC:
    case E_LIT_TS:
    case E_LIT_INTERVAL: r.v = e->ival == VELO_I64_MIN ? "VELO_I64_MIN" : fmt(g, "%lldLL", (long long)e->ival); break;
    case E_LIT_DOUBLE:
        r.v = fmt(g, "%.17g", e->dval);
        if (!strpbrk(r.v, ".en")) r.v = fmt(g, "%s.0", r.v);
        break;
    case E_LIT_STR: r.v = cg_lit_str(g, e->sval, e->slen); break;
    default: break;
    }
    return r;
}

/* Emit "T name = 0; u8 nname = n;" and open "if (!n) {" when n may be set. */
static CVal cg_result(Cg *g, TypeSpec t, const char *n)
{
    CVal r = {tmpname(g), NULL, t};
    r.n = fmt(g, "%sn", r.v);
    emit(g, "%s %s = %s; u8 %s = %s;", ty_ctype(t), r.v, t.tag == VT_STRING ? "(vstr){0, 0}" : "0", r.n, n);
    return r;
}

static void cg_open_notnull(Cg *g, CVal r)
{
    emit(g, "if (!%s) {", r.n);
    g->depth++;
}

static void cg_close(Cg *g)
{
    g->depth--;
    emit(g, "}");
}

static const char *arith_fn(int op)
{
    static const char *const f[] = {"add", "sub", "mul", "div", "mod"};
    return f[op];
}

static CVal cg_arith(Cg *g, Expr *e, CVal a, CVal b)
{
    TypeSpec t = e->type;
    CVal r = cg_result(g, t, null_or(g, a.n, b.n));
    cg_open_notnull(g, r);
    if (t.tag == VT_DOUBLE) {
        CVal x = cg_to(g, a, t), y = cg_to(g, b, t);
        if (e->op == OP_DIV) emit(g, "%s = vf64_div(rt, %s, %s);", r.v, x.v, y.v);
        else if (e->op == OP_MOD) emit(g, "%s = vf64_mod(rt, %s, %s);", r.v, x.v, y.v);
        else emit(g, "%s = %s %c %s;", r.v, x.v, "+-*"[e->op], y.v);
        if (e->op >= OP_DIV) cg_bad(g);
    } else if (t.tag == VT_DECIMAL) {
        emit(g, "%s = vd_%s(rt, %s, %d, %s, %d, %d);", r.v, arith_fn(e->op), a.v, scale_of(a.t), b.v, scale_of(b.t), t.scale);
        cg_bad(g);
    } else {
        /* integers, and timestamp/interval arithmetic in microseconds */
        emit(g, "%s = vi_%s(rt, %s, %s);", r.v, arith_fn(e->op), a.v, b.v);
        if (t.tag == VT_INT) emit(g, "%s = vi_check_i32(rt, %s);", r.v, r.v);
        cg_bad(g);
    }
    cg_close(g);
    return r;
}

/* C condition comparing two non-NULL values with op (OP_EQ..OP_GE). */
static const char *cg_cmp_cond(Cg *g, int op, CVal a, CVal b)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    const char *o = ops[op - OP_EQ];
    TypeSpec ct = ty_common(a.t, b.t);
    if (a.t.tag == VT_NULL) ct = b.t;
    if (b.t.tag == VT_NULL) ct = a.t;
    if (ct.tag == VT_STRING) {
        if (op == OP_EQ) return fmt(g, "vs_eq(%s, %s)", a.v, b.v);
        if (op == OP_NE) return fmt(g, "!vs_eq(%s, %s)", a.v, b.v);
        return fmt(g, "(vs_cmp(%s, %s) %s 0)", a.v, b.v, o);
    }
    if (ct.tag == VT_DOUBLE) {
        int f = 0;
        const char *x = cg_conv(g, a.v, a.t, ct, &f), *y = cg_conv(g, b.v, b.t, ct, &f);
        return fmt(g, "(%s %s %s)", x, o, y);
    }
    if (ct.tag == VT_DECIMAL && scale_of(a.t) != scale_of(b.t))
        return fmt(g, "(vd_cmp(%s, %d, %s, %d) %s 0)", a.v, scale_of(a.t), b.v, scale_of(b.t), o);
    return fmt(g, "(%s %s %s)", a.v, o, b.v);
}

static CVal cg_compare(Cg *g, int op, CVal a, CVal b)
{
    CVal r = cg_result(g, ty_make(VT_BOOL), null_or(g, a.n, b.n));
    if (a.t.tag == VT_NULL || b.t.tag == VT_NULL) return r;
    const char *c = cg_cmp_cond(g, op, a, b);
    if (!strcmp(r.n, "0")) emit(g, "%s = %s;", r.v, c);
    else emit(g, "if (!%s) %s = %s;", r.n, r.v, c);
    return r;
}

/* Three-valued AND/OR; the right side is evaluated only when it matters,
 * so `b <> 0 AND a / b > 1` never divides by zero. */
static CVal cg_logic(Cg *g, Expr *e, CVal *in)
{
    int is_and = e->op == OP_AND;
    CVal a = cg_expr(g, e->left, in);
    CVal r = cg_result(g, ty_make(VT_BOOL), "0");
    /* decided by the left side alone: AND with FALSE, OR with TRUE */
    emit(g, "if (!%s && %s%s) { %s = %d; } else {", a.n, is_and ? "!" : "", a.v, r.v, is_and ? 0 : 1);
    g->depth++;
    CVal b = cg_expr(g, e->right, in);
    emit(g, "if (!%s && %s%s) %s = %d;", b.n, is_and ? "!" : "", b.v, r.v, is_and ? 0 : 1);
    emit(g, "else if (%s || %s) %s = 1;", a.n, b.n, r.n);
    emit(g, "else %s = %d;", r.v, is_and ? 1 : 0);
    cg_close(g);
    return r;
}

static CVal cg_str_of(Cg *g, CVal x)
{
    return x.t.tag == VT_STRING ? x : cg_to(g, x, ty_make(VT_STRING));
}

static CVal cg_case(Cg *g, Expr *e, CVal *in)
{
    CVal r = cg_result(g, e->type, "1");
    CVal op = {0};
    if (e->left) op = cg_expr(g, e->left, in);
    int opened = 0;
    for (int i = 0; i + 1 < e->args.n; i += 2) {
        CVal w = cg_expr(g, e->args.v[i], in);
        const char *cond;
        if (e->left) {
            CVal c = cg_compare(g, OP_EQ, op, w);
            cond = fmt(g, "!%s && %s", c.n, c.v);
        } else {
            cond = fmt(g, "!%s && %s", w.n, w.v);
        }
        emit(g, "if (%s) {", cond);
        g->depth++;
        CVal th = cg_to(g, cg_expr(g, e->args.v[i + 1], in), e->type);
        emit(g, "%s = %s; %s = %s;", r.v, th.v, r.n, th.n);
        g->depth--;
        emit(g, "} else {");
        g->depth++;
        opened++;
    }
    if (e->else_) {
        CVal el = cg_to(g, cg_expr(g, e->else_, in), e->type);
        emit(g, "%s = %s; %s = %s;", r.v, el.v, r.n, el.n);
    }
    while (opened--) cg_close(g);
    return r;
}

static CVal cg_in_list(Cg *g, Expr *e, CVal *in)
{
    CVal a = cg_expr(g, e->left, in);
    CVal r = cg_result(g, ty_make(VT_BOOL), a.n);
    const char *anynull = tmpname(g);
    emit(g, "int %s = 0;", anynull);
    cg_open_notnull(g, r);
    for (int i = 0; i < e->args.n; i++) {
        emit(g, "if (!%s) {", r.v);
        g->depth++;
        CVal x = cg_expr(g, e->args.v[i], in);
        if (x.t.tag == VT_NULL) emit(g, "%s = 1;", anynull);
        else emit(g, "if (%s) %s = 1; else if (%s) %s = 1;", x.n, anynull, cg_cmp_cond(g, OP_EQ, a, x), r.v);
        cg_close(g);
    }
    emit(g, "if (!%s && %s) %s = 1;", r.v, anynull, r.n);
    if (e->negated) emit(g, "%s = !%s;", r.v, r.v);
    cg_close(g);
    return r;
}

/* LIKE with a constant pattern: prefix, suffix, exact, contains and
 * ordered-literals ('%a%b%') forms avoid the general matcher. */
static CVal cg_like(Cg *g, Expr *e, CVal *in)
{
    CVal s = cg_expr(g, e->left, in);
    CVal p = cg_expr(g, e->right, in);
    CVal r = cg_result(g, ty_make(VT_BOOL), null_or(g, s.n, p.n));
    int esc = e->third ? (unsigned char)e->third->sval[0] : -1;
    const char *call = NULL;
    if (e->right->kind == E_LIT_STR && esc < 0) {
        const char *t = e->right->sval;
        size_t n = e->right->slen, wild = 0, pct = 0;
        for (size_t i = 0; i < n; i++) {
            if (t[i] == '%') pct++;
            if (t[i] == '%' || t[i] == '_') wild++;
        }
        if (wild == 0) call = fmt(g, "vs_eq(%s, %s)", s.v, p.v);
        else if (wild == 1 && pct == 1 && t[n - 1] == '%') call = fmt(g, "vf_starts_with(%s, %s)", s.v, cg_lit_str(g, t, n - 1));
        else if (wild == 1 && pct == 1 && t[0] == '%') call = fmt(g, "vf_ends_with(%s, %s)", s.v, cg_lit_str(g, t + 1, n - 1));
        else if (wild == pct && n >= 2 && t[0] == '%' && t[n - 1] == '%') /* '%a%', '%a%b%': literals in order */
            call = fmt(g, "vs_like_segments(%s, %s)", s.v, p.v);
    }
    if (!call) call = fmt(g, "vs_like(%s, %s, %d)", s.v, p.v, esc);
    emit(g, "if (!%s) %s = %s%s;", r.n, r.v, e->negated ? "!" : "", call);
    return r;
}

/* Plain scalar function from its template; arguments coerced to the
 * parameter classes, NULL in gives NULL out. */
static CVal cg_template(Cg *g, Expr *e, const FuncDef *f, CVal *in)
{
    CVal args[8];
    const char *n = "0";
    int np = (int)strlen(f->params);
    for (int i = 0; i < e->args.n && i < 8; i++) {
        CVal x = cg_expr(g, e->args.v[i], in);
        char c = f->params[i < np ? i : np - 1];
        TypeSpec want = c == 'd'   ? ty_make(VT_DOUBLE)
                        : c == 'i' ? ty_make(VT_BIGINT)
                        : c == 's' ? ty_make(VT_STRING)
                        : c == 't' ? ty_make(VT_TIMESTAMP)
                        : c == 'b' ? ty_make(VT_BOOL)
                                   : x.t;
        args[i] = cg_to(g, x, want);
        n = null_or(g, n, args[i].n);
    }
    StrBuf b;
    sb_init(&b);
    for (const char *p = f->ctmpl; *p; p++) {
        if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            sb_puts(&b, args[p[1] - '0'].v);
            p++;
        } else {
            sb_add(&b, p, 1);
        }
    }
    CVal r = cg_result(g, e->type, n);
    if (!strcmp(n, "0")) emit(g, "%s = %s;", r.v, b.p);
    else emit(g, "if (!%s) %s = %s;", r.n, r.v, b.p);
    sb_free(&b);
    if (f->fallible) cg_bad(g);
    return r;
}

static CVal cg_special(Cg *g, Expr *e, const FuncDef *f, CVal *in)
{
    int na = e->args.n;
    CVal a0 = na > 0 ? cg_expr(g, e->args.v[0], in) : (CVal){"0", "1", ty_make(VT_NULL)};
    TypeSpec t = e->type;
    switch (f->id) {
    case F_COALESCE:
    case F_IFNULL: {
        CVal r = cg_result(g, t, "1");
        CVal x = cg_to(g, a0, t);
        emit(g, "if (!%s) { %s = %s; %s = 0; }", x.n, r.v, x.v, r.n);
        for (int i = 1; i < na; i++) {
            emit(g, "if (%s) {", r.n);
            g->depth++;
            CVal y = cg_to(g, cg_expr(g, e->args.v[i], in), t);
            emit(g, "if (!%s) { %s = %s; %s = 0; }", y.n, r.v, y.v, r.n);
            cg_close(g);
        }
        return r;
    }
    case F_IF: {
        CVal r = cg_result(g, t, "1");
        emit(g, "if (!%s && %s) {", a0.n, a0.v);
        g->depth++;
        CVal x = cg_to(g, cg_expr(g, e->args.v[1], in), t);
        emit(g, "%s = %s; %s = %s;", r.v, x.v, r.n, x.n);
        g->depth--;
        emit(g, "} else {");
        g->depth++;
        CVal y = cg_to(g, cg_expr(g, e->args.v[2], in), t);
        emit(g, "%s = %s; %s = %s;", r.v, y.v, r.n, y.n);
        cg_close(g);
        return r;
    }
    case F_NULLIF: {
        CVal b = cg_expr(g, e->args.v[1], in);
        CVal r = cg_result(g, t, a0.n);
        emit(g, "%s = %s;", r.v, a0.v);
        if (b.t.tag != VT_NULL) emit(g, "if (!%s && !%s && %s) %s = 1;", a0.n, b.n, cg_cmp_cond(g, OP_EQ, a0, b), r.n);
        return r;
    }
    case F_GREATEST:
    case F_LEAST: {
        CVal r = cg_result(g, t, "1");
        for (int i = 0; i < na; i++) {
            CVal x = cg_to(g, i == 0 ? a0 : cg_expr(g, e->args.v[i], in), t);
            CVal cur = {r.v, "0", t};
            const char *better = cg_cmp_cond(g, f->id == F_GREATEST ? OP_GT : OP_LT, x, cur);
            emit(g, "if (!%s && (%s || %s)) { %s = %s; %s = 0; }", x.n, r.n, better, r.v, x.v, r.n);
        }
        return r;
    }
    case F_CONCAT:
    case F_CONCAT_WS: {
        CVal r = cg_result(g, t, f->id == F_CONCAT_WS ? a0.n : "0");
        CVal sep = f->id == F_CONCAT_WS ? cg_str_of(g, a0) : a0;
        const char *first = tmpname(g);
        emit(g, "int %s = 1;", first);
        for (int i = f->id == F_CONCAT_WS ? 1 : 0; i < na; i++) {
            CVal x = cg_str_of(g, i == 0 ? a0 : cg_expr(g, e->args.v[i], in));
            if (x.t.tag == VT_NULL) continue;
            emit(g, "if (!%s) {", x.n);
            g->depth++;
            if (f->id == F_CONCAT_WS) emit(g, "if (!%s) %s = vs_concat(rt, %s, %s);", first, r.v, r.v, sep.v);
            emit(g, "%s = vs_concat(rt, %s, %s); %s = 0;", r.v, r.v, x.v, first);
            cg_close(g);
        }
        return r;
    }
    case F_ROUND:
    case F_TRUNC: {
        CVal d = na > 1 ? cg_to(g, cg_expr(g, e->args.v[1], in), ty_make(VT_BIGINT)) : (CVal){"0", "0", ty_make(VT_BIGINT)};
        CVal r = cg_result(g, t, null_or(g, a0.n, d.n));
        cg_open_notnull(g, r);
        const char *fn = f->id == F_ROUND ? "round" : "trunc";
        if (a0.t.tag == VT_DECIMAL) {
            emit(g, "%s = vd_%s(rt, %s, %d, %s);", r.v, fn, a0.v, a0.t.scale, d.v);
            cg_bad(g);
        } else if (a0.t.tag == VT_DOUBLE) emit(g, "%s = vf_%s(%s, %s);", r.v, fn, a0.v, d.v);
        else emit(g, "%s = %s;", r.v, a0.v);
        cg_close(g);
        return r;
    }
    case F_FLOOR:
    case F_CEIL: {
        CVal r = cg_result(g, t, a0.n);
        cg_open_notnull(g, r);
        const char *fn = f->id == F_FLOOR ? "floor" : "ceil";
        if (a0.t.tag == VT_DECIMAL) {
            emit(g, "%s = vd_%s(rt, %s, %d);", r.v, fn, a0.v, a0.t.scale);
            cg_bad(g);
        } else if (a0.t.tag == VT_DOUBLE) emit(g, "%s = vf_%s(%s);", r.v, fn, a0.v);
        else emit(g, "%s = %s;", r.v, a0.v);
        cg_close(g);
        return r;
    }
    case F_ABS: {
        CVal r = cg_result(g, t, a0.n);
        cg_open_notnull(g, r);
        if (t.tag == VT_DOUBLE) emit(g, "%s = %s < 0 ? -%s : %s;", r.v, a0.v, a0.v, a0.v);
        else {
            emit(g, "%s = %s < 0 ? vi_neg(rt, %s) : %s;", r.v, a0.v, a0.v, a0.v);
            cg_bad(g);
        }
        cg_close(g);
        return r;
    }
    case F_SIGN: {
        CVal r = cg_result(g, t, a0.n);
        emit(g, "%s = (%s > 0) - (%s < 0);", r.v, a0.v, a0.v);
        return r;
    }
    case F_MOD: {
        Expr fake = *e;
        fake.op = OP_MOD;
        return cg_arith(g, &fake, a0, cg_expr(g, e->args.v[1], in));
    }
    case F_LENGTH: {
        CVal r = cg_result(g, t, a0.n);
        emit(g, "if (!%s) %s = vf_char_length(%s);", r.n, r.v, a0.v);
        return r;
    }
    case F_NOW: {
        CVal r = cg_result(g, t, "0");
        emit(g, "%s = vt_now();", r.v);
        return r;
    }
    case F_DATE_TRUNC: {
        CVal x = cg_expr(g, e->args.v[1], in);
        CVal r = cg_result(g, t, x.n);
        emit(g, "if (!%s) %s = vt_trunc(rt, %lld, %s);", r.n, r.v, (long long)e->ival, x.v);
        cg_bad(g);
        return r;
    }
    case F_EXTRACT_PART: {
        CVal r = cg_result(g, t, a0.n);
        emit(g, "if (!%s) %s = vt_extract(%lld, %s);", r.n, r.v, (long long)e->ival, a0.v);
        return r;
    }
    case F_TO_TIMESTAMP: {
        CVal r = cg_result(g, t, a0.n);
        cg_open_notnull(g, r);
        if (a0.t.tag == VT_STRING) emit(g, "%s = vs_to_ts(rt, %s);", r.v, a0.v);
        else emit(g, "%s = vf_to_timestamp_seconds(rt, %s);", r.v, cg_to(g, a0, ty_make(VT_DOUBLE)).v);
        cg_bad(g);
        cg_close(g);
        return r;
    }
    case F_SUBSTR: {
        CVal st = cg_to(g, cg_expr(g, e->args.v[1], in), ty_make(VT_BIGINT));
        CVal ln = na > 2 ? cg_to(g, cg_expr(g, e->args.v[2], in), ty_make(VT_BIGINT)) : (CVal){"0", "0", ty_make(VT_BIGINT)};
        CVal r = cg_result(g, t, null_or(g, a0.n, null_or(g, st.n, ln.n)));
        emit(g, "if (!%s) %s = vf_substr(%s, %s, %s, %d);", r.n, r.v, a0.v, st.v, ln.v, na > 2);
        return r;
    }
    case F_JSON_VALUE: {
        CVal p = cg_expr(g, e->args.v[1], in);
        CVal r = cg_result(g, t, null_or(g, a0.n, p.n));
        const char *isnull = tmpname(g);
        emit(g, "int %s = 0;", isnull);
        emit(g, "if (!%s) { %s = vf_json_value(rt, %s, %s, &%s); %s = (u8)%s; }", r.n, r.v, a0.v, p.v, isnull, r.n, isnull);
        return r;
    }
    case F_REGEXP_EXTRACT: {
        CVal p = cg_expr(g, e->args.v[1], in);
        CVal grp = na > 2 ? cg_to(g, cg_expr(g, e->args.v[2], in), ty_make(VT_BIGINT)) : (CVal){"0", "0", ty_make(VT_BIGINT)};
        CVal r = cg_result(g, t, null_or(g, a0.n, null_or(g, p.n, grp.n)));
        emit(g, "if (!%s) { %s = vf_regexp_extract(rt, %s, %s, %s); %s = %s.p == 0; }", r.n, r.v, a0.v, p.v, grp.v, r.n, r.v);
        cg_bad(g);
        return r;
    }
    default: break;
    }
    CVal r = cg_result(g, t, "1");
    return r;
}

static CVal cg_expr(Cg *g, Expr *e, CVal *in)
{
    switch (e->kind) {
    case E_LIT_NULL:
    case E_LIT_BOOL:
    case E_LIT_INT:
    case E_LIT_DEC:
    case E_LIT_DOUBLE:
    case E_LIT_STR:
    case E_LIT_TS:
    case E_LIT_INTERVAL: return cg_literal(g, e);
    case E_COLUMN: {
        CVal c = in[e->col_index];
        c.t = e->type;
        return c;
    }
    case E_UNARY: {
        CVal a = cg_expr(g, e->left, in);
        if (e->op == '+') return a;
        CVal r = cg_result(g, e->type, a.n);
        if (e->op == 'N') {
            emit(g, "%s = !%s;", r.v, a.v);
            return r;
        }
        cg_open_notnull(g, r);
        if (e->type.tag == VT_DOUBLE) emit(g, "%s = -%s;", r.v, a.v);
        else {
            emit(g, "%s = vi_neg(rt, %s);", r.v, a.v);
            cg_bad(g);
        }
        cg_close(g);
        return r;
    }
    case E_BINARY: {
        if (e->op == OP_AND || e->op == OP_OR) return cg_logic(g, e, in);
        CVal a = cg_expr(g, e->left, in);
        CVal b = cg_expr(g, e->right, in);
        if (e->op == OP_CONCAT) {
            a = cg_str_of(g, a);
            b = cg_str_of(g, b);
            CVal r = cg_result(g, e->type, null_or(g, a.n, b.n));
            emit(g, "if (!%s) %s = vs_concat(rt, %s, %s);", r.n, r.v, a.v, b.v);
            return r;
        }
        if (e->op >= OP_EQ) return cg_compare(g, e->op, a, b);
        return cg_arith(g, e, a, b);
    }
    case E_FUNC: {
        const FuncDef *f = e->fn;
        if (f->kind == FN_SPECIAL) return cg_special(g, e, f, in);
        return cg_template(g, e, f, in);
    }
    case E_CASE: return cg_case(g, e, in);
    case E_CAST: return cg_to(g, cg_expr(g, e->left, in), e->cast_to);
    case E_BETWEEN: {
        CVal a = cg_expr(g, e->left, in), lo = cg_expr(g, e->right, in), hi = cg_expr(g, e->third, in);
        CVal c1 = cg_compare(g, OP_GE, a, lo), c2 = cg_compare(g, OP_LE, a, hi);
        CVal r = cg_result(g, ty_make(VT_BOOL), "0");
        emit(g, "if ((!%s && !%s) || (!%s && !%s)) %s = %d;", c1.n, c1.v, c2.n, c2.v, r.v, e->negated ? 1 : 0);
        emit(g, "else if (%s || %s) %s = 1;", c1.n, c2.n, r.n);
        emit(g, "else %s = %d;", r.v, e->negated ? 0 : 1);
        return r;
    }
    case E_IN_LIST: return cg_in_list(g, e, in);
    case E_LIKE: return cg_like(g, e, in);
    case E_IS_NULL: {
        CVal a = cg_expr(g, e->left, in);
        CVal r = cg_result(g, ty_make(VT_BOOL), "0");
        emit(g, "%s = %s%s;", r.v, e->negated ? "!" : "", a.n);
        return r;
    }
    case E_EXTRACT: {
        CVal a = cg_expr(g, e->left, in);
        CVal r = cg_result(g, e->type, a.n);
        emit(g, "if (!%s) %s = vt_extract(%lld, %s);", r.n, r.v, (long long)e->ival, a.v);
        return r;
    }
    default: {
        CVal r = {"0", "1", e->type};
        return r;
    }
    }
}

/* The condition under which a boolean CVal is TRUE. */
static const char *cg_truth(Cg *g, CVal c)
{
    if (!strcmp(c.n, "0")) return c.v;
    return fmt(g, "!%s && %s", c.n, c.v);
}

/* ---- operators --------------------------------------------------------- */

static const char *cg_var(Cg *g, Plan *p, int i)
{
    return fmt(g, "o%d_%d", p->id, i);
}

static void cg_props(Cg *g, const char *name, PtrVec *props)
{
    sb_printf(&g->top, "static const char *const %s[] = {", name);
    for (int i = 0; i < props->n; i++) {
        Property *p = props->v[i];
        cg_c_string(&g->top, p->key, strlen(p->key));
        sb_puts(&g->top, ", ");
        cg_c_string(&g->top, p->value, strlen(p->value));
        sb_puts(&g->top, ", ");
    }
    sb_puts(&g->top, "0};\n");
}

/* Resolved path goes first so it wins over the relative 'path' property. */
static void cg_rel_props(Cg *g, const char *name, Relation *r)
{
    PtrVec all = {0};
    if (r->path) {
        Property *p = ar_alloc(g->a, sizeof *p);
        p->key = "path";
        p->value = r->path;
        pv_push(g->a, &all, p);
    }
    if (r->format) {
        Property *p = ar_alloc(g->a, sizeof *p);
        p->key = "format";
        p->value = r->format;
        pv_push(g->a, &all, p);
    }
    for (int i = 0; i < r->props.n; i++) {
        Property *p = r->props.v[i];
        if (strcasecmp(p->key, "path") && strcasecmp(p->key, "format")) pv_push(g->a, &all, p);
    }
    cg_props(g, name, &all);
}

static const char *conv_fn(TypeSpec t)
{
    switch (t.tag) {
    case VT_BOOL: return "bool";
    case VT_DOUBLE: return "f64";
    case VT_DECIMAL: return "dec";
    case VT_STRING: return "str";
    case VT_TIMESTAMP: return "ts";
    default: return "int"; /* vconv_int: vconv_i64 with plain digits inlined */
    }
}

/* Decode column i of the scan into o<id>_<i>. */
static void cg_decode(Cg *g, Plan *p, int i, const char *colnames)
{
    Column *c = &p->rel->cols[i];
    const char *v = cg_var(g, p, i);
    const char *ct = c->type.tag == VT_INT ? "i64" : ty_ctype(c->type);
    emit(g, "%s %s; u8 %sn;", ct, v, v);
    const char *extra = "";
    if (c->type.tag == VT_INT || c->type.tag == VT_BIGINT) extra = c->type.tag == VT_INT ? "1, " : "0, ";
    else if (c->type.tag == VT_DECIMAL) extra = fmt(g, "%d, %d, ", c->type.prec, c->type.scale);
    emit(g, "{ int r = vconv_%s(rt, &f[%d], %s[%d], %s&%s); if (r < 0) { velo_bad_record(rt, %d, 0); goto %s; } %sn = (u8)r; }",
         conv_fn(c->type), i, colnames, i, extra, v, p->id, g->next_label, v);
    g->outv[p->id][i] = (CVal){v, fmt(g, "%sn", v), c->type};
}

static u8 *scan_lazy_cols(Cg *g, Plan *p, const u8 *done_cols);

/* The columns that scan p's filters read before any join probe. */
static u8 *scan_filter_cols(Cg *g, Plan *p)
{
    u8 *uses = ar_alloc(g->a, (size_t)p->ncols + 1), *defer = p->pushed_late;
    memset(uses, 0, (size_t)p->ncols + 1);
    for (int k = 0; k < p->pushed.n; k++)
        if (!defer || !defer[k]) ex_mark_columns(p->pushed.v[k], uses, p->ncols);
    return uses;
}

/* The lazy columns of scan p whose fields the CSV splitter can leave
 * alone until vsrc_late: only when the join expects most rows to find no
 * match (its Bloom filter's rule). When most do match, splitting their
 * fields later, byte-wise, costs more than the splitter's pass did (NEXMark
 * q13, where every bid matches: -18 %). */
static u8 *scan_late_cols(Cg *g, Plan *p)
{
    Plan *j = g->parent[p->id];
    return j && j->kind == P_JOIN && j->bloom ? scan_lazy_cols(g, p, scan_filter_cols(g, p)) : NULL;
}

/* The static property, column-name and needed-column tables of scan p: 1
 * for a column decoded with the record, 2 for one split late
 * (scan_late_cols). */
static void cg_scan_tables(Cg *g, Plan *p)
{
    Relation *r = p->rel;
    int id = p->id;
    const char *props = fmt(g, "src%d_props", id), *cols = fmt(g, "src%d_cols", id), *need = fmt(g, "src%d_need", id);
    cg_rel_props(g, props, r);
    sb_printf(&g->top, "static const char *const %s[] = {", cols);
    for (int i = 0; i < p->ncols; i++) {
        cg_c_string(&g->top, r->cols[i].name, strlen(r->cols[i].name));
        sb_puts(&g->top, ", ");
    }
    sb_printf(&g->top, "0};\nstatic const u8 %s[] = {", need);
    u8 *late = scan_late_cols(g, p);
    for (int i = 0; i < p->ncols; i++) sb_printf(&g->top, "%d, ", p->needed[i] ? late && late[i] ? 2 : 1 : 0);
    sb_puts(&g->top, "0};\n");
}

/* Declares velo_src *var opened on scan p's source (after cg_scan_tables). */
static void cg_scan_open(Cg *g, Plan *p, const char *var)
{
    int id = p->id;
    emit(g, "velo_src *%s = vsrc_open(rt, %d, %s, src%d_props, %d, src%d_cols, src%d_need);", var, id, cg_lit_cstr(g, p->rel->name), id,
         p->ncols, id, id);
}

/* Columns of scan p that the inner or semi hash join it feeds can decode
 * after its first match, when most rows find none: those its keys do not
 * read (0 when p feeds no such join). A record that matches nothing then
 * costs the split and its keys only, as one a pushed filter rejects costs
 * the filter's columns: neither converts, so neither dead-letters, the
 * columns it never needed. */
static u8 *scan_lazy_cols(Cg *g, Plan *p, const u8 *done_cols)
{
    Plan *j = g->parent[p->id];
    if (!j || !pl_drops_unmatched(j) || p != pl_probe_input(j)) return NULL;
    Expr **keys = j->build_left ? j->jk_right : j->jk_left;
    u8 *uses = ar_alloc(g->a, (size_t)p->ncols + 1), *lazy = ar_alloc(g->a, (size_t)p->ncols + 1);
    for (int k = 0; k < j->njk; k++) ex_mark_columns(keys[k], uses, p->ncols);
    int any = 0;
    for (int i = 0; i < p->ncols; i++) any |= lazy[i] = p->needed[i] && !done_cols[i] && !uses[i];
    return any ? lazy : NULL;
}

/* One record of scan p, inside its read loop with the fields in f: the
 * columns of pushed-down filters first, so failing records stop early,
 * then the other needed columns (or only a join's keys, scan_lazy_cols),
 * then p's consumers. */
static void cg_scan_row(Cg *g, Plan *p)
{
    int id = p->id;
    const char *cols = fmt(g, "src%d_cols", id);
    g->outv[id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    u8 *done_cols = ar_alloc(g->a, (size_t)p->ncols + 1);
    g->cur_op = id;
    u8 *defer = p->pushed_late; /* optimizer.c, late_filters */
    for (int k = 0; k < p->pushed.n; k++) {
        Expr *c = p->pushed.v[k];
        if (defer && defer[k]) continue; /* checked after the probe, cg_join_probe_lazy */
        u8 *uses = ar_alloc(g->a, (size_t)p->ncols + 1);
        ex_mark_columns(c, uses, p->ncols);
        for (int i = 0; i < p->ncols; i++)
            if (uses[i] && !done_cols[i]) {
                cg_decode(g, p, i, cols);
                done_cols[i] = 1;
            }
        CVal cv = cg_expr(g, c, g->outv[id]);
        emit(g, "if (!(%s)) goto %s;", cg_truth(g, cv), g->next_label);
    }
    u8 *lazy = scan_lazy_cols(g, p, done_cols);
    for (int i = 0; i < p->ncols; i++)
        if (p->needed[i] && !done_cols[i] && !(lazy && lazy[i])) cg_decode(g, p, i, cols);
    for (int k = 0; defer && !lazy && k < p->pushed.n; k++) /* their columns were decoded for others: check them here */
        if (defer[k]) emit(g, "if (!(%s)) goto %s;", cg_truth(g, cg_expr(g, p->pushed.v[k], g->outv[id])), g->next_label);
    g->lazy_scan = lazy ? p : NULL;
    g->lazy_cols = lazy;
    g->lazy_filters = lazy ? defer : NULL;
    cg_consume(g, g->parent[id], p);
    g->lazy_scan = NULL;
}

/*
 * A batched scan whose first consumer probes a hash join on integer
 * columns of the scan: before the batch's records go through the pipeline
 * one by one, a pass hashes their keys and prefetches each key's slot,
 * and a second prefetches the first entry each slot points to. A probe of
 * a table larger than the caches is two dependent misses; one record at a
 * time, they hardly overlap with the next record's (the pipeline between
 * two probes is long), and fetched for 64 records at once they do. TPC-H
 * q05 (1.5M orders probing 150k customers): 0.54 -> 0.36 s. Only for a
 * table of 32k keys or more (j_cap >= 64k slots, rt->prefetch_min): a
 * small one stays in cache and the pass would cost more than it saves.
 * A join with a Bloom filter (the optimizer adds one when it expects most
 * records to find no match) gets the pass only when the records it
 * rejects can skip the record loop (below): decoding and hashing every
 * key twice to fetch for a few cost q01 (3 % of lineitem matching) 15 %.
 * A record whose key does not convert, or is NULL, is left alone: the
 * pipeline deals with it as before. Only with a compiler that prefetches
 * (VH_PREFETCH; tcc does not).
 */
static TypeSpec join_key_type(const Plan *p, int i);
static const char *hash_call(Cg *g, CVal v, const char *h);

/*
 * A join with a Bloom filter on one integer key also gets a bitmap of its
 * build keys' range when that spans fewer than JOIN_KEY_BITS values (1 MB):
 * dimension keys are mostly dense. Its probe then tests the key itself
 * before computing any hash, exactly (no false positives), and the join
 * builds no Bloom filter: TPC-H q02's 6M lineitem rows against 393 parts'
 * keys in 1..200 000. 1 MB is past L2,
 * but a fact table's key column is often in key order (lineitem's
 * l_orderkey), and then the probes walk the bitmap instead of hashing into
 * the filter: with 256 KB, orders' 6M-key range got none, and q20, q22
 * and q02 ran 3-10 % slower (the probe of a random key order, q11's, is
 * within noise of its Bloom filter).
 */
#define JOIN_KEY_BITS (1 << 23)
static int join_key_bits(const Plan *p)
{
    int t = p->bloom && p->njk == 1 ? join_key_type(p, 0).tag : 0;
    return t == VT_INT || t == VT_BIGINT;
}

/* The C test of key value k in join id's bitmap (when it has one). */
static const char *key_bits_has(Cg *g, int id, const char *k)
{
    return fmt(g, "vh_bits_has(j%d_bits, j%d_kmin, j%d_krange, %s)", id, id, id, k);
}

/* Whether scan p checks pushed filters before its join's probe (those the
 * optimizer did not defer past it, late_filters). */
static int scan_filters_first(const Plan *p)
{
    for (int k = 0; k < p->pushed.n; k++)
        if (!p->pushed_late || !p->pushed_late[k]) return 1;
    return 0;
}

/* Returns 1 when it declared pfno[]: records the prefetch pass found
 * without a match (their key fails the Bloom filter of an inner or semi
 * join whose scan has no filter to check first), which the record loop
 * skips at once: their key was decoded, hashed and tested once, by the
 * pass. A join whose filters come first keeps its order (a bad value in a
 * filter's column dead-letters the record before the probe), and so does
 * an outer join, where a record without a match still produces a row. */
static int cg_scan_prefetch(Cg *g, Plan *p)
{
    Plan *j = g->parent[p->id];
    if (!j || j->kind != P_JOIN || j->interval || !j->njk || p != pl_probe_input(j)) return 0;
    int skip = j->bloom && pl_drops_unmatched(j) && !scan_filters_first(p);
    if (j->bloom && !skip) return 0;
    Expr **keys = j->build_left ? j->jk_right : j->jk_left;
    for (int i = 0; i < j->njk; i++) {
        int t = join_key_type(j, i).tag, c = keys[i]->kind == E_COLUMN ? keys[i]->col_index : -1;
        if (c < 0 || c >= p->ncols || (t != VT_INT && t != VT_BIGINT)) return 0;
        int ct = p->rel->cols[c].type.tag;
        if (ct != VT_INT && ct != VT_BIGINT) return 0;
    }
    int id = j->id;
    emit(g, "/* [%d] HashJoin: this batch's slots and first entries, fetched ahead */", id);
    if (skip) emit(g, "u8 pfno[VBATCH_MAX]; int pfon = 0; /* pfno is set only when the pass runs */");
    emit(g, "if (VH_PREFETCH_ON && vb->n > 1 && j%d_cap && j%d_cap >= rt->prefetch_min) {", id, id);
    g->depth++;
    emit(g, "const void *pf[VBATCH_MAX];");
    if (skip) emit(g, "pfon = 1;");
    emit(g, "for (int bi = 0; bi < vb->n; bi++) {");
    g->depth++;
    emit(g, "const vfield *f = vb->f + bi * %d;", p->ncols + 1);
    emit(g, "u64 h = 0x9e3779b97f4a7c15ULL; /* cg_join_keys' seed: the Bloom test needs the probe's hash */");
    emit(g, "i64 k;");
    emit(g, "pf[bi] = 0;");
    if (skip) emit(g, "pfno[bi] = 0;");
    int bits = skip && join_key_bits(j);
    for (int i = 0; i < j->njk; i++) {
        int c = keys[i]->col_index;
        emit(g, "if (vconv_int(rt, &f[%d], src%d_cols[%d], %d, &k) != 0) continue;", c, p->id, c, p->rel->cols[c].type.tag == VT_INT);
        /* the bitmap's exact test first: a key it rejects needs no hash */
        if (bits) emit(g, "if (j%d_bits && !%s) { pfno[bi] = 1; continue; }", id, key_bits_has(g, id, "k"));
        emit(g, "h = %s;", hash_call(g, (CVal){"k", "0", join_key_type(j, i)}, "h"));
    }
    if (skip) emit(g, "if (j%d_bloom && !vh_bloom_may(j%d_bloom, j%d_bmask, h)) { pfno[bi] = 1; continue; }", id, id, id);
    emit(g, "pf[bi] = &j%d_slot[h & (u64)(j%d_cap - 1)];", id, id);
    emit(g, "VH_PREFETCH(pf[bi]);");
    cg_close(g);
    emit(g, "for (int bi = 0; bi < vb->n; bi++)");
    emit(g, "    if (pf[bi] && *(void *const *)pf[bi]) VH_PREFETCH(*(void *const *)pf[bi]);");
    cg_close(g);
    return skip;
}

static void cg_scan(Cg *g, Plan *p)
{
    int id = p->id;
    cg_scan_tables(g, p);
    g->pipes++;
    const char *next = fmt(g, "next_%d", id), *done = fmt(g, "done_%d", id);
    const char *save_next = g->next_label, *save_done = g->done_label;
    g->next_label = next;
    g->done_label = done;
    emit(g, "/* [%d] Scan: pipeline %d */", id, g->pipes);
    cg_line(g, p->pos);
    emit(g, "{");
    g->depth++;
    cg_scan_open(g, p, "src");
    emit(g, "if (!src) { status = 1; goto end; }");
    if (g->ckpt && p == g->ckpt_scan) {
        /* resume from the last checkpoint, or take one at the very start so
         * a run killed before its first interval is undone all the same */
        int n = g->ckpt;
        emit(g, "if (ckon%d) {", n);
        emit(g, "    velo_ckpt *ck = velo_ckpt_load(rt, src, VHASH%d, %d);", n, n);
        emit(g, "    if (ck) { ckpt%d(rt, ck, 1); velo_ckpt_close(ck); }", n);
        emit(g, "    else if ((ck = velo_ckpt_begin(rt, src, VHASH%d, %d)) != 0) { ckpt%d(rt, ck, 0); velo_ckpt_commit(ck); }", n, n, n);
        emit(g, "    velo_ckpt_hook(rt, src, ckpt%d, VHASH%d, %d);", n, n, n);
        emit(g, "}");
    }
    cg_timer_start(g, id);
    /* A checkpoint is taken between two records, so that scan reads one
     * at a time; every other reads vsrc_batch's batches. */
    int batch = !(g->ckpt && p == g->ckpt_scan);
    if (batch) {
        emit(g, "vbatch *vb;");
        emit(g, "while (vsrc_batch(src, &vb)) {");
        int skip = cg_scan_prefetch(g, p);
        emit(g, "for (int bi = 0; bi < vb->n; bi++) {");
        g->depth++;
        if (skip) emit(g, "if (pfon && pfno[bi]) continue; /* no match, cg_scan_prefetch */");
        emit(g, "vfield *f = vb->f + bi * %d;", p->ncols + 1);
        emit(g, "vb->i = bi;");
        emit(g, "rt->err = 0, rt->errmsg = 0;");
    } else {
        emit(g, "vfield f[%d];", p->ncols + 1);
        emit(g, "while (vsrc_next(src, f)) {");
    }
    g->depth++;
    cg_scan_row(g, p);
    emit(g, "%s:;", next);
    if (g->analyze) emit(g, CG_AN_OP " = %d;", id);
    if (!batch)
        emit(g,
             "if (ckon%d && velo_ckpt_due(rt, src)) { velo_ckpt *c = velo_ckpt_begin(rt, src, VHASH%d, %d); if (c) { ckpt%d(rt, c, 0); "
             "velo_ckpt_commit(c); } }",
             g->ckpt, g->ckpt, g->ckpt, g->ckpt);
    g->depth--;
    emit(g, "}");
    if (batch) {
        g->depth--;
        emit(g, "}");
    }
    emit(g, "%s:", done);
    cg_timer_stop(g, id);
    emit(g, "vsrc_close(src);");
    g->depth--;
    emit(g, "}");
    emit(g, "if (velo_stopped(rt)) goto end;");
    g->next_label = save_next;
    g->done_label = save_done;
}

static void cg_sink_row(Cg *g, Plan *p, CVal *in)
{
    emit(g, "vout_begin(out%d);", p->id);
    for (int i = 0; i < p->ncols; i++) {
        CVal c = in[i];
        TypeSpec t = p->cols[i].type;
        if (c.t.tag != t.tag && c.t.tag != VT_NULL) c = cg_to(g, c, t);
        const char *call;
        switch (t.tag) {
        case VT_BOOL: call = fmt(g, "vout_bool(out%d, %s)", p->id, c.v); break;
        case VT_DOUBLE: call = fmt(g, "vout_f64(out%d, %s)", p->id, c.v); break;
        case VT_DECIMAL: call = fmt(g, "vout_dec(out%d, %s, %d)", p->id, c.v, t.scale); break;
        case VT_STRING: call = fmt(g, "vout_str(out%d, %s)", p->id, c.v); break;
        case VT_TIMESTAMP: call = fmt(g, "vout_ts(out%d, %s)", p->id, c.v); break;
        default: call = fmt(g, "vout_i64(out%d, %s)", p->id, c.v); break;
        }
        if (c.t.tag == VT_NULL) emit(g, "vout_null(out%d);", p->id);
        else if (!strcmp(c.n, "0")) emit(g, "%s;", call);
        else emit(g, "if (%s) vout_null(out%d); else %s;", c.n, p->id, call);
    }
    emit(g, "vout_end(out%d);", p->id);
}

/* Materialize a child's row into this operator's own variables. */
static void cg_bind_outputs(Cg *g, Plan *p, CVal *vals)
{
    g->outv[p->id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    for (int i = 0; i < p->ncols; i++) {
        CVal c = cg_to(g, vals[i], p->cols[i].type);
        g->outv[p->id][i] = c;
    }
}

/* ---- hash aggregation -------------------------------------------------- */
/* Each AGG operator gets a group struct with typed key and accumulator
 * fields, an open-addressing table of pointers, and a list of groups in
 * insertion order (the output order of a final aggregate). */

static const char *acc_ctype(AggCall *ac)
{
    switch (ac->id) {
    case A_COUNT_STAR:
    case A_COUNT: return "i64";
    case A_SUM: return ac->type.tag == VT_DOUBLE ? "double" : "i64";
    case A_AVG: return ac->arg->type.tag == VT_DECIMAL ? "i64" : "double";
    case A_MIN:
    case A_MAX:
    case A_FIRST_VALUE:
    case A_LAST_VALUE: return ty_ctype(ac->type);
    default: return "double";
    }
}

static int is_moment(int id)
{
    return id >= A_STDDEV_SAMP && id <= A_VAR_POP;
}
static int is_comoment(int id)
{
    return id == A_CORR || id == A_COVAR_SAMP || id == A_COVAR_POP;
}
static int is_buffered(int id)
{
    return id == A_MEDIAN || id == A_PERCENTILE_CONT || id == A_PERCENTILE_DISC;
}

/* COUNT(DISTINCT) of a fixed-width type keeps a set of 64-bit values
 * (viset), of a string a set of byte strings (vset). */
static int cd_inline(const AggCall *ac)
{
    return ac->id == A_COUNT_DISTINCT && ac->arg && ac->arg->type.tag != VT_STRING;
}

/* Accumulator fields of every aggregate of p, for a group struct. */
static void cg_acc_fields(StrBuf *t, Plan *p)
{
    for (int i = 0; i < p->naggs; i++) {
        AggCall *ac = &p->aggs[i];
        sb_printf(t, "    %s a%d; i64 c%d; u8 h%d;", acc_ctype(ac), i, i, i);
        if (is_moment(ac->id) || is_comoment(ac->id)) sb_printf(t, " double m%d, q%d;", i, i);
        if (is_comoment(ac->id)) sb_printf(t, " double mx%d, qx%d, cx%d;", i, i, i);
        if (is_buffered(ac->id)) sb_printf(t, " vdarr d%d;", i);
        if (ac->id == A_STRING_AGG) sb_printf(t, " vsbuf s%d;", i);
        if (ac->id == A_COUNT_DISTINCT) sb_printf(t, " %s u%d;", cd_inline(ac) ? "viset" : "vset", i);
        if (ac->id == A_APPROX_COUNT_DISTINCT) sb_printf(t, " vhll u%d;", i);
        sb_puts(t, "\n");
    }
}

/* Statements releasing the malloc'd state of group gv ("" if none). */
static const char *cg_acc_free(Cg *g, Plan *p, const char *gv)
{
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < p->naggs; i++) {
        int id = p->aggs[i].id;
        if (is_buffered(id)) sb_printf(&b, " vagg_free_f64(&%s->d%d);", gv, i);
        if (id == A_STRING_AGG) sb_printf(&b, " vagg_free_sbuf(&%s->s%d);", gv, i);
        if (id == A_COUNT_DISTINCT) sb_printf(&b, " vagg_free_%s(&%s->u%d);", cd_inline(&p->aggs[i]) ? "iset" : "set", gv, i);
        if (id == A_APPROX_COUNT_DISTINCT) sb_printf(&b, " vagg_hll_free(&%s->u%d);", gv, i);
    }
    const char *r = ar_strdup(g->a, b.p ? b.p : "");
    sb_free(&b);
    return r;
}

/* State arenas carry their operator (id + 1) for the memory limit's error. */
static void cg_state_arena(Cg *g, const char *name, int id)
{
    sb_printf(&g->top, "static velo_arena %s = {0, 0, 0, 0, %d};\n", name, id + 1);
}

static Plan *cg_scan_below(Plan *p);
static i64 cg_duration_prop(Relation *r, const char *key);

/* 'state.ttl' of an unwindowed aggregate that emits changes (its input
 * never ends): groups not updated for that long (processing time) are
 * dropped; 0 when off. Over bounded input every group is final anyway. */
static i64 cg_state_ttl(Plan *p)
{
    if (p->kind != P_AGG || p->win.kind != WIN_NONE || p->emit != EMIT_CHANGES) return 0;
    Plan *scan = cg_scan_below(p);
    return scan ? cg_duration_prop(scan->rel, "state.ttl") : 0;
}

/* g<id>_expire(now): drop groups idle longer than the TTL, rebuild the
 * table, and move the survivors to a fresh arena when most groups went, so
 * memory follows the live groups rather than all groups ever seen. */
static void cg_agg_expire_fn(Cg *g, Plan *p, i64 ttl)
{
    int id = p->id;
    StrBuf *t = &g->top;
    sb_printf(t, "static i64 g%d_swept;\n", id);
    sb_printf(t, "static void g%d_expire(i64 now)\n{\n    i64 keep = 0;\n", id);
    sb_printf(t, "    for (i64 i = 0; i < g%d_n; i++) {\n        struct g%d *g = g%d_list[i];\n", id, id, id);
    sb_printf(t, "        if (now - g->touched < %lldLL) { g%d_list[keep++] = g; continue; }\n", (long long)ttl, id);
    sb_printf(t, "       %s\n    }\n", cg_acc_free(g, p, "g"));
    sb_printf(t, "    int compact = keep * 2 < g%d_n;\n    g%d_n = keep;\n", id, id);
    sb_printf(t, "    if (compact) {\n        velo_arena fresh = {0, 0, 0, 0, %d};\n", id + 1);
    sb_printf(t, "        for (i64 i = 0; i < g%d_n; i++) {\n", id);
    sb_printf(t, "            struct g%d *g = va_alloc(&fresh, sizeof *g);\n            memcpy(g, g%d_list[i], sizeof *g);\n", id, id);
    for (int k = 0; k < p->nkeys; k++)
        if (p->cols[k].type.tag == VT_STRING) sb_printf(t, "            if (!g->k%dn) g->k%d = va_strdup(&fresh, g->k%d);\n", k, k, k);
    for (int i = 0; i < p->naggs; i++)
        if (!strcmp(acc_ctype(&p->aggs[i]), "vstr")) sb_printf(t, "            if (g->h%d) g->a%d = va_strdup(&fresh, g->a%d);\n", i, i, i);
    sb_printf(t, "            g%d_list[i] = g;\n        }\n        va_free(&g%d_arena);\n        g%d_arena = fresh;\n    }\n", id, id, id);
    sb_printf(t, "    memset(g%d_slot, 0, (vsize)g%d_cap * sizeof *g%d_slot);\n", id, id, id);
    sb_printf(t, "    for (i64 i = 0; i < g%d_n; i++) {\n        i64 j = (i64)(g%d_list[i]->h & (u64)(g%d_cap - 1));\n", id, id, id);
    sb_printf(t, "        while (g%d_slot[j]) j = (j + 1) & (g%d_cap - 1);\n        g%d_slot[j] = g%d_list[i];\n    }\n}\n", id, id, id,
              id);
}

static void cg_agg_decls(Cg *g, Plan *p)
{
    int id = p->id;
    StrBuf *t = &g->top;
    sb_printf(t, "struct g%d {\n    u64 h;\n", id);
    if (cg_state_ttl(p)) sb_puts(t, "    i64 touched;\n");
    for (int k = 0; k < p->nkeys; k++) sb_printf(t, "    %s k%d; u8 k%dn;\n", ty_ctype(p->cols[k].type), k, k);
    if (p->win.kind != WIN_NONE) sb_puts(t, "    i64 ws, we;\n");
    cg_acc_fields(t, p);
    sb_puts(t, "};\n");
    sb_printf(t,
              "static struct g%d **g%d_slot, **g%d_list;\n"
              "static i64 g%d_cap, g%d_n, g%d_lcap;\n"

              "static void g%d_grow(void)\n{\n"
              "    i64 cap = g%d_cap ? g%d_cap * 2 : 1024, i;\n"
              "    struct g%d **s = calloc((vsize)cap, sizeof *s);\n"
              "    for (i = 0; i < g%d_n; i++) {\n"
              "        i64 j = (i64)(g%d_list[i]->h & (u64)(cap - 1));\n"
              "        while (s[j]) j = (j + 1) & (cap - 1);\n"
              "        s[j] = g%d_list[i];\n"
              "    }\n"
              "    free(g%d_slot);\n    g%d_slot = s;\n    g%d_cap = cap;\n"
              "    if (g%d_lcap < cap) { g%d_lcap = cap; g%d_list = realloc(g%d_list, (vsize)cap * sizeof *g%d_list); }\n"
              "}\n",
              id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id, id);
    cg_state_arena(g, fmt(g, "g%d_arena", id), id);
    if (cg_state_ttl(p)) cg_agg_expire_fn(g, p, cg_state_ttl(p));
}

static const char *hash_call(Cg *g, CVal v, const char *h)
{
    switch (v.t.tag) {
    case VT_STRING: return fmt(g, "vh_str(%s, %s)", v.v, h);
    case VT_DOUBLE: return fmt(g, "vh_f64(%s, %s)", v.v, h);
    default: return fmt(g, "vh_i64(%s, %s)", v.v, h);
    }
}

static const char *eq_cond(Cg *g, TypeSpec t, const char *a, const char *b)
{
    if (t.tag == VT_STRING) return fmt(g, "vs_eq(%s, %s)", a, b);
    return fmt(g, "%s == %s", a, b);
}

/* Accumulator values of group `gv` into CVals (for output). */
static CVal cg_agg_value(Cg *g, Plan *p, int i, const char *gv)
{
    AggCall *ac = &p->aggs[i];
    TypeSpec t = ac->type;
    switch (ac->id) {
    case A_COUNT_STAR:
    case A_COUNT: return (CVal){fmt(g, "%s->a%d", gv, i), "0", t};
    case A_COUNT_DISTINCT: return (CVal){fmt(g, "%s->u%d.n", gv, i), "0", t};
    case A_SUM:
    case A_MIN:
    case A_MAX:
    case A_FIRST_VALUE:
    case A_LAST_VALUE: return (CVal){fmt(g, "%s->a%d", gv, i), fmt(g, "(u8)!%s->h%d", gv, i), t};
    case A_AVG: {
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->c%d == 0)", gv, i));
        if (t.tag == VT_DECIMAL) {
            emit(g, "if (!%s) %s = vd_div(rt, %s->a%d, %d, %s->c%d, 0, %d);", r.n, r.v, gv, i, ac->arg->type.scale, gv, i, t.scale);
            cg_bad(g);
        } else {
            emit(g, "if (!%s) %s = %s->a%d / (double)%s->c%d;", r.n, r.v, gv, i, gv, i);
        }
        return r;
    }
    case A_STDDEV_SAMP:
    case A_STDDEV_POP:
    case A_VAR_SAMP:
    case A_VAR_POP: {
        int samp = ac->id == A_STDDEV_SAMP || ac->id == A_VAR_SAMP;
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->c%d < %d)", gv, i, samp ? 2 : 1));
        const char *var = fmt(g, "%s->q%d / (double)(%s->c%d - %d)", gv, i, gv, i, samp);
        if (ac->id == A_STDDEV_SAMP || ac->id == A_STDDEV_POP) var = fmt(g, "vf_sqrt(rt, %s)", var);
        emit(g, "if (!%s) %s = %s;", r.n, r.v, var);
        return r;
    }
    case A_MEDIAN: {
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->d%d.n == 0)", gv, i));
        emit(g, "if (!%s) %s = vagg_median(&%s->d%d);", r.n, r.v, gv, i);
        return r;
    }
    case A_PERCENTILE_CONT:
    case A_PERCENTILE_DISC: {
        Expr *pe = ac->arg2;
        double pv = pe->kind == E_LIT_DEC ? vd_to_f64(pe->ival, pe->scale) : pe->kind == E_LIT_DOUBLE ? pe->dval : (double)pe->ival;
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->d%d.n == 0)", gv, i));
        emit(g, "if (!%s) %s = vagg_percentile(&%s->d%d, %.17g, %d);", r.n, r.v, gv, i, pv, ac->id == A_PERCENTILE_DISC);
        return r;
    }
    case A_APPROX_COUNT_DISTINCT: return (CVal){fmt(g, "vagg_hll_count(&%s->u%d)", gv, i), "0", t};
    case A_COVAR_POP:
    case A_COVAR_SAMP: {
        int samp = ac->id == A_COVAR_SAMP;
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->c%d < %d)", gv, i, samp ? 2 : 1));
        emit(g, "if (!%s) %s = %s->cx%d / (double)(%s->c%d - %d);", r.n, r.v, gv, i, gv, i, samp);
        return r;
    }
    case A_CORR: {
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->c%d < 2 || %s->qx%d == 0 || %s->q%d == 0)", gv, i, gv, i, gv, i));
        emit(g, "if (!%s) %s = %s->cx%d / vf_sqrt(rt, %s->qx%d * %s->q%d);", r.n, r.v, gv, i, gv, i, gv, i);
        return r;
    }
    case A_STRING_AGG: {
        CVal r = cg_result(g, t, fmt(g, "(u8)(%s->c%d == 0)", gv, i));
        emit(g, "%s.p = %s->s%d.p; %s.n = %s->s%d.n;", r.v, gv, i, r.v, gv, i);
        return r;
    }
    default: return (CVal){null_value(t), "1", t};
    }
}

/* Bind the agg's output columns for group variable gv. */
static void cg_agg_outputs(Cg *g, Plan *p, const char *gv)
{
    CVal *o = g->outv[p->id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    int c = 0;
    for (int k = 0; k < p->nkeys; k++, c++) o[c] = (CVal){fmt(g, "%s->k%d", gv, k), fmt(g, "%s->k%dn", gv, k), p->cols[c].type};
    if (p->win.kind != WIN_NONE) {
        o[c] = (CVal){fmt(g, "%s->ws", gv), "0", p->cols[c].type};
        c++;
        o[c] = (CVal){fmt(g, "%s->we", gv), "0", p->cols[c].type};
        c++;
    }
    for (int i = 0; i < p->naggs; i++, c++) o[c] = cg_agg_value(g, p, i, gv);
    cg_materialize(g, o, p->ncols);
}

/* Keep a string value in the group's memory: the operator's arena, or for
 * window groups (freed one by one) the group's own arena. */
static void cg_keep_str(Cg *g, Plan *p, const char *gv, const char *dst, const char *src)
{
    if (p->win.kind != WIN_NONE) emit(g, "%s = va_strdup(&%s->strs, %s);", dst, gv, src);
    else emit(g, "%s = va_strdup(&g%d_arena, %s);", dst, p->id, src);
}

/* Update accumulator i of group `gv` with value x. Checked additions are
 * computed first (into n<i>) so a failing record leaves no partial update. */
static void cg_agg_update(Cg *g, Plan *p, int i, CVal x, CVal x2, const char *gv, int phase)
{
    AggCall *ac = &p->aggs[i];
    int id = p->id;
    int sum_checked = (ac->id == A_SUM && ac->type.tag != VT_DOUBLE) || (ac->id == A_AVG && ac->arg->type.tag == VT_DECIMAL);
    if (phase == 0) {
        if (sum_checked) {
            int s = scale_of(x.t);
            const char *add = x.t.tag == VT_DECIMAL ? fmt(g, "vd_add(rt, %s->a%d, %d, %s, %d, %d)", gv, i, s, x.v, s, s)
                                                    : fmt(g, "vi_add(rt, %s->a%d, %s)", gv, i, x.v);
            emit(g, "i64 n%d_%d = %s->a%d;", id, i, gv, i);
            emit(g, "if (!%s) n%d_%d = %s;", x.n, id, i, add);
        }
        return;
    }
    const char *nn = x.n;
    switch (ac->id) {
    case A_COUNT_STAR: emit(g, "%s->a%d++;", gv, i); break;
    case A_COUNT: emit(g, "if (!%s) %s->a%d++;", nn, gv, i); break;
    case A_SUM:
        if (sum_checked) emit(g, "if (!%s) { %s->a%d = n%d_%d; %s->h%d = 1; }", nn, gv, i, id, i, gv, i);
        else emit(g, "if (!%s) { %s->a%d += %s; %s->h%d = 1; }", nn, gv, i, x.v, gv, i);
        break;
    case A_AVG:
        if (sum_checked) emit(g, "if (!%s) { %s->a%d = n%d_%d; %s->c%d++; }", nn, gv, i, id, i, gv, i);
        else emit(g, "if (!%s) { %s->a%d += %s; %s->c%d++; }", nn, gv, i, cg_to(g, x, ty_make(VT_DOUBLE)).v, gv, i);
        break;
    case A_MIN:
    case A_MAX: {
        CVal cur = {fmt(g, "%s->a%d", gv, i), "0", ac->type};
        const char *better = cg_cmp_cond(g, ac->id == A_MIN ? OP_LT : OP_GT, x, cur);
        emit(g, "if (!%s && (!%s->h%d || %s)) {", nn, gv, i, better);
        g->depth++;
        if (ac->type.tag == VT_STRING) cg_keep_str(g, p, gv, cur.v, x.v);
        else emit(g, "%s = %s;", cur.v, x.v);
        emit(g, "%s->h%d = 1;", gv, i);
        cg_close(g);
        break;
    }
    case A_FIRST_VALUE:
    case A_LAST_VALUE: {
        const char *cur = fmt(g, "%s->a%d", gv, i);
        if (ac->id == A_FIRST_VALUE) emit(g, "if (!%s && !%s->h%d) {", nn, gv, i);
        else emit(g, "if (!%s) {", nn);
        g->depth++;
        if (ac->type.tag == VT_STRING) cg_keep_str(g, p, gv, cur, x.v);
        else emit(g, "%s = %s;", cur, x.v);
        emit(g, "%s->h%d = 1;", gv, i);
        cg_close(g);
        break;
    }
    case A_STDDEV_SAMP:
    case A_STDDEV_POP:
    case A_VAR_SAMP:
    case A_VAR_POP: {
        CVal d = cg_to(g, x, ty_make(VT_DOUBLE));
        emit(g, "if (!%s) { double dl = %s - %s->m%d; %s->c%d++; %s->m%d += dl / (double)%s->c%d; %s->q%d += dl * (%s - %s->m%d); }", nn,
             d.v, gv, i, gv, i, gv, i, gv, i, gv, i, d.v, gv, i);
        break;
    }
    case A_MEDIAN:
    case A_PERCENTILE_CONT:
    case A_PERCENTILE_DISC: {
        CVal d = cg_to(g, x, ty_make(VT_DOUBLE));
        emit(g, "if (!%s) vagg_push_f64(&%s->d%d, %s);", nn, gv, i, d.v);
        break;
    }
    case A_APPROX_COUNT_DISTINCT:
        emit(g, "if (!%s) vagg_hll_add(&%s->u%d, %s);", nn, gv, i, hash_call(g, x, "0x51ed27a3b9c4d1e7ULL"));
        break;
    case A_CORR:
    case A_COVAR_SAMP:
    case A_COVAR_POP: {
        /* Welford co-moments of (y, x); pairs with a NULL are skipped */
        CVal y = cg_to(g, x, ty_make(VT_DOUBLE));
        emit(g, "if (!%s && !%s) { double dx = %s - %s->mx%d, dy = %s - %s->m%d; %s->c%d++;", y.n, x2.n, x2.v, gv, i, y.v, gv, i, gv, i);
        emit(g, "    %s->mx%d += dx / (double)%s->c%d; %s->m%d += dy / (double)%s->c%d;", gv, i, gv, i, gv, i, gv, i);
        emit(g, "    %s->cx%d += dx * (%s - %s->m%d); %s->qx%d += dx * (%s - %s->mx%d); %s->q%d += dy * (%s - %s->m%d); }", gv, i, y.v, gv,
             i, gv, i, x2.v, gv, i, gv, i, y.v, gv, i);
        break;
    }
    case A_STRING_AGG: {
        CVal sep = cg_literal(g, ac->arg2);
        emit(g, "if (!%s) { vagg_strcat(&%s->s%d, %s, %s, %s->c%d == 0); %s->c%d++; }", nn, gv, i, sep.v, x.v, gv, i, gv, i);
        break;
    }
    case A_COUNT_DISTINCT: {
        if (!cd_inline(ac)) emit(g, "if (!%s) vagg_set_add(&%s->u%d, %s);", nn, gv, i, x.v);
        else if (x.t.tag == VT_DOUBLE) emit(g, "if (!%s) vagg_iset_add(&%s->u%d, vh_f64_bits(%s));", nn, gv, i, x.v);
        else emit(g, "if (!%s) vagg_iset_add(&%s->u%d, (u64)(i64)(%s));", nn, gv, i, x.v);
        break;
    }
    default: break;
    }
}

static void cg_agg_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    g->cur_op = id;
    emit(g, "/* [%d] Aggregate: build */", id);
    cg_line(g, p->pos);
    emit(g, "{");
    g->depth++;
    i64 ttl = cg_state_ttl(p);
    if (ttl) {
        /* expire idle groups before looking this record's group up (the
         * sweep may move groups); idle time needs the clock on every record */
        sb_printf(&g->top, "static i64 now%d;\n", id);
        emit(g, "now%d = vt_now();", id);
        emit(g, "if (now%d - g%d_swept >= %lldLL) { g%d_swept = now%d; if (g%d_cap) g%d_expire(now%d); }", id, id,
             (long long)(ttl / 2 > 1000 ? ttl / 2 : 1000), id, id, id, id, id);
    }
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->nkeys + 1));
    for (int k = 0; k < p->nkeys; k++) keys[k] = cg_to(g, cg_expr(g, p->keys[k], in), p->cols[k].type);
    CVal *args = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->naggs + 1));
    CVal *args2 = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->naggs + 1));
    for (int i = 0; i < p->naggs; i++) {
        if (p->aggs[i].arg) args[i] = cg_expr(g, p->aggs[i].arg, in);
        if (is_comoment(p->aggs[i].id)) args2[i] = cg_to(g, cg_expr(g, p->aggs[i].arg2, in), ty_make(VT_DOUBLE));
    }
    /* the group memo: inside the loop over the join's matching build rows */
    const Plan *mj = pl_memo_join(p);
    int memo = mj && g->memo_in == mj->id ? mj->id : 0;
    if (memo) {
        emit(g, "struct g%d *g = ej%d->grp; /* the group memo, see cg_memo_agg */", id, memo);
        emit(g, "u64 h = 0;");
        emit(g, "i64 i = 0;");
        emit(g, "if (!g) {");
        g->depth++;
        emit(g, "h = 0x9e3779b97f4a7c15ULL;");
    } else {
        emit(g, "u64 h = 0x9e3779b97f4a7c15ULL;");
    }
    for (int k = 0; k < p->nkeys; k++) emit(g, "h = %s ? vh_mix(h + 1) : %s;", keys[k].n, hash_call(g, keys[k], "h"));
    emit(g, "if (g%d_n * 2 >= g%d_cap) g%d_grow();", id, id, id);
    emit(g, "%si = (i64)(h & (u64)(g%d_cap - 1));", memo ? "" : "i64 ", id);
    if (!memo) emit(g, "struct g%d *g;", id);
    StrBuf eq;
    sb_init(&eq);
    sb_puts(&eq, "g->h == h");
    for (int k = 0; k < p->nkeys; k++)
        sb_printf(&eq, " && g->k%dn == %s && (%s || %s)", k, keys[k].n, keys[k].n, eq_cond(g, keys[k].t, fmt(g, "g->k%d", k), keys[k].v));
    emit(g, "while ((g = g%d_slot[i]) != 0 && !(%s)) i = (i + 1) & (g%d_cap - 1);", id, eq.p, id);
    sb_free(&eq);
    if (memo) cg_close(g);
    /* checked sums before the group exists: a failing record creates nothing */
    emit(g, "struct g%d zero;", id);
    emit(g, "if (!g) { memset(&zero, 0, sizeof zero); }");
    emit(g, "struct g%d *gv = g ? g : &zero;", id);
    for (int i = 0; i < p->naggs; i++)
        if (p->aggs[i].arg) cg_agg_update(g, p, i, args[i], args2[i], "gv", 0);
    cg_bad(g);
    emit(g, "if (!g) {");
    g->depth++;
    if (memo) emit(g, "g = &ej%d->gspace; /* in the build row, a cache line from it */", memo);
    else emit(g, "g = va_alloc(&g%d_arena, sizeof *g);", id);
    emit(g, "memset(g, 0, sizeof *g);");
    emit(g, "g->h = h;");
    for (int k = 0; k < p->nkeys; k++) {
        if (keys[k].t.tag == VT_STRING) emit(g, "if (!%s) g->k%d = va_strdup(&g%d_arena, %s);", keys[k].n, k, id, keys[k].v);
        else emit(g, "g->k%d = %s;", k, keys[k].v);
        emit(g, "g->k%dn = %s;", k, keys[k].n);
    }
    emit(g, "g%d_slot[i] = g;", id);
    emit(g, "g%d_list[g%d_n++] = g;", id, id);
    cg_close(g);
    if (memo) emit(g, "ej%d->grp = g;", memo);
    for (int i = 0; i < p->naggs; i++)
        cg_agg_update(g, p, i, p->aggs[i].arg ? args[i] : (CVal){"0", "0", ty_make(VT_BIGINT)}, args2[i], "g", 1);
    if (cg_state_ttl(p)) emit(g, "g->touched = now%d;", id);
    if (p->emit == EMIT_CHANGES) {
        emit(g, "/* [%d] EMIT CHANGES: the updated row */", id);
        cg_agg_outputs(g, p, "g");
        cg_consume(g, g->parent[id], p);
    }
    cg_close(g);
}

static void cg_agg_produce(Cg *g, Plan *p)
{
    int id = p->id;
    cg_agg_decls(g, p);
    cg_produce(g, p->child);
    if (p->emit == EMIT_CHANGES) return;
    g->pipes++;
    const char *save_next = g->next_label, *save_done = g->done_label;
    g->next_label = fmt(g, "gnext_%d", id);
    g->done_label = fmt(g, "gdone_%d", id);
    g->cur_op = id;
    emit(g, "/* [%d] Aggregate: emit groups, pipeline %d */", id, g->pipes);
    emit(g, "{");
    g->depth++;
    if (p->nkeys == 0) {
        emit(g, "/* no GROUP BY: one row even over empty input */");
        emit(g,
             "if (g%d_n == 0) { if (!g%d_cap) g%d_grow(); struct g%d *e = va_alloc(&g%d_arena, sizeof *e); memset(e, 0, sizeof *e); "
             "g%d_list[g%d_n++] = e; }",
             id, id, id, id, id, id, id);
    }
    cg_timer_start(g, id);
    emit(g, "for (i64 gi = 0; gi < g%d_n; gi++) {", id);
    g->depth++;
    emit(g, "struct g%d *g = g%d_list[gi];", id, id);
    emit(g, "va_reset(&rt->tmp);");
    cg_agg_outputs(g, p, "g");
    cg_consume(g, g->parent[id], p);
    emit(g, "%s:;", g->next_label);
    cg_close(g);
    emit(g, "%s:;", g->done_label);
    cg_timer_stop(g, id);
    cg_close(g);
    g->next_label = save_next;
    g->done_label = save_done;
}

static void cg_agg_cleanup(Cg *g, Plan *p)
{
    int id = p->id;
    const char *frees = cg_acc_free(g, p, fmt(g, "g%d_list[gi]", id));
    if (*frees) emit(g, "for (i64 gi = 0; gi < g%d_n; gi++) {%s }", id, frees);
    emit(g, "free(g%d_slot); free(g%d_list); va_free(&g%d_arena);", id, id, id);
    emit(g, "g%d_slot = g%d_list = 0; g%d_cap = g%d_n = g%d_lcap = 0;", id, id, id, id, id);
}

/* ---- windowed aggregation ---------------------------------------------- */
/* Groups are (keys, window) pairs kept in a chained hash table on the keys
 * and in an arrival-ordered list. The operator tracks its own watermark
 * (max event time seen - 'watermark.max_out_of_orderness'); when it passes
 * the earliest open window end + 'allowed.lateness', a sweep emits every
 * closed group (ordered by end, start, arrival) and frees it. At end of
 * input the watermark jumps to +infinity and everything left is emitted.
 * A record whose windows have all closed is late: counted and routed by
 * 'late.data.strategy'. */

typedef struct WinCfg {
    i64 ooo, lateness, idle;
    int late_dead_letter;
} WinCfg;

static Plan *cg_scan_below(Plan *p)
{
    while (p && p->kind != P_SCAN) p = p->child;
    return p;
}

static i64 cg_duration_prop(Relation *r, const char *key)
{
    const char *v = r ? cat_prop(r, key) : NULL;
    i64 us = 0;
    if (v && vt_parse_duration(v, (i64)strlen(v), &us) != 0) us = 0;
    return us;
}

static WinCfg cg_win_cfg(Plan *p)
{
    Plan *scan = cg_scan_below(p);
    Relation *r = scan ? scan->rel : NULL;
    WinCfg c;
    c.ooo = cg_duration_prop(r, "watermark.max_out_of_orderness");
    if (r && r->kind == REL_KAFKA_SOURCE && !cat_prop(r, "watermark.max_out_of_orderness"))
        c.ooo = 5000000; /* DESIGN §3: 5 s by default for Kafka, 0 for files */
    c.lateness = cg_duration_prop(r, "allowed.lateness");
    c.idle = cg_duration_prop(r, "watermark.idle.timeout");
    if (!c.idle) c.idle = 10000000; /* 10 s */
    const char *st = r ? cat_prop(r, "late.data.strategy") : NULL;
    c.late_dead_letter = !(st && strcasecmp(st, "drop") == 0);
    return c;
}

/* Fold group s2's accumulators into s1 (session merge). */
static void cg_agg_merge(Cg *g, Plan *p, const char *a, const char *b)
{
    for (int i = 0; i < p->naggs; i++) {
        AggCall *ac = &p->aggs[i];
        TypeSpec t = ac->type;
        switch (ac->id) {
        case A_COUNT_STAR:
        case A_COUNT: emit(g, "%s->a%d += %s->a%d;", a, i, b, i); break;
        case A_SUM:
            if (t.tag == VT_DOUBLE) emit(g, "if (%s->h%d) { %s->a%d += %s->a%d; %s->h%d = 1; }", b, i, a, i, b, i, a, i);
            else emit(g, "if (%s->h%d) { %s->a%d = vi_add(rt, %s->a%d, %s->a%d); %s->h%d = 1; }", b, i, a, i, a, i, b, i, a, i);
            break;
        case A_AVG:
            if (ac->arg->type.tag == VT_DECIMAL) emit(g, "%s->a%d = vi_add(rt, %s->a%d, %s->a%d);", a, i, a, i, b, i);
            else emit(g, "%s->a%d += %s->a%d;", a, i, b, i);
            emit(g, "%s->c%d += %s->c%d;", a, i, b, i);
            break;
        case A_MIN:
        case A_MAX:
        case A_FIRST_VALUE:
        case A_LAST_VALUE: {
            /* a is the older session: FIRST keeps a's value, LAST takes b's */
            CVal x = {fmt(g, "%s->a%d", b, i), "0", t}, y = {fmt(g, "%s->a%d", a, i), "0", t};
            const char *take = ac->id == A_FIRST_VALUE ? fmt(g, "!%s->h%d", a, i)
                               : ac->id == A_LAST_VALUE
                                   ? "1"
                                   : fmt(g, "(!%s->h%d || %s)", a, i, cg_cmp_cond(g, ac->id == A_MIN ? OP_LT : OP_GT, x, y));
            const char *val = t.tag == VT_STRING ? fmt(g, "va_strdup(&%s->strs, %s)", a, x.v) : x.v;
            emit(g, "if (%s->h%d && %s) { %s = %s; %s->h%d = 1; }", b, i, take, y.v, val, a, i);
            break;
        }
        case A_STDDEV_SAMP:
        case A_STDDEV_POP:
        case A_VAR_SAMP:
        case A_VAR_POP:
            /* Chan et al.: combine counts, means and sums of squares */
            emit(g, "if (%s->c%d) { double na = (double)%s->c%d, nb = (double)%s->c%d, dl = %s->m%d - %s->m%d;", b, i, a, i, b, i, b, i, a,
                 i);
            emit(g, "    %s->m%d += dl * nb / (na + nb); %s->q%d += %s->q%d + dl * dl * na * nb / (na + nb); %s->c%d += %s->c%d; }", a, i,
                 a, i, b, i, a, i, b, i);
            break;
        case A_MEDIAN:
        case A_PERCENTILE_CONT:
        case A_PERCENTILE_DISC:
            emit(g, "for (i64 k = 0; k < %s->d%d.n; k++) vagg_push_f64(&%s->d%d, %s->d%d.v[k]);", b, i, a, i, b, i);
            break;
        case A_APPROX_COUNT_DISTINCT: emit(g, "vagg_hll_merge(&%s->u%d, &%s->u%d);", a, i, b, i); break;
        case A_CORR:
        case A_COVAR_SAMP:
        case A_COVAR_POP:
            /* pairwise co-moment combination */
            emit(g, "if (%s->c%d) { double na = (double)%s->c%d, nb = (double)%s->c%d, n = na + nb;", b, i, a, i, b, i);
            emit(g, "    double dx = %s->mx%d - %s->mx%d, dy = %s->m%d - %s->m%d;", b, i, a, i, b, i, a, i);
            emit(g, "    %s->cx%d += %s->cx%d + dx * dy * na * nb / n; %s->qx%d += %s->qx%d + dx * dx * na * nb / n;", a, i, b, i, a, i, b,
                 i);
            emit(g,
                 "    %s->q%d += %s->q%d + dy * dy * na * nb / n; %s->mx%d += dx * nb / n; %s->m%d += dy * nb / n; %s->c%d += %s->c%d; }",
                 a, i, b, i, a, i, a, i, a, i, b, i);
            break;
        case A_STRING_AGG: {
            CVal sep = cg_literal(g, ac->arg2);
            emit(g,
                 "if (%s->c%d) { vstr sv_; sv_.p = %s->s%d.p; sv_.n = %s->s%d.n; vagg_strcat(&%s->s%d, %s, sv_, %s->c%d == 0); %s->c%d += "
                 "%s->c%d; }",
                 b, i, b, i, b, i, a, i, sep.v, a, i, a, i, b, i);
            break;
        }
        case A_COUNT_DISTINCT:
            if (cd_inline(&p->aggs[i])) emit(g, "vagg_iset_merge(&%s->u%d, &%s->u%d);", a, i, b, i);
            else
                emit(g, "for (i64 k = 0; k < %s->u%d.cap; k++) if (%s->u%d.k[k].p) vagg_set_add(&%s->u%d, %s->u%d.k[k]);", b, i, b, i, a, i,
                     b, i);
            break;
        default: break;
        }
    }
}

/* A SLIDING(size, advance) window with EMIT FINAL whose size is a multiple
 * of its advance is kept as panes: each record updates the one pane of
 * `advance` it falls in (a group with ws = pane start, we = pane start +
 * size: when the pane stops mattering), and a closing window merges its
 * size/advance panes per key. EMIT CHANGES still updates every window. */
static int cg_win_panes(const Plan *p)
{
    const WindowSpec *w = &p->win;
    return w->kind == WIN_SLIDING && p->emit != EMIT_CHANGES && w->advance_us > 0 && w->size_us > w->advance_us &&
           w->size_us % w->advance_us == 0;
}

static void cg_win_decls(Cg *g, Plan *p, WinCfg *wc)
{
    int id = p->id;
    StrBuf *t = &g->top;
    /* h hashes the keys; b places the group in the table: for tumbling and
       sliding windows it mixes in the window start, so the open windows of
       one key do not share a chain (a key with 1000 open windows made every
       lookup walk them). b = h for sessions, whose start moves, and for
       panes, which a closing window finds by walking its key's chain (a
       lookup per pane start cost 3x on sparse keys). */
    sb_printf(t, "struct g%d {\n    u64 h, b;\n    i64 ws, we, seq, mark;\n    struct g%d *hnext, *lprev, *lnext;\n", id, id);
    for (int k = 0; k < p->nkeys; k++) sb_printf(t, "    %s k%d; u8 k%dn;\n", ty_ctype(p->cols[k].type), k, k);
    cg_acc_fields(t, p);
    sb_printf(t, "    velo_arena strs;\n};\n");
    sb_printf(t, "static struct g%d **g%d_slot, *g%d_head, *g%d_tail;\n", id, id, id, id);
    sb_printf(t, "static i64 g%d_cap, g%d_n, g%d_seq, g%d_max, g%d_wm, g%d_minend;\n", id, id, id, id, id, id);
    sb_printf(t, "static void g%d_out(velo_rt *rt, struct g%d *g);\n", id, id);
    /* free one group */
    sb_printf(t, "static void g%d_free(struct g%d *g)\n{\n   %s\n", id, id, cg_acc_free(g, p, "g"));
    sb_puts(t, "    va_free(&g->strs);\n    free(g);\n}\n");
    /* grow: rehash the chains */
    sb_printf(t,
              "static void g%d_grow(void)\n{\n"
              "    i64 cap = g%d_cap ? g%d_cap * 2 : 1024;\n"
              "    struct g%d **s = calloc((vsize)cap, sizeof *s);\n"
              "    for (struct g%d *g = g%d_head; g; g = g->lnext) { i64 j = (i64)(g->b & (u64)(cap - 1)); g->hnext = s[j]; s[j] = g; }\n"
              "    free(g%d_slot); g%d_slot = s; g%d_cap = cap;\n}\n",
              id, id, id, id, id, id, id, id, id);
    sb_printf(t,
              "static struct g%d *g%d_new(u64 h, u64 b)\n{\n"
              "    if (g%d_n * 2 >= g%d_cap) g%d_grow();\n"
              "    struct g%d *g = calloc(1, sizeof *g);\n"
              "    g->strs.owner = %d;\n"
              "    i64 j = (i64)(b & (u64)(g%d_cap - 1));\n"
              "    g->h = h; g->b = b; g->seq = g%d_seq++; g->hnext = g%d_slot[j]; g%d_slot[j] = g;\n"
              "    g->lprev = g%d_tail; if (g%d_tail) g%d_tail->lnext = g; else g%d_head = g; g%d_tail = g;\n"
              "    g%d_n++;\n    return g;\n}\n",
              id, id, id, id, id, id, id + 1, id, id, id, id, id, id, id, id, id, id);
    sb_printf(t,
              "static void g%d_unlink(struct g%d *g)\n{\n"
              "    struct g%d **pp = &g%d_slot[g->b & (u64)(g%d_cap - 1)];\n"
              "    while (*pp != g) pp = &(*pp)->hnext;\n"
              "    *pp = g->hnext;\n"
              "    if (g->lprev) g->lprev->lnext = g->lnext; else g%d_head = g->lnext;\n"
              "    if (g->lnext) g->lnext->lprev = g->lprev; else g%d_tail = g->lprev;\n"
              "    g%d_n--;\n}\n",
              id, id, id, id, id, id, id, id);
    sb_printf(t,
              "static int g%d_cmp(const void *pa, const void *pb)\n{\n"
              "    const struct g%d *a = *(struct g%d *const *)pa, *b = *(struct g%d *const *)pb;\n"
              "    if (a->we != b->we) return a->we < b->we ? -1 : 1;\n"
              "    if (a->ws != b->ws) return a->ws < b->ws ? -1 : 1;\n"
              "    return (a->seq > b->seq) - (a->seq < b->seq);\n}\n",
              id, id, id, id);
    /* sweep: emit and evict every group whose window closed at watermark wm
     * (pane mode: cg_win_pane_sweep emits windows, this only evicts panes) */
    if (cg_win_panes(p)) sb_printf(t, "static void g%d_pane_emit(velo_rt *rt, i64 wm, int final);\n", id);
    sb_printf(t,
              "static void g%d_sweep(velo_rt *rt, i64 wm, int final)\n{\n%s"
              "    if (!final && (g%d_n == 0 || wm - %lldLL < g%d_minend)) return;\n"
              "    struct g%d **done = malloc((vsize)(g%d_n + 1) * sizeof *done);\n"
              "    i64 k = 0, minend = VELO_I64_MAX;\n"
              "    for (struct g%d *g = g%d_head; g; g = g->lnext) {\n"
              "        if (final || g->we + %lldLL <= wm) done[k++] = g;\n"
              "        else if (g->we < minend) minend = g->we;\n"
              "    }\n"
              "    g%d_minend = minend;\n"
              "    qsort(done, (vsize)k, sizeof *done, g%d_cmp);\n"
              "    for (i64 i = 0; i < k; i++) {\n"
              "        if (final) va_reset(&rt->tmp);\n"
              "%s"
              "        g%d_unlink(done[i]);\n"
              "        g%d_free(done[i]);\n"
              "    }\n"
              "    free(done);\n}\n",
              id, cg_win_panes(p) ? ar_printf(g->a, "    g%d_pane_emit(rt, wm, final);\n", id) : "", id, (long long)wc->lateness, id, id,
              id, id, id, (long long)wc->lateness, id, id,
              p->emit == EMIT_CHANGES || cg_win_panes(p) ? "" : ar_printf(g->a, "        g%d_out(rt, done[i]);\n", id), id, id);
}

/* Ends a function whose body was generated into g->body (saved in `save`
 * at depth `depth`): appends head, body, tail and the closing brace to
 * g->funcs and restores the enclosing body. */
static void cg_func_end(Cg *g, const char *head, const char *tail, StrBuf save, int depth)
{
    sb_puts(&g->funcs, head);
    sb_add(&g->funcs, g->body.p ? g->body.p : "", g->body.n);
    sb_printf(&g->funcs, "%s}\n\n", tail);
    sb_free(&g->body);
    g->body = save;
    g->depth = depth;
}

/* The chain above the window operator, as a function of one group. */
static void cg_win_out_fn(Cg *g, Plan *p)
{
    int id = p->id;
    StrBuf save = g->body;
    int save_depth = g->depth;
    const char *save_next = g->next_label, *save_done = g->done_label;
    sb_init(&g->body);
    g->depth = 1;
    g->next_label = fmt(g, "wnext_%d", id);
    g->done_label = g->next_label;
    g->cur_op = id;
    cg_agg_outputs(g, p, "g");
    cg_consume(g, g->parent[id], p);
    cg_func_end(g, fmt(g, "static void g%d_out(velo_rt *rt, struct g%d *g)\n{\n", id, id), fmt(g, "%s:;\n", g->next_label), save,
                save_depth);
    g->next_label = save_next;
    g->done_label = save_done;
}

static const char *cg_floor_div(Cg *g, const char *x, i64 d)
{
    return fmt(g, "((%s) >= 0 ? (%s) / %lldLL * %lldLL : -((-(%s) + %lldLL - 1) / %lldLL) * %lldLL)", x, x, (long long)d, (long long)d, x,
               (long long)d, (long long)d, (long long)d);
}

/* The interval join a window aggregates (through filters), or NULL. */
static Plan *cg_win_ij(Plan *p)
{
    Plan *c = p->child;
    while (c && c->kind == P_FILTER) c = c->child;
    return c && c->kind == P_JOIN && c->interval ? c : NULL;
}

/* 0 or 1 when the window's time column is the left or right time column
 * of the interval join it aggregates, else -1. */
static int cg_win_ij_time(Plan *p)
{
    Plan *j = cg_win_ij(p);
    if (!j || p->win_time_col < 0) return -1;
    int nl = ((Plan *)j->inputs.v[0])->ncols;
    return p->win_time_col == j->iv_lcol ? 0 : p->win_time_col == nl + j->iv_rcol ? 1 : -1;
}

/* Window p over an interval join: close what the join's watermarks say
 * no future row can reach. Called for each row and, by the join, whenever
 * one of its inputs' watermarks moves. */
static void cg_win_ij_sweep(Cg *g, Plan *p)
{
    int id = p->id;
    emit(g, "{ i64 w = ij%d_outwm(%d); if (w > g%d_wm) { g%d_wm = w; g%d_sweep(rt, w, 0); } }", cg_win_ij(p)->id, cg_win_ij_time(p), id, id,
         id);
}

static void cg_win_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    WinCfg wc = cg_win_cfg(p);
    WindowSpec *w = &p->win;
    g->cur_op = id;
    emit(g, "/* [%d] Window aggregate: assign, update, advance the watermark */", id);
    cg_line(g, p->pos);
    emit(g, "{");
    g->depth++;
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->nkeys + 1));
    for (int k = 0; k < p->nkeys; k++) keys[k] = cg_to(g, cg_expr(g, p->keys[k], in), p->cols[k].type);
    CVal *args = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->naggs + 1));
    CVal *args2 = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->naggs + 1));
    for (int i = 0; i < p->naggs; i++) {
        if (p->aggs[i].arg) args[i] = cg_expr(g, p->aggs[i].arg, in);
        if (is_comoment(p->aggs[i].id)) args2[i] = cg_to(g, cg_expr(g, p->aggs[i].arg2, in), ty_make(VT_DOUBLE));
    }
    if (p->win_time_col >= 0) {
        CVal tc = in[p->win_time_col];
        emit(g, "if (%s) { velo_bad_record(rt, %d, \"record has no event time (NULL time column)\"); goto %s; }", tc.n, id, g->next_label);
        emit(g, "i64 et = %s;", tc.v);
    } else {
        emit(g, "i64 et = vt_now();");
    }
    /* the last window a record belongs to decides whether it is late */
    i64 size = w->size_us > 0 ? w->size_us : 1, adv = w->kind == WIN_SLIDING && w->advance_us > 0 ? w->advance_us : size;
    const char *last_end = w->kind == WIN_SESSION ? fmt(g, "et + %lldLL", (long long)size)
                                                  : fmt(g, "%s + %lldLL", cg_floor_div(g, "et", adv), (long long)size);
    /* a session record is late only if no open session takes it (below) */
    if (w->kind != WIN_SESSION)
        emit(g, "if (g%d_wm != VELO_I64_MIN && %s + %lldLL <= g%d_wm) { %svelo_late_record(rt, %d, %d, et, g%d_wm); goto %s; }", id,
             last_end, (long long)wc.lateness, id, g->analyze ? fmt(g, "velo_an_late[%d]++; ", id) : "", id, wc.late_dead_letter, id,
             g->next_label);
    emit(g, "u64 h = 0x9e3779b97f4a7c15ULL;");
    for (int k = 0; k < p->nkeys; k++) emit(g, "h = %s ? vh_mix(h + 1) : %s;", keys[k].n, hash_call(g, keys[k], "h"));
    emit(g, "if (!g%d_cap) g%d_grow();", id, id);
    StrBuf eq;
    sb_init(&eq);
    sb_puts(&eq, "c->h == h");
    for (int k = 0; k < p->nkeys; k++)
        sb_printf(&eq, " && c->k%dn == %s && (%s || %s)", k, keys[k].n, keys[k].n, eq_cond(g, keys[k].t, fmt(g, "c->k%d", k), keys[k].v));
    const char *keq = ar_strdup(g->a, eq.p);
    sb_free(&eq);
    emit(g, "struct g%d zero;", id);
    if (w->kind == WIN_SESSION) {
        emit(g, "struct g%d *g = 0, *g2 = 0;", id);
        emit(g, "for (struct g%d *c = g%d_slot[h & (u64)(g%d_cap - 1)]; c; c = c->hnext)", id, id, id);
        emit(g, "    if (%s && et > c->ws - %lldLL && et < c->we) { if (!g) g = c; else g2 = c; }", keq, (long long)size);
        emit(g, "if (!g && g%d_wm != VELO_I64_MIN && %s + %lldLL <= g%d_wm) { %svelo_late_record(rt, %d, %d, et, g%d_wm); goto %s; }", id,
             last_end, (long long)wc.lateness, id, g->analyze ? fmt(g, "velo_an_late[%d]++; ", id) : "", id, wc.late_dead_letter, id,
             g->next_label);
        emit(g, "if (g2 && g2->ws < g->ws) { struct g%d *o = g; g = g2; g2 = o; } /* merge into the older */", id);
        emit(g, "if (g2) {");
        g->depth++;
        emit(g, "/* the record bridges two sessions: merge them */");
        cg_agg_merge(g, p, "g", "g2");
        emit(g, "rt->err = 0;");
        emit(g, "if (g2->ws < g->ws) g->ws = g2->ws;");
        emit(g, "if (g2->we > g->we) g->we = g2->we;");
        emit(g, "g%d_unlink(g2); g%d_free(g2);", id, id);
        cg_close(g);
        emit(g, "if (!g) memset(&zero, 0, sizeof zero);");
        emit(g, "struct g%d *gv = g ? g : &zero;", id);
        for (int i = 0; i < p->naggs; i++)
            if (p->aggs[i].arg) cg_agg_update(g, p, i, args[i], args2[i], "gv", 0);
        cg_bad(g);
        emit(g, "if (!g) {");
        g->depth++;
        emit(g, "g = g%d_new(h, h); g->ws = et; g->we = et + %lldLL;", id, (long long)size);
        for (int k = 0; k < p->nkeys; k++) {
            if (keys[k].t.tag == VT_STRING) emit(g, "if (!%s) g->k%d = va_strdup(&g->strs, %s);", keys[k].n, k, keys[k].v);
            else emit(g, "g->k%d = %s;", k, keys[k].v);
            emit(g, "g->k%dn = %s;", k, keys[k].n);
        }
        cg_close(g);
        emit(g, "if (et < g->ws) g->ws = et;");
        emit(g, "if (et + %lldLL > g->we) g->we = et + %lldLL;", (long long)size, (long long)size);
        emit(g, "if (g->we < g%d_minend) g%d_minend = g->we;", id, id);
        for (int i = 0; i < p->naggs; i++)
            cg_agg_update(g, p, i, p->aggs[i].arg ? args[i] : (CVal){"0", "0", ty_make(VT_BIGINT)}, args2[i], "g", 1);
        if (p->emit == EMIT_CHANGES) emit(g, "g%d_out(rt, g);", id);
    } else {
        emit(g, "i64 wlast = %s;", cg_floor_div(g, "et", adv));
        if (cg_win_panes(p)) /* one pane per record; see cg_win_panes */
            emit(g, "for (i64 ws = wlast; ws == wlast; ws--) {");
        else emit(g, "for (i64 ws = wlast; ws > et - %lldLL; ws -= %lldLL) {", (long long)size, (long long)adv);
        g->depth++;
        emit(g, "if (g%d_wm != VELO_I64_MIN && ws + %lldLL + %lldLL <= g%d_wm) break; /* closed */", id, (long long)size,
             (long long)wc.lateness, id);
        emit(g, "u64 hb = %s;", cg_win_panes(p) ? "h" : "h ^ vh_mix((u64)ws)");
        emit(g, "struct g%d *g = g%d_slot[hb & (u64)(g%d_cap - 1)];", id, id, id);
        emit(g, "while (g) { struct g%d *c = g; if (c->ws == ws && %s) break; g = g->hnext; }", id, keq);
        emit(g, "if (!g) memset(&zero, 0, sizeof zero);");
        emit(g, "struct g%d *gv = g ? g : &zero;", id);
        for (int i = 0; i < p->naggs; i++)
            if (p->aggs[i].arg) cg_agg_update(g, p, i, args[i], args2[i], "gv", 0);
        cg_bad(g);
        emit(g, "if (!g) {");
        g->depth++;
        emit(g, "g = g%d_new(h, hb); g->ws = ws; g->we = ws + %lldLL;", id, (long long)size);
        emit(g, "if (g->we < g%d_minend) g%d_minend = g->we;", id, id);
        if (cg_win_panes(p)) emit(g, "if (ws + %lldLL < g%d_due) g%d_due = ws + %lldLL;", (long long)adv, id, id, (long long)adv);
        for (int k = 0; k < p->nkeys; k++) {
            if (keys[k].t.tag == VT_STRING) emit(g, "if (!%s) g->k%d = va_strdup(&g->strs, %s);", keys[k].n, k, keys[k].v);
            else emit(g, "g->k%d = %s;", k, keys[k].v);
            emit(g, "g->k%dn = %s;", k, keys[k].n);
        }
        cg_close(g);
        for (int i = 0; i < p->naggs; i++)
            cg_agg_update(g, p, i, p->aggs[i].arg ? args[i] : (CVal){"0", "0", ty_make(VT_BIGINT)}, args2[i], "g", 1);
        if (p->emit == EMIT_CHANGES) emit(g, "g%d_out(rt, g);", id);
        cg_close(g);
    }
    int pc = -1, ijc = cg_win_ij_time(p);
    for (int i = 0; i < from->ncols; i++)
        if (from->cols[i].partition && in[i].v) pc = i;
    if (ijc >= 0) {
        /* over an interval join: its inputs' watermarks and bounds say
         * which times can still come (cg_ij_decls) */
        cg_win_ij_sweep(g, p);
    } else if (pc < 0) {
        emit(g, "if (et > g%d_max) { g%d_max = et; g%d_wm = et - %lldLL; g%d_sweep(rt, g%d_wm, 0); }", id, id, id, (long long)wc.ooo, id,
             id);
    } else {
        /* DESIGN §3: for Kafka the watermark is the minimum over partitions
         * of their max event time, leaving out partitions idle for longer
         * than 'watermark.idle.timeout' (processing time). Partition
         * numbers past the table share its last slot. */
        enum { NP = 256 };
        g->part_wm[id] = 1;
        sb_printf(&g->top, "static i64 g%d_pmax[%d], g%d_pseen[%d], g%d_now, g%d_tick, g%d_t0;\nstatic u8 g%d_asg[%d];\n", id, NP, id, NP,
                  id, id, id, id, NP);
        /* assigned partitions not heard from yet hold the watermark back,
         * for at most the idle timeout */
        emit(g, "if ((g%d_tick++ & 255) == 0) { g%d_now = vt_now(); if (!g%d_t0) g%d_t0 = g%d_now; vsrc_partitions(src, g%d_asg, %d); }",
             id, id, id, id, id, id, NP);
        emit(g, "{ i64 pt = %s ? 0 : %s; if (pt < 0 || pt >= %d) pt = %d;", in[pc].n, in[pc].v, NP, NP - 1);
        emit(g, "  g%d_pseen[pt] = g%d_now;", id, id);
        emit(g, "  if (et > g%d_pmax[pt] || g%d_pmax[pt] == 0) {", id, id);
        emit(g, "    g%d_pmax[pt] = et; if (et > g%d_max) g%d_max = et;", id, id, id);
        emit(g, "    i64 low = VELO_I64_MAX; int hold = 0;");
        emit(g, "    for (int q = 0; q < %d; q++) {", NP);
        emit(g, "      if (!g%d_pseen[q]) { if (g%d_asg[q] && g%d_now - g%d_t0 <= %lldLL) hold = 1; continue; }", id, id, id, id,
             (long long)wc.idle);
        emit(g, "      if (g%d_now - g%d_pseen[q] <= %lldLL && g%d_pmax[q] < low) low = g%d_pmax[q];", id, id, (long long)wc.idle, id, id);
        emit(g, "    }");
        emit(g, "    if (!hold && low != VELO_I64_MAX && low - %lldLL > g%d_wm) { g%d_wm = low - %lldLL; g%d_sweep(rt, g%d_wm, 0); }",
             (long long)wc.ooo, id, id, (long long)wc.ooo, id, id);
        emit(g, "  } }");
    }
    cg_close(g);
}

/* g<id>_pane_emit(wm, final): emit every window whose end + lateness the
 * watermark has passed (all of them at the end), each key's panes merged in
 * pane order into one group handed to g<id>_out. Windows without panes are
 * skipped in one step. */
static void cg_win_pane_fn(Cg *g, Plan *p, WinCfg *wc)
{
    int id = p->id;
    long long size = (long long)p->win.size_us, adv = (long long)p->win.advance_us, k = size / adv;
    StrBuf save = g->body;
    int depth = g->depth;
    sb_init(&g->body);
    g->depth = 1;
    /* g<id>_done is the end of the last window emitted; every window ending
       at or before it is closed.  Out-of-order (but not late) panes may
       start before the earliest pane seen so far, so the next window is
       recomputed from the live panes on each call. */
    sb_printf(&g->top, "static i64 g%d_done = VELO_I64_MIN;\n", id);
    /* g<id>_due: no window ending before it can close, so the sweep run on
       every watermark advance returns at once; a new pane lowers it. */
    sb_printf(&g->top, "static i64 g%d_due = VELO_I64_MIN;\n", id);
    emit(g, "i64 limit = final ? VELO_I64_MAX : wm - %lldLL;", (long long)wc->lateness);
    emit(g, "if (!g%d_n || limit < g%d_due) return;", id, id);
    emit(g, "i64 lo = VELO_I64_MAX, hi = VELO_I64_MIN;");
    emit(g, "for (struct g%d *c = g%d_head; c; c = c->lnext) { if (c->ws < lo) lo = c->ws; if (c->ws > hi) hi = c->ws; }", id, id);
    emit(g, "i64 g%d_next = lo + %lldLL; /* first window holding a pane */", id, adv);
    emit(g, "if (g%d_done != VELO_I64_MIN && g%d_next <= g%d_done) g%d_next = g%d_done + %lldLL;", id, id, id, id, id, adv);
    emit(g, "if (final) limit = hi + %lldLL;", size);
    emit(g, "struct g%d *pane[%lld];", id, k);
    emit(g, "while (g%d_next <= limit) {", id);
    g->depth++;
    emit(g, "i64 e = g%d_next, s = e - %lldLL, any = 0, later = VELO_I64_MAX;", id, size);
    emit(g, "if (final) va_reset(&rt->tmp);");
    emit(g, "for (struct g%d *c = g%d_head; c; c = c->lnext) {", id, id);
    g->depth++;
    emit(g, "if (c->ws >= e) { if (c->ws < later) later = c->ws; continue; }");
    emit(g, "if (c->ws < s || c->mark == e) continue;");
    emit(g, "any = 1;");
    /* the key's panes in this window, by pane start */
    emit(g, "int np = 0;");
    emit(g, "for (struct g%d *q = g%d_slot[c->b & (u64)(g%d_cap - 1)]; q; q = q->hnext) /* b = h: the key's panes */", id, id, id);
    emit(g, "    if (q->h == c->h && q->ws >= s && q->ws < e && g%d_samekey(q, c) && np < %lld) { pane[np++] = q; q->mark = e; }", id, k);
    emit(g, "for (int a = 1; a < np; a++) for (int b = a; b > 0 && pane[b - 1]->ws > pane[b]->ws; b--) {");
    emit(g, "    struct g%d *x = pane[b]; pane[b] = pane[b - 1]; pane[b - 1] = x; }", id);
    emit(g, "struct g%d w, *t = &w;", id);
    emit(g, "memset(t, 0, sizeof w);");
    emit(g, "t->strs.owner = %d;", id + 1);
    for (int kk = 0; kk < p->nkeys; kk++) emit(g, "t->k%d = pane[0]->k%d; t->k%dn = pane[0]->k%dn;", kk, kk, kk, kk);
    emit(g, "for (int a = 0; a < np; a++) {");
    g->depth++;
    emit(g, "struct g%d *o = pane[a];", id);
    cg_agg_merge(g, p, "t", "o");
    g->depth--;
    emit(g, "}");
    emit(g, "rt->err = 0;");
    emit(g, "t->ws = s; t->we = e;");
    emit(g, "g%d_out(rt, t);", id);
    emit(g, "%s", cg_acc_free(g, p, "t"));
    emit(g, "va_free(&t->strs);");
    cg_close(g);
    emit(g, "g%d_done = e;", id);
    emit(g, "g%d_next = any || later == VELO_I64_MAX ? e + %lldLL : (later + %lldLL > e + %lldLL ? later + %lldLL : e + %lldLL);", id, adv,
         adv, adv, adv, adv);
    cg_close(g);
    emit(g, "g%d_due = g%d_next;", id, id);
    cg_func_end(g, fmt(g, "static void g%d_pane_emit(velo_rt *rt, i64 wm, int final)\n{\n", id), "", save, depth);
    /* equality of two groups' keys */
    StrBuf *tp = &g->top;
    sb_printf(tp, "static int g%d_samekey(const struct g%d *a, const struct g%d *b)\n{\n", id, id, id);
    for (int kk = 0; kk < p->nkeys; kk++) {
        sb_printf(tp, "    if (a->k%dn != b->k%dn) return 0;\n", kk, kk);
        if (p->cols[kk].type.tag == VT_STRING) sb_printf(tp, "    if (!a->k%dn && !vs_eq(a->k%d, b->k%d)) return 0;\n", kk, kk, kk);
        else sb_printf(tp, "    if (!a->k%dn && a->k%d != b->k%d) return 0;\n", kk, kk, kk);
    }
    sb_puts(tp, "    (void)a; (void)b;\n    return 1;\n}\n");
}

static void cg_win_produce(Cg *g, Plan *p)
{
    int id = p->id;
    WinCfg wc = cg_win_cfg(p);
    cg_win_decls(g, p, &wc);
    cg_win_out_fn(g, p);
    if (cg_win_panes(p)) cg_win_pane_fn(g, p, &wc);
    emit(g, "g%d_max = g%d_wm = VELO_I64_MIN; g%d_minend = VELO_I64_MAX;", id, id, id);
    cg_produce(g, p->child);
    emit(g, "/* [%d] end of input: the watermark jumps to +infinity */", id);
    emit(g, "g%d_sweep(rt, VELO_I64_MAX, 1);", id);
    emit(g, "free(g%d_slot); g%d_slot = 0; g%d_cap = g%d_n = 0;", id, id, id, id);
}

/* ---- hash join --------------------------------------------------------- */
/* The build input fills a chained hash table of entries holding its key
 * values and the columns the query reads; the probe input then looks each
 * row up. Outer joins track matches: unmatched probe rows are padded at
 * once, unmatched build rows in a final pass over the entry list. */

static const char *null_value(TypeSpec t)
{
    return t.tag == VT_STRING ? "((vstr){0, 0})" : t.tag == VT_DOUBLE ? "0.0" : "0";
}

static int join_outer_probe(const Plan *p)
{
    int k = p->join_kind;
    return k == 'F' || (k == 'L' && !p->build_left) || (k == 'R' && p->build_left);
}

static int join_outer_build(const Plan *p)
{
    int k = p->join_kind;
    return k == 'F' || (k == 'L' && p->build_left) || (k == 'R' && !p->build_left);
}

static TypeSpec join_key_type(const Plan *p, int i)
{
    TypeSpec t = ty_common(p->jk_left[i]->type, p->jk_right[i]->type);
    return t.tag == VT_NULL ? p->jk_left[i]->type : t;
}

/*
 * The group memo, a light group-join: when the rows a hash join's probe
 * produces go straight (through filters and projections) into an
 * aggregate whose GROUP BY keys are all columns of the join's build rows,
 * a build row's group is the same for every probe row it matches. The
 * build row keeps a pointer to it, so only its first match looks the group
 * up (TPC-H Q13: every order of a customer adds to that customer's group),
 * and a group that match creates is the row's own gspace, on the cache
 * lines the probe just read. The join's rows then live until cg_cleanup,
 * after the aggregate's groups.
 * pl_memo_join decides (EXPLAIN shows it); not with windows or EMIT
 * CHANGES, whose groups come and go (state.ttl). A restart from a
 * checkpoint rebuilds the join's rows, so no memo outlives its group.
 */
static Plan *cg_memo_agg(Cg *g, Plan *join)
{
    Plan *q = g->parent[join->id];
    while (q && (q->kind == P_FILTER || q->kind == P_PROJECT)) q = g->parent[q->id];
    return q && pl_memo_join(q) == join ? q : NULL;
}

/* The columns of a kept row (a join's build row, a sorted row): values
 * first, then their null flags together, as `i64 c; u8 cn;` pairs padded
 * every flag to 8 bytes. q12's lineitem build row: 120 -> 80 bytes, peak
 * state 50.9 -> 36.9 MB. needed NULL: every column. */
static void cg_row_cols(StrBuf *t, const Plan *in, const u8 *needed)
{
    for (int c = 0; c < in->ncols; c++)
        if (!needed || needed[c]) sb_printf(t, "    %s c%d;\n", ty_ctype(in->cols[c].type), c);
}

static void cg_row_nulls(StrBuf *t, const Plan *in, const u8 *needed)
{
    for (int c = 0; c < in->ncols; c++)
        if (!needed || needed[c]) sb_printf(t, "    u8 c%dn;\n", c);
}

static void cg_join_decls(Cg *g, Plan *p)
{
    int id = p->id;
    Plan *B = p->inputs.v[p->build_left ? 0 : 1];
    int boff = p->build_left ? 0 : ((Plan *)p->inputs.v[0])->ncols;
    StrBuf *t = &g->top;
    sb_printf(t, "struct j%d {\n    struct j%d *next, *all;\n    u64 h;\n", id, id);
    for (int i = 0; i < p->njk; i++) sb_printf(t, "    %s k%d;\n", ty_ctype(join_key_type(p, i)), i);
    cg_row_cols(t, B, p->out_needed + boff);
    sb_puts(t, "    u8 m;\n");
    cg_row_nulls(t, B, p->out_needed + boff);
    if (cg_memo_agg(g, p)) /* the group once found; gspace holds it when this row's first match makes it */
        sb_printf(t, "    struct g%d *grp, gspace;\n", cg_memo_agg(g, p)->id);
    sb_printf(t, "};\nstatic struct j%d **j%d_slot, *j%d_all, *j%d_last;\n", id, id, id, id);
    sb_printf(t, "static i64 j%d_cap, j%d_n, j%d_rows;\nstatic int j%d_nullkey;\n", id, id, id, id);
    cg_state_arena(g, fmt(g, "j%d_arena", id), id);
    /* The build appends rows in arrival order; j_link then sizes the slots
       for the rows there are and links them in one pass, with the Bloom
       filter's bits (~16 a key), after the build and before the first probe.
       No rehash while building: q12's 398k-row build went from ten rehashes,
       each relinking every row, to one pass over rows laid out in order. */
    if (p->bloom) sb_printf(t, "static u64 *j%d_bloom, j%d_bmask;\n", id, id);
    if (join_key_bits(p)) sb_printf(t, "static u64 *j%d_bits, j%d_krange;\nstatic i64 j%d_kmin;\n", id, id, id);
    sb_printf(t,
              "static void j%d_link(void)\n{\n"
              "    if (!j%d_n) return; /* no slots: every probe goes on at once */\n"
              "    i64 cap = 1024;\n"
              "    while (cap < j%d_n * 2) cap *= 2;\n"
              "    struct j%d **s = calloc((vsize)cap, sizeof *s);\n",
              id, id, id, id);
    if (join_key_bits(p))
        sb_printf(
            t,
            "    i64 lo = 0, hi = 0; /* the keys' range, when its bitmap is small enough (JOIN_KEY_BITS) */\n"
            "    int any = 0;\n"
            "    for (struct j%d *e = j%d_all; e; e = e->all)\n"
            "        if (e->next != (struct j%d *)1) {\n"
            "            if (!any || e->k0 < lo) lo = e->k0;\n"
            "            if (!any || e->k0 > hi) hi = e->k0;\n"
            "            any = 1;\n"
            "        }\n"
            "    if (any && (u64)hi - (u64)lo < %d) {\n"
            "        j%d_bits = calloc(((u64)hi - (u64)lo) / 64 + 1, sizeof(u64));\n"
            "        j%d_kmin = lo, j%d_krange = (u64)hi - (u64)lo + 1;\n"
            "        for (struct j%d *e = j%d_all; e && j%d_bits; e = e->all)\n"
            "            if (e->next != (struct j%d *)1) j%d_bits[((u64)e->k0 - (u64)lo) >> 6] |= 1ULL << (((u64)e->k0 - (u64)lo) & 63);\n"
            "    }\n",
            id, id, id, JOIN_KEY_BITS, id, id, id, id, id, id, id, id);
    /* no filter (every probe goes on) if it cannot be allocated, and none
       beside a bitmap: its exact test leaves the filter nothing to reject */
    if (p->bloom)
        sb_printf(t,
                  "    u64 w = 64;\n"
                  "    while (w * 4 < (u64)j%d_n) w *= 2;\n"
                  "    j%d_bloom = %scalloc((vsize)w, sizeof(u64));\n"
                  "    j%d_bmask = w - 1;\n",
                  id, id, join_key_bits(p) ? fmt(g, "j%d_bits ? 0 : ", id) : "", id);
    sb_printf(t,
              "    for (struct j%d *e = j%d_all; e; e = e->all) {\n"
              "        if (e->next == (struct j%d *)1) continue; /* NULL key: never matches */\n"
              "        i64 b = (i64)(e->h & (u64)(cap - 1));\n"
              "        e->next = s[b]; s[b] = e;\n",
              id, id, id);
    if (p->bloom) sb_printf(t, "        if (j%d_bloom) j%d_bloom[(e->h >> 40) & j%d_bmask] |= vh_bloom_bits(e->h);\n", id, id, id);
    sb_printf(t, "    }\n    j%d_slot = s; j%d_cap = cap;\n", id, id);
    if (g->analyze)
        sb_printf(t, "    " CG_AN_MEM "[%d] = j%d_arena.used + cap * (i64)sizeof *s%s%s;\n", id, id,
                  p->bloom ? fmt(g, " + (j%d_bloom ? (i64)w * 8 : 0)", id) : "",
                  join_key_bits(p) ? fmt(g, " + (j%d_bits ? (i64)(j%d_krange / 64 + 1) * 8 : 0)", id, id) : "");
    if (g->analyze && join_key_bits(p)) sb_printf(t, "    " CG_AN_BITS "[%d] = j%d_bits ? (i64)j%d_krange : 0;\n", id, id, id);
    sb_puts(t, "}\n");
}

/* The join keys of p as values of its key types (exprs over in), and the
 * C test of whether any is NULL; then their hash h (cg_join_hash). */
static void cg_join_key_vals(Cg *g, Plan *p, Expr **exprs, CVal *in, CVal *keys, const char **anynull)
{
    const char *n = "0";
    for (int i = 0; i < p->njk; i++) {
        keys[i] = cg_to(g, cg_expr(g, exprs[i], in), join_key_type(p, i));
        n = null_or(g, n, keys[i].n);
    }
    *anynull = n;
}

static void cg_join_hash(Cg *g, Plan *p, CVal *keys)
{
    emit(g, "u64 h = 0x9e3779b97f4a7c15ULL;");
    /* a NULL key's value is not defined (a NULL string may point anywhere):
       never hash it; such a row matches nothing anyway */
    for (int i = 0; i < p->njk; i++) {
        if (strcmp(keys[i].n, "0")) emit(g, "h = %s ? vh_mix(h + 1) : %s;", keys[i].n, hash_call(g, keys[i], "h"));
        else emit(g, "h = %s;", hash_call(g, keys[i], "h"));
    }
}

static void cg_join_keys(Cg *g, Plan *p, Expr **exprs, CVal *in, CVal *keys, const char **anynull)
{
    cg_join_key_vals(g, p, exprs, in, keys, anynull);
    cg_join_hash(g, p, keys);
}

static void cg_join_build(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    int boff = p->build_left ? 0 : ((Plan *)p->inputs.v[0])->ncols;
    emit(g, "/* [%d] HashJoin: build */", id);
    emit(g, "{");
    g->depth++;
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->njk + 1));
    const char *anynull;
    cg_join_keys(g, p, p->build_left ? p->jk_left : p->jk_right, in, keys, &anynull);
    emit(g, "j%d_rows++;", id);
    if (p->single_row && !p->njk)
        emit(g, "if (j%d_rows > 1) { velo_fatal(rt, \"more than one row returned by a subquery used as an expression\"); goto %s; }", id,
             g->next_label);
    if (strcmp(anynull, "0")) {
        emit(g, "if (%s) j%d_nullkey = 1;", anynull, id);
        if (!join_outer_build(p)) emit(g, "if (%s) goto %s; /* a NULL key never matches */", anynull, g->next_label);
    }
    emit(g, "struct j%d *e = va_alloc(&j%d_arena, sizeof *e);", id, id);
    emit(g, "memset(e, 0, sizeof *e);");
    emit(g, "e->h = h;");
    for (int i = 0; i < p->njk; i++) {
        /* an outer join keeps NULL-keyed build rows: their string is undefined, never copy it */
        if (keys[i].t.tag == VT_STRING && strcmp(keys[i].n, "0"))
            emit(g, "e->k%d = %s ? (vstr){0, 0} : va_strdup(&j%d_arena, %s);", i, keys[i].n, id, keys[i].v);
        else if (keys[i].t.tag == VT_STRING) emit(g, "e->k%d = va_strdup(&j%d_arena, %s);", i, id, keys[i].v);
        else emit(g, "e->k%d = %s;", i, keys[i].v);
    }
    for (int c = 0; c < from->ncols; c++) {
        if (!p->out_needed[boff + c]) continue;
        if (from->cols[c].type.tag == VT_STRING) emit(g, "e->c%d = %s ? %s : va_strdup(&j%d_arena, %s);", c, in[c].n, in[c].v, id, in[c].v);
        else emit(g, "e->c%d = %s;", c, cg_to(g, in[c], from->cols[c].type).v);
        emit(g, "e->c%dn = %s;", c, in[c].n);
    }
    emit(g, "if (j%d_last) j%d_last->all = e; else j%d_all = e;", id, id, id);
    emit(g, "j%d_last = e;", id);
    /* linked by j_link when the build is done */
    if (strcmp(anynull, "0")) emit(g, "if (%s) e->next = (struct j%d *)1; else j%d_n++;", anynull, id, id);
    else emit(g, "j%d_n++;", id);
    cg_close(g);
}

/* Output columns of the join for a probe row and build entry e (NULL
 * entry: the build side is padded with NULLs). */
static void cg_join_outputs(Cg *g, Plan *p, CVal *probe, const char *e)
{
    Plan *L = p->inputs.v[0], *R = p->inputs.v[1];
    Plan *B = p->build_left ? L : R;
    int nl = L->ncols, boff = p->build_left ? 0 : nl, poff = p->build_left ? nl : 0;
    CVal *o = g->outv[p->id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(nl + R->ncols + 1));
    int memo = e && cg_memo_agg(g, p) ? p->id : 0;
    if (memo) emit(g, "struct j%d *ej%d = %s;", memo, memo, e);
    for (int c = 0; c < nl + R->ncols; c++) {
        int in_build = c >= boff && c < boff + B->ncols;
        if (!in_build) {
            o[c] = probe[c - poff];
            continue;
        }
        int bc = c - boff;
        TypeSpec t = B->cols[bc].type;
        if (!e || !p->out_needed[c]) o[c] = (CVal){null_value(t), "1", t};
        else o[c] = (CVal){fmt(g, "%s->c%d", e, bc), fmt(g, "%s->c%dn", e, bc), t};
    }
    cg_materialize(g, o, nl + R->ncols);
}

/* The probe's key test of build entry e against keys. */
static const char *join_key_eq(Cg *g, Plan *p, CVal *keys, const char *e)
{
    StrBuf eq;
    sb_init(&eq);
    sb_printf(&eq, "%s->h == h", e);
    for (int i = 0; i < p->njk; i++) sb_printf(&eq, " && %s", eq_cond(g, keys[i].t, fmt(g, "%s->k%d", e, i), keys[i].v));
    const char *r = fmt(g, "%s", eq.p);
    sb_free(&eq);
    return r;
}

/*
 * The Bloom filters of the joins above that a record of scan `from` is
 * tested against after the probe of the first join it feeds finds a match
 * (the optimizer's early_blooms, with the reasons), their key columns
 * decoded first when they are lazy (marked in done). A NULL key or one a
 * filter has not seen ends the record here, as that join would.
 */
static void cg_early_blooms(Cg *g, Plan *from, const char *cols, u8 *done)
{
    for (int b = 0; b < from->early_blooms.n; b++) {
        Plan *j = from->early_blooms.v[b], *in = pl_probe_input(j);
        Expr **kx = j->build_left ? j->jk_right : j->jk_left;
        CVal *vals = ar_alloc(g->a, sizeof(CVal) * (size_t)(in->ncols + 1));
        for (int i = 0; i < j->njk; i++) {
            int c = pl_scan_col(in, kx[i]->col_index, from);
            if (done && g->lazy_cols[c] && !done[c]) {
                cg_decode(g, from, c, cols);
                done[c] = 1;
            }
            vals[kx[i]->col_index] = g->outv[from->id][c];
        }
        emit(g, "{ /* [%d] HashJoin: its filter, ahead of its probe */", j->id);
        g->depth++;
        CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(j->njk + 1));
        const char *anynull;
        cg_join_key_vals(g, j, kx, vals, keys, &anynull);
        if (join_key_bits(j)) { /* its bitmap when it has one (join_key_bits), else its Bloom filter */
            emit(g, "if (j%d_bits) {", j->id);
            emit(g, "    if (%s || !%s) goto %s;", anynull, key_bits_has(g, j->id, keys[0].v), g->next_label);
            emit(g, "} else {");
            g->depth++;
        }
        cg_join_hash(g, j, keys);
        emit(g, "if (j%d_bloom && (%s || !vh_bloom_may(j%d_bloom, j%d_bmask, h))) goto %s;", j->id, anynull, j->id, j->id, g->next_label);
        if (join_key_bits(j)) cg_close(g);
        cg_close(g);
    }
}

/* The probe of a scan with lazy columns: find the first entry with equal
 * keys, test the Bloom filters of the joins above (cg_early_blooms),
 * decode the columns the keys did not need, then go on from there. */
static void cg_join_probe_lazy(Cg *g, Plan *p, Plan *from, CVal *keys)
{
    int id = p->id;
    emit(g, "struct j%d *e0 = j%d_slot[h & (u64)(j%d_cap - 1)];", id, id, id);
    emit(g, "while (e0 && !(%s)) e0 = e0->next;", join_key_eq(g, p, keys, "e0"));
    emit(g, "if (!e0) goto %s;", g->next_label);
    const char *cols = fmt(g, "src%d_cols", from->id);
    if (scan_late_cols(g, from)) emit(g, "vsrc_late(src, f);");
    int op = g->cur_op;
    g->cur_op = from->id; /* a bad value is the scan's record's */
    u8 *done = ar_alloc(g->a, (size_t)from->ncols + 1);
    cg_early_blooms(g, from, cols, done);
    for (int i = 0; i < from->ncols; i++)
        if (g->lazy_cols[i] && !done[i]) cg_decode(g, from, i, cols);
    for (int k = 0; g->lazy_filters && k < from->pushed.n; k++)
        if (g->lazy_filters[k]) {
            CVal cv = cg_expr(g, from->pushed.v[k], g->outv[from->id]);
            emit(g, "if (!(%s)) goto %s;", cg_truth(g, cv), g->next_label);
        }
    g->cur_op = op;
}

static void cg_join_probe(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    int k = p->join_kind;
    int lazy = g->lazy_scan == from;
    g->lazy_scan = NULL;
    emit(g, "/* [%d] HashJoin: probe */", id);
    emit(g, "{");
    g->depth++;
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->njk + 1));
    const char *anynull;
    cg_join_key_vals(g, p, p->build_left ? p->jk_right : p->jk_left, in, keys, &anynull);
    int bits = join_key_bits(p);
    if (bits) { /* an exact test of the key, before any hashing; a block, not a goto: a join
                   further up runs inside the match loops of those below */
        emit(g, "if (!j%d_bits || (!(%s) && %s)) {", id, anynull, key_bits_has(g, id, keys[0].v));
        g->depth++;
    }
    cg_join_hash(g, p, keys);
    if (p->bloom) {
        /* a key the filter has not seen finds no match: this row is done */
        emit(g, "if (!j%d_bloom || vh_bloom_may(j%d_bloom, j%d_bmask, h)) {", id, id, id);
        g->depth++;
    }
    if (lazy) {
        /* inner or semi: a row without a match goes no further */
        emit(g, "if (%s || !j%d_cap) goto %s;", anynull, id, g->next_label);
        cg_join_probe_lazy(g, p, from, keys);
    } else if (from->kind == P_SCAN) {
        cg_early_blooms(g, from, NULL, NULL); /* every column is decoded */
    }
    emit(g, "int matched = 0;");
    emit(g, "if (!%s && j%d_cap) {", anynull, id);
    g->depth++;
    if (lazy) emit(g, "for (struct j%d *e = e0; e; e = e->next) {", id);
    else emit(g, "for (struct j%d *e = j%d_slot[h & (u64)(j%d_cap - 1)]; e; e = e->next) {", id, id, id);
    g->depth++;
    emit(g, "if (!(%s)) continue;", join_key_eq(g, p, keys, "e"));
    cg_join_outputs(g, p, in, "e");
    if (p->residual) {
        CVal r = cg_expr(g, p->residual, g->outv[id]);
        emit(g, "if (!(%s)) continue;", cg_truth(g, r));
    }
    /* a correlated scalar subquery without an aggregate: a second row for
       the same outer row is the error SQL requires, not a second output */
    if (p->single_row && p->njk)
        emit(g, "if (matched) { velo_fatal(rt, \"more than one row returned by a subquery used as an expression\"); goto %s; }",
             g->next_label);
    emit(g, "matched = 1; e->m = 1;");
    if (k == 'S' || k == 'A') {
        emit(g, "break;");
    } else {
        int save = g->memo_in;
        g->memo_in = id;
        cg_consume(g, g->parent[id], p);
        g->memo_in = save;
    }
    cg_close(g);
    cg_close(g);
    if (k == 'S') {
        emit(g, "if (matched) {");
        g->depth++;
        cg_join_outputs(g, p, in, NULL);
        cg_consume(g, g->parent[id], p);
        cg_close(g);
    } else if (k == 'A') {
        if (p->anti_null_aware) emit(g, "if (!matched && !(j%d_rows && (j%d_nullkey || %s))) {", id, id, anynull);
        else emit(g, "if (!matched) {");
        g->depth++;
        cg_join_outputs(g, p, in, NULL);
        cg_consume(g, g->parent[id], p);
        cg_close(g);
    } else if (join_outer_probe(p)) {
        emit(g, "if (!matched) {");
        g->depth++;
        cg_join_outputs(g, p, in, NULL);
        cg_consume(g, g->parent[id], p);
        cg_close(g);
    }
    if (p->bloom) cg_close(g);
    if (bits) cg_close(g);
    cg_close(g);
}

static int plan_contains(const Plan *p, const Plan *q)
{
    if (p == q) return 1;
    if (p->child && plan_contains(p->child, q)) return 1;
    for (int i = 0; i < p->inputs.n; i++)
        if (plan_contains(p->inputs.v[i], q)) return 1;
    return 0;
}

static void cg_join_produce(Cg *g, Plan *p)
{
    int id = p->id;
    Plan *B = p->inputs.v[p->build_left ? 0 : 1], *P = pl_probe_input(p);
    cg_join_decls(g, p);
    emit(g, "/* [%d] HashJoin: build side first */", id);
    int rebuild = g->ckpt && plan_contains(P, g->ckpt_scan); /* read again on restart, see ckpt_join_probe */
    if (rebuild) emit(g, "int rp%d = velo_replaying(rt, ckon%d && velo_ckpt_exists(rt, VHASH%d, %d));", id, g->ckpt, g->ckpt, g->ckpt);
    cg_produce(g, B);
    if (rebuild) emit(g, "velo_replaying(rt, rp%d);", id);
    emit(g, "j%d_link();", id);
    cg_produce(g, P);
    if (join_outer_build(p)) {
        g->pipes++;
        const char *save_next = g->next_label;
        g->next_label = fmt(g, "jnext_%d", id);
        g->cur_op = id;
        emit(g, "/* [%d] HashJoin: unmatched build rows, pipeline %d */", id, g->pipes);
        emit(g, "for (struct j%d *e = j%d_all; e; e = e->all) {", id, id);
        g->depth++;
        emit(g, "if (e->m) continue;");
        emit(g, "va_reset(&rt->tmp);");
        /* the probe side is all NULL */
        CVal *nulls = ar_alloc(g->a, sizeof(CVal) * (size_t)(P->ncols + 1));
        for (int c = 0; c < P->ncols; c++) nulls[c] = (CVal){null_value(P->cols[c].type), "1", P->cols[c].type};
        cg_join_outputs(g, p, nulls, "e");
        int save = g->memo_in;
        g->memo_in = id;
        cg_consume(g, g->parent[id], p);
        g->memo_in = save;
        emit(g, "%s:;", g->next_label);
        cg_close(g);
        g->next_label = save_next;
    }
    if (p->bloom) emit(g, "free(j%d_bloom); j%d_bloom = 0;", id, id);
    if (join_key_bits(p)) emit(g, "free(j%d_bits); j%d_bits = 0;", id, id);
    if (!cg_memo_agg(g, p)) cg_join_free(g, p);
    else /* its rows hold groups: they go at the end (cg_cleanup), the slots now */
        emit(g, "free(j%d_slot); j%d_slot = 0; j%d_cap = 0;", id, id, id);
}

static void cg_join_free(Cg *g, Plan *p)
{
    int id = p->id;
    emit(g, "free(j%d_slot); va_free(&j%d_arena);", id, id);
    emit(g, "j%d_slot = 0; j%d_all = j%d_last = 0; j%d_cap = j%d_n = j%d_rows = 0; j%d_nullkey = 0;", id, id, id, id, id, id, id);
}

/* ---- interval join ------------------------------------------------------ */
/* Two unbounded inputs, read in turns by one loop: vsrc_poll lets an input
 * with nothing new give the other its turn. A row of either input probes
 * the rows the other input keeps (runtime/ijoin.c), emits every match the
 * residual (which holds the time bound) accepts, and is kept in turn with
 * its keys and the columns the query reads. Each input has a watermark;
 * when the left one advances, right rows whose time is below it - lateness
 * + lo can match no future left row and go, and symmetrically left rows
 * below the right watermark - lateness - hi. A row behind its own input's
 * watermark - lateness is late (its partners may be gone). */

typedef struct IjSide {
    Plan *in;   /* the join input */
    Plan *scan; /* the scan below it (binder: filters and projections only) */
    WinCfg wc;  /* its watermark settings */
    int off;    /* its first column in the join output */
} IjSide;

static IjSide ij_side(Plan *p, int i)
{
    IjSide s;
    s.in = p->inputs.v[i];
    s.scan = cg_scan_below(s.in);
    s.wc = cg_win_cfg(s.in);
    s.off = i ? ((Plan *)p->inputs.v[0])->ncols : 0;
    return s;
}

/* How far below input i's watermark the other input's rows are evicted:
 * left rows need the right watermark past ts + hi, right rows the left
 * watermark past ts - lo (both less the lateness rows may still have). */
static i64 ij_evict_shift(Plan *p, int i)
{
    IjSide s = ij_side(p, i);
    return i == 0 ? -s.wc.lateness + p->iv_lo : -s.wc.lateness - p->iv_hi;
}

/* Whether input i's rows are kept in the output when nothing matches them
 * (LEFT: the left, RIGHT: the right, FULL: both). */
static int ij_preserved(const Plan *p, int i)
{
    return p->join_kind == 'F' || p->join_kind == (i ? 'R' : 'L');
}

static void cg_ij_decls(Cg *g, Plan *p)
{
    int id = p->id;
    StrBuf *t = &g->top;
    for (int i = 0; i < 2; i++) {
        IjSide s = ij_side(p, i);
        sb_printf(t, "struct ij%d_%d {\n    i64 pad;\n", id, i);
        for (int k = 0; k < p->njk; k++) sb_printf(t, "    %s k%d;\n", ty_ctype(join_key_type(p, k)), k);
        cg_row_cols(t, s.in, p->out_needed + s.off);
        cg_row_nulls(t, s.in, p->out_needed + s.off);
        sb_puts(t, "};\n");
    }
    IjSide l = ij_side(p, 0), r = ij_side(p, 1);
    sb_printf(t, "static vij_side *ij%d_s[2];\nstatic velo_wm ij%d_w[2];\nstatic int ij%d_live[2];\n", id, id, id);
    /* an outer join emits a kept row of a preserved input when it goes:
     * no later than its time */
    const char *held = ij_preserved(p, 0) && ij_preserved(p, 1) ? "    if (vij_min_ts(ij%d_s[c]) < own) own = vij_min_ts(ij%d_s[c]);\n"
                       : ij_preserved(p, 0) ? "    if (c == 0 && vij_min_ts(ij%d_s[0]) < own) own = vij_min_ts(ij%d_s[0]);\n"
                       : ij_preserved(p, 1) ? "    if (c == 1 && vij_min_ts(ij%d_s[1]) < own) own = vij_min_ts(ij%d_s[1]);\n"
                                            : NULL;
    sb_printf(t, "static i64 ij%d_shift(i64 wm, i64 d)\n{\n    return wm == VELO_I64_MIN || wm == VELO_I64_MAX ? wm : wm + d;\n}\n", id);
    /* The earliest time a future output row can carry in the left (c = 0)
     * or right time column: a window over the join closes by it. */
    sb_printf(t,
              "static i64 ij%d_outwm(int c)\n{\n"
              "    i64 a = ij%d_shift(ij%d_w[0].wm, %lldLL), b = ij%d_shift(ij%d_w[1].wm, %lldLL);\n"
              "    i64 own = c == 0 ? a : b, other = c == 0 ? ij%d_shift(b, %lldLL) : ij%d_shift(a, %lldLL);\n"
              "%s"
              "    return own < other ? own : other;\n}\n",
              id, id, id, (long long)-l.wc.lateness, id, id, (long long)-r.wc.lateness, id, (long long)-p->iv_hi, id, (long long)p->iv_lo,
              held ? ar_printf(g->a, held, id, id) : "");
}

/* The window aggregate right above interval join p (through filters)
 * whose time is one of the join's time columns, or NULL. */
static Plan *cg_ij_window(Cg *g, Plan *p)
{
    Plan *q = g->parent[p->id];
    while (q && q->kind == P_FILTER) q = g->parent[q->id];
    return q && q->kind == P_AGG && q->win.kind != WIN_NONE && cg_win_ij(q) == p && cg_win_ij_time(q) >= 0 ? q : NULL;
}

/* Output columns for a row of input i (values in) and a kept row e of the
 * other input (NULL: padded with NULLs). */
static void cg_ij_outputs(Cg *g, Plan *p, int i, CVal *in, const char *e)
{
    Plan *L = p->inputs.v[0], *R = p->inputs.v[1], *other = p->inputs.v[1 - i];
    int nl = L->ncols, n = nl + R->ncols, off = i ? nl : 0, ooff = i ? 0 : nl, nin = ((Plan *)p->inputs.v[i])->ncols;
    CVal *o = g->outv[p->id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(n + 1));
    for (int c = 0; c < n; c++) {
        if (c >= off && c < off + nin) {
            o[c] = in[c - off];
            continue;
        }
        int oc = c - ooff;
        TypeSpec t = other->cols[oc].type;
        if (!e || !p->out_needed[c]) o[c] = (CVal){null_value(t), "1", t};
        else o[c] = (CVal){fmt(g, "%s->c%d", e, oc), fmt(g, "%s->c%dn", e, oc), t};
    }
    cg_materialize(g, o, n);
}

/* A row of preserved input i that matches nothing, padded with NULLs:
 * from its values (in), or from kept row e (in NULL). */
static void cg_ij_padded(Cg *g, Plan *p, int i, CVal *in, const char *e)
{
    if (in) {
        cg_ij_outputs(g, p, i, in, NULL);
        return;
    }
    Plan *side = p->inputs.v[i];
    int off = i ? ((Plan *)p->inputs.v[0])->ncols : 0;
    CVal *kept = ar_alloc(g->a, sizeof(CVal) * (size_t)(side->ncols + 1));
    for (int c = 0; c < side->ncols; c++) {
        TypeSpec t = side->cols[c].type;
        kept[c] = p->out_needed[off + c] ? (CVal){fmt(g, "%s->c%d", e, c), fmt(g, "%s->c%dn", e, c), t} : (CVal){null_value(t), "1", t};
    }
    cg_ij_outputs(g, p, i, kept, NULL);
}

/* Evict the rows of input j with time below bound; an unmatched one of a
 * preserved input is emitted padded first. reset: per-record scratch may
 * be reused between rows (not inside another record's processing). */
static void cg_ij_evict(Cg *g, Plan *p, int j, const char *bound, int reset)
{
    int id = p->id;
    emit(g, "for (vij_row *x; (x = vij_expired(ij%d_s[%d], %s)) != 0; vij_drop(ij%d_s[%d], x)) {", id, j, bound, id, j);
    g->depth++;
    if (ij_preserved(p, j)) {
        const char *save_next = g->next_label;
        g->next_label = fmt(g, "ije%d_%d", id, ++g->tmp);
        emit(g, "if (x->matched) continue;");
        if (reset) emit(g, "va_reset(&rt->tmp);");
        emit(g, "struct ij%d_%d *e = (struct ij%d_%d *)(x + 1);", id, j, id, j);
        cg_ij_padded(g, p, j, NULL, "e");
        cg_consume(g, g->parent[id], p);
        emit(g, "%s:;", g->next_label);
        g->next_label = save_next;
    }
    cg_close(g);
}

/* Probe: every kept row of input j with the same keys that the residual
 * accepts is a match. */
static void cg_ij_probe(Cg *g, Plan *p, int i, CVal *in, CVal *keys)
{
    int id = p->id, j = 1 - i;
    emit(g, "for (vij_row *r = vij_chain(ij%d_s[%d], h); r; r = r->hnext) {", id, j);
    g->depth++;
    emit(g, "if (r->h != h) continue;");
    emit(g, "struct ij%d_%d *e = (struct ij%d_%d *)(r + 1);", id, j, id, j);
    for (int k = 0; k < p->njk; k++) emit(g, "if (!(%s)) continue;", eq_cond(g, keys[k].t, fmt(g, "e->k%d", k), keys[k].v));
    cg_ij_outputs(g, p, i, in, "e");
    const char *save_next = g->next_label;
    g->next_label = fmt(g, "ijm%d_%d", id, i); /* a failed match must not lose the row */
    if (p->residual) emit(g, "if (!(%s)) continue;", cg_truth(g, cg_expr(g, p->residual, g->outv[id])));
    emit(g, "r->matched = 1; matched = 1;");
    cg_consume(g, g->parent[id], p);
    emit(g, "%s:;", g->next_label);
    g->next_label = save_next;
    cg_close(g);
}

/* Keep the row of input i for the other input's future rows (when
 * `keep`, see cg_ij_consume). */
static void cg_ij_keep(Cg *g, Plan *p, int i, CVal *in, CVal *keys, Plan *from)
{
    int id = p->id, off = i ? ((Plan *)p->inputs.v[0])->ncols : 0;
    StrBuf size;
    sb_init(&size);
    sb_printf(&size, "sizeof(struct ij%d_%d)", id, i);
    for (int k = 0; k < p->njk; k++)
        if (keys[k].t.tag == VT_STRING) sb_printf(&size, " + (vsize)(%s).n", keys[k].v);
    for (int c = 0; c < from->ncols; c++)
        if (p->out_needed[off + c] && from->cols[c].type.tag == VT_STRING)
            sb_printf(&size, " + (%s ? 0 : (vsize)(%s).n)", in[c].n, in[c].v);
    emit(g, "if (keep) {");
    g->depth++;
    emit(g, "vij_row *r = vij_add(ij%d_s[%d], h, 1, et, %s);", id, i, size.p);
    sb_free(&size);
    emit(g, "r->matched = (u8)matched;");
    emit(g, "struct ij%d_%d *e = (struct ij%d_%d *)(r + 1);", id, i, id, i);
    emit(g, "char *area = (char *)(e + 1);");
    emit(g, "(void)area;");
    for (int k = 0; k < p->njk; k++) {
        if (keys[k].t.tag == VT_STRING) emit(g, "e->k%d = vij_keep(&area, %s);", k, keys[k].v);
        else emit(g, "e->k%d = %s;", k, keys[k].v);
    }
    for (int c = 0; c < from->ncols; c++) {
        if (!p->out_needed[off + c]) continue;
        if (from->cols[c].type.tag == VT_STRING) emit(g, "if (!%s) e->c%d = vij_keep(&area, %s);", in[c].n, c, in[c].v);
        else emit(g, "e->c%d = %s;", c, cg_to(g, in[c], from->cols[c].type).v);
        emit(g, "e->c%dn = %s;", c, in[c].n);
    }
    cg_close(g);
}

/* A watermark of the join moved: a window over it may close windows. */
static void cg_ij_tick(Cg *g, Plan *p)
{
    Plan *w = cg_ij_window(g, p);
    if (w) cg_win_ij_sweep(g, w);
}

static void cg_ij_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id, i = from == p->inputs.v[0] ? 0 : 1, j = 1 - i;
    IjSide s = ij_side(p, i);
    CVal *in = g->outv[from->id];
    CVal tc = in[i ? p->iv_rcol : p->iv_lcol];
    emit(g, "/* [%d] IntervalJoin: a %s row probes the kept %s rows, is kept, advances the %s watermark */", id, i ? "right" : "left",
         i ? "left" : "right", i ? "right" : "left");
    cg_line(g, p->pos);
    emit(g, "{");
    g->depth++;
    if (strcmp(tc.n, "0")) {
        emit(g, "if (%s) { /* no time: it matches nothing */", tc.n);
        g->depth++;
        if (ij_preserved(p, i)) {
            cg_ij_padded(g, p, i, in, NULL);
            cg_consume(g, g->parent[id], p);
        }
        emit(g, "goto %s;", g->next_label);
        cg_close(g);
    }
    emit(g, "i64 et = %s;", tc.v);
    emit(g, "if (et < ij%d_shift(ij%d_w[%d].wm, %lldLL)) { %svelo_late_record(rt, %d, %d, et, ij%d_w[%d].wm); goto %s; }", id, id, i,
         (long long)-s.wc.lateness, g->analyze ? fmt(g, "velo_an_late[%d]++; ", id) : "", id, s.wc.late_dead_letter, id, i, g->next_label);
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->njk + 1));
    const char *anynull;
    cg_join_keys(g, p, i ? p->jk_right : p->jk_left, in, keys, &anynull);
    /* kept unless the other input ended or its watermark already passed
     * where the row would be evicted: no future row can match it */
    emit(g, "int matched = 0, keep = ij%d_live[%d] && et >= ij%d_shift(ij%d_w[%d].wm, %lldLL);", id, j, id, id, j,
         (long long)ij_evict_shift(p, j));
    emit(g, "if (!(%s)) { /* a NULL key never matches */", anynull);
    g->depth++;
    cg_ij_probe(g, p, i, in, keys);
    cg_ij_keep(g, p, i, in, keys, from);
    cg_close(g);
    if (ij_preserved(p, i)) {
        /* a NULL key, or not kept: unmatched now is unmatched for good */
        const char *save_next = g->next_label;
        g->next_label = fmt(g, "ijw%d_%d", id, i); /* a failed padded row still moves the watermark */
        emit(g, "if (%s || (!keep && !matched)) {", anynull);
        g->depth++;
        cg_ij_padded(g, p, i, in, NULL);
        cg_consume(g, g->parent[id], p);
        cg_close(g);
        emit(g, "%s:;", g->next_label);
        g->next_label = save_next;
    }
    int pc = -1;
    for (int c = 0; c < from->ncols; c++)
        if (from->cols[c].partition && in[c].v) pc = c;
    const char *part = pc < 0 ? "-1" : fmt(g, "%s ? -1 : (i64)%s", in[pc].n, in[pc].v);
    emit(g, "if (vwm_observe(&ij%d_w[%d], src, et, %s)) {", id, i, part);
    g->depth++;
    cg_ij_evict(g, p, j, fmt(g, "ij%d_shift(ij%d_w[%d].wm, %lldLL)", id, id, i, (long long)ij_evict_shift(p, i)), 0);
    cg_ij_tick(g, p);
    cg_close(g);
    cg_close(g);
}

/* Input i has had nothing to read: after its 'watermark.idle.timeout'
 * (processing time) it stops holding the other input's rows back, as an
 * idle Kafka partition stops holding back a window: its watermark moves
 * up to the other's, evicting what that allows (its own later rows
 * behind it are late). */
static void cg_ij_idle(Cg *g, Plan *p, int i, i64 timeout, const char *done)
{
    int id = p->id, j = 1 - i;
    emit(g, "i64 now = vt_now();");
    emit(g, "if (!quiet[%d]) quiet[%d] = now;", i, i);
    emit(g, "else if (now - quiet[%d] > %lldLL && ij%d_live[%d] && ij%d_w[%d].wm < ij%d_w[%d].wm && ij%d_w[%d].wm != VELO_I64_MAX) {", i,
         (long long)timeout, id, j, id, i, id, j, id, j);
    g->depth++;
    emit(g, "ij%d_w[%d].wm = ij%d_w[%d].wm;", id, i, id, j);
    emit(g, "velo_src *src = ij%d_src%d;", id, i);
    emit(g, "(void)src;");
    const char *save_next = g->next_label, *save_done = g->done_label;
    g->next_label = g->done_label = done;
    cg_ij_evict(g, p, j, fmt(g, "ij%d_shift(ij%d_w[%d].wm, %lldLL)", id, id, i, (long long)ij_evict_shift(p, i)), 1);
    cg_ij_tick(g, p);
    g->next_label = save_next;
    g->done_label = save_done;
    cg_close(g);
}

/* Input i ended (a bounded Kafka source): its watermark is +infinity, so
 * the other input's rows go (padded if preserved). */
static void cg_ij_input_end(Cg *g, Plan *p, int i, const char *done)
{
    int id = p->id, j = 1 - i;
    emit(g, "if (rc == 0) {");
    g->depth++;
    emit(g, "if (velo_stopped(rt)) goto %s;", done);
    emit(g, "ij%d_live[%d] = 0; vwm_end(&ij%d_w[%d]);", id, i, id, i);
    emit(g, "velo_src *src = ij%d_src%d;", id, j);
    emit(g, "(void)src;");
    g->next_label = g->done_label = done;
    cg_ij_evict(g, p, j, "VELO_I64_MAX", 1);
    cg_ij_tick(g, p);
    emit(g, "break;");
    cg_close(g);
}

/* Input i's turn: up to 256 records, fewer when it runs dry. */
static void cg_ij_turn(Cg *g, Plan *p, IjSide *s, int i, const char *done)
{
    int id = p->id;
    emit(g, "for (int k = 0; ij%d_live[%d] && k < 256; k++) {", id, i);
    g->depth++;
    emit(g, "int rc = vsrc_poll(ij%d_src%d, ij%d_f%d, wait);", id, i, id, i);
    emit(g, "if (rc < 0) {");
    g->depth++;
    emit(g, "idle++;");
    cg_ij_idle(g, p, i, s->wc.idle, done);
    emit(g, "break;");
    cg_close(g);
    emit(g, "quiet[%d] = 0;", i);
    cg_ij_input_end(g, p, i, done);
    emit(g, "idle = 0;");
    emit(g, "{");
    g->depth++;
    emit(g, "velo_src *src = ij%d_src%d;", id, i);
    emit(g, "vfield *f = ij%d_f%d;", id, i);
    g->next_label = fmt(g, "next_%d", s->scan->id);
    g->done_label = done;
    cg_scan_row(g, s->scan);
    cg_close(g);
    emit(g, "%s:;", g->next_label);
    cg_close(g);
}

/* Opens both inputs' sources and the join's state. */
static void cg_ij_open(Cg *g, Plan *p, IjSide *s)
{
    int id = p->id;
    for (int i = 0; i < 2; i++) cg_scan_open(g, s[i].scan, fmt(g, "ij%d_src%d", id, i));
    emit(g, "if (!ij%d_src0 || !ij%d_src1) { vsrc_close(ij%d_src0); vsrc_close(ij%d_src1); status = 1; goto end; }", id, id, id, id);
    emit(g, "vfield ij%d_f0[%d], ij%d_f1[%d];", id, s[0].scan->ncols + 1, id, s[1].scan->ncols + 1);
    for (int i = 0; i < 2; i++) {
        emit(g, "ij%d_s[%d] = vij_open(rt, %d, %d);", id, i, id, i);
        emit(g, "vwm_init(&ij%d_w[%d], %lldLL, %lldLL);", id, i, (long long)s[i].wc.ooo, (long long)s[i].wc.idle);
    }
    emit(g, "ij%d_live[0] = ij%d_live[1] = 1;", id, id);
}

/* The loop over both inputs, taking turns; when neither has anything,
 * each waits up to 50 ms for data. */
static void cg_ij_produce(Cg *g, Plan *p)
{
    int id = p->id;
    cg_ij_decls(g, p);
    IjSide s[2] = {ij_side(p, 0), ij_side(p, 1)};
    for (int i = 0; i < 2; i++) cg_scan_tables(g, s[i].scan);
    const char *save_next = g->next_label, *save_done = g->done_label, *done = fmt(g, "ijdone_%d", id);
    g->pipes += 2;
    emit(g, "/* [%d] IntervalJoin: reads its two inputs in turns */", id);
    cg_line(g, p->pos);
    emit(g, "{");
    g->depth++;
    cg_ij_open(g, p, s);
    emit(g, "int idle = 0;");
    emit(g, "i64 quiet[2] = {0, 0}; /* since when an input has had nothing to read */");
    emit(g, "while (ij%d_live[0] || ij%d_live[1]) {", id, id);
    g->depth++;
    emit(g, "int wait = idle >= 2 ? 50 : 0;");
    for (int i = 0; i < 2; i++) cg_ij_turn(g, p, &s[i], i, done);
    cg_close(g);
    emit(g, "%s:", done);
    for (int i = 0; i < 2; i++) emit(g, "vsrc_close(ij%d_src%d);", id, i);
    for (int i = 0; i < 2; i++) emit(g, "vij_close(ij%d_s[%d]);", id, i);
    cg_close(g);
    emit(g, "if (velo_stopped(rt)) goto end;");
    g->next_label = save_next;
    g->done_label = save_done;
}

/* ---- analytic functions (OVER) ---------------------------------------- */
/* Rows are buffered with their partition keys, ORDER BY keys and call
 * arguments, sorted by (partition, order, arrival) and then walked one
 * partition at a time. Frames that start at the partition start grow
 * incrementally; bounded ROWS/BUFFER/RANGE frames are recomputed per row
 * from the buffered arguments. */

static Expr *an_order(Plan *p, int i)
{
    return ((OrderItem *)p->word.v[i])->expr;
}

static int an_has_arg(Expr *w)
{
    return w->args.n && ((Expr *)w->args.v[0])->kind != E_STAR;
}

static void an_key_cmp(StrBuf *t, char x, int i, TypeSpec ty, int desc, int nulls_first)
{
    sb_printf(t, "    if (a->%c%dn != b->%c%dn) return a->%c%dn ? %d : %d;\n", x, i, x, i, x, i, nulls_first ? -1 : 1,
              nulls_first ? 1 : -1);
    if (ty.tag == VT_STRING)
        sb_printf(t, "    if (!a->%c%dn && (r = vs_cmp(a->%c%d, b->%c%d)) != 0) return %sr;\n", x, i, x, i, x, i, desc ? "-" : "");
    else
        sb_printf(t, "    if (!a->%c%dn && (r = (a->%c%d > b->%c%d) - (a->%c%d < b->%c%d)) != 0) return %sr;\n", x, i, x, i, x, i, x, i, x,
                  i, desc ? "-" : "");
}

static void an_decls(Cg *g, Plan *p)
{
    int id = p->id;
    Plan *c = p->child;
    StrBuf *t = &g->top;
    sb_printf(t, "struct w%d {\n", id);
    for (int i = 0; i < c->ncols; i++)
        if (p->out_needed[i]) sb_printf(t, "    %s c%d; u8 c%dn;\n", ty_ctype(c->cols[i].type), i, i);
    for (int i = 0; i < p->wpart.n; i++) sb_printf(t, "    %s p%d; u8 p%dn;\n", ty_ctype(((Expr *)p->wpart.v[i])->type), i, i);
    for (int i = 0; i < p->word.n; i++) sb_printf(t, "    %s o%d; u8 o%dn;\n", ty_ctype(an_order(p, i)->type), i, i);
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        if (an_has_arg(w)) sb_printf(t, "    %s a%d; u8 a%dn;\n", ty_ctype(((Expr *)w->args.v[0])->type), k, k);
        if (w->args.n > 2) sb_printf(t, "    %s d%d; u8 d%dn;\n", ty_ctype(w->type), k, k);
    }
    sb_printf(t, "    i64 seq;\n};\nstatic struct w%d *w%d_rows;\nstatic i64 w%d_n, w%d_cap;\n", id, id, id, id);
    cg_state_arena(g, fmt(g, "w%d_arena", id), id);
    /* sort order: partition keys, ORDER BY keys, arrival */
    sb_printf(t, "static int w%d_cmp(const void *pa, const void *pb)\n{\n    const struct w%d *a = pa, *b = pb;\n    int r;\n", id, id);
    for (int i = 0; i < p->wpart.n; i++) an_key_cmp(t, 'p', i, ((Expr *)p->wpart.v[i])->type, 0, 0);
    for (int i = 0; i < p->word.n; i++) {
        OrderItem *oi = p->word.v[i];
        an_key_cmp(t, 'o', i, oi->expr->type, oi->desc, oi->nulls_first < 0 ? oi->desc : oi->nulls_first);
    }
    sb_puts(t, "    return (a->seq > b->seq) - (a->seq < b->seq);\n}\n");
    /* equal partition (order = 0) or equal partition and ORDER BY keys (peers) */
    sb_printf(t, "static int w%d_same(const struct w%d *a, const struct w%d *b, int order)\n{\n", id, id, id);
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? p->word.n : p->wpart.n;
        char x = pass ? 'o' : 'p';
        if (pass) sb_puts(t, "    if (!order) return 1;\n");
        for (int i = 0; i < n; i++) {
            TypeSpec ty = pass ? an_order(p, i)->type : ((Expr *)p->wpart.v[i])->type;
            sb_printf(t, "    if (a->%c%dn != b->%c%dn) return 0;\n", x, i, x, i);
            if (ty.tag == VT_STRING) sb_printf(t, "    if (!a->%c%dn && !vs_eq(a->%c%d, b->%c%d)) return 0;\n", x, i, x, i, x, i);
            else sb_printf(t, "    if (!a->%c%dn && a->%c%d != b->%c%d) return 0;\n", x, i, x, i, x, i);
        }
    }
    sb_puts(t, "    return 1;\n}\n");
}

static void an_store(Cg *g, int id, const char *field, CVal v)
{
    if (v.t.tag == VT_STRING) emit(g, "r->%s = %s ? %s : va_strdup(&w%d_arena, %s);", field, v.n, v.v, id, v.v);
    else emit(g, "r->%s = %s;", field, v.v);
    emit(g, "r->%sn = %s;", field, v.n);
}

static void an_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    emit(g, "/* [%d] Analytic: buffer */", id);
    emit(g, "{");
    g->depth++;
    emit(g,
         "if (w%d_n == w%d_cap) { w%d_cap = w%d_cap ? w%d_cap * 2 : 1024; w%d_rows = realloc(w%d_rows, (vsize)w%d_cap * sizeof *w%d_rows); "
         "}",
         id, id, id, id, id, id, id, id, id);
    emit(g, "struct w%d *r = &w%d_rows[w%d_n];", id, id, id);
    for (int i = 0; i < from->ncols; i++)
        if (p->out_needed[i]) an_store(g, id, fmt(g, "c%d", i), cg_to(g, in[i], from->cols[i].type));
    for (int i = 0; i < p->wpart.n; i++) an_store(g, id, fmt(g, "p%d", i), cg_expr(g, p->wpart.v[i], in));
    for (int i = 0; i < p->word.n; i++) an_store(g, id, fmt(g, "o%d", i), cg_expr(g, an_order(p, i), in));
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        if (an_has_arg(w)) an_store(g, id, fmt(g, "a%d", k), cg_expr(g, w->args.v[0], in));
        if (w->args.n > 2) an_store(g, id, fmt(g, "d%d", k), cg_to(g, cg_expr(g, w->args.v[2], in), w->type));
    }
    emit(g, "r->seq = w%d_n++;", id);
    cg_close(g);
}

/* Aggregate state for one call: reset, add row j, and the result. */
static void an_acc_reset(Cg *g, int k)
{
    emit(g, "s%d_cnt = 0; s%d_has = 0; s%d_i = 0; s%d_d = 0; s%d_m = 0; s%d_q = 0;", k, k, k, k, k, k);
}

static void an_acc_add(Cg *g, Plan *p, int k, const char *row)
{
    Expr *w = p->wcalls.v[k];
    const FuncDef *f = w->fn;
    int id = f->id;
    if (w->ival == A_COUNT_STAR) {
        emit(g, "s%d_cnt++;", k);
        return;
    }
    TypeSpec at = ((Expr *)w->args.v[0])->type;
    const char *v = fmt(g, "%s->a%d", row, k), *n = fmt(g, "%s->a%dn", row, k);
    switch (id) {
    case A_COUNT: emit(g, "if (!%s) s%d_cnt++;", n, k); break;
    case A_SUM:
    case A_AVG:
        if (at.tag == VT_DOUBLE || (id == A_AVG && at.tag != VT_DECIMAL))
            emit(g, "if (!%s) { s%d_d += (double)%s; s%d_cnt++; s%d_has = 1; }", n, k, v, k, k);
        else emit(g, "if (!%s) { s%d_i = vi_add(rt, s%d_i, %s); s%d_cnt++; s%d_has = 1; }", n, k, k, v, k, k);
        break;
    case A_MIN:
    case A_MAX: {
        CVal x = {v, "0", at}, cur = {fmt(g, "s%d_best", k), "0", at};
        emit(g, "if (!%s && (!s%d_has || %s)) { s%d_best = %s; s%d_has = 1; }", n, k, cg_cmp_cond(g, id == A_MIN ? OP_LT : OP_GT, x, cur),
             k, v, k);
        break;
    }
    case A_FIRST_VALUE: emit(g, "if (!s%d_cnt++) { s%d_best = %s; s%d_has = !%s; }", k, k, v, k, n); break;
    case A_LAST_VALUE: emit(g, "s%d_best = %s; s%d_has = !%s; s%d_cnt++;", k, v, k, n, k); break;
    default: { /* variance family: Welford */
        CVal x = cg_to(g, (CVal){v, n, at}, ty_make(VT_DOUBLE));
        emit(g, "if (!%s) { double dl = %s - s%d_m; s%d_cnt++; s%d_m += dl / (double)s%d_cnt; s%d_q += dl * (%s - s%d_m); }", n, x.v, k, k,
             k, k, k, x.v, k);
        break;
    }
    }
}

static CVal an_acc_result(Cg *g, Plan *p, int k)
{
    Expr *w = p->wcalls.v[k];
    int id = ((const FuncDef *)w->fn)->id;
    TypeSpec t = w->type;
    if (w->ival == A_COUNT_STAR || id == A_COUNT) return (CVal){fmt(g, "s%d_cnt", k), "0", t};
    TypeSpec at = ((Expr *)w->args.v[0])->type;
    switch (id) {
    case A_SUM:
        if (t.tag == VT_DOUBLE) return (CVal){fmt(g, "s%d_d", k), fmt(g, "(u8)!s%d_has", k), t};
        return (CVal){fmt(g, "s%d_i", k), fmt(g, "(u8)!s%d_has", k), t};
    case A_AVG: {
        CVal r = cg_result(g, t, fmt(g, "(u8)!s%d_cnt", k));
        if (t.tag == VT_DECIMAL) {
            emit(g, "if (!%s) %s = vd_div(rt, s%d_i, %d, s%d_cnt, 0, %d);", r.n, r.v, k, at.scale, k, t.scale);
            cg_bad(g);
        } else {
            emit(g, "if (!%s) %s = s%d_d / (double)s%d_cnt;", r.n, r.v, k, k);
        }
        return r;
    }
    case A_MIN:
    case A_MAX:
    case A_FIRST_VALUE:
    case A_LAST_VALUE: return (CVal){fmt(g, "s%d_best", k), fmt(g, "(u8)!s%d_has", k), t};
    default: {
        int samp = id == A_STDDEV_SAMP || id == A_VAR_SAMP;
        CVal r = cg_result(g, t, fmt(g, "(u8)(s%d_cnt < %d)", k, samp ? 2 : 1));
        const char *var = fmt(g, "s%d_q / (double)(s%d_cnt - %d)", k, k, samp);
        if (id == A_STDDEV_SAMP || id == A_STDDEV_POP) var = fmt(g, "vf_sqrt(rt, %s)", var);
        emit(g, "if (!%s) %s = %s;", r.n, r.v, var);
        return r;
    }
    }
}

/* Frame start for row i of a call (the end is i + 1, or the end of i's
 * peers for RANGE frames and frames without a clause). */
static int an_growing(Plan *p, Expr *w)
{
    (void)p;
    return w->frame == FRAME_NONE || w->frame_n < 0;
}

static const char *an_frame_end(Plan *p, Expr *w)
{
    if (w->frame == FRAME_ROWS || w->frame == FRAME_BUFFER) return "i + 1";
    return p->word.n ? "peer_end" : "pe";
}

static void an_frame_start(Cg *g, Plan *p, Expr *w, int k)
{
    int id = p->id;
    long long n = (long long)w->frame_n;
    if (w->frame == FRAME_ROWS) emit(g, "i64 lo%d = i - %lld < ps ? ps : i - %lld;", k, n, n);
    else if (w->frame == FRAME_BUFFER) emit(g, "i64 lo%d = i - %lld + 1 < ps ? ps : i - %lld + 1;", k, n, n);
    else {
        /* RANGE n: rows whose first ORDER BY key is within n of this row's */
        OrderItem *oi = p->word.v[0];
        TypeSpec ot = oi->expr->type;
        long long span = ot.tag == VT_DECIMAL ? n * (long long)vd_pow10[ot.scale] : n;
        if (ot.tag == VT_DOUBLE) span = n;
        emit(g, "i64 lo%d = ps;", k);
        emit(g, "if (!r->o0n) while (lo%d < i && (w%d_rows[lo%d].o0n || w%d_rows[lo%d].o0 %s r->o0 %s %lldLL)) lo%d++;", k, id, k, id, k,
             oi->desc ? ">" : "<", oi->desc ? "+" : "-", span, k);
    }
}

static void an_produce(Cg *g, Plan *p)
{
    int id = p->id;
    an_decls(g, p);
    cg_produce(g, p->child);
    g->pipes++;
    const char *save_next = g->next_label, *save_done = g->done_label;
    g->next_label = fmt(g, "wnext_%d", id);
    g->done_label = fmt(g, "wdone_%d", id);
    g->cur_op = id;
    Plan *c = p->child;
    int nc = c->ncols;
    emit(g, "/* [%d] Analytic: sort, then compute per partition, pipeline %d */", id, g->pipes);
    emit(g, "{");
    cg_timer_start(g, id);
    emit(g, "qsort(w%d_rows, (vsize)w%d_n, sizeof *w%d_rows, w%d_cmp);", id, id, id, id);
    emit(g, "for (i64 ps = 0, pe; ps < w%d_n; ps = pe) {", id);
    g->depth++;
    emit(g, "pe = ps + 1;");
    emit(g, "while (pe < w%d_n && w%d_same(&w%d_rows[ps], &w%d_rows[pe], 0)) pe++;", id, id, id, id);
    emit(g, "i64 peer_end = ps, rank = 0, dense = 0;");
    emit(g, "(void)rank; (void)dense;");
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        if (((const FuncDef *)w->fn)->kind != FN_AGG) continue;
        TypeSpec bt = an_has_arg(w) ? ((Expr *)w->args.v[0])->type : ty_make(VT_BIGINT);
        emit(g, "i64 s%d_cnt, s%d_i, s%d_hi = ps; int s%d_has; double s%d_d, s%d_m, s%d_q; %s s%d_best;", k, k, k, k, k, k, k, ty_ctype(bt),
             k);
        emit(g, "memset(&s%d_best, 0, sizeof s%d_best);", k, k);
        an_acc_reset(g, k);
    }
    emit(g, "for (i64 i = ps; i < pe; i++) {");
    g->depth++;
    emit(g, "struct w%d *r = &w%d_rows[i];", id, id);
    emit(g, "va_reset(&rt->tmp);");
    emit(g, "if (i == peer_end) {");
    emit(g, "    peer_end = i + 1;");
    emit(g, "    while (peer_end < pe && w%d_same(r, &w%d_rows[peer_end], 1)) peer_end++;", id, id);
    emit(g, "    rank = i - ps + 1; dense++;");
    emit(g, "}");
    CVal *o = g->outv[id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    for (int i = 0; i < nc; i++)
        o[i] = p->out_needed[i] ? (CVal){fmt(g, "r->c%d", i), fmt(g, "r->c%dn", i), c->cols[i].type}
                                : (CVal){null_value(c->cols[i].type), "1", c->cols[i].type};
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        const FuncDef *f = w->fn;
        TypeSpec t = w->type;
        CVal r;
        switch (f->id) {
        case W_ROW_NUMBER: r = (CVal){"(i - ps + 1)", "0", t}; break;
        case W_RANK: r = (CVal){"rank", "0", t}; break;
        case W_DENSE_RANK: r = (CVal){"dense", "0", t}; break;
        case W_PERCENT_RANK: r = (CVal){"(pe - ps > 1 ? (double)(rank - 1) / (double)(pe - ps - 1) : 0.0)", "0", t}; break;
        case W_CUME_DIST: r = (CVal){"((double)(peer_end - ps) / (double)(pe - ps))", "0", t}; break;
        case W_NTILE: {
            long long nb = (long long)((Expr *)w->args.v[0])->ival;
            r = cg_result(g, t, "0");
            emit(g, "{ i64 n = pe - ps, q = n / %lldLL, m = n %% %lldLL, x = i - ps, big = m * (q + 1);", nb, nb);
            emit(g, "  %s = q == 0 ? x + 1 : x < big ? x / (q + 1) + 1 : m + (x - big) / q + 1; }", r.v);
            break;
        }
        case W_LAG:
        case W_LEAD: {
            long long off = w->args.n > 1 ? (long long)((Expr *)w->args.v[1])->ival : 1;
            r = cg_result(g, t, "1");
            emit(g, "{ i64 j = i %s %lldLL;", f->id == W_LAG ? "-" : "+", off);
            emit(g, "  if (j >= ps && j < pe) { %s = w%d_rows[j].a%d; %s = w%d_rows[j].a%dn; }", r.v, id, k, r.n, id, k);
            if (w->args.n > 2) emit(g, "  else { %s = r->d%d; %s = r->d%dn; } }", r.v, k, r.n, k);
            else emit(g, "}");
            break;
        }
        default: {
            /* an aggregate over its frame */
            const char *hi = an_frame_end(p, w);
            if (an_growing(p, w)) {
                emit(g, "while (s%d_hi < %s) { struct w%d *q = &w%d_rows[s%d_hi++];", k, hi, id, id, k);
                g->depth++;
                an_acc_add(g, p, k, "q");
                g->depth--;
                emit(g, "}");
            } else {
                an_frame_start(g, p, w, k);
                an_acc_reset(g, k);
                emit(g, "for (i64 j = lo%d; j < %s; j++) { struct w%d *q = &w%d_rows[j];", k, hi, id, id);
                g->depth++;
                an_acc_add(g, p, k, "q");
                g->depth--;
                emit(g, "}");
            }
            cg_bad(g);
            r = an_acc_result(g, p, k);
            break;
        }
        }
        o[nc + k] = r;
    }
    cg_materialize(g, o, p->ncols);
    cg_consume(g, g->parent[id], p);
    emit(g, "%s:;", g->next_label);
    cg_close(g);
    cg_close(g);
    emit(g, "%s:;", g->done_label);
    cg_timer_stop(g, id);
    emit(g, "}");
    emit(g, "free(w%d_rows); w%d_rows = 0; w%d_n = w%d_cap = 0; va_free(&w%d_arena);", id, id, id, id, id);
    g->next_label = save_next;
    g->done_label = save_done;
}

/* ---- analytic functions on unbounded input (arrival order) ------------ */
/* One state struct per partition: a row counter, for each call a ring of
 * the last values its frame or LAG needs, and running totals for frames
 * that reach back to the partition's first row. Rows are emitted as they
 * arrive. */

static int ans_ring(Expr *w)
{
    const FuncDef *f = w->fn;
    if (f->id == W_LAG) return (int)(w->args.n > 1 ? ((Expr *)w->args.v[1])->ival : 1) + 1;
    if (w->frame == FRAME_ROWS && w->frame_n >= 0) return (int)w->frame_n + 1;
    if (w->frame == FRAME_BUFFER) return (int)w->frame_n;
    return 0; /* running or no value needed */
}

static TypeSpec ans_argtype(Expr *w)
{
    return an_has_arg(w) ? ((Expr *)w->args.v[0])->type : ty_make(VT_BIGINT);
}

static void ans_decls(Cg *g, Plan *p)
{
    int id = p->id;
    StrBuf *t = &g->top;
    sb_printf(t, "struct wp%d {\n    u64 h;\n    i64 cnt;\n", id);
    for (int i = 0; i < p->wpart.n; i++) sb_printf(t, "    %s p%d; u8 p%dn;\n", ty_ctype(((Expr *)p->wpart.v[i])->type), i, i);
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        const char *ct = ty_ctype(ans_argtype(w));
        if (ans_ring(w)) sb_printf(t, "    %s r%d[%d]; u8 rn%d[%d];\n", ct, k, ans_ring(w), k, ans_ring(w));
        sb_printf(t, "    i64 rc%d, ri%d; double rd%d, rq%d; %s rb%d; u8 rh%d;\n", k, k, k, k, ct, k, k);
        const FuncDef *f = w->fn;
        if (f->id == W_RANK || f->id == W_DENSE_RANK) /* the previous row's ORDER BY values */
            for (int j = 0; j < p->word.n; j++)
                sb_printf(t, "    %s lo%d_%d; u8 lon%d_%d;\n", ty_ctype(((OrderItem *)p->word.v[j])->expr->type), k, j, k, j);
    }
    sb_printf(t, "};\nstatic struct wp%d **wp%d_slot, **wp%d_list;\nstatic i64 wp%d_cap, wp%d_n;\n", id, id, id, id, id);
    cg_state_arena(g, fmt(g, "wp%d_arena", id), id);
    sb_printf(t,
              "static void wp%d_grow(void)\n{\n"
              "    i64 cap = wp%d_cap ? wp%d_cap * 2 : 256;\n"
              "    struct wp%d **s = calloc((vsize)cap, sizeof *s);\n"
              "    for (i64 i = 0; i < wp%d_n; i++) {\n"
              "        i64 j = (i64)(wp%d_list[i]->h & (u64)(cap - 1));\n"
              "        while (s[j]) j = (j + 1) & (cap - 1);\n"
              "        s[j] = wp%d_list[i];\n    }\n"
              "    free(wp%d_slot); wp%d_slot = s; wp%d_cap = cap;\n"
              "    wp%d_list = realloc(wp%d_list, (vsize)cap * sizeof *wp%d_list);\n}\n",
              id, id, id, id, id, id, id, id, id, id, id, id, id);
}

/* String values kept in a ring or as a running MIN/MAX live in the
 * partition arena; a ring slot is overwritten, so its old copy is only
 * reclaimed with the arena (documented limit: strings in long-running
 * string frames grow state). */
static const char *ans_keep(Cg *g, int id, CVal v)
{
    return v.t.tag == VT_STRING ? fmt(g, "(%s ? %s : va_strdup(&wp%d_arena, %s))", v.n, v.v, id, v.v) : v.v;
}

/* RANK / DENSE_RANK on arrival: a row is a peer of the one before it in
 * its partition when their ORDER BY values are equal (NULLs equal), so the
 * result equals the batch one whenever rows arrive in ORDER BY order; a
 * row arriving out of that order starts a new peer group.  rb<k> holds the
 * rank, ri<k> the dense rank. */
static void ans_rank(Cg *g, Plan *p, int k, CVal *in)
{
    StrBuf same;
    sb_init(&same);
    sb_puts(&same, "w->cnt > 1");
    CVal *ov = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->word.n + 1));
    for (int j = 0; j < p->word.n; j++) {
        ov[j] = cg_expr(g, ((OrderItem *)p->word.v[j])->expr, in);
        sb_printf(&same, " && w->lon%d_%d == %s && (%s || %s)", k, j, ov[j].n, ov[j].n,
                  eq_cond(g, ov[j].t, fmt(g, "w->lo%d_%d", k, j), ov[j].v));
    }
    emit(g, "if (!(%s)) { w->rb%d = w->cnt; w->ri%d++; }", same.p, k, k);
    sb_free(&same);
    for (int j = 0; j < p->word.n; j++) {
        if (ov[j].t.tag == VT_STRING) /* replace the kept copy; the old one stays in the arena until the job ends */
            emit(g, "if (!%s && !vs_eq(w->lo%d_%d, %s)) w->lo%d_%d = va_strdup(&wp%d_arena, %s);", ov[j].n, k, j, ov[j].v, k, j, p->id,
                 ov[j].v);
        else emit(g, "w->lo%d_%d = %s;", k, j, ov[j].v);
        emit(g, "w->lon%d_%d = %s;", k, j, ov[j].n);
    }
}

/* A frame value as a double (VARIANCE/STDDEV over a stream frame). */
static const char *ans_double(Cg *g, TypeSpec t, const char *v)
{
    return t.tag == VT_DECIMAL ? fmt(g, "vd_to_f64(%s, %d)", v, t.scale) : fmt(g, "(double)%s", v);
}

static void ans_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    g->cur_op = id;
    emit(g, "/* [%d] Analytic on arrival */", id);
    emit(g, "{");
    g->depth++;
    CVal *keys = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->wpart.n + 1));
    for (int i = 0; i < p->wpart.n; i++) keys[i] = cg_expr(g, p->wpart.v[i], in);
    emit(g, "u64 h = 0x9e3779b97f4a7c15ULL;");
    for (int i = 0; i < p->wpart.n; i++) emit(g, "h = %s ? vh_mix(h + 1) : %s;", keys[i].n, hash_call(g, keys[i], "h"));
    emit(g, "if (wp%d_n * 2 >= wp%d_cap) wp%d_grow();", id, id, id);
    emit(g, "i64 j = (i64)(h & (u64)(wp%d_cap - 1));", id);
    StrBuf eq;
    sb_init(&eq);
    sb_puts(&eq, "w->h == h");
    for (int i = 0; i < p->wpart.n; i++)
        sb_printf(&eq, " && w->p%dn == %s && (%s || %s)", i, keys[i].n, keys[i].n, eq_cond(g, keys[i].t, fmt(g, "w->p%d", i), keys[i].v));
    emit(g, "struct wp%d *w;", id);
    emit(g, "while ((w = wp%d_slot[j]) != 0 && !(%s)) j = (j + 1) & (wp%d_cap - 1);", id, eq.p, id);
    sb_free(&eq);
    emit(g, "if (!w) {");
    g->depth++;
    emit(g, "w = va_alloc(&wp%d_arena, sizeof *w); memset(w, 0, sizeof *w); w->h = h;", id);
    for (int i = 0; i < p->wpart.n; i++) {
        if (keys[i].t.tag == VT_STRING) emit(g, "if (!%s) w->p%d = va_strdup(&wp%d_arena, %s);", keys[i].n, i, id, keys[i].v);
        else emit(g, "w->p%d = %s;", i, keys[i].v);
        emit(g, "w->p%dn = %s;", i, keys[i].n);
    }
    emit(g, "wp%d_slot[j] = w; wp%d_list[wp%d_n++] = w;", id, id, id);
    cg_close(g);
    emit(g, "w->cnt++;");
    int nc = from->ncols;
    CVal *o = g->outv[id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    for (int i = 0; i < nc; i++) o[i] = in[i].v ? in[i] : (CVal){null_value(from->cols[i].type), "1", from->cols[i].type};
    for (int k = 0; k < p->wcalls.n; k++) {
        Expr *w = p->wcalls.v[k];
        const FuncDef *f = w->fn;
        TypeSpec t = w->type, at = ans_argtype(w);
        int ring = ans_ring(w);
        CVal a = an_has_arg(w) ? cg_to(g, cg_expr(g, w->args.v[0], in), at) : (CVal){"0", "0", at};
        CVal r;
        if (f->id == W_ROW_NUMBER) {
            r = (CVal){"w->cnt", "0", t};
        } else if (f->id == W_RANK || f->id == W_DENSE_RANK) {
            ans_rank(g, p, k, in);
            r = (CVal){fmt(g, f->id == W_RANK ? "w->rb%d" : "w->ri%d", k), "0", t};
        } else if (f->id == W_LAG) {
            long long off = w->args.n > 1 ? (long long)((Expr *)w->args.v[1])->ival : 1;
            r = cg_result(g, t, "1");
            emit(g, "if (w->cnt > %lldLL) { i64 q = (w->cnt - 1 - %lldLL) %% %d; %s = w->r%d[q]; %s = w->rn%d[q]; }", off, off, ring, r.v,
                 k, r.n, k);
            if (w->args.n > 2) {
                CVal d = cg_to(g, cg_expr(g, w->args.v[2], in), t);
                emit(g, "else { %s = %s; %s = %s; }", r.v, d.v, r.n, d.n);
            }
            emit(g, "{ i64 q = (w->cnt - 1) %% %d; w->r%d[q] = %s; w->rn%d[q] = %s; }", ring, k, ans_keep(g, id, a), k, a.n);
        } else {
            int id_ = f->id, star = w->ival == A_COUNT_STAR;
            int var = id_ == A_STDDEV_SAMP || id_ == A_STDDEV_POP || id_ == A_VAR_SAMP || id_ == A_VAR_POP;
            int is_double = at.tag == VT_DOUBLE || (id_ == A_AVG && at.tag != VT_DECIMAL) || var;
            if (ring) {
                emit(g, "{ i64 q = (w->cnt - 1) %% %d; w->r%d[q] = %s; w->rn%d[q] = %s; }", ring, k, ans_keep(g, id, a), k,
                     star ? "0" : a.n);
                emit(g, "w->rc%d = 0; w->ri%d = 0; w->rd%d = 0; w->rq%d = 0; w->rh%d = 0;", k, k, k, k, k);
                emit(g, "for (i64 x = w->cnt > %d ? w->cnt - %d : 0; x < w->cnt; x++) {", ring, ring);
                g->depth++;
                emit(g, "i64 q = x %% %d;", ring);
                const char *v = fmt(g, "w->r%d[q]", k), *n = star ? "0" : fmt(g, "w->rn%d[q]", k);
                if (star || id_ == A_COUNT) emit(g, "if (!%s) w->rc%d++;", n, k);
                else if (id_ == A_MIN || id_ == A_MAX) {
                    CVal x = {v, "0", at}, cur = {fmt(g, "w->rb%d", k), "0", at};
                    emit(g, "if (!%s && (!w->rh%d || %s)) { w->rb%d = %s; w->rh%d = 1; }", n, k,
                         cg_cmp_cond(g, id_ == A_MIN ? OP_LT : OP_GT, x, cur), k, v, k);
                } else if (is_double)
                    emit(g, "if (!%s) { double x_ = %s; w->rd%d += x_; w->rq%d += x_ * x_; w->rc%d++; }", n, ans_double(g, at, v), k, k, k);
                else emit(g, "if (!%s) { w->ri%d = vi_add(rt, w->ri%d, %s); w->rc%d++; }", n, k, k, v, k);
                cg_close(g);
            } else {
                /* all previous rows: running totals */
                if (star || id_ == A_COUNT) emit(g, "if (!%s) w->rc%d++;", star ? "0" : a.n, k);
                else if (id_ == A_MIN || id_ == A_MAX) {
                    CVal cur = {fmt(g, "w->rb%d", k), "0", at};
                    emit(g, "if (!%s && (!w->rh%d || %s)) { w->rb%d = %s; w->rh%d = 1; }", a.n, k,
                         cg_cmp_cond(g, id_ == A_MIN ? OP_LT : OP_GT, a, cur), k, ans_keep(g, id, a), k);
                } else if (is_double)
                    emit(g, "if (!%s) { double x_ = %s; w->rd%d += x_; w->rq%d += x_ * x_; w->rc%d++; }", a.n, ans_double(g, at, a.v), k, k,
                         k);
                else emit(g, "if (!%s) { w->ri%d = vi_add(rt, w->ri%d, %s); w->rc%d++; }", a.n, k, k, a.v, k);
            }
            cg_bad(g);
            if (star || id_ == A_COUNT) r = (CVal){fmt(g, "w->rc%d", k), "0", t};
            else if (id_ == A_MIN || id_ == A_MAX) r = (CVal){fmt(g, "w->rb%d", k), fmt(g, "(u8)!w->rh%d", k), t};
            else if (id_ == A_SUM) r = (CVal){is_double ? fmt(g, "w->rd%d", k) : fmt(g, "w->ri%d", k), fmt(g, "(u8)!w->rc%d", k), t};
            else if (var) {
                /* from the sum and the sum of squares of the frame's values;
                   the sample forms need two values, negative rounding is 0 */
                int samp = id_ == A_STDDEV_SAMP || id_ == A_VAR_SAMP, sd = id_ == A_STDDEV_SAMP || id_ == A_STDDEV_POP;
                r = cg_result(g, t, fmt(g, "(u8)(w->rc%d < %d)", k, samp ? 2 : 1));
                emit(g, "if (!%s) { double m_ = (w->rq%d - w->rd%d * w->rd%d / (double)w->rc%d) / (double)(w->rc%d - %d); %s = %s; }", r.n,
                     k, k, k, k, k, samp, r.v, sd ? "m_ > 0 ? vf_sqrt(rt, m_) : 0.0" : "m_ > 0 ? m_ : 0.0");
            } else {
                r = cg_result(g, t, fmt(g, "(u8)!w->rc%d", k));
                if (t.tag == VT_DECIMAL) {
                    emit(g, "if (!%s) %s = vd_div(rt, w->ri%d, %d, w->rc%d, 0, %d);", r.n, r.v, k, at.scale, k, t.scale);
                    cg_bad(g);
                } else {
                    emit(g, "if (!%s) %s = w->rd%d / (double)w->rc%d;", r.n, r.v, k, k);
                }
            }
        }
        o[nc + k] = r;
    }
    cg_materialize(g, o, p->ncols);
    cg_consume(g, g->parent[id], p);
    cg_close(g);
}

static void ans_cleanup(Cg *g, Plan *p)
{
    int id = p->id;
    emit(g, "free(wp%d_slot); free(wp%d_list); va_free(&wp%d_arena); wp%d_slot = wp%d_list = 0; wp%d_cap = wp%d_n = 0;", id, id, id, id, id,
         id, id);
}

/* ---- sort -------------------------------------------------------------- */

static void cg_sort_decls(Cg *g, Plan *p)
{
    int id = p->id;
    StrBuf *t = &g->top;
    sb_printf(t, "struct s%d {\n", id);
    cg_row_cols(t, p, NULL);
    sb_puts(t, "    i64 seq;\n");
    cg_row_nulls(t, p, NULL);
    sb_printf(t, "};\nstatic struct s%d *s%d_rows;\nstatic i64 s%d_n, s%d_cap;\n", id, id, id, id);
    cg_state_arena(g, fmt(g, "s%d_arena", id), id);
    /* comparator: NULLS LAST ascending and FIRST descending unless told;
     * ties keep arrival order so both backends agree byte for byte */
    sb_printf(t, "static int s%d_cmp(const void *pa, const void *pb)\n{\n", id);
    sb_printf(t, "    const struct s%d *a = pa, *b = pb;\n    int r;\n", id);
    for (int k = 0; k < p->nsort; k++) {
        int c = p->sort_keys[k]->col_index;
        TypeSpec ty = p->cols[c].type;
        int desc = p->sort_desc[k], nf = p->sort_nulls_first[k];
        sb_printf(t, "    if (a->c%dn != b->c%dn) return a->c%dn ? %d : %d;\n", c, c, c, nf ? -1 : 1, nf ? 1 : -1);
        sb_printf(t, "    if (!a->c%dn) {\n", c);
        if (ty.tag == VT_STRING) sb_printf(t, "        r = vs_cmp(a->c%d, b->c%d);\n", c, c);
        else sb_printf(t, "        r = (a->c%d > b->c%d) - (a->c%d < b->c%d);\n", c, c, c, c);
        sb_printf(t, "        if (r) return %sr;\n    }\n", desc ? "-" : "");
    }
    sb_puts(t, "    return (a->seq > b->seq) - (a->seq < b->seq);\n}\n");
}

static void cg_sort_consume(Cg *g, Plan *p, Plan *from)
{
    int id = p->id;
    CVal *in = g->outv[from->id];
    emit(g, "/* [%d] Sort: buffer */", id);
    emit(g, "{");
    g->depth++;
    CVal *v = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    for (int c = 0; c < p->ncols; c++) v[c] = cg_to(g, in[c], p->cols[c].type);
    emit(g,
         "if (s%d_n == s%d_cap) { s%d_cap = s%d_cap ? s%d_cap * 2 : 1024; s%d_rows = realloc(s%d_rows, (vsize)s%d_cap * sizeof *s%d_rows); "
         "}",
         id, id, id, id, id, id, id, id, id);
    emit(g, "struct s%d *r = &s%d_rows[s%d_n];", id, id, id);
    for (int c = 0; c < p->ncols; c++) {
        if (p->cols[c].type.tag == VT_STRING) emit(g, "r->c%d = %s ? %s : va_strdup(&s%d_arena, %s);", c, v[c].n, v[c].v, id, v[c].v);
        else emit(g, "r->c%d = %s;", c, v[c].v);
        emit(g, "r->c%dn = %s;", c, v[c].n);
    }
    emit(g, "r->seq = s%d_n++;", id);
    cg_close(g);
}

static void cg_sort_produce(Cg *g, Plan *p)
{
    int id = p->id;
    cg_sort_decls(g, p);
    cg_produce(g, p->child);
    g->pipes++;
    const char *save_next = g->next_label, *save_done = g->done_label;
    g->next_label = fmt(g, "snext_%d", id);
    g->done_label = fmt(g, "sdone_%d", id);
    g->cur_op = id;
    emit(g, "/* [%d] Sort: emit, pipeline %d */", id, g->pipes);
    emit(g, "{");
    cg_timer_start(g, id);
    emit(g, "qsort(s%d_rows, (vsize)s%d_n, sizeof *s%d_rows, s%d_cmp);", id, id, id, id);
    emit(g, "for (i64 si = 0; si < s%d_n; si++) {", id);
    g->depth++;
    if (p->limit >= 0) emit(g, "if (si >= %lldLL) break;", (long long)p->limit);
    emit(g, "struct s%d *r = &s%d_rows[si];", id, id);
    emit(g, "va_reset(&rt->tmp);");
    CVal *o = g->outv[id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
    for (int c = 0; c < p->ncols; c++) o[c] = (CVal){fmt(g, "r->c%d", c), fmt(g, "r->c%dn", c), p->cols[c].type};
    cg_materialize(g, o, p->ncols);
    cg_consume(g, g->parent[id], p);
    emit(g, "%s:;", g->next_label);
    cg_close(g);
    emit(g, "%s:;", g->done_label);
    cg_timer_stop(g, id);
    emit(g, "}");
    emit(g, "free(s%d_rows); s%d_rows = 0; s%d_n = s%d_cap = 0; va_free(&s%d_arena);", id, id, id, id, id);
    g->next_label = save_next;
    g->done_label = save_done;
}

/* ---- constant rows ----------------------------------------------------- */

static void cg_values(Cg *g, Plan *p)
{
    g->pipes++;
    const char *save_next = g->next_label;
    emit(g, "/* [%d] Values: %d rows, pipeline %d */", p->id, p->rows.n, g->pipes);
    for (int r = 0; r < p->rows.n; r++) {
        Expr **row = p->rows.v[r];
        g->next_label = fmt(g, "vnext_%d_%d", p->id, r);
        emit(g, "{");
        g->depth++;
        CVal *o = g->outv[p->id] = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
        for (int c = 0; c < p->ncols; c++) o[c] = cg_literal(g, row[c]);
        cg_consume(g, g->parent[p->id], p);
        emit(g, "%s:;", g->next_label);
        cg_close(g);
    }
    g->next_label = save_next;
}

/* ---- produce / consume dispatch --------------------------------------- */

static void cg_produce(Cg *g, Plan *p)
{
    switch (p->kind) {
    case P_SCAN: cg_scan(g, p); break;
    case P_AGG:
        if (p->win.kind != WIN_NONE) cg_win_produce(g, p);
        else cg_agg_produce(g, p);
        break;
    case P_SORT: cg_sort_produce(g, p); break;
    case P_UNION:
        for (int i = 0; i < p->inputs.n; i++) cg_produce(g, p->inputs.v[i]);
        break;
    case P_JOIN:
        if (p->interval) cg_ij_produce(g, p);
        else cg_join_produce(g, p);
        break;
    case P_VALUES: cg_values(g, p); break;
    case P_ANALYTIC:
        if (p->stream_eval) {
            ans_decls(g, p);
            cg_produce(g, p->child);
        } else an_produce(g, p);
        break;
    case P_LIMIT:
        sb_printf(&g->top, "static i64 lim%d;\n", p->id);
        emit(g, "lim%d = 0;", p->id);
        cg_produce(g, p->child);
        break;
    default: cg_produce(g, p->child); break;
    }
}

static void cg_consume(Cg *g, Plan *p, Plan *from)
{
    int save_op = g->cur_op;
    g->cur_op = p->id;
    CVal *in = g->outv[from->id];
    if (g->analyze) {
        emit(g, "velo_an_rows[%d]++; " CG_AN_OP " = %d;", from->id, p->id);
        if (p->kind == P_SINK) emit(g, "velo_an_rows[%d]++;", p->id);
    }
    switch (p->kind) {
    case P_FILTER: {
        emit(g, "/* [%d] Filter */", p->id);
        cg_line(g, p->pos);
        CVal c = cg_expr(g, p->pred, in);
        emit(g, "if (%s) {", cg_truth(g, c));
        g->depth++;
        g->outv[p->id] = in;
        cg_consume(g, g->parent[p->id], p);
        cg_close(g);
        break;
    }
    case P_PROJECT: {
        emit(g, "/* [%d] Project */", p->id);
        emit(g, "{");
        g->depth++;
        CVal *vals = ar_alloc(g->a, sizeof(CVal) * (size_t)(p->ncols + 1));
        for (int i = 0; i < p->ncols; i++)
            vals[i] = !p->out_needed || p->out_needed[i] ? cg_expr(g, p->exprs[i], in)
                                                         : (CVal){null_value(p->cols[i].type), "1", p->cols[i].type};
        cg_bind_outputs(g, p, vals);
        cg_consume(g, g->parent[p->id], p);
        cg_close(g);
        break;
    }
    case P_LIMIT:
        emit(g, "/* [%d] Limit %lld */", p->id, (long long)p->limit);
        emit(g, "if (lim%d >= %lldLL) goto %s;", p->id, (long long)p->limit, g->done_label);
        emit(g, "lim%d++;", p->id);
        g->outv[p->id] = in;
        cg_consume(g, g->parent[p->id], p);
        break;
    case P_UNION:
        emit(g, "/* [%d] UnionAll */", p->id);
        emit(g, "{");
        g->depth++;
        cg_bind_outputs(g, p, in);
        cg_consume(g, g->parent[p->id], p);
        cg_close(g);
        break;
    case P_AGG:
        if (p->win.kind != WIN_NONE) cg_win_consume(g, p, from);
        else cg_agg_consume(g, p, from);
        break;
    case P_SORT: cg_sort_consume(g, p, from); break;
    case P_JOIN:
        if (p->interval) cg_ij_consume(g, p, from);
        else if (from == p->inputs.v[p->build_left ? 0 : 1]) cg_join_build(g, p, from);
        else cg_join_probe(g, p, from);
        break;
    case P_SINK:
        emit(g, "/* [%d] Sink */", p->id);
        cg_sink_row(g, p, in);
        break;
    case P_ANALYTIC:
        if (p->stream_eval) ans_consume(g, p, from);
        else an_consume(g, p, from);
        break;
    case P_SCAN:
    case P_VALUES: break;
    }
    if (g->analyze) emit(g, CG_AN_OP " = %d;", from->id);
    g->cur_op = save_op;
}

/* ---- checkpoints -------------------------------------------------------- */
/* A statement reading one file source through filters, projections,
 * aggregates (windowed or not), ORDER BY, LIMIT and hash joins with a
 * bounded build side (ckpt_join_probe) into a file sink can checkpoint
 * (runtime/checkpoint.c): its state is the aggregates' groups, the sorts'
 * buffered rows, the limit counters, the matched flags of outer joins'
 * build rows and the sink's bytes. */

/* A hash join whose build side reads only bounded files is rebuilt on
 * restart by reading the build side again: only its probe side is
 * checkpointed, and, when unmatched build rows are emitted at the end
 * (RIGHT/FULL toward the build side), which build rows have matched. */
static const Plan *ckpt_join_probe(const Plan *p)
{
    const Plan *B = p->inputs.v[p->build_left ? 0 : 1];
    if (p->interval || pl_reads_unbounded(B) || pl_checkpointed_source(B) || pl_reads_kafka(B)) return NULL;
    return pl_probe_input(p);
}

static int cg_ckpt_walk(const Plan *p, int *scans, const Plan **scan)
{
    switch (p->kind) {
    case P_SCAN:
        (*scans)++;
        *scan = p;
        return p->rel->kind == REL_FILE_SOURCE || p->rel->kind == REL_KAFKA_SOURCE;
    case P_FILTER:
    case P_PROJECT:
    case P_AGG:
    case P_LIMIT:
    case P_SORT:
    case P_SINK: return cg_ckpt_walk(p->child, scans, scan);
    case P_JOIN: {
        const Plan *probe = ckpt_join_probe(p);
        return probe && cg_ckpt_walk(probe, scans, scan);
    }
    default: return 0;
    }
}

/* The scan whose position a checkpoint of this statement records, or NULL
 * when its state cannot be checkpointed. */
static const Plan *cg_ckpt_source(const Plan *sink)
{
    int scans = 0;
    const Plan *scan = NULL;
    if (!sink->sink || !cg_ckpt_walk(sink, &scans, &scan) || scans != 1) return NULL;
    /* a file sink restarts from its checkpointed bytes; a Kafka sink is
     * flushed before each checkpoint of a Kafka source (and commits its
     * transaction after it), which the checkpoint of a file source does not
     * do */
    RelKind k = sink->sink->kind;
    if (k == REL_FILE_SINK || (k == REL_KAFKA_SINK && scan->rel->kind == REL_KAFKA_SOURCE)) return scan;
    return NULL;
}

int cg_can_checkpoint(const Plan *sink)
{
    return cg_ckpt_source(sink) != NULL;
}

/* Save (load = 0) or load the pointer-holding fields of group gv. */
static void cg_ckpt_group_ptrs(Cg *g, Plan *p, const char *gv, const char *arena)
{
    for (int k = 0; k < p->nkeys; k++)
        if (p->cols[k].type.tag == VT_STRING)
            emit(g, "if (load) %s->k%d = velo_ckpt_getstr(c, %s); else velo_ckpt_str(c, %s->k%d);", gv, k, arena, gv, k);
    for (int i = 0; i < p->naggs; i++) {
        AggCall *ac = &p->aggs[i];
        if (strcmp(acc_ctype(ac), "vstr") == 0)
            emit(g, "if (load) %s->a%d = velo_ckpt_getstr(c, %s); else velo_ckpt_str(c, %s->a%d);", gv, i, arena, gv, i);
        if (is_buffered(ac->id)) emit(g, "velo_ckpt_darr(c, &%s->d%d, load);", gv, i);
        if (ac->id == A_STRING_AGG) emit(g, "velo_ckpt_sbuf(c, &%s->s%d, load);", gv, i);
        if (ac->id == A_COUNT_DISTINCT) emit(g, "velo_ckpt_%s(c, &%s->u%d, load);", cd_inline(ac) ? "iset" : "set", gv, i);
        if (ac->id == A_APPROX_COUNT_DISTINCT) emit(g, "velo_ckpt_hll(c, &%s->u%d, load);", gv, i);
    }
}

/* Per-partition watermarks (Kafka): each partition's highest event time and
 * whether it has been heard from. Idle time is processing time, so a
 * restart counts every partition seen before as just seen, and the ones
 * not heard from yet as assigned now. */
static void cg_ckpt_part_wm(Cg *g, int id)
{
    emit(g, "if (!load) {");
    g->depth++;
    emit(g, "velo_ckpt_put(c, g%d_pmax, sizeof g%d_pmax);", id, id);
    emit(g, "for (int q = 0; q < (int)(sizeof g%d_pseen / sizeof *g%d_pseen); q++) { u8 s = g%d_pseen[q] != 0; velo_ckpt_put(c, &s, 1); }",
         id, id, id);
    g->depth--;
    emit(g, "} else {");
    g->depth++;
    emit(g, "velo_ckpt_get(c, g%d_pmax, sizeof g%d_pmax);", id, id);
    emit(g, "g%d_now = g%d_t0 = vt_now();", id, id);
    emit(g,
         "for (int q = 0; q < (int)(sizeof g%d_pseen / sizeof *g%d_pseen); q++) { u8 s = 0; velo_ckpt_get(c, &s, 1); g%d_pseen[q] = s ? "
         "g%d_now : 0; }",
         id, id, id, id);
    cg_close(g);
}

/* The matched flags of an outer-toward-build join's rows, in build order:
 * the build side is read again before the checkpoint loads (the
 * checkpointed scan is its probe side), so the rows are there, in the same
 * order, to take their flags back. */
static void cg_ckpt_join_matched(Cg *g, Plan *p)
{
    int id = p->id;
    emit(g, "{");
    g->depth++;
    emit(g, "i64 n = j%d_rows, i = 0;", id);
    emit(g, "if (load) velo_ckpt_get(c, &n, sizeof n); else velo_ckpt_put(c, &n, sizeof n);");
    emit(g, "if (n != j%d_rows) { velo_fatal(rt, \"checkpoint: the build side of join [%d] has changed since the checkpoint\"); return; }",
         id, id);
    emit(g, "u8 *m = malloc((vsize)n + 1);");
    emit(g, "if (!m) { velo_fatal(rt, \"out of memory\"); return; }");
    emit(g, "if (load) { velo_ckpt_get(c, m, (vsize)n); for (struct j%d *e = j%d_all; e; e = e->all) e->m = m[i++]; }", id, id);
    emit(g, "else { for (struct j%d *e = j%d_all; e; e = e->all) m[i++] = e->m; velo_ckpt_put(c, m, (vsize)n); }", id, id);
    emit(g, "free(m);");
    cg_close(g);
}

/* The rows an ORDER BY has buffered so far, in arrival order (their seq
 * goes on from s<id>_n after a restart, so ties still keep that order).
 * The whole buffer is written at every checkpoint: the cost grows with the
 * rows held, as an aggregate's does with its groups. */
static void cg_ckpt_sort(Cg *g, Plan *p)
{
    int id = p->id;
    emit(g, "{");
    g->depth++;
    emit(g, "i64 n = s%d_n;", id);
    emit(g, "if (load) velo_ckpt_get(c, &n, sizeof n); else velo_ckpt_put(c, &n, sizeof n);");
    emit(g, "if (load && n > s%d_cap) { s%d_cap = n; s%d_rows = realloc(s%d_rows, (vsize)n * sizeof *s%d_rows); }", id, id, id, id, id);
    emit(g, "if (load && n && !s%d_rows) { velo_fatal(rt, \"out of memory\"); return; }", id);
    emit(g, "for (i64 i = 0; i < n; i++) {");
    g->depth++;
    emit(g, "struct s%d *r = &s%d_rows[i];", id, id);
    emit(g, "if (load) velo_ckpt_get(c, r, sizeof *r); else velo_ckpt_put(c, r, sizeof *r);");
    for (int c = 0; c < p->ncols; c++)
        if (p->cols[c].type.tag == VT_STRING)
            emit(g, "if (load) r->c%d = velo_ckpt_getstr(c, &s%d_arena); else velo_ckpt_str(c, r->c%d);", c, id, c);
    cg_close(g);
    emit(g, "if (load) s%d_n = n;", id);
    cg_close(g);
}

static void cg_ckpt_ops(Cg *g, Plan *p)
{
    if (p->child) cg_ckpt_ops(g, p->child);
    if (p->kind == P_JOIN) cg_ckpt_ops(g, (Plan *)ckpt_join_probe(p)); /* the build side is rebuilt */
    if (p->kind == P_JOIN && join_outer_build(p)) cg_ckpt_join_matched(g, p);
    if (p->kind == P_SORT) cg_ckpt_sort(g, p);
    int id = p->id;
    if (p->kind == P_LIMIT)
        emit(g, "if (load) velo_ckpt_get(c, &lim%d, sizeof lim%d); else velo_ckpt_put(c, &lim%d, sizeof lim%d);", id, id, id, id);
    if (p->kind != P_AGG) return;
    if (p->win.kind == WIN_NONE) {
        emit(g, "if (!load) {");
        g->depth++;
        emit(g, "velo_ckpt_put(c, &g%d_n, sizeof g%d_n);", id, id);
        emit(g, "for (i64 i = 0; i < g%d_n; i++) {", id);
        g->depth++;
        emit(g, "struct g%d *g = g%d_list[i];", id, id);
        emit(g, "velo_ckpt_put(c, g, sizeof *g);");
        cg_ckpt_group_ptrs(g, p, "g", fmt(g, "&g%d_arena", id));
        cg_close(g);
        g->depth--;
        emit(g, "} else {");
        g->depth++;
        emit(g, "i64 n = 0;");
        emit(g, "velo_ckpt_get(c, &n, sizeof n);");
        emit(g, "for (i64 i = 0; i < n; i++) {");
        g->depth++;
        emit(g, "if (g%d_n * 2 >= g%d_cap) g%d_grow();", id, id, id);
        emit(g, "struct g%d *g = va_alloc(&g%d_arena, sizeof *g);", id, id);
        emit(g, "velo_ckpt_get(c, g, sizeof *g);");
        cg_ckpt_group_ptrs(g, p, "g", fmt(g, "&g%d_arena", id));
        emit(g, "i64 j = (i64)(g->h & (u64)(g%d_cap - 1));", id);
        emit(g, "while (g%d_slot[j]) j = (j + 1) & (g%d_cap - 1);", id, id);
        emit(g, "g%d_slot[j] = g;", id);
        emit(g, "g%d_list[g%d_n++] = g;", id, id);
        cg_close(g);
        cg_close(g);
        return;
    }
    emit(g, "if (load) { velo_ckpt_get(c, &g%d_max, 8); velo_ckpt_get(c, &g%d_wm, 8); velo_ckpt_get(c, &g%d_minend, 8); }", id, id, id);
    emit(g, "else { velo_ckpt_put(c, &g%d_max, 8); velo_ckpt_put(c, &g%d_wm, 8); velo_ckpt_put(c, &g%d_minend, 8); }", id, id, id);
    if (cg_win_panes(p)) emit(g, "if (load) velo_ckpt_get(c, &g%d_done, 8); else velo_ckpt_put(c, &g%d_done, 8);", id, id);
    if (g->part_wm[id]) cg_ckpt_part_wm(g, id);
    emit(g, "if (!load) {");
    g->depth++;
    emit(g, "velo_ckpt_put(c, &g%d_n, sizeof g%d_n);", id, id);
    emit(g, "for (struct g%d *g = g%d_head; g; g = g->lnext) {", id, id);
    g->depth++;
    emit(g, "velo_ckpt_put(c, g, sizeof *g);");
    cg_ckpt_group_ptrs(g, p, "g", "&g->strs");
    cg_close(g);
    g->depth--;
    emit(g, "} else {");
    g->depth++;
    emit(g, "i64 n = 0;");
    emit(g, "velo_ckpt_get(c, &n, sizeof n);");
    emit(g, "if (!g%d_cap) g%d_grow();", id, id);
    emit(g, "for (i64 i = 0; i < n; i++) {");
    g->depth++;
    emit(g, "struct g%d saved;", id);
    emit(g, "velo_ckpt_get(c, &saved, sizeof saved);");
    emit(g, "struct g%d *g = g%d_new(saved.h, saved.b);", id, id);
    emit(g, "struct g%d *hn = g->hnext, *lp = g->lprev, *ln = g->lnext;", id);
    emit(g, "i64 seq = g->seq;");
    emit(g, "memcpy(g, &saved, sizeof saved);");
    emit(g, "g->hnext = hn; g->lprev = lp; g->lnext = ln; g->seq = seq;");
    emit(g, "memset(&g->strs, 0, sizeof g->strs); g->strs.owner = %d;", id + 1);
    cg_ckpt_group_ptrs(g, p, "g", "&g->strs");
    cg_close(g);
    cg_close(g);
}

/* ckpt<n>(rt, c, load): every operator's state, then the sink's bytes. */
static void cg_ckpt_fn(Cg *g, Plan *sink, int n)
{
    StrBuf save = g->body;
    int depth = g->depth;
    sb_init(&g->body);
    g->depth = 1;
    cg_ckpt_ops(g, sink);
    emit(g, "if (load) velo_ckpt_resume_sink(c, out%d); else velo_ckpt_sink(c, out%d);", sink->id, sink->id);
    cg_func_end(g, fmt(g, "static void ckpt%d(velo_rt *rt, velo_ckpt *c, int load)\n{\n    (void)rt;\n", n), "", save, depth);
}

static u64 cg_fnv(const char *s, size_t n)
{
    u64 h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* ---- statements -------------------------------------------------------- */

static void cg_parents(Cg *g, Plan *p)
{
    if (p->child) {
        g->parent[p->child->id] = p;
        cg_parents(g, p->child);
    }
    for (int i = 0; i < p->inputs.n; i++) {
        Plan *c = p->inputs.v[i];
        g->parent[c->id] = p;
        cg_parents(g, c);
    }
}

static void cg_cleanup(Cg *g, Plan *p)
{
    if (p->kind == P_AGG && p->win.kind == WIN_NONE) cg_agg_cleanup(g, p);
    if (p->kind == P_AGG && p->win.kind != WIN_NONE) /* stopped (SIGINT/SIGTERM) with windows still open */
        emit(g, "while (g%d_head) { struct g%d *x = g%d_head; g%d_unlink(x); g%d_free(x); } free(g%d_slot); g%d_slot = 0; g%d_cap = 0;",
             p->id, p->id, p->id, p->id, p->id, p->id, p->id, p->id);
    if (p->kind == P_ANALYTIC && p->stream_eval) ans_cleanup(g, p);
    if (p->kind == P_JOIN && cg_memo_agg(g, p)) cg_join_free(g, p); /* after its groups' aggregate */
    if (p->child) cg_cleanup(g, p->child);
    for (int i = 0; i < p->inputs.n; i++) cg_cleanup(g, p->inputs.v[i]);
}

static void cg_statement(Cg *g, Plan *sink, int n)
{
    int id = sink->id;
    const char *names = fmt(g, "out%d_names", id), *types = fmt(g, "out%d_types", id), *scales = fmt(g, "out%d_scales", id);
    sb_printf(&g->top, "static const char *const %s[] = {", names);
    for (int i = 0; i < sink->ncols; i++) {
        cg_c_string(&g->top, sink->cols[i].name, strlen(sink->cols[i].name));
        sb_puts(&g->top, ", ");
    }
    sb_printf(&g->top, "0};\nstatic const u8 %s[] = {", types);
    for (int i = 0; i < sink->ncols; i++) sb_printf(&g->top, "%d, ", sink->cols[i].type.tag);
    sb_printf(&g->top, "0};\nstatic const u8 %s[] = {", scales);
    for (int i = 0; i < sink->ncols; i++) sb_printf(&g->top, "%d, ", scale_of(sink->cols[i].type));
    sb_puts(&g->top, "0};\n");
    const char *props = "0", *name = "0";
    if (sink->sink) {
        props = fmt(g, "out%d_props", id);
        cg_rel_props(g, props, sink->sink);
        name = cg_lit_cstr(g, sink->sink->name);
    }
    emit(g, "static int stmt%d(velo_rt *rt)", n);
    emit(g, "{");
    g->depth++;
    emit(g, "int status = 0;");
    sb_printf(&g->top, "static velo_out *out%d;\n", id);
    const Plan *scan0 = cg_ckpt_source(sink);
    if (scan0) {
        /* the source's props are emitted by its scan; declare them first */
        sb_printf(&g->top, "static int ckon%d;\n", n);
        emit(g, "ckon%d = velo_ckpt_setup(rt, %s, src%d_props);", n, cg_lit_cstr(g, scan0->rel->name), scan0->id);
        emit(g, "if (ckon%d < 0) return 2;", n);
        emit(g, "if (ckon%d && velo_ckpt_is_done(rt, VHASH%d, %d)) { /* finished before a restart */", n, n, n);
        emit(g, "    velo_ckpt_tidy(rt, VHASH%d, %d, %s, %s);", n, n, name, props);
        emit(g, "    return 0;");
        emit(g, "}");
    }
    emit(g, "out%d = vout_open(rt, %d, %s, %s, %d, %s, %s, %s);", id, id, name, props, sink->ncols, names, types, scales);
    emit(g, "if (!out%d) return 1;", id);
    g->done_label = "end";
    g->next_label = "end";
    size_t body_start = g->body.n;
    g->ckpt = scan0 ? n : 0;
    g->ckpt_sink = id;
    g->ckpt_scan = scan0;
    cg_produce(g, sink);
    emit(g, "end:");
    cg_cleanup(g, sink);
    emit(g, "if (vout_close(out%d) != 0) status = 1;", id);
    if (g->ckpt) emit(g, "if (status == 0 && ckon%d && !velo_stopped(rt)) velo_ckpt_done(rt, VHASH%d, %d);", n, n, n);
    emit(g, "return status;");
    g->depth--;
    emit(g, "}");
    emit(g, "%s", "");
    if (g->ckpt) {
        /* the statement's own code identifies its checkpoints */
        u64 h = cg_fnv(g->body.p + body_start, g->body.n - body_start);
        sb_printf(&g->top, "#define VHASH%d 0x%016llxULL\n", n, (unsigned long long)h);
        cg_ckpt_fn(g, sink, n);
        sb_printf(&g->top, "static void ckpt%d(velo_rt *rt, velo_ckpt *c, int load);\n", n);
    }
    g->ckpt = 0;
}

/* The end of a job with checkpointed statements: their done markers go, so
 * that the next run starts over. A job-level marker (kept beside the first
 * checkpointed statement's) is written before and removed after them: a
 * run killed in between is finished by its restart, which must not run the
 * statements whose markers had already gone (their dead letters would be
 * written twice). Each statement's own 'checkpoint.dir' is set before its
 * marker goes. Emits ckpt_job_finished/ckpt_job_end; returns the first
 * checkpointed statement (1-based), 0 when there is none. */
static int cg_job_end(Cg *g, Job *job, StrBuf *out)
{
    int first = 0;
    StrBuf forget;
    sb_init(&forget);
    for (int i = 0; i < job->plans.n; i++) {
        const Plan *scan = cg_can_checkpoint(job->plans.v[i]) ? cg_ckpt_source(job->plans.v[i]) : NULL;
        if (!scan) continue;
        if (!first) first = i + 1;
        sb_printf(&forget, "    if (velo_ckpt_setup(rt, %s, src%d_props) > 0) velo_ckpt_forget(rt, VHASH%d, %d);\n",
                  cg_lit_cstr(g, scan->rel->name), scan->id, i + 1, i + 1);
    }
    if (first) {
        const Plan *scan = cg_ckpt_source(job->plans.v[first - 1]);
        const char *setup = fmt(g, "velo_ckpt_setup(rt, %s, src%d_props) > 0", cg_lit_cstr(g, scan->rel->name), scan->id);
        sb_printf(out, "static void ckpt_job_forget(velo_rt *rt)\n{\n%s}\n", forget.p);
        sb_printf(out, "static void ckpt_job_end(velo_rt *rt)\n{\n");
        sb_printf(out, "    if (%s) velo_ckpt_job_mark(rt, VHASH%d, 1);\n", setup, first);
        sb_printf(out, "    ckpt_job_forget(rt);\n");
        sb_printf(out, "    if (%s) velo_ckpt_job_mark(rt, VHASH%d, 2);\n}\n", setup, first);
        sb_printf(out, "static int ckpt_job_finished(velo_rt *rt)\n{\n");
        sb_printf(out, "    if (!(%s) || !velo_ckpt_job_mark(rt, VHASH%d, 0)) return 0;\n", setup, first);
        sb_printf(out, "    ckpt_job_end(rt);\n    return 1;\n}\n");
    }
    sb_free(&forget);
    return first;
}

int cg_generate(Arena *a, Job *job, const char *script_path, CgResult *out)
{
    Cg g;
    memset(&g, 0, sizeof g);
    g.a = a;
    g.script = script_path ? script_path : "query.sql";
    g.maxid = job->next_id + 1;
    g.parent = ar_alloc(a, sizeof(Plan *) * (size_t)(g.maxid + 1));
    g.outv = ar_alloc(a, sizeof(CVal *) * (size_t)(g.maxid + 1));
    g.part_wm = ar_alloc(a, (size_t)g.maxid + 1);
    sb_init(&g.top);
    sb_init(&g.body);
    g.analyze = job->analyze;
    if (g.analyze)
        sb_printf(&g.top,
                  "i64 " CG_AN_ROWS "[%d], " CG_AN_LATE "[%d], " CG_AN_US "[%d], " CG_AN_MEM "[%d], " CG_AN_BITS
                  "[%d];\nvolatile int " CG_AN_OP " = -1;\n",
                  g.maxid + 1, g.maxid + 1, g.maxid + 1, g.maxid + 1, g.maxid + 1);
    for (int i = 0; i < job->plans.n; i++) {
        Plan *root = job->plans.v[i];
        cg_parents(&g, root);
        cg_statement(&g, root, i + 1);
    }
    StrBuf jobend, all;
    sb_init(&jobend);
    int first = cg_job_end(&g, job, &jobend); /* before g.top is copied: it adds literals there */
    sb_init(&all);
    sb_add(&all, velo_prelude, velo_prelude_len);
    sb_puts(&all, "\n/* ---- generated by veloc: one function per statement ---- */\n");
    sb_add(&all, g.top.p ? g.top.p : "", g.top.n);
    sb_puts(&all, "\n");
    sb_add(&all, g.funcs.p ? g.funcs.p : "", g.funcs.n);
    sb_add(&all, g.body.p ? g.body.p : "", g.body.n);
    sb_add(&all, jobend.p ? jobend.p : "", jobend.n);
    sb_free(&jobend);
    sb_puts(&all, "int velo_query_main(velo_rt *rt)\n{\n");
    if (first) sb_puts(&all, "    if (ckpt_job_finished(rt)) return 0; /* killed while tidying up after a finished run */\n");
    /* a stop (signal or error) ends the job: a later statement must not
       start, take a checkpoint and rename an empty output into place */
    for (int i = 0; i < job->plans.n; i++) {
        sb_printf(&all, "    if (stmt%d(rt) != 0) return 1;\n", i + 1);
        if (i + 1 < job->plans.n) sb_puts(&all, "    if (velo_stopped(rt)) return 0;\n");
    }
    if (first) sb_puts(&all, "    if (!velo_stopped(rt)) ckpt_job_end(rt);\n");
    sb_puts(&all, "    return 0;\n}\n");
    sb_free(&g.top);
    sb_free(&g.funcs);
    sb_free(&g.body);
    out->len = all.n;
    out->c = sb_detach(&all);
    out->pipelines = g.pipes;
    return 0;
}
