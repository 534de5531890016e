package dev.sluice.controller.rollout;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ReplicaSet patches a reconcile has sent and not yet had the reply of, so that the watch event
 * bringing one back before its reply wakes no reconcile (once the reply is in, the informer knows
 * the resourceVersion it returned and drops that event itself). An event is the patch's own when a
 * plan reads nothing in it other than in the ReplicaSet as the patch was predicted to leave it;
 * any other event of that ReplicaSet ends the wait (the patch's own then wakes a reconcile, as any
 * event does), so no later event can be taken for it.
 */
final class OwnReplicaSetPatches {
  private final Map<ResourceID, ReplicaSet> inFlight = new ConcurrentHashMap<>();

  /** Just before a patch that should leave the ReplicaSet as {@code predicted}. */
  void sending(ReplicaSet predicted) {
    inFlight.put(ResourceID.fromResource(predicted), predicted);
  }

  /** The patch of {@code replicaSet} was answered, or failed. */
  void answered(ReplicaSet replicaSet) {
    inFlight.remove(ResourceID.fromResource(replicaSet));
  }

  /** For each update event of a ReplicaSet, in the order they come: true for the event of a patch still waiting for its reply, once. */
  boolean isOwn(ReplicaSet now) {
    ReplicaSet predicted = inFlight.remove(ResourceID.fromResource(now));
    return predicted != null && !RolloutObserver.plannerSees(predicted, now);
  }
}
