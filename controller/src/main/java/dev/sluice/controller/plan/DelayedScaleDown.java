package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * After a traffic-routed canary's promotion, or once a blue-green update completes, the old stable
 * keeps its pods for scaleDownDelaySeconds, so a quick rollback finds them up and requests in
 * flight finish. The deadline is written on the
 * ReplicaSet itself ({@link SetScaleDownDeadline#ANNOTATION}, as Argo Rollouts does), so a
 * restarted controller keeps it. At most scaleDownDelayRevisionLimit old stables wait at once: the
 * newest ones.
 */
public final class DelayedScaleDown {
  private DelayedScaleDown() {}

  /**
   * Adds the old stables still within their delay to {@code pods}; returns the deadlines to write.
   *
   * @param delay scaleDownDelaySeconds
   * @param revisionLimit scaleDownDelayRevisionLimit; empty: no limit
   */
  public static List<Action> keepOldStables(Context ctx, RolloutState state, Outcome out, Map<String, Integer> pods,
      Duration delay, Optional<Integer> revisionLimit) {
    List<Action> actions = new ArrayList<>();
    List<ObservedReplicaSet> waiting = new ArrayList<>();
    for (ObservedReplicaSet rs : ctx.others(state.stableRS())) {
      if (rs.specReplicas() == 0) {
        continue;
      }
      Instant deadline = rs.scaleDownDeadline();
      if (rs.podTemplateHash().equals(out.replacedStable()) && !delay.isZero()) {
        deadline = ctx.now().plus(delay);
        actions.add(new SetScaleDownDeadline(rs.name(), Timestamps.format(deadline)));
      }
      if (deadline != null && ctx.now().isBefore(deadline)) {
        waiting.add(new ObservedReplicaSet(rs.name(), rs.podTemplateHash(), rs.revision(), rs.specReplicas(), rs.replicas(),
            rs.readyReplicas(), rs.availableReplicas(), rs.created(), deadline, rs.replicaFailure()));
      }
    }
    waiting.sort(Comparator.comparingLong(ObservedReplicaSet::revision).reversed());
    int limit = revisionLimit.orElse(Integer.MAX_VALUE);
    waiting.stream().limit(limit).forEach(rs -> {
      pods.merge(rs.podTemplateHash(), rs.specReplicas(), Math::max);
      out.wakeAt(rs.scaleDownDeadline());
    });
    return actions;
  }
}
