/*
 * test_diag.c -- diagnostics: message format, source line and caret, tab
 * handling, notes, edit distance and did-you-mean suggestions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Run diag calls against a memory stream and return what they printed. */
typedef struct Capture {
    Diag d;
    char *buf;
    size_t len;
} Capture;

static void cap_open(Capture *c, const char *text)
{
    diag_init(&c->d, "q.sql", text, strlen(text));
    c->d.out = open_memstream(&c->buf, &c->len);
}

static const char *cap_text(Capture *c)
{
    fflush(c->d.out);
    return c->buf;
}

static void cap_close(Capture *c)
{
    fclose(c->d.out);
    free(c->buf);
}

static void test_error_format(void **state)
{
    (void)state;
    Capture c;
    cap_open(&c, "SELECT a\nFROM t WHERE pirce > 1;\n");
    SrcPos pos = {2, 14, 22};
    diag_error(&c.d, pos, "price", "unknown column '%s'", "pirce");
    assert_string_equal(cap_text(&c), "q.sql:2:14: error: unknown column 'pirce' (did you mean 'price'?)\n"
                                      "FROM t WHERE pirce > 1;\n"
                                      "             ^\n");
    assert_int_equal(c.d.nerrors, 1);
    cap_close(&c);
}

static void test_error_no_hint_first_line(void **state)
{
    (void)state;
    Capture c;
    cap_open(&c, "SELEC 1");
    SrcPos pos = {1, 1, 0};
    diag_error(&c.d, pos, NULL, "bad");
    diag_error(&c.d, pos, NULL, "worse %d", 2);
    assert_string_equal(cap_text(&c), "q.sql:1:1: error: bad\nSELEC 1\n^\n"
                                      "q.sql:1:1: error: worse 2\nSELEC 1\n^\n");
    assert_int_equal(c.d.nerrors, 2);
    cap_close(&c);
}

static void test_error_tabs_and_crlf(void **state)
{
    (void)state;
    Capture c;
    cap_open(&c, "x\r\n\tSELECT\tzz\r\n");
    SrcPos pos = {2, 9, 11};
    diag_error(&c.d, pos, NULL, "here");
    assert_string_equal(cap_text(&c), "q.sql:2:9: error: here\n\tSELECT\tzz\n\t      \t^\n");
    cap_close(&c);
}

static void test_error_at_end_of_text(void **state)
{
    (void)state;
    Capture c;
    cap_open(&c, "SELECT");
    SrcPos pos = {1, 7, 6};
    diag_error(&c.d, pos, NULL, "expected an expression, found end of input");
    assert_string_equal(cap_text(&c), "q.sql:1:7: error: expected an expression, found end of input\n"
                                      "SELECT\n      ^\n");
    cap_close(&c);
}

static void test_note(void **state)
{
    (void)state;
    Capture c;
    cap_open(&c, "SELECT 1");
    SrcPos pos = {1, 8, 7};
    diag_note(&c.d, pos, "defined %s", "here");
    assert_string_equal(cap_text(&c), "q.sql:1:8: note: defined here\n");
    assert_int_equal(c.d.nerrors, 0);
    cap_close(&c);
}

static void test_init_defaults(void **state)
{
    (void)state;
    Diag d;
    diag_init(&d, NULL, "", 0);
    assert_ptr_equal(d.out, stderr);
    assert_string_equal(d.path, "<input>");
    assert_int_equal(d.nerrors, 0);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(diag_edit_distance("", ""), 0);
    assert_int_equal(diag_edit_distance("abc", ""), 3);
    assert_int_equal(diag_edit_distance("", "ab"), 2);
    assert_int_equal(diag_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(diag_edit_distance("price", "PRICE"), 0);
    /* adjacent transpositions cost 1 */
    assert_int_equal(diag_edit_distance("pirce", "price"), 1);
    assert_int_equal(diag_edit_distance("paeg", "page"), 1);
    assert_int_equal(diag_edit_distance("ab", "ba"), 1);
    assert_int_equal(diag_edit_distance("flaw", "lawn"), 2);
}

static void test_suggest(void **state)
{
    (void)state;
    const char *cols[] = {"trade_id", "symbol", "price", "qty", "ts"};
    assert_string_equal(diag_suggest("pirce", cols, 5), "price");
    assert_string_equal(diag_suggest("symbl", cols, 5), "symbol");
    assert_string_equal(diag_suggest("QTY", cols, 5), "qty");
    assert_string_equal(diag_suggest("tz", cols, 5), "ts");
    assert_null(diag_suggest("volume", cols, 5));
    assert_null(diag_suggest("x", cols, 0));
    /* threshold max(1, len/3): "tradeid" (7) allows 2 */
    assert_string_equal(diag_suggest("tradeid", cols, 5), "trade_id");
    const char *kw[] = {"SELECT", "CREATE"};
    assert_string_equal(diag_suggest("selct", kw, 2), "SELECT");
    assert_null(diag_suggest("sel", kw, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_error_no_hint_first_line),
        cmocka_unit_test(test_error_tabs_and_crlf),
        cmocka_unit_test(test_error_at_end_of_text),
        cmocka_unit_test(test_note),
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
