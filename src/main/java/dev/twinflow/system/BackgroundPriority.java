package dev.twinflow.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * The route policy {@code #backgroundPriority}: a route that names it (the export and the sinks) runs
 * its consumer threads at nice {@code twinflow.background.nice}, so a burst that needs every core
 * goes to the ingest and its acknowledgements first, and the background's lag absorbs it. Each thread
 * lowers itself once, at its first exchange.
 */
@Component("backgroundPriority")
public class BackgroundPriority extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final ThreadLocal<Boolean> LOWERED = ThreadLocal.withInitial(() -> false);

    private final int nice;
    private final boolean idle;

    BackgroundPriority(Settings settings) {
        this.nice = settings.nice();
        this.idle = settings.idle();
    }

    /**
     * The priority of background work, under {@code twinflow.background.}.
     *
     * @param nice the nice value (0-19) of the export's and the sinks' threads and of the embedded
     *     MariaDB; 0 runs them like everything else; env {@code TWINFLOW_BACKGROUND_NICE}
     * @param idle whether these threads also take Linux's {@code SCHED_IDLE} policy (when {@code nice}
     *     is above 0): they then run only on a core nothing else wants, and yield it the moment the
     *     ingest's threads wake; off by default: on 2 busy cores it starves the MySQL sink (lag p99 3.4 s
     *     at 5,000 readings/s) without a measurable gain for the ingest; env {@code TWINFLOW_BACKGROUND_IDLE}
     */
    @Validated
    @ConfigurationProperties("twinflow.background")
    public record Settings(@Min(0) @Max(19) @DefaultValue("10") int nice, @DefaultValue("false") boolean idle) {}

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (nice > 0 && !LOWERED.get()) {
            LOWERED.set(true);
            if (Niceness.lowerThisThread(nice, idle)) {
                LOG.debug(
                        "{}: thread {} at nice {}",
                        route.getRouteId(),
                        Thread.currentThread().getName(),
                        nice);
            }
        }
    }
}
