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
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** kubectl sluice: the top command; its cluster flags work before or after any subcommand, as with kubectl. */
@Command(name = "kubectl sluice",
    description = "Manage Sluice rollouts: watch them, promote, abort, undo; lint and convert manifests.",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class)
public final class SluiceCommand {
  /**
   * The subcommands in the order help lists them. SluiceCli registers them (not the annotation),
   * so a command line that names one builds only that one: picocli reflecting over every command is
   * most of a short command's start-up time.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      GetCommand.class, ListCommand.class, StatusCommand.class,
      PromoteCommand.class, AbortCommand.class, RetryCommand.class, PauseCommand.class, ResumeCommand.class,
      RestartCommand.class, UndoCommand.class, SetCommand.class,
      LintCommand.class, ConvertCommand.class, DashboardCommand.class, AnalysisCommand.class,
      VersionCommand.class, CompletionCommand.class, HelpCommand.class);


  @Option(names = "--kubeconfig", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The kubeconfig context to use (default: the current context)")
  String context;

  @Option(names = "--cluster", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The kubeconfig cluster to use (default: the context's)")
  String cluster;

  @Option(names = "--user", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The kubeconfig user to use (default: the context's)")
  String user;

  @Option(names = {"-s", "--server"}, paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "The address of the Kubernetes API server (default: the cluster's)")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "Bearer token for the API server, instead of the user's credentials")
  String token;

  @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT,
      description = "Do not check the server's certificate (insecure)")
  boolean insecureSkipTlsVerify;

  @Option(names = "--request-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
      description = "How long one request to the server may take: seconds or a duration such as 30s, 1m; 0 waits without limit (default: 10s)")
  Duration requestTimeout;

  @Option(names = "--as", paramLabel = "USER", scope = ScopeType.INHERIT,
      description = "Impersonate this user (or service account: system:serviceaccount:NS:NAME)")
  String as;

  @Option(names = "--as-group", paramLabel = "GROUP", scope = ScopeType.INHERIT,
      description = "Impersonate this group too (repeatable; needs --as)")
  List<String> asGroups;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", scope = ScopeType.INHERIT,
      description = "The namespace (default: the context's namespace, else default)")
  String namespace;

  private final Clock clock;
  private volatile String connectedTo;

  SluiceCommand(Clock clock) {
    this.clock = clock;
  }

  public ClusterOptions clusterOptions(boolean allNamespaces) {
    return new ClusterOptions(kubeconfig, context, cluster, user, server, token, insecureSkipTlsVerify, requestTimeout,
        as, asGroups, namespace, allNamespaces);
  }

  public Clock clock() {
    return clock;
  }

  /** The API server the last connection went to, for error messages. */
  public String server() {
    return connectedTo;
  }

  public void connectedTo(String server) {
    this.connectedTo = server;
  }
}
