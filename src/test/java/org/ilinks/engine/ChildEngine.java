package org.ilinks.engine;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.ilinks.support.TestEngine;

/**
 * {@code ilinks run} in a child JVM on the config, routes and data dir a {@link TestEngine} laid out (the TestEngine
 * itself is never started), so a test can kill it as hard as an operating system or an operator would. The embedded
 * broker also listens on a TCP port so the test can look into its queues from outside.
 */
public final class ChildEngine implements AutoCloseable {

    private final Process process;
    private final Path stderr;
    private final int brokerPort;

    private ChildEngine(Process process, Path stderr, int brokerPort) {
        this.process = process;
        this.stderr = stderr;
        this.brokerPort = brokerPort;
    }

    /** Starts the engine and returns once its MLLP intake accepts connections. */
    public static ChildEngine start(TestEngine layout, int brokerPort, Path logDir, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(),
                // Start-up speed matters more than peak speed for a JVM that lives a few seconds.
                "-XX:TieredStopAtLevel=1",
                "-Dilinks.data.dir=" + layout.dataDir(),
                "-Dilinks.intake.mllp.port=" + layout.port(),
                "-Dilinks.broker.embedded.port=" + brokerPort,
                "-Dilinks.reload.enabled=false",
                "-Dilinks.admin.port=" + TestEngine.freePort(),
                "-Dilinks.delivery.initial-delay-ms=100",
                "-Dilinks.delivery.max-delay-ms=500",
                "org.ilinks.Main", "run",
                "--config", layout.configDir().toString(),
                "--routes", layout.routesDir().toString()));
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        ChildEngine child = new ChildEngine(process, err, brokerPort);
        try {
            await("engine " + name + " accepting MLLP").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the child engine exited with status " + process.exitValue()
                                    + "; its stderr:\n" + child.stderr());
                        }
                        // The port answers as soon as the intake route starts; the engine has finished starting (the
                        // other routes, the audit writer) when it says so.
                        return accepts(layout.port()) && child.stderr().contains("iLINKS engine started");
                    });
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /**
     * With its manifest-only jar (useManifestOnlyJar) surefire's {@code java.class.path} is just that jar; the real
     * test classpath is always in {@code surefire.test.class.path}. Today's pom gives both the full classpath.
     */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child engine survived SIGKILL");
        }
    }

    /** SIGTERM, then waits for the process to exit; returns its exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child engine did not exit within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** A JMS connection factory on the child's embedded broker, for looking into its queues. */
    ActiveMQConnectionFactory brokerClient() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
    }

    public String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
