package dev.sluice.api;

/** Labels and annotations Sluice puts on the objects it manages. */
public final class SluiceLabels {
  /** On ReplicaSets, their pods, and the selectors of the canary/stable Services. */
  public static final String POD_TEMPLATE_HASH = "sluice.dev/pod-template-hash";
  /** On ReplicaSets: the rollout revision that last used this pod template. */
  public static final String REVISION = "sluice.dev/revision";

  private SluiceLabels() {}
}
