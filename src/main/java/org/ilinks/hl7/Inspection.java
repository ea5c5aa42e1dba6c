package org.ilinks.hl7;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * The outcome of {@link Hl7Inspector#inspect(byte[])}: accept or reject, plus what routing and
 * acknowledgement need.
 *
 * @param accepted true when the message may be taken in (answer AA), false for AR
 * @param header MSH facts; partial when rejected but always usable to build an ACK
 * @param rejection why it was refused; null when accepted
 * @param charset the Java charset the payload should be decoded with
 * @param patientKey NHS number, or {@code AUTHORITY:ID} of the first PID-3 identifier; null when
 *     there is no PID, no identifier, or the message was rejected
 * @param patientKeyIsNhsNumber true when {@code patientKey} is a Modulus 11 valid NHS number
 */
public record Inspection(
        boolean accepted,
        MessageHeader header,
        Rejection rejection,
        Charset charset,
        String patientKey,
        boolean patientKeyIsNhsNumber) {

    /** Keeps the record self-consistent: a rejection exactly when not accepted. */
    public Inspection {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(charset, "charset");
        if (accepted == (rejection != null)) {
            throw new IllegalArgumentException("an accepted inspection has no rejection and a rejected one has one");
        }
    }

    static Inspection accept(MessageHeader header, Charset charset, String patientKey, boolean isNhsNumber) {
        return new Inspection(true, header, null, charset, patientKey, patientKey != null && isNhsNumber);
    }

    static Inspection reject(MessageHeader header, Charset charset, Rejection rejection) {
        return new Inspection(false, header, rejection, charset, null, false);
    }
}
