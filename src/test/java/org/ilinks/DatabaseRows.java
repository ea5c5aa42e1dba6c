package org.ilinks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.support.TestEngine;

/** Reads the engine's own tables for assertions. */
final class DatabaseRows {

    private DatabaseRows() {
    }

    static List<String> messageIdsFor(TestEngine engine, String facility, String controlId) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = engine.engine().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT message_id FROM received_message WHERE dedupe_key LIKE ?")) {
            ps.setString(1, "%|" + facility + "|" + controlId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    static int duplicatesRecorded(TestEngine engine) throws Exception {
        try (Connection c = engine.engine().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM duplicate_message");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
