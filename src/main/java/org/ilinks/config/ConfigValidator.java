package org.ilinks.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ilinks.governance.restricted.RestrictedCodesLoader;

/**
 * The one check behind {@code validate}, {@code run} and live reload: settings, service files, route files and the
 * restricted data code lists, every problem at once, sorted by file and line.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    /** Every problem in the configuration; an empty list means it is good to run. */
    public static List<ConfigProblem> validate(Settings settings, Set<String> knownBeans) {
        List<ConfigProblem> all = new ArrayList<>(settings.problems());
        all.addAll(ServiceConfigLoader.check(settings).problems());
        all.addAll(new RouteFileValidator(knownBeans).validate(settings));
        all.addAll(RestrictedCodesLoader.loadFrom(settings.configDir()).problems());
        return all.stream().distinct().sorted().toList();
    }
}
