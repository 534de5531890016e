package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.Promotion;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "promote", description = {
    "Leave the current pause and go on to the next step (clears status.pauseConditions and a user pause);",
    "a canary that is not paused (waiting on an analysis step or on pods) skips its current step, as Argo Rollouts does;",
    "blue-green: switch the active Service to the preview's pods once they are all available.",
    "With --full: skip all remaining steps and analysis (status.promoteFull=true); blue-green: skip the pause and both analyses."})
public final class PromoteCommand extends ActionCommand {
  @Option(names = "--full", description = "Skip all remaining steps and analysis (blue-green: the pause and both analyses)")
  boolean full;

  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    return "rollout \"" + name + "\" " + Promotion.promote(rollouts, rollout, full);
  }
}
