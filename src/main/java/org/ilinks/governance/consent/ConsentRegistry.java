package org.ilinks.governance.consent;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.ilinks.hl7.NhsNumber;

/**
 * The consent registry in the engine's database (tables {@code consent_directive} and {@code consent_import}, made
 * by Flyway migration V2): records and ends directives, lists a patient's directives, and decides whether a
 * patient's data may go to a service. Directives are never deleted, only ended. Every method takes its own
 * connection from the pool and commits before returning.
 */
public final class ConsentRegistry {

    private static final String COLUMNS = "id, nhs_number, scope, scope_value, decision, effective_from, effective_to, "
            + "source_type, source_id, recorded_by, reason, recorded_at, source_message_id, import_id, ended_at, "
            + "ended_by, end_reason, superseded_by";

    private final DataSource dataSource;

    public ConsentRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new directive (its id must be null) and returns it with the id the registry gave it. */
    public ConsentDirective record(ConsentDirective directive) {
        try (Connection c = dataSource.getConnection()) {
            ConsentDirective recorded = insert(c, directive);
            org.ilinks.engine.Database.makeDurable(c); // said to be recorded: it must outlive a crash
            return recorded;
        } catch (SQLException e) {
            throw new ConsentStoreException("record a directive", e);
        }
    }

    /**
     * Ends a directive from {@code endedAt} on: it no longer applies to decisions about moments from then.
     *
     * @param supersededBy the directive that replaces it, or null when it is simply withdrawn
     * @return false when there is no such directive or it was already ended
     */
    public boolean end(long id, String endedBy, String reason, Instant endedAt, Long supersededBy) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE consent_directive SET ended_at = ?, ended_by = ?, "
                     + "end_reason = ?, superseded_by = ? WHERE id = ? AND ended_at IS NULL")) {
            ps.setObject(1, utc(endedAt));
            ps.setString(2, endedBy);
            ps.setString(3, reason);
            setLong(ps, 4, supersededBy);
            ps.setLong(5, id);
            boolean ended = ps.executeUpdate() == 1;
            org.ilinks.engine.Database.makeDurable(c);
            return ended;
        } catch (SQLException e) {
            throw new ConsentStoreException("end a directive", e);
        }
    }

    /**
     * Ends every open directive of this patient with this scope, scope value and choice (a "dissent withdrawn" code
     * in a message ends the dissent it withdraws without knowing its id).
     *
     * @return how many directives were ended
     */
    public int endMatching(String nhsNumber, ConsentScope scope, String scopeValue, ConsentChoice choice,
                           String endedBy, String reason, Instant endedAt) {
        int ended = 0;
        for (ConsentDirective d : directivesFor(nhsNumber)) {
            boolean sameValue = scope == ConsentScope.ALL
                    || (d.scopeValue() != null && d.scopeValue().equalsIgnoreCase(scopeValue));
            if (d.endedAt() == null && d.scope() == scope && sameValue && d.choice() == choice
                    && end(d.id(), endedBy, reason, endedAt, null)) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Applies what consent codes in a message ask for: records the directives they start and ends the ones they end.
     * Applying the same message's changes again (a redelivery after a crash) changes nothing more.
     *
     * @return how many directives were recorded or ended
     */
    public int apply(List<ConsentChange> changes) {
        int applied = 0;
        for (ConsentChange change : changes) {
            ConsentDirective d = change.directive();
            if (change.effect().starts()) {
                boolean already = d.sourceMessageId() != null && directivesFor(d.nhsNumber()).stream().anyMatch(e ->
                        d.sourceMessageId().equals(e.sourceMessageId()) && e.scope() == d.scope()
                                && java.util.Objects.equals(e.scopeValue(), d.scopeValue()) && e.choice() == d.choice());
                if (!already) {
                    record(d);
                    applied++;
                }
            } else {
                Instant from = d.effectiveFrom().atStartOfDay(ConsentDecider.ZONE).toInstant();
                applied += endMatching(d.nhsNumber(), d.scope(), d.scopeValue(), d.choice(), d.recordedBy(), d.reason(),
                        from);
            }
        }
        return applied;
    }

    /** Every directive recorded for this patient, ended ones included, oldest first. */
    public List<ConsentDirective> directivesFor(String nhsNumber) {
        String nhs = checked(nhsNumber);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT " + COLUMNS + " FROM consent_directive WHERE nhs_number = ? ORDER BY id")) {
            ps.setString(1, nhs);
            List<ConsentDirective> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new ConsentStoreException("read a patient's directives", e);
        }
    }

    /**
     * The directives of the patient a queued copy was routed for, read in one query with the routing decision
     * (table {@code routing_decision}): empty when that copy has no recorded decision or no NHS number, so there is
     * nothing to check again.
     */
    public java.util.Optional<QueuedCopy> directivesForQueuedCopy(String messageId, String serviceId) {
        String columns = "d." + COLUMNS.replace(", ", ", d.");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT r.nhs_number AS routed_nhs_number, " + columns
                     + " FROM routing_decision r LEFT JOIN consent_directive d ON d.nhs_number = r.nhs_number"
                     + " WHERE r.message_id = ? AND r.service_id = ? ORDER BY d.id")) {
            ps.setString(1, messageId);
            ps.setString(2, serviceId);
            List<ConsentDirective> found = new ArrayList<>();
            String patient = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    patient = rs.getString("routed_nhs_number");
                    if (patient == null) {
                        return java.util.Optional.empty();
                    }
                    if (rs.getObject("id") != null) {
                        found.add(read(rs));
                    }
                }
            }
            return patient == null ? java.util.Optional.empty() : java.util.Optional.of(new QueuedCopy(patient, found));
        } catch (SQLException e) {
            throw new ConsentStoreException("read the directives for a queued message", e);
        }
    }

    /** The patient a queued copy was routed for, and that patient's directives now. */
    public record QueuedCopy(String nhsNumber, List<ConsentDirective> directives) {
    }

    /** The consent decision for sending this patient's data to this service at this moment; see {@link ConsentDecider}. */
    public ConsentDecision decide(String nhsNumber, ServiceConsentModel model, String serviceId,
                                  Set<String> serviceCategories, Instant at) {
        return ConsentDecider.decide(directivesFor(nhsNumber), model, serviceId, serviceCategories, at);
    }

    static ConsentDirective insert(Connection c, ConsentDirective d) throws SQLException {
        if (d.id() != null) {
            throw new IllegalArgumentException("directive " + d.id() + " is already recorded");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent_directive (nhs_number, scope, scope_value, "
                + "decision, effective_from, effective_to, source_type, source_id, recorded_by, reason, recorded_at, "
                + "source_message_id, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, d.nhsNumber());
            ps.setString(2, d.scope().name());
            ps.setString(3, d.scopeValue());
            ps.setString(4, d.choice().name());
            ps.setDate(5, Date.valueOf(d.effectiveFrom()));
            ps.setDate(6, d.effectiveTo() == null ? null : Date.valueOf(d.effectiveTo()));
            ps.setString(7, d.source().name());
            ps.setString(8, d.sourceId());
            ps.setString(9, d.recordedBy());
            ps.setString(10, d.reason());
            ps.setObject(11, utc(d.recordedAt()));
            ps.setString(12, d.sourceMessageId());
            setLong(ps, 13, d.importId());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated id returned", "ILNK1");
                }
                return d.withId(keys.getLong(1));
            }
        }
    }

    private static ConsentDirective read(ResultSet rs) throws SQLException {
        Date to = rs.getDate("effective_to");
        return new ConsentDirective(
                rs.getLong("id"),
                rs.getString("nhs_number"),
                ConsentScope.valueOf(rs.getString("scope")),
                rs.getString("scope_value"),
                ConsentChoice.valueOf(rs.getString("decision")),
                rs.getDate("effective_from").toLocalDate(),
                to == null ? null : to.toLocalDate(),
                DirectiveSource.valueOf(rs.getString("source_type")),
                rs.getString("source_id"),
                rs.getString("recorded_by"),
                rs.getString("reason"),
                instant(rs, "recorded_at"),
                rs.getString("source_message_id"),
                (Long) rs.getObject("import_id", Long.class),
                instant(rs, "ended_at"),
                rs.getString("ended_by"),
                rs.getString("end_reason"),
                (Long) rs.getObject("superseded_by", Long.class));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String checked(String nhsNumber) {
        if (!NhsNumber.isValid(nhsNumber)) {
            throw new IllegalArgumentException("nhs_number fails the Modulus 11 check");
        }
        return NhsNumber.normalise(nhsNumber);
    }
}
