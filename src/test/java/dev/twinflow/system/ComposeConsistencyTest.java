package dev.twinflow.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run on the development machines (no Docker engine): this keeps its
 * addresses, ports and variables consistent with what application.yaml reads.
 */
class ComposeConsistencyTest {

    private final JsonNode compose = read("docker-compose.yml");
    private final String applicationYaml = text("src/main/resources/application.yaml");

    private static JsonNode read(String file) {
        // SnakeYAML resolves the anchors and merge keys (<<) compose files use
        Map<String, Object> yaml = new Yaml(new LoaderOptions()).load(text(file));
        return new ObjectMapper().valueToTree(yaml);
    }

    private static String text(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> replicas() {
        List<String> names = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(n -> {
            if (n.startsWith("twinflow")) {
                names.add(n);
            }
        });
        return names;
    }

    private JsonNode env(String replica) {
        return compose.path("services").path(replica).path("environment");
    }

    /** A value as the container sees it ({@code $$} is compose's escape for {@code $}). */
    private String value(String replica, String variable) {
        return env(replica).path(variable).asText().replace("$$", "$");
    }

    @Test
    void everyVariableGivenToTwinflowIsOneApplicationYamlReads() {
        for (String replica : replicas()) {
            List<String> unknown = new ArrayList<>();
            env(replica).fieldNames().forEachRemaining(name -> {
                boolean spring = name.equals("SPRING_PROFILES_ACTIVE");
                if (!spring && !applicationYaml.contains("${" + name + ":")) {
                    unknown.add(name);
                }
            });
            assertThat(unknown)
                    .as("variables application.yaml never reads (%s)", replica)
                    .isEmpty();
            String profile = value(replica, "SPRING_PROFILES_ACTIVE");
            assertThat(Path.of("src/main/resources/application-" + profile + ".yaml"))
                    .exists();
        }
    }

    @Test
    void twoReplicasShareConsumerGroupsAndOneMqttSubscriptionButNotTheirIdentities() {
        List<String> replicas = replicas();
        assertThat(replicas).hasSizeGreaterThanOrEqualTo(2);
        Set<String> nodes = new HashSet<>();
        Set<String> clients = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (String replica : replicas) {
            nodes.add(value(replica, "TWINFLOW_NODE_NAME"));
            clients.add(value(replica, "TWINFLOW_MACHINE_CLIENT_ID"));
            volumes.add(compose.path("services")
                    .path(replica)
                    .path("volumes")
                    .get(0)
                    .asText());
            assertThat(value(replica, "TWINFLOW_MACHINE_SUBSCRIPTION")).startsWith("$share/");
            // consumer groups are application.yaml's defaults: the same in every replica
            assertThat(env(replica).has("TWINFLOW_KAFKA_GROUP_ID")).isFalse();
        }
        assertThat(nodes).hasSize(replicas.size());
        assertThat(clients).hasSize(replicas.size());
        assertThat(volumes).hasSize(replicas.size());
    }

    @Test
    void kafkaAddressIsTheKafkaServiceOnItsAdvertisedPort() {
        for (String replica : replicas()) {
            String bootstrap = value(replica, "TWINFLOW_KAFKA_BOOTSTRAP_SERVERS");
            String advertised = compose.path("services")
                    .path("kafka")
                    .path("environment")
                    .path("KAFKA_ADVERTISED_LISTENERS")
                    .asText();
            assertThat(advertised).isEqualTo("PLAINTEXT://" + bootstrap);
            assertThat(bootstrap).isEqualTo("kafka:" + defaultPort("TWINFLOW_KAFKA_EMBEDDED_PORT"));
        }
        assertThat(publishedPorts("kafka")).contains(defaultPort("TWINFLOW_KAFKA_EMBEDDED_PORT"));
    }

    @Test
    void mysqlAndInfluxAddressesAreTheirServicesWithTheSeedsNames() {
        for (String replica : replicas()) {
            URI mysql = URI.create(value(replica, "TWINFLOW_MYSQL_URL").substring("jdbc:".length()));
            assertThat(mysql.getHost()).isEqualTo("mysql");
            assertThat(mysql.getPort()).isEqualTo(defaultPort("TWINFLOW_MYSQL_EMBEDDED_PORT"));
            assertThat(mysql.getPath())
                    .isEqualTo("/"
                            + compose.path("services")
                                    .path("mysql")
                                    .path("environment")
                                    .path("MARIADB_DATABASE")
                                    .asText());
            assertThat(value(replica, "TWINFLOW_MYSQL_PASSWORD"))
                    .isEqualTo(compose.path("services")
                            .path("mysql")
                            .path("environment")
                            .path("MARIADB_ROOT_PASSWORD")
                            .asText());
            assertThat(publishedPorts("mysql")).contains(mysql.getPort());

            JsonNode influx = compose.path("services").path("influxdb").path("environment");
            URI url = URI.create(value(replica, "TWINFLOW_INFLUX_URL"));
            assertThat(url.getHost()).isEqualTo("influxdb");
            assertThat(publishedPorts("influxdb")).contains(url.getPort());
            assertThat(value(replica, "TWINFLOW_INFLUX_ORG"))
                    .isEqualTo(influx.path("DOCKER_INFLUXDB_INIT_ORG").asText())
                    .isEqualTo("my-org");
            assertThat(value(replica, "TWINFLOW_INFLUX_BUCKET"))
                    .isEqualTo(influx.path("DOCKER_INFLUXDB_INIT_BUCKET").asText())
                    .isEqualTo("mqtt_bucket");
            assertThat(value(replica, "TWINFLOW_INFLUX_TOKEN"))
                    .isEqualTo(influx.path("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN").asText());
        }
    }

    @Test
    void redisAddressIsTheRedisServiceOnItsPort() {
        for (String replica : replicas()) {
            URI redis = URI.create(value(replica, "TWINFLOW_REDIS_URL"));
            assertThat(redis.getHost()).isEqualTo("redis");
            assertThat(redis.getPort()).isEqualTo(defaultPort("TWINFLOW_REDIS_EMBEDDED_PORT"));
            assertThat(publishedPorts("redis")).contains(redis.getPort());
        }
    }

    @Test
    void mqttAddressIsTheMosquittoServiceOnItsListenerPort() {
        String conf = text("compose/mosquitto.conf");
        for (String replica : replicas()) {
            URI mqtt = URI.create(value(replica, "TWINFLOW_MQTT_BROKER_URL"));
            assertThat(mqtt.getHost()).isEqualTo("mqtt");
            assertThat(mqtt.getPort()).isEqualTo(defaultPort("TWINFLOW_MQTT_EMBEDDED_PORT"));
            assertThat(conf).contains("listener " + mqtt.getPort());
            assertThat(publishedPorts("mqtt")).contains(mqtt.getPort());
        }
        assertThat(compose.path("services").path("mqtt").path("volumes").get(0).asText())
                .startsWith("./compose/mosquitto.conf:/mosquitto/config/mosquitto.conf");
    }

    @Test
    void hdfsAddressIsTheNameNodesDefaultFileSystem() {
        String defaultFs = compose.path("services")
                .path("namenode")
                .path("environment")
                .path("CORE-SITE.XML_fs.defaultFS")
                .asText();
        assertThat(compose.path("services")
                        .path("datanode")
                        .path("environment")
                        .path("CORE-SITE.XML_fs.defaultFS")
                        .asText())
                .isEqualTo(defaultFs);
        for (String replica : replicas()) {
            assertThat(value(replica, "TWINFLOW_HDFS_URI")).isEqualTo(defaultFs);
        }
        assertThat(publishedPorts("namenode")).contains(URI.create(defaultFs).getPort());
    }

    @Test
    void eachReplicaPublishesTheHttpGrpcAndTerminalPortsItListensOn() {
        Set<Integer> hostPorts = new HashSet<>();
        for (String replica : replicas()) {
            int http = Integer.parseInt(value(replica, "SERVER_PORT"));
            int grpc = Integer.parseInt(value(replica, "TWINFLOW_GRPC_PORT"));
            int terminals = Integer.parseInt(value(replica, "TWINFLOW_TERMINALS_PORT"));
            assertThat(http).isEqualTo(defaultPort("SERVER_PORT"));
            assertThat(grpc).isEqualTo(defaultPort("TWINFLOW_GRPC_PORT"));
            assertThat(terminals).isEqualTo(defaultPort("TWINFLOW_TERMINALS_PORT"));
            assertThat(publishedPorts(replica)).contains(http, grpc, terminals);
            compose.path("services").path(replica).path("ports").forEach(p -> {
                assertThat(hostPorts.add(Integer.parseInt(p.asText().split(":")[0])))
                        .as("host port %s published once", p.asText())
                        .isTrue();
            });
            assertThat(text("Dockerfile")).contains("EXPOSE " + http + " " + grpc + " " + terminals);
        }
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

    /** The container ports a service publishes. */
    private List<Integer> publishedPorts(String service) {
        List<Integer> ports = new ArrayList<>();
        compose.path("services").path(service).path("ports").forEach(p -> {
            String[] parts = p.asText().split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1]));
        });
        return ports;
    }
}
