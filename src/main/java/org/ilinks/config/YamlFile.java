package org.ilinks.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A YAML file read as snakeyaml-engine nodes rather than Java objects, so that every key and value keeps the
 * line it was written on and each problem can be reported as {@code file:line: message}.
 *
 * @param documents the non-empty documents of the file (none for an empty or fully commented-out file)
 * @param problems  syntax errors and duplicate keys; when there is a syntax error, {@code documents} is empty
 */
public record YamlFile(Path file, List<Node> documents, List<ConfigProblem> problems) {

    /** Reads and composes a file; never throws, every failure becomes a problem. */
    public static YamlFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new YamlFile(file, List.of(),
                    List.of(ConfigProblem.at(file, 0, "cannot be read: " + e.getClass().getSimpleName())));
        }
        return parse(file, text);
    }

    /** Composes YAML text that came from {@code file}; used directly by tests and by {@link #read(Path)}. */
    static YamlFile parse(Path file, String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchema())
                .build();
        List<Node> documents = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(text)) {
            for (Node node : new Compose(settings).composeAllFromReader(reader)) {
                if (!isEmpty(node)) {
                    documents.add(node);
                }
            }
        } catch (MarkedYamlEngineException e) {
            return new YamlFile(file, List.of(), List.of(syntaxProblem(file, e)));
        } catch (YamlEngineException | IOException e) {
            return new YamlFile(file, List.of(), List.of(ConfigProblem.at(file, 0, "not valid YAML")));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        documents.forEach(d -> findDuplicateKeys(file, d, problems));
        return new YamlFile(file, List.copyOf(documents), List.copyOf(problems));
    }

    /** The 1-based line a node starts on (0 if snakeyaml did not record it). */
    public static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** The text of a scalar node, or empty for mappings, sequences and {@code null}. */
    public static Optional<String> text(Node node) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return Optional.of(scalar.getValue());
        }
        return Optional.empty();
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private static boolean isEmpty(Node node) {
        return isNull(node);
    }

    private static ConfigProblem syntaxProblem(Path file, MarkedYamlEngineException e) {
        int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
        String problem = e.getProblem() == null ? "not valid YAML" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : e.getContext().strip();
        // The parser notices a mistake where it becomes impossible to go on, often lines after an unclosed
        // bracket or quote; naming where that construct started points the analyst at the real slip.
        int contextLine = e.getContextMark().map(m -> m.getLine() + 1).orElse(line);
        if (!context.isEmpty() && contextLine != line) {
            context += " that starts on line " + contextLine;
        }
        String message = "YAML syntax error: " + problem + (context.isEmpty() ? "" : " (" + context + ")");
        return ConfigProblem.at(file, line, message);
    }

    private static void findDuplicateKeys(Path file, Node node, List<ConfigProblem> problems) {
        if (node instanceof MappingNode mapping) {
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Optional<String> key = text(tuple.getKeyNode());
                if (key.isPresent()) {
                    Integer first = seen.putIfAbsent(key.get(), line(tuple.getKeyNode()));
                    if (first != null) {
                        problems.add(ConfigProblem.at(file, line(tuple.getKeyNode()),
                                "duplicate key '" + key.get() + "' (also on line " + first + ")"));
                    }
                }
                findDuplicateKeys(file, tuple.getValueNode(), problems);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> findDuplicateKeys(file, child, problems));
        }
    }
}
