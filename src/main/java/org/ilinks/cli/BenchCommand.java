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

    @Option(names = "--routes", paramLabel = "DIR", defaultValue = "routes", description = "Routes to benchmark (default: ${DEFAULT-VALUE}).")
    Path routesDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
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
}
