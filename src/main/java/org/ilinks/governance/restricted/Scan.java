package org.ilinks.governance.restricted;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where one message holds restricted data: made once per message by {@link RestrictedDataFilter#scan(String)}, then
 * asked once per service which segments that service may not receive. Immutable, so one scan serves all services
 * on any thread.
 */
public final class Scan {

    /**
     * A segment whose code matched, and the segments it takes with it, {@code [start, end)} of the message's
     * segments (start is before index when the OBR's ORC goes too).
     */
    record Match(int index, String name, Set<String> categories, int start, int end) {
    }

    /** An OBR group: {@code [start, end)} of the segments, and where its OBX segments are. */
    record Order(String name, int start, int end, int[] results) {
    }

    private final String message;
    private final List<String> segments;
    private final boolean endsWithTerminator;
    private final List<Match> matches;
    /** The segments that carry the clinical content; when all are removed the message is withheld. */
    private final int[] clinical;
    private final List<Order> orders;

    Scan(String message, List<String> segments, boolean endsWithTerminator, List<Match> matches, int[] clinical,
         List<Order> orders) {
        this.message = message;
        this.segments = List.copyOf(segments);
        this.endsWithTerminator = endsWithTerminator;
        this.matches = List.copyOf(matches);
        this.clinical = clinical.clone();
        this.orders = List.copyOf(orders);
    }

    static Scan nothingRestricted(String message) {
        return new Scan(message, List.of(), false, List.of(), new int[0], List.of());
    }

    /** True when some segment holds a restricted code. */
    public boolean restricted() {
        return !matches.isEmpty();
    }

    /** Every category found in the message, sorted; empty when nothing is restricted. */
    public Set<String> categories() {
        Set<String> all = new TreeSet<>();
        matches.forEach(m -> all.addAll(m.categories()));
        return Collections.unmodifiableSet(all);
    }

    /**
     * The message as a service authorised for {@code authorisedCategories} may receive it. A segment in several
     * categories is removed unless the service is authorised for all of them.
     */
    public Filtered removeFor(Set<String> authorisedCategories) {
        Objects.requireNonNull(authorisedCategories, "authorisedCategories");
        boolean[] removed = new boolean[segments.size()];
        int[] removedBy = new int[segments.size()];
        List<String> names = new ArrayList<>();
        List<Set<String>> reasons = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Match match : matches) {
            if (authorisedCategories.containsAll(match.categories())) {
                continue;
            }
            if (removed[match.index()]) {
                // Already gone with the segment it hangs off; that removal also happened because of this one.
                reasons.get(removedBy[match.index()]).addAll(match.categories());
                continue;
            }
            int count = 0;
            for (int i = match.start(); i < match.end(); i++) {
                if (!removed[i]) {
                    removed[i] = true;
                    removedBy[i] = names.size();
                    count++;
                }
            }
            names.add(match.name());
            reasons.add(new TreeSet<>(match.categories()));
            counts.add(count);
        }
        if (names.isEmpty()) {
            return Filtered.unchanged(message);
        }
        for (Order order : orders) {
            boolean resultsAllRemoved = order.results().length > 0
                    && Arrays.stream(order.results()).allMatch(i -> removed[i]);
            if (!resultsAllRemoved || removed[obrOf(order)]) {
                continue;
            }
            Set<String> why = new TreeSet<>();
            Arrays.stream(order.results()).forEach(i -> why.addAll(reasons.get(removedBy[i])));
            int count = 0;
            for (int i = order.start(); i < order.end(); i++) {
                if (!removed[i]) {
                    removed[i] = true;
                    count++;
                }
            }
            names.add(order.name() + " (every result restricted)");
            reasons.add(why);
            counts.add(count);
        }
        List<Removal> removals = new ArrayList<>(names.size());
        for (int r = 0; r < names.size(); r++) {
            removals.add(new Removal(names.get(r), reasons.get(r), counts.get(r)));
        }
        boolean clinicalGone = clinical.length > 0 && Arrays.stream(clinical).allMatch(i -> removed[i]);
        return new Filtered(kept(removed), removals, clinicalGone);
    }

    /** The OBR itself: its group may start with its ORC. */
    private int obrOf(Order order) {
        for (int i = order.start(); i < order.end(); i++) {
            if (segments.get(i).startsWith("OBR")) {
                return i;
            }
        }
        return order.start();
    }

    private String kept(boolean[] removed) {
        StringBuilder out = new StringBuilder(message.length());
        for (int i = 0; i < segments.size(); i++) {
            if (!removed[i]) {
                out.append(segments.get(i)).append('\r');
            }
        }
        if (!endsWithTerminator && !out.isEmpty()) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
