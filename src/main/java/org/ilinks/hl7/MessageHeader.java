package org.ilinks.hl7;

/**
 * Facts read from an HL7 v2 MSH segment that routing and acknowledgement need.
 *
 * <p>Holds no patient data. Every component is an empty string, never null, when the message
 * did not carry it; a header of a rejected message may therefore be only partly filled.
 * Values are unescaped, except {@code charsetField} which is MSH-18's first repetition as sent.
 *
 * @param fieldSeparator MSH-1 as sent
 * @param encodingCharacters MSH-2 as sent (may be invalid when the message was rejected for it)
 * @param sendingApplication MSH-3.1
 * @param sendingFacility MSH-4.1
 * @param receivingApplication MSH-5.1
 * @param receivingFacility MSH-6.1
 * @param messageType MSH-9.1, e.g. ADT
 * @param triggerEvent MSH-9.2, e.g. A01
 * @param messageStructure MSH-9.3, e.g. ADT_A01
 * @param controlId MSH-10
 * @param processingId MSH-11.1, e.g. P
 * @param version MSH-12.1, e.g. 2.4
 * @param charsetField MSH-18, first repetition, raw
 */
public record MessageHeader(
        String fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageType,
        String triggerEvent,
        String messageStructure,
        String controlId,
        String processingId,
        String version,
        String charsetField) {

    private static final MessageHeader EMPTY =
            new MessageHeader("", "", "", "", "", "", "", "", "", "", "", "", "");

    /** Replaces nulls by empty strings so callers never have to null-check. */
    public MessageHeader {
        fieldSeparator = orEmpty(fieldSeparator);
        encodingCharacters = orEmpty(encodingCharacters);
        sendingApplication = orEmpty(sendingApplication);
        sendingFacility = orEmpty(sendingFacility);
        receivingApplication = orEmpty(receivingApplication);
        receivingFacility = orEmpty(receivingFacility);
        messageType = orEmpty(messageType);
        triggerEvent = orEmpty(triggerEvent);
        messageStructure = orEmpty(messageStructure);
        controlId = orEmpty(controlId);
        processingId = orEmpty(processingId);
        version = orEmpty(version);
        charsetField = orEmpty(charsetField);
    }

    /** @return a header with every value empty, for payloads that had no usable MSH */
    public static MessageHeader empty() {
        return EMPTY;
    }

    /**
     * Compares two HL7 version IDs part by part as numbers, so "2.5.1" sorts after "2.5" and
     * "2.10" after "2.9"; a part that is not a number counts as 0.
     *
     * @param left a version such as "2.3.1"
     * @param right a version such as "2.5"
     * @return negative, zero or positive as {@code left} is lower, equal or higher
     */
    public static int compareVersions(String left, String right) {
        String[] a = (left == null ? "" : left.trim()).split("\\.");
        String[] b = (right == null ? "" : right.trim()).split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int diff = Integer.compare(versionPart(a, i), versionPart(b, i));
            if (diff != 0) {
                return diff;
            }
        }
        return 0;
    }

    private static int versionPart(String[] parts, int index) {
        if (index >= parts.length || parts[index].isEmpty() || parts[index].length() > 6) {
            return 0;
        }
        int value = 0;
        for (int i = 0; i < parts[index].length(); i++) {
            char c = parts[index].charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
