package org.ilinks.governance.minimise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.YamlFile;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Loads and checks minimisation profiles: one YAML file per service, {@code <profiles folder>/<service-id>.yaml}.
 * Every problem is reported as a {@link ConfigProblem} ({@code file:line: what is wrong}); nothing throws.
 *
 * <h2>Profile file format</h2>
 * A profile is an allow-list: the service receives MSH (always, unchanged) and only what the profile lists.
 * Unlisted segments (Z-segments included), fields, repetitions and components are removed.
 * <pre>
 * description: Diabetes partnership - direct care   # optional, for people
 * mask: XXXX                      # optional (default XXXX): replaces values with transform 'mask'
 * ageBands: [0-17, 18-64, 65+]    # optional (this default): contiguous from 0, last one open-ended
 * pseudonymisation:               # needed when any rule says 'pseudonymise'
 *   keyFile: keys/diabetes.key    # file holding the secret (relative to the profiles folder), or
 *   # keyEnv: ILINKS_DIABETES_KEY # the name of an environment variable holding it; never the secret itself
 *   encoding: hex                 # optional: hex (default) or base32
 *   length: 32                    # optional: characters of pseudonym (default 32; 16 to 64 hex, 16 to 51 base32)
 * segments:
 *   EVN: all                      # 'all': the whole segment as received
 *   PID:                          # otherwise: field path -&gt; transform
 *     PID-3[type=NH]: keep        #   only the repetitions of PID-3 whose type (component 5) is NH
 *     PID-5.1: keep               #   component 1 of every repetition of PID-5; other components removed
 *     PID-7: birth-year
 *     PID-11: keep                #   a rule on a field applies to its whole repetitions ...
 *     PID-11.5: outward-code      #   ... and rules on its components override it for those components
 *   PV1:
 *     PV1-2: keep
 *   ZPI: all                      # a local segment passes only when listed
 * extractColumns:                 # practice extracts (services with subscribe.extracts): the columns it receives,
 *   nhs_number: pseudonymise      #   in this order, each with a transform ('remove' is not one: leave it out);
 *   date_of_birth: age-band       #   'segments' may then be left out
 * </pre>
 * Transforms: {@code keep}, {@code remove}, {@code mask}, {@code outward-code} (UK postcode to its district:
 * "SW1A 1AA" to "SW1A"), {@code birth-year} (YYYY), {@code birth-year-month} (YYYYMM), {@code age-band} (the band
 * label at the message date MSH-7), {@code pseudonymise} (HMAC-SHA256 of the identifier with the service's key).
 * A value a transform cannot read (not a postcode, not a date) is removed. A rule on a field applies to every
 * repetition; {@code [type=XX]} rules apply to repetitions of that identifier type instead, and when a field has
 * only typed rules the other repetitions are removed.
 *
 * <p>Checks: unknown keys, segment ids that are not HL7 v2.6 segments (or Z...), field numbers beyond the
 * segment's v2.6 fields, unknown transforms, paths listed under the wrong segment or twice, age bands with gaps,
 * and a pseudonymisation key that is missing, empty, shorter than 16 bytes or not set in the environment.
 */
public final class ProfileLoader {

    private static final Pattern SERVICE_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final List<String> TOP_KEYS = List.of("description", "mask", "ageBands", "pseudonymisation",
            "segments", "extractColumns");
    /** What an extract column may be turned into; 'remove' is not among them: a column not listed is not sent. */
    private static final List<Transform> COLUMN_TRANSFORMS = List.of(Transform.KEEP, Transform.MASK,
            Transform.OUTWARD_CODE, Transform.BIRTH_YEAR, Transform.BIRTH_YEAR_MONTH, Transform.AGE_BAND,
            Transform.PSEUDONYMISE);
    private static final List<String> KEY_KEYS = List.of("keyFile", "keyEnv", "encoding", "length");
    private static final String DEFAULT_MASK = "XXXX";
    private static final int DEFAULT_PSEUDONYM_LENGTH = 32;
    private static final int MAX_MASK_LENGTH = 40;

    /** Profiles by service id, and every problem found in the folder. */
    public record Profiles(Map<String, MinimisationProfile> byService, List<ConfigProblem> problems) {
        public Profiles {
            byService = Map.copyOf(byService);
            problems = List.copyOf(problems);
        }
    }

    /** One file's profile (empty when it has problems) and its problems. */
    public record LoadedProfile(Optional<MinimisationProfile> profile, List<ConfigProblem> problems) {
        public LoadedProfile {
            problems = List.copyOf(problems);
        }
    }

    private final PseudonymKeyReader keys;

    /** A loader that reads {@code keyEnv} variables from the process environment. */
    public ProfileLoader() {
        this(System::getenv);
    }

    /** A loader that looks {@code keyEnv} variables up in {@code environment} (returning null when unset). */
    public ProfileLoader(Function<String, String> environment) {
        this.keys = new PseudonymKeyReader(environment);
    }

    /** Every {@code *.yaml} profile in {@code folder}, sorted problems included. */
    public Profiles loadFolder(Path folder) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, MinimisationProfile> profiles = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            problems.add(ConfigProblem.at(folder, 0, "profiles folder does not exist"));
            return new Profiles(profiles, problems);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(ConfigProblem.at(folder, 0, "profiles folder cannot be listed: " + e.getClass().getSimpleName()));
            return new Profiles(profiles, problems);
        }
        for (Path file : files) {
            LoadedProfile loaded = load(file);
            problems.addAll(loaded.problems());
            loaded.profile().ifPresent(p -> profiles.put(p.serviceId(), p));
        }
        problems.sort(null);
        return new Profiles(profiles, problems);
    }

    /** The profile in {@code file}, named by the file name without {@code .yaml}. */
    public LoadedProfile load(Path file) {
        List<ConfigProblem> problems = new ArrayList<>();
        YamlFile yaml = YamlFile.read(file);
        problems.addAll(yaml.problems());
        if (!yaml.problems().isEmpty()) {
            return new LoadedProfile(Optional.empty(), problems);
        }
        Optional<MinimisationProfile> profile = Optional.empty();
        if (yaml.documents().isEmpty()) {
            problems.add(ConfigProblem.at(file, 0, "has no profile in it: list at least 'segments:'"));
        } else {
            ProfileYaml reader = new ProfileYaml(file, problems);
            if (yaml.documents().size() > 1) {
                reader.report(yaml.documents().get(1), "only one profile per file");
            }
            profile = reader.mapping(yaml.documents().get(0), "a profile file").flatMap(root -> profile(reader, root));
        }
        return new LoadedProfile(problems.isEmpty() ? profile : Optional.empty(), problems);
    }

    private Optional<MinimisationProfile> profile(ProfileYaml yaml, MappingNode root) {
        String fileName = yaml.file().getFileName().toString();
        String serviceId = fileName.substring(0, fileName.length() - ".yaml".length());
        if (!SERVICE_ID.matcher(serviceId).matches()) {
            yaml.report(0, "file name must be <service-id>.yaml with a service id of 2 to 63 lower-case letters, "
                    + "digits and dashes");
        }
        yaml.allowOnly(root, TOP_KEYS);
        ProfileYaml.tuple(root, "description").ifPresent(t -> yaml.text("description", t.getValueNode()));
        String mask = ProfileYaml.optional(root, "mask").map(n -> mask(yaml, n)).orElse(DEFAULT_MASK);
        AgeBands bands = ProfileYaml.optional(root, "ageBands").map(n -> ageBands(yaml, n))
                .orElseGet(() -> AgeBands.parse(AgeBands.DEFAULT_LABELS).bands());
        Optional<Pseudonymiser> pseudonymiser = ProfileYaml.optional(root, "pseudonymisation")
                .flatMap(n -> yaml.mapping(n, "pseudonymisation"))
                .flatMap(n -> pseudonymiser(yaml, n));
        Optional<Node> segmentsNode = ProfileYaml.optional(root, "segments");
        Optional<Node> columnsNode = ProfileYaml.optional(root, "extractColumns");
        if (segmentsNode.isEmpty() && columnsNode.isEmpty()) {
            yaml.report(root, "missing 'segments' (the allow-list; write 'segments: {}' for MSH only)");
            return Optional.empty();
        }
        // A service that takes only practice extracts has no segments to list.
        Optional<SegmentRulesReader.Rules> rules = segmentsNode.isEmpty()
                ? Optional.of(new SegmentRulesReader.Rules(Map.of(), 0))
                : new SegmentRulesReader(yaml).read(segmentsNode.get());
        int[] firstPseudonymiseColumn = {0};
        Optional<List<ExtractColumn>> columns = columnsNode.isEmpty() ? Optional.of(List.of())
                : extractColumns(yaml, columnsNode.get(), firstPseudonymiseColumn);
        if (rules.isEmpty() || columns.isEmpty()) {
            return Optional.empty();
        }
        boolean configured = ProfileYaml.optional(root, "pseudonymisation").isPresent();
        int firstPseudonymise = rules.get().firstPseudonymiseLine() > 0 ? rules.get().firstPseudonymiseLine()
                : firstPseudonymiseColumn[0];
        if (firstPseudonymise > 0 && !configured) {
            yaml.report(firstPseudonymise, "pseudonymise needs a key: add 'pseudonymisation:' "
                    + "with keyFile or keyEnv");
        }
        if (bands == null || (configured && pseudonymiser.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new MinimisationProfile(serviceId, yaml.file(), rules.get().segments(), mask,
                pseudonymiser, bands, columns.get()));
    }

    /**
     * {@code extractColumns}: column name to transform, in the order the service's files hold them.
     *
     * @param firstPseudonymise set to the line of the first column pseudonymised, which needs a key
     */
    private static Optional<List<ExtractColumn>> extractColumns(ProfileYaml yaml, Node node, int[] firstPseudonymise) {
        Optional<MappingNode> mapping = yaml.mapping(node, "extractColumns");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        List<ExtractColumn> columns = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        for (org.snakeyaml.engine.v2.nodes.NodeTuple t : mapping.get().getValue()) {
            String name = ProfileYaml.key(t);
            if (name.isEmpty() || name.chars().anyMatch(c -> c < ' ' || c == ',' || c == '|' || c == '"')) {
                yaml.report(t.getKeyNode(), "extract column '" + name + "' is not a column name");
                ok = false;
                continue;
            }
            if (seen.stream().anyMatch(name::equalsIgnoreCase)) {
                // Extract headers are matched ignoring case, so these would be one column.
                yaml.report(t.getKeyNode(), "extract column '" + name + "' is listed twice");
                ok = false;
                continue;
            }
            seen.add(name);
            Optional<String> word = yaml.text(name, t.getValueNode());
            if (word.isEmpty()) {
                ok = false;
                continue;
            }
            Optional<Transform> transform = Transform.byProfileName(word.get()).filter(COLUMN_TRANSFORMS::contains);
            if (transform.isEmpty()) {
                yaml.report(t.getValueNode(), "'" + word.get() + "' is not a transform for an extract column "
                        + "(use " + String.join(", ", COLUMN_TRANSFORMS.stream().map(Transform::profileName).toList())
                        + (word.get().equals("remove") ? "; leave a column out to remove it" : "") + ")");
                ok = false;
                continue;
            }
            if (transform.get() == Transform.PSEUDONYMISE && firstPseudonymise[0] == 0) {
                firstPseudonymise[0] = YamlFile.line(t.getValueNode());
            }
            columns.add(new ExtractColumn(name, transform.get()));
        }
        return ok ? Optional.of(columns) : Optional.empty();
    }

    private static String mask(ProfileYaml yaml, Node node) {
        Optional<String> text = yaml.text("mask", node);
        if (text.isPresent() && (text.get().length() > MAX_MASK_LENGTH || text.get().chars().anyMatch(c -> c < ' '))) {
            yaml.report(node, "mask must be one line of at most " + MAX_MASK_LENGTH + " characters");
        }
        return text.orElse(DEFAULT_MASK);
    }

    private static AgeBands ageBands(ProfileYaml yaml, Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            yaml.report(node, "ageBands must be a list, e.g. [0-17, 18-64, 65+]");
            return null;
        }
        List<String> labels = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            Optional<String> label = yaml.text("each age band", item);
            if (label.isEmpty()) {
                return null;
            }
            labels.add(label.get());
        }
        AgeBands.Result result = AgeBands.parse(labels);
        if (result.problem() != null) {
            yaml.report(node, result.problem());
        }
        return result.bands();
    }

    private Optional<Pseudonymiser> pseudonymiser(ProfileYaml yaml, MappingNode node) {
        ProfileYaml.tuple(node, "key").or(() -> ProfileYaml.tuple(node, "secret")).ifPresent(t -> yaml.report(
                t.getKeyNode(), "the key itself must never be written in a profile: put it in a file named by "
                        + "keyFile or an environment variable named by keyEnv"));
        yaml.allowOnly(node, KEY_KEYS);
        Optional<Node> file = ProfileYaml.optional(node, "keyFile");
        Optional<Node> env = ProfileYaml.optional(node, "keyEnv");
        Optional<Pseudonymiser.Encoding> encoding = ProfileYaml.optional(node, "encoding")
                .map(n -> encoding(yaml, n)).orElse(Optional.of(Pseudonymiser.Encoding.HEX));
        if (file.isPresent() == env.isPresent()) {
            yaml.report(node, "pseudonymisation needs exactly one of keyFile or keyEnv");
            return Optional.empty();
        }
        Optional<PseudonymKeyReader.Result> key = file.isPresent()
                ? yaml.text("keyFile", file.get()).map(f -> keys.fromFile(yaml.file().toAbsolutePath().getParent()
                        .resolve(f).normalize()))
                : yaml.text("keyEnv", env.get()).map(keys::fromEnvironment);
        if (key.isPresent() && key.get().problem() != null) {
            yaml.report(file.orElseGet(env::get), key.get().problem());
        }
        if (encoding.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> length = length(yaml, node, encoding.get());
        if (key.isEmpty() || key.get().key() == null || length.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pseudonymiser(key.get().key(), encoding.get(), length.get()));
    }

    private static Optional<Pseudonymiser.Encoding> encoding(ProfileYaml yaml, Node node) {
        Optional<String> text = yaml.text("encoding", node);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "hex" -> Optional.of(Pseudonymiser.Encoding.HEX);
            case "base32" -> Optional.of(Pseudonymiser.Encoding.BASE32);
            default -> {
                yaml.report(node, "encoding must be hex or base32, not '" + text.get() + "'");
                yield Optional.empty();
            }
        };
    }

    private static Optional<Integer> length(ProfileYaml yaml, MappingNode node, Pseudonymiser.Encoding encoding) {
        Optional<Node> value = ProfileYaml.optional(node, "length");
        if (value.isEmpty()) {
            return Optional.of(Math.min(DEFAULT_PSEUDONYM_LENGTH, encoding.maxLength));
        }
        Optional<String> text = yaml.text("length", value.get());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int min = 16;
        try {
            int length = Integer.parseInt(text.get());
            if (length >= min && length <= encoding.maxLength) {
                return Optional.of(length);
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        yaml.report(value.get(), "length must be a whole number from " + min + " to " + encoding.maxLength
                + " for " + encoding.name().toLowerCase(Locale.ROOT));
        return Optional.empty();
    }
}
