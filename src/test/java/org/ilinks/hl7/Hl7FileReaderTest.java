package org.ilinks.hl7;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ilinks.hl7.Hl7FileReader.Hl7File;
import org.ilinks.hl7.Hl7FileReader.TrailerCheck;
import org.ilinks.hl7.Hl7FileReader.TrailerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hl7FileReaderTest {

    private static final String MSH_1 = "MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250101120000||ADT^A01|H1T0001|P|2.4";
    private static final String MSH_2 = "MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250101120000||ADT^A08|H1T0002|P|2.4";
    private static final String PID_1 = "PID|1||9434765919^^^NHS^NH||TESTPATIENT^ALICE||19800101|F";
    private static final String PID_2 = "PID|1||9434765870^^^NHS^NH||TESTPATIENT^BOB||19750505|M";

    @Test
    void crOnlyMessageComesOutUnchanged() {
        String content = MSH_1 + "\r" + PID_1 + "\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).hasSize(1);
        assertThat(text(file.messages().get(0))).isEqualTo(content);
        assertThat(file.warnings()).isEmpty();
        assertThat(file.trailerChecks()).isEmpty();
    }

    @Test
    void lfFileWithTwoMessagesIsSplitAndUsesCr() throws IOException {
        Hl7File file = Hl7FileReader.read(fixture("h1-two-messages-lf.hl7"));

        assertThat(file.messages()).hasSize(2);
        for (byte[] message : file.messages()) {
            assertThat(text(message)).startsWith("MSH|").endsWith("\r").doesNotContain("\n");
            assertThat(text(message).split("\r")).hasSize(4);
        }
        assertThat(text(file.messages().get(0))).contains("|H1LF0001|");
        assertThat(text(file.messages().get(1))).contains("|H1LF0002|");
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void crlfWithBomBlankLinesAndNoFinalTerminator() throws IOException {
        Hl7File file = Hl7FileReader.read(fixture("h1-bom-crlf-blank-lines.hl7"));

        assertThat(file.messages()).hasSize(2);
        assertThat(file.messages().get(0)[0]).isEqualTo((byte) 'M');
        assertThat(text(file.messages().get(0))).contains("|H1CRLF01|").doesNotContain("\n").endsWith("PV1|1|I|WARD1^BED1\r");
        assertThat(text(file.messages().get(1))).contains("|H1CRLF02|").doesNotContain("\n").endsWith("PV1|1|I|WARD1^BED1\r");
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void mixedSegmentEndsAreAllNormalisedToCr() {
        String content = MSH_1 + "\r" + "EVN|A01|20250101120000\n" + PID_1 + "\r\n" + "PV1|1|I";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).hasSize(1);
        assertThat(text(file.messages().get(0)))
                .isEqualTo(MSH_1 + "\rEVN|A01|20250101120000\r" + PID_1 + "\rPV1|1|I\r");
    }

    @Test
    void lfCrPairIsTwoEndsAndTheEmptyLineBetweenIsDropped() {
        String content = MSH_1 + "\n\r" + PID_1 + "\n\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(text(file.messages().get(0))).isEqualTo(MSH_1 + "\r" + PID_1 + "\r");
    }

    @Test
    void severalMessagesSeparatedByBlankLines() {
        String content = MSH_1 + "\r" + PID_1 + "\r\n\n" + MSH_2 + "\r" + PID_2 + "\n\n\n" + MSH_1 + "\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).extracting(Hl7FileReaderTest::text).containsExactly(
                MSH_1 + "\r" + PID_1 + "\r",
                MSH_2 + "\r" + PID_2 + "\r",
                MSH_1 + "\r");
    }

    @Test
    void batchWithRightCountsGivesTheMessagesInsideAndMatchingChecks() throws IOException {
        Hl7File file = Hl7FileReader.read(fixture("h1-batch-good.hl7"));

        assertThat(file.messages()).hasSize(3);
        for (byte[] message : file.messages()) {
            assertThat(text(message)).startsWith("MSH|")
                    .doesNotContain("FHS|").doesNotContain("BHS|").doesNotContain("BTS|").doesNotContain("FTS|");
        }
        assertThat(text(file.messages().get(2))).contains("|H1BAT003|");
        assertThat(file.trailerChecks()).extracting(TrailerCheck::segment, TrailerCheck::declared,
                        TrailerCheck::found, TrailerCheck::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("BTS", 2, 2, TrailerStatus.MATCH),
                        org.assertj.core.groups.Tuple.tuple("BTS", 1, 1, TrailerStatus.MATCH),
                        org.assertj.core.groups.Tuple.tuple("FTS", 2, 2, TrailerStatus.MATCH));
        assertThat(file.trailerWarnings()).isEmpty();
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void batchWithWrongCountsStillGivesTheMessagesAndReportsTheMismatch() throws IOException {
        Hl7File file = Hl7FileReader.read(fixture("h1-batch-wrong-counts.hl7"));

        assertThat(file.messages()).hasSize(2);
        // Lines: FHS, BHS, 4 segments x 2 messages, then BTS on line 11 and FTS on line 12.
        assertThat(file.trailerWarnings()).containsExactly(
                "BTS at line 11 declares 3 message(s) but 2 were found",
                "FTS at line 12 declares 4 batch(es) but 1 were found");
        assertThat(file.trailerChecks()).allSatisfy(check -> assertThat(check.ok()).isFalse());
    }

    @Test
    void batchHeaderWithoutTrailerIsReported() {
        String content = "BHS|^~\\&|SENDAPP\r" + MSH_1 + "\r" + PID_1 + "\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).hasSize(1);
        assertThat(file.trailerChecks()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(TrailerStatus.MISSING_TRAILER);
            assertThat(check.describe()).isEqualTo("BHS at line 1 has no BTS; 1 message(s) found");
        });
    }

    @Test
    void trailerWithEmptyCountIsNotAProblem() {
        String content = "BHS|^~\\&|SENDAPP\r" + MSH_1 + "\rBTS||comment\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.trailerChecks()).singleElement()
                .satisfies(check -> assertThat(check.status()).isEqualTo(TrailerStatus.NOT_DECLARED));
        assertThat(file.trailerWarnings()).isEmpty();
    }

    @Test
    void segmentsInsideABatchButOutsideAnyMessageAreSkippedWithAWarning() {
        String content = "BHS|^~\\&|SENDAPP\r" + PID_1 + "\rPV1|1|I\rBTS|1\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).isEmpty();
        int skipped = (PID_1 + "\rPV1|1|I\r").length();
        assertThat(file.warnings()).containsExactly(
                skipped + " bytes from line 2 (after the BHS at line 1) belong to no message and were skipped",
                "no HL7 message found (no line begins with MSH)");
        assertThat(file.trailerWarnings()).containsExactly("BTS at line 4 declares 1 message(s) but 0 were found");
        assertThat(String.join(" ", file.warnings())).doesNotContain("9434765919").doesNotContain("ALICE");
    }

    @Test
    void blankLinesAreSkippedWithoutWarnings() {
        String content = "\r\n   \r\n\t\n" + MSH_1 + "\r\n\r\n" + PID_1 + "\r\n \r\n";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).extracting(Hl7FileReaderTest::text).containsExactly(MSH_1 + "\r" + PID_1 + "\r");
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void garbageBeforeTheFirstMshIsCountedButNotEchoed() {
        String garbage = "Patient 9434765919 TESTPATIENT ALICE\r\nsecond line\n";
        String content = garbage + "\n" + MSH_1 + "\r" + PID_1 + "\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).extracting(Hl7FileReaderTest::text).containsExactly(MSH_1 + "\r" + PID_1 + "\r");
        assertThat(file.warnings()).containsExactly(garbage.length() + " bytes before the first MSH were skipped");
        assertThat(file.warnings().get(0)).doesNotContain("9434765919").doesNotContain("ALICE");
    }

    @Test
    void iso88591BytesArePreservedByteForByte() throws IOException {
        byte[] content = fixture("h1-latin1.hl7");

        Hl7File file = Hl7FileReader.read(content);

        assertThat(file.messages()).hasSize(1);
        // The fixture already uses CR and ends with one, so nothing may change at all.
        assertThat(file.messages().get(0)).isEqualTo(content);
        assertThat(content).contains((byte) 0xDC, (byte) 0xC9, (byte) 0xA3);
    }

    @Test
    void utf8BytesArePreservedWhenLineEndsChange() {
        String pid = "PID|1||9434765919^^^NHS^NH||M\u00dcLLER^REN\u00c9E||19800101|F";
        byte[] content = (MSH_1 + "\n" + pid + "\n").getBytes(UTF_8);

        Hl7File file = Hl7FileReader.read(content);

        assertThat(file.messages().get(0)).isEqualTo((MSH_1 + "\r" + pid + "\r").getBytes(UTF_8));
    }

    @Test
    void bomIsStripped() {
        byte[] body = (MSH_1 + "\r").getBytes(ISO_8859_1);
        byte[] content = new byte[body.length + 3];
        content[0] = (byte) 0xEF;
        content[1] = (byte) 0xBB;
        content[2] = (byte) 0xBF;
        System.arraycopy(body, 0, content, 3, body.length);

        Hl7File file = Hl7FileReader.read(content);

        assertThat(file.messages().get(0)).isEqualTo(body);
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void emptyContentAndContentWithoutMshGiveNoMessagesAndAWarning() {
        assertThat(Hl7FileReader.read(new byte[0]).messages()).isEmpty();
        assertThat(Hl7FileReader.read(new byte[0]).warnings()).containsExactly("no HL7 message found (no line begins with MSH)");

        Hl7File noMsh = Hl7FileReader.read((PID_1 + "\r").getBytes(ISO_8859_1));
        assertThat(noMsh.messages()).isEmpty();
        assertThat(noMsh.warnings()).hasSize(2);
    }

    @Test
    void customFieldSeparatorIsAccepted() {
        String content = "MSH#!@%*#SENDAPP#SENDFAC\rPID#1\r";

        Hl7File file = Hl7FileReader.read(content.getBytes(ISO_8859_1));

        assertThat(file.messages()).extracting(Hl7FileReaderTest::text).containsExactly(content);
    }

    @Test
    void readsFromAPath(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("in.hl7");
        Files.write(path, (MSH_1 + "\n" + PID_1 + "\n" + MSH_2 + "\n").getBytes(ISO_8859_1));

        assertThat(Hl7FileReader.read(path).messages()).hasSize(2);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = Hl7FileReaderTest.class.getResourceAsStream("/hl7/" + name)) {
            assertThat(in).as("test fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, ISO_8859_1);
    }
}
