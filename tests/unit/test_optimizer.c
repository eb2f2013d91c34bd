/*
 * test_optimizer.c -- the rewrite passes (optimizer/optimizer.c) and EXPLAIN
 * (optimizer/explain.c): constant folding with the runtime's arithmetic,
 * predicate pushdown into the scan ordered by cost, projection pushdown,
 * redundant joins and join elimination, switching passes off, the fired counters, and the exact EXPLAIN text of
 * small plans with costs off.
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

#include "binder.h"
#include "explain.h"
#include "parser.h"

static char tdir[64];
static Arena g_a;
static Diag g_d;
static Catalog g_c;
static Job g_job;
static Script g_s;
static PtrVec g_meta;
static Optimizer g_o;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* t(id BIGINT, sym STRING, price DECIMAL(6,2), qty BIGINT, ts TIMESTAMP) */
static int setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_opt_XXXXXX");
    if (!mkdtemp(tdir)) return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", tdir);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs("id,sym,price,qty,ts\n1,AAA,12.50,100,2026-03-02 09:30:00\n2,BBB,7.25,2000,2026-03-02 09:31:00\n", f);
    fclose(f);
    ar_init(&g_a);
    memset(&g_job, 0, sizeof g_job);
    memset(&g_meta, 0, sizeof g_meta);
    diag_init(&g_d, "q.sql", NULL, 0);
    cat_init(&g_c, &g_a, &g_d, tdir);
    PtrVec props = {0};
    Property *p = ar_alloc(&g_a, sizeof *p);
    p->key = "path";
    p->value = "t.csv";
    pv_push(&g_a, &props, p);
    if (!cat_define(&g_c, "t", (SrcPos){1, 1, 0}, 0, NULL, &props, -1)) return -1;
    opt_init(&g_o, &g_a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ar_free(&g_a);
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Parse and bind src (one query, no errors); the optimizer is not run. */
static Plan *bind_one(const char *src)
{
    memset(&g_s, 0, sizeof g_s);
    g_s.path = "q.sql";
    g_s.text = src;
    g_s.len = strlen(src);
    g_d.text = src;
    g_d.len = g_s.len;
    assert_int_equal(ps_parse_script(&g_a, &g_d, &g_s), 0);
    Binder b;
    bd_init(&b, &g_a, &g_d, &g_c, &g_job);
    assert_int_equal(bd_bind_script(&b, &g_s, &g_meta), 0);
    assert_int_equal(g_job.plans.n, 1);
    return g_job.plans.v[0];
}

static Plan *optimize(const char *src)
{
    bind_one(src);
    opt_run(&g_o, &g_job);
    return g_job.plans.v[0];
}

static const char *shape(const Plan *p)
{
    StrBuf b;
    sb_init(&b);
    for (; p; p = p->child) sb_printf(&b, "%s%s", pl_kind_name(p->kind), p->child ? " <- " : "");
    char *s = ar_strdup(&g_a, b.p);
    sb_free(&b);
    return s;
}

static const Plan *find(const Plan *p, PlanKind k)
{
    while (p && p->kind != k) p = p->child;
    assert_non_null(p);
    return p;
}

static const char *needed(const Plan *scan)
{
    char *s = ar_alloc(&g_a, (size_t)scan->ncols + 1);
    for (int i = 0; i < scan->ncols; i++) s[i] = scan->needed[i] ? '1' : '0';
    return s;
}

static int fired(const char *name)
{
    for (int i = 0; i < g_o.npasses; i++)
        if (!strcmp(g_o.pass[i].name, name)) return g_o.pass[i].fired;
    fail_msg("no pass %s", name);
    return -1;
}

/* ---- constant folding ---------------------------------------------------- */

static void test_fold_constants(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT 1 + 2 * 3 AS a, ROUND(2.345, 2) AS b, TRUE AND qty > 1 AS c, FALSE AND qty > 1 AS d, "
                       "1 / 0 AS e, qty > 1 OR TRUE AS f, NOT FALSE AS g, 'a' || 'b' AS h, -(2.5) AS i, "
                       "CASE WHEN TRUE THEN 1 ELSE 2 END AS j, 7 / 2 AS k, 1 = 1.0 AS l, "
                       "CAST(5 AS DECIMAL(6,2)) AS m, NULL IS NULL AS n, 2147483647 + 1 AS o, "
                       "ROUND(-2.345, 2) AS p, 10 % 4 AS q, 0.1 + 0.2 AS r FROM t;");
    const Plan *proj = find(s, P_PROJECT);
    const char *want[] = {"7", "2.35", "(qty > 1)", "FALSE", "(1 / 0)",          "TRUE",  "TRUE", "'ab'", "-2.5", "1",
                          "3", "TRUE", "5.00",      "TRUE",  "(2147483647 + 1)", "-2.35", "2",    "0.3"};
    assert_int_equal(proj->ncols, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < proj->ncols; i++) {
        const char *got = xp_expr(&g_a, proj->exprs[i], proj->child);
        if (strcmp(got, want[i])) fail_msg("column %s: got %s, want %s", proj->cols[i].name, got, want[i]);
    }
    assert_int_equal(proj->exprs[0]->kind, E_LIT_INT);
    assert_int_equal(proj->exprs[0]->ival, 7);
    assert_int_equal(proj->exprs[1]->kind, E_LIT_DEC);
    assert_int_equal(proj->exprs[1]->ival, 235);
    assert_int_equal(proj->exprs[1]->scale, 2);
    assert_int_equal(proj->exprs[3]->kind, E_LIT_BOOL);
    assert_int_equal(proj->exprs[3]->ival, 0);
    /* division by zero and overflow are errors for a record at run time,
     * never folded away at compile time */
    assert_int_equal(proj->exprs[4]->kind, E_BINARY);
    assert_int_equal(proj->exprs[14]->kind, E_BINARY);
    /* folded literals keep the expression's type */
    assert_string_equal(ty_name(&g_a, proj->cols[12].type), "DECIMAL(6,2)");
    assert_true(fired("constant_folding") >= 17);
}

static void test_fold_drops_true_filter(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT id FROM t WHERE 1 = 1 AND 2 > 1;");
    assert_string_equal(shape(s), "Sink <- Project <- Scan");
    assert_int_equal(find(s, P_SCAN)->pushed.n, 0);
    assert_int_equal(fired("predicate_pushdown"), 0);
}

static void test_fold_disabled(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "constant_folding"), 0);
    Plan *s = optimize("SELECT 1 + 2 AS a FROM t;");
    assert_int_equal(find(s, P_PROJECT)->exprs[0]->kind, E_BINARY);
    assert_int_equal(fired("constant_folding"), 0);
}

/* ---- predicate pushdown -------------------------------------------------- */

static void test_pushdown_by_cost(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT id FROM t WHERE sym LIKE 'A%' AND qty > 10 AND price * 2 > 1 AND id < 5;");
    assert_string_equal(shape(s), "Sink <- Project <- Scan");
    const Plan *scan = find(s, P_SCAN);
    assert_int_equal(scan->pushed.n, 4);
    /* cheap comparisons first (in their written order), arithmetic, then strings */
    const char *want[] = {"(qty > 10)", "(id < 5)", "((price * 2) > 1)", "sym LIKE 'A%'"};
    for (int i = 0; i < 4; i++) assert_string_equal(xp_expr(&g_a, scan->pushed.v[i], scan), want[i]);
    assert_int_equal(fired("predicate_pushdown"), 4);
    /* measured on the file's two sampled rows (the arithmetic one by its
       default, 1/3): at most 2/3 of a row, so at least 1 */
    assert_true(scan->est_rows == 1.0);
    assert_string_equal(scan->est_source, "stats");
}

static void test_pushdown_disabled(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "predicate_pushdown"), 0);
    Plan *s = optimize("SELECT id FROM t WHERE qty > 10;");
    assert_string_equal(shape(s), "Sink <- Project <- Filter <- Scan");
    assert_int_equal(find(s, P_SCAN)->pushed.n, 0);
    assert_int_equal(fired("predicate_pushdown"), 0);
}

static void test_pushdown_not_past_aggregate(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT sym, SUM(qty) FROM t WHERE qty > 1 GROUP BY sym HAVING SUM(qty) > 10;");
    assert_string_equal(shape(s), "Sink <- Project <- Filter <- Aggregate <- Scan");
    assert_int_equal(find(s, P_SCAN)->pushed.n, 1);
    assert_int_equal(fired("predicate_pushdown"), 1);
}

/* ---- projection pushdown ------------------------------------------------- */

static void test_projection_pushdown(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT sym FROM t WHERE qty > 10;");
    const Plan *scan = find(s, P_SCAN);
    assert_string_equal(needed(scan), "01010"); /* sym, and qty for the pushed filter */
    assert_int_equal(fired("projection_pushdown"), 1);
}

static void test_projection_pushdown_aggregate(void **state)
{
    (void)state;
    Plan *s = optimize("SELECT sym, SUM(qty) AS s FROM t GROUP BY sym ORDER BY s;");
    const Plan *scan = find(s, P_SCAN);
    assert_string_equal(needed(scan), "01010");
}

static void test_projection_pushdown_disabled(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "projection_pushdown"), 0);
    Plan *s = optimize("SELECT sym FROM t WHERE qty > 10;");
    assert_string_equal(needed(find(s, P_SCAN)), "11111");
    assert_int_equal(fired("projection_pushdown"), 0);
}

/* ---- pass registry ------------------------------------------------------- */

static void test_pass_names(void **state)
{
    (void)state;
    assert_int_equal(g_o.npasses, 7);
    assert_string_equal(g_o.pass[0].name, "constant_folding");
    assert_string_equal(g_o.pass[1].name, "predicate_pushdown");
    assert_string_equal(g_o.pass[2].name, "join_reorder");
    assert_string_equal(g_o.pass[3].name, "join_equivalences");
    assert_string_equal(g_o.pass[4].name, "redundant_joins");
    assert_string_equal(g_o.pass[5].name, "projection_pushdown");
    assert_string_equal(g_o.pass[6].name, "join_elimination");
    for (int i = 0; i < 7; i++) assert_int_equal(g_o.pass[i].enabled, 1);
    assert_int_equal(opt_disable(&g_o, "no_such_pass"), -1);
    assert_int_equal(opt_disable(&g_o, ""), -1);
    for (int i = 0; i < 7; i++) assert_int_equal(g_o.pass[i].enabled, 1);
    assert_string_equal(opt_suggest(&g_o, "predicate_pushdwn"), "predicate_pushdown");
    assert_string_equal(opt_suggest(&g_o, "constant-folding"), "constant_folding");
    assert_null(opt_suggest(&g_o, "vectorize_loops"));
}

static void test_fired_accumulates(void **state)
{
    (void)state;
    /* two statements: counters add up over the whole job */
    const char *src = "SELECT id FROM t WHERE qty > 1 AND id > 0;\nSELECT sym FROM t WHERE qty > 2;";
    memset(&g_s, 0, sizeof g_s);
    g_s.path = "q.sql";
    g_s.text = src;
    g_s.len = strlen(src);
    assert_int_equal(ps_parse_script(&g_a, &g_d, &g_s), 0);
    Binder b;
    bd_init(&b, &g_a, &g_d, &g_c, &g_job);
    assert_int_equal(bd_bind_script(&b, &g_s, &g_meta), 0);
    opt_run(&g_o, &g_job);
    assert_int_equal(fired("predicate_pushdown"), 3);
    assert_int_equal(fired("constant_folding"), 0);
    /* ids renumbered bottom-up across statements: scans first */
    Plan *r0 = g_job.plans.v[0], *r1 = g_job.plans.v[1];
    assert_int_equal(find(r0, P_SCAN)->id, 1);
    assert_int_equal(r0->id, 3);
    assert_int_equal(find(r1, P_SCAN)->id, 4);
    assert_int_equal(r1->id, 6);
}

/* ---- redundant joins and join elimination -------------------------------- */

/* k: t's file declared with id as its PRIMARY KEY */
#define K_DDL                                                                                                                              \
    "CREATE TABLE k (id BIGINT PRIMARY KEY, sym STRING, price DECIMAL(6,2), qty BIGINT, ts TIMESTAMP)\n"                                   \
    "  WITH ('type' = 'file_source', 'path' = 't.csv', 'format' = 'csv');\n"

static int count_kind(const Plan *p, PlanKind k)
{
    int n = p->kind == k;
    if (p->child) n += count_kind(p->child, k);
    for (int i = 0; i < p->inputs.n; i++) n += count_kind(p->inputs.v[i], k);
    return n;
}

static void test_redundant_self_join(void **state)
{
    (void)state;
    Plan *p = optimize(K_DDL "SELECT a.sym, b.price FROM k a JOIN k b ON a.id = b.id;");
    assert_int_equal(fired("redundant_joins"), 1);
    assert_int_equal(count_kind(p, P_JOIN), 0);
    /* the key must be non-NULL, as it must to match itself */
    const Plan *f = find(p, P_FILTER);
    assert_int_equal(f->pred->kind, E_IS_NULL);
    assert_int_equal(f->pred->negated, 1);
    assert_int_equal(count_kind(p, P_SCAN), 1);
}

static void test_redundant_repeated_join(void **state)
{
    (void)state;
    Plan *p = optimize(K_DDL "SELECT t.id, x.sym, y.price, z.qty FROM t JOIN k x ON t.qty = x.id JOIN k y ON t.qty = y.id\n"
                             "  JOIN k z ON t.qty = z.id AND z.price > 1;");
    assert_int_equal(fired("redundant_joins"), 2);
    assert_int_equal(count_kind(p, P_JOIN), 1);
}

static void test_redundant_not_fired(void **state)
{
    (void)state;
    /* not the key; t declares no key; the first copy is behind an outer join */
    Plan *p = optimize(K_DDL "SELECT a.id, b.price FROM k a JOIN k b ON a.sym = b.sym;");
    assert_int_equal(count_kind(p, P_JOIN), 1);
    g_job.plans.n = 0;
    p = optimize("SELECT a.id, b.price FROM t a JOIN t b ON a.id = b.id;");
    assert_int_equal(count_kind(p, P_JOIN), 1);
    g_job.plans.n = 0;
    p = optimize("SELECT t.id, x.sym, y.price FROM t LEFT JOIN k x ON t.qty = x.id JOIN k y ON t.qty = y.id;");
    assert_int_equal(count_kind(p, P_JOIN), 2);
    assert_int_equal(fired("redundant_joins"), 0);
}

static void test_redundant_disabled(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "redundant_joins"), 0);
    Plan *p = optimize(K_DDL "SELECT a.sym, b.price FROM k a JOIN k b ON a.id = b.id;");
    assert_int_equal(fired("redundant_joins"), 0);
    assert_int_equal(count_kind(p, P_JOIN), 1);
}

static void test_eliminate_group_key(void **state)
{
    (void)state;
    Plan *p = optimize("SELECT t.id FROM t LEFT JOIN (SELECT sym, COUNT(*) AS n FROM t GROUP BY sym) g ON g.sym = t.sym;");
    assert_int_equal(fired("join_elimination"), 1);
    assert_int_equal(count_kind(p, P_JOIN), 0);
    /* a join on part of the group keys may match several rows: kept */
    g_job.plans.n = 0;
    p = optimize("SELECT t.id FROM t LEFT JOIN (SELECT sym, qty FROM t GROUP BY sym, qty) g ON g.sym = t.sym;");
    assert_int_equal(fired("join_elimination"), 1);
    assert_int_equal(count_kind(p, P_JOIN), 1);
}

/* ---- EXPLAIN ------------------------------------------------------------- */

static const char *explain(int costs)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ExplainInfo info = {0};
    info.job = &g_job;
    info.opt = &g_o;
    info.costs = costs;
    xp_text(f, &g_a, &info);
    fclose(f);
    char *s = ar_strdup(&g_a, buf);
    free(buf);
    return s;
}

/* EXPLAIN's pass lines around predicate_pushdown's, in the two text tests
 * below (projection_pushdown off, nothing else fired). */
#define PASS_FOLD "  constant_folding     on  fired 0  -- evaluate constant expressions at compile time; the cheaper OR operands first\n"
#define PASSES_AFTER_PUSHDOWN                                                                                                              \
    "  join_reorder         on  fired 0  -- order inner joins by estimated cost (DPccp up to 12 inputs, greedy above)\n"                   \
    "  join_equivalences    on  fired 0  -- join on equalities the written ones imply (a = b AND b = c gives a = c)\n"                     \
    "  redundant_joins      on  fired 0  -- replace an inner join to a PRIMARY KEY row already in the plan by that row's columns\n"        \
    "  projection_pushdown  off fired 0  -- decode only the columns the query reads\n"                                                     \
    "  join_elimination     on  fired 0  -- drop LEFT joins to a unique key (PRIMARY KEY, GROUP BY) whose columns nobody reads\n"

static void test_explain_text(void **state)
{
    (void)state;
    /* projection pushdown off keeps this text independent of that pass */
    assert_int_equal(opt_disable(&g_o, "projection_pushdown"), 0);
    optimize("SELECT sym, price * qty AS n FROM t WHERE qty > 10 AND sym <> 'x';");
    assert_string_equal(
        explain(0),
        "Plan:\n"
        "  [3] Sink stdout\n"
        "  `- [2] Project sym AS sym, (price * qty) AS n\n"
        "     `- [1] Scan t (file csv) decode 5/5 columns [id, sym, price, qty, ts] "
        "filter in decoder: (qty > 10) AND (sym <> 'x')\n"
        "Pipelines:\n"
        "  pipeline 1: [1] Scan -> [2] Project -> [3] Sink\n"
        "Optimizer passes:\n" PASS_FOLD
        "  predicate_pushdown   on  fired 2  -- push WHERE/ON conjuncts through joins into the scans' decoders\n" PASSES_AFTER_PUSHDOWN);
}

static void test_explain_aggregate(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "projection_pushdown"), 0);
    optimize("SELECT sym, COUNT(*) AS n, SUM(qty) FROM t GROUP BY sym HAVING COUNT(*) > 1 ORDER BY n DESC LIMIT 3;");
    assert_string_equal(
        explain(0),
        "Plan:\n"
        "  [6] Sink stdout\n"
        "  `- [5] Sort by n DESC limit 3\n"
        "     `- [4] Project sym AS sym, agg1 AS n, agg2 AS sum\n"
        "        `- [3] Filter (agg1 > 1)\n"
        "           `- [2] Aggregate keys [sym] aggs [COUNT(*), SUM(qty)] emit FINAL\n"
        "              `- [1] Scan t (file csv) decode 5/5 columns [id, sym, price, qty, ts]\n"
        "Pipelines:\n"
        "  pipeline 1: [1] Scan -> [2] Aggregate (build)\n"
        "  pipeline 2: [2] Aggregate (emit) -> [3] Filter -> [4] Project -> [5] Sort (build)\n"
        "  pipeline 3: [5] Sort (emit) -> [6] Sink\n"
        "Optimizer passes:\n" PASS_FOLD
        "  predicate_pushdown   on  fired 0  -- push WHERE/ON conjuncts through joins into the scans' decoders\n" PASSES_AFTER_PUSHDOWN);
}

static void test_explain_costs(void **state)
{
    (void)state;
    optimize("SELECT id FROM t;");
    const char *s = explain(1);
    assert_non_null(strstr(s, "[1] Scan t (file csv) decode"));
    /* sampled: 2 data rows; cost: the scan reads 2 records, the Project
       and the Sink pass 2 rows each on top of that */
    assert_non_null(strstr(s, "(rows=2 stats, cost=2)\n"));
    assert_non_null(strstr(s, "[3] Sink stdout  (rows=2 stats, cost=6)\n"));
    assert_non_null(strstr(s, "Generated C: 0 bytes, 0 lines, 0 pipelines\n"));
    assert_non_null(strstr(s, "Compile timings (ms): parse 0.000"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fold_constants),
        T(test_fold_drops_true_filter),
        T(test_fold_disabled),
        T(test_pushdown_by_cost),
        T(test_pushdown_disabled),
        T(test_pushdown_not_past_aggregate),
        T(test_projection_pushdown),
        T(test_projection_pushdown_aggregate),
        T(test_projection_pushdown_disabled),
        T(test_pass_names),
        T(test_fired_accumulates),
        T(test_redundant_self_join),
        T(test_redundant_repeated_join),
        T(test_redundant_not_fired),
        T(test_redundant_disabled),
        T(test_eliminate_group_key),
        T(test_explain_text),
        T(test_explain_aggregate),
        T(test_explain_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
