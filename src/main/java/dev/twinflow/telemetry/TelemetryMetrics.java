package dev.twinflow.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The telemetry flow's figures on {@code /actuator/prometheus}. */
@Component
record TelemetryMetrics(RedisFlush flush) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("twinflow.telemetry.packets.counted", flush, RedisFlush::packetsCounted)
                .description("telemetry packets counted in Redis")
                .register(registry);
    }
}
