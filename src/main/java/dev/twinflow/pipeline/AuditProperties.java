package dev.twinflow.pipeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The delivery audit, under {@code twinflow.audit.}.
 *
 * @param flushInterval how often what was sent and received is written to Redis in one call; a
 *     kill -9 can lose at most this much of the sending side (the receiving side is read again from
 *     the message log)
 */
@ConfigurationProperties("twinflow.audit")
public record AuditProperties(@DefaultValue("200ms") Duration flushInterval) {}
