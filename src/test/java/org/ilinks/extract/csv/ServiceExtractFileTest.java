package org.ilinks.extract.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceExtractFileTest {

    @Test
    void theOutputIsNamedByPracticeFileServiceAndContent() {
        String sha = "1a2b3c4d" + "0".repeat(56);
        assertThat(ServiceExtractFile.name("n81013", "REG extract 2026-03-01.csv", "gp-direct", sha))
                .isEqualTo("N81013-REG_extract_2026-03-01-gp-direct-1a2b3c4d.csv");
        assertThat(ServiceExtractFile.name("N81013", "../../etc/passwd", "gp-direct", sha))
                .doesNotContain("/").endsWith("-gp-direct-1a2b3c4d.csv");
    }
}
