package org.ilinks.governance.restricted;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Splitter;

/**
 * Finds legally restricted and sensitive data (HIV, sexual health, fertility treatment, gender recognition,
 * termination of pregnancy, ... as {@code config/restricted-codes.yaml} lists them) in a message's coded fields,
 * so that it can be removed for every service not authorised for its category.
 *
 * <p>A coded field matches when, in any repetition, components 1 (code) and 3 (system), or the alternate coding in
 * components 4 and 6, are a listed code. OBX-5 is read only when OBX-2 says it is coded (CE, CWE or CNE). A matching
 * segment takes with it what hangs off it: an OBR its ORC just before it and the NTE, OBX, TQ1, TQ2, CTD, DG1, FT1,
 * CTI and SPM segments after it; an OBX its NTEs; a PRB its NTE, VAR, ROL and OBX (with their NTEs); a PR1 its NTE
 * and ROL; DG1, AL1 and IAM their NTEs.
 *
 * <p>Pure text work, no HAPI parse and no I/O; immutable and thread-safe. Nothing from the message ever goes into
 * a result's removals or an exception.
 */
public final class RestrictedDataFilter {

    private static final Set<String> CODED_TYPES = Set.of("CE", "CWE", "CNE");
    private static final int[] CODING_STARTS = {0, 3};

    private final RestrictedCodes codes;
    /** Segment type -> field numbers searched in it. */
    private final Map<String, int[]> fieldsBySegment;

    public RestrictedDataFilter(RestrictedCodes codes) {
        this.codes = Objects.requireNonNull(codes, "codes");
        Map<String, List<Integer>> fields = new LinkedHashMap<>();
        for (CodedField field : codes.fields()) {
            fields.computeIfAbsent(field.segment(), s -> new ArrayList<>()).add(field.field());
        }
        Map<String, int[]> bySegment = new HashMap<>();
        fields.forEach((segment, numbers) -> bySegment.put(segment,
                numbers.stream().mapToInt(Integer::intValue).toArray()));
        this.fieldsBySegment = Map.copyOf(bySegment);
    }

    /**
     * Finds the restricted segments of one message (with CR, LF or CRLF between segments).
     *
     * @throws IllegalArgumentException when there are codes to look for and the message does not start with MSH
     */
    public Scan scan(String message) {
        Objects.requireNonNull(message, "message");
        if (codes.hasNoCodes()) {
            return Scan.nothingRestricted(message);
        }
        List<String> segments = segments(message);
        if (segments.isEmpty()) {
            return Scan.nothingRestricted(message);
        }
        Delimiters delimiters = Delimiters.of(segments.get(0));
        String[] ids = new String[segments.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(segments.get(i), delimiters.field());
        }
        List<Scan.Match> matches = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            int[] fields = fieldsBySegment.get(ids[i]);
            if (fields == null) {
                continue;
            }
            int occurrence = occurrences.merge(ids[i], 1, Integer::sum);
            Set<String> categories = categories(ids[i], segments.get(i), fields, delimiters);
            if (!categories.isEmpty()) {
                matches.add(new Scan.Match(i, ids[i] + "[" + occurrence + "]", categories, start(ids, i),
                        end(ids, i)));
            }
        }
        if (matches.isEmpty()) {
            return Scan.nothingRestricted(message);
        }
        char last = message.charAt(message.length() - 1);
        return new Scan(message, segments, last == '\r' || last == '\n', matches, clinical(ids), orders(ids));
    }

    private Set<String> categories(String id, String segment, int[] fields, Delimiters delimiters) {
        List<String> values = Splitter.split(segment, delimiters.field());
        Set<String> found = null;
        for (int field : fields) {
            if (field >= values.size() || (field == 5 && id.equals("OBX") && !coded(values))) {
                continue;
            }
            for (String repetition : Splitter.split(values.get(field), delimiters.repetition())) {
                if (repetition.isEmpty()) {
                    continue;
                }
                List<String> components = Splitter.split(repetition, delimiters.component());
                // The first coding is components 1-3, the alternate one 4-6; component 2 and 5 are only text.
                for (int start : CODING_STARTS) {
                    Set<String> categories = lookUp(component(components, start),
                            component(components, start + 2), delimiters);
                    if (!categories.isEmpty()) {
                        found = found == null ? new TreeSet<>() : found;
                        found.addAll(categories);
                    }
                }
            }
        }
        return found == null ? Set.of() : Collections.unmodifiableSet(found);
    }

    private Set<String> lookUp(String code, String system, Delimiters delimiters) {
        if (code.isBlank() || system.isBlank()) {
            return Set.of();
        }
        return codes.categoriesOf(unescaped(system, delimiters), unescaped(code, delimiters));
    }

    private static String unescaped(String text, Delimiters delimiters) {
        return text.indexOf(delimiters.escape()) < 0 ? text : delimiters.unescape(text);
    }

    private static boolean coded(List<String> obx) {
        return obx.size() > 2 && CODED_TYPES.contains(obx.get(2).strip().toUpperCase(Locale.ROOT));
    }

    private static String component(List<String> components, int index) {
        return index < components.size() ? components.get(index) : "";
    }

    /** Where the removed group starts: an OBR's order control segment goes with it. */
    private static int start(String[] ids, int index) {
        return ids[index].equals("OBR") && index > 0 && ids[index - 1].equals("ORC") ? index - 1 : index;
    }

    /** Just after the last segment that hangs off the one at {@code index}. */
    private static int end(String[] ids, int index) {
        Set<String> followers = RestrictedSegments.followers(ids[index]);
        int end = index + 1;
        while (end < ids.length && followers.contains(ids[end])) {
            end++;
        }
        return end;
    }

    /**
     * Each OBR with its group {@code [start, end)} and the positions of its OBX segments: an order whose every
     * result is removed goes too, since the order alone (a viral load, a chlamydia screen) says what the results were.
     */
    private static List<Scan.Order> orders(String[] ids) {
        List<Scan.Order> orders = new ArrayList<>();
        int occurrence = 0;
        for (int i = 0; i < ids.length; i++) {
            if (!ids[i].equals("OBR")) {
                continue;
            }
            occurrence++;
            int end = end(ids, i);
            List<Integer> results = new ArrayList<>();
            for (int j = i + 1; j < end; j++) {
                if (ids[j].equals("OBX")) {
                    results.add(j);
                }
            }
            orders.add(new Scan.Order("OBR[" + occurrence + "]", start(ids, i), end,
                    results.stream().mapToInt(Integer::intValue).toArray()));
        }
        return orders;
    }

    private static int[] clinical(String[] ids) {
        List<Integer> obr = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals("OBR")) {
                obr.add(i);
            } else if (RestrictedSegments.CLINICAL_WITHOUT_OBR.contains(ids[i])) {
                other.add(i);
            }
        }
        return (obr.isEmpty() ? other : obr).stream().mapToInt(Integer::intValue).toArray();
    }

    private static String id(String segment, char fieldSeparator) {
        int end = segment.indexOf(fieldSeparator);
        return end < 0 ? segment : segment.substring(0, end);
    }

    /** The segments, without the CR, LF or CRLF between them and without blank lines. */
    private static List<String> segments(String message) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= message.length(); i++) {
            if (i == message.length() || message.charAt(i) == '\r' || message.charAt(i) == '\n') {
                if (i > start) {
                    segments.add(message.substring(start, i));
                }
                start = i + 1;
            }
        }
        return segments;
    }
}
