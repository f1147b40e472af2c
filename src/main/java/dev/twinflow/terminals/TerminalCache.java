package dev.twinflow.terminals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The Redis side of terminal sync. Writes come from the WebSocket handler, which must not block: they
 * go out asynchronously on one Lettuce connection, so they reach Redis in the order the handler issued
 * them, and each is a single command or Lua script (atomic, one round trip). Reads serve HTTP and are
 * plain blocking calls; a Redis that is down fails them (the API answers 503).
 *
 * <p>Keys (seed 003): {@code terminal:{id}:config|logs|status} with TTLs; {@code terminal_configs}
 * (hash, no TTL) keeps the latest config durably; {@code terminals} (hash) the presence of each
 * terminal; {@code terminal:{id}:config:changes} the config change audit (newest first).
 */
@Component
public class TerminalCache implements AutoCloseable {

    static final String PRESENCE = "terminals";
    static final String DURABLE_CONFIGS = "terminal_configs";

    /** KEYS[1] list; ARGV: max entries, ttl seconds, 1 = replace the list, entries... */
    private static final String APPEND_LOGS =
            """
            if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) end
            if #ARGV > 3 then redis.call('RPUSH', KEYS[1], unpack(ARGV, 4)) end
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
            return redis.call('LLEN', KEYS[1])
            """;

    /** KEYS[1] cache key, KEYS[2] durable hash; ARGV: id, value, ttl seconds, durable entry. */
    private static final String STORE_CONFIG =
            """
            redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
            return 1
            """;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminalCache.class);

    private final TerminalsProperties properties;
    private final StringRedisTemplate redis;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttempt;
    private final LongAdder failedWrites = new LongAdder();

    TerminalCache(TerminalsProperties properties, StringRedisTemplate redis, LettuceConnectionFactory factory) {
        this.properties = properties;
        this.redis = redis;
        this.client = (RedisClient) factory.getRequiredNativeClient();
    }

    /**
     * A connection of our own, opened at the first write (so a Redis that is down does not stop the
     * app from starting) and at most every 5 s while it cannot be; Lettuce reconnects it afterwards.
     */
    private RedisAsyncCommands<String, String> writes() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c.async();
        }
        synchronized (this) {
            if (connection == null && System.currentTimeMillis() >= nextConnectAttempt) {
                try {
                    connection = client.connect(StringCodec.UTF8);
                } catch (RuntimeException e) {
                    nextConnectAttempt = System.currentTimeMillis() + 5000;
                    LOG.warn("cannot connect to Redis for the terminal cache: {}", e.toString());
                }
            }
            return connection == null ? null : connection.async();
        }
    }

    static String key(String id, String what) {
        return "terminal:" + id + ":" + what;
    }

    void presence(String id, String json) {
        RedisAsyncCommands<String, String> w = writes();
        watch(w == null ? null : w.hset(PRESENCE, id, json), "presence of " + id);
    }

    void status(String id, String json) {
        RedisAsyncCommands<String, String> w = writes();
        watch(
                w == null
                        ? null
                        : w.setex(key(id, "status"), properties.statusTtl().toSeconds(), json),
                "status of " + id);
    }

    void config(String id, String json, String durableEntry) {
        RedisAsyncCommands<String, String> w = writes();
        watch(
                w == null
                        ? null
                        : w.eval(
                                STORE_CONFIG,
                                ScriptOutputType.INTEGER,
                                new String[] {key(id, "config"), DURABLE_CONFIGS},
                                id,
                                json,
                                Long.toString(properties.configTtl().toSeconds()),
                                durableEntry),
                "config of " + id);
    }

    void logs(String id, List<String> entries, boolean replace) {
        List<String> args = new ArrayList<>(entries.size() + 3);
        args.add(Integer.toString(properties.maxLogs()));
        args.add(Long.toString(properties.logsTtl().toSeconds()));
        args.add(replace ? "1" : "0");
        args.addAll(entries);
        RedisAsyncCommands<String, String> w = writes();
        watch(
                w == null
                        ? null
                        : w.eval(
                                APPEND_LOGS,
                                ScriptOutputType.INTEGER,
                                new String[] {key(id, "logs")},
                                args.toArray(String[]::new)),
                "logs of " + id);
    }

    void configChange(String id, String json) {
        String key = key(id, "config:changes");
        RedisAsyncCommands<String, String> w = writes();
        watch(w == null ? null : w.lpush(key, json), "config change of " + id);
        watch(w == null ? null : w.ltrim(key, 0, properties.configChanges() - 1L), "config change of " + id);
    }

    private void watch(CompletionStage<?> write, String what) {
        if (write == null) {
            failedWrites.increment();
            return;
        }
        write.whenComplete((ok, e) -> {
            if (e != null) {
                failedWrites.increment();
                LOG.warn("could not cache the {} in Redis: {}", what, e.toString());
            }
        });
    }

    /** Cache writes Redis refused or never answered since start. */
    public long failedWrites() {
        return failedWrites.sum();
    }

    // reads (blocking, for HTTP)

    Map<Object, Object> allPresence() {
        return redis.opsForHash().entries(PRESENCE);
    }

    String presenceOf(String id) {
        return (String) redis.opsForHash().get(PRESENCE, id);
    }

    String cached(String id, String what) {
        return redis.opsForValue().get(key(id, what));
    }

    String durableConfig(String id) {
        return (String) redis.opsForHash().get(DURABLE_CONFIGS, id);
    }

    List<String> logs(String id) {
        return redis.opsForList().range(key(id, "logs"), 0, -1);
    }

    List<String> configChanges(String id) {
        return redis.opsForList().range(key(id, "config:changes"), 0, -1);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
