package org.ilinks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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
 * An embedded SFTP server (Apache MINA SSHD) for a test: on 127.0.0.1 and a free port, logins by public key only
 * (the keys in an authorized_keys file), its own RSA host key, and a root folder of the test's own that every user
 * sees as "/" and starts in. Files a test puts under {@link #root()} are what the engine finds on the server.
 */
public final class SftpServer implements AutoCloseable {

    private final SshServer server;
    private final Path root;

    private SftpServer(SshServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    /**
     * Starts a server serving {@code root}, letting in the keys of {@code authorizedKeys}, with its host key kept in
     * {@code hostKeyFile} (made on first use: a server started again on the same file keeps its key).
     */
    public static SftpServer start(Path root, Path authorizedKeys, Path hostKeyFile) {
        return start(root, authorizedKeys, hostKeyFile, 0);
    }

    public static SftpServer start(Path root, Path authorizedKeys, Path hostKeyFile, int port) {
        try {
            Files.createDirectories(root);
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(port == 0 ? TestEngine.freePort() : port);
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
            hostKeys.setAlgorithm(KeyUtils.RSA_ALGORITHM);
            hostKeys.setKeySize(2048);
            server.setKeyPairProvider(hostKeys);
            server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.start();
            return new SftpServer(server, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return root;
    }

    /** The known_hosts line for this server's host key, as {@code ssh-keyscan -p PORT 127.0.0.1} would print it. */
    public String knownHostsLine() {
        try {
            Iterable<KeyPair> keys = server.getKeyPairProvider().loadKeys(null);
            PublicKey key = keys.iterator().next().getPublic();
            return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
        } catch (Exception e) {
            throw new IllegalStateException("the server has no host key", e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
