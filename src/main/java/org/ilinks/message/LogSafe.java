package org.ilinks.message;

/**
 * Makes a value from a message header safe for a log line: identifiers like MSH-10 are not patient data, but in a
 * malformed message the field we read as MSH-10 may hold anything, so only a short run of plain id characters is kept.
 */
public final class LogSafe {

    private static final int MAX = 24;

    private LogSafe() {
    }

    public static String id(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX));
        for (int i = 0; i < value.length() && out.length() < MAX; i++) {
            char c = value.charAt(i);
            out.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' ? c : '?');
        }
        return value.length() > MAX ? out + "…" : out.toString();
    }
}
