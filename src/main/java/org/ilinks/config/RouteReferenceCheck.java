package org.ilinks.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The checks Camel would only fail on at start-up (or not at all): beans that are not registered, endpoint schemes
 * with no component on the classpath, route ids used twice, and {@code {{placeholders}}} no setting provides.
 * One instance checks all route files of a folder, so ids and beans are compared across files.
 */
final class RouteReferenceCheck {

    private static final Set<String> BEAN_KEYS = Set.of("ref", "errorHandlerRef", "refErrorHandler");
    private static final Set<String> URI_KEYS = Set.of("uri", "from", "to", "toD", "wireTap", "enrich", "pollEnrich",
            "poll", "interceptFrom", "interceptSendToEndpoint", "deadLetterUri");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");
    private static final Pattern BEAN_REFERENCE = Pattern.compile("#bean:([A-Za-z_][\\w.\\-]*)");
    private static final Pattern URI_BEAN_PARAMETER = Pattern.compile("=#(?!bean:|class:|type:)([A-Za-z_][\\w.\\-]*)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*$");
    /**
     * The admin API owns the engine's HTTP server and checks every caller there; an HTTP endpoint declared in
     * routes/ would be served beside it with no login at all.
     */
    private static final Set<String> HTTP_SCHEMES = Set.of("platform-http", "rest", "rest-api", "rest-openapi");
    private static final Set<String> HTTP_KINDS = Set.of("rest", "restConfiguration", "rest-configuration");
    private static final String HTTP_RESERVED = " is reserved for the engine's admin API: routes may not serve HTTP";

    private final Set<String> beans;
    private final Properties settings;
    private final CamelContext components;
    private final Map<String, Boolean> knownSchemes = new HashMap<>();
    private final Map<String, String> routeIds = new HashMap<>();
    private final Map<String, String> templateIds = new HashMap<>();
    private Path file;
    private List<ConfigProblem> problems;

    /**
     * @param components an unstarted context, asked whether a scheme has a component (found on the classpath)
     */
    RouteReferenceCheck(Set<String> knownBeans, Settings settings, CamelContext components) {
        this.beans = new HashSet<>(knownBeans);
        this.settings = settings.asProperties();
        this.components = components;
    }

    /** Beans a route file declares itself ({@code - beans: [{name: ...}]}) may be used by every route file. */
    void declareBeans(Node document) {
        forEachItem(document, (kind, body) -> {
            if (kind.equals("beans") && body instanceof SequenceNode list) {
                for (Node bean : list.getValue()) {
                    value(bean, "name").flatMap(YamlFile::text).ifPresent(beans::add);
                }
            }
        });
    }

    List<ConfigProblem> check(Path routeFile, Node document) {
        this.file = routeFile;
        this.problems = new ArrayList<>();
        forEachItem(document, (kind, body) -> {
            Set<String> parameters = new HashSet<>();
            if (HTTP_KINDS.contains(kind)) {
                report(body, "'" + kind + "'" + HTTP_RESERVED);
            }
            if (kind.equals("route")) {
                uniqueId(body, "route id", routeIds);
            } else if (kind.equals("routeTemplate")) {
                uniqueId(body, "route template id", templateIds);
                value(body, "parameters").filter(SequenceNode.class::isInstance).ifPresent(list ->
                        ((SequenceNode) list).getValue().forEach(p ->
                                value(p, "name").flatMap(YamlFile::text).ifPresent(parameters::add)));
            }
            walk(body, null, parameters);
        });
        return problems;
    }

    private void uniqueId(Node body, String what, Map<String, String> seen) {
        value(body, "id").ifPresent(idNode -> YamlFile.text(idNode).ifPresent(id -> {
            String here = file + ":" + YamlFile.line(idNode);
            String first = seen.putIfAbsent(id, here);
            if (first != null) {
                report(idNode, "duplicate " + what + " '" + id + "' (also declared in " + first + ")");
            }
        }));
    }

    private void walk(Node node, String key, Set<String> parameters) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                walk(tuple.getValueNode(), YamlFile.text(tuple.getKeyNode()).orElse(""), parameters);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> walk(item, key, parameters));
        } else {
            YamlFile.text(node).ifPresent(text -> scalar(node, key, text, parameters));
        }
    }

    private void scalar(Node node, String key, String text, Set<String> parameters) {
        placeholders(node, text, parameters);
        Matcher reference = BEAN_REFERENCE.matcher(text);
        while (reference.find()) {
            bean(node, reference.group(1));
        }
        if (key != null && BEAN_KEYS.contains(key) && !isDynamic(text)) {
            bean(node, text.trim());
        }
        if (key != null && URI_KEYS.contains(key)) {
            uri(node, text.trim());
        }
    }

    private void placeholders(Node node, String text, Set<String> parameters) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String name = m.group(1).trim();
            // "?" marks an optional placeholder; a colon is a default value or a function such as env:
            if (name.startsWith("?") || name.contains(":")) {
                continue;
            }
            if (name.startsWith("!")) {
                name = name.substring(1);
            }
            if (!parameters.contains(name) && Setting.byKey(name).isEmpty() && !settings.containsKey(name)) {
                report(node, "unknown setting '" + name + "'");
            }
        }
    }

    private void uri(Node node, String uri) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        if (!SCHEME.matcher(scheme).matches()) {
            return; // built from placeholders or expressions: only known when the route runs
        }
        if (HTTP_SCHEMES.contains(scheme)) {
            report(node, "component '" + scheme + "'" + HTTP_RESERVED);
            return;
        }
        if (!knownSchemes.computeIfAbsent(scheme, this::hasComponent)) {
            report(node, "unknown component '" + scheme + "' in uri '" + uri + "'");
            return;
        }
        if (scheme.equals("bean") && colon > 0) {
            String name = uri.substring(colon + 1).replaceFirst("^//", "").split("\\?", 2)[0];
            if (!name.isEmpty() && !isDynamic(name)) {
                bean(node, name);
            }
        }
        Matcher parameter = URI_BEAN_PARAMETER.matcher(uri);
        while (parameter.find()) {
            bean(node, parameter.group(1));
        }
    }

    private boolean hasComponent(String scheme) {
        try {
            return components.getComponent(scheme, true, false) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void bean(Node node, String name) {
        if (!beans.contains(name)) {
            report(node, "unknown bean '" + name + "'");
        }
    }

    private static boolean isDynamic(String text) {
        return text.contains("{{") || text.contains("${");
    }

    private void report(Node node, String message) {
        problems.add(ConfigProblem.at(file, YamlFile.line(node), message));
    }

    /** Calls {@code action} with the kind ({@code route}, {@code routeTemplate}, ...) and body of each top-level item. */
    private static void forEachItem(Node document, java.util.function.BiConsumer<String, Node> action) {
        if (document instanceof SequenceNode items) {
            for (Node item : items.getValue()) {
                if (item instanceof MappingNode mapping) {
                    for (NodeTuple tuple : mapping.getValue()) {
                        YamlFile.text(tuple.getKeyNode()).ifPresent(kind -> action.accept(kind, tuple.getValueNode()));
                    }
                }
            }
        }
    }

    private static Optional<Node> value(Node mapping, String key) {
        if (mapping instanceof MappingNode m) {
            return m.getValue().stream()
                    .filter(t -> YamlFile.text(t.getKeyNode()).map(key::equals).orElse(false))
                    .map(NodeTuple::getValueNode)
                    .findFirst();
        }
        return Optional.empty();
    }
}
