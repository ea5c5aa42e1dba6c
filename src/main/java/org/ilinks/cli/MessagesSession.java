package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import org.ilinks.audit.PersonActions;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.history.ContentCipher;
import org.ilinks.history.MessageHistory;

/**
 * Opens what a {@code messages} subcommand reads (the settings, the engine's database, the content key when one is
 * configured), records the person's use of the command as a PERSON_ACTION in the audit trail, and only then runs the
 * command: a look at the history that could not be recorded does not happen. The database is opened as the engine
 * opens it, so the commands work while the engine runs.
 */
final class MessagesSession {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** What a subcommand does once its use is recorded; returns its exit status. */
    interface Work {
        int run(MessageHistory history) throws Exception;
    }

    /** What the PERSON_ACTION says about this use; for one message, its patient is looked up from the history. */
    record Action(String what, String messageId) {
    }

    private MessagesSession() {
    }

    static int run(String command, ConfigLocation location, AuditPerson person, Function<MessageHistory, Action> action,
                   PrintWriter err, Work work) {
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        List<ConfigProblem> problems = settings.problems();
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(command + ": nothing shown: " + problems.size() + " problem(s) in the settings");
            return EXIT_USAGE;
        }
        ContentCipher cipher;
        try {
            cipher = settings.historyKeyFile() == null ? ContentCipher.none()
                    : ContentCipher.fromKeyFile(settings.historyKeyFile());
        } catch (IllegalArgumentException e) {
            err.println(command + ": nothing shown: " + e.getMessage());
            return EXIT_FAILED;
        }
        try (Database db = Database.open(settings)) {
            MessageHistory history = new MessageHistory(db.dataSource(), cipher);
            Action what = action.apply(history);
            try {
                PersonActions.record(db.dataSource(), settings, person.user(), what.what(),
                        what.messageId() == null ? null : history.patientOf(what.messageId()), what.messageId(), null,
                        person.purpose());
            } catch (RuntimeException e) {
                err.println(command + ": nothing shown: this use could not be recorded in the audit trail: "
                        + e.getClass().getSimpleName());
                return EXIT_FAILED;
            }
            return work.run(history);
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println(command + ": cannot open the database: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return EXIT_FAILED;
        }
    }
}
