package org.ilinks.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit events as they travel on the {@code ilinks.audit} queue: a compact binary batch (a format byte, the count,
 * then each event's fields as length-prefixed UTF-8). Every hop writes one and the writer reads them all, so this
 * is on the hot path: JSON cost several per cent of the engine's CPU. Batches an earlier version left on the queue as
 * JSON text are still read ({@link #decodeJson}).
 */
public final class AuditEventCodec {

    private static final int FORMAT = 1;
    private static final int MAX_EVENTS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditEventCodec() {
    }

    public static byte[] encode(List<AuditEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160 * events.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(events.size());
            for (AuditEvent e : events) {
                write(out, e.eventId());
                write(out, e.type().name());
                out.writeInt(e.outcome());
                out.writeLong(e.recordedAt().getEpochSecond());
                out.writeInt(e.recordedAt().getNano());
                write(out, e.actorType());
                write(out, e.actorId());
                write(out, e.actorAddress());
                write(out, e.source());
                write(out, e.nhsNumber());
                write(out, e.messageId());
                write(out, e.serviceId());
                write(out, e.detail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not what {@link #encode} writes (nothing of them is quoted) */
    public static List<AuditEvent> decode(byte[] batch) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("not an audit event batch: unknown format " + format);
            }
            int count = in.readInt();
            if (count < 0 || count > MAX_EVENTS) {
                throw new IllegalArgumentException("not an audit event batch: impossible event count");
            }
            List<AuditEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String id = read(in);
                AuditEventType type = type(read(in));
                int outcome = in.readInt();
                Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
                events.add(new AuditEvent(id, type, outcome, at, read(in), read(in), read(in), read(in), read(in),
                        read(in), read(in), read(in)));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("not an audit event batch: bytes after the last event");
            }
            return events;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("not an audit event batch")) {
                throw iae;
            }
            // Whatever the cause, say only what kind of fault: the bytes may hold a patient's details.
            throw new IllegalArgumentException("not an audit event batch: malformed (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /**
     * Reads a batch in the JSON form versions before the binary one put on the queue, so an upgrade loses nothing.
     *
     * @throws IllegalArgumentException when the text is not such a batch (the text is not quoted)
     */
    public static List<AuditEvent> decodeJson(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it choked on, which may be an event's patient: only where.
            throw new IllegalArgumentException("not an audit event batch: malformed JSON"
                    + (e.getLocation() == null ? "" : " at character " + e.getLocation().getCharOffset()));
        }
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("not an audit event batch: not a JSON array");
        }
        List<AuditEvent> events = new ArrayList<>(array.size());
        for (JsonNode o : array) {
            long micros = o.path("at").asLong();
            events.add(new AuditEvent(o.path("id").asText(), type(o.path("type").asText()),
                    o.path("outcome").asInt(), Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L),
                    o.path("actorType").asText(), o.path("actorId").asText(), text(o, "actorAddress"),
                    o.path("source").asText(), text(o, "nhs"), text(o, "message"), text(o, "service"),
                    text(o, "detail")));
        }
        return events;
    }

    private static AuditEventType type(String name) {
        try {
            return AuditEventType.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not an audit event batch: unknown event type");
        }
    }

    private static void write(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("not an audit event batch: a field runs past the end");
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
