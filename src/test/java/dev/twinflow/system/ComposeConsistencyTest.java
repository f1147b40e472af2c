package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run on these machines (no Docker engine), so this keeps it honest:
 * every setting it passes to twinflow exists in application.yaml, and every address points at a
 * compose service on the port that service listens on and that application.yaml uses by default.
 */
class ComposeConsistencyTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode compose = read("docker-compose.yml");
    private final String applicationYaml = text("src/main/resources/application.yaml");

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(Path.of(file).toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode twinflowEnvironment() {
        return compose.path("services").path("twinflow").path("environment");
    }

    @Test
    void everyVariableGivenToTwinflowIsOneApplicationYamlReads() {
        List<String> unknown = new ArrayList<>();
        twinflowEnvironment().fieldNames().forEachRemaining(name -> {
            if (!applicationYaml.contains("${" + name + ":")) {
                unknown.add(name);
            }
        });
        assertThat(unknown).as("variables application.yaml never reads").isEmpty();
        assertThat(twinflowEnvironment().size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void kafkaAddressIsTheKafkaServiceOnItsAdvertisedPort() {
        String bootstrap =
                twinflowEnvironment().path("TWINFLOW_KAFKA_BOOTSTRAP_SERVERS").asText();
        String advertised = compose.path("services")
                .path("kafka")
                .path("environment")
                .path("KAFKA_ADVERTISED_LISTENERS")
                .asText();
        assertThat(advertised).isEqualTo("PLAINTEXT://" + bootstrap);
        assertThat(bootstrap).isEqualTo("kafka:" + defaultPort("TWINFLOW_KAFKA_EMBEDDED_PORT"));
        assertThat(publishedPorts("kafka")).contains(defaultPort("TWINFLOW_KAFKA_EMBEDDED_PORT"));
    }

    @Test
    void redisAddressIsTheRedisServiceOnItsPort() {
        URI redis = URI.create(twinflowEnvironment().path("TWINFLOW_REDIS_URL").asText());
        assertThat(redis.getHost()).isEqualTo("redis");
        assertThat(compose.path("services").has("redis")).isTrue();
        assertThat(redis.getPort()).isEqualTo(defaultPort("TWINFLOW_REDIS_EMBEDDED_PORT"));
        assertThat(publishedPorts("redis")).contains(redis.getPort());
    }

    @Test
    void twinflowPublishesTheHttpAndGrpcPortsItListensOn() {
        int http = twinflowEnvironment().path("SERVER_PORT").asInt();
        int grpc = twinflowEnvironment().path("TWINFLOW_GRPC_PORT").asInt();
        assertThat(http).isEqualTo(defaultPort("SERVER_PORT"));
        assertThat(grpc).isEqualTo(defaultPort("TWINFLOW_GRPC_PORT"));
        assertThat(publishedPorts("twinflow")).contains(http, grpc);
        assertThat(text("Dockerfile")).contains("EXPOSE " + http + " " + grpc);
    }

    /** The default application.yaml gives a variable: {@code ${NAME:default}}. */
    private int defaultPort(String variable) {
        Matcher m = Pattern.compile(Pattern.quote("${" + variable + ":") + "(\\d+)}")
                .matcher(applicationYaml);
        assertThat(m.find())
                .as("application.yaml reads %s with a default", variable)
                .isTrue();
        return Integer.parseInt(m.group(1));
    }

    private List<Integer> publishedPorts(String service) {
        List<Integer> ports = new ArrayList<>();
        compose.path("services").path(service).path("ports").forEach(p -> {
            String[] parts = p.asText().split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1]));
        });
        return ports;
    }
}
