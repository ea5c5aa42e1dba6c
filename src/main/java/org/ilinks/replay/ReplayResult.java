package org.ilinks.replay;

/**
 * What replaying one message did for one service, in the engine's words (no patient data). Replaying a message can
 * replay others too (those waiting behind it), so each result names its message.
 */
public record ReplayResult(String messageId, String serviceId, ReplayOutcome outcome, String detail) {
}
