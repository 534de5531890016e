package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves ReplicaSets toward their targets in one step, inside the replica budget:
 * <ul>
 *   <li>scale-downs first: pods that are not available may always go (a ReplicaSet removes its
 *       unready pods first); available pods go only while the available total stays at or above
 *       {@code replicas - maxUnavailable};
 *   <li>then scale-ups (the stable first, then the canary) with what is left of
 *       {@code replicas + maxSurge} total pods.
 * </ul>
 * Both halves fit in one plan: the downs only lower the total and the ups never pass the limit, so
 * applying the actions in order never breaks either bound.
 */
final class ScalePlanner {
  private ScalePlanner() {}

  private record Member(String hash, String name, boolean exists, int spec, int available) {
    /** Available pods that stay after the ReplicaSet settles at spec (stale counts can exceed it). */
    int keptAvailable() {
      return Math.min(spec, available);
    }
  }

  static List<Action> plan(Context ctx, String stableHash, Targets targets) {
    ReplicaBudget budget = ctx.settings().budget();
    String desired = ctx.desiredHash();
    // scale-down order: old ReplicaSets (oldest first), then the canary, then the stable
    Map<String, Member> members = new LinkedHashMap<>();
    for (ObservedReplicaSet rs : ctx.others(stableHash)) {
      members.put(rs.podTemplateHash(), member(rs));
    }
    members.put(desired, ctx.replicaSet(desired).map(ScalePlanner::member)
        .orElse(new Member(desired, ctx.replicaSetName(desired), false, 0, 0)));
    ctx.replicaSet(stableHash).ifPresent(rs -> members.putIfAbsent(rs.podTemplateHash(), member(rs)));

    Map<String, Integer> planned = new LinkedHashMap<>();
    members.values().forEach(m -> planned.put(m.hash(), m.spec()));
    List<Action> actions = new ArrayList<>();

    int spareAvailable = members.values().stream().mapToInt(Member::keptAvailable).sum() - budget.minAvailable();
    for (Member m : members.values()) {
      int excess = m.spec() - targets.of(m.hash());
      if (excess <= 0) {
        continue;
      }
      int unavailable = Math.min(excess, m.spec() - m.keptAvailable());
      int available = Math.min(excess - unavailable, Math.max(0, spareAvailable));
      spareAvailable -= available;
      if (unavailable + available > 0) {
        planned.put(m.hash(), m.spec() - unavailable - available);
        actions.add(new ScaleReplicaSet(m.name(), m.spec() - unavailable - available));
      }
    }

    int headroom = budget.maxPods() - planned.values().stream().mapToInt(Integer::intValue).sum();
    for (String hash : growOrder(stableHash, desired)) {
      Member m = members.get(hash);
      if (m == null) {
        continue;
      }
      int grow = Math.min(targets.of(hash) - m.spec(), Math.max(0, headroom));
      int replicas = m.spec() + Math.max(0, grow);
      if (!m.exists()) {
        if (targets.createDesired()) {
          actions.add(new CreateReplicaSet(m.name(), hash, ctx.maxRevision() + 1, replicas));
          headroom -= replicas;
        }
      } else if (grow > 0) {
        actions.add(new ScaleReplicaSet(m.name(), replicas));
        headroom -= grow;
      }
    }
    return actions;
  }

  private static List<String> growOrder(String stableHash, String desired) {
    return Objects.equals(stableHash, desired) || stableHash == null ? List.of(desired) : List.of(stableHash, desired);
  }

  private static Member member(ObservedReplicaSet rs) {
    return new Member(rs.podTemplateHash(), rs.name(), true, rs.specReplicas(), rs.availableReplicas());
  }
}
