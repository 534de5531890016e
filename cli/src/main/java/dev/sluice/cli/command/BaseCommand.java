package dev.sluice.cli.command;

import dev.sluice.cli.SluiceCommand;
import dev.sluice.cli.kube.DirectReads;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.kube.RolloutReads;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every subcommand needs: its output streams and a connection built from the shared flags. */
abstract class BaseCommand {
  @Spec
  CommandSpec spec;

  // picocli skips the checks for missing parameters when a usageHelp option is given
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
  boolean help;

  SluiceCommand root() {
    return (SluiceCommand) spec.root().userObject();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * One look at the cluster: plain GETs when the kubeconfig allows them ({@link DirectReads}, much
   * quicker to start), else through the client.
   */
  <T> T read(boolean allNamespaces, Function<RolloutReads, T> reading) {
    Optional<DirectReads> direct = DirectReads.open(root().clusterOptions(allNamespaces));
    if (direct.isPresent()) {
      root().connectedTo(direct.get().server());
      return reading.apply(direct.get());
    }
    try (KubeConnection connection = connect(allNamespaces)) {
      return reading.apply(new RolloutClient(connection.client(), connection.namespace()));
    }
  }

  KubeConnection connect(boolean allNamespaces) {
    KubeConnection connection = KubeConnection.open(root().clusterOptions(allNamespaces));
    root().connectedTo(connection.server());
    return connection;
  }
}
