#!/usr/bin/env bash
# Telemetry ingest: packets/s through twinflow (camel-grpc → exact Redis counters, Ack after the
# write, batches to Kafka) vs a plain grpc-java server that only counts in memory, same client, same
# run. Usage: bench/telemetry/run.sh [streams=32] [packets-per-stream=50000] [devices=100]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.TelemetryBench "$@"
