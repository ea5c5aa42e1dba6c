package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AckBuilderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:34:56Z"), ZoneOffset.UTC);
    private final AckBuilder builder = new AckBuilder("ILINKS", "ILINKS", CLOCK);
    private final Hl7Inspector inspector =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);

    private static Terser parse(String ack) throws HL7Exception {
        assertThat(ack).endsWith("\r").doesNotContain("\n");
        Message message = Hl7Context.parser().parse(ack);
        return new Terser(message);
    }

    private static String segment(String ack, String id) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith(id)) {
                return segment;
            }
        }
        return null;
    }

    private static MessageHeader header(String version) {
        return new MessageHeader("|", "^~\\&", "PAS", "RXH", "ILINKS", "ILINKS", "ADT", "A01", "ADT_A01",
                "MSG00001", "T", version, "");
    }

    @Test
    void acceptAckReparsesAndEchoesTheMessage() throws HL7Exception {
        String ack = builder.acknowledge(inspector.inspect(Fixtures.bytes(Fixtures.BASE)));
        Terser terser = parse(ack);
        assertThat(terser.get("/MSA-1")).isEqualTo("AA");
        assertThat(terser.get("/MSA-2")).isEqualTo("MSG00001");
        assertThat(terser.get("/MSH-3")).isEqualTo("ILINKS");
        assertThat(terser.get("/MSH-4")).isEqualTo("ILINKS");
        assertThat(terser.get("/MSH-5")).isEqualTo("PAS");
        assertThat(terser.get("/MSH-6")).isEqualTo("RXH");
        assertThat(terser.get("/MSH-7")).isEqualTo("20250301123456");
        assertThat(terser.get("/MSH-9-1")).isEqualTo("ACK");
        assertThat(terser.get("/MSH-9-2")).isEqualTo("A01");
        assertThat(terser.get("/MSH-9-3")).isEqualTo("ACK");
        assertThat(terser.get("/MSH-10")).isNotBlank().isNotEqualTo("MSG00001");
        assertThat(terser.get("/MSH-11")).isEqualTo("P");
        assertThat(terser.get("/MSH-12")).isEqualTo("2.4");
        assertThat(segment(ack, "ERR")).isNull();
        assertThat(ack).doesNotContain(Fixtures.PATIENT_DATA);
    }

    @Test
    void controlIdsAreFreshAndShortEnoughForOldVersions() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String msh = segment(builder.build(header("2.4"), "AA", ""), "MSH");
            String id = msh.split("\\|")[9];
            assertThat(id.length()).isBetween(1, 20);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void processingIdAndVersionComeFromTheMessageWhenSane() throws HL7Exception {
        Terser terser = parse(builder.build(header("2.5.1"), "AE", "try later"));
        assertThat(terser.get("/MSH-11")).isEqualTo("T");
        assertThat(terser.get("/MSH-12")).isEqualTo("2.5.1");
        assertThat(terser.get("/MSA-1")).isEqualTo("AE");
        assertThat(terser.get("/MSA-3")).isEqualTo("try later");
        String odd = builder.build(new MessageHeader("|", "^~\\&", "", "", "", "", "ADT", "A01", "", "X", "ZZZ",
                "3.0", ""), "AR", "");
        assertThat(segment(odd, "MSH")).endsWith("|P|2.4");
    }

    @Test
    void errBeforeVersion25UsesErr1() throws HL7Exception {
        Rejection rejection = Rejection.of("101", "MSH", 1, 10, "MSH-10 (message control ID) is empty");
        for (String version : new String[] {"2.2", "2.3.1", "2.4"}) {
            String ack = builder.build(header(version), "AR", rejection.reason(), rejection);
            assertThat(segment(ack, "ERR")).isEqualTo("ERR|MSH^1^10^101&Required field missing&HL70357");
            Terser terser = parse(ack);
            assertThat(terser.get("/MSA-1")).isEqualTo("AR");
            assertThat(terser.get("/MSA-3")).isEqualTo("MSH-10 (message control ID) is empty");
        }
    }

    @Test
    void errFromVersion25UsesErr2ToErr8() throws HL7Exception {
        Rejection rejection = Rejection.of("203", "MSH", 1, 12,
                "HL7 version 3.0 is not accepted (accepted: 2.1 ... 2.8.2)");
        for (String version : new String[] {"2.5", "2.5.1", "2.6", "2.8.2"}) {
            String ack = builder.build(header(version), "AR", rejection.reason(), rejection);
            assertThat(segment(ack, "ERR")).isEqualTo(
                    "ERR||MSH^1^12|203^Unsupported version id^HL70357|E||||"
                            + "HL7 version 3.0 is not accepted (accepted: 2.1 ... 2.8.2)");
            Terser terser = parse(ack);
            assertThat(terser.get("/ERR-2-1")).isEqualTo("MSH");
            assertThat(terser.get("/ERR-2-2")).isEqualTo("1");
            assertThat(terser.get("/ERR-2-3")).isEqualTo("12");
            assertThat(terser.get("/ERR-3-1")).isEqualTo("203");
            assertThat(terser.get("/ERR-3-3")).isEqualTo("HL70357");
            assertThat(terser.get("/ERR-4")).isEqualTo("E");
            assertThat(terser.get("/ERR-8")).startsWith("HL7 version 3.0");
        }
    }

    @Test
    void notApplicableLocationPartsAreLeftEmpty() {
        Rejection rejection = Rejection.of("100", "", 0, 0, "not an HL7 v2 message: the payload is empty");
        String ack = builder.build(MessageHeader.empty(), "AR", rejection.reason(), rejection);
        assertThat(segment(ack, "ERR")).isEqualTo("ERR|^^^100&Segment sequence error&HL70357");
    }

    @Test
    void freeTextIsEscapedWithTheMessagesDelimiters() throws HL7Exception {
        String text = "a|b^c~d\\e&f";
        String ack = builder.build(header("2.5"), "AE", text,
                Rejection.of("207", "PID", 1, 3, text));
        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AE|MSG00001|a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f");
        assertThat(segment(ack, "ERR")).endsWith("|a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f");
        Terser terser = parse(ack);
        assertThat(terser.get("/MSA-3")).isEqualTo(text);
        assertThat(terser.get("/ERR-8")).isEqualTo(text);
    }

    @Test
    void customDelimitersAreReused() throws HL7Exception {
        Inspection inspection = inspector.inspect(Fixtures.bytes(Fixtures.CUSTOM_DELIMITERS));
        String ack = builder.build(inspection.header(), "AE", "50% off! #1 @ home*", null);
        assertThat(ack).startsWith("MSH#!@%*#ILINKS#ILINKS#PAS#RXH#");
        assertThat(segment(ack, "MSA")).isEqualTo("MSA#AE#MSG00002#50%E% off%S% %F%1 %R% home%T%");
        Terser terser = parse(ack);
        assertThat(terser.get("/MSA-2")).isEqualTo("MSG00002");
        assertThat(terser.get("/MSA-3")).isEqualTo("50% off! #1 @ home*");
        assertThat(terser.get("/MSH-9-2")).isEqualTo("A01");
    }

    @Test
    void truncationCharacterIsKeptAndEscaped() throws HL7Exception {
        Inspection inspection = inspector.inspect(Fixtures.withMsh(
                "MSH|^~\\&#|PAS|RXH|||20250301120000||ORU^R01^ORU_R01|MSG00009|P|2.5.1"));
        String ack = builder.build(inspection.header(), "AA", "item #1");
        assertThat(ack).startsWith("MSH|^~\\&#|");
        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|MSG00009|item \\P\\1");
        assertThat(parse(ack).get("/MSA-2")).isEqualTo("MSG00009");
    }

    @Test
    void rejectedMessageWithBadDelimitersGetsStandardDelimiters() throws HL7Exception {
        Inspection inspection = inspector.inspect(Fixtures.withMsh(
                "MSH|^~\\\\&|PAS|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"));
        String ack = builder.acknowledge(inspection);
        assertThat(ack).startsWith("MSH|^~\\&|ILINKS|ILINKS|PAS|RXH|");
        assertThat(segment(ack, "ERR")).isEqualTo("ERR|MSH^1^2^102&Data type error&HL70357");
        Terser terser = parse(ack);
        assertThat(terser.get("/MSA-1")).isEqualTo("AR");
        assertThat(terser.get("/MSA-2")).isEqualTo("MSG00001");
        assertThat(terser.get("/MSA-3")).startsWith("MSH-2 encoding characters '^~\\\\&' are invalid");
    }

    @Test
    void notHl7PayloadStillGetsAParseableAck() throws HL7Exception {
        String ack = builder.acknowledge(inspector.inspect(new byte[0]));
        assertThat(segment(ack, "MSH")).contains("|ACK|").endsWith("|P|2.4");
        Terser terser = parse(ack);
        assertThat(terser.get("/MSA-1")).isEqualTo("AR");
        assertThat(terser.get("/MSA-2")).isNull();
        assertThat(terser.get("/MSH-9-1")).isEqualTo("ACK");
        assertThat(terser.get("/MSH-9-2")).isNull();
    }

    @Test
    void msa3IsCutTo80CharactersAndLineBreaksBecomeSpaces() throws HL7Exception {
        String ack = builder.build(header("2.4"), "AE", "x".repeat(100));
        assertThat(parse(ack).get("/MSA-3")).hasSize(80);
        String broken = builder.build(header("2.4"), "AE", "line one\r\nline two");
        assertThat(parse(broken).get("/MSA-3")).isEqualTo("line one  line two");
    }

    @Test
    void unknownAckCodeIsAProgrammingError() {
        assertThatThrownBy(() -> builder.build(header("2.4"), "OK", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ackCode");
    }
}
