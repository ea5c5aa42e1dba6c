package org.ilinks.cli;

import java.util.Map;
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
                ReplayCommand.class,
                ExtractsCommand.class,
                UsersCommand.class,
                TryCommand.class,
                CommandLine.HelpCommand.class
        })
public final class IlinksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    private IlinksCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line reading these environment variables (the credentials of the API commands) instead. */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cl = new CommandLine(new IlinksCommand(environment));
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

    String environment(String name) {
        return environment.get(name);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
