package org.ilinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trust consumes its queue from the engine's embedded broker over TCP ({@code ilinks.broker.embedded.port}), as
 * its own system would: a plain JMS client in another connection, receiving the message as sent, with its id.
 */
class TrustQueueOverTcpTest {

    @TempDir
    Path tmp;

    @Test
    void aTrustReadsItsQueueOverTcp() throws Exception {
        int brokerPort = TestEngine.freePort();
        try (TestEngine engine = new TestEngine(tmp)
                .set("ilinks.broker.embedded.port", Integer.toString(brokerPort))
                .queueService("community", "trust.community.adt", "ADT^A03")
                .start()) {
            byte[] a03 = ("MSH|^~\\&|PAS|REM|ILINKS|NMERSEY|20261127160000||ADT^A03^ADT_A03|TCP-1|P|2.4\r"
                    + "PID|1||9434765919^^^NHS^NH||SMITH^JANE||19560312|F\r").getBytes(StandardCharsets.UTF_8);
            try (MllpClient client = new MllpClient("127.0.0.1", engine.port(), 2000, 10000)) {
                assertThat(AckSummary.parse(client.send(a03)).code()).isEqualTo("AA");
            }
            try (ActiveMQConnectionFactory trust = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
                 Connection c = trust.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("trust.community.adt"));
                Message[] got = new Message[1];
                await().atMost(Duration.ofSeconds(20)).until(() -> (got[0] = consumer.receive(500)) != null);
                BytesMessage m = (BytesMessage) got[0];
                byte[] body = new byte[(int) m.getBodyLength()];
                m.readBytes(body);
                assertThat(body).isEqualTo(a03);
                assertThat(m.getStringProperty("ilinksMessageId")).matches("[0-9A-Z]{26}");
                assertThat(m.getStringProperty("hl7ControlId")).isEqualTo("TCP-1");
            }
        }
    }
}
