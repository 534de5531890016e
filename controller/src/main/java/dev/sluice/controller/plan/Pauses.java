package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pauses the controller put the rollout in: status.pauseConditions, each with its start time
 * (so a restarted controller ends a timed pause at the same moment), and status.controllerPause
 * (the controller paused it: a condition gone while it is set was removed by a promote).
 */
public record Pauses(List<PauseCondition> conditions, boolean controller) {
  static final Pauses NONE = new Pauses(List.of(), false);

  public Pauses {
    conditions = List.copyOf(conditions);
  }

  static Pauses of(RolloutStatus status) {
    if (status == null) {
      return NONE;
    }
    return new Pauses(status.pauseConditions() == null ? List.of() : status.pauseConditions(),
        Boolean.TRUE.equals(status.controllerPause()));
  }

  public Optional<PauseCondition> find(String reason) {
    return conditions.stream().filter(p -> reason.equals(p.reason())).findFirst();
  }

  public boolean has(String reason) {
    return find(reason).isPresent();
  }

  /** Paused for {@code reason} since {@code now} (a condition it had for it is replaced). */
  Pauses entered(String reason, Instant now) {
    List<PauseCondition> next = new ArrayList<>(left(reason).conditions);
    next.add(new PauseCondition(reason, Timestamps.format(now)));
    return new Pauses(next, true);
  }

  /** No longer paused for {@code reason}. */
  Pauses left(String reason) {
    return new Pauses(conditions.stream().filter(p -> !reason.equals(p.reason())).toList(), false);
  }

  /** Paused for {@code reason} since {@code now}, unless it already is (then since then). */
  Pauses enteredOnce(String reason, Instant now) {
    return has(reason) ? new Pauses(conditions, true) : entered(reason, now);
  }

  /** The controller's pause holds ({@code true}) or was promoted out of ({@code false}). */
  Pauses held(boolean held) {
    return new Pauses(conditions, held);
  }
}
