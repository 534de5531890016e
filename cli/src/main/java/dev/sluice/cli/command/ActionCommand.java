package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;

/** A user action on one rollout: read it (so a missing one is named), change it, say what was done. */
abstract class ActionCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The rollout")
  String name;

  /** Changes the rollout and returns what to tell the user. */
  abstract String act(RolloutClient rollouts, Rollout rollout);

  /** Checks the arguments before anything is sent to the cluster. */
  void validate() {}

  @Override
  public Integer call() {
    validate();
    try (KubeConnection connection = connect(false)) {
      RolloutClient rollouts = new RolloutClient(connection.client(), connection.namespace());
      Rollout rollout = rollouts.require(name);
      out().println(act(rollouts, rollout));
      return 0;
    }
  }
}
