/** Machine data from Kafka into MySQL ({@code mac_data}) and InfluxDB ({@code machine_data}), batched and idempotent. */
package dev.twinflow.sinks;
