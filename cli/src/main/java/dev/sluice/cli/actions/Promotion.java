package dev.sluice.cli.actions;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.kube.RolloutClient;

/** promote / promote --full, for the command and the dashboard's button alike. */
public final class Promotion {
  private Promotion() {}

  public static void promote(RolloutClient rollouts, Rollout rollout, boolean full) {
    String name = rollout.getMetadata().getName();
    rollouts.mergePatchStatus(name, full ? RolloutPatches.PROMOTE_FULL : RolloutPatches.CLEAR_PAUSE_CONDITIONS);
    // a user pause would hold the rollout where it is: promoting means going on
    if (rollout.getSpec() != null && Boolean.TRUE.equals(rollout.getSpec().paused())) {
      rollouts.mergePatch(name, RolloutPatches.UNPAUSE);
    }
  }
}
