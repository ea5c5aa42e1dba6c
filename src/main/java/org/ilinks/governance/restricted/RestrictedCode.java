package org.ilinks.governance.restricted;

import java.util.Objects;

/**
 * One code that marks data as restricted, as the IG lead listed it.
 *
 * @param system  the code system as written in the file (SCT, LN, READ, I10, ...)
 * @param display the code's name, for people reading the file and logs; empty when not given
 */
public record RestrictedCode(String system, String code, String display) {

    public RestrictedCode {
        if (system == null || system.isBlank() || code == null || code.isBlank()) {
            throw new IllegalArgumentException("a restricted code needs a code system and a code");
        }
        system = system.strip();
        code = code.strip();
        display = Objects.requireNonNullElse(display, "").strip();
    }
}
