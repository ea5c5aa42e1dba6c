package org.ilinks.cli;

import java.time.Instant;
import java.time.LocalDate;
import org.ilinks.audit.SubjectAccessReport;
import picocli.CommandLine.Option;

/** The {@code --from} and {@code --to} days of the audit queries: whole days in England, both included. */
final class AuditDays {

    @Option(names = "--from", paramLabel = "yyyy-MM-dd", description = "First day included (England).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "yyyy-MM-dd", description = "Last day included (England).")
    LocalDate to;

    /** The first instant included, or null. */
    Instant fromInstant() {
        return from == null ? null : from.atStartOfDay(SubjectAccessReport.ZONE).toInstant();
    }

    /** The first instant after the last day, or null. */
    Instant toInstant() {
        return to == null ? null : to.plusDays(1).atStartOfDay(SubjectAccessReport.ZONE).toInstant();
    }

    /** The usage error when the days are the wrong way round; null when they are fine. */
    String problem() {
        return from != null && to != null && to.isBefore(from) ? "--to is before --from" : null;
    }

    /** The days as options, for the record of what was asked. */
    String asOptions() {
        return (from == null ? "" : " --from " + from) + (to == null ? "" : " --to " + to);
    }

    String asWords() {
        if (from == null && to == null) {
            return "all dates";
        }
        return (from == null ? "the beginning" : from.toString()) + " to " + (to == null ? "now" : to.toString());
    }
}
