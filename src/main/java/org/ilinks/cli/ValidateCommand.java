package org.ilinks.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true, description = "TODO")
public final class ValidateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
