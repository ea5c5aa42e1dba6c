package org.ilinks.replay;

import jakarta.jms.BytesMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.ilinks.audit.AuditEvent;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditTrail;
import org.ilinks.audit.PersonActions;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.delivery.PatientHolds;
import org.ilinks.governance.DecisionStore;
import org.ilinks.governance.GovernanceStep;
import org.ilinks.governance.Governor;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.PatientFacts;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.history.DeliveryStatus;
import org.ilinks.history.HistoryRecorder;
import org.ilinks.history.MessageHistory;
import org.ilinks.history.MessageRecord;
import org.ilinks.history.MessageSummary;
import org.ilinks.history.ServiceState;
import org.ilinks.message.MessageHeaders;
import org.ilinks.message.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays one message: runs governance again on the stored original (or a support user's edit of it) with today's
 * consent, protection rules and profiles, and for each target service acts on what it decides, exactly as routing
 * would: the minimised copy queued again, or withheld, or held. What a service's copy already did limits it: a copy
 * still queued or being retried is left alone (a replay would deliver it twice), and one already delivered is sent
 * again only with force.
 *
 * <p>Each service's replay is one JMS transaction (the old parked or held copy taken off its queue, the new copy
 * queued, the audit events) inside one database transaction (its decision and status), committed JMS first: a
 * delivery of the new copy, which writes its status, waits for this one's row, so the history never goes back.
 */
public final class MessageReplayer {

    /** Who asked, why, in which job, and whether delivered copies may be sent again. */
    public record Job(String jobId, String user, String address, String reason, boolean force) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MessageReplayer.class);

    private final MessageHistory history;
    private final MessageEdits edits;
    private final Supplier<Governor> governor;
    private final ConsentRegistry registry;
    private final AuditTrail audit;
    private final JmsTemplate jms;
    private final TransactionTemplate jmsTransaction;
    private final DataSource dataSource;
    private final Clock clock;
    private final String source;
    private final PatientHolds holds;
    private final Function<String, Optional<org.ilinks.extract.csv.CsvMapping>> extractMappings;

    public MessageReplayer(MessageHistory history, MessageEdits edits, Supplier<Governor> governor,
                           ConsentRegistry registry, AuditTrail audit, JmsTemplate jms,
                           TransactionTemplate jmsTransaction, DataSource dataSource, PatientHolds holds,
                           Function<String, Optional<org.ilinks.extract.csv.CsvMapping>> extractMappings,
                           Clock clock) {
        this.holds = holds;
        this.extractMappings = extractMappings;
        this.history = history;
        this.edits = edits;
        this.governor = governor;
        this.registry = registry;
        this.audit = audit;
        this.jms = jms;
        this.jmsTransaction = jmsTransaction;
        this.dataSource = dataSource;
        this.clock = clock;
        this.source = PersonActions.ADMIN_API + "@" + audit.node();
        jms.setReceiveTimeout(JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT);
    }

    /**
     * @param serviceId the one service to replay to, or null for every service that subscribes today (and any whose
     *                  copy is unresolved)
     * @param editId    the edit to replay instead of the original, or null
     */
    public List<ReplayResult> replay(Job job, String messageId, String serviceId, Long editId) {
        Optional<MessageSummary> found = history.show(messageId);
        if (found.isEmpty()) {
            return List.of(refuse(job, messageId, serviceId, null, "not in the message history"));
        }
        MessageSummary message = found.get();
        Governor g = governor.get();
        List<ServiceDefinition> targets = g.config().services().stream()
                .filter(s -> serviceId == null || s.id().equals(serviceId)).toList();
        if (targets.isEmpty()) {
            return List.of(refuse(job, messageId, serviceId, null, "service " + serviceId
                    + " is not in the configuration in force"));
        }
        Optional<byte[]> content = editId != null ? edits.content(editId) : history.revealPatientContent(messageId);
        if (content.isEmpty()) {
            return List.of(refuse(job, messageId, serviceId, null, "its content is no longer kept (retention)"));
        }
        byte[] raw = content.get();
        if (HistoryRecorder.EXTRACT_ROW.equals(message.messageType())) {
            return List.of(replayExtractRow(job, message, raw, editId));
        }
        Map<String, ServiceState> states = message.services().stream()
                .collect(Collectors.toMap(ServiceState::serviceId, Function.identity()));
        PatientFacts facts;
        List<ServiceOutcome> outcomes;
        Set<String> released = new HashSet<>();
        states.forEach((id, st) -> {
            if (st.status() == DeliveryStatus.HELD) {
                released.add(id); // replaying a held copy is support releasing it
            }
        });
        try {
            facts = g.facts(raw);
            List<ConsentDirective> directives = facts.nhsNumber() == null ? List.of()
                    : registry.directivesFor(facts.nhsNumber());
            outcomes = g.decide(raw, facts, directives, clock.instant(), released);
        } catch (RuntimeException e) {
            return List.of(failed(job, messageId, serviceId, null, "governance could not be applied: "
                    + e.getClass().getSimpleName()));
        }
        String group = g.patientGroup(raw);
        List<ReplayResult> results = new ArrayList<>();
        for (ServiceDefinition service : targets) {
            ServiceOutcome o = outcomes.stream().filter(x -> x.service().id().equals(service.id())).findFirst()
                    .orElseThrow();
            ServiceState st = states.get(service.id());
            if (o.outcome() == Outcome.NOT_SUBSCRIBED) {
                if (serviceId != null || (st != null && DeliveryStatus.UNRESOLVED.contains(st.status()))) {
                    results.add(refuse(job, messageId, service.id(), facts.nhsNumber(), "service " + service.id()
                            + " does not subscribe to it now: " + o.reason()));
                }
                continue;
            }
            String refusal = refusal(service.id(), st, job.force());
            if (refusal != null) {
                results.add(refuse(job, messageId, service.id(), facts.nhsNumber(), refusal));
                continue;
            }
            ReplayResult done = act(job, message, raw, facts, group, service, o, st, editId);
            results.add(done);
            if (st != null && st.status() == DeliveryStatus.PARKED && done.outcome() != ReplayOutcome.REFUSED
                    && done.outcome() != ReplayOutcome.FAILED) {
                results.addAll(releaseFollowers(job, messageId, service.id()));
            }
        }
        if (message.routing() == MessageRecord.Routing.PARKED
                && results.stream().anyMatch(r -> r.outcome() != ReplayOutcome.FAILED)) {
            routedAfterAll(job, messageId);
        }
        if (results.isEmpty()) {
            results.add(refuse(job, messageId, null, facts.nhsNumber(), "no service subscribes to it now"));
        }
        return results;
    }

    /**
     * A row of a delimited extract parked because it could not be read: the practice's mapping and today's rules
     * again, as a one-row extract (the stored header and row, or a person's correction of them). A row that still
     * cannot be read changes nothing; one that can is sent to the services that take it, and is no longer parked.
     */
    private ReplayResult replayExtractRow(Job job, MessageSummary message, byte[] headerAndRow, Long editId) {
        String messageId = message.messageId();
        String ods = message.sendingFacility();
        if (message.routing() != MessageRecord.Routing.PARKED) {
            return refuse(job, messageId, null, null, "the row is no longer parked (replayed already)");
        }
        Optional<org.ilinks.extract.csv.CsvMapping> mapping = extractMappings.apply(ods);
        if (mapping.isEmpty()) {
            return refuse(job, messageId, null, null, "practice " + ods + " has no delimited extract source in "
                    + "the configuration in force");
        }
        // "<file>#<line>" as parked: the one-row extract is named after both, so its files stand beside the file's.
        String control = message.controlId();
        int hash = control.lastIndexOf('#');
        String file = hash < 0 ? control : control.substring(0, hash);
        int dot = file.lastIndexOf('.');
        String name = (dot > 0 ? file.substring(0, dot) : file) + "-line" + (hash < 0 ? "" : control.substring(hash + 1))
                + "-replay" + (dot > 0 ? file.substring(dot) : "");
        org.ilinks.extract.csv.ExtractContext ctx = new org.ilinks.extract.csv.ExtractContext(jms, audit, registry,
                () -> governor.get().config(), clock, new org.ilinks.extract.csv.ExtractContext.ExtractFile(ods,
                name, headerAndRow.length, sha256(headerAndRow)));
        org.ilinks.extract.csv.CsvResult[] result = new org.ilinks.extract.csv.CsvResult[1];
        try {
            jmsTransaction.executeWithoutResult(tx -> {
                result[0] = org.ilinks.extract.csv.CsvExtracts.process(ods, name, headerAndRow, mapping.get(), ctx);
                if (result[0].bad() || result[0].malformed() > 0) {
                    tx.setRollbackOnly(); // still unreadable: nothing sent, and it stays parked as it was
                    return;
                }
                jms.receiveSelected(GovernanceStep.INTAKE_PARKED_QUEUE,
                        MessageHeaders.MESSAGE_ID + " = '" + messageId + "'");
                audit.sendInTransaction(List.of(person(job, AuditEvent.SUCCESS, null, messageId, null,
                        "extract row " + message.controlId() + " of practice " + ods
                                + (editId == null ? "" : " (the edited row, edit " + editId + ")") + ": "
                                + (result[0].sent() > 0 ? "sent to the services that take it"
                                : "read, but no service may have it"))));
            });
        } catch (RuntimeException e) {
            return failed(job, messageId, null, null, "the replay could not be completed ("
                    + e.getClass().getSimpleName() + "); nothing changed");
        }
        org.ilinks.extract.csv.CsvResult r = result[0];
        if (r.bad() || r.malformed() > 0) {
            return failed(job, messageId, null, null, "the row still cannot be read: "
                    + (r.bad() ? r.badFileReason() : String.join("; ", r.malformedReasons()))
                    + "; correct it (edit and replay) or ask the practice for a corrected file");
        }
        routedAfterAll(job, messageId);
        return new ReplayResult(messageId, null, r.sent() > 0 ? ReplayOutcome.QUEUED : ReplayOutcome.WITHHELD,
                r.sent() > 0 ? "the row was read and sent to the services that take it (one-row files queued)"
                        : "the row was read, but no service may have it (subscription, NHS number or consent)");
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The copy was parked and is resolved now: the patient's hold at this service (when it has
     * {@code whenParked: hold-patient}) is lifted, and the messages parked behind it are replayed after it, in the
     * order they arrived.
     */
    private List<ReplayResult> releaseFollowers(Job job, String messageId, String serviceId) {
        holds.released(serviceId, messageId);
        List<ReplayResult> results = new ArrayList<>();
        for (String follower : history.waitingBehind(serviceId, messageId)) {
            results.addAll(replay(job, follower, serviceId, null));
        }
        return results;
    }

    /** Why this service's copy must not be replayed as it stands, or null. */
    private static String refusal(String serviceId, ServiceState st, boolean force) {
        if (st == null) {
            return null;
        }
        return switch (st.status()) {
            case QUEUED, FAILED, REPLAYED -> "still on service " + serviceId + "'s queue (" + st.status().words()
                    + "): it will be delivered or parked without a replay, and a replay would send it twice";
            case DELIVERED -> force ? null : "already delivered to service " + serviceId
                    + (st.deliveredAt() == null ? "" : " at " + st.deliveredAt())
                    + "; sending it again needs force";
            case UNTRACKED -> force ? null : "routed to service " + serviceId + " before message history was kept, "
                    + "so it may have been delivered; sending it again needs force";
            case WITHHELD, HELD, PARKED -> null;
        };
    }

    private ReplayResult act(Job job, MessageSummary message, byte[] raw, PatientFacts facts, String group,
                             ServiceDefinition service, ServiceOutcome o, ServiceState st, Long editId) {
        String messageId = message.messageId();
        String nhs = facts.nhsNumber();
        boolean wasDelivered = st != null && (st.status() == DeliveryStatus.DELIVERED
                || st.status() == DeliveryStatus.UNTRACKED);
        String oldQueue = st == null ? null : switch (st.status()) {
            case PARKED -> service.parkedQueueName();
            case HELD -> service.heldQueueName();
            default -> null;
        };
        ReplayOutcome outcome;
        DeliveryStatus status;
        String detail;
        List<AuditEvent> events = new ArrayList<>();
        events.add(audit.engineEvent(AuditEventType.CONSENT_DECISION, AuditEvent.SUCCESS, null, nhs, messageId,
                service.id(), o.reasonCode() + ": " + o.reason() + " (on replay)"));
        switch (o.outcome()) {
            case SEND -> {
                outcome = ReplayOutcome.QUEUED;
                status = DeliveryStatus.REPLAYED;
                detail = "queued again for service " + service.id() + " (" + o.changes().size()
                        + " change(s) by today's profile and restrictions)";
                events.add(audit.engineEvent(AuditEventType.MINIMISED, AuditEvent.SUCCESS, null, nhs, messageId,
                        service.id(), "profile " + service.id() + " (" + governor.get().profileVersion(service)
                                + "): " + o.changes().size() + " change(s), on replay"));
            }
            case WITHHELD -> {
                outcome = ReplayOutcome.WITHHELD;
                status = DeliveryStatus.WITHHELD;
                detail = "withheld today: " + o.reasonCode() + ": " + o.reason();
                events.add(audit.engineEvent(AuditEventType.WITHHELD, AuditEvent.SUCCESS, null, nhs, messageId,
                        service.id(), "withheld on replay: " + o.reasonCode() + ": " + o.reason()));
            }
            case HELD -> {
                outcome = ReplayOutcome.HELD;
                status = DeliveryStatus.HELD;
                detail = "held again: " + o.reasonCode() + ": " + o.reason();
                events.add(audit.engineEvent(AuditEventType.HELD, AuditEvent.MINOR_FAILURE, null, nhs, messageId,
                        service.id(), "held on replay: " + o.reasonCode() + ": " + o.reason()));
            }
            default -> throw new IllegalStateException("not a decision to act on: " + o.outcome());
        }
        if (wasDelivered && outcome != ReplayOutcome.QUEUED) {
            // Delivered then, stopped now: nothing to send and nothing to undo; the history keeps "delivered".
            return record(job, messageId, service.id(), nhs, outcome, detail + " (it had been delivered; nothing sent)",
                    events);
        }
        String what = detail + (editId == null ? "" : " (the edited message, edit " + editId + ")")
                + (wasDelivered ? " (it had been delivered: sent again with force)" : "");
        events.add(person(job, outcome == ReplayOutcome.QUEUED ? AuditEvent.SUCCESS : AuditEvent.MINOR_FAILURE, nhs,
                messageId, service.id(), what));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!DecisionStore.recordReplay(c, messageId, nhs, o, status, clock.instant(),
                        st == null ? null : st.status())) {
                    c.rollback();
                    return refuse(job, messageId, service.id(), nhs, "its copy for service " + service.id()
                            + " changed while it was being replayed (another replay, or a delivery): look again");
                }
                jmsTransaction.executeWithoutResult(tx -> {
                    if (oldQueue != null) {
                        jms.receiveSelected(oldQueue, MessageHeaders.MESSAGE_ID + " = '" + messageId + "'");
                    }
                    if (outcome == ReplayOutcome.QUEUED) {
                        send(service.queueName(), o.message().bytes(), message, facts, group, null);
                    } else if (outcome == ReplayOutcome.HELD) {
                        send(service.heldQueueName(), raw, message, facts, group, o.reason());
                    }
                    audit.sendInTransaction(events);
                });
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Replay {}: message {} to service {} failed: {}", job.jobId(), messageId, service.id(),
                    e instanceof SQLException s ? "SQLState " + s.getSQLState() : e.getClass().getSimpleName());
            return failed(job, messageId, service.id(), nhs, "the replay could not be completed ("
                    + e.getClass().getSimpleName() + "); nothing changed");
        }
        LOG.info("Replay {}: message {} to service {}: {}", job.jobId(), messageId, service.id(), outcome);
        return new ReplayResult(messageId, service.id(), outcome, what);
    }

    /** A copy with the headers intake gave the original, so delivery treats it like any other. */
    private void send(String queue, byte[] body, MessageSummary m, PatientFacts facts, String group,
                      String heldReason) {
        jms.send(queue, session -> {
            BytesMessage out = session.createBytesMessage();
            out.writeBytes(body);
            out.setStringProperty(MessageHeaders.MESSAGE_ID, m.messageId());
            out.setLongProperty(MessageHeaders.RECEIVED_AT, m.receivedAt().toEpochMilli());
            out.setStringProperty(MessageHeaders.SENDING_APPLICATION, m.sendingApplication());
            out.setStringProperty(MessageHeaders.SENDING_FACILITY, m.sendingFacility());
            out.setStringProperty(MessageHeaders.CONTROL_ID, m.controlId());
            out.setStringProperty(MessageHeaders.MESSAGE_TYPE, facts.header().messageType());
            out.setStringProperty(MessageHeaders.TRIGGER_EVENT, facts.header().triggerEvent());
            out.setStringProperty(MessageHeaders.VERSION, m.version());
            out.setStringProperty(MessageHeaders.CHARSET, facts.charset().name());
            if (group != null) {
                out.setStringProperty(MessageHeaders.PATIENT_GROUP, group);
            }
            if (heldReason != null) {
                out.setStringProperty(GovernanceStep.HELD_REASON, heldReason);
            }
            return out;
        });
    }

    /** A message parked at routing that governance could now be applied to: routed, off the intake's parked queue. */
    private void routedAfterAll(Job job, String messageId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE message_record SET routing = 'ROUTED', "
                     + "routing_reason = ? WHERE message_id = ? AND routing = 'PARKED'")) {
            ps.setString(1, "replayed by " + job.user() + " (replay " + job.jobId() + ")");
            ps.setString(2, messageId);
            ps.executeUpdate();
            jmsTransaction.executeWithoutResult(tx -> jms.receiveSelected(GovernanceStep.INTAKE_PARKED_QUEUE,
                    MessageHeaders.MESSAGE_ID + " = '" + messageId + "'"));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Replay {}: message {} was replayed but its routing record could not be updated: {}",
                    job.jobId(), messageId, e.getClass().getSimpleName());
        }
    }

    private ReplayResult refuse(Job job, String messageId, String serviceId, String nhs, String why) {
        return record(job, messageId, serviceId, nhs, ReplayOutcome.REFUSED, why,
                List.of(person(job, AuditEvent.MINOR_FAILURE, nhs, messageId, serviceId, "refused: " + why)));
    }

    private ReplayResult failed(Job job, String messageId, String serviceId, String nhs, String why) {
        return record(job, messageId, serviceId, nhs, ReplayOutcome.FAILED, why,
                List.of(person(job, AuditEvent.SERIOUS_FAILURE, nhs, messageId, serviceId, "failed: " + why)));
    }

    /** An outcome that changed nothing on the queues: its events go straight into the audit table. */
    private ReplayResult record(Job job, String messageId, String serviceId, String nhs, ReplayOutcome outcome,
                                String detail, List<AuditEvent> events) {
        List<AuditEvent> all = new ArrayList<>(events);
        if (all.stream().noneMatch(e -> e.type() == AuditEventType.REPLAYED)) {
            all.add(person(job, AuditEvent.MINOR_FAILURE, nhs, messageId, serviceId, detail));
        }
        try {
            audit.emitNow(all);
        } catch (RuntimeException e) {
            LOG.error("Replay {}: the outcome for message {} could not be recorded in the audit trail ({})",
                    job.jobId(), messageId, e.getClass().getSimpleName());
        }
        return new ReplayResult(messageId, serviceId, outcome, detail);
    }

    /** The replay as the person's action: who, from where, why, in which job, and what happened. */
    private AuditEvent person(Job job, int outcome, String nhs, String messageId, String serviceId, String what) {
        return new AuditEvent(MessageIds.next(), AuditEventType.REPLAYED, outcome, clock.instant(), AuditEvent.PERSON,
                job.user(), job.address(), source, nhs, messageId, serviceId,
                "replay " + job.jobId() + ": " + what + "; reason: " + job.reason());
    }
}
