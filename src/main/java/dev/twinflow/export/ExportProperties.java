package dev.twinflow.export;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The export of {@code machine_data} to files, and the scheduled export, under {@code twinflow.export.}.
 *
 * @param format file format of every export: {@code parquet}, {@code csv} or {@code jsonl}
 * @param maxRows a machine-data file is closed once it holds this many readings
 * @param maxAge a machine-data file is closed at most this long after its first reading, with or
 *     without new traffic
 * @param groupId Kafka consumer group of the export
 * @param retryWait how long the export waits after the file system failed before it tries again (the
 *     batch's offsets stay uncommitted meanwhile)
 * @param rowGroupSize Parquet row group size (memory held per open file)
 * @param schedule cron expression (Spring format, six fields) of the scheduled export of the message
 *     log and the data set ({@code POST /exports/run} runs it at once)
 * @param dueCheckMs how often (ms) open files are checked against {@code max-age}
 */
@Validated
@ConfigurationProperties("twinflow.export")
public record ExportProperties(
        @NotNull @DefaultValue("parquet") RowFormat format,
        @Min(1) @DefaultValue("100000") int maxRows,
        @NotNull @DefaultValue("60s") Duration maxAge,
        @NotBlank @DefaultValue("machine_data_export") String groupId,
        @NotNull @DefaultValue("5s") Duration retryWait,
        @NotNull @DefaultValue("8MB") DataSize rowGroupSize,
        @NotBlank @DefaultValue("0 0 1 * * *") String schedule,
        @Min(10) @DefaultValue("250") long dueCheckMs) {}
