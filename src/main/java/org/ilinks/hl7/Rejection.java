package org.ilinks.hl7;

import java.util.Map;

/**
 * Why an inbound message was refused, in the terms an HL7 ERR segment needs.
 *
 * <p>{@code reason} is one plain sentence for a person reading the ACK or a log. It never holds
 * patient data: at most it quotes MSH-2, MSH-9 or MSH-12 values, cut to 20 characters.
 *
 * @param code HL7 table 0357 error code, e.g. "101"
 * @param codeText the table 0357 words for {@code code}, e.g. "Required field missing"
 * @param segment segment ID where the error is, e.g. "MSH"; empty when not applicable
 * @param sequence 1-based occurrence of that segment, 0 when not applicable
 * @param field field position in that segment, 0 when not applicable
 * @param reason plain sentence without patient data
 */
public record Rejection(String code, String codeText, String segment, int sequence, int field, String reason) {

    /** Table 0357: segment sequence error. */
    public static final String SEGMENT_SEQUENCE_ERROR = "100";
    /** Table 0357: required field missing. */
    public static final String REQUIRED_FIELD_MISSING = "101";
    /** Table 0357: data type error. */
    public static final String DATA_TYPE_ERROR = "102";
    /** Table 0357: table value not found. */
    public static final String TABLE_VALUE_NOT_FOUND = "103";
    /** Table 0357: unsupported message type. */
    public static final String UNSUPPORTED_MESSAGE_TYPE = "200";
    /** Table 0357: unsupported version id. */
    public static final String UNSUPPORTED_VERSION_ID = "203";
    /** Table 0357: application internal error. */
    public static final String APPLICATION_INTERNAL_ERROR = "207";

    private static final Map<String, String> CODE_TEXTS = Map.of(
            SEGMENT_SEQUENCE_ERROR, "Segment sequence error",
            REQUIRED_FIELD_MISSING, "Required field missing",
            DATA_TYPE_ERROR, "Data type error",
            TABLE_VALUE_NOT_FOUND, "Table value not found",
            UNSUPPORTED_MESSAGE_TYPE, "Unsupported message type",
            "201", "Unsupported event code",
            "202", "Unsupported processing id",
            UNSUPPORTED_VERSION_ID, "Unsupported version id",
            APPLICATION_INTERNAL_ERROR, "Application internal error");

    /** Replaces nulls by empty strings so ACK building never meets a null. */
    public Rejection {
        code = code == null ? "" : code;
        codeText = codeText == null ? "" : codeText;
        segment = segment == null ? "" : segment;
        reason = reason == null ? "" : reason;
    }

    /**
     * Creates a rejection whose code text is looked up in table 0357.
     *
     * @param code table 0357 code, e.g. {@link #REQUIRED_FIELD_MISSING}
     * @param segment segment ID, e.g. "MSH"
     * @param sequence 1-based segment occurrence, 0 if not applicable
     * @param field field position, 0 if not applicable
     * @param reason plain sentence without patient data
     * @return the rejection
     */
    public static Rejection of(String code, String segment, int sequence, int field, String reason) {
        return new Rejection(code, codeTextFor(code), segment, sequence, field, reason);
    }

    /**
     * @param code a table 0357 code
     * @return the table's words for it, or "Application error" for a code we do not know
     */
    public static String codeTextFor(String code) {
        return CODE_TEXTS.getOrDefault(code, "Application error");
    }

    /**
     * The code, its text and where, e.g. {@code 102 Data type error at MSH-9}: never a value from the message, so it
     * may go in logs, audit details and reasons (the {@link #reason()} may quote a few characters of MSH).
     */
    public String summary() {
        return code + " " + codeText + (segment.isEmpty() ? "" : " at " + segment + (field > 0 ? "-" + field : ""));
    }
}
