package dev.twinflow.system;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A port clash stops start-up with a message naming the setting to change: {@code server.port}
 * for the HTTP API, {@code twinflow.<engine>.embedded-port} or the listener's own port for engines.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortInUseFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortInUse p) {
                return analysis(p.setting(), p.port(), failure);
            }
            if (t instanceof PortInUseException p) {
                return analysis("server.port", p.getPort(), failure);
            }
        }
        return null;
    }

    private static FailureAnalysis analysis(String setting, int port, Throwable failure) {
        String env = setting.toUpperCase().replace('.', '_').replace('-', '_');
        return new FailureAnalysis(
                "Port " + port + " is already in use, so twinflow cannot listen on it (" + setting + "=" + port + ").",
                "Stop whatever listens on port " + port + ", or set " + setting + " (environment variable " + env
                        + ") to a free port; 0 picks any free port.",
                failure);
    }
}
