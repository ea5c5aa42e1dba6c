package org.ilinks.engine;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.ilinks.admin.EngineView;
import org.ilinks.config.ServiceDefinition;

/** The running engine as the admin API sees it: services, queue depths, counters and health. */
final class EngineStatus implements EngineView {

    private final Engine engine;

    EngineStatus(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<ServiceDefinition> services() {
        return engine.services();
    }

    @Override
    public java.util.List<org.ilinks.extract.ExtractReports.PracticeReport> extracts() {
        return engine.extracts().status();
    }

    @Override
    public long queueDepth(String queue) {
        return engine.queueDepth(queue);
    }

    @Override
    public Map<String, Boolean> health() {
        Map<String, Boolean> parts = new LinkedHashMap<>();
        parts.put("broker", brokerUp());
        parts.put("database", databaseUp());
        parts.put("routes", routesUp());
        return parts;
    }

    @Override
    public MessageCounters counters() {
        return engine.counters();
    }

    private boolean brokerUp() {
        try (jakarta.jms.Connection c = engine.connectionFactory().createConnection()) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean databaseUp() {
        try (Connection c = engine.dataSource().getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private boolean routesUp() {
        var context = engine.camelContext();
        return engine.isRunning() && context.getRoutes().stream().allMatch(r ->
                context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started);
    }
}
