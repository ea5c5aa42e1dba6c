package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws 10,000 random, truncated and mutated payloads at the inspector: it must never throw,
 * always return a self-consistent decision, and the ACK for it must always parse.
 */
class Hl7InspectorFuzzTest {

    private static final int INPUTS = 10_000;
    private static final byte[] INTERESTING = "|^~\\&#!@%*\r\n MSHPID0123456789".getBytes(StandardCharsets.US_ASCII);

    private final Hl7Inspector inspector =
            new Hl7Inspector(Hl7Inspector.DEFAULT_ACCEPTED_VERSIONS, StandardCharsets.UTF_8);
    private final AckBuilder acks = new AckBuilder("ILINKS", "ILINKS");

    @Test
    void randomTruncatedAndMutatedInputsNeverThrow() throws Exception {
        long seed = Long.getLong("ilinks.fuzz.seed", 20250301L);
        Random random = new Random(seed);
        List<byte[]> seeds = List.of(
                Fixtures.bytes(Fixtures.BASE),
                Fixtures.bytes(Fixtures.CUSTOM_DELIMITERS),
                Fixtures.bytes(Fixtures.LATIN1),
                Fixtures.bytes(Fixtures.PID19),
                Fixtures.utf8("\uFEFF\r\nMSH|^~\\&#|A|B|||20250301||ORU^R01|X|P|2.5.1|||||UNICODE UTF-8\nPID|1||9434765919^^^NHS^NH"));
        int accepted = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random);
                case 1 -> truncate(random, seeds.get(random.nextInt(seeds.size())));
                case 2 -> mutate(random, seeds.get(random.nextInt(seeds.size())));
                default -> truncate(random, mutate(random, seeds.get(random.nextInt(seeds.size()))));
            };
            Inspection inspection = inspector.inspect(input);
            assertThat(inspection.rejection() == null || !inspection.rejection().code().equals("207"))
                    .as("internal error for input %d of seed %d", i, seed).isTrue();
            assertThat(inspection).isNotNull();
            assertThat(inspection.accepted()).isEqualTo(inspection.rejection() == null);
            assertThat(inspection.charset()).isNotNull();
            if (inspection.accepted()) {
                accepted++;
            } else {
                assertThat(inspection.rejection().reason()).isNotBlank();
                assertThat(inspection.rejection().code()).isIn("100", "101", "102", "203");
            }
            if (i % 10 == 0) {
                String ack = acks.acknowledge(inspection);
                Terser terser = new Terser(Hl7Context.parser().parse(ack));
                assertThat(terser.get("/MSA-1")).isEqualTo(inspection.accepted() ? "AA" : "AR");
            }
        }
        // The mutations must leave some inputs valid, or the test would only exercise rejection.
        assertThat(accepted).isBetween(1, INPUTS - 1);
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        if (random.nextBoolean() && bytes.length > 3) {
            bytes[0] = 'M';
            bytes[1] = 'S';
            bytes[2] = 'H';
        }
        return bytes;
    }

    private static byte[] truncate(Random random, byte[] seed) {
        return Arrays.copyOf(seed, random.nextInt(seed.length + 1));
    }

    private static byte[] mutate(Random random, byte[] seed) {
        List<Byte> bytes = new ArrayList<>(seed.length);
        for (byte b : seed) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
            int at = random.nextInt(bytes.size());
            byte value = random.nextInt(3) == 0
                    ? (byte) random.nextInt(256)
                    : INTERESTING[random.nextInt(INTERESTING.length)];
            switch (random.nextInt(3)) {
                case 0 -> bytes.set(at, value);
                case 1 -> bytes.add(at, value);
                default -> bytes.remove(at);
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
