package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "promote", description = {
    "Leave the current pause and go on to the next step (clears status.pauseConditions and a user pause).",
    "With --full: skip all remaining steps and analysis (status.promoteFull=true)."})
public final class PromoteCommand extends ActionCommand {
  @Option(names = "--full", description = "Skip all remaining steps and analysis")
  boolean full;

  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    rollouts.mergePatchStatus(name, full ? RolloutPatches.PROMOTE_FULL : RolloutPatches.CLEAR_PAUSE_CONDITIONS);
    // a user pause would hold the rollout where it is: promoting means going on
    if (userPaused(rollout)) {
      rollouts.mergePatch(name, RolloutPatches.UNPAUSE);
    }
    return "rollout \"" + name + "\" " + (full ? "fully promoted" : "promoted");
  }
}
