package org.ilinks.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The message-history filter {@code messages list} and {@code replay send} both take: the same options, meaning what
 * the same parameters of {@code GET /api/messages} mean. The days ({@code --from}, {@code --to}) are {@link AuditDays}.
 */
final class HistoryFilterOptions {

    @Option(names = "--service", paramLabel = "ID", description = "Only messages routed to this service.")
    String service;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only messages with this status, e.g. parked (for --service, if given).")
    String status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Message type, e.g. ADT or ADT^A08.")
    String type;

    @Option(names = "--error", paramLabel = "TEXT", description = "Text in the last error (any case).")
    String error;

    @Option(names = "--unresolved", description = "Only failed or parked messages not since delivered or replayed.")
    boolean unresolved;

    /** Whether any filter option (the days included) was given. */
    boolean given(AuditDays days) {
        return service != null || status != null || type != null || error != null || days.from != null
                || days.to != null || unresolved;
    }

    /** The filter as the API's parameters, in order; absent ones are null. */
    Map<String, String> parameters(AuditDays days) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("service", service);
        p.put("status", status);
        p.put("from", days.fromInstant() == null ? null : days.fromInstant().toString());
        p.put("to", days.toInstant() == null ? null : days.toInstant().toString());
        p.put("type", type);
        p.put("error", error);
        p.put("unresolved", unresolved ? "true" : null);
        return p;
    }
}
