package org.ilinks.governance;

/** How far a message's NHS number can be trusted to identify the patient, for consent look-up and linkage. */
public enum NhsNumberState {
    /** A Modulus 11 valid NHS number, traced and verified (PID-32 {@code 01}, or no PID-32 where that is allowed). */
    VERIFIED,
    /** A Modulus 11 valid NHS number whose trace status (PID-32) is not "verified". */
    NOT_VERIFIED,
    /** An identifier labelled as an NHS number that fails the Modulus 11 check. */
    INVALID,
    /** No NHS number at all. */
    MISSING
}
