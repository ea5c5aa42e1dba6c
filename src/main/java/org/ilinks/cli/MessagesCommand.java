package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks messages}: the message history from the command line, through the admin API: {@code list} messages
 * by filter and {@code show} one, metadata only unless {@code --content} is asked for with a purpose. The API records
 * each use in the audit trail.
 */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "Find messages and what became of them for each service, through the engine's admin API "
                + "(every use is recorded in the audit trail).",
        subcommands = {MessagesListCommand.class, MessagesShowCommand.class})
public final class MessagesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("messages: name a subcommand: list or show");
        spec.commandLine().usage(err);
        err.flush();
        return AdminApiClient.EXIT_USAGE;
    }
}
