package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
   * The targets with the old stables still within their delay kept up, the deadlines to write on
   * them, and a look again at the earliest deadline.
   */
  public record Kept(Targets targets, List<Action> actions, Effects effects) {}

  /**
   * @param targets where the lifecycle sends the pods (not frozen)
   * @param replacedStable the stable a promotion replaced in this plan ({@link Effects#replacedStable}); null when none
   * @param delay scaleDownDelaySeconds
   * @param revisionLimit scaleDownDelayRevisionLimit; empty: no limit
   */
  public static Kept keepOldStables(Context ctx, RolloutState state, String replacedStable, Targets targets,
      Duration delay, Optional<Integer> revisionLimit) {
    List<Action> actions = new ArrayList<>();
    List<ObservedReplicaSet> waiting = new ArrayList<>();
    for (ObservedReplicaSet rs : ctx.others(state.stableRS())) {
      if (rs.specReplicas() == 0) {
        continue;
      }
      Instant deadline = rs.scaleDownDeadline();
      if (rs.podTemplateHash().equals(replacedStable) && !delay.isZero()) {
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
    Map<String, Integer> pods = new HashMap<>(targets.byHash());
    Effects said = Effects.NONE;
    for (ObservedReplicaSet rs : waiting.stream().limit(limit).toList()) {
      pods.merge(rs.podTemplateHash(), rs.specReplicas(), Math::max);
      said = said.plus(Effects.wakeAt(rs.scaleDownDeadline()));
    }
    return new Kept(new Targets(pods, false, targets.createDesired()), List.copyOf(actions), said);
  }
}
