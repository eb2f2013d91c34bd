/*
 * test_codegen.c -- C generation (codegen/codegen.c) and the JIT backend
 * (codegen/backend.c): cg_c_string round-trips every byte through a real C
 * compiler (libtcc), whole queries over a temporary CSV are compiled
 * in-process and run against libvelo with their stdout captured, and
 * hostile literals, aliases and script names come out byte for byte
 * without ever appearing raw in the generated C.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <libtcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "binder.h"
#include "codegen.h"
#include "optimizer.h"
#include "parser.h"
#include "velo_internal.h"

#ifndef VELO_TCC_LIBDIR
#define VELO_TCC_LIBDIR "/usr/lib/x86_64-linux-gnu/tcc"
#endif

static char tdir[64];
static Arena g_a;
static Diag g_d;
static char *g_dbuf;
static size_t g_dlen;

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_cg_XXXXXX");
    if (!mkdtemp(tdir)) return -1;
    ar_init(&g_a);
    g_dbuf = NULL;
    diag_init(&g_d, "q.sql", NULL, 0);
    g_d.out = open_memstream(&g_dbuf, &g_dlen);
    return g_d.out ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fclose(g_d.out);
    free(g_dbuf);
    ar_free(&g_a);
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void wfile(const char *name, const char *data)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
}

/* ---- cg_c_string --------------------------------------------------------- */

static char *lit(const char *s, size_t n)
{
    StrBuf b;
    sb_init(&b);
    cg_c_string(&b, s, n);
    char *r = ar_strdup(&g_a, b.p);
    sb_free(&b);
    return r;
}

static void test_c_string_text(void **state)
{
    (void)state;
    assert_string_equal(lit("", 0), "\"\"");
    assert_string_equal(lit("abc XYZ_09.,:/-=", 16), "\"abc XYZ_09.,:/-=\"");
    assert_string_equal(lit("\"", 1), "\"\\042\"");
    assert_string_equal(lit("\\", 1), "\"\\134\"");
    assert_string_equal(lit("?\?=", 3), "\"\\077\\077=\""); /* no trigraph can form */
    assert_string_equal(lit("\n", 1), "\"\\012\"");
    assert_string_equal(lit("\0", 1), "\"\\000\"");
    assert_string_equal(lit("\xff", 1), "\"\\377\"");
    assert_string_equal(lit("'", 1), "\"\\047\"");
    assert_string_equal(lit("*/", 2), "\"\\052/\"");
    assert_string_equal(lit("#", 1), "\"\\043\"");
    /* a digit after an octal escape stays a separate character */
    assert_string_equal(lit("\0017", 2), "\"\\0017\"");
    /* every escape is exactly 4 bytes: no byte is ever emitted raw outside
     * the safe set */
    for (int c = 0; c < 256; c++) {
        char ch = (char)c;
        const char *l = lit(&ch, 1);
        size_t n = strlen(l);
        assert_true(n == 3 || n == 6);
        if (n == 3) assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.,:/-=", c));
    }
}

static void tcc_err(void *opaque, const char *msg)
{
    (void)opaque;
    fprintf(stderr, "tcc: %s\n", msg);
}

/* Compile every single-byte literal, all 256 bytes in one literal, and
 * some tricky sequences with libtcc; the compiled bytes must equal the input. */
static void test_c_string_roundtrip(void **state)
{
    (void)state;
    static const char *const tricky[] = {"\0017", "\0009", "?\?/\n", "a\"b\\c", "\xff\xfe\x80", "\r\n\t\v\f\a\b", "*/ #include <stdio.h>\n",
                                         "\\x41", "%s%n"};
    size_t ntricky = sizeof tricky / sizeof tricky[0];
    size_t tlen[] = {2, 2, 4, 5, 3, 7, 23, 4, 4};
    char all[256];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    StrBuf src;
    sb_init(&src);
    for (int c = 0; c < 256; c++) {
        char ch = (char)c;
        sb_printf(&src, "const char b%d[] = ", c);
        cg_c_string(&src, &ch, 1);
        sb_puts(&src, ";\n");
    }
    sb_puts(&src, "const char all[] = ");
    cg_c_string(&src, all, 256);
    sb_puts(&src, ";\nconst unsigned long all_n = sizeof all - 1;\n");
    for (size_t i = 0; i < ntricky; i++) {
        sb_printf(&src, "const char t%zu[] = ", i);
        cg_c_string(&src, tricky[i], tlen[i]);
        sb_printf(&src, ";\nconst unsigned long t%zu_n = sizeof t%zu - 1;\n", i, i);
    }
    char *c = sb_detach(&src);

    TCCState *s = tcc_new();
    assert_non_null(s);
    tcc_set_error_func(s, NULL, tcc_err);
    tcc_set_lib_path(s, VELO_TCC_LIBDIR);
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    assert_int_equal(tcc_compile_string(s, c), 0);
    assert_true(tcc_relocate(s, TCC_RELOCATE_AUTO) >= 0);
    for (int i = 0; i < 256; i++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", i);
        const unsigned char *p = tcc_get_symbol(s, name);
        assert_non_null(p);
        assert_int_equal(p[0], i);
        assert_int_equal(p[1], 0);
    }
    const char *pa = tcc_get_symbol(s, "all");
    const unsigned long *pn = tcc_get_symbol(s, "all_n");
    assert_non_null(pa);
    assert_non_null(pn);
    assert_int_equal(*pn, 256);
    assert_memory_equal(pa, all, 256);
    for (size_t i = 0; i < ntricky; i++) {
        char name[16], nname[16];
        snprintf(name, sizeof name, "t%zu", i);
        snprintf(nname, sizeof nname, "t%zu_n", i);
        const char *p = tcc_get_symbol(s, name);
        const unsigned long *n = tcc_get_symbol(s, nname);
        assert_non_null(p);
        assert_non_null(n);
        assert_int_equal(*n, tlen[i]);
        assert_memory_equal(p, tricky[i], tlen[i]);
    }
    tcc_delete(s);
    free(c);
}

/* ---- whole pipelines ----------------------------------------------------- */

typedef struct Run {
    char *c; /* generated C (malloc'd) */
    size_t clen;
    char *out; /* captured stdout (arena) */
    size_t olen;
    int status;
} Run;

/* Parse, bind, optimize and generate src[0..n); must be error-free. */
static void generate(const char *src, size_t n, const char *script_path, Run *r)
{
    Script sc;
    memset(&sc, 0, sizeof sc);
    sc.path = "q.sql";
    sc.text = src;
    sc.len = n;
    g_d.text = src;
    g_d.len = n;
    Catalog cat;
    cat_init(&cat, &g_a, &g_d, tdir);
    Job *job = ar_alloc(&g_a, sizeof *job);
    PtrVec meta = {0};
    ps_parse_script(&g_a, &g_d, &sc);
    Binder b;
    bd_init(&b, &g_a, &g_d, &cat, job);
    if (g_d.nerrors == 0) bd_bind_script(&b, &sc, &meta);
    if (g_d.nerrors) {
        fflush(g_d.out);
        fail_msg("errors:\n%s", g_dbuf);
    }
    Optimizer o;
    opt_init(&o, &g_a);
    opt_run(&o, job);
    CgResult cg = {0};
    assert_int_equal(cg_generate(&g_a, job, script_path, &cg), 0);
    assert_non_null(cg.c);
    r->c = cg.c;
    r->clen = cg.len;
}

/* JIT-compile r->c and run it with stdout redirected to a file. */
static void run_jit(Run *r, const char *format)
{
    JitQuery *q = be_jit_compile(r->c, NULL);
    assert_non_null(q);
    char opath[128];
    snprintf(opath, sizeof opath, "%s/stdout.txt", tdir);
    int fd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fd, 1), 1);
    close(fd);
    velo_opts o;
    memset(&o, 0, sizeof o);
    o.format = format;
    o.quiet = 1;
    velo_rt *rt = velo_rt_new(&o);
    int st = be_jit_run(q, rt);
    r->status = velo_rt_finish(rt, st);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    be_jit_free(q);
    FILE *f = fopen(opath, "rb");
    assert_non_null(f);
    r->out = ar_alloc(&g_a, 1 << 16);
    r->olen = fread(r->out, 1, (1 << 16) - 1, f);
    fclose(f);
}

static void test_pipeline_end_to_end(void **state)
{
    (void)state;
    wfile("t.csv", "id,sym,price,qty\n"
                   "1,AAA,12.50,100\n"
                   "2,BBB,7.25,2000\n"
                   "3,AAA,1.5,3\n"
                   "4,CCC,2.00,1\n"
                   "5,BBB,0.10,10\n");
    const char *sql = "SELECT sym, COUNT(*) AS n, SUM(qty) AS q, SUM(price * qty) AS notional, MAX(id) AS m\n"
                      "FROM t WHERE qty > 1 GROUP BY sym ORDER BY sym WITH ('t.path' = 't.csv');\n"
                      "SELECT id, price / 4 AS quarter, qty / 3 AS third FROM t WHERE sym <> 'AAA';\n";
    Run r = {0};
    generate(sql, strlen(sql), "q.sql", &r);
    run_jit(&r, "jsonl");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"sym\":\"AAA\",\"n\":2,\"q\":103,\"notional\":1254.50,\"m\":3}\n"
                               "{\"sym\":\"BBB\",\"n\":2,\"q\":2010,\"notional\":14501.00,\"m\":5}\n"
                               "{\"id\":2,\"quarter\":1.812500,\"third\":666}\n"
                               "{\"id\":4,\"quarter\":0.500000,\"third\":0}\n"
                               "{\"id\":5,\"quarter\":0.025000,\"third\":3}\n");
    free(r.c);
}

/* The group memo (cg_memo_agg): GROUP BY columns of the build rows of a
 * LEFT join keep each build row's group in the row. Duplicate build keys
 * share a group, a NULL key and an unmatched row get their own. Grouping by
 * a probe column generates no memo. */
static void test_group_memo(void **state)
{
    (void)state;
    wfile("c.csv", "id,name\n1,ann\n2,bob\n2,bea\n,nul\n4,dan\n");
    wfile("o.csv", "oid,cid,amt\n10,1,5\n11,1,7\n12,2,1\n13,3,9\n14,,2\n15,2,4\n");
    const char *sql = "SELECT c.name, COUNT(o.oid) AS n, SUM(o.amt) AS s FROM c LEFT JOIN o ON c.id = o.cid\n"
                      "GROUP BY c.name ORDER BY c.name WITH ('c.path' = 'c.csv', 'o.path' = 'o.csv');\n"
                      "SELECT c.id, COUNT(o.oid) AS n, SUM(o.amt) AS s FROM c LEFT JOIN o ON c.id = o.cid\n"
                      "GROUP BY c.id ORDER BY c.id NULLS FIRST;\n";
    Run r = {0};
    generate(sql, strlen(sql), "q.sql", &r);
    assert_non_null(strstr(r.c, "->grp = g;"));
    run_jit(&r, "jsonl");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"name\":\"ann\",\"n\":2,\"s\":12}\n"
                               "{\"name\":\"bea\",\"n\":2,\"s\":5}\n"
                               "{\"name\":\"bob\",\"n\":2,\"s\":5}\n"
                               "{\"name\":\"dan\",\"n\":0,\"s\":null}\n"
                               "{\"name\":\"nul\",\"n\":0,\"s\":null}\n"
                               "{\"id\":null,\"n\":0,\"s\":null}\n"
                               "{\"id\":1,\"n\":2,\"s\":12}\n"
                               "{\"id\":2,\"n\":4,\"s\":10}\n"
                               "{\"id\":4,\"n\":0,\"s\":null}\n");
    free(r.c);
    const char *probe = "SELECT o.amt, COUNT(*) AS n FROM c JOIN o ON c.id = o.cid GROUP BY o.amt\n"
                        "WITH ('c.path' = 'c.csv', 'o.path' = 'o.csv');\n";
    Run p = {0};
    generate(probe, strlen(probe), "q.sql", &p);
    assert_null(strstr(p.c, "->grp = g;"));
    free(p.c);
}

static void test_pipeline_csv_nulls(void **state)
{
    (void)state;
    wfile("n.csv", "a,b\n1,x\n,\"\"\n3,\n");
    const char *sql = "SELECT a, b, a IS NULL AS an, COALESCE(b, '?') AS bb FROM n WITH ('n.path' = 'n.csv');";
    Run r = {0};
    generate(sql, strlen(sql), "q.sql", &r);
    run_jit(&r, "csv");
    assert_int_equal(r.status, 0);
    /* NULL is an unquoted empty field, the empty string is "" */
    assert_string_equal(r.out, "a,b,an,bb\n1,x,false,x\n,\"\",true,\"\"\n3,,false,?\n");
    free(r.c);
}

static int mem_has(const char *h, size_t hn, const char *needle, size_t nn)
{
    return memmem(h, hn, needle, nn) != NULL;
}

static void test_hostile_text(void **state)
{
    (void)state;
    wfile("t.csv", "id\n1\n");
    static const char sql[] = "SELECT 'a\"b\\c */ ?\?= \n#include <stdio.h>\n' AS \"we\"\"ird */ \\ ?\?( x\", "
                              "'nul[\0]' AS n, '\xff\xfe' AS \"bad\xc3\", 'x'';' AS q "
                              "FROM t WITH ('t.path' = 't.csv');\n";
    size_t n = sizeof sql - 1;
    /* a script name that tries to break out of #line */
    Run r = {0};
    generate(sql, n, "evil\"\n#include <stdio.h>\n.sql", &r);
    /* the generated C is one NUL-free text that holds no raw user text */
    assert_int_equal(strlen(r.c), r.clen);
    static const char *const raw[] = {
        "#include <stdio.h>", "a\"b", "we\"ird", "?\?=", "?\?(", "\\c */", "nul[", "\xff", "\xfe", "\xc3", "evil\""};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        if (mem_has(r.c, r.clen, raw[i], strlen(raw[i]))) fail_msg("raw text #%zu in the generated C", i);
    const char *esc = "\\043include \\074stdio.h\\076";
    assert_true(mem_has(r.c, r.clen, esc, strlen(esc)));
    run_jit(&r, "csv");
    assert_int_equal(r.status, 0);
    static const char want[] = "\"we\"\"ird */ \\ ?\?( x\",n,bad\xc3,q\n"
                               "\"a\"\"b\\c */ ?\?= \n#include <stdio.h>\n\",nul[\0],\xff\xfe,x';\n";
    assert_int_equal(r.olen, sizeof want - 1);
    assert_memory_equal(r.out, want, sizeof want - 1);
    free(r.c);
}

static void test_hostile_jsonl(void **state)
{
    (void)state;
    wfile("t.csv", "id\n1\n");
    static const char sql[] = "SELECT 'q\"\\\n\t' AS \"k\"\"\", 'z\0z' AS z FROM t WITH ('t.path' = 't.csv');";
    Run r = {0};
    generate(sql, sizeof sql - 1, "q.sql", &r);
    run_jit(&r, "jsonl");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"k\\\"\":\"q\\\"\\\\\\n\\t\",\"z\":\"z\\u0000z\"}\n");
    free(r.c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_c_string_text), T(test_c_string_roundtrip), T(test_pipeline_end_to_end), T(test_pipeline_csv_nulls),
        T(test_hostile_text),  T(test_hostile_jsonl),      T(test_group_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
