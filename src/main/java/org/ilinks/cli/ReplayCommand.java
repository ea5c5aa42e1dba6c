package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks replay}: sends messages again to services through the admin API's replay jobs (role support): start
 * one, follow it, list them, stop and resume one.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send messages from the history again, to the services that subscribe to them today or to "
                + "one service, through the engine's admin API (role support; every replay is recorded with its "
                + "reason).",
        subcommands = {ReplaySendCommand.class, ReplayStatusCommand.class, ReplayListCommand.class,
                ReplayStopCommand.class, ReplayResumeCommand.class})
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("replay: name a subcommand: send, status, list, stop or resume");
        spec.commandLine().usage(err);
        err.flush();
        return AdminApiClient.EXIT_USAGE;
    }
}
