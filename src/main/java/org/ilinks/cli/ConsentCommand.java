package org.ilinks.cli;

import org.ilinks.audit.PersonActions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.governance.consent.ConsentCsvFormat;
import org.ilinks.governance.consent.ConsentCsvImporter;
import org.ilinks.governance.consent.ConsentImportReport;
import org.ilinks.governance.consent.ConsentStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks consent}: the consent registry from the command line. {@code ilinks consent import FILE.csv} records
 * the directives in a CSV file (columns: see {@link ConsentCsvFormat}) in the engine's database; {@code record},
 * {@code end} and {@code show} work on one directive or one patient through
 * {@link org.ilinks.governance.consent.ConsentOperations}.
 */
@Command(name = "consent", mixinStandardHelpOptions = true,
        description = "Manage the consent registry (patients' dissent and consent directives).",
        subcommands = {ConsentCommand.Import.class, ConsentRecordCommand.class, ConsentEndCommand.class,
                ConsentShowCommand.class})
public final class ConsentCommand implements Callable<Integer> {

    static final int EXIT_ALL_IMPORTED = 0;
    static final int EXIT_SOME_REJECTED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("consent: name a subcommand: import, record, end or show");
        spec.commandLine().usage(err);
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * {@code ilinks consent import FILE.csv}: good rows are recorded, bad rows are reported by line (never with
     * their values), then {@code imported N, rejected M}. The import is recorded in table consent_import.
     */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {
                    "Record the consent directives in a CSV file in the engine's database.",
                    "",
                    "UTF-8, comma separated, double quotes around a field that holds a comma. The first row is a "
                            + "header naming these columns (any order, all present):",
                    "  nhs_number      10 digits, Modulus 11 valid",
                    "  scope           all | service | category",
                    "  scope_value     service id or category name; empty for scope all",
                    "  decision        dissent | consent",
                    "  effective_from  yyyy-MM-dd, first day in effect",
                    "  effective_to    yyyy-MM-dd, last day in effect; empty = open-ended",
                    "  source_type     practice | patient | clinician",
                    "  source_id       practice ODS code or clinician id; may be empty for patient",
                    "  recorded_by     who recorded it at the source",
                    "  reason          free text, may be empty",
                    "",
                    "Bad rows are reported as 'line N: what is wrong' and skipped; good rows are kept.",
                    "Exit status: 0 every row imported, 1 any row rejected (or the database failed), "
                            + "2 usage error (no file, no header)."
            })
    static final class Import implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigLocation location;

        @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV file to import.")
        Path file;

        @Option(names = "--run-by", paramLabel = "NAME", defaultValue = "${sys:user.name}",
                description = "Who is running the import, for the record (default: the login name, ${DEFAULT-VALUE}).")
        String runBy;

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
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("consent import: cannot read " + file + ": "
                        + (Files.exists(file) ? "not a readable file" : "no such file"));
                return EXIT_USAGE;
            }
            Settings settings = Settings.load(location.configDir(), location.routesDir());
            List<ConfigProblem> problems = settings.problems();
            if (!problems.isEmpty()) {
                problems.forEach(err::println);
                err.println("consent import: nothing imported: " + problems.size() + " problem(s) in the settings");
                return EXIT_USAGE;
            }
            String who = runBy == null || runBy.isBlank() ? "unknown" : runBy.strip();
            try (Database db = Database.open(settings)) {
                PersonActions.record(db.dataSource(), settings, who, "consent import " + file.getFileName(), null, null,
                        null, null);
                ConsentImportReport report = new ConsentCsvImporter(db.dataSource())
                        .importFile(file, who, Instant.now());
                report.problems().forEach(err::println);
                out.println(report.summary());
                return report.rejected() == 0 ? EXIT_ALL_IMPORTED : EXIT_SOME_REJECTED;
            } catch (IllegalArgumentException e) {
                err.println("consent import: " + file + ": " + e.getMessage() + "; nothing imported");
                return EXIT_USAGE;
            } catch (IOException e) {
                err.println("consent import: cannot read " + file + ": " + e.getMessage());
                return EXIT_USAGE;
            } catch (ConsentStoreException e) {
                err.println("consent import: " + e.getMessage() + "; nothing imported");
                return EXIT_SOME_REJECTED;
            } catch (Exception e) {
                err.println("consent import: cannot open the database: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                return EXIT_SOME_REJECTED;
            }
        }
    }
}
