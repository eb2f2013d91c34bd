#!/usr/bin/env python3
"""Golden SQL tests: every case runs through both backends, JIT and AOT.

Layout: tests/sql/cases/<group>/<name>.sql, data files beside it (shared data in
tests/sql/data/, referenced as '../../data/x.csv'), and either
  <name>.expected  exact stdout of `veloc run <name>.sql --format csv --quiet`
  <name>.error     lines `exit N`, `stderr <exact line>`, `stderr-regex RE`
and optionally, beside a .expected,
  <name>.stderr    lines in .error syntax that the stderr of both the JIT run and
                   the AOT job must satisfy (dead letters, warnings); a case with
                   a .stderr file also checks that stderr against it
An optional first line `-- args: --format table` replaces the default arguments
(`--disable-pass NAME` among them goes to `veloc build` for the AOT half).
A leading comment line `-- jit-only: REASON` skips the AOT half (for scripts of
only SHOW/DESCRIBE, which `veloc build` rejects: there is no job to build).

For each case: JIT stdout must equal .expected byte for byte; the AOT job
(`veloc build` into a temp dir, then run with the same args, cwd = case dir)
must print exactly what the JIT printed; exit codes must match.  Error cases
check the stderr lines; compile errors must fail `veloc build` the same way.

usage: run_golden.py [--veloc PATH] [--case SUBSTR] [--jit-only] [-j N]
                     [--update | --update-all] [--veloc-asan PATH]
--update writes .expected from the JIT output for cases lacking one
(--update-all: for every non-error case) and prints each file written:
review them before committing.  A case without .expected fails.
"""
import argparse, concurrent.futures, difflib, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
DEFAULT_ARGS = ["--format", "csv", "--quiet"]
TIMEOUT = 300


def find_cases(filt):
    out = []
    for root, _, files in os.walk(CASES):
        for f in sorted(files):
            if f.endswith(".sql"):
                path = os.path.join(root, f)
                name = os.path.relpath(path, CASES)[:-4]
                if not filt or filt in name:
                    out.append((name, path))
    return sorted(out)


def case_args(sql_path):
    with open(sql_path, encoding="utf-8", errors="replace") as f:
        first = f.readline()
    m = re.match(r"\s*--\s*args:(.*)$", first)
    return m.group(1).split() if m else list(DEFAULT_ARGS)


def split_compile_args(args):
    """(compile options, job options): `--disable-pass NAME` is the compiler's, so
    the AOT half passes it to `veloc build`, not to the job."""
    comp, job, i = [], [], 0
    while i < len(args):
        if args[i] == "--disable-pass" and i + 1 < len(args):
            comp += args[i:i + 2]
            i += 2
        else:
            job.append(args[i])
            i += 1
    return comp, job


def case_jit_only(sql_path):
    """True when a leading comment line says `-- jit-only: reason`."""
    with open(sql_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.lstrip().startswith("--"):
                return False
            if re.match(r"\s*--\s*jit-only:", line):
                return True
    return False


def run(cmd, cwd):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT)
        # surrogateescape keeps invalid UTF-8 bytes exact through compare and --update
        return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -999, "", "timeout after %ds" % TIMEOUT
    except OSError as e:
        return -998, "", "cannot run %s: %s" % (cmd[0], e)


def diff(expected, got, a, b):
    lines = difflib.unified_diff(expected.splitlines(True), got.splitlines(True), a, b)
    out = "".join(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n" for l in lines)
    return out or "(outputs differ only in invisible ways: %r vs %r)\n" % (expected[-40:], got[-40:])


def check_error(spec_path, code, err):
    """Return a list of problems with (code, stderr) against a .error file."""
    problems = []
    err_lines = err.splitlines()
    for line in open(spec_path, encoding="utf-8").read().splitlines():
        kind, _, val = line.partition(" ")
        if not line.strip() or line.startswith("#"):
            continue
        if kind == "exit":
            if code != int(val):
                problems.append("exit %d, expected %s" % (code, val))
        elif kind == "stderr":
            if val not in err_lines:
                problems.append("stderr lacks line %r" % val)
        elif kind == "stderr-regex":
            if not re.search(val, err, re.M):
                problems.append("stderr lacks /%s/" % val)
        else:
            problems.append("bad line in %s: %r" % (os.path.basename(spec_path), line))
    if problems:
        problems.append("stderr was:\n" + err.rstrip())
    return problems


def run_case(name, sql, opts, tmp):
    """Return (ok, message, written_file_or_None)."""
    cwd = os.path.dirname(sql)
    base = sql[:-4]
    args = case_args(sql)
    comp_args, job_args = split_compile_args(args)
    veloc = opts.veloc_asan or opts.veloc
    exp_path, err_path = base + ".expected", base + ".error"
    stderr_path = base + ".stderr"
    jc, jout, jerr = run([veloc, "run", sql] + args, cwd)
    msgs, written = [], None
    jit_only = opts.jit_only or case_jit_only(sql)

    if os.path.exists(err_path):
        msgs += ["[jit] " + p for p in check_error(err_path, jc, jerr)]
        if not jit_only:
            job = os.path.join(tmp, name.replace(os.sep, "__"))
            bc, bout, berr = run([veloc, "build", sql, "-o", job] + comp_args, cwd)
            if bc != 0:   # compile-time error: build must fail exactly like run
                msgs += ["[aot build] " + p for p in check_error(err_path, bc, berr)]
            else:         # runtime error: the job must fail the same way
                ac, aout, aerr = run([job] + job_args, cwd)
                msgs += ["[aot] " + p for p in check_error(err_path, ac, aerr)]
        return not msgs, "\n".join(msgs), None

    if jc != 0:
        msgs.append("[jit] exit %d\n%s" % (jc, jerr.rstrip()))
    if os.path.exists(stderr_path):
        msgs += ["[jit] " + p for p in check_error(stderr_path, jc, jerr)]
    if os.path.exists(exp_path) and not opts.update_all:
        expected = open(exp_path, encoding="utf-8", errors="surrogateescape", newline="").read()
        if jc == 0 and jout != expected:
            msgs.append("[jit] output differs from %s:\n%s" % (os.path.basename(exp_path),
                        diff(expected, jout, "expected", "jit")))
    elif opts.update or opts.update_all:
        if jc == 0:
            with open(exp_path, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
                f.write(jout)
            written = exp_path
    else:
        msgs.append("missing %s (generate with --update, then review)" % os.path.relpath(exp_path))

    if not jit_only:
        job = os.path.join(tmp, name.replace(os.sep, "__"))
        bc, _, berr = run([veloc, "build", sql, "-o", job] + comp_args, cwd)
        if bc != 0:
            msgs.append("[aot build] exit %d\n%s" % (bc, berr.rstrip()))
        else:
            ac, aout, aerr = run([job] + job_args, cwd)
            if ac != jc:
                msgs.append("[aot] exit %d, jit exit %d\n%s" % (ac, jc, aerr.rstrip()))
            if aout != jout:
                msgs.append("[aot] output differs from jit:\n" + diff(jout, aout, "jit", "aot"))
            if os.path.exists(stderr_path):
                msgs += ["[aot] " + p for p in check_error(stderr_path, ac, aerr)]
    return not msgs, "\n".join(msgs), written


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--veloc", default=os.path.join(HERE, "..", "..", "veloc"))
    ap.add_argument("--veloc-asan", help="run this (sanitizer) veloc binary instead of --veloc")
    ap.add_argument("--case", help="only cases whose group/name contains this")
    ap.add_argument("--jit-only", action="store_true")
    ap.add_argument("--update", action="store_true", help="write missing .expected from JIT output")
    ap.add_argument("--update-all", action="store_true", help="rewrite every .expected from JIT output")
    ap.add_argument("-j", type=int, default=2, help="parallel workers (default 2)")
    opts = ap.parse_args()
    sys.stdout.reconfigure(errors="backslashreplace")   # diffs may hold invalid UTF-8
    opts.veloc = os.path.abspath(opts.veloc)
    if opts.veloc_asan:
        opts.veloc_asan = os.path.abspath(opts.veloc_asan)

    cases = find_cases(opts.case)
    tmp = tempfile.mkdtemp(prefix="velo_golden_")
    passed = failed = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, opts.j)) as ex:
            futs = [(n, ex.submit(run_case, n, s, opts, tmp)) for n, s in cases]
            for name, fut in futs:
                ok, msg, written = fut.result()
                if written:
                    print("wrote %s (review it)" % os.path.relpath(written))
                if ok:
                    passed += 1
                    print("ok   %s" % name)
                else:
                    failed += 1
                    print("FAIL %s\n%s" % (name, msg))
                sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not cases else 0)


if __name__ == "__main__":
    main()
