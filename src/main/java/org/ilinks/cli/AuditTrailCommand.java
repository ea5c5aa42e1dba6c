package org.ilinks.cli;

import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.SubjectAccessReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilinks audit trail MESSAGE-ID}: every hop of one message, in the order recorded. */
@Command(name = "trail", mixinStandardHelpOptions = true,
        description = {
                "Every hop of one message, in order: time (England), event, outcome, service, actor, detail.",
                "Exit status: 0 shown, 1 the database failed, 2 usage error (no --purpose)."
        })
final class AuditTrailCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(SubjectAccessReport.ZONE);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Parameters(index = "0", paramLabel = "MESSAGE-ID", description = "The engine's message id.")
    String messageId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String missing = AuditSession.purposeMissing("audit trail", person);
            if (missing != null) {
                err.println(missing);
                return AuditSession.EXIT_USAGE;
            }
            String id = messageId.strip();
            return AuditSession.run("audit trail", location, person,
                    new AuditSession.Action("audit trail", null, id, null), err, (db, store, head) -> {
                        List<AuditEvent> events = store.trail(id);
                        out.println("Trail of message " + id + ": " + events.size() + " event(s)");
                        if (!events.isEmpty()) {
                            List<String[]> rows = new ArrayList<>();
                            rows.add(new String[] {"TIME", "EVENT", "OUTCOME", "SERVICE", "ACTOR", "DETAIL"});
                            for (AuditEvent e : events) {
                                rows.add(new String[] {TIME.format(e.recordedAt()), e.type().name(),
                                        outcome(e.outcome()), orDash(e.serviceId()),
                                        e.actorId() + (e.actorAddress() == null ? "" : " " + e.actorAddress()),
                                        orDash(e.detail())});
                            }
                            Columns.print(out, "  ", rows);
                        }
                        return AuditSession.EXIT_OK;
                    });
        } finally {
            out.flush();
            err.flush();
        }
    }

    static String outcome(int code) {
        return switch (code) {
            case AuditEvent.SUCCESS -> "success";
            case AuditEvent.MINOR_FAILURE -> "minor failure";
            case AuditEvent.SERIOUS_FAILURE -> "serious failure";
            default -> "major failure";
        };
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
