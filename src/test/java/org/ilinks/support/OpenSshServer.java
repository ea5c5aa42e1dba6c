package org.ilinks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's own OpenSSH server ({@code /usr/sbin/sshd}) for a test, as a practice's supplier would run it: on
 * 127.0.0.1 and a free port only, its own ed25519 host key, public-key logins only, and the login user (the one
 * running the tests, root, so that no OS user is created) chrooted to a folder of the test with
 * {@code ForceCommand internal-sftp}.
 *
 * <p>sshd refuses a chroot folder any of whose parents is not root's or is writable by others, which rules out
 * {@code /tmp}: the server's folder is made under the project's {@code target/} and removed on {@link #close()}.
 * sshd also needs its privilege-separation folder {@code /run/sshd}, made here if missing (as Debian's service
 * does). Use {@link #unavailable()} to skip when this machine cannot run it.
 */
public final class OpenSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private final Process process;
    private final Path dir;
    private final Path chroot;
    private final int port;
    private final String user;

    private OpenSshServer(Process process, Path dir, Path chroot, int port, String user) {
        this.process = process;
        this.dir = dir;
        this.chroot = chroot;
        this.port = port;
        this.user = user;
    }

    /** Why this machine cannot run the server (to skip with), or empty when it can. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(SSHD)) {
            return Optional.of(SSHD + " is not installed (apt-get install openssh-server; .ci/run installs it)");
        }
        for (String tool : List.of("/usr/bin/ssh-keygen", "/usr/bin/ssh-keyscan")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of(tool + " is not installed (it comes with openssh-client)");
            }
        }
        if (uid() != 0) {
            return Optional.of("sshd must be started as root to log users in and chroot them; these tests run as uid "
                    + uid());
        }
        Path target = TestEngine.projectDir().resolve("target");
        for (Path p = target; p != null; p = p.getParent()) {
            if (Files.exists(p) && !rootOwnedNotWritableByOthers(p)) {
                return Optional.of("sshd chroots only below folders owned by root and writable by no one else, and "
                        + p + " is not");
            }
        }
        return Optional.empty();
    }

    /**
     * Starts sshd letting {@code clientPublicKey} log in as the current user, chrooted to a new, empty folder; returns
     * once it accepts connections.
     */
    public static OpenSshServer start(Path clientPublicKey) {
        try {
            Path target = Files.createDirectories(TestEngine.projectDir().resolve("target"));
            Path dir = Files.createTempDirectory(target, "openssh-"); // rwx------, root's
            Path chroot = Files.createDirectory(dir.resolve("chroot"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.copy(clientPublicKey, dir.resolve("authorized_keys"));
            run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ilinks-test-host",
                    "-f", dir.resolve("ssh_host_ed25519_key").toString()));
            if (!Files.isDirectory(PRIVSEP_DIR)) {
                Files.createDirectories(PRIVSEP_DIR,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
            int port = TestEngine.freePort();
            String user = System.getProperty("user.name");
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, config(dir, chroot, port, user), StandardCharsets.UTF_8);
            run(List.of(SSHD.toString(), "-t", "-f", config.toString()));
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            OpenSshServer server = new OpenSshServer(process, dir, chroot, port, user);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(Path dir, Path chroot, int port, String user) {
        return "ListenAddress 127.0.0.1:" + port + "\n"
                + "HostKey " + dir.resolve("ssh_host_ed25519_key") + "\n"
                + "PidFile " + dir.resolve("sshd.pid") + "\n"
                + "AuthorizedKeysFile " + dir.resolve("authorized_keys") + "\n"
                + "PubkeyAuthentication yes\n"
                + "PasswordAuthentication no\n"
                + "KbdInteractiveAuthentication no\n"
                + "PermitRootLogin prohibit-password\n"
                // Debian's PAM stack writes the login uid, which a container may not allow; keys need no PAM.
                + "UsePAM no\n"
                + "StrictModes yes\n"
                + "AllowUsers " + user + "\n"
                + "Subsystem sftp internal-sftp\n"
                + "Match User " + user + "\n"
                + "    ChrootDirectory " + chroot + "\n"
                + "    ForceCommand internal-sftp\n"
                + "    AllowTcpForwarding no\n"
                + "    X11Forwarding no\n";
    }

    private void awaitListening() {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUpAt) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited (" + process.exitValue() + "): " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new IllegalStateException("sshd did not listen on 127.0.0.1:" + port + ": " + log());
    }

    public int port() {
        return port;
    }

    /** The login user (the one running the tests). */
    public String user() {
        return user;
    }

    /** The folder the user is chrooted to: what the user sees as {@code /}. */
    public Path chroot() {
        return chroot;
    }

    /** The server's own folder (config, host key, log), outside the chroot. */
    public Path dir() {
        return dir;
    }

    public Path hostPublicKey() {
        return dir.resolve("ssh_host_ed25519_key.pub");
    }

    /** What {@code ssh-keyscan -p PORT 127.0.0.1} prints: the known_hosts lines an operator would add. */
    public String keyscan() {
        return run(List.of("/usr/bin/ssh-keyscan", "-p", Integer.toString(port), "127.0.0.1"));
    }

    /** The SHA-256 fingerprints {@code ssh-keygen -lf} gives for each key of a public-key or known_hosts file. */
    public static List<String> fingerprints(Path keys) {
        List<String> prints = new ArrayList<>();
        for (String line : run(List.of("/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", keys.toString()))
                .split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 1) {
                prints.add(fields[1]);
            }
        }
        return prints;
    }

    /** A new ed25519 key pair made by ssh-keygen (OpenSSH's own format), {@code <name>} and {@code <name>.pub}. */
    public static SftpKeys clientKeys(Path dir, String name) {
        Path key = dir.resolve(name);
        run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ilinks-engine", "-f",
                key.toString()));
        return new SftpKeys(key, dir.resolve(name + ".pub"));
    }

    /** sshd's own log so far (connections, logins, chroot): for failure messages. */
    public String log() {
        try {
            Path log = dir.resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(sshd.log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops sshd (and any session process it still has) and removes its folder. */
    @Override
    public void close() {
        List<ProcessHandle> sessions = process.descendants().toList();
        process.destroy();
        sessions.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end; its standard output, or an exception with everything it said. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            byte[] err;
            String out;
            try (var stdout = p.getInputStream(); var stderr = p.getErrorStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
                err = stderr.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out
                        + new String(err, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    private static boolean rootOwnedNotWritableByOthers(Path p) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            return "root".equals(a.owner().getName())
                    && !a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
