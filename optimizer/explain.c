/*
 * explain.c -- EXPLAIN text (see explain.h).
 */
#include "explain.h"

#include <string.h>

#include "expr.h"
#include "functions.h"

static void xp_sb_expr(StrBuf *b, Arena *a, const Expr *e, const Plan *in);

static void xp_str_lit(StrBuf *b, const char *s, size_t n)
{
    sb_add(b, "'", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'') sb_add(b, "''", 2);
        else if (c < 32 || c == 127) sb_printf(b, "\\x%02x", c);
        else sb_add(b, (const char *)&c, 1);
    }
    sb_add(b, "'", 1);
}

static const char *xp_binop(int op)
{
    static const char *const t[] = {"+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR"};
    return t[op];
}

static void xp_list(StrBuf *b, Arena *a, const PtrVec *v, int from, const Plan *in)
{
    for (int i = from; i < v->n; i++) {
        if (i > from) sb_puts(b, ", ");
        xp_sb_expr(b, a, v->v[i], in);
    }
}

static void xp_sb_expr(StrBuf *b, Arena *a, const Expr *e, const Plan *in)
{
    char buf[64];
    switch (e->kind) {
    case E_LIT_NULL: sb_puts(b, "NULL"); return;
    case E_LIT_BOOL: sb_puts(b, e->ival ? "TRUE" : "FALSE"); return;
    case E_LIT_INT: sb_printf(b, "%lld", (long long)e->ival); return;
    case E_LIT_DEC:
        vd_format(buf, e->ival, e->scale);
        sb_puts(b, buf);
        return;
    case E_LIT_DOUBLE: sb_printf(b, "%.17g", e->dval); return;
    case E_LIT_STR: xp_str_lit(b, e->sval, e->slen); return;
    case E_LIT_TS:
        vt_format(buf, e->ival);
        sb_printf(b, "TIMESTAMP '%s'", buf);
        return;
    case E_LIT_INTERVAL: sb_printf(b, "INTERVAL '%lld' MICROSECOND", (long long)e->ival); return;
    case E_COLUMN:
        if (in && e->col_index >= 0 && e->col_index < in->ncols) sb_puts(b, in->cols[e->col_index].name);
        else sb_puts(b, e->sval ? e->sval : "?");
        return;
    case E_STAR: sb_puts(b, "*"); return;
    case E_UNARY:
        sb_puts(b, e->op == 'N' ? "NOT " : e->op == '-' ? "-" : "+");
        xp_sb_expr(b, a, e->left, in);
        return;
    case E_BINARY:
        sb_puts(b, "(");
        xp_sb_expr(b, a, e->left, in);
        sb_printf(b, " %s ", xp_binop(e->op));
        xp_sb_expr(b, a, e->right, in);
        sb_puts(b, ")");
        return;
    case E_FUNC:
        sb_printf(b, "%s(", e->sval);
        if (e->distinct) sb_puts(b, "DISTINCT ");
        xp_list(b, a, &e->args, 0, in);
        sb_puts(b, ")");
        return;
    case E_CASE:
        sb_puts(b, "CASE");
        if (e->left) {
            sb_puts(b, " ");
            xp_sb_expr(b, a, e->left, in);
        }
        for (int i = 0; i + 1 < e->args.n; i += 2) {
            sb_puts(b, " WHEN ");
            xp_sb_expr(b, a, e->args.v[i], in);
            sb_puts(b, " THEN ");
            xp_sb_expr(b, a, e->args.v[i + 1], in);
        }
        if (e->else_) {
            sb_puts(b, " ELSE ");
            xp_sb_expr(b, a, e->else_, in);
        }
        sb_puts(b, " END");
        return;
    case E_CAST:
        sb_puts(b, "CAST(");
        xp_sb_expr(b, a, e->left, in);
        sb_printf(b, " AS %s)", ty_name(a, e->cast_to));
        return;
    case E_BETWEEN:
        xp_sb_expr(b, a, e->left, in);
        sb_puts(b, e->negated ? " NOT BETWEEN " : " BETWEEN ");
        xp_sb_expr(b, a, e->right, in);
        sb_puts(b, " AND ");
        xp_sb_expr(b, a, e->third, in);
        return;
    case E_IN_LIST:
        xp_sb_expr(b, a, e->left, in);
        sb_puts(b, e->negated ? " NOT IN (" : " IN (");
        xp_list(b, a, &e->args, 0, in);
        sb_puts(b, ")");
        return;
    case E_LIKE:
        xp_sb_expr(b, a, e->left, in);
        sb_puts(b, e->negated ? " NOT LIKE " : " LIKE ");
        xp_sb_expr(b, a, e->right, in);
        return;
    case E_IS_NULL:
        xp_sb_expr(b, a, e->left, in);
        sb_puts(b, e->negated ? " IS NOT NULL" : " IS NULL");
        return;
    case E_EXTRACT:
        sb_printf(b, "EXTRACT(%s FROM ", e->ival >= 0 && e->ival < AST_NEXTRACT ? ast_extract_fields[e->ival] : "?");
        xp_sb_expr(b, a, e->left, in);
        sb_puts(b, ")");
        return;
    default: sb_puts(b, "(subquery)"); return;
    }
}

const char *xp_expr(Arena *a, const Expr *e, const Plan *in)
{
    StrBuf b;
    sb_init(&b);
    xp_sb_expr(&b, a, e, in);
    char *s = ar_strdup(a, b.p ? b.p : "");
    sb_free(&b);
    return s;
}

static const char *agg_text(Arena *a, const AggCall *ac, const Plan *in)
{
    const FuncDef *f = ac->fn;
    if (ac->id == A_COUNT_STAR) return "COUNT(*)";
    if (ac->id == A_COUNT_DISTINCT) return ar_printf(a, "COUNT(DISTINCT %s)", xp_expr(a, ac->arg, in));
    if (ac->arg2) return ar_printf(a, "%s(%s, %s)", f->name, xp_expr(a, ac->arg, in), xp_expr(a, ac->arg2, in));
    return ar_printf(a, "%s(%s)", f->name, xp_expr(a, ac->arg, in));
}

/* A duration in the largest unit that divides it: 10s, 250ms, 7us. */
static const char *xp_dur(Arena *a, int64_t us)
{
    static const struct {
        int64_t us;
        const char *unit;
    } units[] = {{3600000000LL, "h"}, {60000000LL, "m"}, {1000000LL, "s"}, {1000LL, "ms"}};
    if (us == 0) return "0s";
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (us % units[i].us == 0) return ar_printf(a, "%lld%s", (long long)(us / units[i].us), units[i].unit);
    return ar_printf(a, "%lldus", (long long)us);
}

static const Plan *xp_scan_below(const Plan *p)
{
    while (p->kind != P_SCAN && p->child) p = p->child;
    return p->kind == P_SCAN ? p : NULL;
}

/* input.column for the time column c of an interval join input. */
static const char *xp_time_col(Arena *a, const Plan *in, int c)
{
    const Plan *s = xp_scan_below(in);
    return s ? ar_printf(a, "%s.%s", s->rel->name, in->cols[c].name) : in->cols[c].name;
}

/* "the left watermark", less the input's 'allowed.lateness' if it has one. */
static const char *xp_watermark(Arena *a, const Plan *in, const char *side)
{
    const Plan *s = xp_scan_below(in);
    const char *late = s ? cat_prop(s->rel, "allowed.lateness") : NULL;
    return late ? ar_printf(a, "the %s watermark - %s", side, late) : ar_printf(a, "the %s watermark", side);
}

/* The bound and the eviction rule of an interval join. */
static void xp_interval(FILE *out, Arena *a, const Plan *p)
{
    const Plan *l = p->inputs.v[0], *r = p->inputs.v[1];
    const char *lt = xp_time_col(a, l, p->iv_lcol), *rt = xp_time_col(a, r, p->iv_rcol);
    fprintf(out, " bound %s - %s in [%s, %s]; evict left rows when %s > %s + %s, right rows when %s > %s + %s", rt, lt, xp_dur(a, p->iv_lo),
            xp_dur(a, p->iv_hi), xp_watermark(a, r, "right"), lt, xp_dur(a, p->iv_hi), xp_watermark(a, l, "left"), rt,
            xp_dur(a, -p->iv_lo));
}

/* 1536 -> "1.5 KB": sizes in EXPLAIN. */
static const char *xp_bytes(Arena *a, double b)
{
    if (b < 1024) return ar_printf(a, "%.0f B", b);
    if (b < 1024 * 1024) return ar_printf(a, "%.1f KB", b / 1024);
    if (b < 1024.0 * 1024 * 1024) return ar_printf(a, "%.1f MB", b / (1024 * 1024));
    return ar_printf(a, "%.1f GB", b / (1024.0 * 1024 * 1024));
}

/* The estimate EXPLAIN ANALYZE compares p's actual rows with: a scan
 * whose filters wait for a probe counts the rows it emits before them. */
static double xp_emitted(const Plan *p)
{
    if (p->est_early > 0) return p->est_early;
    return p->kind == P_SCAN && p->pushed_late ? p->est_probe : p->est_rows;
}

/* A join-order or join-replacement note; the order's estimated cost only
 * with COSTS, as it moves with the cost model. */
static void xp_join_note(FILE *out, const Plan *p, const ExplainInfo *info)
{
    if (!p->join_note) return;
    fprintf(out, " (%s", p->join_note);
    if (info->costs && p->join_cost > 0) fprintf(out, "; estimated cost %.0f", p->join_cost);
    fprintf(out, ")");
}

static void xp_node_line(FILE *out, Arena *a, const Plan *p, const ExplainInfo *info)
{
    const Plan *in = p->child;
    fprintf(out, "[%d] %s", p->id, pl_name(p));
    switch (p->kind) {
    case P_SCAN: {
        int k = 0;
        for (int i = 0; i < p->ncols; i++) k += p->needed[i];
        fprintf(out, " %s (%s %s)", p->rel->name,
                p->rel->kind == REL_FILE_SOURCE    ? "file"
                : p->rel->kind == REL_KAFKA_SOURCE ? "kafka"
                                                   : "nexmark",
                p->rel->format ? p->rel->format : "");
        fprintf(out, " decode %d/%d columns [", k, p->ncols);
        for (int i = 0, first = 1; i < p->ncols; i++)
            if (p->needed[i]) {
                fprintf(out, "%s%s", first ? "" : ", ", p->cols[i].name);
                first = 0;
            }
        fprintf(out, "]");
        /* filters checked as the record is decoded, then those that wait
           for the Bloom probe of the join above (late_filters) */
        for (int late = 0, any = 0; late < 2; late++)
            for (int i = 0, first = 1; i < p->pushed.n; i++)
                if ((p->pushed_late && p->pushed_late[i]) == late) {
                    if (first && late) fprintf(out, "%s filter after the probe of [%d]: ", any ? ";" : "", p->late_join->id);
                    else if (first) fprintf(out, " filter in decoder: ");
                    fprintf(out, "%s%s", first ? "" : " AND ", xp_expr(a, p->pushed.v[i], p));
                    first = 0, any = 1;
                }
        /* the joins above whose Bloom filters test its records right after
           the first probe (early_blooms) */
        for (int i = 0, n = p->early_blooms.n; i < n; i++)
            fprintf(out, "%s[%d]%s",
                    i       ? ", "
                    : n > 1 ? "; Bloom filters of "
                            : "; Bloom filter of ",
                    ((const Plan *)p->early_blooms.v[i])->id, i == n - 1 ? " after its first probe" : "");
        break;
    }
    case P_FILTER: fprintf(out, " %s", xp_expr(a, p->pred, in)); break;
    case P_PROJECT: {
        /* outputs nobody reads are not computed (projection pushdown): the
           Project that restores a reordered join's column order would list
           every column of every table */
        int shown = 0;
        for (int i = 0; i < p->ncols; i++)
            if (!p->out_needed || p->out_needed[i])
                fprintf(out, "%s%s AS %s", shown++ ? ", " : " ", xp_expr(a, p->exprs[i], in), p->cols[i].name);
        if (shown < p->ncols) fprintf(out, " (%d unread column%s not computed)", p->ncols - shown, p->ncols - shown > 1 ? "s" : "");
        xp_join_note(out, p, info);
        break;
    }
    case P_AGG:
        fprintf(out, " keys [");
        for (int i = 0; i < p->nkeys; i++) fprintf(out, "%s%s", i ? ", " : "", xp_expr(a, p->keys[i], in));
        fprintf(out, "] aggs [");
        for (int i = 0; i < p->naggs; i++) fprintf(out, "%s%s", i ? ", " : "", agg_text(a, &p->aggs[i], in));
        fprintf(out, "]");
        if (p->win.kind != WIN_NONE)
            fprintf(out, " window %s(%lld us%s)",
                    p->win.kind == WIN_TUMBLING  ? "TUMBLING"
                    : p->win.kind == WIN_SLIDING ? "SLIDING"
                                                 : "SESSION",
                    (long long)p->win.size_us, p->win.kind == WIN_SLIDING ? ar_printf(a, ", %lld us", (long long)p->win.advance_us) : "");
        fprintf(out, " emit %s", p->emit == EMIT_CHANGES ? "CHANGES" : "FINAL");
        const Plan *memo = pl_memo_join(p);
        if (memo) fprintf(out, " group memo in [%d]", memo->id);
        break;
    case P_SORT:
        fprintf(out, " by ");
        for (int i = 0; i < p->nsort; i++)
            fprintf(out, "%s%s%s", i ? ", " : "", xp_expr(a, p->sort_keys[i], in), p->sort_desc[i] ? " DESC" : "");
        if (p->limit >= 0) fprintf(out, " limit %lld", (long long)p->limit);
        break;
    case P_LIMIT: fprintf(out, " %lld", (long long)p->limit); break;
    case P_UNION: fprintf(out, " of %d inputs", p->inputs.n); break;
    case P_VALUES: fprintf(out, " %d rows", p->rows.n); break;
    case P_ANALYTIC:
        fprintf(out, " partition [");
        for (int i = 0; i < p->wpart.n; i++) fprintf(out, "%s%s", i ? ", " : "", xp_expr(a, p->wpart.v[i], in));
        fprintf(out, "] order [");
        for (int i = 0; i < p->word.n; i++) {
            OrderItem *oi = p->word.v[i];
            fprintf(out, "%s%s%s", i ? ", " : "", xp_expr(a, oi->expr, in), oi->desc ? " DESC" : "");
        }
        fprintf(out, "] calls [");
        for (int i = 0; i < p->wcalls.n; i++) fprintf(out, "%s%s", i ? ", " : "", xp_expr(a, p->wcalls.v[i], in));
        fprintf(out, "]");
        break;
    case P_JOIN: {
        static const char *const kinds[] = {"inner", "left", "right", "full", "cross", "semi", "anti"};
        const char *k = strchr("ILRFCSA", p->join_kind) ? kinds[strchr("ILRFCSA", p->join_kind) - "ILRFCSA"] : "?";
        const Plan *l = p->inputs.v[0], *r = p->inputs.v[1];
        if (p->interval) fprintf(out, " %s", k);
        else fprintf(out, " %s build=%s%s", k, p->build_left ? "left" : "right", p->bloom ? " bloom" : "");
        for (int i = 0; i < p->njk; i++)
            fprintf(out, "%s%s = %s", i ? " AND " : " on ", xp_expr(a, p->jk_left[i], l), xp_expr(a, p->jk_right[i], r));
        if (p->residual) fprintf(out, "%s%s", p->njk ? " AND " : " on ", xp_expr(a, p->residual, p));
        xp_join_note(out, p, info);
        if (p->interval) xp_interval(out, a, p);
        break;
    }
    case P_SINK:
        if (p->sink)
            fprintf(out, " %s (%s %s)", p->sink->name, p->sink->kind == REL_FILE_SINK ? "file" : "stdout",
                    p->sink->format ? p->sink->format : "");
        else fprintf(out, " stdout");
        break;
    }
    double emitted = xp_emitted(p);
    if (info->costs) {
        fprintf(out, "  (rows=%.0f %s", p->est_rows, p->est_source);
        if (emitted != p->est_rows)
            fprintf(out, p->kind == P_SCAN ? ", %.0f into the probe" : ", %.0f past the Bloom filters tested early", emitted);
        fprintf(out, ", cost=%.0f", p->est_cost);
        if (p->est_mem > 0) fprintf(out, ", hash table %s", xp_bytes(a, p->est_mem));
        fprintf(out, ")");
    }
    if (info->an_rows) {
        long long act = info->an_rows[p->id];
        fprintf(out, "  (actual rows=%lld q-error=%.2f", act, xp_qerror(emitted, (double)act));
        if (info->an_us[p->id]) fprintf(out, " pipeline time=%.3f ms", (double)info->an_us[p->id] / 1000.0);
        if (info->an_mem && info->an_mem[p->id]) fprintf(out, " hash table %s", xp_bytes(a, (double)info->an_mem[p->id]));
        if (info->an_bits && info->an_bits[p->id]) fprintf(out, " key bitmap of %lld values", info->an_bits[p->id]);
        if (info->an_ticks && info->an_ticks[p->id]) fprintf(out, " cpu~%.0f ms", (double)info->an_ticks[p->id] * info->an_tick_ms);
        if (info->an_late[p->id]) fprintf(out, " late=%lld", info->an_late[p->id]);
        fprintf(out, ")");
    }
    fprintf(out, "\n");
}

double xp_qerror(double est, double act)
{
    if (est < 1) est = 1;
    if (act < 1) act = 1;
    return est > act ? est / act : act / est;
}

static void xp_tree(FILE *out, Arena *a, const Plan *p, const char *prefix, int last, int root, const ExplainInfo *info)
{
    fprintf(out, "%s%s", prefix, root ? "" : last ? "`- " : "|- ");
    xp_node_line(out, a, p, info);
    const char *np = root ? prefix : ar_printf(a, "%s%s", prefix, last ? "   " : "|  ");
    int n = p->child ? 1 : p->inputs.n;
    for (int i = 0; i < n; i++) {
        const Plan *c = p->child ? p->child : p->inputs.v[i];
        xp_tree(out, a, c, np, i == n - 1, 0, info);
    }
}

static void xp_pipeline_from(FILE *out, const Plan *start, const Plan *const *parent, int *n)
{
    fprintf(out, "  pipeline %d: [%d] %s%s", ++*n, start->id, pl_name(start),
            start->kind == P_AGG || start->kind == P_SORT || start->kind == P_ANALYTIC ? " (emit)" : "");
    const Plan *p = parent[start->id], *from = start;
    while (p) {
        fprintf(out, " -> [%d] %s", p->id, pl_name(p));
        int join_build = p->kind == P_JOIN && !p->interval && from == p->inputs.v[p->build_left ? 0 : 1];
        if ((p->kind == P_AGG && p->emit != EMIT_CHANGES) || p->kind == P_SORT || (p->kind == P_ANALYTIC && !p->stream_eval) ||
            join_build) {
            fprintf(out, " (build)");
            break;
        }
        from = p;
        p = parent[p->id];
    }
    fprintf(out, "\n");
}

static void xp_parents(const Plan *p, const Plan **parent)
{
    if (p->child) {
        parent[p->child->id] = p;
        xp_parents(p->child, parent);
    }
    for (int i = 0; i < p->inputs.n; i++) {
        parent[((Plan *)p->inputs.v[i])->id] = p;
        xp_parents(p->inputs.v[i], parent);
    }
}

static void xp_starts(FILE *out, const Plan *p, const Plan **parent, int *n)
{
    if (p->child) xp_starts(out, p->child, parent, n);
    for (int i = 0; i < p->inputs.n; i++) xp_starts(out, p->inputs.v[i], parent, n);
    if (p->kind == P_SCAN || p->kind == P_VALUES || (p->kind == P_ANALYTIC && !p->stream_eval) ||
        (p->kind == P_AGG && p->emit != EMIT_CHANGES) || p->kind == P_SORT)
        xp_pipeline_from(out, p, parent, n);
}

/* ---- statistics --------------------------------------------------------- */

/* The scanned relations of the job, each once, with the columns some scan
 * of it decodes. */
typedef struct XpRel {
    const Relation *rel;
    unsigned char *used;
} XpRel;

static void xp_collect(Arena *a, const Plan *p, XpRel *rels, int *n)
{
    if (p->child) xp_collect(a, p->child, rels, n);
    for (int i = 0; i < p->inputs.n; i++) xp_collect(a, p->inputs.v[i], rels, n);
    if (p->kind != P_SCAN || !p->rel) return;
    int k = 0;
    while (k < *n && rels[k].rel != p->rel) k++;
    if (k == *n) {
        rels[k].rel = p->rel;
        rels[k].used = ar_alloc(a, (size_t)p->rel->ncols + 1);
        ++*n;
    }
    for (int i = 0; i < p->ncols && i < p->rel->ncols; i++) rels[k].used[i] |= p->needed[i];
}

static int xp_rels(Arena *a, const ExplainInfo *info, XpRel **out)
{
    int cap = info->job->next_id + 2, n = 0;
    *out = ar_alloc(a, sizeof(XpRel) * (size_t)cap);
    for (int r = 0; r < info->job->plans.n; r++) xp_collect(a, info->job->plans.v[r], *out, &n);
    return n;
}

/* Whether column i of r has distinct values from statistics. */
static int xp_ndv_known(const Relation *r, int i)
{
    return r->ndv && r->ndv[i] > 0 && strcmp(r->ndv_source[i], "default");
}

/* A column's range bound as SQL would print the value. */
static const char *xp_value(Arena *a, TypeSpec t, double x)
{
    char buf[64];
    if (t.tag == VT_TIMESTAMP) vt_format(buf, (i64)x);
    else if (t.tag == VT_DECIMAL) snprintf(buf, sizeof buf, "%.*f", t.scale, x);
    else if (t.tag == VT_DOUBLE) snprintf(buf, sizeof buf, "%.17g", x);
    else snprintf(buf, sizeof buf, "%.0f", x);
    return ar_strdup(a, buf);
}

/* Per scanned source: its rows, and for each column the query decodes its
 * distinct values and range, each with the source of the figure. */
static void xp_stats_text(FILE *out, Arena *a, const ExplainInfo *info)
{
    XpRel *rels;
    int n = xp_rels(a, info, &rels);
    if (!n) return;
    fprintf(out, "Statistics:\n");
    for (int k = 0; k < n; k++) {
        const Relation *r = rels[k].rel;
        fprintf(out, "  %s  rows=%.0f (%s)\n", r->name, r->est_rows, r->rows_source);
        for (int i = 0; i < r->ncols; i++) {
            if (!rels[k].used[i]) continue;
            fprintf(out, "    %-16s ndv=", r->cols[i].name);
            if (xp_ndv_known(r, i)) fprintf(out, "%.0f (%s)", r->ndv[i], r->ndv_source[i]);
            else fprintf(out, "? (default)");
            if (r->range_source && r->range_source[i])
                fprintf(out, "  range %s .. %s (%s)", xp_value(a, r->cols[i].type, r->lo[i]), xp_value(a, r->cols[i].type, r->hi[i]),
                        r->range_source[i]);
            fprintf(out, "\n");
        }
    }
}

static void xp_json_str(FILE *out, const char *s);

static void xp_stats_json(FILE *out, Arena *a, const ExplainInfo *info)
{
    XpRel *rels;
    int n = xp_rels(a, info, &rels);
    fprintf(out, ", \"statistics\": [");
    for (int k = 0; k < n; k++) {
        const Relation *r = rels[k].rel;
        fprintf(out, "%s{\"source\": ", k ? ", " : "");
        xp_json_str(out, r->name);
        fprintf(out, ", \"rows\": %.0f, \"rows_source\": \"%s\", \"columns\": [", r->est_rows, r->rows_source);
        for (int i = 0, first = 1; i < r->ncols; i++) {
            if (!rels[k].used[i]) continue;
            fprintf(out, "%s{\"name\": ", first ? "" : ", ");
            xp_json_str(out, r->cols[i].name);
            if (xp_ndv_known(r, i)) fprintf(out, ", \"ndv\": %.0f, \"ndv_source\": \"%s\"", r->ndv[i], r->ndv_source[i]);
            if (r->range_source && r->range_source[i]) {
                fprintf(out, ", \"min\": ");
                xp_json_str(out, xp_value(a, r->cols[i].type, r->lo[i]));
                fprintf(out, ", \"max\": ");
                xp_json_str(out, xp_value(a, r->cols[i].type, r->hi[i]));
                fprintf(out, ", \"range_source\": \"%s\"", r->range_source[i]);
            }
            fprintf(out, "}");
            first = 0;
        }
        fprintf(out, "]}");
    }
    fprintf(out, "]");
}

void xp_text(FILE *out, Arena *a, const ExplainInfo *info)
{
    Job *job = info->job;
    const Plan **parent = ar_alloc(a, sizeof(Plan *) * (size_t)(job->next_id + 2));
    for (int r = 0; r < job->plans.n; r++) {
        const Plan *root = job->plans.v[r];
        if (job->plans.n > 1) fprintf(out, "Statement %d\n", r + 1);
        fprintf(out, "Plan:\n");
        xp_tree(out, a, root, "  ", 1, 1, info);
        xp_parents(root, parent);
        int n = 0;
        fprintf(out, "Pipelines:\n");
        xp_starts(out, root, parent, &n);
    }
    if (info->costs) xp_stats_text(out, a, info); /* estimates: not in COSTS OFF */
    fprintf(out, "Optimizer passes:\n");
    for (int i = 0; info->opt && i < info->opt->npasses; i++) {
        const OptPassStat *s = &info->opt->pass[i];
        if (info->costs)
            fprintf(out, "  %-20s %-3s fired %d  %.3f ms  -- %s\n", s->name, s->enabled ? "on" : "off", s->fired, s->ms, s->what);
        else fprintf(out, "  %-20s %-3s fired %d  -- %s\n", s->name, s->enabled ? "on" : "off", s->fired, s->what);
    }
    if (info->costs) {
        fprintf(out, "Generated C: %zu bytes, %d lines, %d pipelines\n", info->c_bytes, info->c_lines, info->pipelines);
        fprintf(out, "Compile timings (ms): parse %.3f  bind %.3f  optimize %.3f  codegen %.3f  compile %.3f (%s)\n", info->ms_parse,
                info->ms_bind, info->ms_optimize, info->ms_codegen, info->ms_compile, info->backend ? info->backend : "libtcc");
    }
}

/* ---- machine-readable forms ------------------------------------------- */

static void xp_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 32) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

/* The one-line detail of an operator (what the text form prints after its
 * kind), captured from xp_node_line without ids and estimates. */
static const char *xp_detail(Arena *a, const Plan *p, const ExplainInfo *info)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    ExplainInfo plain = *info;
    plain.costs = 0;
    plain.an_rows = NULL;
    xp_node_line(m, a, p, &plain);
    fclose(m);
    const char *s = buf;
    const char *sp = strchr(s, ' ');  /* skip "[id]" */
    if (sp) sp = strchr(sp + 1, ' '); /* skip the kind */
    char *r = ar_strdup(a, sp ? sp + 1 : "");
    free(buf);
    size_t n = strlen(r);
    if (n && r[n - 1] == '\n') r[n - 1] = 0;
    return r;
}

static void xp_json_node(FILE *out, Arena *a, const Plan *p, const ExplainInfo *info, int depth)
{
    fprintf(out, "%*s{\"id\": %d, \"operator\": ", depth * 2, "", p->id);
    xp_json_str(out, pl_name(p));
    fprintf(out, ", \"detail\": ");
    xp_json_str(out, xp_detail(a, p, info));
    double emitted = xp_emitted(p);
    if (info->costs) {
        fprintf(out, ", \"estimated_rows\": %.0f, \"estimated_cost\": %.0f, \"estimate_source\": ", p->est_rows, p->est_cost);
        xp_json_str(out, p->est_source ? p->est_source : "default");
        if (emitted != p->est_rows)
            fprintf(out, ", \"%s\": %.0f", p->kind == P_SCAN ? "estimated_rows_into_probe" : "estimated_rows_past_early_filters", emitted);
        if (p->est_mem > 0) fprintf(out, ", \"estimated_hash_table_bytes\": %.0f", p->est_mem);
    }
    if (info->an_mem && info->an_mem[p->id]) fprintf(out, ", \"hash_table_bytes\": %lld", info->an_mem[p->id]);
    if (info->an_bits && info->an_bits[p->id]) fprintf(out, ", \"key_bitmap_values\": %lld", info->an_bits[p->id]);
    if (info->an_rows)
        fprintf(out, ", \"actual_rows\": %lld, \"q_error\": %.3f, \"pipeline_us\": %lld, \"late\": %lld, \"cpu_ms_sampled\": %.0f",
                info->an_rows[p->id], xp_qerror(emitted, (double)info->an_rows[p->id]), info->an_us[p->id], info->an_late[p->id],
                info->an_ticks ? (double)info->an_ticks[p->id] * info->an_tick_ms : 0.0);
    fprintf(out, ", \"inputs\": [");
    int n = p->child ? 1 : p->inputs.n;
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\n", i ? "," : "");
        xp_json_node(out, a, p->child ? p->child : p->inputs.v[i], info, depth + 1);
    }
    fprintf(out, "%s]}", n ? "\n" : "");
}

void xp_json(FILE *out, Arena *a, const ExplainInfo *info)
{
    fprintf(out, "{\"statements\": [\n");
    for (int r = 0; r < info->job->plans.n; r++) {
        fprintf(out, "%s", r ? ",\n" : "");
        xp_json_node(out, a, info->job->plans.v[r], info, 1);
    }
    fprintf(out, "\n], \"passes\": [");
    for (int i = 0; info->opt && i < info->opt->npasses; i++) {
        const OptPassStat *s = &info->opt->pass[i];
        fprintf(out, "%s{\"name\": \"%s\", \"enabled\": %s, \"fired\": %d", i ? ", " : "", s->name, s->enabled ? "true" : "false",
                s->fired);
        if (info->costs) fprintf(out, ", \"ms\": %.3f", s->ms);
        fprintf(out, "}");
    }
    fprintf(out, "]");
    if (info->costs) xp_stats_json(out, a, info);
    if (info->costs)
        fprintf(out,
                ", \"generated_c_bytes\": %zu, \"pipelines\": %d, \"timings_ms\": {\"parse\": %.3f, \"bind\": %.3f, "
                "\"optimize\": %.3f, \"codegen\": %.3f, \"compile\": %.3f}",
                info->c_bytes, info->pipelines, info->ms_parse, info->ms_bind, info->ms_optimize, info->ms_codegen, info->ms_compile);
    fprintf(out, "}\n");
}

static void xp_dot_node(FILE *out, Arena *a, const Plan *p, const ExplainInfo *info)
{
    fprintf(out, "  op%d [label=\"[%d] %s\\n", p->id, p->id, pl_name(p));
    for (const char *s = xp_detail(a, p, info); *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
    if (info->costs) fprintf(out, "\\nrows=%.0f (%s) cost=%.0f", p->est_rows, p->est_source, p->est_cost);
    if (info->an_rows) fprintf(out, "\\nactual=%lld", info->an_rows[p->id]);
    fprintf(out, "\"];\n");
    int n = p->child ? 1 : p->inputs.n;
    for (int i = 0; i < n; i++) {
        const Plan *c = p->child ? p->child : p->inputs.v[i];
        xp_dot_node(out, a, c, info);
        fprintf(out, "  op%d -> op%d;\n", c->id, p->id);
    }
}

void xp_dot(FILE *out, Arena *a, const ExplainInfo *info)
{
    fprintf(out, "digraph plan {\n  rankdir=BT;\n  node [shape=box, fontname=monospace];\n");
    for (int r = 0; r < info->job->plans.n; r++) xp_dot_node(out, a, info->job->plans.v[r], info);
    fprintf(out, "}\n");
}
