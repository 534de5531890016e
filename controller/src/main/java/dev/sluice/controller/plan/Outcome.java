package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Events, wake-up times and (with a router) managed-route changes collected while planning. */
final class Outcome {
  final List<RolloutEvent> events = new ArrayList<>();
  /** setHeaderRoute/setMirrorRoute steps reached in this plan since the last removal, in order. */
  final List<CanaryStep> routeSteps = new ArrayList<>();
  /** This plan passed a transition (completion, abort, steps started over) that removes every managed route. */
  boolean removeManagedRoutes;
  /** The stable ReplicaSet a promotion replaced in this plan, if any. */
  String replacedStable;
  private Instant wakeAt;

  /** A transition removes every managed route, including those set earlier in this plan. */
  void removeManagedRoutes() {
    removeManagedRoutes = true;
    routeSteps.clear();
  }

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
