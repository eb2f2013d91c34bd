#!/usr/bin/env python3
"""Differential test: VeloStream (veloc) against DuckDB on random queries.

A seeded random table (id, a, b, c, d, s, t; NULLs, "" strings, commas and
quotes inside strings) is written as CSV with VeloStream's conventions (NULL
is an unquoted empty field, "" is the empty string).  Then --count random
batch queries (filters, projections, CASE/COALESCE, string functions, GROUP BY
with aggregates, DISTINCT, ORDER BY + LIMIT with total orders) are generated
twice from one expression tree: once in the VeloStream dialect, once for
DuckDB.  Each runs as `veloc run q.sql --format csv --quiet` (every 10th also
as an AOT job built by `veloc build`) and in DuckDB over the same CSV read with
explicit types.  Results are compared as multisets (as lists with ORDER BY):
integers and DECIMAL exactly, DOUBLE with relative tolerance 1e-9, NULL
distinct from "".

Dialect translations (VeloStream -> DuckDB), each also noted where it is made:
  * integer `x / k` truncates toward zero in VeloStream (PostgreSQL); DuckDB's
    `/` on integers returns DOUBLE, so it becomes `x // k` (truncating).
  * `%` keeps the dividend's sign in both: no change.
  * `s || t` with a NULL operand is NULL in both (standard SQL): no change.
  * AVG's result type is DOUBLE in DuckDB and may be DECIMAL in VeloStream;
    AVG columns compare within 1e-9 relative or half a unit of the last digit
    veloc printed.
  * NULL ordering is PostgreSQL's (NULLS LAST for ASC, FIRST for DESC); DuckDB
    is set to match with default_null_order.
  * Type STRING is VARCHAR in DuckDB's read_csv column list.

After the random queries come the CURATED ones (below): correlated subqueries
and joins the optimizer rewrites (redundant_joins, join_elimination), written
in the common subset; then --subqueries random ones of the same kinds
(correlated scalar subqueries in the select list and WHERE, correlated
[NOT] IN, subqueries in grouped queries, repeated joins and self-joins on a
key). They read r, and rk: the
same file declared as a TABLE with id as its PRIMARY KEY (in DuckDB a second
view of the CSV).

usage: difftest.py [--veloc PATH] [--seed N] [--count N] [--rows N] [--subqueries N] [--keep] [-j N]
Prints each failing query with both results; ends with `N passed, N failed`.
"""
import argparse, concurrent.futures, os, random, re, shutil, subprocess, sys, tempfile
from decimal import Decimal, InvalidOperation

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = [("id", "INTEGER"), ("a", "INTEGER"), ("b", "BIGINT"), ("c", "DOUBLE"),
          ("d", "DECIMAL(12,2)"), ("s", "STRING"), ("t", "STRING")]
S_VALUES = ["alpha", "beta", "Gamma", "delta", "", None, "x,y", 'say "hi"']
WORDS = ["lorem", "Ipsum", "dolor sit", "amet", "Consectetur", "adipiscing elit", "sed", "DO",
         "eiusmod", "tempor", "incididunt", "ut labore", "et", "Dolore", "magna aliqua"]

# ---------------------------------------------------------------- data

def make_rows(rng, n):
    rows = []
    for i in range(1, n + 1):
        a = None if rng.random() < 0.15 else rng.randint(-50, 50)
        b = rng.randint(-10**12, 10**12)
        c = round(rng.uniform(-1000, 1000), 3)
        d = None if rng.random() < 0.1 else Decimal(rng.randint(-50000, 500000)) / 100
        s = rng.choice(S_VALUES)
        t = rng.choice(WORDS) + ("" if rng.random() < 0.5 else " " + rng.choice(WORDS))
        rows.append((i, a, b, c, d, s, t))
    return rows


def csv_field(v):
    if v is None:
        return ""                       # NULL: unquoted empty field
    if isinstance(v, str):
        if v == "" or any(ch in v for ch in ',"\r\n') or v != v.strip():
            return '"' + v.replace('"', '""') + '"'
        return v
    return repr(v) if isinstance(v, float) else str(v)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(n for n, _ in SCHEMA) + "\n")
        for r in rows:
            f.write(",".join(csv_field(v) for v in r) + "\n")

# ---------------------------------------------------------------- query generator
# An expression is (velo_text, duck_text, kind); kind is one of
# int, float, dec, str, bool, avg (avg = AVG result, compared loosely).

def E(v, d, k):
    return (v, d, k)


class Gen:
    def __init__(self, rng):
        self.r = rng

    def pick(self, xs):
        return self.r.choice(xs)

    # numeric -----------------------------------------------------------
    def num_col(self):
        c, k = self.pick([("id", "int"), ("a", "int"), ("b", "int"), ("c", "float"), ("d", "dec"), ("a", "int"), ("d", "dec")])
        return E(c, c, k)

    def num(self, depth=0):
        r = self.r.random()
        if depth >= 2 or r < 0.3:
            return self.num_col()
        if r < 0.45:
            x, y = self.num(depth + 1), self.num(depth + 1)
            op = self.pick(["+", "-"])
            return E(f"({x[0]} {op} {y[0]})", f"({x[1]} {op} {y[1]})", self.promote(x[2], y[2]))
        if r < 0.55:
            x = self.num(depth + 1)
            if x[2] == "int" and "b" in x[0]:
                lit = str(self.r.randint(1, 9))      # keep BIGINT products far from overflow
                k = "int"
            else:
                lit, k = self.pick([(str(self.r.randint(1, 9)), "int"), ("1.5", "dec"), ("0.25", "dec")])
                if x[2] == "dec" and k == "dec" and "*" in x[0]:
                    lit, k = "2", "int"
            return E(f"({x[0]} * {lit})", f"({x[1]} * {lit})", self.promote(x[2], k))
        if r < 0.65:
            x = self.int_expr(depth + 1)
            kdiv = self.r.randint(1, 9)
            # translation: integer division truncates toward zero; DuckDB spells it //
            return E(f"({x[0]} / {kdiv})", f"({x[1]} // {kdiv})", "int")
        if r < 0.72:
            x = self.int_expr(depth + 1)
            m = self.r.randint(2, 7)
            return E(f"({x[0]} % {m})", f"({x[1]} % {m})", "int")
        if r < 0.8:
            p = self.pred(depth + 1)
            x = self.num(depth + 1)
            y = self.same_kind(x[2])
            return E(f"CASE WHEN {p[0]} THEN {x[0]} ELSE {y[0]} END",
                     f"CASE WHEN {p[1]} THEN {x[1]} ELSE {y[1]} END", x[2])
        if r < 0.87:
            c, lit, k = self.pick([("a", "0", "int"), ("d", "0.00", "dec"), ("a", "-1", "int")])
            return E(f"COALESCE({c}, {lit})", f"COALESCE({c}, {lit})", k)
        if r < 0.93:
            s = self.string(depth + 1)
            return E(f"LENGTH({s[0]})", f"LENGTH({s[1]})", "int")
        x = self.int_expr(depth + 1)
        return E(f"CAST({x[0]} AS DOUBLE)", f"CAST({x[1]} AS DOUBLE)", "float")

    def int_expr(self, depth):
        for _ in range(20):
            x = self.num(depth)
            if x[2] == "int":
                return x
        return E("a", "a", "int")

    def same_kind(self, k):
        """A column or literal of kind k, for the other branch of a CASE."""
        if self.r.random() < 0.5:
            c = {"int": "a", "float": "c", "dec": "d"}[k]
        else:
            c = {"int": str(self.r.randint(-5, 5)), "float": "0.5E0", "dec": "1.25"}[k]
        return E(c, c, k)

    @staticmethod
    def promote(x, y):
        if "float" in (x, y):
            return "float"
        if "dec" in (x, y):
            return "dec"
        return "int"

    # strings -----------------------------------------------------------
    def str_lit(self):
        v = self.pick([x for x in S_VALUES if x is not None] + ["lorem", "DO", "zz", "-"])
        q = "'" + v.replace("'", "''") + "'"
        return E(q, q, "str")

    def string(self, depth=0):
        r = self.r.random()
        if depth >= 2 or r < 0.35:
            c = self.pick(["s", "t", "t"])
            return E(c, c, "str")
        if r < 0.5:
            f = self.pick(["UPPER", "LOWER"])
            x = self.string(depth + 1)
            return E(f"{f}({x[0]})", f"{f}({x[1]})", "str")
        if r < 0.62:
            x = self.string(depth + 1)
            i, n = self.r.randint(1, 4), self.r.randint(0, 5)
            return E(f"SUBSTRING({x[0]}, {i}, {n})", f"SUBSTRING({x[1]}, {i}, {n})", "str")
        if r < 0.77:
            # || with a NULL operand is NULL in both dialects: no translation
            x = self.string(depth + 1)
            y = self.pick([self.string(depth + 1), self.str_lit()])
            return E(f"({x[0]} || {y[0]})", f"({x[1]} || {y[1]})", "str")
        if r < 0.87:
            lit = self.str_lit()
            return E(f"COALESCE(s, {lit[0]})", f"COALESCE(s, {lit[1]})", "str")
        p = self.pred(depth + 1)
        lit = self.str_lit()
        return E(f"CASE WHEN {p[0]} THEN {lit[0]} ELSE t END", f"CASE WHEN {p[1]} THEN {lit[1]} ELSE t END", "str")

    # predicates ----------------------------------------------------------
    def num_lit(self, kind):
        if kind == "dec":
            v = "%d.%02d" % (self.r.randint(-100, 3000), self.r.randint(0, 99))
        elif kind == "float":
            v = "%d.%d" % (self.r.randint(-800, 800), self.r.randint(0, 9))
        else:
            v = str(self.r.randint(-40, 40))
        return E(v, v, kind)

    def atom(self, depth):
        r = self.r.random()
        if r < 0.3:
            x = self.num(depth + 1) if depth < 1 else self.num_col()
            op = self.pick(["=", "<>", "<", "<=", ">", ">="])
            y = self.num_lit(x[2]) if self.r.random() < 0.8 else self.num_col()
            return E(f"{x[0]} {op} {y[0]}", f"{x[1]} {op} {y[1]}", "bool")
        if r < 0.42:
            c = self.pick(["s", "t"])
            op = self.pick(["=", "<>", "<", ">="])
            lit = self.str_lit()
            return E(f"{c} {op} {lit[0]}", f"{c} {op} {lit[1]}", "bool")
        if r < 0.52:
            c, lo, hi = self.pick([("a", "-10", "20"), ("d", "10.00", "900.50"), ("c", "-100.5", "250.25"), ("id", "100", "300")])
            nt = self.pick(["", "NOT "])
            return E(f"{c} {nt}BETWEEN {lo} AND {hi}", f"{c} {nt}BETWEEN {lo} AND {hi}", "bool")
        if r < 0.64:
            if self.r.random() < 0.5:
                vals = ", ".join(str(self.r.randint(-50, 50)) for _ in range(self.r.randint(1, 5)))
                c = "a"
            else:
                vals = ", ".join(self.str_lit()[0] for _ in range(self.r.randint(1, 4)))
                c = "s"
            nt = self.pick(["", "NOT "])
            return E(f"{c} {nt}IN ({vals})", f"{c} {nt}IN ({vals})", "bool")
        if r < 0.76:
            c = self.pick(["s", "t"])
            pat = self.pick(["'a%'", "'%a%'", "'_e%'", "'%m'", "'D%'", "'%,%'", "'%\"%'", "''", "'%'"])
            nt = self.pick(["", "NOT "])
            return E(f"{c} {nt}LIKE {pat}", f"{c} {nt}LIKE {pat}", "bool")
        c = self.pick(["a", "d", "s"])
        nt = self.pick(["", "NOT "])
        return E(f"{c} IS {nt}NULL", f"{c} IS {nt}NULL", "bool")

    def pred(self, depth=0):
        r = self.r.random()
        if depth >= 2 or r < 0.5:
            return self.atom(depth)
        if r < 0.85:
            x, y = self.pred(depth + 1), self.pred(depth + 1)
            op = self.pick(["AND", "OR"])
            return E(f"({x[0]} {op} {y[0]})", f"({x[1]} {op} {y[1]})", "bool")
        x = self.pred(depth + 1)
        return E(f"NOT ({x[0]})", f"NOT ({x[1]})", "bool")

    def any_expr(self):
        r = self.r.random()
        if r < 0.5:
            return self.num()
        if r < 0.85:
            return self.string()
        return self.pred(1)

    # whole queries -----------------------------------------------------
    def query(self):
        """Return (velo_select, duck_select, kinds, names, ordered)."""
        shape = self.r.random()
        where = self.pred() if self.r.random() < 0.75 else None
        wv = f"\nWHERE {where[0]}" if where else ""
        wd = f"\nWHERE {where[1]}" if where else ""
        if shape < 0.4:
            return self.q_project(wv, wd)
        if shape < 0.55:
            return self.q_agg([], wv, wd)
        if shape < 0.88:
            return self.q_agg(self.keys(), wv, wd)
        return self.q_distinct(wv, wd)

    def select_list(self, items):
        v = ", ".join(f"{e[0]} AS {n}" for n, e in items)
        d = ", ".join(f"{e[1]} AS {n}" for n, e in items)
        return v, d, [e[2] for _, e in items], [n for n, _ in items]

    def q_project(self, wv, wd):
        items = [("id", E("id", "id", "int"))]
        items += [(f"c{i}", self.any_expr()) for i in range(1, self.r.randint(2, 5))]
        v, d, kinds, names = self.select_list(items)
        order, ordered = "", False
        if self.r.random() < 0.4:   # total orders: always end with the unique id
            order = self.pick(["id", "id DESC", "c DESC, id", "t, id", "b DESC, id", "s, id DESC", "a DESC, id"])
            order = f"\nORDER BY {order}"
            if self.r.random() < 0.6:
                order += f"\nLIMIT {self.r.randint(1, 60)}"
            ordered = True
        return (f"SELECT {v}\nFROM r{wv}{order}", f"SELECT {d}\nFROM r{wd}{order}", kinds, names, ordered)

    def keys(self):
        pool = [E("s", "s", "str"), E("a % 5", "a % 5", "int"), E("SUBSTRING(t, 1, 1)", "SUBSTRING(t, 1, 1)", "str"),
                E("a IS NULL", "a IS NULL", "bool"), E("UPPER(s)", "UPPER(s)", "str"),
                E("CASE WHEN c < 0 THEN 'neg' WHEN c < 500 THEN 'low' ELSE 'high' END",
                  "CASE WHEN c < 0 THEN 'neg' WHEN c < 500 THEN 'low' ELSE 'high' END", "str"),
                # translation: integer division, see the header
                E("id / 100", "id // 100", "int")]
        return self.r.sample(pool, self.r.randint(1, 2))

    def aggs(self):
        out = [E("COUNT(*)", "COUNT(*)", "int")]
        for _ in range(self.r.randint(1, 4)):
            f = self.pick(["COUNT", "SUM", "MIN", "MAX", "AVG", "SUM", "AVG"])
            if f == "COUNT":
                c = self.pick(["a", "d", "s", "t"])
                out.append(E(f"COUNT({c})", f"COUNT({c})", "int"))
            elif f in ("MIN", "MAX") and self.r.random() < 0.3:
                c = self.pick(["s", "t"])
                out.append(E(f"{f}({c})", f"{f}({c})", "str"))
            else:
                x = self.num(1)
                k = "avg" if f == "AVG" else x[2]
                out.append(E(f"{f}({x[0]})", f"{f}({x[1]})", k))
        return out

    def q_agg(self, keys, wv, wd):
        items = [(f"k{i + 1}", k) for i, k in enumerate(keys)]
        items += [("n" if i == 0 else f"g{i}", e) for i, e in enumerate(self.aggs())]
        v, d, kinds, names = self.select_list(items)
        gv = gd = hv = order = ""
        ordered = False
        if keys:
            gv = "\nGROUP BY " + ", ".join(k[0] for k in keys)
            gd = "\nGROUP BY " + ", ".join(k[1] for k in keys)
            if self.r.random() < 0.2:
                hv = f"\nHAVING COUNT(*) > {self.r.randint(1, 20)}"
            if self.r.random() < 0.4:   # group keys are unique per group: a total order
                ob = [f"k{i + 1}" + self.pick(["", " DESC"]) for i in range(len(keys))]
                if self.r.random() < 0.5:
                    ob.insert(0, "n DESC")
                order = "\nORDER BY " + ", ".join(ob)
                if self.r.random() < 0.5:
                    order += f"\nLIMIT {self.r.randint(1, 8)}"
                ordered = True
        return (f"SELECT {v}\nFROM r{wv}{gv}{hv}{order}", f"SELECT {d}\nFROM r{wd}{gd}{hv}{order}", kinds, names, ordered)

    def q_distinct(self, wv, wd):
        keys = self.keys()
        items = [(f"k{i + 1}", k) for i, k in enumerate(keys)]
        v, d, kinds, names = self.select_list(items)
        order, ordered = "", False
        if self.r.random() < 0.5:
            order = "\nORDER BY " + ", ".join(f"k{i + 1}" for i in range(len(keys)))
            if self.r.random() < 0.5:
                order += f"\nLIMIT {self.r.randint(1, 6)}"
            ordered = True
        return (f"SELECT DISTINCT {v}\nFROM r{wv}{order}", f"SELECT DISTINCT {d}\nFROM r{wd}{order}", kinds, names, ordered)

# ---------------------------------------------------------------- curated

# (query, kinds, names, ordered): the same text for both engines.
CURATED = [
    # correlated scalar subqueries: COUNT over an empty group is 0, NULL keys (a) match nothing
    ("SELECT o.id, (SELECT COUNT(*) FROM r i WHERE i.a = o.a AND i.s = 'alpha') AS n FROM r o",
     ["int", "int"], ["id", "n"], False),
    ("SELECT o.id, (SELECT MAX(i.d) FROM r i WHERE i.s = o.s AND i.c > 0) AS m FROM r o",
     ["int", "dec"], ["id", "m"], False),
    ("SELECT o.id, (SELECT COALESCE(SUM(i.a), -1) FROM r i WHERE i.s = o.s AND i.a > 40) AS x FROM r o",
     ["int", "int"], ["id", "x"], False),
    ("SELECT o.id, o.d FROM r o WHERE o.d > (SELECT AVG(i.d) FROM r i WHERE i.a = o.a) ORDER BY o.id",
     ["int", "dec"], ["id", "d"], True),
    # an inner expression as the correlation key, two keys
    ("SELECT o.id FROM r o WHERE (SELECT COUNT(i.d) FROM r i WHERE i.a % 7 = o.a AND i.t = o.t) = 0",
     ["int"], ["id"], False),
    # correlated IN / NOT IN (NULLs in a: NOT IN is NULL-aware per correlation group) and EXISTS, non-equi
    ("SELECT o.id FROM r o WHERE o.s IN (SELECT i.s FROM r i WHERE i.a = o.a AND i.id < o.id)",
     ["int"], ["id"], False),
    ("SELECT o.id FROM r o WHERE o.a NOT IN (SELECT i.a FROM r i WHERE i.s = o.s AND i.c > o.c)",
     ["int"], ["id"], False),
    ("SELECT o.id FROM r o WHERE EXISTS (SELECT 1 FROM r i WHERE i.t = o.t AND i.b > o.b)",
     ["int"], ["id"], False),
    # redundant joins: a self-join on the PRIMARY KEY, the same table twice on one key (one copy filtered)
    ("SELECT x.id, y.s, y.d FROM rk x JOIN rk y ON x.id = y.id WHERE x.a > 0",
     ["int", "str", "dec"], ["id", "s", "d"], False),
    ("SELECT o.id, k1.s, k2.t FROM r o JOIN rk k1 ON o.a = k1.id JOIN rk k2 ON o.a = k2.id AND k2.c > 0",
     ["int", "str", "str"], ["id", "s", "t"], False),
    # join elimination: LEFT join on the GROUP BY key of a derived table whose columns nobody reads
    ("SELECT o.id FROM r o LEFT JOIN (SELECT s, COUNT(*) AS n FROM r GROUP BY s) g ON g.s = o.s",
     ["int"], ["id"], False),
    # the group memo (GROUP BY columns of a join's build rows): duplicate and NULL keys on the build
    # side, a LEFT join's unmatched rows, two keys from one build row, a key from the probe side too
    ("SELECT i.s, COUNT(o.id) AS n, SUM(o.b) AS sb FROM r i LEFT JOIN r o ON o.a = i.a AND o.c > 0 WHERE i.id < 100 GROUP BY i.s",
     ["str", "int", "int"], ["s", "n", "sb"], False),
    ("SELECT i.a, COUNT(o.id) AS n FROM r i LEFT JOIN r o ON o.b = i.a WHERE i.id < 100 GROUP BY i.a",
     ["int", "int"], ["a", "n"], False),
    ("SELECT i.s, i.t, COUNT(*) AS n, MAX(o.d) AS m FROM r o JOIN r i ON o.a = i.a WHERE i.c > 0 GROUP BY i.s, i.t",
     ["str", "str", "int", "dec"], ["s", "t", "n", "m"], False),
    ("SELECT i.s, o.t, COUNT(*) AS n FROM r o JOIN r i ON o.a = i.a WHERE i.c > 0 GROUP BY i.s, o.t",
     ["str", "str", "int"], ["s", "t", "n"], False),
    # join_equivalences: x.a = y.a AND y.a = z.a also joins x and z (duplicate and NULL keys); strings
    # with NULL and ""; a class with a second key between two of its relations; a class holding two
    # columns of one relation (not used) and one of DOUBLE columns (not used): the rows stay the same
    ("SELECT x.id, y.id AS yid, z.id AS zid FROM r x, r y, r z WHERE x.a = y.a AND y.a = z.a AND x.id < 40 AND z.id BETWEEN 100 AND 130 AND y.id % 7 <> 0",
     ["int", "int", "int"], ["id", "yid", "zid"], False),
    ("SELECT x.id, z.id AS zid, w.id AS wid FROM r x JOIN r y ON x.s = y.s JOIN r z ON z.s = y.s JOIN r w ON w.id = z.id WHERE x.id < 30 AND z.id < 30 AND w.c > 0",
     ["int", "int", "int"], ["id", "zid", "wid"], False),
    ("SELECT x.id, y.id AS yid, z.id AS zid FROM r x, r y, r z WHERE x.a = y.a AND x.s = y.s AND y.a = z.a AND z.id < 60 AND x.id < 200",
     ["int", "int", "int"], ["id", "yid", "zid"], False),
    ("SELECT x.id, y.id AS yid, z.id AS zid FROM r x, r y, r z WHERE x.a = y.a AND y.a = x.id AND y.a = z.a AND z.c > 0",
     ["int", "int", "int"], ["id", "yid", "zid"], False),
    ("SELECT x.id, y.id AS yid FROM r x, r y, r z WHERE x.c = y.c AND y.c = z.c AND x.id = z.id",
     ["int", "int"], ["id", "yid"], False),
    # constants through a class: y.a = 7 also filters x's scan (and z's); "" is not NULL
    ("SELECT x.id, y.id AS yid FROM r x JOIN r y ON x.a = y.a WHERE y.a = 7",
     ["int", "int"], ["id", "yid"], False),
    ("SELECT x.id, y.id AS yid, z.id AS zid FROM r x, r y, r z WHERE x.s = y.s AND y.s = z.s AND z.s = '' AND x.id < 50",
     ["int", "int", "int"], ["id", "yid", "zid"], False),
    ("SELECT x.id, k.s FROM r x JOIN rk k ON x.a = k.id WHERE x.a = 3 OR x.a = 4",
     ["int", "str"], ["id", "s"], False),
]


def subquery_queries(rng, n):
    """Random correlated subqueries and repeated joins: (query, kinds, names, ordered), same text for both."""
    keys = [("i.a", "o.a"), ("i.s", "o.s"), ("i.a % 5", "o.a"), ("i.t", "o.t"), ("i.a", "o.a + 1"), ("i.s", "UPPER(o.s)")]
    aggs = [("COUNT(*)", "int"), ("COUNT(i.a)", "int"), ("MAX(i.d)", "dec"), ("MIN(i.s)", "str"), ("SUM(i.a)", "int"),
            ("COALESCE(SUM(i.a), 0)", "int"), ("COUNT(*) + 1", "int"), ("MAX(i.a) - MIN(i.a)", "int"),
            ("COUNT(DISTINCT i.s)", "int"), ("CASE WHEN COUNT(*) > 2 THEN 'many' ELSE 'few' END", "str")]
    local = ["", " AND i.c > 0", " AND i.s <> 'beta'", " AND i.d IS NOT NULL", " AND i.id % 3 = 0"]
    outer = ["", "", " AND o.c > 0", " AND o.s <> 'alpha'"]  # on the enclosing row alone
    out = []
    for _ in range(n):
        where = " AND ".join(f"{a} = {b}" for a, b in rng.sample(keys, rng.choice([1, 1, 2]))) + rng.choice(local)
        where += rng.choice(outer)
        agg, kind = rng.choice(aggs)
        sub = f"(SELECT {agg} FROM r i WHERE {where})"
        shape = rng.random()
        if shape < 0.4:
            out.append((f"SELECT o.id, {sub} AS v FROM r o", ["int", kind], ["id", "v"], False))
        elif shape < 0.6 and kind != "str":
            op = rng.choice([">", "<", "=", "<>"])
            out.append((f"SELECT o.id FROM r o WHERE o.a {op} {sub}", ["int"], ["id"], False))
        elif shape < 0.8:
            neg = rng.choice(["", "NOT "])
            x, y = rng.choice([("o.id", "i.id"), ("o.a", "i.a"), ("o.s", "i.s")])
            out.append((f"SELECT o.id, o.s FROM r o WHERE {x} {neg}IN (SELECT {y} FROM r i WHERE {where})",
                        ["int", "str"], ["id", "s"], False))
        elif shape < 0.9:
            # grouped: a subquery correlated on the group key in the select list, or uncorrelated in HAVING
            gk, ik, gkind = rng.choice([("o.s", "i.s", "str"), ("o.a % 4", "i.a % 4", "int"), ("o.t", "i.t", "str")])
            corr = f"(SELECT {agg} FROM r i WHERE {ik} = {gk}{rng.choice(local)})"
            if kind != "str" and rng.random() < 0.3:
                out.append((f"SELECT {gk} AS k, SUM(o.a) AS n FROM r o GROUP BY {gk} HAVING COUNT(*) >= {corr}",
                            [gkind, "int"], ["k", "n"], False))
            elif rng.random() < 0.5:
                out.append((f"SELECT {gk} AS k, COUNT(*) AS n, {corr} AS v FROM r o GROUP BY {gk}",
                            [gkind, "int", kind], ["k", "n", "v"], False))
            else:
                unc = rng.choice(["MIN(i.a)", "MAX(i.a) - 40", "COUNT(*) % 7"])
                out.append((f"SELECT {gk} AS k, COUNT(*) AS n FROM r o GROUP BY {gk} HAVING COUNT(*) > (SELECT {unc} FROM r i)",
                            [gkind, "int"], ["k", "n"], False))
        else:
            # the same table joined twice on its key (one copy maybe filtered), or a self-join on it
            filt = rng.choice(["", " AND k2.c > 0", " AND k2.s IS NOT NULL"])
            if rng.random() < 0.5:
                out.append((f"SELECT o.id, k1.s, k2.t FROM r o JOIN rk k1 ON o.a = k1.id JOIN rk k2 ON o.a = k2.id{filt}",
                            ["int", "str", "str"], ["id", "s", "t"], False))
            else:
                out.append((f"SELECT k1.id, k2.s, k2.d FROM rk k1 JOIN rk k2 ON k1.id = k2.id{filt}",
                            ["int", "str", "dec"], ["id", "s", "d"], False))
    return out

# ---------------------------------------------------------------- comparison

def parse_csv(text):
    """RFC 4180 rows of (value, was_quoted); quoted "" stays apart from NULL."""
    rows, row, field, quoted, in_q, i, n = [], [], [], False, False, 0, len(text)
    while i < n:
        ch = text[i]
        if in_q:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"'); i += 1
                else:
                    in_q = False
            else:
                field.append(ch)
        elif ch == '"':
            in_q = quoted = True
        elif ch == ",":
            row.append(("".join(field), quoted)); field, quoted = [], False
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append(("".join(field), quoted)); rows.append(row); row, field, quoted = [], [], False
        else:
            field.append(ch)
        i += 1
    if field or quoted or row:
        row.append(("".join(field), quoted)); rows.append(row)
    return rows


def velo_value(cell, kind):
    """veloc CSV text -> comparable value (raises ValueError on bad text)."""
    s, q = cell
    if s == "" and not q:
        return None
    if kind == "str":
        return s
    if kind == "bool":
        if s not in ("true", "false"):
            raise ValueError("bad boolean %r" % s)
        return s == "true"
    if kind == "int":
        if not re.fullmatch(r"-?\d+", s):
            raise ValueError("bad integer %r" % s)
        return int(s)
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueError("bad number %r" % s)


def duck_value(v, kind):
    if v is None or kind in ("str", "bool", "int"):
        return v
    return Decimal(str(v)) if isinstance(v, float) else Decimal(v)


def same(x, y, kind, text):
    if x is None or y is None:
        return x is None and y is None
    if kind in ("float", "avg"):
        fx, fy = float(x), float(y)
        if abs(fx - fy) <= 1e-9 * max(1.0, abs(fx), abs(fy)):
            return True
        if kind == "avg" and re.fullmatch(r"-?\d+\.(\d+)", text or ""):
            # AVG printed as DECIMAL: within half a unit of its last digit
            scale = len(text.split(".")[1])
            return abs(fx - fy) <= 0.5 * 10 ** -scale + 1e-12
        return False
    if kind == "bool" and isinstance(y, int):
        return bool(x) == bool(y)
    return x == y


def sort_key(row):
    out = []
    for v in row:
        if v is None:
            out.append((0, ""))
        elif isinstance(v, (int, Decimal, float)) and not isinstance(v, bool):
            out.append((1, "%.6e" % float(v)))
        else:
            out.append((2, repr(v)))
    return out


def compare(vout, dres, names, kinds, ordered):
    rows = parse_csv(vout)
    if not rows:
        return "veloc printed nothing"
    header = [c[0].lower() for c in rows[0]]
    if header != names:
        return "header %s, expected %s" % (header, names)
    try:
        vrows = [([velo_value(c, k) for c, k in zip(r, kinds)], [c[0] for c in r]) for r in rows[1:]]
    except ValueError as e:
        return str(e)
    for r, _ in vrows:
        if len(r) != len(kinds):
            return "row with %d fields, expected %d" % (len(r), len(kinds))
    drows = [[duck_value(v, k) for v, k in zip(r, kinds)] for r in dres]
    if len(vrows) != len(drows):
        return "%d rows, DuckDB has %d" % (len(vrows), len(drows))
    if not ordered:
        vrows.sort(key=lambda p: sort_key(p[0]))
        drows.sort(key=sort_key)
    for i, ((vr, texts), dr) in enumerate(zip(vrows, drows)):
        for j, k in enumerate(kinds):
            if not same(vr[j], dr[j], k, texts[j]):
                return "row %d col %s: veloc %r, DuckDB %r" % (i, names[j], texts[j], dr[j])
    return None

# ---------------------------------------------------------------- driver

def stream_ddl(path):
    cols = ", ".join(f"{n} {t}" for n, t in SCHEMA)
    kcols = cols.replace("id INTEGER", "id INTEGER PRIMARY KEY", 1)
    return (f"CREATE STREAM r ({cols})\n  WITH ('type' = 'file_source', 'path' = '{path}', "
            "'format' = 'csv', 'has_headers' = 'true');\n"
            f"CREATE TABLE rk ({kcols})\n  WITH ('type' = 'file_source', 'path' = '{path}', "
            "'format' = 'csv', 'has_headers' = 'true');\n")


def duck_connect(csv_path):
    con = duckdb.connect()
    con.execute("SET threads = 1")
    # translation: PostgreSQL NULL order (NULLS LAST on ASC, NULLS FIRST on DESC)
    con.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'")
    # translation: STRING is VARCHAR; quoted "" stays the empty string, not NULL
    cols = ", ".join("'%s': '%s'" % (n, "VARCHAR" if t == "STRING" else t) for n, t in SCHEMA)
    con.execute(f"""CREATE VIEW r AS SELECT * FROM read_csv('{csv_path}', header = true,
        auto_detect = false, columns = {{{cols}}}, delim = ',', quote = '"', escape = '"',
        allow_quoted_nulls = false)""")
    con.execute("CREATE VIEW rk AS SELECT * FROM r")
    return con


def run(cmd, cwd):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -999, "", "timeout"
    except OSError as e:
        return -998, "", str(e)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--veloc", default=os.path.join(HERE, "..", "..", "veloc"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=250)
    ap.add_argument("--rows", type=int, default=600)
    ap.add_argument("--subqueries", type=int, default=40, help="random correlated subqueries and repeated joins")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("-j", type=int, default=2, help="parallel veloc runs (default 2)")
    opts = ap.parse_args()
    veloc = os.path.abspath(opts.veloc)

    rng = random.Random(opts.seed)
    work = tempfile.mkdtemp(prefix="velo_difftest_")
    data = os.path.join(work, "data.csv")
    rows = make_rows(rng, opts.rows)
    write_csv(data, rows)
    con = duck_connect(data)
    # The oracle must read the file exactly as generated (NULL vs "" included).
    got = con.execute("SELECT * FROM r ORDER BY id").fetchall()
    if [tuple(r) for r in got] != rows:
        sys.exit("difftest: DuckDB does not read the generated CSV back as written")

    gen = Gen(rng)
    # their own generator, so that --subqueries does not change the other queries of a seed
    fixed = CURATED + subquery_queries(random.Random(opts.seed), opts.subqueries)
    queries = []
    for i in range(opts.count + len(fixed)):
        if i < opts.count:
            vq, dq, kinds, names, ordered = gen.query()
        else:
            vq, kinds, names, ordered = fixed[i - opts.count]
            dq = vq
        sql = os.path.join(work, "q%04d.sql" % i)
        with open(sql, "w") as f:
            f.write(f"-- difftest seed {opts.seed} query {i}\n" + stream_ddl("data.csv") + vq + ";\n")
        # DuckDB runs here, on one connection; only the veloc runs go parallel
        try:
            dres = con.execute(dq).fetchall()
        except duckdb.Error as e:
            dres = e
        queries.append((i, sql, vq, dq, kinds, names, ordered, dres))

    def one(q):
        i, sql, vq, dq, kinds, names, ordered, dres = q
        if isinstance(dres, Exception):
            return f"DuckDB rejected the translated query: {dres}\n{dq}"
        modes = ["jit"] + (["aot"] if i % 10 == 0 else [])
        for mode in modes:
            if mode == "jit":
                code, out, err = run([veloc, "run", sql, "--format", "csv", "--quiet"], work)
            else:
                job = sql[:-4] + ".job"
                code, out, err = run([veloc, "build", sql, "-o", job], work)
                if code == 0:
                    code, out, err = run([job, "--format", "csv", "--quiet"], work)
            why = ("exit %d: %s" % (code, err.strip()[:500])) if code != 0 else \
                compare(out, dres, names, kinds, ordered)
            if why:
                shown = "\n".join(",".join("NULL" if v is None else repr(v) for v in r) for r in dres[:20])
                return (f"[{mode}] {why}\n--- query {os.path.basename(sql)}:\n{vq}\n--- DuckDB:\n{dq}\n"
                        f"--- veloc output (first 20 lines):\n" + "\n".join(out.splitlines()[:21]) +
                        f"\n--- DuckDB rows ({len(dres)}, first 20):\n{shown}")
        return None

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, opts.j)) as ex:
        for q, why in zip(queries, ex.map(one, queries)):
            if why:
                failed += 1
                print("FAIL q%04d %s\n" % (q[0], why))
            else:
                passed += 1
    if opts.keep:
        print("work directory kept: " + work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
