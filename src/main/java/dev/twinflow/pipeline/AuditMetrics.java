package dev.twinflow.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The delivery audit's figures on {@code /actuator/prometheus}. */
@Component
record AuditMetrics(AuditReport audit) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("twinflow.audit.missing", audit, AuditReport::missingTotal)
                .description("generated records not (yet) received, over all runs")
                .register(registry);
    }
}
