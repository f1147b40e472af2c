package dev.twinflow.pipeline;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The scenario generator, under {@code twinflow.scenarios.}. Scenarios come from {@code
 * classpath:scenarios/*.yaml} and {@code <data-dir>/scenarios/*.yaml} (where {@code PUT
 * /scenarios/{name}} saves them).
 *
 * @param autostart scenarios to start when the app is ready; env {@code TWINFLOW_SCENARIOS_AUTOSTART}
 * @param maxInFlightChunks chunks of up to 1000 records a run may have waiting for Kafka's
 *     acknowledgement; when they are all waiting, the run pauses (the bounded buffer). Also the size
 *     of the queue of {@code publish-generated-records}, where runs at the same time wait for room
 */
@Validated
@ConfigurationProperties("twinflow.scenarios")
public record ScenarioProperties(
        @DefaultValue List<String> autostart, @Min(1) @Max(1024) @DefaultValue("16") int maxInFlightChunks) {}
