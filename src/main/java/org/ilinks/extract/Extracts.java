package org.ilinks.extract;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.ilinks.audit.AuditTrail;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.hl7.Hl7Inspector;
import org.springframework.jms.core.JmsOperations;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Practice extracts in one engine: the practices of {@code config/practices/}, their routes, the beans the routes
 * name ({@code extractPipeline}, {@code extractPolls}) and the status. Practices are read at start; a change to
 * their files takes a restart.
 */
public final class Extracts {

    private final Map<String, PracticeSource> practices = new LinkedHashMap<>();
    private final ExtractStatus status = new ExtractStatus();
    private final ExtractPipeline pipeline;
    private final ExtractPolls polls;
    private final ExtractReports reports;

    /**
     * @param jms         sends on the routes' connection factory, transacted
     * @param transaction a JMS transaction on that same factory: one file's records are queued in one of these
     */
    public Extracts(Settings settings, List<PracticeSource> sources, DataSource dataSource, JmsOperations jms,
                    TransactionOperations transaction, HistoryRecorder history, AuditTrail audit,
                    org.ilinks.governance.consent.ConsentRegistry consent,
                    java.util.function.Supplier<org.ilinks.governance.GovernanceConfig> governance,
                    Hl7Inspector inspector, Clock clock) {
        sources.forEach(p -> practices.put(p.ods(), p));
        ExtractClaims claims = new ExtractClaims(dataSource, settings.nodeName(),
                Duration.ofMillis(settings.getLong(Setting.EXTRACT_CLAIM_TIMEOUT_MS)), clock);
        this.pipeline = new ExtractPipeline(practices::get, claims, inspector,
                new ExtractQueue(jms, transaction, history, audit, consent, governance, clock), audit);
        this.polls = new ExtractPolls(status, practices::get, clock);
        this.reports = new ExtractReports(dataSource, status, clock);
    }

    public ExtractPipeline pipeline() {
        return pipeline;
    }

    public ExtractPolls polls() {
        return polls;
    }

    public List<PracticeSource> practices() {
        return List.copyOf(practices.values());
    }

    /** One route per practice, from the template in routes/extracts.yaml. */
    public void installRoutes(CamelContext context) throws Exception {
        ExtractRoutes.install(context, practices());
    }

    /** Each practice's status now: polls seen by this engine, files and records of today from the database. */
    public List<ExtractReports.PracticeReport> status() {
        return reports.today(practices());
    }
}
