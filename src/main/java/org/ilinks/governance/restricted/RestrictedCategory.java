package org.ilinks.governance.restricted;

import java.util.List;
import java.util.Objects;

/**
 * A category of legally restricted or sensitive data (hiv, sexual-health, fertility, ...) and the codes that
 * identify it. A service receives segments of a category only when it is authorised for it.
 *
 * @param description what the category covers, for people; empty when not given
 */
public record RestrictedCategory(String name, String description, List<RestrictedCode> codes) {

    public RestrictedCategory {
        Objects.requireNonNull(name, "name");
        description = Objects.requireNonNullElse(description, "").strip();
        codes = List.copyOf(codes);
    }
}
