package dev.sluice.cli.dashboard;

import dev.sluice.cli.CliException;
import dev.sluice.cli.SluiceCommand;
import dev.sluice.cli.kube.ClusterOptions;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.KubeErrors;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "dashboard",
    description = {
        "Serve the web dashboard on http://127.0.0.1:PORT/ until interrupted (Ctrl-C):",
        "rollouts by namespace with their phase; for each rollout its steps, weights,",
        "ReplicaSets, pods and analysis, updated live; promote, abort and retry buttons.",
        "It shows all namespaces, or only the one given with -n."})
public final class DashboardCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
  boolean help;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "3100",
      description = "Port on 127.0.0.1 (0 picks a free one; default: ${DEFAULT-VALUE})")
  int port;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, not " + port);
    }
    SluiceCommand root = (SluiceCommand) spec.root().userObject();
    ClusterOptions options = root.clusterOptions(false);
    try (KubeConnection connection = KubeConnection.open(options)) {
      root.connectedTo(connection.server());
      // -n limits the dashboard to one namespace (for users allowed no more); without it, all of them
      String namespace = options.namespace();
      try (ClusterCache cache = start(connection, namespace);
           DashboardServer server = DashboardServer.start(cache, connection.client(), port, line -> {
             out.println(line);
             out.flush();
           })) {
        out.println("Sluice dashboard: " + server.url() + " (" + (namespace == null ? "all namespaces" : "namespace " + namespace)
            + "; Ctrl-C to stop)");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
      } catch (InterruptedException e) {
        // Ctrl-C ends the JVM; in-process, an interrupt stops the dashboard the same way
        Thread.currentThread().interrupt();
        return 130;
      }
    }
  }

  private static ClusterCache start(KubeConnection connection, String namespace) {
    try {
      return ClusterCache.start(connection.client(), namespace);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && namespace == null) {
        throw new CliException(KubeErrors.describe(e, connection.server())
            + " (to watch one namespace only: kubectl sluice -n NAMESPACE dashboard)");
      }
      throw e;
    }
  }
}
