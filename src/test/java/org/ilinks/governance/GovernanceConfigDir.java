package org.ilinks.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ilinks.config.Settings;
import org.ilinks.support.TestEngine;

/**
 * A configuration folder for unit tests of the {@link Governor}: services and profiles written as YAML, then loaded
 * through {@link GovernanceConfig#load}, the same loader the engine uses.
 */
final class GovernanceConfigDir {

    private final Path configDir;

    GovernanceConfigDir(Path root) {
        this.configDir = root.resolve("config");
        write("application.properties", "# defaults only\n");
        write("restricted-codes.yaml", SyntheticHl7.RESTRICTED_CODES);
    }

    /** A folder service taking ADT^A01 and ORU^R01, with this governance block and subscription extras. */
    GovernanceConfigDir service(String id, String governance, String subscriptionExtras) {
        write("services/" + id + ".yaml", "id: " + id + "\ndescription: test service " + id + "\nsubscribe:\n"
                + "  messageTypes: [ADT^A01, ORU^R01]\n" + subscriptionExtras + governance
                + "endpoint:\n  folder:\n    path: out/" + id + "\n");
        write("profiles/" + id + ".yaml", TestEngine.KEEP_ALL_PROFILE);
        return this;
    }

    GovernanceConfigDir write(String relative, String text) {
        try {
            Path file = configDir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The configuration, failing the test when it has any problem (a fixture mistake, not what is tested). */
    GovernanceConfig load() {
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(settings());
        if (!loaded.isValid()) {
            throw new IllegalStateException("test configuration has problems: " + loaded.problems());
        }
        return loaded.config();
    }

    Settings settings() {
        return Settings.load(configDir, configDir.resolveSibling("routes"), Map.of());
    }
}
