package org.ilinks.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.Route;
import org.ilinks.support.AdminClient;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's route is not one of routes/: reloading edited route files leaves it (and its sessions) alone, and a
 * route file that tries to serve HTTP itself is rejected with the running configuration kept.
 */
class AdminSurvivesReloadTest {

    @TempDir
    Path tmp;

    @Test
    void reloadingRoutesLeavesTheAdminApiAndRefusesRoutesThatServeHttp() throws Exception {
        try (TestEngine te = new TestEngine(tmp).folderService("ward", "ADT^A01").start()) {
            AdminClient client = new AdminClient(te);
            String session = client.login("admin", TestEngine.ADMIN_PASSWORD);
            Route before = te.engine().camelContext().getRoute(AdminRoutes.ROUTE_ID);
            assertThat(before).isNotNull();

            for (String file : new String[] {"intake.yaml", "routing.yaml", "delivery.yaml"}) {
                Path p = te.routesDir().resolve(file);
                Files.writeString(p, "# edited\n" + Files.readString(p));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> te.engine().reloadNow().isEmpty());
            assertThat(te.engine().camelContext().getRoute(AdminRoutes.ROUTE_ID)).isSameAs(before);
            assertThat(client.get("/api/me", session).statusCode()).isEqualTo(200);

            Files.writeString(te.routesDir().resolve("open.yaml"), "- route:\n    id: open\n    from:\n"
                    + "      uri: \"platform-http:/api/users\"\n      steps:\n        - to: \"log:x\"\n");
            assertThat(te.engine().reloadNow()).extracting(Object::toString)
                    .anySatisfy(p -> assertThat(p).contains("open.yaml:4: component 'platform-http' is reserved"));
            assertThat(te.engine().camelContext().getRoute("open")).isNull();
            assertThat(client.get("/api/users", null).statusCode()).isEqualTo(401);
        }
    }
}
