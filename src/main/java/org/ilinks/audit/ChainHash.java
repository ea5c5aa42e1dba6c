package org.ilinks.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link of the audit chain: a record's hash is SHA-256, in lowercase hex, of the previous record's hash, a line
 * feed, and the record's {@link AuditEvent#canonical() canonical form}. The first record's previous hash is
 * {@link #GENESIS}. The writer and the verifier both use this, so they cannot disagree.
 */
public final class ChainHash {

    /** The previous hash of the first record: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    private ChainHash() {
    }

    public static String of(String previousHash, AuditEvent event) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) '\n');
        sha256.update(event.canonical().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha256.digest());
    }
}
