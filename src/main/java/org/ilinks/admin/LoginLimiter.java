package org.ilinks.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per user name and per client address in a sliding window. Past the limit on either, logins
 * are refused without looking at the password until the oldest failure leaves the window: guessing is slowed down
 * for one account tried from many places and for many accounts tried from one place. Unknown user names count like
 * known ones, so the answer says nothing about which exist.
 */
public final class LoginLimiter {

    private static final int FORGET_ABOVE = 10_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final int max;
    private final Duration window;
    private final Clock clock;

    public LoginLimiter(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /** How long until a login for this user from this address may be tried; zero when it may now. */
    public Duration wait(String username, String address) {
        Instant now = clock.instant();
        Duration a = waitFor("user:" + username, now);
        Duration b = waitFor("addr:" + address, now);
        return a.compareTo(b) >= 0 ? a : b;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > FORGET_ABOVE) {
            // Many distinct names tried: drop every key whose failures have all left the window.
            failures.entrySet().removeIf(e -> {
                prune(e.getValue(), now);
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty();
                }
            });
        }
        for (String key : new String[] {"user:" + username, "addr:" + address}) {
            failures.compute(key, (k, q) -> {
                Deque<Instant> d = q == null ? new ArrayDeque<>() : q;
                prune(d, now);
                synchronized (d) {
                    d.addLast(now);
                }
                return d;
            });
        }
    }

    /** A successful login clears its user name's failures (not the address's: one good account does not vouch for it). */
    public void succeeded(String username) {
        failures.remove("user:" + username);
    }

    private Duration waitFor(String key, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return Duration.ZERO;
        }
        synchronized (d) {
            prune(d, now);
            if (d.size() < max) {
                return Duration.ZERO;
            }
            // The oldest of the last `max` failures must leave the window.
            Instant[] all = d.toArray(new Instant[0]);
            Duration left = Duration.between(now, all[all.length - max].plus(window));
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    private void prune(Deque<Instant> d, Instant now) {
        synchronized (d) {
            while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) {
                d.removeFirst();
            }
        }
    }
}
