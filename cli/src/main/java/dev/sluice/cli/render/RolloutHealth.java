package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;

/** Whether a rollout is done: what `kubectl sluice status` decides its exit code from. */
public final class RolloutHealth {

  public enum Verdict {
    HEALTHY(0), DEGRADED(1), IN_PROGRESS(-1);

    private final int exitCode;

    Verdict(int exitCode) {
      this.exitCode = exitCode;
    }

    /** 0 Healthy, 1 Degraded; an in-progress rollout has no exit code of its own. */
    public int exitCode() {
      return exitCode;
    }
  }

  /** The verdict and one line for a person: "Healthy", "Progressing: updated replicas are still becoming available". */
  public record Health(Verdict verdict, String line) {}

  private RolloutHealth() {}

  public static Health of(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    if (status == null || status.phase() == null) {
      return new Health(Verdict.IN_PROGRESS, "Progressing: waiting for the controller to report a status");
    }
    Long generation = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();
    // a status written for an older spec says nothing about the current one (a set image just now)
    if (generation != null && (status.observedGeneration() == null || status.observedGeneration() < generation)) {
      return new Health(Verdict.IN_PROGRESS, "Progressing: waiting for the controller to see the latest spec (generation "
          + generation + ")");
    }
    String line = status.phase() + (status.message() == null || status.message().isBlank() ? "" : ": " + status.message());
    switch (status.phase()) {
      case "Healthy": return new Health(Verdict.HEALTHY, line);
      case "Degraded": return new Health(Verdict.DEGRADED, line);
      default: return new Health(Verdict.IN_PROGRESS, line);
    }
  }
}
