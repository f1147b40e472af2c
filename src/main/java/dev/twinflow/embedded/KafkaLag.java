package dev.twinflow.embedded;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Consumer lag of twinflow's consumer groups ({@code twinflow_kafka_consumer_lag{group,topic}}: records
 * on the broker not yet committed by the group), refreshed every 15 s, and the check behind the
 * {@code kafka} health indicator.
 */
@Component
class KafkaLag {

    private final Admin admin;
    // each group and the topic it reads
    private final Map<String, String> groups;
    private final MultiGauge lag;

    KafkaLag(
            KafkaEngine kafka,
            MeterRegistry registry,
            @Value("${twinflow.kafka.group-id}") String receiver,
            @Value("${twinflow.kafka.topic}") String topic,
            @Value("${twinflow.machine.group-id}") String latest,
            @Value("${twinflow.export.group-id}") String export,
            @Value("${twinflow.sinks.mysql.group-id}") String mysqlSink,
            @Value("${twinflow.sinks.influx.group-id}") String influxSink,
            @Value("${twinflow.kafka.machine-topic}") String machineTopic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("request.timeout.ms", "3000");
        p.put("default.api.timeout.ms", "5000");
        this.admin = Admin.create(p);
        this.groups = Map.of(
                receiver, topic,
                latest, machineTopic,
                export, machineTopic,
                mysqlSink, machineTopic,
                influxSink, machineTopic);
        this.lag = MultiGauge.builder("twinflow.kafka.consumer.lag")
                .description("records on the topic not yet committed by the consumer group")
                .register(registry);
    }

    @Scheduled(initialDelay = 5_000, fixedDelay = 15_000)
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        groups.forEach((group, topic) -> {
            try {
                rows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), lag(group, topic)));
            } catch (Exception e) {
                // Kafka away: no figure for this group until it answers again (health says why)
            }
        });
        lag.register(rows, true);
    }

    /** End offset minus committed offset, summed over the topic's partitions (the log start where none). */
    long lag(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .forEach(i -> {
                    latest.put(new TopicPartition(topic, i.partition()), OffsetSpec.latest());
                    earliest.put(new TopicPartition(topic, i.partition()), OffsetSpec.earliest());
                });
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS);
        long total = 0;
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            total += Math.max(0, ends.get(tp).offset() - from);
        }
        return total;
    }

    /** The cluster answers within 3 s. */
    Health health() {
        try {
            int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return Health.up().withDetail("nodes", nodes).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
