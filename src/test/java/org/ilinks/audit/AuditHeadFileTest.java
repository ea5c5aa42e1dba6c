package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head file: appended line by line, read from its end, a torn last line ignored, an older head not written. */
class AuditHeadFileTest {

    @TempDir
    Path tmp;

    @Test
    void appendsLinesAndReadsTheLastCompleteOne() throws Exception {
        AuditHeadFile head = new AuditHeadFile(tmp.resolve("audit").resolve("head"));
        assertThat(head.last()).isEmpty();

        for (long seq = 1; seq <= 500; seq++) {
            head.append(new ChainHead(seq, hex(seq)));
        }
        head.append(new ChainHead(499, hex(1)));

        assertThat(Files.readAllLines(head.file())).hasSize(500).endsWith("500 " + hex(500));
        assertThat(head.last()).contains(new ChainHead(500, hex(500)));
        Files.writeString(head.file(), "501 " + hex(501).substring(0, 30), java.nio.file.StandardOpenOption.APPEND);
        assertThat(head.last()).as("a line cut short by a crash").contains(new ChainHead(500, hex(500)));
        assertThat(new AuditHeadFile(tmp.resolve("absent")).last()).isEmpty();
    }

    @Test
    void aFileWithOnlyATornLineHasNoHead() throws Exception {
        Path file = tmp.resolve("head");
        Files.writeString(file, "12 abc");
        assertThat(new AuditHeadFile(file).last()).isEmpty();
    }

    private static String hex(long n) {
        return String.format("%064x", n);
    }
}
