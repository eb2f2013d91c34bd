/*
 * fuzz_sql.c -- libFuzzer target for the compiler front end and middle:
 * lexer + parser (ps_parse_script), binder with the catalog's sampling of
 * data files (bd_bind_script), optimizer (opt_run), codegen (cg_generate)
 * and EXPLAIN text (xp_text) on arbitrary script text. Diagnostics go to
 * /dev/null. Relative paths resolve in a scratch directory holding d.csv,
 * d.jsonl and d.json, written once at startup.
 *
 * Inputs naming device or proc files ('/dev/...') are skipped: sampling a
 * FIFO or a terminal would block, which is not a compiler bug.
 */
#include "fuzz_common.h"

#include "binder.h"
#include "catalog.h"
#include "codegen.h"
#include "diag.h"
#include "explain.h"
#include "optimizer.h"
#include "parser.h"

static FILE *devnull;
static const char *base_dir;

static const char csv_data[] = "id,b,i,bi,d,dec,s,ts,x,customer,region,price,qty,a,c\n"
                               "1,true,10,10000000000,1.5,12.50,apple,2026-03-02 09:30:00,1,alice,north,12.50,3,1,x\n"
                               "2,false,-3,-5,-2.25,-0.75,Banana,2026-03-02 09:31:30.125,2,bob,south,7.25,10,2,y\n"
                               "3,,7,,0.1,100.00,,2026-03-01 23:59:59,3,carol,,3.00,,,\n"
                               "4,true,0,0,1e300,0.01,\"q,\"\"uoted\"\"\",1970-01-01 00:00:00,4,dave,east,0.99,1,4,z\n";

static const char jsonl_data[] = "{\"id\":1,\"b\":true,\"i\":10,\"bi\":10000000000,\"d\":1.5,\"dec\":12.50,\"s\":\"apple\","
                                 "\"ts\":\"2026-03-02T09:30:00Z\",\"a\":{\"x\":[1,2]},\"c\":\"\\u00e9\"}\n"
                                 "{\"id\":2,\"b\":false,\"i\":-3,\"bi\":-5,\"d\":-2.25,\"dec\":-0.75,\"s\":\"Banana\","
                                 "\"ts\":1772443890125,\"a\":null,\"c\":\"x\"}\n"
                                 "{\"id\":3,\"b\":null,\"i\":7,\"d\":0.1,\"dec\":\"100.00\",\"s\":null,\"ts\":\"2026-03-01T23:59:59Z\"}\n";

static const char json_data[] = "[{\"id\":1,\"s\":\"a\",\"ts\":\"2026-03-02T09:30:00Z\"},{\"id\":2,\"s\":\"b\",\"ts\":0}]\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    base_dir = fz_tmpdir();
    free(fz_write("d.csv", csv_data, sizeof csv_data - 1));
    free(fz_write("d.jsonl", jsonl_data, sizeof jsonl_data - 1));
    free(fz_write("d.json", json_data, sizeof json_data - 1));
    return 0;
}

static int has_word(const uint8_t *p, size_t n, const char *w)
{
    size_t m = strlen(w);
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(p + i, w, m)) return 1;
    return 0;
}

static void gen_and_explain(Arena *a, Optimizer *opt, Job *job)
{
    CgResult cg = {0};
    cg_generate(a, job, "fuzz.sql", &cg);
    ExplainInfo info = {0};
    info.job = job;
    info.opt = opt;
    info.c_bytes = cg.len;
    info.pipelines = cg.pipelines;
    info.backend = "libtcc";
    xp_text(devnull, a, &info);
    free(cg.c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (has_word(data, size, "dev/") || has_word(data, size, "proc/") || has_word(data, size, "sys/")) return -1;
    Arena arena;
    ar_init(&arena);
    /* malloc'ed to its exact size so that ASan sees any read past the end */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    Diag diag;
    diag_init(&diag, "fuzz.sql", text, size);
    diag.out = devnull;
    Script script;
    memset(&script, 0, sizeof script);
    script.path = "fuzz.sql";
    script.text = text;
    script.len = size;
    ps_parse_script(&arena, &diag, &script);

    Catalog cat;
    cat_init(&cat, &arena, &diag, base_dir);
    Job job;
    memset(&job, 0, sizeof job);
    PtrVec meta;
    memset(&meta, 0, sizeof meta);
    Binder b;
    bd_init(&b, &arena, &diag, &cat, &job);
    if (diag.nerrors == 0 || script.stmts.n) bd_bind_script(&b, &script, &meta);
    if (diag.nerrors == 0) {
        Optimizer opt;
        opt_init(&opt, &arena);
        opt_run(&opt, &job);
        for (int i = 0; i < meta.n; i++) {
            MetaStmt *m = meta.v[i];
            if (m->job) opt_run(&opt, m->job);
        }
        gen_and_explain(&arena, &opt, &job);
        for (int i = 0; i < meta.n; i++) {
            MetaStmt *m = meta.v[i];
            if (m->job) gen_and_explain(&arena, &opt, m->job);
        }
    }
    ar_free(&arena);
    free(text);
    return 0;
}
