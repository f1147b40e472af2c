package dev.twinflow.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twinflow.TwinflowApplication;
import dev.twinflow.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.tools.ProducerPerformance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The benchmark: generate → Kafka on one partition against Kafka's own ProducerPerformance, and latency. */
public final class KafkaPublishBench {

    private static final String APP_TOPIC = "bench_one_partition";
    private static final String BASELINE_TOPIC = "bench_baseline_one_partition";
    private static final String SCENARIO = "load-test";
    private static final int SAMPLE = 10_000;
    private static final int LATENCY_RATE = 10_000;
    // the publish route's producer settings (routes/publish-generated-records.camel.yaml)
    private static final List<String> PRODUCER_PROPS = List.of(
            "acks=all",
            "enable.idempotence=true",
            "linger.ms=10",
            "batch.size=262144",
            "compression.type=lz4",
            "buffer.memory=67108864",
            "key.serializer=org.apache.kafka.common.serialization.ByteArraySerializer",
            "value.serializer=org.apache.kafka.common.serialization.ByteArraySerializer");
    private static final Pattern SUMMARY =
            Pattern.compile("\\d+ records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Run(String id, long acknowledged, double seconds, long appRecordsPerSecond) {
        double perSecond() {
            return acknowledged / seconds;
        }
    }

    record Sample(Path file, double meanValueBytes, double meanKeyBytes) {}

    record Baseline(String summary, double perSecond, double megabytesPerSecond) {}

    record Latency(Run run, String partitions, long sources, long maxP50, long maxP99, Histogram aggregate) {}

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        long latencyRecords = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 300_000;
        // long enough for C2 to finish compiling the hot paths: shorter warm-ups left it busy in the measurement
        long warmUp = Math.max(SAMPLE, Math.min(records / 2, 500_000));
        quietLogging();
        Path work = Files.createTempDirectory("twinflow-kafka-bench");
        System.out.printf(
                "generate → Kafka, %,d records on one partition, %d cores, broker in this JVM, load average %.2f%n",
                records, Runtime.getRuntime().availableProcessors(), loadAverage());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            createTopics(bootstrap, APP_TOPIC, BASELINE_TOPIC);

            System.out.println("\n(a) the app: " + SCENARIO + " {rate: 0}, receiver route excluded");
            Run app;
            try (App a = App.start(
                    work.resolve("app-throughput"),
                    "--twinflow.kafka.bootstrap-servers=" + bootstrap,
                    "--twinflow.kafka.topic=" + APP_TOPIC)) {
                // the bundled routes are listed by name (camel.main.routes-include-pattern), so an
                // exclude pattern matches nothing: the receiver is stopped and removed before the run
                CamelContext camel = a.context.getBean(CamelContext.class);
                camel.getRouteController().stopRoute("receive-generated-records");
                camel.removeRoute("receive-generated-records");
                if (camel.getRoute("receive-generated-records") != null) {
                    throw new IllegalStateException("the receiver route runs: it would share the CPU and the log");
                }
                report("warm-up", a.run(SCENARIO, 0, warmUp));
                app = a.run(SCENARIO, 0, records);
                report("measured", app);
            }
            quietLogging();

            Sample sample = sample(bootstrap, warmUp + records / 2, work.resolve("payload.jsonl"));
            System.out.printf(
                    "payload: %,d records of the measured run, mean value %.0f bytes (and a %.0f-byte key)%n",
                    SAMPLE, sample.meanValueBytes(), sample.meanKeyBytes());

            System.out.println("\n(b) baseline: Kafka's ProducerPerformance, same broker, payloads and settings;");
            System.out.println("it sends no keys (the app adds its key to each record) and always serializes byte[]");
            producerPerformance(bootstrap, sample.file(), warmUp);
            Baseline baseline = producerPerformance(bootstrap, sample.file(), records);
            System.out.println("measured: " + baseline.summary());

            System.out.printf("%n(c) latency: the app with its receiver, %s {rate: %,d}%n", SCENARIO, LATENCY_RATE);
            Latency latency;
            Path latencyDir = work.resolve("app-latency");
            try (App a = App.start(latencyDir, "--twinflow.kafka.bootstrap-servers=" + bootstrap)) {
                Run run = a.run(SCENARIO, LATENCY_RATE, latencyRecords);
                report("measured", run);
                latency = a.latency(run, latencyDir.resolve("messages.jsonl"));
            }
            quietLogging();

            table(app, sample, baseline, latency);
        } finally {
            delete(work);
        }
        // broker, Camel and Spring leave non-daemon threads behind; the figures are printed
        System.exit(0);
    }

    private static void table(Run app, Sample sample, Baseline baseline, Latency latency) {
        double ratio = app.perSecond() / baseline.perSecond();
        double appMegabytes = app.perSecond() * sample.meanValueBytes() / (1024 * 1024);
        Histogram h = latency.aggregate();
        System.out.printf(
                """

                ==== generate → Kafka, one partition, %,d records of ~%.0f bytes (lz4, acks=all, idempotent) ====
                app (load-test, rate 0, keyed)       %,10.0f records/s  %6.1f MB/s   (app's own figure %,d/s)
                ProducerPerformance (no keys)        %,10.0f records/s  %6.1f MB/s
                ratio app / baseline                 %10.2f            goal >= 0.50: %s
                app on one partition                 %,10.0f records/s  goal >= 100,000: %s
                ==== generate → receiver latency at %,d records/s (load-test, default topic, %s partitions) ====
                achieved                             %,10.0f records/s  (%,d records, audit complete)
                audit, worst source                  p50 %,d ms   p99 %,d ms   (of %,d sources; Kafka timestamp → receiver)
                all records of the run               p50 %,d ms   p99 %,d ms   p99.9 %,d ms   max %,d ms
                                                     (generation timestamp → stored, from the message log)
                load average at the end %.2f (%d cores): anything else running skews the figures
                """,
                app.acknowledged(),
                sample.meanValueBytes(),
                app.perSecond(),
                appMegabytes,
                app.appRecordsPerSecond(),
                baseline.perSecond(),
                baseline.megabytesPerSecond(),
                ratio,
                ratio >= 0.5 ? "met" : "NOT met",
                app.perSecond(),
                app.perSecond() >= 100_000 ? "met" : "NOT met",
                LATENCY_RATE,
                latency.partitions(),
                latency.run().perSecond(),
                latency.run().acknowledged(),
                latency.maxP50(),
                latency.maxP99(),
                latency.sources(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                loadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void report(String label, Run run) {
        System.out.printf(
                "%s: %,d records acknowledged in %.2f s = %,.0f records/s (app's records_per_second: %,d)%n",
                label, run.acknowledged(), run.seconds(), run.perSecond(), run.appRecordsPerSecond());
    }

    /** Runs ProducerPerformance in this JVM and returns its closing summary line, which it also prints. */
    private static Baseline producerPerformance(String bootstrap, Path payload, long records) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                BASELINE_TOPIC,
                "--num-records",
                String.valueOf(records),
                "--throughput",
                "-1",
                "--payload-file",
                payload.toString(),
                "--producer-props",
                "bootstrap.servers=" + bootstrap));
        args.addAll(PRODUCER_PROPS);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        String summary = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> SUMMARY.matcher(l).find())
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("ProducerPerformance printed no summary"));
        Matcher m = SUMMARY.matcher(summary);
        m.find();
        return new Baseline(summary, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Writes {@value #SAMPLE} records the app published, from {@code offset} on, one per line. */
    private static Sample sample(String bootstrap, long offset, Path file) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        TopicPartition partition = new TopicPartition(APP_TOPIC, 0);
        long keyBytes = 0, valueBytes = 0, count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
                OutputStream out = Files.newOutputStream(file)) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, Math.max(0, Math.min(offset, end - SAMPLE)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count < SAMPLE && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    // ProducerPerformance splits the file on newlines; compact JSON has none
                    if (count < SAMPLE && r.value() != null && indexOf(r.value(), (byte) '\n') < 0) {
                        out.write(r.value());
                        out.write('\n');
                        keyBytes += r.key() == null ? 0 : r.key().length;
                        valueBytes += r.value().length;
                        count++;
                    }
                }
            }
        }
        if (count < SAMPLE) {
            throw new IllegalStateException("only " + count + " records to sample in " + APP_TOPIC);
        }
        return new Sample(file, (double) valueBytes / count, (double) keyBytes / count);
    }

    private static void createTopics(String bootstrap, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Stream.of(topics)
                            .map(t -> new NewTopic(t, 1, (short) 1))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Logback's default is DEBUG: the broker would flood the console outside the app's lifetime. */
    private static void quietLogging() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The twinflow app, started in this JVM on a free port, driven over its HTTP API. */
    private static final class App implements AutoCloseable {

        private final ConfigurableApplicationContext context;
        private final URI base;

        private App(ConfigurableApplicationContext context) {
            this.context = context;
            this.base =
                    URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
        }

        static App start(Path dataDir, String... args) {
            // every engine the app starts on a fixed port gets a free one: the bench must not clash
            List<String> all = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--twinflow.data-dir=" + dataDir,
                    "--twinflow.redis.embedded-port=0",
                    "--twinflow.grpc.port=0",
                    "--logging.level.root=WARN"));
            all.addAll(List.of(args));
            return new App(SpringApplication.run(TwinflowApplication.class, all.toArray(String[]::new)));
        }

        /** Starts a run and waits for it to finish; the wall time is the bench's own. */
        Run run(String scenario, int rate, long limit) throws Exception {
            String overrides = JSON.writeValueAsString(Map.of("rate", rate, "limit", limit));
            long t0 = System.nanoTime();
            JsonNode started = send(HttpRequest.newBuilder(base.resolve("/scenarios/" + scenario + "/start"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(overrides)));
            String id = started.path("last_run").path("run").asText();
            // a status call costs the app CPU (audit totals over every source), so it is asked
            // rarely until the run is nearly done, then often enough to time the end to ~10 ms
            JsonNode last = started.path("last_run");
            do {
                Thread.sleep(last.path("acknowledged").asLong() < limit * 0.9 ? 250 : 10);
                last = get("/scenarios/" + scenario).path("last_run");
            } while (last.path("state").asText().equals("running"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!last.path("state").asText().equals("finished")
                    || !last.path("run").asText().equals(id)) {
                throw new IllegalStateException("run " + id + " did not finish: " + last);
            }
            return new Run(
                    id,
                    last.path("acknowledged").asLong(),
                    seconds,
                    last.path("records_per_second").asLong());
        }

        /** Waits until the receiver has every record of the run, then reads its latency. */
        Latency latency(Run run, Path messageLog) throws Exception {
            JsonNode audit;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            do {
                Thread.sleep(200);
                audit = get("/audit?run=" + run.id()).path("runs").path(0);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the receiver is missing records: " + audit.path("missing"));
                }
            } while (audit.path("received").asLong() < run.acknowledged()
                    || audit.path("sent").asLong() < run.acknowledged());
            long maxP50 = 0, maxP99 = 0;
            for (JsonNode source : audit.path("sources")) {
                maxP50 = Math.max(maxP50, source.path("latency_ms_p50").asLong());
                maxP99 = Math.max(maxP99, source.path("latency_ms_p99").asLong());
            }
            return new Latency(
                    run,
                    context.getEnvironment().getProperty("twinflow.kafka.partitions"),
                    audit.path("sources").size(),
                    maxP50,
                    maxP99,
                    fromMessageLog(run, messageLog));
        }

        /**
         * Per-source percentiles cannot be merged, so the run's overall ones come from the message log:
         * each stored record has the time it was generated and {@code received_at}.
         */
        private static Histogram fromMessageLog(Run run, Path messageLog) throws IOException {
            Histogram h = new Histogram(3_600_000L, 3);
            try (BufferedReader lines = Files.newBufferedReader(messageLog)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    JsonNode r = JSON.readTree(line);
                    JsonNode generated = r.has("timestamp") ? r.get("timestamp") : r.get("created_at");
                    if (r.path("run").asText().equals(run.id()) && generated != null) {
                        h.recordValue(Math.max(0, millis(r.get("received_at")) - millis(generated)));
                    }
                }
            }
            return h;
        }

        private static long millis(JsonNode time) {
            return time.isNumber()
                    ? time.decimalValue().movePointRight(3).longValue()
                    : Instant.parse(time.asText()).toEpochMilli();
        }

        private JsonNode get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        private static JsonNode send(HttpRequest.Builder request) throws Exception {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(response.statusCode() + " " + new String(response.body()));
            }
            return JSON.readTree(response.body());
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** Copies what ProducerPerformance prints to the console and keeps it for parsing. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
