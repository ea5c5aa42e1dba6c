package org.ilinks.governance.restricted;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ilinks.governance.CodeSystems;

/**
 * The restricted categories, their codes and the coded fields searched for them: what
 * {@code config/restricted-codes.yaml} says, ready for {@link RestrictedDataFilter}. Immutable and thread-safe.
 * A code listed in several categories belongs to all of them.
 */
public final class RestrictedCodes {

    /** The coded fields searched when the file does not list its own. */
    public static final List<CodedField> DEFAULT_FIELDS = List.of(
            new CodedField("OBR", 4), new CodedField("OBX", 3), new CodedField("OBX", 5),
            new CodedField("DG1", 3), new CodedField("PRB", 3), new CodedField("AL1", 3),
            new CodedField("PR1", 3));

    private static final RestrictedCodes NONE = new RestrictedCodes(DEFAULT_FIELDS, List.of());

    private final List<CodedField> fields;
    private final Map<String, RestrictedCategory> categories;
    /** canonical code system -> code -> categories. */
    private final Map<String, Map<String, Set<String>>> index;

    public RestrictedCodes(List<CodedField> fields, Collection<RestrictedCategory> categories) {
        this.fields = List.copyOf(fields);
        Map<String, RestrictedCategory> byName = new TreeMap<>();
        Map<String, Map<String, Set<String>>> codes = new HashMap<>();
        for (RestrictedCategory category : categories) {
            if (byName.put(category.name(), category) != null) {
                throw new IllegalArgumentException("category '" + category.name() + "' is given twice");
            }
            for (RestrictedCode code : category.codes()) {
                codes.computeIfAbsent(CodeSystems.canonical(code.system()), s -> new HashMap<>())
                        .computeIfAbsent(code.code(), c -> new TreeSet<>())
                        .add(category.name());
            }
        }
        codes.values().forEach(byCode -> byCode.replaceAll((code, names) -> Collections.unmodifiableSet(names)));
        this.categories = Collections.unmodifiableMap(byName);
        this.index = codes;
    }

    /** No categories, no codes: every message passes unchanged. */
    public static RestrictedCodes none() {
        return NONE;
    }

    /** The category names, sorted; services may be authorised only for these. */
    public Set<String> categories() {
        return Collections.unmodifiableSet(categories.keySet());
    }

    public Optional<RestrictedCategory> category(String name) {
        return Optional.ofNullable(categories.get(name));
    }

    public List<CodedField> fields() {
        return fields;
    }

    /** True when no category lists any code, so no message can have restricted content. */
    public boolean hasNoCodes() {
        return index.isEmpty();
    }

    /**
     * The categories of a code found in a message, empty when it is not restricted.
     *
     * @param system the code system as the message writes it (compared by meaning, see {@link CodeSystems})
     */
    public Set<String> categoriesOf(String system, String code) {
        Map<String, Set<String>> byCode = index.get(CodeSystems.canonical(system));
        if (byCode == null) {
            return Set.of();
        }
        Set<String> found = byCode.get(code.strip());
        return found == null ? Set.of() : found;
    }
}
