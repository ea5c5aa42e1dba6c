package org.ilinks.cli;

import org.ilinks.audit.PersonActions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.governance.consent.ConsentStoreException;

/**
 * Opens what a {@code consent} subcommand works on (the settings, the engine's database, the governance
 * configuration when asked for) and turns failures into one line on stderr and an exit status, the same way for
 * every subcommand. The database is opened as the engine opens it, so a command works while the engine runs (H2
 * serves its file to later processes; PostgreSQL is a server anyway).
 */
final class ConsentSession {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** What a subcommand does once everything is open; returns its exit status. */
    interface Work {
        int run(ConsentOperations operations, Supplier<GovernanceConfig.Loaded> config) throws Exception;
    }

    private ConsentSession() {
    }

    /**
     * @param command  the subcommand's name, for messages ("consent record")
     * @param nothing  what did not happen when it fails ("nothing recorded")
     * @param naming   puts the command's own names for fields into a problem sentence
     */
    static int run(String command, String nothing, ConfigLocation location, PrintWriter err,
                   UnaryOperator<String> naming, String nhsNumber, Work work) {
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        List<ConfigProblem> problems = settings.problems();
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(command + ": " + nothing + ": " + problems.size() + " problem(s) in the settings");
            return EXIT_USAGE;
        }
        Supplier<GovernanceConfig.Loaded> config = once(() -> GovernanceConfig.load(settings));
        try (Database db = Database.open(settings)) {
            try {
                PersonActions.record(db.dataSource(), settings, System.getProperty("user.name"), command,
                        org.ilinks.hl7.NhsNumber.isValid(nhsNumber) ? org.ilinks.hl7.NhsNumber.normalise(nhsNumber) : null,
                        null, null, null);
            } catch (RuntimeException e) {
                err.println(command + ": " + nothing + ": this use could not be recorded in the audit trail: "
                        + e.getClass().getSimpleName());
                return EXIT_FAILED;
            }
            ConsentOperations operations = new ConsentOperations(db.dataSource(), () -> config.get().config(),
                    Clock.systemUTC());
            return work.run(operations, config);
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + nothing + ": " + naming.apply(String.valueOf(e.getMessage())));
            return EXIT_USAGE;
        } catch (ConsentStoreException e) {
            err.println(command + ": " + nothing + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println(command + ": cannot open the database: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return EXIT_FAILED;
        }
    }

    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
