package dev.twinflow.machine;

import dev.twinflow.embedded.MqttEngine;
import dev.twinflow.system.LateRouteStarter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts the MQTT routes that are not started automatically ({@code autoStartup: false}) when Camel
 * has started, and again every 2 s while a start fails, so an MQTT broker that is down at start
 * never stops the app (its health is DOWN meanwhile). The first try runs before start-up completes,
 * so with the broker up the routes are subscribed when the app reports healthy.
 *
 * <p>A {@code mqtt5:} consumer's start fails while the broker does not answer (its client is dropped);
 * once started, its client reconnects by itself.
 */
@Component
class MqttRoutes extends LateRouteStarter {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRoutes.class);
    private static final long RETRY_MS = 2000;

    private final MqttEngine mqtt;

    MqttRoutes(MqttEngine mqtt) {
        super("mqtt-route-starter");
        this.mqtt = mqtt;
    }

    @Override
    protected void camelStarted(CamelContext camel) {
        // the embedded broker starts beside the rest of the app; it has long started by now, or this
        // waits for it (a broker that fails to start: the routes below retry, as for one that is down)
        mqtt.awaitStarted(Duration.ofSeconds(60));
        List<Route> routes = camel.getRoutes().stream()
                .filter(r -> r.getEndpoint() instanceof Mqtt5Component.Mqtt5Endpoint && !r.isAutoStartup())
                .toList();
        for (Route route : routes) {
            if (!start(camel, route, true)) {
                starter.scheduleWithFixedDelay(
                        () -> {
                            if (!camel.getRouteController()
                                            .getRouteStatus(route.getRouteId())
                                            .isStarted()
                                    && camel.getStatus().isStarted()) {
                                start(camel, route, false);
                            }
                        },
                        RETRY_MS,
                        RETRY_MS,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private static boolean start(CamelContext camel, Route route, boolean first) {
        try {
            camel.getRouteController().startRoute(route.getRouteId());
            if (!first) {
                LOG.info("route {} started: the MQTT broker answers again", route.getRouteId());
            }
            return true;
        } catch (Exception e) {
            if (first) {
                LOG.warn(
                        "route {} not started, the MQTT broker does not answer; retrying every {} ms: {}",
                        route.getRouteId(),
                        RETRY_MS,
                        e.getMessage());
            }
            return false;
        }
    }
}
