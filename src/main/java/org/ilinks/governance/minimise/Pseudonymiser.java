package org.ilinks.governance.minimise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms of identifiers: HMAC-SHA256 of the identifier under a per-service secret, written as a fixed
 * number of hex or base32 characters. The same identifier and key always give the same pseudonym; without the key
 * the pseudonym cannot be recomputed from a guessed identifier, which a plain hash would allow for NHS numbers.
 */
public final class Pseudonymiser {

    /** How the HMAC bytes are written. */
    public enum Encoding {
        HEX(64), BASE32(51);

        /** The most characters the 256-bit HMAC fully determines. */
        final int maxLength;

        Encoding(int maxLength) {
            this.maxLength = maxLength;
        }
    }

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;
    private final Encoding encoding;
    private final int length;

    /** @param length characters of output, 1 to the encoding's maximum */
    public Pseudonymiser(byte[] key, Encoding encoding, int length) {
        if (key.length == 0) {
            throw new IllegalArgumentException("pseudonymisation key is empty");
        }
        if (length < 1 || length > encoding.maxLength) {
            throw new IllegalArgumentException("pseudonym length must be 1 to " + encoding.maxLength);
        }
        this.key = key.clone();
        this.encoding = encoding;
        this.length = length;
    }

    /** The pseudonym of {@code identifier} (compared as written, after trimming surrounding spaces). */
    public String pseudonym(String identifier) {
        byte[] digest;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            digest = mac.doFinal(identifier.trim().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // Every Java runtime must provide HmacSHA256, so this is a broken runtime, not bad input.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        String text = encoding == Encoding.HEX ? HexFormat.of().formatHex(digest) : base32(digest);
        return text.substring(0, length);
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        // Never the key: profiles and pseudonymisers end up in log lines and test failure messages.
        return "Pseudonymiser[" + encoding + ", " + length + " characters, key of " + key.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pseudonymiser p && Arrays.equals(key, p.key) && encoding == p.encoding
                && length == p.length;
    }

    @Override
    public int hashCode() {
        return 31 * encoding.hashCode() + length;
    }
}
