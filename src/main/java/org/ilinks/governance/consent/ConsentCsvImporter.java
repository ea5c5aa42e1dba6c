package org.ilinks.governance.consent;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Imports a consent CSV file (format: {@link ConsentCsvFormat}) into the registry: good rows are recorded, bad rows
 * are reported by line and left out, and the import itself is recorded in {@code consent_import} (who ran it, the
 * file, the counts, when). All of it is one transaction, so a failure part-way leaves nothing half imported.
 */
public final class ConsentCsvImporter {

    private final DataSource dataSource;

    public ConsentCsvImporter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param runBy who ran the import (recorded in consent_import)
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file has no usable header row; nothing is imported
     */
    public ConsentImportReport importFile(Path file, String runBy, Instant now) throws IOException {
        ConsentCsvFile.Document document = ConsentCsvFile.open(file);
        CsvText.Parsed parsed = document.parsed();
        ConsentCsvFormat format = document.format();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ConsentImportReport report = importRows(c, format, parsed, file, runBy, now);
                c.commit();
                org.ilinks.engine.Database.makeDurable(c);
                return report;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ConsentStoreException("import " + file.getFileName(), e);
        }
    }

    private static ConsentImportReport importRows(Connection c, ConsentCsvFormat format, CsvText.Parsed parsed,
                                                  Path file, String runBy, Instant now) throws SQLException {
        long importId = startImport(c, file, runBy, now);
        int imported = 0;
        List<String> problems = new ArrayList<>();
        for (CsvText.Row row : parsed.rows().subList(1, parsed.rows().size())) {
            ConsentCsvFormat.RowResult result = format.read(row.line(), row.fields(), now, importId);
            if (result.ok()) {
                ConsentRegistry.insert(c, result.directive());
                imported++;
            } else {
                problems.add("line " + row.line() + ": " + String.join("; ", result.problems()));
            }
        }
        if (parsed.unclosedQuoteLine() > 0) {
            problems.add("line " + parsed.unclosedQuoteLine()
                    + ": a quoted field is never closed; the rest of the file was not read");
        }
        finishImport(c, importId, imported, problems.size(), Instant.now());
        return new ConsentImportReport(importId, imported, problems.size(), List.copyOf(problems));
    }

    private static long startImport(Connection c, Path file, String runBy, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent_import (file_name, run_by, started_at, "
                + "rows_imported, rows_rejected) VALUES (?, ?, ?, 0, 0)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, truncate(file.toAbsolutePath().normalize().toString(), 1000));
            ps.setString(2, truncate(runBy, 200));
            ps.setObject(3, ConsentRegistry.utc(now));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated id returned", "ILNK1");
                }
                return keys.getLong(1);
            }
        }
    }

    private static void finishImport(Connection c, long id, int imported, int rejected, Instant finished)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE consent_import SET rows_imported = ?, "
                + "rows_rejected = ?, finished_at = ? WHERE id = ?")) {
            ps.setInt(1, imported);
            ps.setInt(2, rejected);
            ps.setObject(3, ConsentRegistry.utc(finished));
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
