package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ilinks extracts}: practice extracts over SFTP, through the admin API. */
@Command(name = "extracts", mixinStandardHelpOptions = true,
        description = "Practice extracts taken over SFTP, through the engine's admin API.",
        subcommands = {ExtractsStatusCommand.class})
public final class ExtractsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("extracts: name a subcommand: status");
        spec.commandLine().usage(err);
        err.flush();
        return AdminApiClient.EXIT_USAGE;
    }
}
