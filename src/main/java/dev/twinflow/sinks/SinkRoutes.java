package dev.twinflow.sinks;

import dev.twinflow.embedded.MysqlEngine;
import dev.twinflow.system.LateRouteStarter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts the sink routes ({@code autoStartup: false}) once Camel runs and the app is ready (the HTTP
 * routes answering: background consumers do not compete with the start for the cores): the MySQL sink after the schema
 * is migrated (Flyway, {@code db/mysql}), retried every 2 s while the database does not answer, so a
 * database that is down at start never stops the app; the InfluxDB sink only when {@code
 * twinflow.influx.url} is set.
 */
@Component
class SinkRoutes extends LateRouteStarter {

    static final String MYSQL_ROUTE = "sink-machine-data-mysql";
    static final String INFLUX_ROUTE = "sink-machine-data-influx";
    private static final Logger LOG = LoggerFactory.getLogger(SinkRoutes.class);
    private static final long RETRY_MS = 2000;

    private final MysqlEngine mysql;
    private final DataSource dataSource;
    private final InfluxProperties influx;
    private volatile boolean migrated;
    private volatile boolean warned;
    private final CompletableFuture<Void> appReady = new CompletableFuture<>();

    SinkRoutes(MysqlEngine mysql, DataSource dataSource, InfluxProperties influx) {
        super("sink-route-starter");
        this.mysql = mysql;
        this.dataSource = dataSource;
        this.influx = influx;
    }

    /** The app answering: the sinks, background consumers, start after it (their CPU is not the start's). */
    @EventListener(ApplicationReadyEvent.class)
    void appReady() {
        appReady.complete(null);
    }

    @Override
    protected void camelStarted(CamelContext camel) {
        appReady.thenRun(() -> {
            if (influx.enabled() && camel.getRoute(INFLUX_ROUTE) != null) {
                starter.execute(() -> start(camel, INFLUX_ROUTE));
            }
            if (camel.getRoute(MYSQL_ROUTE) != null) {
                mysql.ready().whenComplete((ok, failed) -> {
                    if (failed == null) {
                        starter.execute(() -> migrateAndStart(camel));
                    }
                });
            }
        });
    }

    /** True once the schema is in place (the history API answers 503 before). */
    boolean migrated() {
        return migrated;
    }

    private void migrateAndStart(CamelContext camel) {
        try {
            MysqlSchema.migrate(dataSource);
            migrated = true;
            start(camel, MYSQL_ROUTE);
            if (warned) {
                LOG.info("the MySQL schema is migrated: route {} started", MYSQL_ROUTE);
            }
        } catch (Exception e) {
            if (!warned) {
                warned = true;
                LOG.warn(
                        "route {} waits for MySQL ({}); retrying every {} ms",
                        MYSQL_ROUTE,
                        e.getMessage().lines().findFirst().orElse(""),
                        RETRY_MS);
            }
            if (camel.getStatus().isStarted() || camel.getStatus().isStarting()) {
                starter.schedule(() -> migrateAndStart(camel), RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void start(CamelContext camel, String routeId) {
        try {
            camel.getRouteController().startRoute(routeId);
        } catch (Exception e) {
            LOG.error("route {} did not start: {}", routeId, e.toString());
        }
    }
}
