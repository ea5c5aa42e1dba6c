package org.ilinks.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the synthetic h2- fixtures and derives line-ending variants from them. */
final class Fixtures {

    static final String BASE = "h2-adt-a01.hl7";
    static final String CUSTOM_DELIMITERS = "h2-adt-a01-custom-delimiters.hl7";
    static final String LATIN1 = "h2-oru-r01-latin1.hl7";
    static final String PID19 = "h2-adt-a08-pid19.hl7";

    /** Patient data in the fixtures that must never appear in a rejection reason or an ACK's MSH. */
    static final String[] PATIENT_DATA = {"TESTPATIENT", "ALICE", "9434765919", "K1234567", "19800101", "Test Street"};

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/hl7/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture /hl7/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base ADT^A01 (CR segment ends) as text. */
    static String base() {
        return new String(bytes(BASE), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The base message with its MSH replaced. */
    static byte[] withMsh(String msh) {
        String base = base();
        return utf8(msh + base.substring(base.indexOf('\r')));
    }

    /** The base message with its PID replaced. */
    static byte[] withPid(String pid) {
        String base = base();
        int start = base.indexOf("\rPID|") + 1;
        int end = base.indexOf('\r', start);
        return utf8(base.substring(0, start) + pid + base.substring(end));
    }
}
