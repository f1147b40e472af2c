/** Seed 002: gRPC client-streaming telemetry ingest, exact per-device counters in Redis, GET /metrics. */
package dev.twinflow.telemetry;
