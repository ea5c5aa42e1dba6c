package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ilinks.history.HistoryFilter;
import org.ilinks.history.MessageHistory;
import org.ilinks.history.MessageSummary;
import org.ilinks.history.ServiceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ilinks messages list [filters]}: messages newest first, a page at a time, with each service's status. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {
                "Messages in the history, newest first: received (England), message id, type, sending facility, "
                        + "MSH-10, and each subscribing service's status (attempts in brackets). No content.",
                "Statuses: queued, withheld, held, failed (retrying), delivered, parked, replayed; not_subscribed "
                        + "for messages no service subscribes to.",
                "Exit status: 0 listed (even none), 1 the database failed, 2 usage error."
        })
final class MessagesListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Mixin
    AuditDays days;

    @Option(names = "--service", paramLabel = "ID", description = "Only messages routed to this service.")
    String service;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only messages with this status (for --service, if given).")
    String status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Message type, e.g. ADT or ADT^A08.")
    String type;

    @Option(names = "--error", paramLabel = "TEXT", description = "Text in the last error (any case).")
    String error;

    @Option(names = "--id", paramLabel = "MESSAGE-ID", description = "One message id.")
    String messageId;

    @Option(names = "--unresolved", description = "Only failed or parked messages not since delivered or replayed.")
    boolean unresolved;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "Page (default: 1, the newest).")
    int page;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "50", description = "Messages a page (default: 50).")
    int pageSize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String dayProblem = days.problem();
            if (dayProblem != null || page < 1 || pageSize < 1 || pageSize > 1000) {
                err.println("messages list: " + (dayProblem != null ? dayProblem
                        : "--page must be 1 or more and --page-size between 1 and 1000"));
                return MessagesSession.EXIT_USAGE;
            }
            HistoryFilter filter;
            try {
                filter = new HistoryFilter(service, status, days.fromInstant(), days.toInstant(), type, error,
                        messageId, unresolved);
            } catch (IllegalArgumentException e) {
                err.println("messages list: " + e.getMessage());
                return MessagesSession.EXIT_USAGE;
            }
            return MessagesSession.run("messages list", location, person,
                    history -> new MessagesSession.Action("messages list" + asOptions(), null), err,
                    history -> print(out, history.list(filter, page - 1, pageSize)));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int print(PrintWriter out, MessageHistory.Page found) {
        out.println("Messages, newest first, page " + (found.page() + 1) + ": " + found.messages().size());
        if (!found.messages().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"RECEIVED", "MESSAGE ID", "TYPE", "FROM", "CONTROL ID", "SERVICES"});
            for (MessageSummary m : found.messages()) {
                rows.add(new String[] {MessagesCommand.time(m.receivedAt()), m.messageId(),
                        m.messageType() + "^" + m.triggerEvent(), orDash(m.sendingFacility()), orDash(m.controlId()),
                        services(m)});
            }
            Columns.print(out, "  ", rows);
        }
        if (found.more()) {
            out.println("More: --page " + (found.page() + 2));
        }
        return MessagesSession.EXIT_OK;
    }

    static String services(MessageSummary m) {
        switch (m.routing()) {
            case NO_SUBSCRIBER:
                return "no service subscribes";
            case PARKED:
                return "parked at routing";
            default:
                return m.services().stream().map(MessagesListCommand::state).collect(Collectors.joining(", "));
        }
    }

    private static String state(ServiceState s) {
        return s.serviceId() + " " + s.status().name().toLowerCase(java.util.Locale.ROOT)
                + (s.attempts() > 1 ? " (" + s.attempts() + ")" : "");
    }

    private String asOptions() {
        StringBuilder o = new StringBuilder();
        option(o, "--service", service);
        option(o, "--status", status);
        option(o, "--type", type);
        option(o, "--error", error);
        option(o, "--id", messageId);
        o.append(days.asOptions());
        if (unresolved) {
            o.append(" --unresolved");
        }
        return o.toString();
    }

    private static void option(StringBuilder o, String name, String value) {
        if (value != null && !value.isBlank()) {
            o.append(' ').append(name).append(' ').append(value.strip());
        }
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
