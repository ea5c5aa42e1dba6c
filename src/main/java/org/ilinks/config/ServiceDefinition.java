package org.ilinks.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One care service that receives messages, as declared by an analyst in {@code config/services/<id>.yaml}.
 *
 * @param id           lower-case letters, digits and dashes; names the service's queues and output folder
 * @param sourceFile   the YAML file it was declared in (for messages and reload)
 * @param subscription which messages it receives
 * @param endpoint     where they are delivered
 * @param delivery     how many in parallel, and how failures are retried
 */
public record ServiceDefinition(String id, String description, Path sourceFile, Subscription subscription,
                                Endpoint endpoint, DeliveryPolicy delivery) {

    /** The persistent queue holding this service's messages until they are delivered. */
    public String queueName() {
        return "ilinks.service." + id;
    }

    /** The dead-letter queue holding this service's parked messages, with the reason for each. */
    public String parkedQueueName() {
        return "ilinks.service." + id + ".parked";
    }

    /**
     * Which messages a service takes. An empty list of facilities means any sending facility (MSH-4).
     */
    public record Subscription(List<MessageTypePattern> messageTypes, List<String> sendingFacilities) {

        public boolean matches(String messageType, String triggerEvent, String sendingFacility) {
            boolean typeMatches = messageTypes.stream().anyMatch(p -> p.matches(messageType, triggerEvent));
            boolean facilityMatches = sendingFacilities.isEmpty()
                    || sendingFacilities.stream().anyMatch(f -> f.equalsIgnoreCase(sendingFacility));
            return typeMatches && facilityMatches;
        }
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
     */
    public record DeliveryPolicy(int consumers, int maxAttempts, long initialDelayMs, double backoffMultiplier,
                                 long maxDelayMs) {
    }
}
