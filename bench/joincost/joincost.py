#!/usr/bin/env python3
"""
joincost.py -- what a hash-join probe and a build row cost against the size
of the hash table, on this machine, through veloc's own generated code.

For each table size N it times (median of REPS, cc -O2 jobs built once)
  probe: 4M probe rows, every one matching one of N build rows at random,
         probed a batch ahead (the scan prefetches each batch's slots and
         entries, as for a join a scan feeds) and, with VELO_PREFETCH_MIN
         above any table, one at a time (as for a join another join feeds);
  build: the same N-row build with a 2-row probe file;
  scan:  the 4M probe rows counted with no join.
ns per probe = (probe - build - scan) / 4M; ns per build row = (build -
2-row scan) / N. The table's bytes are EXPLAIN's estimate for the join.
Prints one markdown table; the ratios to the smallest table's costs are
what optimizer/joinorder.c's jo_cost charges (see docs/OPTIMIZER.md).

    python3 bench/joincost/joincost.py [--reps 5] [--out DIR]
"""
import argparse, os, random, re, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
VELOC = os.path.join(HERE, "..", "..", "veloc")
SIZES = [1000, 10000, 30000, 100000, 300000, 1000000, 3000000]
PROBES = 4_000_000


def write(path, header, rows):
    if os.path.exists(path):
        return
    with open(path + ".tmp", "w") as f:
        f.write(header + "\n")
        f.writelines(rows)
    os.rename(path + ".tmp", path)


def gen(d):
    rnd = random.Random(7)
    for n in SIZES:
        write(f"{d}/b{n}.csv", "k,v,s", (f"{i},{i * 7 % 1000},x{i % 97}\n" for i in range(n)))
        # keys below n: every probe finds one row; a second column keeps the
        # batch splitter (one-column files go record by record)
        write(f"{d}/p{n}.csv", "k,z", (f"{rnd.randrange(n)},1\n" for _ in range(PROBES)))
    write(f"{d}/p_small.csv", "k,z", ["0,1\n", "1,1\n"])


SQL = """CREATE TABLE p (k BIGINT, z INTEGER) WITH ('type'='file_source','path'='{probe}','format'='csv');
CREATE TABLE b (k BIGINT, v INTEGER, s STRING) WITH ('type'='file_source','path'='{build}','format'='csv');
SELECT COUNT(*) AS n, SUM(v) AS sv FROM p JOIN b ON p.k = b.k;
"""
SCAN = """CREATE TABLE p (k BIGINT, z INTEGER) WITH ('type'='file_source','path'='{probe}','format'='csv');
SELECT COUNT(*) AS n, SUM(k) AS sk FROM p;
"""


def job(d, name, text):
    sql = f"{d}/{name}.sql"
    with open(sql, "w") as f:
        f.write(text)
    subprocess.run([VELOC, "build", sql, "-o", f"{d}/{name}"], check=True, capture_output=True)
    return sql


NO_PREFETCH = dict(os.environ, VELO_PREFETCH_MIN=str(1 << 62))


def timed(path, env=None):
    """Wall seconds of one run of the job at path."""
    t0 = time.perf_counter()
    subprocess.run([path], check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "data", "joincost"))
    a = ap.parse_args()
    d = os.path.abspath(a.out)
    os.makedirs(d, exist_ok=True)
    gen(d)
    job(d, "scan_small", SCAN.format(probe=f"{d}/p_small.csv"))
    rows = []
    for n in SIZES:
        sql = job(d, f"probe{n}", SQL.format(probe=f"{d}/p{n}.csv", build=f"{d}/b{n}.csv"))
        job(d, f"build{n}", SQL.format(probe=f"{d}/p_small.csv", build=f"{d}/b{n}.csv"))
        job(d, f"scan{n}", SCAN.format(probe=f"{d}/p{n}.csv"))
        ex = subprocess.run([VELOC, "explain", sql], check=True, capture_output=True, text=True).stdout
        m = re.search(r"hash table ([0-9.]+) (KB|MB|GB|B)", ex)
        mb = float(m.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)] if m else float("nan")
        for name in (f"probe{n}", f"build{n}", f"scan{n}", "scan_small"):
            timed(f"{d}/{name}")  # warm the page cache
        # alternate the four jobs so each round shares the same minute
        t = {k: [] for k in ("probe", "single", "build", "scan", "small")}
        for _ in range(a.reps):
            t["probe"].append(timed(f"{d}/probe{n}"))
            t["single"].append(timed(f"{d}/probe{n}", NO_PREFETCH))
            t["build"].append(timed(f"{d}/build{n}"))
            t["scan"].append(timed(f"{d}/scan{n}"))
            t["small"].append(timed(f"{d}/scan_small"))
        med = {k: statistics.median(v) for k, v in t.items()}
        base = med["build"] + med["scan"] - med["small"]
        probe_ns = max(med["probe"] - base, 0) / PROBES * 1e9
        single_ns = max(med["single"] - base, 0) / PROBES * 1e9
        build_ns = max(med["build"] - med["small"], 0) / n * 1e9
        rows.append((n, mb, probe_ns, single_ns, build_ns))
        print(f"N={n}: table {mb:.2f} MB, {probe_ns:.1f} ns/probe ahead, {single_ns:.1f} one at a time, {build_ns:.1f} ns/build row",
              file=sys.stderr)
    p0 = rows[0][2]
    print("| build rows | hash table | ns per probe, batch ahead | / smallest | ns per probe, one at a time | / smallest batch ahead | ns per build row |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, mb, p, one, b in rows:
        print(f"| {n} | {mb:.2f} MB | {p:.1f} | {p / p0:.2f} | {one:.1f} | {one / p0:.2f} | {b:.1f} |")


if __name__ == "__main__":
    main()
