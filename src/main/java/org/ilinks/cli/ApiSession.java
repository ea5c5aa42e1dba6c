package org.ilinks.cli;

import java.io.PrintWriter;

/**
 * Runs a command that works through the admin API: connects (logging in if asked), runs the command's work, logs out,
 * and turns a failed call into one line on stderr and the exit status it carries.
 */
final class ApiSession {

    /** What a command does with the API; returns its exit status. */
    interface Work {
        int run(AdminApiClient api);
    }

    private ApiSession() {
    }

    static int run(String command, ConfigLocation location, ApiConnection connection, PrintWriter err, Work work) {
        try (AdminApiClient api = connection.open(location)) {
            return work.run(api);
        } catch (ApiCallFailed e) {
            err.println(command + ": " + e.getMessage());
            return e.exitCode();
        }
    }
}
