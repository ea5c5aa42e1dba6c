package org.ilinks.cli;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that say where the admin API is and who is calling it, shared by every command that goes through the
 * API. Credentials: {@code --user NAME} (password from {@value #PASSWORD_VARIABLE} or asked at the terminal without
 * echo), else {@code --token-file FILE}, else the token in {@value #TOKEN_VARIABLE}. The password and token are
 * never printed.
 */
final class ApiConnection {

    static final String TOKEN_VARIABLE = "ILINKS_TOKEN";
    static final String PASSWORD_VARIABLE = "ILINKS_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", paramLabel = "URL",
            description = "The engine's admin API (default: http://<ilinks.admin.host>:<ilinks.admin.port> from "
                    + "the --config folder's application.properties).")
    URI url;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Log in as this admin API user; the password comes from " + PASSWORD_VARIABLE
                    + " or is asked for.")
    String user;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding an API token (else the token in " + TOKEN_VARIABLE + ").")
    Path tokenFile;

    /** Logs in or takes the token; the caller closes the client (which logs out). */
    AdminApiClient open(ConfigLocation location) {
        URI base = url == null ? defaultUrl(location) : url;
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw usage("--url must be an http:// or https:// address, e.g. http://127.0.0.1:8080");
        }
        if (user != null && tokenFile != null) {
            throw usage("give --user or --token-file, not both");
        }
        if (user != null) {
            return AdminApiClient.login(base, user.strip(), password());
        }
        String token = tokenFile != null ? tokenFromFile() : variable(TOKEN_VARIABLE);
        if (token == null || token.isBlank()) {
            throw usage("say who you are: --user NAME (password from " + PASSWORD_VARIABLE + " or asked), "
                    + "--token-file FILE, or an API token in " + TOKEN_VARIABLE);
        }
        return AdminApiClient.withToken(base, token.strip());
    }

    /** Where the engine configured in the config folder serves its API; on every address means on loopback too. */
    static URI defaultUrl(ConfigLocation location) {
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        String host = settings.get(Setting.ADMIN_HOST).strip();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + settings.get(Setting.ADMIN_PORT).strip());
    }

    private char[] password() {
        String fromEnvironment = variable(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw usage("no password for --user: set " + PASSWORD_VARIABLE + " or run the command at a terminal "
                    + "to be asked");
        }
        char[] typed = console.readPassword("Password for %s: ", user.strip());
        if (typed == null || typed.length == 0) {
            throw usage("no password given");
        }
        return typed;
    }

    private String tokenFromFile() {
        try {
            return Files.readString(tokenFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage("cannot read --token-file " + tokenFile + ": " + e.getClass().getSimpleName());
        }
    }

    private String variable(String name) {
        Object root = mixee == null ? null : mixee.root().userObject();
        return root instanceof IlinksCommand ilinks ? ilinks.environment(name) : System.getenv(name);
    }

    private static ApiCallFailed usage(String words) {
        return new ApiCallFailed(words, AdminApiClient.EXIT_USAGE);
    }
}
