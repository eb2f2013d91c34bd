#!/usr/bin/env python3
"""check.py -- expectations for the Kafka suite, recomputed from the formulas
ktool gen uses (id i: sym S(i%10), qty i%100, price (i%1000)//100+1 . i%100).

  check.py filter N DUMP      rows with qty >= 90, key = id, exact JSON
  check.py agg N DUMP         per sym: COUNT(*), SUM(qty), SUM(price), key = sym
  check.py distinct N DUMP    every id 0..N-1 present at least once (at-least-once)
  check.py exact N DUMP       every id 0..N-1 present exactly once (exactly-once)
DUMP is `ktool dump TOPIC --key` output: key<TAB>value per line.
"""
import json
import sys


def price(i):
    return "%d.%02d" % (i % 1000 // 100 + 1, i % 100)


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            k, v = line.rstrip("\n").split("\t", 1)
            rows.append((k, v))
    return rows


def fail(msg):
    print("  " + msg)
    sys.exit(1)


def main():
    mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rows = load(path)
    if mode == "filter":
        want = sorted(
            ("%d" % i, '{"id":%d,"sym":"S%d","price":%s,"qty":%d}' % (i, i % 10, price(i), i % 100))
            for i in range(n) if i % 100 >= 90)
        got = sorted(rows)
        if got != want:
            extra = set(got) - set(want)
            missing = set(want) - set(got)
            fail("filter: %d rows, want %d; %d unexpected (e.g. %s), %d missing (e.g. %s)" % (
                len(got), len(want), len(extra), next(iter(extra), None), len(missing),
                next(iter(missing), None)))
    elif mode == "agg":
        from decimal import Decimal
        want = {}
        for i in range(n):
            s = "S%d" % (i % 10)
            c, q, p = want.get(s, (0, 0, Decimal(0)))
            want[s] = (c + 1, q + i % 100, p + Decimal(price(i)))
        got = {}
        for k, v in rows:
            o = json.loads(v, parse_float=Decimal)
            if k != o["sym"]:
                fail("agg: key %r for sym %r" % (k, o["sym"]))
            got[o["sym"]] = (o["n"], o["qty"], Decimal(o["total"]))
        if got != want or len(rows) != len(want):
            fail("agg: got %s, want %s" % (sorted(got.items())[:3], sorted(want.items())[:3]))
    elif mode == "distinct":
        ids = set()
        for _, v in rows:
            ids.add(json.loads(v)["id"])
        missing = n - len(ids & set(range(n)))
        print("  %d messages out, %d distinct ids, %d duplicates, %d missing" % (
            len(rows), len(ids), len(rows) - len(ids), missing))
        if missing:
            fail("distinct: %d of %d ids missing" % (missing, n))
    elif mode == "exact":
        seen = {}
        for _, v in rows:
            i = json.loads(v)["id"]
            seen[i] = seen.get(i, 0) + 1
        dups = sum(c - 1 for c in seen.values())
        missing = n - len(set(seen) & set(range(n)))
        print("  %d messages out, %d distinct ids, %d duplicates, %d missing" % (len(rows), len(seen), dups, missing))
        if dups or missing or len(rows) != n:
            fail("exact: %d duplicates, %d missing of %d ids" % (dups, missing, n))
    else:
        fail("unknown mode " + mode)


main()
