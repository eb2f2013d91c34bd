/*
 * main.c -- the veloc command line:
 *
 *   veloc run   QUERY.sql [--format table|jsonl|csv] [--set k=v] [--quiet]
 *   veloc build QUERY.sql -o JOB [--cc CC] [--emit-c FILE]
 *   veloc QUERY.sql -o JOB
 *   veloc explain [--format text] [--costs off] QUERY.sql
 *   veloc check QUERY.sql
 *   veloc emit-c QUERY.sql
 *
 * Every command runs the same front half (parse, bind, optimize, codegen)
 * and differs only in what it does with the C. Exit status: 0 ok, 2 user
 * error (SQL, configuration, missing file), 1 runtime failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "binder.h"
#include "codegen.h"
#include "explain.h"
#include "functions.h"
#include "optimizer.h"
#include "parser.h"
#include "velo_internal.h"
#include "kafka.h"

typedef enum Cmd { CMD_RUN, CMD_BUILD, CMD_EXPLAIN, CMD_CHECK, CMD_EMIT } Cmd;

typedef struct Cli {
    Cmd cmd;
    const char *sql_path;
    const char *out_path;
    const char *cc;
    const char *emit_c;
    int costs;
    int analyze;         /* explain --analyze */
    const char *xformat; /* explain --format text|json|dot */
    const char *disabled[8];
    int ndisabled;
    /* options passed through to the job (veloc run) */
    int job_argc;
    char **job_argv;
} Cli;

/* Everything compiled from one script, freed together. */
typedef struct Compile {
    Arena arena;
    Diag diag;
    Script script;
    Catalog cat;
    Job job;
    PtrVec meta;
    Optimizer opt;
    CgResult cg;
    double ms_parse, ms_bind, ms_opt, ms_cg;
} Compile;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *f)
{
    fputs("usage: veloc run QUERY.sql [--format table|jsonl|csv] [--set key=value] [--quiet]\n"
          "       veloc build QUERY.sql -o JOB [--cc CC] [--emit-c FILE]\n"
          "       veloc QUERY.sql -o JOB\n"
          "       veloc explain [--analyze] [--format text|json|dot] [--costs off] QUERY.sql\n"
          "       veloc check QUERY.sql\n"
          "       veloc emit-c QUERY.sql\n"
          "options for every command: --disable-pass NAME (constant_folding, predicate_pushdown, join_reorder,\n"
          "       join_equivalences, redundant_joins, projection_pushdown, join_elimination)\n",
          f);
}

static char *read_file(Arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "veloc: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    StrBuf b;
    sb_init(&b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_add(&b, buf, n);
    fclose(f);
    char *s = ar_strndup(a, b.p ? b.p : "", b.n);
    *len = b.n;
    sb_free(&b);
    return s;
}

static int reads_rel(const Plan *p, const Relation *r)
{
    if (p->kind == P_SCAN) return p->rel == r;
    if (p->child && reads_rel(p->child, r)) return 1;
    for (int i = 0; i < p->inputs.n; i++)
        if (reads_rel(p->inputs.v[i], r)) return 1;
    return 0;
}

/* A checkpointed Kafka source commits the offsets of its statement's
 * checkpoints to its group: a second statement reading it would start
 * where the first one's commits left the group. */
static void check_kafka_shared(Compile *c, int stmt, const Relation *r)
{
    for (int j = stmt + 1; j < c->job.plans.n; j++)
        if (reads_rel(c->job.plans.v[j], r)) {
            diag_error(&c->diag, r->pos, NULL,
                       "checkpointed Kafka source '%s' is read by statements %d and %d; each statement needs a source of its "
                       "own (with its own 'group.id')",
                       r->name, stmt + 1, j + 1);
            return;
        }
}

/* 'checkpoint.interval' on a source read by a statement whose state the
 * code generator cannot snapshot yet is an error, not a silent no-op. */
static int check_checkpoints(Compile *c)
{
    for (int i = 0; i < c->job.plans.n; i++) {
        Plan *root = c->job.plans.v[i];
        const Relation *r = pl_checkpointed_source(root);
        if (r && r->kind == REL_KAFKA_SOURCE && cg_can_checkpoint(root)) check_kafka_shared(c, i, r);
        if (!r || cg_can_checkpoint(root)) continue;
        diag_error(&c->diag, r->pos, NULL,
                   "checkpoints support a statement that reads one file or Kafka source through filters, projections, "
                   "aggregates, windows, ORDER BY, LIMIT and hash joins with bounded file inputs "
                   "into a file sink (or, from Kafka, a Kafka sink); statement %d does more (OVER, UNION, a "
                   "stream-stream join, or another sink)",
                   i + 1);
    }
    return c->diag.nerrors ? 2 : 0;
}

/* Parse, bind, optimize and generate C. Returns 0, or 2 after errors. */
static int compile_script(Compile *c, const Cli *cli)
{
    memset(c, 0, sizeof *c);
    ar_init(&c->arena);
    size_t len = 0;
    char *text = read_file(&c->arena, cli->sql_path, &len);
    if (!text) return 2;
    diag_init(&c->diag, cli->sql_path, text, len);
    c->script.path = cli->sql_path;
    c->script.text = text;
    c->script.len = len;

    double t0 = now_ms();
    ps_parse_script(&c->arena, &c->diag, &c->script);
    double t1 = now_ms();
    c->ms_parse = t1 - t0;

    char real[PATH_MAX];
    const char *dir = ".";
    if (realpath(cli->sql_path, real)) dir = ar_strdup(&c->arena, dirname(real));
    cat_init(&c->cat, &c->arena, &c->diag, dir);
    Binder b;
    bd_init(&b, &c->arena, &c->diag, &c->cat, &c->job);
    if (c->diag.nerrors == 0 || c->script.stmts.n) bd_bind_script(&b, &c->script, &c->meta);
    double t2 = now_ms();
    c->ms_bind = t2 - t1;
    if (c->diag.nerrors) {
        fprintf(stderr, "veloc: %d error%s in %s\n", c->diag.nerrors, c->diag.nerrors == 1 ? "" : "s", cli->sql_path);
        return 2;
    }

    opt_init(&c->opt, &c->arena);
    for (int i = 0; i < cli->ndisabled; i++) {
        if (opt_disable(&c->opt, cli->disabled[i]) != 0) {
            const char *hint = opt_suggest(&c->opt, cli->disabled[i]);
            fprintf(stderr, "veloc: unknown optimizer pass '%s'%s%s%s\n", cli->disabled[i], hint ? " (did you mean '" : "",
                    hint ? hint : "", hint ? "'?)" : "");
            return 2;
        }
    }
    opt_run(&c->opt, &c->job);
    if (check_checkpoints(c)) return 2;
    for (int i = 0; i < c->meta.n; i++) {
        MetaStmt *m = c->meta.v[i];
        if (m->job) opt_run(&c->opt, m->job);
    }
    double t3 = now_ms();
    c->ms_opt = t3 - t2;
    cg_generate(&c->arena, &c->job, cli->sql_path, &c->cg);
    c->ms_cg = now_ms() - t3;
    return 0;
}

static void compile_free(Compile *c)
{
    free(c->cg.c);
    ar_free(&c->arena);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* ---- meta statements: SHOW, DESCRIBE, EXPLAIN --------------------------- */

static double jit_time(const char *src)
{
    double ms = 0;
    JitQuery *q = be_jit_compile(src, &ms);
    be_jit_free(q);
    return q ? ms : -1;
}

/*
 * EXPLAIN ANALYZE's CPU time per operator, sampled: a timer on the query
 * thread's CPU clock ticks every AN_TICK_NS, and each tick counts for the
 * operator whose code the generated job says is running (CG_AN_OP). The
 * operators of a pipeline run fused in one loop, so timing each with the
 * clock would cost more than what it measures; a tick costs nothing
 * between ticks. Background threads (librdkafka's) are not sampled. A
 * count of 1 ms ticks: an operator with a few says only that it was cheap.
 */
enum { AN_TICK_NS = 1000000 };
static volatile int *an_op;
static long long *an_ticks;
static int an_nops;

/* The kernel checks CPU timers at its scheduler tick (4 ms with HZ=250):
 * the expirations between count as overruns, charged to the same operator. */
static void an_tick(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    int k = *an_op;
    if (k >= 0 && k < an_nops) an_ticks[k] += 1 + (si->si_overrun > 0 ? si->si_overrun : 0);
}

typedef struct AnProfile {
    struct sigaction old;
    timer_t timer;
    int on;
} AnProfile;

static void an_profile_start(AnProfile *pr, JitQuery *q, int nops, Arena *a)
{
    pr->on = 0;
    an_op = be_jit_symbol(q, CG_AN_OP);
    an_ticks = ar_alloc(a, sizeof(long long) * (size_t)(nops + 1));
    an_nops = nops;
    if (!an_op) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = an_tick;
    sa.sa_flags = SA_RESTART | SA_SIGINFO; /* a tick must not fail a read */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPROF, &sa, &pr->old) != 0) return;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGPROF;
    ev._sigev_un._tid = (pid_t)gettid();
    struct itimerspec every = {{0, AN_TICK_NS}, {0, AN_TICK_NS}};
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &pr->timer) != 0) {
        sigaction(SIGPROF, &pr->old, NULL);
        return;
    }
    timer_settime(pr->timer, 0, &every, NULL);
    pr->on = 1;
}

static void an_profile_stop(AnProfile *pr, ExplainInfo *info)
{
    if (!pr->on) return;
    timer_delete(pr->timer);
    sigaction(SIGPROF, &pr->old, NULL);
    info->an_ticks = an_ticks;
    info->an_tick_ms = AN_TICK_NS / 1e6;
}

/* EXPLAIN ANALYZE runs the job with counters compiled in; its rows go to
 * /dev/null (file and Kafka sinks are written as usual). */
static int analyze_run(JitQuery *q, ExplainInfo *info, Arena *a)
{
    char *argv[] = {"veloc", "--quiet", NULL};
    velo_opts o;
    if (velo_parse_job_args(2, argv, &o) != 0) return 1;
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);
    if (saved < 0 || devnull < 0) return 1;
    dup2(devnull, 1);
    close(devnull);
    velo_rt *rt = velo_rt_new(&o);
    AnProfile pr;
    an_profile_start(&pr, q, info->job->next_id + 1, a);
    int rc = be_jit_run(q, rt);
    an_profile_stop(&pr, info);
    int status = velo_rt_finish(rt, rc);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    velo_opts_free(&o);
    info->an_rows = be_jit_symbol(q, CG_AN_ROWS);
    info->an_late = be_jit_symbol(q, CG_AN_LATE);
    info->an_us = be_jit_symbol(q, CG_AN_US);
    info->an_mem = be_jit_symbol(q, CG_AN_MEM);
    info->an_bits = be_jit_symbol(q, CG_AN_BITS);
    return status;
}

static int explain_job(Compile *c, Job *job, int costs, int analyze, const char *format)
{
    CgResult cg = {0};
    job->analyze = analyze;
    double t0 = now_ms();
    cg_generate(&c->arena, job, c->script.path, &cg);
    double ms_cg = now_ms() - t0;
    ExplainInfo info = {0};
    info.job = job;
    info.opt = &c->opt;
    info.c_bytes = cg.len;
    info.c_lines = count_lines(cg.c);
    info.pipelines = cg.pipelines;
    info.ms_parse = c->ms_parse;
    info.ms_bind = c->ms_bind;
    info.ms_optimize = c->ms_opt;
    info.ms_codegen = ms_cg;
    info.backend = "libtcc";
    info.costs = costs;
    int status = 0;
    JitQuery *q = NULL;
    if (costs || analyze) {
        q = be_jit_compile(cg.c, &info.ms_compile);
        if (!q) status = 1;
    }
    if (q && analyze) status = analyze_run(q, &info, &c->arena);
    if (status == 0) {
        if (format && !strcmp(format, "json")) xp_json(stdout, &c->arena, &info);
        else if (format && !strcmp(format, "dot")) xp_dot(stdout, &c->arena, &info);
        else xp_text(stdout, &c->arena, &info);
    }
    be_jit_free(q);
    free(cg.c);
    return status;
}

/* The broker SHOW TOPICS asks: --set bootstrap.servers=..., else the
 * 'bootstrap.servers' of the script's first Kafka relation, else
 * VELO_KAFKA_BROKERS, else localhost:9092. The 'kafka.*' security settings
 * of that relation (SASL, SSL) are passed on. */
static const char *meta_brokers(Compile *c, velo_rt *rt, const char ***conf)
{
    const velo_opts *o = &rt->priv->opts;
    const char *b = NULL;
    Relation *kr = NULL;
    for (int i = 0; i < c->cat.rels.n && !kr; i++) {
        Relation *r = c->cat.rels.v[i];
        if (r->kind == REL_KAFKA_SOURCE || r->kind == REL_KAFKA_SINK) kr = r;
    }
    *conf = ar_alloc(&c->arena, sizeof(char *) * (size_t)(2 * (kr ? kr->props.n : 0) + 2));
    int n = 0;
    for (int i = 0; kr && i < kr->props.n; i++) {
        Property *p = kr->props.v[i];
        const char *k = p->key + 6;
        if (strncasecmp(p->key, "kafka.", 6) ||
            !(!strncmp(k, "security.", 9) || !strncmp(k, "sasl.", 5) || !strncmp(k, "ssl.", 4) || !strncmp(k, "socket.", 7)))
            continue;
        (*conf)[n++] = k;
        (*conf)[n++] = p->value;
    }
    for (int i = 0; i < o->nsets; i++)
        if (!strcasecmp(o->set_keys[i], "bootstrap.servers")) b = o->set_vals[i];
    if ((!b || !*b) && kr) b = cat_prop(kr, "bootstrap.servers");
    if (!b || !*b) b = getenv("VELO_KAFKA_BROKERS");
    return b && *b ? b : "localhost:9092";
}

static int run_meta(Compile *c, velo_rt *rt)
{
    for (int i = 0; i < c->meta.n; i++) {
        MetaStmt *m = c->meta.v[i];
        Stmt *st = m->stmt;
        int rc = 0;
        const char **conf = NULL;
        if (st->kind == S_EXPLAIN) {
            rc = explain_job(c, m->job, !st->costs_off, st->analyze, "text");
        } else if (!strcmp(st->show_what, "TOPICS")) {
            rc = vkadmin_show_topics(rt, meta_brokers(c, rt, &conf), conf, st->show_like);
        } else if (!strcmp(st->show_what, "TOPIC DETAILS")) {
            rc = vkadmin_topic_details(rt, meta_brokers(c, rt, &conf), conf, st->name);
        } else {
            fprintf(stderr, "veloc: SHOW %s needs the job registry, which this build does not have yet\n", st->show_what);
            rc = 2;
        }
        fflush(stdout);
        if (rc) return rc;
    }
    return 0;
}

/* ---- commands ---------------------------------------------------------- */

static int cmd_run(Compile *c, const Cli *cli)
{
    velo_opts o;
    int rc = velo_parse_job_args(cli->job_argc, cli->job_argv, &o);
    if (rc != 0) return rc < 0 ? 0 : rc;
    velo_rt *rt = velo_rt_new(&o);
    int status = run_meta(c, rt);
    if (status == 0 && c->job.plans.n) {
        JitQuery *q = be_jit_compile(c->cg.c, NULL);
        status = q ? be_jit_run(q, rt) : 1;
        be_jit_free(q);
    }
    status = velo_rt_finish(rt, status);
    velo_opts_free(&o);
    return status;
}

static int cmd_build(Compile *c, const Cli *cli)
{
    if (!cli->out_path) {
        fprintf(stderr, "veloc: build needs -o JOB\n");
        return 2;
    }
    if (!c->job.plans.n) {
        fprintf(stderr, "veloc: %s has no query to build\n", cli->sql_path);
        return 2;
    }
    return be_aot_build(c->cg.c, c->cg.len, cli->out_path, cli->cc ? cli->cc : "cc", be_libdir(), cli->emit_c, NULL) ? 1 : 0;
}

static int cmd_explain(Compile *c, const Cli *cli)
{
    /* `veloc explain q.sql` explains every query of the script */
    return explain_job(c, &c->job, cli->costs, cli->analyze, cli->xformat);
}

static int parse_cli(int argc, char **argv, Cli *cli)
{
    memset(cli, 0, sizeof *cli);
    cli->costs = 1;
    int i = 1;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "run")) {
        cli->cmd = CMD_RUN;
        i = 2;
    } else if (!strcmp(c, "build")) {
        cli->cmd = CMD_BUILD;
        i = 2;
    } else if (!strcmp(c, "explain")) {
        cli->cmd = CMD_EXPLAIN;
        i = 2;
    } else if (!strcmp(c, "check")) {
        cli->cmd = CMD_CHECK;
        i = 2;
    } else if (!strcmp(c, "emit-c")) {
        cli->cmd = CMD_EMIT;
        i = 2;
    } else if (!strcmp(c, "--help") || !strcmp(c, "-h")) {
        usage(stdout);
        return -1;
    } else if (!strcmp(c, "--version")) {
        puts("veloc 0.1.0");
        return -1;
    } else if (c[0] != '-' && strstr(c, ".sql")) cli->cmd = CMD_BUILD;
    else {
        fprintf(stderr, "veloc: unknown command '%s'\n", c);
        usage(stderr);
        return 2;
    }
    /* job options are kept for velo_parse_job_args: argv[0] plus them */
    cli->job_argv = calloc((size_t)argc + 1, sizeof(char *));
    cli->job_argv[cli->job_argc++] = argv[0];
    for (; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "-o") && more) cli->out_path = argv[++i];
        else if (!strcmp(a, "--cc") && more) cli->cc = argv[++i];
        else if (!strcmp(a, "--emit-c") && more) cli->emit_c = argv[++i];
        else if (!strcmp(a, "--disable-pass") && more && cli->ndisabled < 8) cli->disabled[cli->ndisabled++] = argv[++i];
        else if (!strcmp(a, "--costs") && more) cli->costs = strcmp(argv[++i], "off") != 0;
        else if (cli->cmd == CMD_EXPLAIN && !strcmp(a, "--analyze")) cli->analyze = 1;
        else if (cli->cmd == CMD_EXPLAIN && !strcmp(a, "--format") && more) {
            cli->xformat = argv[++i];
            if (strcmp(cli->xformat, "text") && strcmp(cli->xformat, "json") && strcmp(cli->xformat, "dot")) {
                fprintf(stderr, "veloc: explain --format must be text, json or dot\n");
                return 2;
            }
        } else if (a[0] != '-' && !cli->sql_path && strstr(a, ".sql")) cli->sql_path = a;
        else if (cli->cmd == CMD_RUN) {
            cli->job_argv[cli->job_argc++] = argv[i];
            if ((!strcmp(a, "--format") || !strcmp(a, "--set")) && more) cli->job_argv[cli->job_argc++] = argv[++i];
        } else if (a[0] != '-' && !cli->sql_path) cli->sql_path = a;
        else {
            fprintf(stderr, "veloc: unknown option '%s'\n", a);
            return 2;
        }
    }
    if (!cli->sql_path) {
        fprintf(stderr, "veloc: no QUERY.sql given\n");
        usage(stderr);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    Cli cli;
    int rc = parse_cli(argc, argv, &cli);
    if (rc != 0) {
        free(cli.job_argv);
        return rc < 0 ? 0 : rc;
    }
    Compile c;
    rc = compile_script(&c, &cli);
    if (rc == 0) {
        switch (cli.cmd) {
        case CMD_RUN: rc = cmd_run(&c, &cli); break;
        case CMD_BUILD: rc = cmd_build(&c, &cli); break;
        case CMD_EXPLAIN: rc = cmd_explain(&c, &cli); break;
        case CMD_CHECK:
            if (c.job.plans.n && jit_time(c.cg.c) < 0) rc = 1;
            else fprintf(stderr, "%s: ok (%d statement%s)\n", cli.sql_path, c.script.stmts.n, c.script.stmts.n == 1 ? "" : "s");
            break;
        case CMD_EMIT: fwrite(c.cg.c, 1, c.cg.len, stdout); break;
        }
    }
    compile_free(&c);
    free(cli.job_argv);
    return rc;
}
