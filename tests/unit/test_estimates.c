/*
 * test_estimates.c -- cardinality estimates on known data: CSV files written
 * to a temporary directory, declared with CREATE TABLE and bound through the
 * real parser, binder and optimizer. Row counts by sampling (exact on small
 * files, within 10% on files larger than the sample), distinct values of a
 * key and of a low-cardinality column, the 'stats.rows' and
 * 'stats.ndv.<col>' overrides and their "declared" label, the default
 * selectivities of docs/ARCHITECTURE.md on a scan with pushed filters (and on
 * a Filter when pushdown is off), foreign-key join estimates, and column
 * ranges (sampled and declared) with what they bound: distinct dates, the
 * years of a GROUP BY, range filters without a sample.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "binder.h"
#include "explain.h"
#include "parser.h"

enum { SMALL_ROWS = 500, BIG_ROWS = 200000, FACT_ROWS = 3000, DIM_ROWS = 50, PS_PARTS = 200, LI_ROWS = 1500, DAYS = 2000 };

static char tdir[64];
static int hotfk_ndv; /* write_files: distinct fk values of hotfk.csv */
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

static FILE *open_in_tdir(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tdir, name);
    return fopen(path, "wb");
}

/* small.csv: id 1..500 (a key), grp = id % 7, name = 'n<id>'
 * big.csv:   200000 rows of id, grp = id % 5, a pad of random length
 * fact.csv:  3000 rows of id, dk = id % 50 + 1, amount
 * dim.csv:   50 rows of dk 1..50 (a key), name
 * ps.csv:    800 rows, (pk, sk) its key: pk 1..200, each with 4 of the 10 sk
 * li.csv:    1500 rows whose (pk, sk) are ps's, as lineitem's are partsupp's
 * days.csv:  200000 rows of id, a day drawn from the 2000 from 2020-01-01
 *            (every one occurs), a pad */
static int write_files(void)
{
    FILE *f = open_in_tdir("small.csv");
    if (!f) return -1;
    fputs("id,grp,name\n", f);
    for (int i = 1; i <= SMALL_ROWS; i++) fprintf(f, "%d,%d,n%d\n", i, i % 7, i);
    fclose(f);

    f = open_in_tdir("small.jsonl"); /* the same rows as JSON Lines, sampled like CSV */
    if (!f) return -1;
    for (int i = 1; i <= SMALL_ROWS; i++) fprintf(f, "{\"id\": %d, \"grp\": %d, \"name\": \"n%d\"}\n", i, i % 7, i);
    fclose(f);

    f = open_in_tdir("small.json"); /* and as one JSON document, where nothing is sampled for estimates */
    if (!f) return -1;
    for (int i = 1; i <= SMALL_ROWS; i++) fprintf(f, "%c{\"id\": %d, \"grp\": %d, \"name\": \"n%d\"}\n", i == 1 ? '[' : ',', i, i % 7, i);
    fputs("]\n", f);
    fclose(f);

    f = open_in_tdir("big.csv");
    if (!f) return -1;
    fputs("id,grp,pad\n", f);
    unsigned x = 12345;
    for (int i = 1; i <= BIG_ROWS; i++) {
        x = x * 1103515245u + 12345u;
        int len = (int)((x >> 16) % 41);
        fprintf(f, "%d,%d,%.*s\n", i, i % 5, len, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }
    fclose(f);

    f = open_in_tdir("fact.csv");
    if (!f) return -1;
    fputs("id,dk,amount\n", f);
    for (int i = 1; i <= FACT_ROWS; i++) fprintf(f, "%d,%d,%d.%02d\n", i, i % DIM_ROWS + 1, i % 97, i % 100);
    fclose(f);

    /* fact sorted on dk, ascending and descending: the sample's head sees
       17 of the 50 values, 60 times each */
    for (int desc = 0; desc <= 1; desc++) {
        f = open_in_tdir(desc ? "clustered.csv" : "sorted.csv");
        if (!f) return -1;
        fputs("id,dk,amount\n", f);
        for (int i = 1; i <= FACT_ROWS; i++) {
            int dk = (i - 1) / (FACT_ROWS / DIM_ROWS) + 1;
            fprintf(f, "%d,%d,1.00\n", i, desc ? DIM_ROWS + 1 - dk : dk);
        }
        fclose(f);
    }

    /* a log sorted on its day, 200 rows a day, larger than the sample */
    f = open_in_tdir("log.csv");
    if (!f) return -1;
    fputs("id,day,msg\n", f);
    for (int i = 0; i < BIG_ROWS; i++) fprintf(f, "%d,%d,event number %d of the day\n", i, i / 200, i % 200);
    fclose(f);

    f = open_in_tdir("ps.csv");
    if (!f) return -1;
    fputs("pk,sk\n", f);
    for (int p = 1; p <= PS_PARTS; p++)
        for (int j = 0; j < 4; j++) fprintf(f, "%d,%d\n", p, (p + j * 3) % 10 + 1);
    fclose(f);

    f = open_in_tdir("li.csv");
    if (!f) return -1;
    fputs("id,pk,sk\n", f);
    for (int i = 0; i < LI_ROWS; i++) {
        int p = i % PS_PARTS + 1, j = i / PS_PARTS % 4;
        fprintf(f, "%d,%d,%d\n", i, p, (p + j * 3) % 10 + 1);
    }
    fclose(f);

    f = open_in_tdir("days.csv");
    if (!f) return -1;
    fputs("id,d,pad\n", f);
    for (int i = 0; i < BIG_ROWS; i++) {
        x = x * 1103515245u + 12345u;
        int day = i < DAYS ? i : (int)((x >> 8) % DAYS), y = 2020, yd;
        while (day >= (yd = 365 + (y % 4 == 0))) day -= yd, y++;
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int m = 0;
        while (day >= mdays[m] + (m == 1 && y % 4 == 0)) day -= mdays[m] + (m == 1 && y % 4 == 0), m++;
        fprintf(f, "%d,%04d-%02d-%02d,%.*s\n", i, y, m + 1, day + 1, (int)(x >> 20) % 30, "pppppppppppppppppppppppppppppppp");
    }
    fclose(f);

    /* a foreign key with hot values: a quarter of the rows on 16 keys, the
       rest spread over 50000 (its true distinct count: hotfk_ndv) */
    f = open_in_tdir("hotfk.csv");
    if (!f) return -1;
    fputs("id,fk\n", f);
    static unsigned char seen_fk[51000];
    for (int i = 0; i < BIG_ROWS; i++) {
        x = x * 1103515245u + 12345u;
        int fk = i % 4 == 0 ? i % 16 : 1000 + (int)((x >> 4) % 50000);
        hotfk_ndv += !seen_fk[fk];
        seen_fk[fk] = 1;
        fprintf(f, "%d,%d\n", i, fk);
    }
    fclose(f);

    f = open_in_tdir("dim.csv");
    if (!f) return -1;
    fputs("dk,name\n", f);
    for (int i = 1; i <= DIM_ROWS; i++) fprintf(f, "%d,d%d\n", i, i);
    fclose(f);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_est_XXXXXX");
    if (!mkdtemp(tdir)) return -1;
    return write_files();
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state)
{
    (void)state;
    ar_init(&g_a);
    memset(&g_job, 0, sizeof g_job);
    memset(&g_meta, 0, sizeof g_meta);
    diag_init(&g_d, "q.sql", NULL, 0);
    cat_init(&g_c, &g_a, &g_d, tdir);
    opt_init(&g_o, &g_a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ar_free(&g_a);
    return 0;
}

#define SMALL       "CREATE TABLE small (id BIGINT, grp INTEGER, name STRING) WITH ('path' = 'small.csv', 'format' = 'csv'"
#define SMALL_JSONL "CREATE TABLE small (id BIGINT, grp INTEGER, name STRING) WITH ('path' = 'small.jsonl', 'format' = 'jsonl'"
#define SMALL_DOC   "CREATE TABLE small (id BIGINT, grp INTEGER, name STRING) WITH ('path' = 'small.json', 'format' = 'json'"
#define BIG         "CREATE TABLE big (id BIGINT, grp INTEGER, pad STRING) WITH ('path' = 'big.csv', 'format' = 'csv');\n"
#define FACT        "CREATE TABLE fact (id BIGINT, dk INTEGER, amount DECIMAL(6,2)) WITH ('path' = 'fact.csv', 'format' = 'csv');\n"
/* sorted and clustered declare their rows, so that their head stands for a
   larger input and is sampled (1000 rows) rather than counted exactly */
#define SORTED                                                                                                                             \
    "CREATE TABLE sorted (id BIGINT, dk INTEGER, amount DECIMAL(6,2)) WITH ('path' = 'sorted.csv', 'format' = 'csv', 'stats.rows' = "      \
    "'3000');\n"
#define CLUSTERED                                                                                                                          \
    "CREATE TABLE clustered (id BIGINT, dk INTEGER, amount DECIMAL(6,2)) WITH ('path' = 'clustered.csv', 'format' = 'csv', 'stats.rows' "  \
    "= '3000');\n"
#define LOG   "CREATE TABLE log (id BIGINT, day INTEGER, msg STRING) WITH ('path' = 'log.csv', 'format' = 'csv');\n"
#define DIM   "CREATE TABLE dim (dk INTEGER, name STRING) WITH ('path' = 'dim.csv', 'format' = 'csv');\n"
#define PS    "CREATE TABLE ps (pk INTEGER, sk INTEGER) WITH ('path' = 'ps.csv', 'format' = 'csv');\n"
#define DAYSQ "CREATE TABLE days (id BIGINT, d TIMESTAMP, pad STRING) WITH ('path' = 'days.csv', 'format' = 'csv');\n"
#define LI    "CREATE TABLE li (id INTEGER, pk INTEGER, sk INTEGER) WITH ('path' = 'li.csv', 'format' = 'csv');\n"

/* Parse, bind (no errors, one query) and optimize the script. */
static Plan *optimize(const char *src)
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
    opt_run(&g_o, &g_job);
    return g_job.plans.v[0];
}

static const Plan *find_kind(const Plan *p, PlanKind k)
{
    if (!p) return NULL;
    if (p->kind == k) return p;
    const Plan *q = find_kind(p->child, k);
    for (int i = 0; !q && i < p->inputs.n; i++) q = find_kind(p->inputs.v[i], k);
    return q;
}

static const Plan *find(const Plan *p, PlanKind k)
{
    const Plan *q = find_kind(p, k);
    assert_non_null(q);
    return q;
}

static int col_index(const Relation *r, const char *name)
{
    for (int i = 0; i < r->ncols; i++)
        if (!strcmp(r->cols[i].name, name)) return i;
    fail_msg("no column %s", name);
    return -1;
}

static void assert_near(double got, double want, double rel, const char *what)
{
    if (!(fabs(got - want) <= rel * fabs(want))) fail_msg("%s: got %.6f, want %.6f (relative tolerance %g)", what, got, want, rel);
}

static const char *explain_as(void (*fmt)(FILE *, Arena *, const ExplainInfo *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    ExplainInfo info;
    memset(&info, 0, sizeof info);
    info.job = &g_job;
    info.opt = &g_o;
    info.backend = "libtcc";
    info.costs = 1;
    fmt(out, &g_a, &info);
    fclose(out);
    char *s = ar_strdup(&g_a, buf);
    free(buf);
    return s;
}

static const char *explain_text(void)
{
    return explain_as(xp_text);
}

/* ---- rows and distinct values by sampling ------------------------------ */

static void test_small_file_exact(void **state)
{
    (void)state;
    const Plan *scan = find(optimize(SMALL ");\nSELECT id, grp, name FROM small;"), P_SCAN);
    const Relation *r = scan->rel;
    assert_true(r->est_rows == SMALL_ROWS); /* the whole file is the sample; the header is not a row */
    assert_string_equal(r->rows_source, "stats");
    assert_true(scan->est_rows == SMALL_ROWS);
    assert_string_equal(scan->est_source, "stats");
    int id = col_index(r, "id"), grp = col_index(r, "grp"), name = col_index(r, "name");
    assert_true(r->ndv[id] == SMALL_ROWS); /* no repeats: a key */
    assert_true(r->ndv[name] == SMALL_ROWS);
    assert_true(r->ndv[grp] == 7); /* every value seen, each many times */
    assert_string_equal(r->ndv_source[id], "stats");
    assert_string_equal(r->ndv_source[grp], "stats");
}

static void test_big_file_within_10pct(void **state)
{
    (void)state;
    const Plan *scan = find(optimize(BIG "SELECT id, grp FROM big;"), P_SCAN);
    const Relation *r = scan->rel;
    assert_true(r->file_bytes > 1024 * 1024); /* several times the sample */
    assert_near(r->est_rows, BIG_ROWS, 0.10, "rows of big.csv");
    assert_true(r->est_rows != BIG_ROWS); /* an estimate, not a count */
    assert_string_equal(r->rows_source, "stats");
    int id = col_index(r, "id"), grp = col_index(r, "grp");
    /* a key: distinct values = the estimated rows */
    assert_true(r->ndv[id] == r->est_rows);
    assert_near(r->ndv[id], BIG_ROWS, 0.10, "ndv(id)");
    /* 5 values, all in the first 1000 sampled rows: exact */
    assert_true(r->ndv[grp] == 5);
}

static void test_declared_overrides(void **state)
{
    (void)state;
    Plan *root = optimize(SMALL ", 'stats.rows' = '12345', 'stats.ndv.grp' = '42');\nSELECT id, grp FROM small;");
    const Plan *scan = find(root, P_SCAN);
    const Relation *r = scan->rel;
    assert_true(r->est_rows == 12345);
    assert_string_equal(r->rows_source, "declared");
    assert_true(scan->est_rows == 12345);
    assert_string_equal(scan->est_source, "declared");
    int id = col_index(r, "id"), grp = col_index(r, "grp");
    assert_true(r->ndv[grp] == 42);
    assert_string_equal(r->ndv_source[grp], "declared");
    /* a sampled key scales to the declared rows */
    assert_true(r->ndv[id] == 12345);
    assert_string_equal(r->ndv_source[id], "stats");
    const char *text = explain_text();
    if (!strstr(text, "rows=12345 declared")) fail_msg("EXPLAIN without the declared estimate:\n%s", text);
}

/* ---- default selectivities on the scan --------------------------------- */

typedef struct SelCase {
    const char *where;
    double sel;
    int pushed; /* conjuncts in the scan */
} SelCase;

/* The documented defaults apply where no statistics describe the operand:
 * here a JSON document, which is not sampled for them, and expressions
 * (grp + 0) rather than columns. */
static void test_default_selectivities(void **state)
{
    (void)state;
    static const SelCase cases[] = {
        {"grp + 0 = 3", 0.1, 1},
        {"grp + 0 <> 3", 0.9, 1},
        {"id > 10", 1.0 / 3, 1},
        {"id <= 10", 1.0 / 3, 1},
        {"id BETWEEN 1 AND 5", 0.25, 1},
        {"id NOT BETWEEN 1 AND 5", 0.75, 1},
        {"name LIKE 'n1%'", 0.25, 1},
        {"name IS NULL", 0.05, 1},
        {"name IS NOT NULL", 0.95, 1},
        {"grp + 0 IN (1)", 0.1, 1},
        {"grp + 0 IN (1, 2, 3)", 0.3, 1},
        {"grp + 0 IN (1, 2, 3, 4, 5)", 0.5, 1},
        {"grp + 0 IN (1, 2, 3, 4, 5, 6, 7)", 0.5, 1}, /* capped */
        {"grp + 0 = 1 AND id > 10", 0.1 / 3, 2},      /* AND: product */
        {"grp + 0 = 1 AND id > 10 AND name LIKE 'n%'", 0.1 / 3 * 0.25, 3},
        {"grp + 0 = 1 OR id > 10", 0.1 + 1.0 / 3 - 0.1 / 3, 1}, /* OR: inclusion-exclusion */
        {"(grp + 0 = 1 OR grp + 0 = 2) AND id BETWEEN 1 AND 99", 0.19 * 0.25, 2},
        {"NOT (grp + 0 = 1)", 0.9, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        char *src = ar_printf(&g_a, SMALL_DOC ", 'stats.rows' = '1000');\nSELECT id FROM small WHERE %s;", cases[i].where);
        const Plan *root = optimize(src);
        assert_null(find_kind(root, P_FILTER));
        const Plan *scan = find(root, P_SCAN);
        if (scan->pushed.n != cases[i].pushed)
            fail_msg("%s: %d conjuncts pushed, want %d", cases[i].where, scan->pushed.n, cases[i].pushed);
        assert_near(scan->est_rows, 1000 * cases[i].sel, 1e-9, cases[i].where);
        assert_string_equal(scan->est_source, "default");
    }
}

/* A column compared with constants uses its distinct values (declared
 * here: 7 for grp) where there is no sample: = 1/7, <> 6/7, IN (k values)
 * k/7, labelled "declared". */
static void test_stats_selectivities(void **state)
{
    (void)state;
    static const SelCase cases[] = {
        {"grp = 3", 1.0 / 7, 1},
        {"grp <> 3", 6.0 / 7, 1},
        {"grp IN (1, 2, 3)", 3.0 / 7, 1},
        {"grp = 1 AND id > 10", 1.0 / 7 / 3, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        char *src =
            ar_printf(&g_a, SMALL_DOC ", 'stats.rows' = '1000', 'stats.ndv.grp' = '7');\nSELECT id FROM small WHERE %s;", cases[i].where);
        const Plan *scan = find(optimize(src), P_SCAN);
        assert_near(scan->est_rows, 1000 * cases[i].sel, 1e-9, cases[i].where);
        assert_string_equal(scan->est_source, "declared"); /* every statistic it used was declared */
    }
}

/* On a CSV file the scan's conjuncts are measured together on the sampled
 * records (all 500 of small.csv: id 1..500, grp = id % 7, name 'n<id>'):
 * exact fractions for comparisons, LIKE, BETWEEN, IN, OR and NOT, the
 * correlation of grp and id seen as it is, arithmetic evaluated, a
 * conjunct the sample cannot evaluate (a function) left to its default,
 * and no sampled match bounded by
 * half a sampled record or the distinct values, whichever is less. */
static void test_sample_selectivities(void **state)
{
    (void)state;
    static const SelCase cases[] = {
        {"grp = 3", 72.0 / 500, 1},
        {"grp <> 3", 428.0 / 500, 1},
        {"id > 10", 490.0 / 500, 1},
        {"id BETWEEN 1 AND 5", 5.0 / 500, 1},
        {"name LIKE 'n1%'", 111.0 / 500, 1},         /* n1, n10-n19, n100-n199 */
        {"grp IN (1, 2) OR id < 3", 144.0 / 500, 1}, /* ids 1 and 2 are in grp 1 and 2 */
        {"NOT (id <= 250)", 250.0 / 500, 1},
        {"grp = 1 AND id <= 7", 1.0 / 500, 2},             /* id 1 only; independence would say 1/7 * 7/500 */
        {"grp + 0 = 3 AND id > 250", 36.0 / 500, 2},       /* arithmetic is measured too: 255, 262, ..., 500 */
        {"ABS(grp) = 3 AND id > 250", 0.1 * 250 / 500, 2}, /* a function is not: its default 0.1 */
        {"id / 2 = 3", 2.0 / 500, 1},                      /* integer division truncates: ids 6 and 7 */
        {"name = 'nope'", 0.5 / 500, 1},
        {"id = 600", 0.5 / 500, 1},
        {"name IS NULL", 0.5 / 500, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        char *src = ar_printf(&g_a, SMALL ", 'stats.rows' = '1000');\nSELECT id FROM small WHERE %s;", cases[i].where);
        const Plan *scan = find(optimize(src), P_SCAN);
        if (scan->pushed.n != cases[i].pushed)
            fail_msg("%s: %d conjuncts pushed, want %d", cases[i].where, scan->pushed.n, cases[i].pushed);
        assert_near(scan->est_rows, 1000 * cases[i].sel, 1e-9, cases[i].where);
        assert_string_equal(scan->est_source, "stats");
    }
}

/* Without pushdown the same defaults apply to the Filter. */
static void test_filter_selectivity_without_pushdown(void **state)
{
    (void)state;
    assert_int_equal(opt_disable(&g_o, "predicate_pushdown"), 0);
    const Plan *root = optimize(SMALL ", 'stats.rows' = '1000');\nSELECT id FROM small WHERE grp = 1 AND name LIKE 'n%';");
    const Plan *filter = find(root, P_FILTER);
    assert_int_equal(find(root, P_SCAN)->pushed.n, 0);
    assert_true(find(root, P_SCAN)->est_rows == 1000);
    assert_near(filter->est_rows, 1000 * 0.1 * 0.25, 1e-9, "filter");
    assert_string_equal(filter->est_source, "default");
}

/* A tiny estimate is at least one row. */
static void test_at_least_one_row(void **state)
{
    (void)state;
    const Plan *root = optimize(SMALL ", 'stats.rows' = '10');\nSELECT id FROM small WHERE grp = 1 AND id = 2 AND name = 'x';");
    assert_true(find(root, P_SCAN)->est_rows == 1);
}

/* ---- joins -------------------------------------------------------------- */

/* fact.dk references dim.dk: |fact join dim| = |fact| |dim| / max(ndv) = |fact|. */
static void test_fk_join(void **state)
{
    (void)state;
    const Plan *root = optimize(FACT DIM "SELECT f.id, d.name FROM fact f JOIN dim d ON f.dk = d.dk;");
    const Plan *j = find(root, P_JOIN);
    assert_int_equal(j->njk, 1);
    const Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    const Plan *fs = find(L, P_SCAN)->rel->est_rows == FACT_ROWS ? L : R;
    const Plan *ds = fs == L ? R : L;
    assert_true(find(fs, P_SCAN)->est_rows == FACT_ROWS);
    assert_true(find(ds, P_SCAN)->est_rows == DIM_ROWS);
    const Relation *fr = find(fs, P_SCAN)->rel, *dr = find(ds, P_SCAN)->rel;
    assert_true(fr->ndv[col_index(fr, "dk")] == DIM_ROWS); /* every key seen, each 60 times */
    assert_true(dr->ndv[col_index(dr, "dk")] == DIM_ROWS); /* a key */
    assert_near(j->est_rows, FACT_ROWS, 0.10, "fact join dim");
    assert_true(j->est_rows == FACT_ROWS);
    /* the smaller input is hashed */
    assert_true(j->build_left ? L == ds : R == ds);
}

/* A filtered dimension: the fact rows scale by the filter's selectivity;
 * name is a key of dim, so name = 'd7' keeps 1 of 50 rows and the join 60
 * of the 3000 fact rows (exactly the true count). */
static void test_fk_join_filtered_dimension(void **state)
{
    (void)state;
    const Plan *root = optimize(FACT DIM "SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk WHERE d.name = 'd7';");
    const Plan *j = find(root, P_JOIN);
    assert_near(j->est_rows, (double)FACT_ROWS / DIM_ROWS, 1e-9, "fact join filtered dim");
}

/* A three-way join ordered by the same estimates: two FK joins keep the
 * fact's rows. */
/* A key filtered to 40 of its 50 values, joined to a fact table whose
 * sampled head is clustered on the foreign key (17 distinct values seen,
 * in descending order, so the sample says 17): the key's count before the filter
 * divides, 3000 * 40 / 50 = 2400, exactly the true count. Divided by the
 * filtered 40 instead, the join looked like the whole fact table. */
static void test_fk_join_filtered_key(void **state)
{
    (void)state;
    const Plan *root = optimize(CLUSTERED DIM "SELECT f.id FROM clustered f JOIN dim d ON f.dk = d.dk WHERE d.dk <= 40;");
    const Plan *j = find(root, P_JOIN);
    const Plan *fs = find(j->inputs.v[0], P_SCAN)->rel->est_rows == FACT_ROWS ? j->inputs.v[0] : j->inputs.v[1];
    const Relation *fr = find(fs, P_SCAN)->rel;
    assert_true(fr->ndv[col_index(fr, "dk")] == 17);
    assert_near(j->est_rows, 2400, 1e-9, "filtered key join");
    /* join_equivalences copies d.dk <= 40 into the fact's scan, where it
       drops rows before the join but not from the estimate: counted there
       too, the join came out at 960 */
    const Plan *f = find(fs, P_SCAN);
    assert_int_equal(f->pushed.n, 1);
    assert_int_equal(f->implied.n, 1);
    assert_ptr_equal(f->pushed.v[0], f->implied.v[0]);
}

/* A file read whole (256 KB or less) is counted exactly, however many rows
 * it has: fact.csv's 3000 rows, not the first 1000, give the distinct values
 * and the filter's selectivity. The same file with 'stats.rows' stands for a
 * larger input and is sampled (test_declared_rows_sampled). */
static void test_whole_file_counted(void **state)
{
    (void)state;
    const Plan *scan = find(optimize(FACT "SELECT id FROM fact WHERE dk <= 10 AND amount > 50.00;"), P_SCAN);
    const Relation *r = scan->rel;
    assert_int_equal(r->nsample, FACT_ROWS);
    assert_true(r->est_rows == FACT_ROWS);
    assert_true(r->ndv[col_index(r, "dk")] == DIM_ROWS);
    assert_true(r->ndv[col_index(r, "id")] == FACT_ROWS);
    /* the distinct amounts and the rows the filter keeps, as write_files wrote them */
    static unsigned char seen[97][100];
    int amounts = 0, pass = 0;
    for (int i = 1; i <= FACT_ROWS; i++) {
        amounts += !seen[i % 97][i % 100];
        seen[i % 97][i % 100] = 1;
        pass += i % DIM_ROWS + 1 <= 10 && (i % 97) * 100 + i % 100 > 5000;
    }
    assert_true(r->ndv[col_index(r, "amount")] == amounts);
    assert_true(scan->est_rows == pass);
}

static void test_declared_rows_sampled(void **state)
{
    (void)state;
    const Plan *decl = find(optimize("CREATE TABLE factd (id BIGINT, dk INTEGER, amount DECIMAL(6,2)) WITH ('path' = 'fact.csv', "
                                     "'format' = 'csv', 'stats.rows' = '3000000');\nSELECT id FROM factd;"),
                            P_SCAN);
    assert_int_equal(decl->rel->nsample, 1000);
    assert_true(decl->rel->ndv[col_index(decl->rel, "id")] == 3000000);
}

/* A file sorted on a column: its head holds as many values per row as the
 * rest, 17 * 3000 / 1000 = 51 for the 50 there are (repeats say 17). */
static void test_sorted_column_ndv(void **state)
{
    (void)state;
    const Plan *root = optimize(SORTED "SELECT id FROM sorted;");
    const Relation *r = find(root, P_SCAN)->rel;
    assert_near(r->ndv[col_index(r, "dk")], DIM_ROWS, 0.05, "sorted dk");
    assert_string_equal(r->ndv_source[col_index(r, "dk")], "stats");
}

/* A file larger than the sample is read in runs of lines from 16 evenly
 * spaced offsets, not only at its head: on a log sorted by day, the second
 * half's filter keeps about half (the head saw day 0 only and said 0.5 of
 * a sampled row), and the days are counted from how often a run of lines
 * starts a new one (1000 days; the distinct values seen, 16, would be far
 * off). */
static void test_sorted_log_sample(void **state)
{
    (void)state;
    const Plan *scan = find(optimize(LOG "SELECT id FROM log WHERE day >= 500;"), P_SCAN);
    const Relation *r = scan->rel;
    assert_near(r->est_rows, BIG_ROWS, 0.10, "rows of log.csv");
    assert_near(scan->est_rows, BIG_ROWS / 2, 0.15, "day >= 500");
    assert_string_equal(scan->est_source, "stats");
    assert_true(r->nsample >= 900);
    assert_near(r->ndv[col_index(r, "day")], 1000, 0.5, "ndv(day)");
}

/* GROUP BY on columns with sampled distinct counts, or expressions of them:
 * the product of their counts (key_ndv), at most the input rows ("stats");
 * a key that is not a function of the row keeps the default tenth of the
 * input. */
static void test_group_by_estimate(void **state)
{
    (void)state;
    static const struct {
        const char *keys;
        double rows;
        const char *source;
    } cases[] = {
        {"grp", 7, "stats"},
        {"grp, id", SMALL_ROWS, "stats"},               /* 7 x 500, capped by the 500 rows */
        {"grp + 1", 7, "stats"},                        /* a function of grp: at most its 7 values */
        {"grp + id", SMALL_ROWS, "stats"},              /* 7 x 500, capped */
        {"grp > 3", 3, "stats"},                        /* a condition: true, false, NULL */
        {"grp, 'x'", 7, "stats"},                       /* a literal: one value */
        {"RANDOM() < 0.5", SMALL_ROWS / 10, "default"}, /* not a function of the row */
        {"EXTRACT(MONTH FROM TO_TIMESTAMP(id))", 12, "stats"},
        {"EXTRACT(YEAR FROM TO_TIMESTAMP(grp))", 7, "stats"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        char *src = ar_printf(&g_a, SMALL ");\nSELECT %s, COUNT(*) AS n FROM small GROUP BY %s;", cases[i].keys, cases[i].keys);
        const Plan *agg = find(optimize(src), P_AGG);
        assert_near(agg->est_rows, cases[i].rows, 1e-9, cases[i].keys);
        assert_string_equal(agg->est_source, cases[i].source);
    }
}

/* A semi join (IN) keeps the outer rows whose key the subquery holds: with
 * the subquery's keys a key of dim, its filter's selectivity, 10 of 50:
 * 3000 * 10 / 50 = 600, the true count (it was half the fact rows). */
static void test_semi_join_estimate(void **state)
{
    (void)state;
    const Plan *root = optimize(FACT DIM "SELECT id FROM fact WHERE dk IN (SELECT dk FROM dim WHERE dk <= 10);");
    const Plan *j = find(root, P_JOIN);
    assert_int_equal(j->join_kind, 'S');
    assert_near(j->est_rows, 600, 1e-9, "semi join");
    /* NOT IN and NOT EXISTS keep the rest: 3000 - 600 */
    teardown(NULL);
    setup(NULL);
    j = find(optimize(FACT DIM "SELECT id FROM fact WHERE dk NOT IN (SELECT dk FROM dim WHERE dk <= 10);"), P_JOIN);
    assert_int_equal(j->join_kind, 'A');
    assert_near(j->est_rows, 2400, 1e-9, "anti join");
    teardown(NULL);
    setup(NULL);
    j = find(optimize(FACT DIM "SELECT id FROM fact f WHERE NOT EXISTS (SELECT 1 FROM dim d WHERE d.dk = f.dk AND d.dk <= 10);"), P_JOIN);
    assert_int_equal(j->join_kind, 'A');
    assert_near(j->est_rows, 2400, 1e-9, "NOT EXISTS");
}

static void test_fk_join_three_way(void **state)
{
    (void)state;
    const Plan *root = optimize(FACT DIM "SELECT f.id FROM dim d1 JOIN fact f ON f.dk = d1.dk JOIN dim d2 ON d2.dk = f.dk;");
    const Plan *j = find(root, P_JOIN);
    /* fact join dim1 = 3000; join dim2 on the same key: 3000 * 50 / 50 */
    assert_near(j->est_rows, FACT_ROWS, 0.10, "three-way");
    assert_non_null(j->join_note);
    assert_non_null(strstr(j->join_note, "DPccp order: written dim, fact, dim"));
    /* EXPLAIN's cost of the top join: the DP's figure for the joins plus
       the records the three scans read */
    assert_near(j->est_cost, j->join_cost + 2 * DIM_ROWS + FACT_ROWS, 1e-9, "cumulative cost");
}

static const Plan *find_scan(const Plan *p, const char *table)
{
    if (!p) return NULL;
    if (p->kind == P_SCAN && !strcmp(p->rel->name, table)) return p;
    const Plan *q = find_scan(p->child, table);
    for (int i = 0; !q && i < p->inputs.n; i++) q = find_scan(p->inputs.v[i], table);
    return q;
}

static const Plan *find_join_probing(const Plan *p, const Plan *in)
{
    if (!p) return NULL;
    if (p->kind == P_JOIN && pl_probe_input(p) == in) return p;
    const Plan *q = find_join_probing(p->child, in);
    for (int i = 0; !q && i < p->inputs.n; i++) q = find_join_probing(p->inputs.v[i], in);
    return q;
}

/* li probes the join to one filtered dim and tests the Bloom filter of
 * the semi join to the other (IN), on its own sk, right after
 * (early_blooms): the first join emits only the rows that pass, the share
 * of its probe rows the join above expects to match, and EXPLAIN ANALYZE
 * compares that with the rows it counts there. */
static void test_early_bloom_rows(void **state)
{
    (void)state;
    const Plan *root = optimize(
        LI DIM
        "SELECT li.id FROM li JOIN dim d1 ON li.pk = d1.dk WHERE d1.name = 'd3' AND li.sk IN (SELECT dk FROM dim WHERE name = 'd4');");
    const Plan *scan = find_scan(root, "li");
    assert_non_null(scan);
    assert_int_equal(scan->early_blooms.n, 1);
    const Plan *first = find_join_probing(root, scan), *upper = scan->early_blooms.v[0];
    assert_non_null(first);
    assert_true(first->bloom && upper->bloom && upper != first);
    const Plan *in = pl_probe_input(upper);
    assert_near(first->est_early, first->est_rows * upper->est_rows / in->est_rows, 1e-9, "rows past the early test");
    assert_true(first->est_early < first->est_rows / 2);
    assert_true(upper->est_early == 0); /* the test drops only what it would */
}

/* li's (pk, sk) are ps's key. Both products of distinct values (200 x 10)
 * reach their table's rows, so both look like keys; the larger table is
 * taken to reference the smaller one's: 1500 * 800 / 800, not / 1500. A
 * filter on ps leaves fewer keys, not more matches for each. */
static void test_composite_fk_join(void **state)
{
    (void)state;
    const Plan *j = find(optimize(PS LI "SELECT li.id FROM li JOIN ps ON li.pk = ps.pk AND li.sk = ps.sk;"), P_JOIN);
    assert_int_equal(j->njk, 2);
    assert_near(j->est_rows, LI_ROWS, 1e-9, "li join ps");
    teardown(NULL);
    setup(NULL);
    j = find(optimize(PS LI "SELECT li.id FROM li JOIN ps ON li.pk = ps.pk AND li.sk = ps.sk WHERE ps.pk <= 100;"), P_JOIN);
    assert_near(j->est_rows, LI_ROWS / 2, 1e-9, "li join half of ps");
}

/* A residual between two tables is measured on pairs of their sampled
 * records (all 50 of dim here), each side's kept by its own filters. */
static void test_residual_sampled(void **state)
{
    (void)state;
    const Plan *j = find(optimize(DIM "SELECT a.name FROM dim a JOIN dim b ON a.dk > b.dk;"), P_JOIN);
    assert_near(j->est_rows, 50 * 49 / 2, 1e-9, "a.dk > b.dk"); /* not 2500 / 3 */
    teardown(NULL);
    setup(NULL);
    j = find(optimize(DIM "SELECT a.name FROM dim a JOIN dim b ON a.dk > b.dk * 2 WHERE a.dk <= 10;"), P_JOIN);
    /* a 1..10 against b 1..50: 4 + 4 + 3 + 3 + ... pairs, sum of (a - 1) / 2 */
    assert_near(j->est_rows, 20, 1e-9, "a.dk > b.dk * 2, a.dk <= 10");
    teardown(NULL);
    setup(NULL);
    /* an equality is not sampled: 64 x 64 pairs cannot see a key match */
    j = find(optimize(DIM FACT "SELECT a.name FROM dim a JOIN fact f ON a.dk = f.dk OR a.dk = f.id;"), P_JOIN);
    assert_near(j->est_rows, DIM_ROWS * FACT_ROWS * (0.1 + 0.1 - 0.01), 1e-6, "OR of equalities: defaults");
}

/* A residual whose equalities each compare one side with a literal is
 * measured on pairs (TPC-H Q7's two nations: 2 of 2500 pairs), and the
 * groups of the two names after that join are at most its 2 rows, not
 * 50 x 50. */
static void test_residual_one_sided_eq(void **state)
{
    (void)state;
    const Plan *root = optimize(DIM "SELECT a.name, b.name, COUNT(*) FROM dim a JOIN dim b ON (a.name = 'd1' AND b.name = 'd2') OR "
                                    "(a.name = 'd2' AND b.name = 'd1') GROUP BY a.name, b.name;");
    assert_near(find(root, P_JOIN)->est_rows, 2, 1e-9, "two nations' pairs");
    assert_near(find(root, P_AGG)->est_rows, 2, 1e-9, "groups of the pairs");
}

/* An OR over both inputs sends each side what it implies (big: id < 300
 * OR id > 199800, 499 of 200 000 rows; small: id = 1 OR id = 2) and stays
 * at the join, where it is measured on pairs without those filters and
 * divided by their shares: P(OR | filters) = P(OR) / P(filters), at most 1.
 * Actual: 60 rows of grp 1 below 300 and 40 of grp 2 above 199 800. The
 * big scan is overestimated (12 597: big.csv is sorted on id and the
 * sample takes runs of it, the first from the head), so the join is too;
 * what this checks is that the join keeps the scans' rows times the key's
 * selectivity times at most 1, and does not fall to the defaults' product
 * (the OR measured with the filters applied first: too few sampled rows). */
static void test_residual_or_with_implied_filters(void **state)
{
    (void)state;
    const Plan *root = optimize(BIG SMALL ");\n"
                                          "SELECT b.id FROM big b JOIN small s ON b.grp = s.grp AND "
                                          "((b.id < 300 AND s.id = 1) OR (b.id > 199800 AND s.id = 2));");
    const Plan *j = find(root, P_JOIN);
    assert_non_null(j);
    for (int i = 0; i < 2; i++) {
        const Plan *scan = j->inputs.v[i];
        while (scan->kind != P_SCAN) scan = scan->child;
        assert_int_equal(scan->pushed.n, 1); /* the implied filter */
        assert_true(((const Expr *)scan->pushed.v[0])->implied);
    }
    const Plan *L = j->inputs.v[0], *R = j->inputs.v[1];
    double keyed = L->est_rows * R->est_rows / 5; /* grp: 5 values in big, 7 in small, containment */
    assert_true(j->est_rows >= 25);               /* a quarter of the actual at least */
    assert_true(j->est_rows <= keyed * (1 + 1e-9));
    assert_true(j->est_rows >= keyed / 4); /* the OR given its filters: not the unconditional 1 in 4000 */
}

/* A Bloom filter tests keys only: a join whose residual drops most key
 * matches (every fact row has its dimension row) gets none, and its scan's
 * filter stays before the probe; a join whose keys are filtered gets one. */
static void test_bloom_counts_key_matches(void **state)
{
    (void)state;
    const Plan *j = find(optimize(DIM FACT "SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk AND (d.name = 'd1' OR f.id = 7) "
                                           "WHERE f.amount > 10;"),
                         P_JOIN);
    assert_true(j->est_rows < FACT_ROWS / 10.0); /* the residual keeps few */
    assert_false(j->bloom);
    assert_null(find(j, P_SCAN)->pushed_late);
    teardown(NULL);
    setup(NULL);
    j = find(optimize(DIM FACT "SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk WHERE d.name = 'd1';"), P_JOIN);
    assert_true(j->bloom);
}

/* Columns of a table joined on its key follow from the other side's join
 * key: GROUP BY d.name, f.dk after fact JOIN dim ON f.dk = d.dk has the 50
 * values of f.dk, not 50 x 50 (the product was 2500). With f.id, a key of
 * fact, both bounds reach the join's 3000 rows. */
static void test_group_by_key_decides(void **state)
{
    (void)state;
    const Plan *agg =
        find(optimize(FACT DIM "SELECT d.name, f.dk, COUNT(*) FROM fact f JOIN dim d ON f.dk = d.dk GROUP BY d.name, f.dk;"), P_AGG);
    assert_near(agg->est_rows, DIM_ROWS, 1e-9, "name follows from dk");
    teardown(NULL);
    setup(NULL);
    agg = find(optimize(FACT DIM "SELECT d.name, f.id, COUNT(*) FROM fact f JOIN dim d ON f.dk = d.dk GROUP BY d.name, f.id;"), P_AGG);
    assert_near(agg->est_rows, FACT_ROWS, 1e-9, "ids are a key: the join's rows");
}

/* Outer joins of two unique keys: the side with fewer keys finds them all
 * in the other (containment). fact's 50 groups FULL JOIN dim's 50 keys:
 * 50 rows, not 100; LEFT JOIN dim's 10 keys <= 10: 10 matched + 40
 * padded, and `d.dk IS NULL` keeps the 40 padded (the default said 5 %). */
static void test_outer_join_unique_keys(void **state)
{
    (void)state;
    const Plan *j = find(optimize(FACT DIM "SELECT g.dk, d.name FROM (SELECT dk, COUNT(*) AS n FROM fact GROUP BY dk) g "
                                           "FULL JOIN dim d ON g.dk = d.dk;"),
                         P_JOIN);
    assert_int_equal(j->join_kind, 'F');
    assert_near(j->est_rows, DIM_ROWS, 1e-9, "full join of two keys");
    teardown(NULL);
    setup(NULL);
    const Plan *root = optimize(FACT DIM "SELECT g.dk FROM (SELECT dk, COUNT(*) AS n FROM fact GROUP BY dk) g "
                                         "LEFT JOIN (SELECT dk FROM dim WHERE dk <= 10) d ON g.dk = d.dk WHERE d.dk IS NULL;");
    j = find(root, P_JOIN);
    assert_near(j->est_rows, DIM_ROWS, 1e-9, "left join: matched + padded");
    assert_near(j->est_padded, DIM_ROWS - 10, 1e-9, "padded rows");
    assert_near(find(root, P_FILTER)->est_rows, DIM_ROWS - 10, 1e-9, "IS NULL keeps the padded rows");
}

/* A GROUP BY on a COUNT from a GROUP BY below (TPC-H Q13): not
 * |input| / 10, and not the bound (k distinct counts take at least
 * 0 + 1 + ... + (k - 1) rows: sqrt(2N) + 1 = 633 for big's 200 000 ids)
 * but the integers within sqrt(2 m ln G) of the mean count m = N / G
 * (count_ndv). Every id's count is 1 here: m is 1, and 1 to 6 counts. */
static void test_group_by_count(void **state)
{
    (void)state;
    const Plan *root = optimize(BIG "SELECT c, COUNT(*) FROM (SELECT id, COUNT(*) AS c FROM big GROUP BY id) t GROUP BY c;");
    const Plan *outer = find(root, P_AGG), *scan = find(root, P_SCAN);
    assert_true(outer->est_rows >= 1 && outer->est_rows <= 6);
    assert_true(outer->est_rows < floor(sqrt(2 * scan->est_rows)) + 1);
    assert_string_equal(outer->est_source, "stats");
}

/* JSON Lines is sampled like CSV: the distinct values and ranges of the
 * same 500 rows, and filters measured on them (grp = 3: 72 of 500). */
static void test_jsonl_sampled(void **state)
{
    (void)state;
    const Plan *scan = find(optimize(SMALL_JSONL ");\nSELECT id FROM small WHERE grp = 3 AND name LIKE 'n1%';"), P_SCAN);
    const Relation *r = scan->rel;
    assert_int_equal(r->nsample, SMALL_ROWS);
    assert_true(r->ndv[col_index(r, "id")] == SMALL_ROWS);
    assert_true(r->ndv[col_index(r, "grp")] == 7);
    assert_true(r->lo[col_index(r, "id")] == 1 && r->hi[col_index(r, "id")] == SMALL_ROWS);
    int both = 0; /* grp = 3 and a name starting n1 */
    for (int i = 1; i <= SMALL_ROWS; i++) both += i % 7 == 3 && (i == 1 || (i >= 10 && i <= 19) || (i >= 100 && i <= 199));
    assert_true(scan->est_rows == both);
    assert_string_equal(scan->est_source, "stats");
}

/* What a JSON Lines record gives each column: keys matched
 * case-insensitively, escapes undone, null and missing keys NULL, nested
 * values as their text, keys of no column and lines that are not objects
 * skipped. */
static void test_jsonl_record_values(void **state)
{
    (void)state;
    FILE *f = open_in_tdir("odd.jsonl");
    assert_non_null(f);
    fputs("{\"ID\": 1, \"s\": \"a\\\"b\\\\c\\u0041\", \"x\": {\"k\": [1, \"}\"]}, \"n\": null}\n"
          "not json\n"
          "[1, 2]\n"
          "{ \"s\" : \"\", \"id\" : -2.5e1 , \"extra\": true }\n",
          f);
    fclose(f);
    const Relation *r =
        find(optimize("CREATE TABLE odd (id DOUBLE, s STRING, x STRING, n INTEGER) WITH ('path' = 'odd.jsonl', 'format' = 'jsonl');\n"
                      "SELECT id FROM odd;"),
             P_SCAN)
            ->rel;
    assert_int_equal(r->nsample, 2);
    const char *const *row = r->sample;
    assert_string_equal(row[0], "1");
    assert_string_equal(row[1], "a\"b\\cA");
    assert_string_equal(row[2], "{\"k\": [1, \"}\"]}");
    assert_null(row[3]);
    assert_string_equal(row[4], "-2.5e1");
    assert_string_equal(row[5], "");
    assert_null(row[6]);
    assert_null(row[7]);
    assert_true(r->lo[0] == -25 && r->hi[0] == 1);
}

/* A join's estimate is labelled by its weakest part: keys with sampled
 * distinct values and sampled inputs make it stats; an expression key, a
 * residual at its default, or an anti join without statistics (its 1/2)
 * make it default. */
static void test_join_sources(void **state)
{
    (void)state;
    static const struct {
        const char *sql, *source;
    } cases[] = {
        {"SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk;", "stats"},
        {"SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk AND f.amount > 1 + d.dk * 2;", "stats"}, /* sampled pairs */
        {"SELECT f.id FROM fact f JOIN dim d ON f.dk + 0 = d.dk;", "default"},
        {"SELECT f.id FROM fact f JOIN dim d ON f.dk = d.dk AND ABS(f.amount) > d.dk;", "default"}, /* a function */
        {"SELECT f.id FROM fact f WHERE f.dk NOT IN (SELECT dk FROM dim WHERE name = 'd1');", "stats"},
        {"SELECT f.id FROM fact f WHERE f.dk + 0 NOT IN (SELECT dk + 0 FROM dim);", "default"}, /* no statistics: 1/2 */
        {"SELECT f.id FROM fact f WHERE f.dk IN (SELECT dk FROM dim WHERE name = 'd1');", "stats"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        const Plan *j = find(optimize(ar_printf(&g_a, FACT DIM "%s", cases[i].sql)), P_JOIN);
        if (strcmp(j->est_source, cases[i].source)) fail_msg("%s: %s, want %s", cases[i].sql, j->est_source, cases[i].source);
    }
}

/* A hash table's bytes as codegen lays it out: dim's 50 rows of 56 bytes
 * (links and hash 24, the matched flag, the INT key 4, name's reference
 * 16 + its mean sampled length 2.82 + 4 of alignment, its NULL flag:
 * 52.82, rounded to 8) and 1024 slots of 8 bytes. */
static void test_hash_table_bytes(void **state)
{
    (void)state;
    const Plan *j = find(optimize(FACT DIM "SELECT f.id, d.name FROM fact f JOIN dim d ON f.dk = d.dk;"), P_JOIN);
    const Relation *dim = find(j->inputs.v[j->build_left ? 0 : 1], P_SCAN)->rel;
    assert_near(dim->avg_len[col_index(dim, "name")], (9 * 2 + 41 * 3) / 50.0, 1e-9, "mean length of d1..d50");
    assert_false(j->bloom);
    assert_near(j->est_mem, 50 * 56 + 1024 * 8, 1e-9, "hash table bytes");
}

/* Distinct values extrapolated from a sample with hot values: Chao1 looks
 * at the values seen once and twice, which the 16 hot keys are not among;
 * GEE's sqrt(N/n) f1 said ~10 000 of the ~47 500 here. Within a factor of
 * 1.5 either way. */
static void test_ndv_hot_foreign_key(void **state)
{
    (void)state;
    const Relation *r = find(optimize("CREATE TABLE hotfk (id BIGINT, fk INTEGER) WITH ('path' = 'hotfk.csv', 'format' = 'csv');\n"
                                      "SELECT fk FROM hotfk;"),
                             P_SCAN)
                            ->rel;
    double got = r->ndv[col_index(r, "fk")];
    if (!(got > hotfk_ndv / 1.5 && got < hotfk_ndv * 1.5)) fail_msg("ndv(fk) %.0f, true %d", got, hotfk_ndv);
}

/* ---- column ranges ------------------------------------------------------ */

/* A file read whole: the exact least and greatest values of its number
 * columns; strings have none. */
static void test_range_small_exact(void **state)
{
    (void)state;
    const Relation *r = find(optimize(SMALL ");\nSELECT id, grp, name FROM small;"), P_SCAN)->rel;
    int id = col_index(r, "id"), grp = col_index(r, "grp"), name = col_index(r, "name");
    assert_true(r->lo[id] == 1 && r->hi[id] == SMALL_ROWS);
    assert_true(r->lo[grp] == 0 && r->hi[grp] == 6);
    assert_string_equal(r->range_source[id], "stats");
    assert_null(r->range_source[name]);
    const char *text = explain_text();
    assert_non_null(strstr(text, "Statistics:\n  small  rows=500 (stats)\n"));
    assert_non_null(strstr(text, "id               ndv=500 (stats)  range 1 .. 500 (stats)\n"));
    assert_non_null(strstr(text, "name             ndv=500 (stats)\n"));
    const char *json = explain_as(xp_json);
    assert_non_null(strstr(json, "\"statistics\": [{\"source\": \"small\", \"rows\": 500, \"rows_source\": \"stats\", \"columns\": "
                                 "[{\"name\": \"id\", \"ndv\": 500, \"ndv_source\": \"stats\", \"min\": \"1\", \"max\": \"500\", "
                                 "\"range_source\": \"stats\"}, "));
}

/* 2000 days in random order over 200000 rows: the 1000 sampled see about
 * 790 of them, 570 once; GEE extrapolated those to ~8 600 distinct days,
 * and the range the sample spans holds no more than 2000. */
static void test_range_bounds_dates(void **state)
{
    (void)state;
    const Plan *root = optimize(DAYSQ "SELECT EXTRACT(YEAR FROM d) AS y, COUNT(*) FROM days GROUP BY EXTRACT(YEAR FROM d);");
    const Relation *r = find(root, P_SCAN)->rel;
    int d = col_index(r, "d");
    assert_near(r->ndv[d], DAYS, 0.05, "ndv(d)");
    assert_true(r->ndv[d] <= DAYS * 1.01);
    assert_string_equal(r->range_source[d], "stats");
    assert_true(r->lo[d] >= 1577836800e6 && r->hi[d] < 1577836800e6 + DAYS * 86400e6); /* 2020-01-01 .. +2000 days */
    /* 2020-01-01 .. 2025-06-22: six years, not 2000 groups */
    assert_true(find(root, P_AGG)->est_rows == 6);
    teardown(NULL);
    setup(NULL);
    root = optimize(DAYSQ "SELECT EXTRACT(MONTH FROM d), COUNT(*) FROM days WHERE d < TIMESTAMP '2020-04-01' "
                          "GROUP BY EXTRACT(MONTH FROM d);");
    assert_true(find(root, P_AGG)->est_rows == 3); /* the filter's range: January to March */
    teardown(NULL);
    setup(NULL);
    root = optimize(DAYSQ "SELECT EXTRACT(YEAR FROM d), COUNT(*) FROM days "
                          "WHERE d BETWEEN TIMESTAMP '2021-03-01 00:00:00' AND TIMESTAMP '2022-12-31 00:00:00' "
                          "GROUP BY EXTRACT(YEAR FROM d);");
    assert_true(find(root, P_AGG)->est_rows == 2); /* TPC-H Q7's two years, not the file's six */
    teardown(NULL);
    setup(NULL);
    root = optimize(DAYSQ "SELECT EXTRACT(MONTH FROM d), COUNT(*) FROM days WHERE TIMESTAMP '2024-01-01' <= d "
                          "GROUP BY EXTRACT(MONTH FROM d);");
    assert_true(find(root, P_AGG)->est_rows == 12); /* from 2024 to the end of the range: every month */
}

/* Declared ranges where nothing is sampled (a JSON document): a comparison or
 * BETWEEN keeps its share of [min, max] (values taken as evenly spread),
 * a bound outside it half a row (then one: a scan's least estimate); the
 * ranges show in EXPLAIN. */
static void test_declared_range_selectivity(void **state)
{
    (void)state;
    static const SelCase cases[] = {
        {"id < 251", 0.25, 1},
        {"251 > id", 0.25, 1},
        {"id >= 751", 0.25, 1},
        {"id BETWEEN 101 AND 350", 0.249, 1}, /* (350 - 101) / (1001 - 1): values as continuous */
        {"id NOT BETWEEN 101 AND 350", 0.751, 1},
        {"id > 5000", 1.0 / 1000, 1}, /* half a row, and a scan estimates at least one */
        {"id < 251 AND grp = 3", 0.25 / 7, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        teardown(NULL);
        setup(NULL);
        char *src = ar_printf(&g_a,
                              SMALL_DOC ", 'stats.rows' = '1000', 'stats.ndv.grp' = '7', 'stats.min.id' = '1', 'stats.max.id' = "
                                        "'1001');\nSELECT id FROM small WHERE %s;",
                              cases[i].where);
        const Plan *scan = find(optimize(src), P_SCAN);
        assert_near(scan->est_rows, 1000 * cases[i].sel, 1e-9, cases[i].where);
        assert_string_equal(scan->est_source, "declared"); /* every statistic it used was declared */
    }
    assert_non_null(strstr(explain_text(), "id               ndv=? (default)  range 1 .. 1001 (declared)\n"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_small_file_exact),
        T(test_big_file_within_10pct),
        T(test_declared_overrides),
        T(test_default_selectivities),
        T(test_sample_selectivities),
        T(test_sorted_log_sample),
        T(test_group_by_estimate),
        T(test_stats_selectivities),
        T(test_filter_selectivity_without_pushdown),
        T(test_at_least_one_row),
        T(test_fk_join),
        T(test_fk_join_filtered_dimension),
        T(test_fk_join_filtered_key),
        T(test_whole_file_counted),
        T(test_declared_rows_sampled),
        T(test_sorted_column_ndv),
        T(test_semi_join_estimate),
        T(test_fk_join_three_way),
        T(test_early_bloom_rows),
        T(test_composite_fk_join),
        T(test_residual_sampled),
        T(test_residual_one_sided_eq),
        T(test_residual_or_with_implied_filters),
        T(test_group_by_count),
        T(test_group_by_key_decides),
        T(test_outer_join_unique_keys),
        T(test_bloom_counts_key_matches),
        T(test_join_sources),
        T(test_hash_table_bytes),
        T(test_jsonl_sampled),
        T(test_jsonl_record_values),
        T(test_ndv_hot_foreign_key),
        T(test_range_small_exact),
        T(test_range_bounds_dates),
        T(test_declared_range_selectivity),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
