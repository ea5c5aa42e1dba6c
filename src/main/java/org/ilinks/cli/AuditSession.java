package org.ilinks.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.PersonActions;
import org.ilinks.audit.AuditStoreException;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.ilinks.message.MessageIds;

/**
 * Opens what an {@code audit} subcommand works on (the settings, the engine's database, the audit store and its
 * head file), records the person's use of the command as a PERSON_ACTION event, and only then runs the command: a
 * look at the trail that could not itself be recorded does not happen. Failures become one line on stderr and an
 * exit status, the same way for every subcommand.
 */
final class AuditSession {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** What a subcommand does once everything is open and its use recorded; returns its exit status. */
    interface Work {
        int run(Database db, AuditStore store, AuditHeadFile head) throws Exception;
    }

    /** What the PERSON_ACTION event says about this use: the patient, message and service it was about, if any. */
    record Action(String what, String nhsNumber, String messageId, String serviceId) {
    }

    private AuditSession() {
    }

    static int run(String command, ConfigLocation location, AuditPerson person, Action action, PrintWriter err,
                   Work work) {
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        List<ConfigProblem> problems = settings.problems();
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(command + ": nothing done: " + problems.size() + " problem(s) in the settings");
            return EXIT_USAGE;
        }
        AuditHeadFile head = new AuditHeadFile(settings.auditHeadFile());
        try (Database db = Database.open(settings)) {
            AuditStore store = new AuditStore(db.dataSource(), head);
            try {
                PersonActions.record(db.dataSource(), settings, person.user(), action.what(), action.nhsNumber(),
                        action.messageId(), action.serviceId(), person.purpose());
            } catch (AuditStoreException | java.io.UncheckedIOException e) {
                err.println(command + ": nothing done: this use could not be recorded in the audit trail: "
                        + e.getMessage());
                return EXIT_FAILED;
            }
            return work.run(db, store, head);
        } catch (AuditStoreException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println(command + ": cannot open the database: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return EXIT_FAILED;
        }
    }

    /** The usage error when a look-up has no purpose; null when it has one. */
    static String purposeMissing(String command, AuditPerson person) {
        return person.purpose() == null
                ? command + ": nothing shown: --purpose is required: say why you are looking (it is recorded)"
                : null;
    }
}
