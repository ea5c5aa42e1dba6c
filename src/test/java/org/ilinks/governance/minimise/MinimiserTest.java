package org.ilinks.governance.minimise;



import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.ilinks.hl7.Hl7Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinimiserTest {

    private static final Clock TODAY = Clock.fixed(Instant.parse("2030-06-01T00:00:00Z"), ZoneOffset.UTC);

    static final String ADT = String.join("\r",
            "MSH|^~\\&|PAS|RXN|ILINKS|ILINKS|20260315103000||ADT^A01^ADT_A01|MSG0001|P|2.6",
            "EVN|A01|20260315103000",
            "PID|1||9434765919^^^NHS^NH~K1234567^^^RXN^MR~X99^^^RXN^PI||TESTPATIENT^ALICE^JANE^^MS||19800101|F"
                    + "|||1 Test Street^^Liverpool^^L9 7AL^GBR||0151 000 0000",
            "PD1|||Test Practice^^N81013",
            "PV1|1|I|WARD1^BED2||||C1234^DOCTOR^DAVE",
            "OBX|1|ST|1234^Note^L||A \\T\\ B \\S\\ C \\F\\ D \\E\\ E||||||F",
            "ZPI|local|data",
            "ZXX|never|listed") + "\r";

    @TempDir
    Path folder;

    private Minimiser exampleMinimiser() {
        return new Minimiser(ProfileFiles.load(ProfileFiles.copyExample(folder)), TODAY);
    }

    @Test
    void exampleProfileKeepsOnlyWhatItListsAndTransformsTheRest() {
        MinimisedMessage result = exampleMinimiser().minimise(ADT.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        String pseudonym = new Pseudonymiser(ProfileFiles.TEST_KEY.getBytes(StandardCharsets.UTF_8),
                Pseudonymiser.Encoding.HEX, 32).pseudonym("K1234567");

        assertThat(result.text()).isEqualTo(String.join("\r",
                "MSH|^~\\&|PAS|RXN|ILINKS|ILINKS|20260315103000||ADT^A01^ADT_A01|MSG0001|P|2.6",
                "EVN|A01|20260315103000",
                "PID|||9434765919^^^NHS^NH~" + pseudonym + "^^^^MR||XXXX^ALICE||18-64|F|||^^^^L9",
                "PV1||I|WARD1^BED2",
                "OBX||ST|1234^Note^L||A \\T\\ B \\S\\ C \\F\\ D \\E\\ E||||||F",
                "ZPI|local|data") + "\r");
        assertThat(result.changes()).contains(
                new Change("PD1", "segment removed", 1),
                new Change("ZXX", "segment removed", 1),
                new Change("PID-1", "removed", 1),
                new Change("PID-3", "repetition removed", 1),
                new Change("PID-3[type=MR].1", "pseudonymise", 1),
                new Change("PID-3[type=MR].4", "removed", 1),
                new Change("PID-5.1", "mask", 1),
                new Change("PID-5.3", "removed", 1),
                new Change("PID-7", "age-band", 1),
                new Change("PID-11.1", "removed", 1),
                new Change("PID-11.5", "outward-code", 1),
                new Change("PID-13", "removed", 1),
                new Change("PV1-7", "removed", 1));
        assertThat(result.changes()).noneMatch(c -> c.path().startsWith("MSH") || c.path().startsWith("EVN")
                || c.path().startsWith("ZPI"));
    }

    @Test
    void changesNameWhereAndWhatButNeverTheValues() {
        MinimisedMessage result = exampleMinimiser().minimise(ADT);
        String described = result.changes().toString();
        for (String value : List.of("9434765919", "K1234567", "TESTPATIENT", "ALICE", "19800101", "L9 7AL",
                "Test Street", "N81013", "DOCTOR", "never")) {
            assertThat(described).doesNotContain(value);
        }
    }

    @Test
    void outputReparsesWithHapiAsTheSameVersionAndType() throws Exception {
        MinimisedMessage result = exampleMinimiser().minimise(ADT);
        Message parsed = Hl7Context.parser().parse(result.text());
        Terser terser = new Terser(parsed);
        assertThat(parsed.getVersion()).isEqualTo("2.6");
        assertThat(terser.get("/MSH-9-1")).isEqualTo("ADT");
        assertThat(terser.get("/MSH-9-2")).isEqualTo("A01");
        assertThat(terser.get("/PID-3(0)-1")).isEqualTo("9434765919");
        assertThat(terser.get("/PID-5-1")).isEqualTo("XXXX");
        assertThat(terser.get("/PID-11-5")).isEqualTo("L9");
        assertThat(terser.get("/PID-11-1")).isNull();
        // HAPI decodes the escapes we left intact back to the sender's characters.
        assertThat(terser.get("/OBX-5")).isEqualTo("A & B ^ C | D \\ E");
    }

    @Test
    void customDelimitersAreHonouredAndGiveTheSamePseudonyms() throws Exception {
        Minimiser minimiser = exampleMinimiser();
        String custom = withCustomDelimiters(ADT);
        assertThat(custom).startsWith("MSH#!@%*#PAS#");

        MinimisedMessage result = minimiser.minimise(custom);

        assertThat(result.text()).isEqualTo(withCustomDelimiters(minimiser.minimise(ADT).text()));
        Message parsed = Hl7Context.parser().parse(result.text());
        assertThat(new Terser(parsed).get("/PID-11-5")).isEqualTo("L9");
        // An escape stands for this message's own delimiter, so HAPI reads them back as #!@%* here.
        assertThat(new Terser(parsed).get("/OBX-5")).isEqualTo("A * B ! C # D % E");
    }

    @Test
    void generatedValuesContainingADelimiterAreEscaped(@TempDir Path other) throws Exception {
        Path file = ProfileFiles.write(other, "svc.yaml", """
                mask: "N^A"
                segments:
                  PID:
                    PID-5.1: mask
                """);
        MinimisedMessage result = new Minimiser(ProfileFiles.load(file), TODAY).minimise(ADT);
        assertThat(result.text()).contains("\rPID|||||N\\S\\A\r");
        assertThat(new Terser(Hl7Context.parser().parse(result.text())).get("/PID-5-1")).isEqualTo("N^A");
    }

    @Test
    void denyByDefaultLeavesOnlyMshForAnEmptyAllowList(@TempDir Path other) {
        Path file = ProfileFiles.write(other, "nothing.yaml", "segments: {}\n");
        MinimisedMessage result = new Minimiser(ProfileFiles.load(file), TODAY).minimise(ADT);
        assertThat(result.text()).isEqualTo(ADT.substring(0, ADT.indexOf('\r') + 1));
        assertThat(result.changes()).extracting(Change::path)
                .containsExactly("EVN", "PID", "PD1", "PV1", "OBX", "ZPI", "ZXX");
    }

    @Test
    void unlistedComponentsAndFieldsAreRemovedWhileFieldRulesCoverEveryRepetition(@TempDir Path other) {
        Path file = ProfileFiles.write(other, "svc.yaml", """
                segments:
                  PID:
                    PID-3.1: keep
                    PID-11: keep
                    PID-11.5: outward-code
                """);
        MinimisedMessage result = new Minimiser(ProfileFiles.load(file), TODAY).minimise(ADT);
        assertThat(segment(result.text(), "PID"))
                .isEqualTo("PID|||9434765919~K1234567~X99||||||||1 Test Street^^Liverpool^^L9^GBR");
    }

    @Test
    void birthDateCanBeReducedToYearOrYearAndMonth(@TempDir Path other) {
        Path year = ProfileFiles.write(other, "year.yaml", "segments:\n  PID:\n    PID-7: birth-year\n");
        Path month = ProfileFiles.write(other, "month.yaml", "segments:\n  PID:\n    PID-7: birth-year-month\n");
        assertThat(segment(new Minimiser(ProfileFiles.load(year), TODAY).minimise(ADT).text(), "PID"))
                .isEqualTo("PID|||||||1980");
        assertThat(segment(new Minimiser(ProfileFiles.load(month), TODAY).minimise(ADT).text(), "PID"))
                .isEqualTo("PID|||||||198001");
    }

    @Test
    void ageBandUsesTodayWhenTheMessageHasNoDate(@TempDir Path other) {
        Path file = ProfileFiles.write(other, "svc.yaml",
                "ageBands: [0-17, 18-49, 50+]\nsegments:\n  PID:\n    PID-7: age-band\n");
        Minimiser minimiser = new Minimiser(ProfileFiles.load(file), TODAY);
        // Message date 2026-03-15: 46 years old.
        assertThat(segment(minimiser.minimise(ADT).text(), "PID")).isEqualTo("PID|||||||18-49");
        // No MSH-7: today (2030-06-01), 50 years old.
        String undated = ADT.replace("|20260315103000||ADT", "|||ADT");
        assertThat(segment(minimiser.minimise(undated).text(), "PID")).isEqualTo("PID|||||||50+");
    }

    @Test
    void unreadableValuesAreRemovedNotPassedOn(@TempDir Path other) {
        Path file = ProfileFiles.write(other, "svc.yaml",
                "segments:\n  PID:\n    PID-7: age-band\n    PID-11.5: outward-code\n");
        String odd = ADT.replace("19800101", "UNKNOWN").replace("L9 7AL", "NOT KNOWN");
        MinimisedMessage result = new Minimiser(ProfileFiles.load(file), TODAY).minimise(odd);
        assertThat(segment(result.text(), "PID")).isEqualTo("PID");
        assertThat(result.changes()).contains(
                new Change("PID-7", "removed (not readable for age-band)", 1),
                new Change("PID-11.5", "removed (not readable for outward-code)", 1));
    }

    @Test
    void lineFeedsAndCrLfEndSegmentsToo() {
        Minimiser minimiser = exampleMinimiser();
        String expected = minimiser.minimise(ADT).text();
        assertThat(minimiser.minimise(ADT.replace("\r", "\r\n")).text()).isEqualTo(expected);
        assertThat(minimiser.minimise(ADT.replace("\r", "\n")).text()).isEqualTo(expected);
    }

    @Test
    void latin1MessagesKeepTheirCharset(@TempDir Path other) {
        Path file = ProfileFiles.write(other, "svc.yaml", "segments:\n  PID:\n    PID-5: keep\n");
        byte[] latin1 = ADT.replace("TESTPATIENT", "MÜLLER").getBytes(StandardCharsets.ISO_8859_1);
        MinimisedMessage result = new Minimiser(ProfileFiles.load(file), TODAY)
                .minimise(latin1, StandardCharsets.ISO_8859_1);
        assertThat(new String(result.bytes(), StandardCharsets.ISO_8859_1)).contains("PID|||||MÜLLER^ALICE^JANE^^MS");
    }

    @Test
    void aMessageWithoutMshIsRefusedWithoutQuotingIt() {
        Minimiser minimiser = exampleMinimiser();
        assertThatThrownBy(() -> minimiser.minimise("PID|1||9434765919\r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("message does not start with an MSH segment");
    }

    static String segment(String message, String id) {
        for (String segment : message.split("\r")) {
            if (segment.startsWith(id)) {
                return segment;
            }
        }
        throw new AssertionError("no " + id + " segment in the output");
    }

    /** The same message written with {@code #!@%*} instead of {@code |^~\&}. */
    static String withCustomDelimiters(String message) {
        StringBuilder out = new StringBuilder();
        for (char c : message.toCharArray()) {
            out.append(switch (c) {
                case '|' -> '#';
                case '^' -> '!';
                case '~' -> '@';
                case '\\' -> '%';
                case '&' -> '*';
                default -> c;
            });
        }
        return out.toString();
    }
}
