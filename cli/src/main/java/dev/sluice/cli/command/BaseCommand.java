package dev.sluice.cli.command;

import dev.sluice.cli.SluiceCommand;
import dev.sluice.cli.kube.KubeConnection;
import java.io.PrintWriter;
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

  KubeConnection connect(boolean allNamespaces) {
    KubeConnection connection = KubeConnection.open(root().clusterOptions(allNamespaces));
    root().connectedTo(connection.server());
    return connection;
  }
}
