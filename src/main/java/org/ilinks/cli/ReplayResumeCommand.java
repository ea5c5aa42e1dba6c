package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code ilinks replay resume JOB} (POST /api/replay/{jobId}/resume). */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resumes a stopped replay job with the messages still pending.",
                "Exit status: 0 done, 1 no such job, refused (409) or the API could not be reached, 2 usage error."})
final class ReplayResumeCommand extends ReplayJobCommand {

    @Override
    JsonNode ask(AdminApiClient api, String jobPath) {
        return api.post(jobPath + "/resume", null);
    }
}
