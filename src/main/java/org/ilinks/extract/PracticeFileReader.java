package org.ilinks.extract;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlMapping;
import org.ilinks.extract.PracticeSource.AfterProcessing;
import org.ilinks.extract.PracticeSource.Format;
import org.ilinks.extract.PracticeSource.Sftp;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads one practice file ({@code config/practices/<ods>.yaml}) into a {@link PracticeSource}, reporting every
 * problem in it as {@code file:line}. Key files and the known-hosts file are opened here, so that {@code validate}
 * catches a missing key or a host key nobody has added before the engine polls.
 */
final class PracticeFileReader {

    private static final Pattern ODS = Pattern.compile("^[A-Z0-9]{3,10}$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9._*?\\-]+$");
    private static final List<String> TOP_KEYS =
            List.of("ods", "description", "sftp", "afterProcessing", "failedFolder", "format");
    private static final List<String> SFTP_KEYS = List.of("host", "port", "user", "privateKeyFile", "passphraseFile",
            "passphraseEnv", "knownHostsFile", "folder", "pattern", "pollIntervalMs", "stableForMs");
    private static final List<String> AFTER_KEYS = List.of("move", "delete");

    private final Path file;
    private final Path configDir;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private PracticeFileReader(Path file, Path configDir) {
        this.file = file;
        this.configDir = configDir;
    }

    /** Reads {@code file}; empty when it is empty, commented out, or has any problem (added to {@code problems}). */
    static Optional<PracticeSource> read(Path file, Path configDir, List<ConfigProblem> problems) {
        PracticeFileReader reader = new PracticeFileReader(file, configDir);
        Optional<PracticeSource> source = reader.read();
        problems.addAll(reader.problems);
        return reader.problems.isEmpty() ? source : Optional.empty();
    }

    private Optional<PracticeSource> read() {
        return YamlMapping.readOne(file, "practice", problems).flatMap(this::practice);
    }

    private Optional<PracticeSource> practice(YamlMapping root) {
        root.allowOnly(TOP_KEYS);
        Optional<String> ods = root.requiredText("ods").map(String::strip).filter(code -> validOds(root, code));
        Optional<String> description = root.requiredText("description").map(String::strip);
        Optional<Sftp> sftp = root.required("sftp").flatMap(n -> YamlMapping.of(file, n, "sftp", problems))
                .flatMap(this::sftp);
        Optional<AfterProcessing> after = root.required("afterProcessing")
                .flatMap(n -> YamlMapping.of(file, n, "afterProcessing", problems)).flatMap(this::after);
        Optional<String> failed = root.requiredText("failedFolder").map(String::strip)
                .filter(folder -> remoteFolder(root, "failedFolder", folder));
        Optional<Format> format = root.required("format").flatMap(n -> YamlMapping.of(file, n, "format", problems))
                .flatMap(this::format);
        if (ods.isEmpty() || description.isEmpty() || sftp.isEmpty() || after.isEmpty() || failed.isEmpty()
                || format.isEmpty()) {
            return Optional.empty();
        }
        if (sftp.get().folder().equals(failed.get())
                || (!after.get().deletes() && after.get().moveTo().equals(sftp.get().folder()))) {
            problems.add(ConfigProblem.at(file, root.keyLine("failedFolder"), "the done and failed folders must "
                    + "differ from the folder polled (" + sftp.get().folder() + "), or files would be taken again"));
            return Optional.empty();
        }
        return Optional.of(new PracticeSource(ods.get(), description.get(), file, sftp.get(), after.get(),
                failed.get(), format.get()));
    }

    private boolean validOds(YamlMapping root, String ods) {
        if (!ODS.matcher(ods).matches()) {
            problems.add(ConfigProblem.at(file, root.keyLine("ods"), "ods '" + ods
                    + "' is not an ODS code: 3 to 10 capital letters and digits, e.g. N81013"));
            return false;
        }
        String expected = ods + ".yaml";
        String name = file.getFileName().toString();
        if (!name.equals(expected) && !name.equals(ods + ".yml")) {
            problems.add(ConfigProblem.at(file, root.keyLine("ods"), "the file of practice " + ods
                    + " must be named " + expected + " (one file per practice, named by its ODS code)"));
            return false;
        }
        return true;
    }

    private Optional<Sftp> sftp(YamlMapping sftp) {
        if (sftp.keys().contains("password")) {
            problems.add(ConfigProblem.at(file, sftp.keyLine("password"), "no passwords in practice files: the "
                    + "engine logs in with a private key (privateKeyFile, with passphraseFile or passphraseEnv if "
                    + "the key has a passphrase)"));
        }
        List<String> allowed = new ArrayList<>(SFTP_KEYS);
        allowed.add("password"); // reported above, in words of its own
        sftp.allowOnly(sftp.keys().contains("password") ? allowed : SFTP_KEYS);
        Optional<String> host = sftp.requiredText("host").map(String::strip);
        Optional<Long> port = sftp.wholeNumber("port", 1, 65535, 22);
        Optional<String> user = sftp.requiredText("user").map(String::strip);
        Optional<Path> passphraseFile = sftp.optional("passphraseFile")
                .flatMap(n -> sftp.text("passphraseFile", n)).map(t -> readable(sftp, "passphraseFile", t));
        Optional<String> passphraseEnv = sftp.optional("passphraseEnv")
                .flatMap(n -> sftp.text("passphraseEnv", n)).map(String::strip);
        passphraseEnv.ifPresent(name -> {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add(ConfigProblem.at(file, sftp.keyLine("passphraseEnv"), "passphraseEnv must name an "
                        + "environment variable (letters, digits and _), not hold the passphrase itself"));
            }
        });
        if (passphraseFile.isPresent() && passphraseEnv.isPresent()) {
            problems.add(ConfigProblem.at(file, sftp.keyLine("passphraseEnv"),
                    "give passphraseFile or passphraseEnv, not both"));
        }
        Optional<Path> key = sftp.requiredText("privateKeyFile").map(t -> readable(sftp, "privateKeyFile", t));
        Optional<Path> knownHosts = sftp.requiredText("knownHostsFile").map(t -> readable(sftp, "knownHostsFile", t));
        Optional<String> folder = sftp.requiredText("folder").map(String::strip)
                .filter(f -> remoteFolder(sftp, "folder", f));
        Optional<String> pattern = sftp.optional("pattern").flatMap(n -> sftp.text("pattern", n)).map(String::strip)
                .or(() -> Optional.of("*")).filter(p -> validPattern(sftp, p));
        Optional<Long> poll = sftp.wholeNumber("pollIntervalMs", 100, 86_400_000, 60_000);
        Optional<Long> stable = sftp.wholeNumber("stableForMs", 100, 3_600_000, 10_000);
        if (host.isEmpty() || port.isEmpty() || user.isEmpty() || key.isEmpty() || knownHosts.isEmpty()
                || folder.isEmpty() || pattern.isEmpty() || poll.isEmpty() || stable.isEmpty()) {
            return Optional.empty();
        }
        if (problems.isEmpty()) {
            checkKey(sftp, key.get(), passphraseFile.isPresent() || passphraseEnv.isPresent());
            checkKnownHost(sftp, knownHosts.get(), host.get(), port.get().intValue());
        }
        return Optional.of(new Sftp(host.get(), port.get().intValue(), user.get(), key.get(),
                passphraseFile.orElse(null), passphraseEnv.orElse(null), knownHosts.get(), folder.get(),
                pattern.get(), poll.get(), stable.get()));
    }

    /** A file path, relative to the config folder unless absolute; reported when it cannot be read. */
    private Path readable(YamlMapping mapping, String key, String text) {
        Path path = configDir.resolve(text.strip()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(ConfigProblem.at(file, mapping.keyLine(key), key + " " + path
                    + " is not a readable file (relative paths are under the config folder)"));
        }
        return path;
    }

    private boolean remoteFolder(YamlMapping mapping, String key, String folder) {
        if (folder.contains("..") || folder.contains("\\") || folder.contains("*")) {
            problems.add(ConfigProblem.at(file, mapping.keyLine(key), key + " '" + folder
                    + "' must be a plain folder on the server (no .., \\ or *)"));
            return false;
        }
        return true;
    }

    private boolean validPattern(YamlMapping mapping, String pattern) {
        if (!PATTERN.matcher(pattern).matches()) {
            problems.add(ConfigProblem.at(file, mapping.keyLine("pattern"), "pattern '" + pattern
                    + "' must be a file name with * and ? wildcards, e.g. *.hl7"));
            return false;
        }
        return true;
    }

    private void checkKey(YamlMapping sftp, Path key, boolean hasPassphrase) {
        try {
            KeyPair pair = KeyPair.load(new JSch(), key.toString());
            if (pair.isEncrypted() && !hasPassphrase) {
                problems.add(ConfigProblem.at(file, sftp.keyLine("privateKeyFile"), "the private key " + key
                        + " has a passphrase: give passphraseFile or passphraseEnv"));
            }
        } catch (JSchException e) {
            problems.add(ConfigProblem.at(file, sftp.keyLine("privateKeyFile"), "privateKeyFile " + key
                    + " is not a private key the engine can use (OpenSSH or PEM format)"));
        }
    }

    /** The server's key must be in the known-hosts file before the first poll: host keys are checked strictly. */
    private void checkKnownHost(YamlMapping sftp, Path knownHosts, String host, int port) {
        String entry = port == 22 ? host : "[" + host + "]:" + port;
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(knownHosts.toString());
            HostKey[] keys = jsch.getHostKeyRepository().getHostKey(entry, null);
            if (keys == null || keys.length == 0) {
                problems.add(ConfigProblem.at(file, sftp.keyLine("knownHostsFile"), "knownHostsFile " + knownHosts
                        + " has no host key for " + entry + ": add it (ssh-keyscan -p " + port + " " + host
                        + " >> " + knownHosts.getFileName() + ") after checking its fingerprint with the practice"));
            }
        } catch (JSchException e) {
            problems.add(ConfigProblem.at(file, sftp.keyLine("knownHostsFile"), "knownHostsFile " + knownHosts
                    + " cannot be read as a known_hosts file"));
        }
    }

    private Optional<AfterProcessing> after(YamlMapping after) {
        after.allowOnly(AFTER_KEYS);
        boolean move = after.keys().contains("move");
        boolean delete = after.keys().contains("delete");
        if (move == delete) {
            problems.add(ConfigProblem.at(file, after.line(), "afterProcessing needs exactly one of: "
                    + "move: <done folder on the server>, or delete: true"));
            return Optional.empty();
        }
        if (move) {
            return after.requiredText("move").map(String::strip).filter(f -> remoteFolder(after, "move", f))
                    .map(AfterProcessing::new);
        }
        Optional<String> yes = after.requiredText("delete").map(String::strip);
        if (yes.isPresent() && !yes.get().equals("true")) {
            problems.add(ConfigProblem.at(file, after.keyLine("delete"), "delete must be true (to keep files, "
                    + "use move: <done folder>)"));
            return Optional.empty();
        }
        return yes.map(y -> AfterProcessing.delete());
    }

    private Optional<Format> format(YamlMapping format) {
        Optional<String> type = format.requiredText("type").map(String::strip);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get().equals(Format.HL7)) {
            format.allowOnly(List.of("type"));
            return Optional.of(new Format(Format.HL7, null));
        }
        if (type.get().equals(Format.CSV)) {
            return org.ilinks.extract.csv.CsvMapping.read(format, problems).map(mapping -> new Format(Format.CSV, mapping));
        }
        Node at = format.optional("type").orElseThrow();
        format.report(at, "format type must be hl7 (HL7 v2 batch or multi-message files) or csv (delimited "
                + "extracts), not '" + type.get() + "'");
        return Optional.empty();
    }
}
