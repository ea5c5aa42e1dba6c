package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.InvalidConfigException;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ilinks run}: the engine in the foreground until stopped; SIGTERM or Ctrl-C drain in-flight work first. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the engine in the foreground until stopped.",
                "SIGTERM or Ctrl-C stop intake, let in-flight deliveries finish (queued messages stay on disk), then exit."})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigLocation location;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.load(location.configDir(), location.routesDir());
        Engine engine;
        try {
            engine = Engine.start(settings);
        } catch (InvalidConfigException e) {
            return refuse(spec.commandLine().getErr(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(engine), "ilinks-shutdown"));
        engine.awaitStopped();
        org.apache.logging.log4j.LogManager.shutdown();
        return 0;
    }

    /**
     * A JVM ended by a signal exits 128 + the signal (143 for SIGTERM) however cleanly its hooks ran; service managers
     * read that as a failure. So once the engine has stopped cleanly, end with 0 ourselves.
     */
    private static void stopOnSignal(Engine engine) {
        if (!engine.isRunning()) {
            return; // the engine stopped by itself; the exit status is the caller's
        }
        engine.close();
        org.apache.logging.log4j.LogManager.shutdown();
        Runtime.getRuntime().halt(0);
    }

    static int refuse(PrintWriter err, InvalidConfigException e) {
        for (ConfigProblem p : e.problems().stream().sorted().toList()) {
            err.println(p);
        }
        err.println("Not started: " + e.problems().size() + " problem(s) in the configuration.");
        err.flush();
        return 1;
    }
}
