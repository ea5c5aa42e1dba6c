package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ilinks replay send}: starts a replay job (POST /api/replay) and, with {@code --wait}, follows it to its end. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {
                "Starts a replay job for the messages named by --id, or found by the filter options (as messages "
                        + "list), oldest first, to every service that subscribes to each today, or only to --to-service (a "
                        + "filter's --service replays to that service).",
                "Governance is applied again: a copy may be withheld or held. A copy already delivered is sent again "
                        + "only with --force.",
                "Exit status: 0 started (with --wait: ended with nothing refused or failed), 1 the API refused, "
                        + "could not be reached, or (with --wait) the job stopped or some item was refused or "
                        + "failed, 2 usage error."
        })
final class ReplaySendCommand implements Callable<Integer> {

    private static final long POLL_MILLIS = 1000;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Mixin
    AuditDays days;

    @Option(names = "--id", paramLabel = "MESSAGE-ID", description = "A message to replay (repeat for more).")
    List<String> ids;

    @Mixin
    HistoryFilterOptions filter;

    @Option(names = "--to-service", paramLabel = "ID",
            description = "Replay to this service only (default: the filter's --service if given, else every "
                    + "service subscribing today).")
    String toService;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why (a ticket number and words); recorded with the job.")
    String reason;

    @Option(names = "--force", description = "Also send again copies the service has already been delivered.")
    boolean force;

    @Option(names = "--rate", paramLabel = "N",
            description = "Messages a second (default: the engine's ilinks.replay.rate-per-second).")
    Integer rate;

    @Option(names = "--wait", description = "Print progress until the job ends, then each message's outcome.")
    boolean waitForEnd;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String problem = problem();
            if (problem != null) {
                err.println("replay send: " + problem);
                return AdminApiClient.EXIT_USAGE;
            }
            return ApiSession.run("replay send", location, connection, err, api -> {
                JsonNode job = api.post("/api/replay", body());
                if (!waitForEnd) {
                    ReplayJobText.print(out, job);
                    out.println("Follow it: ilinks replay status " + ApiFields.orDash(job, "jobId"));
                    return AdminApiClient.EXIT_OK;
                }
                JsonNode ended = follow(api, job, out);
                ReplayJobText.print(out, ended);
                return ReplayJobText.allWell(ended) ? AdminApiClient.EXIT_OK : AdminApiClient.EXIT_FAILED;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Polls the job, printing a line each time its progress changes, until it is no longer running. */
    private static JsonNode follow(AdminApiClient api, JsonNode job, PrintWriter out) {
        String path = "/api/replay/" + AdminApiClient.segment(ApiFields.orDash(job, "jobId"));
        String last = ReplayJobText.progress(job);
        out.println(last);
        out.flush();
        while (ReplayJobText.running(job)) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiCallFailed("stopped waiting; the job goes on: ilinks replay status "
                        + ApiFields.orDash(job, "jobId"), AdminApiClient.EXIT_FAILED);
            }
            job = api.get(path);
            String now = ReplayJobText.progress(job);
            if (!now.equals(last)) {
                out.println(now);
                out.flush();
                last = now;
            }
        }
        return job;
    }

    private String problem() {
        boolean byId = ids != null && !ids.isEmpty();
        boolean byFilter = filter.given(days);
        if (byId == byFilter) {
            return "name the messages: --id ID..., or filter options (--service, --status, --from, --to, --type, "
                    + "--error, --unresolved), not both";
        }
        if (days.problem() != null) {
            return days.problem();
        }
        if (reason.isBlank()) {
            return "--reason must say why";
        }
        return rate != null && rate < 1 ? "--rate must be 1 or more" : null;
    }

    private ObjectNode body() {
        ObjectNode body = AdminApiClient.object();
        if (ids != null && !ids.isEmpty()) {
            ids.forEach(id -> body.withArray("ids").add(id.strip()));
        } else {
            ObjectNode given = body.putObject("filter");
            filter.parameters(days).forEach((name, value) -> {
                if ("unresolved".equals(name)) {
                    if (value != null) {
                        given.put(name, true); // the API takes a boolean here
                    }
                } else {
                    putIfGiven(given, name, value);
                }
            });
        }
        putIfGiven(body, "service", toService);
        body.put("reason", reason.strip());
        body.put("force", force);
        if (rate != null) {
            body.put("ratePerSecond", rate);
        }
        return body;
    }

    private static void putIfGiven(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value.strip());
        }
    }
}
