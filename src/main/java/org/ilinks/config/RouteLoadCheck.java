package org.ilinks.config;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Feeds a route file to Camel's own YAML DSL loader in a context that is never started, so anything Camel itself
 * would refuse (beyond what the schema knows) is found by {@code validate} rather than at start-up.
 */
final class RouteLoadCheck {

    private RouteLoadCheck() {
    }

    /** The first problem Camel has with the file, if any. */
    static Optional<ConfigProblem> check(Path file, Settings settings) {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(settings.asProperties());
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath()));
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of(describe(file, e));
        }
    }

    private static ConfigProblem describe(Path file, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                String problem = marked.getProblem() != null ? marked.getProblem() : marked.getClass().getSimpleName();
                return ConfigProblem.at(file, mark.map(m -> m.getLine() + 1).orElse(0),
                        "Camel cannot load this route file: " + firstLine(problem));
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
        return ConfigProblem.at(file, 0, "Camel cannot load this route file: " + message);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
