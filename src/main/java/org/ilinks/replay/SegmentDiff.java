package org.ilinks.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * The difference between two HL7 messages, segment by segment, as a reader compares them: each segment of the
 * longest common sequence unchanged ("  "), removed ("- ") or added ("+ "). Patient data: stored and shown like the
 * message itself.
 */
final class SegmentDiff {

    private SegmentDiff() {
    }

    static List<String> segments(String message) {
        List<String> out = new ArrayList<>();
        for (String s : message.replace("\r\n", "\r").replace('\n', '\r').split("\r")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    static String between(String original, String edited) {
        List<String> a = segments(original);
        List<String> b = segments(edited);
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.append("  ").append(a.get(i++)).append('\n');
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                out.append("- ").append(a.get(i++)).append('\n');
            } else {
                out.append("+ ").append(b.get(j++)).append('\n');
            }
        }
        return out.toString();
    }

    /** How many segments the diff removes and adds (a changed segment counts once each way). */
    static String summary(String diff) {
        long removed = diff.lines().filter(l -> l.startsWith("- ")).count();
        long added = diff.lines().filter(l -> l.startsWith("+ ")).count();
        return removed + " segment(s) removed, " + added + " added";
    }
}
