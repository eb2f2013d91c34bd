#!/usr/bin/env bash
# kafka_checkpoint.sh -- kill -9 at random points, restart, compare: jobs
# with 'checkpoint.interval' on a Kafka source (real broker on
# 127.0.0.1:9092, started here when none answers and stopped again) end
# with the output of an uninterrupted run:
#   1. AOT, 3 partitions, file sinks: a tumbling window (per-partition
#      watermarks) and a GROUP BY with COUNT DISTINCT / MEDIAN / HLL state;
#      same rows (row order within a window follows the interleaving of the
#      partitions, which differs between any two runs, so rows are sorted),
#      offsets committed at the end (a rerun reads nothing);
#   2. JIT, 1 partition, JSON arrays of 1..7 records per message (checkpoints
#      fall inside messages), bad records, session windows with STRING_AGG:
#      output and dead-letter file byte for byte;
#   2t. the same stopped by SIGTERM (outputs renamed at each stop);
#   2b. JIT, ORDER BY over the same topic: the sorted output byte for byte;
#   3. Kafka sink, at-least-once: every row of the uninterrupted run, no
#      other row, each at most once per run (duplicates only from replays);
#   4. Kafka sink with 'exactly.once': exactly the rows of the uninterrupted
#      run under read_committed;
#   5. the same job unbounded, killed, then drained by a bounded restart
#      from its checkpoint: exactly the rows;
#   6. a slow topic into an 'exactly.once' sink: rows visible without more
#      input (checkpoints between batches), none twice after a kill -9;
#   7. an 'exactly.once' job killed right after its last transaction, before
#      its done marker: the restart adds nothing.
# Each scenario needs at least KILLS (10) runs killed mid-way (a checkpoint
# on disk after the kill). Prints `N passed, N failed`.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VELOC=${1:-$ROOT/veloc}
case $VELOC in /*) ;; *) VELOC=$(pwd)/$VELOC ;; esac
KC=${VELO_KAFKA_CACHE:-$ROOT/tests/kafka/.cache}
KTOOL=$KC/ktool
KILLS=${KILLS:-10}
export VELO_KAFKA_BROKERS=127.0.0.1:9092
W=$(mktemp -d)
R=kc$$x$RANDOM
started=0 pass=0 fail=0 JOBPID=
cleanup() {
    [ -n "$JOBPID" ] && kill -9 "$JOBPID" 2>/dev/null
    "$KTOOL" delete "in-$R" "arr-$R" "ref-$R" ${TOPICS:-} >/dev/null 2>&1
    rm -rf "$W"
    [ $started = 1 ] && "$ROOT/tests/kafka/kafka-down.sh" >/dev/null 2>&1
}
trap cleanup EXIT
cd "$W" || exit 1
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; grep -v '^%' "$W/err" 2>/dev/null | sort | uniq -c | sort -rn | head -5 | sed 's/^/     /'; }

if ! { [ -x "$KTOOL" ] && "$KTOOL" probe 2>/dev/null; }; then
    "$ROOT/tests/kafka/kafka-up.sh" >"$W/kup.log" 2>&1 && started=1 || { cat "$W/kup.log"; echo "0 passed, 1 failed"; exit 1; }
fi
[ "$ROOT/tests/kafka/ktool.c" -nt "$KTOOL" ] && cc -O2 -o "$KTOOL" "$ROOT/tests/kafka/ktool.c" -lrdkafka

N=1000000
"$KTOOL" create "in-$R" 3 && "$KTOOL" gen "in-$R" $N 3 >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
# 1 partition, JSON arrays: 1 000 000 records in messages of 1..7, every 997th bad
python3 - <<'PY' >arr.txt
import json, random
random.seed(7)
i, t = 0, 1772409600000
while i < 1000000:
    msg = []
    for _ in range(random.randint(1, 7)):
        t += 10 if random.random() < 0.999 else 4000  # a 4 s gap ends the sessions
        v = "x" if i % 997 == 0 else random.randint(1, 99)
        msg.append({"id": i, "k": "k%d" % random.randint(0, 19), "v": v, "ts": t})
        i += 1
    print(json.dumps(msg, separators=(",", ":")))
PY
"$KTOOL" create "arr-$R" 1 && "$KTOOL" lines "arr-$R" 0 <arr.txt || { echo "0 passed, 1 failed"; exit 1; }

rand() { awk -v s=$RANDOM -v a="$1" -v b="$2" 'BEGIN{srand(s); printf "%.3f", a + rand() * (b - a)}'; }
# kill_loop CKDIR DONEFILES CMD...: runs CMD and kills it with SIGKILL (or $SIG) after
# a random delay (KMIN..KMAX s), again and again, until KILLS runs died with a checkpoint
# on disk, then runs it to the end (CMD + FINAL). A run that finished before its kill
# (DONEFILES all there, no checkpoint left) ends the scenario early:
# finished=1. Sets killed.
kill_loop() {
    local ck=$1 done_files=$2 f all
    shift 2
    killed=0 finished=0
    for _ in $(seq 1 200); do
        "$@" --quiet >/dev/null 2>>"$W/err" &
        JOBPID=$!
        sleep "$(rand "${KMIN:-0.05}" "${KMAX:-0.3}")"
        if ! kill -"${SIG:-9}" $JOBPID 2>/dev/null; then
            wait $JOBPID || echo "     a run ended with status $?"
            JOBPID=
            finished=1
            return
        fi
        wait $JOBPID 2>/dev/null
        JOBPID=
        if ls "$ck"/*.ckpt >/dev/null 2>&1; then
            killed=$((killed + 1))
            [ $killed -ge $KILLS ] && break
            continue
        fi
        all=1
        for f in $done_files; do [ -f "$f" ] || all=0; done
        [ -n "$done_files" ] && [ $all = 1 ] && { finished=1; return; }
    done
    "$@" "${FINAL[@]}" --quiet >/dev/null 2>>"$W/err" || echo "     the last run ended with status $?"
}
FINAL=() # extra arguments of the last run

# ---- 1. three partitions, file sinks, AOT ------------------------------------------
cat >q1.sql <<SQL
CREATE STREAM tw (id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER, ts TIMESTAMP)
  WITH ('type'='kafka_source', 'topic'='in-$R', 'scan.bounded.mode'='latest-offset',
        'event.time.field'='ts', 'checkpoint.interval'='20ms', 'checkpoint.dir'='ck1');
CREATE STREAM tg (id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type'='kafka_source', 'topic'='in-$R', 'scan.bounded.mode'='latest-offset',
        'checkpoint.interval'='20ms', 'checkpoint.dir'='ck1');
CREATE STREAM w AS SELECT sym, _WINDOW_START AS ws, COUNT(*) AS n, SUM(qty) AS q, MIN(price) AS lo, MAX(id) AS hi
  FROM tw GROUP BY sym WINDOW TUMBLING(ts, 1s) EMIT FINAL
  WITH ('w.type'='file_sink', 'w.path'='out1/w.csv');
CREATE TABLE g AS SELECT sym, COUNT(*) AS n, SUM(price) AS s, COUNT(DISTINCT qty) AS cd, MEDIAN(qty) AS med,
  APPROX_COUNT_DISTINCT(id) AS acd FROM tg GROUP BY sym
  WITH ('g.type'='file_sink', 'g.path'='out1/g.csv');
SQL
"$VELOC" build q1.sql -o job1 >build.log 2>&1 || { cat build.log; echo "0 passed, 1 failed"; exit 1; }
case1() {
    local s
    ./job1 --quiet --set tw.group.id=ref-w-$R --set tg.group.id=ref-g-$R >/dev/null 2>>"$W/err" || return 1
    mkdir -p ref1 && sort out1/w.csv >ref1/w && sort out1/g.csv >ref1/g && rm -rf out1 ck1
    [ "$(wc -l <ref1/w)" = 10001 ] || { echo "reference: $(wc -l <ref1/w) window rows"; return 1; }
    for s in 1 2 3; do
        kill_loop ck1 "out1/w.csv out1/g.csv" ./job1 --set tw.group.id=w$s-$R --set tg.group.id=g$s-$R
        [ $killed -ge $KILLS ] && break
        rm -rf out1 ck1
    done
    echo "     $killed runs killed mid-way"
    [ $killed -ge $KILLS ] || return 1
    sort out1/w.csv | cmp -s - ref1/w || { echo "window output differs"; return 1; }
    sort out1/g.csv | cmp -s - ref1/g || { echo "GROUP BY output differs"; return 1; }
    [ -z "$(ls ck1)" ] || { echo "checkpoint files left: $(ls ck1)"; return 1; }
    [ -z "$(ls out1 | grep tmp-)" ] || { echo "temporary files left"; return 1; }
    # the offsets went to the groups at the end: a rerun reads nothing
    ./job1 --set tw.group.id=w$s-$R --set tg.group.id=g$s-$R --set w.path=out1/w2.csv --set g.path=out1/g2.csv \
        2>&1 >/dev/null | grep -q "read 0 records from tw" || { echo "a rerun read records again"; return 1; }
}
: >err
if case1; then ok "AOT, 3 partitions: kill -9 >= $KILLS times, restart: window and GROUP BY rows identical, offsets committed"; else ko "AOT, 3 partitions, file sinks"; fi

# ---- 2. one partition, several records per message, JIT ----------------------------
cat >q2.sql <<SQL
CREATE STREAM ev (id BIGINT, k STRING, v INTEGER, ts TIMESTAMP)
  WITH ('type'='kafka_source', 'topic'='arr-$R', 'format'='json', 'scan.bounded.mode'='latest-offset',
        'event.time.field'='ts', 'watermark.max_out_of_orderness'='1s', 'dead_letter.path'='out2/bad.jsonl',
        'checkpoint.interval'='10ms', 'checkpoint.dir'='ck2');
CREATE STREAM s AS SELECT k, _WINDOW_START AS ws, COUNT(*) AS n, SUM(v) AS sv, STRING_AGG(CAST(v AS STRING), ';') AS sa
  FROM ev GROUP BY k WINDOW SESSION(ts, 3s)
  WITH ('s.type'='file_sink', 's.path'='out2/s.csv');
SQL
# loop2 SIG GROUP: stops the q2 job with SIG at random points (consumer
# groups GROUP1-3) until KILLS runs stopped mid-way, restarts it to the end and
# compares its output and dead letters with ref2/.
loop2() {
    local s
    for s in 1 2 3; do
        SIG=$1 KMAX=0.2 kill_loop ck2 "out2/s.csv" "$VELOC" run q2.sql --set ev.group.id=$2$s-$R
        [ $killed -ge $KILLS ] && break
        rm -rf out2 ck2
    done
    echo "     $killed runs stopped mid-way"
    [ $killed -ge $KILLS ] || return 1
    cmp out2/s.csv ref2/s.csv && cmp out2/bad.jsonl ref2/bad.jsonl || return 1
    [ -z "$(ls ck2)" ] && [ -z "$(ls out2 | grep tmp-)" ] || { echo "files left: $(ls ck2 out2)"; return 1; }
}
case2() {
    "$VELOC" run q2.sql --quiet --set ev.group.id=ref-s-$R >/dev/null 2>>"$W/err" || return 1
    mkdir -p ref2 && cp out2/* ref2/ && rm -rf out2 ck2
    [ "$(wc -l <ref2/bad.jsonl)" = 1004 ] || { echo "reference: $(wc -l <ref2/bad.jsonl) dead letters"; return 1; }
    loop2 9 s
}
: >err
if case2; then ok "JIT, JSON arrays (checkpoints inside messages), bad records: kill -9 >= $KILLS times, output and dead letters byte-identical"; else ko "JIT, JSON arrays, 1 partition"; fi

# ---- 2t. the same job stopped by SIGTERM: each stop renames the session rows
# so far into place; the restart resumes from that renamed file ------------------
: >err
rm -rf out2 ck2
if loop2 TERM t; then ok "JIT, JSON arrays: SIGTERM >= $KILLS times, restart: output and dead letters byte-identical"; else ko "JIT, JSON arrays, SIGTERM"; fi

# ---- 2b. ORDER BY over the same topic (its own source and consumer groups) ----------
cat >q2s.sql <<SQL
CREATE STREAM ev (id BIGINT, k STRING, v INTEGER, ts TIMESTAMP)
  WITH ('type'='kafka_source', 'topic'='arr-$R', 'format'='json', 'scan.bounded.mode'='latest-offset',
        'dead_letter.path'='out2s/bad.jsonl', 'checkpoint.interval'='20ms', 'checkpoint.dir'='ck2s');
CREATE TABLE o AS SELECT k, v, id FROM ev WHERE v > 95 ORDER BY k DESC, v
  WITH ('o.type'='file_sink', 'o.path'='out2s/o.csv');
SQL
case2s() {
    "$VELOC" run q2s.sql --quiet --set ev.group.id=ref-o-$R >/dev/null 2>>"$W/err" || return 1
    mkdir -p ref2s && cp out2s/* ref2s/ && rm -rf out2s ck2s
    for s in 1 2 3 4 5; do # a short job: most kills must come early
        KMIN=0.03 KMAX=0.15 kill_loop ck2s "out2s/o.csv" "$VELOC" run q2s.sql --set ev.group.id=o$s-$R
        [ $killed -ge $KILLS ] && break
        rm -rf out2s ck2s
    done
    echo "     $killed runs killed mid-way"
    [ $killed -ge $KILLS ] || return 1
    cmp out2s/o.csv ref2s/o.csv && cmp out2s/bad.jsonl ref2s/bad.jsonl || return 1
    [ -z "$(ls ck2s)" ] && [ -z "$(ls out2s | grep tmp-)" ] || { echo "files left: $(ls ck2s out2s)"; return 1; }
}
: >err
if case2s; then ok "JIT, ORDER BY over JSON arrays: kill -9 >= $KILLS times, the sorted output and dead letters byte-identical"; else ko "JIT, ORDER BY over Kafka"; fi

# ---- 3 and 4. Kafka sinks ---------------------------------------------------------
cat >q3.sql <<SQL
CREATE STREAM tw (id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER, ts TIMESTAMP)
  WITH ('type'='kafka_source', 'topic'='in-$R', 'scan.bounded.mode'='latest-offset',
        'event.time.field'='ts', 'checkpoint.interval'='100ms', 'checkpoint.dir'='ck3');
CREATE STREAM o (sym STRING, ws TIMESTAMP, n BIGINT, q BIGINT, lo DECIMAL(10,2))
  WITH ('type'='kafka_sink', 'topic'='ref-$R');
INSERT INTO o SELECT sym, _WINDOW_START AS ws, COUNT(*) AS n, SUM(qty) AS q, MIN(price) AS lo
  FROM tw GROUP BY sym WINDOW TUMBLING(ts, 1s) EMIT FINAL;
SQL
"$VELOC" build q3.sql -o job3 >build.log 2>&1 || { cat build.log; echo "0 passed, 1 failed"; exit 1; }
"$KTOOL" create "ref-$R" 1 >/dev/null
./job3 --quiet --set tw.group.id=ref-o-$R >/dev/null 2>>"$W/err" && "$KTOOL" dump "ref-$R" >ref3.txt
rm -rf ck3
# check3 MODE DUMP: every reference row, no other row; 'exact': each once
check3() {
    python3 - "$1" ref3.txt "$2" "$killed" <<'PY'
import collections, sys
mode, ref, out, killed = sys.argv[1], open(sys.argv[2]).read().split("\n"), open(sys.argv[3]).read().split("\n"), int(sys.argv[4])
ref = collections.Counter(l for l in ref if l)
out = collections.Counter(l for l in out if l)
assert len(ref) == 10000 and max(ref.values()) == 1, "reference has %d rows" % sum(ref.values())
missing = [r for r in ref if r not in out]
assert not missing, "%d rows missing, e.g. %s" % (len(missing), missing[0])
wrong = [r for r in out if r not in ref]
assert not wrong, "%d rows not in the reference, e.g. %s" % (len(wrong), wrong[0])
dup = sum(out.values()) - len(ref)
if mode == "exact":
    assert dup == 0, "%d duplicates with exactly.once" % dup
else:  # a row repeats only when a run died after writing it and the next replayed it
    assert max(out.values()) <= killed + 1, "a row appears %d times after %d kills" % (max(out.values()), killed)
print("     %d rows, %d duplicates" % (sum(out.values()), dup))
PY
}
# case3 TOPIC MODE ARGS...: a job that finished before KILLS kills starts
# over into a new topic (TOPIC-2, TOPIC-3) with a new group.
case3() {
    local topic=$1 mode=$2 s t
    shift 2
    [ "$(wc -l <ref3.txt)" = 10000 ] || { echo "reference: $(wc -l <ref3.txt) rows"; return 1; }
    for s in 1 2 3; do
        t=$topic-$s
        "$KTOOL" create "$t" 1 >/dev/null || return 1
        TOPICS="$TOPICS $t"
        rm -rf ck3
        kill_loop ck3 "" ./job3 --set tw.group.id=g-$t --set o.topic=$t "$@"
        [ $killed -ge $KILLS ] && break
    done
    echo "     $killed runs killed mid-way"
    [ $killed -ge $KILLS ] || return 1
    [ -z "$(ls ck3)" ] || { echo "checkpoint files left: $(ls ck3)"; return 1; }
    "$KTOOL" dump "$t" >out3.txt && check3 "$mode" out3.txt
}
TOPICS=""
: >err
if case3 "o3-$R" atleast; then
    ok "Kafka sink, at-least-once: kill -9 >= $KILLS times: every row, no other, duplicates only from replays"
else ko "Kafka sink, at-least-once"; fi
rm -rf ck3
: >err
if case3 "o4-$R" exact --set o.exactly.once=true --set o.kafka.transactional.id=t4-$R; then
    ok "Kafka sink, exactly.once: kill -9 >= $KILLS times: exactly the rows of an uninterrupted run (read_committed)"
else ko "Kafka sink, exactly.once"; fi

# ---- 5. unbounded, then drained by a bounded run ----------------------------------
# The same job reading without end, killed; the last run is told to stop at
# the end offsets of now (--set tw.scan.bounded.mode=latest-offset) and so
# closes every window.
rm -rf ck3
: >err
FINAL=(--set tw.scan.bounded.mode=latest-offset)
if case3 "o5-$R" exact --set o.exactly.once=true --set o.kafka.transactional.id=t5-$R --set tw.scan.bounded.mode=unbounded; then
    ok "unbounded source into an exactly.once sink: kill -9 >= $KILLS times, drained by a bounded restart: exactly the rows"
else ko "unbounded source, exactly.once, drained bounded"; fi
FINAL=()

# ---- 7. killed between the last transaction and the done marker ----------------
# (VELO_TEST_KILL makes the job SIGKILL itself right there): the restart
# finds the statement's output committed and adds nothing.
case7() {
    local t=o7-$R
    "$KTOOL" create "$t" 1 >/dev/null || return 1
    TOPICS="$TOPICS $t"
    rm -rf ck3
    set -- ./job3 --quiet --set tw.group.id=g-$t --set o.topic=$t --set o.exactly.once=true --set o.kafka.transactional.id=t7-$R
    (
        VELO_TEST_KILL=after-final-commit "$@" >/dev/null 2>>"$W/err"
        echo $? >rc7
    ) 2>/dev/null # no "Killed" line from the shell
    local rc
    rc=$(cat rc7)
    [ $rc = 137 ] && ls ck3/*.final >/dev/null 2>&1 || { echo "status $rc, $(ls ck3)"; return 1; }
    "$@" >/dev/null 2>>"$W/err" || return 1
    killed=1
    [ -z "$(ls ck3)" ] || { echo "checkpoint files left: $(ls ck3)"; return 1; }
    ! grep -q "match neither" "$W/err" && "$KTOOL" dump "$t" >out3.txt && check3 exact out3.txt
}
: >err
if case7; then ok "exactly.once, kill -9 between the last transaction commit and the done marker: the restart adds no row"
else ko "exactly.once, kill -9 after the last transaction"; fi

# ---- 6. a slow topic ------------------------------------------------------------------
# Three records and then silence: the checkpoint taken between batches makes
# the exactly.once rows visible without 1024 records; a kill -9 and restart
# adds no duplicate.
cat >q6.sql <<SQL
CREATE STREAM t (id BIGINT) WITH ('type'='kafka_source', 'topic'='slow-$R', 'checkpoint.interval'='200ms', 'checkpoint.dir'='ck6');
CREATE STREAM o (id BIGINT) WITH ('type'='kafka_sink', 'topic'='slowo-$R', 'exactly.once'='true');
INSERT INTO o SELECT id FROM t;
SQL
TOPICS="$TOPICS slow-$R slowo-$R"
# visible N: waits up to 10 s for N messages in the output, read_committed
visible() { for _ in $(seq 1 50); do [ "$("$KTOOL" dump "slowo-$R" | wc -l)" -ge "$1" ] && return 0; sleep 0.2; done; return 1; }
case6() {
    "$KTOOL" create "slow-$R" 1 >/dev/null && "$KTOOL" create "slowo-$R" 1 >/dev/null || return 1
    "$VELOC" run q6.sql --quiet 2>>"$W/err" & JOBPID=$!
    sleep 1
    printf '{"id":1}\n{"id":2}\n{"id":3}\n' | "$KTOOL" lines "slow-$R" 0
    visible 3 || { echo "3 records in, $("$KTOOL" dump "slowo-$R" | wc -l) rows visible after 10 s"; return 1; }
    kill -9 $JOBPID; wait $JOBPID 2>/dev/null
    "$VELOC" run q6.sql --quiet 2>>"$W/err" & JOBPID=$!
    sleep 1
    printf '{"id":4}\n' | "$KTOOL" lines "slow-$R" 0
    visible 4 || { echo "the restarted job's row is not visible"; return 1; }
    kill -TERM $JOBPID; wait $JOBPID; JOBPID=
    [ "$("$KTOOL" dump "slowo-$R" | tr -d '\n')" = '{"id":1}{"id":2}{"id":3}{"id":4}' ] || { "$KTOOL" dump "slowo-$R"; return 1; }
}
: >err
if case6; then ok "slow topic, exactly.once: rows visible one interval after 3 records, kill -9 + restart: ids 1..4 once each"
else ko "slow topic, exactly.once"; fi

# ---- compile-time rules --------------------------------------------------------------
cat >q5.sql <<SQL
CREATE STREAM t (id BIGINT) WITH ('type'='kafka_source', 'topic'='in-$R', 'checkpoint.interval'='1s', 'checkpoint.dir'='ck5');
CREATE STREAM a AS SELECT id FROM t WITH ('a.type'='file_sink', 'a.path'='a.csv');
CREATE STREAM b AS SELECT id FROM t WITH ('b.type'='file_sink', 'b.path'='b.csv');
SQL
if "$VELOC" check q5.sql >/dev/null 2>err5; then ko "a checkpointed Kafka source read by two statements is refused"
elif grep -q "checkpointed Kafka source 't' is read by statements 1 and 2" err5; then ok "a checkpointed Kafka source read by two statements is a compile error"
else cat err5; ko "a checkpointed Kafka source read by two statements: wrong message"; fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
