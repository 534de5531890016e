package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** -h and --help answer with the command's own usage on every command of the tree, whatever else is missing. */
class HelpTest {
  /** Every command and subcommand once (aliases share the same CommandLine), as the words that reach it. */
  static Stream<Arguments> everyCommandWithEachHelpFlag() {
    Map<CommandLine, List<String>> commands = new IdentityHashMap<>();
    walk(SluiceCli.commandLine(Clock.systemUTC()), List.of(), commands);
    return commands.values().stream()
        .flatMap(words -> Stream.of("-h", "--help").map(flag -> Arguments.of(words, flag)));
  }

  private static void walk(CommandLine command, List<String> words, Map<CommandLine, List<String>> into) {
    if (into.containsKey(command)) return;
    into.put(command, words);
    command.getSubcommands().forEach((name, sub) -> {
      List<String> subWords = new ArrayList<>(words);
      subWords.add(sub.getCommandName());
      walk(sub, subWords, into);
    });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyCommandWithEachHelpFlag")
  void helpPrintsTheCommandsUsageAndExitsZero(List<String> words, String flag) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(words);
    args.add(flag);

    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));

    String qualifiedName = String.join(" ", Stream.concat(Stream.of("kubectl sluice"), words.stream()).toList());
    assertThat(err.toString()).isEmpty();
    // the synopsis names the command itself, not a parent's or a child's
    assertThat(out.toString()).containsPattern("(?m)^Usage: " + qualifiedName + " \\[").contains("-h, --help");
    assertThat(exitCode).isZero();
  }

  @Test
  void theTreeHasEveryCommandTheReadmeNames() {
    List<String> paths = everyCommandWithEachHelpFlag()
        .map(a -> String.join(" ", (List<String>) a.get()[0])).distinct().toList();

    assertThat(paths).contains("", "get", "get rollout", "list rollouts", "set image", "status", "promote", "abort",
        "retry", "pause", "resume", "restart", "undo", "lint", "convert", "dashboard", "version", "completion", "help");
  }

  @Test
  void helpBeforeAMissingArgumentStillWins() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), "-n", "shop", "set", "image", "--help");

    assertThat(out.toString()).startsWith("Usage: kubectl sluice set image");
    assertThat(exitCode).isZero();
  }
}
