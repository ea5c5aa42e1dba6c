package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks audit}: the tamper-evident audit trail from the command line: {@code verify} the hash chain, the
 * {@code trail} of one message, the subject-access report of one {@code patient}, and {@code export} for a SIEM.
 * Each use is itself recorded in the trail (who, what, and the purpose given).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify and query the audit trail (every use is recorded in it).",
        subcommands = {AuditVerifyCommand.class, AuditTrailCommand.class, AuditPatientCommand.class,
                AuditExportCommand.class})
public final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("audit: name a subcommand: verify, trail, patient or export");
        spec.commandLine().usage(err);
        err.flush();
        return AuditSession.EXIT_USAGE;
    }
}
