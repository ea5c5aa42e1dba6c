package org.ilinks.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The engine's settings: {@code config/application.properties}, overridden by an environment variable, overridden
 * in turn by {@code -Dkey=value}. The one place settings are read; everything else asks this object.
 */
public final class Settings {

    public static final String FILE_NAME = "application.properties";

    private final Path configDir;
    private final Path routesDir;
    private final Map<String, String> values;
    private final List<ConfigProblem> problems;

    private Settings(Path configDir, Path routesDir, Map<String, String> values, List<ConfigProblem> problems) {
        this.configDir = configDir;
        this.routesDir = routesDir;
        this.values = values;
        this.problems = problems;
    }

    /** Reads the settings of the engine whose config and routes live in these folders. Problems are kept, not thrown. */
    public static Settings load(Path configDir, Path routesDir) {
        return load(configDir, routesDir, System.getenv(), System.getProperties(), Map.of());
    }

    /** As {@link #load(Path, Path)}, with explicit overrides that win over everything (tests, demo, benchmark). */
    public static Settings load(Path configDir, Path routesDir, Map<String, String> overrides) {
        return load(configDir, routesDir, System.getenv(), System.getProperties(), overrides);
    }

    static Settings load(Path configDir, Path routesDir, Map<String, String> env, Properties system,
                         Map<String, String> overrides) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            values.put(s.key(), s.defaultValue());
        }
        Path file = configDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            readFile(file, values, problems);
        } else {
            problems.add(ConfigProblem.at(file, 0, "missing: the engine's settings file was not found"));
        }
        for (Setting s : Setting.values()) {
            String fromEnv = env.get(s.environmentVariable());
            if (fromEnv != null) {
                values.put(s.key(), fromEnv);
            }
        }
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("ilinks.") || name.startsWith("camel.")) {
                values.put(name, system.getProperty(name));
            }
        }
        values.putAll(overrides);
        return new Settings(configDir, routesDir, values, problems);
    }

    private static void readFile(Path file, Map<String, String> values, List<ConfigProblem> problems) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(ConfigProblem.at(file, 0, "cannot be read: " + e.getMessage()));
            return;
        }
        Map<String, Integer> lines = keyLines(file);
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key).trim();
            if (key.startsWith("ilinks.") && Setting.byKey(key).isEmpty()) {
                problems.add(ConfigProblem.at(file, lines.getOrDefault(key, 0), "unknown setting '" + key + "'"));
                continue;
            }
            values.put(key, value);
        }
    }

    private static Map<String, Integer> keyLines(Path file) {
        Map<String, Integer> lines = new HashMap<>();
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < all.size(); i++) {
                String line = all.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                    continue;
                }
                String key = line.split("[=:\\s]", 2)[0];
                lines.putIfAbsent(key, i + 1);
            }
        } catch (IOException ignored) {
            // the caller already reported the unreadable file
        }
        return lines;
    }

    /** Problems found while reading and checking the settings (unknown keys, values of the wrong kind). */
    public List<ConfigProblem> problems() {
        List<ConfigProblem> all = new ArrayList<>(problems);
        Path file = configDir.resolve(FILE_NAME);
        Map<String, Integer> lines = Files.isRegularFile(file) ? keyLines(file) : Map.of();
        for (Setting s : List.of(Setting.INTAKE_PORT, Setting.INTAKE_MAX_CONNECTIONS, Setting.INTAKE_IDLE_TIMEOUT_MS,
                Setting.DUPLICATE_WINDOW_MINUTES, Setting.BROKER_PORT, Setting.ROUTING_CONSUMERS,
                Setting.DELIVERY_CONSUMERS, Setting.DELIVERY_MAX_ATTEMPTS, Setting.DELIVERY_INITIAL_DELAY_MS,
                Setting.DELIVERY_MAX_DELAY_MS, Setting.RELOAD_INTERVAL_MS, Setting.ADMIN_PORT,
                Setting.ADMIN_SESSION_IDLE_MINUTES, Setting.ADMIN_SESSION_MAX_HOURS, Setting.ADMIN_LOGIN_MAX_FAILURES,
                Setting.ADMIN_LOGIN_WINDOW_MINUTES, Setting.HISTORY_CONTENT_RETENTION_DAYS,
                Setting.HISTORY_RETENTION_INTERVAL_MS, Setting.EXTRACT_CLAIM_TIMEOUT_MS)) {
            try {
                long v = Long.parseLong(get(s));
                if (v < 0) {
                    all.add(ConfigProblem.at(file, lines.getOrDefault(s.key(), 0), s.key() + " must not be negative"));
                }
            } catch (NumberFormatException e) {
                all.add(ConfigProblem.at(file, lines.getOrDefault(s.key(), 0),
                        s.key() + " must be a whole number, not '" + get(s) + "'"));
            }
        }
        range(all, file, lines, Setting.INTAKE_PORT, 1, 65535);
        range(all, file, lines, Setting.BROKER_PORT, 0, 65535);
        range(all, file, lines, Setting.INTAKE_MAX_CONNECTIONS, 1, 100_000);
        range(all, file, lines, Setting.ROUTING_CONSUMERS, 1, 256);
        range(all, file, lines, Setting.DELIVERY_CONSUMERS, 1, 256);
        range(all, file, lines, Setting.DELIVERY_MAX_ATTEMPTS, 1, 1000);
        range(all, file, lines, Setting.RELOAD_INTERVAL_MS, 100, 3_600_000);
        range(all, file, lines, Setting.ADMIN_PORT, 1, 65535);
        range(all, file, lines, Setting.ADMIN_SESSION_IDLE_MINUTES, 1, 24 * 60);
        range(all, file, lines, Setting.ADMIN_SESSION_MAX_HOURS, 1, 24 * 7);
        range(all, file, lines, Setting.ADMIN_LOGIN_MAX_FAILURES, 1, 1000);
        range(all, file, lines, Setting.ADMIN_LOGIN_WINDOW_MINUTES, 1, 24 * 60);
        range(all, file, lines, Setting.HISTORY_CONTENT_RETENTION_DAYS, 1, 36_500);
        range(all, file, lines, Setting.HISTORY_RETENTION_INTERVAL_MS, 1_000, 86_400_000);
        range(all, file, lines, Setting.EXTRACT_CLAIM_TIMEOUT_MS, 1_000, 86_400_000);
        try {
            if (Double.parseDouble(get(Setting.DELIVERY_BACKOFF_MULTIPLIER).trim()) < 1) {
                all.add(ConfigProblem.at(file, lines.getOrDefault(Setting.DELIVERY_BACKOFF_MULTIPLIER.key(), 0),
                        Setting.DELIVERY_BACKOFF_MULTIPLIER.key() + " must be 1 or more"));
            }
        } catch (NumberFormatException e) {
            all.add(ConfigProblem.at(file, lines.getOrDefault(Setting.DELIVERY_BACKOFF_MULTIPLIER.key(), 0),
                    Setting.DELIVERY_BACKOFF_MULTIPLIER.key() + " must be a number, not '"
                            + get(Setting.DELIVERY_BACKOFF_MULTIPLIER) + "'"));
        }
        for (Setting s : List.of(Setting.TRACE_STATUS_REQUIRED, Setting.RELOAD_ENABLED, Setting.AUDIT_ENABLED,
                Setting.ADMIN_ENABLED)) {
            String v = get(s).strip();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                all.add(ConfigProblem.at(file, lines.getOrDefault(s.key(), 0), s.key() + " must be true or false, not '"
                        + v + "'"));
            }
        }
        if (get(Setting.INTAKE_VERSIONS).isBlank()) {
            all.add(ConfigProblem.at(file, lines.getOrDefault(Setting.INTAKE_VERSIONS.key(), 0),
                    Setting.INTAKE_VERSIONS.key() + " must list at least one HL7 version"));
        }
        try {
            java.nio.charset.Charset.forName(get(Setting.INTAKE_DEFAULT_CHARSET));
        } catch (RuntimeException e) {
            all.add(ConfigProblem.at(file, lines.getOrDefault(Setting.INTAKE_DEFAULT_CHARSET.key(), 0),
                    "unknown charset '" + get(Setting.INTAKE_DEFAULT_CHARSET) + "'"));
        }
        return Collections.unmodifiableList(all);
    }

    private void range(List<ConfigProblem> all, Path file, Map<String, Integer> lines, Setting s, long min, long max) {
        try {
            long v = Long.parseLong(get(s).trim());
            if (v >= 0 && (v < min || v > max)) { // a negative value is reported once, above
                all.add(ConfigProblem.at(file, lines.getOrDefault(s.key(), 0),
                        s.key() + " must be between " + min + " and " + max + ", not " + v));
            }
        } catch (NumberFormatException e) {
            // reported above as not a whole number
        }
    }

    public String get(Setting setting) {
        return values.getOrDefault(setting.key(), setting.defaultValue());
    }

    public int getInt(Setting setting) {
        return Integer.parseInt(get(setting).trim());
    }

    public long getLong(Setting setting) {
        return Long.parseLong(get(setting).trim());
    }

    public double getDouble(Setting setting) {
        return Double.parseDouble(get(setting).trim());
    }

    public boolean getBoolean(Setting setting) {
        return Boolean.parseBoolean(get(setting).trim());
    }

    public Path configDir() {
        return configDir;
    }

    public Path routesDir() {
        return routesDir;
    }

    public Path servicesDir() {
        return configDir.resolve("services");
    }

    /** Practice extract sources, one file per practice, named by its ODS code. */
    public Path practicesDir() {
        String dir = get(Setting.EXTRACT_PRACTICES_DIR).strip();
        return dir.isEmpty() ? configDir.resolve("practices") : configDir.resolve(dir);
    }

    /** Minimisation profiles, one per service, named after it. */
    public Path profilesDir() {
        return configDir.resolve("profiles");
    }

    /** Code lists of legally restricted and sensitive data, by category. */
    public Path restrictedCodesFile() {
        return configDir.resolve("restricted-codes.yaml");
    }

    /** Coded entries that record or end a consent directive when they arrive in a message. */
    public Path consentCodesFile() {
        return configDir.resolve("consent-codes.yaml");
    }

    /** The audit chain's head, kept outside the database: see {@link Setting#AUDIT_HEAD_FILE}. */
    public Path auditHeadFile() {
        String configured = get(Setting.AUDIT_HEAD_FILE).strip();
        return configured.isEmpty() ? dataDir().resolve("audit").resolve("head") : Path.of(configured);
    }

    /** The key that encrypts message content at rest, or null when none is set: see {@link Setting#HISTORY_KEY_FILE}. */
    public Path historyKeyFile() {
        String configured = get(Setting.HISTORY_KEY_FILE).strip();
        return configured.isEmpty() ? null : Path.of(configured);
    }

    /** This engine's name in the audit trail: see {@link Setting#NODE_NAME}. */
    public String nodeName() {
        String configured = get(Setting.NODE_NAME).strip();
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "ilinks";
        }
    }

    public Path dataDir() {
        return Path.of(get(Setting.DATA_DIR)).toAbsolutePath().normalize();
    }

    /**
     * The JDBC URL in force: the configured one, or an H2 file database under the data dir. The H2 default is in
     * mixed mode (AUTO_SERVER): the first process to open the file serves it to later ones, so {@code ilinks consent}
     * works while the engine runs instead of failing on the file lock.
     */
    public String databaseUrl() {
        String url = get(Setting.DB_URL);
        if (url.isBlank()) {
            return "jdbc:h2:file:" + dataDir().resolve("db").resolve("ilinks") + ";AUTO_SERVER=TRUE";
        }
        return url;
    }

    /** Everything, as Camel property-placeholder values ({@code {{ilinks.intake.mllp.port}}} in routes). */
    public Properties asProperties() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        p.setProperty("ilinks.data.dir", dataDir().toString());
        return p;
    }
}
