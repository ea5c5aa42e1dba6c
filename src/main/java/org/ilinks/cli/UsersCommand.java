package org.ilinks.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.ApiToken;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserAccounts;
import org.ilinks.admin.UserStore;
import org.ilinks.audit.PersonActions;
import org.ilinks.config.ConfigProblem;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ilinks users}: the admin API's users, on the engine's database directly (works while the engine runs), for
 * whoever runs the engine: the way back in when no admin can log in. Each change is recorded in the audit trail
 * first, as the API's are.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Manage the admin API's users on the engine's database (works while the engine runs).",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Disable.class,
                UsersCommand.ResetPassword.class})
public final class UsersCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("users: name a subcommand: add, list, disable or reset-password");
        spec.commandLine().usage(err);
        err.flush();
        return EXIT_USAGE;
    }

    /** What a subcommand does once the database is open and the action recorded. */
    interface Work {
        int run(UserStore users, UserAccounts accounts) throws Exception;
    }

    /** Opens the database, records the action (if it changes anything), runs the work; failures become exit codes. */
    static int session(CommandSpec spec, ConfigLocation location, String what, Work work) {
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName(" ").replaceFirst("^ilinks ", "");
        try {
            Settings settings = Settings.load(location.configDir(), location.routesDir());
            List<ConfigProblem> problems = settings.problems();
            if (!problems.isEmpty()) {
                problems.forEach(err::println);
                err.println(command + ": nothing done: " + problems.size() + " problem(s) in the settings");
                return EXIT_USAGE;
            }
            try (Database db = Database.open(settings)) {
                if (what != null) {
                    try {
                        PersonActions.record(db.dataSource(), settings, System.getProperty("user.name"), what, null,
                                null, null, null);
                    } catch (RuntimeException e) {
                        err.println(command + ": nothing done: this use could not be recorded in the audit trail: "
                                + e.getClass().getSimpleName());
                        return EXIT_FAILED;
                    }
                }
                UserStore users = new UserStore(db.dataSource());
                return work.run(users, new UserAccounts(users, Clock.systemUTC()));
            }
        } catch (IllegalArgumentException e) {
            err.println(command + ": nothing done: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println(command + ": nothing done: " + e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println(command + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()));
            return EXIT_FAILED;
        } finally {
            err.flush();
            spec.commandLine().getOut().flush();
        }
    }

    static Set<Role> roles(List<String> words) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String w : words) {
            for (String part : w.split(",")) {
                roles.add(Role.byWord(part).orElseThrow(() -> new IllegalArgumentException(
                        "--role must be analyst, support, ig, admin or body")));
            }
        }
        return roles;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a user. Without --password-file a one-time password is printed; either way the "
                    + "user must choose their own at first login.",
                    "Exit status: 0 added, 1 the name is taken or the database failed, 2 usage error."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigLocation location;
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "analyst, support, ig, admin or body; repeat or separate with commas.")
        List<String> roles;
        @Option(names = "--password-file", paramLabel = "FILE", description = "A file holding the first password.")
        Path passwordFile;

        @Override
        public Integer call() {
            Set<Role> wanted;
            String password;
            try {
                wanted = roles(roles);
                password = passwordFile == null ? null
                        : Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("users add: nothing done: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return EXIT_USAGE;
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("users add: nothing done: the password file cannot be read");
                spec.commandLine().getErr().flush();
                return EXIT_USAGE;
            }
            return session(spec, location, "users add " + name + " roles " + UserStore.roles(wanted),
                    (users, accounts) -> {
                        Optional<String> oneTime = accounts.create(name, wanted, password);
                        PrintWriter out = spec.commandLine().getOut();
                        out.println("added user " + name + " (" + UserStore.roles(wanted) + ")");
                        oneTime.ifPresent(p -> out.println("one-time password: " + p));
                        return EXIT_OK;
                    });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their live tokens.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigLocation location;

        @Override
        public Integer call() {
            return session(spec, location, null, (users, accounts) -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"USER", "ROLES", "STATE", "CREATED", "LIVE TOKENS"});
                Instant now = Instant.now();
                for (AdminUser u : users.list()) {
                    long live = users.tokensOf(u.username()).stream().filter(t -> live(t, now)).count();
                    rows.add(new String[] {u.username(), UserStore.roles(u.roles()),
                            u.disabled() ? "disabled" : u.mustChangePassword() ? "must change password" : "active",
                            u.createdAt().toString(), Long.toString(live)});
                }
                Columns.print(spec.commandLine().getOut(), "", rows);
                return EXIT_OK;
            });
        }

        private static boolean live(ApiToken t, Instant now) {
            return t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt().isAfter(now));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Disable a user: their logins and tokens stop working (sessions in a running engine end "
                    + "at their next request).", "Exit status: 0 disabled, 1 no such user or refused, 2 usage error."})
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigLocation location;
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
        String name;

        @Override
        public Integer call() {
            return session(spec, location, "users disable " + name, (users, accounts) -> {
                Optional<AdminUser> user = users.find(name);
                if (user.isEmpty() || !accounts.update(name, user.get().roles(), true)) {
                    spec.commandLine().getErr().println("users disable: no user " + name);
                    return EXIT_FAILED;
                }
                spec.commandLine().getOut().println("disabled user " + name);
                return EXIT_OK;
            });
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = {"Give a user a new one-time password (printed), which they must change at first login.",
                    "Exit status: 0 reset, 1 no such user, 2 usage error."})
    static final class ResetPassword implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigLocation location;
        @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
        String name;

        @Override
        public Integer call() {
            return session(spec, location, "users reset-password " + name, (users, accounts) -> {
                Optional<String> password = accounts.resetPassword(name);
                if (password.isEmpty()) {
                    spec.commandLine().getErr().println("users reset-password: no user " + name);
                    return EXIT_FAILED;
                }
                spec.commandLine().getOut().println("one-time password for " + name + ": " + password.get());
                return EXIT_OK;
            });
        }
    }
}
