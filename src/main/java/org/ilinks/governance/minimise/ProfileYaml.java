package org.ilinks.governance.minimise;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Reading helpers for one profile file: every problem goes to the shared list with the line of the node it is
 * about. (The config package's mapping reader is not visible outside that package.)
 */
final class ProfileYaml {

    private final Path file;
    private final List<ConfigProblem> problems;

    ProfileYaml(Path file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    Path file() {
        return file;
    }

    void report(Node at, String message) {
        problems.add(ConfigProblem.at(file, YamlFile.line(at), message));
    }

    void report(int line, String message) {
        problems.add(ConfigProblem.at(file, line, message));
    }

    Optional<MappingNode> mapping(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(mapping);
        }
        report(node, what + " must be a mapping of keys and values");
        return Optional.empty();
    }

    /** Reports each key of {@code mapping} not in {@code allowed}. */
    void allowOnly(MappingNode mapping, List<String> allowed) {
        for (NodeTuple tuple : mapping.getValue()) {
            String key = key(tuple);
            if (!allowed.contains(key)) {
                report(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
    }

    static String key(NodeTuple tuple) {
        return YamlFile.text(tuple.getKeyNode()).orElse("").trim();
    }

    static Optional<NodeTuple> tuple(MappingNode mapping, String key) {
        return mapping.getValue().stream().filter(t -> key(t).equals(key)).findFirst();
    }

    /** The value under {@code key}, absent also when written without a value. */
    static Optional<Node> optional(MappingNode mapping, String key) {
        return tuple(mapping, key).map(NodeTuple::getValueNode).filter(v -> !YamlFile.isNull(v));
    }

    /** A non-blank single value, or empty after reporting what is wrong. */
    Optional<String> text(String what, Node value) {
        Optional<String> text = YamlFile.text(value);
        if (text.isEmpty()) {
            report(value, what + " must be a single value, not a list or mapping");
            return Optional.empty();
        }
        if (text.get().isBlank()) {
            report(value, what + " must not be empty");
            return Optional.empty();
        }
        return Optional.of(text.get().trim());
    }
}
