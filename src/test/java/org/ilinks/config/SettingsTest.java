package org.ilinks.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings come from the file, then the environment, then -D; values that {@code run} could not use are problems. */
class SettingsTest {

    @TempDir
    Path tmp;

    @Test
    void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws Exception {
        Files.writeString(tmp.resolve(Settings.FILE_NAME), "ilinks.intake.mllp.port=3000\nilinks.routing.consumers=2\n");
        Properties system = new Properties();
        system.setProperty("ilinks.routing.consumers", "7");
        Settings s = Settings.load(tmp, tmp, Map.of("ILINKS_INTAKE_MLLP_PORT", "3001", "ILINKS_ROUTING_CONSUMERS", "5"),
                system, Map.of());
        assertThat(s.get(Setting.INTAKE_PORT)).isEqualTo("3001");
        assertThat(s.get(Setting.ROUTING_CONSUMERS)).isEqualTo("7");
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void valuesTheEngineCannotUseAreReportedWithTheirLine() throws Exception {
        Files.writeString(tmp.resolve(Settings.FILE_NAME), String.join("\n",
                "# comment",
                "ilinks.intake.mllp.port=70000",
                "ilinks.reload.interval-ms=0",
                "ilinks.delivery.backoff-multiplier=half",
                "ilinks.intake.accepted-versions=",
                "ilinks.delivery.consumers=-1",
                ""));
        Settings s = Settings.load(tmp, tmp, Map.of(), new Properties(), Map.of());
        assertThat(s.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                tmp.resolve(Settings.FILE_NAME) + ":2: ilinks.intake.mllp.port must be between 1 and 65535, not 70000",
                tmp.resolve(Settings.FILE_NAME) + ":3: ilinks.reload.interval-ms must be between 100 and 3600000, not 0",
                tmp.resolve(Settings.FILE_NAME) + ":4: ilinks.delivery.backoff-multiplier must be a number, not 'half'",
                tmp.resolve(Settings.FILE_NAME) + ":5: ilinks.intake.accepted-versions must list at least one HL7 version",
                tmp.resolve(Settings.FILE_NAME) + ":6: ilinks.delivery.consumers must not be negative");
    }
}
