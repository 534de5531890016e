package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Conditions whose times only move when something moved: lastTransitionTime when the status
 * flips, lastUpdateTime when status, reason or message change. Re-planning an unchanged rollout
 * therefore yields equal conditions, and no status patch.
 */
final class StatusConditions {
  static final String PROGRESSING = "Progressing";
  static final String AVAILABLE = "Available";
  static final String PAUSED = "Paused";
  static final String COMPLETED = "Completed";
  static final String HEALTHY = "Healthy";
  static final String INVALID_SPEC = "InvalidSpec";
  static final String REPLICA_FAILURE = "ReplicaFailure";
  static final Set<String> MANAGED = Set.of(PROGRESSING, AVAILABLE, PAUSED, COMPLETED, HEALTHY, INVALID_SPEC, REPLICA_FAILURE);

  static final String TRUE = "True";
  static final String FALSE = "False";
  static final String UNKNOWN = "Unknown";

  private StatusConditions() {}

  static RolloutCondition next(RolloutCondition previous, String type, String status, String reason, String message, Instant now) {
    String t = Timestamps.format(now);
    if (previous == null) {
      return new RolloutCondition(type, status, reason, message, t, t);
    }
    boolean flipped = !status.equals(previous.status()) || previous.lastTransitionTime() == null;
    boolean changed = flipped || !Objects.equals(reason, previous.reason()) || !Objects.equals(message, previous.message())
        || previous.lastUpdateTime() == null;
    return new RolloutCondition(type, status, reason, message,
        flipped ? t : previous.lastTransitionTime(), changed ? t : previous.lastUpdateTime());
  }

  static Optional<RolloutCondition> find(List<RolloutCondition> conditions, String type) {
    return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  static RolloutCondition previous(List<RolloutCondition> conditions, String type) {
    return find(conditions, type).orElse(null);
  }

  /** {@code condition} in place of the one of its type, or appended; the others untouched. */
  static List<RolloutCondition> put(List<RolloutCondition> conditions, RolloutCondition condition) {
    List<RolloutCondition> result = new ArrayList<>(conditions == null ? List.of() : conditions);
    for (int i = 0; i < result.size(); i++) {
      if (result.get(i).type().equals(condition.type())) {
        result.set(i, condition);
        return result;
      }
    }
    result.add(condition);
    return result;
  }

  static List<RolloutCondition> without(List<RolloutCondition> conditions, String type) {
    return conditions == null ? List.of() : conditions.stream().filter(c -> !type.equals(c.type())).toList();
  }

  /** The planner's own conditions, in order, then any others found in status (never InvalidSpec: the spec is valid). */
  static List<RolloutCondition> withManaged(List<RolloutCondition> previous, List<RolloutCondition> managed) {
    List<RolloutCondition> result = new ArrayList<>(managed);
    if (previous != null) {
      previous.stream().filter(c -> !MANAGED.contains(c.type())).forEach(result::add);
    }
    return result;
  }
}
