package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Audit events on the ilinks.audit queue: what is encoded comes back equal, and junk is refused without quoting it. */
class AuditEventCodecTest {

    @Test
    void eventsSurviveTheQueueExactly() {
        AuditEvent full = new AuditEvent("01M8CPZER21S2G1V8N02PYGM2V", AuditEventType.DELIVERED, AuditEvent.SUCCESS,
                Instant.parse("2026-11-26T10:15:30.123456789Z"), AuditEvent.SYSTEM, "node-1", "10.0.0.5:2575",
                "node-1", "9434765919", "01M8CPZER21S2G1V8N02PYGM2W", "ward", "ADT^A01 delivered by mllp, ACK AA");
        AuditEvent sparse = new AuditEvent("01M8CPZER21S2G1V8N02PYGM2X", AuditEventType.CONFIG_LOADED,
                AuditEvent.SUCCESS, Instant.parse("2026-11-26T10:15:31Z"), AuditEvent.SYSTEM, "node-1", null,
                "node-1", null, null, null, null);

        List<AuditEvent> back = AuditEventCodec.decode(AuditEventCodec.encode(List.of(full, sparse)));

        assertThat(back).containsExactly(full, sparse);
        assertThat(back.get(0).canonical()).isEqualTo(full.canonical());
    }

    @Test
    void aBatchAnEarlierVersionLeftOnTheQueueAsJsonIsStillRead() {
        String json = "[{\"id\":\"01M8CPZER21S2G1V8N02PYGM2V\",\"type\":\"DELIVERED\",\"outcome\":0,"
                + "\"at\":1795687530123456,\"actorType\":\"system\",\"actorId\":\"node-1\",\"actorAddress\":null,"
                + "\"source\":\"node-1\",\"nhs\":\"9434765919\",\"message\":\"01M8CPZER21S2G1V8N02PYGM2W\","
                + "\"service\":\"ward\",\"detail\":\"ADT^A01 delivered by mllp\"}]";

        List<AuditEvent> back = AuditEventCodec.decodeJson(json);

        assertThat(back).hasSize(1);
        assertThat(back.get(0).type()).isEqualTo(AuditEventType.DELIVERED);
        assertThat(back.get(0).recordedAt()).isEqualTo(Instant.ofEpochSecond(1795687530L, 123456000L));
        assertThat(back.get(0).nhsNumber()).isEqualTo("9434765919");
        assertThat(back.get(0).actorAddress()).isNull();
    }

    @Test
    void aDamagedBinaryBatchIsRefusedWithoutQuotingIt() {
        byte[] good = AuditEventCodec.encode(List.of(new AuditEvent("01M8CPZER21S2G1V8N02PYGM2V",
                AuditEventType.DELIVERED, AuditEvent.SUCCESS, Instant.parse("2026-11-26T10:15:30Z"),
                AuditEvent.SYSTEM, "node-1", null, "node-1", "9434765919", "01M8CPZER21S2G1V8N02PYGM2W", "ward",
                "SMITH")));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        byte[] extra = java.util.Arrays.copyOf(good, good.length + 1);
        byte[] wrongFormat = good.clone();
        wrongFormat[0] = 9;

        for (byte[] bad : List.of(cut, extra, wrongFormat, new byte[0], "SMITH 9434765919".getBytes())) {
            assertThatThrownBy(() -> AuditEventCodec.decode(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not an audit event batch")
                    .message().doesNotContain("9434765919").doesNotContain("SMITH");
        }
    }

    @Test
    void somethingThatIsNotABatchIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> AuditEventCodec.decodeJson("[{\"nhs\": 9434765919 SMITH}]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an audit event batch")
                .message().doesNotContain("9434765919").doesNotContain("SMITH");
        assertThatThrownBy(() -> AuditEventCodec.decodeJson("{\"nhs\": \"9434765919\"}"))
                .hasMessage("not an audit event batch: not a JSON array");
    }
}
