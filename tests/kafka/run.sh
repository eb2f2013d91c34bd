#!/usr/bin/env bash
# run.sh -- the Kafka integration suite against a real broker (KRaft, on
# 127.0.0.1:9092). Starts the broker when none answers and stops it at the
# end if it started it. Every topic and consumer group is new for this run.
#   tests/kafka/run.sh [--veloc ./veloc] [--n 1000000]
# Prints one line per test and `N passed, N failed`.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VELOC=$ROOT/veloc
N=1000000
while [ $# -gt 0 ]; do
    case $1 in
    --veloc) VELOC=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --n) N=$2; shift 2 ;;
    *) echo "usage: $0 [--veloc PATH] [--n MESSAGES]" >&2; exit 2 ;;
    esac
done
CACHE=${VELO_KAFKA_CACHE:-$HERE/.cache}
KTOOL=$CACHE/ktool
export VELO_KAFKA_BROKERS=127.0.0.1:9092

started=0
if ! { [ -x "$KTOOL" ] && "$KTOOL" probe 2>/dev/null; }; then
    "$HERE/kafka-up.sh" || { echo "0 passed, 1 failed"; exit 1; }
    started=1
fi
[ "$HERE/ktool.c" -nt "$KTOOL" ] && cc -O2 -o "$KTOOL" "$HERE/ktool.c" -lrdkafka

RUN=r$$x$RANDOM
W=$(mktemp -d /tmp/velo-kafka.XXXXXX)
pass=0
fail=0
cleanup() {
    [ -n "${JOBPID:-}" ] && kill -9 "$JOBPID" 2>/dev/null
    [ -n "${PIDA:-}" ] && kill -9 "$PIDA" 2>/dev/null
    [ -n "${PIDB:-}" ] && kill -9 "$PIDB" 2>/dev/null
    "$KTOOL" delete "in-$RUN" "bad-$RUN" "dlq-$RUN" "csv-$RUN" f1-$RUN f2-$RUN a1-$RUN a2-$RUN k1-$RUN \
        e1-$RUN rbi-$RUN rbo-$RUN >/dev/null 2>&1
    rm -rf "$W"
    [ $started = 1 ] && "$HERE/kafka-down.sh" >/dev/null
}
trap cleanup EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -f "$W/err" ] && sed 's/^/  /' "$W/err" | tail -15; fail=$((fail + 1)); }
# t NAME CMD...: the command's exit status decides
t() { local name=$1; shift; if "$@" >"$W/out" 2>"$W/err"; then ok "$name"; else ko "$name"; fi; }

# ---- data --------------------------------------------------------------------
T0=$(date +%s)
"$KTOOL" create "in-$RUN" 3 && "$KTOOL" gen "in-$RUN" "$N" 3 || { echo "0 passed, 1 failed"; exit 1; }
echo "     produced $N messages to in-$RUN (3 partitions) in $(($(date +%s) - T0)) s"

SRC="'type'='kafka_source', 'topic'='in-$RUN', 'scan.bounded.mode'='latest-offset'"
cat >"$W/filter.sql" <<EOF
CREATE STREAM trades (id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ($SRC);
CREATE STREAM big (id BIGINT, sym STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type'='kafka_sink', 'topic'='f1-$RUN', 'key.columns'='id');
INSERT INTO big SELECT id, sym, price, qty FROM trades WHERE qty >= 90;
EOF
# VeloStream style: schema inferred from the first messages of the topic
cat >"$W/agg.sql" <<EOF
CREATE TABLE per_sym AS
  SELECT sym, COUNT(*) AS n, SUM(qty) AS qty, SUM(CAST(price AS DECIMAL(12,2))) AS total
  FROM trades GROUP BY sym
  WITH ('trades.type'='kafka_source', 'trades.topic'='in-$RUN', 'trades.scan.bounded.mode'='latest-offset',
        'per_sym.type'='kafka_sink', 'per_sym.topic'='a1-$RUN', 'per_sym.key.columns'='sym',
        'per_sym.kafka.compression.type'='lz4', 'per_sym.kafka.linger.ms'='20');
EOF

dump_check() { # TOPIC MODE
    "$KTOOL" dump "$1" --key >"$W/dump" && python3 "$HERE/check.py" "$2" "$N" "$W/dump"
}

# ---- bounded source -> sink, JIT and AOT ----------------------------------------
t "filter job, veloc run (JIT), $N messages -> f1" \
    "$VELOC" run "$W/filter.sql" --quiet --set trades.group.id=g1-$RUN
t "filter output: count, keys and content exact" dump_check f1-$RUN filter
t "veloc build filter job" "$VELOC" build "$W/filter.sql" -o "$W/filter_job"
t "filter job, built (AOT) -> f2" \
    "$W/filter_job" --quiet --set trades.group.id=g2-$RUN --set big.topic=f2-$RUN
t "AOT filter output: count, keys and content exact" dump_check f2-$RUN filter
t "aggregate job, veloc run (JIT), inferred schema -> a1" \
    "$VELOC" run "$W/agg.sql" --quiet --set trades.group.id=g3-$RUN
t "aggregate output exact" dump_check a1-$RUN agg
t "veloc build aggregate job" "$VELOC" build "$W/agg.sql" -o "$W/agg_job"
t "aggregate job, built (AOT) -> a2" \
    "$W/agg_job" --quiet --set trades.group.id=g4-$RUN --set per_sym.topic=a2-$RUN
t "AOT aggregate output exact" dump_check a2-$RUN agg

# bounded + committed offsets: a second run of the same group reads nothing new
t "bounded rerun of a committed group reads 0 records" bash -c \
    "'$VELOC' run '$W/filter.sql' --set trades.group.id=g1-$RUN --set big.topic=f1-$RUN 2>&1 >/dev/null | grep -q 'read 0 records'"

# ---- system columns, CSV payloads ------------------------------------------------
"$KTOOL" create "csv-$RUN" 1
printf 'k1\t1,alpha\nk2\t2,"be,ta"\n\t3,\n' | "$KTOOL" lines "csv-$RUN" 0
cat >"$W/csv.sql" <<EOF
CREATE STREAM c (n INTEGER, s STRING, _key STRING, _partition INTEGER, _offset BIGINT, _topic STRING)
  WITH ('type'='kafka_source', 'topic'='csv-$RUN', 'format'='csv', 'scan.bounded.mode'='latest-offset');
SELECT n, s, _key, _partition, _offset, _topic FROM c;
EOF
cat >"$W/csv.expected" <<EOF
{"n":1,"s":"alpha","_key":"k1","_partition":0,"_offset":0,"_topic":"csv-$RUN"}
{"n":2,"s":"be,ta","_key":"k2","_partition":0,"_offset":1,"_topic":"csv-$RUN"}
{"n":3,"s":null,"_key":"","_partition":0,"_offset":2,"_topic":"csv-$RUN"}
EOF
t "csv payloads and system columns (_KEY, _PARTITION, _OFFSET, _TOPIC)" bash -c \
    "'$VELOC' run '$W/csv.sql' --quiet --set group.id=gc-$RUN | diff - '$W/csv.expected'"

# ---- bad messages -> dead-letter topic and file --------------------------------------
"$KTOOL" create "bad-$RUN" 2 && "$KTOOL" gen "bad-$RUN" 1000 2 100
cat >"$W/bad.sql" <<EOF
CREATE STREAM b (id BIGINT, sym STRING, qty INTEGER)
  WITH ('type'='kafka_source', 'topic'='bad-$RUN', 'scan.bounded.mode'='latest-offset',
        'dead_letter.topic'='dlq-$RUN');
SELECT COUNT(*) AS n FROM b;
EOF
t "malformed messages: job goes on, 990 good rows" bash -c \
    "'$VELOC' run '$W/bad.sql' --set group.id=gb1-$RUN 2>'$W/bad.err' | grep -qx '{\"n\":990}' && grep -q '10 bad records → topic dlq-$RUN' '$W/bad.err'"
dlq_check() {
    "$KTOOL" dump "dlq-$RUN" --key --headers >"$W/dlq" || return 1
    [ "$(wc -l <"$W/dlq")" = 10 ] || { echo "dlq has $(wc -l <"$W/dlq") messages"; return 1; }
    # key 99 is id 99 (partition 1 of 2, offset 49): raw key, raw value, context headers
    grep -P '^99\tvelo.error=invalid JSON at column 27: invalid number,velo.source=b,velo.topic=bad-'"$RUN"',velo.partition=1,velo.offset=49,velo.operator=[0-9]+\t\{"id":99,"sym":"S9","qty":oops\}$' "$W/dlq"
}
t "dead_letter.topic: raw key/value + error, topic, partition, offset headers" dlq_check
t "dead_letter.path: file lines carry topic/partition/offset" bash -c \
    "'$VELOC' run '$W/bad.sql' --quiet --set group.id=gb2-$RUN --set dead_letter.topic= --set dead_letter.path='$W/dl.jsonl' >/dev/null &&
     [ \$(wc -l <'$W/dl.jsonl') = 10 ] &&
     grep -q '\"topic\":\"bad-$RUN\",\"partition\":1,\"offset\":49,' '$W/dl.jsonl'"

# ---- compile-time validation ------------------------------------------------------------
cat >"$W/badprops.sql" <<EOF
CREATE STREAM s (id BIGINT) WITH ('type'='kafka_source', 'topic'='x', 'bootstrap.servers'='localhost',
  'kafka.linger.mss'='5', 'kafka.fetch.min.bytes'='lots', 'auto.offset.reset'='earliestt');
SELECT id FROM s;
EOF
t "veloc check: bad librdkafka key/value, bootstrap.servers, offset reset" bash -c \
    "'$VELOC' check '$W/badprops.sql' 2>'$W/check.err'; [ \$? = 2 ] &&
     grep -q \"unknown librdkafka property 'linger.mss'.*did you mean 'kafka.linger.ms'\" '$W/check.err' &&
     grep -q \"invalid value 'lots' for 'kafka.fetch.min.bytes'\" '$W/check.err' &&
     grep -q \"invalid bootstrap.servers 'localhost'\" '$W/check.err' &&
     grep -q \"invalid value 'earliestt' for 'auto.offset.reset'.*earliest\" '$W/check.err'"

# ---- kill -9 mid-stream, restart: at-least-once ---------------------------------------------
cat >"$W/copy.sql" <<EOF
CREATE STREAM src (id BIGINT, sym STRING) WITH ('type'='kafka_source', 'topic'='in-$RUN',
  'commit.interval.ms'='200', 'commit.interval.messages'='20000');
CREATE STREAM copy (id BIGINT, sym STRING) WITH ('type'='kafka_sink', 'topic'='k1-$RUN');
INSERT INTO copy SELECT id, sym FROM src;
EOF
kill9_test() {
    "$VELOC" build "$W/copy.sql" -o "$W/copy_job" || return 1
    "$W/copy_job" --quiet --set src.group.id=gk-$RUN >/dev/null 2>"$W/copy1.err" &
    JOBPID=$!
    local c=0
    for _ in $(seq 1 300); do
        c=$("$KTOOL" count "k1-$RUN" 2>/dev/null || echo 0)
        [ "${c:-0}" -ge $((N / 4)) ] && break
        sleep 0.1
    done
    kill -0 "$JOBPID" 2>/dev/null || { echo "  the job ended before the kill:"; cat "$W/copy1.err"; return 1; }
    kill -9 "$JOBPID"; wait "$JOBPID" 2>/dev/null; JOBPID=
    echo "  killed -9 after $c output messages"
    [ "$c" -lt "$N" ] || { echo "  job finished before the kill"; return 1; }
    # restart in the same group: resumes from the committed offsets; bounded so it ends
    "$W/copy_job" --quiet --set src.group.id=gk-$RUN --set src.scan.bounded.mode=latest-offset || return 1
    "$KTOOL" dump "k1-$RUN" --key >"$W/dump" && python3 "$HERE/check.py" distinct "$N" "$W/dump"
}
if kill9_test >"$W/k9" 2>&1; then ok "kill -9 mid-stream + restart: every id in the output"; else echo "$(cat "$W/k9")" >"$W/err"; ko "kill -9 mid-stream + restart"; fi
sed -n 's/^  /     /p' "$W/k9" | head -3

# ---- introspection against the live broker ----------------------------------------------
cat >"$W/show.sql" <<EOF
SHOW TOPICS LIKE '%-$RUN';
SHOW TOPIC DETAILS 'in-$RUN';
EOF
show_check() {
    "$VELOC" run "$W/show.sql" --format csv --quiet >"$W/show.csv" || return 1
    grep -qx "in-$RUN,3,1" "$W/show.csv" &&                       # SHOW TOPICS: name, partitions, RF
    [ "$(grep -c '^[0-2],1,1,1,0,[0-9]*,[0-9]*$' "$W/show.csv")" = 3 ] && # partition,leader,replicas,isr,...
    grep -q '^cleanup.policy,delete,' "$W/show.csv" &&            # DescribeConfigs
    [ "$(grep -c "^g1-$RUN,Empty,[0-2],[0-9]*,[0-9]*,0$" "$W/show.csv")" = 3 ] # group g1: lag 0
}
t "SHOW TOPICS / SHOW TOPIC DETAILS (partitions, configs, group lag) in --format csv" show_check
t "SHOW TOPICS, unreachable broker: exit 1 with a clear error within the timeout" bash -c \
    "VELO_KAFKA_ADMIN_MS=1500 timeout 10 '$VELOC' run '$W/show.sql' --set bootstrap.servers=127.0.0.1:1 2>'$W/unreach.err';
     [ \$? = 1 ] && grep -q 'Kafka at 127.0.0.1:1' '$W/unreach.err'"

# ---- 'config_file': YAML with ${VAR:-default}, consumer_config -> kafka.* ---------------------
mkdir -p "$W/conf"
cat >"$W/conf/src.yaml" <<EOF
topic: \${VELO_TEST_TOPIC:-nope}
scan.bounded.mode: latest-offset
group.id: \${VELO_TEST_GROUP:-gy-$RUN}
consumer_config:
  fetch.wait.max.ms: 50
  security: {protocol: plaintext}
producer_config:
  linger.ms: 20
EOF
cat >"$W/yaml.sql" <<EOF
CREATE STREAM y (id BIGINT, qty INTEGER) WITH ('type'='kafka_source', 'config_file'='conf/src.yaml');
SELECT COUNT(*) AS n FROM y WHERE qty >= 90;
EOF
t "config_file: topic, group and kafka.* from YAML, \${VAR:-default} substituted" bash -c \
    "VELO_TEST_TOPIC=in-$RUN '$VELOC' run '$W/yaml.sql' --quiet | grep -qx '{\"n\":$((N / 10))}'"
printf 'consumer_config:\n  fetch.wait.max.mss: 5\nscan.bounded.mod: latest-offset\n' >"$W/conf/bad.yaml"
printf 'topic: [x\n' >"$W/conf/syntax.yaml"
t "config_file errors: unknown key (with file:line), bad YAML line:col, missing file" bash -c \
    "sed 's/src.yaml/bad.yaml/' '$W/yaml.sql' >'$W/y2.sql'; '$VELOC' check '$W/y2.sql' 2>'$W/y2.err'; [ \$? = 2 ] &&
     grep -q \"unknown property 'scan.bounded.mod'.*did you mean 'scan.bounded.mode'\" '$W/y2.err' &&
     grep -q 'comes from conf/bad.yaml:3:1' '$W/y2.err' &&
     sed 's/src.yaml/syntax.yaml/' '$W/yaml.sql' >'$W/y3.sql'; '$VELOC' check '$W/y3.sql' 2>'$W/y3.err'; [ \$? = 2 ] &&
     grep -q 'conf/syntax.yaml:2:1: invalid YAML' '$W/y3.err' &&
     sed 's/src.yaml/none.yaml/' '$W/yaml.sql' >'$W/y4.sql'; '$VELOC' check '$W/y4.sql' 2>'$W/y4.err'; [ \$? = 2 ] &&
     grep -q \"cannot read config_file '.*none.yaml'\" '$W/y4.err'"

# ---- exactly once: transactional sink, kill -9 mid-stream, restart -----------------------------
sed -e "s/'k1-$RUN'/'e1-$RUN', 'exactly.once'='true'/" "$W/copy.sql" >"$W/eos.sql"
eos_test() {
    "$VELOC" build "$W/eos.sql" -o "$W/eos_job" || return 1
    "$W/eos_job" --quiet --set src.group.id=ge-$RUN >/dev/null 2>"$W/eos1.err" &
    JOBPID=$!
    local c=0
    for _ in $(seq 1 300); do
        c=$("$KTOOL" count "e1-$RUN" 2>/dev/null || echo 0) # counts uncommitted messages too
        [ "${c:-0}" -ge $((N / 4)) ] && break
        sleep 0.1
    done
    kill -0 "$JOBPID" 2>/dev/null || { echo "  the job ended before the kill:"; cat "$W/eos1.err"; return 1; }
    kill -9 "$JOBPID"; wait "$JOBPID" 2>/dev/null; JOBPID=
    echo "  killed -9 after $c output messages (committed or not)"
    "$W/eos_job" --quiet --set src.group.id=ge-$RUN --set src.scan.bounded.mode=latest-offset 2>"$W/eos2.err" || return 1
    # read_committed (librdkafka's default isolation.level): the aborted tail is invisible
    "$KTOOL" dump "e1-$RUN" --key >"$W/dump" && python3 "$HERE/check.py" exact "$N" "$W/dump"
}
if eos_test >"$W/eos" 2>&1; then ok "exactly.once sink: kill -9 + restart, read_committed output has every id exactly once"; else cp "$W/eos" "$W/err"; ko "exactly.once sink, kill -9 + restart"; fi
sed -n 's/^  /     /p' "$W/eos" | head -3

# ---- rebalance: two instances in one group, one stopped mid-run ----------------------------------
RBN=$((N / 2))
"$KTOOL" create "rbi-$RUN" 3 >/dev/null
sed -e "s/'in-$RUN'/'rbi-$RUN'/" -e "s/'k1-$RUN'/'rbo-$RUN'/" "$W/copy.sql" >"$W/rb.sql"
group_lag() { # group gr-RUN on rbi-RUN: "COMMITTED LAG" summed over its 3 partitions
    printf "SHOW TOPIC DETAILS 'rbi-$RUN';\n" >"$W/rbshow.sql"
    "$VELOC" run "$W/rbshow.sql" --format csv --quiet 2>/dev/null |
        awk -F, -v g="gr-$RUN" '$1 == g { c += $4; l += $6; n++ } END { print (n == 3 ? c : -1), l + 0 }'
}
rebalance_test() {
    "$VELOC" build "$W/rb.sql" -o "$W/rb_job" || return 1
    "$W/rb_job" --set src.group.id=gr-$RUN >/dev/null 2>"$W/rbA.err" & PIDA=$!
    "$W/rb_job" --set src.group.id=gr-$RUN >/dev/null 2>"$W/rbB.err" & PIDB=$!
    sleep 4 # both join the group and split the 3 partitions before any input exists
    "$KTOOL" gen "rbi-$RUN" "$RBN" 3 &
    local gen=$! c=0
    for _ in $(seq 1 300); do
        c=$("$KTOOL" count "rbo-$RUN" 2>/dev/null || echo 0)
        [ "${c:-0}" -ge $((RBN / 4)) ] && break
        sleep 0.1
    done
    kill -TERM "$PIDA"; wait "$PIDA"; local rca=$?; PIDA=
    echo "  instance A stopped (kill -TERM, exit $rca) after $c output messages"
    wait "$gen" || return 1
    local lag="-1 1"
    for _ in $(seq 1 120); do # B takes over A's partitions and catches up
        lag=$(group_lag)
        [ "$lag" = "$RBN 0" ] && break
        sleep 0.5
    done
    kill -TERM "$PIDB"; wait "$PIDB"; local rcb=$?; PIDB=
    echo "  group committed/lag: $lag; A: $(grep -o 'read [0-9]* records' "$W/rbA.err"), B: $(grep -o 'read [0-9]* records' "$W/rbB.err")"
    [ "$lag" = "$RBN 0" ] && [ $rca = 0 ] && [ $rcb = 0 ] || return 1
    grep -q 'read [1-9][0-9]* records' "$W/rbA.err" && grep -q 'read [1-9][0-9]* records' "$W/rbB.err" || return 1
    "$KTOOL" dump "rbo-$RUN" --key >"$W/dump" && python3 "$HERE/check.py" distinct "$RBN" "$W/dump"
}
if rebalance_test >"$W/rb" 2>&1; then ok "rebalance: 2 instances in one group, one stopped mid-run: every input id in the output"; else cp "$W/rb" "$W/err"; ko "rebalance: 2 instances, one stopped mid-run"; fi
sed -n 's/^  /     /p' "$W/rb" | head -4

echo "     suite took $(($(date +%s) - T0)) s"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
