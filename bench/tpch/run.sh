#!/bin/sh
# TPC-H-shaped join benchmark: veloc AOT with the cost-based join order, veloc AOT
# with the written order (--disable-pass join_reorder), DuckDB with one thread, and
# each query's scan floor (a COUNT(*) job per table its plan scans: the most any
# join order could gain is written / floor).
#
#   SF=1 bench/tpch/run.sh        # scale factor (SF 1 is about 1.2 GB of CSV)
#   REPS=3                        # rounds; medians, and the median per-round reorder ratio
#   TIMEOUT=300                   # seconds per run before a variant is given up
#   ONLY=q02                      # only queries whose file name contains this
#
# Data is generated once per SF into bench/data/tpch/sf$SF/ (ignored by git);
# jobs and query copies go to bench/tpch/out/. Writes bench/tpch/RESULTS.md and
# the TPC-H section of bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/../.."
SF=${SF:-1}
export SF
DATA=bench/data/tpch/sf$SF
mkdir -p bench/data/tpch
[ -f bench/data/tpch/.gitignore ] || echo '*' > bench/data/tpch/.gitignore
[ -f bench/tpch/.gitignore ] || echo 'out/' > bench/tpch/.gitignore
if [ ! -f "$DATA/GENERATED" ]; then
    echo "generating SF $SF into $DATA" >&2
    python3 tests/tpch/gen_tpch.py --sf "$SF" --out "$DATA" --skew star
fi
[ -x ./veloc ] || { echo "build veloc first: make -j2" >&2; exit 2; }
exec python3 bench/tpch/bench.py
