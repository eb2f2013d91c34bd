#!/usr/bin/env python3
"""Run the shared conformance cases (../shared/conformance/run.py) through
both backends and fail on any failure, except the cases listed in
tests/conformance-known.txt, each with the reason we believe the case itself
is wrong. A listed case that starts passing is reported so the entry can go."""
import os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
runner = os.path.join(root, "..", "shared", "conformance", "run.py")
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
