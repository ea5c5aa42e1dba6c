package org.ilinks.audit;

import java.sql.SQLException;

/**
 * The audit store's database refused or failed an operation. Carries the SQL state and vendor code only: driver
 * messages can quote the values of the failing row (an NHS number), so the driver's exception is not kept.
 */
public final class AuditStoreException extends RuntimeException {

    private final String sqlState;

    AuditStoreException(String operation, SQLException e) {
        super("audit store could not " + operation + " (SQL state " + e.getSQLState() + ", code "
                + e.getErrorCode() + ", " + e.getClass().getSimpleName() + ")");
        this.sqlState = e.getSQLState();
    }

    AuditStoreException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = null;
    }

    /** The SQL state of the database's refusal, or null when the failure was not the database's. */
    public String sqlState() {
        return sqlState;
    }
}
