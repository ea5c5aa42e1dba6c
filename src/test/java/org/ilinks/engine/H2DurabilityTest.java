package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's default database is an H2 file, which writes committed rows to disk up to a second late. A process
 * killed in that second loses them, unless the writer made them durable ({@link Database#makeDurable}): the audit
 * writer does so before acknowledging a batch to the broker, and so do consent changes. Shown with a child JVM that
 * commits rows and halts at once, as a SIGKILL would stop it.
 */
class H2DurabilityTest {

    @TempDir
    Path tmp;

    @Test
    void rowsMadeDurableSurviveAKilledProcessAndRowsOnlyCommittedDoNot() throws Exception {
        assertThat(commitThenDie(tmp.resolve("durable"), true)).as("committed, made durable, then killed")
                .isEqualTo(Probe.ROWS);
        // Without it the same rows are lost: if H2 ever writes at commit by itself, this says the call can go.
        assertThat(commitThenDie(tmp.resolve("committed"), false)).as("committed only, then killed")
                .isLessThan(Probe.ROWS);
    }

    private static long commitThenDie(Path dir, boolean durable) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";AUTO_SERVER=TRUE";
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ChildEngine.classpath(), Probe.class.getName(), url, Boolean.toString(durable)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        assertThat(child.exitValue()).as("the probe halted itself after committing").isEqualTo(Probe.HALTED);
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM probe")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The child: commits rows one by one, optionally makes them durable, then halts without any shutdown. */
    public static final class Probe {
        static final int ROWS = 500;
        static final int HALTED = 42;

        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
                c.createStatement().execute("CREATE TABLE probe (id INT PRIMARY KEY)");
                // The table itself must survive for the count to mean anything.
                Database.makeDurable(c);
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe VALUES (?)")) {
                    for (int i = 0; i < ROWS; i++) {
                        ps.setInt(1, i);
                        ps.executeUpdate();
                        c.commit();
                    }
                }
                if (Boolean.parseBoolean(args[1])) {
                    Database.makeDurable(c);
                }
                Runtime.getRuntime().halt(HALTED);
            }
        }
    }
}
