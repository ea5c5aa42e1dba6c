package org.ilinks.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.KnownBeans;
import org.ilinks.config.Settings;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content key file: the forms it may take, what is refused (without quoting the key), and that validate says so. */
class ContentCipherTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff".repeat(2));
    private static final byte[] CONTENT = "MSH|^~\\&|A|B\rPID|1||9434765919^^^NHS^NH\r".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void hexAndBase64FormsOfOneKeyAreTheSameKey() throws Exception {
        ContentCipher hex = ContentCipher.fromKeyFile(write("hex.key", HexFormat.of().formatHex(KEY) + "\n"));
        ContentCipher base64 = ContentCipher.fromKeyFile(write("b64.key", Base64.getEncoder().encodeToString(KEY)));

        assertThat(hex.fingerprint()).hasSize(16).isEqualTo(base64.fingerprint());
        byte[] sealed = hex.seal("M1", CONTENT);
        assertThat(sealed).hasSize(12 + CONTENT.length + 16);
        assertThat(base64.open("M1", sealed, hex.fingerprint())).isEqualTo(CONTENT);
        assertThat(ContentCipher.none().seal("M1", CONTENT)).isSameAs(CONTENT);
        assertThat(ContentCipher.none().fingerprint()).isNull();
    }

    @Test
    void aShortOrMissingKeyIsRefusedWithoutQuotingIt() throws Exception {
        Path shortKey = write("short.key", "00112233445566778899aabbccddeeff");
        assertThatThrownBy(() -> ContentCipher.fromKeyFile(shortKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold a 256-bit key").hasMessageNotContaining("0011223344");
        assertThatThrownBy(() -> ContentCipher.fromKeyFile(tmp.resolve("absent.key")))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void validateReportsABadKeyFile() throws Exception {
        Path bad = write("bad.key", "not a key");
        TestEngine engine = new TestEngine(tmp.resolve("engine")).folderService("ward", "ADT^A08")
                .set("ilinks.history.key-file", bad.toString());
        Settings settings = engine.settings();

        assertThat(ConfigValidator.validate(settings, KnownBeans.NAMES)).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("bad.key").contains("256-bit key"));
    }

    private Path write(String name, String text) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
