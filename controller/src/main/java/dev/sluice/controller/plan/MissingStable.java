package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutStatus;
import java.util.Optional;

/**
 * The stable ReplicaSet status names is gone while an update is under way (deleted, or its
 * {@code sluice.dev/pod-template-hash} label or owner reference removed, so it is no longer seen).
 * Its template is no longer in the spec, so it cannot be recreated, and going on would either send
 * the stable's share of traffic nowhere or promote the canary without its steps and analysis. So
 * nothing moves until a person decides: restore the ReplicaSet (the update resumes where it stood),
 * set the template back to the stable one (the stable ReplicaSet is recreated from it), or
 * promote --full (the canary becomes the stable, knowingly without the remaining steps).
 */
final class MissingStable {
  static final String REASON = "StableReplicaSetNotFound";

  private MissingStable() {}

  /** Why the update must wait, as a message; empty when the stable is there, or no update is under way. */
  static Optional<String> problem(Context ctx, RolloutStatus previous) {
    if (previous == null || previous.stableRS() == null || ctx.desiredHash().equals(previous.stableRS())
        || ctx.replicaSet(previous.stableRS()).isPresent() || Boolean.TRUE.equals(previous.promoteFull())) {
      return Optional.empty();
    }
    String hash = previous.stableRS();
    return Optional.of("stable ReplicaSet \"" + ctx.replicaSetName(hash) + "\" (pod-template-hash " + hash
        + ") is gone mid-update (deleted, or its sluice.dev/pod-template-hash label or owner reference removed): "
        + "steps and analysis wait. Restore it to resume, set the template back to the stable one to recreate it, "
        + "or promote --full to make revision " + ctx.desiredRevision() + " the stable without the remaining steps");
  }
}
