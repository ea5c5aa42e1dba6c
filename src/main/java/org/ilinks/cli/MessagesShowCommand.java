package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ilinks.history.DeliveryStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks messages show MESSAGE-ID}: one message's metadata and what became of it for each service; with
 * {@code --content} (and a {@code --purpose}, recorded first by the API) the message as received.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
                "One message: its MSH facts, how routing ended, and per service governance's decision and reason, "
                        + "status, attempts, last error and times (England). No content unless --content.",
                "--content prints the message as received (patient data): it needs --purpose and the body role; "
                        + "the API records who asked and why before anything is shown.",
                "Asks the admin API (GET /api/messages/{id}, and /content; role analyst or support, and body).",
                "Exit status: 0 shown, 1 not found, content removed, or the API refused or could not be reached, "
                        + "2 usage error."
        })
final class MessagesShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Parameters(index = "0", paramLabel = "MESSAGE-ID", description = "The engine's message id.")
    String messageId;

    @Option(names = "--content", description = "Also print the message as received (patient data; needs --purpose).")
    boolean content;

    @Option(names = "--purpose", paramLabel = "TEXT",
            description = "Why you are looking (a request number, a complaint reference): recorded in the audit "
                    + "trail. Required with --content.")
    String purpose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (content && (purpose == null || purpose.isBlank())) {
                err.println("messages show: nothing shown: --content needs --purpose: say why you are looking "
                        + "(it is recorded)");
                return AdminApiClient.EXIT_USAGE;
            }
            String path = "/api/messages/" + AdminApiClient.segment(messageId);
            String asked = AdminApiClient.query(java.util.Collections.singletonMap("purpose", purpose));
            return ApiSession.run("messages show", location, connection, err, api -> {
                print(out, api.get(path + asked));
                if (content) {
                    out.println("Content as received (patient data):");
                    for (String segment : api.getText(path + "/content" + asked).split("\r\n|\r|\n")) {
                        out.println("  " + segment);
                    }
                }
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static void print(PrintWriter out, JsonNode m) {
        out.println("Message " + ApiFields.orDash(m, "messageId"));
        out.println("  received     " + ApiFields.time(m, "receivedAt"));
        out.println("  routed       " + ApiFields.time(m, "routedAt"));
        out.println("  type         " + ApiFields.orDash(m, "type") + " (HL7 " + ApiFields.orDash(m, "version") + ")");
        out.println("  from         " + ApiFields.orDash(m, "sendingApplication") + " at "
                + ApiFields.orDash(m, "sendingFacility"));
        out.println("  control id   " + ApiFields.orDash(m, "controlId"));
        out.println("  routing      " + switch (String.valueOf(ApiFields.text(m, "routing"))) {
            case "NO_SUBSCRIBER" -> "no service subscribes to it";
            case "PARKED" -> "parked at routing: " + ApiFields.orDash(m, "routingReason");
            default -> "routed to " + m.path("services").size() + " subscribing service(s)";
        });
        out.println("  content      " + (m.path("contentKept").asBoolean()
                ? m.path("contentSize").asInt() + " bytes kept"
                        + (m.path("contentEncrypted").asBoolean() ? ", encrypted" : ", not encrypted")
                : "removed " + ApiFields.time(m, "contentRemovedAt") + " (retention)"));
        out.println("  unresolved   " + (m.path("unresolved").asBoolean() ? "yes" : "no"));
        if (m.path("services").isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "STATUS", "ATTEMPTS", "DECIDED", "LAST ATTEMPT", "DELIVERED", "WHY"});
        for (JsonNode s : m.path("services")) {
            rows.add(new String[] {ApiFields.orDash(s, "service"), status(ApiFields.orDash(s, "status")),
                    Integer.toString(s.path("attempts").asInt()), ApiFields.time(s, "decidedAt"),
                    ApiFields.time(s, "lastAttemptAt"), ApiFields.time(s, "deliveredAt"), why(s)});
        }
        Columns.print(out, "  ", rows);
    }

    /** The status in the history's own words; a status this CLI does not know is shown as sent. */
    private static String status(String name) {
        for (DeliveryStatus s : DeliveryStatus.values()) {
            if (s.name().equals(name)) {
                return s.words();
            }
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static String why(JsonNode s) {
        String decision = ApiFields.orDash(s, "reasonCode") + ": " + ApiFields.orDash(s, "reason");
        String lastError = ApiFields.text(s, "lastError");
        return lastError == null ? decision : decision + "; last error: " + lastError;
    }
}
