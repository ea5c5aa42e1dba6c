package org.ilinks.mllp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * A small blocking MLLP client: sends one framed message at a time over a plain socket and waits for
 * the framed reply.
 *
 * <p>The connection is opened by {@link #connect()} or by the first {@link #send(byte[])}, and reused
 * for later messages. After any failure the connection is closed, because a late reply could
 * otherwise be taken as the answer to the next message; the next {@code send} opens a new one.
 *
 * <p>Not thread-safe: use one client per thread. Exception messages never contain message content.
 */
public final class MllpClient implements AutoCloseable {

    static final int START_BLOCK = 0x0B;
    static final int END_BLOCK = 0x1C;
    static final int CARRIAGE_RETURN = 0x0D;

    /** Replies bigger than this are refused, so a broken peer cannot exhaust memory. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    private Socket socket;
    private FrameInput in;
    private OutputStream out;

    public MllpClient(String host, int port, int connectTimeoutMs, int readTimeoutMs) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        if (connectTimeoutMs < 0 || readTimeoutMs < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
        this.host = host;
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** Opens the connection now, if it is not open yet. */
    public void connect() throws IOException {
        if (isConnected()) {
            return;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
        } catch (UnknownHostException e) {
            closeQuietly(s);
            throw new IOException("unknown host " + host, e);
        } catch (ConnectException e) {
            closeQuietly(s);
            throw new IOException("connection refused by " + target(), e);
        } catch (SocketTimeoutException e) {
            closeQuietly(s);
            throw new IOException("could not connect to " + target() + " within " + connectTimeoutMs + " ms", e);
        } catch (IOException e) {
            closeQuietly(s);
            throw new IOException("could not connect to " + target() + ": " + e.getClass().getSimpleName(), e);
        }
        socket = s;
        in = new FrameInput(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream());
    }

    /** True while a connection is open (it may still have been closed by the peer unnoticed). */
    public boolean isConnected() {
        return socket != null && !socket.isClosed();
    }

    /**
     * Sends one message and returns the payload of the reply, without its framing.
     *
     * @throws IOException when the connection cannot be made, is lost, or no reply arrives within the read timeout
     */
    public byte[] send(byte[] message) throws IOException {
        connect();
        try {
            writeFrame(out, message);
        } catch (IOException e) {
            close();
            throw new IOException("connection to " + target() + " lost while sending", e);
        }
        try {
            return readReply();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private byte[] readReply() throws IOException {
        long deadline = System.nanoTime() + readTimeoutMs * 1_000_000L;
        byte[] reply;
        try {
            reply = readFrame(in, () -> {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (readTimeoutMs > 0 && remainingMs <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout(readTimeoutMs == 0 ? 0 : (int) Math.max(1, remainingMs));
            });
        } catch (SocketTimeoutException e) {
            throw new IOException("no ACK from " + target() + " within " + readTimeoutMs + " ms", e);
        } catch (EOFException e) {
            throw new IOException("connection closed by " + target() + " in the middle of an ACK", e);
        } catch (FrameTooLargeException e) {
            throw new IOException("reply from " + target() + " is larger than " + MAX_FRAME_BYTES + " bytes", e);
        } catch (IOException e) {
            throw new IOException("connection to " + target() + " lost while waiting for an ACK: "
                    + e.getClass().getSimpleName(), e);
        }
        if (reply == null) {
            throw new IOException("connection closed by " + target() + " before an ACK arrived");
        }
        return reply;
    }

    @Override
    public void close() {
        if (socket != null) {
            closeQuietly(socket);
        }
        socket = null;
        in = null;
        out = null;
    }

    private String target() {
        return host + ":" + port;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Nothing useful can be done about a failing close.
        }
    }

    /** Called before every blocking read, e.g. to shrink the socket timeout towards a deadline. */
    @FunctionalInterface
    interface BeforeRead {
        void run() throws IOException;
    }

    /** A buffered socket stream that says whether the next read will be served from its buffer. */
    static final class FrameInput extends BufferedInputStream {
        FrameInput(InputStream in) {
            super(in, 8192);
        }

        synchronized boolean hasBufferedBytes() {
            return pos < count;
        }
    }

    /** Thrown by {@link #readFrame} when a frame exceeds {@link #MAX_FRAME_BYTES}. */
    static final class FrameTooLargeException extends IOException {
        FrameTooLargeException() {
            super("MLLP frame larger than " + MAX_FRAME_BYTES + " bytes");
        }
    }

    /** Writes {@code 0x0B payload 0x1C 0x0D} and flushes. Shared with {@link MllpReceiver}. */
    static void writeFrame(OutputStream out, byte[] payload) throws IOException {
        out.write(START_BLOCK);
        out.write(payload);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
    }

    /**
     * Reads the next frame and returns its payload. Bytes before a start block are ignored, since some
     * peers send stray newlines between frames. A lone 0x1C not followed by 0x0D is kept as data.
     *
     * @return the payload, or null when the stream ended cleanly before a frame began
     * @throws EOFException when the stream ended inside a frame
     */
    static byte[] readFrame(FrameInput in, BeforeRead beforeRead) throws IOException {
        int b;
        do {
            b = readByte(in, beforeRead);
            if (b == -1) {
                return null;
            }
        } while (b != START_BLOCK);
        ByteArrayOutputStream payload = new ByteArrayOutputStream(1024);
        boolean afterEndBlock = false;
        while (true) {
            b = readByte(in, beforeRead);
            if (b == -1) {
                if (afterEndBlock) {
                    return payload.toByteArray();
                }
                throw new EOFException("stream ended inside an MLLP frame");
            }
            if (afterEndBlock) {
                if (b == CARRIAGE_RETURN) {
                    return payload.toByteArray();
                }
                payload.write(END_BLOCK);
                afterEndBlock = false;
            }
            if (b == END_BLOCK) {
                afterEndBlock = true;
                continue;
            }
            if (payload.size() >= MAX_FRAME_BYTES) {
                throw new FrameTooLargeException();
            }
            payload.write(b);
        }
    }

    private static int readByte(FrameInput in, BeforeRead beforeRead) throws IOException {
        // Only a read that goes to the socket can block, so only then is the timeout brought up to date.
        if (!in.hasBufferedBytes()) {
            beforeRead.run();
        }
        return in.read();
    }
}
