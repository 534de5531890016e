package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Pause the rollout where it is (spec.paused=true).")
public final class PauseCommand extends ActionCommand {
  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    rollouts.mergePatch(name, RolloutPatches.PAUSE);
    return "rollout \"" + name + "\" paused";
  }
}
