#!/usr/bin/env bash
# ttl.sh -- 'state.ttl' on an unwindowed GROUP BY over a followed file: a
# group updated within the TTL keeps counting; one idle for longer starts
# again from nothing. Generous margins (TTL 400 ms, idle 1.6 s, updates
# 0.1 s apart) keep it independent of machine speed. Prints `N passed, N failed`.
set -u
VELOC=${1:-$(cd "$(dirname "$0")/../.." && pwd)/veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
W=$(mktemp -d)
trap 'pkill -INT -f "$W/q.sql" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
printf 'k,v\n' >in.csv
cat >q.sql <<'SQL'
CREATE STREAM s (k STRING, v INTEGER) WITH ('type'='file_source','path'='in.csv','format'='csv',
  'watching'='true','state.ttl'='400ms');
SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k;
SQL
"$VELOC" run "$W/q.sql" --format csv --quiet >out.csv 2>err.log &
pid=$!
sleep 0.5
printf 'a,1\na,2\nb,5\n' >>in.csv
sleep 0.1
printf 'a,3\n' >>in.csv
sleep 1.6
printf 'a,4\nb,6\n' >>in.csv
sleep 0.6
kill -INT $pid
wait $pid
rc=$?
expect='k,n,total
a,1,1
a,2,3
b,1,5
a,3,6
a,1,4
b,1,6'
if [ $rc = 0 ] && [ "$(cat out.csv)" = "$expect" ]; then
    echo "ok   state.ttl: groups idle past the TTL start over, busy ones keep counting"
    echo "1 passed, 0 failed"
else
    echo "FAIL state.ttl (exit $rc):"; cat out.csv err.log
    echo "0 passed, 1 failed"
    exit 1
fi
