#!/usr/bin/env python3
"""EXPLAIN ANALYZE end to end: `veloc explain --analyze` (text and JSON) and
the EXPLAIN ANALYZE statement run a star join over generated CSV files, and
every operator's actual rows must be what sqlite3 counts for the same
sub-query; each q-error must be max(est/act, act/est) of the printed
figures; the hash join must show its table's estimated and actual bytes,
and the range of build keys its bitmap spans (dim's north keys 4..40: 37);
the sampled CPU milliseconds per operator must be present, whole ticks,
and together no more than the CPU time the process used.

usage: explain_analyze.py --veloc ./veloc
"""
import argparse, json, os, re, resource, sqlite3, subprocess, sys, tempfile

FACT_ROWS, DIM_ROWS = 30000, 40
BITMAP_VALUES = 40 - 4 + 1  # the north dims' keys (multiples of 4) span 4..40


def write_data(d):
    with open(os.path.join(d, "fact.csv"), "w") as f:
        f.write("id,dk,amount\n")
        for i in range(1, FACT_ROWS + 1):
            f.write(f"{i},{i % DIM_ROWS + 1},{(i * 37) % 1000}.{i % 100:02d}\n")
    with open(os.path.join(d, "dim.csv"), "w") as f:
        f.write("dk,name,region\n")
        for k in range(1, DIM_ROWS + 1):
            f.write(f"{k},d{k},{'north' if k % 4 == 0 else 'south'}\n")


TABLES = """CREATE TABLE fact (id BIGINT, dk INTEGER, amount DECIMAL(8,2))
  WITH ('type' = 'file_source', 'path' = 'fact.csv', 'format' = 'csv');
CREATE TABLE dim (dk INTEGER, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'dim.csv', 'format' = 'csv');
"""
QUERY = ("SELECT name, COUNT(*) AS n FROM fact JOIN dim ON fact.dk = dim.dk "
         "WHERE amount > 500 AND region = 'north' GROUP BY name")


def expected(d):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE fact (id INTEGER, dk INTEGER, amount REAL)")
    db.execute("CREATE TABLE dim (dk INTEGER, name TEXT, region TEXT)")
    for t in ("fact", "dim"):
        with open(os.path.join(d, t + ".csv")) as f:
            rows = [line.rstrip("\n").split(",") for line in f][1:]
        db.executemany(f"INSERT INTO {t} VALUES (?, ?, ?)", rows)
    one = lambda q: db.execute(q).fetchone()[0]
    joined = one("SELECT COUNT(*) FROM fact JOIN dim ON fact.dk = dim.dk WHERE amount > 500 AND region = 'north'")
    groups = one(f"SELECT COUNT(*) FROM ({QUERY})")
    return {
        "Scan fact": one("SELECT COUNT(*) FROM fact WHERE amount > 500"),
        # its filter checked after the join's probe: every record goes into it
        "Scan fact late": one("SELECT COUNT(*) FROM fact"),
        "Scan dim": one("SELECT COUNT(*) FROM dim WHERE region = 'north'"),
        "HashJoin": joined,
        "Aggregate": groups,
        "Sink": groups,
    }


def operator_key(detail):
    for k in ("Scan fact", "Scan dim", "HashJoin", "Aggregate", "Sink"):
        if detail.startswith(k):
            return k + " late" if "filter after the probe" in detail else k
    return None


def check_qerror(what, est, act, q, fails):
    e, a = max(est, 1.0), max(act, 1.0)
    want = max(e / a, a / e)
    if abs(q - want) > 0.006 * want:
        fails.append(f"{what}: q-error {q}, want {want:.3f} for est {est} act {act}")


def check_text(out, want, fails, label):
    seen = set()
    for line in out.splitlines():
        m = re.search(r"\[(\d+)\] (.*?)  \(rows=(\d+) \w+(?:, (\d+) into the probe)?, cost=\d+(?:, hash table [\d.]+ [KMG]?B)?\)  \(actual rows=(\d+) q-error=([\d.]+)(.*)\)$", line)
        if not m:
            continue
        key = operator_key(m.group(2))
        # a late-filtered scan's actual rows are those into the probe
        est, act, q = float(m.group(4) or m.group(3)), int(m.group(5)), float(m.group(6))
        check_qerror(f"{label} [{m.group(1)}] {m.group(2)[:30]}", est, act, q, fails)
        cpu = re.search(r"cpu~(\d+) ms", m.group(7))
        if key == "HashJoin" and not re.search(r"hash table [\d.]+ [KMG]?B", m.group(7)):
            fails.append(f"{label}: the join's actual hash table size is missing: {line}")
        if key == "HashJoin" and f"key bitmap of {BITMAP_VALUES} values" not in m.group(7):
            fails.append(f"{label}: the join's key bitmap of {BITMAP_VALUES} values is missing: {line}")
        if cpu and int(cpu.group(1)) < 1:
            fails.append(f"{label}: cpu~ shown for no tick: {line}")
        if key:
            seen.add(key)
            if act != want[key]:
                fails.append(f"{label} {key}: actual rows {act}, sqlite3 counts {want[key]}")
    for k in want:
        if k not in seen and k + " late" not in seen and not k.endswith(" late"):
            fails.append(f"{label}: no analyzed line for {k}\n{out}")


def check_json(out, want, fails):
    doc = json.loads(out)
    total = 0.0
    seen = set()

    def walk(n):
        nonlocal total
        for f in ("actual_rows", "q_error", "pipeline_us", "cpu_ms_sampled", "estimated_rows"):
            if f not in n:
                fails.append(f"json operator {n.get('id')}: no {f}")
                return
        est = n.get("estimated_rows_into_probe", n["estimated_rows"])
        if n["operator"] == "HashJoin" and not (n.get("hash_table_bytes", 0) > 0 and n.get("estimated_hash_table_bytes", 0) > 0):
            fails.append(f"json [{n['id']}]: no hash table bytes, estimated and actual")
        if n["operator"] == "HashJoin" and n.get("key_bitmap_values") != BITMAP_VALUES:
            fails.append(f"json [{n['id']}]: key_bitmap_values {n.get('key_bitmap_values')}, want {BITMAP_VALUES}")
        check_qerror(f"json [{n['id']}]", est, n["actual_rows"], n["q_error"], fails)
        if n["cpu_ms_sampled"] < 0 or n["cpu_ms_sampled"] != int(n["cpu_ms_sampled"]):
            fails.append(f"json [{n['id']}]: cpu_ms_sampled {n['cpu_ms_sampled']} is not a count of 1 ms ticks")
        total += n["cpu_ms_sampled"]
        key = operator_key(f"{n['operator']} {n['detail']}")
        if key:
            seen.add(key)
            if n["actual_rows"] != want[key]:
                fails.append(f"json {key}: actual rows {n['actual_rows']}, sqlite3 counts {want[key]}")
        for c in n["inputs"]:
            walk(c)

    for s in doc["statements"]:
        walk(s)
    for k in want:
        if k not in seen and k + " late" not in seen and not k.endswith(" late"):
            fails.append(f"json: no operator for {k}")
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--veloc", default="./veloc")
    veloc = os.path.abspath(ap.parse_args().veloc)
    fails = []
    with tempfile.TemporaryDirectory() as d:
        write_data(d)
        want = expected(d)
        q = os.path.join(d, "q.sql")
        with open(q, "w") as f:
            f.write(TABLES + QUERY + ";\n")
        run = lambda *a: subprocess.run([veloc, *a], cwd=d, capture_output=True, text=True, timeout=120)
        r = run("explain", "--analyze", q)
        if r.returncode:
            fails.append(f"explain --analyze: exit {r.returncode}: {r.stderr}")
        check_text(r.stdout, want, fails, "text")

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = run("explain", "--analyze", "--format", "json", q)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode:
            fails.append(f"explain --analyze --format json: exit {r.returncode}: {r.stderr}")
        else:
            sampled = check_json(r.stdout, want, fails)
            cpu_ms = 1000 * (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            # ticks count the query thread's CPU time: never more than the
            # whole process used (one tick of slack for the rounding)
            if sampled > cpu_ms + 1:
                fails.append(f"json: {sampled} ms sampled, the process used {cpu_ms:.1f} ms of CPU")

        with open(q, "w") as f:
            f.write(TABLES + "EXPLAIN ANALYZE " + QUERY + ";\n")
        r = run("run", q)
        if r.returncode:
            fails.append(f"EXPLAIN ANALYZE statement: exit {r.returncode}: {r.stderr}")
        check_text(r.stdout, want, fails, "statement")

    for f in fails:
        print("FAIL", f)
    print(f"explain_analyze: {'ok' if not fails else str(len(fails)) + ' failures'} "
          f"(text, json and the statement; rows checked against sqlite3)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
