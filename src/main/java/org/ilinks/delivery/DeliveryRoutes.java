package org.ilinks.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.ilinks.config.ServiceDefinition;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.MllpEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one delivery route per service from the {@code service-delivery} template in {@code routes/delivery.yaml},
 * and on reload replaces the routes of services whose definition changed. Stopping a route lets its in-flight
 * deliveries finish; messages not yet taken stay in the service's queue for the new route.
 */
public final class DeliveryRoutes {

    public static final String TEMPLATE = "service-delivery";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRoutes.class);

    private final CamelContext context;
    private final Map<String, ServiceDefinition> installed = new HashMap<>();

    public DeliveryRoutes(CamelContext context) {
        this.context = context;
    }

    public static String routeId(ServiceDefinition service) {
        return "deliver-" + service.id();
    }

    /** Brings the running delivery routes in line with these services. Returns the ids of services changed. */
    public synchronized List<String> apply(List<ServiceDefinition> services) throws Exception {
        List<String> changed = new ArrayList<>();
        Map<String, ServiceDefinition> wanted = new HashMap<>();
        services.forEach(s -> wanted.put(s.id(), s));
        for (String id : new ArrayList<>(installed.keySet())) {
            ServiceDefinition now = wanted.get(id);
            if (now == null || !now.equals(installed.get(id))) {
                remove(installed.remove(id));
                changed.add(id);
            }
        }
        for (ServiceDefinition s : services) {
            if (!installed.containsKey(s.id())) {
                add(s);
                installed.put(s.id(), s);
                if (!changed.contains(s.id())) {
                    changed.add(s.id());
                }
            }
        }
        return changed;
    }

    /** Takes down every delivery route, e.g. before the template they were made from is replaced. */
    public synchronized void removeAll() throws Exception {
        for (ServiceDefinition s : new ArrayList<>(installed.values())) {
            remove(s);
        }
        installed.clear();
    }

    /** Re-creates every delivery route from the (new) template. */
    public synchronized List<String> reinstall(List<ServiceDefinition> services) throws Exception {
        removeAll();
        return apply(services);
    }

    private void add(ServiceDefinition s) throws Exception {
        ServiceDefinition.DeliveryPolicy p = s.delivery();
        TemplatedRouteBuilder.builder(context, TEMPLATE)
                .routeId(routeId(s))
                .parameter("serviceId", s.id())
                .parameter("queue", s.queueName())
                .parameter("parkedQueue", s.parkedQueueName())
                .parameter("deliveryUri", deliveryUri(s))
                .parameter("endpointKind", s.endpoint().kind())
                .parameter("consumers", p.consumers())
                .parameter("maxAttempts", p.maxAttempts())
                .parameter("initialDelayMs", p.initialDelayMs())
                .parameter("backoffMultiplier", p.backoffMultiplier())
                .parameter("maxDelayMs", p.maxDelayMs())
                .add();
        if (context.isStarted()) {
            context.getRouteController().startRoute(routeId(s));
        }
        LOG.info("Service {}: delivering by {} from queue {}", s.id(), s.endpoint().kind(), s.queueName());
    }

    private void remove(ServiceDefinition s) throws Exception {
        context.getRouteController().stopRoute(routeId(s));
        context.removeRoute(routeId(s));
        LOG.info("Service {}: delivery route stopped", s.id());
    }

    /** The Camel endpoint URI a service's messages are sent to. */
    static String deliveryUri(ServiceDefinition s) {
        if (s.endpoint() instanceof MllpEndpoint m) {
            return "mllp:" + m.host() + ":" + m.port()
                    + "?connectTimeout=" + m.connectTimeoutMs()
                    + "&receiveTimeout=" + m.ackTimeoutMs()
                    + "&hl7Headers=false&requireEndOfData=false&validatePayload=false";
        }
        if (s.endpoint() instanceof FolderEndpoint f) {
            // Written under a temporary name and renamed, so a reader never sees half a file; the name is the
            // message id, so a redelivery after a crash overwrites rather than duplicates. A practice extract's file
            // for the service carries its own name (ilinksFileName, see extract.csv.CsvExtracts), as stable.
            String name = "${iif(${header.ilinksFileName} != null,${header.ilinksFileName},${header.ilinksMessageId}.hl7)}";
            return "file:" + f.path().toAbsolutePath().normalize()
                    + "?fileName=RAW(" + name + ")&tempFileName=RAW(." + name + ".part)"
                    + "&fileExist=Override&autoCreate=true";
        }
        QueueEndpoint q = (QueueEndpoint) s.endpoint();
        return "jms:queue:" + q.name() + "?deliveryPersistent=true&disableReplyTo=true&jmsMessageType=Bytes";
    }
}
