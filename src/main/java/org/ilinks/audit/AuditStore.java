package org.ilinks.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.ilinks.message.MessageIds;

/**
 * The audit trail in the engine's database (table audit_event, see V4__audit.sql): appends events to the hash chain
 * and answers the questions people ask of it. There is deliberately no way to change or remove a record here.
 *
 * <p>{@link #append} locks the one audit_chain row for its transaction, so any number of writers, in this process
 * or others on the same database, extend one chain; after each commit the new head goes to the {@link AuditHeadFile}.
 */
public final class AuditStore {

    /** Which events {@link #forEach} streams; each null component means no restriction. {@code to} is exclusive. */
    public record Filter(Instant from, Instant to, AuditEventType type, String serviceId, String messageId,
                         String nhsNumber) {

        public static Filter all() {
            return new Filter(null, null, null, null, null, null);
        }
    }

    static final String COLUMNS = "seq, event_id, type, outcome, recorded_at, actor_type, actor_id, actor_address, "
            + "source, nhs_number, message_id, service_id, detail, prev_hash, hash";
    private static final int PAGE = 1000;
    /** Events per query of the redelivery check: short IN lists, which PostgreSQL answers from the index. */
    private static final int ID_CHECK_CHUNK = 50;

    private final DataSource dataSource;
    private final AuditHeadFile head;

    public AuditStore(DataSource dataSource, AuditHeadFile head) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.head = Objects.requireNonNull(head, "head");
    }

    /**
     * Appends the events not stored yet (by event id: a redelivered batch adds nothing) to the chain, in one
     * transaction, then writes the new head to the head file.
     *
     * @return how many events were new
     * @throws AuditStoreException when the database fails; then nothing of the batch was stored
     */
    public int append(List<AuditEvent> events) {
        Map<String, AuditEvent> byId = new LinkedHashMap<>();
        for (AuditEvent e : events) {
            AuditEvent stored = StoredForm.of(e);
            byId.putIfAbsent(stored.eventId(), stored);
        }
        if (byId.isEmpty()) {
            return 0;
        }
        ChainHead newHead;
        int added;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                ChainHead current = lockChain(c);
                java.sql.Savepoint beforeInsert = c.setSavepoint();
                try {
                    // Almost every batch is new: insert at once, and look for events already stored only when the
                    // database says one is (a batch redelivered after a crash).
                    newHead = insert(c, current, byId.values());
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                    c.rollback(beforeInsert);
                    byId.keySet().removeAll(alreadyStored(c, byId));
                    newHead = byId.isEmpty() ? current : insert(c, current, byId.values());
                }
                added = byId.size();
                if (added > 0) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                        ps.setLong(1, newHead.seq());
                        ps.setString(2, newHead.hash());
                        ps.executeUpdate();
                    }
                }
                c.commit();
                // Before the caller acknowledges the batch to the broker, which would then never send it again.
                org.ilinks.engine.Database.makeDurable(c);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new AuditStoreException("append " + byId.size() + " audit event(s)", e);
        }
        // Also after a batch that added nothing: if writing the head failed after an earlier commit, the writer
        // sends that batch again, and this puts the head file level with the table.
        head.append(newHead);
        return added;
    }

    /** The head of the chain as the database records it (audit_chain): sequence 0 when the trail is empty. */
    public ChainHead chainHead() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new ChainHead(rs.getLong(1), rs.getString(2)) : new ChainHead(0, ChainHash.GENESIS);
        } catch (SQLException e) {
            throw new AuditStoreException("read the head of the audit chain", e);
        }
    }

    /** Every event about one message, in the order they were recorded. */
    public List<AuditEvent> trail(String messageId) {
        List<AuditEvent> events = new ArrayList<>();
        forEach(new Filter(null, null, null, null, Objects.requireNonNull(messageId, "messageId"), null),
                s -> events.add(s.event()));
        return events;
    }

    /**
     * Every event about one patient recorded in [from, to), in order.
     *
     * @param from first instant included, or null for the beginning
     * @param to   first instant not included, or null for now
     */
    public List<AuditEvent> patient(String nhsNumber, Instant from, Instant to) {
        List<AuditEvent> events = new ArrayList<>();
        forEach(new Filter(from, to, null, null, null, Objects.requireNonNull(nhsNumber, "nhsNumber")),
                s -> events.add(s.event()));
        return events;
    }

    /**
     * Streams the events that pass the filter to {@code each}, in sequence order, a page at a time: the table is
     * never read whole, and no transaction stays open while {@code each} runs for long.
     */
    public void forEach(Filter filter, Consumer<StoredEvent> each) {
        StringBuilder where = new StringBuilder("seq > ?");
        List<Object> values = new ArrayList<>();
        condition(where, values, "recorded_at >= ?", filter.from() == null ? null : utc(filter.from()));
        condition(where, values, "recorded_at < ?", filter.to() == null ? null : utc(filter.to()));
        condition(where, values, "type = ?", filter.type() == null ? null : filter.type().name());
        condition(where, values, "service_id = ?", filter.serviceId());
        if (filter.messageId() != null) {
            // Rows written before the time-ordered key carry the hashed one; either finds them (the text decides).
            where.append(" AND message_key IN (?, ?)");
            values.add(messageKey(filter.messageId()));
            values.add(key(filter.messageId()));
        }
        condition(where, values, "message_id = ?", filter.messageId());
        if (filter.nhsNumber() != null) {
            // The patient's events are those naming the patient of every message one of its events is keyed to
            // the patient by (see insert), and of none.
            where.append(" AND nhs_number = ? AND (patient_key = ? OR message_key IN "
                    + "(SELECT message_key FROM audit_event WHERE patient_key = ?))");
            values.add(filter.nhsNumber());
            values.add(key(filter.nhsNumber()));
            values.add(key(filter.nhsNumber()));
        }
        String sql = "SELECT " + COLUMNS + " FROM audit_event WHERE " + where + " ORDER BY seq FETCH FIRST " + PAGE
                + " ROWS ONLY";
        long after = 0;
        while (true) {
            List<StoredEvent> page = new ArrayList<>(PAGE);
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement(sql)) {
                planEachTime(ps);
                ps.setLong(1, after);
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 2, values.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(read(rs));
                    }
                }
            } catch (SQLException e) {
                throw new AuditStoreException("read the audit trail", e);
            }
            page.forEach(each);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /**
     * The 64-bit look-up key of an NHS number (and of a message id in rows written before {@link #messageKey}): the
     * first 8 bytes of its SHA-256, or null.
     */
    static Long key(String text) {
        if (text == null) {
            return null;
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The look-up key of a message id. Our ids begin with their time (see MessageIds), so a key made of the time and
     * the low bits of the id's counter rises with the trail, and each new row lands at the end of the index, in pages
     * already in memory; a hashed key would land anywhere. Ids not of our making are hashed.
     */
    static Long messageKey(String id) {
        if (id == null) {
            return null;
        }
        long millis = MessageIds.millisOf(id);
        if (millis < 0) {
            return key(id);
        }
        return (millis << 20) | (MessageIds.counterOf(id) & 0xFFFFF);
    }

    /**
     * The message_key column of a row: the key of its message, or of its own event id when it is about no message,
     * so that the unique index on (message_key, event_id) recognises every event sent again (V7).
     */
    static long lookupKey(AuditEvent e) {
        return messageKey(e.messageId() != null ? e.messageId() : e.eventId());
    }

    private static void condition(StringBuilder where, List<Object> values, String clause, Object value) {
        if (value != null) {
            where.append(" AND ").append(clause);
            values.add(value);
        }
    }

    /**
     * Has PostgreSQL plan this statement for each execution. Its driver otherwise switches a statement run often on
     * one connection to a plan made once, when the audit table was small and scanning it was cheapest, and keeps
     * it as the table grows until the next ANALYZE: each check then reads the whole trail (measured: 0.6 s per
     * batch of 500 at 30,000 records, growing).
     */
    static void planEachTime(PreparedStatement ps) throws SQLException {
        if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        }
    }

    private static ChainHead lockChain(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("table audit_chain has no row: the V4 migration did not run");
            }
            return new ChainHead(rs.getLong(1), rs.getString(2));
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState()) || (s.getSQLState() != null && s.getSQLState().startsWith("23"))) {
                return true;
            }
            if (s.getCause() instanceof SQLException cause && cause != s && "23505".equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> alreadyStored(Connection c, Map<String, AuditEvent> byId) throws SQLException {
        Set<String> stored = new HashSet<>();
        List<AuditEvent> all = new ArrayList<>(byId.values());
        for (int from = 0; from < all.size(); from += ID_CHECK_CHUNK) {
            List<AuditEvent> chunk = all.subList(from, Math.min(all.size(), from + ID_CHECK_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            // By the unique index's two columns: the keys find the few candidate rows, the ids decide.
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM audit_event WHERE message_key IN ("
                    + marks + ") AND event_id IN (" + marks + ")")) {
                planEachTime(ps);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, lookupKey(chunk.get(i)));
                    ps.setString(chunk.size() + i + 1, chunk.get(i).eventId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
        }
        return stored;
    }

    private static ChainHead insert(Connection c, ChainHead current, Iterable<AuditEvent> events) throws SQLException {
        long seq = current.seq();
        String previous = current.hash();
        // Only the first event of each message and patient in a batch carries the patient's key: the others are
        // found through their message's (see forEach). A patient key is a hash, so each one lands anywhere in its
        // index, and the pages it touches must be written out again: keying every event cost more than the rest of
        // the row. Each event still names its patient (nhs_number), and that is what the chain covers.
        Set<String> keyed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (" + COLUMNS + ", action, "
                + "message_key, patient_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditEvent e : events) {
                seq++;
                String hash = ChainHash.of(previous, e);
                ps.setLong(1, seq);
                ps.setString(2, e.eventId());
                ps.setString(3, e.type().name());
                ps.setInt(4, e.outcome());
                ps.setObject(5, utc(e.recordedAt()));
                ps.setString(6, e.actorType());
                ps.setString(7, e.actorId());
                ps.setString(8, e.actorAddress());
                ps.setString(9, e.source());
                ps.setString(10, e.nhsNumber());
                ps.setString(11, e.messageId());
                ps.setString(12, e.serviceId());
                ps.setString(13, e.detail());
                ps.setString(14, previous);
                ps.setString(15, hash);
                ps.setString(16, e.action());
                ps.setLong(17, lookupKey(e));
                boolean keyThePatient = e.nhsNumber() != null && keyed.add(lookupKey(e) + "/" + e.nhsNumber());
                ps.setObject(18, keyThePatient ? key(e.nhsNumber()) : null, java.sql.Types.BIGINT);
                ps.addBatch();
                previous = hash;
            }
            ps.executeBatch();
        }
        return new ChainHead(seq, previous);
    }

    static StoredEvent read(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(rs.getString("event_id"), AuditEventType.valueOf(rs.getString("type")),
                rs.getInt("outcome"), rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("actor_address"),
                rs.getString("source"), rs.getString("nhs_number"), rs.getString("message_id"),
                rs.getString("service_id"), rs.getString("detail"));
        return new StoredEvent(rs.getLong("seq"), event, rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
