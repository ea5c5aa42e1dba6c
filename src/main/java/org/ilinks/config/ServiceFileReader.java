package org.ilinks.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ilinks.config.ServiceDefinition.DeliveryPolicy;
import org.ilinks.config.ServiceDefinition.Endpoint;
import org.ilinks.config.ServiceDefinition.ExtractSubscription;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.Governance;
import org.ilinks.config.ServiceDefinition.UnverifiedNhsNumber;
import org.ilinks.config.ServiceDefinition.WhenParked;
import org.ilinks.config.ServiceDefinition.MessageTypePattern;
import org.ilinks.config.ServiceDefinition.MllpEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;
import org.ilinks.config.ServiceDefinition.Subscription;
import org.ilinks.governance.consent.ServiceConsentModel;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one service file ({@code config/services/*.yaml}) into a {@link ServiceDefinition}, reporting every
 * problem in it. Checks that need all files at once (duplicate ids, shared folders) are the loader's job.
 */
final class ServiceFileReader {

    private static final Pattern SERVICE_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final Pattern QUEUE_NAME = Pattern.compile("^[A-Za-z0-9._-]+$");
    private static final Pattern TYPE_PATTERN = Pattern.compile("^([A-Za-z0-9]{3})\\^([A-Za-z0-9]{1,3}|\\*)$");
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final List<String> TOP_KEYS =
            List.of("id", "description", "subscribe", "governance", "endpoint", "delivery");
    private static final List<String> SUBSCRIBE_KEYS =
            List.of("messageTypes", "sendingFacilities", "registeredPractices", "patientClasses", "extracts");
    private static final List<String> EXTRACT_KEYS = List.of("recordTypes", "practices");
    private static final Pattern RECORD_TYPE = Pattern.compile("^[A-Za-z0-9_-]{1,40}$");
    private static final Pattern ODS_CODE = Pattern.compile("^[A-Za-z0-9]{3,8}$");
    private static final List<String> GOVERNANCE_KEYS =
            List.of("consent", "categories", "protectedRecords", "unverifiedNhsNumber", "restrictedData");
    private static final List<String> ENDPOINT_KINDS = List.of("mllp", "folder", "queue");
    private static final List<String> MLLP_KEYS = List.of("host", "port", "connectTimeoutMs", "ackTimeoutMs");
    private static final List<String> DELIVERY_KEYS =
            List.of("consumers", "maxAttempts", "initialDelayMs", "backoffMultiplier", "maxDelayMs", "whenParked");

    /** A service as read, with the lines the cross-file checks point at. */
    record Declared(ServiceDefinition definition, int idLine, int endpointLine) {
    }

    private final Path file;
    private final Settings settings;
    private final Set<String> restrictedCategories;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Line of the folder path or queue name, where a clash with another service is reported. */
    private int endpointTargetLine;
    /** Line of {@code subscribe: extracts}, when the service takes practice extracts. */
    private int extractsLine;

    private ServiceFileReader(Path file, Settings settings, Set<String> restrictedCategories) {
        this.file = file;
        this.settings = settings;
        this.restrictedCategories = restrictedCategories;
    }

    /**
     * Reads {@code file}, adding its problems to {@code problems}. Empty when the file is empty or commented out
     * (a parked service) or when it has any problem.
     */
    static Optional<Declared> read(Path file, Settings settings, Set<String> restrictedCategories,
                                   List<ConfigProblem> problems) {
        ServiceFileReader reader = new ServiceFileReader(file, settings, restrictedCategories);
        Optional<Declared> declared = reader.read();
        problems.addAll(reader.problems);
        return reader.problems.isEmpty() ? declared : Optional.empty();
    }

    private Optional<Declared> read() {
        return YamlMapping.readOne(file, "service", problems).flatMap(this::service);
    }

    private Optional<Declared> service(YamlMapping root) {
        root.allowOnly(TOP_KEYS);
        Optional<String> id = root.requiredText("id").filter(value -> validId(root, value));
        Optional<String> description = root.requiredText("description");
        Optional<Subscription> subscription = root.required("subscribe")
                .flatMap(n -> YamlMapping.of(file, n, "subscribe", problems))
                .flatMap(this::subscription);
        boolean declaresGovernance = root.keys().contains("governance");
        if (!declaresGovernance) {
            problems.add(ConfigProblem.at(file, root.line(), "missing 'governance': every service says who it may "
                    + "receive data about, at least its consent model, e.g. governance: {consent: opt-out}"));
        }
        Optional<Governance> governance = !declaresGovernance ? Optional.empty()
                : root.required("governance").flatMap(n -> YamlMapping.of(file, n, "governance", problems))
                        .flatMap(this::governance);
        id.ifPresent(value -> requireProfile(root, value));
        Optional<Endpoint> endpoint = root.required("endpoint")
                .flatMap(n -> YamlMapping.of(file, n, "endpoint", problems))
                .flatMap(this::endpoint);
        Optional<DeliveryPolicy> delivery = root.optional("delivery")
                .map(n -> YamlMapping.of(file, n, "delivery", problems).flatMap(this::delivery))
                .orElseGet(() -> Optional.of(defaultDelivery()));
        if (id.isEmpty() || description.isEmpty() || subscription.isEmpty() || governance.isEmpty()
                || endpoint.isEmpty() || delivery.isEmpty()) {
            return Optional.empty();
        }
        if (subscription.get().extracts().any() && endpoint.get() instanceof MllpEndpoint) {
            // An extract goes out as one file per input file: MLLP carries HL7 messages, not files.
            problems.add(ConfigProblem.at(file, extractsLine, "a service that takes practice extracts must have a "
                    + "folder or queue endpoint: they are delivered as files, which MLLP cannot carry"));
            return Optional.empty();
        }
        ServiceDefinition definition = new ServiceDefinition(id.get(), description.get().trim(), file,
                subscription.get(), endpoint.get(), delivery.get(), governance.get());
        return Optional.of(new Declared(definition, root.keyLine("id"), endpointTargetLine));
    }

    private boolean validId(YamlMapping root, String id) {
        if (SERVICE_ID.matcher(id).matches()) {
            return true;
        }
        problems.add(ConfigProblem.at(file, root.keyLine("id"), "service id '" + id
                + "' is not valid: use 2 to 63 lower-case letters, digits and dashes, starting with a letter or digit"));
        return false;
    }

    private Optional<Subscription> subscription(YamlMapping subscribe) {
        subscribe.allowOnly(SUBSCRIBE_KEYS);
        boolean takesExtracts = subscribe.keys().contains("extracts");
        Optional<ExtractSubscription> extracts = !takesExtracts ? Optional.of(ExtractSubscription.NONE)
                : subscribe.required("extracts").flatMap(n -> YamlMapping.of(file, n, "extracts", problems))
                        .flatMap(this::extracts);
        // A service that takes only practice extracts needs no message types.
        Optional<List<MessageTypePattern>> types = takesExtracts && !subscribe.keys().contains("messageTypes")
                ? Optional.of(List.of())
                : subscribe.required("messageTypes")
                        .flatMap(n -> list(subscribe, "messageTypes", n, "[ADT^A01, ORU^R01]"))
                        .flatMap(nodes -> messageTypes(subscribe, nodes));
        Optional<List<String>> facilities = optionalTexts(subscribe, "sendingFacilities", "[RQ6, REM]");
        Optional<List<String>> practices = optionalTexts(subscribe, "registeredPractices", "[N81013, N82054]");
        Optional<List<String>> classes = optionalTexts(subscribe, "patientClasses", "[I, E]");
        if (types.isEmpty() || facilities.isEmpty() || practices.isEmpty() || classes.isEmpty()
                || extracts.isEmpty()) {
            return Optional.empty();
        }
        if (extracts.get().any()) {
            extractsLine = subscribe.keyLine("extracts");
        }
        return Optional.of(new Subscription(types.get(), facilities.get(), practices.get(), classes.get(),
                extracts.get()));
    }

    /** {@code extracts: {recordTypes: [...], practices: [...]}}: which rows of practice extracts it takes. */
    private Optional<ExtractSubscription> extracts(YamlMapping extracts) {
        extracts.allowOnly(EXTRACT_KEYS);
        Optional<List<String>> types = extracts.required("recordTypes")
                .flatMap(n -> list(extracts, "recordTypes", n, "[REG, IMMS]"))
                .flatMap(nodes -> texts(extracts, nodes))
                .flatMap(t -> matching(extracts, "recordTypes", t, RECORD_TYPE, "letters, digits, - and _"));
        Optional<List<String>> practices = optionalTexts(extracts, "practices", "[N81013, N82054]")
                .flatMap(p -> matching(extracts, "practices", p, ODS_CODE, "an ODS code, e.g. N81013"));
        if (types.isEmpty() || practices.isEmpty()) {
            return Optional.empty();
        }
        if (types.get().isEmpty()) {
            problems.add(ConfigProblem.at(file, extracts.keyLine("recordTypes"),
                    "recordTypes must list at least one record type, e.g. [REG]"));
            return Optional.empty();
        }
        return Optional.of(new ExtractSubscription(types.get(), practices.get()));
    }

    private Optional<List<String>> matching(YamlMapping mapping, String key, List<String> values, Pattern pattern,
                                            String what) {
        for (String value : values) {
            if (!pattern.matcher(value).matches()) {
                problems.add(ConfigProblem.at(file, mapping.keyLine(key), key + " entry '" + value
                        + "' is not valid: use " + what));
                return Optional.empty();
            }
        }
        return Optional.of(values);
    }

    private Optional<List<String>> optionalTexts(YamlMapping mapping, String key, String example) {
        return mapping.optional(key)
                .map(n -> list(mapping, key, n, example).flatMap(nodes -> texts(mapping, nodes)))
                .orElseGet(() -> Optional.of(List.of()));
    }

    private Optional<Governance> governance(YamlMapping governance) {
        governance.allowOnly(GOVERNANCE_KEYS);
        Optional<ServiceConsentModel> model = governance.requiredText("consent").flatMap(text -> {
            ServiceConsentModel m = ServiceConsentModel.fromWord(text);
            if (m == null) {
                governance.report(governance.optional("consent").orElseThrow(), "consent must be opt-out (share "
                        + "unless the patient dissented) or opt-in (share only with recorded consent), not '"
                        + text.strip() + "'");
            }
            return Optional.ofNullable(m);
        });
        Optional<List<String>> categories = optionalTexts(governance, "categories", "[direct-care, acute-care]")
                .flatMap(names -> names(governance, "categories", names));
        Optional<Boolean> protectedRecords = choice(governance, "protectedRecords", List.of("withhold", "receive"),
                "withhold").map("receive"::equals);
        Optional<UnverifiedNhsNumber> unverified = choice(governance, "unverifiedNhsNumber", List.of("hold", "send"),
                "hold").map(w -> w.equals("send") ? UnverifiedNhsNumber.SEND : UnverifiedNhsNumber.HOLD);
        Optional<List<String>> restricted = optionalTexts(governance, "restrictedData", "[hiv, sexual-health]")
                .flatMap(names -> restrictedCategories(governance, names));
        if (model.isEmpty() || categories.isEmpty() || protectedRecords.isEmpty() || unverified.isEmpty()
                || restricted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Governance(model.get(), Set.copyOf(categories.get()), protectedRecords.get(),
                unverified.get(), Set.copyOf(restricted.get())));
    }

    private Optional<List<String>> names(YamlMapping mapping, String key, List<String> names) {
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                problems.add(ConfigProblem.at(file, mapping.keyLine(key), key + " entry '" + name
                        + "' is not valid: use lower-case letters, digits and dashes, e.g. direct-care"));
                return Optional.empty();
            }
        }
        return Optional.of(names);
    }

    private Optional<List<String>> restrictedCategories(YamlMapping mapping, List<String> names) {
        for (String name : names) {
            if (!restrictedCategories.contains(name)) {
                problems.add(ConfigProblem.at(file, mapping.keyLine("restrictedData"), "restrictedData names '" + name
                        + "', which is not a category in restricted-codes.yaml"
                        + (restrictedCategories.isEmpty() ? " (it has none)"
                                : " (it has: " + String.join(", ", new java.util.TreeSet<>(restrictedCategories)) + ")")));
                return Optional.empty();
            }
        }
        return Optional.of(names);
    }

    private Optional<String> choice(YamlMapping mapping, String key, List<String> words, String fallback) {
        Optional<Node> node = mapping.optional(key);
        if (node.isEmpty()) {
            return Optional.of(fallback);
        }
        return mapping.text(key, node.get()).map(t -> t.strip().toLowerCase(Locale.ROOT)).flatMap(word -> {
            if (words.contains(word)) {
                return Optional.of(word);
            }
            mapping.report(node.get(), key + " must be " + String.join(" or ", words) + ", not '" + word + "'");
            return Optional.empty();
        });
    }

    /** Every service needs a minimisation profile: without one, nothing would say what it may receive. */
    private void requireProfile(YamlMapping root, String id) {
        Path profile = settings.profilesDir().resolve(id + ".yaml");
        if (!java.nio.file.Files.isRegularFile(profile)) {
            problems.add(ConfigProblem.at(file, root.keyLine("id"), "service '" + id + "' has no minimisation "
                    + "profile: create " + profile + " (see config/profiles/ for examples)"));
        }
    }

    private Optional<List<Node>> list(YamlMapping mapping, String key, Node value, String example) {
        if (value instanceof SequenceNode sequence) {
            return Optional.of(sequence.getValue());
        }
        mapping.report(value, key + " must be a list, e.g. " + example);
        return Optional.empty();
    }

    private Optional<List<String>> texts(YamlMapping mapping, List<Node> nodes) {
        List<String> texts = new ArrayList<>();
        boolean ok = true;
        for (Node node : nodes) {
            Optional<String> text = mapping.text("each entry", node);
            ok &= text.isPresent();
            text.ifPresent(t -> texts.add(t.trim()));
        }
        return ok ? Optional.of(List.copyOf(texts)) : Optional.empty();
    }

    private Optional<List<MessageTypePattern>> messageTypes(YamlMapping subscribe, List<Node> nodes) {
        if (nodes.isEmpty()) {
            problems.add(ConfigProblem.at(file, subscribe.keyLine("messageTypes"),
                    "messageTypes must list at least one message type, e.g. [ADT^A01] or [\"*\"]"));
            return Optional.empty();
        }
        List<MessageTypePattern> patterns = new ArrayList<>();
        boolean ok = true;
        for (Node node : nodes) {
            Optional<MessageTypePattern> pattern = subscribe.text("each message type", node)
                    .flatMap(text -> messageType(subscribe, node, text.trim()));
            ok &= pattern.isPresent();
            pattern.ifPresent(patterns::add);
        }
        return ok ? Optional.of(List.copyOf(patterns)) : Optional.empty();
    }

    private Optional<MessageTypePattern> messageType(YamlMapping subscribe, Node node, String text) {
        if (text.equals(MessageTypePattern.ANY)) {
            return Optional.of(MessageTypePattern.parse(text));
        }
        var matcher = TYPE_PATTERN.matcher(text);
        if (!matcher.matches()) {
            subscribe.report(node, "message type '" + text + "' must be written TYPE^TRIGGER (ADT^A01), TYPE^* or *");
            return Optional.empty();
        }
        String type = matcher.group(1).toUpperCase(Locale.ROOT);
        String trigger = matcher.group(2).toUpperCase(Locale.ROOT);
        boolean known = trigger.equals(MessageTypePattern.ANY)
                ? MessageTypeCatalogue.isKnownType(type)
                : MessageTypeCatalogue.isKnown(type, trigger);
        if (!known) {
            subscribe.report(node, "unknown message type '" + text + "'");
            return Optional.empty();
        }
        return Optional.of(MessageTypePattern.parse(text));
    }

    private Optional<Endpoint> endpoint(YamlMapping endpoint) {
        endpoint.allowOnly(ENDPOINT_KINDS);
        List<String> kinds = endpoint.keys().stream().filter(ENDPOINT_KINDS::contains).toList();
        if (kinds.isEmpty()) {
            problems.add(ConfigProblem.at(file, endpoint.line(), "endpoint needs one of: mllp, folder, queue"));
            return Optional.empty();
        }
        if (kinds.size() > 1) {
            problems.add(ConfigProblem.at(file, endpoint.keyLine(kinds.get(1)),
                    "endpoint has more than one kind (" + String.join(", ", kinds) + "): keep exactly one"));
            return Optional.empty();
        }
        String kind = kinds.get(0);
        endpointTargetLine = endpoint.keyLine(kind);
        return endpoint.required(kind)
                .flatMap(n -> YamlMapping.of(file, n, kind, problems))
                .flatMap(m -> switch (kind) {
                    case "mllp" -> mllp(m);
                    case "folder" -> folder(m);
                    default -> queue(m);
                });
    }

    private Optional<Endpoint> mllp(YamlMapping mllp) {
        mllp.allowOnly(MLLP_KEYS);
        Optional<String> host = mllp.requiredText("host");
        Optional<Long> port = mllp.required("port").flatMap(n -> mllp.wholeNumber("port", n, 1, 65535));
        Optional<Long> connect = mllp.wholeNumber("connectTimeoutMs", 1, Integer.MAX_VALUE, 5000);
        Optional<Long> ack = mllp.wholeNumber("ackTimeoutMs", 1, Integer.MAX_VALUE, 15000);
        if (host.isEmpty() || port.isEmpty() || connect.isEmpty() || ack.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MllpEndpoint(host.get().trim(), port.get().intValue(), connect.get().intValue(),
                ack.get().intValue()));
    }

    private Optional<Endpoint> folder(YamlMapping folder) {
        folder.allowOnly(List.of("path"));
        endpointTargetLine = folder.keyLine("path");
        // A relative folder lives under the data dir, next to everything else the engine writes.
        return folder.requiredText("path").map(path -> new FolderEndpoint(
                settings.dataDir().resolve(path.trim()).normalize()));
    }

    private Optional<Endpoint> queue(YamlMapping queue) {
        queue.allowOnly(List.of("name"));
        endpointTargetLine = queue.keyLine("name");
        Optional<String> name = queue.requiredText("name").map(String::trim);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!QUEUE_NAME.matcher(name.get()).matches()) {
            problems.add(ConfigProblem.at(file, queue.keyLine("name"), "queue name '" + name.get()
                    + "' may only contain letters, digits, dots, dashes and underscores"));
            return Optional.empty();
        }
        if (name.get().startsWith("ilinks.")) {
            problems.add(ConfigProblem.at(file, queue.keyLine("name"), "queue name '" + name.get()
                    + "' must not start with 'ilinks.' (those are the engine's own queues)"));
            return Optional.empty();
        }
        return Optional.of(new QueueEndpoint(name.get()));
    }

    private Optional<DeliveryPolicy> delivery(YamlMapping delivery) {
        delivery.allowOnly(DELIVERY_KEYS);
        DeliveryPolicy defaults = defaultDelivery();
        Optional<Long> consumers = delivery.wholeNumber("consumers", 1, 64, defaults.consumers());
        Optional<Long> attempts = delivery.wholeNumber("maxAttempts", 1, 1000, defaults.maxAttempts());
        Optional<Long> initial = delivery.wholeNumber("initialDelayMs", 0, Long.MAX_VALUE, defaults.initialDelayMs());
        Optional<Double> multiplier = delivery.decimal("backoffMultiplier", 1, defaults.backoffMultiplier());
        Optional<Long> max = delivery.wholeNumber("maxDelayMs", 0, Long.MAX_VALUE, defaults.maxDelayMs());
        Optional<WhenParked> whenParked = choice(delivery, "whenParked", List.of("continue", "hold-patient"),
                defaults.whenParked().word()).map(WhenParked::fromWord);
        if (consumers.isEmpty() || attempts.isEmpty() || initial.isEmpty() || multiplier.isEmpty() || max.isEmpty()
                || whenParked.isEmpty()) {
            return Optional.empty();
        }
        if (max.get() < initial.get()) {
            problems.add(ConfigProblem.at(file, delivery.keyLine("maxDelayMs"), "maxDelayMs (" + max.get()
                    + ") must not be less than initialDelayMs (" + initial.get() + ")"));
            return Optional.empty();
        }
        return Optional.of(new DeliveryPolicy(consumers.get().intValue(), attempts.get().intValue(), initial.get(),
                multiplier.get(), max.get(), whenParked.get()));
    }

    /**
     * The engine-wide defaults; a malformed setting falls back to its built-in default here because
     * {@link Settings#problems()} already reports it.
     */
    private DeliveryPolicy defaultDelivery() {
        return new DeliveryPolicy(
                (int) settingOr(Setting.DELIVERY_CONSUMERS),
                (int) settingOr(Setting.DELIVERY_MAX_ATTEMPTS),
                (long) settingOr(Setting.DELIVERY_INITIAL_DELAY_MS),
                settingOr(Setting.DELIVERY_BACKOFF_MULTIPLIER),
                (long) settingOr(Setting.DELIVERY_MAX_DELAY_MS),
                WhenParked.CONTINUE);
    }

    private double settingOr(Setting setting) {
        try {
            return Double.parseDouble(settings.get(setting).trim());
        } catch (NumberFormatException e) {
            return Double.parseDouble(setting.defaultValue());
        }
    }
}
