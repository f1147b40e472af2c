package dev.twinflow.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

/**
 * The audit's shared state in Redis, so that every replica reports the cluster's truth. Keys share
 * the {@code {audit}} hash tag (one cluster slot): {@code {audit}:runs} and {@code {audit}:sources:<run>}
 * (sets), a hash per source ({@code sent, sent_max, received, received_max, duplicates, last_seen},
 * {@code lat:<bucket>} latency counts) and a bitmap of the seqs received; {@code {audit}:log:<log id>} says
 * how far into a node's message log the received side is applied.
 *
 * <p>A flush is applied at most once: it carries this writer's id and a sequence number, checked in
 * the same Lua call (Lettuce re-sends an unanswered command after a reconnect, and a failed flush is
 * retried as it was).
 */
@Component
class AuditStore {

    private static final String RUNS = "{audit}:runs";
    private static final Duration WRITER_TTL = Duration.ofDays(1);

    private static final DefaultRedisScript<Long> APPLY = new DefaultRedisScript<>(
            """
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tonumber(ARGV[1]) <= last then
              return 0
            end
            local i = 4
            while i <= #ARGV do
              local run, src, h, b = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
              local sent, smax = tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5])
              local seen, seqs, lat = ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
              i = i + 9
              redis.call('SADD', KEYS[3], run)
              redis.call('SADD', '{audit}:sources:' .. run, src)
              if sent > 0 then
                redis.call('HINCRBY', h, 'sent', sent)
              end
              if smax > tonumber(redis.call('HGET', h, 'sent_max') or '0') then
                redis.call('HSET', h, 'sent_max', ARGV[i - 4])
              end
              if seqs ~= '' then
                local got, dup, mx = 0, 0, 0
                for s in string.gmatch(seqs, '%d+') do
                  local n = tonumber(s)
                  if redis.call('SETBIT', b, n, 1) == 1 then dup = dup + 1 else got = got + 1 end
                  if n > mx then mx = n end
                end
                redis.call('HINCRBY', h, 'received', got)
                redis.call('HINCRBY', h, 'duplicates', dup)
                if mx > tonumber(redis.call('HGET', h, 'received_max') or '0') then
                  redis.call('HSET', h, 'received_max', string.format('%d', mx))
                end
                if tonumber(seen) > tonumber(redis.call('HGET', h, 'last_seen') or '0') then
                  redis.call('HSET', h, 'last_seen', seen)
                end
                for bucket, n in string.gmatch(lat, '(%d+):(%d+)') do
                  redis.call('HINCRBY', h, 'lat:' .. bucket, n)
                end
              end
            end
            if tonumber(ARGV[3]) >= 0 then
              redis.call('SET', KEYS[2], ARGV[3])
            end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return 1
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final String writer = "{audit}:writer:" + UUID.randomUUID();
    private final AtomicLong sequence = new AtomicLong();

    AuditStore(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** A flush ready to apply, with its sequence number fixed: retrying it cannot apply it twice. */
    record Flush(long sequence, AuditDeltas deltas) {}

    Flush prepare(AuditDeltas deltas) {
        return new Flush(sequence.incrementAndGet(), deltas);
    }

    /** Applies a flush; throws when Redis does not confirm it. */
    void apply(Flush flush, String logId) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(flush.sequence()));
        args.add(Long.toString(WRITER_TTL.toSeconds()));
        args.add(Long.toString(flush.deltas().logNext()));
        for (AuditDeltas.Source s : flush.deltas().sources()) {
            args.add(s.run);
            args.add(s.source);
            args.add(hash(s.run, s.source));
            args.add(bitmap(s.run, s.source));
            args.add(Long.toString(s.sent));
            args.add(Long.toString(s.sentMax));
            args.add(Long.toString(s.lastSeen));
            args.add(s.seqs.toString());
            args.add(s.latencyArg());
        }
        redis.execute(APPLY, List.of(writer, logKey(logId), RUNS), args.toArray());
    }

    /** How far into the message log {@code logId} the received side is applied; 0 if not at all. */
    long logNext(String logId) {
        String v = redis.opsForValue().get(logKey(logId));
        return v == null ? 0 : Long.parseLong(v);
    }

    /**
     * Every run (or one; none if unknown) with its sources' state, sorted by name; with {@code
     * withGaps}, also the received seqs of sources that miss some (for their missing ranges).
     */
    Map<String, Map<String, SourceAudit>> read(String onlyRun, boolean withGaps) {
        TreeSet<String> runs = new TreeSet<>(redis.opsForSet().members(RUNS));
        if (onlyRun != null) {
            runs.retainAll(List.of(onlyRun));
        }
        Map<String, List<String>> sources = new LinkedHashMap<>();
        for (String run : runs) {
            sources.put(run, new ArrayList<>(new TreeSet<>(redis.opsForSet().members("{audit}:sources:" + run))));
        }
        List<String[]> order = new ArrayList<>();
        sources.forEach((run, list) -> list.forEach(source -> order.add(new String[] {run, source})));
        List<Object> hashes = redis.executePipelined((RedisCallback<Object>) connection -> {
            StringRedisConnection c = (StringRedisConnection) connection;
            for (String[] rs : order) {
                c.hGetAll(hash(rs[0], rs[1]));
            }
            return null;
        });
        Map<String, Map<String, SourceAudit>> result = new TreeMap<>();
        runs.forEach(run -> result.put(run, new TreeMap<>()));
        for (int i = 0; i < order.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, String> fields = (Map<String, String>) hashes.get(i);
            String run = order.get(i)[0];
            String source = order.get(i)[1];
            SourceAudit brief = new SourceAudit(fields, null);
            BitSet seen = null;
            if (withGaps && brief.missing() > 0) {
                byte[] bitmap = redis.execute((RedisCallback<byte[]>)
                        c -> c.stringCommands().get(bitmap(run, source).getBytes(StandardCharsets.UTF_8)));
                seen = bitmap == null ? new BitSet() : SourceAudit.bits(bitmap);
            }
            result.get(run).put(source, seen == null ? brief : new SourceAudit(fields, seen));
        }
        return result;
    }

    private static String logKey(String logId) {
        return "{audit}:log:" + logId;
    }

    // the run's length first, so that no run and source pair can name another pair's key
    private static String hash(String run, String source) {
        return "{audit}:s:" + run.length() + ":" + run + ":" + source;
    }

    private static String bitmap(String run, String source) {
        return "{audit}:seen:" + run.length() + ":" + run + ":" + source;
    }
}
