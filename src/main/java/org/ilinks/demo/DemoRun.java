package org.ilinks.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.MllpEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;
import org.ilinks.engine.QueueCounts;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;

/**
 * The demo: the engine on its embedded defaults with the shipped config and routes, a stand-in receiver for each
 * service that delivers over MLLP to this machine, and every sample sent through the engine's own MLLP port. It then
 * checks that each service received exactly what its subscription says it should.
 */
public final class DemoRun implements AutoCloseable {

    private final Settings settings;
    private final Path samplesDir;
    private final PrintWriter out;
    private final List<MllpReceiver> receivers = new ArrayList<>();
    private final Map<String, MllpReceiver> receiverByService = new LinkedHashMap<>();
    private Engine engine;

    public DemoRun(Settings settings, Path samplesDir, PrintWriter out) {
        this.settings = settings;
        this.samplesDir = samplesDir;
        this.out = out;
    }

    /** Wipes the demo's own data dir, so every demo starts from nothing. */
    public static void clearDataDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public void start() throws Exception {
        engine = Engine.start(settings);
        for (ServiceDefinition s : engine.services()) {
            if (s.endpoint() instanceof MllpEndpoint m && isThisMachine(m.host())) {
                MllpReceiver r = new MllpReceiver(m.host(), m.port());
                r.start();
                receivers.add(r);
                receiverByService.put(s.id(), r);
                out.printf("Started a stand-in MLLP receiver for %s on %s:%d%n", s.id(), m.host(), m.port());
            }
        }
        out.printf("Engine running: MLLP intake on port %s, data in %s%n",
                settings.get(Setting.INTAKE_PORT), settings.dataDir());
        out.flush();
    }

    private static boolean isThisMachine(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /** Sends every sample; returns how many messages each service should receive. */
    public Map<String, Integer> sendSamples() throws IOException {
        Map<String, Integer> expected = new LinkedHashMap<>();
        engine.services().forEach(s -> expected.put(s.id(), 0));
        List<Path> files;
        try (Stream<Path> list = Files.list(samplesDir)) {
            files = list.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        // The same inspection intake runs, to know which services each sample should reach.
        Hl7Inspector inspector = new Hl7Inspector(Set.of(settings.get(Setting.INTAKE_VERSIONS).split("\\s*,\\s*")),
                java.nio.charset.Charset.forName(settings.get(Setting.INTAKE_DEFAULT_CHARSET)));
        int port = settings.getInt(Setting.INTAKE_PORT);
        try (MllpClient client = new MllpClient("127.0.0.1", port, 5000, 30000)) {
            for (Path file : files) {
                Hl7FileReader.Hl7File read = Hl7FileReader.read(file);
                int n = 0;
                for (byte[] message : read.messages()) {
                    n++;
                    AckSummary ack = AckSummary.parse(client.send(message));
                    out.printf("sent %s #%d: %s %s%n", file.getFileName(), n, ack.code(), ack.text());
                    if (ack.accepted()) {
                        Inspection i = inspector.inspect(message);
                        for (ServiceDefinition s : engine.services()) {
                            if (s.subscription().matches(i.header().messageType(), i.header().triggerEvent(),
                                    i.header().sendingFacility())) {
                                expected.merge(s.id(), 1, Integer::sum);
                            }
                        }
                    }
                }
            }
        }
        out.flush();
        return expected;
    }

    /** Waits until every service has what it should, or the timeout passes; prints the table; true if all match. */
    public boolean awaitDelivered(Map<String, Integer> expected, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Map<String, Integer> delivered = deliveredCounts();
        while (!delivered.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            delivered = deliveredCounts();
        }
        Thread.sleep(500); // a moment more, to catch anything delivered twice
        delivered = deliveredCounts();
        out.printf("%n%-28s %-7s %8s %9s %7s  %s%n", "service", "kind", "expected", "delivered", "parked", "where");
        for (ServiceDefinition s : engine.services()) {
            out.printf("%-28s %-7s %8d %9d %7d  %s%n", s.id(), s.endpoint().kind(), expected.getOrDefault(s.id(), 0),
                    delivered.getOrDefault(s.id(), 0), QueueCounts.count(engine.connectionFactory(), s.parkedQueueName()),
                    where(s));
        }
        boolean ok = delivered.equals(expected);
        out.println(ok ? "\nEvery sample ended where the configuration says it should."
                : "\nSome samples did not end where the configuration says they should.");
        out.flush();
        return ok;
    }

    private Map<String, Integer> deliveredCounts() throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ServiceDefinition s : engine.services()) {
            counts.put(s.id(), delivered(s));
        }
        return counts;
    }

    private int delivered(ServiceDefinition s) throws Exception {
        if (s.endpoint() instanceof MllpEndpoint) {
            MllpReceiver r = receiverByService.get(s.id());
            return r == null ? 0 : r.count();
        }
        if (s.endpoint() instanceof FolderEndpoint f) {
            if (!Files.isDirectory(f.path())) {
                return 0;
            }
            try (Stream<Path> files = Files.list(f.path())) {
                return (int) files.filter(p -> p.getFileName().toString().endsWith(".hl7")).count();
            }
        }
        return QueueCounts.count(engine.connectionFactory(), ((QueueEndpoint) s.endpoint()).name());
    }

    private static String where(ServiceDefinition s) {
        if (s.endpoint() instanceof MllpEndpoint m) {
            return "mllp://" + m.host() + ":" + m.port();
        }
        if (s.endpoint() instanceof FolderEndpoint f) {
            return f.path().toString();
        }
        return "queue " + ((QueueEndpoint) s.endpoint()).name();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        receivers.forEach(MllpReceiver::stop);
    }
}
