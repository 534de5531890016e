package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Events, wake-up times, AnalysisRuns and (with a router) managed-route changes collected while planning. */
final class Outcome {
  final List<RolloutEvent> events = new ArrayList<>();
  /** setHeaderRoute/setMirrorRoute steps reached in this plan since the last removal, in order. */
  final List<CanaryStep> routeSteps = new ArrayList<>();
  /** This plan passed a transition (completion, abort, steps started over) that removes every managed route. */
  boolean removeManagedRoutes;
  /** The stable ReplicaSet a promotion replaced in this plan, if any. */
  String replacedStable;
  /** AnalysisRuns to create, in order. */
  final List<Action.CreateAnalysisRun> runsToCreate = new ArrayList<>();
  /** Observed AnalysisRuns the rollout still needs: every other one is terminated. */
  final Set<String> runsInUse = new HashSet<>();
  /** Observed AnalysisRuns done with in this plan (an inconclusive background run a promote replaces). */
  final Set<String> runsRetired = new HashSet<>();
  /** The update holds where it is (spec.paused, an inconclusive background run): its runs all stay. */
  boolean holdingRuns;
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
