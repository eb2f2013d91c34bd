#!/usr/bin/env bash
# kafka-up.sh -- start a single-node Apache Kafka broker (KRaft, combined
# broker + controller) on 127.0.0.1:9092 for the integration tests.
#
# The broker jars come from Maven Central through tests/kafka/pom.xml (cached
# by Maven in ~/.m2 and copied to tests/kafka/.cache/lib-VERSION). Kafka 3.9.x
# is used on purpose: librdkafka 2.0.2 (Debian bookworm) loses features
# against 4.x brokers, which removed old protocol versions (KIP-896).
# Idempotent: does nothing when the broker already answers.
# Env: KAFKA_VERSION (default 3.9.1, falls back to 3.9.2 then 3.9.0),
#      VELO_KAFKA_CACHE (default tests/kafka/.cache).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${VELO_KAFKA_CACHE:-$HERE/.cache}
DATA=$CACHE/data
LOG=$CACHE/broker.log
PIDF=$CACHE/broker.pid
mkdir -p "$CACHE"

port_open() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# The helper tool (producer/consumer/probe) is built here so the probe is a
# real Kafka metadata request, not only an open port.
KTOOL=$CACHE/ktool
if [ ! -x "$KTOOL" ] || [ "$HERE/ktool.c" -nt "$KTOOL" ]; then
    ${CC:-cc} -O2 -Wall -o "$KTOOL" "$HERE/ktool.c" -lrdkafka
fi

if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null && "$KTOOL" probe 2>/dev/null; then
    echo "kafka-up: broker already running (pid $(cat "$PIDF"))"
    exit 0
fi
if port_open 9092; then
    if "$KTOOL" probe 2>/dev/null; then
        echo "kafka-up: a broker already answers on 127.0.0.1:9092"
        exit 0
    fi
    echo "kafka-up: 127.0.0.1:9092 is taken by something that is not a Kafka broker" >&2
    exit 1
fi

LIB=
for v in ${KAFKA_VERSION:-3.9.1 3.9.2 3.9.0}; do
    if [ -f "$CACHE/lib-$v/kafka_2.13-$v.jar" ]; then LIB=$CACHE/lib-$v; break; fi
    echo "kafka-up: fetching Apache Kafka $v jars with Maven"
    if mvn -q -B -f "$HERE/pom.xml" -Dkafka.version="$v" dependency:copy-dependencies \
            -DincludeScope=runtime -DoutputDirectory="$CACHE/lib-$v.part" >"$CACHE/mvn.log" 2>&1; then
        rm -rf "$CACHE/lib-$v" && mv "$CACHE/lib-$v.part" "$CACHE/lib-$v"
        LIB=$CACHE/lib-$v
        break
    fi
    rm -rf "$CACHE/lib-$v.part"
    echo "kafka-up: Kafka $v not available (see $CACHE/mvn.log)" >&2
done
[ -n "$LIB" ] || { echo "kafka-up: could not fetch the Kafka broker jars" >&2; exit 1; }

cat >"$CACHE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.flush.interval.messages=9223372036854775807
PROPS
cat >"$CACHE/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS

rm -rf "$DATA"
CP="$LIB/*"
JAVA=${JAVA:-java}
CLUSTER_ID=$("$JAVA" -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
"$JAVA" -cp "$CP" -Dlog4j.configuration="file:$CACHE/log4j.properties" kafka.tools.StorageTool \
    format -t "$CLUSTER_ID" -c "$CACHE/server.properties" >"$LOG" 2>&1

nohup "$JAVA" -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$CACHE/log4j.properties" -cp "$CP" \
    kafka.Kafka "$CACHE/server.properties" >>"$LOG" 2>&1 </dev/null &
echo $! >"$PIDF"

for _ in $(seq 1 120); do
    if ! kill -0 "$(cat "$PIDF")" 2>/dev/null; then
        echo "kafka-up: the broker exited; last lines of $LOG:" >&2
        tail -20 "$LOG" >&2
        exit 1
    fi
    if port_open 9092 && "$KTOOL" probe 2>/dev/null; then
        echo "kafka-up: Kafka $(basename "$LIB" | sed 's/lib-//') up on 127.0.0.1:9092 (pid $(cat "$PIDF"), log $LOG)"
        exit 0
    fi
    sleep 0.5
done
echo "kafka-up: the broker did not answer within 60 s; see $LOG" >&2
exit 1
