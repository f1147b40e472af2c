package dev.twinflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttBucketsTest {

    @TempDir
    Path data;

    @Test
    void aNewDataDirGetsTwinflowsBucketCount() throws Exception {
        assertThat(MqttEngine.buckets(data, "client_queue")).isEqualTo(MqttEngine.BUCKETS);
        Files.createDirectories(data.resolve("persistence/client_queue/040500"));
        assertThat(MqttEngine.buckets(data, "client_queue")).isEqualTo(MqttEngine.BUCKETS);
    }

    @Test
    void aDataDirMadeWithAnotherCountKeepsIt() throws Exception {
        // as HiveMQ's default (64) left it: its queued messages lie in all 64 buckets
        for (int i = 0; i < 64; i++) {
            Files.createDirectories(data.resolve("persistence/client_queue/040500/client_queue_" + i));
            Files.createDirectories(
                    data.resolve("persistence/publish_payload_store/040500_R/publish_payload_store_" + i));
        }
        Files.createDirectories(data.resolve("persistence/client_queue/040500/not_a_bucket"));

        assertThat(MqttEngine.buckets(data, "client_queue")).isEqualTo(64);
        assertThat(MqttEngine.buckets(data, "publish_payload_store")).isEqualTo(64);
        assertThat(MqttEngine.buckets(data, "retained_messages")).isEqualTo(MqttEngine.BUCKETS);
    }
}
