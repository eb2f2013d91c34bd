/*
 * joinorder.c -- DP and greedy join enumeration over a JoGraph (see
 * joinorder.h). Moved out of optimizer.c unchanged in behaviour: the same
 * cost model, the same split order and tie-breaking.
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

/* Selectivity of the equalities of class k inside s: a spanning tree over
 * the relations they connect, taking the least selective edge first
 * (Kruskal). */
static double class_sel(const JoGraph *g, JoSet s, int k)
{
    int up[JO_MAX_REL];
    for (int i = 0; i < g->n; i++) up[i] = i;
    double sel = 1;
    for (;;) {
        int best = -1;
        for (int i = 0; i < g->npreds; i++) {
            JoSet m = g->masks[i];
            if (g->eclass[i] != k || (m & ~s)) continue;
            int a = jo_uf_root(up, __builtin_ctzll(m)), b = jo_uf_root(up, 63 - __builtin_clzll(m));
            if (a != b && (best < 0 || g->sel[i] > g->sel[best])) best = i;
        }
        if (best < 0) return sel;
        JoSet m = g->masks[best];
        up[jo_uf_root(up, __builtin_ctzll(m))] = jo_uf_root(up, 63 - __builtin_clzll(m));
        sel *= g->sel[best];
    }
}

double jo_subset_card(const JoGraph *g, JoSet s)
{
    double card = 1;
    for (int i = 0; i < g->n; i++)
        if (s >> i & 1) card *= g->card[i] > 0 ? g->card[i] : 1;
    int kmax = -1;
    for (int i = 0; i < g->npreds; i++) {
        JoSet m = g->masks[i];
        if (!m || (m & ~s) || !(m & (m - 1))) continue;
        if (g->eclass && g->eclass[i] >= 0) {
            if (g->eclass[i] > kmax) kmax = g->eclass[i];
            continue;
        }
        card *= g->sel[i];
    }
    for (int k = 0; k <= kmax; k++) card *= class_sel(g, s, k);
    return card < 1 ? 1 : card;
}

int jo_connected(const JoGraph *g, JoSet a, JoSet b)
{
    for (int i = 0; i < g->npreds; i++)
        if ((g->masks[i] & a) && (g->masks[i] & b) && (g->masks[i] & ~(a | b)) == 0) return 1;
    return 0;
}

static int add_leaf(JoResult *r, const JoGraph *g, int k)
{
    JoNode *x = &r->node[r->nnodes];
    x->set = (JoSet)1 << k;
    x->rel = k;
    x->left = x->right = -1;
    x->card = jo_subset_card(g, x->set);
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

static int dp_emit(const JoGraph *g, const Dp *dp, JoSet s, JoResult *r)
{
    if ((s & (s - 1)) == 0) return add_leaf(r, g, __builtin_ctzll(s));
    int l = dp_emit(g, dp, dp[s].left, r);
    int rt = dp_emit(g, dp, s & ~dp[s].left, r);
    return add_join(r, l, rt, dp[s].card, dp[s].cost);
}

int jo_dp(const JoGraph *g, JoResult *out)
{
    if (g->n < 1 || g->n > JO_MAX_DP) return -1;
    JoSet full = ((JoSet)1 << g->n) - 1;
    Dp *dp = calloc((size_t)full + 1, sizeof *dp);
    if (!dp) return -1;
    for (JoSet s = 1; s <= full; s++) {
        dp[s].card = jo_subset_card(g, s);
        if ((s & (s - 1)) == 0) {
            dp[s].cost = 0;
            dp[s].ok = 1;
            continue;
        }
        for (int pass = 0; pass < 2 && !dp[s].ok; pass++) {
            for (JoSet l = (s - 1) & s; l; l = (l - 1) & s) {
                JoSet r = s & ~l;
                if (!dp[l].ok || !dp[r].ok) continue;
                if (pass == 0 && !jo_connected(g, l, r)) continue;
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
    out->root = dp_emit(g, dp, full, out);
    out->cost = dp[full].cost;
    free(dp);
    return 0;
}

/* ---- greedy ------------------------------------------------------------- */

int jo_greedy(const JoGraph *g, JoResult *out)
{
    if (g->n < 1 || g->n > JO_MAX_REL) return -1;
    int comp[JO_MAX_REL];
    JoSet set[JO_MAX_REL];
    int n = g->n;
    out->nnodes = 0;
    for (int i = 0; i < n; i++) {
        comp[i] = add_leaf(out, g, i);
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
                    double card = jo_subset_card(g, set[a] | set[b]);
                    if (ba < 0 || card < best) {
                        best = card;
                        ba = a;
                        bb = b;
                    }
                }
        double ca = jo_subset_card(g, set[ba]), cb = jo_subset_card(g, set[bb]);
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
    return 0;
}
