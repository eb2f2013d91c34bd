/*
 * test_catalog.c -- sources and sinks (compiler/catalog.c): declared
 * columns, schema inference by sampling CSV and JSON Lines files written to
 * a temporary directory, row estimates, and property validation with the
 * exact text of each diagnostic (did-you-mean suggestions included).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"

static char tdir[64];
static Arena g_a;
static Diag g_d;
static Catalog g_c;
static char *g_buf;
static size_t g_len;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_cat_XXXXXX");
    if (!mkdtemp(tdir)) return -1;
    ar_init(&g_a);
    /* no source text: messages are the first line only, no quoted line */
    diag_init(&g_d, "q.sql", NULL, 0);
    g_buf = NULL;
    g_d.out = open_memstream(&g_buf, &g_len);
    cat_init(&g_c, &g_a, &g_d, tdir);
    return g_d.out ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fclose(g_d.out);
    free(g_buf);
    ar_free(&g_a);
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *diag_text(void)
{
    fflush(g_d.out);
    return g_buf ? g_buf : "";
}

static const char *wfile(const char *name, const char *data, size_t n)
{
    char *p = ar_printf(&g_a, "%s/%s", tdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return p;
}
#define WFILE(name, lit) wfile(name, lit, sizeof(lit) - 1)

static SrcPos at(int line)
{
    SrcPos p = {line, 1, -1};
    return p;
}

/* Properties given as key, value pairs; the i-th sits on line i+2 so the
 * position of each diagnostic names its property. */
static PtrVec props_v(const char *const *kv)
{
    PtrVec v = {0};
    for (int i = 0; kv[i]; i += 2) {
        Property *p = ar_alloc(&g_a, sizeof *p);
        p->key = kv[i];
        p->value = kv[i + 1];
        p->pos = at(i / 2 + 2);
        pv_push(&g_a, &v, p);
    }
    return v;
}
#define PROPS(...) props_v((const char *const[]){__VA_ARGS__, NULL})

static Relation *define(const char *name, PtrVec props, PtrVec *cols, int want_sink)
{
    return cat_define(&g_c, name, at(1), 0, cols, &props, want_sink);
}

static ColumnDef *coldef(const char *name, TypeSpec t)
{
    ColumnDef *c = ar_alloc(&g_a, sizeof *c);
    c->name = name;
    c->type = t;
    c->pos = at(9);
    return c;
}

/* "name TYPE, ..." of a relation's schema */
static const char *schema(const Relation *r)
{
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < r->ncols; i++) sb_printf(&b, "%s%s %s", i ? ", " : "", r->cols[i].name, ty_name(&g_a, r->cols[i].type));
    char *s = ar_strdup(&g_a, b.p ? b.p : "");
    sb_free(&b);
    return s;
}

/* ---- declared schemas ---------------------------------------------------- */

static void test_declared_columns(void **state)
{
    (void)state;
    WFILE("t.csv", "a,b\n1,x\n");
    PtrVec cols = {0};
    pv_push(&g_a, &cols, coldef("trade_id", ty_make(VT_BIGINT)));
    pv_push(&g_a, &cols, coldef("price", ty_decimal(18, 4)));
    ((ColumnDef *)cols.v[0])->primary_key = 1;
    Relation *r = define("trades", PROPS("type", "file_source", "path", "t.csv", "format", "csv"), &cols, -1);
    assert_non_null(r);
    assert_string_equal(diag_text(), "");
    assert_string_equal(schema(r), "trade_id BIGINT, price DECIMAL(18,4)");
    assert_int_equal(r->cols[0].primary_key, 1);
    assert_int_equal(r->kind, REL_FILE_SOURCE);
    assert_string_equal(r->path, ar_printf(&g_a, "%s/t.csv", tdir)); /* relative to the script */
    assert_string_equal(r->format, "csv");
    assert_ptr_equal(cat_find(&g_c, "TRADES"), r);
    assert_null(cat_find(&g_c, "trade"));
    assert_string_equal(cat_suggest(&g_c, "trade"), "trades");
    assert_int_equal(cat_column_index(r, "PRICE"), 1);
    assert_int_equal(cat_column_index(r, "nope"), -1);
    assert_string_equal(cat_prop(r, "FORMAT"), "csv");
    assert_null(cat_prop(r, "delimiter"));
}

static void test_declared_twice(void **state)
{
    (void)state;
    WFILE("t.csv", "a\n1\n");
    PtrVec cols = {0};
    pv_push(&g_a, &cols, coldef("x", ty_make(VT_INT)));
    pv_push(&g_a, &cols, coldef("X", ty_make(VT_INT)));
    define("t", PROPS("path", "t.csv"), &cols, -1);
    assert_string_equal(diag_text(), "q.sql:9:1: error: column 'X' is declared twice\n");
    assert_int_equal(g_d.nerrors, 1);
}

static void test_absolute_path_and_default_type(void **state)
{
    (void)state;
    const char *p = WFILE("abs.csv", "a\n1\n");
    Relation *r = define("s", PROPS("path", p), NULL, -1); /* no 'type': a source */
    assert_non_null(r);
    assert_string_equal(r->path, p);
    assert_int_equal(r->kind, REL_FILE_SOURCE);
}

/* ---- inference ----------------------------------------------------------- */

static void test_infer_csv(void **state)
{
    (void)state;
    WFILE("t.csv", "id,price,ratio,flag,ts,name,empty,\"quoted, \"\"hdr\"\"\",qnum\r\n"
                   "1,12.50,1e3,true,2026-03-02 09:30:00,\"a, b\",,x,\"42\"\r\n"
                   "-2,7.125,2.5,FALSE,2026-03-02T09:31:00,plain,,y,\"7\"\r\n"
                   "3,,,,,,,z,\r\n"
                   "123456789012345678,-0.5,0,true,2026-03-02,\"\",,w,1\r\n");
    Relation *r = define("t", PROPS("type", "file_source", "path", "t.csv"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(diag_text(), "");
    assert_string_equal(schema(r), "id BIGINT, price DECIMAL(7,3), ratio DOUBLE, flag BOOLEAN, ts TIMESTAMP, "
                                   "name STRING, empty STRING, quoted, \"hdr\" STRING, qnum STRING");
    assert_string_equal(r->format, "csv");
    /* 5 lines, one of them the header */
    assert_string_equal(r->rows_source, "stats");
    assert_true(r->est_rows == 4.0);
    struct stat st;
    assert_int_equal(stat(r->path, &st), 0);
    assert_true(r->file_bytes == (double)st.st_size);
}

static void test_infer_csv_no_header_and_delimiter(void **state)
{
    (void)state;
    WFILE("n.csv", "1;x;0.25\n2;y;10.5\n");
    Relation *r = define("n", PROPS("path", "n.csv", "has_headers", "false", "delimiter", ";"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(schema(r), "c1 BIGINT, c2 STRING, c3 DECIMAL(6,2)");
    assert_true(r->est_rows == 2.0); /* no header line to subtract */
}

static void test_infer_big_numbers(void **state)
{
    (void)state;
    /* a 19-digit integer that fits int64 stays BIGINT; one beyond it, or 19
     * significant digits with a fraction (no DECIMAL(18) holds them), is DOUBLE */
    WFILE("b.csv", "big,wide,huge\n1234567890123456789,1234567890.123456789,9999999999999999999\n");
    Relation *r = define("b", PROPS("path", "b.csv"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(schema(r), "big BIGINT, wide DOUBLE, huge DOUBLE");
}

static void test_infer_jsonl(void **state)
{
    (void)state;
    WFILE("e.jsonl", "{\"id\": 1, \"price\": 12.50, \"name\": \"x\", \"ok\": true, \"ts\": \"2026-03-02T09:30:00Z\", "
                     "\"obj\": {\"a\": 1, \"b\": \"}\"}, \"n\": null}\n"
                     "{\"id\": 2, \"price\": 3.125, \"name\": \"y\\\"q\", \"ok\": false, \"ts\": \"2026-03-02 09:31:00\", "
                     "\"obj\": [1, 2], \"n\": null, \"extra\": 1.5e2}\n");
    Relation *r = define("e", PROPS("path", "e.jsonl"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(diag_text(), "");
    assert_string_equal(r->format, "jsonl"); /* from the file name */
    assert_string_equal(schema(r), "id BIGINT, price DECIMAL(7,3), name STRING, ok BOOLEAN, ts TIMESTAMP, "
                                   "obj STRING, n STRING, extra DOUBLE");
    assert_true(r->est_rows == 2.0);
    assert_string_equal(r->rows_source, "stats");
}

static void test_infer_jsonl_mixed_kinds(void **state)
{
    (void)state;
    WFILE("m.jsonl", "{\"a\": 1, \"b\": true, \"c\": \"2026-03-02\"}\n{\"a\": \"x\", \"b\": 2, \"c\": \"no\"}\n");
    Relation *r = define("m", PROPS("path", "m.jsonl", "format", "jsonl"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(schema(r), "a STRING, b STRING, c STRING");
}

static void test_stats_rows_declared(void **state)
{
    (void)state;
    WFILE("t.csv", "a\n1\n2\n3\n");
    Relation *r = define("t", PROPS("path", "t.csv", "stats.rows", "12345"), NULL, -1);
    assert_non_null(r);
    assert_true(r->est_rows == 12345.0);
    assert_string_equal(r->rows_source, "declared");
}

static void test_estimate_large_file(void **state)
{
    (void)state;
    /* 40000 rows of 10 bytes: bigger than the 256 KiB sample, so the
     * estimate extrapolates from the mean record size */
    size_t n = 4 + 40000 * 10;
    char *data = malloc(n + 1);
    assert_non_null(data);
    memcpy(data, "a,b\n", 4);
    for (int i = 0; i < 40000; i++) memcpy(data + 4 + (size_t)i * 10, "12345,abc\n", 10);
    wfile("big.csv", data, n);
    free(data);
    Relation *r = define("big", PROPS("path", "big.csv"), NULL, -1);
    assert_non_null(r);
    assert_string_equal(r->rows_source, "stats");
    assert_true(r->est_rows > 39000 && r->est_rows < 41000);
    assert_string_equal(schema(r), "a BIGINT, b STRING");
}

/* ---- validation ---------------------------------------------------------- */

static void test_misspelled_property(void **state)
{
    (void)state;
    WFILE("t.csv", "a\n1\n");
    assert_null(define("a", PROPS("type", "file_source", "pathh", "t.csv"), NULL, -1));
    assert_string_equal(diag_text(), "q.sql:3:1: error: unknown property 'pathh' for 'a' (did you mean 'path'?)\n");
    assert_int_equal(g_d.nerrors, 1);
    assert_null(cat_find(&g_c, "a"));
}

static void test_unknown_property_no_hint(void **state)
{
    (void)state;
    WFILE("t.csv", "a\n1\n");
    assert_null(define("a", PROPS("path", "t.csv", "zzzzzzzz", "1", "formt", "csv"), NULL, -1));
    assert_string_equal(diag_text(), "q.sql:3:1: error: unknown property 'zzzzzzzz' for 'a'\n"
                                     "q.sql:4:1: error: unknown property 'formt' for 'a' (did you mean 'format'?)\n");
    assert_int_equal(g_d.nerrors, 2);
}

static void test_bad_enum_values(void **state)
{
    (void)state;
    WFILE("t.csv", "a\n1\n");
    assert_null(define("b", PROPS("path", "t.csv", "format", "cvs"), NULL, -1));
    assert_null(define("c", PROPS("path", "t.csv", "has_headers", "yes"), NULL, -1));
    assert_null(define("d", PROPS("path", "t.csv", "error.policy", "skipp", "compression", "zip"), NULL, -1));
    assert_null(define("e", PROPS("path", "t.csv", "delimiter", ";;"), NULL, -1));
    assert_null(define("f", PROPS("type", "file_sink", "path", "o.json", "format", "json"), NULL, 1));
    assert_string_equal(diag_text(), "q.sql:3:1: error: invalid value 'cvs' for 'format' (did you mean 'csv'?)\n"
                                     "q.sql:3:1: error: invalid value 'yes' for 'has_headers'\n"
                                     "q.sql:4:1: error: invalid value 'zip' for 'compression' (did you mean 'gzip'?)\n"
                                     "q.sql:3:1: error: invalid value 'skipp' for 'error.policy' (did you mean 'skip'?)\n"
                                     "q.sql:3:1: error: 'delimiter' must be one character, got ';;'\n"
                                     "q.sql:4:1: error: invalid value 'json' for 'format' (did you mean 'jsonl'?)\n");
    assert_int_equal(g_d.nerrors, 6);
}

static void test_missing_path(void **state)
{
    (void)state;
    assert_null(define("c", PROPS("type", "file_source"), NULL, -1));
    assert_null(define("k", PROPS("type", "file_sink"), NULL, 1));
    assert_string_equal(diag_text(), "q.sql:1:1: error: 'c' needs a 'path' property\n"
                                     "q.sql:1:1: error: 'k' needs a 'path' property\n");
}

static void test_unknown_connector(void **state)
{
    (void)state;
    assert_null(define("d", PROPS("type", "file_sorce", "path", "t.csv"), NULL, -1));
    assert_null(define("e", PROPS("type", "banana", "path", "t.csv"), NULL, -1));
    assert_null(define("f", PROPS("path", "t.csv", "type", "kafka_source"), NULL, -1));
    assert_null(define("g", PROPS("type", "file_sink", "path", "o.csv"), NULL, 0));
    assert_null(define("h", PROPS("type", "file_source", "path", "t.csv"), NULL, 1));
    assert_string_equal(diag_text(), "q.sql:2:1: error: unknown connector type 'file_sorce' (did you mean 'file_source'?)\n"
                                     "q.sql:2:1: error: unknown connector type 'banana'\n"
                                     "q.sql:2:1: error: unknown property 'path' for 'f'\n" /* Kafka sources read topics, not files */
                                     "q.sql:2:1: error: 'file_sink' cannot be used as a source\n"
                                     "q.sql:2:1: error: 'file_source' cannot be used as a sink\n");
}

static void test_missing_and_empty_files(void **state)
{
    (void)state;
    WFILE("empty.csv", "");
    assert_null(define("m", PROPS("path", "nope.csv"), NULL, -1));
    assert_null(define("z", PROPS("path", "empty.csv"), NULL, -1));
    const char *want = ar_printf(&g_a,
                                 "q.sql:2:1: error: cannot read '%s/nope.csv' for source 'm'\n"
                                 "q.sql:1:1: error: cannot infer the schema of 'z' from '%s/empty.csv' (empty or "
                                 "unreadable); declare its columns\n",
                                 tdir, tdir);
    assert_string_equal(diag_text(), want);
}

static void test_sinks(void **state)
{
    (void)state;
    Relation *f = define("out", PROPS("type", "file_sink", "path", "o.jsonl"), NULL, 1);
    assert_non_null(f);
    assert_int_equal(f->kind, REL_FILE_SINK);
    assert_string_equal(f->format, "jsonl");
    assert_string_equal(f->path, ar_printf(&g_a, "%s/o.jsonl", tdir));
    Relation *s = define("con", PROPS("format", "csv"), NULL, 1); /* no type, no path: stdout */
    assert_non_null(s);
    assert_int_equal(s->kind, REL_STDOUT_SINK);
    Relation *p = define("p", PROPS("path", "o.csv"), NULL, 1); /* no type, a path: a file */
    assert_non_null(p);
    assert_int_equal(p->kind, REL_FILE_SINK);
    assert_string_equal(p->format, "csv");
    /* a sink's file is not read at compile time */
    assert_int_equal(access(f->path, F_OK), -1);
    assert_string_equal(diag_text(), "");
}

/* Through the parser: the diagnostic quotes the property and puts the
 * caret under it. */
static void test_caret_from_source(void **state)
{
    (void)state;
    const char *src = "x = ('type' = 'file_source', 'pathh' = 'a.csv')";
    g_d.text = src;
    g_d.len = strlen(src);
    Property *p = ar_alloc(&g_a, sizeof *p), *t = ar_alloc(&g_a, sizeof *t);
    t->key = "type", t->value = "file_source";
    t->pos = (SrcPos){1, 6, 5};
    p->key = "pathh", p->value = "a.csv";
    p->pos = (SrcPos){1, 30, 29};
    PtrVec v = {0};
    pv_push(&g_a, &v, t);
    pv_push(&g_a, &v, p);
    assert_null(cat_define(&g_c, "x", (SrcPos){1, 1, 0}, 0, NULL, &v, -1));
    assert_string_equal(diag_text(), "q.sql:1:30: error: unknown property 'pathh' for 'x' (did you mean 'path'?)\n"
                                     "x = ('type' = 'file_source', 'pathh' = 'a.csv')\n"
                                     "                             ^\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_declared_columns),
        T(test_declared_twice),
        T(test_absolute_path_and_default_type),
        T(test_infer_csv),
        T(test_infer_csv_no_header_and_delimiter),
        T(test_infer_big_numbers),
        T(test_infer_jsonl),
        T(test_infer_jsonl_mixed_kinds),
        T(test_stats_rows_declared),
        T(test_estimate_large_file),
        T(test_misspelled_property),
        T(test_unknown_property_no_hint),
        T(test_bad_enum_values),
        T(test_missing_path),
        T(test_unknown_connector),
        T(test_missing_and_empty_files),
        T(test_sinks),
        T(test_caret_from_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
