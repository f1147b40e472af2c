package dev.twinflow.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.generate.RecordFactory;
import dev.twinflow.generate.RecordType;
import dev.twinflow.generate.SensorKind;
import dev.twinflow.system.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The records of one scenario run, in order. Deterministic: the same scenario (seed included) and
 * the same clock readings give byte-identical records; with the scenario's fixed {@code clock} the
 * timestamps are virtual ({@code clock + i / rate}) and the whole stream repeats exactly.
 *
 * <p>Every record carries {@code kind}, {@code run}, {@code source} (the emitting entity: a device's
 * sensor {@code dev-0003:humidity}, or a user's uuid) and {@code seq} (that source's sequence number
 * in this run, from 1). Sensor readings follow setpoint + daily cycle + noise + slow drift, with
 * injected anomalies labelled in {@code anomaly} (null when normal). A user's {@code user} record is
 * emitted before the first transaction or event that references it, under the same source, so a
 * consumer reading that key in order never sees a dangling {@code user_id}.
 */
final class ScenarioStream {

    /** One generated record: its source (the Kafka key), sequence number and JSON. */
    record Generated(String source, long seq, byte[] json) {}

    private static final long DAY_MS = 86_400_000L;
    private static final String[] ACTIONS = {"view", "click", "purchase"};
    private static final String[] PAGES = {"/", "/search", "/product/", "/cart", "/checkout", "/account"};

    private final Scenario scenario;
    private final String run;
    private final SplittableRandom random;
    private final RecordFactory factory;
    private final LongSupplier clock;
    private final long start;
    private final Sensor[] sensors;
    private final User[] users;
    private final Deque<Generated> pending = new ArrayDeque<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private long index;
    private long emitted;
    private long sensorIds;
    private long transactionIds;
    private long userIds;

    private static final class Sensor {
        final String source;
        final String device;
        final SensorKind kind;
        final double setpoint;
        final double amplitude;
        final double phase;
        final double driftPerHour;
        long seq;
        String anomaly;
        int anomalyLeft;
        double stuckValue;

        Sensor(String device, SensorKind kind, SplittableRandom r) {
            this.device = device;
            this.source = device + ":" + kind.type();
            this.kind = kind;
            this.setpoint = kind.mean() + gaussian(r) * kind.sd() * 0.5;
            this.amplitude = kind.sd() * (0.4 + r.nextDouble() * 0.6);
            this.phase = r.nextDouble() * 2 * Math.PI;
            this.driftPerHour = gaussian(r) * kind.sd() * 0.01;
        }
    }

    private static final class User {
        final String uuid;
        long seq;
        boolean announced;

        User(SplittableRandom r) {
            long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
            long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            this.uuid = new UUID(msb, lsb).toString();
        }
    }

    /**
     * @param clock wall clock in epoch ms, read once per record unless the scenario fixes its own
     */
    ScenarioStream(Scenario scenario, String run, LongSupplier clock) {
        this.scenario = scenario;
        this.run = run;
        this.random = new SplittableRandom(scenario.seed());
        this.factory = new RecordFactory(random.split(), 0);
        this.clock = clock;
        this.start = scenario.clock() != null ? scenario.clock() : clock.getAsLong();
        SplittableRandom entities = random.split();
        sensors = new Sensor[scenario.devices() * scenario.sensorsPerDevice()];
        for (int d = 0; d < scenario.devices(); d++) {
            String device = String.format("dev-%04d", d + 1);
            int first = entities.nextInt(SensorKind.ALL.length);
            for (int s = 0; s < scenario.sensorsPerDevice(); s++) {
                SensorKind kind = SensorKind.ALL[(first + s) % SensorKind.ALL.length];
                sensors[d * scenario.sensorsPerDevice() + s] = new Sensor(device, kind, entities);
            }
        }
        users = new User[scenario.users()];
        for (int u = 0; u < users.length; u++) {
            users[u] = new User(entities);
        }
    }

    /** Records produced so far. */
    long produced() {
        return emitted;
    }

    Generated next() {
        emitted++;
        Generated queued = pending.poll();
        if (queued != null) {
            return queued;
        }
        long now = now();
        index++;
        Scenario.Mix mix = scenario.mix();
        int pick = random.nextInt(mix.total());
        if (pick < mix.sensor()) {
            return reading(sensors[random.nextInt(sensors.length)], now);
        }
        User user = users[random.nextInt(users.length)];
        boolean transaction = pick < mix.sensor() + mix.transaction();
        if (!user.announced) {
            user.announced = true;
            Generated announcement = announce(user, now);
            pending.add(transaction ? transaction(user, now) : event(user, now));
            return announcement;
        }
        return transaction ? transaction(user, now) : event(user, now);
    }

    private long now() {
        if (scenario.clock() == null) {
            return clock.getAsLong();
        }
        return scenario.rate() > 0 ? start + (long) (index * 1000 / scenario.rate()) : start + index;
    }

    private Generated reading(Sensor s, long now) {
        SensorKind kind = s.kind;
        double t = (now % DAY_MS) / (double) DAY_MS;
        double value = s.setpoint
                + s.amplitude * Math.sin(2 * Math.PI * t + s.phase)
                + gaussian(random) * kind.sd() * 0.15
                + s.driftPerHour * (now - start) / 3_600_000.0;
        String anomaly = null;
        Double shown;
        if (s.anomalyLeft > 0) {
            s.anomalyLeft--;
            anomaly = s.anomaly;
            shown = "stuck".equals(anomaly) ? s.stuckValue : null;
        } else if (random.nextDouble() < scenario.anomalyProbability()) {
            double kindRoll = random.nextDouble();
            if (kindRoll < 0.5) {
                anomaly = "spike";
                shown = value + (random.nextBoolean() ? 1 : -1) * kind.sd() * (5 + random.nextDouble() * 5);
            } else if (kindRoll < 0.8) {
                anomaly = "stuck";
                s.stuckValue = RecordFactory.clamp(value, kind.min(), kind.max());
                shown = s.stuckValue;
                s.anomalyLeft = 4 + random.nextInt(16);
            } else {
                anomaly = "dropout";
                shown = null;
                s.anomalyLeft = random.nextInt(5);
            }
            s.anomaly = anomaly;
        } else {
            shown = value;
        }
        // the hot path under load: written straight to bytes, no JSON tree
        long seq = ++s.seq;
        buffer.reset();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("kind", "sensor");
            json.writeStringField("run", run);
            json.writeStringField("source", s.source);
            json.writeNumberField("seq", seq);
            json.writeNumberField("id", sensorIds++);
            json.writeStringField("sensor_type", kind.type());
            if (shown == null) {
                json.writeNullField("value");
            } else {
                double bounded = "spike".equals(anomaly) ? shown : RecordFactory.clamp(shown, kind.min(), kind.max());
                json.writeNumberField("value", RecordFactory.round(bounded, 2));
            }
            json.writeStringField("unit", kind.unit());
            json.writeNumberField("timestamp", RecordFactory.seconds(now));
            json.writeStringField("device_id", s.device);
            json.writeStringField("anomaly", anomaly);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Generated(s.source, seq, buffer.toByteArray());
    }

    private Generated transaction(User user, long now) {
        ObjectNode base = factory.build(RecordType.TRANSACTION, transactionIds++);
        ObjectNode record = head("transaction", user.uuid, ++user.seq);
        record.setAll(base);
        record.put("timestamp", RecordFactory.seconds(now)).put("user_id", user.uuid);
        return new Generated(user.uuid, user.seq, Json.bytes(record));
    }

    private Generated event(User user, long now) {
        int a = random.nextInt(100);
        String action = a < 60 ? ACTIONS[0] : a < 95 ? ACTIONS[1] : ACTIONS[2];
        String page = PAGES[random.nextInt(PAGES.length)];
        if (page.equals("/product/")) {
            page += 1000 + random.nextInt(9000);
        }
        ObjectNode record = head("event", user.uuid, ++user.seq)
                .put("user_id", user.uuid)
                .put("action", action)
                .put("timestamp", Instant.ofEpochMilli(now).toString())
                .put("page_url", "https://shop.example.com" + page);
        return new Generated(user.uuid, user.seq, Json.bytes(record));
    }

    private Generated announce(User user, long now) {
        ObjectNode record = head("user", user.uuid, ++user.seq);
        record.setAll(factory.build(RecordType.USER, userIds++));
        record.put("created_at", RecordFactory.seconds(now)).put("user_id", user.uuid);
        return new Generated(user.uuid, user.seq, Json.bytes(record));
    }

    private ObjectNode head(String kind, String source, long seq) {
        return Json.MAPPER
                .createObjectNode()
                .put("kind", kind)
                .put("run", run)
                .put("source", source)
                .put("seq", seq);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller on the deterministic generator (SplittableRandom has no nextGaussian on Java 17)
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
