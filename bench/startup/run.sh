#!/usr/bin/env bash
# Start-up (issue 13): wall-clock time from launching `java -jar` to the first 200 of GET /data (until
# every route has started the startup gate answers 503, before Tomcat listens nothing answers), and
# resident memory 5 s later, against a plain Spring Boot web app of the same Boot version
# (bench/startup/plain: one controller) started and timed the same way in the same run: the floor.
# Modes, N fresh starts each, interleaved so that drift hits all alike:
#   plain     the floor
#   embedded  twinflow's `java -jar`, every engine embedded (Kafka and the MQTT broker in the JVM,
#             redis-server and mariadbd as its children), each on a free port, empty data dir: the JVM
#             java -jar starts runs the app in a second JVM from the jar's extracted copy with the class
#             data sharing archive an earlier run wrote (FastStart; its cache here is under the work dir)
#   1M        the same on a copy of a data dir holding 1,000,000 stored messages, stopped cleanly
#   first     the first `java -jar` of a build: an empty cache (the jar extracted, no archive yet; the run
#             writes one at its stop)
#   nested    `java -jar` with -Dtwinflow.fast-start=false: the app in the JVM java -jar starts, every
#             class loaded out of the nested jars (what java -jar did before)
#   cds       the Dockerfile's way: extracted by hand, an archive from a training run that exits once
#             the context is refreshed
# RSS: the JVMs' VmRSS (the launching JVM and the app's), the other child processes' on their own.
# Usage: bench/startup/run.sh [starts=3]   JAVA_OPTS: JVM flags for every start (default: none)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-3}
STORED=${BENCH_STORED:-1000000}
TIMEOUT=120 # seconds a start may take to answer 200
read -r -a JVM_FLAGS <<<"${JAVA_OPTS:-}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/startup-bench.XXXXXX")
PIDS=() # every JVM started here

free_ports() { # n → n distinct free ports
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
median() { sort -n | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
# a child's name without the version the embedded-redis binary carries (redis-server-6.2.6-v5-...)
proc_name() { local n; n=$(cat "/proc/$1/comm" 2>/dev/null || echo gone); echo "${n%%-[0-9]*}"; }

fail() { # message log
  echo "FAILED: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    mkdir -p bench/out
    cp "$2" "bench/out/startup-failed.log"
    echo "--- last lines of its log (kept in bench/out/startup-failed.log) ---" >&2
    tail -n 30 "$2" >&2
  fi
  exit 1
}

# SIGTERM: a graceful stop closes the engines, which stop their child processes; SIGKILL after 60 s.
# A child still running after its JVM has gone (a kill, or a server it had not finished starting) is
# stopped by its pid, if that pid still names the same program.
stop() { # pid
  local pid=$1 kids=() c
  for c in $(descendants "$pid"); do kids+=("$c:$(proc_name "$c")"); done
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for c in "${kids[@]}"; do
    [ "$(proc_name "${c%%:*}")" = "${c#*:}" ] && kill "${c%%:*}" 2>/dev/null || true
  done
}

# engine servers left behind under a data dir (the CDS training run exits without stopping its
# redis-server), found by the pid files twinflow gives them
stop_orphans() { # dir
  local f pid
  while IFS= read -r f; do
    pid=$(cat "$f" 2>/dev/null || true)
    case "$(proc_name "${pid:-0}")" in redis-server | mariadbd) kill "$pid" 2>/dev/null || true ;; esac
  done < <(find "$1" \( -name redis.pid -o -name mariadbd.pid \) 2>/dev/null)
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then stop "$pid"; fi
  done
  stop_orphans "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

launch() { # log command... → PID; T0 (ns) taken just before the launch
  local log=$1
  shift
  T0=$(date +%s%N)
  "$@" >"$log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}

wait_for_data() { # port log → T200 (ns): the first 200 of GET /data, polled every 50 ms
  local port=$1 log=$2 code now
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/data" || true)
    now=$(date +%s%N)
    if [ "$code" = 200 ]; then
      T200=$now
      return
    fi
    kill -0 "$PID" 2>/dev/null || fail "it exited before GET /data answered 200 (last answer: $code)" "$log"
    if ((now - T0 > TIMEOUT * 1000000000)); then
      fail "GET /data did not answer 200 within $TIMEOUT s (last answer: $code)" "$log"
    fi
    sleep 0.05
  done
}

# Spring Boot's "Started X in A seconds (process running for B)": B, from the JVM's start
started_at() { # log
  local s
  for _ in $(seq 1 40); do
    s=$(sed -n 's/.*Started [A-Za-z]* in [0-9.]* seconds (process running for \([0-9.]*\)).*/\1/p' "$1" | head -1)
    [ -n "$s" ] && break
    sleep 0.05
  done
  echo "${s:--}"
}

# the engines as /actuator/health sees them: "UP", or the components that are not, as name=STATUS
# (UNKNOWN is an engine that is off: InfluxDB, without twinflow.influx.url)
engines() { # port
  curl -s --max-time 5 "http://127.0.0.1:$1/actuator/health" | python3 -c '
import json, sys
try:
    c = json.load(sys.stdin).get("components", {})
except ValueError:
    print("no-answer"); sys.exit()
down = [k + "=" + v.get("status") for k, v in sorted(c.items()) if v.get("status") not in ("UP", "UNKNOWN")]
print(",".join(down) if down else "UP")'
}

# one timed start: appends "ms_to_200 started_s jvm_kib children_kib children health" to $WORK/<mode>
one_start() { # mode port command...
  local mode=$1 port=$2 log="$WORK/$1.log" jvm children=0 desc=() c r health=-
  shift 2
  launch "$log" "$@"
  wait_for_data "$port" "$log"
  local started
  started=$(started_at "$log")
  sleep 5 # settle: the engines' own threads, the first scheduled work
  jvm=$(rss_kib "$PID")
  for c in $(descendants "$PID"); do
    r=$(rss_kib "$c")
    [ -n "$r" ] || continue
    if [ "$(proc_name "$c")" = java ]; then # the app's JVM, started by the launching one
      jvm=$((jvm + r))
      continue
    fi
    children=$((children + r))
    desc+=("$(proc_name "$c"):$r")
  done
  [ "$mode" = plain ] || health=$(engines "$port")
  stop "$PID"
  local IFS=,
  echo "$(((T200 - T0) / 1000000)) $started $jvm $children ${desc[*]:--} $health" >>"$WORK/result.$mode"
}

TWINFLOW_ARGS=()
twinflow_ports() { # data-dir → PORT and TWINFLOW_ARGS: every listener on a free port, its own data dir
  local p
  read -r -a p <<<"$(free_ports 7)"
  PORT=${p[0]}
  TWINFLOW_ARGS=(--server.port="${p[0]}" --twinflow.grpc.port="${p[1]}" --twinflow.terminals.port="${p[2]}"
    --twinflow.kafka.embedded-port="${p[3]}" --twinflow.redis.embedded-port="${p[4]}"
    --twinflow.mqtt.embedded-port="${p[5]}" --twinflow.mysql.embedded-port="${p[6]}" --twinflow.data-dir="$1")
}

start_plain() {
  PORT=$(free_ports 1)
  one_start plain "$PORT" java "${JVM_FLAGS[@]}" -jar "$PLAIN_JAR" --server.port="$PORT"
}
start_embedded() {
  twinflow_ports "$WORK/run/data"
  one_start embedded "$PORT" java "${JVM_FLAGS[@]}" "$FAST" -jar "$JAR" "${TWINFLOW_ARGS[@]}"
  rm -rf "$WORK/run"
}
start_first() { # a cache of its own, empty
  twinflow_ports "$WORK/run/data"
  one_start first "$PORT" java "${JVM_FLAGS[@]}" -Dtwinflow.fast-start.cache="$WORK/run/cache" -jar "$JAR" \
    "${TWINFLOW_ARGS[@]}"
  rm -rf "$WORK/run"
}
start_nested() {
  twinflow_ports "$WORK/run/data"
  one_start nested "$PORT" java "${JVM_FLAGS[@]}" -Dtwinflow.fast-start=false -jar "$JAR" "${TWINFLOW_ARGS[@]}"
  rm -rf "$WORK/run"
}
start_stored() {
  mkdir -p "$WORK/run"
  cp -a "$WORK/stored/data" "$WORK/run/data"
  sync # the copy's writes do not compete with the start
  twinflow_ports "$WORK/run/data"
  one_start 1M "$PORT" java "${JVM_FLAGS[@]}" "$FAST" -jar "$JAR" "${TWINFLOW_ARGS[@]}"
  rm -rf "$WORK/run"
}
start_cds() {
  twinflow_ports "$WORK/run/data"
  one_start cds "$PORT" java "${JVM_FLAGS[@]}" -XX:SharedArchiveFile="$WORK/cds/app.jsa" -jar "$CDS_JAR" \
    "${TWINFLOW_ARGS[@]}"
  rm -rf "$WORK/run"
}

# The 1M data dir, filled once: one message through POST /receive (the line twinflow stores is the
# template), the other 999,999 appended to the log in the same format (at POST /receive's present
# ~1,300 req/s, bench/receive, posting them all would take ~13 minutes), then one more start and a
# clean stop, so the copies are the data dir of an app that stored them and stopped: log index built
# on open, the delivery audit's position in the log kept in Redis, MariaDB installed, Kafka formatted.
# The first start is also the warm-up (page cache, MariaDB binaries unpacked into the temp dir).
prepare_stored() {
  local dir="$WORK/stored/data" line
  twinflow_ports "$dir"
  launch "$WORK/fill.log" java "${JVM_FLAGS[@]}" "$FAST" -jar "$JAR" "${TWINFLOW_ARGS[@]}"
  wait_for_data "$PORT" "$WORK/fill.log"
  curl -sf -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/receive" \
    -d '{"type":"sensor","sensor_type":"temperature","value":25.5,"unit":"°C","device":"dev-0"}' >/dev/null ||
    fail "POST /receive was refused" "$WORK/fill.log"
  stop "$PID"
  line=$(head -1 "$dir/messages.jsonl")
  LINE=$line awk -v n="$STORED" 'BEGIN {
    line = ENVIRON["LINE"]
    for (i = 1; i < n; i++) { s = line; sub(/"device":"dev-0"/, "\"device\":\"dev-" i % 500 "\"", s); print s } }' \
    >>"$dir/messages.jsonl"
  twinflow_ports "$dir"
  launch "$WORK/fill.log" java "${JVM_FLAGS[@]}" "$FAST" -jar "$JAR" "${TWINFLOW_ARGS[@]}"
  wait_for_data "$PORT" "$WORK/fill.log"
  stop "$PID"
  grep -q ' ERROR ' "$WORK/fill.log" && echo "note: the second fill start logged errors" >&2
  grep -rqa '{audit}:log:' "$dir/redis" || echo "note: the delivery audit's position is not in Redis" >&2
  echo "1M data dir: $(wc -l <"$dir/messages.jsonl") stored messages, $(du -sm "$WORK/stored/data" | cut -f1) MiB" \
    "(messages.jsonl $(($(stat -c %s "$dir/messages.jsonl") / 1048576)) MiB), copied for each start"
}

# The Dockerfile's way: the extracted layout (no class loading from nested jars) and a CDS archive
# from a training run on the embedded engines that exits once the context is refreshed (MySQL pointed
# at nothing, as there, so it leaves no mariadbd; its redis-server it leaves, stopped by pid file).
prepare_cds() {
  java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/cds" >/dev/null
  CDS_JAR="$WORK/cds/$(basename "$JAR")"
  twinflow_ports "$WORK/training/data"
  local rc=0
  timeout "$TIMEOUT" java "${JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$WORK/cds/app.jsa" \
    -Dspring.context.exit=onRefresh -jar "$CDS_JAR" "${TWINFLOW_ARGS[@]}" \
    --twinflow.mysql.url=jdbc:mariadb://127.0.0.1:1/none >"$WORK/training.log" 2>&1 || rc=$?
  stop_orphans "$WORK/training"
  [ "$rc" != 124 ] || fail "the CDS training run did not exit within $TIMEOUT s" "$WORK/training.log"
  [ -s "$WORK/cds/app.jsa" ] || fail "the CDS training run wrote no archive" "$WORK/training.log"
  echo "CDS archive: $(($(stat -c %s "$WORK/cds/app.jsa") / 1048576)) MiB from one training run"
}

./mvnw -q -B package -DskipTests
JAR=$(ls target/twinflow-*.jar | grep -v original | head -1)
# java -jar's cache of extracted builds (FastStart): the fill's first start extracts the jar and writes
# the archive at its stop, the later starts use both
FAST=-Dtwinflow.fast-start.cache="$WORK/fast-start"
./mvnw -q -B -f bench/startup/plain/pom.xml package
PLAIN_JAR=$(ls bench/startup/plain/target/startup-plain-*.jar | grep -v original | head -1)

echo "start-up: launch of java -jar to the first 200 of GET /data (curl every 50 ms), RSS 5 s later"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), JVM flags: ${JAVA_OPTS:-none}, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(basename "$JAR") ($(($(stat -c %s "$JAR") / 1048576)) MiB) against $(basename "$PLAIN_JAR") ($(($(stat -c %s "$PLAIN_JAR") / 1048576)) MiB)"
prepare_stored
prepare_cds
# the plain app's warm-up start (twinflow's were the fill's), not counted
PORT=$(free_ports 1)
launch "$WORK/warm-up.log" java "${JVM_FLAGS[@]}" -jar "$PLAIN_JAR" --server.port="$PORT"
wait_for_data "$PORT" "$WORK/warm-up.log"
stop "$PID"

for i in $(seq 1 "$N"); do
  start_plain
  start_embedded
  start_stored
  start_first
  start_nested
  start_cds
  echo "round $i of $N done" >&2
done

col() { awk -v c="$2" '{print $c}' "$WORK/result.$1"; }
mib() { awk '{printf "%d\n", $1 / 1024}'; }
secs() { awk '{printf "%.2f\n", $1 / 1000}'; }
two() { awk '{printf "%.2f\n", $1}'; }
# per child program, the median of its RSS over the starts (0 where it was not running yet)
children() { # mode
  local names name
  names=$(col "$1" 5 | tr ',' '\n' | grep -v '^-$' | cut -d: -f1 | sort -u)
  for name in $names; do
    printf '%s %s MiB, ' "$name" "$(awk -v n="$name" '{ s = 0; k = split($5, a, ","); for (i = 1; i <= k; i++) {
      split(a[i], p, ":"); if (p[1] == n) s += p[2] }; print s }' "$WORK/result.$1" | median | mib)"
  done | sed 's/, $//'
}
report() { # mode
  local m=$1
  printf '%-9s first 200 %6s s   Started %6s s   RSS JVM %5s MiB   children %4s MiB %s\n' "$m" \
    "$(col "$m" 1 | median | secs)" "$(col "$m" 2 | median | two)" "$(col "$m" 3 | median | mib)" \
    "$(col "$m" 4 | median | mib)" "$([ "$m" = plain ] || echo "($(children "$m"))")"
  printf '%-9s   all: first 200 %s s; Started %s s; RSS JVM %s MiB; children %s MiB%s\n' "" \
    "$(col "$m" 1 | secs | paste -sd' ')" "$(col "$m" 2 | paste -sd' ')" "$(col "$m" 3 | mib | paste -sd' ')" \
    "$(col "$m" 4 | mib | paste -sd' ')" "$([ "$m" = plain ] || echo "; engines 5 s after: $(col "$m" 6 | paste -sd' ')")"
}
ratio() { # a b → "a / b" as 1.23x
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'
}
sum_median() { awk '{print $3 + $4}' "$WORK/result.$1" | median; }

echo
echo "median of $N starts each (Started: Spring Boot's 'process running for' in its log line)"
for m in plain embedded 1M first nested cds; do report "$m"; done
echo
echo "twinflow / plain      time to first 200   RSS JVM   RSS JVM + children"
for m in embedded 1M first nested cds; do
  printf '%-21s %-19s %-9s %s\n' "$m" "$(ratio "$(col "$m" 1 | median)" "$(col plain 1 | median)")" \
    "$(ratio "$(col "$m" 3 | median)" "$(col plain 3 | median)")" \
    "$(ratio "$(sum_median "$m")" "$(col plain 3 | median)")"
done
echo
echo "goals (issue 13; printed, not asserted):"
echo "  all routes answering, every engine embedded <= 10 s: $(col embedded 1 | median | secs) s (first start of a build:" \
  "$(col first 1 | median | secs) s; without the extracted copy: $(col nested 1 | median | secs) s; cds: $(col cds 1 | median | secs) s)"
echo "  the same with 1M stored messages            <= 12 s: $(col 1M 1 | median | secs) s"
echo "  java -jar now / before (nested)                     : $(ratio "$(col embedded 1 | median)" "$(col nested 1 | median)")"
echo "  RSS                                     <= 700 MiB: JVM $(col embedded 3 | median | mib) MiB," \
  "with children $(sum_median embedded | mib) MiB (1M: $(col 1M 3 | median | mib) / $(sum_median 1M | mib) MiB;" \
  "nested: $(col nested 3 | median | mib) MiB; cds: $(col cds 3 | median | mib) MiB)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
