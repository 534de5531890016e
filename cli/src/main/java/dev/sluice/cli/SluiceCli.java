package dev.sluice.cli;

import dev.sluice.api.Durations;
import dev.sluice.cli.kube.KubeErrors;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Builds the kubectl-sluice command line and runs it. Expected failures end as one line on stderr:
 * exit 1 for errors, 2 for wrong usage (and for `status` timing out, as documented there).
 */
public final class SluiceCli {
  public static final String DEBUG_ENV = "SLUICE_CLI_DEBUG";

  private SluiceCli() {}

  /** The whole command tree. */
  public static CommandLine commandLine(Clock clock) {
    return commandLine(clock, null);
  }

  /**
   * The command tree for these arguments: only the subcommand they name when they name one (and
   * it needs no others: help and completion do), else all of them.
   */
  static CommandLine commandLine(Clock clock, String[] args) {
    SluiceCommand root = new SluiceCommand(clock);
    CommandLine cli = new CommandLine(root);
    Class<?> named = args == null ? null : SubcommandLookup.named(cli.getCommandSpec(), SluiceCommand.SUBCOMMANDS, args);
    for (Class<?> subcommand : SluiceCommand.SUBCOMMANDS) {
      if (named == null || subcommand == named) cli.addSubcommand(subcommand);
    }
    // converters and handlers reach the subcommands registered so far: keep this after adding them
    cli.registerConverter(Duration.class, SluiceCli::duration);
    cli.setExecutionExceptionHandler(new OneLineErrors(root));
    cli.setParameterExceptionHandler(new UsageErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Runs one invocation with the given output streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(Clock.systemUTC(), args);
    cli.setOut(out);
    cli.setErr(err);
    try {
      if (args.length > 0 && args[0].equals(ShellCompletion.COMMAND)) {
        ShellCompletion.complete(cli, List.of(args).subList(1, args.length)).forEach(out::println);
        return 0;
      }
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static final class OneLineErrors implements IExecutionExceptionHandler {
    private final SluiceCommand root;

    OneLineErrors(SluiceCommand root) {
      this.root = root;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
      PrintWriter err = cmd.getErr();
      int exitCode;
      if (e instanceof CliException cli) {
        err.println("error: " + cli.getMessage());
        exitCode = cli.exitCode();
      } else if (e instanceof KubernetesClientException k8s) {
        err.println("error: " + KubeErrors.describe(k8s, root.server()));
        exitCode = 1;
      } else {
        err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
            + " (set " + DEBUG_ENV + "=1 for the stack trace)");
        exitCode = 1;
      }
      if (System.getenv(DEBUG_ENV) != null) {
        e.printStackTrace(err);
      }
      err.flush();
      return exitCode;
    }
  }

  private static final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cmd = e.getCommandLine();
      String command = cmd.getCommandSpec().qualifiedName(" ");
      cmd.getErr().println("error: " + e.getMessage().lines().findFirst().orElse("").strip()
          + " (see '" + command + " --help')");
      cmd.getErr().flush();
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
  }
}
