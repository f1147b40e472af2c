package dev.twinflow.system;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Starts routes that wait for an engine ({@code autoStartup: false}) once Camel has started, on a
 * daemon thread of its own that also runs the retries, so an engine that is down at start never stops
 * the app.
 */
public abstract class LateRouteStarter extends EventNotifierSupport {

    /** Runs the starts and their retries; stopped with Camel. */
    protected final ScheduledExecutorService starter;

    protected LateRouteStarter(String threadName) {
        this.starter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /** Called once, when Camel has started. */
    protected abstract void camelStarted(CamelContext camel);

    @Override
    public final boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public final void notify(CamelEvent event) {
        camelStarted(((CamelEvent.CamelContextStartedEvent) event).getContext());
    }

    @Override
    protected void doStop() {
        starter.shutdownNow();
    }
}
