package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilinks replay stop JOB} (POST /api/replay/{jobId}/stop). */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops a running replay job after the message it is on; the rest stay pending until resume.",
                "Exit status: 0 done, 1 no such job, refused (409) or the API could not be reached, 2 usage error."})
final class ReplayStopCommand implements Callable<Integer> {

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
            return ApiSession.run("replay stop", location, connection, err, api -> {
                ReplayJobText.print(out, api.post("/api/replay/" + AdminApiClient.segment(jobId) + "/stop",
                        null));
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
