#!/usr/bin/env bash
# Load client for a running twinflow (or any TelemetryIngest server): S streams x P packets over D
# devices; with a /metrics URL it checks every count afterwards (start from an empty hash).
# Usage: bench/telemetry/load.sh [host:port=127.0.0.1:50051] [streams=32] [packets=10000] [devices=100] [metrics-url]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.TelemetryLoad "$@"
