package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import static dev.sluice.controller.plan.StatusConditions.FALSE;
import static dev.sluice.controller.plan.StatusConditions.PROGRESSING;
import static dev.sluice.controller.plan.StatusConditions.TRUE;

import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Progressing condition while an update is moving. Its lastUpdateTime is the last time the
 * update made progress; no progress for progressDeadlineSeconds turns it into
 * ProgressDeadlineExceeded. Paused time never counts: leaving a pause (reason RolloutPaused) starts
 * the clock again.
 */
final class ProgressDeadline {
  static final String UPDATING = "ReplicaSetUpdated";
  static final String EXCEEDED = "ProgressDeadlineExceeded";

  private ProgressDeadline() {}

  /**
   * @param exceeded the deadline has passed (now, or in an earlier plan with no progress since)
   * @param newly it passed in this plan (a warning, {@link #exceededMessage})
   * @param checkAt when the deadline passes if nothing progresses; empty once it has
   */
  record Result(RolloutCondition condition, boolean exceeded, boolean newly, Optional<Instant> checkAt) {}

  static Result evaluate(RolloutCondition previous, String replicaSetName, boolean progressed, Duration deadline,
      Instant now) {
    boolean stalled = previous != null && !progressed;
    if (stalled && EXCEEDED.equals(previous.reason())) {
      return new Result(previous, true, false, Optional.empty());
    }
    Instant since = stalled && UPDATING.equals(previous.reason())
        ? Timestamps.tryParse(previous.lastUpdateTime()).orElse(null) : null;
    if (since != null && !now.isBefore(since.plus(deadline))) {
      RolloutCondition condition = StatusConditions.next(previous, PROGRESSING, FALSE, EXCEEDED,
          "ReplicaSet \"" + replicaSetName + "\" has timed out progressing.", now);
      return new Result(condition, true, true, Optional.empty());
    }
    Instant checkAt = (since != null ? since : now).plus(deadline);
    boolean flipped = previous == null || !TRUE.equals(previous.status()) || previous.lastTransitionTime() == null;
    return new Result(new RolloutCondition(PROGRESSING, TRUE, UPDATING,
        "ReplicaSet \"" + replicaSetName + "\" is progressing.",
        flipped ? Timestamps.format(now) : previous.lastTransitionTime(),
        since != null ? previous.lastUpdateTime() : Timestamps.format(now)), false, false, Optional.of(checkAt));
  }

  static String exceededMessage(Duration deadline) {
    return "Rollout made no progress for " + deadline.toSeconds() + "s (progressDeadlineSeconds)";
  }
}
