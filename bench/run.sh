#!/usr/bin/env bash
# bench/run.sh — run the file benchmarks and rewrite bench/RESULTS.md.
#
#   bench/run.sh NAME|nexmark|all  NAME = a query in bench/queries/NAME.sql;
#                                nexmark = bench/nexmark/run.sh (EVENTS=..., see there);
#                                all = every file pipeline, then nexmark (NEXMARK=0 skips it)
#   ROWS=200000 bench/run.sh all  (smaller data for a quick run; default 10 M rows)
#   VELOC=path REPS=3             (defaults: ./veloc, 3 repetitions, median reported)
#   COMPILE_REPS=20               (`veloc explain` runs for the JIT compile latency)
#
# For every query: VeloStream AOT (`veloc build` once, build time reported
# apart, then the job is run), VeloStream JIT (`veloc run`), and DuckDB (python
# duckdb, SET threads=1, the query in bench/queries/duckdb/NAME.sql, result
# COPYed to bench/out/).  Wall time, CPU time and peak RSS come from
# /usr/bin/time.  A system that fails gets "failed" in its row; the run goes on.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@" # `sh bench/run.sh` (make bench) on dash
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
COMPILE_REPS=${COMPILE_REPS:-20}
VELOC=$(realpath -m "${VELOC:-./veloc}")
TIME=/usr/bin/time
Q=$ROOT/bench/queries
DATA=$ROOT/bench/data
OUT=$ROOT/bench/out
TMP=$(mktemp -d /tmp/velo_bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$DATA" "$OUT"

if [ $# -ne 1 ]; then echo "usage: bench/run.sh NAME|nexmark|all" >&2; exit 2; fi
if [ "$1" = nexmark ]; then
    bash bench/nexmark/run.sh
    exit $?
fi
if [ "$1" = all ]; then
    NAMES=$(cd "$Q" && ls *.sql | sed 's/\.sql$//')
else
    [ -f "$Q/$1.sql" ] || { echo "bench: no query $Q/$1.sql" >&2; exit 2; }
    NAMES=$1
fi

# -- data: generated once per row count -------------------------------------
cc -std=c11 -O2 -Wall -Wextra -o "$ROOT/bench/out/gen_rows" bench/gen/gen_rows.c || exit 1
if [ "$(cat "$DATA/ROWS" 2>/dev/null)" != "$ROWS" ] || [ ! -s "$DATA/events.csv" ] || [ ! -s "$DATA/events.jsonl" ]; then
    echo "bench: generating $ROWS rows into bench/data/"
    rm -f "$DATA/ROWS"
    "$OUT/gen_rows" --rows "$ROWS" --format csv --out "$DATA/events.csv" &&
        "$OUT/gen_rows" --rows "$ROWS" --format jsonl --out "$DATA/events.jsonl" &&
        echo "$ROWS" > "$DATA/ROWS" || exit 1
fi

# -- measuring ----------------------------------------------------------------
# measure LABEL CMD...: runs CMD REPS times from bench/queries, stdout to
# bench/out/LABEL.stdout; prints "wall cpu rss_kb" (medians) or "failed".
measure() {
    local label=$1; shift
    local i
    : > "$TMP/$label.times"
    for i in $(seq "$REPS"); do
        if ! (cd "$Q" && $TIME -f '%e %U %S %M' -o "$TMP/$label.t" "$@" > "$OUT/$label.stdout" 2> "$TMP/$label.err"); then
            echo "bench: $label failed:" >&2; tail -5 "$TMP/$label.err" >&2
            echo failed; return
        fi
        tail -1 "$TMP/$label.t" >> "$TMP/$label.times"
    done
    awk '{ w[NR] = $1; c[NR] = $2 + $3; m[NR] = $4 }
         function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                         return a[int((n + 1) / 2)] }
         END { printf "%s %s %s\n", med(w, NR), med(c, NR), med(m, NR) }' "$TMP/$label.times"
}

DUCK_PY='import sys, duckdb
con = duckdb.connect()
con.execute("SET threads = 1")
con.execute("SET enable_progress_bar = false")
con.execute(open(sys.argv[1]).read())'

# row LABEL RESULT DUCK_WALL: one markdown table row
row() {
    local label=$1 res=$2 duck=$3
    if [ "$res" = failed ]; then echo "| $label | failed | | | | |"; return; fi
    set -- $res
    awk -v l="$label" -v w="$1" -v c="$2" -v m="$3" -v n="$ROWS" -v d="$duck" 'BEGIN {
        ratio = (d == "" || w == 0) ? "n/a" : sprintf("%.2f", d / w)
        printf "| %s | %.2f | %s | %s | %.0f | %s |\n", l, w, (w > 0 ? sprintf("%.0f", n / w) : "n/a"),
               (c > 0 ? sprintf("%.0f", n / c) : "n/a"), m / 1024, ratio }'
}

# jit_compile_ms SQL: JIT parse-to-runnable latency, the sum of the phases of
# `veloc explain`'s "Compile timings (ms): parse X bind X optimize X codegen X
# compile X (libtcc)" line; prints "median (min-max)" over COMPILE_REPS runs.
jit_compile_ms() {
    local i
    for i in $(seq "$COMPILE_REPS"); do
        (cd "$Q" && "$VELOC" explain "$1") 2>&1 | awk '/^Compile timings \(ms\):/ {
            s = 0; for (i = 4; i < NF; i += 2) if ($(i + 1) ~ /^[0-9.]+$/) s += $(i + 1); printf "%.3f\n", s }'
    done | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f ms (min %.2f, max %.2f, %d runs)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'
}

# lines FILE: data rows in a result file (the CSV header is not counted)
lines() {
    case $1 in
    *.csv) awk 'NR > 1' "$1" | wc -l ;;
    *) wc -l < "$1" ;;
    esac
}

BODY=$TMP/body.md
: > "$BODY"
for name in $NAMES; do
    echo "bench: $name"
    sql=$Q/$name.sql
    rm -f "$OUT/$name".*
    build="failed"
    if (cd "$Q" && $TIME -f '%e' -o "$TMP/build.t" "$VELOC" build "$sql" -o "$TMP/$name.job" > /dev/null 2> "$TMP/build.err"); then
        build=$(tail -1 "$TMP/build.t")
        aot=$(measure "$name.aot" "$TMP/$name.job" --quiet)
    else
        echo "bench: veloc build failed:" >&2; tail -5 "$TMP/build.err" >&2
        aot=failed
    fi
    jit=$(measure "$name.jit" "$VELOC" run "$sql" --quiet)
    duck=failed
    if [ -f "$Q/duckdb/$name.sql" ]; then
        duck=$(measure "$name.duckdb" python3 -c "$DUCK_PY" "$Q/duckdb/$name.sql")
    fi
    compile=$(jit_compile_ms "$sql")
    dwall=""; [ "$duck" != failed ] && dwall=${duck%% *}
    # Result check: the same number of result rows as DuckDB (AOT and JIT
    # write the same file; for stdout queries the JIT's stdout is counted).
    check=""
    vout=$(ls "$OUT/$name".csv "$OUT/$name".jsonl 2>/dev/null | head -1)
    [ -z "$vout" ] && vout=$OUT/$name.jit.stdout
    dout=$(ls "$OUT/$name".duckdb.* 2>/dev/null | grep -v stdout | head -1)
    if [ -s "$vout" ] && [ -n "$dout" ] && [ "$aot" != failed ] && [ "$duck" != failed ]; then
        vn=$(lines "$vout"); dn=$(lines "$dout")
        if [ "$vn" = "$dn" ]; then check="Result rows: $vn (same as DuckDB)."
        else check="**Result rows differ: VeloStream $vn, DuckDB $dn.**"; fi
    fi
    {
        echo "### $name"
        echo
        [ "$build" != failed ] && build="$build s"
        echo "AOT build (veloc build, cc -O2): $build · JIT parse-to-runnable (parse+bind+optimize+codegen+libtcc, \`veloc explain\`): ${compile:-n/a}"
        [ -n "$check" ] && { echo; echo "$check"; }
        echo
        echo "| system | wall s | rows/s | rows/s per core | peak RSS MB | speed vs DuckDB |"
        echo "|---|---:|---:|---:|---:|---:|"
        row "VeloStream AOT" "$aot" "$dwall"
        row "VeloStream JIT" "$jit" "$dwall"
        row "DuckDB (1 thread)" "$duck" "$dwall"
        echo
    } >> "$BODY"
done

# -- RESULTS.md ---------------------------------------------------------------
# Everything from the NEXMark section (written by bench/nexmark/run.sh
# between its markers) to the end of the file -- NEXMark and the sections
# other runners append after it, e.g. Kafka -- is kept as it is.
NEXMARK_SECTION=$TMP/nexmark.md
awk '/<!-- nexmark:begin/ { on = 1 } on { print }' bench/RESULTS.md > "$NEXMARK_SECTION" 2>/dev/null
{
    echo "# Benchmark results"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM"
    echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "- DuckDB: $(python3 -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || echo missing)"
    echo "- Command: \`ROWS=$ROWS REPS=$REPS bench/run.sh $1\`"
    echo "- Data: $ROWS rows, bench/data/events.csv ($(du -h "$DATA/events.csv" | cut -f1)) and events.jsonl ($(du -h "$DATA/events.jsonl" | cut -f1)) from bench/gen/gen_rows.c"
    echo
    echo "Median of $REPS runs. Wall time and peak RSS are for the whole process"
    echo "(/usr/bin/time), so DuckDB's figure includes starting Python and importing"
    echo "duckdb (~0.1-0.3 s). rows/s per core = rows / (user + sys CPU seconds)."
    echo "speed vs DuckDB = DuckDB wall / system wall (above 1: faster than DuckDB)."
    echo
    echo "This machine is shared and noisy: compare the ratios, not the absolute numbers."
    echo
    cat "$BODY"
    [ -s "$NEXMARK_SECTION" ] && { echo; cat "$NEXMARK_SECTION"; }
} > "$TMP/RESULTS.md"
cp "$TMP/RESULTS.md" bench/RESULTS.md
echo "bench: wrote bench/RESULTS.md"
if [ "$1" = all ] && [ "${NEXMARK:-1}" != 0 ]; then
    bash bench/nexmark/run.sh || exit $?
fi
