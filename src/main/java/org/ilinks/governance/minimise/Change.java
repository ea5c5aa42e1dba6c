package org.ilinks.governance.minimise;

/**
 * One kind of change the minimiser made, for the audit trail and for {@code try}: where and what, never the value.
 *
 * @param path        a segment ({@code ZPI}) or field/component path ({@code PID-5.2}, {@code PID-3[type=PI]})
 * @param what        what happened, e.g. {@code segment removed}, {@code removed}, {@code pseudonymise}
 * @param occurrences how many times it happened in the message
 */
public record Change(String path, String what, int occurrences) {

    @Override
    public String toString() {
        return path + ": " + what + (occurrences > 1 ? " (x" + occurrences + ")" : "");
    }
}
