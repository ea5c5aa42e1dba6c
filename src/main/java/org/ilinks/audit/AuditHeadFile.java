package org.ilinks.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The head of the audit chain kept outside the database: an append-only text file with one line {@code seq hash}
 * per append. Deleting the newest rows of the table (and rewriting audit_chain to match) cannot also take back what
 * was written here, so {@link AuditVerifier} finds it. Each line is forced to disk before {@link #append} returns.
 */
public final class AuditHeadFile {

    private static final Pattern LINE = Pattern.compile("(\\d{1,19}) ([0-9a-f]{64})");
    /** Far more than one line: enough to find the last complete one even after a torn write. */
    private static final int TAIL = 4096;

    private final Path file;
    private final Object lock = new Object();
    private long lastWritten = -1;

    public AuditHeadFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /**
     * Appends {@code seq hash} and forces it to disk. Appenders in one process can finish their transactions in one
     * order and get here in another; a head older than one already written adds nothing, so it is skipped.
     */
    public void append(ChainHead head) {
        synchronized (lock) {
            if (head.seq() <= lastWritten) {
                return;
            }
            byte[] line = (head.seq() + " " + head.hash() + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(false);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the audit head file " + file, e);
            }
            lastWritten = head.seq();
        }
    }

    /**
     * The last complete line, or empty when the file does not exist or has none. A line cut short by a crash (no
     * line feed yet) is ignored.
     */
    public Optional<ChainHead> last() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, TAIL);
            byte[] tail = new byte[size];
            raf.seek(length - size);
            raf.readFully(tail);
            String text = new String(tail, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf('\n');
            while (end >= 0) {
                int start = text.lastIndexOf('\n', end - 1) + 1;
                if (start == 0 && size < length) {
                    // The tail began inside this line: what is left of it is not a whole line.
                    return Optional.empty();
                }
                var m = LINE.matcher(text.substring(start, end));
                if (m.matches()) {
                    return Optional.of(new ChainHead(Long.parseLong(m.group(1)), m.group(2)));
                }
                end = start - 1;
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit head file " + file, e);
        }
    }
}
