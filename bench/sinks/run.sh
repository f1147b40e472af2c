#!/usr/bin/env bash
# Machine-data sinks: readings/s draining a Kafka machine_data backlog into MySQL (embedded MariaDB) and
# InfluxDB 1.x (/usr/bin/influxd, started by the bench) through twinflow's sink routes vs a direct loop of
# the plain clients (JDBC batch upsert and multi-row upsert, line-protocol POSTs), then the sinks' lag under 5,000 readings/s of
# MQTT ingest. Usage: bench/sinks/run.sh [readings=1000000] [readings-per-record=10] [lag-seconds=30] [rate=5000]
# JAVA_OPTS adds JVM options (a JFR recording, say).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# shellcheck disable=SC2086
exec java -Xmx2g ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.SinksBench "$@"
