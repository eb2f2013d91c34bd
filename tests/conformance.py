#!/usr/bin/env python3
"""Run the shared conformance cases (../shared/conformance/run.py) through
both backends and fail on any failure, except the cases listed in
tests/conformance-known.txt, each with the reason we believe the case itself
is wrong. A listed case that starts passing is reported so the entry can go."""
import os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def shared_dirs():
    """Where the shared directory may be: $VELO_SHARED, beside this checkout,
    or beside the local repository it was cloned from (a clone made
    elsewhere, as in `git clone /work/main /tmp/x`)."""
    if os.environ.get("VELO_SHARED"):
        yield os.environ["VELO_SHARED"]
    yield os.path.join(root, "..", "shared")
    g = subprocess.run(["git", "-C", root, "remote", "get-url", "origin"], capture_output=True, text=True)
    origin = g.stdout.strip()
    if g.returncode == 0 and os.path.isdir(origin):
        yield os.path.join(origin, "..", "shared")


runner = next((r for r in (os.path.join(d, "conformance", "run.py") for d in shared_dirs()) if os.path.isfile(r)), None)
if runner is None:
    print("conformance: no shared/conformance/run.py beside this checkout or its origin; set VELO_SHARED")
    sys.exit(1)
known = {}
for line in open(os.path.join(here, "conformance-known.txt")):
    line = line.strip()
    if line and not line.startswith("#"):
        name, _, why = line.partition(" ")
        known[name] = why.strip()
p = subprocess.run([sys.executable, runner, "--veloc", os.path.join(root, "veloc"), "--aot"], capture_output=True, text=True)
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
failed = [m.group(1) for m in re.finditer(r"^FAIL (\S+) \[", p.stdout, re.M)]
unexpected = [f for f in failed if f not in known]
for name, why in known.items():
    if name in failed:
        print(f"known: {name} fails as documented: {why}")
    else:
        print(f"note: {name} passes now; remove it from tests/conformance-known.txt")
if unexpected or not re.search(r"^\d+ passed, \d+ failed$", p.stdout, re.M):
    print(f"conformance: unexpected failures: {sorted(set(unexpected))}")
    sys.exit(1)
sys.exit(0)
