package org.ilinks.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.KnownBeans;
import org.ilinks.config.RouteFileValidator;
import org.ilinks.config.ServiceConfigLoader;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks validate}: checks the settings, service files, route files and restricted data code lists exactly as
 * {@code run} would, and prints every problem as {@code file:line: message}. Exit status 0 when all is well, 1
 * otherwise.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check application.properties, the service files, the route files and restricted-codes.yaml "
                + "without starting anything; print every problem as file:line: message.")
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = Settings.load(location.configDir(), location.routesDir());
            List<ConfigProblem> problems = ConfigValidator.validate(settings, KnownBeans.NAMES);
            if (!problems.isEmpty()) {
                problems.forEach(err::println);
                err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                        + " found; nothing was started.");
                err.flush();
                return 1;
            }
            List<ServiceDefinition> services = ServiceConfigLoader.check(settings).services();
            int routeFiles = RouteFileValidator.routeFiles(location.routesDir()).size();
            out.println("OK: " + services.size() + " services, " + routeFiles + " route files ("
                    + services.stream().map(ServiceDefinition::id).sorted().collect(Collectors.joining(", ")) + ")");
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            // A bug in the checks themselves must still end with a clear line, not a stack trace for the analyst.
            err.println("validate could not finish: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            err.flush();
            return 1;
        }
    }
}
