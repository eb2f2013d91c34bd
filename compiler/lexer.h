/*
 * lexer.h -- the SQL tokenizer. It turns the script text into tokens one at a
 * time for the parser. Keywords are not separate token kinds: they are plain
 * identifiers that the parser matches case-insensitively (lx_is), so a word
 * that is a keyword in one place can still name a column in another.
 */
#ifndef LEXER_H
#define LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

typedef enum TokKind {
    TK_EOF,
    TK_ERROR,    /* bad input, already reported */
    TK_IDENT,    /* word or keyword; sval = text as written */
    TK_QIDENT,   /* "double-quoted" identifier; sval = unescaped, case kept */
    TK_STRING,   /* 'literal'; sval/slen = unescaped bytes (may hold NUL) */
    TK_INT,      /* ival */
    TK_DEC,      /* ival unscaled, scale */
    TK_DOUBLE,   /* dval */
    TK_DURATION, /* 100ms 30s 5m 1h 1d: ival = µs */
    TK_PLUS,
    TK_MINUS,
    TK_STAR,
    TK_SLASH,
    TK_PERCENT,
    TK_CONCAT,
    TK_EQ,
    TK_NE,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_LPAREN,
    TK_RPAREN,
    TK_COMMA,
    TK_SEMI,
    TK_DOT,
    TK_CAST,
} TokKind;

typedef struct Token {
    TokKind kind;
    SrcPos pos;
    const char *p; /* raw text in the source */
    size_t n;
    const char *sval; /* decoded text (arena, NUL-terminated) */
    size_t slen;
    int64_t ival;
    int scale;
    double dval;
} Token;

typedef struct Lexer {
    Arena *a;
    Diag *d;
    const char *src;
    size_t len, off;
    int line;
    size_t line_start; /* offset of the first byte of the current line */
} Lexer;

void lx_init(Lexer *lx, Arena *a, Diag *d, const char *src, size_t len);
/* Scan the next token into t. Errors are reported to lx->d and yield TK_ERROR. */
void lx_next(Lexer *lx, Token *t);
/* Is t the (case-insensitive) word kw? Quoted identifiers never match. */
int lx_is(const Token *t, const char *kw);
/* How a token kind is spelled in messages: "')'", "identifier", ... */
const char *lx_kind_name(TokKind k);

#endif
