package dev.twinflow.embedded;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Redis, under {@code twinflow.redis.}.
 *
 * @param url the Redis to use, e.g. {@code redis://redis:6379}; unset starts a real redis-server
 *     (shipped in a Maven artifact) that persists under {@code <data-dir>/redis}; env {@code
 *     TWINFLOW_REDIS_URL}
 * @param embeddedPort port of that redis-server (0 = any free port); env {@code
 *     TWINFLOW_REDIS_EMBEDDED_PORT}
 */
@Validated
@ConfigurationProperties("twinflow.redis")
public record RedisSettings(String url, @Min(0) @Max(65535) @DefaultValue("6379") int embeddedPort) {

    public boolean embedded() {
        return url == null || url.isBlank();
    }
}
