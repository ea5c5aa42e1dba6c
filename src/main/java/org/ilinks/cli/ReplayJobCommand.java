package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code replay status|stop|resume JOB} share: one job, asked of the admin API, printed the same way. */
abstract class ReplayJobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id, as replay send or replay list printed it.")
    String jobId;

    /** The API call for the job at {@code jobPath} ({@code /api/replay/<id>}). */
    abstract JsonNode ask(AdminApiClient api, String jobPath);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ApiSession.run("replay " + spec.name(), location, connection, err, api -> {
                ReplayJobText.print(out, ask(api, "/api/replay/" + AdminApiClient.segment(jobId)));
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
