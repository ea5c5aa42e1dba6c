package org.ilinks.mllp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AckSummaryTest {

    private static final String MSH = "MSH|^~\\&|RECVAPP|RECVFAC|SENDAPP|SENDFAC|20250101120001||ACK^A01^ACK|ACK0001|P|2.5";

    @Test
    void readsCodeControlIdAndText() {
        AckSummary ack = AckSummary.parse(MSH + "\rMSA|AA|H1T0001|Message accepted\r");

        assertThat(ack).isEqualTo(new AckSummary("AA", "H1T0001", "Message accepted"));
        assertThat(ack.accepted()).isTrue();
    }

    @Test
    void toleratesLfAndCrlfAndMissingTrailingSeparators() {
        assertThat(AckSummary.parse(MSH + "\nMSA|AE|H1T0002|Bad PID\n").code()).isEqualTo("AE");
        assertThat(AckSummary.parse(MSH + "\r\nMSA|AR|H1T0003\r\n"))
                .isEqualTo(new AckSummary("AR", "H1T0003", ""));
        assertThat(AckSummary.parse(MSH + "\rMSA|CA").controlId()).isEmpty();
    }

    @Test
    void usesTheFieldSeparatorDeclaredInMsh() {
        String ack = "MSH#!@%*#RECVAPP#RECVFAC#SENDAPP#SENDFAC#20250101120001##ACK#ACK0001#P#2.5\r"
                + "MSA#AE#H1T0004#Invalid value%S%|here\r";

        AckSummary summary = AckSummary.parse(ack);

        // '%' is the escape character here, so %S% is the component separator '!'.
        assertThat(summary).isEqualTo(new AckSummary("AE", "H1T0004", "Invalid value!|here"));
        assertThat(summary.accepted()).isFalse();
    }

    @Test
    void fallsBackToErr8WhenMsa3IsEmpty() {
        String ack = MSH + "\rMSA|AE|H1T0005\rERR||PID^1^3|102^Data type error^HL70357|E||||Unknown patient identifier\r";

        assertThat(AckSummary.parse(ack).text()).isEqualTo("Unknown patient identifier");
    }

    @Test
    void fallsBackToTheTextOfErr1BeforeV25() {
        String ack = MSH.replace("|2.5", "|2.4") + "\rMSA|AR|H1T0006\rERR|PID^1^3^102&Data type error&HL70357\r";

        assertThat(AckSummary.parse(ack).text()).isEqualTo("Data type error");
    }

    @Test
    void fallsBackToTheTextOfErr3() {
        String ack = MSH + "\rMSA|AE|H1T0007|\rERR|||207^Application internal error^HL70357|E\r";

        assertThat(AckSummary.parse(ack).text()).isEqualTo("Application internal error");
    }

    @Test
    void resolvesStandardEscapes() {
        String ack = MSH + "\rMSA|AE|H1T0008|A\\T\\B \\F\\ C\\E\\D \\X41\\\r";

        assertThat(AckSummary.parse(ack).text()).isEqualTo("A&B | C\\D \\X41\\");
    }

    @Test
    void decodesUtf8AndFallsBackToIso88591() {
        String text = "Patient M\u00fcller unbekannt";
        String ack = MSH + "\rMSA|AE|H1T0009|" + text + "\r";

        assertThat(AckSummary.parse(ack.getBytes(UTF_8)).text()).isEqualTo(text);
        assertThat(AckSummary.parse(ack.getBytes(ISO_8859_1)).text()).isEqualTo(text);
    }

    @Test
    void toleratesLeadingFramingBytesAndBom() {
        assertThat(AckSummary.parse("\uFEFF\u000B" + MSH + "\rMSA|AA|H1T0010\r\u001C\r").code()).isEqualTo("AA");
    }

    @Test
    void rejectsARepliesWithoutMsaWithoutQuotingThem() {
        assertThatThrownBy(() -> AckSummary.parse(MSH + "\rPID|1||9434765919^^^NHS^NH\r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the reply has no MSA segment, so it is not an HL7 ACK");
        assertThatThrownBy(() -> AckSummary.parse(MSH + "\rMSA||H1T0011\r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MSA-1");
        assertThatThrownBy(() -> AckSummary.parse(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
