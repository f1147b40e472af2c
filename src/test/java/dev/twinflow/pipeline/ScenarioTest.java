package dev.twinflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twinflow.system.ApiException;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void readsEveryFieldOfADeclaredScenario() {
        Scenario s = ScenarioParser.parse(
                """
                name: plant-7
                seed: 9
                rate: 250.5
                burst: {every: 30s, length: 500ms, factor: 4}
                limit: 1000
                devices: 3
                sensors-per-device: 2
                users: 5
                mix: {sensor: 1, transaction: 2, event: 3}
                anomaly-probability: 0.2
                clock: 1795000000000
                """);
        assertThat(s.name()).isEqualTo("plant-7");
        assertThat(s.seed()).isEqualTo(9);
        assertThat(s.rate()).isEqualTo(250.5);
        assertThat(s.burst().every().toSeconds()).isEqualTo(30);
        assertThat(s.burst().length().toMillis()).isEqualTo(500);
        assertThat(s.burst().factor()).isEqualTo(4);
        assertThat(s.limit()).isEqualTo(1000);
        assertThat(s.sensorsPerDevice()).isEqualTo(2);
        assertThat(s.mix().event()).isEqualTo(3);
        assertThat(s.anomalyProbability()).isEqualTo(0.2);
        assertThat(s.clock()).isEqualTo(1795000000000L);
    }

    @Test
    void namesTheOffendingFieldOfAnInvalidScenario() {
        assertInvalid("name: a\nrate: -1", "'rate'");
        assertInvalid("name: a\nrate: fast", "'rate'");
        assertInvalid("name: Bad Name", "'name'");
        assertInvalid("rate: 5", "'name'");
        assertInvalid("name: a\nsensors-per-device: 9", "'sensors-per-device'");
        assertInvalid("name: a\nmix: {sensor: 0, transaction: 0, event: 0}", "'mix'");
        assertInvalid("name: a\nmix: {robots: 5}", "'mix.robots'");
        assertInvalid("name: a\nburst: {every: 1s, length: 2s}", "'burst.length'");
        assertInvalid("name: a\nburst: {every: soon, length: 2s}", "'burst.every'");
        assertInvalid("name: a\nspeed: 3", "'speed'");
        assertInvalid("name: a\n  rate: [", "'(document)'");
        assertInvalid("- just\n- a list", "'(document)'");
        assertInvalid("name: a\ndevices: 0\nmix: {sensor: 5}", "'mix.sensor'");
    }

    private static void assertInvalid(String yaml, String field) {
        assertThatThrownBy(() -> ScenarioParser.parse(yaml))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(field)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    @Test
    void startOverridesAreCheckedToo() {
        Scenario s = ScenarioParser.parse("name: a");
        assertThat(s.with(dev.twinflow.system.Json.parseObject("{\"rate\":5,\"limit\":7}".getBytes()))
                        .limit())
                .isEqualTo(7);
        assertThatThrownBy(() -> s.with(dev.twinflow.system.Json.parseObject("{\"devices\":5}".getBytes())))
                .hasMessageContaining("'devices'");
        assertThatThrownBy(() -> s.with(dev.twinflow.system.Json.parseObject("{\"rate\":-5}".getBytes())))
                .hasMessageContaining("'rate'");
    }
}
