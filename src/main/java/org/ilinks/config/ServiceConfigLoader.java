package org.ilinks.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;

/**
 * Loads every service file in {@code config/services/}: the one loader behind {@code validate}, {@code run} and
 * live reload, so all three report a bad file with the same {@code file:line: message} lines.
 * Files not ending {@code .yaml}/{@code .yml} are ignored; an empty or commented-out file parks its service.
 */
public final class ServiceConfigLoader {

    /**
     * What the services folder holds: the services that are good to use and every problem found.
     * Callers that must not run on a partly good config use {@link #load(Settings)}.
     */
    public record LoadResult(List<ServiceDefinition> services, List<ConfigProblem> problems) {
        public boolean isValid() {
            return problems.isEmpty();
        }
    }

    private ServiceConfigLoader() {
    }

    /** All services, or an exception listing every problem when any file is wrong. */
    public static List<ServiceDefinition> load(Settings settings) throws InvalidConfigException {
        LoadResult result = check(settings);
        if (!result.isValid()) {
            throw new InvalidConfigException(result.problems());
        }
        return result.services();
    }

    /** Reads every service file; never throws for bad content. */
    public static LoadResult check(Settings settings) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<ServiceFileReader.Declared> declared = new ArrayList<>();
        Set<String> restricted = restrictedCategories(settings);
        for (Path file : serviceFiles(settings.servicesDir(), problems)) {
            ServiceFileReader.read(file, settings, restricted, problems).ifPresent(declared::add);
        }
        List<ServiceDefinition> services = crossCheck(declared, problems);
        problems.sort(null);
        return new LoadResult(List.copyOf(services), List.copyOf(problems));
    }

    /** One service file, for a reload that saw only this file change (duplicate ids are not checked here). */
    public static Optional<ServiceDefinition> load(Path file, Settings settings) throws InvalidConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Optional<ServiceFileReader.Declared> declared =
                ServiceFileReader.read(file, settings, restrictedCategories(settings), problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return declared.map(ServiceFileReader.Declared::definition);
    }

    /** The categories a service may name under restrictedData; problems in that file are reported by its own loader. */
    private static Set<String> restrictedCategories(Settings settings) {
        return org.ilinks.governance.restricted.RestrictedCodesLoader.load(settings.restrictedCodesFile()).categories();
    }

    /** The {@code .yaml}/{@code .yml} files of a folder, sorted so problems and duplicates come out in a stable order. */
    static List<Path> serviceFiles(Path dir, List<ConfigProblem> problems) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(ServiceConfigLoader::isYaml).sorted().toList();
        } catch (IOException e) {
            problems.add(ConfigProblem.at(dir, 0, "cannot list the folder: " + e.getClass().getSimpleName()));
            return List.of();
        }
    }

    static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Services whose id, output folder or output queue clashes with an earlier file's are reported and dropped. */
    private static List<ServiceDefinition> crossCheck(List<ServiceFileReader.Declared> declared,
                                                      List<ConfigProblem> problems) {
        Map<String, ServiceFileReader.Declared> byId = new HashMap<>();
        Map<Path, ServiceFileReader.Declared> byFolder = new HashMap<>();
        Map<String, ServiceFileReader.Declared> byQueue = new HashMap<>();
        List<ServiceDefinition> services = new ArrayList<>();
        for (ServiceFileReader.Declared d : declared) {
            ServiceDefinition s = d.definition();
            ServiceFileReader.Declared first = byId.putIfAbsent(s.id(), d);
            boolean ok = true;
            if (first != null) {
                problems.add(ConfigProblem.at(s.sourceFile(), d.idLine(), "duplicate service id '" + s.id()
                        + "' (also declared in " + where(first, first.idLine()) + ")"));
                ok = false;
            }
            if (s.endpoint() instanceof FolderEndpoint folder) {
                Path key = folder.path().toAbsolutePath().normalize();
                first = byFolder.putIfAbsent(key, d);
                if (first != null) {
                    problems.add(ConfigProblem.at(s.sourceFile(), d.endpointLine(), "this folder is also written by service '" + first.definition().id() + "' ("
                            + where(first, first.endpointLine()) + "): give each service its own folder"));
                    ok = false;
                }
            }
            if (s.endpoint() instanceof QueueEndpoint queue) {
                first = byQueue.putIfAbsent(queue.name(), d);
                if (first != null) {
                    problems.add(ConfigProblem.at(s.sourceFile(), d.endpointLine(), "queue '" + queue.name()
                            + "' is also written by service '" + first.definition().id() + "' ("
                            + where(first, first.endpointLine()) + "): give each service its own queue"));
                    ok = false;
                }
            }
            if (ok) {
                services.add(s);
            }
        }
        return services;
    }

    private static String where(ServiceFileReader.Declared declared, int line) {
        return declared.definition().sourceFile() + ":" + line;
    }
}
