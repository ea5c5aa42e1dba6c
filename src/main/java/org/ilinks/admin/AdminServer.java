package org.ilinks.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;
import org.ilinks.governance.consent.ConsentOperations;
import org.ilinks.history.MessageHistory;

/** Puts the admin API together from the engine's parts: its users, sessions, endpoints and the Camel route. */
public final class AdminServer implements AutoCloseable {

    private final AdminApi api;
    private final ExecutorService exports;

    private AdminServer(AdminApi api, ExecutorService exports) {
        this.api = api;
        this.exports = exports;
    }

    /**
     * @param auditStore the engine's audit store (the same head file as its audit writer)
     */
    public static AdminServer create(Settings settings, DataSource dataSource, AuditStore auditStore,
                                     ConsentOperations consent, MessageHistory history,
                                     org.ilinks.replay.Replays replays, org.ilinks.replay.MessageEdits edits,
                                     EngineView engine,
                                     Clock clock) {
        UserStore users = new UserStore(dataSource);
        Duration idle = Duration.ofMinutes(settings.getLong(Setting.ADMIN_SESSION_IDLE_MINUTES));
        Sessions sessions = new Sessions(idle, Duration.ofHours(settings.getLong(Setting.ADMIN_SESSION_MAX_HOURS)),
                clock);
        LoginLimiter limiter = new LoginLimiter(settings.getInt(Setting.ADMIN_LOGIN_MAX_FAILURES),
                Duration.ofMinutes(settings.getLong(Setting.ADMIN_LOGIN_WINDOW_MINUTES)), clock);
        ApiAudit audit = new ApiAudit(auditStore, settings.nodeName());
        ExecutorService exports = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ilinks-admin-export");
            t.setDaemon(true);
            return t;
        });
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.addAll(new AccountEndpoints(users, sessions, limiter, audit, idle).endpoints());
        endpoints.addAll(new UserEndpoints(users, sessions, audit, clock).endpoints());
        endpoints.addAll(new AuditEndpoints(dataSource, auditStore, new AuditHeadFile(settings.auditHeadFile()),
                audit, exports).endpoints());
        endpoints.addAll(new ConsentEndpoints(consent, audit).endpoints());
        endpoints.addAll(new MessageEndpoints(history, audit).endpoints());
        endpoints.addAll(new MessageTrailEndpoints(auditStore, audit).endpoints());
        endpoints.addAll(new ReplayEndpoints(replays, history, edits, audit).endpoints());
        endpoints.addAll(new StatusEndpoints(engine).endpoints());
        endpoints.addAll(new DashboardEndpoints(engine).endpoints());
        endpoints.addAll(new ConsoleEndpoints().endpoints());
        endpoints.addAll(new ExtractEndpoints(engine).endpoints());
        java.util.Set<String> proxies = new java.util.HashSet<>();
        for (String p : settings.get(Setting.ADMIN_TRUSTED_PROXIES).split(",")) {
            if (!p.isBlank()) {
                proxies.add(p.strip());
            }
        }
        return new AdminServer(new AdminApi(endpoints, new Authenticator(users, sessions, clock),
                new ClientAddress(proxies)), exports);
    }

    public AdminApi api() {
        return api;
    }

    public AdminRoutes routes() {
        return new AdminRoutes(api);
    }

    @Override
    public void close() {
        exports.shutdownNow();
    }
}
