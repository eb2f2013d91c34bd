/*
 * test_joinorder.c -- join enumeration (optimizer/joinorder.c) on abstract
 * join graphs: jo_dp's optimum against an independent brute force over
 * every bushy join tree of its search space (DPccp over the join graph with
 * cross-product edges) and against the best tree of all, the number of
 * pairs it enumerates against the closed forms for chains, stars and
 * cliques, jo_greedy's trees are valid and never beat the optimum within
 * the DP's search space, hand-made star/chain/clique cases, and 12
 * relations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "joinorder.h"

enum { MAXP = 160 };

typedef struct Graph {
    int n, np;
    double card[JO_MAX_REL];
    double width[JO_MAX_REL]; /* used when has_width */
    int has_width;
    JoSet mask[MAXP];
    double sel[MAXP];
    JoGraph g;
} Graph;

static void graph_init(Graph *G, int n)
{
    memset(G, 0, sizeof *G);
    G->n = n;
}

static void graph_pred(Graph *G, JoSet mask, double sel)
{
    assert_true(G->np < MAXP);
    G->mask[G->np] = mask;
    G->sel[G->np++] = sel;
}

static const JoGraph *graph_view(Graph *G)
{
    G->g = (JoGraph){G->n, G->card, G->np, G->mask, G->sel, NULL, G->has_width ? G->width : NULL, NULL};
    return &G->g;
}

#define BIT(i) ((JoSet)1 << (i))

/* ---- an independent model ------------------------------------------------
 * Written from the documented rules, not from joinorder.c: cardinality of a
 * set = product of rows (<= 0 counts 1) x selectivities of predicates over
 * two or more relations, all inside the set, at least 1; cost of a join =
 * out + 2 min + max; a tree's cost is (left + right) + join. */

static double bf_rows(const Graph *G, int i)
{
    return G->card[i] > 0 ? G->card[i] : 1;
}

static double bf_card(const Graph *G, JoSet s)
{
    double c = 1;
    for (int i = 0; i < G->n; i++)
        if (s & BIT(i)) c *= bf_rows(G, i);
    for (int k = 0; k < G->np; k++) {
        JoSet m = G->mask[k];
        if (__builtin_popcountll(m) >= 2 && (m | s) == s) c *= G->sel[k];
    }
    return c < 1 ? 1 : c;
}

/* The probe factor as joinorder.h and docs/OPTIMIZER.md give it: 1 up to
 * 1 MB, then linear in log2(bytes) through 6, 20 and 60 MB to 2, 5.5 and
 * 12 for a scan's probes (fetched a batch ahead), 2.5, 9.5 and 17 for the
 * others; flat beyond (the interpolation written as jo_probe_factor
 * computes it, so tree costs compare exactly). */
static double bf_probe(double bytes, int ahead)
{
    double mb = bytes / 1048576.0;
    if (mb <= 1) return 1;
    if (mb > 60) return ahead ? 12 : 17;
    double a = mb <= 6 ? 1 : mb <= 20 ? 6 : 20, b = mb <= 6 ? 6 : mb <= 20 ? 20 : 60;
    double fa = mb <= 6 ? 1 : mb <= 20 ? (ahead ? 2 : 2.5) : (ahead ? 5.5 : 9.5);
    double fb = mb <= 6 ? (ahead ? 2 : 2.5) : mb <= 20 ? (ahead ? 5.5 : 9.5) : (ahead ? 12 : 17);
    return fa + log2(mb / a) / log2(b / a) * (fb - fa);
}

static double bf_width(const Graph *G, JoSet s)
{
    double w = 0;
    for (int i = 0; i < G->n; i++)
        if (s & BIT(i)) w += G->has_width ? G->width[i] : 16;
    return w;
}

/* Joining sets a and b: out + 2 build + probe x factor(build's bytes), the
 * build the side with fewer rows (of equal rows the narrower), 40 bytes a
 * row besides its columns; a probe side of one relation is a scan. */
static double bf_join(const Graph *G, JoSet a, JoSet b)
{
    double ra = bf_card(G, a), rb = bf_card(G, b), wa = bf_width(G, a), wb = bf_width(G, b);
    int a_builds = ra < rb || (ra == rb && wa < wb);
    double build = a_builds ? ra : rb, probe = a_builds ? rb : ra, bw = a_builds ? wa : wb;
    JoSet ps = a_builds ? b : a;
    return bf_card(G, a | b) + 2.0 * build + probe * bf_probe(build * (bw + 40), __builtin_popcountll(ps) == 1);
}

/* a predicate joins the two sides: it reads both and nothing else */
static int bf_links(const Graph *G, JoSet a, JoSet b)
{
    for (int k = 0; k < G->np; k++) {
        JoSet m = G->mask[k];
        if ((m & a) && (m & b) && (m | a | b) == (a | b)) return 1;
    }
    return 0;
}

/* The costs of a list of join trees. */
typedef struct Costs {
    double *v;
    size_t n, cap;
} Costs;

static void costs_push(Costs *c, double x)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->v = realloc(c->v, c->cap * sizeof(double));
        assert_non_null(c->v);
    }
    c->v[c->n++] = x;
}

static int bf_connected(const JoSet *adj, JoSet s);

/* Every binary tree over s, as a list of costs (trees differing only by
 * swapping the sides of a join have the same cost: splits are taken
 * unordered), cross products anywhere; with adj, only the trees of the
 * DP's space: each join has two connected sides, so each node's set is
 * connected. */
static Costs trees(const Graph *G, const JoSet *adj, JoSet s)
{
    Costs out = {0};
    if (__builtin_popcountll(s) == 1) {
        costs_push(&out, 0);
        return out;
    }
    for (JoSet l = (s - 1) & s; l; l = (l - 1) & s) {
        JoSet r = s & ~l;
        if (!(l & (s & -s))) continue; /* each unordered split once */
        if (adj && (!bf_connected(adj, l) || !bf_connected(adj, r))) continue;
        Costs L = trees(G, adj, l), R = trees(G, adj, r);
        double j = bf_join(G, l, r);
        for (size_t a = 0; a < L.n; a++)
            for (size_t b = 0; b < R.n; b++) costs_push(&out, L.v[a] + R.v[b] + j);
        free(L.v);
        free(R.v);
    }
    return out;
}

/* The least of c's costs (freed); *ntrees their count. */
static double costs_min(Costs c, size_t *ntrees)
{
    assert_true(c.n > 0);
    double m = c.v[0];
    for (size_t i = 1; i < c.n; i++)
        if (c.v[i] < m) m = c.v[i];
    if (ntrees) *ntrees = c.n;
    free(c.v);
    return m;
}

static double brute_min(const Graph *G, size_t *ntrees)
{
    return costs_min(trees(G, NULL, BIT(G->n) - 1), ntrees);
}

/* ---- result checks ------------------------------------------------------- */

/* A valid tree: 2n - 1 nodes, every relation a leaf exactly once, children
 * before parents, joins of disjoint sets, root = all relations, cards as
 * jo_subset_card. */
static void check_tree(const Graph *G, const JoResult *r)
{
    const JoGraph *g = &G->g;
    assert_int_equal(r->nnodes, 2 * G->n - 1);
    assert_true(r->root >= 0 && r->root < r->nnodes);
    JoSet leaves = 0;
    for (int i = 0; i < r->nnodes; i++) {
        const JoNode *x = &r->node[i];
        if (x->rel >= 0) {
            assert_true(x->rel < G->n);
            assert_true(x->left < 0 && x->right < 0);
            assert_true(x->set == BIT(x->rel));
            assert_false(leaves & x->set);
            leaves |= x->set;
            assert_true(x->cost == 0);
        } else {
            assert_true(x->left >= 0 && x->left < i && x->right >= 0 && x->right < i);
            JoSet a = r->node[x->left].set, b = r->node[x->right].set;
            assert_true(a && b && !(a & b));
            assert_true(x->set == (a | b));
        }
        assert_true(x->card == jo_subset_card(g, x->set));
    }
    assert_true(leaves == BIT(G->n) - 1);
    assert_true(r->node[r->root].set == BIT(G->n) - 1);
    /* every node but the root is the child of exactly one join */
    int *parents = calloc((size_t)r->nnodes, sizeof(int));
    for (int i = 0; i < r->nnodes; i++)
        if (r->node[i].rel < 0) parents[r->node[i].left]++, parents[r->node[i].right]++;
    for (int i = 0; i < r->nnodes; i++) assert_int_equal(parents[i], i == r->root ? 0 : 1);
    free(parents);
}

/* The tree's cost recomputed bottom-up with the independent model. */
static double tree_cost(const Graph *G, const JoResult *r, int k)
{
    const JoNode *x = &r->node[k];
    if (x->rel >= 0) return 0;
    double l = tree_cost(G, r, x->left), rr = tree_cost(G, r, x->right);
    return l + rr + bf_join(G, r->node[x->left].set, r->node[x->right].set);
}

/* The DP's search space, from the rule in joinorder.h: two relations are
 * adjacent when a predicate reads both, when nothing connects their
 * components of the join graph, or when a relation both are adjacent to by
 * predicates has at least the product of their rows, or has it joined with
 * either of them. */
static void bf_ccp_adj(const Graph *G, JoSet *adj)
{
    JoSet pred[JO_MAX_REL] = {0}, comp[JO_MAX_REL];
    for (int k = 0; k < G->np; k++)
        if (__builtin_popcountll(G->mask[k]) >= 2)
            for (int i = 0; i < G->n; i++)
                if (G->mask[k] & BIT(i)) pred[i] |= G->mask[k] & ~BIT(i);
    for (int i = 0; i < G->n; i++) { /* the component of i: closure of pred */
        comp[i] = BIT(i);
        for (JoSet was = 0; was != comp[i];) {
            was = comp[i];
            for (int j = 0; j < G->n; j++)
                if (comp[i] & BIT(j)) comp[i] |= pred[j];
        }
    }
    for (int i = 0; i < G->n; i++) {
        adj[i] = pred[i];
        for (int j = 0; j < G->n; j++) {
            if (j == i || (pred[i] & BIT(j))) continue;
            double rows = bf_rows(G, i) * bf_rows(G, j);
            int cross = !(comp[i] & BIT(j));
            for (int k = 0; k < G->n; k++)
                if ((pred[i] & pred[j] & BIT(k)) &&
                    (rows <= bf_rows(G, k) || rows <= bf_card(G, BIT(k) | BIT(i)) || rows <= bf_card(G, BIT(k) | BIT(j))))
                    cross = 1;
            if (cross) adj[i] |= BIT(j);
        }
    }
}

static int bf_connected(const JoSet *adj, JoSet s)
{
    JoSet reach = s & -s;
    for (JoSet was = 0; was != reach;) {
        was = reach;
        for (int i = 0; i < 64; i++)
            if (reach & BIT(i)) reach |= adj[i] & s;
    }
    return reach == s;
}

static double ccp_brute_min(const Graph *G, size_t *ntrees)
{
    JoSet adj[JO_MAX_REL];
    bf_ccp_adj(G, adj);
    return costs_min(trees(G, adj, BIT(G->n) - 1), ntrees);
}

/* Every node of the tree is a connected set of the DP's graph. */
static int in_dp_space(const Graph *G, const JoResult *r)
{
    JoSet adj[JO_MAX_REL];
    bf_ccp_adj(G, adj);
    for (int i = 0; i < r->nnodes; i++)
        if (!bf_connected(adj, r->node[i].set)) return 0;
    return 1;
}

/* ---- random graphs ------------------------------------------------------- */

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 11);
}

static double rnd_card(void)
{
    static const double pick[] = {0, 1, 5, 25, 1000, 1e6};
    switch (rnd() % 4) {
    case 0: return pick[rnd() % 6];
    case 1: return (double)(1 + rnd() % 100);
    default: return (double)(1 + rnd() % 1000000) * (rnd() % 3 == 0 ? 0.37 : 1);
    }
}

static double rnd_sel(void)
{
    switch (rnd() % 4) {
    case 0: return 0.1;
    case 1: return 1.0 / (double)(1 + rnd() % 100000);
    case 2: return 1.0 / 3.0;
    default: return (double)(1 + rnd() % 1000) / 1000.0;
    }
}

/* Connected: a random spanning tree plus extra edges. Otherwise random edges
 * among a random partition into 2..3 groups, so nothing links the groups
 * (and a group may itself fall apart). Some predicates read three relations,
 * some one (filters: ignored by cardinalities), some none (constants). */
static int random_graph(Graph *G, int n, int want_connected, int simple)
{
    graph_init(G, n);
    for (int i = 0; i < n; i++) G->card[i] = rnd_card();
    G->has_width = rnd() % 2; /* else 16 bytes each */
    for (int i = 0; G->has_width && i < n; i++) G->width[i] = 4 + rnd() % 200;
    int group[JO_MAX_REL];
    int ngroups = want_connected ? 1 : 2 + (int)(rnd() % 2);
    if (ngroups > n) ngroups = n;
    for (int i = 0; i < n; i++) group[i] = i < ngroups ? i : (int)(rnd() % (unsigned)ngroups);
    if (want_connected)
        for (int i = 1; i < n; i++) graph_pred(G, BIT(i) | BIT(rnd() % (unsigned)i), rnd_sel());
    int extra = (int)(rnd() % (unsigned)(n + 1));
    for (int e = 0; e < extra; e++) {
        int a = (int)(rnd() % (unsigned)n), b = (int)(rnd() % (unsigned)n);
        if (a == b || group[a] != group[b]) continue;
        graph_pred(G, BIT(a) | BIT(b), rnd_sel());
    }
    if (!simple) {
        if (n >= 3 && rnd() % 2) {
            int a = (int)(rnd() % (unsigned)n), b = (int)(rnd() % (unsigned)n), c = (int)(rnd() % (unsigned)n);
            if (a != b && b != c && a != c && group[a] == group[b] && group[b] == group[c])
                graph_pred(G, BIT(a) | BIT(b) | BIT(c), rnd_sel());
        }
        if (rnd() % 2) graph_pred(G, BIT(rnd() % (unsigned)n), rnd_sel());
        if (rnd() % 4 == 0) graph_pred(G, 0, 0.5);
    }
    graph_view(G);
    /* is it connected? */
    JoSet reach = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int k = 0; k < G->np; k++) {
            JoSet m = G->mask[k];
            if (__builtin_popcountll(m) >= 2 && (m & reach) && (m | reach) != reach) reach |= m, changed = 1;
        }
    }
    return reach == BIT(n) - 1;
}

/* On 300 random graphs of 2..8 relations: (a) jo_dp's cost is the least of
 * every tree in its space, found by enumerating them all; (b) no tree with
 * or without cross products anywhere beats it by more than the rule's
 * misses, counted; (c) greedy never beats it inside its space. */
static void test_dp_equals_brute_force(void **state)
{
    (void)state;
    int nconn = 0, ndisc = 0, greedy_checked = 0, greedy_outside = 0, missed = 0;
    double worst = 1;
    size_t trees = 0;
    for (int t = 0; t < 300; t++) {
        Graph G;
        int n = 2 + t % 7;
        int simple = t % 3 == 0;
        int conn = random_graph(&G, n, t % 2 == 0, simple);
        conn ? nconn++ : ndisc++;
        JoResult *r = malloc(sizeof *r);
        assert_non_null(r);
        assert_int_equal(jo_dp(&G.g, r), 0);
        check_tree(&G, r);
        size_t nt = 0;
        double best = ccp_brute_min(&G, &nt), any = brute_min(&G, NULL);
        trees += nt;
        if (r->cost != best) fail_msg("graph %d (n=%d): jo_dp %.17g, brute force %.17g", t, n, r->cost, best);
        if (r->cost < any * (1 - 1e-12)) fail_msg("graph %d: jo_dp %.17g below every tree's %.17g", t, r->cost, any);
        if (r->cost > any * (1 + 1e-12)) missed++;
        if (r->cost / any > worst) worst = r->cost / any;
        if (getenv("JO_DUMP") && r->cost / any > 1.05) {
            printf("graph %d n=%d ratio %g conn %d\n", t, n, r->cost / any, conn);
            for (int i = 0; i < n; i++) printf("  rel %d card %g width %g\n", i, G.card[i], G.has_width ? G.width[i] : 16);
            for (int k = 0; k < G.np; k++) printf("  pred %llx sel %g\n", (unsigned long long)G.mask[k], G.sel[k]);
        }
        assert_true(r->node[r->root].cost == r->cost);
        assert_true(tree_cost(&G, r, r->root) == r->cost);
        assert_true(in_dp_space(&G, r));

        JoResult *gr = malloc(sizeof *gr);
        assert_non_null(gr);
        assert_int_equal(jo_greedy(&G.g, gr), 0);
        check_tree(&G, gr);
        double nested = tree_cost(&G, gr, gr->root);
        assert_true(gr->node[gr->root].cost == nested);
        /* the reported cost sums the same joins in pairing order */
        assert_true(gr->cost >= nested * (1 - 1e-12) && gr->cost <= nested * (1 + 1e-12));
        /* A greedy tree the DP could have chosen never beats its optimum. On
         * connected graphs of two-relation predicates it always could: greedy
         * then never needs a cross product. */
        if (conn && simple) assert_true(in_dp_space(&G, gr));
        if (in_dp_space(&G, gr)) {
            greedy_checked++;
            if (!(nested >= r->cost)) fail_msg("graph %d: greedy %.17g below DP %.17g", t, nested, r->cost);
        } else {
            greedy_outside++;
        }
        free(r);
        free(gr);
    }
    /* the generator produced both kinds */
    assert_true(nconn >= 100 && ndisc >= 50);
    assert_true(greedy_checked >= 200);
    assert_true(trees > 300);
    /* 8 graphs, by 0.01 % at most, when this was written */
    printf("jo_dp above the best tree of all (a cross product its rule left out): %d of 300 graphs, by %.2f %% at most\n", missed,
           (worst - 1) * 100);
    assert_true(missed <= 15 && worst < 1.01);
    (void)greedy_outside;
}

/* jo_subset_card and jo_cost by hand. */
static void test_card_and_cost(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 3);
    G.card[0] = 1000, G.card[1] = 0, G.card[2] = 50;
    graph_pred(&G, BIT(0) | BIT(2), 0.01);
    graph_pred(&G, BIT(0), 0.5); /* a filter: not applied */
    graph_pred(&G, 0, 0.5);      /* a constant: not applied */
    graph_pred(&G, BIT(0) | BIT(1) | BIT(2), 0.1);
    const JoGraph *g = graph_view(&G);
    assert_true(jo_subset_card(g, BIT(0)) == 1000);
    assert_true(jo_subset_card(g, BIT(1)) == 1); /* unknown rows count 1 */
    assert_true(jo_subset_card(g, BIT(0) | BIT(2)) == 1000 * 50 * 0.01);
    assert_true(jo_subset_card(g, BIT(0) | BIT(1) | BIT(2)) == 1000 * 50 * 0.01 * 0.1);
    assert_true(jo_subset_card(g, BIT(1) | BIT(2)) == 50);
    G.card[0] = 0.5;
    assert_true(jo_subset_card(g, BIT(0)) == 1); /* at least 1 */
    /* a table in cache: probes cost 1 each */
    JoIn small = {10, 8, 1}, big = {1000, 8, 1};
    assert_true(jo_cost(small, big, 7) == 7 + 20 + 1000);
    assert_true(jo_cost(big, small, 7) == 7 + 20 + 1000);
    /* 1e6 build rows of 24 + 40 bytes, 61 MB: each probe costs 12 from a
       scan, 17 from another join */
    JoIn dim = {1e6, 24, 1}, fact = {1e7, 8, 1}, joined = {1e7, 8, 0};
    assert_true(jo_cost(dim, fact, 1e7) == 1e7 + 2e6 + 1.2e8);
    assert_true(jo_cost(fact, dim, 1e7) == 1e7 + 2e6 + 1.2e8);
    assert_true(jo_cost(dim, joined, 1e7) == 1e7 + 2e6 + 1.7e8);
    /* equal rows: the narrower side builds, whichever is left */
    JoIn narrow = {2e5, 8, 1}, wide = {2e5, 200, 1};
    assert_true(jo_cost(narrow, wide, 1) == jo_cost(wide, narrow, 1));
    assert_true(jo_cost(narrow, wide, 1) == 1 + 4e5 + 2e5 * bf_probe(2e5 * 48, 1));
    for (int ahead = 0; ahead < 2; ahead++) {
        assert_true(jo_probe_factor(1048576, ahead) == 1);
        assert_true(jo_probe_factor(60 * 1048576.0, ahead) == (ahead ? 12 : 17) && jo_probe_factor(1e12, ahead) == (ahead ? 12 : 17));
        assert_true(fabs(jo_probe_factor(6 * 1048576.0, ahead) - (ahead ? 2 : 2.5)) < 1e-12);
        assert_true(fabs(jo_probe_factor(20 * 1048576.0, ahead) - (ahead ? 5.5 : 9.5)) < 1e-12);
        for (double b = 1e5; b < 1e9; b *= 1.1) {
            double f = jo_probe_factor(b, ahead);
            assert_true(f == bf_probe(b, ahead));
            assert_true(f <= jo_probe_factor(b * 1.1, ahead));
            assert_true(ahead || f >= jo_probe_factor(b, 1)); /* one at a time never cheaper */
        }
    }
    assert_true(jo_connected(g, BIT(0), BIT(2)));
    assert_false(jo_connected(g, BIT(0), BIT(1)));
    assert_true(jo_connected(g, BIT(0) | BIT(1), BIT(2)));
    assert_false(jo_connected(g, BIT(1), BIT(2)));
}

static int first_join(const JoResult *r);

/* Equalities of one class count as a spanning tree, least selective edge
 * first: a = b = c over columns with 10, 100 and 1000 distinct values is
 * 1/(100 * 1000) whichever two relations it reads, and a = b, b = c and the
 * implied a = c together count no more than two of them. */
static void test_class_card(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 4);
    int eclass[MAXP];
    G.card[0] = 10, G.card[1] = 100, G.card[2] = 1000, G.card[3] = 1000;
    graph_pred(&G, BIT(0) | BIT(1), 1.0 / 100);  /* a = b */
    graph_pred(&G, BIT(1) | BIT(2), 1.0 / 1000); /* b = c */
    graph_pred(&G, BIT(0) | BIT(2), 1.0 / 1000); /* a = c, implied */
    graph_pred(&G, BIT(2) | BIT(3), 0.5);        /* another condition */
    eclass[0] = eclass[1] = eclass[2] = 0;
    eclass[3] = -1;
    const JoGraph *g = graph_view(&G);
    G.g.eclass = eclass;
    assert_true(jo_subset_card(g, BIT(0) | BIT(1)) == 10);
    assert_true(jo_subset_card(g, BIT(0) | BIT(2)) == 10);
    assert_true(jo_subset_card(g, BIT(1) | BIT(2)) == 100);
    assert_true(jo_subset_card(g, BIT(0) | BIT(1) | BIT(2)) == 10 * 100 * 1000 / (100.0 * 1000));
    assert_true(jo_subset_card(g, BIT(0) | BIT(1) | BIT(2) | BIT(3)) == 10 * 1000 * 0.5);
    /* without classes every edge multiplies in: 0.01 rows, so 1 */
    G.g.eclass = NULL;
    assert_true(jo_subset_card(g, BIT(0) | BIT(1) | BIT(2)) == 1);
    /* the implied edge joins a and c directly, so the DP may start there:
       with a and c tiny and b huge, (a x c) x b beats any order through b */
    G.card[0] = 10, G.card[1] = 1e6, G.card[2] = 10;
    G.sel[0] = 1e-6, G.sel[1] = 1e-6, G.sel[2] = 1e-6;
    G.np = 3;
    G.n = 3;
    graph_view(&G);
    G.g.eclass = eclass;
    JoResult r;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    assert_true(r.node[first_join(&r)].set == (BIT(0) | BIT(2)));
    G.g.npreds = 2; /* the written edges alone: no way around b */
    assert_int_equal(jo_dp(&G.g, &r), 0);
    assert_true(r.node[first_join(&r)].set != (BIT(0) | BIT(2)));
}

/* The class rule as written in joinorder.h, independently: per class, in
 * class order, repeatedly take the least selective equality inside s that
 * joins two relations not yet connected (first by index among equals),
 * and multiply the class's product into the cardinality. */
static double ref_class_card(const Graph *G, const int *eclass, JoSet s)
{
    double c = 1;
    for (int i = 0; i < G->n; i++)
        if (s & BIT(i)) c *= bf_rows(G, i);
    int kmax = -1;
    for (int k = 0; k < G->np; k++) {
        JoSet m = G->mask[k];
        if (__builtin_popcountll(m) < 2 || (m | s) != s) continue;
        if (eclass[k] >= 0) kmax = eclass[k] > kmax ? eclass[k] : kmax;
        else c *= G->sel[k];
    }
    for (int cls = 0; cls <= kmax; cls++) {
        JoSet comp[JO_MAX_REL]; /* the relations connected to each so far */
        for (int i = 0; i < G->n; i++) comp[i] = BIT(i);
        double sel = 1;
        for (;;) {
            int best = -1;
            for (int k = 0; k < G->np; k++) {
                JoSet m = G->mask[k];
                if (eclass[k] != cls || (m | s) != s || __builtin_popcountll(m) != 2) continue;
                int a = __builtin_ctzll(m), b = 63 - __builtin_clzll(m);
                if (!(comp[a] & BIT(b)) && (best < 0 || G->sel[k] > G->sel[best])) best = k;
            }
            if (best < 0) break;
            JoSet m = G->mask[best], u = comp[__builtin_ctzll(m)] | comp[63 - __builtin_clzll(m)];
            for (int i = 0; i < G->n; i++)
                if (u & BIT(i)) comp[i] = u;
            sel *= G->sel[best];
        }
        c *= sel;
    }
    return c < 1 ? 1 : c;
}

/* Random graphs with two equivalence classes (and equal selectivities, so
 * ties matter): jo_subset_card equals the reference on every subset, and
 * so does every node of the DP's tree. */
static void test_class_card_random(void **state)
{
    (void)state;
    for (int t = 0; t < 200; t++) {
        Graph G;
        int n = 3 + t % 6, eclass[MAXP];
        graph_init(&G, n);
        for (int i = 0; i < n; i++) G.card[i] = rnd_card();
        for (int e = 0; e < 2 * n; e++) {
            int a = (int)(rnd() % (unsigned)n), b = (int)(rnd() % (unsigned)n);
            if (a == b) continue;
            eclass[G.np] = (int)(rnd() % 3) - 1; /* -1: no class */
            graph_pred(&G, BIT(a) | BIT(b), rnd() % 2 ? 0.01 : rnd_sel());
        }
        graph_view(&G);
        G.g.eclass = eclass;
        for (JoSet s = 1; s < BIT(n); s++) {
            double got = jo_subset_card(&G.g, s), want = ref_class_card(&G, eclass, s);
            if (got != want) fail_msg("graph %d, set %llx: %.17g, reference %.17g", t, (unsigned long long)s, got, want);
        }
        JoResult *r = malloc(sizeof *r);
        assert_non_null(r);
        assert_int_equal(jo_dp(&G.g, r), 0);
        for (int i = 0; i < r->nnodes; i++) assert_true(r->node[i].card == ref_class_card(&G, eclass, r->node[i].set));
        free(r);
    }
}

static int first_join(const JoResult *r)
{
    for (int i = 0; i < r->nnodes; i++)
        if (r->node[i].rel < 0) return i;
    return -1;
}

/* cost of the written order: ((((0 x 1) x 2) x 3) ...) */
static double left_deep_cost(const Graph *G, const int *order)
{
    JoSet s = BIT(order[0]);
    double cost = 0;
    for (int i = 1; i < G->n; i++) {
        JoSet t = s | BIT(order[i]);
        cost += bf_join(G, s, BIT(order[i]));
        s = t;
    }
    return cost;
}

static int has_cross_product(const Graph *G, const JoResult *r)
{
    for (int i = 0; i < r->nnodes; i++) {
        const JoNode *x = &r->node[i];
        if (x->rel < 0 && !bf_links(G, r->node[x->left].set, r->node[x->right].set)) return 1;
    }
    return 0;
}

/* A star written worst-first: fact, then the big dimensions, the selective
 * one last. The DP joins the fact with the selective dimension first. */
/* The cheapest tree with no cross product anywhere: what DPccp and DPhyp
 * search (every join connects its sides). */
static double ccp_min(const Graph *G, JoSet s)
{
    if (__builtin_popcountll(s) == 1) return 0;
    double best = -1;
    for (JoSet l = (s - 1) & s; l; l = (l - 1) & s) {
        JoSet r = s & ~l;
        if (!bf_links(G, l, r)) continue;
        double a = ccp_min(G, l), b = ccp_min(G, r);
        if (a < 0 || b < 0) continue;
        double c = a + b + bf_join(G, l, r);
        if (best < 0 || c < best) best = c;
    }
    return best;
}

/* Why the DP searches subsets rather than connected pairs only (DPccp,
 * DPhyp): two tiny dimensions crossed first, then one probe of the fact on
 * both keys, beat every order that joins the fact to one dimension and
 * carries the result to the other. The DP finds the cross product; the
 * best connected-pairs tree costs more. */
static void test_cross_product_of_dimensions(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 3);
    G.card[0] = 1e6;                /* fact */
    G.card[1] = 10, G.card[2] = 10; /* dimensions filtered to 10 of 1000 keys each */
    graph_pred(&G, BIT(0) | BIT(1), 1 / 1e3);
    graph_pred(&G, BIT(0) | BIT(2), 1 / 1e3);
    graph_view(&G);
    JoResult r;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    assert_true(r.node[first_join(&r)].set == (BIT(1) | BIT(2)));
    assert_true(has_cross_product(&G, &r));
    double ccp = ccp_min(&G, BIT(3) - 1);
    assert_true(ccp > 0 && r.cost < ccp); /* ~1.00043e6 against ~1.0201e6 */
    assert_true(r.cost == brute_min(&G, NULL));
}

static void test_star(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 6);
    G.card[0] = 6e6; /* fact */
    G.card[1] = 2e5, G.card[2] = 1e5, G.card[3] = 5e4, G.card[4] = 2e4;
    G.card[5] = 2; /* dimension filtered to 2 of 10000 keys */
    graph_pred(&G, BIT(0) | BIT(1), 1 / 2e5);
    graph_pred(&G, BIT(0) | BIT(2), 1 / 1e5);
    graph_pred(&G, BIT(0) | BIT(3), 1 / 5e4);
    graph_pred(&G, BIT(0) | BIT(4), 1 / 2e4);
    graph_pred(&G, BIT(0) | BIT(5), 1 / 1e4);
    graph_view(&G);
    JoResult r, gr;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    check_tree(&G, &r);
    assert_true(r.cost == brute_min(&G, NULL));
    int j = first_join(&r);
    assert_true(r.node[j].set == (BIT(0) | BIT(5)));
    assert_false(has_cross_product(&G, &r));
    int written[] = {0, 1, 2, 3, 4, 5};
    assert_true(r.cost * 5 < left_deep_cost(&G, written)); /* ~6.4e6 against ~6e7 */
    assert_int_equal(jo_greedy(&G.g, &gr), 0);
    check_tree(&G, &gr);
    assert_true(gr.node[first_join(&gr)].set == (BIT(0) | BIT(5)));
    assert_true(gr.node[gr.root].cost >= r.cost);
}

/* A chain 0-1-2-3-4-5: no cross products, optimum = brute force. */
static void test_chain(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 6);
    static const double card[] = {1e5, 10, 1e4, 1e6, 100, 5e3};
    for (int i = 0; i < 6; i++) G.card[i] = card[i];
    for (int i = 0; i + 1 < 6; i++) graph_pred(&G, BIT(i) | BIT(i + 1), 1 / (card[i] > card[i + 1] ? card[i] : card[i + 1]));
    graph_view(&G);
    JoResult r, gr;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    check_tree(&G, &r);
    assert_false(has_cross_product(&G, &r));
    size_t nt = 0;
    assert_true(r.cost == brute_min(&G, &nt));
    assert_int_equal(nt, 945);
    /* the DP's space: far fewer trees (the chain's pairs plus those of one
       cross-product edge, 2-4 beside 3's 1e6 rows) */
    assert_true(r.cost == ccp_brute_min(&G, &nt));
    assert_true(nt > 1 && nt < 945);
    /* every join of a chain joins two contiguous runs */
    for (int i = 0; i < r.nnodes; i++) {
        JoSet s = r.node[i].set;
        JoSet run = s >> __builtin_ctzll(s);
        assert_true((run & (run + 1)) == 0);
    }
    assert_int_equal(jo_greedy(&G.g, &gr), 0);
    check_tree(&G, &gr);
    assert_false(has_cross_product(&G, &gr));
    assert_true(gr.node[gr.root].cost >= r.cost);
}

/* A clique of 7: every split is linked, so every one of the 10395 trees is
 * allowed. */
static void test_clique(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 7);
    for (int i = 0; i < 7; i++) G.card[i] = 10.0 * (i + 1) * (i + 1);
    for (int i = 0; i < 7; i++)
        for (int k = i + 1; k < 7; k++) graph_pred(&G, BIT(i) | BIT(k), 1.0 / (5 + i + k));
    graph_view(&G);
    JoResult r, gr;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    check_tree(&G, &r);
    size_t nt = 0;
    assert_true(r.cost == brute_min(&G, &nt));
    assert_int_equal(nt, 10395); /* (2n-3)!! unordered bushy trees */
    assert_false(has_cross_product(&G, &r));
    assert_int_equal(jo_greedy(&G.g, &gr), 0);
    check_tree(&G, &gr);
    assert_true(gr.node[gr.root].cost >= r.cost);
}

/* Two relations with no predicate: one cross product; one relation: a leaf. */
static void test_small(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 2);
    G.card[0] = 3, G.card[1] = 4;
    graph_view(&G);
    JoResult r;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    check_tree(&G, &r);
    assert_true(r.cost == 12 + 2 * 3 + 4);
    assert_int_equal(jo_greedy(&G.g, &r), 0);
    assert_true(r.cost == 12 + 2 * 3 + 4);
    graph_init(&G, 1);
    G.card[0] = 3;
    graph_view(&G);
    assert_int_equal(jo_dp(&G.g, &r), 0);
    assert_int_equal(r.nnodes, 1);
    assert_true(r.cost == 0);
    assert_int_equal(jo_greedy(&G.g, &r), 0);
    assert_int_equal(r.nnodes, 1);
    graph_init(&G, 0);
    graph_view(&G);
    assert_int_equal(jo_dp(&G.g, &r), -1);
    assert_int_equal(jo_greedy(&G.g, &r), -1);
    graph_init(&G, JO_MAX_DP + 1);
    graph_view(&G);
    assert_int_equal(jo_dp(&G.g, &r), -1);
}

/* DPccp costs each csg-cmp pair once and nothing else: the counts of
 * Moerkotte and Neumann's closed forms for chains, stars and cliques of
 * 2..12 relations (cardinalities chosen so no cross-product edge is added).
 * A DP over all subsets would cost 3^n - 2^(n+1) + 1 ordered splits of
 * each shape: 523 250 at 12, against 286 pairs for the chain. */
static void test_pair_counts(void **state)
{
    (void)state;
    for (int n = 2; n <= JO_MAX_DP; n++) {
        long p3 = 1, p2 = 1;
        for (int i = 0; i < n; i++) p3 *= 3, p2 *= 2;
        for (int shape = 0; shape < 3; shape++) {
            Graph G;
            graph_init(&G, n);
            for (int i = 0; i < n; i++) G.card[i] = 1000;
            if (shape == 1) G.card[0] = 1e5; /* the hub: below every two leaves' 1e6 */
            for (int i = 0; i < n; i++)
                for (int k = i + 1; k < n; k++) {
                    int edge = shape == 0 ? k == i + 1 : shape == 1 ? i == 0 : 1;
                    if (edge) graph_pred(&G, BIT(i) | BIT(k), 1e-3);
                }
            graph_view(&G);
            JoSet adj[JO_MAX_DP];
            jo_ccp_graph(&G.g, adj);
            for (int i = 0; i < n; i++) {
                JoSet want = 0;
                for (int k = 0; k < G.np; k++)
                    if (G.mask[k] & BIT(i)) want |= G.mask[k] & ~BIT(i);
                assert_true(adj[i] == want);
            }
            JoResult *r = malloc(sizeof *r);
            assert_non_null(r);
            assert_int_equal(jo_dp(&G.g, r), 0);
            check_tree(&G, r);
            long want = shape == 0   ? ((long)n * n * n - n) / 6
                        : shape == 1 ? (long)(n - 1) * (p2 / 4 > 0 ? p2 / 4 : 1)
                                     : (p3 - 2 * p2 + 1) / 2;
            if (n == 2 && shape == 1) want = 1;
            if (r->pairs != want) fail_msg("shape %d, n=%d: %ld pairs, closed form %ld", shape, n, r->pairs, want);
            free(r);
        }
    }
}

/* Cross-product edges: across components always; between two relations
 * with no predicate only beside a common neighbour at least their product. */
static void test_cross_edges(void **state)
{
    (void)state;
    Graph G;
    graph_init(&G, 5);
    G.card[0] = 1e6;                 /* fact */
    G.card[1] = 100, G.card[2] = 50; /* 5000 <= 1e6: crossed */
    G.card[3] = 2e6;                 /* joins the fact too: 2e8 with 1, no */
    G.card[4] = 7;                   /* no predicate at all: crossed with everything */
    graph_pred(&G, BIT(0) | BIT(1), 1e-2);
    graph_pred(&G, BIT(0) | BIT(2), 2e-2);
    graph_pred(&G, BIT(0) | BIT(3), 1e-6);
    graph_view(&G);
    JoSet adj[JO_MAX_DP];
    jo_ccp_graph(&G.g, adj);
    assert_true(adj[0] == (BIT(1) | BIT(2) | BIT(3) | BIT(4)));
    assert_true(adj[1] == (BIT(0) | BIT(2) | BIT(4)));
    assert_true(adj[2] == (BIT(0) | BIT(1) | BIT(4)));
    assert_true(adj[3] == (BIT(0) | BIT(4)));
    assert_true(adj[4] == (BIT(0) | BIT(1) | BIT(2) | BIT(3)));
    JoResult r;
    assert_int_equal(jo_dp(&G.g, &r), 0);
    check_tree(&G, &r);
    assert_true(r.cost == ccp_brute_min(&G, NULL));
}

/* (d) 12 relations, the DP limit: it completes, connected and not; greedy on
 * the 63 relations a cluster can hold. No timing assertion. */
static void test_twelve(void **state)
{
    (void)state;
    for (int t = 0; t < 3; t++) {
        Graph G;
        random_graph(&G, JO_MAX_DP, t != 1, t == 2);
        JoResult *r = malloc(sizeof *r), *gr = malloc(sizeof *gr);
        assert_non_null(r);
        assert_non_null(gr);
        assert_int_equal(jo_dp(&G.g, r), 0);
        check_tree(&G, r);
        assert_true(tree_cost(&G, r, r->root) == r->cost);
        assert_int_equal(jo_greedy(&G.g, gr), 0);
        check_tree(&G, gr);
        if (in_dp_space(&G, gr)) assert_true(gr->node[gr->root].cost >= r->cost);
        free(r);
        free(gr);
    }
    Graph G;
    random_graph(&G, 63, 1, 1);
    JoResult *gr = malloc(sizeof *gr);
    assert_non_null(gr);
    assert_int_equal(jo_greedy(&G.g, gr), 0);
    check_tree(&G, gr);
    assert_false(has_cross_product(&G, gr));
    free(gr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_and_cost),
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_dp_equals_brute_force),
        cmocka_unit_test(test_star),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_clique),
        cmocka_unit_test(test_twelve),
        cmocka_unit_test(test_class_card),
        cmocka_unit_test(test_class_card_random),
        cmocka_unit_test(test_cross_product_of_dimensions),
        cmocka_unit_test(test_pair_counts),
        cmocka_unit_test(test_cross_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
