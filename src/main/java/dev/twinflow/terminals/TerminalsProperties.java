package dev.twinflow.terminals;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Terminal sync (seed 003), under {@code twinflow.terminals.}.
 *
 * @param port the WebSocket listener's own port (not the HTTP port); 0 picks a free one
 * @param path where terminals connect
 * @param sharedSecret a terminal's token is the hex HMAC-SHA256 of its id under this secret; unset =
 *     a random secret generated once and kept in {@code <data-dir>/terminals/shared-secret}
 * @param tokens per-terminal tokens ({@code twinflow.terminals.tokens.t1=...}); a terminal listed here
 *     must use its own token, not the HMAC one
 * @param helloTimeout a connection that has not authenticated with {@code hello} by then is closed
 * @param heartbeatInterval how often terminals are told to send {@code ping}
 * @param heartbeatTimeout a terminal silent for this long is closed and marked offline
 * @param commandTimeout how long {@code POST /terminals/{id}/commands} waits for the answer by default
 * @param configTtl lifetime of {@code terminal:{id}:config}
 * @param logsTtl lifetime of {@code terminal:{id}:logs}, renewed by every log
 * @param statusTtl lifetime of {@code terminal:{id}:status}, renewed by every status
 * @param maxLogs entries {@code terminal:{id}:logs} keeps (the newest)
 * @param initialLogCount the {@code count} of the {@code get_logs} sent after {@code hello}
 * @param maxFrameSize largest WebSocket frame accepted; larger closes the connection with 1009
 * @param maxMessageSize largest message (all its frames) accepted; larger closes it with 1009
 * @param configChanges entries of the config change audit kept per terminal
 * @param simulator the built-in terminal simulator
 */
@Validated
@ConfigurationProperties("twinflow.terminals")
public record TerminalsProperties(
        @Min(0) @Max(65535) @DefaultValue("8090") int port,
        @NotNull @DefaultValue("/ws/terminals") String path,
        String sharedSecret,
        @NotNull @DefaultValue Map<String, String> tokens,
        @NotNull @DefaultValue("10s") Duration helloTimeout,
        @NotNull @DefaultValue("30s") Duration heartbeatInterval,
        @NotNull @DefaultValue("75s") Duration heartbeatTimeout,
        @NotNull @DefaultValue("10s") Duration commandTimeout,
        @NotNull @DefaultValue("300s") Duration configTtl,
        @NotNull @DefaultValue("1800s") Duration logsTtl,
        @NotNull @DefaultValue("60s") Duration statusTtl,
        @Min(1) @DefaultValue("1000") int maxLogs,
        @Min(0) @DefaultValue("100") int initialLogCount,
        @NotNull @DefaultValue("64KB") DataSize maxFrameSize,
        @NotNull @DefaultValue("1MB") DataSize maxMessageSize,
        @Min(1) @DefaultValue("1000") int configChanges,
        @Valid @NotNull @DefaultValue Simulator simulator) {

    /**
     * The terminal simulator ({@code twinflow.terminals.simulator.}).
     *
     * @param count terminals started with the app (0 = none; start more with {@code POST
     *     /simulator/terminals/start})
     * @param url where they connect; unset = this app's own listener
     * @param idPrefix their ids are this prefix and a number from 1
     * @param statusInterval how often each pushes {@code status}
     * @param logInterval how often each pushes a {@code log}
     */
    public record Simulator(
            @Min(0) @DefaultValue("0") int count,
            String url,
            @NotNull @DefaultValue("sim-") String idPrefix,
            @NotNull @DefaultValue("10s") Duration statusInterval,
            @NotNull @DefaultValue("5s") Duration logInterval) {}
}
