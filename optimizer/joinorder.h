/*
 * joinorder.h -- join enumeration over an abstract join graph: n relations
 * with estimated cardinalities, predicates as bitmasks of the relations they
 * read with a selectivity each. No plans here: optimizer.c builds the graph
 * from an inner-join cluster and rebuilds the plan from the result tree.
 *
 * Cost model (C_out plus hash-table work, building on the smaller input):
 *   cost(L join R) = |out| + 2 |build| + |probe| x jo_probe_factor(bytes, ahead),
 * summed over joins, where build is the input with fewer rows (of equal
 * rows the narrower), bytes its hash table's: |build| x (its row width +
 * JO_ROW_OVERHEAD), and ahead whether the probe input is one scan, whose
 * batches fetch their slots ahead. A probe of a table that fits in cache
 * costs 1; of one in memory 12 times that, 17 one at a time, as
 * bench/joincost measured (docs/OPTIMIZER.md).
 * Cardinality of a set S: product of its relations' rows (<= 0 counts as 1)
 * times the selectivity of every predicate reading two or more relations,
 * all of them in S; at least 1. Equalities of one equivalence class (a = b,
 * b = c and the implied a = c) are not independent: of those inside S, only
 * a spanning tree over their relations counts, least selective first. For
 * columns with d1 <= d2 <= d3 distinct values, a = b = c then gives
 * 1/(d2 d3), what the containment assumption says, not 1/(d2 d3 d3).
 */
#ifndef JOINORDER_H
#define JOINORDER_H

typedef unsigned long long JoSet; /* bit i: relation i */

enum {
    JO_ROW_OVERHEAD = 40, /* bytes a build row takes besides its columns: links, hash, slots */
    JO_ROW_WIDTH = 16,    /* a relation's row width when JoGraph has none */
    JO_MAX_DP = 12,       /* jo_dp: exhaustive up to this many relations */
    JO_MAX_REL = 64,      /* jo_greedy */
    JO_MAX_NODES = 2 * JO_MAX_REL - 1,
};

typedef struct JoGraph {
    int n;              /* relations */
    const double *card; /* [n] estimated rows */
    int npreds;
    const JoSet *masks;        /* [npreds] relations each predicate reads */
    const double *sel;         /* [npreds] selectivity */
    const int *eclass;         /* [npreds] equivalence class of an equality, -1 none; NULL: no classes */
    const double *width;       /* [n] bytes of a row's columns in a hash table; NULL: JO_ROW_WIDTH each */
    const unsigned char *scan; /* [n] 1: a scan, whose probes are fetched a batch ahead; NULL: all are */
} JoGraph;

/* One input of a join, for jo_cost. */
typedef struct JoIn {
    double rows, width; /* width: bytes of a row's columns (JO_ROW_OVERHEAD is added) */
    int ahead;          /* a scan: its probes are fetched a batch ahead */
} JoIn;

/* One node of the result tree. Nodes are stored children first, in the
 * order the joins are to be built (a post-order for jo_dp, the pairing order
 * for jo_greedy); optimizer.c attaches each predicate to the first join in
 * that order that covers it. */
typedef struct JoNode {
    JoSet set;       /* relations below */
    int rel;         /* leaf: relation index; join: -1 */
    int left, right; /* join: node indices; leaf: -1 */
    double card;     /* jo_subset_card(set) */
    double cost;     /* cost of this subtree: cost(left) + cost(right) + jo_cost(...) */
} JoNode;

typedef struct JoResult {
    int nnodes; /* 2n - 1 */
    int root;
    double cost; /* jo_dp: the optimum; jo_greedy: the sum of its join costs in pairing order */
    long pairs;  /* jo_dp: csg-cmp pairs enumerated (joins costed); jo_greedy: 0 */
    JoNode node[JO_MAX_NODES];
} JoResult;

/* What a probe of a hash table of this many bytes costs, a probe of one
 * in cache counting 1; ahead: fetched a batch ahead. */
double jo_probe_factor(double bytes, int ahead);
/* One join of inputs l and r with out rows. */
double jo_cost(JoIn l, JoIn r, double out);
/* Set s as a join input: its rows, the bytes of a row's columns (the sum
 * of its relations'), whether it is one scan. */
JoIn jo_input(const JoGraph *g, JoSet s, double rows);
/* Union-find: the root of x's set in the parent array up (halving the
 * path as it goes). Also optimizer.c's equivalence classes. */
int jo_uf_root(int *up, int x);
double jo_subset_card(const JoGraph *g, JoSet s);
/* Some predicate reads both a and b and nothing outside a | b. */
int jo_connected(const JoGraph *g, JoSet a, JoSet b);
/* The graph jo_dp enumerates over, as neighbour masks adj[0..n): the
 * relations of each predicate pairwise, plus cross-product edges between
 * components of the join graph and between two relations i, j with no
 * predicate that both join some k with |i| |j| <= max(|k|, |k join i|,
 * |k join j|) (n <= JO_MAX_DP). */
void jo_ccp_graph(const JoGraph *g, JoSet *adj);
/* Exhaustive DP over the connected subgraph / complement pairs of
 * jo_ccp_graph (DPccp): the cheapest bushy tree whose every join links its
 * two sides by a predicate or a cross-product edge. 0, or -1 when n is
 * outside 1..JO_MAX_DP or memory runs out. */
int jo_dp(const JoGraph *g, JoResult *out);
/* Repeatedly join the connected pair of components whose result is
 * smallest; cross products only when no pair is connected. 0, or -1 when n
 * is outside 1..JO_MAX_REL. */
int jo_greedy(const JoGraph *g, JoResult *out);

#endif
