package dev.twinflow.system;

import dev.twinflow.audit.DeliveryAudit;
import dev.twinflow.export.MachineExport;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.telemetry.TelemetryIngest;
import dev.twinflow.terminals.TerminalSessions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * The app's own figures on {@code /actuator/prometheus}, read from the beans that keep them (counters
 * counted in routes, such as records generated and dead letters, are {@code micrometer:} steps there).
 */
@Component
class AppMetrics implements MeterBinder {

    private final TelemetryIngest telemetry;
    private final MachineExport export;
    private final TerminalSessions terminals;
    private final DeliveryAudit audit;
    private final MessageStore messages;

    AppMetrics(
            TelemetryIngest telemetry,
            MachineExport export,
            TerminalSessions terminals,
            DeliveryAudit audit,
            MessageStore messages) {
        this.telemetry = telemetry;
        this.export = export;
        this.terminals = terminals;
        this.audit = audit;
        this.messages = messages;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("twinflow.telemetry.packets.counted", telemetry, TelemetryIngest::packetsCounted)
                .description("telemetry packets counted in Redis")
                .register(registry);
        FunctionCounter.builder(
                        "twinflow.export.readings", export, e -> e.stats().get("rows_exported"))
                .description("machine readings written to published export files")
                .register(registry);
        FunctionCounter.builder("twinflow.export.files", export, e -> e.stats().get("files_published"))
                .description("export files published")
                .register(registry);
        FunctionCounter.builder("twinflow.export.file.system.failures", export, e -> e.stats()
                        .get("file_system_failures"))
                .description("export batches failed by the file system (read again)")
                .register(registry);
        Gauge.builder("twinflow.terminals.online", terminals, TerminalSessions::onlineCount)
                .description("terminals connected to this instance")
                .register(registry);
        Gauge.builder("twinflow.audit.missing", audit, DeliveryAudit::missingTotal)
                .description("generated records not (yet) received, over all runs")
                .register(registry);
        Gauge.builder("twinflow.message.log.records", messages, MessageStore::size)
                .description("messages in the message log")
                .register(registry);
    }
}
