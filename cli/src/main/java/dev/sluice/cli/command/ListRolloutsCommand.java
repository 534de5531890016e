package dev.sluice.cli.command;

import dev.sluice.cli.kube.RolloutReads;
import dev.sluice.cli.kube.StoredRollouts;
import dev.sluice.cli.render.RolloutTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollouts", aliases = {"rollout", "ro"}, description = {
    "List the rollouts of the namespace (of all namespaces with -A).",
    "A rollout stored with a value kubectl-sluice cannot read is named on stderr, with where and why, after the others are listed;"
        + " the exit code is then 1 (the list is incomplete)."})
public final class ListRolloutsCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = {"-A", "--all-namespaces"}, description = "Rollouts of all namespaces")
  boolean allNamespaces;

  @Override
  public Integer call() {
    return read(allNamespaces, this::show);
  }

  private int show(RolloutReads rollouts) {
    StoredRollouts.Listing listing = rollouts.list(allNamespaces);
    if (!listing.rollouts().isEmpty()) {
      out().print(RolloutTable.render(listing.rollouts(), allNamespaces, root().clock().instant()));
      out().flush();
    } else if (listing.unreadable().isEmpty()) {
      // like kubectl: the note goes to stderr, so scripts reading stdout see an empty list
      err().println(allNamespaces ? "No rollouts found." : "No rollouts found in namespace \"" + rollouts.namespace() + "\".");
      return 0;
    }
    // as kubectl get does for the names it could not get: the others are printed, each failure is a line, exit 1
    listing.unreadable().forEach(u -> err().println("error: " + u.line()));
    return listing.unreadable().isEmpty() ? 0 : 1;
  }
}
