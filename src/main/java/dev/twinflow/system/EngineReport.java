package dev.twinflow.system;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs one line per engine once the app is ready, so an operator sees at a glance what runs where. */
@Component
class EngineReport {

    private static final Logger LOG = LoggerFactory.getLogger(EngineReport.class);

    private final List<Engine> engines;

    EngineReport(List<Engine> engines) {
        this.engines = engines;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        engines.forEach(e -> LOG.info("engine {}: {} at {}", e.name(), e.mode(), e.address()));
    }
}
