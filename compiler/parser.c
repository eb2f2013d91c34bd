/*
 * parser.c -- recursive-descent parser for VeloStream SQL (see parser.h).
 *
 * One function per grammar rule. Expression precedence, loosest first:
 *   OR < AND < NOT < comparison/IS/BETWEEN/IN/LIKE < || < + - < * / %
 *      < unary - < :: cast
 * A syntax error is reported once and unwinds (longjmp) to the statement
 * loop, which skips to the next ';'. The tree lives in the compile arena, so
 * unwinding leaks nothing. Checks that do not derail parsing (a DECIMAL
 * precision out of range, a bad TIMESTAMP literal) report and carry on.
 */
#include "parser.h"

#include <ctype.h>
#include <setjmp.h>
#include <string.h>
#include <strings.h>

#include "lexer.h"
#include "velo.h"

typedef struct Parser {
    Arena *a;
    Diag *d;
    Lexer lx;
    Token tok;  /* current token */
    Token next; /* one token of lookahead, valid if has_next */
    int has_next;
    SrcPos prev_end; /* just after the previous token: where "end of input" points */
    jmp_buf fail;
    int nesting; /* recursion depth of expressions (parentheses, NOT, calls) */
} Parser;

/* Deeper expressions are refused rather than allowed to exhaust the stack
 * of the recursive binder and code generator. */
enum { PS_MAX_NESTING = 256, PS_MAX_DEPTH = 1000 };

/* Words that end an expression or a FROM item, so they never become a bare
 * alias or a bare column name. */
static const char *const ps_reserved[] = {
    "SELECT", "FROM", "WHERE", "GROUP",   "BY",    "HAVING", "ORDER",  "LIMIT", "UNION", "ALL",  "DISTINCT", "AS",    "ON",   "JOIN",
    "INNER",  "LEFT", "RIGHT", "FULL",    "OUTER", "CROSS",  "WINDOW", "EMIT",  "INTO",  "WITH", "WITHIN",   "AND",   "OR",   "NOT",
    "IN",     "IS",   "LIKE",  "BETWEEN", "CASE",  "WHEN",   "THEN",   "ELSE",  "END",   "NULL", "TRUE",     "FALSE", "CAST", "EXISTS",
};

static const char *const ps_stmt_words[] = {
    "SELECT", "WITH", "CREATE", "INSERT", "EXPLAIN", "SHOW", "DESCRIBE",
};

#define PS_COUNT(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))

static Query *ps_query(Parser *p);
static Expr *ps_expr(Parser *p);
static Expr *ps_concat(Parser *p);
static Stmt *ps_statement(Parser *p);

/* ---- tokens --------------------------------------------------------------- */

static void ps_advance(Parser *p)
{
    /* prev_end follows the token's bytes so it is right even after a
     * string literal that spans lines. */
    SrcPos e = p->tok.pos;
    for (size_t i = 0; i < p->tok.n; i++) {
        if (p->tok.p[i] == '\n') e.line++, e.col = 0;
        e.col++;
        e.off++;
    }
    p->prev_end = e;
    if (p->has_next) {
        p->tok = p->next;
        p->has_next = 0;
    } else {
        lx_next(&p->lx, &p->tok);
    }
}

static const Token *ps_peek(Parser *p)
{
    if (!p->has_next) {
        lx_next(&p->lx, &p->next);
        p->has_next = 1;
    }
    return &p->next;
}

static int ps_is(Parser *p, const char *kw)
{
    return lx_is(&p->tok, kw);
}

static int ps_accept(Parser *p, TokKind k)
{
    if (p->tok.kind != k) return 0;
    ps_advance(p);
    return 1;
}

static int ps_accept_kw(Parser *p, const char *kw)
{
    if (!ps_is(p, kw)) return 0;
    ps_advance(p);
    return 1;
}

static int ps_is_reserved(const Token *t)
{
    for (int i = 0; i < PS_COUNT(ps_reserved); i++)
        if (lx_is(t, ps_reserved[i])) return 1;
    return 0;
}

/* How the current token is named in "found ..." */
static const char *ps_found(Parser *p)
{
    const Token *t = &p->tok;
    switch (t->kind) {
    case TK_EOF:
    case TK_STRING:
    case TK_ERROR: return lx_kind_name(t->kind);
    default: {
        int n = t->n > 40 ? 40 : (int)t->n;
        return ar_printf(p->a, "'%.*s%s'", n, t->p, t->n > 40 ? "..." : "");
    }
    }
}

/* Where an error about the current token points: at it, or just after the
 * last real token when the input has ended. */
static SrcPos ps_here(Parser *p)
{
    return p->tok.kind == TK_EOF ? p->prev_end : p->tok.pos;
}

static _Noreturn void ps_vfail(Parser *p, SrcPos pos, const char *hint, const char *fmt, va_list ap)
{
    /* A TK_ERROR token was reported by the lexer already: one message per mistake. */
    if (p->tok.kind != TK_ERROR) diag_error(p->d, pos, hint, "%s", ar_vprintf(p->a, fmt, ap));
    longjmp(p->fail, 1);
}

static _Noreturn __attribute__((format(printf, 4, 5))) void ps_fail(Parser *p, SrcPos pos, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_vfail(p, pos, hint, fmt, ap);
}

/* "expected WHAT CTX, found TOKEN" at the current token. */
static _Noreturn void ps_expected(Parser *p, const char *what, const char *ctx)
{
    ps_fail(p, ps_here(p), NULL, "expected %s%s%s, found %s", what, *ctx ? " " : "", ctx, ps_found(p));
}

static void ps_expect(Parser *p, TokKind k, const char *ctx)
{
    if (!ps_accept(p, k)) ps_expected(p, lx_kind_name(k), ctx);
}

static void ps_expect_kw(Parser *p, const char *kw, const char *ctx)
{
    if (!ps_accept_kw(p, kw)) ps_expected(p, kw, ctx);
}

static char *ps_upper(Parser *p, const char *s)
{
    char *u = ar_strdup(p->a, s);
    for (char *c = u; *c; c++) *c = (char)toupper((unsigned char)*c);
    return u;
}

/* A name: a non-reserved word (as written) or a "quoted identifier". */
static const char *ps_name(Parser *p, const char *what, const char *ctx, SrcPos *pos)
{
    if (p->tok.kind == TK_QIDENT || (p->tok.kind == TK_IDENT && !ps_is_reserved(&p->tok))) {
        if (pos) *pos = p->tok.pos;
        const char *s = p->tok.sval;
        ps_advance(p);
        return s;
    }
    ps_expected(p, what, ctx);
}

/* Can t follow a name or value directly? Only keywords and punctuation can
 * follow an alias, so a word or literal after a bare alias means the "alias"
 * was really a misspelled keyword. */
static int ps_starts_operand(const Token *t)
{
    switch (t->kind) {
    case TK_IDENT: return !ps_is_reserved(t);
    case TK_QIDENT:
    case TK_STRING:
    case TK_INT:
    case TK_DEC:
    case TK_DOUBLE:
    case TK_DURATION: return 1;
    default: return 0;
    }
}

/* [AS] alias, where a bare alias must not be a reserved word. */
static const char *ps_opt_alias(Parser *p)
{
    if (ps_accept_kw(p, "AS")) return ps_name(p, "alias", "after AS", NULL);
    if (p->tok.kind == TK_QIDENT) return ps_name(p, "alias", "", NULL);
    if (p->tok.kind != TK_IDENT || ps_is_reserved(&p->tok)) return NULL;
    Token t = p->tok;
    ps_advance(p);
    /* SELECT a FORM t: say "did you mean FROM" at FORM, not "expected ';'" at t */
    if (t.slen >= 3 && ps_starts_operand(&p->tok)) {
        const char *hint = diag_suggest(t.sval, ps_reserved, PS_COUNT(ps_reserved));
        if (hint) ps_fail(p, t.pos, hint, "unexpected '%s'", t.sval);
    }
    return t.sval;
}

/* ---- literals: durations and timestamps ----------------------------------- */

/* Microseconds of a time unit: SQL words (singular or plural) and, if
 * short is set, the abbreviations allowed inside INTERVAL strings. */
static int64_t ps_unit_us(const char *s, size_t n, int short_ok)
{
    static const struct {
        const char *name;
        int64_t us;
        int is_short;
    } units[] = {
        {"MICROSECOND", 1, 0},     {"MILLISECOND", 1000, 0},    {"SECOND", 1000000, 0}, {"MINUTE", 60000000, 0}, {"HOUR", 3600000000LL, 0},
        {"DAY", 86400000000LL, 0}, {"WEEK", 604800000000LL, 0}, {"us", 1, 1},           {"ms", 1000, 1},         {"s", 1000000, 1},
        {"sec", 1000000, 1},       {"m", 60000000, 1},          {"min", 60000000, 1},   {"h", 3600000000LL, 1},  {"hr", 3600000000LL, 1},
        {"d", 86400000000LL, 1},   {"w", 604800000000LL, 1},
    };
    for (int i = 0; i < PS_COUNT(units); i++) {
        size_t k = strlen(units[i].name);
        if (units[i].is_short && !short_ok) continue;
        int plural = !units[i].is_short && n == k + 1 && (s[k] == 's' || s[k] == 'S');
        if ((n == k || plural) && strncasecmp(s, units[i].name, k) == 0) return units[i].us;
    }
    return 0;
}

/* n * unit with an overflow check; 0 ok. */
static int ps_scale_us(int64_t n, int64_t unit, int64_t *out)
{
    if (n > INT64_MAX / unit || n < -(INT64_MAX / unit)) return 1;
    *out = n * unit;
    return 0;
}

/* Parse [-]digits into *v; returns the number of bytes used (0: none). */
static size_t ps_scan_int(const char *s, size_t n, int64_t *v)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    size_t digits = i;
    int64_t x = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (x > (INT64_MAX - (s[i] - '0')) / 10) return 0;
        x = x * 10 + (s[i++] - '0');
    }
    if (i == digits) return 0;
    *v = neg ? -x : x;
    return i;
}

/* The text of INTERVAL '...' without a unit keyword: one or more "n unit"
 * parts ("5 minutes", "1 day 2 hours", "30s"). 0 ok. */
static int ps_interval_text(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int64_t total = 0;
    int parts = 0;
    for (;;) {
        while (i < n && s[i] == ' ') i++;
        if (i == n) break;
        int64_t v, us, part;
        size_t used = ps_scan_int(s + i, n - i, &v);
        if (!used) return 1;
        i += used;
        while (i < n && s[i] == ' ') i++;
        size_t u = i;
        while (i < n && isalpha((unsigned char)s[i])) i++;
        us = ps_unit_us(s + u, i - u, 1);
        if (!us || ps_scale_us(v, us, &part)) return 1;
        if ((part > 0 && total > INT64_MAX - part) || (part < 0 && total < -INT64_MAX - part)) return 1;
        total += part;
        parts++;
    }
    *out = total;
    return parts == 0;
}

static int64_t ps_days_from_civil(int64_t y, int m, int d)
{
    /* Howard Hinnant's algorithm: proleptic Gregorian, day 0 = 1970-01-01. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Exactly k digits at s[*i] into *v. */
static int ps_digits(const char *s, size_t n, size_t *i, int k, int *v)
{
    int x = 0;
    for (int j = 0; j < k; j++, (*i)++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9') return 1;
        x = x * 10 + (s[*i] - '0');
    }
    *v = x;
    return 0;
}

/* Strict ISO-8601: YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,9}]]][Z|(+|-)HH[:MM]] to
 * µs since the epoch. Kept here so the front end does not need libvelo. */
static int ps_parse_timestamp(const char *s, size_t n, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0, zh = 0, zm = 0, zsign = 0;
    int64_t frac = 0;
    if (ps_digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-' || ps_digits(s, n, &i, 2, &mo) || i >= n || s[i++] != '-' ||
        ps_digits(s, n, &i, 2, &d))
        return 1;
    if (i < n && (s[i] == ' ' || s[i] == 'T')) {
        i++;
        if (ps_digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || ps_digits(s, n, &i, 2, &mi)) return 1;
        if (i < n && s[i] == ':') {
            i++;
            if (ps_digits(s, n, &i, 2, &sec)) return 1;
            if (i < n && s[i] == '.') {
                int k = 0;
                for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
                    if (k < 6) frac = frac * 10 + (s[i] - '0');
                if (k == 0 || k > 9) return 1;
                for (; k < 6; k++) frac *= 10;
            }
        }
        if (i < n && s[i] == 'Z') {
            i++;
        } else if (i < n && (s[i] == '+' || s[i] == '-')) {
            zsign = s[i++] == '-' ? -1 : 1;
            if (ps_digits(s, n, &i, 2, &zh)) return 1;
            if (i < n && s[i] == ':') i++;
            if (i < n && ps_digits(s, n, &i, 2, &zm)) return 1;
        }
    }
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (i != n || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59 ||
        zh > 23 || zm > 59)
        return 1;
    int64_t secs = ps_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    secs -= zsign * (zh * 3600 + zm * 60);
    *out = secs * 1000000 + frac;
    return 0;
}

/* INTERVAL 'text' [UNIT] or INTERVAL n UNIT; the INTERVAL word is consumed. */
static int64_t ps_interval_body(Parser *p)
{
    Token t = p->tok;
    int64_t v, us, out = 0;
    if (t.kind != TK_STRING && t.kind != TK_INT) ps_expected(p, "string", "after INTERVAL");
    ps_advance(p);
    if (p->tok.kind == TK_IDENT && (us = ps_unit_us(p->tok.sval, p->tok.slen, 0)) != 0) {
        ps_advance(p);
        if (t.kind == TK_INT) v = t.ival;
        else if (ps_scan_int(t.sval, t.slen, &v) != t.slen) {
            diag_error(p->d, t.pos, NULL, "invalid interval value '%s'", t.sval);
            return 0;
        }
        if (ps_scale_us(v, us, &out)) diag_error(p->d, t.pos, NULL, "interval is out of range");
        return out;
    }
    if (t.kind == TK_INT) ps_expected(p, "interval unit (SECOND, MINUTE, ...)", "");
    if (ps_interval_text(t.sval, t.slen, &out))
        diag_error(p->d, t.pos, NULL, "invalid interval '%s' (write INTERVAL '5' MINUTE or '5 minutes')", t.sval);
    return out;
}

/* A duration: 30s, INTERVAL '30' SECOND, INTERVAL '30 seconds', 30 SECONDS. */
static int64_t ps_duration(Parser *p, const char *ctx)
{
    int64_t us, v = p->tok.ival, out = 0;
    if (p->tok.kind == TK_DURATION) {
        ps_advance(p);
        return v;
    }
    if (ps_accept_kw(p, "INTERVAL")) return ps_interval_body(p);
    if (p->tok.kind == TK_INT) {
        SrcPos pos = p->tok.pos;
        ps_advance(p);
        if (p->tok.kind != TK_IDENT || !(us = ps_unit_us(p->tok.sval, p->tok.slen, 0)))
            ps_expected(p, "time unit (SECOND, MINUTE, ...)", "after number");
        ps_advance(p);
        if (ps_scale_us(v, us, &out)) diag_error(p->d, pos, NULL, "duration is out of range");
        return out;
    }
    ps_expected(p, "duration (e.g. 30s or INTERVAL '30' SECOND)", ctx);
}

/* ---- types ---------------------------------------------------------------- */

static const char *const ps_type_names[] = {
    "BOOLEAN", "BOOL",    "INTEGER", "INT",    "BIGINT",  "DOUBLE", "FLOAT",
    "REAL",    "DECIMAL", "NUMERIC", "STRING", "VARCHAR", "TEXT",   "TIMESTAMP",
};

/* DECIMAL(p[,s]) arguments; range errors are reported but do not derail. */
static void ps_decimal_args(Parser *p, TypeSpec *t)
{
    t->prec = 18;
    t->scale = 0;
    if (!ps_accept(p, TK_LPAREN)) return;
    SrcPos ppos = p->tok.pos, spos;
    if (p->tok.kind != TK_INT) ps_expected(p, "precision", "after 'DECIMAL('");
    int64_t prec = p->tok.ival, scale = 0;
    ps_advance(p);
    if (ps_accept(p, TK_COMMA)) {
        spos = p->tok.pos;
        if (p->tok.kind != TK_INT) ps_expected(p, "scale", "after precision");
        scale = p->tok.ival;
        ps_advance(p);
    }
    ps_expect(p, TK_RPAREN, "after DECIMAL precision and scale");
    if (prec < 1 || prec > 18) {
        diag_error(p->d, ppos, NULL, "DECIMAL precision must be between 1 and 18, not %lld", (long long)prec);
        prec = 18;
    } else if (scale > prec) {
        diag_error(p->d, spos, NULL, "DECIMAL scale must be between 0 and the precision %lld, not %lld", (long long)prec, (long long)scale);
        scale = 0;
    }
    t->prec = (int)prec;
    t->scale = (int)scale;
}

static TypeSpec ps_type(Parser *p)
{
    TypeSpec t = {0, 0, 0};
    Token name = p->tok;
    if (name.kind != TK_IDENT) ps_expected(p, "type name", "");
    ps_advance(p);
    if (lx_is(&name, "BOOLEAN") || lx_is(&name, "BOOL")) {
        t.tag = VT_BOOL;
    } else if (lx_is(&name, "INTEGER") || lx_is(&name, "INT")) {
        t.tag = VT_INT;
    } else if (lx_is(&name, "BIGINT")) {
        t.tag = VT_BIGINT;
    } else if (lx_is(&name, "DOUBLE") || lx_is(&name, "FLOAT") || lx_is(&name, "REAL")) {
        t.tag = VT_DOUBLE;
        if (lx_is(&name, "DOUBLE")) ps_accept_kw(p, "PRECISION");
    } else if (lx_is(&name, "DECIMAL") || lx_is(&name, "NUMERIC")) {
        t.tag = VT_DECIMAL;
        ps_decimal_args(p, &t);
    } else if (lx_is(&name, "STRING") || lx_is(&name, "VARCHAR") || lx_is(&name, "TEXT")) {
        t.tag = VT_STRING;
        /* VARCHAR(n): the length is accepted for portability; strings are unbounded. */
        if (lx_is(&name, "VARCHAR") && ps_accept(p, TK_LPAREN)) {
            if (p->tok.kind != TK_INT) ps_expected(p, "length", "after 'VARCHAR('");
            ps_advance(p);
            ps_expect(p, TK_RPAREN, "after VARCHAR length");
        }
    } else if (lx_is(&name, "TIMESTAMP")) {
        t.tag = VT_TIMESTAMP;
    } else {
        ps_fail(p, name.pos, diag_suggest(name.sval, ps_type_names, PS_COUNT(ps_type_names)), "unknown type '%s'", name.sval);
    }
    return t;
}

/* ---- expressions ---------------------------------------------------------- */

static Expr *ps_new(Parser *p, ExprKind k, SrcPos pos)
{
    return ast_expr_new(p->a, k, pos);
}

static Expr *ps_binary(Parser *p, int op, Expr *l, Expr *r)
{
    Expr *e = ps_new(p, E_BINARY, l->pos);
    e->op = op;
    e->left = l;
    e->right = r;
    e->depth = (l->depth > r->depth ? l->depth : r->depth) + 1;
    if (e->depth > PS_MAX_DEPTH) ps_fail(p, l->pos, NULL, "expression too deeply nested (more than %d operators deep)", PS_MAX_DEPTH);
    return e;
}

static int ps_starts_query(const Token *t)
{
    return lx_is(t, "SELECT") || lx_is(t, "WITH");
}

/* '(' query ')' -- used by EXISTS, IN (SELECT ...) and scalar subqueries. */
static Query *ps_paren_query(Parser *p, const char *ctx)
{
    ps_expect(p, TK_LPAREN, ctx);
    Query *q = ps_query(p);
    ps_expect(p, TK_RPAREN, "after subquery");
    return q;
}

static void ps_expr_list(Parser *p, PtrVec *out)
{
    do pv_push(p->a, out, ps_expr(p));
    while (ps_accept(p, TK_COMMA));
}

static OrderItem *ps_order_item(Parser *p)
{
    OrderItem *o = ar_alloc(p->a, sizeof *o);
    o->expr = ps_expr(p);
    o->nulls_first = -1;
    if (ps_accept_kw(p, "DESC")) o->desc = 1;
    else ps_accept_kw(p, "ASC");
    if (ps_accept_kw(p, "NULLS")) {
        if (ps_accept_kw(p, "FIRST")) o->nulls_first = 1;
        else if (ps_accept_kw(p, "LAST")) o->nulls_first = 0;
        else ps_expected(p, "FIRST or LAST", "after NULLS");
    }
    return o;
}

static void ps_order_list(Parser *p, PtrVec *out)
{
    do pv_push(p->a, out, ps_order_item(p));
    while (ps_accept(p, TK_COMMA));
}

/* One frame bound that must be PRECEDING: UNBOUNDED (-1) or n (rows or µs). */
static int64_t ps_frame_start(Parser *p, FrameKind kind)
{
    int64_t n;
    if (ps_accept_kw(p, "UNBOUNDED")) {
        n = -1;
    } else if (kind == FRAME_ROWS) {
        if (p->tok.kind != TK_INT) ps_expected(p, "row count or UNBOUNDED", "in ROWS frame");
        n = p->tok.ival;
        ps_advance(p);
    } else {
        n = ps_duration(p, "in RANGE frame");
    }
    ps_expect_kw(p, "PRECEDING", "in window frame (frames end at CURRENT ROW)");
    return n;
}

/* OVER (PARTITION BY ... ORDER BY ... [frame]); OVER is consumed. */
static void ps_over(Parser *p, Expr *f)
{
    f->has_over = 1;
    ps_expect(p, TK_LPAREN, "after OVER");
    if (ps_accept_kw(p, "PARTITION")) {
        ps_expect_kw(p, "BY", "after PARTITION");
        ps_expr_list(p, &f->partition_by);
    }
    if (ps_accept_kw(p, "ORDER")) {
        ps_expect_kw(p, "BY", "after ORDER");
        ps_order_list(p, &f->over_order);
    }
    int rows = ps_is(p, "ROWS");
    if (rows || ps_is(p, "RANGE")) {
        ps_advance(p);
        if (rows && ps_accept_kw(p, "WINDOW")) {
            ps_expect_kw(p, "BUFFER", "after ROWS WINDOW");
            if (p->tok.kind != TK_INT) ps_expected(p, "row count", "after WINDOW BUFFER");
            f->frame = FRAME_BUFFER;
            f->frame_n = p->tok.ival;
            ps_advance(p);
            ps_expect_kw(p, "ROWS", "after buffer size");
        } else {
            f->frame = rows ? FRAME_ROWS : FRAME_RANGE;
            int between = ps_accept_kw(p, "BETWEEN");
            f->frame_n = ps_frame_start(p, f->frame);
            if (between) {
                ps_expect_kw(p, "AND", "in window frame");
                ps_expect_kw(p, "CURRENT", "after AND (frames end at CURRENT ROW)");
                ps_expect_kw(p, "ROW", "after CURRENT");
            }
        }
    }
    ps_expect(p, TK_RPAREN, "after OVER clause");
}

static Expr *ps_func_new(Parser *p, const char *name, SrcPos pos)
{
    Expr *f = ps_new(p, E_FUNC, pos);
    f->sval = name;
    f->slen = strlen(name);
    return f;
}

/* TRIM([BOTH|LEADING|TRAILING] [chars FROM] s) -> TRIM/LTRIM/RTRIM(s[, chars]) */
static void ps_trim(Parser *p, Expr *f)
{
    int side = ps_accept_kw(p, "LEADING") ? 'L' : ps_accept_kw(p, "TRAILING") ? 'R' : 0;
    int spec = side || ps_accept_kw(p, "BOTH");
    Expr *chars = NULL, *s;
    if (spec && ps_accept_kw(p, "FROM")) {
        s = ps_expr(p);
    } else {
        s = ps_expr(p);
        if (ps_accept_kw(p, "FROM")) {
            chars = s;
            s = ps_expr(p);
        } else if (!spec && ps_accept(p, TK_COMMA)) {
            chars = ps_expr(p); /* TRIM(s, chars) in function-call form */
        }
    }
    f->sval = side == 'L' ? "LTRIM" : side == 'R' ? "RTRIM" : "TRIM";
    f->slen = strlen(f->sval);
    pv_push(p->a, &f->args, s);
    if (chars) pv_push(p->a, &f->args, chars);
}

/* Arguments of name( ... ) including the special forms; '(' is consumed. */
static void ps_call_args(Parser *p, Expr *f)
{
    if (p->tok.kind == TK_RPAREN) return;
    if (strcmp(f->sval, "TRIM") == 0) {
        ps_trim(p, f);
        return;
    }
    if (ps_accept_kw(p, "DISTINCT")) f->distinct = 1;
    else ps_accept_kw(p, "ALL");
    if (strcmp(f->sval, "POSITION") == 0) {
        /* POSITION(a IN b): a is parsed above comparisons, which would take IN */
        pv_push(p->a, &f->args, ps_concat(p));
        if (ps_accept_kw(p, "IN")) pv_push(p->a, &f->args, ps_expr(p));
        else
            while (ps_accept(p, TK_COMMA)) pv_push(p->a, &f->args, ps_expr(p));
        return;
    }
    pv_push(p->a, &f->args, ps_expr(p));
    if (strcmp(f->sval, "SUBSTRING") == 0 && ps_accept_kw(p, "FROM")) {
        pv_push(p->a, &f->args, ps_expr(p));
        if (ps_accept_kw(p, "FOR")) pv_push(p->a, &f->args, ps_expr(p));
        return;
    }
    if (strcmp(f->sval, "SUBSTRING") == 0 && ps_accept_kw(p, "FOR")) {
        Expr *one = ps_new(p, E_LIT_INT, p->prev_end);
        one->ival = 1;
        pv_push(p->a, &f->args, one);
        pv_push(p->a, &f->args, ps_expr(p));
        return;
    }
    while (ps_accept(p, TK_COMMA)) pv_push(p->a, &f->args, ps_expr(p));
}

static Expr *ps_case(Parser *p, SrcPos pos)
{
    Expr *e = ps_new(p, E_CASE, pos);
    if (!ps_is(p, "WHEN")) e->left = ps_expr(p);
    if (!ps_is(p, "WHEN")) ps_expected(p, "WHEN", "in CASE");
    while (ps_accept_kw(p, "WHEN")) {
        pv_push(p->a, &e->args, ps_expr(p));
        ps_expect_kw(p, "THEN", "after WHEN condition");
        pv_push(p->a, &e->args, ps_expr(p));
    }
    if (ps_accept_kw(p, "ELSE")) e->else_ = ps_expr(p);
    ps_expect_kw(p, "END", "to close CASE");
    return e;
}

static Expr *ps_extract(Parser *p, SrcPos pos)
{
    Expr *e = ps_new(p, E_EXTRACT, pos);
    ps_expect(p, TK_LPAREN, "after EXTRACT");
    Token f = p->tok;
    if (f.kind != TK_IDENT && f.kind != TK_STRING) ps_expected(p, "field name", "in EXTRACT");
    int i;
    for (i = 0; i < AST_NEXTRACT; i++)
        if (strcasecmp(f.sval, ast_extract_fields[i]) == 0) break;
    if (i == AST_NEXTRACT) ps_fail(p, f.pos, diag_suggest(f.sval, ast_extract_fields, AST_NEXTRACT), "unknown EXTRACT field '%s'", f.sval);
    ps_advance(p);
    e->ival = i;
    ps_expect_kw(p, "FROM", "after EXTRACT field");
    e->left = ps_expr(p);
    ps_expect(p, TK_RPAREN, "to close EXTRACT");
    return e;
}

/* name( ... ) [OVER (...)]; the name token is current, '(' follows. */
static Expr *ps_call(Parser *p)
{
    Expr *f = ps_func_new(p, ps_upper(p, p->tok.sval), p->tok.pos);
    ps_advance(p);
    ps_expect(p, TK_LPAREN, "after function name");
    ps_call_args(p, f);
    ps_expect(p, TK_RPAREN, "after function arguments");
    if (ps_accept_kw(p, "OVER")) ps_over(p, f);
    return f;
}

/* [qual.]name or qual.* ; the first name token is current. */
static Expr *ps_column(Parser *p)
{
    Expr *e = ps_new(p, E_COLUMN, p->tok.pos);
    e->sval = p->tok.sval;
    e->slen = p->tok.slen;
    ps_advance(p);
    if (!ps_accept(p, TK_DOT)) return e;
    e->qual = e->sval;
    if (p->tok.kind == TK_STAR) {
        e->kind = E_STAR;
        ps_advance(p);
        return e;
    }
    if (p->tok.kind != TK_IDENT && p->tok.kind != TK_QIDENT) ps_expected(p, "column name", ar_printf(p->a, "after '%s.'", e->qual));
    e->pos = p->tok.pos; /* errors about the column point at its name */
    e->sval = p->tok.sval;
    e->slen = p->tok.slen;
    ps_advance(p);
    return e;
}

static Expr *ps_lit(Parser *p, ExprKind k)
{
    Expr *e = ps_new(p, k, p->tok.pos);
    e->ival = p->tok.ival;
    e->scale = p->tok.scale;
    e->dval = p->tok.dval;
    e->sval = p->tok.sval;
    e->slen = p->tok.slen;
    ps_advance(p);
    return e;
}

/* Words that open an expression form of their own. NULL if t is not one. */
static Expr *ps_keyword_expr(Parser *p)
{
    SrcPos pos = p->tok.pos;
    if (ps_accept_kw(p, "NULL")) return ps_new(p, E_LIT_NULL, pos);
    if (ps_is(p, "TRUE") || ps_is(p, "FALSE")) {
        Expr *e = ps_new(p, E_LIT_BOOL, pos);
        e->ival = ps_is(p, "TRUE");
        ps_advance(p);
        return e;
    }
    if (ps_accept_kw(p, "CASE")) return ps_case(p, pos);
    if (ps_accept_kw(p, "CAST")) {
        Expr *e = ps_new(p, E_CAST, pos);
        ps_expect(p, TK_LPAREN, "after CAST");
        e->left = ps_expr(p);
        ps_expect_kw(p, "AS", "in CAST");
        e->cast_to = ps_type(p);
        ps_expect(p, TK_RPAREN, "to close CAST");
        return e;
    }
    if (ps_accept_kw(p, "EXISTS")) {
        Expr *e = ps_new(p, E_EXISTS, pos);
        e->subquery = ps_paren_query(p, "after EXISTS");
        return e;
    }
    if (ps_is(p, "EXTRACT") && ps_peek(p)->kind == TK_LPAREN) {
        ps_advance(p);
        return ps_extract(p, pos);
    }
    if (ps_is(p, "TIMESTAMP") && ps_peek(p)->kind == TK_STRING) {
        ps_advance(p);
        Expr *e = ps_new(p, E_LIT_TS, pos);
        if (ps_parse_timestamp(p->tok.sval, p->tok.slen, &e->ival))
            diag_error(p->d, p->tok.pos, NULL, "invalid timestamp '%s' (expected 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|+HH:MM]')",
                       p->tok.sval);
        ps_advance(p);
        return e;
    }
    if (ps_is(p, "INTERVAL") && (ps_peek(p)->kind == TK_STRING || ps_peek(p)->kind == TK_INT)) {
        ps_advance(p);
        Expr *e = ps_new(p, E_LIT_INTERVAL, pos);
        e->ival = ps_interval_body(p);
        return e;
    }
    if (ps_is(p, "CURRENT_TIMESTAMP") && ps_peek(p)->kind != TK_LPAREN) {
        ps_advance(p);
        return ps_func_new(p, "CURRENT_TIMESTAMP", pos);
    }
    return NULL;
}

static Expr *ps_primary(Parser *p)
{
    SrcPos pos = p->tok.pos;
    switch (p->tok.kind) {
    case TK_INT: return ps_lit(p, E_LIT_INT);
    case TK_DEC: return ps_lit(p, E_LIT_DEC);
    case TK_DOUBLE: return ps_lit(p, E_LIT_DOUBLE);
    case TK_STRING: return ps_lit(p, E_LIT_STR);
    case TK_DURATION: return ps_lit(p, E_LIT_INTERVAL);
    case TK_STAR: ps_advance(p); return ps_new(p, E_STAR, pos);
    case TK_QIDENT: return ps_column(p);
    case TK_LPAREN: {
        ps_advance(p);
        if (ps_starts_query(&p->tok)) {
            Expr *e = ps_new(p, E_SUBQUERY, pos);
            e->subquery = ps_query(p);
            ps_expect(p, TK_RPAREN, "after subquery");
            return e;
        }
        Expr *e = ps_expr(p);
        ps_expect(p, TK_RPAREN, "to close '('");
        return e;
    }
    case TK_IDENT: {
        Expr *e = ps_keyword_expr(p);
        if (e) return e;
        /* LEFT and RIGHT are join words but also string functions */
        int reserved = ps_is_reserved(&p->tok) && !ps_is(p, "LEFT") && !ps_is(p, "RIGHT");
        if (!reserved && ps_peek(p)->kind == TK_LPAREN) return ps_call(p);
        if (!reserved) return ps_column(p);
        break;
    }
    default: break;
    }
    ps_expected(p, "an expression", "");
}

static Expr *ps_postfix(Parser *p)
{
    Expr *e = ps_primary(p);
    while (ps_accept(p, TK_CAST)) {
        Expr *c = ps_new(p, E_CAST, e->pos);
        c->left = e;
        c->cast_to = ps_type(p);
        e = c;
    }
    return e;
}

static Expr *ps_unary(Parser *p)
{
    SrcPos pos = p->tok.pos;
    int op = p->tok.kind == TK_MINUS ? '-' : p->tok.kind == TK_PLUS ? '+' : 0;
    if (!op) return ps_postfix(p);
    ps_advance(p);
    int literal = p->tok.kind == TK_INT || p->tok.kind == TK_DEC || p->tok.kind == TK_DOUBLE || p->tok.kind == TK_DURATION;
    Expr *x = ps_unary(p);
    if (literal && op == '-' && x->kind != E_CAST) {
        /* -5 is a literal, not an expression: keeps constants simple downstream */
        x->ival = -x->ival;
        x->dval = -x->dval;
        x->pos = pos;
        return x;
    }
    Expr *e = ps_new(p, E_UNARY, pos);
    e->op = op;
    e->left = x;
    return e;
}

static Expr *ps_mul(Parser *p)
{
    Expr *e = ps_unary(p);
    for (;;) {
        int op = p->tok.kind == TK_STAR ? OP_MUL : p->tok.kind == TK_SLASH ? OP_DIV : p->tok.kind == TK_PERCENT ? OP_MOD : -1;
        if (op < 0) return e;
        ps_advance(p);
        e = ps_binary(p, op, e, ps_unary(p));
    }
}

static Expr *ps_additive(Parser *p)
{
    Expr *e = ps_mul(p);
    for (;;) {
        int op = p->tok.kind == TK_PLUS ? OP_ADD : p->tok.kind == TK_MINUS ? OP_SUB : -1;
        if (op < 0) return e;
        ps_advance(p);
        e = ps_binary(p, op, e, ps_mul(p));
    }
}

static Expr *ps_concat(Parser *p)
{
    Expr *e = ps_additive(p);
    while (ps_accept(p, TK_CONCAT)) e = ps_binary(p, OP_CONCAT, e, ps_additive(p));
    return e;
}

static int ps_cmp_op(TokKind k)
{
    switch (k) {
    case TK_EQ: return OP_EQ;
    case TK_NE: return OP_NE;
    case TK_LT: return OP_LT;
    case TK_LE: return OP_LE;
    case TK_GT: return OP_GT;
    case TK_GE: return OP_GE;
    default: return -1;
    }
}

/* The [NOT] BETWEEN / IN / LIKE forms after their left operand. */
static Expr *ps_predicate(Parser *p, Expr *left, int negated)
{
    Expr *e;
    if (ps_accept_kw(p, "BETWEEN")) {
        e = ps_new(p, E_BETWEEN, left->pos);
        e->right = ps_concat(p);
        ps_expect_kw(p, "AND", "in BETWEEN");
        e->third = ps_concat(p);
    } else if (ps_accept_kw(p, "LIKE")) {
        e = ps_new(p, E_LIKE, left->pos);
        e->right = ps_concat(p);
        if (ps_accept_kw(p, "ESCAPE")) e->third = ps_concat(p);
    } else {
        ps_expect_kw(p, "IN", "");
        ps_expect(p, TK_LPAREN, "after IN");
        if (ps_starts_query(&p->tok)) {
            e = ps_new(p, E_IN_SUBQUERY, left->pos);
            e->subquery = ps_query(p);
        } else {
            e = ps_new(p, E_IN_LIST, left->pos);
            ps_expr_list(p, &e->args);
        }
        ps_expect(p, TK_RPAREN, "to close IN list");
    }
    e->left = left;
    e->negated = negated;
    return e;
}

static Expr *ps_comparison(Parser *p)
{
    Expr *e = ps_concat(p);
    for (;;) {
        int op = ps_cmp_op(p->tok.kind);
        if (op >= 0) {
            ps_advance(p);
            e = ps_binary(p, op, e, ps_concat(p));
        } else if (ps_accept_kw(p, "IS")) {
            Expr *n = ps_new(p, E_IS_NULL, e->pos);
            n->negated = ps_accept_kw(p, "NOT");
            ps_expect_kw(p, "NULL", n->negated ? "after IS NOT" : "after IS");
            n->left = e;
            e = n;
        } else if (ps_is(p, "BETWEEN") || ps_is(p, "IN") || ps_is(p, "LIKE")) {
            e = ps_predicate(p, e, 0);
        } else if (ps_is(p, "NOT") && (lx_is(ps_peek(p), "BETWEEN") || lx_is(ps_peek(p), "IN") || lx_is(ps_peek(p), "LIKE"))) {
            ps_advance(p);
            e = ps_predicate(p, e, 1);
        } else {
            return e;
        }
    }
}

static Expr *ps_not(Parser *p)
{
    SrcPos pos = p->tok.pos;
    if (!ps_accept_kw(p, "NOT")) return ps_comparison(p);
    if (++p->nesting > PS_MAX_NESTING) ps_fail(p, pos, NULL, "expression too deeply nested (more than %d NOTs)", PS_MAX_NESTING);
    Expr *x = ps_not(p);
    p->nesting--;
    if (x->kind == E_EXISTS) {
        x->negated = !x->negated;
        x->pos = pos;
        return x;
    }
    Expr *e = ps_new(p, E_UNARY, pos);
    e->op = 'N';
    e->left = x;
    return e;
}

static Expr *ps_and(Parser *p)
{
    Expr *e = ps_not(p);
    while (ps_accept_kw(p, "AND")) e = ps_binary(p, OP_AND, e, ps_not(p));
    return e;
}

static Expr *ps_expr(Parser *p)
{
    if (++p->nesting > PS_MAX_NESTING)
        ps_fail(p, ps_here(p), NULL, "expression too deeply nested (more than %d levels of parentheses)", PS_MAX_NESTING);
    Expr *e = ps_and(p);
    while (ps_accept_kw(p, "OR")) e = ps_binary(p, OP_OR, e, ps_and(p));
    p->nesting--;
    return e;
}

/* ---- queries -------------------------------------------------------------- */

static SelectItem *ps_select_item(Parser *p)
{
    SelectItem *it = ar_alloc(p->a, sizeof *it);
    it->pos = p->tok.pos;
    it->expr = ps_expr(p);
    if (it->expr->kind != E_STAR) it->alias = ps_opt_alias(p);
    return it;
}

static TableRef *ps_table_primary(Parser *p)
{
    TableRef *r = ar_alloc(p->a, sizeof *r);
    r->pos = p->tok.pos;
    if (ps_accept(p, TK_LPAREN)) {
        if (!ps_starts_query(&p->tok)) ps_expected(p, "SELECT", "in derived table");
        r->subquery = ps_query(p);
        ps_expect(p, TK_RPAREN, "after derived table");
    } else {
        r->name = ps_name(p, "table name", "", &r->pos);
    }
    r->alias = ps_opt_alias(p);
    return r;
}

/* The join word(s) before a table reference: 'I', 'L', 'R', 'F', 'C' or 0. */
static int ps_join_kind(Parser *p)
{
    int kind = ps_is(p, "INNER")   ? 'I'
               : ps_is(p, "LEFT")  ? 'L'
               : ps_is(p, "RIGHT") ? 'R'
               : ps_is(p, "FULL")  ? 'F'
               : ps_is(p, "CROSS") ? 'C'
                                   : 0;
    if (kind) {
        ps_advance(p);
        if (kind == 'L' || kind == 'R' || kind == 'F') ps_accept_kw(p, "OUTER");
        ps_expect_kw(p, "JOIN", "after join type");
        return kind;
    }
    return ps_accept_kw(p, "JOIN") ? 'I' : 0;
}

static void ps_from(Parser *p, Select *s)
{
    pv_push(p->a, &s->from, ps_table_primary(p));
    for (;;) {
        if (ps_accept(p, TK_COMMA)) {
            pv_push(p->a, &s->from, ps_table_primary(p));
            continue;
        }
        int kind = ps_join_kind(p);
        if (!kind) return;
        TableRef *r = ps_table_primary(p);
        r->join_kind = kind;
        if (ps_accept_kw(p, "WITHIN")) r->within_us = ps_duration(p, "after WITHIN");
        if (ps_accept_kw(p, "ON")) r->on = ps_expr(p);
        pv_push(p->a, &s->from, r);
    }
}

/* A window argument that is a duration rather than the time column. */
static int ps_starts_duration(Parser *p)
{
    if (p->tok.kind == TK_DURATION || p->tok.kind == TK_INT) return 1;
    return ps_is(p, "INTERVAL") && (ps_peek(p)->kind == TK_STRING || ps_peek(p)->kind == TK_INT);
}

/* TUMBLING(size) / SLIDING(size, advance) / SESSION(gap), each with an
 * optional leading time column; WINDOW is consumed. */
static void ps_window(Parser *p, Select *s)
{
    WindowSpec *w = &s->window;
    if (w->kind != WIN_NONE) ps_fail(p, p->prev_end, NULL, "a SELECT has only one WINDOW clause");
    w->pos = p->tok.pos;
    if (ps_accept_kw(p, "TUMBLING")) w->kind = WIN_TUMBLING;
    else if (ps_accept_kw(p, "SLIDING") || ps_accept_kw(p, "HOPPING")) w->kind = WIN_SLIDING;
    else if (ps_accept_kw(p, "SESSION")) w->kind = WIN_SESSION;
    else ps_expected(p, "TUMBLING, SLIDING or SESSION", "after WINDOW");
    ps_expect(p, TK_LPAREN, "after window kind");
    if (!ps_starts_duration(p)) {
        w->time_col = ps_expr(p);
        ps_expect(p, TK_COMMA, "after window time column");
    }
    SrcPos dpos = p->tok.pos;
    w->size_us = ps_duration(p, w->kind == WIN_SESSION ? "for session gap" : "for window size");
    if (w->kind == WIN_SLIDING) {
        ps_expect(p, TK_COMMA, "after window size (SLIDING needs size and advance)");
        SrcPos apos = p->tok.pos;
        w->advance_us = ps_duration(p, "for window advance");
        if (w->advance_us <= 0) diag_error(p->d, apos, NULL, "window advance must be positive");
    }
    ps_expect(p, TK_RPAREN, "after window arguments");
    if (w->size_us <= 0) diag_error(p->d, dpos, NULL, "window duration must be positive");
}

static void ps_emit(Parser *p, Select *s)
{
    if (ps_accept_kw(p, "CHANGES")) s->emit = EMIT_CHANGES;
    else if (ps_accept_kw(p, "FINAL")) s->emit = EMIT_FINAL;
    else ps_expected(p, "CHANGES or FINAL", "after EMIT");
}

static Select *ps_select(Parser *p)
{
    Select *s = ar_alloc(p->a, sizeof *s);
    s->pos = p->tok.pos;
    ps_expect_kw(p, "SELECT", "");
    if (ps_accept_kw(p, "DISTINCT")) s->distinct = 1;
    else ps_accept_kw(p, "ALL");
    do pv_push(p->a, &s->items, ps_select_item(p));
    while (ps_accept(p, TK_COMMA));
    if (ps_accept_kw(p, "INTO")) s->into = ps_name(p, "sink name", "after INTO", &s->into_pos);
    if (ps_accept_kw(p, "FROM")) ps_from(p, s);
    if (ps_accept_kw(p, "WHERE")) s->where = ps_expr(p);
    for (;;) {
        /* GROUP BY and WINDOW come in either order (ksqlDB puts WINDOW first) */
        if (ps_accept_kw(p, "GROUP")) {
            if (s->group_by.n) ps_fail(p, p->prev_end, NULL, "GROUP BY given twice");
            ps_expect_kw(p, "BY", "after GROUP");
            ps_expr_list(p, &s->group_by);
        } else if (ps_accept_kw(p, "WINDOW")) {
            ps_window(p, s);
        } else {
            break;
        }
    }
    if (ps_accept_kw(p, "HAVING")) s->having = ps_expr(p);
    if (ps_accept_kw(p, "WINDOW")) ps_window(p, s);
    if (ps_accept_kw(p, "EMIT")) ps_emit(p, s);
    return s;
}

/* A query that can stand as one UNION branch: a single SELECT, no ORDER BY,
 * LIMIT or WITH of its own. */
static int ps_plain_select(const Query *q)
{
    return q->selects.n == 1 && !q->order_by.n && q->limit < 0 && !q->ctes.n;
}

/* One UNION branch: SELECT ... or ( query ). Returns a whole query when the
 * parenthesized query cannot be flattened into a branch. */
static Query *ps_union_term(Parser *p, Query *q, int first)
{
    if (!ps_accept(p, TK_LPAREN)) {
        pv_push(p->a, &q->selects, ps_select(p));
        return NULL;
    }
    SrcPos pos = p->tok.pos;
    Query *sub = ps_query(p);
    ps_expect(p, TK_RPAREN, "after parenthesized query");
    if (first && sub->selects.n > 1 && !sub->order_by.n && sub->limit < 0 && !sub->ctes.n) {
        /* (A UNION B) UNION C is the left-associative reading anyway */
        q->selects = sub->selects;
        q->union_all = sub->union_all;
        return NULL;
    }
    if (ps_plain_select(sub)) {
        pv_push(p->a, &q->selects, sub->selects.v[0]);
        return NULL;
    }
    if (first) return sub;
    ps_fail(p, pos, NULL, "a UNION branch must be a single SELECT without ORDER BY or LIMIT");
}

static Query *ps_query(Parser *p)
{
    Query *q = ar_alloc(p->a, sizeof *q);
    q->pos = p->tok.pos;
    q->limit = -1;
    if (ps_accept_kw(p, "WITH")) {
        do {
            Cte *c = ar_alloc(p->a, sizeof *c);
            c->name = ps_name(p, "CTE name", "", &c->pos);
            ps_expect_kw(p, "AS", "after CTE name");
            c->query = ps_paren_query(p, "after AS");
            pv_push(p->a, &q->ctes, c);
        } while (ps_accept(p, TK_COMMA));
    }
    if (!ps_is(p, "SELECT") && p->tok.kind != TK_LPAREN) ps_expected(p, "SELECT", "");
    Query *whole = ps_union_term(p, q, 1);
    if (whole) {
        if (ps_is(p, "UNION")) ps_fail(p, p->tok.pos, NULL, "a UNION branch must be a single SELECT without ORDER BY or LIMIT");
        if (q->ctes.n) whole->ctes = q->ctes; /* WITH x AS (...) (SELECT ... ORDER BY ...) */
        q = whole;
    }
    while (ps_accept_kw(p, "UNION")) {
        int all = ps_accept_kw(p, "ALL");
        if (!all) ps_accept_kw(p, "DISTINCT");
        pv_push(p->a, &q->union_all, (void *)(intptr_t)all);
        ps_union_term(p, q, 0);
    }
    if (ps_accept_kw(p, "ORDER")) {
        ps_expect_kw(p, "BY", "after ORDER");
        ps_order_list(p, &q->order_by);
    }
    if (ps_accept_kw(p, "LIMIT")) {
        if (p->tok.kind != TK_INT) ps_expected(p, "row count", "after LIMIT");
        q->limit = p->tok.ival;
        ps_advance(p);
    }
    if (ps_is(p, "EMIT")) {
        Select *s = q->selects.v[q->selects.n - 1];
        if (q->selects.n > 1 || s->emit != EMIT_DEFAULT)
            ps_fail(p, p->tok.pos, NULL, "EMIT after ORDER BY or LIMIT needs a single SELECT without EMIT");
        ps_advance(p);
        ps_emit(p, s);
    }
    return q;
}

/* ---- statements ----------------------------------------------------------- */

/* A property key or value: 'string', a dotted word, a number, TRUE/FALSE. */
static const char *ps_prop_atom(Parser *p, const char *what, const char *ctx)
{
    const Token *t = &p->tok;
    const char *s;
    if (t->kind == TK_STRING || t->kind == TK_QIDENT) {
        s = t->sval;
        ps_advance(p);
        return s;
    }
    if (t->kind == TK_INT || t->kind == TK_DEC || t->kind == TK_DOUBLE) {
        s = ar_strndup(p->a, t->p, t->n);
        ps_advance(p);
        return s;
    }
    if (t->kind != TK_IDENT) ps_expected(p, what, ctx);
    if (ps_is(p, "TRUE") || ps_is(p, "FALSE")) {
        s = ps_is(p, "TRUE") ? "true" : "false";
        ps_advance(p);
        return s;
    }
    s = t->sval;
    ps_advance(p);
    while (p->tok.kind == TK_DOT && ps_peek(p)->kind == TK_IDENT) {
        ps_advance(p);
        s = ar_printf(p->a, "%s.%s", s, p->tok.sval);
        ps_advance(p);
    }
    return s;
}

/* WITH ( key = value, ... ); WITH is consumed. Appends to out. */
static void ps_props(Parser *p, PtrVec *out)
{
    ps_expect(p, TK_LPAREN, "after WITH");
    do {
        Property *pr = ar_alloc(p->a, sizeof *pr);
        pr->pos = p->tok.pos;
        pr->key = ps_prop_atom(p, "property name", "in WITH");
        ps_expect(p, TK_EQ, "after property name");
        pr->value = ps_prop_atom(p, "property value", "after '='");
        pv_push(p->a, out, pr);
    } while (ps_accept(p, TK_COMMA));
    ps_expect(p, TK_RPAREN, "after properties");
}

static void ps_opt_props(Parser *p, Stmt *s)
{
    if (ps_is(p, "WITH") && ps_peek(p)->kind == TK_LPAREN) {
        ps_advance(p);
        ps_props(p, &s->props);
    }
}

/* PRIMARY KEY (a, b) as a table constraint: marks the named columns. */
static void ps_pk_constraint(Parser *p, Stmt *s)
{
    ps_expect(p, TK_LPAREN, "after PRIMARY KEY");
    do {
        SrcPos pos;
        const char *name = ps_name(p, "column name", "in PRIMARY KEY", &pos);
        int found = 0;
        const char *names[64];
        int nn = 0;
        for (int i = 0; i < s->columns.n; i++) {
            ColumnDef *c = s->columns.v[i];
            if (strcasecmp(c->name, name) == 0) c->primary_key = found = 1;
            if (nn < 64) names[nn++] = c->name;
        }
        if (!found) diag_error(p->d, pos, diag_suggest(name, names, nn), "PRIMARY KEY names unknown column '%s'", name);
    } while (ps_accept(p, TK_COMMA));
    ps_expect(p, TK_RPAREN, "after PRIMARY KEY columns");
}

static void ps_columns(Parser *p, Stmt *s)
{
    do {
        if (ps_accept_kw(p, "PRIMARY")) {
            ps_expect_kw(p, "KEY", "after PRIMARY");
            ps_pk_constraint(p, s);
            continue;
        }
        ColumnDef *c = ar_alloc(p->a, sizeof *c);
        c->name = ps_name(p, "column name", "", &c->pos);
        c->type = ps_type(p);
        if (ps_accept_kw(p, "PRIMARY")) {
            ps_expect_kw(p, "KEY", "after PRIMARY");
            c->primary_key = 1;
        } else if (ps_accept_kw(p, "KEY")) {
            c->primary_key = 1; /* ksqlDB spelling */
        }
        pv_push(p->a, &s->columns, c);
    } while (ps_accept(p, TK_COMMA));
    ps_expect(p, TK_RPAREN, "after column list");
}

static Stmt *ps_stmt_new(Parser *p, StmtKind k, SrcPos pos)
{
    Stmt *s = ar_alloc(p->a, sizeof *s);
    s->kind = k;
    s->pos = pos;
    return s;
}

static Stmt *ps_create(Parser *p, SrcPos pos)
{
    Stmt *s = ps_stmt_new(p, S_CREATE_SOURCE, pos);
    if (ps_accept_kw(p, "OR")) ps_expect_kw(p, "REPLACE", "after CREATE OR");
    if (ps_accept_kw(p, "TABLE")) s->is_table = 1;
    else if (!ps_accept_kw(p, "STREAM")) ps_expected(p, "STREAM or TABLE", "after CREATE");
    const char *what = s->is_table ? "table" : "stream";
    s->name = ps_name(p, ar_printf(p->a, "%s name", what), "", &s->name_pos);
    if (ps_accept(p, TK_LPAREN)) {
        ps_columns(p, s);
        ps_opt_props(p, s);
        return s;
    }
    s->kind = S_CREATE_AS;
    ps_opt_props(p, s);
    if (!ps_accept_kw(p, "AS")) ps_expected(p, s->props.n ? "AS" : "'(' or AS", ar_printf(p->a, "after %s name", what));
    s->query = ps_query(p);
    ps_opt_props(p, s);
    return s;
}

static Stmt *ps_insert(Parser *p, SrcPos pos)
{
    Stmt *s = ps_stmt_new(p, S_INSERT, pos);
    ps_expect_kw(p, "INTO", "after INSERT");
    s->name = ps_name(p, "sink name", "after INSERT INTO", &s->name_pos);
    s->query = ps_query(p);
    ps_opt_props(p, s);
    return s;
}

/* ON/OFF/TRUE/FALSE after an EXPLAIN option; absent means on. */
static int ps_explain_flag(Parser *p)
{
    if (ps_accept_kw(p, "OFF") || ps_accept_kw(p, "FALSE")) return 0;
    if (!ps_accept_kw(p, "ON")) ps_accept_kw(p, "TRUE");
    return 1;
}

static Stmt *ps_explain(Parser *p, SrcPos pos)
{
    Stmt *s = ps_stmt_new(p, S_EXPLAIN, pos);
    if (ps_accept_kw(p, "ANALYZE")) s->analyze = 1;
    if (p->tok.kind == TK_LPAREN && !ps_starts_query(ps_peek(p))) {
        ps_advance(p);
        do {
            if (ps_accept_kw(p, "ANALYZE")) s->analyze = ps_explain_flag(p);
            else if (ps_accept_kw(p, "COSTS")) s->costs_off = !ps_explain_flag(p);
            else ps_expected(p, "ANALYZE or COSTS", "in EXPLAIN options");
        } while (ps_accept(p, TK_COMMA));
        ps_expect(p, TK_RPAREN, "after EXPLAIN options");
    }
    if (ps_is(p, "EXPLAIN")) ps_fail(p, p->tok.pos, NULL, "EXPLAIN cannot be nested");
    s->inner = ps_statement(p);
    return s;
}

/* 'name' or name after SHOW TOPIC DETAILS / SHOW JOB STATUS / ON NODE */
static const char *ps_show_arg(Parser *p, const char *ctx)
{
    if (p->tok.kind == TK_STRING) {
        const char *s = p->tok.sval;
        ps_advance(p);
        return s;
    }
    return ps_name(p, "name", ctx, NULL);
}

static Stmt *ps_show(Parser *p, SrcPos pos)
{
    static const char *const lists[] = {"FUNCTIONS", "STREAMS", "TABLES", "TOPICS", "JOBS"};
    static const char *const all[] = {"FUNCTIONS", "STREAMS", "TABLES", "TOPICS", "JOBS", "TOPIC", "JOB"};
    Stmt *s = ps_stmt_new(p, S_SHOW, pos);
    for (int i = 0; i < PS_COUNT(lists); i++) {
        if (!ps_accept_kw(p, lists[i])) continue;
        s->show_what = lists[i];
        if (ps_accept_kw(p, "LIKE")) {
            if (p->tok.kind != TK_STRING) ps_expected(p, "pattern string", "after LIKE");
            s->show_like = p->tok.sval;
            ps_advance(p);
        }
        if (ps_is(p, "WITH") && lx_is(ps_peek(p), "SCHEMAS")) {
            ps_advance(p);
            ps_advance(p);
            s->show_with_schemas = 1;
        }
        if (i == 4 && ps_accept_kw(p, "ON")) {
            ps_expect_kw(p, "NODE", "after SHOW JOBS ON");
            s->name = ps_show_arg(p, "after ON NODE");
        }
        return s;
    }
    if (ps_accept_kw(p, "TOPIC")) {
        ps_expect_kw(p, "DETAILS", "after SHOW TOPIC");
        s->show_what = "TOPIC DETAILS";
        s->name = ps_show_arg(p, "after SHOW TOPIC DETAILS");
    } else if (ps_accept_kw(p, "JOB")) {
        ps_expect_kw(p, "STATUS", "after SHOW JOB");
        s->show_what = "JOB STATUS";
        s->name = ps_show_arg(p, "after SHOW JOB STATUS");
    } else {
        const char *hint = p->tok.kind == TK_IDENT ? diag_suggest(p->tok.sval, all, PS_COUNT(all)) : NULL;
        ps_fail(p, ps_here(p), hint, "expected FUNCTIONS, STREAMS, TABLES, TOPICS, JOBS, TOPIC DETAILS or JOB STATUS after SHOW, found %s",
                ps_found(p));
    }
    return s;
}

static Stmt *ps_statement(Parser *p)
{
    SrcPos pos = p->tok.pos;
    if (ps_starts_query(&p->tok) || p->tok.kind == TK_LPAREN) {
        Stmt *s = ps_stmt_new(p, S_SELECT, pos);
        s->query = ps_query(p);
        ps_opt_props(p, s);
        return s;
    }
    if (ps_accept_kw(p, "CREATE")) return ps_create(p, pos);
    if (ps_accept_kw(p, "INSERT")) return ps_insert(p, pos);
    if (ps_accept_kw(p, "EXPLAIN")) return ps_explain(p, pos);
    if (ps_accept_kw(p, "SHOW")) return ps_show(p, pos);
    if (ps_accept_kw(p, "DESCRIBE")) {
        Stmt *s = ps_stmt_new(p, S_DESCRIBE, pos);
        s->name = ps_name(p, "stream or table name", "after DESCRIBE", &s->name_pos);
        return s;
    }
    const char *hint = p->tok.kind == TK_IDENT ? diag_suggest(p->tok.sval, ps_stmt_words, PS_COUNT(ps_stmt_words)) : NULL;
    ps_fail(p, ps_here(p), hint, "expected a statement (SELECT, CREATE, INSERT, ...), found %s", ps_found(p));
}

/* After an error: drop tokens up to and including the next ';'. */
static void ps_recover(Parser *p)
{
    while (p->tok.kind != TK_SEMI && p->tok.kind != TK_EOF) ps_advance(p);
    ps_accept(p, TK_SEMI);
}

int ps_parse_script(Arena *a, Diag *d, Script *out)
{
    /* In the arena, not on the stack: the parser state must survive longjmp
     * with defined values. */
    Parser *p = ar_alloc(a, sizeof *p);
    int before = d->nerrors;
    p->a = a;
    p->d = d;
    lx_init(&p->lx, a, d, out->text, out->len);
    lx_next(&p->lx, &p->tok);
    for (;;) {
        while (ps_accept(p, TK_SEMI)) {}
        if (p->tok.kind == TK_EOF) break;
        p->nesting = 0; /* a failed statement unwound without decrementing */
        if (setjmp(p->fail) == 0) {
            Stmt *s = ps_statement(p);
            if (p->tok.kind != TK_SEMI && p->tok.kind != TK_EOF) ps_expected(p, "';'", "after statement");
            pv_push(a, &out->stmts, s);
        } else {
            ps_recover(p);
        }
    }
    return d->nerrors - before;
}
