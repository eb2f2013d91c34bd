#!/usr/bin/env python3
"""Stream-stream interval joins over two watched files, JIT and AOT.

The two inputs (a CSV file and a JSON Lines file, both 'watching') are fed
in chunks while the job runs, then the job gets SIGTERM once it has written
every row it should. Its rows must equal DuckDB's batch join of the same
data with the same time condition, and the end-of-run summary must show that
the join's state stayed bounded: few rows kept at any time, the rest evicted
by watermark, nothing late.

  1. ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND
     a.ts + INTERVAL '5' SECOND, rows to stdout; the same as a comma join
     with the key and the bound (as comparisons) in WHERE;
  2. JOIN ... WITHIN 5s feeding a TUMBLING(1m) window: every window closes
     through the watermark the join passes on (a final pair far in the
     future closes them all) and equals DuckDB's GROUP BY over the pairs;
  3. the FULL JOIN of 1.: each unmatched row comes out padded with NULLs
     when the other input's watermark passes its bound (the final pair
     passes them all);
  4. a row behind its input's watermark is late: dead-lettered, not joined;
  5. an input silent for 'watermark.idle.timeout' stops holding back the
     other input's rows (LEFT JOIN: they come out padded).

usage: tests/streaming/interval_join.py [--veloc PATH]   prints `N passed, N failed`
"""
import argparse, csv, datetime, io, json, os, random, re, shutil, signal, subprocess, sys, tempfile, time

N = 5000          # rows per input
KEYS = 25
CHUNK = 250       # rows appended per write
STATE_CAP = 1000  # kept rows per input: two read batches (256) plus the rows a bound spans
BASE = datetime.datetime(2026, 3, 2, 9, 0, 0)

passed = failed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok   " + msg)


def bad(msg, *info):
    global failed
    failed += 1
    print("FAIL " + msg)
    for line in info:
        print("  " + str(line)[:2000])


def ts_text(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def gen(seed, far_key=None):
    """N rows one second apart on average, each up to 3 s out of order
    (the sources allow 5 s); with far_key, a last row an hour later."""
    rnd = random.Random(seed)
    rows = []
    for i in range(N):
        t = BASE + datetime.timedelta(seconds=i, milliseconds=rnd.randrange(0, 3000))
        rows.append((i, "k%02d" % rnd.randrange(KEYS), t, rnd.randrange(1, 1000)))
    if far_key:
        rows.append((N, far_key, BASE + datetime.timedelta(seconds=N + 3600), 1))
    return rows


def a_lines(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for i, k, t, v in rows:
        w.writerow([i, k, ts_text(t), v])
    return out.getvalue()


def b_lines(rows):
    return "".join(json.dumps({"id": i, "k": k, "ts": ts_text(t), "w": w, "name": "n,%d" % i}) + "\n" for i, k, t, w in rows)


SOURCES = """CREATE STREAM a (id INTEGER, k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'a.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '5s', 'watching' = 'true');
CREATE STREAM b (id INTEGER, k STRING, ts TIMESTAMP, w INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'b.jsonl', 'format' = 'jsonl',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '5s', 'watching' = 'true');
"""

PAIRS_SQL = SOURCES + """SELECT a.id AS aid, b.id AS bid, a.k, a.v, b.w, b.name FROM a JOIN b
  ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '5' SECOND;
"""

WHERE_SQL = SOURCES + """SELECT a.id AS aid, b.id AS bid, a.k, a.v, b.w, b.name FROM a, b
  WHERE b.ts >= a.ts - INTERVAL '10' SECOND AND a.k = b.k AND a.ts + INTERVAL '5' SECOND >= b.ts;
"""

FULL_SQL = SOURCES + """SELECT a.id AS aid, b.id AS bid, a.k AS ak, b.k AS bk FROM a FULL JOIN b
  ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '5' SECOND;
"""

WINDOW_SQL = SOURCES + """SELECT a.k, _WINDOW_START AS ws, COUNT(*) AS n, SUM(b.w) AS sw
  FROM a JOIN b WITHIN 5s ON a.k = b.k GROUP BY a.k WINDOW TUMBLING(1m);
"""


def duck(d, query):
    import duckdb
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE a AS SELECT * FROM read_csv('{d}/a.csv', header = true,
        columns = {{'id': 'INTEGER', 'k': 'VARCHAR', 'ts': 'TIMESTAMP', 'v': 'INTEGER'}})""")
    con.execute(f"""CREATE TABLE b AS SELECT * FROM read_json('{d}/b.jsonl', format = 'newline_delimited',
        columns = {{'id': 'INTEGER', 'k': 'VARCHAR', 'ts': 'TIMESTAMP', 'w': 'INTEGER', 'name': 'VARCHAR'}})""")
    return con.execute(query).fetchall()


def norm(v):
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def run_job(cmd, d, a_rows, b_rows, want_rows):
    """Starts the job on the first chunk of each file, appends the rest in
    turns, waits (bounded) for want_rows output rows, then sends SIGTERM.
    Returns (exit code, stdout lines, stderr)."""
    with open(os.path.join(d, "a.csv"), "w") as f:
        f.write("id,k,ts,v\n" + a_lines(a_rows[:CHUNK]))
    with open(os.path.join(d, "b.jsonl"), "w") as f:
        f.write(b_lines(b_rows[:CHUNK]))
    out, err = open(os.path.join(d, "out"), "w"), open(os.path.join(d, "err"), "w")
    job = subprocess.Popen(cmd, cwd=d, stdout=out, stderr=err)
    for i in range(CHUNK, max(len(a_rows), len(b_rows)), CHUNK):
        with open(os.path.join(d, "a.csv"), "a") as f:
            f.write(a_lines(a_rows[i:i + CHUNK]))
        time.sleep(0.02)
        with open(os.path.join(d, "b.jsonl"), "a") as f:
            f.write(b_lines(b_rows[i:i + CHUNK]))
        time.sleep(0.02)
    deadline = time.time() + 60  # a bound on the wait, not an assertion
    while time.time() < deadline:
        with open(os.path.join(d, "out")) as f:
            if sum(1 for _ in f) - 1 >= want_rows:
                break
        time.sleep(0.05)
    time.sleep(0.2)  # rows beyond the expected ones would show up here
    job.send_signal(signal.SIGTERM)
    rc = job.wait(timeout=60)
    out.close()
    err.close()
    with open(os.path.join(d, "out")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(d, "err")) as f:
        return rc, lines, f.read()


STATE_RE = re.compile(r"interval join \[\d+\] (left|right) state: (\d+) rows? at the end \(peak (\d+)\), (\d+) evicted")


def check_state(name, stderr, total):
    """Both inputs' state stayed small (without eviction it would reach
    `total` rows); many rows were evicted."""
    sides = STATE_RE.findall(stderr)
    good = len(sides) == 2 and "late record" not in stderr
    for _, end, peak, evicted in sides:
        good = good and int(peak) <= STATE_CAP and int(end) <= STATE_CAP
    # a row that arrives after the other input's watermark passed its bound
    # is never kept; the rest of the 2 * total rows must have been evicted
    good = good and sum(int(e) for _, _, _, e in sides) >= total - STATE_CAP
    if good:
        ok(f"{name}: state bounded ({'; '.join(f'{s}: peak {p}, {e} evicted' for s, _, p, e in sides)})")
    else:
        bad(f"{name}: state not bounded, or late records", stderr)


def case(veloc, d, mode, sql, name, a_rows, b_rows, expected, total):
    path = os.path.join(d, name + ".sql")
    with open(path, "w") as f:
        f.write(sql)
    if mode == "aot":
        job = os.path.join(d, name + "_job")
        r = subprocess.run([veloc, "build", path, "-o", job], capture_output=True, text=True)
        if r.returncode != 0:
            bad(f"{name} ({mode}): build", r.stderr)
            return
        cmd = [job, "--format", "csv"]
    else:
        cmd = [veloc, "run", path, "--format", "csv"]
    rc, lines, stderr = run_job(cmd, d, a_rows, b_rows, len(expected))
    got = sorted(tuple(next(csv.reader([l]))) for l in lines[1:])
    if rc == 0 and got == expected:
        ok(f"{name} ({mode}): {len(got)} rows equal DuckDB's batch join")
    else:
        missing = [r for r in expected if r not in set(got)][:5]
        extra = [r for r in got if r not in set(expected)][:5]
        bad(f"{name} ({mode}): exit {rc}, {len(got)} rows, expected {len(expected)}", f"missing {missing}", f"extra {extra}", stderr)
    check_state(f"{name} ({mode})", stderr, total)


def late_case(veloc, d, mode):
    """A left row behind the left watermark is late: dead-lettered, never
    joined (its partners may be gone), counted in the summary."""
    with open(os.path.join(d, "a.csv"), "w") as f:
        f.write("id,k,ts,v\n0,k1,2026-03-02 10:00:00,1\n1,k1,2026-03-02 10:01:00,1\n2,k1,2026-03-02 09:59:58,1\n")
    with open(os.path.join(d, "b.jsonl"), "w") as f:
        f.write(b_lines([(0, "k1", datetime.datetime(2026, 3, 2, 10, 0, 2), 5)]))
    path = os.path.join(d, "late.sql")
    with open(path, "w") as f:
        f.write(PAIRS_SQL)
    cmd = [veloc, "run", path, "--format", "csv"]
    if mode == "aot":
        subprocess.run([veloc, "build", path, "-o", os.path.join(d, "late_job")], check=True)
        cmd = [os.path.join(d, "late_job"), "--format", "csv"]
    out, err = open(os.path.join(d, "out"), "w"), open(os.path.join(d, "err"), "w")
    job = subprocess.Popen(cmd, cwd=d, stdout=out, stderr=err)
    deadline = time.time() + 30  # a bound on the wait, not an assertion
    while time.time() < deadline:
        with open(os.path.join(d, "err")) as f:
            if "late record" in f.read():
                break
        time.sleep(0.05)
    time.sleep(0.2)
    job.send_signal(signal.SIGTERM)
    rc = job.wait(timeout=60)
    out.close()
    err.close()
    with open(os.path.join(d, "out")) as f:
        got = f.read().splitlines()
    with open(os.path.join(d, "err")) as f:
        stderr = f.read()
    want = ["aid,bid,k,v,w,name", '0,0,k1,1,5,"n,0"']
    if rc == 0 and got == want and "late record: event time 2026-03-02 09:59:58 is behind the watermark 2026-03-02 10:00:55" in stderr \
            and "1 late record \u2192 dead-letter" in stderr:
        ok(f"late ({mode}): a row behind its input's watermark is dead-lettered, not joined")
    else:
        bad(f"late ({mode}): exit {rc}", got, stderr)


def idle_case(veloc, d, mode):
    """LEFT JOIN while the right input falls silent: after its
    'watermark.idle.timeout' its watermark moves up to the left one, and
    the left rows that bound passes come out padded with NULLs."""
    t0 = datetime.datetime(2026, 3, 2, 10, 0, 0)
    a = [(i, "k%d" % (i % 3), t0 + datetime.timedelta(seconds=5 * i), i) for i in range(60)]
    b = [(i, "k%d" % (i % 3), t0 + datetime.timedelta(seconds=2 * i + 1), 10 + i) for i in range(6)]
    with open(os.path.join(d, "a.csv"), "w") as f:
        f.write("id,k,ts,v\n" + a_lines(a))
    with open(os.path.join(d, "b.jsonl"), "w") as f:
        f.write(b_lines(b))
    sql = SOURCES.replace("'watching' = 'true');", "'watching' = 'true', 'watermark.idle.timeout' = '1s');")
    sql += """SELECT a.id AS aid, b.id AS bid FROM a LEFT JOIN b
  ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '5' SECOND;
"""
    path = os.path.join(d, "idle.sql")
    with open(path, "w") as f:
        f.write(sql)
    cmd = [veloc, "run", path, "--format", "csv"]
    if mode == "aot":
        subprocess.run([veloc, "build", path, "-o", os.path.join(d, "idle_job")], check=True)
        cmd = [os.path.join(d, "idle_job"), "--format", "csv"]
    # matches, then every unmatched left row whose bound the final left
    # watermark (last time - 5 s out-of-orderness) has passed
    wm = a[-1][2] - datetime.timedelta(seconds=5)
    want = set()
    for ai, ak, at, _ in a:
        m = [bi for bi, bk, bt, _ in b if bk == ak and at - datetime.timedelta(seconds=10) <= bt <= at + datetime.timedelta(seconds=5)]
        want |= {(str(ai), str(bi)) for bi in m}
        if not m and at + datetime.timedelta(seconds=5) < wm:
            want.add((str(ai), ""))
    out, err = open(os.path.join(d, "out"), "w"), open(os.path.join(d, "err"), "w")
    job = subprocess.Popen(cmd, cwd=d, stdout=out, stderr=err)
    deadline = time.time() + 30  # a bound on the wait, not an assertion
    while time.time() < deadline:
        with open(os.path.join(d, "out")) as f:
            if sum(1 for _ in f) - 1 >= len(want):
                break
        time.sleep(0.05)
    time.sleep(0.2)
    job.send_signal(signal.SIGTERM)
    rc = job.wait(timeout=60)
    out.close()
    err.close()
    with open(os.path.join(d, "out")) as f:
        got = [tuple(next(csv.reader([l]))) for l in f.read().splitlines()[1:]]
    if rc == 0 and sorted(got) == sorted(want) and len(want) > 40:
        ok(f"idle ({mode}): a silent right input stops holding back the left rows ({len(want)} rows)")
    else:
        bad(f"idle ({mode}): exit {rc}, {len(got)} rows, expected {len(want)}", sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--veloc", default=os.path.join(os.path.dirname(__file__), "..", "..", "veloc"))
    veloc = os.path.abspath(ap.parse_args().veloc)
    d = tempfile.mkdtemp(prefix="velo_ijoin_")
    try:
        a_rows, b_rows = gen(1), gen(2)
        with open(os.path.join(d, "a.csv"), "w") as f:
            f.write("id,k,ts,v\n" + a_lines(a_rows))
        with open(os.path.join(d, "b.jsonl"), "w") as f:
            f.write(b_lines(b_rows))
        pairs = sorted(tuple(norm(v) for v in r) for r in duck(d, """SELECT a.id, b.id, a.k, a.v, b.w, b.name FROM a JOIN b
            ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '5' SECOND"""))
        wa, wb = gen(3, "zz"), gen(4, "zz")
        with open(os.path.join(d, "a.csv"), "w") as f:
            f.write("id,k,ts,v\n" + a_lines(wa))
        with open(os.path.join(d, "b.jsonl"), "w") as f:
            f.write(b_lines(wb))
        windows = sorted(tuple(norm(v) for v in r) for r in duck(d, """SELECT a.k, time_bucket(INTERVAL '1' MINUTE, a.ts) AS ws,
            COUNT(*), SUM(b.w) FROM a JOIN b ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '5' SECOND AND a.ts + INTERVAL '5' SECOND
            WHERE a.k <> 'zz' GROUP BY 1, 2"""))
        full = sorted(tuple(norm(v) for v in r) for r in duck(d, """SELECT a.id, b.id, a.k, b.k FROM a FULL JOIN b
            ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '5' SECOND"""))
        unmatched = sum(1 for r in full if "" in r)
        if len(pairs) < N // 2 or len(windows) < 500 or unmatched < 1000:
            bad("test data: too few matches to mean anything", len(pairs), len(windows), unmatched)
        for mode in ("jit", "aot"):
            case(veloc, d, mode, PAIRS_SQL, "pairs", a_rows, b_rows, pairs, N)
            case(veloc, d, mode, WHERE_SQL, "where", a_rows, b_rows, pairs, N)
            case(veloc, d, mode, WINDOW_SQL, "window", wa, wb, windows, N)
            case(veloc, d, mode, FULL_SQL, "full", wa, wb, full, N)
            late_case(veloc, d, mode)
            idle_case(veloc, d, mode)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
