package dev.sluice.controller.notifications;

import java.util.Map;
import java.util.Optional;

/**
 * One transition a subscriber may be told about.
 *
 * @param event the Kubernetes Event reason the planner recorded for it ({@code RolloutAborted}, ...)
 * @param message that event's message (for a step completed: which step)
 * @param step the step completed, or paused at; empty for other transitions
 * @param abortedBy for {@link Trigger#ROLLOUT_ABORTED}: {@code metric}, {@code deadline} or {@code user}
 */
public record Notice(Trigger trigger, String event, String message, Optional<StepRef> step, Optional<String> abortedBy) {

  /** A canary step: its 1-based number, the number of steps, and the step as written in the spec. */
  public record StepRef(int number, int total, Map<String, Object> definition) {}
}
