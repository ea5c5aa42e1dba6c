package org.ilinks.governance.minimise;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service's allow-list, as loaded and checked by {@link ProfileLoader}: which segments, fields and components the
 * service receives and how each is transformed. Anything not in it is removed; MSH is always kept as it is.
 *
 * @param serviceId      the service the profile is for (the file name without {@code .yaml})
 * @param file           where it was read from, for messages that point an analyst at it
 * @param segments       segment id to rule
 * @param mask           the text that replaces masked values
 * @param pseudonymiser  present when the profile configures a key
 * @param ageBands       bands for {@code age-band}
 * @param extractColumns the columns of practice extracts the service may receive, in the order its files hold them
 */
public record MinimisationProfile(String serviceId, Path file, Map<String, SegmentRule> segments, String mask,
                                  Optional<Pseudonymiser> pseudonymiser, AgeBands ageBands,
                                  List<ExtractColumn> extractColumns) {

    public MinimisationProfile {
        segments = Map.copyOf(segments);
        extractColumns = List.copyOf(extractColumns);
    }

    /** The segment ids the profile lets through (MSH is always let through and not listed). */
    public Set<String> allowedSegments() {
        return segments.keySet();
    }
}
