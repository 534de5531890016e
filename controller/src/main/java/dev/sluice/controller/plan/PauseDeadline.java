package dev.sluice.controller.plan;

import dev.sluice.api.Durations;
import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.bluegreen.BlueGreenUpdate;
import dev.sluice.controller.plan.canary.CanaryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the timed pause a Rollout stands in ends (a canary pause step with a duration, blue-green's
 * autoPromotionSeconds), read from its spec and status alone, without planning: cheap enough to ask
 * of every reconcile queued. Empty when it stands in no timed pause, is paused by the user, or its
 * spec cannot say (the reconcile will tell what is wrong).
 */
public final class PauseDeadline {
  private PauseDeadline() {}

  public static Optional<Instant> of(Rollout rollout) {
    return of(rollout.getSpec(), rollout.getStatus());
  }

  /**
   * How late a timed pause ended: from its deadline to {@code now}, when the status written now,
   * {@code after}, no longer stands in the pause {@code before} stood in. Empty when there was no
   * timed pause, it goes on, or it ended before its time (promoted, aborted).
   */
  public static Optional<Duration> endedLate(RolloutSpec spec, RolloutStatus before, RolloutStatus after, Instant now) {
    Optional<Instant> due = of(spec, before);
    if (due.isEmpty() || now.isBefore(due.get()) || of(spec, after).equals(due)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(due.get(), now));
  }

  private static Optional<Instant> of(RolloutSpec spec, RolloutStatus status) {
    if (spec == null || spec.strategy() == null || status == null || status.pauseConditions() == null
        || Boolean.TRUE.equals(spec.paused())) {
      return Optional.empty();
    }
    try {
      if (spec.strategy().canary() != null) {
        return ends(status, CanaryUpdate.PAUSE_STEP, stepPause(spec.strategy().canary().steps(), status.currentStepIndex()));
      }
      if (spec.strategy().blueGreen() != null) {
        return ends(status, BlueGreenUpdate.PAUSE,
            Optional.ofNullable(spec.strategy().blueGreen().autoPromotionSeconds()).map(Duration::ofSeconds));
      }
    } catch (RuntimeException invalid) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<Duration> stepPause(List<CanaryStep> steps, Integer index) {
    if (steps == null || index == null || index < 0 || index >= steps.size()) {
      return Optional.empty();
    }
    CanaryStep step = steps.get(index);
    if (step == null || step.pause() == null || step.pause().duration() == null) {
      return Optional.empty();
    }
    return Optional.of(Durations.parse(step.pause().duration()));
  }

  private static Optional<Instant> ends(RolloutStatus status, String reason, Optional<Duration> duration) {
    if (duration.isEmpty()) {
      return Optional.empty();
    }
    return status.pauseConditions().stream()
        .filter(p -> p != null && reason.equals(p.reason()))
        .findFirst()
        .flatMap(p -> Timestamps.tryParse(p.startTime()))
        .map(start -> start.plus(duration.get()));
  }
}
