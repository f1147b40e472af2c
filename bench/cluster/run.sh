#!/usr/bin/env bash
# Twinflow replicas (child JVMs) on shared engines: readings/s of one replica and of two on one MQTT
# shared subscription (and the ratio), then the stall when one of two is killed -9, on the embedded
# broker and on this machine's Mosquitto (127.0.0.1:1883) if it runs.
# Usage: bench/cluster/run.sh [messages=10000] [readings-per-message=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.ClusterBench "$@"
