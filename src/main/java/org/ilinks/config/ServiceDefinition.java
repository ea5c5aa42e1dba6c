package org.ilinks.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ilinks.governance.consent.ServiceConsentModel;

/**
 * One care service that receives messages, as declared by an analyst in {@code config/services/<id>.yaml}.
 *
 * @param id           lower-case letters, digits and dashes; names the service's queues and output folder
 * @param sourceFile   the YAML file it was declared in (for messages and reload)
 * @param subscription which messages it receives
 * @param endpoint     where they are delivered
 * @param delivery     how many in parallel, and how failures are retried
 * @param governance   its consent model and what it may receive about whom
 */
public record ServiceDefinition(String id, String description, Path sourceFile, Subscription subscription,
                                Endpoint endpoint, DeliveryPolicy delivery, Governance governance) {

    /** The persistent queue holding this service's messages until they are delivered. */
    public String queueName() {
        return "ilinks.service." + id;
    }

    /** The dead-letter queue holding this service's parked messages, with the reason for each. */
    public String parkedQueueName() {
        return "ilinks.service." + id + ".parked";
    }

    /**
     * Which messages a service takes. An empty list means "any": any sending facility (MSH-4), any registered
     * practice (PD1-3), any patient class (PV1-2).
     */
    public record Subscription(List<MessageTypePattern> messageTypes, List<String> sendingFacilities,
                               List<String> registeredPractices, List<String> patientClasses,
                               ExtractSubscription extracts) {

        public Subscription {
            messageTypes = List.copyOf(messageTypes);
            sendingFacilities = List.copyOf(sendingFacilities);
            registeredPractices = List.copyOf(registeredPractices);
            patientClasses = List.copyOf(patientClasses);
            extracts = extracts == null ? ExtractSubscription.NONE : extracts;
        }

        /** A subscription to messages only, no practice extracts. */
        public Subscription(List<MessageTypePattern> messageTypes, List<String> sendingFacilities,
                            List<String> registeredPractices, List<String> patientClasses) {
            this(messageTypes, sendingFacilities, registeredPractices, patientClasses, ExtractSubscription.NONE);
        }

        /** A subscription by message type and sending facility only. */
        public Subscription(List<MessageTypePattern> messageTypes, List<String> sendingFacilities) {
            this(messageTypes, sendingFacilities, List.of(), List.of());
        }

        public boolean matches(String messageType, String triggerEvent, String sendingFacility) {
            return whyNot(messageType, triggerEvent, sendingFacility, Set.of(), "") == null;
        }

        /**
         * Null when the message is for this service, otherwise the first rule it fails, in words for the analyst
         * (codes from the message header and the practice code only: no patient data).
         *
         * @param practices     the patient's registered practice codes (PD1-3)
         * @param patientClass  PV1-2, empty when the message has none
         */
        public String whyNot(String messageType, String triggerEvent, String sendingFacility, Set<String> practices,
                             String patientClass) {
            if (messageTypes.stream().noneMatch(p -> p.matches(messageType, triggerEvent))) {
                return "message type " + messageType + "^" + triggerEvent + " is not one it subscribes to";
            }
            if (!sendingFacilities.isEmpty() && sendingFacilities.stream().noneMatch(f -> f.equalsIgnoreCase(sendingFacility))) {
                return "sending facility (MSH-4) " + (sendingFacility.isEmpty() ? "is empty" : sendingFacility
                        + " is not") + " in its sendingFacilities";
            }
            if (!registeredPractices.isEmpty()
                    && registeredPractices.stream().noneMatch(p -> practices.stream().anyMatch(p::equalsIgnoreCase))) {
                return practices.isEmpty() ? "the message names no registered practice (PD1-3), and the service takes"
                        + " only patients of its registeredPractices"
                        : "the patient's registered practice (PD1-3) is not in its registeredPractices";
            }
            if (!patientClasses.isEmpty() && patientClasses.stream().noneMatch(c -> c.equalsIgnoreCase(patientClass))) {
                return "patient class (PV1-2) " + (patientClass.isEmpty() ? "is empty" : patientClass + " is not")
                        + " in its patientClasses";
            }
            return null;
        }
    }

    /**
     * Which rows of practices' delimited extracts a service takes (the {@code extracts} block of {@code subscribe}).
     * Its rows arrive as one file per input file, holding only the columns its profile's {@code extractColumns} lists.
     *
     * @param recordTypes the record type column's values it takes (compared ignoring case); empty: no extracts
     * @param practices   ODS codes of the practices it takes extracts from; empty: any practice
     */
    public record ExtractSubscription(List<String> recordTypes, List<String> practices) {

        public static final ExtractSubscription NONE = new ExtractSubscription(List.of(), List.of());

        public ExtractSubscription {
            recordTypes = List.copyOf(recordTypes);
            practices = List.copyOf(practices);
        }

        public boolean any() {
            return !recordTypes.isEmpty();
        }

        /** Null when a row of this record type from this practice is for the service, else why not, in words. */
        public String whyNot(String practice, String recordType) {
            if (recordTypes.stream().noneMatch(t -> t.equalsIgnoreCase(recordType))) {
                return "record type " + recordType + " is not one it subscribes to";
            }
            if (!practices.isEmpty() && practices.stream().noneMatch(p -> p.equalsIgnoreCase(practice))) {
                return "practice " + practice + " is not in its extracts practices";
            }
            return null;
        }
    }

    /**
     * What a service may receive about whom, as the information governance lead agreed it.
     *
     * @param consentModel         opt-out (share unless the patient dissented) or opt-in (only with recorded consent)
     * @param categories           the categories of service it belongs to, which consent directives can name
     *                             (e.g. {@code direct-care}, {@code secondary-use})
     * @param protectedRecords     true when it may receive records whose PD1-12 protection indicator is Y
     * @param unverifiedNhsNumber  what to do with a patient whose NHS number is missing, invalid or not verified
     * @param restrictedData       categories of legally restricted data it is authorised to receive
     *                             (from {@code config/restricted-codes.yaml}); everything else in them is removed
     */
    public record Governance(ServiceConsentModel consentModel, Set<String> categories, boolean protectedRecords,
                             UnverifiedNhsNumber unverifiedNhsNumber, Set<String> restrictedData) {

        public Governance {
            categories = Set.copyOf(categories);
            restrictedData = Set.copyOf(restrictedData);
        }
    }

    /** What a service does with a patient who has no verified NHS number. */
    public enum UnverifiedNhsNumber {
        /** Deliver as for anyone else (consent cannot be looked up without an NHS number; see the README). */
        SEND("send"),
        /** Keep the message back, on the service's held queue, until support releases it. */
        HOLD("hold");

        private final String word;

        UnverifiedNhsNumber(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** The queue holding this service's messages held back for a patient without a verified NHS number. */
    public String heldQueueName() {
        return "ilinks.service." + id + ".held";
    }

    /** {@code ADT^A01}, {@code ADT^*} or {@code *}: message type (MSH-9.1) and trigger event (MSH-9.2). */
    public record MessageTypePattern(String messageType, String triggerEvent) {

        public static final String ANY = "*";

        public static MessageTypePattern parse(String text) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            if (t.equals(ANY)) {
                return new MessageTypePattern(ANY, ANY);
            }
            String[] parts = t.split("\\^", -1);
            return new MessageTypePattern(parts[0], parts.length > 1 && !parts[1].isEmpty() ? parts[1] : ANY);
        }

        public boolean matches(String type, String trigger) {
            return (messageType.equals(ANY) || messageType.equalsIgnoreCase(type))
                    && (triggerEvent.equals(ANY) || triggerEvent.equalsIgnoreCase(trigger));
        }

        @Override
        public String toString() {
            return messageType.equals(ANY) ? ANY : messageType + "^" + triggerEvent;
        }
    }

    /** Where a service's messages go. */
    public sealed interface Endpoint permits MllpEndpoint, FolderEndpoint, QueueEndpoint {
        /** Kind as written in the config: {@code mllp}, {@code folder} or {@code queue}. */
        String kind();
    }

    /**
     * An MLLP receiver at the service. The remote ACK decides: AA delivered, AE retried, AR parked.
     */
    public record MllpEndpoint(String host, int port, int connectTimeoutMs, int ackTimeoutMs) implements Endpoint {
        @Override
        public String kind() {
            return "mllp";
        }
    }

    /** A folder: one file per message, named by the message id, written under a temporary name then renamed. */
    public record FolderEndpoint(Path path) implements Endpoint {
        @Override
        public String kind() {
            return "folder";
        }
    }

    /** A queue on the engine's broker that the trust consumes. */
    public record QueueEndpoint(String name) implements Endpoint {
        @Override
        public String kind() {
            return "queue";
        }
    }

    /**
     * @param consumers         deliveries in flight at once (different patients only; one patient's are in order)
     * @param maxAttempts       attempts for a message answered AE before it is parked (an unreachable service is retried until it is back)
     * @param initialDelayMs    first retry delay; later delays grow by {@code backoffMultiplier} up to {@code maxDelayMs}
     * @param whenParked        whether a patient's later messages wait behind one of theirs the service rejected
     */
    public record DeliveryPolicy(int consumers, int maxAttempts, long initialDelayMs, double backoffMultiplier,
                                 long maxDelayMs, WhenParked whenParked) {
    }

    /**
     * What happens to a patient's later messages for a service once one of theirs is parked there. Some receiving
     * systems cannot take an update (an A08, a discharge) for an admission they rejected; others would rather have
     * everything else at once.
     */
    public enum WhenParked {
        /** Later messages are delivered as usual; the parked one is replayed out of order. */
        CONTINUE("continue"),
        /** Later messages for that patient are parked too, in order, until the parked one is replayed. */
        HOLD_PATIENT("hold-patient");

        private final String word;

        WhenParked(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static WhenParked fromWord(String word) {
            for (WhenParked w : values()) {
                if (w.word.equals(word)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("whenParked must be continue or hold-patient");
        }
    }
}
