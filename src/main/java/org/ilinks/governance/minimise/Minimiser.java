package org.ilinks.governance.minimise;

import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Hl7Text;
import org.ilinks.hl7.Splitter;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link MinimisationProfile} to one HL7 v2 message, working on the raw text with the message's own
 * delimiters (MSH-1, MSH-2). MSH is kept exactly as received; every other segment, field, repetition and component
 * is removed unless the profile allows it. Kept text is copied byte for byte, so escape sequences stay as the
 * sender wrote them; only generated values (masks, pseudonyms, bands) are escaped where needed. Fields keep their
 * positions, so the result re-parses as the same message type and version; segments end with CR.
 *
 * <p>Age bands are computed at the message date (MSH-7), or at today's date from the clock when MSH-7 is not a date.
 */
public final class Minimiser {

    private final MinimisationProfile profile;
    private final Clock clock;

    public Minimiser(MinimisationProfile profile, Clock clock) {
        this.profile = profile;
        this.clock = clock;
    }

    public Minimiser(MinimisationProfile profile) {
        this(profile, Clock.systemDefaultZone());
    }

    /**
     * @throws IllegalArgumentException when the message does not start with an MSH segment (the message text is
     *                                  never quoted)
     */
    public MinimisedMessage minimise(byte[] message, Charset charset) {
        return minimise(new String(message, charset), charset);
    }

    /** As {@link #minimise(byte[], Charset)} for a message already decoded; {@link MinimisedMessage#bytes()} is UTF-8. */
    public MinimisedMessage minimise(String message) {
        return minimise(message, StandardCharsets.UTF_8);
    }

    /**
     * As {@link #minimise(byte[], Charset)} for a message already decoded from {@code charset};
     * {@link MinimisedMessage#bytes()} encodes it in that charset again.
     */
    public MinimisedMessage minimise(String message, Charset charset) {
        List<String> segments = segments(Hl7Text.withoutBom(message));
        if (segments.isEmpty() || !segments.get(0).startsWith("MSH")) {
            throw new IllegalArgumentException("message does not start with an MSH segment");
        }
        String msh = segments.get(0);
        Delimiters delimiters = Delimiters.of(msh);
        ChangeLog changes = new ChangeLog();
        ValueTransformer transformer = new ValueTransformer(profile, delimiters, referenceDate(msh, delimiters),
                changes);
        SegmentMinimiser segmentMinimiser = new SegmentMinimiser(delimiters, transformer, changes);
        StringBuilder out = new StringBuilder(message.length());
        for (String segment : segments) {
            String id = segmentId(segment, delimiters);
            if (id.equals("MSH")) {
                out.append(segment).append('\r');
                continue;
            }
            SegmentRule rule = profile.segments().get(id);
            if (rule == null) {
                changes.record(id.isEmpty() ? "(unnamed segment)" : id, "segment removed");
            } else {
                out.append(rule.keepWhole() ? segment : segmentMinimiser.apply(id, segment, rule)).append('\r');
            }
        }
        return new MinimisedMessage(out.toString(), charset, changes.changes());
    }

    private LocalDate referenceDate(String msh, Delimiters delimiters) {
        List<String> fields = Splitter.split(msh, delimiters.field());
        // fields.get(0) is "MSH" and MSH-1 is the separator itself, so MSH-7 sits at index 6.
        String messageDate = fields.size() > 6 ? fields.get(6) : "";
        return Hl7Dates.date(messageDate).orElseGet(() -> LocalDate.now(clock));
    }

    private static String segmentId(String segment, Delimiters delimiters) {
        int end = segment.indexOf(delimiters.field());
        return end < 0 ? segment : segment.substring(0, end);
    }

    private static List<String> segments(String message) {
        List<String> segments = new ArrayList<>();
        for (String line : message.split("\r\n|\r|\n")) {
            if (!line.isBlank()) {
                segments.add(line);
            }
        }
        return segments;
    }

    /** The profile this minimiser applies. */
    public MinimisationProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "Minimiser[" + profile.serviceId() + "]";
    }

}
