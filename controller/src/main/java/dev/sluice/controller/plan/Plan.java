package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile will do: the new status, the actions in the order they must run, the events
 * to record, and when to look again (the next deadline: end of a pause, abort scale-down, ...).
 */
public record Plan(RolloutStatus status, List<Action> actions, List<RolloutEvent> events, Optional<Duration> requeueAfter) {

  public record RolloutEvent(Type type, String reason, String message) {
    public enum Type { Normal, Warning }
  }
}
