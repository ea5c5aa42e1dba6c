package org.ilinks.demo;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The demo's stand-in for the practices' SFTP servers (Apache MINA SSHD), so that the engine pulls extract files
 * exactly as it would from a practice: on 127.0.0.1 only, on a free port chosen at start, logins by public key only.
 * Everything it needs is made in its folder under the demo's data dir: its host key, the engine's key pair (the public
 * half authorised on the server) and a known_hosts file holding the host key, so that the engine's strict host-key
 * checking stays on. Each practice logs in as its own user and sees only its own folder, {@code root/<user>}.
 */
public final class DemoSftpServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    /** File name of the engine's private key (its public half beside it, {@code .pub}). */
    public static final String ENGINE_KEY = "ilinks-engine-key";

    private final SshServer server;
    private final Path dir;
    private final Path knownHosts;

    private DemoSftpServer(SshServer server, Path dir, Path knownHosts) {
        this.server = server;
        this.dir = dir;
        this.knownHosts = knownHosts;
    }

    /**
     * Starts a server for the practices' users, with its keys and files under {@code dir}.
     *
     * @param users the login of each practice, each given {@code root/<user>} as its home and only folder
     */
    public static DemoSftpServer start(Path dir, List<String> users) throws IOException {
        Files.createDirectories(dir);
        Path privateKey = dir.resolve(ENGINE_KEY);
        Path publicKey = dir.resolve(ENGINE_KEY + ".pub");
        writeEngineKey(privateKey, publicKey);
        Path root = Files.createDirectories(dir.resolve("root"));
        VirtualFileSystemFactory files = new VirtualFileSystemFactory(root.toAbsolutePath());
        for (String user : users) {
            files.setUserHomeDir(user, Files.createDirectories(root.resolve(user)).toAbsolutePath());
        }
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOST);
        server.setPort(0);
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
        hostKeys.setAlgorithm(KeyUtils.RSA_ALGORITHM);
        hostKeys.setKeySize(2048);
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(publicKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setFileSystemFactory(files);
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.start();
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[" + HOST + "]:" + server.getPort() + " " + hostKeyText(server) + "\n");
        return new DemoSftpServer(server, dir, knownHosts);
    }

    private static void writeEngineKey(Path privateKey, Path publicKey) throws IOException {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.RSA, 2048);
            try {
                pair.writePrivateKey(privateKey.toString());
                pair.writePublicKey(publicKey.toString(), "ilinks-demo");
            } finally {
                pair.dispose();
            }
        } catch (JSchException e) {
            throw new IOException("could not make the demo engine's SFTP key pair", e);
        }
    }

    private static String hostKeyText(SshServer server) throws IOException {
        try {
            PublicKey key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
            return PublicKeyEntry.toString(key);
        } catch (GeneralSecurityException e) {
            throw new IOException("the demo SFTP server has no host key", e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return server.getPort();
    }

    public Path privateKey() {
        return dir.resolve(ENGINE_KEY);
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** The folder a user sees as its home on the server. */
    public Path home(String user) {
        return dir.resolve("root").resolve(user);
    }

    /**
     * Puts a file into a user's folder on the server as a practice system should: written under a temporary name
     * first and renamed, so that the engine never sees it half-written.
     */
    public Path upload(String user, String folder, Path file) throws IOException {
        Path target = Files.createDirectories(home(user).resolve(folder));
        Path partial = target.resolve("." + file.getFileName() + ".part");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(partial, target.resolve(file.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // stopping at the demo's end: nothing is left to do about it
        }
    }
}
