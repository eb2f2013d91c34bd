/*
 * joinorder.c -- DP and greedy join enumeration over a JoGraph (see
 * joinorder.h): the cost model, subset cardinalities with the equivalence
 * class rule, the DP's O(1) connectivity test and the greedy pairing.
 */
#include "joinorder.h"

#include <stdlib.h>

double jo_cost(double l, double r, double out)
{
    double build = l < r ? l : r, probe = l < r ? r : l;
    return out + 2.0 * build + probe;
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

static double subset_card(const JoGraph *g, const ClassOrder *o, JoSet s)
{
    double card = 1;
    for (int i = 0; i < g->n; i++)
        if (s >> i & 1) card *= g->card[i] > 0 ? g->card[i] : 1;
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

/* Splits are tested for a connecting predicate (jo_connected) 3^n times,
 * 531 441 at 12 relations, each a pass over every predicate: 6-15 ms of a
 * 12-way join's compile. The same test in O(1) for predicates on two
 * relations: nb[l], the relations some such predicate links to l, meets r.
 * The few reading three or more relations keep the loop (hyper). */
typedef struct DpLinks {
    JoSet *nb; /* [full + 1] */
    int nhyper;
    JoSet hyper[64];
    int overflow; /* more hyperedges than hyper holds: use jo_connected */
} DpLinks;

static int dp_links_init(const JoGraph *g, JoSet full, DpLinks *k)
{
    JoSet adj[JO_MAX_DP] = {0};
    k->nhyper = k->overflow = 0;
    for (int i = 0; i < g->npreds; i++) {
        JoSet m = g->masks[i];
        int bits = __builtin_popcountll(m);
        if (bits == 2) {
            int a = __builtin_ctzll(m), b = 63 - __builtin_clzll(m);
            adj[a] |= (JoSet)1 << b;
            adj[b] |= (JoSet)1 << a;
        } else if (bits > 2) {
            if (k->nhyper < 64) k->hyper[k->nhyper++] = m;
            else k->overflow = 1;
        }
    }
    k->nb = malloc(sizeof(JoSet) * ((size_t)full + 1));
    if (!k->nb) return -1;
    k->nb[0] = 0;
    for (JoSet s = 1; s <= full; s++) k->nb[s] = k->nb[s & (s - 1)] | adj[__builtin_ctzll(s)];
    return 0;
}

/* jo_connected(g, l, r), by the tables. */
static int dp_linked(const JoGraph *g, const DpLinks *k, JoSet l, JoSet r)
{
    if (k->nb[l] & r) return 1;
    if (k->overflow) return jo_connected(g, l, r);
    for (int i = 0; i < k->nhyper; i++)
        if (links(k->hyper[i], l, r)) return 1;
    return 0;
}

int jo_dp(const JoGraph *g, JoResult *out)
{
    if (g->n < 1 || g->n > JO_MAX_DP) return -1;
    JoSet full = ((JoSet)1 << g->n) - 1;
    Dp *dp = calloc((size_t)full + 1, sizeof *dp);
    DpLinks links = {0};
    ClassOrder order = {0};
    if (!dp || dp_links_init(g, full, &links) != 0 || class_order(g, &order) != 0) {
        free(dp);
        free(links.nb);
        return -1;
    }
    for (JoSet s = 1; s <= full; s++) {
        dp[s].card = subset_card(g, &order, s);
        if ((s & (s - 1)) == 0) {
            dp[s].cost = 0;
            dp[s].ok = 1;
            continue;
        }
        for (int pass = 0; pass < 2 && !dp[s].ok; pass++) {
            for (JoSet l = (s - 1) & s; l; l = (l - 1) & s) {
                JoSet r = s & ~l;
                if (!dp[l].ok || !dp[r].ok) continue;
                if (pass == 0 && !dp_linked(g, &links, l, r)) continue;
                double cost = dp[l].cost + dp[r].cost + jo_cost(dp[l].card, dp[r].card, dp[s].card);
                if (!dp[s].ok || cost < dp[s].cost) {
                    dp[s].cost = cost;
                    dp[s].left = l;
                    dp[s].ok = 1;
                }
            }
        }
    }
    out->nnodes = 0;
    out->root = dp_emit(g, &order, dp, full, out);
    out->cost = dp[full].cost;
    free(dp);
    free(links.nb);
    free(order.idx);
    return 0;
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
        double jc = jo_cost(ca, cb, best);
        total += jc;
        comp[ba] = add_join(out, comp[ba], comp[bb], best, out->node[comp[ba]].cost + out->node[comp[bb]].cost + jc);
        set[ba] |= set[bb];
        comp[bb] = comp[n - 1];
        set[bb] = set[n - 1];
        n--;
    }
    out->root = comp[0];
    out->cost = total;
    free(order.idx);
    return 0;
}
