package org.ilinks.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login sessions, in memory: a restart logs everyone out, which is the safe way round. A session ends when it has
 * been idle too long, when it is too old however busy, or at logout. Kept under the SHA-256 of its id, so a heap
 * dump does not hand out live sessions.
 */
public final class Sessions {

    /** One session: whose, and since when. */
    public record Session(String username, Instant started, Instant lastUsed) {
    }

    private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration max;
    private final Clock clock;

    public Sessions(Duration idle, Duration max, Clock clock) {
        this.idle = idle;
        this.max = max;
        this.clock = clock;
    }

    /** Starts a session; returns its id (shown to the client once, as a cookie and in the login answer). */
    public String start(String username) {
        String id = Secrets.random256();
        Instant now = clock.instant();
        byIdHash.put(Secrets.sha256(id), new Session(username, now, now));
        return id;
    }

    /** The live session with this id, its idle time restarted; empty when unknown or expired (then it is gone). */
    public Optional<Session> use(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String key = Secrets.sha256(id);
        Instant now = clock.instant();
        Session s = byIdHash.computeIfPresent(key, (k, old) -> expired(old, now) ? null
                : new Session(old.username(), old.started(), now));
        return Optional.ofNullable(s);
    }

    /** Ends the session with this id; false when there was none. */
    public boolean end(String id) {
        return id != null && byIdHash.remove(Secrets.sha256(id)) != null;
    }

    /** Ends every session of a user (disabled, password reset). */
    public void endAllOf(String username) {
        byIdHash.values().removeIf(s -> s.username().equals(username));
    }

    /** How many sessions are live now (expired ones are dropped on the way). */
    public int live() {
        Instant now = clock.instant();
        byIdHash.values().removeIf(s -> expired(s, now));
        return byIdHash.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed().plus(idle)) || !now.isBefore(s.started().plus(max));
    }
}
