package org.ilinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.support.AdminClient;
import org.ilinks.support.OpenSshServer;
import org.ilinks.support.SequencedMessages;
import org.ilinks.support.SftpKeys;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A practice's server that is OpenSSH's own sshd (Debian's openssh-server), not the embedded one: the engine logs in
 * with its key, is chrooted to the practice's folder, and takes a batch file end to end. Skipped, saying why, when
 * sshd is not installed or the tests do not run as root (sshd needs root to start and to chroot).
 */
class OpenSshExtractTest {

    @TempDir
    static Path keys;

    @TempDir
    Path root;

    private static OpenSshServer sshd;
    private static SftpKeys engineKeys;
    private static Path knownHosts;
    private TestEngine engine;

    @BeforeAll
    static void startSshd() throws Exception {
        var unavailable = OpenSshServer.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "OpenSSH extract tests skipped: " + unavailable.get());
        engineKeys = OpenSshServer.clientKeys(keys, "engine-key");
        sshd = OpenSshServer.start(engineKeys.publicKey());
        Files.createDirectory(sshd.chroot().resolve("outbox"));
        // As the README tells an operator: keyscan, then compare the fingerprint with the server's own.
        knownHosts = Files.writeString(keys.resolve("known_hosts"), sshd.keyscan());
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theKnownHostsFromKeyscanHoldExactlyTheServersHostKey() throws Exception {
        assertThat(Files.readAllLines(knownHosts).stream().filter(l -> !l.startsWith("#")))
                .singleElement().asString().startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 ");
        assertThat(OpenSshServer.fingerprints(knownHosts))
                .containsExactlyElementsOf(OpenSshServer.fingerprints(sshd.hostPublicKey()));
    }

    @Test
    void aBatchFileIsTakenFromTheChrootedOutboxDeliveredAndMovedToTheDoneFolder() throws Exception {
        engine = configure(new TestEngine(root.resolve("engine")).folderService("ward", "ADT^A08")).start();
        List<byte[]> records = PracticeServer.records("OSSH", 3);
        byte[] batch = PracticeServer.batch(records, 3);
        drop("openssh-0001.hl7", batch);

        Path done = sshd.chroot().resolve("done/openssh-0001.hl7");
        await("file moved to done/ inside the chroot").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(done));
        await("delivered").atMost(Duration.ofSeconds(30))
                .until(() -> PracticeServer.filesIn(engine.folderOut("ward")).size() == 3);

        List<String> delivered = new ArrayList<>();
        for (Path f : PracticeServer.filesIn(engine.folderOut("ward"))) {
            delivered.add(SequencedMessages.controlIdOf(Files.readAllBytes(f)));
        }
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(SequencedMessages.controlIdsOf(records));
        assertThat(Files.readAllBytes(done)).isEqualTo(batch);
        assertThat(Files.exists(sshd.chroot().resolve("outbox/openssh-0001.hl7"))).isFalse();

        String engineKey = OpenSshServer.fingerprints(engineKeys.publicKey()).get(0);
        assertThat(sshd.log()).as("sshd's own log").contains("Accepted publickey for " + sshd.user()
                + " from 127.0.0.1").contains(engineKey);

        var db = engine.engine().dataSource();
        assertThat(PracticeServer.claims(db)).containsExactly("openssh-0001.hl7 DONE 3/3/0");
        assertThat(PracticeServer.auditDetails(db, "FILE_RECEIVED")).singleElement().asString()
                .contains("openssh-0001.hl7").contains(ExtractPipeline.sha256(batch));
        assertThat(PracticeServer.auditDetails(db, "FILE_DONE")).singleElement().asString()
                .contains("openssh-0001.hl7").contains("3 record(s) queued");

        new UserStore(db).create(new AdminUser("support1", PasswordHash.of("support-password-1"),
                Set.of(Role.SUPPORT), false, false, Instant.now()));
        AdminClient api = new AdminClient(engine);
        var status = AdminClient.json(api.get("/api/extracts", api.login("support1", "support-password-1")))
                .path("practices").get(0);
        assertThat(status.path("ods").asText()).isEqualTo(PracticeServer.ODS);
        assertThat(status.path("lastSuccessfulPoll").isTextual()).isTrue();
        assertThat(status.path("lastFile").path("state").asText()).isEqualTo("DONE");
        assertThat(status.path("today").path("recordsQueued").asInt()).isEqualTo(3);
    }

    @Test
    void theEngineKeyLogsInChrootedAndSeesNothingOutsideTheChroot() throws Exception {
        Files.writeString(sshd.chroot().resolve("outbox/visible.txt"), "x");
        Session session = session(engineKeys.privateKey());
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            assertThat(sftp.pwd()).as("the login folder is the chroot's root").isEqualTo("/");
            assertThat(names(sftp, "/")).contains("outbox").doesNotContain("sshd_config", "authorized_keys");
            assertThat(names(sftp, "outbox")).contains("visible.txt");
            // Where the server's own files really are, and the chroot's real path, do not exist for the client.
            for (String outside : List.of(sshd.dir().resolve("sshd_config").toString(),
                    sshd.chroot().resolve("outbox").toString(), "/etc/passwd")) {
                assertThatThrownBy(() -> sftp.stat(outside)).as(outside).isInstanceOf(SftpException.class)
                        .extracting(e -> ((SftpException) e).id).isEqualTo(ChannelSftp.SSH_FX_NO_SUCH_FILE);
            }
            sftp.disconnect();
        } finally {
            session.disconnect();
            Files.deleteIfExists(sshd.chroot().resolve("outbox/visible.txt"));
        }
    }

    @Test
    void aKeyNotAuthorisedOnTheServerIsRefused() {
        SftpKeys stranger = OpenSshServer.clientKeys(keys, "stranger-key");
        assertThatThrownBy(() -> session(stranger.privateKey()))
                .isInstanceOf(JSchException.class).hasMessageContaining("Auth fail");
        assertThat(sshd.log()).doesNotContain(OpenSshServer.fingerprints(stranger.publicKey()).get(0));
    }

    /** The practice file, as an analyst writes it: the folder is relative to the login folder, the chroot's root. */
    private TestEngine configure(TestEngine engine) throws Exception {
        Path keysDir = Files.createDirectories(engine.configDir().resolve("practice-keys"));
        Files.copy(engineKeys.privateKey(), keysDir.resolve("engine-key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(knownHosts, keysDir.resolve("known_hosts"), StandardCopyOption.REPLACE_EXISTING);
        return engine.practice(PracticeServer.ODS, "ods: " + PracticeServer.ODS
                + "\ndescription: Test practice on OpenSSH\nsftp:\n  host: 127.0.0.1\n  port: " + sshd.port()
                + "\n  user: " + sshd.user() + "\n  privateKeyFile: practice-keys/engine-key\n"
                + "  knownHostsFile: practice-keys/known_hosts\n  folder: outbox\n  pattern: \"*.hl7\"\n"
                + "  pollIntervalMs: 200\n  stableForMs: 300\nafterProcessing:\n  move: done\n"
                + "failedFolder: failed\nformat:\n  type: hl7\n");
    }

    /** Puts a file in the outbox as a supplier would: written aside inside the chroot, then renamed in. */
    private static void drop(String name, byte[] content) throws Exception {
        Path aside = Files.write(sshd.chroot().resolve("." + name + ".tmp"), content);
        Files.move(aside, sshd.chroot().resolve("outbox").resolve(name));
    }

    private static Session session(Path privateKey) throws JSchException {
        JSch jsch = new JSch();
        jsch.addIdentity(privateKey.toString());
        jsch.setKnownHosts(knownHosts.toString());
        Session session = jsch.getSession(sshd.user(), "127.0.0.1", sshd.port());
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.connect(10_000);
        return session;
    }

    private static List<String> names(ChannelSftp sftp, String folder) throws SftpException {
        List<String> names = new ArrayList<>();
        for (Object e : sftp.ls(folder)) {
            String name = ((ChannelSftp.LsEntry) e).getFilename();
            if (!name.equals(".") && !name.equals("..")) {
                names.add(name);
            }
        }
        return names;
    }
}
