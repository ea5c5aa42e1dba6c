package org.ilinks.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.ilinks.support.SftpKeys;
import org.ilinks.support.SftpServer;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.TestEngine;

/**
 * A practice's SFTP server for a test (embedded MINA SSHD) and the practice file of an engine pointing at it: the
 * engine's key is authorised on the server, the server's host key is in the engine's known_hosts, files are polled
 * from {@code outbox/}, moved to {@code done/} or {@code failed/}.
 */
final class PracticeServer implements AutoCloseable {

    static final String ODS = "N81013";

    private final SftpServer server;
    private final SftpKeys keys;
    private final Path hostKey;

    private PracticeServer(SftpServer server, SftpKeys keys, Path hostKey) {
        this.server = server;
        this.keys = keys;
        this.hostKey = hostKey;
    }

    /** A server under {@code dir} (its files in {@code dir/root}), and a key pair for the engines in {@code dir}. */
    static PracticeServer start(Path dir) throws IOException {
        Files.createDirectories(dir);
        SftpKeys keys = SftpKeys.generate(dir, "engine-key");
        Path hostKey = dir.resolve("host.key");
        SftpServer server = SftpServer.start(dir.resolve("root"), keys.publicKey(), hostKey);
        Files.createDirectories(server.root().resolve("outbox"));
        return new PracticeServer(server, keys, hostKey);
    }

    /** Writes the practice file (and its key and known_hosts) into the engine's config. */
    TestEngine configure(TestEngine engine, String afterProcessing) {
        return configure(engine, afterProcessing, "*.hl7", "  type: hl7\n");
    }

    /** As {@link #configure(TestEngine, String)}, with the file pattern and the lines of the format block. */
    TestEngine configure(TestEngine engine, String afterProcessing, String pattern, String format) {
        try {
            Path keysDir = Files.createDirectories(engine.configDir().resolve("practice-keys"));
            Files.copy(keys.privateKey(), keysDir.resolve("engine-key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SftpKeys.knownHosts(keysDir.resolve("known_hosts"), server.knownHostsLine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return engine.practice(ODS, "ods: " + ODS + "\ndescription: Test practice\nsftp:\n  host: 127.0.0.1\n"
                + "  port: " + server.port() + "\n  user: n81013\n  privateKeyFile: practice-keys/engine-key\n"
                + "  knownHostsFile: practice-keys/known_hosts\n  folder: outbox\n  pattern: \"" + pattern + "\"\n"
                + "  pollIntervalMs: 200\n  stableForMs: 300\nafterProcessing:\n" + afterProcessing
                + "failedFolder: failed\nformat:\n" + format);
    }

    TestEngine configure(TestEngine engine) {
        return configure(engine, "  move: done\n");
    }

    SftpServer server() {
        return server;
    }

    Path root() {
        return server.root();
    }

    Path hostKeyFile() {
        return hostKey;
    }

    /** Puts a file in the outbox as a supplier would (written aside, then renamed in). */
    Path drop(String name, byte[] content) throws IOException {
        Path aside = server.root().resolve("." + name + ".tmp");
        Files.write(aside, content);
        return Files.move(aside, server.root().resolve("outbox").resolve(name));
    }

    /** Made-up ADT^A08 records, MSH-10 {@code <run>-P<n>-S1}, one per patient. */
    static List<byte[]> records(String run, int count) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(SequencedMessages.message(run, i, 1));
        }
        return records;
    }

    /** An HL7 batch file: FHS, BHS, the messages, BTS declaring {@code declared} messages, FTS declaring 1 batch. */
    static byte[] batch(List<byte[]> messages, int declared) {
        StringBuilder out = new StringBuilder("FHS|^~\\&|PRACSYS|" + ODS + "|ILINKS|NMERSEY|20261126120000\r"
                + "BHS|^~\\&|PRACSYS|" + ODS + "|ILINKS|NMERSEY|20261126120000\r");
        for (byte[] m : messages) {
            out.append(new String(m, StandardCharsets.ISO_8859_1));
        }
        out.append("BTS|").append(declared).append("\rFTS|1\r");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A plain multi-message file, LF line ends. */
    static byte[] plain(List<byte[]> messages) {
        StringBuilder out = new StringBuilder();
        for (byte[] m : messages) {
            out.append(new String(m, StandardCharsets.ISO_8859_1).replace('\r', '\n'));
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The claim rows of the practice: "name state total/queued/parked". */
    static List<String> claims(DataSource db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT file_name, state, records_total, records_queued, "
                     + "records_parked, claimed_by FROM extract_file ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + "/" + rs.getInt(4) + "/"
                        + rs.getInt(5));
            }
        }
        return rows;
    }

    /** The details of the audit events of a type, in order. */
    static List<String> auditDetails(DataSource db, String type) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT detail FROM audit_event WHERE type = ? ORDER BY seq")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    /** Files in a folder of the engine's output (delivered copies), or none. */
    static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".hl7")).sorted().toList();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
