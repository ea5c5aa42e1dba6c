package org.ilinks.engine;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.ilinks.admin.AdminServer;
import org.ilinks.admin.FirstAdmin;
import org.ilinks.admin.UserStore;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.AuditTrail;
import org.ilinks.audit.AuditWriter;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.InvalidConfigException;
import org.ilinks.config.KnownBeans;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.delivery.DeliveryLog;
import org.ilinks.delivery.DeliveryRoutes;
import org.ilinks.delivery.PatientHolds;
import org.ilinks.delivery.ParkingLot;
import org.ilinks.delivery.RetryBudget;
import org.ilinks.delivery.RetryDelay;
import org.ilinks.governance.DecisionStore;
import org.ilinks.governance.DeliveryConsentCheck;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.governance.Governor;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.history.ContentCipher;
import org.ilinks.history.ContentRetention;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.AckBuilder;
import org.ilinks.intake.IntakeAcknowledger;
import org.ilinks.intake.IntakeInspector;
import org.ilinks.reload.LiveReload;
import org.ilinks.routing.DuplicateFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: database, broker, and the Camel routes of {@code routes/} with the beans they name, plus a
 * delivery route per service of {@code config/services/}. Refuses to start on a configuration that does not
 * validate, with the same {@code file:line} messages as {@code ilinks validate}.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Settings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Database database;
    private EmbeddedBroker broker;
    private BrokerConnection brokerConnection;
    private Main main;
    private GovernanceStep governance;
    private AuditTrail audit;
    private HistoryRecorder history;
    private AuditWriter auditWriter;
    /** The one store (and head file) of this process: the audit writer's and people's actions through the API. */
    private AuditStore auditStore;
    private ContentCipher contentCipher;
    private DeliveryRoutes deliveryRoutes;
    private PatientHolds patientHolds;
    private LiveReload liveReload;
    private AdminServer adminServer;
    private org.ilinks.replay.Replays replays;
    private org.ilinks.extract.Extracts extracts;
    private final MessageCounters counters = new MessageCounters();
    private volatile List<ServiceDefinition> services = List.of();
    private volatile boolean running;

    private Engine(Settings settings) {
        this.settings = settings;
    }

    /** Validates the configuration, then starts everything. */
    public static Engine start(Settings settings) throws Exception {
        // Loaded once: what is validated is what runs.
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(settings);
        List<org.ilinks.config.ConfigProblem> problems = ConfigValidator.validate(settings, KnownBeans.NAMES, loaded);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        Engine engine = new Engine(settings);
        try {
            engine.startAll(loaded.config());
        } catch (Exception e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void startAll(GovernanceConfig config) throws Exception {
        List<ServiceDefinition> loaded = config.services();
        this.services = loaded;
        database = Database.open(settings);
        if (settings.get(Setting.BROKER_URL).isBlank()) {
            broker = EmbeddedBroker.start(settings.dataDir().resolve("broker"), settings.get(Setting.BROKER_HOST),
                    settings.getInt(Setting.BROKER_PORT));
            loaded.forEach(broker::configureService);
        }
        brokerConnection = BrokerConnection.to(settings);
        auditStore = new AuditStore(database.dataSource(), new AuditHeadFile(settings.auditHeadFile()));
        audit = new AuditTrail(settings.getBoolean(Setting.AUDIT_ENABLED), settings.nodeName(),
                java.time.Clock.systemUTC(), brokerConnection.transactedTemplate());
        contentCipher = settings.historyKeyFile() == null ? ContentCipher.none()
                : ContentCipher.fromKeyFile(settings.historyKeyFile());
        history = new HistoryRecorder(database.dataSource(), contentCipher, java.time.Clock.systemUTC());
        patientHolds = new PatientHolds(database.dataSource());
        patientHolds.use(loaded);
        governance = new GovernanceStep(governor(config), new ConsentRegistry(database.dataSource()),
                new DecisionStore(database.dataSource()), java.time.Clock.systemUTC(), audit, history, counters);
        replays = replays();
        extracts = newExtracts();

        main = new Main();
        main.setInitialProperties(settings.asProperties());
        main.configure().withName("ilinks")
                .withRoutesIncludePattern("file:" + settings.routesDir().toAbsolutePath().normalize() + "/*.yaml")
                .withJmxEnabled(false)
                .withShutdownTimeout(30);
        bindBeans();
        if (settings.getBoolean(Setting.ADMIN_ENABLED)) {
            startAdmin();
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    deliveryRoutes = new DeliveryRoutes(support.getCamelContext());
                    deliveryRoutes.apply(services);
                    extracts.installRoutes(support.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("delivery or practice routes could not be created: "
                            + e.getMessage(), e);
                }
            }
        });
        main.start();
        running = true;
        liveReload = new LiveReload(settings, main.getCamelContext(), deliveryRoutes, loaded, changed -> {
            patientHolds.use(changed.services()); // first: if it fails, the reload fails before anything changed
            this.services = changed.services();
            if (broker != null) {
                changed.services().forEach(broker::configureService);
            }
            governance.use(governor(changed));
            auditConfiguration("reloaded", changed);
        });
        replays.stopLeftovers();
        if (audit.enabled()) {
            auditWriter = new AuditWriter(brokerConnection.connectionFactory(), auditStore::append);
            audit.writeOutsideHopsTo(auditStore::append);
            auditWriter.start();
        }
        auditConfiguration("loaded", config);
        if (settings.getBoolean(Setting.RELOAD_ENABLED)) {
            liveReload.start(settings.getLong(Setting.RELOAD_INTERVAL_MS));
        }
        LOG.info("iLINKS engine started: MLLP intake on {}:{}, admin API {}, {} services, broker {}, database {}",
                settings.get(Setting.INTAKE_HOST), settings.get(Setting.INTAKE_PORT),
                adminServer == null ? "off" : settings.get(Setting.ADMIN_HOST) + ":" + settings.get(Setting.ADMIN_PORT),
                loaded.size(),
                broker != null ? "embedded" : "external", settings.databaseUrl().replaceAll("[;?].*", "")); // no options: they may hold a password
    }

    /** The admin API on Camel's embedded HTTP server; its route is added in Java, not from routes/. */
    private void startAdmin() {
        UserStore users = new UserStore(database.dataSource());
        FirstAdmin.ensure(users, settings, System.err);
        adminServer = AdminServer.create(settings, database.dataSource(), auditStore,
                new ConsentOperations(database.dataSource(), () -> governance.current().config(),
                        java.time.Clock.systemUTC()),
                new org.ilinks.history.MessageHistory(database.dataSource(), contentCipher), replays,
                new org.ilinks.replay.MessageEdits(database.dataSource(), contentCipher, java.time.Clock.systemUTC()),
                new EngineStatus(this), java.time.Clock.systemUTC());
        main.configure().httpServer().withEnabled(true).withHost(settings.get(Setting.ADMIN_HOST))
                .withPort(settings.getInt(Setting.ADMIN_PORT))
                .withMaxBodySize(1024 * 1024); // the API's bodies are small JSON objects; bigger ones get 413
        main.configure().addRoutesBuilder(adminServer.routes());
    }

    /**
     * Replay: its own JMS transactions on the routes' connection factory, so that its audit events (sent through the
     * same factory) join them.
     */
    private org.ilinks.replay.Replays replays() {
        javax.sql.DataSource ds = database.dataSource();
        java.time.Clock clock = java.time.Clock.systemUTC();
        org.ilinks.history.MessageHistory messageHistory = new org.ilinks.history.MessageHistory(ds, contentCipher);
        org.ilinks.replay.MessageEdits edits = new org.ilinks.replay.MessageEdits(ds, contentCipher, clock);
        org.springframework.jms.connection.JmsTransactionManager transactions =
                new org.springframework.jms.connection.JmsTransactionManager(brokerConnection.connectionFactory());
        org.ilinks.replay.MessageReplayer replayer = new org.ilinks.replay.MessageReplayer(messageHistory, edits,
                governance::current, new ConsentRegistry(ds), audit, brokerConnection.transactedTemplate(),
                new org.springframework.transaction.support.TransactionTemplate(transactions), ds, patientHolds,
                ods -> extracts == null ? java.util.Optional.empty() : extracts.practices().stream()
                        .filter(p -> p.ods().equals(ods) && !p.format().isHl7())
                        .map(p -> p.format().csvMapping()).findFirst(),
                clock);
        return new org.ilinks.replay.Replays(ds, replayer, messageHistory, edits, governance::current, clock,
                settings.getInt(Setting.REPLAY_RATE_PER_SECOND), settings.getInt(Setting.REPLAY_MAX_MESSAGES));
    }

    /**
     * Practice extracts: each file's records are queued in a JMS transaction of its own on the routes' connection
     * factory, so that the audit events sent with them join it.
     */
    private org.ilinks.extract.Extracts newExtracts() {
        org.springframework.jms.connection.JmsTransactionManager transactions =
                new org.springframework.jms.connection.JmsTransactionManager(brokerConnection.connectionFactory());
        return new org.ilinks.extract.Extracts(settings,
                org.ilinks.extract.PracticeSources.check(settings).practices(), database.dataSource(),
                brokerConnection.transactedTemplate(),
                new org.springframework.transaction.support.TransactionTemplate(transactions), history, audit,
                new ConsentRegistry(database.dataSource()), () -> governance.current().config(),
                new Hl7Inspector(intakeVersions(), Charset.forName(settings.get(Setting.INTAKE_DEFAULT_CHARSET))),
                java.time.Clock.systemUTC());
    }

    /** Practice extracts: their practices, and the status of each. */
    public org.ilinks.extract.Extracts extracts() {
        return extracts;
    }

    /** Messages waiting on a queue, from the embedded broker's own count, or by browsing an external one. */
    long queueDepth(String queue) {
        try {
            return broker != null ? broker.messageCount(queue)
                    : QueueCounts.count(brokerConnection.connectionFactory(), queue);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The admin API, or null when {@code ilinks.admin.enabled} is false. */
    public AdminServer adminServer() {
        return adminServer;
    }

    /** Which patients each hold-patient service holds back behind a parked copy; replay releases them. */
    public PatientHolds patientHolds() {
        return patientHolds;
    }

    public MessageCounters counters() {
        return counters;
    }

    /** What configuration the engine now runs on, by a hash of its files, in the audit trail. */
    private void auditConfiguration(String what, GovernanceConfig config) {
        audit.emitNow(List.of(audit.engineEvent(AuditEventType.CONFIG_LOADED,
                AuditEvent.SUCCESS, null, null, null, null, "configuration " + what + ": " + config.services().size()
                        + " services, " + LiveReload.configurationHash(settings))));
    }

    private Governor governor(GovernanceConfig config) {
        return new Governor(config, new Hl7Inspector(intakeVersions(),
                Charset.forName(settings.get(Setting.INTAKE_DEFAULT_CHARSET))), java.time.Clock.systemUTC());
    }

    private Set<String> intakeVersions() {
        return new LinkedHashSet<>(Arrays.asList(settings.get(Setting.INTAKE_VERSIONS).split("\\s*,\\s*")));
    }

    private void bindBeans() {
        Set<String> versions = intakeVersions();
        IntakeAcknowledger acknowledger = new IntakeAcknowledger(new AckBuilder("ILINKS", "ILINKS"), counters);
        JmsComponent jms = JmsComponent.jmsComponent(brokerConnection.connectionFactory());
        jms.setDestinationResolver(brokerConnection.destinations());
        main.bind("jms", jms);
        // logPhi is a component-wide option of camel-mllp: off, so no HL7 content reaches a log or exception message.
        MllpComponent mllp = new MllpComponent();
        mllp.setLogPhi(false);
        main.bind("mllp", mllp);
        main.bind("intakeAcknowledger", acknowledger);
        main.bind("intakeInspector", new IntakeInspector(versions,
                Charset.forName(settings.get(Setting.INTAKE_DEFAULT_CHARSET)), acknowledger, audit));
        main.bind("auditTrail", audit);
        main.bind("duplicateFilter", new DuplicateFilter(database.dataSource(),
                Duration.ofMinutes(settings.getLong(Setting.DUPLICATE_WINDOW_MINUTES))));
        main.bind("governance", governance);
        main.bind("deliveryConsent", new DeliveryConsentCheck(() -> governance.current().config(),
                new ConsentRegistry(database.dataSource()), new DecisionStore(database.dataSource()),
                java.time.Clock.systemUTC(), audit));
        main.bind("deliveryLog", new DeliveryLog(counters));
        main.bind("parkingLot", new ParkingLot(counters));
        main.bind("patientHolds", patientHolds);
        main.bind("retryBudget", new RetryBudget());
        main.bind("retryDelay", new RetryDelay(audit, history, counters));
        main.bind("history", history);
        main.bind("extractPipeline", extracts.pipeline());
        main.bind("extractPolls", extracts.polls());
        main.bind("historyRetention", new ContentRetention(database.dataSource(), java.time.Clock.systemUTC(),
                Duration.ofDays(settings.getLong(Setting.HISTORY_CONTENT_RETENTION_DAYS))));
        for (String name : KnownBeans.NAMES) {
            if (main.lookup(name, Object.class) == null) {
                throw new IllegalStateException("bean '" + name + "' is listed in KnownBeans but the engine does not bind it");
            }
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public Settings settings() {
        return settings;
    }

    public List<ServiceDefinition> services() {
        return services;
    }

    /** The governance decisions in force now (swapped whole on reload). */
    public Governor governor() {
        return governance.current();
    }

    public javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    public jakarta.jms.ConnectionFactory connectionFactory() {
        return brokerConnection.connectionFactory();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Stops intake and lets in-flight work finish (messages not yet taken stay queued), then broker and database. */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        running = false;
        if (liveReload != null) {
            liveReload.close();
        }
        // First: a replay sends to the service queues itself; the job stops after the message in hand, resumable.
        quietly(() -> replays.close(), replays != null);
        try {
            if (main != null) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.toString());
        }
        quietly(() -> adminServer.close(), adminServer != null);
        // After Camel: the last hops' events are on the queue by now; what the writer has not taken waits there.
        quietly(() -> auditWriter.close(), auditWriter != null);
        quietly(() -> brokerConnection.close(), brokerConnection != null);
        quietly(() -> broker.stop(), broker != null);
        quietly(() -> database.close(), database != null);
        LOG.info("iLINKS engine stopped");
        stopped.countDown();
    }

    /** Applies edits to routes/ and config/services/ now, as the watcher would; returns what stopped it, if anything. */
    public List<org.ilinks.config.ConfigProblem> reloadNow() throws Exception {
        return liveReload.check();
    }

    public boolean isRunning() {
        return running;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step, boolean applies) {
        if (!applies) {
            return;
        }
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("Shutdown step failed: {}", e.toString());
        }
    }
}
