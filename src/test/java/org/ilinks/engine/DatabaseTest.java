package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.ilinks.message.MessageHeaders;
import org.ilinks.routing.DuplicateFilter;
import org.ilinks.support.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one schema, migrated by Flyway, on H2 (the default) and on PostgreSQL (production) when a server answers on
 * 127.0.0.1:5432; the duplicate check behaves the same on both.
 */
class DatabaseTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void migratesAndRecognisesAResentMessage(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind, tmp); CamelContext camel = new DefaultCamelContext()) {
            DuplicateFilter filter = new DuplicateFilter(db.database().dataSource(), Duration.ofHours(1));
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

    /** The default H2 file is served to the CLI over TCP while the engine runs: on loopback, never the network. */
    @org.junit.jupiter.api.Test
    void theMixedModeServerListensOnLoopbackOnly() throws Exception {
        org.ilinks.config.Settings settings = org.ilinks.config.Settings.load(tmp.resolve("config"), tmp.resolve("routes"),
                java.util.Map.of("ilinks.data.dir", tmp.resolve("data").toString()));
        try (Database db = Database.open(settings); java.sql.Connection c = db.dataSource().getConnection()) {
            String lock = new String(java.nio.file.Files.readAllBytes(tmp.resolve("data/db/ilinks.lock.db")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher server = java.util.regex.Pattern.compile("server=[^\\\\:]*\\\\?:(\\d+)").matcher(lock);
            assertThat(server.find()).as("lock file names the server: %s", lock).isTrue();
            int port = Integer.parseInt(server.group(1));
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).isTrue();
            }
            java.util.List<java.net.InetAddress> others = java.util.Collections.list(
                    java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).toList();
            org.junit.jupiter.api.Assumptions.assumeFalse(others.isEmpty(), "no non-loopback address to try");
            for (java.net.InetAddress address : others) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new java.net.InetSocketAddress(address, port), 2000);
                    }
                }).as("H2 server reachable on %s", address).isInstanceOf(java.io.IOException.class);
            }
        }
    }
}
