package dev.twinflow.generate;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the generator role ({@code POST /generate}), under {@code twinflow.generate.}.
 *
 * @param maxNum largest {@code num} one request may ask for; more is answered with 422
 * @param defaultNum records generated when the request names no {@code num}
 */
@Validated
@ConfigurationProperties("twinflow.generate")
public record GenerateProperties(
        @Min(1) @DefaultValue("100000") int maxNum, @Min(1) @DefaultValue("10") int defaultNum) {}
