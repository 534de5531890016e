package dev.sluice.traffic;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

/** Whether an object Sluice would create is already Sluice's for this Rollout. */
final class Ownership {
  private Ownership() {}

  static boolean controlledBy(HasMetadata object, OwnerReference owner) {
    if (owner == null || object.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    return object.getMetadata().getOwnerReferences().stream().anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
        && owner.getKind().equals(ref.getKind())
        && owner.getName().equals(ref.getName())
        && (owner.getUid() == null || owner.getUid().equals(ref.getUid())));
  }

  static TrafficRoutingException notOwned(String kind, String name, String rollout) {
    return new TrafficRoutingException(TrafficRoutingException.Reason.NOT_OWNED, kind + " " + name
        + " already exists and is not controlled by Rollout " + rollout + ": rename or delete it");
  }
}
