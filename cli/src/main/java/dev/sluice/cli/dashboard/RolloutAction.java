package dev.sluice.cli.dashboard;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.actions.Promotion;
import dev.sluice.cli.actions.RolloutPatches;
import dev.sluice.cli.kube.RolloutClient;
import java.util.Locale;
import java.util.Optional;

/** The dashboard's buttons: the same patches as {@code kubectl sluice promote|abort|retry}. */
public enum RolloutAction {
  PROMOTE("promoted"),
  ABORT("aborted"),
  RETRY("retried");

  private final String done;

  RolloutAction(String done) {
    this.done = done;
  }

  /** The action named in a URL ("promote"), if there is one by that name. */
  public static Optional<RolloutAction> named(String name) {
    for (RolloutAction action : values()) {
      if (action.pathName().equals(name)) return Optional.of(action);
    }
    return Optional.empty();
  }

  public String pathName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Sends the patch and returns what to tell the user.
   *
   * @throws dev.sluice.cli.CliException when the rollout does not exist
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses
   */
  public String apply(RolloutClient rollouts, String name) {
    Rollout rollout = rollouts.require(name);
    switch (this) {
      case PROMOTE:
        return "rollout \"" + name + "\" " + Promotion.promote(rollouts, rollout, false);
      case ABORT:
        rollouts.mergePatchStatus(name, RolloutPatches.ABORT);
        break;
      case RETRY:
        rollouts.mergePatchStatus(name, RolloutPatches.RETRY);
        break;
      default:
        throw new IllegalStateException("unknown action " + this);
    }
    return "rollout \"" + name + "\" " + done;
  }
}
