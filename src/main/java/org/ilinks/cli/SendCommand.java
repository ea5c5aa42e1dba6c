package org.ilinks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ilinks.hl7.Hl7FileReader.Hl7File;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.MessageHeader;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks send HOST:PORT FILE...}: sends the HL7 messages in files over MLLP and reports each ACK.
 *
 * <p>Prints one line per message with only MSH-9 and MSH-10 from it (never patient data), then a
 * summary. Exit status 0 when every message was accepted (AA or CA), 1 otherwise, 2 for usage errors.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {
                "Send the HL7 v2 messages in one or more files to an MLLP listener and report each ACK.",
                "Files may hold several messages, FHS/BHS batches, CR/LF/CRLF line ends and a UTF-8 BOM.",
                "Exit status: 0 all accepted (AA/CA), 1 any other answer or none, 2 usage error."
        })
public final class SendCommand implements Callable<Integer> {

    private static final Hl7Inspector INSPECTOR =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);

    static final int EXIT_ALL_ACCEPTED = 0;
    static final int EXIT_NOT_ALL_ACCEPTED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The MLLP listener, e.g. localhost:2575.")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "HL7 v2 files to send, in order.")
    List<String> files = new ArrayList<>();

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "How long to wait for each ACK (default: ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--connect-timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "How long to wait for the connection (default: ${DEFAULT-VALUE}).")
    int connectTimeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(target);
        } catch (IllegalArgumentException e) {
            err.println("send: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (timeoutMs < 0 || connectTimeoutMs < 0) {
            err.println("send: timeouts must not be negative");
            return EXIT_USAGE;
        }
        List<LoadedFile> loaded = new ArrayList<>();
        for (String name : files) {
            try {
                loaded.add(new LoadedFile(name, Hl7FileReader.read(readable(name))));
            } catch (IOException e) {
                err.println("send: cannot read " + name + ": " + e.getMessage());
                return EXIT_USAGE;
            }
        }
        Tally tally = new Tally();
        try (MllpClient client = new MllpClient(hostPort.host(), hostPort.port(), connectTimeoutMs, timeoutMs)) {
            Delivery delivery = new Delivery(client);
            for (LoadedFile file : loaded) {
                for (String warning : file.content().warnings()) {
                    out.println(file.name() + ": warning: " + warning);
                }
                for (String warning : file.content().trailerWarnings()) {
                    out.println(file.name() + ": warning: " + warning);
                }
                List<byte[]> messages = file.content().messages();
                for (int i = 0; i < messages.size(); i++) {
                    byte[] message = messages.get(i);
                    String outcome = delivery.deliver(message, tally);
                    out.println(file.name() + " #" + (i + 1) + " " + describe(message) + ": " + outcome);
                    out.flush();
                }
            }
        }
        out.println(tally.summary());
        out.flush();
        if (tally.sent == 0) {
            err.println("send: no HL7 messages found in the given files");
            return EXIT_NOT_ALL_ACCEPTED;
        }
        return tally.allAccepted() ? EXIT_ALL_ACCEPTED : EXIT_NOT_ALL_ACCEPTED;
    }

    private static Path readable(String name) throws IOException {
        Path path = Paths.get(name);
        if (!Files.exists(path)) {
            throw new IOException("no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new IOException("permission denied");
        }
        return path;
    }

    private record LoadedFile(String name, Hl7File content) {
    }

    /**
     * Sends messages over one connection. After a lost connection it reconnects once; if that fails
     * too, the remaining messages are not tried, since every one would wait out the connect timeout.
     */
    private static final class Delivery {
        private final MllpClient client;
        private boolean givenUp;
        private String givenUpReason;

        Delivery(MllpClient client) {
            this.client = client;
        }

        /** Sends one message, counts its outcome and describes it as {@code <code> <text>}. */
        String deliver(byte[] message, Tally tally) {
            tally.sent++;
            if (givenUp) {
                tally.noAnswer++;
                return "no answer (not sent: " + givenUpReason + ")";
            }
            if (!client.isConnected()) {
                try {
                    client.connect();
                } catch (IOException e) {
                    givenUp = true;
                    givenUpReason = e.getMessage();
                    tally.noAnswer++;
                    return "no answer (not sent: " + e.getMessage() + ")";
                }
            }
            byte[] reply;
            try {
                reply = client.send(message);
            } catch (IOException e) {
                // The client has closed the connection; the next message reconnects.
                tally.noAnswer++;
                return "no answer (" + e.getMessage() + ")";
            }
            AckSummary ack;
            try {
                ack = AckSummary.parse(reply);
            } catch (IllegalArgumentException e) {
                tally.unreadable++;
                return "unreadable answer (" + e.getMessage() + ")";
            }
            tally.count(ack.code());
            String text = ack.text().isEmpty() ? "" : " " + ack.text();
            return ack.code() + text;
        }
    }

    /** Outcome counts for the summary line. */
    private static final class Tally {
        int sent;
        int accepted;
        int errors;
        int rejects;
        int noAnswer;
        int unreadable;
        int other;

        void count(String code) {
            switch (code) {
                case "AA", "CA" -> accepted++;
                case "AE", "CE" -> errors++;
                case "AR", "CR" -> rejects++;
                default -> other++;
            }
        }

        boolean allAccepted() {
            return accepted == sent;
        }

        String summary() {
            StringBuilder s = new StringBuilder()
                    .append("sent ").append(sent)
                    .append(", AA ").append(accepted)
                    .append(", AE ").append(errors)
                    .append(", AR ").append(rejects)
                    .append(", no answer ").append(noAnswer);
            if (unreadable > 0) {
                s.append(", unreadable ").append(unreadable);
            }
            if (other > 0) {
                s.append(", other codes ").append(other);
            }
            return s.toString();
        }
    }

    /** MSH-9 and MSH-10 of a message: the only parts of it this command ever prints. */
    /** MSH-9 and MSH-10 of a message, read by the same inspector intake uses; neither is patient data. */
    private static String describe(byte[] message) {
        MessageHeader h = INSPECTOR.inspect(message).header();
        String type = h.messageType().isEmpty() ? "?" : h.messageType()
                + (h.triggerEvent().isEmpty() ? "" : "^" + h.triggerEvent())
                + (h.messageStructure().isEmpty() ? "" : "^" + h.messageStructure());
        return type + " " + (h.controlId().isEmpty() ? "?" : h.controlId());
    }

    /** A parsed {@code HOST:PORT}; IPv6 literals go in brackets, e.g. {@code [::1]:2575}. */
    record HostPort(String host, int port) {

        static HostPort parse(String text) {
            String usage = "expected HOST:PORT, e.g. localhost:2575, but got '" + text + "'";
            int colon = text == null ? -1 : text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException(usage);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException(usage + " (put IPv6 addresses in brackets)");
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException(usage);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, but got " + port);
            }
            return new HostPort(host, port);
        }
    }
}
