package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;

@Command(name = "abort", description = {"Abort the update: traffic goes back to stable, then the canary is scaled down (status.abort=true);",
    "blue-green: the active and preview Services go back to stable, then the preview is scaled down after abortScaleDownDelaySeconds."})
public final class AbortCommand extends ActionCommand {
  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    rollouts.mergePatchStatus(name, RolloutPatches.ABORT);
    return "rollout \"" + name + "\" aborted";
  }
}
