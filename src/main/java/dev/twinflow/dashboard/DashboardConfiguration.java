package dev.twinflow.dashboard;

import dev.twinflow.pipeline.AuditReport;
import dev.twinflow.receive.MessageStore;
import dev.twinflow.telemetry.DeviceCounters;
import dev.twinflow.terminals.TerminalsApi;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the snapshot to the beans it reads, through their public read methods only. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    DashboardSnapshots dashboardSnapshots(
            DeviceCounters devices,
            MessageStore messages,
            TerminalsApi terminals,
            AuditReport audit,
            CamelContext camel,
            Clock clock) {
        return new DashboardSnapshots(
                new DashboardSnapshots.Sources(
                        devices::all,
                        () -> routeExchanges(camel),
                        terminals::list,
                        () -> audit.report(null),
                        (offset, limit) -> messages.read(Long.toString(offset), Integer.toString(limit))),
                clock,
                System::nanoTime);
    }

    /** Exchanges completed so far by each route, from Camel's JMX statistics (camel-management). */
    static Map<String, Long> routeExchanges(CamelContext camel) {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        if (managed == null) {
            throw new IllegalStateException("no route statistics: Camel's JMX management is off");
        }
        Map<String, Long> completed = new HashMap<>();
        for (Route route : camel.getRoutes()) {
            ManagedRouteMBean stats = managed.getManagedRoute(route.getRouteId());
            if (stats != null) {
                completed.put(route.getRouteId(), stats.getExchangesCompleted());
            }
        }
        return completed;
    }
}
