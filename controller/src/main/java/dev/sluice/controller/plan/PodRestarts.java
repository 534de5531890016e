package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Action.DeletePod;
import dev.sluice.controller.plan.Observed.ObservedPod;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * spec.restartAt: once that time has passed and the rollout is healthy, pods created before it are
 * deleted one at a time, each only while all spec.replicas pods are available and none is
 * terminating (so even with maxUnavailable 0 a restart moves, one pod at a time).
 */
final class PodRestarts {
  private PodRestarts() {}

  /**
   * @param deletes the pod to delete now, if any
   * @param restartedAt status.restartedAt after this plan: the restartAt whose restart is finished
   * @param effects the restart finished (an event), or a look again when restartAt comes
   */
  record Restarts(List<DeletePod> deletes, String restartedAt, Effects effects) {}

  /** @param restartedAt status.restartedAt as observed */
  static Restarts plan(Context ctx, String restartedAt, String stableHash, boolean healthy) {
    String restartAt = ctx.observed().rollout().getSpec().restartAt();
    Optional<Instant> at = ctx.settings().restartAt();
    Restarts none = new Restarts(List.of(), restartedAt, Effects.NONE);
    if (at.isEmpty() || restartAt.equals(restartedAt)) {
      return none;
    }
    if (ctx.now().isBefore(at.get())) {
      return new Restarts(List.of(), restartedAt, Effects.wakeAt(at.get()));
    }
    if (!healthy || ctx.settings().paused()) {
      return none;
    }
    List<ObservedPod> pods = ctx.observed().pods() == null ? List.of() : ctx.observed().pods();
    List<ObservedPod> stale = pods.stream()
        .filter(p -> !p.terminating() && p.created() != null && p.created().isBefore(at.get()))
        .sorted(Comparator.comparing(ObservedPod::created).thenComparing(ObservedPod::name))
        .toList();
    if (stale.isEmpty()) {
      return new Restarts(List.of(), restartAt,
          Effects.normal("RolloutRestarted", "Restarted all pods created before " + restartAt));
    }
    boolean settled = pods.stream().noneMatch(ObservedPod::terminating)
        && ctx.available(stableHash) >= ctx.replicas();
    return new Restarts(settled ? List.of(new DeletePod(stale.get(0).name())) : List.of(), restartedAt, Effects.NONE);
  }
}
