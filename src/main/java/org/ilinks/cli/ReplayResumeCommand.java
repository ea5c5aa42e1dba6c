package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilinks replay resume JOB} (POST /api/replay/{jobId}/resume). */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes a stopped replay job with the messages still pending.",
                "Exit status: 0 done, 1 no such job, refused (409) or the API could not be reached, 2 usage error."})
final class ReplayResumeCommand implements Callable<Integer> {

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
            return ApiSession.run("replay resume", location, connection, err, api -> {
                ReplayJobText.print(out, api.post("/api/replay/" + AdminApiClient.segment(jobId) + "/resume",
                        null));
                return AdminApiClient.EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
