package org.ilinks.config;

import java.nio.file.Path;

/**
 * One thing wrong with the configuration, where an analyst can find it.
 * {@link #toString()} is the exact line {@code validate} prints and {@code run} refuses to start with.
 */
public record ConfigProblem(String file, int line, String message) implements Comparable<ConfigProblem> {

    public static ConfigProblem at(Path file, int line, String message) {
        return new ConfigProblem(file.toString(), line, message);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    @Override
    public int compareTo(ConfigProblem other) {
        int byFile = file.compareTo(other.file);
        return byFile != 0 ? byFile : Integer.compare(line, other.line);
    }
}
