package org.ilinks.governance.restricted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.model.Message;
import java.util.List;
import java.util.Set;
import org.ilinks.hl7.Hl7Context;
import org.ilinks.hl7.NhsNumber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RestrictedDataFilterTest {

    /** Synthetic patient; a valid Modulus 11 number from the 999 test range. */
    private static final String NHS_NUMBER = "9990000018";
    private static final String MSH = "MSH|^~\\&|LAB|RQ6|ILINKS|ILINKS|20240301101500||ORU^R01^ORU_R01|MSG00001|P|2.6";
    private static final String PID = "PID|1||" + NHS_NUMBER + "^^^NHS^NH||TESTPATIENT^ALPHA||19800101|F";

    private static final RestrictedDataFilter FILTER = new RestrictedDataFilter(new RestrictedCodes(
            RestrictedCodes.DEFAULT_FIELDS, List.of(
                    category("hiv", new RestrictedCode("LN", "56888-1", "HIV 1+2 Ab + HIV 1 p24 Ag"),
                            new RestrictedCode("SCT", "86406008", "HIV infection"),
                            new RestrictedCode("I10", "B20", "HIV disease"),
                            new RestrictedCode("LN", "99999-9", "synthetic code in two categories")),
                    category("sexual-health", new RestrictedCode("LN", "43304-5", "Chlamydia rRNA"),
                            new RestrictedCode("SCT", "15628003", "Gonorrhoea"),
                            new RestrictedCode("LN", "99999-9", "synthetic code in two categories")))));

    private static RestrictedCategory category(String name, RestrictedCode... codes) {
        return new RestrictedCategory(name, "", List.of(codes));
    }

    private static String message(String... segments) {
        return String.join("\r", segments) + "\r";
    }

    @BeforeAll
    static void theSyntheticPatientHasAValidNhsNumber() {
        assertThat(NhsNumber.isValid(NHS_NUMBER)).isTrue();
    }

    @Test
    void anHivTestInObx3IsRemovedWithItsNotes() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L",
                "NTE|1||Fasting sample",
                "OBX|2|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "NTE|1||Confirmed by reference lab",
                "NTE|2||Discussed with patient",
                "OBX|3|NM|2085-9^HDL^LN||1.4|mmol/L");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.message()).isEqualTo(message(MSH, PID,
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L",
                "NTE|1||Fasting sample",
                "OBX|3|NM|2085-9^HDL^LN||1.4|mmol/L"));
        assertThat(filtered.removals()).containsExactly(new Removal("OBX[2]", Set.of("hiv"), 3));
        assertThat(filtered.clinicalContentRemoved()).isFalse();
        assertThat(filtered.changed()).isTrue();
        assertReparses(filtered.message());
    }

    @Test
    void anOrderWhoseEveryResultIsRestrictedGoesTooBecauseTheOrderAloneWouldTell() {
        String message = message(MSH, PID,
                "ORC|RE|ORD1",
                "OBR|1|ORD1||VL^Viral load^L",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "NTE|1||Confirmed by reference lab",
                "OBR|2|ORD2||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.message()).isEqualTo(message(MSH, PID,
                "OBR|2|ORD2||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L"));
        assertThat(filtered.removals()).containsExactly(new Removal("OBX[1]", Set.of("hiv"), 2),
                new Removal("OBR[1] (every result restricted)", Set.of("hiv"), 2));
        assertThat(filtered.clinicalContentRemoved()).isFalse();
        assertReparses(filtered.message());

        // the same order alone: nothing clinical is left, so the caller withholds the message
        Filtered alone = FILTER.scan(message(MSH, PID, "OBR|1|ORD1||VL^Viral load^L",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected")).removeFor(Set.of());
        assertThat(alone.clinicalContentRemoved()).isTrue();
        // an order with a restricted and an unrestricted result keeps the order and the other result
        Filtered mixed = FILTER.scan(message(MSH, PID, "OBR|1|ORD1||VL^Viral load^L",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected", "OBX|2|NM|2093-3^Cholesterol^LN||5.2"))
                .removeFor(Set.of());
        assertThat(mixed.message()).contains("OBR|1|ORD1").contains("OBX|2|NM").doesNotContain("56888-1");
    }

    @Test
    void anObr4MatchRemovesTheWholeOrderWithItsOrc() {
        String message = message(MSH, PID,
                "ORC|RE|ORD1",
                "OBR|1|ORD1||43304-5^Chlamydia trachomatis rRNA^LN",
                "NTE|1||Self-taken swab",
                "OBX|1|ST|43304-5^Chlamydia trachomatis rRNA^LN||Not detected",
                "NTE|1||Repeat in 3 months",
                "SPM|1|||VS^Vaginal swab^HL70487",
                "ORC|RE|ORD2",
                "OBR|2|ORD2||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of("hiv"));

        assertThat(filtered.message()).isEqualTo(message(MSH, PID,
                "ORC|RE|ORD2",
                "OBR|2|ORD2||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L"));
        // The matching OBX went with its OBR: one removal, six segments.
        assertThat(filtered.removals()).containsExactly(new Removal("OBR[1]", Set.of("sexual-health"), 6));
        assertThat(filtered.clinicalContentRemoved()).isFalse();
        assertReparses(filtered.message());
    }

    @Test
    void aCodedObx5IsMatched() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||625-4^Bacteria identified in Stool by Culture^LN",
                "OBX|1|CWE|11475-1^Microorganism identified^LN||15628003^Gonorrhoea^SCT",
                "OBX|2|CWE|11475-1^Microorganism identified^LN||3092008^Staphylococcus aureus^SCT");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.removals()).containsExactly(new Removal("OBX[1]", Set.of("sexual-health"), 1));
        assertThat(filtered.message()).doesNotContain("15628003").contains("3092008");
    }

    @Test
    void obx5IsNotReadWhenObx2SaysItIsNotCoded() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||625-4^Bacteria identified^LN",
                "OBX|1|ST|11475-1^Microorganism identified^LN||15628003^Gonorrhoea^SCT");

        Scan scan = FILTER.scan(message);
        Filtered filtered = scan.removeFor(Set.of());

        assertThat(scan.restricted()).isFalse();
        assertThat(filtered.changed()).isFalse();
        assertThat(filtered.message()).isSameAs(message);
    }

    @Test
    void aDiagnosisInDg1IsRemovedAndTheRestOfTheClinicalContentStays() {
        String message = message(
                "MSH|^~\\&|PAS|RQ6|ILINKS|ILINKS|20240301101500||ADT^A01^ADT_A01|MSG00002|P|2.6",
                "EVN|A01|20240301101500",
                PID,
                "PV1|1|I|WARD1",
                "AL1|1|DA|7980^Penicillin^RXNORM",
                "DG1|1||J18.9^Pneumonia, unspecified^I10",
                "DG1|2||B20^HIV disease^I10");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of("sexual-health"));

        assertThat(filtered.removals()).containsExactly(new Removal("DG1[2]", Set.of("hiv"), 1));
        assertThat(filtered.message()).doesNotContain("B20").contains("J18.9");
        assertThat(filtered.clinicalContentRemoved()).isFalse();
        assertReparses(filtered.message());
    }

    @Test
    void theAlternateCodingIsMatchedAndSnomedIsComparedByMeaning() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||LOCAL1^Local virology screen^L",
                "OBX|1|ST|LHIV^Local HIV screen^L^56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "OBX|2|CWE|LDX^Diagnosis^L||LOC9^Local term^L^86406008^HIV infection^http://snomed.info/sct",
                "OBX|3|ST|LHB^Local haemoglobin^L||normal");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.removals()).containsExactly(
                new Removal("OBX[1]", Set.of("hiv"), 1), new Removal("OBX[2]", Set.of("hiv"), 1));
    }

    @Test
    void aServiceAuthorisedForTheCategoriesReceivesEverythingUnchanged() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||43304-5^Chlamydia trachomatis rRNA^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected");
        Scan scan = FILTER.scan(message);

        Filtered filtered = scan.removeFor(Set.of("hiv", "sexual-health", "fertility"));

        assertThat(scan.categories()).containsExactly("hiv", "sexual-health");
        assertThat(filtered.message()).isSameAs(message);
        assertThat(filtered.removals()).isEmpty();
        assertThat(filtered.clinicalContentRemoved()).isFalse();
    }

    @Test
    void aSegmentInTwoCategoriesNeedsBoth() {
        String twoCodes = message(MSH, PID,
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|CWE|56888-1^HIV 1+2 Ab+Ag^LN||15628003^Gonorrhoea^SCT",
                "OBX|2|NM|2093-3^Cholesterol^LN||5.2|mmol/L");
        String oneCodeInTwoCategories = message(MSH, PID,
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|ST|99999-9^Synthetic^LN||Not detected",
                "OBX|2|NM|2093-3^Cholesterol^LN||5.2|mmol/L");

        for (String message : List.of(twoCodes, oneCodeInTwoCategories)) {
            Scan scan = FILTER.scan(message);
            assertThat(scan.removeFor(Set.of("hiv")).removals())
                    .containsExactly(new Removal("OBX[1]", Set.of("hiv", "sexual-health"), 1));
            assertThat(scan.removeFor(Set.of("sexual-health")).removals()).hasSize(1);
            assertThat(scan.removeFor(Set.of("hiv", "sexual-health")).message()).isSameAs(message);
        }
    }

    @Test
    void aRemovedObrTakesItsMatchingObxAlongAndBothReasonsAreRecorded() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||43304-5^Chlamydia trachomatis rRNA^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "NTE|1||Comment",
                "OBX|2|ST|43304-5^Chlamydia trachomatis rRNA^LN||Not detected");
        Scan scan = FILTER.scan(message);

        Filtered none = scan.removeFor(Set.of());
        Filtered sexualHealthOnly = scan.removeFor(Set.of("sexual-health"));

        assertThat(none.removals()).containsExactly(new Removal("OBR[1]", Set.of("hiv", "sexual-health"), 4));
        assertThat(none.clinicalContentRemoved()).isTrue();
        assertThat(sexualHealthOnly.removals()).containsExactly(new Removal("OBX[1]", Set.of("hiv"), 2));
        assertThat(sexualHealthOnly.message()).isEqualTo(message(MSH, PID,
                "OBR|1|ORD1||43304-5^Chlamydia trachomatis rRNA^LN",
                "OBX|2|ST|43304-5^Chlamydia trachomatis rRNA^LN||Not detected"));
        assertThat(sexualHealthOnly.clinicalContentRemoved()).isFalse();
    }

    @Test
    void clinicalContentRemovedWhenNoObrIsLeft() {
        String oneOrder = message(MSH, PID,
                "ORC|RE|ORD1",
                "OBR|1|ORD1||56888-1^HIV 1+2 Ab+Ag^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected");
        String twoOrders = message(MSH, PID,
                "OBR|1|ORD1||56888-1^HIV 1+2 Ab+Ag^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "OBR|2|ORD2||24331-1^Lipid panel^LN",
                "OBX|1|NM|2093-3^Cholesterol^LN||5.2|mmol/L");

        Filtered alone = FILTER.scan(oneOrder).removeFor(Set.of());
        Filtered besideAnother = FILTER.scan(twoOrders).removeFor(Set.of());

        assertThat(alone.clinicalContentRemoved()).isTrue();
        assertThat(alone.message()).isEqualTo(message(MSH, PID));
        assertThat(besideAnother.clinicalContentRemoved()).isFalse();
        assertThat(besideAnother.message()).contains("OBR|2|").doesNotContain("OBR|1|");
    }

    @Test
    void clinicalContentRemovedWithoutObrWhenEveryDiagnosisAndProblemIsGone() {
        String onlyRestricted = message(
                "MSH|^~\\&|PAS|RQ6|ILINKS|ILINKS|20240301101500||ADT^A08^ADT_A01|MSG00003|P|2.6",
                "EVN|A08|20240301101500",
                PID,
                "PV1|1|O|GUM",
                "DG1|1||B20^HIV disease^I10",
                "DG1|2||15628003^Gonorrhoea^SCT");

        Filtered filtered = FILTER.scan(onlyRestricted).removeFor(Set.of("hiv"));

        assertThat(filtered.removals()).containsExactly(new Removal("DG1[2]", Set.of("sexual-health"), 1));
        assertThat(filtered.clinicalContentRemoved()).isFalse();
        assertThat(FILTER.scan(onlyRestricted).removeFor(Set.of()).clinicalContentRemoved()).isTrue();
    }

    @Test
    void aProblemTakesItsObservationsAndNotes() {
        String message = message(
                "MSH|^~\\&|EPR|RQ6|ILINKS|ILINKS|20240301101500||PPR^PC1^PPR_PC1|MSG00004|P|2.6",
                PID,
                "PRB|AD|20240301|86406008^HIV infection^SCT|PRB1",
                "NTE|1||Under specialist care",
                "OBX|1|NM|25836-8^HIV 1 RNA viral load^LN||40|copies/mL",
                "NTE|1||Undetectable",
                "PRB|AD|20240301|38341003^Hypertension^SCT|PRB2");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.removals()).containsExactly(new Removal("PRB[1]", Set.of("hiv"), 4));
        assertThat(filtered.message()).isEqualTo(message(
                "MSH|^~\\&|EPR|RQ6|ILINKS|ILINKS|20240301101500||PPR^PC1^PPR_PC1|MSG00004|P|2.6",
                PID,
                "PRB|AD|20240301|38341003^Hypertension^SCT|PRB2"));
        assertThat(filtered.clinicalContentRemoved()).isFalse();
    }

    @Test
    void customDelimitersAreHonoured() {
        String msh = "MSH|#~\\&|LAB|RQ6|ILINKS|ILINKS|20240301101500||ORU#R01#ORU_R01|MSG00005|P|2.6";
        String pid = "PID|1||" + NHS_NUMBER + "###NHS#NH||TESTPATIENT#ALPHA||19800101|F";
        String message = message(msh, pid,
                "OBR|1|ORD1||24331-1#Lipid panel#LN",
                "OBX|1|ST|X1#Unrelated#L~56888-1#HIV 1+2 Ab+Ag#LN||Not detected",
                "OBX|2|NM|2093-3#Cholesterol#LN||5.2|mmol/L");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        assertThat(filtered.removals()).containsExactly(new Removal("OBX[1]", Set.of("hiv"), 1));
        assertThat(filtered.message()).isEqualTo(message(msh, pid,
                "OBR|1|ORD1||24331-1#Lipid panel#LN",
                "OBX|2|NM|2093-3#Cholesterol#LN||5.2|mmol/L"));
        assertReparses(filtered.message());
    }

    @Test
    void lineFeedsBetweenSegmentsBecomeCarriageReturnsAndKeptSegmentsAreUnchanged() {
        String kept = "OBX|2|NM|2093-3^Cholesterol^LN||5.2|mmol/L  ";
        String lf = String.join("\n", MSH, PID, "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected", kept);
        String crlf = String.join("\r\n", MSH, PID, "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected", kept) + "\r\n";

        assertThat(FILTER.scan(lf).removeFor(Set.of()).message())
                .isEqualTo(String.join("\r", MSH, PID, "OBR|1|ORD1||24331-1^Lipid panel^LN", kept));
        assertThat(FILTER.scan(crlf).removeFor(Set.of()).message())
                .isEqualTo(message(MSH, PID, "OBR|1|ORD1||24331-1^Lipid panel^LN", kept));
    }

    @Test
    void removalsHoldNoMessageValues() {
        String message = message(MSH, PID,
                "OBR|1|ORD1||24331-1^Lipid panel^LN",
                "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected",
                "NTE|1||Discussed with patient");

        Filtered filtered = FILTER.scan(message).removeFor(Set.of());

        // the result, and then its order, which had no other result
        assertThat(filtered.removals()).hasSize(2);
        assertThat(filtered.removals().toString())
                .doesNotContain(NHS_NUMBER, "TESTPATIENT", "Not detected", "Discussed", "56888-1");
    }

    @Test
    void withoutCodesEveryMessagePassesUnchanged() {
        String message = message(MSH, PID, "OBX|1|ST|56888-1^HIV 1+2 Ab+Ag^LN||Not detected");
        RestrictedDataFilter none = new RestrictedDataFilter(RestrictedCodes.none());

        assertThat(none.scan(message).restricted()).isFalse();
        assertThat(none.scan(message).removeFor(Set.of()).message()).isSameAs(message);
    }

    @Test
    void aMessageWithoutMshIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> FILTER.scan("PID|1||" + NHS_NUMBER + "\r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(NHS_NUMBER);
    }

    private static void assertReparses(String text) {
        assertThatCode(() -> {
            Message parsed = Hl7Context.parser().parse(text);
            assertThat(parsed.encode()).contains(NHS_NUMBER);
        }).doesNotThrowAnyException();
    }
}
