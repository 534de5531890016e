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
 * What a planning step says besides the state it moves: events, AnalysisRuns to create, observed
 * runs it still needs or is done with, and when to look again. A value: each step returns its own
 * and the planner combines them in the order the steps ran ({@link #plus}), so the events keep that
 * order.
 *
 * @param events in order
 * @param runsToCreate AnalysisRuns to create, in order
 * @param runsInUse observed AnalysisRuns the rollout still needs: every other one is terminated
 * @param runsRetired observed AnalysisRuns done with in this plan (an inconclusive background run a promote replaces)
 * @param holdingRuns the update holds where it is (spec.paused, an inconclusive background run): its runs all stay
 * @param wakeAt look again then (the earliest of all such times)
 * @param replacedStable the stable ReplicaSet a promotion replaced in this plan (its pods may wait for
 *     scaleDownDelaySeconds); null when none
 */
public record Effects(List<RolloutEvent> events, List<Action.CreateAnalysisRun> runsToCreate, Set<String> runsInUse,
    Set<String> runsRetired, boolean holdingRuns, Optional<Instant> wakeAt, String replacedStable) {

  public static final Effects NONE = new Effects(List.of(), List.of(), Set.of(), Set.of(), false, Optional.empty(), null);

  public Effects {
    events = List.copyOf(events);
    runsToCreate = List.copyOf(runsToCreate);
    runsInUse = Set.copyOf(runsInUse);
    runsRetired = Set.copyOf(runsRetired);
  }

  public static Effects normal(String reason, String message) {
    return event(new RolloutEvent(RolloutEvent.Type.Normal, reason, message));
  }

  /** A transition nobody acts on: logged and told to notifications, not recorded as a Kubernetes Event. */
  public static Effects routine(String reason, String message) {
    return event(new RolloutEvent(RolloutEvent.Type.Normal, reason, message, true));
  }

  public static Effects warning(String reason, String message) {
    return event(new RolloutEvent(RolloutEvent.Type.Warning, reason, message));
  }

  private static Effects event(RolloutEvent event) {
    return new Effects(List.of(event), List.of(), Set.of(), Set.of(), false, Optional.empty(), null);
  }

  /** The creation of an AnalysisRun; the rollout needs it. */
  static Effects createRun(Action.CreateAnalysisRun run) {
    return new Effects(List.of(), List.of(run), Set.of(run.name()), Set.of(), false, Optional.empty(), null);
  }

  /** The rollout still needs the observed run {@code name}: it is not terminated. */
  public static Effects useRun(String name) {
    return new Effects(List.of(), List.of(), Set.of(name), Set.of(), false, Optional.empty(), null);
  }

  /** The observed run {@code name} is done with in this plan (terminated, and a fresh one may start). */
  public static Effects retireRun(String name) {
    return new Effects(List.of(), List.of(), Set.of(), Set.of(name), false, Optional.empty(), null);
  }

  /** The update holds where it is: every run of the attempt stays. */
  public static Effects holdRuns() {
    return new Effects(List.of(), List.of(), Set.of(), Set.of(), true, Optional.empty(), null);
  }

  /** Look again at {@code when}. */
  public static Effects wakeAt(Instant when) {
    return new Effects(List.of(), List.of(), Set.of(), Set.of(), false, Optional.of(when), null);
  }

  /** A promotion in this plan replaced the stable {@code hash}. */
  public static Effects stableReplaced(String hash) {
    return new Effects(List.of(), List.of(), Set.of(), Set.of(), false, Optional.empty(), hash);
  }

  /**
   * These effects, then {@code next}'s: events and runs to create in that order, the earlier wake
   * time, the later replaced stable.
   */
  public Effects plus(Effects next) {
    if (next == NONE) {
      return this;
    }
    if (this == NONE) {
      return next;
    }
    List<RolloutEvent> allEvents = new ArrayList<>(events);
    allEvents.addAll(next.events);
    List<Action.CreateAnalysisRun> allRuns = new ArrayList<>(runsToCreate);
    allRuns.addAll(next.runsToCreate);
    Set<String> inUse = new HashSet<>(runsInUse);
    inUse.addAll(next.runsInUse);
    Set<String> retired = new HashSet<>(runsRetired);
    retired.addAll(next.runsRetired);
    Optional<Instant> wake = wakeAt.isEmpty() ? next.wakeAt
        : next.wakeAt.filter(at -> at.isBefore(wakeAt.get())).or(() -> wakeAt);
    return new Effects(allEvents, allRuns, inUse, retired, holdingRuns || next.holdingRuns, wake,
        next.replacedStable != null ? next.replacedStable : replacedStable);
  }

  boolean inUse(String run) {
    return runsInUse.contains(run);
  }

  boolean retired(String run) {
    return runsRetired.contains(run);
  }

  Optional<Duration> requeueAfter(Instant now) {
    return wakeAt.map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }
}
