package org.ilinks.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ilinks.bench.SyntheticMessages;

/**
 * Made-up ADT^A08 messages for numbered made-up patients, each carrying its run, patient and sequence number in
 * MSH-10 ({@code <run>-P<patient>-S<sequence>}), so a test can tell from what a receiver got which message it was,
 * whether it came twice and whether each patient's messages kept their order.
 */
public final class SequencedMessages {

    private SequencedMessages() {
    }

    public static String controlId(String run, int patient, int sequence) {
        return run + "-P" + patient + "-S" + sequence;
    }

    public static byte[] message(String run, int patient, int sequence) {
        String nhs = SyntheticMessages.nhsNumber(patient);
        String msg = "MSH|^~\\&|H4TEST|H4FAC|ILINKS|NMERSEY|20261126120000||ADT^A08^ADT_A01|"
                + controlId(run, patient, sequence) + "|P|2.4|||AL|NE|GBR\r"
                + "EVN|A08|20261126120000\r"
                + "PID|1||" + nhs + "^^^NHS^NH||TEST^PATIENT^P" + patient + "||19700101|U\r"
                + "PV1|1|I|WARD1^BAY1^BED1^H4FAC||||C0000001^DOCTOR^TEST^^^DR|||180\r";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code perPatient} messages for each of {@code patients} patients, interleaved: S1 of every patient, then S2... */
    public static List<byte[]> interleaved(String run, int patients, int perPatient) {
        List<byte[]> all = new ArrayList<>();
        for (int s = 1; s <= perPatient; s++) {
            for (int p = 0; p < patients; p++) {
                all.add(message(run, p, s));
            }
        }
        return all;
    }

    /** MSH-10 of a message (any segment terminator, '|' field separator). */
    public static String controlIdOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String msh = text.split("\r\n|\r|\n", 2)[0];
        String[] fields = msh.split("\\|", -1);
        return fields.length > 9 ? fields[9] : "";
    }

    public static List<String> controlIdsOf(List<byte[]> messages) {
        return messages.stream().map(SequencedMessages::controlIdOf).toList();
    }

    /** The sequence numbers each patient's messages arrived with, in arrival order, keyed by {@code <run>-P<n>}. */
    public static Map<String, List<Integer>> sequencesByPatient(List<String> controlIds) {
        Map<String, List<Integer>> byPatient = new HashMap<>();
        for (String id : controlIds) {
            int s = id.lastIndexOf("-S");
            byPatient.computeIfAbsent(id.substring(0, s), k -> new ArrayList<>()).add(Integer.parseInt(id.substring(s + 2)));
        }
        return byPatient;
    }
}
