package org.ilinks.mllp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MllpClient against MllpReceiver over real loopback sockets. */
class MllpClientReceiverTest {

    private static final String HOST = "127.0.0.1";

    private MllpReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new MllpReceiver(HOST, 0);
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop();
    }

    @Test
    void roundTripGivesAnAaAckForTheMessage() throws IOException {
        byte[] message = message("H1RT0001", "9434765919");

        byte[] reply;
        try (MllpClient client = client(5000)) {
            reply = client.send(message);
        }

        AckSummary ack = AckSummary.parse(reply);
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo("H1RT0001");
        String msh = new String(reply, ISO_8859_1).split("\r")[0];
        // Sender and receiver swapped, same delimiters, processing ID and version.
        assertThat(msh).startsWith("MSH|^~\\&|RECVAPP|RECVFAC|SENDAPP|SENDFAC|").endsWith("|P|2.4");
        assertThat(receiver.received()).singleElement().isEqualTo(message);
    }

    @Test
    void receiverRecordsTheExactBytes() throws IOException {
        // ISO-8859-1 name bytes, a lone 0x1C inside the payload and an LF that must not be touched.
        byte[] message = ("MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250101120000||ADT^A01|H1EX0001|P|2.4\r"
                + "PID|1||9434765870^^^NHS^NH||M\u00dcLLER^REN\u00c9E\u001cX\nNTE|1\r").getBytes(ISO_8859_1);

        try (MllpClient client = client(5000)) {
            assertThat(AckSummary.parse(client.send(message)).code()).isEqualTo("AA");
        }

        assertThat(receiver.received()).singleElement().isEqualTo(message);
        assertThat(receiver.count()).isEqualTo(1);
    }

    @Test
    void manyMessagesOnOneConnection() throws IOException {
        try (MllpClient client = client(5000)) {
            for (int i = 0; i < 50; i++) {
                String controlId = "H1MANY" + i;
                AckSummary ack = AckSummary.parse(client.send(message(controlId, "9876543210")));
                assertThat(ack.controlId()).isEqualTo(controlId);
                assertThat(ack.code()).isEqualTo("AA");
            }
        }

        assertThat(receiver.count()).isEqualTo(50);
        assertThat(receiver.connectionCount()).isEqualTo(1);
    }

    @Test
    void severalConnectionsAtOnce() throws Exception {
        int connections = 6;
        int perConnection = 20;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        CountDownLatch allConnected = new CountDownLatch(connections);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                results.add(pool.submit(() -> {
                    int accepted = 0;
                    try (MllpClient client = client(10000)) {
                        client.connect();
                        allConnected.countDown();
                        // All connections are open before any sends, so the receiver really serves them together.
                        allConnected.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < perConnection; i++) {
                            String controlId = "H1C" + connection + "M" + i;
                            AckSummary ack = AckSummary.parse(client.send(message(controlId, "9434765919")));
                            if (ack.accepted() && ack.controlId().equals(controlId)) {
                                accepted++;
                            }
                        }
                    }
                    return accepted;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(perConnection);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(receiver.count()).isEqualTo(connections * perConnection);
        assertThat(receiver.connectionCount()).isEqualTo(connections);
    }

    @Test
    void receiverCanAnswerAeOrAr() throws IOException {
        try (MllpClient client = client(5000)) {
            receiver.respondWith(payload -> "AE");
            AckSummary error = AckSummary.parse(client.send(message("H1AE0001", "9434765919")));
            receiver.respondWith(payload -> "AR");
            AckSummary reject = AckSummary.parse(client.send(message("H1AR0001", "9434765919")));

            assertThat(error.code()).isEqualTo("AE");
            assertThat(error.controlId()).isEqualTo("H1AE0001");
            assertThat(error.text()).isEqualTo("Answered AE by the test receiver");
            assertThat(reject.code()).isEqualTo("AR");
        }
    }

    @Test
    void noAckMakesTheClientTimeOutWithAClearMessage() throws IOException {
        receiver.respondWith(payload -> null);

        try (MllpClient client = client(300)) {
            assertThatThrownBy(() -> client.send(message("H1NOACK1", "9434765919")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("no ACK from " + HOST + ":" + receiver.port() + " within 300 ms")
                    .message().doesNotContain("9434765919").doesNotContain("H1NOACK1");
            assertThat(client.isConnected()).isFalse();

            // After a failure the client reconnects by itself, so a late reply cannot be mistaken for the next ACK.
            receiver.respondWith(null);
            assertThat(AckSummary.parse(client.send(message("H1NOACK2", "9434765919"))).controlId())
                    .isEqualTo("H1NOACK2");
        }
        assertThat(receiver.count()).isEqualTo(2);
        assertThat(receiver.connectionCount()).isEqualTo(2);
    }

    @Test
    void receiverClosingTheConnectionIsAClearError() throws IOException {
        receiver.respondWith(payload -> MllpReceiver.CLOSE_CONNECTION);

        try (MllpClient client = client(5000)) {
            assertThatThrownBy(() -> client.send(message("H1CLOSE1", "9434765919")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("connection closed by " + HOST + ":" + receiver.port() + " before an ACK arrived");
        }
        assertThat(receiver.count()).isEqualTo(1);
    }

    @Test
    void connectionRefusedIsAClearError() throws IOException {
        MllpReceiver stopped = new MllpReceiver(HOST, 0);
        stopped.start();
        int port = stopped.port();
        stopped.stop();

        try (MllpClient client = new MllpClient(HOST, port, 2000, 2000)) {
            assertThatThrownBy(() -> client.send(message("H1REF001", "9434765919")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("connection refused by " + HOST + ":" + port);
        }
    }

    @Test
    void receiverSurvivesGarbageAndKeepsServing() throws IOException {
        try (Socket socket = new Socket(HOST, receiver.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            MllpClient.FrameInput in = new MllpClient.FrameInput(socket.getInputStream());

            // Bytes outside any frame are ignored; a framed non-HL7 payload is recorded and rejected.
            out.write("\r\n\0\u00ffjunk".getBytes(ISO_8859_1));
            out.write(frame("not hl7 at all".getBytes(ISO_8859_1)));
            out.flush();
            AckSummary reject = AckSummary.parse(readFrame(in));

            out.write(frame(message("H1GARB01", "9434765919")));
            out.flush();
            AckSummary accept = AckSummary.parse(readFrame(in));

            assertThat(reject.code()).isEqualTo("AR");
            assertThat(reject.controlId()).isEmpty();
            assertThat(accept.code()).isEqualTo("AA");
            assertThat(accept.controlId()).isEqualTo("H1GARB01");
        }
        assertThat(receiver.received()).extracting(b -> new String(b, ISO_8859_1))
                .first().isEqualTo("not hl7 at all");
    }

    @Test
    void aFailingChooserAndAHalfFrameDoNotStopTheReceiver() throws IOException {
        receiver.respondWith(payload -> {
            throw new IllegalStateException("test chooser fails");
        });
        try (MllpClient client = client(5000)) {
            assertThat(AckSummary.parse(client.send(message("H1FAIL01", "9434765919"))).code()).isEqualTo("AE");
        }
        try (Socket socket = new Socket(HOST, receiver.port())) {
            socket.getOutputStream().write(new byte[] {0x0B, 'M', 'S', 'H'});
        }
        receiver.respondWith(null);

        try (MllpClient client = client(5000)) {
            assertThat(AckSummary.parse(client.send(message("H1FAIL02", "9434765919"))).code()).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.connectionCount() == 3);
        assertThat(receiver.count()).isEqualTo(2);
    }

    @Test
    void stopClosesOpenConnections() throws IOException {
        try (MllpClient client = client(5000)) {
            client.send(message("H1STOP01", "9434765919"));
            receiver.stop();

            assertThatThrownBy(() -> client.send(message("H1STOP02", "9434765919")))
                    .isInstanceOf(IOException.class);
        }
    }

    private MllpClient client(int readTimeoutMs) {
        return new MllpClient(HOST, receiver.port(), 2000, readTimeoutMs);
    }

    static byte[] message(String controlId, String nhsNumber) {
        return ("MSH|^~\\&|SENDAPP|SENDFAC|RECVAPP|RECVFAC|20250101120000||ADT^A01^ADT_A01|" + controlId + "|P|2.4\r"
                + "EVN|A01|20250101120000\r"
                + "PID|1||" + nhsNumber + "^^^NHS^NH||TESTPATIENT^ALICE||19800101|F\r"
                + "PV1|1|I|WARD1^BED1\r").getBytes(ISO_8859_1);
    }

    private static byte[] frame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0B);
        out.writeBytes(payload);
        out.write(0x1C);
        out.write(0x0D);
        return out.toByteArray();
    }

    private static byte[] readFrame(MllpClient.FrameInput in) throws IOException {
        byte[] payload = MllpClient.readFrame(in, () -> { });
        assertThat(payload).as("a framed reply").isNotNull();
        return payload;
    }
}
