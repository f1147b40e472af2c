#!/usr/bin/env bash
# Machine data ingest, live: MQTT 5 (QoS 1) publishers and the subscriber running together. twinflow
# (Paho subscriber, manual acks -> Kafka machine_data -> Redis latest values and counters) vs a plain
# Java Paho v5 subscriber on the same broker, same load, same run: on the embedded broker, and on a
# Mosquitto of the bench's own where Debian's mosquitto is installed.
# Usage: bench/machine/run.sh [messages=20000] [readings=10] [publishers=4] [brokers=embedded,mosquitto]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.MachineBench "$@"
