package org.ilinks.admin;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API's one Camel route, on Camel's embedded HTTP server. It is product code, built here in Java and not
 * in routes/: analysts edit and reload routes/, and the API (with its logins and audit) must not be editable away.
 * Every path goes to {@link AdminApi}, which matches endpoints itself so that unknown paths and wrong methods get
 * JSON answers too.
 */
public final class AdminRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "admin-api";

    private final AdminApi api;

    public AdminRoutes(AdminApi api) {
        this.api = api;
    }

    @Override
    public void configure() {
        from("platform-http:/?matchOnUriPrefix=true&muteException=true")
                .routeId(ROUTE_ID)
                .process(api);
    }
}
