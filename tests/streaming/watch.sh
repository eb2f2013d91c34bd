#!/bin/sh
# Watched files ('watching' = 'true'): a file source follows a growing file as
# an unbounded stream until SIGINT/SIGTERM, which ends the job cleanly (sinks
# flushed, file sinks renamed into place, the summary printed).
#
# usage: tests/streaming/watch.sh [VELOC]      prints `N passed, N failed`
VELOC=${1:-$(dirname "$0")/../../veloc}
VELOC=$(cd "$(dirname "$VELOC")" && pwd)/$(basename "$VELOC")
T=$(mktemp -d /tmp/velo_watch.XXXXXX)
trap 'kill $JOB 2>/dev/null; rm -rf "$T"' EXIT INT TERM
pass=0 fail=0 JOB=

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; for m in "$@"; do echo "  $m"; done; }

# wait_for FILE PATTERN [SECONDS]: until grep finds PATTERN in FILE
wait_for() {
    i=0
    while [ $i -lt $((${3:-5} * 20)) ]; do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# start CMD...: runs a job in the background in $T (stdout $T/out, stderr $T/err)
start() { (cd "$T" && exec "$@" >"$T/out" 2>"$T/err") & JOB=$!; sleep 0.4; }
# stop SIG: signals the job and waits for it; sets RC
stop() { kill -"$1" $JOB 2>/dev/null; wait $JOB; RC=$?; JOB=; }

# --- 1. filter into a file sink, JIT and AOT ------------------------------
cat >"$T/filter.sql" <<'EOF'
CREATE STREAM big AS SELECT id, name FROM src WHERE id % 2 = 1
  WITH ('src.type' = 'file_source', 'src.path' = 'in.csv', 'src.format' = 'csv',
        'src.has_headers' = 'true', 'src.watching' = 'true',
        'big.type' = 'file_sink', 'big.path' = 'out.csv', 'big.format' = 'csv');
EOF
printf 'id,name\n1,one\n' >"$T/in.csv"    # the schema is inferred at build time
if ! "$VELOC" build "$T/filter.sql" -o "$T/filter_job" 2>"$T/build.err"; then
    bad "filter: build" "$(cat "$T/build.err")"
fi
for mode in jit aot; do
    rm -f "$T/out.csv"
    printf 'id,name\n1,one\n2,two\n' >"$T/in.csv"
    if [ $mode = jit ]; then start "$VELOC" run filter.sql; else start ./filter_job; fi
    printf '3,three\n4,four\n' >>"$T/in.csv"
    sleep 0.3
    printf '5,fi' >>"$T/in.csv"      # a record written in two pieces
    sleep 0.3
    printf 've\n6,six\n7,"se,ven"\n' >>"$T/in.csv"
    sleep 0.5
    pre=$(ls "$T/out.csv" 2>/dev/null)
    stop INT
    exp=$(printf 'id,name\n1,one\n3,three\n5,five\n7,"se,ven"')
    got=$(cat "$T/out.csv" 2>/dev/null)
    if [ "$got" = "$exp" ] && [ -z "$pre" ] && [ $RC -eq 0 ] && grep -q 'interrupted' "$T/err"; then
        ok "filter to a file sink ($mode): rows appended over time, renamed into place at SIGINT"
    else
        bad "filter to a file sink ($mode)" "exit $RC; out.csv before SIGINT: '$pre'" "got: $got" "expected: $exp" "stderr: $(cat "$T/err")"
    fi
done

# --- 2. EMIT CHANGES to stdout: rows appear while the job runs (SIGTERM) ---
cat >"$T/changes.sql" <<'EOF'
CREATE STREAM s (k STRING, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'ev.jsonl', 'format' = 'jsonl', 'watching' = 'true');
SELECT k, COUNT(*) AS n, SUM(v) AS s FROM s GROUP BY k EMIT CHANGES;
EOF
printf '{"k":"a","v":1}\n' >"$T/ev.jsonl"
start "$VELOC" run changes.sql --format csv
printf '{"k":"b","v":2}\n{"k":"a","v":3}\n' >>"$T/ev.jsonl"
if wait_for "$T/out" '^a,2,4$'; then live=yes; else live=no; fi
stop TERM
exp=$(printf 'k,n,s\na,1,1\nb,1,2\na,2,4')
if [ $live = yes ] && [ "$(cat "$T/out")" = "$exp" ] && [ $RC -eq 0 ]; then
    ok "EMIT CHANGES over a watched JSONL file: rows on stdout while running, SIGTERM ends it"
else
    bad "EMIT CHANGES over a watched JSONL file" "live=$live exit $RC" "got: $(cat "$T/out")" "stderr: $(cat "$T/err")"
fi

# --- 3. windows close as new events advance the watermark ------------------
cat >"$T/win.sql" <<'EOF'
CREATE STREAM t (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'w.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '5s', 'watching' = 'true');
SELECT k, _WINDOW_START AS ws, COUNT(*) AS n, SUM(v) AS s FROM t GROUP BY k WINDOW TUMBLING(1m);
EOF
printf 'k,ts,v\na,2026-03-02 10:00:10,1\nb,2026-03-02 10:00:20,2\n' >"$T/w.csv"
start "$VELOC" run win.sql --format csv
printf 'a,2026-03-02 10:01:02,4\n' >>"$T/w.csv"       # watermark 10:00:57: nothing closes
sleep 0.5
early=$(tail -n +2 "$T/out")
printf 'a,2026-03-02 10:00:58,8\n' >>"$T/w.csv"       # out of order, still in time
printf 'b,2026-03-02 10:01:06,16\n' >>"$T/w.csv"      # watermark 10:01:01: 10:00 closes
if wait_for "$T/out" '^b,2026-03-02 10:00:00,1,2$'; then live=yes; else live=no; fi
mid=$(cat "$T/out")
printf 'a,2026-03-02 10:00:30,32\n' >>"$T/w.csv"      # late: dead-lettered
wait_for "$T/err" 'late record' 3
printf 'b,2026-03-02 10:02:30,64\n' >>"$T/w.csv"      # watermark 10:02:25: 10:01 closes
wait_for "$T/out" '^b,2026-03-02 10:01:00,1,16$'
stop INT
exp_mid=$(printf 'k,ws,n,s\na,2026-03-02 10:00:00,2,9\nb,2026-03-02 10:00:00,1,2')
if [ -z "$early" ] && [ $live = yes ] && [ "$mid" = "$exp_mid" ] &&
    grep -q '^a,2026-03-02 10:01:00,1,4$' "$T/out" && grep -q '^b,2026-03-02 10:01:00,1,16$' "$T/out" &&
    grep -q 'late record: event time 2026-03-02 10:00:30' "$T/err" && [ $RC -eq 0 ]; then
    ok "TUMBLING over a watched file: each window is emitted when the watermark passes it"
else
    bad "TUMBLING over a watched file" "early='$early' live=$live exit $RC" "mid: $mid" "out: $(cat "$T/out")" "stderr: $(cat "$T/err")"
fi

# --- 4. truncation and replacement (rotation) -------------------------------
cat >"$T/rot.sql" <<'EOF'
CREATE STREAM r (id INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'r.csv', 'format' = 'csv', 'has_headers' = 'true', 'watching' = 'true');
SELECT id, name FROM r;
EOF
printf 'id,name\n1,a\n2,b\n' >"$T/r.csv"
start "$VELOC" run rot.sql --format csv
wait_for "$T/out" '^2,b$'
printf 'id,name\n3,c\n' >"$T/r.new" && mv "$T/r.new" "$T/r.csv"    # rotated: a new file, header again
wait_for "$T/out" '^3,c$'
: >"$T/r.csv"                                                        # truncated in place
sleep 0.4
printf 'id,name\n4,d\n' >>"$T/r.csv"
wait_for "$T/out" '^4,d$'
stop INT
exp=$(printf 'id,name\n1,a\n2,b\n3,c\n4,d')
if [ "$(cat "$T/out")" = "$exp" ] && grep -q 'replaced' "$T/err" && grep -q 'truncated' "$T/err" &&
    ! grep -q 'bad record\|dead-letter' "$T/err"; then
    ok "rotation and truncation: the new contents are read from the start, headers skipped"
else
    bad "rotation and truncation" "exit $RC" "got: $(cat "$T/out")" "stderr: $(cat "$T/err")"
fi

# --- 5. watching is refused where it cannot work ---------------------------
printf '[{"a":1}]' >"$T/doc.json"
cat >"$T/doc.sql" <<'EOF'
CREATE STREAM d (a INTEGER) WITH ('type' = 'file_source', 'path' = 'doc.json', 'format' = 'json', 'watching' = 'true');
SELECT a FROM d;
EOF
(cd "$T" && "$VELOC" run doc.sql >"$T/out" 2>"$T/err"); RC=$?
if [ $RC -eq 2 ] && grep -q "watching" "$T/err"; then
    ok "'watching' on a whole JSON document is a configuration error"
else
    bad "'watching' on a whole JSON document" "exit $RC" "stderr: $(cat "$T/err")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
