package dev.sluice.controller.client;

import java.time.Duration;

/**
 * A token bucket as client-go's rate limiter: {@code burst} requests at once, then {@code qps} a
 * second on average. Pure: the caller passes the time and waits as long as {@link #reserve} says.
 */
final class TokenBucket {
  private final double qps;
  private final double burst;
  private double tokens;
  private long lastNanos;
  private boolean started;

  TokenBucket(double qps, int burst) {
    if (!(qps > 0) || burst < 1) {
      throw new IllegalArgumentException("qps must be above 0 and burst at least 1, got qps " + qps + ", burst " + burst);
    }
    this.qps = qps;
    this.burst = burst;
  }

  /** Takes a token for a request made at {@code nowNanos}; returns how long it must wait for it (zero: go now). */
  synchronized Duration reserve(long nowNanos) {
    if (!started) {
      tokens = burst;
      lastNanos = nowNanos;
      started = true;
    }
    if (nowNanos > lastNanos) {
      tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * qps);
      lastNanos = nowNanos;
    }
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
  }
}
