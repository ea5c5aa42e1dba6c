package org.ilinks.message;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal message ids: 26 characters of Crockford base32 (like a ULID). Ten characters of milliseconds first, so
 * ids sort by arrival; then 40 random bits fixed per process, so engines sharing a broker never collide; then a
 * 40-bit counter, so ids within one process never repeat.
 */
public final class MessageIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final String DIGITS = new String(ALPHABET);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PROCESS = RANDOM.nextLong();
    private static final AtomicLong COUNTER = new AtomicLong(RANDOM.nextLong() & 0xFFFFFFFFL);

    private MessageIds() {
    }

    public static String next() {
        char[] out = new char[26];
        write(out, 0, 10, System.currentTimeMillis());
        write(out, 10, 8, PROCESS);
        write(out, 18, 8, COUNTER.incrementAndGet());
        return new String(out);
    }

    /**
     * The first ten characters of every id made at this instant: ids made before it sort below it, ids made at or
     * after it sort at or above it. Lets a time range be looked up on the id.
     */
    public static String timePrefix(java.time.Instant at) {
        char[] out = new char[10];
        write(out, 0, 10, Math.max(0, at.toEpochMilli()));
        return new String(out);
    }

    /** The milliseconds an id of ours was made at, or -1 when the text is not one of ours. */
    public static long millisOf(String id) {
        return id.length() == 26 ? read(id, 0, 10) : -1;
    }

    /** The counter part of an id of ours, or -1 when the text is not one of ours. */
    public static long counterOf(String id) {
        return id.length() == 26 ? read(id, 18, 8) : -1;
    }

    private static long read(String id, int from, int length) {
        long value = 0;
        for (int i = from; i < from + length; i++) {
            int digit = DIGITS.indexOf(id.charAt(i));
            if (digit < 0) {
                return -1;
            }
            value = (value << 5) | digit;
        }
        return value;
    }

    private static void write(char[] out, int from, int length, long value) {
        for (int i = from + length - 1; i >= from; i--) {
            out[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }
}
