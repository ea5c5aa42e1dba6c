package org.ilinks.governance.consent;

import java.sql.SQLException;

/**
 * The consent registry's database refused or failed an operation. Carries the SQL state and vendor code only:
 * driver messages can quote the values of the failing row (an NHS number), so the driver's exception is not kept.
 */
public final class ConsentStoreException extends RuntimeException {

    private final String sqlState;

    ConsentStoreException(String operation, SQLException e) {
        super("consent registry could not " + operation + " (SQL state " + e.getSQLState() + ", code "
                + e.getErrorCode() + ", " + e.getClass().getSimpleName() + ")");
        this.sqlState = e.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }
}
