package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark's audit-cost mode runs real engines, audit off then on, and reports each pair and the overall ratio.
 * Tiny numbers: this checks that it works end to end, not how fast (that is the benchmark's own job).
 */
class BenchCommandTest {

    @Test
    void auditCostRunsBothSidesAndReportsEachPairAndTheOverallRatio() {
        StringWriter out = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));

        int code = cl.execute("bench", "--audit-cost", "1", "-n", "200", "-c", "2", "--warmup", "0",
                "--routes", TestEngine.projectDir().resolve("routes").toString());

        assertThat(code).as("every message delivered on both sides").isZero();
        assertThat(out.toString())
                .contains("audit cost: 1 pairs of 200 messages, after one uncounted pair; off and on alternate")
                .containsPattern("(?m)^1 +\\d+ +\\d+ +\\d+% +[\\d.]+ +[\\d.]+ +[\\d.]+s$")
                .containsPattern("(?m)^all +\\d+ +\\d+ +\\d+%$");
    }
}
