package org.ilinks.hl7;

import java.util.ArrayList;
import java.util.List;

/** Splits and joins HL7 text on one delimiter, keeping empty parts, since positions carry meaning in HL7. */
public final class Splitter {

    private Splitter() {
    }

    public static List<String> split(String text, char delimiter) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == delimiter) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The parts joined, without the empty parts at the end, which only add trailing delimiters. */
    public static String joinTrimmed(List<String> parts, char delimiter) {
        int last = parts.size();
        while (last > 0 && parts.get(last - 1).isEmpty()) {
            last--;
        }
        return String.join(String.valueOf(delimiter), parts.subList(0, last));
    }
}
