package org.ilinks.governance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ilinks.support.TestEngine;

/** Reads what a running test engine decided and delivered, for the governance engine tests. */
final class EngineDecisions {

    private EngineDecisions() {
    }

    /** The engine's internal id of the message with this control id (MSH-10), once routing has decided on it. */
    static Optional<String> messageIdOf(TestEngine engine, String controlId) throws Exception {
        try (Connection c = engine.engine().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT message_id FROM received_message WHERE dedupe_key LIKE ?")) {
            ps.setString(1, "%|" + controlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The routing decisions recorded for the message with this control id (empty until it is routed). */
    static List<DecisionStore.Row> decisionsFor(TestEngine engine, String controlId) throws Exception {
        Optional<String> id = messageIdOf(engine, controlId);
        return id.isEmpty() ? List.of() : new DecisionStore(engine.engine().dataSource()).decisionsFor(id.get());
    }

    static DecisionStore.Row decision(TestEngine engine, String controlId, String serviceId) throws Exception {
        return decisionsFor(engine, controlId).stream().filter(r -> r.serviceId().equals(serviceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no decision for " + controlId + " and " + serviceId));
    }

    /** The delivered file in a folder service's output holding the message with this control id, if any. */
    static Optional<String> delivered(TestEngine engine, String serviceId, String controlId) throws IOException {
        return deliveredTo(engine.folderOut(serviceId)).stream()
                .filter(text -> text.contains("|" + controlId + "|")).findFirst();
    }

    static List<String> deliveredTo(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".hl7")).sorted().toList()) {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }
}
