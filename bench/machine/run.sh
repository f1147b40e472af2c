#!/usr/bin/env bash
# Machine data ingest: readings/s from MQTT 5 (QoS 1) publishers through twinflow (Paho subscriber with
# manual acks -> Kafka machine_data -> Redis latest values and counters) vs a plain Paho subscriber
# draining the same embedded broker, same run. Usage: bench/machine/run.sh [messages=100000] [readings=10] [publishers=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.MachineBench "$@"
