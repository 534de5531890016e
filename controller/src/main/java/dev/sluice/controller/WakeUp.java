package dev.sluice.controller;

import java.time.Duration;
import java.time.Instant;

/**
 * When to reconcile again for a deadline (a pause's end, a measurement's time). JOSDK counts a
 * reschedule's delay from the moment the reconcile returns, after its status write and events, which
 * under load take a second or more: a delay taken from the plan's own clock reading would be late by
 * that much. So the delay is counted from when the reconcile hands it over, and rounded up to the
 * millisecond JOSDK schedules in, so the rollout is never woken just before its deadline to find it
 * not yet passed.
 */
public final class WakeUp {
  private WakeUp() {}

  /** Milliseconds from {@code now} until {@code at}; 0 when it has passed. */
  public static long millisUntil(Instant at, Instant now) {
    Duration left = Duration.between(now, at);
    if (left.isNegative() || left.isZero()) {
      return 0;
    }
    return left.toMillis() + (left.toNanosPart() % 1_000_000 == 0 ? 0 : 1);
  }
}
