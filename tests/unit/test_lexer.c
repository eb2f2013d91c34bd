/*
 * test_lexer.c -- the SQL tokenizer: token kinds, positions, literal values,
 * escapes, NUL bytes in strings, duration shorthand and lexical errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

typedef struct Fix {
    Arena a;
    Diag d;
    Lexer lx;
    char *buf;
    size_t len;
} Fix;

static void fx_open(Fix *f, const char *src, size_t n)
{
    ar_init(&f->a);
    diag_init(&f->d, "t.sql", src, n);
    f->d.out = open_memstream(&f->buf, &f->len);
    lx_init(&f->lx, &f->a, &f->d, src, n);
}

static const char *fx_out(Fix *f)
{
    fflush(f->d.out);
    return f->buf;
}

static void fx_close(Fix *f)
{
    fclose(f->d.out);
    free(f->buf);
    ar_free(&f->a);
}

static Token fx_next(Fix *f)
{
    Token t;
    lx_next(&f->lx, &t);
    return t;
}

static void test_operators(void **state)
{
    (void)state;
    const char *src = "+ - * / % || = == != <> < <= > >= ( ) , ; . ::";
    TokKind want[] = {TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,  TK_PERCENT, TK_CONCAT, TK_EQ,   TK_EQ,  TK_NE,   TK_NE, TK_LT,
                      TK_LE,   TK_GT,    TK_GE,   TK_LPAREN, TK_RPAREN,  TK_COMMA,  TK_SEMI, TK_DOT, TK_CAST, TK_EOF};
    Fix f;
    fx_open(&f, src, strlen(src));
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) assert_int_equal(fx_next(&f).kind, want[i]);
    assert_int_equal(f.d.nerrors, 0);
    fx_close(&f);
}

static void test_identifiers_and_keywords(void **state)
{
    (void)state;
    const char *src = "select _WINDOW_START a1 \"Mixed Case\" \"say \"\"hi\"\"\" From";
    Fix f;
    fx_open(&f, src, strlen(src));
    Token t = fx_next(&f);
    assert_int_equal(t.kind, TK_IDENT);
    assert_true(lx_is(&t, "SELECT"));
    assert_false(lx_is(&t, "SELECTS"));
    assert_string_equal(t.sval, "select");
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_IDENT);
    assert_string_equal(t.sval, "_WINDOW_START");
    t = fx_next(&f);
    assert_string_equal(t.sval, "a1");
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_QIDENT);
    assert_string_equal(t.sval, "Mixed Case");
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_QIDENT);
    assert_string_equal(t.sval, "say \"hi\"");
    assert_false(lx_is(&t, "say \"hi\""));
    t = fx_next(&f);
    assert_true(lx_is(&t, "from"));
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    fx_close(&f);
}

static void test_positions(void **state)
{
    (void)state;
    const char *src = "SELECT a,\n\tb -- comment ; x\n/* multi\nline */ c";
    Fix f;
    fx_open(&f, src, strlen(src));
    Token t = fx_next(&f);
    assert_int_equal(t.pos.line, 1);
    assert_int_equal(t.pos.col, 1);
    t = fx_next(&f);
    assert_int_equal(t.pos.col, 8);
    assert_int_equal(t.pos.off, 7);
    t = fx_next(&f); /* , */
    assert_int_equal(t.pos.col, 9);
    t = fx_next(&f); /* b after a tab: byte column 2 */
    assert_string_equal(t.sval, "b");
    assert_int_equal(t.pos.line, 2);
    assert_int_equal(t.pos.col, 2);
    t = fx_next(&f); /* c after the comments */
    assert_string_equal(t.sval, "c");
    assert_int_equal(t.pos.line, 4);
    assert_int_equal(t.pos.col, 9);
    assert_int_equal(t.pos.off, (int)(strrchr(src, 'c') - src));
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    fx_close(&f);
}

static void test_numbers(void **state)
{
    (void)state;
    const char *src = "42 12.50 0.001 1e3 2.5E-2 .5 9223372036854775807 99999999999999999999 "
                      "1234567890.123456789";
    Fix f;
    fx_open(&f, src, strlen(src));
    Token t = fx_next(&f);
    assert_int_equal(t.kind, TK_INT);
    assert_int_equal(t.ival, 42);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_DEC);
    assert_int_equal(t.ival, 1250);
    assert_int_equal(t.scale, 2);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_DEC);
    assert_int_equal(t.ival, 1);
    assert_int_equal(t.scale, 3);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_DOUBLE);
    assert_true(t.dval == 1000.0);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_DOUBLE);
    assert_true(t.dval == 0.025);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_DEC);
    assert_int_equal(t.ival, 5);
    assert_int_equal(t.scale, 1);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_INT);
    assert_true(t.ival == INT64_MAX);
    t = fx_next(&f); /* too big for BIGINT */
    assert_int_equal(t.kind, TK_DOUBLE);
    assert_true(t.dval > 9.9e19);
    t = fx_next(&f); /* 19 significant digits: not a DECIMAL(18) */
    assert_int_equal(t.kind, TK_DOUBLE);
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    assert_int_equal(f.d.nerrors, 0);
    fx_close(&f);
}

static void test_durations(void **state)
{
    (void)state;
    const char *src = "100ms 30s 5m 1h 1d 7us";
    int64_t want[] = {100000, 30000000, 300000000, 3600000000LL, 86400000000LL, 7};
    Fix f;
    fx_open(&f, src, strlen(src));
    for (int i = 0; i < 6; i++) {
        Token t = fx_next(&f);
        assert_int_equal(t.kind, TK_DURATION);
        assert_true(t.ival == want[i]);
    }
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    fx_close(&f);
}

static void test_bad_number(void **state)
{
    (void)state;
    const char *src = "SELECT 5min, 1.5s";
    Fix f;
    fx_open(&f, src, strlen(src));
    fx_next(&f);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(fx_next(&f).kind, TK_COMMA);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(f.d.nerrors, 2);
    assert_string_equal(fx_out(&f), "t.sql:1:8: error: invalid number '5min'\nSELECT 5min, 1.5s\n       ^\n"
                                    "t.sql:1:14: error: invalid number '1.5s'\nSELECT 5min, 1.5s\n             ^\n");
    fx_close(&f);
}

static void test_strings(void **state)
{
    (void)state;
    const char src[] = "'it''s' '' 'two\nlines' 'a\0b' x";
    Fix f;
    fx_open(&f, src, sizeof src - 1);
    Token t = fx_next(&f);
    assert_int_equal(t.kind, TK_STRING);
    assert_string_equal(t.sval, "it's");
    assert_int_equal(t.slen, 4);
    t = fx_next(&f);
    assert_int_equal(t.kind, TK_STRING);
    assert_int_equal(t.slen, 0);
    t = fx_next(&f);
    assert_int_equal(t.slen, 9);
    assert_memory_equal(t.sval, "two\nlines", 9);
    t = fx_next(&f);
    assert_int_equal(t.slen, 3);
    assert_memory_equal(t.sval, "a\0b", 3);
    t = fx_next(&f); /* line accounting survived the newline inside the string */
    assert_int_equal(t.pos.line, 2);
    assert_int_equal(t.pos.col, 14);
    assert_int_equal(f.d.nerrors, 0);
    fx_close(&f);
}

static void test_unterminated_string(void **state)
{
    (void)state;
    const char *src = "SELECT 'abc\nFROM t";
    Fix f;
    fx_open(&f, src, strlen(src));
    fx_next(&f);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    assert_int_equal(f.d.nerrors, 1);
    assert_string_equal(fx_out(&f), "t.sql:1:8: error: unterminated string literal\nSELECT 'abc\n       ^\n");
    fx_close(&f);
}

static void test_unterminated_identifier_and_comment(void **state)
{
    (void)state;
    const char *src = "\"abc";
    Fix f;
    fx_open(&f, src, strlen(src));
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_string_equal(fx_out(&f), "t.sql:1:1: error: unterminated quoted identifier\n\"abc\n^\n");
    fx_close(&f);

    const char *src2 = "a /* never\nclosed";
    fx_open(&f, src2, strlen(src2));
    assert_int_equal(fx_next(&f).kind, TK_IDENT);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(fx_next(&f).kind, TK_EOF);
    assert_string_equal(fx_out(&f), "t.sql:1:3: error: unterminated /* comment\na /* never\n  ^\n");
    fx_close(&f);
}

static void test_bad_characters(void **state)
{
    (void)state;
    const char src[] = "a @ b \x01 ? c";
    Fix f;
    fx_open(&f, src, sizeof src - 1);
    assert_int_equal(fx_next(&f).kind, TK_IDENT);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(fx_next(&f).kind, TK_IDENT);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    Token t = fx_next(&f);
    assert_string_equal(t.sval, "c");
    assert_int_equal(t.pos.col, 11);
    assert_int_equal(f.d.nerrors, 3);
    assert_non_null(strstr(fx_out(&f), "t.sql:1:3: error: unexpected character '@'\n"));
    assert_non_null(strstr(fx_out(&f), "t.sql:1:7: error: unexpected byte 0x01\n"));
    fx_close(&f);
}

static void test_empty_quoted_identifier(void **state)
{
    (void)state;
    Fix f;
    fx_open(&f, "\"\"", 2);
    assert_int_equal(fx_next(&f).kind, TK_ERROR);
    assert_int_equal(f.d.nerrors, 1);
    fx_close(&f);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(lx_kind_name(TK_RPAREN), "')'");
    assert_string_equal(lx_kind_name(TK_EOF), "end of input");
    assert_string_equal(lx_kind_name(TK_CAST), "'::'");
    assert_string_equal(lx_kind_name(TK_STRING), "string literal");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_identifiers_and_keywords),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_bad_number),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_unterminated_string),
        cmocka_unit_test(test_unterminated_identifier_and_comment),
        cmocka_unit_test(test_bad_characters),
        cmocka_unit_test(test_empty_quoted_identifier),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
