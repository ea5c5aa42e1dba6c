package org.ilinks.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.consent.ConsentDecider;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.governance.consent.ServiceConsent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks consent show NHS-NUMBER}: a patient's directives and what consent says for each configured service
 * now. The NHS number appears once, in the heading, as typed; nothing is logged.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
                "Show a patient's consent directives (id, state, decision, scope, dates, source) and what each "
                        + "configured service would decide now on consent alone (works while the engine runs).",
                "State: open (in effect), pending (starts later), ended, expired (past its last day).",
                "Exit status: 0 shown, 1 the database failed or the configuration has problems (then decisions are "
                        + "shown for the services that loaded), 2 usage error."
        })
final class ConsentShowCommand implements Callable<Integer> {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Parameters(index = "0", paramLabel = "NHS-NUMBER", description = "The patient's NHS number.")
    String nhsNumber;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            // The NHS number is this command's parameter, not an option.
            return ConsentSession.run("consent show", "nothing shown", location, err,
                    problem -> problem.replace("nhs_number", "NHS-NUMBER"), nhsNumber,
                    (operations, config) -> show(operations, config, out, err));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int show(ConsentOperations operations, Supplier<GovernanceConfig.Loaded> config, PrintWriter out,
                     PrintWriter err) {
        List<ConsentDirective> directives = operations.directivesFor(nhsNumber);
        out.println("Consent directives for " + nhsNumber.strip() + ": " + directives.size());
        if (!directives.isEmpty()) {
            printDirectives(out, operations, directives);
        }
        GovernanceConfig.Loaded loaded = config.get();
        printDecisions(out, operations.decisionsFor(nhsNumber));
        if (!loaded.isValid()) {
            // A consent decision needs only a service's governance block, so one bad file (a missing key, a broken
            // profile) should not hide the others; but a service whose own file is broken is missing, so say so.
            loaded.problems().forEach(err::println);
            err.println("consent show: " + loaded.problems().size() + " problem(s) in the configuration: decisions "
                    + "are shown only for the " + loaded.config().services().size() + " service(s) that loaded");
            return ConsentSession.EXIT_FAILED;
        }
        return ConsentSession.EXIT_OK;
    }

    private static void printDirectives(PrintWriter out, ConsentOperations operations,
                                        List<ConsentDirective> directives) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "DECISION", "SCOPE", "FROM", "TO", "SOURCE", "RECORDED BY"});
        List<String> endings = new ArrayList<>();
        for (ConsentDirective d : directives) {
            rows.add(new String[] {
                    Long.toString(d.id()),
                    operations.stateOf(d).word(),
                    d.choice().word(),
                    d.scope().word() + (d.scopeValue() == null ? "" : " " + d.scopeValue()),
                    d.effectiveFrom().format(DAY),
                    d.effectiveTo() == null ? "-" : d.effectiveTo().format(DAY),
                    d.source().word() + (d.sourceId() == null ? "" : " " + d.sourceId()),
                    d.recordedBy()});
            if (d.endedAt() != null) {
                endings.add("directive " + d.id() + " ended " + LocalDate.ofInstant(d.endedAt(), ConsentDecider.ZONE)
                        + (d.endedBy() == null ? "" : " by " + d.endedBy())
                        + (d.supersededBy() == null ? "" : ", replaced by directive " + d.supersededBy())
                        + (d.endReason() == null ? "" : ": " + d.endReason()));
            }
        }
        Columns.print(out, "  ", rows);
        endings.forEach(e -> out.println("  " + e));
    }

    private static void printDecisions(PrintWriter out, List<ServiceConsent> decisions) {
        out.println("What each configured service would decide now, on consent alone: " + decisions.size());
        if (decisions.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "MODEL", "OUTCOME", "REASON", "WHY"});
        for (ServiceConsent s : decisions) {
            rows.add(new String[] {s.serviceId(), s.model().word(), s.outcome(), s.decision().reason().name(),
                    s.decision().sentence()});
        }
        Columns.print(out, "  ", rows);
    }
}
