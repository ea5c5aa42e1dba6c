package org.ilinks.governance.minimise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts the changes made to one message by path and kind, keeping the order in which they were first made. */
final class ChangeLog {

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, String[]> keys = new LinkedHashMap<>();

    void record(String path, String what) {
        String key = path + "\u0000" + what;
        counts.merge(key, 1, Integer::sum);
        keys.putIfAbsent(key, new String[] {path, what});
    }

    List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        counts.forEach((key, count) -> changes.add(new Change(keys.get(key)[0], keys.get(key)[1], count)));
        return changes;
    }
}
