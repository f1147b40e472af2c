package dev.twinflow.export;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The machine export's counters, as {@code GET /exports} and the metrics show them. */
final class ExportStats {

    final AtomicLong rowsExported = new AtomicLong();
    final AtomicLong filesPublished = new AtomicLong();
    final AtomicLong replaysSkipped = new AtomicLong();
    final AtomicLong unreadable = new AtomicLong();
    final AtomicLong invalidReadings = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    Map<String, Long> asMap() {
        return Map.of(
                "rows_exported", rowsExported.get(),
                "files_published", filesPublished.get(),
                "replays_skipped", replaysSkipped.get(),
                "unreadable_records", unreadable.get(),
                "invalid_readings", invalidReadings.get(),
                "file_system_failures", failures.get());
    }
}
