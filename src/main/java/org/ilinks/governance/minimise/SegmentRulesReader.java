package org.ilinks.governance.minimise;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ilinks.config.YamlFile;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads and checks the {@code segments:} mapping of a profile file into segment rules. */
final class SegmentRulesReader {

    private static final Pattern SEGMENT_ID = Pattern.compile("^[A-Z][A-Z0-9]{2}$");
    private static final String WHOLE_SEGMENT = "all";
    private static final int MAX_LOCAL_FIELDS = 999;

    /** The rules, and the line of the first rule that pseudonymises (0 when none does). */
    record Rules(Map<String, SegmentRule> segments, int firstPseudonymiseLine) {
    }

    private final ProfileYaml yaml;
    private int firstPseudonymiseLine;

    SegmentRulesReader(ProfileYaml yaml) {
        this.yaml = yaml;
    }

    Optional<Rules> read(Node node) {
        Optional<MappingNode> mapping = yaml.mapping(node, "segments");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Map<String, SegmentRule> segments = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.get().getValue()) {
            String id = ProfileYaml.key(tuple);
            if (validSegment(id, tuple.getKeyNode())) {
                segment(id, tuple).ifPresent(rule -> segments.put(id, rule));
            }
        }
        return Optional.of(new Rules(segments, firstPseudonymiseLine));
    }

    private boolean validSegment(String id, Node at) {
        if (!SEGMENT_ID.matcher(id).matches()) {
            yaml.report(at, "segment id '" + id + "' must be 3 capital letters or digits, e.g. PID");
            return false;
        }
        if (id.equals("MSH")) {
            yaml.report(at, "MSH is always kept as it is and cannot be listed");
            return false;
        }
        if (!SegmentCatalogue.isLocal(id) && SegmentCatalogue.fieldCount(id).isEmpty()) {
            yaml.report(at, "unknown segment '" + id + "' (not an HL7 v2.6 segment; local segments start with Z)");
            return false;
        }
        return true;
    }

    private Optional<SegmentRule> segment(String id, NodeTuple tuple) {
        Node value = tuple.getValueNode();
        if (YamlFile.isNull(value)) {
            yaml.report(tuple.getKeyNode(), id + " has no value: write 'all' or list the fields to keep");
            return Optional.empty();
        }
        Optional<String> text = YamlFile.text(value);
        if (text.isPresent()) {
            if (text.get().trim().equals(WHOLE_SEGMENT)) {
                return Optional.of(new SegmentRule(true, Map.of()));
            }
            yaml.report(value, id + " must be 'all' or a mapping of field paths to transforms, not '"
                    + text.get().trim() + "'");
            return Optional.empty();
        }
        return yaml.mapping(value, id).flatMap(fields -> fields(id, fields));
    }

    private Optional<SegmentRule> fields(String id, MappingNode mapping) {
        // field -> type (or "" for every repetition) -> whole/components under construction
        Map<Integer, Map<String, Draft>> drafts = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple tuple : mapping.getValue()) {
            ok &= rule(id, tuple, drafts);
        }
        if (!ok) {
            return Optional.empty();
        }
        Map<Integer, FieldPolicy> fields = new HashMap<>();
        drafts.forEach((field, byType) -> {
            Map<String, FieldRule> typed = new HashMap<>();
            byType.forEach((type, draft) -> {
                if (!type.isEmpty()) {
                    typed.put(type, draft.rule());
                }
            });
            Draft any = byType.get("");
            fields.put(field, new FieldPolicy(any == null ? null : any.rule(), typed));
        });
        return Optional.of(new SegmentRule(false, fields));
    }

    private boolean rule(String id, NodeTuple tuple, Map<Integer, Map<String, Draft>> drafts) {
        String pathText = ProfileYaml.key(tuple);
        Node keyNode = tuple.getKeyNode();
        Optional<Hl7Path> parsed = Hl7Path.parse(pathText);
        if (parsed.isEmpty()) {
            yaml.report(keyNode, "'" + pathText + "' is not a field path: write " + id + "-3, " + id + "-5.1 or "
                    + id + "-3[type=NH]");
            return false;
        }
        Hl7Path path = parsed.get();
        if (!path.segment().equals(id)) {
            yaml.report(keyNode, path + " is listed under " + id + ": list it under " + path.segment());
            return false;
        }
        if (!inRange(id, path, keyNode)) {
            return false;
        }
        Optional<Transform> transform = YamlFile.text(tuple.getValueNode()).map(String::trim)
                .flatMap(name -> {
                    Optional<Transform> known = Transform.byProfileName(name);
                    if (known.isEmpty()) {
                        yaml.report(tuple.getValueNode(), "unknown transform '" + name + "' for " + path
                                + " (expected one of: " + Transform.allNames() + ")");
                    }
                    return known;
                });
        if (YamlFile.text(tuple.getValueNode()).isEmpty()) {
            yaml.report(keyNode, path + " needs a transform (one of: " + Transform.allNames() + ")");
            return false;
        }
        if (transform.isEmpty()) {
            return false;
        }
        if (transform.get() == Transform.PSEUDONYMISE && firstPseudonymiseLine == 0) {
            firstPseudonymiseLine = YamlFile.line(keyNode);
        }
        Draft draft = drafts.computeIfAbsent(path.field(), f -> new LinkedHashMap<>())
                .computeIfAbsent(path.type() == null ? "" : path.type(), t -> new Draft());
        if (!draft.add(path.component(), transform.get())) {
            yaml.report(keyNode, path + " is listed twice");
            return false;
        }
        return true;
    }

    private boolean inRange(String id, Hl7Path path, Node at) {
        int maxFields = SegmentCatalogue.isLocal(id) ? MAX_LOCAL_FIELDS : SegmentCatalogue.fieldCount(id).orElse(0);
        if (path.field() < 1 || path.field() > maxFields) {
            yaml.report(at, path + ": " + id + " has fields 1 to " + maxFields + " in HL7 v2.6");
            return false;
        }
        return true;
    }

    /** A field rule being put together from several lines of the profile. */
    private static final class Draft {
        private Transform whole;
        private final Map<Integer, Transform> components = new HashMap<>();

        boolean add(int component, Transform transform) {
            if (component == 0) {
                if (whole != null) {
                    return false;
                }
                whole = transform;
                return true;
            }
            return components.putIfAbsent(component, transform) == null;
        }

        FieldRule rule() {
            return new FieldRule(whole, components);
        }
    }
}
