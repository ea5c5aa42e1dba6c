package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.ilinks.message.MessageIds;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hop's events are sent in the hop's own JMS transaction: a hop that flushed its events and then rolled back leaves
 * none of them behind. Shown with a transacted route on the engine's own broker and beans whose first attempt fails
 * after its flush and whose second succeeds: the trail has the second attempt's event only.
 */
class AuditInTheHopTransactionTest {

    @TempDir
    Path tmp;

    @Test
    void aRolledBackHopTakesItsEventsWithIt() throws Exception {
        try (TestEngine te = new TestEngine(tmp)) {
            te.start();
            AuditTrail audit = te.engine().camelContext().getRegistry().lookupByNameAndType("auditTrail",
                    AuditTrail.class);
            String messageId = MessageIds.next();
            AtomicInteger attempts = new AtomicInteger();
            te.engine().camelContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:ilinks.test.hop?transacted=true&lazyCreateTransactionManager=false"
                            + "&cacheLevelName=CACHE_CONSUMER").routeId("test-hop")
                            .process(exchange -> {
                                int attempt = attempts.incrementAndGet();
                                audit.add(exchange, audit.engineEvent(AuditEventType.DELIVERED, AuditEvent.SUCCESS,
                                        null, null, messageId, "ward", "attempt " + attempt));
                                audit.flush(exchange);
                                if (attempt == 1) {
                                    throw new IllegalStateException("the hop fails after its events were sent");
                                }
                            });
                }
            });
            te.engine().camelContext().createProducerTemplate().sendBody("jms:queue:ilinks.test.hop", "go");

            AuditStore store = new AuditStore(te.engine().dataSource(),
                    new AuditHeadFile(te.engine().settings().auditHeadFile()));
            await("the second attempt's event in the trail").atMost(Duration.ofSeconds(30))
                    .until(() -> !store.trail(messageId).isEmpty());
            Thread.sleep(1500); // a batch the writer is still collecting would hold a stray first-attempt event
            List<AuditEvent> trail = store.trail(messageId);
            assertThat(attempts.get()).as("the broker redelivered the rolled-back hop").isEqualTo(2);
            assertThat(trail).extracting(AuditEvent::detail).containsExactly("attempt 2");
        }
    }
}
