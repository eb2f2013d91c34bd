#!/usr/bin/env bash
# watermark.sh -- the Kafka watermark is per partition: two partitions each
# holding a full, in-order minute of events are read (one partition's fetch
# typically arrives before the other's); no record is late, every tumbling
# window counts both partitions. With one watermark for the whole topic the
# second partition's early records would be late and lost from the counts.
# Expects a broker on 127.0.0.1:9092 (tests/kafka/run.sh starts one).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
VELOC=${1:-$HERE/../../veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
KTOOL=${VELO_KAFKA_CACHE:-$HERE/.cache}/ktool
W=$(mktemp -d)
T=wm$$x$RANDOM
trap '"$KTOOL" delete "$T" >/dev/null 2>&1; rm -rf "$W"' EXIT
"$KTOOL" create "$T" 2 || { echo "0 passed, 1 failed"; exit 1; }
for p in 0 1; do
    python3 -c "
import json
for i in range(2000): print(json.dumps({'id': $p * 10000 + i, 'ts': '2026-01-01T00:%02d:%02d.%03d' % (i // 600, i // 10 % 60, i % 10 * 100)}))" |
        "$KTOOL" lines "$T" $p || { echo "0 passed, 1 failed"; exit 1; }
done
# The same with _PARTITION declared among the columns (KAFKA.md's way to read
# it): it is still the partition the watermark is kept per.
want='2026-01-01 00:00:00,1200
2026-01-01 00:01:00,1200
2026-01-01 00:02:00,1200
2026-01-01 00:03:00,400
ws,n'
pass=0 fail=0 run=0
for cols in "id BIGINT, ts TIMESTAMP" "id BIGINT, ts TIMESTAMP, _PARTITION INTEGER"; do
    run=$((run + 1)) # each run reads the topic from the start in its own consumer group
    cat >"$W/q.sql" <<SQL
CREATE STREAM e ($cols) WITH ('type'='kafka_source','topic'='$T','format'='json',
  'scan.bounded.mode'='latest-offset','event.time.field'='ts','watermark.max_out_of_orderness'='0s',
  'bootstrap.servers'='127.0.0.1:9092', 'group.id'='$T-$run', 'auto.offset.reset'='earliest');
SELECT _WINDOW_START AS ws, COUNT(*) AS n FROM e WINDOW TUMBLING(ts, 1m);
SQL
    out=$("$VELOC" run "$W/q.sql" --format csv 2>"$W/err" | sort)
    if [ "$out" = "$want" ] && ! grep -q "late record" "$W/err"; then
        echo "ok   per-partition watermark ($cols): no late records across two partitions, full window counts"
        pass=$((pass + 1))
    else
        echo "FAIL per-partition watermark ($cols):"; echo "$out"; grep -v '^%' "$W/err" | tail -3
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
