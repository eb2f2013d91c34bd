/*
 * lexer.c -- SQL tokenizer (see lexer.h). Works on a byte range, not a C
 * string: string literals may hold any byte, NUL included, and the length of
 * every literal is kept.
 */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void lx_init(Lexer *lx, Arena *a, Diag *d, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->a = a;
    lx->d = d;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
}

static int lx_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Bytes >= 0x80 count as letters so UTF-8 identifiers work. */
static int lx_is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int lx_is_ident_char(int c)
{
    return lx_is_ident_start(c) || lx_is_digit(c);
}

static int lx_peek(const Lexer *lx, size_t ahead)
{
    size_t i = lx->off + ahead;
    return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

static SrcPos lx_pos(const Lexer *lx)
{
    SrcPos p = {lx->line, (int)(lx->off - lx->line_start) + 1, (int)lx->off};
    return p;
}

/* Advance one byte, keeping line accounting right across newlines. */
static void lx_advance(Lexer *lx)
{
    if (lx->src[lx->off] == '\n') {
        lx->line++;
        lx->line_start = lx->off + 1;
    }
    lx->off++;
}

/* Skip blanks and comments; 0 ok, -1 on an unterminated block comment. */
static int lx_skip_space(Lexer *lx)
{
    for (;;) {
        int c = lx_peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            lx_advance(lx);
        } else if (c == '-' && lx_peek(lx, 1) == '-') {
            while (lx->off < lx->len && lx->src[lx->off] != '\n') lx->off++;
        } else if (c == '/' && lx_peek(lx, 1) == '*') {
            SrcPos start = lx_pos(lx);
            lx->off += 2;
            while (lx->off < lx->len && !(lx_peek(lx, 0) == '*' && lx_peek(lx, 1) == '/')) lx_advance(lx);
            if (lx->off >= lx->len) {
                diag_error(lx->d, start, NULL, "unterminated /* comment");
                return -1;
            }
            lx->off += 2;
        } else {
            return 0;
        }
    }
}

/* A quoted literal or identifier: q is the quote byte, doubled to escape it. */
static void lx_quoted(Lexer *lx, Token *t, int q)
{
    char *buf = ar_alloc(lx->a, lx->len - lx->off + 1); /* the decoded text is never longer */
    size_t n = 0;
    lx->off++;
    for (;;) {
        if (lx->off >= lx->len) {
            diag_error(lx->d, t->pos, NULL, "unterminated %s", q == '\'' ? "string literal" : "quoted identifier");
            t->kind = TK_ERROR;
            return;
        }
        if (lx_peek(lx, 0) == q) {
            if (lx_peek(lx, 1) != q) break;
            lx->off++;
        }
        buf[n++] = lx->src[lx->off];
        lx_advance(lx);
    }
    lx->off++;
    buf[n] = 0;
    t->sval = buf;
    t->slen = n;
    t->kind = q == '\'' ? TK_STRING : TK_QIDENT;
    if (t->kind == TK_QIDENT && n == 0) {
        diag_error(lx->d, t->pos, NULL, "empty quoted identifier");
        t->kind = TK_ERROR;
    }
}

/* Microseconds per duration-shorthand unit, 0 if u is not one. */
static int64_t lx_unit_us(const char *u, size_t n)
{
    static const struct {
        const char *name;
        int64_t us;
    } units[] = {
        {"us", 1}, {"ms", 1000}, {"s", 1000000}, {"m", 60000000}, {"h", 3600000000LL}, {"d", 86400000000LL},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && strncmp(units[i].name, u, n) == 0) return units[i].us;
    return 0;
}

/* Fill a DEC token from digits "int.frac", or a DOUBLE when more than 18
 * significant digits would not fit a DECIMAL(18). */
static void lx_decimal(Lexer *lx, Token *t, const char *ip, size_t ni, const char *fp, size_t nf)
{
    while (ni > 0 && *ip == '0') ip++, ni--;
    if (ni + nf > 18) {
        t->kind = TK_DOUBLE;
        t->dval = strtod(ar_strndup(lx->a, t->p, t->n), NULL);
        return;
    }
    int64_t v = 0;
    for (size_t i = 0; i < ni; i++) v = v * 10 + (ip[i] - '0');
    for (size_t i = 0; i < nf; i++) v = v * 10 + (fp[i] - '0');
    t->kind = TK_DEC;
    t->ival = v;
    t->scale = (int)nf;
}

static void lx_number(Lexer *lx, Token *t)
{
    const char *s = lx->src;
    size_t start = lx->off, ni, nf = 0;
    while (lx_is_digit(lx_peek(lx, 0))) lx->off++;
    ni = lx->off - start;
    int is_frac = 0, is_exp = 0;
    if (lx_peek(lx, 0) == '.' && lx_is_digit(lx_peek(lx, 1))) {
        is_frac = 1;
        lx->off++;
        while (lx_is_digit(lx_peek(lx, 0))) lx->off++, nf++;
    }
    int c = lx_peek(lx, 0);
    if ((c == 'e' || c == 'E') &&
        (lx_is_digit(lx_peek(lx, 1)) || ((lx_peek(lx, 1) == '+' || lx_peek(lx, 1) == '-') && lx_is_digit(lx_peek(lx, 2))))) {
        is_exp = 1;
        lx->off += 2;
        while (lx_is_digit(lx_peek(lx, 0))) lx->off++;
    }
    size_t num_end = lx->off;
    while (lx_is_ident_char(lx_peek(lx, 0))) lx->off++;
    t->p = s + start;
    t->n = lx->off - start;
    int64_t unit = 0;
    if (lx->off > num_end) {
        unit = lx_unit_us(s + num_end, lx->off - num_end);
        if (!unit || is_frac || is_exp) {
            diag_error(lx->d, t->pos, NULL, "invalid number '%.*s'", (int)t->n, t->p);
            t->kind = TK_ERROR;
            return;
        }
    }
    if (is_exp) {
        t->kind = TK_DOUBLE;
        t->dval = strtod(ar_strndup(lx->a, t->p, t->n), NULL);
        return;
    }
    if (is_frac) {
        lx_decimal(lx, t, s + start, ni, s + start + ni + 1, nf);
        return;
    }
    uint64_t v = 0;
    int overflow = 0;
    for (size_t i = start; i < start + ni; i++) {
        if (v > (UINT64_C(9223372036854775807) - (uint64_t)(s[i] - '0')) / 10) overflow = 1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (unit) {
        if (overflow || v > (uint64_t)INT64_MAX / (uint64_t)unit) {
            diag_error(lx->d, t->pos, NULL, "duration '%.*s' is out of range", (int)t->n, t->p);
            t->kind = TK_ERROR;
            return;
        }
        t->kind = TK_DURATION;
        t->ival = (int64_t)v * unit;
    } else if (overflow) {
        t->kind = TK_DOUBLE;
        t->dval = strtod(ar_strndup(lx->a, t->p, t->n), NULL);
    } else {
        t->kind = TK_INT;
        t->ival = (int64_t)v;
    }
}

/* Operators and punctuation; returns 0 if c starts none of them. */
static int lx_operator(Lexer *lx, Token *t)
{
    static const struct {
        const char *s;
        TokKind k;
    } ops[] = {
        {"||", TK_CONCAT}, {"==", TK_EQ},    {"!=", TK_NE},    {"<>", TK_NE},   {"<=", TK_LE},     {">=", TK_GE}, {"::", TK_CAST},
        {"+", TK_PLUS},    {"-", TK_MINUS},  {"*", TK_STAR},   {"/", TK_SLASH}, {"%", TK_PERCENT}, {"=", TK_EQ},  {"<", TK_LT},
        {">", TK_GT},      {"(", TK_LPAREN}, {")", TK_RPAREN}, {",", TK_COMMA}, {";", TK_SEMI},    {".", TK_DOT},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].s);
        if (lx->len - lx->off >= n && memcmp(lx->src + lx->off, ops[i].s, n) == 0) {
            t->kind = ops[i].k;
            lx->off += n;
            return 1;
        }
    }
    return 0;
}

void lx_next(Lexer *lx, Token *t)
{
    memset(t, 0, sizeof *t);
    int bad_comment = lx_skip_space(lx);
    t->pos = lx_pos(lx);
    t->p = lx->src + lx->off;
    if (bad_comment) {
        t->kind = TK_ERROR;
        return;
    }
    if (lx->off >= lx->len) {
        t->kind = TK_EOF;
        return;
    }
    int c = lx_peek(lx, 0);
    if (lx_is_digit(c) || (c == '.' && lx_is_digit(lx_peek(lx, 1)))) {
        lx_number(lx, t);
        return;
    }
    if (lx_is_ident_start(c)) {
        while (lx_is_ident_char(lx_peek(lx, 0))) lx->off++;
        t->kind = TK_IDENT;
        t->sval = ar_strndup(lx->a, t->p, lx->off - (size_t)t->pos.off);
        t->slen = lx->off - (size_t)t->pos.off;
    } else if (c == '\'' || c == '"') {
        lx_quoted(lx, t, c);
    } else if (!lx_operator(lx, t)) {
        if (c >= 0x20 && c < 0x7f) diag_error(lx->d, t->pos, NULL, "unexpected character '%c'", c);
        else diag_error(lx->d, t->pos, NULL, "unexpected byte 0x%02x", c);
        t->kind = TK_ERROR;
        lx->off++;
    }
    t->n = lx->off - (size_t)t->pos.off;
}

int lx_is(const Token *t, const char *kw)
{
    return t->kind == TK_IDENT && t->slen == strlen(kw) && strcasecmp(t->sval, kw) == 0;
}

const char *lx_kind_name(TokKind k)
{
    static const char *const names[] = {
        [TK_EOF] = "end of input",
        [TK_ERROR] = "invalid token",
        [TK_IDENT] = "identifier",
        [TK_QIDENT] = "quoted identifier",
        [TK_STRING] = "string literal",
        [TK_INT] = "integer",
        [TK_DEC] = "decimal number",
        [TK_DOUBLE] = "number",
        [TK_DURATION] = "duration",
        [TK_PLUS] = "'+'",
        [TK_MINUS] = "'-'",
        [TK_STAR] = "'*'",
        [TK_SLASH] = "'/'",
        [TK_PERCENT] = "'%'",
        [TK_CONCAT] = "'||'",
        [TK_EQ] = "'='",
        [TK_NE] = "'<>'",
        [TK_LT] = "'<'",
        [TK_LE] = "'<='",
        [TK_GT] = "'>'",
        [TK_GE] = "'>='",
        [TK_LPAREN] = "'('",
        [TK_RPAREN] = "')'",
        [TK_COMMA] = "','",
        [TK_SEMI] = "';'",
        [TK_DOT] = "'.'",
        [TK_CAST] = "'::'",
    };
    if ((int)k < 0 || (size_t)k >= sizeof names / sizeof names[0]) return "token";
    return names[k];
}
