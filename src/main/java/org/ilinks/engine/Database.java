package org.ilinks.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;

/**
 * The engine's database (H2 file by default, PostgreSQL in production): a connection pool, and the one schema,
 * brought up to date by Flyway migrations in {@code src/main/resources/db/migration} before anything uses it.
 */
public final class Database implements AutoCloseable {

    static {
        // H2's mixed mode (the default file database) serves the file to the CLI over TCP, on every interface
        // unless told otherwise. H2 reads this once, when its classes load, which is after this line: loopback only,
        // unless an operator chose an address with -Dh2.bindAddress.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(Settings settings) throws Exception {
        String url = settings.databaseUrl();
        if (url.startsWith("jdbc:h2:file:")) {
            Files.createDirectories(settings.dataDir().resolve("db"));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(settings.get(Setting.DB_USER).isBlank() && url.startsWith("jdbc:h2:") ? "sa"
                : settings.get(Setting.DB_USER));
        config.setPassword(settings.get(Setting.DB_PASSWORD));
        config.setMaximumPoolSize(16);
        config.setPoolName("ilinks-db");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /**
     * Makes what this connection committed survive a crash of the engine's process before it goes on. PostgreSQL's
     * commit already does. H2's file database writes committed changes to disk up to a second later: a process killed
     * in that second loses them (measured: every one of 2,000 committed rows). Writing at every commit (H2's
     * WRITE_DELAY=0) made each commit ten times dearer, so the writers whose rows must not be lost call this once
     * per batch instead: the audit writer before it acknowledges a batch to the broker, and consent changes.
     */
    public static void makeDurable(java.sql.Connection c) throws java.sql.SQLException {
        if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
