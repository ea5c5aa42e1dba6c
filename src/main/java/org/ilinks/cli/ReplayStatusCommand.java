package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilinks replay status JOB}: one replay job with each message's outcome (GET /api/replay/{jobId}). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"One replay job: its state, counts, who asked and why, and each message's outcome.",
                "Exit status: 0 shown, 1 no such job or the API refused or could not be reached, 2 usage error."})
final class ReplayStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    ApiConnection connection;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id, as replay send or replay list printed it.")
    String jobId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ApiSession.run("replay status", location, connection, err, api -> {
                ReplayJobText.print(out, api.get("/api/replay/" + AdminApiClient.segment(jobId)));
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
