package dev.twinflow.terminals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The terminals' figures on {@code /actuator/prometheus}. */
@Component
class TerminalMetrics implements MeterBinder {

    private final TerminalSessions terminals;

    TerminalMetrics(TerminalSessions terminals) {
        this.terminals = terminals;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("twinflow.terminals.online", terminals, TerminalSessions::onlineCount)
                .description("terminals connected to this instance")
                .register(registry);
    }
}
