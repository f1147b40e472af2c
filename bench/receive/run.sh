#!/usr/bin/env bash
# POST /receive under load: acknowledged-durable req/s and p99 for
#   1. twinflow, group commit, empty log            (the figure users get)
#   2. the same with twinflow.security.enabled=true (the security chain as shipped)
#   3. twinflow, group commit, 1,000,000 stored     (append cost must not grow with the log)
#   4. twinflow, fsync per request, empty log       (twinflow.receive.group-commit=false)
#   5. baseline: a bare Vert.x server doing the same stamp and group-commit append (BareReceiveServer),
#      run first and last; the ratios use the mean of both
# Needs wrk (Debian: apt-get install wrk). Usage: bench/receive/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-20}
CONNECTIONS=${2:-64}
PORT=${BENCH_PORT:-18080}
STORED=${BENCH_STORED:-1000000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
./mvnw -q -B package -DskipTests; JAR=$(ls target/twinflow-*.jar | grep -v original | head -1)
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
WORK=$(mktemp -d)
# an app killed while it starts may leave its embedded MariaDB behind: stop any server of this bench's dirs
trap 'kill $(jobs -p) 2>/dev/null || true; pkill -f "datadir=$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_app() { # data-dir extra-args...
  local dir=$1; shift
  java -Xmx1g -jar "$JAR" --server.port=$PORT --twinflow.data-dir="$dir" \
    --twinflow.kafka.embedded-port=0 --twinflow.redis.embedded-port=0 --twinflow.mqtt.embedded-port=0 \
    --twinflow.mysql.embedded-port=0 --twinflow.grpc.port=0 --twinflow.terminals.port=0 "$@" >"$WORK/app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 240); do # 2 minutes: a start on 2 busy cores can take more than one
    curl -sf "http://127.0.0.1:$PORT/messages?limit=0" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$PORT/messages?limit=0" >/dev/null 2>&1 || { echo "app did not start; see $WORK/app.log" >&2; exit 1; }
  # measured once every engine is up (the embedded MariaDB installs itself after the app answers, which
  # takes a core for seconds) and the start-up's own work has settled
  for _ in $(seq 1 120); do
    curl -s "http://127.0.0.1:$PORT/actuator/health" | grep -q '^{"status":"UP"' && break
    sleep 0.5
  done
  sleep 3
}
stop_app() { kill $APP; wait $APP 2>/dev/null || true; }

measure() { # label -> prints "label req/s p99"
  wrk -t1 -c$CONNECTIONS -d10s -s bench/receive/post.lua "http://127.0.0.1:$PORT/receive" >/dev/null # JIT warm-up
  local out; out=$(wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency -s bench/receive/post.lua "http://127.0.0.1:$PORT/receive")
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '%-38s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${errors:-0}"
  echo "$rps"> "$WORK/last"
}

echo "POST /receive, $CONNECTIONS connections, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
# the baseline runs first and last; the ratios use the mean of both (the machine drifts within a run)
bare() { # label
  rm -rf "$WORK/bare"; mkdir -p "$WORK/bare"
  java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.BareReceiveServer \
    $PORT "$WORK/bare" >"$WORK/bare.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 60); do grep -q READY "$WORK/bare.log" 2>/dev/null && break; sleep 0.5; done
  measure "$1"; stop_app
}
bare "baseline: bare Vert.x + same append"; BARE1=$(cat "$WORK/last")
start_app "$WORK/empty"
measure "group commit, empty log"; EMPTY=$(cat "$WORK/last")
# the other hot reads on the same port, same app (the log now holds the messages just stored)
others() {
  local label=$1 url=$2 script=${3:-}
  local out; out=$(wrk -t1 -c$CONNECTIONS -d10s --latency ${script:+-s $script} "$url")
  printf '%-38s %10s req/s   p99 %8s   non-2xx %s\n' "$label" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" "$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
}
others "GET /messages?offset=0&limit=10" "http://127.0.0.1:$PORT/messages?offset=0&limit=10"
others "GET /metrics (Redis hash)" "http://127.0.0.1:$PORT/metrics"
others "POST /get_data/ (Redis)" "http://127.0.0.1:$PORT/get_data/" bench/receive/get_data.lua
stop_app

start_app "$WORK/secured" --twinflow.security.enabled=true
measure "group commit, security on"; SECURED=$(cat "$WORK/last"); stop_app

# a log of $STORED messages, written in the documented format (JSON Lines), recovered at start
mkdir -p "$WORK/full"
awk -v n="$STORED" 'BEGIN { for (i = 0; i < n; i++) printf "{\"type\":\"sensor\",\"sensor_type\":\"temperature\",\"value\":%.1f,\"unit\":\"°C\",\"device\":\"dev-%d\",\"received_at\":1795000000.%03d,\"received_by\":\"bench\"}\n", 20 + i % 100 / 10, i % 500, i % 1000 }' > "$WORK/full/messages.jsonl"
t0=$(date +%s%N); start_app "$WORK/full"; t1=$(date +%s%N)
echo "start-up with $STORED stored messages (index rebuilt): $(( (t1 - t0) / 1000000 )) ms"
measure "group commit, $STORED stored"; FULL=$(cat "$WORK/last"); stop_app

start_app "$WORK/single" --twinflow.receive.group-commit=false
measure "fsync per request, empty log"; SINGLE=$(cat "$WORK/last"); stop_app

bare "baseline again, after the others"; BARE2=$(cat "$WORK/last")
BARE=$(awk -v a="$BARE1" -v b="$BARE2" 'BEGIN {printf "%.2f", (a + b) / 2}')
echo "baseline, mean of both runs:            $BARE req/s"

awk -v e="$EMPTY" -v x="$SECURED" -v f="$FULL" -v s="$SINGLE" -v b="$BARE" 'BEGIN {
  printf "ratio twinflow / bare server:            %.2f (security on: %.2f)\n", e / b, x / b
  printf "ratio group commit / fsync per request: %.2f\n", e / s
  printf "ratio %s stored / empty:             %.3f\n", "1M", f / e }'
