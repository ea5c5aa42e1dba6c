package org.ilinks.hl7;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the content of an HL7 v2 file into single messages ready to send.
 *
 * <p>Works on bytes, never on decoded text, so ISO-8859-1 and UTF-8 files come out byte-for-byte
 * unchanged apart from the segment separators: CR, LF and CRLF (in any mixture) all end a segment,
 * and every returned message uses CR after each segment, including the last. A UTF-8 BOM and blank
 * lines are dropped. Each line beginning {@code MSH} starts a new message.
 *
 * <p>FHS/BHS/BTS/FTS batch envelope segments are not messages: they are dropped, and the counts
 * declared in BTS-1 and FTS-1 are compared with what the file really holds. The result of that
 * comparison is returned as {@link TrailerCheck}s for the caller to print; a mismatch never stops
 * the messages from being returned.
 *
 * <p>Warnings never quote the skipped bytes, because they may hold patient data.
 */
public final class Hl7FileReader {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private Hl7FileReader() {
    }

    /**
     * What was found in one file.
     *
     * @param messages      the messages, in file order, each ending with CR
     * @param warnings      problems worth telling the user about (no patient data in them)
     * @param trailerChecks one entry per BTS/FTS trailer found, or per BHS/FHS header missing its trailer;
     *                      empty when the file has no batch envelope
     */
    public record Hl7File(List<byte[]> messages, List<String> warnings, List<TrailerCheck> trailerChecks,
                          List<Integer> messageLines) {

        public Hl7File {
            messages = List.copyOf(messages);
            warnings = List.copyOf(warnings);
            trailerChecks = List.copyOf(trailerChecks);
            messageLines = List.copyOf(messageLines);
        }

        public Hl7File(List<byte[]> messages, List<String> warnings, List<TrailerCheck> trailerChecks) {
            this(messages, warnings, trailerChecks, java.util.Collections.nCopies(messages.size(), 0));
        }

        /** The 1-based line of the file on which message {@code index} (0-based) begins, its MSH. */
        public int lineOf(int index) {
            return messageLines.get(index);
        }

        /** The trailer checks that found a problem, described for printing. */
        public List<String> trailerWarnings() {
            return trailerChecks.stream().filter(check -> !check.ok()).map(TrailerCheck::describe).toList();
        }
    }

    /** Outcome of comparing a batch or file trailer with what the file holds. */
    public enum TrailerStatus {
        /** The declared count equals the count found. */
        MATCH,
        /** The declared count differs from the count found. */
        MISMATCH,
        /** The trailer is there but its count field is empty or not a number, so nothing could be checked. */
        NOT_DECLARED,
        /** A BHS or FHS header was never closed by its BTS or FTS. */
        MISSING_TRAILER
    }

    /**
     * One batch-trailer comparison.
     *
     * @param segment  {@code BTS} (BTS-1 counts messages) or {@code FTS} (FTS-1 counts batches)
     * @param line     1-based line of the trailer, or of the header when the trailer is missing
     * @param declared the count the trailer declares, or -1 when it declares none
     * @param found    the count actually found in the file
     * @param status   the outcome
     */
    public record TrailerCheck(String segment, int line, int declared, int found, TrailerStatus status) {

        /** True unless the count disagrees or the trailer is missing. */
        public boolean ok() {
            return status == TrailerStatus.MATCH || status == TrailerStatus.NOT_DECLARED;
        }

        /** A one-line, content-free description such as {@code BTS at line 9 declares 1 message(s) but 2 were found}. */
        public String describe() {
            String what = "BTS".equals(segment) ? "message(s)" : "batch(es)";
            String header = "BTS".equals(segment) ? "BHS" : "FHS";
            return switch (status) {
                case MATCH -> segment + " at line " + line + " declares " + declared + " " + what + ", as found";
                case MISMATCH -> segment + " at line " + line + " declares " + declared + " " + what
                        + " but " + found + " were found";
                case NOT_DECLARED -> segment + " at line " + line + " declares no count; " + found + " " + what + " found";
                case MISSING_TRAILER -> header + " at line " + line + " has no " + segment + "; " + found + " " + what
                        + " found";
            };
        }
    }

    /** Reads and splits a file. */
    public static Hl7File read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /** Splits file content into messages; never throws on malformed content, it warns instead. */
    public static Hl7File read(byte[] content) {
        Splitter splitter = new Splitter();
        int start = hasUtf8Bom(content) ? 3 : 0;
        int lineNumber = 0;
        int i = start;
        while (i < content.length) {
            int end = i;
            while (end < content.length && content[end] != CR && content[end] != LF) {
                end++;
            }
            int next = end;
            if (next < content.length) {
                next += (content[next] == CR && next + 1 < content.length && content[next + 1] == LF) ? 2 : 1;
            }
            lineNumber++;
            splitter.line(content, i, end, next - i, lineNumber);
            i = next;
        }
        return splitter.finish();
    }

    private static boolean hasUtf8Bom(byte[] content) {
        return content.length >= 3
                && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB && (content[2] & 0xFF) == 0xBF;
    }

    /** Line-by-line state machine: current message, current batch, current file envelope. */
    private static final class Splitter {
        private final List<byte[]> messages = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<TrailerCheck> checks = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();

        private ByteArrayOutputStream message;
        private boolean seenAnySegmentStart;

        // A batch is open from a BHS, or implicitly from the first MSH outside one; it ends at BTS.
        private boolean batchOpen;
        private int batchHeaderLine; // 0 when the batch has no BHS
        private int messagesInBatch;

        private int fileHeaderLine; // 0 when no FHS is open
        private int batchesInFile;

        // Consecutive lines that belong to no message are reported as one warning.
        private int orphanBytes;
        private int orphanFirstLine;
        private String orphanAfter;

        void line(byte[] content, int from, int to, int rawLength, int lineNumber) {
            if (isBlank(content, from, to)) {
                return;
            }
            String id = segmentId(content, from, to);
            switch (id) {
                case "MSH" -> startMessage(content, from, to, lineNumber);
                case "FHS" -> fileHeader(lineNumber);
                case "BHS" -> batchHeader(lineNumber);
                case "BTS" -> batchTrailer(count(content, from, to), lineNumber);
                case "FTS" -> fileTrailer(count(content, from, to), lineNumber);
                default -> {
                    if (message != null) {
                        append(content, from, to);
                    } else {
                        orphan(rawLength, lineNumber);
                    }
                }
            }
        }

        private void startMessage(byte[] content, int from, int to, int lineNumber) {
            flushOrphans();
            closeMessage();
            seenAnySegmentStart = true;
            if (!batchOpen) {
                openBatch(0);
            }
            message = new ByteArrayOutputStream(Math.max(256, (to - from) * 8));
            lines.add(lineNumber);
            append(content, from, to);
        }

        private void fileHeader(int lineNumber) {
            envelope("FHS", lineNumber);
            if (batchOpen) {
                closeBatchWithoutTrailer();
            }
            if (fileHeaderLine != 0) {
                checks.add(new TrailerCheck("FTS", fileHeaderLine, -1, batchesInFile, TrailerStatus.MISSING_TRAILER));
            }
            fileHeaderLine = lineNumber;
            batchesInFile = 0;
        }

        private void batchHeader(int lineNumber) {
            envelope("BHS", lineNumber);
            if (batchOpen) {
                closeBatchWithoutTrailer();
            }
            openBatch(lineNumber);
        }

        private void batchTrailer(int declared, int lineNumber) {
            envelope("BTS", lineNumber);
            if (!batchOpen) {
                // A BTS with nothing open still ends a (empty) batch, so FTS-1 counts it.
                openBatch(0);
            }
            checks.add(check("BTS", lineNumber, declared, messagesInBatch));
            batchOpen = false;
        }

        private void fileTrailer(int declared, int lineNumber) {
            envelope("FTS", lineNumber);
            if (batchOpen) {
                closeBatchWithoutTrailer();
            }
            checks.add(check("FTS", lineNumber, declared, batchesInFile));
            fileHeaderLine = 0;
            batchesInFile = 0;
        }

        private void envelope(String id, int lineNumber) {
            flushOrphans();
            closeMessage();
            seenAnySegmentStart = true;
            orphanAfter = id + " at line " + lineNumber;
        }

        private void openBatch(int headerLine) {
            batchOpen = true;
            batchHeaderLine = headerLine;
            messagesInBatch = 0;
            batchesInFile++;
        }

        private void closeBatchWithoutTrailer() {
            if (batchHeaderLine != 0) {
                checks.add(new TrailerCheck("BTS", batchHeaderLine, -1, messagesInBatch, TrailerStatus.MISSING_TRAILER));
            }
            batchOpen = false;
        }

        private void closeMessage() {
            if (message != null) {
                messages.add(message.toByteArray());
                messagesInBatch++;
                message = null;
            }
        }

        private void append(byte[] content, int from, int to) {
            message.write(content, from, to - from);
            message.write(CR);
        }

        private void orphan(int rawLength, int lineNumber) {
            if (orphanBytes == 0) {
                orphanFirstLine = lineNumber;
            }
            orphanBytes += rawLength;
        }

        private void flushOrphans() {
            if (orphanBytes == 0) {
                return;
            }
            if (!seenAnySegmentStart) {
                warnings.add(orphanBytes + " bytes before the first MSH were skipped");
            } else {
                warnings.add(orphanBytes + " bytes from line " + orphanFirstLine + " (after the " + orphanAfter
                        + ") belong to no message and were skipped");
            }
            orphanBytes = 0;
        }

        Hl7File finish() {
            flushOrphans();
            closeMessage();
            if (batchOpen) {
                closeBatchWithoutTrailer();
            }
            if (fileHeaderLine != 0) {
                checks.add(new TrailerCheck("FTS", fileHeaderLine, -1, batchesInFile, TrailerStatus.MISSING_TRAILER));
            }
            // Only an envelope makes batch counts meaningful; plain multi-message files get no checks.
            boolean hasEnvelope = !checks.isEmpty();
            if (messages.isEmpty()) {
                warnings.add("no HL7 message found (no line begins with MSH)");
            }
            return new Hl7File(messages, warnings, hasEnvelope ? checks : List.of(), lines);
        }

        private static TrailerCheck check(String segment, int line, int declared, int found) {
            TrailerStatus status = declared < 0 ? TrailerStatus.NOT_DECLARED
                    : declared == found ? TrailerStatus.MATCH : TrailerStatus.MISMATCH;
            return new TrailerCheck(segment, line, declared, found, status);
        }
    }

    private static boolean isBlank(byte[] content, int from, int to) {
        for (int i = from; i < to; i++) {
            if (content[i] != ' ' && content[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The 3-letter segment ID, or "" when the line does not start with one followed by a separator or its end. */
    private static String segmentId(byte[] content, int from, int to) {
        if (to - from < 3) {
            return "";
        }
        if (to - from > 3 && Character.isLetterOrDigit(content[from + 3] & 0xFF)) {
            return "";
        }
        return new String(content, from, 3, StandardCharsets.US_ASCII);
    }

    /** Field 1 of a trailer segment as a non-negative number, or -1 when it is empty or not a number. */
    private static int count(byte[] content, int from, int to) {
        if (to - from <= 4) {
            return -1;
        }
        byte separator = content[from + 3];
        int value = 0;
        int digits = 0;
        for (int i = from + 4; i < to && content[i] != separator; i++) {
            byte b = content[i];
            if (b == ' ') {
                continue;
            }
            if (b < '0' || b > '9' || digits >= 9) {
                return -1;
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        return digits == 0 ? -1 : value;
    }
}
