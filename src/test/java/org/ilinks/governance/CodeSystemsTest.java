package org.ilinks.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeSystemsTest {

    @Test
    void snomedIsTheSameSystemHoweverItIsWritten() {
        for (String spelling : new String[] {"SCT", "sct", "SNOMED", "SNOMEDCT", "SNOMED CT", "SNOMED-CT",
                "http://snomed.info/sct", " 2.16.840.1.113883.6.96 "}) {
            assertThat(CodeSystems.canonical(spelling)).as(spelling).isEqualTo("SNOMED CT");
            assertThat(CodeSystems.same(spelling, "SCT")).as(spelling).isTrue();
        }
    }

    @Test
    void otherSystemsAreComparedCaseInsensitivelyAsWritten() {
        assertThat(CodeSystems.same("LN", "ln")).isTrue();
        assertThat(CodeSystems.same("READ", "CTV3")).isFalse();
        assertThat(CodeSystems.same("LN", "SCT")).isFalse();
        assertThat(CodeSystems.canonical(null)).isEmpty();
    }
}
