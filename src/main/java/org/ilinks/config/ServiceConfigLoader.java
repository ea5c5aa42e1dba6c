package org.ilinks.config;

import java.nio.file.*;
import java.util.*;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** TEMPORARY minimal loader until the validating loader lands. */
public final class ServiceConfigLoader {
    @SuppressWarnings("unchecked")
    public static List<ServiceDefinition> load(Settings s) throws InvalidConfigException {
        List<ServiceDefinition> out = new ArrayList<>();
        try (var files = Files.list(s.servicesDir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> m = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(p));
                if (m == null) continue;
                Map<String, Object> sub = (Map<String, Object>) m.get("subscribe");
                List<ServiceDefinition.MessageTypePattern> types = ((List<Object>) sub.get("messageTypes")).stream().map(o -> ServiceDefinition.MessageTypePattern.parse(o.toString())).toList();
                List<String> fac = sub.get("sendingFacilities") == null ? List.of() : ((List<Object>) sub.get("sendingFacilities")).stream().map(Object::toString).toList();
                Map<String, Object> ep = (Map<String, Object>) m.get("endpoint");
                ServiceDefinition.Endpoint endpoint;
                if (ep.containsKey("mllp")) {
                    Map<String, Object> e = (Map<String, Object>) ep.get("mllp");
                    endpoint = new ServiceDefinition.MllpEndpoint(e.get("host").toString(), ((Number) e.get("port")).intValue(),
                        e.get("connectTimeoutMs") == null ? 5000 : ((Number) e.get("connectTimeoutMs")).intValue(),
                        e.get("ackTimeoutMs") == null ? 15000 : ((Number) e.get("ackTimeoutMs")).intValue());
                } else if (ep.containsKey("folder")) {
                    endpoint = new ServiceDefinition.FolderEndpoint(s.dataDir().resolve(((Map<String, Object>) ep.get("folder")).get("path").toString()));
                } else {
                    endpoint = new ServiceDefinition.QueueEndpoint(((Map<String, Object>) ep.get("queue")).get("name").toString());
                }
                Map<String, Object> d = m.get("delivery") == null ? Map.of() : (Map<String, Object>) m.get("delivery");
                ServiceDefinition.DeliveryPolicy pol = new ServiceDefinition.DeliveryPolicy(
                    d.get("consumers") == null ? s.getInt(Setting.DELIVERY_CONSUMERS) : ((Number) d.get("consumers")).intValue(),
                    d.get("maxAttempts") == null ? s.getInt(Setting.DELIVERY_MAX_ATTEMPTS) : ((Number) d.get("maxAttempts")).intValue(),
                    s.getLong(Setting.DELIVERY_INITIAL_DELAY_MS), s.getDouble(Setting.DELIVERY_BACKOFF_MULTIPLIER), s.getLong(Setting.DELIVERY_MAX_DELAY_MS));
                out.add(new ServiceDefinition(m.get("id").toString(), String.valueOf(m.get("description")), p, new ServiceDefinition.Subscription(types, fac), endpoint, pol));
            }
        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
        return out;
    }
}
