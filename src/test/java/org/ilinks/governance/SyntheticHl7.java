package org.ilinks.governance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Synthetic HL7 v2 messages for the governance tests, about made-up patients (NHS numbers from the 999 range,
 * which is never issued). Every field a governance rule reads can be set: NHS number and how it is labelled,
 * trace status (PID-32), registered practice (PD1-3, XON-3 or XON-10), protection (PD1-12), patient class
 * (PV1-2) and sending facility (MSH-4); anything else is fixed test data the profiles can be checked against.
 */
final class SyntheticHl7 {

    /** Valid (Modulus 11) NHS numbers, one per scenario so that directives for one never touch another. */
    static final String NHS_1 = "9991000003";
    static final String NHS_2 = "9991000011";
    static final String NHS_3 = "9991000038";
    static final String NHS_4 = "9991000046";
    static final String NHS_5 = "9991000054";
    static final String NHS_6 = "9991000062";
    static final String NHS_7 = "9991000070";
    static final String NHS_8 = "9991000089";
    static final String NHS_9 = "9991000097";
    static final String NHS_10 = "9991000100";
    /** Ten digits labelled as an NHS number whose check digit is wrong (9991000003 is the valid one). */
    static final String BAD_CHECK_DIGIT = "9991000004";

    /** Fixed demographics: every value here is something a profile may have to remove, mask or transform. */
    static final String HOSPITAL_NUMBER = "H7788123";
    static final String FAMILY_NAME = "TESTPATIENT";
    static final String DATE_OF_BIRTH = "19800315";
    static final String STREET = "1 TEST STREET";
    static final String POSTCODE = "L9 7AL";
    static final String PHONE = "0151 555 0100";

    /** LOINC HIV 1 viral load: restricted (category hiv) in the tests' restricted-codes.yaml. */
    static final String HIV_LOINC = "25836-8";
    /** LOINC HbA1c: not restricted. */
    static final String HBA1C_LOINC = "4548-4";

    private String type = "ADT^A01^ADT_A01";
    private final String controlId;
    private String facility = "REM";
    private String version = "2.4";
    private String pid3;
    private String traceStatus = "01";
    private String pd1 = "PD1|||ORCHARD PRACTICE^^N81013";
    private String patientClass = "I";
    private final List<String> clinical = new ArrayList<>();

    private SyntheticHl7(String controlId, String nhsNumber) {
        this.controlId = controlId;
        this.pid3 = nhsNumber + "^^^NHS^NH~" + HOSPITAL_NUMBER + "^^^REM^MR";
    }

    /** An admission (ADT^A01) of the patient with this NHS number, verified (PID-32 = 01), practice N81013. */
    static SyntheticHl7 admission(String controlId, String nhsNumber) {
        return new SyntheticHl7(controlId, nhsNumber);
    }

    /** A lab result (ORU^R01) with one order for a local panel and the given observations ({@link #observation}). */
    static SyntheticHl7 result(String controlId, String nhsNumber, String... observations) {
        return resultOfOrder(controlId, nhsNumber, "VIRO^Virology and chemistry^L", observations);
    }

    /** A lab result (ORU^R01) with one order whose OBR-4 is {@code orderCode} ({@code code^text^system}). */
    static SyntheticHl7 resultOfOrder(String controlId, String nhsNumber, String orderCode, String... observations) {
        SyntheticHl7 m = new SyntheticHl7(controlId, nhsNumber);
        m.type = "ORU^R01^ORU_R01";
        m.patientClass = "O";
        m.clinical.add("OBR|1|ORD" + controlId + "|LAB" + controlId + "|" + orderCode + "|||20260227093000");
        m.clinical.addAll(Arrays.asList(observations));
        return m;
    }

    /** An OBX with a numeric LOINC-coded result. */
    static String observation(int setId, String loinc, String value) {
        return "OBX|" + setId + "|NM|" + loinc + "^Test " + loinc + "^LN||" + value + "|unit|||||F|||20260227093000";
    }

    /** An OBX whose coded value (OBX-2 CE) is {@code code} of {@code system}: how GP systems send consent codes. */
    static String codedObservation(int setId, String code, String system) {
        return "OBX|" + setId + "|CE|CONSENT^Data sharing preference^L||" + code + "^Sharing preference^" + system
                + "||||||F|||20260227093000";
    }

    SyntheticHl7 facility(String value) {
        facility = value;
        return this;
    }

    SyntheticHl7 version(String value) {
        version = value;
        return this;
    }

    /** PID-32, the NHS number trace status: 01 verified, 03 not traced, empty for none. */
    SyntheticHl7 traceStatus(String value) {
        traceStatus = value;
        return this;
    }

    /** PD1-3 with the practice code in XON-3 (v2.4 and earlier). */
    SyntheticHl7 practice(String odsCode) {
        pd1 = "PD1|||SOME PRACTICE^^" + odsCode;
        return this;
    }

    /** PD1-3 with the practice code in XON-10 (organisation identifier, v2.5 and later). */
    SyntheticHl7 practiceInXon10(String odsCode) {
        pd1 = "PD1|||SOME PRACTICE^^^^^^^^^" + odsCode;
        return this;
    }

    /** PD1-3 exactly as given, e.g. several repetitions. */
    SyntheticHl7 pd1Field3(String value) {
        pd1 = "PD1|||" + value;
        return this;
    }

    SyntheticHl7 noPd1() {
        pd1 = null;
        return this;
    }

    /** PD1-12 = Y: the record is protected. */
    SyntheticHl7 protectedRecord() {
        pd1 = (pd1 == null ? "PD1|||SOME PRACTICE^^N81013" : pd1) + "|||||||||Y";
        return this;
    }

    SyntheticHl7 patientClass(String value) {
        patientClass = value;
        return this;
    }

    /** Only a hospital number in PID-3: the message carries no NHS number. */
    SyntheticHl7 withoutNhsNumber() {
        pid3 = HOSPITAL_NUMBER + "^^^REM^MR";
        return this;
    }

    /** PID-3 labelled NHS/NH, but the number fails the Modulus 11 check. */
    SyntheticHl7 withInvalidNhsNumber() {
        pid3 = BAD_CHECK_DIGIT + "^^^NHS^NH~" + HOSPITAL_NUMBER + "^^^REM^MR";
        return this;
    }

    String text() {
        List<String> pid = new ArrayList<>(List.of("PID", "1", "", pid3, "", FAMILY_NAME + "^ALEX^^^MX", "",
                DATE_OF_BIRTH, "F", "", "", STREET + "^^LIVERPOOL^^" + POSTCODE + "^GBR^H", "", PHONE + "^PRN^PH"));
        while (pid.size() < 33) {
            pid.add("");
        }
        pid.set(32, traceStatus);
        List<String> segments = new ArrayList<>();
        segments.add("MSH|^~\\&|PAS|" + facility + "|ILINKS|NMERSEY|20260227100000||" + type + "|" + controlId
                + "|P|" + version + "|||AL|NE|GBR|UNICODE UTF-8");
        if (type.startsWith("ADT")) {
            segments.add("EVN|A01|20260227100000");
        }
        segments.add(String.join("|", pid));
        if (pd1 != null) {
            segments.add(pd1);
        }
        segments.add("PV1|1|" + patientClass + "|WARD1^BAY1^BED1^REM|EM|||C1234567^DOCTOR^TEST^^^DR");
        segments.addAll(clinical);
        return String.join("\r", segments) + "\r";
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /** A restricted-codes.yaml with two small categories, for test configurations. */
    static final String RESTRICTED_CODES = """
            categories:
              hiv:
                description: HIV tests and results (test list)
                codes:
                  - { system: LN, code: "25836-8" }
              sexual-health:
                description: sexually transmitted infections (test list)
                codes:
                  - { system: LN, code: "43304-5" }
            """;

    /** Field {@code number} of the first {@code segment} in a message (not MSH), or "" when absent. */
    static String field(String message, String segment, int number) {
        for (String line : message.split("[\r\n]+")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                return fields.length > number ? fields[number] : "";
            }
        }
        return "";
    }

    /** Component {@code component} (1-based) of the first repetition of PID-3 in a delivered message. */
    static String pid3Component(String message, int component) {
        String[] parts = field(message, "PID", 3).split("~", -1)[0].split("\\^", -1);
        return parts.length >= component ? parts[component - 1] : "";
    }

    /** The segment ids of a message, in order. */
    static java.util.List<String> segmentIds(String message) {
        return java.util.Arrays.stream(message.split("[\r\n]+")).filter(l -> l.length() >= 3)
                .map(l -> l.substring(0, 3)).toList();
    }
}
