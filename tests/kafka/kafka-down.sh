#!/usr/bin/env bash
# kafka-down.sh -- stop the test broker started by kafka-up.sh and remove its data.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${VELO_KAFKA_CACHE:-$HERE/.cache}
PIDF=$CACHE/broker.pid
if [ -f "$PIDF" ]; then
    pid=$(cat "$PIDF")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$PIDF"
    echo "kafka-down: broker stopped"
else
    echo "kafka-down: no broker started by kafka-up.sh"
fi
rm -rf "$CACHE/data"
