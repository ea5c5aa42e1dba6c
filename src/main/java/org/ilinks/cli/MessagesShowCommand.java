package org.ilinks.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ilinks.history.MessageHistory;
import org.ilinks.history.MessageSummary;
import org.ilinks.history.ServiceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks messages show MESSAGE-ID}: one message's metadata and what became of it for each service; with
 * {@code --content} (and a {@code --purpose}, recorded first) the message as received.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
                "One message: its MSH facts, how routing ended, and per service governance's decision and reason, "
                        + "status, attempts, last error and times (England). No content unless --content.",
                "--content prints the message as received (patient data): it needs --purpose, which is recorded in "
                        + "the audit trail with who asked, before anything is shown.",
                "Exit status: 0 shown, 1 not found, content removed or the database failed, 2 usage error."
        })
final class MessagesShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Parameters(index = "0", paramLabel = "MESSAGE-ID", description = "The engine's message id.")
    String messageId;

    @Option(names = "--content", description = "Also print the message as received (patient data; needs --purpose).")
    boolean content;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (content && person.purpose() == null) {
                err.println("messages show: nothing shown: --content needs --purpose: say why you are looking "
                        + "(it is recorded)");
                return MessagesSession.EXIT_USAGE;
            }
            String id = messageId.strip();
            String what = "messages show " + id + (content ? " --content" : "");
            return MessagesSession.run("messages show", location, person,
                    history -> new MessagesSession.Action(what, id), err, history -> show(history, id, out, err));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int show(MessageHistory history, String id, PrintWriter out, PrintWriter err) {
        Optional<MessageSummary> found = history.show(id);
        if (found.isEmpty()) {
            err.println("messages show: no message " + id + " in the history");
            return MessagesSession.EXIT_FAILED;
        }
        MessageSummary m = found.get();
        out.println("Message " + m.messageId());
        out.println("  received     " + MessagesCommand.time(m.receivedAt()));
        out.println("  routed       " + MessagesCommand.time(m.routedAt()));
        out.println("  type         " + m.messageType() + "^" + m.triggerEvent() + " (HL7 " + m.version() + ")");
        out.println("  from         " + m.sendingApplication() + " at " + m.sendingFacility());
        out.println("  control id   " + m.controlId());
        out.println("  routing      " + switch (m.routing()) {
            case ROUTED -> "routed to " + m.services().size() + " subscribing service(s)";
            case NO_SUBSCRIBER -> "no service subscribes to it";
            case PARKED -> "parked at routing: " + m.routingReason();
        });
        out.println("  content      " + (m.contentKept()
                ? m.contentSize() + " bytes kept" + (m.contentEncrypted() ? ", encrypted" : ", not encrypted")
                : "removed " + MessagesCommand.time(m.contentRemovedAt()) + " (retention)"));
        out.println("  unresolved   " + (m.unresolved() ? "yes" : "no"));
        if (!m.services().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SERVICE", "STATUS", "ATTEMPTS", "DECIDED", "LAST ATTEMPT", "DELIVERED", "WHY"});
            for (ServiceState s : m.services()) {
                rows.add(new String[] {s.serviceId(), s.status().words(), Integer.toString(s.attempts()),
                        MessagesCommand.time(s.decidedAt()), MessagesCommand.time(s.lastAttemptAt()),
                        MessagesCommand.time(s.deliveredAt()), why(s)});
            }
            Columns.print(out, "  ", rows);
        }
        if (!content) {
            return MessagesSession.EXIT_OK;
        }
        Optional<byte[]> body = history.revealPatientContent(id);
        if (body.isEmpty()) {
            err.println("messages show: the content of " + id + " is no longer kept (retention)");
            return MessagesSession.EXIT_FAILED;
        }
        out.println("Content as received (patient data):");
        for (String segment : MessageHistory.readable(body.get()).split("\r\n|\r|\n")) {
            out.println("  " + segment);
        }
        return MessagesSession.EXIT_OK;
    }


    private static String why(ServiceState s) {
        String decision = s.reasonCode() + ": " + s.reason();
        return s.lastError() == null ? decision : decision + "; last error: " + s.lastError();
    }
}
