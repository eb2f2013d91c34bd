#!/usr/bin/env bash
# bench/kafka/run.sh -- Kafka -> query -> Kafka throughput beside kcat.
#   bench/kafka/run.sh [--veloc ./veloc] [--n 1000000] [--out bench/kafka/last.md]
# Needs the development broker (make kafka-up; started here if none answers)
# and kcat. Produces N 100-byte JSON messages (3 partitions) with kcat -P,
# converts them to Protobuf with a VeloStream job, then times, per format:
#   kcat        kcat -C ... -e > /dev/null   (the consume-only I/O ceiling)
#   filter      Kafka -> WHERE qty >= 90 -> Kafka          (built job, bounded)
#   tumbling    Kafka -> GROUP BY sym WINDOW TUMBLING(1s) -> Kafka
# kcat spreads the key-less input over the partitions at random, so event
# times interleave across partitions: the watermark bound is one day and the
# windows (10 symbols x N/1000 seconds) close at the end of the input.
# Each job reads with its own consumer group from the beginning up to the end
# offsets (scan.bounded.mode = latest-offset) and waits for every produced
# message to be acknowledged before it exits. Prints a Markdown table.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VELOC=$ROOT/veloc
N=1000000
OUT=
while [ $# -gt 0 ]; do
    case $1 in
    --veloc) VELOC=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --n) N=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--veloc PATH] [--n N] [--out FILE]" >&2; exit 2 ;;
    esac
done
export VELO_KAFKA_BROKERS=${VELO_KAFKA_BROKERS:-127.0.0.1:9092}
B=$VELO_KAFKA_BROKERS
KTOOL=${VELO_KAFKA_CACHE:-$ROOT/tests/kafka/.cache}/ktool
command -v kcat >/dev/null || { echo "bench/kafka: kcat is missing (tests/deps.sh installs it)" >&2; exit 1; }
started=0
if ! { [ -x "$KTOOL" ] && "$KTOOL" probe 2>/dev/null; }; then
    "$ROOT/tests/kafka/kafka-up.sh"
    started=1
fi
RUN=b$$
W=$(mktemp -d /tmp/velo-kbench.XXXXXX)
cleanup() {
    "$KTOOL" delete "bj-$RUN" "bp-$RUN" "oj1-$RUN" "oj2-$RUN" "op1-$RUN" "op2-$RUN" >/dev/null 2>&1 || true
    rm -rf "$W"
    [ $started = 1 ] && "$ROOT/tests/kafka/kafka-down.sh" >/dev/null || true
}
trap cleanup EXIT

for t in bj bp oj1 oj2 op1 op2; do "$KTOOL" create "$t-$RUN" 3 >/dev/null; done
# 100-byte JSON trades: id, sym, price, qty, an event time 1 ms apart, padding
python3 - "$N" >"$W/in.jsonl" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    ms = i
    head = '{"id":%d,"sym":"S%d","price":%d.%02d,"qty":%d,"ts":"2026-01-01 %02d:%02d:%02d.%03d","pad":"' % (
        i, i % 10, i % 1000 // 100 + 1, i % 100, i % 100, ms // 3600000 % 24, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)
    out.write(head + "x" * (100 - len(head) - 2) + '"}\n')
EOF
kcat -P -b "$B" -t "bj-$RUN" -X linger.ms=20 -X queue.buffering.max.messages=1000000 <"$W/in.jsonl"
BYTES_JSON=$(($(wc -c <"$W/in.jsonl") - N))

SRC="'type'='kafka_source', 'scan.bounded.mode'='latest-offset'"
COLS="id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER, ts TIMESTAMP, pad STRING"
PB="'format'='protobuf', 'proto.file'='$HERE/trade.proto', 'proto.message'='bench.Trade'"
# JSON -> Protobuf, same fields, padding grown to keep messages ~100 bytes
cat >"$W/topb.sql" <<EOF
CREATE STREAM s ($COLS) WITH ($SRC, 'topic'='bj-$RUN');
CREATE STREAM p (id BIGINT, sym STRING, price DOUBLE, qty INTEGER, ts STRING, pad STRING)
  WITH ('type'='kafka_sink', 'topic'='bp-$RUN', $PB);
INSERT INTO p SELECT id, sym, CAST(price AS DOUBLE) AS price, qty, CAST(ts AS STRING) AS ts,
  pad || 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy' AS pad FROM s;
EOF
"$VELOC" run "$W/topb.sql" --quiet --set s.group.id=conv-$RUN
BYTES_PB=$(kcat -C -b "$B" -t "bp-$RUN" -o beginning -e -q -f '%S\n' | awk '{ s += $1 } END { print s }')

now() { date +%s.%N; }
# time_cmd NAME CMD...: wall seconds of CMD
time_cmd() {
    local t0 t1
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc -l
}

rows=()
bench_fmt() { # FMT IN_TOPIC OUT_FILTER OUT_AGG BYTES PBCOLS
    local fmt=$1 in=$2 o1=$3 o2=$4 bytes=$5 fprops srcprops
    if [ "$fmt" = protobuf ]; then
        srcprops="$SRC, 'topic'='$in', $PB"; fprops=", $PB"
    else
        srcprops="$SRC, 'topic'='$in'"; fprops=""
    fi
    local pcols="id BIGINT, sym STRING, price DOUBLE, qty INTEGER, ts TIMESTAMP, pad STRING"
    [ "$fmt" = json ] && pcols=$COLS
    cat >"$W/filter-$fmt.sql" <<EOF
CREATE STREAM s ($pcols) WITH ($srcprops);
CREATE STREAM o (id BIGINT, sym STRING, price $( [ "$fmt" = json ] && echo 'DECIMAL(10,2)' || echo DOUBLE), qty INTEGER)
  WITH ('type'='kafka_sink', 'topic'='$o1' $fprops);
INSERT INTO o SELECT id, sym, price, qty FROM s WHERE qty >= 90;
EOF
    cat >"$W/agg-$fmt.sql" <<EOF
CREATE STREAM s ($pcols) WITH ($srcprops, 'event.time.field'='ts', 'watermark.max_out_of_orderness'='1d');
CREATE STREAM o (sym STRING, ws TIMESTAMP, n BIGINT, q BIGINT, hi DOUBLE)
  WITH ('type'='kafka_sink', 'topic'='$o2');
INSERT INTO o SELECT sym, _WINDOW_START AS ws, COUNT(*) AS n, SUM(qty) AS q, MAX(CAST(price AS DOUBLE)) AS hi
FROM s GROUP BY sym WINDOW TUMBLING(1s) EMIT FINAL;
EOF
    "$VELOC" build "$W/filter-$fmt.sql" -o "$W/filter-$fmt"
    "$VELOC" build "$W/agg-$fmt.sql" -o "$W/agg-$fmt"
    local tk tf ta
    # kcat gets the consumer queue setting the jobs use (see runtime/kafka.c)
    tk=$(time_cmd kcat -C -b "$B" -t "$in" -o beginning -e -q -X queued.min.messages=1000000)
    tf=$(time_cmd "$W/filter-$fmt" --quiet --set s.group.id=f-$fmt-$RUN)
    ta=$(time_cmd "$W/agg-$fmt" --quiet --set s.group.id=a-$fmt-$RUN)
    local nf na
    nf=$("$KTOOL" count "$o1"); na=$("$KTOOL" count "$o2")
    for r in "kcat -C > /dev/null (I/O ceiling)|$tk|-" "filter (qty >= 90) -> Kafka|$tf|$nf" "tumbling 1s GROUP BY sym -> Kafka|$ta|$na"; do
        IFS='|' read -r name secs outn <<<"$r"
        rows+=("$(awk -v f="$fmt" -v nm="$name" -v s="$secs" -v n="$N" -v b="$bytes" -v tk="$tk" -v o="$outn" \
            'BEGIN { printf "| %s | %s | %.2f | %.0f | %.1f | %s | %.2f |", f, nm, s, n / s, b / s / 1e6, o, tk / s }')")
    done
}
bench_fmt json "bj-$RUN" "oj1-$RUN" "oj2-$RUN" "$BYTES_JSON"
bench_fmt protobuf "bp-$RUN" "op1-$RUN" "op2-$RUN" "$BYTES_PB"

{
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- Broker: Apache Kafka $(ls "$(dirname "$KTOOL")" | sed -n 's/^lib-//p' | head -1) (KRaft, one node, same machine), librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'), kcat $(kcat -V 2>&1 | grep -m1 -io 'version [^ ]*' | cut -d' ' -f2)"
    echo "- Command: \`bench/kafka/run.sh --n $N\`; input: $N messages, 3 partitions; JSON $((BYTES_JSON / N)) bytes/message, Protobuf $((BYTES_PB / N)) bytes/message (same fields)"
    echo
    echo "| format (in/out) | job | wall s | msgs/s | MB/s in | output messages | ratio to kcat |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
} | tee ${OUT:+"$OUT"}
