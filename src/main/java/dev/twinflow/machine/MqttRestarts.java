package dev.twinflow.machine;

import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lets the route controller's restarts of an MQTT route really reconnect. camel-paho-mqtt5 4.17 keeps
 * the client of a failed first connect and, on the next start, only subscribes with it (it connects
 * only a client it has just made), so a route whose broker was down at start would never come up.
 * Before each restart attempt, a client that is not connected is closed and dropped, so the consumer
 * makes and connects a new one.
 */
@Component
class MqttRestarts extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRestarts.class);

    MqttRestarts() {
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteRestartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.RouteRestartingEvent restarting = (CamelEvent.RouteRestartingEvent) event;
        if (restarting.getRoute().getConsumer() instanceof PahoMqtt5Consumer consumer) {
            MqttClient client = consumer.getClient();
            if (client != null && !client.isConnected()) {
                try {
                    client.close(true);
                } catch (Exception e) {
                    LOG.debug("closing the unconnected MQTT client: {}", e.toString());
                }
                consumer.setClient(null);
            }
        }
    }
}
