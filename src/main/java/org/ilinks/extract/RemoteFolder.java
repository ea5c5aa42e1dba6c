package org.ilinks.extract;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpEndpoint;

/**
 * What is done to a file on the practice's server once the engine has finished with it: moved to the done folder or
 * deleted, or (a bad file) moved to the failed folder with {@code <name>.reason.txt} beside it. Done only after the
 * file's records are queued and its claim completed, over a connection of its own made with the practice route's
 * own settings (the same key, known hosts and strict host-key checking).
 */
final class RemoteFolder {

    static final String REASON_SUFFIX = ".reason.txt";

    private RemoteFolder() {
    }

    /** Moves the file to the done folder, or deletes it, as the practice says. */
    static void done(Exchange exchange, PracticeSource practice, String name) {
        run(exchange, ops -> {
            String from = path(practice.sftp().folder(), name);
            if (practice.after().deletes()) {
                unlessGone(ops, from, () -> ops.deleteFile(from));
            } else {
                moveReplacing(ops, from, practice.after().moveTo(), name);
            }
        });
    }

    /** Writes the reason beside where the file goes, then moves the file to the failed folder. */
    static void failed(Exchange exchange, PracticeSource practice, String name, String reason) {
        run(exchange, ops -> {
            ops.buildDirectory(practice.failedFolder(), false);
            ops.storeFileDirectly(path(practice.failedFolder(), name + REASON_SUFFIX), reason + "\n");
            moveReplacing(ops, path(practice.sftp().folder(), name), practice.failedFolder(), name);
        });
    }

    /** A file of the same name moved there before (sent again with other content) is replaced. */
    private static void moveReplacing(RemoteFileOperations<?> ops, String from, String folder, String name) {
        ops.buildDirectory(folder, false);
        String to = path(folder, name);
        unlessGone(ops, from, () -> {
            if (ops.existsFile(to)) {
                ops.deleteFile(to);
            }
            ops.renameFile(from, to);
        });
    }

    /**
     * Another engine that found the same finished file may have moved it first (both finish a file whose earlier
     * move was cut short): a file no longer there is finished, not a failure.
     */
    private static void unlessGone(RemoteFileOperations<?> ops, String from, Runnable step) {
        try {
            step.run();
        } catch (GenericFileOperationFailedException e) {
            if (ops.existsFile(from)) {
                throw e;
            }
        }
    }

    private static String path(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    private interface Work {
        void on(RemoteFileOperations<?> ops);
    }

    private static void run(Exchange exchange, Work work) {
        SftpEndpoint endpoint = (SftpEndpoint) exchange.getFromEndpoint();
        RemoteFileOperations<?> ops = endpoint.createRemoteFileOperations();
        ops.connect(endpoint.getConfiguration(), exchange);
        try {
            work.on(ops);
        } finally {
            ops.disconnect();
        }
    }
}
