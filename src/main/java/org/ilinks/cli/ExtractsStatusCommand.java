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

/** {@code ilinks extracts status}: per practice, the last poll, today's files and records, the last error. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
                "Per practice: the last poll that reached its SFTP server (this engine's), files and records taken "
                        + "today (England, every engine), the last file and the last error.",
                "Asks the admin API (GET /api/extracts; role analyst or support).",
                "Exit status: 0 shown, 1 the API refused or could not be reached, 2 usage error."
        })
final class ExtractsStatusCommand implements Callable<Integer> {

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
            return ApiSession.run("extracts status", location, connection, err,
                    api -> print(out, api.get("/api/extracts")));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int print(PrintWriter out, JsonNode found) {
        JsonNode practices = found.path("practices");
        if (practices.isEmpty()) {
            out.println("No practice extracts are configured (config/practices/).");
            return AdminApiClient.EXIT_OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PRACTICE", "LAST POLL", "FILES TODAY", "DONE", "PARTIAL", "FAILED", "RECORDS",
                "PARKED", "SERVER"});
        for (JsonNode p : practices) {
            JsonNode t = p.path("today");
            rows.add(new String[] {ApiFields.orDash(p, "ods"), ApiFields.time(p, "lastSuccessfulPoll"),
                    t.path("files").asText(), t.path("done").asText(), t.path("partial").asText(),
                    t.path("failed").asText(), t.path("recordsQueued").asText(), t.path("recordsParked").asText(),
                    ApiFields.orDash(p, "server")});
        }
        Columns.print(out, "", rows);
        for (JsonNode p : practices) {
            JsonNode last = p.path("lastFile");
            if (last.isObject()) {
                out.println(ApiFields.orDash(p, "ods") + ": last file " + ApiFields.orDash(last, "name") + " "
                        + ApiFields.orDash(last, "state").toLowerCase(java.util.Locale.ROOT) + " at "
                        + ApiFields.time(last, "claimedAt")
                        + (ApiFields.text(last, "reason") == null ? "" : ": " + ApiFields.text(last, "reason")));
            }
            if (ApiFields.text(p, "lastError") != null) {
                out.println(ApiFields.orDash(p, "ods") + ": last error at " + ApiFields.time(p, "lastErrorAt") + ": "
                        + ApiFields.text(p, "lastError"));
            }
        }
        return AdminApiClient.EXIT_OK;
    }
}
