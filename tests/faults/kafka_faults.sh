# kafka_faults.sh -- the Kafka cases of tests/faults/run.sh (sourced: uses
# t, ok, ko, run, W, VELOC, ROOT). A broker restart keeps its data: the
# broker process is stopped and started again by hand, not by kafka-down.sh
# (which deletes the data) / kafka-up.sh (which formats a new cluster).
KC=${VELO_KAFKA_CACHE:-$ROOT/tests/kafka/.cache}
KTOOL=$KC/ktool
export VELO_KAFKA_BROKERS=127.0.0.1:9092
if ! { [ -x "$KTOOL" ] && "$KTOOL" probe 2>/dev/null; }; then
    if "$ROOT/tests/kafka/kafka-up.sh" >"$W/kup.log" 2>&1; then KSTARTED=1; fi
fi
broker_stop() {
    local pid; pid=$(cat "$KC/broker.pid")
    kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid"
}
broker_start() {
    local lib; lib=$(ls -d "$KC"/lib-3.9.* | head -1)
    nohup java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$KC/log4j.properties" -cp "$lib/*" \
        kafka.Kafka "$KC/server.properties" >>"$KC/broker.log" 2>&1 </dev/null &
    echo $! >"$KC/broker.pid"
    for _ in $(seq 1 120); do "$KTOOL" probe 2>/dev/null && return 0; sleep 0.5; done
    return 1
}
if "$KTOOL" probe 2>/dev/null; then
    R=f$$x$RANDOM
    KN=300000
    # the first 250 000 rows are there at start; the rest are appended while
    # the broker is down, so the outage always hits rows still to deliver
    head -250001 big.csv >k.csv
    tail_rows() { sed -n "250002,$((KN + 1))p" big.csv >>k.csv; }
    # The source is a watched file: the job cannot end on its own before the
    # outage (no race with a fast machine); SIGTERM ends it afterwards, and
    # the sink's close waits for every delivery.
    ksink_sql() { # $1 topic, $2 extra properties
        src k.csv "id BIGINT, s STRING" "'watching'='true'" >ks.sql
        echo "CREATE STREAM o (id BIGINT, s STRING) WITH ('type'='kafka_sink', 'topic'='$1'$2);
INSERT INTO o SELECT id, s FROM t;" >>ks.sql
        "$VELOC" build ks.sql -o ksjob >build.log 2>&1 || { cat build.log; return 1; }
    }
    # The broker goes away 0.3 s into a file -> Kafka job for ~4 s, then comes back.
    restart_ok() {
        "$KTOOL" create "out1-$R" 3 || return 1
        ksink_sql "out1-$R" ", 'kafka.linger.ms'='50'" || return 1
        ./ksjob >/dev/null 2>kerr & JOBPID=$!
        sleep 0.3; kill -0 $JOBPID 2>/dev/null || { echo "the job ended before the outage"; tail -3 kerr; return 1; }
        broker_stop; tail_rows; sleep 4; broker_start || { echo "broker did not restart"; return 1; }
        # wait until the followed file's rows are all out (duplicates from
        # retries count too: this only ends the wait), then end the job
        for _ in $(seq 1 240); do [ "$("$KTOOL" count "out1-$R")" -ge $KN ] && break; sleep 0.5; done
        kill -TERM $JOBPID
        wait $JOBPID; RC=$?; JOBPID=
        [ $RC = 0 ] || { echo "job status $RC"; tail -5 kerr; return 1; }
        "$KTOOL" dump "out1-$R" --key >dump && python3 - $KN dump <<'PY'
import json, sys
n = int(sys.argv[1]); ids = [json.loads(l.split("\t", 1)[1])["id"] for l in open(sys.argv[2])]
missing = set(range(1, n + 1)) - set(ids)
assert not missing, "%d ids missing, e.g. %s" % (len(missing), sorted(missing)[:5])
print("%d messages, %d duplicates" % (len(ids), len(ids) - n))
PY
    }
    t "Kafka broker stopped 4 s and restarted mid-run: the producing job retries and finishes, every row delivered" restart_ok
    # Outage longer than the delivery timeout: fails cleanly, exit 1.
    restart_timeout() {
        head -250001 big.csv >k.csv
        "$KTOOL" create "out2-$R" 3 || return 1
        ksink_sql "out2-$R" ", 'kafka.message.timeout.ms'='2000', 'kafka.linger.ms'='50'" || return 1
        ./ksjob >/dev/null 2>kerr & JOBPID=$!
        sleep 0.2; kill -0 $JOBPID 2>/dev/null || { echo "the job ended before the outage"; tail -3 kerr; return 1; }
        broker_stop; tail_rows; sleep 6
        kill -TERM $JOBPID 2>/dev/null
        wait $JOBPID; RC=$?; JOBPID=
        broker_start || { echo "broker did not restart"; return 1; }
        [ $RC = 1 ] || { echo "job status $RC, expected 1"; tail -5 kerr; return 1; }
        grep -q "velo: error: sink 'o': delivery to topic 'out2-$R' failed: Local: Message timed out" kerr ||
            { echo "no clear error:"; grep -v '^%' kerr | tail -5; return 1; }
    }
    t "Kafka broker down longer than message.timeout.ms: the job fails cleanly (exit 1, delivery error)" restart_timeout
    # 20 x kill -9 at random points of an unbounded Kafka -> Kafka copy, same group.
    kill9_loop() {
        local n=200000 runs=20
        "$KTOOL" create "kin-$R" 3 && "$KTOOL" gen "kin-$R" $n 3 >/dev/null && "$KTOOL" create "kout-$R" 3 || return 1
        echo "CREATE STREAM src (id BIGINT, sym STRING) WITH ('type'='kafka_source', 'topic'='kin-$R',
  'group.id'='gk-$R', 'commit.interval.ms'='100', 'commit.interval.messages'='5000');
CREATE STREAM copy (id BIGINT, sym STRING) WITH ('type'='kafka_sink', 'topic'='kout-$R');
INSERT INTO copy SELECT id, sym FROM src;" >k9.sql
        "$VELOC" build k9.sql -o k9job >build.log 2>&1 || { cat build.log; return 1; }
        local i=0 killed=0
        # A job may stop on its own right after a broker restart (group
        # coordinator still loading): such a run is not a kill and is retried,
        # up to 3 x runs attempts; only runs killed while alive count.
        while [ $killed -lt $runs ] && [ $i -lt $((runs * 3)) ]; do
            i=$((i + 1))
            ./k9job --quiet --set src.kafka.fetch.max.bytes=1000000 --set src.kafka.max.partition.fetch.bytes=16384 >/dev/null 2>>k9.err &
            JOBPID=$!
            sleep "$(awk -v s=$RANDOM 'BEGIN{srand(s); printf "%.2f", 0.3 + rand() * 1.7}')"
            if kill -9 $JOBPID 2>/dev/null; then killed=$((killed + 1)); else sleep 1; fi
            wait $JOBPID 2>/dev/null; JOBPID=
        done
        [ $killed -ge $runs ] || { echo "only $killed of $i runs were killed mid-run:"; grep -v '^%' k9.err | tail -3; return 1; }
        echo "killed $killed of $runs runs; output before the last run: $("$KTOOL" count "kout-$R") messages"
        ./k9job --quiet --set src.scan.bounded.mode=latest-offset >/dev/null 2>>k9.err || { tail k9.err; return 1; }
        "$KTOOL" dump "kout-$R" --key >dump && python3 "$ROOT/tests/kafka/check.py" distinct $n dump
    }
    t "20 x kill -9 at random points of a Kafka -> Kafka copy, restarted in the same group: every id present" kill9_loop
    "$KTOOL" delete "out1-$R" "out2-$R" "kin-$R" "kout-$R" >/dev/null 2>&1
else
    sk "Kafka broker restart / kill -9 loop" "no broker (tests/kafka/kafka-up.sh failed: see its log)"
fi
