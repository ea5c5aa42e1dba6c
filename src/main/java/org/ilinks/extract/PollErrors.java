package org.ilinks.extract;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Why a poll of a practice's server failed, in words a practice manager or analyst can act on. Built from the kind
 * of failure only: never a key, a passphrase or a file's content.
 */
final class PollErrors {

    private PollErrors() {
    }

    static String describe(PracticeSource practice, Throwable failure) {
        String server = practice.sftp().host() + ":" + practice.sftp().port();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String kind = t.getClass().getSimpleName();
            String text = t.getMessage() == null ? "" : t.getMessage();
            if (kind.equals("JSchUnknownHostKeyException") || text.startsWith("UnknownHostKey")
                    || text.startsWith("reject HostKey")) {
                return "the host key of " + server + " is not in " + practice.sftp().knownHostsFile()
                        + ": refused, nothing was taken; add the server's key after checking its fingerprint with "
                        + "the practice (see README, Practice extracts)";
            }
            if (kind.equals("JSchChangedHostKeyException") || text.startsWith("HostKey has been changed")) {
                return "the host key of " + server + " is not the one recorded in " + practice.sftp().knownHostsFile()
                        + ": refused, nothing was taken; the server may not be the practice's: check the key with "
                        + "the practice before replacing it";
            }
            if (text.startsWith("Auth fail") || text.startsWith("Auth cancel")
                    || kind.equals("JSchAuthCancelException")) {
                return "the server " + server + " refused the engine's key for user " + practice.sftp().user()
                        + ": check that the practice has the engine's public key";
            }
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException || text.contains("Connection refused")) {
                return "cannot reach the server " + server + " (" + kind + ")";
            }
            if (text.contains("No such file") || text.contains("no such file")) {
                return "the folder " + practice.sftp().folder() + " was not found on " + server;
            }
        }
        return "polling " + server + " failed (" + failure.getClass().getSimpleName() + ")";
    }
}
