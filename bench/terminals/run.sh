#!/usr/bin/env bash
# Terminal sync: hold N simulated terminals (heartbeats, status and log pushes) on twinflow's WebSocket
# listener, then time 1,000 commands over HTTP; baseline: a raw Vert.x WebSocket echo server holding the
# same connections, same run. Usage: bench/terminals/run.sh [terminals=5000] [commands=1000] [concurrency=8] [hold-seconds=35]
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || true
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.TerminalsBench "$@"
