package org.ilinks.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a patient key (an NHS number, or a local identifier) into the JMS group that keeps that patient's messages
 * in order. A one-way hash, so the broker, its console and its journal never show a patient identifier as metadata.
 */
public final class PatientGroups {

    private PatientGroups() {
    }

    public static String of(String patientKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(patientKey.getBytes(StandardCharsets.UTF_8));
            return "p-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
