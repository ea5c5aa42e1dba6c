package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.SubjectAccessReport;
import org.ilinks.hl7.NhsNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks audit patient NHS-NUMBER}: the subject-access report. The NHS number appears once, in the heading,
 * as typed; it is never logged, and a bad one is refused without being repeated.
 */
@Command(name = "patient", mixinStandardHelpOptions = true,
        description = {
                "The subject-access report for one patient: for each service, what it was sent (when, and the "
                        + "message type where recorded) and what was withheld or held from it and why.",
                "Exit status: 0 shown, 1 the database failed, 2 usage error (bad NHS number, no --purpose)."
        })
final class AuditPatientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Mixin
    AuditDays days;

    @Parameters(index = "0", paramLabel = "NHS-NUMBER", description = "The patient's NHS number.")
    String nhsNumber;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String problem = !NhsNumber.isValid(nhsNumber) ? "NHS-NUMBER is not a valid NHS number"
                    : days.problem();
            if (problem != null) {
                err.println("audit patient: nothing shown: " + problem);
                return AuditSession.EXIT_USAGE;
            }
            String missing = AuditSession.purposeMissing("audit patient", person);
            if (missing != null) {
                err.println(missing);
                return AuditSession.EXIT_USAGE;
            }
            String nhs = NhsNumber.normalise(nhsNumber);
            return AuditSession.run("audit patient", location, person,
                    new AuditSession.Action("audit patient" + days.asOptions(), nhs, null, null), err,
                    (db, store, head) -> {
                        List<AuditEvent> events = store.patient(nhs, days.fromInstant(), days.toInstant());
                        out.println("Subject-access report for NHS number " + nhsNumber.strip() + ", "
                                + days.asWords() + " (England): " + events.size() + " event(s)");
                        SubjectAccessReport.lines(events).forEach(out::println);
                        return AuditSession.EXIT_OK;
                    });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
