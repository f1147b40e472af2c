package dev.twinflow.export;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The machine export's figures on {@code /actuator/prometheus}. */
@Component
record ExportMetrics(MachineExport export) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
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
    }
}
