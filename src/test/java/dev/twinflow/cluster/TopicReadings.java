package dev.twinflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What is on {@code machine_data}, read straight from Kafka up to the end offsets given: per partition,
 * each record's offset and its readings per device. The truth the export, the counters and MySQL are
 * checked against.
 */
final class TopicReadings {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** partition → offset → device → readings in that record. */
    final Map<Integer, TreeMap<Long, Map<String, Integer>>> records = new TreeMap<>();

    static TopicReadings read(String bootstrap, String topic, Map<Integer, Long> endOffsets) {
        TopicReadings readings = new TopicReadings();
        Map<String, Object> config = Map.of(
                "bootstrap.servers", bootstrap,
                "enable.auto.commit", "false",
                "max.poll.records", "5000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = endOffsets.keySet().stream()
                    .map(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!readings.reached(consumer, partitions, endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "machine_data not read to its end offsets " + endOffsets + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < endOffsets.get(r.partition())) {
                        readings.add(r.partition(), r.offset(), r.value());
                    }
                }
            }
        }
        return readings;
    }

    private boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<Integer, Long> end) {
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp.partition()));
    }

    private void add(int partition, long offset, byte[] value) {
        Map<String, Integer> perDevice = new HashMap<>();
        try {
            JsonNode record = JSON.readTree(value);
            for (JsonNode reading : record) {
                perDevice.merge(reading.path("device_id").asText(), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable machine_data record " + partition + "/" + offset, e);
        }
        records.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, perDevice);
    }

    /** Readings on the topic. */
    long readings() {
        return records.values().stream()
                .flatMap(p -> p.values().stream())
                .flatMap(d -> d.values().stream())
                .mapToLong(Integer::longValue)
                .sum();
    }

    /** Readings per device. */
    Map<String, Long> perDevice() {
        Map<String, Long> perDevice = new TreeMap<>();
        records.values().forEach(p -> p.values()
                .forEach(d -> d.forEach((device, n) -> perDevice.merge(device, (long) n, Long::sum))));
        return perDevice;
    }

    /** Record positions ("partition/offset") on the topic. */
    Set<String> positions() {
        Set<String> positions = new HashSet<>();
        records.forEach((p, offsets) -> offsets.keySet().forEach(o -> positions.add(p + "/" + o)));
        return positions;
    }
}
