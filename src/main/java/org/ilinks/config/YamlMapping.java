package org.ilinks.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * One mapping of an analyst's YAML file, read field by field; every unknown key, missing field and wrong value is
 * added to the shared problem list with its line, so that all problems of a file come out at once.
 */
public final class YamlMapping {

    private final Path file;
    private final MappingNode node;
    private final List<ConfigProblem> problems;

    public YamlMapping(Path file, MappingNode node, List<ConfigProblem> problems) {
        this.file = file;
        this.node = node;
        this.problems = problems;
    }

    /**
     * The one mapping a file of one thing holds (a service, a practice): empty when the file is empty or not a
     * mapping; a second document is reported ("only one &lt;thing&gt; per file").
     *
     * @param thing what the file holds, e.g. {@code service}
     */
    public static Optional<YamlMapping> readOne(Path file, String thing, List<ConfigProblem> problems) {
        YamlFile yaml = YamlFile.read(file);
        problems.addAll(yaml.problems());
        if (yaml.documents().isEmpty()) {
            return Optional.empty();
        }
        if (yaml.documents().size() > 1) {
            problems.add(ConfigProblem.at(file, YamlFile.line(yaml.documents().get(1)),
                    "only one " + thing + " per file: move this one to a file of its own"));
        }
        return of(file, yaml.documents().get(0), "a " + thing + " file", problems);
    }

    /**
     * The mapping at {@code node}, or empty after reporting that {@code what} had to be a mapping.
     */
    public static Optional<YamlMapping> of(Path file, Node node, String what, List<ConfigProblem> problems) {
        if (node instanceof MappingNode mapping) {
            return Optional.of(new YamlMapping(file, mapping, problems));
        }
        problems.add(ConfigProblem.at(file, YamlFile.line(node), what + " must be a mapping of keys and values"));
        return Optional.empty();
    }

    /** The same mapping, reporting its problems to {@code other} (to tell a part's problems from the file's). */
    public YamlMapping reportingTo(List<ConfigProblem> other) {
        return new YamlMapping(file, node, other);
    }

    public Path file() {
        return file;
    }

    public int line() {
        return YamlFile.line(node);
    }

    /** Reports each key not in {@code allowed}; returns whether all keys were allowed. */
    public boolean allowOnly(List<String> allowed) {
        boolean ok = true;
        for (NodeTuple tuple : node.getValue()) {
            String key = YamlFile.text(tuple.getKeyNode()).orElse("");
            if (!allowed.contains(key)) {
                report(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of: " + String.join(", ", allowed) + ")");
                ok = false;
            }
        }
        return ok;
    }

    /** The keys present, in file order. */
    public List<String> keys() {
        return node.getValue().stream().map(t -> YamlFile.text(t.getKeyNode()).orElse("")).toList();
    }

    /** The value under {@code key}; absent also when the key is written with no value. */
    public Optional<Node> optional(String key) {
        return tuple(key).map(NodeTuple::getValueNode).filter(v -> !YamlFile.isNull(v));
    }

    /** The value under {@code key}, or empty after reporting it missing (at the key if it has no value). */
    public Optional<Node> required(String key) {
        Optional<NodeTuple> tuple = tuple(key);
        if (tuple.isEmpty()) {
            problems.add(ConfigProblem.at(file, line(), "missing '" + key + "'"));
            return Optional.empty();
        }
        if (YamlFile.isNull(tuple.get().getValueNode())) {
            report(tuple.get().getKeyNode(), "'" + key + "' has no value");
            return Optional.empty();
        }
        return Optional.of(tuple.get().getValueNode());
    }

    public int keyLine(String key) {
        return tuple(key).map(t -> YamlFile.line(t.getKeyNode())).orElse(line());
    }

    /** A non-blank text value, or empty after reporting what was wrong. */
    public Optional<String> requiredText(String key) {
        return required(key).flatMap(v -> text(key, v));
    }

    public Optional<String> text(String key, Node value) {
        Optional<String> text = YamlFile.text(value);
        if (text.isEmpty()) {
            report(value, key + " must be a single value, not a list or mapping");
        } else if (text.get().isBlank()) {
            report(value, key + " must not be empty");
            return Optional.empty();
        }
        return text;
    }

    /** A whole number in {@code [min, max]} under an optional key, or {@code fallback} when absent. */
    public Optional<Long> wholeNumber(String key, long min, long max, long fallback) {
        Optional<Node> value = optional(key);
        return value.isEmpty() ? Optional.of(fallback) : wholeNumber(key, value.get(), min, max);
    }

    public Optional<Long> wholeNumber(String key, Node value, long min, long max) {
        Optional<String> text = text(key, value);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        long number;
        try {
            number = Long.parseLong(text.get().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            report(value, key + " must be a whole number, not '" + text.get() + "'");
            return Optional.empty();
        }
        if (number < min || number > max) {
            report(value, key + (max >= Integer.MAX_VALUE ? " must be at least " + min
                    : " must be between " + min + " and " + max) + ", not " + number);
            return Optional.empty();
        }
        return Optional.of(number);
    }

    /** A number at least {@code min} under an optional key, or {@code fallback} when absent. */
    public Optional<Double> decimal(String key, double min, double fallback) {
        Optional<Node> value = optional(key);
        if (value.isEmpty()) {
            return Optional.of(fallback);
        }
        Optional<String> text = text(key, value.get());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        double number;
        try {
            number = Double.parseDouble(text.get().trim());
        } catch (NumberFormatException e) {
            report(value.get(), key + " must be a number, not '" + text.get() + "'");
            return Optional.empty();
        }
        if (Double.isNaN(number) || number < min) {
            report(value.get(), key + " must be at least " + java.math.BigDecimal.valueOf(min).stripTrailingZeros()
                    .toPlainString() + ", not " + text.get().trim());
            return Optional.empty();
        }
        return Optional.of(number);
    }

    public void report(Node at, String message) {
        problems.add(ConfigProblem.at(file, YamlFile.line(at), message));
    }

    private Optional<NodeTuple> tuple(String key) {
        return node.getValue().stream()
                .filter(t -> YamlFile.text(t.getKeyNode()).map(key::equals).orElse(false))
                .findFirst();
    }
}
