#!/usr/bin/env bash
# analytic.sh -- analytic functions over an unbounded (followed) file are
# evaluated on arrival per partition; their results must equal the sorted,
# bounded evaluation of the same rows ORDER BY arrival (RANK/DENSE_RANK with
# ORDER BY values that follow arrival, with ties). Also: a function that
# needs rows not yet seen is refused at compile time. Prints `N passed, N failed`.
set -u
VELOC=${1:-$(cd "$(dirname "$0")/../.." && pwd)/veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
W=$(mktemp -d)
trap 'pkill -INT -f "$W/stream.sql" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
pass=0 fail=0
python3 - <<'PY'
import random
random.seed(4)
with open("in.csv", "w") as f:
    f.write("id,g,v,t,tag\n")
    for i in range(1, 2001):
        # t and tag follow arrival order with ties: RANK/DENSE_RANK peers
        f.write(f"{i},{random.choice('abcd')},{'' if i % 17 == 0 else random.randint(1, 100)},{i // 7},"
                f"x{i // 11:04d}\n")
PY
calls="LAG(v, 2, -1) OVER (PARTITION BY g %s) AS lg,
  SUM(v) OVER (PARTITION BY g %s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3,
  MAX(v) OVER (PARTITION BY g %s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS runmax,
  COUNT(*) OVER (PARTITION BY g %s ROWS WINDOW BUFFER 3 ROWS) AS c3,
  AVG(v) OVER (PARTITION BY g %s ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS a5,
  ROUND(STDDEV_SAMP(v) OVER (PARTITION BY g %s ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), 6) AS sd4,
  ROUND(VAR_POP(v) OVER (PARTITION BY g %s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 6) AS vp,
  RANK() OVER (PARTITION BY g ORDER BY t) AS rk, DENSE_RANK() OVER (PARTITION BY g ORDER BY t) AS drk,
  RANK() OVER (ORDER BY tag, t) AS rk2, DENSE_RANK() OVER (PARTITION BY g ORDER BY tag) AS drk2"
{ echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER, t INTEGER, tag STRING) WITH ('type'='file_source','path'='in.csv','format'='csv','watching'='true');"
  echo "SELECT id, g, v, ROW_NUMBER() OVER (PARTITION BY g) AS rn, $(printf "$calls" "" "" "" "" "" "" "") FROM s;"; } >stream.sql
{ echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER, t INTEGER, tag STRING) WITH ('type'='file_source','path'='in.csv','format'='csv');"
  o="ORDER BY id"
  echo "SELECT id, g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY id) AS rn, $(printf "$calls" "$o" "$o" "$o" "$o" "$o" "$o" "$o") FROM s ORDER BY id;"; } >batch.sql
"$VELOC" run batch.sql --format csv --quiet >b.out 2>b.err
"$VELOC" build "$W/stream.sql" -o "$W/stream-job" >build.err 2>&1 || cat build.err
for mode in jit aot; do
    # the job follows in.csv until SIGINT: stop it once every row is out
    if [ $mode = jit ]; then "$VELOC" run "$W/stream.sql" --format csv --quiet >s.out 2>s.err &
    else "$W/stream-job" --format csv --quiet >s.out 2>s.err & fi
    pid=$!
    for _ in $(seq 1 50); do [ "$(wc -l <s.out)" -ge 2001 ] && break; sleep 0.1; done
    kill -INT $pid; wait $pid
    if cmp -s s.out b.out && [ "$(wc -l <s.out)" = 2001 ]; then
        pass=$((pass + 1)); echo "ok   $mode: OVER on a followed file equals the sorted evaluation in arrival order (2000 rows)"
    else
        fail=$((fail + 1)); echo "FAIL $mode: OVER on a followed file:"; diff s.out b.out | head -5; cat s.err b.err | head -5
    fi
done
echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER, t INTEGER, tag STRING) WITH ('type'='file_source','path'='in.csv','format'='csv','watching'='true');
SELECT id, NTILE(4) OVER (PARTITION BY g ORDER BY v) AS r FROM s;" >bad.sql
"$VELOC" run bad.sql >/dev/null 2>bad.err
if [ $? = 2 ] && grep -q "NTILE OVER an unbounded stream is not supported" bad.err; then
    pass=$((pass + 1)); echo "ok   NTILE (needs the whole partition) over a stream is a compile-time error"
else
    fail=$((fail + 1)); echo "FAIL NTILE over a stream:"; cat bad.err
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
