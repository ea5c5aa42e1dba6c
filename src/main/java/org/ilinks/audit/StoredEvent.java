package org.ilinks.audit;

/**
 * An audit event as the store keeps it: the event, its place in the chain, the hash of the record before it and its
 * own hash.
 */
public record StoredEvent(long seq, AuditEvent event, String prevHash, String hash) {
}
