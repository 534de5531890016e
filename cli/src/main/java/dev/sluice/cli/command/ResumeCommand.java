package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Resume a rollout paused with 'pause' (spec.paused=false).")
public final class ResumeCommand extends ActionCommand {
  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    rollouts.mergePatch(name, RolloutPatches.UNPAUSE);
    return "rollout \"" + name + "\" resumed";
  }
}
