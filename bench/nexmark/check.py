#!/usr/bin/env python3
"""NEXMark result check: VeloStream (JIT and AOT) against DuckDB on the same files.

Generates a small NEXMark event set with bench/nexmark/gen.c (default 200 000
events at 1 000 events/s, so 200 s of event time: 20 tumbling windows of 10 s),
writes a side input (k, v) of 10 000 rows, then for every query
bench/nexmark/queries/qN.sql that has a DuckDB counterpart in
bench/nexmark/queries/duckdb/qN.sql:

  jit     veloc run qN.sql --format csv --quiet
  aot     veloc build qN.sql -o JOB; JOB --format csv --quiet
  inproc  veloc run on a copy of qN.sql whose person/auction/bid sources are
          'nexmark_source' (the generator running in the job, same events)

(a query with a file sink is read back from its file), and compares each with
DuckDB's result over views of the same CSV files.  Windows are computed in
DuckDB by explicit window assignment (floor(t / size) * size for tumbling, the
overlapping starts for sliding, a LAG/running-SUM sessionization for SESSION),
so the check does not trust any windowing code.  Results compare as multisets:
integers, DECIMAL, timestamps and strings exactly, DOUBLE within 1e-9
relative (or half a unit of the last digit veloc printed); an empty CSV field
is NULL on both sides.  A query without a DuckDB file (processing-time q12)
must only run without error in both backends.

usage: check.py [--veloc PATH] [--events N] [--rate R] [--only SUBSTR] [--no-aot] [--no-inproc] [--keep] [-j N]
Prints ok/FAIL per query and `N passed, N failed`; exits 1 on any failure.
"""
import argparse, concurrent.futures, csv, datetime, io, os, re, shutil, subprocess, sys, tempfile
from decimal import Decimal, InvalidOperation

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TIMEOUT = 120

BID_COLS = "{'auction': 'BIGINT', 'bidder': 'BIGINT', 'price': 'BIGINT', 'channel': 'VARCHAR', 'url': 'VARCHAR', 'date_time': 'TIMESTAMP', 'extra': 'VARCHAR'}"
AUCTION_COLS = ("{'id': 'BIGINT', 'item_name': 'VARCHAR', 'description': 'VARCHAR', 'initial_bid': 'BIGINT', 'reserve': 'BIGINT', "
                "'date_time': 'TIMESTAMP', 'expires': 'TIMESTAMP', 'seller': 'BIGINT', 'category': 'BIGINT', 'extra': 'VARCHAR'}")
PERSON_COLS = ("{'id': 'BIGINT', 'name': 'VARCHAR', 'email_address': 'VARCHAR', 'credit_card': 'VARCHAR', 'city': 'VARCHAR', "
               "'state': 'VARCHAR', 'date_time': 'TIMESTAMP', 'extra': 'VARCHAR'}")
SIDE_COLS = "{'k': 'BIGINT', 'v': 'VARCHAR'}"


def duckdb_views(con, data):
    """bid, auction, person, side_input (and bid_rn: bid with its file position) over data/*.csv."""
    def rd(name, cols):
        return "read_csv('%s', header = true, auto_detect = false, quote = '\"', columns = %s)" % (os.path.join(data, name), cols)
    con.execute("SET threads = 1")
    con.execute("SET preserve_insertion_order = true")
    con.execute("CREATE VIEW bid AS SELECT * FROM " + rd("bid.csv", BID_COLS))
    con.execute("CREATE VIEW auction AS SELECT * FROM " + rd("auction.csv", AUCTION_COLS))
    con.execute("CREATE VIEW person AS SELECT * FROM " + rd("person.csv", PERSON_COLS))
    con.execute("CREATE VIEW side_input AS SELECT * FROM " + rd("side_input.csv", SIDE_COLS))
    con.execute("CREATE TABLE bid_rn AS SELECT *, row_number() OVER () AS rn FROM bid")


def write_side_input(path, n=10000):
    with open(path, "w") as f:
        f.write("k,v\n")
        for k in range(n):
            f.write("%d,side-%d\n" % (k, k * 7 % 1000))


def generate(tmp, events, rate):
    gen = os.path.join(tmp, "gen")
    subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", gen, os.path.join(HERE, "gen.c"), os.path.join(HERE, "..", "..", "runtime", "nexmark.c"), "-lm", "-lrdkafka"], check=True)
    data = os.path.join(tmp, "data")
    subprocess.run([gen, "--events", str(events), "--rate", str(rate), "--out", data], check=True)
    write_side_input(os.path.join(data, "side_input.csv"))
    return data


# ---------------------------------------------------------------- comparing

def file_sink_path(sql_text, qdir):
    """The path of a CSV file sink, if the query writes one (relative to the query's directory)."""
    m = re.search(r"'\w+\.type'\s*=\s*'file_sink'.*?'\w+\.path'\s*=\s*'([^']+)'", sql_text, re.S)
    return os.path.normpath(os.path.join(qdir, m.group(1))) if m else None


def parse_csv(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0] if rows else [], rows[1:]


def col_kinds(drows, ncols):
    kinds = []
    for c in range(ncols):
        kind = str
        for r in drows:
            v = r[c]
            if v is None:
                continue
            if isinstance(v, bool):
                kind = bool
            elif isinstance(v, int):
                kind = int
            elif isinstance(v, Decimal):
                kind = Decimal
            elif isinstance(v, float):
                kind = float
            elif isinstance(v, datetime.datetime):
                kind = datetime.datetime
            break
        kinds.append(kind)
    return kinds


def conv_veloc(cell, kind):
    """A veloc CSV cell as a value of the DuckDB column's kind (None for an empty field)."""
    if cell == "":
        return None
    if kind is int:
        return int(cell)
    if kind is Decimal:
        return Decimal(cell)
    if kind is float:
        return float(cell)
    if kind is bool:
        return cell.lower() in ("true", "t", "1")
    if kind is datetime.datetime:
        return datetime.datetime.fromisoformat(cell)
    return cell


def conv_duck(v):
    return None if v == "" else v


def half_unit(cell):
    """Half a unit of the last digit of a fixed-point number as printed."""
    if "." in cell and "e" not in cell.lower():
        return 0.5 * 10 ** -(len(cell) - cell.index(".") - 1)
    return 0.0


def compare(vtext, drows):
    """None if veloc's CSV text equals DuckDB's rows as a multiset, else a message."""
    _, vraw = parse_csv(vtext)
    ncols = len(drows[0]) if drows else (len(vraw[0]) if vraw else 0)
    if vraw and len(vraw[0]) != ncols:
        return "veloc has %d columns, DuckDB %d" % (len(vraw[0]), ncols)
    if len(vraw) != len(drows):
        return "veloc %d rows, DuckDB %d rows" % (len(vraw), len(drows))
    kinds = col_kinds(drows, ncols)
    try:
        vrows = [([conv_veloc(c, k) for c, k in zip(r, kinds)], r) for r in vraw]
    except (ValueError, InvalidOperation) as e:
        return "unparsable veloc value: %s" % e
    drows = [[conv_duck(v) for v in r] for r in drows]
    exact = [i for i, k in enumerate(kinds) if k is not float]
    floats = [i for i, k in enumerate(kinds) if k is float]

    def key(vals):
        return tuple((0, "") if vals[i] is None else (1, vals[i]) for i in exact) + \
               tuple((0, 0.0) if vals[i] is None else (1, vals[i]) for i in floats)
    vrows.sort(key=lambda p: key(p[0]))
    drows.sort(key=key)
    for (vv, raw), dv in zip(vrows, drows):
        for i in range(ncols):
            a, b = vv[i], dv[i]
            if a is None or b is None:
                ok = a is None and b is None
            elif kinds[i] is float:
                tol = max(1e-9 * max(1.0, abs(b)), half_unit(raw[i]) * 1.000001)
                ok = abs(a - b) <= tol
            else:
                ok = a == b
            if not ok:
                return "first difference: veloc %r, DuckDB %r (column %d)" % (raw, dv, i + 1)
    return None


# ---------------------------------------------------------------- running

def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr


GENERATED_SRC = re.compile(r"'type' = 'file_source', 'path' = '\.\./data/(bid|auction|person)\.csv', 'format' = 'csv', 'has_headers' = 'true'")


def inproc_copy(sql, text, args):
    """A copy of the query reading the generator in the job instead of the files (None if it reads none)."""
    sub = "'type' = 'nexmark_source', 'nexmark.table' = '\\1', 'nexmark.events' = '%d', 'nexmark.rate' = '%d'" % (args.events, args.rate)
    new, n = GENERATED_SRC.subn(sub, text)
    if not n:
        return None
    path = sql[:-4] + ".inproc.sql"
    with open(path, "w") as f:
        f.write(new)
    return path


def check_query(name, args, tmp, qdir, con_rows):
    sql = os.path.join(qdir, name + ".sql")
    text = open(sql).read()
    sink = file_sink_path(text, qdir)
    outs = {}
    backends = [("jit", [args.veloc, "run", sql, "--format", "csv", "--quiet"])]
    inproc = None if args.no_inproc else inproc_copy(sql, text, args)
    if inproc:
        backends.append(("inproc", [args.veloc, "run", inproc, "--format", "csv", "--quiet"]))
    if not args.no_aot:
        job = os.path.join(tmp, "jobs", name)
        rc, _, err = run([args.veloc, "build", sql, "-o", job], qdir)
        if rc != 0:
            return "FAIL", "aot build failed: " + err.strip().splitlines()[-1] if err.strip() else "aot build failed"
        backends.append(("aot", [job, "--format", "csv", "--quiet"]))
    for label, cmd in backends:
        if sink and os.path.exists(sink):
            os.remove(sink)
        try:
            rc, out, err = run(cmd, qdir)
        except subprocess.TimeoutExpired:
            return "FAIL", "%s timed out after %d s" % (label, TIMEOUT)
        if rc != 0:
            msg = err.strip().splitlines()
            return "FAIL", "%s exit %d: %s" % (label, rc, msg[-1] if msg else "")
        if sink:
            if not os.path.exists(sink):
                return "FAIL", "%s wrote no %s" % (label, sink)
            out = open(sink).read()
        outs[label] = out
    if con_rows is None:
        return "ok", "ran (%s; not compared: processing time)" % "+".join(outs)
    for label, out in outs.items():
        if label != "jit" and out == outs["jit"]:
            continue  # byte-identical to the JIT's output, already compared
        msg = compare(out, con_rows)
        if msg:
            return "FAIL", "%s vs DuckDB: %s" % (label, msg)
    return "ok", "%d rows, %s = DuckDB" % (len(con_rows), " = ".join(outs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--veloc", default=os.path.join(ROOT, "veloc"))
    ap.add_argument("--events", type=int, default=200000)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-aot", action="store_true")
    ap.add_argument("--no-inproc", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-j", type=int, default=2)
    args = ap.parse_args()
    args.veloc = os.path.abspath(args.veloc)

    tmp = tempfile.mkdtemp(prefix="nexmark_check.")
    try:
        data = generate(tmp, args.events, args.rate)
        qdir = os.path.join(tmp, "queries")
        shutil.copytree(os.path.join(HERE, "queries"), qdir)
        os.makedirs(os.path.join(tmp, "out"))
        os.makedirs(os.path.join(tmp, "jobs"))
        names = sorted((f[:-4] for f in os.listdir(qdir) if re.fullmatch(r"q\d+\w*\.sql", f)),
                       key=lambda n: (int(re.match(r"q(\d+)", n).group(1)), n))
        names = [n for n in names if args.only in n]

        con = duckdb.connect()
        duckdb_views(con, data)
        expected = {}
        for n in names:
            dsql = os.path.join(qdir, "duckdb", n + ".sql")
            expected[n] = con.execute(open(dsql).read()).fetchall() if os.path.exists(dsql) else None

        passed = failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as ex:
            futs = {n: ex.submit(check_query, n, args, tmp, qdir, expected[n]) for n in names}
            for n in names:
                try:
                    status, msg = futs[n].result()
                except Exception as e:  # a crash of the checker itself is a failure too
                    status, msg = "FAIL", "checker error: %r" % e
                print("%-4s %-5s %s" % (status, n, msg), flush=True)
                if status == "ok":
                    passed += 1
                else:
                    failed += 1
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    finally:
        if args.keep:
            print("kept " + tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
