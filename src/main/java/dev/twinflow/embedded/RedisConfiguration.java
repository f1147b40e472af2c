package dev.twinflow.embedded;

import dev.twinflow.settings.TwinflowProperties;
import dev.twinflow.system.Engine;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Starts or connects the Redis engine; Spring's {@code StringRedisTemplate} then talks to it. */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean(destroyMethod = "close")
    RedisEngine redisEngine(RedisSettings settings, TwinflowProperties twinflow) throws IOException {
        return new RedisEngine(settings, twinflow);
    }

    @Bean
    Engine redisEngineReport(RedisEngine redis) {
        return redis.describe();
    }

    @Bean
    LettuceConnectionFactory redisConnectionFactory(RedisEngine redis) {
        URI uri = URI.create(redis.url());
        RedisStandaloneConfiguration server =
                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        if (uri.getUserInfo() != null) {
            String[] user = uri.getUserInfo().split(":", 2);
            if (user.length == 2) {
                server.setUsername(user[0].isEmpty() ? null : user[0]);
                server.setPassword(user[1]);
            } else {
                server.setPassword(user[0]);
            }
        }
        if (uri.getPath() != null && uri.getPath().length() > 1) {
            server.setDatabase(Integer.parseInt(uri.getPath().substring(1)));
        }
        // a Redis that does not answer fails a call in seconds instead of holding it forever
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(5))
                .build();
        return new LettuceConnectionFactory(server, client);
    }
}
