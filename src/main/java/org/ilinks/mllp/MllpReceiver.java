package org.ilinks.mllp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ilinks.hl7.AckBuilder;
import org.ilinks.hl7.Hl7Inspector;
import org.ilinks.hl7.Inspection;
import org.ilinks.hl7.MessageHeader;

/**
 * A small MLLP server that stands in for a receiving system in demos and tests.
 *
 * <p>Accepts any number of connections, one platform thread each. Every framed message is recorded
 * byte-for-byte and answered with a minimal ACK (sender and receiver swapped, same version,
 * {@code MSA|<code>|<MSH-10>}). The code comes from a pluggable chooser; by default AA for anything
 * that starts with {@code MSH} and AR for anything else. The chooser may also return {@code null}
 * (send no ACK) or {@link #CLOSE_CONNECTION}.
 *
 * <p>Garbage between frames is ignored; an oversized frame or a failing chooser drops only that
 * connection. Logs never contain message content.
 */
public final class MllpReceiver implements AutoCloseable {

    private static final Hl7Inspector INSPECTOR =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);

    /** Returned by the ACK-code chooser to make the receiver close the connection instead of answering. */
    public static final String CLOSE_CONNECTION = "CLOSE_CONNECTION";

    private static final Logger LOG = LoggerFactory.getLogger(MllpReceiver.class);
    private static final Function<byte[], String> DEFAULT_CHOOSER =
            payload -> startsWithMsh(payload) ? "AA" : "AR";

    private final String host;
    private final int requestedPort;
    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCounter = new AtomicInteger();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();

    private volatile Function<byte[], String> ackCodeChooser = DEFAULT_CHOOSER;
    private volatile boolean running;
    private ServerSocket server;
    private ExecutorService workers;
    private Thread acceptor;

    /**
     * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port the port to bind; 0 picks a free one, see {@link #port()}
     */
    public MllpReceiver(String host, int port) {
        this.host = host;
        this.requestedPort = port;
    }

    /** Binds the port and starts accepting connections. */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(host, requestedPort));
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        server = s;
        workers = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, "mllp-receiver-" + s.getLocalPort() + "-conn-"
                    + connectionCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        acceptor = new Thread(this::acceptLoop, "mllp-receiver-" + s.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("MLLP receiver listening on {}:{}", host, s.getLocalPort());
    }

    /** The bound port; only meaningful after {@link #start()}. */
    public int port() {
        ServerSocket s = server;
        return s == null ? requestedPort : s.getLocalPort();
    }

    /** Stops accepting, closes every open connection and waits briefly for their threads. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the listening socket failed: {}", e.getClass().getSimpleName());
        }
        for (Socket socket : connections) {
            closeQuietly(socket);
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("MLLP receiver on port {} stopped", server.getLocalPort());
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Sets how each message is answered: the function returns the MSA-1 code (AA, AE, AR, CA...),
     * {@code null} to send no ACK, or {@link #CLOSE_CONNECTION}. {@code null} restores the default.
     */
    public void respondWith(Function<byte[], String> ackCodeChooser) {
        this.ackCodeChooser = ackCodeChooser == null ? DEFAULT_CHOOSER : ackCodeChooser;
    }

    /** A snapshot of every payload received so far, in arrival order, exactly as framed by the sender. */
    public List<byte[]> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many messages have been received so far. */
    public int count() {
        return received.size();
    }

    /** How many connections have been accepted since {@link #start()}. */
    public int connectionCount() {
        return connectionsAccepted.get();
    }

    /** Forgets the messages received so far. */
    public void clearReceived() {
        received.clear();
    }

    private void acceptLoop() {
        while (running) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("accepting a connection failed: {}", e.getClass().getSimpleName());
                }
                continue;
            }
            connections.add(socket);
            connectionsAccepted.incrementAndGet();
            try {
                workers.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                // Rejected because stop() is shutting the pool down.
                connections.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        LOG.debug("connection from {}", peer);
        try (socket) {
            MllpClient.FrameInput in = new MllpClient.FrameInput(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (running) {
                byte[] payload = MllpClient.readFrame(in, () -> { });
                if (payload == null) {
                    break;
                }
                received.add(payload);
                LOG.debug("received a frame of {} bytes from {}", payload.length, peer);
                String code = chooseCode(payload);
                if (code == null) {
                    continue;
                }
                if (CLOSE_CONNECTION.equals(code)) {
                    LOG.debug("closing the connection from {} instead of answering", peer);
                    break;
                }
                MllpClient.writeFrame(out, ack(payload, code));
            }
        } catch (MllpClient.FrameTooLargeException e) {
            LOG.warn("dropping the connection from {}: frame larger than {} bytes", peer, MllpClient.MAX_FRAME_BYTES);
        } catch (EOFException e) {
            LOG.debug("connection from {} ended inside a frame", peer);
        } catch (IOException e) {
            if (running) {
                LOG.debug("connection from {} failed: {}", peer, e.getClass().getSimpleName());
            }
        } finally {
            connections.remove(socket);
        }
    }

    private String chooseCode(byte[] payload) {
        try {
            return ackCodeChooser.apply(payload);
        } catch (RuntimeException e) {
            LOG.warn("the ACK-code chooser failed ({}); answering AE", e.getClass().getSimpleName());
            return "AE";
        }
    }

    /**
     * Builds the ACK for a message with the engine's own ACK builder, answering as the application the message was
     * addressed to (MSH-5/MSH-6), with the message's delimiters and version, and a short MSA-3 text for codes other
     * than AA and CA. Works on any bytes: a payload without MSH gets default delimiters and an empty MSA-2.
     */
    public byte[] ack(byte[] message, String code) {
        Inspection inspection = INSPECTOR.inspect(message);
        MessageHeader header = inspection.header();
        String text = "AA".equals(code) || "CA".equals(code) ? "" : "Answered " + code + " by the test receiver";
        return new AckBuilder(header.receivingApplication(), header.receivingFacility())
                .build(header, code, text, null).getBytes(inspection.charset());
    }

    private static boolean startsWithMsh(byte[] payload) {
        return payload.length >= 4 && payload[0] == 'M' && payload[1] == 'S' && payload[2] == 'H';
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing useful can be done about a failing close.
        }
    }
}
