package dev.twinflow.receive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the listener role ({@code POST /receive}), under {@code twinflow.receive.}.
 *
 * @param groupCommit share one fsync among all messages waiting to be written (default); {@code
 *     false} syncs each request on its own, which is the slower baseline the benchmark measures
 */
@ConfigurationProperties("twinflow.receive")
public record ReceiveProperties(@DefaultValue("true") boolean groupCommit) {}
