#!/usr/bin/env bash
# checkpoint.sh -- kill -9 at random points, restart, compare: a job with
# 'checkpoint.interval' over a file source ends with exactly the output of an
# uninterrupted run (filter/project, GROUP BY with string, distinct and
# STRING_AGG state, session and sliding windows, joins with a file dimension that is
# read again on restart and reports its bad rows once, a RIGHT join whose
# dimension rows matched only early in the stream must not come out unmatched
# after a restart, and an ORDER BY's buffered rows), through the AOT job and
# the JIT, and a sink that cannot write during a checkpoint. Prints `N passed,
# N failed`.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VELOC=${1:-$ROOT/veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
python3 - <<'PY'
import random
random.seed(11)
with open("in.csv", "w") as f:
    f.write("id,k,v,ts\n")
    for i in range(600000):
        bad = i % 7919 == 0
        k = f"e{i % 5}" if i < 50000 and i % 1000 == 0 else f"k{random.randint(0, 60)}"  # e*: only early
        f.write(f"{i},{k},{'x' if bad else random.randint(1, 1000)},"
                f"2026-01-01T{(i // 60000) % 24:02d}:{(i // 1000) % 60:02d}:{(i // 17) % 60:02d}\n")
with open("dim.csv", "w") as f:
    f.write("k,region,w\n")
    for k in range(0, 55):  # k55..k60 have no match: the LEFT JOIN pads them
        f.write(f"k{k},r{k % 7},{'bad' if k == 13 else k * 10}\n")
    for k in range(5):  # e*: matched in the first 50 000 rows only; u*: never (the RIGHT JOIN pads them)
        f.write(f"e{k},early,{k}\nu{k},never,{k}\n")
PY
cat >q.sql <<'SQL'
CREATE STREAM t (id BIGINT, k STRING, v INTEGER, ts TIMESTAMP) WITH ('type'='file_source','path'='in.csv',
  'format'='csv', 'event.time.field'='ts', 'watermark.max_out_of_orderness'='1h',
  'checkpoint.interval'='10ms', 'checkpoint.dir'='ck', 'dead_letter.path'='out/bad.jsonl');
CREATE STREAM o1 AS SELECT id, k, v * 2 AS v2 FROM t WHERE v > 500
  WITH ('o1.type'='file_sink','o1.path'='out/o1.csv');
CREATE TABLE o2 AS SELECT k, COUNT(*) AS n, SUM(v) AS s, MAX(k) AS mk, COUNT(DISTINCT v) AS cd,
  APPROX_COUNT_DISTINCT(v) AS acd, MEDIAN(v) AS med FROM t GROUP BY k
  WITH ('o2.type'='file_sink','o2.path'='out/o2.csv');
CREATE STREAM o3 AS SELECT k, _WINDOW_START AS ws, COUNT(*) AS n, STRING_AGG(CAST(v AS STRING), ';') AS sa
  FROM t WHERE v < 30 GROUP BY k WINDOW SESSION(ts, 5m)
  WITH ('o3.type'='file_sink','o3.path'='out/o3.csv');
CREATE STREAM o4 AS SELECT k, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
  FROM t WHERE v > 900 GROUP BY k WINDOW SLIDING(ts, 10m, 1m) EMIT FINAL
  WITH ('o4.type'='file_sink','o4.path'='out/o4.csv');
CREATE STREAM dim (k STRING, region STRING, w INTEGER) WITH ('type'='file_source','path'='dim.csv',
  'format'='csv', 'dead_letter.path'='out/dimbad.jsonl');
CREATE STREAM o5 AS SELECT t.id, d.region, t.v + d.w AS vw FROM t JOIN dim AS d ON t.k = d.k WHERE t.v > 990
  WITH ('o5.type'='file_sink','o5.path'='out/o5.csv');
CREATE TABLE o6 AS SELECT d.region, COUNT(*) AS n, SUM(t.v) AS s FROM t LEFT JOIN dim AS d ON t.k = d.k GROUP BY d.region
  WITH ('o6.type'='file_sink','o6.path'='out/o6.csv');
CREATE TABLE o7 AS SELECT d.k, d.region, COUNT(*) AS n, COUNT(t.id) AS matched FROM t RIGHT JOIN dim AS d ON t.k = d.k GROUP BY d.k, d.region
  WITH ('o7.type'='file_sink','o7.path'='out/o7.csv');
CREATE TABLE o8 AS SELECT k, v, id FROM t WHERE v > 995 ORDER BY k DESC, v
  WITH ('o8.type'='file_sink','o8.path'='out/o8.csv');
SQL
# finished FILES...: the job had done all its work when it was killed (every
# output file in place and its checkpoint files removed): the kill fell in
# its exit, and restarting it would be a new run of a finished job, which
# writes its dead letters again (the same ambiguity any supervisor has).
finished() {
    local f
    for f in "$@"; do [ -e "out/$f" ] || return 1; done
    [ -z "$(ls ck 2>/dev/null)" ]
}
# kill_loop Q FILES...: build Q.sql, run it once for reference, then for the AOT
# job and the JIT kill it (signal $SIG, default 9) at random points until
# $KILLS (20) runs stopped mid-way, restart it to the end and compare FILES
# (in out/) with the reference.
SIG=9 KILLS=20
kill_loop() {
    local q=$1; shift
    rm -rf out ck ref
    "$VELOC" build "$q.sql" -o job >build.log 2>&1 || { cat build.log; ko "$q: build"; return; }
    local t0 t1 aot_max
    t0=$(date +%s.%N)
    ./job --quiet >/dev/null 2>&1 && mkdir ref && cp out/* ref/ && rm -rf out ck
    t1=$(date +%s.%N)
    # the AOT job's kills fall within 80 % of its uninterrupted run, at most
    # KILL_MAX: a job that got faster would otherwise mostly finish first
    aot_max=$(awk -v a="$t0" -v b="$t1" -v m="$KILL_MAX" 'BEGIN{d=(b-a)*0.8; printf "%.3f", d < m ? d : m}')
    for mode in aot jit; do
        killed=0 tries=0
        max=$KILL_MAX
        [ $mode = aot ] && max=$aot_max
        # a run that got to the end before its kill finished the job, so that
        # scenario starts over
        while [ $killed -lt "$KILLS" ] && [ $tries -lt 200 ]; do
            tries=$((tries + 1))
            if [ $mode = aot ]; then ./job --quiet >/dev/null 2>&1 & else "$VELOC" run "$q.sql" --quiet >/dev/null 2>&1 & fi
            pid=$!
            sleep "$(awk -v s=$RANDOM -v m="$max" 'BEGIN{srand(s); printf "%.3f", 0.01 + rand() * m}')"
            if ! kill -"$SIG" $pid 2>/dev/null; then wait $pid 2>/dev/null; rm -rf out ck; continue; fi
            wait $pid 2>/dev/null
            if finished "$@"; then rm -rf out ck; else killed=$((killed + 1)); fi
        done
        if [ $mode = aot ]; then ./job --quiet >/dev/null 2>final.err; else "$VELOC" run "$q.sql" --quiet >/dev/null 2>final.err; fi
        local frc=$?
        same=1
        for f in "$@"; do cmp -s "out/$f" "ref/$f" || { same=0; echo "     $f differs:"; diff "ref/$f" "out/$f" | head -6; }; done
        left=$(ls out | grep -c tmp- || true)
        [ $same = 1 ] && [ "$left" = 0 ] && [ $killed -ge "$KILLS" ] &&
            ok "$q $mode: $killed kill -$SIG runs then a restart: output identical to an uninterrupted run, no temporary files left" ||
            { ko "$q $mode: killed $killed, identical $same, temporary files left $left, restart status $frc"
              sed 's/^/     restart: /' final.err | head -5; echo "     out: $(ls out | tr '\n' ' ')"; }
        rm -rf out ck
    done
}
KILL_MAX=0.12 kill_loop q o1.csv o2.csv o3.csv o4.csv o5.csv o6.csv o7.csv o8.csv bad.jsonl dimbad.jsonl
# The RIGHT join alone, killed all through its one statement: a dimension row
# matched only in the first rows must keep its match across restarts.
sed -n '1,3p;/^CREATE STREAM dim/,/dimbad/p;/^CREATE TABLE o7/,/o7.csv/p' q.sql >right.sql
KILL_MAX=0.06 kill_loop right o7.csv bad.jsonl dimbad.jsonl
# A kill after a statement's output was renamed and before its done marker
# (VELO_TEST_KILL): the temporary file its last checkpoint names is the
# output now. The restart must leave that output as it is; it used to fail
# to resume and rename an empty output over it.
renamed() {
    rm -rf out ck ref
    "$VELOC" build right.sql -o job >build.log 2>&1 || { cat build.log; ko "renamed: build"; return; }
    ./job --quiet >/dev/null 2>&1 && mkdir ref && cp out/* ref/ && rm -rf out ck
    VELO_TEST_KILL=before-done-marker ./job --quiet >/dev/null 2>&1
    local killed=$? had=$(ls ck 2>/dev/null | wc -l)
    ./job --quiet >/dev/null 2>&1
    local rc=$? same=1 f
    for f in o7.csv bad.jsonl dimbad.jsonl; do cmp -s "out/$f" "ref/$f" || { same=0; echo "     $f differs"; }; done
    [ $killed = 137 ] && [ "$had" -gt 0 ] && [ $rc = 0 ] && [ $same = 1 ] && [ -z "$(ls ck)" ] &&
        ok "killed after the output's rename, before the done marker: the restart keeps the output" ||
        ko "renamed: kill status $killed, checkpoint files $had, restart status $rc, identical $same, left in ck: $(ls ck | tr '\n' ' ')"
    rm -rf out ck
}
renamed
# SIGTERM ends a run cleanly: its file sinks are renamed into place (the
# output so far is visible) and the statement has no done marker. The
# restart resumes from the renamed file (the inode its checkpoint names);
# it used to take the renamed output for a finished statement and stop
# there, or fail to find the temporary file.
SIG=TERM KILLS=8 KILL_MAX=0.12 kill_loop q o1.csv o2.csv o3.csv o4.csv o5.csv o6.csv o7.csv o8.csv bad.jsonl dimbad.jsonl
# A run that fails ('error.policy'='fail' on a record made bad after the
# reference run) leaves the previous output in place and its temporary
# file for the restart; with the record repaired, the restart resumes and
# ends with the reference output.
failed() {
    rm -rf out ck ref
    sed "s/'dead_letter.path'='out\/bad.jsonl'/'error.policy'='fail'/" right.sql >fail.sql
    "$VELOC" build fail.sql -o job >build.log 2>&1 || { cat build.log; ko "failed: build"; return; }
    ./job --quiet >/dev/null 2>&1 && mkdir ref && cp out/o7.csv ref/
    cp in.csv in.good
    awk -F, -v OFS=, 'NR == 400001 {$1 = "y"} {print}' in.good >in.csv  # id: a column o7 reads
    echo "previous,run" >out/o7.csv
    ./job >/dev/null 2>err.log
    local rc=$? kept=$(cat out/o7.csv) tmps=$(ls out | grep -c tmp- || true)
    cp in.good in.csv
    ./job >/dev/null 2>>err.log
    local rc2=$? same=1
    cmp -s out/o7.csv ref/o7.csv || same=0
    [ $rc = 1 ] && [ "$kept" = "previous,run" ] && [ "$tmps" = 1 ] && [ $rc2 = 0 ] && [ $same = 1 ] &&
        grep -q "resuming from a checkpoint" err.log && [ -z "$(ls ck)" ] &&
        ok "a failed run keeps the previous output and its temporary file; the restart resumes to the reference output" ||
        { ko "failed: status $rc, previous output '$kept', temporary files $tmps, restart status $rc2, identical $same"; cat err.log; }
    rm -rf out ck
}
failed
# A sink write that fails inside a checkpoint (the file size limit, with
# SIGXFSZ ignored so write(2) returns EFBIG): that checkpoint is not
# committed, the last good one stays, and the restart ends with the reference
# output. Committing it anyway resumes past rows the file never got.
sink_full() {
    rm -rf out ck ref
    sed -n '1,3p;/^CREATE STREAM o1/,/o1.csv/p' q.sql | sed "s/'checkpoint.interval'='10ms'/'checkpoint.interval'='1ms'/" >full.sql
    "$VELOC" build full.sql -o job >build.log 2>&1 || { cat build.log; ko "sink full: build"; return; }
    ./job --quiet >/dev/null 2>&1 && mkdir ref && cp out/o1.csv ref/ && rm -rf out ck
    (trap '' XFSZ; ulimit -f 300; exec ./job) >/dev/null 2>err.log
    local rc=$?
    ./job >/dev/null 2>>err.log
    local rc2=$? same=1
    cmp -s out/o1.csv ref/o1.csv || same=0
    [ $rc = 1 ] && [ $rc2 = 0 ] && [ $same = 1 ] && grep -q "File too large" err.log &&
        grep -q "resuming from a checkpoint after record [1-9]" err.log &&
        ok "a sink that cannot write during a checkpoint: the last good checkpoint stays, the restart ends identical" ||
        { ko "sink full: status $rc, restart status $rc2, identical $same"; cat err.log; }
    rm -rf out ck
}
sink_full
# ORDER BY alone: the rows buffered before a checkpoint come back with it.
sed -n '1,3p;/^CREATE TABLE o8/,/o8.csv/p' q.sql >sort.sql
KILL_MAX=0.06 kill_loop sort o8.csv bad.jsonl
echo "$pass passed, $fail failed"
[ $fail = 0 ]
