package org.ilinks.replay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.ilinks.governance.Governor;
import org.ilinks.history.DeliveryStatus;
import org.ilinks.history.HistoryFilter;
import org.ilinks.history.MessageHistory;
import org.ilinks.history.MessageSummary;
import org.ilinks.history.ServiceState;
import org.ilinks.message.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay jobs: a support user's request (message ids, or a filter over the message history) becomes a job whose
 * messages are replayed one by one, oldest first (so each patient's messages keep their order), at a steady pace so
 * that a bulk replay does not swamp a service that has just come back. A job can be stopped and resumed; one left
 * running when the engine stopped waits, stopped, for a person to resume it.
 */
public final class Replays implements AutoCloseable {

    /** What a person asked to replay. Exactly one of {@code messageIds} and {@code filter} is given. */
    public record Request(List<String> messageIds, HistoryFilter filter, String serviceId, String reason,
                          boolean force, Integer ratePerSecond, String user, String address) {
    }

    /** A request the engine will not run, with why in words for the person (no patient data). */
    public static final class Refused extends RuntimeException {
        /** The request is wrong in itself; names something that does not exist; or does not fit the state of things. */
        public enum Kind { INVALID, NOT_FOUND, CONFLICT }

        private final Kind kind;

        Refused(String message, Kind kind) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    public static final int MAX_RATE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
    private static final String ID = "[0-9A-Z]{26}";

    private final ReplayJobStore store;
    private final MessageReplayer replayer;
    private final MessageHistory history;
    private final MessageEdits edits;
    private final Supplier<Governor> governor;
    private final int defaultRate;
    private final int maxMessages;
    private final ExecutorService runners;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();

    public Replays(DataSource dataSource, MessageReplayer replayer, MessageHistory history, MessageEdits edits,
                   Supplier<Governor> governor, Clock clock, int defaultRate, int maxMessages) {
        this.store = new ReplayJobStore(dataSource, clock);
        this.replayer = replayer;
        this.history = history;
        this.edits = edits;
        this.governor = governor;
        this.defaultRate = defaultRate;
        this.maxMessages = maxMessages;
        this.runners = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ilinks-replay");
            t.setDaemon(true);
            return t;
        });
    }

    /** Jobs an earlier run of the engine left running: stopped, to be resumed by a person. */
    public void stopLeftovers() {
        for (String jobId : store.running()) {
            store.state(jobId, ReplayJob.State.STOPPED, "the engine stopped while it ran; resume it to go on",
                    ReplayJob.State.RUNNING);
            LOG.info("Replay {} was left running when the engine stopped: it is stopped; resume it to go on", jobId);
        }
    }

    /**
     * Starts a job; returns it as it stands at once (its messages pending).
     *
     * @param record records the person's request before anything is replayed; if it throws, the job is stopped
     *               before its first message and the exception passed on
     */
    public ReplayJob start(Request request, java.util.function.Consumer<ReplayJob> record) {
        String reason = reason(request.reason());
        int rate = rate(request.ratePerSecond());
        String target = service(request.serviceId());
        List<String> ids;
        String selection;
        if (request.messageIds() != null && !request.messageIds().isEmpty()) {
            if (request.filter() != null) {
                throw new Refused("give message ids or a filter, not both", Refused.Kind.INVALID);
            }
            ids = request.messageIds().stream().distinct().sorted().toList(); // ids sort by arrival: oldest first
            for (String id : ids) {
                if (!id.matches(ID)) {
                    throw new Refused("a message id is 26 letters and digits, as the message history shows it", Refused.Kind.INVALID);
                }
            }
            if (ids.size() > maxMessages) {
                throw new Refused("at most " + maxMessages + " messages at once (ilinks.replay.max-messages)", Refused.Kind.INVALID);
            }
            selection = ids.size() == 1 ? "message " + ids.get(0) : ids.size() + " messages by id";
        } else if (request.filter() != null) {
            if (target == null && request.filter().serviceId() != null) {
                target = service(request.filter().serviceId()); // a filter on one service replays to that service
            }
            ids = select(request.filter());
            selection = "filter: " + describe(request.filter());
        } else {
            throw new Refused("give message ids or a filter", Refused.Kind.INVALID);
        }
        String jobId = MessageIds.next();
        store.create(new ReplayJobStore.NewJob(jobId, request.user(), request.address(), reason, selection, target,
                request.force(), rate, ids, null));
        recordOrStop(jobId, record);
        LOG.info("Replay {} started by {}: {} message(s), to {}", jobId, request.user(), ids.size(),
                target == null ? "every subscribing service" : "service " + target);
        launch(jobId);
        return job(jobId).orElseThrow();
    }

    /**
     * Records a support user's edit of a parked message (the original is kept; the diff is recorded) and starts a
     * job replaying the edited message to that service.
     *
     * @param original the message as received (the caller has recorded that the person saw it, and why)
     */
    public ReplayJob editAndReplay(String messageId, String serviceId, String edited, String reason, String user,
                                   String address, byte[] original, java.util.function.Consumer<ReplayJob> record) {
        String why = reason(reason);
        String target = service(serviceId);
        MessageSummary message = history.show(messageId).orElseThrow(() ->
                new Refused("no message " + messageId, Refused.Kind.NOT_FOUND));
        if (org.ilinks.history.HistoryRecorder.EXTRACT_ROW.equals(message.messageType())) {
            return editAndReplayExtractRow(message, edited, why, user, address, original, record);
        }
        if (target == null) {
            throw new Refused("service is required: the service the message is parked for", Refused.Kind.INVALID);
        }
        ServiceState state = message.services().stream().filter(s -> s.serviceId().equals(target)).findFirst()
                .orElse(null);
        if (state == null || state.status() != DeliveryStatus.PARKED) {
            throw new Refused("only a message parked for the service can be edited; for service " + target + " it is "
                    + (state == null ? "not routed" : state.status().words()), Refused.Kind.CONFLICT);
        }
        String text = edited.replace("\r\n", "\r").replace('\n', '\r');
        try {
            governor.get().facts(text.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // Only the inspection's own code is passed on: it names the rule broken, never the content.
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new Refused("the edited message would not be accepted" + (m.matches("message fails inspection: "
                    + "[A-Za-z0-9_ -]{1,40}") ? " (" + m + ")" : " (" + e.getClass().getSimpleName() + ")"), Refused.Kind.INVALID);
        }
        MessageEdits.Recorded edit = edits.record(messageId, target, user, why,
                MessageHistory.readable(original).replace("\n", "\r"), text);
        String jobId = MessageIds.next();
        store.create(new ReplayJobStore.NewJob(jobId, user, address, why, "message " + messageId + ", edited (edit "
                + edit.editId() + ": " + edit.summary() + ")", target, false, defaultRate, List.of(messageId),
                edit.editId()));
        recordOrStop(jobId, record);
        launch(jobId);
        return job(jobId).orElseThrow();
    }

    /**
     * A row of a delimited extract parked because it could not be read, corrected by a person: the corrected
     * one-row extract (header and row) is replayed to every service that takes it.
     */
    private ReplayJob editAndReplayExtractRow(MessageSummary message, String edited, String why, String user,
                                              String address, byte[] original,
                                              java.util.function.Consumer<ReplayJob> record) {
        if (message.routing() != org.ilinks.history.MessageRecord.Routing.PARKED) {
            throw new Refused("only a parked row can be edited; this one is no longer parked", Refused.Kind.CONFLICT);
        }
        String text = edited.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        MessageEdits.Recorded edit = edits.record(message.messageId(), "(extract row)", user, why,
                MessageHistory.readable(original), text);
        String jobId = MessageIds.next();
        store.create(new ReplayJobStore.NewJob(jobId, user, address, why, "extract row " + message.messageId()
                + ", edited (edit " + edit.editId() + ": " + edit.summary() + ")", null, false, defaultRate,
                List.of(message.messageId()), edit.editId()));
        recordOrStop(jobId, record);
        launch(jobId);
        return job(jobId).orElseThrow();
    }

    public Optional<ReplayJob> job(String jobId) {
        return jobId.matches(ID) ? store.job(jobId, true) : Optional.empty();
    }

    public List<ReplayJob> recent(int limit) {
        return store.recent(limit);
    }

    /** Stops a running job after the message in hand; a job not running is left as it is. Returns it. */
    public ReplayJob stop(String jobId, String user) {
        ReplayJob job = job(jobId).orElseThrow(() -> new Refused("no replay " + jobId, Refused.Kind.NOT_FOUND));
        if (job.state() != ReplayJob.State.RUNNING) {
            return job;
        }
        AtomicBoolean stop = running.get(jobId);
        if (stop != null) {
            stop.set(true);
        }
        store.state(jobId, ReplayJob.State.STOPPED, "stopped by " + user, ReplayJob.State.RUNNING);
        return job(jobId).orElseThrow();
    }

    /**
     * Resumes a stopped job at its first message not yet replayed; a job running or done is left as it is. Returns
     * it.
     */
    public ReplayJob resume(String jobId, String user) {
        ReplayJob job = job(jobId).orElseThrow(() -> new Refused("no replay " + jobId, Refused.Kind.NOT_FOUND));
        if (job.state() != ReplayJob.State.STOPPED) {
            return job;
        }
        if (running.containsKey(jobId)) {
            throw new Refused("replay " + jobId + " is still finishing the message in hand; resume it in a moment",
                    Refused.Kind.CONFLICT);
        }
        if (store.state(jobId, ReplayJob.State.RUNNING, "resumed by " + user, ReplayJob.State.STOPPED)) {
            launch(jobId);
        }
        return job(jobId).orElseThrow();
    }

    private void recordOrStop(String jobId, java.util.function.Consumer<ReplayJob> record) {
        try {
            record.accept(job(jobId).orElseThrow());
        } catch (RuntimeException e) {
            store.state(jobId, ReplayJob.State.STOPPED, "not started: the request could not be recorded",
                    ReplayJob.State.RUNNING);
            throw e;
        }
    }

    private void launch(String jobId) {
        AtomicBoolean stop = new AtomicBoolean();
        running.put(jobId, stop);
        runners.submit(() -> run(jobId, stop));
    }

    private void run(String jobId, AtomicBoolean stop) {
        try {
            ReplayJob job = store.job(jobId, false).orElseThrow();
            // The person's address is in their own record of the request; these events name them and the job.
            MessageReplayer.Job who = new MessageReplayer.Job(jobId, job.requestedBy(), null, job.reason(),
                    job.force());
            long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, job.ratePerSecond());
            long next = System.nanoTime();
            for (ReplayJobStore.Pending item : store.pending(jobId)) {
                if (stop.get() || Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (item.editId() == null && store.replayedInJob(jobId, item.messageId())) {
                    // Already replayed in this job, behind the parked message it waited for: not again.
                    store.drop(jobId, item.seq());
                    continue;
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next = Math.max(next, System.nanoTime() - interval) + interval;
                List<ReplayResult> results;
                try {
                    results = replayer.replay(who, item.messageId(), item.serviceId(), item.editId());
                } catch (RuntimeException e) {
                    LOG.warn("Replay {}: message {} could not be replayed: {}", jobId, item.messageId(),
                            e.getClass().getSimpleName());
                    results = List.of(new ReplayResult(item.messageId(), item.serviceId(), ReplayOutcome.FAILED,
                            "the replay could not be completed (" + e.getClass().getSimpleName() + ")"));
                }
                store.record(jobId, item.seq(), item.messageId(), results);
            }
            store.state(jobId, ReplayJob.State.DONE, null, ReplayJob.State.RUNNING);
            LOG.info("Replay {} finished", jobId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.state(jobId, ReplayJob.State.STOPPED, "the engine stopped; resume it to go on",
                    ReplayJob.State.RUNNING);
        } catch (RuntimeException e) {
            LOG.warn("Replay {} stopped: {}", jobId, e.getClass().getSimpleName());
            try {
                store.state(jobId, ReplayJob.State.STOPPED, "stopped by an error (" + e.getClass().getSimpleName()
                        + "); resume it to go on", ReplayJob.State.RUNNING);
            } catch (RuntimeException ignored) {
                // the database is what failed: the job stays RUNNING and the next start stops it
            }
        } finally {
            running.remove(jobId);
        }
    }

    /** The message ids a filter selects, oldest first; refuses more than the ceiling. */
    private List<String> select(HistoryFilter filter) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            MessageHistory.Page found = history.list(filter, page, 1000);
            found.messages().forEach(m -> ids.add(m.messageId()));
            if (ids.size() > maxMessages) {
                throw new Refused("the filter selects more than " + maxMessages + " messages "
                        + "(ilinks.replay.max-messages): narrow it, e.g. with a time range", Refused.Kind.INVALID);
            }
            if (!found.more()) {
                break;
            }
        }
        if (ids.isEmpty()) {
            throw new Refused("the filter selects no message", Refused.Kind.INVALID);
        }
        return ids.stream().sorted().toList();
    }

    private static String describe(HistoryFilter f) {
        List<String> parts = new ArrayList<>();
        add(parts, "service", f.serviceId());
        add(parts, "status", f.status());
        add(parts, "from", f.from());
        add(parts, "to", f.to());
        add(parts, "type", f.messageType());
        add(parts, "error containing", f.errorContains() == null ? null : "'" + f.errorContains() + "'");
        add(parts, "id", f.messageId());
        if (f.unresolved()) {
            parts.add("unresolved");
        }
        return parts.isEmpty() ? "every message" : String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, Object value) {
        if (value != null) {
            parts.add(name + " " + value);
        }
    }

    private String service(String serviceId) {
        if (serviceId == null || serviceId.isBlank()) {
            return null;
        }
        String id = serviceId.strip();
        if (governor.get().config().services().stream().noneMatch(s -> s.id().equals(id))) {
            throw new Refused("no service '" + (id.matches("[a-z0-9-]{1,63}") ? id : "?")
                    + "' in the configuration in force", Refused.Kind.INVALID);
        }
        return id;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new Refused("reason is required: say why you are replaying (it is recorded)", Refused.Kind.INVALID);
        }
        if (reason.length() > 500) {
            throw new Refused("reason must have at most 500 characters", Refused.Kind.INVALID);
        }
        return reason.strip();
    }

    private int rate(Integer rate) {
        int r = rate == null ? defaultRate : rate;
        if (r < 1 || r > MAX_RATE) {
            throw new Refused("ratePerSecond must be from 1 to " + MAX_RATE, Refused.Kind.INVALID);
        }
        return r;
    }

    @Override
    public void close() {
        running.values().forEach(stop -> stop.set(true));
        runners.shutdownNow();
        try {
            runners.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
