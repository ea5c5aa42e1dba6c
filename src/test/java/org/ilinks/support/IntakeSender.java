package org.ilinks.support;

import java.io.IOException;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;

/**
 * Sends messages to an engine's MLLP intake over one connection, as a GP system would, and returns each ACK code.
 * Reconnects after a failed exchange so one lost connection does not end a test's stream of messages.
 */
public final class IntakeSender implements AutoCloseable {

    private final int port;
    private final int ackTimeoutMs;
    private MllpClient client;

    public IntakeSender(int port, int ackTimeoutMs) {
        this.port = port;
        this.ackTimeoutMs = ackTimeoutMs;
    }

    public IntakeSender(int port) {
        this(port, 20_000);
    }

    /** The MSA-1 code of the engine's answer; throws when no ACK came (connection lost, timeout). */
    public String send(byte[] message) throws IOException {
        if (client == null) {
            client = new MllpClient("127.0.0.1", port, 5_000, ackTimeoutMs);
            client.connect();
        }
        try {
            return AckSummary.parse(client.send(message)).code();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
