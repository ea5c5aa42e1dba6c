package org.ilinks.governance.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ilinks.hl7.NhsNumber;

/**
 * Checks the fields of a new directive given as text, named as the CSV columns name them ({@link
 * ConsentCsvFormat#COLUMNS}), and builds the directive when they are right. The one check behind a CSV row and
 * {@link ConsentOperations#record}, so a directive is accepted or refused the same way whichever door it came in by.
 * Problems name the field and never repeat its value: a value in the wrong field could be an NHS number.
 */
final class DirectiveValidator {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** The directive, or the problems that stop the fields being one (then the directive is null). */
    record Result(ConsentDirective directive, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private DirectiveValidator() {
    }

    /**
     * @param field      the text of a field by its column name; null or blank means empty
     * @param recordedAt when it is being recorded
     * @param importId   the CSV import it belongs to, or null
     */
    static Result validate(Function<String, String> field, Instant recordedAt, Long importId) {
        Function<String, String> text = column -> {
            String value = field.apply(column);
            return value == null ? "" : value.strip();
        };
        List<String> problems = new ArrayList<>();
        String nhs = text.apply("nhs_number");
        String nhsProblem = nhsNumberProblem(nhs);
        if (nhsProblem != null) {
            problems.add(nhsProblem);
        }
        ConsentScope scope = ConsentScope.fromWord(text.apply("scope"));
        if (scope == null) {
            problems.add("scope must be all, service or category");
        }
        String scopeValue = text.apply("scope_value");
        if (scope == ConsentScope.ALL && !scopeValue.isEmpty()) {
            problems.add("scope_value must be empty when scope is all");
        } else if (scope != null && scope != ConsentScope.ALL && scopeValue.isEmpty()) {
            problems.add("scope_value is required when scope is " + scope.word());
        }
        ConsentChoice choice = ConsentChoice.fromWord(text.apply("decision"));
        if (choice == null) {
            problems.add("decision must be dissent or consent");
        }
        LocalDate from = day(text.apply("effective_from"), "effective_from", true, problems);
        LocalDate to = day(text.apply("effective_to"), "effective_to", false, problems);
        if (from != null && to != null && to.isBefore(from)) {
            problems.add("effective_to is before effective_from");
        }
        DirectiveSource source = DirectiveSource.fromWord(text.apply("source_type"));
        String sourceId = text.apply("source_id");
        if (source == null) {
            problems.add("source_type must be practice, patient or clinician");
        } else if (source != DirectiveSource.PATIENT && sourceId.isEmpty()) {
            problems.add("source_id is required when source_type is " + source.word()
                    + (source == DirectiveSource.PRACTICE ? " (the practice's ODS code)" : ""));
        }
        String recordedBy = text.apply("recorded_by");
        if (recordedBy.isEmpty()) {
            problems.add("recorded_by is empty");
        }
        String reason = text.apply("reason");
        tooLong("scope_value", scopeValue, 200, problems);
        tooLong("source_id", sourceId, 100, problems);
        tooLong("recorded_by", recordedBy, 200, problems);
        tooLong("reason", reason, 2000, problems);
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        ConsentDirective directive = ConsentDirective.builder(nhs, scope, scopeValue, choice, from)
                .effectiveTo(to)
                .source(source, sourceId)
                .recordedBy(recordedBy)
                .reason(reason)
                .recordedAt(recordedAt)
                .importId(importId)
                .build();
        return new Result(directive, List.of());
    }

    /** What is wrong with an NHS number, naming the field only, or null when it is a valid one. */
    static String nhsNumberProblem(String nhs) {
        if (nhs == null || nhs.isBlank()) {
            return "nhs_number is empty";
        }
        if (NhsNumber.normalise(nhs) == null) {
            return "nhs_number is not 10 digits";
        }
        if (!NhsNumber.isValid(nhs)) {
            return "nhs_number fails the Modulus 11 check";
        }
        return null;
    }

    /** What is wrong with a free-text field that must be given and fit its column, or null. */
    static String requiredTextProblem(String column, String value, int max) {
        if (value == null || value.isBlank()) {
            return column + " is empty";
        }
        return value.strip().length() > max ? column + " is longer than " + max + " characters" : null;
    }

    static void tooLong(String column, String value, int max, List<String> problems) {
        if (value != null && value.strip().length() > max) {
            problems.add(column + " is longer than " + max + " characters");
        }
    }

    private static LocalDate day(String text, String column, boolean required, List<String> problems) {
        if (text.isEmpty()) {
            if (required) {
                problems.add(column + " is empty");
            }
            return null;
        }
        try {
            return LocalDate.parse(text, DAY);
        } catch (DateTimeParseException e) {
            problems.add(column + " is not a date in the form yyyy-MM-dd");
            return null;
        }
    }
}
