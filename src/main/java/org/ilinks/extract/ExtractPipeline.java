package org.ilinks.extract;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.extract.ExtractClaims.Claim;
import org.ilinks.extract.ExtractClaims.FileState;
import org.ilinks.extract.csv.CsvResult;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.message.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One practice file, from the SFTP consumer to the engine's queues, named {@code extractPipeline} by the practice
 * routes. In this order, so that a crash at any point loses nothing and delivers nothing twice:
 * <ol>
 * <li>claim the file (practice, name, SHA-256) in the database: another engine's claim means leave it alone;</li>
 * <li>split it and check it: a bad file is recorded FAILED and moved to the failed folder with its reason;</li>
 * <li>queue every record in one JMS transaction (malformed ones parked);</li>
 * <li>complete the claim (DONE, or PARTIAL with the parked records);</li>
 * <li>only then move or delete the file on the server.</li>
 * </ol>
 * A crash after 3 and before 4 leaves the claim open: the file is processed again (by this node at once, by another
 * after the claim timeout), its records queued again, and routing's duplicate check recognises each by its record
 * key. A crash after 4 leaves the file on the server: found again, its claim is finished, and only 5 is done.
 */
public final class ExtractPipeline {

    /** Exchange property the practice route sets: the practice's ODS code. */
    public static final String PRACTICE = "ilinksPractice";

    private static final Logger LOG = LoggerFactory.getLogger(ExtractPipeline.class);

    private final Function<String, PracticeSource> practices;
    private final ExtractClaims claims;
    private final Hl7Inspector inspector;
    private final ExtractQueue queue;
    private final AuditTrail audit;

    ExtractPipeline(Function<String, PracticeSource> practices, ExtractClaims claims, Hl7Inspector inspector,
                    ExtractQueue queue, AuditTrail audit) {
        this.practices = practices;
        this.claims = claims;
        this.inspector = inspector;
        this.queue = queue;
        this.audit = audit;
    }

    public void process(Exchange exchange) throws SQLException {
        String ods = exchange.getProperty(PRACTICE, String.class);
        PracticeSource practice = practices.apply(ods);
        if (practice == null) {
            return; // the practice was taken out of the configuration while its route ran
        }
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        byte[] content = exchange.getIn().getBody(byte[].class);
        String sha256 = sha256(content);
        Claim claim = claims.claim(ods, name, content.length, sha256);
        switch (claim.verdict()) {
            case BUSY -> LOG.debug("Practice {}: file {} is being processed by another engine", ods, LogSafe.id(name));
            case FINISHED -> finishOnServer(exchange, practice, name, claim);
            case CLAIMED -> {
                try {
                    take(exchange, practice, name, content, sha256, claim.id());
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("Practice {}: file {} could not be finished ({}); it stays on the server and is taken "
                            + "again at the next poll (records already queued are routed once)", ods,
                            LogSafe.id(name),
                            e instanceof SQLException s ? "SQLState " + s.getSQLState() : e.getClass().getSimpleName());
                }
            }
        }
    }

    private void take(Exchange exchange, PracticeSource practice, String name, byte[] content, String sha256,
                      long claimId) throws SQLException {
        String ods = practice.ods();
        String file = describe(name, content.length, sha256);
        fileEvent(AuditEventType.FILE_RECEIVED, AuditEvent.SUCCESS, ods, name, file + ": taken from the server");
        int total;
        ExtractQueue.Queued queued;
        if (practice.format().isHl7()) {
            Hl7Extract extract = Hl7Extract.read(content, inspector);
            if (extract.bad()) {
                failed(exchange, practice, name, file, claimId, extract.badFileReason());
                return;
            }
            queued = queue.send(ods, name, sha256, extract.records(), exchange.getContext());
            total = extract.records().size();
        } else {
            CsvResult result = queue.sendCsv(ods, name, sha256, content, practice.format().csvMapping());
            if (result.bad()) {
                failed(exchange, practice, name, file, claimId, result.badFileReason());
                return;
            }
            // Rows sent to at least one service; a row no service may have (consent, subscription) is decided, not bad.
            queued = new ExtractQueue.Queued(result.sent(), result.malformed(),
                    result.malformedReasons());
            total = result.records();
        }
        if (queued.parked() == 0) {
            claims.finish(claimId, FileState.DONE, total, queued.queued(), 0, null);
            fileEvent(AuditEventType.FILE_DONE, AuditEvent.SUCCESS, ods, name, file + ": " + total
                    + " record(s) queued");
        } else {
            String reason = queued.parked() + " malformed record(s) parked for replay: "
                    + String.join("; ", queued.parkedReasons());
            claims.finish(claimId, FileState.PARTIAL, total, queued.queued(), queued.parked(), reason);
            fileEvent(AuditEventType.FILE_PARTIAL, AuditEvent.MINOR_FAILURE, ods, name, file + ": "
                    + queued.queued() + " of " + total + " record(s) queued, " + reason);
        }
        LOG.info("Practice {}: file {} ({} bytes): {} record(s) queued, {} parked", ods, LogSafe.id(name),
                content.length, queued.queued(), queued.parked());
        RemoteFolder.done(exchange, practice, name);
    }

    /** A file nothing of which is used: recorded, audited, and moved to the practice's failed folder with why. */
    private void failed(Exchange exchange, PracticeSource practice, String name, String file, long claimId,
                        String reason) throws SQLException {
        claims.finish(claimId, FileState.FAILED, 0, 0, 0, reason);
        fileEvent(AuditEventType.FILE_FAILED, AuditEvent.MINOR_FAILURE, practice.ods(), name, file + ": a bad file, "
                + "nothing from it was delivered: " + reason);
        LOG.warn("Practice {}: file {} is bad, moved to {}: {}", practice.ods(), LogSafe.id(name),
                practice.failedFolder(), reason);
        RemoteFolder.failed(exchange, practice, name, reason);
    }

    /** Processed before, but the move (or delete) on the server did not happen: do only that now. */
    private void finishOnServer(Exchange exchange, PracticeSource practice, String name, Claim claim)
            throws SQLException {
        LOG.info("Practice {}: file {} was processed before ({}); finishing it on the server", practice.ods(),
                LogSafe.id(name), claim.state());
        if (claim.state() == FileState.FAILED) {
            RemoteFolder.failed(exchange, practice, name, claims.reason(claim.id()));
        } else {
            RemoteFolder.done(exchange, practice, name);
        }
    }

    private void fileEvent(AuditEventType type, int outcome, String ods, String name, String detail) {
        audit.emitNow(List.of(audit.engineEvent(type, outcome, "sftp:" + ods + "/" + name, null, null, null,
                "practice " + ods + ", " + detail)));
    }

    private static String describe(String name, long size, String sha256) {
        return "file " + name + ", " + size + " bytes, SHA-256 " + sha256;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
