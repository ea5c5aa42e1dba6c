package org.ilinks.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "send", mixinStandardHelpOptions = true, description = "TODO")
public final class SendCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
