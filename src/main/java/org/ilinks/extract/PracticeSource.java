package org.ilinks.extract;

import java.nio.file.Path;

/**
 * One practice's extract source, as declared in {@code config/practices/<ods>.yaml}: where its files are, how to log
 * in, what they hold and what becomes of them once taken. Holds no secret: the passphrase is read when the route is
 * made, from its file or environment variable.
 */
public record PracticeSource(String ods, String description, Path sourceFile, Sftp sftp, AfterProcessing after,
                             String failedFolder, Format format) {

    /**
     * The SFTP server and folder.
     *
     * @param passphraseFile  file holding the private key's passphrase, or null
     * @param passphraseEnv   environment variable holding it, or null
     * @param stableForMs     a file is taken only once its size and time have not changed for this long
     */
    public record Sftp(String host, int port, String user, Path privateKeyFile, Path passphraseFile,
                       String passphraseEnv, Path knownHostsFile, String folder, String pattern, long pollIntervalMs,
                       long stableForMs) {
    }

    /** What is done with a file on the server once all its records are queued: moved to a folder, or deleted. */
    public record AfterProcessing(String moveTo) {

        public static AfterProcessing delete() {
            return new AfterProcessing(null);
        }

        public boolean deletes() {
            return moveTo == null;
        }
    }

    /** What the files hold: HL7 v2 (batch or multi-message files), or a delimited extract (its mapping). */
    public record Format(String type, org.ilinks.extract.csv.CsvMapping csvMapping) {

        public static final String HL7 = "hl7";
        public static final String CSV = "csv";

        public boolean isHl7() {
            return HL7.equals(type);
        }
    }

    /** The Camel route of this practice. */
    public String routeId() {
        return ExtractRoutes.ROUTE_PREFIX + ods;
    }
}
