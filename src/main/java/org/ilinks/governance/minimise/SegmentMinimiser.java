package org.ilinks.governance.minimise;

import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Splitter;

import java.util.ArrayList;
import java.util.List;

/** Reduces one segment to the fields, repetitions and components its {@link SegmentRule} allows. */
final class SegmentMinimiser {

    private static final int IDENTIFIER_TYPE_COMPONENT = 5;

    private final Delimiters delimiters;
    private final ValueTransformer transformer;
    private final ChangeLog changes;

    SegmentMinimiser(Delimiters delimiters, ValueTransformer transformer, ChangeLog changes) {
        this.delimiters = delimiters;
        this.transformer = transformer;
        this.changes = changes;
    }

    String apply(String id, String segment, SegmentRule rule) {
        List<String> fields = Splitter.split(segment, delimiters.field());
        List<String> out = new ArrayList<>(fields.size());
        out.add(id);
        for (int n = 1; n < fields.size(); n++) {
            FieldPolicy policy = rule.fields().get(n);
            String raw = fields.get(n);
            if (policy == null) {
                if (!raw.isEmpty()) {
                    changes.record(id + "-" + n, "removed");
                }
                out.add("");
            } else {
                out.add(field(id + "-" + n, raw, policy));
            }
        }
        return Splitter.joinTrimmed(out, delimiters.field());
    }

    private String field(String path, String raw, FieldPolicy policy) {
        List<String> kept = new ArrayList<>();
        for (String repetition : Splitter.split(raw, delimiters.repetition())) {
            if (repetition.isEmpty()) {
                continue;
            }
            String type = identifierType(repetition);
            FieldRule typed = policy.byType().get(type);
            FieldRule rule = typed != null ? typed : policy.anyRepetition();
            String rulePath = typed != null ? path + "[type=" + type + "]" : path;
            if (rule == null) {
                changes.record(path, "repetition removed");
                continue;
            }
            String result = repetition(rulePath, repetition, rule);
            if (!result.isEmpty()) {
                kept.add(result);
            }
        }
        return String.join(String.valueOf(delimiters.repetition()), kept);
    }

    private String repetition(String path, String repetition, FieldRule rule) {
        if (rule.components().isEmpty()) {
            return transformer.apply(rule.whole(), repetition, path);
        }
        List<String> components = Splitter.split(repetition, delimiters.component());
        List<String> out = new ArrayList<>(components.size());
        for (int c = 1; c <= components.size(); c++) {
            out.add(transformer.apply(rule.forComponent(c), components.get(c - 1), path + "." + c));
        }
        return Splitter.joinTrimmed(out, delimiters.component());
    }

    private String identifierType(String repetition) {
        List<String> components = Splitter.split(repetition, delimiters.component());
        return components.size() >= IDENTIFIER_TYPE_COMPONENT ? components.get(IDENTIFIER_TYPE_COMPONENT - 1) : "";
    }
}
