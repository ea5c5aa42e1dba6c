package org.ilinks.governance;

import java.nio.charset.Charset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ilinks.hl7.Delimiters;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Hl7Text;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.hl7.Splitter;

/**
 * What governance needs to know about a message before deciding anything: its type and sender, the patient's NHS
 * number and how far it can be trusted, the registered practice, the protection indicator and the patient class.
 * The NHS number is found exactly as intake finds it ({@link Hl7Inspector}), so routing, consent and per-patient
 * order all agree on who the patient is.
 *
 * @param nhsNumber           the NHS number when {@link #nhsNumberState()} is VERIFIED or NOT_VERIFIED, else null
 * @param traceStatus         PID-32 (identity reliability code; NHS trace status {@code 01} = verified), or empty
 * @param registeredPractices practice codes in PD1-3 (XON-3 or XON-10 of each repetition)
 * @param protectedRecord     true when PD1-12 (protection indicator) is Y
 * @param patientClass        PV1-2, or empty
 */
public record PatientFacts(MessageHeader header, Charset charset, String nhsNumber, NhsNumberState nhsNumberState,
                           String traceStatus, Set<String> registeredPractices, boolean protectedRecord,
                           String patientClass) {

    /** NHS trace status "number present and verified". */
    public static final String VERIFIED_TRACE_STATUS = "01";

    public PatientFacts {
        registeredPractices = Set.copyOf(registeredPractices);
    }

    /**
     * @param traceStatusRequired when true, a valid NHS number without a PID-32 trace status counts as not verified;
     *                            when false, only a PID-32 other than {@code 01} does
     * @throws IllegalArgumentException when the message is not one intake would accept (it never is, here)
     */
    public static PatientFacts read(byte[] raw, Hl7Inspector inspector, boolean traceStatusRequired) {
        Inspection inspection = inspector.inspect(raw);
        if (!inspection.accepted()) {
            throw new IllegalArgumentException("message fails inspection: " + inspection.rejection().code());
        }
        String text = Hl7Text.decode(raw, inspection.charset());
        List<String> segments = segments(text);
        String msh = segments.stream().filter(s -> s.startsWith("MSH")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("message has no MSH segment"));
        Delimiters d = Delimiters.of(msh);
        List<String> pid = fields(segments, "PID", d);
        List<String> pd1 = fields(segments, "PD1", d);
        List<String> pv1 = fields(segments, "PV1", d);
        String trace = first(field(pid, 32), d);
        NhsNumberState state;
        if (inspection.patientKeyIsNhsNumber()) {
            boolean verified = trace.isEmpty() ? !traceStatusRequired : trace.equals(VERIFIED_TRACE_STATUS);
            state = verified ? NhsNumberState.VERIFIED : NhsNumberState.NOT_VERIFIED;
        } else {
            state = labelledNhsNumber(field(pid, 3), d) ? NhsNumberState.INVALID : NhsNumberState.MISSING;
        }
        Set<String> practices = new LinkedHashSet<>();
        for (String repetition : Splitter.split(field(pd1, 3), d.repetition())) {
            List<String> xon = Splitter.split(repetition, d.component());
            for (int component : new int[] {3, 10}) {
                String code = xon.size() >= component ? d.unescape(cut(xon.get(component - 1), d)).strip() : "";
                if (!code.isEmpty()) {
                    practices.add(code.toUpperCase(Locale.ROOT));
                }
            }
        }
        return new PatientFacts(inspection.header(), inspection.charset(),
                state == NhsNumberState.VERIFIED || state == NhsNumberState.NOT_VERIFIED ? inspection.patientKey() : null,
                state, trace, practices, first(field(pd1, 12), d).equalsIgnoreCase("Y"), first(field(pv1, 2), d));
    }

    /** Why this patient's NHS number cannot be relied on, in words; null when it is verified. No patient data. */
    public String nhsNumberProblem() {
        return switch (nhsNumberState) {
            case VERIFIED -> null;
            case NOT_VERIFIED -> traceStatus.isEmpty()
                    ? "the NHS number has no trace status (PID-32), and a verified one is required"
                    : "the NHS number's trace status (PID-32) is " + traceStatus + ", not " + VERIFIED_TRACE_STATUS
                            + " (verified)";
            case INVALID -> "the NHS number in PID-3 fails the Modulus 11 check";
            case MISSING -> "the message carries no NHS number";
        };
    }

    private static boolean labelledNhsNumber(String pid3, Delimiters d) {
        for (String repetition : Splitter.split(pid3, d.repetition())) {
            List<String> cx = Splitter.split(repetition, d.component());
            String authority = cx.size() > 3 ? cut(cx.get(3), d).strip().toUpperCase(Locale.ROOT) : "";
            String type = cx.size() > 4 ? cut(cx.get(4), d).strip().toUpperCase(Locale.ROOT) : "";
            if (authority.startsWith("NHS") || type.equals("NH") || type.equals("NHSNMBR")) {
                return !cx.get(0).isBlank();
            }
        }
        return false;
    }

    private static List<String> segments(String text) {
        return List.of(text.split("\r\n|\r|\n"));
    }

    private static List<String> fields(List<String> segments, String id, Delimiters d) {
        for (String s : segments) {
            if (s.startsWith(id) && (s.length() == 3 || s.charAt(3) == d.field())) {
                return Splitter.split(s, d.field());
            }
        }
        return List.of();
    }

    private static String field(List<String> fields, int number) {
        return fields.size() > number ? fields.get(number) : "";
    }

    private static String first(String field, Delimiters d) {
        String repetition = Splitter.split(field, d.repetition()).get(0);
        return cut(Splitter.split(repetition, d.component()).get(0), d).strip();
    }

    private static String cut(String component, Delimiters d) {
        int at = component.indexOf(d.subcomponent());
        return at < 0 ? component : component.substring(0, at);
    }
}
