package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.render.RolloutTable;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollouts", aliases = {"rollout", "ro"}, description = "List the rollouts of the namespace (of all namespaces with -A).")
public final class ListRolloutsCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = {"-A", "--all-namespaces"}, description = "Rollouts of all namespaces")
  boolean allNamespaces;

  @Override
  public Integer call() {
    try (KubeConnection connection = connect(allNamespaces)) {
      RolloutClient rollouts = new RolloutClient(connection.client(), connection.namespace());
      List<Rollout> items = rollouts.list(allNamespaces);
      if (items.isEmpty()) {
        // like kubectl: the note goes to stderr, so scripts reading stdout see an empty list
        err().println(allNamespaces ? "No rollouts found." : "No rollouts found in namespace \"" + connection.namespace() + "\".");
        return 0;
      }
      out().print(RolloutTable.render(items, allNamespaces, root().clock().instant()));
      return 0;
    }
  }
}
