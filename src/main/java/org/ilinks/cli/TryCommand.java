package org.ilinks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.consent.ConsentCsvFile;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.trial.DryRun;
import org.ilinks.governance.trial.Trial;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.hl7.Hl7Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks try [--service ID]... [--consent FILE.csv]... [--at DATE-TIME] FILE...}: for analysts, before a feed
 * or a configuration change goes live. For every message in the files it prints what the running engine would
 * decide for each service (subscription, protection, NHS number, consent, restricted data) and why, and the exact
 * message each service would receive with what was removed or changed. It reads the configuration exactly as
 * {@code run} does ({@link GovernanceConfig#load}) but starts no broker and opens no database: consent directives
 * come from {@code --consent} files, held in memory.
 *
 * <p>Exit status: 0 when every message was tried (whatever was decided), 1 when the configuration has problems,
 * 2 for a usage error (unknown service, unreadable file, bad consent file, bad {@code --at}).
 */
@Command(name = "try", mixinStandardHelpOptions = true,
        description = {
                "Show, without sending anything, what the engine would do with each message in the files: for each "
                        + "service, whether it would be sent, withheld, held or not subscribed and why, what "
                        + "would be removed or changed, and the exact message the service would receive.",
                "Reads the same configuration as run. Starts no broker and opens no database: the consent "
                        + "registry is not read; give consent directives with --consent (consent import format).",
                "Exit status: 0 every message tried, 1 configuration problems, 2 usage error."
        })
public final class TryCommand implements Callable<Integer> {

    static final int EXIT_TRIED = 0;
    static final int EXIT_CONFIG_PROBLEMS = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "HL7 v2 files (.hl7); a file may hold several messages or an FHS/BHS batch.")
    List<Path> files;

    @Option(names = "--service", paramLabel = "ID",
            description = "Show only this service (repeat for more). Default: every service.")
    List<String> serviceIds = new ArrayList<>();

    @Option(names = "--consent", paramLabel = "FILE.csv",
            description = "Consent directives to try, in the format of 'consent import' (repeatable). Held in "
                    + "memory only; nothing is recorded.")
    List<Path> consentFiles = new ArrayList<>();

    @Option(names = "--at", paramLabel = "DATE-TIME",
            description = "The moment to judge consent at, so that results can be reproduced: 2026-11-29T10:00:00Z, "
                    + "2026-11-29T10:00 (UK time) or 2026-11-29 (start of the day, UK time). Default: now.")
    String at;

    @Option(names = {"--no-body", "--quiet-body"},
            description = "Leave out the messages the services would receive; show only decisions and changes.")
    boolean noBody;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        Instant now;
        try {
            now = at == null ? Instant.now() : moment(at);
        } catch (DateTimeParseException e) {
            err.println("try: --at '" + at + "' is not a date-time: use e.g. 2026-11-29T10:00:00Z, 2026-11-29T10:00 "
                    + "or 2026-11-29");
            return EXIT_USAGE;
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("try: cannot read " + file + ": " + (Files.exists(file) ? "not a readable file"
                        : "no such file"));
                return EXIT_USAGE;
            }
        }
        List<ConsentDirective> directives = new ArrayList<>();
        List<String> consentLines = new ArrayList<>();
        if (!readConsent(now, directives, consentLines, err)) {
            return EXIT_USAGE;
        }
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(settings);
        List<ConfigProblem> problems = new ArrayList<>(settings.problems());
        problems.addAll(loaded.problems());
        if (!problems.isEmpty()) {
            problems.stream().distinct().forEach(err::println);
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " found; nothing was tried.");
            return EXIT_CONFIG_PROBLEMS;
        }
        List<String> known = loaded.config().services().stream().map(ServiceDefinition::id).toList();
        Set<String> shown = new LinkedHashSet<>(serviceIds);
        List<String> unknown = shown.stream().filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            err.println("try: no service " + String.join(", ", unknown.stream().map(id -> "'" + id + "'").toList())
                    + " in " + settings.servicesDir() + " (services: " + String.join(", ", known) + ")");
            return EXIT_USAGE;
        }
        Hl7Inspector inspector;
        try {
            inspector = intakeInspector(settings);
        } catch (IllegalArgumentException e) {
            err.println("try: intake settings unusable: " + e.getMessage());
            return EXIT_CONFIG_PROBLEMS;
        }

        out.println("try: judged at " + now);
        if (consentFiles.isEmpty()) {
            out.println("try: no consent directives (try does not read the consent registry; use --consent FILE.csv)");
        } else {
            consentLines.forEach(out::println);
        }
        DryRun dryRun = new DryRun(loaded.config(), inspector, now, directives);
        TryReport report = new TryReport(out, shown, !noBody);
        boolean everyFileHadMessages = true;
        for (int f = 0; f < files.size(); f++) {
            everyFileHadMessages &= tryFile(files.get(f), f + 1, dryRun, report, out, err);
        }
        return everyFileHadMessages ? EXIT_TRIED : EXIT_USAGE;
    }

    private boolean tryFile(Path file, int fileNumber, DryRun dryRun, TryReport report, PrintWriter out,
                            PrintWriter err) {
        Hl7FileReader.Hl7File content;
        try {
            content = Hl7FileReader.read(file);
        } catch (IOException e) {
            err.println("try: cannot read " + file + ": " + e.getMessage());
            return false;
        }
        out.println();
        content.warnings().forEach(w -> out.println(file + ": warning: " + w));
        content.trailerWarnings().forEach(w -> out.println(file + ": warning: " + w));
        List<byte[]> messages = content.messages();
        if (messages.isEmpty()) {
            err.println("try: " + file + ": no HL7 message found (nothing starts with MSH)");
            return false;
        }
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.println();
            }
            Trial trial = dryRun.run(messages.get(i), "try-" + fileNumber + "-" + (i + 1));
            report.header(file.toString(), i + 1, messages.size(), trial.inspection().header());
            report.trial(trial);
        }
        return true;
    }

    /** Reads every --consent file; false (with the problems printed) when any is unusable. */
    private boolean readConsent(Instant now, List<ConsentDirective> directives, List<String> lines, PrintWriter err) {
        boolean ok = true;
        for (Path csv : consentFiles) {
            try {
                // As if imported just before the messages arrived: a directive a message records is newer.
                ConsentCsvFile.Read read = ConsentCsvFile.read(csv, now.minusSeconds(1), directives.size() + 1L);
                if (!read.problems().isEmpty()) {
                    read.problems().forEach(p -> err.println("try: " + csv + ": " + p));
                    ok = false;
                }
                directives.addAll(read.directives());
                lines.add("try: " + read.directives().size() + " consent directive(s) from " + csv
                        + " (held in memory; try does not read the consent registry)");
            } catch (IOException | IllegalArgumentException e) {
                err.println("try: " + csv + ": " + (e instanceof IOException && !Files.exists(csv) ? "no such file"
                        : e.getMessage()));
                ok = false;
            }
        }
        if (!ok) {
            err.println("try: fix the consent file(s); nothing was tried");
        }
        return ok;
    }

    /** The inspector intake uses, made from the same settings as the engine's ({@code Engine.intakeVersions}). */
    static Hl7Inspector intakeInspector(Settings settings) {
        Set<String> versions = new LinkedHashSet<>(Arrays.asList(settings.get(Setting.INTAKE_VERSIONS)
                .split("\\s*,\\s*")));
        return new Hl7Inspector(versions, Charset.forName(settings.get(Setting.INTAKE_DEFAULT_CHARSET).strip()));
    }

    static Instant moment(String text) {
        String t = text.strip();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(t).atZone(ConsentDecider.ZONE).toInstant();
                } catch (DateTimeParseException notLocal) {
                    return LocalDate.parse(t).atStartOfDay(ConsentDecider.ZONE).toInstant();
                }
            }
        }
    }
}
