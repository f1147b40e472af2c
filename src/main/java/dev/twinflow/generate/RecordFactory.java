package dev.twinflow.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twinflow.system.Json;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.random.RandomGenerator;
import net.datafaker.Faker;

/**
 * Builds seed-000 records with realistic values. Not thread-safe: one instance per request.
 *
 * <p>Field sets are exactly the seed's: user {id, name, age, email, created_at}; sensor {id,
 * sensor_type, value, unit, timestamp}; transaction {id, amount, currency, type, status, timestamp}.
 * Times are epoch seconds with millisecond precision.
 */
public final class RecordFactory {

    /** Currency, its weight among transactions and its rate per US dollar (for plausible amounts). */
    private static final String[] CURRENCIES = {"USD", "EUR", "CNY", "GBP", "JPY"};

    private static final int[] CURRENCY_WEIGHTS = {35, 25, 20, 10, 10};
    private static final double[] PER_DOLLAR = {1, 0.92, 7.2, 0.79, 150};
    private static final String[] TX_TYPES = {"purchase", "refund", "transfer", "withdrawal", "deposit"};
    private static final int[] TX_TYPE_WEIGHTS = {55, 8, 17, 10, 10};
    private static final String[] STATUSES = {"completed", "pending", "failed"};
    private static final int[] STATUS_WEIGHTS = {86, 10, 4};
    private static final String[] MAIL_DOMAINS = {"example.com", "example.org", "example.net", "mail.example.com"};
    private static final long THREE_YEARS_MS = 3L * 365 * 24 * 3600 * 1000;

    private final RandomGenerator random;
    private final Faker faker;
    private final long nowMillis;

    public RecordFactory(RandomGenerator random, long nowMillis) {
        this.random = random;
        this.faker = new Faker(Locale.ENGLISH, new java.util.Random(random.nextLong()));
        this.nowMillis = nowMillis;
    }

    byte[] create(RecordType type, long id) {
        return Json.bytes(build(type, id));
    }

    /** The record as a JSON object, for callers that add fields of their own. */
    public ObjectNode build(RecordType type, long id) {
        ObjectNode record = Json.MAPPER.createObjectNode().put("id", id);
        switch (type) {
            case USER -> user(record, id);
            case SENSOR -> sensor(record);
            case TRANSACTION -> transaction(record);
        }
        return record;
    }

    private void user(ObjectNode record, long id) {
        String first = faker.name().firstName();
        String last = faker.name().lastName();
        String local = (first + "." + last).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "") + id;
        int age = (int) Math.round(clamp(38 + random.nextGaussian() * 13, 18, 90));
        record.put("name", first + " " + last)
                .put("age", age)
                .put("email", local + "@" + MAIL_DOMAINS[random.nextInt(MAIL_DOMAINS.length)])
                .put("created_at", seconds(nowMillis - (long) (random.nextDouble() * THREE_YEARS_MS)));
    }

    private void sensor(ObjectNode record) {
        SensorKind kind = SensorKind.ALL[random.nextInt(SensorKind.ALL.length)];
        double value = clamp(kind.mean() + random.nextGaussian() * kind.sd(), kind.min(), kind.max());
        record.put("sensor_type", kind.type())
                .put("value", round(value, 2))
                .put("unit", kind.unit())
                .put("timestamp", seconds(nowMillis));
    }

    private void transaction(ObjectNode record) {
        int c = pick(CURRENCY_WEIGHTS);
        // log-normal amounts: most are small, a few are large, as in real card traffic
        double dollars = clamp(Math.exp(3.9 + random.nextGaussian() * 1.1), 0.5, 25_000);
        int scale = "JPY".equals(CURRENCIES[c]) ? 0 : 2;
        record.put("amount", round(dollars * PER_DOLLAR[c], scale))
                .put("currency", CURRENCIES[c])
                .put("type", TX_TYPES[pick(TX_TYPE_WEIGHTS)])
                .put("status", STATUSES[pick(STATUS_WEIGHTS)])
                .put("timestamp", seconds(nowMillis));
    }

    private int pick(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    public static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    // fixed-point from a long: BigDecimal.valueOf(double) goes through Double.toString, which was a
    // fifth of the generator's time under load
    public static BigDecimal round(double value, int scale) {
        double factor = scale == 0 ? 1 : scale == 2 ? 100 : Math.pow(10, scale);
        return BigDecimal.valueOf(Math.round(value * factor), scale);
    }

    public static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
