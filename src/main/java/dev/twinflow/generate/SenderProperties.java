package dev.twinflow.generate;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The seed's {@code sender.py}: forwarding every generated record to a listener, under {@code
 * twinflow.sender.}. Read by {@code routes/forward-generated-records.camel.yaml}.
 *
 * @param enabled forward records produced by {@code POST /generate}; env {@code TWINFLOW_SENDER_ENABLED}
 * @param listenerUrl the listener's {@code /receive} URL; env {@code TWINFLOW_SENDER_LISTENER_URL}
 * @param concurrency parallel POSTs to the listener
 * @param queueSize generated batches waiting to be forwarded; when full, the forwarding of the next
 *     batch waits (the answer to {@code POST /generate} does not)
 * @param retries times a POST the listener failed is tried again (with exponential back-off)
 * @param retryDelayMs wait before the first of those retries
 */
@Validated
@ConfigurationProperties("twinflow.sender")
public record SenderProperties(
        @DefaultValue("false") boolean enabled,
        @NotBlank @DefaultValue("http://localhost:8080/receive") String listenerUrl,
        @Min(1) @DefaultValue("8") int concurrency,
        @Min(1) @DefaultValue("1000") int queueSize,
        @Min(0) @DefaultValue("5") int retries,
        @Min(0) @DefaultValue("500") long retryDelayMs) {}
