#!/usr/bin/env bash
# generate → Kafka on ONE partition: the app (load-test scenario, rate 0, receiver route excluded)
# against Kafka's own ProducerPerformance (kafka-tools) on the same in-process broker, with the same
# record bytes (a sample of the app's records as --payload-file) and the publish route's producer
# settings; prints both records/s and the ratio app / baseline. Then generate → receiver latency
# (p50/p99) with the receiver on, at a fixed 10,000 records/s. Everything runs in one JVM.
# Usage: bench/kafka/run.sh [records, default 1000000] [latency-run records, default 300000]
# A profile: BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/bench.jfr bench/kafka/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.twinflow.bench.KafkaPublishBench "$@"
