package org.ilinks.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ilinks.bench.SyntheticMessages;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.Jms;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several patients' messages, interleaved over several connections, arrive at each service in the order they were
 * received for each patient, while the services deliver with several consumers in parallel.
 */
class PatientOrderTest {

    private static final Pattern SEQUENCE = Pattern.compile("ORDER-(\\d+)-(\\d+)\\|");

    @TempDir
    Path tmp;

    @Test
    void eachPatientsMessagesArriveInOrderAtEveryService() throws Exception {
        int patients = 12;
        int perPatient = 25;
        int connections = 6;
        MllpReceiver fast = new MllpReceiver("127.0.0.1", 0);
        MllpReceiver jittery = new MllpReceiver("127.0.0.1", 0);
        fast.start();
        jittery.start();
        // A receiver that takes a varying time per message would expose any reordering between consumers.
        jittery.respondWith(m -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "AA";
        });
        try (TestEngine engine = new TestEngine(tmp)
                .set("ilinks.routing.consumers", "4")
                .set("ilinks.delivery.consumers", "6")
                .mllpService("fast", fast.port(), "ADT^A08")
                .mllpService("jittery", jittery.port(), "ADT^A08")
                .queueService("trust", "trust.order.test", "ADT^A08")
                .start()) {
            List<MllpClient> pool = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                pool.add(new MllpClient("127.0.0.1", engine.port(), 2000, 20000));
            }
            ExecutorService senders = Executors.newFixedThreadPool(patients);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < patients; p++) {
                int patient = p;
                done.add(senders.submit(() -> {
                    for (int seq = 0; seq < perPatient; seq++) {
                        // each message of a patient may go over a different connection; the next is sent only
                        // after the previous one is ACKed, which defines the order received
                        MllpClient client = pool.get((patient + seq) % connections);
                        byte[] m = message(patient, seq);
                        synchronized (client) {
                            String code = AckSummary.parse(client.send(m)).code();
                            if (!code.equals("AA")) {
                                throw new AssertionError("not accepted: " + code);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            senders.shutdown();
            pool.forEach(MllpClient::close);

            int total = patients * perPatient;
            await().atMost(Duration.ofSeconds(60)).until(() -> fast.count() == total && jittery.count() == total);
            assertInOrder(fast.received(), patients, perPatient);
            assertInOrder(jittery.received(), patients, perPatient);

            List<byte[]> queued = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Jms.drain(engine.engine().connectionFactory(), "trust.order.test", 200).forEach(r -> queued.add(r.body()));
                return queued.size() == total;
            });
            assertInOrder(queued, patients, perPatient);
        } finally {
            fast.stop();
            jittery.stop();
        }
    }

    private static byte[] message(int patient, int seq) {
        String nhs = SyntheticMessages.nhsNumber(patient);
        return ("MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261126091500||ADT^A08^ADT_A01|ORDER-" + patient + "-" + seq
                + "|P|2.4\rPID|1||" + nhs + "^^^NHS^NH||TEST^PATIENT" + patient + "||19700101|U\r")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertInOrder(List<byte[]> received, int patients, int perPatient) {
        Map<Integer, List<Integer>> byPatient = new LinkedHashMap<>();
        for (byte[] m : received) {
            Matcher matcher = SEQUENCE.matcher(new String(m, StandardCharsets.US_ASCII));
            assertThat(matcher.find()).isTrue();
            byPatient.computeIfAbsent(Integer.parseInt(matcher.group(1)), k -> new ArrayList<>())
                    .add(Integer.parseInt(matcher.group(2)));
        }
        assertThat(byPatient).hasSize(patients);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perPatient; i++) {
            expected.add(i);
        }
        byPatient.forEach((patient, seqs) -> assertThat(seqs).as("patient %d", patient).isEqualTo(expected));
    }
}
