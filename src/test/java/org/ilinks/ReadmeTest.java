package org.ilinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ilinks.config.Setting;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;

/** The README documents every setting the engine reads, with its default, and the shipped file uses only real ones. */
class ReadmeTest {

    @Test
    void everySettingIsInTheReadmeTableWithItsDefault() throws Exception {
        String readme = Files.readString(TestEngine.projectDir().resolve("README.md"));
        for (Setting s : Setting.values()) {
            String expectedDefault = s.defaultValue().isEmpty() ? "empty"
                    : s == Setting.INTAKE_VERSIONS ? "`2.1,…,2.8.2`" : "`" + s.defaultValue() + "`";
            assertThat(readme).as("README row for %s", s.key())
                    .contains("| `" + s.key() + "` | " + expectedDefault + " |");
        }
    }

    @Test
    void theReadmeHasExactlyTheTwoSetUpCommandsAndCiRunsTheTestOne() throws Exception {
        String readme = Files.readString(TestEngine.projectDir().resolve("README.md"));
        String ci = Files.readString(TestEngine.projectDir().resolve(".ci/run"));
        assertThat(readme).contains("./mvnw -q -DskipTests package && java -jar target/ilinks.jar demo");
        assertThat(readme).contains("./mvnw -B verify");
        assertThat(ci).contains("\n./mvnw -B verify\n");
    }

    @Test
    void theShippedSettingsFileHasNoProblems() {
        Path project = TestEngine.projectDir();
        assertThat(org.ilinks.config.Settings.load(project.resolve("config"), project.resolve("routes")).problems())
                .isEmpty();
    }
}
