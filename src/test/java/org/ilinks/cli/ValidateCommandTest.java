package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ilinks validate} through picocli, on configurations written into a temporary folder. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(String... args) {
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private void writeGoodConfig() throws Exception {
        Files.createDirectories(dir.resolve("config/services"));
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("config/application.properties"), "ilinks.intake.mllp.port=2575\n");
        Files.writeString(dir.resolve("config/services/sefton-asc.yaml"), """
                id: sefton-asc
                description: Sefton adult social care
                subscribe:
                  messageTypes: [ADT^A01, ADT^A03]
                endpoint:
                  queue: {name: sefton.asc.adt}
                governance: {consent: opt-out}
                """);
        Files.writeString(dir.resolve("config/services/aintree-ae.yaml"), """
                id: aintree-ae
                description: A&E, Aintree
                subscribe:
                  messageTypes: ["ADT^*"]
                endpoint:
                  mllp: {host: 127.0.0.1, port: 6661}
                governance: {consent: opt-out}
                """);
        Files.createDirectories(dir.resolve("config/profiles"));
        Files.writeString(dir.resolve("config/profiles/sefton-asc.yaml"), "segments: {PID: all}\n");
        Files.writeString(dir.resolve("config/profiles/aintree-ae.yaml"), "segments: {PID: all}\n");
        Files.writeString(dir.resolve("routes/intake.yaml"), """
                - route:
                    id: ilinks-intake
                    from:
                      uri: "mllp:{{ilinks.intake.mllp.host}}:{{ilinks.intake.mllp.port}}"
                      steps:
                        - bean:
                            ref: intakeInspector
                """);
    }

    @Test
    void goodConfigExitsZeroAndNamesTheServices() throws Exception {
        writeGoodConfig();

        int exit = validate("validate", "--config", dir.resolve("config").toString(),
                "--routes", dir.resolve("routes").toString());

        assertThat(err.toString()).isEmpty();
        assertThat(out.toString().strip()).isEqualTo("OK: 2 services, 1 route files (aintree-ae, sefton-asc)");
        assertThat(exit).isZero();
    }

    @Test
    void problemsGoToStderrOneALineWithASummaryAndExitOne() throws Exception {
        writeGoodConfig();
        Path services = dir.resolve("config/services");
        Files.writeString(services.resolve("aintree-ae.yaml"),
                Files.readString(services.resolve("aintree-ae.yaml")).replace("port: 6661", "port: 66a1"));
        Files.writeString(dir.resolve("routes/intake.yaml"),
                Files.readString(dir.resolve("routes/intake.yaml")).replace("intakeInspector", "intakeInspektor"));

        int exit = validate("validate", "--config", dir.resolve("config").toString(),
                "--routes", dir.resolve("routes").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().toList()).containsExactly(
                services.resolve("aintree-ae.yaml") + ":6: port must be a whole number, not '66a1'",
                dir.resolve("routes/intake.yaml") + ":7: unknown bean 'intakeInspektor'",
                "2 problems found; nothing was started.");
    }

    @Test
    void theShippedConfigurationValidatesOnceItsKeysExist() throws Exception {
        Path project = Path.of(System.getProperty("ilinks.project.dir", "."));
        Path config = dir.resolve("config");
        try (var files = Files.walk(project.resolve("config"))) {
            // A developer's own keys must not make the test pass where a fresh clone would fail.
            for (Path from : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".key"))
                    .filter(f -> !f.getParent().endsWith("practice-keys") || f.endsWith("README.md")).toList()) {
                Path to = config.resolve(project.resolve("config").relativize(from).toString());
                Files.createDirectories(to.getParent());
                Files.copy(from, to);
            }
        }
        String[] args = {"validate", "--config", config.toString(), "--routes", project.resolve("routes").toString()};

        assertThat(validate(args)).isEqualTo(1);
        assertThat(err.toString()).contains("planning-open-data.key does not exist")
                .contains("practice-keys/ilinks_n82001 is not a readable file")
                .contains("practice-keys/ilinks_n81013 is not a readable file")
                .contains("practice-keys/known_hosts is not a readable file");

        // What an installation does (config/profiles/keys/README.md, config/practice-keys/README.md): make the
        // pseudonymisation key and the practice key, and add the practice server's host key.
        Files.writeString(config.resolve("profiles/keys/planning-open-data.key"),
                java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(32)));
        Path practiceKeys = config.resolve("practice-keys");
        org.ilinks.support.SftpKeys.generate(practiceKeys, "ilinks_n82001");
        org.ilinks.support.SftpKeys.generate(practiceKeys, "ilinks_n81013");
        String hostKey = Files.readString(org.ilinks.support.SftpKeys.generate(dir, "server-host-key").publicKey())
                .strip();
        org.ilinks.support.SftpKeys.knownHosts(practiceKeys.resolve("known_hosts"), "sftp.parksurgery.example.nhs.uk "
                + hostKey + "\nsftp.orchardpractice.example.nhs.uk " + hostKey);
        err.getBuffer().setLength(0);
        assertThat(validate(args)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("OK: 7 services");
    }

    @Test
    void missingFoldersAreProblemsNotStackTraces() {
        int exit = validate("validate", "--config", dir.resolve("nope").toString(),
                "--routes", dir.resolve("nada").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("nope/application.properties") + ": missing")
                .contains(dir.resolve("nada") + ": missing: the routes folder was not found")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void defaultsAreConfigAndRoutesUnderTheWorkingDirectory() {
        CommandLine cl = IlinksCommand.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("validate");
        ValidateCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertThat(command.location.configDir()).isEqualTo(Path.of("config"));
        assertThat(command.location.routesDir()).isEqualTo(Path.of("routes"));
    }
}
