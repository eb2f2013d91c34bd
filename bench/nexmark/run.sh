#!/usr/bin/env bash
# bench/nexmark/run.sh — NEXMark on files: VeloStream AOT and JIT against DuckDB;
# writes the NEXMark section of bench/RESULTS.md (between the nexmark markers,
# the rest of the file is kept).  Called by `bench/run.sh nexmark`.
#
#   EVENTS=10000000     events generated (all types; 1:3:46 person/auction/bid)
#   RATE=10000          event rate for event time (10 M events = 1000 s)
#   QUERIES="q0 q1 ..." the queries to run (default: every queries/q*.sql)
#   REPS=1              repetitions per system (median reported)
#   STREAM_QUERIES="q5w q7w q11"   the bid-stream queries run per input (CSV file,
#                       JSONL file, in-process generator) and in the RSS series
#   RSS_SIZES="1000000 10000000 100000000"   stream lengths of the in-process RSS series
#   COMPILE_REPS=5      `veloc explain` runs per query for the JIT compile latency
#   GOLDEN=1            the compile-latency table over tests/sql/cases/**/*.sql
#   VELOC=./veloc       the veloc binary (its build/ must hold libvelo.a for AOT)
#   RESULTS=bench/RESULTS.md   the file whose NEXMark section is (re)written
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -uo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
NX=$ROOT/bench/nexmark
EVENTS=${EVENTS:-${ROWS:-10000000}}
RATE=${RATE:-10000}
REPS=${REPS:-1}
COMPILE_REPS=${COMPILE_REPS:-5}
RSS_SIZES=${RSS_SIZES-"1000000 10000000 100000000"} # RSS_SIZES= skips the series
STREAM_QUERIES=${STREAM_QUERIES-"q5w q7w q11"}      # STREAM_QUERIES= skips the per-input table
GOLDEN=${GOLDEN:-1}
VELOC=$(realpath -m "${VELOC:-./veloc}")
TIME=/usr/bin/time
Q=$NX/queries
DATA=$NX/data
OUT=$NX/out
TMP=$(mktemp -d /tmp/velo_nexmark.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$DATA" "$OUT"
[ -x "$VELOC" ] || { echo "nexmark: no veloc at $VELOC (make first)" >&2; exit 2; }
if [ -z "${QUERIES:-}" ]; then
    QUERIES=$(cd "$Q" && ls q*.sql | sed 's/\.sql$//' | sort -V | tr '\n' ' ')
fi
START=$(date +%s)

# -- data -----------------------------------------------------------------------
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$OUT/gen" "$NX/gen.c" "$ROOT/runtime/nexmark.c" -lm -lrdkafka || exit 1
gen_note=""
if [ "$(cat "$DATA/EVENTS" 2>/dev/null)" != "$EVENTS $RATE" ] || [ ! -s "$DATA/bid.csv" ]; then
    echo "nexmark: generating $EVENTS events into bench/nexmark/data/"
    rm -f "$DATA/EVENTS"
    $TIME -f '%e %U %S' -o "$TMP/gen.t" "$OUT/gen" --events "$EVENTS" --rate "$RATE" --out "$DATA" || exit 1
    echo "$EVENTS $RATE" > "$DATA/EVENTS"
    gen_note=$(awk -v n="$EVENTS" '{ printf "generated in %.2f s wall, %.2f s CPU (%.1f M events/s wall, %.1f M events/s per CPU second)", $1, $2 + $3, n / $1 / 1e6, n / ($2 + $3) / 1e6 }' "$TMP/gen.t")
    echo "nexmark: $gen_note"
fi
if [ -n "$STREAM_QUERIES" ] && { [ "$(cat "$DATA/EVENTS.jsonl" 2>/dev/null)" != "$EVENTS $RATE" ] || [ ! -s "$DATA/bid.jsonl" ]; }; then
    echo "nexmark: generating the bid stream of $EVENTS events as JSON Lines"
    rm -f "$DATA/EVENTS.jsonl"
    "$OUT/gen" --events "$EVENTS" --rate "$RATE" --format jsonl --bids-only --out "$DATA" || exit 1
    echo "$EVENTS $RATE" > "$DATA/EVENTS.jsonl"
fi
awk 'BEGIN { print "k,v"; for (k = 0; k < 10000; k++) printf "%d,side-%d\n", k, k * 7 % 1000 }' > "$DATA/side_input.csv"

# -- measuring ----------------------------------------------------------------------
# measure LABEL CMD...: runs CMD REPS times from queries/, stdout to /dev/null;
# prints "wall cpu rss_kb" (medians) or "failed".
measure() {
    local label=$1; shift
    local i
    : > "$TMP/$label.times"
    for i in $(seq "$REPS"); do
        if ! (cd "$Q" && timeout 900 $TIME -f '%e %U %S %M' -o "$TMP/$label.t" "$@" > /dev/null 2> "$TMP/$label.err"); then
            echo "nexmark: $label failed:" >&2; tail -3 "$TMP/$label.err" >&2
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
d = sys.argv[2]
con = duckdb.connect()
con.execute("SET threads = 1")
con.execute("SET enable_progress_bar = false")
def rd(f, cols): return "read_csv(%r, header = true, auto_detect = false, columns = %s)" % (d + "/" + f, cols)
con.execute("CREATE VIEW bid AS SELECT * FROM " + rd("bid.csv", "{\"auction\": \"BIGINT\", \"bidder\": \"BIGINT\", \"price\": \"BIGINT\", \"channel\": \"VARCHAR\", \"url\": \"VARCHAR\", \"date_time\": \"TIMESTAMP\", \"extra\": \"VARCHAR\"}"))
con.execute("CREATE VIEW auction AS SELECT * FROM " + rd("auction.csv", "{\"id\": \"BIGINT\", \"item_name\": \"VARCHAR\", \"description\": \"VARCHAR\", \"initial_bid\": \"BIGINT\", \"reserve\": \"BIGINT\", \"date_time\": \"TIMESTAMP\", \"expires\": \"TIMESTAMP\", \"seller\": \"BIGINT\", \"category\": \"BIGINT\", \"extra\": \"VARCHAR\"}"))
con.execute("CREATE VIEW person AS SELECT * FROM " + rd("person.csv", "{\"id\": \"BIGINT\", \"name\": \"VARCHAR\", \"email_address\": \"VARCHAR\", \"credit_card\": \"VARCHAR\", \"city\": \"VARCHAR\", \"state\": \"VARCHAR\", \"date_time\": \"TIMESTAMP\", \"extra\": \"VARCHAR\"}"))
con.execute("CREATE VIEW side_input AS SELECT * FROM " + rd("side_input.csv", "{\"k\": \"BIGINT\", \"v\": \"VARCHAR\"}"))
if "bid_rn" in open(sys.argv[1]).read():
    con.execute("CREATE VIEW bid_rn AS SELECT *, row_number() OVER () AS rn FROM bid")
q = open(sys.argv[1]).read().strip().rstrip(";")
con.execute("COPY (" + q + ") TO \u0027/dev/null\u0027 (FORMAT csv)")'

# jit_compile_ms SQL: median over COMPILE_REPS of the sum of `veloc explain`'s
# "Compile timings (ms): parse X bind X optimize X codegen X compile X" phases
jit_compile_ms() {
    local i
    for i in $(seq "$COMPILE_REPS"); do
        (cd "$(dirname "$1")" && "$VELOC" explain "$1") 2>&1 | awk '/^Compile timings \(ms\):/ {
            s = 0; for (i = 4; i < NF; i += 2) if ($(i + 1) ~ /^[0-9.]+$/) s += $(i + 1); printf "%.3f\n", s }'
    done | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else printf "n/a" }'
}

# cell RESULT: "K events/s per core | wall s | RSS MB" for N events
cells() {
    if [ "$1" = failed ]; then echo "failed | | "; return; fi
    set -- $1
    awk -v w="$1" -v c="$2" -v m="$3" -v n="$EVENTS" 'BEGIN {
        printf "%s | %.2f | %.0f", (c > 0 ? sprintf("%.0f", n / c / 1000) : "n/a"), w, m / 1024 }'
}

published() { # Flink V1 table, Flink 2.0 GUIDE_V2, RisingWave report (K events/s per core)
    case $1 in
    q0) echo "155 | 379 | 170" ;; q1) echo "158 | 395 | 168" ;; q2) echo "175 | 414 | 172" ;;
    q3) echo "152 | 219 | 136" ;; q4) echo "34.3 | 28 | 25" ;; q5) echo "22.1 | 75 | 11" ;;
    q7) echo "12.3 | 23 | 37" ;; q8) echo "146 | 162 | 84" ;; q9) echo "14.2 | 14 | 21" ;;
    q10) echo "57.8 | 133 | " ;; q11) echo "39.7 | 46 | " ;; q12) echo "75.7 | 194 | 92" ;;
    q13) echo "131 | 188 | " ;; q14) echo "161 | 259 | 154" ;; q15) echo " | 168 | " ;;
    q16) echo "18.7 | 45 | " ;; q17) echo "117 | 161 | 43" ;; q18) echo "53.7 | 65 | " ;;
    q19) echo "44.0 | 43 | " ;; q20) echo "19.0 | 18 | " ;; q21) echo "98.5 | 147 | 117" ;;
    q22) echo "130 | 212 | 150" ;; *) echo " | | " ;;
    esac
}

BODY=$TMP/body.md
COMP=$TMP/compile.md
: > "$BODY"; : > "$COMP"
for name in $QUERIES; do
    sql=$Q/$name.sql
    [ -f "$sql" ] || { echo "nexmark: no $sql" >&2; continue; }
    echo "nexmark: $name ($(( $(date +%s) - START )) s)"
    build=failed
    if (cd "$Q" && $TIME -f '%e' -o "$TMP/build.t" "$VELOC" build "$sql" -o "$TMP/$name.job" > /dev/null 2> "$TMP/build.err"); then
        build=$(tail -1 "$TMP/build.t")
        aot=$(measure "$name.aot" "$TMP/$name.job" --format csv --quiet)
    else
        echo "nexmark: veloc build $name failed:" >&2; tail -3 "$TMP/build.err" >&2
        aot=failed
    fi
    jit=$(measure "$name.jit" "$VELOC" run "$sql" --format csv --quiet)
    duck=n/a
    [ -f "$Q/duckdb/$name.sql" ] && duck=$(measure "$name.duckdb" python3 -c "$DUCK_PY" "$Q/duckdb/$name.sql" "$DATA")
    rm -f "$OUT/q10.csv" # q10's file sink (GBs at 10 M events)
    cbytes=$( (cd "$Q" && "$VELOC" explain "$sql") 2>&1 | awk '/^Generated C:/ { print $3 }')
    jitms=$(jit_compile_ms "$sql")
    dcells="n/a | | "; [ "$duck" != n/a ] && dcells=$(cells "$duck")
    ratio=""
    if [ "$aot" != failed ] && [ "$duck" != n/a ] && [ "$duck" != failed ]; then
        ratio=$(echo "$aot $duck" | awk '{ printf "%.1f", $5 / $2 }')
    fi
    echo "| $name | $(cells "$aot") | $(cells "$jit") | $dcells | ${ratio} | $(published "$name") |" >> "$BODY"
    echo "| $name | ${cbytes:-n/a} | $jitms | ${build} |" >> "$COMP"
done

# -- the bid stream per input: CSV file, JSON Lines file, the generator in process
# variant NAME INPUT [EVENTS]: a copy of queries/NAME.sql reading INPUT (csv, jsonl or
# inproc) in $TMP/stream/queries (beside a data link); prints its path
SRC_CSV="'type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true'"
variant() {
    local name=$1 input=$2 n=${3:-$EVENTS} out=$TMP/stream/queries/$1.$2.$3.sql
    local to=$SRC_CSV
    case $input in
    jsonl) to="'type' = 'file_source', 'path' = '../data/bid.jsonl', 'format' = 'jsonl'" ;;
    inproc) to="'type' = 'nexmark_source', 'nexmark.table' = 'bid', 'nexmark.events' = '$n', 'nexmark.rate' = '$RATE'" ;;
    esac
    grep -qF "$SRC_CSV" "$Q/$name.sql" || { echo "nexmark: $name.sql does not read ../data/bid.csv" >&2; return 1; }
    awk -v from="$SRC_CSV" -v to="$to" '{ i = index($0, from); if (i) $0 = substr($0, 1, i - 1) to substr($0, i + length(from)); print }' \
        "$Q/$name.sql" > "$out"
    echo "$out"
}
# stream_run SQL N: "aot_cells | jit_cells" (K ev/s/core for N events, wall s, RSS MB)
stream_run() {
    local sql=$1 n=$2 a=failed j=failed
    if (cd "$TMP/stream/queries" && "$VELOC" build "$sql" -o "$TMP/stream.job" > /dev/null 2> "$TMP/stream.err"); then
        a=$(cd "$TMP/stream/queries" && measure stream.aot "$TMP/stream.job" --format csv --quiet)
    else
        echo "nexmark: veloc build $(basename "$sql") failed:" >&2; tail -3 "$TMP/stream.err" >&2
    fi
    j=$(cd "$TMP/stream/queries" && measure stream.jit "$VELOC" run "$sql" --format csv --quiet)
    echo "$(EVENTS=$n cells "$a") | $(EVENTS=$n cells "$j")"
}
STREAMMD=$TMP/stream.md
RSSMD=$TMP/rss.md
: > "$STREAMMD"; : > "$RSSMD"
if [ -n "$STREAM_QUERIES" ]; then
    mkdir -p "$TMP/stream/queries"
    ln -sfn "$DATA" "$TMP/stream/data"
    for name in $STREAM_QUERIES; do
        for input in csv jsonl inproc; do
            echo "nexmark: $name from $input ($(( $(date +%s) - START )) s)"
            sql=$(variant "$name" "$input" "$EVENTS") || continue
            echo "| $name | $input | $(stream_run "$sql" "$EVENTS") |" >> "$STREAMMD"
        done
    done
    for n in $RSS_SIZES; do
        for name in $STREAM_QUERIES; do
            echo "nexmark: $name in process, $n events ($(( $(date +%s) - START )) s)"
            sql=$(variant "$name" inproc "$n") || continue
            echo "| $n | $name | $(stream_run "$sql" "$n") |" >> "$RSSMD"
        done
    done
fi

# -- compile latency of every golden query (libtcc JIT vs cc -O2 AOT)
GOLD=$TMP/golden.txt
: > "$GOLD"
if [ "$GOLDEN" = 1 ]; then
    echo "nexmark: compile latency of tests/sql/cases ($(( $(date +%s) - START )) s)"
    while IFS= read -r f; do
        d=$(dirname "$f")
        ex=$( (cd "$d" && "$VELOC" explain "$f") 2>/dev/null) || continue
        ms=$(echo "$ex" | awk '/^Compile timings \(ms\):/ { s = 0; for (i = 4; i < NF; i += 2) if ($(i + 1) ~ /^[0-9.]+$/) s += $(i + 1); printf "%.3f", s }')
        cb=$(echo "$ex" | awk '/^Generated C:/ { print $3 }')
        [ -n "$ms" ] && [ -n "$cb" ] || continue
        (cd "$d" && $TIME -f '%e' -o "$TMP/gb.t" "$VELOC" build "$f" -o "$TMP/golden.job" > /dev/null 2>&1) || continue
        echo "$ms $(awk '{ printf "%.1f", $1 * 1000 }' "$TMP/gb.t") $cb" >> "$GOLD"
    done < <(find "$ROOT/tests/sql/cases" -name '*.sql' | sort)
fi

# -- the NEXMark section of RESULTS.md -------------------------------------------------
RES=$(realpath -m "${RESULTS:-$ROOT/bench/RESULTS.md}")
SECTION=$TMP/section.md
{
    echo "<!-- nexmark:begin (written by bench/nexmark/run.sh; a hand-written analysis after the nexmark:analysis marker is kept) -->"
    echo "## NEXMark (bench/nexmark)"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'); veloc: $VELOC"
    echo "- DuckDB: $(python3 -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || echo missing) (python, SET threads = 1, COPY to /dev/null)"
    echo "- Command: \`EVENTS=$EVENTS RATE=$RATE REPS=$REPS bench/run.sh nexmark\` (took $(( $(date +%s) - START )) s)"
    echo "- Data: $EVENTS events (bench/nexmark/gen.c, 1:3:46 person/auction/bid, $RATE events/s of event time): bid.csv $(du -h "$DATA/bid.csv" | cut -f1), auction.csv $(du -h "$DATA/auction.csv" | cut -f1), person.csv $(du -h "$DATA/person.csv" | cut -f1)${gen_note:+; $gen_note}"
    echo
    echo "K ev/s/core = $EVENTS events (all three types, as the NEXMark suite counts them) / (user + sys CPU s)"
    echo "of the whole process, in thousands; a bid-only query reads only bid.csv (92% of the events)."
    echo "Results go to /dev/null as CSV (VeloStream stdout, DuckDB COPY); q10 writes its CSV file sink."
    echo "Windowed queries run in DuckDB as the batch-equivalent SQL of queries/duckdb/ (explicit window"
    echo "assignment), and bench/nexmark/check.py verifies that all three give the same rows."
    echo "AOT/DuckDB = DuckDB CPU time / AOT CPU time. q5w and q7w are the windowed aggregates of q5 and q7"
    echo "alone (no join back). Median of $REPS run(s); machine shared and noisy: compare ratios."
    echo
    echo "The last three columns are **published, not measured here** (other hardware, parallelism 8,"
    echo "Kafka or in-process datagen, checkpointing): Flink V1 = nexmark/nexmark README table (Flink 1.13 era),"
    echo "Flink 2.0 = nexmark GUIDE_V2.md (computed per core), RisingWave = RisingWave performance report"
    echo "(nexmark-risingwave-1.0, c5.2xlarge, JSON from Kafka); see /work/shared/reference/nexmark-published.md."
    echo
    echo "| query | AOT K ev/s/core | AOT wall s | AOT RSS MB | JIT K ev/s/core | JIT wall s | JIT RSS MB | DuckDB K ev/s/core | DuckDB wall s | DuckDB RSS MB | AOT/DuckDB | Flink V1 (published) | Flink 2.0 (published) | RisingWave (published) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    cat "$BODY"
    echo
    echo "### Compile latency of the NEXMark queries"
    echo
    echo "| query | generated C bytes | JIT parse-to-runnable ms (\`veloc explain\`, median of $COMPILE_REPS) | AOT \`veloc build\` s (cc -O2) |"
    echo "|---|---:|---:|---:|"
    cat "$COMP"
    if [ -s "$STREAMMD" ]; then
        echo
        echo "### The bid stream by input: CSV file, JSON Lines file, generator in process"
        echo
        echo "The streaming queries on the same $EVENTS events (9.2 M bids at 10 M) read three ways: bid.csv, bid.jsonl"
        echo "(\`gen --format jsonl --bids-only\`), and a \`nexmark_source\` that runs the generator in the job (no file;"
        echo "the generator's CPU time is included). K ev/s/core as above (all $EVENTS events / CPU s); files from the"
        echo "page cache. q5w = SLIDING(10 s, 2 s) COUNT per auction, q7w = TUMBLING(10 s) MAX(price), q11 ="
        echo "SESSION(10 s) COUNT per bidder."
        echo
        echo "| query | input | AOT K ev/s/core | AOT wall s | AOT RSS MB | JIT K ev/s/core | JIT wall s | JIT RSS MB |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|"
        cat "$STREAMMD"
    fi
    if [ -s "$RSSMD" ]; then
        echo
        echo "### Peak RSS against stream length (generator in process)"
        echo
        echo "The same queries on longer streams from the in-process generator (with padding, $RATE events/s):"
        echo "state is bounded by the open windows and sessions, so RSS should not grow with the stream."
        echo
        echo "| events | query | AOT K ev/s/core | AOT wall s | AOT RSS MB | JIT K ev/s/core | JIT wall s | JIT RSS MB |"
        echo "|---:|---|---:|---:|---:|---:|---:|---:|"
        cat "$RSSMD"
    fi
    if [ -s "$GOLD" ]; then
        echo
        echo "### Compile latency of the golden queries (tests/sql/cases/**/*.sql)"
        echo
        echo "Every case that compiles ($(wc -l < "$GOLD") files): JIT = sum of \`veloc explain\`'s phases (parse, bind,"
        echo "optimize, codegen, libtcc compile), one run each; AOT = wall time of \`veloc build\` (cc -O2 + link)."
        echo
        echo "| | median | max |"
        echo "|---|---:|---:|"
        sort -n -k1 "$GOLD" | awk '{ v[NR] = $1 } END { printf "| JIT (libtcc) ms | %.2f | %.2f |\n", v[int((NR + 1) / 2)], v[NR] }'
        sort -n -k2 "$GOLD" | awk '{ v[NR] = $2 } END { printf "| AOT (cc -O2) ms | %.0f | %.0f |\n", v[int((NR + 1) / 2)], v[NR] }'
        sort -n -k3 "$GOLD" | awk '{ v[NR] = $3 } END { printf "| generated C bytes | %d | %d |\n", v[int((NR + 1) / 2)], v[NR] }'
    fi
    echo
    # a hand-written analysis after this marker is kept across runs (it says which run it describes)
    if [ -f "$RES" ] && grep -q '<!-- nexmark:analysis' "$RES"; then
        awk '/<!-- nexmark:analysis/ { on = 1 } /<!-- nexmark:end -->/ { on = 0 } on' "$RES"
    else
        echo "<!-- nexmark:analysis (hand-written; kept by run.sh, rewrite it after re-running) -->"
    fi
    echo "<!-- nexmark:end -->"
} > "$SECTION"

# keep everything outside the markers (the file-pipeline section and any analysis)
if [ -f "$RES" ] && grep -q '<!-- nexmark:begin' "$RES"; then
    awk -v sec="$SECTION" '/<!-- nexmark:begin/ { while ((getline l < sec) > 0) print l; skip = 1; next }
                           /<!-- nexmark:end -->/ { skip = 0; next } !skip' "$RES" > "$TMP/res.md"
else
    { [ -f "$RES" ] && cat "$RES" && echo; cat "$SECTION"; } > "$TMP/res.md"
fi
cp "$TMP/res.md" "$RES"
echo "nexmark: wrote the NEXMark section of $RES ($(( $(date +%s) - START )) s)"
