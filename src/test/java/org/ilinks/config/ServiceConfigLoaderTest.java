package org.ilinks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ilinks.config.ServiceDefinition.DeliveryPolicy;
import org.ilinks.config.ServiceDefinition.FolderEndpoint;
import org.ilinks.config.ServiceDefinition.MessageTypePattern;
import org.ilinks.config.ServiceDefinition.MllpEndpoint;
import org.ilinks.config.ServiceDefinition.QueueEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the loader builds from good files, and how it refuses bad ones. */
class ServiceConfigLoaderTest {

    @TempDir
    Path dir;

    private Settings goodSettings() throws Exception {
        Path config = ConfigCasesTest.casesDir().resolve("good/config");
        return Settings.load(config, config.resolveSibling("routes"), Map.of());
    }

    @Test
    void readsEveryFieldAndFillsDeliveryDefaultsFromSettings() throws Exception {
        List<ServiceDefinition> services = ServiceConfigLoader.load(goodSettings());

        assertThat(services).extracting(ServiceDefinition::id)
                .containsExactly("aintree-ae", "community-matrons", "gp-feed");

        ServiceDefinition ae = services.get(0);
        assertThat(ae.description()).isEqualTo("A&E, Aintree University Hospital");
        assertThat(ae.subscription().messageTypes()).extracting(MessageTypePattern::toString)
                .containsExactly("ADT^A01", "ADT^A03", "ORU^R01", "ADT^*");
        assertThat(ae.subscription().sendingFacilities()).containsExactly("N81013");
        assertThat(ae.subscription().registeredPractices()).containsExactly("N81013", "N82001");
        assertThat(ae.subscription().patientClasses()).containsExactly("E", "I");
        assertThat(ae.governance()).isEqualTo(new ServiceDefinition.Governance(
                org.ilinks.governance.consent.ServiceConsentModel.OPT_IN, java.util.Set.of("direct-care", "acute-care"),
                true, ServiceDefinition.UnverifiedNhsNumber.SEND, java.util.Set.of()));
        assertThat(ae.endpoint()).isEqualTo(new MllpEndpoint("127.0.0.1", 6661, 5000, 15000));
        // consumers and multiplier from the file, max-attempts from application.properties, the rest built in
        assertThat(ae.delivery()).isEqualTo(new DeliveryPolicy(2, 3, 1000, 1.5, 60000,
                ServiceDefinition.WhenParked.CONTINUE));

        ServiceDefinition matrons = services.get(1);
        assertThat(matrons.endpoint()).isEqualTo(new FolderEndpoint(goodSettings().dataDir().resolve("data/out/community-matrons")));
        assertThat(matrons.subscription().sendingFacilities()).isEmpty();
        assertThat(matrons.subscription().matches("ADT", "A08", "ANY")).isTrue();
        // the safe defaults: protected records withheld, patients without a verified NHS number held
        assertThat(matrons.governance().protectedRecords()).isFalse();
        assertThat(matrons.governance().unverifiedNhsNumber()).isEqualTo(ServiceDefinition.UnverifiedNhsNumber.HOLD);

        ServiceDefinition gp = services.get(2);
        assertThat(gp.endpoint()).isEqualTo(new QueueEndpoint("trust.gp.feed"));
        assertThat(gp.delivery()).isEqualTo(new DeliveryPolicy(64, 1000, 0, 2.0, 0,
                ServiceDefinition.WhenParked.HOLD_PATIENT));
        assertThat(gp.subscription().matches("SIU", "S12", "RQ6")).isTrue();
    }

    @Test
    void loadThrowsWithEveryProblemWhileCheckKeepsTheGoodServices() throws Exception {
        Path services = dir.resolve("config/services");
        Files.createDirectories(services);
        Files.writeString(dir.resolve("config/application.properties"), "");
        Files.writeString(services.resolve("a.yaml"), """
                id: good-one
                description: fine
                subscribe: {messageTypes: [ADT^A01]}
                governance: {consent: opt-out}
                endpoint: {queue: {name: trust.a}}
                """);
        Files.writeString(services.resolve("b.yaml"), """
                id: bad-one
                description: fine
                subscribe: {messageTypes: [ADT^A1]}
                governance: {consent: opt-out}
                endpoint: {queue: {name: trust.b}, folder: {path: x}}
                """);
        Files.createDirectories(dir.resolve("config/profiles"));
        Files.writeString(dir.resolve("config/profiles/good-one.yaml"), "segments: {PID: all}\n");
        Files.writeString(dir.resolve("config/profiles/bad-one.yaml"), "segments: {PID: all}\n");
        Settings settings = Settings.load(dir.resolve("config"), dir.resolve("routes"), Map.of());

        ServiceConfigLoader.LoadResult result = ServiceConfigLoader.check(settings);

        assertThat(result.services()).extracting(ServiceDefinition::id).containsExactly("good-one");
        assertThat(result.problems()).extracting(ConfigProblem::toString).containsExactly(
                services.resolve("b.yaml") + ":3: unknown message type 'ADT^A1'",
                services.resolve("b.yaml") + ":5: endpoint has more than one kind (queue, folder): keep exactly one");
        assertThatThrownBy(() -> ServiceConfigLoader.load(settings))
                .isInstanceOfSatisfying(InvalidConfigException.class,
                        e -> assertThat(e.problems()).isEqualTo(result.problems()))
                .hasMessageContaining("b.yaml:3: unknown message type 'ADT^A1'");
    }

    @Test
    void oneFileForReload() throws Exception {
        Path file = dir.resolve("one.yaml");
        Files.writeString(file, "# parked\n");
        Settings settings = Settings.load(dir, dir, Map.of());
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/x1.yaml"), "segments: {PID: all}\n");
        assertThat(ServiceConfigLoader.load(file, settings)).isEmpty();

        Files.writeString(file, "id: x1\ndescription: d\nsubscribe: {messageTypes: ['*']}\n"
                + "governance: {consent: opt-in, unverifiedNhsNumber: send}\nendpoint: {folder: {path: out}}\n");
        assertThat(ServiceConfigLoader.load(file, settings)).get().extracting(ServiceDefinition::id).isEqualTo("x1");

        Files.writeString(file, "id: x1\ndescription: d\n");
        assertThatThrownBy(() -> ServiceConfigLoader.load(file, settings))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(file + ":1: missing 'subscribe'\n" + file + ":1: missing 'governance': every service says who it may receive "
                        + "data about, at least its consent model, e.g. governance: {consent: opt-out}\n" + file
                        + ":1: missing 'endpoint'");
    }

    @Test
    void catalogueKnowsHapiStructuresAndEventMapEntries() {
        assertThat(MessageTypeCatalogue.isKnown("ADT", "A01")).isTrue();   // class ADT_A01
        assertThat(MessageTypeCatalogue.isKnown("ADT", "A04")).isTrue();   // eventmap ADT_A04 -> ADT_A01
        assertThat(MessageTypeCatalogue.isKnown("oru", "r01")).isTrue();
        assertThat(MessageTypeCatalogue.isKnown("ADT", "Z99")).isFalse();
        assertThat(MessageTypeCatalogue.isKnownType("SIU")).isTrue();
        assertThat(MessageTypeCatalogue.isKnownType("XYZ")).isFalse();
    }
}
