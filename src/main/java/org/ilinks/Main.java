package org.ilinks;

import org.ilinks.cli.IlinksCommand;
import picocli.CommandLine;

/** Entry point of {@code target/ilinks.jar}: hands the command line to picocli. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(IlinksCommand.commandLine().execute(args));
    }
}
