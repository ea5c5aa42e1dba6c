package org.ilinks.extract;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this engine has seen of each practice's server since it started: the last poll that reached the folder, and
 * the last error in words a practice manager can act on. Files and records are counted from the claim table.
 */
public final class ExtractStatus {

    /** One practice's polls, as this engine saw them. */
    public record Polls(Instant lastSuccessfulPoll, Instant lastErrorAt, String lastError) {
    }

    private final Map<String, Polls> byPractice = new ConcurrentHashMap<>();

    public void polled(String ods, Instant at) {
        byPractice.merge(ods, new Polls(at, null, null),
                (old, now) -> new Polls(at, old.lastErrorAt(), old.lastError()));
    }

    public void failed(String ods, Instant at, String error) {
        byPractice.merge(ods, new Polls(null, at, error),
                (old, now) -> new Polls(old.lastSuccessfulPoll(), at, error));
    }

    public Polls of(String ods) {
        return byPractice.getOrDefault(ods, new Polls(null, null, null));
    }
}
