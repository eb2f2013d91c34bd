#!/usr/bin/env bash
# run.sh -- fault injection and bad-input suite: every case checks the output
# of the job, not only that it did not crash.
#   tests/faults/run.sh [--veloc ./veloc] [--no-kafka]
# Prints ok/FAIL (or skip) per case and `N passed, N failed`; exit 1 on failure.
# Needs root for the tmpfs (disk full) cases; the Kafka cases need the test
# broker (tests/kafka/kafka-up.sh; started and stopped here when not running).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VELOC=$ROOT/veloc
KAFKA=1
while [ $# -gt 0 ]; do
    case $1 in
    --veloc) VELOC=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --no-kafka) KAFKA=0; shift ;;
    *) echo "usage: $0 [--veloc PATH] [--no-kafka]" >&2; exit 2 ;;
    esac
done
W=$(mktemp -d /tmp/velo-faults.XXXXXX)
# `veloc build` of a veloc outside the source tree: libvelo.a beside it
[ -f "$(dirname "$VELOC")/libvelo.a" ] && export VELO_LIBDIR=${VELO_LIBDIR:-$(dirname "$VELOC")}
pass=0 fail=0 skip=0 MNT= JOBPID= KSTARTED=0
cleanup() {
    [ -n "$JOBPID" ] && kill -9 "$JOBPID" 2>/dev/null
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    [ $KSTARTED = 1 ] && "$ROOT/tests/kafka/kafka-down.sh" >/dev/null 2>&1
    rm -rf "$W"
}
trap cleanup EXIT
cd "$W" || exit 1

ok() { echo "ok   $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -s "$W/why" ] && sed 's/^/     /' "$W/why" | tail -12; fail=$((fail + 1)); }
sk() { echo "skip $1: $2"; skip=$((skip + 1)); }
# t NAME FUNC: the function's status decides; it explains a failure in $W/why
t() { : >"$W/why"; if "$2" >>"$W/why" 2>&1; then ok "$1"; else ko "$1"; fi; }
# run [ARGS] -> $W/out, $W/err, $RC; a signal (RC > 128) always fails the case
run() { "$VELOC" run "$@" >"$W/out" 2>"$W/err"; RC=$?; [ $RC -lt 128 ] || { echo "crashed: status $RC"; tail -5 "$W/err"; return 1; }; }
need() { grep -q -- "$1" "$W/err" || { echo "stderr lacks: $1"; tail -5 "$W/err"; return 1; }; }
rc_is() { [ "$RC" = "$1" ] || { echo "exit status $RC, expected $1"; tail -5 "$W/err"; return 1; }; }
json_ok() { python3 -c 'import json,sys
for i,l in enumerate(open(sys.argv[1],encoding="utf-8",errors="strict")): json.loads(l)' "$1" || { echo "$1: not valid JSON Lines"; return 1; }; }
src() { echo "CREATE STREAM t ($2) WITH ('type'='file_source','path'='$1'${3:+, $3});"; }

# ---- input data --------------------------------------------------------------
seq 1 3000000 | awk 'BEGIN{print "id,s"} {print $1 ",row" $1}' >big.csv

# ---- disk full ---------------------------------------------------------------
disk_full() {
    src big.csv "id BIGINT, s STRING" >q.sql
    echo "CREATE STREAM o (id BIGINT, s STRING) WITH ('type'='file_sink','path'='$MNT/o.csv',
      'retry.max.attempts'='3', 'retry.initial.delay'='20ms');
INSERT INTO o SELECT id, s FROM t;" >>q.sql
    run q.sql; rc_is 1 || return 1
    need "sink 'o': writing '$MNT/o.csv': No space left on device (circuit breaker open after 3 failed attempts)" || return 1
    need "circuit breaker open on o" || return 1
    need "2 write retries on o" || return 1
    [ ! -e "$MNT/o.csv" ] || { echo "partial $MNT/o.csv left"; return 1; }
    [ -z "$(ls -A "$MNT")" ] || { echo "left in $MNT:"; ls -la "$MNT"; return 1; }
}
# space comes back during the backoff: the retries succeed, the output is whole
disk_full_recovers() {
    head -2001 big.csv >mid.csv
    dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
    src mid.csv "id BIGINT, s STRING" >q.sql
    echo "CREATE STREAM o (id BIGINT, s STRING) WITH ('type'='file_sink','path'='$MNT/o.csv',
      'retry.max.attempts'='8', 'retry.initial.delay'='200ms', 'retry.max.delay'='1s');
INSERT INTO o SELECT id, s FROM t;" >>q.sql
    ( sleep 0.5; rm -f "$MNT/filler" ) &
    run q.sql; wait; rc_is 0 || return 1
    need "write retr.* on o" || return 1
    cmp -s mid.csv "$MNT/o.csv" || { echo "output differs from the input"; return 1; }
    rm -f "$MNT/o.csv"
}
mkdir -p "$W/mnt"
if mount -t tmpfs -o size=256k tmpfs "$W/mnt" 2>/dev/null; then
    MNT=$W/mnt
    t "disk full: exit 1, circuit breaker reported, no partial file, no temp file" disk_full
    t "disk full, space freed during the backoff: retried, complete output" disk_full_recovers
    umount "$MNT"; MNT=
else
    sk "disk full" "mount -t tmpfs not permitted (needs root)"
    sk "disk full, space freed" "mount -t tmpfs not permitted (needs root)"
fi

# ---- truncated and corrupt input -----------------------------------------------
truncated_csv() {
    printf 'a,b\n1,x\n2,"y,z"\n3,ab' >tr1.csv             # cut mid-field
    printf 'a,b\n1,x\n2,"y,z"\n3,"abc' >tr2.csv           # cut mid-quote
    src tr1.csv "a INT, b STRING" >q.sql; echo "SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1
    printf '{"a":1,"b":"x"}\n{"a":2,"b":"y,z"}\n{"a":3,"b":"ab"}\n' | cmp -s - out || { echo "mid-field:"; cat out; return 1; }
    src tr2.csv "a INT, b STRING" >q.sql; echo "SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1
    printf '{"a":1,"b":"x"}\n{"a":2,"b":"y,z"}\n' | cmp -s - out || { echo "mid-quote:"; cat out; return 1; }
    need '"line":4,"operator":[0-9]*,"error":"unterminated quoted field","raw":"3,\\"abc"' || return 1
    need "1 bad record"
}
t "truncated CSV (mid-field, mid-quote): good rows out, the cut record dead-lettered" truncated_csv

corrupt() {
    # 200 good lines interleaved with random bytes (no newline inside a chunk
    # boundary matters: every good line starts after a newline)
    python3 - <<'PY'
import os, random, json
random.seed(7)
with open("mix.csv", "wb") as c, open("mix.jsonl", "wb") as j:
    c.write(b"a,b\n")
    for i in range(200):
        # no quote: a CSV quote legitimately spans lines and would take the good line with it
        junk = os.urandom(random.randint(1, 300)).replace(b"\n", b"").replace(b'"', b"") + b"\n"
        c.write(junk); j.write(junk)
        c.write(b"%d,good%d\n" % (1000000 + i, i))
        j.write(json.dumps({"a": 1000000 + i, "b": "good%d" % i}).encode() + b"\n")
PY
    for f in csv jsonl; do
        src mix.$f "a BIGINT, b STRING" "'error.policy'='dead_letter', 'dead_letter.path'='dl.$f'" >q.sql
        echo "SELECT a, b FROM t WHERE a >= 1000000 AND b LIKE 'good%';" >>q.sql
        rm -f dl.$f; run q.sql; rc_is 0 || return 1
        json_ok out && json_ok dl.$f || return 1
        [ "$(grep -c good out)" = 200 ] || { echo "$f: $(grep -c good out) good rows of 200"; return 1; }
        read -r nread nbad < <(sed -n 's/.*read \([0-9]*\) records.*, \([0-9]*\) bad records.*/\1 \2/p' err)
        [ "$(wc -l <dl.$f)" = "${nbad:-x}" ] || { echo "$f: $(wc -l <dl.$f) dead letters, summary says $nbad"; return 1; }
    done
    head -c 300000 /dev/urandom >rnd.bin
    src rnd.bin "a BIGINT, b STRING" "'format'='csv'" >q.sql; echo "SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1; json_ok out
}
t "corrupt input (random bytes in CSV and JSONL): every good row out, bad ones dead-lettered" corrupt

big_lines() {
    python3 - <<'PY'
import random
random.seed(3)
mb = 1 << 20
plain = "".join(random.choice("abcdefghij") for _ in range(mb))
quoted = "".join(random.choice('ab,"\n\r x') for _ in range(mb))
with open("bigl.csv", "w", newline="") as f:
    f.write("a,b\n1,%s\n" % plain)
    f.write('2,"%s"\n' % quoted.replace('"', '""'))
    f.write("3,end\n")
with open("bigl.exp", "w") as f:
    f.write("%d\n%d\n3\n" % (mb, mb))
PY
    src bigl.csv "a INT, b STRING" >q.sql
    echo "CREATE STREAM o (a INT, b STRING) WITH ('type'='file_sink','path'='$W/bigl.out.csv');
INSERT INTO o SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1
    cmp -s bigl.csv bigl.out.csv || { echo "CSV round trip differs"; return 1; }
    src bigl.csv "a INT, b STRING" >q.sql; echo "SELECT CHAR_LENGTH(b) AS n FROM t;" >>q.sql
    run q.sql --format csv; rc_is 0 || return 1
    tail -n +2 out | cmp -s - bigl.exp || { echo "lengths:"; cat out; return 1; }
}
t "1 MB lines and 1 MB quoted fields (commas, quotes, newlines): exact round trip" big_lines

utf8() {
    printf 'a,b\n1,ok\xc3\xa9\n2,\xff\xfe bad\n3,\xc3\x28 half\n4,\xed\xa0\x80 surrogate\n5,"q\xe2\x82, cut"\n6,\xf4\x90\x80\x80 big\n' >u.csv
    src u.csv "a INT, b STRING" >q.sql
    echo "CREATE STREAM o (a INT, b STRING) WITH ('type'='file_sink','path'='$W/u.out.csv');
CREATE STREAM oj (a INT, b STRING) WITH ('type'='file_sink','path'='$W/u.out.jsonl');
INSERT INTO o SELECT a, b FROM t;
INSERT INTO oj SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1
    cmp -s u.csv u.out.csv || { echo "CSV output differs:"; od -c u.out.csv | head; return 1; }
    json_ok u.out.jsonl || return 1
    [ "$(wc -l <u.out.jsonl)" = 6 ]
}
t "invalid UTF-8 in strings: unchanged in CSV output, valid JSON (\\u00XX) in JSONL" utf8

deep_json() {
    python3 - <<'PY'
d = 100000
with open("deep.jsonl", "w") as f:
    f.write('{"a":1,"b":"x"}\n')
    f.write('{"a":2,"b":"y","c":' + "[" * d + "]" * d + '}\n')
    f.write('{"a":3,"b":"z","c":' + "[" * d + '}\n')
    f.write("[" * d + "\n")
    f.write('{"a":4,"c":' + '{"k":' * d + "1" + "}" * d + ',"b":"w"}\n')
    f.write('{"a":5,"b":"v"}\n')
PY
    src deep.jsonl "a INT, b STRING" >q.sql; echo "SELECT a, b FROM t;" >>q.sql
    run q.sql; rc_is 0 || return 1
    grep -q '"a":1' out && grep -q '"a":5' out || { echo "good rows missing:"; cat out; return 1; }
    ! grep -q '"a":3' out || { echo "unterminated nesting accepted"; return 1; }
    json_ok out
}
t "100k-deep JSON nesting ([[[[ and {\"k\":{...): no stack overflow, good rows out" deep_json

long_expr() {
    printf 'a\n1\n2\n' >e.csv
    local n=10000
    src e.csv "a BIGINT" >q.sql
    { printf "SELECT a"; for _ in $(seq 2 $n); do printf " + a"; done; echo " AS s FROM t;"; } >>q.sql
    run q.sql --format csv || return 1
    if [ $RC = 0 ]; then
        printf 's\n%d\n%d\n' $n $((2 * n)) | cmp -s - out || { echo "wrong sum:"; cat out; return 1; }
    else
        rc_is 2 && need "too deeply nested\|too long\|too complex" || return 1
    fi
    src e.csv "a BIGINT" >q.sql
    { printf "SELECT "; for _ in $(seq 1 $n); do printf "("; done; printf "a"
      for _ in $(seq 1 $n); do printf ")"; done; echo " AS s FROM t;"; } >>q.sql
    run q.sql --format csv || return 1
    if [ $RC = 0 ]; then
        printf 's\n1\n2\n' | cmp -s - out || { echo "wrong value:"; cat out; return 1; }
    else
        rc_is 2 && need "too deeply nested" || return 1
    fi
}
t "10 000-term expression and 10 000 nested parentheses: compiled or a clean error" long_expr

wide() {
    python3 - <<'PY'
n = 3000
with open("wide.csv", "w") as f:
    f.write(",".join("c%d" % i for i in range(1, n + 1)) + "\n")
    for r in range(3):
        f.write(",".join(str(r * n + i) for i in range(1, n + 1)) + "\n")
PY
    echo "CREATE STREAM o AS SELECT * FROM t WITH ('t.type'='file_source', 't.path'='wide.csv',
  'o.type'='file_sink', 'o.path'='$W/wide.out.csv');" >q.sql
    run q.sql; rc_is 0 || return 1
    cmp -s wide.csv wide.out.csv || { echo "SELECT * differs"; return 1; }
    echo "CREATE STREAM o AS SELECT c3000 FROM t WITH ('t.type'='file_source', 't.path'='wide.csv',
  'o.type'='stdout_sink');" >q.sql
    run q.sql --format csv; rc_is 0 || return 1
    printf 'c3000\n3000\n6000\n9000\n' | cmp -s - out || { echo "last column:"; cat out; return 1; }
}
t "3000 columns: SELECT * round trip, SELECT of the last column" wide

missing() {
    src nosuch.csv "a INT" >q.sql; echo "SELECT a FROM t;" >>q.sql
    run q.sql; rc_is 2 && need "nosuch.csv" || return 1
    mkdir -p adir.csv
    src adir.csv "a INT" >q.sql; echo "SELECT a FROM t;" >>q.sql
    run q.sql; [ $RC -ne 0 ] || { echo "a directory was read as a file"; return 1; }
    need "cannot read '$W/adir.csv' for source 't'" || return 1
    [ ! -s out ]
}
t "missing file, a directory as the path: clear error, exit 2, no output" missing

# ---- signals ---------------------------------------------------------------------
check_prefix() { # $1 output CSV of big.csv's rows: complete lines, in order, a prefix
    python3 - "$1" <<'PY' || return 1
import sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), "last line incomplete"
lines = data.decode().split("\n")[:-1]
assert lines[0] == "id,s", "no header"
for i, l in enumerate(lines[1:], 1):
    assert l == "%d,row%d" % (i, i), "line %d: %r" % (i + 1, l)
print("rows", len(lines) - 1)
PY
}
# The source is followed ('watching'), so the job never ends by itself: a
# signal always lands mid-run, however fast the machine (a fixed sleep
# before the kill had let a faster job finish first).
await_tmp() { # until the job's sink has opened PATH.tmp-PID (at most 20 s)
    for _ in $(seq 200); do
        ls sig.csv.tmp-* >/dev/null 2>&1 && return 0
        kill -0 "$JOBPID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
interrupt() {
    src big.csv "id BIGINT, s STRING" "'watching'='true'" >sig.sql
    echo "CREATE STREAM o (id BIGINT, s STRING) WITH ('type'='file_sink','path'='$W/sig.csv');
INSERT INTO o SELECT id, s FROM t WHERE REGEXP_LIKE(s, '^row[0-9]+$');" >>sig.sql
    "$VELOC" build sig.sql -o sigjob >build.log 2>&1 || { cat build.log; return 1; }
    for s in TERM INT; do
        rm -f sig.csv sig.csv.tmp-*
        ./sigjob >/dev/null 2>"err" &
        JOBPID=$!
        await_tmp || { echo "SIG$s: the job never opened its sink"; return 1; }
        sleep 0.2
        kill -$s $JOBPID || { echo "SIG$s: the job had ended by itself"; return 1; }
        wait $JOBPID; RC=$?; JOBPID=
        [ $RC -lt 128 ] || { echo "SIG$s: killed by the signal (status $RC)"; return 1; }
        rows=$(check_prefix sig.csv) || return 1
        ls sig.csv.tmp-* >/dev/null 2>&1 && { echo "temp file left"; return 1; }
        echo "SIG$s: status $RC, $rows" >>"$W/sigrows"
    done
    return 0
}
t "SIGTERM / SIGINT mid-run: sink flushed, renamed, complete rows up to some row" interrupt

kill9() {
    rm -f sig.csv sig.csv.tmp-*
    ./sigjob >/dev/null 2>&1 &
    JOBPID=$!
    await_tmp || { echo "the job never opened its sink"; return 1; }
    sleep 0.2
    kill -9 $JOBPID || { echo "the job had ended by itself"; return 1; }
    wait $JOBPID 2>/dev/null; JOBPID=
    [ ! -e sig.csv ] || { echo "sig.csv exists after kill -9"; return 1; }
    ls sig.csv.tmp-* >/dev/null 2>&1 || { echo "no temp file"; return 1; }
    rm -f sig.csv.tmp-*
}
t "kill -9 mid-run of a file sink: no file at PATH (only PATH.tmp-PID remains)" kill9

# A job that fails (here 'error.policy'='fail' on a bad record two thirds in)
# leaves the previous output at PATH as it was and no temporary file: a
# partial output never replaces a complete one.
failed_run() {
    head -2000000 big.csv >fail.csv && echo '2000000,row2000000,extra' >>fail.csv && sed -n '2000002,3000001p' big.csv >>fail.csv
    src fail.csv "id BIGINT, s STRING" "'error.policy'='fail'" >fail.sql
    echo "CREATE STREAM o (id BIGINT, s STRING) WITH ('type'='file_sink','path'='$W/fail.csv.out');
INSERT INTO o SELECT id, s FROM t;" >>fail.sql
    echo "previous,run" >fail.csv.out
    run fail.sql || return 1
    rc_is 1 && need "stopping: error.policy is 'fail'" && need "'$W/fail.csv.out' not written (the job failed)" &&
        need "(fail.csv.out left as it was)" || return 1
    [ "$(cat fail.csv.out)" = "previous,run" ] || { echo "the previous output was replaced: $(head -c 200 fail.csv.out)"; return 1; }
    ls fail.csv.out.tmp-* >/dev/null 2>&1 && { echo "temp file left"; return 1; }
    rm -f fail.csv fail.csv.out
}
t "a failed job (error.policy=fail mid-file): the previous output stays, no temporary file" failed_run

# ---- state memory limit --------------------------------------------------------------
memlimit() {
    src big.csv "id BIGINT, s STRING" >m.sql
    echo "CREATE STREAM o (s STRING, n BIGINT) WITH ('type'='file_sink','path'='$W/m.csv');
INSERT INTO o SELECT s, COUNT(*) AS n FROM t GROUP BY s;" >>m.sql
    run m.sql --set max.memory.mb=8; rc_is 1 || return 1
    need "velo: error: state exceeds max.memory.mb=8 (operator" || return 1
    need "peak state [0-9.]* MB (max.memory.mb=8)" || return 1
    [ ! -e m.csv ] && ! ls m.csv.tmp-* >/dev/null 2>&1 || { echo "output or temp file left"; return 1; }
    head -100001 big.csv >m100k.csv
    sed -i 's/big.csv/m100k.csv/' m.sql
    run m.sql --set max.memory.mb=200; rc_is 0 || return 1
    need "peak state [0-9.]* MB (max.memory.mb=200)" || return 1
    [ "$(wc -l <m.csv)" = 100001 ] || { echo "$(wc -l <m.csv) rows"; return 1; }
    sed -i "s/'path'='m100k.csv'/'path'='m100k.csv', 'max.memory.mb'='2'/" m.sql
    run m.sql; rc_is 1 && need "state exceeds max.memory.mb=2" || return 1
    run m.sql --set max.memory.mb=abc; rc_is 2 && need "invalid max.memory.mb 'abc'"
}
t "max.memory.mb: exceeded -> clear error, exit 1, no output; under it -> complete" memlimit

bad_props() {
    printf 'a\n1\n' >p.csv
    src p.csv "a INT" >q.sql
    echo "CREATE STREAM o (a INT) WITH ('type'='file_sink','path'='$W/p.out', 'retry.max.attempts'='0',
  'retry.initial.delay'='fast', 'retry.max.delay'='5ms', 'max.memory.mb'='-1');
INSERT INTO o SELECT a FROM t;" >>q.sql
    run q.sql; rc_is 2 || return 1
    need "'retry.max.attempts' must be an integer from 1 to 1000, got '0'" &&
    need "'retry.initial.delay' must be a duration" && need "'max.memory.mb' must be an integer" || return 1
    sed -i "s/'0'/'2'/; s/'fast'/'10ms'/; s/'-1'/'64'/" q.sql
    run q.sql; rc_is 2 && need "'retry.max.delay' (5ms) is shorter than 'retry.initial.delay' (10ms)" || return 1
    sed -i "s/'5ms'/'1s'/" q.sql
    run q.sql; rc_is 0 && [ "$(cat p.out)" = "$(printf 'a\n1')" ]
}
t "retry.* and max.memory.mb values checked at compile time" bad_props

# ---- Kafka -----------------------------------------------------------------------------
if [ $KAFKA = 1 ]; then
    . "$HERE/kafka_faults.sh"
else
    sk "Kafka broker restart / kill -9 loop" "--no-kafka"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
