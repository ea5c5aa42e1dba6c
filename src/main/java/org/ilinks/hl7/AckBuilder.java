package org.ilinks.hl7;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Builds the HL7 v2 ACK the intake sends back for a received message.
 *
 * <p>The ACK is returned as text with a CR after every segment and no MLLP framing. It speaks
 * the sender's dialect where that is safe: the message's own delimiters when they were valid,
 * the message's version when it looks like a 2.x version, and the ERR layout of that version.
 * Thread-safe.
 */
public final class AckBuilder {

    private static final String DEFAULT_FIELD_SEPARATOR = "|";
    private static final String DEFAULT_ENCODING_CHARACTERS = "^~\\&";
    private static final String FALLBACK_VERSION = "2.4";
    private static final String ERR_LAYOUT_CHANGE_VERSION = "2.5";
    // Before v2.5 MSA-3 was limited to 80 characters; longer text makes strict receivers fail.
    private static final int MSA_TEXT_LIMIT = 80;
    private static final Set<String> ACK_CODES = Set.of("AA", "AE", "AR", "CA", "CE", "CR");
    private static final Set<String> PROCESSING_IDS = Set.of("P", "D", "T");
    private static final Pattern VERSION_2X = Pattern.compile("2\\.\\d{1,2}(\\.\\d{1,2})?");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final AtomicLong LAST_CONTROL_ID = new AtomicLong();

    private final String sendingApplication;
    private final String sendingFacility;
    private final Clock clock;

    /**
     * @param sendingApplication MSH-3 of every ACK, e.g. "ILINKS"
     * @param sendingFacility MSH-4 of every ACK, e.g. "ILINKS"
     */
    public AckBuilder(String sendingApplication, String sendingFacility) {
        this(sendingApplication, sendingFacility, Clock.systemDefaultZone());
    }

    /**
     * @param sendingApplication MSH-3 of every ACK
     * @param sendingFacility MSH-4 of every ACK
     * @param clock source of MSH-7 and of fresh control IDs
     */
    public AckBuilder(String sendingApplication, String sendingFacility, Clock clock) {
        this.sendingApplication = Objects.requireNonNull(sendingApplication, "sendingApplication");
        this.sendingFacility = Objects.requireNonNull(sendingFacility, "sendingFacility");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Answers an inspection: AA when accepted, otherwise AR carrying the rejection.
     *
     * @param inspection what {@link Hl7Inspector#inspect(byte[])} decided
     * @return the ACK text, CR after every segment
     */
    public String acknowledge(Inspection inspection) {
        if (inspection.accepted()) {
            return build(inspection.header(), "AA", "", null);
        }
        return build(inspection.header(), "AR", inspection.rejection().reason(), inspection.rejection());
    }

    /**
     * Builds an ACK without an ERR segment.
     *
     * @see #build(MessageHeader, String, String, Rejection)
     */
    public String build(MessageHeader header, String ackCode, String text) {
        return build(header, ackCode, text, null);
    }

    /**
     * @param header MSH facts of the message being acknowledged; may be partial or empty
     * @param ackCode MSA-1: AA, AE or AR (CA, CE, CR for enhanced mode)
     * @param text MSA-3, plain text; escaped here, cut to 80 characters; null or empty for none
     * @param rejection adds an ERR segment when not null
     * @return the ACK text, CR after every segment
     * @throws IllegalArgumentException when {@code ackCode} is not an HL7 acknowledgement code
     */
    public String build(MessageHeader header, String ackCode, String text, Rejection rejection) {
        Objects.requireNonNull(header, "header");
        if (ackCode == null || !ACK_CODES.contains(ackCode)) {
            throw new IllegalArgumentException("ackCode must be one of " + ACK_CODES + " but was '" + ackCode + "'");
        }
        boolean ownDelimiters = Hl7Inspector.delimitersAreValid(header.fieldSeparator(), header.encodingCharacters());
        Escaper e = new Escaper(
                ownDelimiters ? header.fieldSeparator() : DEFAULT_FIELD_SEPARATOR,
                ownDelimiters ? header.encodingCharacters() : DEFAULT_ENCODING_CHARACTERS);
        String version = VERSION_2X.matcher(header.version()).matches() ? header.version() : FALLBACK_VERSION;
        String processingId = PROCESSING_IDS.contains(header.processingId()) ? header.processingId() : "P";
        String trigger = header.triggerEvent().isBlank()
                ? ""
                : e.component + e.escape(header.triggerEvent()) + e.component + "ACK";

        StringBuilder ack = new StringBuilder(256);
        ack.append("MSH").append(e.field).append(e.encoding)
                .append(e.field).append(e.escape(sendingApplication))
                .append(e.field).append(e.escape(sendingFacility))
                .append(e.field).append(e.escape(header.sendingApplication()))
                .append(e.field).append(e.escape(header.sendingFacility()))
                .append(e.field).append(LocalDateTime.now(clock).format(TIMESTAMP))
                .append(e.field)
                .append(e.field).append("ACK").append(trigger)
                .append(e.field).append(nextControlId())
                .append(e.field).append(processingId)
                .append(e.field).append(version)
                .append('\r');
        ack.append("MSA").append(e.field).append(ackCode).append(e.field).append(e.escape(header.controlId()));
        String msaText = text == null ? "" : text.length() > MSA_TEXT_LIMIT ? text.substring(0, MSA_TEXT_LIMIT) : text;
        if (!msaText.isEmpty()) {
            ack.append(e.field).append(e.escape(msaText));
        }
        ack.append('\r');
        if (rejection != null) {
            appendErr(ack, e, rejection, version);
        }
        return ack.toString();
    }

    private static void appendErr(StringBuilder ack, Escaper e, Rejection rejection, String version) {
        String location = e.escape(rejection.segment())
                + e.component + (rejection.sequence() > 0 ? rejection.sequence() : "")
                + e.component + (rejection.field() > 0 ? rejection.field() : "");
        if (MessageHeader.compareVersions(version, ERR_LAYOUT_CHANGE_VERSION) < 0) {
            // ERR-1 (error code and location) is the only ERR field before v2.5.
            ack.append("ERR").append(e.field).append(location)
                    .append(e.component).append(e.escape(rejection.code()))
                    .append(e.subcomponent).append(e.escape(rejection.codeText()))
                    .append(e.subcomponent).append("HL70357");
        } else {
            ack.append("ERR").append(e.field)
                    .append(e.field).append(location)
                    .append(e.field).append(e.escape(rejection.code()))
                    .append(e.component).append(e.escape(rejection.codeText()))
                    .append(e.component).append("HL70357")
                    .append(e.field).append('E')
                    .append(e.field).append(e.field).append(e.field).append(e.field)
                    .append(e.escape(rejection.reason()));
        }
        ack.append('\r');
    }

    /**
     * A control ID unique in this JVM and, because it starts from the clock, across restarts:
     * epoch milliseconds times 1000 plus a counter, 16 digits, within MSH-10's 20-character limit.
     */
    private String nextControlId() {
        long floor = clock.millis() * 1000;
        return Long.toString(LAST_CONTROL_ID.updateAndGet(previous -> Math.max(previous + 1, floor)));
    }

    /** Escapes free text with one message's delimiters. */
    private static final class Escaper {
        final String field;
        final String encoding;
        final char component;
        final char repetition;
        final char escapeChar;
        final char subcomponent;
        final int truncation;

        Escaper(String field, String encoding) {
            this.field = field;
            this.encoding = encoding;
            this.component = encoding.charAt(0);
            this.repetition = encoding.charAt(1);
            this.escapeChar = encoding.charAt(2);
            this.subcomponent = encoding.charAt(3);
            this.truncation = encoding.length() > 4 ? encoding.charAt(4) : -1;
        }

        String escape(String text) {
            StringBuilder out = new StringBuilder(text.length() + 8);
            char fieldChar = field.charAt(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == escapeChar) {
                    sequence(out, 'E');
                } else if (c == fieldChar) {
                    sequence(out, 'F');
                } else if (c == component) {
                    sequence(out, 'S');
                } else if (c == repetition) {
                    sequence(out, 'R');
                } else if (c == subcomponent) {
                    sequence(out, 'T');
                } else if (c == truncation) {
                    sequence(out, 'P');
                } else if (c < 0x20 || c == 0x7F) {
                    // A CR would end the segment; other control characters confuse receivers.
                    out.append(' ');
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private void sequence(StringBuilder out, char code) {
            out.append(escapeChar).append(code).append(escapeChar);
        }
    }
}
