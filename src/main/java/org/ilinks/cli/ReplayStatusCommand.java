package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code ilinks replay status JOB}: one replay job with each message's outcome (GET /api/replay/{jobId}). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"One replay job: its state, counts, who asked and why, and each message's outcome.",
                "Exit status: 0 shown, 1 no such job or the API refused or could not be reached, 2 usage error."})
final class ReplayStatusCommand extends ReplayJobCommand {

    @Override
    JsonNode ask(AdminApiClient api, String jobPath) {
        return api.get(jobPath);
    }
}
