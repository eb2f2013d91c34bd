/*
 * test_json.c -- the JSON Lines and JSON document sources (value kinds,
 * escapes, skipping, malformed records) and JSON string escaping for writers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "velo_internal.h"
#include "file_test.h"

static const char *const cols[] = {"a", "b", "c", "d", "e"};

static velo_src *open_json(velo_rt *rt, const char *path, const char *fmt, const char *dl)
{
    const char *props[] = {"path", path, "format", fmt, "dead_letter.path", dl, NULL};
    if (!dl) props[4] = NULL;
    return vsrc_open(rt, 7, "j", props, 5, cols, NULL);
}

static void assert_field(const vfield *f, int kind, const char *text)
{
    assert_int_equal(f->kind, kind);
    if (text) {
        assert_int_equal(f->n, (i64)strlen(text));
        assert_memory_equal(f->p, text, strlen(text));
    }
}

static void test_kinds(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt,
                            wfile("k.jsonl", "{\"a\": \"x\", \"b\": -1.5e3, \"c\": true, \"d\": null, \"e\": {\"n\": [1, \"}\"]}}\n"
                                             "{\"c\": false, \"e\": [1,2]}\n"),
                            "jsonl", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "x");
    assert_field(&f[1], VF_NUM, "-1.5e3");
    assert_field(&f[2], VF_BOOL, "true");
    assert_field(&f[3], VF_NULL, NULL);
    assert_field(&f[4], VF_RAW, "{\"n\": [1, \"}\"]}");
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_NULL, NULL); /* missing key */
    assert_field(&f[2], VF_BOOL, "false");
    assert_field(&f[4], VF_RAW, "[1,2]");
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    assert_int_equal(velo_rt_finish(rt, 0), 0);
}

static void test_escapes(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt, wfile("esc.jsonl", "{\"a\": \"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9\\u20ac\\ud83d\\ude00\", \"b\": \"plain\"}\n"),
                            "jsonl", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "q\"b\\s/n\nt\tu\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    assert_field(&f[1], VF_TEXT, "plain");
    /* without escapes the value points into the read buffer: no copy */
    assert_true(f[1].p > rt->priv->rec_raw && f[1].p < rt->priv->rec_raw + rt->priv->rec_raw_n);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_keys_case_escape_duplicate(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt, wfile("keys.jsonl", "{\"A\": 1, \"\\u0062\": 2, \"c\": 3, \"c\": 4, \"zz\": {\"a\": 9}}\n"), "jsonl", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_NUM, "1");
    assert_field(&f[1], VF_NUM, "2");
    assert_field(&f[2], VF_NUM, "4"); /* last duplicate wins */
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_blank_lines_crlf_and_line_numbers(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt, wfile("crlf.jsonl", "\r\n{\"a\":\"1\"}\r\n   \n{\"a\":\"2\"}"), "jsonl", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_int_equal(rt->priv->rec_line, 2);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "2");
    assert_int_equal(rt->priv->rec_line, 4);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_malformed_dead_letter(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const char *dl = tpath("dl.jsonl");
    velo_src *s =
        open_json(rt, wfile("bad.jsonl", "{\"a\": 1, \"b\" 2}\n{\"a\": \"ok\"}\n[1]\n{\"a\": \"\\ud800\"}\n{\"a\": 1} x\n{\"a\": tru}\n"),
                  "jsonl", dl);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "ok");
    assert_int_equal(vsrc_next(s, f), 0);
    assert_int_equal(rt->priv->stats->bad, 5);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    char *txt = slurp(dl);
    assert_non_null(strstr(txt, "\"line\":1,\"operator\":7,"
                                "\"error\":\"invalid JSON at column 14: expected ':' after a key\","
                                "\"raw\":\"{\\\"a\\\": 1, \\\"b\\\" 2}\"}"));
    assert_non_null(strstr(txt, "\"line\":3,\"operator\":7,\"error\":\"invalid JSON at column 1: expected '{'\""));
    assert_non_null(strstr(txt, "unpaired surrogate"));
    assert_non_null(strstr(txt, "column 10: unexpected text after the object"));
    assert_non_null(strstr(txt, "\"line\":6,\"operator\":7,\"error\":\"invalid JSON at column 7: invalid literal\""));
    free(txt);
}

static void test_long_line(void **state)
{
    (void)state;
    size_t big = (1u << 20) + 12345;
    velo_buf b = {0};
    vbuf_puts(&b, "{\"skip\": [\"");
    for (size_t i = 0; i < big; i++) vbuf_putc(&b, i % 7 ? 'x' : '{');
    vbuf_puts(&b, "\"], \"a\": \"");
    for (size_t i = 0; i < big; i++) vbuf_putc(&b, 'y');
    vbuf_puts(&b, "\"}\n{\"a\": \"after\"}\n");
    vbuf_putc(&b, 0);
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt, wfile("long.jsonl", b.p), "jsonl", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(f[0].n, (i64)big);
    assert_int_equal(f[0].p[big - 1], 'y');
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "after");
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    vbuf_free(&b);
}

static void test_document_array(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    const char *dl = tpath("dl_doc.jsonl");
    velo_src *s = open_json(rt, wfile("doc.json", "[\n  {\"a\": \"1\"},\n  42,\n  {\"a\": \"3\",\n   \"b\": 2}\n]\n"), "json", dl);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "1");
    assert_int_equal(rt->priv->rec_line, 2);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[0], VF_TEXT, "3");
    assert_field(&f[1], VF_NUM, "2");
    assert_int_equal(rt->priv->rec_line, 4);
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
    char *txt = slurp(dl);
    assert_non_null(strstr(txt, "\"line\":3,\"operator\":7,\"error\":\"invalid JSON at column 3: expected an object\",\"raw\":\"42\""));
    free(txt);
}

static void test_document_single_and_broken(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    velo_src *s = open_json(rt, wfile("one.json", " {\"c\": 5} "), "json", NULL);
    vfield f[5];
    assert_int_equal(vsrc_next(s, f), 1);
    assert_field(&f[2], VF_NUM, "5");
    assert_int_equal(vsrc_next(s, f), 0);
    vsrc_close(s);
    const char *props[] = {"path", wfile("broken.json", "[{\"a\": 1}, {\"a\": }, {\"a\": 3}]"), "format", "json", "error.policy", "skip",
                           NULL};
    s = vsrc_open(rt, 7, "k", props, 5, cols, NULL);
    assert_int_equal(vsrc_next(s, f), 1);
    assert_int_equal(vsrc_next(s, f), 0); /* a broken element ends the document */
    assert_int_equal(rt->priv->stats->next->bad, 1);
    vsrc_close(s);
    velo_rt_finish(rt, 0);
}

static void test_unknown_format(void **state)
{
    (void)state;
    velo_rt *rt = new_rt();
    int saved = mute_stderr();
    assert_null(open_json(rt, wfile("x.xml", "<a/>"), "xml", NULL));
    unmute_stderr(saved);
    assert_int_equal(velo_rt_finish(rt, 0), 2);
}

static char *escaped(const char *s, i64 n)
{
    velo_buf b = {0};
    vjson_put_str(&b, s, n);
    vbuf_putc(&b, 0);
    return b.p;
}

static void test_put_str(void **state)
{
    (void)state;
    char *e = escaped("a\"b\\c\n\t\r\x01 \xc3\xa9\xf0\x9f\x98\x80", 16);
    assert_string_equal(e, "\"a\\\"b\\\\c\\n\\t\\r\\u0001 \xc3\xa9\xf0\x9f\x98\x80\"");
    free(e);
    /* invalid UTF-8: stray continuation, truncated sequence, overlong, surrogate */
    e = escaped("\x80x\xc3\xc0\xafz\xed\xa0\x80", 9);
    assert_string_equal(e, "\"\\u0080x\\u00c3\\u00c0\\u00afz\\u00ed\\u00a0\\u0080\"");
    free(e);
    e = escaped("", 0);
    assert_string_equal(e, "\"\"");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_keys_case_escape_duplicate),
        cmocka_unit_test(test_blank_lines_crlf_and_line_numbers),
        cmocka_unit_test(test_malformed_dead_letter),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_document_array),
        cmocka_unit_test(test_document_single_and_broken),
        cmocka_unit_test(test_unknown_format),
        cmocka_unit_test(test_put_str),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
