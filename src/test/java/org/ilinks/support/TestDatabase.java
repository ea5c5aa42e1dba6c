package org.ilinks.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;

/**
 * A migrated engine database for a test: H2 in a temp folder, or, when PostgreSQL answers on 127.0.0.1:5432, a fresh
 * schema in its {@code test} database, dropped afterwards. The PostgreSQL case is skipped with a message otherwise.
 */
public record TestDatabase(Database database, String schema) implements AutoCloseable {

    public static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    public static TestDatabase open(String kind, Path tmp) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("ilinks.data.dir", tmp.resolve("data-" + UUID.randomUUID()).toString());
        String schema = null;
        if (kind.equals("postgresql")) {
            assumeTrue(postgresAnswers(),
                    "PostgreSQL is not running on 127.0.0.1:5432: the PostgreSQL run is skipped");
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
        try {
            return new TestDatabase(Database.open(settings), schema);
        } catch (Exception e) {
            dropSchema(schema);
            throw e;
        }
    }

    public static boolean postgresAnswers() {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    static void dropSchema(String schema) throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Override
    public void close() throws Exception {
        database.close();
        dropSchema(schema);
    }
}
