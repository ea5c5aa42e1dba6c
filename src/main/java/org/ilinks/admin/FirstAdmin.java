package org.ilinks.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.ilinks.config.Setting;
import org.ilinks.config.Settings;

/**
 * There is no default password. When the user table is empty, the first user, {@code admin}, gets the password in
 * the file {@code ilinks.admin.initial-password-file}, else {@code ilinks.admin.password} (best given as the
 * environment variable {@code ILINKS_ADMIN_PASSWORD}), else a random one printed once to stderr, which must be
 * changed before the account can do anything else.
 */
public final class FirstAdmin {

    public static final String USERNAME = "admin";

    private FirstAdmin() {
    }

    /** Creates the first admin if there is no user; returns whether it did. */
    public static boolean ensure(UserStore users, Settings settings, PrintStream err) {
        if (users.count() > 0) {
            return false;
        }
        String file = settings.get(Setting.ADMIN_INITIAL_PASSWORD_FILE).strip();
        String given = settings.get(Setting.ADMIN_PASSWORD);
        String password;
        boolean oneTime = false;
        if (!file.isEmpty()) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException(Setting.ADMIN_INITIAL_PASSWORD_FILE.key()
                        + ": the first admin's password file cannot be read: " + e.getClass().getSimpleName());
            }
            check(password, Setting.ADMIN_INITIAL_PASSWORD_FILE.key());
        } else if (!given.isBlank()) {
            password = given.strip();
            check(password, Setting.ADMIN_PASSWORD.key());
        } else {
            password = Secrets.oneTimePassword();
            oneTime = true;
        }
        boolean created = users.create(new AdminUser(USERNAME, PasswordHash.of(password), Set.of(Role.ADMIN), false,
                oneTime, Instant.now()));
        if (created && oneTime) {
            // Printed once, here, and never logged: whoever starts the engine the first time reads it from the console.
            err.println("iLINKS admin API: first user 'admin', one-time password: " + password);
            err.println("iLINKS admin API: log in and change it (POST /api/me/password) before anything else.");
            err.flush();
        }
        return created;
    }

    private static void check(String password, String where) {
        String problem = AccountEndpoints.passwordProblem(password, "the first admin's password");
        if (problem != null) {
            throw new IllegalStateException(where + ": " + problem);
        }
    }
}
