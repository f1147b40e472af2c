package dev.twinflow.terminals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The terminals' figures on {@code /actuator/prometheus}. */
@Component
record TerminalMetrics(Presence presence) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("twinflow.terminals.online", presence, Presence::onlineCount)
                .description("terminals connected to this instance")
                .register(registry);
    }
}
