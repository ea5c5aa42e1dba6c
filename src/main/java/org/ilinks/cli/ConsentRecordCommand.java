package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.governance.GovernanceConfig;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.governance.consent.ConsentScope;
import org.ilinks.governance.consent.DirectiveSentence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks consent record ...}: records one directive, checked as a CSV row is checked, and prints
 * {@code recorded directive <id>: <sentence>} (the sentence never holds the NHS number).
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {
                "Record one consent directive in the engine's database (works while the engine runs).",
                "The options are the columns of 'consent import' and are checked the same way.",
                "Exit status: 0 recorded, 1 the database failed, 2 a wrong or missing option (nothing recorded)."
        })
final class ConsentRecordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Option(names = "--nhs-number", required = true, paramLabel = "N",
            description = "The patient's NHS number, 10 digits (spaces allowed), Modulus 11 valid.")
    String nhsNumber;

    @Option(names = "--scope", required = true, paramLabel = "all|service|category",
            description = "What it covers: all sharing, one service, or a category of services.")
    String scope;

    @Option(names = "--scope-value", paramLabel = "V",
            description = "The service id or category name; required for service and category, none for all.")
    String scopeValue;

    @Option(names = "--decision", required = true, paramLabel = "dissent|consent",
            description = "The patient's choice.")
    String decision;

    @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "First day in effect.")
    String from;

    @Option(names = "--to", paramLabel = "yyyy-MM-dd", description = "Last day in effect (default: open-ended).")
    String to;

    @Option(names = "--source", required = true, paramLabel = "practice|patient|clinician",
            description = "Who the directive came from.")
    String source;

    @Option(names = "--source-id", paramLabel = "ID",
            description = "The practice's ODS code or the clinician's id; required for practice and clinician.")
    String sourceId;

    @Option(names = "--recorded-by", required = true, paramLabel = "NAME",
            description = "Who recorded the directive at the source.")
    String recordedBy;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, in free text.")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ConsentSession.run("consent record", "nothing recorded", location, err,
                    OptionNames::inCommandLineTerms, nhsNumber,
                    (operations, config) -> record(operations, config, out, err));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int record(ConsentOperations operations, Supplier<GovernanceConfig.Loaded> config, PrintWriter out,
                       PrintWriter err) {
        ConsentDirective d = operations.record(new ConsentOperations.RecordRequest(nhsNumber, scope,
                scopeValue, decision, from, to, source, sourceId, recordedBy, reason));
        out.println("recorded directive " + d.id() + ": " + DirectiveSentence.of(d));
        // A configuration with problems may be missing the very service named, so it cannot judge.
        String note = config.get().isValid() ? unknownScopeValue(d, config.get().config()) : null;
        if (note != null) {
            err.println("consent record: note: " + note);
        }
        return ConsentSession.EXIT_OK;
    }

    /**
     * A directive naming a service or category nothing is configured with is kept (the service may come later), but
     * a mistyped id would otherwise never match anything without anyone noticing.
     */
    static String unknownScopeValue(ConsentDirective d, GovernanceConfig config) {
        if (d.scope() == ConsentScope.SERVICE && config.services().stream()
                .noneMatch(s -> s.id().equalsIgnoreCase(d.scopeValue()))) {
            return "no configured service has the id " + d.scopeValue() + "; the directive applies once one does";
        }
        if (d.scope() == ConsentScope.CATEGORY && config.services().stream()
                .map(ServiceDefinition::governance)
                .noneMatch(g -> g.categories().stream().anyMatch(c -> c.equalsIgnoreCase(d.scopeValue())))) {
            return "no configured service is in the category " + d.scopeValue()
                    + "; the directive applies once one is";
        }
        return null;
    }
}
