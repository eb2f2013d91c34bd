#!/usr/bin/env python3
"""Window oracle: random EMIT FINAL TUMBLING / SLIDING / SESSION queries with
many aggregates, run through veloc (JIT, and AOT with --aot) and recomputed
with DuckDB by explicit window assignment:

  tumbling  ws = floor(ts / size) * size
  sliding   every start k*advance with start <= ts < start + size
  session   per key, ordered by ts, a new session where ts - previous >= gap
            (window functions); [first, last + gap)

The events are out of order within a bound B and the queries use
'watermark.max_out_of_orderness' = B, so no record is late and the result is
deterministic. Rows are compared as multisets keyed by (group, window):
integers and decimals exactly, doubles to 1e-9 relative, STRING_AGG as a
multiset of its parts (its order follows arrival), APPROX_COUNT_DISTINCT to
within 2% of the exact count.

usage: windows_oracle.py [--veloc PATH] [--queries N] [--seed S] [--no-aot] [-v]
Prints `N passed, N failed`; exit status 1 when any query failed.
"""
import argparse, csv, datetime, decimal, io, os, random, shutil, subprocess, sys, tempfile

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = datetime.datetime(1970, 1, 1)
BASE_US = int((datetime.datetime(2026, 3, 2, 9, 0) - EPOCH).total_seconds()) * 1000000

# name, veloc SQL, DuckDB SQL, kind of comparison
AGGS = [
    ("n", "COUNT(*)", "COUNT(*)", "int"),
    ("nx", "COUNT(x)", "COUNT(x)", "int"),
    ("sq", "SUM(qty)", "SUM(qty)", "int"),
    ("sa", "SUM(amt)", "SUM(amt)", "dec"),
    ("ax", "AVG(x)", "AVG(x)", "dbl"),
    ("aq", "AVG(qty)", "AVG(qty)", "dbl"),
    ("mnx", "MIN(x)", "MIN(x)", "dbl"),
    ("mxx", "MAX(x)", "MAX(x)", "dbl"),
    ("mna", "MIN(amt)", "MIN(amt)", "dec"),
    ("mxq", "MAX(qty)", "MAX(qty)", "int"),
    ("sds", "STDDEV_SAMP(x)", "STDDEV_SAMP(x)", "dbl"),
    ("sdp", "STDDEV_POP(x)", "STDDEV_POP(x)", "dbl"),
    ("vs", "VAR_SAMP(qty)", "VAR_SAMP(qty)", "dbl"),
    ("vp", "VAR_POP(x)", "VAR_POP(x)", "dbl"),
    ("med", "MEDIAN(x)", "MEDIAN(x)", "dbl"),
    ("p25", "PERCENTILE_CONT(x, 0.25)", "QUANTILE_CONT(x, 0.25)", "dbl"),
    ("p90", "PERCENTILE_CONT(x, 0.9)", "QUANTILE_CONT(x, 0.9)", "dbl"),
    ("cd", "COUNT(DISTINCT name)", "COUNT(DISTINCT name)", "int"),
    ("acd", "APPROX_COUNT_DISTINCT(name)", "COUNT(DISTINCT name)", "approx"),
    ("sg", "STRING_AGG(name, ',')", "STRING_AGG(name, ',')", "bag"),
    ("cor", "CORR(x, qty)", "CORR(x, qty)", "dbl"),
    ("cvp", "COVAR_POP(x, qty)", "COVAR_POP(x, qty)", "dbl"),
]


def fmt_ts(us):
    t = EPOCH + datetime.timedelta(microseconds=us)
    s = t.strftime("%Y-%m-%d %H:%M:%S")
    if us % 1000000:
        s += (".%06d" % (us % 1000000)).rstrip("0")
    return s


def parse_ts(s):
    d, _, frac = s.partition(".")
    t = datetime.datetime.strptime(d, "%Y-%m-%d %H:%M:%S")
    us = int((t - EPOCH).total_seconds()) * 1000000
    return us + (int((frac + "000000")[:6]) if frac else 0)


def gen_events(rng, n, nkeys, bound_ms, span_ms):
    """Events in event-time order, then shuffled within the bound."""
    times = sorted(rng.randrange(span_ms) for _ in range(n))
    names = ["ann", "bob", "cy", "dee", "eve", "fay", "gus"][: rng.randint(2, 7)]
    rows = []
    for t in times:
        x = None if rng.random() < 0.1 else round(rng.uniform(-50, 150), rng.choice([0, 1, 3]))
        qty = None if rng.random() < 0.05 else rng.randint(-5, 40)
        amt = None if rng.random() < 0.05 else decimal.Decimal(rng.randint(-10000, 100000)) / 100
        name = None if rng.random() < 0.05 else rng.choice(names)
        rows.append((t + rng.random() * bound_ms, "k%d" % rng.randrange(nkeys), BASE_US + t * 1000, x, qty, amt, name))
    rows.sort(key=lambda r: r[0])  # arrival: at most bound_ms behind the max seen
    return [r[1:] for r in rows]


def write_csv(path, events):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["k", "ts", "x", "qty", "amt", "name"])
        for k, ts, x, qty, amt, name in events:
            w.writerow([k, fmt_ts(ts), "" if x is None else repr(x), "" if qty is None else qty,
                        "" if amt is None else "%.2f" % amt, "" if name is None else name])


def dur(us):
    """A random spelling of a duration: shorthand or INTERVAL."""
    for unit_us, short, long in ((86400000000, "d", "DAY"), (3600000000, "h", "HOUR"), (60000000, "m", "MINUTE"),
                                 (1000000, "s", "SECOND")):
        if us % unit_us == 0:
            n = us // unit_us
            return "%d%s" % (n, short) if random.random() < 0.5 else "INTERVAL '%d' %s" % (n, long)
    return "%dms" % (us // 1000)


def make_query(rng, csv_name, bound_ms):
    kind = rng.choice(["TUMBLING", "SLIDING", "SESSION"])
    keyed = rng.random() < 0.75
    aggs = rng.sample(AGGS, rng.randint(4, len(AGGS)))
    if kind == "TUMBLING":
        size = rng.choice([500, 1000, 2000, 5000, 60000]) * 1000
        adv = size
        win = "TUMBLING(%s%s)" % ("ts, " if rng.random() < 0.3 else "", dur(size))
    elif kind == "SLIDING":
        adv = rng.choice([500, 1000, 2000]) * 1000
        size = adv * rng.randint(1, 4)
        win = "SLIDING(%s%s, %s)" % ("ts, " if rng.random() < 0.3 else "", dur(size), dur(adv))
    else:
        size = rng.choice([300, 800, 1500, 3000]) * 1000
        adv = 0
        win = "SESSION(%s%s)" % ("ts, " if rng.random() < 0.3 else "", dur(size))
    cols = (["k"] if keyed else []) + ["_WINDOW_START AS ws", "_WINDOW_END AS we"] + ["%s AS %s" % (a[1], a[0]) for a in aggs]
    sql = ("CREATE STREAM ev (k STRING, ts TIMESTAMP, x DOUBLE, qty INTEGER, amt DECIMAL(10,2), name STRING)\n"
           "  WITH ('type' = 'file_source', 'path' = '%s', 'format' = 'csv', 'has_headers' = 'true',\n"
           "        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '%dms');\n"
           "SELECT %s\nFROM ev%s WINDOW %s EMIT FINAL;\n"
           % (csv_name, bound_ms, ", ".join(cols), " GROUP BY k" if keyed else "", win))
    return dict(kind=kind, keyed=keyed, aggs=aggs, size=size, adv=adv, sql=sql)


def duck_rows(con, q):
    key = "k, " if q["keyed"] else ""
    part = "PARTITION BY k " if q["keyed"] else ""
    size, adv = q["size"], q["adv"]
    if q["kind"] == "TUMBLING":
        win = "SELECT *, (t // %d) * %d AS ws, (t // %d) * %d + %d AS we FROM ev" % (size, size, size, size, size)
    elif q["kind"] == "SLIDING":
        win = ("SELECT e.*, s.ws, s.ws + %d AS we FROM ev e, "
               "LATERAL (SELECT unnest(generate_series((e.t // %d) * %d - %d, (e.t // %d) * %d, %d)) AS ws) s "
               "WHERE s.ws <= e.t AND e.t < s.ws + %d" % (size, adv, adv, size, adv, adv, adv, size))
    else:
        win = ("SELECT *, MIN(t) OVER (PARTITION BY %ssid) AS ws, MAX(t) OVER (PARTITION BY %ssid) + %d AS we FROM ("
               " SELECT *, SUM(brk) OVER (%sORDER BY t, seq ROWS UNBOUNDED PRECEDING) AS sid FROM ("
               "  SELECT *, CASE WHEN t - LAG(t) OVER (%sORDER BY t, seq) < %d THEN 0 ELSE 1 END AS brk FROM ev))"
               % (key, key, size, part, part, size))
    sel = ", ".join(a[2] for a in q["aggs"])
    sql = "SELECT %sws, we, %s FROM (%s) GROUP BY %sws, we" % (key, sel, win, key)
    return con.execute(sql).fetchall()


def close(a, b):
    return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def cell_ok(kind, got, exp):
    if isinstance(exp, float) and exp != exp:
        exp = None  # DuckDB's CORR of a constant column is NaN; PostgreSQL (and veloc) give NULL
    if exp is None:
        return got == ""
    if got == "":
        return False
    if kind == "int":
        return int(got) == int(exp)
    if kind == "dec":
        return decimal.Decimal(got) == decimal.Decimal(exp)
    if kind == "dbl":
        return close(float(got), float(exp))
    if kind == "approx":
        return abs(int(got) - int(exp)) <= max(1, 0.02 * int(exp))
    if kind == "bag":
        return sorted(got.split(",")) == sorted(exp.split(","))
    return got == str(exp)


def compare(q, out, exp_rows):
    rd = list(csv.reader(io.StringIO(out)))
    if not rd:
        return ["no output"]
    body = rd[1:]
    nk = 1 if q["keyed"] else 0
    got = {}
    for r in body:
        key = tuple(r[:nk]) + (parse_ts(r[nk]), parse_ts(r[nk + 1]))
        if key in got:
            return ["duplicate window row %r" % (r,)]
        got[key] = r[nk + 2:]
    exp = {}
    for r in exp_rows:
        exp[tuple("" if v is None else v for v in r[:nk]) + (int(r[nk]), int(r[nk + 1]))] = r[nk + 2:]
    errs = []
    for k in sorted(set(got) | set(exp), key=repr):
        if k not in got:
            errs.append("missing row %r -> %r" % (k, exp[k]))
        elif k not in exp:
            errs.append("extra row %r -> %r" % (k, got[k]))
        else:
            for a, g, e in zip(q["aggs"], got[k], exp[k]):
                if not cell_ok(a[3], g, e):
                    errs.append("%r %s (%s): veloc %r, duckdb %r" % (k, a[0], a[1], g, e))
    return errs


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--veloc", default=os.path.join(HERE, "..", "veloc"))
    ap.add_argument("--queries", type=int, default=36)
    ap.add_argument("--seed", type=int, default=20260302)
    ap.add_argument("--no-aot", action="store_true")
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    veloc = os.path.abspath(o.veloc)
    rng = random.Random(o.seed)
    random.seed(o.seed)
    tmp = tempfile.mkdtemp(prefix="velo_winoracle_")
    passed = failed = 0
    try:
        datasets = []
        for i in range(4):
            bound = rng.choice([0, 200, 1000, 3000])
            ev = gen_events(rng, rng.choice([50, 400, 3000]), rng.randint(1, 5), bound, rng.choice([20000, 120000, 600000]))
            name = "ev%d.csv" % i
            write_csv(os.path.join(tmp, name), ev)
            con = duckdb.connect()
            con.execute("CREATE TABLE ev (seq BIGINT, k VARCHAR, t BIGINT, x DOUBLE, qty INTEGER, amt DECIMAL(10,2), name VARCHAR)")
            con.executemany("INSERT INTO ev VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(j, k, ts, x, qty, amt, nm) for j, (k, ts, x, qty, amt, nm) in enumerate(ev)])
            datasets.append((name, bound, con))
        for qi in range(o.queries):
            name, bound, con = datasets[qi % len(datasets)]
            q = make_query(rng, name, bound)
            sqlp = os.path.join(tmp, "q%d.sql" % qi)
            open(sqlp, "w").write(q["sql"])
            errs = []
            exp = duck_rows(con, q)
            rc, out, err = run([veloc, "run", sqlp, "--format", "csv", "--quiet"], tmp)
            if rc != 0 or err.strip():
                errs.append("[jit] exit %d: %s" % (rc, err.strip()[:500]))
            else:
                errs += ["[jit] " + e for e in compare(q, out, exp)]
            if not o.no_aot:
                job = os.path.join(tmp, "job%d" % qi)
                brc, _, berr = run([veloc, "build", sqlp, "-o", job], tmp)
                if brc != 0:
                    errs.append("[aot build] exit %d: %s" % (brc, berr.strip()[:500]))
                else:
                    arc, aout, aerr = run([job, "--format", "csv", "--quiet"], tmp)
                    if arc != rc or aout != out:
                        errs.append("[aot] differs from jit (exit %d): %s" % (arc, aerr.strip()[:300]))
            if errs:
                failed += 1
                print("FAIL query %d (%s, %d rows expected)\n%s" % (qi, q["kind"], len(exp), q["sql"]))
                for e in errs[:8]:
                    print("  " + e)
                if len(errs) > 8:
                    print("  ... %d more" % (len(errs) - 8))
            else:
                passed += 1
                if o.v:
                    print("ok   query %d (%s, %d rows)" % (qi, q["kind"], len(exp)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
