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

    private static final String[] ACTIONS = {"view", "click", "purchase"};
    private static final String[] PAGES = {"/", "/search", "/product/", "/cart", "/checkout", "/account"};

    private final Scenario scenario;
    private final String run;
    private final SplittableRandom random;
    private final RecordFactory factory;
    private final LongSupplier clock;
    private final long start;
    private final SimulatedSensor[] sensors;
    private final User[] users;
    private final Deque<Generated> pending = new ArrayDeque<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private long index;
    private long emitted;
    private long sensorIds;
    private long transactionIds;
    private long userIds;

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
        sensors = new SimulatedSensor[scenario.devices() * scenario.sensorsPerDevice()];
        for (int d = 0; d < scenario.devices(); d++) {
            String device = String.format("dev-%04d", d + 1);
            int first = entities.nextInt(SensorKind.ALL.length);
            for (int s = 0; s < scenario.sensorsPerDevice(); s++) {
                SensorKind kind = SensorKind.ALL[(first + s) % SensorKind.ALL.length];
                sensors[d * scenario.sensorsPerDevice() + s] = new SimulatedSensor(device, kind, entities);
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

    private Generated reading(SimulatedSensor s, long now) {
        SimulatedSensor.Reading reading = s.read(random, now, start, scenario.anomalyProbability());
        // the hot path under load: written straight to bytes, no JSON tree
        long seq = s.nextSeq();
        buffer.reset();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("kind", "sensor");
            json.writeStringField("run", run);
            json.writeStringField("source", s.source);
            json.writeNumberField("seq", seq);
            json.writeNumberField("id", sensorIds++);
            json.writeStringField("sensor_type", s.kind.type());
            if (reading.value() == null) {
                json.writeNullField("value");
            } else {
                json.writeNumberField("value", reading.value());
            }
            json.writeStringField("unit", s.kind.unit());
            json.writeNumberField("timestamp", RecordFactory.seconds(now));
            json.writeStringField("device_id", s.device);
            json.writeStringField("anomaly", reading.anomaly());
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
}
