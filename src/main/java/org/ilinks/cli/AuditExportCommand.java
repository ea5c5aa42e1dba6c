package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ilinks.audit.AuditCsv;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditStore;
import org.ilinks.audit.FhirAuditEvents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ilinks audit export}: the trail, or part of it, streamed to stdout for a SIEM. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
                "Stream audit events to stdout, in sequence order: FHIR R4 AuditEvent resources as NDJSON (one JSON "
                        + "resource per line), or CSV with a header row.",
                "Exit status: 0 exported, 1 the database failed, 2 usage error (no --format or --purpose)."
        })
final class AuditExportCommand implements Callable<Integer> {

    enum Format { fhir, csv }

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Mixin
    AuditDays days;

    @Option(names = "--format", required = true, paramLabel = "fhir|csv",
            description = "fhir (NDJSON FHIR R4 AuditEvent) or csv.")
    Format format;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type (e.g. DELIVERED).")
    AuditEventType type;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only events about this service.")
    String service;

    @Option(names = "--message", paramLabel = "MESSAGE-ID", description = "Only events about this message.")
    String message;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String problem = days.problem();
            if (problem != null) {
                err.println("audit export: nothing exported: " + problem);
                return AuditSession.EXIT_USAGE;
            }
            String missing = AuditSession.purposeMissing("audit export", person);
            if (missing != null) {
                err.println(missing);
                return AuditSession.EXIT_USAGE;
            }
            String what = "audit export --format " + format + days.asOptions()
                    + (type == null ? "" : " --type " + type.name()) + (service == null ? "" : " --service " + service);
            AuditStore.Filter filter = new AuditStore.Filter(days.fromInstant(), days.toInstant(), type, service,
                    message, null);
            return AuditSession.run("audit export", location, person,
                    new AuditSession.Action(what, null, message, service), err, (db, store, head) -> {
                        if (format == Format.csv) {
                            out.println(AuditCsv.header());
                            store.forEach(filter, s -> out.println(AuditCsv.row(s)));
                        } else {
                            FhirAuditEvents fhir = new FhirAuditEvents();
                            store.forEach(filter, s -> out.println(fhir.json(s)));
                        }
                        return AuditSession.EXIT_OK;
                    });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
