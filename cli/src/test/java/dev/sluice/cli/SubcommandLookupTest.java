package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.command.GetCommand;
import dev.sluice.cli.command.PromoteCommand;
import dev.sluice.cli.command.StatusCommand;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** A command line that names a subcommand builds only that one; anything unclear builds them all. */
class SubcommandLookupTest {
  private static Class<?> named(String args) {
    CommandLine root = new CommandLine(new SluiceCommand(Clock.systemUTC()));
    return SubcommandLookup.named(root.getCommandSpec(), SluiceCommand.SUBCOMMANDS, args.isBlank() ? new String[0] : args.split(" "));
  }

  @Test
  void theFirstWordAfterTheRootsOptionsAndTheirValues() {
    assertThat(named("get rollout web")).isEqualTo(GetCommand.class);
    assertThat(named("-n shop --context prod get rollout web")).isEqualTo(GetCommand.class);
    assertThat(named("--kubeconfig=/tmp/k --as-group ops --as me --insecure-skip-tls-verify status web")).isEqualTo(StatusCommand.class);
    assertThat(named("--namespace status promote web")).as("status is the namespace here").isEqualTo(PromoteCommand.class);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"''", "--help", "help get", "completion bash", "frobnicate", "--bogus get rollout", "-nshop get rollout", "-- get"})
  void otherwiseAll(String args) {
    assertThat(named(args)).isNull();
  }

  @Test
  void aNamedSubcommandStillAnswersAsInTheWholeTree() {
    java.io.StringWriter lazy = new java.io.StringWriter();
    java.io.StringWriter full = new java.io.StringWriter();
    SluiceCli.run(new java.io.PrintWriter(lazy), new java.io.PrintWriter(new java.io.StringWriter()), "-n", "x", "status", "--help");
    SluiceCli.commandLine(Clock.systemUTC()).getSubcommands().get("status").usage(new java.io.PrintWriter(full));

    assertThat(lazy.toString()).isEqualTo(full.toString());
  }
}
