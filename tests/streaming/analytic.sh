#!/usr/bin/env bash
# analytic.sh -- analytic functions over an unbounded (followed) file are
# evaluated on arrival per partition; their results must equal the sorted,
# bounded evaluation of the same rows ORDER BY arrival. Also: a function that
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
    f.write("id,g,v\n")
    for i in range(1, 2001):
        f.write(f"{i},{random.choice('abcd')},{'' if i % 17 == 0 else random.randint(1, 100)}\n")
PY
calls="LAG(v, 2, -1) OVER (PARTITION BY g %s) AS lg,
  SUM(v) OVER (PARTITION BY g %s ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3,
  MAX(v) OVER (PARTITION BY g %s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS runmax,
  COUNT(*) OVER (PARTITION BY g %s ROWS WINDOW BUFFER 3 ROWS) AS c3,
  AVG(v) OVER (PARTITION BY g %s ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS a5"
{ echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER) WITH ('type'='file_source','path'='in.csv','format'='csv','watching'='true');"
  echo "SELECT id, g, v, ROW_NUMBER() OVER (PARTITION BY g) AS rn, $(printf "$calls" "" "" "" "" "") FROM s;"; } >stream.sql
{ echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER) WITH ('type'='file_source','path'='in.csv','format'='csv');"
  o="ORDER BY id"
  echo "SELECT id, g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY id) AS rn, $(printf "$calls" "$o" "$o" "$o" "$o" "$o") FROM s ORDER BY id;"; } >batch.sql
"$VELOC" run "$W/stream.sql" --format csv --quiet >s.out 2>s.err &
pid=$!
for _ in $(seq 1 50); do [ "$(wc -l <s.out)" -ge 2001 ] && break; sleep 0.1; done
kill -INT $pid; wait $pid
"$VELOC" run batch.sql --format csv --quiet >b.out 2>b.err
if cmp -s s.out b.out && [ "$(wc -l <s.out)" = 2001 ]; then
    pass=$((pass + 1)); echo "ok   OVER on a followed file equals the sorted evaluation in arrival order (2000 rows)"
else
    fail=$((fail + 1)); echo "FAIL OVER on a followed file:"; diff s.out b.out | head -5; cat s.err b.err | head -5
fi
echo "CREATE STREAM s (id INTEGER, g STRING, v INTEGER) WITH ('type'='file_source','path'='in.csv','format'='csv','watching'='true');
SELECT id, RANK() OVER (PARTITION BY g ORDER BY v) AS r FROM s;" >bad.sql
"$VELOC" run bad.sql >/dev/null 2>bad.err
if [ $? = 2 ] && grep -q "RANK OVER an unbounded stream is not supported" bad.err; then
    pass=$((pass + 1)); echo "ok   RANK over a stream is a compile-time error"
else
    fail=$((fail + 1)); echo "FAIL RANK over a stream:"; cat bad.err
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
