package org.ilinks.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ServiceConfigLoader;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.governance.consent.ConsentCodeRule;
import org.ilinks.governance.consent.ConsentCodesLoader;
import org.ilinks.governance.minimise.MinimisationProfile;
import org.ilinks.governance.minimise.ProfileLoader;
import org.ilinks.governance.restricted.RestrictedCodes;
import org.ilinks.governance.restricted.RestrictedCodesLoader;

/**
 * Everything the engine governs by, read from {@code config/} in one go: the services (with their consent model and
 * subscriptions), one minimisation profile per service, the restricted-data code lists and the consent codes. The one
 * loader behind {@code run}, {@code validate}, {@code try} and live reload, so all four see the same thing.
 *
 * @param traceStatusRequired see {@link Setting#TRACE_STATUS_REQUIRED}
 */
public record GovernanceConfig(List<ServiceDefinition> services, Map<String, MinimisationProfile> profiles,
                               RestrictedCodes restrictedCodes, List<ConsentCodeRule> consentCodes,
                               boolean traceStatusRequired) {

    public GovernanceConfig {
        services = List.copyOf(services);
        profiles = Map.copyOf(profiles);
        consentCodes = List.copyOf(consentCodes);
    }

    /** The configuration and every problem in it; the configuration is only fit to run when there are none. */
    public record Loaded(GovernanceConfig config, List<ConfigProblem> problems) {
        public Loaded {
            problems = List.copyOf(problems);
        }

        public boolean isValid() {
            return problems.isEmpty();
        }
    }

    public static Loaded load(Settings settings) {
        List<ConfigProblem> problems = new ArrayList<>();
        ServiceConfigLoader.LoadResult services = ServiceConfigLoader.check(settings);
        problems.addAll(services.problems());
        // No profiles folder is only a problem for the services that then have no profile, and each says so.
        ProfileLoader.Profiles profiles = java.nio.file.Files.isDirectory(settings.profilesDir())
                ? new ProfileLoader().loadFolder(settings.profilesDir())
                : new ProfileLoader.Profiles(Map.of(), List.of());
        problems.addAll(profiles.problems());
        // A profile whose service file is gone or parked (commented out) is kept and ignored, so that parking a
        // service is a one-file edit.
        for (ServiceDefinition s : services.services()) {
            MinimisationProfile p = profiles.byService().get(s.id());
            if (s.subscription().extracts().any() && p != null && p.extractColumns().isEmpty()) {
                problems.add(ConfigProblem.at(p.file(), 0, "service " + s.id() + " subscribes to practice extracts "
                        + "but its profile lists no extractColumns: list the columns it may receive"));
            }
        }
        RestrictedCodesLoader.Loaded restricted = RestrictedCodesLoader.load(settings.restrictedCodesFile());
        problems.addAll(restricted.problems());
        ConsentCodesLoader.Loaded consentCodes = ConsentCodesLoader.load(settings.consentCodesFile());
        problems.addAll(consentCodes.problems());
        boolean traceRequired = Boolean.parseBoolean(settings.get(Setting.TRACE_STATUS_REQUIRED).strip());
        return new Loaded(new GovernanceConfig(services.services(), profiles.byService(), restricted.codes(),
                consentCodes.rules(), traceRequired), problems.stream().distinct().sorted().toList());
    }

    /** The profile for a service; every service has one once the configuration is valid. */
    public MinimisationProfile profileFor(ServiceDefinition service) {
        MinimisationProfile p = profiles.get(service.id());
        if (p == null) {
            throw new IllegalStateException("service " + service.id() + " has no minimisation profile");
        }
        return p;
    }
}
