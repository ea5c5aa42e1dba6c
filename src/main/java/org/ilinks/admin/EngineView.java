package org.ilinks.admin;

import java.util.List;
import java.util.Map;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.engine.MessageCounters;

/** What the admin API may see of the running engine: no message content, counts and states only. */
public interface EngineView {

    /** The services in force now (live reload may replace them). */
    List<ServiceDefinition> services();

    /** Messages waiting on a queue (-1 when the broker cannot say). */
    long queueDepth(String queue);

    /** Each part the engine needs (broker, database, routes) and whether it is up now. */
    Map<String, Boolean> health();

    MessageCounters counters();

    /** Each practice's extract status (polls, files and records of today); empty without practices. */
    default java.util.List<org.ilinks.extract.ExtractReports.PracticeReport> extracts() {
        return java.util.List.of();
    }
}
