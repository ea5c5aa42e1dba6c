package org.ilinks.reload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.ilinks.bench.SyntheticMessages;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.KnownBeans;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;
import org.ilinks.engine.QueueCounts;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload on a running engine with the file watcher on: edits to {@code config/services/} and {@code routes/}
 * are picked up without a restart, broken edits leave the running configuration alone, and nothing sent while a
 * reload happens is lost or delivered twice.
 *
 * <p>Waiting for "the watcher has applied the edit" is done by watching what the engine reports (its services, its
 * Camel routes) and then calling {@link Engine#reloadNow()}: it shares the watcher's lock, so it returns only once
 * the watcher's own reload has finished, and by then nothing is left for it to apply.
 */
class LiveReloadTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String PATIENT = "9434765919";

    @TempDir
    Path tmp;

    private TestEngine te;
    private MllpClient client;
    private final List<MllpReceiver> receivers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        if (client != null) {
            client.close();
        }
        if (te != null) {
            te.close();
        }
        receivers.forEach(MllpReceiver::stop);
    }

    @Test
    void aServiceAddedWhileRunningReceivesWhatIsSentAfterTheReloadAndTheOthersCarryOn() throws Exception {
        start(t -> t.folderService("existing", "ADT^A01"));
        send("ADD-1", "A01");
        awaitControlIds("existing", "ADD-1");

        writeService("newcomer", folderYaml("newcomer", "ADT^A01"));
        awaitServices(s -> ids(s).contains("newcomer"));
        send("ADD-2", "A01");

        awaitControlIds("newcomer", "ADD-2");
        awaitControlIds("existing", "ADD-1", "ADD-2");
    }

    @Test
    void editingASubscriptionChangesWhatTheServiceReceives() throws Exception {
        start(t -> t.folderService("switching", "ADT^A01"));
        send("EDIT-1", "A01");
        awaitControlIds("switching", "EDIT-1");

        writeService("switching", folderYaml("switching", "ADT^A08"));
        awaitServices(s -> subscriptionOf(s, "switching").equals("[ADT^A08]"));
        send("EDIT-2", "A01");
        send("EDIT-3", "A08");

        // One patient, so one queue order: had EDIT-2 been routed to the service, it would have arrived before EDIT-3.
        awaitControlIds("switching", "EDIT-1", "EDIT-3");
        assertThat(QueueCounts.count(engine().connectionFactory(), "ilinks.service.switching")).isZero();
    }

    @Test
    void editingAProfileChangesWhatTheServiceReceivesFromTheNextMessage() throws Exception {
        start(t -> t.folderService("shaped", "ADT^A01"));
        send("PROF-1", "A01");
        awaitControlIds("shaped", "PROF-1");

        replaceAtomically(te.configDir().resolve("profiles/shaped.yaml"),
                "description: the ward no longer needs the visit\nsegments:\n  PID:\n    PID-3: keep\n");
        await().atMost(PATIENCE).until(() -> engine().reloadNow().isEmpty());
        send("PROF-2", "A01");
        awaitControlIds("shaped", "PROF-1", "PROF-2");

        Map<String, String> byControlId = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(te.folderOut("shaped"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hl7")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                byControlId.put(controlId(bytes), new String(bytes, ISO_8859_1));
            }
        }
        assertThat(byControlId.get("PROF-1")).contains("\rPV1|").contains("H5TEST");
        assertThat(byControlId.get("PROF-2")).doesNotContain("PV1").doesNotContain("H5TEST")
                .contains("PID|||" + PATIENT + "^^^NHS^NH\r");
    }

    @Test
    void removingAServiceFileStopsDeliveriesToIt() throws Exception {
        start(t -> t.folderService("staying", "ADT^A01").folderService("leaving", "ADT^A01"));
        send("GONE-1", "A01");
        awaitControlIds("staying", "GONE-1");
        awaitControlIds("leaving", "GONE-1");

        Files.delete(te.configDir().resolve("services/leaving.yaml"));
        awaitServices(s -> !ids(s).contains("leaving"));
        send("GONE-2", "A01");

        awaitControlIds("staying", "GONE-1", "GONE-2");
        // Routing puts every copy of a message on its queues in one transaction, so once "staying" has GONE-2 a copy
        // for "leaving" would already be waiting on its queue, which now has no consumer.
        assertThat(QueueCounts.count(engine().connectionFactory(), "ilinks.service.leaving")).isZero();
        assertThat(controlIdsIn("leaving")).containsExactly("GONE-1");
        assertThat(engine().camelContext().getRoute("deliver-leaving")).isNull();
    }

    @Test
    void aServiceFileWithAYamlErrorIsRejectedAndTheOldConfigurationKeepsRunningUntilItIsFixed() throws Exception {
        start(t -> t.folderService("steady", "ADT^A01"));
        send("YAML-1", "A01");
        awaitControlIds("steady", "YAML-1");

        // Both edits land together: one good, one broken. Neither may be applied while the other is broken.
        writeService("steady", "id: steady\ndescription: broken edit\nsubscribe:\n  messageTypes: [ADT^A08\n"
                + "endpoint:\n  folder:\n    path: out/steady\n");
        writeService("newcomer", folderYaml("newcomer", "ADT^A01"));

        assertRejected("steady.yaml");
        assertThat(subscriptionOf(engine().services(), "steady")).isEqualTo("[ADT^A01]");
        assertThat(ids(engine().services())).doesNotContain("newcomer");
        send("YAML-2", "A01");
        awaitControlIds("steady", "YAML-1", "YAML-2");
        assertThat(QueueCounts.count(engine().connectionFactory(), "ilinks.service.newcomer")).isZero();

        writeService("steady", folderYaml("steady", "ADT^A08"));
        awaitServices(s -> ids(s).contains("newcomer") && subscriptionOf(s, "steady").equals("[ADT^A08]"));
        send("YAML-3", "A01");
        send("YAML-4", "A08");
        awaitControlIds("newcomer", "YAML-3");
        awaitControlIds("steady", "YAML-1", "YAML-2", "YAML-4");
    }

    @Test
    void aServiceFileWithAnUnknownKeyIsRejectedWithItsFileAndLine() throws Exception {
        String withTypo = "id: steady\ndescription: typo\nsubscribe:\n  messageTypes: [ADT^A08]\n  sendingFacilites: [REM]\n"
                + "endpoint:\n  folder:\n    path: out/steady\n";
        start(t -> t.folderService("steady", "ADT^A01"));

        writeService("steady", withTypo);

        List<ConfigProblem> problems = assertRejected("steady.yaml");
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("steady.yaml:5"));
        assertThat(subscriptionOf(engine().services(), "steady")).isEqualTo("[ADT^A01]");
        send("TYPO-1", "A01");
        awaitControlIds("steady", "TYPO-1");
    }

    @Test
    void aBrokenServiceFileAlongsideATemplateEditLeavesDeliveriesRunning() throws Exception {
        start(t -> t.folderService("steady", "ADT^A01"));
        send("BOTH-1", "A01");
        awaitControlIds("steady", "BOTH-1");

        writeService("steady", "id: steady\nsubscribe: [unclosed\n");
        editRouteFile("delivery.yaml", "logExhausted: false", "logExhausted: true");

        assertRejected("steady.yaml");
        send("BOTH-2", "A01");
        awaitControlIds("steady", "BOTH-1", "BOTH-2");
    }

    @Test
    void aRouteFileWithAYamlErrorIsRejectedAndRoutingCarriesOnUntilItIsFixed() throws Exception {
        start(t -> t.folderService("steady", "ADT^A01"));
        send("ROUTE-1", "A01");
        awaitControlIds("steady", "ROUTE-1");
        Path routing = te.routesDir().resolve("routing.yaml");
        String good = Files.readString(routing);

        replaceAtomically(routing, good + "\n- route:\n    id: half-written\n    from: [unclosed\n");

        assertRejected("routing.yaml");
        assertThat(engine().camelContext().getRoute("routing")).isNotNull();
        send("ROUTE-2", "A01");
        awaitControlIds("steady", "ROUTE-1", "ROUTE-2");

        replaceAtomically(routing, "# fixed\n" + good);
        await().atMost(PATIENCE).until(() -> engine().reloadNow().isEmpty());
        send("ROUTE-3", "A01");
        awaitControlIds("steady", "ROUTE-1", "ROUTE-2", "ROUTE-3");
    }

    @Test
    void editingRoutingYamlKeepsAnOpenIntakeConnectionAndLosesOrRepeatsNothing() throws Exception {
        MllpReceiver receiver = receiver();
        start(t -> t.mllpService("downstream", receiver.port(), "ADT^A01"));
        Route routingBefore = engine().camelContext().getRoute("routing");

        assertThat(send("KEEP-1", "A01").code()).isEqualTo("AA");

        try (ContinuousSender sender = new ContinuousSender(te.port(), "FLOW-")) {
            sender.awaitSent(20);
            editRouteFile("routing.yaml", "description: Check for re-sent duplicates",
                    "description: Reloaded while running. Check for re-sent duplicates");
            await().atMost(PATIENCE).until(() -> engine().camelContext().getRoute("routing") != routingBefore);
            assertThat(engine().reloadNow()).isEmpty();
            assertThat(engine().camelContext().getRoute("routing").getDescription()).startsWith("Reloaded while running");
            sender.awaitSent(sender.sent() + 20);
            sender.stop();

            assertThat(client.isConnected()).isTrue();
            // MllpClient never reconnects silently: an AA here came over the connection opened before the reload.
            assertThat(send("KEEP-2", "A01").code()).isEqualTo("AA");

            List<String> expected = new ArrayList<>(sender.accepted());
            expected.add("KEEP-1");
            expected.add("KEEP-2");
            assertThat(sender.failures()).isEmpty();
            await().atMost(PATIENCE).until(() -> receiver.count() >= expected.size());
            assertDeliveredExactlyOnce(controlIds(receiver), expected);
        }
    }

    @Test
    void editingTheDeliveryTemplateRecreatesDeliveryRoutesAndDeliveriesContinue() throws Exception {
        MllpReceiver receiver = receiver();
        start(t -> t.mllpService("remote", receiver.port(), "ADT^A01").folderService("filed", "ADT^A01"));
        Route remoteBefore = engine().camelContext().getRoute("deliver-remote");
        Route filedBefore = engine().camelContext().getRoute("deliver-filed");

        try (ContinuousSender sender = new ContinuousSender(te.port(), "TPL-")) {
            sender.awaitSent(20);
            editRouteFile("delivery.yaml", "logExhausted: false", "logExhausted: true");
            await().atMost(PATIENCE).until(() -> {
                Route remote = engine().camelContext().getRoute("deliver-remote");
                Route filed = engine().camelContext().getRoute("deliver-filed");
                return remote != null && remote != remoteBefore && filed != null && filed != filedBefore;
            });
            assertThat(engine().reloadNow()).isEmpty();
            sender.awaitSent(sender.sent() + 20);
            sender.stop();

            List<String> expected = sender.accepted();
            assertThat(sender.failures()).isEmpty();
            assertThat(engine().camelContext().getRouteController().getRouteStatus("deliver-remote").isStarted()).isTrue();
            await().atMost(PATIENCE).until(() -> receiver.count() >= expected.size()
                    && controlIdsIn("filed").size() >= expected.size());
            assertDeliveredExactlyOnce(controlIds(receiver), expected);
            assertDeliveredExactlyOnce(controlIdsIn("filed"), expected);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void start(Function<TestEngine, TestEngine> services) throws Exception {
        te = services.apply(new TestEngine(tmp)
                .set("ilinks.reload.enabled", "true")
                .set("ilinks.reload.interval-ms", "200"));
        te.start();
        client = new MllpClient("127.0.0.1", te.port(), 2000, 30000);
    }

    private Engine engine() {
        return te.engine();
    }

    private MllpReceiver receiver() throws IOException {
        MllpReceiver r = new MllpReceiver("127.0.0.1", 0);
        r.start();
        receivers.add(r);
        return r;
    }

    private AckSummary send(String controlId, String trigger) throws IOException {
        AckSummary ack = AckSummary.parse(client.send(adt(controlId, trigger, PATIENT)));
        assertThat(ack.code()).as("intake ACK for %s", controlId).isEqualTo("AA");
        return ack;
    }

    static byte[] adt(String controlId, String trigger, String nhsNumber) {
        return ("MSH|^~\\&|H5SEND|H5FAC|ILINKS|NMERSEY|20260101120000||ADT^" + trigger + "^ADT_A01|" + controlId
                + "|P|2.4|||AL|NE|GBR\r"
                + "EVN|" + trigger + "|20260101120000\r"
                + "PID|1||" + nhsNumber + "^^^NHS^NH||H5TEST^PATIENT||19700101|U\r"
                + "PV1|1|I|WARD1^BED1^1\r").getBytes(StandardCharsets.US_ASCII);
    }

    /** MSH-10 of a message as delivered. */
    private static String controlId(byte[] payload) {
        String msh = new String(payload, ISO_8859_1).split("[\r\n]", 2)[0];
        return msh.split("\\|", -1)[9];
    }

    private static List<String> controlIds(MllpReceiver receiver) {
        return receiver.received().stream().map(LiveReloadTest::controlId).toList();
    }

    private List<String> controlIdsIn(String serviceId) throws IOException {
        Path dir = te.folderOut(serviceId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".hl7")).toList()) {
                result.add(controlId(Files.readAllBytes(f)));
            }
        }
        Collections.sort(result);
        return result;
    }

    private void awaitControlIds(String serviceId, String... expected) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(controlIdsIn(serviceId)).containsExactly(expected));
    }

    private static void assertDeliveredExactlyOnce(List<String> delivered, List<String> expected) {
        Map<String, Long> times = new TreeMap<>(delivered.stream()
                .collect(Collectors.groupingBy(id -> id, Collectors.counting())));
        assertThat(times.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(times).allSatisfy((id, n) -> assertThat(n).as("deliveries of %s", id).isEqualTo(1L));
    }

    /** Waits until the watcher has applied an edit, and until its reload has finished (see the class comment). */
    private void awaitServices(Predicate<List<ServiceDefinition>> applied) throws Exception {
        await().atMost(PATIENCE).until(() -> applied.test(engine().services()));
        assertThat(engine().reloadNow()).isEmpty();
    }

    /**
     * Asserts that the pending edit is refused. The validating loader reports problems as {@code file:line}; the
     * temporary loader can only fail, so either counts as refused as long as nothing was applied.
     */
    private List<ConfigProblem> assertRejected(String fileName) {
        List<ConfigProblem> problems = null;
        Exception failure = null;
        try {
            problems = engine().reloadNow();
        } catch (Exception e) {
            failure = e;
        }
        if (failure == null) {
            assertThat(problems).as("problems reported for the broken edit").isNotEmpty();
            assertThat(problems).anySatisfy(p -> assertThat(p.file()).endsWith(fileName));
            return problems;
        }
        return List.of();
    }

    private static String folderYaml(String id, String... types) {
        return "id: " + id + "\ndescription: test service " + id + "\nsubscribe:\n  messageTypes: ["
                + String.join(", ", types) + "]\n" + TestEngine.OPEN_GOVERNANCE + "endpoint:\n  folder:\n    path: out/"
                + id + "\n";
    }

    /** Replaces a service file in one step, so the watcher never reads half of it. */
    private void writeService(String id, String yaml) throws IOException {
        Path profile = te.configDir().resolve("profiles").resolve(id + ".yaml");
        if (!Files.exists(profile)) {
            replaceAtomically(profile, TestEngine.KEEP_ALL_PROFILE);
        }
        replaceAtomically(te.configDir().resolve("services").resolve(id + ".yaml"), yaml);
    }

    private void editRouteFile(String fileName, String from, String to) throws IOException {
        Path file = te.routesDir().resolve(fileName);
        String before = Files.readString(file);
        assertThat(before).as("%s contains the text to edit", fileName).contains(from);
        replaceAtomically(file, "# Edited by LiveReloadTest while the engine runs.\n" + before.replace(from, to));
    }

    private static void replaceAtomically(Path file, String content) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, content, StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> ids(List<ServiceDefinition> services) {
        return services.stream().map(ServiceDefinition::id).toList();
    }

    private static String subscriptionOf(List<ServiceDefinition> services, String id) {
        return services.stream().filter(s -> s.id().equals(id)).findFirst()
                .map(s -> s.subscription().messageTypes().toString()).orElse("(no such service)");
    }

    /**
     * Sends ADT^A01 messages over its own connection, one after another, for several made-up patients, until
     * stopped; remembers which were accepted (AA) and what went wrong with the others.
     */
    private static final class ContinuousSender implements AutoCloseable {

        private final MllpClient client;
        private final String prefix;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sent = new AtomicInteger();
        private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        ContinuousSender(int port, String prefix) {
            this.client = new MllpClient("127.0.0.1", port, 2000, 30000);
            this.prefix = prefix;
            this.thread = new Thread(this::sendUntilStopped, "h5-continuous-sender");
            thread.start();
        }

        private void sendUntilStopped() {
            for (int n = 1; running.get(); n++) {
                String controlId = prefix + n;
                try {
                    AckSummary ack = AckSummary.parse(
                            client.send(adt(controlId, "A01", SyntheticMessages.nhsNumber(n % 7))));
                    if (ack.accepted()) {
                        accepted.add(controlId);
                    } else {
                        failures.add(controlId + ": " + ack.code());
                    }
                } catch (IOException e) {
                    failures.add(controlId + ": " + e.getMessage());
                }
                sent.incrementAndGet();
            }
        }

        int sent() {
            return sent.get();
        }

        void awaitSent(int n) {
            await().atMost(PATIENCE).until(() -> sent.get() >= n || !thread.isAlive());
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(PATIENCE.toMillis());
        }

        List<String> accepted() {
            synchronized (accepted) {
                return List.copyOf(accepted);
            }
        }

        List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            client.close();
        }
    }
}
