package org.ilinks.governance.minimise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads a service's pseudonymisation secret from a file or an environment variable. Failures come back as
 * sentences for the profile's problem list; they name where the key was looked for, never any part of the key.
 */
final class PseudonymKeyReader {

    /** Shorter secrets can be guessed; 16 bytes is the HMAC-SHA256 guidance minimum (half the output size). */
    static final int MIN_KEY_BYTES = 16;

    /** The key, or a problem sentence. */
    record Result(byte[] key, String problem) {
    }

    private final Function<String, String> environment;

    PseudonymKeyReader(Function<String, String> environment) {
        this.environment = environment;
    }

    Result fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return problem("pseudonymisation key file " + file + " does not exist");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return problem("pseudonymisation key file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return checked(trimEnd(bytes), "pseudonymisation key file " + file);
    }

    Result fromEnvironment(String variable) {
        String value = environment.apply(variable);
        if (value == null) {
            return problem("environment variable " + variable + " (the pseudonymisation key) is not set");
        }
        return checked(value.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "environment variable " + variable);
    }

    private static Result checked(byte[] key, String where) {
        if (key.length == 0) {
            return problem(where + " is empty");
        }
        if (key.length < MIN_KEY_BYTES) {
            return problem(where + " holds a key of only " + key.length + " bytes: use at least "
                    + MIN_KEY_BYTES + " random bytes");
        }
        return new Result(key, null);
    }

    // Editors add a final newline; it must not become part of the key, or the same key typed into an environment
    // variable would give different pseudonyms.
    private static byte[] trimEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' '
                || bytes[end - 1] == '\t')) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    private static Result problem(String sentence) {
        return new Result(null, sentence);
    }
}
