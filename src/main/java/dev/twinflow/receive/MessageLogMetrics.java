package dev.twinflow.receive;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The message log's figures on {@code /actuator/prometheus}. */
@Component
record MessageLogMetrics(MessageStore messages) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("twinflow.message.log.records", messages, MessageStore::size)
                .description("messages in the message log")
                .register(registry);
    }
}
