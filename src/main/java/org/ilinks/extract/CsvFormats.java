package org.ilinks.extract;

import java.util.List;
import java.util.Optional;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlMapping;

/**
 * Where a practice's delimited-extract mapping is read. Delimited extracts (org.ilinks.extract.csv) are not part of
 * this build yet: a practice declaring one is refused with that said, rather than polled and its files failed.
 */
final class CsvFormats {

    private CsvFormats() {
    }

    static Optional<Object> read(YamlMapping format, List<ConfigProblem> problems) {
        problems.add(ConfigProblem.at(format.file(), format.keyLine("type"), "format type csv: delimited extracts "
                + "are not supported by this build yet; use type: hl7"));
        return Optional.empty();
    }
}
