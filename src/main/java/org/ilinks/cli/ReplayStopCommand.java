package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code ilinks replay stop JOB} (POST /api/replay/{jobId}/stop). */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops a running replay job after the message it is on; the rest stay pending until resume.",
                "Exit status: 0 done, 1 no such job, refused (409) or the API could not be reached, 2 usage error."})
final class ReplayStopCommand extends ReplayJobCommand {

    @Override
    JsonNode ask(AdminApiClient api, String jobPath) {
        return api.post(jobPath + "/stop", null);
    }
}
