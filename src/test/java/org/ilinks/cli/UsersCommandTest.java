package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.audit.AuditEventType;
import org.ilinks.audit.AuditHeadFile;
import org.ilinks.audit.AuditStore;
import org.ilinks.config.Settings;
import org.ilinks.engine.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ilinks users add|list|disable|reset-password} on a real H2 database in a temp data dir. */
class UsersCommandTest {

    @TempDir
    Path tmp;
    Path config;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeEach
    void configFolder() throws Exception {
        config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("application.properties"),
                "ilinks.data.dir=" + tmp.resolve("data").toString().replace("\\", "/") + "\n");
    }

    @Test
    void addListDisableAndResetAreRecordedAndKeepOneAdmin() throws Exception {
        Result added = run("add", "ann", "--role", "ig,body");
        assertThat(added.exitCode).as(added.err).isZero();
        assertThat(added.out).startsWith("added user ann (ig,body)").contains("one-time password: ");
        String oneTime = added.out.replaceAll("(?s).*one-time password: (\\S+).*", "$1");

        Files.writeString(tmp.resolve("pw"), "boss-password-1\n");
        assertThat(run("add", "boss", "--role", "admin", "--password-file", tmp.resolve("pw").toString()).out)
                .isEqualTo("added user boss (admin)\n");
        Result taken = run("add", "ann", "--role", "ig");
        assertThat(taken.exitCode).isEqualTo(1);
        assertThat(taken.err).contains("exists already");
        Result badRole = run("add", "cat", "--role", "root");
        assertThat(badRole.exitCode).isEqualTo(2);
        assertThat(badRole.err).contains("--role must be");

        Result list = run("list");
        assertThat(list.out.lines().map(l -> l.replaceAll(" {2,}", " | ")).toList()).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("ann | ig,body | must change password |"))
                .anySatisfy(l -> assertThat(l).startsWith("boss | admin | must change password |"));

        Result lastAdmin = run("disable", "boss");
        assertThat(lastAdmin.exitCode).isEqualTo(1);
        assertThat(lastAdmin.err).contains("no enabled admin would be left");
        assertThat(run("disable", "ann").out).isEqualTo("disabled user ann\n");
        assertThat(run("disable", "nobody").exitCode).isEqualTo(1);

        Result reset = run("reset-password", "ann");
        String fresh = reset.out.replaceAll("(?s).*: (\\S+)\\s*$", "$1");
        try (Database db = Database.open(settings())) {
            var ann = new UserStore(db.dataSource()).find("ann").orElseThrow();
            assertThat(ann.disabled()).isTrue();
            assertThat(ann.mustChangePassword()).isTrue();
            assertThat(ann.roles()).containsExactlyInAnyOrder(Role.IG, Role.BODY);
            assertThat(PasswordHash.matches(fresh, ann.passwordHash())).isTrue();
            assertThat(PasswordHash.matches(oneTime, ann.passwordHash())).isFalse();
            List<String> actions = new ArrayList<>();
            new AuditStore(db.dataSource(), new AuditHeadFile(settings().auditHeadFile())).forEach(
                    new AuditStore.Filter(null, null, AuditEventType.PERSON_ACTION, null, null, null),
                    s -> actions.add(s.event().source().replaceAll("@.*", "") + " " + s.event().detail()));
            assertThat(actions).contains("ilinks-cli users add ann roles ig,body", "ilinks-cli users disable ann",
                    "ilinks-cli users reset-password ann").noneMatch(a -> a.contains(oneTime) || a.contains(fresh));
        }
    }

    private Settings settings() {
        return Settings.load(config, Path.of("routes"));
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("users"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return new Result(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }
}
