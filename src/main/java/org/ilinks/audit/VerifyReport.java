package org.ilinks.audit;

/**
 * What {@link AuditVerifier} found.
 *
 * @param ok           true when every record matches its hash, follows the one before it, and the chain ends where
 *                     the head file (and audit_chain) say it does
 * @param records      how many records were checked (up to the first problem)
 * @param problem      a sentence naming the first problem and its record, or null when ok
 * @param firstBadSeq  the sequence number of the first record found wrong (or missing), or null when ok
 */
public record VerifyReport(boolean ok, long records, String problem, Long firstBadSeq) {

    static VerifyReport verified(long records) {
        return new VerifyReport(true, records, null, null);
    }

    static VerifyReport failed(long records, long seq, String problem) {
        return new VerifyReport(false, records, problem, seq);
    }
}
