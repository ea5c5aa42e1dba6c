package org.ilinks.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one check behind {@code validate}, {@code run} and live reload: settings, service files, minimisation
 * profiles, code lists and route files, every problem at once, sorted by file and line.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    /** Every problem in the configuration; an empty list means it is good to run. */
    public static List<ConfigProblem> validate(Settings settings, Set<String> knownBeans) {
        return validate(settings, knownBeans, org.ilinks.governance.GovernanceConfig.load(settings));
    }

    /** As above, for a caller that has loaded the governance configuration already and will run on it. */
    public static List<ConfigProblem> validate(Settings settings, Set<String> knownBeans,
                                               org.ilinks.governance.GovernanceConfig.Loaded governance) {
        List<ConfigProblem> all = new ArrayList<>(settings.problems());
        all.addAll(governance.problems());
        all.addAll(new RouteFileValidator(knownBeans).validate(settings));
        all.addAll(org.ilinks.extract.PracticeSources.check(settings).problems());
        if (settings.historyKeyFile() != null) {
            try {
                org.ilinks.history.ContentCipher.fromKeyFile(settings.historyKeyFile());
            } catch (IllegalArgumentException e) {
                all.add(ConfigProblem.at(settings.historyKeyFile(), 0, e.getMessage()));
            }
        }
        return all.stream().distinct().sorted().toList();
    }
}
