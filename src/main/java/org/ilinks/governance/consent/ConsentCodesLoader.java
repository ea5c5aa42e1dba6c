package org.ilinks.governance.consent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.ilinks.config.YamlMapping;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code config/consent-codes.yaml}: the coded entries (such as the SNOMED CT dissent codes GP systems record)
 * that record or end a consent directive when they arrive in a message. A missing file means no such codes.
 */
public final class ConsentCodesLoader {

    private static final List<String> TOP_KEYS = List.of("codes");
    private static final List<String> CODE_KEYS = List.of("system", "code", "meaning", "effect", "scope", "category",
            "service");

    /** The rules, and every problem found (the rules are empty when there is any). */
    public record Loaded(List<ConsentCodeRule> rules, List<ConfigProblem> problems) {
        public Loaded {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private ConsentCodesLoader() {
    }

    public static Loaded load(Path file) {
        if (!Files.exists(file)) {
            return new Loaded(List.of(), List.of());
        }
        List<ConfigProblem> problems = new ArrayList<>();
        YamlFile yaml = YamlFile.read(file);
        problems.addAll(yaml.problems());
        if (!problems.isEmpty() || yaml.documents().isEmpty()) {
            return new Loaded(List.of(), problems);
        }
        List<ConsentCodeRule> rules = new ArrayList<>();
        YamlMapping.of(file, yaml.documents().get(0), "consent-codes.yaml", problems).ifPresent(root -> {
            root.allowOnly(TOP_KEYS);
            root.optional("codes").ifPresent(codes -> {
                if (codes instanceof SequenceNode list) {
                    for (Node entry : list.getValue()) {
                        YamlMapping.of(file, entry, "each code", problems).flatMap(m -> rule(m, problems))
                                .ifPresent(rules::add);
                    }
                } else {
                    root.report(codes, "codes must be a list of entries, each with system, code, effect and scope");
                }
            });
        });
        return problems.isEmpty() ? new Loaded(rules, problems) : new Loaded(List.of(), problems);
    }

    private static Optional<ConsentCodeRule> rule(YamlMapping m, List<ConfigProblem> problems) {
        int before = problems.size();
        m.allowOnly(CODE_KEYS);
        Optional<String> system = m.requiredText("system").map(String::strip);
        Optional<String> code = m.requiredText("code").map(String::strip);
        Optional<ConsentCodeEffect> effect = m.requiredText("effect").flatMap(text -> {
            String word = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ConsentCodeEffect e : ConsentCodeEffect.values()) {
                if (e.name().equals(word)) {
                    return Optional.of(e);
                }
            }
            m.report(m.optional("effect").orElseThrow(), "effect must be start-dissent, end-dissent, start-consent or"
                    + " end-consent, not '" + text.strip() + "'");
            return Optional.empty();
        });
        Optional<ConsentScope> scope = m.requiredText("scope").flatMap(text -> {
            ConsentScope s = ConsentScope.fromWord(text);
            if (s == null) {
                m.report(m.optional("scope").orElseThrow(), "scope must be all, category or service, not '"
                        + text.strip() + "'");
            }
            return Optional.ofNullable(s);
        });
        Optional<String> category = m.optional("category").flatMap(n -> m.text("category", n)).map(String::strip);
        Optional<String> service = m.optional("service").flatMap(n -> m.text("service", n)).map(String::strip);
        String scopeValue = null;
        if (scope.isPresent()) {
            switch (scope.get()) {
                case ALL -> {
                    if (category.isPresent() || service.isPresent()) {
                        problems.add(ConfigProblem.at(m.file(), m.keyLine(category.isPresent() ? "category" : "service"),
                                "scope all covers every service: remove category/service, or use scope category or service"));
                    }
                }
                case CATEGORY -> scopeValue = needed(m, problems, category, "category", "secondary-use");
                case SERVICE -> scopeValue = needed(m, problems, service, "service", "planning-open-data");
            }
        }
        if (problems.size() > before || system.isEmpty() || code.isEmpty() || effect.isEmpty() || scope.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConsentCodeRule(system.get(), code.get(), effect.get(), scope.get(), scopeValue));
    }

    private static String needed(YamlMapping m, List<ConfigProblem> problems, Optional<String> value, String key,
                                 String example) {
        if (value.isEmpty() || value.get().isEmpty()) {
            problems.add(ConfigProblem.at(m.file(), m.line(), "scope " + key + " needs '" + key + ":' naming it, e.g. "
                    + key + ": " + example));
            return null;
        }
        return value.get();
    }
}
