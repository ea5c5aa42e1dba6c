package org.ilinks.governance.restricted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.ilinks.config.YamlMapping;
import org.ilinks.governance.CodeSystems;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Loads and checks {@code config/restricted-codes.yaml}, the code lists of legally restricted and sensitive data.
 * Every problem is a {@link ConfigProblem} ({@code file:line: what is wrong}); nothing throws. A missing or empty
 * file means no restricted codes, without a problem, so that the engine runs before the IG lead has written one.
 *
 * <h2>File format</h2>
 * <pre>
 * fields: [OBR-4, OBX-3, OBX-5, DG1-3, PRB-3, AL1-3, PR1-3]   # optional; this list when left out
 * categories:
 *   hiv:                                   # lower-case letters, digits and dashes
 *     description: HIV tests, results and diagnoses            # optional
 *     codes:
 *       - { system: SCT, code: "86406008", display: "Human immunodeficiency virus infection" }
 *       - { system: LN, code: "56888-1" }                        # display optional
 * </pre>
 * Fields may be any field of OBR, OBX, DG1, PRB, AL1, IAM or PR1. A code may be listed in two categories (it then
 * belongs to both) but only once in each.
 */
public final class RestrictedCodesLoader {

    /** The file's name in the config folder. */
    public static final String FILE_NAME = "restricted-codes.yaml";

    private static final Pattern CATEGORY_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final List<String> TOP_KEYS = List.of("fields", "categories");
    private static final List<String> CATEGORY_KEYS = List.of("description", "codes");
    private static final List<String> CODE_KEYS = List.of("system", "code", "display");

    /**
     * What the file holds and what is wrong with it. When there are problems, {@code codes} still holds every
     * category and code that was read correctly (so a caller that goes on anyway withholds as much as it can);
     * callers must refuse to run on a file with problems.
     */
    public record Loaded(RestrictedCodes codes, List<ConfigProblem> problems) {
        public Loaded {
            problems = List.copyOf(problems);
        }

        /** The category names that services may be authorised for. */
        public Set<String> categories() {
            return codes.categories();
        }
    }

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private RestrictedCodesLoader(Path file) {
        this.file = file;
    }

    /** The file {@link #FILE_NAME} in {@code configDir}. */
    public static Loaded loadFrom(Path configDir) {
        return load(configDir.resolve(FILE_NAME));
    }

    /** The code lists in {@code file}; no codes and no problems when the file does not exist. */
    public static Loaded load(Path file) {
        if (!Files.exists(file)) {
            return new Loaded(RestrictedCodes.none(), List.of());
        }
        RestrictedCodesLoader loader = new RestrictedCodesLoader(file);
        RestrictedCodes codes = loader.read();
        loader.problems.sort(null);
        return new Loaded(codes, loader.problems);
    }

    private RestrictedCodes read() {
        YamlFile yaml = YamlFile.read(file);
        problems.addAll(yaml.problems());
        if (yaml.documents().isEmpty()) {
            return RestrictedCodes.none();
        }
        if (yaml.documents().size() > 1) {
            problems.add(ConfigProblem.at(file, YamlFile.line(yaml.documents().get(1)),
                    "only one set of code lists per file: remove the '---' and merge the categories"));
        }
        Optional<YamlMapping> root = YamlMapping.of(file, yaml.documents().get(0), "the restricted codes file",
                problems);
        if (root.isEmpty()) {
            return RestrictedCodes.none();
        }
        root.get().allowOnly(TOP_KEYS);
        List<CodedField> fields = root.get().optional("fields").map(this::fields)
                .orElse(RestrictedCodes.DEFAULT_FIELDS);
        List<RestrictedCategory> categories = root.get().required("categories").map(this::categories)
                .orElse(List.of());
        return new RestrictedCodes(fields, categories);
    }

    private List<CodedField> fields(Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            report(node, "fields must be a list, e.g. [OBX-3, OBX-5, DG1-3]");
            return RestrictedCodes.DEFAULT_FIELDS;
        }
        if (sequence.getValue().isEmpty()) {
            report(node, "fields must list at least one coded field, or be left out for the default list");
            return RestrictedCodes.DEFAULT_FIELDS;
        }
        List<CodedField> fields = new ArrayList<>();
        Map<CodedField, Integer> seen = new HashMap<>();
        for (Node item : sequence.getValue()) {
            Optional<CodedField> field = text("each field", item).flatMap(t -> field(item, t));
            if (field.isPresent()) {
                Integer first = seen.putIfAbsent(field.get(), YamlFile.line(item));
                if (first != null) {
                    report(item, field.get() + " is listed twice (also on line " + first + ")");
                } else {
                    fields.add(field.get());
                }
            }
        }
        return fields;
    }

    private Optional<CodedField> field(Node node, String text) {
        Optional<CodedField> field = CodedField.parse(text);
        if (field.isEmpty()) {
            report(node, "'" + text + "' is not a field path: write SEGMENT-FIELD, e.g. OBX-3");
            return Optional.empty();
        }
        String segment = field.get().segment();
        Optional<Integer> count = RestrictedSegments.fieldCount(segment);
        if (count.isEmpty()) {
            report(node, "codes cannot be searched in " + segment + ": only in fields of "
                    + RestrictedSegments.SUPPORTED_LIST);
            return Optional.empty();
        }
        if (field.get().field() < 1 || field.get().field() > count.get()) {
            report(node, field.get() + ": " + segment + " has fields 1 to " + count.get() + " in HL7 v2.6");
            return Optional.empty();
        }
        return field;
    }

    private List<RestrictedCategory> categories(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            report(node, "categories must be a mapping of category names to their codes");
            return List.of();
        }
        List<RestrictedCategory> categories = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            Optional<String> name = YamlFile.text(key).map(String::strip);
            if (name.isEmpty() || !CATEGORY_NAME.matcher(name.get()).matches()) {
                report(key, "category name '" + name.orElse("") + "' must be lower-case letters, digits and dashes, "
                        + "e.g. sexual-health");
                continue;
            }
            if (!names.add(name.get())) {
                continue; // YamlFile has reported the duplicate key
            }
            YamlMapping.of(file, tuple.getValueNode(), "category '" + name.get() + "'", problems)
                    .map(category -> category(name.get(), key, category))
                    .ifPresent(categories::add);
        }
        return categories;
    }

    private RestrictedCategory category(String name, Node nameNode, YamlMapping category) {
        category.allowOnly(CATEGORY_KEYS);
        String description = category.optional("description").flatMap(n -> category.text("description", n))
                .orElse("");
        if (!category.keys().contains("codes")) {
            // Pointing at the category's name rather than its first key says which category lacks its list.
            report(nameNode, "category '" + name + "' has no 'codes' list");
            return new RestrictedCategory(name, description, List.of());
        }
        List<RestrictedCode> codes = category.required("codes").map(n -> codes(name, n)).orElse(List.of());
        return new RestrictedCategory(name, description, codes);
    }

    private List<RestrictedCode> codes(String category, Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            report(node, "codes must be a list, e.g. - { system: SCT, code: \"86406008\" }");
            return List.of();
        }
        List<RestrictedCode> codes = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node item : sequence.getValue()) {
            Optional<RestrictedCode> code = YamlMapping.of(file, item, "each code", problems).flatMap(this::code);
            if (code.isEmpty()) {
                continue;
            }
            String system = CodeSystems.canonical(code.get().system());
            Integer first = seen.putIfAbsent(system + "|" + code.get().code(), YamlFile.line(item));
            if (first != null) {
                report(item, "code " + system + " " + code.get().code() + " is listed twice in category '"
                        + category + "' (also on line " + first + ")");
            } else {
                codes.add(code.get());
            }
        }
        return codes;
    }

    private Optional<RestrictedCode> code(YamlMapping entry) {
        entry.allowOnly(CODE_KEYS);
        Optional<String> system = entry.requiredText("system");
        Optional<String> code = entry.requiredText("code");
        String display = entry.optional("display").flatMap(n -> entry.text("display", n)).orElse("");
        if (system.isEmpty() || code.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RestrictedCode(system.get(), code.get(), display));
    }

    private Optional<String> text(String what, Node node) {
        Optional<String> text = YamlFile.text(node).map(String::strip);
        if (text.isEmpty()) {
            report(node, what + " must be a single value, not a list or mapping");
        } else if (text.get().isEmpty()) {
            report(node, what + " must not be empty");
            return Optional.empty();
        }
        return text;
    }

    private void report(Node at, String message) {
        problems.add(ConfigProblem.at(file, YamlFile.line(at), message));
    }
}
