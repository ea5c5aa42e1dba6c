package org.ilinks.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;

/**
 * Pushes N messages over C MLLP connections through intake, routing and delivery to one MLLP service (a receiver in
 * this process answering AA), and reports throughput end to end and ACK latency. Runs a real engine: embedded
 * Artemis with its persistent journal, H2, the project's routes, in a throw-away data dir.
 */
public final class Benchmark {

    /** What was measured. */
    public record Result(int messages, int connections, double ackRate, double endToEndRate, double p50Ms,
                         double p99Ms, double maxMs, int delivered, int notAccepted, double cpuMsPerMessage,
                         double auditLagSeconds) {
        public boolean allDelivered() {
            return delivered >= messages && notAccepted == 0;
        }
    }

    private final Path routesDir;
    private final int connections;
    private final int patients;
    private final int consumers;
    private final Map<String, String> extraSettings;

    public Benchmark(Path routesDir, int connections, int patients, int consumers, Map<String, String> extraSettings) {
        this.routesDir = routesDir;
        this.connections = connections;
        this.patients = patients;
        this.consumers = consumers;
        this.extraSettings = extraSettings;
    }

    public Result run(int messages, int warmup, PrintWriter out) throws Exception {
        Path work = Files.createTempDirectory("ilinks-bench");
        int intakePort = freePort();
        try (MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0)) {
            receiver.start();
            Settings settings = prepare(work, intakePort, receiver.port());
            try (Engine engine = Engine.start(settings)) {
                SyntheticMessages source = new SyntheticMessages(patients);
                if (warmup > 0) {
                    out.printf("warm-up: %d messages%n", warmup);
                    out.flush();
                    send(intakePort, source, 0, warmup, new long[warmup]);
                    awaitCount(receiver, warmup, 120_000);
                    receiver.clearReceived();
                }
                long[] latencies = new long[messages];
                out.printf("measuring: %d messages over %d connections, %d patients%n", messages, connections, patients);
                out.flush();
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                int notAccepted = send(intakePort, source, 1_000_000_000L, messages, latencies);
                long acked = System.nanoTime();
                int delivered = awaitCount(receiver, messages - notAccepted, 300_000);
                long done = System.nanoTime();
                long cpu = processCpuNanos() - cpuStart;
                // The trail is written behind the deliveries: a writer that fell behind would hide its cost, so say
                // how long after the last delivery the trail was complete.
                double auditLag = engine.settings().getBoolean(org.ilinks.config.Setting.AUDIT_ENABLED)
                        ? seconds(done, auditSettled(engine)) : 0;
                Arrays.sort(latencies);
                return new Result(messages, connections, messages / seconds(start, acked),
                        delivered / seconds(start, done), ms(latencies[(int) (messages * 0.50)]),
                        ms(latencies[Math.min(messages - 1, (int) (messages * 0.99))]), ms(latencies[messages - 1]),
                        delivered, notAccepted, cpu / 1e6 / messages, Math.max(0, auditLag));
            }
        } finally {
            deleteTree(work);
        }
    }

    private Settings prepare(Path work, int intakePort, int receiverPort) throws IOException {
        Path config = work.resolve("config");
        Path routes = work.resolve("routes");
        Files.createDirectories(config.resolve("services"));
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(routesDir)) {
            for (Path r : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(r, routes.resolve(r.getFileName()));
            }
        }
        Files.writeString(config.resolve("application.properties"), "ilinks.intake.mllp.host=127.0.0.1\n");
        Files.writeString(config.resolve("services").resolve("bench.yaml"), """
                id: bench-receiver
                description: Benchmark receiver in the same process
                subscribe:
                  messageTypes: [ADT^A01]
                governance:
                  consent: opt-out
                endpoint:
                  mllp:
                    host: 127.0.0.1
                    port: %d
                delivery:
                  consumers: %d
                """.formatted(receiverPort, consumers));
        // A profile with the usual mix of kept, masked and transformed fields, so that minimisation costs what it
        // costs in service.
        Files.createDirectories(config.resolve("profiles"));
        Files.writeString(config.resolve("profiles").resolve("bench-receiver.yaml"), """
                description: Benchmark profile
                segments:
                  EVN: all
                  PID:
                    PID-3[type=NH]: keep
                    PID-5.1: mask
                    PID-5.2: keep
                    PID-7: age-band
                    PID-8: keep
                    PID-11.5: outward-code
                  PV1:
                    PV1-2: keep
                    PV1-3: keep
                    PV1-7: keep
                """);
        Map<String, String> overrides = new HashMap<>(extraSettings);
        overrides.put("ilinks.intake.mllp.port", Integer.toString(intakePort));
        overrides.put("ilinks.data.dir", work.resolve("data").toString());
        overrides.put("ilinks.reload.enabled", "false");
        overrides.put("ilinks.admin.enabled", "false"); // the benchmark measures the message path only
        return Settings.load(config, routes, overrides);
    }

    /** Sends [0, count) from the given sequence base; fills latencies (ns); returns how many were not AA. */
    private int send(int port, SyntheticMessages source, long base, int count, long[] latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        AtomicLong next = new AtomicLong();
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            results.add(pool.submit(() -> {
                int rejected = 0;
                try (MllpClient client = new MllpClient("127.0.0.1", port, 5000, 30000)) {
                    for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        byte[] message = source.message(base + i);
                        long t0 = System.nanoTime();
                        AckSummary ack = AckSummary.parse(client.send(message));
                        latencies[(int) i] = System.nanoTime() - t0;
                        if (!ack.accepted()) {
                            rejected++;
                        }
                    }
                }
                return rejected;
            }));
        }
        int rejected = 0;
        for (Future<Integer> f : results) {
            rejected += f.get();
        }
        pool.shutdown();
        return rejected;
    }

    private static int awaitCount(MllpReceiver receiver, int expected, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (receiver.count() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return receiver.count();
    }

    /** When the audit chain last grew, once it has stopped growing for a second. */
    private static long auditSettled(Engine engine) throws InterruptedException {
        org.ilinks.audit.AuditStore store = new org.ilinks.audit.AuditStore(engine.dataSource(),
                new org.ilinks.audit.AuditHeadFile(engine.settings().auditHeadFile()));
        long seq = store.chainHead().seq();
        long changedAt = System.nanoTime();
        while (System.nanoTime() - changedAt < 1_000_000_000L) {
            Thread.sleep(50);
            long now = store.chainHead().seq();
            if (now != seq) {
                seq = now;
                changedAt = System.nanoTime();
            }
        }
        return changedAt;
    }

    /** CPU time of this whole process (engine, load generator and receiver alike). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
