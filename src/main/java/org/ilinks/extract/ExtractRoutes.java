package org.ilinks.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one route per practice from the {@code practice-extract} template in {@code routes/extracts.yaml}. The key's
 * passphrase, if any, is read here from its file or environment variable and set on the route's endpoint, so that it
 * never appears in an endpoint URI, a route parameter or a log line.
 */
final class ExtractRoutes {

    static final String TEMPLATE = "practice-extract";
    static final String ROUTE_PREFIX = "extract-";

    private static final Logger LOG = LoggerFactory.getLogger(ExtractRoutes.class);

    private ExtractRoutes() {
    }

    static void install(CamelContext context, List<PracticeSource> practices) throws Exception {
        for (PracticeSource p : practices) {
            PracticeSource.Sftp s = p.sftp();
            TemplatedRouteBuilder.builder(context, TEMPLATE)
                    .routeId(p.routeId())
                    .parameter("ods", p.ods())
                    .parameter("host", s.host())
                    .parameter("port", s.port())
                    .parameter("user", s.user())
                    .parameter("folder", s.folder())
                    .parameter("privateKeyFile", s.privateKeyFile().toString())
                    .parameter("knownHostsFile", s.knownHostsFile().toString())
                    .parameter("include", s.pattern())
                    .parameter("pollIntervalMs", s.pollIntervalMs())
                    .parameter("stableForMs", s.stableForMs())
                    // The read lock gives up on a file still changing after this long; it is tried again next poll.
                    .parameter("lockTimeoutMs", Math.max(s.stableForMs() * 3, s.stableForMs() + 5_000))
                    .add();
            String passphrase = passphrase(s);
            if (passphrase != null) {
                Route route = context.getRoute(p.routeId());
                ((SftpEndpoint) route.getEndpoint()).getConfiguration().setPrivateKeyPassphrase(passphrase);
            }
            if (context.isStarted()) {
                context.getRouteController().startRoute(p.routeId());
            }
            LOG.info("Practice {}: polling sftp://{}:{}/{} for {} every {} ms", p.ods(), s.host(), s.port(),
                    s.folder(), s.pattern(), s.pollIntervalMs());
        }
    }

    private static String passphrase(PracticeSource.Sftp s) throws IOException {
        if (s.passphraseFile() != null) {
            return Files.readString(s.passphraseFile(), StandardCharsets.UTF_8).strip();
        }
        if (s.passphraseEnv() != null) {
            String value = System.getenv(s.passphraseEnv());
            if (value == null) {
                throw new IllegalStateException("the environment variable " + s.passphraseEnv()
                        + " (the private key's passphrase) is not set");
            }
            return value;
        }
        return null;
    }
}
