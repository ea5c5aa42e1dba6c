package org.ilinks.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML document as a Jackson tree for JSON-schema validation, remembering the line of every value and key so
 * that a schema error's instance path (a list of property names and array indexes) leads back to the file.
 */
final class YamlJsonTree {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<List<Object>, Integer> valueLines = new HashMap<>();
    private final Map<List<Object>, Integer> keyLines = new HashMap<>();
    private final JsonNode json;

    YamlJsonTree(Node document) {
        this.json = convert(document, new ArrayList<>());
    }

    JsonNode json() {
        return json;
    }

    /** The line of the value at {@code path}, or of the nearest enclosing value that has one. */
    int valueLine(List<Object> path) {
        for (int n = path.size(); n >= 0; n--) {
            Integer line = valueLines.get(path.subList(0, n));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    /** The line of key {@code key} in the mapping at {@code parent}, or of the mapping if the key is not there. */
    int keyLine(List<Object> parent, String key) {
        List<Object> path = new ArrayList<>(parent);
        path.add(key);
        Integer line = keyLines.get(path);
        return line != null ? line : valueLine(parent);
    }

    private JsonNode convert(Node node, List<Object> path) {
        valueLines.put(List.copyOf(path), YamlFile.line(node));
        if (node instanceof MappingNode mapping) {
            ObjectNode object = JSON.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = YamlFile.text(tuple.getKeyNode()).orElse("");
                path.add(key);
                keyLines.put(List.copyOf(path), YamlFile.line(tuple.getKeyNode()));
                object.set(key, convert(tuple.getValueNode(), path));
                path.remove(path.size() - 1);
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                path.add(i);
                array.add(convert(items.get(i), path));
                path.remove(path.size() - 1);
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private static JsonNode scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        try {
            if (Tag.NULL.equals(tag)) {
                return JSON.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return JSON.booleanNode(Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT)));
            }
            if (Tag.INT.equals(tag)) {
                return JSON.numberNode(new BigInteger(value.replace("_", "")));
            }
            if (Tag.FLOAT.equals(tag)) {
                return JSON.numberNode(Double.parseDouble(value));
            }
        } catch (NumberFormatException e) {
            // hex, octal and .inf forms: the schema only cares that it is a number-like value; keep the text
            return JSON.textNode(value);
        }
        return JSON.textNode(value);
    }
}
