package dev.twinflow.embedded;

import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Holds Camel's routes back until the in-process Kafka runs and has its topics: it starts in the
 * background alongside the rest of the app, and a consumer that subscribed first would see a topic
 * the broker creates on its own, with one partition. An external cluster is not waited for.
 */
@Component
class KafkaReady extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReady.class);

    private final KafkaEngine kafka;

    KafkaReady(KafkaEngine kafka) {
        this.kafka = kafka;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        try {
            kafka.ready().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("routes start without the embedded Kafka: {}", e.toString());
        }
    }
}
