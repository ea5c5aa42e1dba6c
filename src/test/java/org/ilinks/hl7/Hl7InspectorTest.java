package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7InspectorTest {

    private static final String STD = "MSH|^~\\&|PAS|RXH|ILINKS|ILINKS|20250301120000||";
    private final Hl7Inspector inspector =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.ISO_8859_1);

    private Inspection rejected(byte[] payload, String code, String segment, int field) {
        Inspection inspection = inspector.inspect(payload);
        assertThat(inspection.accepted()).as("accepted").isFalse();
        Rejection rejection = inspection.rejection();
        assertThat(rejection.code()).isEqualTo(code);
        assertThat(rejection.codeText()).isEqualTo(Rejection.codeTextFor(code)).isNotBlank();
        assertThat(rejection.segment()).isEqualTo(segment);
        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.reason()).isNotBlank().doesNotContain(Fixtures.PATIENT_DATA);
        assertThat(inspection.patientKey()).isNull();
        assertThat(inspection.header()).isNotNull();
        return inspection;
    }

    private Inspection accepted(byte[] payload) {
        Inspection inspection = inspector.inspect(payload);
        assertThat(inspection.rejection()).as("rejection").isNull();
        assertThat(inspection.accepted()).isTrue();
        return inspection;
    }

    @Nested
    class Rejections {

        @Test
        void emptyAndBlankPayloadsAreNotHl7() {
            for (byte[] payload : new byte[][] {null, new byte[0], Fixtures.utf8(" \r\n\r\n\t"),
                    new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}}) {
                Inspection inspection = rejected(payload, "100", "", 0);
                assertThat(inspection.rejection().reason()).startsWith("not an HL7 v2 message");
                assertThat(inspection.header()).isEqualTo(MessageHeader.empty());
            }
        }

        @Test
        void binaryAndOtherTextIsNotHl7() {
            rejected(new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE, 0x1C}, "100", "", 0);
            rejected(Fixtures.utf8("{\"resourceType\":\"Patient\"}"), "100", "", 0);
            rejected(Fixtures.utf8("M"), "100", "", 0);
            // UTF-16 is not something MLLP can carry; it must not be mistaken for MSH.
            rejected(Fixtures.base().getBytes(StandardCharsets.UTF_16LE), "100", "", 0);
        }

        @Test
        void messageNotStartingWithMshIsASegmentSequenceError() {
            String base = Fixtures.base();
            Inspection inspection = rejected(Fixtures.utf8(base.substring(base.indexOf("PID|"))), "100", "MSH", 0);
            assertThat(inspection.rejection().reason())
                    .isEqualTo("message does not start with an MSH segment (it starts with PID)");
        }

        @Test
        void batchHeaderIsRejectedWithAClearReason() {
            byte[] batch = Fixtures.utf8("FHS|^~\\&|PAS\rBHS|^~\\&|PAS\r" + Fixtures.base() + "BTS|1\rFTS|1\r");
            Inspection inspection = rejected(batch, "100", "MSH", 0);
            assertThat(inspection.rejection().reason()).contains("batch starting with FHS");
        }

        @Test
        void mshWithoutFieldSeparator() {
            rejected(Fixtures.utf8("MSH"), "101", "MSH", 1);
            rejected(Fixtures.utf8("MSH\rPID|1"), "101", "MSH", 1);
        }

        @Test
        void alphanumericOrControlFieldSeparator() {
            Inspection letter = rejected(Fixtures.withMsh("MSHA^~\\&APAS"), "102", "MSH", 1);
            assertThat(letter.rejection().reason()).contains("'A'");
            Inspection space = rejected(Fixtures.withMsh("MSH ^~\\& PAS"), "102", "MSH", 1);
            assertThat(space.rejection().reason()).contains("byte 0x20");
        }

        @Test
        void threeCharacterEncodingIsIncomplete() {
            Inspection inspection = rejected(Fixtures.withMsh(
                    "MSH|^~\\|PAS|RXH|ILINKS|ILINKS|20250301120000||ADT^A01|MSG00001|P|2.4"), "102", "MSH", 2);
            assertThat(inspection.rejection().reason())
                    .isEqualTo("MSH-2 encoding characters '^~\\' are incomplete: expected 4 characters");
            // The partial header still names the sender and the control ID for the ACK.
            assertThat(inspection.header().sendingApplication()).isEqualTo("PAS");
            assertThat(inspection.header().controlId()).isEqualTo("MSG00001");
            assertThat(inspection.header().messageType()).isEqualTo("ADT");
        }

        @Test
        void emptyEncodingCharacters() {
            rejected(Fixtures.withMsh("MSH||PAS|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"), "101", "MSH", 2);
        }

        @Test
        void repeatedOrAlphanumericOrTooManyEncodingCharacters() {
            Inspection javaPasted = rejected(Fixtures.withMsh(
                    "MSH|^~\\\\&|PAS|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"), "102", "MSH", 2);
            assertThat(javaPasted.rejection().reason()).contains("'\\' is used twice");
            assertThat(javaPasted.header().controlId()).isEqualTo("MSG00001");
            rejected(Fixtures.withMsh("MSH|^~\\A|PAS|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"),
                    "102", "MSH", 2);
            rejected(Fixtures.withMsh("MSH#^~\\##PAS#RXH###20250301120000##ADT^A01#MSG00001#P#2.4"),
                    "102", "MSH", 2);
            rejected(Fixtures.withMsh("MSH|^~\\&#*|PAS|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"),
                    "102", "MSH", 2);
        }

        @Test
        void missingMessageType() {
            Inspection inspection = rejected(Fixtures.withMsh(STD + "|MSG00001|P|2.4"), "101", "MSH", 9);
            assertThat(inspection.rejection().reason()).isEqualTo("MSH-9 (message type) is empty");
            rejected(Fixtures.utf8("MSH|^~\\&|PAS|RXH"), "101", "MSH", 9);
        }

        @Test
        void missingMessageCode() {
            Inspection inspection = rejected(Fixtures.withMsh(STD + "^A01|MSG00001|P|2.4"), "101", "MSH", 9);
            assertThat(inspection.rejection().reason()).isEqualTo("MSH-9.1 (message code) is empty");
        }

        @Test
        void missingTriggerIsOnlyAllowedForAck() {
            Inspection inspection = rejected(Fixtures.withMsh(STD + "ADT|MSG00001|P|2.4"), "101", "MSH", 9);
            assertThat(inspection.rejection().reason()).contains("MSH-9.2 (trigger event) is empty").contains("ADT");
            Inspection ack = accepted(Fixtures.utf8(STD + "ACK|MSG00001|P|2.4\rMSA|AA|X1\r"));
            assertThat(ack.header().messageType()).isEqualTo("ACK");
            assertThat(ack.header().triggerEvent()).isEmpty();
        }

        @Test
        void missingControlId() {
            Inspection inspection = rejected(Fixtures.withMsh(STD + "ADT^A01||P|2.4"), "101", "MSH", 10);
            assertThat(inspection.rejection().reason()).isEqualTo("MSH-10 (message control ID) is empty");
        }

        @Test
        void missingVersion() {
            rejected(Fixtures.withMsh(STD + "ADT^A01|MSG00001|P"), "101", "MSH", 12);
            rejected(Fixtures.withMsh(STD + "ADT^A01|MSG00001|P||"), "101", "MSH", 12);
        }

        @Test
        void versionNotAcceptedIs203AndKeepsTheHeader() {
            Inspection inspection = rejected(Fixtures.withMsh(STD + "ADT^A01|MSG00001|P|3.0"), "203", "MSH", 12);
            assertThat(inspection.rejection().reason())
                    .isEqualTo("HL7 version 3.0 is not accepted (accepted: 2.1 ... 2.8.2)");
            assertThat(inspection.header().controlId()).isEqualTo("MSG00001");
            assertThat(inspection.header().version()).isEqualTo("3.0");
        }

        @Test
        void smallAcceptedSetIsListedAndLongVersionsAreCut() {
            Hl7Inspector strict = new Hl7Inspector(Set.of("2.4", "2.5.1", "2.3"), StandardCharsets.UTF_8);
            Inspection inspection = strict.inspect(Fixtures.withMsh(STD + "ADT^A01|MSG00001|P|2.6"));
            assertThat(inspection.rejection().reason())
                    .isEqualTo("HL7 version 2.6 is not accepted (accepted: 2.3, 2.4, 2.5.1)");
            Inspection longVersion = strict.inspect(
                    Fixtures.withMsh(STD + "ADT^A01|MSG00001|P|2.4.0.0.0.0.0.0.0.0.0.0.0.0.0"));
            assertThat(longVersion.rejection().reason())
                    .isEqualTo("HL7 version 2.4.0.0.0.0.0.0.0.0.... is not accepted (accepted: 2.3, 2.4, 2.5.1)");
        }

        @Test
        void constructorRefusesNoVersions() {
            assertThatThrownBy(() -> new Hl7Inspector(Set.of(), StandardCharsets.UTF_8))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("accepted HL7 version");
        }
    }

    @Nested
    class AcceptedVariants {

        private void assertBaseHeader(Inspection inspection) {
            MessageHeader h = inspection.header();
            assertThat(h).isEqualTo(new MessageHeader("|", "^~\\&", "PAS", "RXH", "ILINKS", "ILINKS", "ADT", "A01",
                    "ADT_A01", "MSG00001", "P", "2.4", "UNICODE UTF-8"));
            assertThat(inspection.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(inspection.patientKey()).isEqualTo("9434765919");
        }

        @Test
        void carriageReturnSegmentEnds() {
            assertBaseHeader(accepted(Fixtures.bytes(Fixtures.BASE)));
        }

        @Test
        void lineFeedSegmentEnds() {
            assertBaseHeader(accepted(Fixtures.utf8(Fixtures.base().replace('\r', '\n'))));
        }

        @Test
        void crlfSegmentEnds() {
            assertBaseHeader(accepted(Fixtures.utf8(Fixtures.base().replace("\r", "\r\n"))));
        }

        @Test
        void byteOrderMarkAndLeadingBlankLines() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            out.writeBytes(Fixtures.utf8("\r\n \r\n" + Fixtures.base().replace("\r", "\r\n")));
            assertBaseHeader(accepted(out.toByteArray()));
        }

        @Test
        void noFinalTerminator() {
            String base = Fixtures.base();
            assertBaseHeader(accepted(Fixtures.utf8(base.substring(0, base.length() - 1))));
            Inspection mshOnly = accepted(Fixtures.utf8(base.substring(0, base.indexOf('\r'))));
            assertThat(mshOnly.header().charsetField()).isEqualTo("UNICODE UTF-8");
            assertThat(mshOnly.patientKey()).isNull();
        }

        @Test
        void customDelimitersAreHonouredEverywhere() {
            Inspection inspection = accepted(Fixtures.bytes(Fixtures.CUSTOM_DELIMITERS));
            MessageHeader h = inspection.header();
            assertThat(h.fieldSeparator()).isEqualTo("#");
            assertThat(h.encodingCharacters()).isEqualTo("!@%*");
            assertThat(h.messageType()).isEqualTo("ADT");
            assertThat(h.triggerEvent()).isEqualTo("A01");
            assertThat(h.controlId()).isEqualTo("MSG00002");
            assertThat(h.version()).isEqualTo("2.5");
            assertThat(inspection.patientKey()).isEqualTo("9876543210");
            assertThat(inspection.patientKeyIsNhsNumber()).isTrue();
        }

        @Test
        void escapesUseTheMessagesOwnEscapeCharacter() {
            Inspection standard = accepted(Fixtures.withMsh(
                    "MSH|^~\\&|P\\S\\A\\T\\S|R\\F\\X\\E\\H|||20250301120000||ADT^A01|M\\R\\1|P|2.4"));
            assertThat(standard.header().sendingApplication()).isEqualTo("P^A&S");
            assertThat(standard.header().sendingFacility()).isEqualTo("R|X\\H");
            assertThat(standard.header().controlId()).isEqualTo("M~1");
            Inspection custom = accepted(Fixtures.utf8(
                    "MSH#!@%*#P%S%AS#RXH###20250301120000##ADT!A01#M%F%2#P#2.5\nPID#1##A%T%1!!!RX%S%H\n"));
            assertThat(custom.header().sendingApplication()).isEqualTo("P!AS");
            assertThat(custom.header().controlId()).isEqualTo("M#2");
            assertThat(custom.patientKey()).isEqualTo("RX!H:A*1");
            // Unknown escapes such as highlighting stay as sent.
            Inspection unknown = accepted(Fixtures.withMsh(
                    "MSH|^~\\&|\\H\\PAS\\N\\|RXH|||20250301120000||ADT^A01|MSG00001|P|2.4"));
            assertThat(unknown.header().sendingApplication()).isEqualTo("\\H\\PAS\\N\\");
        }

        @Test
        void truncationCharacterIsAccepted() {
            Inspection inspection = accepted(Fixtures.withMsh(
                    "MSH|^~\\&#|PAS|RXH|||20250301120000||ORU^R01^ORU_R01|MSG00001|P|2.5.1"));
            assertThat(inspection.header().encodingCharacters()).isEqualTo("^~\\&#");
            assertThat(inspection.patientKey()).isEqualTo("9434765919");
        }

        @Test
        void fieldSeparatorOtherThanPipe() {
            Inspection inspection = accepted(Fixtures.utf8(
                    "MSH^~|\\&^PAS^RXH^^^20250301120000^^ADT~A24^MSG00005^T^2.4\r\nPID^1^^K1~~~RXH\r\n"));
            assertThat(inspection.header().triggerEvent()).isEqualTo("A24");
            assertThat(inspection.header().processingId()).isEqualTo("T");
            assertThat(inspection.patientKey()).isEqualTo("RXH:K1");
        }

        @ParameterizedTest(name = "MSH-18 ''{0}'' -> {1}")
        @CsvSource(value = {
            "ASCII, US-ASCII",
            "8859/1, ISO-8859-1",
            "8859/15, ISO-8859-15",
            "UNICODE UTF-8, UTF-8",
            "UTF-8, UTF-8",
            "UNICODE, UTF-8",
            "unicode utf-8, UTF-8",
            "'', windows-1252",
            "KLINGON, windows-1252",
            "8859/99, windows-1252"})
        void charsetFromMsh18(String msh18, String expected) {
            Hl7Inspector withDefault = new Hl7Inspector(Set.of("2.4"), Charset.forName("windows-1252"));
            Inspection inspection = withDefault.inspect(Fixtures.withMsh(
                    STD + "ADT^A01|MSG00001|P|2.4|||AL|NE|GBR|" + msh18 + "~UNICODE UTF-8"));
            assertThat(inspection.accepted()).isTrue();
            assertThat(inspection.header().charsetField()).isEqualTo(msh18);
            assertThat(inspection.charset()).isEqualTo(Charset.forName(expected));
        }

        @Test
        void byteOrderMarkMeansUtf8WhenMsh18IsEmpty() {
            byte[] message = Fixtures.withMsh(STD + "ADT^A01|MSG00001|P|2.4");
            byte[] withBom = new byte[message.length + 3];
            withBom[0] = (byte) 0xEF;
            withBom[1] = (byte) 0xBB;
            withBom[2] = (byte) 0xBF;
            System.arraycopy(message, 0, withBom, 3, message.length);
            assertThat(inspector.inspect(message).charset()).isEqualTo(StandardCharsets.ISO_8859_1);
            assertThat(inspector.inspect(withBom).charset()).isEqualTo(StandardCharsets.UTF_8);
        }

        @Test
        void latin1MessageIsReadWithItsDeclaredCharset() {
            Inspection inspection = accepted(Fixtures.bytes(Fixtures.LATIN1));
            assertThat(inspection.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
            assertThat(inspection.header().version()).isEqualTo("2.3.1");
            assertThat(inspection.patientKey()).isEqualTo("LIMS:L555");
            assertThat(inspection.patientKeyIsNhsNumber()).isFalse();
        }
    }

    @Nested
    class PatientKey {

        private Inspection withPid(String pid) {
            return accepted(Fixtures.withPid(pid));
        }

        @Test
        void nhsNumberIsChosenOverAnEarlierMrn() {
            Inspection inspection = accepted(Fixtures.bytes(Fixtures.BASE));
            assertThat(inspection.patientKey()).isEqualTo("9434765919");
            assertThat(inspection.patientKeyIsNhsNumber()).isTrue();
        }

        @Test
        void badCheckDigitFallsBackToTheFirstIdentifier() {
            Inspection inspection = withPid("PID|1||K1234567^^^RXH^MR~9434765918^^^NHS^NH||TESTPATIENT^ALICE");
            assertThat(inspection.patientKey()).isEqualTo("RXH:K1234567");
            assertThat(inspection.patientKeyIsNhsNumber()).isFalse();
            Inspection checkDigitTen = withPid("PID|1||1000000010^^^NHS^NH~K1^^^RXH^MR");
            assertThat(checkDigitTen.patientKey()).isEqualTo("NHS:1000000010");
            assertThat(checkDigitTen.patientKeyIsNhsNumber()).isFalse();
        }

        @Test
        void noPidOrNoIdentifierGivesNull() {
            Inspection noIdentifier = withPid("PID|1||||TESTPATIENT^ALICE");
            assertThat(noIdentifier.patientKey()).isNull();
            assertThat(noIdentifier.patientKeyIsNhsNumber()).isFalse();
            assertThat(withPid("PID|1||~^^^RXH^MR~||TESTPATIENT").patientKey()).isNull();
            assertThat(withPid("PID").patientKey()).isNull();
            assertThat(accepted(Fixtures.utf8(STD + "ADT^A01|MSG00001|P|2.4\rEVN|A01\rPV1|1|I\r")).patientKey())
                    .isNull();
        }

        @Test
        void realFeedStylesOfNhsNumberAreRecognised() {
            assertThat(withPid("PID|1||K1^^^RXH^MR~9434765919^^^NHS^HN").patientKey()).isEqualTo("9434765919");
            assertThat(withPid("PID|1||K1^^^SIMULATOR MRN^MRN~9434765919^^^NHSNBR^NHSNMBR").patientKey())
                    .isEqualTo("9434765919");
            assertThat(withPid("PID|1||943 476 5919^^^NHS").patientKey()).isEqualTo("9434765919");
            assertThat(withPid("PID|1||9434765919^^^&2.16.840.1.113883.2.1.4.1&ISO^NH").patientKey())
                    .isEqualTo("9434765919");
        }

        @Test
        void nhsLookingNumberFromAnotherAuthorityIsNotAnNhsNumber() {
            Inspection inspection = withPid("PID|1||9434765919^^^CMS^NH");
            assertThat(inspection.patientKey()).isEqualTo("CMS:9434765919");
            assertThat(inspection.patientKeyIsNhsNumber()).isFalse();
        }

        @Test
        void nhsNumberInPid19IsUsedWhenPid3HasNone() {
            Inspection inspection = accepted(Fixtures.bytes(Fixtures.PID19));
            assertThat(inspection.patientKey()).isEqualTo("9434765870");
            assertThat(inspection.patientKeyIsNhsNumber()).isTrue();
            // A 9-digit US SSN in PID-19 is not taken for an NHS number.
            Inspection ssn = withPid("PID|1||K1^^^RXH^MR|||||||||||||||||123456789");
            assertThat(ssn.patientKey()).isEqualTo("RXH:K1");
        }

        @Test
        void identifierQualifiers() {
            assertThat(withPid("PID|1||12345").patientKey()).isEqualTo("12345");
            assertThat(withPid("PID|1||12345^^^&1.2.3.4&ISO^MR").patientKey()).isEqualTo("1.2.3.4:12345");
            assertThat(withPid("PID|1||12345^^^MRENTR&&ISO^MEDREC").patientKey()).isEqualTo("MRENTR:12345");
            assertThat(withPid("PID|1||A\\T\\1^^^R\\S\\X").patientKey()).isEqualTo("R^X:A&1");
        }

        @Test
        void onlyTheFirstPidCounts() {
            String base = Fixtures.base();
            byte[] twoPids = Fixtures.utf8(base + "PID|2||9876543210^^^NHS^NH\r");
            assertThat(accepted(twoPids).patientKey()).isEqualTo("9434765919");
            assertThat(accepted(Fixtures.utf8(STD + "ADT^A01|MSG00001|P|2.4\rPIDX|1||K9^^^X\rPID|1||K8^^^Y\r"))
                    .patientKey()).isEqualTo("Y:K8");
        }
    }
}
