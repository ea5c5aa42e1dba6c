package org.ilinks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The {@code ilinks} command line: help for every subcommand, and a usage error for anything unknown. */
class CliHelpTest {

    static Stream<String> subcommands() {
        return IlinksCommand.commandLine().getSubcommands().keySet().stream();
    }

    @Test
    void everyDocumentedCommandIsThere() {
        assertThat(subcommands().toList()).contains("run", "demo", "validate", "send", "bench", "help");
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void helpOptionPrintsUsageForEverySubcommand(String name) {
        Result result = run(name, "--help");

        assertThat(result.exitCode).as("exit status of '%s --help'; stderr: %s", name, result.err).isZero();
        assertThat(result.out).contains("Usage: ilinks " + name);
        assertThat(result.err).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void helpSubcommandPrintsUsageForEverySubcommand(String name) {
        Result result = run("help", name);

        assertThat(result.exitCode).as("exit status of 'help %s'; stderr: %s", name, result.err).isZero();
        assertThat(result.out).contains("Usage: ilinks " + name);
    }

    @Test
    void topLevelHelpListsEverySubcommand() {
        Result result = run("--help");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("Usage: ilinks");
        subcommands().forEach(name -> assertThat(result.out).contains(name));
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorWithExitTwo() {
        Result result = run("frobnicate");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("Unmatched argument").contains("'frobnicate'");
        assertThat(result.out).isEmpty();
    }

    @Test
    void anUnknownOptionOnASubcommandIsAUsageErrorWithExitTwo() {
        Result result = run("validate", "--no-such-option");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err).contains("--no-such-option").contains("Usage: ilinks validate");
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IlinksCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {
    }
}
