package org.ilinks.cli;

/**
 * A call to the admin API that did not succeed: not reachable, or refused. The message is for the person at the
 * terminal and is made from the API's own error text (which never repeats a value sent) or this package's words;
 * it never holds a password or token.
 */
final class ApiCallFailed extends RuntimeException {

    private final int exitCode;

    ApiCallFailed(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
