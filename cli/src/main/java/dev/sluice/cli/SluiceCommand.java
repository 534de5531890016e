package dev.sluice.cli;

import dev.sluice.cli.command.AbortCommand;
import dev.sluice.cli.command.AnalysisCommand;
import dev.sluice.cli.command.CompletionCommand;
import dev.sluice.cli.command.ConvertCommand;
import dev.sluice.cli.command.GetCommand;
import dev.sluice.cli.command.LintCommand;
import dev.sluice.cli.command.ListCommand;
import dev.sluice.cli.command.PauseCommand;
import dev.sluice.cli.command.PromoteCommand;
import dev.sluice.cli.command.RestartCommand;
import dev.sluice.cli.command.ResumeCommand;
import dev.sluice.cli.command.RetryCommand;
import dev.sluice.cli.command.SetCommand;
import dev.sluice.cli.command.StatusCommand;
import dev.sluice.cli.command.UndoCommand;
import dev.sluice.cli.command.VersionCommand;
import dev.sluice.cli.dashboard.DashboardCommand;
import dev.sluice.cli.kube.ClusterOptions;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** kubectl sluice: the top command; its cluster flags work before or after any subcommand, as with kubectl. */
@Command(name = "kubectl sluice",
    description = "Manage Sluice rollouts: watch them, promote, abort, undo; lint and convert manifests.",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    subcommands = {
        GetCommand.class, ListCommand.class, StatusCommand.class,
        PromoteCommand.class, AbortCommand.class, RetryCommand.class, PauseCommand.class, ResumeCommand.class,
        RestartCommand.class, UndoCommand.class, SetCommand.class,
        LintCommand.class, ConvertCommand.class, DashboardCommand.class, AnalysisCommand.class,
        VersionCommand.class, CompletionCommand.class, HelpCommand.class})
public final class SluiceCommand {

  @Option(names = "--kubeconfig", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The kubeconfig context to use (default: the current context)")
  String context;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", scope = ScopeType.INHERIT,
      description = "The namespace (default: the context's namespace, else default)")
  String namespace;

  private final Clock clock;
  private volatile String server;

  SluiceCommand(Clock clock) {
    this.clock = clock;
  }

  public ClusterOptions clusterOptions(boolean allNamespaces) {
    return new ClusterOptions(kubeconfig, context, namespace, allNamespaces);
  }

  public Clock clock() {
    return clock;
  }

  /** The API server the last connection went to, for error messages. */
  public String server() {
    return server;
  }

  public void connectedTo(String server) {
    this.server = server;
  }
}
