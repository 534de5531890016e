package dev.sluice.cli.render;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * The verdict and one line for a person: "Healthy", "Progressing: updated replicas are still becoming
   * available"; for blue-green followed by the hash each Service selects: "Healthy [active 5d8b, preview 5d8b]".
   */
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
    String line = status.phase() + (status.message() == null || status.message().isBlank() ? "" : ": " + status.message())
        + selectors(rollout);
    switch (status.phase()) {
      case "Healthy": return new Health(Verdict.HEALTHY, line);
      case "Degraded": return new Health(Verdict.DEGRADED, line);
      default: return new Health(Verdict.IN_PROGRESS, line);
    }
  }

  // blue-green: which pods each Service selects, so that a watch prints the switch when it happens
  private static String selectors(Rollout rollout) {
    RolloutStatus.BlueGreenStatus blueGreen = rollout.getStatus().blueGreen();
    if (blueGreen == null || !ReplicaSetRoles.blueGreen(rollout.getSpec(), rollout.getStatus())) return "";
    List<String> parts = new ArrayList<>();
    if (blueGreen.activeSelector() != null) parts.add("active " + blueGreen.activeSelector());
    if (blueGreen.previewSelector() != null) parts.add("preview " + blueGreen.previewSelector());
    return parts.isEmpty() ? "" : " [" + String.join(", ", parts) + "]";
  }
}
