package dev.twinflow.pipeline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka receiver ({@code routes/receive-generated-records.camel.yaml}), under {@code
 * twinflow.receiver.}.
 *
 * @param storeMessages append every received record to the message log ({@code GET /messages}),
 *     which also lets the delivery audit survive restarts; {@code false} keeps only the audit, in
 *     memory; env {@code TWINFLOW_RECEIVER_STORE_MESSAGES}
 */
@ConfigurationProperties("twinflow.receiver")
public record ReceiverProperties(@DefaultValue("true") boolean storeMessages) {}
