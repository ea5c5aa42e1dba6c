package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.ilinks.config.Settings;
import org.ilinks.message.MessageHeaders;
import org.ilinks.routing.DuplicateFilter;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one schema, migrated by Flyway, on H2 (the default) and on PostgreSQL (production) when a server answers on
 * 127.0.0.1:5432; the duplicate check behaves the same on both.
 */
class DatabaseTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void migratesAndRecognisesAResentMessage(String kind) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("ilinks.data.dir", tmp.resolve("data").toString());
        String schema = null;
        if (kind.equals("postgresql")) {
            assumeTrue(postgresAnswers(), "PostgreSQL is not running on 127.0.0.1:5432: the PostgreSQL run is skipped");
            schema = "ilinks_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            overrides.put("ilinks.db.url", POSTGRES + "?currentSchema=" + schema);
            overrides.put("ilinks.db.user", "postgres");
        }
        Path project = TestEngine.projectDir();
        Settings settings = Settings.load(project.resolve("config"), project.resolve("routes"), overrides);
        try (Database db = Database.open(settings); CamelContext camel = new DefaultCamelContext()) {
            DuplicateFilter filter = new DuplicateFilter(db.dataSource(), Duration.ofHours(1));
            Exchange first = message(camel, "ID-1", "CTRL-1", 1_000);
            Exchange redelivered = message(camel, "ID-1", "CTRL-1", 1_000);
            Exchange resent = message(camel, "ID-2", "CTRL-1", 2_000);
            Exchange other = message(camel, "ID-3", "CTRL-2", 3_000);
            filter.check(first);
            filter.check(redelivered);
            filter.check(resent);
            filter.check(other);
            assertThat(first.getProperty(DuplicateFilter.DUPLICATE, Boolean.class)).isFalse();
            assertThat(redelivered.getProperty(DuplicateFilter.DUPLICATE, Boolean.class))
                    .as("the same message redelivered after a crash is not its own duplicate").isFalse();
            assertThat(resent.getProperty(DuplicateFilter.DUPLICATE, Boolean.class)).isTrue();
            assertThat(other.getProperty(DuplicateFilter.DUPLICATE, Boolean.class)).isFalse();
            Exchange muchLater = message(camel, "ID-4", "CTRL-1", 2_000 + Duration.ofHours(2).toMillis());
            filter.check(muchLater);
            assertThat(muchLater.getProperty(DuplicateFilter.DUPLICATE, Boolean.class))
                    .as("outside the window it is a new message").isFalse();
            assertThat(filter.prune()).as("keys older than the window are forgotten").isEqualTo(2);
        } finally {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private static Exchange message(CamelContext camel, String id, String controlId, long receivedAt) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(MessageHeaders.MESSAGE_ID, id);
        e.getIn().setHeader(MessageHeaders.SENDING_APPLICATION, "PAS");
        e.getIn().setHeader(MessageHeaders.SENDING_FACILITY, "REM");
        e.getIn().setHeader(MessageHeaders.CONTROL_ID, controlId);
        e.getIn().setHeader(MessageHeaders.RECEIVED_AT, receivedAt);
        return e;
    }

    private static boolean postgresAnswers() {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
