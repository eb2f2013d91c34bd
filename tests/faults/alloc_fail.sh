#!/usr/bin/env bash
# alloc_fail.sh -- allocation-failure injection: builds veloc with
# -DVELO_ALLOC_TEST (+ ASan/UBSan) into build-alloc/, then runs one query
# through `veloc run` with VELO_FAIL_ALLOC=N for N = 1..K (the Nth allocation
# through the runtime arenas, the vagg_* helpers and the compiler's arena /
# StrBuf fails). Each run must either print the correct output with status 0,
# or say "out of memory" with status 1: never a signal or a sanitizer report.
#   tests/faults/alloc_fail.sh [K]     (default: every N until a run succeeds
#                                       without hitting the failure, at most 3000)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
K=${1:-3000}
B=build-alloc
cd "$ROOT" || exit 1
# No Makefile change needed: SAN is appended to CFLAGS for every object.
make -s -j2 B=$B BIN=$B/veloc OPT=-O1 \
    SAN="-DVELO_ALLOC_TEST -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
    $B/veloc >/dev/null || { echo "build failed"; exit 1; }
W=$(mktemp -d /tmp/velo-alloc.XXXXXX)
trap 'rm -rf "$W"' EXIT
seq 1 3000 | awk 'BEGIN{print "id,s,v"} {print $1 ",k" ($1 % 37) "," ($1 % 101) * 0.5}' >"$W/in.csv"
cat >"$W/q.sql" <<SQL
CREATE STREAM t (id BIGINT, s STRING, v DOUBLE) WITH ('type'='file_source', 'path'='$W/in.csv');
SELECT s, COUNT(*) AS n, COUNT(DISTINCT id % 7) AS d, MEDIAN(v) AS m, STRING_AGG(s, ';') AS sa
FROM t GROUP BY s ORDER BY s;
SQL
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
"$B/veloc" run "$W/q.sql" --quiet >"$W/expected" 2>"$W/err" || { echo "reference run failed:"; cat "$W/err"; exit 1; }
ok=0 oom=0 bad=0
for n in $(seq 1 "$K"); do
    VELO_FAIL_ALLOC=$n "$B/veloc" run "$W/q.sql" --quiet >"$W/out" 2>"$W/err"
    rc=$?
    if grep -q "Sanitizer\|runtime error" "$W/err"; then
        echo "FAIL N=$n: sanitizer report"; head -20 "$W/err"; bad=$((bad + 1))
    elif [ $rc = 0 ] && cmp -s "$W/out" "$W/expected"; then
        ok=$((ok + 1))
        [ $# -eq 0 ] && break # past the last allocation: nothing fails any more
    elif [ $rc = 1 ] && grep -q "out of memory" "$W/err"; then
        oom=$((oom + 1))
    else
        echo "FAIL N=$n: status $rc"; tail -5 "$W/err"; bad=$((bad + 1))
    fi
done
echo "alloc_fail: $((ok + oom + bad)) runs: $ok correct output, $oom clean 'out of memory' (status 1), $bad failed"
[ $bad = 0 ]
