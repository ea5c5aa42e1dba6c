package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
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
                "Asks the admin API (GET /api/messages; role analyst or support).",
                "Exit status: 0 listed (even none), 1 the API refused or could not be reached, 2 usage error."
        })
final class MessagesListCommand implements Callable<Integer> {

    private static final int MAX_PAGE_SIZE = 500; // the API's

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Mixin
    AuditDays days;

    @Mixin
    HistoryFilterOptions filter;

    @Option(names = "--id", paramLabel = "MESSAGE-ID", description = "One message id.")
    String messageId;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "Page (default: 1, the newest).")
    int page;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "50",
            description = "Messages a page, up to " + MAX_PAGE_SIZE + " (default: 50).")
    int pageSize;

    @Option(names = "--purpose", paramLabel = "TEXT",
            description = "Why you are looking (a ticket number); optional, recorded with the look.")
    String purpose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String dayProblem = days.problem();
            if (dayProblem != null || page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                err.println("messages list: " + (dayProblem != null ? dayProblem
                        : "--page must be 1 or more and --page-size between 1 and " + MAX_PAGE_SIZE));
                return AdminApiClient.EXIT_USAGE;
            }
            return ApiSession.run("messages list", location, connection, err,
                    api -> print(out, api.get("/api/messages" + AdminApiClient.query(parameters()))));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private Map<String, String> parameters() {
        Map<String, String> q = new LinkedHashMap<>();
        q.putAll(filter.parameters(days));
        q.put("id", messageId);
        q.put("page", Integer.toString(page - 1)); // the API counts pages from 0
        q.put("size", Integer.toString(pageSize));
        q.put("purpose", purpose);
        return q;
    }

    private int print(PrintWriter out, JsonNode found) {
        JsonNode messages = found.path("messages");
        out.println("Messages, newest first, page " + page + ": " + messages.size());
        if (!messages.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"RECEIVED", "MESSAGE ID", "TYPE", "FROM", "CONTROL ID", "SERVICES"});
            for (JsonNode m : messages) {
                rows.add(new String[] {ApiFields.time(m, "receivedAt"), ApiFields.orDash(m, "messageId"),
                        ApiFields.orDash(m, "type"), ApiFields.orDash(m, "sendingFacility"),
                        ApiFields.orDash(m, "controlId"), services(m)});
            }
            Columns.print(out, "  ", rows);
        }
        if (found.path("more").asBoolean()) {
            out.println("More: --page " + (page + 1));
        }
        return AdminApiClient.EXIT_OK;
    }

    private static String services(JsonNode m) {
        switch (String.valueOf(ApiFields.text(m, "routing"))) {
            case "NO_SUBSCRIBER":
                return "no service subscribes";
            case "PARKED":
                return "parked at routing";
            default:
                return StreamSupport.stream(m.path("services").spliterator(), false)
                        .map(MessagesListCommand::state).collect(Collectors.joining(", "));
        }
    }

    private static String state(JsonNode s) {
        int attempts = s.path("attempts").asInt();
        return ApiFields.orDash(s, "service") + " " + ApiFields.orDash(s, "status").toLowerCase(Locale.ROOT)
                + (attempts > 1 ? " (" + attempts + ")" : "");
    }
}
