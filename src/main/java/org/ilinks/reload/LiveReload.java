package org.ilinks.reload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.ConfigValidator;
import org.ilinks.config.KnownBeans;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.Settings;
import org.ilinks.delivery.DeliveryRoutes;
import org.ilinks.governance.GovernanceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code routes/} and {@code config/services/} while the engine runs and applies edits without a restart.
 * An edit is first validated exactly as {@code ilinks validate} would; if anything is wrong, the running
 * configuration stays and each problem is logged as {@code file:line: what is wrong}.
 *
 * <p>Only what changed is touched: an edited route file reloads the routes declared in it (the MLLP listener keeps
 * its connections unless intake.yaml itself changed); an edited service replaces that service's delivery route,
 * whose in-flight deliveries finish first while queued messages wait in the service's queue. Settings in
 * application.properties are read at start only.
 */
public final class LiveReload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReload.class);
    private static final String TEMPLATE_FILE_MARKER = "routeTemplate";

    private final Settings settings;
    private final CamelContext context;
    private final DeliveryRoutes deliveryRoutes;
    private final Consumer<GovernanceConfig> onConfigChanged;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ilinks-reload");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicReference<List<ServiceDefinition>> currentServices;
    private Map<Path, String> routeFiles;
    private Map<Path, String> configFiles;
    private Map<Path, String> rejected = Map.of();

    public LiveReload(Settings settings, CamelContext context, DeliveryRoutes deliveryRoutes,
                      List<ServiceDefinition> services, Consumer<GovernanceConfig> onConfigChanged) {
        this.currentServices = new java.util.concurrent.atomic.AtomicReference<>(services);
        this.settings = settings;
        this.context = context;
        this.deliveryRoutes = deliveryRoutes;
        this.onConfigChanged = onConfigChanged;
        this.routeFiles = fingerprint(settings.routesDir(), ".yaml");
        this.configFiles = configFingerprint(settings);
    }

    public void start(long intervalMs) {
        timer.scheduleWithFixedDelay(this::checkQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} and {} for changes", settings.routesDir(), settings.configDir());
    }

    private void checkQuietly() {
        try {
            check();
        } catch (Exception e) {
            LOG.error("Reload failed; the running configuration is unchanged: {}", e.toString());
        }
    }

    /** Looks for edits and applies them. Returns the problems that stopped a reload (empty when applied or idle). */
    public synchronized List<ConfigProblem> check() throws Exception {
        Map<Path, String> routesNow = fingerprint(settings.routesDir(), ".yaml");
        Map<Path, String> configNow = configFingerprint(settings);
        if (routesNow.equals(routeFiles) && configNow.equals(configFiles)) {
            return List.of();
        }
        Map<Path, String> all = new TreeMap<>(routesNow);
        all.putAll(configNow);
        // Loaded once: what is validated is what is applied.
        GovernanceConfig.Loaded loaded = GovernanceConfig.load(settings);
        List<ConfigProblem> problems = ConfigValidator.validate(settings, KnownBeans.NAMES, loaded);
        if (!problems.isEmpty()) {
            if (!all.equals(rejected)) {
                problems.forEach(p -> LOG.warn("Reload rejected: {}", p));
                LOG.warn("Reload rejected: {} problem(s); the running configuration is unchanged", problems.size());
                rejected = all;
            }
            return problems;
        }
        rejected = Map.of();
        List<ServiceDefinition> services = loaded.config().services();
        Set<Path> changedRoutes = changed(routeFiles, routesNow);
        boolean templatesChanged = false;
        if (!changedRoutes.isEmpty()) {
            try {
                templatesChanged = reloadRouteFiles(changedRoutes);
            } catch (Exception e) {
                // Camel refused a file that validated: put the delivery routes back as they were, so a failed
                // reload never leaves the services without delivery, then report it.
                deliveryRoutes.apply(currentServices.get());
                throw e;
            }
        }
        onConfigChanged.accept(loaded.config());
        currentServices.set(services);
        List<String> changedServices = templatesChanged
                ? deliveryRoutes.reinstall(services)
                : deliveryRoutes.apply(services);
        routeFiles = routesNow;
        configFiles = configNow;
        LOG.info("Reloaded: {} route file(s) {}, service(s) {}", changedRoutes.size(),
                changedRoutes.stream().map(p -> p.getFileName().toString()).toList(), changedServices);
        return List.of();
    }

    private boolean reloadRouteFiles(Set<Path> changed) throws Exception {
        Set<Resource> resources = new LinkedHashSet<>();
        boolean templates = false;
        for (Path p : changed) {
            if (Files.exists(p)) {
                resources.add(ResourceHelper.resolveResource(context, "file:" + p.toAbsolutePath().normalize()));
                templates |= Files.readString(p).contains(TEMPLATE_FILE_MARKER);
            } else {
                removeRoutesFrom(p);
            }
        }
        if (templates) {
            // Routes made from a template hold the old template's shape: take them down before it is replaced.
            deliveryRoutes.removeAll();
        }
        if (!resources.isEmpty()) {
            PluginHelper.getRoutesLoader(context).updateRoutes(resources);
        }
        return templates;
    }

    private void removeRoutesFrom(Path deleted) throws Exception {
        String location = "file:" + deleted.toAbsolutePath().normalize();
        for (org.apache.camel.Route r : new ArrayList<>(context.getRoutes())) {
            if (r.getSourceResource() != null && location.equals(r.getSourceResource().getLocation())) {
                context.getRouteController().stopRoute(r.getRouteId());
                context.removeRoute(r.getRouteId());
            }
        }
    }

    /**
     * One hash over every file the engine's configuration is read from (routes, services, profiles, code lists), for
     * the audit trail's record of what was loaded.
     */
    public static String configurationHash(Settings settings) {
        Map<Path, String> all = new TreeMap<>(fingerprint(settings.routesDir(), ".yaml"));
        all.putAll(configFingerprint(settings));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            all.forEach((path, hash) -> sha.update((path.getFileName() + "=" + hash + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Service files, minimisation profiles and code lists: everything governance reads, reloaded together. */
    private static Map<Path, String> configFingerprint(Settings settings) {
        Map<Path, String> all = new TreeMap<>(fingerprint(settings.servicesDir(), ".yaml", ".yml"));
        all.putAll(fingerprint(settings.profilesDir(), ".yaml"));
        all.putAll(fingerprint(settings.configDir(), "/" + settings.restrictedCodesFile().getFileName(),
                "/" + settings.consentCodesFile().getFileName()));
        return all;
    }

    private static Set<Path> changed(Map<Path, String> before, Map<Path, String> now) {
        Set<Path> changed = new LinkedHashSet<>();
        for (Map.Entry<Path, String> e : now.entrySet()) {
            if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                changed.add(e.getKey());
            }
        }
        for (Path p : before.keySet()) {
            if (!now.containsKey(p)) {
                changed.add(p);
            }
        }
        return changed;
    }

    /**
     * Content hash of each file in a folder with one of these endings (the same files start-up and validate read):
     * a touch without an edit does not reload anything.
     */
    static Map<Path, String> fingerprint(Path dir, String... endings) {
        Map<Path, String> result = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> java.util.Arrays.stream(endings).anyMatch(e -> f.toString().endsWith(e)))
                    .toList()) {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    result.put(p.toAbsolutePath().normalize(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                } catch (IOException e) {
                    result.put(p.toAbsolutePath().normalize(), "unreadable");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
