/** Machine data over MQTT 5 (seed 004): readings to Kafka, latest values in Redis, the seed's REST API. */
package dev.twinflow.machine;
