package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ilinks.audit.AuditVerifier;
import org.ilinks.audit.ChainHead;
import org.ilinks.audit.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ilinks audit verify}: walks the hash chain and compares its end with the head file. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
                "Check that the audit trail has not been altered: every record matches its hash and follows the one "
                        + "before it, and the trail ends where the head file says it does.",
                "Exit status: 0 verified, 1 the trail does not verify (the first problem is named) or the database "
                        + "failed, 2 usage error."
        })
final class AuditVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Mixin
    AuditPerson person;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return AuditSession.run("audit verify", location, person,
                    new AuditSession.Action("audit verify", null, null, null), err, (db, store, head) -> {
                        VerifyReport report = AuditVerifier.verify(db.dataSource(), head);
                        if (!report.ok()) {
                            err.println("audit trail does NOT verify: " + report.problem());
                            return AuditSession.EXIT_FAILED;
                        }
                        out.println("audit trail verified: " + report.records() + " records, head seq "
                                + head.last().map(ChainHead::seq).orElse(0L));
                        return AuditSession.EXIT_OK;
                    });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
