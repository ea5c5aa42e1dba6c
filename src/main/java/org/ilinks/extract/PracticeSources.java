package org.ilinks.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;

/**
 * Loads every practice file of {@code config/practices/}: the one loader behind {@code validate} and {@code run}.
 * Files not ending {@code .yaml}/{@code .yml} are ignored; an empty or commented-out file stops that practice.
 */
public final class PracticeSources {

    public record LoadResult(List<PracticeSource> practices, List<ConfigProblem> problems) {
    }

    private PracticeSources() {
    }

    public static LoadResult check(Settings settings) {
        Path dir = settings.practicesDir();
        List<ConfigProblem> problems = new ArrayList<>();
        List<PracticeSource> practices = new ArrayList<>();
        Map<String, PracticeSource> byServerFolder = new HashMap<>();
        for (Path file : files(dir, problems)) {
            PracticeFileReader.read(file, settings.configDir(), problems).ifPresent(p -> {
                String where = p.sftp().host() + ":" + p.sftp().port() + "/" + p.sftp().folder() + "/"
                        + p.sftp().pattern();
                PracticeSource first = byServerFolder.putIfAbsent(where, p);
                if (first != null) {
                    problems.add(ConfigProblem.at(file, 0, "practice " + p.ods() + " polls the same server folder "
                            + "and pattern as practice " + first.ods() + " (" + first.sourceFile() + ")"));
                } else {
                    practices.add(p);
                }
            });
        }
        problems.sort(null);
        return new LoadResult(List.copyOf(practices), List.copyOf(problems));
    }

    private static List<Path> files(Path dir, List<ConfigProblem> problems) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".yaml") || name.endsWith(".yml");
            }).sorted().toList();
        } catch (IOException e) {
            problems.add(ConfigProblem.at(dir, 0, "cannot list the folder: " + e.getClass().getSimpleName()));
            return List.of();
        }
    }
}
