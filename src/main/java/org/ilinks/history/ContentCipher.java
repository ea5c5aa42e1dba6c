package org.ilinks.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts message content at rest with AES-256-GCM under the key in {@code ilinks.history.key-file}: a fresh random
 * 12-byte nonce per message, stored in front of the ciphertext, and the message id as associated data, so a stored
 * body moved to another message's row does not decrypt. Each stored body names its key by a fingerprint (the first
 * 8 bytes of the key's SHA-256), so a body encrypted under an earlier key is reported as such rather than as damage.
 * With no key file, content is stored as received ({@link #none()}).
 */
public final class ContentCipher {

    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String fingerprint;

    private ContentCipher(byte[] key) {
        this.key = key == null ? null : new SecretKeySpec(key, "AES");
        this.fingerprint = key == null ? null : fingerprintOf(key);
    }

    /** Content kept as received. */
    public static ContentCipher none() {
        return new ContentCipher(null);
    }

    /**
     * The key file holds 32 random bytes written as 64 hex digits or as base64, on one line
     * ({@code openssl rand -hex 32}). Errors name the file, never any part of the key.
     *
     * @throws IllegalArgumentException when the file is missing, unreadable or does not hold a 256-bit key
     */
    public static ContentCipher fromKeyFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("message history key file " + file + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
        byte[] key = decode(text);
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("message history key file " + file + " does not hold a 256-bit key: "
                    + "write 32 random bytes as 64 hex digits (openssl rand -hex 32 > FILE)");
        }
        return new ContentCipher(key);
    }

    private static byte[] decode(String text) {
        try {
            if (text.length() == KEY_BYTES * 2 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public boolean encrypts() {
        return key != null;
    }

    /** The fingerprint stored with content encrypted under this key, or null when content is kept plain. */
    public String fingerprint() {
        return fingerprint;
    }

    /** What to store for this message's content: nonce, ciphertext and tag, or the content itself. */
    public byte[] seal(String messageId, byte[] content) {
        if (key == null) {
            return content;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(messageId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(content);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("message content could not be encrypted: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The content as received, from what was stored.
     *
     * @param storedKey the fingerprint stored with it, null when it was stored plain
     * @throws IllegalStateException when it was encrypted under another key, or does not decrypt (altered)
     */
    public byte[] open(String messageId, byte[] stored, String storedKey) {
        if (storedKey == null) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("the content is encrypted (key " + storedKey
                    + ") and no ilinks.history.key-file is configured");
        }
        if (!storedKey.equals(fingerprint)) {
            throw new IllegalStateException("the content is encrypted under another key (" + storedKey
                    + "), not the configured one (" + fingerprint + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(messageId.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored content of message " + messageId
                    + " does not decrypt: it was altered or belongs to another message");
        }
    }

    private static String fingerprintOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
