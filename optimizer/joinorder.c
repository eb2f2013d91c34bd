/*
 * joinorder.c -- join enumeration over a JoGraph (see joinorder.h): the
 * cost model with its measured probe factors, subset cardinalities with the
 * equivalence class rule, DPccp over the join graph with cross-product
 * edges, and the greedy pairing beyond JO_MAX_DP relations.
 */
#include "joinorder.h"

#include <math.h>
#include <stdlib.h>

/*
 * Measured by bench/joincost/joincost.py (4M probes, each matching one of N
 * rows at random, against the table's bytes; 2026-11-29, this 2-core EPYC
 * VM, 2 MB L2, 32 MB L3 shared with other guests; bench/RESULTS.md). Per
 * probe, a batch ahead: 0.05 MB 11.8 ns, 5.9 MB 24.9, 19.5 MB 63.3, 57 MB
 * 136.9, 180 MB 133.6; one at a time: 12.3, 30.0, 111.2, 206.0, 187.7 ns.
 * As factors of the probe in cache: ahead 1, 2, 5.4, 11.6, 11.3; one at a
 * time 1, 2.5, 9.4, 17.4, 15.9. Fetching ahead hides part of each miss,
 * not all of it. Between the points below the factor is linear in
 * log2(bytes), flat outside them.
 */
double jo_probe_factor(double bytes, int ahead)
{
    static const double mb[] = {1, 6, 20, 60}, fa[] = {1, 2, 5.5, 12}, f1[] = {1, 2.5, 9.5, 17};
    const double *factor = ahead ? fa : f1;
    double m = bytes / (1024.0 * 1024.0);
    if (m <= mb[0]) return factor[0];
    for (int i = 1; i < 4; i++)
        if (m <= mb[i]) {
            double t = log2(m / mb[i - 1]) / log2(mb[i] / mb[i - 1]);
            return factor[i - 1] + t * (factor[i] - factor[i - 1]);
        }
    return factor[3];
}

double jo_cost(JoIn l, JoIn r, double out)
{
    int left = l.rows < r.rows || (l.rows == r.rows && l.width < r.width); /* of equal rows the narrower */
    const JoIn *build = left ? &l : &r, *probe = left ? &r : &l;
    return out + 2.0 * build->rows + probe->rows * jo_probe_factor(build->rows * (build->width + JO_ROW_OVERHEAD), probe->ahead);
}

JoIn jo_input(const JoGraph *g, JoSet s, double rows)
{
    JoIn in = {rows, 0, 0};
    int one = !(s & (s - 1));
    in.ahead = one && (!g->scan || g->scan[__builtin_ctzll(s)]);
    for (; s; s &= s - 1) in.width += g->width ? g->width[__builtin_ctzll(s)] : JO_ROW_WIDTH;
    return in;
}

int jo_uf_root(int *up, int x)
{
    while (up[x] != x) x = up[x] = up[up[x]];
    return x;
}

/* The predicates of equivalence classes in the order class_sels takes
 * them: by class, then least selective first, then by index. */
typedef struct ClassOrder {
    int n;
    int *idx; /* [npreds] */
} ClassOrder;

/* 0, or -1 when memory runs out. */
static int class_order(const JoGraph *g, ClassOrder *o)
{
    o->n = 0;
    o->idx = malloc(sizeof(int) * ((size_t)g->npreds + 1));
    if (!o->idx) return -1;
    for (int i = 0; g->eclass && i < g->npreds; i++) {
        if (g->eclass[i] < 0) continue;
        int k = o->n++;
        for (; k > 0; k--) { /* insertion: stable, so equal ones keep index order */
            int j = o->idx[k - 1];
            if (g->eclass[j] < g->eclass[i] || (g->eclass[j] == g->eclass[i] && g->sel[j] >= g->sel[i])) break;
            o->idx[k] = j;
        }
        o->idx[k] = i;
    }
    return 0;
}

/* card times, for each class in turn, the selectivity of its equalities
 * inside s: a spanning tree over the relations they connect, least
 * selective edge first (Kruskal, one pass over the sorted edges). */
static double class_sels(const JoGraph *g, const ClassOrder *o, JoSet s, double card)
{
    int up[JO_MAX_REL];
    for (int a = 0; a < o->n;) {
        int k = g->eclass[o->idx[a]], b = a;
        double sel = 1;
        for (int i = 0; i < g->n; i++) up[i] = i;
        for (; b < o->n && g->eclass[o->idx[b]] == k; b++) {
            int i = o->idx[b];
            JoSet m = g->masks[i];
            if (!m || (m & ~s)) continue;
            int x = jo_uf_root(up, __builtin_ctzll(m)), y = jo_uf_root(up, 63 - __builtin_clzll(m));
            if (x == y) continue;
            up[x] = y;
            sel *= g->sel[i];
        }
        card *= sel;
        a = b;
    }
    return card;
}

/* Relation i's rows; unknown (<= 0) counts as 1. */
static double rel_rows(const JoGraph *g, int i)
{
    return g->card[i] > 0 ? g->card[i] : 1;
}

static double subset_card(const JoGraph *g, const ClassOrder *o, JoSet s)
{
    double card = 1;
    for (int i = 0; i < g->n; i++)
        if (s >> i & 1) card *= rel_rows(g, i);
    for (int i = 0; i < g->npreds; i++) {
        JoSet m = g->masks[i];
        if (!m || (m & ~s) || !(m & (m - 1)) || (g->eclass && g->eclass[i] >= 0)) continue;
        card *= g->sel[i];
    }
    card = class_sels(g, o, s, card);
    return card < 1 ? 1 : card;
}

double jo_subset_card(const JoGraph *g, JoSet s)
{
    ClassOrder o;
    if (class_order(g, &o) != 0) return 1e300; /* no memory: too large to choose */
    double card = subset_card(g, &o, s);
    free(o.idx);
    return card;
}

/* A predicate over relations m reads both a and b and nothing else. */
static int links(JoSet m, JoSet a, JoSet b)
{
    return (m & a) && (m & b) && !(m & ~(a | b));
}

int jo_connected(const JoGraph *g, JoSet a, JoSet b)
{
    for (int i = 0; i < g->npreds; i++)
        if (links(g->masks[i], a, b)) return 1;
    return 0;
}

static int add_leaf(JoResult *r, const JoGraph *g, const ClassOrder *o, int k)
{
    JoNode *x = &r->node[r->nnodes];
    x->set = (JoSet)1 << k;
    x->rel = k;
    x->left = x->right = -1;
    x->card = subset_card(g, o, x->set);
    x->cost = 0;
    return r->nnodes++;
}

static int add_join(JoResult *r, int l, int rt, double card, double cost)
{
    JoNode *x = &r->node[r->nnodes];
    x->set = r->node[l].set | r->node[rt].set;
    x->rel = -1;
    x->left = l;
    x->right = rt;
    x->card = card;
    x->cost = cost;
    return r->nnodes++;
}

/* ---- DP ----------------------------------------------------------------- */

/*
 * DPccp (Moerkotte and Neumann, VLDB 2006) enumerates each pair of
 * disjoint connected subsets that an edge joins (a csg-cmp pair) exactly
 * once, subsets before their supersets, and nothing else: on a chain of 12
 * relations 286 pairs where a DP over all subsets tries 523 250 splits.
 *
 * The graph it runs on (jo_ccp_graph) is the join graph with two kinds of
 * edges added, so that the plans worth a cross product stay in its space:
 * - every two relations of a predicate on three or more are adjacent (a
 *   split such a predicate crosses counts as connected, as in DPhyp when
 *   the hyperedge's other end is inside the pair);
 * - cross-product edges: between relations in different components of the
 *   join graph (an ON true join: it must be crossed somewhere, and any
 *   place may be best), and between two relations with no predicate that
 *   share a neighbour k when their product is at most k's rows or the
 *   rows of k joined with either: two filtered dimensions of one fact,
 *   crossed and then probed by the fact on both keys at once, beat the
 *   fact joined to one and carried to the other when the fact's first
 *   join is larger than the cross product
 *   (test_cross_product_of_dimensions: 1.0004e6 against 1.0201e6 for the
 *   best tree without the cross product).
 */
static void ccp_graph(const JoGraph *g, const ClassOrder *o, JoSet *adj)
{
    int up[JO_MAX_DP];
    JoSet join[JO_MAX_DP] = {0};
    for (int i = 0; i < g->n; i++) up[i] = i;
    for (int p = 0; p < g->npreds; p++) {
        JoSet m = g->masks[p];
        if (!(m & (m - 1))) continue;
        for (int a = 0; a < g->n; a++) {
            if (!(m >> a & 1)) continue;
            join[a] |= m & ~((JoSet)1 << a);
            up[jo_uf_root(up, a)] = jo_uf_root(up, __builtin_ctzll(m));
        }
    }
    for (int i = 0; i < g->n; i++) adj[i] = join[i];
    for (int i = 0; i < g->n; i++)
        for (int j = i + 1; j < g->n; j++) {
            if (join[i] >> j & 1) continue;
            int cross = jo_uf_root(up, i) != jo_uf_root(up, j);
            double prod = rel_rows(g, i) * rel_rows(g, j);
            for (JoSet k = join[i] & join[j]; k && !cross; k &= k - 1) {
                JoSet kb = k & -k, ib = (JoSet)1 << i, jb = (JoSet)1 << j;
                cross = prod <= rel_rows(g, __builtin_ctzll(k)) || prod <= subset_card(g, o, kb | ib) || prod <= subset_card(g, o, kb | jb);
            }
            if (!cross) continue;
            adj[i] |= (JoSet)1 << j;
            adj[j] |= (JoSet)1 << i;
        }
}

void jo_ccp_graph(const JoGraph *g, JoSet *adj)
{
    ClassOrder o;
    if (class_order(g, &o) != 0) o.n = 0; /* no memory: cardinalities without the class rule */
    ccp_graph(g, &o, adj);
    free(o.idx);
}

typedef struct Dp {
    double card, cost;
    JoSet left; /* split: left part (0 for a leaf) */
    int ok;
} Dp;

static int dp_emit(const JoGraph *g, const ClassOrder *o, const Dp *dp, JoSet s, JoResult *r)
{
    if ((s & (s - 1)) == 0) return add_leaf(r, g, o, __builtin_ctzll(s));
    int l = dp_emit(g, o, dp, dp[s].left, r);
    int rt = dp_emit(g, o, dp, s & ~dp[s].left, r);
    return add_join(r, l, rt, dp[s].card, dp[s].cost);
}

typedef struct Ccp {
    const JoGraph *g;
    const ClassOrder *o;
    Dp *dp;    /* [2^n] by subset */
    JoSet *nb; /* [2^n] neighbours of each subset (may include its own) */
    long pairs;
} Ccp;

/* The join of s1 and s2, both planned already. The larger set (as a
 * number) is the left side, and of equal costs the larger left side wins:
 * what a DP over subsets that tries them in descending order and keeps the
 * first minimum would choose, so the trees do not depend on the order
 * pairs come in. */
static void ccp_join(Ccp *c, JoSet s1, JoSet s2)
{
    JoSet s = s1 | s2, l = s1 > s2 ? s1 : s2, r = s1 > s2 ? s2 : s1;
    Dp *d = &c->dp[s], *dl = &c->dp[l], *dr = &c->dp[r];
    c->pairs++;
    if (!d->ok) d->card = subset_card(c->g, c->o, s);
    double cost = dl->cost + dr->cost + jo_cost(jo_input(c->g, l, dl->card), jo_input(c->g, r, dr->card), d->card);
    if (!d->ok || cost < d->cost || (cost == d->cost && l > d->left)) {
        d->cost = cost;
        d->left = l;
        d->ok = 1;
    }
}

/* The paper's EnumerateCmpRec: connected supersets of s2 by its
 * neighbours outside x, each joined with s1. */
static void ccp_cmp_rec(Ccp *c, JoSet s1, JoSet s2, JoSet x)
{
    JoSet n = c->nb[s2] & ~(s2 | x);
    for (JoSet t = n & -n; t; t = (t - n) & n) ccp_join(c, s1, s2 | t);
    for (JoSet t = n & -n; t; t = (t - n) & n) ccp_cmp_rec(c, s1, s2 | t, x | n);
}

/* The paper's EmitCsg: the complements of the connected set s1 -- each
 * neighbour above s1's lowest relation, grown through neighbours. */
static void ccp_csg(Ccp *c, JoSet s1)
{
    JoSet x = s1 | (((s1 & -s1) << 1) - 1), n = c->nb[s1] & ~x;
    for (JoSet rest = n; rest;) {
        JoSet v = (JoSet)1 << (63 - __builtin_clzll(rest));
        rest &= ~v;
        ccp_join(c, s1, v);
        ccp_cmp_rec(c, s1, v, x | (n & ((v << 1) - 1)));
    }
}

/* The paper's EnumerateCsgRec: connected supersets of s by its neighbours
 * outside x. */
static void ccp_csg_rec(Ccp *c, JoSet s, JoSet x)
{
    JoSet n = c->nb[s] & ~(s | x);
    for (JoSet t = n & -n; t; t = (t - n) & n) ccp_csg(c, s | t);
    for (JoSet t = n & -n; t; t = (t - n) & n) ccp_csg_rec(c, s | t, x | n);
}

int jo_dp(const JoGraph *g, JoResult *out)
{
    if (g->n < 1 || g->n > JO_MAX_DP) return -1;
    JoSet full = ((JoSet)1 << g->n) - 1, adj[JO_MAX_DP];
    Ccp c = {g, NULL, calloc((size_t)full + 1, sizeof(Dp)), malloc(sizeof(JoSet) * ((size_t)full + 1)), 0};
    ClassOrder order = {0};
    if (!c.dp || !c.nb || class_order(g, &order) != 0) {
        free(c.dp);
        free(c.nb);
        return -1;
    }
    c.o = &order;
    ccp_graph(g, &order, adj);
    c.nb[0] = 0;
    for (JoSet s = 1; s <= full; s++) c.nb[s] = c.nb[s & (s - 1)] | adj[__builtin_ctzll(s)];
    for (int i = 0; i < g->n; i++) {
        Dp *d = &c.dp[(JoSet)1 << i];
        d->card = subset_card(g, &order, (JoSet)1 << i);
        d->ok = 1;
    }
    for (int i = g->n - 1; i >= 0; i--) {
        JoSet v = (JoSet)1 << i;
        ccp_csg(&c, v);
        ccp_csg_rec(&c, v, (v << 1) - 1);
    }
    int ok = c.dp[full].ok;
    if (ok) {
        out->nnodes = 0;
        out->root = dp_emit(g, &order, c.dp, full, out);
        out->cost = c.dp[full].cost;
        out->pairs = c.pairs;
    }
    free(c.dp);
    free(c.nb);
    free(order.idx);
    return ok ? 0 : -1;
}

/* ---- greedy ------------------------------------------------------------- */

int jo_greedy(const JoGraph *g, JoResult *out)
{
    ClassOrder order;
    if (g->n < 1 || g->n > JO_MAX_REL || class_order(g, &order) != 0) return -1;
    int comp[JO_MAX_REL];
    JoSet set[JO_MAX_REL];
    int n = g->n;
    out->nnodes = 0;
    for (int i = 0; i < n; i++) {
        comp[i] = add_leaf(out, g, &order, i);
        set[i] = (JoSet)1 << i;
    }
    double total = 0;
    while (n > 1) {
        int ba = -1, bb = -1;
        double best = 0;
        for (int pass = 0; pass < 2 && ba < 0; pass++)
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++) {
                    if (pass == 0 && !jo_connected(g, set[a], set[b])) continue;
                    double card = subset_card(g, &order, set[a] | set[b]);
                    if (ba < 0 || card < best) {
                        best = card;
                        ba = a;
                        bb = b;
                    }
                }
        double ca = subset_card(g, &order, set[ba]), cb = subset_card(g, &order, set[bb]);
        double jc = jo_cost(jo_input(g, set[ba], ca), jo_input(g, set[bb], cb), best);
        total += jc;
        comp[ba] = add_join(out, comp[ba], comp[bb], best, out->node[comp[ba]].cost + out->node[comp[bb]].cost + jc);
        set[ba] |= set[bb];
        comp[bb] = comp[n - 1];
        set[bb] = set[n - 1];
        n--;
    }
    out->root = comp[0];
    out->cost = total;
    out->pairs = 0;
    free(order.idx);
    return 0;
}
