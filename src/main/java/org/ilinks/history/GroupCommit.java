package org.ilinks.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Runs one SQL statement for many threads at once: each caller queues its parameters and waits until they are
 * committed; whichever caller finds no batch being written writes everything queued, as one JDBC batch in one
 * transaction, and wakes the others. With every delivery consumer updating its own row at the end of each delivery,
 * one transaction for several rows costs far less (on H2 most of all) than one each, and each caller still returns
 * only once its row is committed, exactly as with a write of its own.
 */
final class GroupCommit {

    private static final int MAX_BATCH = 500;

    private record Pending(Object[] values, CompletableFuture<Void> done) {
    }

    private final DataSource dataSource;
    private final String sql;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    GroupCommit(DataSource dataSource, String sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }

    /** Returns once these values' statement is committed; throws the batch's failure otherwise. */
    void write(Object... values) throws SQLException {
        Pending mine = new Pending(values, new CompletableFuture<>());
        queue.add(mine);
        while (true) {
            writeQueued();
            try {
                mine.done().get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // Queued after a batch was taken and before its writer let go: this caller writes it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a history write", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof SQLException s ? s : new SQLException(e.getCause());
            }
        }
    }

    /** Writes batches while anything is queued, unless another caller is writing already. */
    private void writeQueued() {
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                List<Pending> batch = new ArrayList<>();
                Pending next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
            } finally {
                writing.set(false);
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Pending p : batch) {
                    for (int i = 0; i < p.values().length; i++) {
                        ps.setObject(i + 1, p.values()[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            batch.forEach(p -> p.done().complete(null));
        } catch (SQLException | RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }
}
