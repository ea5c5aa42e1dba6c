package org.ilinks.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} and {@code --routes} options shared by every command that loads the engine's configuration. */
public final class ConfigLocation {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "config",
            description = "Folder with application.properties and services/ (default: ${DEFAULT-VALUE}).")
    Path configDir;

    @Option(names = "--routes", paramLabel = "DIR", defaultValue = "routes",
            description = "Folder with the Camel YAML routes (default: ${DEFAULT-VALUE}).")
    Path routesDir;

    public Path configDir() {
        return configDir;
    }

    public Path routesDir() {
        return routesDir;
    }
}
