package org.ilinks.governance.minimise;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Age bands such as {@code 0-17, 18-64, 65+}: contiguous from 0 and ending open, so every age has exactly one band.
 * The band's label is what replaces a date of birth.
 */
public record AgeBands(List<Band> bands) {

    /** The bands used when a profile does not name its own. */
    public static final List<String> DEFAULT_LABELS = List.of("0-17", "18-64", "65+");

    private static final Pattern CLOSED = Pattern.compile("^(\\d{1,3})-(\\d{1,3})$");
    private static final Pattern OPEN = Pattern.compile("^(\\d{1,3})\\+$");

    /** One band; {@code to} is {@link Integer#MAX_VALUE} for the open last band. */
    public record Band(int from, int to, String label) {
    }

    public AgeBands {
        bands = List.copyOf(bands);
    }

    /**
     * Bands from their labels, or a sentence saying what is wrong (no patient data is involved, so the
     * sentence can go straight into a config problem).
     */
    static Result parse(List<String> labels) {
        if (labels.isEmpty()) {
            return new Result(null, "ageBands must list at least one band, e.g. [0-17, 18-64, 65+]");
        }
        List<Band> bands = new java.util.ArrayList<>();
        int expectedFrom = 0;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i).trim();
            Matcher closed = CLOSED.matcher(label);
            Matcher open = OPEN.matcher(label);
            boolean last = i == labels.size() - 1;
            int from;
            int to;
            if (closed.matches()) {
                from = Integer.parseInt(closed.group(1));
                to = Integer.parseInt(closed.group(2));
            } else if (open.matches()) {
                from = Integer.parseInt(open.group(1));
                to = Integer.MAX_VALUE;
            } else {
                return new Result(null, "age band '" + label + "' must be written FROM-TO (18-64) or FROM+ (65+)");
            }
            if (from != expectedFrom) {
                return new Result(null, "age band '" + label + "' must start at " + expectedFrom
                        + " so that the bands follow on from each other without gaps or overlaps");
            }
            if (to < from) {
                return new Result(null, "age band '" + label + "' ends before it starts");
            }
            if (last != (to == Integer.MAX_VALUE)) {
                return new Result(null, last ? "the last age band must be open-ended, e.g. " + from + "+"
                        : "only the last age band can be open-ended ('" + label + "')");
            }
            bands.add(new Band(from, to, label));
            expectedFrom = to == Integer.MAX_VALUE ? to : to + 1;
        }
        return new Result(new AgeBands(bands), null);
    }

    record Result(AgeBands bands, String problem) {
    }

    /** The label of the band holding {@code age}, or empty for a negative age (birth after the message date). */
    public Optional<String> label(int age) {
        return bands.stream().filter(b -> age >= b.from() && age <= b.to()).map(Band::label).findFirst();
    }
}
