package org.ilinks.governance.restricted;

import java.util.List;
import java.util.Objects;

/**
 * A message as one service may receive it, and what was removed from it for that service.
 *
 * @param message                the message text; the very text scanned when nothing was removed, otherwise the kept
 *                               segments byte for byte, each followed by CR (the last one only when the input ended
 *                               with a segment terminator)
 * @param removals               one per removed group, in message order; empty when nothing was removed
 * @param clinicalContentRemoved true when every OBR (or, in a message without OBR, every OBX, DG1, PRB, AL1, IAM and
 *                               PR1) was removed: what is left says nothing clinical, so the caller withholds the
 *                               message from the service instead of sending an empty shell
 */
public record Filtered(String message, List<Removal> removals, boolean clinicalContentRemoved) {

    public Filtered {
        Objects.requireNonNull(message, "message");
        removals = List.copyOf(removals);
    }

    static Filtered unchanged(String message) {
        return new Filtered(message, List.of(), false);
    }

    /** True when something was removed. */
    public boolean changed() {
        return !removals.isEmpty();
    }

    /** All segments removed, over every removal. */
    public int segmentsRemoved() {
        return removals.stream().mapToInt(Removal::segmentsRemoved).sum();
    }
}
