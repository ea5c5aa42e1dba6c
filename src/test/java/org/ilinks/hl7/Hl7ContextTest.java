package org.ilinks.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Hl7ContextTest {

    @Test
    void parserIsShared() {
        assertThat(Hl7Context.parser()).isSameAs(Hl7Context.parser());
        assertThat(Hl7Context.context().getPipeParser()).isSameAs(Hl7Context.parser());
    }

    @Test
    void ukPhoneNumberDoesNotFailValidation() throws Exception {
        Message message = Hl7Context.parser().parse(Fixtures.base());
        Terser terser = new Terser(message);
        assertThat(terser.get("/PID-13-1")).isEqualTo("01632 960000");
        assertThat(terser.get("/PID-3(1)-1")).isEqualTo("9434765919");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.3.1", "2.4", "2.5.1", "2.7", "2.8.2"})
    void everyAcceptedVersionParsesIntoTheV26Model(String version) throws Exception {
        String text = Fixtures.base().replace("|2.4|", "|" + version + "|");
        Message message = Hl7Context.parser().parse(text);
        assertThat(message.getClass().getName()).startsWith("ca.uhn.hl7v2.model.v26.");
        assertThat(new Terser(message).get("/MSH-10")).isEqualTo("MSG00001");
    }
}
