package org.ilinks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.ilinks.message.MessageIds;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store over JDBC on H2 and on PostgreSQL (when a server answers on 127.0.0.1:5432): the chain, redelivered
 * batches, the queries, and concurrent appenders that must still build one chain.
 */
class AuditStoreTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void appendsChainsSkipsRedeliveredEventsAndReadsBack(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve(kind + "-head"));
            AuditStore store = new AuditStore(db.database().dataSource(), head);
            String message = MessageIds.next();
            AuditEvent received = new AuditEvent(MessageIds.next(), AuditEventType.RECEIVED, AuditEvent.SUCCESS,
                    AuditEvents.T0, AuditEvent.SYSTEM, "node-1", "10.0.0.7", "node-1", AuditEvents.NHS, message,
                    null, "mllp, 812 bytes, from PAS");
            AuditEvent delivered = AuditEvents.hop(AuditEventType.DELIVERED, message, "ward", "ADT^A01 ack AA", 1);
            AuditEvent withheld = AuditEvents.hop(AuditEventType.WITHHELD, message, "study", "DISSENT_ALL", 1);

            assertThat(store.append(List.of(received, delivered))).isEqualTo(2);
            assertThat(store.append(List.of(delivered, withheld, withheld))).as("redelivered and repeated").isOne();
            assertThat(store.append(List.of())).isZero();
            Path blocked = java.nio.file.Files.writeString(tmp.resolve(kind + "-blocked"), "a file, not a folder");
            AuditHeadFile unwritable = new AuditHeadFile(blocked.resolve("head"));
            AuditStore failing = new AuditStore(db.database().dataSource(), unwritable);
            AuditEvent late = AuditEvents.hop(AuditEventType.PARKED, "m-late", "ward", "NO_ROUTE", 9);
            assertThatThrownBy(() -> failing.append(List.of(late))).isInstanceOf(java.io.UncheckedIOException.class);
            java.nio.file.Files.delete(blocked);
            assertThat(failing.append(List.of(late))).as("the batch sent again after the head write failed")
                    .isZero();
            assertThat(unwritable.last()).as("the head file is level with the table again")
                    .hasValueSatisfying(h -> assertThat(h.seq()).isEqualTo(4));

            List<StoredEvent> all = new ArrayList<>();
            store.forEach(AuditStore.Filter.all(), all::add);
            assertThat(all).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(all.get(0).event()).isEqualTo(received);
            assertThat(all.get(0).event().recordedAt()).as("microseconds survive the round trip")
                    .isEqualTo(Instant.parse("2026-06-15T10:00:00.123456Z"));
            assertThat(all.get(0).prevHash()).isEqualTo(ChainHash.GENESIS);
            assertThat(all.get(0).hash()).isEqualTo(ChainHash.of(ChainHash.GENESIS, received));
            assertThat(all.get(1).prevHash()).isEqualTo(all.get(0).hash());
            assertThat(all.get(2).hash()).isEqualTo(ChainHash.of(all.get(1).hash(), withheld));
            assertThat(store.chainHead()).isEqualTo(new ChainHead(4, all.get(3).hash()));
            assertThat(head.last()).contains(new ChainHead(3, all.get(2).hash()));

            assertThat(store.trail(message)).containsExactly(received, delivered, withheld);
            assertThat(store.trail("01NOSUCHMESSAGE00000000000")).isEmpty();
            assertThat(store.patient(AuditEvents.NHS, null, null)).hasSize(4);
            assertThat(store.patient(AuditEvents.NHS, AuditEvents.T0.plusSeconds(1), AuditEvents.T0.plusSeconds(120)))
                    .containsExactly(delivered, withheld);
            assertThat(store.patient(AuditEvents.NHS, null, AuditEvents.T0.plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MICROS)))
                    .as("to is exclusive").containsExactly(received);
            assertThat(store.patient("9434765870", null, null)).isEmpty();
            List<AuditEvent> ward = new ArrayList<>();
            store.forEach(new AuditStore.Filter(null, null, AuditEventType.DELIVERED, "ward", null, null),
                    s -> ward.add(s.event()));
            assertThat(ward).containsExactly(delivered);
            assertThat(AuditVerifier.verify(db.database().dataSource(), unwritable))
                    .isEqualTo(new VerifyReport(true, 4, null, null));
            assertThat(AuditVerifier.verify(db.database().dataSource(), head)).as("a head file one append behind")
                    .isEqualTo(new VerifyReport(true, 4, null, null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void streamsMoreThanOnePageInOrderAndCutsOverlongValuesBeforeHashing(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve(kind + "-head"));
            AuditStore store = new AuditStore(db.database().dataSource(), head);
            for (int i = 0; i < 5; i++) {
                assertThat(store.append(AuditEvents.batch(500))).isEqualTo(500);
            }
            AuditEvent longDetail = AuditEvents.hop(AuditEventType.PARKED, "m", "ward",
                    "x".repeat(2500) + "\uD83D\uDE00", 0);
            assertThat(store.append(List.of(longDetail))).isOne();

            long[] last = {0};
            int[] count = {0};
            store.forEach(AuditStore.Filter.all(), s -> {
                assertThat(s.seq()).isEqualTo(last[0] + 1);
                last[0] = s.seq();
                count[0]++;
            });
            assertThat(count[0]).isEqualTo(2501);
            assertThat(store.trail("m")).singleElement().satisfies(e -> assertThat(e.detail()).hasSize(2000));
            assertThat(AuditVerifier.verify(db.database().dataSource(), head).ok()).isTrue();
        }
    }

    /** Another pool on the same database, as a second engine process would have. */
    private static HikariDataSource secondPool(TestDatabase db) {
        HikariDataSource first = (HikariDataSource) db.database().dataSource();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(first.getJdbcUrl());
        config.setUsername(first.getUsername());
        config.setPassword(first.getPassword());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void concurrentAppendersKeepOneChain(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp);
             HikariDataSource second = secondPool(db)) {
            AuditHeadFile head = new AuditHeadFile(tmp.resolve(kind + "-head"));
            List<AuditStore> stores = List.of(new AuditStore(db.database().dataSource(), head),
                    new AuditStore(db.database().dataSource(), head),
                    new AuditStore(second, head),
                    new AuditStore(second, head));
            ExecutorService pool = Executors.newFixedThreadPool(stores.size());
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (AuditStore store : stores) {
                    done.add(pool.submit((Callable<Integer>) () -> {
                        int added = 0;
                        for (int i = 0; i < 20; i++) {
                            added += store.append(AuditEvents.batch(25));
                        }
                        return added;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get()).isEqualTo(500);
                }
            } finally {
                pool.shutdownNow();
            }

            DataSource ds = db.database().dataSource();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_event")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2000);
                assertThat(rs.getLong(2)).isEqualTo(1);
                assertThat(rs.getLong(3)).isEqualTo(2000);
            }
            assertThat(AuditVerifier.verify(ds, head)).isEqualTo(new VerifyReport(true, 2000, null, null));
            assertThat(head.last()).hasValueSatisfying(h -> assertThat(h.seq()).isEqualTo(2000));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void findsAMessageByItsTimeOrderedKeyAndRowsWrittenWithTheOlderHashedKey(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditStore store = new AuditStore(db.database().dataSource(), new AuditHeadFile(tmp.resolve(kind + "-h")));
            String older = MessageIds.next();
            String newer = MessageIds.next();
            AuditEvent before = AuditEvents.hop(AuditEventType.DELIVERED, older, "ward", "ADT^A01 ack AA", 1);
            AuditEvent after = AuditEvents.hop(AuditEventType.DELIVERED, newer, "ward", "ADT^A01 ack AA", 2);
            store.append(List.of(before, after));
            // What a version before the time-ordered key wrote for the first message.
            try (Connection c = db.database().dataSource().getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement(
                         "UPDATE audit_event SET message_key = ? WHERE message_id = ?")) {
                ps.setLong(1, AuditStore.key(older));
                ps.setString(2, older);
                assertThat(ps.executeUpdate()).isOne();
            }

            assertThat(store.trail(older)).containsExactly(before);
            assertThat(store.trail(newer)).containsExactly(after);
            assertThat(AuditStore.messageKey(newer)).as("later ids, larger keys: new rows go to the index's end")
                    .isGreaterThan(AuditStore.messageKey(older));
            AuditEvent configuration = new AuditEvent(MessageIds.next(), AuditEventType.CONFIG_LOADED,
                    AuditEvent.SUCCESS, AuditEvents.T0, AuditEvent.SYSTEM, "node-1", null, "node-1", null, null, null,
                    "configuration loaded");
            assertThat(store.append(List.of(configuration))).isOne();
            assertThat(store.append(List.of(configuration, after))).as("sent again, one about no message").isZero();
            assertThat(AuditStore.messageKey("MSG00001")).as("a text not of our making is hashed")
                    .isEqualTo(AuditStore.key("MSG00001"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aPatientsEventsAreFoundThoughOnlyOneEventPerMessageAndBatchCarriesThePatientKey(String kind)
            throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp)) {
            AuditStore store = new AuditStore(db.database().dataSource(), new AuditHeadFile(tmp.resolve(kind + "-p")));
            String message = MessageIds.next();
            List<AuditEvent> routing = List.of(
                    AuditEvents.hop(AuditEventType.CONSENT_DECISION, message, "ward", "CONSENTED", 1),
                    AuditEvents.hop(AuditEventType.MINIMISED, message, "ward", "profile ward", 2),
                    AuditEvents.hop(AuditEventType.QUEUED, message, "ward", "queued", 3));
            AuditEvent delivered = AuditEvents.hop(AuditEventType.DELIVERED, message, "ward", "ACK AA", 4);
            AuditEvent other = AuditEvents.hop(AuditEventType.DELIVERED, MessageIds.next(), "ward", "ACK AA", 5);
            store.append(routing);
            store.append(List.of(delivered, other));

            try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM audit_event WHERE patient_key IS NOT NULL")) {
                rs.next();
                assertThat(rs.getLong(1)).as("one keyed event per message and batch").isEqualTo(3);
            }
            List<AuditEvent> expected = new ArrayList<>(routing);
            expected.add(delivered);
            expected.add(other);
            assertThat(store.patient(AuditEvents.NHS, null, null)).containsExactlyElementsOf(expected);
            assertThat(store.patient("9434765870", null, null)).isEmpty();
        }
    }
}
