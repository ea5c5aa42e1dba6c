package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ilinks.governance.consent.ConsentOperations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ilinks consent end ID --by NAME}: ends a directive from now on; it is kept, marked ended. */
@Command(name = "end", mixinStandardHelpOptions = true,
        description = {
                "End a consent directive from now on (it is kept in the registry, marked ended; works while the "
                        + "engine runs).",
                "Exit status: 0 ended, 1 no such directive or already ended (or the database failed), 2 usage error."
        })
final class ConsentEndCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Parameters(index = "0", paramLabel = "ID", description = "The directive's id (see 'consent show').")
    long id;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who is ending it, for the record.")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, in free text.")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ConsentSession.run("consent end", "nothing ended", location, err, OptionNames::inCommandLineTerms,
                    null, (operations, config) -> end(operations, out, err));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int end(ConsentOperations operations, PrintWriter out, PrintWriter err) {
        if (operations.end(id, by, reason)) {
            out.println("ended directive " + id);
            return ConsentSession.EXIT_OK;
        }
        err.println("consent end: directive " + id + " is not open: there is no such directive, or it was "
                + "already ended");
        return ConsentSession.EXIT_FAILED;
    }
}
