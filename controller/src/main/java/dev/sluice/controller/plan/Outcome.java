package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Events and wake-up times collected while planning. */
final class Outcome {
  final List<RolloutEvent> events = new ArrayList<>();
  private Instant wakeAt;

  void normal(String reason, String message) {
    events.add(new RolloutEvent(RolloutEvent.Type.Normal, reason, message));
  }

  void warning(String reason, String message) {
    events.add(new RolloutEvent(RolloutEvent.Type.Warning, reason, message));
  }

  /** Look again at {@code when} (the earliest of all such times wins). */
  void wakeAt(Instant when) {
    if (wakeAt == null || when.isBefore(wakeAt)) {
      wakeAt = when;
    }
  }

  Optional<Duration> requeueAfter(Instant now) {
    return Optional.ofNullable(wakeAt).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }
}
