package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pod counts move in small steps (the ReplicaSet controller reports pods created, then ready, then
 * available, each a watch event and a reconcile): a status that differs from the written one only in
 * its pod counts and the times of its conditions waits until {@link #INTERVAL} has passed since the
 * rollout's last status write, so those steps share one write. Anything else (a step, a phase, a
 * condition's status, reason or message, a hash) is written at once; counts are at most
 * {@link #INTERVAL} behind.
 */
final class CountWrites {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** When each rollout's status was last written by this controller (forgotten when the Rollout goes). */
  private final ConcurrentHashMap<String, Instant> lastWrite = new ConcurrentHashMap<>();

  /** @return how long to wait before writing {@code planned}; empty: write it now */
  Optional<Duration> wait(String rollout, RolloutStatus written, RolloutStatus planned, Instant now) {
    Instant last = lastWrite.get(rollout);
    if (last == null || !onlyCounts(written, planned)) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, last.plus(INTERVAL));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  void written(String rollout, Instant now) {
    lastWrite.put(rollout, now);
  }

  void forget(String rollout) {
    lastWrite.remove(rollout);
  }

  /** The two differ, and only in pod counts and condition times. */
  static boolean onlyCounts(RolloutStatus a, RolloutStatus b) {
    return a != null && b != null && !a.equals(b) && withoutCounts(a).equals(withoutCounts(b));
  }

  private static RolloutStatus withoutCounts(RolloutStatus s) {
    List<RolloutCondition> conditions = s.conditions() == null ? null : s.conditions().stream()
        .map(c -> new RolloutCondition(c.type(), c.status(), c.reason(), c.message(), null, null)).toList();
    return new RolloutStatus(s.phase(), s.message(), s.observedGeneration(), s.currentPodHash(), s.stableRS(),
        s.currentStepIndex(), s.currentStepHash(), null, null, null, null, null, s.selector(), s.pauseConditions(),
        s.controllerPause(), s.abort(), s.abortedAt(), s.promoteFull(), s.restartedAt(), s.canary(), s.blueGreen(),
        conditions);
  }
}
