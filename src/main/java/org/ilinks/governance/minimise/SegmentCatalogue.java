package org.ilinks.governance.minimise;

import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ilinks.hl7.Hl7Context;

/**
 * Which segments HL7 v2.6 defines and how many fields each has, taken from the HAPI v2.6 structures the engine
 * ships, so the profile check agrees with the parser that re-reads minimised messages.
 */
final class SegmentCatalogue {

    private static final String PACKAGE = "ca.uhn.hl7v2.model.v26.segment.";
    private static final Map<String, Optional<Integer>> FIELD_COUNTS = new ConcurrentHashMap<>();

    private SegmentCatalogue() {
    }

    /** Local (Z) segments: any fields, since no standard describes them. */
    static boolean isLocal(String id) {
        return id.startsWith("Z");
    }

    /** The number of fields of a standard segment, or empty when v2.6 has no such segment. */
    static Optional<Integer> fieldCount(String id) {
        return FIELD_COUNTS.computeIfAbsent(id, SegmentCatalogue::lookUp);
    }

    private static Optional<Integer> lookUp(String id) {
        try {
            Class<?> type = Class.forName(PACKAGE + id);
            if (!Segment.class.isAssignableFrom(type)) {
                return Optional.empty();
            }
            ModelClassFactory factory = Hl7Context.context().getModelClassFactory();
            // A segment must hang off a message to be built; an empty ACK is the cheapest v2.6 one.
            Segment segment = (Segment) type.getConstructor(Group.class, ModelClassFactory.class)
                    .newInstance(new ACK(factory), factory);
            return Optional.of(segment.numFields());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot build HAPI v2.6 segment " + id, e);
        }
    }
}
