package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ilinks replay list}: the replay jobs, newest first (GET /api/replay). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"The replay jobs, newest first: state, progress, counts, who asked and why.",
                "Exit status: 0 listed (even none), 1 the API refused or could not be reached, 2 usage error."})
final class ReplayListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ApiSession.run("replay list", location, connection, err, api -> {
                JsonNode answer = api.get("/api/replay");
                JsonNode jobs = answer.isArray() ? answer : answer.path("jobs");
                out.println("Replay jobs, newest first: " + jobs.size());
                if (!jobs.isEmpty()) {
                    List<String[]> rows = new ArrayList<>();
                    List<String> head = new ArrayList<>(List.of("JOB", "STATE", "DONE", "BY"));
                    for (String c : ReplayJobText.COUNTS) {
                        head.add(c.toUpperCase(java.util.Locale.ROOT));
                    }
                    head.add("REASON");
                    rows.add(head.toArray(String[]::new));
                    for (JsonNode job : jobs) {
                        List<String> row = new ArrayList<>(List.of(ApiFields.orDash(job, "jobId"),
                                ApiFields.orDash(job, "state"), job.path("done").asInt() + "/" + job.path("total")
                                        .asInt(), ApiFields.orDash(job, "requestedBy")));
                        for (String c : ReplayJobText.COUNTS) {
                            row.add(Integer.toString(job.path("counts").path(c).asInt()));
                        }
                        row.add(ApiFields.orDash(job, "reason"));
                        rows.add(row.toArray(String[]::new));
                    }
                    Columns.print(out, "  ", rows);
                }
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
