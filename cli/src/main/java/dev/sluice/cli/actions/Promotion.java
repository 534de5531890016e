package dev.sluice.cli.actions;

import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.cli.kube.RolloutClient;
import java.util.List;
import java.util.Objects;

/** promote / promote --full, for the command and the dashboard's button alike. */
public final class Promotion {
  private Promotion() {}

  /**
   * Sends the patches and returns what was done, e.g. "promoted" or "promoted: skipped step 2/4".
   * As Argo Rollouts: a paused rollout leaves its pause; a canary that is not paused mid-update
   * (waiting on an analysis step, or on pods) skips its current step, the controller then
   * terminating that step's run; --full skips every step and analysis.
   */
  public static String promote(RolloutClient rollouts, Rollout rollout, boolean full) {
    String name = rollout.getMetadata().getName();
    String done = full ? "fully promoted" : "promoted";
    boolean userPaused = rollout.getSpec() != null && Boolean.TRUE.equals(rollout.getSpec().paused());
    int step = full || userPaused ? -1 : stepToSkip(rollout);
    if (full) {
      rollouts.mergePatchStatus(name, RolloutPatches.PROMOTE_FULL);
    } else if (step >= 0) {
      // conditional on what was read: a step the controller completed meanwhile is not skipped twice
      rollouts.mergePatchStatus(name, RolloutPatches.skipStep(rollout.getMetadata().getResourceVersion(), step + 1));
      done += ": skipped step " + (step + 1) + "/" + steps(rollout).size();
    } else {
      rollouts.mergePatchStatus(name, RolloutPatches.CLEAR_PAUSE_CONDITIONS);
    }
    // a user pause would hold the rollout where it is: promoting means going on
    if (userPaused) {
      rollouts.mergePatch(name, RolloutPatches.UNPAUSE);
    }
    return done;
  }

  /** The canary step an update not paused stands at, -1 when there is none to skip. */
  private static int stepToSkip(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    List<?> steps = steps(rollout);
    if (status == null || steps.isEmpty() || Boolean.TRUE.equals(status.abort())
        || (status.pauseConditions() != null && !status.pauseConditions().isEmpty())
        || status.currentPodHash() == null || Objects.equals(status.currentPodHash(), status.stableRS())) {
      return -1;
    }
    int index = status.currentStepIndex() == null ? 0 : status.currentStepIndex();
    return index < steps.size() ? index : -1;
  }

  private static List<?> steps(Rollout rollout) {
    if (rollout.getSpec() == null || rollout.getSpec().strategy() == null || rollout.getSpec().strategy().canary() == null) {
      return List.of();
    }
    CanaryStrategy canary = rollout.getSpec().strategy().canary();
    return canary.steps() == null ? List.of() : canary.steps();
  }
}
