package org.ilinks.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.ilinks.audit.SubjectAccessReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks messages}: the message history from the command line: {@code list} messages by filter and
 * {@code show} one, metadata only unless {@code --content} is asked for with a purpose. Each use is recorded in the
 * audit trail.
 */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "Find messages and what became of them for each service (every use is recorded in the audit "
                + "trail).",
        subcommands = {MessagesListCommand.class, MessagesShowCommand.class})
public final class MessagesCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(SubjectAccessReport.ZONE);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("messages: name a subcommand: list or show");
        spec.commandLine().usage(err);
        err.flush();
        return MessagesSession.EXIT_USAGE;
    }

    /** A time in England, to the second, or "-". */
    static String time(Instant at) {
        return at == null ? "-" : TIME.format(at);
    }
}
