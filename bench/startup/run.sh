#!/usr/bin/env bash
# Start-up: time to "Started" (Spring Boot's own figure) and resident memory of the packaged jar, median
# of N fresh starts, (1) embedded: every engine in-process, (2) external: Redis and Mosquitto of this
# machine (127.0.0.1:6379, :1883) and a Kafka of another twinflow started once beforehand, and
# (3) embedded again from the extracted jar with a class data sharing archive (what the Dockerfile does).
# RSS is the JVM's; the embedded mode's redis-server child is reported on its own.
# Usage: bench/startup/run.sh [starts=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5}
./mvnw -q -B package -DskipTests
JAR=$(ls target/twinflow-*.jar | grep -v original | head -1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# starts the jar with "$@", waits for "Started", prints "seconds rss_kib child_rss_kib", stops it
one_start() {
  local dir; dir=$(mktemp -d); touch "$dir/log"
  java ${JAVA_OPTS:-} -jar "$JAR" --twinflow.data-dir="$dir/data" --server.port="$(free_port)" \
    --twinflow.grpc.port="$(free_port)" --twinflow.terminals.port="$(free_port)" "$@" > "$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "Started TwinflowApplication in" "$dir/log" && break
    kill -0 $pid 2>/dev/null || { echo "start-up failed, see $dir/log" >&2; exit 1; }
    sleep 0.2
  done
  local secs; secs=$(grep -o "Started TwinflowApplication in [0-9.]*" "$dir/log" | awk '{print $4}')
  sleep 5 # settle: the first scheduled work, the engines' own threads
  local rss; rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  local child=0
  for c in $(pgrep -P $pid || true); do child=$((child + $(awk '/VmRSS/{print $2}' /proc/$c/status 2>/dev/null || echo 0))); done
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
  echo "$secs $rss $child"
}

report() {
  local name=$1 file=$2
  printf '%-10s started in %5s s (median of %d; all: %s)  RSS %4d MiB  children RSS %4d MiB\n' "$name" \
    "$(awk '{print $1}' "$file" | median)" "$N" "$(awk '{print $1}' "$file" | tr '\n' ' ')" \
    "$(( $(awk '{print $2}' "$file" | median) / 1024 ))" "$(( $(awk '{print $3}' "$file" | median) / 1024 ))"
}

embedded=$(mktemp)
for i in $(seq 1 "$N"); do
  one_start --twinflow.kafka.embedded-port="$(free_port)" --twinflow.redis.embedded-port="$(free_port)" \
    --twinflow.mqtt.embedded-port="$(free_port)" >> "$embedded"
done

# a Kafka for the external runs: another twinflow's in-process broker, started once
kdir=$(mktemp -d); kport=$(free_port); touch "$kdir/log"
java -jar "$JAR" --twinflow.data-dir="$kdir/data" --server.port="$(free_port)" --twinflow.grpc.port="$(free_port)" \
  --twinflow.terminals.port="$(free_port)" --twinflow.kafka.embedded-port="$kport" \
  --twinflow.redis.embedded-port="$(free_port)" --twinflow.mqtt.embedded-port="$(free_port)" > "$kdir/log" 2>&1 &
kpid=$!
until grep -q "Started TwinflowApplication in" "$kdir/log"; do sleep 0.5; done
external=$(mktemp)
for i in $(seq 1 "$N"); do
  one_start --twinflow.kafka.bootstrap-servers=127.0.0.1:"$kport" --twinflow.redis.url=redis://127.0.0.1:6379 \
    --twinflow.mqtt.broker-url=tcp://127.0.0.1:1883 --twinflow.machine.client-id=startup-bench-$i >> "$external"
done
kill $kpid; wait $kpid 2>/dev/null || true; rm -rf "$kdir"

# the extracted layout (no nested-jar class loading) and a CDS archive from a training run
ex=$(mktemp -d)
java -Djarmode=tools -jar "$JAR" extract --destination "$ex/app" > /dev/null
tdir=$(mktemp -d); rport=$(free_port)
java -XX:ArchiveClassesAtExit="$ex/app/app.jsa" -Dspring.context.exit=onRefresh -jar "$ex/app/$(basename "$JAR")" \
  --twinflow.data-dir="$tdir/data" --server.port="$(free_port)" --twinflow.grpc.port="$(free_port)" \
  --twinflow.terminals.port="$(free_port)" --twinflow.kafka.embedded-port="$(free_port)" \
  --twinflow.redis.embedded-port="$rport" --twinflow.mqtt.embedded-port="$(free_port)" > "$tdir/log" 2>&1
# the training run exits right after start-up and leaves its redis-server behind
pkill -f "redis-server.*:$rport" || true
cds=$(mktemp)
for i in $(seq 1 "$N"); do
  JAR="$ex/app/$(basename "$JAR")" JAVA_OPTS="-XX:SharedArchiveFile=$ex/app/app.jsa" one_start \
    --twinflow.kafka.embedded-port="$(free_port)" --twinflow.redis.embedded-port="$(free_port)" \
    --twinflow.mqtt.embedded-port="$(free_port)" >> "$cds"
done
rm -rf "$ex" "$tdir"

report embedded "$embedded"
report external "$external"
report cds "$cds"
