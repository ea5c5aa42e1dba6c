package org.ilinks.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Checks a route file against Camel's JSON schema for the YAML DSL (shipped in camel-yaml-dsl) and turns the
 * validator's errors into readable {@code file:line: message} problems. The schema is full of oneOf/anyOf
 * alternatives, so one mistake yields many raw errors; only the ones that explain the mistake are kept.
 */
final class RouteSchemaCheck {

    private static final String SCHEMA_RESOURCE = "schema/camelYamlDsl.json";
    private static final Set<String> COMPOSITE = Set.of("oneOf", "anyOf", "allOf", "not");
    private static final Pattern TYPE_MESSAGE = Pattern.compile("(\\w+) found, (\\w+) expected");
    private static final int MAX_ALTERNATIVES = 8;

    /** Holder idiom: the 800 KB schema is parsed once, on first use, by whichever thread gets there first. */
    private static final class Schema {
        static final JsonNode RAW;
        static final JsonSchema SCHEMA;

        static {
            try (InputStream in = RouteSchemaCheck.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("camel-yaml-dsl's " + SCHEMA_RESOURCE + " is not on the classpath");
                }
                RAW = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, e);
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().locale(Locale.ENGLISH).build();
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(RAW, config);
        }
    }

    /** One raw validator error, with its instance location as names and indexes. */
    private record Error(ValidationMessage message, List<Object> location, boolean inAlternative) {
        String type() {
            return message.getType();
        }

        boolean deeperThan(List<Object> other) {
            return location.size() > other.size() && location.subList(0, other.size()).equals(other);
        }
    }

    private RouteSchemaCheck() {
    }

    static List<ConfigProblem> check(Path file, Node document) {
        YamlJsonTree tree = new YamlJsonTree(document);
        List<Error> errors = new ArrayList<>();
        for (ValidationMessage m : withoutPlaceholderFailures(Schema.SCHEMA.validate(tree.json()))) {
            errors.add(new Error(m, elements(m.getInstanceLocation()), inAlternative(m.getEvaluationPath())));
        }
        List<Error> specific = errors.stream().filter(e -> !COMPOSITE.contains(e.type())).toList();
        List<Error> explaining = specific.stream()
                .filter(e -> !e.inAlternative() || specific.stream().noneMatch(o -> o.deeperThan(e.location())))
                .toList();
        Map<List<Object>, List<Error>> byLocation = new LinkedHashMap<>();
        explaining.forEach(e -> byLocation.computeIfAbsent(e.location(), k -> new ArrayList<>()).add(e));
        Set<ConfigProblem> problems = new LinkedHashSet<>();
        byLocation.forEach((location, here) -> describe(file, tree, location, here, problems));
        if (problems.isEmpty()) {
            for (Error e : errors) {
                problems.add(ConfigProblem.at(file, tree.valueLine(e.location()), plain(e)));
            }
        }
        return List.copyOf(problems);
    }

    private static void describe(Path file, YamlJsonTree tree, List<Object> location, List<Error> here,
                                 Set<ConfigProblem> problems) {
        String where = where(location);
        int line = tree.valueLine(location);
        List<Error> unknownKeys = here.stream().filter(e -> e.type().equals("additionalProperties")).toList();
        List<Error> missing = here.stream().filter(e -> e.type().equals("required") && !e.inAlternative()).toList();
        Set<String> misspelt = new java.util.HashSet<>();
        for (Error e : unknownKeys) {
            String key = e.message().getProperty();
            java.util.Optional<String> meant = Spelling.closest(key, allowedKeys(e.message()));
            meant.ifPresent(misspelt::add);
            problems.add(ConfigProblem.at(file, tree.keyLine(location, key),
                    "unknown key '" + key + "' " + where + meant.map(k -> " (did you mean '" + k + "'?)").orElse("")));
        }
        for (Error e : missing) {
            if (misspelt.contains(e.message().getProperty())) {
                continue; // "did you mean 'from'?" already says it is missing
            }
            problems.add(ConfigProblem.at(file, line, "missing '" + e.message().getProperty() + "' " + where));
        }
        for (Error e : here) {
            if (!e.inAlternative() && !Set.of("additionalProperties", "required", "type").contains(e.type())) {
                problems.add(ConfigProblem.at(file, line, plain(e)));
            }
        }
        boolean explained = !unknownKeys.isEmpty() || !missing.isEmpty();
        List<Error> types = here.stream().filter(e -> e.type().equals("type")).toList();
        if (!types.isEmpty() && (!explained || types.stream().anyMatch(e -> !e.inAlternative()))) {
            problems.add(ConfigProblem.at(file, line, wrongType(location, types)));
            explained = true;
        }
        List<Error> alternatives = here.stream().filter(e -> e.type().equals("required") && e.inAlternative())
                .toList();
        if (!alternatives.isEmpty() && !explained) {
            List<String> names = alternatives.stream().map(e -> e.message().getProperty()).distinct().toList();
            String list = names.size() > MAX_ALTERNATIVES
                    ? String.join(", ", names.subList(0, MAX_ALTERNATIVES)) + ", ..."
                    : String.join(", ", names);
            problems.add(ConfigProblem.at(file, line, name(location) + " needs one of: " + list));
            explained = true;
        }
        if (!explained) {
            here.stream().filter(Error::inAlternative)
                    .filter(e -> !Set.of("required", "type").contains(e.type()))
                    .forEach(e -> problems.add(ConfigProblem.at(file, line, plain(e))));
        }
    }

    /** "found X, expected A or B" from the alternatives the schema allowed at one place. */
    private static String wrongType(List<Object> location, List<Error> types) {
        String found = null;
        Set<String> expected = new LinkedHashSet<>();
        for (Error e : types) {
            Matcher m = TYPE_MESSAGE.matcher(e.message().getMessage());
            if (m.find()) {
                found = m.group(1);
                expected.add(m.group(2));
            }
        }
        if (found == null) {
            return plain(types.get(0));
        }
        return name(location) + " must be " + String.join(" or ", expected.stream().map(RouteSchemaCheck::article)
                .toList()) + ", not " + article(found);
    }

    private static String article(String jsonType) {
        return switch (jsonType) {
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "string" -> "a text";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true/false";
            case "null" -> "empty";
            default -> jsonType;
        };
    }

    /** The validator's own message, with the location written as names the analyst can find. */
    private static String plain(Error e) {
        String text = e.message().getMessage();
        String prefix = e.message().getInstanceLocation().toString() + ": ";
        if (text.startsWith(prefix)) {
            text = text.substring(prefix.length());
        }
        return name(e.location()) + ": " + text;
    }

    private static String where(List<Object> location) {
        return location.stream().anyMatch(String.class::isInstance) ? "in " + name(location) : "at the top level";
    }

    /** The nearest named key of a location: {@code [0, route, from, steps, 2]} is {@code steps}. */
    private static String name(List<Object> location) {
        for (int i = location.size() - 1; i >= 0; i--) {
            if (location.get(i) instanceof String s) {
                return s;
            }
        }
        return "top level";
    }

    /** The keys the schema allows where an unknown key was found, for the spelling hint. */
    private static List<String> allowedKeys(ValidationMessage message) {
        JsonNodePath fragment = message.getSchemaLocation().getFragment();
        JsonNode node = Schema.RAW;
        for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(element.toString());
        }
        List<String> keys = new ArrayList<>();
        if (node != null && node.get("properties") != null) {
            node.get("properties").fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    /**
     * Camel resolves {@code {{...}}} before converting an option, so a placeholder may stand for a number or a
     * boolean. Errors about such values are dropped, and so is every error of a oneOf/anyOf that one of its
     * alternatives would have passed but for them.
     */
    private static List<ValidationMessage> withoutPlaceholderFailures(Set<ValidationMessage> raw) {
        List<ValidationMessage> placeholders = raw.stream().filter(m -> isPlaceholder(m.getInstanceNode())).toList();
        List<ValidationMessage> remaining = new ArrayList<>(raw);
        remaining.removeAll(placeholders);
        boolean changed = !placeholders.isEmpty();
        while (changed) {
            changed = false;
            for (ValidationMessage composite : List.copyOf(remaining)) {
                List<Object> path = elements(composite.getEvaluationPath());
                if (!Set.of("oneOf", "anyOf").contains(composite.getType())
                        || placeholders.stream().noneMatch(p -> startsWith(p.getEvaluationPath(), path))
                        || !hasPassingAlternative(composite, path, remaining)) {
                    continue;
                }
                remaining.removeIf(m -> startsWith(m.getEvaluationPath(), path));
                changed = true;
            }
        }
        return remaining;
    }

    private static boolean hasPassingAlternative(ValidationMessage composite, List<Object> path,
                                                 List<ValidationMessage> remaining) {
        JsonNode alternatives = composite.getSchemaNode();
        int count = alternatives != null && alternatives.isArray() ? alternatives.size() : 0;
        for (int i = 0; i < count; i++) {
            List<Object> branch = new ArrayList<>(path);
            branch.add(i);
            if (remaining.stream().noneMatch(m -> m != composite && startsWith(m.getEvaluationPath(), branch))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(JsonNodePath path, List<Object> prefix) {
        List<Object> elements = elements(path);
        return elements.size() >= prefix.size() && elements.subList(0, prefix.size()).equals(prefix);
    }

    private static boolean isPlaceholder(JsonNode value) {
        return value != null && value.isTextual() && value.asText().contains("{{");
    }

    private static List<Object> elements(JsonNodePath path) {
        List<Object> elements = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }

    private static boolean inAlternative(JsonNodePath evaluationPath) {
        for (int i = 0; i < evaluationPath.getNameCount(); i++) {
            Object element = evaluationPath.getElement(i);
            if ("oneOf".equals(element) || "anyOf".equals(element)) {
                return true;
            }
        }
        return false;
    }
}
