package org.ilinks.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.extract.ExtractReports.PracticeReport;

/**
 * {@code GET /api/extracts}: each practice's extract status for analysts and support: the last poll that reached
 * its server, the last error, the files and records taken today and the last file's end. File names, counts and
 * reasons only: never a record.
 */
final class ExtractEndpoints {

    private final EngineView engine;

    ExtractEndpoints(EngineView engine) {
        this.engine = engine;
    }

    List<Endpoint> endpoints() {
        return List.of(Endpoint.needs(Permission.MESSAGE_METADATA, "GET", "/api/extracts", this::status));
    }

    private ApiResponse status(ApiRequest request) {
        request.onlyQuery();
        List<Map<String, Object>> practices = engine.extracts().stream().map(ExtractEndpoints::practice).toList();
        return ApiResponse.json(Map.of("practices", practices));
    }

    private static Map<String, Object> practice(PracticeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ods", r.ods());
        m.put("description", r.description());
        m.put("server", r.server());
        m.put("lastSuccessfulPoll", text(r.lastSuccessfulPoll()));
        m.put("lastErrorAt", text(r.lastErrorAt()));
        m.put("lastError", r.lastError());
        Map<String, Object> today = new LinkedHashMap<>();
        today.put("files", r.filesToday());
        today.put("done", r.filesDone());
        today.put("partial", r.filesPartial());
        today.put("failed", r.filesFailed());
        today.put("inProgress", r.filesInProgress());
        today.put("recordsQueued", r.recordsQueued());
        today.put("recordsParked", r.recordsParked());
        m.put("today", today);
        if (r.lastFile() != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("name", r.lastFile().name());
            last.put("state", r.lastFile().state());
            last.put("claimedAt", text(r.lastFile().claimedAt()));
            last.put("reason", r.lastFile().reason());
            m.put("lastFile", last);
        } else {
            m.put("lastFile", null);
        }
        return m;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
