package org.ilinks.support;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A client key pair for SFTP tests, written as an analyst would have it: the private key (PEM) the engine logs in
 * with, and its public half in authorized_keys form for the server.
 */
public record SftpKeys(Path privateKey, Path publicKey) {

    /** A new RSA key pair in {@code dir} as {@code <name>} and {@code <name>.pub}. */
    public static SftpKeys generate(Path dir, String name) {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.RSA, 2048);
            Path privateKey = dir.resolve(name);
            Path publicKey = dir.resolve(name + ".pub");
            pair.writePrivateKey(privateKey.toString());
            pair.writePublicKey(publicKey.toString(), "ilinks-test");
            pair.dispose();
            return new SftpKeys(privateKey, publicKey);
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test key pair", e);
        }
    }

    /** Writes a known_hosts file holding the one line given. */
    public static Path knownHosts(Path file, String line) {
        try {
            java.nio.file.Files.writeString(file, line + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
