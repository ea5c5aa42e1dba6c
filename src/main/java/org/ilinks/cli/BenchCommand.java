package org.ilinks.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ilinks.bench.Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ilinks bench}: end-to-end throughput and ACK latency on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark: push N messages over C MLLP connections through intake, routing and delivery",
                "to one MLLP service, in a throw-away engine (embedded Artemis with its journal, H2, the routes",
                "in --routes). Prints msgs/s and ACK latency p50/p99; exit 1 if any message was not delivered."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-n", "--messages"}, defaultValue = "40000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = {"-c", "--connections"}, defaultValue = "16", description = "MLLP connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--patients", defaultValue = "2000", description = "Distinct made-up patients (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--consumers", defaultValue = "8", description = "Delivery consumers for the service (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--warmup", defaultValue = "2000", description = "Messages sent before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--audit", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record the audit trail, as the engine does by default; --no-audit measures without it.")
    boolean audit;

    @Option(names = "--audit-cost", paramLabel = "ROUNDS", defaultValue = "0",
            description = "Measure what the audit trail costs: ROUNDS pairs of runs with audit off and on, alternated"
                    + " in this one invocation (after an uncounted pair) so both see the same machine and the same"
                    + " compiled code; prints each pair and the overall ratio.")
    int auditCostRounds;

    @Option(names = "--routes", paramLabel = "DIR", defaultValue = "routes", description = "Routes to benchmark (default: ${DEFAULT-VALUE}).")
    Path routesDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (auditCostRounds > 0) {
            return auditCost(out);
        }
        Benchmark.Result r = new Benchmark(routesDir, connections, patients, consumers,
                Map.of("ilinks.audit.enabled", Boolean.toString(audit)))
                .run(messages, warmup, out);
        out.printf("messages %d, connections %d, audit %s%n", r.messages(), r.connections(), audit ? "on" : "off");
        out.printf("intake (AA ACKs)      %8.0f msgs/s%n", r.ackRate());
        out.printf("end to end (delivered) %7.0f msgs/s%n", r.endToEndRate());
        out.printf("CPU per message       %8.3f ms (whole process, all cores)%n", r.cpuMsPerMessage());
        if (audit) {
            out.printf("audit trail complete  %8.1f s after the last delivery%n", r.auditLagSeconds());
        }
        out.printf("ACK latency           p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", r.p50Ms(), r.p99Ms(), r.maxMs());
        out.printf("delivered %d of %d%s%n", r.delivered(), r.messages(),
                r.notAccepted() > 0 ? ", " + r.notAccepted() + " not accepted" : "");
        out.flush();
        return r.allDelivered() ? 0 : 1;
    }

    /**
     * Pairs of runs, audit off and on, in one invocation. The shared machine's speed drifts by a tenth or more from one
     * minute to the next, so a single pair proves little: the overall figure is total messages over total time of
     * each side, beside each pair's own ratio.
     */
    private int auditCost(PrintWriter out) throws Exception {
        out.printf("audit cost: %d pairs of %d messages, after one uncounted pair; off and on alternate%n",
                auditCostRounds, messages);
        out.printf("%-5s %14s %14s %8s %16s %16s %10s%n", "pair", "off msgs/s", "on msgs/s", "on/off",
                "off CPU ms/msg", "on CPU ms/msg", "trail lag");
        out.flush();
        // Engines started later in one JVM find its code compiled: an uncounted pair first, then the order of each
        // pair alternates (off-on, on-off, ...) so that neither side is always the warmer one.
        run(false, out);
        run(true, out);
        double offSeconds = 0;
        double onSeconds = 0;
        boolean allDelivered = true;
        for (int round = 1; round <= auditCostRounds; round++) {
            boolean offFirst = round % 2 == 1;
            Benchmark.Result first = run(!offFirst, out);
            Benchmark.Result second = run(offFirst, out);
            Benchmark.Result off = offFirst ? first : second;
            Benchmark.Result on = offFirst ? second : first;
            allDelivered &= off.allDelivered() && on.allDelivered();
            offSeconds += off.delivered() / off.endToEndRate();
            onSeconds += on.delivered() / on.endToEndRate();
            out.printf("%-5d %14.0f %14.0f %7.0f%% %16.3f %16.3f %9.1fs%n", round, off.endToEndRate(),
                    on.endToEndRate(), 100 * on.endToEndRate() / off.endToEndRate(), off.cpuMsPerMessage(),
                    on.cpuMsPerMessage(), on.auditLagSeconds());
            out.flush();
        }
        double offRate = auditCostRounds * (double) messages / offSeconds;
        double onRate = auditCostRounds * (double) messages / onSeconds;
        out.printf("all   %14.0f %14.0f %7.0f%%%n", offRate, onRate, 100 * onRate / offRate);
        out.flush();
        return allDelivered ? 0 : 1;
    }

    private Benchmark.Result run(boolean withAudit, PrintWriter out) throws Exception {
        return new Benchmark(routesDir, connections, patients, consumers,
                Map.of("ilinks.audit.enabled", Boolean.toString(withAudit)))
                .run(messages, warmup, new PrintWriter(java.io.Writer.nullWriter()));
    }
}
