package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.InvalidConfigException;
import org.ilinks.governance.minimise.Pseudonymiser;
import org.ilinks.support.IntakeSender;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Pseudonyms are stable across restarts, differ between services, and need the secret." Two services pseudonymise
 * the NHS number, each with its own key file; the same patient is sent before and after a restart on the same
 * config and data folders.
 */
class PseudonymStabilityTest {

    private static final String NHS = SyntheticHl7.NHS_8;

    @TempDir
    Path root;

    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.stop();
        }
    }

    @Test
    void sameAcrossRestartsDifferentBetweenServicesAndRefusedWithoutTheKey() throws Exception {
        engine = new TestEngine(root);
        Path keys = engine.configDir().resolve("profiles/keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("planning.key"), "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90\n");
        Files.writeString(keys.resolve("research.key"), "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n");
        for (String id : new String[] {"planning", "research"}) {
            engine.profile(id, "description: pseudonymised\npseudonymisation:\n  keyFile: keys/" + id + ".key\n"
                    + "segments:\n  PID:\n    PID-3[type=NH].1: pseudonymise\n    PID-3[type=NH].5: keep\n"
                    + "  PV1:\n    PV1-2: keep\n");
            engine.service(id + ".yaml", "id: " + id + "\ndescription: pseudonymised feed\nsubscribe:\n"
                    + "  messageTypes: [ADT^A01]\ngovernance:\n  consent: opt-out\nendpoint:\n  folder:\n"
                    + "    path: out/" + id + "\n");
        }
        engine.start();

        send("PS-1");
        String planningBefore = pseudonym("planning", "PS-1");
        String researchBefore = pseudonym("research", "PS-1");

        engine.stop();
        engine.start();
        send("PS-2");
        String planningAfter = pseudonym("planning", "PS-2");
        String researchAfter = pseudonym("research", "PS-2");

        assertThat(planningBefore).matches("[0-9a-f]{32}");
        assertThat(planningAfter).as("same patient, same service, after a restart").isEqualTo(planningBefore);
        assertThat(researchAfter).as("same patient, same service, after a restart").isEqualTo(researchBefore);
        assertThat(researchBefore).as("different services, different keys").isNotEqualTo(planningBefore);
        // Only the holder of the secret can recompute it: it is the keyed HMAC, not a plain hash of the number.
        byte[] planningSecret = Files.readString(keys.resolve("planning.key")).strip().getBytes(StandardCharsets.UTF_8);
        assertThat(new Pseudonymiser(planningSecret, Pseudonymiser.Encoding.HEX, 32).pseudonym(NHS))
                .isEqualTo(planningBefore);
        for (String service : new String[] {"planning", "research"}) {
            assertThat(EngineDecisions.deliveredTo(engine.folderOut(service)))
                    .as("no raw NHS number delivered to " + service).hasSize(2)
                    .noneMatch(text -> text.contains(NHS));
        }

        engine.stop();
        Path planningKey = keys.resolve("planning.key");
        Files.delete(planningKey);
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(engine.settings());
        assertThat(loaded.isValid()).isFalse();
        assertThat(loaded.problems()).map(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("profiles/planning.yaml", planningKey.toString(), "does not exist"));
        assertThatThrownBy(engine::start).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(planningKey.toString());
    }

    private void send(String controlId) throws Exception {
        try (IntakeSender sender = new IntakeSender(engine.port())) {
            assertThat(sender.send(SyntheticHl7.admission(controlId, NHS).bytes())).isEqualTo("AA");
        }
    }

    private String pseudonym(String service, String controlId) throws Exception {
        await(controlId + " delivered to " + service).atMost(Duration.ofSeconds(10))
                .until(() -> EngineDecisions.delivered(engine, service, controlId).isPresent());
        return SyntheticHl7.pid3Component(EngineDecisions.delivered(engine, service, controlId).orElseThrow(), 1);
    }
}
