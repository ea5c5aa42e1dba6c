package org.ilinks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;

/**
 * A real engine for a test: its own data dir, config and a copy of the project's routes under a temp folder, its
 * own MLLP port, the embedded broker and H2. Services are written as YAML files, exactly as an analyst would.
 */
public final class TestEngine implements AutoCloseable {

    private final Path root;
    private final Path configDir;
    private final Path routesDir;
    private final Path dataDir;
    private final int port;
    private final int adminPort;
    private final Map<String, String> overrides = new HashMap<>();
    private Engine engine;

    public TestEngine(Path root) {
        this.root = root;
        this.configDir = root.resolve("config");
        this.routesDir = root.resolve("routes");
        this.dataDir = root.resolve("data");
        this.port = freePort();
        this.adminPort = freePort();
        try {
            Files.createDirectories(configDir.resolve("services"));
            Files.createDirectories(routesDir);
            try (Stream<Path> routes = Files.list(projectDir().resolve("routes"))) {
                for (Path r : routes.toList()) {
                    Files.copy(r, routesDir.resolve(r.getFileName()));
                }
            }
            Files.writeString(configDir.resolve("application.properties"), "ilinks.intake.mllp.host=127.0.0.1\n");
            Files.writeString(root.resolve("admin-password"), ADMIN_PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        overrides.put("ilinks.intake.mllp.port", Integer.toString(port));
        overrides.put("ilinks.data.dir", dataDir.toString());
        overrides.put("ilinks.reload.enabled", "false");
        overrides.put("ilinks.delivery.initial-delay-ms", "100");
        overrides.put("ilinks.delivery.max-delay-ms", "500");
        overrides.put("ilinks.admin.port", Integer.toString(adminPort));
        overrides.put("ilinks.admin.initial-password-file", root.resolve("admin-password").toString());
    }

    /** The password of the first admin (user {@code admin}) of every test engine. */
    public static final String ADMIN_PASSWORD = "test-admin-password-1";

    /** The admin API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("ilinks.project.dir", ".")).toAbsolutePath().normalize();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestEngine set(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /**
     * Governance for test services that are not about governance: opt-out, every patient sent, protected records
     * received. Tests about governance write their own block.
     */
    public static final String OPEN_GOVERNANCE = "governance:\n  consent: opt-out\n  unverifiedNhsNumber: send\n"
            + "  protectedRecords: receive\n";

    /**
     * A profile keeping whole every segment the tests send, for services whose tests are not about minimisation
     * (every service needs a profile).
     */
    public static final String KEEP_ALL_PROFILE = "description: test profile, keeps every segment the tests use\n"
            + "segments:\n" + java.util.stream.Stream.of("EVN", "PID", "PD1", "PV1", "PV2", "NK1", "ORC", "OBR", "OBX",
                    "NTE", "AL1", "DG1", "MRG", "ZPI").map(seg -> "  " + seg + ": all\n").collect(
                    java.util.stream.Collectors.joining());

    /** Writes a service file; a service without a profile gets {@link #KEEP_ALL_PROFILE}. */
    public TestEngine service(String fileName, String yaml) {
        try {
            Files.writeString(configDir.resolve("services").resolve(fileName), yaml, StandardCharsets.UTF_8);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?m)^id:\\s*(\\S+)").matcher(yaml);
            if (id.find()) {
                Path profile = configDir.resolve("profiles").resolve(id.group(1) + ".yaml");
                if (!Files.exists(profile)) {
                    profile(id.group(1), KEEP_ALL_PROFILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes (or replaces) a practice extract source, {@code config/practices/<ods>.yaml}. */
    public TestEngine practice(String ods, String yaml) {
        try {
            Files.createDirectories(configDir.resolve("practices"));
            Files.writeString(configDir.resolve("practices").resolve(ods + ".yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes (or replaces) a service's minimisation profile. */
    public TestEngine profile(String serviceId, String yaml) {
        try {
            Files.createDirectories(configDir.resolve("profiles"));
            Files.writeString(configDir.resolve("profiles").resolve(serviceId + ".yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A service delivering over MLLP to 127.0.0.1:port. */
    public TestEngine mllpService(String id, int receiverPort, String... messageTypes) {
        return service(id + ".yaml", "id: " + id + "\ndescription: test service " + id + "\nsubscribe:\n  messageTypes: ["
                + types(messageTypes) + "]\n" + OPEN_GOVERNANCE + "endpoint:\n  mllp:\n    host: 127.0.0.1\n    port: "
                + receiverPort + "\n    connectTimeoutMs: 1000\n    ackTimeoutMs: 3000\ndelivery:\n  maxAttempts: 3\n");
    }

    /** A service delivering to a folder under the data dir (out/&lt;id&gt;). */
    public TestEngine folderService(String id, String... messageTypes) {
        return service(id + ".yaml", "id: " + id + "\ndescription: test service " + id + "\nsubscribe:\n  messageTypes: ["
                + types(messageTypes) + "]\n" + OPEN_GOVERNANCE + "endpoint:\n  folder:\n    path: out/" + id + "\n");
    }

    public TestEngine queueService(String id, String queue, String... messageTypes) {
        return service(id + ".yaml", "id: " + id + "\ndescription: test service " + id + "\nsubscribe:\n  messageTypes: ["
                + types(messageTypes) + "]\n" + OPEN_GOVERNANCE + "endpoint:\n  queue:\n    name: " + queue + "\n");
    }

    private static String types(String... messageTypes) {
        return String.join(", ", java.util.Arrays.stream(messageTypes).map(t -> "\"" + t + "\"").toList());
    }

    public Settings settings() {
        return Settings.load(configDir, routesDir, overrides);
    }

    public TestEngine start() throws Exception {
        engine = Engine.start(settings());
        return this;
    }

    public Engine engine() {
        return engine;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path configDir() {
        return configDir;
    }

    public Path routesDir() {
        return routesDir;
    }

    public Path folderOut(String serviceId) {
        return dataDir.resolve("out").resolve(serviceId);
    }

    public Path root() {
        return root;
    }

    public void stop() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
