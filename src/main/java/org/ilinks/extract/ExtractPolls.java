package org.ilinks.extract;

import java.time.Clock;
import java.util.function.Function;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll strategy of every practice route, named {@code extractPolls}: records each poll that reached the server's
 * folder and each that failed (an unknown host key, a refused key, a server down), for the status, with one WARN line
 * per failure. A failed poll is not retried at once; the next one comes at the practice's interval.
 */
public final class ExtractPolls implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractPolls.class);

    private final ExtractStatus status;
    private final Function<String, PracticeSource> practices;
    private final Clock clock;

    public ExtractPolls(ExtractStatus status, Function<String, PracticeSource> practices, Clock clock) {
        this.status = status;
        this.practices = practices;
        this.clock = clock;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String ods = ods(consumer);
        if (ods != null) {
            status.polled(ods, clock.instant());
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String ods = ods(consumer);
        PracticeSource practice = ods == null ? null : practices.apply(ods);
        if (practice == null) {
            return false;
        }
        String error = PollErrors.describe(practice, cause);
        status.failed(ods, clock.instant(), error);
        LOG.warn("Practice {}: {}", ods, error);
        return false;
    }

    private static String ods(Consumer consumer) {
        if (consumer instanceof RouteIdAware aware && aware.getRouteId() != null
                && aware.getRouteId().startsWith(ExtractRoutes.ROUTE_PREFIX)) {
            return aware.getRouteId().substring(ExtractRoutes.ROUTE_PREFIX.length());
        }
        return null;
    }
}
