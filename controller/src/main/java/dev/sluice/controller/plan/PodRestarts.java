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

  static List<DeletePod> plan(Context ctx, RolloutState state, boolean healthy, Outcome out) {
    String restartAt = ctx.observed().rollout().getSpec().restartAt();
    Optional<Instant> at = ctx.settings().restartAt();
    if (at.isEmpty() || restartAt.equals(state.restartedAt)) {
      return List.of();
    }
    if (ctx.now().isBefore(at.get())) {
      out.wakeAt(at.get());
      return List.of();
    }
    if (!healthy || ctx.settings().paused()) {
      return List.of();
    }
    List<ObservedPod> pods = ctx.observed().pods() == null ? List.of() : ctx.observed().pods();
    List<ObservedPod> stale = pods.stream()
        .filter(p -> !p.terminating() && p.created() != null && p.created().isBefore(at.get()))
        .sorted(Comparator.comparing(ObservedPod::created).thenComparing(ObservedPod::name))
        .toList();
    if (stale.isEmpty()) {
      state.restartedAt = restartAt;
      out.normal("RolloutRestarted", "Restarted all pods created before " + restartAt);
      return List.of();
    }
    boolean settled = pods.stream().noneMatch(ObservedPod::terminating)
        && ctx.available(state.stableRS) >= ctx.replicas();
    return settled ? List.of(new DeletePod(stale.get(0).name())) : List.of();
  }
}
