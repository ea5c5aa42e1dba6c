package org.ilinks.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The shipped practices, pointed at the demo's SFTP server. The shipped practice files name each practice's real
 * server and the keys an installation makes for it; the demo writes a copy of each into its own data dir with only
 * the connection changed (the demo server's address and port, a login of the practice's own, the engine key and
 * known_hosts made for the demo) and quicker polling, and runs the engine on those copies
 * ({@code ilinks.extract.practices-dir}). Folders, patterns, what is done after processing and the file format are
 * the shipped file's, so the demo shows the shipped configuration at work.
 */
public final class DemoPractices implements AutoCloseable {

    /** How often the demo polls and how long a file must stand still, in ms: seconds rather than a minute. */
    private static final long DEMO_POLL_MS = 1000;
    private static final long DEMO_STABLE_MS = 1000;

    /** A shipped practice as the demo runs it. */
    public record Practice(String ods, String user, String folder, String doneFolder, String failedFolder,
                           String format) {
    }

    private final DemoSftpServer server;
    private final Path practicesDir;
    private final List<Practice> practices;

    private DemoPractices(DemoSftpServer server, Path practicesDir, List<Practice> practices) {
        this.server = server;
        this.practicesDir = practicesDir;
        this.practices = practices;
    }

    /**
     * Starts the demo SFTP server under {@code demoData/sftp} and writes the demo's practice files into
     * {@code demoData/practices}. A shipped file the demo cannot read as a practice is copied unchanged, so that the
     * engine reports its problems as it would for the shipped file.
     */
    public static DemoPractices prepare(Path shippedDir, Path demoData) throws IOException {
        Path practicesDir = Files.createDirectories(demoData.resolve("practices"));
        Map<Path, Map<String, Object>> readable = new LinkedHashMap<>();
        for (Path file : practiceFiles(shippedDir)) {
            Map<String, Object> practice = readPractice(file);
            if (practice == null) {
                Files.copy(file, practicesDir.resolve(file.getFileName()));
            } else {
                readable.put(file, practice);
            }
        }
        List<String> users = readable.values().stream().map(DemoPractices::user).toList();
        DemoSftpServer server = DemoSftpServer.start(demoData.resolve("sftp"), users);
        List<Practice> practices = new ArrayList<>();
        try {
            for (Map.Entry<Path, Map<String, Object>> e : readable.entrySet()) {
                Map<String, Object> practice = e.getValue();
                @SuppressWarnings("unchecked")
                Map<String, Object> sftp = (Map<String, Object>) practice.get("sftp");
                sftp.keySet().removeAll(List.of("passphraseFile", "passphraseEnv"));
                sftp.put("host", server.host());
                sftp.put("port", server.port());
                sftp.put("user", user(practice));
                sftp.put("privateKeyFile", server.privateKey().toAbsolutePath().toString());
                sftp.put("knownHostsFile", server.knownHosts().toAbsolutePath().toString());
                sftp.put("pollIntervalMs", DEMO_POLL_MS);
                sftp.put("stableForMs", DEMO_STABLE_MS);
                Files.writeString(practicesDir.resolve(e.getKey().getFileName()), "# Written by the demo from "
                        + e.getKey() + ": only the connection (the demo's SFTP server) and the polling differ.\n"
                        + new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
                                .dumpToString(practice));
                practices.add(practice(practice));
            }
        } catch (IOException | RuntimeException ex) {
            server.close();
            throw ex;
        }
        return new DemoPractices(server, practicesDir, List.copyOf(practices));
    }

    private static List<Path> practiceFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".yaml")
                    || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** The practice file as plain maps, or null when it is not one the demo can point elsewhere. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> readPractice(Path file) throws IOException {
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            if (doc instanceof Map<?, ?> map && map.get("ods") instanceof String
                    && map.get("sftp") instanceof Map<?, ?> sftp && sftp.get("folder") instanceof String) {
                return new LinkedHashMap<>((Map<String, Object>) map);
            }
        } catch (YamlEngineException e) {
            // copied as it is: the engine reports the problem with its line
        }
        return null;
    }

    /** Each practice logs in to the demo server as its ODS code, in lower case: its own folder. */
    private static String user(Map<String, Object> practice) {
        return ((String) practice.get("ods")).strip().toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Practice practice(Map<String, Object> practice) {
        Map<String, Object> sftp = (Map<String, Object>) practice.get("sftp");
        Object after = practice.get("afterProcessing");
        String done = after instanceof Map<?, ?> a && a.get("move") != null ? a.get("move").toString() : null;
        Object format = practice.get("format");
        String type = format instanceof Map<?, ?> f && f.get("type") != null ? f.get("type").toString() : "";
        return new Practice(((String) practice.get("ods")).strip(), user(practice), sftp.get("folder").toString(),
                done, String.valueOf(practice.get("failedFolder")), type);
    }

    /** The folder of demo practice files, for {@code ilinks.extract.practices-dir}. */
    public Path practicesDir() {
        return practicesDir;
    }

    public List<Practice> practices() {
        return practices;
    }

    public DemoSftpServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
