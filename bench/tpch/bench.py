#!/usr/bin/env python3
"""TPC-H-shaped join benchmark: veloc AOT (optimized order), veloc AOT (written order,
--disable-pass join_reorder) and DuckDB single-threaded, on the same CSV files.

Called by bench/tpch/run.sh (which documents the environment variables). For each
query of tests/tpch/queries/*.sql: build both jobs once, run them in alternation
REPS rounds (median wall time; the reorder speedup is the median of the per-round
ratios; a run over TIMEOUT seconds stops that variant's repetitions), check
the optimized job's result against DuckDB's with the rules of tests/tpch/run.py,
record its estimates' q-errors from one untimed EXPLAIN ANALYZE run, and write
bench/tpch/RESULTS.md (bench/tpch/analysis.md is included verbatim).

Each round also times the query's scan floor: a `SELECT COUNT(*)` job per table
scan of its plan, one after the other. Every plan over CSV splits every record
of the tables it reads (the field count is checked on each), so written/floor
bounds the reorder speedup any plan could reach.
"""
import datetime, json, os, platform, resource, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "tpch"))
import run as T        # noqa: E402  (the test harness: SQL splitting, DuckDB views, comparison)
import duckdb          # noqa: E402

SF = os.environ.get("SF", "1")
REPS = int(os.environ.get("REPS", "3"))
TIMEOUT = float(os.environ.get("TIMEOUT", "300"))
ONLY = os.environ.get("ONLY", "")
DATA = os.path.join(ROOT, "bench", "data", "tpch", f"sf{SF}")
WORK = os.path.join(HERE, "out")
VELOC = os.path.join(ROOT, "veloc")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd):
    """Wall seconds, exit status, output, errors and the CPU seconds (user +
    system, every thread of the job) of one run; a list of commands runs them
    one after the other (the scan floor) and adds up their times."""
    if isinstance(cmd[0], list):
        secs = cpu = 0
        for c in cmd:
            t, rc, out, err, cp = timed(c)
            if t is None or rc != 0:
                return t, rc, out, err, cp
            secs, cpu = secs + t, cpu + cp
        return secs, 0, "", "", cpu
    t, c = time.time(), children_cpu()
    try:
        p = subprocess.run(cmd, cwd=WORK, capture_output=True, text=True, timeout=TIMEOUT)
        return time.time() - t, p.returncode, p.stdout, p.stderr, children_cpu() - c
    except subprocess.TimeoutExpired:
        return None, -9, "", "timeout", None


def warm_cache():
    """Reads every table once, untimed, before a query's runs. This VM pages out
    memory untouched for about a minute (a DAMON pageout scheme), page cache
    included: a mapped read of lineitem.csv after an idle minute took 0.46-0.74 s
    against 0.06 s warm, and fell on whichever run came first."""
    for f in sorted(os.listdir(DATA)):
        if f.endswith(".csv"):
            with open(os.path.join(DATA, f), "rb", buffering=0) as fh:
                while fh.read(1 << 20):
                    pass


def bench_pair(jobs):
    """Runs the jobs of one query in alternation, REPS rounds (opt, written, floor,
    opt, ...), so that the variants of a round see the same minute of this shared
    machine. Returns {var: (median, error, output)}, the per-round ratios
    {"written/opt": [...], "written/floor": [...]} and the median CPU seconds."""
    times = {v: [] for v in jobs}
    cpus = {v: [] for v in jobs}
    res = {v: (None, err, "") for v, (job, err) in jobs.items()}
    live = {v for v, (job, err) in jobs.items() if job}
    ratios = {"written/opt": [], "written/floor": []}
    for _ in range(REPS):
        got = {}
        for var in [v for v in jobs if v in live]:
            job = jobs[var][0]
            cmd = [[j, "--quiet"] for j in job] if isinstance(job, list) else [job, "--format", "csv", "--quiet"]
            secs, rc, out, err, cpu = timed(cmd)
            if secs is None or rc != 0:
                why = f"timeout > {TIMEOUT:.0f}s" if secs is None else f"exit {rc}: " + (err.strip().splitlines() or [""])[0][:120]
                res[var] = (None, why, "")
                live.discard(var)
                continue
            times[var].append(secs)
            cpus[var].append(cpu)
            got[var] = secs
            res[var] = (None, None, out)
        for r in ratios:
            a, b = r.split("/")
            if a in got and b in got:
                ratios[r].append(got[a] / got[b])
    cpu = {}
    for var in live:
        res[var] = (statistics.median(times[var]), None, res[var][2])
        cpu[var] = statistics.median(cpus[var])
    return res, ratios, cpu


def bench_duck(stmts):
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'")
    for s in stmts[:-1]:
        con.execute(T.duck_view(s, DATA))
    times, rows = [], None
    for _ in range(REPS):
        t = time.time()
        res = con.execute(stmts[-1])
        rows = res.fetchall()
        times.append(time.time() - t)
        if times[-1] > TIMEOUT:
            break
    return statistics.median(times), [[T.canon(v) for v in r] for r in rows]


def qerrors(q):
    """The optimized plan's estimates against EXPLAIN ANALYZE's actual rows:
    (operators, median q-error, max q-error, the operator with the max), or
    None when the analyzed run fails. Untimed: it runs the JIT job once."""
    try:
        p = subprocess.run([VELOC, "explain", "--analyze", "--format", "json", q], cwd=WORK,
                           capture_output=True, text=True, timeout=TIMEOUT * 3)
        doc = json.loads(p.stdout) if p.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        doc = None
    if not doc:
        return None
    ops = []  # children first: an error carried up the tree is named where it starts

    def walk(n):
        for c in n["inputs"]:
            walk(c)
        ops.append((n["q_error"], f"[{n['id']}] {n['operator']}"))

    for st in doc["statements"]:
        walk(st)
    top = max(x for x, _ in ops)
    at = next(name for x, name in ops if x >= top * 0.999)
    return len(ops), statistics.median(x for x, _ in ops), top, at


def plan_scans(q):
    """The tables the optimized plan of q scans, once per scan (a self-join
    reads its table twice), from EXPLAIN's JSON; None when it fails."""
    p = subprocess.run([VELOC, "explain", "--format", "json", q], cwd=WORK, capture_output=True, text=True)
    if p.returncode != 0:
        return None
    scans = []

    def walk(n):
        if n["operator"] == "Scan":
            scans.append(n["detail"].split()[0])
        for c in n["inputs"]:
            walk(c)

    for st in json.loads(p.stdout)["statements"]:
        walk(st)
    return scans


def floor_jobs(scans, built):
    """A `SELECT COUNT(*)` job per scanned table (built once, kept in built)."""
    prelude = open(os.path.join(ROOT, "tests", "tpch", "prelude.sql"), encoding="utf-8").read()
    jobs = []
    for t in scans:
        if t not in built:
            q = os.path.join(WORK, f"floor_{t}.sql")
            with open(q, "w", encoding="utf-8") as f:
                f.write(prelude + f"SELECT COUNT(*) AS n FROM {t};\n")
            job = os.path.join(WORK, f"floor_{t}")
            b = subprocess.run([VELOC, "build", q, "-o", job], cwd=WORK, capture_output=True, text=True)
            built[t] = job if b.returncode == 0 else None
        if not built[t]:
            return None
        jobs.append(built[t])
    return jobs


def du(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path) if f.endswith(".csv"))


def machine():
    cpu = platform.processor() or "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {mem} RAM, {platform.system()} {platform.release()}"


def fmt(x):
    return "—" if x is None else f"{x:.3f}"


def main():
    os.makedirs(WORK, exist_ok=True)
    link = os.path.join(WORK, "data")
    if os.path.islink(link) or os.path.exists(link):
        os.remove(link)
    os.symlink(DATA, link)
    qdir = os.path.join(ROOT, "tests", "tpch", "queries")
    names = sorted(f[:-4] for f in os.listdir(qdir) if f.endswith(".sql") and ONLY in f)
    rows, built = [], {}
    for name in names:
        q = os.path.join(WORK, name + ".sql")
        shutil.copy(os.path.join(qdir, name + ".sql"), q)
        stmts = T.split_statements(open(q, encoding="utf-8").read())
        r = {"name": name}
        jobs = {}
        for var, extra in (("opt", []), ("written", ["--disable-pass", "join_reorder"])):
            job = os.path.join(WORK, f"{name}.{var}")
            b = subprocess.run([VELOC, "build", q, "-o", job] + extra, cwd=WORK, capture_output=True, text=True)
            jobs[var] = (job, None) if b.returncode == 0 else (None, "build failed")
        scans = plan_scans(q)
        fj = floor_jobs(scans, built) if scans else None
        jobs["floor"] = (fj, None) if fj else (None, "no plan")
        r["scans"] = scans or []
        warm_cache()
        res, r["ratios"], r["cpu"] = bench_pair(jobs)
        for var, (secs, err, out) in res.items():
            r[var], r[var + "_err"], r[var + "_out"] = secs, err, out
        warm_cache()
        r["duck"], drows = bench_duck(stmts)
        check = r["opt_err"] or "ok"
        if r["opt"] is not None:
            vr = T.parse_csv(r["opt_out"])[1:]
            why = T.compare(vr, drows, T.outer_order_by(stmts[-1]))
            check = "ok" if not why else "WRONG: " + why[:80]
        if r["written"] is None and check == "ok":
            check = "ok (written: " + r["written_err"] + ")"
        r["check"] = check
        r["qerr"] = qerrors(q)
        rows.append(r)
        log(f"{name}: opt {fmt(r['opt'])} written {fmt(r['written'])} duckdb {fmt(r['duck'])}  {check}")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    gen = open(os.path.join(DATA, "GENERATED")).read().strip()
    out = [f"# TPC-H-shaped join benchmark (cost-based join order)", "",
           f"- Date: {datetime.date.today().isoformat()}",
           f"- Machine: {machine()}",
           f"- Commit: {commit}{' (working tree has uncommitted changes)' if dirty else ''}",
           f"- Command: `SF={SF} REPS={REPS} TIMEOUT={TIMEOUT:.0f} bench/tpch/run.sh`",
           f"- Data: `tests/tpch/gen_tpch.py {gen}` → {du(DATA) / 1e6:.0f} MB of CSV in bench/data/tpch/sf{SF}/",
           f"- DuckDB {duckdb.__version__}, `SET threads = 1`, views over `read_csv` with the declared types "
           "(it parses the CSV on every run, as veloc does)",
           f"- Times: wall seconds, median of {REPS}, whole job (CSV parsing included; veloc jobs built once "
           "with `veloc build`, cc -O2), every table read once untimed before each query's veloc runs and its DuckDB runs. The veloc jobs of a query (optimized, written order, the floor's) run in alternation, and the reorder "
           f"speedup is the median of the {REPS} per-round ratios (their range in brackets), so that both "
           "sides of a ratio share the same minute of this shared machine. "
           "`check` compares the optimized job's output to DuckDB's. `CPU`: user + system seconds of the "
           "optimized job, median (its query work is one thread; a second maps file pages ahead, "
           "`VELO_MAP_AHEAD`). `scan floor`: the `SELECT COUNT(*)` jobs of the tables the plan scans, "
           "run one after the other in the same round (every plan over CSV splits every record of "
           "its tables); `bound` = written / floor, per round, the most any join order could gain.", "",
           "| query | veloc optimized | CPU | veloc written order | scan floor | DuckDB 1 thread | "
           "reorder speedup (written/optimized) | bound (written/floor) | veloc/DuckDB | check |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    speed, vs = [], []
    for r in rows:
        ro, rf = r["ratios"]["written/opt"], r["ratios"]["written/floor"]
        sp = statistics.median(ro) if r["opt"] and r["written"] and ro else None
        bound = statistics.median(rf) if rf else None
        v = r["opt"] / r["duck"] if r["opt"] and r["duck"] else None
        if sp and r["check"].startswith("ok"):
            speed.append(sp)
        if v and r["check"].startswith("ok"):
            vs.append(v)
        w = fmt(r["written"]) if r["written"] is not None else r["written_err"]
        o = fmt(r["opt"]) if r["opt"] is not None else r["opt_err"]
        spd = "—" if sp is None else f"{sp:.2f}× ({min(ro):.2f}-{max(ro):.2f})"
        bnd = "—" if bound is None else f"{bound:.2f}×"
        out.append(f"| {r['name']} | {o} | {fmt(r['cpu'].get('opt'))} | {w} | {fmt(r.get('floor'))} | {fmt(r['duck'])} | "
                   f"{spd} | {bnd} | {'—' if v is None else f'{v:.2f}'} | {r['check']} |")
    gm = lambda xs: statistics.geometric_mean(xs) if xs else None
    out += ["", f"Queries measured correct in both veloc variants: {len(speed)} of {len(rows)}; "
            f"geometric mean reorder speedup {'—' if not speed else f'{gm(speed):.2f}×'}; "
            f"geometric mean veloc/DuckDB time {'—' if not vs else f'{gm(vs):.2f}'} (< 1: veloc faster).", ""]
    out += ["### Estimates (EXPLAIN ANALYZE of the optimized plan)", "",
            "q-error = max(estimate / actual, actual / estimate) per operator, both at least 1; "
            "one untimed `veloc explain --analyze` run per query (libtcc). `at`: the lowest operator "
            "with the largest q-error (those above it inherit it).", "",
            "| query | operators | median q-error | max q-error | at |", "|---|---:|---:|---:|---|"]
    for r in rows:
        qe = r.get("qerr")
        out.append(f"| {r['name']} | — | — | — | analyzed run failed |" if not qe else
                   f"| {r['name']} | {qe[0]} | {qe[1]:.2f} | {qe[2]:.2f} | {qe[3]} |")
    ok = [r["qerr"] for r in rows if r.get("qerr")]
    if ok:
        out += ["", f"Median over queries of the median q-error {statistics.median(q[1] for q in ok):.2f}; "
                f"queries whose worst estimate is within 2x: {sum(q[2] <= 2 for q in ok)} of {len(ok)}.", ""]
    an = os.path.join(HERE, "analysis.md")
    if os.path.exists(an):
        out += [open(an, encoding="utf-8").read().rstrip(), ""]
    with open(os.path.join(HERE, "RESULTS.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    log("wrote bench/tpch/RESULTS.md")
    if not ONLY:
        sync_main_results()


def sync_main_results():
    """Copy the table of bench/tpch/RESULTS.md (everything before its analysis)
    into bench/RESULTS.md between the tpch markers, so that the one results file
    the README points at carries every benchmark; the analysis stays here."""
    src = open(os.path.join(HERE, "RESULTS.md"), encoding="utf-8").read()
    table = src.split("\n## Analysis", 1)[0].rstrip().split("\n")
    table[0] = "## TPC-H-shaped joins (bench/tpch)"
    sec = "\n".join(["<!-- tpch:begin (written by bench/tpch/bench.py; edit bench/tpch/analysis.md) -->"]
                    + table + ["", "The analysis of this run (the star and snowflake queries round by round, "
                               "and what changed since the previous run) is in bench/tpch/RESULTS.md.",
                               "<!-- tpch:end -->"])
    main_res = os.path.join(ROOT, "bench", "RESULTS.md")
    text = open(main_res, encoding="utf-8").read() if os.path.exists(main_res) else "# Benchmark results\n"
    b, e = text.find("<!-- tpch:begin"), text.find("<!-- tpch:end -->")
    if b >= 0 and e > b:
        text = text[:b] + sec + text[e + len("<!-- tpch:end -->"):]
    else:
        text = text.rstrip() + "\n\n" + sec + "\n"
    with open(main_res, "w", encoding="utf-8") as f:
        f.write(text)
    log("wrote the TPC-H section of bench/RESULTS.md")


if __name__ == "__main__":
    if sys.argv[1:] == ["--sync-results"]:
        sync_main_results()
    else:
        main()
