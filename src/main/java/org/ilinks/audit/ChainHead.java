package org.ilinks.audit;

/**
 * The newest record of the audit chain at some moment: its sequence number and its hash (64 lowercase hex digits).
 * Sequence 0 with {@link ChainHash#GENESIS} is the head of an empty chain.
 */
public record ChainHead(long seq, String hash) {
}
