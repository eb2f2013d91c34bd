#!/usr/bin/env bash
# interval_join.sh -- a stream-stream interval join of two unbounded Kafka
# topics (no 'scan.bounded.mode'): both are read in turns without one
# blocking the other (vsrc_poll), matches come out while the job runs,
# SIGTERM ends it, and the rows equal the join computed here in Python.
# The watermark of each input is per partition (two partitions each).
# Expects a broker on 127.0.0.1:9092 (tests/kafka/run.sh starts one).
# The file-based tests/streaming/interval_join.py covers the same operator
# against DuckDB; this one runs it on Kafka (make kafka-test).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
VELOC=${1:-$HERE/../../veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
KTOOL=${VELO_KAFKA_CACHE:-$HERE/.cache}/ktool
W=$(mktemp -d)
A=ija$$x$RANDOM
B=ijb$$x$RANDOM
JOB=
trap '[ -n "$JOB" ] && kill $JOB 2>/dev/null; "$KTOOL" delete "$A" >/dev/null 2>&1; "$KTOOL" delete "$B" >/dev/null 2>&1; rm -rf "$W"' EXIT
"$KTOOL" create "$A" 2 && "$KTOOL" create "$B" 2 || { echo "0 passed, 1 failed"; exit 1; }
# side x, partition p: 500 events each 1 s apart per partition, key i % 7
gen() {
    python3 -c "
import json
for i in range(500):
    print(json.dumps({'id': $3 * 100000 + $2 * 10000 + i, 'k': i % 7, 'ts': '2026-01-01T00:%02d:%02d.%03d' % (i // 60, i % 60, ($2 * 300 + $3 * 700) % 1000)}))"
}
for p in 0 1; do
    gen a $p 0 | "$KTOOL" lines "$A" $p || { echo "0 passed, 1 failed"; exit 1; }
    gen b $p 1 | "$KTOOL" lines "$B" $p || { echo "0 passed, 1 failed"; exit 1; }
done
cat >"$W/q.sql" <<SQL
CREATE STREAM a (id BIGINT, k INTEGER, ts TIMESTAMP) WITH ('type'='kafka_source','topic'='$A','format'='json',
  'group.id'='$A','auto.offset.reset'='earliest','event.time.field'='ts','bootstrap.servers'='127.0.0.1:9092');
CREATE STREAM b (id BIGINT, k INTEGER, ts TIMESTAMP) WITH ('type'='kafka_source','topic'='$B','format'='json',
  'group.id'='$B','auto.offset.reset'='earliest','event.time.field'='ts','bootstrap.servers'='127.0.0.1:9092');
SELECT a.id AS aid, b.id AS bid FROM a JOIN b
  ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '2' SECOND AND a.ts + INTERVAL '1' SECOND;
SQL
# the expected pairs, computed from the same generator
python3 - >"$W/want" <<'PY'
rows = {}
for side in (0, 1):
    for p in (0, 1):
        for i in range(500):
            ms = i * 1000 + (p * 300 + side * 700) % 1000
            rows.setdefault(side, []).append((side * 100000 + p * 10000 + i, i % 7, ms))
out = sorted((a[0], b[0]) for a in rows[0] for b in rows[1] if a[1] == b[1] and a[2] - 2000 <= b[2] <= a[2] + 1000)
for a, b in out: print(f"{a},{b}")
PY
n=$(wc -l <"$W/want")
"$VELOC" run "$W/q.sql" --format csv >"$W/out" 2>"$W/err" &
JOB=$!
i=0
while [ $i -lt 600 ] && [ $(($(wc -l <"$W/out") - 1)) -lt "$n" ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -TERM $JOB; wait $JOB; rc=$?; JOB=
tail -n +2 "$W/out" | sort -t, -k1,1n -k2,2n >"$W/got"
if [ $rc -eq 0 ] && [ "$n" -gt 100 ] && cmp -s "$W/got" "$W/want" && ! grep -q "late record" "$W/err"; then
    echo "ok   interval join of two unbounded topics: $n pairs while running, SIGTERM ends it"
    echo "1 passed, 0 failed"
else
    echo "FAIL interval join of two unbounded topics: exit $rc, $(wc -l <"$W/got") of $n pairs"
    diff "$W/want" "$W/got" | head -5; grep -v '^%' "$W/err" | tail -3
    echo "0 passed, 1 failed"; exit 1
fi
