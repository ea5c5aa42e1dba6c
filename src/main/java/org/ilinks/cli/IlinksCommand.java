package org.ilinks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ilinks} command and its subcommands. */
@Command(name = "ilinks",
        mixinStandardHelpOptions = true,
        version = "iLINKS 0.1.0",
        description = "Health and social care integration engine: HL7 v2 in, consent-aware per-service feeds out.",
        subcommands = {
                RunCommand.class,
                DemoCommand.class,
                ValidateCommand.class,
                SendCommand.class,
                BenchCommand.class,
                ConsentCommand.class,
                AuditCommand.class,
                MessagesCommand.class,
                UsersCommand.class,
                TryCommand.class,
                CommandLine.HelpCommand.class
        })
public final class IlinksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IlinksCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // A failure a command did not handle gets one line, not a stack trace (which could quote message content).
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ilinks " + commandLine.getCommandName() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
