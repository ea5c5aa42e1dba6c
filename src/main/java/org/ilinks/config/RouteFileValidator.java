package org.ilinks.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Checks every route file ({@code routes/*.yaml}, Camel YAML DSL) without starting anything: YAML syntax, Camel's
 * JSON schema, Camel's own loader, and our cross-checks (beans, components, route ids, placeholders).
 */
public final class RouteFileValidator {

    private final Set<String> knownBeans;

    /** @param knownBeans the bean names the engine registers; routes may refer to no others */
    public RouteFileValidator(Set<String> knownBeans) {
        this.knownBeans = Set.copyOf(knownBeans);
    }

    /** Every problem in the route files of {@code settings.routesDir()}; empty when they are all good. */
    public List<ConfigProblem> validate(Settings settings) {
        List<ConfigProblem> problems = new ArrayList<>();
        Path dir = settings.routesDir();
        if (!Files.isDirectory(dir)) {
            problems.add(ConfigProblem.at(dir, 0, "missing: the routes folder was not found"));
            return problems;
        }
        List<YamlFile> files = routeFiles(dir, problems).stream().map(YamlFile::read).toList();
        try (CamelContext components = new DefaultCamelContext()) {
            RouteReferenceCheck references = new RouteReferenceCheck(knownBeans, settings, components);
            files.forEach(f -> f.documents().forEach(references::declareBeans));
            for (YamlFile file : files) {
                problems.addAll(validate(file, settings, references));
            }
        } catch (Exception e) {
            problems.add(ConfigProblem.at(dir, 0, "route files could not be checked: " + e.getClass().getSimpleName()));
        }
        return problems;
    }

    private static List<ConfigProblem> validate(YamlFile file, Settings settings, RouteReferenceCheck references) {
        List<ConfigProblem> problems = new ArrayList<>(file.problems());
        boolean schemaValid = true;
        for (Node document : file.documents()) {
            List<ConfigProblem> schemaProblems = RouteSchemaCheck.check(file.file(), document);
            schemaValid &= schemaProblems.isEmpty();
            problems.addAll(schemaProblems);
            problems.addAll(references.check(file.file(), document));
        }
        // Camel's loader stops at the first mistake and says it less clearly; ask it only what the schema passed.
        if (problems.isEmpty() && schemaValid && !file.documents().isEmpty()) {
            RouteLoadCheck.check(file.file(), settings).ifPresent(problems::add);
        }
        return problems;
    }

    /** The route files Camel would load from {@code dir}, sorted. */
    public static List<Path> routeFiles(Path dir) {
        return routeFiles(dir, new ArrayList<>());
    }

    private static List<Path> routeFiles(Path dir, List<ConfigProblem> problems) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add(ConfigProblem.at(dir, 0, "cannot list the folder: " + e.getClass().getSimpleName()));
            return List.of();
        }
    }
}
