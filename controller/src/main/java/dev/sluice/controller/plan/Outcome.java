package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Events, wake-up times and AnalysisRuns collected while planning. Only added to, through the
 * methods; the planner reads the result at the end.
 */
public final class Outcome {
  private final List<RolloutEvent> events = new ArrayList<>();
  /** The stable ReplicaSet a promotion replaced in this plan, if any. */
  private String replacedStable;
  /** AnalysisRuns to create, in order. */
  private final List<Action.CreateAnalysisRun> runsToCreate = new ArrayList<>();
  /** Observed AnalysisRuns the rollout still needs: every other one is terminated. */
  private final Set<String> runsInUse = new HashSet<>();
  /** Observed AnalysisRuns done with in this plan (an inconclusive background run a promote replaces). */
  private final Set<String> runsRetired = new HashSet<>();
  /** The update holds where it is (spec.paused, an inconclusive background run): its runs all stay. */
  private boolean holdingRuns;
  private Instant wakeAt;

  /** A promotion in this plan replaced the stable {@code hash} (its pods may wait for scaleDownDelaySeconds). */
  public void stableReplaced(String hash) {
    replacedStable = hash;
  }

  /** The stable a promotion replaced in this plan; null when none. */
  String replacedStable() {
    return replacedStable;
  }

  /** Plans the creation of an AnalysisRun (in order). */
  void createRun(Action.CreateAnalysisRun run) {
    runsToCreate.add(run);
  }

  List<Action.CreateAnalysisRun> runsToCreate() {
    return List.copyOf(runsToCreate);
  }

  boolean inUse(String run) {
    return runsInUse.contains(run);
  }

  boolean retired(String run) {
    return runsRetired.contains(run);
  }

  boolean holdingRuns() {
    return holdingRuns;
  }

  List<RolloutEvent> events() {
    return List.copyOf(events);
  }

  /** The rollout still needs the observed run {@code name}: it is not terminated. */
  public void useRun(String name) {
    runsInUse.add(name);
  }

  /** The observed run {@code name} is done with in this plan (terminated, and a fresh one may start). */
  public void retireRun(String name) {
    runsRetired.add(name);
  }

  /** The update holds where it is: every run of the attempt stays. */
  public void holdRuns() {
    holdingRuns = true;
  }

  public void normal(String reason, String message) {
    events.add(new RolloutEvent(RolloutEvent.Type.Normal, reason, message));
  }

  /** A transition nobody acts on: logged and told to notifications, not recorded as a Kubernetes Event. */
  public void routine(String reason, String message) {
    events.add(new RolloutEvent(RolloutEvent.Type.Normal, reason, message, true));
  }

  public void warning(String reason, String message) {
    events.add(new RolloutEvent(RolloutEvent.Type.Warning, reason, message));
  }

  /** Look again at {@code when} (the earliest of all such times wins). */
  public void wakeAt(Instant when) {
    if (wakeAt == null || when.isBefore(wakeAt)) {
      wakeAt = when;
    }
  }

  Optional<Duration> requeueAfter(Instant now) {
    return Optional.ofNullable(wakeAt).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }
}
