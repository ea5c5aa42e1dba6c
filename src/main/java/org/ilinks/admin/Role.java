package org.ilinks.admin;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a user can hold (several at once), and the one place that says which permissions each grants. Seeing a
 * message body is a role of its own ({@code body}) so that it is always granted explicitly, never with another role.
 */
public enum Role {
    ANALYST(Permission.TRY_CONFIG, Permission.MESSAGE_METADATA),
    SUPPORT(Permission.MESSAGE_METADATA, Permission.REPLAY),
    IG(Permission.AUDIT, Permission.CONSENT_READ, Permission.CONSENT_CHANGE),
    ADMIN(Permission.USERS),
    BODY(Permission.BODY);

    private final Set<Permission> grants;

    Role(Permission... grants) {
        EnumSet<Permission> all = EnumSet.of(Permission.SIGNED_IN);
        all.addAll(Arrays.asList(grants));
        this.grants = all;
    }

    public boolean grants(Permission permission) {
        return grants.contains(permission);
    }

    /** The name used in the API, the database and the CLI: {@code analyst}, {@code ig}... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> byWord(String word) {
        return Arrays.stream(values()).filter(r -> r.word().equals(word.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** Whether any of these roles grants the permission. */
    public static boolean anyGrants(Set<Role> roles, Permission permission) {
        return roles.stream().anyMatch(r -> r.grants(permission));
    }
}
