package org.ilinks.message;

/**
 * Names of the facts that travel with a message from intake to delivery, as Camel headers and JMS properties.
 * None of them is patient data: the patient appears only as a one-way hash in {@link #PATIENT_GROUP}.
 */
public final class MessageHeaders {

    /** The engine's own id for the message, given at intake; it names delivered files and appears in every log line. */
    public static final String MESSAGE_ID = "ilinksMessageId";
    /** When intake accepted the message, epoch milliseconds. */
    public static final String RECEIVED_AT = "ilinksReceivedAt";
    /** Where the message came from: the MLLP peer address. */
    public static final String RECEIVED_FROM = "ilinksReceivedFrom";
    /**
     * A record from a practice's file: the file's SHA-256 and the record's index in it, so that routing recognises
     * the record when the file is processed again after a crash.
     */
    public static final String RECORD_KEY = "ilinksRecordKey";
    public static final String SENDING_APPLICATION = "hl7SendingApplication";
    public static final String SENDING_FACILITY = "hl7SendingFacility";
    public static final String CONTROL_ID = "hl7ControlId";
    public static final String MESSAGE_TYPE = "hl7MessageType";
    public static final String TRIGGER_EVENT = "hl7TriggerEvent";
    public static final String VERSION = "hl7Version";
    /** Java charset name the message was decoded with (from MSH-18 or the configured default). */
    public static final String CHARSET = "hl7Charset";
    /**
     * JMS message group: a hash of the patient key. The broker hands one group to one consumer at a time, which keeps
     * one patient's messages in order while different patients flow in parallel.
     */
    public static final String PATIENT_GROUP = "JMSXGroupID";
    /** Comma-separated endpoint URIs of the service queues a message is routed to. */
    public static final String RECIPIENTS = "ilinksRecipients";
    /** Why a message was parked, in words a support person can act on. */
    public static final String PARKED_REASON = "ilinksParkedReason";
    public static final String PARKED_AT = "ilinksParkedAt";
    public static final String PARKED_SERVICE = "ilinksParkedService";

    private MessageHeaders() {
    }
}
