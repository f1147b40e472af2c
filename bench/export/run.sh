#!/usr/bin/env bash
# Export: rows/s from Kafka machine_data into Parquet files on a real HDFS (MiniDFSCluster) through
# twinflow's export route vs a direct AvroParquetWriter loop, same run. Usage: bench/export/run.sh [rows=2000000] [readings-per-record=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" dev.twinflow.bench.ExportBench "$@"
