package dev.twinflow.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The bench's Kafka side: a plain producer for backlogs, and consumer-group lag from the Admin API. */
final class SinksKafka implements AutoCloseable {

    static final String TOPIC = "machine_data";

    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Integer> partitions = new java.util.concurrent.ConcurrentHashMap<>();

    SinksKafka(String bootstrap) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        // the ingest route's producer settings
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("compression.type", "lz4");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Puts the records on machine_data; returns once Kafka has all of them. */
    void send(List<SinksBacklog.Record> records) {
        for (SinksBacklog.Record r : records) {
            producer.send(new ProducerRecord<>(TOPIC, r.device(), r.json()));
        }
        producer.flush();
    }

    /** Records on {@code topic} (every partition's end offset, summed: nothing is ever deleted). */
    long end(String topic) throws Exception {
        return ends(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** For each group, the machine_data records it has not committed yet. */
    Map<String, Long> lags(List<String> groups) throws Exception {
        Map<TopicPartition, Long> ends = ends(TOPIC);
        Map<String, Long> lags = new HashMap<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue() - (c == null ? 0 : c.offset());
            }
            lags.put(group, lag);
        }
        return lags;
    }

    /** True once a member of the group has partitions assigned (it joined and may fetch). */
    boolean assigned(String group) throws Exception {
        return admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(10, TimeUnit.SECONDS)
                .members()
                .stream()
                .anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
    }

    long lag(String group) throws Exception {
        return lags(List.of(group)).get(group);
    }

    private Map<TopicPartition, Long> ends(String topic) throws Exception {
        Integer partitions = this.partitions.get(topic);
        if (partitions == null) {
            partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            this.partitions.put(topic, partitions);
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
