package org.ilinks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ilinks.cli.IlinksCommand;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run} refuses to start on exactly the problems {@code validate} reports, in the same words. */
class RunRefusesBadConfigTest {

    @TempDir
    Path tmp;

    @Test
    void runAndValidateSayTheSameThing() throws Exception {
        TestEngine te = new TestEngine(tmp);
        te.service("broken.yaml", "id: broken\ndescription: x\nsubscribe:\n  messageTypes: [ADT^Z99]\n"
                + "endpoint:\n  mllp:\n    host: 127.0.0.1\n    port: seventy\n");
        Files.writeString(te.configDir().resolve("application.properties"),
                "ilinks.intake.mllp.host=127.0.0.1\nilinks.intake.mllp.prot=2575\n");

        String validate = run("validate", te);
        String run = run("run", te);

        assertThat(validate).contains("broken.yaml:4: unknown message type 'ADT^Z99'")
                .contains("broken.yaml:8: port must be a whole number")
                .contains("application.properties:2: unknown setting 'ilinks.intake.mllp.prot'");
        for (String line : validate.lines().filter(l -> l.contains(".yaml:") || l.contains(".properties:")).toList()) {
            assertThat(run).contains(line);
        }
        assertThat(run).contains("Not started");
    }

    private static String run(String command, TestEngine te) {
        StringWriter err = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int status = cl.execute(command, "--config", te.configDir().toString(), "--routes", te.routesDir().toString());
        assertThat(status).as(command + " exit status").isEqualTo(1);
        return err.toString();
    }
}
