package org.ilinks.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ilinks.config.InvalidConfigException;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.demo.DemoPractices;
import org.ilinks.demo.DemoRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ilinks demo}: the engine on embedded defaults, fed the shipped samples. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the engine on its embedded defaults (Artemis and H2 under <data dir>/demo, wiped first)",
                "with the shipped config/ and routes/, start a stand-in MLLP receiver for each service that",
                "delivers to this machine, send every samples/*.hl7 through the engine's MLLP port, start an",
                "SFTP server for the shipped practices (config/practices) holding their sample files",
                "(samples/practices/<ODS>/) and print what each service received. Keeps running until",
                "stopped, unless --once."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigLocation location;

    @Option(names = "--samples", paramLabel = "DIR", defaultValue = "samples",
            description = "Folder of sample messages (default: ${DEFAULT-VALUE}).")
    Path samplesDir;

    @Option(names = "--once", description = "Exit after the samples are delivered: status 0 only if every sample "
            + "ended where the configuration says it should.")
    boolean once;

    @Option(names = "--timeout-seconds", defaultValue = "60",
            description = "How long --once waits for deliveries (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings base = Settings.load(location.configDir(), location.routesDir());
        Path demoData = base.dataDir().resolve("demo");
        DemoRun.clearDataDir(demoData);
        DemoPractices practices = DemoPractices.prepare(base.practicesDir(), demoData);
        // The demo's made-up feeds come from this machine: its intake listens on loopback only, and its practices
        // are polled on the demo's own SFTP server.
        Settings settings = Settings.load(location.configDir(), location.routesDir(),
                Map.of(Setting.DATA_DIR.key(), demoData.toString(), Setting.INTAKE_HOST.key(), "127.0.0.1",
                        Setting.EXTRACT_PRACTICES_DIR.key(), practices.practicesDir().toAbsolutePath().toString()));
        DemoRun.createMissingDemoKeys(settings.profilesDir(), out);
        DemoRun demo = new DemoRun(settings, samplesDir, practices, out);
        try {
            demo.start();
        } catch (InvalidConfigException e) {
            demo.close();
            return RunCommand.refuse(spec.commandLine().getErr(), e);
        } catch (Exception e) {
            demo.close(); // e.g. a stand-in receiver's port is taken: stop the engine that did start
            throw e;
        }
        boolean ok;
        try {
            ok = demo.awaitDelivered(demo.sendSamples(), timeoutSeconds * 1000L);
        } catch (Exception e) {
            demo.close();
            throw e;
        }
        if (once) {
            demo.close();
            return ok ? 0 : 1;
        }
        out.println("The engine keeps running; send more with: java -jar target/ilinks.jar send 127.0.0.1:"
                + settings.get(Setting.INTAKE_PORT) + " FILE...   (Ctrl-C stops it)");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "ilinks-shutdown"));
        demo.engine().awaitStopped();
        return 0;
    }
}
