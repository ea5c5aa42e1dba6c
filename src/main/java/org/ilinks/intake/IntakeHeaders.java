package org.ilinks.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.PatientGroups;

/**
 * The facts an accepted message carries from intake onwards (its id, when and where it came from, its MSH facts,
 * charset and patient group), the same whether it came over MLLP or in a practice's file, so routing cannot tell
 * them apart but by {@link MessageHeaders#RECEIVED_FROM}.
 */
public final class IntakeHeaders {

    private IntakeHeaders() {
    }

    /** The headers, by name, of an accepted {@code inspection}: Strings, and the receipt time as a Long. */
    public static Map<String, Object> of(String messageId, long receivedAt, String from, Inspection inspection) {
        MessageHeader msh = inspection.header();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(MessageHeaders.MESSAGE_ID, messageId);
        headers.put(MessageHeaders.RECEIVED_AT, receivedAt);
        headers.put(MessageHeaders.RECEIVED_FROM, from);
        headers.put(MessageHeaders.SENDING_APPLICATION, msh.sendingApplication());
        headers.put(MessageHeaders.SENDING_FACILITY, msh.sendingFacility());
        headers.put(MessageHeaders.CONTROL_ID, msh.controlId());
        headers.put(MessageHeaders.MESSAGE_TYPE, msh.messageType());
        headers.put(MessageHeaders.TRIGGER_EVENT, msh.triggerEvent());
        headers.put(MessageHeaders.VERSION, msh.version());
        headers.put(MessageHeaders.CHARSET, inspection.charset().name());
        if (inspection.patientKey() != null) {
            headers.put(MessageHeaders.PATIENT_GROUP, PatientGroups.of(inspection.patientKey()));
        }
        return headers;
    }
}
