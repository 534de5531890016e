package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;

@Command(name = "restart", description = "Restart the rollout's pods, one by one (spec.restartAt=now).")
public final class RestartCommand extends ActionCommand {
  @Override
  String act(RolloutClient rollouts, Rollout rollout) {
    Instant now = root().clock().instant();
    rollouts.mergePatch(name, RolloutPatches.restartAt(now));
    return "rollout \"" + name + "\" restarts its pods (restartAt " + now.truncatedTo(ChronoUnit.SECONDS) + ")";
  }
}
