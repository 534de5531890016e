package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;

@Command(name = "retry", description = "Retry an aborted update: start its steps (blue-green: the preview) again (status.abort=false).")
public final class RetryCommand extends ActionCommand {
  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    rollouts.mergePatchStatus(name, RolloutPatches.RETRY);
    return "rollout \"" + name + "\" retried";
  }
}
