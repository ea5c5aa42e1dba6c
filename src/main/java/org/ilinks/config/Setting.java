package org.ilinks.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting the engine reads, with its default and what it is for. The README's settings table is this list.
 * Any other {@code ilinks.*} key in application.properties is reported as unknown, so a typo never goes unnoticed.
 */
public enum Setting {
    DATA_DIR("ilinks.data.dir", "./data",
            "Folder for the embedded broker journal, the H2 database and relative folder endpoints."),
    INTAKE_HOST("ilinks.intake.mllp.host", "0.0.0.0", "Address the MLLP intake listens on."),
    INTAKE_PORT("ilinks.intake.mllp.port", "2575", "Port the MLLP intake listens on."),
    INTAKE_MAX_CONNECTIONS("ilinks.intake.mllp.max-connections", "1000",
            "Most MLLP connections served at once (one thread each)."),
    INTAKE_IDLE_TIMEOUT_MS("ilinks.intake.mllp.idle-timeout-ms", "0",
            "Close an intake connection idle this long; 0 keeps it open until the sender closes it."),
    INTAKE_DEFAULT_CHARSET("ilinks.intake.default-charset", "UTF-8",
            "Charset of a message whose MSH-18 is empty."),
    INTAKE_VERSIONS("ilinks.intake.accepted-versions", "2.1,2.2,2.3,2.3.1,2.4,2.5,2.5.1,2.6,2.7,2.7.1,2.8,2.8.1,2.8.2",
            "HL7 versions (MSH-12) accepted; others get AR."),
    DUPLICATE_WINDOW_MINUTES("ilinks.intake.duplicate-window-minutes", "1440",
            "A message with the same MSH-3, MSH-4 and MSH-10 as one received this recently is ACKed but not routed again."),
    BROKER_URL("ilinks.broker.url", "",
            "Empty: the embedded Artemis broker under the data dir. Otherwise an Artemis URL, e.g. tcp://mq1:61616 or (tcp://mq1:61616,tcp://mq2:61616)?ha=true."),
    BROKER_USER("ilinks.broker.user", "", "User for an external broker."),
    BROKER_PASSWORD("ilinks.broker.password", "", "Password for an external broker (prefer the environment variable)."),
    BROKER_PORT("ilinks.broker.embedded.port", "0",
            "Also open the embedded broker on this TCP port (for trusts consuming their queues); 0 keeps it in-process only."),
    BROKER_HOST("ilinks.broker.embedded.host", "127.0.0.1",
            "Address that TCP port listens on. The embedded broker has no users yet: keep it on loopback or a trusted network."),
    DB_URL("ilinks.db.url", "", "JDBC URL of the engine database. Empty: an H2 file under the data dir. PostgreSQL: jdbc:postgresql://host:5432/ilinks."),
    DB_USER("ilinks.db.user", "", "Database user."),
    DB_PASSWORD("ilinks.db.password", "", "Database password (prefer the environment variable)."),
    ROUTING_CONSUMERS("ilinks.routing.consumers", "4", "Parallel consumers routing the intake queue (order per patient is kept)."),
    DELIVERY_CONSUMERS("ilinks.delivery.consumers", "4", "Default parallel deliveries per service (order per patient is kept)."),
    DELIVERY_MAX_ATTEMPTS("ilinks.delivery.max-attempts", "5",
            "Default attempts for a message the service answers AE before it is parked."),
    DELIVERY_INITIAL_DELAY_MS("ilinks.delivery.initial-delay-ms", "1000", "Default first retry delay."),
    DELIVERY_BACKOFF_MULTIPLIER("ilinks.delivery.backoff-multiplier", "2", "Default growth of the retry delay."),
    DELIVERY_MAX_DELAY_MS("ilinks.delivery.max-delay-ms", "60000", "Default longest retry delay."),
    TRACE_STATUS_REQUIRED("ilinks.governance.trace-status-required", "false",
            "true: a valid NHS number with no PID-32 trace status counts as not verified (each service's unverifiedNhsNumber then applies). false: only a PID-32 other than 01 does."),
    AUDIT_ENABLED("ilinks.audit.enabled", "true",
            "Record every hop in the audit trail. Off only to measure what auditing costs."),
    AUDIT_HEAD_FILE("ilinks.audit.head-file", "",
            "Append-only file holding the head of the audit chain, outside the database. Empty: <data dir>/audit/head."),
    HISTORY_CONTENT_RETENTION_DAYS("ilinks.history.content-retention-days", "30",
            "Days a message's original content is kept in the message history (longer while unresolved); its metadata is kept for ever."),
    HISTORY_KEY_FILE("ilinks.history.key-file", "",
            "File holding the 256-bit key (64 hex digits) that encrypts message content at rest (AES-256-GCM). Empty: content is stored unencrypted."),
    HISTORY_RETENTION_INTERVAL_MS("ilinks.history.retention-interval-ms", "3600000",
            "How often message content past its retention is removed."),
    REPLAY_RATE_PER_SECOND("ilinks.replay.rate-per-second", "20",
            "Default pace of a replay: messages per second (a request may ask for 1 to 1000)."),
    REPLAY_MAX_MESSAGES("ilinks.replay.max-messages", "10000",
            "Most messages one replay request may select (by ids or by filter)."),
    EXTRACT_CLAIM_TIMEOUT_MS("ilinks.extract.claim-timeout-ms", "900000",
            "A practice file claimed by another engine that has not finished it within this time is taken over (that engine is taken to have died). Longer than the slowest file takes."),
    EXTRACT_PRACTICES_DIR("ilinks.extract.practices-dir", "",
            "Folder of the practice files (one per practice, <ODS code>.yaml); relative paths are under the config folder. Empty: practices/ under the config folder."),
    NODE_NAME("ilinks.node.name", "", "This engine's name in the audit trail (source and actor). Empty: the host name."),
    RELOAD_ENABLED("ilinks.reload.enabled", "true", "Watch routes/ and config/ (services, profiles, code lists) and reload edits while running."),
    RELOAD_INTERVAL_MS("ilinks.reload.interval-ms", "2000", "How often the watched folders are checked."),
    ADMIN_ENABLED("ilinks.admin.enabled", "true", "Serve the admin API (and /health, /metrics) over HTTP."),
    ADMIN_HOST("ilinks.admin.host", "127.0.0.1", "Address the admin API listens on."),
    ADMIN_PORT("ilinks.admin.port", "8080", "Port the admin API listens on."),
    ADMIN_TRUSTED_PROXIES("ilinks.admin.trusted-proxies", "",
            "Addresses of reverse proxies (comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed."),
    ADMIN_SESSION_IDLE_MINUTES("ilinks.admin.session-idle-minutes", "30",
            "A login session unused this long ends."),
    ADMIN_SESSION_MAX_HOURS("ilinks.admin.session-max-hours", "8",
            "A login session ends this long after the login, however busy."),
    ADMIN_LOGIN_MAX_FAILURES("ilinks.admin.login-max-failures", "5",
            "Failed logins allowed per user name, and per client address, within ilinks.admin.login-window-minutes; more are refused (429)."),
    ADMIN_LOGIN_WINDOW_MINUTES("ilinks.admin.login-window-minutes", "5",
            "The window failed logins are counted in, and how long a refused login waits."),
    ADMIN_INITIAL_PASSWORD_FILE("ilinks.admin.initial-password-file", "",
            "When there is no user yet: a file holding the first admin's password (user admin)."),
    ADMIN_PASSWORD("ilinks.admin.password", "",
            "When there is no user yet and no password file: the first admin's password (prefer the environment variable). Neither: a one-time password is printed at first start.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable that overrides this setting: {@code ilinks.intake.mllp.port} → {@code ILINKS_INTAKE_MLLP_PORT}. */
    public String environmentVariable() {
        return environmentVariableFor(key);
    }

    public static String environmentVariableFor(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
