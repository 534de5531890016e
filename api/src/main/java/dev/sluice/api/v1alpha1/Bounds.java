package dev.sluice.api.v1alpha1;

/**
 * The largest values the CRDs accept (as schema maximums, so the API server refuses the rest):
 * far beyond any real rollout, small enough that the controller's arithmetic never overflows.
 */
final class Bounds {
  static final long REPLICAS = 1_000_000;
  /** Ten years, the same limit as {@link dev.sluice.api.Durations#MAX}. */
  static final long SECONDS = 315_360_000;
  static final long REVISIONS = 1_000;
  static final long STEPS = 1_000;
  static final long MEASUREMENTS = 1_000;
  /** maxTrafficWeight, and so any weight, is at most this. */
  static final long TRAFFIC_WEIGHT = 10_000;

  private Bounds() {}
}
