package org.ilinks.history;

import java.util.Set;

/**
 * Where a message stands for one service (the {@code status} column of {@code routing_decision}). Governance sets
 * the first one (queued, withheld, held); delivery moves a queued copy on.
 */
public enum DeliveryStatus {
    QUEUED("queued"),
    WITHHELD("withheld"),
    HELD("held (NHS number not verified)"),
    FAILED("failed, retrying"),
    DELIVERED("delivered"),
    PARKED("parked"),
    /** Sent again by a replay and queued for the service; delivery moves it on like a queued copy. */
    REPLAYED("replayed, queued again"),
    UNTRACKED("routed before message history");

    /**
     * Statuses a delivery hop may still move on from. A write from a hop only applies to a row in one of these, so a
     * late or repeated write never takes a delivered copy back to failed or queued.
     */
    public static final Set<DeliveryStatus> IN_FLIGHT = Set.of(QUEUED, FAILED, REPLAYED);

    /** Waiting for a person: failed or parked and not since delivered or replayed. */
    public static final Set<DeliveryStatus> UNRESOLVED = Set.of(FAILED, PARKED);

    /** Statuses whose content retention keeps: the copy may still need the original (to replay it, or release it). */
    public static final Set<DeliveryStatus> KEEPS_CONTENT = Set.of(QUEUED, FAILED, PARKED, HELD, REPLAYED);

    private final String words;

    DeliveryStatus(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    /** SQL list of the names, for an IN clause: {@code 'QUEUED','FAILED'}. Names only, never user input. */
    static String sqlList(Set<DeliveryStatus> statuses) {
        return String.join(",", statuses.stream().map(s -> "'" + s.name() + "'").sorted().toList());
    }
}
