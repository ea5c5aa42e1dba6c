package org.ilinks.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the command line's option names into the consent registry's problem sentences, which name fields as the CSV
 * columns do ("effective_to is before effective_from" becomes "--to is before --from"), so a person knows which
 * option to fix.
 */
final class OptionNames {

    private static final Map<String, String> BY_FIELD = new LinkedHashMap<>();

    static {
        BY_FIELD.put("nhs_number", "--nhs-number");
        BY_FIELD.put("scope_value", "--scope-value");
        BY_FIELD.put("scope", "--scope");
        BY_FIELD.put("decision", "--decision");
        BY_FIELD.put("effective_from", "--from");
        BY_FIELD.put("effective_to", "--to");
        BY_FIELD.put("source_type", "--source");
        BY_FIELD.put("source_id", "--source-id");
        BY_FIELD.put("recorded_by", "--recorded-by");
        BY_FIELD.put("reason", "--reason");
        BY_FIELD.put("ended_by", "--by");
        BY_FIELD.put("end_reason", "--reason");
    }

    // Whole words only: "scope" must not match inside "scope_value", nor "reason" inside other words.
    private static final Pattern FIELD = Pattern.compile("(?<![\\w-])(" + String.join("|", BY_FIELD.keySet())
            + ")(?![\\w-])");

    private OptionNames() {
    }

    static String inCommandLineTerms(String sentence) {
        if (sentence == null) {
            return "";
        }
        Matcher m = FIELD.matcher(sentence);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(BY_FIELD.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
