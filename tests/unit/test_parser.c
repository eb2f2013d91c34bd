/*
 * test_parser.c -- the SQL parser: every statement form, every expression
 * form, precedence, literals, and the exact text of syntax errors together
 * with recovery to the next statement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "velo.h"

/* One parse per test: the arena, the captured diagnostics and the script. */
static Arena g_a;
static Diag g_d;
static Script g_s;
static char *g_buf;
static size_t g_len;
static int g_open;

static int setup(void **state)
{
    (void)state;
    ar_init(&g_a);
    g_open = 0;
    return 0;
}

static void reset_capture(void)
{
    if (g_open) {
        fclose(g_d.out);
        free(g_buf);
    }
    g_buf = NULL;
    g_open = 0;
}

static int teardown(void **state)
{
    (void)state;
    reset_capture();
    ar_free(&g_a);
    return 0;
}

static int parse(const char *src, size_t n)
{
    reset_capture();
    memset(&g_s, 0, sizeof g_s);
    g_s.path = "q.sql";
    g_s.text = src;
    g_s.len = n;
    diag_init(&g_d, "q.sql", src, n);
    g_d.out = open_memstream(&g_buf, &g_len);
    g_open = 1;
    return ps_parse_script(&g_a, &g_d, &g_s);
}

static const char *out(void)
{
    fflush(g_d.out);
    return g_buf;
}

/* Parse src, which must be one correct statement. */
static Stmt *one(const char *src)
{
    int n = parse(src, strlen(src));
    if (n) fprintf(stderr, "unexpected errors for <%s>:\n%s", src, out());
    assert_int_equal(n, 0);
    assert_int_equal(g_s.stmts.n, 1);
    return g_s.stmts.v[0];
}

static Select *sel(Stmt *s, int i)
{
    return s->query->selects.v[i];
}

/* The first select item of "SELECT <text>". */
static Expr *ex(const char *text)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "SELECT %s", text);
    Stmt *s = one(buf);
    Select *se = sel(s, 0);
    assert_int_equal(se->items.n, 1);
    return ((SelectItem *)se->items.v[0])->expr;
}

/* Parse src expecting nerr errors; returns the diagnostics text. */
static const char *errs(const char *src, int nerr)
{
    int n = parse(src, strlen(src));
    if (n != nerr) fprintf(stderr, "for <%s>:\n%s", src, out());
    assert_int_equal(n, nerr);
    return out();
}

static Expr *arg(Expr *e, int i)
{
    return e->args.v[i];
}
static void assert_col(Expr *e, const char *qual, const char *name)
{
    assert_int_equal(e->kind, E_COLUMN);
    assert_string_equal(e->sval, name);
    if (qual) assert_string_equal(e->qual, qual);
    else assert_null(e->qual);
}
static void assert_int_lit(Expr *e, int64_t v)
{
    assert_int_equal(e->kind, E_LIT_INT);
    assert_true(e->ival == v);
}

/* ---- statements ----------------------------------------------------------- */

static void test_create_stream_columns(void **state)
{
    (void)state;
    Stmt *s = one("CREATE STREAM trades (\n  trade_id BIGINT, symbol STRING, price DECIMAL(18,4),\n"
                  "  qty INTEGER, ts TIMESTAMP\n) WITH ('type' = 'file_source', 'path' = 'data/t.csv');");
    assert_int_equal(s->kind, S_CREATE_SOURCE);
    assert_int_equal(s->is_table, 0);
    assert_string_equal(s->name, "trades");
    assert_int_equal(s->name_pos.col, 15);
    assert_int_equal(s->columns.n, 5);
    ColumnDef *c = s->columns.v[2];
    assert_string_equal(c->name, "price");
    assert_int_equal(c->type.tag, VT_DECIMAL);
    assert_int_equal(c->type.prec, 18);
    assert_int_equal(c->type.scale, 4);
    assert_int_equal(c->pos.line, 2);
    assert_int_equal(c->pos.col, 35);
    assert_int_equal(((ColumnDef *)s->columns.v[0])->type.tag, VT_BIGINT);
    assert_int_equal(((ColumnDef *)s->columns.v[3])->type.tag, VT_INT);
    assert_int_equal(((ColumnDef *)s->columns.v[4])->type.tag, VT_TIMESTAMP);
    assert_int_equal(s->props.n, 2);
    Property *p = s->props.v[1];
    assert_string_equal(p->key, "path");
    assert_string_equal(p->value, "data/t.csv");
    assert_int_equal(p->pos.line, 4);
}

static void test_create_table_keys(void **state)
{
    (void)state;
    Stmt *s = one("create table instruments (symbol STRING PRIMARY KEY, sector STRING)");
    assert_int_equal(s->kind, S_CREATE_SOURCE);
    assert_int_equal(s->is_table, 1);
    assert_int_equal(((ColumnDef *)s->columns.v[0])->primary_key, 1);
    assert_int_equal(((ColumnDef *)s->columns.v[1])->primary_key, 0);
    assert_int_equal(s->props.n, 0);

    s = one("CREATE TABLE t (a INT, b STRING, c DOUBLE, PRIMARY KEY (a, B)) WITH (partitions = 3, "
            "kafka.topic = 't', 'x' = TRUE)");
    assert_int_equal(s->columns.n, 3);
    assert_int_equal(((ColumnDef *)s->columns.v[0])->primary_key, 1);
    assert_int_equal(((ColumnDef *)s->columns.v[1])->primary_key, 1);
    assert_int_equal(((ColumnDef *)s->columns.v[2])->primary_key, 0);
    assert_string_equal(((Property *)s->props.v[0])->key, "partitions");
    assert_string_equal(((Property *)s->props.v[0])->value, "3");
    assert_string_equal(((Property *)s->props.v[1])->key, "kafka.topic");
    assert_string_equal(((Property *)s->props.v[2])->value, "true");

    const char *o = errs("CREATE TABLE t (price INT, PRIMARY KEY (pirce))", 1);
    assert_string_equal(o, "q.sql:1:41: error: PRIMARY KEY names unknown column 'pirce' (did you mean 'price'?)\n"
                           "CREATE TABLE t (price INT, PRIMARY KEY (pirce))\n"
                           "                                        ^\n");
}

static void test_types(void **state)
{
    (void)state;
    Stmt *s = one("CREATE STREAM s (a BOOLEAN, b BOOL, c INT, d DOUBLE PRECISION, e FLOAT, f REAL, "
                  "g NUMERIC, h DECIMAL(10), i VARCHAR(20), j TEXT, k string, \"Q x\" bigint)");
    int tags[] = {VT_BOOL,    VT_BOOL,    VT_INT,    VT_DOUBLE, VT_DOUBLE, VT_DOUBLE,
                  VT_DECIMAL, VT_DECIMAL, VT_STRING, VT_STRING, VT_STRING, VT_BIGINT};
    assert_int_equal(s->columns.n, 12);
    for (int i = 0; i < 12; i++) assert_int_equal(((ColumnDef *)s->columns.v[i])->type.tag, tags[i]);
    ColumnDef *g = s->columns.v[6], *h = s->columns.v[7];
    assert_int_equal(g->type.prec, 18);
    assert_int_equal(g->type.scale, 0);
    assert_int_equal(h->type.prec, 10);
    assert_int_equal(h->type.scale, 0);
    assert_string_equal(((ColumnDef *)s->columns.v[11])->name, "Q x");
}

static void test_type_errors(void **state)
{
    (void)state;
    const char *o = errs("CREATE STREAM s (a DECIMAL(19,2), b DECIMAL(5,6), c DECIMAL(0));", 3);
    assert_string_equal(o, "q.sql:1:28: error: DECIMAL precision must be between 1 and 18, not 19\n"
                           "CREATE STREAM s (a DECIMAL(19,2), b DECIMAL(5,6), c DECIMAL(0));\n"
                           "                           ^\n"
                           "q.sql:1:47: error: DECIMAL scale must be between 0 and the precision 5, not 6\n"
                           "CREATE STREAM s (a DECIMAL(19,2), b DECIMAL(5,6), c DECIMAL(0));\n"
                           "                                              ^\n"
                           "q.sql:1:61: error: DECIMAL precision must be between 1 and 18, not 0\n"
                           "CREATE STREAM s (a DECIMAL(19,2), b DECIMAL(5,6), c DECIMAL(0));\n"
                           "                                                            ^\n");
    /* range errors do not derail parsing: the statement is still there */
    assert_int_equal(g_s.stmts.n, 1);

    o = errs("CREATE STREAM s (a INTEGR)", 1);
    assert_string_equal(o, "q.sql:1:20: error: unknown type 'INTEGR' (did you mean 'INTEGER'?)\n"
                           "CREATE STREAM s (a INTEGR)\n"
                           "                   ^\n");
}

static void test_create_as(void **state)
{
    (void)state;
    Stmt *s = one("CREATE STREAM big AS SELECT a FROM trades WHERE qty > 1000\n"
                  "WITH ('trades.type' = 'file_source', 'big.path' = 'out/big.jsonl');");
    assert_int_equal(s->kind, S_CREATE_AS);
    assert_string_equal(s->name, "big");
    assert_int_equal(s->props.n, 2);
    assert_string_equal(((Property *)s->props.v[0])->key, "trades.type");
    assert_non_null(sel(s, 0)->where);

    s = one("CREATE OR REPLACE TABLE t WITH ('a' = '1') AS SELECT x FROM y WITH ('b' = '2')");
    assert_int_equal(s->kind, S_CREATE_AS);
    assert_int_equal(s->is_table, 1);
    assert_int_equal(s->props.n, 2);
    assert_string_equal(((Property *)s->props.v[0])->key, "a");
    assert_string_equal(((Property *)s->props.v[1])->key, "b");
}

static void test_insert_and_select_into(void **state)
{
    (void)state;
    Stmt *s = one("INSERT INTO sink SELECT * FROM src WITH ('sink.type' = 'stdout_sink')");
    assert_int_equal(s->kind, S_INSERT);
    assert_string_equal(s->name, "sink");
    assert_int_equal(s->props.n, 1);
    assert_int_equal(((SelectItem *)sel(s, 0)->items.v[0])->expr->kind, E_STAR);

    s = one("SELECT a, b INTO out_topic FROM t WITH ('out_topic.type' = 'kafka_sink')");
    assert_int_equal(s->kind, S_SELECT);
    assert_string_equal(sel(s, 0)->into, "out_topic");
    assert_int_equal(sel(s, 0)->into_pos.col, 18);
    assert_int_equal(s->props.n, 1);
}

static void test_explain(void **state)
{
    (void)state;
    Stmt *s = one("EXPLAIN SELECT 1");
    assert_int_equal(s->kind, S_EXPLAIN);
    assert_int_equal(s->analyze, 0);
    assert_int_equal(s->costs_off, 0);
    assert_int_equal(s->inner->kind, S_SELECT);

    s = one("EXPLAIN ANALYZE (COSTS OFF) CREATE STREAM x AS SELECT a FROM b");
    assert_int_equal(s->analyze, 1);
    assert_int_equal(s->costs_off, 1);
    assert_int_equal(s->inner->kind, S_CREATE_AS);

    s = one("explain (analyze, costs false) select 1");
    assert_int_equal(s->analyze, 1);
    assert_int_equal(s->costs_off, 1);

    s = one("EXPLAIN (SELECT 1)");
    assert_int_equal(s->inner->kind, S_SELECT);

    errs("EXPLAIN EXPLAIN SELECT 1", 1);
}

static void test_show_describe(void **state)
{
    (void)state;
    Stmt *s = one("SHOW FUNCTIONS");
    assert_int_equal(s->kind, S_SHOW);
    assert_string_equal(s->show_what, "FUNCTIONS");
    s = one("show streams like 'tr%'");
    assert_string_equal(s->show_what, "STREAMS");
    assert_string_equal(s->show_like, "tr%");
    s = one("SHOW TABLES WITH SCHEMAS");
    assert_string_equal(s->show_what, "TABLES");
    assert_int_equal(s->show_with_schemas, 1);
    s = one("SHOW TOPICS");
    assert_string_equal(s->show_what, "TOPICS");
    s = one("SHOW JOBS ON NODE 'n1'");
    assert_string_equal(s->show_what, "JOBS");
    assert_string_equal(s->name, "n1");
    s = one("SHOW TOPIC DETAILS 'orders'");
    assert_string_equal(s->show_what, "TOPIC DETAILS");
    assert_string_equal(s->name, "orders");
    s = one("SHOW JOB STATUS 'j1'");
    assert_string_equal(s->show_what, "JOB STATUS");
    assert_string_equal(s->name, "j1");
    s = one("DESCRIBE trades");
    assert_int_equal(s->kind, S_DESCRIBE);
    assert_string_equal(s->name, "trades");

    const char *o = errs("SHOW STREEMS", 1);
    assert_non_null(strstr(o, "found 'STREEMS' (did you mean 'STREAMS'?)"));
}

/* ---- queries -------------------------------------------------------------- */

static void test_select_items(void **state)
{
    (void)state;
    Stmt *s = one("SELECT DISTINCT *, t.*, a AS x, b y, c \"Z z\", d FROM t");
    Select *se = sel(s, 0);
    assert_int_equal(se->distinct, 1);
    assert_int_equal(se->items.n, 6);
    SelectItem *it[6];
    for (int i = 0; i < 6; i++) it[i] = se->items.v[i];
    assert_int_equal(it[0]->expr->kind, E_STAR);
    assert_null(it[0]->expr->qual);
    assert_int_equal(it[1]->expr->kind, E_STAR);
    assert_string_equal(it[1]->expr->qual, "t");
    assert_string_equal(it[2]->alias, "x");
    assert_string_equal(it[3]->alias, "y");
    assert_string_equal(it[4]->alias, "Z z");
    assert_null(it[5]->alias);
    assert_int_equal(it[5]->pos.col, 47);

    s = one("SELECT ALL a FROM t");
    assert_int_equal(sel(s, 0)->distinct, 0);
    /* no FROM: constant queries */
    s = one("SELECT 1 + 1 AS two");
    assert_int_equal(sel(s, 0)->from.n, 0);
}

static void test_from_and_joins(void **state)
{
    (void)state;
    Stmt *s = one("SELECT * FROM a x, b AS y JOIN c ON x.id = c.id INNER JOIN d ON true "
                  "LEFT OUTER JOIN e ON 1 = 1 RIGHT JOIN f ON 1 = 1 FULL JOIN g ON 1 = 1 "
                  "CROSS JOIN h LEFT JOIN (SELECT 1 AS k) sub ON sub.k = 1 "
                  "JOIN bids WITHIN 10s ON bids.id = x.id");
    Select *se = sel(s, 0);
    assert_int_equal(se->from.n, 10);
    int kinds[] = {0, 0, 'I', 'I', 'L', 'R', 'F', 'C', 'L', 'I'};
    for (int i = 0; i < 10; i++) assert_int_equal(((TableRef *)se->from.v[i])->join_kind, kinds[i]);
    TableRef *r0 = se->from.v[0], *r2 = se->from.v[2], *r7 = se->from.v[7], *r8 = se->from.v[8], *r9 = se->from.v[9];
    assert_string_equal(r0->name, "a");
    assert_string_equal(r0->alias, "x");
    assert_string_equal(((TableRef *)se->from.v[1])->alias, "y");
    assert_null(r2->alias);
    assert_int_equal(r2->on->kind, E_BINARY);
    assert_null(r7->on);
    assert_null(r8->name);
    assert_non_null(r8->subquery);
    assert_string_equal(r8->alias, "sub");
    assert_true(r9->within_us == 10000000);
    assert_non_null(r9->on);
}

static void test_clauses(void **state)
{
    (void)state;
    Stmt *s = one("SELECT symbol, COUNT(*) FROM trades WHERE qty > 0 GROUP BY symbol, ts "
                  "HAVING COUNT(*) > 1 ORDER BY 2 DESC NULLS FIRST, symbol, 1 ASC NULLS LAST LIMIT 10 "
                  "EMIT CHANGES");
    Select *se = sel(s, 0);
    assert_non_null(se->where);
    assert_int_equal(se->group_by.n, 2);
    assert_non_null(se->having);
    assert_int_equal(se->emit, EMIT_CHANGES);
    Query *q = s->query;
    assert_true(q->limit == 10);
    assert_int_equal(q->order_by.n, 3);
    OrderItem *o0 = q->order_by.v[0], *o1 = q->order_by.v[1], *o2 = q->order_by.v[2];
    assert_int_equal(o0->desc, 1);
    assert_int_equal(o0->nulls_first, 1);
    assert_int_equal(o1->desc, 0);
    assert_int_equal(o1->nulls_first, -1);
    assert_int_equal(o2->nulls_first, 0);

    s = one("SELECT a FROM t WINDOW TUMBLING(1m) GROUP BY a EMIT FINAL");
    assert_int_equal(sel(s, 0)->window.kind, WIN_TUMBLING);
    assert_int_equal(sel(s, 0)->group_by.n, 1);
    assert_int_equal(sel(s, 0)->emit, EMIT_FINAL);
    assert_true(s->query->limit == -1);

    s = one("SELECT a FROM t GROUP BY a HAVING a > 1 WINDOW SESSION(30s)");
    assert_int_equal(sel(s, 0)->window.kind, WIN_SESSION);

    errs("SELECT a FROM t GROUP BY a EMIT CHANGES LIMIT 1 EMIT FINAL", 1);
}

static void test_windows(void **state)
{
    (void)state;
    WindowSpec *w = &sel(one("SELECT 1 FROM t WINDOW TUMBLING(5m)"), 0)->window;
    assert_int_equal(w->kind, WIN_TUMBLING);
    assert_null(w->time_col);
    assert_true(w->size_us == 300000000LL);
    assert_int_equal(w->pos.col, 24);

    w = &sel(one("SELECT 1 FROM t WINDOW TUMBLING(ts, INTERVAL '1' MINUTE)"), 0)->window;
    assert_col(w->time_col, NULL, "ts");
    assert_true(w->size_us == 60000000LL);

    w = &sel(one("SELECT 1 FROM t WINDOW SLIDING(ts, 5m, 1m)"), 0)->window;
    assert_int_equal(w->kind, WIN_SLIDING);
    assert_true(w->size_us == 300000000LL);
    assert_true(w->advance_us == 60000000LL);

    w = &sel(one("SELECT 1 FROM t WINDOW SLIDING(INTERVAL '10 minutes', 1 MINUTE)"), 0)->window;
    assert_true(w->size_us == 600000000LL);
    assert_true(w->advance_us == 60000000LL);

    w = &sel(one("SELECT 1 FROM t WINDOW SESSION(100ms)"), 0)->window;
    assert_int_equal(w->kind, WIN_SESSION);
    assert_true(w->size_us == 100000);

    w = &sel(one("SELECT 1 FROM t WINDOW SESSION(t.ts, 30s)"), 0)->window;
    assert_col(w->time_col, "t", "ts");
    assert_true(w->size_us == 30000000LL);

    w = &sel(one("SELECT 1 FROM t WINDOW HOPPING(1h, 1d)"), 0)->window;
    assert_int_equal(w->kind, WIN_SLIDING);
    assert_true(w->advance_us == 86400000000LL);

    const char *o = errs("SELECT 1 FROM t WINDOW TUMBLIN(5m)", 1);
    assert_non_null(strstr(o, "expected TUMBLING, SLIDING or SESSION after WINDOW, found 'TUMBLIN'"));
    o = errs("SELECT 1 FROM t WINDOW SLIDING(5m)", 1);
    assert_non_null(strstr(o, "expected ',' after window size (SLIDING needs size and advance), found ')'"));
    o = errs("SELECT 1 FROM t WINDOW TUMBLING(0s)", 1);
    assert_non_null(strstr(o, "q.sql:1:33: error: window duration must be positive"));
    o = errs("SELECT 1 FROM t WINDOW TUMBLING(ts, 'x')", 1);
    assert_non_null(strstr(o, "expected duration (e.g. 30s or INTERVAL '30' SECOND) for window size, found string literal"));
}

static void test_union_and_ctes(void **state)
{
    (void)state;
    Stmt *s = one("WITH a AS (SELECT 1 AS x), b AS (SELECT 2 AS x) "
                  "SELECT x FROM a UNION ALL SELECT x FROM b UNION SELECT 3 ORDER BY x LIMIT 5");
    Query *q = s->query;
    assert_int_equal(q->ctes.n, 2);
    assert_string_equal(((Cte *)q->ctes.v[1])->name, "b");
    assert_int_equal(q->selects.n, 3);
    assert_int_equal(q->union_all.n, 2);
    assert_true(q->union_all.v[0] == (void *)1);
    assert_true(q->union_all.v[1] == (void *)0);
    assert_int_equal(q->order_by.n, 1);
    assert_true(q->limit == 5);

    s = one("(SELECT 1) UNION ALL (SELECT 2) UNION DISTINCT SELECT 3");
    assert_int_equal(s->query->selects.n, 3);

    s = one("(SELECT a FROM t ORDER BY a LIMIT 3)");
    assert_int_equal(s->query->selects.n, 1);
    assert_true(s->query->limit == 3);

    errs("SELECT 1 UNION (SELECT 2 ORDER BY 1)", 1);
}

/* ---- expressions ---------------------------------------------------------- */

static void test_literals(void **state)
{
    (void)state;
    assert_int_equal(ex("NULL")->kind, E_LIT_NULL);
    Expr *e = ex("TRUE");
    assert_int_equal(e->kind, E_LIT_BOOL);
    assert_true(e->ival == 1);
    assert_true(ex("false")->ival == 0);
    assert_int_lit(ex("42"), 42);
    e = ex("12.50");
    assert_int_equal(e->kind, E_LIT_DEC);
    assert_true(e->ival == 1250);
    assert_int_equal(e->scale, 2);
    e = ex("-12.50");
    assert_int_equal(e->kind, E_LIT_DEC);
    assert_true(e->ival == -1250);
    assert_int_equal(e->pos.col, 8);
    e = ex("1e3");
    assert_int_equal(e->kind, E_LIT_DOUBLE);
    assert_true(e->dval == 1000.0);
    assert_int_lit(ex("-7"), -7);
    e = ex("'it''s'");
    assert_int_equal(e->kind, E_LIT_STR);
    assert_string_equal(e->sval, "it's");

    const char src[] = "SELECT 'a\0b'";
    assert_int_equal(parse(src, sizeof src - 1), 0);
    e = ((SelectItem *)((Select *)((Stmt *)g_s.stmts.v[0])->query->selects.v[0])->items.v[0])->expr;
    assert_int_equal(e->slen, 3);
    assert_memory_equal(e->sval, "a\0b", 3);
}

static void test_timestamp_literals(void **state)
{
    (void)state;
    Expr *e = ex("TIMESTAMP '2026-03-02 09:40:00'");
    assert_int_equal(e->kind, E_LIT_TS);
    assert_true(e->ival == 1772444400LL * 1000000);
    assert_true(ex("TIMESTAMP '1970-01-01'")->ival == 0);
    assert_true(ex("TIMESTAMP '1970-01-01T00:00:01.5Z'")->ival == 1500000);
    assert_true(ex("TIMESTAMP '1970-01-01 01:00+01:00'")->ival == 0);
    assert_true(ex("TIMESTAMP '1969-12-31 23:59:59.999999'")->ival == -1);
    assert_true(ex("TIMESTAMP '2024-02-29 00:00:00-0130'")->ival == (1709164800LL + 5400) * 1000000);
    assert_true(ex("timestamp '2000-03-01 12:34:56.123456789'")->ival == (951914096LL * 1000000 + 123456));

    const char *o = errs("SELECT TIMESTAMP '2023-02-29', TIMESTAMP '2023-13-01', TIMESTAMP '2023-01-01 25:00'", 3);
    assert_non_null(strstr(o, "q.sql:1:18: error: invalid timestamp '2023-02-29'"));
    errs("SELECT TIMESTAMP '2023-01-01 10:00:00.'", 1);
    errs("SELECT TIMESTAMP '2023-1-01'", 1);
    /* TIMESTAMP not followed by a string is a column name */
    assert_col(ex("timestamp"), NULL, "timestamp");
}

static void test_interval_literals(void **state)
{
    (void)state;
    Expr *e = ex("INTERVAL '5' MINUTE");
    assert_int_equal(e->kind, E_LIT_INTERVAL);
    assert_true(e->ival == 300000000LL);
    assert_true(ex("INTERVAL '5 minutes'")->ival == 300000000LL);
    assert_true(ex("INTERVAL '1 day 2 hours'")->ival == 93600000000LL);
    assert_true(ex("INTERVAL '250ms'")->ival == 250000);
    assert_true(ex("INTERVAL 3 SECONDS")->ival == 3000000);
    assert_true(ex("INTERVAL '2' WEEK")->ival == 1209600000000LL);
    assert_true(ex("INTERVAL '7' MICROSECOND")->ival == 7);
    assert_true(ex("INTERVAL '7' millisecond")->ival == 7000);
    assert_true(ex("INTERVAL '-1' HOUR")->ival == -3600000000LL);
    e = ex("5m");
    assert_int_equal(e->kind, E_LIT_INTERVAL);
    assert_true(e->ival == 300000000LL);

    const char *o = errs("SELECT INTERVAL '5 parsecs'", 1);
    assert_non_null(strstr(o, "q.sql:1:17: error: invalid interval '5 parsecs'"));
    errs("SELECT INTERVAL 'x' MINUTE", 1);
    errs("SELECT INTERVAL '99999999999999' DAY", 1);
}

static void test_columns(void **state)
{
    (void)state;
    Expr *e = ex("a");
    assert_col(e, NULL, "a");
    assert_int_equal(e->pos.col, 8);
    e = ex("t.price");
    assert_col(e, "t", "price");
    assert_int_equal(e->pos.col, 10); /* the column name, not the qualifier */
    e = ex("\"Mixed\".\"Case\"");
    assert_col(e, "Mixed", "Case");
    assert_col(ex("_WINDOW_START"), NULL, "_WINDOW_START");
}

static void test_functions(void **state)
{
    (void)state;
    Expr *e = ex("count(*)");
    assert_int_equal(e->kind, E_FUNC);
    assert_string_equal(e->sval, "COUNT");
    assert_int_equal(e->args.n, 1);
    assert_int_equal(arg(e, 0)->kind, E_STAR);
    e = ex("COUNT(DISTINCT x)");
    assert_int_equal(e->distinct, 1);
    assert_col(arg(e, 0), NULL, "x");
    e = ex("round(a, 2)");
    assert_string_equal(e->sval, "ROUND");
    assert_int_equal(e->args.n, 2);
    assert_int_equal(e->has_over, 0);
    e = ex("now()");
    assert_int_equal(e->args.n, 0);
    e = ex("CURRENT_TIMESTAMP");
    assert_int_equal(e->kind, E_FUNC);
    assert_string_equal(e->sval, "CURRENT_TIMESTAMP");
    assert_int_equal(e->args.n, 0);
    e = ex("left(s, 3)");
    assert_string_equal(e->sval, "LEFT");
    assert_int_equal(e->args.n, 2);
}

static void test_over(void **state)
{
    (void)state;
    Expr *e = ex("ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY ts DESC)");
    assert_int_equal(e->has_over, 1);
    assert_int_equal(e->partition_by.n, 2);
    assert_int_equal(e->over_order.n, 1);
    assert_int_equal(((OrderItem *)e->over_order.v[0])->desc, 1);
    assert_int_equal(e->frame, FRAME_NONE);

    e = ex("AVG(p) OVER (PARTITION BY s ORDER BY ts ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)");
    assert_int_equal(e->frame, FRAME_ROWS);
    assert_true(e->frame_n == 9);
    e = ex("SUM(p) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING)");
    assert_int_equal(e->frame, FRAME_ROWS);
    assert_true(e->frame_n == -1);
    e = ex("SUM(p) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)");
    assert_int_equal(e->frame, FRAME_RANGE);
    assert_true(e->frame_n == 3600000000LL);
    e = ex("LAG(p, 1) OVER (PARTITION BY s ROWS WINDOW BUFFER 100 ROWS)");
    assert_int_equal(e->frame, FRAME_BUFFER);
    assert_true(e->frame_n == 100);
    e = ex("RANK() OVER ()");
    assert_int_equal(e->has_over, 1);

    const char *o = errs("SELECT SUM(p) OVER (ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW)", 1);
    assert_non_null(strstr(o, "expected PRECEDING in window frame (frames end at CURRENT ROW), found 'FOLLOWING'"));
}

static void test_case_cast_extract(void **state)
{
    (void)state;
    Expr *e = ex("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END");
    assert_int_equal(e->kind, E_CASE);
    assert_null(e->left);
    assert_int_equal(e->args.n, 4);
    assert_int_equal(arg(e, 0)->kind, E_BINARY);
    assert_int_equal(arg(e, 3)->kind, E_LIT_STR);
    assert_non_null(e->else_);
    e = ex("CASE s WHEN 'a' THEN 1 END");
    assert_col(e->left, NULL, "s");
    assert_int_equal(e->args.n, 2);
    assert_null(e->else_);

    e = ex("CAST(a AS DECIMAL(10,2))");
    assert_int_equal(e->kind, E_CAST);
    assert_int_equal(e->cast_to.tag, VT_DECIMAL);
    assert_int_equal(e->cast_to.scale, 2);
    e = ex("a::bigint::string");
    assert_int_equal(e->kind, E_CAST);
    assert_int_equal(e->cast_to.tag, VT_STRING);
    assert_int_equal(e->left->kind, E_CAST);
    assert_int_equal(e->left->cast_to.tag, VT_BIGINT);

    const char *fields[] = {"YEAR", "QUARTER", "MONTH",  "WEEK",        "DAY",         "DOW",  "DOY",
                            "HOUR", "MINUTE",  "SECOND", "MILLISECOND", "MICROSECOND", "EPOCH"};
    int ids[] = {VT_F_YEAR, VT_F_QUARTER, VT_F_MONTH,  VT_F_WEEK,        VT_F_DAY,         VT_F_DOW,  VT_F_DOY,
                 VT_F_HOUR, VT_F_MINUTE,  VT_F_SECOND, VT_F_MILLISECOND, VT_F_MICROSECOND, VT_F_EPOCH};
    for (int i = 0; i < 13; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "EXTRACT(%s FROM ts)", fields[i]);
        e = ex(buf);
        assert_int_equal(e->kind, E_EXTRACT);
        assert_true(e->ival == ids[i]);
        assert_col(e->left, NULL, "ts");
    }
    const char *o = errs("SELECT EXTRACT(MONHT FROM ts)", 1);
    assert_non_null(strstr(o, "unknown EXTRACT field 'MONHT' (did you mean 'MONTH'?)"));
    errs("SELECT CASE END", 1);
}

static void test_predicates(void **state)
{
    (void)state;
    Expr *e = ex("a BETWEEN 1 AND 2 AND b");
    assert_int_equal(e->kind, E_BINARY);
    assert_int_equal(e->op, OP_AND);
    assert_int_equal(e->left->kind, E_BETWEEN);
    assert_int_equal(e->left->negated, 0);
    assert_int_lit(e->left->right, 1);
    assert_int_lit(e->left->third, 2);
    e = ex("a NOT BETWEEN 1 AND 2");
    assert_int_equal(e->kind, E_BETWEEN);
    assert_int_equal(e->negated, 1);
    e = ex("a IN (1, 2, 3)");
    assert_int_equal(e->kind, E_IN_LIST);
    assert_int_equal(e->args.n, 3);
    e = ex("a NOT IN (SELECT b FROM t)");
    assert_int_equal(e->kind, E_IN_SUBQUERY);
    assert_int_equal(e->negated, 1);
    assert_non_null(e->subquery);
    e = ex("EXISTS (SELECT 1 FROM t)");
    assert_int_equal(e->kind, E_EXISTS);
    assert_int_equal(e->negated, 0);
    e = ex("NOT EXISTS (SELECT 1 FROM t)");
    assert_int_equal(e->kind, E_EXISTS);
    assert_int_equal(e->negated, 1);
    assert_int_equal(e->pos.col, 8);
    e = ex("(SELECT MAX(x) FROM t) + 1");
    assert_int_equal(e->left->kind, E_SUBQUERY);
    e = ex("s LIKE 'a%' ESCAPE '!'");
    assert_int_equal(e->kind, E_LIKE);
    assert_int_equal(e->right->kind, E_LIT_STR);
    assert_string_equal(e->third->sval, "!");
    e = ex("s NOT LIKE 'a%'");
    assert_int_equal(e->negated, 1);
    assert_null(e->third);
    e = ex("a IS NULL");
    assert_int_equal(e->kind, E_IS_NULL);
    assert_int_equal(e->negated, 0);
    e = ex("a IS NOT NULL");
    assert_int_equal(e->negated, 1);
    e = ex("a <> b");
    assert_int_equal(e->op, OP_NE);
    assert_int_equal(ex("a != b")->op, OP_NE);
    assert_int_equal(ex("a == b")->op, OP_EQ);
    assert_int_equal(ex("a >= b")->op, OP_GE);
    assert_int_equal(ex("a <= b")->op, OP_LE);
    assert_int_equal(ex("a % b")->op, OP_MOD);
}

static void test_special_forms(void **state)
{
    (void)state;
    Expr *e = ex("TRIM(s)");
    assert_string_equal(e->sval, "TRIM");
    assert_int_equal(e->args.n, 1);
    e = ex("TRIM(LEADING FROM s)");
    assert_string_equal(e->sval, "LTRIM");
    assert_int_equal(e->args.n, 1);
    e = ex("TRIM(TRAILING 'x' FROM s)");
    assert_string_equal(e->sval, "RTRIM");
    assert_int_equal(e->args.n, 2);
    assert_col(arg(e, 0), NULL, "s");
    assert_string_equal(arg(e, 1)->sval, "x");
    e = ex("TRIM(BOTH ' ' FROM s)");
    assert_string_equal(e->sval, "TRIM");
    assert_int_equal(e->args.n, 2);
    e = ex("TRIM('x' FROM s)");
    assert_int_equal(e->args.n, 2);
    assert_col(arg(e, 0), NULL, "s");
    e = ex("POSITION('b' IN s)");
    assert_string_equal(e->sval, "POSITION");
    assert_int_equal(e->args.n, 2);
    assert_string_equal(arg(e, 0)->sval, "b");
    assert_col(arg(e, 1), NULL, "s");
    e = ex("SUBSTRING(s FROM 2 FOR 3)");
    assert_string_equal(e->sval, "SUBSTRING");
    assert_int_equal(e->args.n, 3);
    assert_int_lit(arg(e, 1), 2);
    assert_int_lit(arg(e, 2), 3);
    e = ex("substring(s FROM 2)");
    assert_int_equal(e->args.n, 2);
    e = ex("SUBSTRING(s FOR 4)");
    assert_int_equal(e->args.n, 3);
    assert_int_lit(arg(e, 1), 1);
    e = ex("SUBSTRING(s, 1, 2)");
    assert_int_equal(e->args.n, 3);
}

static void test_precedence(void **state)
{
    (void)state;
    Expr *e = ex("1 + 2 * 3");
    assert_int_equal(e->op, OP_ADD);
    assert_int_lit(e->left, 1);
    assert_int_equal(e->right->op, OP_MUL);
    e = ex("1 - 2 - 3");
    assert_int_equal(e->op, OP_SUB);
    assert_int_equal(e->left->op, OP_SUB);
    assert_int_lit(e->right, 3);
    e = ex("a OR b AND c");
    assert_int_equal(e->op, OP_OR);
    assert_int_equal(e->right->op, OP_AND);
    e = ex("NOT a = b");
    assert_int_equal(e->kind, E_UNARY);
    assert_int_equal(e->op, 'N');
    assert_int_equal(e->left->op, OP_EQ);
    e = ex("NOT a AND b");
    assert_int_equal(e->op, OP_AND);
    assert_int_equal(e->left->kind, E_UNARY);
    e = ex("a || b + c");
    assert_int_equal(e->op, OP_CONCAT);
    assert_int_equal(e->right->op, OP_ADD);
    e = ex("a || b = c");
    assert_int_equal(e->op, OP_EQ);
    assert_int_equal(e->left->op, OP_CONCAT);
    e = ex("-a * b");
    assert_int_equal(e->op, OP_MUL);
    assert_int_equal(e->left->kind, E_UNARY);
    assert_int_equal(e->left->op, '-');
    e = ex("-a::int");
    assert_int_equal(e->kind, E_UNARY);
    assert_int_equal(e->left->kind, E_CAST);
    e = ex("-5::int");
    assert_int_equal(e->kind, E_UNARY);
    assert_int_equal(e->left->kind, E_CAST);
    e = ex("+a");
    assert_int_equal(e->kind, E_UNARY);
    assert_int_equal(e->op, '+');
    e = ex("(1 + 2) * 3");
    assert_int_equal(e->op, OP_MUL);
    assert_int_equal(e->left->op, OP_ADD);
    assert_int_equal(e->pos.col, 9); /* a binary node starts at its left operand */
    e = ex("a = 1 OR b IS NULL AND c LIKE 'x' || 'y'");
    assert_int_equal(e->op, OP_OR);
    assert_int_equal(e->right->right->kind, E_LIKE);
    assert_int_equal(e->right->right->right->op, OP_CONCAT);
    e = ex("ts - INTERVAL '5' MINUTE > ts2");
    assert_int_equal(e->op, OP_GT);
    assert_int_equal(e->left->op, OP_SUB);
    assert_int_equal(e->left->right->kind, E_LIT_INTERVAL);
}

/* ---- errors and recovery -------------------------------------------------- */

static void test_error_messages(void **state)
{
    (void)state;
    const char *o = errs("CREATE STREAM s (a INT, b STRING FROM x", 1);
    assert_string_equal(o, "q.sql:1:34: error: expected ')' after column list, found 'FROM'\n"
                           "CREATE STREAM s (a INT, b STRING FROM x\n"
                           "                                 ^\n");
    o = errs("SELECT a FROM", 1);
    assert_string_equal(o, "q.sql:1:14: error: expected table name, found end of input\n"
                           "SELECT a FROM\n"
                           "             ^\n");
    o = errs("SELECT FROM t", 1);
    assert_string_equal(o, "q.sql:1:8: error: expected an expression, found 'FROM'\n"
                           "SELECT FROM t\n"
                           "       ^\n");
    o = errs("SELCT a FROM t", 1);
    assert_string_equal(o, "q.sql:1:1: error: expected a statement (SELECT, CREATE, INSERT, ...), "
                           "found 'SELCT' (did you mean 'SELECT'?)\n"
                           "SELCT a FROM t\n"
                           "^\n");
    o = errs("SELECT a FROM t WHERE a = 'x' GROUP a", 1);
    assert_non_null(strstr(o, "q.sql:1:37: error: expected BY after GROUP, found 'a'"));
    o = errs("SELECT a, FROM t", 1);
    assert_non_null(strstr(o, "expected an expression, found 'FROM'"));
    o = errs("SELECT a FROM t x y", 1);
    assert_non_null(strstr(o, "q.sql:1:19: error: expected ';' after statement, found 'y'"));
    o = errs("CREATE STREAM s", 1);
    assert_non_null(strstr(o, "expected '(' or AS after stream name, found end of input"));
    o = errs("SELECT a FORM t", 1);
    assert_string_equal(o, "q.sql:1:10: error: unexpected 'FORM' (did you mean 'FROM'?)\n"
                           "SELECT a FORM t\n"
                           "         ^\n");
    o = errs("SELECT a FROM t WHER a > 1", 1);
    assert_non_null(strstr(o, "q.sql:1:17: error: unexpected 'WHER' (did you mean 'WHERE'?)"));
    o = errs("SELECT (a + 1 FROM t", 1);
    assert_non_null(strstr(o, "expected ')' to close '(', found 'FROM'"));
}

static void test_recovery(void **state)
{
    (void)state;
    const char *src = "SELECT a FROM t WHERE;\n"
                      "SELECT b FROM u;\n"
                      "CREATE STREAM x (a INT,, b INT) WITH ('k'='v');\n"
                      "SELECT c FROM v";
    const char *o = errs(src, 2);
    assert_string_equal(o, "q.sql:1:22: error: expected an expression, found ';'\n"
                           "SELECT a FROM t WHERE;\n"
                           "                     ^\n"
                           "q.sql:3:24: error: expected column name, found ','\n"
                           "CREATE STREAM x (a INT,, b INT) WITH ('k'='v');\n"
                           "                       ^\n");
    /* the good statements are kept */
    assert_int_equal(g_s.stmts.n, 2);
    assert_col(((SelectItem *)((Select *)((Stmt *)g_s.stmts.v[1])->query->selects.v[0])->items.v[0])->expr, NULL, "c");
}

static void test_lexical_error_reported_once(void **state)
{
    (void)state;
    const char *o = errs("SELECT a @ b FROM t; SELECT 'oops", 2);
    assert_string_equal(o, "q.sql:1:10: error: unexpected character '@'\n"
                           "SELECT a @ b FROM t; SELECT 'oops\n"
                           "         ^\n"
                           "q.sql:1:29: error: unterminated string literal\n"
                           "SELECT a @ b FROM t; SELECT 'oops\n"
                           "                            ^\n");
    assert_int_equal(g_s.stmts.n, 0);
}

static void test_reserved_words_and_aliases(void **state)
{
    (void)state;
    Stmt *s = one("SELECT a FROM t WHERE b");
    assert_null(((SelectItem *)sel(s, 0)->items.v[0])->alias);
    assert_null(((TableRef *)sel(s, 0)->from.v[0])->alias);
    s = one("SELECT count(*) total FROM t");
    assert_string_equal(((SelectItem *)sel(s, 0)->items.v[0])->alias, "total");
    const char *o = errs("SELECT a AS FROM FROM t", 1);
    assert_non_null(strstr(o, "expected alias after AS, found 'FROM'"));
    errs("SELECT * FROM select", 1);
    s = one("SELECT \"from\" FROM \"select\"");
    assert_col(((SelectItem *)sel(s, 0)->items.v[0])->expr, NULL, "from");
    assert_string_equal(((TableRef *)sel(s, 0)->from.v[0])->name, "select");
}

static void test_script(void **state)
{
    (void)state;
    const char *src = ";; -- comment only\nCREATE STREAM a (x INT);\n\nSELECT x FROM a;;\n"
                      "/* tail */ SHOW STREAMS;";
    assert_int_equal(parse(src, strlen(src)), 0);
    assert_int_equal(g_s.stmts.n, 3);
    Stmt *s = g_s.stmts.v[1];
    assert_int_equal(s->kind, S_SELECT);
    assert_int_equal(s->pos.line, 4);
    assert_int_equal(s->pos.col, 1);
    assert_int_equal(s->pos.off, 45);
    assert_int_equal(parse("", 0), 0);
    assert_int_equal(g_s.stmts.n, 0);
}

static void test_ast_helpers(void **state)
{
    (void)state;
    assert_string_equal(ast_binop_name(OP_ADD), "+");
    assert_string_equal(ast_binop_name(OP_CONCAT), "||");
    assert_string_equal(ast_binop_name(OP_NE), "<>");
    assert_string_equal(ast_binop_name(OP_AND), "AND");
    assert_string_equal(ast_binop_name(OP_OR), "OR");
    assert_string_equal(ast_binop_name(99), "?");
    SrcPos pos = {3, 4, 5};
    Expr *e = ast_expr_new(&g_a, E_COLUMN, pos);
    assert_int_equal(e->kind, E_COLUMN);
    assert_int_equal(e->pos.col, 4);
    assert_int_equal(e->agg_index, -1);
    assert_int_equal(e->col_index, -1);
    assert_int_equal(e->rel_index, -1);
    PtrVec v = {0};
    for (intptr_t i = 0; i < 100; i++) pv_push(&g_a, &v, (void *)i);
    assert_int_equal(v.n, 100);
    assert_true(v.v[57] == (void *)57);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_stream_columns),
        T(test_create_table_keys),
        T(test_types),
        T(test_type_errors),
        T(test_create_as),
        T(test_insert_and_select_into),
        T(test_explain),
        T(test_show_describe),
        T(test_select_items),
        T(test_from_and_joins),
        T(test_clauses),
        T(test_windows),
        T(test_union_and_ctes),
        T(test_literals),
        T(test_timestamp_literals),
        T(test_interval_literals),
        T(test_columns),
        T(test_functions),
        T(test_over),
        T(test_case_cast_extract),
        T(test_predicates),
        T(test_special_forms),
        T(test_precedence),
        T(test_error_messages),
        T(test_recovery),
        T(test_lexical_error_reported_once),
        T(test_reserved_words_and_aliases),
        T(test_script),
        T(test_ast_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
