package org.ilinks.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.KnownBeans;
import org.ilinks.support.SftpKeys;
import org.ilinks.support.SftpServer;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Practice files are read and checked like service files: every problem as file:line, keys and host keys opened. */
class PracticeSourcesTest {

    @TempDir
    Path root;

    private TestEngine layout;
    private SftpServer server;
    private SftpKeys keys;

    @BeforeEach
    void setUp() throws Exception {
        layout = new TestEngine(root.resolve("engine"));
        Path keysDir = Files.createDirectories(layout.configDir().resolve("keys"));
        keys = SftpKeys.generate(keysDir, "n81013");
        server = SftpServer.start(root.resolve("sftp"), keys.publicKey(), root.resolve("host.key"));
        SftpKeys.knownHosts(keysDir.resolve("known_hosts"), server.knownHostsLine());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private String practice(String ods, String extraSftp, String after) {
        return "ods: " + ods + "\ndescription: Test practice\nsftp:\n  host: 127.0.0.1\n  port: " + server.port()
                + "\n  user: practice\n  privateKeyFile: keys/n81013\n  knownHostsFile: keys/known_hosts\n"
                + "  folder: outbox\n  pattern: \"*.hl7\"\n  pollIntervalMs: 500\n" + extraSftp
                + "afterProcessing:\n" + after + "failedFolder: failed\nformat:\n  type: hl7\n";
    }

    @Test
    void aGoodPracticeFileLoadsWithItsSettings() {
        layout.practice("N81013", practice("N81013", "", "  move: done\n"));

        PracticeSources.LoadResult result = PracticeSources.check(layout.settings());

        assertThat(result.problems()).isEmpty();
        assertThat(result.practices()).singleElement().satisfies(p -> {
            assertThat(p.ods()).isEqualTo("N81013");
            assertThat(p.sftp().port()).isEqualTo(server.port());
            assertThat(p.sftp().privateKeyFile()).isEqualTo(keys.privateKey().toAbsolutePath().normalize());
            assertThat(p.sftp().pattern()).isEqualTo("*.hl7");
            assertThat(p.after().moveTo()).isEqualTo("done");
            assertThat(p.failedFolder()).isEqualTo("failed");
            assertThat(p.format().isHl7()).isTrue();
        });
    }

    @Test
    void validateReportsEachProblemWithFileAndLine() {
        layout.practice("N81013", practice("N81013", "  password: secret123\n", "  move: done\n  delete: true\n"));
        layout.practice("N82001", practice("N82002", "", "  delete: true\n"));
        layout.practice("Y00001", practice("Y00001", "", "  delete: maybe\n").replace("type: hl7", "type: xml"));

        List<String> problems = ConfigValidator.validate(layout.settings(), KnownBeans.NAMES).stream()
                .map(ConfigProblem::toString).filter(p -> p.contains("practices")).toList();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("N81013.yaml:12: no passwords in practice files")
                .doesNotContain("secret123"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("N81013.yaml:")
                .contains("afterProcessing needs exactly one of"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("N82001.yaml:1: the file of practice N82002 "
                + "must be named N82002.yaml"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Y00001.yaml:").contains("delete must be true"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Y00001.yaml:")
                .contains("format type must be hl7").contains("not 'xml'"));
    }

    @Test
    void aHostWithoutAKnownHostKeyOrAMissingKeyFileIsRefusedBeforeAnyPoll() throws Exception {
        SftpKeys.knownHosts(layout.configDir().resolve("keys/known_hosts"),
                "[127.0.0.1]:1 " + server.knownHostsLine().split(" ", 2)[1]);
        layout.practice("N81013", practice("N81013", "", "  delete: true\n"));
        layout.practice("N82001", practice("N82001", "", "  delete: true\n")
                .replace("keys/n81013", "keys/missing"));

        List<String> problems = PracticeSources.check(layout.settings()).problems().stream()
                .map(ConfigProblem::toString).toList();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("N81013.yaml:")
                .contains("has no host key for [127.0.0.1]:" + server.port())
                .contains("ssh-keyscan -p " + server.port() + " 127.0.0.1"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("N82001.yaml:")
                .contains("privateKeyFile").contains("is not a readable file"));
    }

    @Test
    void anEncryptedKeyNeedsItsPassphraseFromAFileOrTheEnvironment() throws Exception {
        com.jcraft.jsch.KeyPair pair = com.jcraft.jsch.KeyPair.genKeyPair(new com.jcraft.jsch.JSch(),
                com.jcraft.jsch.KeyPair.RSA, 2048);
        pair.writePrivateKey(layout.configDir().resolve("keys/locked").toString(), "pass-phrase".getBytes());
        layout.practice("N81013", practice("N81013", "", "  delete: true\n").replace("keys/n81013", "keys/locked"));
        layout.practice("N82001", practice("N82001", "  passphraseEnv: N82001_KEY_PASSPHRASE\n", "  delete: true\n")
                .replace("keys/n81013", "keys/locked"));

        PracticeSources.LoadResult result = PracticeSources.check(layout.settings());

        assertThat(result.problems()).singleElement().asString().contains("N81013.yaml:")
                .contains("has a passphrase: give passphraseFile or passphraseEnv");
        assertThat(result.practices()).extracting(PracticeSource::ods).containsExactly("N82001");
    }
}
