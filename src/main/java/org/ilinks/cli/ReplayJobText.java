package org.ilinks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A replay job as the API answers it (POST or GET /api/replay...), in lines for a person. */
final class ReplayJobText {

    static final String[] COUNTS = {"queued", "withheld", "held", "refused", "failed"};

    private ReplayJobText() {
    }

    /** One line: id, state, progress and counts. */
    static String progress(JsonNode job) {
        StringBuilder s = new StringBuilder("Replay " + ApiFields.orDash(job, "jobId") + ": "
                + ApiFields.orDash(job, "state") + ", " + job.path("done").asInt() + " of " + job.path("total").asInt()
                + " done (");
        for (int i = 0; i < COUNTS.length; i++) {
            s.append(i == 0 ? "" : ", ").append(COUNTS[i]).append(' ').append(job.path("counts").path(COUNTS[i]).asInt());
        }
        return s.append(')').toString();
    }

    /** The progress line, who asked and why, then each item's outcome when the answer has them. */
    static void print(PrintWriter out, JsonNode job) {
        out.println(progress(job));
        out.println("  requested by " + ApiFields.orDash(job, "requestedBy") + ": " + ApiFields.orDash(job, "reason"));
        JsonNode items = job.path("items");
        if (items.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MESSAGE ID", "SERVICE", "OUTCOME", "DETAIL"});
        for (JsonNode item : items) {
            rows.add(new String[] {ApiFields.orDash(item, "messageId"), ApiFields.orDash(item, "service"),
                    ApiFields.orDash(item, "outcome"), ApiFields.orDash(item, "detail")});
        }
        Columns.print(out, "  ", rows);
    }

    static boolean running(JsonNode job) {
        return "RUNNING".equals(ApiFields.text(job, "state"));
    }

    /** Ended, every item done, none refused or failed: what exit status 0 means after --wait. */
    static boolean allWell(JsonNode job) {
        return "DONE".equals(ApiFields.text(job, "state")) && job.path("counts").path("refused").asInt() == 0
                && job.path("counts").path("failed").asInt() == 0;
    }
}
