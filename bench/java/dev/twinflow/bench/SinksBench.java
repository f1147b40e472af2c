package dev.twinflow.bench;

import static org.awaitility.Awaitility.await;

import dev.twinflow.embedded.KafkaEngine;
import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.machine.MachineProperties;
import dev.twinflow.sinks.SinkProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The machine-data sinks, one store after the other. Backlog drain: a backlog of readings is put on
 * machine_data with a plain KafkaProducer while the sink route is stopped, then the route is started and
 * timed until its consumer group has committed the topic's end (a commit follows the store's answer);
 * COUNT(*) of mac_data and count(value) of InfluxDB's machine_data then check every reading is stored
 * once. Baseline, same run, same server: the same batches written by a direct loop of the plain client
 * (SinksDirect). The topic's other consumers (latest values, export) are stopped during the drains; the
 * first round warms up. Lag: then the whole app runs while MQTT ingest gets a paced load (SinksLag).
 *
 * <pre>bench/sinks/run.sh [readings=1000000] [readings-per-record=10] [lag-seconds=30] [rate=5000]</pre>
 */
public final class SinksBench {

    static final String MYSQL = "sink-machine-data-mysql";
    static final String INFLUX = "sink-machine-data-influx";
    static final List<String> OTHERS = List.of("keep-latest-machine-values", "export-machine-data");

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perRecord = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int lagSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        System.out.printf(
                "%,d readings (%d per Kafka record, devices dev-0..dev-99), then %d s of MQTT at %,d readings/s, %d cores%n",
                readings, perRecord, lagSeconds, rate, Runtime.getRuntime().availableProcessors());

        SinksInflux influx = SinksInflux.start();
        List<String> settings = new ArrayList<>();
        if (influx != null) {
            settings.addAll(List.of(
                    "--twinflow.influx.url=" + influx.url(),
                    "--twinflow.influx.api=v1",
                    "--twinflow.influx.database=mqtt_data"));
            influx.createDatabase("mqtt_data");
        }
        ConfigurableApplicationContext app = BenchApp.start(settings.toArray(String[]::new));
        CamelContext camel = app.getBean(CamelContext.class);
        SinkProperties sinks = app.getBean(SinkProperties.class);
        // the MySQL sink starts once MariaDB is up and Flyway has migrated mac_data
        awaitStarted(camel, MYSQL);
        awaitStarted(camel, "ingest-machine-data");
        List<String> stores = influx == null ? List.of(MYSQL) : List.of(MYSQL, INFLUX);
        if (influx != null) {
            awaitStarted(camel, INFLUX);
        }
        for (String route : stores) {
            camel.getRouteController().stopRoute(route);
        }
        for (String route : OTHERS) {
            camel.getRouteController().stopRoute(route);
        }
        SinksDirect direct = new SinksDirect(app.getBean(DataSource.class), influx);

        try (SinksKafka kafka = new SinksKafka(app.getBean(KafkaEngine.class).bootstrapServers())) {
            long baseTs = (System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1)) / 1000 * 1000;
            long records = 0;
            double[][] figures = new double[2][2]; // [store][twinflow, direct]
            double[] jdbc = new double[2]; // [batch, multi-row]
            for (int round = 0; round < 2; round++) { // the first round warms up
                int n = (round == 0 ? readings / 5 : readings) / perRecord;
                List<SinksBacklog.Record> backlog = SinksBacklog.of(records, n, perRecord, baseTs);
                records += n;
                kafka.send(backlog);
                String label = round == 0 ? "warm-up" : "run";
                figures[0][0] = drain(camel, kafka, MYSQL, sinks.mysql().groupId(), (long) n * perRecord, label);
                // both on an empty table, as the sink's run (its table is new at the first round, and
                // every round writes new keys)
                direct.truncate();
                jdbc[0] =
                        direct.mysql(SinksBacklog.batches(backlog, sinks.mysql().batchSize()));
                direct.truncate();
                jdbc[1] = direct.mysqlMultiRow(
                        SinksBacklog.batches(backlog, sinks.mysql().batchSize()), 5000);
                figures[0][1] = Math.max(jdbc[0], jdbc[1]);
                if (influx != null) {
                    figures[1][0] = drain(camel, kafka, INFLUX, sinks.influx().groupId(), (long) n * perRecord, label);
                    figures[1][1] = direct.influx(
                            SinksBacklog.batches(backlog, sinks.influx().batchSize()));
                }
            }
            long expected = records * perRecord;
            System.out.printf("%nbacklog drain (clock: from route start until the group's lag is 0)%n");
            report("MySQL   ", figures[0], sinks.mysql().batchSize());
            System.out.printf(
                    "  direct loops: JDBC batch of single-row upserts %,.0f readings/s, multi-row upsert %,.0f"
                            + " readings/s (the ratio is against the faster)%n",
                    jdbc[0], jdbc[1]);
            System.out.printf(
                    "  check: mac_data %,d rows, %,d readings produced; mac_data_direct %,d rows, %,d in the last"
                            + " round%n",
                    direct.mysqlCount("mac_data"),
                    expected,
                    direct.mysqlCount(SinksDirect.TABLE),
                    (long) readings / perRecord * perRecord);
            if (influx != null) {
                report("InfluxDB", figures[1], sinks.influx().batchSize());
                System.out.printf(
                        "  check: mqtt_data %,d points, %s %,d points, %,d readings produced%n",
                        influx.count("mqtt_data"), SinksDirect.DATABASE, influx.count(SinksDirect.DATABASE), expected);
            }

            // lag: the whole app again, every consumer caught up before the load starts
            for (String route : stores) {
                camel.getRouteController().startRoute(route);
            }
            for (String route : OTHERS) {
                camel.getRouteController().startRoute(route);
            }
            List<String> groups = new ArrayList<>(List.of(sinks.mysql().groupId()));
            if (influx != null) {
                groups.add(sinks.influx().groupId());
            }
            awaitCaughtUp(kafka, groups);
            awaitCaughtUp(kafka, List.of(app.getBean(MachineProperties.class).groupId()));
            long endBefore = kafka.end(SinksKafka.TOPIC);
            SinksLag.Result lag =
                    SinksLag.run(app.getBean(MqttEngine.class).url(), kafka, groups, rate, perRecord, lagSeconds);
            awaitCaughtUp(kafka, groups);
            long ingested = kafka.end(SinksKafka.TOPIC) - endBefore;
            System.out.printf(
                    "%nsink lag, MQTT QoS 1 at %,d readings/s: %,d messages acknowledged in %.1f s (%,.0f readings/s),"
                            + " %,d records on machine_data; lag sampled every 200 ms, records x %d / %,d readings/s%n",
                    rate,
                    lag.messages(),
                    lag.seconds(),
                    lag.messages() * perRecord / lag.seconds(),
                    ingested,
                    perRecord,
                    rate);
            for (String group : groups) {
                List<Long> s = lag.samples().get(group);
                long p50 = SinksLag.quantile(s, 0.5);
                long p99 = SinksLag.quantile(s, 0.99);
                System.out.printf(
                        "  %-8s lag p50 %5.2f s, p99 %5.2f s (%,d / %,d records, max %,d, %d samples)   goal p99 < 2 s%n",
                        group.equals(sinks.mysql().groupId()) ? "MySQL" : "InfluxDB",
                        seconds(p50, perRecord, rate),
                        seconds(p99, perRecord, rate),
                        p50,
                        p99,
                        SinksLag.quantile(s, 1),
                        s.size());
            }
            long total = expected + lag.messages() * perRecord;
            System.out.printf(
                    "  check: mac_data %,d rows%s, %,d readings produced in all, machine_data.dlq %,d records%n",
                    direct.mysqlCount("mac_data"),
                    influx == null ? "" : String.format(", InfluxDB mqtt_data %,d points", influx.count("mqtt_data")),
                    total,
                    kafka.end("machine_data.dlq"));
        } finally {
            app.close();
            if (influx != null) {
                influx.close();
            }
        }
        System.exit(0);
    }

    /** Starts the stopped sink route on a backlog; readings/s until its group has committed the end. */
    static double drain(CamelContext camel, SinksKafka kafka, String route, String group, long readings, String label)
            throws Exception {
        long lag = kafka.lag(group);
        long start = System.nanoTime();
        camel.getRouteController().startRoute(route);
        long joined = 0;
        long first = 0;
        long last = lag;
        long lastChange = start;
        while (lag > 0) {
            Thread.sleep(20);
            if (joined == 0 && kafka.assigned(group)) {
                joined = System.nanoTime() - start;
            }
            lag = kafka.lag(group);
            if (lag != last) {
                first = first == 0 ? System.nanoTime() - start : first;
                last = lag;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
                throw new IllegalStateException(route + " stalled with " + lag + " records to go");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        camel.getRouteController().stopRoute(route);
        System.out.printf(
                "  %-7s %s: %,d readings in %.2f s (partitions assigned after %.2f s, first commit after %.2f s)%n",
                label, route, readings, seconds, joined / 1e9, first / 1e9);
        return readings / seconds;
    }

    static void report(String store, double[] f, int batchSize) {
        System.out.printf(
                "%s twinflow %,9.0f readings/s, direct loop %,9.0f readings/s, ratio %.2f"
                        + "   (goals: ratio >= 0.8, >= 20,000 readings/s; batches of %,d records)%n",
                store, f[0], f[1], f[0] / f[1], batchSize);
    }

    static double seconds(long records, int perRecord, int rate) {
        return (double) records * perRecord / rate;
    }

    static void awaitStarted(CamelContext camel, String route) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> camel.getRouteController().getRouteStatus(route).isStarted());
    }

    static void awaitCaughtUp(SinksKafka kafka, List<String> groups) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> kafka.lags(groups).values().stream().allMatch(l -> l == 0));
    }
}
