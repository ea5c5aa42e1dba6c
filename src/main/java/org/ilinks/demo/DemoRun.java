package org.ilinks.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.MllpEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.engine.Engine;
import org.ilinks.engine.QueueCounts;
import org.ilinks.extract.csv.CsvExtracts;
import org.ilinks.extract.csv.CsvMapping;
import org.ilinks.hl7.Hl7FileReader;
import org.ilinks.audit.PersonActions;
import org.ilinks.governance.Governor;
import org.ilinks.governance.Outcome;
import org.ilinks.governance.PatientFacts;
import org.ilinks.governance.ServiceOutcome;
import org.ilinks.governance.consent.ConsentChange;
import org.ilinks.governance.consent.ConsentCsvImporter;
import org.ilinks.governance.consent.ConsentDirective;
import org.ilinks.governance.consent.ConsentImportReport;
import org.ilinks.governance.consent.ConsentRegistry;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;

/**
 * The demo: the engine on its embedded defaults with the shipped config and routes, a stand-in receiver for each
 * service that delivers over MLLP to this machine, the sample consent directives recorded, and every sample sent
 * through the engine's own MLLP port. It then checks that each service received exactly what governance says it
 * should: the copies sent delivered, the withheld ones recorded as withheld, the held ones on the held queue.
 * The shipped practices are pointed at the demo's own SFTP server ({@link DemoPractices}); each practice's sample files
 * ({@code samples/practices/<ODS>/}) are put on it for the engine to pull, and the check also wants every such file
 * processed in full and moved off the practice's folder.
 */
public final class DemoRun implements AutoCloseable {

    /** Consent directives the demo records before sending the samples, if the samples folder has them. */
    public static final String CONSENT_FILE = "consent-demo.csv";

    private final Settings settings;
    private final Path samplesDir;
    private final PrintWriter out;
    private final List<MllpReceiver> receivers = new ArrayList<>();
    private final Map<String, MllpReceiver> receiverByService = new LinkedHashMap<>();
    private final DemoPractices practices;
    private final List<PracticeFile> practiceFiles = new ArrayList<>();
    private Engine engine;

    /**
     * A sample file put on the demo SFTP server for a practice; for a delimited extract, how many rows each service
     * should get in its file (by the engine's own rules, worked out before the file was put there).
     */
    private record PracticeFile(DemoPractices.Practice practice, String name, String sha256,
                                Map<String, Integer> extractRows) {
    }

    /**
     * @param practices the shipped practices pointed at the demo's SFTP server; {@code settings} must read their
     *                  files ({@code ilinks.extract.practices-dir})
     */
    public DemoRun(Settings settings, Path samplesDir, DemoPractices practices, PrintWriter out) {
        this.settings = settings;
        this.samplesDir = samplesDir;
        this.practices = practices;
        this.out = out;
    }

    /**
     * Creates each pseudonymisation key file a profile names and that does not exist yet, so the demo runs on a fresh
     * clone. Real deployments create and guard their keys themselves (config/profiles/keys/README.md): the engine
     * never does this on {@code run}.
     */
    public static List<Path> createMissingDemoKeys(Path profilesDir, PrintWriter out) throws IOException {
        List<Path> created = new ArrayList<>();
        if (!Files.isDirectory(profilesDir)) {
            return created;
        }
        java.util.regex.Pattern keyFile = java.util.regex.Pattern.compile("(?m)^\\s*keyFile:\\s*([^#\\s]+)");
        try (Stream<Path> profiles = Files.list(profilesDir)) {
            for (Path profile : profiles.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                java.util.regex.Matcher m = keyFile.matcher(Files.readString(profile));
                while (m.find()) {
                    Path key = profilesDir.resolve(m.group(1).replace("\"", "").replace("'", "")).normalize();
                    if (!Files.exists(key)) {
                        Files.createDirectories(key.getParent());
                        byte[] secret = new byte[32];
                        new java.security.SecureRandom().nextBytes(secret);
                        Files.writeString(key, java.util.HexFormat.of().formatHex(secret) + "\n");
                        created.add(key);
                        out.printf("Created a demo pseudonymisation key at %s (keep it secret; see %s)%n", key,
                                profilesDir.resolve("keys/README.md"));
                    }
                }
            }
        }
        return created;
    }

    /** Wipes the demo's own data dir, so every demo starts from nothing. */
    public static void clearDataDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public void start() throws Exception {
        engine = Engine.start(settings);
        for (ServiceDefinition s : engine.services()) {
            if (s.endpoint() instanceof MllpEndpoint m && isThisMachine(m.host())) {
                MllpReceiver r = new MllpReceiver(m.host(), m.port());
                r.start();
                receivers.add(r);
                receiverByService.put(s.id(), r);
                out.printf("Started a stand-in MLLP receiver for %s on %s:%d%n", s.id(), m.host(), m.port());
            }
        }
        out.printf("Engine running: MLLP intake on port %s, data in %s%n",
                settings.get(Setting.INTAKE_PORT), settings.dataDir());
        DemoSftpServer sftp = practices.server();
        for (DemoPractices.Practice p : practices.practices()) {
            out.printf("Practice %s polls the demo SFTP server sftp://%s@%s:%d/%s (files in %s)%n", p.ods(), p.user(),
                    sftp.host(), sftp.port(), p.folder(), sftp.home(p.user()));
        }
        Path consent = samplesDir.resolve(CONSENT_FILE);
        if (Files.isRegularFile(consent)) {
            PersonActions.record(engine.dataSource(), settings, "demo", "consent import " + consent.getFileName()
                    + " (demo)", null, null, null, "demo");
            ConsentImportReport report = new ConsentCsvImporter(engine.dataSource()).importFile(consent, "demo",
                    Instant.now());
            out.printf("Consent registry: %s from %s%n", report.summary(), consent.getFileName());
        }
        out.flush();
    }

    private static boolean isThisMachine(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /**
     * What governance should decide for each service, counted over the samples: worked out before each message is
     * sent by the same rules the engine applies, with the registry as it stands and any consent code in the message.
     */
    public record Expected(Map<String, Integer> sent, Map<String, Integer> withheld, Map<String, Integer> held) {
    }

    /** Sends every sample; returns what each service should end up with. */
    public Expected sendSamples() throws IOException {
        Expected expected = new Expected(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        for (ServiceDefinition s : engine.services()) {
            expected.sent().put(s.id(), 0);
            expected.withheld().put(s.id(), 0);
            expected.held().put(s.id(), 0);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(samplesDir)) {
            files = list.filter(p -> p.toString().endsWith(".hl7")).sorted().toList();
        }
        Governor governor = engine.governor();
        ConsentRegistry registry = new ConsentRegistry(engine.dataSource());
        int port = settings.getInt(Setting.INTAKE_PORT);
        try (MllpClient client = new MllpClient("127.0.0.1", port, 5000, 30000)) {
            for (Path file : files) {
                Hl7FileReader.Hl7File read = Hl7FileReader.read(file);
                int n = 0;
                for (byte[] message : read.messages()) {
                    n++;
                    List<ServiceOutcome> outcomes = expectedOutcomes(governor, registry, message);
                    AckSummary ack = AckSummary.parse(client.send(message));
                    out.printf("sent %s #%d: %s %s%n", file.getFileName(), n, ack.code(), ack.text());
                    if (ack.accepted()) {
                        count(outcomes, expected);
                        describe(outcomes);
                    }
                }
            }
        }
        putPracticeFiles(governor, registry, expected);
        out.flush();
        return expected;
    }

    /**
     * Puts each practice's sample files on the demo SFTP server, where the engine's practice route finds them;
     * what each record should get is worked out first, as for a message sent over MLLP.
     */
    private void putPracticeFiles(Governor governor, ConsentRegistry registry, Expected expected) throws IOException {
        for (DemoPractices.Practice p : practices.practices()) {
            Path dir = samplesDir.resolve("practices").resolve(p.ods());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            for (Path file : files) {
                byte[] content = Files.readAllBytes(file);
                String name = file.getFileName().toString();
                if (p.format().equals("csv")) {
                    CsvMapping mapping = engine.extracts().practices().stream().filter(s -> s.ods().equals(p.ods()))
                            .findFirst().orElseThrow().format().csvMapping();
                    Map<String, Integer> rows = CsvExtracts.rowsPerService(p.ods(), content, mapping,
                            governor.config(), registry, Instant.now());
                    practices.server().upload(p.user(), p.folder(), file);
                    practiceFiles.add(new PracticeFile(p, name, sha256(content), rows));
                    out.printf("put %s on the SFTP server for practice %s (%s/): a delimited extract%n", name,
                            p.ods(), p.folder());
                    rows.forEach((service, n) -> out.printf("    %s gets %d row(s)%n", service, n));
                    continue;
                }
                Hl7FileReader.Hl7File read = Hl7FileReader.read(content);
                practices.server().upload(p.user(), p.folder(), file);
                practiceFiles.add(new PracticeFile(p, name, sha256(content), Map.of()));
                out.printf("put %s on the SFTP server for practice %s (%s/): %d message(s)%n", file.getFileName(),
                        p.ods(), p.folder(), read.messages().size());
                int n = 0;
                for (byte[] message : read.messages()) {
                    n++;
                    List<ServiceOutcome> outcomes = expectedOutcomes(governor, registry, message);
                    out.printf("  record #%d:%n", n);
                    count(outcomes, expected);
                    describe(outcomes);
                }
            }
        }
    }

    private static List<ServiceOutcome> expectedOutcomes(Governor governor, ConsentRegistry registry, byte[] message) {
        PatientFacts facts = governor.facts(message);
        List<ConsentDirective> directives = facts.nhsNumber() == null ? List.of()
                : ConsentChange.applyTo(registry.directivesFor(facts.nhsNumber()),
                        governor.consentChanges(message, "demo", Instant.now()));
        return governor.decide(message, facts, directives, Instant.now());
    }

    private static void count(List<ServiceOutcome> outcomes, Expected expected) {
        for (ServiceOutcome o : outcomes) {
            switch (o.outcome()) {
                case SEND -> expected.sent().merge(o.service().id(), 1, Integer::sum);
                case WITHHELD -> expected.withheld().merge(o.service().id(), 1, Integer::sum);
                case HELD -> expected.held().merge(o.service().id(), 1, Integer::sum);
                case NOT_SUBSCRIBED -> { }
            }
        }
    }

    /** One line per governance outcome other than "sent": why a service does not get the message. */
    private void describe(List<ServiceOutcome> outcomes) {
        List<String> sentTo = outcomes.stream().filter(o -> o.outcome() == Outcome.SEND)
                .map(o -> o.service().id()).toList();
        out.printf("    sent to: %s%n", sentTo.isEmpty() ? "no service" : String.join(", ", sentTo));
        for (ServiceOutcome o : outcomes) {
            if (o.outcome() == Outcome.WITHHELD || o.outcome() == Outcome.HELD) {
                out.printf("    %s %s: %s%n", o.outcome() == Outcome.HELD ? "held for" : "withheld from",
                        o.service().id(), o.reason());
            } else if (o.outcome() == Outcome.SEND && o.changes().stream().anyMatch(c -> c.contains("restricted"))) {
                out.printf("    %s gets it without the restricted data: %s%n", o.service().id(), String.join("; ",
                        o.changes().stream().filter(c -> c.contains("restricted")).toList()));
            }
        }
    }

    /** Waits until every service has what it should, or the timeout passes; prints the table; true if all match. */
    public boolean awaitDelivered(Expected expected, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!matches(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(500); // a moment more, to catch anything delivered twice
        Map<String, Integer> delivered = deliveredCounts();
        Map<String, Integer> held = heldCounts();
        Map<String, Integer> withheld = recordedWithheld();
        out.printf("%n%-26s %-6s %5s %9s %8s %5s %6s  %s%n", "service", "kind", "sent", "delivered", "withheld", "held",
                "parked", "where");
        for (ServiceDefinition s : engine.services()) {
            out.printf("%-26s %-6s %5d %9d %8d %5d %6d  %s%n", s.id(), s.endpoint().kind(),
                    expected.sent().getOrDefault(s.id(), 0), delivered.getOrDefault(s.id(), 0),
                    withheld.getOrDefault(s.id(), 0), held.getOrDefault(s.id(), 0),
                    QueueCounts.count(engine.connectionFactory(), s.parkedQueueName()), where(s));
        }
        boolean filesOk = practiceFilesTable();
        boolean ok = matches(expected) && filesOk;
        out.println(ok ? "\nEvery sample ended where the configuration says it should: delivered, withheld or held "
                + "exactly as governance decided." : "\nSome samples did not end where the configuration says they should.");
        out.flush();
        return ok;
    }

    private boolean matches(Expected expected) throws Exception {
        return deliveredCounts().equals(expected.sent()) && heldCounts().equals(expected.held())
                && recordedWithheld().equals(expected.withheld()) && practiceFilesFinished();
    }

    /** How the engine recorded one practice file (extract_file), or null while it has not claimed it. */
    private record FileRecord(String state, int total, int queued, int parked) {
    }

    private FileRecord fileRecord(PracticeFile f) throws java.sql.SQLException {
        try (Connection c = engine.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state, records_total, records_queued, records_parked "
                     + "FROM extract_file WHERE practice = ? AND file_name = ? ORDER BY id DESC")) {
            ps.setString(1, f.practice().ods());
            ps.setString(2, f.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new FileRecord(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)) : null;
            }
        }
    }

    /** Where the file is now on the practice's server, as the practice would look for it. */
    private String whereOnServer(PracticeFile f) {
        Path home = practices.server().home(f.practice().user());
        for (String folder : Arrays.asList(f.practice().folder(), f.practice().doneFolder(),
                f.practice().failedFolder())) {
            if (folder != null && Files.isRegularFile(home.resolve(folder).resolve(f.name()))) {
                return folder + "/";
            }
        }
        return "deleted";
    }

    /**
     * Every file taken in full (DONE) and off the practice's folder (moved to the done folder, or deleted), and each
     * service's file from an extract delivered with the rows it should have.
     */
    private boolean practiceFilesFinished() throws java.io.IOException, java.sql.SQLException {
        for (PracticeFile f : practiceFiles) {
            FileRecord r = fileRecord(f);
            String where = whereOnServer(f);
            boolean finished = f.practice().doneFolder() == null ? where.equals("deleted")
                    : where.equals(f.practice().doneFolder() + "/");
            if (r == null || !r.state().equals("DONE") || !finished) {
                return false;
            }
            for (Map.Entry<String, Integer> e : f.extractRows().entrySet()) {
                List<String> lines = extractDelivered(f, e.getKey());
                if (lines.isEmpty() || lines.size() - 1 != e.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The lines of a service's file from an extract, as its folder endpoint wrote it; empty while it has none. */
    private List<String> extractDelivered(PracticeFile f, String serviceId) throws java.io.IOException {
        ServiceDefinition s = engine.services().stream().filter(d -> d.id().equals(serviceId)).findFirst()
                .orElseThrow();
        if (!(s.endpoint() instanceof FolderEndpoint folder)) {
            return List.of(); // the shipped services taking extracts are folders; a queue's files are not looked at
        }
        Path file = folder.path().resolve(CsvExtracts.outputName(f.practice().ods(), f.name(), serviceId,
                f.sha256()));
        return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Prints each practice file as the engine recorded it; true if every one was taken in full and finished. */
    private boolean practiceFilesTable() throws java.io.IOException, java.sql.SQLException {
        if (practiceFiles.isEmpty()) {
            return true;
        }
        out.printf("%n%-8s %-40s %-8s %7s %6s %6s  %s%n", "practice", "file", "state", "records", "queued", "parked",
                "on the server");
        for (PracticeFile f : practiceFiles) {
            FileRecord r = fileRecord(f);
            out.printf("%-8s %-40s %-8s %7d %6d %6d  %s%n", f.practice().ods(), f.name(),
                    r == null ? "not taken" : r.state(), r == null ? 0 : r.total(), r == null ? 0 : r.queued(),
                    r == null ? 0 : r.parked(), whereOnServer(f));
        }
        boolean extracts = false;
        for (PracticeFile f : practiceFiles) {
            for (Map.Entry<String, Integer> e : f.extractRows().entrySet()) {
                if (!extracts) {
                    out.printf("%n%-26s %-40s %4s %9s  %s%n", "service", "extract", "rows", "delivered",
                            "columns it got");
                    extracts = true;
                }
                List<String> lines = extractDelivered(f, e.getKey());
                out.printf("%-26s %-40s %4d %9d  %s%n", e.getKey(), f.name(), e.getValue(),
                        Math.max(0, lines.size() - 1), lines.isEmpty() ? "-" : lines.get(0));
            }
        }
        return practiceFilesFinished();
    }

    private Map<String, Integer> heldCounts() throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ServiceDefinition s : engine.services()) {
            counts.put(s.id(), QueueCounts.count(engine.connectionFactory(), s.heldQueueName()));
        }
        return counts;
    }

    /** Withheld decisions as the engine recorded them (routing_decision), per service. */
    private Map<String, Integer> recordedWithheld() throws java.sql.SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        engine.services().forEach(s -> counts.put(s.id(), 0));
        try (Connection c = engine.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT service_id, COUNT(*) FROM routing_decision "
                     + "WHERE outcome = 'WITHHELD' GROUP BY service_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.replace(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private Map<String, Integer> deliveredCounts() throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ServiceDefinition s : engine.services()) {
            counts.put(s.id(), delivered(s));
        }
        return counts;
    }

    private int delivered(ServiceDefinition s) throws Exception {
        if (s.endpoint() instanceof MllpEndpoint) {
            MllpReceiver r = receiverByService.get(s.id());
            return r == null ? 0 : r.count();
        }
        if (s.endpoint() instanceof FolderEndpoint f) {
            if (!Files.isDirectory(f.path())) {
                return 0;
            }
            try (Stream<Path> files = Files.list(f.path())) {
                return (int) files.filter(p -> p.getFileName().toString().endsWith(".hl7")).count();
            }
        }
        return QueueCounts.count(engine.connectionFactory(), ((QueueEndpoint) s.endpoint()).name());
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }

    private static String where(ServiceDefinition s) {
        if (s.endpoint() instanceof MllpEndpoint m) {
            return "mllp://" + m.host() + ":" + m.port();
        }
        if (s.endpoint() instanceof FolderEndpoint f) {
            return f.path().toString();
        }
        return "queue " + ((QueueEndpoint) s.endpoint()).name();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        receivers.forEach(MllpReceiver::stop);
        practices.close();
    }
}
