package org.ilinks.engine;

/**
 * Counts per minute over the last hour, in a ring of 60 buckets: each bucket remembers which minute it counts, so a
 * bucket left over from an earlier hour reads as zero. Kept in memory so that a dashboard refresh never scans the
 * database.
 */
final class MinuteSeries {

    static final int MINUTES = 60;

    private final long[] counts = new long[MINUTES];
    private final long[] minuteOf = new long[MINUTES];

    MinuteSeries() {
        java.util.Arrays.fill(minuteOf, -1);
    }

    synchronized void add(long epochMillis) {
        long minute = Math.floorDiv(epochMillis, 60_000L);
        int i = (int) Math.floorMod(minute, MINUTES);
        if (minuteOf[i] != minute) {
            minuteOf[i] = minute;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** The counts of the last 60 minutes, oldest first; the last one is the minute now running. */
    synchronized long[] lastHour(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 60_000L);
        long[] out = new long[MINUTES];
        for (int k = 0; k < MINUTES; k++) {
            long minute = now - (MINUTES - 1) + k;
            int i = (int) Math.floorMod(minute, MINUTES);
            out[k] = minuteOf[i] == minute ? counts[i] : 0;
        }
        return out;
    }
}
