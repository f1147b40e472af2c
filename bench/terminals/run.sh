#!/usr/bin/env bash
# Terminal sync: hold N simulated terminals (heartbeats, status and log pushes) on twinflow's WebSocket
# listener, then time 1,000 commands over HTTP; baseline: a raw Vert.x WebSocket echo server holding the
# same connections, same run. Usage: bench/terminals/run.sh [terminals=5000] [commands=1000] [concurrency=8] [hold-seconds=35]
# BENCH_JAVA_OPTS: flags of the benchmark's JVM (-Dbench.skip-echo=true, -Dbench.status-interval=10,
# -Dbench.log-interval=5 in seconds); BENCH_SERVER_FLAGS: extra flags of the server JVMs (e.g. a JFR recording).
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || true
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.TerminalsBench "$@"
