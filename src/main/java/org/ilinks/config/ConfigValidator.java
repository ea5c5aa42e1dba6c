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
        List<ConfigProblem> all = new ArrayList<>(settings.problems());
        all.addAll(org.ilinks.governance.GovernanceConfig.load(settings).problems());
        all.addAll(new RouteFileValidator(knownBeans).validate(settings));
        return all.stream().distinct().sorted().toList();
    }
}
