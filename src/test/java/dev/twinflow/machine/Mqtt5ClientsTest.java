package dev.twinflow.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import dev.twinflow.machine.Mqtt5Component.Mqtt5Settings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Mqtt5ClientsTest {

    static final Mqtt5Settings SETTINGS = new Mqtt5Settings("Query/Response/+", "ingest-1", false, 60, 100, 2000);

    static Mqtt5ClientConfig config(String url) {
        return Mqtt5Clients.builder(SETTINGS, URI.create(url)).buildAsync().getConfig();
    }

    @Test
    void aTcpUrlConnectsInPlainTextToItsHostAndPortAsTheEndpointsClient() {
        Mqtt5ClientConfig config = config("tcp://broker.local:1884");

        assertThat(config.getClientIdentifier().orElseThrow()).hasToString("ingest-1");
        assertThat((InetSocketAddress) config.getServerAddress())
                .satisfies(a -> assertThat(a.getHostString()).isEqualTo("broker.local"))
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(1884));
        assertThat(config.getSslConfig()).isEmpty();
        assertThat(config.getSimpleAuth()).isEmpty();
        assertThat(config.getTransportConfig().getMqttConnectTimeoutMs()).isEqualTo(2000);
    }

    @Test
    void anSslUrlUsesTlsOnPort8883AndItsUserInfoAsTheLogin() {
        Mqtt5ClientConfig config = config("ssl://twin:s3cret@broker.local");

        assertThat(config.getSslConfig()).isPresent();
        assertThat(((InetSocketAddress) config.getServerAddress()).getPort()).isEqualTo(8883);
        assertThat(config.getSimpleAuth().orElseThrow().getUsername().orElseThrow())
                .hasToString("twin");
        assertThat(StandardCharsets.UTF_8
                        .decode(config.getSimpleAuth()
                                .orElseThrow()
                                .getPassword()
                                .orElseThrow())
                        .toString())
                .isEqualTo("s3cret");
    }

    @Test
    void aTcpUrlWithoutAPortUses1883() {
        assertThat(((InetSocketAddress) config("tcp://broker.local").getServerAddress()).getPort())
                .isEqualTo(1883);
    }

    @Test
    void anUrlOfAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> config("ws://broker.local:8000")).hasMessageContaining("tcp://, mqtt://, ssl://");
    }
}
