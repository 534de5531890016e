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

  /**
   * A transition. Every one is logged and told to notifications; a {@code routine} one (a step
   * started, a timed pause began or ended, the traffic weight moved, a run started) is not recorded
   * as a Kubernetes Event: at scale those were 45% of the controller's writes, and nobody acts on
   * them (the status shows where the rollout is).
   */
  public record RolloutEvent(Type type, String reason, String message, boolean routine) {
    public enum Type { Normal, Warning }

    public RolloutEvent(Type type, String reason, String message) {
      this(type, reason, message, false);
    }
  }
}
